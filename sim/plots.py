"""Charts: pure functions of the result tables, `plot_x(table, ax=None) -> Figure`.

Here: time from interview to offer (histogram, a grid by sweep cell), the shared styling and
the labels of swept values. `sim.plots_flow` draws the candidate funnel, `sim.plots_run` one
replication's team load and candidate journeys, `sim.plots_compare` the charts that set cells or
variants side by side (the heatmap of medians, re-exported here); these four are the only
modules that import matplotlib. Figures are built without pyplot, so they work under any
backend (a script, a notebook, a worker process) and leave no global state behind. Every chart
is sized for a 16:9 slide (10 x 5.6 in) with text of 11 pt or more. Multi-panel charts given
`ax=` draw their panels into the area `ax` occupied (a subfigure takes its place).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure

from sim.scenario.stages import stage_label

SLIDE = (10, 5.6)  # inches: a 16:9 slide
TITLE_SIZE, LABEL_SIZE, TICK_SIZE = 16, 13, 11
PANEL_TITLE_SIZE = 12
BLUE, RED, GREY = "#4C72B0", "#C44E52", "#8C8C8C"
MAX_GRID_PANELS = 16  # beyond this the time-to-offer grid becomes one ranged dot chart
MAX_HEATMAP_COLUMNS = 8  # one swept path with more values than this runs down the rows
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


def _axes(ax: Axes | None, size=SLIDE) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def _canvas(ax: Axes | None, size=SLIDE) -> tuple[Figure, Figure | SubFigure]:
    """The figure to return and the (sub)figure to draw panels into: `ax`'s place if given."""
    if ax is None:
        fig = Figure(figsize=size, layout="constrained")
        return fig, fig
    spec = ax.get_subplotspec()
    if spec is None:
        raise ValueError("a multi-panel chart needs an `ax` made by add_subplot (or no `ax`)")
    sub = ax.figure.add_subfigure(spec)
    ax.remove()
    return sub.figure, sub


def _empty(ax: Axes | None, title: str, message: str) -> Figure:
    """A chart with nothing to show: its title and `message` where the data would be."""
    fig, ax = _axes(ax)
    _no_data(ax, message)
    ax.set_xticks([])
    ax.set_yticks([])
    _style(ax, title, "", "")
    return fig


def _style(ax: Axes, title: str, xlabel: str, ylabel: str) -> None:
    ax.set_title(title, fontsize=TITLE_SIZE, loc="left")
    ax.set_xlabel(xlabel, fontsize=LABEL_SIZE)
    ax.set_ylabel(ylabel, fontsize=LABEL_SIZE)
    ax.tick_params(labelsize=TICK_SIZE)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", alpha=0.3)


def _no_data(ax: Axes, message: str) -> None:
    ax.text(
        0.5,
        0.5,
        message,
        ha="center",
        va="center",
        fontsize=LABEL_SIZE,
        color=GREY,
        transform=ax.transAxes,
    )


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


