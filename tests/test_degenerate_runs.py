"""Legal but degenerate runs give complete tables, charts and a report, never a traceback.

Short runs (under a week), zero candidates, zero offers, one replication, sweeps of any number
of paths and of any kind of value, events after 2262, and comparisons of a scenario with itself
or with a scenario that sees no one (issue 7).
"""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from plain import plain

import sim
from sim.analysis.breakdowns import stage_table, team_table
from sim.analysis.compare import compare, per_replication
from sim.analysis.summaries import summarise
from sim.charts.compare import plot_comparison
from sim.charts.funnel import plot_funnel
from sim.charts.journeys import plot_journeys
from sim.charts.offers import plot_median_heatmap, plot_time_to_offer, plot_time_to_offer_grid
from sim.charts.team import moving_average, plot_team_over_time
from sim.execution.runner import Results
from sim.report import build_report

ZERO = {"name": "zero", "horizon_days": 0.001}  # the first interview comes later
SHORT = {"name": "short", "horizon_days": 5}
BATCH = {
    "name": "batch-3",
    "applicants": {"per_requisition": 3, "max_reopens": 0, "arrivals": {"process": "batch"}},
    "stages": {"initial_review": {"pass_prob": 0.05}},
}


def run(document: dict, replications: int = 1) -> Results:
    return sim.run(sim.load_scenario(plain(document)), replications=replications, workers=1)


def titled(fig: Figure) -> bool:
    texts = [part._suptitle.get_text() for part in [fig, *fig.subfigs] if part._suptitle]
    texts += [ax.get_title(loc="left") for ax in fig.axes]
    return any(t.strip() for t in texts)


def draw(fig: Figure, tmp_path: Path, name: str = "chart") -> None:
    """Render for real (layout, text, colours) and check a titled PNG came out."""
    assert isinstance(fig, Figure) and titled(fig)
    fig.savefig(tmp_path / f"{name}.png", dpi=40)
    assert (tmp_path / f"{name}.png").read_bytes()[:4] == b"\x89PNG"


def with_cell(results: Results) -> Results:
    """The results as the runner builds them when it names each cell (`cell=`)."""
    cell = {"scenario": results.scenario.name, "cell": 0}
    a, e, levels = results.applicants, results.events, results.team_levels
    reps = results.scenario.replications
    return Results(
        scenario=results.scenario,
        summary=summarise(a, [], reps, cell=cell),
        stages=stage_table(a, e, [], cell=cell),
        team=team_table(levels, [], cell=cell),
        applicants=a,
        events=e,
        team_levels=levels,
    )


# -- the moving average of short runs ------------------------------------------------------


@pytest.mark.parametrize("end", [0.0, 0.3, 5.0, 6.99, 7.0, 40.0])
def test_moving_average_has_one_point_per_grid_point(end):
    times, values = np.array([0.0, end / 2]), np.array([2.0, 4.0])
    grid, average = moving_average(times, values, end, window=7.0)
    assert len(grid) == len(average) >= 1
    assert np.all((average >= 2.0 - 1e-9) & (average <= 4.0 + 1e-9))


def test_a_window_wider_than_the_run_is_the_runs_mean():
    grid, average = moving_average(np.array([0.0, 1.0]), np.array([0.0, 3.0]), 2.0, 30.0)
    assert np.allclose(average, average[0])
    assert average[0] == pytest.approx(1.5, abs=0.05)  # 0 for a day, then 3 for a day


@pytest.mark.parametrize("document", [SHORT, BATCH], ids=["horizon-5", "batch-3"])
def test_team_chart_of_a_run_under_a_week(document, tmp_path):
    results = run(document)
    assert results.team_levels["time_days"].max() < 7
    draw(plot_team_over_time(results.team_levels), tmp_path)


