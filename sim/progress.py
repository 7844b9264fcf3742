"""The command line's progress bar (a terminal's stderr only)."""

from __future__ import annotations

import sys
import time


class Progress:
    """A progress bar on stderr when it is a terminal: done/total, bar, time left."""

    WIDTH = 30

    def __init__(self, quiet: bool = False, label: str = "replications"):
        self.active = not quiet and sys.stderr.isatty()
        self.label = label
        self.started = time.perf_counter()

    def __enter__(self):
        return self if self.active else None

    def __exit__(self, *exc) -> None:
        if self.active:
            print(file=sys.stderr)

    def __call__(self, done: int, total: int) -> None:
        elapsed = time.perf_counter() - self.started
        left = elapsed / done * (total - done)
        filled = round(self.WIDTH * done / total)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        print(f"\r  [{bar}] {done}/{total} {self.label}, {left:4.0f} s left ", end="",
              file=sys.stderr, flush=True)  # fmt: skip
