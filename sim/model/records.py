"""Flat, append-only records of one replication: cheap to write, turned into tables once.

One named tuple per kind of record (`Event`, `Applicant`, `Level`, `RequisitionRecord`), as Ciw's
`DataRecord`, says what its fields are, in which order and in which unit; `sim.analysis.tables`
names the columns by them, and `Event._make(row)` names a row. The model appends plain tuples laid
out as these: a named tuple costs about 250 ns more to build, and, unlike a plain tuple of numbers
and strings, is never untracked by Python's cycle collector, so every full collection rescans all
of them. Measured on the reference benchmark (20,000 candidates): named events and levels made the
model 45% slower (and cost 9% more instructions even with the collector paused); named applicants
alone, one per candidate, took full collections from 3 to 8 over five replications and made the
model 12% slower. `tests/test_invariants.py` checks every row against its kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

SCHEDULE, START, COMPLETE = "schedule", "start", "complete"
"""An event's lifecycle transitions (XES names); an outcome is logged as a `complete`."""


class Event(NamedTuple):
    """One step of a candidate's journey: the layout of `Records.events`."""

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
    """One candidate's fate: the layout of `Records.applicants`. Days are floats, None where
    the thing did not happen."""

    case: int
    requisition: int
    applicant: int
    """The candidate's number within its requisition."""
    search: int
    """Which search brought the candidate: 0 the first, 1 the first reopened one, ..."""
    arrived_day: float
    quality: float
    assessment: float | None
    """What the stages saw of quality (`sim.model.assessment`); None where none assessed."""
    patience_days: float | None
    outcome: str
    exit_stage: str
    """The stage the candidate was at when the outcome came (or the run ended)."""
    exit_day: float | None
    offer_day: float | None
    hired_day: float | None


class Level(NamedTuple):
    """A team role's level after a change, people busy and requests waiting: the layout of
    `Records.levels`."""

    time_days: float
    resource: str
    busy: int
    queue: int


class RequisitionRecord(NamedTuple):
    """One requisition as the run left it: the layout of `Records.requisitions`, written once
    per requisition when the run ends. Days are floats, None where the thing did not happen."""

    requisition: int
    opened_day: float
    openings: int
    accepted: int
    """Openings whose offer was accepted (hires included), less any backed out before starting."""
    filled_day: float | None
    """When the last opening's offer was accepted; None unless every opening is accepted."""
    hired: int
    """Openings whose candidate started (onboarding complete)."""
    started_day: float | None
    """When the last opening's candidate started; None unless every one has."""
    interviewed: int
    """Candidates who arrived, over every search."""
    searches: int
    """Searches started: 1 + the times the search reopened."""


@dataclass
class Records:
    """Everything one replication produced."""

    replication: int
    events: list[tuple] = field(default_factory=list)
    """Rows laid out as `Event`."""
    applicants: list[tuple] = field(default_factory=list)
    """Rows laid out as `Applicant`, one per candidate."""
    levels: list[tuple] = field(default_factory=list)
    """Rows laid out as `Level`."""
    requisitions: list[tuple] = field(default_factory=list)
    """Rows laid out as `RequisitionRecord`, one per requisition."""
    capacity: dict[str, int] = field(default_factory=dict)
    end_day: float = 0.0
