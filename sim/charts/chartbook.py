"""The standard set of charts for a run, each with the caption a reader sees.

Pure: takes tables, returns matplotlib Figures (drawn by the `sim.charts` modules); the command
line saves them as PNG and the report embeds them. Each chart is drawn on its own, so one that
cannot be drawn costs only itself.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from sim import stopping
from sim.analysis.bottleneck import DEFINITION
from sim.charts import days, funnel, journeys, offers, team


def chart_plan(
    summary: pd.DataFrame,
    stages: pd.DataFrame,
    applicants: pd.DataFrame,
    events: pd.DataFrame,
    team_levels: pd.DataFrame,
    swept: list[str],
    replications: int,
    team_table: pd.DataFrame | None = None,
) -> dict[str, tuple[str, Callable[[], object]]]:
    """File stem -> (caption, a function drawing the Figure); nothing is drawn yet.
    `team_table`: the run's `team` table, whose means over replications name the bottleneck
    (as the report does) and choose the cell of the team chart."""
    plan: dict[str, tuple[str, Callable[[], object]]] = {}
    plan["where_the_days_go"] = (days.CAPTION, lambda: days.plot_where_the_days_go(stages))
    if not swept:
        plan["time_to_offer"] = (
            "Days from interview to offer, every offer of every replication.",
            lambda: offers.plot_time_to_offer(applicants),
        )
        plan["time_to_hire"] = (
            "Days from interview to hire (the start date, onboarding complete), every hire of "
            "every replication.",
            lambda: offers.plot_time_to_hire(applicants),
        )
    else:
        plan["time_to_offer_by_cell"] = (
            "Time to offer by sweep cell (cumulative share of offers made by each day).",
            lambda: offers.plot_time_to_offer_grid(applicants, swept),
        )
        plan["time_to_hire_by_cell"] = (
            "Time to hire by sweep cell (cumulative share of hires by each day).",
            lambda: offers.plot_time_to_offer_grid(applicants, swept,
                                                   column="time_to_hire_days"),  # fmt: skip
        )
        plan["median_heatmap"] = (
            "Median days from interview to offer over the swept parameters, with 95% intervals, "
            "among the candidates offered; under each, the share of the cell's candidates "
            "offered and the share who withdrew.",
            lambda: offers.plot_median_heatmap(summary),
        )
    plan["funnel"] = (
        "The candidate funnel: how many reach each stage and how they leave it; the offer "
        "extended as a step, the second interview as a side branch of the follow-up.",
        lambda: funnel.plot_funnel(stages, replications=replications),
    )
    drawn = team.busiest_cell(team_table, team_levels)
    where = f"cell {drawn}, the busiest, " if swept else ""
    plan["team_over_time"] = (
        f"Team load over one replication ({where}replication 0); the bottleneck as the report "
        f"names it, from the means over the replications ({DEFINITION}).",
        lambda: team.plot_team_over_time(team_levels, cell=drawn, team=team_table),
    )
    plan["journeys"] = (
        "A sample of candidate journeys (cell 0, replication 0), grouped by requisition: "
        "waiting light, work solid; up to an equal number of each outcome, so rare outcomes "
        "are over-represented.",
        lambda: journeys.plot_journeys(events, end_day=run_end(team_levels)),
    )
    return plan


def run_end(team_levels: pd.DataFrame) -> float | None:
    """The day cell 0's replication 0 ended: its team levels' last row marks it (None without
    a team). The events given the charts may be only the sampled journeys' (`chart_tables`)."""
    if team_levels.empty:
        return None
    first = team_levels[(team_levels["cell"] == 0) & (team_levels["replication"] == 0)]
    return float(first["time_days"].max()) if len(first) else None


def standard_charts(
    summary: pd.DataFrame,
    stages: pd.DataFrame,
    applicants: pd.DataFrame,
    events: pd.DataFrame,
    team_levels: pd.DataFrame,
    swept: list[str],
    replications: int,
    skipped: list[tuple[str, str, str]] | None = None,
    team_table: pd.DataFrame | None = None,
) -> dict[str, tuple[str, object]]:
    """File stem -> (caption, Figure). `events` needs only cell 0, replication 0 and
    `team_levels` replication 0 of cell 0 and of the busiest cell (the charts of one run);
    `applicants` needs the time-to-offer and time-to-hire columns.

    With a `skipped` list, a chart that cannot be drawn is left out and added to it as
    (name, caption, reason); without one, its error is raised.
    """
    plan = chart_plan(summary, stages, applicants, events, team_levels, swept, replications,
                      team_table)  # fmt: skip
    charts = {}
    for name, (caption, draw) in plan.items():
        try:
            charts[name] = (caption, draw())
        except Exception as err:  # one chart's failure must not cost the others
            stopping.reraise(err)
            if skipped is None:
                raise
            skipped.append((name, caption, reason(err)))
    return charts


def reason(err: BaseException) -> str:
    """One short line saying why something failed (for a warning)."""
    text = str(err).strip().splitlines()
    line = f"{type(err).__name__}: {text[0]}" if text else type(err).__name__
    return line if len(line) <= 200 else line[:197] + "..."
