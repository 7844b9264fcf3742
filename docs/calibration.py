"""Calibration and validation of the company-size presets against published figures.

Run from the repository's root:

    python docs/calibration.py [--replications N] [--workers N]

It runs the five presets (`sim/scenario/presets.py`), each as `{"company": {"size": ...}}` with
a fixed seed, and writes `docs/calibration.md`: the *calibration* targets (the figures the
CALIBRATED values were tuned to, mid preset only) and the *validation* targets (figures never
tuned to, each with a plausible range and a verdict) in separate tables, the per-preset figures,
the values that are assumptions and how to recalibrate. A figure used for tuning never counts as
validation.

Intervals are 95% percentile bootstraps that resample whole replications (the candidates of one
replication share a team and are not independent), as `sim.analysis.summaries` does; the
functions here (`bootstrap`, `bootstrap_difference`) do the same for quantities the summary has
no interval for. `notebooks/04_validation.ipynb` imports this file by path and reuses them.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

import sim
from sim.analysis.summaries import (
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    CONFIDENCE,
    bootstrap_interval,
)
from sim.scenario.presets import ACCEPT, MANAGER_HOURS, PRESETS
from sim.scenario.types import SIZES

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "calibration.md"
PRESETS_FILE = ROOT / "sim" / "scenario" / "presets.py"
SEED = 2026  # the shipped baselines' seed
REPLICATIONS = 20

# The published figures, in ../shared/DOMAIN.md's words.
GLASSDOOR_2017 = ("Glassdoor 2017, ~84k interview reviews: application to offer or rejection, "
                  "US, 23.8 days")  # fmt: skip
GLASSDOOR_2020 = "Glassdoor 2020: offers accepted, US, about 83% (17.3% rejected)"
LEVER_2016 = ("Lever 2016, 1,000 companies: larger companies' processes run about 8-9 days "
              "longer")  # fmt: skip
SHRM_2016 = "SHRM Human Capital Benchmarking 2016: time to fill a position, 42 days"
DHI_JOLTS = ("DHI Group / JOLTS, Jan-Jul 2017 (secondary): working days to fill, "
             "professional/business 25.2")  # fmt: skip
STERLING_2022 = ("Sterling 2022, 3,777 job seekers: 26% dropped out of a process; of those, "
                 "39% because the process was too long; Robert Half 2016: with a long process "
                 "39% lose interest and pursue other roles")  # fmt: skip
ROBERT_HALF_2016 = ("Robert Half 2016: 23% of candidates lose interest within a week of the "
                    "interview without news; a further 46% within 1-2 weeks")
NACE_2023 = "NACE 2023: first interview to offer or rejection, college hiring, 25.1 days"

Estimate = tuple[float, float, float]  # (point, low, high)


# --- running the presets -------------------------------------------------------------------


def preset_scenario(size: str, horizon_days: float | None = None) -> sim.Scenario:
    """The preset for `size` as a scenario with the fixed seed (and a shorter horizon, for
    quick checks)."""
    document = {"name": f"{size}-preset", "seed": SEED, "company": {"size": size}}
    if horizon_days is not None:
        document["horizon_days"] = horizon_days
    return sim.load_scenario(document)


def run_presets(
    sizes: Sequence[str] = SIZES,
    replications: int = REPLICATIONS,
    workers: int = 1,
    horizon_days: float | None = None,
) -> dict[str, sim.Results]:
    """Each preset in `sizes`, run `replications` times: {size: results}."""
    return {
        size: sim.run(
            preset_scenario(size, horizon_days), replications=replications, workers=workers
        )  # fmt: skip
        for size in sizes
    }


# --- bootstrap over replications ----------------------------------------------------------


def pooled_median(values: np.ndarray) -> float:
    return float(np.median(values)) if len(values) else np.nan


def pooled_mean(values: np.ndarray) -> float:
    return float(np.mean(values)) if len(values) else np.nan


def _percentiles(values: np.ndarray, confidence: float) -> tuple[float, float]:
    alpha = (1 - confidence) / 2
    if np.isnan(values).all():  # no resample saw the event (a very short run)
        return np.nan, np.nan
    low, high = np.nanquantile(values, [alpha, 1 - alpha])
    return float(low), float(high)


def bootstrap(
    groups: Sequence[np.ndarray], statistic: Callable[[np.ndarray], float] = pooled_median
) -> Estimate:
    """`statistic` of the pooled `groups` (one array per replication) and its percentile
    bootstrap interval, resampling whole groups: the summary's own interval
    (`sim.analysis.summaries.bootstrap_interval`, same resamples and seed)."""
    groups = [np.asarray(g, dtype=float) for g in groups]
    point = statistic(np.concatenate(groups)) if groups else np.nan
    if len(groups) < 2:
        return point, np.nan, np.nan
    low, high = bootstrap_interval(groups, statistic, CONFIDENCE)
    return point, float(low), float(high)


def bootstrap_difference(
    groups_a: Sequence[np.ndarray],
    groups_b: Sequence[np.ndarray],
    statistic: Callable[[np.ndarray], float] = pooled_median,
    resamples: int = BOOTSTRAP_RESAMPLES,
    confidence: float = CONFIDENCE,
    seed: int = BOOTSTRAP_SEED,
) -> Estimate:
    """statistic(b) - statistic(a), each of its pooled groups (replications), with a percentile
    bootstrap interval that resamples the replications of a and of b independently."""
    groups_a = [np.asarray(g, dtype=float) for g in groups_a]
    groups_b = [np.asarray(g, dtype=float) for g in groups_b]
    point = statistic(np.concatenate(groups_b)) - statistic(np.concatenate(groups_a))
    if len(groups_a) < 2 or len(groups_b) < 2:
        return point, np.nan, np.nan
    rng = np.random.default_rng(seed)
    picks_a = rng.integers(0, len(groups_a), size=(resamples, len(groups_a)))
    picks_b = rng.integers(0, len(groups_b), size=(resamples, len(groups_b)))
    values = np.array([
        statistic(np.concatenate([groups_b[i] for i in b]))
        - statistic(np.concatenate([groups_a[i] for i in a]))
        for a, b in zip(picks_a, picks_b, strict=True)
    ])  # fmt: skip
    return (point, *_percentiles(values, confidence))


def per_replication(table: pd.DataFrame, values: pd.Series) -> list[np.ndarray]:
    """`values` (aligned with `table`, NaN = not counted) as one array per replication."""
    return [
        one.dropna().to_numpy(dtype=float)
        for _, one in values.groupby(table["replication"], sort=True)
    ]


# --- the measures -------------------------------------------------------------------------


def time_to_offer(results: sim.Results) -> list[np.ndarray]:
    """Days from interview to offer of the offered candidates, per replication."""
    return per_replication(results.applicants, results.applicants["time_to_offer_days"])


def acceptance(results: sim.Results) -> Estimate:
    """Share of answered offers accepted (the summary's `acceptance_rate`: hires / offers no
    longer in process) with a bootstrap interval over replications."""
    a = results.applicants
    answered = a["offer_day"].notna() & a["outcome"].ne("in_process")
    return bootstrap(per_replication(a, a["outcome"].eq("hired").where(answered)), pooled_mean)


def withdrawal(results: sim.Results) -> Estimate:
    """Share of interviewed candidates with an outcome (not still in process at the end) who
    withdrew, with a bootstrap interval over replications."""
    a = results.applicants
    ended = a["outcome"].ne("in_process")
    return bootstrap(per_replication(a, a["outcome"].eq("withdrew").where(ended)), pooled_mean)


def withdrawal_within_a_week(results: sim.Results) -> Estimate:
    """Share of the candidates interviewed at least a week before the run ended who withdrew
    within 7 days of the interview, with a bootstrap interval over replications."""
    a = results.applicants
    seen = a["arrived_day"] <= results.scenario.horizon_days - 7
    early = a["outcome"].eq("withdrew") & (a["exit_day"] - a["arrived_day"] <= 7)
    return bootstrap(per_replication(a, early.where(seen)), pooled_mean)


def summary_estimate(results: sim.Results, column: str) -> Estimate:
    """A summary column with its interval columns (`_ci_low`, `_ci_high`)."""
    row = results.summary.iloc[0]
    return float(row[column]), float(row[f"{column}_ci_low"]), float(row[f"{column}_ci_high"])


def size_gap(results: dict[str, sim.Results], small: str = "startup", large: str = "enterprise"):
    """Median time to offer at `large` minus at `small`, in days, with the independent
    bootstrap over each preset's replications."""
    return bootstrap_difference(time_to_offer(results[small]), time_to_offer(results[large]))


