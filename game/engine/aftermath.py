"""Phase 5, aftermath: owning, blaming, denying; sharing or taking credit.

Repair follows Kim et al.: after a competence failure, owning it repairs best
and blaming worst; after an integrity violation, denial repairs best unless
guilt is later proven (PROOF_CHANCE), when it costs clearly more than an apology
would have. The proof chance makes denial a gamble rather than the sure choice:
on average it leaves trust about where an apology does and the board lower.
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
PROOF_CHANCE = 0.4  # a denied integrity violation is later proven this often (docs/engine.md)
CHALLENGED_WEIGHT = 0.5  # a challenged project is a lesser failure than a failed one
# What the board makes of each answer, in confidence per item: blame and credit-taking
# pay their actor now and cost the other; owning a failure costs a little now.
BLAME_PAY = 0.025
BLAME_HURT = 0.07
OWN_COST = 0.02
DENY_PAY = 0.01
LAPSE_BLAME_PAY = 0.02  # blaming the other for one's own integrity lapse
LAPSE_BLAME_HURT = 0.03
CAUGHT_COST = 0.06  # a denial later proven false
CREDIT_PAY = 0.025
CREDIT_HURT = 0.015
SHARE_GIFT = 0.02  # what shared credit gives the other with the board
# The order the trust ledger's sequential split measures the aftermath's causes in.
_CAUSE_ORDER = [trust.CAUSE_OWNED, trust.CAUSE_EXCUSE, trust.CAUSE_DENIAL,
                trust.CAUSE_DENIAL_PROVEN, trust.CAUSE_BLAME, trust.CAUSE_CREDIT_SHARED,
                trust.CAUSE_CREDIT_TAKEN, trust.CAUSE_MISREAD]


def needs_response(game: Game, state: State, role: int) -> tuple[BoolArr, BoolArr]:
    """(B, P) finished projects `role` co-owns, (B, N_INCIDENTS) incidents it answers for."""
    mine = state.outcome_q & ((state.owner == role) | (state.owner == OWNER_JOINT))
    result: tuple[BoolArr, BoolArr] = (mine, state.incident[:, role, :].copy())
    return result


class _Ledger:
    """Evidence, board and ownership changes summed per game before they are applied.

    Items (a finished project, an incident) arrive as flat lists with the game each
    belongs to, so the work scales with what happened, not with games x projects.
    """

    def __init__(self, b: int, ledger: bool = True) -> None:
        self.b = b
        self.ledger = ledger
        self.good = np.zeros((3, b))
        self.bad = np.zeros((3, b))
        self.board_self = np.zeros(b)
        self.board_other = np.zeros(b)
        self.ownership = np.zeros(b)
        # The same evidence by cause (trust.CAUSE_*), for the trust ledger only.
        self.parts: dict[int, tuple[F64, F64]] = {}

    def part(self, cause: int, dim: int, amount: F64) -> None:
        """Book signed per-game amounts (B,) to `cause`, for the ledger's split."""
        if not self.ledger:
            return
        if cause not in self.parts:
            self.parts[cause] = (np.zeros((3, self.b)), np.zeros((3, self.b)))
        good, bad = self.parts[cause]
        good[dim] += np.maximum(amount, 0.0)
        bad[dim] += np.maximum(-amount, 0.0)

    def part_items(self, cause: int, dim: int, rows: I64, amount: F64) -> None:
        """Book signed per-item amounts to `cause` (one response per item, so one sign)."""
        if rows.size and self.ledger:
            self.part(cause, dim, self.per_game(rows, amount))

    def split(self) -> list[tuple[int, F64, F64]]:
        """The parts in the ledger's order of causes."""
        return [(c, *self.parts[c]) for c in sorted(self.parts, key=_CAUSE_ORDER.index)]

    def per_game(self, rows: I64, values: F64 | BoolArr) -> F64:
        result: F64 = np.bincount(rows, weights=np.asarray(values, dtype=np.float64),
                                  minlength=self.b).astype(np.float64, copy=False)
        return result

    def add(self, dim: int, rows: I64, amount: F64) -> None:
        """Add signed per-item amounts to each item's game."""
        self.good[dim] += self.per_game(rows, np.maximum(amount, 0.0))
        self.bad[dim] += self.per_game(rows, np.maximum(-amount, 0.0))


