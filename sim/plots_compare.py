"""The what-if chart: paired differences of each variant against the base, with intervals."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.plots import BLUE, GREY, LABEL_SIZE, PANEL_TITLE_SIZE, TICK_SIZE, TITLE_SIZE, _canvas

METRICS = {  # metric -> (panel title, axis label)
    "median_time_to_offer_days": ("median time to offer", "change in days"),
    "median_time_to_hire_days": ("median time to hire", "change in days"),
    "hires": ("hires", "change per replication"),
    "withdrew": ("candidates who withdrew", "change per replication"),
}


def plot_comparison(table: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """One panel per metric: each variant's mean paired difference from the base, with its 95%
    interval; a line at zero (no change). `table` is `sim.compare(...).table`."""
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
