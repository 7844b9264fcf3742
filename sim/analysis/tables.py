"""Records -> the `applicants`, `events`, `team_levels` and `requisitions` DataFrames of SPEC.

Built per replication from the records' columns (`Records.columns`: numpy arrays, strings as
codes), never row by row; swept parameters become columns named by their dotted paths. The
events and team levels can instead be written as the model runs, chunk by chunk (`Writer`), and
what the summaries need of them (`visits`, `team_usage`) is computed from the compact columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from sim.analysis.business import business_days
from sim.analysis.journeys import JourneyKeeper
from sim.analysis.timelines import (
    TRANSITIONS,
    assign_arrays,
    first_assigns,
    merge_visits,
    spread_levels,
    steps,
    time_weighted,
    visit_arrays,
)
from sim.model.records import Applicant, Records, RequisitionRecord
from sim.scenario.stages import JOURNEY
from sim.scenario.worktime import Calendar

APPLICANT_COLUMNS = [
    "scenario", "cell", "replication", "requisition", "applicant", "case_id", "search",
    "arrived_day", "outcome", "exit_stage", "exit_day", "offer_day", "hired_day",
    "time_to_offer_days", "time_to_hire_days", "time_to_decision_days",
    "time_to_decision_business_days", "quality", "assessment", "quality_of_hire", "patience_days",
    "after_warmup",
]  # fmt: skip
EVENT_COLUMNS = [
    "case:concept:name", "concept:name", "lifecycle:transition", "time:timestamp",
    "org:resource", "scenario", "cell", "replication", "time_days",
]  # fmt: skip
TEAM_COLUMNS = ["scenario", "cell", "replication", "time_days", "resource", "busy", "queue",
                "capacity"]  # fmt: skip
REQUISITION_COLUMNS = [
    "scenario", "cell", "replication", "requisition", "opened_day", "openings", "filled",
    "filled_day", "time_to_fill_days", "time_to_fill_business_days", "interviewed", "searches",
    "accepted", "hired", "started_day", "time_to_start_days", "days_open", "business_days_open",
    "after_warmup",
]  # fmt: skip


def case_ids(cell: int, replication: int, frame: pd.DataFrame) -> pd.Series:
    """Candidate ids unique across cells and replications: `c0-r3-q0-a17`."""
    return (
        f"c{cell}-r{replication}-q"
        + frame["requisition"].astype(str)
        + "-a"
        + frame["applicant"].astype(str)
    )


MS_PER_DAY = 86_400_000


def timestamps(start_date, days: np.ndarray) -> np.ndarray:
    """Wall-clock instants `days` after `start_date`, exact to the millisecond.

    In milliseconds (datetime64[ms]), not pandas' default nanoseconds: those end in 2262, and a
    long horizon is legal; milliseconds reach far beyond any horizon hiresim accepts.
    """
    start = pd.Timestamp(start_date).as_unit("ms").to_datetime64()
    ms = np.round(days * MS_PER_DAY)
    finite = np.isfinite(ms) & (np.abs(ms) < 9e18)  # beyond ~1e11 days: no instant (NaT)
    offsets = np.where(finite, ms, 0).astype(np.int64).astype("timedelta64[ms]")
    return np.where(finite, start + offsets, np.datetime64("NaT", "ms"))


def decision_days(applicants: pd.DataFrame) -> pd.Series:
    """Days from the interview to the decision the candidate hears: the offer (`offer_day`) if
    one was made, else the rejection (`exit_day` of a `rejected` candidate: the decision, before
    any notice is sent). NaN for a candidate who withdrew before an offer or is still waiting."""
    rejected = applicants["exit_day"].where(applicants["outcome"] == "rejected")
    return applicants["offer_day"].fillna(rejected) - applicants["arrived_day"]


def after_warmup(days: pd.Series, warmup_days: float) -> pd.Series:
    """Whether each instant (a candidate's arrival, a requisition's opening) is at or after the
    warm-up: what the summaries count."""
    return days >= warmup_days


def requisition_table(
    records: Records, start_date=None, calendar: Calendar | None = None, warmup_days: float = 0.0
) -> pd.DataFrame:
    """One row per requisition as the run left it. A requisition is `filled` while every
    opening is accepted; `days_open` runs from its opening to `filled_day`, or to the end of the
    run while unfilled (where its time to fill is censored). `time_to_fill_business_days` and
    `business_days_open` count `calendar`'s working days over the same spans
    (`sim.analysis.business`; NaN without a calendar)."""
    frame = pd.DataFrame.from_records(records.requisitions, columns=RequisitionRecord._fields)
    for column in ("opened_day", "filled_day", "started_day"):
        frame[column] = frame[column].astype(float)
    frame["filled"] = frame["filled_day"].notna()
    frame["time_to_fill_days"] = frame["filled_day"] - frame["opened_day"]
    frame["time_to_fill_business_days"] = business_days(
        start_date, calendar, frame["opened_day"].to_numpy(), frame["filled_day"].to_numpy()
    )
    frame["time_to_start_days"] = frame["started_day"] - frame["opened_day"]
    closed = frame["filled_day"].fillna(records.end_day)  # filled, or the end of the run
    frame["days_open"] = closed - frame["opened_day"]
    frame["business_days_open"] = business_days(
        start_date, calendar, frame["opened_day"].to_numpy(), closed.to_numpy()
    )
    frame["after_warmup"] = after_warmup(frame["opened_day"], warmup_days)
    return frame


def quality_of_hire(applicants: pd.DataFrame) -> pd.Series:
    """Per hire, the share of the other candidates interviewed in the same search (requisition
    and search, in one replication) whose true quality is below the hire's: 1, the best of
    them; NaN for everyone else, and for a hire who was the search's only candidate."""
    search = applicants.groupby(["requisition", "search"], sort=False)["quality"]
    below = search.rank(method="min") - 1
    others = search.transform("size") - 1
    share = below / others.where(others > 0)
    return share.where(applicants["outcome"] == "hired")


