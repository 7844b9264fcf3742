"""`python -m sim ...` is `hiresim ...`."""

from sim.cli import main

raise SystemExit(main())
