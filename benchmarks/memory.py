"""Peak memory and wall time of one `hiresim run` of about N candidates, whole process tree.

Writes a volume scenario (benchmarks/volume.py: the `large` preset, `calendar: null`, enough
requisitions for about N candidates in one replication) to a temporary folder, runs
`hiresim run` on it as a subprocess with its results in that folder, and polls the resident
memory summed over the process and all its descendants (psutil, every 50 ms; `getrusage` would
report only the largest single process). Prints one JSON line; the folder is deleted afterwards.
Needs psutil (`pip install -e '.[bench]'`), and pyarrow for `--format parquet`.

`--direct` runs, instead of the command line, one `sim.simulate(..., files=TableFiles(...))`
in a child process (the tables written chunk by chunk, as the runner's workers do; no
summaries or charts): the bound the records and tables keep on their own.

    python benchmarks/memory.py [--candidates 100000] [--format csv|parquet] [--workers N]
                                [--direct]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from volume import volume_document

GIB = 2**30


def tree_rss(process: psutil.Process) -> int:
    """Resident bytes of `process` and every descendant still alive."""
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for member in members:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += member.memory_info().rss
    return total


def count_rows(folder: Path, fmt: str) -> int | None:
    """Rows of the applicants table the run wrote (None if not found)."""
    found = sorted(folder.rglob(f"applicants.{fmt}"))
    if not found:
        return None
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return sum(pq.ParquetFile(path).metadata.num_rows for path in found)
    with found[0].open("rb") as handle:
        return sum(1 for _ in handle) - 1


def direct(n: int, fmt: str, folder: str) -> None:
    """In the child of `--direct`: one replication of the volume scenario, tables to files."""
    import sim
    from sim.execution.tablefiles import TableFiles

    scenario = sim.load_scenario(volume_document(n))
    with TableFiles(folder, fmt) as files:
        sim.simulate(scenario, 0, files=files)


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        direct(int(sys.argv[2]), sys.argv[3], sys.argv[4])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--candidates",
        type=float,
        default=100_000,
        help="about this many candidates in the replication (default 1e5)",
    )
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="passed to hiresim run (default: the command line's)",
    )
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between polls")
    parser.add_argument(
        "--direct",
        action="store_true",
        help="run sim.simulate with TableFiles in a child process instead of hiresim run",
    )
    args = parser.parse_args()
    n = int(args.candidates)
    hiresim = Path(sys.executable).with_name("hiresim")
    command = [str(hiresim)] if hiresim.exists() else [sys.executable, "-m", "sim"]
    with tempfile.TemporaryDirectory(prefix="hiresim-memory-") as tmp:
        scenario, out = Path(tmp) / "volume.yaml", Path(tmp) / "out"
        scenario.write_text(json.dumps(volume_document(n)))  # JSON is YAML
        command += ["run", str(scenario), "--out", str(out), "--replications", "1", "--quiet",
                    "--format", args.format, "--max-requisitions", "1000000"]  # fmt: skip
        if args.direct:
            command = [sys.executable, __file__, "--child", str(n), args.format, str(out)]
        elif args.workers is not None:
            command += ["--workers", str(args.workers)]
        peak, polls = 0, 0
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        process = psutil.Process(child.pid)
        while child.poll() is None:
            peak = max(peak, tree_rss(process))
            polls += 1
            time.sleep(args.interval)
        wall = time.perf_counter() - start
        stderr = child.stderr.read().decode(errors="replace")
        rows = count_rows(out, args.format) if child.returncode == 0 else None
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    largest = usage.ru_maxrss * 1024  # KiB on Linux
    print(json.dumps({
        "candidates_target": n, "candidates": rows, "format": args.format,
        "mode": "direct" if args.direct else "hiresim run",
        "workers": args.workers, "exit_status": child.returncode,
        "wall_s": round(wall, 1), "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_tree_gib": round(peak / GIB, 3),
        "peak_rss_largest_process_gib": round(largest / GIB, 3), "polls": polls,
    }))  # fmt: skip
    if child.returncode != 0:
        sys.stderr.write(stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
