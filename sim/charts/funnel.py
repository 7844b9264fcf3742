"""Where candidates go: the candidate funnel, per sweep cell (one table of shares beyond nine
cells)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.charts.labels import cell_label, fit_label, stage_name, swept_columns
from sim.charts.style import (
    BLUE,
    LABEL_SIZE,
    PANEL_TITLE_SIZE,
    SLIDE,
    TICK_SIZE,
    TITLE_SIZE,
    empty_chart,
    grid_shape,
    new_canvas,
)

LOSS_COLOURS = {  # where candidates leave a stage, beside those who pass it
    "passed": BLUE,
    "rejected": "#B0B0B0",
    "withdrew": "#DD8452",
    "declined": "#8172B3",
    "in_process": "#DADADA",
}
LOSS_NAMES = {"in_process": "still in process"}
MAX_FUNNEL_PANELS = 9  # beyond this the funnel becomes one table of shares


def plot_funnel(
    stages: pd.DataFrame,
    share: bool | None = None,
    replications: int | None = None,
    ax: Axes | None = None,
) -> Figure:
    """How many candidates reach each stage and how they leave it, one panel per sweep cell.

    Each bar is a stage (in the table's row order): its length the candidates who entered,
    split into those who passed, were rejected, withdrew, declined or were still there at the
    horizon. `share` shows percentages of the candidates entering the first stage (default:
    when there are several cells, so cells of different volume compare); otherwise counts,
    summed over replications or divided by `replications` if given. Beyond nine cells the
    panels become one table of the share of candidates reaching each stage, a row per cell.
    With `ax`, the panels fill the area of `ax` (which is replaced).
    """
    if stages.empty:
        return empty_chart(ax, "Candidate funnel", "No candidates entered any stage")
    swept = swept_columns(stages, until="stage")
    cells = stages.drop_duplicates("cell")[["cell", *swept]]
    share = len(cells) > 1 if share is None else share
    many = len(cells) > MAX_FUNNEL_PANELS
    fig, canvas = new_canvas(ax, size=(10, max(5.6, 0.24 * len(cells) + 1.8)) if many else SLIDE)
    name = stages["scenario"].iloc[0]
    if many:
        return _reach_by_cell(stages, cells, swept, name, fig, canvas)
    nrows, ncols, where = grid_shape(cells, swept)
    grid = canvas.subplots(nrows, ncols, sharey=True, sharex=share, squeeze=False)
    parts = list(LOSS_COLOURS)
    for (_, cell), (r, c) in zip(cells.iterrows(), where, strict=True):
        panel = grid[r, c]
        rows = stages[stages["cell"] == cell["cell"]]
        scale = 1.0
        if share:
            scale = 100 / max(1, rows["entered"].iloc[0])
        elif replications:
            scale = 1 / replications
        y = np.arange(len(rows))
        left = np.zeros(len(rows))
        for part in parts:
            width = rows[part].to_numpy() * scale
            panel.barh(y, width, left=left, color=LOSS_COLOURS[part], height=0.75)
            left += width
        if len(cells) <= 2:  # room to say how many entered each stage
            for yy, entered, total in zip(y, rows["entered"], left, strict=True):
                count = entered * scale  # per replication, small counts keep a decimal
                digits = 1 if count < 10 else 0
                text = f"{total:.0f}%" if share else f"{count:.{digits}f}"
                panel.text(total, yy, f" {text}", va="center", fontsize=TICK_SIZE)
        panel.set_yticks(y, [stage_name(s) for s in rows["stage"]])
        panel.set_ylim(len(rows) - 0.5, -0.6)
        panel.tick_params(labelsize=TICK_SIZE)
        panel.spines[["top", "right"]].set_visible(False)
        panel.grid(axis="x", alpha=0.3)
        panel.set_xlim(0, max(left.max(), 1e-9) * (1.15 if len(cells) <= 2 else 1.02))
        label = fit_label(cell_label({p: cell[p] for p in swept}, short=ncols > 3), 90 // ncols)
        if label:
            panel.set_title(label, fontsize=PANEL_TITLE_SIZE, loc="left")
    for r, c in set(np.ndindex(nrows, ncols)) - set(where):
        grid[r, c].set_axis_off()
    if share:
        unit = "% of the candidates interviewed"
    elif replications:
        unit = "candidates per replication"
    else:
        unit = "candidates (all replications)"
    if not stages["in_process"].any():
        parts.remove("in_process")
    handles = [Patch(color=LOSS_COLOURS[p], label=LOSS_NAMES.get(p, p)) for p in parts]
    # the unit heads the legend, under the panels: a figure legend and a supxlabel overlap
    legend = canvas.legend(
        handles=handles,
        loc="outside lower center",
        ncols=len(parts),
        fontsize=TICK_SIZE,
        frameon=False,
        title=unit,
    )
    legend.get_title().set_fontsize(LABEL_SIZE)
    canvas.suptitle(
        f"Candidate funnel, where candidates leave: {name}", fontsize=TITLE_SIZE, x=0.01, ha="left"
    )
    return fig


def _reach_by_cell(stages, cells, swept, name, fig, canvas) -> Figure:
    """Beyond nine cells: the share of candidates reaching each stage, a cell per row."""
    order = list(dict.fromkeys(stages["stage"]))
    reach = np.zeros((len(cells), len(order)))  # a stage no one entered: 0%
    for i, cell in enumerate(cells["cell"]):
        rows = stages[stages["cell"] == cell]
        first = max(1, rows["entered"].iloc[0])
        for stage, entered in zip(rows["stage"], rows["entered"], strict=True):
            reach[i, order.index(stage)] = 100 * entered / first
    ax = canvas.subplots()
    image = ax.imshow(reach, cmap=colormaps["Blues"], vmin=0, vmax=100, aspect="auto")
    size = TICK_SIZE if len(cells) <= 24 else 9
    for (i, j), value in np.ndenumerate(reach):
        ax.text(
            j,
            i,
            f"{value:.0f}",
            ha="center",
            va="center",
            fontsize=size,
            color="white" if value > 55 else "black",
        )
    ax.set_xticks(
        range(len(order)),
        [stage_name(s) for s in order],
        rotation=30,
        ha="left",
        rotation_mode="anchor",
    )
    ax.set_yticks(
        range(len(cells)), [cell_label({p: c[p] for p in swept}) for _, c in cells.iterrows()]
    )
    ax.xaxis.tick_top()
    ax.tick_params(length=0, labelsize=TICK_SIZE)
    ax.spines[:].set_visible(False)
    bar = fig.colorbar(image, ax=ax, pad=0.02)
    bar.set_label("% of the candidates interviewed", fontsize=LABEL_SIZE)
    bar.ax.tick_params(labelsize=TICK_SIZE)
    canvas.suptitle(
        f"Candidates reaching each stage (% of those interviewed): {name}",
        fontsize=TITLE_SIZE,
        x=0.01,
        ha="left",
    )
    return fig
