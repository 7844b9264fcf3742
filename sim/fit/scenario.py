"""A fitted scenario as commented YAML text: every fitted value with its sample size and 95%
interval in a comment, the rest (team sizes above all: no export shows them) from a preset.

The text is written here (flow mappings of numbers and names only) and read back by
`sim.scenario.io.load_scenario` before it is kept, so what is written always validates.
"""

from __future__ import annotations

import math

from sim.fit.estimate import Duration, Fit, Proportion
from sim.scenario.io import dump_yaml
from sim.scenario.stages import STAGE_NAMES
from sim.scenario.worktime import daily_hiring_hours

MARKER = "# Written by `hiresim fit`"
"""The first line of every file `hiresim fit` writes: only such a file is replaced without
--force."""
WEEK = ("mon", "tue", "wed", "thu", "fri")
WORKDAYS = f"[{', '.join(WEEK)}]"
HOURS_PER_DAY = 8
"""The written calendar's working hours a day: a team member's work fitted in business days
is written in working hours at this rate."""
UNASSESSED = ("follow_up", "negotiation", "final_decision", "onboarding")


def _num(x: float) -> str:
    return f"{float(x):.6g}"


def _dist(d: Duration, unit: str | None) -> str:
    fields = {"dist": d.family, **d.params}
    text = ", ".join(f"{k}: {v if isinstance(v, str) else _num(v)}" for k, v in fields.items())
    return "{" + text + (f", unit: {unit}" if unit else "") + "}"


def _scaled(d: Duration, factor: float) -> Duration:
    """`d` with every time in it multiplied by `factor` (a cv stays)."""
    params = {k: (v if k == "cv" else v * factor) for k, v in d.params.items()}
    return Duration(d.family, params, d.median * factor, d.ci, d.n, d.censored, d.aic,
                    d.done * factor, d.open * factor)  # fmt: skip


def _why(d: Duration, clock: str) -> str:
    censored = f", {d.censored} still open (censored)" if d.censored else ""
    if d.family == "fixed":
        how = f"range [{_num(d.ci[0])}, {_num(d.ci[1])}]; too few or all alike to fit a spread"
    else:
        ranked = sorted(d.aic, key=d.aic.get)
        how = (f"median {_num(d.median)} [{_num(d.ci[0])}, {_num(d.ci[1])}] (95% bootstrap); "
               f"AIC: {' < '.join(ranked)}")  # fmt: skip
    return f"n={d.n}{censored}; {how}; {clock}"


def _share(p: Proportion) -> str:
    return f"n={p.n}; 95% [{p.ci[0]:.3f}, {p.ci[1]:.3f}] (Wilson)"


def _prob(p: Proportion | None) -> str | None:
    return None if p is None or p.n == 0 or math.isnan(p.value) else f"{p.value:.4f}"


