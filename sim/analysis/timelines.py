"""The records as timelines: the team's levels as step functions, candidates' stage visits as
spans of days. Computed once here for the tables (`sim.analysis.breakdowns`) and the charts of
one run (`sim.charts.team`, `sim.charts.journeys`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.scenario.stages import JOURNEY

VISIT_KEYS = ["cell", "replication", "case:concept:name", "stage"]
TRANSITIONS = ("schedule", "start", "complete")


def time_weighted(times: np.ndarray, values: np.ndarray, end: float, start: float = 0.0) -> float:
    """Mean over [start, end] of a step function that takes values[i] from times[i] (0 when
    the span has no length or no steps; before times[0] it is 0)."""
    if len(times) == 0 or end <= start:
        return 0.0
    edges = np.append(times, end)
    if start <= 0:
        return float(np.sum(values * np.diff(edges)) / end)
    edges = np.clip(edges, start, end)  # a step before `start` counts from `start`
    return float(np.sum(values * np.diff(edges)) / (end - start))


def steps(times: np.ndarray, *values: np.ndarray) -> tuple[np.ndarray, ...]:
    """`level_steps` on arrays: (times, *values, end day) of the steps, from one role's levels
    in one replication in the order recorded, the last one the end of the run."""
    order = np.argsort(times, kind="stable")
    times = times[order]
    last = np.append(times[1:] != times[:-1], True)  # several changes at one instant: the last
    times = times[last]
    kept = [v[order][last][:-1] for v in values]
    return (times[:-1], *kept, float(times[-1]))


CHART_STEPS = 10_000
"""The most level changes per role the charts of one run are given (`spread_levels`)."""


def spread_levels(columns: dict, end_day: float, spans: int = CHART_STEPS) -> dict:
    """Team levels (`Records.columns("levels")`: time_days, resource, busy, queue, in the
    order recorded) with each role that changed more than `spans` times given instead as its
    time-weighted mean busy and queue over `spans` equal spans of [0, end_day], one row at the
    start of each: what a chart of the run can show, with the same mean over the run."""
    codes = columns["resource"]
    roles, counts = np.unique(codes, return_counts=True)
    if not (counts > spans).any() or not end_day > 0:
        return columns
    parts = []
    edges = np.linspace(0.0, end_day, spans + 1)
    for role, count in zip(roles, counts, strict=True):
        mine = codes == role
        part = {name: values[mine] for name, values in columns.items()}
        if count > spans:
            times = part["time_days"]
            part = {"time_days": edges[:-1], "resource": np.full(spans, role, dtype=codes.dtype),
                    **{name: _span_means(times, part[name].astype(float), edges)
                       for name in ("busy", "queue")}}  # fmt: skip
        parts.append(part)
    merged = {name: np.concatenate([p[name] for p in parts]) for name in columns}
    order = np.argsort(merged["time_days"], kind="stable")
    return {name: values[order] for name, values in merged.items()}


def _span_means(times: np.ndarray, values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """The mean of a step function (values[i] from times[i], 0 before times[0]) over each span
    between consecutive `edges`."""
    area = np.concatenate([[0.0], np.cumsum(values[:-1] * np.diff(times))])  # to each step
    at = np.searchsorted(times, edges, side="right") - 1  # the step in force at each edge
    inside = at >= 0
    step = np.clip(at, 0, None)
    total = np.where(inside, area[step] + values[step] * (edges - times[step]), 0.0)
    return np.diff(total) / np.diff(edges)


def level_steps(levels: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """One team role's levels in one replication as steps: (rows, end day).

    Each row holds from its `time_days` until the next; several changes at one instant leave
    the last one. The table's last row (busy and queue empty) marks the end of the run.
    """
    rows = levels.sort_values("time_days", kind="stable")
    rows = rows.drop_duplicates("time_days", keep="last")
    return rows.iloc[:-1], float(rows["time_days"].iloc[-1])


def stage_spans(events: pd.DataFrame) -> pd.DataFrame:
    """One row per visit of a candidate to a stage: `cell, replication, case:concept:name,
    stage, visit` (0, 1, ...: a negotiation's rounds are visits) and the days it was
    `schedule`d, `start`ed and `complete`d (NaN where it never got there).

    `events` in the order recorded (time order within each replication): a stage's n-th
    schedule, n-th start and n-th complete make its n-th visit (its `assign` rows are left
    out: the journeys chart shades everything before the work alike). Rows in order of
    scheduling.
    """
    stages = events[events["concept:name"].isin(JOURNEY)]
    if stages.empty:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in [*VISIT_KEYS, "visit",
                                                                  *TRANSITIONS]})  # fmt: skip
    keys = ["cell", "replication", "case:concept:name", "concept:name"]
    visit = stages.groupby([*keys, "lifecycle:transition"], sort=False).cumcount()
    times = stages.assign(visit=visit).groupby([*keys, "visit", "lifecycle:transition"],
                                               sort=False)["time_days"]  # fmt: skip
    spans = times.first().unstack("lifecycle:transition")
    spans = spans.reindex(columns=list(TRANSITIONS))
    spans.columns.name = None
    return spans.reset_index().rename(columns={"concept:name": "stage"})


def stage_visits(events: pd.DataFrame) -> pd.DataFrame:
    """One row per candidate and stage: first schedule, first start, last complete (days).

    (The visits `sim.simulate` returns have `assign` and `granted` columns too: the first
    instant the stage's work was asked of a team member and the first one took it, from
    `Records.assigns`; the log has the first as its `assign` rows, not the second.)
    """
    spans = stage_spans(events)
    return (
        spans.groupby(VISIT_KEYS, sort=False)
        .agg(schedule=("schedule", "min"), start=("start", "min"), complete=("complete", "max"))
        .reset_index()
    )


def visit_arrays(
    case: np.ndarray,
    stage: np.ndarray,
    transition: np.ndarray,
    time_days: np.ndarray,
    stages: np.ndarray,
    codes: tuple[int, int, int],
) -> tuple[np.ndarray, ...]:
    """`stage_visits` on one replication's events as arrays (stage and transition as integer
    codes; `stages`: the codes of the journey's stages; `codes`: those of schedule, start and
    complete): (case, stage, schedule, start, complete), one per candidate and stage, in the
    order of their first event."""
    keep = np.isin(stage, stages)
    case, stage, transition, time_days = case[keep], stage[keep], transition[keep], time_days[keep]
    width = int(stage.max()) + 1 if len(stage) else 1
    key = case.astype(np.int64) * width + stage
    unique, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # pairs in order of their first event
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    inverse = rank[inverse.ravel()]
    out = []
    for code, ufunc, start in zip(codes, (np.minimum, np.minimum, np.maximum),
                                  (np.inf, np.inf, -np.inf), strict=True):  # fmt: skip
        rows = transition == code
        times = np.full(len(unique), start)
        ufunc.at(times, inverse[rows], time_days[rows])
        seen = np.bincount(inverse[rows], minlength=len(unique)) > 0
        out.append(np.where(seen, times, np.nan))
    firsts = first[order]
    return (case[firsts], stage[firsts], *out)


def first_assigns(
    case: np.ndarray, stage: np.ndarray, assigns: list[tuple[np.ndarray, ...]]
) -> tuple[np.ndarray, np.ndarray]:
    """Per visit (`case`, `stage`, as `merge_visits` gives them), (the first instant its work
    was asked of a team member, the first instant one took it): the earliest of `assigns`
    ((case, stage, asked, granted) arrays, `assign_arrays`, one per chunk) for that candidate
    and stage; NaN for a stage no team member works on (or that never got that far)."""
    out = np.full(len(case), np.nan), np.full(len(case), np.nan)
    parts = [part for part in assigns if len(part[0])]
    if not parts or not len(case):
        return out
    acase, astage, *times = (np.concatenate(arrays) for arrays in zip(*parts, strict=True))
    width = int(max(stage.max(), astage.max())) + 1
    order, unique, starts = _runs(acase.astype(np.int64) * width + astage)
    del acase, astage
    keys = case.astype(np.int64) * width + stage
    at = np.clip(np.searchsorted(unique, keys), 0, len(unique) - 1)
    found = unique[at] == keys
    for values, into in zip(times, out, strict=True):
        into[found] = np.minimum.reduceat(values[order], starts)[at[found]]
    return out


def _runs(key: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(order, unique, starts): a stable sort of `key`, its distinct values (ascending), and
    where each one's run begins in the sorted order; `order[starts]` is each value's first
    position. What `np.unique(key, return_index=True, return_inverse=True)` gives a reduction,
    without the inverse and the copies it takes (a run of a million candidates has millions
    of visits)."""
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    starts = np.flatnonzero(np.diff(ordered, prepend=ordered[:1] - 1))
    return order, ordered[starts], starts


def assign_arrays(columns) -> tuple[np.ndarray, ...]:
    """(case, stage, asked, granted) of `Records.columns("assigns")` (or a chunk of them)."""
    return columns["case"], columns["stage"], columns["time_days"], columns["granted_days"]


def merge_visits(parts: list[tuple[np.ndarray, ...]]) -> tuple[np.ndarray, ...]:
    """`visit_arrays` of consecutive chunks of one replication's events, as those of the whole:
    a candidate's visits to a stage in several chunks become one (the earliest schedule and
    start, the latest complete), in the order of their first event."""
    if len(parts) == 1:
        return parts[0]
    case, stage, *times = (np.concatenate(arrays) for arrays in zip(*parts, strict=True))
    width = int(stage.max()) + 1 if len(stage) else 1
    order, _, starts = _runs(case.astype(np.int64) * width + stage)
    first = order[starts]
    by_first = np.argsort(first, kind="stable")  # pairs in order of their first event
    out = [ufunc.reduceat(values[order], starts)[by_first]  # NaN gives way to a time
           for values, ufunc in zip(times, (np.fmin, np.fmin, np.fmax), strict=True)]  # fmt: skip
    firsts = first[by_first]
    return (case[firsts], stage[firsts], *out)
