"""Time from interview to offer: one run's histogram, a grid of ECDFs by sweep cell (one ranged
dot chart beyond 16 cells), and the heatmap of each cell's median over the swept paths."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.charts.labels import (
    axis_name,
    cell_label,
    cell_rows,
    fit_label,
    plain,
    swept_columns,
    value_keys,
)
from sim.charts.style import (
    BLUE,
    GREY,
    LABEL_SIZE,
    PANEL_TITLE_SIZE,
    RED,
    SLIDE,
    TICK_SIZE,
    TITLE_SIZE,
    empty_chart,
    grid_shape,
    new_axes,
    new_canvas,
    no_data,
    style_axes,
)

MAX_GRID_PANELS = 16  # beyond this the time-to-offer grid becomes one ranged dot chart
MAX_HEATMAP_COLUMNS = 8  # one swept path with more values than this runs down the rows


TIMES = {  # column -> (what it runs to, what is counted)
    "time_to_offer_days": ("offer", "offers"),
    "time_to_hire_days": ("hire (the start date)", "hires"),
}


def plot_time_to_offer(applicants: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """Histogram of days from interview to offer, over every offer of every replication."""
    return plot_time_histogram(applicants, "time_to_offer_days", ax)


def plot_time_to_hire(applicants: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """Histogram of days from interview to hire (onboarding complete), over every hire of
    every replication."""
    return plot_time_histogram(applicants, "time_to_hire_days", ax)


def plot_time_histogram(applicants: pd.DataFrame, column: str, ax: Axes | None = None) -> Figure:
    """Histogram of `column` (a key of `TIMES`), its median and 90th percentile marked."""
    end, counted = TIMES[column]
    fig, ax = new_axes(ax)
    days = applicants.get(column, pd.Series(dtype=float)).dropna().to_numpy()
    name = applicants["scenario"].iloc[0] if len(applicants) else "scenario"
    if len(days) == 0:
        no_data(ax, f"No {counted} were made" if counted == "offers" else f"No {counted}")
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
    short = end.split(" ")[0]
    style_axes(ax, f"Time from interview to {short}: {name} ({len(days):,} {counted})",
               f"days from interview to {end}", f"share of {counted} (%)")  # fmt: skip
    return fig


def plot_time_to_offer_grid(
    applicants: pd.DataFrame,
    swept: list[str],
    ax: Axes | None = None,
    column: str = "time_to_offer_days",
) -> Figure:
    """Distribution of days from interview to offer (or `column`, a key of `TIMES`) in each
    sweep cell, as a grid of ECDFs.

    One panel per cell on a shared x axis (days): with two swept paths, rows are the first
    path's values and columns the second's; otherwise one row (wrapped beyond five cells).
    Each panel marks its median (labelled beside the dot, below the curve) and gives the number
    of offers top left, above the curve; if the two labels would still touch (a small panel),
    the count moves into the panel's title. Beyond 16 cells the panels become one chart of each
    cell's median with its 50% and 80% ranges. With `ax`, the panels fill the area of `ax`
    (which is replaced).
    """
    end, counted = TIMES[column]
    what = f"Days from interview to {end.split(' ')[0]}"
    if applicants.empty:
        return empty_chart(ax, what, "No candidates")
    cells = cell_rows(applicants, swept)
    name = applicants["scenario"].iloc[0]
    if len(cells) > MAX_GRID_PANELS:
        return _ranges_by_cell(applicants, cells, swept, name, ax, column)
    fig, canvas = new_canvas(ax)
    nrows, ncols, where = grid_shape(cells, swept)
    grid = canvas.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
    offers = applicants.dropna(subset=[column])
    right = max(1.0, float(offers[column].max())) if len(offers) else 30.0
    used, labels = set(), []
    for (_, cell), (r, c) in zip(cells.iterrows(), where, strict=True):
        ax_ = grid[r, c]
        used.add((r, c))
        days = np.sort(offers.loc[offers["cell"] == cell["cell"], column])
        title = fit_label(cell_label({p: cell[p] for p in swept}, short=ncols > 3), 90 // ncols)
        ax_.set_title(title, fontsize=PANEL_TITLE_SIZE, loc="left")
        ax_.tick_params(labelsize=TICK_SIZE)
        ax_.spines[["top", "right"]].set_visible(False)
        ax_.grid(alpha=0.3)
        if len(days) == 0:
            no_data(ax_, f"no {counted}")
            continue
        share = np.arange(1, len(days) + 1) / len(days) * 100
        ax_.step(np.r_[0, days], np.r_[0, share], where="post", color=BLUE, linewidth=2)
        median = float(np.median(days))
        ax_.plot([median, median], [0, 50], color=RED, linestyle="--", linewidth=1.5)
        ax_.plot([median], [50], "o", color=RED, markersize=6)
        # right of the median the curve is above 50%: the label goes right-below the dot
        # (left-below near the right edge), under the curve; the count top left, above it
        left = median > 0.6 * right
        mark = ax_.annotate(
            f"median {median:.1f} d",
            (median, 50),
            xytext=(-6 if left else 6, -2),
            textcoords="offset points",
            ha="right" if left else "left",
            va="top",
            fontsize=TICK_SIZE,
            color=RED,
        )
        count_text = f"{len(days):,} {counted if len(days) != 1 else counted[:-1]}"
        count = ax_.text(0.02, 0.97, count_text, ha="left", va="top", fontsize=TICK_SIZE,
                         transform=ax_.transAxes)  # fmt: skip
        labels.append((ax_, mark, count, title, count_text))
    for r in range(nrows):
        for c in range(ncols):
            if (r, c) not in used:
                grid[r, c].set_axis_off()
    grid[0, 0].set_xlim(0, right * 1.02)
    grid[0, 0].set_ylim(0, 102)
    grid[0, 0].set_yticks([0, 50, 100])
    by_cell = " by cell" if len(cells) > 1 else ""
    canvas.suptitle(f"{what}{by_cell}: {name}", fontsize=TITLE_SIZE, x=0.01, ha="left")
    canvas.supxlabel(f"days from interview to {end}", fontsize=LABEL_SIZE)
    canvas.supylabel(f"{counted} made by then (%)" if counted == "offers"
                     else f"{counted} by then (%)", fontsize=LABEL_SIZE)  # fmt: skip
    _separate(fig, labels)
    return fig


def _separate(fig: Figure, labels: list) -> None:
    """Where a panel's median label and count overlap (as drawn), the count moves into the
    panel's title."""
    if not labels:
        return
    if not hasattr(fig.canvas, "get_renderer"):  # a Figure made without pyplot
        FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()  # the layout settles the panels' sizes
    for ax_, mark, count, title, count_text in labels:
        if mark.get_window_extent(renderer).overlaps(count.get_window_extent(renderer)):
            count.set_visible(False)
            ax_.set_title(f"{title}{' · ' if title else ''}{count_text}",
                          fontsize=PANEL_TITLE_SIZE, loc="left")  # fmt: skip


