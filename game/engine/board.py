"""Phase 6, the board: confidence moves every quarter; reviews replace the weakest.

Board confidence mixes company results with each executive's own KPIs, so a
selfish move that flatters your KPIs pays you now even as it costs the company.
Below the threshold at a review, the executive is replaced: the short tenures of
CMOs and CIOs are the game's hard lesson.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine import rng as rngs
from game.engine import trust
from game.engine.constants import (
    BOARD_COLUMNS,
    BREACH,
    CMO,
    CTO,
    N_ACTS,
    OUTAGE,
    PROMISE_NONE,
    SRC_GOAROUND,
    V_BRAND,
    V_RELIABILITY,
    V_SECURITY,
    Phase,
)
from game.engine.game import Game
from game.engine.state import State

F64 = NDArray[np.float64]

# The board hears the peer: it loses faith fast in an executive the peer has stopped
# trusting (ALIGNMENT_WEIGHT per point of the peer's trust below TRUSTED) and gains a
# little, at most ALIGNMENT_CAP above it, from a working relationship. More warmth than
# that earns nothing with the board, so a trusting partner can be taken advantage of a
# little unseen, and the best reply depends on the partner (issue 9).
ALIGNMENT_WEIGHT = 1.2
TRUSTED = 0.37  # the peer's trust at which the board neither gains nor loses faith
ALIGNMENT_CAP = 0.05
HEADROOM = 2.5  # a move counts in full up to 0.6 confidence, a quarter of it at 0.8


def close_quarter(game: Game, state: State) -> None:
    """Board confidence, memory, history; a review if one is due; the end if it is."""
    assert state.phase == Phase.BOARD, f"not the board phase: {state.phase}"
    sc = game.scenario
    br = sc.board
    q = state.quarter
    b = state.batch
    v = state.v
    gen = rngs.luck(state, q, rngs.PHASE_BOARD)
    noise = gen.standard_normal((b, 2)) * br.noise
    u_seen = gen.random((b, 2, N_ACTS))

    # The board judges growth against what the market alone would have given.
    growth = state.revenue / np.maximum(state.revenue_prev, 1e-9) - 1.0
    market_growth = (state.base_new - sc.market.churn * state.hist_customers[:, q - 1]) / (
        np.maximum(state.hist_customers[:, q - 1], 1e-9))
    company = np.clip((growth - market_growth) * 2.0, -0.08, 0.08)
    pipeline = np.clip(
        0.15 * (state.new_customers / np.maximum(state.base_new, 1e-9) - 1.0), -0.06, 0.06)
    cmo_own = pipeline + 0.2 * (v[:, V_BRAND] - state.v0[:, V_BRAND])
    # Exposure a go-around opened (the CMO's shadow tools) is not held against the CTO.
    exposure = (v[:, V_SECURITY] - state.v0[:, V_SECURITY]
                - state.contrib[:, SRC_GOAROUND, V_SECURITY])
    cto_own = (0.1 * (v[:, V_RELIABILITY] - state.v0[:, V_RELIABILITY])
               - 0.1 * exposure
               - 0.02 * state.incident[:, CTO, OUTAGE] - 0.02 * state.incident[:, CTO, BREACH])
    # Boards notice who pulls the C-suite together, not only the numbers: an executive
    # the peer trusts is one the board trusts, so each is judged on its own conduct.
    # The board hears of a rift a quarter late (the peer's trust as it stood when the
    # quarter began): a selfish move pays now and costs later.
    w = br.company_weight
    peer_trust = state.hist_trust[:, q - 1]
    for role, own in ((CMO, cmo_own), (CTO, cto_own)):
        col = BOARD_COLUMNS[role]
        alignment = ALIGNMENT_WEIGHT * np.minimum(peer_trust[:, 1 - role] - TRUSTED,
                                                  ALIGNMENT_CAP)
        delta = (w * company + (1.0 - w) * own + alignment + state.board_delta[:, role]
                 + noise[:, role]
                 + 0.15 * (br.start - v[:, col]))
        state.board_delta[:, role] = delta
        v[:, col] = np.clip(v[:, col] + delta * headroom(v[:, col], delta), 0.0, 1.0)

    # Memory: what each side saw the other do, through the noise of misreading.
    misread = sc.relationship.misread
    flip = u_seen < misread / 4.0
    state.seen[...] = np.where(flip, ~state.acts[:, ::-1, :], state.acts[:, ::-1, :])
    trust.forget(game, state)

    if q % br.review_every == 0:
        for role in (CMO, CTO):
            col = BOARD_COLUMNS[role]
            out = v[:, col] < br.threshold
            if not out.any():
                continue
            state.replacements[:, role] += out
            v[:, col] = np.where(out, br.start, v[:, col])
            trust.reset_for_newcomer(game, state, role, out)
            state.promise_kind[:, role] = np.where(out, PROMISE_NONE, state.promise_kind[:, role])
            state.promise_project[:, role] = np.where(out, -1, state.promise_project[:, role])
            state.tenure_start[:, role] = np.where(out, q + 1, state.tenure_start[:, role])
            state.hidden_goarounds[:, role] = np.where(out, 0, state.hidden_goarounds[:, role])

    trust.refresh(state)
    state.revenue_prev = state.revenue.copy()
    record_history(state)
    state.phase = int(Phase.END if q >= sc.quarters else Phase.CLOSED)


def headroom(level: F64, delta: F64) -> F64:
    """How much of a move the board's mood makes from where it is: praise counts for
    less the closer confidence is to full, and blame the closer it is to none, so a
    board never settles at the edge and late-game choices still show."""
    room = np.where(delta > 0.0, 1.0 - level, level)
    result: F64 = np.minimum(1.0, HEADROOM * room) ** 2
    return result


def record_history(state: State) -> None:
    """Write this quarter-end's column of the charts the debrief draws."""
    col = state.quarter
    state.hist_revenue[:, col] = state.revenue
    state.hist_trust[:, col] = state.trust
    state.hist_ownership[:, col] = state.ownership
    state.hist_board[:, col] = state.board
    state.hist_customers[:, col] = state.customers
    if not state.no_ledger:
        state.hist_why[:, col] = state.why
        state.why[...] = 0.0
