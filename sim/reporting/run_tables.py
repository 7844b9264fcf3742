"""The run report's short tables: the numbers a reader wants, under readable headers (labels from
the metric registry, tooltips from the data dictionary), counts per replication, shares as
percentages. The full tables are folded behind them (`markup.full_table`).
"""

from __future__ import annotations

import pandas as pd

from sim.analysis.headline import MEDIANS, interval_text, number
from sim.analysis.metrics import SUMMARY
from sim.charts.labels import axis_name, plain
from sim.reporting.markup import Column, formatted, percent, table
from sim.scenario.stages import stage_label


def short_value(value, width: int = 40) -> str:
    """A swept value as text of at most `width` characters (a distribution can be long)."""
    return plain(value, width)


def swept_columns(swept: list[str], table_name: str) -> list[Column]:
    return [Column(axis_name(path), table_name, None, text=True) for path in swept]


def _ci(summary: pd.DataFrame) -> str:
    columns = [f"{m}_ci_low" for m in MEDIANS if f"{m}_ci_low" in summary]
    return " [95% CI]" if summary[columns].notna().any().any() else ""


def _share(part, whole) -> str:
    return percent(part / whole) if whole else "n/a"


def cells_table(summary: pd.DataFrame, swept: list[str]) -> str:
    """The sweep's headline: one row per cell, its swept values first, then times to offer and
    hire (with intervals where there are any), per-replication counts and rates."""
    ci = _ci(summary)
    columns = swept_columns(swept, "summary")
    columns += [Column(f"{SUMMARY[m].label}{ci}", "summary", m) for m in MEDIANS]
    columns += [
        Column("candidates per replication", "summary", "candidates"),
        Column(f"{SUMMARY['hires_per_replication'].label} {SUMMARY['hires_per_replication'].unit}",
               "summary", "hires_per_replication"),
        Column(f"{SUMMARY['withdrew'].label} (% of candidates)", "summary", "withdrew"),
    ]  # fmt: skip
    fill = "fill_rate" in summary
    if fill:
        columns += [Column("fill rate", "summary", "fill_rate"),
                    Column(f"{SUMMARY['time_to_fill_days_median'].label}{ci}", "summary",
                           "time_to_fill_days_median")]  # fmt: skip
    rows = []
    for _, r in summary.iterrows():
        reps = r["replications"] or 1
        row = [short_value(r[p]) for p in swept]
        row += [interval_text(r, m) for m in MEDIANS]
        row += [number(r["candidates"] / reps), number(r["hires_per_replication"]),
                _share(r["withdrew"], r["candidates"])]  # fmt: skip
        if fill:
            row += [percent(r["fill_rate"]), interval_text(r, "time_to_fill_days_median")]
        rows.append(row)
    return table(columns, rows)


KEY_NUMBERS = (
    ("offer_rate", "offer rate (offers / candidates interviewed)"),
    ("acceptance_rate", "acceptance rate (hires / offers answered)"),
    ("time_to_offer_days_median", None), ("time_to_offer_days_p90", None),
    ("time_to_offer_days_mean", None), ("time_to_hire_days_median", None),
    ("time_to_hire_days_p90", None), ("time_to_decision_days_median", None),
    ("fill_rate", "fill rate (requisitions filled / requisitions)"),
    ("time_to_fill_days_median", None), ("time_to_fill_days_p90", None),
    ("quality_of_hire", None),
)  # fmt: skip
"""The single run's key numbers after the counts: summary column and its label (None: the
registry's)."""


def key_numbers(row: pd.Series) -> str:
    """A run's key numbers, one a line: counts per replication, rates, times with intervals."""
    reps = row["replications"] or 1
    rows = [[f"{SUMMARY[c].label} per replication", number(row[c] / reps), ""]
            for c in ("candidates", "hired", "withdrew", "declined", "rejected", "in_process")
            if c in row]  # fmt: skip
    for column, label in KEY_NUMBERS:
        if column not in row or pd.isna(row[column]):
            continue
        unit = SUMMARY[column].unit
        low, high = row.get(f"{column}_ci_low"), row.get(f"{column}_ci_high")
        interval = "" if pd.isna(low) and pd.isna(high) else (
            f"{formatted(low, unit) or 'n/a'} to {formatted(high, unit) or 'longer'}")  # fmt: skip
        rows.append([label or SUMMARY[column].label, formatted(row[column], unit), interval])
    columns = [Column("measure", text=True), Column("estimate"), Column("95% interval")]
    return table(columns, rows)


