"""The metrics hiresim reports, once: each one's name, how it reads for people, its unit and how
it is computed. The summary, the comparison, the comparison chart, the report, the command
line's headline and `Results`' repr all take their names and labels from here.

Two families, named as in the tables that carry them:
- `SUMMARY`: columns of the `summary` table, one row per sweep cell, every replication's
  candidates pooled (`sim.analysis.summaries` computes them);
- `PER_REPLICATION`: statistics of one replication's applicants table, the unit that
  `sim.analysis.compare` pairs replication by replication (its `metric` column). A median here
  is the median of one replication; the summary's is the median of every replication pooled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.scenario.stages import OUTCOMES, stage_label


@dataclass(frozen=True)
class Metric:
    """One reported number."""

    name: str
    """As in its table: a `summary` column, or a `comparison.csv` metric."""
    label: str
    """How it reads for people: "median days to offer", "hires"."""
    unit: str
    """"days", "per replication", "candidates" or "requisitions" (over every replication),
    "share" (0 to 1), "cost per hire" (in the currency of `costs`) or "hours per hire"."""
    computed: str
    """How it is computed, in words."""
    per_replication: Callable[[pd.DataFrame], float] | None = None
    """Its value from one replication's `table` (the metrics `compare` pairs)."""
    table: str = "applicants"
    """The table `per_replication` takes: "applicants" or "requisitions"."""


def _metrics(*metrics: Metric) -> dict[str, Metric]:
    return {metric.name: metric for metric in metrics}


TIMES = {"time_to_offer_days": "offer", "time_to_hire_days": "hire"}
"""The applicants' time columns the headline gives, and what each runs to (from interview)."""
SUMMARY_TIMES = {**TIMES, "time_to_decision_days": "decision"}
"""The applicants' time columns the summary describes: `time_to_decision_days` runs from the
interview to the offer, or to the rejection decision for a candidate rejected without one."""
BUSINESS_TIMES = {"time_to_decision_business_days": ("median",)}
"""The applicants' business-day columns the summary describes, and with which statistics
(business days: `sim.analysis.business`; NaN without a calendar)."""
QUANTILES = {"median": 0.5, "p90": 0.9}
STATISTICS = {
    "mean": ("mean", "pooled mean, with a t-interval over replications as clusters"),
    "median": ("median", "pooled median, with a bootstrap interval resampling replications"),
    "p90": ("90th percentile of", "pooled 90th percentile, bootstrap interval as the median's"),
}
"""Each time column's statistics in the summary (column `<time>_<statistic>`, plus `_ci_low`
and `_ci_high`): how it reads, how it is computed."""

PER_HIRE = {
    "cost_per_hire": "cost",
    "cost_of_delay": "delay_cost",
    "recruiter_hours_per_hire": "recruiter_hours",
    "hiring_manager_hours_per_hire": "hiring_manager_hours",
}
"""The summary's cost and hours metrics (each with `_ci_low` and `_ci_high`), and the column of
the requisitions table each one sums and divides by the hires (`sim.analysis.costs`)."""
COST_COLUMNS = ("recruiter_hours", "hiring_manager_hours", "team_hours", "delay_cost", "cost")
"""The requisitions' hours and cost columns (`sim.analysis.costs.requisition_costs`)."""
_COSTS = {
    "cost_per_hire": (
        "cost per hire", "cost per hire",
        "team hours at the `costs.hourly` rates (each role's hours in its people's hiring "
        "hours, shared over the requisitions by candidates interviewed), plus `per_search` for "
        "each search (first and reopened), `per_hire` for each opening whose candidate started, "
        "and `per_open_day` for each day a requisition stayed open; no agency fees, sourcing "
        "or interviews before the first post-interview stage, travel, relocation, signing "
        "bonuses unless listed in per_hire, or the new hire's own ramp-up. Empty without "
        "`costs`"),
    "cost_of_delay": (
        "cost of delay per hire", "cost per hire",
        "`costs.per_open_day` times the days each requisition stayed open (opened to its last "
        "opening's offer accepted, or to the end of the run while unfilled): the part of the "
        "cost per hire that waiting costs. Empty without `costs`"),
    "recruiter_hours_per_hire": (
        "recruiter hours per hire", "hours per hire",
        "hours the recruiters worked on the modelled stages (references, offers, negotiation, "
        "onboarding paperwork, rejection notices, status updates): time-weighted busy "
        "recruiters inside their hiring hours (work, not elapsed time; 0 without the role)"),
    "hiring_manager_hours_per_hire": (
        "hiring manager hours per hire", "hours per hire",
        "hours the hiring managers worked on the modelled stages (reviews, shortlisting, "
        "decisions, second interviews): time-weighted busy managers inside their hiring hours "
        "(work, not elapsed time: with several managers, each one's start -> complete spans "
        "in their own hiring hours, their vacations left out; 0 without the role)"),
}  # fmt: skip
_PER_HIRE_HOW = (
    "; summed over the requisitions counted (after the warm-up) of every replication and "
    "divided by their hires (openings whose candidate started), with a t-interval over "
    "replications as clusters (a ratio: the delta method)"
)

