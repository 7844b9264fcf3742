"""Which parameter moves a metric most: a tornado of one-at-a-time changes with their intervals.

Takes the sensitivity table (`sim.sensitivity(...)`, or `sensitivity.csv` read back), never the
runs: each parameter is one row, its lowered and raised variants' mean paired changes drawn as
bars from zero with 95% interval whiskers, the most influential parameter at the top.
"""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.analysis.headline import counted
from sim.analysis.metrics import PER_REPLICATION
from sim.analysis.parameters import LEAD, describe_path, ranking
from sim.charts.style import (
    BLUE,
    GREY,
    LABEL_SIZE,
    TICK_SIZE,
    TITLE_SIZE,
    empty_chart,
    new_axes,
    style_axes,
)

ORANGE = "#DD8452"
TOP = 12
"""Parameters drawn at most (the rest, with smaller changes, are in the table)."""
_SOURCES = {"time_to_offer_days_median": "median_time_to_offer_days",
            "time_to_hire_days_median": "median_time_to_hire_days",
            "hires_per_replication": "hires"}  # fmt: skip


def _label_and_unit(table: pd.DataFrame, metric: str) -> tuple[str, str]:
    rows = table[table["metric"] == metric]
    if {"label", "unit"} <= set(rows.columns) and len(rows):
        return str(rows["label"].iloc[0]), str(rows["unit"].iloc[0])
    known = PER_REPLICATION.get(_SOURCES.get(metric, metric))
    return (known.label, known.unit) if known else (metric.replace("_", " "), "")


def _axis_label(label: str, unit: str) -> str:
    if unit == "days":
        return f"change in {label}, days (variant − base)"
    if unit.startswith("per "):
        return f"change in {label} {unit} (variant − base)"
    return f"change in {label}" + (f" ({unit})" if unit else "") + " (variant − base)"


def plot_tornado(
    table: pd.DataFrame, metric: str = LEAD, top: int = TOP, ax: Axes | None = None
) -> Figure:
    """A tornado of `metric`'s changes: per parameter (at most `top`, largest change first)
    the lowered variant's bar above the raised one's, each with its 95% interval; a bar whose
    interval includes 0 (no clear change) is pale."""
    label, unit = _label_and_unit(table, metric)
    title = f"What moves the {label}" if unit == "days" else f"What changes: {label}"
    rows = table[table["metric"] == metric] if "metric" in table else table.iloc[:0]
    if rows.empty:
        return empty_chart(ax, title, "No parameter was varied")
    order = ranking(table, metric)
    shown, hidden = order[:top], len(order) - top
    given = ax
    fig, ax = new_axes(ax)
    factors, handles = {}, []
    for direction, offset, colour in (("lower", -0.2, BLUE), ("higher", 0.2, ORANGE)):
        side = rows[rows["direction"] == direction].drop_duplicates("parameter")
        side = side.set_index("parameter").reindex(shown)
        y = [i + offset for i in range(len(shown))]
        diff = side["difference"].fillna(0)
        factors[direction] = sorted(set(side["factor"].dropna()))
        clear = (side["ci_low"] > 0) | (side["ci_high"] < 0)  # the interval excludes 0
        shades = [to_rgba(colour, 0.9 if c else 0.35) for c in clear]
        ax.barh(y, diff, height=0.38, color=shades, edgecolor=colour, linewidth=0.8, zorder=2)
        handles.append(Patch(facecolor=to_rgba(colour, 0.9), edgecolor=colour))
        low = (side["difference"] - side["ci_low"]).clip(lower=0)
        high = (side["ci_high"] - side["difference"]).clip(lower=0)
        ax.errorbar(diff, y, xerr=[low.fillna(0), high.fillna(0)], fmt="none", ecolor="#333",
                    capsize=3, linewidth=1.2, zorder=3)  # fmt: skip
    ax.axvline(0, color=GREY, linewidth=1)
    ax.set_yticks(range(len(shown)), [describe_path(p) for p in shown])
    ax.set_ylim(len(shown) - 0.5, -0.5)
    note = "bars: mean paired change; whiskers: 95% interval; pale: the interval includes 0"
    if hidden > 0:
        note += f"\n{counted(hidden, 'more parameter')} with smaller changes are in the table"
    own = ax.figure is fig and len(fig.axes) == 1 and given is None
    style_axes(ax, "" if own else title, _axis_label(label, unit), "")
    if own:  # the title above, the reading note under it
        ax.set_title(note, loc="left", fontsize=TICK_SIZE, color=GREY)
        fig.suptitle(title, fontsize=TITLE_SIZE, x=0.01, ha="left")
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", alpha=0.3)
    ax.tick_params(axis="y", labelsize=TICK_SIZE if len(shown) <= 14 else TICK_SIZE - 1)
    names = [_factor_text("lowered", factors["lower"]), _factor_text("raised", factors["higher"])]
    ax.legend(handles, names, fontsize=TICK_SIZE, loc="lower right", frameon=False)
    _pad(ax, rows)
    return fig


def _factor_text(word: str, factors: list[float]) -> str:
    return f"{word} (x{factors[0]:g})" if len(factors) == 1 else word


def _pad(ax: Axes, rows: pd.DataFrame) -> None:
    """Room on both sides of zero for the whiskers, and at least ±1 unit, so that noise is not
    stretched across the whole width."""
    values = pd.concat([rows["ci_low"], rows["ci_high"], rows["difference"]]).dropna()
    lo, hi = (values.min(), values.max()) if len(values) else (0.0, 0.0)
    span = max(hi - lo, 2.0)
    lo, hi = min(lo, 0.0) - 0.05 * span, max(hi, 0.0) + 0.05 * span
    if math.isfinite(lo) and math.isfinite(hi):
        ax.set_xlim(min(lo, -1.0), max(hi, 1.0))
    ax.xaxis.label.set_size(LABEL_SIZE)
