"""Every chart draws a titled Figure, without pyplot, for ordinary runs and edge cases; the
old names (`sim.plots`, `sim.plots_flow`, ...) still reach the same functions."""

import ast
import importlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import sim
from sim.analysis.bottleneck import heaviest
from sim.analysis.breakdowns import team_table
from sim.charts.funnel import plot_funnel
from sim.charts.journeys import plot_journeys
from sim.charts.labels import cell_label, swept_columns
from sim.charts.offers import plot_median_heatmap, plot_time_to_offer, plot_time_to_offer_grid
from sim.charts.team import plot_team_over_time

ROOT = Path(__file__).resolve().parents[1]
PLOT_MODULES = sorted(p.relative_to(ROOT / "sim") for p in (ROOT / "sim" / "charts").glob("*.py"))
OLD_NAMES = {  # the names README and SPEC gave before sim.charts, and where they live now
    "sim.plots": {"plot_time_to_offer": "offers", "plot_time_to_offer_grid": "offers",
                  "plot_median_heatmap": "offers", "swept_columns": "labels",
                  "cell_label": "labels"},
    "sim.plots_flow": {"plot_funnel": "funnel"},
    "sim.plots_run": {"plot_team_over_time": "team", "plot_journeys": "journeys"},
    "sim.plots_compare": {"plot_comparison": "compare", "plot_median_heatmap": "offers"},
    "sim.chartbook": {"standard_charts": "chartbook", "chart_plan": "chartbook",
                      "reason": "chartbook"},
}  # fmt: skip
RUNS = {
    "baseline": ROOT / "scenarios" / "mid_baseline.yaml",
    "sweep": {
        "name": "sweep-2x2",
        "company": {"requisitions": 2, "requisitions_per_month": 0},
        "sweep": {"company.size": ["startup", "mid"], "applicants.per_requisition": [6, 12]},
    },
    "no_offers": {
        "name": "no-offers",
        "company": {"requisitions": 2, "requisitions_per_month": 0},
        "stages": {"initial_review": {"pass_prob": 0}},
        "sweep": {"team.recruiter": [1, 2]},
    },
    "single": {
        "name": "single",
        "company": {"requisitions": 2, "requisitions_per_month": 0},
        "sweep": {"team.recruiter": [2]},
    },
}
CHARTS = {
    "time_to_offer": lambda r: plot_time_to_offer(r.applicants),
    "time_to_offer_grid": lambda r: plot_time_to_offer_grid(r.applicants, r.swept),
    "median_heatmap": lambda r: plot_median_heatmap(r.summary),
    "funnel": lambda r: plot_funnel(r.stages),
    "team_over_time": lambda r: plot_team_over_time(r.team_levels),
    "journeys": lambda r: plot_journeys(r.events, n=12),
}


@pytest.fixture(scope="module")
def runs():
    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = sim.run(sim.load_scenario(RUNS[name]), replications=3, workers=1)
        return cache[name]

    return get


def titles(fig: Figure) -> list[str]:
    """Every non-empty title of a figure: suptitles (also of subfigures) and axes titles."""
    found = []
    for part in [fig, *fig.subfigs]:
        if part._suptitle is not None:
            found.append(part._suptitle.get_text())
    for ax in fig.axes:
        found.extend(ax.get_title(loc=loc) for loc in ("left", "center", "right"))
    return [t for t in found if t.strip()]


def check_png(fig: Figure, path: Path) -> None:
    fig.savefig(path, dpi=50)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert 5_000 < len(data) < 3_000_000


@pytest.mark.parametrize("run", sorted(RUNS))
@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_chart_is_a_titled_figure_that_saves_as_png(runs, run, chart, tmp_path):
    fig = CHARTS[chart](runs(run))
    assert isinstance(fig, Figure)
    assert titles(fig)
    check_png(fig, tmp_path / f"{chart}.png")


def test_the_runs_cover_the_edge_cases(runs):
    assert runs("no_offers").applicants["time_to_offer_days"].isna().all()
    assert len(runs("single").summary) == 1 and runs("single").swept == ["team.recruiter"]
    assert len(runs("baseline").summary) == 1 and runs("baseline").swept == []


@pytest.mark.parametrize(("run", "cells"), [("baseline", 1), ("sweep", 4), ("no_offers", 2)])
def test_grid_has_one_panel_per_cell(runs, run, cells):
    results = runs(run)
    fig = plot_time_to_offer_grid(results.applicants, results.swept)
    assert len([ax for ax in fig.axes if ax.axison]) == cells == len(results.summary)


