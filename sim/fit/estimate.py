"""Per-stage estimates from a clean event table (`sim.fit.export`).

Durations: exponential, lognormal and gamma fitted by maximum likelihood (scipy.stats, the
location fixed at 0), right-censored durations of candidates still in a stage at the export
date included (their log-likelihood is the survival function's); the family with the lowest AIC
is kept. Intervals: 95% percentile bootstrap (BOOTSTRAP resamples of the candidates, complete
and censored together, the chosen family refitted) for a duration's median; Wilson's score
interval for a proportion.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from sim.model.calendar import DAY_STARTS_AT
from sim.scenario.stages import JOURNEY

EPS = 1e-4  # days: a zero duration, fitted as this (lognormal and gamma need positive values)
BOOTSTRAP = 50
NO_WAIT = 1e-3  # days (under 1.5 minutes): a median wait this short is written as no wait
FAMILIES = {"exponential": stats.expon, "lognormal": stats.lognorm, "gamma": stats.gamma}
WEEKEND = (5, 6)
EPOCH = np.datetime64("2000-01-03")  # a Monday: working hours are counted from it
FAILED = {
    "negotiation": ("declined",),
    "final_decision": ("declined",),
    "follow_up": ("rejected", "declined"),
    "onboarding": ("declined",),
}
"""The outcomes that count as failing a stage (default: rejected). A withdrawal is the
candidate's patience running out, estimated apart: it counts as neither passing nor failing."""


@dataclass
class Duration:
    family: str  # exponential | lognormal | gamma | fixed
    params: dict  # as the scenario writes it: {mean} | {median, p90} | {mean, cv} | {value}
    median: float
    ci: tuple[float, float]
    n: int
    censored: int
    aic: dict = field(default_factory=dict)
    done: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    """The complete durations fitted (on the fit's clock; a zero one as EPS)."""
    open: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    """The censored ones: still running at the export's end, this long so far."""
    frozen: object = field(default=None, repr=False)
    """The fitted scipy distribution (None for `fixed`), for the fit report's charts."""


@dataclass
class Proportion:
    value: float
    ci: tuple[float, float]
    n: int


def wilson(successes: int, n: int) -> Proportion:
    if n == 0:
        return Proportion(float("nan"), (float("nan"), float("nan")), 0)
    p, z = successes / n, 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Proportion(p, (max(0.0, centre - half), min(1.0, centre + half)), n)


def business(clock_days: np.ndarray, start: pd.Series, end: pd.Series) -> np.ndarray:
    """Durations in business days: the time between inside Monday to Friday, whole 24-hour
    days, as the model counts a business-day wait (from Saturday 10:00, a business day
    later is Tuesday 00:00: one business day, not 0.58)."""
    return working_hours(start, end, 24.0, opens=0.0) / 24.0


def _fit_one(name: str, done: np.ndarray, open_: np.ndarray):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return _fit_quietly(name, done, open_)


def _loglik(name: str, shape, scale: float, done: np.ndarray, open_: np.ndarray) -> float:
    """The censored log-likelihood: the density's at the complete durations, the survival
    function's at the censored ones (written out: scipy's frozen-free `logpdf`/`logsf` cost
    about 0.4 ms a call, and the optimiser calls this tens of thousands of times)."""
    log_scale = math.log(scale)
    if name == "exponential":
        return -len(done) * log_scale - (done.sum() + open_.sum()) / scale
    logs = np.log(done)
    if name == "lognormal":
        sigma = shape[0]
        z = (logs - log_scale) / sigma
        value = (-logs.sum() - len(done) * (math.log(sigma) + 0.5 * math.log(2 * math.pi))
                 - 0.5 * (z * z).sum())  # fmt: skip
        if len(open_):
            value += special.log_ndtr(-(np.log(open_) - log_scale) / sigma).sum()
        return float(value)
    a = shape[0]  # gamma
    value = ((a - 1) * logs - done / scale).sum() - len(done) * (special.gammaln(a) + a * log_scale)
    if len(open_):
        value += np.log(special.gammaincc(a, open_ / scale)).sum()
    return float(value)


