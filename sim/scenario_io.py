"""Scenario files in and out: YAML, presets, dotted-path overrides, sweeps, clear errors.

The only module that imports `yaml`. Reading goes YAML -> mapping -> (sweep cell overrides) ->
laid over the company-size preset -> validated `Scenario`. Every user mistake becomes a
`ScenarioError` holding one line per problem, each naming the field by its dotted path.
"""

from __future__ import annotations

import copy
import difflib
import itertools
import re
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from sim import limits, presets
from sim.distributions import DIST_CLASSES
from sim.scenario import SIZES, Batch, Poisson, Scenario, Window


class ScenarioError(ValueError):
    """A scenario the user must fix; `problems` holds one line per mistake."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class _Loader(yaml.SafeLoader):
    """`yaml.SafeLoader` (safe_load: no tags that build objects) with YAML 1.2 scalars:
    `1e3` is a number and `on`/`yes`/`no` are strings, as a person writing them means."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def read_yaml(path: str | Path) -> dict:
    """The mapping in a scenario file, or a ScenarioError saying why there is none."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or err
        raise ScenarioError([f"{path}: cannot read: {reason}"]) from None

    loader = _Loader(text)
    budget = [100_000]  # nodes visited, aliases expanded: a scenario has a few hundred

    def check(node, at: str, inside: frozenset) -> list[str]:
        """What YAML lets through but a scenario must not: a key given twice (the later would
        silently win), a value that cannot be built (2026-13-01), an alias inside itself."""
        budget[0] -= 1
        line = node.start_mark.line + 1
        if id(node) in inside:
            return [f"{at or path}: an alias refers to something that contains it (line {line})"]
        if budget[0] < 0 or len(inside) > 50:
            return [f"{path}: too large or too deeply nested to be a scenario"]
        if isinstance(node, yaml.ScalarNode):
            try:
                loader.construct_object(node)
            except (ValueError, TypeError, OverflowError) as err:
                return [f"{at or path}: cannot read {node.value!r} (line {line}): {err}"]
            return []
        problems, seen, children = [], {}, []
        if isinstance(node, yaml.SequenceNode):
            children = [(f"{at}[{i}]", item) for i, item in enumerate(node.value)]
        for key, value in node.value if isinstance(node, yaml.MappingNode) else []:
            name = key.value if isinstance(key, yaml.ScalarNode) else "?"
            dotted = f"{at}.{name}" if at else name
            again = key.start_mark.line + 1
            if name in seen and name != "<<":
                first = seen[name]
                lines = f"line {again}" if first == again else f"lines {first} and {again}"
                problems.append(f"{dotted}: given twice ({lines}); keep one")
            seen.setdefault(name, again)
            children.append((dotted, value))
        for dotted, child in children:
            problems += check(child, dotted, inside | {id(node)})
        return problems

    try:
        node = loader.get_single_node()
        problems = check(node, "", frozenset()) if node is not None else []
        document = None if node is None or problems else loader.construct_document(node)
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        line = f" (line {where.line + 1})" if where else ""
        what = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ScenarioError([f"{path}: not valid YAML{line}: {what}"]) from None
    except RecursionError:
        raise ScenarioError([f"{path}: too deeply nested to be a scenario"]) from None
    except (ValueError, TypeError, OverflowError) as err:  # e.g. a key that is a bad date
        raise ScenarioError([f"{path}: not valid YAML: a value cannot be read ({err})"]) from None
    finally:
        loader.dispose()
    if problems:
        raise ScenarioError(list(dict.fromkeys(problems)))
    if document is None:
        raise ScenarioError([f"{path}: the file is empty; a scenario needs at least a name"])
    if not isinstance(document, dict):
        raise ScenarioError(
            [f"{path}: a scenario is a mapping of fields, not a {type(document).__name__}"]
        )
    return document


def load_scenario(source: str | Path | Mapping, max_cells: int = limits.MAX_CELLS) -> Scenario:
    """A validated Scenario from a YAML file path or a mapping (the preset filled in).
    A sweep of more than `max_cells` cells is refused before any cell is validated."""
    document = dict(source) if isinstance(source, Mapping) else read_yaml(source)
    return resolve(document, max_cells=max_cells)


def resolve(document: Mapping, max_cells: int = limits.MAX_CELLS) -> Scenario:
    """Validate `document` (as written by a user) into a Scenario; every sweep cell too.

    With a sweep, each cell is validated on its own, against its own company-size preset (the
    document without the sweep may not be a valid scenario: a committee written for the large
    cells has no place in the mid preset). The Scenario returned is then the first cell with
    the sweep, and carries every resolved cell."""
    problems = _key_problems(document)
    sweep = document.get("sweep")
    lists = isinstance(sweep, dict) and all(isinstance(v, list) for v in sweep.values())
    if not problems and lists:
        problems = limits.cell_problems(limits.grid_size(sweep), max_cells)
        problems += _sweep_shape_problems(sweep)
    if problems:
        raise ScenarioError(problems)
    if not (lists and sweep):
        return _validate(document)  # no sweep, or one pydantic will explain
    grid = sweep_grid(sweep)
    resolved, problems = [], []
    for overrides in grid:
        try:
            cell = _validate(with_overrides(document, overrides), overrides)
            resolved.append((_column_values(overrides), cell))
        except ScenarioError as err:
            problems += err.problems
    problems += _team_path_problems(document, [cell for _, cell in resolved])
    if problems:
        raise ScenarioError(list(dict.fromkeys(problems)))
    scenario = _validate({**with_overrides(document, grid[0]), "sweep": sweep}, grid[0])
    scenario._source = copy.deepcopy(dict(document))
    scenario._cells = resolved
    return scenario


# what a sweep may not vary, and why
_UNSWEEPABLE = {
    "name": "cannot be swept: the name names the results folder",
    "seed": "cannot be swept: replications already run on independent streams "
    "(use --seed for another root seed)",
    "replications": "cannot be swept: every cell runs the scenario's replications "
    "(set replications:, or --replications)",
    "sweep": "a sweep cannot sweep itself",
}


def _sweep_shape_problems(sweep: Mapping[str, list]) -> list[str]:
    """Paths that cannot be swept, or that overlap (`team` and `team.recruiter`: which wins?)."""
    problems = []
    for path, values in sweep.items():
        top = path.split(".")[0]
        if top in _UNSWEEPABLE:
            problems.append(f"sweep.{path}: {_UNSWEEPABLE[top]}")
        elif not values:
            problems.append(f"sweep.{_short(path)}: list should have at least 1 item")
        elif any(not part for part in path.split(".")):
            problems.append(f"sweep.{_short(path)}: not a dotted path to a field")
        else:
            problems += _field_path_problems(path)
    for path in sweep:
        parts = path.split(".")
        for outer in (".".join(parts[:k]) for k in range(1, len(parts))):
            if outer in sweep:
                problems.append(f"sweep.{_short(path)}: overlaps sweep.{_short(outer)} (both "
                                "set it); sweep one of them")  # fmt: skip
    return problems


def _field_path_problems(path: str) -> list[str]:
    """A swept path must name fields the scenario has (checked as far as the fields are fixed:
    team members and distribution parameters are checked with the cells)."""
    parts = path.split(".")
    for depth, part in enumerate(parts):
        fields = _fields_at(parts[:depth])
        if fields and part not in fields:
            prefix = ".".join(parts[:depth])
            where = f" in {prefix}" if prefix else ""
            return [f"sweep.{_short(path)}: no field {_short(part)!r}{where}{_hint(part, fields)}"]
        if not fields:
            break
    return []


def _team_path_problems(document: Mapping, scenarios: list[Scenario]) -> list[str]:
    """Swept team members must exist in a cell's team before the sweep adds them (a misspelt
    `team.recuiter` would otherwise add a team member no stage uses)."""
    plain = {k: v for k, v in document.items() if k != "sweep"}
    known = set()
    for size in dict.fromkeys(s.company.size for s in scenarios):
        team = presets.merged(size, plain).get("team")
        known |= set(team) if isinstance(team, dict) else set()
    problems = []
    for path in document["sweep"]:
        parts = path.split(".")
        if parts[0] == "team" and len(parts) > 1 and parts[1] not in known:
            problems.append(f"sweep.{_short(path)}: no team member {parts[1]!r} in team"
                            f"{_hint(parts[1], sorted(known))}")  # fmt: skip
    return problems


def _column_values(overrides: Mapping[str, Any]) -> dict:
    """Swept values as table cells: numbers, text and booleans as they are; a distribution or a
    list as its one-line YAML (`{dist: exponential, mean: 3}`), which a table can group by."""
    return {
        path: dump_yaml_flow(value) if isinstance(value, (dict, list)) else value
        for path, value in overrides.items()
    }


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _validate(document: Mapping, cell: Mapping | None = None) -> Scenario:
    document = copy.deepcopy(dict(document))
    where = f" (sweep cell {_cell_label(cell)})" if cell else ""
    company = document.get("company")
    size = company.get("size", "mid") if isinstance(company, dict) else "mid"
    if size not in SIZES:
        raise ScenarioError(
            [f"company.size: must be one of {', '.join(SIZES)}, not {size!r}{where}"]
        )
    merged = presets.merged(size, document)
    try:
        scenario = Scenario.model_validate(merged)
    except ValidationError as err:
        raise ScenarioError([line + where for line in _describe(err)]) from None
    problems = scenario.reference_problems()
    if problems:
        raise ScenarioError([line + where for line in problems])
    scenario._source = document
    return scenario


def _key_problems(document: Mapping) -> list[str]:
    bad = [key for key in _all_keys(document) if not isinstance(key, str)]
    return [
        f"{key!r}: keys must be text (YAML read this key as a {type(key).__name__}; quote it)"
        for key in bad
    ]


def _all_keys(node: Any):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _all_keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from _all_keys(item)


# -- sweeps and overrides ---------------------------------------------------------------------


def sweep_grid(sweep: Mapping[str, list] | None) -> list[dict]:
    """Every combination of the swept values, in file order: the cells of the grid."""
    if not sweep:
        return []
    paths = list(sweep)
    return [dict(zip(paths, values, strict=True)) for values in itertools.product(*sweep.values())]


def with_overrides(document: Mapping, overrides: Mapping[str, Any]) -> dict:
    """A copy of `document` with each dotted path set to its value (and no sweep)."""
    document = copy.deepcopy(dict(document))
    document.pop("sweep", None)
    for path, value in overrides.items():
        node = document
        *parents, leaf = path.split(".")
        for part in parents:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[leaf] = copy.deepcopy(value)
    return document


def cells(scenario: Scenario) -> list[tuple[dict, Scenario]]:
    """The sweep cells of a scenario as (swept values, resolved scenario); one cell if no sweep.
    Swept values are as they appear in the tables' columns (see `_column_values`)."""
    if not scenario.sweep:
        return [({}, scenario)]
    # the run's seed and replications hold in every cell, whatever the document said
    same = {"seed": scenario.seed, "replications": scenario.replications}
    resolved = scenario._cells or resolve(scenario._source)._cells
    return [(values, cell.model_copy(update=same)) for values, cell in resolved]


