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


def number(value: float) -> str:
    """A per-replication count for people: whole numbers as such ("1", "2,763"), else 3
    significant figures or so ("12.3", "0.97", "180.6")."""
    if pd.isna(value):
        return "n/a"
    if float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"


def percent(share: float) -> str:
    """A share as people read it: "27%", "7.1%", "0.2%" (a decimal below 10%)."""
    return f"{share:.0%}" if share >= 0.1 or share == 0 else f"{share:.1%}"


def counted(value: float, singular: str, plural: str | None = None) -> str:
    """ "1 requisition", "0.97 requisitions", "2 requisitions": the plural unless exactly 1."""
    word = singular if value == 1 else (plural or singular + "s")
    return f"{number(value)} {word}"


def ci_tag(*lines: str) -> str:
    """ "  (95% CI)" when any of `lines` prints an interval (brackets), else ""."""
    return "  (95% CI)" if any("[" in line for line in lines) else ""


def headline(row) -> list[str]:
    """One summary row's headline, per replication (counts divided by the replications, so
    that a run of 30 replications reads as one search, not thirty added up), two lines, and
    a third for its requisitions when the row has them (`fill_line`) and a fourth for the
    costs when the scenario gives them (`cost_line`):

        per replication: 12.3 candidates interviewed, 0.97 hired, 0.87 withdrew (7.1%), 0.27
            declined
        median days to offer 20.6 [13.3, 22.2], to hire 25.8 [20.2, 31.4]  (95% CI)
        per replication: 0.97 of 1 requisition filled (97%), median days to fill 30.4 [23.8,
            32.6]  (95% CI)

    (each on one line).

    With many requisitions the first line adds candidates per requisition ("2,763 candidates
    interviewed (11.8 per requisition)"). A time no candidate reached reads "n/a"; "(95% CI)"
    ends a line only where it prints an interval (none with one replication). After a warm-up
    (`warmup_days` above 0) the first line says so: "after a 100-day warm-up, per replication:
    ..." (the counts and times are of the candidates arriving, and the requisitions opening,
    from then on).
    """
    reps = row["replications"]
    per = {name: row[name] / reps if reps else np.nan for name in COUNTS}
    candidates = counted(per["candidates"], "candidate") + " interviewed"
    requisitions = row.get("requisitions", np.nan)
    if pd.notna(requisitions) and requisitions and requisitions != reps:
        candidates += f" ({number(row['candidates'] / requisitions)} per requisition)"
    share = f" ({percent(row['withdrew'] / row['candidates'])})" if row["candidates"] else ""
    counts = (f"per replication: {candidates}, {number(per['hired'])} "
              f"{SUMMARY['hired'].label}, {number(per['withdrew'])} "
              f"{SUMMARY['withdrew'].label}{share}, {number(per['declined'])} "
              f"{SUMMARY['declined'].label}")  # fmt: skip
    offer, hire = MEDIANS  # "median days to offer 20.6, to hire 25.8"
    times = (f"{SUMMARY[offer].label} {interval_text(row, offer)}, "
             f"to {TIMES['time_to_hire_days']} {interval_text(row, hire)}")  # fmt: skip
    warmup = row.get("warmup_days", 0)
    if pd.notna(warmup) and warmup > 0:
        counts = f"after a {warmup:g}-day warm-up, {counts}"
    extra = [line for line in (fill_line(row), cost_line(row)) if line]
    return [counts, times + ci_tag(times), *extra]


def cost_line(row) -> str | None:
    """With `costs` in the scenario: "cost per hire 10,947 [10,763, 11,130], of which the cost
    of delay 8,396; per hire 7.8 recruiter and 17.7 hiring manager hours  (95% CI)"; None
    without them."""
    if pd.isna(row.get("cost_per_hire", np.nan)):
        return None
    low, high = row["cost_per_hire_ci_low"], row["cost_per_hire_ci_high"]
    cost = f"cost per hire {row['cost_per_hire']:,.0f}"
    if pd.notna(low) and pd.notna(high):
        cost += f" [{low:,.0f}, {high:,.0f}]"
    if pd.notna(row.get("cost_of_delay", np.nan)):
        cost += f", of which the cost of delay {row['cost_of_delay']:,.0f}"
    hours = [f"{row[f'{role}_hours_per_hire']:.1f} {label}"
             for role, label in (("recruiter", "recruiter"), ("hiring_manager", "hiring manager"))
             if pd.notna(row.get(f"{role}_hours_per_hire", np.nan))]  # fmt: skip
    if hours:
        cost += f"; per hire {' and '.join(hours)} hours"
    return cost + ci_tag(cost)


