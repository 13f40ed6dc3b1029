"""The bridge between scenario expressions and the state arrays.

Effects are applied through here so every change to a variable is also booked
to a source (market, marketing projects, incidents, ...), which is what the
trust-dividend decomposition adds up at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from game.engine.constants import (
    CHALLENGED,
    CMO,
    CTO,
    FAILED,
    N_VARS,
    OWNER_CMO,
    OWNER_CTO,
    OWNER_JOINT,
    RUNNING,
    SUCCESS,
    V_DEBT,
    V_OWNERSHIP,
    VAR_COLUMNS,
    VAR_INDEX,
)
from game.engine.game import Game
from game.engine.state import State
from game.scenario.expressions import Effect

F64 = NDArray[np.float64]
BoolArr = NDArray[np.bool_]

_LOW = np.zeros(N_VARS)
_HIGH = np.full(N_VARS, np.inf)


_BOUNDS: dict[int, tuple[F64, F64]] = {}


def _bounds(game: Game) -> tuple[F64, F64]:
    """Each column's range from the registry (cached per game)."""
    cached = _BOUNDS.get(id(game.registry))
    if cached is not None:
        return cached
    low = _LOW.copy()
    high = _HIGH.copy()
    for i, name in enumerate(VAR_COLUMNS):
        var = game.registry[name]
        low[i] = -np.inf if var.low is None else var.low
        high[i] = np.inf if var.high is None else var.high
    _BOUNDS[id(game.registry)] = (low, high)
    return low, high


class Environment(Mapping[str, "F64 | float"]):
    """Every named variable, computed only when an expression asks for it.

    Over the whole batch, writable variables are views into the state's `v`
    matrix, so an effect that changes one in place changes the state. With
    `rows`, every value is for those games only (and a copy).
    """

    def __init__(self, game: Game, state: State, rows: NDArray[np.int64] | None = None) -> None:
        self.game = game
        self.state = state
        self.rows: NDArray[np.int64] | slice = slice(None) if rows is None else rows

    def __getitem__(self, name: str) -> F64 | float:
        st = self.state
        rows = self.rows
        col = VAR_INDEX.get(name)
        if col is not None:
            return st.v[rows, col]
        simple = _SIMPLE.get(name)
        if simple is not None:
            value = simple(self.game, st)
            return value[rows] if isinstance(value, np.ndarray) else value
        kind, _, rest = name.partition(".")
        ident, _, attr = rest.rpartition(".")
        if kind == "project" and ident in self.game.project_ids:
            j = self.game.project_ids.index(ident)
            status = st.status[rows, j]
            if attr == "done":
                done: F64 = ((status == SUCCESS) | (status == CHALLENGED)).astype(np.float64)
                return done
            if attr == "running":
                running: F64 = (status == RUNNING).astype(np.float64)
                return running
            if attr == "failed":
                failed: F64 = (status == FAILED).astype(np.float64)
                return failed
            funded = st.started[rows, j] > 0
            if attr == "funded":
                return funded.astype(np.float64)
            owner = {"owner_cmo": OWNER_CMO, "owner_cto": OWNER_CTO, "joint": OWNER_JOINT}
            if attr in owner:
                owned: F64 = (funded & (st.owner[rows, j] == owner[attr])).astype(np.float64)
                return owned
        if kind == "event" and ident in self.game.event_ids and attr == "fired":
            return st.fired[rows, self.game.event_ids.index(ident)].astype(np.float64)
        if kind == "choice" and ident in self.game.event_ids:
            k = self.game.event_ids.index(ident)
            options = [c.id for c in self.game.scenario.events[k].choices]
            if attr in options:
                taken: F64 = (st.choice[rows, k] == options.index(attr)).astype(np.float64)
                return taken
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self.game.registry)

    def __len__(self) -> int:
        return len(self.game.registry)


_SIMPLE: dict[str, Callable[[Game, State], F64 | float]] = {
    "quarter": lambda g, s: float(s.quarter),
    "quarters_total": lambda g, s: float(g.quarters),
    "company.revenue": lambda g, s: s.revenue,
    "company.customers": lambda g, s: s.customers,
    "company.growth": lambda g, s: s.revenue / s.revenue0 - 1.0,
    "trust.cmo_to_cto": lambda g, s: s.trust[:, CMO],
    "trust.cto_to_cmo": lambda g, s: s.trust[:, CTO],
    "relationship.liaison": lambda g, s: s.liaison.astype(np.float64),
    "promises.kept": lambda g, s: s.kept.sum(axis=1).astype(np.float64),
    "promises.broken": lambda g, s: s.broken.sum(axis=1).astype(np.float64),
    "goarounds.discovered": lambda g, s: s.discovered.sum(axis=1).astype(np.float64),
    "incidents.count": lambda g, s: s.incidents_total.astype(np.float64),
    "replacements.cmo": lambda g, s: s.replacements[:, CMO].astype(np.float64),
    "replacements.cto": lambda g, s: s.replacements[:, CTO].astype(np.float64),
    "replacements.count": lambda g, s: s.replacements.sum(axis=1).astype(np.float64),
}


