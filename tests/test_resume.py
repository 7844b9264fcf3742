"""`--resume`: the finished cells of an interrupted sweep wait in `OUT.resume/` and are reused,
never for a different run; the resumed tables are those of an uninterrupted run, byte for
byte; hiresim never touches an `OUT.resume` that is not its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from test_interrupts import plain_sigint

import sim
import sim.execution.runner
from sim.cli import main
from sim.execution.resume import MARKER, CellStore, folder_beside, key
from sim.scenario.resolve import cells

SMALL = {"name": "small", "replications": 2, "applicants": {"per_requisition": 4},
         "company": {"requisitions": 1, "requisitions_per_month": 0},
         "sweep": {"team.recruiter": [1, 2, 3]}}  # fmt: skip

# cells of about half a second each (one replication, 5,000 candidates), six of them: time to
# interrupt mid-way
SLOW = """\
name: slow
seed: 5
replications: 1
horizon_days: 3000
calendar: null
company: {requisitions: 20, requisitions_per_month: 0}
applicants: {per_requisition: 250}
sweep:
  team.recruiter: [1, 2, 3, 4, 5, 6]
"""
TABLES = ["applicants.csv", "events.csv", "team_levels.csv", "requisitions.csv", "summary.csv",
          "stages.csv", "team.csv"]  # fmt: skip


@pytest.fixture(scope="module")
def small():
    return sim.load_scenario(SMALL)


def _frames_equal(a: sim.Results, b: sim.Results) -> None:
    for name in ("applicants", "events", "team_levels", "requisitions", "summary", "stages",
                 "team"):  # fmt: skip
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))


def test_the_key_changes_with_anything_the_tables_depend_on(small):
    grid = cells(small)
    (values, cell), (other_values, other_cell) = grid[0], grid[1]
    base = key(cell, values, 2, 0)
    assert key(cell, values, 2, 0) == base  # stable
    assert len({
        base,
        key(cell.model_copy(update={"seed": cell.seed + 1}), values, 2, 0),
        key(cell, values, 3, 0),
        key(other_cell, other_values, 2, 0),
        key(cell, other_values, 2, 0),
        key(cell, values, 2, 1),
    }) == 6  # fmt: skip


def test_a_store_round_trip_and_a_damaged_file_counts_as_absent(small, tmp_path):
    store = CellStore(tmp_path / "out.resume")
    kept = []
    results = sim.run(small, on_cell=kept.append)
    store.save("k", kept[1])
    again = store.load("k")
    assert again.index == kept[1].index and again.values == kept[1].values
    for name, table in kept[1].tables.items():
        pd.testing.assert_frame_equal(again.tables[name], table)
    pd.testing.assert_frame_equal(again.summary, kept[1].summary)
    assert store.load("absent") is None
    (tmp_path / "out.resume" / "k.pickle").write_bytes(b"\x80\x05half a pickle")
    assert store.load("k") is None
    assert (tmp_path / "out.resume" / MARKER).is_file()
    assert not [p for p in (tmp_path / "out.resume").iterdir() if p.suffix == ".tmp"]
    assert len(results.summary) == 3


def test_a_run_reuses_stored_cells_and_runs_only_the_rest(small, tmp_path, monkeypatch):
    whole = sim.run(small)
    store = CellStore(tmp_path / "x.resume")
    first = sim.run(small, resume=store)
    assert store.saved == {0, 1, 2} and store.reused == set()
    (tmp_path / "x.resume" / f"{key(*cells(small)[2][::-1], 2, 2)}.pickle").unlink()
    ran = []
    real = sim.execution.runner.run_task
    monkeypatch.setattr(sim.execution.runner, "run_task",
                        lambda task: ran.append(task.cell) or real(task))  # fmt: skip
    again = CellStore(tmp_path / "x.resume")
    resumed = sim.run(small, resume=again)
    assert again.reused == {0, 1} and set(ran) == {2}
    _frames_equal(first, whole)
    _frames_equal(resumed, whole)
    # another seed is another run: nothing is reused
    other = CellStore(tmp_path / "x.resume")
    sim.run(small, seed=small.seed + 1, resume=other)
    assert other.reused == set()
    # without reuse every cell runs again (and is saved)
    fresh = CellStore(tmp_path / "x.resume", reuse=False)
    ran.clear()
    sim.run(small, resume=fresh)
    assert sorted(ran) == [0, 0, 1, 1, 2, 2] and fresh.saved == {0, 1, 2}


@dataclass
class FiledCell:
    """A cell whose tables went to files (`files`: their names), as the runner's Cell when its
    tasks write the tables themselves."""

    index: int
    values: dict
    scenario: object
    files: list = field(default_factory=list)


def test_a_cells_table_files_are_kept_with_it_and_put_back(small, tmp_path):
    (values, cell_scenario), written, again = cells(small)[1], tmp_path / "w", tmp_path / "a"
    written.mkdir()
    again.mkdir()
    names = ["applicants-c00001-r00000.csv", "events-c00001-r00000.csv"]
    for name in names:
        (written / name).write_text(f"the rows of {name}\n")
    store = CellStore(tmp_path / "x.resume")
    store.save_cell(FiledCell(1, values, cell_scenario, names), 2, files_from=written)
    assert [c.index for c in CellStore(store.folder).finished(cells(small), 2)] == []  # nowhere
    found = list(CellStore(store.folder).finished(cells(small), 2, files_to=again))
    assert [c.index for c in found] == [1] and found[0].files == names
    for name in names:
        assert (again / name).read_text() == f"the rows of {name}\n"
    (store.folder / key(cell_scenario, values, 2, 1) / names[0]).unlink()  # a file lost
    assert list(CellStore(store.folder).finished(cells(small), 2, files_to=again)) == []


def test_a_resume_folder_that_is_not_hiresims_is_never_touched(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path("t.yaml").write_text("name: t\napplicants: {per_requisition: 3}\n"
                              "sweep: {team.recruiter: [1, 2]}\n")  # fmt: skip
    Path("out.resume").mkdir()
    Path("out.resume/notes.txt").write_text("mine")
    code = main(["run", "t.yaml", "--out", "out", "--replications", "1", "--workers", "1",
                 "--quiet"])  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert code == 2 and "out.resume" in err and "not a hiresim resume folder" in err
    assert len(err.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.resume", "t.yaml"]
    assert [p.name for p in Path("out.resume").iterdir()] == ["notes.txt"]
    store = CellStore(Path("out.resume"))
    store.remove()
    assert Path("out.resume/notes.txt").read_text() == "mine"
    with pytest.raises(FileExistsError):
        store.save("k", object())


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    """The tables of the slow sweep, run whole (with --resume and nothing to reuse); the
    resume folder it kept while running is gone once the results are in place."""
    here = tmp_path_factory.mktemp("whole")
    (here / "slow.yaml").write_text(SLOW)
    err = subprocess.run([sys.executable, "-m", "sim", "run", "slow.yaml", "--out", "whole",
                          "--workers", "1", "--resume"], cwd=here, capture_output=True,
                         text=True, timeout=120).stderr  # fmt: skip
    assert "resumed: nothing to reuse in whole.resume/; every cell was run" in err
    assert sorted(p.name for p in here.iterdir()) == ["slow.yaml", "whole"]
    assert folder_beside(Path("results/x")) == Path("results/x.resume")
    return here / "whole"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(("sig", "code", "word"), [(signal.SIGINT, 130, "interrupted"),
                                                   (signal.SIGTERM, 143, "terminated")],
                         ids=["sigint", "sigterm"])  # fmt: skip
def test_an_interrupted_sweep_resumes_to_the_same_tables(sig, code, word, tmp_path, uninterrupted,
                                                         monkeypatch, capsys):  # fmt: skip
    (tmp_path / "slow.yaml").write_text(SLOW)
    store = tmp_path / "x.resume"
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", "run", "slow.yaml", "--out", "x", "--workers", "1"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, preexec_fn=plain_sigint,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not list(store.glob("*.pickle")):  # the first finished cell is kept
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the run never kept a cell"
            time.sleep(0.05)
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == code, stderr
    lines = [line for line in stderr.splitlines() if not line.startswith("warning: ")]
    assert len(lines) == 1 and lines[0].startswith(word), stderr
    kept = len(list(store.glob("*.pickle")))
    assert f"{kept} of 6 cells finished are kept in x.resume/" in lines[0]
    assert "--resume" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slow.yaml", "x.resume"]
    assert 1 <= kept < 6, "the signal came too late to leave cells to run"

    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["run", "slow.yaml", "--out", "x", "--workers", "1", "--resume"]) == 0
    err = capsys.readouterr().err
    assert f"resumed: {kept} of 6 cells reused from x.resume/, {6 - kept} run now" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slow.yaml", "x"]
    for name in TABLES:
        assert (tmp_path / "x" / name).read_bytes() == (uninterrupted / name).read_bytes(), name
