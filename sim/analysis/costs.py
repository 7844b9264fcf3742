"""Team hours and costs: what each requisition took of the team's time and what it cost.

Hours are work, not elapsed time. A team role's people are busy (hold a piece of work) from
when it is granted until it is done (its levels, `Records.columns("levels")`); a busy person
works only in their hiring hours: with a `calendar`, from 09:00 for their hiring hours a working
day (`sim.model.calendar`), on working days they are not away; without one, every hour. So a
role's hours are its time-weighted busy people counted inside those hours only: a review of 2
working hours started at 16:00 on a Friday counts 2 hours, not the 66 it spans. For work in
`hours` this is the effort drawn, exactly. The levels do not say which person is busy, which
matters only where a role's people are away on different days: an owner of requisitions holds
the work that arrives during their vacation until they are back, and the role's levels would
count it as worked. For those roles (`per_person_roles`: owners, more than one, with a
calendar) the hours come instead from the event log's start -> complete spans, each given to
the person owning the candidate's requisition and counted in that person's own hiring hours
(`Spans`, fed as the events stream, so a run whose events go to files needs no event log).

The team levels say what a role did, not for which requisition, so each replication's hours
are shared over its requisitions in proportion to the candidates each interviewed
(`requisition_costs`). A requisition's `cost` is its share of the team's hours at the
`hourly` rates, the fixed cost per search for each of its searches, the fixed cost per hire for
each of its openings whose candidate started, and `per_open_day` for each day it stayed open
(`delay_cost`: opened to filled, or to the end of the run while unfilled). The summary divides
the sums over every replication by the hires (`cost_statistics`), with a 95% interval that
treats replications as clusters (as `sim.analysis.summaries.clustered_mean`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.analysis.metrics import COST_COLUMNS, PER_HIRE
from sim.analysis.summaries import CONFIDENCE, t_quantile
from sim.analysis.timelines import steps
from sim.model.calendar import DAY_STARTS_AT, team_hours, work_calendar
from sim.model.records import Records
from sim.scenario.stages import OUTCOMES
from sim.scenario.types import Scenario

COST_SUMMARY = [f"{name}{end}" for name in PER_HIRE for end in ("", "_ci_low", "_ci_high")]
"""The summary's cost and hours columns, in order."""
ROLE_HOURS = {"recruiter_hours": "recruiter", "hiring_manager_hours": "hiring_manager"}
"""The requisitions' hours columns of single roles, and the role each counts."""


def role_hours(records: Records, scenario: Scenario, spans: Spans | None = None
               ) -> dict[str, float]:  # fmt: skip
    """Hours each team role's people worked in this replication (see the module's text);
    `spans`: the work of the roles whose people are away on different days, as the events
    streamed (`Spans`; None: taken from the records' events)."""
    levels = records.columns("levels")
    calendar = work_calendar(scenario)
    daily, away = team_hours(scenario, calendar)
    code = {name: i for i, name in enumerate(records.names)}
    end = float(records.end_day)
    hours = {}
    per_person = per_person_roles(scenario)
    if per_person:
        if spans is None:
            spans = Spans(records, scenario)
            spans.add(records.columns("events"))
        hours.update(spans.hours(end))
    for role in scenario.team:
        if role in hours:
            continue
        mine = levels["resource"] == code.get(role, -2)
        if not mine.any() or not end > 0:
            hours[role] = 0.0
            continue
        times = np.append(levels["time_days"][mine], end)
        busy = np.append(levels["busy"][mine].astype(float), np.nan)
        times, busy, last = steps(times, busy)
        edges = np.clip(np.append(times, last), 0.0, end)
        if calendar is None:
            worked = np.diff(edges) * 24.0
        else:
            at = _working_hours_by(calendar, daily[role], away[role], end)
            worked = np.diff(at(edges))
        hours[role] = float(np.sum(busy * worked))
    return hours


