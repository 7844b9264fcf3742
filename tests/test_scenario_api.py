"""A Scenario validated once runs anywhere: built by `Scenario.model_validate` as by
`sim.load_scenario`, pickled to a worker, dumped and read back, copied with another seed,
overridden; its sweep cells resolved once, at validation, and carried with it.
"""

from __future__ import annotations

import copy
import datetime as dt
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from pandas.testing import assert_frame_equal
from pydantic import ValidationError

import sim
from sim.distributions import Fixed
from sim.scenario import Scenario, checks, presets
from sim.scenario import resolve as scenario_resolve
from sim.scenario.errors import ScenarioError
from sim.scenario.io import read_yaml
from sim.scenario.resolve import cells, override, resolved_document
from sim.scenario.types import ARRIVAL_PROCESSES, ONE_CELL, Negotiation, Stage, Stages

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))

SIZE_SWEEP = {
    "name": "sizes",
    "seed": 11,
    "replications": 2,
    "horizon_days": 120,
    "company": {"requisitions": 2, "requisitions_per_month": 1},
    "applicants": {"per_requisition": 6},
    "sweep": {"company.size": ["startup", "enterprise"], "team.recruiter": [1, 2]},
}
"""Each cell takes its own preset: the enterprise cells have a committee, the startup's not."""
DOCUMENTS = {
    "bare": {"name": "bare"},
    "plain": {"name": "plain", "team": {"recruiter": 1},
              "stages": {"initial_review": {"resource": "recruiter", "duration": 0.5}}},
    "large": {"name": "large", "company": {"size": "large", "requisitions": 2},
              "start_date": dt.date(2026, 3, 2)},
    "sizes": SIZE_SWEEP,
    "distributions": {"name": "dists", "sweep": {"stages.decision.wait": [
        1.5, {"dist": "exponential", "mean": 3}, {"dist": "lognormal", "median": 2, "p90": 6}]}},
    "committee": {"name": "committee", "team": {"committee": 1},
                  "stages": {"decision": {"resource": "committee", "meets_every_days": 7}},
                  "sweep": {"company.size": ["large", "enterprise"]}},
}  # fmt: skip
BAD = {
    "no name in any cell": {"sweep": {"team.recruiter": [1, 2]}},
    "near miss": {"name": "x", "stages": {"decision": {"pass_prb": 0.5}}},
    "unknown size": {"name": "x", "company": {"size": "huge"}},
    "in one cell only": {"name": "x", "sweep": {"stages.decision.pass_prob": [0.5, 2]}},
    "unknown process": {"name": "x", "applicants": {"arrivals": {"process": "poison"}}},
    "key not text": {"name": "x", 1: 2},
    "sweeps the seed": {"name": "x", "sweep": {"seed": [1, 2]}},
    "unknown team member": {"name": "x", "stages": {"decision": {"resource": "boss"}}},
}


def tables_equal(left: sim.Results, right: sim.Results) -> None:
    for name in ("summary", "stages", "team", "applicants", "events", "team_levels"):
        assert_frame_equal(getattr(left, name), getattr(right, name), obj=name)


# -- one way in: model_validate is load_scenario -------------------------------------------


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_model_validate_is_load_scenario(name):
    document = DOCUMENTS[name]
    built = Scenario.model_validate(document)
    assert built == sim.load_scenario(document)
    assert cells(built) == cells(sim.load_scenario(document))
    assert Scenario(**document) == built  # the constructor too


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_model_validate_of_every_shipped_scenario(path):
    loaded, built = sim.load_scenario(path), Scenario.model_validate(read_yaml(path))
    assert built == loaded and cells(built) == cells(loaded)


