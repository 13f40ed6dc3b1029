"""Private signals as information: what a policy does with the readings it can see.

A role reads its own signals and the other's when shared (`obs.signals`, NaN where
not shared). Sharing intel is then more than a trust token: the reading changes a
plan, so a policy that reads the other's intel does better than one that ignores it
(tests/test_intel.py measures it with common random numbers).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine.game import Game
from game.engine.observation import Observation

F64 = NDArray[np.float64]

OUTAGE_SHARE = 4.0   # campaign share moved per unit of outage risk above the usual rate


def outage_tilt(game: Game, obs: Observation, share: F64 | float) -> F64:
    """(B,) a campaign share moved toward operations by the outage-risk reading, where
    this role can read one (the CTO's own signal, or the CTO's shared intel): operations
    money cuts the outage odds, worth most when they are high. Blind, it keeps `share`."""
    out = np.broadcast_to(np.asarray(share, dtype=np.float64), (obs.batch,)).copy()
    outage = obs.signals.get("outage_risk")
    if outage is not None:
        usual = game.scenario.market.outage_rate
        x = np.nan_to_num(outage, nan=usual) - usual
        out -= OUTAGE_SHARE * np.clip(x, -0.1, 0.2)
    result: F64 = np.clip(out, 0.1, 0.9)
    return result


__all__ = ["OUTAGE_SHARE", "outage_tilt"]