SUMMARY = _metrics(
    Metric("candidates", "candidates", "candidates", "candidates interviewed, every replication"),
    *(
        Metric(o, stage_label(o), "candidates", f"candidates whose outcome is {o}")
        for o in OUTCOMES
    ),
    Metric("hires_per_replication", "hires", "per replication", "hires / replications"),
    Metric("offer_rate", "offer rate", "share", "candidates offered / candidates"),
    Metric(
        "acceptance_rate", "acceptance rate", "share", "hires / offers answered (not in process)"
    ),
    *(
        Metric(f"{time}_{stat}", f"{words} days to {end}", "days", how)
        for time, end in SUMMARY_TIMES.items()
        for stat, (words, how) in STATISTICS.items()
    ),
    Metric("quality_of_hire", "quality of hire", "share",
           "per hire, the share of the other candidates interviewed in the same search whose "
           "true quality is below the hire's (1: always the best, 0.5: no better than chance), "
           "averaged; t-interval over replications as clusters"),
    Metric("time_to_decision_business_days_median", "median business days to decision", "days",
           "pooled median of the working days (the calendar's workdays less its holidays) "
           "from interview to decision, bootstrap interval resampling replications; "
           "empty without a calendar"),
    Metric("requisitions", "requisitions", "requisitions", "requisitions, every replication"),
    Metric("requisitions_filled", "requisitions filled", "requisitions",
           "requisitions with every opening accepted when the run ended"),
    Metric("requisitions_censored", "requisitions still open", "requisitions",
           "requisitions unfilled when the run ended: their time to fill is censored there"),
    Metric("fill_rate", "fill rate", "share", "requisitions filled / requisitions"),
    *(
        Metric(f"time_to_fill_days_{stat}", f"{STATISTICS[stat][0]} days to fill", "days",
               f"Kaplan-Meier {stat} of days from a requisition opening to its last opening's "
               "offer accepted, unfilled requisitions censored at the end of the run; "
               "bootstrap interval resampling replications")
        for stat in QUANTILES
    ),
    *(
        Metric(f"time_to_fill_business_days_{stat}",
               f"{STATISTICS[stat][0]} business days to fill", "days",
               f"Kaplan-Meier {stat} of the working days (the calendar's workdays less its "
               "holidays) from a requisition opening to its last opening's offer accepted, "
               "censored as the calendar days'; empty without a calendar")
        for stat in QUANTILES
    ),
    *(
        Metric(name, label, unit, how + _PER_HIRE_HOW)
        for name, (label, unit, how) in _COSTS.items()
    ),
)  # fmt: skip
"""The `summary` table's metrics (its other columns name the cell, the replications and the
warm-up, `warmup_days`)."""


def _median(column: str) -> Callable[[pd.DataFrame], float]:
    return lambda a: float(a[column].median()) if a[column].notna().any() else np.nan


def _count(outcome: str) -> Callable[[pd.DataFrame], float]:
    return lambda a: float((a["outcome"] == outcome).sum())