# --- the tables ---------------------------------------------------------------------------


def fmt(estimate: Estimate, digits: int = 1, pct: bool = False) -> str:
    """'23.8 [23.1, 24.8]' (or in per cent)."""
    scale, unit = (100, "%") if pct else (1, "")
    point, low, high = (scale * v for v in estimate)
    if np.isnan(low) or np.isnan(high):
        return f"{point:.{digits}f}{unit} [no interval]"
    return f"{point:.{digits}f}{unit} [{low:.{digits}f}, {high:.{digits}f}]"


def verdict(estimate: Estimate, low: float, high: float) -> str:
    """Whether the estimate lies inside the plausible range [low, high]."""
    point, ci_low, ci_high = estimate
    if not low <= point <= high:
        return "OUTSIDE"
    if ci_low >= low and ci_high <= high:
        return "inside"
    return "inside (interval crosses the range's edge)"


def calibration_table(results: dict[str, sim.Results]) -> pd.DataFrame:
    """The figures the CALIBRATED values were tuned to (mid preset only)."""
    if "mid" not in results:
        return pd.DataFrame(columns=CALIBRATION_COLUMNS)
    mid = results["mid"]
    offer = summary_estimate(mid, "time_to_offer_days_median")
    accept = acceptance(mid)
    rows = [
        ("mid", "median days from interview to offer", "23.8 days", GLASSDOOR_2017,
         fmt(offer), f"MANAGER_HOURS = {MANAGER_HOURS:g} hours a week", _hit(offer, 23.8)),
        ("mid", "offers accepted (hires / offers answered)", "83%", GLASSDOOR_2020,
         fmt(accept, pct=True), f"ACCEPT = {ACCEPT:g}", _hit(accept, 0.83)),
    ]  # fmt: skip
    table = pd.DataFrame(
        [(*row[:5], "CALIBRATION", *row[5:]) for row in rows], columns=CALIBRATION_COLUMNS
    )
    return table


