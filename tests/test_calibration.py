"""docs/calibration.py: its bootstrap is right on constructed cases, and its tables keep
calibration and validation apart."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from sim.analysis.summaries import clustered_quantile

SCRIPT = Path(__file__).resolve().parents[1] / "docs" / "calibration.py"


def _load():
    spec = importlib.util.spec_from_file_location("calibration", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("calibration", module)
    spec.loader.exec_module(module)
    return module


cal = _load()


def test_difference_of_constant_groups_is_exact():
    a = [np.full(4, 10.0)] * 5
    b = [np.full(3, 13.5)] * 6
    assert cal.bootstrap_difference(a, b) == (3.5, 3.5, 3.5)  # b minus a


def test_difference_interval_enumerated():
    # a's two replications [0] and [2]: a resample's mean is 0, 1 or 2 with probability 1/4,
    # 1/2, 1/4; b is always 10. So the difference is 8, 9 or 10 and its 95% interval [8, 10].
    point, low, high = cal.bootstrap_difference(
        [np.array([0.0]), np.array([2.0])], [np.array([10.0])] * 2, cal.pooled_mean
    )
    assert point == 9.0
    assert (low, high) == (8.0, 10.0)


def test_difference_resamples_each_side_independently():
    rng = np.random.default_rng(1)
    a = [rng.normal(20, 1, 50) for _ in range(20)]
    b = [rng.normal(28, 1, 50) for _ in range(20)]
    point, low, high = cal.bootstrap_difference(a, b)
    assert low < point < high
    assert low < 8 < high
    assert high - low < 1.5
    assert cal.bootstrap_difference(a, b) == (point, low, high)  # a fixed seed: reproducible
    # swapping the sides flips the sign
    swapped = cal.bootstrap_difference(b, a)
    assert swapped[0] == pytest.approx(-point)


def test_bootstrap_matches_the_summary_interval():
    rng = np.random.default_rng(2)
    groups = [rng.exponential(20, n) for n in (30, 40, 25, 35)]
    assert cal.bootstrap(groups, cal.pooled_median) == pytest.approx(
        clustered_quantile(groups, 0.5)
    )


def test_fewer_than_two_replications_give_no_interval():
    point, low, high = cal.bootstrap_difference([np.array([1.0])], [np.array([2.0, 4.0])])
    assert point == 2.0 and np.isnan(low) and np.isnan(high)


def test_verdict():
    assert cal.verdict((40, 35, 45), 25, 70) == "inside"
    assert cal.verdict((26, 24, 30), 25, 70).startswith("inside (")
    assert cal.verdict((80, 75, 85), 25, 70) == "OUTSIDE"


def test_assumptions_are_read_from_the_presets():
    found = dict(cal.assumptions())
    calibrated = [where for where, text in found.items() if text.startswith("CALIBRATED")]
    assert any("MANAGER_HOURS" in w for w in calibrated)
    assert any("ACCEPT" in w for w in calibrated)
    assert any("reference_checks.wait" in where for where in found)
    assert sum(text.startswith("ASSUMPTION") for text in found.values()) >= 10


@pytest.fixture(scope="module")
def quick():
    """Startup, mid and enterprise, 2 replications of 30 days: the tables' shape, not figures."""
    return cal.run_presets(["startup", "mid", "enterprise"], replications=2, horizon_days=30)


def test_calibration_table(quick):
    table = cal.calibration_table(quick)
    assert list(table.columns) == cal.CALIBRATION_COLUMNS
    assert set(table["role"]) == {"CALIBRATION"}
    assert list(table["preset"]) == ["mid", "mid"]
    assert table["target"].tolist() == ["23.8 days", "83%"]
    assert table["tuned with"].str.contains("MANAGER_HOURS").iloc[0]
    assert table["tuned with"].str.contains("ACCEPT").iloc[1]


def test_validation_table(quick):
    table = cal.validation_table(quick)
    assert list(table.columns) == cal.VALIDATION_COLUMNS
    assert set(table["role"]) == {"VALIDATION"}
    targets = " ".join(table["target"])
    for figure in ("8-9 days", "42 days", "25.2 working days", "26%", "23% lose interest",
                   "25.1 days"):
        assert figure in targets
    # a figure used for tuning is never validation
    assert "23.8" not in targets and "83%" not in targets
    assert table["plausible range"].str.len().gt(0).all()
    assert table["verdict"].str.match(r"inside|OUTSIDE").all()
    # gap, fill, business fill, withdrawal, within a week, decision, two orders
    assert len(table) == 8


def test_report_keeps_the_sections_apart(quick):
    text = cal.report(quick, replications=2, workers=1, seconds=1.0)
    calibration = text.index("## Calibration")
    validation = text.index("## Validation")
    assert calibration < validation < text.index("## What is an ASSUMPTION")
    assert "VALIDATION" not in text[calibration:validation]
    assert "| CALIBRATION |" not in text[validation:]
    assert "python docs/calibration.py --replications 2" in text
    assert "## How to recalibrate" in text


def test_a_reduced_set_has_no_rows_it_cannot_compute(quick):
    only_mid = {"mid": quick["mid"]}
    assert len(cal.calibration_table(only_mid)) == 2
    measures = cal.validation_table(only_mid)["preset"]
    assert "enterprise - startup" not in set(measures)
    assert cal.calibration_table({"startup": quick["startup"]}).empty


def test_command_line_writes_the_report(tmp_path):
    out = tmp_path / "calibration.md"
    argv = ["--replications", "2", "--sizes", "mid", "--horizon-days", "20", "--output", str(out)]
    assert cal.main(argv) == 0
    text = out.read_text()
    assert "## Calibration" in text and "## Validation" in text
