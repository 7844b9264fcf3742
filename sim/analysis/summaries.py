"""Statistics across replications, with 95% confidence intervals.

Replications are the independent units; the candidates inside one are not independent of each
other (they share a team and a requisition). So every estimate pools the candidates of all
replications, and every interval treats replications as clusters:
- mean: the pooled mean (total days / candidates) with a t-interval from the between-replication
  variance of the ratio (the cluster, or delta-method, variance; R - 1 degrees of freedom). With
  the same number of candidates per replication this is the t-interval of replication means.
- median and p90: the pooled quantile with a percentile bootstrap that resamples whole
  replications (2,000 resamples from a fixed seed, so a summary is reproducible).
- time to fill: the requisitions' Kaplan-Meier median and p90 (`sim.analysis.survival`), with
  the same bootstrap.
- cost and hours per hire: the requisitions' sums over the hires, a ratio with the mean's
  clustered interval (`sim.analysis.costs`; costs NaN without a scenario's `costs`).
Intervals are NaN with fewer than two replications that saw the event.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from sim.analysis.metrics import BUSINESS_TIMES, QUANTILES, SUMMARY_TIMES
from sim.analysis.survival import FILL_COLUMNS, fill_statistics
from sim.analysis.tables import after_warmup
from sim.scenario.stages import OUTCOMES

CONFIDENCE = 0.95
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 20261126


@functools.lru_cache(maxsize=256)
def t_quantile(probability: float, df: int) -> float:
    """Student's t quantile (scipy.stats, imported on first use: about a second that a run
    whose summaries are made in worker processes need not spend in the parent)."""
    from scipy import stats

    return float(stats.t.ppf(probability, df))


def t_interval(values, confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """(mean, low, high) of independent observations; NaN bounds with fewer than two."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return np.nan, np.nan, np.nan
    mean = float(values.mean())
    if len(values) < 2:
        return mean, np.nan, np.nan
    half = t_quantile((1 + confidence) / 2, len(values) - 1) * values.std(ddof=1)
    return mean, mean - half / np.sqrt(len(values)), mean + half / np.sqrt(len(values))


def clustered_mean(groups: list[np.ndarray], confidence: float = CONFIDENCE):
    """(mean, low, high) of the pooled values of independent groups (replications)."""
    groups = [g for g in groups if len(g)]
    if not groups:
        return np.nan, np.nan, np.nan
    sums = np.array([g.sum() for g in groups])
    counts = np.array([len(g) for g in groups], dtype=float)
    mean = sums.sum() / counts.sum()
    r = len(groups)
    if r < 2:
        return float(mean), np.nan, np.nan
    residuals = (sums - mean * counts) / counts.mean()
    se = np.sqrt(np.sum(residuals**2) / (r * (r - 1)))
    half = t_quantile((1 + confidence) / 2, r - 1) * se
    return float(mean), float(mean - half), float(mean + half)


def clustered_quantile(groups: list[np.ndarray], q: float, confidence: float = CONFIDENCE):
    """(quantile, low, high) of the pooled values, bootstrapping whole groups."""
    groups = [g for g in groups if len(g)]
    if not groups:
        return np.nan, np.nan, np.nan
    point = float(np.quantile(np.concatenate(groups), q))
    if len(groups) < 2:
        return point, np.nan, np.nan
    low, high = bootstrap_quantile_interval(groups, q, confidence)
    return point, float(low), float(high)


def bootstrap_interval(groups: list[np.ndarray], estimate, confidence: float = CONFIDENCE):
    """(low, high): the percentile bootstrap interval of `estimate(pooled rows)` (a number, or
    an array of numbers bounded each on its own), resampling whole groups (replications):
    BOOTSTRAP_RESAMPLES resamples drawn from BOOTSTRAP_SEED."""
    picks = _bootstrap_picks(len(groups))
    estimates = [estimate(np.concatenate([groups[i] for i in pick])) for pick in picks]
    return percentile_bounds(estimates, confidence)


def _bootstrap_picks(count: int) -> np.ndarray:
    """The groups each resample draws: BOOTSTRAP_RESAMPLES rows of `count` indexes."""
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    return rng.integers(0, count, size=(BOOTSTRAP_RESAMPLES, count))


def bootstrap_weights(count: int) -> np.ndarray:
    """How many times each resample (row) draws each of `count` groups (column), in the
    order `bootstrap_interval` draws them."""
    picks = _bootstrap_picks(count)
    resamples = len(picks)
    return np.bincount((picks + count * np.arange(resamples)[:, None]).ravel(),
                       minlength=resamples * count).reshape(resamples, count)  # fmt: skip