def _fit_quietly(name: str, done: np.ndarray, open_: np.ndarray):
    """Maximum likelihood: closed forms where there are (the exponential always, the lognormal
    without censoring), scipy's fit for the gamma, then, with censoring, Nelder-Mead on the
    censored log-likelihood from there (parameters on the log scale)."""
    dist = FAMILIES[name]
    if name == "exponential":  # censored too: total time at risk over completions
        shape, scale = (), float((done.sum() + np.sum(open_)) / len(done))
    elif name == "lognormal":
        logs = np.log(done)
        shape, scale = (float(logs.std()),), float(np.exp(logs.mean()))
    else:
        fitted = dist.fit(done, floc=0)
        shape, scale = tuple(fitted[:-2]), float(fitted[-1])
    if len(open_) and shape:
        start = np.log([*shape, scale])
        best = optimize.minimize(
            lambda x: -_loglik(name, np.exp(x[:-1]), np.exp(x[-1]), done, open_),
            start, method="Nelder-Mead", options={"xatol": 1e-5, "fatol": 1e-6},
        )  # fmt: skip
        if np.isfinite(best.fun):
            shape, scale = tuple(np.exp(best.x[:-1])), float(np.exp(best.x[-1]))
    frozen = dist(*shape, loc=0, scale=scale)
    loglik = _loglik(name, shape, scale, done, open_)
    return frozen, 2 * (len(shape) + 1) - 2 * loglik


def _params(name: str, frozen) -> dict:
    if name == "exponential":
        return {"mean": float(frozen.mean())}
    if name == "lognormal":
        return {"median": float(frozen.median()), "p90": float(frozen.ppf(0.9))}
    return {"mean": float(frozen.mean()), "cv": float(frozen.std() / frozen.mean())}


def fit_duration(done, open_=(), rng: np.random.Generator | None = None,
                 resamples: int = BOOTSTRAP) -> Duration | None:  # fmt: skip
    """The best of the three families for durations `done` (complete) and `open_` (censored:
    still running at the export date); None without a complete one. `resamples=0`: no
    interval (NaN), for a fit that is only simulated (the held-out check's)."""
    done = np.maximum(np.asarray(done, float), EPS)
    open_ = np.maximum(np.asarray(open_, float), EPS)
    if len(done) == 0:
        return None
    if len(done) < 3 or done.std() <= 1e-6 * done.mean():
        value = float(np.median(done))
        span = (float(done.min()), float(done.max()))
        return Duration("fixed", {"value": value}, value, span, len(done), len(open_),
                        done=done, open=open_)  # fmt: skip
    fits = {}
    for name in FAMILIES:
        try:
            fits[name] = _fit_one(name, done, open_)
        except (ValueError, RuntimeError, FloatingPointError):
            continue
    aic = {name: float(a) for name, (_, a) in fits.items() if np.isfinite(a)}
    best = min(aic, key=aic.get)
    frozen = fits[best][0]
    rng = rng or np.random.default_rng(0)
    medians = []
    both = np.concatenate([done, open_])
    complete = np.arange(len(both)) < len(done)
    for _ in range(resamples):  # candidates resampled whole: how many are censored varies too
        pick = rng.integers(0, len(both), len(both))
        if complete[pick].sum() < 2:
            continue
        try:
            medians.append(_fit_one(best, both[pick][complete[pick]],
                                    both[pick][~complete[pick]])[0].median())  # fmt: skip
        except (ValueError, RuntimeError, FloatingPointError):
            continue
    medians = [m for m in medians if np.isfinite(m)]
    ci = tuple(np.percentile(medians, [2.5, 97.5])) if medians else (np.nan, np.nan)
    return Duration(best, _params(best, frozen), float(frozen.median()),
                    (float(ci[0]), float(ci[1])), len(done), len(open_), aic, done, open_,
                    frozen)  # fmt: skip


