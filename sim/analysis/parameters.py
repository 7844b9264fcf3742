"""The numeric parameters of a resolved scenario, and variants of it with one of them scaled.

A parameter is named by its dotted path in the scenario: `stages.reference_checks.wait`,
`team.recruiter` (a role's path names its head count, `team.recruiter.count`),
`applicants.per_requisition`. Scaling one by a factor:
- a distribution scales as a whole, every draw times the factor, in its own unit: a fixed value,
  an exponential's mean, a lognormal's median and p90 (or mean and sd: its sigma is kept), a
  gamma's mean (its cv kept), a triangular's min, mode and max, a uniform's bounds, an
  empirical's values;
- a whole number (a head count, candidates per requisition) is rounded half up;
- every number stays within its field's bounds: a probability within [0, 1], a head count at
  least 1, a role's hours a week within the calendar's working week.
Booleans, text, dates and sections cannot be scaled, and the run's own settings (name, seed,
replications, horizon, warm-up, start date) are not parameters of the hiring process.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pydantic import BaseModel

from sim.distributions import _Dist
from sim.scenario.errors import ScenarioError, hint
from sim.scenario.fields import Probability
from sim.scenario.resolve import resolve, resolved_document
from sim.scenario.stages import stage_label
from sim.scenario.sweeps import flow_text, with_overrides
from sim.scenario.types import Scenario

RUN_SETTINGS = ("name", "seed", "replications", "horizon_days", "start_date", "warmup_days",
                "sweep")  # fmt: skip
"""Top-level fields that say how the run is made, not how hiring works."""
SCALED = {
    "fixed": ("value",),
    "exponential": ("mean",),
    "lognormal": ("median", "p90", "mean", "sd"),
    "gamma": ("mean",),
    "triangular": ("min", "mode", "max"),
    "uniform": ("min", "max"),
    "empirical": ("values",),
}
"""Per kind of distribution, the fields that scale with every draw (the others keep its shape)."""
LEAD = "time_to_offer_days_median"
"""The metric parameters are ranked by (`ranking`), and the tornado chart shows."""
_PROBABILITY = Probability.__metadata__[-1]  # the check that marks a probability field


@dataclass(frozen=True)
class Parameter:
    """One numeric parameter of a scenario."""

    path: str
    """As a user names it and the results report it."""
    kind: str
    """"distribution", "whole" (a whole number) or "number"."""
    value: Any
    """As in the resolved document: a number, or a distribution's mapping."""
    field: str
    """The dotted path set in the document (`team.recruiter` sets `team.recruiter.count`)."""
    minimum: float | None = None
    maximum: float | None = None

    def scaled(self, factor: float) -> tuple[Any, str | None]:
        """(the value scaled by `factor`, None), or (None, why it stays the same)."""
        if self.kind == "distribution":
            new = dict(self.value)
            for key in SCALED.get(new.get("dist"), ()):
                if isinstance(new.get(key), list):
                    new[key] = [_times(v, factor) for v in new[key]]
                elif new.get(key) is not None:
                    new[key] = _times(new[key], factor)
            if new == self.value:
                return None, "is 0: scaling leaves it unchanged"
            return new, None
        value = self.value * factor
        if self.kind == "whole":
            value = math.floor(value + 0.5)
        if self.maximum is not None and value > self.maximum:
            value = self.maximum
        if self.minimum is not None and value < self.minimum:
            value = self.minimum
        value = int(value) if self.kind == "whole" else _times(value, 1)
        if value == self.value:
            why = "is 0" if not self.value else f"stays {self.value:g} ({self._kept(factor)})"
            return None, f"{why}: unchanged"
        return value, None

    def _kept(self, factor: float) -> str:
        if self.kind == "whole" and self.minimum is not None and self.value * factor < self.value:
            return f"rounded, at least {self.minimum:g}"
        if self.maximum is not None and self.value * factor > self.maximum:
            return f"at most {self.maximum:g}"
        return "rounded" if self.kind == "whole" else f"at least {self.minimum:g}"

    def text(self, value: Any = None) -> str:
        """`value` (default: the base's) as one line: `3`, `{dist: lognormal, median: 3, ...}`."""
        value = self.value if value is None else value
        return flow_text(value) if isinstance(value, dict) else f"{value:g}"


