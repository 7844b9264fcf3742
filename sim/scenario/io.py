"""Scenario files in and out: hardened YAML reading and writing.

The only module that imports `yaml`. `load_scenario` reads a file (or takes a mapping) and
hands the document to `sim.scenario.resolve`, which lays it over its preset and validates it.
Every mistake in a file becomes a `ScenarioError` (`sim.scenario.errors`) holding one line per
problem, each naming the field by its dotted path.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path

import yaml

from sim.scenario import limits
from sim.scenario.errors import ScenarioError, clip, shown
from sim.scenario.resolve import resolve
from sim.scenario.types import Scenario

__all__ = ["MAX_FILE_BYTES", "MAX_NODES", "dump_yaml", "load_scenario", "read_yaml"]


MAX_FILE_BYTES = 1_000_000  # a scenario is a few kB; checked before reading, not after
MAX_NODES = 20_000  # YAML nodes (aliases expanded): a scenario has a few hundred; 20,000 take 1 s


class _TooLarge(Exception):
    """More YAML nodes than MAX_NODES: stop composing now rather than build them all."""


class _Loader(yaml.SafeLoader):
    """`yaml.SafeLoader` (safe_load: no tags that build objects) with the YAML 1.2 core schema's
    scalars: `1e3` is a number, `010` is ten, and `on`, `yes`, `1:30`, `0b11`, `1_000` are text."""

    nodes = 0

    def compose_node(self, parent, index):
        self.nodes += 1  # a 1 MB list of numbers is 500,000 nodes: 10 s and 0.5 GB to compose
        if self.nodes > MAX_NODES:
            raise _TooLarge
        return super().compose_node(parent, index)


_CORE = {  # tag: (pattern, first characters)
    "bool": (r"true|True|TRUE|false|False|FALSE", "tTfF"),
    "int": (r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    "float": (
        r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
        "-+.0123456789",
    ),
}
_KEPT = {f"tag:yaml.org,2002:{kind}" for kind in ("null", "timestamp", "merge")}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag in _KEPT]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _kind, (_pattern, _first) in _CORE.items():  # int before float: `10` is an int
    _Loader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_kind}", re.compile(f"^(?:{_pattern})$"), list(_first)
    )


def _core_number(kind: str):
    """Constructor of a YAML 1.2 core int or float; also for explicit `!!int`/`!!float` tags,
    so `!!int 0b11` is refused rather than read the YAML 1.1 way."""
    pattern = re.compile(f"(?:{_CORE[kind][0]})")

    def construct(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | float:
        text = loader.construct_scalar(node)
        if not pattern.fullmatch(text):
            raise ValueError(f"not a YAML 1.2 {kind}")
        if kind == "int":
            base = {"0o": 8, "0x": 16}.get(text[:2], 10)
            return int(text[2:] if base != 10 else text, base)
        return float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))

    return construct


for _kind in ("int", "float"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_kind}", _core_number(_kind))


def _times(lines: list[int]) -> str:
    """'twice (lines 2 and 4)', 'twice (line 3)' or '5 times (lines 2, 3, 4, ...)'."""
    shown = list(dict.fromkeys(lines))
    where = f"line {shown[0]}" if len(shown) == 1 else f"lines {shown[0]} and {shown[1]}"
    if len(shown) > 2:
        where = "lines " + ", ".join(map(str, shown[:3])) + (", …" if len(shown) > 3 else "")
    return f"{'twice' if len(lines) == 2 else f'{len(lines):,} times'} ({where})"


def _read_text(path: Path) -> str:
    """The text of a regular file of at most MAX_FILE_BYTES: a FIFO, a device or a folder is
    refused before it is opened for reading (reading one could block or never end)."""
    kinds = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a device",
             stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket"}  # fmt: skip

    def check(info: os.stat_result) -> None:
        if not stat.S_ISREG(info.st_mode):
            kind = kinds.get(stat.S_IFMT(info.st_mode), "not a file")
            raise ScenarioError([f"{path}: not a regular file ({kind}); give a scenario file"])
        if info.st_size > MAX_FILE_BYTES:
            raise ScenarioError(
                [f"{path}: {info.st_size:,} bytes is too large for a scenario "
                 f"(at most {MAX_FILE_BYTES:,})"]
            )  # fmt: skip

    try:
        check(os.stat(path))
        # O_NONBLOCK: if a FIFO replaced the file since the stat, opening it must not wait
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as file:
            check(os.fstat(file.fileno()))
            data = file.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:  # it grew since the stat
            raise ScenarioError([f"{path}: too large for a scenario (over {MAX_FILE_BYTES:,})"])
        return data.decode("utf-8")
    except OSError as err:
        raise ScenarioError([f"{path}: cannot read: {err.strerror or err}"]) from None
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise ScenarioError([f"{path}: cannot read: {err} (line {line})"]) from None


def read_yaml(path: str | Path, what: str = "a scenario", of: str = "fields") -> dict:
    """The mapping in a scenario file (or another YAML mapping: `what` it is, a mapping `of`
    what, for the messages), or a ScenarioError saying why there is none."""
    path = Path(path)
    text = _read_text(path)
    budget = [MAX_NODES]

    def check(node, at: str, inside: frozenset) -> list[str]:
        """What YAML lets through but a scenario must not: a key given twice (the later would
        silently win), a value that cannot be built (2026-13-01), an alias inside itself."""
        budget[0] -= 1
        line = node.start_mark.line + 1
        if id(node) in inside:
            return [f"{at or path}: an alias refers to something that contains it (line {line})"]
        if budget[0] < 0 or len(inside) > 50:
            return [f"{path}: too large or too deeply nested to be a scenario"]
        if isinstance(node, yaml.ScalarNode):
            try:
                loader.construct_object(node)
            except (ValueError, TypeError, OverflowError) as err:
                what = f"cannot read {shown(node.value)} (line {line}): {clip(str(err), 3)}"
                return [f"{at or path}: {what}"]
            return []
        problems, seen, children = [], {}, []
        if isinstance(node, yaml.SequenceNode):
            children = [(f"{at}[{i}]", item) for i, item in enumerate(node.value)]
        for key, value in node.value if isinstance(node, yaml.MappingNode) else []:
            name = key.value if isinstance(key, yaml.ScalarNode) else "?"
            dotted = f"{at}.{clip(name)}" if at else clip(name)
            if name != "<<":
                seen.setdefault(name, (dotted, []))[1].append(key.start_mark.line + 1)
            children.append((dotted, value))
        for dotted, lines in seen.values():  # one line per key, however often it is repeated
            if len(lines) > 1:
                problems.append(f"{dotted}: given {_times(lines)}; keep one")
        for dotted, child in children:
            problems += check(child, dotted, inside | {id(node)})
        return problems

    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        problems = check(node, "", frozenset()) if node is not None else []
        document = None if node is None or problems else loader.construct_document(node)
    except yaml.reader.ReaderError as err:  # a byte YAML does not allow anywhere, e.g. NUL
        line = text.count("\n", 0, err.position) + 1
        column = err.position - text.rfind("\n", 0, err.position)
        raise ScenarioError(
            [f"{path}: not valid YAML (line {line}, character {column}): control character "
             f"#x{err.character:04x} is not allowed; remove it"]
        ) from None  # fmt: skip
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        line = f" (line {where.line + 1})" if where else ""
        what = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ScenarioError([f"{path}: not valid YAML{line}: {clip(what, 2)}"]) from None
    except _TooLarge:
        raise ScenarioError(
            [f"{path}: too large to be a scenario (over {MAX_NODES:,} values, keys and lists)"]
        ) from None
    except RecursionError:
        raise ScenarioError([f"{path}: too large or too deeply nested to be a scenario"]) from None
    except (ValueError, TypeError, OverflowError) as err:  # e.g. a key that is a bad date
        what = clip(str(err), 2)
        raise ScenarioError([f"{path}: not valid YAML: a value cannot be read ({what})"]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if problems:
        raise ScenarioError(list(dict.fromkeys(problems)))
    if document is None:
        needs = "at least a name" if what == "a scenario" else "at least one entry"
        raise ScenarioError([f"{path}: the file is empty; {what} needs {needs}"])
    if not isinstance(document, dict):
        raise ScenarioError(
            [f"{path}: {what} is a mapping of {of}, not a {type(document).__name__}"]
        )
    return document


def load_scenario(source: str | Path | Mapping, max_cells: int = limits.MAX_CELLS) -> Scenario:
    """A validated Scenario from a YAML file path or a mapping (the preset filled in).
    A sweep of more than `max_cells` cells is refused before any cell is validated."""
    document = dict(source) if isinstance(source, Mapping) else read_yaml(source)
    return resolve(document, max_cells=max_cells)


def dump_yaml(document: Mapping) -> str:
    return yaml.safe_dump(dict(document), sort_keys=False, allow_unicode=True, width=100)
