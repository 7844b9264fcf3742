"""Evidence that selection and candidate behaviour (issue 10) act as the levers people pull:
assessing stages keep `pass_prob` and pass better candidates; a backup list, status updates
and a faster process each pay off. Seeded replications, 95% t-intervals over replications
(paired, on common random numbers, for the what-ifs), never a tolerance picked to pass.

The scenarios are small and purpose-built (`plain`: continuous time, requisitions open at day
0, none opening later), run replication by replication with `sim.simulate` in a forked pool of
two: the summaries' bootstraps are not needed here, and the whole file stays under a minute.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from plain import plain

import sim
from sim.analysis.metrics import PER_REPLICATION
from sim.analysis.summaries import t_interval
from sim.model.assessment import WINDOW

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pool():
    # fork: the workers start with sim imported (a fresh interpreter per worker costs seconds)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as executor:
        yield executor


def replications(pool, document: dict, count: int, keep=("applicants", "requisitions")):
    """The tables of replications 0..count-1 of `document`, `keep` only, and a `team` table:
    per team role, `busy_days`, the number busy integrated over the run (person-days)."""
    scenario = sim.load_scenario(document)
    return list(pool.map(_run, [(scenario, r, keep) for r in range(count)]))


def _run(task) -> dict[str, pd.DataFrame]:
    scenario, replication, keep = task
    tables = sim.simulate(scenario, replication)
    levels = tables["team_levels"].sort_values("time_days", kind="stable")
    busy = {}
    for role, level in levels.groupby("resource"):
        # a step function: each level holds until the next row (the last row closes the run)
        times = level["time_days"].to_numpy()
        held = np.diff(times, append=times[-1])
        busy[role] = float((level["busy"].fillna(0).to_numpy() * held).sum())
    out = {name: tables[name] for name in keep}
    out["team"] = pd.DataFrame({"resource": list(busy), "busy_days": list(busy.values())})
    return out


def per_replication(runs) -> pd.DataFrame:
    """The comparison metrics (`sim.analysis.metrics.PER_REPLICATION`), one row per replication."""
    return pd.DataFrame([{name: m.per_replication(tables[m.table])
                          for name, m in PER_REPLICATION.items()} for tables in runs])  # fmt: skip


def difference(base: pd.Series, variant: pd.Series) -> tuple[float, float, float]:
    """Mean paired difference variant - base over replications, with its 95% t-interval."""
    return t_interval((variant - base).dropna())


# --- a. pass_prob keeps its meaning; assessed stages pass better candidates ------------------

CHAIN = {"initial_review": (0.6, 0.42), "reference_checks": (0.8, 0.26), "decision": (0.5, 0.5)}
"""Stage -> (pass_prob, validity): three assessing stages in a row."""
CHAIN_REPLICATIONS = 6


def chain(validity: bool) -> dict:
    """6000 candidates through the three stages as pure delays; everything after them off."""
    stages = {name: {"resource": None, "duration": 0.01, "pass_prob": p,
                     "validity": r if validity else None}
              for name, (p, r) in CHAIN.items()}  # fmt: skip
    off = {"enabled": False}
    stages |= {"shortlisting": off, "follow_up": off, "negotiation": off,
               "final_decision": off, "onboarding": off}  # fmt: skip
    return plain({
        "name": "chain" if validity else "coin-flips", "seed": 3, "horizon_days": 400,
        "company": {"openings": 10_000},
        "applicants": {"per_requisition": 6000, "max_reopens": 0,
                       "arrivals": {"process": "poisson", "rate_per_day": 20}},
        "candidate": {"patience": None},
        "stages": stages,
    })  # fmt: skip


def _judged(task) -> pd.DataFrame:
    """One row per candidate and stage reached: when it was judged there, whether it passed,
    its true quality, and its rank among the replication's candidates judged there."""
    scenario, replication = task
    tables = sim.simulate(scenario, replication)
    a = tables["applicants"].set_index("case_id")
    e = tables["events"]
    done = e[(e["lifecycle:transition"] == "complete") & e["concept:name"].isin(list(CHAIN))]
    order = list(CHAIN)
    reached = a["exit_stage"].map(lambda s: order.index(s) if s in order else len(order))
    rows = done[["case:concept:name", "concept:name", "time_days"]].rename(
        columns={"case:concept:name": "case_id", "concept:name": "stage"}
    )
    rows = rows.join(a["quality"], on="case_id").join(reached.rename("exit"), on="case_id")
    rows["passed"] = rows["stage"].map(order.index) < rows["exit"]
    rows = rows.sort_values("time_days", kind="stable")
    rows["rank"] = rows.groupby("stage").cumcount()
    rows["replication"] = replication
    # Steady: judged against a window of WINDOW candidates who were themselves steady at every
    # stage before (the first stage's window starts full of prior quantiles, and the candidates
    # a stage passes while its bar settles then fill the next stage's window).
    rows["steady"] = False
    steady_before = None
    for stage in order:
        here = rows["stage"] == stage
        start = 0
        if steady_before is not None:
            unsettled = ~rows.loc[here, "case_id"].map(steady_before).astype(bool)
            start = int(rows.loc[here, "rank"][unsettled].max()) + 1 if unsettled.any() else 0
        rows.loc[here, "steady"] = rows.loc[here, "rank"] >= start + WINDOW
        steady_before = rows.loc[here].set_index("case_id")["steady"]
    return rows


