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

Bounded memory: while the model runs, `Records.check()` (called as candidates arrive and leave)
turns the events, levels and applicants lists, once one holds `chunk_rows` rows, into compact
columns (numpy arrays; strings as small codes into `Records.names`): about 21 bytes an event
instead of about 150 for a tuple and its floats. Each chunk is handed to `sink` (if any) as it
is made, so the tables can be written while the run goes on (`sim.analysis.tables`). The lists
themselves are emptied in place, never rebound: the model and the team's roles hold their
bound `append` methods.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

import numpy as np

SCHEDULE, START, COMPLETE = "schedule", "start", "complete"
"""An event's lifecycle transitions (XES names); an outcome is logged as a `complete`."""
ASSIGN = "assign"
"""The XES transition of the instant a stage's own wait ends and its work is asked of a team
member: from it until `start` the candidate queues for a busy person (or, with a calendar,
awaits the person's working hours), so a fit of the log can tell the wait from the queue.
Logged by the stages a team member works on (`sim.model.stages.plain`, and for each member of a
session, `sim.model.stages.session`), once per visit, between its `schedule` and its `start`;
not by a stage no one works on (nothing is asked of a person: its `start` ends the wait), nor
by a status update (it has no wait: its `assign` would be its `schedule`)."""


class Event(NamedTuple):
    """One step of a candidate's journey: the layout of `Records.events`."""

    case: int
    """The candidate's number in the replication."""
    stage: str
    """A stage (`sim.scenario.stages`), the rejection notice, or an outcome."""
    transition: str
    """SCHEDULE, ASSIGN, START or COMPLETE."""
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


class Assign(NamedTuple):
    """A stage's work asked of a team member and given to one: the layout of
    `Records.assigns`, appended once the person is granted. The event log has the asking (its
    `assign` row, `ASSIGN`) but not the granting, which the stage visits' `granted` column
    (`sim.analysis.timelines`, `sim.analysis.waits`) needs: from `time_days` to `granted_days`
    the candidate queues for a busy person; from then to `start`, with a calendar, the
    person's working hours are awaited. A candidate who left while queueing has an `assign`
    row in the log but none here."""

    case: int
    stage: str
    time_days: float
    """Asked: the stage's own wait is over."""
    granted_days: float
    """The person is free and takes it."""


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


Columns = dict[str, np.ndarray]
"""A chunk of records as columns: one array per field, strings as codes into `Records.names`
(-1: None)."""

CHUNK_ROWS = 200_000
"""Rows a list may hold before `Records.check` turns it into columns, as `sim.simulate` runs."""


