"""The offer line: from a candidate's selection to the offer being extended.

The follow-up opens; with `second_interview_prob` a second interview comes first (a stage of its
own, which the candidate can fail); then the candidate waits in the requisition's line for a
free opening (the best approved candidate goes first), and the follow-up work extends the offer.
The same follow-up resource tells candidates who were not selected (the rejection notice).
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

from sim.model.records import SCHEDULE
from sim.model.stages.plain import PlainStage, uniforms
from sim.scenario.stages import REJECTION_NOTICE
from sim.scenario.types import FollowUp, Stage

if TYPE_CHECKING:
    from sim.model.core import HiringModel
    from sim.model.entities import Candidate

SECOND_INTERVIEW = "second_interview"
"""The follow-up's own stage in `sim.scenario.stages.JOURNEY` (not a key of `stages:`)."""


class OfferLine:
    """One requisition's way to an offer. Whether a candidate has a second interview draws from
    the requisition's `second_interview_choice` stream."""

    __slots__ = ("env", "log", "name", "resource", "follow_up", "second_interview",
                 "second_interview_prob", "choice")  # fmt: skip

    def __init__(self, model: HiringModel, name: str, spec: FollowUp, requisition: int):
        self.env, self.log = model.env, model.records.events.append  # of Event rows
        self.name, self.resource = name, spec.resource
        enabled = spec.enabled
        self.follow_up = PlainStage(model, name, spec, requisition) if enabled else None
        if self.follow_up is not None:
            self.follow_up.waits = spec.approvals  # each sign-off a wait, one after another
        second = spec.second_interview
        self.second_interview = (
            PlainStage(model, SECOND_INTERVIEW, second, requisition)
            if enabled and second.enabled
            else None
        )
        self.second_interview_prob = spec.second_interview_prob
        self.choice = uniforms(model.streams.rng("second_interview_choice", requisition))

    def visit(self, c: Candidate):
        """Return False if the candidate fails the second interview or the follow-up; True once
        the offer is extended (`c.offer_day`)."""
        env, follow_up = self.env, self.follow_up
        c.stage = self.name
        if follow_up is not None:
            self.log((c.case, self.name, SCHEDULE, env.now, self.resource))
            if next(self.choice) < self.second_interview_prob:
                second = self.second_interview
                if second is not None and not (yield from second.visit(c)):
                    return False
                c.stage = self.name
        # wait in line for a free opening; the best approved candidate goes first
        req = c.req
        c.wake = env.event()
        heapq.heappush(req.line, (-c.quality, c.case, c))
        req.fill_slots()
        yield c.wake
        if follow_up is not None and not (yield from follow_up.visit(c, schedule=False)):
            return False
        if not c.open:
            yield env.event()  # a stop is on its way: its interrupt ends the journey
        c.offered, c.offer_day = True, env.now
        return True


def rejection_notice(model: HiringModel, spec: FollowUp, requisition: int) -> PlainStage | None:
    """The rejection email or call: the follow-up's resource for `rejection_duration`, without
    its wait (that is the offer's approvals). None when no notice is sent."""
    if not spec.enabled or spec.rejection_duration is None:
        return None
    notice = Stage(resource=spec.resource, duration=spec.rejection_duration)
    return PlainStage(model, REJECTION_NOTICE, notice, requisition)
