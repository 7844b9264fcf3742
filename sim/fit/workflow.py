"""Fitting from Python, and the validation run of a fitted scenario.

    from sim.fit.workflow import fit_export, simulate_like
    fitted = fit_export("ats_export.csv", company_size="mid")   # a Fitted
    fitted.fit.stages["initial_review"].wait.median, fitted.text, fitted.scenario
    run = simulate_like(fitted.scenario, fitted.log)            # a Simulated
    run.log        # the simulated clean event table, cut to the export's window and columns

`fit_export(path, columns=None, stage_map=None, outcome_map=None, company_size="mid",
team=None, name="fitted", seed=0)` reads the export (`sim.fit.export.read_export`), estimates
(`sim.fit.estimate.estimate`) and writes the scenario (`sim.fit.scenario.scenario_text`);
`team` (e.g. {"recruiter": 3}) replaces the preset's team sizes, which no export shows.
`fit_log(log, ...)` does the same from a clean table (`read_export`'s, or `from_events`').

`simulate_like(scenario, observed, seed=0, offers=TARGET_OFFERS)` runs the fitted scenario
over the export's window: from the day of its first event to its last event (the horizon set
so), enough replications for about `offers` offered candidates (between MIN_REPLICATIONS and
MAX_REPLICATIONS; `Simulated.replications`), and reads the simulated events through the same
cleaning as an export, keeping only the lifecycle transitions the export has
(`sim.fit.measure.like`) and what happened by the export's last event: the two logs are then
measured alike (`sim.fit.measure`).
"""

from __future__ import annotations

import math
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.fit.estimate import BOOTSTRAP, Fit, estimate
from sim.fit.export import Columns, FitError, from_events, read_export
from sim.fit.measure import DAY, OFFER_STAGES, like, window
from sim.fit.scenario import hiring_hours, scenario_text

TARGET_OFFERS = 300
"""Simulated offers aimed at: replications enough for about this many offered candidates,
going by the export's offers per world (or its candidates, a tenth of them offered, if none)."""
MIN_REPLICATIONS, MAX_REPLICATIONS = 3, 20


@dataclass
class Fitted:
    log: pd.DataFrame  # the clean event table fitted
    fit: Fit
    text: str  # the scenario's commented YAML
    scenario: object  # the sim.Scenario it loads as
    company_size: str
    team: dict  # role -> head count used (the preset's, or `team`)
    source: str
    given: tuple[str, ...] = ()  # the roles whose head count was given (`team`), not the preset's


@dataclass
class Simulated:
    log: pd.DataFrame  # the simulated clean table, cut to the export's window and columns
    replications: int
    seconds: float


def preset(company_size: str, team: dict | None = None, name: str = "fitted") -> dict:
    """The resolved document of the `company_size` preset, its team's head counts replaced by
    `team`'s (a role given as a mapping replaces the preset's whole)."""
    from sim.scenario.errors import ScenarioError
    from sim.scenario.io import load_scenario
    from sim.scenario.resolve import resolved_document

    document = {"name": name, "company": {"size": company_size}}
    try:
        if team:  # a head count replaces the preset's count only: its hours stay
            base = resolved_document(load_scenario(document))["team"]
            unknown = [role for role in team if role not in base]
            if unknown:  # the scenario would take it as an extra role no stage uses
                raise FitError([f"team.{role}: not a role of the {company_size} preset "
                                f"({', '.join(base)})" for role in unknown])  # fmt: skip
            document["team"] = {**base, **{
                role: {**base[role], "count": n} if role in base and not isinstance(n, dict)
                else n for role, n in team.items()}}  # fmt: skip
        resolved = resolved_document(load_scenario(document))
    except ScenarioError as err:
        raise FitError([f"team: {line}" for line in err.problems]) from None
    resolved["team"] = {role: person if isinstance(person, dict) else {"count": person}
                        for role, person in resolved["team"].items()}  # fmt: skip
    return resolved


