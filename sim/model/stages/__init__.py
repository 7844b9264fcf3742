"""The stages, one module per kind: how a candidate goes through each.

- `plain`: wait, queue for one of the team, work, a pass draw (most stages);
- `pool`: the shortlisting pool, compared in one session;
- `committee`: a decision at meetings on a cadence;
- `offer`: the second interview, the line for a free opening, the follow-up that extends the
  offer, and the rejection notice;
- `negotiation`: negotiation rounds and the final decision;
- `news`: the recruiter's status updates to waiting candidates.

`Route` is one requisition's stages in journey order, built once from the scenario: names come
from `sim.scenario.stages`, and each stage's object carries everything it needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.model.stages.committee import Committee, CommitteeDecision
from sim.model.stages.negotiation import AcceptanceDecision, NegotiationRounds
from sim.model.stages.news import StatusUpdates
from sim.model.stages.offer import OfferLine, rejection_notice
from sim.model.stages.plain import PlainStage
from sim.model.stages.pool import ShortlistPool
from sim.scenario.types import Decision, FinalDecision, FollowUp, Negotiation, Shortlisting

if TYPE_CHECKING:
    from sim.model.core import HiringModel

__all__ = ["Committee", "Route", "build_committee"]


class Route:
    """The stages one requisition's candidates go through, enabled ones only, in order:

    - `screening`, before the offer line (failing one: rejected);
    - `offer`, the offer line (always there: it holds the line for an opening);
    - `deciding`, negotiation and the final decision (failing one: declined);
    - `onboarding`, after accepting (failing one: rejected).

    `pool` is the shortlisting pool among the screening stages, if there is one; `notice` the
    rejection notice, if one is sent; `updates` the recruiter's status updates, if any.
    """

    __slots__ = ("screening", "offer", "deciding", "onboarding", "pool", "notice", "updates")

    def __init__(self, model: HiringModel, requisition: int):
        self.screening: list = []
        self.deciding: list = []
        self.onboarding: list = []
        self.pool: ShortlistPool | None = None
        self.notice: PlainStage | None = None
        spec = model.updates_spec
        self.updates = StatusUpdates(model, spec, requisition) if spec is not None else None
        after_offer = False
        for name, spec in model.scenario.stages.items():
            if isinstance(spec, FollowUp):
                self.offer = OfferLine(model, name, spec, requisition)
                self.notice = rejection_notice(model, spec, requisition)
                after_offer = True
            elif not spec.enabled:
                continue
            elif isinstance(spec, Shortlisting) and spec.keep is not None:
                self.pool = ShortlistPool(model, name, spec, requisition)
                self.screening.append(self.pool)
            elif isinstance(spec, Decision) and spec.meets_every_days is not None:
                self.screening.append(CommitteeDecision(model, name, spec, requisition))
            elif isinstance(spec, Negotiation):
                self.deciding.append(NegotiationRounds(model, name, spec, requisition))
            elif isinstance(spec, FinalDecision):
                self.deciding.append(AcceptanceDecision(model, name, spec, requisition))
            elif after_offer:
                self.onboarding.append(PlainStage(model, name, spec, requisition))
            else:
                self.screening.append(PlainStage(model, name, spec, requisition))


def build_committee(model: HiringModel) -> Committee | None:
    """The company's committee, if the decision stage meets on a cadence."""
    for name, spec in model.scenario.stages.items():
        if isinstance(spec, Decision) and spec.enabled and spec.meets_every_days is not None:
            return Committee(model, name, spec)
    return None
