"""Result tables written chunk by chunk, as CSV or Parquet, and assembled into one file each.

`TableFiles(folder, fmt, stem)` appends DataFrame chunks to `folder/{name}-{stem}.{csv|parquet}`
(`{name}.{ext}` without a stem): CSV with its header once; Parquet through one
`pyarrow.parquet.ParquetWriter` per table, one row group per chunk, under a schema fixed by the
first chunk and the tables' known column types, so that a chunk whose column happens to be all
empty, or integral, never changes it. `concatenate(parts, target, fmt)` joins part files into
one with bounded memory: CSV byte for byte (one header), Parquet one row group at a time.

CSV timestamps are always written to the millisecond (`2026-01-05 18:54:19.929`): pandas would
pick a format per chunk (dates only, whole seconds, ...), and the chunks of one table must read
alike.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

FORMATS = ("csv", "parquet")
PARQUET_HINT = (
    "Parquet needs pyarrow: pip install -e '.[parquet]' (or pip install 'hiresim[parquet]')"
)

STRINGS = ("scenario", "case_id", "outcome", "exit_stage", "case:concept:name", "concept:name",
           "lifecycle:transition", "org:resource", "resource", "stage")  # fmt: skip
INTEGERS = ("cell", "replication", "requisition", "applicant", "search", "openings",
            "interviewed", "searches", "accepted", "hired", "capacity")  # fmt: skip
BOOLEANS = ("after_warmup", "filled")
FLOATS = ("busy", "queue")  # integral counts, empty at the end of the run


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as error:
        raise ImportError(PARQUET_HINT) from error
    return pa, pq


def arrow_schema(frame: pd.DataFrame):
    """The Arrow schema a table with `frame`'s columns is written with: the known columns by
    their names (strings, integers, booleans, floats), the others by their dtype (an
    all-empty column of objects: null, which `concatenate` widens to what the other parts
    hold)."""
    pa, _ = _pyarrow()
    fields = []
    for name in frame.columns:
        column = frame[name]
        if name in STRINGS:
            kind = pa.string()
        elif name in INTEGERS:
            kind = pa.int64()
        elif name in BOOLEANS:
            kind = pa.bool_()
        elif name in FLOATS or pd.api.types.is_float_dtype(column.dtype):
            kind = pa.float64()
        elif pd.api.types.is_datetime64_any_dtype(column.dtype):
            kind = pa.timestamp(np.datetime_data(column.dtype)[0])
        elif pd.api.types.is_string_dtype(column.dtype) and column.dtype != object:
            kind = pa.string()
        else:
            kind = pa.Array.from_pandas(column).type
            if pa.types.is_large_string(kind):
                kind = pa.string()
        fields.append(pa.field(str(name), kind))
    return pa.schema(fields)


def _csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its timestamps as text to the millisecond (NaT: empty), and the columns
    that are floats in the whole table (`FLOATS`) as floats (`3.0`, not `3`)."""
    stamps = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c].dtype)]
    counts = [c for c in FLOATS if c in frame.columns and frame[c].dtype != float]
    if not stamps and not counts:
        return frame
    frame = frame.copy(deep=False)
    for name in counts:
        frame[name] = frame[name].astype(float)
    for name in stamps:
        values = frame[name].to_numpy().astype("datetime64[ms]")
        text = pd.Series(np.datetime_as_string(values, unit="ms"), dtype="str")
        text = text.str.replace("T", " ", regex=False).where(~np.isnat(values), "")
        frame[name] = text.to_numpy()
    return frame


