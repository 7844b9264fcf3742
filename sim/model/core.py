"""The SimPy model: candidates move through the post-interview stages while the team works.

One `HiringModel` is one replication: a pure function of (scenario, replication index) that
returns flat `Records`. Team roles (`sim.model.team`) are shared by every requisition; a stage
with a `resource` queues first come first served for one unit of it. A candidate's patience runs
from the interview until an offer is extended; when it runs out the candidate is interrupted
wherever it is and withdraws, freeing what it held. So does a candidate left too long without
news (`candidate.silence`) or taking an outside offer; one who accepted may back out before
starting (`candidate.renege`). Who is offered is decided on what the stages have seen
(`sim.model.assessment`): the best assessed on the backup list, after the shortlist's finalists
are compared, and the shortlist's reserve goes forward when the finalists run out. How each
kind of stage runs is in `sim.model.stages`; this module keeps the environment, the team, the
requisitions' searches and the candidates' outcomes.
"""

from __future__ import annotations

import itertools
import math
from operator import itemgetter

import simpy
from simpy import Interrupt

from sim.model.assessment import Bar, starting_windows
from sim.model.calendar import Clock, team_hours, work_calendar
from sim.model.entities import Candidate, Requisition
from sim.model.gcpause import cyclic_gc_paused
from sim.model.records import COMPLETE, Records
from sim.model.stages import Route, build_committee
from sim.model.team import Role
from sim.scenario.stages import (
    BACKUP_PROMOTION,
    FILLED,
    JOURNEY,
    OUTCOMES,
    OUTSIDE_OFFER,
    RENEGED,
    RESERVE_PROMOTION,
)
from sim.scenario.types import DAYS_PER_MONTH, Poisson, Scenario, Window
from sim.streams import Streams

HIRED, REJECTED, WITHDREW, DECLINED, IN_PROCESS = OUTCOMES