def is_business_clock(log: pd.DataFrame) -> bool:
    """No activity on Saturdays or Sundays (with enough events to tell). Where the log names
    who works (`org:resource`), only their starts and completions count: a candidate's own
    decision or withdrawal may fall on a weekend while the team keeps a working week; where it
    does not, every stage but the candidate's final decision counts."""
    work = log[log.stage.ne("final_decision")]  # the candidate's own decision: any day
    if "resource" in log and log.resource.ne("").any():
        work = log[log.resource.ne("") & log.transition.isin(("start", "complete"))]
    return len(work) >= 20 and not work.time.dt.day_of_week.isin(WEEKEND).any()


def visits(log: pd.DataFrame) -> pd.DataFrame:
    """One row per candidate per stage: `entered` (its first `schedule`), `started` (first
    `start`), `completed` (last `complete`), `outcome`, `previous_done` (the candidate's last
    completion before), `next_stage` (the stage visited next, empty if none), `assigned`
    (first `assign`: ready for the person, the wait over). A candidate's visits in the order
    they began (the stages' order breaking ties), candidates in the log's order."""
    keys = ["case", "stage"]
    parts = [log.groupby(keys, sort=False).time.min().rename("first")]
    for name, transition, how in (("entered", "schedule", "min"), ("started", "start", "min"),
                                  ("completed", "complete", "max"),
                                  ("assigned", "assign", "min")):  # fmt: skip
        chosen = log[log.transition == transition]
        parts.append(chosen.groupby(keys, sort=False).time.agg(how).rename(name))
    table = pd.concat(parts, axis=1).reset_index()
    cases = log.groupby("case", sort=False).outcome.last()  # the candidate's last row's
    table["outcome"] = table.case.map(cases)
    for extra in ("requisition", "ended", "opened"):
        if extra in log:
            table[extra] = table.case.map(log.groupby("case", sort=False)[extra].first())
    table["_case"] = table.case.map(pd.Series(np.arange(len(cases)), index=cases.index))
    table["_stage"] = table.stage.map({name: i for i, name in enumerate(JOURNEY)})
    table = table.sort_values(["_case", "first", "_stage"], kind="stable", ignore_index=True)
    by_case = table.groupby("_case", sort=False)
    table["previous_done"] = by_case.completed.shift().groupby(table._case).ffill()
    table["next_stage"] = by_case.stage.shift(-1).fillna("")
    names = ["case", "stage", "entered", "started", "completed", "outcome", "previous_done",
             "next_stage", "assigned"]  # fmt: skip
    return table[[*names, *(c for c in ("requisition", "ended", "opened") if c in table)]]


@dataclass
class StageFit:
    stage: str
    wait: Duration | None = None
    duration: Duration | None = None
    passing: Proportion | None = None
    gaps_only: bool = False  # only completions: the stage-to-stage gap fitted as a wait
    assigned: bool = False  # `assign` events: the wait ends there, not at `start` (no queueing)
    work_hours: float | None = None  # the work in hours of a team member's hiring day this long
    pooled: bool = False  # candidates of a requisition start it together: a pool, not a wait


@dataclass
class Fit:
    stages: dict
    business: bool
    patience: Duration | None
    withdrew: int
    per_requisition: float
    requisitions: int
    rate_per_day: float | None
    candidates: int
    export_end: pd.Timestamp
    start: pd.Timestamp
    span_days: float
    requisitions_per_month: float
    second_interview_prob: Proportion | None = None


def _days(log_business: bool, start: pd.Series, end: pd.Series) -> np.ndarray:
    raw = ((end - start).dt.total_seconds() / 86400.0).to_numpy()
    return business(raw, start, end) if log_business else raw


def working_hours(start: pd.Series, end: pd.Series, daily: float,
                  opens: float = DAY_STARTS_AT) -> np.ndarray:  # fmt: skip
    """Hours between `start` and `end` inside a team member's hiring hours: `daily` hours from
    09:00 (`opens`, `DAY_STARTS_AT`) on each Monday to Friday, the layout the model gives
    them."""

    def since_epoch(t: pd.Series) -> np.ndarray:
        day = t.dt.normalize()
        dates = day.to_numpy().astype("datetime64[D]")
        hour = ((t - day).dt.total_seconds() / 3600.0).to_numpy()
        today = np.clip(hour - opens, 0.0, daily) * np.is_busday(dates)
        return np.busday_count(EPOCH, dates) * daily + today

    return np.maximum(since_epoch(end) - since_epoch(start), 0.0)


