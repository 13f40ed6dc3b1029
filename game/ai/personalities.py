"""AI personalities as data, and the levels of play.

The six built-ins live in `data/personalities.yaml`, validated with the same
`Personality` model a scenario uses, so a facilitator retunes one (same name) or
adds a new one under `ai.personalities` without touching code. A level sets how
far and how carefully the AI looks ahead; the personality sets what it wants.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from game.engine.constants import (
    N_VARS,
    SRC_MARKETING,
    V_ARPU,
    V_BRAND,
    V_CHANNEL,
    V_COMPETITION,
    V_DEBT,
    V_DEMAND,
    V_DIGITAL,
    V_PLATFORM,
    V_RELIABILITY,
    V_SECURITY,
    V_VENDOR,
)
from game.engine.game import Game
from game.engine.state import State, new_state
from game.engine.variables import apply_effects
from game.scenario.models import Personality, PersonalityName, Scenario, Strict
from game.scenario.yamlsource import load_model

F64 = NDArray[np.float64]

DATA = Path(str(resources.files("game.ai") / "data"))   # found as the package's data
BUILTIN_FILE = DATA / "personalities.yaml"
BUILTIN_NAMES: tuple[str, ...] = (
    "partner", "gatekeeper", "bypasser", "turf-warrior", "skeptic", "mirror",
)
TRAITS: tuple[str, ...] = (
    "propensity", "forgiveness", "risk_appetite", "company_weight", "honesty", "reciprocity",
    "openness", "bypass", "blame", "caution",
)


class PersonalityFile(Strict):
    """The built-in personalities file."""

    personalities: dict[PersonalityName, Personality] = Field(
        description="Personalities by name, as under a scenario's ai.personalities.")


@dataclass(frozen=True)
class Level:
    """How far and how well the AI looks ahead (`--level 1..3`)."""

    number: int
    candidates: int      # alternatives weighed per decision
    rollouts: int        # simulated futures per alternative
    horizon: int         # whole quarters simulated after the current one
    temperature: float   # softmax temperature on the utility; lower picks the best more often


LEVELS: dict[int, Level] = {
    1: Level(1, candidates=3, rollouts=8, horizon=0, temperature=0.02),
    2: Level(2, candidates=6, rollouts=24, horizon=1, temperature=0.004),
    3: Level(3, candidates=8, rollouts=32, horizon=2, temperature=0.001),
}
DEFAULT_LEVEL = 2


def level(number: int) -> Level:
    if number not in LEVELS:
        raise ValueError(f"level must be 1, 2 or 3, not {number}")
    return LEVELS[number]


@lru_cache(maxsize=1)
def builtin() -> dict[str, Personality]:
    """The six shipped personalities (ScenarioError with file:line:col if the file is bad)."""
    return dict(load_model(BUILTIN_FILE, PersonalityFile).personalities)


def personalities(scenario: Scenario | None = None) -> dict[str, Personality]:
    """Built-ins, then the scenario's own: a scenario entry with a built-in's name retunes it."""
    table = dict(builtin())
    if scenario is not None:
        table.update(scenario.ai.personalities)
    return table


def get(name: str, scenario: Scenario | None = None) -> Personality:
    table = personalities(scenario)
    if name not in table:
        raise KeyError(f"unknown personality '{name}' (known: {', '.join(sorted(table))})")
    return table[name]


def traits(p: Personality) -> np.ndarray:
    return np.array([getattr(p, t) for t in TRAITS], dtype=np.float64)


def voice(name: str, p: Personality) -> str:
    """Whose lines a personality speaks: its own if built in, else the nearest built-in's."""
    if name in BUILTIN_NAMES:
        return name
    mine = traits(p)
    table = builtin()
    return min(BUILTIN_NAMES, key=lambda n: float(np.abs(traits(table[n]) - mine).sum()))


# -- what a personality wants --------------------------------------------------------

def _weights(values: dict[int, float]) -> F64:
    w = np.zeros(N_VARS)
    for column, value in values.items():
        w[column] = value
    return w


# Value of a unit change in each variable: to the company, to each role's own KPIs,
# and to keeping the lights on. Signs: less debt and less security exposure are good.
COMPANY = _weights({V_BRAND: 1.2, V_CHANNEL: 1.2, V_ARPU: 2.5, V_PLATFORM: 0.6, V_DIGITAL: 0.5,
                    V_DEMAND: 1.0, V_COMPETITION: -1.0, V_RELIABILITY: 0.8, V_DEBT: -1.0,
                    V_SECURITY: -0.5, V_VENDOR: 0.5})
