"""What changes, variant by variant: the levels in the base and the variant, and the paired
difference with its interval.

Takes the comparison table (`sim.compare(...).table`, or `comparison.csv` read back), never the
runs: its metrics' labels and units are `sim.analysis.metrics`'s. Each panel's axis spans at
least half the base's level either side of zero (10 percentage points for a rate), so a change
that is noise next to the level looks small, as it is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.analysis.headline import levels_text
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

PANELS = ("median_time_to_offer_days", "time_to_fill_days_median", "hires", "interviewed",
          "withdrawal_rate", "fill_rate")  # fmt: skip
"""The metrics drawn, one panel each, in order."""
LEVEL_SHARE = 0.5
"""Each axis spans at least this share of the base's level either side of zero."""
MIN_POINTS = 10.0
"""... and a rate's at least this many percentage points."""


def scale(metric) -> float:
    """What the chart multiplies a metric by: 100 for a share (percentage points), else 1."""
    return 100.0 if metric.unit == "share" else 1.0


def half_width(rows: pd.DataFrame, factor: float, unit: str) -> float:
    """Half the axis: the widest interval's reach with a margin, and at least LEVEL_SHARE of the
    base's level (MIN_POINTS for a share)."""
    reach = np.nanmax(np.abs(rows[["difference", "ci_low", "ci_high"]].to_numpy(float)) * factor,
                      initial=0.0)  # fmt: skip
    base = np.nanmax(np.abs(rows["base"].to_numpy(float)) * factor, initial=0.0) if (
        "base" in rows) else 0.0  # fmt: skip
    floor = max(LEVEL_SHARE * base, MIN_POINTS if unit == "share" else 0.0)
    return max(1.15 * reach, floor) or 1.0


def plot_comparison(table: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """One panel per metric: each variant's mean paired difference from the base, with its 95%
    interval, labelled with the levels ("26.9 → 18.0"); a line at zero (no change). `table`
    is `sim.compare(...).table`."""
    if table.empty or "metric" not in table:
        return empty_chart(ax, "What changes", "No variants to compare")
    fig, canvas = new_canvas(ax)
    metrics = [m for m in PANELS if m in set(table["metric"])]
    columns = 3 if len(metrics) > 4 else 2 if len(metrics) > 1 else 1
    rows_ = -(-len(metrics) // columns)
    grid = canvas.subplots(rows_, columns, sharey=True, squeeze=False)
    axes = grid.ravel()
    variants = list(dict.fromkeys(table["variant"]))
    for axis in axes[len(metrics) :]:
        axis.set_visible(False)
    for axis, name in zip(axes, metrics, strict=False):
        metric = PER_REPLICATION[name]
        factor = scale(metric)
        rows = table[table["metric"] == name].set_index("variant").loc[variants]
        y = np.arange(len(variants))
        middle = rows["difference"].to_numpy(float) * factor
        errors = np.array([middle - rows["ci_low"].to_numpy(float) * factor,
                           rows["ci_high"].to_numpy(float) * factor - middle])  # fmt: skip
        axis.errorbar(middle, y, xerr=np.nan_to_num(errors), fmt="o", color=BLUE, capsize=5,
                      markersize=8, linewidth=2)  # fmt: skip
        axis.axvline(0, color=GREY, linewidth=1, linestyle="--")
        half = half_width(rows, factor, metric.unit)
        axis.set_xlim(-half, half)
        if "base" in rows:
            for k, (_, row) in enumerate(rows.iterrows()):
                text = levels_text(row, metric.unit, arrow="→").removesuffix(" per replication")
                axis.annotate(text, (0, k), xytext=(0, 9),
                              textcoords="offset points", ha="center", va="bottom",
                              fontsize=TICK_SIZE, color="#333333")  # fmt: skip
        axis.set_title(metric.label, fontsize=PANEL_TITLE_SIZE, loc="left")
        axis.set_xlabel(change_label(metric), fontsize=LABEL_SIZE)
        axis.set_ylim(len(variants) - 0.4, -0.7)
        axis.set_yticks(range(len(variants)), variants)
        axis.tick_params(labelsize=TICK_SIZE)
        axis.spines[["top", "right"]].set_visible(False)
        axis.grid(axis="x", alpha=0.3)
    base = table["base_scenario"].iloc[0]
    canvas.suptitle(f"What changes against {base} (paired, 95% intervals)",
                    fontsize=TITLE_SIZE, x=0.02, ha="left")  # fmt: skip
    return fig
