"""Phase 5, aftermath: owning, blaming, denying; sharing or taking credit.

Repair follows Kim et al.: after a competence failure, owning it repairs best
and blaming worst; after an integrity violation, denial repairs best unless
guilt is later proven, when it costs more than an apology would have.
Blame and credit-taking pay the actor with the board this quarter: that is the
dilemma the game is about.

Every item (finished project, incident) is handled at once as a column of a
matrix, so one quarter costs the same whether one project finished or ten.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine import rng as rngs
from game.engine import trust
from game.engine.actions import Aftermath
from game.engine.common import rowsum
from game.engine.constants import (
    ABILITY,
    ACT_BLAMED,
    ACT_OWNED,
    ACT_SHARED_CREDIT,
    ACT_TOOK_CREDIT,
    BENEVOLENCE,
    BLAME,
    BREACH,
    BROKEN_PROMISE,
    CHALLENGED,
    CIRCUMSTANCES,
    CMO,
    CTO,
    DENY,
    FAILED,
    GOAROUND_FOUND,
    INTEGRITY,
    N_INCIDENTS,
    OUTAGE,
    OWN,
    OWNER_JOINT,
    SRC_JOINT,
    SUCCESS,
    TAKE_CREDIT,
    V_OWNERSHIP,
    Phase,
)
from game.engine.game import Game
from game.engine.state import State
from game.engine.variables import nudge

BoolArr = NDArray[np.bool_]
I64 = NDArray[np.int64]
F64 = NDArray[np.float64]

COMPETENCE = [OUTAGE, BREACH]
INTEGRITY_VIOLATIONS = [GOAROUND_FOUND, BROKEN_PROMISE]
PROOF_CHANCE = 0.25  # a denied integrity violation is later proven this often
CHALLENGED_WEIGHT = 0.5  # a challenged project is a lesser failure than a failed one


def needs_response(game: Game, state: State, role: int) -> tuple[BoolArr, BoolArr]:
    """(B, P) finished projects `role` co-owns, (B, N_INCIDENTS) incidents it answers for."""
    mine = state.outcome_q & ((state.owner == role) | (state.owner == OWNER_JOINT))
    result: tuple[BoolArr, BoolArr] = (mine, state.incident[:, role, :].copy())
    return result


class _Ledger:
    """Evidence, board and ownership changes summed over items before they are applied."""

    def __init__(self, b: int) -> None:
        self.good = np.zeros((3, b))
        self.bad = np.zeros((3, b))
        self.board_self = np.zeros(b)
        self.board_other = np.zeros(b)
        self.ownership = np.zeros(b)

    def add(self, dim: int, amount: F64) -> None:
        """Add signed (B, items) amounts, summed over items."""
        pos = rowsum(np.maximum(amount, 0.0))
        self.good[dim] += pos
        self.bad[dim] += pos - rowsum(amount)


def _competence(led: _Ledger, resp: I64, weight: F64, u: F64, misread: float) -> tuple[
        BoolArr, BoolArr]:
    """Answers to failures of ability; `weight` is 0 where there is nothing to answer."""
    own = (resp == OWN) * weight
    circ = (resp == CIRCUMSTANCES) * weight
    blame = (resp == BLAME) * weight
    deny = (resp == DENY) * weight
    led.add(ABILITY, 0.5 * own + 0.2 * circ)
    led.add(INTEGRITY, np.where(u < misread, -0.25, 0.5) * own - 0.4 * blame - 0.3 * deny)
    led.add(BENEVOLENCE, 0.2 * own - 0.8 * blame)
    blamed = rowsum(blame)
    led.board_self += rowsum(-0.02 * own + 0.01 * deny) + 0.04 * blamed
    led.board_other -= 0.05 * blamed
    led.ownership -= 0.06 * blamed
    return blamed > 0, rowsum(own) > 0


def _integrity(led: _Ledger, resp: I64, mask: BoolArr, proof: BoolArr) -> tuple[
        BoolArr, BoolArr, BoolArr]:
    """Answers to integrity violations; a denial that is later proven costs the most."""
    own = mask & (resp == OWN)
    circ = mask & (resp == CIRCUMSTANCES)
    blame = mask & (resp == BLAME)
    deny = mask & (resp == DENY)
    caught = deny & proof[:, None]
    # An apology for an integrity lapse confirms the lapse (Kim et al. 2004): it buys
    # goodwill but little integrity; a denial repairs more unless it is disproved.
    led.add(INTEGRITY, 0.8 * (deny & ~caught) - 0.5 * caught + 0.05 * own + 0.1 * circ
            - 0.6 * blame)
    led.add(BENEVOLENCE, 0.2 * own - 0.6 * blame)
    led.board_self += (-0.02 * own + 0.02 * blame - 0.03 * caught).sum(axis=1)
    led.board_other -= 0.03 * blame.sum(axis=1)
    return blame.any(axis=1), own.any(axis=1), caught.any(axis=1)


def apply_aftermath(game: Game, state: State, cmo: Aftermath, cto: Aftermath) -> None:
    """Both executives' responses take effect together.

    Only the games where something needs an answer are computed: most quarters, most
    games have nothing to own, blame or share.
    """
    assert state.phase == Phase.AFTERMATH, f"not the aftermath phase: {state.phase}"
    b = state.batch
    p = game.n_projects
    misread = game.scenario.relationship.misread
    gen = rngs.stream(state.seed, state.stream, state.quarter, rngs.PHASE_AFTERMATH)
    u_all = gen.random((b, 2, max(p, 1) + N_INCIDENTS))
    proof_all = gen.random((b, 2)) < PROOF_CHANCE
    finished = state.outcome_q.any(axis=1)
    for role, answer in ((CMO, cmo), (CTO, cto)):
        other = 1 - role
        rows = np.flatnonzero(finished | state.incident[:, role, :].any(axis=1))
        if rows.size == 0:
            continue
        u = u_all[rows, other]
        st = state.status[rows]
        owner = state.owner[rows]
        projects = state.outcome_q[rows] & ((owner == role) | (owner == OWNER_JOINT))
        incidents = state.incident[rows, role, :]
        led = _Ledger(rows.size)
        resp_p = np.clip(np.asarray(answer.project)[rows], 0, 3)
        resp_i = np.clip(np.asarray(answer.incident)[rows], 0, 3)
        weight = (projects & (st == FAILED)) + CHALLENGED_WEIGHT * (projects & (st == CHALLENGED))
        blamed_p, owned_p = _competence(led, resp_p, weight, u[:, :p], misread)
        inc_weight = incidents[:, COMPETENCE].astype(np.float64)
        blamed_i, owned_i = _competence(led, resp_i[:, COMPETENCE], inc_weight,
                                        u[:, p:p + len(COMPETENCE)], misread)
        blamed_v, owned_v, caught = _integrity(
            led, resp_i[:, INTEGRITY_VIOLATIONS], incidents[:, INTEGRITY_VIOLATIONS],
            proof_all[rows, role])

        good = projects & (st == SUCCESS)
        take = good & (resp_p == TAKE_CREDIT)
        share = good & ~take
        led.add(BENEVOLENCE, np.where(u[:, :p] < misread, -0.3, 0.6) * share - 0.5 * take)
        shared_n = rowsum(share)
        taken_n = rowsum(take)
        led.ownership += 0.02 * shared_n - 0.03 * taken_n
        led.board_other += 0.02 * shared_n - 0.015 * taken_n
        led.board_self += 0.04 * taken_n

        rel = game.scenario.relationship
        early = rel.early_breach_multiplier if state.quarter <= rel.early_quarters else 1.0
        for dim in range(3):
            state.good[rows, other, dim] += led.good[dim]
            state.bad[rows, other, dim] += led.bad[dim] * (rel.asymmetry * early)
        found = np.zeros(b, dtype=np.bool_)
        found[rows] = caught
        trust.lower_ceiling(game, state, other, found)
        state.board_delta[rows, role] += led.board_self
        state.board_delta[rows, other] += led.board_other
        ownership = np.zeros(b)
        ownership[rows] = led.ownership
        nudge(game, state, V_OWNERSHIP, ownership, SRC_JOINT, ownership != 0.0)
        state.acts[rows, role, ACT_BLAMED] |= blamed_p | blamed_i | blamed_v
        state.acts[rows, role, ACT_OWNED] |= owned_p | owned_i | owned_v
        state.acts[rows, role, ACT_TOOK_CREDIT] |= taken_n > 0
        state.acts[rows, role, ACT_SHARED_CREDIT] |= shared_n > 0

        bad = weight > 0
        counts = np.stack([rowsum(bad & (resp_p == r)) + rowsum(incidents & (resp_i == r))
                           for r in range(4)] + [shared_n, taken_n], axis=1)
        state.responses[rows, role, :] += counts.astype(np.int64)
    trust.refresh(state)
    state.phase = int(Phase.BOARD)
