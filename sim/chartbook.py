"""The standard set of charts under its first name: kept so existing code keeps working; new code
uses sim.charts.chartbook."""

from sim.charts.chartbook import chart_plan, reason, standard_charts

__all__ = ["chart_plan", "reason", "standard_charts"]
