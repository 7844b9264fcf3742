"""Scenario files in and out: YAML, presets, overrides, resolving every sweep cell.

The only module that imports `yaml`. Reading goes YAML -> mapping -> (sweep cell overrides,
`sim.sweeps`) -> laid over the company-size preset -> validated `Scenario`. Every user mistake
becomes a `ScenarioError` (`sim.errors`) holding one line per problem, each naming the field by
its dotted path.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sim import limits, presets, sweeps
from sim.errors import ScenarioError, describe
from sim.scenario import SIZES, Scenario

__all__ = ["ScenarioError", "cells", "dump_yaml", "load_scenario", "override", "read_yaml",
           "resolve", "resolved_document", "sweep_grid", "with_overrides"]  # fmt: skip
sweep_grid, with_overrides = sweeps.sweep_grid, sweeps.with_overrides


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
        problems += sweeps.shape_problems(sweep)
    if problems:
        raise ScenarioError(problems)
    if not (lists and sweep):
        return _validate(document)  # no sweep, or one pydantic will explain
    grid = sweeps.sweep_grid(sweep)
    resolved, problems = [], []
    for overrides in grid:
        try:
            cell = _validate(sweeps.with_overrides(document, overrides), overrides)
            resolved.append((sweeps.column_values(overrides), cell))
        except ScenarioError as err:
            problems += err.problems
    problems += sweeps.team_path_problems(document, [cell for _, cell in resolved])
    if problems:
        raise ScenarioError(list(dict.fromkeys(problems)))
    scenario = _validate({**sweeps.with_overrides(document, grid[0]), "sweep": sweep}, grid[0])
    scenario._source = copy.deepcopy(dict(document))
    scenario._cells = resolved
    return scenario


def _validate(document: Mapping, cell: Mapping | None = None) -> Scenario:
    document = copy.deepcopy(dict(document))
    where = f" (sweep cell {sweeps.cell_label(cell)})" if cell else ""
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
        raise ScenarioError([line + where for line in describe(err)]) from None
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
    document = sweeps.with_overrides(document, overrides)
    if sweep:
        document["sweep"] = sweep
    return resolve(document)


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


