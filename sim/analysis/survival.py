"""Time to fill, with requisitions still open at the end of the run counted, not dropped.

A requisition unfilled when the run ends has been open `days_open` days and would fill later, if
ever: its time to fill is right-censored there. Leaving it out would make time to fill look
shorter than it is (the slow requisitions are the ones still open), so the median and p90 come
from the Kaplan-Meier estimate of the share of requisitions filled by each day, pooling every
replication's requisitions. A quantile is the first day that share reaches it (NaN when it
never does: more requisitions censored than the quantile leaves room for). Without censoring
this is the empirical quantile (the lower middle value of an even count for the median). The
intervals are the summary's bootstrap over whole replications
(`sim.analysis.summaries.bootstrap_interval`); a bound the resamples put beyond the last day
observed is NaN; every resample's estimate is computed at once from per-replication counts
(`km_resamples`), the same numbers as estimating each resample's pooled rows on its own.
`tests/test_requisitions.py` checks the estimate against `scipy.stats.ecdf`.
Time to fill in business days (`sim.analysis.business`) is estimated the same way from the
requisitions' `business_days_open`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.metrics import QUANTILES

FILL = "time_to_fill_days"
FILL_BUSINESS = "time_to_fill_business_days"
DURATIONS = {FILL: "days_open", FILL_BUSINESS: "business_days_open"}
"""Each time to fill the summary estimates, and the requisitions column of its duration (to
the fill, or censored at the end of the run)."""
FILL_COLUMNS = [
    "requisitions", "requisitions_filled", "requisitions_censored", "fill_rate",
    *(f"{fill}_{name}{end}" for fill in DURATIONS for name in QUANTILES
      for end in ("", "_ci_low", "_ci_high")),
]  # fmt: skip
"""The summary's requisition columns, in order (named and described in
`sim.analysis.metrics.SUMMARY`)."""
TOLERANCE = 1e-9  # a product of ratios lands a hair below a share it reaches exactly


def km_curve(times: np.ndarray, events: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Kaplan-Meier estimate of the share of events by each time: (the distinct event
    times, the share by each), `events` true where a duration ended in the event and false
    where it was censored there (a censoring at an event's time counts as still at risk)."""
    times, events = np.asarray(times, float), np.asarray(events, bool)
    event_times, counts = np.unique(times[events], return_counts=True)
    at_risk = len(times) - np.searchsorted(np.sort(times), event_times, side="left")
    return event_times, 1 - np.cumprod(1 - counts / at_risk)


def km_quantiles(pooled: np.ndarray, qs) -> np.ndarray:
    """The Kaplan-Meier quantiles `qs` of durations `pooled[:, 0]`, each an event when
    `pooled[:, 1]` is 1 and censored there when it is 0: for each q, the first event time by which
    the estimated share of events reaches q; NaN where it never does."""
    qs = np.asarray(qs, dtype=float)
    out = np.full(len(qs), np.nan)
    event_times, share = km_curve(pooled[:, 0], pooled[:, 1] > 0)
    if not len(event_times):
        return out
    index = np.searchsorted(share, qs - TOLERANCE, side="left")
    reached = index < len(share)
    out[reached] = event_times[index[reached]]
    return out


_CHUNK_CELLS = 1 << 22
"""At most this many (resample, event time) cells in `km_resamples`' working arrays."""