CALIBRATION_COLUMNS = ["preset", "measure", "target", "source", "model [95% CI]", "role",
                       "tuned with", "target inside the interval"]  # fmt: skip
VALIDATION_COLUMNS = ["preset", "measure", "target", "source", "model [95% CI]", "role",
                      "plausible range", "verdict"]  # fmt: skip


def _hit(estimate: Estimate, target: float) -> str:
    return "yes" if estimate[1] <= target <= estimate[2] else "no: retune (see below)"


def validation_table(results: dict[str, sim.Results]) -> pd.DataFrame:
    """Figures never tuned to, each with its plausible range and a verdict; a row appears when
    the presets it needs were run."""
    rows = []
    if {"startup", "enterprise"} <= results.keys():
        gap = size_gap(results)
        rows.append(("enterprise - startup", "difference of median days from interview to "
                     "offer", "8-9 days", LEVER_2016, fmt(gap), "3-21 days (a few days to three "
                     "weeks)", verdict(gap, 3, 21)))  # fmt: skip
    if "mid" in results:
        mid = results["mid"]
        fill = summary_estimate(mid, "time_to_fill_days_median")
        rows.append(("mid", "median days to fill a requisition (opening to offer accepted, "
                     "Kaplan-Meier)", "42 days", SHRM_2016, fmt(fill), "25-70 days",
                     verdict(fill, 25, 70)))  # fmt: skip
        business = summary_estimate(mid, "time_to_fill_business_days_median")
        rows.append(("mid", "median business days to fill a requisition (Kaplan-Meier)",
                     "25.2 working days", DHI_JOLTS, fmt(business, 0),
                     "12.7-49 working days (DHI's span across sectors)",
                     verdict(business, 12.7, 49)))  # fmt: skip
        gone = withdrawal(mid)
        rows.append(("mid", "share of interviewed candidates who withdraw (of those with an "
                     "outcome)", "about 10% (26% x 39%) for slowness; 26% for any reason",
                     STERLING_2022, fmt(gone, pct=True), "0-26% (at most Sterling's any-reason "
                     "share)", verdict(gone, 0, 0.26)))  # fmt: skip
        week = withdrawal_within_a_week(mid)
        rows.append(("mid", "share of candidates who withdraw within a week of the interview "
                     "(no status updates in the preset)", "23% lose interest (an upper bound: "
                     "not all who lose interest withdraw)", ROBERT_HALF_2016,
                     fmt(week, pct=True), "0-23%", verdict(week, 0, 0.23)))  # fmt: skip
        decision = summary_estimate(mid, "time_to_decision_days_median")
        rows.append(("mid", "median days from interview to offer or rejection", "25.1 days",
                     NACE_2023, fmt(decision), "14-35 days (two to five weeks)",
                     verdict(decision, 14, 35)))  # fmt: skip
    if len(results) > 1:
        for column, label in ORDERED:
            order = [size for size in SIZES if size in results]
            medians = [results[size].summary.iloc[0][column] for size in order]
            chain = ", ".join(f"{size} {m:.1f}" for size, m in zip(order, medians, strict=True))
            rising = bool(np.all(np.diff(medians) >= 0))
            rows.append(("all run", f"order of {label} by size", "larger companies slower",
                         LEVER_2016, chain, "non-decreasing from startup to enterprise",
                         "inside" if rising else "OUTSIDE (not in size order)"))  # fmt: skip
    return pd.DataFrame(
        [(*row[:5], "VALIDATION", *row[5:]) for row in rows], columns=VALIDATION_COLUMNS
    )


