"""Business days between two instants of the run, as a TA team counts them.

The business days from instant `a` to instant `b` (days since `start_date`, which is day 0) are
the working days among the calendar dates from `a`'s date up to, but not including, `b`'s date:
`numpy.busday_count(date(a), date(b), weekmask, holidays)`, a working day being one of the
calendar's `workdays` that is not one of its holidays (its listed dates and its country's and
region's, from the `holidays` package, as `sim.model.calendar.WorkCalendar` has them). So the
same date is 0; Monday to Tuesday is 1; a requisition opened on a Friday and filled the next
Tuesday across a Monday holiday took 1 business day (Friday; Saturday, Sunday and the holiday do
not count), as it would the Monday after. Without a calendar (`calendar: null`, continuous
time) there are no business days: NaN.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np

from sim.scenario.worktime import WEEKDAYS, Calendar


@cache
def _country_holidays(country: str, region: str | None, first: int, last: int) -> tuple:
    import holidays  # only a calendar naming a country needs it

    days = holidays.country_holidays(country, subdiv=region, years=range(first, last + 1))
    return tuple(sorted(days))


def holiday_dates(calendar: Calendar, first: dt.date, last: dt.date) -> list[dt.date]:
    """The calendar's holidays from `first` to `last` (inclusive): its listed dates and its
    country's (and region's)."""
    dates = {d for d in calendar.holidays.dates if first <= d <= last}
    if calendar.holidays.country is not None:
        found = _country_holidays(calendar.holidays.country, calendar.holidays.region,
                                  first.year, last.year)  # fmt: skip
        dates.update(d for d in found if first <= d <= last)
    return sorted(dates)


def business_days(
    start_date: dt.date, calendar: Calendar | None, begin: np.ndarray, end: np.ndarray
) -> np.ndarray:
    """Business days from each instant of `begin` to the one of `end` (floats, days since
    `start_date`), as defined above; NaN where either is NaN, and everywhere without a
    calendar."""
    begin, end = np.asarray(begin, dtype=float), np.asarray(end, dtype=float)
    out = np.full(np.broadcast(begin, end).shape, np.nan)
    known = np.isfinite(begin) & np.isfinite(end)
    if calendar is None or not known.any():
        return out
    origin = np.datetime64(start_date, "D")
    first = origin + np.floor(begin[known]).astype(np.int64)
    last = origin + np.floor(end[known]).astype(np.int64)
    span = (min(first.min(), last.min()).item(), max(first.max(), last.max()).item())
    weekmask = [int(day in calendar.workdays) for day in WEEKDAYS]
    holidays = np.array(holiday_dates(calendar, *span), dtype="datetime64[D]")
    out[known] = np.busday_count(first, last, weekmask=weekmask, holidays=holidays)
    return out