def _plain(value) -> str:
    """A swept value as short text: 3 not 3.0, null for None/NaN, long text cut with "…"."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "null"
    if isinstance(value, bool):
        return str(value).lower()  # as written in the YAML
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _keys(table: pd.DataFrame, paths: list[str]) -> list[str]:
    """Each row's combination of values of `paths` as a key: equal only for equal values of
    the same type (1 and True, or 1 and "1", stay apart; every None/NaN is one value)."""
    columns = []
    for path in paths:
        values = [v.item() if isinstance(v, np.generic) else v for v in table[path].tolist()]
        columns.append([f"{type(v).__name__}:{_plain(v) if v is None or v != v else v!r}"
                        for v in values])  # fmt: skip
    return ["\x1f".join(parts) for parts in zip(*columns, strict=True)] or [""] * len(table)


def _fit(label: str, chars: int) -> str:
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
    text = _plain(value)
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


def _cells(table: pd.DataFrame, swept: list[str]) -> pd.DataFrame:
    """One row per cell (in cell order) with its swept values."""
    return table.drop_duplicates("cell").sort_values("cell")[["cell", *swept]]


def plot_time_to_offer(applicants: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """Histogram of days from interview to offer, over every offer of every replication."""
    fig, ax = _axes(ax)
    days = applicants.get("time_to_offer_days", pd.Series(dtype=float)).dropna().to_numpy()
    name = applicants["scenario"].iloc[0] if len(applicants) else "scenario"
    if len(days) == 0:
        _no_data(ax, "No offers were made")
    else:
        bins = np.histogram_bin_edges(days, bins="auto")[:60]
        ax.hist(days, bins=bins if len(bins) > 2 else 10, color=BLUE, alpha=0.85,
                edgecolor="white", weights=np.full(len(days), 100 / len(days)))  # fmt: skip
        for q, style, label in ((0.5, "-", "median"), (0.9, "--", "90th percentile")):
            value = float(np.quantile(days, q))
            ax.axvline(value, color=RED, linestyle=style, linewidth=2,
                       label=f"{label}: {value:.1f} days")  # fmt: skip
        ax.legend(fontsize=TICK_SIZE, frameon=False)
        ax.set_xlim(left=0)
    _style(ax, f"Time from interview to offer: {name} ({len(days):,} offers)",
           "days from interview to offer", "share of offers (%)")  # fmt: skip
    return fig


def _grid_shape(cells: pd.DataFrame, swept: list[str]) -> tuple[int, int, list[tuple[int, int]]]:
    """Rows, columns and each cell's (row, column): a true grid for two swept paths."""
    n = len(cells)
    if len(swept) == 2:
        row_keys, col_keys = _keys(cells, swept[:1]), _keys(cells, swept[1:])
        rows, cols = list(dict.fromkeys(row_keys)), list(dict.fromkeys(col_keys))
        where = [(rows.index(a), cols.index(b)) for a, b in zip(row_keys, col_keys, strict=True)]
        if len(set(where)) == n:  # else two cells share a square: wrap them instead
            return len(rows), len(cols), where
    ncols = n if n <= 5 else math.ceil(math.sqrt(n))  # one row, wrapped when long
    return math.ceil(n / ncols), ncols, [divmod(i, ncols) for i in range(n)]


