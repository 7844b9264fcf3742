"""The data dictionary: every column of every table hiresim writes, with its unit and meaning.

One place, shipped with the package: `data_dictionary()` gives it as a DataFrame (`table,
column, unit, description`), `describe(table, column)` one entry. The summary's metrics come
from the metric registry (`sim.analysis.metrics.SUMMARY`), each with its `_ci_low` / `_ci_high`
where it has an interval; besides the columns listed, every table has one column per swept
path, named by it (`SWEPT`). `tests/test_metrics.py` holds every column of a run's tables to
an entry here.
"""

from __future__ import annotations

import pandas as pd

from sim.analysis.metrics import PER_HIRE, SUMMARY

SWEPT = ("swept", "one column per swept path, named by it (`team.recruiter`): the cell's value")
"""(unit, description) of the columns a sweep adds to every table."""

_KEYS = {
    "scenario": ("text", "the scenario's name"),
    "cell": ("index", "the sweep cell, 0, 1, ... (0 without a sweep)"),
    "replication": ("index", "the replication, 0 to replications - 1"),
}
_BUSINESS = (
    "working days of the scenario's `calendar` (its workdays less its holidays) among the dates "
    "from the first instant's up to, not including, the second's (`numpy.busday_count`; "
    "`sim.analysis.business`); empty with `calendar: null`"
)
_HOURS = (
    ": work, not elapsed time (time-weighted busy people counted only inside their "
    "hiring hours of the calendar; for owners of requisitions, each person's start -> "
    "complete spans in their own hours; `sim.analysis.costs`)"
)
_WARMUP = "whether the summaries count it: {what} at or after the scenario's `warmup_days`"

APPLICANTS = {
    **_KEYS,
    "requisition": ("index", "the requisition the candidate applied to"),
    "applicant": ("index", "the candidate's number within the requisition"),
    "case_id": ("text", "the candidate, unique across cells and replications (c0-r3-q0-a17)"),
    "search": ("count", "which search brought the candidate: 0 the first, 1 a reopened one, ..."),
    "arrived_day": ("days", "the interview, days since day 0 (`start_date`)"),
    "outcome": ("text", "hired, rejected, withdrew, declined or in_process"),
    "exit_stage": ("stage", "where the candidate was when the outcome came (or the run ended)"),
    "exit_day": ("days", "when the outcome came; empty while in process"),
    "offer_day": ("days", "when an offer was extended; empty without one"),
    "hired_day": ("days", "when onboarding completed; empty unless hired"),
    "time_to_offer_days": ("days", "interview to offer"),
    "time_to_hire_days": ("days", "interview to hire (onboarding complete)"),
    "time_to_decision_days": ("days", "interview to the decision the candidate hears: the offer, "
                              "else the rejection; empty for one who withdrew or still waits"),
    "time_to_decision_business_days": ("business days", "interview to decision, in " + _BUSINESS),
    "quality": ("score", "the candidate's true quality (standard normal)"),
    "assessment": ("score", "what the assessing stages saw of the candidate's quality: the "
                   "running assessment (posterior mean given every signal); empty where no stage "
                   "with a validity assessed the candidate"),
    "quality_of_hire": ("share", "for a hire, the share of the other candidates interviewed in "
                        "the same search whose true quality is below the hire's (1: the best); "
                        "empty for everyone else"),
    "patience_days": ("days", "how long the candidate waits from the interview before taking "
                      "another job; empty: never withdraws"),
    "after_warmup": ("true/false", _WARMUP.format(what="arrived")),
}  # fmt: skip

