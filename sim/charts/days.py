"""Where the days go: each stage's waiting, queueing and working, for the typical offered
candidate and the typical filled requisition (`sim.analysis.waits`), from the `stages` table."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.analysis.waits import BAND, PARTS, SEARCH, where_the_days_go
from sim.charts.labels import cell_label, cell_rows, stage_name, swept_columns
from sim.charts.style import (
    GREY,
    LABEL_SIZE,
    PANEL_TITLE_SIZE,
    SLIDE,
    STAGE_COLOURS,
    TICK_SIZE,
    TITLE_SIZE,
    empty_chart,
    new_canvas,
    no_data,
)

PART_NAMES = {
    "waiting": "waiting: no one working on it",
    "queueing": "queueing for a busy team member",
    "working": "being worked on",
}
PART_STYLE = {  # alpha, hatch: light, hatched, solid in the stage's colour
    "waiting": (0.3, None),
    "queueing": (0.65, "////"),
    "working": (1.0, None),
}
SEARCH_COLOUR = "#9E9E9E"
MEASURES = {"offer": "Time to offer", "fill": "Time to fill"}
CAPTION = (f"Per stage, the mean days of the offered candidates whose time to offer lies between "
           f"its {BAND[0]:.0%} and {BAND[1]:.0%} quantiles (so the bar ends near the median), "
           "and of the filled requisitions' hires in the same band of time to fill, from the "
           "requisition opening: waiting (the stage's own wait, pool, docket or line: no one "
           "working on the candidate), queueing for a busy team member, and working. Days "
           "between stages count at the stage before.")  # fmt: skip


def _colour(stage: str) -> str:
    return SEARCH_COLOUR if stage == SEARCH else STAGE_COLOURS.get(stage, GREY)


def _label(stage: str) -> str:
    return "search (to the hire's interview)" if stage == SEARCH else stage_name(stage)


def plot_where_the_days_go(stages: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """Where the days go, stage by stage: one cell as two waterfalls (time to offer, time to
    fill), each stage's bar starting where the one before ended, split into waiting (light),
    queueing (hatched) and working (solid), with a total bar of the three; several cells as
    one stacked bar per cell of the time to offer's three parts.

    `stages`: the `stages` table with the split columns (`sim.analysis.waits.with_split`).
    """
    title = "Where the days go"
    if stages.empty or "offer_waiting_days" not in stages.columns:
        return empty_chart(ax, title, "No stage visits to split")
    cells = stages["cell"].drop_duplicates().tolist()
    if len(cells) > 1:
        return _by_cell(stages, ax)
    rows = where_the_days_go(stages, cells[0])
    measures = [m for m in MEASURES if (rows["measure"] == m).any()]
    if not measures:
        return empty_chart(ax, title, "No offers were made in this run: no days to split")
    fig, canvas = new_canvas(ax, size=(SLIDE[0], 6.2))
    panels = canvas.subplots(1, len(measures), squeeze=False, sharey=True)[0]
    first = stages.iloc[0]
    order = list(dict.fromkeys(rows["stage"]))  # every panel's rows, in one order
    order = ([SEARCH] if SEARCH in order else []) + [s for s in order if s != SEARCH]
    for panel, measure in zip(panels, measures, strict=True):
        mine = rows[rows["measure"] == measure].set_index("stage")
        count = int(first["offer_typical_candidates" if measure == "offer"
                          else "fill_typical_requisitions"])  # fmt: skip
        _waterfall(panel, mine, order, measure, count)
    for panel in panels[1:]:
        panel.tick_params(labelleft=False)
    name = stages["scenario"].iloc[0]
    swept = swept_columns(stages, until="stage")
    label = cell_label({p: first[p] for p in swept})
    offer = rows.loc[rows["measure"] == measures[0], list(PARTS)].sum()
    lead = title
    if offer.sum() > 0:
        what = "time to offer" if measures[0] == "offer" else "time to fill"
        lead = (f"{title}: {offer['waiting'] / offer.sum():.0%} of the typical {what} is "
                f"waiting, {offer['working'] / offer.sum():.0%} work")  # fmt: skip
    canvas.suptitle(f"{lead}\n{name}{', ' + label if label else ''}", fontsize=TITLE_SIZE,
                    x=0.01, ha="left")  # fmt: skip
    _legend(canvas)
    return fig


def _waterfall(panel: Axes, rows: pd.DataFrame, order: list[str], measure: str,
               count: int) -> None:  # fmt: skip
    """One measure's waterfall: a row per stage of `order` (those of `rows`, by stage, drawn;
    the others left empty), then the total."""
    totals = rows[list(PARTS)].sum()
    total = float(totals.sum())
    left = 0.0
    for i, stage in enumerate(order):
        if stage not in rows.index:
            continue
        for part in PARTS:
            width = float(rows.at[stage, part])
            if width <= 0:
                continue
            alpha, hatch = PART_STYLE[part]
            panel.barh(i, width, left=left, height=0.7, color=_colour(stage), alpha=alpha,
                       hatch=hatch, edgecolor="white" if hatch else None, linewidth=0)  # fmt: skip
            left += width
        days = float(rows.loc[stage, list(PARTS)].sum())
        panel.text(left, i, f" {days:.1f}", va="center", fontsize=TICK_SIZE)
    start = 0.0  # the total: the three parts over every stage
    for part in PARTS:
        alpha, hatch = PART_STYLE[part]
        width = float(totals[part])
        panel.barh(len(order), width, left=start, height=0.7, color="#333333", alpha=alpha,
                   hatch=hatch, edgecolor="white" if hatch else None, linewidth=0)  # fmt: skip
        start += width
    panel.text(total, len(order), f" {total:.1f}", va="center", fontsize=TICK_SIZE,
               fontweight="bold")  # fmt: skip
    panel.set_yticks(range(len(order) + 1), [*(_label(s) for s in order), "total"])
    panel.set_ylim(len(order) + 0.6, -0.6)
    panel.set_xlim(0, max(total, 1e-9) * 1.18)
    panel.tick_params(labelsize=TICK_SIZE)
    panel.spines[["top", "right"]].set_visible(False)
    panel.grid(axis="x", alpha=0.3)
    shares = " · ".join(f"{totals[part] / total:.0%} {part}" for part in PARTS) if total else ""
    what = "offered candidates" if measure == "offer" else "filled requisitions"
    panel.set_title(f"{MEASURES[measure]} ({count:,} {what})\n{shares}",
                    fontsize=PANEL_TITLE_SIZE, loc="left")  # fmt: skip
    start_at = "interview" if measure == "offer" else "requisition opening"
    panel.set_xlabel(f"days since the {start_at}", fontsize=LABEL_SIZE)
    if not len(rows):
        no_data(panel, "nothing to split")


def _legend(canvas) -> None:
    handles = [Patch(facecolor="#333333", alpha=PART_STYLE[p][0], hatch=PART_STYLE[p][1],
                     edgecolor="white" if PART_STYLE[p][1] else None, label=PART_NAMES[p])
               for p in PARTS]  # fmt: skip
    legend = canvas.legend(handles=handles, loc="outside lower center", ncols=3,
                           fontsize=TICK_SIZE, frameon=False,
                           title=f"each stage in its colour; days are calendar days "
                                 f"(typical: between the {BAND[0]:.0%} and {BAND[1]:.0%} "
                                 "quantiles)")  # fmt: skip
    legend.get_title().set_fontsize(TICK_SIZE)


def _by_cell(stages: pd.DataFrame, ax: Axes | None) -> Figure:
    """Several cells: the typical offered candidate's days waiting, queueing and working,
    summed over the stages, one bar per cell."""
    swept = swept_columns(stages, until="stage")
    cells = cell_rows(stages, swept)
    fig, canvas = new_canvas(ax, size=(SLIDE[0], max(SLIDE[1], 0.32 * len(cells) + 2.0)))
    panel = canvas.subplots()
    labels = []
    for y, (_, cell) in enumerate(cells.iterrows()):
        labels.append(cell_label({p: cell[p] for p in swept}, short=True))
        rows = stages[stages["cell"] == cell["cell"]]
        left = 0.0
        for part in PARTS:
            width = float(rows[f"offer_{part}_days"].fillna(0).sum())
            alpha, hatch = PART_STYLE[part]
            panel.barh(y, width, left=left, height=0.7, color="#4C72B0", alpha=alpha,
                       hatch=hatch, edgecolor="white" if hatch else None, linewidth=0)  # fmt: skip
            left += width
        panel.text(left, y, f" {left:.1f}", va="center", fontsize=TICK_SIZE)
    panel.set_yticks(range(len(cells)), labels)
    panel.set_ylim(len(cells) - 0.4, -0.6)
    panel.set_xlim(right=panel.get_xlim()[1] * 1.08)
    panel.tick_params(labelsize=TICK_SIZE)
    panel.spines[["top", "right"]].set_visible(False)
    panel.grid(axis="x", alpha=0.3)
    panel.set_xlabel("days from interview to offer, the typical offered candidate",
                     fontsize=LABEL_SIZE)  # fmt: skip
    panel.set_ylabel("sweep cell", fontsize=LABEL_SIZE)
    handles = [Patch(facecolor="#4C72B0", alpha=PART_STYLE[p][0], hatch=PART_STYLE[p][1],
                     edgecolor="white" if PART_STYLE[p][1] else None, label=PART_NAMES[p])
               for p in PARTS]  # fmt: skip
    canvas.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=TICK_SIZE,
                  frameon=False)  # fmt: skip
    canvas.suptitle(f"Where the days go by cell: {stages['scenario'].iloc[0]}",
                    fontsize=TITLE_SIZE, x=0.01, ha="left")  # fmt: skip
    return fig