def _competence(led: _Ledger, rows: I64, resp: I64, weight: F64, u: F64,
                misread: float) -> tuple[BoolArr, BoolArr]:
    """Answers to failures of ability, one entry per item needing an answer."""
    own = (resp == OWN) * weight
    circ = (resp == CIRCUMSTANCES) * weight
    blame = (resp == BLAME) * weight
    deny = (resp == DENY) * weight
    led.add(ABILITY, rows, 0.5 * own + 0.2 * circ)
    led.add(INTEGRITY, rows, np.where(u < misread, -0.25, 0.5) * own - 0.4 * blame - 0.3 * deny)
    led.add(BENEVOLENCE, rows, 0.2 * own - 0.8 * blame)
    misread_own = np.where(u < misread, own, 0.0)
    led.part_items(trust.CAUSE_OWNED, ABILITY, rows, 0.5 * own)
    led.part_items(trust.CAUSE_EXCUSE, ABILITY, rows, 0.2 * circ)
    led.part_items(trust.CAUSE_OWNED, INTEGRITY, rows, 0.5 * (own - misread_own))
    led.part_items(trust.CAUSE_MISREAD, INTEGRITY, rows, -0.25 * misread_own)
    led.part_items(trust.CAUSE_BLAME, INTEGRITY, rows, -0.4 * blame)
    led.part_items(trust.CAUSE_DENIAL, INTEGRITY, rows, -0.3 * deny)
    led.part_items(trust.CAUSE_OWNED, BENEVOLENCE, rows, 0.2 * own)
    led.part_items(trust.CAUSE_BLAME, BENEVOLENCE, rows, -0.8 * blame)
    blamed = led.per_game(rows, blame)
    led.board_self += led.per_game(rows, -OWN_COST * own + DENY_PAY * deny) + BLAME_PAY * blamed
    led.board_other -= BLAME_HURT * blamed
    led.ownership -= 0.06 * blamed
    return blamed > 0, led.per_game(rows, own) > 0


def _integrity(led: _Ledger, resp: I64, mask: BoolArr, proof: BoolArr) -> tuple[
        BoolArr, BoolArr, BoolArr]:
    """Answers to integrity violations (B, k); a denial later disproved costs the most."""
    own = mask & (resp == OWN)
    circ = mask & (resp == CIRCUMSTANCES)
    blame = mask & (resp == BLAME)
    deny = mask & (resp == DENY)
    caught = deny & proof[:, None]
    # An apology for an integrity lapse confirms the lapse (Kim et al. 2004): it buys
    # goodwill but little integrity; a denial repairs more unless it is disproved.
    amount = (1.0 * (deny & ~caught) - 0.5 * caught + 0.05 * own + 0.1 * circ - 0.6 * blame)
    led.good[INTEGRITY] += rowsum(np.maximum(amount, 0.0))
    led.bad[INTEGRITY] += rowsum(np.maximum(-amount, 0.0))
    goodwill = 0.2 * own - 0.6 * blame
    led.good[BENEVOLENCE] += rowsum(np.maximum(goodwill, 0.0))
    led.bad[BENEVOLENCE] += rowsum(np.maximum(-goodwill, 0.0))
    if mask.any() and led.ledger:
        led.part(trust.CAUSE_DENIAL, INTEGRITY, rowsum(1.0 * (deny & ~caught)))
        led.part(trust.CAUSE_DENIAL_PROVEN, INTEGRITY, rowsum(-0.5 * caught))
        led.part(trust.CAUSE_OWNED, INTEGRITY, rowsum(0.05 * own))
        led.part(trust.CAUSE_EXCUSE, INTEGRITY, rowsum(0.1 * circ))
        led.part(trust.CAUSE_BLAME, INTEGRITY, rowsum(-0.6 * blame))
        led.part(trust.CAUSE_OWNED, BENEVOLENCE, rowsum(0.2 * own))
        led.part(trust.CAUSE_BLAME, BENEVOLENCE, rowsum(-0.6 * blame))
    # Owning a lapse the other already saw costs nothing more with the board; a lie
    # found out does.
    led.board_self += rowsum(LAPSE_BLAME_PAY * blame - CAUGHT_COST * caught)
    led.board_other -= LAPSE_BLAME_HURT * rowsum(blame)
    return blame.any(axis=1), own.any(axis=1), caught.any(axis=1)


