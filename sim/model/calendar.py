"""Working time: a business calendar over the model clock, and the conversions the model needs.

The model clock counts days (floats) since `start_date` at 00:00, every hour alike. A
`WorkCalendar` says which of those hours are working hours:

- a working day is one of the `workdays` (Monday to Friday by default) that is not a public
  holiday (listed dates, and/or a country's and region's from the `holidays` package);
- working hours sit from 09:00 (`DAY_STARTS_AT`) for `hours_per_day` hours on a working day;
- a team member's hiring hours sit at the start of those, every working day alike: a manager with
  5 hours a week over five workdays is available 09:00-10:00 (`daily_hours`).

Three clocks, one per kind of delay:
- `add_working_hours`: a team member's effort, advancing only in that person's available hours;
- `add_business_days`: a process wait (referees, approvals), counting whole 24-hour working days
  (weekends and holidays do not count; 2 business days from Friday 14:00 is Tuesday 14:00);
- calendar days: the candidate's own time, every day alike (plain addition; nothing here).

Pure: no SimPy. Instants are floats in days; a work window is [open, close], and work starts at
an instant in [open, close).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from sim.scenario.worktime import MAX_CALENDAR_DAYS, WEEKDAYS, daily_hiring_hours

if TYPE_CHECKING:
    from sim.scenario.types import Scenario

DAY_STARTS_AT = 9.0
"""Working hours start at 09:00 on every working day."""
VACATION_BLOCK = 5
"""Vacation is taken a working week at a time."""
EPSILON_HOURS = 1e-9
"""Work left below this at the end of a window (float rounding) is done in that window."""
_LAST_ORDINAL = dt.date.max.toordinal()


class WorkCalendar:
    """Working days and hours from `start_date` (day 0 of the model clock).

    Args:
        start_date: the calendar date of day 0.
        workdays: names of the working weekdays (`mon` ... `sun`).
        hours_per_day: working hours on a working day, from 09:00.
        holiday_dates: public holidays given by date.
        country, subdiv: a country (ISO code, `US`) and optional region (`CA`) whose public
            holidays the `holidays` package knows; None: none.
        until: the last model day looked at: an instant past it is `math.inf` (never, within
            the run), so no conversion walks further than the run lasts.
    """

    def __init__(
        self,
        start_date: dt.date,
        workdays: Iterable[str] = WEEKDAYS[:5],
        hours_per_day: float = 8.0,
        holiday_dates: Iterable[dt.date] = (),
        country: str | None = None,
        subdiv: str | None = None,
        until: float = MAX_CALENDAR_DAYS,
    ):
        self.until = until
        self.start = start_date.toordinal()
        self.weekdays = frozenset(WEEKDAYS.index(day) for day in workdays)
        if not self.weekdays:
            raise ValueError("a calendar needs at least one working weekday")
        if not 0 < hours_per_day <= 24 - DAY_STARTS_AT:
            raise ValueError(f"hours_per_day must be in (0, {24 - DAY_STARTS_AT:g}]")
        self.hours_per_day = float(hours_per_day)
        self.dates = frozenset(holiday_dates)
        self.country = _country_holidays(country, subdiv) if country is not None else None
        # model day -> whether it is a working day, worked out the first time it is asked: the
        # conversions below walk days, and a dict lookup is all a day already seen costs them.
        # Shared by the calendars of the same days (every replication of a scenario)
        self._workday = _workdays(self.start, self.weekdays, self.dates, country, subdiv)

    # -- days ---------------------------------------------------------------------------------

    def date(self, day: int) -> dt.date | None:
        """The calendar date of model day `day` (None past year 9999)."""
        ordinal = self.start + day
        return dt.date.fromordinal(ordinal) if 1 <= ordinal <= _LAST_ORDINAL else None

    def is_workday(self, day: int) -> bool:
        """Whether model day `day` (0: `start_date`) is a working day."""
        return self._workday[day]

    def days_away(self, ranges: Iterable[tuple[dt.date, dt.date]]) -> frozenset[int]:
        """The model days (within the run) of date ranges, each inclusive."""
        days = set()
        for first, last in ranges:
            lo = max(0, first.toordinal() - self.start)
            hi = min(last.toordinal() - self.start, math.ceil(self.until))
            days.update(range(lo, hi + 1))
        return frozenset(days)

    def daily_hours(
        self,
        hours_per_week: float | None,
        vacation_days_per_year: float = 0,
        days_per_week: int | None = None,
    ) -> float:
        """A team member's hiring hours on each of their working days: `hours_per_week` spread
        evenly over their `days_per_week` (None: every workday of the calendar; hours None: full
        working hours), capped at the working day, less `vacation_days_per_year` spread over
        the year as an average (for a role of several, whose vacations are staggered; a role
        of one takes it in blocks, see `vacation`). Always more than 0 (the scenario refuses a
        year of vacation)."""
        days = len(self.weekdays) if days_per_week is None else days_per_week
        return daily_hiring_hours(self.hours_per_day, days, hours_per_week,
                                  vacation_days_per_year)  # fmt: skip

    def weekdays_off(self, workdays: Iterable[str]) -> frozenset[int]:
        """The model days (within the run) that fall on a weekday not in `workdays`: a
        part-time pattern's days off."""
        keep = frozenset(WEEKDAYS.index(day) for day in workdays)
        first = (self.start - 1) % 7  # day 0's weekday
        return frozenset(
            d for d in range(0, math.ceil(self.until) + 1) if (first + d) % 7 not in keep
        )

    def vacation(
        self,
        days_per_year: float,
        off: frozenset[int] = frozenset(),
        block: int = VACATION_BLOCK,
        phase: float = 0.5,
    ) -> frozenset[int]:
        """The model days (within the run) of `days_per_year` working days of vacation, taken
        in blocks of `block` working days (the last one shorter; days in `off` are no working
        days), spread evenly over each year of the run: block k of b starts on the first
        working day at or after day (k + phase) * 365 / b of the year (`phase` in [0, 1):
        people with different phases are away at different times). The same every
        replication."""
        days = round(days_per_year)
        if days <= 0:
            return frozenset()
        sizes = [block] * (days // block) + ([days % block] if days % block else [])
        away: set[int] = set()
        year = 0
        while 365 * year <= self.until:
            for k, size in enumerate(sizes):
                day = 365 * year + round((k + phase) * 365 / len(sizes))
                while size and day <= self.until:
                    if self.is_workday(day) and day not in off:
                        away.add(day)
                        size -= 1
                    day += 1
            year += 1
        return frozenset(away)

    # -- instants -----------------------------------------------------------------------------

    def _hours(self, daily: float | None) -> tuple[float, float]:
        """When someone with `daily` hours (None: full working hours) starts and stops, in
        days from a working day's 00:00."""
        hours = self.hours_per_day if daily is None else daily
        return DAY_STARTS_AT / 24, (DAY_STARTS_AT + hours) / 24

    def _window(self, day: int, daily: float | None) -> tuple[float, float]:
        opens, closes = self._hours(daily)
        return day + opens, day + closes

    def next_working_instant(
        self, t: float, daily: float | None = None, away: frozenset[int] = frozenset()
    ) -> float:
        """The first instant at or after `t` (days) at which someone with `daily` hiring hours
        a working day (None: full working hours), away on the model days `away`, can work: `t`
        itself if it is in working time (never, from beyond the calendar's end: infinity)."""
        if t == math.inf:  # e.g. business days that run past the calendar's end
            return math.inf
        day = math.floor(t)
        workday, opens, closes = self._workday, *self._hours(daily)
        while True:
            if workday[day] and day not in away:
                open_, close = day + opens, day + closes  # `_window`, its arithmetic inlined
                if t < close - 1e-9:  # an instant a rounding away from the close is after it
                    return max(t, open_)
            day += 1
            if day > self.until:
                return math.inf

    def add_working_hours(
        self, t: float, hours: float, daily: float | None = None, away: frozenset[int] = frozenset()
    ) -> float:
        """The instant (days) at which `hours` of work started at or after `t` ends, the work
        advancing only in the hiring hours (`daily` a working day; None: full working hours),
        never on the model days `away`. Work of 0 hours ends at the next working instant."""
        if t == math.inf:
            return math.inf
        day = math.floor(t)
        left = hours
        workday, opens, closes = self._workday, *self._hours(daily)
        while True:
            if workday[day] and day not in away:
                open_, close = day + opens, day + closes  # `_window`, its arithmetic inlined
                if t < close:
                    begin = max(t, open_)
                    available = (close - begin) * 24
                    if left <= available + EPSILON_HOURS:  # rounding: not a day late
                        return min(begin + left / 24, close)
                    left -= available
            day += 1
            if day > self.until:
                return math.inf
            t = float(day)

    def add_business_days(self, t: float, days: float) -> float:
        """The instant (days) `days` business days after `t`: time runs on working days only,
        all 24 hours of each; weekends and holidays are skipped. From a day off, the count
        starts at the next working day's 00:00."""
        if t == math.inf:
            return math.inf
        day = math.floor(t)
        left = days
        workday = self._workday
        while True:
            if workday[day]:
                available = day + 1 - t
                if left <= available + EPSILON_HOURS / 24:
                    return min(t + left, day + 1.0)
                left -= available
            day += 1
            if day > self.until:
                return math.inf
            t = float(day)

    def is_working_instant(
        self,
        t: float,
        daily: float | None = None,
        end: bool = False,
        away: frozenset[int] = frozenset(),
    ) -> bool:
        """Whether `t` falls in someone's hiring hours: [open, close) for a start, [open, close]
        for the `end` of a piece of work, allowing a microsecond for rounding."""
        eps = 1e-9
        for day in {math.floor(t - eps), math.floor(t + eps)}:
            if self.is_workday(day) and day not in away:
                open_, close = self._window(day, daily)
                if open_ - eps <= t and (t <= close + eps if end else t < close - eps):
                    return True
        return False


class _Memo(dict):
    """A dict that works a missing key's value out with `compute`, and keeps it."""

    def __init__(self, compute: Callable[[int], bool]):
        super().__init__()
        self.compute = compute

    def __missing__(self, key: int) -> bool:
        value = self[key] = self.compute(key)
        return value


@functools.lru_cache(maxsize=8)
def _country_holidays(country: str, subdiv: str | None):
    """A country's (and region's) public holidays, as the `holidays` package has them: one
    object per process, which works each year out once."""
    import holidays  # only a calendar naming a country needs it

    return holidays.country_holidays(country, subdiv=subdiv)


@functools.lru_cache(maxsize=8)
def _workdays(start: int, weekdays: frozenset, dates: frozenset, country, subdiv) -> _Memo:
    """Model day -> whether it is a working day, for a calendar from ordinal `start` working on
    `weekdays` (0: Monday) but on the holidays `dates` and the `country`'s (and `subdiv`'s),
    worked out as days are asked. Every replication of a run walks the same days (about 30 ms
    for 80 years of them): the first works them out for all."""
    country_days = _country_holidays(country, subdiv) if country is not None else ()

    def working(day: int) -> bool:
        ordinal = start + day
        if (ordinal - 1) % 7 not in weekdays:  # ordinal 1 is a Monday
            return False
        if not 1 <= ordinal <= _LAST_ORDINAL:  # past year 9999: no holidays known
            return True
        date = dt.date.fromordinal(ordinal)
        return not (date in dates or date in country_days)

    return _Memo(working)


Span = Callable[[float, float], float]
"""(now, draw) -> model days from `now` until the delay ends."""


class Clock:
    """The model's clocks for one run: which span a draw in its unit (`sim.distributions.UNITS`)
    covers from now. Without a calendar (`calendar` None) every day is a business day and
    every hour a working hour. None for a span means the draw is the span itself (days), so a
    run without a calendar times everything exactly as before."""

    def __init__(self, calendar: WorkCalendar | None):
        self.calendar = calendar

    def span(
        self,
        unit: str | None,
        daily: float | None = None,
        work: bool = False,
        away: frozenset[int] = frozenset(),
    ) -> Span | None:
        """The span of a draw in `unit`: `work` of a team member with `daily` hiring hours a
        working day, away on the model days `away` (it ends in that person's working time), or
        a delay that holds no one."""
        cal = self.calendar
        if cal is None:
            return (lambda now, hours: hours / 24) if unit == "hours" else None
        if unit == "hours":
            return lambda now, hours: cal.add_working_hours(now, hours, daily, away) - now
        if unit == "business_days":
            if work:
                return lambda now, days: (
                    cal.next_working_instant(cal.add_business_days(now, days), daily, away) - now
                )
            return lambda now, days: cal.add_business_days(now, days) - now
        if work:  # calendar days of a team member's time: it ends when the person is working
            return lambda now, days: cal.next_working_instant(now + days, daily, away) - now
        return None

    def until_working(
        self, daily: float | None, away: frozenset[int] = frozenset()
    ) -> Callable[[float], float] | None:
        """now -> days until someone with `daily` hiring hours, away on `away`, can start work;
        None without a calendar (always)."""
        cal = self.calendar
        if cal is None:
            return None
        return lambda now: cal.next_working_instant(now, daily, away) - now


def work_calendar(scenario: Scenario) -> WorkCalendar | None:
    """The scenario's business calendar from its `start_date`, looked at until its horizon;
    None: continuous time."""
    spec = scenario.calendar
    if spec is None:
        return None
    holidays = spec.holidays
    return WorkCalendar(scenario.start_date, spec.workdays, spec.hours_per_day, holidays.dates,
                        holidays.country, holidays.region,
                        until=math.ceil(scenario.horizon_days) + 1)  # fmt: skip


def team_hours(
    scenario: Scenario, calendar: WorkCalendar | None
) -> tuple[dict[str, float | None], dict[str, tuple[frozenset[int], ...]]]:
    """Per team role, its hiring hours a working day (None without a calendar), and per person
    of it the model days they are away (absences, the weekdays off of the role's `workdays`,
    vacation): one set for a pool of people, one per person for a role that owns
    requisitions. A role of one, and each owner, takes vacation in blocks
    (`WorkCalendar.vacation`; owners staggered over the year); a pool of several, whose
    vacations are staggered too, loses it from every day's hours on average."""
    daily: dict[str, float | None] = {}
    away: dict[str, tuple[frozenset[int], ...]] = {}
    for name, member in scenario.team.items():
        people = member.count if member.owns(name) else 1
        if calendar is None:
            daily[name], away[name] = None, (frozenset(),) * people
            continue
        in_blocks, vacation = member.count == people, member.vacation_days_per_year
        per_week = len(member.workdays) if member.workdays is not None else None
        daily[name] = calendar.daily_hours(
            member.hours_per_week, 0 if in_blocks else vacation, per_week
        )
        days = calendar.days_away((a.start, a.end) for a in member.absences)
        if member.workdays is not None:
            days |= calendar.weekdays_off(member.workdays)
        if in_blocks and vacation:
            away[name] = tuple(
                days | calendar.vacation(vacation, off=days, phase=(person + 0.5) / people)
                for person in range(people)
            )
        else:
            away[name] = (days,) * people
    return daily, away
