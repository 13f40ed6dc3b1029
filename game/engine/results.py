"""Scores at the end of a game: growth, tenure, trust, promises, the trust dividend.

The dividend splits revenue growth by source. Customers attributed to each source
are tracked during play (see market.py); a change in revenue per customer is
booked to the sources that changed it. The parts add up to the total growth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from game.engine.constants import (
    SRC_MARKET,
    SRC_MARKETING,
    V_ARPU,
)
from game.engine.game import Game
from game.engine.state import State

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class Results:
    """Per-game outcomes for a batch (every field has the batch as its first axis)."""

    growth: F64               # revenue growth over the game, fraction
    revenue: F64              # final quarterly revenue, $M
    customers: F64
    enterprise_value: F64     # $M, a simple multiple of revenue and growth
    trust: F64                # (B, 2) final trust, CMO->CTO and CTO->CMO
    ownership: F64
    board: F64                # (B, 2)
    replacements: NDArray[np.int64]  # (B, 2)
    kept: NDArray[np.int64]          # (B, 2)
    broken: NDArray[np.int64]        # (B, 2)
    goarounds: NDArray[np.int64]     # (B, 2)
    discovered: NDArray[np.int64]    # (B, 2)
    dividend: F64             # (B, N_SOURCES) growth by source, fractions of starting revenue
    martech_roi: F64          # revenue earned by martech per $M spent on it
    ledger: F64               # (B, N_LEDGER) whole-game spend by line
    outcomes: NDArray[np.int64]  # (B, 3) projects finished: success, challenged, failed
    deadlocks: NDArray[np.int64]
    score: F64                # the scenario's weighted final score, 0 to 100

    @property
    def batch(self) -> int:
        return int(self.growth.shape[0])

    @property
    def promise_rate(self) -> F64:
        total = (self.kept + self.broken).sum(axis=1)
        result: F64 = np.where(total > 0, self.kept.sum(axis=1) / np.maximum(total, 1), 1.0)
        return result


def dividend(state: State) -> F64:
    """(B, N_SOURCES): revenue change by source, as a fraction of starting revenue."""
    arpu_t = state.v[:, V_ARPU]
    delta_c = state.c_src.copy()
    delta_c[:, SRC_MARKET] -= state.hist_customers[:, 0]
    parts = arpu_t[:, None] * delta_c
    c0 = state.hist_customers[:, 0]
    parts += c0[:, None] * state.contrib[:, :, V_ARPU]
    result: F64 = parts / state.revenue0[:, None]
    return result


def martech_revenue(state: State) -> F64:
    """(B,) revenue martech earned: marketing and gray-zone projects, whoever owns them,
    and a shadow tool's own lift (its consequences are the go-around line's). The joint
    bonus is left out: it is the relationship's, booked to joint work, and part of it
    comes from technology projects, which are not martech spend."""
    result: F64 = state.rev_src_cum[:, SRC_MARKETING] + state.rev_shadow_cum
    return result


def results(game: Game, state: State) -> Results:
    sc = game.scenario
    growth = state.revenue / state.revenue0 - 1.0
    div = dividend(state)
    roi = martech_revenue(state) / np.maximum(state.martech_spend, 1e-6)
    outcomes = state.outcome_counts.copy()
    kept = state.kept
    broken = state.broken
    total = (kept + broken).sum(axis=1)
    promise_rate = np.where(total > 0, kept.sum(axis=1) / np.maximum(total, 1), 1.0)
    w = sc.scoring
    wsum = max(w.growth + w.trust + w.ownership + w.promises, 1e-9)
    score = 100.0 * (w.growth * np.clip(0.5 + growth, 0.0, 1.0)
                     + w.trust * state.trust.mean(axis=1)
                     + w.ownership * state.ownership
                     + w.promises * promise_rate) / wsum
    return Results(
        growth=growth, revenue=state.revenue.copy(), customers=state.customers.copy(),
        enterprise_value=state.revenue * 4.0 * (3.0 + np.clip(growth, -0.5, 2.0)),
        trust=state.trust.copy(), ownership=state.ownership.copy(), board=state.board.copy(),
        replacements=state.replacements.copy(), kept=kept.copy(), broken=broken.copy(),
        goarounds=state.goarounds.copy(), discovered=state.discovered.copy(),
        dividend=div, martech_roi=roi, ledger=state.ledger_total.copy(), outcomes=outcomes,
        deadlocks=state.deadlocks.copy(), score=score,
    )

