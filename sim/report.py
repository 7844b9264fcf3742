"""`report.html`: one self-contained page a person reads first (charts embedded, no server).

A pure function of the results and the chart images: the scenario in plain words, the headline
numbers with their intervals, the bottleneck, the charts, and the tables.
"""

from __future__ import annotations

import base64
import html

import pandas as pd

from sim.analysis.bottleneck import bottleneck_text
from sim.analysis.headline import MEDIANS, has_interval, headline, interval_text
from sim.analysis.metrics import SUMMARY
from sim.charts.labels import plain
from sim.scenario.types import Scenario

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.8em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
.headline{font-size:1.15em;background:#f4f6fa;border-left:4px solid #4C72B0;padding:.6em 1em}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0 1em}
td,th{border:1px solid #ddd;padding:3px 6px;text-align:right}th{background:#f4f6fa}
img{max-width:100%;border:1px solid #eee;margin:.5em 0}
.note{color:#666;font-size:.9em}.wide{overflow-x:auto}
"""


def _distribution(dist) -> str:
    if dist is None:
        return "none"
    unit = (dist.unit or "days").replace("_", " ")
    if dist.dist == "fixed":
        return f"{dist.value:g} {unit}"
    return f"about {dist.mean:.1f} {unit} on average ({dist.dist})"


def _working_time(scenario: Scenario) -> str:
    """The calendar and the team's hiring hours, in one sentence."""
    cal = scenario.calendar
    holidays = cal.holidays
    where = " ".join(p for p in (holidays.country, holidays.region) if p)
    off = [f"{where} public holidays"] if where else []
    off += [f"{len(holidays.dates)} listed holiday(s)"] if holidays.dates else []
    parts = []
    for name, member in scenario.team.items():
        week = [f"{member.hours_per_week:g} hours a week"] if member.hours_per_week else []
        week += ["on " + ", ".join(member.workdays)] if member.workdays else []
        hours = [" ".join(week)] if week else []
        hours += [f"{member.vacation_days_per_year:g} vacation days a year"] * bool(
            member.vacation_days_per_year
        )
        hours += [f"{len(member.absences)} absence(s)"] if member.absences else []
        if hours:
            parts.append(f"{name.replace('_', ' ')}: {', '.join(hours)}")
    return (f"Working time: {', '.join(cal.workdays)}, {cal.hours_per_day:g} hours a day from "
            f"09:00{', without ' + ' and '.join(off) if off else ''}"
            f"{'; ' + '; '.join(parts) if parts else ''}.")  # fmt: skip


def describe(scenario: Scenario) -> list[str]:
    """The scenario in plain words, one sentence a line."""
    c, a, s = scenario.company, scenario.applicants, scenario.stages
    team = ", ".join(
        f"{m.count} {name.replace('_', ' ')}{'s' if m.count > 1 else ''}"
        + (" (each owning its requisitions)" if m.owns(name) else "")
        for name, m in scenario.team.items()
    )
    when = a.arrivals.describe()
    later = (f" (and about {c.requisitions_per_month:g} more opening a month)"
             if c.requisitions_per_month else "")  # fmt: skip
    lines = [
        f"A {c.size} company with {c.requisitions} open requisition(s){later} of {c.openings} "
        f"opening(s) each, sharing a team of {team}.",
        f"Each requisition interviews {a.per_requisition} candidates ({when}); a search with no "
        f"one left reopens after {a.reopen_after_days:g} days, at most {a.max_reopens} time(s).",
        "Candidates' patience: "
        + (
            _distribution(scenario.candidate.patience)
            if scenario.candidate.patience
            else "unlimited (no one withdraws)"
        )
        + ".",  # fmt: skip
    ]
    if scenario.calendar is not None:
        lines.append(_working_time(scenario))
    if s.shortlisting.enabled and s.shortlisting.keep:
        lines.append(f"The shortlist keeps the best {s.shortlisting.keep} of each pool.")
    if s.decision.enabled and s.decision.meets_every_days:
        lines.append(f"A {s.decision.resource or 'committee'} decides in meetings every "
                     f"{s.decision.meets_every_days:g} days.")  # fmt: skip
    final = s.final_decision
    lines.append(f"Offers are accepted with probability {final.accept_prob:g}, "
                 f"{final.accept_prob_loss_per_week:g} less per week of waiting.")  # fmt: skip
    lines.append(f"{scenario.replications} replications from seed {scenario.seed}, "
                 f"horizon {scenario.horizon_days:g} days.")  # fmt: skip
    return lines


def bottleneck(team: pd.DataFrame, swept: list[str]) -> str:
    """The bottleneck in words, as the team chart names it (`sim.analysis.bottleneck`)."""
    return bottleneck_text(team, swept, short_value)


def _has_intervals(summary: pd.DataFrame) -> bool:
    """Whether any cell's headline times have an interval (none with a single replication)."""
    return any(has_interval(row) for _, row in summary.iterrows())


def short_value(value, width: int = 40) -> str:
    """A swept value as text of at most `width` characters (a distribution can be long)."""
    return plain(value, width)


def _share(part, whole) -> str:
    return f"{part / whole:.0%}" if whole else "n/a"


def _table(frame: pd.DataFrame) -> str:
    table = frame.to_html(index=False, float_format=lambda v: f"{v:.2f}", na_rep="", border=0)
    return f"<div class='wide'>{table}</div>"


def _headline_table(summary: pd.DataFrame, swept: list[str]) -> str:
    """One row per cell: the numbers a reader wants first, intervals in brackets."""
    ci = " [95% CI]" if _has_intervals(summary) else ""
    rows = pd.DataFrame({path: summary[path].map(short_value) for path in swept})
    for column in MEDIANS:
        metric = SUMMARY[column]
        rows[f"{metric.label}{ci}"] = [interval_text(r, column, metric.unit)
                                       for _, r in summary.iterrows()]  # fmt: skip
    per = SUMMARY["hires_per_replication"]
    rows[f"{per.label} {per.unit}"] = summary[per.name].map("{:.2f}".format)
    rows[SUMMARY["withdrew"].label] = [_share(w, c) for w, c in zip(summary["withdrew"],
                                       summary["candidates"], strict=True)]  # fmt: skip
    return _table(rows)


def _headline(summary: pd.DataFrame, swept: list[str]) -> str:
    if summary.empty:
        return "<p class='headline'>No candidates were interviewed in this run.</p>"
    if swept:
        return _headline_table(summary, swept)
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


def build_report(
    results,
    charts: dict[str, bytes],
    comparison_lines: list[str] = (),
    skipped: list[tuple[str, str]] = (),
) -> str:
    """The HTML page: `charts` maps a caption to PNG bytes, embedded as data URIs; `skipped`
    lists (caption, reason) of the charts that could not be drawn, named in their place."""
    scenario, summary, swept = results.scenario, results.summary, results.swept
    headline = [_headline(summary, swept)]
    description = describe(scenario)
    if swept:
        grid = "; ".join(f"{p} over {', '.join(map(short_value, v))}"
                         for p, v in scenario.sweep.items())  # fmt: skip
        description.insert(0, f"A sweep of {len(summary)} cells: {grid}. Each cell takes its "
                              "own company-size preset; the lines below describe the base "
                              "scenario before the sweep.")  # fmt: skip
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>hiresim: {html.escape(scenario.name)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(scenario.name)}</h1>",
        "<p class='note'>hiresim report: what happens after the interview, simulated.</p>",
        "<h2>The scenario</h2><ul>",
        *[f"<li>{html.escape(line)}</li>" for line in description],
        "</ul>",
        "<h2>Headline</h2>",
        *headline,
        f"<p>{bottleneck(results.team, swept)}</p>",
    ]
    if comparison_lines:
        items = [f"<li>{html.escape(line)}</li>" for line in comparison_lines]
        parts += ["<h2>What if</h2><ul>", *items, "</ul>"]
    parts.append("<h2>Charts</h2>")
    for caption, png in charts.items():
        data = base64.b64encode(png).decode("ascii")
        parts.append(f"<figure><img alt='{html.escape(caption)}' "
                     f"src='data:image/png;base64,{data}'>"
                     f"<figcaption>{html.escape(caption)}</figcaption></figure>")  # fmt: skip
    parts += _skipped(skipped)
    if not charts and not skipped:
        parts.append("<p class='note'>No charts.</p>")
    parts += [
        "<h2>Summary</h2>", _table(summary),
        "<h2>Stages: where time goes and candidates are lost</h2>", _table(results.stages),
        "<h2>Team</h2>", _table(results.team),
        "<p class='note'>Intervals are 95% confidence intervals across replications (none with "
        "a single replication). Times are "
        "calendar days from the interview.</p></body></html>",
    ]  # fmt: skip
    return "\n".join(parts)
