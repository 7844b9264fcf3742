"""The scenario: what a user asks for, validated once at the edge into typed objects.

- `types`: the validated `Scenario` and its parts (company, team, applicants, stages);
- `presets`: the company-size presets a scenario file is laid over;
- `io`: YAML in and out (the only module that imports `yaml`);
- `errors`: pydantic's errors as one line per problem, naming the field by its dotted path;
- `sweeps`, `limits`, `checks`: sweep grids, bounds on the work, warnings.

Importing this package loads only the types (the model imports them); the rest load on use.
"""

from sim.scenario.stages import OUTCOMES, STAGE_NAMES
from sim.scenario.types import MAX_ROUNDS, SIZES, Scenario

__all__ = ["MAX_ROUNDS", "OUTCOMES", "SIZES", "STAGE_NAMES", "Scenario"]
