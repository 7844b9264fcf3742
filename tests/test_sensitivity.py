"""`hiresim sensitivity` and `sim.sensitivity`: each parameter scaled one at a time, on the base's
random numbers. A parameter with no effect changes nothing (an interval around 0), doubling a
wait every offered candidate sits through moves the median time to offer by that wait, the
table has SPEC's columns, the command writes its files or refuses bad input with one line."""

from __future__ import annotations

import html.parser

import numpy as np
import pandas as pd
import pytest
from plain import plain

import sim
from sim.analysis import sensitivity as sens
from sim.analysis.metrics import PER_REPLICATION, SUMMARY, Metric
from sim.analysis.parameters import LEAD, Parameter, catalogue, default_paths
from sim.charts.tornado import plot_tornado
from sim.cli import main
from sim.distributions import Gamma, Lognormal
from sim.execution.output import is_hiresim_result

SPEC = ["parameter", "value", "metric", "base", "variant", "difference", "ci_low", "ci_high"]
# a small plain scenario: no one withdraws, staff to spare (nobody queues), a fixed wait for
# references that every candidate offered has passed
DOCUMENT = plain({
    "name": "tiny", "seed": 11, "replications": 5, "horizon_days": 150,
    "company": {"requisitions": 2},
    "team": {"hiring_manager": 4, "recruiter": 4, "coordinator": 2},  # no stage uses coordinator
    "applicants": {"per_requisition": 8},
    "candidate": {"patience": None},
    "stages": {"reference_checks": {"resource": "recruiter", "wait": 4, "duration": 0.1,
                                    "pass_prob": 1.0},
               "decision": {"enabled": False, "wait": 5}},
})  # fmt: skip
YAML = """name: tiny
seed: 11
replications: 3
horizon_days: 120
calendar: null
company: {requisitions: 1, requisitions_per_month: 0}
team: {hiring_manager: 2, recruiter: 2}
applicants: {per_requisition: 6}
"""


@pytest.fixture(scope="module")
def tiny():
    return sim.load_scenario(DOCUMENT)


@pytest.fixture(scope="module")
def doubled(tiny):
    """The reference wait doubled and halved (vary 1: x0 and x2), and two that do nothing."""
    params = ["stages.reference_checks.wait", "team.coordinator", "stages.decision.wait"]
    return sim.sensitivity(tiny, vary=1.0, params=params, workers=1)


def _row(table, parameter, factor, metric="time_to_offer_days_median"):
    rows = table[(table["parameter"] == parameter) & (table["factor"] == factor)
                 & (table["metric"] == metric)]  # fmt: skip
    assert len(rows) == 1, (parameter, factor, metric)
    return rows.iloc[0]


def test_a_parameter_with_no_effect_gets_an_interval_around_zero(doubled):
    for parameter in ("team.coordinator", "stages.decision.wait"):  # unused role, disabled stage
        rows = doubled[doubled["parameter"] == parameter]
        assert set(rows["factor"]) == {0.0, 2.0}
        assert (rows["ci_low"] <= 0).all() and (rows["ci_high"] >= 0).all(), parameter
        assert (rows["difference"] == 0).all()  # the same random numbers: the same runs
        assert (rows["pairs"][rows["metric"] != "time_to_fill_days_median"] == 5).all()


def test_doubling_a_wait_moves_the_median_time_to_offer_by_the_wait(doubled):
    row = _row(doubled, "stages.reference_checks.wait", 2.0)
    assert row["value"] == "{dist: fixed, value: 8.0}"
    assert row["difference"] == pytest.approx(4.0, abs=0.25)  # the 4 days added
    assert row["ci_low"] - 1e-9 <= 4.0 <= row["ci_high"] + 1e-9
    assert row["variant"] - row["base"] == pytest.approx(row["difference"])
    hire = _row(doubled, "stages.reference_checks.wait", 2.0, "time_to_hire_days_median")
    assert hire["difference"] == pytest.approx(4.0, abs=0.25)


def test_raising_a_wait_by_half_adds_half_of_it(tiny):
    table = sim.sensitivity(tiny, params=["stages.reference_checks.wait"], replications=4)
    assert _row(table, "stages.reference_checks.wait", 1.5)["difference"] == pytest.approx(
        2.0, abs=0.25
    )
    assert _row(table, "stages.reference_checks.wait", 0.5)["difference"] < 0


