"""Costs: the `costs:` section, the team's hours, and cost per hire in the summary and compare.

The hand-worked cases are tiny scenarios with fixed durations, so every hour and every day open
is known; the others run the mid preset briefly and check identities that hold exactly (a
rate doubled adds exactly that role's hours at the old rate; the same run on one or two
workers, or with its tables in files, gives the same costs).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.analysis.compare import per_replication
from sim.analysis.costs import COST_SUMMARY, ratio_interval
from sim.analysis.metrics import PER_HIRE, PER_REPLICATION, SUMMARY
from sim.cli import main

ROOT = Path(__file__).resolve().parents[1]
RATES = {"hiring_manager": 80.0, "recruiter": 40.0}
COSTS = {"hourly": RATES, "per_hire": {"background_check": 50}, "per_search": {"job_ad": 300},
         "per_open_day": 100}  # fmt: skip


def tiny(calendar=None, costs=COSTS, team=None, **stages) -> sim.Scenario:
    """Two requisitions with one candidate each, both at day 0, who never withdraw: the one
    hiring manager reviews them one after the other, the one recruiter checks references and
    makes the offer, which is accepted at once (hired then: onboarding off)."""
    flow = {
        "initial_review": {"resource": "hiring_manager", "duration": 0.5, "pass_prob": 1,
                           "validity": None, "wait": None},
        "shortlisting": {"enabled": False},
        "reference_checks": {"resource": "recruiter", "duration": 0.25, "pass_prob": 1,
                             "validity": None, "wait": None},
        "decision": {"enabled": False},
        "follow_up": {"resource": "recruiter", "duration": 0.1, "wait": None, "approvals": 1,
                      "second_interview_prob": 0, "rejection_duration": 0},
        "negotiation": {"enabled": False},
        "final_decision": {"duration": 0, "accept_prob": 1, "accept_prob_loss_per_week": 0},
        "onboarding": {"enabled": False},
    }  # fmt: skip
    for name, fields in stages.items():
        flow[name] = {**flow[name], **fields}
    document = {
        "name": "tiny", "replications": 1, "horizon_days": 30, "calendar": calendar,
        "company": {"requisitions": 2, "requisitions_per_month": 0},
        "team": team or {"hiring_manager": 1, "recruiter": 1},
        "applicants": {"per_requisition": 1, "arrivals": {"process": "batch"}, "max_reopens": 0},
        "candidate": {"patience": None},
        "stages": flow,
    }  # fmt: skip
    if costs is not None:
        document["costs"] = costs
    return sim.load_scenario(document)


# -- the section ---------------------------------------------------------------------------


@pytest.mark.parametrize(("costs", "line"), [
    ("{hourly: {recruiter: -5}}", "costs.hourly.recruiter: must be at least 0 (got -5)"),
    ("{hourly: {recruiter: lots}}", "costs.hourly.recruiter: input should be a valid number"),
    ("{per_hire: {background_check: -1}}", "costs.per_hire.background_check: must be at least 0"),
    ("{per_search: -300}", "costs.per_search.total: must be at least 0 (got -300)"),
    ("{per_open_day: .nan}", "costs.per_open_day: must be a finite amount"),
    ("{per_open_day: 1e15}", "costs.per_open_day: must be at most 1e+12"),
    ("{per_hires: 100}", "costs.per_hires: unknown field (did you mean 'per_hire'?)"),
    ("{hourly: {recruter: 45}}", "costs.hourly.recruter: unknown team role (team: "
                                 "hiring_manager, recruiter) (did you mean 'recruiter'?)"),
    ("{hourly: {committee: 45}}", "costs.hourly.committee: unknown team role"),
])  # fmt: skip
def test_bad_costs_exit_2_with_one_line_naming_the_field(costs, line, tmp_path, capsys):
    path = tmp_path / "scenario.yaml"
    path.write_text(f"name: x\ncosts: {costs}\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len([text for text in lines if "costs." in text]) == 1, lines
    assert any(line in text for text in lines), lines


def test_a_number_is_the_total_and_a_rate_for_a_role_of_a_swept_team_is_checked_per_cell():
    costs = sim.load_scenario({"name": "x", "costs": {"per_hire": 1200}}).costs
    assert costs.per_hire == {"total": 1200.0} and costs.hire_fixed == 1200.0
    assert costs.search_fixed == 0.0 and costs.per_open_day == 0.0
    with pytest.raises(sim.ScenarioError, match=r"costs.hourly.committee: unknown team role"):
        sim.load_scenario({"name": "x", "costs": {"hourly": {"committee": 50}},
                           "sweep": {"company.size": ["mid", "large"]}})  # fmt: skip
    ok = sim.load_scenario({"name": "x", "costs": {"hourly": {"committee": 50}},
                            "company": {"size": "large"}})  # fmt: skip
    assert ok.costs.hourly == {"committee": 50.0}


def test_the_shipped_example_validates_and_only_adds_costs_to_the_mid_baseline():
    example = sim.load_scenario(ROOT / "scenarios" / "mid_costs.yaml")
    baseline = sim.load_scenario(ROOT / "scenarios" / "mid_baseline.yaml")
    assert example.costs is not None and set(example.costs.hourly) == set(RATES)
    assert example.model_copy(update={"costs": None, "name": baseline.name}) == baseline


# -- hours and cost per hire, by hand -----------------------------------------------------------


def test_cost_per_hire_by_hand_in_continuous_time():
    # Reviews 0 -> 0.5 and 0.5 -> 1 (24 manager hours); references 0.5 -> 0.75 and 1 -> 1.25,
    # offers 0.75 -> 0.85 and 1.25 -> 1.35 (2 x 8.4 recruiter hours): filled at 0.85 and 1.35
    results = sim.run(tiny())
    requisitions = results.requisitions
    assert list(requisitions["days_open"]) == pytest.approx([0.85, 1.35])
    assert list(requisitions["hired"]) == [1, 1]
    manager, recruiter = 24.0, 2 * (0.25 + 0.1) * 24
    cost = manager * 80 + recruiter * 40 + 2 * 50 + 2 * 300 + (0.85 + 1.35) * 100
    row = results.summary.iloc[0]
    assert row["cost_per_hire"] == pytest.approx(cost / 2)
    assert row["cost_of_delay"] == pytest.approx((0.85 + 1.35) * 100 / 2)
    assert row["hiring_manager_hours_per_hire"] == pytest.approx(manager / 2)
    assert row["recruiter_hours_per_hire"] == pytest.approx(recruiter / 2)
    assert requisitions["team_hours"].sum() == pytest.approx(manager + recruiter)
    assert math.isnan(row["cost_per_hire_ci_low"])  # one replication: no interval


def test_hours_are_the_work_not_the_span_a_calendar_stretches():
    # Day 0 is Monday 2026-01-05; the manager has 2 hours a day (10 a week, from 09:00): a review
    # of 3 hours runs Mon 09-11 and Tue 09-10, 25 hours of the clock for 3 of work. The second
    # review then takes Tue 10-11 and Wed 09-11. References (recruiter, 8 hours a day) of 4
    # hours and offers of 1 hour follow in the recruiter's working hours.
    calendar = {"workdays": ["mon", "tue", "wed", "thu", "fri"], "hours_per_day": 8,
                "holidays": []}  # fmt: skip
    results = sim.run(tiny(
        calendar,
        team={"hiring_manager": {"count": 1, "hours_per_week": 10}, "recruiter": 1},
        initial_review={"duration": "3 hours"},
        reference_checks={"duration": "4 hours"},
        follow_up={"duration": "1 hour"},
    ))  # fmt: skip
    events = results.events
    review = events[(events["concept:name"] == "initial_review")
                    & (events["lifecycle:transition"] == "complete")]  # fmt: skip
    assert list(review["time_days"]) == pytest.approx([1 + 10 / 24, 2 + 11 / 24])
    row = results.summary.iloc[0]
    assert row["hiring_manager_hours_per_hire"] == pytest.approx(3.0)  # 2 x 3 hours / 2 hires
    assert row["recruiter_hours_per_hire"] == pytest.approx(5.0)
    days_open = results.requisitions["days_open"].sum()
    cost = 6 * 80 + 10 * 40 + 2 * 50 + 2 * 300 + days_open * 100
    assert row["cost_per_hire"] == pytest.approx(cost / 2)


def test_without_costs_the_hours_are_there_and_the_costs_empty():
    results = sim.run(tiny(costs=None))
    row = results.summary.iloc[0]
    assert row["hiring_manager_hours_per_hire"] == pytest.approx(12.0)
    assert math.isnan(row["cost_per_hire"]) and math.isnan(row["cost_of_delay"])
    assert results.requisitions["cost"].isna().all()
    assert set(COST_SUMMARY) <= set(results.summary.columns)


def test_ratio_interval_is_the_clustered_mean_for_equal_denominators():
    from sim.analysis.summaries import clustered_mean

    values = [np.array([10.0, 12.0]), np.array([11.0, 13.0]), np.array([9.0, 12.0])]
    sums = np.array([v.sum() for v in values])
    assert ratio_interval(sums, np.full(3, 2.0)) == pytest.approx(clustered_mean(values))
    assert all(math.isnan(x) for x in ratio_interval(sums, np.zeros(3)))
    assert ratio_interval(np.array([1.0, 30.0]), np.array([1.0, 1.0]))[1] == 0.0  # never < 0


# -- the mid preset: identities that hold exactly -------------------------------------------


def mid(**costs) -> sim.Scenario:
    document = {"name": "mid-costs", "horizon_days": 60, "replications": 3,
                "costs": {**COSTS, **costs}}  # fmt: skip
    return sim.load_scenario(document)


@pytest.fixture(scope="module")
def mid_results():
    return sim.run(mid())


def test_doubling_a_rate_adds_exactly_that_roles_share(mid_results):
    doubled = sim.run(mid(hourly={**RATES, "recruiter": 80.0}))
    base, more = mid_results.summary.iloc[0], doubled.summary.iloc[0]
    share = 40.0 * base["recruiter_hours_per_hire"]
    assert share > 0
    assert more["cost_per_hire"] - base["cost_per_hire"] == pytest.approx(share, rel=1e-9)
    for same in ("recruiter_hours_per_hire", "hiring_manager_hours_per_hire", "cost_of_delay"):
        assert more[same] == base[same]
    low, high = base["cost_per_hire_ci_low"], base["cost_per_hire_ci_high"]
    assert low <= base["cost_per_hire"] <= high and high > low


def test_costs_are_the_same_on_two_workers_and_with_the_tables_in_files(mid_results, tmp_path):
    two = sim.run(mid(), workers=2)
    files = sim.run(mid(), tables_to=tmp_path)
    columns = ["hired", *COST_SUMMARY]
    for other in (two, files):
        pd.testing.assert_frame_equal(other.summary[columns], mid_results.summary[columns])
    written = pd.concat([pd.read_csv(f) for f in sorted(tmp_path.glob("*requisitions*"))],
                        ignore_index=True)  # fmt: skip
    kept = mid_results.requisitions
    assert written["cost"].to_numpy() == pytest.approx(kept["cost"].to_numpy(), rel=1e-12)


def test_compare_shows_the_cost_difference(mid_results):
    base = mid()
    dearer = mid(hourly={**RATES, "recruiter": 80.0}).model_copy(update={"name": "dearer"})
    table = sim.compare(base, [dearer], workers=1).table.set_index("metric")
    per = per_replication(mid_results)
    assert {"cost_per_hire", "cost_of_delay", "recruiter_hours_per_hire"} <= set(table.index)
    cost = table.loc["cost_per_hire"]
    assert cost["pairs"] == 3
    assert cost["difference"] == pytest.approx(40.0 * per["recruiter_hours_per_hire"].mean())
    assert cost["ci_low"] > 0  # the same hours at a higher rate: dearer in every replication
    assert table.loc["recruiter_hours_per_hire", "difference"] == 0
    assert cost["base"] == pytest.approx(per["cost_per_hire"].mean())


def test_the_cost_metrics_are_registered_and_described():
    from sim.analysis.dictionary import describe

    for name, column in PER_HIRE.items():
        assert name in SUMMARY and name in PER_REPLICATION
        assert PER_REPLICATION[name].table == "requisitions"
        for end in ("", "_ci_low", "_ci_high"):
            assert describe("summary", name + end)[0] == SUMMARY[name].unit
        assert describe("requisitions", column)[0] in ("hours", "cost")
    assert "no agency fees" in SUMMARY["cost_per_hire"].computed


def test_owners_hours_are_each_persons_work_in_their_own_hours():
    """Hiring managers own requisitions and take their vacations on different days: their hours
    are counted person by person from the event log's start -> complete spans (the owner of
    requisition q is person q mod count), each in that person's own hiring hours. Checked
    against a plain count from the events: each span's hours in its owner's windows."""
    from sim.model.calendar import DAY_STARTS_AT, team_hours, work_calendar

    away = {"hiring_manager": {"vacation_days_per_year": 25}}
    scenario = sim.load_scenario({"name": "owners", "horizon_days": 90, "team": away})
    results = sim.run(scenario, replications=1)
    calendar = work_calendar(scenario)
    daily, away = team_hours(scenario, calendar)
    people = scenario.team["hiring_manager"].count
    events = results.events
    ours = events[events["org:resource"] == "hiring_manager"]
    last = events.groupby("case:concept:name")["time_days"].max()
    spans = {}  # (person, stage, start) -> end: a session's members share one span
    for (case, stage), rows in ours.groupby(["case:concept:name", "concept:name"], sort=False):
        starts = rows.loc[rows["lifecycle:transition"] == "start", "time_days"].tolist()
        ends = rows.loc[rows["lifecycle:transition"] == "complete", "time_days"].tolist()
        person = int(case.split("-q")[1].split("-")[0]) % people
        for k, start in enumerate(starts):
            end = ends[k] if k < len(ends) else max(last[case], start)
            key = (person, stage, start)
            spans[key] = max(spans.get(key, end), end)
    opens, closes = DAY_STARTS_AT / 24, (DAY_STARTS_AT + daily["hiring_manager"]) / 24
    expected = 0.0
    for (person, _, start), end in spans.items():
        for day in range(math.floor(start), math.floor(end) + 1):
            if calendar.is_workday(day) and day not in away["hiring_manager"][person]:
                expected += max(0.0, min(end, day + closes) - max(start, day + opens)) * 24
    counted = results.requisitions["hiring_manager_hours"].sum()
    assert counted == pytest.approx(expected, rel=0.01)  # the run's end: spans still open
    assert len(set(away["hiring_manager"])) > 1  # people away on different days


def test_the_headline_gives_the_costs_only_when_the_scenario_does():
    from sim.analysis.headline import cost_line

    row = {"cost_per_hire": 10946.6, "cost_per_hire_ci_low": 10763.2,
           "cost_per_hire_ci_high": 11130.4, "cost_of_delay": 8396.0,
           "recruiter_hours_per_hire": 7.84, "hiring_manager_hours_per_hire": 17.71}  # fmt: skip
    assert cost_line(row) == ("cost per hire 10,947 [10,763, 11,130], of which the cost of delay "
                              "8,396; per hire 7.8 recruiter and 17.7 hiring manager hours"
                              "  (95% CI)")  # fmt: skip
    assert cost_line({**row, "cost_per_hire": float("nan")}) is None
