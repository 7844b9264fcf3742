"""`hiresim fit --report` and the held-out check: time to offer measured from an event log as
hiresim measures it, a known scenario's held-out part not told apart from its fit (a seeded
check) while a slower process is, the report folder with a chart per stage, and clear refusals
(too few requisitions, a foreign folder, a bad fraction)."""

from __future__ import annotations

import numpy as np
import pytest
from plain import plain
from test_fit import COLUMNS, EXPORT, STAGE_MAP

import sim
from sim.cli import main
from sim.fit.export import FitError, from_events, read_export
from sim.fit.holdout import compare, holdout, split
from sim.fit.measure import fills, offers

TEAM = {"hiring_manager": 50, "recruiter": 50}  # no queueing: the export's waits are the waits


def known(scale: float = 1.0) -> sim.Scenario:
    """A scenario every part of which the fit can see (no shortlist pool, no negotiation
    rounds, a team that never queues); `scale` stretches its waits."""
    stages = {
        "initial_review": {"wait": {"dist": "lognormal", "median": 2 * scale, "p90": 5 * scale}},
        "shortlisting": {"keep": None},
        "reference_checks": {"wait": {"dist": "gamma", "mean": 3 * scale, "cv": 0.5}},
        "decision": {"wait": {"dist": "exponential", "mean": 2 * scale}},
        "negotiation": {"enabled": False},
    }
    return sim.load_scenario(plain({
        "name": "known", "seed": 11, "horizon_days": 120, "calendar": None,
        "company": {"size": "small", "requisitions": 1, "requisitions_per_month": 12},
        "team": TEAM, "applicants": {"per_requisition": 7}, "stages": stages,
    }))  # fmt: skip


@pytest.fixture(scope="module")
def known_log():
    return from_events(sim.run(known(), replications=1, workers=1).events)


def test_time_to_offer_from_the_log_is_hiresims(tmp_path):
    """The export's time to offer (first event to the first negotiation or final-decision
    event) is the applicants table's `time_to_offer_days`, candidate by candidate, read from
    events.csv as a user would; and as many requisitions are filled."""
    scenario = sim.load_scenario({"name": "own", "seed": 3, "horizon_days": 200,
                                  "company": {"size": "small"}})  # fmt: skip
    results = sim.run(scenario, replications=2, workers=1)
    path = tmp_path / "events.csv"
    results.events.to_csv(path, index=False)
    measured = offers(read_export(path)).set_index("case")["time_to_offer_days"]
    truth = results.applicants.set_index("case_id")["time_to_offer_days"]
    assert set(measured.index) == set(truth.index) and truth.notna().sum() > 40
    measured = measured.reindex(truth.index)
    assert (measured.isna() == truth.isna()).all()
    assert np.allclose(measured.dropna(), truth.dropna(), atol=1e-6)  # to the millisecond
    filled = fills(read_export(path)).time_to_fill_days.notna().sum()
    assert filled == results.requisitions.time_to_fill_days.notna().sum()


def test_held_out_part_of_a_known_scenario_is_not_rejected_a_slower_one_is(known_log):
    """Seeded check (seed 0): the held-out requisitions agree with the fit of the rest (KS
    p-value above 0.01 for time to offer and to fill); the same comparison against a log whose
    waits are 3x longer rejects (p below 0.01)."""
    result = holdout(known_log, "requisition", 0.3, seed=0, company_size="small", team=TEAM)
    table = result.table.set_index("metric")
    assert (table.observed_n >= 8).all() and (table.simulated_n >= 100).all()
    assert (table.p_value > 0.01).all(), table.to_string()
    for side in ("observed", "simulated"):
        assert (table[f"{side}_ci_low"] <= table[f"{side}_median"]).all()
        assert (table[f"{side}_median"] <= table[f"{side}_ci_high"]).all()
    slower = from_events(sim.run(known(3.0), replications=1, workers=1).events)
    _, held_slow = split(slower, "requisition", 0.3, seed=0)
    wrong = compare(held_slow, result.simulated.log).set_index("metric")
    assert wrong.loc["time_to_offer_days", "p_value"] < 0.01, wrong.to_string()
    assert wrong.loc["time_to_offer_days", "observed_median"] > table.loc[
        "time_to_offer_days", "simulated_median"]  # fmt: skip


