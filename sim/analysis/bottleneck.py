"""The bottleneck, one definition for the chart and the text.

A team role is the **bottleneck** only when candidates materially queue for it: its
time-weighted mean queue (candidates waiting for one of its people), **averaged over the
replications** (the `team` table's `mean_queue_length`), is at least `MATERIAL_QUEUE`. Of the
roles (and, in a sweep, the cells) that qualify, the one with the longest mean queue is named;
when none does, there is no bottleneck, and the busiest role (highest mean utilisation) is
only described. `busiest_cell` is the cell the team chart shows: the bottleneck's, else the
busiest role's.
"""

from __future__ import annotations

import html
from typing import NamedTuple

import pandas as pd

from sim.scenario.stages import stage_label

MATERIAL_QUEUE = 1.0
"""Candidates waiting on average (time-weighted, mean over replications) for a role's queue
to make it a bottleneck."""
DEFINITION = (f"bottleneck: a role with at least {MATERIAL_QUEUE:g} candidate waiting for it "
              "on average (mean over the replications)")  # fmt: skip


class Load(NamedTuple):
    """One role's load in one cell, as the `team` table has it (means over replications)."""

    cell: int
    resource: str
    utilisation: float
    mean_queue_length: float
    bottleneck: bool
    """Whether its queue is material (`MATERIAL_QUEUE`)."""


def rank(row) -> tuple:
    """How a `team` row ranks for the bottleneck: a material queue first, then the longer
    mean queue, the higher utilisation, and the lower cell."""
    queue = float(row["mean_queue_length"]) if pd.notna(row["mean_queue_length"]) else 0.0
    used = float(row["utilisation"]) if pd.notna(row["utilisation"]) else 0.0
    material = queue >= MATERIAL_QUEUE
    return (material, queue if material else 0.0, used, queue, -int(row["cell"]))


def heaviest(team: pd.DataFrame) -> Load | None:
    """The bottleneck, or (`bottleneck` False) the busiest role when none is; None when no
    role was ever used (or there is no team)."""
    if team is None or team.empty or "utilisation" not in team:
        return None
    rows = [row for _, row in team.iterrows()
            if pd.notna(row["utilisation"]) and row["utilisation"] > 0]  # fmt: skip
    if not rows:
        return None
    row = max(rows, key=rank)
    queue = float(row["mean_queue_length"]) if pd.notna(row["mean_queue_length"]) else 0.0
    return Load(int(row["cell"]), str(row["resource"]), float(row["utilisation"]), queue,
                queue >= MATERIAL_QUEUE)  # fmt: skip


def cell_rank(team: pd.DataFrame) -> tuple:
    """How a cell's `team` rows rank against other cells' (the same order as `heaviest`):
    what a run keeps the team levels of, for the chart."""
    load = heaviest(team)
    if load is None:
        return (False, 0.0, 0.0, 0.0, 0)
    return (load.bottleneck, load.mean_queue_length if load.bottleneck else 0.0,
            load.utilisation, load.mean_queue_length, -load.cell)  # fmt: skip


def title(load: Load | None, person: str) -> str:
    """The team chart's title: "Team load: the bottleneck is the recruiter (1.4 waiting on
    average)" or "Team load: no bottleneck (the busiest, the recruiter, 5% busy)". `person`:
    the role as it reads."""
    if load is None:
        return "Team load: no team member was used"
    if load.bottleneck:
        return (f"Team load: the bottleneck is the {person} "
                f"({load.mean_queue_length:.1f} waiting on average)")  # fmt: skip
    return f"Team load: no bottleneck (the busiest, the {person}, {load.utilisation:.0%} busy)"


def bottleneck_text(team: pd.DataFrame, swept: list[str], value=str) -> str:
    """The bottleneck in words (HTML), as `heaviest` finds it; `value` writes a swept value."""
    load = heaviest(team)
    if load is None:
        return "No team member was used."
    where = ""
    if swept:
        row = team[team["cell"] == load.cell].iloc[0]
        label = ", ".join(f"{p} = {value(row[p])}" for p in swept)
        where = f" (in the cell {html.escape(label)})"
    role = html.escape(stage_label(load.resource))
    numbers = (f"{load.utilisation:.0%} busy, {load.mean_queue_length:.2f} candidates waiting "
               "on average (means over the replications)")  # fmt: skip
    if load.bottleneck:
        return f"The bottleneck is the <b>{role}</b>{where}: {numbers}."
    return (f"No bottleneck (a {DEFINITION}). The busiest role is the "
            f"<b>{role}</b>{where}: {numbers}.")  # fmt: skip
