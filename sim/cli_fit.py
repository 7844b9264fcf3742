"""`hiresim fit EXPORT.csv --out SCENARIO.yaml`: an event-log export turned into a scenario.

Reads the export (`sim.fit.export`), estimates (`sim.fit.estimate`), writes the commented
scenario (`sim.fit.scenario`) to a temporary file beside `--out`, checks it validates, then
renames it over `--out`. A file `hiresim fit` did not write is never replaced without --force.
Bad input: exit 2, one line per problem.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

EXIT_OK = 0
SIZES = ("startup", "small", "mid", "large", "enterprise")


def add_parser(commands):
    """The `fit` subcommand on `commands` (argparse's subparsers)."""
    command = commands.add_parser("fit", help="fit a scenario to an applicant-tracking export")
    command.add_argument(
        "export",
        metavar="EXPORT.csv",
        help="one row per candidate per stage event (hiresim's events.csv too)",
    )
    command.add_argument("--out", metavar="SCENARIO.yaml", required=True,
                         help="the scenario file to write (a file hiresim fit wrote, or new)")
    command.add_argument(
        "--company-size",
        choices=SIZES,
        default="mid",
        help="the preset whose team sizes are used (default: mid)",
    )
    command.add_argument(
        "--team", metavar="ROLE=N", action="append", default=[],
        help="a role's head count, which no export shows (e.g. --team recruiter=3; repeat for "
             "each role); the rest of the team comes from --company-size",
    )  # fmt: skip
    command.add_argument("--name", help="the scenario's name (default: the --out file's stem)")
    command.add_argument(
        "--stages", metavar="MAP.yaml", help="a mapping of the export's stage names to hiresim's"
    )
    command.add_argument(
        "--outcomes", metavar="MAP.yaml",
        help="a mapping of the export's status words to hiresim's outcomes (hired, rejected, "
             "withdrew, declined, in_process)",
    )  # fmt: skip
    for what, default in (
        ("case", "case:concept:name"),
        ("stage", "concept:name"),
        ("time", "time:timestamp"),
        ("lifecycle", "lifecycle:transition"),
        ("outcome", "outcome"),
        ("requisition", "requisition"),
    ):
        command.add_argument(
            f"--{what}-col",
            metavar="NAME",
            default=default,
            help=f"the export's {what} column (default {default!r})",
        )
    command.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed of the bootstrap intervals, the holdout and the simulations",
    )
    command.add_argument(
        "--report",
        metavar="DIR",
        help="write a fit report folder (fit_report.html, charts/, validation.csv): each "
        "stage's observed and fitted distributions, and the fitted scenario simulated "
        "against the export (default: no report)",
    )
    command.add_argument(
        "--holdout",
        choices=("requisition", "time", "none"),
        help="hold part of the export out (a random share of the requisitions, or the latest "
        "ones), fit the rest and compare; default: requisition with --report, else none",
    )
    command.add_argument(
        "--holdout-fraction",
        metavar="SHARE",
        type=float,
        default=0.3,
        help="the share of the requisitions held out (default 0.3)",
    )
    command.add_argument(
        "--force",
        action="store_true",
        help="replace --out even if hiresim fit did not write it; move a --report folder "
        "hiresim did not write aside (never deleted)",
    )
    return command  # fmt: skip


def _stage_map(path: str | None, what: str) -> dict:
    """A YAML mapping of names to names (stages, or status words to outcomes)."""
    from sim.fit.export import FitError
    from sim.scenario.errors import ScenarioError
    from sim.scenario.io import read_yaml

    if path is None:
        return {}
    try:
        mapping = read_yaml(path, what, of="the export's names to hiresim's (name: name)")
    except ScenarioError as err:
        raise FitError(err.problems) from None
    bad = [k for k, v in mapping.items() if not isinstance(v, str)]
    if bad:
        raise FitError([f"{path}: {k!r}: map each name to one of hiresim's (a name)"
                        for k in bad])  # fmt: skip
    return {str(k): v for k, v in mapping.items()}


def _team(given: list[str]) -> dict[str, int]:
    """`--team ROLE=N` options as {role: head count}, N at least 1 (that each is a role of
    the preset, `sim.fit.workflow.preset` checks, for `team=` too)."""
    from sim.fit.export import FitError

    team, problems = {}, []
    for option in given:
        role, _, count = option.partition("=")
        if not count.strip().isdigit() or int(count) < 1:
            problems.append(f"--team {option}: give ROLE=N, a head count of at least 1 "
                            "(e.g. --team recruiter=3)")  # fmt: skip
        else:
            team[role.strip()] = int(count)
    if problems:
        raise FitError(problems)
    return team