ORDERED = [("time_to_offer_days_median", "median days to offer"),
           ("time_to_fill_days_median", "median days to fill")]  # fmt: skip


def preset_table(results: dict[str, sim.Results]) -> pd.DataFrame:
    """Per preset: median days to offer and to fill, acceptance and withdrawal, with intervals."""
    rows = []
    for size, one in results.items():
        s = one.summary.iloc[0]
        rows.append({
            "preset": size,
            "median days to offer": fmt(summary_estimate(one, "time_to_offer_days_median")),
            "median days to fill": fmt(summary_estimate(one, "time_to_fill_days_median")),
            "median business days to fill":
                fmt(summary_estimate(one, "time_to_fill_business_days_median"), 0),
            "offers accepted": fmt(acceptance(one), pct=True),
            "withdrew": fmt(withdrawal(one), pct=True),
            "requisitions (censored)":
                f"{int(s['requisitions'])} ({int(s['requisitions_censored'])})",
        })  # fmt: skip
    return pd.DataFrame(rows)


def structure_table() -> pd.DataFrame:
    """Each preset's structure, read from the presets themselves."""
    rows = []
    for size in SIZES:
        p = PRESETS[size]
        team, follow_up = p["team"], p["stages"]["follow_up"]
        rows.append({
            "preset": size,
            "open requisitions": p["company"]["requisitions"],
            "recruiters": team["recruiter"]["count"],
            "hiring managers": team["hiring_manager"]["count"],
            "manager hours a week": team["hiring_manager"]["hours_per_week"],
            "sign-offs": follow_up["approvals"],
            "weekly committee": "yes" if "committee" in team else "no",
            "second interview": f"{follow_up['second_interview_prob']:.0%}",
            "interviewed per requisition": p["applicants"]["per_requisition"],
        })  # fmt: skip
    return pd.DataFrame(rows)


