"""One-at-a-time sensitivity: each parameter down and up by a fraction, on common random numbers.

Every numeric parameter named (by default `sim.analysis.parameters.default_paths`) is scaled
by 1 - vary and 1 + vary (x0.5 and x1.5 by default; see `sim.analysis.parameters` for how a
distribution, a whole number or a probability scales), everything else kept, and each variant
runs the base's replications on the base's seed. Random streams are keyed by (seed,
replication, kind of decision, requisition), so replication r of a variant meets the same
candidates and the same draws as the base's replication r wherever the change does not reach:
the metrics are paired replication by replication as `sim.analysis.compare` pairs them, and
each mean difference gets a 95% t-interval. A parameter with no effect gives the same
replications, a difference of exactly 0.

The metrics are `sim.analysis.metrics.PER_REPLICATION`'s, named as in the `summary` table
(`time_to_offer_days_median`): a median here is each replication's median, averaged over the
pairs. A metric registered later (a cost per hire) is picked up by its name in `METRICS`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sim.analysis.compare import paired, per_replication
from sim.analysis.costs import Spans, requisition_costs
from sim.analysis.headline import change_text, counted
from sim.analysis.metrics import PER_REPLICATION
from sim.analysis.parameters import (
    LEAD,
    Parameter,
    catalogue,
    default_paths,
    describe_path,
    path_problems,
    ranking,
    variant,
)
from sim.analysis.tables import applicant_table, requisition_table
from sim.execution.backends import Task, backend_for
from sim.execution.runner import Results
from sim.model.core import HiringModel
from sim.model.records import CHUNK_ROWS, Records
from sim.scenario import limits
from sim.scenario.errors import ScenarioError
from sim.scenario.types import Scenario

COLUMNS = ("parameter", "value", "metric", "base", "variant", "difference", "ci_low", "ci_high")
"""`sensitivity.csv`'s contract columns (SPEC), first; then `direction`, `factor`,
`base_value`, `label`, `unit`, `pairs`."""
METRICS = {
    "time_to_offer_days_median": ("time_to_offer_days_median", "median_time_to_offer_days"),
    "time_to_hire_days_median": ("time_to_hire_days_median", "median_time_to_hire_days"),
    "time_to_fill_days_median": ("time_to_fill_days_median",),
    "withdrew": ("withdrew",),
    "hires_per_replication": ("hires_per_replication", "hires"),
    "cost_per_hire": ("cost_per_hire",),
}
"""The metrics reported, by their `summary` name: each is the first of its names that
`PER_REPLICATION` registers (a metric not registered yet is left out)."""


class SensitivityError(ValueError):
    """A sensitivity run that cannot be made: `lines`, one per problem (exit status 2)."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


def metrics() -> dict[str, str]:
    """Reported name -> the `PER_REPLICATION` name it is computed as, for those registered."""
    found = {}
    for name, aliases in METRICS.items():
        known = [alias for alias in aliases if alias in PER_REPLICATION]
        if known:
            found[name] = known[0]
    return found


@dataclass(frozen=True)
class Variant:
    """The scenario with one parameter scaled."""

    parameter: Parameter
    factor: float
    """The multiplier asked for (the value may be rounded or kept within bounds)."""
    value: Any
    scenario: Scenario

    @property
    def direction(self) -> str:
        return "lower" if self.factor < 1 else "higher"


@dataclass
class Sensitivity:
    """What `run_sensitivity` found: `table` is `sensitivity.csv`."""

    scenario: Scenario
    """The base as run (its seed and replication count)."""
    vary: float
    parameters: list[str]
    table: pd.DataFrame
    skipped: list[str] = field(default_factory=list)
    """One line per variant not run, saying why (unchanged by rounding, invalid, ...)."""


def vary_problems(vary: Any, option: str = "vary") -> list[str]:
    """A one-line refusal unless `vary` is a fraction above 0 and at most 1."""
    ok = isinstance(vary, (int, float)) and not isinstance(vary, bool) and 0 < vary <= 1
    if ok:
        return []
    shown = repr(vary)[:40] if not isinstance(vary, (int, float)) else f"{vary:g}"
    return [f"{option}: must be a fraction above 0 and at most 1 (0.5 tries each parameter "
            f"x0.5 and x1.5), not {shown}"]  # fmt: skip


@dataclass
class Plan:
    """A sensitivity run checked and ready: the base and the variants to run on its seeds."""

    base: Scenario
    """The scenario as run (its seed and replication count)."""
    vary: float
    parameters: list[str]
    variants: list[Variant]
    skipped: list[str]
    """One line per variant not run, saying why."""

    @property
    def runs(self) -> list[Scenario]:
        """The base, then each variant, all on the base's seed and replication count."""
        same = {"seed": self.base.seed, "replications": self.base.replications}
        return [self.base, *(v.scenario.model_copy(update=same) for v in self.variants)]


