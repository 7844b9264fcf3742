"""`sim.execution.tablefiles`: tables appended chunk by chunk read back as the whole table,
under one schema however a chunk's values happen to fall, and part files joined into one."""

from __future__ import annotations

import builtins

import numpy as np
import pandas as pd
import pytest

from sim.execution import tablefiles
from sim.execution.tablefiles import TableFiles, concatenate


def chunk(start: int, n: int, empty: bool = False) -> pd.DataFrame:
    """A few rows shaped like the applicants table: strings, ints, floats (empty where nothing
    happened), booleans, a timestamp, and a swept column."""
    days = np.arange(start, start + n, dtype=float) / 3
    return pd.DataFrame({
        "scenario": pd.Series(["s"] * n, dtype="str"),
        "cell": np.zeros(n, dtype=np.int64),
        "case_id": pd.Series([f"c0-r0-q0-a{i}" for i in range(start, start + n)], dtype="str"),
        "outcome": pd.Series([None if empty else "hired"] * n, dtype="str"),
        "offer_day": np.full(n, np.nan) if empty else days,
        "busy": np.arange(n, dtype=np.int64),  # integral in one chunk, float in the table
        "after_warmup": np.ones(n, dtype=bool),
        "time:timestamp": np.datetime64("2026-01-05T00:00:00", "ms")
        + (days * 86_400_000).astype("timedelta64[ms]"),
        "team.recruiter": 2,
    })  # fmt: skip


CHUNKS = [chunk(0, 5), chunk(5, 3, empty=True), chunk(8, 0), chunk(8, 4)]


def whole() -> pd.DataFrame:
    frame = pd.concat(CHUNKS, ignore_index=True)
    frame["busy"] = frame["busy"].astype(float)
    return frame


def test_parquet_chunks_read_back_as_the_whole_table_one_row_group_each(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    with TableFiles(tmp_path, "parquet", stem="c00000-r00000") as files:
        for part in CHUNKS:
            files.append("applicants", part)
    path = tmp_path / "applicants-c00000-r00000.parquet"
    assert files.paths == {"applicants": path} and files.rows == {"applicants": 12}
    assert pq.ParquetFile(path).num_row_groups == 3  # the empty chunk writes none
    schema = pq.read_schema(path)
    assert str(schema.field("outcome").type) == "string"  # the all-empty chunk changed nothing
    assert str(schema.field("offer_day").type) == "double"
    assert str(schema.field("time:timestamp").type) == "timestamp[ms]"
    pd.testing.assert_frame_equal(pd.read_parquet(path), whole(), check_exact=True)


def test_csv_chunks_read_back_as_the_whole_table_with_one_header(tmp_path):
    with TableFiles(tmp_path, "csv") as files:
        for part in CHUNKS:
            files.append("applicants", part)
    text = (tmp_path / "applicants.csv").read_text()
    assert text.count("scenario,") == 1
    assert "2026-01-05 00:00:00.000," in text  # to the millisecond, even where whole
    back = pd.read_csv(tmp_path / "applicants.csv", parse_dates=["time:timestamp"])
    expected = pd.read_csv(pd.io.common.StringIO(whole().to_csv(index=False)),
                           parse_dates=["time:timestamp"])  # fmt: skip
    pd.testing.assert_frame_equal(back, expected, check_exact=True)


def test_a_chunk_with_other_columns_is_refused(tmp_path):
    with TableFiles(tmp_path, "csv") as files:
        files.append("events", CHUNKS[0])
        with pytest.raises(ValueError, match="columns differ"):
            files.append("events", CHUNKS[0].drop(columns="busy"))


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_single_part_becomes_the_table_unread(tmp_path, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    with TableFiles(tmp_path / "parts", fmt, stem="c00000") as files:
        for chunk in CHUNKS:
            files.append("events", chunk)
    part = files.path("events")
    written = part.read_bytes()
    target = concatenate([part], tmp_path / f"events.{fmt}", fmt)
    assert target.read_bytes() == written and not part.exists()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_concatenate_equals_the_parts_concatenated(tmp_path, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    parts = []
    for i, part in enumerate(CHUNKS):
        with TableFiles(tmp_path / "parts", fmt, stem=f"c{i:05d}") as files:
            files.append("events", part)
        parts.append(files.path("events"))
    target = concatenate(parts, tmp_path / f"events.{fmt}", fmt)
    if fmt == "parquet":
        back = pd.read_parquet(target)
        expected = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    else:
        stamps = ["time:timestamp"]
        back = pd.read_csv(target, parse_dates=stamps)
        expected = pd.read_csv(pd.io.common.StringIO(whole().to_csv(index=False)),
                               parse_dates=stamps)  # fmt: skip
    pd.testing.assert_frame_equal(back, expected, check_exact=True)
    assert len(back) == 12


def test_concatenate_widens_a_swept_column_empty_in_one_part(tmp_path):
    pytest.importorskip("pyarrow")
    first, second = chunk(0, 2), chunk(2, 2)
    first["team.recruiter"] = None  # null in the YAML for this cell
    parts = []
    for i, part in enumerate((first, second)):
        with TableFiles(tmp_path, "parquet", stem=str(i)) as files:
            files.append("applicants", part)
        parts.append(files.path("applicants"))
    back = pd.read_parquet(concatenate(parts, tmp_path / "all.parquet", "parquet"))
    assert back["team.recruiter"].isna().tolist() == [True, True, False, False]
    assert back["team.recruiter"].iloc[2] == 2


def test_parquet_without_pyarrow_says_what_to_install(tmp_path, monkeypatch):
    real = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError("No module named 'pyarrow'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(ImportError, match=r"pip install -e '\.\[parquet\]'"):
        TableFiles(tmp_path, "parquet")
    with pytest.raises(ValueError, match="format"):
        TableFiles(tmp_path, "xlsx")
    assert tablefiles.FORMATS == ("csv", "parquet")
