"""The JSON Schema of a scenario file, generated from the models.

Editors (VS Code with the YAML extension, JetBrains IDEs) read it through the
modeline at the top of each scenario and offer completion and checking.
"""

from __future__ import annotations

import json
from typing import Any

from game.scenario.models import Scenario

SCHEMA_ID = "https://sameteam.invalid/scenario.schema.json"


def scenario_schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "title": "Same Team scenario", **{k: v for k, v in schema.items() if k != "title"}}


def schema_text() -> str:
    return json.dumps(scenario_schema(), indent=2, sort_keys=False) + "\n"