REQUISITIONS = {
    **_KEYS,
    "requisition": ("index", "the requisition, numbered in the order they open"),
    "opened_day": ("days", "when it opened (0 for those open at the start)"),
    "openings": ("count", "positions to fill"),
    "filled": ("true/false", "every opening has an accepted offer"),
    "filled_day": ("days", "when the last opening's offer was accepted; empty while unfilled"),
    "time_to_fill_days": ("days", "opened_day to filled_day; empty while unfilled"),
    "time_to_fill_business_days": ("business days", "opened to filled, in " + _BUSINESS),
    "interviewed": ("candidates", "candidates who arrived, over every search"),
    "searches": ("count", "searches started: 1 + the times it reopened"),
    "accepted": ("count", "openings with an accepted offer (hires included)"),
    "hired": ("count", "openings whose candidate started"),
    "started_day": ("days", "when the last opening's candidate started; empty until all have"),
    "time_to_start_days": ("days", "opened_day to started_day"),
    "days_open": ("days", "opened to filled, or to the end of the run while unfilled (there its "
                  "time to fill is censored)"),
    "business_days_open": ("business days", "days_open in " + _BUSINESS),
    "after_warmup": ("true/false", _WARMUP.format(what="opened")),
    **{f"{role}_hours": ("hours", f"hours the {role.replace('_', ' ')}s worked in the "
                         "replication, shared over its requisitions by candidates interviewed"
                         + _HOURS) for role in ("recruiter", "hiring_manager")},
    "team_hours": ("hours", "hours every team role worked in the replication, shared likewise"
                   + _HOURS),
    "delay_cost": ("cost", "`costs.per_open_day` x days_open; empty without `costs`"),
    "cost": ("cost", "the team's hours at the `costs.hourly` rates (shared likewise; a role "
             "without a rate costs nothing) + `per_search` x searches + `per_hire` x hired + "
             "delay_cost; nothing else (no agency fees, sourcing, interviews, travel or "
             "relocation); empty without `costs`"),
}  # fmt: skip

EVENTS = {
    "case:concept:name": ("text", "the candidate (the applicants' case_id)"),
    "concept:name": ("text", "the stage, second_interview, rejection_notice, or an outcome"),
    "lifecycle:transition": ("text", "schedule (entering), assign (the stage's wait is over: "
                             "its work asked of the team member, who may be busy; only where "
                             "one works on it), start (work begins), complete"),
    "time:timestamp": ("datetime", "the wall-clock instant"),
    "org:resource": ("text", "the team role doing the work; empty for no one"),
    "scenario": _KEYS["scenario"],
    "cell": _KEYS["cell"],
    "replication": _KEYS["replication"],
    "time_days": ("days", "the same instant as days since day 0"),
}

TEAM_LEVELS = {
    **_KEYS,
    "time_days": ("days", "when the level changed (the last row of a replication: its end)"),
    "resource": ("text", "the team role"),
    "busy": ("people", "people of the role at work from then on; empty in the row that marks "
             "the end of the replication"),
    "queue": ("requests", "requests waiting for the role from then on; empty in the row that "
              "marks the end of the replication"),
    "capacity": ("people", "people in the role"),
}


def _with_interval(name: str, unit: str, text: str) -> dict[str, tuple[str, str]]:
    return {name: (unit, text), f"{name}_ci_low": (unit, f"95% interval, low: {text}"),
            f"{name}_ci_high": (unit, f"95% interval, high: {text}")}  # fmt: skip


INTERVALS = {name for name, metric in SUMMARY.items() if metric.unit == "days"} | {
    "quality_of_hire",
    *PER_HIRE,
}
"""The summary's metrics with a `_ci_low` and a `_ci_high`."""


def _summary() -> dict[str, tuple[str, str]]:
    columns = {
        "scenario": _KEYS["scenario"],
        "cell": _KEYS["cell"],
        "replications": ("count", "replications run"),
        "warmup_days": ("days", "the warm-up left out: only candidates arriving and "
                        "requisitions opening from this day count, and team levels after it"),
    }  # fmt: skip
    for name, metric in SUMMARY.items():
        text = f"{metric.label}: {metric.computed}"
        columns.update(_with_interval(name, metric.unit, text) if name in INTERVALS
                       else {name: (metric.unit, text)})  # fmt: skip
    return columns