def scenario_text(fit: Fit, name: str, size: str, preset: dict, source: str,
                  team_origin: str | None = None) -> str:  # fmt: skip
    """The YAML text of the fitted scenario; `preset` is the resolved preset document of
    `size` (its team and resources are taken as they are; `team_origin` says where its head
    counts came from, by default the preset)."""
    unit = "business_days" if fit.business else None
    clock = "business days (Mon-Fri)" if fit.business else "calendar days"
    start = fit.start.date().isoformat()
    horizon = max(30, math.ceil(fit.span_days * 1.5))
    lines = [
        MARKER + f" from {source}: {fit.candidates} candidates, {fit.requisitions} "
        f"requisition(s). Edit freely; delete the first line to keep `hiresim fit` off it.",
        f"# Clock: {clock}: "
        + ("no activity on Saturdays or Sundays, so delays are in business days and the "
           "calendar is Mon-Fri." if fit.business else
           "activity on every day of the week, so delays are in plain days (no calendar)."),
        f"# Team sizes cannot be seen in an export: taken from the `{size}` preset below.",
        f"name: {name}",
        "seed: 2026",
        "replications: 30",
        f"horizon_days: {horizon}  # 1.5 x the export's span ({_num(fit.span_days)} days)",
        f"start_date: {start}  # the export's first event",
        "company:",
        f"  size: {size}  # the preset fills what is not written here",
        "  requisitions: 1",
        f"  requisitions_per_month: {_num(fit.requisitions_per_month)}  # {fit.requisitions} "
        f"requisition(s) opened over {_num(fit.span_days)} days",
        "  openings: 1",
    ]  # fmt: skip
    team = preset["team"]
    if not fit.business:  # hours and absences mean nothing without a calendar: head counts only
        team = {role: person["count"] for role, person in team.items()}
    team = dump_yaml({"team": team}).rstrip().splitlines()
    origin = team_origin or f"from the `{size}` preset"
    lines += [f"{team[0]}  # head counts {origin}: not estimable from an export"] + team[1:]
    arrivals = (
        f"{{process: poisson, rate_per_day: {_num(fit.rate_per_day)}}}  # candidates "
        "per day within a requisition"
        if fit.rate_per_day
        else "{process: batch}  # too few candidates per requisition to see a rate"
    )
    lines += [
        "applicants:",
        f"  per_requisition: {max(1, round(fit.per_requisition))}  # mean over "
        f"{fit.requisitions} requisition(s) ({_num(fit.per_requisition)})",
        "  max_reopens: 0  # the export counts candidates per requisition, not per search: "
        "one search brings them all",
        f"  arrivals: {arrivals}",
        "candidate:",
    ]  # fmt: skip
    if fit.patience is None:
        lines.append(f"  patience: null  # {fit.withdrew} withdrawal(s): too few to fit")
    else:
        lines.append(f"  patience: {_dist(fit.patience, None)}  # days from the first event "
                     f"to withdrawal: {_why(fit.patience, 'calendar days')}")  # fmt: skip
    lines.append("stages:")
    for stage in STAGE_NAMES:
        lines += _stage(stage, fit, preset, unit, clock)
    if fit.business:
        lines.append(f"calendar: {{workdays: {WORKDAYS}, hours_per_day: {HOURS_PER_DAY}, "
                     "holidays: []}  # no weekend activity in the export")  # fmt: skip
    else:
        lines.append("calendar: null  # activity on all seven days: continuous time")
    return "\n".join(lines) + "\n"


def hiring_hours(preset: dict) -> dict[str, float]:
    """Per stage worked by a team member, that member's hiring hours a working day under the
    calendar the fit writes (`HOURS_PER_DAY` from 09:00, Mon-Fri) and `preset`'s team, as
    the model lays them out (`sim.scenario.worktime.daily_hiring_hours`)."""
    stages = dict(preset["stages"])
    second = stages.get("follow_up", {}).get("second_interview")
    if second:
        stages["second_interview"] = second
    out = {}
    for stage, spec in stages.items():
        person = preset["team"].get(spec.get("resource") or "")
        if isinstance(person, dict):
            out[stage] = daily_hiring_hours(HOURS_PER_DAY, len(WEEK), person.get("hours_per_week"),
                                            person.get("vacation_days_per_year") or 0)  # fmt: skip
    return out


