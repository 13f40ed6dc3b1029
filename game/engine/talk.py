"""Phase 2, talk: relationship moves, their costs, and what the other side makes of them."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine import layout, trust
from game.engine import rng as rngs
from game.engine.actions import Talk
from game.engine.common import roadmap_active
from game.engine.constants import (
    ABILITY,
    ACT_MET,
    ACT_SHARED,
    ACT_WENT_AROUND,
    BENEVOLENCE,
    CMO,
    CTO,
    GO_AROUND,
    GOAROUND_FOUND,
    GRAY,
    HACK_WEEK,
    HIRE_LIAISON,
    INTEGRITY,
    L_RELATIONSHIP,
    MARKETING,
    MOVES,
    N_MOVES,
    ONE_ON_ONE,
    OWNER_CTO,
    PROMISE,
    PROMISE_DELIVER,
    PROMISE_FUND,
    PROMISE_NONE,
    ROADMAP_REVIEW,
    RUNNING,
    SHARE_INTEL,
    SRC_GOAROUND,
    SRC_JOINT,
    V_DEBT,
    V_OWNERSHIP,
    V_PLATFORM,
    V_SECURITY,
    Phase,
)
from game.engine.game import Game
from game.engine.portfolio import promisable
from game.engine.state import State
from game.engine.variables import nudge
from game.scenario.models import Move

BoolArr = NDArray[np.bool_]
F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

HACK_WEEK_GAP = 4  # quarters: once a year
# What going around earns the actor with the board this quarter: the CMO's fast
# shadow tool shows in the pipeline too; the CTO's 'standards' win is all here.
GOAROUND_PAYOFF = (0.05, 0.07)
FREEZE_SAFETY = 0.01  # what a standards freeze takes off security exposure
DISCOVERY_COST = 0.04  # board confidence lost when a go-around comes to light
ONE_STORY = 0.015  # board confidence for one story to the board: both sharing their
# numbers, a roadmap review that puts both teams' plans in one, a hack week called
SHADOW_DEBT = 0.008  # technical debt a shadow tool leaves
SHADOW_EXPOSURE = 0.06  # security exposure it opens: the worse of its hidden costs


def move_rule(game: Game, move: int) -> Move:
    rule: Move = getattr(game.scenario.moves, MOVES[move])
    return rule


def move_cost(game: Game, move: int, role: int) -> float:
    """Budget a move costs; the CTO's go-around (a freeze) costs no budget."""
    if move == GO_AROUND and role == CTO:
        return 0.0
    return move_rule(game, move).cost


def attention_points(game: Game) -> int:
    """Attention points each executive has for moves in a quarter."""
    return game.scenario.moves.attention


def attention_costs(game: Game) -> I64:
    """(N_MOVES,): the attention points each move takes."""
    return np.array([move_rule(game, m).attention for m in range(N_MOVES)])


def attention_used(game: Game, moves: BoolArr) -> I64:
    """(B,): the attention points a set of moves (B, N_MOVES) takes."""
    result: I64 = (moves * attention_costs(game)).sum(axis=1)
    return result


def attention_left(game: Game, moves: BoolArr) -> I64:
    """(B,): the attention points left after a set of moves (negative when it is too many)."""
    result: I64 = attention_points(game) - attention_used(game, moves)
    return result


def moves_cost(game: Game, role: int, moves: BoolArr) -> F64:
    """(B,): the budget a set of `role`'s moves (B, N_MOVES) costs."""
    cost = np.array([move_cost(game, m, role) for m in range(N_MOVES)])
    result: F64 = (moves * cost).sum(axis=1)
    return result


def move_mask(game: Game, state: State, role: int) -> BoolArr:
    """(B, N_MOVES): which moves `role` may make now, each on its own."""
    b = state.batch
    mask = layout.zeros((b, N_MOVES), dtype=np.bool_)
    attention = attention_points(game)
    for m in range(N_MOVES):
        rule = move_rule(game, m)
        ok = np.full(b, rule.enabled and rule.attention <= attention)
        ok &= state.available >= move_cost(game, m, role) - 1e-9
        if m == HACK_WEEK:
            ok &= state.quarter - state.hack_last >= HACK_WEEK_GAP
        elif m == HIRE_LIAISON:
            ok &= ~state.liaison
        elif m == PROMISE:
            ok &= state.promise_kind[:, role] == PROMISE_NONE
        mask[:, m] = ok
    return mask


