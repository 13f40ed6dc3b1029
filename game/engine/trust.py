"""The trust model: Mayer, Davis & Schoorman, one direction at a time.

Each executive keeps beta-reputation evidence (Josang & Ismail) about the other's
ability, benevolence and integrity. Bad evidence weighs `asymmetry` times more
(Slovic), and more still in the first quarters (Lount et al.). Discovered
deception lowers a ceiling that never comes back (Schweitzer et al.).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine import layout
from game.engine.game import Game
from game.engine.state import State

F64 = NDArray[np.float64]
BoolArr = NDArray[np.bool_]

PROPENSITY_WEIGHT = 0.15
MIN_EVIDENCE = 3.0
CEILING_FLOOR = 0.4


def perceptions(state: State) -> F64:
    """(B, 2, 3): how each executive currently sees the other."""
    result: F64 = (state.good + 1.0) / (state.good + state.bad + 2.0)
    return result


def weights(quarter: int) -> F64:
    """Integrity weighs most early on; benevolence grows with time."""
    t = min(1.0, max(0.0, (quarter - 1) / 8.0))
    return np.array([0.3, 0.2 + 0.2 * t, 0.5 - 0.2 * t])


def _trust(state: State, bad: F64, ceiling: F64) -> F64:
    mix = layout.dot((state.good + 1.0) / (state.good + bad + 2.0),
                     weights(max(state.quarter, 1)))
    value: F64 = PROPENSITY_WEIGHT * state.propensity + (1.0 - PROPENSITY_WEIGHT) * mix
    np.minimum(value, ceiling, out=value)
    return value


def refresh(state: State) -> None:
    """Recompute trust (B, 2) from perceptions, propensity and the ceiling."""
    state.trust[...] = _trust(state, state.bad, state.ceiling)


def goaround_deficit(state: State) -> F64:
    """(B, 2): how much higher trust would stand had no go-around come to light, for
    booking what trust lost to go-arounds cost the company to the go-around line."""
    without = _trust(state, np.maximum(state.bad - state.bad_goaround, 0.0),
                     np.minimum(state.ceiling + state.ceiling_goaround, 1.0))
    result: F64 = np.maximum(without - _trust(state, state.bad, state.ceiling), 0.0)
    return result


def evidence(game: Game, state: State, truster: int, dim: int, amount: F64 | float,
             mask: BoolArr | None = None) -> None:
    """Record what `truster` saw: positive amounts are good evidence, negative bad.

    Bad evidence is scaled by the asymmetry and, in the early quarters, by the
    early-breach multiplier.
    """
    if mask is not None and not mask.any():
        return
    amt = np.broadcast_to(np.asarray(amount, dtype=np.float64), (state.batch,))
    if mask is not None:
        amt = np.where(mask, amt, 0.0)
    evidence_parts(game, state, truster, dim, np.maximum(amt, 0.0), np.maximum(-amt, 0.0))


def bad_weight(game: Game, state: State) -> float:
    """How much one unit of bad evidence counts now: the asymmetry, more in early quarters."""
    rel = game.scenario.relationship
    early = rel.early_breach_multiplier if state.quarter <= rel.early_quarters else 1.0
    return rel.asymmetry * early


def evidence_parts(game: Game, state: State, truster: int, dim: int, good: F64,
                   bad: F64) -> None:
    """Add summed good and bad evidence (bad given as a positive size) in one step."""
    state.good[:, truster, dim] += good
    state.bad[:, truster, dim] += bad * bad_weight(game, state)


def misread(amount: float, u: F64, rate: float) -> F64:
    """The same act as the other side perceives it: sometimes it reads the opposite."""
    return np.where(u < rate, -0.5 * amount, amount)


def forget(game: Game, state: State) -> None:
    """Older experience fades, keeping the balance, so recent acts weigh more."""
    memory = game.scenario.relationship.memory
    total = state.good + state.bad
    factor = np.maximum(memory, np.minimum(1.0, MIN_EVIDENCE / np.maximum(total, 1e-9)))
    # What a discovered deception taught does not fade (Schweitzer et al.): the rest of
    # the evidence does, so recent acts weigh more.
    lasting = state.bad_goaround
    state.good *= factor
    state.bad[...] = (state.bad - lasting) * factor + lasting


def lower_ceiling(game: Game, state: State, truster: int, mask: BoolArr,
                  goaround: bool = False) -> None:
    """Deception found out: trust can never again climb as high."""
    drop = game.scenario.relationship.deception_ceiling_drop
    current = state.ceiling[:, truster]
    state.ceiling[:, truster] = np.where(mask, np.maximum(CEILING_FLOOR, current - drop), current)
    if goaround:
        state.ceiling_goaround[:, truster] += current - state.ceiling[:, truster]


def reset_for_newcomer(game: Game, state: State, role: int, mask: BoolArr) -> None:
    """A replaced executive: both directions start again from first impressions."""
    n0 = game.scenario.relationship.evidence
    for truster in (0, 1):
        m = mask[:, None]
        state.good[:, truster] = np.where(m, state.prior[:, truster] * n0, state.good[:, truster])
        state.bad[:, truster] = np.where(
            m, (1.0 - state.prior[:, truster]) * n0, state.bad[:, truster])
    state.ceiling[:, role] = np.where(mask, 1.0, state.ceiling[:, role])
    state.ceiling[:, 1 - role] = np.where(mask, 1.0, state.ceiling[:, 1 - role])
    state.bad_goaround[mask] = 0.0
    state.ceiling_goaround[mask] = 0.0
