"""Scenarios that validate must run to the end, in bounded time and memory; the rest get a line.

Regression tests for issue 7's scenario-side failures: booleans read as numbers, distributions
that overflow a float, parameters that multiply work without bound (a committee meeting every
1e-300 days, 10^12 negotiation rounds), sweeps over seed/replications or overlapping paths,
sweeps validated against the wrong preset, swept distributions, and the warnings for legal but
suspicious scenarios.
"""

from __future__ import annotations

import contextlib
import signal
import time
from pathlib import Path

import pytest

import sim
from sim.scenario import checks, limits
from sim.scenario.errors import ScenarioError
from sim.scenario.resolve import cells

SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))


def problems(document: dict) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        sim.load_scenario(document)
    return caught.value.problems


@contextlib.contextmanager
def within(seconds: int):
    """Fail, rather than hang the suite, when the block takes longer than `seconds`."""

    def expire(*_):
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    ("document", "path"),
    [
        ({"replications": True}, "replications"),
        ({"seed": False}, "seed"),
        ({"stages": {"decision": {"pass_prob": True}}}, "stages.decision.pass_prob"),
        ({"team": {"recruiter": True}}, "team.recruiter"),
        ({"horizon_days": True}, "horizon_days"),
        ({"stages": {"decision": {"duration": {"dist": "exponential", "mean": True}}}},
         "stages.decision.duration.mean"),
        ({"stages": {"decision": {"duration": {"dist": "empirical", "values": [1, True]}}}},
         "stages.decision.duration.values.1"),
    ],
)  # fmt: skip
def test_a_boolean_is_not_a_number(document, path):
    assert problems({"name": "t", **document}) == [f"{path}: must be a number, not " +
                                                   ("true" if "True" in repr(document)
                                                    else "false")]  # fmt: skip


@pytest.mark.parametrize(
    ("distribution", "fragment"),
    [
        ({"dist": "lognormal", "median": 1, "p90": 1e300}, "too large"),
        ({"dist": "lognormal", "mean": 1e300, "sd": 1e300}, "too large"),
        ({"dist": "gamma", "mean": 1, "cv": 1e200}, "too large"),
        ({"dist": "gamma", "mean": 1e300, "cv": 1e10}, "too large"),
        ({"dist": "uniform", "min": 0, "max": 1.7e308}, "too large"),
        ({"dist": "triangular", "min": 0, "mode": 1e308, "max": 1.7e308}, "too large"),
        ({"dist": "empirical", "values": [1.7e308, 1.7e308]}, "too large"),
    ],
)
def test_a_distribution_that_overflows_is_refused_by_name(distribution, fragment):
    lines = problems({"name": "t", "candidate": {"patience": distribution}})
    assert len(lines) == 1 and lines[0].startswith("candidate.patience: ") and fragment in lines[0]


@pytest.mark.parametrize(
    ("document", "path"),
    [
        ({"stages": {"decision": {"resource": "hiring_manager", "meets_every_days": 1e-300}}},
         "stages.decision.meets_every_days"),
        ({"stages": {"negotiation": {"rounds": 1e12}}}, "stages.negotiation.rounds"),
        ({"stages": {"negotiation": {"rounds": {"dist": "exponential", "mean": 1e9}}}},
         "stages.negotiation.rounds"),
        ({"horizon_days": 1e300}, "horizon_days"),
    ],
)  # fmt: skip
def test_parameters_that_multiply_work_are_capped(document, path):
    lines = problems({"name": "t", **document})
    assert len(lines) == 1 and lines[0].startswith(f"{path}: must ")


def test_a_committee_meeting_every_minute_costs_nothing_while_idle():
    # it looped forever at 1e-300 days; at one minute over 10^6 days it would meet 1.4e9 times
    scenario = sim.load_scenario({
        "name": "t", "company": {"size": "large", "requisitions_per_month": 0}, "horizon_days": 1e6,
        "calendar": None,
        "candidate": {"patience": None}, "applicants": {"per_requisition": 4},
        "stages": {"decision": {"meets_every_days": 1 / 1440}},
    })  # fmt: skip
    with within(20):
        results = sim.run(scenario, replications=1)
    decided = results.events[(results.events["concept:name"] == "decision")
                             & (results.events["lifecycle:transition"] == "complete")]  # fmt: skip
    assert len(decided) > 0
    # every meeting falls on the one-minute grid
    minutes = decided["time_days"] * 1440
    assert (minutes - minutes.round()).abs().max() < 1e-6


