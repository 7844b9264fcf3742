"""The plain stage: wait (holding no one), queue for one of the team, work, then a pass draw.

Every stage a candidate goes through alone is one of these, or builds on one: the initial review,
a shortlisting screen, reference checks, a decision without a committee, the second interview,
the follow-up's offer work, each negotiation round, the final decision, onboarding and the
rejection notice.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from simpy import Interrupt

from sim.model.assessment import Assessor
from sim.model.entities import blocks
from sim.model.records import ASSIGN, COMPLETE, SCHEDULE, START
from sim.scenario.types import Stage

if TYPE_CHECKING:
    from sim.model.core import HiringModel
    from sim.model.entities import Candidate


def uniforms(rng) -> Iterator[float]:
    """Endless uniform [0, 1) draws from `rng`, fetched in blocks."""
    return blocks(rng, "random")


class PlainStage:
    """One stage as one requisition runs it: its spec and its own random streams, keyed
    `duration:<name>`, `wait:<name>` and `pass:<name>` with the requisition's index."""

    __slots__ = ("env", "log", "assigned", "role", "person", "name", "resource", "wait", "waits",
                 "duration", "uniform", "pass_prob", "wait_span", "work_span", "until_working",
                 "assessor")  # fmt: skip

    def __init__(self, model: HiringModel, name: str, spec: Stage, requisition: int):
        streams = model.streams
        self.env, self.log = model.env, model.records.events.append  # of Event rows
        self.assigned = model.records.assigns.append  # of Assign rows
        self.name = name
        self.resource = spec.resource
        self.role, self.person, daily, away = model.holder(spec.resource, requisition)
        self.pass_prob = spec.pass_prob
        self.duration = spec.duration.draws(streams.rng(f"duration:{name}", requisition))
        self.wait = spec.wait.draws(streams.rng(f"wait:{name}", requisition)) if spec.wait else None
        self.waits = 1  # draws of `wait` one after another (the follow-up's approvals)
        self.uniform = uniforms(streams.rng(f"pass:{name}", requisition))
        validity = getattr(spec, "validity", None)
        # an assessing stage passes on what it sees (`sim.model.assessment`), not on a draw
        self.assessor = (Assessor(model, name, validity, spec.pass_prob, requisition)
                         if validity is not None else None)  # fmt: skip
        # with a calendar (or a unit), draws become spans of model days; None: the draw is one
        clock = model.clock
        self.wait_span = clock.span(spec.wait.unit) if spec.wait else None
        self.work_span = clock.span(spec.duration.unit, daily, self.role is not None, away)
        self.until_working = clock.until_working(daily, away) if self.role is not None else None

    def visit(self, c: Candidate, pass_prob: float | None = None, schedule: bool = True):
        """Wait, queue for the resource, work; return whether the candidate passes (with
        `pass_prob` instead of the spec's when given). `schedule=False`: the stage was
        scheduled earlier (the follow-up, before the second interview and the line).

        Logged: schedule, then (with a resource) `assign` as the wait ends and the person is
        asked for, start, complete. Without a resource no one is asked: no `assign`."""
        env, log, name, resource, role = self.env, self.log, self.name, self.resource, self.role
        c.stage = name
        if schedule:
            log((c.case, name, SCHEDULE, env.now, resource))
        wait_span, work_span = self.wait_span, self.work_span
        if self.wait is not None:
            for _ in range(self.waits):
                draw = next(self.wait)
                yield env.timeout(draw if wait_span is None else wait_span(env.now, draw))
        if role is None:
            log((c.case, name, START, env.now, None))
            draw = next(self.duration)
            yield env.timeout(draw if work_span is None else work_span(env.now, draw))
        else:
            asked = env.now  # the wait is over: queueing for the person from now
            log((c.case, name, ASSIGN, asked, resource))  # before any later event: time order
            request = role.request(self.person)
            try:
                yield request
                self.assigned((c.case, name, asked, env.now))  # asked, granted
                if self.until_working is not None:  # the holder starts in working time
                    lag = self.until_working(env.now)
                    if lag > 0:
                        yield env.timeout(lag)
                log((c.case, name, START, env.now, resource))
                draw = next(self.duration)
                yield env.timeout(draw if work_span is None else work_span(env.now, draw))
            except Interrupt:
                role.let_go(request, self.person)
                raise
            role.let_go(request, self.person)
        log((c.case, name, COMPLETE, env.now, resource))
        if self.assessor is not None:
            return self.assessor.judge(c)
        return next(self.uniform) < self.chance(c, pass_prob)

    def chance(self, c: Candidate, pass_prob: float | None) -> float:
        """The chance of passing, once the work is done (`pass_prob` if given, else the
        spec's)."""
        return self.pass_prob if pass_prob is None else pass_prob