def plan(
    scenario: Scenario,
    vary: float = 0.5,
    params: Sequence[str] | None = None,
    replications: int | None = None,
    seed: int | None = None,
    dash: str = "",
    max_candidates: int = limits.MAX_CANDIDATES,
    max_replications: int = limits.MAX_REPLICATIONS,
    max_requisitions: int = limits.MAX_REQUISITIONS,
    max_runs: int = limits.MAX_CELLS,
) -> Plan:
    """Check a sensitivity run and build its variants, running nothing. Raises
    SensitivityError (a ValueError) with one line per problem: a bad `vary`, a sweep, `params`
    naming no numeric parameter, nothing left to vary, or more work than the limits allow (the
    base and its variants count as `max_runs` sweep cells would). `dash` ("--" on the command
    line) goes before the options' names in the lines."""
    problems = vary_problems(vary, f"{dash}vary")
    if scenario.sweep:
        problems.append(f"{scenario.name}: sensitivity takes a scenario without a sweep "
                        "(remove its sweep:)")  # fmt: skip
    if isinstance(params, str):
        params = [params]
    if not problems and params is not None:
        problems = path_problems(scenario, list(params), f"{dash}params")
    if problems:
        raise SensitivityError(problems)
    updates = {k: v for k, v in (("replications", replications), ("seed", seed)) if v is not None}
    base = scenario.model_copy(update=updates) if updates else scenario
    found, _ = catalogue(base)
    paths = list(dict.fromkeys(params)) if params is not None else default_paths(base)
    variants, skipped = [], []
    for path in paths:
        for factor in (1 - vary, 1 + vary):
            value, why = found[path].scaled(factor)
            if value is not None:
                try:
                    variants.append(Variant(found[path], factor, value,
                                            variant(base, found[path], value)))  # fmt: skip
                    continue
                except ScenarioError as err:
                    why = f"gives an invalid scenario: {err.problems[0]}"
            skipped.append(f"{path} x{factor:g}: {why}")
    if not variants:
        why = "; ".join(skipped) or "no numeric parameter is set"
        raise SensitivityError([f"{dash}params: nothing to vary ({why})"])
    ready = Plan(base, vary, paths, variants, skipped)
    runs, reps = ready.runs, base.replications
    if len(runs) > max_runs:
        raise_with = f"{dash}max-cells" if dash else "max_runs"
        problems.append(f"{dash}params: {counted(len(paths), 'parameter')} make "
                        f"{len(runs):,} runs (the base and each variant), more than the limit "
                        f"of {max_runs:,} (vary "
                        f"fewer, or raise the limit with {raise_with})")  # fmt: skip
    problems += limits.work_problems(runs, reps, max_candidates, max_replications,
                                     max_requisitions)  # fmt: skip
    if problems:
        raise SensitivityError(problems)
    return ready


def _drop_events(kind: str, chunk) -> bool:
    return kind == "events"  # taken, and not kept (the team's levels give its hours)


def replication_metrics(task: Task) -> list[dict]:
    """A backend's unit of work: `task`'s replications, each reduced to its metrics in the
    worker. Only the applicants and requisitions tables are built (the metrics read nothing
    else; the team's hours come from its levels and from the events paired as they pass,
    `sim.analysis.costs`): the event log is dropped as the model makes it, which halves the
    time of a replication."""
    scenario = task.scenario
    one = scenario.model_copy(update={"replications": 1})
    where = (scenario.start_date, scenario.calendar, scenario.warmup_days)
    rows = []
    for rep in range(task.replication, task.replication + task.count):
        records = Records(rep, chunk_rows=CHUNK_ROWS)
        spans = Spans(records, scenario)
        records.sink = spans.passing_to(_drop_events)
        HiringModel(scenario, rep, records=records).run()
        requisitions = requisition_costs(requisition_table(records, *where), records, scenario,
                                         spans)  # fmt: skip
        tables = {"applicants": applicant_table(records, *where, task.cell),
                  "requisitions": requisitions}
        results = Results(one, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
                          **{name: t.assign(replication=rep)
                             for name, t in tables.items()})  # fmt: skip
        rows.append(per_replication(results).loc[rep].to_dict() | {"replication": rep})
    return rows


def _tasks(scenarios: list[Scenario], reps: int, workers: int) -> list[Task]:
    """Whole scenarios when there are enough to keep every worker busy, else replications."""
    if workers > 1 and len(scenarios) >= 2 * workers:
        return [Task(i, 0, s, count=reps) for i, s in enumerate(scenarios)]
    return [Task(i, r, s) for i, s in enumerate(scenarios) for r in range(reps)]


