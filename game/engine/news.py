"""Phase 1, news: events fire, the CEO grants the budget, each role reads its intel."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine import rng as rngs
from game.engine import trust
from game.engine.constants import (
    CMO,
    CTO,
    GRAY,
    L_PROJECTS,
    L_RELATIONSHIP,
    MARKETING,
    N_SIGNALS,
    SIGNALS,
    SRC_MARKET,
    SUCCESS,
    V_BUDGET_SHARE,
    V_CHANNEL,
    V_COMPETITION,
    V_DEBT,
    V_DEMAND,
    V_RELIABILITY,
    V_SECURITY,
    V_VENDOR,
    Phase,
)
from game.engine.game import Game
from game.engine.state import State
from game.engine.variables import apply_effects, environment

I64 = NDArray[np.int64]
BoolArr = NDArray[np.bool_]


def outage_chance(game: Game, state: State) -> np.ndarray:
    """This quarter's outage probability before operations spending is known."""
    v = state.v
    rate = game.scenario.market.outage_rate
    x = 3.0 * (v[:, V_DEBT] - 0.23) - 3.0 * (v[:, V_RELIABILITY] - 0.7)
    return np.clip(rate * np.exp(x), 0.0, 0.7)


def start_quarter(game: Game, state: State) -> None:
    """Open the next quarter: reset per-quarter flags, fire events, read intel."""
    assert state.phase in (Phase.SETUP, Phase.CLOSED), f"cannot start a quarter in {state.phase}"
    state.quarter += 1
    trust.retime(state)
    q = state.quarter
    b = state.batch
    gen = rngs.luck(state, q, rngs.PHASE_NEWS)
    u_events = gen.random((b, max(game.n_events, 1)))
    shock = gen.standard_normal(b)
    sig_noise = gen.standard_normal((b, 2, N_SIGNALS))

    state.moves[...] = False
    state.shared[...] = False
    state.frozen[...] = False
    state.incident[...] = False
    state.outcome_q[...] = False
    state.fired_q[...] = False
    state.acts[...] = False
    state.ledger[...] = 0.0
    state.shadow_active[...] = 0.0
    state.deadlock[...] = False
    state.board_delta[...] = 0.0
    state.round = 0

    # Events, in file order, each seeing the effects of the ones before it.
    for k in range(game.n_events):
        at = int(game.event_at[k])
        due = np.full(b, at == q) if at else u_events[:, k] < game.event_chance[k]
        if game.event_once[k]:
            due &= ~state.fired[:, k]
        cond = game.event_when[k]
        if cond is not None and due.any():
            due &= cond.evaluate(environment(game, state), b)
        if not due.any():
            continue
        state.fired[:, k] |= due
        state.fired_q[:, k] = due
        apply_effects(game, state, game.event_effects[k], due, [(SRC_MARKET, 1.0)])
        if game.event_chooser[k] >= 0:
            state.pending_choice[:, k] = due

    # This quarter's demand shock: the CMO reads it, noisily, as the demand trend.
    state.demand_next = shock * game.scenario.market.demand_noise

    # Private signals: every role's are computed; observations show only their own.
    v = state.v
    truth = np.stack([
        v[:, V_DEMAND] * np.exp(state.demand_next),
        v[:, V_CHANNEL],
        v[:, V_COMPETITION],
        v[:, V_DEBT],
        v[:, V_SECURITY],
        outage_chance(game, state),
        v[:, V_VENDOR],
    ], axis=1)
    for role, intel in ((CMO, game.scenario.intel.cmo), (CTO, game.scenario.intel.cto)):
        scale = np.array([intel.noise * (0.1 if s == "demand_trend" else 0.2) for s in SIGNALS])
        state.intel[:, role, :] = truth + sig_noise[:, role, :] * scale

    # The scenario's own private notes, for the roles whose conditions hold now.
    if state.briefed.shape[2]:
        env = environment(game, state)
        state.briefed[...] = False
        for role in (CMO, CTO):
            for i, (cond, _text) in enumerate(game.briefings[role]):
                state.briefed[:, role, i] = cond.evaluate(env, b)

    # The CEO's grant (a share of last quarter's revenue, or the scenario's schedule); a
    # liaison's salary comes off the top.
    sc = game.scenario
    if sc.budget.schedule:
        state.grant = np.full(b, sc.budget.schedule[q - 1])
    else:
        state.grant = np.maximum(sc.budget.minimum, v[:, V_BUDGET_SHARE] * state.revenue_prev)
    salary = np.where(state.liaison, sc.moves.hire_liaison.cost, 0.0)
    salary = np.minimum(salary, state.grant)
    state.ledger[:, L_RELATIONSHIP] += salary
    state.available = state.grant - salary
    if game.upkeep.any():
        # Finished projects' running costs come off next, booked as project spend.
        kept = state.status == SUCCESS
        upkeep = np.minimum(kept.astype(np.float64) @ game.upkeep, state.available)
        martech = (game.domain == MARKETING) | (game.domain == GRAY)
        martech_upkeep = (kept & martech[None, :]).astype(np.float64) @ game.upkeep
        state.ledger[:, L_PROJECTS] += upkeep
        state.martech_spend += np.minimum(martech_upkeep, upkeep)
        state.available = state.available - upkeep
    state.phase = int(Phase.NEWS)


