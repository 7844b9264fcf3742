"""The HTML the reports share: the page and its style (screen and print), tables with readable
headers whose tooltips are the data dictionary's, full tables folded behind `<details>`, and
numbers formatted by their unit (shares as percentages, as the text gives them).

Everything is escaped here; a page is one self-contained file (images as data URIs, no
external links), so it can be mailed or opened from a shared drive.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass

import pandas as pd

from sim.analysis.dictionary import TABLES

STYLE = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.8em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
h3{margin:1.2em 0 .3em;font-size:1.05em}
.headline{font-size:1.15em;background:#f4f6fa;border-left:4px solid #4C72B0;padding:.6em 1em}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0 1em;max-width:100%}
td,th{border:1px solid #ddd;padding:3px 6px;text-align:right;vertical-align:top}
th{background:#f4f6fa;font-weight:600}th[title]{cursor:help;text-decoration:underline dotted}
td{white-space:nowrap}td.text,th.text{text-align:left}
td.wrap{text-align:left;white-space:normal}
code{font-size:.9em}img{max-width:100%;height:auto;border:1px solid #eee;margin:.5em 0}
figure{margin:1em 0}figcaption{color:#444;font-size:.9em}
.note{color:#666;font-size:.9em}.wide{overflow-x:auto;max-width:100%}
details{margin:.3em 0 1em}summary{cursor:pointer;color:#4C72B0}
@media print{body{max-width:none;margin:0;font-size:10pt}.wide{overflow:visible}
details>summary{display:none}details{display:block}details>*{display:block}
table{font-size:8pt;page-break-inside:auto}tr,figure,img{page-break-inside:avoid}
h2{page-break-after:avoid}a{color:inherit;text-decoration:none}}
"""
PRINT_OPEN = (
    "<script>window.addEventListener('beforeprint',function(){document.querySelectorAll("
    "'details').forEach(function(d){d.open=true})})</script>"
)
"""Printing shows the folded tables too (inline: the page stays one file)."""


def esc(text) -> str:
    return html.escape(str(text))


def page(title: str, body: list[str]) -> str:
    """A whole page: `title` and the `body` parts, one file with its style inline."""
    return "\n".join([
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        f"<title>{esc(title)}</title><style>{STYLE}</style>{PRINT_OPEN}</head><body>",
        *body,
        "</body></html>",
    ])  # fmt: skip


def figure(caption: str, png: bytes) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f"<figure><img alt='{esc(caption)}' src='data:image/png;base64,{data}'>"
            f"<figcaption>{esc(caption)}</figcaption></figure>")  # fmt: skip


def percent(value) -> str:
    if pd.isna(value):
        return ""
    return f"{value:.0%}" if abs(value) >= 0.1 or value == 0 else f"{value:.1%}"


def formatted(value, unit: str = "") -> str:
    """A table cell: a share as a percentage, a whole number as such, else 2 decimals (1 for
    days); booleans and text as written; empty for a missing value."""
    if isinstance(value, bool):
        return str(value).lower()
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if unit == "share":
            return percent(value)
        if unit in ("days", "business days"):
            return f"{value:,.1f}"
        if float(value).is_integer() and abs(value) < 1e15:
            return f"{value:,.0f}"
        return f"{value:,.2f}"
    return str(value)


def tooltip(table: str | None, column: str | None) -> str:
    """The data dictionary's description of a column, for a header's `title`."""
    if table is None or column is None or column not in TABLES.get(table, {}):
        return ""
    unit, text = TABLES[table][column]
    return f"{column} ({unit}): {text}"


WRAP = " class='wrap'"


@dataclass(frozen=True)
class Column:
    """A column of a short table: its readable header, and the dictionary entry its tooltip
    comes from (`table`, `column`)."""

    label: str
    table: str | None = None
    column: str | None = None
    text: bool = False
    """Left-aligned text (names, descriptions) rather than a number."""


def table(columns: list[Column], rows: list[list[str]], css: str = "short") -> str:
    """A table of already formatted cells (escaped here) under readable headers."""
    head = []
    for c in columns:
        title = tooltip(c.table, c.column)
        attrs = (f" title='{esc(title)}'" if title else "") + (" class='text'" if c.text else "")
        head.append(f"<th{attrs}>{esc(c.label)}</th>")
    body = []
    for row in rows:
        cells = [f"<td{WRAP if c.text else ''}>{esc(v)}</td>"
                 for c, v in zip(columns, row, strict=True)]  # fmt: skip
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (f"<div class='wide'><table class='{css}'><thead><tr>{''.join(head)}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>")  # fmt: skip


def full_table(frame: pd.DataFrame, name: str, file: str, drop=("scenario",)) -> str:
    """Every column of a result table, folded behind `<details>`: headers are the literal
    column names (as in the file), each with the dictionary's description as its tooltip;
    shares as percentages. A table of one row reads down (column, value)."""
    frame = frame.drop(columns=[c for c in drop if c in frame.columns])
    units = {c: TABLES.get(name, {}).get(c, ("", ""))[0] for c in frame.columns}
    if len(frame) == 1:
        columns = [Column("column", text=True), Column("value"), Column("meaning", text=True)]
        rows = [[c, formatted(frame[c].iloc[0], units[c]), TABLES.get(name, {}).get(c, ("", ""))[1]]
                for c in frame.columns]  # fmt: skip
        inner = table(columns, rows, css="full")
    else:
        columns = [Column(c, name, c) for c in frame.columns]
        rows = [[formatted(v, units[c]) for c, v in zip(frame.columns, values, strict=True)]
                for values in frame.itertuples(index=False)]  # fmt: skip
        inner = table(columns, rows, css="full")
    return (f"<details><summary>Every column of {esc(file)} ({len(frame):,} "
            f"row{'s' if len(frame) != 1 else ''}; also in this folder as {esc(file)})"
            f"</summary>{inner}</details>")  # fmt: skip
