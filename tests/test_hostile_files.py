"""Hostile scenario files: what is not a file, too much of one, bytes YAML forbids, YAML 1.1
numbers, values too long to echo, booleans where numbers belong. Each gives exit status 2 and
one short line naming the file or the field, quickly, never a traceback or a hang.

In-process through `sim.cli.main` where a regression fails rather than hangs; through the real
command (with a timeout) where a regression would block or eat memory (a FIFO, /dev/zero).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import sim
from sim.cli import main
from sim.scenario import errors as scenario_errors
from sim.scenario import io as scenario_io
from sim.scenario.errors import ScenarioError
from sim.scenario.io import MAX_FILE_BYTES, read_yaml

SCENARIO = "scenario.yaml"


def problems_of(path: Path, capsys) -> list[str]:
    """The stderr lines of `validate path`, which must exit 2 with no traceback."""
    assert main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert captured.out == ""
    return captured.err.splitlines()


def scenario(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / SCENARIO
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# -- only regular files ------------------------------------------------------------------------


def test_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / SCENARIO
    os.mkfifo(fifo)
    outcome = []

    def read():
        try:
            read_yaml(fifo)
        except ScenarioError as err:
            outcome.append(err.problems)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=2)
    if reader.is_alive():  # a regression: set the blocked reader free before failing
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=2)
        pytest.fail("reading a FIFO blocked waiting for a writer")
    assert outcome == [[f"{fifo}: not a regular file (a FIFO); give a scenario file"]]


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda p: p.mkdir(), "a folder"),
        (lambda p: p.symlink_to("/dev/null"), "a device"),  # reads as empty: not "empty file"
    ],
    ids=["folder", "dev-null"],
)
def test_not_a_regular_file(make, kind, tmp_path, capsys):
    path = tmp_path / SCENARIO
    make(path)

    assert problems_of(path, capsys) == [
        f"{path}: not a regular file ({kind}); give a scenario file"
    ]


def test_real_command_refuses_fifo_and_dev_zero_at_once(tmp_path):
    """/dev/zero used to be read until memory ran out, a FIFO to block forever."""
    os.mkfifo(tmp_path / "pipe.yaml")
    started = {
        name: subprocess.Popen(
            [sys.executable, "-m", "sim", "validate", name],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("pipe.yaml", "/dev/zero")
    }
    try:
        for name, process in started.items():
            out, err = process.communicate(timeout=30)
            assert process.returncode == 2, err
            assert "Traceback" not in out + err
            kind = "a FIFO" if "pipe" in name else "a device"
            assert err.splitlines() == [
                f"{name}: not a regular file ({kind}); give a scenario file"
            ]
    finally:
        for process in started.values():
            if process.poll() is None:
                process.kill()
                process.wait()


# -- size, before parsing --------------------------------------------------------------------


def test_huge_file_is_refused_from_its_size_alone(tmp_path, capsys):
    """A 10 GB (sparse) file: reading it, let alone parsing it, would take minutes."""
    path = tmp_path / SCENARIO
    with path.open("wb") as file:
        file.write(b"name: x\nflow: [")
        file.truncate(10_000_000_000)

    started = time.perf_counter()
    lines = problems_of(path, capsys)
    assert time.perf_counter() - started < 0.5
    assert lines == [
        f"{path}: 10,000,000,000 bytes is too large for a scenario (at most 1,000,000)"
    ]


def test_ten_megabyte_flow_list_is_refused_quickly(tmp_path, capsys):
    """The case from the issue: 4.2 GB and 2 minutes before the size was checked first."""
    path = scenario(tmp_path, "name: x\nflow: [" + "1, " * 3_400_000 + "]\n")

    started = time.perf_counter()
    lines = problems_of(path, capsys)
    assert time.perf_counter() - started < 0.5
    assert len(lines) == 1 and "too large for a scenario" in lines[0]


def test_size_limit_is_exact(tmp_path, monkeypatch):
    monkeypatch.setattr(scenario_io, "MAX_FILE_BYTES", 40)
    path = scenario(tmp_path, "name: x\n" + "#" * 31 + "\n")  # 40 bytes
    assert read_yaml(path) == {"name": "x"}
    path.write_text("name: x\n" + "#" * 32 + "\n")  # 41 bytes
    with pytest.raises(ScenarioError, match="41 bytes is too large"):
        read_yaml(path)
    assert MAX_FILE_BYTES == 1_000_000


def test_file_just_under_the_limit_with_too_many_values_ends_fast(tmp_path, capsys):
    """Under 1 MB but 330,000 numbers: composing them all took 10 s and 0.5 GB."""
    path = scenario(tmp_path, "name: x\nflow: [" + "1," * 330_000 + "]\n")
    assert path.stat().st_size < MAX_FILE_BYTES

    started = time.perf_counter()
    lines = problems_of(path, capsys)
    assert time.perf_counter() - started < 4
    assert lines == [f"{path}: too large to be a scenario (over 20,000 values, keys and lists)"]


# -- bytes YAML does not allow -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "code"),
    [
        (b"name: x\nseed: 1\x00\n", "line 2, character 8", "#x0000"),
        (b"name: x\n\x0cseed: 1\n", "line 2, character 1", "#x000c"),
        (b"name: x\nteam: {rec\x1bruiter: 2}\n", "line 2, character 11", "#x001b"),
        (b"name: x\x7f\n", "line 1, character 8", "#x007f"),
        (b"\x00", "line 1, character 1", "#x0000"),
    ],
    ids=["nul", "form-feed", "escape", "delete", "only-nul"],
)
def test_control_character_gives_its_line(text, where, code, tmp_path, capsys):
    path = scenario(tmp_path, text)

    assert problems_of(path, capsys) == [
        f"{path}: not valid YAML ({where}): control character {code} is not allowed; remove it"
    ]


def test_not_utf8_gives_its_line(tmp_path, capsys):
    path = scenario(tmp_path, b"name: x\nseed: 1\nteam: {r\xe9cruiter: 1}\n")

    [line] = problems_of(path, capsys)
    assert line.startswith(f"{path}: cannot read: 'utf-8' codec can't decode byte 0xe9")
    assert line.endswith("(line 3)")


# -- YAML 1.2 core numbers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("010", 10),  # YAML 1.1: octal 8
        ("0o17", 15),
        ("0x1F", 31),
        ("-7", -7),
        ("+12", 12),
        ("1:30", "1:30"),  # YAML 1.1: 90 (sexagesimal)
        ("0b11", "0b11"),  # YAML 1.1: 3
        ("1_000", "1_000"),  # YAML 1.1: 1000
        ("0o8", "0o8"),
        ("0x", "0x"),
        ("1e3", 1000.0),
        ("2.5E-1", 0.25),
        (".5", 0.5),
        ("1.", 1.0),
        ("-.inf", float("-inf")),
        ("1.2.3", "1.2.3"),
        ("=", "="),  # YAML 1.1's value key: an error, not text
        ("true", True),
        ("yes", "yes"),
    ],
)
def test_numbers_are_read_as_yaml_1_2_core(written, read, tmp_path):
    value = read_yaml(scenario(tmp_path, f"name: x\nvalue: {written}\n"))["value"]
    assert value == read and type(value) is type(read)


def test_nan_is_a_float(tmp_path):
    value = read_yaml(scenario(tmp_path, "name: x\nvalue: .NaN\n"))["value"]
    assert value != value


def test_leading_zero_is_decimal_in_a_scenario(tmp_path):
    path = scenario(tmp_path, "name: x\nseed: 010\nteam: {recruiter: 010}\n")
    loaded = sim.load_scenario(path)
    assert (loaded.seed, loaded.team["recruiter"].count) == (10, 10)


@pytest.mark.parametrize(
    "written",
    [
        "1:30",
        "0b11",
        "1_000",  # text: pydantic alone would read it as 1000
    ],
)
def test_yaml_1_1_integer_is_a_clear_error(written, tmp_path, capsys):
    path = scenario(tmp_path, f"name: x\nreplications: {written}\n")

    [line] = problems_of(path, capsys)
    assert line.startswith("replications: ") and f"(got '{written}')" in line


@pytest.mark.parametrize(("tag", "written"), [("int", "0b11"), ("int", "1:30"), ("float", "1_0")])
def test_explicit_number_tags_follow_yaml_1_2_too(tag, written, tmp_path, capsys):
    path = scenario(tmp_path, f"name: x\nseed: !!{tag} {written}\n")

    assert problems_of(path, capsys) == [
        f"seed: cannot read '{written}' (line 2): not a YAML 1.2 {tag}"
    ]


# -- long values are echoed cut short ------------------------------------------------------

LONG = 100_000


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("name: " + "n" * LONG, "name: string should have at most 100 characters (got 'nnn"),
        (
            "name: x\nstages: {initial_review: {duration: {dist: " + "w" * LONG + "}}}",
            "stages.initial_review.duration: unknown distribution 'www",
        ),
        (
            "name: x\napplicants: {arrivals: {process: " + "p" * LONG + "}}",
            "applicants.arrivals: unknown arrival process 'ppp",
        ),
        ("name: x\nteam: ['" + "z" * LONG + "']", "team: must be a mapping of fields (got ['zzz"),
        ("name: x\nhorizon_days: " + "h" * LONG, "horizon_days: input should be a valid number"),
        ("name: x\nseed: " + "9" * LONG, "seed: cannot read '999"),
        ("name: x\n? " + "k" * LONG + "\n: 1", "kkk"),
        ("name: x\nseed: !!python/name:" + "t" * LONG, f"{SCENARIO}: not valid YAML (line 2)"),
        (
            "name: x\nteam:\n  ? " + "d" * LONG + "\n  : 1\n  ? " + "d" * LONG + "\n  : 2",
            "team.ddd",
        ),
    ],
    ids=["name", "distribution", "arrivals", "mapping", "number", "digits", "key", "tag", "dup"],
)
def test_long_value_is_echoed_cut_short(text, start, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    scenario(tmp_path, text + "\n")

    assert main(["validate", SCENARIO]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for line in err.splitlines():
        assert len(line) < 300, line[:300]
    assert err.startswith(start), err[:300]
    if start.endswith(("'nnn", "'www", "'ppp", "'999", "['zzz", "kkk", "ddd")):
        assert "… (" in err or "…' (" in err
        assert f"({LONG:,} characters)" in err or f"({LONG + 4:,} characters)" in err


def test_shown_value_format():
    assert scenario_errors.shown("abc") == "'abc'"
    assert scenario_errors.shown("x" * 12_345) == "'" + "x" * 60 + "…' (12,345 characters)"
    assert scenario_errors.shown([1, 2]) == "[1, 2]"
    assert scenario_errors.shown(list(range(1000))).endswith("… (4,890 characters)")


def test_long_team_member_name_is_cut_short(tmp_path, capsys):
    path = scenario(tmp_path, "name: x\nstages: {initial_review: {resource: " + "r" * LONG + "}}\n")
    assert all(len(line) < 300 for line in problems_of(path, capsys))


def test_long_company_size_is_cut_short(tmp_path, capsys):
    path = scenario(tmp_path, "name: x\ncompany: {size: " + "s" * LONG + "}\n")
    assert all(len(line) < 300 for line in problems_of(path, capsys))


# -- keys given again and again: one line per key --------------------------------------------


def test_key_repeated_many_times_gives_one_line(tmp_path, capsys):
    path = scenario(tmp_path, "name: x\n" + "seed: 1\n" * 5000 + "team: {a: 1, a: 2}\n")

    assert problems_of(path, capsys) == [
        "seed: given 5,000 times (lines 2, 3, 4, …); keep one",
        "team.a: given twice (line 5002); keep one",
    ]


# -- booleans are not numbers ----------------------------------------------------------------

NUMBER_FIELDS = [
    ("replications", "replications: true"),
    ("seed", "seed: false"),
    ("horizon_days", "horizon_days: true"),
    ("company.requisitions", "company: {requisitions: true}"),
    ("team.recruiter", "team: {recruiter: true}"),
    ("stages.initial_review.pass_prob", "stages: {initial_review: {pass_prob: true}}"),
    ("stages.final_decision.accept_prob", "stages: {final_decision: {accept_prob: true}}"),
    ("stages.shortlisting.keep", "stages: {shortlisting: {keep: true}}"),
    ("stages.decision.meets_every_days", "stages: {decision: {meets_every_days: true}}"),
    ("applicants.max_reopens", "applicants: {max_reopens: false}"),
    (
        "applicants.arrivals.rate_per_day",
        "applicants: {arrivals: {process: poisson, rate_per_day: true}}",
    ),
    (
        "stages.initial_review.duration.mean",
        "stages: {initial_review: {duration: {dist: exponential, mean: true}}}",
    ),
    (
        "stages.initial_review.duration.values.0",
        "stages: {initial_review: {duration: {dist: empirical, values: [true, 2]}}}",
    ),
]


@pytest.mark.parametrize(("field", "text"), NUMBER_FIELDS, ids=[f for f, _ in NUMBER_FIELDS])
def test_boolean_is_not_a_number(field, text, tmp_path, capsys):
    path = scenario(tmp_path, f"name: x\n{text}\n")

    [line] = problems_of(path, capsys)
    assert line.startswith(f"{field}: ") and "number" in line


def test_boolean_is_not_a_bare_distribution(tmp_path, capsys):
    path = scenario(tmp_path, "name: x\nstages: {initial_review: {duration: true}}\n")

    [line] = problems_of(path, capsys)
    assert line.startswith("stages.initial_review.duration: a distribution is a number")