def assumptions(path: Path = PRESETS_FILE) -> list[tuple[str, str]]:
    """(where, what) for every value `presets.py` marks ASSUMPTION or CALIBRATED: module
    constants by their docstring, dictionary entries by their comment."""
    source = path.read_text()
    found = []
    tree = ast.parse(source)
    body = tree.body
    for node, after in zip(body, body[1:], strict=False):
        text = getattr(getattr(after, "value", None), "value", None)
        if isinstance(node, ast.Assign) and isinstance(text, str):
            for mark in ("ASSUMPTION", "CALIBRATED"):
                if text.startswith(mark):
                    name = node.targets[0].id
                    value = ast.literal_eval(node.value)
                    found.append((f"`{name} = {value}`", " ".join(text.split())))
    lines = source.splitlines()
    for number, line in enumerate(lines):
        match = re.search(r"#\s*(ASSUMPTION\b.*)", line)
        if not match or number < 60:  # the module docstring and the structure table's header
            continue
        text = [match.group(1)]
        for following in lines[number + 1 :]:
            stripped = following.strip()
            if not stripped.startswith("#") or "ASSUMPTION" in stripped:
                break
            text.append(stripped.lstrip("# "))
        code = line[: match.start()].strip()
        target = number
        while not code:  # a comment on its own line annotates the next line of code
            target += 1
            code = lines[target].split("#")[0].strip()
        value = _value_text(lines[target])
        found.append((f"`{_key_path(lines, target)}`{value}", " ".join(text)))
    return found


UNITS = {"_business_days": "business days", "_hours": "working hours", "_ln": "days"}


def _value_text(line: str) -> str:
    """' = median 1, p90 3 business days' for a lognormal helper, ' = 14.0' for a literal."""
    if match := re.search(r"(_business_days|_hours|_ln)\(([\d.]+), ([\d.]+)\)", line):
        helper, median, p90 = match.groups()
        return f" = lognormal, median {median}, p90 {p90} {UNITS[helper]}"
    if match := re.match(r'\s*"\w+": ([^{(]+?),?$', line.split("#")[0].rstrip()):
        return f" = {match.group(1)}"
    return ""


def _key_path(lines: list[str], number: int) -> str:
    """The dotted path of the dictionary entry on line `number` (by indentation)."""

    def key(line: str) -> str | None:
        if match := re.match(
            r'\s*"(\w+)": \{"(?!dist)(\w+)":', line
        ):  # "candidate": {"patience": ..
            return ".".join(match.groups())
        if match := re.match(r'\s*(\w+)\["(\w+)"\]', line):  # team["committee"] = 1
            return ".".join(match.groups())
        if match := re.match(r"\s*(\w+) = \{", line):  # decision = {  (one of two forms)
            return f"stages.{match.group(1)}"
        match = re.match(r'\s*"(\w+)":', line)
        return match.group(1) if match else None

    def indent(line: str) -> int:
        return len(line) - len(line.lstrip())

    path = [key(lines[number]) or lines[number].strip().rstrip(",")]
    level = indent(lines[number])
    for line in reversed(lines[:number]):
        if line.strip() and indent(line) < level:
            level = indent(line)
            if line.rstrip().endswith("{") and key(line):
                path.insert(0, key(line))
            if level <= 8:  # the top of the preset's mapping
                break
    return ".".join(path)


# --- the report ---------------------------------------------------------------------------


def retune_notes(calibration: pd.DataFrame) -> str:
    """A line per calibration target the model's interval misses."""
    missed = calibration[calibration["target inside the interval"].str.startswith("no")]
    return "".join(
        f"\n\n**Retune:** {row.measure}: the target {row.target} lies outside the model's "
        f"{row._4}; change `{row._6.split(' = ')[0]}` (see How to recalibrate)."
        for row in missed.itertuples(index=False)
    )


def stale_targets() -> str:
    """A warning when a CALIBRATED value's docstring names a figure this document validates."""
    validated = re.compile(r"NACE|25\.1|Lever|SHRM")
    stale = [where for where, text in assumptions()
             if text.startswith("CALIBRATED") and validated.search(text)]  # fmt: skip
    if not stale:
        return ""
    return (
        f"\n\n**Note:** the docstring of {', '.join(stale)} in `presets.py` names a figure this "
        "document uses for validation (see the list of assumptions below). The calibration "
        "target here is the one in the table above; either the docstring is out of date or "
        "the figure must leave the validation table."
    )


