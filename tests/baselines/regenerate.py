"""Golden baselines: what every shipped scenario gives, checked in beside this script.

For each scenario in `scenarios/` (every sweep cell), at its own seed and REPLICATIONS
replications, over at most HORIZON_DAYS (the presets keep requisitions opening all year: a
quarter exercises every path in seconds):
- `summary.csv`: counts per outcome, time to offer and to hire (mean, median, p90);
- `stages.csv`: per stage, the funnel counts and the mean wait and service days;
- `team.csv`: per team role, time-weighted utilisation and mean queue length;
- `requisitions.csv`: per requisition and replication, whether and when it filled and started,
  candidates interviewed, searches and days open.

`tests/test_baselines.py` reruns the scenarios and compares the text byte for byte; it never
writes these files. A change in behaviour then fails that test and, once intended, shows as a
visible diff of these files. Regenerate on purpose, and say why in the commit message:

    python tests/baselines/regenerate.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import sim

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
REPLICATIONS = 2  # enough to exercise every path, few enough to run in seconds
HORIZON_DAYS = 90.0  # the warm-up at most a third of it
FLOAT_FORMAT = "%.10g"
COLUMNS = {
    "summary": [
        "candidates", "hired", "rejected", "withdrew", "declined", "in_process",
        "time_to_offer_days_mean", "time_to_offer_days_median", "time_to_offer_days_p90",
        "time_to_hire_days_mean", "time_to_hire_days_median", "time_to_hire_days_p90",
        "quality_of_hire",
    ],
    "stages": ["stage", "entered", "passed", "rejected", "withdrew", "declined", "in_process",
               "mean_wait_days", "mean_service_days"],
    "team": ["resource", "capacity", "utilisation", "mean_queue_length"],
    "requisitions": ["replication", "requisition", "openings", "filled", "time_to_fill_days",
                     "time_to_start_days", "interviewed", "searches", "accepted", "hired",
                     "days_open"],
}  # fmt: skip


def shortened(scenario: sim.Scenario, days: float = HORIZON_DAYS) -> sim.Scenario:
    """The scenario over at most `days`, its warm-up at most a third of them."""
    return sim.override(scenario, {
        "horizon_days": min(scenario.horizon_days, days),
        "warmup_days": min(scenario.warmup_days, days / 3),
    })  # fmt: skip


def baseline_texts() -> dict[str, str]:
    """File name -> the CSV text it should hold: one row per scenario, cell (and stage, role,
    or replication and requisition)."""
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in COLUMNS}
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        results = sim.run(shortened(sim.load_scenario(path)), replications=REPLICATIONS)
        for name, columns in COLUMNS.items():
            table = getattr(results, name)
            parts[name].append(pd.DataFrame({"file": path.name, "cell": table["cell"],
                                             **{c: table[c] for c in columns}}))  # fmt: skip
    return {
        f"{name}.csv": pd.concat(frames, ignore_index=True).to_csv(
            index=False, float_format=FLOAT_FORMAT, lineterminator="\n"
        )
        for name, frames in parts.items()
    }


if __name__ == "__main__":
    for file, text in baseline_texts().items():
        (HERE / file).write_text(text)
        print(f"wrote {(HERE / file).relative_to(ROOT)}")
