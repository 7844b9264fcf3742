"""Running scenarios: one replication, every replication of every sweep cell, and `Results`.

`simulate` is the unit of work: a pure function of (resolved cell scenario, replication index,
cell index, swept values) returning that replication's tables. Replications run on a local
process pool; whatever the number of workers or the order tasks finish in, each cell's tables
are assembled in replication order, so the results are identical.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

import pandas as pd

from sim import scenario_io
from sim.breakdowns import stage_table, team_table
from sim.model import HiringModel
from sim.scenario import Scenario
from sim.summaries import summarise
from sim.tables import concat, replication_tables

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
        lines = [
            f"<Results {self.scenario.name!r}: {len(self.summary)} cell(s) x "
            f"{self.replications} replication(s), {int(self.summary['candidates'].sum()):,} "
            "candidates>"
        ]
        for _, row in self.summary.head(12).iterrows():
            label = ", ".join(f"{p}={row[p]}" for p in self.swept)
            lines.append(
                f"  {label + ': ' if label else ''}"
                f"hires/replication {row['hires_per_replication']:.2f}, median days to offer "
                f"{row['time_to_offer_days_median']:.1f}, to hire "
                f"{row['time_to_hire_days_median']:.1f}"
            )
        if len(self.summary) > 12:
            lines.append(f"  ... {len(self.summary) - 12} more cells")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return f"<pre>{self!r}</pre>" + self.summary.to_html(index=False, float_format="%.2f")


def _finish_cell(index, values, scenario, parts: list[dict]) -> Cell:
    tables = {name: concat([part[name] for part in parts]) for name in TABLES}
    swept = list(values)
    applicants = tables["applicants"]
    return Cell(
        index=index,
        values=values,
        scenario=scenario,
        tables=tables,
        summary=summarise(applicants, swept, scenario.replications),
        stages=stage_table(applicants, tables["events"], swept),
        team=team_table(tables["team_levels"], swept),
    )


def run_cells(
    scenario: Scenario,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Cell]:
    """Every sweep cell of `scenario`, each as soon as all its replications are done."""
    grid = scenario_io.cells(scenario)
    reps = scenario.replications
    total = len(grid) * reps
    workers = min(workers or 1, total)
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
        context.set_forkserver_preload(["sim.runner"])  # workers start with sim imported
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending = {}
        for index, (values, cell_scenario) in enumerate(grid):
            for rep in range(reps):
                future = pool.submit(simulate, cell_scenario, rep, index, values)
                pending[future] = (index, rep)
        parts: dict[int, dict[int, dict]] = {index: {} for index in range(len(grid))}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=pending.get):
                index, rep = pending.pop(future)
                try:
                    parts[index][rep] = future.result()
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


def run(
    scenario: Scenario,
    replications: int | None = None,
    workers: int | None = None,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    on_cell: Callable[[Cell], None] | None = None,
    keep_tables: bool = True,
) -> Results:
    """Run every sweep cell for `replications` replications (the scenario's own if None).

    `seed` replaces the scenario's root seed; `workers` processes run replications in parallel
    (default 1: in this process; the command line defaults to all cores). Tables are identical
    for any number of workers. `progress(done, total)` is called after each
    replication, `on_cell(cell)` as each cell completes. With `keep_tables=False` the large
    tables are not kept in memory (only the summaries), for runs written cell by cell.
    """
    updates = {}
    if replications is not None:
        updates["replications"] = replications
    if seed is not None:
        updates["seed"] = seed
    if updates:
        scenario = scenario.model_copy(update=updates)
    finished: dict[int, Cell] = {}
    for cell in run_cells(scenario, workers, progress):
        if on_cell is not None:
            on_cell(cell)
        if not keep_tables:
            cell.tables = {}
        finished[cell.index] = cell
    cells = [finished[i] for i in sorted(finished)]

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
