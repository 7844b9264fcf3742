"""The README documents every scenario field, and its quick start names a shipped scenario."""

import re
import typing
from pathlib import Path

from pydantic import BaseModel

from sim.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def field_names(model: type[BaseModel], seen=None) -> set[str]:
    seen = set() if seen is None else seen
    names = set()
    for name, field in model.model_fields.items():
        names.add(field.alias or name)
        for arg in _leaves(field.annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel) and arg not in seen:
                seen.add(arg)
                if not arg.__module__.endswith("distributions"):
                    names |= field_names(arg, seen)
    return names


def _leaves(annotation):
    args = typing.get_args(annotation)
    if not args:
        yield annotation
    for arg in args:
        yield from _leaves(arg)


def test_every_scenario_field_is_documented():
    documented = set(re.findall(r"`([\w.<>]+)`", README))
    parts = {part for path in documented for part in path.split(".")}
    missing = field_names(Scenario) - parts
    assert not missing, f"README lacks: {sorted(missing)}"


def test_quick_start_runs_a_shipped_scenario():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    named = re.findall(r"scenarios/[\w.-]+\.yaml", quick)
    assert named and all((ROOT / path).is_file() for path in named)
