"""Playing whole games: the Policy protocol and the batched driver of a quarter.

The driver is the one place that knows the order of phases and the negotiation
protocol; `simulate`, the tests, the AI's look-ahead and the live session all
step games through it, so there is no second copy of the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from game.engine import trust
from game.engine.actions import Aftermath, Plan, Talk
from game.engine.aftermath import apply_aftermath
from game.engine.board import close_quarter, record_history
from game.engine.constants import CMO, CTO, Phase
from game.engine.execution import execute
from game.engine.game import Game
from game.engine.news import resolve_choices, start_quarter
from game.engine.observation import Observation, observe
from game.engine.portfolio import commit, plan_valid, proposer, sanitize
from game.engine.state import State, new_state
from game.engine.talk import apply_talk

BoolArr = NDArray[np.bool_]
I64 = NDArray[np.int64]


class Policy(Protocol):
    """A player for a batch of games: scripted, AI, or a recorded log."""

    name: str

    def choose_events(self, obs: Observation) -> I64: ...

    def talk(self, obs: Observation) -> Talk: ...

    def propose(self, obs: Observation, last: Plan | None) -> Plan: ...

    def respond(self, obs: Observation, plan: Plan) -> BoolArr: ...

    def aftermath(self, obs: Observation) -> Aftermath: ...


def begin(game: Game, batch: int, seed: int, stream: int = 0) -> State:
    """A fresh batch, with trust computed and the starting point on the charts."""
    state = new_state(game, batch, seed, stream)
    trust.refresh(state)
    record_history(state)
    return state


def negotiate(game: Game, state: State, policies: tuple[Policy, Policy], *,
              start_round: int = 0, last: Plan | None = None,
              offer: Plan | None = None) -> tuple[Plan, BoolArr]:
    """Proposals and counters for up to `negotiation_rounds`; returns the plan and agreement.

    `start_round`, `last` and `offer` resume a negotiation under way (the AI's
    look-ahead starts from the offer on the table rather than from round one).
    """
    b = state.batch
    rounds = game.scenario.budget.negotiation_rounds
    agreed = np.zeros(b, dtype=np.bool_)
    final = Plan.empty(b, game.n_projects)
    for r in range(start_round, rounds):
        state.round = r
        who = proposer(state)
        if offer is not None:
            plan, offer = offer, None
        else:
            plan = sanitize(game, state, policies[who].propose(observe(game, state, who), last))
        accept = policies[1 - who].respond(observe(game, state, 1 - who), plan)
        accept = accept & plan_valid(game, state, plan) & ~agreed
        final.fund = np.where(accept[:, None], plan.fund, final.fund)
        final.owner = np.where(accept[:, None], plan.owner, final.owner)
        final.campaign_share = np.where(accept, plan.campaign_share, final.campaign_share)
        agreed |= accept
        last = plan
        if agreed.all():
            break
    return final, agreed


def event_choices(game: Game, state: State, policies: tuple[Policy, Policy]) -> I64 | None:
    """Each pending event's option, asked of its chooser; None when nothing is pending."""
    if not state.pending_choice.any():
        return None
    result: I64 = np.where(game.event_chooser[None, :] == CMO,
                           policies[CMO].choose_events(observe(game, state, CMO)),
                           policies[CTO].choose_events(observe(game, state, CTO)))
    return result


def play_quarter(game: Game, state: State, policies: tuple[Policy, Policy]) -> None:
    """One quarter, all six phases, for the whole batch."""
    start_quarter(game, state)
    resolve_choices(game, state, event_choices(game, state, policies))
    apply_talk(game, state, policies[CMO].talk(observe(game, state, CMO)),
               policies[CTO].talk(observe(game, state, CTO)))
    plan, agreed = negotiate(game, state, policies)
    commit(game, state, plan, agreed)
    execute(game, state)
    apply_aftermath(game, state, policies[CMO].aftermath(observe(game, state, CMO)),
                    policies[CTO].aftermath(observe(game, state, CTO)))
    close_quarter(game, state)


def play(game: Game, policies: tuple[Policy, Policy], batch: int, seed: int, stream: int = 0,
         quarters: int | None = None,
         on_quarter: Callable[[State], None] | None = None) -> State:
    """Play `batch` games to the end (or for `quarters` quarters) and return the final state."""
    state = begin(game, batch, seed, stream)
    for _ in range(quarters or game.quarters):
        play_quarter(game, state, policies)
        if on_quarter is not None:
            on_quarter(state)
        if state.phase == Phase.END:
            break
    return state
