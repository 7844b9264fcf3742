"""What hiring costs: the optional `costs:` section of a scenario.

    costs:
      hourly: {recruiter: 45, hiring_manager: 80}      # per hour a role's people work
      per_hire: {background_check: 50, drug_test: 40}  # or one number: per_hire: 1200
      per_search: {job_ad: 400}                        # each search: the first and each reopened
      per_open_day: 100                                # each day a requisition stays open

Every amount is in one currency (whichever the rates are written in) and at least 0. A role
of the team with no `hourly` rate costs nothing; a rate for a role the team does not have is an
error (`Scenario.reference_problems`). `sim.analysis.costs` turns the section and a run into
cost per hire and the cost of delay.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, field_validator

from sim.distributions import Float
from sim.scenario.fields import Strict

MAX_AMOUNT = 1e12
"""The largest amount accepted (a typo of a dozen zeros is refused, not summed)."""


def _amount(value: float) -> float:
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"must be a finite amount (got {value})")
    if value < 0:
        raise ValueError(f"must be at least 0 (got {value:g})")
    if value > MAX_AMOUNT:
        raise ValueError(f"must be at most {MAX_AMOUNT:g} (got {value:g})")
    return value


Amount = Annotated[float, Float, AfterValidator(_amount)]
"""An amount of money, or a rate: a finite number of at least 0."""

TOTAL = "total"
"""The item a fixed cost written as one number is kept under (`per_hire: 1200`)."""


class Costs(Strict):
    """Hourly cost per team role, fixed costs per hire and per search, and the cost of a day a
    requisition stays open."""

    hourly: dict[str, Amount] = {}
    """Cost of an hour of a role's work (each person's), by team role."""
    per_hire: dict[str, Amount] = {}
    """Fixed costs of each hire, by item (background check, drug test, signing bonus); a
    number: their total."""
    per_search: dict[str, Amount] = {}
    """Fixed costs of each search, the first and each reopened one (job ads, a job board)."""
    per_open_day: Amount = 0.0
    """Cost of each calendar day a requisition stays open, from its opening until its last
    opening's offer is accepted (or the run ends): work not done, overtime, lost revenue."""

    @field_validator("per_hire", "per_search", mode="before")
    @classmethod
    def _number_is_total(cls, value: Any) -> Any:
        """A number is the total of the items (`per_hire: 1200`, as SPEC writes it)."""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return {TOTAL: value}
        return value

    @property
    def hire_fixed(self) -> float:
        """Fixed cost of one hire: the sum of `per_hire`'s items."""
        return float(sum(self.per_hire.values()))

    @property
    def search_fixed(self) -> float:
        """Fixed cost of one search: the sum of `per_search`'s items."""
        return float(sum(self.per_search.values()))

    def role_problems(self, team: Mapping[str, Any]) -> list[str]:
        """One line per `hourly` rate naming a role the team does not have."""
        from sim.scenario.errors import clip, hint  # it imports the scenario's types

        known = sorted(team)
        return [
            f"costs.hourly.{clip(role)}: unknown team role (team: {', '.join(known) or 'none'})"
            + hint(role, known)
            for role in self.hourly
            if role not in team
        ]
