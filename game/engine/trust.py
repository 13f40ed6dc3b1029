"""The trust model: Mayer, Davis & Schoorman, one direction at a time.

Each executive keeps beta-reputation evidence (Josang & Ismail) about the other's
ability, benevolence and integrity. Bad evidence weighs `asymmetry` times more
(Slovic), and more still in the first quarters (Lount et al.). Discovered
deception lowers a ceiling that never comes back (Schweitzer et al.).

Every change to the evidence or the ceiling also books, to its cause, how far it moved
the trust formula (`why`): a sequential split, each act measured against the evidence
as it stood just before it, so the causes add up to the trust change each quarter
(docs/engine.md, "Why trust moved"). Booking only reads the evidence; it never
changes an outcome.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine import layout
from game.engine.constants import N_CAUSES
from game.engine.game import Game
from game.engine.state import State

F64 = NDArray[np.float64]
BoolArr = NDArray[np.bool_]

PROPENSITY_WEIGHT = 0.15
MIN_EVIDENCE = 3.0
CEILING_FLOOR = 0.4

# Causes of a trust change, the last axis of `State.why` and `State.hist_why`.
(CAUSE_KEPT, CAUSE_BROKEN, CAUSE_GOAROUND, CAUSE_INTEL, CAUSE_MEETING, CAUSE_ROADMAP,
 CAUSE_HACK_WEEK, CAUSE_LIAISON, CAUSE_JOINT, CAUSE_BLAME, CAUSE_OWNED, CAUSE_EXCUSE,
 CAUSE_DENIAL, CAUSE_DENIAL_PROVEN, CAUSE_CREDIT_SHARED, CAUSE_CREDIT_TAKEN,
 CAUSE_PROJECTS, CAUSE_INCIDENTS, CAUSE_MISREAD, CAUSE_FADING, CAUSE_CEILING,
 CAUSE_NEWCOMER, CAUSE_TIME, CAUSE_OTHER) = range(N_CAUSES)


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


def _trust_of(state: State, truster: int, good: F64, bad: F64) -> F64:
    """One truster's trust (B,) for given evidence: the formula of `_trust`, one column."""
    mix = layout.dot((good + 1.0) / (good + bad + 2.0), weights(max(state.quarter, 1)))
    value: F64 = (PROPENSITY_WEIGHT * state.propensity[:, truster]
                  + (1.0 - PROPENSITY_WEIGHT) * mix)
    np.minimum(value, state.ceiling[:, truster], out=value)
    return value


def _book(state: State, truster: int, cause: int, moved: BoolArr | None = None,
          misread_mask: BoolArr | None = None) -> None:
    """Book the change of `truster`'s trust formula since the last booking to `cause`
    (games in `misread_mask` to the misread instead)."""
    if state.no_ledger:
        return
    now = _trust_of(state, truster, state.good[:, truster], state.bad[:, truster])
    delta = now - state.formula[:, truster]
    if moved is not None:
        delta = np.where(moved, delta, 0.0)
    if misread_mask is None:
        state.why[:, truster, cause] += delta
    else:
        state.why[:, truster, cause] += np.where(misread_mask, 0.0, delta)
        state.why[:, truster, CAUSE_MISREAD] += np.where(misread_mask, delta, 0.0)
    state.formula[:, truster] = now


def _book_all(state: State, cause: int) -> None:
    """Both directions moved at once (forgetting, a newcomer, the weights of a new quarter)."""
    if state.no_ledger:
        return
    now = _trust(state, state.bad, state.ceiling)
    state.why[:, :, cause] += now - state.formula
    state.formula[...] = now


def refresh(state: State) -> None:
    """Recompute trust (B, 2) from perceptions, propensity and the ceiling.

    Anything that moved the evidence without booking it (an AI's imagined state) is
    booked to CAUSE_OTHER, so the ledger still adds up; in the engine it stays zero.
    """
    state.trust[...] = _trust(state, state.bad, state.ceiling)
    if state.no_ledger:
        return
    state.why[:, :, CAUSE_OTHER] += state.trust - state.formula
    state.formula[...] = state.trust


def start_ledger(state: State) -> None:
    """A fresh game: the ledger starts from the trust of first impressions."""
    state.formula[...] = state.trust
    state.why[...] = 0.0


def retime(state: State) -> None:
    """A new quarter shifts what counts (integrity less, goodwill more): book that."""
    _book_all(state, CAUSE_TIME)


