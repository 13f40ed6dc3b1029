"""Phase 3, budget and portfolio: which projects, who owns them, how the rest is split.

One executive proposes, the other accepts or counters for a few rounds; with no
deal the CEO imposes a default and the board notices. Every quarter the ledger
lines add up to the grant exactly: the budget is conserved.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine import layout, trust
from game.engine.actions import Plan
from game.engine.constants import (
    ACT_JOINT,
    BENEVOLENCE,
    CMO,
    CTO,
    FAILED,
    GRAY,
    IDLE,
    L_CAMPAIGNS,
    L_OPERATIONS,
    L_PROJECTS,
    L_SHADOW,
    MARKETING,
    OWNER_CMO,
    OWNER_JOINT,
    PROMISE_DELIVER,
    PROMISE_FUND,
    RUNNING,
    SRC_JOINT,
    V_OWNERSHIP,
    Phase,
)
from game.engine.game import Game
from game.engine.promises import settle
from game.engine.state import State
from game.engine.variables import environment, nudge

BoolArr = NDArray[np.bool_]
F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


def proposer(state: State) -> int:
    """Who proposes in the current round: the CMO opens odd quarters, the CTO even ones."""
    return (state.quarter + 1 + state.round) % 2


def _in_window(game: Game, quarter: int) -> BoolArr:
    """(P,): projects the scenario offers in `quarter`."""
    result: BoolArr = (game.from_quarter <= quarter) & (quarter <= game.until_quarter)
    return result


def _free(game: Game, state: State) -> BoolArr:
    """(B, P): projects not under way and not already done (unless they can run again)."""
    st = state.status
    result: BoolArr = (st == IDLE) | (st == FAILED) | ((st != RUNNING) & game.repeatable[None, :])
    return result


def fundable(game: Game, state: State) -> BoolArr:
    """(B, P): projects that can be funded this quarter (cached for the phase)."""
    key = ("fundable", state.quarter, state.phase)
    cached = state.cache.get("fundable")
    if cached is not None and cached[0] == key:
        result: BoolArr = cached[1]
        return result
    ok: BoolArr = _in_window(game, state.quarter)[None, :] & _free(game, state)
    _allowed(game, state, ok)
    state.cache["fundable"] = (key, ok)
    return ok


def _allowed(game: Game, state: State, ok: BoolArr) -> None:
    """Clear in `ok` (B, P) the projects whose scenario condition does not hold now."""
    env = environment(game, state)
    for j, cond in enumerate(game.project_when):
        if cond is not None:
            ok[:, j] &= cond.evaluate(env, state.batch)


def promisable(game: Game, state: State, role: int, kind: int) -> BoolArr:
    """(B, P): projects `role` may name in a promise of `kind` made now.

    A promise to fund is due next quarter, so it may name only a project that can
    be funded by then: one on the table now, or one free that the scenario opens
    next quarter (its condition read as it stands now). A promise to deliver names
    a project under way that `role` (co-)owns: only an owner can land it. A promise
    nobody could keep is no promise, so `apply_talk` drops it like an illegal move.
    """
    if kind == PROMISE_DELIVER:
        owner = state.owner
        mine: BoolArr = (state.status == RUNNING) & ((owner == role) | (owner == OWNER_JOINT))
        return mine
    if kind != PROMISE_FUND:
        return np.zeros_like(state.status, dtype=np.bool_)
    due = state.quarter + 1
    opens = _in_window(game, due) & ~_in_window(game, state.quarter) & (due <= game.quarters)
    later: BoolArr = opens[None, :] & _free(game, state)
    if later.any():
        _allowed(game, state, later)
    result: BoolArr = fundable(game, state) | later
    return result


# Why a project cannot be funded now: the first reason a player would want to hear.
CAN_FUND = 0
UNDER_WAY = 1       # running
NOT_YET = 2         # before the quarter the scenario first offers it
NO_LONGER = 3       # after the last quarter it is offered
DONE = 4            # finished and not repeatable
NOT_POSSIBLE = 5    # the scenario's own condition for it does not hold


def why_not_fundable(game: Game, state: State) -> I64:
    """(B, P): CAN_FUND where `fundable` says so, else the reason it does not (above)."""
    q = state.quarter
    running = state.status == RUNNING
    why: I64 = np.where(fundable(game, state), CAN_FUND, NOT_POSSIBLE).astype(np.int64)
    why[~_free(game, state) & ~running] = DONE
    why[:, q > game.until_quarter] = NO_LONGER
    why[:, q < game.from_quarter] = NOT_YET
    why[running] = UNDER_WAY
    return why


def plan_cost(game: Game, plan: Plan) -> F64:
    result: F64 = layout.rowsum(plan.fund * game.cost[None, :])
    return result


def over_budget(game: Game, state: State, plan: Plan) -> BoolArr:
    """(B,): the plan's projects cost more than the budget on the table."""
    result: BoolArr = plan_cost(game, plan) > state.available + 1e-9
    return result


