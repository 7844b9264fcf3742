"""Where replications run: a backend takes picklable tasks and hands back their tables.

A task is one replication of one resolved sweep cell: a pure function of (cell scenario,
replication index), so it can run in this process, in a local worker process or on a Dask
cluster, and give the same tables. A backend yields each task's tables as soon as it is done,
in whatever order tasks finish; the runner puts them back in order.

- `SerialBackend`: one task after another, in this process.
- `LocalPoolBackend`: a process pool on this machine, a bounded number of tasks in flight.
- `DaskBackend` (`sim.execution.dask_backend`, imported only when asked for): a Dask cluster,
  a LocalCluster started for the run or the one at a scheduler's address.
- `backend_for(name, workers, scheduler)`: "local" (serial with one worker, else the pool) or
  "dask".
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from sim.execution.heap import return_large_blocks
from sim.scenario.types import Scenario

BACKENDS = ("local", "dask")
"""Backends this version has."""
# Python 3.14 changes Linux's default start method; say which one we mean. forkserver starts
# workers from a clean process (no inherited threads or state), where the platform has it.
START_METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


@dataclass(frozen=True)
class Task:
    """Replications of one sweep cell (one, or the whole cell): everything a worker needs,
    and picklable."""

    cell: int
    replication: int
    scenario: Scenario
    """The cell's resolved scenario (its seed is the run's root seed)."""
    values: Mapping = field(default_factory=dict)
    """The cell's swept values, as the tables' columns show them."""
    count: int = 1
    """How many replications, from `replication` on: all of them make the task a whole cell,
    summarised where it runs (`sim.execution.runner.run_task`)."""
    tables_to: str | None = None
    """A folder (on a disk the worker shares) to write the task's tables to, as files named by
    cell and replication; None: the tables come back with the result."""
    table_format: str = "csv"
    """The files' format: csv or parquet."""


Tables = dict[str, pd.DataFrame]
Simulate = Callable[[Task], Tables]


class Backend(Protocol):
    """Runs tasks; yields (task, tables) as each finishes, in any order."""

    workers: int

    def run(self, simulate: Simulate, tasks: Iterable[Task]) -> Iterator[tuple[Task, Tables]]: ...


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class SerialBackend:
    """Every task in this process, in the order given."""

    workers = 1

    def run(self, simulate: Simulate, tasks: Iterable[Task]) -> Iterator[tuple[Task, Tables]]:
        for task in tasks:
            yield task, simulate(task)


def _worker_started() -> None:
    """In each pool worker: Ctrl-C is for the parent, which stops the workers itself (a
    worker's own KeyboardInterrupt would only print a traceback); freed large blocks go back
    to the system (`sim.execution.heap`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return_large_blocks()


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """End the pool now: terminate its workers (one may be stuck in a long replication, and
    `shutdown(wait=True)` would wait for it), then let the executor go without waiting."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=2)
            if process.is_alive():
                process.kill()
                process.join(timeout=2)


class LocalPoolBackend:
    """Worker processes on this machine. At most 2 x workers tasks are in flight, so memory
    stays small and results start coming at once. On any error, Ctrl-C, SIGTERM, or the
    caller closing the iterator early, the workers are terminated before the error goes on."""

    def __init__(self, workers: int,
                 preload: tuple[str, ...] = ("sim.execution.runner", "scipy.stats")):
        self.workers = workers
        self.preload = list(preload)

    def run(self, simulate: Simulate, tasks: Iterable[Task]) -> Iterator[tuple[Task, Tables]]:
        context = multiprocessing.get_context(START_METHOD)
        if START_METHOD == "forkserver":
            context.set_forkserver_preload(self.preload)  # workers start with sim imported
        tasks = iter(tasks)
        in_flight = 2 * self.workers
        pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                   initializer=_worker_started)  # fmt: skip
        try:
            pending: dict = {}

            def submit(count: int) -> None:
                for task in itertools.islice(tasks, count):
                    pending[pool.submit(simulate, task)] = task

            submit(in_flight)
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                order = {future: (task.cell, task.replication) for future, task in pending.items()}
                for future in sorted(finished, key=order.get):
                    task = pending.pop(future)
                    try:
                        tables = future.result()
                    except BrokenProcessPool as err:
                        raise RuntimeError(
                            "hiresim's worker processes stopped. In a script, call sim.run(...) "
                            "under `if __name__ == '__main__':` (worker processes import the "
                            "script), or pass workers=1."
                        ) from err
                    yield task, tables
                submit(in_flight - len(pending))
        except BaseException:
            stop_pool(pool)
            raise
        pool.shutdown(wait=True)


def backend_for(
    name: str = "local", workers: int | None = 1, scheduler: str | None = None
) -> Backend:
    """The backend called `name` with `workers` processes (local: 1 is this process). "dask"
    connects to `scheduler` when given (then `workers` only bounds the tasks in flight; None:
    the cluster's threads), else starts a LocalCluster of `workers` processes. ImportError,
    naming the fix, when dask.distributed is not installed."""
    if name not in BACKENDS:
        raise ValueError(f"unknown backend {name!r} (this version has: {', '.join(BACKENDS)})")
    if name == "dask":
        from sim.execution import dask_backend

        dask_backend.require()
        return dask_backend.DaskBackend(workers, scheduler)
    if scheduler is not None:
        raise ValueError("scheduler: only used with backend='dask'")
    return SerialBackend() if (workers or 1) <= 1 else LocalPoolBackend(workers)