def goaround_deficit(state: State) -> F64:
    """(B, 2): how much higher trust would stand had no go-around come to light, for
    booking what trust lost to go-arounds cost the company to the go-around line."""
    without = _trust(state, np.maximum(state.bad - state.bad_goaround, 0.0),
                     np.minimum(state.ceiling + state.ceiling_goaround, 1.0))
    result: F64 = np.maximum(without - _trust(state, state.bad, state.ceiling), 0.0)
    return result


def evidence(game: Game, state: State, truster: int, dim: int, amount: F64 | float,
             mask: BoolArr | None = None, *, cause: int = CAUSE_OTHER,
             misread_mask: BoolArr | None = None) -> None:
    """Record what `truster` saw: positive amounts are good evidence, negative bad,
    booked to `cause` (games in `misread_mask` saw it misread: booked to the misread).

    Bad evidence is scaled by the asymmetry and, in the early quarters, by the
    early-breach multiplier.
    """
    if mask is not None and not mask.any():
        return
    amt = np.broadcast_to(np.asarray(amount, dtype=np.float64), (state.batch,))
    if mask is not None:
        amt = np.where(mask, amt, 0.0)
    evidence_parts(game, state, truster, dim, np.maximum(amt, 0.0), np.maximum(-amt, 0.0),
                   cause=cause, misread_mask=misread_mask)


def bad_weight(game: Game, state: State) -> float:
    """How much one unit of bad evidence counts now: the asymmetry, more in early quarters."""
    rel = game.scenario.relationship
    early = rel.early_breach_multiplier if state.quarter <= rel.early_quarters else 1.0
    return rel.asymmetry * early


def evidence_parts(game: Game, state: State, truster: int, dim: int, good: F64,
                   bad: F64, *, cause: int = CAUSE_OTHER,
                   misread_mask: BoolArr | None = None) -> None:
    """Add summed good and bad evidence (bad given as a positive size) in one step."""
    state.good[:, truster, dim] += good
    state.bad[:, truster, dim] += bad * bad_weight(game, state)
    _book(state, truster, cause, misread_mask=misread_mask)


def evidence_split(game: Game, state: State, truster: int, good: F64, bad: F64,
                   parts: list[tuple[int, F64, F64]]) -> None:
    """Add summed evidence (3, B) on every dimension, as `evidence_parts` dimension by
    dimension would, and book it to causes by a sequential split: `parts` lists each
    cause's own good and bad evidence (3, B), in order; each is measured against the
    evidence with the causes before it added, and the last takes the rest, so the parts
    add up to the change exactly."""
    w = bad_weight(game, state)
    g = state.good[:, truster].copy()
    b = state.bad[:, truster].copy()
    for dim in range(3):
        state.good[:, truster, dim] += good[dim]
        state.bad[:, truster, dim] += bad[dim] * w
    if state.no_ledger:
        return
    actual = _trust_of(state, truster, state.good[:, truster], state.bad[:, truster])
    # Each game's own last cause takes the rest, so a game books the same alone as in
    # any batch (shared luck compares them bit for bit).
    present = [(p[1] != 0.0).any(axis=0) | (p[2] != 0.0).any(axis=0) for p in parts]
    last = np.full(state.batch, -1)
    for k, here in enumerate(present):
        last = np.where(here, k, last)
    formula = state.formula[:, truster]
    for k, (cause, pg, pb) in enumerate(parts):
        if not present[k].any():
            continue
        g += pg.T
        b += pb.T * w
        now = np.where(last == k, actual, _trust_of(state, truster, g, b))
        booked = present[k]
        state.why[:, truster, cause] += np.where(booked, now - formula, 0.0)
        formula[...] = np.where(booked, now, formula)
    formula[...] = actual


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
    _book_all(state, CAUSE_FADING)


def lower_ceiling(game: Game, state: State, truster: int, mask: BoolArr,
                  goaround: bool = False) -> None:
    """Deception found out: trust can never again climb as high."""
    drop = game.scenario.relationship.deception_ceiling_drop
    current = state.ceiling[:, truster].copy()
    state.ceiling[:, truster] = np.where(mask, np.maximum(CEILING_FLOOR, current - drop), current)
    if goaround:
        state.ceiling_goaround[:, truster] += current - state.ceiling[:, truster]
    _book(state, truster, CAUSE_CEILING)


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
    _book_all(state, CAUSE_NEWCOMER)
