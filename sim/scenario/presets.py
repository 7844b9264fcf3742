"""Company-size presets: the defaults a scenario file overrides.

A preset is a hiring team and its workload, on a Monday-Friday calendar with US public holidays.
Company size is *structure*, not a stretch factor on waits: how many requisitions each recruiter
carries, how many each hiring manager owns and the hours the manager has for them, the sign-offs
an offer needs, whether a committee decides on a cadence, and how often a second interview is
the practice. Every other delay (referees answering, background checks, a candidate deciding)
is the same in every preset, and `tests/test_presets.py` checks it.

Sources (see ../shared/DOMAIN.md; docs/calibration.md keeps tuning and validation apart):
- SHRM HR Knowledge Center: in-house recruiters carry a median 15-20 open requisitions, from
  single digits to over 100. SHRM 2016: 42 days to fill.
- OfficeTeam: about 6 candidates interviewed per opening at large US firms; Lever 2016: about
  129 applicants per hire at 1,000+ employees (more candidates at larger firms).
- Glassdoor 2020: about 83% of US offers accepted (tech and professional 80.6%).
- One staffing firm's study (weak): a median of 2 business days to decide on an offer; those
  who decline are slower; decision time and acceptance correlate about -0.4.
- NACE 2023: students take about 11 days to decide (the tail of the decision time).
- Robert Half 2016, Sterling 2022: candidates lose interest within one to two weeks of silence;
  26% of job seekers dropped out of a process, 39% of them because it was too long.
- A vendor blog (weak): 90-150 minutes of hiring-manager and HR time per candidate.
Where no published figure exists (hiring managers' hours, reference-check and negotiation
durations, approval layers, committee cadence) the value is an ASSUMPTION, marked so, and meant
to be changed. CALIBRATED marks the values tuned to the mid preset's targets.

`duration` is work that holds a person, in their working hours; `wait` holds no one, in
business days; the candidate's own time (patience, deciding) is in calendar days. Delays are
lognormal by median and p90.
"""

from __future__ import annotations

import copy

from sim.scenario.types import SIZES

MONTHS_OPEN = 1.4
"""SHRM 2016's 42 days to fill, in months: with `requisitions_per_month` = open / MONTHS_OPEN a
team starts with about as many open requisitions as it keeps, so the run starts near its steady
state."""

MANAGER_HOURS = 9.0
"""CALIBRATED: the hours a week a hiring manager gives to the post-interview work of hiring
(reviews, shortlisting, decisions, second interviews), tuned so that the mid preset's median
time from interview to offer is Glassdoor 2017's 23.8 days (the length of the interview process
as candidates report it). Not published anywhere we found. The same in every preset.
Since the finalists are compared before an offer (issue 10) the mid preset's median is about
28 days, and no manager time brings it to 23.8 (13 hours a week: 26.6; 18 hours: 25.9): the
wait for the slowest finalist's references is not the manager's. Kept at 9 until the timings
are fitted to real data (`hiresim fit`), and shown as missed in docs/calibration.md."""


def _ln(median: float, p90: float, unit: str | None = None) -> dict:
    dist = {"dist": "lognormal", "median": median, "p90": p90}
    if unit is not None:
        dist["unit"] = unit
    return dist


def _hours(median: float, p90: float) -> dict:
    return _ln(median, p90, "hours")


def _business_days(median: float, p90: float) -> dict:
    return _ln(median, p90, "business_days")


# Per size, the structure (each an ASSUMPTION unless cited):
# - recruiters, and the open requisitions each carries: SHRM's median 15-20, fewer at smaller
#   companies (single digits are common);
# - hiring managers, each owning one or two open requisitions at a time, and their hours a
#   week for hiring: founders and managers at small companies give hiring more of their week;
# - approvals: sign-offs an offer needs (a founder's yes; HR, compensation and finance);
# - committee: a hiring committee decides weekly instead of the hiring manager;
# - second: share of finalists invited to a second interview (more rounds at larger firms);
# - per_req: candidates interviewed per requisition (OfficeTeam's 6 per opening; more at larger
#   firms, Lever 2016).
_STRUCTURE = {
    #            recruiters reqs/recr reqs/manager hours approvals committee second per_req
    "startup": (1, 4, 1.5, MANAGER_HOURS, 1, False, 0.20, 6),
    "small": (1, 8, 1.25, MANAGER_HOURS, 1, False, 0.25, 6),
    "mid": (2, 12, 1.0, MANAGER_HOURS, 2, False, 0.30, 8),
    "large": (2, 15, 1.0, MANAGER_HOURS, 3, True, 0.40, 10),
    "enterprise": (2, 18, 1.0, MANAGER_HOURS, 3, True, 0.50, 12),
}

RECRUITER_HOURS = 32.0
"""ASSUMPTION: hours a week a recruiter gives to the post-interview work modelled here
(references, offers, negotiation, onboarding paperwork, rejection notices); the rest of the
week goes to sourcing, screening and scheduling interviews, which the model does not hold."""

ACCEPT = 0.93
"""CALIBRATED: acceptance before the loss for slow offers, tuned so that the mid preset accepts
about 83% of offers (Glassdoor 2020). The same in every preset. Checked again after issue 10
(finalists compared, backup list): 83.0% [81.9, 84.1] over 20 replications, still on target."""

VACATION_DAYS = 15
"""ASSUMPTION: working days of vacation a year (a typical US allowance)."""


