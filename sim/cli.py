"""The `hiresim` command (also `python -m sim`): run and validate scenarios.

Exit status: 0 on success, 2 for bad input (one line per problem, naming the field by its
dotted path; never a traceback), 130 when interrupted. Only this module writes files.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

from sim import __version__

EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 130


class UserError(Exception):
    """Bad input from the command line: its lines are printed, exit status 2."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


def _count(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, not {value}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hiresim",
        description="Simulate what happens after a job interview: time to offer and to hire.",
    )
    parser.add_argument("--version", action="version", version=f"hiresim {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run a scenario and write its result tables")
    run.add_argument("scenario", metavar="SCENARIO.yaml")
    run.add_argument("--out", metavar="DIR", help="results folder (default: results/<name>)")
    run.add_argument("--replications", type=_count(1), metavar="N")
    run.add_argument("--seed", type=_count(0), metavar="N", help="root seed (default: the file's)")
    run.add_argument("--workers", type=_count(1), metavar="N")
    run.add_argument("--backend", choices=["local", "dask"], default="local")
    run.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler (with --backend dask)")
    run.add_argument("--resume", action="store_true", help="reuse finished sweep cells")
    run.add_argument("--format", choices=["csv", "parquet"], default="csv")
    run.add_argument("--quiet", action="store_true", help="no progress display")

    validate = commands.add_parser("validate", help="check a scenario file and say what is wrong")
    validate.add_argument("scenario", metavar="SCENARIO.yaml")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args)
        return _run(args)
    except UserError as err:
        for line in err.lines:
            print(line, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted: no results were written", file=sys.stderr)
        return EXIT_INTERRUPTED


def _load(path: str):
    from sim.scenario_io import ScenarioError, load_scenario

    try:
        return load_scenario(path)
    except ScenarioError as err:
        raise UserError(err.problems) from None


def _validate(args) -> int:
    from sim.scenario_io import cells

    scenario = _load(args.scenario)
    n = len(cells(scenario))
    grid = f", {n} sweep cells" if scenario.sweep else ""
    print(f"{args.scenario}: valid ({scenario.name}, company size {scenario.company.size}, "
          f"{scenario.replications} replications{grid})")  # fmt: skip
    return EXIT_OK


def _check_options(args) -> None:
    problems = []
    if args.backend == "dask":
        problems.append("--backend dask: not available in this version; use --backend local")
    if args.scheduler:
        problems.append("--scheduler: only used with --backend dask")
    if args.resume:
        problems.append("--resume: not available in this version; rerun without it")
    if args.format == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            problems.append("--format parquet: needs pyarrow (pip install 'hiresim[parquet]')")
    if problems:
        raise UserError(problems)


def _run(args) -> int:
    _check_options(args)
    scenario = _load(args.scenario)

    from sim.output import staged_folder
    from sim.runner import run
    from sim.scenario_io import dump_yaml, resolved_document

    out = Path(args.out) if args.out else Path("results") / scenario.name
    started = time.perf_counter()
    progress = None if args.quiet or not sys.stderr.isatty() else _progress(started)
    results = run(scenario, replications=args.replications, seed=args.seed,
                  workers=args.workers, progress=progress)  # fmt: skip
    if progress is not None:
        print(file=sys.stderr)

    with staged_folder(out) as folder:
        for name in ("applicants", "events", "summary", "team"):
            table = getattr(results, name)
            table.to_csv(folder / f"{name}.csv", index=False)
            if args.format == "parquet":
                table.to_parquet(folder / f"{name}.parquet", index=False)
        (folder / "scenario.resolved.yaml").write_text(
            dump_yaml(resolved_document(results.scenario)), encoding="utf-8"
        )
        _write_charts(results, folder / "charts")

    for line in _headline(results, out, time.perf_counter() - started):
        print(line)
    return EXIT_OK


def _write_charts(results, folder: Path) -> None:
    from sim import plots

    folder.mkdir()
    fig = plots.plot_time_to_offer(results.applicants)
    fig.savefig(folder / "time_to_offer.png", dpi=150)


def _interval(row, column: str) -> str:
    value, low, high = row[column], row[f"{column}_ci_low"], row[f"{column}_ci_high"]
    if math.isnan(value):
        return "n/a"
    if math.isnan(low):
        return f"{value:.1f}"
    return f"{value:.1f} [{low:.1f}, {high:.1f}]"


def _headline(results, out: Path, seconds: float) -> list[str]:
    s = results.summary
    lines = [
        f"{results.scenario.name}: {len(s)} cell(s) x {results.replications} replication(s) "
        f"in {seconds:.1f} s",
    ]
    for _, row in s.iterrows():
        label = ", ".join(f"{p}={row[p]}" for p in results.swept)
        lines.append(
            (f"[{label}] " if label else "")
            + f"{row['candidates']:,} candidates, {row['hired']:,} hired "
            f"({row['hires_per_replication']:.2f} per replication), "
            f"{row['withdrew']:,} withdrew, {row['declined']:,} declined"
        )
        lines.append(
            f"  median days to offer {_interval(row, 'time_to_offer_days_median')}, "
            f"to hire {_interval(row, 'time_to_hire_days_median')}  (95% CI)"
        )
    lines.append(f"results: {out}/ (summary.csv, applicants.csv, events.csv, team.csv, charts/)")
    return lines


def _progress(started: float):
    def show(done: int, total: int) -> None:
        elapsed = time.perf_counter() - started
        left = elapsed / done * (total - done)
        print(f"\r  replication {done}/{total}, about {left:.0f} s left ", end="",
              file=sys.stderr, flush=True)  # fmt: skip

    return show
