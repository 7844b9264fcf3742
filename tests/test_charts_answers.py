"""The charts that answer a manager: where the days go (waiting, queueing, working), time to
hire, the bottleneck (one definition for chart and text), the funnel, the journeys' colours and
the ECDF grid's labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb
from test_exact_times import HM, scenario

import sim
from sim.analysis.bottleneck import MATERIAL_QUEUE, bottleneck_text, heaviest, title
from sim.analysis.breakdowns import stage_table, team_table
from sim.analysis.waits import PARTS, journeys, visit_parts, where_the_days_go, with_split
from sim.charts import days, funnel, offers, team
from sim.charts.chartbook import chart_plan
from sim.charts.journeys import OUTCOME_DISTANCE, OUTCOME_MARKERS
from sim.charts.style import STAGE_COLOURS
from sim.report import bottleneck

REVIEW = {"initial_review": {"resource": HM, "duration": 2, "wait": 1}}


def run(document: dict, replication: int = 0) -> dict[str, pd.DataFrame]:
    return sim.simulate(sim.load_scenario(document), replication)


def split_stages(tables) -> pd.DataFrame:
    stages = stage_table(tables["applicants"], tables["visits"], [])
    return with_split(stages, tables["applicants"], tables["visits"], tables["requisitions"])


# -- where the days go --------------------------------------------------------------------------


def test_one_busy_person_gives_the_queueing_worked_out_by_hand():
    # Three arrive at day 0 for one hiring manager; the review waits 1 day (its own wait), then
    # asks for the manager, who works 2 days each, first come first served: a0 1 -> 3 with no
    # queue, a1 queues 1 -> 3 and works 3 -> 5, a2 queues 1 -> 5 and works 5 -> 7. Every later
    # stage is off and there are three openings: each is offered when its review completes.
    tables = run(scenario(REVIEW, n=3, openings=3))
    parts = visit_parts(tables["visits"]).sort_values("case:concept:name")
    assert parts[list(PARTS)].to_numpy().tolist() == [[1, 0, 2], [1, 2, 2], [1, 4, 2]]
    row = split_stages(tables).iloc[0]
    assert (row["mean_waiting_days"], row["mean_queueing_days"], row["mean_working_days"]) == (
        1, 2, 2)  # fmt: skip
    assert row["mean_waiting_days"] + row["mean_queueing_days"] == row["mean_wait_days"]
    # the typical offered candidate (times to offer 3, 5, 7: between the 40% and 60%
    # quantiles only 5): a1, waiting 1, queueing 2, working 2
    assert (row["offer_waiting_days"], row["offer_queueing_days"],
            row["offer_working_days"]) == (1, 2, 2)  # fmt: skip
    assert row["offer_typical_candidates"] == 1
    # the requisition fills with the third acceptance, a2's at day 7: 1 + 4 + 2 from day 0
    assert (row["fill_search_days"], row["fill_waiting_days"], row["fill_queueing_days"],
            row["fill_working_days"]) == (0, 1, 4, 2)  # fmt: skip


def test_no_one_queues_for_a_free_person_and_a_stage_without_one_only_waits():
    stages = {"initial_review": {"resource": None, "duration": 2, "wait": 1},
              "reference_checks": {"resource": HM, "duration": 1, "wait": 3}}  # fmt: skip
    tables = run(scenario(stages, n=1))
    parts = visit_parts(tables["visits"]).set_index("stage")
    assert parts.loc["initial_review", list(PARTS)].tolist() == [1, 0, 2]
    assert parts.loc["reference_checks", list(PARTS)].tolist() == [3, 0, 1]


@pytest.fixture(scope="module")
def small():
    document = sim.load_scenario({
        "name": "answers", "horizon_days": 150, "warmup_days": 0, "replications": 2,
        "company": {"size": "mid", "requisitions": 2, "requisitions_per_month": 1},
        "applicants": {"per_requisition": 30}})  # fmt: skip
    parts = [sim.simulate(document, r) for r in range(2)]
    return {k: pd.concat([p[k] for p in parts], ignore_index=True) for k in parts[0]}


def test_each_offered_journey_splits_into_its_time_to_offer_exactly(small):
    applicants = small["applicants"]
    offered = applicants.dropna(subset=["offer_day"]).set_index("case_id")
    assert len(offered) >= 5
    split = journeys(small["visits"], offered["offer_day"])
    assert (split[list(PARTS)] >= -1e-9).all().all()
    sums = split.groupby("case:concept:name")[list(PARTS)].sum().sum(axis=1)
    expected = offered["time_to_offer_days"]
    np.testing.assert_allclose(sums.loc[expected.index], expected, atol=1e-9)
    # per visit: waiting + queueing is the stage's wait (schedule to start)
    parts = visit_parts(small["visits"]).dropna(subset=["start"])
    np.testing.assert_allclose(parts["waiting"] + parts["queueing"],
                               parts["start"] - parts["schedule"], atol=1e-9)  # fmt: skip
    assert (parts["queueing"] >= 0).all() and (parts["waiting"] >= 0).all()


def test_the_typical_split_sums_to_its_candidates_mean_time_to_offer(small):
    stages = split_stages(small)
    offer = stages[["offer_waiting_days", "offer_queueing_days", "offer_working_days"]]
    total = float(offer.to_numpy().sum())
    times = small["applicants"]["time_to_offer_days"].dropna()
    low, high = times.quantile([0.4, 0.6])
    band = times[(times >= low) & (times <= high)]
    assert total == pytest.approx(band.mean(), abs=1e-9)
    assert stages["offer_typical_candidates"].iloc[0] == len(band)
    rows = where_the_days_go(stages)
    assert set(rows["measure"]) <= {"offer", "fill"}
    assert rows.loc[rows["measure"] == "offer", list(PARTS)].to_numpy().sum() == pytest.approx(
        total)  # fmt: skip


# -- the bottleneck -----------------------------------------------------------------------------


def team_rows(queues: dict[str, float], utilisation: float = 0.05) -> pd.DataFrame:
    return pd.DataFrame([
        {"scenario": "s", "cell": 0, "resource": role, "capacity": 1,
         "utilisation": utilisation + 0.01 * i, "mean_queue_length": queue}
        for i, (role, queue) in enumerate(queues.items())
    ])  # fmt: skip


def test_no_bottleneck_when_every_role_is_lightly_used():
    light = team_rows({"recruiter": 0.0, "hiring_manager": 0.02})
    load = heaviest(light)
    assert load is not None and not load.bottleneck and load.resource == "hiring_manager"
    assert "no bottleneck" in title(load, "hiring manager")
    assert bottleneck(light, []).startswith("No bottleneck")


def test_a_role_that_queues_is_named_whatever_the_others_utilisation():
    queued = team_rows({"recruiter": MATERIAL_QUEUE + 0.5, "hiring_manager": 0.1},
                       utilisation=0.6)  # fmt: skip
    queued.loc[1, "utilisation"] = 0.9  # busier, but no material queue
    load = heaviest(queued)
    assert load.bottleneck and load.resource == "recruiter"
    assert "the bottleneck is the recruiter" in title(load, "recruiter")
    assert bottleneck(queued, []).startswith("The bottleneck is the <b>recruiter</b>")


def test_the_chart_and_the_text_name_the_same_role_from_the_same_statistic():
    # six candidates for one hiring manager at once: a real queue (more than one on average)
    tables = run(scenario(REVIEW, n=6, openings=6))
    levels = tables["team_levels"]
    table = team_table(levels, [])
    load = heaviest(table)
    assert load.bottleneck and load.resource == HM
    fig = team.plot_team_over_time(levels, team=table)
    assert fig.get_suptitle() == title(load, "hiring manager")
    # without the team table the chart computes the same statistic from the levels
    mine = team.levels_team(levels).set_index("resource")
    np.testing.assert_allclose(mine.loc[table["resource"], ["utilisation", "mean_queue_length"]],
                               table[["utilisation", "mean_queue_length"]], rtol=1e-12)
    assert team.plot_team_over_time(levels).get_suptitle() == fig.get_suptitle()
    assert "<b>hiring manager</b>" in bottleneck_text(table, [])  # as the chart names it
    # in a sweep the chart shows the busiest cell, and says so
    calm = run(scenario(REVIEW, n=1, openings=1))["team_levels"].assign(cell=1)
    both = pd.concat([calm, levels], ignore_index=True)
    teams = pd.concat([team_table(calm, []), table], ignore_index=True)
    assert team.busiest_cell(teams, both) == 0
    teams.loc[teams["cell"] == 1, "mean_queue_length"] = 9.0
    assert team.busiest_cell(teams, both) == 1


# -- funnel, journeys, grid, new charts -----------------------------------------------------------


def test_the_funnel_never_grows_and_its_offer_step_counts_the_offers(small):
    stages = stage_table(small["applicants"], small["visits"], [])
    rows = funnel.funnel_rows(stages)
    main = rows[~rows["branch"]]
    assert (np.diff(main["reached"].to_numpy()) <= 1e-9).all(), main
    offers_made = small["applicants"]["offer_day"].notna().sum()
    assert main.set_index("stage").loc[funnel.OFFER_ROW, "reached"] == offers_made
    fig = funnel.plot_funnel(stages, replications=2)
    labels = [t.get_text().strip() for t in fig.axes[0].texts]
    numbers = [label.split(" ")[0] for label in labels]
    assert numbers and all(n.count(".") == 1 and len(n.split(".")[1]) == 1 for n in numbers)


def test_outcome_markers_are_coloured_apart_from_every_stage():
    def distance(a, b) -> float:
        return float(np.linalg.norm((np.array(to_rgb(a)) - np.array(to_rgb(b))) * 255))

    for _, colour in OUTCOME_MARKERS.values():
        for stage_colour in STAGE_COLOURS.values():
            assert distance(colour, stage_colour) >= OUTCOME_DISTANCE, (colour, stage_colour)
    colours = [c for _, c in OUTCOME_MARKERS.values()]
    assert len(set(colours)) == len(colours)


def test_the_grids_median_label_never_overlaps_the_offer_count():
    rng = np.random.default_rng(3)
    cells = []
    for cell in range(16):  # small panels; some medians near the right edge
        days_ = rng.gamma(4, 3 + cell, size=40)
        cells.append(pd.DataFrame({"scenario": "s", "cell": cell, "replication": 0,
                                   "x": cell, "time_to_offer_days": days_}))  # fmt: skip
    applicants = pd.concat(cells, ignore_index=True)
    fig = offers.plot_time_to_offer_grid(applicants, ["x"])
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()
    checked = 0
    for ax in fig.axes:
        texts = [t for t in ax.texts if t.get_visible()]
        marks = [t for t in texts if t.get_text().startswith("median")]
        counts = [t for t in texts if t.get_text().endswith("offers")]
        for mark in marks:
            for count in counts:
                checked += 1
                assert not mark.get_window_extent(renderer).overlaps(
                    count.get_window_extent(renderer))  # fmt: skip
    assert checked > 0


def test_the_new_charts_have_titles_and_labelled_axes(small):
    stages = split_stages(small)
    fig = days.plot_where_the_days_go(stages)
    assert "Where the days go" in fig.get_suptitle()
    assert all("days since the" in ax.get_xlabel() for ax in fig.axes)
    fig = offers.plot_time_to_hire(small["applicants"])
    ax = fig.axes[0]
    assert ax.get_title(loc="left").startswith("Time from interview to hire")
    assert "days" in ax.get_xlabel() and "%" in ax.get_ylabel()
    plan = chart_plan(pd.DataFrame(), stages, small["applicants"], small["events"],
                      small["team_levels"], [], 2)  # fmt: skip
    assert {"where_the_days_go", "time_to_hire"} <= set(plan)


def test_a_sweep_keeps_the_team_levels_of_cell_0_and_the_busiest_cell_only(tmp_path):
    from sim.analysis.bottleneck import heaviest as busiest
    from sim.execution.output import CellWriter
    from sim.execution.runner import run as run_cells

    document = scenario(REVIEW, n=6, openings=6)
    document["sweep"] = {"team.hiring_manager": [6, 3, 1]}  # the last cell queues most
    writer = CellWriter(tmp_path / "out")
    results = run_cells(sim.load_scenario(document), replications=1, workers=1, on_cell=writer,
                        keep_tables=False, tables_to=writer.parts)  # fmt: skip
    _, _, levels = writer.chart_tables()
    assert busiest(results.team).cell == 2
    assert set(levels["cell"]) == {0, 2} and set(levels["replication"]) == {0}
    plan = chart_plan(results.summary, results.stages, pd.DataFrame(), pd.DataFrame(), levels,
                      results.swept, 1, results.team)  # fmt: skip
    assert "cell 2, the busiest" in plan["team_over_time"][0]
