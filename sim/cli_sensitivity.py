"""`hiresim sensitivity SCENARIO.yaml`: each parameter down and up, one at a time, on the base's
random numbers; writes `sensitivity.csv`, `charts/tornado.png`, `report.html` and
`scenario.resolved.yaml`.

`sim.cli` builds the parser (argparse lives there alone) with `add_parser` and runs `command`;
files are written by `sim.execution.output` only, into a staged folder, as `run` and `compare`
write theirs. Bad input (a bad `--vary`, a path that names no numeric parameter, a run beyond
the work limits) is refused before any folder is touched: exit 2, one line per problem.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sim import stopping

EXIT_OK = 0
FILES = "sensitivity.csv, charts/tornado.png, report.html, scenario.resolved.yaml"


class OptionError(Exception):
    """Bad command-line input: its `lines` are printed, exit status 2."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


def add_parser(commands, count):
    """The `sensitivity` subcommand on `commands` (argparse's subparsers); `count(minimum)`
    parses a whole number. Returns it (the command line adds the --force and --max-* options)."""
    command = commands.add_parser(
        "sensitivity",
        help="vary each parameter down and up, one at a time: which moves time to offer most",
    )
    command.add_argument("scenario", metavar="SCENARIO.yaml",
                         help="the scenario whose parameters are varied (no sweep)")
    command.add_argument(
        "--vary", metavar="FRACTION", default="0.5",
        help="scale each parameter by 1 - FRACTION and 1 + FRACTION (default 0.5: x0.5 and "
             "x1.5); above 0, at most 1",
    )  # fmt: skip
    command.add_argument(
        "--params", metavar="DOTTED.PATH", nargs="+", action="extend",
        help="vary only these, e.g. stages.reference_checks.wait team.recruiter (default: every "
             "stage's wait, work and pass rate, the head count and hours of each role in use, "
             "candidates per requisition, their arrival rate and patience)",
    )  # fmt: skip
    command.add_argument("--out", metavar="DIR", help="default: results/sensitivity-<name>")
    command.add_argument("--replications", type=count(2), metavar="N",
                         help="replications of every run (default: the file's)")  # fmt: skip
    command.add_argument("--seed", type=count(0), metavar="N",
                         help="root seed of every run (default: the file's)")  # fmt: skip
    command.add_argument("--workers", type=count(1), metavar="N",
                         help="processes (default: all cores)")  # fmt: skip
    command.add_argument("--quiet", action="store_true", help="no progress display")
    return command


def _vary(text: str) -> float:
    from sim.analysis.sensitivity import vary_problems

    try:
        vary = float(text)
    except ValueError:
        raise OptionError([f"--vary: must be a number above 0 and at most 1, not "
                           f"{text[:40]!r}"]) from None  # fmt: skip
    problems = vary_problems(vary, "--vary")
    if problems:
        raise OptionError(problems)
    return vary


def command(args) -> int:
    """Run `hiresim sensitivity` for parsed `args`; returns the exit status."""
    from sim import cli
    from sim.analysis.headline import counted
    from sim.analysis.sensitivity import SensitivityError, execute, headline, plan
    from sim.execution import output
    from sim.progress import Progress
    from sim.scenario.io import dump_yaml
    from sim.scenario.resolve import resolved_document

    vary = _vary(args.vary)
    scenario = cli._load(args.scenario, args.max_cells)
    if scenario.sweep:
        raise OptionError([f"{args.scenario}: sensitivity takes a scenario without a sweep "
                           "(remove its sweep:)"])  # fmt: skip
    cli._warn(scenario)
    try:
        ready = plan(scenario, vary, args.params, args.replications, args.seed, dash="--",
                     max_candidates=args.max_candidates, max_replications=args.max_replications,
                     max_requisitions=args.max_requisitions, max_runs=args.max_cells)  # fmt: skip
    except SensitivityError as err:
        raise OptionError(err.lines) from None
    if args.params:
        for line in ready.skipped:
            print(f"note: {line}", file=sys.stderr)
    elif ready.skipped and not args.quiet:
        print(f"note: {counted(len(ready.skipped), 'variant')} left out (unchanged by rounding or "
              "bounds, or invalid): listed in report.html", file=sys.stderr)  # fmt: skip
    out = Path("results") / f"sensitivity-{scenario.name}" if args.out is None else Path(args.out)
    reps = ready.base.replications
    if not args.quiet:
        print(f"{scenario.name}: {counted(len(ready.parameters), 'parameter')} x{1 - vary:g} and "
              f"x{1 + vary:g}: {len(ready.runs)} runs (the base and {len(ready.variants)} "
              f"variants) x {reps} replications", file=sys.stderr)  # fmt: skip
    workers = cli._workers(args)
    with output.staged_folder(out, force=args.force, inputs=[Path(args.scenario)]) as stage:
        folder = stage.path
        with Progress(quiet=args.quiet, label="replications") as progress:
            result = execute(ready, workers, progress)
        output.write_tables(folder, {"sensitivity": result.table})
        (folder / "scenario.resolved.yaml").write_text(
            dump_yaml(resolved_document(result.scenario)), encoding="utf-8"
        )
        images, skipped = cli._save_charts(folder, lambda _: _charts(result), whole="tornado")
        _report(folder, result, images, skipped)
    cli._say_moved(out, stage)
    print(f"{scenario.name}: {counted(len(result.parameters), 'parameter')} x{1 - vary:g} and "
          f"x{1 + vary:g}, {reps} paired replications each (95% intervals); what moves the "
          "median time to offer most:")  # fmt: skip
    for line in headline(result.table):
        print(f"  {line}")
    print(f"results: {out}/ ({FILES})")
    return EXIT_OK


def _charts(result) -> dict:
    from sim.charts.tornado import plot_tornado

    caption = (f"Change in the median time to offer when each parameter is scaled by "
               f"x{1 - result.vary:g} and x{1 + result.vary:g}, one at a time (paired "
               "replications, 95% intervals).")  # fmt: skip
    return {"tornado": (caption, plot_tornado(result.table))}


def _report(folder: Path, result, images: dict, skipped: list) -> None:
    from sim.charts.chartbook import reason
    from sim.report_sensitivity import build_sensitivity_report

    try:
        page = build_sensitivity_report(result.scenario.name, result.table, result.vary,
                                        result.scenario.replications, result.scenario.seed,
                                        images, result.skipped, skipped)  # fmt: skip
    except Exception as err:  # the report is a view of the table already written
        stopping.reraise(err)
        print(f"warning: report.html skipped: {reason(err)}", file=sys.stderr)
        return
    (folder / "report.html").write_text(page, encoding="utf-8")
