"""Charts of one replication: the team's load over time and a sample of candidate journeys.

With `sim.plots` and `sim.plots_flow`, the only modules that import matplotlib; the same
conventions hold (see `sim.plots`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from sim.plots import (
    GREY,
    LABEL_SIZE,
    PANEL_TITLE_SIZE,
    TICK_SIZE,
    TITLE_SIZE,
    _canvas,
    _empty,
    _fit,
    _no_data,
    _style,
    cell_label,
    stage_name,
    swept_columns,
)
from sim.scenario.stages import STAGES

STAGE_COLOURS = {stage.name: stage.colour for stage in STAGES}
OUTCOME_MARKERS = {  # marker, colour
    "hired": ("*", "#2A9D3A"),
    "rejected": ("X", "#555555"),
    "withdrew": ("<", "#DD8452"),
    "declined": ("D", "#8172B3"),
    "in_process": (">", GREY),
}
RESOURCE_COLOURS = ["#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860"]


def _one_run(table: pd.DataFrame, cell: int, replication: int) -> pd.DataFrame:
    for column, value in (("cell", cell), ("replication", replication)):
        present = set(table[column]) if len(table) else set()
        # within the range present, a run with no rows (no candidates) is an empty chart
        if present and value not in present and not 0 <= value <= max(present):
            raise ValueError(f"no {column} {value} (there are {sorted(present)})")
    if table.empty:
        return table
    return table[(table["cell"] == cell) & (table["replication"] == replication)]


def _where(table: pd.DataFrame, swept_after: str, replication: int) -> str:
    """ "scenario, swept values, replication r" for a chart title."""
    label = cell_label({c: table[c].iloc[0] for c in swept_columns(table, after=swept_after)})
    where = f"{table['scenario'].iloc[0]}{', ' + label if label else ''}, replication {replication}"
    return _fit(where, 100)  # many swept values: on several lines


def _moving_average(times, values, end: float, window: float) -> tuple[np.ndarray, np.ndarray]:
    """Centred `window`-day average of a step function (values[i] from times[i]) on [0, end].

    Returns (grid in days, average) of equal length, whatever `end` and `window`: each point
    averages the samples within `window` / 2 either side that fall inside [0, end], so a
    window wider than the run is the run's mean and the ends are not pulled towards zero.
    """
    values = np.asarray(values, dtype=float)
    if not end > 0:  # everything at day 0: one instant, the last level holds
        return np.array([0.0]), values[-1:] if len(values) else np.array([0.0])
    grid = np.linspace(0, end, max(200, int(min(end, 1e5) * 20)))
    index = np.searchsorted(times, grid, side="right") - 1
    sampled = np.where(index >= 0, values[np.clip(index, 0, None)], 0.0)
    # a running sum, not np.convolve: "same" mode returns max(len, kernel) points, so a
    # kernel wider than the grid gave a longer array than the grid
    half = int(min(len(grid), max(0, round(window / (grid[1] - grid[0]) / 2))))
    sums = np.concatenate([[0.0], np.cumsum(sampled)])
    points = np.arange(len(grid))
    low, high = np.maximum(points - half, 0), np.minimum(points + half + 1, len(grid))
    return grid, (sums[high] - sums[low]) / (high - low)


def plot_team_over_time(
    team_levels: pd.DataFrame,
    cell: int = 0,
    replication: int = 0,
    window_days: float = 7.0,
    ax: Axes | None = None,
) -> Figure:
    """Each team role's utilisation (busy / capacity, %) and queue over one replication.

    Two panels sharing the time axis (days since day 0): the exact step functions, faint,
    under their centred `window_days` moving average. The title names the bottleneck, the
    role with the highest time-weighted utilisation over the run. With `ax`, the panels fill
    the area of `ax` (which is replaced).
    """
    levels = _one_run(team_levels, cell, replication)
    fig, canvas = _canvas(ax)
    top, bottom = canvas.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    if levels.empty:
        _no_data(top, "No team activity")
        canvas.suptitle("Team load: no data", fontsize=TITLE_SIZE, x=0.01, ha="left")
        return fig
    end = float(levels["time_days"].max())
    busiest, most_waiting = ("", -1.0), 0.0
    handles = []
    for k, (resource, rows) in enumerate(levels.groupby("resource", sort=False)):
        rows = rows.sort_values("time_days", kind="stable")
        # several changes at one instant: the last one holds; the NaN row marks the end
        steps = rows.drop_duplicates("time_days", keep="last").dropna(subset=["busy"])
        times = steps["time_days"].to_numpy()
        capacity = float(rows["capacity"].iloc[0])
        busy = steps["busy"].to_numpy() / capacity * 100
        queue = steps["queue"].to_numpy()
        most_waiting = max(most_waiting, float(queue.max(initial=0)))
        mean_busy = float(np.sum(busy * np.diff(np.append(times, end))) / end) if end else 0.0
        if mean_busy > busiest[1]:
            busiest = (resource, mean_busy)
        colour = RESOURCE_COLOURS[k % len(RESOURCE_COLOURS)]
        for panel, values in ((top, busy), (bottom, queue)):
            if len(times) == 0:
                continue
            panel.step(
                np.append(times, end),
                np.append(values, values[-1]),
                where="post",
                color=colour,
                linewidth=0.8,
                alpha=0.3,
            )
            panel.plot(
                *_moving_average(times, values, end, window_days), color=colour, linewidth=2.5
            )
        people = f"{capacity:.0f} {'person' if capacity == 1 else 'people'}"
        label = f"{stage_name(resource)} ({people}): {mean_busy:.0f}% busy"
        handles.append(Line2D([], [], color=colour, linewidth=2.5, label=label))
    for panel in (top, bottom):
        panel.tick_params(labelsize=TICK_SIZE)
        panel.spines[["top", "right"]].set_visible(False)
        panel.grid(axis="y", alpha=0.3)
    top.set_ylim(0, 105)
    top.set_ylabel("busy (% of people)", fontsize=LABEL_SIZE)
    bottom.set_ylabel("waiting\n(candidates)", fontsize=LABEL_SIZE)
    bottom.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    if most_waiting == 0:
        bottom.set_ylim(0, 1)
        _no_data(bottom, "no candidate ever queued for the team")
    else:
        bottom.set_ylim(bottom=0)
    bottom.set_xlim(0, end if end > 0 else 1.0)  # everything at day 0: a visible axis
    bottom.set_xlabel("days since day 0", fontsize=LABEL_SIZE)
    legend = canvas.legend(
        handles=handles,
        loc="outside lower center",
        ncols=len(handles),
        fontsize=TICK_SIZE,
        frameon=False,
        title=f"thick: {window_days:g}-day average, faint: exact level",
    )
    legend.get_title().set_fontsize(TICK_SIZE)
    where = _where(levels, "capacity", replication)
    canvas.suptitle(
        f"Team load: the bottleneck is the {stage_name(busiest[0])}, busy "
        f"{busiest[1]:.0f}% of the time",
        fontsize=TITLE_SIZE,
        x=0.01,
        ha="left",
    )
    top.set_title(where, fontsize=PANEL_TITLE_SIZE, loc="left")
    return fig


def _visits(case: pd.DataFrame, exit_day: float) -> list[tuple[str, float, float, float]]:
    """(stage, scheduled, started, completed) of each stage visit; open ends at the exit."""
    visits, open_ = [], {}
    columns = ["concept:name", "lifecycle:transition", "time_days"]
    for stage, transition, day in case[columns].itertuples(index=False):
        if stage not in STAGE_COLOURS:
            continue
        if transition == "schedule":
            open_[stage] = [day, np.nan]
        elif transition == "start" and stage in open_:
            open_[stage][1] = day
        elif transition == "complete" and stage in open_:
            scheduled, started = open_.pop(stage)
            visits.append((stage, scheduled, started, day))
    for stage, (scheduled, started) in open_.items():
        visits.append((stage, scheduled, started, exit_day))
    return visits


def _sample_cases(exits: pd.DataFrame, n: int) -> list[str]:
    """Up to n candidates, a share of each outcome (rare ones first), in order of arrival."""
    groups = {o: list(g.index) for o, g in exits.groupby("outcome", sort=False)}
    chosen: list[str] = []
    order = sorted(groups, key=lambda o: len(groups[o]))
    while len(chosen) < n and any(groups.values()):
        for outcome in order:
            if groups[outcome] and len(chosen) < n:
                chosen.append(groups[outcome].pop(0))
    return sorted(chosen, key=lambda case: exits.loc[case, "first"])


def plot_journeys(
    events: pd.DataFrame, n: int = 20, cell: int = 0, replication: int = 0, ax: Axes | None = None
) -> Figure:
    """A sample of `n` candidate journeys of one replication as a timeline (days since day 0).

    One row per candidate (every outcome represented, in order of interview); a bar per stage
    visit, light while waiting (scheduled to started: any wait and queueing) and solid while
    worked on (started to completed), cut at the candidate's exit; a marker for the outcome.
    Rejection notices, sent after the outcome, are left out. Given `ax`, the chart and its
    legends (right of it) fill the area of `ax` (which is replaced).
    """
    if events.empty:
        return _empty(ax, "Candidate journeys", "No candidates in this run")
    run = _one_run(events, cell, replication).sort_values("time_days", kind="stable")
    rows = min(n, run["case:concept:name"].nunique())
    fig, canvas = _canvas(ax, size=(10, max(5.6, 0.21 * rows + 1.4)))
    ax = canvas.subplots()
    name = events["scenario"].iloc[0] if len(events) else "scenario"
    outcomes = run[run["concept:name"].isin(OUTCOME_MARKERS)]
    exits = run.groupby("case:concept:name").agg(first=("time_days", "min"))
    ends = outcomes.groupby("case:concept:name").agg(
        outcome=("concept:name", "last"), exit=("time_days", "last")
    )
    exits = exits.join(ends)
    exits["outcome"] = exits["outcome"].fillna("in_process")
    exits["exit"] = exits["exit"].fillna(run["time_days"].max() if len(run) else 0.0)
    cases = _sample_cases(exits, n)
    by_case = dict(tuple(run[run["case:concept:name"].isin(cases)].groupby("case:concept:name")))
    for row, case in enumerate(cases):
        exit_day = float(exits.loc[case, "exit"])
        for stage, scheduled, started, completed in _visits(by_case[case], exit_day):
            colour = STAGE_COLOURS[stage]
            work_from = started if np.isfinite(started) else completed
            ax.barh(
                row,
                work_from - scheduled,
                left=scheduled,
                height=0.62,
                color=colour,
                alpha=0.3,
                linewidth=0,
            )
            ax.barh(
                row, completed - work_from, left=work_from, height=0.62, color=colour, linewidth=0
            )
        marker, colour = OUTCOME_MARKERS[exits.loc[case, "outcome"]]
        ax.plot(
            [exit_day],
            [row],
            marker=marker,
            color=colour,
            linestyle="none",
            markersize=15 if marker == "*" else 11,
            markeredgecolor="white",
            markeredgewidth=0.8,
        )
    if not cases:
        _no_data(ax, "No candidates in this run")
    ax.set_yticks(range(len(cases)), [c.split("-", 2)[-1] for c in cases])
    ax.set_ylim(max(len(cases), 1) - 0.5, -0.5)
    ax.set_xlim(left=0)
    shown = [s for s in STAGE_COLOURS if s in set(run["concept:name"])]
    stage_handles = [Patch(color=STAGE_COLOURS[s], label=stage_name(s)) for s in shown]
    shade_handles = [
        Patch(color=GREY, alpha=0.3, label="waiting"),
        Patch(color=GREY, label="being worked on"),
    ]
    outcome_handles = [
        Line2D([], [], marker=m, color=c, linestyle="none", markersize=10, label=stage_name(o))
        for o, (m, c) in OUTCOME_MARKERS.items()
        if o in set(exits.loc[cases, "outcome"])
    ]
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
    _style(ax, "", "days since day 0", "candidate (requisition-applicant)")
    where = _where(run, "time_days", replication) if len(run) else name
    ax.set_title(where, fontsize=PANEL_TITLE_SIZE, loc="left")
    canvas.suptitle(
        f"{len(cases)} candidate journeys, from interview to outcome",
        fontsize=TITLE_SIZE,
        x=0.01,
        ha="left",
    )
    ax.grid(axis="x", alpha=0.3)
    ax.grid(axis="y", visible=False)
    return fig