def load_text(text: str):
    """The scenario of YAML `text` (validated as a file would be); FitError if it is refused."""
    from sim.scenario.errors import ScenarioError
    from sim.scenario.io import load_scenario

    fd, path = tempfile.mkstemp(prefix=".fitted-", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
        return load_scenario(path)
    except ScenarioError as err:
        raise FitError([f"the fitted scenario does not validate: {line}"
                        for line in err.problems]) from None  # fmt: skip
    finally:
        os.unlink(path)


def fit_log(log: pd.DataFrame, name: str = "fitted", company_size: str = "mid",
            team: dict | None = None, source: str = "the export", seed: int = 0,
            resamples: int = BOOTSTRAP) -> Fitted:  # fmt: skip
    """Fit the clean event table `log` (see the module's docstring); `resamples`: of each
    duration's bootstrap interval (0: none, a fit only to simulate)."""
    document = preset(company_size, team, name)
    fit = estimate(log, seed=seed, resamples=resamples, hours=hiring_hours(document))
    origin = team_origin(company_size, team)
    text = scenario_text(fit, name, company_size, document, source, origin)
    heads = {role: person["count"] for role, person in document["team"].items()}
    return Fitted(log, fit, text, load_text(text), company_size, heads, source,
                  tuple(team or ()))  # fmt: skip


def team_origin(company_size: str, team: dict | None = None) -> str:
    """Where the team's head counts come from, in words: "from the `mid` preset", or "of
    recruiter given; the rest from the `mid` preset"."""
    if not team:
        return f"from the `{company_size}` preset"
    return f"of {', '.join(team)} given; the rest from the `{company_size}` preset"


def fit_export(
    path: str | Path,
    columns: Columns | None = None,
    stage_map: dict | None = None,
    outcome_map: dict | None = None,
    company_size: str = "mid",
    team: dict | None = None,
    name: str = "fitted",
    seed: int = 0,
) -> Fitted:
    """Read the export at `path` and fit it (see the module's docstring)."""
    log = read_export(path, columns or Columns(), stage_map, outcome_map)
    return fit_log(log, name, company_size, team, Path(path).name, seed)


def requisitions_per_month(log: pd.DataFrame) -> float:
    """New requisitions a month in `log` (one world's worth), as `estimate` counts them."""
    firsts = log.groupby(["world", "requisition"]).time.min()
    worlds = log.world.nunique()
    span = max((log.time.max() - log.time.min()).total_seconds() / DAY, 1.0)
    return max(len(firsts) / worlds - 1, 0) / (span / 30.4375)


def simulate_like(scenario, observed: pd.DataFrame, seed: int = 0,
                  offers: int = TARGET_OFFERS, from_time: pd.Timestamp | None = None,
                  overrides: dict | None = None) -> Simulated:  # fmt: skip
    """Run `scenario` over `observed`'s window (see the module's docstring); `from_time`: keep
    only the simulated requisitions whose first event is at or after it; `overrides`: dotted
    paths set on the scenario for this run (e.g. the requisitions a month of a whole export)."""
    from sim.execution.runner import run
    from sim.scenario.resolve import override

    start, end = observed.time.min(), observed.time.max()
    day0 = start.normalize()
    horizon = max(1, math.ceil((end - day0).total_seconds() / DAY))
    worlds = max(observed.world.nunique(), 1)
    offered = observed.case[observed.stage.isin(OFFER_STAGES)].nunique()
    per_world = max((offered or observed.case.nunique() / 10) / worlds, 1.0)
    replications = min(max(math.ceil(offers / per_world), MIN_REPLICATIONS), MAX_REPLICATIONS)
    changes = {"horizon_days": horizon, "start_date": day0.date().isoformat(),
               "warmup_days": 0, **(overrides or {})}  # fmt: skip
    clock = time.perf_counter()
    results = run(override(scenario, changes), replications=replications, workers=1, seed=seed)
    log = window(like(from_events(results.events), observed), day0, end, from_time)
    return Simulated(log, replications, time.perf_counter() - clock)