def test_negotiation_rounds_are_cut_at_the_cap():
    # exponential rounds averaging 90: a third of the draws are above the cap of 100
    scenario = sim.load_scenario({
        "name": "t", "applicants": {"per_requisition": 10}, "candidate": {"patience": None},
        "company": {"openings": 4, "requisitions": 1, "requisitions_per_month": 0},
        "calendar": None,
        "stages": {"initial_review": {"pass_prob": 1}, "reference_checks": {"pass_prob": 1},
                   "decision": {"pass_prob": 1}, "shortlisting": {"keep": 10},
                   "negotiation": {"rounds": {"dist": "exponential", "mean": 90},
                                   "walk_away_prob": 0, "wait": None, "duration": 0.001}},
    })  # fmt: skip
    events = sim.run(scenario, replications=2).events
    rounds = events[(events["concept:name"] == "negotiation")
                    & (events["lifecycle:transition"] == "complete")]  # fmt: skip
    per_offer = rounds.groupby("case:concept:name").size()
    assert len(per_offer) >= 4
    assert per_offer.max() == sim.scenario.MAX_ROUNDS


@pytest.mark.parametrize("path", ["seed", "replications", "sweep", "name"])
def test_what_cannot_be_swept_is_refused(path):
    lines = problems({"name": "t", "sweep": {path: [1, 2]}})
    assert len(lines) == 1 and lines[0].startswith(f"sweep.{path}: ")


def test_overlapping_sweep_paths_are_refused():
    lines = problems({"name": "t", "sweep": {"team": [{"recruiter": 1}], "team.recruiter": [2]}})
    assert lines == ["sweep.team.recruiter: overlaps sweep.team (both set it); sweep one of them"]


def test_each_sweep_cell_is_validated_against_its_own_preset():
    # a committee written for large and enterprise: the mid preset (no committee) must not judge
    scenario = sim.load_scenario({
        "name": "t", "team": {"committee": 2},
        "stages": {"decision": {"resource": "committee", "meets_every_days": 7}},
        "sweep": {"company.size": ["large", "enterprise"]},
    })  # fmt: skip
    assert [cell.company.size for _, cell in cells(scenario)] == ["large", "enterprise"]
    assert all(cell.team["committee"].count == 2 for _, cell in cells(scenario))


def test_a_sweep_problem_in_some_cells_names_them():
    lines = problems({"name": "t", "stages": {"decision": {"resource": "committee"}},
                      "sweep": {"company.size": ["mid", "large"]}})  # fmt: skip
    assert len(lines) == 1 and "company.size=mid" in lines[0]
    assert lines[0].startswith("stages.decision.resource: unknown team member 'committee'")


def test_a_sweep_over_distributions_and_many_paths_runs():
    scenario = sim.load_scenario({
        "name": "t", "applicants": {"per_requisition": 3},
        "company": {"requisitions": 1, "requisitions_per_month": 0},
        "sweep": {
            "candidate.patience": [{"dist": "exponential", "mean": 30}, None],
            "company.size": ["small", "mid"],
            "team.recruiter": [1, 2],
            "stages.follow_up.second_interview_prob": [0.0, 1.0],
        },
    })  # fmt: skip
    results = sim.run(scenario, replications=1)
    assert len(results.summary) == 16
    patience = results.summary["candidate.patience"]
    assert set(patience.dropna()) == {"{dist: exponential, mean: 30}"}
    assert patience.isna().sum() == 8


def test_a_million_cell_sweep_is_refused_at_once():
    started = time.perf_counter()
    lines = problems(
        {
            "name": "t",
            "sweep": {
                "team.recruiter": list(range(1, 1001)),
                "applicants.per_requisition": list(range(1, 1001)),
            },
        }
    )
    assert time.perf_counter() - started < 1
    assert lines[0].startswith("sweep: 1,000,000 cells is more than the limit of 1,000")
    assert "--max-cells" in lines[0]
    wide = {"name": "t", "sweep": {"team.recruiter": list(range(1, 101))}}
    assert sim.load_scenario(wide, max_cells=100).sweep
    with pytest.raises(ScenarioError, match="--max-cells"):
        sim.load_scenario(wide, max_cells=99)


