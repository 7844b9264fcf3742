"""Sweeps: the grid of cells over dotted paths, each cell a document with overrides.

A sweep maps dotted paths (`company.size`, `team.recruiter`) to the values to try; its cells
are every combination, in file order. Here too: which paths may be swept, and how a swept value
reads in a table column.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Mapping
from typing import Any

from sim.scenario import presets
from sim.scenario.errors import clip, fields_at, hint, shown
from sim.scenario.types import Scenario


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
        for depth, part in enumerate(parents):
            child = node.get(part)
            if depth == 1 and parents[0] == "team" and isinstance(child, int):
                # a role written as a head count (`recruiter: 2`) with a field of it overridden
                child = node[part] = {"count": child}
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[leaf] = copy.deepcopy(value)
    return document


# what a sweep may not vary, and why
_UNSWEEPABLE = {
    "name": "cannot be swept: the name names the results folder",
    "seed": "cannot be swept: replications already run on independent streams "
    "(use --seed for another root seed)",
    "replications": "cannot be swept: every cell runs the scenario's replications "
    "(set replications:, or --replications)",
    "sweep": "a sweep cannot sweep itself",
}


def shape_problems(sweep: Mapping[str, list]) -> list[str]:
    """Paths that cannot be swept, or that overlap (`team` and `team.recruiter`: which wins?)."""
    problems = []
    for path, values in sweep.items():
        top = path.split(".")[0]
        if top in _UNSWEEPABLE:
            problems.append(f"sweep.{path}: {_UNSWEEPABLE[top]}")
        elif not values:
            problems.append(f"sweep.{clip(path)}: list should have at least 1 item")
        elif any(not part for part in path.split(".")):
            problems.append(f"sweep.{clip(path)}: not a dotted path to a field")
        else:
            problems += field_path_problems(path)
    for path in sweep:
        parts = path.split(".")
        for outer in (".".join(parts[:k]) for k in range(1, len(parts))):
            if outer in sweep:
                problems.append(f"sweep.{clip(path)}: overlaps sweep.{clip(outer)} (both "
                                "set it); sweep one of them")  # fmt: skip
    return problems


def field_path_problems(path: str) -> list[str]:
    """A swept path must name fields the scenario has (checked as far as the fields are fixed:
    team members and distribution parameters are checked with the cells)."""
    parts = path.split(".")
    for depth, part in enumerate(parts):
        fields = fields_at(parts[:depth])
        if fields and part not in fields:
            prefix = ".".join(parts[:depth])
            where = f" in {prefix}" if prefix else ""
            return [f"sweep.{clip(path)}: no field {shown(part)}{where}{hint(part, fields)}"]
        if not fields:
            break
    return []


def team_path_problems(document: Mapping, scenarios: list[Scenario]) -> list[str]:
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
            problems.append(f"sweep.{clip(path)}: no team member {shown(parts[1])} in team"
                            f"{hint(parts[1], sorted(known))}")  # fmt: skip
    return problems


def column_values(overrides: Mapping[str, Any]) -> dict:
    """Swept values as table cells: numbers, text and booleans as they are; a distribution or a
    list as its one-line YAML (`{dist: exponential, mean: 3}`), which a table can group by."""
    return {
        path: flow_text(value) if isinstance(value, (dict, list)) else value
        for path, value in overrides.items()
    }


def flow_text(value: Any) -> str:
    """A value as one line of YAML flow style: `{dist: exponential, mean: 3}`."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow_text(v) for v in value) + "]"
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    return str(value)


def cell_label(cell: Mapping) -> str:
    """`path=value, ...`, cut to a few error lines' worth (a cell of five long values must not
    make one problem a 500-character line)."""
    return clip(", ".join(f"{k}={v}" for k, v in cell.items()), lines=3)