def _times(value: float, factor: float) -> float:
    return float(f"{value * factor:.12g}")  # 0.30000000000000004 reads as 0.3


def _bounds(info) -> tuple[float | None, float | None, bool]:
    """(minimum, maximum, is a probability) from a pydantic field's constraints."""
    found = list(info.metadata)
    todo = [info.annotation]
    while todo:
        node = todo.pop()
        if typing.get_origin(node) is typing.Annotated:
            found += list(node.__metadata__)
        todo += [arg for arg in typing.get_args(node) if not isinstance(arg, (str, int))]
    low = high = None
    probability = any(item is _PROBABILITY for item in found)
    for item in found:
        for constraint in [item, *getattr(item, "metadata", ())]:
            low = getattr(constraint, "ge", getattr(constraint, "gt", low))
            high = getattr(constraint, "le", getattr(constraint, "lt", high))
    return (0.0, 1.0, True) if probability else (low, high, False)


def _walk(model: BaseModel, document: dict, prefix: str, found: dict, fixed: dict) -> None:
    for name, info in type(model).model_fields.items():
        key = info.alias or name
        path, value = f"{prefix}{key}", getattr(model, name)
        written = document.get(key) if isinstance(document, dict) else None
        if not prefix and key in RUN_SETTINGS:
            fixed[path] = "is a setting of the run, not of the hiring process"
        elif isinstance(value, _Dist):
            found[path] = Parameter(path, "distribution", written, path)
        elif value is None:
            fixed[path] = "is null in this scenario: there is nothing to scale"
        elif isinstance(value, bool):
            fixed[path] = "is true or false: there is nothing to scale"
        elif isinstance(value, (int, float)):
            low, high, _ = _bounds(info)
            kind = "whole" if isinstance(value, int) else "number"
            found[path] = Parameter(path, kind, value, path, low, high)
        elif isinstance(value, BaseModel):
            fixed[path] = "is a section: name one of its numbers"
            _walk(value, written, f"{path}.", found, fixed)
        elif isinstance(value, dict) and key == "team":
            fixed[path] = "is a section: name a role (its head count) or one of its numbers"
            for role, member in value.items():
                mapping = written.get(role) if isinstance(written, dict) else None
                _walk(member, mapping if isinstance(mapping, dict) else {}, f"{path}.{role}.",
                      found, fixed)  # fmt: skip
                count = found[f"{path}.{role}.count"]
                found[f"{path}.{role}"] = Parameter(f"{path}.{role}", "whole", count.value,
                                                    count.field, count.minimum)  # fmt: skip
        else:
            fixed[path] = f"is {type(value).__name__}, not a number: there is nothing to scale"


def catalogue(scenario: Scenario) -> tuple[dict[str, Parameter], dict[str, str]]:
    """(every numeric parameter by path, every other path -> why it cannot be varied)."""
    found, fixed = {}, {}
    _walk(scenario, resolved_document(scenario), "", found, fixed)
    calendar = scenario.calendar
    for role, member in scenario.team.items():  # a role's hours fit in its working week
        path = f"team.{role}.hours_per_week"
        if calendar is not None and path in found:
            week = calendar.hours_per_day * len(member.workdays or calendar.workdays)
            found[path] = Parameter(path, "number", found[path].value, path, 0.0, week)
    return found, fixed


def _stages(scenario: Scenario) -> Iterator[tuple[str, Any]]:
    """(path, stage) of every stage a candidate can meet, the second interview included."""
    for name, stage in scenario.stages.items():
        if stage.enabled:
            yield f"stages.{name}", stage
    follow_up = scenario.stages.follow_up
    second = follow_up.second_interview
    if follow_up.enabled and follow_up.second_interview_prob > 0 and second.enabled:
        yield "stages.follow_up.second_interview", second


EXTRAS = ("decision.meets_every_days", "follow_up.second_interview_prob",
          "final_decision.accept_prob")  # fmt: skip
