"""Golden baselines: every shipped scenario still gives the summary checked in beside this file.

A failure here means the model's behaviour changed. If the change is intended, regenerate with
`python tests/make_baselines.py` and let the diff of tests/baselines.csv show what moved.
"""

from __future__ import annotations

import pandas as pd
import pytest
from make_baselines import BASELINES, baseline_table
from pandas.testing import assert_frame_equal


@pytest.mark.slow
def test_shipped_scenarios_match_their_baselines():
    expected = pd.read_csv(BASELINES)
    actual = baseline_table()
    assert_frame_equal(actual, expected, check_dtype=False, rtol=1e-8, atol=1e-9)
