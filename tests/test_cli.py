"""The `hiresim` command end to end: files, columns, headline, reproducibility, sweeps."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.analysis.headline import number
from sim.cli import main

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "mid_baseline.yaml"
OUTCOMES = {"hired", "rejected", "withdrew", "declined", "in_process"}

APPLICANT_COLUMNS = [
    "scenario", "replication", "requisition", "applicant", "arrived_day", "outcome",
    "exit_stage", "offer_day", "time_to_offer_days", "time_to_hire_days",
]  # fmt: skip
EVENT_COLUMNS = [
    "case:concept:name", "concept:name", "lifecycle:transition", "time:timestamp",
    "org:resource", "replication", "time_days",
]  # fmt: skip
SUMMARY_COLUMNS = [
    "candidates", *sorted(OUTCOMES),
    *(f"time_to_{what}_days_{stat}{bound}"
      for what in ("offer", "hire")
      for stat in ("mean", "median", "p90")
      for bound in ("", "_ci_low", "_ci_high")),
]  # fmt: skip
FILES = [
    "applicants.csv",
    "requisitions.csv",
    "events.csv",
    "summary.csv",
    "team.csv",
    "scenario.resolved.yaml",
    "charts/time_to_offer.png",
]


def hiresim(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "sim", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    if check:
        assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """`run scenarios/mid_baseline.yaml --replications 3 --out <tmp>/out`, once."""
    tmp = tmp_path_factory.mktemp("baseline")
    done = hiresim("run", str(BASELINE), "--replications", "3", "--out", str(tmp / "out"), cwd=tmp)
    return tmp / "out", done


@pytest.fixture(scope="module")
def tables(baseline):
    out, _ = baseline
    return {name: pd.read_csv(out / f"{name}.csv") for name in ("applicants", "events", "summary")}


def test_run_writes_every_file(baseline):
    out, _ = baseline
    for name in FILES:
        assert (out / name).is_file(), name
        assert (out / name).stat().st_size > 0, name
    assert (out / "charts" / "time_to_offer.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    leftovers = [p.name for p in out.parent.iterdir() if ".partial-" in p.name or ".old-" in p.name]
    assert leftovers == []
    assert out.stat().st_mode & 0o777 != 0o700  # the user's umask, not mkdtemp's 700


def test_applicants_table(tables):
    applicants = tables["applicants"]
    assert set(APPLICANT_COLUMNS) <= set(applicants.columns)
    assert len(applicants) > 0
    assert set(applicants["outcome"]) <= OUTCOMES
    assert set(applicants["scenario"]) == {"mid-baseline"}
    assert set(applicants["replication"]) == {0, 1, 2}
    # one row per candidate per replication
    keys = applicants[["replication", "requisition", "applicant"]]
    assert not keys.duplicated().any()
    # times are days (floats), empty where they did not happen
    hired = applicants["outcome"] == "hired"
    assert applicants.loc[hired, "time_to_hire_days"].notna().all()
    assert applicants.loc[~hired, "time_to_hire_days"].isna().all()
    assert applicants["offer_day"].notna().sum() >= hired.sum()
    offered = applicants["offer_day"].notna()
    assert (applicants.loc[offered, "time_to_offer_days"] >= 0).all()
    assert applicants.loc[~offered, "time_to_offer_days"].isna().all()
    assert (applicants["arrived_day"] >= 0).all()


def test_events_table(tables):
    events, applicants = tables["events"], tables["applicants"]
    assert set(EVENT_COLUMNS) <= set(events.columns)
    assert set(events["lifecycle:transition"]) == {"schedule", "assign", "start", "complete"}
    assert set(events["replication"]) == {0, 1, 2}
    # a case id belongs to one candidate of one replication
    assert (events.groupby("case:concept:name")["replication"].nunique() == 1).all()
    assert events["case:concept:name"].nunique() == len(applicants)
    # time:timestamp is a datetime at the same instant as time_days
    stamps = pd.to_datetime(events["time:timestamp"])
    days = (stamps - pd.Timestamp("2026-01-05")) / pd.Timedelta(days=1)
    assert (days - events["time_days"]).abs().max() < 1e-6


def test_summary_table(tables):
    summary, applicants = tables["summary"], tables["applicants"]
    assert set(SUMMARY_COLUMNS) <= set(summary.columns)
    assert len(summary) == 1
    row = summary.iloc[0]
    assert row["candidates"] == len(applicants)
    counts = applicants["outcome"].value_counts()
    for outcome in OUTCOMES:
        assert row[outcome] == counts.get(outcome, 0), outcome
    hires = applicants.loc[applicants["outcome"] == "hired", "time_to_hire_days"]
    assert row["time_to_hire_days_median"] == pytest.approx(hires.median())


def test_headline(baseline, tables):
    out, done = baseline
    row = tables["summary"].iloc[0]
    text = done.stdout
    reps = row["replications"]  # the headline is per replication, not summed over them
    assert f"per replication: {number(row['candidates'] / reps)} candidates interviewed" in text
    assert f", {number(row['hired'] / reps)} hired" in text
    assert "median days to offer" in text
    assert "to hire" in text
    assert f"results: {out}" in text
    assert done.stderr == ""  # not a terminal: no progress display


def test_resolved_scenario_reproduces_the_run(baseline, tmp_path):
    out, _ = baseline
    again = hiresim("run", str(out / "scenario.resolved.yaml"), "--out", "again", cwd=tmp_path)
    assert "1 cell x 3 replications" in again.stdout
    for name in ("applicants.csv", "events.csv"):
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes(), name


def test_second_run_replaces_the_folder(tmp_path):
    hiresim("run", str(BASELINE), "--replications", "1", "--out", "out", cwd=tmp_path)
    (tmp_path / "out" / "charts" / "time_to_offer.png").unlink()  # still an earlier result

    hiresim("run", str(BASELINE), "--replications", "2", "--seed", "7", "--out", "out",
            cwd=tmp_path)  # fmt: skip

    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no .partial- / .old- left
    for name in FILES:
        assert (tmp_path / "out" / name).is_file(), name
    applicants = pd.read_csv(tmp_path / "out" / "applicants.csv")
    assert set(applicants["replication"]) == {0, 1}
    assert "seed: 7" in (tmp_path / "out" / "scenario.resolved.yaml").read_text()


def test_default_out_is_results_name(tmp_path):
    hiresim("run", str(BASELINE), "--replications", "1", "--quiet", cwd=tmp_path)
    assert (tmp_path / "results" / "mid-baseline" / "summary.csv").is_file()


def test_python_m_sim_help(tmp_path):
    done = hiresim("--help", cwd=tmp_path)
    assert "run" in done.stdout and "validate" in done.stdout


def test_hiresim_script_help(tmp_path):
    script = shutil.which("hiresim") or Path(sys.executable).parent / "hiresim"
    assert Path(script).exists(), "the hiresim console script is not installed"
    done = subprocess.run([str(script), "--help"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "run" in done.stdout and "validate" in done.stdout


@pytest.mark.parametrize(
    "scenario", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.name
)
def test_validate_shipped_scenarios(scenario, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["validate", str(scenario)]) == 0, capsys.readouterr().err
    captured = capsys.readouterr()
    assert captured.out.startswith(f"{scenario}: valid")
    # only warnings (the volume scenarios load their team past capacity on purpose)
    assert all(line.startswith("warning: ") for line in captured.err.splitlines())
    assert list(tmp_path.iterdir()) == []


def test_validate_real_command(tmp_path):
    done = hiresim("validate", str(BASELINE), cwd=tmp_path)
    assert done.stdout.startswith(f"{BASELINE}: valid (mid-baseline, company size mid")
    assert list(tmp_path.iterdir()) == []


def test_there_are_shipped_scenarios():
    assert list((ROOT / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize(
    ("option", "word"),
    [(["--scheduler", "tcp://localhost:8786"], "--scheduler"),
     (["--backend", "local", "--scheduler", "tcp://localhost:8786"], "--scheduler")],
    ids=["scheduler-alone", "scheduler-with-local"],
)  # fmt: skip
def test_refused_options(option, word, tmp_path):
    done = hiresim("run", str(BASELINE), *option, "--out", "out", cwd=tmp_path, check=False)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(word)
    assert list(tmp_path.iterdir()) == []


SWEEP = """\
name: sweep-test
seed: 11
replications: 2
company: {requisitions: 1, requisitions_per_month: 0}
applicants:
  per_requisition: 6
  arrivals: {process: batch}
