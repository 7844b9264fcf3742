"""The import direction of STYLE.md, held by parsing every module's imports."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sim"
MODEL_SIDE = ["model", "records", "streams", "distributions", "scenario", "presets"]
FORBIDDEN_IN_MODEL = {"pandas", "matplotlib", "yaml", "argparse", "sim.cli", "sim.plots",
                      "sim.tables", "sim.scenario_io", "sim.runner"}  # fmt: skip
ONLY_IN = {
    "yaml": {"scenario_io"},
    "matplotlib": {"plots", "plots_flow", "plots_run", "plots_compare"},
    "argparse": {"cli"},
}


def imports(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def roots(names: set[str]) -> set[str]:
    return names | {name.split(".")[0] for name in names}


@pytest.mark.parametrize("module", MODEL_SIDE)
def test_model_side_imports_no_tables_plots_yaml_or_cli(module):
    assert not roots(imports(module)) & FORBIDDEN_IN_MODEL


@pytest.mark.parametrize("library", sorted(ONLY_IN))
def test_library_is_imported_by_one_module_only(library):
    users = {p.stem for p in PACKAGE.glob("*.py") if library in roots(imports(p.stem))}
    assert users <= ONLY_IN[library]


def test_modules_stay_small():
    sizes = {p.name: len(p.read_text().splitlines()) for p in PACKAGE.glob("*.py")}
    assert max(sizes.values()) <= 450, sizes