def environment(game: Game, state: State) -> Environment:
    """The variables of `state` by name, for evaluating scenario expressions."""
    return Environment(game, state)


def apply_effects(game: Game, state: State, effects: Sequence[Effect], mask: BoolArr,
                  shares: Sequence[tuple[int, F64 | float]]) -> None:
    """Apply effects where `mask` holds, scaled and booked to sources.

    `shares` lists (source, scale) pairs: the effect's change is multiplied by
    the sum of the scales, and each source is booked its own part. A challenged
    project passes 0.5; a joint project adds a bonus share to the joint source.
    """
    if not effects:
        return
    # Only the games where the effects land are worked on: a project finishes in a
    # few games of the batch at a time.
    rows = np.flatnonzero(mask)
    if rows.size == 0:
        return
    env = Environment(game, state, rows)
    low, high = _bounds(game)
    scales = [(src, np.broadcast_to(np.asarray(sc, dtype=np.float64), mask.shape)[rows])
              for src, sc in shares]
    total = sum(sc for _, sc in scales)
    safe_total = np.where(np.abs(total) > 1e-12, total, 1.0)
    parts = [(src, sc / safe_total) for src, sc in scales]
    for eff in effects:
        col = VAR_INDEX[eff.target]
        before = state.v[rows, col]
        raw = eff.result(env, rows.size) - before
        after = np.clip(before + raw * total, low[col], high[col])
        state.v[rows, col] = after
        actual = after - before
        for src, part in parts:
            state.contrib[rows, src, col] += actual * part


def nudge(game: Game, state: State, col: int, delta: F64 | float, source: int,
          mask: BoolArr | None = None) -> None:
    """A rule's own change to a variable, clamped and booked to one source."""
    if mask is not None and not mask.any():
        return
    low, high = _bounds(game)
    before = state.v[:, col].copy()
    d = np.broadcast_to(np.asarray(delta, dtype=np.float64), before.shape)
    if mask is not None:
        d = np.where(mask, d, 0.0)
    soft = SOFT_FLOOR.get(col)
    if soft is not None:
        d = d * _headroom(before, d, soft)
    state.v[:, col] = np.clip(before + d, low[col], high[col])
    state.contrib[:, source, col] += state.v[:, col] - before


SOFT_FLOOR: dict[int, tuple[float, float]] = {V_OWNERSHIP: (0.0, 0.7), V_DEBT: (0.08, 1.0)}
"""Relationship and technology levels that have room to move all game: a rule's nudge
counts in full between these two levels and less the closer it takes the variable to the
edge of its range (shared ownership near 1, technical debt near none), so late choices
still show. Scenario effects are not damped: a facilitator's numbers mean what they say."""


def _headroom(level: F64, delta: F64, band: tuple[float, float]) -> F64:
    low, high = band
    room = np.where(delta > 0.0, (1.0 - level) / max(1.0 - high, 1e-9),
                    (level - 0.0) / max(low, 1e-9))
    result: F64 = np.minimum(1.0, np.maximum(room, 0.0)) ** 2
    return result


def rebook(game: Game, state: State, effects: Sequence[Effect], amount: F64,
           to: Sequence[tuple[int, F64 | float]], source: int) -> None:
    """Move attribution, not values: `amount` (B,) of what the effects would change at
    full strength is taken from `source` and booked to the `to` sources (in their
    proportions). Every value and every total stays as it is.

    Used for what a cause cost in expectation (the odds of a project that a shadow
    tool's debt lowered), which no realised change carries.
    """
    rows = np.flatnonzero(amount != 0.0)
    if not effects or rows.size == 0:
        return
    env = Environment(game, state, rows)
    scales = [(src, np.broadcast_to(np.asarray(sc, dtype=np.float64), amount.shape)[rows])
              for src, sc in to]
    total = sum(sc for _, sc in scales)
    safe_total = np.where(np.abs(total) > 1e-12, total, 1.0)
    for eff in effects:
        col = VAR_INDEX[eff.target]
        moved = (eff.result(env, rows.size) - state.v[rows, col]) * amount[rows]
        state.contrib[rows, source, col] -= moved
        for src, sc in scales:
            state.contrib[rows, src, col] += moved * sc / safe_total
