"""Resolving a scenario document, once: the preset laid under it, every sweep cell validated.

A document as written (from a YAML file or a mapping) -> its company-size preset laid under it
(`sim.scenario.presets`) -> a validated `Scenario`. With a sweep, each cell is resolved on its
own (`sim.scenario.sweeps`), and the Scenario carries every cell and the document as written
(`Scenario.resolution`); nothing resolves them again. Every user mistake becomes a
`ScenarioError` holding one line per problem, each naming the field by its dotted path.

`Scenario.model_validate` comes here too; so this module reads no files and imports no YAML.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from sim.scenario import limits, presets, sweeps
from sim.scenario.errors import ScenarioError, describe, shown
from sim.scenario.types import ONE_CELL, SIZES, Resolution, Scenario

__all__ = ["cells", "override", "resolve", "resolved_document"]


def _one_cell(merged: dict) -> Scenario:
    return Scenario.model_validate(merged, context=ONE_CELL)


def resolve(
    document: Mapping,
    max_cells: int = limits.MAX_CELLS,
    validate: Callable[[dict], Scenario] = _one_cell,
) -> Scenario:
    """Validate `document` (as written by a user) into a Scenario; every sweep cell too.

    With a sweep, each cell is validated on its own, against its own company-size preset (the
    document without the sweep may not be a valid scenario: a committee written for the large
    cells has no place in the mid preset). The Scenario returned is then the first cell with
    the sweep, and carries every resolved cell. A sweep of more than `max_cells` cells is
    refused before any cell is validated. `validate` turns the document laid over its preset
    into the Scenario returned (`Scenario.model_validate` passes its own validation).
    """
    document = dict(document)
    problems = _key_problems(document)
    sweep = document.get("sweep")
    lists = isinstance(sweep, dict) and all(isinstance(v, list) for v in sweep.values())
    if not problems and lists:
        problems = limits.cell_problems(limits.grid_size(sweep), max_cells)
        problems += sweeps.shape_problems(sweep)
    if problems:
        raise ScenarioError(problems)
    if not (lists and sweep):  # no sweep, or one pydantic will explain
        written = copy.deepcopy(document)
        return _resolved(_validated(written, validate=validate), Resolution(written))
    grid = sweeps.sweep_grid(sweep)
    resolved, problems = [], []
    for overrides in grid:
        written = sweeps.with_overrides(document, overrides)
        try:
            cell = _validated(written, overrides)
            resolved.append((sweeps.column_values(overrides), _resolved(cell, Resolution(written))))
        except ScenarioError as err:
            problems += err.problems
    problems += sweeps.team_path_problems(document, [cell for _, cell in resolved])
    if problems:
        raise ScenarioError(list(dict.fromkeys(problems)))
    first = {**sweeps.with_overrides(document, grid[0]), "sweep": sweep}
    scenario = _validated(first, grid[0], validate)
    return _resolved(scenario, Resolution(copy.deepcopy(document), tuple(resolved)))


def _validated(
    document: dict, cell: Mapping | None = None, validate: Callable[[dict], Scenario] = _one_cell
) -> Scenario:
    """`document` laid over its company-size preset and validated; its problems as lines
    naming the sweep `cell` they hold in."""
    where = f" (sweep cell {sweeps.cell_label(cell)})" if cell else ""
    company = document.get("company")
    size = company.get("size", "mid") if isinstance(company, dict) else "mid"
    if size not in SIZES:
        raise ScenarioError(
            [f"company.size: must be one of {', '.join(SIZES)}, not {shown(size)}{where}"]
        )
    try:
        scenario = validate(presets.merged(size, document))
    except ValidationError as err:
        raise ScenarioError([line + where for line in describe(err)]) from None
    problems = scenario.reference_problems()
    if problems:
        raise ScenarioError([line + where for line in problems])
    return scenario


def _resolved(scenario: Scenario, resolution: Resolution) -> Scenario:
    scenario._resolution = resolution  # once, here, as the scenario is made
    return scenario


def _key_problems(document: Mapping) -> list[str]:
    bad = [key for key in _all_keys(document) if not isinstance(key, str)]
    return [
        f"{shown(key)}: keys must be text (YAML read this key as a {type(key).__name__}; quote it)"
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


def _resolution(scenario: Scenario) -> Resolution:
    if scenario.resolution is None:
        raise ValueError(f"scenario {scenario.name!r} was never validated: build it with "
                         "Scenario.model_validate(...) or sim.load_scenario(...)")  # fmt: skip
    return scenario.resolution


def cells(scenario: Scenario) -> list[tuple[dict, Scenario]]:
    """The sweep cells of a scenario as (swept values, resolved scenario); one cell if no sweep.
    Swept values are as they appear in the tables' columns (see `sweeps.column_values`).
    Each cell has the scenario's seed and replications (a run may have replaced them)."""
    if not scenario.sweep:
        return [({}, scenario)]
    resolved = _resolution(scenario).cells
    if not resolved:  # e.g. model_copy(update={"sweep": ...}), which validates nothing
        raise ValueError(f"scenario {scenario.name!r}: its sweep was never resolved; give the "
                         "sweep in the document validated (or use sim.override)")  # fmt: skip
    # the run's seed and replications hold in every cell, whatever the document said
    same = {"seed": scenario.seed, "replications": scenario.replications}
    return [(values, cell.model_copy(update=same)) for values, cell in resolved]


def override(scenario: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    """The scenario's document as written with dotted-path overrides, e.g.
    {"team.recruiter": 3}, resolved anew (a sweep, if any, kept)."""
    document = copy.deepcopy(_resolution(scenario).document)
    sweep = document.pop("sweep", None)
    document = sweeps.with_overrides(document, overrides)
    if sweep:
        document["sweep"] = sweep
    return resolve(document)


def resolved_document(scenario: Scenario) -> dict:
    """What `scenario.resolved.yaml` holds: every field explicit, enough to rerun exactly.
    With a sweep, cells take their own presets, so the file keeps the document as written
    (plus the seed and replications used) and the sweep: `Scenario.model_dump` gives it."""
    if scenario.sweep:
        return scenario.model_dump(by_alias=True)
    return scenario.model_dump(mode="json", by_alias=True, exclude={"sweep"})
