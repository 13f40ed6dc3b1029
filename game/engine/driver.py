"""The quarter, written once: a resumable step machine that says what it needs next.

`Driver` walks a batch of games through the phases of a quarter (news, event
choices, talk, the negotiation protocol, execution, aftermath, board) and stops
wherever a player must decide, with a `Request` that names the kind of decision,
the role and what the decision answers (the plan on the table, the one turned
down). `apply` takes the decision and the machine goes on. Everything between
decisions is automatic. Like OpenSpiel's `current_player` / `apply_action`, the
driver is the only code that knows the order of phases: Monte Carlo (`play`),
the AI's look-ahead and the live session all step games through it.

Where a batch stands inside a quarter is the engine `State` (its phase and
negotiation round) plus a small `Progress` (decisions collected but not yet
applied, the plans of the negotiation under way, the views shown), so a game
can be resumed from any point: a copy of both is a copy of the game.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from game.engine import layout, trust
from game.engine.actions import Aftermath, Plan, Talk
from game.engine.aftermath import apply_aftermath
from game.engine.board import close_quarter, record_history
from game.engine.constants import CMO, CTO, Phase
from game.engine.execution import execute
from game.engine.game import Game
from game.engine.news import inject_event, resolve_choices, start_quarter
from game.engine.observation import Observation, observe
from game.engine.portfolio import commit, plan_valid, proposer, sanitize
from game.engine.state import State, new_state
from game.engine.talk import apply_talk

BoolArr = NDArray[np.bool_]
I64 = NDArray[np.int64]

ROLES_IN_ORDER = (CMO, CTO)


class Need(StrEnum):
    """What the game waits for. Decisions have a role; views (live games only) have none."""

    EVENT = "event"          # options for this quarter's events: I64 (B, E)
    TALK = "talk"            # relationship moves: Talk
    PROPOSE = "propose"      # a budget plan: Plan
    RESPOND = "respond"      # accept the plan on the table: BoolArr (B,)
    AFTERMATH = "aftermath"  # own, blame, share credit: Aftermath
    NEWS = "news"            # the quarter's headlines (a view)
    RESULTS = "results"      # what execution brought (a view)
    BOARD = "board"          # the board's verdict (a view)


VIEWS = frozenset({Need.NEWS, Need.RESULTS, Need.BOARD})


@dataclass(frozen=True)
class Request:
    """One thing the game needs next, and what the decision answers."""

    kind: Need
    role: int | None          # who decides; None for a view
    quarter: int
    round: int = 0            # negotiation round (propose, respond)
    last: Plan | None = None  # propose: the plan turned down last round
    offer: Plan | None = None  # respond: the plan on the table (sanitised)

    @property
    def is_view(self) -> bool:
        return self.kind in VIEWS


class Policy(Protocol):
    """A player for a batch of games: scripted, an AI counterpart, a recorded log.

    One method: the driver says what it needs (`request`) and the player answers
    with the decision of that kind (see `Need`) for every game of the batch.
    """

    name: str

    def decide(self, obs: Observation, request: Request) -> Any: ...


class ByKind:
    """A policy written as one handler per kind of decision; `decide` routes to them.

    Handlers: `_events(obs)`, `_talk(obs)`, `_propose(obs, last)`,
    `_respond(obs, offer)`, `_aftermath(obs)`.
    """

    name = "policy"

    def decide(self, obs: Observation, request: Request) -> Any:
        kind = request.kind
        if kind == Need.EVENT:
            return self._events(obs)
        if kind == Need.TALK:
            return self._talk(obs)
        if kind == Need.PROPOSE:
            return self._propose(obs, request.last)
        if kind == Need.RESPOND:
            assert request.offer is not None
            return self._respond(obs, request.offer)
        if kind == Need.AFTERMATH:
            return self._aftermath(obs)
        raise ValueError(f"{kind} is not a decision")

    def _events(self, obs: Observation) -> I64:
        """By default every event takes its first option."""
        return np.zeros(obs.pending_choice.shape, dtype=np.int64)

    def _talk(self, obs: Observation) -> Talk:
        raise NotImplementedError(f"{type(self).__name__} makes no such decision")

    def _propose(self, obs: Observation, last: Plan | None) -> Plan:
        raise NotImplementedError(f"{type(self).__name__} makes no such decision")

    def _respond(self, obs: Observation, offer: Plan) -> BoolArr:
        raise NotImplementedError(f"{type(self).__name__} makes no such decision")

    def _aftermath(self, obs: Observation) -> Aftermath:
        raise NotImplementedError(f"{type(self).__name__} makes no such decision")


Listener = Callable[[str, State, State], None]
"""Told after each automatic phase: (phase name, state before, state after)."""


@dataclass
class Progress:
    """What a quarter has collected beyond the State: decisions given but not yet
    applied, the negotiation under way, and the views shown (live games)."""

    picks: dict[int, I64] = field(default_factory=dict)
    talks: dict[int, Talk] = field(default_factory=dict)
    answers: dict[int, Aftermath] = field(default_factory=dict)
    last: Plan | None = None       # turned down last round
    offer: Plan | None = None      # on the table, waiting for an answer
    final: Plan | None = None      # what has been agreed so far, per game
    agreed: BoolArr | None = None  # (B,) games that agreed
    history: list[tuple[int, Plan, BoolArr]] = field(default_factory=list)
    """This quarter's proposals: (proposer, plan, accepted per game)."""
    shown: set[str] = field(default_factory=set)

    def copy(self) -> Progress:
        return Progress(dict(self.picks), dict(self.talks), dict(self.answers), self.last,
                        self.offer, self.final,
                        None if self.agreed is None else self.agreed.copy(),
                        list(self.history), set(self.shown))

    def public(self, rows: int) -> Progress:
        """What both sides know, for `rows` copies of game 0: the negotiation's plans.

        Decisions the other role has given but that are not yet applied (its talk,
        its event pick, its aftermath answer) are private, so they are left out.
        """
        idx = np.zeros(rows, dtype=np.int64)

        def take(plan: Plan | None) -> Plan | None:
            if plan is None:
                return None
            return Plan(plan.fund[idx], plan.owner[idx], plan.campaign_share[idx])

        return Progress(last=take(self.last), offer=take(self.offer), final=take(self.final),
                        agreed=None if self.agreed is None else self.agreed[idx])


