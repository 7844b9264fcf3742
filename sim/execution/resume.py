"""Finished sweep cells kept on disk while a run goes on, so an interrupted run can resume.

A `CellStore` is a visible folder beside the results target (`NAME.resume/`). Each finished
cell is pickled there as `<key>.pickle`, written atomically (a temporary file, then
`os.replace`), where the key is a hash of everything the cell's tables depend on: the resolved
cell scenario (seed included), its swept values and index, the replication count and the
hiresim version. A later run asking for the same cell finds it by that key; anything else
changed gives another key, so a stored cell is never reused for a different run. A marker file
(`.hiresim-resume.json`) says the folder is hiresim's: a folder without it is never written
into nor deleted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import secrets
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path

from sim import __version__, stopping
from sim.scenario.resolve import resolved_document
from sim.scenario.types import Scenario

MARKER = ".hiresim-resume.json"
SUFFIX = ".resume"


def folder_beside(target: Path) -> Path:
    """Where the finished cells of a run writing `target` wait: `target` + ".resume"."""
    target = Path(target)
    if target.name in ("", ".", ".."):  # `--out .` and the like (refused as results folders)
        target = Path(os.path.abspath(target))
    return target.with_name(target.name + SUFFIX) if target.name else target / SUFFIX


def key(cell_scenario: Scenario, values: Mapping, replications: int, index: int = 0) -> str:
    """The hex sha256 naming one cell's result: its resolved document (seed included), swept
    values, index in the sweep, the replication count and the hiresim version, dumped as
    canonical JSON."""
    document = {
        "hiresim": __version__,
        "cell": resolved_document(cell_scenario),
        "values": dict(values),
        "index": index,
        "replications": replications,
    }
    text = json.dumps(document, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CellStore:
    """The finished cells of a run, in `folder`. With `reuse` False, cells are saved but none
    is handed back (a fresh run that can itself be resumed). `reused` and `saved` hold the
    indices of the cells this run took from the store and put in it."""

    def __init__(self, folder: Path, reuse: bool = True):
        self.folder = Path(folder)
        self.reuse = reuse
        self.existed = self.folder.is_dir()
        """Whether the folder was there before this run (a run failing otherwise than by an
        interruption removes only a folder it created)."""
        self.reused: set[int] = set()
        self.saved: set[int] = set()
        self._saving: tuple[int, Path] | None = None  # a cell whose pickle may just be in place

    def is_ours(self) -> bool:
        """Whether the folder is absent or was written by hiresim (holds the marker)."""
        if not (self.folder.exists() or self.folder.is_symlink()):
            return True
        marker = self.folder / MARKER
        return (self.folder.is_dir() and not self.folder.is_symlink()
                and marker.is_file() and not marker.is_symlink())  # fmt: skip

    def _path(self, cell_key: str) -> Path:
        return self.folder / f"{cell_key}.pickle"

    def save(self, cell_key: str, cell) -> None:
        """Keep `cell` under `cell_key`, atomically (a reader never sees half a file)."""
        self._ready()
        temporary = self.folder / f".{cell_key}.{secrets.token_hex(4)}.tmp"
        try:
            with open(temporary, "wb") as out:
                pickle.dump(cell, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self._path(cell_key))
        finally:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()

    def _ready(self) -> None:
        """The folder, made with its marker if need be; FileExistsError if not hiresim's."""
        if not self.is_ours():
            raise FileExistsError(f"{self.folder} is not a hiresim resume folder")
        self.folder.mkdir(parents=True, exist_ok=True)
        marker = self.folder / MARKER
        if not marker.exists():
            marker.write_text(json.dumps({"hiresim": __version__}), encoding="utf-8")

    def load(self, cell_key: str):
        """The cell kept under `cell_key`, or None (absent, partial or unreadable)."""
        try:
            with open(self._path(cell_key), "rb") as source:
                return pickle.load(source)
        except FileNotFoundError:
            return None
        except Exception as err:  # a damaged file is as good as none: the cell is run again
            stopping.reraise(err)
            return None

    def finished(self, grid: list[tuple[dict, Scenario]], replications: int,
                 files_to: Path | None = None) -> Iterator:  # fmt: skip
        """Each cell of `grid` (as `resolve.cells` gives it) the store holds, loaded one at a
        time; nothing when the store is not for reuse. A cell whose tables were kept as files
        (`cell.files`) has them put back into `files_to` (linked, else copied); without
        `files_to`, or with a file missing, it counts as absent."""
        if not self.reuse or not self.folder.is_dir() or not self.is_ours():
            return
        for index, (values, cell_scenario) in enumerate(grid):
            cell_key = key(cell_scenario, values, replications, index)
            cell = self.load(cell_key)
            if cell is None or getattr(cell, "index", None) != index:
                continue
            files = list(getattr(cell, "files", None) or [])
            kept = self.folder / cell_key
            if files and (files_to is None or not all((kept / f).is_file() for f in files)):
                continue
            for name in files:
                _place(kept / name, Path(files_to) / name)
            self.reused.add(index)
            yield cell

    def save_cell(self, cell, replications: int, files_from: Path | None = None) -> None:
        """Keep a cell just finished (a `runner.Cell`: index, values, scenario and tables;
        `cell.files`, if any, the names of its table files in `files_from`, kept beside it)."""
        cell_key = key(cell.scenario, cell.values, replications, cell.index)
        files = list(getattr(cell, "files", None) or [])
        if files and files_from is not None:
            self._ready()
            kept = self.folder / cell_key
            kept.mkdir(parents=True, exist_ok=True)
            for name in files:
                _place(Path(files_from) / name, kept / name)
        self._saving = (cell.index, self._path(cell_key))  # an interruption may come between
        self.save(cell_key, cell)  # last: only a cell whose files are all there is found
        self.saved.add(cell.index)
        self._saving = None

    def problems(self) -> list[str]:
        """Why the folder cannot be used (empty list: it can): it is there but not hiresim's."""
        if self.is_ours():
            return []
        return [f"{self.folder}: exists and is not a hiresim resume folder (it has no "
                f"{MARKER}); move it away or choose another --out"]  # fmt: skip

    def kept_line(self, cells: int) -> str:
        """What an interrupted run of `cells` cells leaves, and how to use it."""
        return (f"{self.kept} of {cells} cells finished are kept in {self.folder}/; "
                "rerun with --resume to skip them")  # fmt: skip

    def reused_line(self, cells: int) -> str:
        """What a resumed run of `cells` cells took from the store."""
        if not self.reused:
            return f"resumed: nothing to reuse in {self.folder}/; every cell was run"
        return (f"resumed: {len(self.reused)} of {cells} cells reused from {self.folder}/, "
                f"{cells - len(self.reused)} run now")  # fmt: skip

    @property
    def kept(self) -> int:
        """How many of this run's cells the store holds (reused or saved: a cell whose pickle
        was put in place just as the run was interrupted counts too)."""
        just = {self._saving[0]} if self._saving and self._saving[1].is_file() else set()
        return len(self.reused | self.saved | just)

    def abandon(self) -> None:
        """After a run that failed otherwise than by an interruption (exit 2): leave things as
        they were, removing the folder if this run created it."""
        if not self.existed:
            self.remove()

    def remove(self) -> None:
        """Delete the folder, only if it is hiresim's: renamed aside first, so a stop half-way
        leaves either the whole store or a hidden remnant that is not mistaken for one."""
        if not self.folder.is_dir() or not self.is_ours():
            return
        doomed = self.folder.with_name(f".{self.folder.name}.old-{secrets.token_hex(4)}")
        os.rename(self.folder, doomed)
        shutil.rmtree(doomed, ignore_errors=True)


def _place(source: Path, target: Path) -> None:
    """`source` at `target` too, whole or not at all: a hard link, else a copy (renamed)."""
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        try:
            os.link(source, temporary)
        except OSError:  # another file system, or no links here
            shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