sweep:
  team.recruiter: [1, 2]
"""


def test_sweep(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sweep.yaml").write_text(SWEEP)

    assert main(["validate", "sweep.yaml"]) == 0
    assert "2 sweep cells" in capsys.readouterr().out
    done = hiresim("run", "sweep.yaml", "--out", "out", cwd=tmp_path)

    out = tmp_path / "out"
    for name in ("applicants", "events", "summary"):
        table = pd.read_csv(out / f"{name}.csv")
        assert "team.recruiter" in table.columns, name
        assert set(table["team.recruiter"]) == {1, 2}, name
    summary = pd.read_csv(out / "summary.csv")
    assert len(summary) == 2
    assert list(summary["team.recruiter"]) == [1, 2]
    applicants = pd.read_csv(out / "applicants.csv")
    assert list(summary["candidates"]) == [
        (applicants["team.recruiter"] == value).sum() for value in (1, 2)
    ]
    events = pd.read_csv(out / "events.csv")
    # case ids are unique across sweep cells and replications
    cases = events.groupby("case:concept:name")[["team.recruiter", "replication"]].nunique()
    assert (cases == 1).all().all()
    assert events["case:concept:name"].nunique() == len(applicants)
    assert "[team.recruiter=1]" in done.stdout and "[team.recruiter=2]" in done.stdout
