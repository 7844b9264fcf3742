"""The stages, once: their names, the order a candidate meets them, and how they read and look.

Everything else asks this module: the scenario's `stages:` keys, the model's plans, the stage
table's order, the charts' labels and colours.
"""

from __future__ import annotations

from typing import NamedTuple


class StageInfo(NamedTuple):
    name: str
    """As in the scenario file and the event log's `concept:name`."""
    label: str
    """As it reads on a chart or in the report."""
    colour: str
    """Its colour on every chart."""
    configured: bool
    """A key of the scenario's `stages:` (the second interview is configured inside follow-up)."""


STAGES: tuple[StageInfo, ...] = (
    StageInfo("initial_review", "initial review", "#4C72B0", True),
    StageInfo("shortlisting", "shortlisting", "#55A868", True),
    StageInfo("reference_checks", "reference checks", "#C44E52", True),
    StageInfo("decision", "decision", "#8172B3", True),
    StageInfo("follow_up", "follow-up", "#CCB974", True),
    StageInfo("second_interview", "second interview", "#64B5CD", False),
    StageInfo("negotiation", "negotiation", "#DD8452", True),
    StageInfo("final_decision", "final decision", "#937860", True),
    StageInfo("onboarding", "onboarding", "#DA8BC3", True),
)
"""Every stage of a candidate's journey, in the order a candidate meets them."""

BY_NAME = {stage.name: stage for stage in STAGES}
STAGE_NAMES = tuple(stage.name for stage in STAGES if stage.configured)
"""The keys of a scenario's `stages:`, in order."""
JOURNEY = tuple(stage.name for stage in STAGES)
"""Every stage a candidate can visit, in order (the second interview is part of follow-up)."""
SCREENING = JOURNEY[: JOURNEY.index("follow_up")]
"""The stages before the follow-up: failing one is a rejection, passing them all an approval."""
REJECTION_NOTICE = "rejection_notice"
"""The event log's name for the follow-up work of telling a candidate no (not a journey stage)."""
OUTCOMES = ("hired", "rejected", "withdrew", "declined", "in_process")
FILLED = "filled"
"""Why a waiting candidate is turned away (rejected, with the notice): the requisition filled,
or the reserve's or the backup list's time ran out."""

OFFER = "offer"
"""The event log's name for an offer extended (a `complete` at the offer day)."""
BACKUP_PROMOTION = "backup_promotion"
"""An opening goes to a candidate on the backup list after an earlier offer fell through."""
RESERVE_PROMOTION = "reserve_promotion"
"""A reserve candidate goes forward because the finalists ran out."""
STATUS_UPDATE = "status_update"
"""A recruiter's news to a waiting candidate (`schedule`, `start`, `complete`)."""
OUTSIDE_OFFER = "outside_offer"
"""Another employer's offer reaches the candidate."""
RENEGED = "reneged"
"""An accepted candidate backs out before the start date (then the outcome `declined`)."""
OPENING_GIVEN = "opening_given"
"""An approved candidate on the backup list is given an opening (at once, or once an opening
is free and the rest of their shortlist decided): the follow-up's sign-off starts, then the
offer. Lets a fit of the log tell the backup list's wait from the follow-up's own, and a
candidate who left on the list from one who left during the sign-off."""
MILESTONES = (OFFER, BACKUP_PROMOTION, RESERVE_PROMOTION, STATUS_UPDATE, OUTSIDE_OFFER, RENEGED,
              OPENING_GIVEN)  # fmt: skip
"""Event-log names that are neither stages nor outcomes."""


def stage_label(name: str) -> str:
    """A stage (or outcome, or team role) as it reads for people: "follow-up", "in process"."""
    return BY_NAME[name].label if name in BY_NAME else name.replace("_", " ")
