"""hiresim against the bare-SimPy reference pipeline (../shared/bench/reference_pipeline.py).

Both run the same seven-stage process in this one process, alternating, several times; the
figures are medians of candidates simulated per second (the machine is shared: only figures
measured in the same run compare). hiresim is timed as a user meets it:

- `simulate`: `sim.simulate(scenario, r)`, the model and its tables (applicants, events, team
  levels, requisitions);
- `run`: `sim.run(scenario, replications=1)`, with the summary and the event log in hand;
- `model`: `HiringModel(scenario, r).run()` alone, its records not yet tables;

the reference's time covers only its run and a hire count. The same process on working time
(`calendar_scenarios`) is run through `sim.run` with and without its calendar, alternating too:
`calendar_cost` is the ratio of their medians (the issue's target: at most 1.5).

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
from sim.model.core import HiringModel

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


CALENDAR_HORIZON_DAYS = 36_600  # the longest run a calendar allows: 20,000 arrive in 28,600


def calendar_scenarios(n: int) -> tuple[sim.Scenario, sim.Scenario]:
    """The reference's process on working time, and the same without a calendar: (with,
    without). With it, Monday-Friday 09:00-17:00 with US holidays; the hiring managers give 20
    hours a week each (09:00-13:00), the recruiter the full week. The team's work is in
    working hours (three per day of the reference's mean: the managers busy about 70% of their
    hours, as in the reference), reference checks in business days, negotiation and the
    decision in calendar days: every clock the calendar has. Without it, an hour is 1/24 of a
    day and a business day a day: the same stages, draws and events, but for the waits until
    someone is working."""

    def hours(mean_days: float) -> dict:
        return {**lognormal(3 * mean_days), "unit": "hours"}

    with_calendar = sim.override(equivalent_scenario(n), {
        "name": "reference-equivalent-calendar",
        "horizon_days": CALENDAR_HORIZON_DAYS,
        "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri"], "hours_per_day": 8,
                     "holidays": {"country": "US"}},
        "team.hiring_manager.hours_per_week": 20,
        "stages.initial_review.duration": hours(1.0),
        "stages.shortlisting.duration": hours(0.5),
        "stages.reference_checks.duration": {**lognormal(5.0), "unit": "business_days"},
        "stages.decision.duration": hours(1.0),
        "stages.follow_up.duration": hours(0.5),
    })  # fmt: skip
    return with_calendar, sim.override(with_calendar, {"calendar": None})


def load_reference():
    spec = importlib.util.spec_from_file_location("reference_pipeline", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timed(call) -> tuple[float, object]:
    """Seconds `call()` takes, and what it returned."""
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value


def run_in_hand(scenario: sim.Scenario, replication: int):
    """`sim.run` for one replication, the summary and the event log materialised."""
    results = sim.run(scenario, replications=1, seed=scenario.seed + replication)
    return results, len(results.summary) + len(results.events)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    reference = load_reference()
    scenario = equivalent_scenario(n)
    on_time, off_time = calendar_scenarios(n)
    seconds: dict[str, list[float]] = {k: [] for k in (
        "reference", "model", "simulate", "run", "calendar_run", "no_calendar_run")}  # fmt: skip
    hired = []
    for warm in (equivalent_scenario(200), *calendar_scenarios(200)):  # imports, caches: untimed
        run_in_hand(warm, 0)
        sim.simulate(warm, 0)
    for r in range(repeats):
        ref_seconds, _ = reference.simulate(n, r + 1)
        seconds["reference"].append(ref_seconds)
        seconds["model"].append(timed(lambda: HiringModel(scenario, r).run())[0])  # noqa: B023
        took, tables = timed(lambda: sim.simulate(scenario, r))  # noqa: B023
        seconds["simulate"].append(took)
        hired.append(float((tables["applicants"]["outcome"] == "hired").mean()))
        del tables
        seconds["run"].append(timed(lambda: run_in_hand(scenario, r))[0])  # noqa: B023
        # alternate which of the pair goes first, so neither always runs on a warmer cache
        pair = [("calendar_run", on_time), ("no_calendar_run", off_time)]
        for name, variant in pair if r % 2 == 0 else pair[::-1]:
            seconds[name].append(timed(lambda: run_in_hand(variant, r))[0])  # noqa: B023
    median = {name: statistics.median(values) for name, values in seconds.items()}
    per_s = {name: round(n / value) for name, value in median.items()}
    print(json.dumps({
        "candidates": n, "repeats": repeats,
        "reference_candidates_per_s_median": per_s["reference"],
        "hiresim_model_candidates_per_s_median": per_s["model"],
        "hiresim_simulate_candidates_per_s_median": per_s["simulate"],
        "hiresim_run_candidates_per_s_median": per_s["run"],
        "ratio_model_to_reference": round(median["reference"] / median["model"], 3),
        "ratio_simulate_to_reference": round(median["reference"] / median["simulate"], 3),
        "ratio_run_to_reference": round(median["reference"] / median["run"], 3),
        "calendar_run_seconds_median": round(median["calendar_run"], 3),
        "no_calendar_run_seconds_median": round(median["no_calendar_run"], 3),
        "calendar_cost": round(median["calendar_run"] / median["no_calendar_run"], 3),
        "hiresim_hired_share": round(statistics.mean(hired), 4), "expected_hired_share": 0.8**7,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