def percentile_bounds(estimates, confidence: float = CONFIDENCE):
    """(low, high): the percentile interval of bootstrap `estimates` (along the first axis)."""
    alpha = (1 - confidence) / 2
    with np.errstate(invalid="ignore"):  # infinite estimates give an infinite or NaN bound
        low, high = np.quantile(estimates, [alpha, 1 - alpha], axis=0)
    return low, high


_CHUNK_CELLS = 1 << 20
"""At most this many (resample, group) cells in the fast quantile bootstrap's working arrays."""


def bootstrap_quantile_interval(groups: list[np.ndarray], q: float,
                                confidence: float = CONFIDENCE):  # fmt: skip
    """`bootstrap_interval(groups, lambda pooled: np.quantile(pooled, q), confidence)`, the same
    numbers, without concatenating the groups once per resample.

    A resample's pooled values are the multiset of each group's values taken as many times as
    the group was picked, so its order statistics come from the groups sorted once: the k-th
    smallest pooled value is the smallest value x with sum_g picks_g * #{group g <= x} > k, found
    by a binary search over the sorted values, all resamples at once. The interpolation between
    the order statistics at floor and floor + 1 of (n - 1) q is numpy's "linear" method, operation
    for operation, so every resample's estimate equals `np.quantile`'s. Memory: the sorted values
    (twice) and arrays of resamples x groups, whatever the number of values. Groups that are not
    all finite float64 values, or a q that is not a float, take the generic path."""
    groups = [np.asarray(g) for g in groups]
    finite = all(g.dtype == np.float64 and g.ndim == 1 and np.isfinite(g).all() for g in groups)
    if not (finite and isinstance(q, float)):  # (a float32 q would round np.quantile's index)
        return bootstrap_interval(groups, lambda pooled: np.quantile(pooled, q), confidence)
    return percentile_bounds(quantile_resamples(groups, q), confidence)


