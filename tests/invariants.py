"""The engine's invariants, checked by the property and conformance tests alike."""

from __future__ import annotations

import numpy as np

from game.engine import trust
from game.engine.constants import BOARD_COLUMNS, V_MARKET_SIZE, VAR_COLUMNS
from game.engine.game import Game
from game.engine.state import State


def bounds(game: Game) -> tuple[np.ndarray, np.ndarray]:
    low = np.array([-np.inf if game.registry[n].low is None else game.registry[n].low
                    for n in VAR_COLUMNS])
    high = np.array([np.inf if game.registry[n].high is None else game.registry[n].high
                     for n in VAR_COLUMNS])
    return low, high


def check_ranges(game: Game, state: State, where: str = "", quarter_end: bool = True) -> None:
    """Every value in its range, nothing NaN or infinite.

    Trust is recomputed from the evidence at the end of each quarter (trust.refresh in
    close_quarter); between phases it is last quarter's value while the ceiling may
    already have dropped, so `trust <= ceiling` is checked at quarter ends only.
    """
    for name, arr in state.arrays().items():
        if arr.dtype.kind == "f":
            assert np.isfinite(arr).all(), f"{where}: non-finite values in {name}"
    assert (state.trust >= 0.0).all() and (state.trust <= 1.0).all(), where
    if quarter_end:
        assert (state.trust <= state.ceiling + 1e-12).all(), f"{where}: trust above its ceiling"
    assert (state.ceiling >= trust.CEILING_FLOOR - 1e-12).all(), where
    assert (state.ceiling >= 0.4 - 1e-12).all() and (state.ceiling <= 1.0).all(), where
    low, high = bounds(game)
    for i, name in enumerate(VAR_COLUMNS):
        col = state.v[:, i]
        assert (col >= low[i] - 1e-12).all(), f"{where}: {name} below {low[i]}: {col.min()}"
        assert (col <= high[i] + 1e-12).all(), f"{where}: {name} above {high[i]}: {col.max()}"
    assert (state.customers >= 0.0).all(), where
    assert (state.customers <= state.v[:, V_MARKET_SIZE] + 1e-9).all(), where
    assert (state.revenue > 0.0).all(), where
    perc = trust.perceptions(state)
    assert (perc > 0.0).all() and (perc < 1.0).all(), f"{where}: perceptions out of (0, 1)"
    for col in BOARD_COLUMNS:
        assert (state.v[:, col] >= 0.0).all() and (state.v[:, col] <= 1.0).all(), where


def check_budget(state: State, where: str = "") -> None:
    """After the budget commit the ledger lines add up to the grant, none negative."""
    assert np.allclose(state.ledger.sum(axis=1), state.grant, rtol=0.0, atol=1e-9), (
        f"{where}: ledger {state.ledger.sum(axis=1)} != grant {state.grant}")
    assert (state.ledger >= -1e-12).all(), f"{where}: negative ledger line {state.ledger.min()}"
    assert np.allclose(state.available, 0.0, atol=1e-9), where
