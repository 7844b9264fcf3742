"""The scenario's building blocks: strict models, and the field types and checks every part shares.

Each field of a scenario is in days, counts or probabilities; a delay whose unit makes no sense
for its field is refused with the reason (`unit_refused`).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo

from sim.distributions import Float, Int


def _probability(value: float) -> float:
    if not 0 <= value <= 1:
        raise ValueError(f"must be between 0 and 1 (got {value})")
    return value


Probability = Annotated[float, Float, AfterValidator(_probability)]
PositiveDays = Annotated[float, Float, Field(gt=0, allow_inf_nan=False)]
NonNegativeDays = Annotated[float, Float, Field(ge=0, allow_inf_nan=False)]
Count = Annotated[int, Int, Field(ge=1)]
"""A whole number of at least 1 (`true` is not a number here, although Python says it is 1)."""


class Strict(BaseModel):
    # validate_default: a default such as `rounds: 1.0` becomes a distribution, as when written
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


def unit_refused(dist: Any, refused: tuple[str, ...], why: str) -> Any:
    """A delay whose unit makes no sense for its field is refused, saying why."""
    if dist is not None and dist.unit in refused:
        raise ValueError(f"unit {dist.unit} makes no sense here: {why}")
    return dist



def calendar_days(dist: Any, what: str) -> Any:
    why = f"{what} is the candidate's own time, in calendar days (write days or no unit)"
    return unit_refused(dist, ("hours", "business_days"), why)


def work_unit(duration: Any, info: ValidationInfo) -> Any:
    """Hours are a team member's working hours: a stage with no `resource` has none."""
    if "resource" in info.data and info.data["resource"] is None:
        why = "hours are the working hours of the team member doing the work, and this stage has "
        why += "no resource (use business_days or days)"
        return unit_refused(duration, ("hours",), why)
    return duration


def no_validity(validity: Any, why: str) -> None:
    if validity is not None:
        raise ValueError(f"must be null: {why}")
    return None