def override(scenario: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    """The scenario re-resolved with dotted-path overrides, e.g. {"team.recruiter": 3}."""
    document = copy.deepcopy(scenario._source)
    sweep = document.pop("sweep", None)
    document = with_overrides(document, overrides)
    if sweep:
        document["sweep"] = sweep
    return resolve(document)


def _cell_label(cell: Mapping) -> str:
    return ", ".join(f"{k}={v}" for k, v in cell.items())


# -- writing ----------------------------------------------------------------------------------


def resolved_document(scenario: Scenario) -> dict:
    """What `scenario.resolved.yaml` holds: every field explicit, enough to rerun exactly.
    With a sweep, cells take their own presets, so the file keeps the document as written
    (plus the seed and replications used) and the sweep."""
    if scenario.sweep:
        document = copy.deepcopy(scenario._source)
        document["seed"] = scenario.seed
        document["replications"] = scenario.replications
        return document
    return scenario.model_dump(mode="json", by_alias=True, exclude={"sweep"})


def dump_yaml(document: Mapping) -> str:
    return yaml.safe_dump(dict(document), sort_keys=False, allow_unicode=True, width=100)


def dump_yaml_flow(value: Any) -> str:
    """A value as one line of YAML: `{dist: exponential, mean: 3}`."""
    text = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=10**9)
    return text.strip().removesuffix("...").strip()