def _work(frame: pd.DataFrame, end: pd.Timestamp, daily: float):
    """The (complete, censored) work of `frame`'s visits in hours of a `daily`-hour day."""
    done = frame[frame.started.notna() & frame.completed.notna()]
    open_, until = _censored(frame, "started", "completed", end)
    return (working_hours(done.started, done.completed, daily),
            working_hours(open_.started, until, daily))  # fmt: skip


def _censored(frame, start_col, end_col, end):
    """The visits begun (`start_col`) and never ended (`end_col`), each with the instant its
    duration is censored at: the export's `end` for a candidate still in process, the moment
    they left for one whose outcome row says when (hiresim's own log: a withdrawal while
    waiting cuts the wait short, and leaving it out would read the waits short too)."""
    left = frame["ended"] if "ended" in frame else pd.Series(pd.NaT, index=frame.index)
    open_ = frame[frame[start_col].notna() & frame[end_col].isna() & frame.next_stage.eq("")
                  & (frame.outcome.isin(("", "in_process")) | left.notna())]  # fmt: skip
    return open_, left.reindex(open_.index).fillna(end)


def _split(frame, start_col, end_col, end, clock):
    done = frame[frame[start_col].notna() & frame[end_col].notna()]
    open_, until = _censored(frame, start_col, end_col, end)
    return (_days(clock, done[start_col], done[end_col]),
            _days(clock, open_[start_col], until) if len(open_) else [])  # fmt: skip


def _sign_off_from(here: pd.DataFrame, table: pd.DataFrame) -> pd.Series:
    """When each follow-up's own wait (its sign-off) begins. Where the log marks it (hiresim's
    `opening_given`: the candidate, off the backup list, is given an opening), there; NaT for a
    candidate never given one (they left on the list: not a sign-off, left out). Otherwise at
    entry, or once the second interview (part of the follow-up) is over, whichever is last."""
    if "opened" in here and table.opened.notna().any():
        return here.opened
    later = [here.entered]
    seconds = table[table.stage == "second_interview"]
    if len(seconds):
        later.append(pd.to_datetime(here.case.map(seconds.set_index("case").completed)))
    return pd.concat(later, axis=1).max(axis=1)


def _together(here: pd.DataFrame) -> bool:
    """Most started visits share their start with another candidate of their requisition: a
    session for a pool (the shortlist), not one candidate at a time."""
    started = here[here.started.notna()]
    if "requisition" not in started or len(started) < 10:
        return False
    shared = started.groupby(["requisition", "started"]).case.transform("size") > 1
    return bool(shared.mean() > 0.5)


def _pending(table: pd.DataFrame, end: pd.Timestamp, clock: bool) -> dict[str, np.ndarray]:
    """With completions only, a candidate still in process is between stages: the time since
    their last completion is a censored gap of the stage that most often follows that one in
    the log (its visits show no row for it). Per stage, those censored gaps."""
    last = table.groupby("case", sort=False).tail(1)
    waiting = last[last.outcome.isin(("", "in_process")) & last.completed.notna()]
    moved = table[table.next_stage.ne("")]
    follows = moved.groupby("stage").next_stage.agg(lambda s: s.value_counts().index[0])
    waiting = waiting.assign(towards=waiting.stage.map(follows)).dropna(subset=["towards"])
    gaps = _days(clock, waiting.completed, pd.Series(end, index=waiting.index))
    return {stage: gaps[(waiting.towards == stage).to_numpy()]
            for stage in waiting.towards.unique()}  # fmt: skip


