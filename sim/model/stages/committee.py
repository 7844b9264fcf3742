"""The committee: a decision taken at meetings on a cadence, for everyone on the docket.

Each candidate prepares its case (the stage's `wait`) and joins the docket; the committee meets
at its slots (`first_meeting_day` + k `meets_every_days`) and one meeting, holding the resource
for `duration`, decides on everyone waiting, each passing as a plain stage would (on the running
assessment with a `validity`, else a draw with `pass_prob`). One committee serves every
requisition.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sim.model.assessment import Assessor
from sim.model.records import COMPLETE, SCHEDULE
from sim.model.stages.plain import uniforms
from sim.model.stages.session import GroupStage
from sim.scenario.types import Decision

if TYPE_CHECKING:
    from sim.model.core import HiringModel
    from sim.model.entities import Candidate


class Committee(GroupStage):
    """The company's committee. A meeting starts at its slot (once the resource is free): the
    stage's `wait` is each candidate's preparation, never the meeting's. Meetings' durations draw
    from the `meeting:<name>` stream, which no requisition uses."""

    def __init__(self, model: HiringModel, name: str, spec: Decision):
        duration = spec.duration.draws(model.streams.rng(f"meeting:{name}"))
        super().__init__(model, name, spec.resource, None, duration, (None, spec.duration.unit))
        self.cadence = spec.meets_every_days
        self.first = self.cadence if spec.first_meeting_day is None else spec.first_meeting_day
        # for the next meeting, by case in the order they joined; a candidate decided before
        # it (withdrawn, say) leaves a None (`leave`): the docket is not held until the
        # meeting, yet a meeting is still called for it, as when it stayed on the docket
        self.docket: dict[int, tuple[Candidate, CommitteeDecision] | None] = {}
        self.joined = self.env.event()  # wakes an idle committee

    def join(self, c: Candidate, seat: CommitteeDecision) -> None:
        """Put the candidate on the docket; `seat` draws its verdict."""
        self.docket[c.case] = (c, seat)
        if not self.joined.triggered:
            self.joined.succeed()

    def leave(self, c: Candidate) -> None:
        """The candidate is decided: its place on the docket, if any, holds it no more."""
        if c.case in self.docket:
            self.docket[c.case] = None

    def meetings(self):
        """Meets at every slot and decides on everyone waiting. With no one on the docket it
        sleeps until someone joins, so a meeting a minute costs nothing when idle."""
        env, name, resource = self.env, self.name, self.resource
        cadence, first = self.cadence, self.first
        while True:
            if not self.docket:
                self.joined = env.event()
                yield self.joined
            # the first slot not yet past (a meeting that ran long skips the slots it covered)
            k = max(0, math.ceil((env.now - first) / cadence))
            meeting = first + k * cadence
            if meeting < env.now:  # rounding
                meeting += cadence
            yield env.timeout(meeting - env.now)
            waiting = [entry for entry in self.docket.values() if entry and entry[0].open]
            self.docket = {}
            if not waiting:
                continue
            yield from self.session([c for c, _ in waiting])
            for c, seat in waiting:
                if c.open:
                    self.log((c.case, name, COMPLETE, env.now, resource))
                    c.wake.succeed(seat.verdict(c))


class CommitteeDecision:
    """The decision stage as one requisition's candidates meet it: prepare the case (the
    requisition's `wait:<name>` stream), join the docket, hear the verdict (`pass:<name>`)."""

    __slots__ = ("env", "log", "committee", "name", "resource", "wait", "uniform", "pass_prob",
                 "wait_span", "assessor")  # fmt: skip

    def __init__(self, model: HiringModel, name: str, spec: Decision, requisition: int):
        streams = model.streams
        self.env, self.committee = model.env, model.committee
        self.log = model.records.events.append  # of Event rows
        self.name, self.resource, self.pass_prob = name, spec.resource, spec.pass_prob
        self.wait = spec.wait.draws(streams.rng(f"wait:{name}", requisition)) if spec.wait else None
        self.uniform = uniforms(streams.rng(f"pass:{name}", requisition))
        self.wait_span = model.clock.span(spec.wait.unit) if spec.wait else None
        self.assessor = (Assessor(model, name, spec.validity, spec.pass_prob, requisition)
                         if spec.validity is not None else None)  # fmt: skip

    def verdict(self, c: Candidate) -> bool:
        """Whether the meeting passes the candidate: on what it sees (with a `validity`), or a
        draw (`pass:<name>`)."""
        if self.assessor is not None:
            return self.assessor.judge(c)
        return next(self.uniform) < self.pass_prob

    def visit(self, c: Candidate):
        """Prepare, then wait on the docket; return whether the committee passes the candidate."""
        env = self.env
        c.stage = self.name
        self.log((c.case, self.name, SCHEDULE, env.now, self.resource))
        if self.wait is not None:
            draw = next(self.wait)
            yield env.timeout(draw if self.wait_span is None else self.wait_span(env.now, draw))
        c.wake = env.event()
        self.committee.join(c, self)
        return (yield c.wake)
