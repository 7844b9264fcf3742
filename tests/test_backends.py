"""The backend seam: tasks are picklable, any backend (any finishing order) gives the same
tables, and an unknown backend is refused before any work starts."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

import sim
import sim.scenario.resolve
from sim.execution.backends import SerialBackend, Task, backend_for
from sim.execution.runner import run_task


@pytest.fixture(scope="module")
def swept():
    return sim.load_scenario({"name": "swept", "replications": 3,
                              "applicants": {"per_requisition": 6},
                              "company": {"requisitions": 2, "requisitions_per_month": 0},
                              "sweep": {"team.recruiter": [1, 2]}})  # fmt: skip


class Backwards:
    """Runs every task, last first: a backend that finishes in the worst order."""

    workers = 1

    def run(self, simulate, tasks):
        for task in reversed(list(tasks)):
            yield task, simulate(task)


def test_a_task_is_picklable_and_runs_the_same_after(swept):
    values, cell = sim.scenario.resolve.cells(swept)[1]
    task = Task(1, 2, cell, values)
    again = pickle.loads(pickle.dumps(task))
    assert again == task
    for name, table in run_task(task).items():
        pd.testing.assert_frame_equal(run_task(again)[name], table)


def test_tables_do_not_depend_on_the_order_tasks_finish(swept):
    forwards = sim.run(swept, backend=SerialBackend())
    backwards = sim.run(swept, backend=Backwards())
    for name in ("applicants", "events", "team_levels", "summary", "stages", "team"):
        pd.testing.assert_frame_equal(getattr(backwards, name), getattr(forwards, name))


def test_the_local_backend_is_serial_with_one_worker_and_a_pool_with_more():
    assert isinstance(backend_for("local", 1), SerialBackend)
    assert backend_for("local", 2).workers == 2


@pytest.mark.parametrize("name", ["nope", "Local"])
def test_an_unknown_backend_is_refused_before_any_work(swept, name):
    with pytest.raises(ValueError, match="unknown backend"):
        backend_for(name)
    with pytest.raises(ValueError, match="unknown backend"):
        sim.run(swept, backend=name)
