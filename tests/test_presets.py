"""The company-size presets: size is structure, not a stretch factor on waits."""

from __future__ import annotations

import pytest

import sim
from sim.scenario import presets
from sim.scenario.types import SIZES

# What differs between sizes, by design: the team and its workload, the sign-offs before an
# offer, the committee, the practice of second interviews, the applicant volume.
STRUCTURE = {
    ("company", "requisitions"), ("company", "requisitions_per_month"), ("company", "size"),
    ("team",), ("applicants", "per_requisition"), ("applicants", "arrivals"),
    ("stages", "decision"), ("stages", "follow_up", "approvals"),
    ("stages", "follow_up", "second_interview_prob"),
}  # fmt: skip


def leaves(node, path=()):
    """(path, value) for every leaf of a nested mapping; a distribution is one leaf."""
    if isinstance(node, dict) and "dist" not in node:
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    else:
        yield path, node


def structural(path: tuple) -> bool:
    return any(path[: len(prefix)] == prefix for prefix in STRUCTURE)


def test_waits_that_are_not_structure_are_the_same_in_every_preset():
    """Referees answering, background checks, a candidate deciding or losing patience, the work
    each task takes: one value for every size (the old presets stretched them by size)."""
    mid = dict(leaves(presets.preset("mid")))
    checked = 0
    for size in SIZES:
        mine = dict(leaves(presets.preset(size)))
        assert {p for p in mine if not structural(p)} == {p for p in mid if not structural(p)}
        for path, value in mine.items():
            if not structural(path):
                assert value == mid[path], (size, path)
                checked += 1
    assert checked > 5 * 40  # every stage's wait, duration and draw, in every preset
    waits = [p for p in mid if "wait" in p and not structural(p)]
    assert ("stages", "reference_checks", "wait") in waits
    assert ("stages", "onboarding", "wait") in waits


@pytest.mark.parametrize("size", SIZES)
def test_each_preset_is_a_team_with_hours_on_a_working_calendar(size):
    s = sim.load_scenario({"name": "p", "company": {"size": size}})
    assert s.calendar is not None and s.calendar.workdays == ["mon", "tue", "wed", "thu", "fri"]
    assert s.calendar.holidays.country == "US"
    assert s.team["hiring_manager"].owns("hiring_manager")
    assert s.team["hiring_manager"].hours_per_week is not None
    assert s.company.requisitions_per_month > 0
    # recruiters carry several requisitions; each hiring manager one or two
    open_reqs = s.company.requisitions
    assert open_reqs / s.team["recruiter"].count >= 4
    assert 1 <= open_reqs / s.team["hiring_manager"].count <= 2
    # team effort in working hours, process waits in business days, the candidate's own time
    # in calendar days
    st = s.stages
    assert st.initial_review.duration.unit == "hours"
    assert st.reference_checks.wait.unit == "business_days"
    assert st.final_decision.duration.unit in (None, "days")
    assert s.candidate.patience.unit in (None, "days")


def test_structure_grows_with_size():
    """Bigger companies: more requisitions per recruiter, more sign-offs, a committee, more
    second interviews. No preset is merely a slower copy of another."""
    built = [sim.load_scenario({"name": "p", "company": {"size": size}}) for size in SIZES]
    per_recruiter = [s.company.requisitions / s.team["recruiter"].count for s in built]
    approvals = [s.stages.follow_up.approvals for s in built]
    second = [s.stages.follow_up.second_interview_prob for s in built]
    assert per_recruiter == sorted(per_recruiter) and per_recruiter[0] < per_recruiter[-1]
    assert approvals == sorted(approvals) and approvals[0] < approvals[-1]
    assert second == sorted(second) and second[0] < second[-1]
    committees = [s.stages.decision.meets_every_days is not None for s in built]
    assert committees == [False, False, False, True, True]


def test_a_requisition_is_owned_by_one_hiring_manager():
    """Requisitions take their owners in turn as they open; one manager's queue never holds
    another's requisition's work, so a second manager for one requisition buys nothing."""
    document = {
        "name": "own", "calendar": None, "candidate": {"patience": None},
        "company": {"size": "mid", "requisitions": 1, "requisitions_per_month": 0},
        "team": {"hiring_manager": {"count": 1}},
        "applicants": {"per_requisition": 12, "arrivals": {"process": "batch"}},
    }  # fmt: skip
    one = sim.simulate(sim.load_scenario(document), 0)["applicants"]
    two_doc = {**document, "team": {"hiring_manager": {"count": 2}}}
    two = sim.simulate(sim.load_scenario(two_doc), 0)["applicants"]
    assert one["offer_day"].equals(two["offer_day"])  # the second manager owns nothing
    pooled_doc = {**document, "team": {"hiring_manager": {"count": 2, "owns_requisitions": False}}}
    pooled = sim.simulate(sim.load_scenario(pooled_doc), 0)["applicants"]
    assert not one["exit_day"].equals(pooled["exit_day"])  # a pool of two shares the work
