"""The summary's cost at scale: `sim.analysis.summaries.summarise` on synthetic candidates.

The applicants table is made up (no simulation): N candidates spread over R replications, with
every column the summary reads (outcomes, offer days, the time columns with a share of NaN,
quality of hire). Prints, for each size, the median wall time of the whole summary row and of
one quantile bootstrap (`clustered_quantile`, the median of time to decision, 2,000 resamples).

    python benchmarks/bench_summary.py [REPLICATIONS] [REPEATS]
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np
import pandas as pd

from sim.analysis.metrics import BUSINESS_TIMES, SUMMARY_TIMES
from sim.analysis.summaries import _groups, clustered_quantile, summarise
from sim.scenario.stages import OUTCOMES

SIZES = (100_000, 1_000_000)


def applicants(candidates: int, replications: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "scenario": "bench",
        "cell": 0,
        "replication": np.sort(rng.integers(0, replications, candidates)),
        "outcome": rng.choice(OUTCOMES, candidates, p=[0.05, 0.5, 0.35, 0.02, 0.08]),
        "quality_of_hire": rng.normal(0.6, 0.1, candidates),
    })  # fmt: skip
    offered = rng.random(candidates) < 0.08
    frame["offer_day"] = np.where(offered, rng.uniform(0, 365, candidates), np.nan)
    for column in (*SUMMARY_TIMES, *BUSINESS_TIMES):
        days = np.round(rng.gamma(2.0, 15.0, candidates), 2)  # rounded: ties, as in real runs
        frame[column] = np.where(rng.random(candidates) < 0.3, np.nan, days)
    return frame


def median_seconds(call, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(replications: int = 10, repeats: int = 3) -> None:
    print(f"summary of synthetic candidates, {replications} replications, median of {repeats}")
    for candidates in SIZES:
        table = applicants(candidates, replications)
        groups = _groups(table, "time_to_decision_days")
        whole = median_seconds(lambda: summarise(table, [], replications), repeats)  # noqa: B023
        one = median_seconds(lambda: clustered_quantile(groups, 0.5), repeats)  # noqa: B023
        print(f"  {candidates:>9,} candidates: summary row {whole:6.2f} s, "
              f"one quantile bootstrap {one:6.3f} s")  # fmt: skip


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
