"""Writing a results folder (used by the command line only), without ever losing a user's file.

Everything goes into a staging folder beside the target; only when it is complete does it
replace the target, and only if the target is absent, an empty folder or an earlier hiresim
result: a folder whose marker file (`.hiresim-result.json`) lists every file in it. Anything
else is refused, or with `force` moved aside to a visible sibling (`NAME.replaced-<time>`),
never deleted. The current folder, its ancestors, a folder holding the scenario being run and
an existing file are refused even with `force`. On any exit (an error, Ctrl-C, SIGTERM, a full
disk) the staging folder is removed, so nothing hidden is left beside the target. Folders get
the user's umask (os.mkdir), not the 700 of `tempfile.mkdtemp`.

Each sweep cell's tables are written as soon as the cell is done; the final tables are then
assembled from those files in cell order.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from sim import __version__, stopping
from sim.analysis.bottleneck import cell_rank
from sim.analysis.tables import concat
from sim.execution.runner import TABLES, Cell, chart_tables
from sim.execution.tablefiles import TableFiles, concatenate
from sim.scenario.io import dump_yaml
from sim.scenario.resolve import resolved_document

MARKER = ".hiresim-result.json"


class OutputError(Exception):
    """The results folder cannot be written: `lines` say why (exit status 2)."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


