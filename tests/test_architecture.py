"""The import direction of STYLE.md, held by parsing every module's imports (transitively) and,
for the claims that matter most, by checking what a real run loads.

    scenario types -> model -> records -> analysis -> charts -> report / command line

- the model imports nothing from the analysis, the charts, the YAML reader, the runner or the
  command line (nor pandas, matplotlib, yaml or argparse);
- the runner never imports the YAML module; the charts never import the model;
- `yaml` is imported by the scenario io alone, matplotlib by the charts alone, argparse by the
  command line alone; no module grows past 450 lines.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sim"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def _top_level(body: list[ast.stmt]):
    """The statements that run when the module is imported (not functions' bodies, not
    `if TYPE_CHECKING:` blocks)."""
    for node in body:
        if isinstance(node, ast.If):
            test = ast.unparse(node.test)
            if "TYPE_CHECKING" not in test:
                yield from _top_level(node.body)
            yield from _top_level(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _top_level(block)
        elif isinstance(node, ast.With):
            yield from _top_level(node.body)
        else:
            yield node


@cache
def direct_imports(module: str, everywhere: bool = False) -> frozenset[str]:
    """What `module` imports: at import time, or `everywhere` (function bodies too)."""
    tree = ast.parse(MODULES[module].read_text())
    nodes = ast.walk(tree) if everywhere else _top_level(tree.body)
    names = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            # `from sim.scenario import limits` imports the submodule sim.scenario.limits
            names.update(f"{node.module}.{a.name}" for a in node.names
                         if f"{node.module}.{a.name}" in MODULES)  # fmt: skip
    # importing sim.a.b runs sim/__init__.py and sim/a/__init__.py first
    for name in list(names):
        parts = name.split(".")
        names.update(".".join(parts[:k]) for k in range(1, len(parts)))
    return frozenset(names)


@cache
def loaded_by(module: str) -> frozenset[str]:
    """Every module importing `module` loads, transitively (ours and the libraries' roots)."""
    seen, todo = set(), [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for imported in direct_imports(name) if name in MODULES else ():
            todo.append(imported)
    return frozenset(seen | {name.split(".")[0] for name in seen})


def under(names, *prefixes: str) -> set[str]:
    return {n for n in names if any(n == p or n.startswith(p + ".") for p in prefixes)}


MODEL = ["sim.model", *under(MODULES, "sim.model"), "sim.streams", "sim.distributions",
         "sim.scenario.types"]  # fmt: skip
NOT_FOR_THE_MODEL = ("sim.analysis", "sim.charts", "sim.scenario.io", "sim.execution", "sim.cli",
                     "sim.report", "sim.reporting", "sim.report_sensitivity", "sim.cli_compare",
                     "sim.cli_sensitivity", "sim.cli_fit", "sim.fit", "sim.plots",
                     "sim.plots_flow", "sim.plots_run", "sim.plots_compare", "sim.chartbook",
                     "pandas", "matplotlib", "yaml", "argparse")  # fmt: skip
CHARTS = sorted(under(MODULES, "sim.charts", "sim.plots", "sim.plots_flow", "sim.plots_run",
                      "sim.plots_compare", "sim.chartbook"))  # fmt: skip
RUNNERS = sorted(under(MODULES, "sim.execution.runner", "sim.execution.backends"))
ONLY_IN = {
    "yaml": {"sim.scenario.io"},
    "matplotlib": set(CHARTS),
    "argparse": {"sim.cli"},
}


def test_the_layout_is_there():
    for package in ("sim.scenario", "sim.model", "sim.execution", "sim.analysis", "sim.charts"):
        assert package in MODULES, package


@pytest.mark.parametrize("module", sorted(set(MODEL) & set(MODULES)))
def test_the_model_loads_no_analysis_charts_yaml_runner_or_cli(module):
    assert not under(loaded_by(module), *NOT_FOR_THE_MODEL)


@pytest.mark.parametrize("module", RUNNERS)
def test_the_runner_never_loads_yaml(module):
    assert "yaml" not in loaded_by(module)


@pytest.mark.parametrize("module", CHARTS)
def test_charts_never_load_the_model(module):
    assert not under(loaded_by(module), "sim.model", "simpy", "sim.execution")


@pytest.mark.parametrize("library", sorted(ONLY_IN))
def test_library_is_imported_by_its_own_modules_only(library):
    users = {m for m in MODULES if library in {n.split(".")[0] for n in
                                               direct_imports(m, everywhere=True)}}  # fmt: skip
    assert users <= ONLY_IN[library]


def test_modules_stay_small():
    sizes = {name: len(p.read_text().splitlines()) for name, p in MODULES.items()}
    assert max(sizes.values()) <= 450, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]


RUN_FROM_A_DICT = """
import sys
import sim
from sim.scenario import Scenario
scenario = Scenario.model_validate({"name": "plain", "team": {"recruiter": 1},
    "stages": {"initial_review": {"resource": "recruiter", "duration": 0.5}}})
results = sim.run(scenario, replications=2)
assert len(results.applicants) > 0
print(" ".join(sorted(m for m in ("yaml", "matplotlib", "sim.charts", "distributed", "dask")
                    if m in sys.modules)))
"""


def test_a_run_from_python_loads_neither_yaml_nor_matplotlib():
    """What a run really loads, functions' lazy imports included."""
    done = subprocess.run([sys.executable, "-c", RUN_FROM_A_DICT], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == ""


def test_the_public_names_stay_functions_whatever_was_imported():
    """`import sim.analysis.compare` (or any submodule) must not shadow `sim.compare`."""
    code = ("import importlib, sim\n"
            f"for m in {sorted(MODULES)!r}:\n"
            "    if not m.endswith('__main__'):\n"
            "        importlib.import_module(m)\n"
            "print(*(type(getattr(sim, n)).__name__ for n in ('run', 'compare', 'simulate',"
            " 'load_scenario', 'override')))")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["function"] * 5
