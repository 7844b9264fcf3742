"""hiresim: a discrete-event simulator of what happens after a job interview.

    import sim
    scenario = sim.load_scenario("scenarios/mid_baseline.yaml")
    results = sim.run(scenario, replications=10)
    results.applicants, results.events, results.summary

Names are imported on first use (PEP 562), so `hiresim --help` does not pay for pandas, SciPy
and matplotlib; the packages (`sim.scenario`, `sim.model`, `sim.execution`, `sim.analysis`,
`sim.charts`) load the same way. `sim.plots`, `sim.plots_flow`, `sim.plots_run` and
`sim.plots_compare` are kept as aliases of the chart modules in `sim.charts`.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "Comparison": "sim.analysis.compare",
    "compare": "sim.analysis.compare",
    "Results": "sim.execution.runner",
    "run": "sim.execution.runner",
    "simulate": "sim.execution.runner",
    "Scenario": "sim.scenario",
    "ScenarioError": "sim.scenario.errors",
    "load_scenario": "sim.scenario.io",
    "override": "sim.scenario.resolve",
    "sensitivity": "sim.analysis.sensitivity",
}
_SUBMODULES = {
    "analysis", "chartbook", "charts", "distributions", "execution", "fit", "model", "plots",
    "plots_compare", "plots_flow", "plots_run", "report", "scenario", "streams",
}  # fmt: skip

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"sim.{name}")
    else:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS, *_SUBMODULES])
