"""A volume-hiring scenario sized to about N candidates in one replication, for the benchmarks.

The `large` preset (sim/scenario/presets.py) with requisitions of 10 openings and 100 interviewed
candidates each (the preset's 10 per opening), no reopened searches (so each requisition brings
exactly 100), and enough requisitions open at the start (k) and opening each month (k / 1.4, as
the presets do) that a year brings about N. The team grows with the work: about one pooled
hiring manager per opening in flight and the preset's two recruiters per 30 openings.
`calendar=False` (`calendar: null`) turns off the business calendar and team hours.
"""

from __future__ import annotations

import math

PER_REQUISITION = 100
OPENINGS = 10
HORIZON_DAYS = 365
MONTHS_OPEN = 1.4
DAYS_PER_MONTH = 365.25 / 12


def volume_document(n: int, calendar: bool = False, seed: int = 2026) -> dict:
    """A scenario mapping (for `sim.load_scenario` or a YAML/JSON file) of about `n` candidates."""
    requisitions = n / PER_REQUISITION  # over the year, expected
    k = requisitions / (1 + HORIZON_DAYS / DAYS_PER_MONTH / MONTHS_OPEN)  # open at once
    openings_in_flight = max(1, round(k * OPENINGS))
    document = {
        "name": f"volume-{n}",
        "seed": seed,
        "replications": 1,
        "horizon_days": HORIZON_DAYS,
        "company": {"size": "large", "requisitions": max(1, round(k)),
                    "requisitions_per_month": round(k / MONTHS_OPEN, 4), "openings": OPENINGS},
        "applicants": {"per_requisition": PER_REQUISITION, "max_reopens": 0,
                       "arrivals": {"process": "poisson", "rate_per_day": PER_REQUISITION / 10}},
        "team": {"hiring_manager": {"count": openings_in_flight, "owns_requisitions": False},
                 "recruiter": max(1, math.ceil(openings_in_flight * 2 / 30))},
    }  # fmt: skip
    if not calendar:
        document["calendar"] = None
    return document