"""Stage-specific levers varied by default, besides every stage's wait, work and pass rate."""


def default_paths(scenario: Scenario) -> list[str]:
    """What `sensitivity` varies when not told: every reachable stage's wait, duration and pass
    probability below 1 (and a committee's cadence, the second-interview rate, the acceptance rate),
    the head count and hours of every role some stage uses, candidates per requisition, their
    arrival rate, the candidates' patience and requisitions opening a month; those that are set
    and not 0."""
    found, _ = catalogue(scenario)
    paths, roles = [], set()
    for prefix, stage in _stages(scenario):
        paths += [f"{prefix}.wait", f"{prefix}.duration"]
        paths += [f"{prefix}.pass_prob"] if stage.pass_prob < 1 else []  # 1: screens no one
        paths += [f"stages.{extra}" for extra in EXTRAS
                  if f"stages.{extra}".rpartition(".")[0] == prefix]  # fmt: skip
        roles.add(stage.resource)
    updates = scenario.candidate.in_effect().status_updates
    if updates is not None:
        roles.add(updates.resource)
        paths.append("candidate.status_updates.every")
    for role in scenario.team:
        if role in roles:
            paths += [f"team.{role}", f"team.{role}.hours_per_week"]
    paths += ["applicants.per_requisition", "applicants.arrivals.rate_per_day",
              "applicants.arrivals.days", "candidate.patience",
              "company.requisitions_per_month"]  # fmt: skip
    return [p for p in dict.fromkeys(paths) if p in found and _nonzero(found[p])]


def _nonzero(parameter: Parameter) -> bool:
    return any(parameter.scaled(factor)[0] is not None for factor in (0.5, 2.0))


def path_problems(scenario: Scenario, paths: list[str], option: str = "params") -> list[str]:
    """One line per path that names no numeric parameter of `scenario`, saying why."""
    found, fixed = catalogue(scenario)
    problems = []
    for path in paths:
        if path in fixed:
            problems.append(f"{option} {path}: {fixed[path]}")
        elif path not in found:
            near = hint(path, [*found, *fixed])
            problems.append(f"{option} {path}: no such parameter in this scenario{near}")
    return problems


def variant(scenario: Scenario, parameter: Parameter, value: Any) -> Scenario:
    """`scenario` (no sweep) with `parameter` set to `value`, validated anew; ScenarioError with
    the problems when that value makes no valid scenario."""
    document = with_overrides(resolved_document(scenario), {parameter.field: value})
    return resolve(document)


def describe_path(path: str) -> str:
    """A parameter as it reads on a chart: "reference checks: wait", "recruiters (head count)"."""
    parts = path.split(".")
    words = {"pass_prob": "pass rate", "accept_prob": "acceptance rate", "duration": "work",
             "meets_every_days": "meeting cadence", "second_interview_prob": "second-interview "
             "rate", "hours_per_week": "hours a week", "per_requisition": "candidates per "
             "requisition", "rate_per_day": "interviews a day", "requisitions_per_month":
             "requisitions opening a month", "patience": "candidates' patience"}  # fmt: skip
    last = words.get(parts[-1], parts[-1].replace("_", " "))
    if parts[0] == "stages" and len(parts) > 2:
        return f"{stage_label(parts[-2])}: {last}"
    if parts[0] == "team" and len(parts) == 2:
        return f"{parts[1].replace('_', ' ')}s (head count)"
    if parts[0] == "team" and len(parts) > 2:
        return f"{parts[1].replace('_', ' ')}: {last}"
    return last


def ranking(table: pd.DataFrame, metric: str = LEAD) -> list[str]:
    """The parameters by the largest change either variant makes in `metric`, largest first
    (a change that could not be computed counts as none)."""
    rows = table[table["metric"] == metric]
    size = rows["difference"].abs().fillna(0).groupby(rows["parameter"], sort=False).max()
    order = sorted(range(len(size)), key=lambda i: (-size.iloc[i], i))
    return [size.index[i] for i in order]


__all__ = ["LEAD", "Parameter", "ScenarioError", "catalogue", "default_paths", "describe_path",
           "path_problems", "ranking", "variant"]  # fmt: skip
