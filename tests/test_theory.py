"""The model against queueing theory: M/M/1 and M/M/c built from hiresim's own stages.

Only `initial_review` is enabled: one team resource `server` with `c` members, no `wait`,
exponential work, and `pass_prob: 0`, so every candidate is rejected as soon as the review ends.
`follow_up` is disabled too, and with it the rejection notice (the model's notice is the
follow-up resource's time and is skipped when follow-up is off), so nothing else queues for
anything. Poisson arrivals and no patience make the stage an M/M/c FCFS queue, whose steady
state is Erlang C.

How the checks are built:
- Replications are the independent units. Each gives one estimate (mean wait in queue, time-average
  queue length, utilisation) over an observation window [t0, t1]: t0 discards a warm-up (the run
  starts empty) and t1 ends before the last arrival, so the drain after arrivals stop (no
  arrivals, a shrinking queue) is left out too. Theory must lie inside a t-interval across
  replications.
- The intervals are at 99%, not 95%. The seeds are fixed, so every test is deterministic today;
  the level matters when a model change reshuffles the random streams and redraws every interval
  at once. With seven interval checks at 95% about a quarter of such redraws would fail some check
  with no bug present; at 99% about one in fifteen. The price is an interval 1.3 times as wide,
  and each test also asserts the interval is narrow (a few per cent of the target), so a passing
  test still means something.
- Little's law on the event log is checked twice: as an identity per replication (the area under
  the queue-length step function over [0, T] is the sum of the waits, so L = lambda_hat * W holds
  to rounding on any sample path) and statistically (the time-average queue length against Erlang
  C's Lq).

The `team` table is checked against the event log too: its busy and queue step functions must
be the event log's on the same sample path (a bug once recorded a resource's level before SimPy
handed the freed unit to the next request).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
import pytest

import sim
from sim.analysis.summaries import t_interval
from sim.scenario import STAGE_NAMES

LEVEL = 0.99  # see the module docstring
WINDOW = (0.1, 0.9)  # observation window, as fractions of the expected arrival period
OTHER_STAGES = STAGE_NAMES[1:]  # everything after initial_review


@dataclass(frozen=True)
class Queue:
    """An M/M/c queue: arrival rate, servers, mean service time, candidates per replication."""

    rate: float
    servers: int
    service_mean: float
    customers: int
    replications: int
    seed: int

    @property
    def offered_load(self) -> float:  # a = lambda / mu, in Erlangs
        return self.rate * self.service_mean

    @property
    def rho(self) -> float:
        return self.offered_load / self.servers

    @property
    def p_wait(self) -> float:
        """Erlang C: the probability that an arrival has to wait."""
        a, c = self.offered_load, self.servers
        head = sum(a**k / math.factorial(k) for k in range(c))
        tail = a**c / math.factorial(c) / (1 - self.rho)
        return tail / (head + tail)

    @property
    def wq(self) -> float:
        """Mean wait in queue: C(c, a) / (c mu - lambda); rho / (mu - lambda) when c = 1."""
        return self.p_wait / (self.servers / self.service_mean - self.rate)

    @property
    def lq(self) -> float:
        return self.rate * self.wq

    @property
    def window(self) -> tuple[float, float]:
        horizon = self.customers / self.rate  # expected day of the last arrival
        return WINDOW[0] * horizon, WINDOW[1] * horizon

    def scenario(self) -> sim.Scenario:
        off = {"enabled": False}
        return sim.load_scenario(
            {
                "name": f"m-m-{self.servers}",
                "seed": self.seed,
                "replications": self.replications,
                "horizon_days": 100 * self.customers / self.rate,  # never reached
                "calendar": None,  # continuous time, as queueing theory has it
                "company": {"requisitions": 1, "requisitions_per_month": 0},
                "team": {"server": self.servers},
                "applicants": {
                    "per_requisition": self.customers,
                    "arrivals": {"process": "poisson", "rate_per_day": self.rate},
                    "max_reopens": 0,
                },
                "candidate": {"patience": None},
                "stages": {
                    "initial_review": {
                        "enabled": True,
                        "resource": "server",
                        "wait": None,
                        "duration": {"dist": "exponential", "mean": self.service_mean},
                        "pass_prob": 0,
                    },
                    **{name: off for name in OTHER_STAGES},
                },
            }
        )


# rho = 0.6 in both; the M/M/3 has a mean service time of 2 days, so a rate/mean mix-up shows.
MM1 = Queue(rate=0.6, servers=1, service_mean=1.0, customers=2000, replications=40, seed=11)
MM3 = Queue(rate=0.9, servers=3, service_mean=2.0, customers=3000, replications=40, seed=12)
QUEUES = [pytest.param(MM1, id="M/M/1"), pytest.param(MM3, id="M/M/3")]


# -- reading the tables -----------------------------------------------------------------------


def review_times(events: pd.DataFrame) -> pd.DataFrame:
    """One row per (replication, candidate): the schedule, start and complete days of review."""
    review = events[events["concept:name"] == "initial_review"]
    times = review.pivot_table(
        index=["replication", "case:concept:name"],
        columns="lifecycle:transition",
        values="time_days",
        aggfunc="first",
    )
    return times.sort_values(["replication", "schedule"]).reset_index()


def time_average(times, levels, t0: float, t1: float) -> float:
    """Time average over [t0, t1] of a step function that is 0 before the first time and
    `levels[i]` from `times[i]` on (ties: the later row wins, as in an event log)."""
    times, levels = np.asarray(times, dtype=float), np.asarray(levels, dtype=float)
    order = np.argsort(times, kind="stable")
    times, levels = times[order], levels[order]
    edges = np.append(times, max(t1, times[-1]))
    widths = np.clip(np.minimum(edges[1:], t1) - np.maximum(edges[:-1], t0), 0, None)
    return float(levels @ widths) / (t1 - t0)


def count_average(ups, downs, t0: float, t1: float) -> float:
    """Time average over [t0, t1] of #ups <= t minus #downs <= t (a queue, busy servers)."""
    times = np.concatenate([ups, downs])
    steps = np.concatenate([np.ones(len(ups)), -np.ones(len(downs))])
    order = np.argsort(times, kind="stable")
    return time_average(times[order], np.cumsum(steps[order]), t0, t1)