def test_the_table_has_specs_columns_and_metrics_named_as_in_the_summary(doubled):
    assert list(doubled.columns[: len(SPEC)]) == SPEC
    metrics = list(dict.fromkeys(doubled["metric"]))
    assert metrics[0] == "time_to_offer_days_median" and "withdrew" in metrics
    assert "time_to_fill_days_median" in metrics
    assert set(metrics) <= set(SUMMARY)  # the summary's names
    assert len(doubled) == 3 * 2 * len(metrics)  # parameters x values tried x metrics
    assert set(doubled["direction"]) == {"lower", "higher"}


def test_a_metric_registered_later_is_picked_up_by_its_name(monkeypatch):
    cost = Metric("cost_per_hire", "cost per hire", "days", "made up for the test",
                  lambda a: float(len(a)))  # fmt: skip
    monkeypatch.setitem(PER_REPLICATION, "cost_per_hire", cost)
    assert sens.metrics()["cost_per_hire"] == "cost_per_hire"
    monkeypatch.delitem(PER_REPLICATION, "cost_per_hire")
    assert "cost_per_hire" not in sens.metrics()


def test_reproducible_for_a_seed(tiny):
    params = ["stages.reference_checks.wait", "team.hiring_manager"]
    first = sim.sensitivity(tiny, params=params, replications=3, seed=4)
    again = sim.sensitivity(tiny, params=params, replications=3, seed=4, workers=2)
    pd.testing.assert_frame_equal(first, again)
    other = sim.sensitivity(tiny, params=params, replications=3, seed=5)
    assert not np.allclose(first["base"], other["base"], equal_nan=True)


def test_a_distribution_scales_as_a_whole_keeping_its_shape():
    scenario = sim.load_scenario(plain({
        "name": "shapes", "candidate": {"patience": {"dist": "gamma", "mean": 20, "cv": 0.5}},
        "stages": {"reference_checks": {"wait": {"dist": "lognormal", "median": 3, "p90": 7}},
                   "negotiation": {"rounds": {"dist": "empirical", "values": [0, 1, 3]}}},
    }))  # fmt: skip
    found, _ = catalogue(scenario)
    wait, _ = found["stages.reference_checks.wait"].scaled(1.5)
    assert wait["median"] == 4.5 and wait["p90"] == 10.5
    base = Lognormal(dist="lognormal", median=3, p90=7)
    assert Lognormal(**wait).mu_sigma[1] == pytest.approx(base.mu_sigma[1])  # sigma kept
    patience, _ = found["candidate.patience"].scaled(0.5)
    assert Gamma(**patience).mean == 10 and Gamma(**patience).cv == 0.5
    assert found["stages.negotiation.rounds"].scaled(2)[0]["values"] == [0, 2, 6]


def test_counts_round_and_probabilities_stay_within_bounds(tiny):
    found, fixed = catalogue(tiny)
    assert found["team.recruiter"].scaled(1.5) == (6, None)  # 4 x 1.5
    assert found["team.coordinator"].scaled(0.5) == (1, None)
    one = Parameter("team.x", "whole", 1, "team.x.count", minimum=1)
    assert one.scaled(0.5)[0] is None and "unchanged" in one.scaled(0.5)[1]  # 0.5 -> 1 again
    assert one.scaled(1.5)[0] == 2
    review = found["stages.initial_review.pass_prob"]
    assert review.scaled(10)[0] == 1.0 and review.scaled(0.5)[0] == review.value / 2
    assert "stages.decision.enabled" in fixed and "seed" in fixed


def test_the_default_parameters_are_the_levers():
    mid = sim.load_scenario("scenarios/mid_baseline.yaml")
    paths = default_paths(mid)
    assert {"stages.reference_checks.wait", "stages.decision.duration", "team.recruiter",
            "team.recruiter.hours_per_week", "applicants.per_requisition",
            "candidate.patience", "stages.final_decision.accept_prob"} <= set(paths)  # fmt: skip
    assert "seed" not in paths and "stages.shortlisting.pass_prob" not in paths  # 1: no screen
    found, _ = catalogue(mid)
    for path in paths:  # each can move at least one way
        assert any(found[path].scaled(f)[0] is not None for f in (0.5, 1.5)), path
    # the recruiter's 32 hours a week raised by half stop at the calendar's 40
    assert found["team.recruiter.hours_per_week"].scaled(1.5)[0] == 40


@pytest.mark.parametrize(("vary", "params", "words"), [
    (0, None, "vary: must be a fraction above 0"),
    (1.5, None, "vary: must be a fraction above 0"),
    (0.5, ["stages.refrence_checks.wait"], "did you mean 'stages.reference_checks.wait'"),
    (0.5, ["stages.decision.enabled"], "true or false"),
    (0.5, ["seed"], "setting of the run"),
])  # fmt: skip
def test_bad_input_is_refused_before_anything_runs(tiny, vary, params, words):
    with pytest.raises(sens.SensitivityError) as err:
        sens.plan(tiny, vary, params)
    assert len(err.value.lines) == 1 and words in err.value.lines[0]