OWN_KPIS = (_weights({V_BRAND: 1.5, V_CHANNEL: 1.5, V_ARPU: 1.0, V_DEMAND: 1.0}),
            _weights({V_RELIABILITY: 1.5, V_SECURITY: -0.6, V_DEBT: -0.6, V_PLATFORM: 1.8,
                      V_VENDOR: 0.4}))
SAFETY = _weights({V_RELIABILITY: 1.5, V_SECURITY: -1.5, V_DEBT: -1.5, V_VENDOR: 0.5})
PROPENSITY_BIAS = 0.4  # stake moved per unit of propensity above neutral (a bias, not a meter)
LEAN_WEIGHT = 0.6      # stake moved per unit of the other's record, times reciprocity
RISK_PENALTY = 0.25   # value per $M lost per unit of risk above 0.3, for a timid character


@dataclass(frozen=True)
class Preferences:
    """How one personality in one role values the scenario's projects."""

    effects: F64      # (P, N_VARS) what each project changes on success
    density: F64      # (P,) value per $M, before this quarter's urgencies


_EFFECTS: dict[int, tuple[Game, F64]] = {}


def project_effects(game: Game) -> F64:
    """(P, N_VARS): each project's effects measured on the starting company (cached)."""
    hit = _EFFECTS.get(id(game))
    if hit is not None and hit[0] is game:
        return hit[1]
    out = np.zeros((game.n_projects, N_VARS))
    for j in range(game.n_projects):
        s: State = new_state(game, 1, 0)
        before = s.v[0].copy()
        apply_effects(game, s, game.project_effects[j], np.ones(1, dtype=np.bool_),
                      [(SRC_MARKETING, 1.0)])
        out[j] = s.v[0] - before
    if len(_EFFECTS) > 16:
        _EFFECTS.clear()
    _EFFECTS[id(game)] = (game, out)
    return out


def preferences(game: Game, role: int, p: Personality) -> Preferences:
    """Company growth against own KPIs by `company_weight`; caution adds the safety agenda."""
    cw = p.company_weight
    w = cw * COMPANY + (1.0 - cw) * OWN_KPIS[role] + 4.0 * max(p.caution - 0.4, 0.0) * SAFETY
    w = w.copy()
    w[V_PLATFORM] += 0.5 * game.scenario.company.digital_share
    eff = project_effects(game)
    value = eff @ w
    risk = np.maximum(game.risk - 0.3, 0.0) * (1.0 - p.risk_appetite) * RISK_PENALTY
    density = value / game.cost - risk
    return Preferences(eff, density)


def stake(p: Personality, trust: F64, cooperating: NDArray[np.bool_],
          lean: F64 | None = None) -> F64:
    """(B,) share of what it could put into shared risky bets (joint ownership), 0 to 1.

    `trust` is the engine's meter, the one both players see; the character acts
    through its response to it. At neutral trust (0.5) an average character commits
    half (Berg et al.; Johnson & Mislin): risk appetite, company focus and propensity
    bias it up or down, trust moves it more for a reciprocator, as does the other's
    record of deeds (`lean`, -1 to 1, from its memory), and a defection it is
    answering cuts it hard.
    """
    rec = p.reciprocity
    s = (0.5 + (trust - 0.5) * (0.6 + rec) + (p.risk_appetite - 0.5) * 0.6
         + (p.company_weight - 0.55) * 0.6 + (p.propensity - 0.5) * PROPENSITY_BIAS)
    if lean is not None:
        s = s + LEAN_WEIGHT * rec * lean
    result: F64 = np.clip(s, 0.0, 1.0) * np.where(cooperating, 1.0, 0.6)
    return result


def utility(p: Personality, role: int, start: State, end: State) -> F64:
    """(B,) how much a personality likes where a simulated future ended, against the start.

    Company growth and its own board standing, weighed by `company_weight`; the
    relationship (trust both ways, shared ownership) as the long game's capital;
    honest characters also count the promises they would break.
    """
    cw = p.company_weight
    growth = np.log(np.maximum(end.revenue, 1e-9) / np.maximum(start.revenue, 1e-9))
    board = end.board[:, role] - start.board[:, role]
    board -= 0.3 * (end.replacements[:, role] - start.replacements[:, role])
    relation = (end.trust.mean(axis=1) - start.trust.mean(axis=1)
                + end.ownership - start.ownership)
    broken = end.broken[:, role] - start.broken[:, role]
    result: F64 = (cw * growth + (1.0 - cw) * 0.5 * board + 0.1 * cw * relation
                   - 0.03 * p.honesty * broken)
    return result


__all__ = [
    "BUILTIN_NAMES", "DEFAULT_LEVEL", "LEVELS", "Level", "Personality", "Preferences",
    "builtin", "get", "level", "personalities", "preferences", "stake", "utility", "voice",
]
