"""Playing whole games: the Policy protocol and the batched driver of a quarter.

The driver is the one place that knows the order of phases and the negotiation
protocol; `simulate`, the tests, the AI's look-ahead and the live session all
step games through it, so there is no second copy of the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

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


@dataclass
class QuarterLog:
    """Everything decided in one quarter, for game records and replays."""

    choices: list[Any] = field(default_factory=list)
    talk: list[dict[str, Any]] = field(default_factory=list)
    proposals: list[dict[str, Any]] = field(default_factory=list)
    accepted: list[list[bool]] = field(default_factory=list)
    aftermath: list[dict[str, Any]] = field(default_factory=list)


def negotiate(game: Game, state: State, policies: tuple[Policy, Policy],
              log: QuarterLog | None = None) -> tuple[Plan, BoolArr]:
    """Proposals and counters for up to `negotiation_rounds`; returns the plan and agreement."""
    b = state.batch
    rounds = game.scenario.budget.negotiation_rounds
    agreed = np.zeros(b, dtype=np.bool_)
    final = Plan.empty(b, game.n_projects)
    last: Plan | None = None
    for r in range(rounds):
        state.round = r
        who = proposer(state)
        plan = sanitize(game, state, policies[who].propose(observe(game, state, who), last))
        accept = policies[1 - who].respond(observe(game, state, 1 - who), plan)
        accept = accept & plan_valid(game, state, plan) & ~agreed
        if log is not None:
            log.proposals.append(plan.to_dict())
            log.accepted.append(accept.tolist())
        final.fund = np.where(accept[:, None], plan.fund, final.fund)
        final.owner = np.where(accept[:, None], plan.owner, final.owner)
        final.campaign_share = np.where(accept, plan.campaign_share, final.campaign_share)
        agreed |= accept
        last = plan
        if agreed.all():
            break
    return final, agreed


def play_quarter(game: Game, state: State, policies: tuple[Policy, Policy],
                 log: QuarterLog | None = None) -> None:
    """One quarter, all six phases, for the whole batch."""
    start_quarter(game, state)
    choices = None
    if state.pending_choice.any():
        choices = np.where(game.event_chooser[None, :] == CMO,
                           policies[CMO].choose_events(observe(game, state, CMO)),
                           policies[CTO].choose_events(observe(game, state, CTO)))
    if log is not None:
        log.choices.append(None if choices is None else choices.tolist())
    resolve_choices(game, state, choices)
    talks = (policies[CMO].talk(observe(game, state, CMO)),
             policies[CTO].talk(observe(game, state, CTO)))
    if log is not None:
        log.talk.extend(t.to_dict() for t in talks)
    apply_talk(game, state, talks[CMO], talks[CTO])
    plan, agreed = negotiate(game, state, policies, log)
    commit(game, state, plan, agreed)
    execute(game, state)
    answers = (policies[CMO].aftermath(observe(game, state, CMO)),
               policies[CTO].aftermath(observe(game, state, CTO)))
    if log is not None:
        log.aftermath.extend(a.to_dict() for a in answers)
    apply_aftermath(game, state, answers[CMO], answers[CTO])
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
