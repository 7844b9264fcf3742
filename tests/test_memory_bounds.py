"""Records turned into compact columns in chunks while the model runs, and the tables built from
them: the same tables as building them whole from the rows (`pd.DataFrame.from_records`, as
hiresim did before), whatever the chunk size, and with the events and team levels written to
files as the run goes, the files hold exactly the tables kept in memory otherwise."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

import sim
from sim.analysis.breakdowns import stage_table, team_table, team_usage
from sim.analysis.business import business_days
from sim.analysis.journeys import JOURNEY_CASES, case_exits, sample_cases
from sim.analysis.tables import (
    APPLICANT_COLUMNS,
    EVENT_COLUMNS,
    TEAM_COLUMNS,
    after_warmup,
    case_ids,
    decision_days,
    quality_of_hire,
    replication_tables,
    requisition_table,
    timestamps,
)
from sim.analysis.timelines import stage_visits
from sim.execution.tablefiles import TableFiles
from sim.model.core import HiringModel
from sim.model.records import Applicant, Event, Level, Records

SWEPT = {"team.recruiter": 3}


def reference_tables(records: Records, name, start_date, cell, swept, calendar, warmup):
    """The former row-by-row build (`from_records`), kept here to compare with."""
    rep = records.replication
    applicants = pd.DataFrame.from_records(records.applicants, columns=Applicant._fields)
    applicants = applicants.sort_values("case", kind="stable").reset_index(drop=True)
    for column in ("exit_day", "offer_day", "hired_day", "patience_days", "assessment"):
        applicants[column] = applicants[column].astype(float)
    applicants["time_to_offer_days"] = applicants["offer_day"] - applicants["arrived_day"]
    applicants["time_to_hire_days"] = applicants["hired_day"] - applicants["arrived_day"]
    applicants["time_to_decision_days"] = decision_days(applicants)
    arrived = applicants["arrived_day"].to_numpy(dtype=float)
    applicants["time_to_decision_business_days"] = business_days(
        start_date, calendar, arrived, arrived + applicants["time_to_decision_days"].to_numpy()
    )
    applicants["quality_of_hire"] = quality_of_hire(applicants)
    applicants["after_warmup"] = after_warmup(applicants["arrived_day"], warmup)
    applicants["case_id"] = case_ids(cell, rep, applicants)
    events = pd.DataFrame.from_records(records.events, columns=Event._fields)
    lookup = np.empty(len(applicants), dtype=object)
    lookup[applicants["case"].to_numpy(dtype=np.int64)] = applicants["case_id"].to_numpy()
    events.insert(0, "case:concept:name", lookup[events["case"].to_numpy(dtype=np.int64)])
    events = events.rename(columns={"stage": "concept:name", "transition": "lifecycle:transition",
                                    "resource": "org:resource"})  # fmt: skip
    events["time:timestamp"] = timestamps(start_date, events["time_days"].to_numpy(dtype=float))
    team = pd.DataFrame.from_records(records.levels, columns=Level._fields)
    team["capacity"] = team["resource"].map(records.capacity)
    ends = pd.DataFrame({"time_days": records.end_day, "resource": list(records.capacity),
                         "busy": np.nan, "queue": np.nan,
                         "capacity": list(records.capacity.values())})  # fmt: skip
    team = pd.concat([team, ends], ignore_index=True)
    tables = {"applicants": applicants, "events": events, "team_levels": team}
    columns = {
        "applicants": APPLICANT_COLUMNS,
        "events": EVENT_COLUMNS,
        "team_levels": TEAM_COLUMNS,
    }
    for key, frame in tables.items():
        frame["scenario"], frame["cell"], frame["replication"] = name, cell, rep
        for path, value in swept.items():
            frame[path] = value
        tables[key] = frame[columns[key] + list(swept)]
    return tables


def scenario(**changes) -> sim.Scenario:
    document = {"name": "mem", "horizon_days": 60, "warmup_days": 10,
                "company": {"size": "mid", "requisitions": 2, "requisitions_per_month": 1},
                "applicants": {"per_requisition": 30}}  # fmt: skip
    document.update(changes)
    return sim.load_scenario(document)


@pytest.fixture(scope="module")
def mid() -> sim.Scenario:
    return scenario()


def run_records(s: sim.Scenario, chunk_rows: int | None, replication: int = 1) -> Records:
    return HiringModel(s, replication, records=Records(replication, chunk_rows=chunk_rows)).run()


def tables_of(records: Records, s: sim.Scenario) -> dict[str, pd.DataFrame]:
    return replication_tables(records, s.name, s.start_date, 2, SWEPT, s.calendar, s.warmup_days)


def test_tables_from_columns_equal_the_row_by_row_build(mid):
    records = run_records(mid, chunk_rows=None)
    rows = copy.deepcopy(records)  # the lists, before they are turned into columns
    reference = reference_tables(rows, mid.name, mid.start_date, 2, SWEPT, mid.calendar,
                                 mid.warmup_days)  # fmt: skip
    tables = tables_of(records, mid)
    assert len(tables["events"]) > 100
    for name, frame in reference.items():
        pd.testing.assert_frame_equal(tables[name], frame, check_exact=True)
    requisitions = requisition_table(rows, mid.start_date, mid.calendar, mid.warmup_days)
    assert len(tables["requisitions"]) == len(requisitions)


@pytest.mark.parametrize("chunk_rows", [7, 1000])
def test_flushing_in_chunks_changes_no_table(mid, chunk_rows):
    whole = tables_of(run_records(mid, chunk_rows=None), mid)
    records = run_records(mid, chunk_rows=chunk_rows)
    assert not records.events or len(records.events) < chunk_rows
    if chunk_rows == 7:
        assert len(records.event_chunks) > 10  # it did flush as it ran
    chunked = tables_of(records, mid)
    assert chunked.keys() == whole.keys()
    for name, frame in whole.items():
        pd.testing.assert_frame_equal(chunked[name], frame, check_exact=True)


def test_visits_and_usage_give_the_same_summaries_as_the_full_tables(mid):
    parts = [sim.simulate(mid, r, 0, SWEPT) for r in range(2)]
    tables = {k: pd.concat([p[k] for p in parts], ignore_index=True) for k in parts[0]}
    swept = list(SWEPT)
    visits = stage_visits(tables["events"])
    # the visits also say when each stage's work was asked of a team member and taken
    # (`assign`, `granted`: the records' assigns, which the event log leaves out); the rest is
    # the log's
    pd.testing.assert_frame_equal(
        tables["visits"].drop(columns=["assign", "granted"]).sort_values(
            ["replication", "case:concept:name", "stage"], ignore_index=True),
        visits.sort_values(["replication", "case:concept:name", "stage"], ignore_index=True),
        check_exact=True,
    )  # fmt: skip
    for warmup in (0.0, mid.warmup_days):
        from_events = stage_table(tables["applicants"], tables["events"], swept, warmup_days=warmup)
        from_visits = stage_table(tables["applicants"], tables["visits"], swept, warmup_days=warmup)
        pd.testing.assert_frame_equal(from_visits, from_events, check_exact=True)
    usage = team_usage(tables["team_levels"], swept, mid.warmup_days)
    order = ["replication", "resource"]
    pd.testing.assert_frame_equal(tables["team_usage"].sort_values(order, ignore_index=True),
                                  usage.sort_values(order, ignore_index=True),
                                  check_exact=True)  # fmt: skip
    pd.testing.assert_frame_equal(
        team_table(tables["team_usage"], swept),
        team_table(tables["team_levels"], swept, warmup_days=mid.warmup_days),
        check_exact=True,
    )


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_with_files_the_tables_written_are_those_kept_in_memory(mid, fmt, tmp_path):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    memory = sim.simulate(mid, 1, 2, SWEPT)
    with TableFiles(tmp_path, fmt, stem="c00002-r00001") as files:
        kept = sim.simulate(mid, 1, 2, SWEPT, files=files, chunk_rows=50)
    assert kept["events"].empty and list(kept["events"].columns) == list(memory["events"].columns)
    assert kept["team_levels"].empty
    for name in ("applicants", "requisitions", "visits", "team_usage"):
        pd.testing.assert_frame_equal(kept[name], memory[name], check_exact=True)
    for name in ("applicants", "events", "team_levels", "requisitions"):
        path = tmp_path / f"{name}-c00002-r00001.{fmt}"
        if fmt == "parquet":
            written = pd.read_parquet(path)
        else:
            written = pd.read_csv(
                path, parse_dates=["time:timestamp"] if name == "events" else None
            )
        expected = memory[name]
        if fmt == "csv":  # what CSV keeps: text, millisecond timestamps
            expected = pd.read_csv(
                pd.io.common.StringIO(expected.to_csv(index=False)),
                parse_dates=["time:timestamp"] if name == "events" else None,
            )
        pd.testing.assert_frame_equal(written, expected, check_exact=fmt == "parquet",
                                      check_dtype=fmt == "parquet")  # fmt: skip


def test_for_charts_gives_the_sampled_journeys_and_the_levels_too(mid, tmp_path):
    memory = sim.simulate(mid, 0)
    with TableFiles(tmp_path, "csv") as files:
        kept = sim.simulate(mid, 0, files=files, for_charts=True, chunk_rows=64)
    events = memory["events"]
    chosen = sample_cases(case_exits(events), JOURNEY_CASES)
    assert len(chosen) == JOURNEY_CASES
    sample = events[events["case:concept:name"].isin(chosen)].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept["events"], sample, check_exact=True)
    for name in ("applicants", "team_levels", "requisitions", "visits", "team_usage"):
        pd.testing.assert_frame_equal(kept[name], memory[name], check_exact=True)


def test_a_run_with_no_candidates_still_writes_every_table(tmp_path):
    empty = scenario(horizon_days=1e-6, warmup_days=0)
    with TableFiles(tmp_path, "csv") as files:
        kept = sim.simulate(empty, 0, files=files)
    assert kept["applicants"].empty and kept["visits"].empty
    for name in ("applicants", "events", "team_levels", "requisitions"):
        assert (tmp_path / f"{name}.csv").exists()
    assert len(pd.read_csv(tmp_path / "team_levels.csv")) == len(empty.team)  # the end rows


@pytest.mark.parametrize("seed", range(5))
def test_merging_visits_and_assigns_by_sorting_equals_grouping_them(seed):
    """`merge_visits` and `first_assigns` (one stable sort, no inverse: memory at a million
    candidates) against a plain group-by of the same random chunks, ties, NaN and all."""
    from sim.analysis.timelines import first_assigns, merge_visits

    rng = np.random.default_rng(seed)

    def chunk(n):
        times = [np.where(rng.random(n) < 0.2, np.nan, rng.integers(0, 5, n).astype(float))
                 for _ in range(3)]  # fmt: skip
        return (rng.integers(0, 30, n), rng.integers(0, 6, n).astype(np.int16), *times)

    parts = [chunk(int(rng.integers(0, 40))) for _ in range(int(rng.integers(1, 6)))]
    whole = pd.DataFrame(dict(zip(["case", "stage", "schedule", "start", "complete"],
                                  (np.concatenate(a) for a in zip(*parts, strict=True)),
                                  strict=True)))  # fmt: skip
    expected = whole.groupby(["case", "stage"], sort=False).agg(
        schedule=("schedule", "min"), start=("start", "min"), complete=("complete", "max")
    ).reset_index()  # in order of first appearance; min/max skip NaN
    merged = merge_visits(parts)
    if len(parts) == 1:  # given back as it is: a chunk's visits are already one per pair
        expected = whole
    for name, got in zip(expected.columns, merged, strict=True):
        np.testing.assert_array_equal(got, expected[name].to_numpy(), err_msg=name)

    case, stage = merged[:2]
    assigns = [chunk(int(rng.integers(0, 40)))[:4] for _ in range(3)]
    asked, granted = first_assigns(case, stage, assigns)
    rows = pd.DataFrame(dict(zip(["case", "stage", "asked", "granted"],
                                 (np.concatenate(a) for a in zip(*assigns, strict=True)),
                                 strict=True)))  # fmt: skip
    for i, (c, s) in enumerate(zip(case, stage, strict=True)):
        mine = rows[(rows["case"] == c) & (rows["stage"] == s)]
        for got, name in ((asked, "asked"), (granted, "granted")):
            want = np.minimum.reduce(mine[name].to_numpy()) if len(mine) else np.nan
            np.testing.assert_equal(got[i], want)  # a NaN among them is the earliest's NaN