def move_problems(game: Game, state: State, role: int, index: int = 0) -> dict[str, str | None]:
    """For one game: each move and why it is not allowed (None when it is)."""
    out: dict[str, str | None] = {}
    attention = attention_points(game)
    for m, name in enumerate(MOVES):
        rule = move_rule(game, m)
        cost = move_cost(game, m, role)
        avail = float(state.available[index])
        why: str | None = None
        if not rule.enabled:
            why = "not part of this scenario"
        elif rule.attention > attention:
            why = f"needs {rule.attention} attention points; you have {attention}"
        elif avail < cost - 1e-9:
            why = f"over budget by {cost - avail:.1f}M"
        elif m == HACK_WEEK and state.quarter - int(state.hack_last[index]) < HACK_WEEK_GAP:
            why = f"once a year: the last was in Q{int(state.hack_last[index])}"
        elif m == HIRE_LIAISON and bool(state.liaison[index]):
            why = "a liaison is already on the team"
        elif m == PROMISE and int(state.promise_kind[index, role]) != PROMISE_NONE:
            why = "you already have a promise open"
        out[name] = why
    return out


def moves_problems(game: Game, state: State, role: int, moves: BoolArr,
                   index: int = 0) -> list[str]:
    """For one game: why a set of moves (B, N_MOVES) cannot all be made together, beyond
    each move's own reasons (`move_problems`): the attention points and the budget."""
    problems: list[str] = []
    used = int(attention_used(game, moves)[index])
    attention = attention_points(game)
    if used > attention:
        problems.append(f"needs {used} attention points; you have {attention}")
    spend = float(moves_cost(game, role, moves)[index])
    avail = float(state.available[index])
    if spend > avail + 1e-9:
        problems.append(f"over budget by {spend - avail:.1f}M")
    return problems


def fit_attention(game: Game, moves: BoolArr) -> BoolArr:
    """Drop moves, last first, until the attention points suffice."""
    used = np.cumsum(moves * attention_costs(game), axis=1)
    result: BoolArr = moves & (used <= attention_points(game))
    return result


