"""Warnings for scenarios that are legal but probably not what the user meant.

`validate` and `run` print them (exit status 0): a team role offered more work than it can do,
a horizon shorter than a hire takes, a stage no candidate can reach, a shortlist smaller than
the openings, an approved candidate waiting in a disabled stage.
"""

from __future__ import annotations


def scenario_warnings(scenario) -> list[str]:
    """One line per suspicious setting of a resolved scenario (every sweep cell checked),
    each naming its field by its dotted path."""
    return []
