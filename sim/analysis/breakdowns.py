"""Where time goes and where candidates are lost: the stage and team tables.

- `stage_table`: per cell and stage, candidates entering, passing, rejected, withdrawing,
  declining and still there at the horizon; mean wait (entering to the work starting: any `wait`
  plus queueing) and mean service (work starting to completing), in days; and the columns of
  where the days go, which `sim.analysis.waits.with_split` fills (a run does).
- `team_table`: per cell and team role, time-weighted utilisation (busy people / capacity) and
  mean queue length, each a mean across replications with a 95% t-interval.
The stage visits and the time-weighted levels they start from are `sim.analysis.timelines`'s,
the same the charts of one run draw.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.summaries import t_interval
from sim.analysis.tables import after_warmup
from sim.analysis.timelines import (
    TRANSITIONS,
    VISIT_KEYS,
    stage_visits,
    steps,
    time_weighted,
)
from sim.analysis.waits import SPLIT_COLUMNS, SPLIT_DTYPES
from sim.scenario.stages import JOURNEY

STAGES = list(JOURNEY)
LOSSES = ("rejected", "withdrew", "declined", "in_process")


STAGE_COUNTS = ("entered", "passed", *LOSSES)
STAGE_TIMES = ("lost_share", "mean_wait_days", "mean_service_days")
STAGE_SPLIT = tuple(c for c in SPLIT_COLUMNS if SPLIT_DTYPES[c] == "float64")
SPLIT_COUNTS = tuple(c for c in SPLIT_COLUMNS if SPLIT_DTYPES[c] == "int64")
TEAM_STATISTICS = [f"{name}{end}" for name in ("utilisation", "mean_queue_length")
                   for end in ("", "_ci_low", "_ci_high")]  # fmt: skip


def _no_rows(swept: list[str], columns: list[str], floats=(), ints=()) -> pd.DataFrame:
    """An empty table with `columns`: the keys as objects, counts int, statistics float."""
    dtypes = {"cell": "int64", **dict.fromkeys(ints, "int64"), **dict.fromkeys(floats, "float64")}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, object)) for c in columns})


def stage_table(
    applicants: pd.DataFrame,
    visits: pd.DataFrame,
    swept: list[str],
    cell: dict | None = None,
    warmup_days: float = 0.0,
) -> pd.DataFrame:
    """Per cell and stage: the funnel counts, where candidates leave, and mean wait/service;
    with `warmup_days`, of the candidates arriving at or after it only.

    `visits`: the stage visits (`sim.analysis.timelines.stage_visits`, as `sim.simulate`
    returns them under "visits"), or the events table they come from. No candidate ever
    entering a stage gives the table's columns and no rows (`cell`, the
    {"scenario", "cell", **swept values} of the cell, is accepted for symmetry with
    `sim.analysis.summaries.summarise`).
    """
    columns = ["scenario", "cell", *swept, "stage", *STAGE_COUNTS, *STAGE_TIMES, *SPLIT_COLUMNS]
    if "concept:name" in visits.columns:  # the events
        events = visits
        if events.empty or not events["concept:name"].isin(STAGES).any():
            visits = pd.DataFrame(columns=[*VISIT_KEYS, *TRANSITIONS])
        else:
            visits = stage_visits(events)
    if warmup_days > 0 and not applicants.empty and not visits.empty:
        applicants = applicants[after_warmup(applicants["arrived_day"], warmup_days)]
        visits = visits[visits["case:concept:name"].isin(applicants["case_id"])]
    if visits.empty or applicants.empty:
        return _no_rows(swept, columns, floats=(*STAGE_TIMES, *STAGE_SPLIT),
                        ints=(*STAGE_COUNTS, *SPLIT_COUNTS))  # fmt: skip
    # only the keys (the stage a categorical) and the two times: a big run has millions of
    # visits, and a copy of the whole visits table was the peak of its memory
    start = visits["start"].to_numpy(dtype=float)
    times = pd.DataFrame({
        "cell": visits["cell"].to_numpy(), "stage": pd.Categorical(visits["stage"]),
        "wait_days": start - visits["schedule"].to_numpy(dtype=float),
        "service_days": visits["complete"].to_numpy(dtype=float) - start,
    })  # fmt: skip
    by = ["cell", "stage"]
    timing = times.groupby(by, observed=True).agg(
        entered=("wait_days", "size"),
        mean_wait_days=("wait_days", "mean"),
        mean_service_days=("service_days", "mean"),
    )
    timing = timing.reset_index().astype({"stage": str}).set_index(by)
    exits = applicants.groupby(["cell", "exit_stage", "outcome"]).size().unstack(fill_value=0)
    exits = exits.reindex(columns=list(LOSSES), fill_value=0)
    exits.index = exits.index.set_names(by)
    table = timing.join(exits, how="left").fillna({loss: 0 for loss in LOSSES})
    table[list(LOSSES)] = table[list(LOSSES)].astype(int)
    table["passed"] = table["entered"] - table[list(LOSSES)].sum(axis=1)
    table["lost_share"] = (table["withdrew"] + table["declined"]) / table["entered"]
    table = table.reset_index()
    table["order"] = table["stage"].map({s: i for i, s in enumerate(STAGES)})
    table = table.sort_values(["cell", "order"]).drop(columns="order")
    cells = applicants.drop_duplicates("cell").set_index("cell")[["scenario", *swept]]
    table = table.join(cells, on="cell")
    for column in SPLIT_COLUMNS:  # `sim.analysis.waits.with_split` fills them, as a run does
        table[column] = 0 if column in SPLIT_COUNTS else np.nan
    return table[columns].reset_index(drop=True)


USAGE = ["replication", "capacity", "utilisation", "mean_queue_length"]


def team_usage(levels: pd.DataFrame, swept: list[str], warmup_days: float = 0.0) -> pd.DataFrame:
    """Per cell, team role and replication: the role's time-weighted utilisation (busy people /
    capacity; NaN without capacity) and mean queue length over [warmup_days, end of the run],
    from the team_levels table. `sim.simulate` returns the same under "team_usage"."""
    keys = ["scenario", "cell", *swept, "resource"]
    rows = []
    # dropna=False: a swept value may be None (null in the YAML)
    for key, group in levels.groupby(keys, sort=False, dropna=False):
        capacity = float(group["capacity"].iloc[0])
        for replication, rep in group.groupby("replication", sort=True):
            times, busy, queue, end = steps(rep["time_days"].to_numpy(dtype=float),
                                            rep["busy"].to_numpy(dtype=float),
                                            rep["queue"].to_numpy(dtype=float))  # fmt: skip
            utilisation = time_weighted(times, busy, end, warmup_days)
            rows.append((*key, replication, int(capacity),
                         utilisation / capacity if capacity else np.nan,
                         time_weighted(times, queue, end, warmup_days)))  # fmt: skip
    return pd.DataFrame(rows, columns=[*keys, *USAGE])


def team_table(
    levels: pd.DataFrame, swept: list[str], cell: dict | None = None, warmup_days: float = 0.0
) -> pd.DataFrame:
    """Per cell and team role: utilisation and mean queue length with 95% intervals across
    replications, time-weighted over [warmup_days, end of the run].

    `levels`: the team_levels table, or its `team_usage` (per replication; already over
    [warmup_days, end], so `warmup_days` is not applied again). A role that never worked is
    utilised 0. No team levels at all give the table's columns and no rows (`cell` is accepted
    for symmetry with `sim.analysis.summaries.summarise`).
    """
    keys = ["scenario", "cell", *swept, "resource"]
    if levels.empty:
        return _no_rows(swept, [*keys, "capacity", *TEAM_STATISTICS], TEAM_STATISTICS, ["capacity"])
    usage = levels if "utilisation" in levels.columns else team_usage(levels, swept, warmup_days)
    rows = []
    for key, group in usage.groupby(keys, sort=False, dropna=False):
        group = group.sort_values("replication", kind="stable")
        row = dict(zip(keys, key, strict=True))
        row["capacity"] = int(group["capacity"].iloc[0])
        for column in ("utilisation", "mean_queue_length"):
            mean, low, high = t_interval(list(group[column]))
            row.update({column: mean, f"{column}_ci_low": low, f"{column}_ci_high": high})
        rows.append(row)
    return pd.DataFrame(rows)