def _working_hours_by(calendar, daily: float, away: tuple[frozenset[int], ...], end: float):
    """instants (days) -> hiring hours of one person of the role from day 0 to each: each
    working day's hours from 09:00, times the share of the role's people not away that day."""
    days = math.ceil(end) + 1
    share = np.array([
        calendar.is_workday(d) * sum(d not in person for person in away) / len(away)
        for d in range(days)
    ], dtype=float)  # fmt: skip
    before = np.concatenate([[0.0], np.cumsum(share * daily)])  # hours before each day
    opens, length = DAY_STARTS_AT / 24, daily / 24

    def at(t: np.ndarray) -> np.ndarray:
        day = np.clip(np.floor(t).astype(np.int64), 0, days - 1)
        into = np.clip(t - day - opens, 0.0, length) * 24.0
        return before[day] + share[day] * into

    return at


def per_person_roles(scenario: Scenario) -> list[str]:
    """The roles whose hours come from their work's spans, person by person: with a calendar,
    those owning requisitions with more than one person (each takes vacation on their own
    days), unless the role is a committee's (whose meetings are no one requisition's)."""
    if scenario.calendar is None:
        return []
    decision = scenario.stages.decision
    committee = decision.resource if decision.meets_every_days is not None else None
    return [role for role, member in scenario.team.items()
            if member.owns(role) and member.count > 1 and role != committee]  # fmt: skip


class Spans:
    """The hours of `per_person_roles`, from the events as they stream (`add` each chunk, in
    order): each `start` paired with its `complete`, or with the candidate's outcome when the
    work was cut short, and given to the person owning the candidate's requisition (its
    number modulo the role's people, as `sim.model.team.Role.owner`), whose own hiring hours
    it counts. A person does one thing at a time but for a session (a shortlisting pool),
    whose members' spans share their start: those count once, to the last one's end. Only
    the work under way is held, so memory stays bounded whatever the run's length."""

    def __init__(self, records: Records, scenario: Scenario):
        self.records = records
        self.people = {role: scenario.team[role].count for role in per_person_roles(scenario)}
        self.worked = dict.fromkeys(self.people, 0.0)
        self.clocks = {}  # role -> each person's instants -> hiring hours since day 0
        if self.people:
            calendar = work_calendar(scenario)
            daily, away = team_hours(scenario, calendar)
            horizon = float(scenario.horizon_days)
            self.clocks = {role: [_working_hours_by(calendar, daily[role], (days,), horizon)
                                  for days in away[role]] for role in self.people}  # fmt: skip
        self.roles: dict[int, str] = {}  # code -> role, once the records have coded them
        self.open: dict[tuple[int, int], tuple] = {}  # (case, stage) -> the span's key
        self.by_case: dict[int, list[tuple[int, int]]] = {}  # work under way, by candidate
        self.reach: dict[tuple, list] = {}  # span key -> [members under way, end counted]

    def add(self, chunk) -> None:
        """Pair the spans of one chunk of events (`Records.columns("events")`)."""
        if not self.people:
            return
        # names are coded as the records first see them: look the codes up now
        code = {name: i for i, name in enumerate(self.records.names)}
        self.roles = {code[r]: r for r in self.people if r in code}
        start, complete = code.get("start", -2), code.get("complete", -2)
        outcomes = [code[o] for o in OUTCOMES if o in code]
        resource, stage = chunk["resource"], chunk["stage"]
        ours = np.isin(resource, list(self.roles)) | np.isin(stage, outcomes)
        requisitions = self.records.arrivals[0]
        rows = zip(chunk["case"][ours].tolist(), stage[ours].tolist(),
                   chunk["transition"][ours].tolist(), chunk["time_days"][ours].tolist(),
                   resource[ours].tolist(), strict=True)  # fmt: skip
        for case, name, transition, time, role in rows:
            if role not in self.roles:  # an outcome: work cut short ends now
                for key in self.by_case.pop(case, ()):
                    self._close(key, time)
            elif transition == start:
                person = requisitions[case] % self.people[self.roles[role]]
                span = (self.roles[role], person, name, time)
                self.open[(case, name)] = span
                self.by_case.setdefault(case, []).append((case, name))
                self.reach.setdefault(span, [0, time])[0] += 1
            elif transition == complete:
                self._close((case, name), time)

    def passing_to(self, sink):
        """A records' `sink` that pairs each chunk of events, then hands it on to `sink`."""

        def pair_then(kind: str, chunk) -> bool:
            if kind == "events":
                self.add(chunk)
            return sink(kind, chunk)

        return pair_then

    def _close(self, key: tuple[int, int], time: float) -> None:
        span = self.open.pop(key, None)
        if span is None:
            return
        role, person = span[0], span[1]
        reach = self.reach[span]
        if time > reach[1]:  # the part of the span not counted yet
            clock = self.clocks[role][person]
            self.worked[role] += float(clock(np.array([time]))[0] - clock(np.array([reach[1]]))[0])
            reach[1] = time
        reach[0] -= 1
        if reach[0] == 0:
            del self.reach[span]

    def hours(self, end: float) -> dict[str, float]:
        """Hours each role's people worked, the work still under way counted to `end`."""
        for key in list(self.open):
            self._close(key, end)
        self.by_case.clear()
        return dict(self.worked)


