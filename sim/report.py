"""`report.html`: one self-contained page a person reads first (charts embedded, no server).

A pure function of the results and the chart images: the scenario in plain words (for a sweep,
what every cell shares and what differs cell by cell), the headline per replication with its
intervals, the bottleneck, the charts, then short tables with readable headers (tooltips from
the data dictionary) and each full table folded behind them. Its parts are in `sim.reporting`.
"""

from __future__ import annotations

import html

import pandas as pd

from sim.analysis.bottleneck import bottleneck_text
from sim.analysis.headline import headline
from sim.reporting.markup import Column, esc, figure, full_table, page, table
from sim.reporting.run_tables import (
    cells_table,
    key_numbers,
    short_value,
    stages_table,
    team_table,
)
from sim.reporting.scenario_text import describe, facts, sweep_facts

__all__ = ["build_report", "describe", "facts", "bottleneck", "short_value"]


def bottleneck(team: pd.DataFrame, swept: list[str]) -> str:
    """The bottleneck in words, as the team chart names it (`sim.analysis.bottleneck`)."""
    return bottleneck_text(team, swept, short_value)


def _headline(summary: pd.DataFrame, swept: list[str]) -> str:
    if summary.empty:
        return "<p class='headline'>No candidates were interviewed in this run.</p>"
    if swept:
        return cells_table(summary, swept)
    row = summary.iloc[0]
    if not row["candidates"]:
        return ("<p class='headline'>No candidate was interviewed before the horizon: no "
                "offers, no hires.</p>")  # fmt: skip
    return f"<p class='headline'>{'<br>'.join(map(html.escape, headline(row)))}</p>"


def _skipped(skipped) -> list[str]:
    if not skipped:
        return []
    items = [f"<li>{html.escape(caption)}: {html.escape(reason)}</li>"
             for caption, reason in skipped]  # fmt: skip
    return ["<p class='note'>Charts that could not be drawn:</p><ul>", *items, "</ul>"]


def scenario_section(scenario, swept: list[str], cells: int) -> list[str]:
    """The scenario in words; for a sweep, what varies (every swept path and what each cell's
    preset changes with it) as a table, and what every cell shares as a list."""
    if not swept:
        return ["<h2>The scenario</h2><ul>",
                *[f"<li>{esc(line)}</li>" for line in describe(scenario)], "</ul>"]  # fmt: skip
    grid = " × ".join(f"{path} ({', '.join(map(short_value, values))})"
                      for path, values in scenario.sweep.items())  # fmt: skip
    parts = ["<h2>The scenario</h2>",
             f"<p>A sweep of {cells} cells: {esc(grid)}. Each cell is resolved on its own (a "
             "swept company size brings that size's preset), so more than the swept paths can "
             "differ between cells: the table says what does.</p>"]  # fmt: skip
    try:
        shared, varying, per_cell = sweep_facts(scenario)
    except ValueError:  # a sweep never resolved (built by hand): say what was swept only
        return parts
    if varying:
        columns = [Column("cell"), *(Column(label, text=True) for label in varying)]
        rows = [[str(k), *(f[label] for label in varying)] for k, f in enumerate(per_cell)]
        parts += ["<h3>What differs between cells</h3>", table(columns, rows, css="cells")]
    parts += ["<h3>What every cell shares</h3><ul>",
              *[f"<li>{esc(label)}: {esc(text)}</li>" for label, text in shared.items()],
              f"<li>{scenario.replications} replications from seed {scenario.seed}, horizon "
              f"{scenario.horizon_days:g} days"
              + (f", the first {scenario.warmup_days:g} days a warm-up left out of the "
                 "statistics" if scenario.warmup_days else "") + "</li></ul>"]  # fmt: skip
    return parts


def build_report(
    results,
    charts: dict[str, bytes],
    comparison_lines: list[str] = (),
    skipped: list[tuple[str, str]] = (),
    table_format: str = "csv",
) -> str:
    """The HTML page: `charts` maps a caption to PNG bytes, embedded as data URIs; `skipped`
    lists (caption, reason) of the charts that could not be drawn, named in their place;
    `table_format` names the table files beside it (csv or parquet)."""
    scenario, summary, swept = results.scenario, results.summary, results.swept
    reps = results.replications
    files = {name: f"{name}.{table_format}" for name in ("summary", "stages", "team")}
    parts = [
        f"<h1>{esc(scenario.name)}</h1>",
        "<p class='note'>hiresim report: what happens after the interview, simulated. Counts "
        "are per replication (one simulated run of the scenario); hover a column's header for "
        "its meaning.</p>",
        *scenario_section(scenario, swept, len(summary)),
        "<h2>Headline</h2>",
        _headline(summary, swept),
        f"<p>{bottleneck(results.team, swept)}</p>",
    ]
    if comparison_lines:
        items = [f"<li>{html.escape(line)}</li>" for line in comparison_lines]
        parts += ["<h2>What if</h2><ul>", *items, "</ul>"]
    parts.append("<h2>Charts</h2>")
    parts += [figure(caption, png) for caption, png in charts.items()]
    parts += _skipped(skipped)
    if not charts and not skipped:
        parts.append("<p class='note'>No charts.</p>")
    parts.append("<h2>Summary</h2>")
    if not swept and len(summary) == 1:
        parts.append(key_numbers(summary.iloc[0]))
    elif swept:
        parts.append("<p class='note'>One row per cell in the headline above.</p>")
    parts += [
        full_table(summary, "summary", files["summary"]),
        "<h2>Stages: where time goes and candidates are lost</h2>",
        stages_table(results.stages, swept, reps),
        full_table(results.stages, "stages", files["stages"]),
        "<h2>Team</h2>",
        team_table(results.team, swept),
        full_table(results.team, "team", files["team"]),
        "<p class='note'>Intervals are 95% confidence intervals across replications (none with "
        "a single replication). Times are calendar days from the interview. Utilisation is "
        "the time-weighted share of the role's people busy, over the whole clock after any "
        "warm-up. Every column is described in docs/tables.md.</p>",
    ]  # fmt: skip
    return page(f"hiresim: {scenario.name}", parts)
