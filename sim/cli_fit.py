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
    command.add_argument("--out", metavar="SCENARIO.yaml", required=True)
    command.add_argument(
        "--company-size",
        choices=SIZES,
        default="mid",
        help="the preset whose team sizes are used (default: mid)",
    )
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
    command.add_argument("--seed", type=int, default=0, help="seed of the bootstrap intervals")
    command.add_argument(
        "--force", action="store_true", help="replace --out even if hiresim fit did not write it"
    )
    return command  # fmt: skip


def _stage_map(path: str | None) -> dict:
    """A YAML mapping of names to names (stages, or status words to outcomes)."""
    from sim.fit.export import FitError
    from sim.scenario.errors import ScenarioError
    from sim.scenario.io import read_yaml

    if path is None:
        return {}
    try:
        mapping = read_yaml(path)
    except ScenarioError as err:
        raise FitError(err.problems) from None
    bad = [k for k, v in mapping.items() if not isinstance(v, str)]
    if bad:
        raise FitError([f"{path}: {k!r}: map each name to one of hiresim's (a name)"
                        for k in bad])  # fmt: skip
    return {str(k): v for k, v in mapping.items()}


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


def command(args) -> int:
    from sim.fit.estimate import estimate
    from sim.fit.export import Columns, FitError, read_export
    from sim.fit.scenario import scenario_text
    from sim.scenario.errors import ScenarioError
    from sim.scenario.io import load_scenario
    from sim.scenario.resolve import resolved_document

    out = Path(args.out)
    _refuse_foreign(out, args.force)
    columns = Columns(args.case_col, args.stage_col, args.time_col, args.lifecycle_col,
                      args.outcome_col, args.requisition_col)  # fmt: skip
    log = read_export(args.export, columns, _stage_map(args.stages), _stage_map(args.outcomes))
    fit = estimate(log, seed=args.seed)
    name = args.name or out.stem.replace("_", "-") or "fitted"
    preset = resolved_document(
        load_scenario({"name": name, "company": {"size": args.company_size}})
    )
    text = scenario_text(fit, name, args.company_size, preset, Path(args.export).name)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
        try:
            load_scenario(temporary)
        except ScenarioError as err:  # a fit the validator refuses: say what, keep nothing
            raise FitError([f"the fitted scenario does not validate: {line}"
                            for line in err.problems]) from None  # fmt: skip
        os.replace(temporary, out)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    clock = "business days, Mon-Fri calendar" if fit.business else "plain days, no calendar"
    print(f"{name}: fitted {len(fit.stages)} stages from {fit.candidates} candidates "
          f"({clock}); team sizes from the {args.company_size} preset")  # fmt: skip
    print(f"scenario: {out}")
    return EXIT_OK
