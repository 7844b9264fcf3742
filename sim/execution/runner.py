"""Running scenarios: one replication, every replication of every sweep cell, and `Results`.

`simulate` is the unit of work: a pure function of (resolved cell scenario, replication index,
cell index, swept values) returning that replication's tables. A task (`run_task`) runs one
replication, or all of a cell's replications and then the cell's summaries, where the backend
runs it (`sim.execution.backends`: this process, a local process pool, a Dask cluster): with
enough cells to keep every worker busy, whole cells, so the bootstrap and the tables' files are
made in the workers, not one after another in the parent. Whatever the number of workers, the
tasks' size or the order they finish in, each cell's tables are assembled in replication order,
so the results are identical.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sim.analysis.breakdowns import stage_table, team_table
from sim.analysis.costs import Spans, requisition_costs
from sim.analysis.summaries import summarise
from sim.analysis.tables import Writer, concat, replication_tables
from sim.analysis.waits import with_split
from sim.execution.backends import BACKENDS, Backend, Task, backend_for, default_workers
from sim.execution.tablefiles import TableFiles
from sim.model.core import HiringModel
from sim.model.records import CHUNK_ROWS, Records
from sim.scenario import limits, resolve
from sim.scenario.types import Scenario

TABLES = ("applicants", "events", "team_levels", "requisitions")
FOR_SUMMARIES = ("visits", "team_usage")
"""What `simulate` also returns for the summaries: the events' stage visits and the team's
usage per replication, so the summaries never need the whole event log."""
CHART_COLUMNS = ["scenario", "cell", "replication", "time_to_offer_days", "time_to_hire_days"]
"""The applicants' columns the run's charts read (with the swept ones), kept when the tables
themselves went to files."""


def simulate(
    scenario: Scenario,
    replication: int,
    cell: int = 0,
    swept: Mapping | None = None,
    files: TableFiles | None = None,
    for_charts: bool = False,
    chunk_rows: int | None = CHUNK_ROWS,
) -> dict[str, pd.DataFrame]:
    """The tables of one replication of one cell: applicants, events, team_levels and
    requisitions (SPEC), and what the summaries need of the events and team levels: `visits`
    (for `stage_table`) and `team_usage` (for `team_table`).

    With `files` (a `sim.execution.tablefiles.TableFiles`), the four SPEC tables are written to
    it, the events and team levels chunk by chunk as the model runs (`chunk_rows` rows at a
    time), so they are never held whole; then `events` and `team_levels` come back with their
    columns and no rows, or with `for_charts` what the charts of one run read of them, of a
    size bounded whatever the run's: the events of the journeys the chart samples
    (`sim.analysis.journeys`) and the levels spread over at most `CHART_STEPS` spans per role
    (`sim.analysis.timelines.spread_levels`).
    """
    records = Records(replication, chunk_rows=chunk_rows)
    writer = spans = None
    if files is not None:
        writer = Writer(files, records, scenario.name, scenario.start_date, cell, swept,
                        journeys=for_charts)  # fmt: skip
        spans = Spans(records, scenario)  # the team's work, as the events go to the files
        records.sink = spans.passing_to(writer)
    HiringModel(scenario, replication, records=records).run()
    if writer is not None:
        writer.finish()
    tables = replication_tables(
        records,
        scenario.name,
        scenario.start_date,
        cell,
        swept,
        calendar=scenario.calendar,
        warmup_days=scenario.warmup_days,
        events=files is None,
        team_levels=files is None or for_charts,
        visits=None if writer is None else writer.visits,
        spread=files is not None,
        assigns=None if writer is None else writer.assigns,
    )
    # the team's hours and the costs, from the levels the records still hold
    tables["requisitions"] = requisition_costs(tables["requisitions"], records, scenario, spans)
    if writer is not None and writer.journeys is not None:
        sample = writer.journeys.events()
        if sample is not None:
            tables["events"] = sample
    if files is not None:
        files.append("applicants", tables["applicants"])
        files.append("requisitions", tables["requisitions"])
    return tables


@dataclass
class Cell:
    """One finished sweep cell: its swept values, scenario, tables and summaries.

    `files` lists the table files its tasks wrote (`Task.tables_to`), in replication order;
    `tables` then holds only what the charts read (`chart_tables`)."""

    index: int
    values: dict
    scenario: Scenario
    tables: dict[str, pd.DataFrame]
    summary: pd.DataFrame
    stages: pd.DataFrame
    team: pd.DataFrame
    files: list[str] = field(default_factory=list)


@dataclass
class Part:
    """What a task hands back: its replications' tables (or, once they are in files, what
    the parent still needs of them), the files' names, and, when the task was a whole cell,
    the cell finished where it ran."""

    task: Task
    tables: dict[str, pd.DataFrame]
    files: list[str] = field(default_factory=list)
    cell: Cell | None = None


def run_task(task: Task) -> Part:
    """A backend's unit of work: `task.count` replications of one cell, their tables written
    to `task.tables_to` if given (chunk by chunk as each replication runs: `simulate`), and
    the cell summarised here when the task covers all of its replications."""
    parts, files = [], []
    for rep in range(task.replication, task.replication + task.count):
        if task.tables_to is None:
            parts.append(simulate(task.scenario, rep, task.cell, task.values))
            continue
        stem = f"c{task.cell:05d}-r{rep:05d}"
        with TableFiles(task.tables_to, task.table_format, stem) as written:
            first_run = rep == 0  # the charts show cell 0's events, the busiest cell's levels
            parts.append(simulate(task.scenario, rep, task.cell, task.values, written,
                                  for_charts=first_run))  # fmt: skip
        files += [written.path(name).name for name in TABLES]
    tables = _joined(parts)
    if task.count < task.scenario.replications:  # the parent finishes the cell
        return Part(task, tables, files)
    cell = finish_cell(task.cell, dict(task.values), task.scenario, tables)
    if files:
        cell.tables, cell.files = chart_tables(tables, task.cell, list(task.values)), files
    return Part(task, cell.tables, files, cell)


def chart_tables(tables: dict[str, pd.DataFrame], cell: int, swept: list[str]
                 ) -> dict[str, pd.DataFrame]:  # fmt: skip
    """What the run's charts read of a cell's tables: every candidate's time to offer (with
    the `swept` columns), cell 0's first replication's events, and every cell's first
    replication's team levels (the team chart shows the busiest cell's)."""
    applicants = tables["applicants"]
    kept = {"applicants": applicants[[*CHART_COLUMNS, *swept]]}
    for name in ("events", "team_levels"):
        table = tables[name]
        if (cell != 0 and name == "events") or table.empty:
            table = table.iloc[:0]
        else:
            first = table["replication"] == table["replication"].min()
            if not first.all():  # a copy only when there are rows to leave out
                table = table[first]
        kept[name] = table
    kept["requisitions"] = tables["requisitions"].iloc[:0]
    return kept


def _joined(parts: list[dict]) -> dict[str, pd.DataFrame]:
    return {name: concat([part[name] for part in parts]) for name in (*TABLES, *FOR_SUMMARIES)}


@dataclass
class Results:
    """What a run produced; every table is a pandas DataFrame (see SPEC and the README).

    `applicants`, `events`, `team_levels` and `requisitions` are empty when the run was asked not
    to keep them in memory (the command line writes them to files instead).
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
        from sim.analysis.headline import cell_headlines, counted  # as the command line's

        lines = [
            f"<Results {self.scenario.name!r}: {counted(len(self.summary), 'cell')} x "
            f"{counted(self.replications, 'replication')}>",
            *(f"  {line}" for line in cell_headlines(self.summary.head(12), self.swept)),
        ]
        if len(self.summary) > 12:
            lines.append(f"  ... {len(self.summary) - 12} more cells")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return f"<pre>{self!r}</pre>" + self.summary.to_html(index=False, float_format="%.2f")