def begin(game: Game, batch: int, seed: int, stream: int = 0,
          shared_luck: bool = False, ledger: bool = True) -> State:
    """A fresh batch, with trust computed and the starting point on the charts
    (`shared_luck`: every row lives the luck of the B = 1 game of `seed`; without
    `ledger`, no record of why trust moved, for Monte Carlo that only counts outcomes)."""
    state = new_state(game, batch, seed, stream, shared_luck)
    state.no_ledger = not ledger
    trust.refresh(state)
    trust.start_ledger(state)
    record_history(state)
    return state


def choosers(game: Game, state: State) -> list[int]:
    """Roles with an event option to choose in any game of the batch, CMO first."""
    pending = state.pending_choice.any(axis=0)
    return [r for r in ROLES_IN_ORDER if bool((pending & (game.event_chooser == r)).any())]


class Driver:
    """Steps a batch of games through quarters, stopping at each decision.

    `views` makes it stop at the public screens too (news, results, board), for a
    live game; `listener` hears about every automatic phase with the state before
    and after it (only then are copies made).
    """

    def __init__(self, game: Game, state: State, progress: Progress | None = None, *,
                 views: bool = False, listener: Listener | None = None) -> None:
        self.game = game
        self.state = state
        self.progress = progress if progress is not None else Progress()
        self.views = views
        self.listener = listener

    # -- what is next --------------------------------------------------------------
    def request(self, start: bool = True) -> Request | None:
        """What the game needs now, running every automatic phase on the way.

        None once the game is over, or (with `start` False) where a new quarter
        would begin. Asking again without applying anything gives the same
        request and changes nothing.
        """
        game, st, pr = self.game, self.state, self.progress
        while True:
            phase = st.phase
            q = st.quarter
            if phase in (Phase.SETUP, Phase.CLOSED, Phase.END):
                if self.views and q > 0 and Need.BOARD not in pr.shown:
                    return Request(Need.BOARD, None, q)
                if phase == Phase.END or not start:
                    return None
                self._auto("news", lambda: start_quarter(game, st))
                self.progress = pr = Progress()
            elif phase == Phase.NEWS:
                if self.views and Need.NEWS not in pr.shown:
                    return Request(Need.NEWS, None, q)
                waiting = [r for r in choosers(game, st) if r not in pr.picks]
                if waiting:
                    return Request(Need.EVENT, waiting[0], q)
                self._auto("choices", lambda: resolve_choices(game, st, self._choices()))
            elif phase == Phase.TALK:
                for role in ROLES_IN_ORDER:
                    if role not in pr.talks:
                        return Request(Need.TALK, role, q)
                self._auto("talk", self._talk)
            elif phase == Phase.BUDGET:
                who = proposer(st)
                r = int(st.round)
                if pr.offer is None:
                    return Request(Need.PROPOSE, who, q, r, last=pr.last)
                return Request(Need.RESPOND, 1 - who, q, r, offer=pr.offer)
            elif phase == Phase.EXECUTION:
                self._auto("execution", lambda: execute(game, st))
            elif phase == Phase.AFTERMATH:
                if self.views and Need.RESULTS not in pr.shown:
                    return Request(Need.RESULTS, None, q)
                for role in ROLES_IN_ORDER:
                    if role not in pr.answers:
                        return Request(Need.AFTERMATH, role, q)
                self._auto("aftermath", self._aftermath)
            elif phase == Phase.BOARD:
                self._auto("board", lambda: close_quarter(game, st))
            else:  # pragma: no cover - every phase is handled above
                raise AssertionError(f"unknown phase {phase}")

    def _auto(self, name: str, work: Callable[[], None]) -> None:
        if self.listener is None:
            work()
            return
        before = self.state.copy()
        work()
        self.listener(name, before, self.state)

    def _talk(self) -> None:
        talks = self.progress.talks
        apply_talk(self.game, self.state, talks[CMO], talks[CTO])

    def _aftermath(self) -> None:
        answers = self.progress.answers
        apply_aftermath(self.game, self.state, answers[CMO], answers[CTO])

    def _choices(self) -> I64 | None:
        """The picks of every chooser, each event's from its own chooser."""
        picks = self.progress.picks
        if not picks:
            return None
        b, e = self.state.batch, self.game.n_events
        none = np.zeros((b, e), dtype=np.int64)
        result: I64 = np.where(self.game.event_chooser[None, :] == CMO,
                               picks.get(CMO, none), picks.get(CTO, none))
        return result

    # -- taking a decision ---------------------------------------------------------
    def apply(self, decision: Any) -> Request:
        """Take the decision (None for a view) for the current request; returns that request."""
        req = self.request()
        if req is None:
            raise ValueError("the game is over")
        pr = self.progress
        if req.is_view:
            if decision is not None:
                raise ValueError(f"{req.kind} is a view: it is acknowledged, not decided")
            pr.shown.add(req.kind)
            return req
        role = req.role
        assert role is not None
        decision = canonical(decision)
        if req.kind == Need.EVENT:
            pr.picks[role] = np.asarray(decision, dtype=np.int64).reshape(
                self.state.batch, self.game.n_events)
        elif req.kind == Need.TALK:
            pr.talks[role] = _typed(decision, Talk, req)
        elif req.kind == Need.PROPOSE:
            pr.offer = sanitize(self.game, self.state, _typed(decision, Plan, req))
        elif req.kind == Need.RESPOND:
            self._answer(np.asarray(decision, dtype=np.bool_).reshape(self.state.batch))
        else:
            pr.answers[role] = _typed(decision, Aftermath, req)
        return req

    def _answer(self, accept: BoolArr) -> None:
        """The responder's answer: agreed games keep the plan; the rest go another round
        until every game agreed or the rounds are spent, then the budget is committed."""
        game, st, pr = self.game, self.state, self.progress
        plan = pr.offer
        assert plan is not None
        b = st.batch
        agreed = pr.agreed if pr.agreed is not None else np.zeros(b, dtype=np.bool_)
        final = pr.final if pr.final is not None else Plan.empty(b, game.n_projects)
        accept = accept & plan_valid(game, st, plan) & ~agreed
        final = Plan(np.where(accept[:, None], plan.fund, final.fund),
                     np.where(accept[:, None], plan.owner, final.owner),
                     np.where(accept, plan.campaign_share, final.campaign_share))
        agreed = agreed | accept
        pr.history.append((proposer(st), plan, accept))
        pr.last, pr.offer, pr.final, pr.agreed = plan, None, final, agreed
        if agreed.all() or st.round + 1 >= game.scenario.budget.negotiation_rounds:
            self._auto("budget", lambda: commit(game, st, final, agreed))
            pr.last = pr.final = pr.agreed = None
        else:
            st.round += 1

    def inject(self, k: int) -> None:
        """Fire event `k` now (the facilitator's overlay), through the engine's effects."""
        self._auto("inject", lambda: inject_event(self.game, self.state, k))

    # -- playing ---------------------------------------------------------------------
    def run_quarter(self, policies: tuple[Policy, Policy]) -> None:
        """Ask the policies until the current quarter (or, between quarters, the next) closes."""
        start = self.state.phase in (Phase.SETUP, Phase.CLOSED)
        while (req := self.request(start)) is not None:
            if self.state.phase not in (Phase.SETUP, Phase.CLOSED):
                start = False
            if req.is_view:
                self.apply(None)
                continue
            assert req.role is not None
            obs = observe(self.game, self.state, req.role)
            self.apply(policies[req.role].decide(obs, req))

    def run(self, policies: tuple[Policy, Policy]) -> None:
        """Ask the policies until the game is over."""
        while self.request() is not None:
            self.run_quarter(policies)

    def copy(self) -> Driver:
        """An independent game from this very point (mid-quarter included)."""
        return Driver(self.game, self.state.copy(), self.progress.copy(), views=self.views)