def _rest(available: F64, spend: F64) -> F64:
    """What is left for campaigns and operations once the projects are paid."""
    result: F64 = np.maximum(available - spend, 0.0)
    return result


def plan_split(game: Game, state: State, plan: Plan) -> tuple[F64, F64, F64]:
    """(B,) each: what the plan leaves after its projects, and that rest split between
    campaigns and operations as agreed (on paper: a hidden shadow tool is not in it)."""
    rest = _rest(state.available, plan_cost(game, plan))
    campaigns: F64 = plan.campaign_share * rest
    return rest, campaigns, rest - campaigns


def single_owned(game: Game, plan: Plan) -> BoolArr:
    """(B, P): cards the plan funds with one owner that the scenario lets only both own."""
    result: BoolArr = plan.fund & game.joint_only[None, :] & (plan.owner != OWNER_JOINT)
    return result


def plan_valid(game: Game, state: State, plan: Plan) -> BoolArr:
    """(B,): whether the plan can be carried out as proposed."""
    ok = ~(plan.fund & ~fundable(game, state)).any(axis=1)
    ok &= ~over_budget(game, state, plan)
    ok &= (plan.campaign_share >= 0.0) & (plan.campaign_share <= 1.0)
    ok &= ((plan.owner >= OWNER_CMO) & (plan.owner <= OWNER_JOINT) | ~plan.fund).all(axis=1)
    ok &= ~single_owned(game, plan).any(axis=1)
    result: BoolArr = ok
    return result


def plan_problems(game: Game, state: State, plan: Plan, index: int = 0) -> list[str]:
    """For one game: every reason the plan cannot stand, in words a player reads."""
    problems: list[str] = []
    why = why_not_fundable(game, state)[index]
    for j in np.flatnonzero(plan.fund[index]):
        if why[j] != CAN_FUND:
            title = game.scenario.projects[j].title
            if why[j] == UNDER_WAY:
                problems.append(f"'{title}' is already under way")
            else:
                problems.append(f"'{title}' is not on the table this quarter")
        if not 0 <= int(plan.owner[index, j]) <= OWNER_JOINT:
            problems.append(f"'{game.scenario.projects[j].title}' needs an owner")
        elif single_owned(game, plan)[index, j]:
            problems.append(f"'{game.scenario.projects[j].title}' can only be owned jointly: "
                            "choose Joint")
    if over_budget(game, state, plan)[index]:
        cost = float(plan_cost(game, plan)[index])
        problems.append(f"over budget by {cost - float(state.available[index]):.1f}M")
    share = float(plan.campaign_share[index])
    if not 0.0 <= share <= 1.0:
        problems.append("the campaign share must be between 0% and 100%")
    return problems


def sanitize(game: Game, state: State, plan: Plan) -> Plan:
    """The nearest legal plan: unavailable projects dropped, a card only both may own
    made joint, the dearest cut until it fits."""
    out = plan.copy()
    out.fund &= fundable(game, state)
    out.owner = np.clip(out.owner, OWNER_CMO, OWNER_JOINT)
    out.owner = np.where(single_owned(game, out), OWNER_JOINT, out.owner)
    out.campaign_share = np.clip(np.nan_to_num(out.campaign_share, nan=0.5), 0.0, 1.0)
    order = np.argsort(-game.cost)
    for j in order:
        over = over_budget(game, state, out)
        if not over.any():
            break
        out.fund[:, j] &= ~over
    return out


