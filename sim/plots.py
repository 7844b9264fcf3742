"""Charts: pure functions of the result tables, `plot_x(table, ax=None) -> Figure`.

The only module that imports matplotlib. Figures are built without pyplot, so they work under
any backend (a script, a notebook, a worker process) and leave no global state behind.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

SLIDE = (10, 5.6)  # inches: a 16:9 slide
TITLE_SIZE, LABEL_SIZE, TICK_SIZE = 16, 13, 11


def _axes(ax: Axes | None, size=SLIDE) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def _style(ax: Axes, title: str, xlabel: str, ylabel: str) -> None:
    ax.set_title(title, fontsize=TITLE_SIZE, loc="left")
    ax.set_xlabel(xlabel, fontsize=LABEL_SIZE)
    ax.set_ylabel(ylabel, fontsize=LABEL_SIZE)
    ax.tick_params(labelsize=TICK_SIZE)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", alpha=0.3)


def plot_time_to_offer(applicants: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """Histogram of days from interview to offer, over every offer of every replication."""
    fig, ax = _axes(ax)
    days = applicants["time_to_offer_days"].dropna().to_numpy()
    name = applicants["scenario"].iloc[0] if len(applicants) else "scenario"
    if len(days) == 0:
        ax.text(0.5, 0.5, "No offers were made", ha="center", va="center",
                fontsize=LABEL_SIZE, transform=ax.transAxes)  # fmt: skip
    else:
        bins = np.histogram_bin_edges(days, bins="auto")[:60]
        ax.hist(days, bins=bins if len(bins) > 2 else 10, color="#4C72B0", alpha=0.85,
                edgecolor="white", weights=np.full(len(days), 100 / len(days)))  # fmt: skip
        for q, style, label in ((0.5, "-", "median"), (0.9, "--", "90th percentile")):
            value = float(np.quantile(days, q))
            ax.axvline(value, color="#C44E52", linestyle=style, linewidth=2,
                       label=f"{label}: {value:.1f} days")  # fmt: skip
        ax.legend(fontsize=TICK_SIZE, frameon=False)
        ax.set_xlim(left=0)
    _style(ax, f"Time from interview to offer: {name} ({len(days):,} offers)",
           "days from interview to offer", "share of offers (%)")  # fmt: skip
    return fig
