"""Small quantities several phases need, derived from the state."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine import layout
from game.engine.constants import GRAY, OWNER_JOINT, SRC_JOINT, SRC_MARKETING, SRC_TECHNOLOGY
from game.engine.constants import MARKETING as D_MARKETING
from game.engine.constants import TECHNOLOGY as D_TECHNOLOGY
from game.engine.game import Game
from game.engine.state import State

F64 = NDArray[np.float64]

JOINT_BONUS = 0.1  # a joint project delivers this much more than a single-owner one
COORD_OWNERSHIP = 0.35  # how much shared ownership counts in coordination
COORD_TRUST = 0.5  # and how much trust does
BoolArr = NDArray[np.bool_]


def rowsum(x: NDArray[np.float64] | NDArray[np.bool_]) -> F64:
    """Sum over the last axis of a (B, k) matrix, the same at any batch size
    (see layout.rowsum)."""
    return layout.rowsum(x)


def roadmap_active(state: State) -> BoolArr:
    result: BoolArr = state.roadmap_until >= state.quarter
    return result


def coordination(state: State) -> F64:
    """How well the two executives coordinate, 0 to 1: it drives friction losses."""
    value = (COORD_TRUST * state.trust.mean(axis=1) + COORD_OWNERSHIP * state.ownership
             + 0.12 * state.liaison + 0.1 * roadmap_active(state)
             + 0.05 * state.shared.sum(axis=1))
    result: F64 = np.clip(value, 0.0, 1.0)
    return result


def effect_shares(game: Game, j: int, owner: NDArray[np.int64], scale: F64,
                  coord: F64) -> list[tuple[int, F64]]:
    """Which sources a finished project's effects are booked to, and how much.

    Domain decides marketing versus technology; a gray-zone project owned by one
    side alone delivers less when coordination is poor; a joint project adds a
    bonus booked to the joint source.
    """
    domain = int(game.domain[j])
    joint = owner == OWNER_JOINT
    if domain == GRAY:
        # Gray-zone work is marketing technology: it is booked with martech whoever
        # owns it, but a single owner delivers less when the two do not coordinate.
        fit = np.where(joint, 1.0, 0.85 + 0.15 * coord)
        to_marketing, to_technology = scale * fit, np.zeros_like(scale)
    elif domain == D_MARKETING:
        to_marketing, to_technology = scale, np.zeros_like(scale)
    else:
        assert domain == D_TECHNOLOGY
        to_marketing, to_technology = np.zeros_like(scale), scale
    bonus = np.where(joint, JOINT_BONUS * scale, 0.0)
    return [(SRC_MARKETING, to_marketing), (SRC_TECHNOLOGY, to_technology), (SRC_JOINT, bonus)]
