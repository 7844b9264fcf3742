"""Does the fit predict? Hold part of the export out, fit the rest, simulate, compare.

    from sim.fit.holdout import validate
    table = validate(log, by="requisition", fraction=0.3, seed=0, company_size="mid")

`split(log, by, fraction, seed)`: by `requisition`, a seeded random `fraction` of the
requisitions (at least one, never all) is held out; by `time`, the latest `fraction` of them
by their first event (a later period). Each needs MIN_REQUISITIONS requisitions, else a
`FitError` saying so. `holdout(...)` fits the rest (`sim.fit.workflow.fit_log`), simulates the
fitted scenario over the export's window with the whole export's requisitions a month (how
many requisitions open is no outcome to predict; their times are), keeps by `time` only the
simulated requisitions opened from the held period's start, and `compare`s. `validate(...)` is
`holdout(...).table`.

`compare(observed, simulated)`, both clean tables measured by `sim.fit.measure`: one row per
metric (`time_to_offer_days`: among the candidates offered by the log's end;
`time_to_fill_days`: among the requisitions filled by its end; the others are censored and
not compared, their share given), with each side's n and median with a 95% interval (the
observed side: a percentile bootstrap over its candidates or requisitions; the simulated side:
over its replications, resampled whole, since a replication's candidates share a team), and
the two-sample Kolmogorov-Smirnov test (`scipy.stats.ks_2samp`, two-sided): its statistic and
p-value. A small p-value (under 0.05) says the held-out times are unlike the simulated ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis.summaries import bootstrap_quantile_interval
from sim.fit.export import FitError
from sim.fit.measure import censored_share, fills, offers
from sim.fit.workflow import Fitted, Simulated, fit_log, requisitions_per_month, simulate_like

BY = ("requisition", "time")
MIN_REQUISITIONS = 4
METRICS = {"time_to_offer_days": "time to offer", "time_to_fill_days": "time to fill"}
COLUMNS = ["metric", "observed_n", "observed_median", "observed_ci_low", "observed_ci_high",
           "observed_censored", "simulated_n", "simulated_median", "simulated_ci_low",
           "simulated_ci_high", "simulated_censored", "ks_statistic", "p_value"]  # fmt: skip


@dataclass
class Holdout:
    by: str
    fraction: float
    table: pd.DataFrame  # compare's
    fitted: Fitted  # the fit of the rest
    held: pd.DataFrame  # the held-out clean table
    simulated: Simulated
    requisitions: tuple[int, int]  # fitted, held out


def _keys(log: pd.DataFrame) -> pd.Series:
    return log.world.astype(str) + "\x1f" + log.requisition.astype(str)


def split(log: pd.DataFrame, by: str = "requisition", fraction: float = 0.3,
          seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """(the part to fit, the part held out): see the module's docstring."""
    if by not in BY:
        raise FitError([f"--holdout: {by!r} is not one of {', '.join(BY)}, none"])
    if not 0 < fraction < 1:
        raise FitError([f"--holdout-fraction: {fraction:g} must be between 0 and 1 (e.g. 0.3)"])
    keys = _keys(log)
    firsts = log.groupby(keys).time.min().sort_values(kind="stable")
    if len(firsts) < MIN_REQUISITIONS:
        raise FitError([f"--holdout {by}: the export has {len(firsts)} requisition(s); holding "
                        f"some out needs at least {MIN_REQUISITIONS} (name the requisition "
                        "column with --requisition-col, or --holdout none)"])  # fmt: skip
    count = min(max(1, round(fraction * len(firsts))), len(firsts) - 1)
    if by == "time":
        held = set(firsts.index[-count:])
    else:
        rng = np.random.default_rng(seed)
        held = set(rng.choice(firsts.index.to_numpy(), count, replace=False))
    out = keys.isin(held)
    return log[~out].reset_index(drop=True), log[out].reset_index(drop=True)


