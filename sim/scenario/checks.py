"""Warnings for scenarios that are legal but probably not what the user meant.

`validate` and `run` print them (exit status 0): a team role offered more work than it can do,
a horizon shorter than a hire takes, a stage no candidate can reach, a shortlist smaller than
the openings, approved candidates waiting in a disabled stage. The figures are first-order
estimates from the scenario's means (every candidate flows on until rejected; no queueing, no
withdrawals), enough to tell a plausible scenario from a slip of a digit.
"""

from __future__ import annotations

from collections.abc import Iterator

from sim.scenario import resolve
from sim.scenario.stages import SCREENING
from sim.scenario.sweeps import cell_label
from sim.scenario.types import DAYS_PER_MONTH, Scenario

MAX_CELL_LINES = 10  # warnings that differ between sweep cells: at most this many lines


def scenario_warnings(scenario: Scenario) -> list[str]:
    """One line per suspicious setting of a resolved scenario, each naming its field by its
    dotted path. With a sweep every cell is checked; a warning that holds in some cells only
    names them."""
    cells = resolve.cells(scenario)
    found: dict[str, list[str]] = {}
    for values, cell in cells:
        label = cell_label(values)
        for line in cell_warnings(cell):
            found.setdefault(line, []).append(label)
    lines = []
    for line, labels in found.items():
        if len(labels) == len(cells):
            lines.append(line)
        else:
            lines += [f"{line} (sweep cell {label})" for label in labels]
    if len(lines) > MAX_CELL_LINES:
        lines = [*lines[:MAX_CELL_LINES], f"... and {len(lines) - MAX_CELL_LINES} more warnings"]
    return lines


def cell_warnings(s: Scenario) -> list[str]:
    """The warnings of one resolved scenario (no sweep)."""
    return [*_load(s), *_horizon(s), *_unreachable(s), *_shortlist(s), *_no_calendar(s)]


def _no_calendar(s: Scenario) -> list[str]:
    """Working-time fields of a team role that do nothing in continuous time."""
    if s.calendar is not None:
        return []
    lines = []
    for role, member in s.team.items():
        written = [name for name, value in (("hours_per_week", member.hours_per_week),
                   ("vacation_days_per_year", member.vacation_days_per_year),
                   ("absences", member.absences), ("workdays", member.workdays))
                   if value]  # fmt: skip
        why = "has no effect without a calendar (continuous time: every hour a working hour)"
        lines += [f"team.{role}.{name}: {why}; add calendar: to use it" for name in written]
    return lines


def _arrival_rate(s: Scenario) -> float | None:
    """Interviewed candidates per day. With requisitions opening during the run, the long-run
    rate: theirs (`per_requisition` each; those open at the start are the team's usual stock,
    a transient). Otherwise, the rate over all requisitions while their searches run; None for
    a batch (everyone at day 0: a transient, not a rate)."""
    n = s.applicants.per_requisition
    later = s.company.requisitions_per_month / DAYS_PER_MONTH * n
    if later:
        return later
    per_requisition = s.applicants.arrivals.candidates_per_day(n)
    if per_requisition is None:
        return None
    return per_requisition * s.company.requisitions


def _work(s: Scenario) -> Iterator[tuple[str, float, float]]:
    """(resource, share of interviewed candidates reaching the work, days of work each) for
    every piece of work done per candidate, in stage order; the rejection notice last."""
    st = s.stages
    reach = 1.0
    for name in SCREENING:
        stage = getattr(st, name)
        if not stage.enabled:
            continue
        if name == "shortlisting" and stage.keep is not None:
            # one session per pool, then the best `keep` of the search go on
            yield (
                stage.resource,
                min(reach, 1 / s.applicants.per_requisition),
                s.mean_days(stage.duration, stage.resource),
            )
            reach = min(reach, stage.keep / s.applicants.per_requisition)
            continue
        if name == "decision" and stage.meets_every_days is not None:
            reach *= stage.pass_prob  # the meetings' load is counted by `_load`
            continue
        yield stage.resource, reach, s.mean_days(stage.duration, stage.resource)
        reach *= stage.pass_prob
    follow_up = st.follow_up
    if follow_up.enabled:
        second = follow_up.second_interview
        if second.enabled and follow_up.second_interview_prob:
            yield (
                second.resource,
                reach * follow_up.second_interview_prob,
                s.mean_days(second.duration, second.resource),
            )
            reach *= 1 - follow_up.second_interview_prob * (1 - second.pass_prob)
        yield follow_up.resource, reach, s.mean_days(follow_up.duration, follow_up.resource)
        reach *= follow_up.pass_prob
    if st.negotiation.enabled:
        rounds = st.negotiation.rounds.mean
        yield (
            st.negotiation.resource,
            reach,
            rounds * s.mean_days(st.negotiation.duration, st.negotiation.resource),
        )
    if st.final_decision.enabled:
        yield (
            st.final_decision.resource,
            reach,
            s.mean_days(st.final_decision.duration, st.final_decision.resource),
        )
        reach *= st.final_decision.accept_prob
    if st.onboarding.enabled:
        yield (
            st.onboarding.resource,
            reach,
            s.mean_days(st.onboarding.duration, st.onboarding.resource),
        )
    if follow_up.enabled and follow_up.rejection_duration is not None:
        yield (
            follow_up.resource,
            1.0,
            s.mean_days(follow_up.rejection_duration, follow_up.resource),
        )  # at most everyone


