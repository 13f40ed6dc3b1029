"""Promises: tracked by the engine, judged when due, remembered by the other side."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine import trust
from game.engine.constants import (
    ACT_BROKE,
    ACT_KEPT,
    BROKEN_PROMISE,
    INTEGRITY,
    PROMISE_NONE,
)
from game.engine.game import Game
from game.engine.state import State

BoolArr = NDArray[np.bool_]


def settle(game: Game, state: State, role: int, kept: BoolArr, broken: BoolArr) -> None:
    """Close `role`'s promise: kept builds integrity, broken is a violation to answer for."""
    other = 1 - role
    state.kept[:, role] += kept
    state.broken[:, role] += broken
    trust.evidence(game, state, other, INTEGRITY, 1.2, kept, cause=trust.CAUSE_KEPT)
    trust.evidence(game, state, other, INTEGRITY, -1.0, broken, cause=trust.CAUSE_BROKEN)
    state.acts[:, role, ACT_KEPT] |= kept
    state.acts[:, role, ACT_BROKE] |= broken
    state.incident[:, role, BROKEN_PROMISE] |= broken
    state.board_delta[:, role] += np.where(kept, 0.01, 0.0)
    closed = kept | broken
    state.promise_kind[:, role] = np.where(closed, PROMISE_NONE, state.promise_kind[:, role])
    state.promise_project[:, role] = np.where(closed, -1, state.promise_project[:, role])
    state.promise_due[:, role] = np.where(closed, 0, state.promise_due[:, role])
