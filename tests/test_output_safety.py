"""`--out` anywhere never loses a file; a chart never costs the tables; work is bounded before
it starts; `compare` names the file; the Python API checks its arguments."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.cli import main
from sim.execution.output import MARKER, is_hiresim_result

TINY = """\
name: t
applicants: {per_requisition: 3}
company: {requisitions: 1, requisitions_per_month: 0}
"""
QUICK = ["--replications", "1", "--workers", "1", "--quiet"]
TABLES = ["applicants.csv", "events.csv", "team_levels.csv", "requisitions.csv", "summary.csv",
          "stages.csv", "team.csv", "scenario.resolved.yaml"]  # fmt: skip


@pytest.fixture
def here(tmp_path, monkeypatch):
    """A fresh current folder holding t.yaml."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.yaml").write_text(TINY)
    return tmp_path


def _one_line(capsys, *words) -> str:
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    for word in words:
        assert word in err, err
    return err


def _hidden(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


# -- where a result may go --------------------------------------------------------------------


@pytest.mark.parametrize("out", [".", "..", "/", "CWD", ""], ids=["dot", "dotdot", "root", "pwd",
                                                                 "empty"])  # fmt: skip
def test_out_never_the_current_folder_or_above(out, here, capsys):
    out = str(here) if out == "CWD" else out
    before = sorted(p.name for p in here.iterdir())
    assert main(["run", "t.yaml", "--out", out, "--force", *QUICK]) == 2
    _one_line(capsys, "--out", "current folder")
    assert sorted(p.name for p in here.iterdir()) == before


def test_out_naming_a_file_is_refused(here, capsys):
    (here / "notes.txt").write_text("mine")
    assert main(["run", "t.yaml", "--out", "notes.txt", "--force", *QUICK]) == 2
    _one_line(capsys, "notes.txt", "is a file")
    assert (here / "notes.txt").read_text() == "mine"
    assert main(["run", "t.yaml", "--out", "t.yaml", *QUICK]) == 2
    assert (here / "t.yaml").read_text() == TINY
    assert main(["compare", "t.yaml", "t.yaml", "--out", "notes.txt", "--workers", "1"]) == 2
    assert (here / "notes.txt").read_text() == "mine"
    assert _hidden(here) == []


def test_parent_that_is_a_file(here, capsys):
    (here / "notes.txt").write_text("mine")
    assert main(["run", "t.yaml", "--out", "notes.txt/out", *QUICK]) == 2
    _one_line(capsys, "notes.txt", "is a file")
    assert (here / "notes.txt").read_text() == "mine"


def test_folder_holding_the_scenario_is_refused_even_with_force(here, capsys):
    (here / "scenarios").mkdir()
    (here / "scenarios" / "t.yaml").write_text(TINY)
    assert main(["run", "scenarios/t.yaml", "--out", "scenarios", "--force", *QUICK]) == 2
    _one_line(capsys, "scenarios", "reads")
    assert [p.name for p in (here / "scenarios").iterdir()] == ["t.yaml"]


def test_a_folder_with_a_users_file_is_refused_then_moved_aside_with_force(here, capsys):
    precious = here / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine")
    assert main(["run", "t.yaml", "--out", "precious", *QUICK]) == 2
    _one_line(capsys, "precious", "--force")
    assert [p.name for p in precious.iterdir()] == ["notes.txt"]

    assert main(["run", "t.yaml", "--out", "precious", "--force", *QUICK]) == 0
    out = capsys.readouterr().out
    aside = [p for p in here.iterdir() if p.name.startswith("precious.replaced-")]
    assert len(aside) == 1 and str(aside[0]) in out
    assert (aside[0] / "notes.txt").read_text() == "mine"  # moved, never deleted
    assert (precious / "summary.csv").is_file() and is_hiresim_result(precious)
    assert _hidden(here) == []


def test_an_earlier_result_is_replaced_but_not_once_a_user_adds_a_file(here, capsys):
    assert main(["run", "t.yaml", "--out", "out", *QUICK]) == 0
    assert (here / "out" / MARKER).is_file() and is_hiresim_result(here / "out")
    assert main(["run", "t.yaml", "--out", "out", "--seed", "7", *QUICK]) == 0
    assert "seed: 7" in (here / "out" / "scenario.resolved.yaml").read_text()
    (here / "out" / "charts" / "mine.png").write_bytes(b"a chart I made")
    capsys.readouterr()
    assert main(["run", "t.yaml", "--out", "out", *QUICK]) == 2
    _one_line(capsys, "out", "not an earlier hiresim result", "--force")
    assert (here / "out" / "charts" / "mine.png").read_bytes() == b"a chart I made"
    assert sorted(p.name for p in here.iterdir()) == ["out", "t.yaml"]


def test_marker_recognises_only_what_hiresim_wrote(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    assert is_hiresim_result(folder)  # empty
    (folder / "a.csv").write_text("x")
    assert not is_hiresim_result(folder)  # no marker
    (folder / MARKER).write_text('{"hiresim": "0.1.0", "files": ["a.csv", "b.csv"]}')
    assert is_hiresim_result(folder)  # b.csv deleted by the user: still ours
    (folder / "sub").mkdir()
    assert not is_hiresim_result(folder)
    (folder / "sub").rmdir()
    os.symlink(tmp_path, folder / "b.csv")
    assert not is_hiresim_result(folder)  # hiresim never writes links
    (folder / "b.csv").unlink()
    (folder / MARKER).write_text("not json")
    assert not is_hiresim_result(folder)


def test_results_get_the_users_umask(here):
    previous = os.umask(0o027)
    try:
        assert main(["run", "t.yaml", "--out", "deep/er/out", *QUICK]) == 0
    finally:
        os.umask(previous)
    out = here / "deep" / "er" / "out"
    for folder in (here / "deep", out, out / "charts"):
        assert folder.stat().st_mode & 0o777 == 0o750, folder
    assert (out / "summary.csv").stat().st_mode & 0o777 == 0o640


# -- failures while writing -------------------------------------------------------------------


def _previous(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "summary.csv").write_text("before")
    (folder / MARKER).write_text('{"hiresim": "0.1.0", "files": ["summary.csv"]}')


def test_a_full_disk_keeps_the_previous_result(here, monkeypatch, capsys):
    _previous(here / "out")
    real = pd.DataFrame.to_csv

    def full(self, path=None, *args, **kwargs):
        if isinstance(path, str | os.PathLike) and Path(path).name == "summary.csv":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", full)
    assert main(["run", "t.yaml", "--out", "out", *QUICK]) == 2
    _one_line(capsys, "out", "No space left on device")
    assert (here / "out" / "summary.csv").read_text() == "before"
    assert sorted(p.name for p in here.iterdir()) == ["out", "t.yaml"]


def test_an_unwritable_place_gives_one_line_and_leaves_nothing(here, monkeypatch, capsys):
    real = os.mkdir

    def read_only(path, *args, **kwargs):
        if ".partial-" in str(path):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", read_only)
    assert main(["run", "t.yaml", "--out", "new/place/out", *QUICK]) == 2
    _one_line(capsys, "new/place/out", "Read-only file system")
    assert sorted(p.name for p in here.iterdir()) == ["t.yaml"]  # parents made are removed


def test_an_error_mid_run_leaves_nothing_hidden(here, monkeypatch):
    import sim.execution.backends
    import sim.execution.runner

    _previous(here / "out")

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(sim.execution.runner, "simulate", broken)
    with pytest.raises(RuntimeError):
        main(["run", "t.yaml", "--out", "out", *QUICK])
    assert sorted(p.name for p in here.iterdir()) == ["out", "t.yaml"]
    assert (here / "out" / "summary.csv").read_text() == "before"


@pytest.mark.slow
def test_concurrent_runs_to_one_folder(here):
    command = [sys.executable, "-m", "sim", "run", "t.yaml", "--out", "out", *QUICK]
    runs = [subprocess.Popen(command, cwd=here, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]  # fmt: skip
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0 and "Traceback" not in err, err
    assert sorted(p.name for p in here.iterdir()) == ["out", "t.yaml"]
    assert is_hiresim_result(here / "out") and (here / "out" / "summary.csv").is_file()


# -- a chart never costs the tables -----------------------------------------------------------


def test_a_chart_or_report_that_cannot_be_drawn_is_skipped(here, monkeypatch, capsys):
    import sim.charts.journeys
    import sim.report

    def broken_chart(*args, **kwargs):
        raise ValueError("x and y must have same first dimension\nsecond line")

    def broken_report(*args, **kwargs):
        raise IndexError("single positional indexer is out-of-bounds")

    monkeypatch.setattr(sim.charts.journeys, "plot_journeys", broken_chart)
    monkeypatch.setattr(sim.report, "build_report", broken_report)
    assert main(["run", "t.yaml", "--out", "out", *QUICK]) == 0
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "warning: chart journeys skipped: ValueError: x and y must have same first dimension",
        "warning: report.html skipped: IndexError: single positional indexer is out-of-bounds",
    ]
    for name in TABLES:
        assert (here / "out" / name).is_file(), name
    charts = sorted(p.name for p in (here / "out" / "charts").iterdir())
    assert "journeys.png" not in charts and "funnel.png" in charts
    assert not (here / "out" / "report.html").exists()
    assert is_hiresim_result(here / "out")


# -- bounded work, workers, warnings ----------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "word"),
    [
        (["--max-candidates", "5"], "--max-candidates"),
        (["--replications", "100001"], "--max-replications"),
        (["--replications", str(10**30)], "--max-replications"),
    ],
    ids=["candidates", "replications", "huge"],
)
def test_work_beyond_the_limits_is_refused_at_once(options, word, here, capsys):
    started = time.perf_counter()
    assert main(["run", "t.yaml", "--out", "out", "--workers", "1", *options]) == 2
    assert time.perf_counter() - started < 5
    _one_line(capsys, word)
    assert sorted(p.name for p in here.iterdir()) == ["t.yaml"]


def test_max_cells(here, capsys):
    (here / "s.yaml").write_text(TINY.replace("name: t", "name: s")
                                 + "sweep: {team.recruiter: [1, 2, 3]}\n")  # fmt: skip
    assert main(["run", "s.yaml", "--max-cells", "2", *QUICK]) == 2
    _one_line(capsys, "--max-cells")
    assert main(["compare", "t.yaml", "t.yaml", "--max-candidates", "5"]) == 2
    _one_line(capsys, "--max-candidates")


def test_workers_capped_and_warnings_printed(here, monkeypatch, capsys):
    import sim.scenario.checks
    from sim.execution.runner import default_workers

    monkeypatch.setattr(sim.scenario.checks, "scenario_warnings",
                        lambda scenario: ["team.recruiter: offered load 130%"])  # fmt: skip
    assert main(["validate", "t.yaml"]) == 0
    assert capsys.readouterr().err == "warning: team.recruiter: offered load 130%\n"
    cores = default_workers()
    assert main(["run", "t.yaml", "--out", "out", "--replications", "1", "--quiet",
                 "--workers", str(cores + 30)]) == 0  # fmt: skip
    assert capsys.readouterr().err.splitlines() == [
        "warning: team.recruiter: offered load 130%",
        f"note: --workers {cores + 30} is more than the {cores} core(s) available; using {cores}",
    ]


# -- compare -----------------------------------------------------------------------------------


def test_compare_names_every_bad_file(here, capsys):
    (here / "a.yaml").write_text("name: a\nreplications: 0\n")
    (here / "b.yaml").write_text("name: b\nseed: -1\n")
    assert main(["compare", "t.yaml", "a.yaml", "b.yaml", "missing.yaml"]) == 2
    lines = capsys.readouterr().err.splitlines()
    for path in ("a.yaml", "b.yaml", "missing.yaml"):
        assert any(line.startswith(f"{path}: ") for line in lines), (path, lines)
    assert not any(line.startswith("t.yaml") for line in lines)
    assert all(line.split(": ", 1)[0] in {"a.yaml", "b.yaml", "missing.yaml"} for line in lines)
    assert not any(line.startswith("missing.yaml: missing.yaml") for line in lines)


def test_compare_writes_a_safe_folder(here, capsys):
    (here / "v.yaml").write_text(TINY.replace("name: t", "name: v") + "team: {recruiter: 3}\n")
    # the same file twice works too (the CLI side does not rely on distinct names)
    assert main(["compare", "t.yaml", "v.yaml", "t.yaml", "--out", "cmp", "--replications", "2",
                 "--workers", "1", "--quiet"]) == 0  # fmt: skip
    assert is_hiresim_result(here / "cmp")
    assert (here / "cmp" / "comparison.csv").is_file()
    (here / "cmp" / "notes.txt").write_text("mine")
    capsys.readouterr()
    assert main(["compare", "t.yaml", "v.yaml", "--out", "cmp", "--workers", "1"]) == 2
    _one_line(capsys, "cmp", "--force")


# -- the Python API ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny():
    return sim.load_scenario(
        {
            "name": "t",
            "applicants": {"per_requisition": 3},
            "company": {"requisitions": 1, "requisitions_per_month": 0},
        }  # fmt: skip
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"replications": 0}, ValueError, "replications"),
        ({"replications": -3}, ValueError, "replications"),
        ({"replications": True}, TypeError, "replications"),
        ({"replications": 2.5}, TypeError, "replications"),
        ({"replications": [1, 2]}, TypeError, "replications"),
        ({"workers": 0}, ValueError, "workers"),
        ({"workers": "2"}, TypeError, "workers"),
        ({"replications": 10**30}, ValueError, "replications"),
        ({"max_candidates": 5}, ValueError, "candidates"),
    ],
    ids=lambda v: repr(v)[:30] if isinstance(v, dict) else None,
)
def test_api_checks_its_arguments(kwargs, error, words, tiny):
    started = time.perf_counter()
    with pytest.raises(error, match=words):
        sim.run(tiny, **kwargs)
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("thing", ["scenarios/x.yaml", {"name": "t"}, 3, None])
def test_api_wants_a_scenario(thing):
    with pytest.raises(TypeError, match="Scenario"):
        sim.run(thing)


def test_api_replications_none_is_the_scenarios_own(tiny):
    assert sim.run(tiny, replications=None, workers=None).replications == tiny.replications


def test_work_goes_to_the_pool_in_bounded_batches(tiny, monkeypatch):
    """At most 2 x workers replications in flight: memory stays bounded and progress shows
    from the first replication. (Threads stand in for processes.)"""
    from concurrent.futures import ThreadPoolExecutor

    import sim.execution.backends
    import sim.execution.runner

    state = {"in_flight": 0, "most": 0}

    class Pool(ThreadPoolExecutor):
        def __init__(self, max_workers, mp_context=None, initializer=None):
            super().__init__(max_workers=max_workers)

        def submit(self, fn, *args):
            state["in_flight"] += 1
            state["most"] = max(state["most"], state["in_flight"])
            return super().submit(fn, *args)

    def progress(done, total):
        state["in_flight"] -= 1

    monkeypatch.setattr(sim.execution.backends, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(sim.execution.runner, "default_workers", lambda: 2)
    parallel = sim.run(tiny, replications=12, workers=2, progress=progress)
    assert 0 < state["most"] <= 4
    serial = sim.run(tiny, replications=12, workers=1)
    pd.testing.assert_frame_equal(parallel.applicants, serial.applicants)