def _load(s: Scenario) -> list[str]:
    """Team roles offered at least as much work as their people can do."""
    rate = _arrival_rate(s)
    busy = dict.fromkeys(s.team, 0.0)  # people kept busy, on average
    decision = s.stages.decision
    if decision.enabled and decision.meets_every_days and decision.resource:
        busy[decision.resource] += (
            s.mean_days(decision.duration, decision.resource) / decision.meets_every_days
        )
    if rate is not None:
        for resource, reach, days in _work(s):
            if resource is not None:
                busy[resource] += rate * reach * days
    lines = []
    for role, people in busy.items():
        count = s.team[role].count
        load = people / count
        if load >= 1:
            lines.append(
                f"team.{role}: offered load {load:.0%} of {count} "
                f"{'person' if count == 1 else 'people'} while candidates arrive (work "
                "comes faster than they can do it: candidates will queue, and many may withdraw)"
            )
    return lines


def expected_days_to_hire(s: Scenario) -> float:
    """Mean days from interview to hire along the hire path, with no queueing: every enabled
    stage's mean wait and work, half a committee cadence, the negotiation rounds."""
    st, days = s.stages, 0.0
    for name, stage in st.items():
        if not stage.enabled:
            continue
        each = s.mean_days(stage.duration, stage.resource) + (
            s.mean_days(stage.wait) if stage.wait else 0.0
        )
        if name == "negotiation":
            each *= st.negotiation.rounds.mean
        elif name == "decision" and st.decision.meets_every_days:
            each += st.decision.meets_every_days / 2
        days += each
    return days


def _horizon(s: Scenario) -> list[str]:
    days = expected_days_to_hire(s)
    if s.horizon_days < days:
        return [f"horizon_days: {s.horizon_days:g} is shorter than a hire takes on average "
                f"(about {days:.0f} days without queueing): most candidates will end "
                "in_process"]  # fmt: skip
    return []


def _unreachable(s: Scenario) -> list[str]:
    """The first stage no candidate can reach, and why."""
    st = s.stages
    gates = [(f"stages.{name}.pass_prob", getattr(st, name)) for name in SCREENING]
    gates = [(path, stage) for path, stage in gates if stage.enabled]
    if st.shortlisting.keep is not None:  # a shortlist ranks; its pass_prob is not used
        gates = [(p, stage) for p, stage in gates if not p.startswith("stages.shortlisting")]
    if st.follow_up.enabled:
        gates.append(("stages.follow_up.pass_prob", st.follow_up))
    names = [path.split(".")[1] for path, _ in gates]
    for k, (path, stage) in enumerate(gates):
        if stage.pass_prob == 0:
            after = names[k + 1] if k + 1 < len(names) else "an offer"
            return [f"{path}: 0 lets no candidate through: no one reaches {after} or any "
                    "later stage"]  # fmt: skip
    if st.final_decision.enabled and st.final_decision.accept_prob == 0:
        return ["stages.final_decision.accept_prob: 0: every offer is declined, no one is hired"]
    return []


def _shortlist(s: Scenario) -> list[str]:
    lines = []
    keep, openings = s.stages.shortlisting.keep, s.company.openings
    if s.stages.shortlisting.enabled and keep is not None and keep < openings:
        lines.append(f"stages.shortlisting.keep: {keep} is below company.openings {openings}: "
                     "one search can fill at most that many openings")  # fmt: skip
    if not s.stages.follow_up.enabled:
        lines.append("stages.follow_up: disabled, yet approved candidates still wait there for a "
                     "free opening (their exit_stage reads follow_up)")  # fmt: skip
    return lines