def team_average(team: pd.DataFrame, column: str, t0: float, t1: float) -> float:
    """Time average of the team table's `column` for `server` (the last row is the end marker)."""
    rows = team[(team["resource"] == "server") & team[column].notna()]
    return time_average(rows["time_days"], rows[column], t0, t1)


@dataclass
class Measured:
    """One estimate per replication, over the queue's observation window."""

    wq: np.ndarray  # mean wait in queue of the candidates arriving in the window
    waited: np.ndarray  # share of those candidates who waited at all
    lq: np.ndarray  # time-average number in queue, from the event log
    busy_events: np.ndarray  # utilisation from the event log (start .. complete)
    busy_team: np.ndarray  # utilisation from the team table


@cache
def measured(queue: Queue) -> Measured:
    results = sim.run(queue.scenario())
    t0, t1 = queue.window
    times = review_times(results.events)
    rows = {name: [] for name in Measured.__dataclass_fields__}
    for replication, one in times.groupby("replication"):
        team = results.team_levels[results.team_levels["replication"] == replication]
        assert one["schedule"].max() > t1, "the window must end before the last arrival"
        inside = one[one["schedule"].between(t0, t1)]
        waits = (inside["start"] - inside["schedule"]).to_numpy()
        rows["wq"].append(waits.mean())
        rows["waited"].append(np.mean(waits > 0))
        rows["lq"].append(count_average(one["schedule"], one["start"], t0, t1))
        busy = count_average(one["start"], one["complete"], t0, t1)
        rows["busy_events"].append(busy / queue.servers)
        rows["busy_team"].append(team_average(team, "busy", t0, t1) / queue.servers)
    return Measured(**{name: np.array(values) for name, values in rows.items()})


def assert_covers(estimates: np.ndarray, truth: float, max_relative_half_width: float) -> None:
    mean, low, high = t_interval(estimates, LEVEL)
    assert low <= truth <= high, (
        f"{LEVEL:.0%} interval [{low:.4f}, {high:.4f}] (mean {mean:.4f}) misses {truth:.4f}"
    )
    half = (high - low) / 2
    assert half <= max_relative_half_width * truth, f"interval too wide to mean much: +-{half:.4f}"


# -- the scenario really is an M/M/c queue (fast) ---------------------------------------------


