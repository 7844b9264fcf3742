"""Working time in a scenario: the business calendar, and the team's people and hours.

`calendar:` gives working days, hours and public holidays from `start_date`
(`sim.model.calendar` turns it into working instants); `team:` gives, per role, how many people
and how many hours a week each has for hiring.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from sim.distributions import Float, Int


def daily_hiring_hours(
    hours_per_day: float,
    days_per_week: int,
    hours_per_week: float | None,
    vacation_days_per_year: float = 0,
) -> float:
    """A team member's hiring hours on each of their working days: `hours_per_week` spread
    evenly over their `days_per_week` (None: full working hours), capped at the working day,
    less `vacation_days_per_year` spread over 52 weeks as an average. The model's calendar and
    the scenario's load estimate both use it."""
    per_week = hours_per_day * days_per_week
    hours = per_week if hours_per_week is None else min(hours_per_week, per_week)
    if vacation_days_per_year:
        hours *= max(0.0, 1 - vacation_days_per_year / (52 * days_per_week))
    return hours / days_per_week


class Strict(BaseModel):
    # as sim.scenario.types.Strict (which imports this module)
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


Count = Annotated[int, Int, Field(ge=1)]
_COUNT = TypeAdapter(Count)


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekdays = Annotated[list[Literal[WEEKDAYS]], Field(min_length=1)]


def _once_each(workdays: list[str] | None) -> list[str] | None:
    if workdays is not None and len(set(workdays)) < len(workdays):
        raise ValueError("each weekday at most once")
    return workdays


class Absence(Strict):
    """Dates the role is away, `start` to `end` inclusive (a vacation, a conference)."""

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Absence:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        return self


OWNER = "hiring_manager"
"""The role that owns requisitions unless a scenario says otherwise."""


class TeamMember(Strict):
    """One team role: how many people, and how many hours a week each gives to hiring. Written
    as a number (`recruiter: 2`), it is that many people, full time, with no vacation."""

    count: Count = 1
    hours_per_week: Annotated[float, Float, Field(gt=0, le=168, allow_inf_nan=False)] | None = None
    """Hours a week each person gives to hiring (a hiring manager's few); null: the calendar's
    full working week. Spread evenly over the workdays, from the start of the working day."""
    vacation_days_per_year: Annotated[float, Float, Field(ge=0, le=365, allow_inf_nan=False)] = 0.0
    """Working days a year each person is away. A role of one, and each owner of requisitions,
    takes them in week-long blocks spread evenly over each year (owners staggered); in a pool
    of several, each person's hiring hours shrink in proportion (an average)."""
    workdays: Weekdays | None = None
    """A part-time pattern: the weekdays the role works (`[mon, wed]`), some of the calendar's;
    null: all the calendar's workdays. `hours_per_week` is spread over these."""
    absences: list[Absence] = []
    """Date ranges the role is away (all its people: meant for a role of one, such as a hiring
    manager): no work starts, advances or completes on those days."""
    owns_requisitions: bool | None = None
    """True: each requisition is owned by one of these people, in turn as requisitions open,
    and only its owner does its work (a hiring manager's own openings); false: one pool, the
    next piece of work going to whoever is free first. Null: true for `hiring_manager`, false
    for every other role."""

    def owns(self, role: str) -> bool:
        """Whether `role` (this member's name in the team) owns requisitions."""
        if self.owns_requisitions is None:
            return role == OWNER
        return self.owns_requisitions

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, (Mapping, TeamMember)):
            return value
        try:  # a problem with `recruiter: -1` is the role's, not a `count` the file never wrote
            _COUNT.validate_python(value)
        except ValidationError as err:
            problem = err.errors()[0]
            raise PydanticCustomError(problem["type"], problem["msg"]) from None
        return {"count": value}

    _workdays_once = field_validator("workdays")(_once_each)

    @model_serializer(mode="wrap")
    def _as_shorthand(self, handler):
        """Only a head count: written back as the number it was (`recruiter: 2`)."""
        plain = (self.hours_per_week, self.vacation_days_per_year, self.absences, self.workdays,
                 self.owns_requisitions is not None)  # fmt: skip
        if not any(plain):
            return self.count
        return handler(self)


MAX_CALENDAR_DAYS = 36_600
"""A hundred years: the longest run with a calendar (each working-time conversion walks the
days, so it must not walk 27 million years)."""
MAX_HOURS_PER_DAY = 15.0
"""Working hours start at 09:00 (`sim.model.calendar`) and end by midnight."""


class Holidays(Strict):
    """Public holidays: listed `dates`, and/or a `country`'s (and `region`'s) from the
    `holidays` package. Written as a list, it is the dates."""

    country: str | None = None
    """An ISO country code the `holidays` package knows (`US`, `DE`, `GB`)."""
    region: str | None = None
    """A subdivision of the country (`CA` for California, `BY` for Bavaria)."""
    dates: list[dt.date] = []

    @model_validator(mode="before")
    @classmethod
    def _list_is_dates(cls, value: Any) -> Any:
        return {"dates": value} if isinstance(value, list) else value

    @field_validator("country")
    @classmethod
    def _known_country(cls, country):
        if country is not None:
            from sim.scenario.errors import hint  # it imports this module

            known = _countries()
            if country not in known:
                near = hint(country, list(known))
                raise ValueError(f"unknown country {country[:20]!r} for the holidays package "
                                 f"(an ISO code such as US, DE, GB){near}")  # fmt: skip
        return country

    @model_validator(mode="after")
    def _known_region(self) -> Holidays:
        if self.region is not None:
            if self.country is None:
                raise ValueError("region needs a country")
            regions = _countries()[self.country]
            if self.region not in regions:
                shown = ", ".join(regions[:12]) + (", ..." if len(regions) > 12 else "")
                raise ValueError(f"unknown region {self.region[:20]!r} of {self.country} "
                                 f"(one of: {shown or 'none'})")  # fmt: skip
        return self


def _countries() -> dict[str, list[str]]:
    import holidays  # loaded only for a calendar that names a country

    return holidays.list_supported_countries()


class Calendar(Strict):
    """The business calendar from `start_date`: working days, hours and public holidays."""

    workdays: Weekdays = list(WEEKDAYS[:5])
    hours_per_day: Annotated[
        float, Float, Field(gt=0, le=MAX_HOURS_PER_DAY, allow_inf_nan=False)
    ] = 8.0
    """Working hours a working day, from 09:00."""
    holidays: Holidays = Holidays()

    _workdays_once = field_validator("workdays")(_once_each)

    @property
    def hours_per_week(self) -> float:
        return self.hours_per_day * len(self.workdays)
