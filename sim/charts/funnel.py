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
OFFER_ROW, BRANCH = "offer extended", "second_interview"
PARTS = ("passed", "rejected", "withdrew", "declined", "in_process")


def funnel_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """One cell's funnel from its `stages` rows: the main path in journey order, each stage's
    `reached` (candidates who got at least that far: those entering the first stage less
    everyone who left before), its losses and `passed`, with the offers extended as a step
    after the follow-up; the second interview (a side branch of the follow-up: only some have
    one) after it with `branch` True and its own `entered`. `reached` never grows down the main
    path; a stage some skip (a negotiation of no rounds) counts those passing by as passed."""
    rows = rows.set_index("stage")
    losses = [p for p in PARTS if p != "passed"]
    out = []
    reached = float(rows["entered"].iloc[0]) if len(rows) else 0.0
    for stage, row in rows.iterrows():
        if stage == BRANCH:
            continue
        lost = {p: float(row[p]) for p in losses}
        if stage == "follow_up" and BRANCH in rows.index:
            lost = {p: lost[p] + float(rows.at[BRANCH, p]) for p in losses}
        passed = max(reached - sum(lost.values()), 0.0)
        out.append({"stage": stage, "reached": reached, "passed": passed, **lost,
                    "branch": False})  # fmt: skip
        if stage == "follow_up":
            if BRANCH in rows.index:
                side = rows.loc[BRANCH]
                out.append({"stage": BRANCH, "reached": float(side["entered"]),
                            **{p: float(side[p]) for p in PARTS}, "branch": True})  # fmt: skip
            out.append({"stage": OFFER_ROW, "reached": passed, "passed": passed,
                        **dict.fromkeys(losses, 0.0), "branch": False})  # fmt: skip
        reached = passed
    return pd.DataFrame(out, columns=["stage", "reached", *PARTS, "branch"])


def _name(stage: str) -> str:
    if stage == BRANCH:
        return "  ↳ second interview"
    return stage if stage == OFFER_ROW else stage_name(stage)


def plot_funnel(
    stages: pd.DataFrame,
    share: bool | None = None,
    replications: int | None = None,
    ax: Axes | None = None,
) -> Figure:
    """How many candidates reach each stage and how they leave it, one panel per sweep cell.

    Each bar is a stage of the main path (`funnel_rows`): its length the candidates who
    reached it, split into those who passed, were rejected, withdrew, declined or were still
    there at the horizon; the offers extended are a step after the follow-up, and the second
    interview a thinner side bar (only some of the follow-up's candidates have one). Labels
    share one format: counts per replication with one decimal, whole counts, or percentages.
    `share` shows percentages of the candidates entering the first stage (default:
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
    nrows, ncols, where = grid_shape(cells, swept)
    stage_rows = stages["stage"].nunique() + 1  # and the offer's step
    size = (10, max(SLIDE[1], nrows * (0.24 * stage_rows + 0.5) + 1.3))  # rows that read
    fig, canvas = new_canvas(ax, size=(10, max(5.6, 0.24 * len(cells) + 1.8)) if many else size)
    name = stages["scenario"].iloc[0]
    if many:
        return _reach_by_cell(stages, cells, swept, name, fig, canvas)
    grid = canvas.subplots(nrows, ncols, sharey=True, sharex=share, squeeze=False)
    parts = list(LOSS_COLOURS)
    for (_, cell), (r, c) in zip(cells.iterrows(), where, strict=True):
        panel = grid[r, c]
        rows = funnel_rows(stages[stages["cell"] == cell["cell"]])
        scale = 1.0
        if share:
            scale = 100 / max(1.0, rows["reached"].iloc[0])
        elif replications:
            scale = 1 / replications
        y = np.arange(len(rows), dtype=float)
        heights = np.where(rows["branch"], 0.45, 0.75)
        left = np.zeros(len(rows))
        for part in parts:
            width = rows[part].to_numpy() * scale
            panel.barh(y, width, left=left, color=LOSS_COLOURS[part], height=heights)
            left = left + width
        decimals = 0 if share or not replications else 1  # one format for every label
        if len(cells) <= 2:  # room to say how many reached each stage
            for yy, reached, total, branch in zip(y, rows["reached"], left, rows["branch"],
                                                  strict=True):  # fmt: skip
                value = reached * scale
                text = f"{value:.0f}%" if share else f"{value:,.{decimals}f}"
                if branch:
                    text += " (of the follow-up's)"
                panel.text(total, yy, f" {text}", va="center", fontsize=TICK_SIZE,
                           style="italic" if branch else "normal")  # fmt: skip
        panel.set_yticks(y, [_name(s) for s in rows["stage"]])
        panel.set_ylim(len(rows) - 0.5, -0.6)
        panel.tick_params(labelsize=TICK_SIZE)
        panel.spines[["top", "right"]].set_visible(False)
        panel.grid(axis="x", alpha=0.3)
        panel.set_xlim(0, max(left.max(), 1e-9) * (1.25 if len(cells) <= 2 else 1.02))
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
    funnels = {cell: funnel_rows(stages[stages["cell"] == cell]) for cell in cells["cell"]}
    order = list(dict.fromkeys(s for rows in funnels.values() for s in rows["stage"]))
    reach = np.zeros((len(cells), len(order)))  # a stage no one entered: 0%
    for i, cell in enumerate(cells["cell"]):
        rows = funnels[cell]
        first = max(1.0, rows["reached"].iloc[0])
        for stage, reached in zip(rows["stage"], rows["reached"], strict=True):
            reach[i, order.index(stage)] = 100 * reached / first
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
        [_name(s).strip() for s in order],
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