def plot_time_to_offer_grid(
    applicants: pd.DataFrame, swept: list[str], ax: Axes | None = None
) -> Figure:
    """Distribution of days from interview to offer in each sweep cell, as a grid of ECDFs.

    One panel per cell on a shared x axis (days): with two swept paths, rows are the first
    path's values and columns the second's; otherwise one row (wrapped beyond five cells).
    Each panel marks its median and gives the number of offers. Beyond 16 cells the panels
    become one chart of each cell's median with its 50% and 80% ranges. With `ax`, the panels
    fill the area of `ax` (which is replaced).
    """
    if applicants.empty:
        return _empty(ax, "Days from interview to offer", "No candidates")
    cells = _cells(applicants, swept)
    name = applicants["scenario"].iloc[0]
    if len(cells) > MAX_GRID_PANELS:
        return _ranges_by_cell(applicants, cells, swept, name, ax)
    fig, canvas = _canvas(ax)
    nrows, ncols, where = _grid_shape(cells, swept)
    grid = canvas.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
    offers = applicants.dropna(subset=["time_to_offer_days"])
    right = max(1.0, float(offers["time_to_offer_days"].max())) if len(offers) else 30.0
    used = set()
    for (_, cell), (r, c) in zip(cells.iterrows(), where, strict=True):
        ax_ = grid[r, c]
        used.add((r, c))
        days = np.sort(offers.loc[offers["cell"] == cell["cell"], "time_to_offer_days"])
        ax_.set_title(
            _fit(cell_label({p: cell[p] for p in swept}, short=ncols > 3), 90 // ncols),
            fontsize=PANEL_TITLE_SIZE,
            loc="left",
        )
        ax_.tick_params(labelsize=TICK_SIZE)
        ax_.spines[["top", "right"]].set_visible(False)
        ax_.grid(alpha=0.3)
        if len(days) == 0:
            _no_data(ax_, "no offers")
            continue
        share = np.arange(1, len(days) + 1) / len(days) * 100
        ax_.step(np.r_[0, days], np.r_[0, share], where="post", color=BLUE, linewidth=2)
        median = float(np.median(days))
        ax_.plot([median, median], [0, 50], color=RED, linestyle="--", linewidth=1.5)
        ax_.plot([median], [50], "o", color=RED, markersize=6)
        # right of the median the curve is above 50%, left of it below: the label goes
        # right-below the dot, or left-above it when the median is near the right edge
        left = median > 0.6 * right
        ax_.annotate(
            f"median {median:.1f} d",
            (median, 50),
            xytext=(-6 if left else 6, 0),
            textcoords="offset points",
            ha="right" if left else "left",
            va="bottom" if left else "top",
            fontsize=TICK_SIZE,
            color=RED,
        )
        offers_text = f"{len(days):,} offer{'s' if len(days) != 1 else ''}"
        ax_.text(
            0.98,
            0.03,
            offers_text,
            ha="right",
            va="bottom",
            fontsize=TICK_SIZE,
            transform=ax_.transAxes,
        )
    for r in range(nrows):
        for c in range(ncols):
            if (r, c) not in used:
                grid[r, c].set_axis_off()
    grid[0, 0].set_xlim(0, right * 1.02)
    grid[0, 0].set_ylim(0, 102)
    grid[0, 0].set_yticks([0, 50, 100])
    by_cell = " by cell" if len(cells) > 1 else ""
    canvas.suptitle(
        f"Days from interview to offer{by_cell}: {name}", fontsize=TITLE_SIZE, x=0.01, ha="left"
    )
    canvas.supxlabel("days from interview to offer", fontsize=LABEL_SIZE)
    canvas.supylabel("offers made by then (%)", fontsize=LABEL_SIZE)
    return fig


def _ranges_by_cell(applicants, cells, swept, name, ax) -> Figure:
    """Median, 25-75% and 10-90% of days to offer, one line per cell (for many cells)."""
    height = max(SLIDE[1], 0.25 * len(cells) + 1.6)
    fig, ax = _axes(ax, size=(SLIDE[0], height))
    offers = applicants.dropna(subset=["time_to_offer_days"])
    labels = []
    for y, (_, cell) in enumerate(cells.iterrows()):
        labels.append(cell_label({p: cell[p] for p in swept}))
        days = offers.loc[offers["cell"] == cell["cell"], "time_to_offer_days"].to_numpy()
        if len(days) == 0:
            ax.text(0, y, "  no offers", va="center", fontsize=TICK_SIZE, color=GREY)
            continue
        p10, p25, p50, p75, p90 = np.quantile(days, [0.1, 0.25, 0.5, 0.75, 0.9])
        ax.plot([p10, p90], [y, y], color=BLUE, alpha=0.45, linewidth=2)
        ax.plot([p25, p75], [y, y], color=BLUE, linewidth=6, solid_capstyle="butt")
        ax.plot([p50], [y], "o", color=RED, markersize=6)
    ax.set_yticks(range(len(cells)), labels)
    ax.set_ylim(len(cells) - 0.5, -0.5)
    ax.set_xlim(left=0)
    _style(
        ax,
        f"Days from interview to offer by cell: {name}",
        "days from interview to offer (median, 25-75% and 10-90% of offers)",
        "",
    )
    ax.grid(axis="x", alpha=0.3)
    ax.grid(axis="y", visible=False)
    return fig


def __getattr__(name: str):
    # the heatmap lives with the other side-by-side chart; `sim.plots.plot_median_heatmap`
    # still works (imported on first use: sim.plots_compare imports this module)
    if name == "plot_median_heatmap":
        from sim.plots_compare import plot_median_heatmap

        return plot_median_heatmap
    raise AttributeError(f"module 'sim.plots' has no attribute {name!r}")
