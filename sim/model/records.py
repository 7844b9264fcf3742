"""Flat, append-only records of one replication: cheap to write, turned into tables once.

One named tuple per kind of record, as Ciw's `DataRecord`, says what its fields are and in which
order; `sim.analysis.tables` names the columns by them. A candidate's fate is an `Applicant`,
built positionally. The per-event kinds (`Event`, `Level`: about 20 a candidate) are written as
plain tuples laid out as their named tuple (`Event._make(row)` names one), because a named tuple
is not cheap on this path: measured on the reference benchmark (20,000 candidates, 366,000 such
records), building them as named tuples made the model 20% slower and the whole run 7%, even with
the cycle collector paused (without the pause, 45%: a plain tuple of numbers and strings is
untracked by the collector at its first pass; a named tuple is rescanned at every one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

SCHEDULE, START, COMPLETE = "schedule", "start", "complete"
"""An event's lifecycle transitions (XES names); an outcome is logged as a `complete`."""


class Event(NamedTuple):
    """One step of a candidate's journey (rows of `Records.events`)."""

    case: int
    """The candidate's number in the replication."""
    stage: str
    """A stage (`sim.scenario.stages`), the rejection notice, or an outcome."""
    transition: str
    """SCHEDULE, START or COMPLETE."""
    time_days: float
    resource: str | None
    """The team role the step holds or waits for; None: no one."""


class Applicant(NamedTuple):
    """One candidate's fate. Days are floats, None where the thing did not happen."""

    case: int
    requisition: int
    applicant: int
    """The candidate's number within its requisition."""
    search: int
    """Which search brought the candidate: 0 the first, 1 the first reopened one, ..."""
    arrived_day: float
    quality: float
    patience_days: float | None
    outcome: str
    exit_stage: str
    """The stage the candidate was at when the outcome came (or the run ended)."""
    exit_day: float | None
    offer_day: float | None
    hired_day: float | None


class Level(NamedTuple):
    """A team role's level after a change: people busy, and requests waiting (rows of
    `Records.levels`)."""

    time_days: float
    resource: str
    busy: int
    queue: int


@dataclass
class Records:
    """Everything one replication produced."""

    replication: int
    events: list[tuple] = field(default_factory=list)
    """Plain tuples laid out as `Event`."""
    applicants: list[Applicant] = field(default_factory=list)
    levels: list[tuple] = field(default_factory=list)
    """Plain tuples laid out as `Level`."""
    capacity: dict[str, int] = field(default_factory=dict)
    end_day: float = 0.0
