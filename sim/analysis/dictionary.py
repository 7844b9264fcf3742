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

from sim.analysis.metrics import SUMMARY

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
}  # fmt: skip

EVENTS = {
    "case:concept:name": ("text", "the candidate (the applicants' case_id)"),
    "concept:name": ("text", "the stage, second_interview, rejection_notice, or an outcome"),
    "lifecycle:transition": ("text", "schedule (entering), start (work begins), complete"),
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
    "busy": ("people", "people of the role at work from then on"),
    "queue": ("requests", "requests waiting for the role from then on"),
    "capacity": ("people", "people in the role"),
}


def _with_interval(name: str, unit: str, text: str) -> dict[str, tuple[str, str]]:
    return {name: (unit, text), f"{name}_ci_low": (unit, f"95% interval, low: {text}"),
            f"{name}_ci_high": (unit, f"95% interval, high: {text}")}  # fmt: skip


INTERVALS = {name for name, metric in SUMMARY.items() if metric.unit == "days"} | {
    "quality_of_hire"}
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
                     "warm-up, mean over replications"),
    **_with_interval("mean_queue_length", "requests", "time-weighted requests waiting after the "
                     "warm-up, mean over replications"),
}  # fmt: skip

COMPARISON = {
    "base_scenario": ("text", "the base scenario's name"),
    "variant": ("text", "the variant scenario's name"),
    "metric": ("text", "the metric, per replication (`sim.analysis.metrics.PER_REPLICATION`)"),
    "label": ("text", "how the metric reads"),
    "unit": ("text", "the metric's unit"),
    "base": ("metric's unit", "the base's mean over the pairs used"),
    "value": ("metric's unit", "the variant's mean over the pairs used"),
    "difference": ("metric's unit", "mean paired difference variant - base"),
    "ci_low": ("metric's unit", "95% t-interval of the difference, low"),
    "ci_high": ("metric's unit", "95% t-interval of the difference, high"),
    "pairs": ("count", "replications where both have the metric (a time to fill undefined in "
              "either is left out)"),
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
}
"""Table -> column -> (unit, description)."""


def describe(table: str, column: str) -> tuple[str, str]:
    """(unit, description) of `table`'s `column`; KeyError for a column not described."""
    return TABLES[table][column]


def data_dictionary() -> pd.DataFrame:
    """Every table's columns: `table, column, unit, description`, swept columns as one row per
    table (`column` "<swept path>")."""
    rows = [
        {"table": table, "column": column, "unit": unit, "description": text}
        for table, columns in TABLES.items()
        for column, (unit, text) in [*columns.items(), ("<swept path>", SWEPT)]
        if not (table == "comparison" and column == "<swept path>")
    ]
    return pd.DataFrame(rows)