def estimate(log: pd.DataFrame, seed: int = 0, resamples: int = BOOTSTRAP,
             hours: dict[str, float] | None = None) -> Fit:  # fmt: skip
    """Every estimate the scenario needs, from the clean event table (`resamples`: of each
    duration's bootstrap interval; 0 for none). `hours`: per stage, the hiring hours a working
    day of the team member who works it; on a business-day clock that stage's work (start to
    completion) is measured in those hours, not in elapsed time: a half-hour task begun at the
    end of a manager's hour a day completes the next morning, and the model, given the same
    hours, puts the night back itself."""
    rng = np.random.default_rng(seed)
    clock = is_business_clock(log)
    end = log.time.max()
    table = visits(log)
    pending = _pending(table, end, clock)
    stages = {}
    for stage in JOURNEY:
        here = table[table.stage == stage]
        if here.empty:
            continue
        fit = StageFit(stage)
        if stage == "follow_up":  # its own wait: after any second interview and backup list
            here = here.assign(entered=_sign_off_from(here, table))
        if here.started.notna().any():
            fit.assigned = here.assigned.notna().any()  # the wait ends at `assign`
            fit.pooled = stage == "shortlisting" and _together(here)
            ready = "assigned" if fit.assigned else "started"
            done, open_ = _split(here, "entered", ready, end, clock)
            # a pool is its own wait (the preset's keep and pool_days are written); else a
            # wait unless most start at once
            if not fit.pooled and len(done) and np.median(done) >= NO_WAIT:
                fit.wait = fit_duration(done, open_, rng, resamples)
            daily = (hours or {}).get(stage) if clock else None
            if daily:  # a team member's work in their hiring hours, as the model counts it
                fit.work_hours = daily
                fit.duration = fit_duration(*_work(here, end, daily), rng, resamples)
            else:
                fit.duration = fit_duration(
                    *_split(here, "started", "completed", end, clock), rng, resamples
                )
        else:
            fit.gaps_only = True
            done, open_ = _split(here, "previous_done", "completed", end, clock)
            fit.wait = fit_duration(done, [*open_, *pending.get(stage, [])], rng, resamples)
        left = here[here.completed.notna()]
        passed = left.next_stage.ne("") | left.outcome.eq("hired")
        failed = ~passed & left.outcome.isin(FAILED.get(stage, ("rejected",)))
        fit.passing = wilson(int(passed.sum()), int(passed.sum() + failed.sum()))
        stages[stage] = fit
    # of the candidates who reached the follow-up, those with a second interview (part of the
    # follow-up: with completions only it completes before it, or alone if the candidate failed)
    followed = table.case[table.stage.isin(("follow_up", "second_interview"))].unique()
    seconds = table.case[table.stage == "second_interview"]
    second = (wilson(int(np.isin(followed, seconds).sum()), len(followed))
              if len(followed) else None)  # fmt: skip
    cases = log.groupby("case").agg(first=("time", "min"), last=("time", "max"),
                                    outcome=("outcome", "last"),
                                    requisition=("requisition", "first"))  # fmt: skip
    withdrew = cases.outcome.eq("withdrew")
    waited = ((cases["last"] - cases["first"]).dt.total_seconds() / 86400.0).to_numpy()
    patience = (fit_duration(waited[withdrew.to_numpy()], waited[~withdrew.to_numpy()], rng,
                             resamples)
                if withdrew.sum() >= 3 else None)  # fmt: skip
    per_req = cases.groupby("requisition")["first"].agg(["count", "min", "max"])
    # the rate from the median gap between a requisition's arrivals (exponential gaps: median
    # ln 2 / rate), not from its whole span, which a reopened search's pause would stretch
    gaps = (cases.sort_values("first").groupby("requisition")["first"].diff()
            .dt.total_seconds().div(86400.0).dropna())  # fmt: skip
    gaps = gaps[gaps > 0]
    rate = math.log(2) / float(gaps.median()) if len(gaps) >= 2 else None
    span_days = max((end - log.time.min()).total_seconds() / 86400.0, 1.0)
    worlds = log.world.nunique() if "world" in log else 1  # hiresim's replications
    monthly = max(len(per_req) / worlds - 1, 0) / (span_days / 30.4375)
    return Fit(stages, clock, patience, int(withdrew.sum()), float(per_req["count"].mean()),
               len(per_req), rate, len(cases), end, log.time.min(), span_days, monthly,
               second)  # fmt: skip
