"""Flat, append-only records of one replication: cheap to write, turned into tables once.

The model appends plain tuples; `sim.analysis.tables` names their fields and builds DataFrames.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EVENT_FIELDS = ("case", "stage", "transition", "time_days", "resource")
"""One event: candidate number in the replication, stage, lifecycle transition, day, team name."""

APPLICANT_FIELDS = (
    "case",
    "requisition",
    "applicant",
    "search",
    "arrived_day",
    "quality",
    "patience_days",
    "outcome",
    "exit_stage",
    "exit_day",
    "offer_day",
    "hired_day",
)
"""One candidate's fate: `search` counts reopened searches (0 = the first); days are floats,
None where the thing did not happen."""

USAGE_FIELDS = ("time_days", "resource", "busy", "queue")
"""A team's level after a change: people busy, and requests waiting."""


@dataclass
class Records:
    """Everything one replication produced."""

    replication: int
    events: list[tuple] = field(default_factory=list)
    applicants: list[tuple] = field(default_factory=list)
    usage: list[tuple] = field(default_factory=list)
    capacity: dict[str, int] = field(default_factory=dict)
    end_day: float = 0.0