@dataclass
class Records:
    """Everything one replication produced.

    The lists hold the rows not yet turned into columns; `event_chunks`, `level_chunks` and
    `applicant_chunks` the ones that were (in the order recorded). `columns(kind)` gives all of
    a kind's rows as columns. `sink(kind, chunk)`, if given, sees every chunk as it is made
    (kind "events", "levels", "applicants" or "assigns"), the last ones when `flush()` runs
    at the end;
    when it returns True, it has taken the chunk and the records do not keep it.
    """

    replication: int
    events: list[tuple] = field(default_factory=list)
    """Rows laid out as `Event`."""
    applicants: list[tuple] = field(default_factory=list)
    """Rows laid out as `Applicant`, one per candidate."""
    levels: list[tuple] = field(default_factory=list)
    """Rows laid out as `Level`."""
    assigns: list[tuple] = field(default_factory=list)
    """Rows laid out as `Assign`."""
    requisitions: list[tuple] = field(default_factory=list)
    """Rows laid out as `RequisitionRecord`, one per requisition."""
    capacity: dict[str, int] = field(default_factory=dict)
    end_day: float = 0.0
    chunk_rows: int | None = None
    """Rows a list holds before it is turned into columns (`sim.simulate` uses `CHUNK_ROWS`);
    None: only when `flush()` or `columns()` is called, the lists holding every row till then."""
    sink: Callable[[str, Columns], bool] | None = None
    names: list[str | None] = field(default_factory=list)
    """The strings the codes of the columns stand for."""
    arrivals: tuple[array, array] = field(default_factory=lambda: (array("q"), array("q")))
    """Per case (in the order they arrived: case numbers count up), its requisition and its
    number within it; what names an event's candidate before the candidate's row exists."""
    event_chunks: list[Columns] = field(default_factory=list)
    level_chunks: list[Columns] = field(default_factory=list)
    applicant_chunks: list[Columns] = field(default_factory=list)
    assign_chunks: list[Columns] = field(default_factory=list)
    _codes: dict = field(default_factory=dict, repr=False)

    def arrived(self, case: int, requisition: int, applicant: int) -> None:
        """A candidate arrived (the model calls this with each case in turn)."""
        if case != len(self.arrivals[0]):
            raise ValueError(f"case {case} arrived out of turn (expected {len(self.arrivals[0])})")
        self.arrivals[0].append(requisition)
        self.arrivals[1].append(applicant)
        self.check()

    def check(self) -> None:
        """Turn any list that has reached `chunk_rows` rows into columns."""
        limit = self.chunk_rows
        if limit is not None and (len(self.events) >= limit or len(self.levels) >= limit
                                  or len(self.applicants) >= limit
                                  or len(self.assigns) >= limit):  # fmt: skip
            self.flush()

    def flush(self) -> None:
        """Turn every row still in the lists into columns, now."""
        for kind, rows, chunks, convert in (
            ("events", self.events, self.event_chunks, self._event_columns),
            ("levels", self.levels, self.level_chunks, self._level_columns),
            ("applicants", self.applicants, self.applicant_chunks, self._applicant_columns),
            ("assigns", self.assigns, self.assign_chunks, self._assign_columns),
        ):
            if not rows:
                continue
            chunk = convert(rows)
            rows.clear()  # in place: the model holds `rows.append`
            if self.sink is None or not self.sink(kind, chunk):
                chunks.append(chunk)

    def columns(self, kind: str) -> Columns:
        """Every row of `kind` ("events", "levels", "applicants" or "assigns") as columns, in
        the order recorded (flushing what is left in the list)."""
        self.flush()
        chunks = {"events": self.event_chunks, "levels": self.level_chunks,
                  "applicants": self.applicant_chunks, "assigns": self.assign_chunks}[kind]
        if len(chunks) > 1:  # keep one chunk: asked again, it costs nothing
            merged = {name: np.concatenate([c[name] for c in chunks]) for name in chunks[0]}
            chunks[:] = [merged]
        if chunks:
            return chunks[0]
        empty = {"events": self._event_columns, "levels": self._level_columns,
                 "applicants": self._applicant_columns,
                 "assigns": self._assign_columns}[kind]([])  # fmt: skip
        return empty

    def decode(self, codes: np.ndarray) -> np.ndarray:
        """The strings (or None) that `codes` stand for, as an object array."""
        names = np.array([*self.names, None], dtype=object)  # -1: the last, None
        return names[codes]

    # -- rows to columns --------------------------------------------------------------------

    def _code(self, rows: list[tuple], i: int) -> np.ndarray:
        """Field `i` of `rows`, strings or None, as codes into `names` (None: -1)."""
        codes = self._codes
        try:
            return np.fromiter(map(codes.__getitem__, map(itemgetter(i), rows)), dtype=np.int16,
                               count=len(rows))  # fmt: skip
        except KeyError:  # a string not seen before: learn every new one, then again
            if not codes:
                codes[None] = -1
            for new in set(map(itemgetter(i), rows)).difference(codes):
                codes[new] = len(self.names)
                self.names.append(new)
            return self._code(rows, i)

    # One field at a time through `itemgetter`, not `zip(*rows)`: that makes an iterator per
    # row, which the cycle collector then scans, three times slower.
    def _event_columns(self, rows: list[tuple]) -> Columns:
        n = len(rows)
        return {
            "case": np.fromiter(map(itemgetter(0), rows), dtype=np.int64, count=n),
            "stage": self._code(rows, 1),
            "transition": self._code(rows, 2),
            "time_days": np.fromiter(map(itemgetter(3), rows), dtype=np.float64, count=n),
            "resource": self._code(rows, 4),
        }

    def _assign_columns(self, rows: list[tuple]) -> Columns:
        n = len(rows)
        return {
            "case": np.fromiter(map(itemgetter(0), rows), dtype=np.int64, count=n),
            "stage": self._code(rows, 1),
            "time_days": np.fromiter(map(itemgetter(2), rows), dtype=np.float64, count=n),
            "granted_days": np.fromiter(map(itemgetter(3), rows), dtype=np.float64, count=n),
        }

    def _level_columns(self, rows: list[tuple]) -> Columns:
        n = len(rows)
        return {
            "time_days": np.fromiter(map(itemgetter(0), rows), dtype=np.float64, count=n),
            "resource": self._code(rows, 1),
            "busy": np.fromiter(map(itemgetter(2), rows), dtype=np.int64, count=n),
            "queue": np.fromiter(map(itemgetter(3), rows), dtype=np.int64, count=n),
        }

    def _applicant_columns(self, rows: list[tuple]) -> Columns:
        n = len(rows)
        out = {}
        for i, name in enumerate(Applicant._fields):
            values = map(itemgetter(i), rows)
            if name in ("outcome", "exit_stage"):
                out[name] = self._code(rows, i)
            elif name in ("case", "requisition", "applicant", "search"):
                out[name] = np.fromiter(values, dtype=np.int64, count=n)
            else:  # days and scores: None -> NaN
                out[name] = np.array(list(values), dtype=np.float64)
        return out