def test_each_cell_of_a_size_sweep_takes_its_own_preset():
    scenario = Scenario.model_validate(SIZE_SWEEP)
    grid = cells(scenario)
    assert [values for values, _ in grid] == [
        {"company.size": size, "team.recruiter": n} for size in ("startup", "enterprise")
        for n in (1, 2)]  # fmt: skip
    plain = {k: v for k, v in SIZE_SWEEP.items() if k != "sweep"}
    for values, cell in grid:
        alone = {**plain, "company": {**plain["company"], "size": values["company.size"]},
                 "team": {"recruiter": values["team.recruiter"]}}  # fmt: skip
        assert cell == sim.load_scenario(alone)
        expected = presets.PRESETS[values["company.size"]]["stages"]["decision"]["resource"]
        assert cell.stages.decision.resource == expected
    assert {cell.stages.decision.resource for _, cell in grid} == {"hiring_manager", "committee"}


def test_a_sweep_validated_by_pydantic_runs_as_if_loaded():
    loaded = sim.run(sim.load_scenario(SIZE_SWEEP), replications=2)
    built = sim.run(Scenario.model_validate(SIZE_SWEEP), replications=2)
    tables_equal(built, loaded)
    assert len(built.summary) == 4 and len(built.applicants) > 0


def test_a_sweep_validated_by_pydantic_runs_on_worker_processes():
    scenario = Scenario.model_validate(SIZE_SWEEP)
    tables_equal(sim.run(scenario, replications=2, workers=2),
                 sim.run(scenario, replications=2, workers=1))  # fmt: skip


# -- mistakes: one line each from load_scenario, one error each from pydantic --------------


@pytest.mark.parametrize("name", sorted(BAD))
def test_mistakes_read_the_same_both_ways(name):
    with pytest.raises(ScenarioError) as loaded:
        sim.load_scenario(BAD[name])
    with pytest.raises(ValidationError) as built:
        Scenario.model_validate(BAD[name])
    lines = [f"{e['loc'][0]}: {e['msg']}" for e in built.value.errors()]
    assert lines == loaded.value.problems
    assert all("\n" not in line for line in lines)


def test_what_is_not_a_mapping_is_pydantic_s_to_explain():
    for given in (None, "scenario.yaml", [1, 2]):
        with pytest.raises(ValidationError, match="valid dictionary or instance of Scenario"):
            Scenario.model_validate(given)


def test_arrival_processes_are_named_once():
    assert list(ARRIVAL_PROCESSES) == ["poisson", "window", "batch"]
    for name, cls in ARRIVAL_PROCESSES.items():
        scenario = sim.load_scenario({"name": "x", "applicants": {"arrivals": {
            "process": name, **({"rate_per_day": 2} if name == "poisson" else {}),
            **({"days": 5} if name == "window" else {})}}})  # fmt: skip
        assert type(scenario.applicants.arrivals) is cls
    with pytest.raises(ScenarioError) as caught:
        sim.load_scenario(BAD["unknown process"])
    assert "(did you mean 'poisson'?)" in caught.value.problems[0]
    with pytest.raises(ScenarioError) as caught:
        sim.load_scenario({"name": "x", "applicants": {"arrivals": 5}})
    assert caught.value.problems == ["applicants.arrivals: must be a mapping with 'process:' "
                                     f"(one of: {', '.join(ARRIVAL_PROCESSES)})"]  # fmt: skip


# -- defaults are validated like values given ----------------------------------------------


def test_defaults_are_validated():
    assert isinstance(Negotiation().rounds, Fixed)
    assert isinstance(Stage().duration, Fixed)
    assert isinstance(Stages().follow_up.second_interview.duration, Fixed)
    fields_only = Scenario.model_validate({"name": "x"}, context=ONE_CELL)  # no preset
    assert isinstance(fields_only.stages.negotiation.rounds, Fixed)
    assert isinstance(fields_only.stages.follow_up.rejection_duration, Fixed)
    results = sim.run(fields_only, replications=1)
    assert len(results.applicants) > 0


def test_a_bare_name_validates_into_the_mid_preset():
    scenario = Scenario.model_validate({"name": "x"})
    assert scenario.company.size == "mid"
    counts = {role: member["count"] for role, member in presets.PRESETS["mid"]["team"].items()}
    assert scenario.headcount() == counts
    assert len(sim.simulate(scenario, 0)["applicants"]) > 0


# -- carried, not rebuilt ---------------------------------------------------------------------