def test_split_by_time_holds_out_the_latest_requisitions(known_log):
    rest, held = split(known_log, "time", 0.25)
    first = lambda log: log.groupby("requisition").time.min()  # noqa: E731
    assert first(held).min() >= first(rest).max()
    assert len(first(held)) == round(0.25 * known_log.requisition.nunique())


def test_report_folder_has_the_page_and_a_chart_per_stage(tmp_path, capsys, known_log):
    path = tmp_path / "events.csv"
    short = sim.override(known(), {"horizon_days": 60})  # a smaller export: a faster fit
    sim.run(short, replications=1, workers=1, seed=5).events.to_csv(path, index=False)
    report = tmp_path / "report"
    argv = ["fit", str(path), "--out", str(tmp_path / "k.yaml"), "--company-size", "small",
            "--report", str(report), "--holdout", "time"]  # fmt: skip
    assert main(argv) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "validation (" in out and "simulated days (KS p=" in out and "holdout by time" in out
    page = (report / "fit_report.html").read_text()
    stages = [p.stem.removeprefix("stage_") for p in (report / "charts").glob("stage_*.png")]
    assert {"initial_review", "reference_checks", "decision", "final_decision"} <= set(stages)
    assert (report / "charts" / "time_to_offer.png").stat().st_size > 10_000
    assert (report / "charts" / "holdout.png").exists() and (report / "validation.csv").exists()
    assert page.count("data:image/png;base64,") == len(stages) + 2
    for words in ("What was fitted", "hiring managers: 6", "Kolmogorov-Smirnov",
                  "Does the fit predict", "held out"):  # fmt: skip
        assert words in page


def _messy(tmp_path):
    (tmp_path / "export.csv").write_text(EXPORT)
    (tmp_path / "map.yaml").write_text(STAGE_MAP)
    return ["fit", str(tmp_path / "export.csv"), "--out", str(tmp_path / "ours.yaml"), *COLUMNS,
            "--stages", str(tmp_path / "map.yaml")]  # fmt: skip


def test_too_few_requisitions_skip_the_holdout_with_the_reason(tmp_path, capsys):
    argv = _messy(tmp_path)  # 2 requisitions, business days
    assert main([*argv, "--holdout", "requisition"]) == 0
    assert "holdout skipped: --holdout requisition: the export has 2 requisition(s)" in (
        capsys.readouterr().out)  # fmt: skip
    assert main([*argv, "--report", str(tmp_path / "rep")]) == 0
    assert main([*argv, "--report", str(tmp_path / "rep")]) == 0  # its own folder: replaced
    page = (tmp_path / "rep" / "fit_report.html").read_text()
    assert "Skipped: --holdout requisition: the export has 2 requisition(s)" in page
    assert "business days (Mon-Fri)" in page
    with pytest.raises(FitError, match="at least 4"):
        split(read_export(tmp_path / "export.csv", _columns(), _mapping()), "time")


def _columns():
    from sim.fit.export import Columns

    return Columns("candidate_id", "step", "date", outcome="status", requisition="req")


def _mapping():
    return dict(line.split(": ") for line in STAGE_MAP.splitlines())


def test_report_never_replaces_a_foreign_folder(tmp_path, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    argv = _messy(tmp_path)
    assert main([*argv, "--report", str(mine)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"--report {mine}: the folder exists and is not an earlier hiresim")
    assert (mine / "notes.txt").read_text() == "keep me" and len(list(mine.iterdir())) == 1
    assert not (tmp_path / "ours.yaml").exists()  # refused before any work
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert main([*argv, "--holdout-fraction", "1.5"]) == 2
    assert "--holdout-fraction: 1.5 must be between 0 and 1" in capsys.readouterr().err


def test_kaplan_meier_counts_the_censored_at_risk_until_they_leave():
    from sim.charts.fit import empirical_cdf

    x, y = empirical_cdf([1.0, 2.0, 3.0], [2.5])  # the censored one leaves between 2 and 3
    assert list(x) == [0, 1, 2, 3] and np.allclose(y, [0, 0.25, 0.5, 1.0])
    x, y = empirical_cdf([2.0, 1.0])  # none censored: the ECDF
    assert list(x) == [0, 1, 2] and np.allclose(y, [0, 0.5, 1.0])