def quantile_resamples(groups: list[np.ndarray], q: float) -> np.ndarray:
    """Each bootstrap resample's `np.quantile(pooled, q)`, in the order `bootstrap_interval`
    draws them, for groups of finite float64 values (`bootstrap_quantile_interval`)."""
    q = np.asarray(q, dtype=float)
    weights = bootstrap_weights(len(groups))
    resamples, count = weights.shape
    ordered = [np.sort(g) for g in groups]
    values = np.sort(np.concatenate(ordered))
    sizes = np.array([len(g) for g in groups], dtype=np.int64)
    estimates = np.empty(resamples)
    step = max(1, _CHUNK_CELLS // (2 * count))
    for start in range(0, resamples, step):
        chunk = weights[start : start + step]
        n = chunk @ sizes
        virtual = (n - 1) * q  # numpy's "linear" method, as np.quantile computes it
        previous = np.floor(virtual)
        gamma = virtual - previous
        below = previous.astype(np.int64)
        above = np.where(virtual >= n - 1, n - 1, below + 1)
        below = np.where(virtual >= n - 1, n - 1, below)
        ranks = np.concatenate([below, above])
        a, b = np.split(values[_order_statistics(ordered, values, np.vstack([chunk, chunk]),
                                                 ranks)], 2)  # fmt: skip
        diff = b - a
        lerp = a + diff * gamma
        upper = gamma >= 0.5
        lerp[upper] = (b - diff * (1 - gamma))[upper]
        estimates[start : start + step] = lerp
    return estimates


def _order_statistics(ordered: list[np.ndarray], values: np.ndarray, weights: np.ndarray,
                      ranks: np.ndarray) -> np.ndarray:  # fmt: skip
    """For each row, the index in `values` (all groups' values, sorted) of the `ranks`-th
    smallest (from 0) of the multiset holding each group `ordered[g]` (sorted) `weights[row, g]`
    times: the first index j with sum_g weights[row, g] * #{ordered[g] <= values[j]} > rank."""
    low = np.zeros(len(ranks), dtype=np.int64)
    high = np.full(len(ranks), len(values) - 1, dtype=np.int64)
    while True:
        open_ = low < high
        if not open_.any():
            return low
        mid = (low + high) // 2
        x = values[mid]
        at_most = np.zeros(len(ranks), dtype=np.int64)
        for g, group in enumerate(ordered):
            at_most += weights[:, g] * np.searchsorted(group, x, side="right")
        beyond = at_most > ranks
        high = np.where(open_ & beyond, mid, high)
        low = np.where(open_ & ~beyond, mid + 1, low)


def _groups(applicants: pd.DataFrame, column: str) -> list[np.ndarray]:
    return [
        values.dropna().to_numpy(dtype=float)
        for _, values in applicants.groupby("replication", sort=True)[column]
    ]


def time_statistics(
    applicants: pd.DataFrame, column: str, statistics=("mean", *QUANTILES)
) -> dict[str, float]:
    """`column`'s `statistics` (mean, median and p90) with their intervals, as summary columns
    (named and described in `sim.analysis.metrics.SUMMARY`)."""
    groups = _groups(applicants, column)
    estimates = {}
    for name in statistics:
        estimates[name] = (clustered_mean(groups) if name == "mean"
                           else clustered_quantile(groups, QUANTILES[name]))  # fmt: skip
    row = {}
    for name, (point, low, high) in estimates.items():
        low = max(low, 0.0) if not np.isnan(low) else low  # days are never negative
        row[f"{column}_{name}"] = point
        row[f"{column}_{name}_ci_low"] = low
        row[f"{column}_{name}_ci_high"] = high
    return row


def summarise_cell(applicants: pd.DataFrame, replications: int) -> dict:
    """One summary row: counts per outcome, rates, and time statistics with intervals."""
    counts = applicants["outcome"].value_counts()
    offers = int(applicants["offer_day"].notna().sum())
    hired = int(counts.get("hired", 0))
    row = {"replications": replications, "candidates": len(applicants)}
    row.update({outcome: int(counts.get(outcome, 0)) for outcome in OUTCOMES})
    row["hires_per_replication"] = hired / replications
    row["offer_rate"] = offers / len(applicants) if len(applicants) else np.nan
    decided = offers - int((applicants["offer_day"].notna()
                            & (applicants["outcome"] == "in_process")).sum())  # fmt: skip
    row["acceptance_rate"] = hired / decided if decided else np.nan
    for column in SUMMARY_TIMES:
        row.update(time_statistics(applicants, column))
    point, low, high = clustered_mean(_groups(applicants, "quality_of_hire"))
    row.update({"quality_of_hire": point, "quality_of_hire_ci_low": low,
                "quality_of_hire_ci_high": high})  # fmt: skip
    for column, statistics in BUSINESS_TIMES.items():
        row.update(time_statistics(applicants, column, statistics))
    return row


EMPTY_APPLICANTS = ("replication", "outcome", "offer_day", "quality_of_hire", *SUMMARY_TIMES,
                    *BUSINESS_TIMES)


def summarise(
    applicants: pd.DataFrame,
    swept: list[str],
    replications: int,
    cell: dict | None = None,
    requisitions: pd.DataFrame | None = None,
    warmup_days: float = 0.0,
) -> pd.DataFrame:
    """The `summary` table: one row per sweep cell (one row in all without a sweep).

    `cell` ({"scenario", "cell", **swept values}) names the cell `applicants` belongs to, so a
    cell with no candidates at all still gets its row (counts 0, times NaN); without it, no
    candidates give a table with the columns and no rows. With the cells' `requisitions`, each
    row also gets the requisition columns (`sim.analysis.survival.FILL_COLUMNS`).

    With `warmup_days`, the steady state after it: only the candidates who arrived, and the
    requisitions that opened, at or after that day count (column `warmup_days` says which).
    """
    keys = ["scenario", "cell", *swept]
    if warmup_days > 0 and not applicants.empty:
        applicants = applicants[after_warmup(applicants["arrived_day"], warmup_days)]
        if requisitions is not None and len(requisitions):
            requisitions = requisitions[after_warmup(requisitions["opened_day"], warmup_days)]
    if applicants.empty:
        empty = pd.DataFrame({c: pd.Series(dtype=float) for c in EMPTY_APPLICANTS})
        row = {key: (cell or {}).get(key) for key in keys}
        frame = pd.DataFrame([{**row, **summarise_cell(empty, replications)}])
        frame = frame if cell is not None else frame.iloc[:0]
    else:
        rows = []
        for values, group in applicants.groupby(keys, sort=False, dropna=False):
            rows.append({**dict(zip(keys, values, strict=True)),
                         **summarise_cell(group, replications)})  # fmt: skip
        frame = pd.DataFrame(rows)
    if "warmup_days" not in frame.columns:  # else swept: a column of the cell's already
        frame.insert(frame.columns.get_loc("replications") + 1, "warmup_days", float(warmup_days))
    if requisitions is None:
        return frame
    fills = [fill_statistics(_of_cell(requisitions, index)) for index in frame["cell"]]
    extra = pd.DataFrame(fills or None, columns=FILL_COLUMNS, index=frame.index)
    from sim.analysis.costs import COST_SUMMARY, cost_statistics  # it imports this module

    costs = [cost_statistics(_of_cell(requisitions, index)) for index in frame["cell"]]
    costs = pd.DataFrame(costs or None, columns=COST_SUMMARY, index=frame.index)
    return pd.concat([frame, extra, costs], axis=1)


def _of_cell(requisitions: pd.DataFrame, cell) -> pd.DataFrame:
    if "cell" not in requisitions.columns:
        return requisitions
    return requisitions[requisitions["cell"] == cell]