def ceo_default(game: Game, state: State) -> Plan:
    """No deal: no new projects; the CEO splits the budget between campaigns and operations."""
    return Plan.empty(state.batch, game.n_projects, game.scenario.budget.ceo_campaign_share)


def commit(game: Game, state: State, plan: Plan, agreed: BoolArr) -> None:
    """Carry out the agreed plan where `agreed`, the CEO's default elsewhere."""
    assert state.phase == Phase.BUDGET, f"not the budget phase: {state.phase}"
    q = state.quarter
    default = ceo_default(game, state)
    legal = plan_valid(game, state, plan)
    take = agreed & legal
    fund = np.where(take[:, None], plan.fund, default.fund)
    owner = np.where(take[:, None], plan.owner, default.owner)
    share = np.where(take, plan.campaign_share, default.campaign_share)

    dead = ~take
    state.deadlock = dead
    state.deadlocks += dead
    penalty = game.scenario.budget.deadlock_board_penalty
    state.board_delta -= np.where(dead, penalty, 0.0)[:, None]
    nudge(game, state, V_OWNERSHIP, -0.03, SRC_JOINT, dead)

    state.plan_fund = fund
    state.plan_owner = np.where(fund, owner, 0)
    state.plan_campaign = share
    start = fund
    state.status = np.where(start, RUNNING, state.status)
    state.owner = np.where(start, owner, state.owner)
    state.progress = np.where(start, 0.0, state.progress)
    state.started = np.where(start, q, state.started)
    state.finished = np.where(start, 0, state.finished)
    state.reviewed = np.where(start, False, state.reviewed)

    spend = layout.rowsum(fund * game.cost[None, :])
    martech = ((game.domain == MARKETING) | (game.domain == GRAY))[None, :]
    state.martech_spend += layout.dot(fund & martech, game.cost)
    rest = _rest(state.available, spend)
    # A hidden shadow tool is paid out of the campaign line first (the CMO's own
    # money), then operations; on paper the split is as agreed.
    shadow = np.minimum(state.shadow_active * game.scenario.moves.go_around.cost, rest)
    campaigns = np.maximum(share * rest - shadow, 0.0)
    state.ledger[:, L_PROJECTS] += spend
    state.ledger[:, L_SHADOW] += shadow
    state.ledger[:, L_CAMPAIGNS] += campaigns
    state.ledger[:, L_OPERATIONS] += rest - shadow - campaigns
    state.martech_spend += shadow
    state.available = np.zeros(state.batch)
    state.ledger_total += state.ledger

    joint = (fund & (owner == OWNER_JOINT)).sum(axis=1)
    nudge(game, state, V_OWNERSHIP, 0.03 * joint, SRC_JOINT)
    # Whoever proposed joint ownership is seen to share the risk.
    has_joint = joint > 0
    for role in (CMO, CTO):
        state.acts[:, role, ACT_JOINT] |= has_joint
    trust.evidence(game, state, CMO, BENEVOLENCE, 0.2, has_joint, cause=trust.CAUSE_JOINT)
    trust.evidence(game, state, CTO, BENEVOLENCE, 0.2, has_joint, cause=trust.CAUSE_JOINT)

    # Promises to fund: kept at any budget, from the promise's own quarter to its due
    # quarter, that funds the project (it is then under way or done when the promise
    # falls due); broken at the due budget otherwise.
    for role in (CMO, CTO):
        open_ = state.promise_kind[:, role] == PROMISE_FUND
        if not open_.any():
            continue
        due = open_ & (state.promise_due[:, role] <= q)
        target = np.clip(state.promise_project[:, role], 0, game.n_projects - 1)
        funded = fund[np.arange(state.batch), target]
        settle(game, state, role, open_ & funded, due & ~funded)
    state.phase = int(Phase.EXECUTION)
