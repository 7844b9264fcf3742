"""Exact event times for hand-computable scenarios.

Every scenario here uses fixed durations (bare numbers), batch arrivals (everyone at day 0) and
no patience unless the test is about patience, with the stages it does not need disabled. The
expected event logs are written out by hand, with a comment deriving each number, in the manner
of SimPy's own `test_resources.py`: record `(who, what, when)` and assert the whole sequence.
Events at the same instant appear in the order the model runs them. A stage whose work a team
member does logs `assign` once its own wait is over (at once without one): from then until
`start` the candidate queues for the person.
"""

from __future__ import annotations

import copy
import math

import pandas as pd
import pytest

import sim
from sim.scenario import STAGE_NAMES as STAGES
from sim.scenario.stages import OPENING_GIVEN

HM, REC, COM = "hiring_manager", "recruiter", "committee"


def scenario(stages: dict, *, n: int = 2, openings: int = 1, **fields) -> dict:
    """A scenario dict in continuous time: every stage disabled except `stages`, batch
    arrivals of `n`, no patience, one hiring manager and one recruiter, one requisition, no
    reopened searches."""
    document = {
        "name": "exact",
        "seed": 11,
        "horizon_days": 1000,
        "company": {
            "size": "small",
            "requisitions": 1,
            "requisitions_per_month": 0,
            "openings": openings,
        },
        "calendar": None,  # continuous time: these times are worked out by hand
        "team": {HM: 1, REC: 1},
        "applicants": {
            "per_requisition": n,
            "arrivals": {"process": "batch"},
            "max_reopens": 0,
            "reopen_after_days": 14,
        },
        "candidate": {"patience": None},
        "stages": {name: {"enabled": False} for name in STAGES},
    }
    for name, spec in stages.items():
        # `wait: None` unless given, so the preset's random waits never leak in; `validity:
        # None` unless given, so rankings sort on true quality, as in the hand derivations
        document["stages"][name] = {"enabled": True, "wait": None, "pass_prob": 1.0,
                                    "validity": None, **spec}  # fmt: skip
    for path, value in fields.items():
        node = document
        *parents, leaf = path.split("__")
        for part in parents:
            node = node[part]
        node[leaf] = copy.deepcopy(value)
    return document


def simulate(document: dict, replication: int = 0) -> dict[str, pd.DataFrame]:
    return sim.simulate(sim.load_scenario(document), replication)


def log(tables: dict[str, pd.DataFrame], opening_given: bool = False) -> list[tuple]:
    """The event log as (candidate, stage, transition, day, resource) tuples, short ids;
    without the `opening_given` milestones (one per approved candidate given an opening, just
    before the sign-off and the offer) unless asked: the tests of them are their own."""
    events = tables["events"]
    if not opening_given:
        events = events[events["concept:name"] != OPENING_GIVEN]
    rows = []
    for case, stage, transition, day, resource in events[
        ["case:concept:name", "concept:name", "lifecycle:transition", "time_days", "org:resource"]
    ].itertuples(index=False):
        short = case.split("-", 2)[2]  # c0-r0-q0-a1 -> q0-a1
        resource = None if resource is None or pd.isna(resource) else resource
        rows.append((short, stage, transition, day, resource))
    return rows


def applicant(tables, req: int, number: int) -> pd.Series:
    frame = tables["applicants"]
    rows = frame[(frame["requisition"] == req) & (frame["applicant"] == number)]
    assert len(rows) == 1
    return rows.iloc[0]


