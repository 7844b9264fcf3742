"""Golden baselines: every shipped scenario still gives the tables checked in under baselines/.

A failure here means the model's behaviour changed. If the change is intended, regenerate with
`python tests/baselines/regenerate.py` and let the diff of tests/baselines/*.csv show what moved
(and say why in the commit message). This test never writes them.
"""

from __future__ import annotations

import difflib

import pytest
from baselines.regenerate import HERE, baseline_texts


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return baseline_texts()


@pytest.mark.slow
@pytest.mark.parametrize("file", ["summary.csv", "stages.csv", "team.csv", "requisitions.csv"])
def test_shipped_scenarios_match_their_baselines(texts, file):
    expected = (HERE / file).read_text()
    if texts[file] != expected:
        diff = difflib.unified_diff(expected.splitlines(), texts[file].splitlines(),
                                    f"baselines/{file}", "now", lineterm="", n=0)  # fmt: skip
        pytest.fail("the model's results moved:\n" + "\n".join(list(diff)[:40]))
