"""The SimPy model: one replication of a validated scenario, returned as flat records.

- `core`: `HiringModel` (the environment, the requisitions' searches, the candidates'
  journeys and outcomes);
- `team`: the team's roles, queueing first come first served (our own queues, as SimPy's
  `Resource` orders them);
- `stages`: one module per kind of stage (plain, pool, committee, offer line, negotiation);
- `calendar`: working time (pure, no SimPy): the business calendar and the model's clocks;
- `entities`: candidates and requisitions;
- `records`: the named kinds of record the model writes.

Imports nothing from the analysis, the charts, the YAML reader or the command line.
"""

from sim.model.core import HiringModel

__all__ = ["HiringModel"]