def _ranges_by_cell(applicants, cells, swept, name, ax, column="time_to_offer_days") -> Figure:
    """Median, 25-75% and 10-90% of days to offer, one line per cell (for many cells)."""
    end, counted = TIMES[column]
    height = max(SLIDE[1], 0.25 * len(cells) + 1.6)
    fig, ax = new_axes(ax, size=(SLIDE[0], height))
    offers = applicants.dropna(subset=[column])
    labels = []
    for y, (_, cell) in enumerate(cells.iterrows()):
        labels.append(cell_label({p: cell[p] for p in swept}))
        days = offers.loc[offers["cell"] == cell["cell"], column].to_numpy()
        if len(days) == 0:
            ax.text(0, y, f"  no {counted}", va="center", fontsize=TICK_SIZE, color=GREY)
            continue
        p10, p25, p50, p75, p90 = np.quantile(days, [0.1, 0.25, 0.5, 0.75, 0.9])
        ax.plot([p10, p90], [y, y], color=BLUE, alpha=0.45, linewidth=2)
        ax.plot([p25, p75], [y, y], color=BLUE, linewidth=6, solid_capstyle="butt")
        ax.plot([p50], [y], "o", color=RED, markersize=6)
    ax.set_yticks(range(len(cells)), labels)
    ax.set_ylim(len(cells) - 0.5, -0.5)
    ax.set_xlim(left=0)
    style_axes(
        ax,
        f"Days from interview to {end.split(' ')[0]} by cell: {name}",
        f"days from interview to {end} (median, 25-75% and 10-90% of {counted})",
        "",
    )
    ax.grid(axis="x", alpha=0.3)
    ax.grid(axis="y", visible=False)
    return fig


