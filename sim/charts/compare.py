"""What changes, variant by variant: paired differences from the base with their intervals.

Takes the comparison table (`sim.compare(...).table`, or `comparison.csv` read back), never the
runs: its metrics' labels and units are `sim.analysis.metrics`'s.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.analysis.metrics import PER_REPLICATION, change_label
from sim.charts.style import (
    BLUE,
    GREY,
    LABEL_SIZE,
    PANEL_TITLE_SIZE,
    TICK_SIZE,
    TITLE_SIZE,
    empty_chart,
    new_canvas,
)

PANELS = ("median_time_to_offer_days", "median_time_to_hire_days", "hires", "withdrew")
"""The metrics drawn, one panel each, in order."""


def plot_comparison(table: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """One panel per metric: each variant's mean paired difference from the base, with its 95%
    interval; a line at zero (no change). `table` is `sim.compare(...).table`."""
    if table.empty or "metric" not in table:
        return empty_chart(ax, "What changes", "No variants to compare")
    fig, canvas = new_canvas(ax)
    metrics = [m for m in PANELS if m in set(table["metric"])]
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
        axis.set_title(PER_REPLICATION[metric].label, fontsize=PANEL_TITLE_SIZE, loc="left")
        axis.set_xlabel(change_label(PER_REPLICATION[metric]), fontsize=LABEL_SIZE)
        axis.set_ylim(len(variants) - 0.5, -0.5)
        axis.set_yticks(range(len(variants)), variants)
        axis.tick_params(labelsize=TICK_SIZE)
        axis.spines[["top", "right"]].set_visible(False)
        axis.grid(axis="x", alpha=0.3)
    base = table["base_scenario"].iloc[0]
    canvas.suptitle(f"What changes against {base} (paired, 95% intervals)",
                    fontsize=TITLE_SIZE, x=0.02, ha="left")  # fmt: skip
    return fig