def _stage(stage: str, fit: Fit, preset: dict, unit, clock) -> list[str]:
    found = fit.stages.get(stage)
    if found is None:
        return [f"  {stage}: {{enabled: false}}  # never seen in the export"]
    out = [f"  {stage}:"]
    if found.gaps_only:
        out.append("    resource: null  # only completions in the export: the gap from the "
                   "previous stage's completion is fitted as a wait that holds no one")  # fmt: skip
        out.append("    duration: 0")
        if found.wait is None:
            out.append("    wait: null  # its completion is the candidate's first row: the time "
                       "before it cannot be seen (set it if you know it)")  # fmt: skip
    else:
        resource = preset["stages"][stage].get("resource")
        out.append(f"    resource: {resource if resource else 'null'}  # from the preset")
    if found.wait is not None:
        queue = "" if found.gaps_only or found.assigned else "; entry to start: includes queueing"
        out.append(f"    wait: {_dist(found.wait, unit)}  # {_why(found.wait, clock)}{queue}")
    elif found.pooled:
        out.append("    wait: null  # the pool below is the wait")
    elif not found.gaps_only:
        out.append("    wait: null  # no time between entering and starting")
    held = found.duration is not None and not found.gaps_only and fit.business
    if held and found.work_hours:  # measured in the hiring hours the team below works
        out.append(f"    duration: {_dist(found.duration, 'hours')}  # "
                   f"{_why(found.duration, 'working hours')}: start to completion counted in "
                   f"the {preset['stages'][stage]['resource']}'s hiring hours (09:00 + "
                   f"{found.work_hours:.3g} h a business day, from the team below)")  # fmt: skip
    elif held and preset["stages"][stage].get("resource"):  # a team member's work: working hours
        hours = _scaled(found.duration, HOURS_PER_DAY)
        out.append(f"    duration: {_dist(hours, 'hours')}  # {_why(found.duration, clock)}; "
                   f"written as working hours: business days x {HOURS_PER_DAY}")  # fmt: skip
    elif found.duration is not None:
        out.append(f"    duration: {_dist(found.duration, unit)}  # "
                   f"{_why(found.duration, clock)}")  # fmt: skip
    share = _prob(found.passing)
    if stage in UNASSESSED:
        out += _unassessed(stage, found, fit, share, unit, clock)
    elif found.pooled:
        out.append(f"    pass_prob: {preset['stages'][stage]['pass_prob']}  # from the preset: "
                   f"the pool's `keep` chooses (moved on: {_share(found.passing)}, "
                   f"{share})")  # fmt: skip
    elif share is not None:
        out.append(f"    pass_prob: {share}  # moved on / left the stage: "
                   f"{_share(found.passing)}")  # fmt: skip
    if stage == "shortlisting":
        if found.pooled:
            out += [f"    keep: {preset['stages'][stage].get('keep')}  # from the preset: "
                    "candidates start their shortlisting together (a pool)",
                    f"    pool_days: {preset['stages'][stage].get('pool_days')}  # from the "
                    "preset"]  # fmt: skip
        else:
            out.append("    keep: null  # a screen by pass_prob (the export shows no pool)")
    if stage == "decision":
        out.append("    meets_every_days: null")
    return out


def _pass(found) -> str:
    """`, pass_prob: P` of a stage written inline (the second interview), or nothing."""
    share = _prob(found.passing)
    return f", pass_prob: {share}" if share is not None else ""


def _unassessed(stage: str, found, fit: Fit, share: str | None, unit, clock) -> list[str]:
    if stage == "final_decision" and share is not None:
        return [f"    accept_prob: {share}  # accepted / decided: {_share(found.passing)}",
                "    accept_prob_loss_per_week: 0  # not estimated"]  # fmt: skip
    if stage == "negotiation" and share is not None:
        walked = Proportion(1 - found.passing.value,
                            (1 - found.passing.ci[1], 1 - found.passing.ci[0]), found.passing.n)
        return ["    rounds: 1  # the export shows one visit: duration is the whole negotiation",
                f"    walk_away_prob: {walked.value:.4f}  # walked away / left: "
                f"{_share(walked)}"]  # fmt: skip
    if stage == "follow_up":
        out = ["    approvals: 1  # the fitted wait is the whole sign-off"]
        second = _prob(fit.second_interview_prob)
        extra = fit.stages.get("second_interview")
        out.append(f"    second_interview_prob: {second or 0}  # "
                   + (_share(fit.second_interview_prob) if second else "none seen"))
        if found.gaps_only:  # no one's work seen: the notice takes no one's time either
            out.append("    rejection_duration: 0  # only completions in the export")
        if extra is not None and extra.gaps_only and extra.wait is not None:
            out.append(f"    second_interview: {{resource: null, duration: 0, wait: "
                       f"{_dist(extra.wait, unit)}{_pass(extra)}}}  # the gap from the "
                       f"previous completion: {_why(extra.wait, clock)}")  # fmt: skip
        elif extra is not None and extra.duration is not None:
            work = extra.duration  # a team member's work, in hours on a business-day clock
            if fit.business and not extra.work_hours:
                work = _scaled(work, HOURS_PER_DAY)
            body = f"duration: {_dist(work, 'hours' if fit.business else unit)}"
            if extra.wait is not None:
                body += f", wait: {_dist(extra.wait, unit)}"
            out.append(f"    second_interview: {{{body}{_pass(extra)}}}  # "
                       f"{_why(extra.duration, clock)}")  # fmt: skip
        return out
    return []
