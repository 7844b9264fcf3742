"""Steady state after a warm-up (`warmup_days`), business days, and time to fill in `compare`.

- the summary after a warm-up counts exactly the rows the tables mark `after_warmup`; the team
  table is time-weighted over [warmup_days, end]; the raw tables keep every row;
- `warmup_days` at or past the horizon is refused, naming the field; it sweeps and overrides;
- business days are `numpy.busday_count` between the calendar dates, holidays left out: exact
  cases worked out by hand;
- `compare` pairs time to fill and fill rate by replication, dropping replications where the
  median is undefined.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from test_exact_times import HM, scenario, simulate

import sim
from sim.analysis.business import business_days
from sim.analysis.compare import paired_differences
from sim.analysis.headline import headline
from sim.analysis.summaries import summarise
from sim.analysis.timelines import level_steps, time_weighted
from sim.cli import main
from sim.scenario.worktime import Calendar

STEADY = {"name": "steady", "horizon_days": 200, "warmup_days": 100,
          "company": {"requisitions_per_month": 3}}  # fmt: skip


@pytest.fixture(scope="module")
def steady():
    return sim.run(sim.load_scenario(STEADY), replications=2, workers=1)


# -- warm-up ----------------------------------------------------------------------------------


def test_the_summary_counts_the_candidates_arriving_after_the_warmup(steady):
    applicants, row = steady.applicants, steady.summary.iloc[0]
    assert (applicants["arrived_day"] < 100).any()  # the raw table keeps every candidate
    after = applicants[applicants["arrived_day"] >= 100]
    assert applicants["after_warmup"].equals(applicants["arrived_day"] >= 100)
    assert row["warmup_days"] == 100
    assert row["candidates"] == len(after) > 0
    counts = after["outcome"].value_counts()
    for outcome in ("hired", "rejected", "withdrew", "declined", "in_process"):
        assert row[outcome] == counts.get(outcome, 0), outcome
    assert row["time_to_offer_days_median"] == pytest.approx(after["time_to_offer_days"].median())


def test_the_summary_counts_the_requisitions_opening_after_the_warmup(steady):
    requisitions, row = steady.requisitions, steady.summary.iloc[0]
    after = requisitions[requisitions["opened_day"] >= 100]
    assert (requisitions["opened_day"] < 100).any() and len(after) > 0
    assert requisitions["after_warmup"].equals(requisitions["opened_day"] >= 100)
    assert (row["requisitions"], row["requisitions_filled"]) == (len(after), after["filled"].sum())


def test_after_the_warmup_is_the_summary_of_the_rows_after_it(steady):
    # the same computation on the filtered tables, without a warm-up: every statistic agrees
    a, r = steady.applicants, steady.requisitions
    alone = summarise(a[a["after_warmup"]], [], 2, requisitions=r[r["after_warmup"]])
    with_warmup = steady.summary.drop(columns="warmup_days")
    pd.testing.assert_frame_equal(alone.drop(columns="warmup_days"), with_warmup)


def test_the_team_table_is_time_weighted_after_the_warmup(steady):
    levels = steady.team_levels
    for _, row in steady.team.iterrows():
        per_rep = []
        for _, rep in levels[levels["resource"] == row["resource"]].groupby("replication"):
            steps, end = level_steps(rep)
            # by hand: each step's length inside [100, end]
            edges = np.clip(np.append(steps["time_days"].to_numpy(), end), 100, end)
            busy = np.sum(steps["busy"].to_numpy() * np.diff(edges)) / (end - 100)
            per_rep.append(busy / row["capacity"])
        assert row["utilisation"] == pytest.approx(np.mean(per_rep), rel=1e-12)


def test_time_weighted_from_a_start():
    times, values = np.array([0.0, 2.0, 6.0]), np.array([1.0, 3.0, 0.0])
    assert time_weighted(times, values, 10.0) == (2 * 1 + 4 * 3) / 10
    assert time_weighted(times, values, 10.0, start=4.0) == (2 * 3) / 6
    assert time_weighted(times, values, 10.0, start=10.0) == 0.0


def test_the_headline_says_the_warmup(steady):
    first = headline(steady.summary.iloc[0])[0]
    assert first.startswith("after a 100-day warm-up, per replication: ")
    no_warmup = steady.summary.iloc[0].copy()
    no_warmup["warmup_days"] = 0.0
    assert "warm-up" not in headline(no_warmup)[0]


@pytest.mark.parametrize("warmup", [365, 400])
def test_a_warmup_as_long_as_the_run_is_refused(warmup, tmp_path, capsys):
    path = tmp_path / "w.yaml"
    path.write_text(f"name: w\nwarmup_days: {warmup}\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"warmup_days: must be less than horizon_days (365), not {warmup}" in err
    assert "Traceback" not in err


def test_a_negative_warmup_is_refused():
    with pytest.raises(sim.ScenarioError, match="warmup_days"):
        sim.load_scenario({"name": "w", "warmup_days": -1})


def test_warmup_sweeps_and_overrides():
    document = {**STEADY, "sweep": {"warmup_days": [0, 150]}, "horizon_days": 160}
    results = sim.run(sim.load_scenario(document), replications=1, workers=1)
    summary, applicants = results.summary, results.applicants
    assert list(summary["warmup_days"]) == [0, 150]
    assert list(summary.columns).count("warmup_days") == 1
    arrived = applicants.groupby("cell")["arrived_day"]
    expected = [len(arrived.get_group(0)), (arrived.get_group(1) >= 150).sum()]
    assert summary["candidates"].tolist() == expected and expected[0] > expected[1]
    assert sim.override(sim.load_scenario(STEADY), {"warmup_days": 50}).warmup_days == 50
    with pytest.raises(sim.ScenarioError, match="warmup_days: must be less than horizon_days"):
        sim.override(sim.load_scenario(STEADY), {"horizon_days": 90})


# -- business days ----------------------------------------------------------------------------

FRIDAY = dt.date(2026, 1, 2)
MONDAY_OFF = dt.date(2026, 1, 5)


def test_business_days_are_working_dates_from_the_first_up_to_the_second():
    cal = Calendar(holidays=[MONDAY_OFF])
    # from day 0 (Friday 2026-01-02): same day 0; Fri -> Sat 1; Fri -> Tue across the Monday
    # holiday 1 (only Friday counts); Fri -> Wed 2; the times of day do not matter
    begin = np.array([0.2, 0.0, 0.0, 0.9, 0.0, np.nan])
    end = np.array([0.8, 1.0, 4.5, 4.0, 5.0, 3.0])
    got = business_days(FRIDAY, cal, begin, end)
    assert got[:5].tolist() == [0, 1, 1, 1, 2] and math.isnan(got[5])
    assert business_days(FRIDAY, Calendar(), begin, end)[:5].tolist() == [0, 1, 2, 2, 3]
    assert np.isnan(business_days(FRIDAY, None, begin, end)).all()
    four_days = Calendar(workdays=["mon", "tue", "wed", "thu"])  # Friday is no workday
    assert business_days(FRIDAY, four_days, begin, end)[:5].tolist() == [0, 0, 1, 1, 2]


def test_business_days_leave_out_a_countrys_holidays():
    # Friday 2026-01-16; Monday 2026-01-19 is Martin Luther King Jr. Day in the US
    cal = Calendar(holidays={"country": "US"})
    assert business_days(dt.date(2026, 1, 16), cal, np.array([0.0]), np.array([4.0]))[0] == 1


def test_business_day_columns_of_a_run_exactly():
    # one candidate on day 0 (Friday 2026-01-02), a 4.5-day review that holds no one, offered
    # and accepted as it ends: filled on Tuesday at noon, after 4.5 days; in business days
    # Friday only (Monday 2026-01-05 a holiday): 1; the decision (the offer) as well
    review = {"initial_review": {"resource": None, "duration": 4.5}}
    calendar = {"workdays": ["mon", "tue", "wed", "thu", "fri"], "holidays": ["2026-01-05"]}
    tables = simulate(scenario(review, n=1, start_date="2026-01-02", calendar=calendar))
    req, cand = tables["requisitions"].iloc[0], tables["applicants"].iloc[0]
    assert (req["time_to_fill_days"], req["time_to_fill_business_days"]) == (4.5, 1)
    assert req["business_days_open"] == 1
    assert (cand["time_to_decision_days"], cand["time_to_decision_business_days"]) == (4.5, 1)
    plain = simulate(scenario(review, n=1, start_date="2026-01-02", calendar=None))
    assert math.isnan(plain["requisitions"]["time_to_fill_business_days"].iloc[0])
    assert math.isnan(plain["applicants"]["time_to_decision_business_days"].iloc[0])


def test_the_summary_estimates_business_days_as_calendar_days():
    # four requisitions from Monday 2026-01-05, one candidate each, reviewed in turn by one
    # manager (2 days each, from 09:00 on working days): filled Wednesday, Friday, then (the
    # third review ending on Saturday, done on Monday) Monday 12th and Wednesday 14th, all at
    # 09:00; in business days 2, 4, 5 and 7 (Kaplan-Meier without censoring: empirical)
    review = {"initial_review": {"resource": HM, "duration": 2}}
    doc = scenario(review, n=1, company__requisitions=4, calendar={"holidays": []})
    results = sim.run(sim.load_scenario(doc), replications=2, workers=1)
    row, requisitions = results.summary.iloc[0], results.requisitions
    assert requisitions["filled_day"].tolist()[:4] == [2.375, 4.375, 7.375, 9.375]
    assert requisitions["time_to_fill_business_days"].tolist() == [2, 4, 5, 7] * 2
    assert (row["time_to_fill_business_days_median"], row["time_to_fill_days_median"]) == (4, 4.375)
    assert row["time_to_fill_business_days_p90"] == 7
    assert row["time_to_decision_business_days_median"] == 4.5  # the pooled median of 2, 4, 5, 7
    no_calendar = sim.run(sim.load_scenario({**doc, "calendar": None}), replications=1)
    assert (
        no_calendar.summary[
            ["time_to_fill_business_days_median", "time_to_decision_business_days_median"]
        ]
        .isna()
        .all(axis=None)
    )


# -- compare ----------------------------------------------------------------------------------


def test_compare_writes_time_to_fill_and_fill_rate(tmp_path, capsys):
    path = tmp_path / "base.yaml"
    path.write_text("name: base\nhorizon_days: 120\ncompany: {requisitions: 3}\n")
    variant = tmp_path / "variant.yaml"
    variant.write_text("name: variant\nhorizon_days: 120\ncompany: {requisitions: 3}\n"
                       "team: {recruiter: 4}\n")  # fmt: skip
    out = tmp_path / "cmp"
    args = ["compare", str(path), str(variant), "--replications", "3", "--out", str(out),
            "--workers", "1", "--quiet"]  # fmt: skip
    assert main(args) == 0
    table = pd.read_csv(out / "comparison.csv").set_index("metric")
    assert {"time_to_fill_days_median", "fill_rate"} <= set(table.index)
    assert table.loc["fill_rate", "pairs"] == 3
    assert "median time to fill" in capsys.readouterr().out


def test_compare_pairs_only_replications_with_a_time_to_fill():
    # replication 1 of the variant fills fewer than half its requisitions: no median, no pair
    def results(days_open, filled):
        requisitions = pd.DataFrame({"replication": [0, 0, 1, 1], "days_open": days_open,
                                     "filled": filled, "after_warmup": True})  # fmt: skip
        applicants = pd.DataFrame({"replication": [0, 1], "outcome": "rejected",
                                   "offer_day": np.nan, "time_to_offer_days": np.nan,
                                   "time_to_hire_days": np.nan, "quality_of_hire": np.nan,
                                   "after_warmup": True})  # fmt: skip
        scenario_ = sim.load_scenario({"name": "x", "replications": 2})
        return sim.Results(scenario_, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
                           applicants=applicants, requisitions=requisitions)  # fmt: skip

    base = results([10.0, 20.0, 12.0, 30.0], [True, True, True, True])
    variant = results([8.0, 20.0, 5.0, 40.0], [True, True, False, False])
    table = paired_differences(base, variant).set_index("metric")
    fill = table.loc["time_to_fill_days_median"]
    assert (fill["pairs"], fill["base"], fill["value"], fill["difference"]) == (1, 10, 8, -2)
    rate = table.loc["fill_rate"]
    assert (rate["pairs"], rate["base"], rate["value"], rate["difference"]) == (2, 1, 0.5, -0.5)
