"""Python's cycle collector paused while a replication runs (see `cyclic_gc_paused`)."""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def cyclic_gc_paused():
    """Python's cycle collector off while the model runs (as it was after).

    Reference counting frees what the model drops (a candidate's process ends, its generator's
    frame goes, and with it the cycle to the candidate); the cycle collector only rescans the
    live objects, and a full collection scans them all, so it made the model's cost grow faster
    than its size: at 100,000 candidates (benchmarks/volume.py) it took 9 of the run's 17
    seconds, and its 23 full collections found 10 objects. With it off, 30,000 candidates leave
    327 objects of cyclic garbage, which the collector frees once it is on again."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
