"""The event log's `assign` (issue 13): the instant a stage's own wait is over and its work is
asked of a team member. Between `schedule` and `start`, it tells the stage's wait (before it)
from queueing for a busy person or awaiting their working hours (after it), so a fit of the log
no longer folds the queue into the wait."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from plain import plain

import sim
from sim.execution.runner import simulate
from sim.execution.tablefiles import TableFiles
from sim.fit.estimate import estimate
from sim.fit.export import read_export
from sim.scenario.stages import JOURNEY, STATUS_UPDATE

CASE, STAGE, LIFECYCLE = "case:concept:name", "concept:name", "lifecycle:transition"
GROUPS = ("shortlisting", "decision")
"""The stages that may be worked in sessions (a pool, a committee meeting)."""

BUSY = {
    "name": "busy", "seed": 3, "horizon_days": 200,
    "company": {"requisitions": 2, "openings": 2},
    "team": {"hiring_manager": 1, "recruiter": 1, "committee": 1},
    "applicants": {"per_requisition": 12, "arrivals": {"process": "poisson", "rate_per_day": 1.0},
                   "max_reopens": 2, "reopen_after_days": 5},
    "candidate": {"patience": {"dist": "exponential", "mean": 15}},
}  # fmt: skip
"""A preset's stages and calendar with a small team, so candidates queue, withdraw while
queueing and get turned away (as `tests/test_invariants.py`'s PRESET_RUN)."""


def busy(size: str) -> dict[str, pd.DataFrame]:
    document = {**BUSY, "company": {**BUSY["company"], "size": size}}
    return sim.simulate(sim.load_scenario(document), replication=0)


def visits_of(events: pd.DataFrame) -> pd.DataFrame:
    """One row per visit of a candidate to a journey stage (a negotiation's rounds are visits,
    each beginning with its `schedule`): the stage's resource, each transition's count and
    its first time in the visit."""
    rows = events[events[STAGE].isin(JOURNEY)]
    visit = rows[LIFECYCLE].eq("schedule").groupby([rows[CASE], rows[STAGE]]).cumsum()
    keys = [rows[CASE], rows[STAGE], visit.rename("visit")]
    times = rows.groupby([*keys, rows[LIFECYCLE]])["time_days"]
    spans = times.first().unstack(LIFECYCLE)
    counts = times.size().unstack(LIFECYCLE, fill_value=0).add_prefix("n_")
    resource = rows.groupby(keys)["org:resource"].first()
    spans = spans.join(counts).join(resource).reset_index()
    for column in ("schedule", "assign", "start", "complete"):
        if column not in spans:
            spans[column], spans[f"n_{column}"] = np.nan, 0
    return spans


@pytest.mark.parametrize("size", ["small", "mid", "large"])
def test_every_started_visit_a_team_member_works_has_one_assign_between_schedule_and_start(size):
    tables = busy(size)
    visits = visits_of(tables["events"])
    held = visits[visits["org:resource"].notna()]
    started = held[held["start"].notna()]
    assert len(started) > 50 and set(started[STAGE]) >= {"initial_review", "follow_up"}
    assert (started["n_assign"] == 1).all()
    assert (started["n_schedule"] == 1).all() and (started["n_start"] == 1).all()
    assert (started["schedule"] <= started["assign"]).all()
    assert (started["assign"] <= started["start"]).all()
    # one not started yet (queueing, or left while queueing) has at most one
    assert (held["n_assign"] <= 1).all()

    # the log's assign is the visits table's (`Records.assigns`): the first asked instant
    first = started.groupby([CASE, STAGE])["assign"].first().rename("logged")
    table = tables["visits"].set_index([CASE, "stage"])["assign"]
    both = first.to_frame().join(table.rename_axis([CASE, STAGE]), how="left")
    assert len(both) == len(first) and both["assign"].notna().all()
    assert (both["logged"] == both["assign"]).all()
    if size == "large":  # pools and a committee: a session's members share its assign
        assert set(started[STAGE]) >= set(GROUPS)


def test_a_stage_no_one_works_on_logs_no_assign_nor_does_a_status_update():
    document = plain({
        "name": "no-one", "seed": 4, "horizon_days": 120, "company": {"size": "mid"},
        "applicants": {"per_requisition": 40,
                       "arrivals": {"process": "poisson", "rate_per_day": 1.0}},
        "candidate": {"patience": {"dist": "exponential", "mean": 60},
                      "status_updates": {"every": 7, "resource": "recruiter", "duration": 0.1}},
        "stages": {"reference_checks": {"resource": None, "duration": 0.5}},
    })  # fmt: skip
    events = sim.simulate(sim.load_scenario(document), replication=0)["events"]
    assigns = events[events[LIFECYCLE] == "assign"]
    assert len(assigns) > 0 and assigns["org:resource"].notna().all()
    unheld = events[events[STAGE].isin(JOURNEY) & events["org:resource"].isna()]
    assert {"reference_checks", "final_decision"} <= set(unheld[STAGE])  # they were visited
    assert set(assigns[STAGE]).isdisjoint({"reference_checks", "final_decision", STATUS_UPDATE})
    assert (events[STAGE] == STATUS_UPDATE).any()  # the updates ran, without an assign


@pytest.mark.parametrize("size", ["startup", "mid", "enterprise"])
def test_each_case_s_events_stay_in_time_order(size, tmp_path):
    tables = busy(size)
    events = tables["events"]
    assert (events[LIFECYCLE] == "assign").any()
    later = events.groupby(CASE, sort=False)["time_days"].diff().dropna()
    assert (later >= 0).all()
    # and in the written log too, chunk by chunk (`hiresim run`'s path): the same rows
    scenario = sim.load_scenario({**BUSY, "company": {**BUSY["company"], "size": size}})
    with TableFiles(tmp_path, "csv") as files:
        simulate(scenario, 0, files=files, chunk_rows=500)
    written = pd.read_csv(tmp_path / "events.csv")
    assert list(written[LIFECYCLE]) == list(events[LIFECYCLE])
    assert np.allclose(written["time_days"], events["time_days"])


def queue_for_review(people: int) -> dict:
    """Initial review only, a day's wait then 0.5 days of a recruiter's work (a pool: whoever
    is free), for 300 candidates arriving two a day: with one recruiter (utilisation 1) they
    queue."""
    return plain({
        "name": "queue", "seed": 9, "horizon_days": 400,
        "company": {"size": "small", "openings": 400},
        "team": {"hiring_manager": 1, "recruiter": people},
        "candidate": {"patience": None},
        "applicants": {"per_requisition": 300, "max_reopens": 0,
                       "arrivals": {"process": "poisson", "rate_per_day": 2}},
        "stages": {
            "initial_review": {"wait": 1, "duration": 0.5, "pass_prob": 0.0,
                               "resource": "recruiter"},
            "follow_up": {"enabled": False},
        },
    })  # fmt: skip


def assign_to_start(document: dict) -> np.ndarray:
    visits = visits_of(sim.simulate(sim.load_scenario(document), replication=0)["events"])
    review = visits[(visits[STAGE] == "initial_review") & visits["start"].notna()]
    assert len(review) > 100
    assert np.allclose(review["assign"] - review["schedule"], 1.0)  # the wait, exactly
    return (review["start"] - review["assign"]).to_numpy()


def test_assign_to_start_is_the_queue():
    # a recruiter for every candidate, no calendar: no one ever queues
    assert (assign_to_start(queue_for_review(1000)) == 0).all()
    # one recruiter for all: many queue, for days by the end
    gaps = assign_to_start(queue_for_review(1))
    assert (gaps > 0).mean() > 0.5 and gaps.max() > 5


WAIT_MEAN = 2.0
QUEUED = plain({
    "name": "queued-fit", "seed": 21, "horizon_days": 700,
    "company": {"size": "small", "openings": 1000},
    "team": {"hiring_manager": 1, "recruiter": 1},
    "candidate": {"patience": None},
    "applicants": {"per_requisition": 450, "max_reopens": 0,
                   "arrivals": {"process": "poisson", "rate_per_day": 1}},
    "stages": {
        "initial_review": {"wait": {"dist": "exponential", "mean": WAIT_MEAN},
                           "duration": 0.9, "pass_prob": 0.0, "resource": "hiring_manager"},
        "follow_up": {"enabled": False},
    },
})  # fmt: skip
"""One hiring manager reviews every candidate: 0.9 days of work each, a candidate a day (an
M/D/1 queue at utilisation 0.9 behind the exponential wait), so the queue is days long."""


def test_the_fit_of_a_queued_stage_recovers_its_wait_not_wait_plus_queue(tmp_path):
    results = sim.run(sim.load_scenario(QUEUED), replications=1, workers=1)
    path = tmp_path / "events.csv"
    results.events.to_csv(path, index=False)
    log = read_export(path)
    true_median = math.log(2) * WAIT_MEAN
    review = estimate(log).stages["initial_review"]
    assert review.assigned  # the wait ends at `assign`
    assert review.wait.ci[0] <= true_median <= review.wait.ci[1], review.wait
    assert review.wait.ci[1] - review.wait.ci[0] < 1  # informative
    # without the assigns the queue is folded into the wait: far too long
    folded = estimate(log[log.transition != "assign"]).stages["initial_review"]
    assert not folded.assigned and folded.wait.ci[0] > true_median + 1, folded.wait