def test_grid_rows_are_the_first_swept_path(runs):
    results = runs("sweep")
    fig = plot_time_to_offer_grid(results.applicants, results.swept)
    panels = [ax for ax in fig.axes if ax.axison]
    rows = {round(ax.get_position().y0, 3) for ax in panels}
    assert len(rows) == 2
    assert panels[0].get_title(loc="left") == "startup · 6 candidates/req"


def test_many_cells_become_one_panel():
    rng = np.random.default_rng(1)
    cells = pd.DataFrame({"cell": range(20), "company.size": ["mid"] * 20, "x.y": range(20)})
    applicants = cells.loc[cells.index.repeat(5)].assign(
        scenario="many", time_to_offer_days=rng.gamma(4, 4, 100)
    )
    fig = plot_time_to_offer_grid(applicants, ["company.size", "x.y"])
    assert len(fig.axes) == 1 and titles(fig)


def test_funnel_beyond_nine_cells_becomes_one_table(runs):
    stages = runs("sweep").stages
    many = pd.concat([stages.assign(cell=stages["cell"] + 4 * k) for k in range(3)])
    fig = plot_funnel(many)
    assert len([ax for ax in fig.axes if ax.get_label() != "<colorbar>"]) == 1


def test_charts_draw_into_a_given_axes(runs):
    results = runs("sweep")
    fig = Figure(figsize=(16, 14), layout="constrained")
    axes = fig.subplots(3, 2).flat
    drawn = [
        plot_time_to_offer(results.applicants, ax=next(axes)),
        plot_time_to_offer_grid(results.applicants, results.swept, ax=next(axes)),
        plot_median_heatmap(results.summary, "applicants.per_requisition", ax=next(axes)),
        plot_funnel(results.stages, ax=next(axes)),
        plot_team_over_time(results.team_levels, cell=1, ax=next(axes)),
        plot_journeys(results.events, n=8, cell=2, replication=1, ax=next(axes)),
    ]
    assert all(f is fig for f in drawn)
    assert len(fig.subfigs) == 4  # the multi-panel charts took their axes' places


def test_heatmap_axes_follow_the_paths_asked_for(runs):
    summary = runs("sweep").summary
    fig = plot_median_heatmap(summary, x="applicants.per_requisition", y="company.size")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["6", "12"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["startup", "mid"]
    assert "company size" in ax.get_ylabel()
    with pytest.raises(ValueError, match="not a swept path"):
        plot_median_heatmap(summary, x="team.recruiter")


def test_team_chart_names_the_bottleneck(runs):
    results = runs("sweep")
    team = results.team
    fig = plot_team_over_time(results.team_levels, cell=0, replication=0)
    # a role is named only when its queue is material (`sim.analysis.bottleneck`)
    load = heaviest(team_table(results.team_levels[results.team_levels["cell"] == 0], []))
    named = "bottleneck is the" in " ".join(titles(fig))
    assert named == load.bottleneck and (named or "no bottleneck" in " ".join(titles(fig)))
    assert set(team["resource"]) >= {"hiring_manager", "recruiter"}
    with pytest.raises(ValueError, match="no cell 9"):
        plot_team_over_time(results.team_levels, cell=9)


def test_swept_columns_and_labels(runs):
    results = runs("sweep")
    expected = ["company.size", "applicants.per_requisition"]
    assert swept_columns(results.summary, until="replications") == expected
    assert swept_columns(results.stages, until="stage") == expected
    assert swept_columns(results.team_levels, after="capacity") == expected
    assert swept_columns(results.events, after="time_days") == expected
    assert cell_label({"company.size": "mid", "team.recruiter": 3}) == "mid · recruiters: 3"
    assert cell_label({}) == ""


@pytest.mark.parametrize("module", PLOT_MODULES, ids=str)
def test_plot_modules_never_use_pyplot(module):
    tree = ast.parse((ROOT / "sim" / module).read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    assert not any("pyplot" in name or "pylab" in name for name in names)


@pytest.mark.parametrize("module", sorted(OLD_NAMES))
def test_the_old_names_still_work(module):
    """`sim.plots.plot_time_to_offer` and the rest are the functions of sim.charts."""
    old = importlib.import_module(module)
    for name, home in OLD_NAMES[module].items():
        assert getattr(old, name) is getattr(importlib.import_module(f"sim.charts.{home}"), name)
    assert getattr(sim, module.split(".")[1]) is old  # `import sim; sim.plots...` loads it


def test_stage_colours_come_from_the_stage_registry():
    from sim.charts.style import STAGE_COLOURS
    from sim.scenario.stages import STAGES

    assert {stage.name: stage.colour for stage in STAGES} == STAGE_COLOURS
    assert sim.plots_run.STAGE_COLOURS is STAGE_COLOURS