def markdown_table(table: pd.DataFrame) -> str:
    cells = [[str(v).replace("|", "\\|") for v in row] for row in table.itertuples(index=False)]
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in cells])


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                             capture_output=True, text=True, check=True)  # fmt: skip
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def report(
    results: dict[str, sim.Results],
    replications: int,
    workers: int,
    seconds: float,
    command: str | None = None,
) -> str:
    """docs/calibration.md's text; `command` is how to rerun it (by default the full run)."""
    gap = size_gap(results) if {"startup", "enterprise"} <= results.keys() else None
    return TEMPLATE.format(
        date=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        commit=git_commit(),
        version=sim.__version__,
        replications=replications,
        workers=workers,
        cpus=os.cpu_count(),
        command=command
        or f"python docs/calibration.py --replications {replications} --workers {workers}",
        horizon=next(iter(results.values())).scenario.horizon_days,
        seconds=f"{seconds:.0f}",
        seed=SEED,
        sizes=", ".join(results),
        calibration=markdown_table(calibration := calibration_table(results))
        + retune_notes(calibration)
        + stale_targets(),
        validation=markdown_table(validation_table(results)),
        presets=markdown_table(preset_table(results)),
        structure=markdown_table(structure_table()),
        assumptions="\n".join(f"- {where}: {what}" for where, what in assumptions()),
        gap=fmt(gap) if gap else "not run",
        manager_hours=f"{MANAGER_HOURS:g}",
        accept=f"{ACCEPT:g}",
    )