def stages_table(stages: pd.DataFrame, swept: list[str], replications: int) -> str:
    """Where time goes and candidates are lost: for a run, one row per stage; for a sweep, one
    row per cell naming the stage with the longest wait and the one losing the most."""
    if stages.empty:
        return "<p class='note'>No candidate entered a stage.</p>"
    reps = replications or 1
    if not swept:
        columns = [Column("stage", "stages", "stage", text=True),
                   Column("entered per replication", "stages", "entered"),
                   Column("passed", "stages", "passed"), Column("rejected", "stages", "rejected"),
                   Column("withdrew or declined", "stages", "lost_share"),
                   Column("mean wait, days", "stages", "mean_wait_days"),
                   Column("mean work, days", "stages", "mean_service_days")]  # fmt: skip
        rows = [[stage_label(r["stage"]), number(r["entered"] / reps),
                 _share(r["passed"], r["entered"]), _share(r["rejected"], r["entered"]),
                 percent(r["lost_share"]), formatted(r["mean_wait_days"], "days"),
                 formatted(r["mean_service_days"], "days")]
                for _, r in stages.iterrows()]  # fmt: skip
        return table(columns, rows)
    columns = [*swept_columns(swept, "stages"),
               Column("longest mean wait", "stages", "mean_wait_days", text=True),
               Column("longest mean work", "stages", "mean_service_days", text=True),
               Column("most candidates lost (withdrew or declined)", "stages", "lost_share",
                      text=True)]  # fmt: skip
    rows = []
    for _, cell in stages.groupby("cell", sort=True):
        first = cell.iloc[0]
        seen = cell[cell["entered"] > 0]
        row = [short_value(first[p]) for p in swept]
        for column, unit in (("mean_wait_days", "days"), ("mean_service_days", "days"),
                             ("lost_share", "share")):  # fmt: skip
            values = seen[column].dropna()
            if values.empty:
                row.append("n/a")
                continue
            top = seen.loc[values.idxmax()]
            amount = percent(top[column]) if unit == "share" else f"{top[column]:.1f} days"
            row.append(f"{stage_label(top['stage'])} ({amount})")
        rows.append(row)
    return table(columns, rows)


def team_table(team: pd.DataFrame, swept: list[str]) -> str:
    """How busy each role is: utilisation as a percentage (as the text gives it), the queue."""
    if team.empty:
        return "<p class='note'>No team member was used.</p>"
    if not swept:
        columns = [Column("role", "team", "resource", text=True),
                   Column("people", "team", "capacity"),
                   Column("utilisation [95% CI]", "team", "utilisation"),
                   Column("requests waiting, mean", "team", "mean_queue_length")]  # fmt: skip
        rows = []
        for _, r in team.iterrows():
            low, high = r["utilisation_ci_low"], r["utilisation_ci_high"]
            interval = "" if pd.isna(low) else f" [{percent(low)}, {percent(high)}]"
            rows.append([stage_label(r["resource"]), formatted(r["capacity"]),
                         percent(r["utilisation"]) + interval,
                         f"{r['mean_queue_length']:.2f}"])  # fmt: skip
        return table(columns, rows)
    roles = list(dict.fromkeys(team["resource"]))
    columns = [*swept_columns(swept, "team"),
               *(Column(f"{stage_label(role)}: utilisation", "team", "utilisation")
                 for role in roles)]  # fmt: skip
    rows = []
    for _, cell in team.groupby("cell", sort=True):
        by_role = cell.set_index("resource")["utilisation"]
        rows.append(
            [short_value(cell.iloc[0][p]) for p in swept]
            + [percent(by_role[role]) if role in by_role else "—" for role in roles]
        )
    return table(columns, rows)