def execute(
    ready: Plan, workers: int | None = None, progress: Callable[[int, int], None] | None = None
) -> Sensitivity:
    """Run a plan's base and variants (`workers` processes; 1 or None: this one) and pair each
    variant with the base. `progress(done, total)` counts replications over every run."""
    runs, reps = ready.runs, ready.base.replications
    per_run: dict[int, list[dict]] = {i: [] for i in range(len(runs))}
    engine = backend_for("local", max(1, min(workers or 1, len(runs) * reps)))
    done, total = 0, len(runs) * reps
    for task, rows in engine.run(replication_metrics, _tasks(runs, reps, engine.workers)):
        per_run[task.cell] += rows
        done += task.count
        if progress is not None:
            progress(done, total)
    frames = {i: pd.DataFrame(rows).set_index("replication").sort_index()
              for i, rows in per_run.items()}  # fmt: skip
    table = _table(frames, ready.variants)
    return Sensitivity(ready.base, ready.vary, ready.parameters, table, ready.skipped)


def run_sensitivity(
    scenario: Scenario,
    vary: float = 0.5,
    params: Sequence[str] | None = None,
    replications: int | None = None,
    workers: int | None = None,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Sensitivity:
    """Vary each of `params` (dotted paths; None: `default_paths`) by x(1 - vary) and
    x(1 + vary), run every variant on the base's seed and replications, and pair them with
    the base (`plan`, then `execute`)."""
    return execute(plan(scenario, vary, params, replications, seed), workers, progress)


def _table(frames: dict[int, pd.DataFrame], variants: list[Variant]) -> pd.DataFrame:
    # what the base does not measure (costs without a `costs` section) is left out
    names = {name: source for name, source in metrics().items()
             if not frames[0][source].isna().all()}  # fmt: skip
    rows = []
    for i, v in enumerate(variants, start=1):
        for name, source in names.items():
            metric = PER_REPLICATION[source]
            rows.append({"parameter": v.parameter.path, "value": v.parameter.text(v.value),
                         "metric": name, **paired(frames[0][source], frames[i][source]),
                         "direction": v.direction, "factor": v.factor,
                         "base_value": v.parameter.text(), "label": metric.label,
                         "unit": metric.unit})  # fmt: skip
    columns = [*COLUMNS, "direction", "factor", "base_value", "label", "unit", "pairs"]
    return pd.DataFrame(rows, columns=columns)


def sensitivity(
    scenario: Scenario,
    vary: float = 0.5,
    params: Sequence[str] | None = None,
    replications: int | None = None,
    workers: int | None = None,
    seed: int | None = None,
) -> pd.DataFrame:
    """One-at-a-time sensitivity of `scenario` (see `run_sensitivity`): one row per parameter,
    value tried and metric (`sensitivity.csv`): `parameter, value, metric, base, variant,
    difference, ci_low, ci_high`, then `direction` (lower/higher), `factor`, `base_value`,
    `label`, `unit` and `pairs`."""
    if not isinstance(scenario, Scenario):
        raise TypeError(f"sim.sensitivity takes a sim.Scenario, not {type(scenario).__name__} "
                        "(load it with sim.load_scenario(...) first)")  # fmt: skip
    for name, value in (("replications", replications), ("workers", workers), ("seed", seed)):
        least = 0 if name == "seed" else 1
        whole = isinstance(value, int) and not isinstance(value, bool)
        if value is not None and not (whole and value >= least):
            raise ValueError(f"{name} must be a whole number of at least {least} or None, "
                             f"not {value!r:.40}")  # fmt: skip
    return run_sensitivity(scenario, vary, params, replications, workers, seed).table


def headline(table: pd.DataFrame, metric: str = LEAD, top: int = 5) -> list[str]:
    """The `top` parameters that move `metric` most, one line each: "reference checks: wait
    (stages.reference_checks.wait): x0.5 -1.9 days [-2.4, -1.4]; x1.5 +2.0 days [+1.5, +2.5]"."""
    rows = table[table["metric"] == metric]
    lines = []
    for path in ranking(table, metric)[:top]:
        mine = rows[rows["parameter"] == path]
        parts = [f"x{row['factor']:g} ({row['value']}) {change_text(row, row['unit'])}"
                 if len(str(row["value"])) <= 12 else f"x{row['factor']:g} "
                 f"{change_text(row, row['unit'])}" for _, row in mine.iterrows()]  # fmt: skip
        lines.append(f"{describe_path(path)} ({path}): " + "; ".join(parts))
    return lines
