"""Exact event times for the selection and candidate mechanisms of issue 10: the backup list,
finalists compared, the shortlist's reserve, reneging, outside offers, silence and status
updates. Fixed durations, batch arrivals, one requisition, one replication; every expected time
is derived by hand in a comment (see tests/test_exact_times.py for the helpers' conventions:
no stage assesses unless a test gives it a `validity`, so rankings sort on true quality)."""

from __future__ import annotations

from test_exact_times import HM, REC, fates, log, scenario, simulate

import sim

LONG = {"dist": "fixed", "value": 1000}  # patience that never runs out within these runs


def rows(tables, *names) -> list[tuple]:
    """The log's rows of the given stages or milestones."""
    return [e for e in log(tables) if e[1] in names]


# -- the backup list ------------------------------------------------------------------------------

BACKUP = {
    "initial_review": {"resource": HM, "duration": 1},
    "follow_up": {"resource": REC, "duration": 0.5, "second_interview_prob": 0},
    "final_decision": {"duration": 2, "accept_prob": 0.0, "accept_prob_loss_per_week": 0},
}


def test_a_decline_hands_the_opening_to_the_next_on_the_backup_list():
    # a0: review 0 -> 1, approved, takes the one opening; the recruiter extends the offer
    # 1 -> 1.5; a0 decides 1.5 -> 3.5 and declines (accept_prob 0). a1: review 1 -> 2, approved,
    # waits on the backup list. At 3.5 a0's decline frees the opening: a1 is promoted at once
    # (`backup_promotion` at 3.5), the follow-up work runs 3.5 -> 4 and the offer is at 4;
    # a1 decides 4 -> 6 and declines.
    tables = simulate(scenario(BACKUP))
    assert rows(tables, "follow_up", "offer", "backup_promotion", "declined") == [
        ("q0-a0", "follow_up", "schedule", 1.0, REC),
        ("q0-a0", "follow_up", "assign", 1.0, REC),  # no approvals to wait for
        ("q0-a0", "follow_up", "start", 1.0, REC),
        ("q0-a0", "follow_up", "complete", 1.5, REC),
        ("q0-a0", "offer", "complete", 1.5, REC),
        ("q0-a1", "follow_up", "schedule", 2.0, REC),
        ("q0-a0", "declined", "complete", 3.5, None),
        ("q0-a1", "backup_promotion", "complete", 3.5, None),
        ("q0-a1", "follow_up", "assign", 3.5, REC),  # off the backup list: asked at once
        ("q0-a1", "follow_up", "start", 3.5, REC),
        ("q0-a1", "follow_up", "complete", 4.0, REC),
        ("q0-a1", "offer", "complete", 4.0, REC),
        ("q0-a1", "declined", "complete", 6.0, None),
    ]
    assert fates(tables) == [
        ("q0-a0", "declined", 3.5, 1.5, None),
        ("q0-a1", "declined", 6.0, 4.0, None),
    ]


def test_backup_days_rejects_a_waiting_candidate_in_time():
    # As above with backup_days 1: a1 joins the backup list at 2 and is turned away at 2 + 1 = 3,
    # before a0 declines at 3.5; then no one is left and no search reopens.
    stages = {**BACKUP, "follow_up": {**BACKUP["follow_up"], "backup_days": 1}}
    tables = simulate(scenario(stages))
    assert fates(tables) == [
        ("q0-a0", "declined", 3.5, 1.5, None),
        ("q0-a1", "rejected", 3.0, None, None),
    ]
    assert tables["applicants"]["exit_stage"].tolist() == ["final_decision", "follow_up"]
    assert rows(tables, "backup_promotion") == []


# -- finalists compared ---------------------------------------------------------------------------


