"""Bad scenario input: exit status 2, one line per problem naming the field, nothing written.

Most cases go through `sim.cli.main` in-process (the same code `hiresim` runs, without the
interpreter start-up); a representative handful, and the YAML tag that would run code, go
through the real command in a subprocess.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import sim
from sim.cli import main

FILE = object()  # stands for the scenario path as given on the command line
SCENARIO = "scenario.yaml"


def case(id_: str, text: str, *expected: tuple[object, str]):
    """A bad scenario `text` and the problem lines it must give: (dotted path, fragment)."""
    return pytest.param(text, list(expected), id=id_)


CASES = [
    # wrong types
    case(
        "type-per-requisition-many",
        "name: x\napplicants: {per_requisition: many}\n",
        ("applicants.per_requisition", "valid integer"),
    ),
    case(
        "type-per-requisition-fraction",
        "name: x\napplicants: {per_requisition: 2.5}\n",
        ("applicants.per_requisition", "valid integer"),
    ),
    case(
        "type-team-is-a-list",
        "name: x\nteam: [recruiter]\n",
        ("team", "must be a mapping of fields (got ['recruiter'])"),
    ),
    case(
        "type-stage-is-a-string",
        "name: x\nstages: {initial_review: fast}\n",
        ("stages.initial_review", "must be a mapping of fields (got 'fast')"),
    ),
    case(
        "type-company-is-null",
        "name: x\ncompany: null\n",
        ("company", "must be a mapping of fields (got null)"),
    ),
    case(
        "type-name-is-a-number",
        "name: 123\n",
        ("name", "valid string"),
    ),
    case(
        "type-start-date-not-a-date",
        "name: x\nstart_date: tomorrow\n",
        ("start_date", "valid date"),
    ),
    case(
        "type-resource-is-a-bool",
        "name: x\nstages: {initial_review: {resource: false}}\n",
        ("stages.initial_review.resource", "valid string"),
    ),
    # out-of-range values
    case(
        "range-pass-prob-initial-review",
        "name: x\nstages: {initial_review: {pass_prob: 1.5}}\n",
        ("stages.initial_review.pass_prob", "must be between 0 and 1"),
    ),
    case(
        "range-pass-prob-reference-checks-negative",
        "name: x\nstages: {reference_checks: {pass_prob: -0.1}}\n",
        ("stages.reference_checks.pass_prob", "must be between 0 and 1"),
    ),
    case(
        "range-pass-prob-nan",
        "name: x\nstages: {decision: {pass_prob: .nan}}\n",
        ("stages.decision.pass_prob", "must be between 0 and 1"),
    ),
    case(
        "range-accept-prob",
        "name: x\nstages: {final_decision: {accept_prob: 2}}\n",
        ("stages.final_decision.accept_prob", "must be between 0 and 1"),
    ),
    case(
        "range-second-interview-pass-prob",
        "name: x\nstages: {follow_up: {second_interview: {pass_prob: 7}}}\n",
        ("stages.follow_up.second_interview.pass_prob", "must be between 0 and 1"),
    ),
    case(
        "range-negative-team-size",
        "name: x\nteam: {recruiter: -1}\n",
        ("team.recruiter", "greater than or equal to 1"),
    ),
    case(
        "range-zero-replications",
        "name: x\nreplications: 0\n",
        ("replications", "greater than or equal to 1"),
    ),
    case(
        "range-negative-horizon",
        "name: x\nhorizon_days: -5\n",
        ("horizon_days", "greater than 0"),
    ),
    case(
        "range-per-requisition-too-big-for-a-number",
        "name: x\napplicants: {per_requisition: 1e400}\n",
        ("applicants.per_requisition", "finite number"),
    ),
    # misspelt keys
    case(
        "misspelt-stage-field",
        "name: x\nstages: {initial_review: {pass_prb: 0.5}}\n",
        ("stages.initial_review.pass_prb", "unknown field (did you mean 'pass_prob'?)"),
    ),
    case(
        "misspelt-top-level-key",
        "name: x\nreplicatons: 3\n",
        ("replicatons", "unknown field (did you mean 'replications'?)"),
    ),
    case(
        "misspelt-stage-name",
        "name: x\nstages: {intial_review: {pass_prob: 0.5}}\n",
        ("stages.intial_review", "unknown field (did you mean 'initial_review'?)"),
    ),
    case(
        "misspelt-company-field",
        "name: x\ncompany: {opennings: 3}\n",
        ("company.opennings", "did you mean 'openings'?"),
    ),
    case(
        "misspelt-arrivals-field",
        "name: x\napplicants: {arrivals: {process: poisson, rate_per_dya: 3}}\n",
        ("applicants.arrivals.rate_per_dya", "did you mean 'rate_per_day'?"),
        ("applicants.arrivals.rate_per_day", "required field is missing"),
    ),
    case(
        "misspelt-distribution-parameter",
        "name: x\nstages: {initial_review: {duration: {dist: gamma, mean: 2, cvv: 0.5}}}\n",
        ("stages.initial_review.duration.cvv", "did you mean 'cv'?"),
        ("stages.initial_review.duration.cv", "required field is missing"),
    ),
    case(
        "misspelt-dist-key",
        "name: x\ncandidate: {patience: {dsit: exponential, mean: 3}}\n",
        ("candidate.patience.dsit", "did you mean 'dist'?"),
    ),
    case(
        "misspelt-second-interview-field",
        "name: x\nstages: {follow_up: {second_interview: {pas_prob: 0.3}}}\n",
        ("stages.follow_up.second_interview.pas_prob", "did you mean 'pass_prob'?"),
    ),
    # distributions
    case(
        "distribution-unknown-weibull",
        "name: x\nstages: {initial_review: {duration: {dist: weibull, shape: 2}}}\n",
        ("stages.initial_review.duration", "unknown distribution 'weibull' (one of: fixed,"),
    ),
    case(
        "distribution-misspelt-name",
        "name: x\nstages: {initial_review: {duration: {dist: expnential, mean: 3}}}\n",
        ("stages.initial_review.duration", "did you mean 'exponential'?"),
    ),
    case(
        "distribution-missing-parameter",
        "name: x\nstages: {reference_checks: {wait: {dist: exponential}}}\n",
        ("stages.reference_checks.wait.mean", "required field is missing"),
    ),
    case(
        "distribution-lognormal-half-a-form",
        "name: x\nstages: {initial_review: {duration: {dist: lognormal, median: 2}}}\n",
        ("stages.initial_review.duration", "give both median and p90"),
    ),
    case(
        "distribution-lognormal-p90-below-median",
        "name: x\nstages: {initial_review: {duration: {dist: lognormal, median: 3, p90: 2}}}\n",
        ("stages.initial_review.duration", "p90 must be greater than median"),
    ),
    case(
        "distribution-lognormal-p90-equals-median",
        "name: x\ncandidate: {patience: {dist: lognormal, median: 5, p90: 5}}\n",
        ("candidate.patience", "p90 must be greater than median"),
    ),
    case(
        "distribution-a-word",
        "name: x\nstages: {initial_review: {duration: fast}}\n",
        ("stages.initial_review.duration", "a distribution is a number or a mapping with 'dist:'"),
    ),
    case(
        "distribution-uniform-min-above-max",
        "name: x\nstages: {negotiation: {rounds: {dist: uniform, min: 3, max: 1}}}\n",
        ("stages.negotiation.rounds", "need min < max"),
    ),
    # references, sizes, processes
    case(
        "unknown-resource",
        "name: x\nstages: {initial_review: {resource: ceo}}\n",
        ("stages.initial_review.resource", "unknown team member 'ceo'"),
    ),
    case(
        "unknown-company-size",
        "name: x\ncompany: {size: huge}\n",
        ("company.size", "must be one of startup, small, mid, large, enterprise, not 'huge'"),
    ),
    case(
        "unknown-arrival-process",
        "name: x\napplicants: {arrivals: {process: hawkes, rate_per_day: 2}}\n",
        ("applicants.arrivals", "unknown arrival process 'hawkes' (one of: poisson,"),
    ),
    case(
        "misspelt-arrival-process",
        "name: x\napplicants: {arrivals: {process: poison, rate_per_day: 2}}\n",
        ("applicants.arrivals", "did you mean 'poisson'?"),
    ),
    case(
        "arrivals-a-number",
        "name: x\napplicants: {arrivals: 5}\n",
        ("applicants.arrivals", "must be a mapping with 'process:'"),
    ),
    case(
        "missing-name",
        "seed: 3\n",
        ("name", "required field is missing"),
    ),
    case(
        "name-not-a-folder-name",
        "name: my scenario/x\n",
        ("name", "should match pattern"),
    ),
    # the file itself
    case(
        "yaml-syntax-error",
        "name: x\nstages: {initial_review: [1, 2\n",
        (FILE, "not valid YAML (line 3)"),
    ),
    case(
        "yaml-tab-indentation",
        "name: x\nteam:\n\trecruiter: 2\n",
        (FILE, "not valid YAML (line 3)"),
    ),
    case("empty-file", "", (FILE, "the file is empty")),
    case("only-comments", "# a scenario, one day\n", (FILE, "the file is empty")),
    case(
        "yaml-list-not-mapping",
        "- name: x\n- seed: 1\n",
        (FILE, "a scenario is a mapping of fields, not a list"),
    ),
    case(
        "yaml-plain-text-not-mapping",
        "just some words\n",
        (FILE, "a scenario is a mapping of fields, not a str"),
    ),
    case(
        "yaml-python-tag",
        'name: !!python/object/apply:os.system ["echo hacked > HACKED"]\n',
        (FILE, "not valid YAML (line 1): could not determine a constructor"),
    ),
    case(
        "yaml-python-name-tag",
        "name: !!python/name:os.system\n",
        (FILE, "could not determine a constructor"),
    ),
    case(
        "yaml-duplicate-key",
        "name: x\nseed: 1\nreplications: 2\nseed: 2\n",
        ("seed", "given twice (lines 2 and 4)"),
    ),
    case(
        "yaml-duplicate-nested-key",
        "name: x\nstages: {initial_review: {pass_prob: 0.5, pass_prob: 0.6}}\n",
        ("stages.initial_review.pass_prob", "given twice"),
    ),
    case(
        "yaml-impossible-date",
        "name: x\nstart_date: 2026-13-01\n",
        ("start_date", "month must be in 1..12"),
    ),
    case(
        "yaml-recursive-alias",
        "name: x\nteam: &a {b: *a}\n",
        ("team.b", "an alias refers to something that contains it"),
    ),
    case(
        "yaml-key-not-text",
        "name: x\nteam: {1: 2}\n",
        ("1", "keys must be text"),
    ),
    # sweeps
    case(
        "sweep-bad-value",
        "name: x\nsweep: {team.recruiter: [1, many]}\n",
        ("team.recruiter", "valid integer"),
    ),
    case(
        "sweep-value-out-of-range",
        "name: x\nsweep: {stages.initial_review.pass_prob: [0.5, 1.5]}\n",
        ("stages.initial_review.pass_prob", "must be between 0 and 1"),
    ),
    case(
        "sweep-unknown-size",
        "name: x\nsweep: {company.size: [mid, huge]}\n",
        ("company.size", "not 'huge' (sweep cell company.size=huge)"),
    ),
    case(
        "sweep-not-a-list",
        "name: x\nsweep: {team.recruiter: 3}\n",
        ("sweep.team.recruiter", "valid list"),
    ),
    case(
        "sweep-empty-list",
        "name: x\nsweep: {team.recruiter: []}\n",
        ("sweep.team.recruiter", "at least 1 item"),
    ),
    case(
        "sweep-misspelt-path",
        "name: x\nsweep: {stages.initial_review.pass_prb: [0.5]}\n",
        ("sweep.stages.initial_review.pass_prb", "did you mean 'pass_prob'?"),
    ),
    case(
        "sweep-misspelt-team-member",
        "name: x\nsweep: {team.recuiter: [1, 2]}\n",
        ("sweep.team.recuiter", "no team member 'recuiter' in team (did you mean 'recruiter'?)"),
    ),
    # several at once: every one reported, each on its own line
    case(
        "several-problems",
        "name: x\nreplicatons: 3\nteam: {recruiter: -1}\n"
        "stages: {initial_review: {pass_prob: 1.5, pass_prb: 2}}\n",
        ("replicatons", "did you mean 'replications'?"),
        ("team.recruiter", "greater than or equal to 1"),
        ("stages.initial_review.pass_prob", "must be between 0 and 1"),
        ("stages.initial_review.pass_prb", "did you mean 'pass_prob'?"),
    ),
]

# run through the real command in a subprocess too (a representative handful)
SUBPROCESS_IDS = {
    "range-pass-prob-initial-review",
    "misspelt-stage-field",
    "yaml-syntax-error",
    "empty-file",
}


def check_problems(output: str, expected: list, file_arg: str) -> None:
    """`output` (stderr) is exactly one line per expected problem, each naming its field."""
    assert "Traceback" not in output
    lines = output.splitlines()
    assert len(lines) == len(expected), output
    for path, fragment in expected:
        prefix = f"{file_arg}: " if path is FILE else f"{path}: "
        matching = [line for line in lines if line.startswith(prefix) and fragment in line]
        assert matching, f"no line starting {prefix!r} containing {fragment!r} in:\n{output}"


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def run_both(scenario: str, cwd: Path) -> dict[str, subprocess.CompletedProcess]:
    """`run SCENARIO --out out` and `validate SCENARIO` through the real command, side by side
    (two interpreters starting at once: half the wait)."""
    commands = {"run": ["run", scenario, "--out", "out"], "validate": ["validate", scenario]}
    started = {
        name: subprocess.Popen(
            [sys.executable, "-m", "sim", *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, args in commands.items()
    }
    done = {}
    for name, process in started.items():
        out, err = process.communicate(timeout=120)
        done[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return done


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_validate_reports_each_problem(text, expected, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / SCENARIO
    path.write_text(text, encoding="utf-8")

    assert main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    check_problems(captured.err, expected, str(path))
    assert captured.out == ""
    assert files_under(tmp_path) == {SCENARIO}


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_run_reports_each_problem_and_writes_nothing(text, expected, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / SCENARIO
    path.write_text(text, encoding="utf-8")

    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 2
    captured = capsys.readouterr()
    check_problems(captured.err, expected, str(path))
    assert "Traceback" not in captured.out
    # and without --out, where results/<name>/ would go
    assert main(["run", str(path), "--quiet"]) == 2
    check_problems(capsys.readouterr().err, expected, str(path))
    assert files_under(tmp_path) == {SCENARIO}, "a failed run must write nothing"


@pytest.mark.parametrize(("text", "expected"), [c for c in CASES if c.id in SUBPROCESS_IDS])
def test_real_command_reports_problems(text, expected, tmp_path):
    (tmp_path / SCENARIO).write_text(text, encoding="utf-8")

    for command, done in run_both(SCENARIO, cwd=tmp_path).items():
        assert done.returncode == 2, (command, done.stderr)
        check_problems(done.stderr, expected, SCENARIO)
        assert "Traceback" not in done.stdout
    assert files_under(tmp_path) == {SCENARIO}


def test_subprocess_cases_exist():
    assert SUBPROCESS_IDS.issubset(c.id for c in CASES)


CODE_TAGS = [
    pytest.param('!!python/object/apply:os.system ["echo hacked > HACKED"]', id="os-system"),
    pytest.param('!!python/object/apply:subprocess.call [["touch", "HACKED"]]', id="subprocess"),
    pytest.param("!!python/object/new:os.system [echo hacked > HACKED]", id="os-system-new"),
]


def test_yaml_tag_never_runs_code_real_command(tmp_path):
    tagged = '!!python/object/apply:os.system ["echo hacked > HACKED"]'
    (tmp_path / SCENARIO).write_text(f"name: x\nseed: {tagged}\n", encoding="utf-8")

    for command, done in run_both(SCENARIO, cwd=tmp_path).items():
        assert done.returncode == 2, (command, done.stderr)
        assert "Traceback" not in done.stderr + done.stdout
        check_problems(done.stderr, [(FILE, "not valid YAML (line 2)")], SCENARIO)
    assert not (tmp_path / "HACKED").exists()
    assert files_under(tmp_path) == {SCENARIO}


@pytest.mark.parametrize("tagged", CODE_TAGS)
@pytest.mark.parametrize("command", ["run", "validate"])
def test_yaml_tag_never_runs_code(tagged, command, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / SCENARIO).write_text(f"name: x\nseed: {tagged}\n", encoding="utf-8")

    assert main([command, SCENARIO]) == 2
    check_problems(capsys.readouterr().err, [(FILE, "not valid YAML (line 2)")], SCENARIO)
    assert not (tmp_path / "HACKED").exists()
    assert files_under(tmp_path) == {SCENARIO}


def test_missing_file(tmp_path):
    for command, done in run_both("no_such_scenario.yaml", cwd=tmp_path).items():
        assert done.returncode == 2, (command, done.stderr)
        check_problems(done.stderr, [(FILE, "cannot read: No such file")], "no_such_scenario.yaml")
        assert "Traceback" not in done.stdout
    assert files_under(tmp_path) == set()


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda p: p.mkdir(), "not a regular file (a folder)"),
        (lambda p: p.write_bytes(b"name: x\n\xff\xfe\n"), "cannot read: 'utf-8' codec"),
    ],
    ids=["a-directory", "not-utf8"],
)
def test_unreadable_file(make, fragment, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / SCENARIO
    make(path)

    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 2
    check_problems(capsys.readouterr().err, [(FILE, fragment)], str(path))
    assert main(["validate", str(path)]) == 2
    check_problems(capsys.readouterr().err, [(FILE, fragment)], str(path))
    assert files_under(tmp_path) == {SCENARIO}


def test_huge_alias_expansion_is_refused_quickly(tmp_path):
    """A 'billion laughs' document: ten-fold aliases, eleven deep (in a subprocess with a
    timeout, so that a regression fails instead of hanging the suite)."""
    lines = ["name: x", "l0: &l0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 12)]
    (tmp_path / SCENARIO).write_text("\n".join(lines) + "\n", encoding="utf-8")

    done = subprocess.run(
        [sys.executable, "-m", "sim", "validate", SCENARIO],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 2
    check_problems(done.stderr, [(FILE, "too large")], SCENARIO)


def test_deep_nesting_is_refused(tmp_path, capsys):
    path = tmp_path / SCENARIO
    path.write_text("name: x\nstages: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")

    assert main(["validate", str(path)]) == 2
    check_problems(capsys.readouterr().err, [(FILE, "too deeply nested")], str(path))


# -- YAML 1.1 traps: what a person means, not what YAML 1.1 says ----------------------------


def test_exponent_numbers_are_numbers(tmp_path, capsys):
    path = tmp_path / SCENARIO
    path.write_text(
        "name: x\nhorizon_days: 3.65e2\n"
        "applicants: {per_requisition: 1e1, arrivals: {process: poisson, rate_per_day: 1e0}}\n"
        "stages: {initial_review: {duration: {dist: exponential, mean: 5E-1}}}\n",
        encoding="utf-8",
    )

    assert main(["validate", str(path)]) == 0, capsys.readouterr().err
    scenario = sim.load_scenario(path)
    assert scenario.applicants.per_requisition == 10
    assert scenario.applicants.arrivals.rate_per_day == 1.0
    assert scenario.horizon_days == 365.0
    assert scenario.stages.initial_review.duration.mean == 0.5


@pytest.mark.parametrize("word", ["no", "No", "yes", "on", "off", "n", "y"])
def test_yes_no_words_stay_strings(word, tmp_path, capsys):
    path = tmp_path / SCENARIO
    path.write_text(f"name: x\nstages: {{initial_review: {{resource: {word}}}}}\n")

    assert main(["validate", str(path)]) == 2
    expected = [("stages.initial_review.resource", f"unknown team member {word!r}")]
    check_problems(capsys.readouterr().err, expected, str(path))


def test_team_member_named_no(tmp_path, capsys):
    """`no` as a key and as a value is the same text: a valid team member name."""
    path = tmp_path / SCENARIO
    path.write_text(
        "name: x\nteam: {no: 1, on: 2}\n"
        "stages: {initial_review: {resource: no}, reference_checks: {resource: on}}\n"
    )

    assert main(["validate", str(path)]) == 0, capsys.readouterr().err
    scenario = sim.load_scenario(path)
    assert scenario.team["no"].count == 1
    assert scenario.stages.initial_review.resource == "no"
    assert scenario.stages.reference_checks.resource == "on"


def test_true_false_are_still_booleans(tmp_path, capsys):
    path = tmp_path / SCENARIO
    path.write_text("name: x\nstages: {shortlisting: {enabled: false}}\n")

    assert main(["validate", str(path)]) == 0, capsys.readouterr().err
    assert sim.load_scenario(path).stages.shortlisting.enabled is False


# -- known gaps outside scenario_io / cli (see the report) ------------------------------------


def test_start_date_pandas_cannot_hold(tmp_path, capsys):
    path = tmp_path / SCENARIO
    path.write_text("name: x\nreplications: 1\nstart_date: 9999-12-31\n")

    assert main(["validate", str(path)]) == 2
    check_problems(capsys.readouterr().err, [("start_date", "")], str(path))
