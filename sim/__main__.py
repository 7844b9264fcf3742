"""`python -m sim ...` is `hiresim ...`."""

from sim.cli import entry

entry()
