"""Named random streams from one root seed (numpy SeedSequence).

A stream is keyed by (root seed, replication, name, requisition): the same key gives the same
numbers whatever else the scenario contains. Two scenarios that differ only in, say, recruiter
count therefore see the same candidates (arrival gaps, qualities, patience) and the same draws at
every stage they share: common random numbers for what-if comparisons.
"""

from __future__ import annotations

import numpy as np


def _name_key(name: str) -> int:
    # the name's bytes as one integer: collision-free, stable across Python runs
    return int.from_bytes(name.encode("utf-8"), "little")


class Streams:
    """Random generators for one replication, one per (kind of decision, requisition)."""

    def __init__(self, seed: int, replication: int):
        self.seed = seed
        self.replication = replication

    def rng(self, name: str, requisition: int = 0) -> np.random.Generator:
        sequence = np.random.SeedSequence(
            self.seed, spawn_key=(self.replication, _name_key(name), requisition)
        )
        return np.random.Generator(np.random.PCG64(sequence))
