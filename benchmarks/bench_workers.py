"""The speed-up of `hiresim run` with more workers, end to end, against a bare process pool.

Runs `hiresim run SCENARIO` as a user would (a subprocess: imports, simulation, summaries,
files, charts and report all counted) with one worker and with N, alternating, REPEATS times
each, and prints one JSON line: the median wall times and the speed-up (ideal: N). With
`--dask`, also N workers of a Dask LocalCluster (`--backend dask`; needs the `dask` extra).
The ceiling this machine allows is measured in the same run: a bare process pool mapping
CPU-bound work of the same total over N processes (no hiresim at all).

    python benchmarks/bench_workers.py [--scenario scenarios/size_by_volume.yaml]
                                       [--workers 2] [--repeats 3] [--replications N] [--dask]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def hiresim_run(scenario: str, workers: int, extra: list[str], folder: Path) -> float:
    """Wall seconds of one `hiresim run` into a new folder under `folder`."""
    out = Path(tempfile.mkdtemp(dir=folder)) / "out"
    command = [sys.executable, "-m", "sim", "run", scenario, "--out", str(out), "--quiet",
               "--workers", str(workers), *extra]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - start


def spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def bare_pool(workers: int, tasks: int = 40, size: int = 1_500_000) -> float:
    """Wall seconds of `tasks` pure-Python loops on a pool of `workers` processes."""
    start = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(spin, [size] * tasks))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="scenarios/size_by_volume.yaml")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--replications", type=int, default=None)
    parser.add_argument("--dask", action="store_true", help="also a Dask LocalCluster")
    args = parser.parse_args()
    extra = [] if args.replications is None else ["--replications", str(args.replications)]
    runs: dict[str, list[float]] = {"one": [], "pool": [], "dask": [], "bare_one": [],
                                    "bare_pool": []}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="hiresim-workers-") as tmp:
        for _ in range(args.repeats):
            runs["one"].append(hiresim_run(args.scenario, 1, extra, Path(tmp)))
            runs["pool"].append(hiresim_run(args.scenario, args.workers, extra, Path(tmp)))
            if args.dask:
                dask = [*extra, "--backend", "dask"]
                runs["dask"].append(hiresim_run(args.scenario, args.workers, dask, Path(tmp)))
            runs["bare_one"].append(bare_pool(1))
            runs["bare_pool"].append(bare_pool(args.workers))
    median = {name: statistics.median(times) for name, times in runs.items() if times}
    figures = {
        "scenario": args.scenario, "workers": args.workers, "repeats": args.repeats,
        "seconds_one_worker_median": round(median["one"], 2),
        f"seconds_{args.workers}_workers_median": round(median["pool"], 2),
        "speedup_local_pool": round(median["one"] / median["pool"], 2),
        "speedup_bare_process_pool": round(median["bare_one"] / median["bare_pool"], 2),
    }  # fmt: skip
    if args.dask:
        figures[f"seconds_dask_{args.workers}_workers_median"] = round(median["dask"], 2)
        figures["speedup_dask_local_cluster"] = round(median["one"] / median["dask"], 2)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