def replication_tables(
    records: Records,
    scenario_name: str,
    start_date,
    cell: int = 0,
    swept: Mapping[str, object] | None = None,
    calendar: Calendar | None = None,
    warmup_days: float = 0.0,
    events: bool = True,
    team_levels: bool = True,
    visits: list[tuple] | None = None,
    spread: bool = False,
    assigns: list[tuple] | None = None,
) -> dict[str, pd.DataFrame]:
    """The applicants, events, team_levels and requisitions tables of one replication of one
    cell, plus what the summaries need of the last two: `visits` (`stage_visits` of the events)
    and `team_usage` (`sim.analysis.breakdowns.team_usage` of the team levels). `calendar` (the
    scenario's) gives the business-day columns (NaN without one); `after_warmup` marks the
    candidates arriving, and the requisitions opening, at or after `warmup_days`.

    `events=False` / `team_levels=False` leave those tables empty (their columns, no rows): a
    run that wrote them as it went (`Writer`) need not build them again; `visits`: the
    `Writer.visits` of such a run, whose events the records no longer hold (`assigns`: its
    `Writer.assigns`). `spread`: the team
    levels as `spread_levels` gives them, for the charts of a run whose tables went to files.
    """
    label = Label(scenario_name, cell, records.replication, dict(swept or {}))
    applicants = applicant_table(records, start_date, calendar, warmup_days, cell)
    ids = case_names(records, cell)  # taken from twice
    log = event_rows(records, records.columns("events"), ids, start_date) if events else None
    levels = records.columns("levels")
    if spread:
        levels = spread_levels(levels, records.end_day)
    team = team_rows(records, levels, end=True) if team_levels else None
    requisitions = requisition_table(records, start_date, calendar, warmup_days)
    tables = {"applicants": applicants, "events": log, "team_levels": team,
              "requisitions": requisitions}  # fmt: skip
    for name, frame in tables.items():
        tables[name] = label.apply(name, frame)
    tables["visits"] = visit_table(records, ids, label, visits, assigns)
    tables["team_usage"] = usage_table(records, label, warmup_days)
    return tables


COLUMNS = {
    "applicants": APPLICANT_COLUMNS,
    "events": EVENT_COLUMNS,
    "team_levels": TEAM_COLUMNS,
    "requisitions": REQUISITION_COLUMNS,
}
EMPTY_DTYPES = {
    "events": {"case:concept:name": "str", "concept:name": "str", "lifecycle:transition": "str",
               "time:timestamp": "datetime64[ms]", "org:resource": "str", "time_days": float},
    "team_levels": {"time_days": float, "resource": "str", "busy": float, "queue": float,
                    "capacity": "int64"},
}  # fmt: skip


