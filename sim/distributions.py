"""Delay distributions, in days, that know their analytic mean and variance.

A scenario writes a distribution as a bare number (fixed) or as a mapping with a `dist` key:
`{dist: lognormal, median: 2, p90: 7}` reads "usually two days, one time in ten a week or more",
which is how recruiters describe delays. Every class offers `mean`, `var` and
`sample(rng, size)`; `draws(rng)` turns one into an endless iterator fed by numpy in blocks, so
the model pays for one Python `next()` per draw, not for a numpy call.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from typing import Annotated, Literal, Self

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

Z90 = 1.2815515655446004  # standard normal 90th percentile
BLOCK = 256  # draws fetched from numpy at a time, at most


def block_sizes() -> Iterator[int]:
    """How many draws each fetch from numpy takes: 8, 16, ... up to BLOCK, then BLOCK each
    time. A stream that draws little (one requisition's, at one stage) holds few unused draws
    (a requisition has about 25 streams, and a million-candidate run 10,000 requisitions);
    one that draws much pays numpy's call once per BLOCK. numpy's generators give the same
    numbers in the same order however they are fetched, so the sizes never change a result."""
    return itertools.chain((8, 16, 32, 64, 128), itertools.repeat(BLOCK))


def _number(kind: str) -> BeforeValidator:
    """A number field that takes numbers only: pydantic would read `true` as 1 and the text
    "1_000" (YAML 1.2 does not read it as a number) as 1000; in a scenario both are slips."""

    def check(value: object) -> object:
        if isinstance(value, bool):
            raise ValueError(f"must be a number, not {str(value).lower()}")
        if isinstance(value, str):
            raise PydanticCustomError(f"{kind}_type", f"Input should be a valid {kind}, not text")
        return value

    return BeforeValidator(check)


Int, Float = _number("integer"), _number("number")
NonNegative = Annotated[float, Float, Field(ge=0, allow_inf_nan=False)]
Positive = Annotated[float, Float, Field(gt=0, allow_inf_nan=False)]


UNITS = ("days", "business_days", "hours")
"""The clock a delay runs on. `days`: calendar days, every day alike (the default: a value
written without a unit is in days). `business_days`: working days of the calendar (weekends and
holidays do not count). `hours`: working hours of the team member doing the work. Without a
calendar, every day is a business day and every hour a working hour."""


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: Literal[UNITS] | None = None
    """The clock the draws are on (see UNITS); None: days, as written without one."""

    @model_serializer(mode="wrap")
    def _drop_unset_form(self, handler):
        # lognormal has two forms; write only the one in use
        fields = {k: v for k, v in handler(self).items() if v is not None and k != "unit"}
        return fields if self.unit is None else {**fields, "unit": self.unit}

    @property
    def mean(self) -> float:
        raise NotImplementedError

    @property
    def var(self) -> float:
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        raise NotImplementedError

    def draws(self, rng: np.random.Generator) -> Iterator[float]:
        """Endless iterator of draws, fetched from `rng` in blocks (a C-level chain: `next()`
        on it runs no Python frame between blocks)."""
        blocks = (self.sample(rng, size).tolist() for size in block_sizes())
        return itertools.chain.from_iterable(blocks)


class Fixed(_Dist):
    dist: Literal["fixed"] = "fixed"
    value: NonNegative

    @property
    def mean(self) -> float:
        return self.value

    @property
    def var(self) -> float:
        return 0.0

    def sample(self, rng, size):
        return np.full(size, self.value)

    def draws(self, rng):
        return itertools.repeat(float(self.value))  # no randomness: never touch the stream


class Exponential(_Dist):
    dist: Literal["exponential"]
    mean_: Positive = Field(alias="mean")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @property
    def mean(self) -> float:
        return self.mean_

    @property
    def var(self) -> float:
        return self.mean_**2

    def sample(self, rng, size):
        return rng.exponential(self.mean_, size)


class Lognormal(_Dist):
    """Lognormal by `median` and `p90` (90th percentile), or by `mean` and `sd`."""

    dist: Literal["lognormal"]
    median: Positive | None = None
    p90: Positive | None = None
    mean_: Positive | None = Field(default=None, alias="mean")
    sd: Positive | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_form(self) -> Self:
        by_quantiles = self.median is not None or self.p90 is not None
        by_moments = self.mean_ is not None or self.sd is not None
        if by_quantiles == by_moments:
            raise ValueError("give either median and p90, or mean and sd")
        if by_quantiles:
            if self.median is None or self.p90 is None:
                raise ValueError("give both median and p90")
            if self.p90 <= self.median:
                raise ValueError("p90 must be greater than median")
        elif self.mean_ is None or self.sd is None:
            raise ValueError("give both mean and sd")
        return self

    @property
    def mu_sigma(self) -> tuple[float, float]:
        """Parameters of the underlying normal."""
        if self.median is not None:
            mu = math.log(self.median)
            return mu, (math.log(self.p90) - mu) / Z90
        sigma2 = math.log1p((self.sd / self.mean_) ** 2)
        return math.log(self.mean_) - sigma2 / 2, math.sqrt(sigma2)

    @property
    def mean(self) -> float:
        mu, sigma = self.mu_sigma
        return math.exp(mu + sigma**2 / 2)

    @property
    def var(self) -> float:
        mu, sigma = self.mu_sigma
        return math.expm1(sigma**2) * math.exp(2 * mu + sigma**2)

    def sample(self, rng, size):
        mu, sigma = self.mu_sigma
        return rng.lognormal(mu, sigma, size)


class Gamma(_Dist):
    """Gamma by `mean` and coefficient of variation `cv` (sd / mean)."""

    dist: Literal["gamma"]
    mean_: Positive = Field(alias="mean")
    cv: Positive

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @property
    def mean(self) -> float:
        return self.mean_

    @property
    def var(self) -> float:
        return (self.mean_ * self.cv) ** 2

    def sample(self, rng, size):
        return rng.gamma(1 / self.cv**2, self.mean_ * self.cv**2, size)


class Triangular(_Dist):
    dist: Literal["triangular"]
    min: NonNegative
    mode: NonNegative
    max: NonNegative

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.min <= self.mode <= self.max or self.min == self.max:
            raise ValueError("need min <= mode <= max and min < max")
        return self

    @property
    def mean(self) -> float:
        return (self.min + self.mode + self.max) / 3

    @property
    def var(self) -> float:
        a, c, b = self.min, self.mode, self.max
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18

    def sample(self, rng, size):
        return rng.triangular(self.min, self.mode, self.max, size)


class Uniform(_Dist):
    dist: Literal["uniform"]
    min: NonNegative
    max: NonNegative

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min >= self.max:
            raise ValueError("need min < max")
        return self

    @property
    def mean(self) -> float:
        return (self.min + self.max) / 2

    @property
    def var(self) -> float:
        return (self.max - self.min) ** 2 / 12

    def sample(self, rng, size):
        return rng.uniform(self.min, self.max, size)


class Empirical(_Dist):
    """Draws uniformly from the observed `values` (a bootstrap of real delays)."""

    dist: Literal["empirical"]
    values: Annotated[list[NonNegative], Field(min_length=1)]

    @property
    def mean(self) -> float:
        return float(np.mean(self.values))

    @property
    def var(self) -> float:
        return float(np.var(self.values))

    def sample(self, rng, size):
        return rng.choice(np.asarray(self.values, dtype=float), size)


DIST_CLASSES: dict[str, type[_Dist]] = {
    "fixed": Fixed,
    "exponential": Exponential,
    "lognormal": Lognormal,
    "gamma": Gamma,
    "triangular": Triangular,
    "uniform": Uniform,
    "empirical": Empirical,
}


_WITH_UNIT = re.compile(
    r"^\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(hours?|business[ _]days?|days?)\s*$", re.IGNORECASE
)


def _with_unit(value: str) -> dict | None:
    """`"2 hours"`, `"3 business days"`, `"1 day"` as a fixed delay with its unit; else None."""
    match = _WITH_UNIT.match(value)
    if match is None:
        return None
    word = match.group(2).lower().replace(" ", "_")
    unit = word if word.endswith("s") else word + "s"
    return {"dist": "fixed", "value": float(match.group(1)), "unit": unit}


def _tag(value: object) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "fixed"
    if isinstance(value, str) and _with_unit(value) is not None:
        return "fixed"
    if isinstance(value, dict):
        return value.get("dist")
    if isinstance(value, _Dist):
        return value.dist
    return None


def _finite(dist: _Dist) -> _Dist:
    """A delay whose mean or variance overflows a float, or that draws NaN, is refused here,
    with its field's name, rather than surfacing as a NaN delay deep inside a run."""
    try:
        with np.errstate(all="ignore"):
            moments = (dist.mean, dist.var)
            sample = dist.sample(np.random.default_rng(0), 64)
    except (OverflowError, ValueError, ZeroDivisionError):
        moments, sample = (math.inf,), np.zeros(1)
    if not all(math.isfinite(m) for m in moments):
        raise ValueError("its mean or variance is too large to compute; use smaller values")
    if not np.isfinite(sample).all():
        raise ValueError("draws values that are not finite numbers; use smaller values")
    return dist


def _bare_number(value: object) -> object:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"dist": "fixed", "value": value}
    if isinstance(value, str):
        return _with_unit(value) or value
    return value


class _FixedOrNumber(Fixed):
    @model_validator(mode="before")
    @classmethod
    def _wrap(cls, value: object) -> object:
        return _bare_number(value)


Distribution = Annotated[
    Annotated[_FixedOrNumber, Tag("fixed")]
    | Annotated[Exponential, Tag("exponential")]
    | Annotated[Lognormal, Tag("lognormal")]
    | Annotated[Gamma, Tag("gamma")]
    | Annotated[Triangular, Tag("triangular")]
    | Annotated[Uniform, Tag("uniform")]
    | Annotated[Empirical, Tag("empirical")],
    Discriminator(
        _tag, custom_error_type="unknown_distribution", custom_error_message="unknown distribution"
    ),
    AfterValidator(_finite),
]
"""A delay: a number (days), a number with its unit as text (`"2 hours"`), or a mapping with a
`dist` key (see DIST_CLASSES) and an optional `unit` (see UNITS)."""
