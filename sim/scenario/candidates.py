"""What candidates do besides being assessed: patience, outside offers, silence, the news that
keeps them warm, and reneging. Every mechanism is off when null, and all of them whenever
`patience` is null (the candidate never leaves by their own will).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator

from sim.distributions import Distribution, Float
from sim.scenario.fields import Probability, Strict, calendar_days, unit_refused, work_unit


class OutsideOffers(Strict):
    """Offers from other employers, arriving while the candidate is in our process."""

    per_week: Probability
    """Chance that an average candidate gets an outside offer within a week (a constant hazard,
    from the interview until the candidate accepts ours or leaves)."""
    quality_effect: Annotated[float, Float, Field(ge=0, le=3)] = 0.5
    """How much likelier better candidates get one: the hazard is multiplied by
    exp(quality_effect x quality), quality being standard normal (0: everyone alike)."""
    deliberation: Distribution | None = None
    """Calendar days a candidate without our offer takes before leaving for the outside one;
    our offer made meanwhile is weighed against it. Null: leaves at once."""
    accept_factor: Probability = 0.5
    """A candidate holding an outside offer accepts ours with this factor on `accept_prob`."""

    @field_validator("deliberation")
    @classmethod
    def _calendar(cls, deliberation):
        return calendar_days(deliberation, "deliberation")


class Silence(Strict):
    """Candidates who hear nothing lose interest: each has a tolerance for silence, and
    withdraws once that long has passed since the last news (the interview, a completed status
    update, a passed second interview, a promotion from the reserve, an opening handed from the
    backup list). Silence counts only until the offer is extended."""

    tolerance: Distribution
    """Calendar days without news a candidate tolerates before withdrawing."""

    @field_validator("tolerance")
    @classmethod
    def _calendar(cls, tolerance):
        return calendar_days(tolerance, "tolerance")


class StatusUpdates(Strict):
    """A recruiter's news to every candidate still waiting, on a cadence from the interview
    until the offer: it costs `resource` time and resets the candidate's silence."""

    every: Distribution
    """Time between updates (a number, or `5 business_days`)."""
    resource: str | None = "recruiter"
    duration: Distribution = 0.0
    """The call or email, holding `resource` (e.g. `0.25 hours`)."""

    @field_validator("every")
    @classmethod
    def _cadence(cls, every):
        return unit_refused(every, ("hours",), "a cadence is calendar or business days")

    @field_validator("duration")
    @classmethod
    def _work_unit(cls, duration, info: ValidationInfo):
        return work_unit(duration, info)


class Renege(Strict):
    """Candidates who accept and back out before their start date."""

    prob: Probability
    """Share of accepting candidates who back out (outcome `declined`, exit stage onboarding)."""
    after: Distribution = 7.0
    """Calendar days from accepting to backing out; one who starts first does not back out."""

    @field_validator("after")
    @classmethod
    def _calendar(cls, after):
        return calendar_days(after, "after")


class Candidate(Strict):
    patience: Distribution | None = None
    """Calendar days from the interview until the candidate takes another job; null: never
    withdraws, holds no competing offer and never reneges (every mechanism below is off)."""
    outside_offers: OutsideOffers | None = None
    """Competing offers; null: none."""
    silence: Silence | None = None
    """Withdrawing after too long without news; null: off."""
    status_updates: StatusUpdates | None = None
    """The recruiter's news on a cadence; null: none."""
    renege: Renege | None = None
    """Backing out after accepting; null: no one does."""

    @field_validator("patience")
    @classmethod
    def _calendar_days(cls, patience):
        return calendar_days(patience, "patience")

    def in_effect(self) -> Candidate:
        """The mechanisms as a run applies them: with `patience` null, none (that candidate
        never leaves by their own will), whatever else is written."""
        if self.patience is not None:
            return self
        return self.model_copy(update=dict.fromkeys(
            ("outside_offers", "silence", "status_updates", "renege")))  # fmt: skip