def _heatmap_layout(summary: pd.DataFrame, swept: list[str], x, y):
    """(x path, row paths, column keys, row keys, column labels, row labels) of a heatmap.

    Rows are the combinations of every swept path but `x` that varies (`y` first); if two
    cells would still share a square (a summary of several runs), each cell gets its own row.
    """
    many = len(swept) == 1 and len(set(value_keys(summary, swept))) > MAX_HEATMAP_COLUMNS
    if x is None and y is None and many:
        y = swept[0]  # a long single path reads better down the rows
    if x is None:
        x = next((p for p in swept if p != y), None)
    others = [p for p in swept if p not in (x, y) and len(set(value_keys(summary, [p]))) > 1]
    row_paths = [p for p in (y, *others) if p]
    col_keys, row_keys = value_keys(summary, [x] if x else []), value_keys(summary, row_paths)
    row_labels = {}
    if len(set(zip(row_keys, col_keys, strict=True))) < len(summary):
        row_paths = [p for p in swept if p != x]
        row_keys = [str(i) for i in range(len(summary))]
    for key, (_, row) in zip(row_keys, summary.iterrows(), strict=True):
        values = {p: row[p] for p in row_paths}
        if len(row_paths) == 1 and key not in row_labels:
            row_labels[key] = plain(values[row_paths[0]])
        elif key not in row_labels:
            label = cell_label(values)
            row_labels[key] = f"cell {row['cell']}: {label}" if key.isdigit() else label
    col_labels = dict(zip(col_keys, [plain(v) for v in summary[x]] if x else [""], strict=False))
    return x, row_paths, col_keys, row_keys, col_labels, row_labels


def outcome_shares(row) -> tuple[float, float]:
    """(share of the cell's candidates offered, share who withdrew) of a summary row."""
    candidates = row.get("candidates", np.nan)
    offered = row.get("offer_rate", np.nan)
    withdrew = row.get("withdrew", np.nan) / candidates if candidates else np.nan
    return float(offered), float(withdrew)


def _shares_text(offered: float, withdrew: float) -> str:
    if not (np.isfinite(offered) and np.isfinite(withdrew)):
        return ""
    return f"{offered:.0%} offered · {withdrew:.0%} withdrew"


