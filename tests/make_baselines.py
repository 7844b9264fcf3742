"""Golden baselines: the summary of every shipped scenario, checked in as tests/baselines.csv.

`tests/test_baselines.py` reruns the scenarios and compares; a change in the model's behaviour
then shows as a failing test and, once intended, as a visible diff of the CSV. Regenerate on
purpose, and say why in the commit:

    python tests/make_baselines.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import sim

ROOT = Path(__file__).resolve().parents[1]
BASELINES = ROOT / "tests" / "baselines.csv"
REPLICATIONS = 2  # enough to exercise every path, few enough to run in seconds
COLUMNS = [
    "candidates", "hired", "rejected", "withdrew", "declined", "in_process",
    "time_to_offer_days_mean", "time_to_offer_days_median", "time_to_offer_days_p90",
    "time_to_hire_days_mean", "time_to_hire_days_median", "time_to_hire_days_p90",
]  # fmt: skip


def baseline_table() -> pd.DataFrame:
    """One row per shipped scenario and sweep cell: its counts and time statistics."""
    rows = []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        summary = sim.run(sim.load_scenario(path), replications=REPLICATIONS).summary
        rows.append(pd.DataFrame({"file": path.name, "cell": summary["cell"],
                                  **{c: summary[c] for c in COLUMNS}}))  # fmt: skip
    return pd.concat(rows, ignore_index=True)


if __name__ == "__main__":
    baseline_table().to_csv(BASELINES, index=False, float_format="%.10g")
    print(f"wrote {BASELINES.relative_to(ROOT)}")
