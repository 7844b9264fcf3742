"""Where the days go: each stage's time split into waiting, queueing and working.

For one visit of a candidate to a stage (`sim.analysis.timelines`: first `schedule`, first
`assign`, first `start`, last `complete`):

- **waiting**: no one working on the candidate: from entering the stage (`schedule`) to its
  work being asked of a team member (`assign`: the stage's own `wait`, a pool gathering, a
  committee's docket, the line for an opening), and, with a calendar, from the person taking it
  (`granted`) to their working hours (`start`); where no team member works on the stage,
  everything from entering to the work starting;
- **queueing**: from `assign` to `granted`: waiting for a person busy with other candidates;
- **working**: from `start` to `complete` (calendar days, nights included with a calendar).

A stage visited several times (negotiation rounds) counts its first round's waiting and
queueing, and from its first round's start to its last round's completion as working. The
follow-up's waiting leaves out the second interview (a stage of its own, inside the
follow-up). Days between one stage's completion and the next one's entry (the shortlist's
reserve) count as waiting at the stage before.

`journey_split` adds these up along whole journeys, so that they sum to a time: for the
**typical offered candidate** (those whose time to offer lies between its 40th and 60th
percentile: `BAND`) per stage the mean days from the interview to the offer, summing to their
mean time to offer; and for the **typical filled requisition** (time to fill in the same band),
the same from the requisition opening to the acceptance that filled it, with the days before
that hire's interview as `search`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.scenario.stages import JOURNEY

PARTS = ("waiting", "queueing", "working")
BAND = (0.4, 0.6)
"""The quantiles of time to offer (or to fill) between which journeys count as typical."""
SEARCH = "search"
"""The part of a time to fill before the hire's interview (a pseudo-stage of the split)."""
SECOND, FOLLOW_UP = "second_interview", "follow_up"
ORDER = tuple(s for s in JOURNEY if s != SECOND)
ORDER = (*ORDER[: ORDER.index(FOLLOW_UP)], SECOND, *ORDER[ORDER.index(FOLLOW_UP):])
"""The stages in the order a journey's days pass: the second interview before the rest of the
follow-up (its line and the offer's work)."""
STAGE_MEANS = tuple(f"mean_{part}_days" for part in PARTS)
"""The `stages` table's per-visit means, over every visit that started its work."""
OFFER_SPLIT = tuple(f"offer_{part}_days" for part in PARTS)
FILL_SPLIT = tuple(f"fill_{part}_days" for part in PARTS)
SPLIT_COLUMNS = (*STAGE_MEANS, *OFFER_SPLIT, *FILL_SPLIT, "fill_search_days",
                 "offer_typical_candidates", "fill_typical_requisitions")  # fmt: skip
"""The `stages` table's columns of the split, after `sim.analysis.breakdowns.STAGE_TIMES`."""
SPLIT_DTYPES = {c: "int64" if c.endswith(("candidates", "requisitions")) else "float64"
                for c in SPLIT_COLUMNS}  # fmt: skip


def visit_parts(visits: pd.DataFrame) -> pd.DataFrame:
    """`visits` with `waiting`, `queueing` and `working` days per visit (NaN where the visit
    never got that far). Visits without `assign` / `granted` columns (or NaN there: no team
    member works on the stage) count everything before the work as waiting."""
    schedule, start = visits["schedule"], visits["start"]
    nothing = pd.Series(np.nan, index=visits.index)
    asked = visits["assign"] if "assign" in visits.columns else nothing
    granted = visits["granted"] if "granted" in visits.columns else nothing
    asked = asked.where(asked.notna() & granted.notna())
    queueing = (granted - asked).fillna(0.0).where(start.notna())
    waiting = start - schedule - queueing
    return visits.assign(waiting=waiting, queueing=queueing, working=visits["complete"] - start)


def stage_means(visits: pd.DataFrame) -> pd.DataFrame:
    """Per cell and stage, the mean waiting, queueing and working days over the visits whose
    work started (waiting + queueing = `mean_wait_days`), as `STAGE_MEANS`.

    From the columns as arrays, into one frame of the keys (the stage as a categorical) and
    the three parts: a big run has millions of visits, and copies of the whole visits table
    (its candidates' names above all) were the peak of its memory."""
    def column(name: str) -> np.ndarray:
        if name not in visits.columns:
            return np.full(len(visits), np.nan)
        return visits[name].to_numpy(dtype=float)

    schedule, start, complete = column("schedule"), column("start"), column("complete")
    asked, granted = column("assign"), column("granted")
    queueing = np.where(np.isnan(asked) | np.isnan(granted), 0.0, granted - asked)
    queueing = np.where(np.isnan(start), np.nan, queueing)
    parts = pd.DataFrame({
        "cell": visits["cell"].to_numpy(), "stage": pd.Categorical(visits["stage"]),
        "waiting": start - schedule - queueing, "queueing": queueing,
        "working": complete - start,
    })  # fmt: skip
    keys = ["cell", "stage"]  # waiting and queueing are NaN where the work never started
    means = parts.groupby(keys, observed=True)[list(PARTS)].mean()
    means = means.reset_index().astype({"stage": str}).set_index(keys)
    return means.rename(columns=dict(zip(PARTS, STAGE_MEANS, strict=True)))


