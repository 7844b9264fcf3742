"""The offer line: from a candidate's selection to the offer being extended.

The follow-up opens; with `second_interview_prob` a second interview comes first (a stage of its
own, which the candidate can fail, and whose signal counts in the ranking); then the candidate
joins the requisition's ranked backup list. A free opening goes to the best assessed on it once
no finalist of the shortlist is still being decided on (they are compared), and the follow-up
work extends the offer. Approved candidates not offered wait on the list (for `backup_days` at
most): a decline hands the opening to the next. The same follow-up resource tells candidates
who were not selected (the rejection notice).
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

from sim.model.assessment import rank_key
from sim.model.records import COMPLETE, SCHEDULE
from sim.model.stages.plain import PlainStage, uniforms
from sim.scenario.stages import FILLED, OFFER, OPENING_GIVEN, REJECTION_NOTICE
from sim.scenario.types import FollowUp, Stage

if TYPE_CHECKING:
    from sim.model.core import HiringModel
    from sim.model.entities import Candidate

SECOND_INTERVIEW = "second_interview"
"""The follow-up's own stage in `sim.scenario.stages.JOURNEY` (not a key of `stages:`)."""


class OfferLine:
    """One requisition's way to an offer. Whether a candidate has a second interview draws from
    the requisition's `second_interview_choice` stream."""

    __slots__ = ("env", "log", "model", "name", "resource", "follow_up", "second_interview",
                 "second_interview_prob", "choice", "backup_days")  # fmt: skip

    def __init__(self, model: HiringModel, name: str, spec: FollowUp, requisition: int):
        self.env, self.log, self.model = model.env, model.records.events.append, model
        self.backup_days = spec.backup_days
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
        env, follow_up, model = self.env, self.follow_up, self.model
        c.stage = self.name
        if follow_up is not None:
            self.log((c.case, self.name, SCHEDULE, env.now, self.resource))
            if next(self.choice) < self.second_interview_prob:
                second = self.second_interview
                if second is not None:
                    if not (yield from second.visit(c)):
                        return False
                    model.news(c)
                c.stage = self.name
        # onto the backup list, ranked: the best goes first once its cohort is all decided
        req = c.req
        req.decided(c)
        c.wake = wake = env.event()
        c.backup = True
        heapq.heappush(req.line, (-rank_key(c), c.case, c))
        if self.backup_days is not None:
            stop = model.stop
            model.timer(c, self.backup_days, lambda _event: wake.triggered or stop(c, FILLED))
        model.advance(req)
        yield wake
        self.log((c.case, OPENING_GIVEN, COMPLETE, env.now, None))  # the sign-off may start
        if follow_up is not None and not (yield from follow_up.visit(c, schedule=False)):
            return False
        if not c.open:
            yield env.event()  # a stop is on its way: its interrupt ends the journey
        c.offered, c.offer_day = True, env.now
        req.offers += 1
        self.log((c.case, OFFER, COMPLETE, env.now, self.resource if follow_up else None))
        return True


def rejection_notice(model: HiringModel, spec: FollowUp, requisition: int) -> PlainStage | None:
    """The rejection email or call: the follow-up's resource for `rejection_duration`, without
    its wait (that is the offer's approvals). None when no notice is sent."""
    if not spec.enabled or spec.rejection_duration is None:
        return None
    notice = Stage(resource=spec.resource, duration=spec.rejection_duration)
    return PlainStage(model, REJECTION_NOTICE, notice, requisition)
