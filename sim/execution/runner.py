"""Running scenarios: one replication, every replication of every sweep cell, and `Results`.

`simulate` is the unit of work: a pure function of (resolved cell scenario, replication index,
cell index, swept values) returning that replication's tables. Replications run on a local
process pool; whatever the number of workers or the order tasks finish in, each cell's tables
are assembled in replication order, so the results are identical.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

import pandas as pd

from sim.analysis.breakdowns import stage_table, team_table
from sim.analysis.summaries import summarise
from sim.analysis.tables import concat, replication_tables
from sim.model.core import HiringModel
from sim.scenario import io as scenario_io
from sim.scenario import limits
from sim.scenario.types import Scenario

TABLES = ("applicants", "events", "team_levels")
# Python 3.14 changes Linux's default start method; say which one we mean. forkserver starts
# workers from a clean process (no inherited threads or state), where the platform has it.
START_METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def simulate(
    scenario: Scenario, replication: int, cell: int = 0, swept: Mapping | None = None
) -> dict[str, pd.DataFrame]:
    """The applicants, events and team_levels tables of one replication of one cell."""
    records = HiringModel(scenario, replication).run()
    return replication_tables(records, scenario.name, scenario.start_date, cell, swept)


def _worker_started() -> None:
    """In each pool worker: Ctrl-C is for the parent, which stops the workers itself (a
    worker's own KeyboardInterrupt would only print a traceback)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class Cell:
    """One finished sweep cell: its swept values, scenario, tables and summaries."""

    index: int
    values: dict
    scenario: Scenario
    tables: dict[str, pd.DataFrame]
    summary: pd.DataFrame
    stages: pd.DataFrame
    team: pd.DataFrame


@dataclass
class Results:
    """What a run produced; every table is a pandas DataFrame (see SPEC and the README).

    `applicants`, `events` and `team_levels` are empty when the run was asked not to keep them
    in memory (the command line writes them cell by cell instead).
    """

    scenario: Scenario
    summary: pd.DataFrame
    stages: pd.DataFrame
    team: pd.DataFrame
    applicants: pd.DataFrame = field(default_factory=pd.DataFrame)
    events: pd.DataFrame = field(default_factory=pd.DataFrame)
    team_levels: pd.DataFrame = field(default_factory=pd.DataFrame)
    swept: list[str] = field(default_factory=list)

    @property
    def replications(self) -> int:
        return int(self.summary["replications"].iloc[0]) if len(self.summary) else 0

    def __repr__(self) -> str:
        from sim.analysis.headline import cell_headlines  # the headline as the command line's

        lines = [
            f"<Results {self.scenario.name!r}: {len(self.summary)} cell(s) x "
            f"{self.replications} replication(s), {int(self.summary['candidates'].sum()):,} "
            "candidates>",
            *(f"  {line}" for line in cell_headlines(self.summary.head(12), self.swept)),
        ]
        if len(self.summary) > 12:
            lines.append(f"  ... {len(self.summary) - 12} more cells")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return f"<pre>{self!r}</pre>" + self.summary.to_html(index=False, float_format="%.2f")


def _finish_cell(index, values, scenario, parts: list[dict]) -> Cell:
    tables = {name: concat([part[name] for part in parts]) for name in TABLES}
    swept = list(values)
    applicants, events, levels = (tables[name] for name in TABLES)
    # a cell with no candidates still gets one row of each summary, naming the cell
    label = {"scenario": scenario.name, "cell": index, **values}
    return Cell(
        index=index,
        values=values,
        scenario=scenario,
        tables=tables,
        summary=summarise(applicants, swept, scenario.replications, cell=label),
        stages=stage_table(applicants, events, swept, cell=label),
        team=team_table(levels, swept, cell=label),
    )


def _stop_pool(pool: ProcessPoolExecutor) -> None:
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


def run_cells(
    scenario: Scenario,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    grid: list[tuple[dict, Scenario]] | None = None,
) -> Iterator[Cell]:
    """Every sweep cell of `scenario` (`grid`: its cells, if already built), each as soon as
    all its replications are done. Workers are capped at the cores available."""
    grid = scenario_io.cells(scenario) if grid is None else grid
    reps = scenario.replications
    total = len(grid) * reps
    workers = max(1, min(workers or 1, total, default_workers()))
    done = 0
    if workers <= 1:
        for index, (values, cell_scenario) in enumerate(grid):
            parts = []
            for rep in range(reps):
                parts.append(simulate(cell_scenario, rep, index, values))
                done += 1
                if progress:
                    progress(done, total)
            yield _finish_cell(index, values, cell_scenario, parts)
        return
    context = multiprocessing.get_context(START_METHOD)
    if START_METHOD == "forkserver":
        context.set_forkserver_preload(["sim.execution.runner"])  # workers start with sim imported
    tasks = ((index, rep) for index in range(len(grid)) for rep in range(reps))
    # a bounded number of futures in flight: memory stays small and progress starts at once
    in_flight = 2 * workers
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_worker_started)  # fmt: skip
    try:
        pending = {}
        parts: dict[int, dict[int, dict]] = {}

        def submit(count: int) -> None:
            for index, rep in itertools.islice(tasks, count):
                values, cell_scenario = grid[index]
                future = pool.submit(simulate, cell_scenario, rep, index, values)
                pending[future] = (index, rep)

        submit(in_flight)
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=pending.get):
                index, rep = pending.pop(future)
                try:
                    parts.setdefault(index, {})[rep] = future.result()
                except BrokenProcessPool as err:
                    raise RuntimeError(
                        "hiresim's worker processes stopped. In a script, call sim.run(...) "
                        "under `if __name__ == '__main__':` (worker processes import the "
                        "script), or pass workers=1."
                    ) from err
                done += 1
                if progress:
                    progress(done, total)
                if len(parts[index]) == reps:
                    values, cell_scenario = grid[index]
                    cell_parts = parts.pop(index)
                    ordered = [cell_parts[r] for r in range(reps)]
                    yield _finish_cell(index, values, cell_scenario, ordered)
            submit(in_flight - len(pending))
    except BaseException:  # an error, Ctrl-C, SIGTERM, or the caller closing us early
        _stop_pool(pool)
        raise
    pool.shutdown(wait=True)


