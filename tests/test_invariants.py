"""Invariants over random valid scenarios (hypothesis).

A strategy builds small scenario dicts (any company size, 1-3 requisitions and openings, any
arrival process, stages switched on and off, every kind of distribution with small parameters,
shortlist pools, committees, second interviews, negotiation, patience, reopened searches); one
replication of each is run with `sim.simulate` and its tables are checked against what must hold
whatever the parameters: one outcome per candidate, time never runs backwards, no resource over
capacity, no more hires than openings, consistent offer and hire times, nothing after the horizon.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim
from sim.model import HiringModel
from sim.model.records import (
    ASSIGN,
    COMPLETE,
    SCHEDULE,
    START,
    Applicant,
    Event,
    Level,
    RequisitionRecord,
)
from sim.scenario import OUTCOMES, SIZES, STAGE_NAMES
from sim.scenario.stages import (
    BACKUP_PROMOTION,
    JOURNEY,
    MILESTONES,
    OFFER,
    OPENING_GIVEN,
    REJECTION_NOTICE,
    RENEGED,
    RESERVE_PROMOTION,
    STATUS_UPDATE,
)

TEAM = ("hiring_manager", "recruiter", "committee")
TERMINAL = set(OUTCOMES) - {"in_process"}
POINTS = set(MILESTONES) - {STATUS_UPDATE}
"""Milestones logged as a single `complete` row (an offer extended, a promotion, an outside
offer, reneging); a status update is a visit of its own: schedule, start, complete."""

# -- the strategy ---------------------------------------------------------------------------------

prob = st.sampled_from([0.0, 0.3, 0.6, 0.9, 1.0]) | st.floats(0.0, 1.0)


@st.composite
def distributions(draw, low: float = 0.0, high: float = 4.0):
    """Any kind of distribution of the contract, with small parameters."""
    kind = draw(st.sampled_from(
        ["bare", "fixed", "exponential", "lognormal", "lognormal_moments", "gamma",
         "triangular", "uniform", "empirical"]
    ))  # fmt: skip
    value = st.floats(min_value=low, max_value=high)
    small = st.floats(min_value=max(low, 0.05), max_value=high)  # a positive scale
    if kind == "bare":
        return draw(value | st.integers(int(np.ceil(low)), int(high)))
    if kind == "fixed":
        return {"dist": "fixed", "value": draw(value)}
    if kind == "exponential":
        return {"dist": "exponential", "mean": draw(small)}
    if kind == "lognormal":
        median = draw(small)
        return {"dist": "lognormal", "median": median, "p90": median * draw(st.floats(1.1, 5))}
    if kind == "lognormal_moments":
        return {"dist": "lognormal", "mean": draw(small), "sd": draw(small)}
    if kind == "gamma":
        return {"dist": "gamma", "mean": draw(small), "cv": draw(st.floats(0.1, 2.0))}
    if kind == "triangular":
        a, b, c = sorted(draw(st.lists(value, min_size=3, max_size=3)))
        if a == c:
            c = a + 1.0
            b = a
        return {"dist": "triangular", "min": a, "mode": b, "max": c}
    if kind == "uniform":
        a = draw(value)
        return {"dist": "uniform", "min": a, "max": a + draw(small)}
    return {"dist": "empirical", "values": draw(st.lists(value, min_size=1, max_size=5))}


resources = st.sampled_from([None, *TEAM])


@st.composite
def stages(draw, name: str) -> dict:
    """One stage with every field written out (so the preset never decides)."""
    spec = {
        "enabled": draw(st.booleans()),
        "resource": draw(resources),
        "wait": draw(st.none() | distributions()),
        "duration": draw(distributions()),
        "pass_prob": draw(prob),
    }
    if name not in ("follow_up", "negotiation", "final_decision", "onboarding"):  # assess no one
        spec["validity"] = draw(st.none() | st.sampled_from([0.2, 0.5, 1.0]))
    if name == "shortlisting":
        spec["keep"] = draw(st.none() | st.integers(1, 4))
        spec["pool_days"] = draw(st.none() | st.floats(0.5, 20))
        spec["reserve_days"] = draw(st.none() | st.floats(0.5, 20))
    elif name == "decision":
        if draw(st.booleans()):
            spec["meets_every_days"] = draw(st.sampled_from([1, 3.5, 7, 14]))
            spec["first_meeting_day"] = draw(st.none() | st.floats(0, 10))
        else:
            spec["meets_every_days"] = None
    elif name == "follow_up":
        spec["second_interview_prob"] = draw(prob)
        spec["second_interview"] = {
            "enabled": draw(st.booleans()),
            "resource": draw(resources),
            "wait": draw(st.none() | distributions()),
            "duration": draw(distributions()),
            "pass_prob": draw(prob),
        }
        spec["rejection_duration"] = draw(st.none() | distributions(high=0.5))  # None: ghosted
        spec["backup_days"] = draw(st.none() | st.floats(0.5, 20))
    elif name == "negotiation":
        spec["rounds"] = draw(distributions(high=3))
        spec["walk_away_prob"] = draw(st.sampled_from([0.0, 0.1, 0.5]))
    elif name == "final_decision":
        spec["accept_prob"] = draw(prob)
        spec["accept_prob_loss_per_week"] = draw(st.sampled_from([0.0, 0.01, 0.2]))
    return spec


arrivals = st.one_of(
    st.builds(lambda r: {"process": "poisson", "rate_per_day": r}, st.floats(0.1, 5.0)),
    st.builds(lambda d: {"process": "window", "days": d}, st.floats(0.5, 30.0)),
    st.just({"process": "batch"}),
)


@st.composite
def scenarios(draw) -> dict:
    return {
        "name": "prop",
        "seed": draw(st.integers(0, 2**32)),
        "horizon_days": draw(st.floats(30, 400)),
        "company": {
            "size": draw(st.sampled_from(SIZES)),
            "requisitions": draw(st.integers(1, 3)),
            "requisitions_per_month": draw(st.sampled_from([0, 0, 3.0])),
            "openings": draw(st.integers(1, 3)),
        },
        # the preset's Mon-Fri calendar, or continuous time
        **draw(st.sampled_from([{}, {"calendar": None}])),
        "team": {name: draw(st.integers(1, 3)) for name in TEAM},
        "applicants": {
            "per_requisition": draw(st.integers(1, 15)),
            "arrivals": draw(arrivals),
            "reopen_after_days": draw(st.floats(0, 20)),
            "max_reopens": draw(st.integers(0, 2)),
        },
        "candidate": {
            "patience": draw(st.none() | distributions(low=0.5, high=40)),
            "outside_offers": draw(
                st.none()
                | st.builds(
                    lambda p, d, f: {"per_week": p, "deliberation": d, "accept_factor": f},
                    st.floats(0.0, 0.5),
                    st.none() | distributions(high=5),
                    prob,
                )
            ),
            "silence": draw(
                st.none() | st.builds(lambda t: {"tolerance": t}, distributions(low=0.5, high=30))
            ),
            "status_updates": draw(
                st.none()
                | st.builds(
                    lambda e, r, d: {"every": e, "resource": r, "duration": d},
                    distributions(low=0.5, high=10),
                    st.sampled_from(TEAM),
                    distributions(high=0.5),
                )
            ),
            "renege": draw(
                st.none()
                | st.builds(lambda p, a: {"prob": p, "after": a}, prob, distributions(high=10))
            ),
        },
        "stages": {name: draw(stages(name)) for name in STAGE_NAMES},
    }


# -- the checks -----------------------------------------------------------------------------------


def check_outcomes(applicants: pd.DataFrame, events: pd.DataFrame) -> None:
    """Every candidate ends in exactly one outcome, logged once (none when in process)."""
    assert applicants["case_id"].is_unique
    assert not applicants.duplicated(["requisition", "applicant"]).any()
    assert set(applicants["outcome"]) <= set(OUTCOMES)
    assert set(events["case:concept:name"]) <= set(applicants["case_id"])

    ends = events[events["concept:name"].isin(TERMINAL)]
    assert (ends["lifecycle:transition"] == "complete").all()
    assert ends["case:concept:name"].is_unique
    logged = ends.set_index("case:concept:name")
    for row in applicants.itertuples(index=False):
        if row.outcome == "in_process":
            assert row.case_id not in logged.index
            assert np.isnan(row.exit_day)
        else:
            assert logged.loc[row.case_id, "concept:name"] == row.outcome
            assert logged.loc[row.case_id, "time_days"] == row.exit_day
            assert row.exit_day >= row.arrived_day

    # after its outcome a candidate only hears of its rejection (the notice)
    ended: dict[str, str] = {}
    for case, stage in zip(events["case:concept:name"], events["concept:name"], strict=True):
        if case in ended:
            assert (ended[case], stage) == ("rejected", "rejection_notice"), (case, stage)
        if stage in TERMINAL:
            ended[case] = stage


def check_times(scenario, applicants: pd.DataFrame, events: pd.DataFrame) -> None:
    """Per candidate, the log never goes back in time; visits are schedule <= start <=
    complete, with an `assign` between schedule and start exactly where a team member does the
    work (not a status update's: it has no wait of its own); nothing happens before arrival or
    after the horizon."""
    horizon = scenario.horizon_days
    assert (events["time_days"] <= horizon).all()
    assert (applicants["arrived_day"] <= horizon).all()
    assert (applicants["exit_day"].dropna() <= horizon).all()
    arrived = dict(zip(applicants["case_id"], applicants["arrived_day"], strict=True))

    last: dict[str, float] = {}
    visits: dict[tuple, list] = defaultdict(list)  # (case, stage) -> [[transition, time], ...]
    held: dict[str, bool] = {}  # stage -> whether a team member's work is asked for (`assign`)
    columns = ["case:concept:name", "concept:name", "lifecycle:transition", "time_days",
               "org:resource"]  # fmt: skip
    for case, stage, transition, day, resource in events[columns].itertuples(index=False):
        assert day >= last.get(case, arrived[case]), (case, stage, transition, day)
        last[case] = day
        if stage in TERMINAL:
            continue
        if stage in POINTS:
            assert transition == "complete", (case, stage, transition, day)
            continue
        assert transition in ("schedule", "assign", "start", "complete")
        held[stage] = isinstance(resource, str) and stage != STATUS_UPDATE
        visits[case, stage].append((transition, day))

    exit_stage = dict(zip(applicants["case_id"], applicants["exit_stage"], strict=True))
    done = set(applicants.loc[applicants["outcome"] != "in_process", "case_id"])
    for (case, stage), steps in visits.items():
        # a stage is visited as schedule, (assign,) start, complete (again for each negotiation
        # round); only the last visit can stop short: the candidate left, or the horizon came
        code = "".join({"schedule": "s", "assign": "a", "start": "t", "complete": "c"}[t]
                       for t, _ in steps)  # fmt: skip
        visit = "satc" if held[stage] else "stc"
        whole = len(code) // len(visit) * len(visit)
        assert code[:whole] == visit * (whole // len(visit)), (case, stage, steps)
        assert code[whole:] in {visit[:n] for n in range(len(visit))}, (case, stage, steps)
        times = [day for _, day in steps]
        assert times == sorted(times), (case, stage, steps)
        if code[whole:] and case in done and stage != "rejection_notice":
            # it left in the middle of this stage (the follow-up is open around the second
            # interview and the wait for an opening; a status update runs beside the stages)
            assert stage in (exit_stage[case], "follow_up", STATUS_UPDATE), (
                case,
                stage,
                exit_stage[case],
            )


def check_offers(scenario, applicants: pd.DataFrame) -> None:
    """Offers and hires: offers come before hires, hires fit the openings, patience holds."""
    offer, hire = applicants["time_to_offer_days"], applicants["time_to_hire_days"]
    assert (offer.dropna() >= 0).all()
    both = offer.notna() & hire.notna()
    assert (hire[both] >= offer[both]).all()
    outcome = applicants["outcome"]
    assert applicants.loc[outcome.isin(["hired", "declined"]), "offer_day"].notna().all()
    assert hire.notna().eq(outcome == "hired").all()
    assert (applicants.loc[outcome == "hired", "hired_day"]
            == applicants.loc[outcome == "hired", "exit_day"]).all()  # fmt: skip
    hires = applicants[outcome == "hired"].groupby("requisition").size()
    assert (hires <= scenario.company.openings).all()
    assert (applicants["requisition"] >= 0).all()
    assert (applicants["search"] <= scenario.applicants.max_reopens).all()
    per_search = applicants.groupby(["requisition", "search"]).size()
    assert (per_search <= scenario.applicants.per_requisition).all()

    # patience runs from arrival until an offer: withdrawals happen exactly when it runs out
    # (no later with silence or outside offers, which can end the wait sooner), and never once
    # an offer is made
    withdrew = applicants[outcome == "withdrew"]
    assert withdrew["patience_days"].notna().all()
    assert withdrew["offer_day"].isna().all()
    deadline = withdrew["arrived_day"] + withdrew["patience_days"]
    candidate = scenario.candidate
    if candidate.silence is None and candidate.outside_offers is None:
        assert (withdrew["exit_day"] == deadline).all()
    else:
        assert (withdrew["exit_day"] <= deadline).all()
    deadline = applicants["arrived_day"] + applicants["patience_days"]
    offered = applicants["offer_day"].notna() & applicants["patience_days"].notna()
    assert (applicants.loc[offered, "offer_day"] <= deadline[offered]).all()
    waiting = (outcome == "in_process") & applicants["offer_day"].isna()
    waiting &= applicants["patience_days"].notna()
    assert (deadline[waiting] >= scenario.horizon_days).all()
    if scenario.candidate.patience is None:
        assert (outcome != "withdrew").all()


def check_opened(scenario, numbers: list[int], opened: list[float]) -> None:
    """Requisitions are numbered in the order they open: `company.requisitions` at day 0, then
    any opening later (`requisitions_per_month`)."""
    first = scenario.company.requisitions
    assert numbers == list(range(len(numbers))) and len(numbers) >= first
    assert all(day == 0 for day in opened[:first]) and opened == sorted(opened)
    if scenario.company.requisitions_per_month == 0:
        assert len(numbers) == first


def check_requisitions(scenario, applicants: pd.DataFrame, reqs: pd.DataFrame) -> None:
    """The requisitions table agrees with the candidates: one row per requisition, filled when
    every opening is accepted, filled no later than staffed; time to decision is the offer or
    the rejection."""
    check_opened(scenario, list(reqs["requisition"]), list(reqs["opened_day"]))
    assert applicants["requisition"].isin(reqs["requisition"]).all()
    mine = applicants.groupby("requisition")
    interviewed = mine.size().reindex(reqs["requisition"], fill_value=0).to_numpy()
    assert (reqs["interviewed"].to_numpy() == interviewed).all()
    hired = mine["outcome"].apply(lambda o: (o == "hired").sum())
    assert (reqs["hired"].to_numpy() == hired.reindex(reqs["requisition"], fill_value=0)).all()
    assert (reqs["filled"] == (reqs["accepted"] == reqs["openings"])).all()
    assert (reqs["filled"] == reqs["filled_day"].notna()).all()
    assert (reqs["hired"] <= reqs["accepted"]).all() and (
        reqs["accepted"] <= reqs["openings"]
    ).all()
    started = reqs[reqs["started_day"].notna()]
    assert started["filled"].all() and (started["filled_day"] <= started["started_day"]).all()
    assert (reqs["days_open"] >= reqs["time_to_fill_days"].fillna(0)).all()
    offered, rejected = applicants["offer_day"].notna(), applicants["outcome"] == "rejected"
    decision = applicants["time_to_decision_days"]
    assert (decision[offered] == applicants.loc[offered, "time_to_offer_days"]).all()
    plain = rejected & ~offered
    assert (decision[plain] == (applicants["exit_day"] - applicants["arrived_day"])[plain]).all()
    assert decision[~offered & ~rejected].isna().all()


def check_team(scenario, team: pd.DataFrame) -> None:
    """The team table never shows anyone over capacity or a negative queue."""
    levels = team.dropna(subset=["busy"])
    assert (levels["busy"] >= 0).all()
    assert (levels["busy"] <= levels["capacity"]).all()
    assert (levels["queue"] >= 0).all()
    assert (levels["capacity"] == levels["resource"].map(scenario.headcount())).all()
    assert (team["time_days"] <= scenario.horizon_days).all()


def replay_busy(
    scenario, applicants: pd.DataFrame, events: pd.DataFrame
) -> tuple[dict[str, list], bool]:
    """Replay the log: people working (start .. complete) per team role, asserting it never
    exceeds the team. Returns the busy level of each role after each change, as (day, busy).

    A shortlist pool or a committee meeting is one session holding one unit for all its
    members: their starts are logged together, at one instant, and their completes together.
    It ends at its first complete, or when its last member leaves (an outcome event). A pool
    belongs to one requisition, so a run of starts that changes requisition is two sessions.
    Two pools of one requisition (possible only with `pool_days`) starting at one instant
    read as one session: then the replay can show fewer people busy than there were, and
    `exact` comes back False. So it does with a calendar: a person free outside working time
    holds the next request until their working time starts, and the log's `start` is then."""
    requisition = dict(zip(applicants["case_id"], applicants["requisition"], strict=True))
    groups = {
        "shortlisting": scenario.stages.shortlisting.keep is not None,
        "decision": scenario.stages.decision.meets_every_days is not None,
    }
    busy: dict[str, int] = defaultdict(int)
    trace: dict[str, list] = defaultdict(list)
    # (case, stage) -> resource held right now: a status update can run beside a stage's work
    holding: dict[tuple, str] = {}
    sessions: list[dict] = []  # each: resource, members still there, whether it ended
    member_of: dict[str, dict] = {}  # case -> the session it is in right now
    previous = None
    exact = scenario.calendar is None
    pools_can_overlap = scenario.stages.shortlisting.pool_days is not None

    def change(resource: str, by: int, day: float, why) -> None:
        busy[resource] += by
        assert 0 <= busy[resource] <= scenario.headcount()[resource], (why, day, dict(busy))
        trace[resource].append((day, busy[resource]))

    columns = ["case:concept:name", "concept:name", "lifecycle:transition", "time_days",
               "org:resource"]  # fmt: skip
    for i, (case, stage, transition, day, resource) in enumerate(
        events[columns].itertuples(index=False, name=None)
    ):
        if stage in TERMINAL:
            for key in [key for key in holding if key[0] == case]:
                # interrupted while working: it let go
                change(holding.pop(key), -1, day, (case, stage))
            session = member_of.pop(case, None)
            if session is not None:
                session["members"].discard(case)
                if not session["members"] and not session["ended"]:  # the last one left
                    session["ended"] = True
                    change(session["resource"], -1, day, (case, stage))
            continue
        if not isinstance(resource, str) or transition in ("schedule", "assign") or stage in POINTS:
            continue  # a milestone holds no one, even when it names who extended the offer
        if groups.get(stage):
            if transition == "start":
                key = (stage, day, requisition[case] if stage == "shortlisting" else None)
                if previous != (*key, i - 1):  # a new session begins
                    sessions.append({"resource": resource, "members": set(), "ended": False})
                    change(resource, +1, day, (case, stage))
                else:
                    exact = exact and not (stage == "shortlisting" and pools_can_overlap)
                previous = (*key, i)
                sessions[-1]["members"].add(case)
                member_of[case] = sessions[-1]
            else:
                session = member_of.pop(case)
                session["members"].discard(case)
                if not session["ended"]:  # its first complete: the session is over
                    session["ended"] = True
                    change(resource, -1, day, (case, stage))
        elif transition == "start":
            assert (case, stage) not in holding, (case, stage)
            holding[case, stage] = resource
            change(resource, +1, day, (case, stage))
        else:
            held = holding.pop((case, stage))
            assert held == resource, (case, stage, held)
            change(resource, -1, day, (case, stage))
    return trace, exact


def check_team_matches_log(scenario, team: pd.DataFrame, trace: dict, exact: bool) -> None:
    """The team levels table and the event log tell the same story of who was busy when
    (where the log cannot tell sessions apart, it may show fewer busy, never more)."""
    levels = team.dropna(subset=["busy"])
    # the run's last instant has no length, and a release at the very horizon is logged
    # while the level it leads to is not: compare up to (not at) the end
    end = team["time_days"].max()
    for resource in scenario.team:
        table = levels[levels["resource"] == resource]
        table = table.groupby("time_days", sort=True)["busy"].last()  # in force after t
        log = pd.Series(dict(trace.get(resource, [])), dtype=float)  # last per day wins
        for day in sorted(d for d in set(table.index) | set(log.index) if d < end):
            in_table = table[table.index <= day]
            in_table = float(in_table.iloc[-1]) if len(in_table) else 0.0
            in_log = log[log.index <= day]
            in_log = float(in_log.iloc[-1]) if len(in_log) else 0.0
            if exact:
                assert in_table == in_log, (resource, day, in_table, in_log)
            else:
                assert in_table >= in_log, (resource, day, in_table, in_log)


ORDER = [*STAGE_NAMES[:5], "second_interview", *STAGE_NAMES[5:], "rejection_notice"]
"""The stages in the order a candidate can meet them (a rejection notice comes last)."""


def check_stages(scenario, events: pd.DataFrame) -> None:
    """Only enabled stages appear, each naming its configured resource, and every candidate
    meets them in the domain's order."""
    stages = scenario.stages
    follow_up = stages.follow_up
    spec = {name: stage for name, stage in stages.items()}
    spec["second_interview"] = follow_up.second_interview
    enabled = {name for name, stage in spec.items() if stage.enabled}
    if not follow_up.enabled:
        enabled.discard("second_interview")
    resource = {name: stage.resource for name, stage in spec.items()}
    resource["rejection_notice"] = follow_up.resource
    if follow_up.enabled and follow_up.rejection_duration is not None:
        enabled.add("rejection_notice")
    # the milestones: the offer names who extended it (the follow-up's resource), a status
    # update its recruiter; the others no one. Each of the candidates' mechanisms only when on.
    candidate = scenario.candidate
    behaves = candidate.patience is not None
    enabled |= {OFFER, BACKUP_PROMOTION, RESERVE_PROMOTION, OPENING_GIVEN}
    resource.update({name: None for name in POINTS})
    resource[OFFER] = follow_up.resource if follow_up.enabled else None
    if behaves and candidate.status_updates is not None:
        enabled.add(STATUS_UPDATE)
        resource[STATUS_UPDATE] = candidate.status_updates.resource
    if behaves and candidate.outside_offers is not None:
        enabled.add("outside_offer")
    if behaves and candidate.renege is not None:
        enabled.add(RENEGED)
    if stages.shortlisting.keep is None or not stages.shortlisting.enabled:
        enabled.discard(RESERVE_PROMOTION)
    for stage, group in events.groupby("concept:name"):
        if stage in TERMINAL:
            assert group["org:resource"].isna().all()
            continue
        assert stage in enabled, stage
        named = set(group["org:resource"].dropna())
        assert named == ({resource[stage]} if resource[stage] else set()), (stage, named)

    rank = {stage: i for i, stage in enumerate(ORDER)}
    journeys = events[~events["concept:name"].isin(TERMINAL | set(MILESTONES))]
    for case, journey in journeys.groupby("case:concept:name", sort=False)["concept:name"]:
        ranks = [rank[stage] for stage in journey.drop_duplicates()]
        assert ranks == sorted(ranks), (case, list(journey.drop_duplicates()))


def check_milestones(scenario, applicants: pd.DataFrame, events: pd.DataFrame) -> None:
    """Each offer extended is one `offer` row at the candidate's offer day; a candidate is
    promoted from the backup list or the reserve, gets an outside offer and reneges at most
    once; reneging is followed at once by the outcome `declined` at onboarding, after the
    offer; a reserve promotion follows the candidate's shortlisting."""
    offers = events[events["concept:name"] == OFFER]
    assert offers["case:concept:name"].is_unique
    offered = applicants[applicants["offer_day"].notna()]
    assert set(offers["case:concept:name"]) == set(offered["case_id"])
    offer_day = dict(zip(offered["case_id"], offered["offer_day"], strict=True))
    for case, day in zip(offers["case:concept:name"], offers["time_days"], strict=True):
        assert day == offer_day[case], (case, day, offer_day[case])
    given = events[events["concept:name"] == OPENING_GIVEN].set_index("case:concept:name")
    assert set(offers["case:concept:name"]) <= set(given.index)  # an offer follows an opening
    for case, day in zip(offers["case:concept:name"], offers["time_days"], strict=True):
        assert given.loc[case, "time_days"] <= day, case
    for name in (BACKUP_PROMOTION, RESERVE_PROMOTION, "outside_offer", RENEGED, OPENING_GIVEN):
        assert events.loc[events["concept:name"] == name, "case:concept:name"].is_unique, name

    outcome = dict(zip(applicants["case_id"], applicants["outcome"], strict=True))
    exit_stage = dict(zip(applicants["case_id"], applicants["exit_stage"], strict=True))
    columns = ["case:concept:name", "concept:name", "time_days"]
    seen: dict[str, list] = defaultdict(list)
    for case, stage, day in events[columns].itertuples(index=False):
        previous = seen[case]
        if previous and previous[-1][0] == RENEGED:
            assert (stage, day) == ("declined", previous[-1][1]), (case, stage, day)
        if stage == RENEGED:
            assert outcome[case] == "declined" and exit_stage[case] == "onboarding", case
            assert OFFER in {name for name, _ in previous}, case
        if stage == RESERVE_PROMOTION:
            assert "shortlisting" in {name for name, _ in previous}, case
        if stage == OPENING_GIVEN:  # off the backup list, before any offer
            assert OFFER not in {name for name, _ in previous}, case
        previous.append((stage, day))
    reneged = {case for case, steps in seen.items() if steps and steps[-1][0] == RENEGED}
    assert not reneged, reneged  # reneging is never the last word


def run_checks(document: dict) -> None:
    scenario = sim.load_scenario(document)
    tables = sim.simulate(scenario, replication=0)
    applicants, events, team = tables["applicants"], tables["events"], tables["team_levels"]
    check_outcomes(applicants, events)
    check_times(scenario, applicants, events)
    check_offers(scenario, applicants)
    check_requisitions(scenario, applicants, tables["requisitions"])
    check_team(scenario, team)
    check_team_matches_log(scenario, team, *replay_busy(scenario, applicants, events))
    check_stages(scenario, events)
    check_milestones(scenario, applicants, events)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenarios())