def canonical(decision: Any) -> Any:
    """The decision with every array batch-last, the layout a decoded record has.

    numpy's sums can round differently by layout, so a game played by a policy
    that builds its arrays row-major must see exactly what its replay will see.
    """
    if isinstance(decision, np.ndarray):
        return layout.batch_last(decision)
    if isinstance(decision, Talk | Plan | Aftermath):
        return type(decision)(*(layout.batch_last(np.asarray(getattr(decision, f.name)))
                                for f in fields(decision)))
    return decision


def _typed(decision: Any, cls: type[Any], req: Request) -> Any:
    if not isinstance(decision, cls):
        raise ValueError(f"{req.kind} needs a {cls.__name__}, not {type(decision).__name__}")
    return decision


def play_quarter(game: Game, state: State, policies: tuple[Policy, Policy]) -> None:
    """One whole quarter for a batch that stands between quarters."""
    Driver(game, state).run_quarter(policies)


def play(game: Game, policies: tuple[Policy, Policy], batch: int, seed: int, stream: int = 0,
         quarters: int | None = None,
         on_quarter: Callable[[State], None] | None = None,
         shared_luck: bool = False, ledger: bool = True) -> State:
    """Play `batch` games to the end (or for `quarters` quarters) and return the final state."""
    state = begin(game, batch, seed, stream, shared_luck, ledger)
    driver = Driver(game, state)
    for _ in range(quarters or game.quarters):
        driver.run_quarter(policies)
        if on_quarter is not None:
            on_quarter(state)
        if state.phase == Phase.END:
            break
    return state


__all__ = ["VIEWS", "ByKind", "Driver", "Listener", "Need", "Policy", "Progress",
           "Request", "begin", "choosers", "play", "play_quarter"]
