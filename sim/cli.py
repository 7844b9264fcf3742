"""The `hiresim` command (also `python -m sim`): run, validate and compare scenarios.

Exit status: 0 on success, 2 for bad input (one line per problem, naming the field by its
dotted path; never a traceback), 130 when interrupted. Only this module writes files.
"""

from __future__ import annotations

import argparse
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

    compare = commands.add_parser(
        "compare", help="what-if: run variants on the base's seeds, report paired differences"
    )
    compare.add_argument("base", metavar="BASE.yaml")
    compare.add_argument("variants", metavar="VARIANT.yaml", nargs="+")
    compare.add_argument("--out", metavar="DIR", help="default: results/compare-<base name>")
    compare.add_argument("--replications", type=_count(2), metavar="N")
    compare.add_argument("--seed", type=_count(0), metavar="N")
    compare.add_argument("--workers", type=_count(1), metavar="N")
    compare.add_argument("--quiet", action="store_true", help="no progress display")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args)
        if args.command == "compare":
            return _compare(args)
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

    from sim import output
    from sim.runner import default_workers, run
    from sim.scenario_io import dump_yaml, resolved_document

    out = Path(args.out) if args.out else Path("results") / scenario.name
    started = time.perf_counter()
    workers = args.workers or default_workers()
    with output.staged_folder(out) as folder:
        writer = output.CellWriter(folder, parquet=args.format == "parquet")
        with Progress(quiet=args.quiet) as progress:
            results = run(scenario, replications=args.replications, seed=args.seed,
                          workers=workers, progress=progress, on_cell=writer,
                          keep_tables=False)  # fmt: skip
        writer.assemble()
        small = {"summary": results.summary, "stages": results.stages, "team": results.team}
        output.write_tables(folder, small, parquet=args.format == "parquet")
        (folder / "scenario.resolved.yaml").write_text(
            dump_yaml(resolved_document(results.scenario)), encoding="utf-8"
        )
        _charts_and_report(folder, results, writer)

    for line in _headline(results, out, time.perf_counter() - started):
        print(line)
    return EXIT_OK


def _charts_and_report(folder: Path, results, writer) -> None:
    from sim import output
    from sim.chartbook import standard_charts
    from sim.report import build_report

    offers, events, levels = writer.chart_tables()
    charts = standard_charts(results.summary, results.stages, offers, events, levels,
                             results.swept, results.replications)  # fmt: skip
    images = output.write_charts(folder / "charts", charts)
    (folder / "report.html").write_text(build_report(results, images), encoding="utf-8")


def _compare(args) -> int:
    scenarios = [_load(path) for path in [args.base, *args.variants]]
    problems = [f"{path}: compare takes scenarios without a sweep (remove its sweep:)"
                for path, s in zip([args.base, *args.variants], scenarios, strict=True)
                if s.sweep]  # fmt: skip
    if problems:
        raise UserError(problems)

    from sim import output
    from sim.compare import compare
    from sim.plots_compare import plot_comparison
    from sim.runner import default_workers

    base, variants = scenarios[0], scenarios[1:]
    out = Path(args.out) if args.out else Path("results") / f"compare-{base.name}"
    workers = args.workers or default_workers()
    with output.staged_folder(out) as folder:
        with Progress(quiet=args.quiet, label="scenario replications") as progress:
            comparison = compare(base, variants, replications=args.replications,
                                 seed=args.seed, workers=workers, progress=progress)  # fmt: skip
        output.write_tables(folder, {"comparison": comparison.table})
        summaries = [r.summary for r in (comparison.base, *comparison.variants)]
        output.write_tables(folder, {"summary": _concat(summaries)})
        figure = plot_comparison(comparison.table)
        output.write_charts(folder / "charts", {"comparison": ("What changes", figure)})
    print(f"{len(variants)} variant(s) against {base.name}, "
          f"{comparison.base.replications} paired replications (95% intervals):")  # fmt: skip
    for line in comparison.headline():
        print(f"  {line}")
    print(f"results: {out}/ (comparison.csv, summary.csv, charts/comparison.png)")
    return EXIT_OK


def _concat(frames):
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def _headline(results, out: Path, seconds: float) -> list[str]:
    from sim.summaries import interval_text

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
            f"  median days to offer {interval_text(row, 'time_to_offer_days_median')}, "
            f"to hire {interval_text(row, 'time_to_hire_days_median')}  (95% CI)"
        )
    lines.append(f"results: {out}/ (report.html, summary.csv, applicants.csv, events.csv, charts/)")
    return lines


class Progress:
    """A progress bar on stderr when it is a terminal: done/total, bar, time left."""

    WIDTH = 30

    def __init__(self, quiet: bool = False, label: str = "replications"):
        self.active = not quiet and sys.stderr.isatty()
        self.label = label
        self.started = time.perf_counter()

    def __enter__(self):
        return self if self.active else None

    def __exit__(self, *exc) -> None:
        if self.active:
            print(file=sys.stderr)

    def __call__(self, done: int, total: int) -> None:
        elapsed = time.perf_counter() - self.started
        left = elapsed / done * (total - done)
        filled = round(self.WIDTH * done / total)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        print(f"\r  [{bar}] {done}/{total} {self.label}, {left:4.0f} s left ", end="",
              file=sys.stderr, flush=True)  # fmt: skip
