"""The backend seam: tasks are picklable, any backend (any finishing order) gives the same
tables, and an unknown backend is refused before any work starts."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

import sim
import sim.scenario.resolve
from sim.execution.backends import SerialBackend, Task, backend_for
from sim.execution.runner import plan_tasks, run_task


def small(sweep: dict) -> sim.Scenario:
    return sim.load_scenario({"name": "swept", "replications": 3,
                              "applicants": {"per_requisition": 6},
                              "company": {"requisitions": 2, "requisitions_per_month": 0},
                              "sweep": sweep})  # fmt: skip


@pytest.fixture(scope="module")
def swept():
    return small({"team.recruiter": [1, 2]})


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
    for name, table in run_task(task).tables.items():
        pd.testing.assert_frame_equal(run_task(again).tables[name], table)


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


class Pretend:
    """This process, posing as `workers` workers: the runner plans tasks as for a pool."""

    def __init__(self, workers: int):
        self.workers = workers

    def run(self, simulate, tasks):
        for task in reversed(list(tasks)):
            yield task, simulate(task)


def test_whole_cell_tasks_when_cells_outnumber_workers_largest_first(swept):
    grid = sim.scenario.resolve.cells(swept)
    assert [t.count for t in plan_tasks(grid, 3, workers=1)] == [1] * 6
    assert [t.count for t in plan_tasks(grid, 3, workers=2)] == [1] * 6  # 2 cells: too few
    tasks = plan_tasks(grid * 2, 3, workers=2)  # 4 cells, 2 workers: whole cells
    assert [t.count for t in tasks] == [3] * 4
    bigger = sim.scenario.resolve.cells(small({"applicants.per_requisition": [4, 9]}))
    order = [t.cell for t in plan_tasks(bigger * 2, 3, workers=2)]
    assert order[:2] == [1, 3]  # 9 per requisition before 4


def test_cells_summarised_in_the_workers_equal_the_parent_s(swept, tmp_path):
    """Whole-cell tasks (summaries made where the cell ran), tables written to files by the
    tasks: the same tables and summaries as one task per replication in this process."""
    many = small({"team.recruiter": [1, 2, 3, 4]})
    serial = sim.run(many)
    pooled = sim.run(many, backend=Pretend(2))
    for name in ("applicants", "events", "team_levels", "summary", "stages", "team"):
        pd.testing.assert_frame_equal(getattr(pooled, name), getattr(serial, name))
    written = sim.run(many, backend=Pretend(2), tables_to=tmp_path, table_format="csv")
    pd.testing.assert_frame_equal(written.summary, serial.summary)
    assert written.applicants.empty
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files[:12] == [f"applicants-c0000{i}-r0000{r}.csv" for i in range(4) for r in range(3)]
    back = pd.concat([pd.read_csv(tmp_path / f) for f in files[:12]], ignore_index=True)
    assert len(back) == len(serial.applicants)
    assert (back["time_to_offer_days"].fillna(-1).to_numpy()
            == serial.applicants["time_to_offer_days"].fillna(-1).to_numpy()).all()  # fmt: skip