@contextlib.contextmanager
def _shielded() -> Iterator[None]:
    """Hold back Ctrl-C and SIGTERM while folders are renamed or cleaned up: an interruption
    half-way would leave a hidden folder behind. They are delivered when the block ends."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def is_hiresim_result(folder: Path) -> bool:
    """Whether `folder` is empty or holds nothing but what an earlier hiresim run wrote
    (as listed in its marker file). Stops at the first entry it does not know."""
    folder = Path(folder)
    with os.scandir(folder) as entries:
        if next(entries, None) is None:
            return True
    marker = folder / MARKER
    if marker.is_symlink() or not marker.is_file():
        return False
    try:
        known = set(json.loads(marker.read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return False

    def fail(err: OSError) -> None:
        raise err

    try:
        for here, dirs, files in os.walk(folder, onerror=fail):
            relative = Path(here).relative_to(folder)
            for name in dirs:
                if (relative / name).as_posix() + "/" not in known:
                    return False
                if (Path(here) / name).is_symlink():  # we never write links
                    return False
            for name in files:
                path = (relative / name).as_posix()
                if path != MARKER and path not in known:
                    return False
    except OSError:
        return False
    return True


def _listing(folder: Path) -> list[str]:
    """Every folder (with a trailing '/') and file under `folder`, relative, sorted."""
    found = []
    for here, dirs, files in os.walk(folder):
        relative = Path(here).relative_to(folder)
        found += [(relative / name).as_posix() + "/" for name in dirs]
        found += [(relative / name).as_posix() for name in files]
    return sorted(found)


def check_target(target: Path, force: bool = False, inputs: Iterable[Path] = ()) -> list[str]:
    """Why `target` cannot be a results folder (empty list: it can). `inputs` are files the
    run reads (its scenarios), which the folder must not hold."""
    option = f"--out {target}"
    where = Path(os.path.abspath(target))
    real = where.resolve()
    here = Path.cwd().resolve()
    if here == real or real in here.parents:
        return [f"{option}: is the current folder or holds it; choose a new folder for the "
                "results (e.g. results/NAME)"]  # fmt: skip
    for path in inputs:
        source = Path(path).resolve()
        if real in source.parents:
            return [f"{option}: holds {path}, which this run reads; choose another folder"]
    for parent in where.parents:
        if parent.exists() and not parent.is_dir():
            return [f"{option}: {parent} is a file, not a folder"]
    if where.is_symlink() and not where.is_dir():
        return [f"{option}: is a link to something that is not a folder; choose another name"]
    if where.exists() and not where.is_dir():
        return [f"{option}: is a file, not a folder; hiresim will not replace it "
                "(choose a folder name)"]  # fmt: skip
    if where.is_dir() and not force:
        try:
            ours = not where.is_symlink() and is_hiresim_result(where)
        except OSError as err:
            return [f"{option}: cannot read it: {err.strerror or err}"]
        if not ours:
            return [f"{option}: the folder exists and is not an earlier hiresim result; "
                    "choose another folder, or add --force to move it aside "
                    "(nothing is deleted)"]  # fmt: skip
    return []


def _aside_name(target: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate = target.with_name(f"{target.name}.replaced-{stamp}")
    number = 2
    while candidate.exists() or candidate.is_symlink():
        candidate = target.with_name(f"{target.name}.replaced-{stamp}-{number}")
        number += 1
    return candidate


def _make_parents(parent: Path) -> list[Path]:
    """Create `parent` and any missing ancestors; return those created (deepest last)."""
    missing = []
    while not parent.exists():
        missing.append(parent)
        parent = parent.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder)
    return list(reversed(missing))


def _remove_empty(folders: list[Path]) -> None:
    for folder in reversed(folders):
        with contextlib.suppress(OSError):
            folder.rmdir()


class StagedFolder:
    """Where a run writes; `moved_aside` is set when `force` moved an old folder aside."""

    def __init__(self, path: Path):
        self.path = path
        self.moved_aside: Path | None = None


@contextlib.contextmanager
def staged_folder(
    target: Path, force: bool = False, inputs: Iterable[Path] = ()
) -> Iterator[StagedFolder]:
    """Yield a staging folder beside `target`; when the block succeeds, write the marker and
    put the folder in place of `target`. Raises OutputError when `target` may not be replaced
    or cannot be written (one line each)."""
    shown = Path(target)  # as the user wrote it, for messages
    target = Path(os.path.abspath(target))
    inputs = list(inputs)
    try:
        problems = check_target(shown, force, inputs)
    except OSError as err:
        problems = [f"--out {shown}: cannot use it: {err.strerror or err}"]
    if problems:
        raise OutputError(problems)
    created: list[Path] = []
    staging = None
    try:
        created = _make_parents(target.parent)
        staging = target.with_name(f".{target.name}.partial-{secrets.token_hex(4)}")
        os.mkdir(staging)  # mode 0o777 less the umask
        stage = StagedFolder(staging)
        yield stage
        stopping.check()  # a stop whose exception was lost on the way (see sim.stopping)
        _write_marker(staging)
        with _shielded():
            stage.moved_aside = _put_in_place(staging, target, force, inputs)
            staging = None
    except OSError as err:
        raise OutputError([f"{shown}: cannot write the results: {err.strerror or err}"]) from None
    finally:
        with _shielded():
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
                _remove_empty(created)


def _write_marker(folder: Path) -> None:
    files = [*_listing(folder), MARKER]
    (folder / MARKER).write_text(
        json.dumps({"hiresim": __version__, "files": sorted(files)}, indent=1), encoding="utf-8"
    )


def _put_in_place(staging: Path, target: Path, force: bool, inputs: list[Path]) -> Path | None:
    """Rename `staging` to `target`, moving what is there aside first. Another run may finish
    at the same moment, so a few attempts; each time the target is checked again."""
    moved = None
    for _ in range(20):
        try:
            os.rename(staging, target)  # also replaces an empty folder
            return moved
        except FileNotFoundError:
            raise
        except OSError:
            if not (target.exists() or target.is_symlink()):
                continue
        problems = check_target(target, force, inputs)
        if problems:
            raise OutputError(problems)
        if force and not is_hiresim_result(target):
            moved = _aside_name(target)
            with contextlib.suppress(FileNotFoundError):
                os.rename(target, moved)
            continue
        old = target.with_name(f".{target.name}.old-{secrets.token_hex(4)}")
        try:
            os.rename(target, old)
        except FileNotFoundError:
            continue
        try:
            os.rename(staging, target)
        except OSError:
            shutil.rmtree(old, ignore_errors=True)
            continue
        shutil.rmtree(old, ignore_errors=True)
        return moved
    raise OutputError([f"{target}: another process keeps writing here; try again"])


class CellWriter:
    """`on_cell` for `sim.run`: puts each finished cell's tables in files at once (the tasks
    may have written them already: `Cell.files`), keeps the small extracts the charts need,
    and assembles the final tables at the end. `table_format`: csv or parquet."""

    def __init__(self, folder: Path, table_format: str = "csv"):
        self.folder = Path(folder)
        self.parts = self.folder / ".cells"
        self.parts.mkdir(parents=True)
        self.format = table_format
        self.files: dict[int, list[str]] = {}  # cell -> its table files in self.parts
        self.offers: list[pd.DataFrame] = []  # time to offer of every candidate, for charts
        self.first_run: dict[str, pd.DataFrame] = {}  # cell 0, replication 0
        # replication 0's team levels of cell 0 and of the busiest cell so far (by its rank)
        self.levels: dict[int, pd.DataFrame] = {}
        self.busiest: tuple | None = None

    def __call__(self, cell: Cell) -> None:
        if not cell.files:  # the tables came back (from machines that share no disk)
            with TableFiles(self.parts, self.format, f"c{cell.index:05d}") as written:
                for name in TABLES:
                    written.append(name, cell.tables[name])
            cell.files = [written.path(name).name for name in TABLES]
        self.files[cell.index] = cell.files
        extract = chart_tables(cell.tables, cell.index, list(cell.values))
        self.offers.append(extract["applicants"])
        if cell.index == 0:
            self.first_run["events"] = extract["events"]
            self.levels[0] = extract["team_levels"]
        rank = (cell_rank(cell.team), -cell.index)  # the team chart's cell: the busiest
        if self.busiest is None or rank > self.busiest[0]:
            if self.busiest is not None and self.busiest[1] != 0:
                self.levels.pop(self.busiest[1], None)
            self.busiest = (rank, cell.index)
            self.levels[cell.index] = extract["team_levels"]
        if cell.values:
            (self.folder / "cells").mkdir(exist_ok=True)
            (self.folder / "cells" / f"cell-{cell.index:05d}.yaml").write_text(
                dump_yaml({"cell": cell.index, "swept": cell.values,
                           **resolved_document(cell.scenario)}),
                encoding="utf-8",
            )  # fmt: skip

    def assemble(self) -> None:
        """applicants, events, team_levels, requisitions (.csv or .parquet): the cells' files
        in cell and replication order, streamed (one header, then every file's rows; or
        Parquet row groups one after another)."""
        for name in TABLES:
            parts = [self.parts / file for index in sorted(self.files)
                     for file in self.files[index] if file.startswith(f"{name}-")]  # fmt: skip
            concatenate(parts, self.folder / f"{name}.{self.format}", self.format)
        shutil.rmtree(self.parts)

    def chart_tables(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """(time-to-offer extract of every cell, cell 0's first events, the team levels of
        cell 0's first replication and of the busiest cell's)."""
        offers = pd.concat(self.offers, ignore_index=True)
        if {"cell", "replication"} <= set(offers.columns):
            offers = offers.sort_values(["cell", "replication"], kind="stable")
        levels = concat([self.levels[index] for index in sorted(self.levels)])
        return offers, self.first_run["events"], levels


def write_tables(folder: Path, tables: dict[str, pd.DataFrame], table_format: str = "csv") -> None:
    for name, table in tables.items():
        if table_format == "parquet":
            table.to_parquet(folder / f"{name}.parquet", index=False)
        else:
            table.to_csv(folder / f"{name}.csv", index=False)


def write_charts(
    folder: Path,
    charts: dict[str, tuple[str, object]],
    skipped: list[tuple[str, str, str]] | None = None,
) -> dict[str, bytes]:
    """Save every chart as `folder/<name>.png`; return caption -> PNG bytes for the report.
    A chart that cannot be saved is left out and added to `skipped` as (name, caption,
    reason); a full disk still stops the run."""
    from sim.charts.chartbook import reason

    folder.mkdir(exist_ok=True)
    images = {}
    for name, (caption, figure) in charts.items():
        path = folder / f"{name}.png"
        try:
            figure.savefig(path, dpi=150)
            images[caption] = path.read_bytes()
        except OSError:
            raise
        except Exception as err:  # a chart is never worth the tables: skip it, say why
            path.unlink(missing_ok=True)
            stopping.reraise(err)
            if skipped is None:
                raise
            skipped.append((name, caption, reason(err)))
    return images
