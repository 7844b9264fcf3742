"""Sweeps, parallel replications, what-if comparisons, the stage and team tables, the report."""

from __future__ import annotations

import base64
import html.parser
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from baselines.regenerate import shortened

import sim
from sim.analysis.compare import compare, paired_differences
from sim.scenario.resolve import cells
from sim.scenario.sweeps import sweep_grid

ROOT = Path(__file__).resolve().parents[1]
SWEEP = {
    "name": "grid",
    "seed": 7,
    "replications": 3,
    "company": {"size": "mid", "requisitions": 2, "requisitions_per_month": 1},
    "sweep": {"company.size": ["startup", "enterprise"], "team.recruiter": [1, 3]},
}


@pytest.fixture(scope="module")
def serial():
    return sim.run(sim.load_scenario(SWEEP), workers=1)


def test_grid_is_the_full_product_in_file_order():
    grid = sweep_grid({"a.b": [1, 2], "c": ["x", "y", "z"]})
    assert grid == [{"a.b": 1, "c": "x"}, {"a.b": 1, "c": "y"}, {"a.b": 1, "c": "z"},
                    {"a.b": 2, "c": "x"}, {"a.b": 2, "c": "y"}, {"a.b": 2, "c": "z"}]  # fmt: skip
    assert sweep_grid(None) == []


def test_each_cell_takes_its_own_preset():
    by_size = {values["company.size"]: s for values, s in cells(sim.load_scenario(SWEEP))}
    assert by_size["enterprise"].team["committee"].count == 1  # only the enterprise preset has one
    assert "committee" not in by_size["startup"].team
    assert {s.team["recruiter"].count for _, s in cells(sim.load_scenario(SWEEP))} == {1, 3}


def test_swept_values_are_columns_of_every_table(serial):
    for name in ("applicants", "events", "summary", "stages", "team", "team_levels"):
        table = getattr(serial, name)
        assert {"company.size", "team.recruiter"} <= set(table.columns), name
    assert len(serial.summary) == 4
    assert serial.summary[["company.size", "team.recruiter"]].values.tolist() == [
        ["startup", 1], ["startup", 3], ["enterprise", 1], ["enterprise", 3]]  # fmt: skip


def test_parallel_equals_serial(serial):
    parallel = sim.run(sim.load_scenario(SWEEP), workers=2)
    for name in ("applicants", "events", "team_levels", "summary", "stages", "team"):
        pdt.assert_frame_equal(getattr(serial, name), getattr(parallel, name))


def test_a_cell_run_alone_equals_its_part_of_the_sweep(serial):
    values, cell = cells(sim.load_scenario(SWEEP))[3]
    alone = sim.run(cell, workers=1)
    part = serial.applicants[serial.applicants["cell"] == 3].reset_index(drop=True)
    columns = ["replication", "requisition", "applicant", "arrived_day", "outcome", "offer_day",
               "hired_day", "quality", "patience_days"]  # fmt: skip
    pdt.assert_frame_equal(part[columns], alone.applicants[columns])


def test_stage_table_counts_agree_with_the_tables(serial):
    stages, applicants = serial.stages, serial.applicants
    first = stages[stages["stage"] == "initial_review"].set_index("cell")["entered"]
    assert (first == applicants.groupby("cell").size()).all()  # everyone is reviewed first
    losses = ["rejected", "withdrew", "declined", "in_process"]
    assert (stages["passed"] + stages[losses].sum(axis=1) == stages["entered"]).all()
    assert (stages[["passed", *losses]] >= 0).all().all()
    hired = applicants[applicants["outcome"] == "hired"].groupby("cell").size()
    onboarding = stages[stages["stage"] == "onboarding"].set_index("cell")["passed"]
    assert (onboarding == hired.reindex(onboarding.index, fill_value=0)).all()
    assert (stages["mean_wait_days"].dropna() >= 0).all()


