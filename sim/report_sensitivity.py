"""The sensitivity run's `report.html`: one self-contained page (the tornado embedded, no server).

A pure function of the sensitivity table and the chart images: what was varied and how, the
parameters that move the median time to offer most, the tornado, and the table of every change
with its interval, one row per value tried, most influential parameter first.
"""

from __future__ import annotations

import base64
import html

import pandas as pd

from sim.analysis.headline import change_text, counted
from sim.analysis.parameters import LEAD, describe_path, ranking
from sim.analysis.sensitivity import headline

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.8em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
.headline{font-size:1.15em;background:#f4f6fa;border-left:4px solid #4C72B0;padding:.6em 1em}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0 1em;width:100%}
td,th{border:1px solid #ddd;padding:3px 6px;text-align:right;overflow-wrap:anywhere}
th{background:#f4f6fa}td:first-child,td:nth-child(2),th:first-child,th:nth-child(2){
text-align:left}
img{max-width:100%;border:1px solid #eee;margin:.5em 0}
.note{color:#666;font-size:.9em}
@media print{body{max-width:none;margin:0}img{max-width:100%;page-break-inside:avoid}}
"""
"""As `sim.report`'s page looks (kept here so the two pages can change apart)."""
TOP = 10
"""Parameters in the table shown at once; the others are behind a <details>."""


def _cell(rows: pd.DataFrame, metric: str) -> str:
    """A change as a table cell, its unit in the column's header: "+1.2 [+0.4, +2.0]"."""
    row = rows[rows["metric"] == metric]
    if row.empty:
        return ""
    row = row.iloc[0]
    return html.escape(" ".join(change_text(row, "").split()))


def _levels(table: pd.DataFrame, metrics: list[str]) -> str:
    """The base's level of each metric (its mean over the replications)."""
    parts = []
    for metric in metrics:
        rows = table[table["metric"] == metric].dropna(subset=["base"])
        if len(rows):
            row = rows.iloc[0]
            parts.append(f"{row['label']} {row['base']:.1f}"
                         + (f" {row['unit']}" if row["unit"] != "share" else ""))  # fmt: skip
    return "; ".join(parts)


def _rows(table: pd.DataFrame, paths: list[str], metrics: list[str]) -> list[str]:
    lines = []
    for path in paths:
        mine = table[table["parameter"] == path]
        for (factor, value), rows in mine.groupby(["factor", "value"], sort=False):
            base = rows["base_value"].iloc[0]
            cells = [f"{html.escape(describe_path(path))}<br><span class='note'>"
                     f"{html.escape(path)}</span>",
                     f"x{factor:g}: {html.escape(str(value))}<br><span class='note'>"
                     f"(base {html.escape(str(base))})</span>",
                     *(_cell(rows, m) for m in metrics)]  # fmt: skip
            lines.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return lines


def _table(table: pd.DataFrame, metrics: list[str], first: int = TOP) -> str:
    """One row per parameter and value tried, a column per metric: change [95% interval]; the
    `first` most influential parameters shown, the others behind a <details>."""
    units = {"days": "days", "share": "share"}
    head = ["parameter", "value tried"]
    for metric in metrics:
        row = table[table["metric"] == metric].iloc[0]
        head.append(f"{row['label']}, {units.get(row['unit'], row['unit'])}")
    header = "<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>"
    order = ranking(table)
    parts = ["<table><thead>", header, "</thead><tbody>",
             *_rows(table, order[:first], metrics), "</tbody></table>"]  # fmt: skip
    if len(order) > first:
        others = counted(len(order) - first, "parameter")
        parts += [f"<details><summary>The other {others}</summary>",
                  "<table><thead>", header, "</thead><tbody>",
                  *_rows(table, order[first:], metrics), "</tbody></table></details>"]  # fmt: skip
    return "\n".join(parts)


def build_sensitivity_report(
    name: str,
    table: pd.DataFrame,
    vary: float,
    replications: int,
    seed: int,
    charts: dict[str, bytes],
    skipped_variants: list[str] = (),
    skipped_charts: list[tuple[str, str]] = (),
) -> str:
    """The HTML page for scenario `name`: `charts` maps a caption to PNG bytes (embedded as
    data URIs); `skipped_variants` are the lines saying which variants were not run and why,
    `skipped_charts` (caption, reason) the charts that could not be drawn."""
    metrics = list(dict.fromkeys(table["metric"]))
    parameters = list(dict.fromkeys(table["parameter"]))
    lead = headline(table, LEAD, 3) or ["No parameter changed the median time to offer."]
    low, high = 1 - vary, 1 + vary
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>hiresim sensitivity: {html.escape(name)}</title><style>{STYLE}</style>"
        "</head><body>",
        f"<h1>Sensitivity: {html.escape(name)}</h1>",
        "<p class='note'>hiresim report: which parameter moves the time to offer most.</p>",
        "<h2>What was varied</h2>",
        f"<p>Each of {len(parameters)} parameters was lowered to x{low:g} and raised to "
        f"x{high:g} of its value in the scenario, one at a time, everything else kept. A "
        "distribution is scaled as a whole (every draw times the factor, its shape kept), a "
        "head count is rounded, and a probability stays within 0 and 1. Every variant ran the "
        f"base's {replications} replications from seed {seed}, on the same random numbers, so "
        "each change is a mean of paired differences (variant - base), replication by "
        "replication, with its 95% interval.</p>",
        f"<p>The base scenario: {html.escape(_levels(table, metrics))} (means over "
        "replications; a median is each replication's median).</p>",
        "<h2>What moves the median time to offer most</h2>",
        "<ul class='headline'>",
        *(f"<li>{html.escape(line)}</li>" for line in lead),
        "</ul>",
        "<h2>Tornado</h2>",
    ]
    for caption, png in charts.items():
        data = base64.b64encode(png).decode("ascii")
        parts.append(f"<figure><img alt='{html.escape(caption)}' "
                     f"src='data:image/png;base64,{data}'>"
                     f"<figcaption>{html.escape(caption)}</figcaption></figure>")  # fmt: skip
    for caption, reason in skipped_charts:
        parts.append(f"<p class='note'>Chart not drawn ({html.escape(caption)}): "
                     f"{html.escape(reason)}</p>")  # fmt: skip
    parts += [
        "<h2>Every change, with its 95% interval</h2>",
        "<p class='note'>Each cell: the mean paired change, variant - base, and its 95% "
        "interval. Most influential parameter (on the median time to offer) first; counts are "
        "per replication. Every row, with the base's and the variant's levels: "
        "sensitivity.csv.</p>",
        _table(table, metrics),
    ]
    if skipped_variants:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in skipped_variants)
        parts.append(f"<details><summary>{counted(len(skipped_variants), 'variant')} not run, and "
                     f"why</summary><ul>{items}</ul></details>")  # fmt: skip
    parts.append("<p class='note'>Times are calendar days from the interview (a requisition's "
                 "time to fill from its opening); an interval needs at least two replications "
                 "where both runs have the metric.</p></body></html>")  # fmt: skip
    return "\n".join(parts)
