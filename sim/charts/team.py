"""The team's load over one replication: each role's utilisation and queue, the bottleneck
named."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from sim.analysis.bottleneck import DEFINITION, cell_rank, heaviest, title
from sim.analysis.timelines import level_steps, steps, time_weighted
from sim.charts.labels import one_run, run_title, stage_name
from sim.charts.style import (
    LABEL_SIZE,
    PANEL_TITLE_SIZE,
    TICK_SIZE,
    TITLE_SIZE,
    new_canvas,
    no_data,
)

RESOURCE_COLOURS = ["#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860"]


def moving_average(times, values, end: float, window: float) -> tuple[np.ndarray, np.ndarray]:
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


def faint_label(levels: pd.DataFrame) -> str:
    """What the faint lines show: the exact levels, or (when a big run's levels came spread
    over equal spans, `sim.analysis.timelines.spread_levels`) their means over each span."""
    busy = levels["busy"].to_numpy(dtype=float)
    spread = np.isfinite(busy) & (busy != np.round(busy))
    if not spread.any():
        return "exact level"
    role = levels["resource"].to_numpy()[spread][0]
    times = np.unique(levels.loc[levels["resource"] == role, "time_days"].to_numpy(dtype=float))
    if len(times) < 2:
        return "mean level"
    hours = float(np.diff(times).min()) * 24
    if hours < 48:
        return f"mean level over each {hours:.2g} hours"
    return f"mean level over each {hours / 24:.2g} days"


def levels_team(levels: pd.DataFrame) -> pd.DataFrame:
    """The `team` table's `utilisation` and `mean_queue_length` (per cell and role, means over
    the replications there, time-weighted over each whole run) from team levels, as
    `sim.analysis.breakdowns.team_table` gives them without a warm-up."""
    rows = []
    for (cell, resource), role in levels.groupby(["cell", "resource"], sort=False):
        capacity = float(role["capacity"].iloc[0])
        used, queued = [], []
        for _, rep in role.groupby("replication", sort=True):
            times, busy, queue, end = steps(rep["time_days"].to_numpy(dtype=float),
                                            rep["busy"].to_numpy(dtype=float),
                                            rep["queue"].to_numpy(dtype=float))  # fmt: skip
            used.append(time_weighted(times, busy, end) / capacity if capacity else np.nan)
            queued.append(time_weighted(times, queue, end))
        rows.append({"cell": cell, "resource": resource, "capacity": capacity,
                     "utilisation": float(np.mean(used)),
                     "mean_queue_length": float(np.mean(queued))})  # fmt: skip
    return pd.DataFrame(rows)


def busiest_cell(team: pd.DataFrame | None, team_levels: pd.DataFrame) -> int:
    """The cell the team chart shows: of those whose levels are given, the one whose roles
    rank first for the bottleneck (`sim.analysis.bottleneck.cell_rank`); 0 without `team`."""
    present = set(team_levels["cell"]) if len(team_levels) else set()
    if team is None or team.empty or not present:
        return 0 if not present or 0 in present else min(present)
    ranked = [(cell_rank(rows), -cell) for cell, rows in team.groupby("cell") if cell in present]
    return -max(ranked)[1] if ranked else min(present)


def plot_team_over_time(
    team_levels: pd.DataFrame,
    cell: int | None = None,
    replication: int = 0,
    window_days: float = 7.0,
    ax: Axes | None = None,
    team: pd.DataFrame | None = None,
) -> Figure:
    """Each team role's utilisation (busy / capacity, %) and queue over one replication.

    Two panels sharing the time axis (days since day 0): the exact step functions, faint,
    under their centred `window_days` moving average. The title names the bottleneck as the
    report does (`sim.analysis.bottleneck`: a role only when its mean queue is material), and
    the legend each role's utilisation and mean queue, from `team` (the `team` table: means
    over the replications) or, without it, from the levels given (of the replications there).
    `cell`: the cell drawn (default: `team`'s busiest, `busiest_cell`, else 0). With `ax`, the
    panels fill the area of `ax` (which is replaced).
    """
    if cell is None:
        cell = busiest_cell(team, team_levels)
    if team is None or team.empty:
        mine = team_levels[team_levels["cell"] == cell] if len(team_levels) else team_levels
        team = levels_team(mine) if len(mine) else None
    else:
        team = team[team["cell"] == cell]
    load = heaviest(team) if team is not None else None
    stats = {} if team is None else {row["resource"]: row for _, row in team.iterrows()}
    levels = one_run(team_levels, cell, replication)
    fig, canvas = new_canvas(ax)
    top, bottom = canvas.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    if levels.empty:
        no_data(top, "No team activity")
        canvas.suptitle("Team load: no data", fontsize=TITLE_SIZE, x=0.01, ha="left")
        return fig
    end = float(levels["time_days"].max())
    most_waiting = 0.0
    handles = []
    for k, (resource, rows) in enumerate(levels.groupby("resource", sort=False)):
        steps, _ = level_steps(rows)
        times = steps["time_days"].to_numpy()
        capacity = float(rows["capacity"].iloc[0])
        busy = steps["busy"].to_numpy() / capacity * 100
        queue = steps["queue"].to_numpy()
        most_waiting = max(most_waiting, float(queue.max(initial=0)))
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
                *moving_average(times, values, end, window_days), color=colour, linewidth=2.5
            )
        people = f"{capacity:.0f} {'person' if capacity == 1 else 'people'}"
        row = stats.get(resource)
        if row is not None:  # as the team table has it: the mean over the replications
            numbers = f"{row['utilisation']:.0%} busy, {row['mean_queue_length']:.2f} waiting"
        else:
            numbers = f"{time_weighted(times, busy, end):.0f}% busy"
        label = f"{stage_name(resource)} ({people}): {numbers}"
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
        no_data(bottom, "no candidate ever queued for the team")
    else:
        bottom.set_ylim(bottom=0)
    bottom.set_xlim(0, end if end > 0 else 1.0)  # everything at day 0: a visible axis
    bottom.set_xlabel("days since day 0", fontsize=LABEL_SIZE)
    legend = canvas.legend(
        handles=handles,
        loc="outside lower center",
        ncols=min(len(handles), 3),
        fontsize=TICK_SIZE,
        frameon=False,
        title=f"thick: {window_days:g}-day average, faint: {faint_label(levels)}; "
        "in the legend, means over the replications",
    )
    legend.get_title().set_fontsize(TICK_SIZE)
    where = run_title(levels, "capacity", replication)
    person = stage_name(load.resource) if load is not None else ""
    canvas.suptitle(title(load, person), fontsize=TITLE_SIZE, x=0.01, ha="left")
    top.set_title(f"{where}\n{DEFINITION}", fontsize=PANEL_TITLE_SIZE, loc="left")
    return fig