def test_team_table_is_the_time_weighted_level(serial):
    levels = serial.team_levels
    one = levels[(levels["cell"] == 0) & (levels["replication"] == 0)
                 & (levels["resource"] == "hiring_manager")]  # fmt: skip
    one = one.drop_duplicates("time_days", keep="last")
    times, busy = one["time_days"].to_numpy(), one["busy"].to_numpy()
    by_hand = np.sum(busy[:-1] * np.diff(times)) / times[-1]
    per_rep = []
    for _, rep in levels[(levels["cell"] == 0) & (levels["resource"] == "hiring_manager")].groupby(
        "replication"
    ):
        rep = rep.drop_duplicates("time_days", keep="last")
        t, b = rep["time_days"].to_numpy(), rep["busy"].to_numpy()
        per_rep.append(np.sum(b[:-1] * np.diff(t)) / t[-1] / rep["capacity"].iloc[0])
    row = serial.team[(serial.team["cell"] == 0) & (serial.team["resource"] == "hiring_manager")]
    assert per_rep[0] == pytest.approx(by_hand / one["capacity"].iloc[0])
    assert row["utilisation"].iloc[0] == pytest.approx(np.mean(per_rep))
    assert 0 < row["utilisation"].iloc[0] < 1


def test_common_random_numbers_hold_across_variants():
    base = sim.load_scenario(
        {
            "name": "base",
            "replications": 4,
            "company": {"requisitions": 2, "requisitions_per_month": 0},
        }  # fmt: skip
    )
    more = sim.override(base, {"team.recruiter": 4, "stages.decision.pass_prob": 0.9})
    a, b = sim.run(base), sim.run(more)
    keys = ["replication", "requisition", "applicant"]
    both = a.applicants.merge(b.applicants, on=keys, suffixes=("_a", "_b"))
    assert len(both) > 50
    for column in ("quality", "patience_days"):  # drawn in order, one stream per requisition
        np.testing.assert_array_equal(both[f"{column}_a"], both[f"{column}_b"])
    # a reopened search starts when the first one runs out, which the variant may change;
    # the first search's interviews are the same days
    first_search = both[(both["search_a"] == 0) & (both["search_b"] == 0)]
    assert len(first_search) > 50
    np.testing.assert_array_equal(first_search["arrived_day_a"], first_search["arrived_day_b"])


def test_paired_differences_of_identical_runs_are_zero():
    scenario = sim.load_scenario({"name": "same", "replications": 5, "horizon_days": 90})
    result = sim.run(scenario)
    table = paired_differences(result, result)
    assert (table["difference"] == 0).all()
    pairs = table.set_index("metric")["pairs"]
    assert pairs["hires"] == pairs["withdrew"] == 5  # counts exist in every replication
    offered = result.applicants.groupby("replication")["offer_day"].count()
    assert pairs["median_time_to_offer_days"] == (offered > 0).sum()  # a median needs an offer


def test_compare_finds_a_real_effect_and_its_interval_excludes_zero():
    base = sim.load_scenario(ROOT / "scenarios" / "committee_weekly.yaml")
    variant = sim.load_scenario(ROOT / "scenarios" / "committee_twice_weekly.yaml")
    comparison = compare(base, [variant], replications=10, workers=2)
    row = comparison.table.set_index("metric").loc["median_time_to_offer_days"]
    assert row["ci_high"] < 0  # meeting twice as often makes offers faster
    assert comparison.headline()[0].startswith("committee-twice-weekly: median time to offer -")


class _Checker(html.parser.HTMLParser):
    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.images, self.errors = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs)["src"])
        elif tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def run_cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)  # fmt: skip