def _refuse_foreign(out: Path, force: bool) -> None:
    from sim.fit.export import FitError
    from sim.fit.scenario import MARKER

    if force or not out.exists():
        return
    if not out.is_file():
        raise FitError([f"{out}: exists and is not a file; give another --out"])
    with open(out, encoding="utf-8", errors="replace") as file:
        first = file.readline()
    if not first.startswith(MARKER):
        raise FitError([f"{out}: exists and was not written by hiresim fit; "
                        "give another --out or --force to replace it"])  # fmt: skip


def _holdout(args) -> str | None:
    """The held-out check asked for (None: none): --holdout, by default requisition with
    --report; a bad --holdout-fraction is refused before any work."""
    from sim.fit.export import FitError

    if not 0 < args.holdout_fraction < 1:
        raise FitError([f"--holdout-fraction: {args.holdout_fraction:g} must be between 0 and 1 "
                        "(e.g. 0.3)"])  # fmt: skip
    by = args.holdout or ("requisition" if args.report else "none")
    return None if by == "none" else by


def _check_report(args) -> None:
    """Refuse a --report folder hiresim may not replace before any work (exit 2)."""
    from sim.execution.output import OutputError, check_target

    if args.report:
        problems = check_target(Path(args.report), args.force, _inputs(args))
        if problems:
            raise OutputError([_report_option(line) for line in problems])


def _inputs(args) -> list[Path]:
    """What the report folder must not hold: the export read and the scenario written."""
    return [Path(args.export), Path(args.out)]


def _report_option(line: str) -> str:
    return line.replace("--out ", "--report ", 1)


def command(args) -> int:
    from sim.fit.export import Columns, FitError, read_export
    from sim.fit.workflow import fit_log, team_origin
    out = Path(args.out)
    _refuse_foreign(out, args.force)
    by = _holdout(args)
    team = _team(args.team)
    _check_report(args)
    columns = Columns(args.case_col, args.stage_col, args.time_col, args.lifecycle_col,
                      args.outcome_col, args.requisition_col)  # fmt: skip
    log = read_export(args.export, columns, _stage_map(args.stages, "a --stages map"),
                      _stage_map(args.outcomes, "an --outcomes map"))
    name = args.name or out.stem.replace("_", "-") or "fitted"
    fitted = fit_log(log, name, args.company_size, team, Path(args.export).name, args.seed)
    fit, text = fitted.fit, fitted.text
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)  # validated already (`fit_log` loads it): put it in place whole
        os.replace(temporary, out)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    clock = "business days, Mon-Fri calendar" if fit.business else "plain days, no calendar"
    print(f"{name}: fitted {len(fit.stages)} stages from {fit.candidates} candidates "
          f"({clock}); team sizes {team_origin(args.company_size, team)}")  # fmt: skip
    print(f"scenario: {out}")
    if args.report:
        _write_report(args, fitted, by, name)
    elif by:
        from sim.fit.holdout import holdout, summary_line

        try:
            print(summary_line(holdout(log, by, args.holdout_fraction, args.seed,
                                       args.company_size, team, name)))  # fmt: skip
        except FitError as err:
            print(f"holdout skipped: {' '.join(err.lines)}")
    return EXIT_OK


def _write_report(args, fitted, by: str | None, name: str) -> None:
    """The report folder, staged beside --report and put in place only when whole."""
    from sim.execution.output import OutputError, staged_folder
    from sim.fit.holdout import comparison_line, summary_line
    from sim.fit.report import PAGE, make_report, write_report

    report = make_report(fitted, by, args.holdout_fraction, args.seed, name)
    try:
        with staged_folder(Path(args.report), args.force, _inputs(args)) as stage:
            write_report(stage.path, report)
    except OutputError as err:
        raise OutputError([_report_option(line) for line in err.lines]) from None
    if stage.moved_aside is not None:
        print(f"moved the folder that was at {args.report} aside to {stage.moved_aside}")
    print(f"validation ({report.validation.replications} simulated replications): "
          + comparison_line(report.comparison))  # fmt: skip
    print(summary_line(report.holdout) if report.holdout is not None
          else f"holdout skipped: {report.skipped}")  # fmt: skip
    print(f"report: {Path(args.report) / PAGE}")