def plot_median_heatmap(
    summary: pd.DataFrame, x: str | None = None, y: str | None = None, ax: Axes | None = None
) -> Figure:
    """Median days from interview to offer over the swept paths, each cell annotated.

    `x` and `y` are dotted swept paths (columns of `summary`); left out, `x` is the first swept
    path and the rows are the combinations of the others (labelled like "mid · 2 reqs"), so
    one swept path gives one row (one column, if it has many values) and none a single
    square. Given `y`, rows are its values (combined with any other swept path that varies).
    Each square shows the median and, when the grid is small enough, its 95% interval.
    """
    swept = swept_columns(summary, until="replications")
    for path in (x, y):
        if path is not None and path not in swept:
            raise ValueError(f"{path!r} is not a swept path of this summary (swept: {swept})")
    title = "Median days from interview to offer"
    if summary.empty:
        return empty_chart(ax, title, "No cells to show")
    x, row_paths, col_keys, row_keys, col_labels, row_labels = _heatmap_layout(summary, swept, x, y)
    xs, ys = list(col_labels), list(row_labels)
    median = np.full((len(ys), len(xs)), np.nan)
    low, high, offered, withdrew = median.copy(), median.copy(), median.copy(), median.copy()
    for (_, row), rk, ck in zip(summary.iterrows(), row_keys, col_keys, strict=True):
        i, j = ys.index(rk), xs.index(ck)
        offered[i, j], withdrew[i, j] = outcome_shares(row)
        median[i, j] = row["time_to_offer_days_median"]
        low[i, j] = row["time_to_offer_days_median_ci_low"]
        high[i, j] = row["time_to_offer_days_median_ci_high"]
    height = SLIDE[1] if len(ys) > 1 else 3.4  # one row: a strip
    height = max(height, min(0.25 * len(ys) + 1.6, 9.0))  # many rows: taller, to a point
    crowded = len(xs) > 10 or len(ys) > 14
    fig, ax = new_axes(ax, size=(SLIDE[0], height))
    cmap = colormaps["YlOrRd"].with_extremes(bad="#E6E6E6")
    finite = median[np.isfinite(median)]
    vmin, vmax = (finite.min(), finite.max()) if len(finite) else (0.0, 1.0)
    if vmax - vmin < 1e-9:
        vmin, vmax = vmin - 1, vmax + 1
    image = ax.imshow(
        np.ma.masked_invalid(median), cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto", origin="upper"
    )
    # intervals only where there is room, and where there are any (one replication: none)
    with_ci = len(xs) <= 6 and len(ys) <= 5 and bool(np.isfinite(low).any())
    for i in range(len(ys)):
        for j in range(len(xs)):
            value = median[i, j]
            shares = _shares_text(offered[i, j], withdrew[i, j])
            if not np.isfinite(value):
                text = "no offers" + (f"\n{shares}" if shares and not crowded else "")
                ax.text(j, i, text, ha="center", va="center", fontsize=TICK_SIZE,
                        color="#555555")  # fmt: skip
                continue
            rgb = cmap((value - vmin) / (vmax - vmin))[:3]
            dark = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] < 0.55
            colour = "white" if dark else "black"
            big = 16 if with_ci else 10 if crowded else 13
            below = with_ci or (shares and not crowded)
            ax.annotate(
                f"{value:.1f}",
                (j, i),
                xytext=(0, 2 if below else 0),
                textcoords="offset points",
                ha="center",
                va="bottom" if below else "center",
                fontsize=big,
                fontweight="bold",
                color=colour,
            )
            lines = [f"[{low[i, j]:.1f}, {high[i, j]:.1f}]"] if with_ci and np.isfinite(
                low[i, j]) else []  # fmt: skip
            if shares and not crowded:
                lines.append(shares)
            if lines:
                ax.annotate(
                    "\n".join(lines),
                    (j, i),
                    xytext=(0, -2),
                    textcoords="offset points",
                    ha="center",
                    va="top",
                    fontsize=TICK_SIZE if with_ci else 9,
                    color=colour,
                )
    long = sum(len(col_labels[k]) for k in xs) > 70  # labels that would run into each other
    ax.set_xticks(range(len(xs)), [col_labels[k] for k in xs],
                  rotation=25 if long else 0, ha="right" if long else "center")  # fmt: skip
    ax.set_yticks(range(len(ys)), [row_labels[k] for k in ys])
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
    shown = ("" if crowded
             else "\nunder each: the share of the cell's candidates offered, who withdrew")
    style_axes(
        ax,
        f"Median days from interview to offer{note}, among offers only: {name}{shown}",
        axis_name(x) if x else "one cell: nothing was swept" if not swept else "",
        axis_name(row_paths[0]) if len(row_paths) == 1 else "",
    )
    if len(ys) > 20:
        ax.tick_params(axis="y", labelsize=9)
    ax.spines[:].set_visible(False)
    ax.grid(False)
    return fig