def test_sweep_run_writes_tables_charts_and_a_self_contained_report(tmp_path):
    scenario = tmp_path / "grid.yaml"
    scenario.write_text(
        "name: grid\nseed: 3\nreplications: 2\napplicants: {per_requisition: 8}\n"
        "company: {requisitions: 1, requisitions_per_month: 0}\n"
        "sweep: {company.size: [startup, large], applicants.per_requisition: [6, 12]}\n"
    )
    done = run_cli("run", str(scenario), "--out", "out", "--workers", "2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out"
    for name in ("applicants", "events", "summary", "stages", "team", "team_levels"):
        assert (out / f"{name}.csv").stat().st_size > 0, name
    assert not (out / ".cells").exists()
    assert sorted(p.name for p in (out / "cells").iterdir()) == [
        f"cell-{i:05d}.yaml" for i in range(4)]  # fmt: skip
    charts = sorted((out / "charts").glob("*.png"))
    assert {p.stem for p in charts} >= {
        "time_to_offer_by_cell",
        "median_heatmap",
        "funnel",
        "team_over_time",
        "journeys",
    }
    checker = _Checker()
    checker.feed((out / "report.html").read_text())
    assert not checker.errors and not checker.stack
    assert len(checker.images) == len(charts)
    embedded = {base64.b64decode(src.split(",", 1)[1]) for src in checker.images}
    assert embedded == {p.read_bytes() for p in charts}  # every chart, inline, no file links
    applicants = pd.read_csv(out / "applicants.csv")
    first_search = applicants[applicants["search"] == 0]  # 2 replications x per_requisition
    assert first_search.groupby("cell").size().to_dict() == {0: 12, 1: 24, 2: 12, 3: 24}
    assert "grid" in done.stdout and "results:" in done.stdout


def test_compare_cli_on_a_shipped_pair(tmp_path):
    done = run_cli("compare", str(ROOT / "scenarios" / "references_as_usual.yaml"),
                   str(ROOT / "scenarios" / "references_fast.yaml"), "--replications", "4",
                   "--out", "cmp", "--workers", "1", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(tmp_path / "cmp" / "comparison.csv")
    assert set(table["variant"]) == {"references-fast"}
    # every replication pairs up, except where a time to fill is undefined (under half filled)
    fill = table["metric"].str.contains("fill")
    assert (table.loc[~fill, "pairs"] == 4).all() and (table.loc[fill, "pairs"] <= 4).all()
    assert (tmp_path / "cmp" / "charts" / "comparison.png").stat().st_size > 10_000
    assert "references-fast, against references-as-usual:" in done.stdout
    assert "  median time to offer: " in done.stdout and " -> " in done.stdout
    assert (tmp_path / "cmp" / "report.html").stat().st_size > 10_000


def test_compare_refuses_a_sweep(tmp_path):
    done = run_cli("compare", str(ROOT / "scenarios" / "size_by_volume.yaml"),
                   str(ROOT / "scenarios" / "mid_baseline.yaml"), cwd=tmp_path)  # fmt: skip
    assert done.returncode == 2
    assert "without a sweep" in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_chart_draws_for_every_shipped_scenario(path):
    import io

    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from sim.charts.chartbook import standard_charts

    results = sim.run(shortened(sim.load_scenario(path), days=45), replications=2)
    first = results.events[(results.events["cell"] == 0) & (results.events["replication"] == 0)]
    levels = results.team_levels
    levels = levels[(levels["cell"] == 0) & (levels["replication"] == 0)]
    charts = standard_charts(results.summary, results.stages, results.applicants, first, levels,
                             results.swept, results.replications)  # fmt: skip
    assert len(charts) >= 4
    for caption, figure in charts.values():
        assert isinstance(figure, Figure) and caption
        texts = [t.get_text() for t in figure.findobj(Text)]
        assert any(len(t) > 20 for t in texts)  # a title, not only tick labels
        png = io.BytesIO()
        figure.savefig(png, format="png", dpi=50)
        assert png.getvalue().startswith(b"\x89PNG")


def test_progress_bar_only_on_a_terminal(monkeypatch, capsys):
    from sim.cli import Progress

    assert Progress(quiet=False).__enter__() is None  # pytest's stderr is not a terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert Progress(quiet=True).__enter__() is None
    with Progress() as progress:
        progress(3, 12)
    err = capsys.readouterr().err
    assert "3/12 replications" in err and "s left" in err and "[" + "#" * 8 in err


def test_an_interrupted_run_leaves_nothing(tmp_path, monkeypatch, capsys):
    import sim.execution.runner
    from sim.cli import main

    calls = []
    real = sim.execution.runner.simulate

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:  # a cell is already written when Ctrl-C comes
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(sim.execution.runner, "simulate", interrupted)
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: s\nreplications: 2\nsweep: {team.recruiter: [1, 2]}\n")
    out = tmp_path / "results" / "s"
    out.mkdir(parents=True)
    (out / "summary.csv").write_text("the previous run's\n")
    (out / ".hiresim-result.json").write_text('{"hiresim": "0.1.0", "files": ["summary.csv"]}')
    code = main(["run", str(scenario), "--out", str(out), "--workers", "1", "--quiet"])
    assert code == 130 and "interrupted" in capsys.readouterr().err
    # no partial folder left behind: only the finished cell, kept for --resume
    assert sorted((tmp_path / "results").iterdir()) == [out, out.with_name("s.resume")]
    # the previous result is untouched
    assert sorted(out.iterdir()) == [out / ".hiresim-result.json", out / "summary.csv"]
    assert (out / "summary.csv").read_text() == "the previous run's\n"