def test_the_better_finalist_gets_the_offer_even_if_approved_later():
    # Both candidates join the pool at 0 (review disabled) and one 1-day session keeps both
    # (keep 2). The shortlist's signal is weak (validity 0.2): with seed 5 it ranks the worse
    # candidate first, so the worse goes to reference checks first (recruiter 1 -> 2) and the
    # better second (2 -> 3). Reference checks see quality itself (validity 1). The worse is
    # approved at 2 but the offer waits: the other finalist is still undecided. At 3 both are
    # decided and the better (on quality) gets the offer at 3, decides 3 -> 4 and is hired; the
    # requisition fills and the worse, still on the backup list, is turned away at 4.
    stages = {
        "shortlisting": {"resource": HM, "duration": 1, "keep": 2, "pool_days": None,
                         "validity": 0.2},
        "reference_checks": {"resource": REC, "duration": 1, "validity": 1.0},
        "final_decision": {"duration": 1, "accept_prob": 1.0, "accept_prob_loss_per_week": 0},
    }  # fmt: skip
    tables = simulate(scenario(stages, seed=5))
    quality = tables["applicants"].set_index("applicant")["quality"]
    better, worse = (0, 1) if quality[0] > quality[1] else (1, 0)
    b, w = f"q0-a{better}", f"q0-a{worse}"
    got = rows(tables, "shortlisting", "reference_checks", "offer", "hired", "rejected")
    assert [e for e in got if e[2] != "schedule" and e[1] != "shortlisting"] == [
        (w, "reference_checks", "assign", 1.0, REC),  # both ask the recruiter at 1 ...
        (b, "reference_checks", "assign", 1.0, REC),
        (w, "reference_checks", "start", 1.0, REC),  # the shortlist ranked the worse first
        (w, "reference_checks", "complete", 2.0, REC),
        (b, "reference_checks", "start", 2.0, REC),
        (b, "reference_checks", "complete", 3.0, REC),
        (b, "offer", "complete", 3.0, None),
        (b, "hired", "complete", 4.0, None),
        (w, "rejected", "complete", 4.0, None),
    ]
    assessment = tables["applicants"].set_index("applicant")["assessment"]
    assert assessment[better] == quality[better] and assessment[worse] == quality[worse]


# -- the reserve ----------------------------------------------------------------------------------

RESERVE = {
    "shortlisting": {"resource": HM, "duration": 1, "keep": 1, "pool_days": None},
    "decision": {"resource": HM, "duration": 1, "pass_prob": 0.0},
}


def by_quality(tables) -> list[str]:
    applicants = tables["applicants"]
    first = applicants[applicants["search"] == 0]
    return [f"q0-a{a}" for a in first.sort_values("quality", ascending=False)["applicant"]]


def test_the_reserve_goes_forward_when_the_finalists_fail_before_the_search_reopens():
    # Three candidates pool at 0; the session 0 -> 1 keeps the best (keep 1) and holds the
    # other two in the reserve, ranked. The finalist's decision (manager 1 -> 2) fails
    # (pass_prob 0): rejected at 2, and the next-best in the reserve is promoted at 2, decided
    # 2 -> 3, rejected; the last is promoted at 3, decided 3 -> 4, rejected. Only then, with no
    # one left, the search reopens: reopen_after_days (14) later, at 18.
    document = scenario(RESERVE, n=3, applicants__max_reopens=1)
    tables = simulate(document)
    first, second, third = by_quality(tables)
    got = [e for e in rows(tables, "reserve_promotion", "decision", "rejected")
           if e[3] < 18]  # fmt: skip
    assert got == [
        (first, "decision", "schedule", 1.0, HM),
        (first, "decision", "assign", 1.0, HM),
        (first, "decision", "start", 1.0, HM),
        (first, "decision", "complete", 2.0, HM),
        (first, "rejected", "complete", 2.0, None),
        (second, "reserve_promotion", "complete", 2.0, None),
        (second, "decision", "schedule", 2.0, HM),
        (second, "decision", "assign", 2.0, HM),
        (second, "decision", "start", 2.0, HM),
        (second, "decision", "complete", 3.0, HM),
        (second, "rejected", "complete", 3.0, None),
        (third, "reserve_promotion", "complete", 3.0, None),
        (third, "decision", "schedule", 3.0, HM),
        (third, "decision", "assign", 3.0, HM),
        (third, "decision", "start", 3.0, HM),
        (third, "decision", "complete", 4.0, HM),
        (third, "rejected", "complete", 4.0, None),
    ]
    applicants = tables["applicants"]
    assert applicants.loc[applicants["search"] == 1, "arrived_day"].tolist() == [18.0] * 3


