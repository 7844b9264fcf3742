"""hiresim against Ciw on the same M/M/c queue, each from model to per-candidate records.

One stage, `initial_review`, served by `server` (c people), exponential work, no wait, no
patience, Poisson arrivals, everyone rejected once reviewed (`pass_prob: 0`), every other stage
off: the M/M/c queue of tests/test_theory.py. Timed, alternating in this one process, several
times (medians):

- Ciw: `Simulation(network).simulate_until_max_customers(n, method="Finish")` and
  `get_all_records()`;
- hiresim: `sim.simulate(scenario, r)` (the model and its tables) and
  `sim.run(scenario, replications=1)` (with the summary and the event log in hand).

Then a check that both simulate that queue: each run's mean wait in queue (candidates arriving
after the first WARMUP of them) against Erlang C, with a 99% t-interval over the runs.

    python benchmarks/bench_ciw.py [N_CANDIDATES] [REPEATS] [SERVERS]
"""

from __future__ import annotations

import json
import math
import statistics
import sys
import time

import ciw
import numpy as np
import pandas as pd
from scipy import stats

import sim
from sim.scenario import STAGE_NAMES

RATE = 0.9  # arrivals a day
SERVICE_MEAN = 2.0  # days: rho = RATE * SERVICE_MEAN / servers, 0.6 with three
WARMUP = 0.1  # the share of candidates, first to arrive, left out of the mean wait


def erlang_c_wait(rate: float, servers: int, service_mean: float) -> float:
    """Mean wait in queue of an M/M/c queue: C(c, a) / (c mu - lambda)."""
    a = rate * service_mean
    rho = a / servers
    head = sum(a**k / math.factorial(k) for k in range(servers))
    tail = a**servers / math.factorial(servers) / (1 - rho)
    return tail / (head + tail) / (servers / service_mean - rate)


def hiresim_scenario(n: int, servers: int) -> sim.Scenario:
    """The M/M/c queue as tests/test_theory.py builds it."""
    off = {"enabled": False}
    return sim.load_scenario({
        "name": f"m-m-{servers}",
        "horizon_days": 100 * n / RATE,  # never reached
        "calendar": None,
        "company": {"requisitions": 1, "requisitions_per_month": 0},
        "team": {"server": servers},
        "applicants": {"per_requisition": n, "max_reopens": 0,
                       "arrivals": {"process": "poisson", "rate_per_day": RATE}},
        "candidate": {"patience": None},
        "stages": {
            "initial_review": {"enabled": True, "resource": "server", "wait": None,
                               "duration": {"dist": "exponential", "mean": SERVICE_MEAN},
                               "pass_prob": 0},
            **{name: off for name in STAGE_NAMES[1:]},
        },
    })  # fmt: skip


def ciw_records(n: int, servers: int, seed: int) -> list:
    """Ciw's records of the same queue, until `n` customers have finished."""
    ciw.seed(seed)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=RATE)],
        service_distributions=[ciw.dists.Exponential(rate=1 / SERVICE_MEAN)],
        number_of_servers=[servers],
    )
    simulation = ciw.Simulation(network)
    simulation.simulate_until_max_customers(n, method="Finish")
    return simulation.get_all_records()


def ciw_mean_wait(records: list) -> float:
    waits = [r.waiting_time for r in sorted(records, key=lambda r: r.arrival_date)]
    return float(np.mean(waits[int(WARMUP * len(waits)) :]))


def hiresim_mean_wait(events: pd.DataFrame) -> float:
    """Start minus schedule of the review, per candidate, in order of arrival."""
    review = events[events["concept:name"] == "initial_review"]
    times = review.pivot_table(index="case:concept:name", columns="lifecycle:transition",
                               values="time_days", aggfunc="first")  # fmt: skip
    times = times.sort_values("schedule")
    waits = (times["start"] - times["schedule"]).to_numpy()
    return float(np.mean(waits[int(WARMUP * len(waits)) :]))


def interval(values: list[float]) -> list[float]:
    """A 99% t-interval for the mean of `values`."""
    mean, half = np.mean(values), stats.sem(values) * stats.t.ppf(0.995, len(values) - 1)
    return [round(float(mean - half), 4), round(float(mean + half), 4)]


def timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value


def run_in_hand(scenario: sim.Scenario, replication: int) -> sim.Results:
    """`sim.run` for one replication, the summary and the event log materialised."""
    results = sim.run(scenario, replications=1, seed=scenario.seed + replication)
    len(results.summary), len(results.events)
    return results


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    servers = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    scenario = hiresim_scenario(n, servers)
    for_warmth = hiresim_scenario(200, servers)  # imports and caches, untimed
    ciw_records(200, servers, 0), sim.simulate(for_warmth, 0), run_in_hand(for_warmth, 0)
    seconds: dict[str, list[float]] = {"ciw": [], "simulate": [], "run": []}
    waits: dict[str, list[float]] = {"ciw": [], "hiresim": []}
    for r in range(repeats):
        took, records = timed(lambda: ciw_records(n, servers, r))  # noqa: B023
        seconds["ciw"].append(took)
        waits["ciw"].append(ciw_mean_wait(records))
        del records
        took, _ = timed(lambda: sim.simulate(scenario, r))  # noqa: B023
        seconds["simulate"].append(took)
        took, results = timed(lambda: run_in_hand(scenario, r))  # noqa: B023
        seconds["run"].append(took)
        waits["hiresim"].append(hiresim_mean_wait(results.events))
        del results
    median = {name: statistics.median(values) for name, values in seconds.items()}
    theory = erlang_c_wait(RATE, servers, SERVICE_MEAN)
    print(json.dumps({
        "queue": f"M/M/{servers}", "rate_per_day": RATE, "service_mean_days": SERVICE_MEAN,
        "candidates": n, "repeats": repeats, "ciw": ciw.__version__,
        "ciw_candidates_per_s_median": round(n / median["ciw"]),
        "hiresim_simulate_candidates_per_s_median": round(n / median["simulate"]),
        "hiresim_run_candidates_per_s_median": round(n / median["run"]),
        "ratio_simulate_to_ciw": round(median["ciw"] / median["simulate"], 3),
        "ratio_run_to_ciw": round(median["ciw"] / median["run"], 3),
        "erlang_c_mean_wait_days": round(theory, 4),
        "ciw_mean_wait_days": round(statistics.mean(waits["ciw"]), 4),
        "ciw_mean_wait_99ci": interval(waits["ciw"]),
        "hiresim_mean_wait_days": round(statistics.mean(waits["hiresim"]), 4),
        "hiresim_mean_wait_99ci": interval(waits["hiresim"]),
        "both_agree_with_erlang_c": all(lo <= theory <= hi for lo, hi in
                                        (interval(waits["ciw"]), interval(waits["hiresim"]))),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