VALIDITY = {"interview": 0.42, "discussion": 0.19, "references": 0.26}
"""How well each assessing stage sees quality: operational validity (the correlation of a
selection method with later job performance). Sackett, Zhang, Berry & Lievens (2022, Journal of
Applied Psychology 107(11)) revised the meta-analytic figures: a structured interview 0.42, an
unstructured one 0.19; reference checks 0.26 (Schmidt & Hunter 1998, Psychological Bulletin
124(2)). ASSUMPTION: which stage is which method. The initial review and the second interview
score a panel's structured interview; the decision adds the team's unstructured discussion;
the shortlist compares what the review saw, learning nothing new."""


def preset(size: str) -> dict:
    """The full scenario defaults for a company size, as a scenario-file mapping."""
    if size not in _STRUCTURE:
        raise KeyError(size)
    recruiters, per_recruiter, per_manager, hours, approvals, committee, second, per_req = (
        _STRUCTURE[size]
    )
    open_requisitions = recruiters * per_recruiter
    managers = round(open_requisitions / per_manager)
    team = {
        "hiring_manager": {
            "count": managers,
            "hours_per_week": hours,
            "vacation_days_per_year": VACATION_DAYS,
        },
        "recruiter": {
            "count": recruiters,
            "hours_per_week": RECRUITER_HOURS,
            "vacation_days_per_year": VACATION_DAYS,
        },
    }
    if committee:
        # ASSUMPTION: one committee for the company, meeting weekly on Wednesdays at 14:00 for
        # an hour (day 0 is a Monday)
        team["committee"] = 1
        decision = {
            "resource": "committee",
            "duration": "1 hour",
            "meets_every_days": 7.0,
            "first_meeting_day": 2 + 14 / 24,
            "pass_prob": 0.6,
            "validity": VALIDITY["discussion"],
        }
    else:
        decision = {
            "resource": "hiring_manager",
            "wait": _business_days(1.0, 3.0),  # ASSUMPTION: the panel's input gathered
            "duration": _hours(0.5, 1.5),  # ASSUMPTION: half an hour to decide
            "pass_prob": 0.6,
            "validity": VALIDITY["discussion"],
        }
    return {
        "company": {
            "size": size,
            "requisitions": open_requisitions,
            "requisitions_per_month": round(open_requisitions / MONTHS_OPEN, 3),
            "openings": 1,
        },
        "calendar": {
            "workdays": ["mon", "tue", "wed", "thu", "fri"],
            "hours_per_day": 8,
            "holidays": {"country": "US"},
        },
        "team": team,
        "applicants": {
            "per_requisition": per_req,
            # interviews spread over about two weeks
            "arrivals": {"process": "poisson", "rate_per_day": round(per_req / 10, 3)},
            # ASSUMPTION: two weeks to source and interview anew, up to three times
            "reopen_after_days": 14.0,
            "max_reopens": 3,
        },
        # ASSUMPTION: median 4 weeks of patience, 10% gone within 1.5 weeks. With news two to
        # four weeks away, a visible share withdraws; Sterling 2022: 26% of job seekers dropped
        # out of a process, 39% of them because it took too long (about 10%).
        "candidate": {"patience": _ln(28.0, 70.0)},
        "stages": {
            "initial_review": {
                "resource": "hiring_manager",
                "wait": _business_days(1.0, 3.0),  # ASSUMPTION: interviewers' feedback in
                "duration": _hours(0.5, 1.5),  # ASSUMPTION: reading the panel's scorecards
                "pass_prob": 0.6,
                "validity": VALIDITY["interview"],  # the panel's interview, scored
            },
            "shortlisting": {
                "resource": "hiring_manager",
                "duration": _hours(1.5, 3.0),  # ASSUMPTION: one session comparing the pool
                "keep": 3,
                "pool_days": 14.0,  # ASSUMPTION: the pool waits at most two weeks
                "pass_prob": 1.0,
                # no validity: the pool is ranked on what the review saw, nothing new is learnt
            },
            "reference_checks": {
                "resource": "recruiter",
                "wait": _business_days(3.0, 7.0),  # ASSUMPTION: referees answer in days
                "duration": _hours(0.5, 1.5),  # ASSUMPTION: calls and notes
                "pass_prob": 0.9,
                "validity": VALIDITY["references"],
            },
            "decision": decision,
            "follow_up": {
                "resource": "recruiter",
                "wait": _business_days(1.0, 3.0),  # ASSUMPTION: each sign-off
                "approvals": approvals,
                "duration": _hours(1.0, 2.0),  # ASSUMPTION: the offer letter and the call
                "pass_prob": 1.0,
                "rejection_duration": "0.1 hours",  # ASSUMPTION: an email, a few minutes
                "second_interview_prob": second,
                "second_interview": {
                    "resource": "hiring_manager",
                    "wait": _business_days(3.0, 8.0),  # ASSUMPTION: a slot in several calendars
                    "duration": "1 hour",
                    "pass_prob": 0.8,
                    "validity": VALIDITY["interview"],
                },
            },
            "negotiation": {
                "resource": "recruiter",
                # ASSUMPTION: most offers see zero to two rounds of a day or a few each
                "rounds": {"dist": "empirical", "values": [0, 1, 1, 1, 2, 2, 3]},
                "wait": _business_days(1.0, 3.0),
                "duration": "0.5 hours",
                "walk_away_prob": 0.04,
                "pass_prob": 1.0,
            },
            "final_decision": {
                # median 2 days to decide (staffing-firm study); a tail toward NACE's 11 days
                "duration": _ln(2.0, 9.0),
                "accept_prob": ACCEPT,
                # ASSUMPTION: slower offers are accepted less (decision time vs acceptance
                # correlates about -0.4 in the staffing-firm study); one point per week
                "accept_prob_loss_per_week": 0.01,
            },
            "onboarding": {
                "resource": "recruiter",
                "wait": _business_days(3.0, 10.0),  # ASSUMPTION: background check, signature
                "duration": "1 hour",
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