NO_LEVELS = {"time_days": np.empty(0), "resource": np.empty(0, dtype=np.int16),
             "busy": np.empty(0, dtype=np.int64), "queue": np.empty(0, dtype=np.int64)}  # fmt: skip


class Label:
    """The columns naming one replication of one cell: scenario, cell, replication, and one per
    swept parameter (by its dotted path), added to a table in its SPEC order."""

    def __init__(self, scenario: str, cell: int, replication: int, swept: dict):
        self.scenario, self.cell, self.replication, self.swept = scenario, cell, replication, swept

    def apply(self, name: str, frame: pd.DataFrame | None) -> pd.DataFrame:
        """`frame` (None: no rows) with the label's columns, in the table `name`'s order."""
        if frame is None:
            frame = pd.DataFrame({c: pd.Series(dtype=t) for c, t in EMPTY_DTYPES[name].items()})
        frame["scenario"] = self.scenario
        frame["cell"] = self.cell
        frame["replication"] = self.replication
        for path, value in self.swept.items():
            frame[path] = value
        return frame[COLUMNS.get(name, list(frame.columns)) + list(self.swept)]


try:  # pandas' `str` columns are Arrow strings when pyarrow is there: take them from Arrow
    import pyarrow as _pa
    import pyarrow.compute as _pc
except ImportError:  # pragma: no cover - the parquet extra not installed
    _pa = _pc = None


def _arrow_strings() -> bool:
    return _pa is not None and pd.StringDtype(na_value=np.nan).storage == "pyarrow"


def take_strings(values, index: np.ndarray) -> pd.Series:
    """`values[index]` (a sequence of str or None, or an Arrow string array where
    `_arrow_strings()`; index -1: None) as a pandas `str` Series, without a Python object per
    row where pyarrow is installed."""
    if not _arrow_strings():
        return pd.Series(np.array([*values, None], dtype=object)[index], dtype="str")
    table = _pa.array(values, type=_pa.string()) if not isinstance(values, _pa.Array) else values
    taken = table.take(_pa.array(index.astype(np.int64), mask=index < 0))
    strings = {_pa.string(): pd.StringDtype(na_value=np.nan)}
    return pd.Series(taken.to_pandas(types_mapper=strings.get))


def _strings(records: Records, codes: np.ndarray) -> pd.Series:
    return take_strings(records.names, codes)


def applicant_table(
    records: Records,
    start_date=None,
    calendar: Calendar | None = None,
    warmup_days: float = 0.0,
    cell: int = 0,
) -> pd.DataFrame:
    """One row per candidate (in case order), without the label columns."""
    columns = records.columns("applicants")
    order = np.argsort(columns["case"], kind="stable")
    applicants = pd.DataFrame({
        name: _strings(records, columns[name][order]) if name in ("outcome", "exit_stage")
        else columns[name][order]
        for name in Applicant._fields
    })  # fmt: skip
    applicants["time_to_offer_days"] = applicants["offer_day"] - applicants["arrived_day"]
    applicants["time_to_hire_days"] = applicants["hired_day"] - applicants["arrived_day"]
    applicants["time_to_decision_days"] = decision_days(applicants)
    arrived = applicants["arrived_day"].to_numpy(dtype=float)
    applicants["time_to_decision_business_days"] = business_days(
        start_date, calendar, arrived, arrived + applicants["time_to_decision_days"].to_numpy()
    )
    applicants["quality_of_hire"] = quality_of_hire(applicants)
    applicants["after_warmup"] = after_warmup(applicants["arrived_day"], warmup_days)
    applicants["case_id"] = case_ids(cell, records.replication, applicants)
    return applicants


def case_names(records: Records, cell: int, first: int = 0, last: int | None = None):
    """The `case:concept:name` (`c0-r3-q0-a17`, as `case_ids`) of the cases from `first` to
    `last` (by default every one that has arrived), by case number: built by Arrow, with no
    Python string per case, where pandas keeps its strings there (`take_strings` takes from
    it); else an object array."""
    requisitions, numbers = records.arrivals
    stop = len(requisitions) if last is None else last
    prefix = f"c{cell}-r{records.replication}-q"
    if _arrow_strings():  # slices of the records' arrays: copies, which may grow meanwhile
        q, a = (_pa.array(np.frombuffer(column[first:stop], dtype=np.int64)).cast(_pa.string())
                for column in (requisitions, numbers))  # fmt: skip
        return _pc.binary_join_element_wise(prefix, q, "-a", a, "")
    pairs = zip(requisitions[first:stop], numbers[first:stop], strict=True)
    return np.array([f"{prefix}{q}-a{a}" for q, a in pairs], dtype=object)


