"""The Dask backend: tasks on a `dask.distributed` cluster, started here or already running.

Imported only when `--backend dask` (or `backend="dask"`) is asked for, so a local run never
loads Dask. Like every backend it is generic over what a task and its result are: it calls
`simulate(task)` on a worker and yields `(task, result)` as each finishes, never looking at
either. Tasks are pure functions of themselves, so when a worker dies Dask runs its tasks again
elsewhere and the tables come out the same.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

NEEDS = "--backend dask: needs dask.distributed (pip install -e '.[dask]')"
# Run in each worker process of a LocalCluster (a preload given as text): Ctrl-C is for the
# run, which closes the cluster itself; a worker's own KeyboardInterrupt would only print a
# traceback on the user's terminal.
IGNORE_CTRL_C = """\
import contextlib, signal

def dask_setup(worker):
    with contextlib.suppress(ValueError):  # not the main thread: nothing to do
        signal.signal(signal.SIGINT, signal.SIG_IGN)
"""


class SchedulerUnreachable(RuntimeError):  # not an OSError: no disk is at fault
    """The Dask scheduler at the given address did not answer: `lines` say so (exit 2)."""

    def __init__(self, line: str):
        self.lines = [line]
        super().__init__(line)


def missing() -> list[str]:
    """[the line naming the fix] when dask.distributed is not installed, else []."""
    try:
        require()
    except ImportError as err:
        return [str(err)]
    return []


def require() -> Any:
    """The `distributed` module; ImportError naming the fix when it is not installed."""
    try:
        import distributed
    except ImportError as err:
        raise ImportError(NEEDS) from err
    return distributed


class DaskBackend:
    """Tasks on a Dask cluster: the one at `scheduler` ("tcp://host:8786"), or else a
    LocalCluster of `workers` single-threaded processes started for the run (and closed after).

    At most 2 x workers tasks are in flight (with a scheduler and `workers` None: 2 x the
    cluster's threads), so results start coming at once and memory stays small. On any error,
    Ctrl-C, SIGTERM or the caller closing the iterator early, the tasks in flight are cancelled,
    the client closed and a LocalCluster this backend started shut down; a remote scheduler and
    its workers are left running. `client` and `cluster` are set while a run is under way.
    """

    connect_timeout = "10s"
    """How long to wait for a scheduler to answer."""

    def __init__(self, workers: int | None = None, scheduler: str | None = None):
        self.workers = workers
        self.scheduler = scheduler
        self.client = None
        self.cluster = None

    def _connect(self, distributed) -> None:
        if self.scheduler:
            try:
                self.client = distributed.Client(self.scheduler, timeout=self.connect_timeout,
                                                 set_as_default=False)  # fmt: skip
            except (OSError, TimeoutError) as err:
                raise SchedulerUnreachable(
                    f"--scheduler {self.scheduler}: cannot connect ({err})"[:300]
                ) from None
            return
        self.cluster = distributed.LocalCluster(
            n_workers=self.workers or 1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
            preload=[IGNORE_CTRL_C],
        )
        self.client = distributed.Client(self.cluster, set_as_default=False)

    def _in_flight(self) -> int:
        workers = self.workers
        if not workers:  # a remote cluster, as big as it is now
            workers = sum(self.client.nthreads().values()) or 1
        return 2 * workers

    def run(self, simulate: Callable, tasks: Iterable) -> Iterator[tuple[Any, Any]]:
        distributed = require()
        tasks = iter(tasks)
        pending: dict = {}
        try:
            self._connect(distributed)
            client, in_flight = self.client, self._in_flight()
            finished = distributed.as_completed(loop=client.loop)

            def submit(count: int) -> None:
                for task in itertools.islice(tasks, count):
                    # pure=False: a fresh key each time, so no two submissions ever collide
                    future = client.submit(simulate, task, pure=False)
                    pending[future] = task
                    finished.add(future)

            submit(in_flight)
            for future in finished:
                task = pending.pop(future)
                result = future.result()  # a task's own error goes on to the caller
                future.release()
                yield task, result
                submit(in_flight - len(pending))
        finally:
            self._close(list(pending))

    def _close(self, futures: list) -> None:
        client, cluster = self.client, self.cluster
        self.client = self.cluster = None
        if client is not None:
            with contextlib.suppress(Exception):
                if futures:
                    client.cancel(futures)
            with contextlib.suppress(Exception):
                client.close(timeout=5)
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.close(timeout=10)