def apply_aftermath(game: Game, state: State, cmo: Aftermath, cto: Aftermath) -> None:
    """Both executives' responses take effect together."""
    assert state.phase == Phase.AFTERMATH, f"not the aftermath phase: {state.phase}"
    b = state.batch
    p = game.n_projects
    rel = game.scenario.relationship
    misread = rel.misread
    gen = rngs.luck(state, state.quarter, rngs.PHASE_AFTERMATH)
    u_all = gen.random((b, 2, max(p, 1) + N_INCIDENTS))
    proof = gen.random((b, 2)) < PROOF_CHANCE
    comp = np.array(COMPETENCE)
    for role, answer in ((CMO, cmo), (CTO, cto)):
        other = 1 - role
        led = _Ledger(b, not state.no_ledger)
        # Finished projects this role co-owns, as a flat list of (game, project).
        mine = state.outcome_q & ((state.owner == role) | (state.owner == OWNER_JOINT))
        pr, pj = np.nonzero(mine)
        st = state.status[pr, pj]
        resp = np.clip(np.asarray(answer.project)[pr, pj], 0, 3)
        u = u_all[pr, other, pj]
        weight = np.where(st == FAILED, 1.0, np.where(st == CHALLENGED, CHALLENGED_WEIGHT, 0.0))
        bad = weight > 0
        blamed_p, owned_p = _competence(led, pr[bad], resp[bad], weight[bad], u[bad], misread)

        incidents = state.incident[:, role, :]
        resp_inc = np.clip(np.asarray(answer.incident), 0, 3)
        ir, ik = np.nonzero(incidents[:, comp])
        blamed_i, owned_i = _competence(led, ir, resp_inc[ir, comp[ik]], np.ones(ir.size),
                                        u_all[ir, other, p + ik], misread)
        blamed_v, owned_v, caught = _integrity(
            led, resp_inc[:, INTEGRITY_VIOLATIONS], incidents[:, INTEGRITY_VIOLATIONS],
            proof[:, role])

        good = st == SUCCESS
        take = good & (resp == TAKE_CREDIT)
        share = good & ~take
        led.add(BENEVOLENCE, pr, np.where(u < misread, -0.3, 0.6) * share - 0.5 * take)
        misread_share = share & (u < misread)
        led.part_items(trust.CAUSE_CREDIT_SHARED, BENEVOLENCE, pr, 0.6 * (share & ~misread_share))
        led.part_items(trust.CAUSE_MISREAD, BENEVOLENCE, pr, -0.3 * misread_share)
        led.part_items(trust.CAUSE_CREDIT_TAKEN, BENEVOLENCE, pr, -0.5 * take)
        shared_n = led.per_game(pr, share)
        taken_n = led.per_game(pr, take)
        led.ownership += 0.02 * shared_n - 0.03 * taken_n
        led.board_other += SHARE_GIFT * shared_n - CREDIT_HURT * taken_n
        led.board_self += CREDIT_PAY * taken_n

        trust.evidence_split(game, state, other, led.good, led.bad, led.split())
        trust.lower_ceiling(game, state, other, caught)
        state.board_delta[:, role] += led.board_self
        state.board_delta[:, other] += led.board_other
        nudge(game, state, V_OWNERSHIP, led.ownership, SRC_JOINT, led.ownership != 0.0)
        state.acts[:, role, ACT_BLAMED] |= blamed_p | blamed_i | blamed_v
        state.acts[:, role, ACT_OWNED] |= owned_p | owned_i | owned_v
        state.acts[:, role, ACT_TOOK_CREDIT] |= taken_n > 0
        state.acts[:, role, ACT_SHARED_CREDIT] |= shared_n > 0

        counts = np.stack(
            [led.per_game(pr, bad & (resp == r)) + rowsum(incidents & (resp_inc == r))
             for r in range(4)] + [shared_n, taken_n], axis=1)
        state.responses[:, role, :] += counts.astype(np.int64)
    trust.refresh(state)
    state.phase = int(Phase.BOARD)
