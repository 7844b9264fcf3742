"""`hiresim fit`: an applicant-tracking-system export (or hiresim's own event log) turned into a
scenario. `export` reads and checks the log, `estimate` fits each stage's delays and rates,
`scenario` writes the commented YAML; `workflow` does all three from Python and runs the fitted
scenario over the export's window, `measure` reads time to offer and to fill off a log,
`holdout` checks the fit on a held-out part, `report` writes `fit_report.html`. The model never
imports this package.

    import sim
    fitted = sim.fit.fit_export("export.csv", company_size="mid")  # .fit, .text, .scenario, .log
    table = sim.fit.validate(fitted.log, by="requisition", fraction=0.3, seed=0)

Names are imported on first use, as in `sim` (`sim.fit.holdout` is the module: its
`holdout(...)` returns the whole check, `validate` its table).
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "fit_export": "sim.fit.workflow",
    "fit_log": "sim.fit.workflow",
    "simulate_like": "sim.fit.workflow",
    "read_export": "sim.fit.export",
    "from_events": "sim.fit.export",
    "FitError": "sim.fit.export",
    "validate": "sim.fit.holdout",
    "compare": "sim.fit.holdout",
    "split": "sim.fit.holdout",
    "make_report": "sim.fit.report",
    "write_report": "sim.fit.report",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'sim.fit' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
