"""Running scenarios: one replication, all replications of every sweep cell, and `Results`.

`simulate` is the unit of work: a pure function of (resolved cell scenario, cell index, swept
values, replication index) returning that replication's tables. Everything else assembles them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from sim import scenario_io
from sim.model import HiringModel
from sim.scenario import Scenario
from sim.summaries import summarise
from sim.tables import concat, replication_tables


def simulate(
    scenario: Scenario, replication: int, cell: int = 0, swept: Mapping | None = None
) -> dict[str, pd.DataFrame]:
    """The tables of one replication of one (resolved, sweep-free) scenario."""
    records = HiringModel(scenario, replication).run()
    return replication_tables(records, scenario.name, scenario.start_date, cell, swept)


@dataclass
class Results:
    """What a run produced. Tables are pandas DataFrames (see SPEC)."""

    scenario: Scenario
    applicants: pd.DataFrame
    events: pd.DataFrame
    team: pd.DataFrame
    summary: pd.DataFrame
    swept: list[str] = field(default_factory=list)

    @property
    def replications(self) -> int:
        return int(self.summary["replications"].iloc[0]) if len(self.summary) else 0

    def __repr__(self) -> str:
        lines = [
            f"<Results {self.scenario.name!r}: {len(self.summary)} cell(s) x "
            f"{self.replications} replication(s), {len(self.applicants):,} candidates, "
            f"{len(self.events):,} events>"
        ]
        for _, row in self.summary.iterrows():
            label = ", ".join(f"{p}={row[p]}" for p in self.swept)
            prefix = f"{label}: " if label else ""
            lines.append(
                f"  {prefix}hires/replication {row['hires_per_replication']:.2f}, "
                f"median days to offer {row['time_to_offer_days_median']:.1f}, "
                f"to hire {row['time_to_hire_days_median']:.1f}"
            )
        return "\n".join(lines)


def run(
    scenario: Scenario,
    replications: int | None = None,
    workers: int | None = None,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Results:
    """Run every sweep cell for `replications` replications (the scenario's own if None).

    `seed` replaces the scenario's root seed. `workers` is accepted for the contract; this
    version runs replications in order in this process. `progress(done, total)` is called
    after each replication.
    """
    updates = {}
    if replications is not None:
        updates["replications"] = replications
    if seed is not None:
        updates["seed"] = seed
    if updates:
        scenario = scenario.model_copy(update=updates)
    grid = scenario_io.cells(scenario)
    swept = list(scenario.sweep or {})
    total = len(grid) * scenario.replications
    parts: dict[str, list[pd.DataFrame]] = {"applicants": [], "events": [], "team": []}
    done = 0
    for cell, (values, cell_scenario) in enumerate(grid):
        for replication in range(scenario.replications):
            for name, frame in simulate(cell_scenario, replication, cell, values).items():
                parts[name].append(frame)
            done += 1
            if progress is not None:
                progress(done, total)
    applicants = concat(parts["applicants"])
    return Results(
        scenario=scenario,
        applicants=applicants,
        events=concat(parts["events"]),
        team=concat(parts["team"]),
        summary=summarise(applicants, swept, scenario.replications),
        swept=swept,
    )