@pytest.mark.parametrize(
    ("document", "replications", "option"),
    [
        ({"applicants": {"per_requisition": 10**12}}, 1, "--max-candidates"),
        (
            {"applicants": {"per_requisition": 10**7, "arrivals": {"process": "batch"}}},
            10,
            "--max-candidates",
        ),
        ({"applicants": {"max_reopens": 10**9, "reopen_after_days": 0}}, 1, "--max-candidates"),
        ({"company": {"requisitions": 10**6}}, 1, "--max-requisitions"),
        ({}, 10**7, "--max-replications"),
    ],
)
def test_work_beyond_the_limits_is_refused_with_the_option_to_raise(document, replications, option):
    scenario = sim.load_scenario({"name": "t", **document})
    lines = limits.work_problems([cell for _, cell in cells(scenario)], replications)
    assert any(option in line for line in lines), lines


def test_the_shipped_scenarios_are_within_the_limits():
    for path in SCENARIOS:
        scenario = sim.load_scenario(path)
        grid = [cell for _, cell in cells(scenario)]
        assert limits.work_problems(grid, scenario.replications) == [], path.name


# -- warnings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "start"),
    [
        ({"applicants": {"per_requisition": 2000,
                         "arrivals": {"process": "poisson", "rate_per_day": 100}}},
         "team.hiring_manager: offered load"),
        ({"horizon_days": 5}, "horizon_days: 5 is shorter than a hire takes"),
        ({"stages": {"reference_checks": {"pass_prob": 0}}},
         "stages.reference_checks.pass_prob: 0 lets no candidate through: no one reaches "
         "decision"),
        ({"stages": {"final_decision": {"accept_prob": 0}}}, "stages.final_decision.accept_prob"),
        ({"company": {"openings": 5}}, "stages.shortlisting.keep: 3 is below company.openings 5"),
        ({"stages": {"follow_up": {"enabled": False}}}, "stages.follow_up: disabled"),
    ],
)  # fmt: skip
def test_suspicious_scenarios_warn(document, start):
    lines = checks.scenario_warnings(sim.load_scenario({"name": "t", **document}))
    assert [line for line in lines if line.startswith(start)], lines


def test_offered_load_is_the_work_arriving_over_the_people():
    # 2 candidates a day, each 0.6 days of the one manager's review: 120%
    scenario = sim.load_scenario({
        "name": "t", "team": {"hiring_manager": 1}, "calendar": None,
        "company": {"requisitions": 1, "requisitions_per_month": 0},
        "applicants": {"arrivals": {"process": "poisson", "rate_per_day": 2}},
        "stages": {"initial_review": {"duration": 0.6, "pass_prob": 0.0}},
    })  # fmt: skip
    loads = [line for line in checks.scenario_warnings(scenario) if "offered load" in line]
    assert loads == [line for line in loads if "offered load 120% of 1 person" in line] != []


@pytest.mark.parametrize("path", [p for p in SCENARIOS if "baseline" in p.name],
                         ids=lambda p: p.stem)  # fmt: skip
def test_the_baselines_raise_no_warning(path):
    assert checks.scenario_warnings(sim.load_scenario(path)) == []


def test_warnings_in_some_sweep_cells_name_them():
    scenario = sim.load_scenario({"name": "t", "sweep": {"horizon_days": [5, 365]}})
    assert checks.scenario_warnings(scenario) == [
        "horizon_days: 5 is shorter than a hire takes on average (about 28 days without "
        "queueing): most candidates will end in_process (sweep cell horizon_days=5)"
    ]


def test_headline_claims_no_interval_where_there_is_none(tmp_path, capsys):
    from sim.cli import main

    path = tmp_path / "one.yaml"
    path.write_text("name: one\napplicants: {per_requisition: 3}\n", encoding="utf-8")
    assert main(["run", str(path), "--replications", "1", "--workers", "1", "--quiet",
                 "--out", str(tmp_path / "out")]) == 0  # fmt: skip
    assert "(95% CI)" not in capsys.readouterr().out


def test_validate_prints_the_warnings_and_exits_0(tmp_path, capsys):
    from sim.cli import main

    path = tmp_path / "short.yaml"
    path.write_text("name: short\nhorizon_days: 5\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    captured = capsys.readouterr()
    assert "valid" in captured.out
    assert captured.err.startswith("warning: horizon_days: 5 is shorter")