def test_run_under_a_week_writes_every_table(tmp_path):
    scenario = tmp_path / "short.yaml"
    scenario.write_text("name: short\nhorizon_days: 5\nreplications: 1\n")
    done = subprocess.run(
        [sys.executable, "-m", "sim", "run", str(scenario), "--out", str(tmp_path / "out"),
         "--workers", "1", "--quiet"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    for name in ("summary", "applicants", "events", "stages", "team", "team_levels",
                 "requisitions"):  # fmt: skip
        assert (tmp_path / "out" / f"{name}.csv").stat().st_size > 0, name
    assert (tmp_path / "out" / "charts" / "team_over_time.png").is_file()


# -- zero candidates, zero offers, one replication -----------------------------------------


def test_a_cell_without_candidates_keeps_its_row_and_every_column():
    results = run({**ZERO, "sweep": {"team.recruiter": [3]}})
    assert results.applicants.empty
    cell = {"scenario": "zero", "cell": 0, "team.recruiter": 3}
    summary = summarise(results.applicants, ["team.recruiter"], 1, cell=cell,
                        requisitions=results.requisitions)  # fmt: skip
    assert len(summary) == 1
    row = summary.iloc[0]
    assert (row["scenario"], row["cell"], row["team.recruiter"]) == ("zero", 0, 3)
    assert row["candidates"] == row["hired"] == row["withdrew"] == 0
    assert np.isnan(row["time_to_offer_days_median"])
    # the requisition opened and no one came: counted, censored, not dropped
    assert (row["requisitions"], row["requisitions_censored"], row["fill_rate"]) == (1, 1, 0)
    assert np.isnan(row["time_to_fill_days_median"])
    some = run({"name": "some", "sweep": {"team.recruiter": [3]}}).summary
    assert list(summary.columns) == list(some.columns)
    stages = stage_table(results.applicants, results.events, ["team.recruiter"], cell=cell)
    assert stages.empty
    assert list(stages.columns) == list(run({"name": "s", "sweep": {"team.recruiter": [3]}}).stages)
    team = team_table(results.team_levels, ["team.recruiter"], cell=cell)
    assert set(team["resource"]) == {"hiring_manager", "recruiter"}
    assert (team["utilisation"] == 0).all()
    no_levels = team_table(results.team_levels.iloc[:0], ["team.recruiter"], cell=cell)
    assert no_levels.empty and list(no_levels.columns) == list(team.columns)


def test_team_table_keeps_a_cell_whose_swept_value_is_null():
    levels = run({"name": "n", "horizon_days": 10}).team_levels
    levels = levels.assign(**{"candidate.patience": None})
    assert len(team_table(levels, ["candidate.patience"])) == 2


@pytest.mark.parametrize("named", [True, False], ids=["runner-names-the-cell", "bare"])
def test_report_of_a_run_without_candidates(named):
    results = run(ZERO)
    results = with_cell(results) if named else results
    page = build_report(results, {}, skipped=[("The candidate funnel", "no stages drawn")])
    assert "No candidate" in page
    assert "The candidate funnel: no stages drawn" in page
    assert "<h2>Team</h2>" in page and "<h2>Stages" in page


def test_one_replication_reports_no_interval():
    results = run({"name": "one", "horizon_days": 120})
    page = build_report(results, {})
    headline = page.split("<h2>Headline</h2>")[1].split("</p>")[0]
    assert "median days to offer" in headline
    assert "95%" not in headline and "[" not in headline
    three = run({"name": "three", "horizon_days": 120}, replications=3)
    assert "(95% CI)" in build_report(three, {}).split("<h2>Headline</h2>")[1].split("</p>")[0]


def test_sweep_report_with_one_replication_has_no_ci_header():
    results = run({"name": "sw", "horizon_days": 60, "sweep": {"team.recruiter": [1, 2]}})
    page = build_report(results, {})
    assert "median days to offer" in page and "95% CI" not in page


def test_report_with_an_empty_team_table():
    results = run({"name": "t", "horizon_days": 30})
    results.team = team_table(results.team_levels.iloc[:0], [])
    assert "No team member was used" in build_report(results, {})


CHARTS = {
    "time_to_offer": lambda r: plot_time_to_offer(r.applicants),
    "grid": lambda r: plot_time_to_offer_grid(r.applicants, r.swept),
    "heatmap": lambda r: plot_median_heatmap(r.summary),
    "funnel": lambda r: plot_funnel(r.stages),
    "team": lambda r: plot_team_over_time(r.team_levels),
    "journeys": lambda r: plot_journeys(r.events),
    "comparison": lambda r: plot_comparison(pd.DataFrame()),
}


@pytest.fixture(scope="module")
def empty_runs():
    zero = run({**ZERO, "sweep": {"team.recruiter": [1, 2]}})
    typed = Results(
        scenario=zero.scenario,
        summary=zero.summary.iloc[:0],
        stages=zero.stages,
        team=zero.team,
        applicants=zero.applicants,
        events=zero.events,
        team_levels=zero.team_levels.iloc[:0],
        swept=zero.swept,
    )
    bare = Results(scenario=zero.scenario, summary=pd.DataFrame(), stages=pd.DataFrame(),
                   team=pd.DataFrame())  # fmt: skip
    return {"typed": typed, "bare": bare}


@pytest.mark.parametrize("tables", ["typed", "bare"])
@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_every_chart_draws_empty_tables(empty_runs, tables, chart, tmp_path):
    draw(CHARTS[chart](empty_runs[tables]), tmp_path)


def test_journeys_of_an_empty_replication_beside_a_full_one(tmp_path):
    events = run({"name": "j", "horizon_days": 40}).events
    later = events.assign(replication=1)  # replication 0 had no candidates
    draw(plot_journeys(later, replication=0), tmp_path)


# -- timestamps that cannot overflow -------------------------------------------------------


def test_timestamps_reach_far_past_2262_to_the_millisecond():
    from sim.analysis.tables import timestamps

    days = np.array([0.0, 1 / 3, 1.5, 1e6, 1e10, np.nan])
    for start in ("1900-01-01", "2026-01-05", "2200-12-31"):
        stamps = pd.Series(timestamps(start, days))
        assert stamps.iloc[:5].notna().all() and pd.isna(stamps.iloc[5])
        back = (stamps.iloc[:5].to_numpy() - np.datetime64(start, "ms")).astype(np.int64)
        assert (back == np.round(days[:5] * 86_400_000)).all()
    assert pd.Series(timestamps("2026-01-05", days)).iloc[4].year > 27_000_000


def test_a_run_with_events_after_2262():
    # the initial review waits 23,500 days (to 2264), past pandas' nanosecond limit (2262-04-11),
    # whenever the candidates arrive
    results = run({"name": "far", "start_date": "2200-01-01", "horizon_days": 40000,
                   "applicants": {"per_requisition": 5,
                                  "arrivals": {"process": "window", "days": 30000}},
                   "stages": {"initial_review": {"wait": 23500}}})  # fmt: skip
    events = results.events
    assert events["time:timestamp"].max().year > 2262
    back = (events["time:timestamp"] - pd.Timestamp("2200-01-01")) / pd.Timedelta(days=1)
    assert (back - events["time_days"]).abs().max() < 1e-6


# -- sweeps of any number of paths and any kind of value -----------------------------------


def summary_of(grid: dict[str, list], seed: int = 0) -> pd.DataFrame:
    """A hand-built summary over the full grid of `grid` (medians random, some missing)."""
    index = pd.MultiIndex.from_product(list(grid.values()), names=list(grid))
    cells = index.to_frame(index=False)
    rng = np.random.default_rng(seed)
    median = rng.uniform(5, 30, len(cells))
    median[::7] = np.nan
    return pd.concat([
        pd.DataFrame({"scenario": "hand", "cell": range(len(cells))}), cells,
        pd.DataFrame({"replications": 3, "time_to_offer_days_median": median,
                      "time_to_offer_days_median_ci_low": median - 1,
                      "time_to_offer_days_median_ci_high": median + 1}),
    ], axis=1)  # fmt: skip


GRIDS = {
    1: {"team.recruiter": [1, 2, 3]},
    2: {"company.size": ["small", "mid"], "team.recruiter": [1, 2, 3]},
    3: {"company.size": ["small", "mid"], "company.requisitions": [1, 2], "x.y": [0.5, 1.5]},
    4: {"company.size": ["small", "mid"], "company.requisitions": [1, 2, 3],
        "team.recruiter": [1, 2], "stages.shortlisting.enabled": [True, False]},
    "30": {"applicants.per_requisition": list(range(30))},
}  # fmt: skip


@pytest.mark.parametrize("paths", sorted(GRIDS, key=str))
def test_heatmap_draws_any_number_of_swept_paths(paths, tmp_path):
    summary = summary_of(GRIDS[paths])
    fig = plot_median_heatmap(summary)
    draw(fig, tmp_path)
    ax = fig.axes[0]
    shown = len(ax.get_xticklabels()) * len(ax.get_yticklabels())
    assert shown == len(summary)


def test_heatmap_rows_combine_the_other_paths():
    fig = plot_median_heatmap(summary_of(GRIDS[3]))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["small", "mid"]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert len(rows) == 4 and rows[0] == "1 reqs · x.y = 0.5"
    # explicit x and y: y's values first in each row label, then the paths left over
    fig = plot_median_heatmap(summary_of(GRIDS[3]), x="x.y", y="company.size")
    rows = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["0.5", "1.5"]
    assert rows[0] == "small · 1 reqs"


def test_heatmap_of_one_cell_twice_gives_each_its_row(tmp_path):
    summary = summary_of(GRIDS[1])
    twice = pd.concat([summary, summary.assign(cell=summary["cell"] + 3)], ignore_index=True)
    fig = plot_median_heatmap(twice)
    draw(fig, tmp_path)
    assert len(fig.axes[0].get_yticklabels()) == 6


ODD_VALUES = {  # swept values of every kind: the runner writes distributions and lists as text
    "candidate.patience": ['{"dist": "lognormal", "median": 14, "p90": 40}', None],
    "stages.shortlisting.enabled": [True, False],
    "stages.decision.pass_prob": [0.5, 1.0],
}


@pytest.fixture(scope="module")
def odd_sweep():
    """A 2 x 2 x 2 sweep run for real, its swept columns then given values of every kind."""
    grid = {"company.size": ["small", "mid"], "team.recruiter": [1, 2], "x": [0, 1]}
    document = {"name": "odd", "horizon_days": 60, "applicants": {"per_requisition": 5},
                "sweep": {"company.size": grid["company.size"],
                          "team.recruiter": grid["team.recruiter"],
                          "company.requisitions": [1, 2]}}  # fmt: skip
    results = run(document)
    codes = results.summary[["cell", *results.swept]].set_index("cell")
    renamed = dict(zip(results.swept, ODD_VALUES, strict=True))

    def odd(table: pd.DataFrame) -> pd.DataFrame:
        table = table.copy()
        for old, new in renamed.items():
            position = {v: k for k, v in enumerate(dict.fromkeys(codes[old]))}
            table[old] = [ODD_VALUES[new][position[v]] for v in table[old]]
        return table.rename(columns=renamed)

    for name in ("summary", "stages", "team", "applicants", "events", "team_levels"):
        setattr(results, name, odd(getattr(results, name)))
    results.swept = list(ODD_VALUES)
    results.scenario = results.scenario.model_copy(update={"sweep": ODD_VALUES})
    return results


@pytest.mark.parametrize("chart", ["time_to_offer", "grid", "heatmap", "funnel", "team",
                                   "journeys"])  # fmt: skip
def test_charts_of_swept_values_of_every_kind(odd_sweep, chart, tmp_path):
    fig = CHARTS[chart](odd_sweep)
    draw(fig, tmp_path)
    labels = [ax.get_title(loc="left") for ax in fig.axes]
    labels += [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    assert all(len(line) < 120 for text in labels for line in text.split("\n"))


def test_report_of_swept_values_of_every_kind(odd_sweep):
    page = build_report(odd_sweep, {})
    headline = page.split("<h2>Headline</h2>")[1].split("<h2>")[0]
    assert headline.count("<tr") == 1 + len(odd_sweep.summary)
    assert "lognormal" in headline and "…" in headline  # the long value, shortened
    assert "true" in headline and "null" in headline


# -- compare -------------------------------------------------------------------------------

SMALL = {"name": "base", "horizon_days": 60, "applicants": {"per_requisition": 6}}


def test_compare_a_scenario_with_itself_twice():
    base = sim.load_scenario(SMALL)
    comparison = compare(base, [base, base], replications=2, workers=1)
    assert list(dict.fromkeys(comparison.table["variant"])) == ["base-2", "base-3"]
    lines = comparison.headline()
    assert [line.split(":")[0] for line in lines] == ["base-2", "base-3"]
    hires = comparison.table.set_index(["variant", "metric"])["difference"]
    assert hires[("base-2", "hires")] == 0


def test_compare_with_a_base_that_sees_no_one(tmp_path):
    empty = sim.load_scenario({**ZERO, "name": "empty"})
    comparison = compare(empty, [sim.load_scenario(SMALL)], replications=3, workers=1)
    assert list(per_replication(comparison.base).index) == [0, 1, 2]
    assert (per_replication(comparison.base)["hires"] == 0).all()
    table = comparison.table.set_index("metric")
    assert table.loc["hires", "pairs"] == 3
    assert np.isnan(table.loc["median_time_to_offer_days", "difference"])
    assert "n/a" in comparison.headline()[0]
    draw(plot_comparison(comparison.table), tmp_path)
