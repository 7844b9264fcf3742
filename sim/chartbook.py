"""The standard set of charts for a run, each with the caption a reader sees.

Pure: takes tables, returns matplotlib Figures (drawn by the `sim.plots*` modules); the command
line saves them as PNG and the report embeds them.
"""

from __future__ import annotations

import pandas as pd

from sim import plots, plots_flow, plots_run


def standard_charts(
    summary: pd.DataFrame,
    stages: pd.DataFrame,
    applicants: pd.DataFrame,
    events: pd.DataFrame,
    team_levels: pd.DataFrame,
    swept: list[str],
    replications: int,
) -> dict[str, tuple[str, object]]:
    """File stem -> (caption, Figure). `events` and `team_levels` need only cell 0,
    replication 0 (the charts of one run); `applicants` needs the time-to-offer columns."""
    charts = {}
    if not swept:
        charts["time_to_offer"] = (
            "Days from interview to offer, every offer of every replication.",
            plots.plot_time_to_offer(applicants),
        )
    else:
        charts["time_to_offer_by_cell"] = (
            "Time to offer by sweep cell (cumulative share of offers made by each day).",
            plots.plot_time_to_offer_grid(applicants, swept),
        )
        charts["median_heatmap"] = (
            "Median days from interview to offer over the swept parameters, with 95% intervals.",
            plots.plot_median_heatmap(summary),
        )
    charts["funnel"] = (
        "The candidate funnel: how many reach each stage and how they leave it.",
        plots_flow.plot_funnel(stages, replications=replications),
    )
    charts["team_over_time"] = (
        "Team load over one replication (cell 0, replication 0): who is the bottleneck.",
        plots_run.plot_team_over_time(team_levels),
    )
    charts["journeys"] = (
        "A sample of candidate journeys (cell 0, replication 0): waiting light, work solid.",
        plots_run.plot_journeys(events),
    )
    return charts
