"""The `hiresim` command (also `python -m sim`): run, validate, compare scenarios, and vary their
parameters (`sensitivity`, in `sim.cli_sensitivity`), fit a scenario to an export (`fit`,
in `sim.cli_fit`).

Exit status: 0 on success, 2 for bad input (one line per problem, naming the field by its
dotted path; never a traceback), 130 when interrupted (Ctrl-C), 143 when terminated (SIGTERM).
Files are written only by `sim.execution.output` (the results) and `.resume` (NAME.resume/).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

from sim import __version__, cli_fit, cli_sensitivity, stopping
from sim.progress import Progress
from sim.scenario import limits

EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 2, 130, 143
STOPPED = "stopped before the results were complete; nothing was written"


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
    run.add_argument("scenario", metavar="SCENARIO.yaml", help="the scenario file to run")
    run.add_argument("--out", metavar="DIR", help="results folder (default: results/<name>)")
    # fmt: off
    run.add_argument("--replications", type=_count(1), metavar="N",
                     help="independent replications (default: the file's replications)")
    run.add_argument("--seed", type=_count(0), metavar="N", help="root seed (default: the file's)")
    run.add_argument("--workers", type=_count(1), metavar="N", help="processes (default: all "
                     "cores); with --scheduler: 2 x N tasks in flight (default N: its threads)")
    run.add_argument("--backend", choices=["local", "dask"], default="local",
                     help="local process pool, or Dask (a local cluster or --scheduler's)")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="Dask scheduler, e.g. tcp://HOST:8786 (with --backend dask)")
    run.add_argument("--resume", action="store_true",
                     help="reuse the sweep cells an interrupted run kept in DIR.resume/")
    run.add_argument("--format", choices=["csv", "parquet"], default="csv",
                     help="the tables' file format (default csv; parquet needs pyarrow)")
    # fmt: on
    run.add_argument("--quiet", action="store_true", help="no progress display")

    validate = commands.add_parser("validate", help="check a scenario file and say what is wrong")
    validate.add_argument("scenario", metavar="SCENARIO.yaml", help="the scenario file to check")

    compare = commands.add_parser(
        "compare", help="what-if: run variants on the base's seeds, report paired differences"
    )
    compare.add_argument("base", metavar="BASE.yaml", help="the scenario compared against")
    # fmt: off
    compare.add_argument("variants", metavar="VARIANT.yaml", nargs="+",
                         help="one or more what-if scenarios (no sweep), run on the base's seeds")
    compare.add_argument("--out", metavar="DIR",
                         help="results folder (default: results/compare-<base name>)")
    compare.add_argument("--replications", type=_count(2), metavar="N",
                         help="paired replications, at least 2 (default: the base file's)")
    compare.add_argument("--seed", type=_count(0), metavar="N",
                         help="root seed of every scenario (default: the base file's)")
    compare.add_argument("--workers", type=_count(1), metavar="N",
                         help="processes (default: all cores)")
    # fmt: on
    compare.add_argument("--quiet", action="store_true", help="no progress display")
    sensitivity = cli_sensitivity.add_parser(commands, _count)
    cli_fit.add_parser(commands)
    for command in (run, compare, sensitivity):  # compare refuses every sweep
        _safety_options(command, sweeps=command is not compare)
    return parser


def _safety_options(command: argparse.ArgumentParser, sweeps: bool = True) -> None:
    command.add_argument(
        "--force",
        action="store_true",
        help="if --out holds something that is not a hiresim result, move it "
        "aside (to NAME.replaced-<time>) instead of refusing",
    )
    command.add_argument(
        "--max-candidates",
        type=_count(1),
        metavar="N",
        default=limits.MAX_CANDIDATES,
        help="refuse runs estimated to simulate more candidates "
        f"(default {limits.MAX_CANDIDATES:,})",
    )
    if sweeps:
        command.add_argument(
            "--max-cells",
            type=_count(1),
            metavar="N",
            default=limits.MAX_CELLS,
            help=f"refuse sweeps of more cells (default {limits.MAX_CELLS:,})",
        )
    command.add_argument(
        "--max-replications",
        type=_count(1),
        metavar="N",
        default=limits.MAX_REPLICATIONS,
        help="refuse runs of more replications over every cell "
        f"(default {limits.MAX_REPLICATIONS:,})",
    )
    command.add_argument("--max-requisitions", type=_count(1), metavar="N",
                         default=limits.MAX_REQUISITIONS,
                         help="refuse replications with more requisitions open at once "
                              f"(default {limits.MAX_REQUISITIONS:,})")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    restore = stopping.install()
    try:
        return _command(args)
    except BaseException as err:  # a stop may come back wrapped in a library's own error
        stop = stopping.stop_behind(err)
        if stop is None:
            raise
        stopped = getattr(err, "stopped", None) or getattr(stop, "stopped", STOPPED)
        if isinstance(stop, KeyboardInterrupt):
            print(f"interrupted: {stopped}", file=sys.stderr)
            return EXIT_INTERRUPTED
        print(f"terminated: {stopped}", file=sys.stderr)
        return EXIT_TERMINATED
    finally:
        restore()


def entry() -> None:
    """The `hiresim` command and `python -m sim`: `main`, then exit with its status. After an
    interruption the run has already cleaned up (workers ended, staging folder removed); should
    the interpreter's own shutdown then wait on a pool's helper thread, a watchdog ends the
    process after a few seconds with the same status. The process is hiresim's own, so freed
    large blocks go back to the system (`sim.execution.heap`)."""
    from sim.execution.heap import return_large_blocks

    return_large_blocks()
    code = main()
    if code in (EXIT_INTERRUPTED, EXIT_TERMINATED):
        watchdog = threading.Timer(5.0, os._exit, args=(code,))
        watchdog.daemon = True
        watchdog.start()
    raise SystemExit(code)


def _command(args) -> int:
    commands = {"validate": _validate, "compare": _compare, "run": _run,
                "sensitivity": cli_sensitivity.command, "fit": cli_fit.command}  # fmt: skip
    try:
        return commands[args.command](args)
    except Exception as err:
        ours = type(err).__module__.startswith("sim.")  # UserError, OutputError, a scheduler
        if not (ours and isinstance(getattr(err, "lines", None), list)):  # bad input, its lines
            raise
        print("\n".join(err.lines), file=sys.stderr)
        return EXIT_USAGE


def _load(path: str, max_cells: int = limits.MAX_CELLS):
    from sim.scenario.errors import ScenarioError
    from sim.scenario.io import load_scenario

    try:
        return load_scenario(path, max_cells=max_cells)
    except ScenarioError as err:
        raise UserError(err.problems) from None


def _warn(scenario) -> None:
    """Legal but suspicious settings: one `warning:` line each; the run goes on."""
    from sim.scenario.checks import scenario_warnings

    for line in scenario_warnings(scenario):
        print(f"warning: {line}", file=sys.stderr)


def _workers(args) -> int:
    """--workers, capped at the cores available (more would only cost memory)."""
    from sim.execution.backends import default_workers

    cores = default_workers()
    if args.workers and args.workers > cores:
        print(f"note: --workers {args.workers} is more than the {cores} core(s) available; "
              f"using {cores}", file=sys.stderr)  # fmt: skip
    return min(args.workers or cores, cores)


def _check_work(args, scenarios) -> None:
    """Refuse (exit 2) a run bigger than the --max-* limits, before any of it starts."""
    from sim.execution.runner import work_problems
    from sim.scenario.resolve import cells

    reps = args.replications or scenarios[0].replications
    problems = limits.replication_problems(
        sum(limits.grid_size(s.sweep) for s in scenarios), reps, args.max_replications
    )
    if problems:
        raise UserError(problems)
    grid = [cell for s in scenarios for cell in cells(s)]
    problems = work_problems(
        scenarios[0], grid, reps, args.max_candidates, args.max_replications, args.max_requisitions
    )
    if problems:
        raise UserError(problems)


def _validate(args) -> int:
    from sim.scenario.resolve import cells

    scenario = _load(args.scenario)
    _warn(scenario)
    n = len(cells(scenario))
    grid = f", {n} sweep cells" if scenario.sweep else ""
    print(f"{args.scenario}: valid ({scenario.name}, company size "
          f"{'of the first cell ' if scenario.sweep else ''}{scenario.company.size}, "
          f"{scenario.replications} replications{grid})")  # fmt: skip
    return EXIT_OK


def _check_options(args) -> None:
    from sim.execution.dask_backend import missing  # the standard library only, not Dask

    problems = missing() if args.backend == "dask" else []
    if args.scheduler and args.backend != "dask":
        problems.append("--scheduler: only used with --backend dask")
    if args.format == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            problems.append("--format parquet: needs pyarrow (pip install 'hiresim[parquet]')")
    if problems:
        raise UserError(problems)


def _run(args) -> int:
    _check_options(args)
    scenario = _load(args.scenario, args.max_cells)
    _warn(scenario)
    _check_work(args, [scenario])

    from sim.execution import output
    from sim.execution.resume import CellStore, folder_beside
    from sim.execution.runner import run
    from sim.scenario.io import dump_yaml
    from sim.scenario.resolve import resolved_document

    out = Path(args.out) if args.out is not None else Path("results") / scenario.name
    started = time.perf_counter()
    workers = args.workers if args.scheduler else _workers(args)  # a cluster's cores: not ours
    store = CellStore(folder_beside(out), reuse=args.resume)
    try:
        with output.staged_folder(out, force=args.force, inputs=[Path(args.scenario)]) as stage:
            if store.problems():  # OUT.resume is there but not hiresim's: never touched
                raise UserError(store.problems())
            folder = stage.path
            writer = output.CellWriter(folder, args.format)
            with Progress(quiet=args.quiet) as progress:
                results = run(scenario, replications=args.replications, seed=args.seed,
                              workers=workers, progress=progress, on_cell=writer,
                              keep_tables=False, max_candidates=args.max_candidates,
                              max_replications=args.max_replications, backend=args.backend,
                              scheduler=args.scheduler, resume=store, table_format=args.format,
                              tables_to=None if args.scheduler else writer.parts)  # fmt: skip
            # the tables first: whatever happens to a chart, they are kept
            writer.assemble()
            small = {"summary": results.summary, "stages": results.stages, "team": results.team}
            output.write_tables(folder, small, args.format)
            (folder / "scenario.resolved.yaml").write_text(
                dump_yaml(resolved_document(results.scenario)), encoding="utf-8"
            )
            _charts_and_report(folder, results, writer)
    except BaseException as err:
        if stopping.stop_behind(err) is None:  # bad input, a full disk: left as it was
            store.abandon()
            raise
        if store.kept:  # Ctrl-C, SIGTERM: the message says where the cells wait
            kept = store.kept_line(limits.grid_size(scenario.sweep))
            err.stopped = f"stopped before the results were complete; {kept}"
        raise
    store.remove()  # the results are in place: the finished cells are not needed any more

    _say_moved(out, stage)
    if not args.quiet and args.resume:
        print(store.reused_line(len(results.summary)), file=sys.stderr)
    for line in _headline(results, out, time.perf_counter() - started, args.format):
        print(line)
    return EXIT_OK


def _say_moved(out: Path, stage) -> None:
    if stage.moved_aside is not None:
        print(f"moved what was in {out} to {stage.moved_aside} (nothing was deleted)")


def _charts_and_report(folder: Path, results, writer) -> None:
    from sim.charts.chartbook import standard_charts

    def draw(skipped):
        offers, events, levels = writer.chart_tables()
        return standard_charts(results.summary, results.stages, offers, events, levels,
                               results.swept, results.replications, skipped,
                               team_table=results.team)  # fmt: skip

    images, skipped = _save_charts(folder, draw)
    _write_report(folder, results, images, skipped)


def _save_charts(folder: Path, draw, whole: str = "(all)") -> tuple[dict, list]:
    """Draw and save each chart on its own: one that cannot be drawn is skipped with a
    warning line (and named in the report), never at the cost of the tables already written.
    Returns (caption -> PNG bytes, [(caption, reason) of each chart skipped])."""
    from sim.charts.chartbook import reason
    from sim.execution import output

    skipped, images = [], {}
    try:
        images = output.write_charts(folder / "charts", draw(skipped), skipped)
    except OSError:
        raise  # a full disk is not a chart's problem: the run stops (exit 2)
    except Exception as err:
        stopping.reraise(err)
        skipped.append((whole, "every chart", reason(err)))
    for name, _, why in skipped:
        print(f"warning: chart {name} skipped: {why}", file=sys.stderr)
    return images, [(caption, why) for _, caption, why in skipped]


def _write_report(folder: Path, results, images, skipped, comparison_lines=()) -> None:
    from sim.charts.chartbook import reason
    from sim.report import build_report

    extra = {"skipped": skipped} if skipped else {}
    if comparison_lines:
        extra["comparison_lines"] = comparison_lines
    if (folder / "summary.parquet").exists():
        extra["table_format"] = "parquet"
    try:
        page = build_report(results, images, **extra)
    except Exception as err:  # the report is a view of tables already written
        stopping.reraise(err)
        print(f"warning: report.html skipped: {reason(err)}", file=sys.stderr)
        return
    (folder / "report.html").write_text(page, encoding="utf-8")


def _compare(args) -> int:
    from sim.cli_compare import compare_command  # its code: sim/cli_compare.py

    return compare_command(args)


def _headline(results, out: Path, seconds: float, suffix: str = "csv") -> list[str]:
    from sim.analysis.headline import cell_headlines, counted

    s = results.summary
    files = ", ".join(f"{name}.{suffix}" for name in ("summary", "applicants", "requisitions",
                                                      "events"))  # fmt: skip
    return [
        f"{results.scenario.name}: {counted(len(s), 'cell')} x "
        f"{counted(results.replications, 'replication')} in {seconds:.1f} s",
        *cell_headlines(s, results.swept),
        f"results: {out}/ (report.html, {files}, charts/)",
    ]