class HiringModel:
    """One replication of a scenario. `run()` returns its records."""

    def __init__(self, scenario: Scenario, replication: int, records: Records | None = None):
        self.scenario = scenario
        self.streams = Streams(scenario.seed, replication)
        self.env = simpy.Environment()
        calendar = work_calendar(scenario)
        self.clock = Clock(calendar)
        # each role's hiring hours a working day (None: no calendar), and per person the days
        # they are away
        self.daily, self.away = team_hours(scenario, calendar)
        # `records`: where to record (say, one that hands chunks to a sink as it goes)
        self.records = records if records is not None else Records(replication)
        self.records.capacity = scenario.headcount()
        self.team = {name: Role(self.env, name, member.count, self.records.levels,
                                member.owns(name))
                     for name, member in scenario.team.items()}  # fmt: skip
        self._cases = itertools.count()
        self._live = 0
        self._all_done = self.env.event()
        # the stages' bars, shared by every requisition (`sim.model.assessment`)
        self._bars: dict[str, Bar] = {}
        self._priors = starting_windows(tuple(_assessing(scenario)))
        # null patience: no candidate ever leaves by their will, whatever else is written
        self.candidate = candidate = scenario.candidate.in_effect()
        self.outside, self.silence = candidate.outside_offers, candidate.silence
        self.renege, self.updates_spec = candidate.renege, candidate.status_updates
        self.committee = build_committee(self)
        # the requisitions that can still change, by index; one that never can again is
        # retired (`_retire`): its final row goes to `_finished` and the model lets it go
        self.reqs: dict[int, Requisition] = {}
        self._opened = 0
        self._finished: list[tuple] = []
        for _ in range(scenario.company.requisitions):
            self._open(0.0)

    # -- running ------------------------------------------------------------------------------

    def run(self) -> Records:
        env = self.env
        for req in list(self.reqs.values()):
            self.spawn(self._arrivals(req, delay=0.0))
        if self.committee is not None:
            env.process(self.committee.meetings())
        if self.scenario.company.requisitions_per_month > 0:
            self.spawn(self._openings())
        with cyclic_gc_paused():
            env.run(until=env.any_of([self._all_done, env.timeout(self.scenario.horizon_days)]))
        for req in self.reqs.values():
            for c in list(req.active.values()):
                self._record(c, IN_PROCESS, None)
        rows = self._finished + [req.record() for req in self.reqs.values()]
        rows.sort(key=itemgetter(0))  # in the order they opened, however they retired
        self.records.requisitions.extend(rows)
        self.records.end_day = env.now
        return self.records

    def holder(self, resource: str | None, requisition: int | None):
        """Who does `resource`'s work for `requisition` (None: any requisition, such as the
        committee's): (role, person, hiring hours a working day, days away); all None when no
        one does."""
        if resource is None:
            return None, 0, None, frozenset()
        role = self.team[resource]
        person = role.owner(requisition) if requisition is not None else 0
        return role, person, self.daily[resource], self.away[resource][person]

    def bar(self, stage: str, pass_prob: float) -> Bar:
        """The bar of an assessing stage, one for the replication."""
        if stage not in self._bars:
            self._bars[stage] = Bar(pass_prob, self._priors[stage])
        return self._bars[stage]

    def spawn(self, generator) -> simpy.Process:
        """Start a process the run waits for: it ends when every such process has."""
        self._live += 1
        process = self.env.process(generator)
        process.callbacks.append(self._ended)
        return process

    def _ended(self, _event) -> None:
        self._live -= 1
        if self._live == 0 and not self._all_done.triggered:
            self._all_done.succeed()

    # -- requisitions, arrivals and the search --------------------------------------------------

    def _open(self, opened: float) -> Requisition:
        """A new requisition, numbered in the order they open (its streams are keyed by it)."""
        index = self._opened
        self._opened += 1
        candidate, openings = self.candidate, self.scenario.company.openings
        req = Requisition(index, openings, candidate, self.streams, Route(self, index), opened)
        req.ranks_on_quality = not self._priors  # no stage assesses
        self.reqs[index] = req
        return req

    def _openings(self):
        """Requisitions opening during the run (`company.requisitions_per_month`): exponential
        gaps from the `requisition_opening` stream, until the run stops."""
        env = self.env
        gaps = self.streams.rng("requisition_opening")
        mean_gap = DAYS_PER_MONTH / self.scenario.company.requisitions_per_month
        while True:
            yield env.timeout(gaps.exponential(mean_gap))
            self.spawn(self._arrivals(self._open(env.now), delay=0.0))

    def _arrivals(self, req: Requisition, delay: float):
        env, applicants = self.env, self.scenario.applicants
        if delay:
            yield env.timeout(delay)
        req.reopening, req.arriving = False, True
        req.lost = 0  # a fresh search: no offer of it has fallen through yet
        search, n = req.searches, applicants.per_requisition
        req.searches += 1
        pool = req.route.pool
        if pool is not None:
            pool.expect(n)
        arrivals = applicants.arrivals
        if isinstance(arrivals, Poisson):
            gaps = req.arrival_rng.exponential(1 / arrivals.rate_per_day, n).tolist()
        elif isinstance(arrivals, Window):
            times = sorted(req.arrival_rng.uniform(0, arrivals.days, n).tolist())
            gaps = [b - a for a, b in zip([0.0, *times], times, strict=False)]
        else:  # a batch: everyone at once
            gaps = [0.0] * n
        arrived = 0
        for gap in gaps:
            if gap:
                yield env.timeout(gap)
            if req.filled:
                break
            self._arrive(req, search)
            arrived += 1
        req.arriving = False
        if pool is not None:
            pool.not_coming(n - arrived)
        self._check_search(req)

    def _arrive(self, req: Requisition, search: int) -> None:
        env = self.env
        patience = next(req.patience) if req.patience is not None else None
        c = Candidate(next(self._cases), req, req.applicants, search, env.now,
                      next(req.quality), patience, JOURNEY[0])  # fmt: skip
        req.applicants += 1
        req.active[c.case] = c
        self.records.arrived(c.case, req.index, c.applicant)
        c.proc = self.spawn(self._candidate(c))
        if patience is not None:
            self.timer(c, patience, lambda _event: self.stop(c, WITHDREW))
        if self.outside is not None:
            # a constant hazard, higher for better candidates: an exponential time
            rate = -math.log1p(-min(self.outside.per_week, 1 - 1e-12)) / 7
            rate *= math.exp(self.outside.quality_effect * c.quality)
            draw = next(req.outside_offer)
            if rate > 0:
                self.timer(c, draw / rate, lambda _event: self._outside_offer(c))
        if self.silence is not None:
            c.tolerance = next(req.tolerance)
            self.news(c)  # the interview
        updates = req.route.updates
        if updates is not None:
            env.process(updates.keep_warm(c))

    def news(self, c: Candidate) -> None:
        """The candidate hears from us: the silence starts again."""
        if c.tolerance is None:
            return
        c.news += 1
        heard = c.news
        self.timer(c, c.tolerance, lambda _event: c.news == heard and self.stop(c, WITHDREW))

    def timer(self, c: Candidate, delay: float, callback) -> None:
        """Call `callback(event)` in `delay` days, unless `c` is decided first.

        Every timer of a candidate (patience, silence, outside offer, renege, the backup list's
        and the reserve's limits) does nothing once the candidate is decided, but while pending
        its callback holds the candidate and through it the requisition: its route, random
        streams and ranked lists of candidates. Patience runs for weeks, so `_decide` empties
        the callbacks of the candidate's timers (the timeouts still fire, doing nothing, so no
        event moves)."""
        timeout = self.env.timeout(delay)
        timeout.callbacks.append(callback)
        c.timers.append(timeout)

    def _outside_offer(self, c: Candidate) -> None:
        """Another employer's offer: a candidate without ours leaves (after deliberating, if
        the scenario says so); one holding ours weighs it at the final decision."""
        if not c.open or c.accepted:
            return
        c.outside = True
        env = self.env
        self.records.events.append((c.case, OUTSIDE_OFFER, COMPLETE, env.now, None))
        if c.offered:
            return
        deliberation = c.req.deliberation
        if deliberation is None:
            self.stop(c, WITHDREW)
        else:
            self.timer(c, next(deliberation), lambda _event: self.stop(c, WITHDREW))

    def advance(self, req: Requisition) -> None:
        """After any change at a requisition: free openings go to the best on the backup list
        (once the finalists are compared); with no finalist or backup left, the reserve goes
        forward; with no one left at all, the search reopens."""
        log, now = self.records.events.append, self.env.now
        for c in req.fill_slots():
            if req.lost:  # an earlier offer fell through: the backup list is being used
                log((c.case, BACKUP_PROMOTION, COMPLETE, now, None))
            self.news(c)
        pool = req.route.pool
        if (req.reserve and pool is not None and req.held < req.openings and not req.finalists
                and not req.waiting(req.line)):  # fmt: skip
            cohort = req.cohorts
            req.cohorts += 1
            for c in req.next_reserve(pool.keep):
                log((c.case, RESERVE_PROMOTION, COMPLETE, now, None))
                self.news(c)
                pool.go_on(c, cohort)
        self._check_search(req)

    def _check_search(self, req: Requisition) -> None:
        """Reopen the search when openings are free and no one is left to fill them; retire
        the requisition when no one is left and it will not reopen."""
        if req.active or req.arriving or req.reopening:
            return
        if req.held < req.openings and req.searches <= self.scenario.applicants.max_reopens:
            req.reopening = True
            self.spawn(self._arrivals(req, self.scenario.applicants.reopen_after_days))
        else:
            self._retire(req)

    def _retire(self, req: Requisition) -> None:
        """Write the final row of a requisition that can never change again, and let it go.

        No candidate of it is undecided, none is still to arrive and its search will not
        reopen: only a candidate changes its books, so its row is the one the end of the run
        would write. Dropping it here (not keeping every requisition to the end) frees its
        route, its random streams and its ranked lists once the last timers holding its
        candidates have fired: a million-candidate run opens 10,000 requisitions, about a
        tenth of them open at once."""
        if self.reqs.pop(req.index, None) is not None:
            self._finished.append(req.record())
            # only the decided are left on its ranked lists and in its pool; each of them holds
            # the requisition (a cycle): emptied, reference counting frees it all, even while
            # the cycle collector is off
            req.line.clear()
            req.reserve.clear()
            if req.route.pool is not None:
                req.route.pool.members.clear()

    def _fill(self, req: Requisition, staffed: bool = False) -> None:
        """All openings accepted: reject everyone still undecided (they get the notice) but the
        backup list, kept warm until every opening's hire has started (`staffed`) in case one
        backs out."""
        for c in list(req.active.values()):
            if not c.slot and (staffed or not c.backup):
                self.stop(c, FILLED)

    # -- a candidate's journey ------------------------------------------------------------------

    def stop(self, c: Candidate, cause: str) -> None:
        """Interrupt a candidate who has no offer yet: WITHDREW (patience or tolerance ran out,
        an outside offer taken) or FILLED (turned away)."""
        if c.open and not c.offered:
            c.open = False
            c.proc.interrupt(cause)

    def _back_out(self, c: Candidate) -> None:
        """A reneging candidate backs out, if not started yet."""
        if c.open and c.accepted:
            c.open = False
            c.proc.interrupt(RENEGED)

    def _candidate(self, c: Candidate):
        try:
            yield from self._journey(c)
        except Interrupt as stop:
            if stop.cause == WITHDREW:
                self._decide(c, WITHDREW)
            elif stop.cause == RENEGED:
                self.records.events.append((c.case, RENEGED, COMPLETE, self.env.now, None))
                self._decide(c, DECLINED)
            else:
                self._decide(c, REJECTED)
                yield from self._notice(c)

    def _journey(self, c: Candidate):
        """The route's stages in order: failing a screening stage, the offer line or onboarding
        rejects the candidate; failing negotiation or the final decision is a decline."""
        req = c.req
        route = req.route
        for stage in route.screening:
            if not (yield from stage.visit(c)):
                return (yield from self._reject(c))
        if not (yield from route.offer.visit(c)):
            return (yield from self._reject(c))
        for stage in route.deciding:
            if not (yield from stage.visit(c)):
                return self._decide(c, DECLINED)
        c.accepted = True
        req.accept(self.env.now)
        if req.filled:
            self._fill(req)
        renege = self.renege
        if renege is not None and next(req.renege) < renege.prob:
            self.timer(c, next(req.renege_after), lambda _event: self._back_out(c))
        for stage in route.onboarding:
            if not (yield from stage.visit(c)):
                return (yield from self._reject(c))
        self._decide(c, HIRED)

    def _reject(self, c: Candidate):
        if not c.open:
            yield self.env.event()  # a stop is on its way: its interrupt ends the journey
        c.open = False
        self._decide(c, REJECTED)
        yield from self._notice(c)

    def _notice(self, c: Candidate):
        """The rejection email or call; the candidate's exit stage stays where it was."""
        notice = c.req.route.notice
        if notice is None:
            return
        stage = c.stage
        yield from notice.visit(c)
        c.stage = stage

    def _decide(self, c: Candidate, outcome: str) -> None:
        """Record the candidate's outcome now and settle the requisition's books."""
        c.open = False
        for timeout in c.timers:
            if timeout.callbacks:  # None once fired
                timeout.callbacks.clear()
        c.timers.clear()
        req = c.req
        if c.updating is not None:
            req.route.updates.cut(c)
        req.decided(c)
        if c.session is not None:
            c.session.member_left()
        if self.committee is not None:
            self.committee.leave(c)
        if req.route.pool is not None:
            req.route.pool.reviewed(c)
        del req.active[c.case]
        self._record(c, outcome, self.env.now)
        self.records.events.append((c.case, outcome, COMPLETE, self.env.now, None))  # an Event
        self.records.check()
        if outcome == HIRED:
            req.hire(self.env.now)
            if req.started_day is not None:
                self._fill(req, staffed=True)
        if outcome != HIRED and c.slot:
            c.slot = False
            req.held -= 1
            req.lost += 1
            if c.accepted:
                req.back_out()
        self.advance(req)

    def _record(self, c: Candidate, outcome: str, exit_day: float | None) -> None:
        self.records.applicants.append((  # an Applicant row
            c.case, c.req.index, c.applicant, c.search, c.arrived, c.quality,
            c.assessment if c.precision else None, c.patience,
            outcome, c.stage, exit_day, c.offer_day, exit_day if outcome == HIRED else None,
        ))  # fmt: skip


def _assessing(scenario: Scenario) -> list[tuple[str, float, float]]:
    """The enabled stages with a `validity`, (name, validity, pass_prob), in the order
    candidates meet them (the second interview after the decision; a shortlist that ranks
    passes everyone it does not rank out)."""
    stages = scenario.stages
    out = []
    for name, spec in stages.items():
        if spec.enabled and spec.validity is not None:
            ranks = getattr(spec, "keep", None) is not None
            out.append((name, spec.validity, 1.0 if ranks else spec.pass_prob))
        if name == "decision":
            second = stages.follow_up.second_interview
            if stages.follow_up.enabled and second.enabled and second.validity is not None:
                out.append(("second_interview", second.validity, second.pass_prob))
    return out
