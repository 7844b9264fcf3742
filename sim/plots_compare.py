"""Charts that set results side by side: the sweep cells' medians as a heatmap, and the what-if
chart (paired differences of each variant against the base, with intervals)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.plots import (
    BLUE,
    GREY,
    LABEL_SIZE,
    MAX_HEATMAP_COLUMNS,
    PANEL_TITLE_SIZE,
    SLIDE,
    TICK_SIZE,
    TITLE_SIZE,
    _axes,
    _canvas,
    _empty,
    _keys,
    _plain,
    _style,
    axis_name,
    cell_label,
    swept_columns,
)

METRICS = {  # metric -> (panel title, axis label)
    "median_time_to_offer_days": ("median time to offer", "change in days"),
    "median_time_to_hire_days": ("median time to hire", "change in days"),
    "hires": ("hires", "change per replication"),
    "withdrew": ("candidates who withdrew", "change per replication"),
}


def plot_comparison(table: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """One panel per metric: each variant's mean paired difference from the base, with its 95%
    interval; a line at zero (no change). `table` is `sim.analysis.compare(...).table`."""
    if table.empty or "metric" not in table:
        return _empty(ax, "What changes", "No variants to compare")
    fig, canvas = _canvas(ax)
    metrics = [m for m in METRICS if m in set(table["metric"])]
    columns = 2 if len(metrics) > 1 else 1
    rows_ = -(-len(metrics) // columns)
    grid = canvas.subplots(rows_, columns, sharey=True, squeeze=False)
    axes = grid.ravel()
    variants = list(dict.fromkeys(table["variant"]))
    for axis in axes[len(metrics) :]:
        axis.set_visible(False)
    for axis, metric in zip(axes, metrics, strict=False):
        rows = table[table["metric"] == metric].set_index("variant").loc[variants]
        y = range(len(variants))
        errors = [rows["difference"] - rows["ci_low"], rows["ci_high"] - rows["difference"]]
        axis.errorbar(rows["difference"], y, xerr=errors, fmt="o", color=BLUE, capsize=5,
                      markersize=8, linewidth=2)  # fmt: skip
        axis.axvline(0, color=GREY, linewidth=1, linestyle="--")
        title, xlabel = METRICS[metric]
        axis.set_title(title, fontsize=PANEL_TITLE_SIZE, loc="left")
        axis.set_xlabel(xlabel, fontsize=LABEL_SIZE)
        axis.set_ylim(len(variants) - 0.5, -0.5)
        axis.set_yticks(range(len(variants)), variants)
        axis.tick_params(labelsize=TICK_SIZE)
        axis.spines[["top", "right"]].set_visible(False)
        axis.grid(axis="x", alpha=0.3)
    base = table["base_scenario"].iloc[0]
    canvas.suptitle(f"What changes against {base} (paired, 95% intervals)",
                    fontsize=TITLE_SIZE, x=0.02, ha="left")  # fmt: skip
    return fig


def _heatmap_layout(summary: pd.DataFrame, swept: list[str], x, y):
    """(x path, row paths, column keys, row keys, column labels, row labels) of a heatmap.

    Rows are the combinations of every swept path but `x` that varies (`y` first); if two
    cells would still share a square (a summary of several runs), each cell gets its own row.
    """
    many = len(swept) == 1 and len(set(_keys(summary, swept))) > MAX_HEATMAP_COLUMNS
    if x is None and y is None and many:
        y = swept[0]  # a long single path reads better down the rows
    if x is None:
        x = next((p for p in swept if p != y), None)
    others = [p for p in swept if p not in (x, y) and len(set(_keys(summary, [p]))) > 1]
    row_paths = [p for p in (y, *others) if p]
    col_keys, row_keys = _keys(summary, [x] if x else []), _keys(summary, row_paths)
    row_labels = {}
    if len(set(zip(row_keys, col_keys, strict=True))) < len(summary):
        row_paths = [p for p in swept if p != x]
        row_keys = [str(i) for i in range(len(summary))]
    for key, (_, row) in zip(row_keys, summary.iterrows(), strict=True):
        values = {p: row[p] for p in row_paths}
        if len(row_paths) == 1 and key not in row_labels:
            row_labels[key] = _plain(values[row_paths[0]])
        elif key not in row_labels:
            label = cell_label(values)
            row_labels[key] = f"cell {row['cell']}: {label}" if key.isdigit() else label
    col_labels = dict(zip(col_keys, [_plain(v) for v in summary[x]] if x else [""], strict=False))
    return x, row_paths, col_keys, row_keys, col_labels, row_labels


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
        return _empty(ax, title, "No cells to show")
    x, row_paths, col_keys, row_keys, col_labels, row_labels = _heatmap_layout(summary, swept, x, y)
    xs, ys = list(col_labels), list(row_labels)
    median = np.full((len(ys), len(xs)), np.nan)
    low, high = median.copy(), median.copy()
    for (_, row), rk, ck in zip(summary.iterrows(), row_keys, col_keys, strict=True):
        i, j = ys.index(rk), xs.index(ck)
        median[i, j] = row["time_to_offer_days_median"]
        low[i, j] = row["time_to_offer_days_median_ci_low"]
        high[i, j] = row["time_to_offer_days_median_ci_high"]
    height = SLIDE[1] if len(ys) > 1 else 3.4  # one row: a strip
    height = max(height, min(0.25 * len(ys) + 1.6, 9.0))  # many rows: taller, to a point
    crowded = len(xs) > 10 or len(ys) > 14
    fig, ax = _axes(ax, size=(SLIDE[0], height))
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
            if not np.isfinite(value):
                ax.text(
                    j, i, "no offers", ha="center", va="center", fontsize=TICK_SIZE, color="#555555"
                )
                continue
            rgb = cmap((value - vmin) / (vmax - vmin))[:3]
            dark = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] < 0.55
            colour = "white" if dark else "black"
            big = 16 if with_ci else 10 if crowded else 13
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
    _style(
        ax,
        f"Median days from interview to offer{note}: {name}",
        axis_name(x) if x else "one cell: nothing was swept" if not swept else "",
        axis_name(row_paths[0]) if len(row_paths) == 1 else "",
    )
    if len(ys) > 20:
        ax.tick_params(axis="y", labelsize=9)
    ax.spines[:].set_visible(False)
    ax.grid(False)
    return fig