STAGES = {
    "scenario": _KEYS["scenario"],
    "cell": _KEYS["cell"],
    "stage": ("stage", "the stage, in the order candidates meet them"),
    "entered": ("candidates", "candidates who entered the stage"),
    "passed": ("candidates", "went on to the next stage"),
    "rejected": ("candidates", "rejected at the stage"),
    "withdrew": ("candidates", "withdrew at the stage"),
    "declined": ("candidates", "declined at the stage"),
    "in_process": ("candidates", "still at the stage when the run ended"),
    "lost_share": ("share", "(withdrew + declined) / entered"),
    "mean_wait_days": ("days", "entering to the work starting (waits and queueing)"),
    "mean_service_days": ("days", "the work"),
    # where the days go (`sim.analysis.waits`): waiting, no one working on the candidate (the
    # stage's own wait, a pool, a docket, the line for an opening, a person's off hours);
    # queueing for a team member busy with others; working
    "mean_waiting_days": ("days", "per visit, no one working on it: entering to the work being "
                          "asked of a team member, plus any wait for that person's working "
                          "hours (all of mean_wait_days where no one works on the stage)"),
    "mean_queueing_days": ("days", "per visit, the work asked of a team member until one, busy "
                           "with others till then, takes it: mean_waiting_days + "
                           "mean_queueing_days = mean_wait_days"),
    "mean_working_days": ("days", "per visit, the work (= mean_service_days)"),
    "offer_waiting_days": ("days", "the typical offered candidate's (time to offer between its "
                           "40th and 60th percentiles) mean days waiting at the stage, days "
                           "between stages counted at the stage before; the offer_ columns of "
                           "a cell sum to those candidates' mean time to offer"),
    "offer_queueing_days": ("days", "as offer_waiting_days, queueing for a team member"),
    "offer_working_days": ("days", "as offer_waiting_days, worked on"),
    "fill_waiting_days": ("days", "the typical filled requisition's (time to fill between its "
                          "40th and 60th percentiles) hire: mean days waiting at the stage up to "
                          "the acceptance that filled it; with fill_search_days the fill_ "
                          "columns sum to those requisitions' mean time to fill"),
    "fill_queueing_days": ("days", "as fill_waiting_days, queueing for a team member"),
    "fill_working_days": ("days", "as fill_waiting_days, worked on"),
    "fill_search_days": ("days", "the typical filled requisition's days from opening to its "
                         "hire's interview (searches, reopened ones included); the cell's, the "
                         "same on each of its rows"),
    "offer_typical_candidates": ("candidates", "how many offered candidates the offer_ "
                                 "columns average over (all replications); the same on each row"),
    "fill_typical_requisitions": ("requisitions", "how many filled requisitions the fill_ "
                                  "columns average over (all replications); the same on each "
                                  "row"),
}

TEAM = {
    "scenario": _KEYS["scenario"],
    "cell": _KEYS["cell"],
    "resource": ("text", "the team role"),
    "capacity": ("people", "people in the role"),
    **_with_interval("utilisation", "share", "time-weighted busy people / capacity after the "
                     "warm-up, mean over replications: a share of the role's people x the whole "
                     "clock from the warm-up to the end of the run (every hour of every day; a "
                     "person is busy from a piece of work's start to its end, off hours between "
                     "included)"),
    **_with_interval("mean_queue_length", "requests", "time-weighted requests waiting after the "
                     "warm-up, mean over replications"),
}  # fmt: skip

COMPARISON = {
    "base_scenario": ("text", "the base scenario's name"),
    "variant": ("text", "the variant scenario's name"),
    "metric": ("text", "the metric, per replication (`sim.analysis.metrics.PER_REPLICATION`)"),
    "label": ("text", "how the metric reads"),
    "unit": ("text", "the metric's unit"),
    "base": ("metric's unit", "the base's level: the metric of each replication, averaged over "
             "the pairs used (a count equals summary.csv's count / replications; a median is "
             "each replication's median averaged, where summary.csv pools the candidates)"),
    "value": ("metric's unit", "the variant's level, computed as `base`"),
    "difference": ("metric's unit", "mean paired difference variant - base"),
    "ci_low": ("metric's unit", "95% t-interval of the difference, low"),
    "ci_high": ("metric's unit", "95% t-interval of the difference, high"),
    "pairs": ("count", "replications where both have the metric (a time to fill undefined in "
              "either is left out)"),
}  # fmt: skip