def requisition_costs(requisitions: pd.DataFrame, records: Records, scenario: Scenario,
                      spans: Spans | None = None) -> pd.DataFrame:  # fmt: skip
    """The requisitions table of one replication with the columns of `COST_COLUMNS`: the
    team's hours shared by candidates interviewed, and (with the scenario's `costs`) the
    cost of delay and the whole cost; NaN costs without a `costs` section."""
    hours = role_hours(records, scenario, spans)
    interviewed = requisitions["interviewed"].to_numpy(dtype=float)
    total = interviewed.sum()
    if total > 0:
        share = interviewed / total
    else:  # no one interviewed (so no hours): shared evenly, should there be any
        share = np.full(len(requisitions), 1 / max(1, len(requisitions)))
    frame = requisitions.copy()
    for column, role in ROLE_HOURS.items():
        frame[column] = hours.get(role, 0.0) * share
    frame["team_hours"] = sum(hours.values()) * share
    costs = scenario.costs
    if costs is None:
        frame["delay_cost"] = np.nan
        frame["cost"] = np.nan
        return frame
    team = sum(h * costs.hourly.get(role, 0.0) for role, h in hours.items())
    frame["delay_cost"] = costs.per_open_day * frame["days_open"].astype(float)
    frame["cost"] = (team * share + costs.search_fixed * frame["searches"]
                     + costs.hire_fixed * frame["hired"] + frame["delay_cost"])  # fmt: skip
    return frame


def ratio_interval(numerators: np.ndarray, denominators: np.ndarray,
                   confidence: float = CONFIDENCE) -> tuple[float, float, float]:  # fmt: skip
    """(ratio, low, high) of sum(numerators) / sum(denominators) over independent groups
    (replications): the delta-method interval of `sim.analysis.summaries.clustered_mean`,
    R - 1 degrees of freedom. NaN without a denominator; NaN bounds with one group."""
    numerators = np.asarray(numerators, dtype=float)
    denominators = np.asarray(denominators, dtype=float)
    r = len(numerators)
    if r == 0 or denominators.sum() <= 0 or np.isnan(numerators).any():
        return np.nan, np.nan, np.nan
    ratio = numerators.sum() / denominators.sum()
    if r < 2:
        return float(ratio), np.nan, np.nan
    residuals = (numerators - ratio * denominators) / denominators.mean()
    se = np.sqrt(np.sum(residuals**2) / (r * (r - 1)))
    half = t_quantile((1 + confidence) / 2, r - 1) * se
    return float(ratio), float(max(ratio - half, 0.0)), float(ratio + half)


def cost_statistics(requisitions: pd.DataFrame) -> dict[str, float]:
    """The summary's cost and hours columns (`sim.analysis.metrics.PER_HIRE`, each with its
    interval) of one cell's requisitions (those counted: after the warm-up): each column's sum
    over the replications divided by their hires. NaN where the columns are not there."""
    row = {}
    has = all(c in requisitions.columns for c in [*COST_COLUMNS, "hired", "replication"])
    sums = None
    if has:  # a cost missing (no `costs`) stays missing: min_count
        columns = [*COST_COLUMNS, "hired"]
        sums = requisitions.groupby("replication", sort=True)[columns].sum(min_count=1)
    for name, column in PER_HIRE.items():
        if sums is None or sums.empty:
            point = low = high = np.nan
        else:
            point, low, high = ratio_interval(sums[column].to_numpy(), sums["hired"].to_numpy())
        row.update({name: point, f"{name}_ci_low": low, f"{name}_ci_high": high})
    return row