def km_resamples(groups: list[np.ndarray], qs, weights: np.ndarray) -> np.ndarray:
    """`km_quantiles` of every resample at once: row b is `km_quantiles` of the rows of
    `groups` (each an array of (duration, event) rows, one per replication) taken
    `weights[b, g]` times each, with NaN (never reached) as infinity.

    Over the event times of all groups, a resample's events and numbers at risk are the
    weighted sums of each group's, so one integer matrix product gives them for every
    resample; the event times a resample lacks have no events and multiply its curve by exactly
    1, so its quantiles are the same floating-point numbers as from its own rows."""
    qs = np.asarray(qs, dtype=float)
    rows = np.concatenate(groups)
    times = np.unique(rows[rows[:, 1] > 0, 0])
    out = np.full((len(weights), len(qs)), np.inf)
    if len(times) == 0:
        return out
    events = np.zeros((len(groups), len(times)), dtype=np.int64)
    at_risk = np.zeros((len(groups), len(times)), dtype=np.int64)
    for g, group in enumerate(groups):
        happened = group[group[:, 1] > 0, 0]
        events[g] = np.bincount(np.searchsorted(times, happened), minlength=len(times))
        at_risk[g] = len(group) - np.searchsorted(np.sort(group[:, 0]), times, side="left")
    weights = np.asarray(weights, dtype=np.int64)
    step = max(1, _CHUNK_CELLS // len(times))
    for start in range(0, len(weights), step):
        chunk = weights[start : start + step]
        d, n = chunk @ events, chunk @ at_risk
        with np.errstate(divide="ignore", invalid="ignore"):
            hazard = np.where(n > 0, d / n, 0.0)
        share = 1 - np.cumprod(1 - hazard, axis=1)
        for i, q in enumerate(qs):
            reached = share >= q - TOLERANCE  # the share never falls: the first is where
            first = reached.argmax(axis=1)
            found = reached[np.arange(len(chunk)), first]
            out[start : start + step, i] = np.where(found, times[first], np.inf)
    return out


def _beyond_as_infinite(estimate: np.ndarray) -> np.ndarray:
    # a resample whose curve stops short of q has its quantile beyond every day observed
    return np.where(np.isnan(estimate), np.inf, estimate)


def fill_statistics(requisitions: pd.DataFrame) -> dict[str, float]:
    """The summary's requisition columns (`FILL_COLUMNS`) from one cell's requisitions table:
    counts, `fill_rate` (filled / requisitions at the end of the run) and the Kaplan-Meier median
    and p90 of time to fill, in calendar and in business days, with their bootstrap
    intervals."""
    total = len(requisitions)
    filled = int(requisitions["filled"].sum()) if total else 0
    row: dict[str, float] = {
        "requisitions": total,
        "requisitions_filled": filled,
        "requisitions_censored": total - filled,
        "fill_rate": filled / total if total else np.nan,
    }
    for fill, duration in DURATIONS.items():
        row.update(km_statistics(requisitions, fill, duration))
    return row


def km_statistics(requisitions: pd.DataFrame, fill: str, duration: str) -> dict[str, float]:
    """The Kaplan-Meier median and p90 of `duration` (filled, or censored at the end of the
    run), with bootstrap intervals over replications, as columns named `<fill>_<quantile>`;
    NaN where `duration` is unknown (business days without a calendar)."""
    from sim.analysis import summaries  # it imports this module

    row: dict[str, float] = {}
    qs = list(QUANTILES.values())
    points = np.full(len(qs), np.nan)
    low = high = np.full(len(qs), np.nan)
    known_durations = duration in requisitions.columns and requisitions[duration].notna().all()
    if len(requisitions) and known_durations:
        groups = [
            group[[duration, "filled"]].to_numpy(dtype=float)
            for _, group in requisitions.groupby("replication", sort=True)
        ]
        points = km_quantiles(np.concatenate(groups), qs)
        if len(groups) > 1 and not np.isnan(points).all():
            resamples = km_resamples(groups, qs, summaries.bootstrap_weights(len(groups)))
            low, high = summaries.percentile_bounds(resamples)
            known = ~np.isnan(points)
            low = np.where(known & np.isfinite(low), low, np.nan)
            high = np.where(known & np.isfinite(high), high, np.nan)
    for i, name in enumerate(QUANTILES):
        row[f"{fill}_{name}"] = float(points[i])
        row[f"{fill}_{name}_ci_low"] = float(low[i])
        row[f"{fill}_{name}_ci_high"] = float(high[i])
    return row
