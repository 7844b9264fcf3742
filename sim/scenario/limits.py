"""How much work a run asks for, bounded before any of it starts.

A scenario that validates can still ask for more than a machine can give: 10^12 candidates, a
million sweep cells, 10^30 replications. Such a run would grow past the memory of a laptop, or
never end, with nothing printed. So the command line and the Python API estimate the work first
and refuse, with one line naming the option that raises the limit, what is far beyond it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from sim.scenario.types import DAYS_PER_MONTH

MAX_CANDIDATES = 20_000_000
"""Candidates simulated in a whole run (every cell, every replication), estimated."""
MAX_CELLS = 1_000
"""Sweep cells in one run."""
MAX_REPLICATIONS = 100_000
"""Replications in one run, over every cell."""
MAX_REQUISITIONS = 10_000
"""Requisitions in one replication (those open at the start, and the expected number opening
during the run): each keeps its own random streams (about 50 KB and 2 ms to set up), so a
million would need 50 GB."""


def grid_size(sweep: Mapping[str, Sequence] | None) -> int:
    """The number of sweep cells (1 without a sweep), computed without building them."""
    if not sweep:
        return 1
    return math.prod(len(values) for values in sweep.values())


def cell_problems(cells: int, max_cells: int = MAX_CELLS) -> list[str]:
    """A one-line refusal when a sweep has more than `max_cells` cells."""
    if cells > max_cells:
        return [f"sweep: {cells:,} cells is more than the limit of {max_cells:,} "
                "(sweep fewer values, or raise the limit with --max-cells)"]  # fmt: skip
    return []


def requisitions(cell) -> int:
    """The requisitions one replication of a resolved cell opens, estimated: those open at the
    start, and the expected number of `requisitions_per_month` over the horizon."""
    company = cell.company
    later = company.requisitions_per_month * cell.horizon_days / DAYS_PER_MONTH
    return company.requisitions + math.ceil(later)


def candidates(cell) -> int:
    """Upper estimate of the candidates one replication of a resolved cell simulates:
    requisitions (`requisitions`) x per_requisition x (1 + max_reopens)."""
    applicants = cell.applicants
    return requisitions(cell) * applicants.per_requisition * (1 + applicants.max_reopens)


def replication_problems(
    cells: int, replications: int, max_replications: int = MAX_REPLICATIONS
) -> list[str]:
    """A one-line refusal when `cells` x `replications` is more than `max_replications`."""
    total = cells * replications
    if total > max_replications:
        return [f"replications: {cells:,} cell(s) x {replications:,} replications = {total:,} "
                f"is more than the limit of {max_replications:,} "
                "(fewer replications, or raise the limit with --max-replications)"]  # fmt: skip
    return []


def work_problems(
    cells: Iterable,
    replications: int,
    max_candidates: int = MAX_CANDIDATES,
    max_replications: int = MAX_REPLICATIONS,
    max_requisitions: int = MAX_REQUISITIONS,
) -> list[str]:
    """One line per limit the run exceeds: `cells` are its resolved sweep cells (scenarios),
    each run `replications` times."""
    cells = list(cells)
    problems = replication_problems(len(cells), replications, max_replications)
    most = max((requisitions(cell) for cell in cells), default=0)
    if most > max_requisitions:
        later = any(cell.company.requisitions_per_month for cell in cells)
        field = "company.requisitions" + (" and requisitions_per_month" if later else "")
        problems.append(
            f"{field}: {most:,} in one replication{' (expected)' if later else ''} is more "
            f"than the limit of {max_requisitions:,} (raise it with --max-requisitions)"
        )
    estimate = sum(candidates(cell) for cell in cells) * replications
    if estimate > max_candidates:
        problems.append(
            f"applicants: about {estimate:,} candidates in all (cells x replications x "
            "requisitions x per_requisition x (1 + max_reopens)) is more than the limit of "
            f"{max_candidates:,} (simulate fewer, or raise the limit with --max-candidates)"
        )
    return problems
