"""Company-size presets: the defaults a scenario file overrides.

The figures they are grounded in (see ../shared/DOMAIN.md for the full list):
- Glassdoor 2017 (about 84k US interview reviews): 23.8 days from application to offer.
- NACE 2023: 25.1 days from first interview to offer or rejection; about 45% of interviewed
  college candidates get offers; 69% of offers accepted; students take about 11 days to decide.
- Glassdoor 2020: about 83% of US offers accepted (tech and professional 80.6%).
- Lever 2016 (1,000 companies): processes at larger companies run about 8-9 days longer.
- OfficeTeam: about 6 candidates interviewed per opening at large US firms.
- Robert Half 2016: 23% of candidates lose interest with no news within a week of the interview;
  Sterling 2022: 26% of job seekers dropped out of a process, 39% of them because it was too long.
- One staffing firm's study (weak): median 2 business days to decide on an offer.
Where no published figure exists (reference-check and negotiation durations, team effort per
candidate, committee cadence) the value is an ASSUMPTION, marked so, and meant to be changed.

`duration` is the effort that holds a person (in days of their time); `wait` is elapsed time
that holds no one (calendars, referees, approvals). Delays are lognormal by median and p90.
"""

from __future__ import annotations

import copy

from sim.scenario.types import SIZES


def _ln(median: float, p90: float) -> dict:
    return {"dist": "lognormal", "median": median, "p90": p90}


# Per size: the knobs that differ. `slow` stretches every elapsed wait: startup 0.65 to
# enterprise 1.45 (with the weekly committee) puts the enterprise median about 12 days [7, 15]
# behind the startup's, an interval holding Lever 2016's 8-9 days.
_KNOBS = {
    #            slow  HMs recr committee cadence  per_req 2nd-int accept
    "startup": (0.65, 1, 1, 0, None, 6, 0.50, 0.80),
    "small": (0.80, 1, 1, 0, None, 8, 0.40, 0.83),
    "mid": (1.00, 1, 2, 0, None, 10, 0.30, 0.85),
    "large": (1.20, 2, 3, 1, 7.0, 12, 0.25, 0.85),
    "enterprise": (1.45, 2, 4, 1, 7.0, 15, 0.25, 0.86),
}
# per_req: interviewed candidates per requisition; about 6 per opening (OfficeTeam), more at
# larger firms, which see about 129 applicants per hire at 1,000+ employees (Lever 2016).
# accept: Glassdoor 2020's 83% (80.6% in tech) before the loss for slow offers below; larger
# firms pay at or above market. NACE 2023's 69% is college hiring, lower than experienced hires.


