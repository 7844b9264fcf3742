"""The Dask backend: the same tables as the local one, even when a worker dies mid-run (Dask
runs its tasks again: nothing lost, nothing counted twice); its cluster closed however the run
ends; and a clear refusal when dask.distributed is missing.

dask.distributed is imported directly, not skipped when absent: CI installs it with the test
extra, and a silent skip there would hide a failure.
"""

from __future__ import annotations

import logging
import os
import signal
import sys

import distributed  # noqa: F401  (CI must have it: see the module docstring)
import pandas as pd
import pytest

import sim
from sim.cli import main
from sim.execution.backends import Task, backend_for
from sim.execution.dask_backend import NEEDS, DaskBackend

TABLES = ("applicants", "events", "team_levels", "requisitions", "summary", "stages", "team")


@pytest.fixture(scope="module")
def swept():
    return sim.load_scenario({"name": "swept", "replications": 4,
                              "applicants": {"per_requisition": 6},
                              "company": {"requisitions": 2, "requisitions_per_month": 0},
                              "sweep": {"team.recruiter": [1, 2, 3]}})  # fmt: skip


@pytest.fixture(scope="module")
def local(swept):
    return sim.run(swept, backend="local", workers=1)


def _same(results: sim.Results, expected: sim.Results) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(results, name), getattr(expected, name))


def test_dask_gives_the_local_tables(swept, local):
    _same(sim.run(swept, backend="dask", workers=2), local)


def _slowed(simulate, attempts: str):
    """`simulate`, noting each attempt as a file in `attempts` and taking a third of a second
    more: time for a worker to die mid-task. Defined here, so cloudpickle sends it by value
    (the workers need not import the tests)."""

    def slow(task):
        import pathlib
        import time
        import uuid

        name = f"{task.cell}-{task.replication}-{uuid.uuid4().hex}"
        (pathlib.Path(attempts) / name).touch()
        time.sleep(0.3)
        return simulate(task)

    return slow


class KillsAWorker(DaskBackend):
    """A 2-process LocalCluster one of whose workers is killed (SIGKILL) in the middle of a
    task, as soon as the first result arrives."""

    killed: int | None = None

    def __init__(self, workers: int, attempts: str):
        super().__init__(workers)
        self.attempts = attempts

    def run(self, simulate, tasks):
        for number, done in enumerate(super().run(_slowed(simulate, self.attempts), tasks)):
            if number == 0:
                self.started = self.cluster
                busy = [address for address, keys in self.client.processing().items() if keys]
                pids = self.client.run(os.getpid)  # worker address -> its process id
                self.killed = pids[min(busy)]
                os.kill(self.killed, signal.SIGKILL)
            yield done


def test_a_dying_worker_loses_nothing_and_counts_nothing_twice(swept, local, tmp_path):
    backend = KillsAWorker(workers=2, attempts=str(tmp_path))
    results = sim.run(swept, backend=backend)
    assert backend.killed is not None
    tried = [name.rsplit("-", 1)[0] for name in os.listdir(tmp_path)]
    assert len(set(tried)) == 12 and len(tried) > 12  # the killed worker's task ran again
    assert backend.client is None and backend.cluster is None
    assert backend.started.status.name == "closed"  # the LocalCluster it started, shut down
    _same(results, local)
    assert len(results.applicants) == len(local.applicants)
    pairs = results.summary[["cell", "replications"]]
    assert list(pairs["cell"]) == [0, 1, 2] and set(pairs["replications"]) == {4}
    runs = results.applicants.groupby(["cell", "replication"]).size()
    assert list(runs.index) == [(c, r) for c in range(3) for r in range(4)]
    assert runs.equals(local.applicants.groupby(["cell", "replication"]).size())


def test_on_a_running_scheduler_closing_early_leaves_the_cluster_running(swept):
    from sim.execution.runner import run_task
    from sim.scenario.resolve import cells

    values, cell = cells(swept)[0]
    tasks = [Task(0, rep, cell, values) for rep in range(4)]
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None,
                                  silence_logs=logging.ERROR) as cluster:  # fmt: skip
        backend = DaskBackend(scheduler=cluster.scheduler_address)  # workers: the cluster's
        finished = backend.run(run_task, tasks)
        task, part = next(finished)
        assert backend.cluster is None and backend._in_flight() == 2
        finished.close()  # the caller stops early: its tasks are cancelled, its client closed
        assert backend.client is None
        assert cluster.status.name == "running"
        with distributed.Client(cluster, set_as_default=False) as client:
            assert client.submit(sum, [1, 2]).result() == 3  # the scheduler still serves
    for name, table in run_task(task).tables.items():
        pd.testing.assert_frame_equal(part.tables[name], table)


def test_an_unreachable_scheduler_is_one_line(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(DaskBackend, "connect_timeout", "0.5s")
    (tmp_path / "t.yaml").write_text("name: t\nsweep: {team.recruiter: [1, 2]}\n")
    code = main(["run", str(tmp_path / "t.yaml"), "--out", str(tmp_path / "out"), "--backend",
                 "dask", "--scheduler", "tcp://127.0.0.1:9", "--quiet"])  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.startswith("--scheduler tcp://127.0.0.1:9: cannot connect"), err
    assert len(err.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.yaml"]


def test_a_scheduler_only_with_dask(swept, capsys, tmp_path):
    (tmp_path / "t.yaml").write_text("name: t\n")
    code = main(["run", str(tmp_path / "t.yaml"), "--out", str(tmp_path / "out"),
                 "--scheduler", "tcp://localhost:8786"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and err.strip() == "--scheduler: only used with --backend dask"
    with pytest.raises(ValueError, match="only used with backend='dask'"):
        sim.run(swept, scheduler="tcp://localhost:8786")
    assert not (tmp_path / "out").exists()


def test_without_dask_the_message_names_the_fix(swept, monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` fails
    (tmp_path / "t.yaml").write_text("name: t\n")
    code = main(["run", str(tmp_path / "t.yaml"), "--out", str(tmp_path / "out"),
                 "--backend", "dask"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and err.strip() == NEEDS, err
    assert "pip install -e '.[dask]'" in err and "Traceback" not in err
    with pytest.raises(ImportError, match=r"needs dask.distributed"):
        backend_for("dask", 2)
    with pytest.raises(ImportError, match=r"needs dask.distributed"):
        sim.run(swept, backend="dask", workers=2)
    assert not (tmp_path / "out").exists()
