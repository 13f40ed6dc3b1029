"""Phase 5, aftermath: owning, blaming, denying; sharing or taking credit.

Repair follows Kim et al.: after a competence failure, owning it repairs best
and blaming worst; after an integrity violation, denial repairs best unless
guilt is later proven, when it costs more than an apology would have.
Blame and credit-taking pay the actor with the board this quarter: that is the
dilemma the game is about.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine import rng as rngs
from game.engine import trust
from game.engine.actions import Aftermath
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

COMPETENCE = (OUTAGE, BREACH)
INTEGRITY_VIOLATIONS = (GOAROUND_FOUND, BROKEN_PROMISE)
PROOF_CHANCE = 0.4  # a denied integrity violation is later proven this often


def needs_response(game: Game, state: State, role: int) -> tuple[BoolArr, BoolArr]:
    """(B, P) finished projects `role` co-owns, (B, N_INCIDENTS) incidents it answers for."""
    mine = state.outcome_q & ((state.owner == role) | (state.owner == OWNER_JOINT))
    result: tuple[BoolArr, BoolArr] = (mine, state.incident[:, role, :].copy())
    return result


def _competence(game: Game, state: State, role: int, resp: I64, mask: BoolArr,
                u: NDArray[np.float64], weight: float = 1.0) -> None:
    """Answer to a failure of ability (a failed project, an outage, a breach)."""
    rel = game.scenario.relationship
    other = 1 - role
    own = mask & (resp == OWN)
    circ = mask & (resp == CIRCUMSTANCES)
    blame = mask & (resp == BLAME)
    deny = mask & (resp == DENY)
    trust.evidence(game, state, other, ABILITY, weight * 0.5, own)
    trust.evidence(game, state, other, INTEGRITY,
                   weight * trust.misread(0.5, u, rel.misread), own)
    trust.evidence(game, state, other, BENEVOLENCE, weight * 0.2, own)
    trust.evidence(game, state, other, ABILITY, weight * 0.2, circ)
    trust.evidence(game, state, other, BENEVOLENCE, -weight * 0.8, blame)
    trust.evidence(game, state, other, INTEGRITY, -weight * 0.4, blame)
    trust.evidence(game, state, other, INTEGRITY, -weight * 0.3, deny)
    state.board_delta[:, role] += weight * (-0.02 * own + 0.04 * blame + 0.01 * deny)
    state.board_delta[:, other] -= weight * 0.05 * blame
    nudge(game, state, V_OWNERSHIP, -0.06 * weight, SRC_JOINT, blame)
    state.acts[:, role, ACT_BLAMED] |= blame
    state.acts[:, role, ACT_OWNED] |= own


def _integrity(game: Game, state: State, role: int, resp: I64, mask: BoolArr,
               proof: BoolArr) -> None:
    """Answer to a violation of integrity (a go-around found out, a promise broken)."""
    other = 1 - role
    own = mask & (resp == OWN)
    circ = mask & (resp == CIRCUMSTANCES)
    blame = mask & (resp == BLAME)
    deny = mask & (resp == DENY)
    caught = deny & proof
    trust.evidence(game, state, other, INTEGRITY, 0.6, deny & ~proof)
    trust.evidence(game, state, other, INTEGRITY, -1.2, caught)
    trust.lower_ceiling(game, state, other, caught)
    trust.evidence(game, state, other, INTEGRITY, 0.35, own)
    trust.evidence(game, state, other, BENEVOLENCE, 0.3, own)
    trust.evidence(game, state, other, INTEGRITY, 0.15, circ)
    trust.evidence(game, state, other, INTEGRITY, -0.6, blame)
    trust.evidence(game, state, other, BENEVOLENCE, -0.6, blame)
    state.board_delta[:, role] += -0.02 * own + 0.02 * blame - 0.03 * caught
    state.board_delta[:, other] -= 0.03 * blame
    state.acts[:, role, ACT_BLAMED] |= blame
    state.acts[:, role, ACT_OWNED] |= own


def apply_aftermath(game: Game, state: State, cmo: Aftermath, cto: Aftermath) -> None:
    """Both executives' responses take effect together."""
    assert state.phase == Phase.AFTERMATH, f"not the aftermath phase: {state.phase}"
    b = state.batch
    p = game.n_projects
    rel = game.scenario.relationship
    gen = rngs.stream(state.seed, state.stream, state.quarter, rngs.PHASE_AFTERMATH)
    u = gen.random((b, 2, max(p, 1) + N_INCIDENTS))
    proof = gen.random((b, 2)) < PROOF_CHANCE
    for role, answer in ((CMO, cmo), (CTO, cto)):
        other = 1 - role
        projects, incidents = needs_response(game, state, role)
        resp_p = np.clip(answer.project, 0, 3)
        for j in np.flatnonzero(projects.any(axis=0)):
            mine = projects[:, j]
            st = state.status[:, j]
            bad = mine & ((st == FAILED) | (st == CHALLENGED))
            # A challenged project is a lesser failure than a failed one.
            _competence(game, state, role, resp_p[:, j], mine & (st == FAILED), u[:, other, j])
            _competence(game, state, role, resp_p[:, j], mine & (st == CHALLENGED),
                        u[:, other, j], 0.5)
            good = mine & (st == SUCCESS)
            take = good & (resp_p[:, j] == TAKE_CREDIT)
            share = good & ~take
            trust.evidence(game, state, other, BENEVOLENCE,
                           trust.misread(0.6, u[:, other, j], rel.misread), share)
            trust.evidence(game, state, other, BENEVOLENCE, -0.5, take)
            nudge(game, state, V_OWNERSHIP, 0.02, SRC_JOINT, share)
            nudge(game, state, V_OWNERSHIP, -0.03, SRC_JOINT, take)
            state.board_delta[:, other] += 0.02 * share - 0.015 * take
            state.board_delta[:, role] += 0.04 * take
            state.acts[:, role, ACT_TOOK_CREDIT] |= take
            state.acts[:, role, ACT_SHARED_CREDIT] |= share
            state.responses[:, role, 4] += share
            state.responses[:, role, 5] += take
            for r in range(4):
                state.responses[:, role, r] += bad & (resp_p[:, j] == r)
        resp_i = np.clip(answer.incident, 0, 3)
        for k in COMPETENCE:
            _competence(game, state, role, resp_i[:, k], incidents[:, k], u[:, other, p + k])
        for k in INTEGRITY_VIOLATIONS:
            _integrity(game, state, role, resp_i[:, k], incidents[:, k], proof[:, role])
        for r in range(4):
            state.responses[:, role, r] += (incidents & (resp_i == r)).sum(axis=1)
    state.phase = int(Phase.BOARD)