def event_rows(records: Records, columns, ids, start_date, first: int = 0) -> pd.DataFrame:
    """The event log's rows of `columns` (events as `Records.columns` gives them), without the
    label columns; `ids`: `case_names` of the cases from `first` on, at least as far as these."""
    return pd.DataFrame({
        "case:concept:name": take_strings(ids, columns["case"] - first),
        "concept:name": _strings(records, columns["stage"]),
        "lifecycle:transition": _strings(records, columns["transition"]),
        "time:timestamp": timestamps(start_date, columns["time_days"]),
        "org:resource": _strings(records, columns["resource"]),
        "time_days": columns["time_days"],
    })  # fmt: skip


def team_rows(records: Records, columns, end: bool = False) -> pd.DataFrame:
    """The team_levels rows of `columns` (levels as `Records.columns` gives them), without the
    label columns; `end`: then one row per role at the end of the run (busy and queue empty),
    so that time-weighted means span the whole run."""
    codes = columns["resource"]
    capacity = np.array([records.capacity.get(name, np.nan) for name in records.names], float)
    capacity = np.append(capacity, np.nan)[codes]  # code -1 (None): the last
    team = pd.DataFrame({
        "time_days": columns["time_days"], "resource": _strings(records, codes),
        "busy": columns["busy"].astype(float), "queue": columns["queue"].astype(float),
        "capacity": capacity if np.isnan(capacity).any() else capacity.astype(np.int64),
    })  # fmt: skip
    if not end:
        return team
    ends = pd.DataFrame({"time_days": records.end_day, "resource": list(records.capacity),
                         "busy": np.nan, "queue": np.nan,
                         "capacity": list(records.capacity.values())})  # fmt: skip
    return pd.concat([team, ends], ignore_index=True) if len(team) else ends


def visit_arrays_of(records: Records, columns) -> tuple[np.ndarray, ...]:
    """`sim.analysis.timelines.visit_arrays` of events as `Records.columns` gives them."""
    code = {name: i for i, name in enumerate(records.names)}
    stages = np.array([code[s] for s in JOURNEY if s in code], dtype=np.int16)
    transitions = tuple(code.get(t, -2) for t in TRANSITIONS)
    return visit_arrays(columns["case"], columns["stage"], columns["transition"],
                        columns["time_days"], stages, transitions)  # fmt: skip


def visit_table(
    records: Records, ids, label: Label, parts: list[tuple] | None = None,
    assigns: list[tuple] | None = None,
) -> pd.DataFrame:
    """`sim.analysis.timelines.stage_visits` of the replication's events, from the records'
    columns (or from `parts`: the `visit_arrays_of` each chunk of them, in order): one row per
    candidate and stage; and `assign` and `granted`, the first instants its work was asked of a
    team member and one took it (`first_assigns` of the records' assigns, or of `assigns`:
    `assign_arrays` per chunk)."""
    if parts is None:
        parts = [visit_arrays_of(records, records.columns("events"))]
    case, stage, *times = merge_visits(parts) if parts else (np.empty(0, np.int64),) * 2 + (
        np.empty(0),) * 3  # fmt: skip
    if assigns is None:
        assigns = [assign_arrays(records.columns("assigns"))]
    frame = pd.DataFrame({
        "cell": label.cell, "replication": label.replication,
        "case:concept:name": take_strings(ids, case),
        "stage": _strings(records, stage.astype(np.int64)),
        **dict(zip(TRANSITIONS, times, strict=True)),
        **dict(zip(("assign", "granted"), first_assigns(case, stage, assigns), strict=True)),
    })  # fmt: skip
    frame["cell"] = frame["cell"].astype("int64")
    frame["replication"] = frame["replication"].astype("int64")
    return frame


