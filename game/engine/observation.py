"""What each role may see: public KPIs, its own intel, and what the other shared.

Like an OpenSpiel observer, this is the only door from the true state to a
player. Policies, the AI and the UI's private screens read observations, never
the state, so private intel cannot leak by accident.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from game.engine.constants import (
    ROLES,
    SIGNALS,
    V_BOARD_CMO,
    V_BOARD_CTO,
    V_BRAND,
    V_OWNERSHIP,
    V_RELIABILITY,
)
from game.engine.game import Game
from game.engine.portfolio import fundable, proposer
from game.engine.state import State
from game.engine.talk import move_mask

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
BoolArr = NDArray[np.bool_]


@dataclass(frozen=True)
class Observation:
    """One role's view of B games."""

    role: int
    quarter: int
    quarters: int
    phase: int
    proposer: int
    revenue: F64
    revenue0: F64
    customers: F64
    brand: F64
    reliability: F64          # uptime is public: everyone sees an outage
    trust: F64                # (B, 2) both meters are on the dashboard
    ownership: F64
    board: F64                # (B, 2)
    grant: F64
    available: F64
    status: I64               # (B, P)
    owner: I64                # (B, P)
    progress: F64             # (B, P)
    promise_kind: I64         # (B, 2) both promises are public
    promise_project: I64      # (B, 2)
    promise_due: I64          # (B, 2)
    liaison: BoolArr
    fired_q: BoolArr          # (B, E) public news this quarter
    pending_choice: BoolArr   # (B, E)
    outcome_q: BoolArr        # (B, P)
    incident: BoolArr         # (B, N_INCIDENTS) what this role must answer for
    seen: BoolArr             # (B, N_ACTS) what this role saw the other do last quarter
    shared_by_other: BoolArr  # (B,)
    kept: I64                 # (B, 2)
    broken: I64               # (B, 2)
    discovered: I64           # (B, 2)
    deadlock: BoolArr
    briefings: tuple[str, ...]  # this role's scenario briefings, by index
    briefed: BoolArr          # (B, len(briefings)) which of them show this quarter
    # Derived on first use: most phases never ask for them.
    _fundable: Callable[[], BoolArr] = field(repr=False, compare=False)
    _legal_moves: Callable[[], BoolArr] = field(repr=False, compare=False)
    _signals: Callable[[], dict[str, F64]] = field(repr=False, compare=False)

    @cached_property
    def fundable(self) -> BoolArr:
        """(B, P) projects that can be funded this quarter."""
        return self._fundable()

    @cached_property
    def signals(self) -> dict[str, F64]:
        """This role's own private signals, and the other's where shared this quarter
        (NaN where not)."""
        return self._signals()

    @cached_property
    def legal_moves(self) -> BoolArr:
        """(B, N_MOVES) relationship moves this role may make now."""
        return self._legal_moves()

    @property
    def batch(self) -> int:
        return int(self.revenue.shape[0])


def observe(game: Game, state: State, role: int) -> Observation:
    """Build `role`'s observation. Nothing private to the other role goes in,
    except the signals it chose to share this quarter.

    Arrays may be views into the state, and `fundable`, `legal_moves` and
    `signals` are worked out when first read: use an observation within the decision it was
    made for, do not keep it across phases or write to it.
    """
    other = 1 - role
    shared = state.shared[:, other]
    v = state.v
    return Observation(
        role=role, quarter=state.quarter, quarters=game.quarters, phase=state.phase,
        proposer=proposer(state),
        revenue=state.revenue, revenue0=state.revenue0,
        customers=state.customers, brand=v[:, V_BRAND],
        reliability=v[:, V_RELIABILITY], trust=state.trust,
        ownership=v[:, V_OWNERSHIP], board=v[:, [V_BOARD_CMO, V_BOARD_CTO]],
        grant=state.grant, available=state.available,
        status=state.status, owner=state.owner, progress=state.progress,
        promise_kind=state.promise_kind, promise_project=state.promise_project,
        promise_due=state.promise_due, liaison=state.liaison,
        fired_q=state.fired_q, pending_choice=state.pending_choice,
        outcome_q=state.outcome_q, incident=state.incident[:, role],
        seen=state.seen[:, role], shared_by_other=shared,
        kept=state.kept, broken=state.broken,
        discovered=state.discovered, deadlock=state.deadlock,
        briefings=tuple(text for _, text in game.briefings[role]),
        briefed=state.briefed[:, role, :len(game.briefings[role])],
        _fundable=lambda: fundable(game, state),
        _legal_moves=lambda: move_mask(game, state, role),
        _signals=lambda: _signals(game, state, role),
    )


def _signals(game: Game, state: State, role: int) -> dict[str, F64]:
    other = 1 - role
    mine = getattr(game.scenario.intel, ROLES[role]).signals
    theirs = getattr(game.scenario.intel, ROLES[other]).signals
    signals: dict[str, F64] = {}
    for name in mine:
        signals[name] = state.intel[:, role, SIGNALS.index(name)].copy()
    shared = state.shared[:, other]
    for name in theirs:
        if name in signals:
            continue
        signals[name] = np.where(shared, state.intel[:, other, SIGNALS.index(name)], np.nan)
    return signals
