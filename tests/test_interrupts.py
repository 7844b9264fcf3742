"""Ctrl-C and SIGTERM during a run: exit 130 / 143 with one line, no partial folder, the
earlier result intact, and no process of the run left alive (workers, forkserver, resource
tracker), whether the signal goes to the parent only or to the whole process group. The one
thing left is the visible `NAME.resume/` of the cells finished, named in the line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pydantic import BaseModel, field_serializer

from sim.cli import main
from sim.stopping import Terminated, install, reraise, stop_behind


def plain_sigint() -> None:
    """In the child: Ctrl-C's default action, so Python turns it into KeyboardInterrupt even
    when the tests run where SIGINT is ignored (a job started with `nohup` or `&` inherits
    SIG_IGN, and Python then leaves it ignored, as a program should)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


# replications of about a second each (8,000 candidates), twelve cells: the run is mid-way
# when the signal comes (the first cell's file is the cue), however fast the model gets
SLOW = """\
name: slow
seed: 5
replications: 1
horizon_days: 3000
calendar: null
company: {requisitions: 20, requisitions_per_month: 0}
applicants: {per_requisition: 400}
sweep:
  team.recruiter: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
"""


def _descendants(pid: int) -> set[int]:
    """Every process below `pid`, read from /proc (no psutil)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _previous_result(out: Path) -> None:
    """An earlier hiresim result at `out` (marker and all), to be kept intact."""
    out.mkdir()
    (out / "summary.csv").write_text("the previous run's\n")
    (out / ".hiresim-result.json").write_text('{"hiresim": "0.1.0", "files": ["summary.csv"]}')


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize(
    ("sig", "group", "code", "word"),
    [
        pytest.param(signal.SIGINT, True, 130, "interrupted", marks=pytest.mark.slow),
        pytest.param(signal.SIGINT, False, 130, "interrupted", marks=pytest.mark.slow),
        pytest.param(signal.SIGTERM, True, 143, "terminated", marks=pytest.mark.slow),
        # SIGTERM to the parent alone used to orphan the forkserver, workers and tracker
        (signal.SIGTERM, False, 143, "terminated"),
    ],
    ids=["sigint-group", "sigint-parent", "sigterm-group", "sigterm-parent"],
)
def test_a_signal_mid_run_leaves_nothing(sig, group, code, word, tmp_path):
    (tmp_path / "slow.yaml").write_text(SLOW)
    out = tmp_path / "out"
    _previous_result(out)
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", "run", "slow.yaml", "--out", "out", "--workers", "2"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, preexec_fn=plain_sigint,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob("out.resume/*.pickle")):  # the first cell, finished
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the run never wrote its first cell"
            time.sleep(0.05)
        family = _descendants(process.pid)
        assert len(family) >= 2  # at least the workers
        if group:
            os.killpg(process.pid, sig)
        else:
            process.send_signal(sig)
        stdout, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == code, stderr
    assert "Traceback" not in stderr
    # the resource tracker (its own process) may report the pool's semaphores that it then
    # unlinks itself: nothing is left behind, so its two lines are not ours to count
    lines = [line for line in stderr.splitlines() if not line.startswith("warning: ")
             and "resource_tracker" not in line and "warnings.warn(" not in line]  # fmt: skip
    assert len(lines) == 1 and lines[0].startswith(word), stderr
    assert "cells finished are kept in out.resume/; rerun with --resume" in lines[0]
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in family) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in family if _alive(pid)] == []  # no worker, forkserver or tracker
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "out.resume", "slow.yaml"]
    assert sorted(p.name for p in out.iterdir()) == [".hiresim-result.json", "summary.csv"]
    assert (out / "summary.csv").read_text() == "the previous run's\n"


def _two_cells(tmp_path: Path) -> tuple[Path, Path]:
    """A scenario of two small sweep cells, and its --out holding an earlier result."""
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: s\nreplications: 2\napplicants: {per_requisition: 3}\n"
                        "sweep: {team.recruiter: [1, 2]}\n")  # fmt: skip
    out = tmp_path / "results" / "s"
    out.parent.mkdir()
    _previous_result(out)
    return scenario, out


def test_interrupted_in_process_keeps_the_previous_result(tmp_path, monkeypatch, capsys):
    """Ctrl-C after a cell is written (serial run, in this process): exit 130, nothing left."""
    import sim.execution.runner

    calls = []
    real = sim.execution.runner.simulate

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(sim.execution.runner, "simulate", interrupted)
    scenario, out = _two_cells(tmp_path)
    code = main(["run", str(scenario), "--out", str(out), "--workers", "1", "--quiet"])
    err = capsys.readouterr().err
    assert code == 130 and err.startswith("interrupted") and len(err.splitlines()) == 1
    assert "1 of 2 cells finished are kept in" in err  # cell 0: its two replications
    assert sorted((tmp_path / "results").iterdir()) == [out, out.with_name("s.resume")]
    assert (out / "summary.csv").read_text() == "the previous run's\n"


class _SignalsWhileSerialised(BaseModel):
    """A model whose serializer signals this process: the handler's exception is raised inside
    pydantic_core, which hands it back as its own PydanticSerializationError (an Exception)."""

    signum: int

    @field_serializer("signum")
    def _signal(self, signum: int) -> int:
        os.kill(os.getpid(), signum)
        time.sleep(1)  # the handler runs here, at the latest
        return signum


@pytest.mark.parametrize(
    ("sig", "code", "word"),
    [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")],
)
def test_a_signal_inside_a_library_callback_is_still_a_stop(
    sig, code, word, tmp_path, monkeypatch, capsys
):
    """A signal while pydantic serialises the second cell's scenario (as in a CI run, where
    SIGTERM came during `resolved_document`): the wrapped error is the stop, not a failure, so
    the finished cell is kept for --resume, not abandoned; exit 143 / 130, no traceback."""
    import sim.execution.output

    if threading.current_thread() is not threading.main_thread():
        raise AssertionError("signals are handled in the main thread only")
    real, calls = sim.execution.output.resolved_document, []

    def signalled(scenario):
        calls.append(1)
        if len(calls) == 2:
            _SignalsWhileSerialised(signum=sig).model_dump()
        return real(scenario)

    monkeypatch.setattr(sim.execution.output, "resolved_document", signalled)
    scenario, out = _two_cells(tmp_path)
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)  # even under nohup
    try:
        code_seen = main(["run", str(scenario), "--out", str(out), "--workers", "1", "--quiet"])
    finally:
        signal.signal(signal.SIGINT, inherited)
    err = capsys.readouterr().err
    assert (code_seen, len(err.splitlines())) == (code, 1), err
    assert err.startswith(word) and "2 of 2 cells finished are kept in" in err, err
    assert sorted((tmp_path / "results").iterdir()) == [out, out.with_name("s.resume")]
    assert (out / "summary.csv").read_text() == "the previous run's\n"


def test_a_wrapped_stop_is_not_a_skipped_chart(tmp_path, monkeypatch, capsys):
    """A chart whose drawing fails is skipped with a warning; one whose drawing was stopped by
    Ctrl-C (raised inside a library, handed back wrapped) stops the run."""
    import sim.charts.chartbook

    def stopped_inside_a_library(*args, **kwargs):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as err:
            raise RuntimeError("Error calling function `draw`: KeyboardInterrupt") from err

    monkeypatch.setattr(sim.charts.chartbook.funnel, "plot_funnel", stopped_inside_a_library)
    scenario, out = _two_cells(tmp_path)
    code = main(["run", str(scenario), "--out", str(out), "--workers", "1", "--quiet"])
    err = capsys.readouterr().err
    assert code == 130 and err.startswith("interrupted") and len(err.splitlines()) == 1, err
    assert "warning" not in err and (out / "summary.csv").read_text() == "the previous run's\n"


def test_stop_behind_finds_the_signal_in_the_chain():
    try:
        try:
            raise Terminated
        except Terminated as stop:
            raise ValueError("wrapped") from stop
    except ValueError as err:
        assert isinstance(stop_behind(err), Terminated)
        with pytest.raises(Terminated):
            reraise(err)
    install()()  # no stop since `install`
    assert stop_behind(ValueError("a plain failure")) is None
    reraise(ValueError("a plain failure"))  # returns: the caller handles it


def test_signal_handlers_are_restored(tmp_path, monkeypatch):
    """`main` installs its SIGTERM (and SIGINT) handlers only while it runs."""
    monkeypatch.chdir(tmp_path)
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    (tmp_path / "t.yaml").write_text("name: t\n")
    assert main(["validate", "t.yaml"]) == 0
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


def test_a_hung_worker_does_not_hold_up_the_stop():
    """`shutdown(wait=True)` would wait for a worker stuck in a long replication; the runner
    terminates its workers instead."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from sim.execution.backends import START_METHOD, stop_pool

    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context(START_METHOD))
    future = pool.submit(time.sleep, 60)
    while not (pool._processes and future.running()):  # the worker has its task
        time.sleep(0.01)
    time.sleep(0.3)
    workers = list(pool._processes.values())
    started = time.monotonic()
    stop_pool(pool)
    assert time.monotonic() - started < 5
    assert not any(worker.is_alive() for worker in workers)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # it is printed
def test_a_stop_whose_exception_was_lost_puts_nothing_in_place(tmp_path, monkeypatch, capsys):
    """SIGTERM whose exception is lost (raised inside a `__del__`, whose errors Python only
    prints): the run does not put its results in place as if no one had asked it to stop."""
    import gc

    import sim.execution.output

    class Finalised:
        def __del__(self):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)  # the handler raises here, and Python only prints it

    real = sim.execution.output.resolved_document

    def lost(scenario):
        Finalised()
        gc.collect()
        return real(scenario)

    monkeypatch.setattr(sim.execution.output, "resolved_document", lost)
    scenario, out = _two_cells(tmp_path)
    code = main(["run", str(scenario), "--out", str(out), "--workers", "1", "--quiet"])
    err = capsys.readouterr().err
    assert code == 143 and "terminated: stopped before the results were complete" in err, err
    assert (out / "summary.csv").read_text() == "the previous run's\n"
    assert sorted((tmp_path / "results").iterdir()) == [out, out.with_name("s.resume")]
