"""The bridge between scenario expressions and the state arrays.

Effects are applied through here so every change to a variable is also booked
to a source (market, marketing projects, incidents, ...), which is what the
trust-dividend decomposition adds up at the end.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from game.engine.constants import (
    CHALLENGED,
    CMO,
    CTO,
    N_VARS,
    RUNNING,
    SUCCESS,
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


def environment(game: Game, state: State) -> dict[str, F64 | float]:
    """Every named variable as an array (views into the state where writable)."""
    env: dict[str, F64 | float] = {name: state.v[:, i] for name, i in VAR_INDEX.items()}
    env["quarter"] = float(state.quarter)
    env["quarters_total"] = float(game.quarters)
    env["company.revenue"] = state.revenue
    env["company.customers"] = state.customers
    env["company.growth"] = state.revenue / state.revenue0 - 1.0
    env["trust.cmo_to_cto"] = state.trust[:, CMO]
    env["trust.cto_to_cmo"] = state.trust[:, CTO]
    env["relationship.liaison"] = state.liaison.astype(np.float64)
    env["promises.kept"] = state.kept.sum(axis=1).astype(np.float64)
    env["promises.broken"] = state.broken.sum(axis=1).astype(np.float64)
    env["goarounds.discovered"] = state.discovered.sum(axis=1).astype(np.float64)
    env["incidents.count"] = state.incidents_total.astype(np.float64)
    done = (state.status == SUCCESS) | (state.status == CHALLENGED)
    running = state.status == RUNNING
    for j, pid in enumerate(game.project_ids):
        env[f"project.{pid}.done"] = done[:, j].astype(np.float64)
        env[f"project.{pid}.running"] = running[:, j].astype(np.float64)
    for k, eid in enumerate(game.event_ids):
        env[f"event.{eid}.fired"] = state.fired[:, k].astype(np.float64)
    return env


def apply_effects(game: Game, state: State, effects: Sequence[Effect], mask: BoolArr,
                  shares: Sequence[tuple[int, F64 | float]]) -> None:
    """Apply effects where `mask` holds, scaled and booked to sources.

    `shares` lists (source, scale) pairs: the effect's change is multiplied by
    the sum of the scales, and each source is booked its own part. A challenged
    project passes 0.5; a joint project adds a bonus share to the joint source.
    """
    if not effects or not mask.any():
        return
    low, high = _bounds(game)
    total = sum(np.asarray(sc, dtype=np.float64) for _, sc in shares)
    for eff in effects:
        col = VAR_INDEX[eff.target]
        before = state.v[:, col].copy()
        env = environment(game, state)
        eff.apply(env, mask)  # type: ignore[arg-type]
        raw = state.v[:, col] - before
        after = np.clip(before + raw * total, low[col], high[col])
        state.v[:, col] = np.where(mask, after, before)
        actual = state.v[:, col] - before
        safe_total = np.where(np.abs(total) > 1e-12, total, 1.0)
        for src, sc in shares:
            state.contrib[:, col, src] += actual * (np.asarray(sc) / safe_total)


def nudge(game: Game, state: State, col: int, delta: F64 | float, source: int,
          mask: BoolArr | None = None) -> None:
    """A rule's own change to a variable, clamped and booked to one source."""
    low, high = _bounds(game)
    before = state.v[:, col].copy()
    d = np.broadcast_to(np.asarray(delta, dtype=np.float64), before.shape)
    if mask is not None:
        d = np.where(mask, d, 0.0)
    state.v[:, col] = np.clip(before + d, low[col], high[col])
    state.contrib[:, col, source] += state.v[:, col] - before
