"""Running scenarios: one replication, every replication of every sweep cell, and `Results`.

`simulate` is the unit of work: a pure function of (resolved cell scenario, replication index,
cell index, swept values) returning that replication's tables. A backend
(`sim.execution.backends`: this process, or a local process pool) runs the tasks; whatever the
number of workers or the order tasks finish in, each cell's tables are assembled in
replication order, so the results are identical.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import pandas as pd

from sim.analysis.breakdowns import stage_table, team_table
from sim.analysis.summaries import summarise
from sim.analysis.tables import Writer, concat, replication_tables
from sim.execution.backends import BACKENDS, Backend, Task, backend_for, default_workers
from sim.execution.tablefiles import TableFiles
from sim.model.core import HiringModel
from sim.model.records import CHUNK_ROWS, Records
from sim.scenario import limits, resolve
from sim.scenario.types import Scenario

TABLES = ("applicants", "events", "team_levels", "requisitions")


def simulate(
    scenario: Scenario,
    replication: int,
    cell: int = 0,
    swept: Mapping | None = None,
    files: TableFiles | None = None,
    keep_events: bool = False,
    chunk_rows: int | None = CHUNK_ROWS,
) -> dict[str, pd.DataFrame]:
    """The tables of one replication of one cell: applicants, events, team_levels and
    requisitions (SPEC), and what the summaries need of the events and team levels: `visits`
    (for `stage_table`) and `team_usage` (for `team_table`).

    With `files` (a `sim.execution.tablefiles.TableFiles`), the four SPEC tables are written to
    it, the events and team levels chunk by chunk as the model runs (`chunk_rows` rows at a
    time), so they are never held whole; then `events` and `team_levels` come back with their
    columns and no rows, unless `keep_events` (as for the charts of one run).
    """
    records = Records(replication, chunk_rows=chunk_rows)
    writer = None
    if files is not None:
        writer = Writer(files, records, scenario.name, scenario.start_date, cell, swept,
                        keep_events=keep_events)  # fmt: skip
        records.sink = writer
    HiringModel(scenario, replication, records=records).run()
    if writer is not None:
        writer.finish()
    whole = files is None or keep_events
    tables = replication_tables(
        records,
        scenario.name,
        scenario.start_date,
        cell,
        swept,
        calendar=scenario.calendar,
        warmup_days=scenario.warmup_days,
        events=whole,
        team_levels=whole,
        visits=None if writer is None else writer.visits,
    )
    if files is not None:
        files.append("applicants", tables["applicants"])
        files.append("requisitions", tables["requisitions"])
    return tables


def run_task(task: Task) -> dict[str, pd.DataFrame]:
    """A backend's unit of work: the tables of one replication of one cell."""
    return simulate(task.scenario, task.replication, task.cell, task.values)


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

    `applicants`, `events`, `team_levels` and `requisitions` are empty when the run was asked not
    to keep them in memory (the command line writes them cell by cell instead).
    """

    scenario: Scenario
    summary: pd.DataFrame
    stages: pd.DataFrame
    team: pd.DataFrame
    applicants: pd.DataFrame = field(default_factory=pd.DataFrame)
    events: pd.DataFrame = field(default_factory=pd.DataFrame)
    team_levels: pd.DataFrame = field(default_factory=pd.DataFrame)
    requisitions: pd.DataFrame = field(default_factory=pd.DataFrame)
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
    applicants, events, levels, requisitions = (tables[name] for name in TABLES)
    # a cell with no candidates still gets one row of each summary, naming the cell
    label = {"scenario": scenario.name, "cell": index, **values}
    warmup = scenario.warmup_days  # the summaries describe the run after it
    return Cell(
        index=index,
        values=values,
        scenario=scenario,
        tables=tables,
        summary=summarise(
            applicants,
            swept,
            scenario.replications,
            cell=label,
            requisitions=requisitions,
            warmup_days=warmup,
        ),
        stages=stage_table(applicants, events, swept, cell=label, warmup_days=warmup),
        team=team_table(levels, swept, cell=label, warmup_days=warmup),
    )


def run_cells(
    scenario: Scenario,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    grid: list[tuple[dict, Scenario]] | None = None,
    backend: str | Backend = "local",
) -> Iterator[Cell]:
    """Every sweep cell of `scenario` (`grid`: its cells, if already built), each as soon as
    all its replications are done, on `backend` (`sim.execution.backends`). Workers are capped
    at the cores available. Each cell's tables are assembled in replication order, whatever
    order the backend finishes tasks in."""
    grid = resolve.cells(scenario) if grid is None else grid
    reps = scenario.replications
    total = len(grid) * reps
    workers = max(1, min(workers or 1, total, default_workers()))
    tasks = (
        Task(index, rep, cell_scenario, values)
        for index, (values, cell_scenario) in enumerate(grid)
        for rep in range(reps)
    )
    parts: dict[int, dict[int, dict]] = {}
    engine = backend_for(backend, workers) if isinstance(backend, str) else backend
    finished = engine.run(run_task, tasks)
    for done, (task, tables) in enumerate(finished, start=1):
        parts.setdefault(task.cell, {})[task.replication] = tables
        if progress:
            progress(done, total)
        if len(parts[task.cell]) == reps:
            values, cell_scenario = grid[task.cell]
            cell_parts = parts.pop(task.cell)
            ordered = [cell_parts[r] for r in range(reps)]
            yield _finish_cell(task.cell, values, cell_scenario, ordered)


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
    backend: str | Backend = "local",
) -> Results:
    """Run every sweep cell for `replications` replications (the scenario's own if None).

    `seed` replaces the scenario's root seed; `workers` processes run replications in parallel
    (default 1: in this process; the command line defaults to all cores) on `backend` (a
    name or a `sim.execution.backends.Backend`). Tables are identical for any number of workers.
    `progress(done, total)` is called after each replication, `on_cell(cell)` as each cell
    completes. With `keep_tables=False` the large tables are not kept in memory (only the
    summaries), for runs written cell by cell.

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
    if isinstance(backend, str) and backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r} (this version has: {', '.join(BACKENDS)})")
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
    grid = resolve.cells(scenario)
    problems = work_problems(scenario, grid, reps, max_candidates, max_replications)
    if problems:
        raise ValueError("\n".join(problems))
    finished: dict[int, Cell] = {}
    cells_run = contextlib.closing(run_cells(scenario, workers, progress, grid, backend))
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
        requisitions=gather("requisitions"),
        swept=list(scenario.sweep or {}),
    )
