"""Reproducibility: results are a function of the scenario and its seed alone.

Same seed, same tables; another seed, other tables; a replication of a run is the same as that
replication simulated alone; scenarios differing in one team size see the same candidates
(common random numbers); a sweep's cell is the same as its scenario run alone.
"""

from __future__ import annotations

import copy

import pytest
from pandas.testing import assert_frame_equal

import sim

TABLES = ("applicants", "events", "team_levels", "requisitions", "summary", "stages", "team")
"""Every table a run returns: the per-candidate, per-event, per-level and per-requisition tables,
and the summaries built from them (outcomes and times, stages, team utilisation)."""
RAW = ("applicants", "events", "team_levels", "requisitions")

BASE = {
    "name": "repro",
    "seed": 4242,
    "horizon_days": 200,
    "company": {"size": "mid", "requisitions": 2, "requisitions_per_month": 1, "openings": 2},
    "applicants": {"per_requisition": 10, "max_reopens": 1},
}
"""The mid preset as it stands (random durations, patience, pools, second interviews,
negotiation, reopened searches, its calendar), with two requisitions open at the start and about
one more a month sharing the team."""


def load(**overrides) -> sim.Scenario:
    document = copy.deepcopy(BASE)
    for path, value in overrides.items():
        node = document
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return sim.load_scenario(document)


@pytest.fixture(scope="module")
def results() -> sim.Results:
    return sim.run(load(), replications=3)


def test_same_seed_gives_identical_tables(results):
    again = sim.run(load(), replications=3)
    for name in TABLES:
        assert_frame_equal(getattr(results, name), getattr(again, name), obj=name)
    assert len(results.applicants) > 20 and len(results.events) > 100  # not vacuous
    assert results.applicants["outcome"].nunique() >= 3


def test_seed_argument_is_the_scenario_seed(results):
    other = sim.run(load(seed=7), replications=2)
    again = sim.run(load(), replications=2, seed=7)
    for name in TABLES:
        assert_frame_equal(getattr(other, name), getattr(again, name), obj=name)


def test_different_seeds_give_different_tables(results):
    other = sim.run(load(), replications=3, seed=4243)
    for column in ("arrived_day", "quality"):
        left = results.applicants[column].to_numpy()
        right = other.applicants[column].to_numpy()
        assert len(left) != len(right) or (left != right).any(), column
    for name in TABLES:
        with pytest.raises(AssertionError):
            assert_frame_equal(getattr(results, name), getattr(other, name))


def test_replications_are_different_draws(results):
    applicants = results.applicants
    quality = [
        applicants.loc[applicants["replication"] == r, "quality"].to_numpy()[:5] for r in range(3)
    ]
    assert not (quality[0] == quality[1]).all()
    assert not (quality[1] == quality[2]).all()


@pytest.mark.parametrize("replication", [0, 1, 2])
def test_replication_of_a_run_equals_that_replication_alone(results, replication):
    alone = sim.simulate(load(), replication)
    assert set(alone) == {*RAW, "visits", "team_usage"}  # and what the summaries need of them
    for name in RAW:
        frame = getattr(results, name)
        part = frame[frame["replication"] == replication].reset_index(drop=True)
        assert_frame_equal(part, alone[name], obj=name)


def test_workers_do_not_change_results(results):
    parallel = sim.run(load(), replications=3, workers=2)
    for name in TABLES:
        assert_frame_equal(getattr(results, name), getattr(parallel, name), obj=name)


def test_common_random_numbers_across_recruiter_counts():
    # One or three recruiters changes every queue, and so who is hired, who withdraws and
    # whether a search reopens; but each requisition's candidates are drawn from streams of
    # their own, so the k-th candidate of a requisition has the same quality and patience in
    # both, and the same arrival day when both met it in the first search (a reopened search
    # starts when that scenario's search ran dry).
    few = sim.run(load(**{"team.recruiter": 1}), replications=3).applicants
    many = sim.run(load(**{"team.recruiter": 3}), replications=3).applicants
    keys = ["replication", "requisition", "applicant"]
    both = few.merge(many, on=keys, suffixes=("_few", "_many"))
    assert len(both) >= 30
    assert both["requisition"].eq(0).sum() >= 15  # requisition 0 is compared, and others
    for column in ("quality", "patience_days"):
        assert_frame_equal(
            both[keys + [f"{column}_few"]].rename(columns={f"{column}_few": column}),
            both[keys + [f"{column}_many"]].rename(columns={f"{column}_many": column}),
            obj=column,
        )
    first = both[(both["search_few"] == 0) & (both["search_many"] == 0)]
    assert len(first) >= 30
    assert (first["arrived_day_few"] == first["arrived_day_many"]).all()
    # and the change did change something, or the comparison proves nothing
    assert not few[["outcome", "exit_day"]].equals(many[["outcome", "exit_day"]])


SWEEP = {"company.size": ["small", "large"], "team.recruiter": [1, 3]}


def test_sweep_cell_equals_its_scenario_run_alone():
    document = copy.deepcopy(BASE)
    document["sweep"] = SWEEP
    swept = sim.run(sim.load_scenario(document), replications=2)
    cells = [(size, recruiter) for size in SWEEP["company.size"]
             for recruiter in SWEEP["team.recruiter"]]  # fmt: skip
    assert sorted(swept.applicants["cell"].unique()) == list(range(len(cells)))
    for cell, (size, recruiter) in enumerate(cells):
        alone = sim.run(load(**{"company.size": size, "team.recruiter": recruiter}),
                        replications=2)  # fmt: skip
        prefix = f"c{cell}-"
        for name in TABLES:
            frame = getattr(swept, name)
            part = frame[frame["cell"] == cell].reset_index(drop=True)
            assert (part["company.size"] == size).all()
            assert (part["team.recruiter"] == recruiter).all()
            part = part.drop(columns=["company.size", "team.recruiter", "cell"])
            own = getattr(alone, name).drop(columns=["cell"])
            for column in ("case_id", "case:concept:name"):
                if column in part:
                    assert part[column].str.startswith(prefix).all()
                    part[column] = "c0-" + part[column].str.removeprefix(prefix)
            assert_frame_equal(part, own, obj=f"{name} of cell {cell}")