@pytest.fixture(scope="module")
def judged(pool):
    out = {}
    for validity in (True, False):
        scenario = sim.load_scenario(chain(validity))
        tasks = [(scenario, r) for r in range(CHAIN_REPLICATIONS)]
        out[validity] = pd.concat(pool.map(_judged, tasks), ignore_index=True)
    return out


def _shares(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.groupby(["stage", "replication"])["passed"].mean().unstack("replication")


def test_pass_prob_is_the_share_passing_among_those_who_reach_an_assessing_stage(judged):
    """Once the stage's bar has settled (its window holds only candidates judged by settled
    bars upstream), the share passing among the candidates reaching it is pass_prob, within
    the 95% interval."""
    rows = judged[True]
    steady = _shares(rows[rows["steady"]])
    for stage, (pass_prob, _) in CHAIN.items():
        share, low, high = t_interval(steady.loc[stage])
        n = int((rows["steady"] & (rows["stage"] == stage)).sum())
        print(
            f"{stage}: {share:.3f} [{low:.3f}, {high:.3f}] pass (pass_prob {pass_prob}), "
            f"{n} judged once the bars had settled"
        )
        assert low <= pass_prob <= high, (stage, share, low, high)
        assert high - low < 0.08  # precise enough to mean something


def test_pass_prob_holds_from_the_first_candidate(judged):
    """SPEC/issue 10: pass_prob is the share passing among everyone reaching the stage, the
    replication's first candidates included."""
    rows = judged[True]
    first = _shares(rows[rows["rank"] < WINDOW])
    for stage, (pass_prob, _) in CHAIN.items():
        share, low, high = t_interval(first.loc[stage])
        print(
            f"{stage}, first {WINDOW} judged: {share:.3f} [{low:.3f}, {high:.3f}] pass "
            f"(pass_prob {pass_prob})"
        )
        assert low <= pass_prob <= high, (stage, share, low, high)


def _quality_gap(rows: pd.DataFrame) -> pd.DataFrame:
    """Per stage and replication: mean true quality of those passing minus those failing."""
    means = rows.groupby(["stage", "replication", "passed"])["quality"].mean().unstack("passed")
    return (means[True] - means[False]).unstack("replication")


def test_assessed_stages_pass_better_candidates_than_a_coin_flip(judged):
    """At the first stage (quality ~ N(0, 1), assessment r^2 x signal) the passers' mean quality
    exceeds the failures' by r phi(z) / (p (1 - p)), z the (1 - p) normal quantile: within the
    interval. Later stages: a positive gap. The same chain with `validity: null` passes on coin
    flips (no gap), and the candidates through all three assessed stages are better than those
    through the coin flips (paired by replication: the same candidates arrive)."""
    # coin flips have no bar to settle: every candidate counts
    gap, coin = _quality_gap(judged[True][judged[True]["steady"]]), _quality_gap(judged[False])
    p, r = CHAIN["initial_review"]
    z = NormalDist().inv_cdf(1 - p)
    theory = r * NormalDist().pdf(z) / (p * (1 - p))
    for stage in CHAIN:
        g, c = t_interval(gap.loc[stage]), t_interval(coin.loc[stage])
        print(
            f"{stage}: quality gap passed - failed {g[0]:.3f} [{g[1]:.3f}, {g[2]:.3f}]; "
            f"coin flip {c[0]:.3f} [{c[1]:.3f}, {c[2]:.3f}]"
        )
        assert g[1] > 0 and c[1] <= 0 <= c[2], (stage, g, c)
        if stage == "initial_review":
            assert g[1] <= theory <= g[2], (theory, g)
    through = {v: rows[(rows["stage"] == "decision") & rows["passed"]]
               .groupby("replication")["quality"].mean() for v, rows in judged.items()}  # fmt: skip
    d = difference(through[False], through[True])
    print(
        f"mean quality through all three: assessed - coin flips {d[0]:.3f} [{d[1]:.3f}, {d[2]:.3f}]"
    )
    assert d[1] > 0.3, d


# --- b. the backup list against reopening on every decline ----------------------------------

WHATIF_REPLICATIONS = 10


def hiring(name: str, **stages) -> dict:
    """20 requisitions at day 0, 10 candidates each over two weeks, the best 3 finalists, half
    the offers declined, one reopened search three weeks later: declines are common, so who
    gets the next offer matters."""
    return plain({
        "name": name, "seed": 5, "horizon_days": 150,
        "company": {"requisitions": 20},
        "team": {"hiring_manager": 20, "recruiter": 3},
        "applicants": {"per_requisition": 10, "max_reopens": 1, "reopen_after_days": 21,
                       "arrivals": {"process": "window", "days": 10}},
        "candidate": {"patience": {"dist": "exponential", "mean": 60}},
        "stages": {"shortlisting": {"keep": 3, **stages.get("shortlisting", {})},
                   "decision": {"pass_prob": 0.6},
                   "follow_up": stages.get("follow_up", {}),
                   "final_decision": {"accept_prob": 0.5}},
    })  # fmt: skip


def test_the_backup_list_fills_more_requisitions_sooner_than_reopening(pool):
    """Backup list and reserve held until the requisition fills, against releasing them at once
    (backup_days and reserve_days 0.001: every decline reopens the search): fill rate up and
    median time to fill down, paired intervals excluding zero."""
    reopen = hiring("reopen-on-decline", shortlisting={"reserve_days": 0.001},
                    follow_up={"backup_days": 0.001})  # fmt: skip
    base = per_replication(replications(pool, reopen, WHATIF_REPLICATIONS))
    backup = per_replication(replications(pool, hiring("backup-list"), WHATIF_REPLICATIONS))
    fill = difference(base["fill_rate"], backup["fill_rate"])
    days = difference(base["time_to_fill_days_median"], backup["time_to_fill_days_median"])
    hires = difference(base["hires"], backup["hires"])
    print(
        f"fill rate {base['fill_rate'].mean():.3f} -> {backup['fill_rate'].mean():.3f}: "
        f"{fill[0]:+.3f} [{fill[1]:+.3f}, {fill[2]:+.3f}]; median days to fill "
        f"{days[0]:+.1f} [{days[1]:+.1f}, {days[2]:+.1f}]; hires per replication "
        f"{hires[0]:+.1f} [{hires[1]:+.1f}, {hires[2]:+.1f}]"
    )
    assert fill[1] > 0 and days[2] < 0 and hires[1] > 0


# --- c. status updates keep candidates warm -------------------------------------------------

SILENCE = {"dist": "lognormal", "median": 10.6, "p90": 21.8}
"""Days without news a candidate tolerates, fitted to Robert Half 2016 (23% lose interest
within a week without news, 69% within two): P(T <= 7) = 0.23, P(T <= 14) = 0.69."""


def volume(name: str, **candidate) -> dict:
    """A volume drive: four requisitions of five openings, 60 candidates each over three weeks,
    one recruiter; candidates lose interest after a silence (and take another job after about
    two months)."""
    return plain({
        "name": name, "seed": 8, "horizon_days": 90,
        "company": {"requisitions": 4, "openings": 5},
        "team": {"hiring_manager": 4, "recruiter": 1},
        "applicants": {"per_requisition": 60, "max_reopens": 0,
                       "arrivals": {"process": "window", "days": 21}},
        "candidate": {"patience": {"dist": "exponential", "mean": 60},
                      "silence": {"tolerance": SILENCE}, **candidate},
    })  # fmt: skip


def test_the_silence_tolerance_matches_robert_half():
    tolerance = sim.load_scenario(volume("check")).candidate.silence.tolerance
    cdf = NormalDist(np.log(10.6), np.log(21.8 / 10.6) / NormalDist().inv_cdf(0.9)).cdf
    assert tolerance.median == 10.6
    assert abs(cdf(np.log(7)) - 0.23) < 0.01 and abs(cdf(np.log(14)) - 0.69) < 0.01


def test_status_updates_cut_withdrawals_at_a_cost_in_recruiter_time(pool):
    """A status update every 7 calendar days (5 business days), a quarter of an hour of the
    recruiter's time each, against none: fewer withdrawals (paired interval below zero) and
    more recruiter busy time (above zero)."""
    keep = ("applicants", "requisitions")
    none = replications(pool, volume("updates-none"), WHATIF_REPLICATIONS, keep)
    weekly = replications(pool, volume("updates-weekly", status_updates={
        "every": 7, "resource": "recruiter", "duration": "0.25 hours"}),
        WHATIF_REPLICATIONS, keep)  # fmt: skip
    base, variant = per_replication(none), per_replication(weekly)

    def share(runs):
        return pd.Series([(t["applicants"]["outcome"] == "withdrew").mean() for t in runs])

    def busy(runs):
        return pd.Series([t["team"].set_index("resource").loc["recruiter", "busy_days"]
                          for t in runs])  # fmt: skip

    gone, gone_share = (
        difference(base["withdrew"], variant["withdrew"]),
        difference(share(none), share(weekly)),
    )
    hours = difference(busy(none), busy(weekly))
    hires = difference(base["hires"], variant["hires"])
    print(
        f"withdrew per replication {base['withdrew'].mean():.1f} -> "
        f"{variant['withdrew'].mean():.1f}: {gone[0]:+.1f} [{gone[1]:+.1f}, {gone[2]:+.1f}] "
        f"(share {gone_share[0]:+.3f} [{gone_share[1]:+.3f}, {gone_share[2]:+.3f}]); "
        f"hires {hires[0]:+.1f} [{hires[1]:+.1f}, {hires[2]:+.1f}]; recruiter busy days "
        f"{hours[0]:+.2f} [{hours[1]:+.2f}, {hours[2]:+.2f}]"
    )
    assert gone[2] < 0 and gone_share[2] < 0
    assert hours[1] > 0


# --- d. a fast process hires better when good candidates get outside offers sooner ----------


def outside(name: str, decision_wait: dict) -> dict:
    """20 requisitions of 10 candidates; outside offers reach an average candidate with
    probability 0.1 a week, better ones sooner (quality_effect 1)."""
    return plain({
        "name": name, "seed": 9, "horizon_days": 120,
        "company": {"requisitions": 20},
        "team": {"hiring_manager": 20, "recruiter": 3},
        "applicants": {"per_requisition": 10, "max_reopens": 1,
                       "arrivals": {"process": "window", "days": 10}},
        "candidate": {"patience": {"dist": "exponential", "mean": 90},
                      "outside_offers": {"per_week": 0.1, "quality_effect": 1.0}},
        "stages": {"decision": {"wait": decision_wait}},
    })  # fmt: skip


def test_faster_decisions_raise_quality_of_hire_under_outside_offers(pool):
    """The decision's wait (calendar days) median 1 vs median 15: the fast process keeps more of
    the good candidates, whom outside offers take first (paired interval above zero)."""
    fast = outside("decisions-fast", {"dist": "lognormal", "median": 1, "p90": 3})
    slow = outside("decisions-slow", {"dist": "lognormal", "median": 15, "p90": 30})
    base = per_replication(replications(pool, slow, WHATIF_REPLICATIONS))
    variant = per_replication(replications(pool, fast, WHATIF_REPLICATIONS))
    quality = difference(base["quality_of_hire"], variant["quality_of_hire"])
    days = difference(base["median_time_to_offer_days"], variant["median_time_to_offer_days"])
    print(
        f"quality of hire {base['quality_of_hire'].mean():.3f} (slow) -> "
        f"{variant['quality_of_hire'].mean():.3f} (fast): {quality[0]:+.3f} "
        f"[{quality[1]:+.3f}, {quality[2]:+.3f}]; median days to offer {days[0]:+.1f} "
        f"[{days[1]:+.1f}, {days[2]:+.1f}]"
    )
    assert days[2] < 0 and quality[1] > 0
