"""Writing a results folder (used by the command line only).

Everything goes into a temporary sibling folder first; only when it is complete does it replace
the target (the old folder is moved aside, the new one renamed into place, the old one deleted),
so an interrupted run never leaves half a result. Each sweep cell's tables are written as soon
as the cell is done; the final tables are then assembled from those files in cell order.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from sim.runner import TABLES, Cell
from sim.scenario_io import dump_yaml, resolved_document


@contextlib.contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """Yield a temporary folder beside `target`; on success move it to `target`."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        target.rename(old / target.name)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


class CellWriter:
    """`on_cell` for `sim.run`: writes each finished cell's tables at once, keeps the small
    extracts the charts need, and assembles the final tables at the end."""

    CHART_COLUMNS = ["scenario", "cell", "replication", "time_to_offer_days"]

    def __init__(self, folder: Path, parquet: bool = False):
        self.folder = Path(folder)
        self.parts = self.folder / ".cells"
        self.parts.mkdir(parents=True)
        self.parquet = parquet
        self.cells: list[int] = []
        self.offers: list[pd.DataFrame] = []  # time to offer of every candidate, for charts
        self.first_run: dict[str, pd.DataFrame] = {}  # cell 0, replication 0

    def __call__(self, cell: Cell) -> None:
        for name in TABLES:
            cell.tables[name].to_csv(self.parts / f"{name}-{cell.index:05d}.csv", index=False)
        self.cells.append(cell.index)
        applicants = cell.tables["applicants"]
        self.offers.append(applicants[[*self.CHART_COLUMNS, *cell.values]])
        if cell.index == 0:
            for name in ("events", "team_levels"):
                table = cell.tables[name]
                self.first_run[name] = table[table["replication"] == 0]
        if cell.values:
            (self.folder / "cells").mkdir(exist_ok=True)
            (self.folder / "cells" / f"cell-{cell.index:05d}.yaml").write_text(
                dump_yaml({"cell": cell.index, "swept": cell.values,
                           **resolved_document(cell.scenario)}),
                encoding="utf-8",
            )  # fmt: skip

    def assemble(self) -> None:
        """applicants.csv, events.csv, team_levels.csv: the cells' files, in cell order,
        streamed (one header, then every cell's rows)."""
        for name in TABLES:
            parts = [self.parts / f"{name}-{index:05d}.csv" for index in sorted(self.cells)]
            with open(self.folder / f"{name}.csv", "wb") as out:
                for number, part in enumerate(parts):
                    with open(part, "rb") as source:
                        header = source.readline()
                        if number == 0:
                            out.write(header)
                        shutil.copyfileobj(source, out)
            if self.parquet:
                table = pd.concat([pd.read_csv(part) for part in parts], ignore_index=True)
                table.to_parquet(self.folder / f"{name}.parquet", index=False)
        shutil.rmtree(self.parts)

    def chart_tables(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """(time-to-offer extract of every cell, cell 0's first events, its team levels)."""
        offers = pd.concat(self.offers, ignore_index=True).sort_values(["cell", "replication"],
                                                                       kind="stable")  # fmt: skip
        return offers, self.first_run["events"], self.first_run["team_levels"]


def write_tables(folder: Path, tables: dict[str, pd.DataFrame], parquet: bool = False) -> None:
    for name, table in tables.items():
        table.to_csv(folder / f"{name}.csv", index=False)
        if parquet:
            table.to_parquet(folder / f"{name}.parquet", index=False)


def write_charts(folder: Path, charts: dict[str, tuple[str, object]]) -> dict[str, bytes]:
    """Save every chart as `folder/<name>.png`; return caption -> PNG bytes for the report."""
    folder.mkdir(exist_ok=True)
    images = {}
    for name, (caption, figure) in charts.items():
        path = folder / f"{name}.png"
        figure.savefig(path, dpi=150)
        images[caption] = path.read_bytes()
    return images
