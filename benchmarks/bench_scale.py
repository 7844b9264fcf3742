"""Candidates per second of `sim.run` (summaries included, workers=1) as the run grows, and the
cost of the business calendar and team hours.

One replication of the volume scenario (benchmarks/volume.py, `calendar: null`) at about 1e3,
1e4 and 1e5 candidates (`--max 1e6` adds 1e6: many minutes and several GiB), one JSON line per
size. Then the same scenario at 1e4 with the preset's business calendar and team hours on and
off, alternating, `--repeats` times each; the line gives the medians and their ratio (the
calendar's cost: seconds with it over seconds without). Each line gives wall seconds and this
process's CPU seconds (steadier when other work shares the machine).

`--files csv|parquet` times instead one `sim.simulate` per size with its tables written chunk by
chunk to a temporary folder (`sim.execution.tablefiles.TableFiles`): the model and the tables,
without the summaries; the calendar comparison is skipped.

    python benchmarks/bench_scale.py [--max 1e5] [--repeats 3] [--calendar-candidates 1e4]
                                     [--files csv|parquet]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time

from volume import volume_document

import sim


def timed_run(n: int, calendar: bool, seed: int = 0) -> tuple[int, float, float]:
    """(candidates simulated, wall seconds, CPU seconds of this process) of `sim.run` on the
    volume scenario, one replication. The CPU time is the steadier figure on a shared machine."""
    scenario = sim.load_scenario(volume_document(n, calendar=calendar))
    start, cpu = time.perf_counter(), time.process_time()
    results = sim.run(scenario, replications=1, workers=1, seed=seed,
                      max_candidates=10**8)  # fmt: skip
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return len(results.applicants), seconds, cpu


def timed_simulate(n: int, fmt: str, seed: int = 0) -> tuple[int, float, float]:
    """As `timed_run`, of one `sim.simulate` writing its tables as `fmt` files as it goes."""
    from sim.execution.tablefiles import TableFiles

    scenario = sim.load_scenario(volume_document(n, seed=seed))
    with tempfile.TemporaryDirectory(prefix="hiresim-scale-") as tmp:
        start, cpu = time.perf_counter(), time.process_time()
        with TableFiles(tmp, fmt) as files:
            tables = sim.simulate(scenario, 0, files=files)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return len(tables["applicants"]), seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=float, default=1e5, help="largest size (1e5; 1e6 slow)")
    parser.add_argument("--repeats", type=int, default=3, help="runs each way for the calendar")
    parser.add_argument("--calendar-candidates", type=float, default=1e4)
    parser.add_argument("--files", choices=("csv", "parquet"), default=None,
                        help="time sim.simulate writing its tables to files instead")  # fmt: skip
    args = parser.parse_args()
    sizes = [10**e for e in range(3, 7) if 10**e <= args.max]
    for n in sizes:
        if args.files:
            candidates, seconds, cpu = timed_simulate(n, args.files)
        else:
            candidates, seconds, cpu = timed_run(n, calendar=False)
        line = {"candidates_target": n, "candidates": candidates, "seconds": round(seconds, 2),
                "candidates_per_s": round(candidates / seconds), "cpu_seconds": round(cpu, 2),
                "candidates_per_cpu_s": round(candidates / cpu),
                "mode": f"simulate, {args.files} files" if args.files else "sim.run"}  # fmt: skip
        print(json.dumps(line), flush=True)
    if args.files:
        return
    n = int(args.calendar_candidates)
    on, off, cpu_on, cpu_off, counts = [], [], [], [], {}
    for r in range(args.repeats):  # alternate, so drift in the machine's speed hits both
        for calendar, times, cpus in ((False, off, cpu_off), (True, on, cpu_on)):
            candidates, seconds, cpu = timed_run(n, calendar=calendar, seed=r)
            times.append(seconds)
            cpus.append(cpu)
            counts.setdefault(calendar, []).append(candidates)
    print(json.dumps({
        "calendar_comparison_candidates_target": n, "repeats": args.repeats,
        "candidates_median_without": statistics.median(counts[False]),
        "candidates_median_with": statistics.median(counts[True]),
        "seconds_median_without_calendar": round(statistics.median(off), 2),
        "seconds_median_with_calendar": round(statistics.median(on), 2),
        "candidates_per_s_without": round(sum(counts[False]) / sum(off)),
        "candidates_per_s_with": round(sum(counts[True]) / sum(on)),
        "ratio_seconds_with_to_without": round(statistics.median(on) / statistics.median(off), 3),
        "cpu_seconds_median_without_calendar": round(statistics.median(cpu_off), 2),
        "cpu_seconds_median_with_calendar": round(statistics.median(cpu_on), 2),
        "ratio_cpu_with_to_without": round(
            statistics.median(cpu_on) / statistics.median(cpu_off), 3),
    }), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
