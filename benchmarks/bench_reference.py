"""hiresim against the bare-SimPy reference pipeline (../shared/bench/reference_pipeline.py).

Both run the same seven-stage process in this one process, alternating, several times; the
figures are medians of candidates simulated per second. hiresim's time includes building its
tables (applicants, events, team) from the records, the reference's only a hire count.

    python benchmarks/bench_reference.py [N_CANDIDATES] [REPEATS]
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path

import sim

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "bench" / "reference_pipeline.py"


def lognormal(mean: float) -> dict:
    return {"dist": "lognormal", "mean": mean, "sd": 0.5 * mean}


def equivalent_scenario(n: int) -> sim.Scenario:
    """The reference's process: Poisson 0.7/day, pass 0.8 at every stage, no patience."""
    stage = {"wait": None, "pass_prob": 0.8}
    return sim.load_scenario({
        "name": "reference-equivalent",
        "horizon_days": 1e9,
        "calendar": None,  # the reference is continuous time
        "company": {"size": "mid", "requisitions": 1, "requisitions_per_month": 0,
                    "openings": 10**9},
        # the reference pools its two hiring managers: one requisition must not own one
        "team": {"hiring_manager": {"count": 2, "owns_requisitions": False}, "recruiter": 1},
        "applicants": {"per_requisition": n, "max_reopens": 0,
                       "arrivals": {"process": "poisson", "rate_per_day": 0.7}},
        "candidate": {"patience": None},
        "stages": {
            "initial_review": {**stage, "resource": "hiring_manager", "duration": lognormal(1.0)},
            "shortlisting": {**stage, "resource": "hiring_manager", "keep": None,
                             "duration": lognormal(0.5)},
            "reference_checks": {**stage, "resource": None, "duration": lognormal(5.0)},
            "decision": {**stage, "resource": "hiring_manager", "meets_every_days": None,
                         "duration": lognormal(1.0)},
            "follow_up": {**stage, "resource": "recruiter", "duration": lognormal(0.5),
                          "second_interview_prob": 0.0, "rejection_duration": None},
            "negotiation": {"resource": None, "wait": None, "rounds": 1, "walk_away_prob": 0.2,
                            "duration": lognormal(3.0)},
            "final_decision": {"resource": None, "wait": None, "duration": lognormal(2.0),
                               "accept_prob": 0.8, "accept_prob_loss_per_week": 0.0},
            "onboarding": {"enabled": False},
        },
    })  # fmt: skip


def load_reference():
    spec = importlib.util.spec_from_file_location("reference_pipeline", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    reference = load_reference()
    scenario = equivalent_scenario(n)
    ours, theirs, hired = [], [], []
    for r in range(repeats):
        seconds, _ = reference.simulate(n, r + 1)
        theirs.append(n / seconds)
        start = time.perf_counter()
        tables = sim.simulate(scenario, r)
        ours.append(n / (time.perf_counter() - start))
        hired.append(float((tables["applicants"]["outcome"] == "hired").mean()))
    print(json.dumps({
        "candidates": n, "repeats": repeats,
        "reference_candidates_per_s_median": round(statistics.median(theirs)),
        "hiresim_candidates_per_s_median": round(statistics.median(ours)),
        "ratio_hiresim_to_reference": round(statistics.median(ours) / statistics.median(theirs), 3),
        "hiresim_hired_share": round(statistics.mean(hired), 4), "expected_hired_share": 0.8**7,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
