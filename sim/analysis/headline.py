"""The headline in words: the few numbers a reader wants first, worded once for the command
line, the report and `Results`' repr. Names and labels come from `sim.analysis.metrics`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.metrics import COMPARISON_HEADLINE, PER_REPLICATION, SUMMARY, TIMES

MEDIANS = tuple(f"{time}_median" for time in TIMES)
"""The times a run's headline gives, with their intervals."""
COUNTS = ("candidates", "hired", "withdrew", "declined")


def interval_text(row, column: str, unit: str = "") -> str:
    """A summary estimate with its interval, for people: "14.3 days [13.3, 16.2]"; "n/a"
    without an estimate, no brackets without an interval. A bound the data cannot give (a
    Kaplan-Meier curve that stays above the quantile, beyond the run) reads "longer"."""
    value, low, high = row[column], row[f"{column}_ci_low"], row[f"{column}_ci_high"]
    if pd.isna(value):
        return "n/a"
    text = f"{value:.1f}{' ' + unit if unit else ''}"
    if pd.isna(low) and pd.isna(high):
        return text
    low_text = "n/a" if pd.isna(low) else f"{low:.1f}"
    return f"{text} [{low_text}, {'longer' if pd.isna(high) else f'{high:.1f}'}]"


def has_interval(row) -> bool:
    """Whether any of the headline's times has an interval (none with one replication)."""
    return any(pd.notna(row.get(f"{column}_ci_low")) for column in MEDIANS)


def headline(row) -> list[str]:
    """One summary row's headline, two lines, and a third for its requisitions when the row
    has them (`fill_line`):

        50 candidates, 2 hired (0.67 per replication), 3 withdrew, 1 declined
        median days to offer 20.6 [13.3, 22.2], to hire 25.8 [20.2, 31.4]  (95% CI)
        3 requisitions, 2 filled (67%), median days to fill 30.4 [23.8, 32.6]

    A time no candidate reached reads "n/a"; without intervals (one replication) there are
    no brackets and no "(95% CI)". After a warm-up (`warmup_days` above 0) the first line
    says so: "after a 100-day warm-up: 50 candidates, ..." (the counts and times are of the
    candidates arriving, and the requisitions opening, from then on).
    """
    candidates, hired, withdrew, declined = (
        f"{row[name]:,} {SUMMARY[name].label}" for name in COUNTS
    )
    per = SUMMARY["hires_per_replication"]
    counts = (f"{candidates}, {hired} ({row[per.name]:.2f} {per.unit}), {withdrew}, "
              f"{declined}")  # fmt: skip
    offer, hire = MEDIANS  # "median days to offer 20.6, to hire 25.8"
    times = (f"{SUMMARY[offer].label} {interval_text(row, offer)}, "
             f"to {TIMES['time_to_hire_days']} {interval_text(row, hire)}")  # fmt: skip
    warmup = row.get("warmup_days", 0)
    if pd.notna(warmup) and warmup > 0:
        counts = f"after a {warmup:g}-day warm-up: {counts}"
    fill = fill_line(row)
    return [counts, times + ("  (95% CI)" if has_interval(row) else ""),
            *([fill] if fill else [])]  # fmt: skip


def fill_line(row) -> str | None:
    """The requisitions of a summary row: "3 requisitions, 2 filled (67%), median days to fill
    30.4 [23.8, 32.6]"; None for a row without them."""
    if pd.isna(row.get("requisitions", np.nan)):
        return None
    total, filled = int(row["requisitions"]), int(row["requisitions_filled"])
    share = f" ({filled / total:.0%})" if total else ""
    median = "time_to_fill_days_median"
    return (f"{total:,} {SUMMARY['requisitions'].label}, {filled:,} filled{share}, "
            f"{SUMMARY[median].label} {interval_text(row, median)}")  # fmt: skip


def cell_headlines(summary: pd.DataFrame, swept: list[str]) -> list[str]:
    """Every cell's headline, each cell's first line led by its swept values
    ("[company.size=mid, team.recruiter=2] ..."), the others indented."""
    lines = []
    for _, row in summary.iterrows():
        label = ", ".join(f"{path}={row[path]}" for path in swept)
        counts, *rest = headline(row)
        lines += [f"[{label}] {counts}" if label else counts, *(f"  {line}" for line in rest)]
    return lines


def _signed(value: float) -> str:
    return "n/a" if np.isnan(value) else f"{value:+.1f}"


def change_text(row, unit: str) -> str:
    """A row of the comparison table as a change in `unit`: "+1.2 days [+0.4, +2.0]"; no
    brackets without an interval, "n/a" without pairs."""
    if np.isnan(row["difference"]):
        return "n/a"
    text = f"{_signed(row['difference'])} {unit}"
    if np.isnan(row["ci_low"]):
        return text
    return f"{text} [{_signed(row['ci_low'])}, {_signed(row['ci_high'])}]"


def comparison_headline(table: pd.DataFrame) -> list[str]:
    """One line per variant of a comparison table:
    "variant: median time to offer -3.1 days [-3.9, -2.4]; hires +0.0 per replication; ..."."""
    metrics = [PER_REPLICATION[key] for key in COMPARISON_HEADLINE]
    lines = []
    for name, rows in table.groupby("variant", sort=False):
        rows = rows.set_index("metric")
        parts = [f"{m.label} {change_text(rows.loc[m.name], m.unit)}" for m in metrics]
        lines.append(f"{name}: " + "; ".join(parts))
    return lines
