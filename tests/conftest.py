"""Suite-wide ordering for the parallel run (pytest-xdist, `--dist loadfile`: each test file runs
whole on one worker, so its module-scoped fixtures are computed once).

With `--no-loadscope-reorder` files are handed to the workers in collection order (xdist's own
order, most tests first, started the notebooks last), so the few longest files go first: started
last, the notebooks alone (about three minutes) would leave one worker idle at the end. Only the
order of files changes; the tests within each file keep theirs.
"""

from __future__ import annotations

# the longest files, longest first (pytest --durations on 2 cores)
FIRST = ("test_notebooks.py", "test_baselines.py", "test_fuzz.py", "test_theory.py",
         "test_mechanism.py", "test_experiments.py")  # fmt: skip


def pytest_collection_modifyitems(items):
    def rank(item) -> int:
        name = item.path.name
        return FIRST.index(name) if name in FIRST else len(FIRST)

    items.sort(key=rank)  # stable: every file's own order is kept
