"""`hiresim compare BASE.yaml VARIANT.yaml ...`: run the base and each variant on the same seeds,
write `comparison.csv`, both scenarios' `summary.csv`, `charts/comparison.png` and `report.html`,
and print each variant's levels and changes. Its options are `sim.cli.build_parser`'s; its
errors are `sim.cli`'s (a `UserError`'s lines, exit 2).
"""

from __future__ import annotations

import sys
from pathlib import Path

from sim import stopping
from sim.analysis.compare import MEDIAN_NOTE, STATISTICS_NOTE
from sim.cli import (
    EXIT_OK,
    UserError,
    _check_work,
    _load,
    _save_charts,
    _say_moved,
    _warn,
    _workers,
)
from sim.progress import Progress


def compare_command(args) -> int:
    paths = [args.base, *args.variants]
    scenarios, problems = [], []
    for path in paths:  # every problem of every file, each naming its file
        try:
            scenario = _load(path)  # a sweep is refused below, whatever its size
        except UserError as err:
            problems += [line if line.startswith(f"{path}:") else f"{path}: {line}"
                         for line in err.lines]  # fmt: skip
            continue
        scenarios.append(scenario)
        if scenario.sweep:
            problems.append(f"{path}: compare takes scenarios without a sweep (remove its sweep:)")
    if problems:
        raise UserError(problems)
    for scenario in scenarios:
        _warn(scenario)
    _check_work(args, scenarios)

    from sim.analysis.compare import compare
    from sim.analysis.tables import concat
    from sim.execution import output

    base, variants = scenarios[0], scenarios[1:]
    out = Path(args.out) if args.out is not None else Path("results") / f"compare-{base.name}"
    workers = _workers(args)
    inputs = [Path(path) for path in paths]
    with output.staged_folder(out, force=args.force, inputs=inputs) as stage:
        folder = stage.path
        with Progress(quiet=args.quiet, label="scenario replications") as progress:
            comparison = compare(base, variants, replications=args.replications,
                                 seed=args.seed, workers=workers, progress=progress)  # fmt: skip
        output.write_tables(folder, {"comparison": comparison.table})
        summaries = [r.summary for r in (comparison.base, *comparison.variants)]
        output.write_tables(folder, {"summary": concat(summaries)})

        def draw(skipped):
            from sim.charts.compare import plot_comparison

            caption = (
                "What changes: over each point the base's level → the variant's; the "
                "point is the paired change, the bar its 95% interval. Each axis spans "
                "at least half the base's level either side of no change."
            )
            return {"comparison": (caption, plot_comparison(comparison.table))}

        images, skipped = _save_charts(folder, draw, whole="comparison")
        write_compare_report(folder, comparison, images, skipped)
    _say_moved(out, stage)
    print(f"{len(variants)} variant{'s' if len(variants) > 1 else ''} against {base.name}, "
          f"{comparison.base.replications} paired replications: base -> variant, and the "
          "change with its 95% interval")  # fmt: skip
    for line in comparison.lines():
        print(f"  {line}")
    print(f"  ({MEDIAN_NOTE})")
    print(f"results: {out}/ (report.html, comparison.csv, summary.csv, charts/comparison.png)")
    return EXIT_OK


def write_compare_report(folder: Path, comparison, images, skipped) -> None:
    from sim.charts.chartbook import reason
    from sim.reporting.compare_page import build_compare_report

    try:
        page = build_compare_report(comparison, images, skipped, note=STATISTICS_NOTE)
    except Exception as err:  # the report is a view of tables already written
        stopping.reraise(err)
        print(f"warning: report.html skipped: {reason(err)}", file=sys.stderr)
        return
    (folder / "report.html").write_text(page, encoding="utf-8")
