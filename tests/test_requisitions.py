"""The requisitions table, time to fill and time to decision.

Exact cases use fixed durations, batch arrivals and no patience (as `tests/test_exact_times.py`,
whose scenario builder they share), so every day is worked out by hand in a comment. Then the
summary's requisition columns: Kaplan-Meier against `scipy.stats.ecdf`, a requisition still open
at the end counted as censored (not dropped), intervals, the results folder and workers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from plain import plain
from scipy import stats
from test_exact_times import HM, scenario, simulate

import sim
from sim.analysis.headline import fill_line
from sim.analysis.summaries import summarise
from sim.analysis.survival import FILL_COLUMNS, fill_statistics, km_quantiles
from sim.cli import main
from sim.scenario import limits
from sim.scenario.checks import cell_warnings
from sim.streams import Streams

REVIEW_2 = {"initial_review": {"resource": HM, "duration": 2}}


def requisition(tables, index: int = 0) -> pd.Series:
    frame = tables["requisitions"]
    return frame[frame["requisition"] == index].iloc[0]


def nan_to_none(values) -> list:
    return [None if isinstance(v, float) and math.isnan(v) else v for v in values]


# -- the table, exactly -----------------------------------------------------------------------


def test_time_to_fill_is_the_last_opening_accepted_and_to_start_its_hire():
    # Two openings, two candidates queueing for the one hiring manager: reviews 0 -> 2 and
    # 2 -> 4, each offered and accepted when its review ends (later stages disabled but
    # onboarding, 3 days without a resource). The last opening is accepted at 4: filled on day 4;
    # its candidate starts at 4 + 3 = 7.
    onboarding = {"onboarding": {"resource": None, "duration": 3}}
    tables = simulate(scenario({**REVIEW_2, **onboarding}, openings=2))
    row = requisition(tables)
    assert list(tables["requisitions"].columns) == [
        "scenario", "cell", "replication", "requisition", "opened_day", "openings", "filled",
        "filled_day", "time_to_fill_days", "time_to_fill_business_days", "interviewed",
        "searches", "accepted", "hired", "started_day", "time_to_start_days", "days_open",
        "business_days_open", "after_warmup", "recruiter_hours", "hiring_manager_hours",
        "team_hours", "delay_cost", "cost",
    ]  # fmt: skip
    assert (row["opened_day"], row["openings"], row["filled"]) == (0.0, 2, True)
    assert (row["filled_day"], row["time_to_fill_days"], row["days_open"]) == (4.0, 4.0, 4.0)
    assert (row["started_day"], row["time_to_start_days"]) == (7.0, 7.0)
    assert (row["interviewed"], row["searches"], row["accepted"], row["hired"]) == (2, 1, 2, 2)


def test_an_acceptance_backed_out_of_unfills_the_requisition():
    # One candidate: review 0 -> 2, offer and acceptance at 2 (filled then), onboarding 2 -> 3
    # fails (pass_prob 0): the opening is free again, no search is left (max_reopens 0), so the
    # run ends on day 3 with the requisition unfilled, censored after 3 days open.
    onboarding = {"onboarding": {"resource": None, "duration": 1, "pass_prob": 0.0}}
    tables = simulate(scenario({**REVIEW_2, **onboarding}, n=1))
    row = requisition(tables)
    assert (row["filled"], row["accepted"], row["hired"]) == (False, 0, 0)
    assert nan_to_none([row["filled_day"], row["time_to_fill_days"], row["started_day"]]) == [
        None, None, None,
    ]  # fmt: skip
    assert row["days_open"] == 3.0


FOUR_REQUISITIONS = scenario(REVIEW_2, n=1, company__requisitions=4, horizon_days=5)
"""Four requisitions of one candidate each, the one hiring manager reviewing them in turn:
filled on days 2, 4, 6 and 8, but the run stops on day 5."""


def test_requisitions_open_at_the_end_are_censored_not_dropped():
    tables = simulate(FOUR_REQUISITIONS)
    frame = tables["requisitions"]
    assert list(frame["requisition"]) == [0, 1, 2, 3]
    assert list(frame["filled"]) == [True, True, False, False]
    assert nan_to_none(frame["time_to_fill_days"]) == [2.0, 4.0, None, None]
    assert list(frame["days_open"]) == [2.0, 4.0, 5.0, 5.0]  # open until the run ended
    row = fill_statistics(frame)
    assert (row["requisitions"], row["requisitions_filled"]) == (4, 2)
    assert (row["requisitions_censored"], row["fill_rate"]) == (2, 0.5)
    # Kaplan-Meier: day 2, 1 of 4 at risk fills (75% open); day 4, 1 of 3 (50% open): the median
    # is day 4. The two filled alone would give a median of 3, hiding the two still open; and
    # no curve reaches 90% filled with half the requisitions censored at day 5.
    assert row["time_to_fill_days_median"] == 4.0
    assert np.median(frame["time_to_fill_days"].dropna()) == 3.0
    assert math.isnan(row["time_to_fill_days_p90"])
    # one replication: no interval
    assert math.isnan(row["time_to_fill_days_median_ci_low"])


def test_time_to_decision_is_the_offer_or_the_rejection():
    # Three candidates queue for the hiring manager (reviews 0 -> 2, 2 -> 4, 4 -> 6); a0 is
    # offered at 2 and takes a day to accept (final decision 2 -> 3). At 3 the one opening is
    # filled: a1 (under review) and a2 (queued) are rejected then. Interview to decision: a0 2
    # days (its offer, not its hire on day 3), a1 and a2 3 days.
    final = {"final_decision": {"duration": 1, "accept_prob": 1.0,
                                "accept_prob_loss_per_week": 0.0}}  # fmt: skip
    tables = simulate(scenario({**REVIEW_2, **final}, n=3))
    applicants = tables["applicants"]
    assert list(applicants["outcome"]) == ["hired", "rejected", "rejected"]
    assert list(applicants["time_to_decision_days"]) == [2.0, 3.0, 3.0]
    # patience of 2.5 days: a1 and a2 withdraw first; they never hear a decision
    tables = simulate(scenario({**REVIEW_2, **final}, n=3, candidate__patience=2.5))
    applicants = tables["applicants"]
    assert list(applicants["outcome"]) == ["hired", "withdrew", "withdrew"]
    assert nan_to_none(applicants["time_to_decision_days"]) == [2.0, None, None]
    # the run stops at 2.5: a0 still deciding has its offer, the others are waiting
    tables = simulate(scenario({**REVIEW_2, **final}, n=3, horizon_days=2.5))
    applicants = tables["applicants"]
    assert list(applicants["outcome"]) == ["in_process"] * 3
    assert nan_to_none(applicants["time_to_decision_days"]) == [2.0, None, None]


# -- Kaplan-Meier and the summary ---------------------------------------------------------------


def test_kaplan_meier_quantiles_agree_with_scipy():
    rng = np.random.default_rng(7)
    for size, censored_share in [(40, 0.0), (200, 0.3), (25, 0.6)]:
        times = np.round(rng.exponential(30, size), 1)  # rounded: ties, as days often have
        filled = rng.random(size) >= censored_share
        pooled = np.column_stack([times, filled])
        cdf = stats.ecdf(stats.CensoredData(uncensored=times[filled], right=times[~filled])).cdf
        for q, mine in zip([0.25, 0.5, 0.9], km_quantiles(pooled, [0.25, 0.5, 0.9]), strict=True):
            reached = cdf.quantiles[cdf.probabilities >= q - 1e-9]
            assert (mine == reached[0]) if len(reached) else math.isnan(mine), (size, q)
    # without censoring, the empirical quantile: the lower middle value of an even count
    assert list(km_quantiles(np.array([[3.0, 1], [1.0, 1], [2.0, 1], [4.0, 1]]), [0.5])) == [2.0]
    assert math.isnan(km_quantiles(np.array([[3.0, 0]]), [0.5])[0])


def test_intervals_resample_whole_replications():
    # three replications of four requisitions, built by hand; None: open when the run ended
    frames = []
    for replication, days in enumerate([[2, 4, None, None], [1, 3, 5, 7], [2, 2, 6, None]]):
        frames.append(pd.DataFrame({
            "replication": replication, "filled": [d is not None for d in days],
            "days_open": [d if d is not None else 8.0 for d in days],
        }))  # fmt: skip
    requisitions = pd.concat(frames, ignore_index=True)
    row = fill_statistics(requisitions)
    assert (row["requisitions"], row["requisitions_censored"]) == (12, 3)
    assert row["fill_rate"] == 0.75
    low, point, high = (
        row[f"time_to_fill_days_median{end}"] for end in ("_ci_low", "", "_ci_high")
    )
    assert low <= point <= high and low < high
    assert pd.Series(row).equals(pd.Series(fill_statistics(requisitions)))  # a fixed seed
    assert math.isnan(row["time_to_fill_days_p90"])  # a quarter censored at day 8, the last day
    assert set(row) == set(FILL_COLUMNS)


@pytest.fixture(scope="module")
def small_run():
    document = {"name": "reqs", "seed": 5, "horizon_days": 120,
                "company": {"requisitions": 3, "openings": 2},
                "sweep": {"team.recruiter": [1, 2]}}  # fmt: skip
    return sim.load_scenario(plain(document))


def test_summary_carries_time_to_fill_and_decision_with_intervals(small_run):
    results = sim.run(small_run, replications=4, workers=1)
    summary, requisitions = results.summary, results.requisitions
    assert len(requisitions) == 2 * 4 * 3  # cells x replications x requisitions
    assert set(requisitions.columns) >= {"team.recruiter", "cell"}
    for _, row in summary.iterrows():
        mine = requisitions[requisitions["cell"] == row["cell"]]
        assert row["requisitions"] == 12
        assert row["requisitions_filled"] == mine["filled"].sum()
        assert row["requisitions_censored"] == (~mine["filled"]).sum()
        assert row["fill_rate"] == pytest.approx(mine["filled"].mean())
        for name in ("time_to_fill_days_median", "time_to_fill_days_p90",
                     "time_to_decision_days_mean", "time_to_decision_days_median",
                     "time_to_decision_days_p90"):  # fmt: skip
            point, low, high = row[name], row[f"{name}_ci_low"], row[f"{name}_ci_high"]
            if not math.isnan(point) and not math.isnan(high):
                assert low <= point <= high, name
        assert not math.isnan(row["time_to_decision_days_median"])
    # summarise without requisitions still gives the candidates' columns alone
    alone = summarise(results.applicants, ["team.recruiter"], 4)
    assert not set(FILL_COLUMNS) & set(alone.columns)


def test_requisitions_are_the_same_serial_and_on_two_workers(small_run):
    serial = sim.run(small_run, replications=3, workers=1)
    parallel = sim.run(small_run, replications=3, workers=2)
    assert_frame_equal(serial.requisitions, parallel.requisitions)
    assert_frame_equal(serial.summary, parallel.summary)


def test_the_requisitions_table_reaches_the_results_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.yaml").write_text(
        "name: t\nhorizon_days: 60\ncompany: {requisitions: 2}\n"
        "sweep: {applicants.per_requisition: [3, 5]}\n"
    )
    assert main(["run", "t.yaml", "--out", "out", "--replications", "2", "--workers", "1",
                 "--quiet"]) == 0  # fmt: skip
    written = pd.read_csv(tmp_path / "out" / "requisitions.csv")
    expected = sim.run(sim.load_scenario(tmp_path / "t.yaml"), replications=2).requisitions
    assert_frame_equal(written, expected, check_dtype=False)
    summary = pd.read_csv(tmp_path / "out" / "summary.csv")
    assert set(FILL_COLUMNS) <= set(summary.columns)
    assert "requisitions.csv" in (tmp_path / "out" / ".hiresim-result.json").read_text()


# -- requisitions opening during the run -------------------------------------------------------

OPENING = {"name": "opening", "seed": 9, "horizon_days": 120, "calendar": None,
           "company": {"requisitions": 2, "requisitions_per_month": 6},
           "team": {"hiring_manager": 50, "recruiter": 50}}  # fmt: skip
"""Two requisitions at the start and about six more a month, a team too large to queue."""


def test_requisitions_open_at_the_gaps_of_their_own_stream():
    scenario = sim.load_scenario(OPENING)
    tables = sim.simulate(scenario, replication=1)
    frame, applicants = tables["requisitions"], tables["applicants"]
    opened = frame["opened_day"].to_numpy()
    assert list(frame["requisition"]) == list(range(len(frame)))
    assert list(opened[:2]) == [0.0, 0.0]
    # exponential gaps of mean 365.25 / 12 / 6 days from the `requisition_opening` stream
    gaps = Streams(9, 1).rng("requisition_opening").exponential(365.25 / 12 / 6, len(frame) + 1)
    days = np.cumsum(gaps)
    assert np.allclose(opened[2:], days[: len(frame) - 2])
    assert days[len(frame) - 2] > 120 > opened[-1]  # the next one would open after the horizon
    assert 15 <= len(frame) - 2 <= 40  # about 24 expected
    # candidates come after their requisition opens; time to fill runs from the opening
    arrived = applicants.groupby("requisition")["arrived_day"].min()
    assert (arrived.to_numpy() >= opened[arrived.index]).all()
    filled = frame[frame["filled"]]
    assert np.allclose(filled["time_to_fill_days"], filled["filled_day"] - filled["opened_day"])
    unfilled = frame[~frame["filled"]]
    assert np.allclose(unfilled["days_open"], 120 - unfilled["opened_day"])


def test_requisitions_opening_later_leave_the_first_ones_draws_alone():
    # common random numbers: the first requisitions' candidates are the same with or without
    # later ones (the team is large enough that nobody queues)
    alone = sim.load_scenario(
        {**OPENING, "company": {"requisitions": 2, "requisitions_per_month": 0}}
    )
    more = sim.load_scenario(OPENING)
    first, second = (sim.simulate(s, 0)["applicants"] for s in (alone, more))
    second = second[second["requisition"] < 2].reset_index(drop=True)
    columns = ["requisition", "applicant", "arrived_day", "quality", "outcome", "exit_day"]
    assert_frame_equal(first[columns], second[columns])


def test_work_estimate_counts_requisitions_opening_later():
    scenario = sim.load_scenario({"name": "busy", "horizon_days": 365,
                                  "company": {"requisitions": 1,
                                              "requisitions_per_month": 1000}})  # fmt: skip
    # 1 at the start, and 1,000 a month over 365 days (11.99 months): 11,992 more
    assert limits.requisitions(scenario) == 1 + 11_992
    problems = limits.work_problems([scenario], 1)
    assert problems == [
        "company.requisitions and requisitions_per_month: 11,993 in one replication (expected) "
        "is more than the limit of 10,000 (raise it with --max-requisitions)"
    ]
    assert limits.candidates(scenario) == 11_993 * 8 * (1 + 3)  # per requisition, searches
    with pytest.raises(ValueError, match="requisitions_per_month"):
        sim.run(scenario, replications=1)


def test_load_warning_counts_requisitions_opening_later():
    # batch arrivals alone give no rate; 300 requisitions a month of 8 candidates each do
    document = {"name": "w", "applicants": {"arrivals": {"process": "batch"}},
                "company": {"requisitions": 1, "requisitions_per_month": 0}}  # fmt: skip
    assert cell_warnings(sim.load_scenario(document)) == []
    busier = sim.load_scenario({**document, "company": {"requisitions_per_month": 300}})
    assert "team.hiring_manager" in [line.split(":")[0] for line in cell_warnings(busier)]


def test_headline_gives_the_requisitions_when_the_summary_has_them():
    row = pd.Series({"requisitions": 30, "requisitions_filled": 29,
                     "time_to_fill_days_median": 30.43, "time_to_fill_days_median_ci_low": 23.8,
                     "time_to_fill_days_median_ci_high": 32.6})  # fmt: skip
    assert fill_line(row) == (  # one replication: per replication, the counts as they are
        "per replication: 29 of 30 requisitions filled (97%), median days to fill 30.4 "
        "[23.8, 32.6]  (95% CI)"
    )
    none_filled = row.copy()
    none_filled[["requisitions_filled", "time_to_fill_days_median"]] = [0, float("nan")]
    assert fill_line(none_filled) == (
        "per replication: 0 of 30 requisitions filled (0%), median days to fill n/a")
    ten = pd.Series({**row, "replications": 30, "requisitions_filled": 29})
    assert fill_line(ten).startswith("per replication: 0.97 of 1 requisition filled (97%)")
    assert fill_line(pd.Series({"candidates": 3})) is None