# -- error messages ---------------------------------------------------------------------------


def _describe(err: ValidationError) -> list[str]:
    lines = []
    for problem in err.errors():
        loc = [part for part in problem["loc"] if not _is_tag(part)]
        path = ".".join(str(part) for part in loc) or "scenario"
        kind, message = problem["type"], problem["msg"]
        if kind == "extra_forbidden":
            message = "unknown field" + _hint(str(loc[-1]), _fields_at(problem["loc"][:-1]))
        elif kind == "missing":
            message = "required field is missing"
        elif kind == "unknown_distribution":
            given = problem["input"].get("dist") if isinstance(problem["input"], dict) else None
            if given is None:
                message = "a distribution is a number or a mapping with 'dist:' (one of: "
                message += ", ".join(DIST_CLASSES) + ")"
            else:
                message = f"unknown distribution {given!r}" + _hint(
                    str(given), list(DIST_CLASSES), listing=True
                )
        elif kind == "unknown_arrival_process":
            given = problem["input"].get("process") if isinstance(problem["input"], dict) else None
            if given is None:
                message = "must be a mapping with 'process:' (one of: poisson, window, batch)"
            else:
                message = f"unknown arrival process {given!r}" + _hint(
                    str(given), ["poisson", "window", "batch"], listing=True
                )
        elif kind in ("model_type", "model_attributes_type", "dict_type"):
            given = "null" if problem.get("input") is None else repr(problem["input"])
            message = f"must be a mapping of fields (got {given})"
        else:
            message = message.removeprefix("Value error, ")
            message = message[0].lower() + message[1:]
            if problem.get("input") is not None and kind not in ("value_error",):
                message += f" (got {problem['input']!r})"
        lines.append(f"{path}: {message}")
    return list(dict.fromkeys(lines))


_TAGGED = {**DIST_CLASSES, "poisson": Poisson, "window": Window, "batch": Batch}


def _is_tag(part: object) -> bool:
    return isinstance(part, str) and (
        part in DIST_CLASSES or part in ("poisson", "window", "batch") or "[" in part
    )


def _hint(word: str, choices: list[str], listing: bool = False) -> str:
    """' (did you mean ...?)' for a near miss; with `listing`, else every choice."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" (one of: {', '.join(choices)})" if listing and choices else ""


def _fields_at(loc: list) -> list[str]:
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
