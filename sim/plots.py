"""Charts: pure functions of the result tables, `plot_x(table, ax=None) -> Figure`.

Here: time from interview to offer (histogram, a grid by sweep cell, a heatmap of medians) and
the shared styling. `sim.plots_flow` draws the candidate funnel, `sim.plots_run` one
replication's team load and candidate journeys; these three are the only modules that import
matplotlib. Figures are built without pyplot, so they work under any backend (a script, a
notebook, a worker process) and leave no global state behind. Every chart is sized for a 16:9
slide (10 x 5.6 in) with text of 11 pt or more. Multi-panel charts given `ax=` draw their
panels into the area `ax` occupied (a subfigure takes its place).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure

SLIDE = (10, 5.6)  # inches: a 16:9 slide
TITLE_SIZE, LABEL_SIZE, TICK_SIZE = 16, 13, 11
PANEL_TITLE_SIZE = 12
BLUE, RED, GREY = "#4C72B0", "#C44E52", "#8C8C8C"
MAX_GRID_PANELS = 16  # beyond this the time-to-offer grid becomes one ranged dot chart
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
    return "follow-up" if stage == "follow_up" else stage.replace("_", " ")


def _plain(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


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
    days = applicants["time_to_offer_days"].dropna().to_numpy()
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
        rows = list(dict.fromkeys(cells[swept[0]]))
        cols = list(dict.fromkeys(cells[swept[1]]))
        pairs = zip(cells[swept[0]], cells[swept[1]], strict=True)
        where = [(rows.index(a), cols.index(b)) for a, b in pairs]
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
    cells = _cells(applicants, swept)
    name = applicants["scenario"].iloc[0] if len(applicants) else "scenario"
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
            cell_label({p: cell[p] for p in swept}, short=ncols > 3),
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


def _axis_values(summary: pd.DataFrame, path: str | None) -> list:
    return list(dict.fromkeys(summary[path])) if path else [None]


def plot_median_heatmap(
    summary: pd.DataFrame, x: str | None = None, y: str | None = None, ax: Axes | None = None
) -> Figure:
    """Median days from interview to offer over two swept paths, each cell annotated.

    `x` and `y` are dotted swept paths (columns of `summary`); left out, they are the first
    and second swept paths found, so one swept path gives one row and none a single square.
    Each square shows the median and, when the grid is small enough, its 95% interval.
    """
    swept = swept_columns(summary, until="replications")
    if x is None and swept:
        x = swept[0]
    if y is None and len([p for p in swept if p != x]):
        y = next(p for p in swept if p != x)
    for path in (x, y):
        if path is not None and path not in summary.columns:
            raise ValueError(f"{path!r} is not a swept path of this summary (swept: {swept})")
    keys = [p for p in (x, y) if p]
    if len(summary) and summary.groupby(keys or ["scenario"]).size().max() > 1:
        others = [p for p in swept if p not in keys]
        raise ValueError(f"several cells per square: filter the summary on {others} first")
    xs, ys = _axis_values(summary, x), _axis_values(summary, y)
    median = np.full((len(ys), len(xs)), np.nan)
    low, high = median.copy(), median.copy()
    for _, row in summary.iterrows():
        i = ys.index(row[y]) if y else 0
        j = xs.index(row[x]) if x else 0
        median[i, j] = row["time_to_offer_days_median"]
        low[i, j] = row["time_to_offer_days_median_ci_low"]
        high[i, j] = row["time_to_offer_days_median_ci_high"]
    fig, ax = _axes(ax, size=SLIDE if len(ys) > 1 else (SLIDE[0], 3.4))  # one row: a strip
    cmap = colormaps["YlOrRd"].with_extremes(bad="#E6E6E6")
    finite = median[np.isfinite(median)]
    vmin, vmax = (finite.min(), finite.max()) if len(finite) else (0.0, 1.0)
    if vmax - vmin < 1e-9:
        vmin, vmax = vmin - 1, vmax + 1
    image = ax.imshow(
        np.ma.masked_invalid(median), cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto", origin="upper"
    )
    with_ci = len(xs) <= 6 and len(ys) <= 5
    for i in range(len(ys)):
        for j in range(len(xs)):
            value = median[i, j]
            if not np.isfinite(value):
                ax.text(
                    j, i, "no offers", ha="center", va="center", fontsize=TICK_SIZE, color="#555555"
                )
                continue
            rgb = cmap((value - vmin) / (vmax - vmin))[:3]
            dark = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] < 0.55
            colour = "white" if dark else "black"
            big = 16 if with_ci else 13
            ax.annotate(
                f"{value:.1f}",
                (j, i),
                xytext=(0, 2 if with_ci else 0),
                textcoords="offset points",
                ha="center",
                va="bottom" if with_ci else "center",
                fontsize=big,
                fontweight="bold",
                color=colour,
            )
            if with_ci and np.isfinite(low[i, j]):
                ax.annotate(
                    f"[{low[i, j]:.1f}, {high[i, j]:.1f}]",
                    (j, i),
                    xytext=(0, -2),
                    textcoords="offset points",
                    ha="center",
                    va="top",
                    fontsize=TICK_SIZE,
                    color=colour,
                )
    ax.set_xticks(range(len(xs)), [_plain(v) for v in xs] if x else [""])
    ax.set_yticks(range(len(ys)), [_plain(v) for v in ys] if y else [""])
    ax.tick_params(length=0)
    if len(finite):  # no offers anywhere: no scale to read
        bar = fig.colorbar(image, ax=ax, pad=0.02)
        long_label = ax.get_position().height * fig.get_figheight() > 3.5  # inches of bar
        bar.set_label(
            f"median days {'from interview ' if long_label else ''}to offer", fontsize=LABEL_SIZE
        )
        bar.ax.tick_params(labelsize=TICK_SIZE)
    name = summary["scenario"].iloc[0] if len(summary) else "scenario"
    note = " [95% interval]" if with_ci else ""
    _style(
        ax,
        f"Median days from interview to offer{note}: {name}",
        axis_name(x) if x else "one cell: nothing was swept",
        axis_name(y) if y else "",
    )
    ax.spines[:].set_visible(False)
    ax.grid(False)
    return fig