def test_the_tornado_puts_the_most_influential_first():
    rows = []
    for parameter, change in (("stages.decision.wait", 0.5), ("team.recruiter", -3.0),
                              ("stages.reference_checks.wait", 2.0)):  # fmt: skip
        for factor, sign in ((0.5, -1), (1.5, 1)):
            rows.append({"parameter": parameter, "value": "x", "metric": LEAD,
                         "base": 10, "variant": 10 + sign * change, "difference": sign * change,
                         "ci_low": sign * change - 0.5, "ci_high": sign * change + 0.5,
                         "direction": "lower" if factor < 1 else "higher", "factor": factor,
                         "label": "median time to offer", "unit": "days"})  # fmt: skip
    figure = plot_tornado(pd.DataFrame(rows))
    ax = figure.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["recruiters (head count)", "reference checks: wait", "decision: wait"]
    assert figure._suptitle.get_text() == "What moves the median time to offer"
    assert "days" in ax.get_xlabel()


class _Page(html.parser.HTMLParser):
    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.sources = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.append(dict(attrs)["src"])
        elif tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.yaml").write_text(YAML)
    return tmp_path


def test_the_command_writes_its_files(here, capsys):
    code = main(["sensitivity", "t.yaml", "--params", "stages.reference_checks.wait",
                 "team.recruiter", "--out", "out", "--workers", "1", "--quiet"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    out = here / "out"
    assert is_hiresim_result(out)
    for name in ("sensitivity.csv", "report.html", "scenario.resolved.yaml", "charts/tornado.png"):
        assert (out / name).stat().st_size > 0, name
    table = pd.read_csv(out / "sensitivity.csv")
    assert list(table.columns[: len(SPEC)]) == SPEC
    assert set(table["parameter"]) == {"stages.reference_checks.wait", "team.recruiter"}
    page = _Page()
    page.feed((out / "report.html").read_text())
    assert not page.errors and not page.stack
    assert len(page.sources) == 1 and page.sources[0].startswith("data:image/png;base64,")
    assert "http://" not in (out / "report.html").read_text().replace("http://www.w3", "")
    said = capsys.readouterr().out
    assert "what moves the median time to offer most" in said and "results: out/" in said


@pytest.mark.parametrize(("args", "words"), [
    (["--vary", "2"], "--vary: must be a fraction above 0 and at most 1"),
    (["--vary", "lots"], "--vary: must be a number"),
    (["--params", "team.recuiter"], "--params team.recuiter: no such parameter"),
    (["--params", "stages.decision"], "--params stages.decision: is a section"),
    (["--max-replications", "10"], "--max-replications"),
])  # fmt: skip
def test_the_command_refuses_bad_input_with_one_line(here, capsys, args, words):
    assert main(["sensitivity", "t.yaml", "--out", "out", "--quiet", *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0], err
    assert sorted(p.name for p in here.iterdir()) == ["t.yaml"]  # nothing written


def test_the_command_refuses_a_sweep(here, capsys):
    (here / "s.yaml").write_text(YAML + "sweep: {team.recruiter: [1, 2]}\n")
    assert main(["sensitivity", "s.yaml", "--quiet"]) == 2
    assert "without a sweep" in capsys.readouterr().err
    assert not (here / "results").exists()


def test_the_run_count_is_bounded(tiny):
    with pytest.raises(sens.SensitivityError, match="max_runs"):
        sens.plan(tiny, 0.5, None, max_runs=3)


def test_every_column_is_in_the_data_dictionary(doubled):
    from sim.analysis.dictionary import TABLES, describe

    for column in doubled.columns:
        unit, text = describe("sensitivity", column)
        assert unit.strip() and text.strip(), column
    assert set(TABLES["sensitivity"]) == set(doubled.columns)  # nothing described it lacks


def test_the_base_is_measured_as_compare_measures_a_run(tiny):
    """The workers reduce each replication to its metrics; those are `compare`'s metrics of
    the same replications run whole."""
    from sim.analysis.compare import per_replication
    from sim.execution.backends import Task

    rows = sens.replication_metrics(Task(0, 0, tiny, count=3))
    mine = pd.DataFrame(rows).set_index("replication")
    whole = per_replication(sim.run(tiny, replications=3))
    pd.testing.assert_frame_equal(mine[whole.columns], whole, check_names=False)
