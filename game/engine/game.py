"""A scenario compiled for the engine: parameters as arrays, expressions parsed once.

This plays the role of OpenSpiel's `Game`: immutable, shared by every state and
every batch, so Monte Carlo and AI look-ahead pay the parsing cost once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from game.engine.constants import DOMAINS, ROLES
from game.scenario.expressions import Condition, Effect, parse_condition, parse_effect
from game.scenario.models import Scenario
from game.scenario.variables import VariableRegistry

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
BoolArr = NDArray[np.bool_]


def scenario_hash(scenario: Scenario) -> str:
    """A stable fingerprint of the scenario's content, stored in game records."""
    blob = json.dumps(scenario.model_dump(mode="json"), sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


@dataclass(frozen=True)
class Game:
    """The rules' view of one scenario."""

    scenario: Scenario
    registry: VariableRegistry
    hash: str
    cost: F64
    duration: F64
    risk: F64
    domain: I64
    from_quarter: I64
    until_quarter: I64
    repeatable: BoolArr
    joint_only: BoolArr
    project_when: tuple[Condition | None, ...]
    project_effects: tuple[tuple[Effect, ...], ...]
    project_failure_effects: tuple[tuple[Effect, ...], ...]
    upkeep: F64
    event_at: I64
    event_chance: F64
    event_once: BoolArr
    event_chooser: I64
    event_when: tuple[Condition | None, ...]
    event_effects: tuple[tuple[Effect, ...], ...]
    choice_effects: tuple[tuple[tuple[Effect, ...], ...], ...]
    # (event, option) -> each chance outcome's chance and effects
    choice_outcomes: tuple[tuple[tuple[tuple[float, tuple[Effect, ...]], ...], ...], ...]
    briefings: tuple[tuple[tuple[Condition, str], ...], ...]
    project_ids: tuple[str, ...] = field(default=())
    event_ids: tuple[str, ...] = field(default=())

    @property
    def n_projects(self) -> int:
        return len(self.project_ids)

    @property
    def n_events(self) -> int:
        return len(self.event_ids)

    @property
    def quarters(self) -> int:
        return self.scenario.quarters

    def project_index(self, project_id: str) -> int:
        return self.project_ids.index(project_id)


def compile_game(scenario: Scenario) -> Game:
    """Compile a validated scenario. Expressions were checked by the loader."""
    registry = VariableRegistry(
        project_ids=[p.id for p in scenario.projects], event_ids=[e.id for e in scenario.events],
        choices=[(e.id, c.id) for e in scenario.events for c in e.choices])
    projects = scenario.projects
    events = scenario.events
    last = scenario.quarters

    def cond(text: str | None) -> Condition | None:
        return None if text is None else parse_condition(text, registry)

    def effs(texts: list[str]) -> tuple[Effect, ...]:
        return tuple(parse_effect(t, registry) for t in texts)

    briefings = tuple(
        tuple((parse_condition(b.when, registry), b.text)
              for b in getattr(scenario.intel, role).briefings)
        for role in ROLES)
    return Game(
        scenario=scenario,
        registry=registry,
        hash=scenario_hash(scenario),
        cost=np.array([p.cost for p in projects], dtype=np.float64),
        duration=np.array([p.duration for p in projects], dtype=np.float64),
        risk=np.array([p.risk for p in projects], dtype=np.float64),
        domain=np.array([DOMAINS.index(p.domain) for p in projects], dtype=np.int64),
        from_quarter=np.array([p.available.from_quarter for p in projects], dtype=np.int64),
        until_quarter=np.array(
            [p.available.until_quarter or last for p in projects], dtype=np.int64),
        repeatable=np.array([p.repeatable for p in projects], dtype=np.bool_),
        joint_only=np.array([p.joint_only for p in projects], dtype=np.bool_),
        project_when=tuple(cond(p.available.when) for p in projects),
        project_effects=tuple(effs(p.effects) for p in projects),
        project_failure_effects=tuple(effs(p.on_failure) for p in projects),
        upkeep=np.array([p.upkeep for p in projects], dtype=np.float64),
        event_at=np.array([e.at or 0 for e in events], dtype=np.int64),
        event_chance=np.array(
            [np.nan if e.chance is None else e.chance for e in events], dtype=np.float64),
        event_once=np.array([e.once for e in events], dtype=np.bool_),
        event_chooser=np.array(
            [-1 if e.chooser is None or not e.choices else ROLES.index(e.chooser)
             for e in events], dtype=np.int64),
        event_when=tuple(cond(e.when) for e in events),
        event_effects=tuple(effs(e.effects) for e in events),
        choice_effects=tuple(tuple(effs(c.effects) for c in e.choices) for e in events),
        choice_outcomes=tuple(tuple(tuple((o.chance, effs(o.effects)) for o in c.outcomes)
                                    for c in e.choices) for e in events),
        briefings=briefings,
        project_ids=tuple(p.id for p in projects),
        event_ids=tuple(e.id for e in events),
    )
