"""Error lines for a scenario a user must fix: pydantic's errors as dotted-path lines, with a
near miss suggested (`pass_prb` -> did you mean 'pass_prob'?) and long values cut short."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from sim.distributions import DIST_CLASSES
from sim.scenario.types import ARRIVAL_PROCESSES, Scenario


class ScenarioError(ValueError):
    """A scenario the user must fix; `problems` holds one line per mistake."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))

    def validation_error(self, title: str, given: object) -> ValidationError:
        """The same problems as pydantic's ValidationError (what `Scenario.model_validate`
        raises): one error per line, located by the dotted path the line starts with."""
        errors = []
        for line in self.problems:
            path, _, message = line.partition(": ")
            problem = PydanticCustomError("scenario", "{problem}", {"problem": message or path})
            errors.append({"type": problem, "loc": (path,) if message else (), "input": given})
        return ValidationError.from_exception_data(title, errors)


SHOWN_CHARS = 60  # of a value echoed in an error line


def shown(value: object) -> str:
    """`value` as an error line echoes it: its repr, or for a long one the first
    SHOWN_CHARS characters and its length (a 30 MB value must not make a 30 MB line)."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= SHOWN_CHARS:
        return repr(value)
    head = repr(text[:SHOWN_CHARS]) if isinstance(value, str) else text[:SHOWN_CHARS]
    head = head[:-1] + "…" + head[-1] if isinstance(value, str) else head + "…"
    return f"{head} ({len(text):,} characters)"


def clip(text: str, lines: int = 1) -> str:
    """`text` cut to `lines` x SHOWN_CHARS characters, for names and messages that echo input."""
    limit = SHOWN_CHARS * lines
    cut = text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"
    # a control or line-break character echoed raw would break the one line per problem
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in cut)


def describe(err: ValidationError) -> list[str]:
    """One line per problem in `err`, `dotted.path: what is wrong`, duplicates dropped."""
    lines = []
    for problem in err.errors():
        loc = [part for part in problem["loc"] if not _is_tag(part)]
        if problem["type"] == "extra_forbidden":  # the last part is the user's key, never a tag
            loc = [part for part in problem["loc"][:-1] if not _is_tag(part)]
            loc.append(problem["loc"][-1])
        path = ".".join(clip(str(part)) for part in loc) or "scenario"
        kind, message = problem["type"], problem["msg"]
        if kind == "extra_forbidden":
            message = "unknown field" + hint(str(loc[-1]), fields_at(list(problem["loc"][:-1])))
        elif kind == "missing":
            message = "required field is missing"
        elif kind == "unknown_distribution":
            message = _unknown_kind(problem["input"], "dist", "distribution", list(DIST_CLASSES),
                                    "a distribution is a number or a mapping")  # fmt: skip
            if isinstance(problem["input"], str):
                message += ', or a number and a unit as text ("2 hours", "3 business days")'
        elif kind == "unknown_arrival_process":
            message = _unknown_kind(problem["input"], "process", "arrival process",
                                    list(ARRIVAL_PROCESSES), "must be a mapping")  # fmt: skip
        elif kind in ("model_type", "model_attributes_type", "dict_type"):
            given = "null" if problem.get("input") is None else shown(problem["input"])
            message = f"must be a mapping of fields (got {given})"
        else:
            message = message.removeprefix("Value error, ")
            message = clip(message[0].lower() + message[1:], 3)
            if problem.get("input") is not None and kind not in ("value_error",):
                message += f" (got {shown(problem['input'])})"
        lines.append(f"{path}: {message}")
    return list(dict.fromkeys(lines))


_TAGGED = {**DIST_CLASSES, **ARRIVAL_PROCESSES}
"""The classes a tagged union picks by name: pydantic puts the name in an error's location."""


def _is_tag(part: object) -> bool:
    return isinstance(part, str) and (part in _TAGGED or "[" in part)


def hint(word: str, choices: list[str], listing: bool = False) -> str:
    """' (did you mean ...?)' for a near miss; with `listing`, else every choice."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" (one of: {', '.join(choices)})" if listing and choices else ""


def fields_at(loc: list) -> list[str]:
    """Field names the model accepts at `loc`, found by walking the Scenario's annotations."""
    node: Any = Scenario
    for part in loc:
        if _is_tag(part):
            node = _TAGGED.get(part, node)
            continue
        node = _unwrap(node)
        if isinstance(node, type) and issubclass(node, BaseModel):
            field = node.model_fields.get(str(part)) or next(
                (f for f in node.model_fields.values() if f.alias == part), None
            )
            if field is None:
                return []
            node = field.annotation
        elif typing.get_origin(node) is dict:
            node = typing.get_args(node)[1]
        else:
            return []
    node = _unwrap(node)
    if isinstance(node, type) and issubclass(node, BaseModel):
        return [f.alias or name for name, f in node.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _unknown_kind(given, key: str, what: str, names: list[str], without: str) -> str:
    """The message for a tagged mapping (`dist:`, `process:`) whose tag is missing or unknown."""
    tag = given.get(key) if isinstance(given, dict) else None
    if tag is None:
        return f"{without} with '{key}:' (one of: {', '.join(names)})"
    return f"unknown {what} {shown(tag)}" + hint(str(tag), names, listing=True)