def fill_line(row) -> str | None:
    """The requisitions of a summary row, per replication: "per replication: 0.97 of 1
    requisition filled (97%), median days to fill 30.4 [23.8, 32.6]  (95% CI)"; None for a
    row without them."""
    if pd.isna(row.get("requisitions", np.nan)):
        return None
    total, filled = int(row["requisitions"]), int(row["requisitions_filled"])
    reps = row.get("replications", 1) or 1
    share = f" ({filled / total:.0%})" if total else ""
    median = "time_to_fill_days_median"
    line = (f"per replication: {number(filled / reps)} of "
            f"{counted(total / reps, 'requisition')} filled{share}, "
            f"{SUMMARY[median].label} {interval_text(row, median)}")  # fmt: skip
    return line + ci_tag(line)


def cell_headlines(summary: pd.DataFrame, swept: list[str]) -> list[str]:
    """Every cell's headline, each cell's first line led by its swept values
    ("[company.size=mid, team.recruiter=2] ..."), the others indented."""
    lines = []
    for _, row in summary.iterrows():
        label = ", ".join(f"{path}={row[path]}" for path in swept)
        counts, *rest = headline(row)
        lines += [f"[{label}] {counts}" if label else counts, *(f"  {line}" for line in rest)]
    return lines


def _signed(value: float, unit: str = "") -> str:
    if np.isnan(value):
        return "n/a"
    return f"{value * 100:+.1f}" if unit == "share" else f"{value:+.1f}"


def change_text(row, unit: str) -> str:
    """A row of the comparison table as a change in `unit`: "+1.2 days [+0.4, +2.0]"; a share
    in percentage points ("-2.1 points [-3.0, -1.2]"); no brackets without an interval, "n/a"
    without pairs."""
    if np.isnan(row["difference"]):
        return "n/a"
    words = "points" if unit == "share" else unit
    text = f"{_signed(row['difference'], unit)} {words}"
    if np.isnan(row["ci_low"]):
        return text
    return f"{text} [{_signed(row['ci_low'], unit)}, {_signed(row['ci_high'], unit)}]"


def level_text(value: float, unit: str) -> str:
    """A level of the comparison table: "26.9" (days), "12.3" (per replication), "7%"."""
    if pd.isna(value):
        return "n/a"
    if unit == "share":
        return percent(value)
    return f"{value:.1f}" if unit == "days" else number(value)


def levels_text(row, unit: str, arrow: str = "->") -> str:
    """ "26.9 -> 18.0 days": the base's level, then the variant's."""
    words = "" if unit == "share" else f" {unit}"
    return f"{level_text(row['base'], unit)} {arrow} {level_text(row['value'], unit)}{words}"


def comparison_headline(table: pd.DataFrame) -> list[str]:
    """One line per variant of a comparison table: each headline metric's change, and its
    levels where the table has them: "variant: median time to offer -3.1 days [-3.9, -2.4]
    (26.9 -> 23.8); hires +0.0 per replication (0.97 -> 0.97); ..."."""
    metrics = [PER_REPLICATION[key] for key in COMPARISON_HEADLINE]
    lines = []
    for name, rows in table.groupby("variant", sort=False):
        rows = rows.set_index("metric")
        parts = []
        for m in metrics:
            if m.name not in rows.index:
                continue
            row = rows.loc[m.name]
            levels = (f" ({levels_text(row, m.unit).removesuffix(' ' + m.unit)})"
                      if "base" in row and "value" in row else "")  # fmt: skip
            parts.append(f"{m.label} {change_text(row, m.unit)}{levels}")
        lines.append(f"{name}: " + "; ".join(parts))
    return lines


def comparison_lines(table: pd.DataFrame) -> list[str]:
    """Per variant: "references-fast, against references-as-usual:" and then, one a line, each
    headline metric as "  median time to offer: 26.9 -> 18.0 days, change -8.9 [-9.5, -8.3]"."""
    metrics = [PER_REPLICATION[key] for key in COMPARISON_HEADLINE]
    lines = []
    for name, rows in table.groupby("variant", sort=False):
        rows = rows.set_index("metric")
        base = rows["base_scenario"].iloc[0] if "base_scenario" in rows else "the base"
        lines.append(f"{name}, against {base}:")
        lines += [f"  {m.label}: {levels_text(rows.loc[m.name], m.unit)}, change "
                  f"{change_text(rows.loc[m.name], m.unit)}"
                  for m in metrics if m.name in rows.index]  # fmt: skip
    return lines