def _whole(name: str, value, minimum: int) -> None:
    """`value` must be None or a whole number (not a bool) of at least `minimum`."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a whole number or None, not {type(value).__name__} "
                        f"{value!r:.60}")  # fmt: skip
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}")


def work_problems(
    scenario: Scenario,
    grid: list[tuple[dict, Scenario]],
    replications: int,
    max_candidates: int = limits.MAX_CANDIDATES,
    max_replications: int = limits.MAX_REPLICATIONS,
    max_requisitions: int = limits.MAX_REQUISITIONS,
) -> list[str]:
    """One line per work limit a run of `grid` (its cells) for `replications` exceeds."""
    return limits.work_problems([cell for _, cell in grid], replications,
                                max_candidates=max_candidates,
                                max_replications=max_replications,
                                max_requisitions=max_requisitions)  # fmt: skip


def run(
    scenario: Scenario,
    replications: int | None = None,
    workers: int | None = None,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    on_cell: Callable[[Cell], None] | None = None,
    keep_tables: bool = True,
    max_candidates: int = limits.MAX_CANDIDATES,
    max_replications: int = limits.MAX_REPLICATIONS,
) -> Results:
    """Run every sweep cell for `replications` replications (the scenario's own if None).

    `seed` replaces the scenario's root seed; `workers` processes run replications in parallel
    (default 1: in this process; the command line defaults to all cores). Tables are identical
    for any number of workers. `progress(done, total)` is called after each
    replication, `on_cell(cell)` as each cell completes. With `keep_tables=False` the large
    tables are not kept in memory (only the summaries), for runs written cell by cell.

    Raises TypeError for arguments of the wrong kind, and ValueError, before any work starts,
    when the run would simulate more than `max_candidates` candidates (estimated) or more
    than `max_replications` replications over every cell.
    """
    if not isinstance(scenario, Scenario):
        hint = (" (load a file or a dict with sim.load_scenario(...) first)"
                if isinstance(scenario, str | os.PathLike | Mapping) else "")  # fmt: skip
        raise TypeError(f"sim.run takes a sim.Scenario, not {type(scenario).__name__}{hint}")
    _whole("replications", replications, 1)
    _whole("workers", workers, 1)
    _whole("seed", seed, 0)
    _whole("max_candidates", max_candidates, 0)
    _whole("max_replications", max_replications, 1)
    reps = scenario.replications if replications is None else replications
    # refuse 10**30 replications before building the cells, let alone running them
    problems = limits.replication_problems(limits.grid_size(scenario.sweep), reps,
                                           max_replications)  # fmt: skip
    if problems:
        raise ValueError("\n".join(problems))
    updates = {}
    if replications is not None:
        updates["replications"] = replications
    if seed is not None:
        updates["seed"] = seed
    if updates:
        scenario = scenario.model_copy(update=updates)
    grid = scenario_io.cells(scenario)
    problems = work_problems(scenario, grid, reps, max_candidates, max_replications)
    if problems:
        raise ValueError("\n".join(problems))
    finished: dict[int, Cell] = {}
    cells_run = contextlib.closing(run_cells(scenario, workers, progress, grid))
    with cells_run as each_cell:
        for cell in each_cell:
            _keep(cell, on_cell, keep_tables, finished)
    cells = [finished[i] for i in sorted(finished)]
    return _results(scenario, cells, keep_tables)


def _keep(cell: Cell, on_cell, keep_tables: bool, finished: dict[int, Cell]) -> None:
    if on_cell is not None:
        on_cell(cell)
    if not keep_tables:
        cell.tables = {}
    finished[cell.index] = cell


def _results(scenario: Scenario, cells: list[Cell], keep_tables: bool) -> Results:
    def gather(name: str) -> pd.DataFrame:
        return concat([c.tables[name] for c in cells]) if keep_tables else pd.DataFrame()

    return Results(
        scenario=scenario,
        summary=concat([c.summary for c in cells]),
        stages=concat([c.stages for c in cells]),
        team=concat([c.team for c in cells]),
        applicants=gather("applicants"),
        events=gather("events"),
        team_levels=gather("team_levels"),
        swept=list(scenario.sweep or {}),
    )