def journeys(visits: pd.DataFrame, ends: pd.Series) -> pd.DataFrame:
    """Per candidate (index: `case:concept:name`, as `ends`' index) and stage, the days of the
    journey from the first stage's entry to `ends` (a day per candidate) split into `PARTS`:
    one row per candidate and stage visited before the end, gaps between stages counted as
    waiting at the stage before. Sums per candidate to `ends` less the first entry."""
    ends = ends.astype(float)
    rows = visits[visits["case:concept:name"].isin(ends.index)]
    if rows.empty:
        return pd.DataFrame({"case:concept:name": pd.Series(dtype=object),
                             "stage": pd.Series(dtype=object),
                             **{part: pd.Series(dtype=float) for part in PARTS}})  # fmt: skip
    end = rows["case:concept:name"].map(ends).astype(float)
    rows = rows[rows["schedule"] < end].copy()
    end = end.loc[rows.index]
    # clip to the end: a stage still under way at the end counts up to it
    for column in ("assign", "granted", "start", "complete"):
        if column in rows.columns:
            rows[column] = rows[column].clip(upper=end)
    rows["start"] = rows["start"].fillna(end)  # still waiting at the end: waiting up to it
    rows["complete"] = rows["complete"].fillna(end)
    rows = visit_parts(rows)
    second = rows["stage"] == SECOND
    inside = (rows.loc[second, "complete"] - rows.loc[second, "schedule"]).groupby(
        rows.loc[second, "case:concept:name"]).sum()  # fmt: skip
    follow = rows["stage"] == FOLLOW_UP
    if follow.any() and len(inside):
        nested = rows.loc[follow, "case:concept:name"].map(inside).astype(float).fillna(0.0)
        rows.loc[follow, "waiting"] -= nested.to_numpy()
    chain = rows[~second].sort_values(["case:concept:name", "schedule"], kind="stable")
    following = chain.groupby("case:concept:name")["schedule"].shift(-1)
    following = following.fillna(chain["case:concept:name"].map(ends))
    gap = (following - chain["complete"]).clip(lower=0.0)
    rows.loc[chain.index, "waiting"] += gap
    return rows[["case:concept:name", "stage", *PARTS]]


def typical(values: pd.Series) -> pd.Series:
    """The values between their `BAND` quantiles (at least the one nearest the median)."""
    values = values.dropna()
    if values.empty:
        return values
    low, high = values.quantile(BAND[0]), values.quantile(BAND[1])
    inside = values[(values >= low) & (values <= high)]
    if inside.empty:
        inside = values.iloc[[(values - values.median()).abs().argmin()]]
    return inside


def _mean_split(parts: pd.DataFrame, count: int, columns) -> pd.DataFrame:
    """Per stage, the sum of each part over `count` journeys divided by `count` (a stage not
    visited counts 0), renamed to `columns`."""
    totals = parts.groupby("stage")[list(PARTS)].sum() / max(count, 1)
    return totals.rename(columns=dict(zip(PARTS, columns, strict=True)))


def journey_split(
    applicants: pd.DataFrame, visits: pd.DataFrame, requisitions: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, dict]:
    """For one cell: (per stage the typical offered candidate's and typical filled
    requisition's mean days `OFFER_SPLIT` and `FILL_SPLIT`, {"fill_search_days",
    "offer_typical_candidates", "fill_typical_requisitions"}). `applicants` and `requisitions`
    as counted (after any warm-up); `visits` with `assign` (`sim.simulate`'s)."""
    offered = applicants.dropna(subset=["offer_day"]).set_index("case_id")  # unique ids
    band = typical(offered["time_to_offer_days"])
    ends = offered.loc[band.index, "offer_day"]
    offer = _mean_split(journeys(visits, ends), len(ends), OFFER_SPLIT)
    extra = {"fill_search_days": np.nan, "offer_typical_candidates": len(ends),
             "fill_typical_requisitions": 0}  # fmt: skip
    fill = pd.DataFrame(columns=list(FILL_SPLIT), dtype=float)
    if requisitions is not None and len(requisitions):
        hires = filling_hires(applicants, requisitions)
        if len(hires):
            band = typical(hires["time_to_fill_days"])
            hires = hires.loc[band.index]
            ends = pd.Series(hires["filled_day"].to_numpy(), index=hires["case_id"].to_numpy())
            fill = _mean_split(journeys(visits, ends), len(ends), FILL_SPLIT)
            extra["fill_search_days"] = float((hires["arrived_day"] - hires["opened_day"]).mean())
            extra["fill_typical_requisitions"] = len(hires)
    return offer.join(fill, how="outer"), extra