def nan_or(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def fates(tables) -> list[tuple]:
    """(candidate, outcome, exit_day, offer_day, hired_day) per candidate, NaN as None."""
    frame = tables["applicants"]
    return [
        (f"q{r.requisition}-a{r.applicant}", r.outcome, nan_or(r.exit_day),
         nan_or(r.offer_day), nan_or(r.hired_day))
        for r in frame.itertuples(index=False)
    ]  # fmt: skip


# -- queueing for a resource ----------------------------------------------------------------------

REVIEW_2 = {"initial_review": {"resource": HM, "duration": 2}}


def test_two_candidates_queue_fcfs_for_one_hiring_manager():
    # Both arrive at day 0 and ask for the only hiring manager (the review has no wait: each
    # is assigned as it is scheduled). a0 is first: review 0 -> 2. a1 waits in the queue from
    # its assign at 0 and starts when a0 completes: 2 -> 4. Two openings, every later
    # stage disabled, so each is offered (the `offer` milestone: follow-up disabled, no one
    # does it) and hired the moment its review completes.
    tables = simulate(scenario(REVIEW_2, openings=2))
    assert log(tables) == [
        ("q0-a0", "initial_review", "schedule", 0.0, HM),
        ("q0-a0", "initial_review", "assign", 0.0, HM),
        ("q0-a1", "initial_review", "schedule", 0.0, HM),
        ("q0-a1", "initial_review", "assign", 0.0, HM),
        ("q0-a0", "initial_review", "start", 0.0, HM),
        ("q0-a0", "initial_review", "complete", 2.0, HM),
        ("q0-a0", "offer", "complete", 2.0, None),
        ("q0-a0", "hired", "complete", 2.0, None),
        ("q0-a1", "initial_review", "start", 2.0, HM),
        ("q0-a1", "initial_review", "complete", 4.0, HM),
        ("q0-a1", "offer", "complete", 4.0, None),
        ("q0-a1", "hired", "complete", 4.0, None),
    ]
    assert fates(tables) == [
        ("q0-a0", "hired", 2.0, 2.0, 2.0),
        ("q0-a1", "hired", 4.0, 4.0, 4.0),
    ]


def test_two_requisitions_share_one_hiring_manager():
    # One candidate per requisition, both at day 0; requisition 0's arrivals run first, so its
    # candidate is served 0 -> 2 and requisition 1's waits for the same manager: 2 -> 4. Each is
    # offered and hired as its review completes.
    tables = simulate(scenario(REVIEW_2, n=1, company__requisitions=2))
    assert log(tables) == [
        ("q0-a0", "initial_review", "schedule", 0.0, HM),
        ("q0-a0", "initial_review", "assign", 0.0, HM),
        ("q1-a0", "initial_review", "schedule", 0.0, HM),
        ("q1-a0", "initial_review", "assign", 0.0, HM),  # queues 0 -> 2
        ("q0-a0", "initial_review", "start", 0.0, HM),
        ("q0-a0", "initial_review", "complete", 2.0, HM),
        ("q0-a0", "offer", "complete", 2.0, None),
        ("q0-a0", "hired", "complete", 2.0, None),
        ("q1-a0", "initial_review", "start", 2.0, HM),
        ("q1-a0", "initial_review", "complete", 4.0, HM),
        ("q1-a0", "offer", "complete", 4.0, None),
        ("q1-a0", "hired", "complete", 4.0, None),
    ]


def test_team_table_tracks_the_queue_handover():
    # Same run as the FCFS test: the manager is busy from 0 to 4 without a break, one waiting
    # from 0 to 2 and no one after. (A regression test: the level used to be recorded only at
    # requests and releases, so the hand-over to a1 at day 2 was missed and the table showed
    # busy 0, queue 1 from 2 to 4.)
    team = simulate(scenario(REVIEW_2, openings=2))["team_levels"]
    manager = team[(team["resource"] == HM) & team["busy"].notna()]
    level = manager.groupby("time_days")[["busy", "queue"]].last()  # the level in force after t
    assert level.loc[0.0].tolist() == [1, 1]
    assert level.loc[2.0].tolist() == [1, 0]  # a1 took over the manager at day 2
    assert level.loc[4.0].tolist() == [0, 0]
    # the time-weighted busy level over [0, 4] is 1: the manager never idled
    times = level.index.to_numpy()
    busy = (level["busy"].to_numpy()[:-1] * (times[1:] - times[:-1])).sum() / (4.0 - 0.0)
    assert busy == pytest.approx(1.0)


def test_wait_holds_no_one_and_precedes_the_work():
    # Reference checks: wait 3 days for referees (holding no one), then 1 day of recruiter work.
    # Both candidates schedule at 0 and wait side by side until 3; a0 takes the recruiter 3 -> 4,
    # a1 (its wait also over at 3) queues and works 4 -> 5. Each is offered and hired then.
    stages = {"reference_checks": {"resource": REC, "wait": 3, "duration": 1}}
    tables = simulate(scenario(stages, openings=2))
    assert log(tables) == [
        ("q0-a0", "reference_checks", "schedule", 0.0, REC),
        ("q0-a1", "reference_checks", "schedule", 0.0, REC),
        ("q0-a0", "reference_checks", "assign", 3.0, REC),  # the waits end: both ask at 3
        ("q0-a1", "reference_checks", "assign", 3.0, REC),
        ("q0-a0", "reference_checks", "start", 3.0, REC),
        ("q0-a0", "reference_checks", "complete", 4.0, REC),
        ("q0-a0", "offer", "complete", 4.0, None),
        ("q0-a0", "hired", "complete", 4.0, None),
        ("q0-a1", "reference_checks", "start", 4.0, REC),
        ("q0-a1", "reference_checks", "complete", 5.0, REC),
        ("q0-a1", "offer", "complete", 5.0, None),
        ("q0-a1", "hired", "complete", 5.0, None),
    ]


# -- the committee --------------------------------------------------------------------------------


def test_committee_meets_every_seven_days_and_decides_everyone_waiting():
    # Reviews of 3 days one after another put the four candidates on the committee's docket at
    # days 3, 6, 9 and 12. The committee meets at day 7 (one cadence after day 0) for 0.5 days:
    # a0 and a1 start at 7 and are decided at 7.5. The next meeting is day 14: a2 and a3 start at
    # 14 and are decided at 14.5. Four openings, so everyone decided is offered and hired at once.
    stages = {
        "initial_review": {"resource": HM, "duration": 3},
        "decision": {"resource": COM, "duration": 0.5, "meets_every_days": 7},
    }
    tables = simulate(scenario(stages, n=4, openings=4, team={HM: 1, REC: 1, COM: 1}))
    review = [
        (f"q0-a{i}", "initial_review", transition, day, HM)
        for i in range(4)
        for transition, day in (("start", 3.0 * i), ("complete", 3.0 * (i + 1)))
    ]
    got = log(tables)
    asked = [e for e in got if e[1] == "initial_review" and e[2] == "assign"]
    assert asked == [(f"q0-a{i}", "initial_review", "assign", 0.0, HM) for i in range(4)]
    assert [e for e in got if e[1] == "initial_review"
            and e[2] not in ("schedule", "assign")] == review  # fmt: skip
    assert [e for e in got if e[1] != "initial_review"] == [
        ("q0-a0", "decision", "schedule", 3.0, COM),
        ("q0-a1", "decision", "schedule", 6.0, COM),
        ("q0-a0", "decision", "assign", 7.0, COM),  # the meeting asks for the committee
        ("q0-a1", "decision", "assign", 7.0, COM),
        ("q0-a0", "decision", "start", 7.0, COM),
        ("q0-a1", "decision", "start", 7.0, COM),
        ("q0-a0", "decision", "complete", 7.5, COM),
        ("q0-a1", "decision", "complete", 7.5, COM),
        ("q0-a0", "offer", "complete", 7.5, None),
        ("q0-a0", "hired", "complete", 7.5, None),
        ("q0-a1", "offer", "complete", 7.5, None),
        ("q0-a1", "hired", "complete", 7.5, None),
        ("q0-a2", "decision", "schedule", 9.0, COM),
        ("q0-a3", "decision", "schedule", 12.0, COM),
        ("q0-a2", "decision", "assign", 14.0, COM),
        ("q0-a3", "decision", "assign", 14.0, COM),
        ("q0-a2", "decision", "start", 14.0, COM),
        ("q0-a3", "decision", "start", 14.0, COM),
        ("q0-a2", "decision", "complete", 14.5, COM),
        ("q0-a3", "decision", "complete", 14.5, COM),
        ("q0-a2", "offer", "complete", 14.5, None),
        ("q0-a2", "hired", "complete", 14.5, None),
        ("q0-a3", "offer", "complete", 14.5, None),
        ("q0-a3", "hired", "complete", 14.5, None),
    ]
    assert [f[2] for f in fates(tables)] == [7.5, 7.5, 14.5, 14.5]


def test_committee_meets_at_its_slots_whatever_the_candidates_prepare():
    # Reviews of 4 days one after another end at 4, 8 and 12; each candidate then prepares its
    # case for a fixed 2 days (the decision's `wait`) and joins the docket at 6, 10 and 14. The
    # committee meets at its slots, days 4, 11, 18, ... (first_meeting_day 4, every 7 days): the
    # meeting at 11 decides a0 and a1 (11 -> 11.5), the one at 18 decides a2 (18 -> 18.5). The
    # preparation is each candidate's, never the meeting's. (A regression test: every meeting
    # also waited a `wait` of its own, drawn from requisition 0's stream, and began at 13 and 20.)
    stages = {
        "initial_review": {"resource": HM, "duration": 4},
        "decision": {"resource": COM, "wait": 2, "duration": 0.5, "meets_every_days": 7,
                     "first_meeting_day": 4},
    }  # fmt: skip
    tables = simulate(scenario(stages, n=3, openings=3, team={HM: 1, REC: 1, COM: 1}))
    assert [e for e in log(tables) if e[1] == "decision"] == [
        ("q0-a0", "decision", "schedule", 4.0, COM),
        ("q0-a1", "decision", "schedule", 8.0, COM),
        ("q0-a0", "decision", "assign", 11.0, COM),  # at the meeting's slot, not on the docket
        ("q0-a1", "decision", "assign", 11.0, COM),
        ("q0-a0", "decision", "start", 11.0, COM),
        ("q0-a1", "decision", "start", 11.0, COM),
        ("q0-a0", "decision", "complete", 11.5, COM),
        ("q0-a1", "decision", "complete", 11.5, COM),
        ("q0-a2", "decision", "schedule", 12.0, COM),
        ("q0-a2", "decision", "assign", 18.0, COM),
        ("q0-a2", "decision", "start", 18.0, COM),
        ("q0-a2", "decision", "complete", 18.5, COM),
    ]
    assert [f[2] for f in fates(tables)] == [11.5, 11.5, 18.5]


def test_committee_meetings_stay_on_their_slots_with_random_preparation():
    # Random preparation times (exponential waits, several requisitions) change who is on which
    # docket, never when the committee meets: every meeting starts on a slot, 3.5 + 7k, as the
    # committee has no other work to wait for.
    stages = {
        "initial_review": {"resource": HM, "duration": {"dist": "exponential", "mean": 1}},
        "decision": {"resource": COM, "wait": {"dist": "exponential", "mean": 3},
                     "duration": 0.25, "meets_every_days": 7, "first_meeting_day": 3.5},
    }  # fmt: skip
    tables = simulate(scenario(stages, n=8, openings=8, company__requisitions=3,
                               team={HM: 2, REC: 1, COM: 1}))  # fmt: skip
    starts = {e[3] for e in log(tables) if e[1:3] == ("decision", "start")}
    assert len(starts) >= 3
    assert all((day - 3.5) / 7 == round((day - 3.5) / 7) for day in starts), sorted(starts)


# -- shortlisting pools ---------------------------------------------------------------------------


def test_shortlist_pool_keeps_the_best_by_quality():
    # Reviews of 1 day: a0 joins the pool at 1, a1 at 2, a2 at 3. The pool closes when the last
    # candidate of the search is reviewed (day 3); one session of 0.5 days holds the manager
    # 3 -> 3.5, then the best by quality is kept (no stage has a validity: the ranking is on true
    # quality) and offered and hired at once (one opening); the rest wait in the reserve (no
    # `reserve_days`: until the requisition fills) and are rejected when the hire fills it.
    stages = {
        "initial_review": {"resource": HM, "duration": 1},
        "shortlisting": {"resource": HM, "duration": 0.5, "keep": 1, "pool_days": None},
    }
    tables = simulate(scenario(stages, n=3))
    applicants = tables["applicants"]
    ranked = [f"q0-a{a}" for a in applicants.sort_values("quality", ascending=False)["applicant"]]
    best, *rest = ranked
    assert applicant(tables, 0, int(best[-1]))["quality"] == applicants["quality"].max()

    # every review is asked of the manager at 0, as it is scheduled; they queue one by one
    expected = [(f"q0-a{i}", "initial_review", "assign", 0.0, HM) for i in range(3)]
    for i in range(3):
        expected.append((f"q0-a{i}", "initial_review", "start", float(i), HM))
        expected.append((f"q0-a{i}", "initial_review", "complete", float(i + 1), HM))
        expected.append((f"q0-a{i}", "shortlisting", "schedule", float(i + 1), HM))
    # the pool closes at 3: its session asks for the manager for everyone in it
    expected += [(f"q0-a{i}", "shortlisting", "assign", 3.0, HM) for i in range(3)]
    expected += [(f"q0-a{i}", "shortlisting", "start", 3.0, HM) for i in range(3)]
    # the session reports its verdicts best first; the reserve is turned away once it is filled
    expected += [(c, "shortlisting", "complete", 3.5, HM) for c in ranked]
    expected += [(best, "offer", "complete", 3.5, None), (best, "hired", "complete", 3.5, None)]
    expected += [(c, "rejected", "complete", 3.5, None) for c in rest]
    assert [e for e in log(tables) if e[2:] != ("schedule", 0.0, HM)] == expected
    outcome = dict(zip(applicants["applicant"], applicants["outcome"], strict=True))
    assert outcome[int(best[-1])] == "hired"
    assert sorted(outcome.values()) == ["hired", "rejected", "rejected"]
    assert set(applicants.loc[applicants["outcome"] == "rejected", "exit_stage"]) == {
        "shortlisting"
    }


def test_shortlist_pool_days_closes_a_pool_early():
    # Reviews of 2 days: a0 joins the pool at 2, a1 at 4, a2 at 6. pool_days 3 closes the first
    # pool at 2 + 3 = 5 with {a0, a1}; its session asks for the manager then (their `assign`),
    # queues behind a2's review and holds the manager 6 -> 6.5. a2 joins a fresh pool at 6,
    # which closes at once (the search is all reviewed): assigned at 6, its session queues
    # behind the first and starts at 6.5. Each pool keeps one; two openings.
    # The first pool's best (by true quality: no validity) is a finalist, approved at once and
    # offered opening 1 at 6.5; its other member went to the reserve. With no finalist left
    # undecided, no one on the backup list and opening 2 free, the reserve goes forward at 6.5
    # (`reserve_promotion`, before a2's pool is decided) and takes opening 2: both are offered and
    # hired at 6.5, which fills the requisition, and a2 is turned away from its session at 6.5.
    stages = {
        "initial_review": {"resource": HM, "duration": 2},
        "shortlisting": {"resource": HM, "duration": 0.5, "keep": 1, "pool_days": 3},
    }
    tables = simulate(scenario(stages, n=3, openings=2))
    quality = tables["applicants"].set_index("applicant")["quality"]
    best, worst = (0, 1) if quality[0] > quality[1] else (1, 0)
    got = [e for e in log(tables) if e[1] == "shortlisting" or e[2] == "complete"]
    assert got == [
        ("q0-a0", "initial_review", "complete", 2.0, HM),
        ("q0-a0", "shortlisting", "schedule", 2.0, HM),
        ("q0-a1", "initial_review", "complete", 4.0, HM),
        ("q0-a1", "shortlisting", "schedule", 4.0, HM),
        ("q0-a0", "shortlisting", "assign", 5.0, HM),  # the first pool closes
        ("q0-a1", "shortlisting", "assign", 5.0, HM),
        ("q0-a2", "initial_review", "complete", 6.0, HM),
        ("q0-a2", "shortlisting", "schedule", 6.0, HM),
        ("q0-a2", "shortlisting", "assign", 6.0, HM),  # the second closes at once
        ("q0-a0", "shortlisting", "start", 6.0, HM),
        ("q0-a1", "shortlisting", "start", 6.0, HM),
        (f"q0-a{best}", "shortlisting", "complete", 6.5, HM),
        (f"q0-a{worst}", "shortlisting", "complete", 6.5, HM),
        (f"q0-a{worst}", "reserve_promotion", "complete", 6.5, None),
        ("q0-a2", "shortlisting", "start", 6.5, HM),
        (f"q0-a{best}", "offer", "complete", 6.5, None),
        (f"q0-a{best}", "hired", "complete", 6.5, None),
        (f"q0-a{worst}", "offer", "complete", 6.5, None),
        (f"q0-a{worst}", "hired", "complete", 6.5, None),
        ("q0-a2", "rejected", "complete", 6.5, None),
    ]


# -- offers, negotiation, acceptance --------------------------------------------------------------

OFFER_STAGES = {
    "initial_review": {"resource": HM, "duration": 1},
    "follow_up": {"resource": REC, "wait": 2, "duration": 0.5, "second_interview_prob": 0},
    "final_decision": {"duration": 3, "accept_prob": 1.0, "accept_prob_loss_per_week": 0},
    "onboarding": {"resource": REC, "wait": 4, "duration": 1},
}


def test_offer_day_time_to_offer_and_hire():
    # Review 0 -> 1; follow-up: 2 days' wait (offer approval) then the recruiter 3 -> 3.5, when
    # the offer is extended (the `offer` milestone, by the follow-up's recruiter): offer_day 3.5.
    # The candidate decides 3.5 -> 6.5 and accepts;
    # onboarding waits 4 days and takes the recruiter 10.5 -> 11.5: hired at 11.5.
    tables = simulate(scenario(OFFER_STAGES, n=1))
    assert log(tables) == [
        ("q0-a0", "initial_review", "schedule", 0.0, HM),
        ("q0-a0", "initial_review", "assign", 0.0, HM),
        ("q0-a0", "initial_review", "start", 0.0, HM),
        ("q0-a0", "initial_review", "complete", 1.0, HM),
        ("q0-a0", "follow_up", "schedule", 1.0, REC),
        ("q0-a0", "follow_up", "assign", 3.0, REC),  # approved: asked of the recruiter
        ("q0-a0", "follow_up", "start", 3.0, REC),
        ("q0-a0", "follow_up", "complete", 3.5, REC),
        ("q0-a0", "offer", "complete", 3.5, REC),
        ("q0-a0", "final_decision", "schedule", 3.5, None),
        ("q0-a0", "final_decision", "start", 3.5, None),
        ("q0-a0", "final_decision", "complete", 6.5, None),
        ("q0-a0", "onboarding", "schedule", 6.5, REC),
        ("q0-a0", "onboarding", "assign", 10.5, REC),
        ("q0-a0", "onboarding", "start", 10.5, REC),
        ("q0-a0", "onboarding", "complete", 11.5, REC),
        ("q0-a0", "hired", "complete", 11.5, None),
    ]
    row = applicant(tables, 0, 0)
    assert (row["offer_day"], row["time_to_offer_days"]) == (3.5, 3.5)
    assert (row["hired_day"], row["time_to_hire_days"]) == (11.5, 11.5)
    assert row["exit_stage"] == "onboarding"


def test_second_interview_before_the_offer():
    # second_interview_prob 1: after review (0 -> 1) the follow-up schedules, then a second
    # interview waits 1 day for calendars and takes the manager 2 -> 2.25; the follow-up's
    # recruiter work follows at once, 2.25 -> 2.75, and the offer is extended at 2.75.
    stages = {
        "initial_review": {"resource": HM, "duration": 1},
        "follow_up": {
            "resource": REC,
            "duration": 0.5,
            "second_interview_prob": 1,
            "second_interview": {
                "enabled": True,
                "resource": HM,
                "wait": 1,
                "duration": 0.25,
                "pass_prob": 1.0,
            },
        },  # fmt: skip
    }
    tables = simulate(scenario(stages, n=1))
    assert log(tables)[3:] == [
        ("q0-a0", "initial_review", "complete", 1.0, HM),
        ("q0-a0", "follow_up", "schedule", 1.0, REC),
        ("q0-a0", "second_interview", "schedule", 1.0, HM),
        ("q0-a0", "second_interview", "assign", 2.0, HM),
        ("q0-a0", "second_interview", "start", 2.0, HM),
        ("q0-a0", "second_interview", "complete", 2.25, HM),
        ("q0-a0", "follow_up", "assign", 2.25, REC),  # no approvals to wait for
        ("q0-a0", "follow_up", "start", 2.25, REC),
        ("q0-a0", "follow_up", "complete", 2.75, REC),
        ("q0-a0", "offer", "complete", 2.75, REC),
        ("q0-a0", "hired", "complete", 2.75, None),
    ]
    assert applicant(tables, 0, 0)["offer_day"] == 2.75


NEGOTIATION = {
    "initial_review": {"resource": HM, "duration": 1},
    "negotiation": {"resource": REC, "wait": 1, "duration": 0.25, "rounds": 2,
                    "walk_away_prob": 0},
    "final_decision": {"duration": 3, "accept_prob": 1.0, "accept_prob_loss_per_week": 0},
}  # fmt: skip


@pytest.mark.parametrize("rounds", [2, {"dist": "fixed", "value": 2}])
def test_negotiation_runs_its_fixed_rounds(rounds):
    # Review 0 -> 1; with follow-up disabled the offer is extended at 1. Two rounds, each a day's
    # wait then a quarter day of the recruiter: 1 -> 2 -> 2.25, then 2.25 -> 3.25 -> 3.5. The
    # candidate decides 3.5 -> 6.5 and accepts.
    stages = copy.deepcopy(NEGOTIATION)
    stages["negotiation"]["rounds"] = rounds
    tables = simulate(scenario(stages, n=1))
    assert log(tables)[4:] == [
        ("q0-a0", "offer", "complete", 1.0, None),
        ("q0-a0", "negotiation", "schedule", 1.0, REC),
        ("q0-a0", "negotiation", "assign", 2.0, REC),  # each round: its own assign
        ("q0-a0", "negotiation", "start", 2.0, REC),
        ("q0-a0", "negotiation", "complete", 2.25, REC),
        ("q0-a0", "negotiation", "schedule", 2.25, REC),
        ("q0-a0", "negotiation", "assign", 3.25, REC),
        ("q0-a0", "negotiation", "start", 3.25, REC),
        ("q0-a0", "negotiation", "complete", 3.5, REC),
        ("q0-a0", "final_decision", "schedule", 3.5, None),
        ("q0-a0", "final_decision", "start", 3.5, None),
        ("q0-a0", "final_decision", "complete", 6.5, None),
        ("q0-a0", "hired", "complete", 6.5, None),
    ]
    assert fates(tables) == [("q0-a0", "hired", 6.5, 1.0, 6.5)]


def test_negotiation_walk_away_declines_after_the_first_round():
    # walk_away_prob 1: the first round (1 -> 2 -> 2.25) ends with the candidate walking away:
    # declined at 2.25, after an offer at 1; no second round, no final decision.
    stages = copy.deepcopy(NEGOTIATION)
    stages["negotiation"]["walk_away_prob"] = 1.0
    tables = simulate(scenario(stages, n=1))
    assert log(tables)[4:] == [
        ("q0-a0", "offer", "complete", 1.0, None),
        ("q0-a0", "negotiation", "schedule", 1.0, REC),
        ("q0-a0", "negotiation", "assign", 2.0, REC),
        ("q0-a0", "negotiation", "start", 2.0, REC),
        ("q0-a0", "negotiation", "complete", 2.25, REC),
        ("q0-a0", "declined", "complete", 2.25, None),
    ]
    assert fates(tables) == [("q0-a0", "declined", 2.25, 1.0, None)]
    assert applicant(tables, 0, 0)["exit_stage"] == "negotiation"


# -- filling, declining, reopening ----------------------------------------------------------------


def test_filled_requisition_rejects_the_rest_with_a_notice():
    # One opening, three candidates. a0: review 0 -> 1, follow-up (recruiter) 1 -> 1.5: offer and,
    # with no later stage, hired at 1.5. That fills the requisition: a1 (in review with the
    # manager since 1) and a2 (queued) are rejected at 1.5 and each gets a rejection notice of
    # 0.25 days of the recruiter, one after the other: 1.5 -> 1.75 and 1.75 -> 2.
    stages = {
        "initial_review": {"resource": HM, "duration": 1},
        "follow_up": {"resource": REC, "duration": 0.5, "second_interview_prob": 0,
                      "rejection_duration": 0.25},
    }  # fmt: skip
    tables = simulate(scenario(stages, n=3))
    assert log(tables) == [
        ("q0-a0", "initial_review", "schedule", 0.0, HM),
        ("q0-a0", "initial_review", "assign", 0.0, HM),
        ("q0-a1", "initial_review", "schedule", 0.0, HM),
        ("q0-a1", "initial_review", "assign", 0.0, HM),
        ("q0-a2", "initial_review", "schedule", 0.0, HM),
        ("q0-a2", "initial_review", "assign", 0.0, HM),
        ("q0-a0", "initial_review", "start", 0.0, HM),
        ("q0-a0", "initial_review", "complete", 1.0, HM),
        ("q0-a0", "follow_up", "schedule", 1.0, REC),
        ("q0-a0", "follow_up", "assign", 1.0, REC),
        ("q0-a1", "initial_review", "start", 1.0, HM),
        ("q0-a0", "follow_up", "start", 1.0, REC),
        ("q0-a0", "follow_up", "complete", 1.5, REC),
        ("q0-a0", "offer", "complete", 1.5, REC),
        ("q0-a0", "hired", "complete", 1.5, None),
        ("q0-a1", "rejected", "complete", 1.5, None),
        ("q0-a1", "rejection_notice", "schedule", 1.5, REC),
        ("q0-a1", "rejection_notice", "assign", 1.5, REC),  # a notice has no wait
        ("q0-a2", "rejected", "complete", 1.5, None),
        ("q0-a2", "rejection_notice", "schedule", 1.5, REC),
        ("q0-a2", "rejection_notice", "assign", 1.5, REC),  # queues 1.5 -> 1.75
        ("q0-a1", "rejection_notice", "start", 1.5, REC),
        ("q0-a1", "rejection_notice", "complete", 1.75, REC),
        ("q0-a2", "rejection_notice", "start", 1.75, REC),
        ("q0-a2", "rejection_notice", "complete", 2.0, REC),
    ]
    assert fates(tables) == [
        ("q0-a0", "hired", 1.5, 1.5, 1.5),
        ("q0-a1", "rejected", 1.5, None, None),
        ("q0-a2", "rejected", 1.5, None, None),
    ]
    assert list(tables["applicants"]["exit_stage"]) == ["follow_up", "initial_review",
                                                        "initial_review"]  # fmt: skip


def test_patience_withdraws_at_arrival_plus_patience():
    # Patience 3 days for everyone; reviews of 2 days one after another, three openings. a0 is
    # reviewed 0 -> 2 and hired at 2. a1 is being reviewed (since 2) and a2 is still queued when
    # their patience runs out at 0 + 3: both withdraw at exactly 3, freeing the manager.
    tables = simulate(scenario(REVIEW_2, n=3, openings=3, candidate={"patience": 3}))
    assert log(tables) == [
        ("q0-a0", "initial_review", "schedule", 0.0, HM),
        ("q0-a0", "initial_review", "assign", 0.0, HM),
        ("q0-a1", "initial_review", "schedule", 0.0, HM),
        ("q0-a1", "initial_review", "assign", 0.0, HM),
        ("q0-a2", "initial_review", "schedule", 0.0, HM),
        ("q0-a2", "initial_review", "assign", 0.0, HM),
        ("q0-a0", "initial_review", "start", 0.0, HM),
        ("q0-a0", "initial_review", "complete", 2.0, HM),
        ("q0-a0", "offer", "complete", 2.0, None),
        ("q0-a0", "hired", "complete", 2.0, None),
        ("q0-a1", "initial_review", "start", 2.0, HM),
        ("q0-a1", "withdrew", "complete", 3.0, None),
        ("q0-a2", "withdrew", "complete", 3.0, None),
    ]
    assert fates(tables) == [
        ("q0-a0", "hired", 2.0, 2.0, 2.0),
        ("q0-a1", "withdrew", 3.0, None, None),
        ("q0-a2", "withdrew", 3.0, None, None),
    ]
    assert list(tables["applicants"]["patience_days"]) == [3.0, 3.0, 3.0]


@pytest.mark.parametrize("max_reopens", [0, 1])
def test_declined_offers_pass_down_the_line_then_the_search_reopens(max_reopens):
    # accept_prob 0: everyone declines. a0: review 0 -> 1, offer at 1 (the one opening), decides
    # 1 -> 3, declines. a1: review 1 -> 2, waits in line for the opening, offer at 3 when a0
    # declines, decides 3 -> 5, declines. No one is left at 5, so the search reopens 10 days later
    # (day 15) with two fresh candidates who repeat the pattern: offers at 16 and 18, declines at
    # 18 and 20. max_reopens bounds it: 0 stops after the first search, 1 after the second.
    # Each offer is an `offer` milestone; b's comes from the backup list after a's decline
    # (`backup_promotion` at a's decline), a's is the first of its search and no backup.
    stages = {
        "initial_review": {"resource": HM, "duration": 1},
        "final_decision": {"duration": 2, "accept_prob": 0.0, "accept_prob_loss_per_week": 0},
    }
    document = scenario(stages, n=2, applicants={"per_requisition": 2,
                        "arrivals": {"process": "batch"}, "max_reopens": max_reopens,
                        "reopen_after_days": 10})  # fmt: skip
    tables = simulate(document)

    def search(first: int, t0: float) -> list[tuple]:
        a, b = f"q0-a{first}", f"q0-a{first + 1}"
        return [
            (a, "initial_review", "schedule", t0, HM),
            (a, "initial_review", "assign", t0, HM),
            (b, "initial_review", "schedule", t0, HM),
            (b, "initial_review", "assign", t0, HM),
            (a, "initial_review", "start", t0, HM),
            (a, "initial_review", "complete", t0 + 1, HM),
            (a, "offer", "complete", t0 + 1, None),
            (a, "final_decision", "schedule", t0 + 1, None),
            (a, "final_decision", "start", t0 + 1, None),
            (b, "initial_review", "start", t0 + 1, HM),
            (b, "initial_review", "complete", t0 + 2, HM),
            (a, "final_decision", "complete", t0 + 3, None),
            (a, "declined", "complete", t0 + 3, None),
            (b, "backup_promotion", "complete", t0 + 3, None),
            (b, "offer", "complete", t0 + 3, None),
            (b, "final_decision", "schedule", t0 + 3, None),
            (b, "final_decision", "start", t0 + 3, None),
            (b, "final_decision", "complete", t0 + 5, None),
            (b, "declined", "complete", t0 + 5, None),
        ]

    expected = search(0, 0.0) + (search(2, 15.0) if max_reopens else [])
    assert log(tables) == expected
    applicants = tables["applicants"]
    assert list(applicants["outcome"]) == ["declined"] * (2 + 2 * max_reopens)
    assert list(applicants["search"]) == [0, 0, 1, 1][: 2 + 2 * max_reopens]
    assert list(applicants["offer_day"]) == [1.0, 3.0, 16.0, 18.0][: 2 + 2 * max_reopens]
    assert list(applicants["time_to_offer_days"]) == [1.0, 3.0, 1.0, 3.0][: 2 + 2 * max_reopens]
    assert applicants["time_to_hire_days"].isna().all()


def test_horizon_leaves_candidates_in_process():
    # Horizon 3.5 days. a0: review 0 -> 2, offer at 2, deciding 2 -> 7 when the run stops: in
    # process at final_decision, offer_day 2. a1: in review with the manager since 2. a2: still
    # queued. Nothing is logged after day 3.5 and no one gets an outcome event.
    stages = {
        "initial_review": {"resource": HM, "duration": 2},
        "final_decision": {"duration": 5, "accept_prob": 1.0, "accept_prob_loss_per_week": 0},
    }
    tables = simulate(scenario(stages, n=3, openings=3, horizon_days=3.5))
    assert log(tables) == [
        ("q0-a0", "initial_review", "schedule", 0.0, HM),
        ("q0-a0", "initial_review", "assign", 0.0, HM),
        ("q0-a1", "initial_review", "schedule", 0.0, HM),
        ("q0-a1", "initial_review", "assign", 0.0, HM),
        ("q0-a2", "initial_review", "schedule", 0.0, HM),
        ("q0-a2", "initial_review", "assign", 0.0, HM),
        ("q0-a0", "initial_review", "start", 0.0, HM),
        ("q0-a0", "initial_review", "complete", 2.0, HM),
        ("q0-a0", "offer", "complete", 2.0, None),
        ("q0-a0", "final_decision", "schedule", 2.0, None),
        ("q0-a0", "final_decision", "start", 2.0, None),
        ("q0-a1", "initial_review", "start", 2.0, HM),
    ]
    assert fates(tables) == [
        ("q0-a0", "in_process", None, 2.0, None),
        ("q0-a1", "in_process", None, None, None),
        ("q0-a2", "in_process", None, None, None),
    ]
    applicants = tables["applicants"]
    assert list(applicants["exit_stage"]) == ["final_decision", "initial_review",
                                              "initial_review"]  # fmt: skip
    assert list(applicants["time_to_offer_days"].fillna(-1)) == [2.0, -1, -1]
    assert tables["team_levels"]["time_days"].max() == 3.5


def test_session_without_members_does_not_hold_the_manager():
    # Reviews of 1 day (0 -> 1, 1 -> 2, 2 -> 3); pool_days 0.5 closes a pool half a day after
    # its first member joins, so a0's pool closes at 1.5, a1's at 2.5 and a2's at 3 (the last
    # review); their sessions (1 day each) queue behind the reviews. Session 1 runs 3 -> 4 and
    # keeps a0, hired at 4: the requisition is filled and a1 and a2 are rejected at 4. a1's
    # session got the manager at 4 (a1 was still there) and ends when a1 leaves; a2's session
    # finds no one and never starts. The manager is idle from day 4 and the run ends there.
    # (A regression test: both sessions used to hold the manager, 4 -> 5 and 5 -> 6, for no one
    # and with nothing in the event log.)
    stages = {
        "initial_review": {"resource": HM, "duration": 1},
        "shortlisting": {"resource": HM, "duration": 1, "keep": 1, "pool_days": 0.5},
    }
    tables = simulate(scenario(stages, n=3))
    # each session asks for the manager as its pool closes (a2's is never granted: it queues
    # until a2 is turned away)
    assert [e for e in log(tables) if e[1:3] == ("shortlisting", "assign")] == [
        ("q0-a0", "shortlisting", "assign", 1.5, HM),
        ("q0-a1", "shortlisting", "assign", 2.5, HM),
        ("q0-a2", "shortlisting", "assign", 3.0, HM),
    ]
    assert [e for e in log(tables) if e[3] >= 3.0] == [
        ("q0-a2", "initial_review", "complete", 3.0, HM),
        ("q0-a2", "shortlisting", "schedule", 3.0, HM),
        ("q0-a2", "shortlisting", "assign", 3.0, HM),
        ("q0-a0", "shortlisting", "start", 3.0, HM),
        ("q0-a0", "shortlisting", "complete", 4.0, HM),
        ("q0-a1", "shortlisting", "start", 4.0, HM),
        ("q0-a0", "offer", "complete", 4.0, None),
        ("q0-a0", "hired", "complete", 4.0, None),
        ("q0-a1", "rejected", "complete", 4.0, None),
        ("q0-a2", "rejected", "complete", 4.0, None),
    ]
    assert fates(tables) == [
        ("q0-a0", "hired", 4.0, 4.0, 4.0),
        ("q0-a1", "rejected", 4.0, None, None),
        ("q0-a2", "rejected", 4.0, None, None),
    ]
    team = tables["team_levels"]
    manager = team[(team["resource"] == HM) & team["busy"].notna()]
    after = manager[manager["time_days"] >= 4.0].groupby("time_days")["busy"].last()
    assert after.to_dict() == {4.0: 0.0}  # idle from day 4: everyone is decided
    assert team["time_days"].max() == 4.0  # the run ends when the last candidate is decided


def test_session_ends_when_all_its_members_withdraw():
    # Both candidates join the pool at day 0, which closes at once (the search is all
    # reviewed: review is disabled); the 5-day session holds the manager from 0. Patience 2:
    # both withdraw at 2 and the session, with no one left to compare, ends then.
    stages = {"shortlisting": {"resource": HM, "duration": 5, "keep": 1, "pool_days": None}}
    tables = simulate(scenario(stages, n=2, candidate={"patience": 2}))
    assert log(tables) == [
        ("q0-a0", "shortlisting", "schedule", 0.0, HM),
        ("q0-a1", "shortlisting", "schedule", 0.0, HM),
        ("q0-a0", "shortlisting", "assign", 0.0, HM),
        ("q0-a1", "shortlisting", "assign", 0.0, HM),
        ("q0-a0", "shortlisting", "start", 0.0, HM),
        ("q0-a1", "shortlisting", "start", 0.0, HM),
        ("q0-a0", "withdrew", "complete", 2.0, None),
        ("q0-a1", "withdrew", "complete", 2.0, None),
    ]
    team = tables["team_levels"]
    manager = team[(team["resource"] == HM) & team["busy"].notna()]
    assert manager.groupby("time_days")["busy"].last().to_dict() == {0.0: 1.0, 2.0: 0.0}
    assert team["time_days"].max() == 2.0


def test_opening_given_ends_the_wait_on_the_backup_list():
    # as test_declined_offers_pass_down_the_line_then_the_search_reopens: a0, approved at 1,
    # is given the one opening at once; a1, approved at 2, waits on the backup list until a0
    # declines at 3 and is given it then, just before its offer (and after the promotion)
    stages = {
        "initial_review": {"resource": HM, "duration": 1},
        "final_decision": {"duration": 2, "accept_prob": 0.0, "accept_prob_loss_per_week": 0},
    }
    document = scenario(stages, n=2, applicants={"per_requisition": 2,
                        "arrivals": {"process": "batch"}, "max_reopens": 0})  # fmt: skip
    rows = [row for row in log(simulate(document), opening_given=True)
            if row[1] in ("opening_given", "offer", "backup_promotion")]
    assert rows == [
        ("q0-a0", "opening_given", "complete", 1.0, None),
        ("q0-a0", "offer", "complete", 1.0, None),
        ("q0-a1", "backup_promotion", "complete", 3.0, None),
        ("q0-a1", "opening_given", "complete", 3.0, None),
        ("q0-a1", "offer", "complete", 3.0, None),
    ]