def test_reserve_days_rejects_the_reserve_in_time():
    # As above with reserve_days 1.5 and no reopening: the reserve is held from 1 until
    # 1 + 1.5 = 2.5. The finalist fails at 2 and the next-best is promoted then; the third is
    # still in the reserve at 2.5 and is turned away (exit stage shortlisting). The promoted one
    # is decided 2 -> 3 and rejected.
    stages = {**RESERVE, "shortlisting": {**RESERVE["shortlisting"], "reserve_days": 1.5}}
    tables = simulate(scenario(stages, n=3))
    first, second, third = by_quality(tables)
    assert rows(tables, "reserve_promotion") == [(second, "reserve_promotion", "complete", 2.0,
                                                  None)]  # fmt: skip
    exits = {f"q0-a{r.applicant}": (r.outcome, r.exit_stage, r.exit_day)
             for r in tables["applicants"].itertuples()}  # fmt: skip
    assert exits == {
        first: ("rejected", "decision", 2.0),
        second: ("rejected", "decision", 3.0),
        third: ("rejected", "shortlisting", 2.5),
    }


# -- reneging -------------------------------------------------------------------------------------


def reneging(onboarding_wait: float, n: int = 2, **fields) -> dict:
    stages = {
        "initial_review": {"resource": HM, "duration": 1},
        "final_decision": {"duration": 1, "accept_prob": 1.0, "accept_prob_loss_per_week": 0},
        "onboarding": {"resource": REC, "wait": onboarding_wait, "duration": 1},
    }
    candidate = {"patience": LONG, "renege": {"prob": 1, "after": 3}}
    return scenario(stages, n=n, candidate=candidate, **fields)


def test_a_reneging_candidate_declines_at_onboarding_and_the_search_reopens():
    # a0: review 0 -> 1, offer at 1, decides 1 -> 2 and accepts, which fills the requisition:
    # a1 (in review since 1) is turned away at 2. Onboarding waits 5 days, but a0 backs out 3
    # days after accepting, at 5: `reneged`, then declined at onboarding. No one is left (the
    # backup list was emptied when the requisition filled), so the search reopens 14 days
    # later, at 19: a2 is reviewed 19 -> 20, offered at 20, accepts at 21 (a3 turned away) and
    # reneges at 24.
    tables = simulate(reneging(onboarding_wait=5, applicants__max_reopens=1))
    assert rows(tables, "offer", "backup_promotion", "reneged", "declined", "rejected") == [
        ("q0-a0", "offer", "complete", 1.0, None),
        ("q0-a1", "rejected", "complete", 2.0, None),
        ("q0-a0", "reneged", "complete", 5.0, None),
        ("q0-a0", "declined", "complete", 5.0, None),
        ("q0-a2", "offer", "complete", 20.0, None),
        ("q0-a3", "rejected", "complete", 21.0, None),
        ("q0-a2", "reneged", "complete", 24.0, None),
        ("q0-a2", "declined", "complete", 24.0, None),
    ]
    applicants = tables["applicants"]
    assert applicants["exit_stage"].tolist() == ["onboarding", "initial_review", "onboarding",
                                                 "initial_review"]  # fmt: skip
    assert applicants["arrived_day"].tolist() == [0.0, 0.0, 19.0, 19.0]
    assert not tables["requisitions"]["filled"].iloc[0]


def test_a_reneged_opening_goes_to_the_backup_list_while_the_requisition_is_not_filled():
    # Two openings, three candidates, decisions of 5 days. a0: review 0 -> 1, offer at 1,
    # accepts at 6 (one opening of two accepted: not filled). a1: review 1 -> 2, offer at 2 (the
    # second opening), deciding 2 -> 7. a2: review 2 -> 3, approved, waits on the backup list.
    # a0 reneges at 6 + 0.5 = 6.5: the opening comes back and goes to a2 at once
    # (`backup_promotion` and the offer at 6.5).
    stages = {
        "initial_review": {"resource": HM, "duration": 1},
        "final_decision": {"duration": 5, "accept_prob": 1.0, "accept_prob_loss_per_week": 0},
        "onboarding": {"resource": REC, "wait": 5, "duration": 1},
    }
    candidate = {"patience": LONG, "renege": {"prob": 1, "after": 0.5}}
    tables = simulate(scenario(stages, n=3, openings=2, candidate=candidate))
    assert [e for e in rows(tables, "offer", "backup_promotion", "reneged", "declined")
            if e[3] <= 6.5] == [
        ("q0-a0", "offer", "complete", 1.0, None),
        ("q0-a1", "offer", "complete", 2.0, None),
        ("q0-a0", "reneged", "complete", 6.5, None),
        ("q0-a0", "declined", "complete", 6.5, None),
        ("q0-a2", "backup_promotion", "complete", 6.5, None),
        ("q0-a2", "offer", "complete", 6.5, None),
    ]  # fmt: skip


