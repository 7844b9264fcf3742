"""The validated scenario: company, team, applicants, candidates and the eight stages.

Every field is in days, counts or probabilities. A scenario file gives only what differs from the
company-size preset (`sim.scenario.presets`); `sim.scenario.io` merges the two and validates
the result into these classes. Unknown keys are errors everywhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    field_validator,
)

from sim.distributions import Distribution, Float, Int
from sim.scenario.stages import STAGE_NAMES

SIZES = ("startup", "small", "mid", "large", "enterprise")


def _probability(value: float) -> float:
    if not 0 <= value <= 1:
        raise ValueError(f"must be between 0 and 1 (got {value})")
    return value


Probability = Annotated[float, Float, AfterValidator(_probability)]
PositiveDays = Annotated[float, Float, Field(gt=0, allow_inf_nan=False)]
NonNegativeDays = Annotated[float, Float, Field(ge=0, allow_inf_nan=False)]
Count = Annotated[int, Int, Field(ge=1)]
"""A whole number of at least 1 (`true` is not a number here, although Python says it is 1)."""

MAX_HORIZON_DAYS = 1e10
"""About 27 million years: long queueing checks fit, and every timestamp stays representable."""
MIN_CADENCE_DAYS = 1 / (24 * 60)
"""A committee meets at most once a minute (a cadence of 1e-300 days would never advance)."""
MAX_ROUNDS = 100
"""Negotiation rounds per offer: draws above are cut to this (`rounds: 1e12` took 5 GB)."""


def _cadence(days: float) -> float:
    if days < MIN_CADENCE_DAYS:
        raise ValueError(f"must be at least one minute ({MIN_CADENCE_DAYS:.6f} days), not {days:g}")
    return days


def _horizon(days: float) -> float:
    if days > MAX_HORIZON_DAYS:
        raise ValueError(f"must be at most {MAX_HORIZON_DAYS:g} days (about 27 million years), "
                         f"not {days:g}")  # fmt: skip
    return days


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Company(Strict):
    size: Literal["startup", "small", "mid", "large", "enterprise"] = "mid"
    requisitions: Count = 1
    """Requisitions open at once, all sharing the team."""
    openings: Count = 1
    """Positions per requisition (volume hiring: many)."""


class Poisson(Strict):
    process: Literal["poisson"]
    rate_per_day: PositiveDays


class Window(Strict):
    process: Literal["window"]
    days: PositiveDays


class Batch(Strict):
    process: Literal["batch"]


Arrivals = Annotated[
    Annotated[Poisson, Tag("poisson")]
    | Annotated[Window, Tag("window")]
    | Annotated[Batch, Tag("batch")],
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


class Candidate(Strict):
    patience: Distribution | None = None
    """Days from the interview until the candidate takes another job; null: never."""


class Stage(Strict):
    enabled: bool = True
    resource: str | None = None
    """Team member the work holds (one unit, first come first served); null: a pure delay."""
    wait: Distribution | None = None
    """Time before the work that holds no one (waiting for referees, for a calendar slot)."""
    duration: Distribution = 0.0
    """The work itself, holding `resource`."""
    pass_prob: Probability = 1.0


class Shortlisting(Stage):
    keep: Count | None = None
    """Keep the best `keep` of each pool by candidate quality; null: screen by pass_prob."""
    pool_days: PositiveDays | None = None
    """A pool closes when every candidate of the search is reviewed, or this many days after
    its first member joined, whichever comes first; null: no deadline."""


class Decision(Stage):
    meets_every_days: Annotated[PositiveDays, AfterValidator(_cadence)] | None = None
    """A committee that meets on this cadence and decides on everyone waiting; `duration` is
    the meeting. Null: each candidate is decided when the resource is free."""
    first_meeting_day: NonNegativeDays | None = None
    """Day of the first meeting; null: one cadence after day 0."""


class FollowUp(Stage):
    second_interview_prob: Probability = 0.0
    second_interview: Stage = Stage(enabled=True)
    rejection_duration: Distribution | None = 0.0
    """Time of `resource` to tell a candidate who was not selected (email or call); null: no
    notice is sent (the candidate is ghosted)."""


class Negotiation(Stage):
    rounds: Distribution = 1.0
    """Rounds of negotiation (a draw is rounded to a whole number); `duration` is per round."""
    walk_away_prob: Probability = 0.0
    """Chance, per round, that the candidate walks away (declines)."""

    @field_validator("rounds")
    @classmethod
    def _few_rounds(cls, rounds):
        if rounds.mean > MAX_ROUNDS:
            raise ValueError(f"must average at most {MAX_ROUNDS} rounds (got {rounds.mean:g})")
        return rounds


class FinalDecision(Stage):
    accept_prob: Probability = 0.85
    accept_prob_loss_per_week: Probability = 0.0
    """Acceptance drops by this much per week between interview and offer."""


class Stages(Strict):
    initial_review: Stage = Stage()
    shortlisting: Shortlisting = Shortlisting()
    reference_checks: Stage = Stage()
    decision: Decision = Decision()
    follow_up: FollowUp = FollowUp()
    negotiation: Negotiation = Negotiation()
    final_decision: FinalDecision = FinalDecision()
    onboarding: Stage = Stage()

    def items(self) -> list[tuple[str, Stage]]:
        return [(name, getattr(self, name)) for name in STAGE_NAMES]


class Scenario(Strict):
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=100)]
    seed: Annotated[int, Int, Field(ge=0)] = 2026
    replications: Count = 10
    horizon_days: Annotated[PositiveDays, AfterValidator(_horizon)] = 365.0
    start_date: Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2200, 12, 31))] = (
        dt.date(2026, 1, 5)
    )
    """Calendar day of day 0, for the event log's timestamps."""
    company: Company = Company()
    team: dict[str, Count] = {}
    applicants: Applicants = Applicants()
    candidate: Candidate = Candidate()
    stages: Stages = Stages()
    sweep: dict[str, Annotated[list[Any], Field(min_length=1)]] | None = None

    # the document as the user wrote it (before the preset), for sweeps and overrides
    _source: dict = PrivateAttr(default_factory=dict)
    # with a sweep: every cell, resolved once, as (swept values for the tables, scenario)
    _cells: list = PrivateAttr(default_factory=list)

    def reference_problems(self) -> list[str]:
        """Problems across fields that a single field cannot see, as dotted-path lines."""
        problems = []
        stages = [(f"stages.{n}", s) for n, s in self.stages.items()]
        stages.append(("stages.follow_up.second_interview", self.stages.follow_up.second_interview))
        for path, stage in stages:
            if stage.resource is not None and stage.resource not in self.team:
                known = ", ".join(sorted(self.team)) or "none"
                problems.append(
                    f"{path}.resource: unknown team member {stage.resource[:60]!r} (team: {known})"
                )
        return problems