def filling_hires(applicants: pd.DataFrame, requisitions: pd.DataFrame) -> pd.DataFrame:
    """Per filled requisition (one replication's or several), the candidate whose acceptance
    filled it: the last offered, at or before `filled_day`, of those hired or still onboarding;
    with `case_id`, `arrived_day`, `opened_day`, `filled_day` and `time_to_fill_days`."""
    filled = requisitions[requisitions["filled_day"].notna()]
    keys = ["replication", "requisition"]
    kept = applicants[applicants["offer_day"].notna()
                      & applicants["outcome"].isin(["hired", "in_process"])]  # fmt: skip
    joined = kept.merge(filled[[*keys, "opened_day", "filled_day", "time_to_fill_days"]], on=keys)
    joined = joined[joined["offer_day"] <= joined["filled_day"]]
    last = joined.sort_values("offer_day", kind="stable").groupby(keys).tail(1)
    return last.reset_index(drop=True)


def with_split(
    stages: pd.DataFrame,
    applicants: pd.DataFrame,
    visits: pd.DataFrame,
    requisitions: pd.DataFrame | None = None,
    warmup_days: float = 0.0,
) -> pd.DataFrame:
    """The `stages` table (`sim.analysis.breakdowns.stage_table`) with `SPLIT_COLUMNS`: per
    stage the mean waiting / queueing / working per visit, and the typical offered candidate's
    and filled requisition's split (`journey_split`); `fill_search_days` and the two counts are
    the cell's, the same on each of its rows. Of the candidates (and requisitions) counted
    after `warmup_days`."""
    out = stages.copy()
    for column in SPLIT_COLUMNS:
        out[column] = np.nan
    if stages.empty or visits.empty:
        return out.astype(SPLIT_DTYPES)
    if warmup_days > 0:
        applicants = applicants[applicants["arrived_day"] >= warmup_days]
        visits = visits[visits["case:concept:name"].isin(applicants["case_id"])]
        if requisitions is not None and len(requisitions):
            requisitions = requisitions[requisitions["opened_day"] >= warmup_days]
    means = stage_means(visits)
    for cell, rows in out.groupby("cell", sort=False):
        mine, people = of_cell(visits, cell), of_cell(applicants, cell)
        reqs = None if requisitions is None else requisitions[requisitions["cell"] == cell]
        split, extra = journey_split(people, mine, reqs)
        for index, stage in rows["stage"].items():
            for column in STAGE_MEANS:
                out.at[index, column] = means[column].get((cell, stage), np.nan)
            for column in (*OFFER_SPLIT, *FILL_SPLIT):
                value = split[column].get(stage, 0.0) if column in split else 0.0
                out.at[index, column] = 0.0 if pd.isna(value) else value
            for name, value in extra.items():
                out.at[index, name] = value
    counts = [name for name, dtype in SPLIT_DTYPES.items() if dtype == "int64"]
    out[counts] = out[counts].fillna(0)
    return out.astype(SPLIT_DTYPES)


def of_cell(table: pd.DataFrame, cell: int) -> pd.DataFrame:
    """The rows of `cell`: `table` itself, not a copy, when they are all of it (one cell)."""
    mine = table["cell"].to_numpy() == cell
    return table if mine.all() else table[mine]


def where_the_days_go(stages: pd.DataFrame, cell: int = 0) -> pd.DataFrame:
    """One cell's split as rows to draw: `measure` ("offer" or "fill"), `stage` (`ORDER`;
    `search` first for the fill), and `PARTS`; the stages with no days left out."""
    rows = stages[stages["cell"] == cell]
    out = []
    for measure, columns in (("offer", OFFER_SPLIT), ("fill", FILL_SPLIT)):
        if measure == "fill" and rows["fill_search_days"].notna().any():
            out.append((measure, SEARCH, float(rows["fill_search_days"].iloc[0]), 0.0, 0.0))
        order = sorted(rows.index, key=lambda i: ORDER.index(rows.at[i, "stage"]))
        for index in order:
            values = [float(rows.at[index, c]) for c in columns]
            if np.nansum(values) > 0:
                out.append((measure, rows.at[index, "stage"], *values))
    return pd.DataFrame(out, columns=["measure", "stage", *PARTS])