def preset(size: str) -> dict:
    """The full scenario defaults for a company size, as a scenario-file mapping."""
    if size not in _KNOBS:
        raise KeyError(size)
    slow, managers, recruiters, committee, cadence, per_req, second, accept = _KNOBS[size]
    team = {"hiring_manager": managers, "recruiter": recruiters}
    if committee:
        team["committee"] = committee

    def wait(median: float, p90: float) -> dict:
        return _ln(round(median * slow, 3), round(p90 * slow, 3))

    if cadence:
        # a hiring committee meets weekly (ASSUMPTION); the meeting holds it for an hour or two
        decision = {
            "resource": "committee",
            "duration": 0.1,
            "meets_every_days": cadence,
            "pass_prob": 0.6,
        }
    else:
        decision = {
            "resource": "hiring_manager",
            "wait": wait(1.0, 4.0),
            "duration": _ln(0.1, 0.25),
            "pass_prob": 0.6,
        }
    return {
        "company": {"size": size, "requisitions": 1, "openings": 1},
        "team": team,
        "applicants": {
            "per_requisition": per_req,
            # interviews spread over about two weeks
            "arrivals": {"process": "poisson", "rate_per_day": round(per_req / 10, 3)},
            # ASSUMPTION: two weeks (stretched by size) to source and interview anew
            "reopen_after_days": round(14 * slow, 3),
            "max_reopens": 1,
        },
        # Median 4 weeks of patience, 10% gone within 1.5 weeks (ASSUMPTION). With news typically
        # two to four weeks away, 5-11% of all interviewed candidates withdraw (about a third to
        # two thirds of those not rejected first); Sterling 2022: 26% of job seekers dropped out
        # of a process, 39% of them because it took too long (about 10%).
        "candidate": {"patience": _ln(28.0, 70.0)},
        "stages": {
            "initial_review": {
                "resource": "hiring_manager",
                "wait": wait(1.0, 3.0),  # feedback collected from interviewers
                "duration": _ln(0.08, 0.2),  # ASSUMPTION: one to four hours of manager time
                "pass_prob": 0.6,
            },
            "shortlisting": {
                "resource": "hiring_manager",
                "duration": _ln(0.2, 0.5),  # one session comparing the whole pool
                "keep": 3,
                "pool_days": round(14 * slow, 3),
                "pass_prob": 1.0,
            },
            "reference_checks": {
                "resource": "recruiter",
                "wait": wait(3.0, 7.0),  # ASSUMPTION: referees answer in days, not hours
                "duration": _ln(0.1, 0.25),  # ASSUMPTION: calls and notes, about two hours
                "pass_prob": 0.9,
            },
            "decision": decision,
            "follow_up": {
                "resource": "recruiter",
                "wait": wait(1.0, 4.0),  # offer approval and letter
                "duration": _ln(0.05, 0.15),
                "pass_prob": 1.0,
                "rejection_duration": 0.02,  # about ten minutes per rejection email or call
                "second_interview_prob": second,
                "second_interview": {
                    "resource": "hiring_manager",
                    "wait": wait(3.0, 8.0),  # finding a slot in several calendars
                    "duration": 0.1,
                    "pass_prob": 0.8,
                },
            },
            "negotiation": {
                "resource": "recruiter",
                # ASSUMPTION: most offers see zero to two rounds of a day or few each
                "rounds": {"dist": "empirical", "values": [0, 1, 1, 1, 2, 2, 3]},
                "wait": _ln(1.5, 4.0),
                "duration": 0.05,
                "walk_away_prob": 0.04,
                "pass_prob": 1.0,
            },
            "final_decision": {
                # median 2 days to decide (staffing-firm study); a tail toward NACE's 11 days
                "duration": _ln(2.0, 9.0),
                "accept_prob": accept,
                # ASSUMPTION: slower offers are accepted less (decision time vs acceptance
                # correlates about -0.4 in the staffing-firm study); one point per week
                "accept_prob_loss_per_week": 0.01,
            },
            "onboarding": {
                "resource": "recruiter",
                "wait": wait(3.0, 10.0),  # background check and contract signature
                "duration": 0.1,
                "pass_prob": 1.0,
            },
        },
    }


PRESETS = {size: preset(size) for size in SIZES}


def merged(size: str, document: dict) -> dict:
    """`document` laid over the preset for `size`: mappings merge key by key, except a
    distribution or arrival process written in the file, which replaces the preset's whole."""
    base = copy.deepcopy(PRESETS[size])
    team, preset_team = document.get("team"), base.get("team")
    if isinstance(team, dict) and isinstance(preset_team, dict):
        for role, value in team.items():
            # `hiring_manager: {hours_per_week: 5}` over the preset's head count keeps the count
            if isinstance(value, dict) and _is_count(preset_team.get(role)):
                preset_team[role] = {"count": preset_team[role]}
    return _merge(base, document)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _merge(base: dict, over: dict) -> dict:
    for key, value in over.items():
        old = base.get(key)
        replaces = not isinstance(value, dict) or "dist" in value or "process" in value
        if isinstance(old, dict) and not replaces:
            base[key] = _merge(old, value)
        else:
            base[key] = copy.deepcopy(value)
    return base
