"""The validated scenario: company, team, applicants, candidates and the eight stages.

Every field is in days, counts or probabilities. A scenario document gives only what differs
from the company-size preset (`sim.scenario.presets`); `Scenario.model_validate` lays it over
the preset and resolves every sweep cell (`sim.scenario.resolve`), once. Unknown keys are errors
everywhere, and defaults are validated like values given.
"""

from __future__ import annotations

import copy
import datetime as dt
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import (
    AfterValidator,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

from sim.distributions import UNITS, Distribution, Float, Int
from sim.scenario.candidates import Candidate
from sim.scenario.costs import Costs
from sim.scenario.fields import (
    Count,
    NonNegativeDays,
    PositiveDays,
    Probability,
    Strict,
    no_validity,
    unit_refused,
    work_unit,
)
from sim.scenario.stages import STAGE_NAMES
from sim.scenario.worktime import MAX_CALENDAR_DAYS, Calendar, TeamMember, daily_hiring_hours

SIZES = ("startup", "small", "mid", "large", "enterprise")

MAX_HORIZON_DAYS = 1e10
"""About 27 million years: long queueing checks fit, and every timestamp stays representable."""
MIN_CADENCE_DAYS = 1 / (24 * 60)
"""A committee meets at most once a minute (a cadence of 1e-300 days would never advance)."""
MAX_ROUNDS = 100
"""Negotiation rounds per offer: draws above are cut to this (`rounds: 1e12` took 5 GB)."""
MAX_APPROVALS = 20
"""Sign-offs before an offer: more than a handful is a typo, and each one is a wait."""


def _cadence(days: float) -> float:
    if days < MIN_CADENCE_DAYS:
        raise ValueError(f"must be at least one minute ({MIN_CADENCE_DAYS:.6f} days), not {days:g}")
    return days


def _horizon(days: float) -> float:
    if days > MAX_HORIZON_DAYS:
        raise ValueError(f"must be at most {MAX_HORIZON_DAYS:g} days (about 27 million years), "
                         f"not {days:g}")  # fmt: skip
    return days


DAYS_PER_MONTH = 365.25 / 12
"""A month for `requisitions_per_month`: a twelfth of an average year, in days."""


class Company(Strict):
    size: Literal[SIZES] = "mid"
    requisitions: Count = 1
    """Requisitions open at the start (day 0), all sharing the team."""
    requisitions_per_month: Annotated[float, Float, Field(ge=0, le=1e6, allow_inf_nan=False)] = 0
    """More requisitions opening during the run, a Poisson process of this rate (0: none; at
    most a million a month, so the work estimate stays a number)."""
    openings: Count = 1
    """Positions per requisition (volume hiring: many)."""


class Poisson(Strict):
    process: Literal["poisson"]
    rate_per_day: PositiveDays

    def candidates_per_day(self, per_requisition: int) -> float | None:
        """Interviewed candidates per day per requisition while its search runs."""
        return self.rate_per_day

    def describe(self) -> str:
        """When interviews happen, in plain words."""
        rate = self.rate_per_day
        return f"about {rate:g} interview{'' if rate == 1 else 's'} a day"


class Window(Strict):
    process: Literal["window"]
    days: PositiveDays

    def candidates_per_day(self, per_requisition: int) -> float | None:
        return per_requisition / self.days

    def describe(self) -> str:
        return f"interviews spread over {self.days:g} days"


class Batch(Strict):
    process: Literal["batch"]

    def candidates_per_day(self, per_requisition: int) -> float | None:
        """None: everyone arrives at day 0 (a transient, not a rate)."""
        return None

    def describe(self) -> str:
        return "all interviewed on day 0"


ARRIVAL_PROCESSES: dict[str, type[Poisson | Window | Batch]] = {
    typing.get_args(cls.model_fields["process"].annotation)[0]: cls
    for cls in (Poisson, Window, Batch)
}
"""Each arrival process by the name a scenario gives it (`process: poisson`), in the order error
lines list them; the name itself is written once, in its class's `process` field."""

Arrivals = Annotated[
    # the union of the classes above, each tagged by its name (`X | Y` cannot take a tuple)
    Union[tuple(Annotated[cls, Tag(name)] for name, cls in ARRIVAL_PROCESSES.items())],  # noqa: UP007
    Discriminator(
        lambda v: v.get("process") if isinstance(v, dict) else getattr(v, "process", None),
        custom_error_type="unknown_arrival_process",
        custom_error_message="unknown arrival process",
    ),
]


class Applicants(Strict):
    per_requisition: Count = 10
    """Interviewed candidates per requisition (and per reopened search)."""
    arrivals: Arrivals = Poisson(process="poisson", rate_per_day=1.0)
    reopen_after_days: NonNegativeDays = 14.0
    """Delay before fresh candidates arrive when a search runs out of candidates."""
    max_reopens: Annotated[int, Int, Field(ge=0)] = 1
    """How many times a requisition's search may reopen; then it closes unfilled."""


class Stage(Strict):
    enabled: bool = True
    resource: str | None = None
    """Team member the work holds (one unit, first come first served); null: a pure delay."""
    wait: Distribution | None = None
    """Time before the work that holds no one (waiting for referees, for a calendar slot)."""
    duration: Distribution = 0.0
    """The work itself, holding `resource`: `hours` of that person's working time, or days."""
    pass_prob: Probability = 1.0
    validity: Annotated[float, Float, Field(gt=0, le=1)] | None = None
    """How well the stage sees candidate quality: the correlation between its signal and
    quality. Passing then means the running assessment (everything observed so far) clears a
    bar set so that `pass_prob` of the candidates reaching the stage pass. On a shortlisting
    pool (`keep`) the signal only feeds the ranking. Null: the stage does not assess, and
    passing is a draw with `pass_prob` that ignores quality."""

    @field_validator("wait")
    @classmethod
    def _wait_unit(cls, wait):
        why = "a wait holds no one, so it has no one's working hours (use business_days or days)"
        return unit_refused(wait, ("hours",), why)

    @field_validator("duration")
    @classmethod
    def _work_unit(cls, duration, info: ValidationInfo):
        return work_unit(duration, info)


class Shortlisting(Stage):
    keep: Count | None = None
    """Keep the best `keep` of each pool by candidate quality; null: screen by pass_prob."""
    pool_days: PositiveDays | None = None
    """A pool closes when every candidate of the search is reviewed, or this many days after
    its first member joined, whichever comes first; null: no deadline."""
    reserve_days: PositiveDays | None = None
    """Candidates ranked below `keep` are a reserve, promoted in rank order when the finalists
    run out; they are held this long, then rejected. Null: held until promoted or the
    requisition fills (a search reopens only once no one, the reserve included, is left)."""


class Decision(Stage):
    meets_every_days: Annotated[PositiveDays, AfterValidator(_cadence)] | None = None
    """A committee that meets on this cadence and decides on everyone waiting; `duration` is
    the meeting. Null: each candidate is decided when the resource is free."""
    first_meeting_day: NonNegativeDays | None = None
    """Day of the first meeting; null: one cadence after day 0."""


class Unassessed(Stage):
    """A stage where the company assesses no one: `validity` must be null, and `WHY` says so."""

    WHY: ClassVar[str] = "this stage assesses no one"
    validity: None = None

    @field_validator("validity", mode="before")
    @classmethod
    def _assesses_no_one(cls, validity):
        return no_validity(validity, cls.WHY)


class FollowUp(Unassessed):
    WHY = "the follow-up extends the offer and assesses no one (set it on its second_interview)"

    approvals: Annotated[int, Int, Field(ge=1, le=MAX_APPROVALS)] = 1
    """Sign-offs an offer needs before it goes out, one after another, each taking a draw of
    `wait` (a founder's yes: 1; HR, compensation and finance: 3)."""
    second_interview_prob: Probability = 0.0
    """Chance that an approved candidate is invited to a second interview (whose signal, with
    a `validity`, counts in the ranking for the offer)."""
    second_interview: Stage = Stage(enabled=True)
    backup_days: PositiveDays | None = None
    """Approved candidates not offered yet wait on the ranked backup list this long, then are
    rejected; null: until every opening's hire has started (a renege goes to the next)."""
    rejection_duration: Distribution | None = 0.0
    """Time of `resource` to tell a candidate who was not selected (email or call); null: no
    notice is sent (the candidate is ghosted)."""

    @field_validator("rejection_duration")
    @classmethod
    def _notice_unit(cls, duration, info: ValidationInfo):
        return work_unit(duration, info)


class Negotiation(Unassessed):
    WHY = "in negotiation the company assesses no one"
    rounds: Distribution = 1.0
    """Rounds of negotiation (a draw is rounded to a whole number); `duration` is per round."""
    walk_away_prob: Probability = 0.0
    """Chance, per round, that the candidate walks away (declines)."""

    @field_validator("rounds")
    @classmethod
    def _few_rounds(cls, rounds):
        unit_refused(rounds, UNITS, "rounds are a count, not a time (write no unit)")
        if rounds.mean > MAX_ROUNDS:
            raise ValueError(f"must average at most {MAX_ROUNDS} rounds (got {rounds.mean:g})")
        return rounds


class FinalDecision(Unassessed):
    WHY = "the candidate decides here, the company assesses no one"
    accept_prob: Probability = 0.85
    accept_prob_loss_per_week: Probability = 0.0
    """Acceptance drops by this much per week between interview and offer."""


class Onboarding(Unassessed):
    WHY = "onboarding is paperwork and assesses no one"


class Stages(Strict):
    initial_review: Stage = Stage()
    shortlisting: Shortlisting = Shortlisting()
    reference_checks: Stage = Stage()
    decision: Decision = Decision()
    follow_up: FollowUp = FollowUp()
    negotiation: Negotiation = Negotiation()
    final_decision: FinalDecision = FinalDecision()
    onboarding: Onboarding = Onboarding()

    def items(self) -> list[tuple[str, Stage]]:
        return [(name, getattr(self, name)) for name in STAGE_NAMES]


ONE_CELL = object()
"""Validation context of a mapping already laid over its preset (one cell, no resolving left):
`Scenario.model_validate(merged, context=ONE_CELL)` validates its fields as they are."""


@dataclass(frozen=True)
class Resolution:
    """How a Scenario was resolved, kept with it so that nothing resolves it again."""

    document: dict = field(compare=False)
    """The document as written, before the preset: `override` starts from it and, with a sweep,
    `scenario.resolved.yaml` holds it (cells take their own presets). Not compared: documents
    that resolve to the same fields and cells make equal scenarios."""
    cells: tuple[tuple[dict, Scenario], ...] = ()
    """With a sweep, every cell as (swept values for the tables, resolved scenario)."""


class Scenario(Strict):
    """A scenario, validated: `Scenario.model_validate(mapping)` lays the mapping over its
    company-size preset and resolves every sweep cell, as `sim.load_scenario` does (which
    raises ScenarioError with one line per problem; this, pydantic's ValidationError).

    With a sweep, the fields are those of the first cell and `resolution.cells` holds every
    cell; `model_dump` gives the document as written (with the seed and replications), which
    validates back into an equal scenario."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=100)]
    seed: Annotated[int, Int, Field(ge=0)] = 2026
    replications: Count = 10
    horizon_days: Annotated[PositiveDays, AfterValidator(_horizon)] = 365.0
    start_date: Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2200, 12, 31))] = (
        dt.date(2026, 1, 5)
    )
    """Calendar day of day 0, for the event log's timestamps."""
    warmup_days: NonNegativeDays = 0.0
    """Days at the start the summaries leave out, to describe the steady state: they count the
    candidates arriving and the requisitions opening from this day on, and the team's levels
    over [warmup_days, end]. The raw tables keep every row (`after_warmup` marks them)."""
    company: Company = Company()
    team: dict[str, TeamMember] = {}
    applicants: Applicants = Applicants()
    candidate: Candidate = Candidate()
    stages: Stages = Stages()
    calendar: Calendar | None = None
    """Working time: null, continuous time (every hour a working hour)."""
    costs: Costs | None = None
    """Hourly rates, fixed costs and the cost of delay (`sim.scenario.costs`); null: none."""
    sweep: dict[str, Annotated[list[Any], Field(min_length=1)]] | None = None

    # set once, as the scenario is validated (not a field: no scenario document can write it)
    _resolution: Resolution | None = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _resolve(cls, data: Any, handler, info: ValidationInfo) -> Scenario:
        """A mapping as written is laid over its preset, every sweep cell resolved; a cell
        already laid over (`ONE_CELL`) or a Scenario is validated as it is."""
        if isinstance(data, Scenario) or info.context is ONE_CELL or not isinstance(data, Mapping):
            return handler(data)
        from sim.scenario.errors import ScenarioError  # they import this module
        from sim.scenario.resolve import resolve

        try:
            return resolve(data, validate=handler)
        except ScenarioError as err:
            raise err.validation_error(cls.__name__, data) from None

    @model_serializer(mode="wrap")  # unannotated: the JSON schema stays the fields'
    def _as_written_when_swept(self, handler):
        """With a sweep, the document as written (each cell takes its own preset, so the first
        cell's fields could not give the others back); else every field."""
        if not (self.sweep and self._resolution and self._resolution.cells):
            return handler(self)
        document = copy.deepcopy(self._resolution.document)
        return {**document, "seed": self.seed, "replications": self.replications}

    @property
    def resolution(self) -> Resolution | None:
        """The document this scenario was validated from and its resolved sweep cells; None for
        one built without validation (`model_construct`)."""
        return self._resolution

    def reference_problems(self) -> list[str]:
        """Problems across fields that a single field cannot see, as dotted-path lines."""
        problems = []
        if self.warmup_days >= self.horizon_days:
            problems.append(f"warmup_days: must be less than horizon_days "
                            f"({self.horizon_days:g}), not {self.warmup_days:g}")  # fmt: skip
        stages = [(f"stages.{n}", s) for n, s in self.stages.items()]
        stages.append(("stages.follow_up.second_interview", self.stages.follow_up.second_interview))
        updates = self.candidate.status_updates
        if updates is not None:
            stages.append(("candidate.status_updates", updates))
        for path, stage in stages:
            if stage.resource is not None and stage.resource not in self.team:
                known = ", ".join(sorted(self.team)) or "none"
                problems.append(
                    f"{path}.resource: unknown team member {stage.resource[:60]!r} (team: {known})"
                )
        if self.calendar is not None:
            problems += self._working_time_problems(self.calendar)
        problems += self.costs.role_problems(self.team) if self.costs is not None else []
        return problems

    def _working_time_problems(self, calendar: Calendar) -> list[str]:
        """Hiring hours the calendar cannot give, and runs too long to walk day by day."""
        problems = []
        for role, member in self.team.items():
            days = len(member.workdays or calendar.workdays)
            week, year = calendar.hours_per_day * days, 52 * days
            whose = "the role's" if member.workdays else "the calendar's"
            if member.hours_per_week is not None and member.hours_per_week > week:
                problems.append(f"team.{role}.hours_per_week: {member.hours_per_week:g} is more "
                                f"than {whose} working week of {week:g} hours")  # fmt: skip
            if member.vacation_days_per_year >= year:
                problems.append(f"team.{role}.vacation_days_per_year: must be less than "
                                f"{whose} {year} working days a year")  # fmt: skip
            extra = [d for d in member.workdays or () if d not in calendar.workdays]
            if extra:
                known = ", ".join(calendar.workdays)
                problems.append(f"team.{role}.workdays: {', '.join(extra)} not among the "
                                f"calendar's workdays ({known})")  # fmt: skip
        if self.horizon_days > MAX_CALENDAR_DAYS:
            problems.append(f"horizon_days: with a calendar, at most {MAX_CALENDAR_DAYS} days "
                            f"(100 years), not {self.horizon_days:g}")  # fmt: skip
        return problems

    def headcount(self) -> dict[str, int]:
        """People per team role (the SimPy resources' capacities)."""
        return {role: member.count for role, member in self.team.items()}

    def mean_days(self, dist: Distribution, role: str | None = None) -> float:
        """A delay's mean in calendar days, roughly: business days and working hours (of
        `role`'s hiring hours) stretched by the days off between them."""
        if dist.unit is None or dist.unit == "days":
            return dist.mean
        if self.calendar is None:
            return dist.mean / 24 if dist.unit == "hours" else dist.mean
        per_week = len(self.calendar.workdays)
        if dist.unit == "business_days":
            return dist.mean * 7 / per_week
        member = self.team.get(role) if role is not None else None
        days = len(member.workdays) if member is not None and member.workdays else per_week
        daily = daily_hiring_hours(
            self.calendar.hours_per_day,
            days,
            member.hours_per_week if member is not None else None,
            member.vacation_days_per_year if member is not None else 0,
        )
        return dist.mean / max(1e-9, daily * days) * 7