def _side(table: pd.DataFrame, metric: str, grouped: bool) -> dict:
    """n, median and its 95% interval (`summaries.bootstrap_quantile_interval`: the summary's
    bootstrap, resampling each value, or with `grouped` each replication's values together)."""
    kept = table[np.isfinite(table[metric].to_numpy(float))]
    values = kept[metric].to_numpy(float)
    groups = ([g[metric].to_numpy(float) for _, g in kept.groupby("world")] if grouped
              else list(values.reshape(-1, 1)))  # fmt: skip
    low, high = (bootstrap_quantile_interval(groups, 0.5) if len(groups) >= 2
                 else (np.nan, np.nan))  # fmt: skip
    median = float(np.median(values)) if len(values) else float("nan")
    return {"n": len(values), "median": median, "ci_low": float(low), "ci_high": float(high),
            "censored": censored_share(table[metric]), "values": values}  # fmt: skip


def compare(observed: pd.DataFrame, simulated: pd.DataFrame) -> pd.DataFrame:
    """One row per metric (see the module's docstring); columns COLUMNS."""
    rows = []
    for metric in METRICS:
        measure = offers if metric == "time_to_offer_days" else fills
        obs = _side(measure(observed), metric, False)
        sim = _side(measure(simulated), metric, True)
        if obs["n"] >= 2 and sim["n"] >= 2:
            test = stats.ks_2samp(obs["values"], sim["values"])
            statistic, p = float(test.statistic), float(test.pvalue)
        else:
            statistic = p = float("nan")
        rows.append([metric, *(obs[k] for k in ("n", "median", "ci_low", "ci_high", "censored")),
                     *(sim[k] for k in ("n", "median", "ci_low", "ci_high", "censored")),
                     statistic, p])  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS)


def holdout(log: pd.DataFrame, by: str = "requisition", fraction: float = 0.3, seed: int = 0,
            company_size: str = "mid", team: dict | None = None,
            name: str = "fitted") -> Holdout:  # fmt: skip
    """Split, fit the rest, simulate, compare (see the module's docstring)."""
    rest, held = split(log, by, fraction, seed)
    fitted = fit_log(
        rest, name, company_size, team, "the export less its held-out part", seed, resamples=0
    )  # only simulated: no intervals needed
    start = held.time.min() if by == "time" else None
    whole = {"company.requisitions_per_month": requisitions_per_month(log)}
    simulated = simulate_like(fitted.scenario, log, seed, from_time=start, overrides=whole)
    table = compare(held, simulated.log)
    counts = (_keys(rest).nunique(), _keys(held).nunique())
    return Holdout(by, fraction, table, fitted, held, simulated, counts)


def validate(log: pd.DataFrame, by: str = "requisition", fraction: float = 0.3, seed: int = 0,
             company_size: str = "mid", team: dict | None = None) -> pd.DataFrame:  # fmt: skip
    """`holdout(...).table`: the comparison of the held-out part with the fit of the rest."""
    return holdout(log, by, fraction, seed, company_size, team).table


def comparison_line(table: pd.DataFrame, observed: str = "observed") -> str:
    """Each metric of `compare`'s table: both medians, the test's p-value and the sizes."""
    parts = []
    for row in table.itertuples(index=False):
        if row.observed_n < 2 or row.simulated_n < 2:
            parts.append(f"{METRICS[row.metric]}: too few to compare "
                         f"({row.observed_n} {observed}, {row.simulated_n} simulated)")  # fmt: skip
            continue
        parts.append(f"{METRICS[row.metric]} median {row.observed_median:.1f} {observed} vs "
                     f"{row.simulated_median:.1f} simulated days (KS p={row.p_value:.2g}, "
                     f"n={row.observed_n}/{row.simulated_n})")  # fmt: skip
    return "; ".join(parts)


def summary_line(result: Holdout) -> str:
    """One line: each metric's held-out and simulated medians and the test's p-value."""
    fit, out = result.requisitions
    return (f"holdout by {result.by} ({out} of {fit + out} requisitions held out): "
            + comparison_line(result.table, "held out"))  # fmt: skip
