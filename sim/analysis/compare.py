"""What-if comparisons: a base scenario and variants on the same seeds, as paired differences.

Every scenario runs with the base's root seed and replication count. Random streams are keyed
by (seed, replication, kind of decision, requisition), so replication r of every variant sees
the same candidates (arrivals, qualities, patience) and the same draws at every stage it shares
with the base: common random numbers. A metric is computed once per replication; the
difference variant - base is taken replication by replication, and its mean across replications
gets a 95% t-interval. Pairing removes the noise the scenarios share, so the intervals are far
narrower than comparing two independent runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from sim.analysis.headline import comparison_headline, comparison_lines
from sim.analysis.metrics import PER_REPLICATION
from sim.analysis.summaries import EMPTY_APPLICANTS, t_interval
from sim.execution.runner import Results, run
from sim.scenario.types import Scenario

EMPTY = {"applicants": (*EMPTY_APPLICANTS, "search"),
         "requisitions": ("replication", "days_open", "filled")}
STATISTICS_NOTE = (
    "Each metric is computed once per replication and paired replication by replication (common "
    "random numbers); base and variant are its mean over the replications paired. Counts per "
    "replication equal summary.csv's counts / replications. A median here is each replication's "
    "median, averaged over the replications with one (summary.csv's pools every replication's "
    "candidates, so it can differ a little); a rate is each replication's rate, averaged."
)
"""Which statistic `comparison.csv`'s levels are, said in the report."""
MEDIAN_NOTE = ("medians: each replication's median, averaged over replications; summary.csv's "
               "median pools every replication's candidates")
"""The same, in one line for the command line."""


def _after_warmup(table: pd.DataFrame, name: str) -> pd.DataFrame:
    if table.empty:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in EMPTY[name]})
    return table[table["after_warmup"]] if "after_warmup" in table.columns else table


def per_replication(results: Results) -> pd.DataFrame:
    """One row per replication (every one of the run, 0 to R - 1), one column per metric of
    `sim.analysis.metrics.PER_REPLICATION`, from the candidates arriving and the requisitions
    opening after the warm-up (`after_warmup`), as the summary counts them.

    A replication without candidates counts 0 of everything and has no times (NaN); one
    without requisitions has no fill rate or time to fill (NaN).
    """
    tables = {name: _after_warmup(getattr(results, name), name) for name in EMPTY}
    groups = {name: dict(tuple(table.groupby("replication", sort=True)))
              for name, table in tables.items()}  # fmt: skip
    reps = max(results.scenario.replications, *(len(g) for g in groups.values()))
    every = sorted({*range(reps), *(rep for g in groups.values() for rep in g)})

    def value(metric, rep) -> float:
        table = groups[metric.table].get(rep, tables[metric.table].iloc[:0])
        return metric.per_replication(table)

    rows = {rep: {name: value(m, rep) for name, m in PER_REPLICATION.items()} for rep in every}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("replication")


@dataclass
class Comparison:
    """The base and variant results, and the paired differences table."""

    base: Results
    variants: list[Results]
    table: pd.DataFrame

    def headline(self) -> list[str]:
        """One line per variant: "variant: median time to offer -3.1 days [-3.9, -2.4]; ..."."""
        return comparison_headline(self.table)

    def lines(self) -> list[str]:
        """Per variant, a line naming it and one line per headline metric: its level in the base
        and in the variant, and the change with its interval (the command line prints these)."""
        return comparison_lines(self.table)

    def __repr__(self) -> str:
        return "\n".join([f"<Comparison against {self.base.scenario.name!r}>", *self.headline()])


def paired(base: pd.Series, variant: pd.Series) -> dict:
    """One metric's values per replication in two runs, paired where both have one: their
    means (`base`, `variant`), the mean `difference` with its 95% t-interval, and `pairs`."""
    pairs = pd.concat([base, variant], axis=1, keys=["base", "variant"]).dropna()
    difference, low, high = t_interval(pairs["variant"] - pairs["base"])
    return {"base": pairs["base"].mean(), "variant": pairs["variant"].mean(),
            "difference": difference, "ci_low": low, "ci_high": high,
            "pairs": len(pairs)}  # fmt: skip


def paired_differences(base: Results, variant: Results) -> pd.DataFrame:
    """Per metric: base and variant means, and the mean paired difference with its interval.
    A metric neither run measured (costs where neither scenario gives `costs`) is left out."""
    b, v = per_replication(base), per_replication(variant)
    rows = []
    for name, metric in PER_REPLICATION.items():
        if b[name].isna().all() and v[name].isna().all():
            continue
        both = paired(b[name], v[name])
        rows.append({
            "variant": variant.scenario.name, "metric": name, "label": metric.label,
            "unit": metric.unit, "base": both["base"], "value": both["variant"],
            **{k: both[k] for k in ("difference", "ci_low", "ci_high", "pairs")},
        })  # fmt: skip
    return pd.DataFrame(rows)


def distinct_names(base: Scenario, variants: list[Scenario]) -> list[Scenario]:
    """`variants`, each named apart from the base and the others: a repeated name gets "-2",
    "-3", ... (the same file twice compares with itself as "name-2")."""
    taken = {base.name}
    renamed = []
    for variant in variants:
        name, k = variant.name, 1
        while name in taken:
            k += 1
            name = f"{variant.name}-{k}"
        taken.add(name)
        renamed.append(variant if name == variant.name else
                       variant.model_copy(update={"name": name}))  # fmt: skip
    return renamed


def compare(
    base: Scenario,
    variants: list[Scenario],
    replications: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Comparison:
    """Run `base` and each variant on the same seeds and compare them pairwise.
    `progress(done, total)` counts replications over all the scenarios."""
    for scenario in (base, *variants):
        if scenario.sweep:
            raise ValueError(f"{scenario.name}: compare takes scenarios without a sweep")
    variants = distinct_names(base, variants)
    seed = base.seed if seed is None else seed
    replications = base.replications if replications is None else replications
    count = 1 + len(variants)

    def part(k: int):
        if progress is None:
            return None
        return lambda done, total: progress(k * total + done, count * total)

    base_results, *results = [
        run(s, replications=replications, seed=seed, workers=workers, progress=part(k))
        for k, s in enumerate([base, *variants])
    ]
    table = pd.concat([paired_differences(base_results, r) for r in results], ignore_index=True)
    table.insert(0, "base_scenario", base.name)
    return Comparison(base_results, results, table)
