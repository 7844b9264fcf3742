"""How every chart looks: slide size, type sizes, colours, and the axes and panels to draw on.

Figures are built without pyplot, so they work under any backend (a script, a notebook, a
worker process) and leave no global state behind. Every chart is sized for a 16:9 slide
(10 x 5.6 in) with text of 11 pt or more. Multi-panel charts given `ax=` draw their panels into
the area `ax` occupied (a subfigure takes its place). A stage's colour is the one
`sim.scenario.stages` gives it.
"""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure

from sim.charts.labels import value_keys
from sim.scenario.stages import STAGES

SLIDE = (10, 5.6)  # inches: a 16:9 slide
TITLE_SIZE, LABEL_SIZE, TICK_SIZE = 16, 13, 11
PANEL_TITLE_SIZE = 12
BLUE, RED, GREY = "#4C72B0", "#C44E52", "#8C8C8C"
STAGE_COLOURS = {stage.name: stage.colour for stage in STAGES}


def new_axes(ax: Axes | None, size=SLIDE) -> tuple[Figure, Axes]:
    """The figure to return and the axes to draw on: `ax` if given, else a new figure's."""
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def new_canvas(ax: Axes | None, size=SLIDE) -> tuple[Figure, Figure | SubFigure]:
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


def empty_chart(ax: Axes | None, title: str, message: str) -> Figure:
    """A chart with nothing to show: its title and `message` where the data would be."""
    fig, ax = new_axes(ax)
    no_data(ax, message)
    ax.set_xticks([])
    ax.set_yticks([])
    style_axes(ax, title, "", "")
    return fig


def style_axes(ax: Axes, title: str, xlabel: str, ylabel: str) -> None:
    """Title left, axis labels, type sizes, no top or right spine, a light horizontal grid."""
    ax.set_title(title, fontsize=TITLE_SIZE, loc="left")
    ax.set_xlabel(xlabel, fontsize=LABEL_SIZE)
    ax.set_ylabel(ylabel, fontsize=LABEL_SIZE)
    ax.tick_params(labelsize=TICK_SIZE)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", alpha=0.3)


def no_data(ax: Axes, message: str) -> None:
    """`message`, grey, in the middle of `ax` (where the data would be)."""
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


def grid_shape(cells: pd.DataFrame, swept: list[str]) -> tuple[int, int, list[tuple[int, int]]]:
    """Rows, columns and each cell's (row, column): a true grid for two swept paths."""
    n = len(cells)
    if len(swept) == 2:
        row_keys, col_keys = value_keys(cells, swept[:1]), value_keys(cells, swept[1:])
        rows, cols = list(dict.fromkeys(row_keys)), list(dict.fromkeys(col_keys))
        where = [(rows.index(a), cols.index(b)) for a, b in zip(row_keys, col_keys, strict=True)]
        if len(set(where)) == n:  # else two cells share a square: wrap them instead
            return len(rows), len(cols), where
    ncols = n if n <= 5 else math.ceil(math.sqrt(n))  # one row, wrapped when long
    return math.ceil(n / ncols), ncols, [divmod(i, ncols) for i in range(n)]
