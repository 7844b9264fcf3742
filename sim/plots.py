"""Time-to-offer charts and the chart helpers, under their first names: kept so existing code
keeps working; new code uses sim.charts.offers, sim.charts.labels and sim.charts.style."""

from sim.charts.labels import (
    AXIS_NAMES,
    MAX_VALUE_CHARS,
    SHORT_VALUE_LABELS,
    VALUE_LABELS,
    axis_name,
    cell_label,
    stage_name,
    swept_columns,
    value_label,
)
from sim.charts.offers import (
    MAX_GRID_PANELS,
    MAX_HEATMAP_COLUMNS,
    plot_median_heatmap,
    plot_time_to_offer,
    plot_time_to_offer_grid,
)
from sim.charts.style import (
    BLUE,
    GREY,
    LABEL_SIZE,
    PANEL_TITLE_SIZE,
    RED,
    SLIDE,
    TICK_SIZE,
    TITLE_SIZE,
)

__all__ = [
    "AXIS_NAMES", "BLUE", "GREY", "LABEL_SIZE", "MAX_GRID_PANELS", "MAX_HEATMAP_COLUMNS",
    "MAX_VALUE_CHARS", "PANEL_TITLE_SIZE", "RED", "SHORT_VALUE_LABELS", "SLIDE", "TICK_SIZE",
    "TITLE_SIZE", "VALUE_LABELS", "axis_name", "cell_label", "plot_median_heatmap",
    "plot_time_to_offer", "plot_time_to_offer_grid", "stage_name", "swept_columns", "value_label",
]  # fmt: skip
