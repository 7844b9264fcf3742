"""Time to offer and time to fill as an export shows them, measured from a clean event table
(`sim.fit.export`): the observed export and a simulated run of the fitted scenario go through
these same functions, so they are compared like for like.

- **Time to offer** (per candidate): from the candidate's first event in the log to the offer,
  the first event of the candidate's first `negotiation` or `final_decision` visit (in
  hiresim's own log the `schedule` of that stage, the very instant of its `offer` milestone,
  which the clean table leaves out; in an export of completions only, that stage's first
  completion). Candidates never offered by the log's end have none.
- **Time to fill** (per requisition): from its first candidate's first event to the
  acceptance of its (last) hire: the last `complete` of `final_decision` of a candidate whose
  outcome is `hired` or who reached `onboarding` and had not backed out by the log's end (else
  that candidate's last `negotiation` event). Requisitions without
  a hire by the log's end have none.

Both in calendar days (24-hour days, whatever the clock the fit used), as hiresim's own
`time_to_offer_days` is. A log simulated over the export's window (`window`) has the same
censoring: what had not happened by the export's last event is not counted on either side.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

OFFER_STAGES = ("negotiation", "final_decision")
DAY = 86400.0


def _days(start: pd.Series, end: pd.Series) -> pd.Series:
    return (end - start).dt.total_seconds() / DAY


def offers(log: pd.DataFrame) -> pd.DataFrame:
    """One row per candidate: `case`, `requisition`, `world`, `first` (first event), `offer`
    (NaT if none), `time_to_offer_days` (NaN if none), `outcome`."""
    cases = log.groupby("case", sort=False).agg(
        requisition=("requisition", "first"), world=("world", "first"),
        first=("time", "min"), outcome=("outcome", "last"))  # fmt: skip
    offered = log[log.stage.isin(OFFER_STAGES)].groupby("case").time.min()
    cases["offer"] = offered.reindex(cases.index)
    cases["time_to_offer_days"] = _days(cases["first"], cases["offer"])
    return cases.reset_index()


def fills(log: pd.DataFrame) -> pd.DataFrame:
    """One row per requisition (of each world): `requisition`, `world`, `first` (its first
    candidate's first event), `filled` (its last hire's acceptance, NaT if none),
    `time_to_fill_days` (NaN if none), `hires`."""
    started = log.case[log.stage.eq("onboarding") & ~log.outcome.isin(("declined", "withdrew"))]
    hired = log[log.outcome.eq("hired") | log.case.isin(set(started))]
    accept = hired[hired.stage.eq("final_decision") & hired.transition.eq("complete")]
    accepted = accept.groupby("case").time.max()
    fallback = hired[hired.stage.eq("negotiation")].groupby("case").time.max()
    accepted = accepted.combine_first(fallback)
    cases = log.groupby("case", sort=False).agg(
        requisition=("requisition", "first"), world=("world", "first"), first=("time", "min")
    )
    cases["accepted"] = accepted.reindex(cases.index)
    per = cases.groupby(["world", "requisition"], sort=False).agg(
        first=("first", "min"), filled=("accepted", "max"), hires=("accepted", "count")
    )
    per["time_to_fill_days"] = _days(per["first"], per["filled"])
    return per.reset_index()


def like(simulated: pd.DataFrame, observed: pd.DataFrame) -> pd.DataFrame:
    """The simulated clean table cut to what the observed export shows: only the lifecycle
    transitions the export has (an export of completions only: completions only)."""
    return simulated[simulated.transition.isin(set(observed.transition))].reset_index(drop=True)


def window(simulated: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
           from_time: pd.Timestamp | None = None) -> pd.DataFrame:  # fmt: skip
    """The simulated events up to `end` (the export's last event), the run having begun on
    `start`'s day; with `from_time`, only the requisitions whose first event is at or after
    it (a held-out later period)."""
    cut = simulated[simulated.time <= end]
    if from_time is None:
        return cut.reset_index(drop=True)
    first = cut.groupby(["world", "requisition"]).time.transform("min")
    return cut[first >= from_time].reset_index(drop=True)


def censored_share(values: pd.Series) -> float:
    """The share of rows with no value (not offered, or not filled, by the log's end)."""
    return float(values.isna().mean()) if len(values) else float("nan")


def finite(values) -> np.ndarray:
    values = np.asarray(values, float)
    return values[np.isfinite(values)]
