"""`fit_report.html`: how well the fitted scenario fits, and whether it predicts.

    from sim.fit.report import make_report, write_report
    report = make_report(fitted, holdout_by="requisition", fraction=0.3, seed=0)
    write_report(folder, report)   # fit_report.html, charts/*.png, validation.csv

`make_report` runs the validation (the fitted scenario simulated over the export's window,
`sim.fit.workflow.simulate_like`, compared with the whole export by `sim.fit.holdout.compare`)
and the held-out check (`sim.fit.holdout.holdout`; `holdout_by=None` for none; an export with
too few requisitions gets the section skipped with the reason). `write_report` draws the
charts (`sim.charts.fit`) and writes the page (images embedded, and as PNG files beside it)
and `validation.csv` (the comparisons' rows, `comparison` saying which). The caller puts the
folder in place (`sim.execution.output.staged_folder`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.fit.export import FitError
from sim.fit.holdout import METRICS, Holdout, compare, holdout
from sim.fit.measure import fills, offers
from sim.fit.workflow import Fitted, Simulated, simulate_like
from sim.reporting.markup import Column, esc, figure, page, table
from sim.scenario.stages import stage_label

PAGE = "fit_report.html"


@dataclass
class FitReport:
    fitted: Fitted
    validation: Simulated
    comparison: pd.DataFrame  # holdout.compare of the whole export and the validation run
    holdout: Holdout | None
    skipped: str | None  # why there is no held-out check


def make_report(fitted: Fitted, holdout_by: str | None = "requisition", fraction: float = 0.3,
                seed: int = 0, name: str = "fitted") -> FitReport:  # fmt: skip
    """The validation run and the held-out check of `fitted` (see the module's docstring)."""
    validation = simulate_like(fitted.scenario, fitted.log, seed)
    comparison = compare(fitted.log, validation.log)
    held, skipped = None, None if holdout_by else "not asked for (--holdout none)"
    if holdout_by:
        try:
            held = holdout(fitted.log, holdout_by, fraction, seed, fitted.company_size,
                           fitted.team, name)  # fmt: skip
        except FitError as err:
            skipped = " ".join(err.lines)
    return FitReport(fitted, validation, comparison, held, skipped)


def _values(log: pd.DataFrame) -> dict:
    return {"time_to_offer_days": offers(log).time_to_offer_days.dropna().to_numpy(),
            "time_to_fill_days": fills(log).time_to_fill_days.dropna().to_numpy()}  # fmt: skip


def charts(report: FitReport) -> dict[str, tuple[str, object]]:
    """name -> (caption, matplotlib Figure) of every chart of the report."""
    from sim.charts.fit import plot_observed_vs_simulated, plot_stage_fit

    fit = report.fitted.fit
    clock = "business days (Mon-Fri)" if fit.business else "days"
    out = {}
    for stage, stage_fit in fit.stages.items():
        caption = (f"{stage_label(stage).capitalize()}: the observed CDF of its wait and work "
                   f"(Kaplan-Meier where some are still open at the export's end or left "
                   f"during it) and the fitted distribution's, in {clock}"
                   + (", the work in the team member's hiring hours." if stage_fit.work_hours
                      else "."))  # fmt: skip
        out[f"stage_{stage}"] = (caption, plot_stage_fit(stage_fit, fit.business))
    reps = report.validation.replications
    out["time_to_offer"] = (
        f"Time to offer and time to fill: the export against {reps} simulated replications of "
        "the fitted scenario over the same window, each measured from the event log alike "
        "(offered / filled by the log's end only).",
        plot_observed_vs_simulated(_values(report.fitted.log), _values(report.validation.log),
                                   "Observed against simulated: the fitted scenario"),
    )  # fmt: skip
    if report.holdout is not None:
        held = report.holdout
        out["holdout"] = (
            f"Held out by {held.by}: the held-out part against the scenario fitted on the "
            "rest, simulated over the same window.",
            plot_observed_vs_simulated(_values(held.held), _values(held.simulated.log),
                                       f"Does the fit predict? Held out by {held.by}",
                                       observed_label="held out"),
        )  # fmt: skip
    return out


def write_report(folder: Path, report: FitReport) -> None:
    """Charts, `validation.csv` and the page into `folder` (see the module's docstring)."""
    folder = Path(folder)
    (folder / "charts").mkdir(exist_ok=True)
    images = {}
    for name, (caption, fig) in charts(report).items():
        path = folder / "charts" / f"{name}.png"
        fig.savefig(path, dpi=150)
        images[name] = (caption, path.read_bytes())
    tables = [report.comparison.assign(comparison="export vs fitted scenario")]
    if report.holdout is not None:
        tables.append(report.holdout.table.assign(comparison=f"held out by {report.holdout.by}"
                                                  " vs fit of the rest"))  # fmt: skip
    both = pd.concat(tables, ignore_index=True)
    both[["comparison", *both.columns[:-1]]].to_csv(folder / "validation.csv", index=False)
    (folder / PAGE).write_text(build_page(report, images), encoding="utf-8")


def _n(value: float, digits: int = 2) -> str:
    return "" if pd.isna(value) else f"{value:.{digits}g}" if abs(value) < 1 else f"{value:.1f}"


def _stage_rows(fit) -> list[list[str]]:
    rows = []
    for stage, found in fit.stages.items():
        for part, d in (("wait", found.wait), ("work", found.duration)):
            if d is None:
                continue
            if found.gaps_only:
                part = "gap (wait)"
            elif part == "work" and found.work_hours:
                part = "work (hours)"
            rows.append(
                [
                    stage_label(stage),
                    part,
                    d.family,
                    _n(d.median),
                    f"{_n(d.ci[0])} to {_n(d.ci[1])}",
                    str(d.n),
                    str(d.censored),
                ]
            )
        p = found.passing
        if p is not None and p.n:
            rows.append([stage_label(stage), "pass rate", "share", f"{p.value:.0%}",
                         f"{p.ci[0]:.0%} to {p.ci[1]:.0%}", str(p.n), ""])  # fmt: skip
    return rows


COMPARE = [Column("measure", text=True), Column("n observed"), Column("median observed"),
           Column("95% interval"), Column("not yet (censored)"), Column("n simulated"),
           Column("median simulated"), Column("95% interval "), Column("not yet (censored) "),
           Column("KS statistic"), Column("p-value")]  # fmt: skip


def _compare_table(frame: pd.DataFrame) -> str:
    rows = []
    for r in frame.itertuples(index=False):
        rows.append(
            [
                METRICS[r.metric],
                str(r.observed_n),
                _n(r.observed_median),
                f"{_n(r.observed_ci_low)} to {_n(r.observed_ci_high)}",
                f"{r.observed_censored:.0%}",
                str(r.simulated_n),
                _n(r.simulated_median),
                f"{_n(r.simulated_ci_low)} to {_n(r.simulated_ci_high)}",
                f"{r.simulated_censored:.0%}",
                _n(r.ks_statistic),
                _n(r.p_value),
            ]
        )
    return table(COMPARE, rows)


def _preset_item(size: str, team: str, given: tuple[str, ...]) -> str:
    """The list item naming what the preset, not the export, gave the scenario."""
    rest = ("hours, candidate quality, the shortlist size, committee cadence, rounds of "
            "negotiation.</li>")  # fmt: skip
    preset = f"the <code>{esc(size)}</code> preset"
    if not given:
        return (f"<li>From {preset}, not the export (no export shows them): team sizes "
                f"({esc(team)}), {rest}")  # fmt: skip
    return (f"<li>Team sizes: {esc(team)} ({esc(', '.join(given))} given; the rest from "
            f"{preset}). From the preset too, not the export (no export shows them): {rest}")


def build_page(report: FitReport, images: dict[str, tuple[str, bytes]]) -> str:
    """The HTML page; `images` maps a chart's name to (caption, PNG bytes)."""
    fitted, fit = report.fitted, report.fitted.fit
    clock = ("business days (no activity on weekends: a Mon-Fri calendar was written)"
             if fit.business else "plain days (activity on every day: no calendar)")  # fmt: skip
    team = ", ".join(f"{role.replace('_', ' ')}s: {n}" for role, n in fitted.team.items())
    name = fitted.scenario.name
    parts = [
        f"<h1>Fit report: {esc(name)}</h1>",
        f"<p class='note'>hiresim fit of {esc(fitted.source)}: how well the fitted scenario "
        "fits the export, and whether it predicts a part of the export it was not fitted "
        "on.</p>",
        "<h2>What was fitted</h2><ul>",
        f"<li>{fit.candidates:,} candidates in {fit.requisitions:,} requisition(s) over "
        f"{fit.span_days:.0f} days ({fit.start.date()} to {fit.export_end.date()}).</li>",
        f"<li>Clock: {esc(clock)}. Durations below are on this clock (a team member's work "
        "on business days: in that member's hiring hours, marked hours); time to offer and to "
        "fill are in calendar days.</li>",
        _preset_item(fitted.company_size, team, fitted.given),
        "<li>Patience (first event to withdrawal): "
        + (f"{fit.patience.family}, median {_n(fit.patience.median)} days, n={fit.patience.n}"
           if fit.patience else f"not fitted ({fit.withdrew} withdrawal(s))") + ".</li></ul>",
        "<h2>Each stage's fitted values</h2>",
        table([Column("stage", text=True), Column("what", text=True),
               Column("family", text=True), Column("median"), Column("95% interval"),
               Column("n"), Column("censored")], _stage_rows(fit)),
        "<p class='note'>Medians in the fit's clock, with a 95% percentile bootstrap interval; "
        "pass rates with Wilson's interval. Censored: still in the stage at the export's "
        "end.</p>",
        "<h2>Observed and fitted, stage by stage</h2>",
    ]  # fmt: skip
    parts += [figure(c, png) for n, (c, png) in images.items() if n.startswith("stage_")]
    sim = report.validation
    parts += [
        "<h2>Observed against simulated</h2>",
        f"<p>The fitted scenario simulated over the export's window ({sim.replications} "
        f"replications, {sim.seconds:.1f} s), its event log measured as the export's.</p>",
        _compare_table(report.comparison),
    ]
    if "time_to_offer" in images:
        parts.append(figure(*images["time_to_offer"]))
    parts.append("<h2>Does the fit predict? (held out)</h2>")
    if report.holdout is None:
        parts.append(f"<p class='note'>Skipped: {esc(report.skipped)}</p>")
    else:
        held = report.holdout
        fit_n, held_n = held.requisitions
        how = ("a seeded random share of the requisitions" if held.by == "requisition" else
               "the latest requisitions by their first event (a later period); the simulated "
               "side keeps the requisitions opened from that period's start")  # fmt: skip
        parts += [
            f"<p>{held_n} of {fit_n + held_n} requisitions held out ({esc(how)}); the scenario "
            f"fitted on the other {fit_n}, simulated over the export's window "
            f"({held.simulated.replications} replications) with the whole export's "
            "requisitions a month. A p-value under 0.05 says the held-out times are unlike the "
            "simulated ones.</p>",
            _compare_table(held.table),
        ]  # fmt: skip
        if "holdout" in images:
            parts.append(figure(*images["holdout"]))
    parts.append(
        "<p class='note'>Time to offer: from a candidate's first event in the log to the first "
        "event of its negotiation or final decision (in an export of completions only, that "
        "stage's completion), among the candidates offered by the log's end. Time to fill: "
        "from a requisition's first candidate's first event to its hire's acceptance, among "
        "the requisitions filled by the log's end. Both in calendar days; the simulated log "
        "is cut to the export's window and lifecycle columns, so both sides are censored "
        "alike. Intervals: 95% percentile bootstrap of the median (observed: over candidates "
        "or requisitions; simulated: over whole replications). Test: two-sample "
        "Kolmogorov-Smirnov (scipy.stats.ks_2samp, two-sided).</p>")  # fmt: skip
    return page(f"hiresim fit report: {name}", parts)