def _fill_median(requisitions: pd.DataFrame) -> float:
    # Kaplan-Meier, as the summary's: NaN while fewer than half are filled
    from sim.analysis.survival import km_quantiles  # it imports this module

    if requisitions.empty:
        return np.nan
    pooled = requisitions[["days_open", "filled"]].to_numpy(dtype=float)
    return float(km_quantiles(pooled, [QUANTILES["median"]])[0])


def _fill_rate(requisitions: pd.DataFrame) -> float:
    return float(requisitions["filled"].mean()) if len(requisitions) else np.nan


def _per_hire(column: str) -> Callable[[pd.DataFrame], float]:
    """One replication's requisitions' `column` summed, per hire; NaN without a hire or a
    value (no `costs`)."""

    def per_hire(requisitions: pd.DataFrame) -> float:
        if column not in requisitions.columns or not requisitions[column].notna().any():
            return np.nan
        hires = float(requisitions["hired"].sum())
        return float(requisitions[column].sum()) / hires if hires > 0 else np.nan

    return per_hire


PER_REPLICATION = _metrics(
    Metric("median_time_to_offer_days", "median time to offer", "days",
           "median days from interview to offer", _median("time_to_offer_days")),
    Metric("median_time_to_hire_days", "median time to hire", "days",
           "median days from interview to hire", _median("time_to_hire_days")),
    Metric("hires", "hires", "per replication", "candidates hired", _count("hired")),
    Metric("offers", "offers", "per replication", "offers made",
           lambda a: float(a["offer_day"].notna().sum())),
    Metric("withdrew", "candidates who withdrew", "per replication", "candidates who withdrew",
           _count("withdrew")),
    Metric("interviewed", "candidates interviewed", "per replication",
           "candidates who arrived (interviewed), every search", lambda a: float(len(a))),
    Metric("interviewed_in_reopened_searches", "interviewed in reopened searches",
           "per replication", "candidates brought by a reopened search (`search` above 0)",
           lambda a: float((a["search"] > 0).sum()) if "search" in a else np.nan),
    Metric("withdrawal_rate", "withdrawal rate", "share", "candidates who withdrew / candidates "
           "interviewed", lambda a: float((a["outcome"] == "withdrew").mean()) if len(a)
           else np.nan),
    Metric("declined", "offers declined", "per replication", "offers declined",
           _count("declined")),
    Metric("time_to_fill_days_median", "median time to fill", "days",
           "Kaplan-Meier median of the replication's days from a requisition opening to its last "
           "opening's offer accepted, unfilled ones censored at the end of the run; undefined "
           "(left out of the pairs) while fewer than half are filled",
           _fill_median, table="requisitions"),
    Metric("fill_rate", "fill rate", "share", "requisitions filled / requisitions, when the run "
           "ended", _fill_rate, table="requisitions"),
    Metric("quality_of_hire", "quality of hire", "share", "mean over the replication's hires of "
           "the share of their search's other candidates of lower true quality",
           lambda a: float(a["quality_of_hire"].mean()) if a["quality_of_hire"].notna().any()
           else np.nan),
    *(
        Metric(name, _COSTS[name][0], _COSTS[name][1], f"the replication's {column} summed "
               "over its requisitions / its hires; undefined (left out of the pairs) without a "
               "hire or without `costs`", _per_hire(column), table="requisitions")
        for name, column in PER_HIRE.items()
    ),
)  # fmt: skip
"""What `compare` computes once per replication and pairs (`comparison.csv`'s metrics), each from
the candidates arriving and the requisitions opening after the scenario's warm-up."""

COMPARISON_HEADLINE = ("median_time_to_offer_days", "hires", "interviewed", "withdrawal_rate",
                       "time_to_fill_days_median")
"""The changes a comparison leads with (`Comparison.headline`, the command line)."""


def change_label(metric: Metric) -> str:
    """An axis of differences in `metric`'s unit: "change in days", "change per replication",
    "change in percentage points" (a share)."""
    if metric.unit == "share":  # drawn and worded in percentage points
        return "change in percentage points"
    return f"change {metric.unit}" if metric.unit.startswith("per ") else f"change in {metric.unit}"