def finish_cell(index: int, values: dict, scenario: Scenario,
                tables: dict[str, pd.DataFrame]) -> Cell:  # fmt: skip
    """The cell with its summaries, from all its replications' tables (in order)."""
    swept = list(values)
    applicants, requisitions = tables["applicants"], tables["requisitions"]
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
        stages=with_split(stage_table(applicants, tables["visits"], swept, cell=label,
                                      warmup_days=warmup),
                          applicants, tables["visits"], requisitions, warmup),  # fmt: skip
        team=team_table(tables["team_usage"], swept, cell=label, warmup_days=warmup),
    )


def plan_tasks(grid: list[tuple[dict, Scenario]], replications: int, workers: int,
               tables_to: Path | None = None, table_format: str = "csv") -> list[Task]:  # fmt: skip
    """The tasks for a run of `grid`: whole cells, largest first, when there are at least
    twice as many cells as workers (each worker then also summarises the cells it ran, and
    the largest going first keeps the last ones short); else one task per replication, so a
    few cells still spread over every worker (and progress shows replications)."""
    folder = None if tables_to is None else str(tables_to)
    if workers > 1 and len(grid) >= 2 * workers:
        order = sorted(range(len(grid)), key=lambda i: -limits.candidates(grid[i][1]))
        return [Task(i, 0, grid[i][1], grid[i][0], replications, folder, table_format)
                for i in order]  # fmt: skip
    return [Task(index, rep, cell, values, 1, folder, table_format)
            for index, (values, cell) in enumerate(grid)
            for rep in range(replications)]  # fmt: skip