@pytest.mark.parametrize("queue", QUEUES)
def test_scenario_is_a_plain_queue(queue):
    small = Queue(queue.rate, queue.servers, queue.service_mean, 300, 2, queue.seed)
    results = sim.run(small.scenario())
    applicants, events = results.applicants, results.events

    assert len(applicants) == 2 * 300
    assert (applicants["outcome"] == "rejected").all()
    assert (applicants["exit_stage"] == "initial_review").all()
    assert set(events["concept:name"]) == {"initial_review", "rejected"}
    review = events[events["concept:name"] == "initial_review"]
    assert set(review["org:resource"]) == {"server"}
    assert (review.groupby("case:concept:name")["lifecycle:transition"].value_counts() == 1).all()
    assert len(review) == 4 * len(applicants)  # schedule, assign (no wait: at once), start, ...

    times = review_times(events)
    for _, one in times.groupby("replication"):
        # first come, first served: work starts in arrival order, and never more than c at once
        assert one["start"].is_monotonic_increasing
        assert (one["start"] >= one["schedule"]).all()
        assert (one["complete"] > one["start"]).all()
        starts = np.sort(one["start"].to_numpy())
        completes = np.sort(one["complete"].to_numpy())
        in_service = np.arange(1, len(starts) + 1) - np.searchsorted(completes, starts, "right")
        assert in_service.max() <= queue.servers
        # rejection follows the review at once; arrivals match the applicants table
        arrived = applicants.set_index("case_id").loc[one["case:concept:name"], "arrived_day"]
        np.testing.assert_array_equal(arrived.to_numpy(), one["schedule"].to_numpy())
        exit_day = applicants.set_index("case_id").loc[one["case:concept:name"], "exit_day"]
        np.testing.assert_array_equal(exit_day.to_numpy(), one["complete"].to_numpy())

    # the preset's other team members are merged in but never used
    others = results.team_levels[results.team_levels["resource"] != "server"]
    assert others["busy"].isna().all()


@pytest.mark.parametrize("queue", QUEUES)
def test_littles_law_holds_on_every_sample_path(queue):
    """Area under Q(t) over [0, T] = sum of waits, so Lq_hat = lambda_hat * mean Wq exactly
    (T: the last event; every candidate is served by then). Likewise for the number in system
    and the time in system. This checks the event log's internal consistency and the step
    function arithmetic used by the statistical tests below, not the theory."""
    small = Queue(queue.rate, queue.servers, queue.service_mean, 500, 3, queue.seed + 100)
    times = review_times(sim.run(small.scenario()).events)
    for _, one in times.groupby("replication"):
        end = one["complete"].max()
        rate = len(one) / end
        lq = count_average(one["schedule"], one["start"], 0.0, end)
        wq = (one["start"] - one["schedule"]).mean()
        assert lq == pytest.approx(rate * wq, rel=1e-9)
        ls = count_average(one["schedule"], one["complete"], 0.0, end)
        ws = (one["complete"] - one["schedule"]).mean()
        assert ls == pytest.approx(rate * ws, rel=1e-9)
        assert lq > 0.1 * queue.lq  # a queue formed: the identity is not 0 = 0


def test_team_table_matches_event_log():
    """The team table's busy and queue step functions are the event log's, on the same path."""
    small = Queue(MM1.rate, 1, MM1.service_mean, 500, 1, MM1.seed + 200)
    results = sim.run(small.scenario())
    one = review_times(results.events)
    end = one["complete"].max()
    busy = count_average(one["start"], one["complete"], 0.0, end)
    queued = count_average(one["schedule"], one["start"], 0.0, end)
    assert team_average(results.team_levels, "busy", 0.0, end) == pytest.approx(busy, rel=1e-9)
    assert team_average(results.team_levels, "queue", 0.0, end) == pytest.approx(queued, rel=1e-9)


# -- against theory (slow: 40 replications of a few thousand candidates each) -----------------


@pytest.mark.slow
@pytest.mark.parametrize("queue", QUEUES)
def test_mean_wait_in_queue_matches_theory(queue):
    """Wq = rho / (mu - lambda) for M/M/1 (1.5 days); Erlang C / (c mu - lambda) for M/M/3."""
    assert_covers(measured(queue).wq, queue.wq, max_relative_half_width=0.1)


@pytest.mark.slow
@pytest.mark.parametrize("queue", QUEUES)
def test_probability_of_waiting_matches_erlang_c(queue):
    """PASTA: the share of arrivals who wait is P(all c busy) = C(c, a); rho for M/M/1."""
    assert_covers(measured(queue).waited, queue.p_wait, max_relative_half_width=0.05)


@pytest.mark.slow
@pytest.mark.parametrize("queue", QUEUES)
def test_time_average_queue_length_matches_erlang_c(queue):
    """Little's law in expectation: the time-average queue length estimates Lq = lambda Wq."""
    assert_covers(measured(queue).lq, queue.lq, max_relative_half_width=0.1)


@pytest.mark.slow
@pytest.mark.parametrize(
    "source",
    [
        "busy_events",
        "busy_team",
    ],
)
@pytest.mark.parametrize("queue", QUEUES)
def test_utilisation_matches_rho(queue, source):
    """Time-weighted busy servers / capacity estimates rho = lambda / (c mu)."""
    assert_covers(getattr(measured(queue), source), queue.rho, max_relative_half_width=0.03)
