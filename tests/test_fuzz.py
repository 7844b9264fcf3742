"""Fuzzing: random YAML and mutated shipped scenarios either validate (and a tiny replication
of them runs to a complete results folder) or are refused with exit status 2 and short
messages: never a traceback, never a hang.

The validate fuzzers run in-process and are fast (the default subset). The run fuzzer starts the
real command in a subprocess per example and is marked slow. Hypothesis settings are
deterministic (`derandomize=True`, no example database) so CI sees the same examples every time.
"""

from __future__ import annotations

import contextlib
import io
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from fuzz_strategies import SHIPPED, dump, mutations, random_documents, raw_texts
from hypothesis import HealthCheck, given, settings

from sim.cli import main

VALIDATE_SECONDS = 5  # per in-process example: a scenario is read and checked in milliseconds
RUN_SECONDS = 20  # per subprocess run of one tiny replication (charts included: 2-4 s)
RUN_MEMORY = 3 * 2**30  # address-space cap of the run subprocess, so a blow-up fails, not swaps
MAX_CANDIDATES = 5_000
MAX_LINE = 500
UNPRINTABLE = {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]} - {"\t"}
RESULT_FILES = ("applicants.csv", "events.csv", "summary.csv", "scenario.resolved.yaml")

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
)


class TimeLimitExceeded(Exception):
    """An in-process call took longer than its time limit (a hang, as far as a user can tell)."""


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise TimeLimitExceeded in the main thread after `seconds` (SIGALRM)."""

    def expire(signum, frame):
        raise TimeLimitExceeded(f"did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def write(folder: Path, text: str) -> Path:
    path = folder / "fuzz.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return path


def validate(path: Path) -> tuple[int, str, str]:
    """`hiresim validate PATH` in-process: (exit status, stdout, stderr). An exception that
    escapes `main` propagates, so hypothesis reports each distinct one with its own example."""
    out, err = io.StringIO(), io.StringIO()
    with time_limit(VALIDATE_SECONDS), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):  # fmt: skip
        code = main(["validate", str(path)])
    return code, out.getvalue(), err.getvalue()


def check_refusal(code: int, out: str, err: str) -> None:
    """Exit 2 with one short line per problem on stderr, nothing resembling a traceback."""
    assert code == 2, (code, out, err)
    assert "Traceback" not in out + err, err
    lines = err.rstrip("\n").split("\n") if err.strip() else []
    assert lines, "exit 2 with nothing on stderr"
    too_long = [line[:200] + "..." for line in lines if len(line) >= MAX_LINE]
    assert not too_long, f"{len(too_long)} line(s) of {MAX_LINE}+ characters: {too_long[:2]}"
    assert all(line.strip() for line in lines), f"blank line in {err!r}"
    # one line per problem, readable on a terminal: what the user wrote is echoed escaped
    raw = [line for line in lines if any(c in UNPRINTABLE for c in line)]
    assert not raw, f"control or line-break characters echoed raw: {raw[:2]!r}"


def check_validate(path: Path) -> int:
    code, out, err = validate(path)
    assert code in (0, 2), (code, out, err)
    if code == 2:
        check_refusal(code, out, err)
    else:
        assert "valid" in out, out
        noise = [line for line in err.splitlines() if not line.startswith("warning: ")]
        assert not noise, f"exit 0 but stderr has: {noise[:3]}"
    return code


# -- validate: in-process, fast ----------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_scenarios_are_the_seeds_of_the_fuzz(path):
    """The mutation fuzzer starts from these: each must validate as it is."""
    assert validate(path)[0] == 0


@settings(FUZZ, max_examples=60)
@given(text=random_documents())
def test_random_yaml_documents_validate_or_are_refused(text):
    with tempfile.TemporaryDirectory() as tmp:
        check_validate(write(Path(tmp), text))


@settings(FUZZ, max_examples=60)
@given(text=raw_texts())
def test_raw_text_validates_or_is_refused(text):
    with tempfile.TemporaryDirectory() as tmp:
        check_validate(write(Path(tmp), text))


@settings(FUZZ, max_examples=100)
@given(case=mutations())
def test_mutated_scenarios_validate_or_are_refused(case):
    _, document = case
    with tempfile.TemporaryDirectory() as tmp:
        check_validate(write(Path(tmp), dump(document)))


@settings(FUZZ, max_examples=60)
@given(case=mutations(legal=True))
def test_plausible_mutations_validate_or_are_refused(case):
    """Values of the right kind, many extreme (1e-300 days, 1e9 days, sweeps of 3+ paths)."""
    _, document = case
    with tempfile.TemporaryDirectory() as tmp:
        check_validate(write(Path(tmp), dump(document)))


# -- run: the real command in a subprocess, slow -----------------------------------------------


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (RUN_MEMORY, RUN_MEMORY))


def run_command(args: list[str], cwd: Path) -> tuple[int | None, str, float]:
    """The real command in its own process group, memory-capped; (exit status or None on
    timeout, stdout + stderr, seconds). On timeout the whole group is killed."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "sim", *args], cwd=cwd, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        preexec_fn=_cap_memory,
    )  # fmt: skip
    try:
        out, err = child.communicate(timeout=RUN_SECONDS)
        code = child.returncode
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        out, err = child.communicate()
        code = None
    return code, out + err, time.perf_counter() - started


@pytest.mark.slow
@settings(FUZZ, max_examples=20)
@given(case=mutations(legal=True, max_edits=2))
def test_mutations_that_validate_run_a_tiny_replication(case):
    _, document = case
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = write(tmp, dump(document))
        if check_validate(path) != 0:
            return
        args = ["run", str(path), "--replications", "1", "--workers", "1", "--quiet"]
        args += ["--out", str(tmp / "out")]
        args += ["--max-candidates", str(MAX_CANDIDATES)]
        code, output, seconds = run_command(args, cwd=tmp)
        assert code is not None, f"run did not finish within {RUN_SECONDS} s"
        assert "Traceback" not in output, output[-3000:]
        assert "MemoryError" not in output, output[-3000:]
        assert code in (0, 2), (code, output[-3000:])
        if code == 2:
            check_refusal(code, "", output)
            return
        missing = [name for name in RESULT_FILES if not (tmp / "out" / name).is_file()]
        assert not missing, f"exit 0 but missing {missing}"
        leftovers = [p.name for p in tmp.iterdir() if p.name not in ("fuzz.yaml", "out")]
        assert not leftovers, f"left beside the results: {leftovers}"