def test_onboarding_done_before_the_renege_time_is_a_hire():
    # Review 0 -> 1, offer at 1, accepts at 2; onboarding waits 1 and takes the recruiter
    # 3 -> 4: started at 4, before the back-out due at 2 + 3 = 5, so hired at 4.
    tables = simulate(reneging(onboarding_wait=1, n=1))
    assert fates(tables) == [("q0-a0", "hired", 4.0, 1.0, 4.0)]
    assert rows(tables, "reneged") == []


# -- outside offers -------------------------------------------------------------------------------


def outside(stages: dict, **offers) -> dict:
    # per_week 1.0: an outside offer within a week is certain (the hazard is capped at a
    # probability of 1 - 1e-12, about 3.9 a day); quality_effect 0: the same for everyone
    candidate = {
        "patience": LONG,
        "outside_offers": {"per_week": 1.0, "quality_effect": 0, **offers},
    }
    return scenario(stages, n=1, candidate=candidate)  # fmt: skip


REVIEW_10 = {"initial_review": {"resource": HM, "duration": 10}}


def test_an_outside_offer_takes_a_candidate_without_ours():
    # In review 0 -> 10, the outside offer arrives at some t < 10 (exponential, mean about a
    # quarter day): with no deliberation the candidate withdraws at t itself.
    tables = simulate(outside(REVIEW_10))
    (offer,) = rows(tables, "outside_offer")
    t = offer[3]
    assert 0 < t < 10
    assert fates(tables) == [("q0-a0", "withdrew", t, None, None)]
    assert tables["applicants"]["exit_stage"].tolist() == ["initial_review"]


def test_an_outside_offer_with_deliberation():
    # Deliberation fixed 2 days: the same outside offer at t, the withdrawal at t + 2.
    tables = simulate(outside(REVIEW_10, deliberation=2))
    (offer,) = rows(tables, "outside_offer")
    t = offer[3]
    assert fates(tables) == [("q0-a0", "withdrew", t + 2, None, None)]


def test_a_candidate_holding_our_offer_stays_and_weighs_it():
    # No stage before the offer: it is extended at 0. The outside offer comes at t > 0, during
    # the candidate's 10-day decision; the candidate stays and decides at 10, accepting with
    # accept_prob x accept_factor: 1 x 0 = 0, a decline; with accept_factor 1 a hire.
    decide = {"final_decision": {"duration": 10, "accept_prob": 1.0,
                                 "accept_prob_loss_per_week": 0}}  # fmt: skip
    tables = simulate(outside(decide, accept_factor=0))
    (offer,) = rows(tables, "outside_offer")
    assert 0 < offer[3] < 10
    assert fates(tables) == [("q0-a0", "declined", 10.0, 0.0, None)]
    tables = simulate(outside(decide, accept_factor=1))
    assert fates(tables) == [("q0-a0", "hired", 10.0, 0.0, 10.0)]


# -- silence and status updates -------------------------------------------------------------------

REVIEW_30 = {"initial_review": {"resource": HM, "duration": 30}}
UPDATES = {"every": 7, "resource": REC, "duration": 0.25}


def silent(**candidate) -> dict:
    return scenario(
        REVIEW_30, n=1, candidate={"patience": LONG, "silence": {"tolerance": 10}, **candidate}
    )


