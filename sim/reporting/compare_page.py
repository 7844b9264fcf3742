"""`compare`'s `report.html`: what each variant changes, told as levels and differences side by
side (base 26.9 → variant 18.0 days, and the paired change with its interval), what the variant
files change in the scenario, the chart, and how the statistics are defined.
"""

from __future__ import annotations

import pandas as pd

from sim.analysis.headline import change_text, level_text
from sim.analysis.metrics import PER_REPLICATION
from sim.reporting.markup import Column, esc, figure, full_table, page, table
from sim.reporting.scenario_text import describe

MAX_CHANGES = 12
"""At most this many changed fields listed per variant (then "and N more")."""


def _flat(document, prefix: str = "") -> dict[str, object]:
    if isinstance(document, dict):
        flat = {}
        for key, value in document.items():
            flat.update(_flat(value, f"{prefix}{key}."))
        return flat or {prefix.rstrip("."): {}}
    return {prefix.rstrip("."): document}


def changed_fields(base, variant) -> list[str]:
    """The dotted paths whose value differs between two scenarios (resolved, presets merged):
    "stages.reference_checks.wait.mean: 4 → 1" (the name and the run's seed left out)."""
    from sim.scenario.resolve import resolved_document

    ignore = {"name", "seed", "replications"}
    a, b = _flat(resolved_document(base)), _flat(resolved_document(variant))
    lines = []
    for path in sorted(set(a) | set(b)):
        if path.split(".")[0] in ignore or a.get(path) == b.get(path):
            continue
        lines.append(f"{path}: {_value(a.get(path, '(absent)'))} → "
                     f"{_value(b.get(path, '(absent)'))}")  # fmt: skip
    return lines


def _value(value) -> str:
    text = (
        "null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    )
    return text if len(text) <= 60 else text[:59] + "…"


def changes_table(frame: pd.DataFrame) -> str:
    """One row per metric of one variant: its label, base and variant levels, the change with
    its 95% interval, and the pairs used."""
    columns = [Column("metric", "comparison", "metric", text=True),
               Column("base", "comparison", "base"), Column("variant", "comparison", "value"),
               Column("change [95% CI]", "comparison", "difference"),
               Column("pairs", "comparison", "pairs")]  # fmt: skip
    rows = []
    for _, row in frame.iterrows():
        metric = PER_REPLICATION.get(row["metric"])
        unit = metric.unit if metric else row.get("unit", "")
        label = metric.label if metric else row["metric"]
        suffix = {"days": ", days", "per replication": ", per replication"}.get(unit, "")
        rows.append([label + suffix, level_text(row["base"], unit),
                     level_text(row["value"], unit), change_text(row, unit),
                     f"{int(row['pairs'])}"])  # fmt: skip
    return table(columns, rows)


def build_compare_report(
    comparison,
    charts: dict[str, bytes],
    skipped: list[tuple[str, str]] = (),
    note: str = "",
) -> str:
    """The compare page: `comparison` is `sim.compare(...)`'s; `charts` caption -> PNG bytes;
    `note` says how the statistics are defined (`sim.analysis.compare.STATISTICS_NOTE`)."""
    base = comparison.base.scenario
    variants = [r.scenario for r in comparison.variants]
    reps = comparison.base.replications
    title = f"{', '.join(v.name for v in variants)} against {base.name}"
    parts = [
        f"<h1>What if: {esc(title)}</h1>",
        f"<p class='note'>hiresim compare: every scenario ran the same {reps} replications "
        f"(seed {base.seed}), so replication r of each saw the same candidates; each change "
        "is the mean of the paired differences, with its 95% interval.</p>",
        "<h2>Headline</h2><ul class='headline'>",
        *[f"<li>{esc(line.replace(' -> ', ' → '))}</li>" for line in comparison.headline()],
        "</ul>",
    ]
    for variant in variants:
        rows = comparison.table[comparison.table["variant"] == variant.name]
        changed = changed_fields(base, variant)
        listed = changed[:MAX_CHANGES] + (
            [f"and {len(changed) - MAX_CHANGES} more"] if len(changed) > MAX_CHANGES else []
        )
        parts += [
            f"<h2>{esc(variant.name)}: base → variant</h2>",
            "<p>What the variant changes: "
            + (", ".join(f"<code>{esc(line)}</code>" for line in listed) if listed
               else "nothing (the same scenario)") + ".</p>",
            changes_table(rows),
        ]  # fmt: skip
    parts.append("<h2>Chart</h2>")
    parts += [figure(caption, png) for caption, png in charts.items()]
    parts += [f"<p class='note'>Not drawn: {esc(caption)}: {esc(reason)}</p>"
              for caption, reason in skipped]  # fmt: skip
    parts += [
        "<h2>How the numbers are computed</h2>",
        f"<p>{esc(note)}</p>" if note else "",
        "<h2>The base scenario</h2><ul>",
        *[f"<li>{esc(line)}</li>" for line in describe(base)],
        "</ul>",
        full_table(comparison.table, "comparison", "comparison.csv", drop=("base_scenario",)),
    ]
    return page(f"hiresim compare: {title}", parts)