class TableFiles:
    """Tables appended chunk by chunk to files in `folder`: `{name}-{stem}.{fmt}`, or
    `{name}.{fmt}` when `stem` is None. Use as a context manager, or call `close()`."""

    def __init__(self, folder: str | Path, fmt: str = "csv", stem: str | None = None):
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        if fmt == "parquet":
            _pyarrow()
        self.folder, self.fmt, self.stem = Path(folder), fmt, stem
        self.folder.mkdir(parents=True, exist_ok=True)
        self.paths: dict[str, Path] = {}
        """Table name -> the file it is written to, for every table appended to so far."""
        self.rows: dict[str, int] = {}
        self._writers: dict = {}
        self._schemas: dict = {}

    def path(self, name: str) -> Path:
        """The file table `name` goes to."""
        stem = name if self.stem is None else f"{name}-{self.stem}"
        return self.folder / f"{stem}.{self.fmt}"

    def append(self, name: str, frame: pd.DataFrame) -> None:
        """Append `frame`'s rows to table `name` (its first chunk creates the file, even with no
        rows; later chunks must have the same columns)."""
        path = self.path(name)
        first = name not in self.paths
        if not first and list(frame.columns) != self._columns(name):
            raise ValueError(f"{name}: a chunk's columns differ from the first chunk's")
        self.paths[name] = path
        self.rows[name] = self.rows.get(name, 0) + len(frame)
        if self.fmt == "csv":
            if first:
                self._schemas[name] = list(frame.columns)
            with path.open("w" if first else "a", newline="", encoding="utf-8") as handle:
                _csv_ready(frame).to_csv(handle, header=first, index=False)
            return
        pa, pq = _pyarrow()
        if first:
            self._schemas[name] = arrow_schema(frame)
            self._writers[name] = pq.ParquetWriter(path, self._schemas[name])
        if len(frame):
            table = pa.Table.from_pandas(frame, schema=self._schemas[name], preserve_index=False)
            self._writers[name].write_table(table, row_group_size=len(frame))

    def _columns(self, name: str) -> list[str]:
        schema = self._schemas[name]
        return schema if isinstance(schema, list) else list(schema.names)

    def close(self) -> None:
        """Finish every file (Parquet: write its footer)."""
        writers, self._writers = self._writers, {}
        for writer in writers.values():
            writer.close()

    def __enter__(self) -> TableFiles:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def concatenate(parts: Sequence[str | Path], target: str | Path, fmt: str = "csv") -> Path:
    """Join the part files of one table (as `TableFiles` writes them, in order) into `target`,
    holding at most one part's row group (Parquet) or a buffer of bytes (CSV) in memory; the
    parts are left as they were, but for a single part, which becomes the target.
    Parquet parts whose column types differ (a swept value empty in one cell, a number in
    another) are widened to a common type, or else to strings. A single part is the table
    already: it is moved to `target` (the same folder tree), not read and written again."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if not parts:
        raise ValueError("no parts to concatenate")
    target = Path(target)
    if len(parts) == 1:
        os.replace(parts[0], target)
        return target
    if fmt == "csv":
        with target.open("wb") as out:
            for index, part in enumerate(parts):
                with Path(part).open("rb") as handle:
                    if index:
                        handle.readline()  # the header, written once
                    shutil.copyfileobj(handle, out, 1 << 20)
        return target
    pa, pq = _pyarrow()
    files = [pq.ParquetFile(part) for part in parts]
    schema = _common_schema(pa, [f.schema_arrow for f in files])
    with pq.ParquetWriter(target, schema) as writer:
        for file in files:
            for group in range(file.num_row_groups):
                table = file.read_row_group(group)
                if not table.schema.equals(schema):
                    table = table.select(schema.names).cast(schema)
                writer.write_table(table, row_group_size=max(1, table.num_rows))
    return target


def _common_schema(pa, schemas: list):
    first = schemas[0]
    if all(s.equals(first) for s in schemas[1:]):
        return first
    if any(s.names != first.names for s in schemas[1:]):
        raise ValueError("the parts' columns differ")
    try:
        return pa.unify_schemas(schemas, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        fields = []
        for i, name in enumerate(first.names):
            kinds = {s.field(i).type for s in schemas} - {pa.null()}
            fields.append(pa.field(name, kinds.pop() if len(kinds) == 1 else pa.string()))
        return pa.schema(fields, metadata=first.metadata)
