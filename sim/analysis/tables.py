"""Records -> the `applicants`, `events`, `team_levels` and `requisitions` DataFrames of SPEC.

Built once per replication from the model's named records (columns by their field names);
swept parameters become columns named by their dotted paths.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from sim.analysis.business import business_days
from sim.model.records import Applicant, Event, Level, Records, RequisitionRecord
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
) -> dict[str, pd.DataFrame]:
    """The applicants, events, team_levels and requisitions tables of one replication of one
    cell. `calendar` (the scenario's) gives the business-day columns (NaN without one);
    `after_warmup` marks the candidates arriving, and the requisitions opening, at or after
    `warmup_days`."""
    rep = records.replication
    applicants = pd.DataFrame.from_records(records.applicants, columns=Applicant._fields)
    applicants = applicants.sort_values("case", kind="stable").reset_index(drop=True)
    for column in ("exit_day", "offer_day", "hired_day", "patience_days", "assessment"):
        applicants[column] = applicants[column].astype(float)
    applicants["time_to_offer_days"] = applicants["offer_day"] - applicants["arrived_day"]
    applicants["time_to_hire_days"] = applicants["hired_day"] - applicants["arrived_day"]
    applicants["time_to_decision_days"] = decision_days(applicants)
    arrived = applicants["arrived_day"].to_numpy(dtype=float)
    applicants["time_to_decision_business_days"] = business_days(
        start_date, calendar, arrived, arrived + applicants["time_to_decision_days"].to_numpy()
    )
    applicants["quality_of_hire"] = quality_of_hire(applicants)
    applicants["after_warmup"] = after_warmup(applicants["arrived_day"], warmup_days)
    applicants["case_id"] = case_ids(cell, rep, applicants)

    events = pd.DataFrame.from_records(records.events, columns=Event._fields)
    lookup = np.empty(len(applicants), dtype=object)
    lookup[applicants["case"].to_numpy(dtype=np.int64)] = applicants["case_id"].to_numpy()
    events.insert(0, "case:concept:name", lookup[events["case"].to_numpy(dtype=np.int64)])
    events = events.rename(columns={"stage": "concept:name", "transition": "lifecycle:transition",
                                    "resource": "org:resource"})  # fmt: skip
    events["time:timestamp"] = timestamps(start_date, events["time_days"].to_numpy(dtype=float))

    team = pd.DataFrame.from_records(records.levels, columns=Level._fields)
    team["capacity"] = team["resource"].map(records.capacity)
    # the level each team member ends the run at, so time-weighted means span the whole run
    ends = pd.DataFrame({"time_days": records.end_day, "resource": list(records.capacity),
                         "busy": np.nan, "queue": np.nan,
                         "capacity": list(records.capacity.values())})  # fmt: skip
    team = pd.concat([team, ends], ignore_index=True) if len(team) else ends

    requisitions = requisition_table(records, start_date, calendar, warmup_days)
    tables = {"applicants": applicants, "events": events, "team_levels": team,
              "requisitions": requisitions}  # fmt: skip
    columns = {
        "applicants": APPLICANT_COLUMNS,
        "events": EVENT_COLUMNS,
        "team_levels": TEAM_COLUMNS,
        "requisitions": REQUISITION_COLUMNS,
    }
    for name, frame in tables.items():
        frame["scenario"] = scenario_name
        frame["cell"] = cell
        frame["replication"] = rep
        for path, value in (swept or {}).items():
            frame[path] = value
        tables[name] = frame[columns[name] + list(swept or {})]
    return tables


def concat(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