def resolve_choices(game: Game, state: State, choices: np.ndarray | None = None) -> None:
    """Apply the options chosen for this quarter's events (the first option by default)."""
    assert state.phase == Phase.NEWS, f"no news to resolve in {state.phase}"
    b = state.batch
    for k in range(game.n_events):
        pending = state.pending_choice[:, k]
        if not pending.any():
            continue
        options = game.choice_effects[k]
        pick = np.zeros(b, dtype=np.int64) if choices is None else np.asarray(choices)[:, k]
        pick = np.clip(pick, 0, len(options) - 1)
        for i, effects in enumerate(options):
            apply_effects(game, state, effects, pending & (pick == i), [(SRC_MARKET, 1.0)])
        state.choice[:, k] = np.where(pending, pick, state.choice[:, k])
        _apply_outcomes(game, state, k, pending)
        state.pending_choice[:, k] = False
    state.phase = int(Phase.TALK)


def outcomes_drawn(game: Game, state: State) -> I64:
    """(B, E): which chance outcome the option taken this quarter drew for each event, -1
    for none. A pure function of the seed, the quarter and the options taken (their own
    luck stream), so the screens read it back the same as the rules applied it."""
    b, e = state.batch, game.n_events
    out: I64 = np.full((b, e), -1, dtype=np.int64)
    if not any(any(o) for o in game.choice_outcomes):
        return out
    u = rngs.luck(state, state.quarter, rngs.PHASE_OUTCOMES).random((b, max(e, 1)))[:, :e]
    for k, options in enumerate(game.choice_outcomes):
        for i, outcomes in enumerate(options):
            taken = state.choice[:, k] == i
            low = 0.0
            for m, (chance, _effects) in enumerate(outcomes):
                hit = taken & (u[:, k] >= low) & (u[:, k] < low + chance)
                out[:, k] = np.where(hit, m, out[:, k])
                low += chance
    return out


def _apply_outcomes(game: Game, state: State, k: int, mask: BoolArr) -> None:
    """The chance outcome each game's option of event `k` drew, where `mask` (decided now)."""
    options = game.choice_outcomes[k]
    if not any(options):
        return
    drawn = outcomes_drawn(game, state)[:, k]
    pick = state.choice[:, k]
    for i, outcomes in enumerate(options):
        for m, (_chance, effects) in enumerate(outcomes):
            apply_effects(game, state, effects, mask & (pick == i) & (drawn == m),
                          [(SRC_MARKET, 1.0)])


def inject_event(game: Game, state: State, k: int, choice: int = 0) -> None:
    """Fire event `k` now, outside its schedule (the facilitator's overlay).

    Its effects are booked to the market like any event; an event with options
    takes option `choice` at once, since its news phase has passed.
    """
    b = state.batch
    everyone = np.ones(b, dtype=np.bool_)
    apply_effects(game, state, game.event_effects[k], everyone, [(SRC_MARKET, 1.0)])
    state.fired[:, k] = True
    state.fired_q[:, k] = True
    options = game.choice_effects[k]
    if options:
        pick = min(max(choice, 0), len(options) - 1)
        apply_effects(game, state, options[pick], everyone, [(SRC_MARKET, 1.0)])
        state.choice[:, k] = pick
        _apply_outcomes(game, state, k, everyone)
    state.cache.clear()
