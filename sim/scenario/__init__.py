"""The scenario: what a user asks for, validated once at the edge into typed objects.

- `types`: the validated `Scenario` and its parts (company, team, applicants, stages);
- `worktime`: the business calendar and the team roles (people, hiring hours, absences);
- `presets`: the company-size presets a scenario document is laid over;
- `resolve`: a document resolved once (preset, validation, every sweep cell), `cells`,
  `override`, `resolved_document`;
- `io`: YAML in and out, `load_scenario` (the only module that imports `yaml`);
- `errors`: `ScenarioError`, pydantic's errors as one line per problem, by dotted path;
- `sweeps`, `limits`, `checks`, `stages`: sweep grids, bounds on the work, warnings, the stages.

Importing this package loads only the types (the model imports them); the rest load on use
(`Scenario.model_validate` loads `resolve`, never `io`).
"""

from sim.scenario.stages import OUTCOMES, STAGE_NAMES
from sim.scenario.types import MAX_ROUNDS, SIZES, Scenario

__all__ = ["MAX_ROUNDS", "OUTCOMES", "SIZES", "STAGE_NAMES", "Scenario"]