def test_status_updates_keep_a_candidate_warm():
    # Tolerance 10 days of silence. The interview at 0 is news (silence until 10). An update
    # comes 7 days after the last one ended: the recruiter works 7 -> 7.25, 14.25 -> 14.5,
    # 21.5 -> 21.75, 28.75 -> 29, each resetting the silence (to 17.25, 24.5, 31.75, 39), so the
    # candidate never goes 10 days without news; review ends at 30 with the offer and the hire,
    # and the updates stop.
    tables = simulate(silent(status_updates=UPDATES))
    expected = []
    for start in (7.0, 14.25, 21.5, 28.75):
        expected += [("q0-a0", "status_update", "schedule", start, REC),
                     ("q0-a0", "status_update", "start", start, REC),
                     ("q0-a0", "status_update", "complete", start + 0.25, REC)]  # fmt: skip
    assert rows(tables, "status_update") == expected
    assert fates(tables) == [("q0-a0", "hired", 30.0, 30.0, 30.0)]


def test_without_updates_silence_makes_a_candidate_withdraw():
    # No updates: nothing after the interview at 0, so the candidate withdraws at 0 + 10.
    tables = simulate(silent())
    assert fates(tables) == [("q0-a0", "withdrew", 10.0, None, None)]
    assert rows(tables, "status_update") == []


def test_patience_null_switches_off_every_candidate_mechanism():
    # patience null: no silence, no updates, no outside offers, no reneging; review 0 -> 30,
    # then offer, onboarding (recruiter 30 -> 31) and the hire at 31.
    stages = {**REVIEW_30, "onboarding": {"resource": REC, "duration": 1}}
    candidate = {
        "patience": None,
        "silence": {"tolerance": 10},
        "status_updates": UPDATES,
        "outside_offers": {"per_week": 1.0},
        "renege": {"prob": 1, "after": 0.5},
    }
    tables = simulate(scenario(stages, n=1, candidate=candidate))
    assert fates(tables) == [("q0-a0", "hired", 31.0, 30.0, 31.0)]
    assert rows(tables, "status_update", "outside_offer", "reneged") == []
    assert sim.load_scenario(scenario(stages, n=1, candidate=candidate)).candidate.silence


ONE_OPENING_RENEGE = {
    "initial_review": {"resource": HM, "duration": 1},
    "final_decision": {"duration": 2, "accept_prob": 1.0, "accept_prob_loss_per_week": 0},
    "onboarding": {"wait": 5, "duration": 1},
}


def test_the_backup_list_is_kept_until_the_start_so_a_renege_goes_to_the_next():
    # One opening. a0: review 0 -> 1, offer at 1 (no follow-up), decides 1 -> 3 and accepts,
    # filling the requisition. a1: review 1 -> 2, approved, on the backup list at 2: kept, as
    # the hire has not started. a0 backs out 3 days after accepting, at 6, before onboarding
    # ends (3 + 5 + 1 = 9): the opening goes to a1 at once (`backup_promotion`, offer at 6).
    candidate = {"patience": LONG, "renege": {"prob": 1, "after": 3}}
    tables = simulate(scenario(ONE_OPENING_RENEGE, n=2, candidate=candidate))
    assert [e for e in rows(tables, "offer", "backup_promotion", "reneged", "declined",
                            "rejected") if e[3] <= 6] == [
        ("q0-a0", "offer", "complete", 1.0, None),
        ("q0-a0", "reneged", "complete", 6.0, None),
        ("q0-a0", "declined", "complete", 6.0, None),
        ("q0-a1", "backup_promotion", "complete", 6.0, None),
        ("q0-a1", "offer", "complete", 6.0, None),
    ]  # fmt: skip


def test_the_backup_list_is_let_go_when_the_hire_starts():
    # As above without reneging: a0 starts at 3 + 5 + 1 = 9 (hired), and only then is a1, on
    # the backup list since 2, turned away.
    candidate = {"patience": LONG}
    tables = simulate(scenario(ONE_OPENING_RENEGE, n=2, candidate=candidate))
    assert rows(tables, "offer", "hired", "rejected") == [
        ("q0-a0", "offer", "complete", 1.0, None),
        ("q0-a0", "hired", "complete", 9.0, None),
        ("q0-a1", "rejected", "complete", 9.0, None),
    ]
