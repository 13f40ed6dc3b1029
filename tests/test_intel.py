"""Private signals are information (issue 9): reading the other's shared intel pays.

Common random numbers: the same pair, seed and luck, once reading every signal it
can see and once through an ablation wrapper that blanks the other role's signals
(NaN, as if never shared). Only what the policy does with the readings differs.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest

from game.ai.counterpart import Counterpart
from game.ai.scripted import Cooperative
from game.engine.constants import CMO, CTO, ROLES
from game.engine.driver import Request, play
from game.engine.game import Game
from game.engine.observation import Observation
from game.engine.results import results

GAMES = 2000
SEED = 3


class Blind:
    """A policy that ignores the other's shared intel: their signals blanked to NaN."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", "blind")

    def decide(self, obs: Observation, request: Request) -> Any:
        intel = self.inner.game.scenario.intel
        theirs = (set(getattr(intel, ROLES[1 - obs.role]).signals)
                  - set(getattr(intel, ROLES[obs.role]).signals))
        seen = obs.signals
        blank = {k: (np.full_like(v, np.nan) if k in theirs else v) for k, v in seen.items()}
        return self.inner.decide(dataclasses.replace(obs, _signals=lambda: blank), request)


def _growth(game: Game, make: Any, blind: bool) -> np.ndarray:
    a, b = make(CMO), make(CTO)
    policies = (Blind(a), Blind(b)) if blind else (a, b)
    return np.asarray(results(game, play(game, policies, GAMES, SEED)).growth)


@pytest.mark.parametrize("who", ["partner", "cooperative"])
def test_reading_shared_intel_grows_the_company(game: Game, who: str) -> None:
    """digital-shift, 2,000 games a side: the pair that reads the other's shared intel
    grows at least 0.3 points more than the same pair blind to it, and the gain is more
    than four standard errors of the paired difference."""
    def make(role: int) -> Any:
        if who == "cooperative":
            return Cooperative(game, role, 7 + role)
        return Counterpart(game, role, 7 + role, name=who, lookahead=False)

    reading = _growth(game, make, blind=False)
    blind = _growth(game, make, blind=True)
    gain = reading - blind
    se = float(gain.std() / np.sqrt(GAMES))
    print(f"{who}: intel gain {gain.mean():+.4f} (se {se:.4f})")
    assert gain.mean() > 0.003
    assert gain.mean() > 4 * se


def test_blind_wrapper_blanks_only_the_others_signals(game: Game) -> None:
    """The ablation is what it says: own signals kept, the other's all NaN."""
    seen: dict[str, np.ndarray] = {}

    class Spy(Cooperative):
        def _propose(self, obs: Observation, last: Any) -> Any:
            seen.update(obs.signals)
            return super()._propose(obs, last)

    play(game, (Blind(Spy(game, CMO, 1)), Cooperative(game, CTO, 2)), 50, 1, quarters=2)
    cto = set(game.scenario.intel.cto.signals) - set(game.scenario.intel.cmo.signals)
    assert seen and all(np.isnan(seen[k]).all() for k in cto if k in seen)
    assert all(np.isfinite(seen[k]).all() for k in game.scenario.intel.cmo.signals)
