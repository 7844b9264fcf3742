"""The fit report's charts (`hiresim fit --report`): each stage's observed durations against
the fitted distribution, and observed against simulated time to offer and time to fill.

Observed durations: the Kaplan-Meier estimate of the CDF where some are censored (candidates
still in the stage at the export's end), else the empirical CDF; the fitted CDF over it. The
inputs are plain arrays and `sim.fit.estimate.Duration`s; nothing here runs the model.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sim.analysis.survival import km_curve
from sim.charts.labels import stage_name
from sim.charts.style import (
    BLUE,
    RED,
    SLIDE,
    TICK_SIZE,
    TITLE_SIZE,
    new_canvas,
    no_data,
    style_axes,
)

PARTS = {"wait": "Wait: entry to start", "duration": "Work: start to complete"}


def empirical_cdf(done, open_=()) -> tuple[np.ndarray, np.ndarray]:
    """Step points (x, F(x)) of the observed CDF: the Kaplan-Meier estimate with the censored
    `open_` (`sim.analysis.survival.km_curve`), the ECDF of `done` without."""
    done, open_ = np.asarray(done, float), np.asarray(open_, float)
    times = np.concatenate([done, open_])
    events = np.arange(len(times)) < len(done)
    x, share = km_curve(times, events)
    return np.concatenate([[0.0], x]), np.concatenate([[0.0], share])


EMPTY = {  # (part, completions only) -> why nothing is drawn
    ("wait", True): "nothing to fit: no earlier\ncompletion to count the gap from",
    ("wait", False): "no wait fitted: the work\nmostly starts on entry",
    ("duration", True): "completions only: no start\nto time the work from",
    ("duration", False): "no completed work to fit",
}


def _part(ax: Axes, duration, part: str, clock: str, gaps_only: bool = False) -> None:
    title = PARTS[part]
    if duration is None:
        no_data(ax, EMPTY[part, gaps_only])
        ax.set_xticks([])
        ax.set_yticks([])
        style_axes(ax, title, "", "")
        return
    x, y = empirical_cdf(duration.done, duration.open)
    how = "Kaplan-Meier" if duration.censored else "empirical CDF"
    censored = f", {duration.censored} censored" if duration.censored else ""
    ax.step(x, y, where="post", color=BLUE, lw=2,
            label=f"observed ({how}; n={duration.n}{censored})")  # fmt: skip
    top = float(np.quantile(np.concatenate([duration.done, duration.open]), 0.99)) or 1.0
    if duration.frozen is not None:
        top = max(top, float(duration.frozen.ppf(0.95)))
        grid = np.linspace(0, top * 1.05, 300)
        ax.plot(grid, duration.frozen.cdf(grid), color=RED, lw=2, ls="--",
                label=f"fitted {duration.family} (median {duration.median:.2g})")  # fmt: skip
    else:
        value = duration.median
        top = max(top, value) * 2 or 1.0  # the step in the middle of the panel
        ax.plot([0, value, value, top * 1.05], [0, 0, 1, 1], color=RED, lw=2,
                ls="--", label=f"fixed at {value:.2g} (too few or all alike)")  # fmt: skip
    ax.set_xlim(0, top * 1.05)
    ax.xaxis.set_major_locator(MaxNLocator(6))
    ax.set_ylim(0, 1.02)
    style_axes(ax, title, clock, "share done by then")
    ax.legend(fontsize=TICK_SIZE, loc="best", frameon=False)


def plot_stage_fit(stage_fit, business: bool, ax: Axes | None = None) -> Figure:
    """One stage: its wait and its work, observed against fitted (CDFs), in the fit's clock.
    `stage_fit` is a `sim.fit.estimate.StageFit`."""
    clock = "business days (Mon-Fri)" if business else "days"
    fig, canvas = new_canvas(ax, size=SLIDE)
    panels = canvas.subplots(1, 2, squeeze=True)
    _part(panels[0], stage_fit.wait, "wait", clock, stage_fit.gaps_only)
    if stage_fit.gaps_only or stage_fit.assigned:
        since = "gap from the previous completion" if stage_fit.gaps_only else "entry to assign"
        panels[0].set_title(f"Wait: {since}", fontsize=TITLE_SIZE, loc="left")
    if stage_fit.pooled:  # nothing drawn: say why
        panels[0].clear()
        no_data(panels[0], "a pool: its candidates start together;\n"
                           "the preset's keep and pool_days are kept")  # fmt: skip
        panels[0].set_xticks([])
        panels[0].set_yticks([])
        style_axes(panels[0], "Wait: the shortlist's pool", "", "")
    work = (f"working hours ({stage_fit.work_hours:.2g} hiring hours a business day)"
            if stage_fit.work_hours else clock)  # fmt: skip
    _part(panels[1], stage_fit.duration, "duration", work, stage_fit.gaps_only)
    name = stage_name(stage_fit.stage).capitalize()
    canvas.suptitle(f"{name}: observed durations and the fitted distribution",
                    fontsize=TITLE_SIZE, x=0.01, ha="left")  # fmt: skip
    return fig


def plot_observed_vs_simulated(observed: dict, simulated: dict, title: str,
                               observed_label: str = "observed",
                               ax: Axes | None = None) -> Figure:  # fmt: skip
    """ECDFs of time to offer and time to fill: `observed` and `simulated` map
    "time_to_offer_days" / "time_to_fill_days" to arrays of calendar days."""
    fig, canvas = new_canvas(ax, size=SLIDE)
    panels = canvas.subplots(1, 2, squeeze=True)
    names = {
        "time_to_offer_days": ("Time to offer", "calendar days from the first event"),
        "time_to_fill_days": ("Time to fill", "calendar days from the first candidate"),
    }
    for panel, (metric, (label, xlabel)) in zip(panels, names.items(), strict=True):
        drawn = False
        for values, name, colour, style in (
            (observed.get(metric, ()), observed_label, BLUE, "-"),
            (simulated.get(metric, ()), "simulated", RED, "--"),
        ):
            values = np.sort(np.asarray(values, float))
            if len(values) == 0:
                continue
            drawn = True
            y = np.arange(1, len(values) + 1) / len(values)
            panel.step(
                np.concatenate([[0], values]),
                np.concatenate([[0], y]),
                where="post",
                color=colour,
                ls=style,
                lw=2,
                label=f"{name} (n={len(values)}, median {np.median(values):.1f})",
            )
        if not drawn:
            no_data(panel, "none in the log")
        else:
            panel.legend(fontsize=TICK_SIZE, loc="best", frameon=False)
            panel.set_ylim(0, 1.02)
        style_axes(panel, label, xlabel, "share by then")
    canvas.suptitle(title, fontsize=TITLE_SIZE, x=0.01, ha="left")
    return fig