TEMPLATE = """\
# Calibration and validation of the company-size presets

Generated by `docs/calibration.py`; do not edit by hand. To rerun (from the repository's root):

    {command}

- Ran on {date}, commit `{commit}` (hiresim {version}).
- Presets: {sizes}; {replications} replications each; seed {seed}.
- Runtime: {seconds} s of simulation, wall clock, with {workers} worker process(es) on a
  {cpus}-core machine.

Each preset is run as `{{"company": {{"size": ...}}}}`: the preset exactly as
`sim/scenario/presets.py` defines it (what `scenarios/<size>_baseline.yaml` also runs), a
Monday-Friday calendar with US holidays, requisitions open at the start and opening every month,
a {horizon:g}-day horizon.

Intervals are 95% percentile bootstraps resampling whole replications (2,000 resamples). Medians
of time to offer and time to decision pool the candidates of all replications; time to fill is
the requisitions' Kaplan-Meier median (requisitions still open at the end of the run are
censored, not dropped). Shares (acceptance, withdrawal) pool the candidates, with the same
bootstrap.

**Calibration and validation are kept apart.** Two values in the presets are CALIBRATED: they
were tuned until the mid preset matched a published figure, so matching that figure proves
nothing beyond the tuning. Every other figure below was never tuned to: it is VALIDATION, with a
plausible range stated before the comparison and a verdict. A figure used for tuning never
counts as validation.

## Calibration (tuned to; mid preset only)

{calibration}

- Glassdoor 2017's span starts at the application and ends at an offer *or a rejection*; the
  model's clock starts at the interview and this measure counts offers only. It is used as the
  target for interview to offer because it is the best-known figure for the length of the
  interview process; a model tuned to it is, if anything, slow after the interview.
- `MANAGER_HOURS` is the same in every preset; only the mid preset was tuned. The other presets'
  times follow from their structure (requisitions per manager, sign-offs, committee, second
  interviews) at the same hours, which is what the validation of the size gap tests.
- `ACCEPT` is the acceptance before the loss for slow offers (one point per week) and the
  walk-aways during negotiation, so the model's acceptance lies below it.

## Validation (never tuned to)

{validation}

Verdict: *inside* when the whole 95% interval lies in the plausible range, *inside (interval
crosses the range's edge)* when the estimate does but not its whole interval, *OUTSIDE* when the
estimate does not.

- **Size gap vs Lever 2016.** Enterprise minus startup median time to offer: {gap} days, against
  Lever's 8-9 days. The gap comes out of the structure alone (no preset stretches any wait); it
  is checked only for plausibility, a few days to three weeks. Lever compares whole processes at
  1,000 companies, not interview to offer at five made-up sizes. The presets share a seed
  (common random numbers), so resampling each preset's replications independently, as here,
  most likely gives a conservative (wide) interval.
- **Time to fill vs SHRM 2016.** SHRM counts from the requisition's opening, as the model does,
  but its 42 days include sourcing and first interviews, for which the model's arrival process
  (candidates interviewed at a steady rate from the opening) only stands in. Closing at the
  accepted offer, as the model does, and not at the start date, is SHRM's usual definition.
- **Time to fill in business days vs DHI/JOLTS.** A secondary source (the JOLTS-based DHI
  measure, quoted by others), and an average over all hires in professional and business
  services, not a median for one company; the range is DHI's own span across sectors
  (construction 12.7 to health 49 working days).
- **Withdrawals vs Sterling 2022 and Robert Half 2016.** A plausibility comparison only.
  Comparable: both count candidates leaving a process of their own accord, and Sterling's 39%
  "too long" is the model's only reason to withdraw (patience running out). Not comparable:
  Sterling's 26% is a share of *job seekers* who dropped out of *some* process during a whole
  search, at any stage and for any reason; the model's share is per interviewed candidate in one
  process. So Sterling's 26% bounds a single process's share from above, and 26% x 39% = about
  10% is the part due to slowness. Robert Half's figures (23% lose interest within a week of the
  interview without news; 39% with a long process) are about *losing interest*, a step before
  withdrawing, and are context, not a target.
- **Time to decision vs NACE 2023.** Reported as it is, even though it is far off. NACE's 25.1
  days run from the first interview to an offer or a rejection in college hiring. In the model
  most rejected candidates are turned down at initial review within days of the interview and
  told at once, so the median over offers and rejections is short. Real employers often keep a
  rejected candidate waiting until someone is hired, which the model does not represent, and
  NACE's *first* interview can be an earlier step than the model's interview.
- **Order by size.** Lever 2016 and DOMAIN.md's reading of it: larger companies are slower. The
  check is on the point estimates; neighbouring sizes' intervals can overlap.

## Per preset

{presets}

The mid preset's median days to offer is the calibration target above, not a validation; the
other presets' values are validation of the size structure only through the size gap and the
order by size.

## What is an ASSUMPTION

No published figure exists for these values (../shared/DOMAIN.md: not hiring managers' hours,
reference-check or negotiation durations, approval layers or committee cadence). They are marked
in `sim/scenario/presets.py` and listed here as read from it (CALIBRATED values too):

{assumptions}

The structure each size gets (`_STRUCTURE` in `presets.py`), each an ASSUMPTION except where
cited there (SHRM's median of 15-20 open requisitions per recruiter; OfficeTeam's 6 candidates
interviewed per opening, more at larger firms, Lever 2016):

{structure}

## How to recalibrate

1. Change `MANAGER_HOURS` (now {manager_hours} hours a week; more hours, shorter time to offer)
   or `ACCEPT` (now {accept}; acceptance moves with it, a few points below) in
   `sim/scenario/presets.py`. To try values before editing, override them on the mid preset:
   `sim.override(scenario, {{"team.hiring_manager.hours_per_week": 8,
   "stages.final_decision.accept_prob": 0.93}})`.
2. Rerun `python docs/calibration.py --workers 2` and check the calibration table: each target
   inside its interval. Only then read the validation table: its figures must not be used to
   choose the values.
3. Commit `docs/calibration.md` with the preset change, and regenerate the golden baselines
   (the shipped scenarios' statistics move too).
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--replications",
        type=int,
        default=REPLICATIONS,
        help=f"replications per preset (default {REPLICATIONS})",
    )
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument(
        "--sizes",
        nargs="+",
        choices=SIZES,
        default=list(SIZES),
        help="presets to run (default all five)",
    )
    parser.add_argument(
        "--horizon-days",
        type=float,
        default=None,
        help="shorter runs for quick checks (default: the presets' horizon)",
    )
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where to write the report")
    args = parser.parse_args(argv)  # fmt: skip
    started = time.perf_counter()
    results = run_presets(args.sizes, args.replications, args.workers, args.horizon_days)
    seconds = time.perf_counter() - started
    command = (
        f"python docs/calibration.py --replications {args.replications} --workers {args.workers}"
    )
    if args.sizes != list(SIZES):
        command += " --sizes " + " ".join(args.sizes)
    if args.horizon_days is not None:
        command += f" --horizon-days {args.horizon_days:g}"
    if args.output != OUTPUT:
        command += f" --output {args.output}"
    args.output.write_text(report(results, args.replications, args.workers, seconds, command))
    print(f"wrote {args.output} ({args.replications} replications per preset, {seconds:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
