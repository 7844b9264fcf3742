"""What a chart says about where its numbers come from: which columns of a result table are
swept, how a swept value, a cell and a stage read in a title, and which rows are one run.

Imports no matplotlib: the report words swept values the same way.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.scenario.stages import stage_label

MAX_VALUE_CHARS = 24  # a swept value longer than this (a distribution as text) is cut
VALUE_LABELS = {  # how a swept value reads in a panel title
    "company.size": "{}",
    "applicants.per_requisition": "{} candidates/req",
    "company.requisitions": "{} reqs",
    "company.openings": "{} openings/req",
}
SHORT_VALUE_LABELS = {**VALUE_LABELS, "applicants.per_requisition": "{}/req"}  # narrow panels
AXIS_NAMES = {
    "company.size": "company size",
    "applicants.per_requisition": "interviewed candidates per requisition",
    "company.requisitions": "requisitions open at once",
    "company.openings": "openings per requisition",
}


def swept_columns(table: pd.DataFrame, after: str = "cell", until: str | None = None) -> list[str]:
    """The swept dotted paths of a result table: its columns between `after` and `until`.

    Every table puts them in one run: right after `cell` in `summary` (until "replications")
    and `stages` (until "stage"); at the end of `events` (after "time_days") and `team_levels`
    (after "capacity").
    """
    columns = list(table.columns)
    if after not in columns:
        return []
    stop = columns.index(until) if until in columns else len(columns)
    return columns[columns.index(after) + 1 : stop]


def stage_name(stage: str) -> str:
    """A stage as it reads on a chart: "initial review", "follow-up"."""
    return stage_label(stage)


def plain(value, width: int = MAX_VALUE_CHARS) -> str:
    """A swept value as short text: 3 not 3.0, null for None/NaN (as in the YAML), text longer
    than `width` characters cut with "…"."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "null"
    if isinstance(value, bool):
        return str(value).lower()  # as written in the YAML
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def value_keys(table: pd.DataFrame, paths: list[str]) -> list[str]:
    """Each row's combination of values of `paths` as a key: equal only for equal values of
    the same type (1 and True, or 1 and "1", stay apart; every None/NaN is one value)."""
    columns = []
    for path in paths:
        values = [v.item() if isinstance(v, np.generic) else v for v in table[path].tolist()]
        columns.append([f"{type(v).__name__}:{plain(v) if v is None or v != v else v!r}"
                        for v in values])  # fmt: skip
    return ["\x1f".join(parts) for parts in zip(*columns, strict=True)] or [""] * len(table)


def fit_label(label: str, chars: int) -> str:
    """Wrap a " · "-joined label onto lines of about `chars` characters, between values."""
    lines: list[str] = []
    for part in label.split(" · "):
        if lines and len(lines[-1]) + 3 + len(part) <= chars:
            lines[-1] += " · " + part
        else:
            lines.append(part)
    return "\n".join(lines)


def value_label(path: str, value, short: bool = False) -> str:
    """A swept value as it reads in a title: "startup", "20 candidates/req", "recruiters: 3"."""
    text = plain(value)
    labels = SHORT_VALUE_LABELS if short else VALUE_LABELS
    if path in labels:
        return labels[path].format(text)
    parts = path.split(".")
    if parts[0] == "team" and len(parts) == 2:
        return f"{parts[1].replace('_', ' ')}s: {text}"
    return f"{'.'.join(parts[-1 if short else -2 :])} = {text}"


def axis_name(path: str) -> str:
    """A swept path as an axis label: "company size", "recruiters (people)"."""
    parts = path.split(".")
    if parts[0] == "team" and len(parts) == 2:
        return f"{parts[1].replace('_', ' ')}s (people)"
    return AXIS_NAMES.get(path, path)


def cell_label(values: dict, short: bool = False) -> str:
    """A cell's swept values in one line ("" when nothing was swept); `short` for narrow panels."""
    return " · ".join(value_label(path, value, short) for path, value in values.items())


def cell_rows(table: pd.DataFrame, swept: list[str]) -> pd.DataFrame:
    """One row per cell (in cell order) with its swept values."""
    return table.drop_duplicates("cell").sort_values("cell")[["cell", *swept]]


def one_run(table: pd.DataFrame, cell: int, replication: int) -> pd.DataFrame:
    """The rows of one replication of one cell; ValueError for a cell or replication beyond
    those present."""
    for column, value in (("cell", cell), ("replication", replication)):
        present = set(table[column]) if len(table) else set()
        # within the range present, a run with no rows (no candidates) is an empty chart
        if present and value not in present and not 0 <= value <= max(present):
            raise ValueError(f"no {column} {value} (there are {sorted(present)})")
    if table.empty:
        return table
    return table[(table["cell"] == cell) & (table["replication"] == replication)]


def run_title(table: pd.DataFrame, swept_after: str, replication: int) -> str:
    """ "scenario, swept values, replication r" for a chart title."""
    label = cell_label({c: table[c].iloc[0] for c in swept_columns(table, after=swept_after)})
    where = f"{table['scenario'].iloc[0]}{', ' + label if label else ''}, replication {replication}"
    return fit_label(where, 100)  # many swept values: on several lines