def test_cells_are_resolved_once_at_validation(monkeypatch):
    scenario = Scenario.model_validate(SIZE_SWEEP)
    resolved = [cell for _, cell in scenario.resolution.cells]

    def never(*args, **kwargs):
        raise AssertionError("resolved again")

    monkeypatch.setattr(scenario_resolve, "_validated", never)
    monkeypatch.setattr(presets, "merged", never)
    grid = cells(scenario)
    assert [cell.stages for _, cell in grid] == [cell.stages for cell in resolved]
    checks.scenario_warnings(scenario)
    resolved_document(scenario)
    assert len(sim.run(scenario, replications=1).summary) == 4


def test_a_scenario_with_a_sweep_survives_pickle():
    scenario = Scenario.model_validate(SIZE_SWEEP)
    again = pickle.loads(pickle.dumps(scenario))
    assert again == scenario and cells(again) == cells(scenario)
    assert copy.deepcopy(scenario) == scenario


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_a_json_dump_validates_back_into_an_equal_scenario(name):
    scenario = Scenario.model_validate(DOCUMENTS[name])
    again = Scenario.model_validate(scenario.model_dump(mode="json"))
    assert again == scenario and cells(again) == cells(scenario)
    again = Scenario.model_validate_json(scenario.model_dump_json())
    assert again == scenario and cells(again) == cells(scenario)


def test_a_sweep_dumps_as_written_with_its_seed():
    scenario = Scenario.model_validate({"name": "x", "sweep": {"company.size": ["small"]}})
    assert scenario.model_dump() == {"name": "x", "sweep": {"company.size": ["small"]},
                                     "seed": 2026, "replications": 10}  # fmt: skip
    assert resolved_document(scenario) == scenario.model_dump()


def test_a_copy_with_another_seed_gives_cells_with_it():
    scenario = Scenario.model_validate(SIZE_SWEEP)
    copied = scenario.model_copy(update={"seed": 99, "replications": 3})
    assert {(cell.seed, cell.replications) for _, cell in cells(copied)} == {(99, 3)}
    assert {(cell.seed, cell.replications) for _, cell in cells(scenario)} == {(11, 2)}
    assert resolved_document(copied)["seed"] == 99


def test_a_sweep_that_was_never_resolved_is_refused():
    plain = Scenario.model_validate({"name": "x"})
    with pytest.raises(ValueError, match="never resolved"):
        cells(plain.model_copy(update={"sweep": {"team.recruiter": [1, 2]}}))
    with pytest.raises(ValueError, match="never validated"):
        override(Scenario.model_construct(name="x"), {"team.recruiter": 2})


# -- override ------------------------------------------------------------------------------


def test_override_starts_from_the_document_as_written():
    scenario = Scenario.model_validate({"name": "x"})
    larger = sim.override(scenario, {"company.size": "large"})
    assert larger == sim.load_scenario({"name": "x", "company": {"size": "large"}})
    team = presets.PRESETS["large"]["team"]
    counts = {role: m if isinstance(m, int) else m["count"] for role, m in team.items()}
    assert larger.headcount() == counts  # the preset moved with the size


@pytest.mark.parametrize("build", [sim.load_scenario, Scenario.model_validate])
def test_override_of_a_sweep_keeps_the_sweep(build):
    more = sim.override(build(SIZE_SWEEP), {"applicants.per_requisition": 9})
    expected = copy.deepcopy(SIZE_SWEEP)
    expected["applicants"]["per_requisition"] = 9
    assert more == sim.load_scenario(expected)
    assert cells(more) == cells(sim.load_scenario(expected))
    assert {cell.applicants.per_requisition for _, cell in cells(more)} == {9}


# -- the runner reads no YAML ----------------------------------------------------------------


def test_a_run_of_a_validated_sweep_loads_no_yaml():
    code = ("import sys, sim\n"
            "from sim.scenario import Scenario\n"
            "s = Scenario.model_validate({'name': 'x', 'sweep': {'team.recruiter': [1, 2]}})\n"
            "r = sim.run(s, replications=1)\n"
            "print(len(r.summary), 'yaml' in sys.modules)")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["2", "False"]