def usage_table(records: Records, label: Label, warmup_days: float = 0.0) -> pd.DataFrame:
    """Per team role, its time-weighted utilisation and mean queue length in this replication
    over [warmup_days, end of the run]: `sim.analysis.breakdowns.team_usage` of the team_levels
    table, from the records' columns."""
    columns = records.columns("levels")
    codes, first = np.unique(columns["resource"], return_index=True)
    seen = [records.names[c] for c in codes[np.argsort(first, kind="stable")]]
    roles = [*seen, *(name for name in records.capacity if name not in seen)]
    code = {name: i for i, name in enumerate(records.names)}
    rows = []
    for role in roles:
        mine = columns["resource"] == code.get(role, -2)
        times = np.append(columns["time_days"][mine], records.end_day)
        busy = np.append(columns["busy"][mine].astype(float), np.nan)
        queue = np.append(columns["queue"][mine].astype(float), np.nan)
        times, busy, queue, end = steps(times, busy, queue)
        capacity = float(records.capacity[role])
        utilisation = time_weighted(times, busy, end, warmup_days)
        rows.append({
            "scenario": label.scenario, "cell": label.cell, **label.swept, "resource": role,
            "replication": label.replication, "capacity": int(capacity),
            "utilisation": utilisation / capacity if capacity else np.nan,
            "mean_queue_length": time_weighted(times, queue, end, warmup_days),
        })  # fmt: skip
    return pd.DataFrame(rows, columns=["scenario", "cell", *label.swept, "resource",
                                       "replication", "capacity", "utilisation",
                                       "mean_queue_length"])  # fmt: skip


def concat(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """`frames` one after another, numbered from 0. One frame already numbered so is given
    back as it is: copying it (as `pd.concat` does) would hold a replication's tables twice,
    and a run of one replication of a million candidates keeps its events for the charts."""
    if len(frames) == 1 and frames[0].index.equals(pd.RangeIndex(len(frames[0]))):
        return frames[0]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


class Writer:
    """Hands one replication's events and team levels to `files` (a
    `sim.execution.tablefiles.TableFiles`, or anything with its `append(name, frame)`) chunk by
    chunk as the model records them: set it as the records' `sink`, and call `finish()` after
    the run. The rows written are exactly those `replication_tables` would give.

    The records keep no events: the writer keeps of each chunk only its stage visits (`visits`,
    for `replication_tables(..., visits=...)`), a fifth of the size, and with `journeys` the
    events of the journeys the chart shows (`journeys.events()`: a `JourneyKeeper`).
    """

    def __init__(
        self,
        files,
        records: Records,
        scenario_name: str,
        start_date,
        cell: int = 0,
        swept: Mapping[str, object] | None = None,
        journeys: bool = False,
    ):
        self.files, self.records, self.start_date = files, records, start_date
        self.label = Label(scenario_name, cell, records.replication, dict(swept or {}))
        self.journeys = JourneyKeeper() if journeys else None
        self.visits: list[tuple] = []
        self.assigns: list[tuple] = []

    def __call__(self, kind: str, chunk) -> bool:
        """Write `chunk` (of "events", "levels" or "applicants": those are written whole, at
        the end); True when the records need not keep it."""
        records = self.records
        if kind == "events":
            cases = chunk["case"]
            first = int(cases.min()) if len(cases) else 0
            last = int(cases.max()) + 1 if len(cases) else 0
            ids = case_names(records, self.label.cell, first, last)  # this chunk's cases only
            rows = self.label.apply("events", event_rows(records, chunk, ids, self.start_date,
                                                         first))  # fmt: skip
            self.files.append("events", rows)
            if self.journeys is not None:
                self.journeys.add(rows, cases)
            self.visits.append(visit_arrays_of(records, chunk))
            return True
        elif kind == "assigns":  # kept for the visits (`first_assigns`), a few per candidate
            self.assigns.append(assign_arrays(chunk))
            return True
        elif kind == "levels":
            rows = team_rows(records, chunk)
            self.files.append("team_levels", self.label.apply("team_levels", rows))
        return False

    def finish(self) -> None:
        """Write what is left, and the team's levels at the end of the run (once it ended)."""
        self.records.flush()
        self.files.append("events", self.label.apply("events", None))  # the file, if no rows
        ends = team_rows(self.records, NO_LEVELS, end=True)
        self.files.append("team_levels", self.label.apply("team_levels", ends))
