"""The side-by-side charts under their first names: kept so existing code keeps working; new code
uses sim.charts.compare (the comparison) and sim.charts.offers (the heatmap of medians)."""

from sim.charts.compare import plot_comparison
from sim.charts.offers import plot_median_heatmap

__all__ = ["plot_comparison", "plot_median_heatmap"]
