"""A scenario in plain words: one fact a line for a run, and for a sweep what every cell shares
and what differs from cell to cell (each cell resolved with its own preset, so a swept company
size changes the team, the requisitions and the committee too: the page says so, cell by cell).
"""

from __future__ import annotations

from sim.scenario.types import Scenario


def num(value: float) -> str:
    """A setting as people read it: 24, 0.8, 17.1 (not 17.142857)."""
    return f"{round(value, 1):g}" if abs(value) >= 1 else f"{value:.2g}"


def plural(count: float, word: str, many: str | None = None) -> str:
    """ "1 recruiter", "2 recruiters", "0.5 days": the plural unless exactly 1."""
    return f"{num(count)} {word if count == 1 else (many or word + 's')}"


def _distribution(dist) -> str:
    if dist is None:
        return "none"
    unit = (dist.unit or "days").replace("_", " ")
    if dist.dist == "fixed":
        return f"{dist.value:g} {unit}"
    return f"about {dist.mean:.1f} {unit} on average ({dist.dist})"


def _working_time(scenario: Scenario) -> str:
    """The calendar and the team's hiring hours, in one sentence."""
    cal = scenario.calendar
    holidays = cal.holidays
    where = " ".join(p for p in (holidays.country, holidays.region) if p)
    off = [f"{where} public holidays"] if where else []
    off += [plural(len(holidays.dates), "listed holiday")] if holidays.dates else []
    parts = []
    for name, member in scenario.team.items():
        week = [f"{member.hours_per_week:g} hours a week"] if member.hours_per_week else []
        week += ["on " + ", ".join(member.workdays)] if member.workdays else []
        hours = [" ".join(week)] if week else []
        hours += [f"{member.vacation_days_per_year:g} vacation days a year"] * bool(
            member.vacation_days_per_year
        )
        hours += [plural(len(member.absences), "absence")] if member.absences else []
        if hours:
            parts.append(f"{name.replace('_', ' ')}: {', '.join(hours)}")
    return (f"Working time: {', '.join(cal.workdays)}, {cal.hours_per_day:g} hours a day from "
            f"09:00{', without ' + ' and '.join(off) if off else ''}"
            f"{'; ' + '; '.join(parts) if parts else ''}.")  # fmt: skip


def _team(scenario: Scenario) -> str:
    return ", ".join(
        plural(m.count, name.replace("_", " "))
        + (" (each owning its requisitions)" if m.owns(name) else "")
        for name, m in scenario.team.items()
    )


def _arrivals(arrivals) -> str:
    rate = getattr(arrivals, "rate_per_day", None)
    if rate is not None:  # "about 1 interview a day", "about 4 interviews a day"
        return f"about {plural(rate, 'interview')} a day"
    return arrivals.describe()


def facts(scenario: Scenario) -> dict[str, str]:
    """What a reader needs to know of a scenario, as short label -> value (the sweep page's
    table of what differs between cells takes these as columns)."""
    c, a, s = scenario.company, scenario.applicants, scenario.stages
    final = s.final_decision
    found = {
        "company size": c.size,
        "requisitions open at the start": f"{c.requisitions:g}",
        "requisitions opening a month": (f"about {num(c.requisitions_per_month)}"
                                         if c.requisitions_per_month else "none"),  # fmt: skip
        "openings per requisition": f"{c.openings:g}",
        "team": _team(scenario),
        "candidates per requisition": f"{a.per_requisition:g} ({_arrivals(a.arrivals)})",
        "reopened searches": (f"after {plural(a.reopen_after_days, 'day')}, at most "
                              f"{plural(a.max_reopens, 'time')}"),  # fmt: skip
        "patience": (_distribution(scenario.candidate.patience) if scenario.candidate.patience
                     else "unlimited (no one withdraws)"),  # fmt: skip
        "shortlist": (f"the best {s.shortlisting.keep:g} of each pool"
                      if s.shortlisting.enabled and s.shortlisting.keep else "a plain screen"),
        "decision": (f"{s.decision.resource or 'a committee'} meeting every "
                     f"{plural(s.decision.meets_every_days, 'day')}"
                     if s.decision.enabled and s.decision.meets_every_days
                     else "as soon as the decider is free"),  # fmt: skip
        "offers accepted": (f"with probability {final.accept_prob:g}, "
                            f"{final.accept_prob_loss_per_week:g} less per week of waiting"),
        "working time": (_working_time(scenario).removeprefix("Working time: ").rstrip(".")
                         if scenario.calendar is not None else "continuous (no calendar)"),
    }  # fmt: skip
    return found


def describe(scenario: Scenario) -> list[str]:
    """The scenario in plain words, one sentence a line."""
    c, a, s = scenario.company, scenario.applicants, scenario.stages
    later = (f" (and about {num(c.requisitions_per_month)} more opening a month)"
             if c.requisitions_per_month else "")  # fmt: skip
    each = " each" if c.requisitions != 1 else ""
    lines = [
        f"A {c.size} company with {plural(c.requisitions, 'open requisition')}{later} of "
        f"{plural(c.openings, 'opening')}{each}, sharing a team of {_team(scenario)}.",
        f"Each requisition interviews {plural(a.per_requisition, 'candidate')} "
        f"({_arrivals(a.arrivals)}); a search with no one left reopens after "
        f"{plural(a.reopen_after_days, 'day')}, at most {plural(a.max_reopens, 'time')}.",
        "Candidates' patience: " + facts(scenario)["patience"] + ".",
    ]
    if scenario.calendar is not None:
        lines.append(_working_time(scenario))
    if s.shortlisting.enabled and s.shortlisting.keep:
        lines.append(f"The shortlist keeps the best {s.shortlisting.keep} of each pool.")
    if s.decision.enabled and s.decision.meets_every_days:
        lines.append(f"A {s.decision.resource or 'committee'} decides in meetings every "
                     f"{plural(s.decision.meets_every_days, 'day')}.")  # fmt: skip
    final = s.final_decision
    lines.append(f"Offers are accepted with probability {final.accept_prob:g}, "
                 f"{final.accept_prob_loss_per_week:g} less per week of waiting.")  # fmt: skip
    lines.append(f"{plural(scenario.replications, 'replication')} from seed {scenario.seed}, "
                 f"horizon {plural(scenario.horizon_days, 'day')}"
                 + (f", the first {plural(scenario.warmup_days, 'day')} a warm-up left out of "
                    "the statistics" if scenario.warmup_days else "") + ".")  # fmt: skip
    return lines


def sweep_facts(scenario: Scenario) -> tuple[dict[str, str], list[str], list[dict[str, str]]]:
    """(facts every cell shares, the labels of the facts that differ, each cell's facts) of a
    swept scenario, each cell resolved with its own preset."""
    from sim.scenario.resolve import cells

    per_cell = [facts(cell) for _, cell in cells(scenario)]
    labels = list(per_cell[0]) if per_cell else []
    shared = {k: per_cell[0][k] for k in labels if all(f[k] == per_cell[0][k] for f in per_cell)}
    varying = [k for k in labels if k not in shared]
    return shared, varying, per_cell