def test_invariants_hold_for_random_scenarios(document):
    run_checks(document)


PRESET_RUN = {
    "name": "prop",
    "seed": 3,
    "horizon_days": 200,
    "company": {"size": "large", "requisitions": 2, "openings": 2},
    "team": {"hiring_manager": 1, "recruiter": 1, "committee": 1},
    "applicants": {"per_requisition": 12, "arrivals": {"process": "poisson",
                   "rate_per_day": 1.0}, "max_reopens": 2, "reopen_after_days": 5},
    "candidate": {"patience": {"dist": "exponential", "mean": 15}},
}  # fmt: skip
"""A run busy enough that candidates queue, withdraw and get turned away when requisitions fill,
with patience and reopened searches."""


@pytest.mark.parametrize("size", SIZES)
def test_invariants_hold_for_every_preset(size):
    """Each company-size preset as it ships (random durations, pools, committees for the large
    sizes, second interviews, negotiation) in PRESET_RUN."""
    run_checks({**PRESET_RUN, "company": {**PRESET_RUN["company"], "size": size}})


def is_day(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


@pytest.mark.parametrize("size", SIZES)
def test_records_are_laid_out_as_their_named_tuples(size):
    """The model writes plain tuples laid out as `Event`, `Applicant`, `Level` and
    `RequisitionRecord` (see `sim.model.records`): every row has its kind's fields, each of the
    right sort, in order."""
    scenario = sim.load_scenario({**PRESET_RUN, "company": {**PRESET_RUN["company"],
                                                            "size": size}})  # fmt: skip
    records = HiringModel(scenario, 0).run()
    team, horizon = scenario.headcount(), scenario.horizon_days
    assert records.applicants and records.events and records.levels

    applicants = [Applicant._make(row) for row in records.applicants]
    assert all(len(row) == len(Applicant._fields) for row in records.applicants)
    assert sorted(a.case for a in applicants) == list(range(len(applicants)))
    reqs = [RequisitionRecord._make(row) for row in records.requisitions]
    for a in applicants:
        assert 0 <= a.requisition < len(reqs), a
        assert isinstance(a.applicant, int) and isinstance(a.search, int), a
        assert is_day(a.arrived_day) and isinstance(a.quality, float), a
        assert a.assessment is None or isinstance(a.assessment, float), a
        assert a.patience_days is None or is_day(a.patience_days), a
        assert a.outcome in OUTCOMES and a.exit_stage in JOURNEY, a
        assert (a.exit_day is None) == (a.outcome == "in_process"), a
        assert a.exit_day is None or a.arrived_day <= a.exit_day <= horizon, a
        assert a.offer_day is None or a.arrived_day <= a.offer_day <= horizon, a
        assert a.hired_day == (a.exit_day if a.outcome == "hired" else None), a

    stages = {*JOURNEY, REJECTION_NOTICE, *MILESTONES}
    assert all(len(row) == len(Event._fields) for row in records.events)
    for e in map(Event._make, records.events):
        assert 0 <= e.case < len(applicants), e
        if e.stage in OUTCOMES:
            assert (e.transition, e.resource) == (COMPLETE, None), e
        else:
            assert e.stage in stages and e.transition in (SCHEDULE, ASSIGN, START, COMPLETE), e
            assert e.resource is None or e.resource in team, e
            # asked of a team member: never for a stage no one works on, nor a status update
            assert e.transition != ASSIGN or e.resource is not None, e
            assert e.transition != ASSIGN or e.stage != STATUS_UPDATE, e
            assert e.stage not in POINTS or e.transition == COMPLETE, e
        assert is_day(e.time_days) and e.time_days <= horizon, e

    assert all(len(row) == len(Level._fields) for row in records.levels)
    for level in map(Level._make, records.levels):
        assert is_day(level.time_days) and level.time_days <= horizon, level
        assert level.resource in team, level
        assert isinstance(level.busy, int) and 0 <= level.busy <= team[level.resource], level
        assert isinstance(level.queue, int) and level.queue >= 0, level

    assert all(len(row) == len(RequisitionRecord._fields) for row in records.requisitions)
    check_opened(scenario, [r.requisition for r in reqs], [r.opened_day for r in reqs])
    for r in reqs:
        mine = [a for a in applicants if a.requisition == r.requisition]
        assert r.openings == scenario.company.openings and is_day(r.opened_day), r
        assert r.interviewed == len(mine), r
        assert r.searches > max((a.search for a in mine), default=-1), r
        assert r.hired == sum(a.outcome == "hired" for a in mine) <= r.accepted <= r.openings, r
        assert (r.filled_day is None) == (r.accepted < r.openings), r
        assert (r.started_day is None) == (r.hired < r.openings), r
        assert r.filled_day is None or r.opened_day <= r.filled_day <= records.end_day, r
        if r.started_day is not None:
            assert r.started_day == max(a.hired_day for a in mine if a.hired_day is not None), r


def test_a_replication_without_candidates():
    # One candidate expected after about 1,000 days, a horizon of 1 day: nobody arrives, and
    # the tables are empty, with their columns. (A regression test: the table builder used to
    # index with the empty, object-typed case column and raise IndexError.)
    document = {
        "name": "empty",
        "horizon_days": 1,
        "applicants": {"per_requisition": 1,
                       "arrivals": {"process": "poisson", "rate_per_day": 0.001}},
    }  # fmt: skip
    tables = sim.simulate(sim.load_scenario(document), 0)
    assert len(tables["applicants"]) == 0
    assert len(tables["events"]) == 0
    assert set(tables["applicants"].columns) >= {"case_id", "outcome", "time_to_offer_days"}