def run_cells(
    scenario: Scenario,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    grid: list[tuple[dict, Scenario]] | None = None,
    backend: str | Backend = "local",
    tables_to: Path | None = None,
    table_format: str = "csv",
    scheduler: str | None = None,
    skip: Collection[int] = (),
) -> Iterator[Cell]:
    """Every sweep cell of `scenario` (`grid`: its cells, if already built) but those whose
    index is in `skip`, each as soon as all its replications are done, on `backend`
    (`sim.execution.backends`; `scheduler`: a Dask scheduler's address). Workers are capped at
    the cores available (not with a scheduler: there they bound the tasks in flight). Each
    cell's tables are assembled in replication order, whatever order the backend finishes
    tasks in. With `tables_to`, the tasks write the tables there (`run_task`) and
    each cell keeps only what the charts read."""
    grid = resolve.cells(scenario) if grid is None else grid
    reps = scenario.replications
    total = (len(grid) - len(set(skip))) * reps
    if total == 0:  # every cell was already finished: start no backend
        return
    if scheduler is None:
        workers = max(1, min(workers or 1, total, default_workers()))
    engine = backend_for(backend, workers, scheduler) if isinstance(backend, str) else backend
    tasks = plan_tasks(grid, reps, engine.workers or 1, tables_to, table_format)
    tasks = [task for task in tasks if task.cell not in skip]
    parts: dict[int, dict[int, Part]] = {}
    done = 0
    for _, part in engine.run(run_task, tasks):
        task = part.task
        done += task.count
        if progress:
            progress(done, total)
        if part.cell is not None:
            yield part.cell
            continue
        parts.setdefault(task.cell, {})[task.replication] = part
        if len(parts[task.cell]) == reps:
            values, cell_scenario = grid[task.cell]
            ordered = [parts[task.cell].pop(r) for r in range(reps)]
            del parts[task.cell]
            cell = finish_cell(task.cell, values, cell_scenario,
                               _joined([p.tables for p in ordered]))  # fmt: skip
            if tables_to is not None:
                cell.tables = chart_tables(cell.tables, task.cell, list(values))
                cell.files = [name for p in ordered for name in p.files]
            yield cell


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
    tables_to: str | os.PathLike | None = None,
    table_format: str = "csv",
    scheduler: str | None = None,
    resume=None,
) -> Results:
    """Run every sweep cell for `replications` replications (the scenario's own if None).

    `seed` replaces the scenario's root seed; `workers` processes run replications in parallel
    (default 1: in this process; the command line defaults to all cores) on `backend` (a
    name, "local" or "dask", or a `sim.execution.backends.Backend`; `scheduler`: the address of
    a Dask scheduler, else Dask starts a local cluster). Tables are identical for any number of
    workers. `resume` (a `sim.execution.resume.CellStore`): cells it holds are taken from it,
    not run, and each cell finished is saved in it.
    `progress(done, total)` is called after each replication, `on_cell(cell)` as each cell
    completes. With `keep_tables=False` the large tables are not kept in memory (only the
    summaries), for runs written cell by cell. With `tables_to` (a folder every worker can
    write to), the tasks write the large tables there as files (`table_format`: csv or
    parquet) named by cell and replication (`Cell.files`), and keep only what the
    charts read.

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
    if scheduler is not None and backend != "dask":
        raise ValueError("scheduler: only used with backend='dask'")
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
    if table_format not in ("csv", "parquet"):
        raise ValueError(f"table_format must be csv or parquet, not {table_format!r}")
    folder = None if tables_to is None else Path(tables_to)
    for cell in resume.finished(grid, reps, folder) if resume is not None else ():
        _keep(cell, on_cell, keep_tables, finished)
    cells_run = contextlib.closing(run_cells(scenario, workers, progress, grid, backend,
                                             folder, table_format, scheduler,
                                             skip=set(finished)))  # fmt: skip
    with cells_run as each_cell:
        for cell in each_cell:
            if resume is not None:
                resume.save_cell(cell, reps, folder)  # first: it is kept whatever follows
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
    keep_tables = keep_tables and not any(c.files for c in cells)
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
