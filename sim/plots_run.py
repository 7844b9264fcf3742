"""The charts of one replication under their first names: kept so existing code keeps working;
new code uses sim.charts.team and sim.charts.journeys."""

from sim.charts.journeys import OUTCOME_MARKERS, plot_journeys
from sim.charts.style import STAGE_COLOURS
from sim.charts.team import RESOURCE_COLOURS, plot_team_over_time

__all__ = [
    "OUTCOME_MARKERS", "RESOURCE_COLOURS", "STAGE_COLOURS", "plot_journeys", "plot_team_over_time",
]  # fmt: skip
