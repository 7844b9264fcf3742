"""Scenarios in the plain setting many tests reason about: continuous time, one requisition
open at the start and none opening later (the presets have a Mon-Fri calendar and requisitions
opening every month)."""

from __future__ import annotations

import copy


def plain(document: dict) -> dict:
    """`document` with `calendar: null` and a single requisition, unless it says otherwise."""
    document = copy.deepcopy(document)
    document.setdefault("calendar", None)
    company = document.setdefault("company", {})
    company.setdefault("requisitions", 1)
    company.setdefault("requisitions_per_month", 0)
    return document