def apply_talk(game: Game, state: State, cmo: Talk, cto: Talk) -> None:
    """Both roles' moves take effect together."""
    assert state.phase == Phase.TALK, f"not the talk phase: {state.phase}"
    b = state.batch
    q = state.quarter
    rel = game.scenario.relationship
    gen = rngs.luck(state, q, rngs.PHASE_TALK)
    u = gen.random((b, 2, 8))
    u_found = gen.random((b, 2))

    talks = (cmo, cto)
    moves = layout.zeros((b, 2, N_MOVES), dtype=np.bool_)
    for role in (CMO, CTO):
        moves[:, role] = fit_attention(game, talks[role].moves & move_mask(game, state, role))
        kind = talks[role].promise_kind
        ok_promise = (kind == PROMISE_FUND) | (kind == PROMISE_DELIVER)
        ok_promise &= (talks[role].promise_project >= 0)
        ok_promise &= talks[role].promise_project < game.n_projects
        moves[:, role, PROMISE] &= ok_promise
        if moves[:, role, PROMISE].any():
            # Only a project that can still be funded (or delivered) by the due
            # quarter can be promised; any other promise is dropped like an illegal move.
            target = np.clip(talks[role].promise_project, 0, max(game.n_projects - 1, 0))
            rows = np.arange(b)
            can = np.where(kind == PROMISE_FUND,
                           promisable(game, state, role, PROMISE_FUND)[rows, target],
                           promisable(game, state, role, PROMISE_DELIVER)[rows, target])
            moves[:, role, PROMISE] &= can

    # Budget: hack week is charged once even if both call it; drop what cannot be paid.
    # The CMO's shadow tool must be affordable now but is paid at commit, out of the
    # campaign line, so the shared budget on the table does not give it away.
    hack = moves[:, :, HACK_WEEK].any(axis=1)
    costs = {
        "hack": np.where(hack, move_rule(game, HACK_WEEK).cost, 0.0),
        "liaison": np.where(moves[:, :, HIRE_LIAISON].any(axis=1),
                            move_rule(game, HIRE_LIAISON).cost, 0.0),
        "shadow": np.where(moves[:, CMO, GO_AROUND], move_rule(game, GO_AROUND).cost, 0.0),
    }
    for key, move, roles in (("shadow", GO_AROUND, (CMO,)), ("hack", HACK_WEEK, (CMO, CTO)),
                             ("liaison", HIRE_LIAISON, (CMO, CTO))):
        over = sum(costs.values()) > state.available + 1e-9
        if over.any():
            costs[key] = np.where(over, 0.0, costs[key])
            for r in roles:
                moves[:, r, move] &= ~over
    hack = np.asarray(moves[:, :, HACK_WEEK].any(axis=1), dtype=np.bool_)
    state.available = state.available - costs["hack"] - costs["liaison"]
    state.ledger[:, L_RELATIONSHIP] += costs["hack"] + costs["liaison"]
    state.moves[...] = moves
    state.move_counts += moves

    active_review = roadmap_active(state)
    for role in (CMO, CTO):
        other = 1 - role
        mv = moves[:, role]
        # Share intel: the other reads my signals and sees goodwill.
        state.shared[:, role] = mv[:, SHARE_INTEL]
        trust.evidence(game, state, other, BENEVOLENCE,
                       trust.misread(0.6, u[:, other, 0], rel.misread), mv[:, SHARE_INTEL],
                       cause=trust.CAUSE_INTEL, misread_mask=u[:, other, 0] < rel.misread)
        state.acts[:, role, ACT_SHARED] = mv[:, SHARE_INTEL]
        # Both sharing their numbers gives the board one story instead of two: mutual
        # cooperation pays each of them this quarter, which one-sided goodwill does not.
        mutual = mv[:, SHARE_INTEL] & moves[:, other, SHARE_INTEL]
        state.board_delta[:, role] += np.where(mutual, ONE_STORY, 0.0)
        # One-on-one: rapport both ways, a little more if both made time.
        met = mv[:, ONE_ON_ONE]
        both = moves[:, other, ONE_ON_ONE]
        trust.evidence(game, state, other, BENEVOLENCE,
                       trust.misread(0.35, u[:, other, 1], rel.misread) + 0.15 * both, met,
                       cause=trust.CAUSE_MEETING, misread_mask=u[:, other, 1] < rel.misread)
        trust.evidence(game, state, role, BENEVOLENCE, 0.2, met, cause=trust.CAUSE_MEETING)
        nudge(game, state, V_OWNERSHIP, 0.01, SRC_JOINT, met)
        state.acts[:, role, ACT_MET] = met
        # Roadmap review: shared plans, fewer coordination failures for two quarters.
        review = mv[:, ROADMAP_REVIEW]
        state.roadmap_until = np.where(review, q + 1, state.roadmap_until)
        nudge(game, state, V_OWNERSHIP, 0.06, SRC_JOINT, review)
        trust.evidence(game, state, other, INTEGRITY, 0.3, review, cause=trust.CAUSE_ROADMAP)
        trust.evidence(game, state, role, INTEGRITY, 0.3, review, cause=trust.CAUSE_ROADMAP)
        state.board_delta[:, role] += np.where(review, ONE_STORY, 0.0)  # a plan the board sees
        # Liaison: less friction for good, visible goodwill.
        hire = mv[:, HIRE_LIAISON]
        state.liaison |= hire
        nudge(game, state, V_OWNERSHIP, 0.04, SRC_JOINT, hire)
        trust.evidence(game, state, other, BENEVOLENCE, 0.3, hire, cause=trust.CAUSE_LIAISON)
        # Promises: recorded now, judged when due.
        prom = mv[:, PROMISE]
        state.promise_kind[:, role] = np.where(prom, talks[role].promise_kind,
                                               state.promise_kind[:, role])
        state.promise_project[:, role] = np.where(prom, talks[role].promise_project,
                                                  state.promise_project[:, role])
        due = np.where(talks[role].promise_kind == PROMISE_FUND, q + 1,
                       np.maximum(talks[role].promise_due, q + 1))
        state.promise_due[:, role] = np.where(prom, due, state.promise_due[:, role])

    # Hack week: both teams build together once a year.
    state.hack_last = np.where(hack, q, state.hack_last)
    for role in (CMO, CTO):  # both teams building together is one story too
        state.board_delta[:, role] += np.where(moves[:, role, HACK_WEEK], ONE_STORY, 0.0)
    nudge(game, state, V_OWNERSHIP, 0.05, SRC_JOINT, hack)
    nudge(game, state, V_PLATFORM, 0.02, SRC_JOINT, hack)
    for role in (CMO, CTO):
        trust.evidence(game, state, role, ABILITY, 0.4, hack, cause=trust.CAUSE_HACK_WEEK)
        trust.evidence(game, state, role, BENEVOLENCE, 0.4, hack, cause=trust.CAUSE_HACK_WEEK)

    # Going around: fast and personally rewarding, with hidden costs.
    cmo_around = moves[:, CMO, GO_AROUND]
    state.shadow_active = cmo_around.astype(np.float64)
    nudge(game, state, V_DEBT, SHADOW_DEBT, SRC_GOAROUND, cmo_around)
    nudge(game, state, V_SECURITY, SHADOW_EXPOSURE, SRC_GOAROUND, cmo_around)
    cto_around = moves[:, CTO, GO_AROUND]
    marketing_side = (game.domain == MARKETING) | (game.domain == GRAY)
    # A 'standards review' holds up, once each, every running project the CMO's team
    # touches on the marketing side, joint work included: the CTO's safety first is
    # the company's delay.
    state.frozen = (cto_around[:, None] & (state.status == RUNNING) & ~state.reviewed
                    & (state.owner != OWNER_CTO) & marketing_side[None, :])
    state.reviewed |= state.frozen
    nudge(game, state, V_SECURITY, -FREEZE_SAFETY, SRC_GOAROUND, cto_around)
    for role, around in ((CMO, cmo_around), (CTO, cto_around)):
        state.goarounds[:, role] += around
        state.board_delta[:, role] += np.where(around, GOAROUND_PAYOFF[role], 0.0)
        # Some go-arounds are noticed at once; the rest stay hidden for now.
        p_found = 0.25 + 0.2 * state.liaison + 0.15 * active_review
        found = around & (u_found[:, role] < p_found)
        state.hidden_goarounds[:, role] += around & ~found
        state.acts[:, role, ACT_WENT_AROUND] = found
        reveal_goaround(game, state, role, found)
    trust.refresh(state)
    state.phase = int(Phase.BUDGET)


def reveal_goaround(game: Game, state: State, role: int, found: BoolArr) -> None:
    """A go-around comes to light: an integrity violation, and a lower ceiling for good."""
    if not found.any():
        return
    other = 1 - role
    trust.evidence(game, state, other, INTEGRITY, -1.0, found, cause=trust.CAUSE_GOAROUND)
    trust.evidence(game, state, other, BENEVOLENCE, -0.6, found, cause=trust.CAUSE_GOAROUND)
    weight = np.where(found, trust.bad_weight(game, state), 0.0)
    state.bad_goaround[:, other, INTEGRITY] += 1.0 * weight
    state.bad_goaround[:, other, BENEVOLENCE] += 0.6 * weight
    trust.lower_ceiling(game, state, other, found, goaround=True)
    nudge(game, state, V_OWNERSHIP, -0.08, SRC_GOAROUND, found)
    state.discovered[:, role] += found
    state.incident[:, role, GOAROUND_FOUND] |= found
    state.acts[:, role, ACT_WENT_AROUND] |= found
    state.board_delta[:, role] -= np.where(found, DISCOVERY_COST, 0.0)
