"""Freed large blocks go back to the system (glibc's malloc; elsewhere nothing changes).

glibc serves a request below its *mmap threshold* (128 KiB to start with) from its heap and
maps a larger one on its own; but once such a mapped block is freed, it raises the threshold
to that block's size, up to 32 MiB. A run's chunk-sized arrays (a few MiB each) then come from
the heap, between longer-lived objects, and what they free stays in the process: at a million
candidates in one replication, about 200 MiB of the peak (1.93 against 1.72 GiB,
`benchmarks/memory.py`). Fixing the threshold (`mallopt(M_MMAP_THRESHOLD)`, which also turns
the raising off) gives each such array a mapping of its own, returned when it is freed.

Called by the command line for its own process and by the local pool's workers: processes
hiresim starts. A Python session calling `sim.run` keeps its allocator as it was.
"""

from __future__ import annotations

import ctypes
import sys

M_MMAP_THRESHOLD = -3  # from glibc's <malloc.h>
THRESHOLD = 128 * 1024  # glibc's own starting value, kept from then on


def return_large_blocks() -> bool:
    """Fix glibc's mmap threshold in this process; True if it was fixed (False on another C
    library or system, where nothing is done)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)  # the process's own symbols, the C library's among them
        libc.gnu_get_libc_version  # noqa: B018 - glibc only (musl's mallopt does nothing)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return mallopt(M_MMAP_THRESHOLD, THRESHOLD) == 1
