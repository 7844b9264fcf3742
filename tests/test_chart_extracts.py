"""What the charts of one run are given when its tables went to files: the events of the
sampled journeys only (`JourneyKeeper`, fed chunk by chunk) and the team levels spread over a
bounded number of spans (`spread_levels`). Each gives the chart the whole table would give,
holding what the run has in process at once, not the whole run."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import sim  # noqa: E402
from sim.analysis.journeys import JourneyKeeper, case_exits, sample_cases  # noqa: E402
from sim.analysis.timelines import spread_levels, time_weighted  # noqa: E402
from sim.charts.chartbook import run_end  # noqa: E402
from sim.charts.journeys import plot_journeys  # noqa: E402
from sim.charts.team import faint_label  # noqa: E402
from sim.execution.tablefiles import TableFiles  # noqa: E402

ENDINGS = ["hired", "rejected", "withdrew", "declined"]


def synthetic_log(seed: int, cases: int = 3000, open_at_once: int = 12) -> pd.DataFrame:
    """An event log in time order: cases arriving one after another, at most `open_at_once`
    in process, each with a few events and (but the last few) one ending, some of them with
    an event after it; names in an order unrelated to arrival."""
    rng = np.random.default_rng(seed)
    names = [f"c0-r0-q{rng.integers(10**6)}-a{case}" for case in range(cases)]
    rows = []
    for case in range(cases):
        start = case * 1.0
        steps = rng.integers(1, 5)
        times = start + np.sort(rng.uniform(0, open_at_once - 1, steps))
        for k, time in enumerate(times):
            rows.append((case, names[case], f"stage{k}", time))
        if case < cases - open_at_once:  # the last ones are still in process at the end
            ending = ENDINGS[rng.choice(4, p=[0.1, 0.6, 0.25, 0.05])]
            end = times[-1] + rng.uniform(0, 0.5)
            rows.append((case, names[case], ending, end))
            if rng.random() < 0.3:
                rows.append((case, names[case], "rejection_notice", end + 0.2))
    log = pd.DataFrame(rows, columns=["case", "case:concept:name", "concept:name", "time_days"])
    return log.sort_values("time_days", kind="stable").reset_index(drop=True)


@pytest.mark.parametrize("seed", range(6))
def test_the_keeper_chooses_what_the_whole_log_would_holding_only_what_is_in_process(seed):
    log = synthetic_log(seed)
    rng = np.random.default_rng(100 + seed)
    keeper, held = JourneyKeeper(), []
    cuts = np.sort(rng.choice(np.arange(1, len(log)), size=60, replace=False))
    for chunk in np.split(np.arange(len(log)), cuts):
        rows = log.iloc[chunk].reset_index(drop=True)
        keeper.add(rows.drop(columns="case"), rows["case"].to_numpy())
        held.append(len(set(keeper.kept_cases)))
    whole = log.drop(columns="case")
    chosen = sample_cases(case_exits(whole), 20)
    expected = whole[whole["case:concept:name"].isin(chosen)].reset_index(drop=True)
    pd.testing.assert_frame_equal(keeper.events(), expected)
    assert set(case_exits(expected)["outcome"]) == {*ENDINGS, "in_process"}
    # in process at once (12, plus a chunk's arrivals) and the first 20 of each ending at most
    assert max(held) <= 4 * 20 + 12 + 60, held


def test_a_keeper_fed_nothing_gives_nothing():
    assert JourneyKeeper().events() is None


def steps_of(seed: int, changes: int):
    rng = np.random.default_rng(seed)
    times = np.sort(rng.uniform(0, 100, changes))
    if changes > 8:
        times[5:8] = times[5]  # several changes at one instant
    return times, rng.integers(0, 6, changes), rng.integers(0, 40, changes)


@pytest.mark.parametrize("spans", [1, 7, 500])
def test_spread_levels_keep_each_roles_mean_and_leave_small_roles_alone(spans):
    big_times, big_busy, big_queue = steps_of(1, 3000)
    small_times, small_busy, small_queue = steps_of(2, spans)
    columns = {
        "time_days": np.concatenate([big_times, small_times]),
        "resource": np.array([3] * 3000 + [5] * spans, dtype=np.int16),
        "busy": np.concatenate([big_busy, small_busy]),
        "queue": np.concatenate([big_queue, small_queue]),
    }
    order = np.argsort(columns["time_days"], kind="stable")
    columns = {name: values[order] for name, values in columns.items()}
    end = 120.0
    spread = spread_levels(columns, end, spans)
    assert np.all(np.diff(spread["time_days"]) >= 0)
    for role, rows in ((3, spans), (5, spans)):
        mine, theirs = spread["resource"] == role, columns["resource"] == role
        assert mine.sum() == rows
        for name in ("busy", "queue"):
            before = time_weighted(columns["time_days"][theirs], columns[name][theirs], end)
            after = time_weighted(spread["time_days"][mine], spread[name][mine], end)
            assert after == pytest.approx(before, rel=1e-12)
    small = spread["resource"] == 5
    np.testing.assert_array_equal(spread["busy"][small], columns["busy"][columns["resource"] == 5])


def test_levels_under_the_bound_come_back_as_they_were():
    times, busy, queue = steps_of(3, 50)
    columns = {"time_days": times, "resource": np.zeros(50, np.int16), "busy": busy,
               "queue": queue}  # fmt: skip
    assert spread_levels(columns, 100.0, 50) is columns


@pytest.fixture(scope="module")
def run_both(tmp_path_factory):
    scenario = sim.load_scenario({
        "name": "extracts", "horizon_days": 90, "company": {"size": "mid", "requisitions": 3},
        "applicants": {"per_requisition": 30},
    })  # fmt: skip
    memory = sim.simulate(scenario, 0)
    with TableFiles(tmp_path_factory.mktemp("files"), "csv") as files:
        kept = sim.simulate(scenario, 0, files=files, for_charts=True, chunk_rows=100)
    return memory, kept


def bars(figure) -> list[tuple]:
    ax = figure.axes[0]
    return sorted((round(p.get_x(), 9), round(p.get_y(), 9), round(p.get_width(), 9))
                  for p in ax.patches)  # fmt: skip


def test_the_journeys_chart_of_the_sample_is_the_chart_of_the_whole_log(run_both):
    memory, kept = run_both
    assert len(kept["events"]) < len(memory["events"]) / 3
    end = run_end(memory["team_levels"])
    whole = plot_journeys(memory["events"], end_day=end)
    sampled = plot_journeys(kept["events"], end_day=end)
    try:
        assert bars(sampled) == bars(whole) and bars(whole)
        labels = [[t.get_text() for t in f.axes[0].get_yticklabels()] for f in (whole, sampled)]
        assert labels[0] == labels[1]
    finally:
        plt.close(whole)
        plt.close(sampled)


def test_the_team_chart_says_when_its_faint_lines_are_span_means():
    times, busy, queue = steps_of(4, 400)
    columns = {"time_days": times, "resource": np.zeros(400, np.int16), "busy": busy,
               "queue": queue}  # fmt: skip
    for levels, said in ((columns, "exact level"),
                         (spread_levels(columns, 100.0, 50), "mean level over each 2 days")):
        frame = pd.DataFrame({**levels, "resource": "recruiter"})
        assert faint_label(frame) == said
