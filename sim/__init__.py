"""hiresim: a discrete-event simulator of what happens after a job interview.

import sim
scenario = sim.load_scenario("scenarios/mid_baseline.yaml")
results = sim.run(scenario, replications=10)
results.applicants, results.events, results.summary
"""

from sim.compare import Comparison, compare
from sim.runner import Results, run, simulate
from sim.scenario import Scenario
from sim.scenario_io import ScenarioError, load_scenario, override

__all__ = [
    "Comparison",
    "Results",
    "Scenario",
    "ScenarioError",
    "compare",
    "load_scenario",
    "override",
    "run",
    "simulate",
]
__version__ = "0.1.0"
