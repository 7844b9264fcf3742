"""The SimPy model: candidates move through the post-interview stages while the team works.

One `HiringModel` is one replication: a pure function of (scenario, seed, replication index)
that returns flat `Records`. Team members are SimPy resources shared by every requisition; a
stage with a `resource` queues first come first served for one unit of it. A candidate's
patience runs from the interview until an offer is extended; when it runs out the candidate is
interrupted wherever it is and withdraws, freeing what it held.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import math

import simpy
from simpy import Interrupt

from sim.model.entities import Candidate, Plan, Requisition, Session
from sim.model.records import Records
from sim.scenario.types import MAX_ROUNDS, Scenario
from sim.streams import Streams


class HiringModel:
    """One replication of a scenario. `run()` returns its records."""

    def __init__(self, scenario: Scenario, replication: int, seed: int | None = None):
        self.scenario = scenario
        self.streams = Streams(scenario.seed if seed is None else seed, replication)
        self.env = simpy.Environment()
        self.records = Records(replication, capacity=dict(scenario.team))
        self.team = {name: simpy.Resource(self.env, n) for name, n in scenario.team.items()}
        self._cases = itertools.count()
        self._live = 0
        self._all_done = self.env.event()
        self._docket: list[Candidate] = []  # waiting for the committee's next meeting
        self._docket_joined = self.env.event()  # wakes an idle committee
        self.reqs = [Requisition(self, i) for i in range(scenario.company.requisitions)]

    # -- running ------------------------------------------------------------------------------

    def run(self) -> Records:
        env, s = self.env, self.scenario
        for req in self.reqs:
            self._spawn(self._arrivals(req, delay=0.0))
        decision = s.stages.decision
        if decision.enabled and decision.meets_every_days is not None:
            env.process(self._committee())
        env.run(until=env.any_of([self._all_done, env.timeout(s.horizon_days)]))
        for req in self.reqs:
            for c in list(req.active.values()):
                self._record(c, "in_process", None)
        self.records.end_day = env.now
        return self.records

    def _spawn(self, generator) -> simpy.Process:
        self._live += 1
        process = self.env.process(generator)
        process.callbacks.append(self._ended)
        return process

    def _ended(self, _event) -> None:
        self._live -= 1
        if self._live == 0 and not self._all_done.triggered:
            self._all_done.succeed()

    def _log(self, case, stage, transition, resource) -> None:
        self.records.events.append((case, stage, transition, self.env.now, resource))

    def _request(self, name: str):
        resource = self.team[name]
        request = resource.request()
        self._level(name, resource)
        return request

    def _let_go(self, name: str, request) -> None:
        resource = self.team[name]
        if request.triggered:
            # SimPy hands the freed unit to the next request when the release is processed,
            # later in this instant: record the level then
            release = resource.release(request)
            release.callbacks.append(lambda _event: self._level(name, resource))
        else:
            request.cancel()
            self._level(name, resource)

    def _level(self, name: str, resource: simpy.Resource) -> None:
        self.records.usage.append((self.env.now, name, resource.count, len(resource.queue)))

    # -- arrivals and the search ---------------------------------------------------------------

    def _arrivals(self, req: Requisition, delay: float):
        env, applicants = self.env, self.scenario.applicants
        if delay:
            yield env.timeout(delay)
        req.reopening, req.arriving = False, True
        search, n = req.searches, applicants.per_requisition
        req.searches += 1
        req.pending_review += n
        arrivals = applicants.arrivals
        if arrivals.process == "poisson":
            gaps = req.arrival_rng.exponential(1 / arrivals.rate_per_day, n).tolist()
        elif arrivals.process == "window":
            times = sorted(req.arrival_rng.uniform(0, arrivals.days, n).tolist())
            gaps = [b - a for a, b in zip([0.0, *times], times, strict=False)]
        else:
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
        req.pending_review -= n - arrived
        self._maybe_close_pool(req)
        self._check_search(req)

    def _arrive(self, req: Requisition, search: int) -> None:
        env = self.env
        patience = next(req.patience) if req.patience is not None else None
        c = Candidate(next(self._cases), req, req.applicants, search, env.now,
                      next(req.quality), patience)  # fmt: skip
        req.applicants += 1
        req.active[c.case] = c
        c.proc = self._spawn(self._candidate(c))
        if patience is not None:
            env.timeout(patience).callbacks.append(lambda _event: self._stop(c, "withdrew"))

    def _check_search(self, req: Requisition) -> None:
        """Reopen the search when openings are free and no one is left to fill them."""
        if req.held >= req.openings or req.active or req.arriving or req.reopening:
            return
        if req.searches <= self.scenario.applicants.max_reopens:
            req.reopening = True
            self._spawn(self._arrivals(req, self.scenario.applicants.reopen_after_days))

    def _fill_slots(self, req: Requisition) -> None:
        """Hand free openings to the best approved candidates waiting in line."""
        while req.line and req.held < req.openings:
            c = heapq.heappop(req.line)[2]
            if c.open:
                c.slot = True
                req.held += 1
                c.wake.succeed()

    def _fill(self, req: Requisition) -> None:
        """All openings accepted: reject everyone still undecided (they get the notice)."""
        for c in list(req.active.values()):
            if not c.slot:
                self._stop(c, "filled")

    # -- a candidate's journey ------------------------------------------------------------------

    def _stop(self, c: Candidate, cause: str) -> None:
        """Interrupt a candidate who has no offer yet (patience ran out, or position filled)."""
        if c.open and not c.offered:
            c.open = False
            c.proc.interrupt(cause)

    def _candidate(self, c: Candidate):
        try:
            yield from self._journey(c)
        except Interrupt as stop:
            if stop.cause == "withdrew":
                self._decide(c, "withdrew")
            else:
                self._decide(c, "rejected")
                yield from self._notice(c)

    def _journey(self, c: Candidate):
        env, req, s = self.env, c.req, self.scenario.stages
        plans = req.plans
        review = plans["initial_review"]
        if review.enabled and not (yield from self._stage(c, review)):
            return (yield from self._reject(c))
        shortlist = s.shortlisting
        if shortlist.enabled and shortlist.keep is not None:
            kept = yield from self._pool(c)
        else:
            self._reviewed(c)
            kept = not shortlist.enabled or (yield from self._stage(c, plans["shortlisting"]))
        if not kept:
            return (yield from self._reject(c))
        for name in ("reference_checks", "decision"):
            plan = plans[name]
            if not plan.enabled:
                continue
            if name == "decision" and s.decision.meets_every_days is not None:
                passed = yield from self._await_meeting(c)
            else:
                passed = yield from self._stage(c, plan)
            if not passed:
                return (yield from self._reject(c))

        follow_up = plans["follow_up"]
        c.stage = "follow_up"
        if follow_up.enabled:
            self._log(c.case, "follow_up", "schedule", follow_up.resource)
        if follow_up.enabled and next(req.second_choice) < s.follow_up.second_interview_prob:
            second = plans["second_interview"]
            if second.enabled and not (yield from self._stage(c, second)):
                return (yield from self._reject(c))
            c.stage = "follow_up"
        # wait in line for a free opening; the best approved candidate goes first
        c.wake = env.event()
        heapq.heappush(req.line, (-c.quality, c.case, c))
        self._fill_slots(req)
        yield c.wake
        if follow_up.enabled and not (yield from self._stage(c, follow_up, schedule=False)):
            return (yield from self._reject(c))
        if not c.open:
            yield env.event()  # a stop is on its way: its interrupt ends the journey
        c.offered, c.offer_day = True, env.now

        negotiation = plans["negotiation"]
        if negotiation.enabled:
            stay = 1 - s.negotiation.walk_away_prob
            rounds = min(MAX_ROUNDS, max(0, int(next(req.rounds) + 0.5)))  # half rounds up
            for _ in range(rounds):
                if not (yield from self._stage(c, negotiation, stay)):
                    return self._decide(c, "declined")
        final = plans["final_decision"]
        if final.enabled:
            weeks = (c.offer_day - c.arrived) / 7
            accept = max(0.0, s.final_decision.accept_prob
                          - s.final_decision.accept_prob_loss_per_week * weeks)  # fmt: skip
            if not (yield from self._stage(c, final, accept)):
                return self._decide(c, "declined")
        c.accepted = True
        req.accepted += 1
        if req.filled:
            self._fill(req)
        onboarding = plans["onboarding"]
        if onboarding.enabled and not (yield from self._stage(c, onboarding)):
            return (yield from self._reject(c))
        self._decide(c, "hired")

    def _stage(self, c: Candidate, plan: Plan, pass_prob=None, schedule=True):
        """Wait, queue for the resource, work; return whether the candidate passes."""
        env, name, resource = self.env, plan.name, plan.resource
        c.stage = name
        if schedule:
            self._log(c.case, name, "schedule", resource)
        if plan.wait is not None:
            yield env.timeout(next(plan.wait))
        if resource is None:
            self._log(c.case, name, "start", None)
            yield env.timeout(next(plan.duration))
        else:
            request = self._request(resource)
            try:
                yield request
                self._log(c.case, name, "start", resource)
                yield env.timeout(next(plan.duration))
            except Interrupt:
                self._let_go(resource, request)
                raise
            self._let_go(resource, request)
        self._log(c.case, name, "complete", resource)
        return next(plan.uniform) < (plan.pass_prob if pass_prob is None else pass_prob)

    def _reject(self, c: Candidate):
        if not c.open:
            yield self.env.event()  # a stop is on its way: its interrupt ends the journey
        c.open = False
        self._decide(c, "rejected")
        yield from self._notice(c)

    def _notice(self, c: Candidate):
        """The rejection email or call: the follow-up resource's time."""
        plan = c.req.plans["rejection_notice"]
        if not plan.enabled:
            return
        stage = c.stage
        yield from self._stage(c, plan)
        c.stage = stage

    def _decide(self, c: Candidate, outcome: str) -> None:
        """Record the candidate's outcome now and settle the requisition's books."""
        c.open = False
        req = c.req
        if c.session is not None:
            c.session.member_left()
        self._reviewed(c)
        del req.active[c.case]
        self._record(c, outcome, self.env.now)
        self._log(c.case, outcome, "complete", None)
        if outcome != "hired" and c.slot:
            c.slot = False
            req.held -= 1
            if c.accepted:
                req.accepted -= 1
            self._fill_slots(req)
        self._check_search(req)

    def _record(self, c: Candidate, outcome: str, exit_day) -> None:
        self.records.applicants.append((
            c.case, c.req.index, c.applicant, c.search, c.arrived, c.quality, c.patience,
            outcome, c.stage, exit_day, c.offer_day, exit_day if outcome == "hired" else None,
        ))  # fmt: skip

    # -- shortlisting pools ---------------------------------------------------------------------

    def _pool(self, c: Candidate):
        """Join the requisition's pool; return whether the shortlist keeps the candidate."""
        req, spec = c.req, self.scenario.stages.shortlisting
        c.stage = "shortlisting"
        self._log(c.case, "shortlisting", "schedule", spec.resource)
        if not req.pool and spec.pool_days is not None:
            round_ = req.pool_round
            self.env.timeout(spec.pool_days).callbacks.append(
                lambda _event: req.pool_round == round_ and self._close_pool(req)
            )
        c.wake = self.env.event()
        req.pool.append(c)
        self._reviewed(c)
        return (yield c.wake)

    def _reviewed(self, c: Candidate) -> None:
        if not c.reviewed:
            c.reviewed = True
            c.req.pending_review -= 1
            self._maybe_close_pool(c.req)

    def _maybe_close_pool(self, req: Requisition) -> None:
        if req.pool and req.pending_review <= 0:
            self._close_pool(req)

    def _close_pool(self, req: Requisition) -> None:
        members = [c for c in req.pool if c.open]
        req.pool = []
        req.pool_round += 1
        if members:
            self._spawn(self._shortlist(req, members))

    def _shortlist(self, req: Requisition, members: list[Candidate]):
        """One session comparing the pool; the best `keep` by quality go on."""
        plan = req.plans["shortlisting"]
        yield from self._session(plan, members)
        members = [c for c in members if c.open]
        ranked = sorted(members, key=lambda c: (-c.quality, c.case))
        keep = self.scenario.stages.shortlisting.keep
        for rank, c in enumerate(ranked):
            self._log(c.case, "shortlisting", "complete", plan.resource)
            c.wake.succeed(rank < keep)

    def _session(self, plan: Plan, members: list[Candidate]):
        """Work done once for a group (a pool review, a committee meeting)."""
        env, resource = self.env, plan.resource
        if plan.wait is not None:
            yield env.timeout(next(plan.wait))
        request = self._request(resource) if resource else None
        if request is not None:
            yield request
        present = [c for c in members if c.open]
        if present:  # everyone may have left while the session waited for its resource
            session = Session(env.active_process, present)
            for c in present:
                self._log(c.case, plan.name, "start", resource)
                c.session = session
            with contextlib.suppress(Interrupt):  # everyone left during the session: it ends
                yield env.timeout(next(plan.duration))
            session.ended = True
            for c in present:
                c.session = None
        if request is not None:
            self._let_go(resource, request)

    # -- the committee --------------------------------------------------------------------------

    def _await_meeting(self, c: Candidate):
        """Wait (preparing the case), then join the docket of the next meeting."""
        c.stage = "decision"
        self._log(c.case, "decision", "schedule", self.scenario.stages.decision.resource)
        wait = c.req.plans["decision"].wait
        if wait is not None:
            yield self.env.timeout(next(wait))
        c.wake = self.env.event()
        self._docket.append(c)
        if not self._docket_joined.triggered:
            self._docket_joined.succeed()
        return (yield c.wake)

    def _committee(self):
        """Meets every `meets_every_days` and decides on everyone waiting. With no one on the
        docket it sleeps until someone joins, so a meeting a minute costs nothing when idle."""
        env, spec = self.env, self.scenario.stages.decision
        plan = Plan("decision", spec, self.streams, 0)
        plan.duration = spec.duration.draws(self.streams.rng("meeting:decision"))
        cadence = spec.meets_every_days
        first = cadence if spec.first_meeting_day is None else spec.first_meeting_day
        while True:
            if not self._docket:
                self._docket_joined = env.event()
                yield self._docket_joined
            # the first slot not yet past (a meeting that ran long skips the slots it covered)
            k = max(0, math.ceil((env.now - first) / cadence))
            meeting = first + k * cadence
            if meeting < env.now:  # rounding
                meeting += cadence
            yield env.timeout(meeting - env.now)
            waiting = [c for c in self._docket if c.open]
            self._docket = []
            if not waiting:
                continue
            yield from self._session(plan, waiting)
            for c in waiting:
                if c.open:
                    self._log(c.case, "decision", "complete", spec.resource)
                    c.wake.succeed(next(c.req.plans["decision"].uniform) < spec.pass_prob)
