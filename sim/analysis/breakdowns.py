"""Where time goes and where candidates are lost: the stage and team tables.

- `stage_table`: per cell and stage, candidates entering, passing, rejected, withdrawing,
  declining and still there at the horizon; mean wait (entering to the work starting: any `wait`
  plus queueing) and mean service (work starting to completing), in days.
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
from sim.analysis.timelines import level_steps, stage_visits, time_weighted
from sim.scenario.stages import JOURNEY

STAGES = list(JOURNEY)
LOSSES = ("rejected", "withdrew", "declined", "in_process")


STAGE_COUNTS = ("entered", "passed", *LOSSES)
STAGE_TIMES = ("lost_share", "mean_wait_days", "mean_service_days")
TEAM_STATISTICS = [f"{name}{end}" for name in ("utilisation", "mean_queue_length")
                   for end in ("", "_ci_low", "_ci_high")]  # fmt: skip


def _no_rows(swept: list[str], columns: list[str], floats=(), ints=()) -> pd.DataFrame:
    """An empty table with `columns`: the keys as objects, counts int, statistics float."""
    dtypes = {"cell": "int64", **dict.fromkeys(ints, "int64"), **dict.fromkeys(floats, "float64")}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, object)) for c in columns})


def stage_table(
    applicants: pd.DataFrame,
    events: pd.DataFrame,
    swept: list[str],
    cell: dict | None = None,
    warmup_days: float = 0.0,
) -> pd.DataFrame:
    """Per cell and stage: the funnel counts, where candidates leave, and mean wait/service;
    with `warmup_days`, of the candidates arriving at or after it only.

    No candidate ever entering a stage gives the table's columns and no rows (`cell`, the
    {"scenario", "cell", **swept values} of the cell, is accepted for symmetry with
    `sim.analysis.summaries.summarise`).
    """
    columns = ["scenario", "cell", *swept, "stage", *STAGE_COUNTS, *STAGE_TIMES]
    if warmup_days > 0 and not applicants.empty:
        applicants = applicants[after_warmup(applicants["arrived_day"], warmup_days)]
        if not events.empty:
            events = events[events["case:concept:name"].isin(applicants["case_id"])]
    if events.empty or applicants.empty or not events["concept:name"].isin(STAGES).any():
        return _no_rows(swept, columns, floats=STAGE_TIMES, ints=STAGE_COUNTS)
    visits = stage_visits(events)
    visits["wait_days"] = visits["start"] - visits["schedule"]
    visits["service_days"] = visits["complete"] - visits["start"]
    by = ["cell", "stage"]
    timing = visits.groupby(by).agg(
        entered=("case:concept:name", "size"),
        mean_wait_days=("wait_days", "mean"),
        mean_service_days=("service_days", "mean"),
    )
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
    return table[columns].reset_index(drop=True)


def team_table(
    levels: pd.DataFrame, swept: list[str], cell: dict | None = None, warmup_days: float = 0.0
) -> pd.DataFrame:
    """Per cell and team role: utilisation and mean queue length with 95% intervals,
    time-weighted over [warmup_days, end of the run].

    A role that never worked is utilised 0. No team levels at all give the table's columns and
    no rows (`cell` is accepted for symmetry with `sim.analysis.summaries.summarise`).
    """
    rows = []
    keys = ["scenario", "cell", *swept, "resource"]
    if levels.empty:
        return _no_rows(swept, [*keys, "capacity", *TEAM_STATISTICS], TEAM_STATISTICS, ["capacity"])
    # dropna=False: a swept value may be None (null in the YAML)
    for key, group in levels.groupby(keys, sort=False, dropna=False):
        per_rep = {"utilisation": [], "queue": []}
        capacity = float(group["capacity"].iloc[0])
        for _, rep in group.groupby("replication", sort=True):
            steps, end = level_steps(rep)
            times = steps["time_days"].to_numpy()
            busy = time_weighted(times, steps["busy"].to_numpy(), end, warmup_days)
            per_rep["utilisation"].append(busy / capacity if capacity else np.nan)
            queue = time_weighted(times, steps["queue"].to_numpy(), end, warmup_days)
            per_rep["queue"].append(queue)
        row = dict(zip(keys, key, strict=True))
        row["capacity"] = int(capacity)
        for name, column in (("utilisation", "utilisation"), ("queue", "mean_queue_length")):
            mean, low, high = t_interval(per_rep[name])
            row.update({column: mean, f"{column}_ci_low": low, f"{column}_ci_high": high})
        rows.append(row)
    return pd.DataFrame(rows)