SENSITIVITY = {
    "parameter": ("text", "the parameter varied, by its dotted path in the scenario"),
    "value": ("parameter's unit", "the value tried (a distribution as one line of YAML)"),
    "metric": ("text", "the metric, named as in the summary, computed per replication"),
    "base": ("metric's unit", "the base's mean over the pairs used"),
    "variant": ("metric's unit", "the variant's mean over the pairs used"),
    **{k: COMPARISON[k] for k in ("difference", "ci_low", "ci_high", "pairs", "label", "unit")},
    "direction": ("text", "lower or higher: the parameter scaled down or up"),
    "factor": ("multiplier", "the factor asked for, 1 - vary or 1 + vary (the value tried may "
               "be rounded, or kept within the field's bounds)"),
    "base_value": ("parameter's unit", "the parameter's value in the base scenario"),
}  # fmt: skip

TABLES = {
    "applicants": APPLICANTS,
    "events": EVENTS,
    "requisitions": REQUISITIONS,
    "team_levels": TEAM_LEVELS,
    "summary": _summary(),
    "stages": STAGES,
    "team": TEAM,
    "comparison": COMPARISON,
    "sensitivity": SENSITIVITY,
}
"""Table -> column -> (unit, description)."""


ROWS = {
    "applicants": "one row per candidate per replication (and sweep cell)",
    "events": "one row per event of a candidate's journey, in time order within each case",
    "requisitions": "one row per requisition per replication (and sweep cell)",
    "team_levels": "one row per change of a team role's level, per replication; each "
                   "replication ends with one row per role whose `busy` and `queue` are empty: "
                   "it marks when the run ended, so the last level's span (and the "
                   "time-weighted utilisation) is known",
    "summary": "one row per sweep cell (one in all without a sweep), every replication pooled",
    "stages": "one row per stage per sweep cell, every replication pooled",
    "team": "one row per team role per sweep cell",
    "comparison": "one row per variant and metric of `hiresim compare` (`comparison.csv`)",
    "sensitivity": "one row per parameter, value tried and metric of `hiresim sensitivity` "
                   "(`sensitivity.csv`)",
}  # fmt: skip
"""What one row of each table is."""

DENOMINATORS = {
    ("summary", "hires_per_replication"): "replications",
    ("summary", "offer_rate"): "candidates interviewed (every outcome, those still in process "
                               "included)",
    ("summary", "acceptance_rate"): "offers answered: offers whose candidate is no longer in "
                                    "process (hired, or declined, backing out before the start "
                                    "included); offers still open at the end are left out",
    ("summary", "fill_rate"): "requisitions (opened after the warm-up), filled or not",
    ("summary", "quality_of_hire"): "for each hire, the other candidates interviewed in the same "
                                    "search; then averaged over the hires",
    ("applicants", "quality_of_hire"): "the other candidates interviewed in the same search",
    ("stages", "lost_share"): "candidates who entered the stage",
    ("team", "utilisation"): "the role's people x the time from the warm-up to the end of the "
                             "run (every hour, not only working hours)",
    ("team", "mean_queue_length"): "the time from the warm-up to the end of the run",
    ("comparison", "base"): "the replications paired (`pairs`)",
    ("comparison", "value"): "the replications paired (`pairs`)",
    ("comparison", "difference"): "the replications paired (`pairs`)",
}  # fmt: skip
"""(table, column) -> what a ratio or mean divides by, for the columns that are one."""


def describe(table: str, column: str) -> tuple[str, str]:
    """(unit, description) of `table`'s `column`; KeyError for a column not described."""
    return TABLES[table][column]


def data_dictionary() -> pd.DataFrame:
    """Every table's columns: `table, column, unit, description, denominator` (what a ratio or
    mean divides by; "" for other columns), swept columns as one row per table (`column`
    "<swept path>")."""
    rows = [
        {"table": table, "column": column, "unit": unit, "description": text,
         "denominator": denominator(table, column)}
        for table, columns in TABLES.items()
        for column, (unit, text) in [*columns.items(), ("<swept path>", SWEPT)]
        if not (table in ("comparison", "sensitivity") and column == "<swept path>")
    ]  # fmt: skip
    return pd.DataFrame(rows)


def denominator(table: str, column: str) -> str:
    """What `table`'s `column` divides by ("" for a column that is no ratio or mean); a
    column's `_ci_low` / `_ci_high` divide as it does."""
    for suffix in ("_ci_low", "_ci_high"):
        column = column.removesuffix(suffix)
    return DENOMINATORS.get((table, column), "")
