"""The SimPy model: one replication of a validated scenario, returned as flat records.

Imports nothing from the analysis, the charts, the YAML reader or the command line.
"""

from sim.model.core import HiringModel

__all__ = ["HiringModel"]
