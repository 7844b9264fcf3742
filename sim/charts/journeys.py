"""A sample of candidate journeys through one replication, as a timeline."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.analysis.journeys import JOURNEY_CASES, case_exits, sample_cases
from sim.analysis.timelines import stage_spans
from sim.charts.labels import one_run, run_title, stage_name
from sim.charts.style import (
    GREY,
    PANEL_TITLE_SIZE,
    STAGE_COLOURS,
    TICK_SIZE,
    TITLE_SIZE,
    empty_chart,
    new_canvas,
    no_data,
    style_axes,
)

OUTCOME_MARKERS = {  # marker, colour: none of them a stage's colour (`OUTCOME_DISTANCE`)
    "hired": ("*", "#111111"),
    "rejected": ("X", "#4D4D4D"),
    "withdrew": ("<", "#B000B5"),
    "declined": ("D", "#00838F"),
    "in_process": (">", "#C8C8C8"),
}
OUTCOME_DISTANCE = 60
"""The least distance (RGB, 0-255 per channel) between an outcome's colour and a stage's."""


def requisition_of(case: str) -> int:
    """The requisition of a case id (`c0-r3-q12-a4` -> 12)."""
    return int(case.split("-q", 1)[1].split("-", 1)[0])


def group_by_requisition(cases: list[str], exits: pd.DataFrame) -> list[str]:
    """`cases` grouped by requisition (in order of each one's first interview), each group in
    order of interview."""
    first = {case: float(exits.loc[case, "first"]) for case in cases}
    opened: dict[int, float] = {}
    for case in cases:
        req = requisition_of(case)
        opened[req] = min(opened.get(req, np.inf), first[case])
    return sorted(cases, key=lambda c: (opened[requisition_of(c)], requisition_of(c), first[c]))


def plot_journeys(
    events: pd.DataFrame,
    n: int = JOURNEY_CASES,
    cell: int = 0,
    replication: int = 0,
    ax: Axes | None = None,
    end_day: float | None = None,
) -> Figure:
    """A sample of `n` candidate journeys of one replication as a timeline (days since day 0).

    One row per candidate (every outcome represented, up to about as many of each: rare
    outcomes over-represented, as the title says), grouped by requisition (a line between
    groups), each group in order of interview; a bar per stage
    visit, light while waiting (scheduled to started: any wait and queueing) and solid while
    worked on (started to completed), cut at the candidate's exit; a marker for the outcome.
    Rejection notices, sent after the outcome, are left out. The bars of candidates still in
    process run to `end_day`, the day the run ended (default: its last event's). Given `ax`,
    the chart and its legends (right of it) fill the area of `ax` (which is replaced).
    """
    if events.empty:
        return empty_chart(ax, "Candidate journeys", "No candidates in this run")
    run = one_run(events, cell, replication).sort_values("time_days", kind="stable")
    rows = min(n, run["case:concept:name"].nunique())
    fig, canvas = new_canvas(ax, size=(10, max(5.6, 0.21 * rows + 1.4)))
    ax = canvas.subplots()
    name = events["scenario"].iloc[0] if len(events) else "scenario"
    exits = case_exits(run, end_day)
    cases = group_by_requisition(sample_cases(exits, n), exits)
    spans = stage_spans(run[run["case:concept:name"].isin(cases)])
    # each candidate's visits drawn in the order they ended; open ones, cut at the exit, last
    spans = spans.sort_values("complete", kind="stable", na_position="last")
    # one bar artist for the waits, one for the work, one marker artist per kind of outcome
    row_of = {case: row for row, case in enumerate(cases)}
    exit_of = exits.loc[cases, "exit"]
    spans = spans[spans["case:concept:name"].isin(row_of)]
    rows_ = spans["case:concept:name"].map(row_of).to_numpy(dtype=float)
    scheduled = spans["schedule"].to_numpy(dtype=float)
    completed = spans["complete"].to_numpy(dtype=float)
    completed = np.where(np.isnan(completed),
                         spans["case:concept:name"].map(exit_of).to_numpy(dtype=float),
                         completed)  # fmt: skip
    started = spans["start"].to_numpy(dtype=float)
    work_from = np.where(np.isfinite(started), started, completed)
    colours = [STAGE_COLOURS[stage] for stage in spans["stage"]]
    ax.barh(rows_, work_from - scheduled, left=scheduled, height=0.62, color=colours, alpha=0.3,
            linewidth=0)  # fmt: skip
    ax.barh(rows_, completed - work_from, left=work_from, height=0.62, color=colours, linewidth=0)
    shown_outcomes = exits.loc[cases, "outcome"]
    for outcome, (marker, colour) in OUTCOME_MARKERS.items():
        chosen = [case for case in cases if shown_outcomes[case] == outcome]
        if chosen:
            ax.plot(exit_of[chosen].to_numpy(dtype=float), [row_of[c] for c in chosen],
                    marker=marker, color=colour, linestyle="none",
                    markersize=15 if marker == "*" else 11, markeredgewidth=0.8,
                    markeredgecolor="#333333" if outcome == "in_process" else "white")  # fmt: skip
    if not cases:
        no_data(ax, "No candidates in this run")
    for row in range(1, len(cases)):  # a line between requisitions
        if requisition_of(cases[row]) != requisition_of(cases[row - 1]):
            ax.axhline(row - 0.5, color=GREY, linewidth=0.8, alpha=0.6)
    ax.set_yticks(range(len(cases)), [c.split("-", 2)[-1] for c in cases])
    ax.set_ylim(max(len(cases), 1) - 0.5, -0.5)
    ax.set_xlim(left=0)
    shown = [s for s in STAGE_COLOURS if s in set(spans["stage"])]  # as drawn
    stage_handles = [Patch(color=STAGE_COLOURS[s], label=stage_name(s)) for s in shown]
    shade_handles = [
        Patch(color=GREY, alpha=0.3, label="waiting"),
        Patch(color=GREY, label="being worked on"),
    ]
    sampled = exits.loc[cases, "outcome"].value_counts()
    outcome_handles = [
        Line2D([], [], marker=m, color=c, linestyle="none", markersize=10,
               markeredgecolor="#333333", markeredgewidth=0.5,
               label=f"{stage_name(o)} ({sampled[o]})")
        for o, (m, c) in OUTCOME_MARKERS.items()
        if o in sampled.index
    ]  # fmt: skip
    for handles, title, loc in (
        (stage_handles, "stage", "outside right upper"),
        ([*shade_handles, *outcome_handles], "bar shade, outcome", "outside right lower"),
    ):
        legend = canvas.legend(
            handles=handles,
            loc=loc,
            title=title,
            fontsize=TICK_SIZE,
            frameon=False,
            alignment="left",
        )
        legend.get_title().set_fontsize(TICK_SIZE)
    style_axes(ax, "", "days since day 0", "candidate (requisition-applicant)")
    where = run_title(run, "time_days", replication) if len(run) else name
    each = -(-n // max(1, len(sampled)))  # ceil: what each outcome can have
    ax.set_title(f"{where}\nup to about {each} of each outcome: rare outcomes over-represented",
                 fontsize=PANEL_TITLE_SIZE, loc="left")  # fmt: skip
    canvas.suptitle(
        f"{len(cases)} candidate journeys by requisition, interview to outcome",
        fontsize=TITLE_SIZE,
        x=0.01,
        ha="left",
    )
    ax.grid(axis="x", alpha=0.3)
    ax.grid(axis="y", visible=False)
    return fig
