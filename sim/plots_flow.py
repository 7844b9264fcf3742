"""The candidate funnel under its first name: kept so existing code keeps working; new code uses
sim.charts.funnel."""

from sim.charts.funnel import LOSS_COLOURS, LOSS_NAMES, MAX_FUNNEL_PANELS, plot_funnel

__all__ = ["LOSS_COLOURS", "LOSS_NAMES", "MAX_FUNNEL_PANELS", "plot_funnel"]
