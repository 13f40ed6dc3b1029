"""What the AI believes the game looks like, and how it imagines the future from there.

`build` turns the true state into the AI's belief: a batch of K copies in which
everything private to the other role is replaced by samples of what this role
can infer (its own readings, shared intel, the scenario's starting values plus
public evidence), and the game's seed by the AI's own, so a simulated future
never sees the real game's luck. `imagine` plays a decision forward with the
engine itself; the rules are never copied, only the order of a quarter's steps
from a given phase on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.actions import Aftermath, Plan, Talk
from game.engine.aftermath import apply_aftermath
from game.engine.board import close_quarter
from game.engine.constants import (
    ACT_WENT_AROUND,
    CMO,
    CTO,
    GO_AROUND,
    N_SOURCES,
    ROLES,
    SIGNALS,
    SRC_GOAROUND,
    V_CHANNEL,
    V_COMPETITION,
    V_DEBT,
    V_DEMAND,
    V_RELIABILITY,
    V_SECURITY,
    V_VENDOR,
    Phase,
)
from game.engine.execution import execute
from game.engine.game import Game
from game.engine.news import outage_chance, resolve_choices
from game.engine.observation import Observation, observe
from game.engine.portfolio import commit
from game.engine.runner import Policy, event_choices, negotiate, play_quarter
from game.engine.state import State
from game.engine.talk import apply_talk
from game.engine.trust import PROPENSITY_WEIGHT

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
BoolArr = NDArray[np.bool_]

# The state variable each private signal reads (outage risk is derived from others).
SIGNAL_VAR: dict[str, int] = {
    "channel": V_CHANNEL, "competitor": V_COMPETITION, "debt": V_DEBT,
    "security": V_SECURITY, "vendor_quality": V_VENDOR,
}
# Variables each role's go-around writes: a role knows its own part of that source.
GOAROUND_WRITES: tuple[frozenset[int], frozenset[int]] = (
    frozenset({V_DEBT, V_SECURITY}), frozenset({V_SECURITY, V_RELIABILITY}))
UNCERTAINTY = 0.03   # spread of the AI's estimate of a variable it cannot read


def _signal_noise(game: Game, role: int) -> F64:
    intel = getattr(game.scenario.intel, ROLES[role])
    result: F64 = np.array([intel.noise * (0.1 if s == "demand_trend" else 0.2)
                            for s in SIGNALS])
    return result


def build(game: Game, state: State, role: int, batch: int, rng: np.random.Generator,
          suspicion: float = 0.1, my_acts: BoolArr | None = None) -> State:
    """`batch` belief copies of game 0 of `state`, as `role` may know it.

    Private to the other role and replaced here: its intel readings (unless it
    shared them this quarter), the hidden variables behind its signals, the
    demand shock when only the CMO reads it, its hidden go-arounds (sampled at
    `suspicion`), its view of this role (rebuilt from the public trust meter),
    what it saw this role do last quarter (this role's own record, `my_acts`),
    and the seed. Nothing else of the other's is read.
    """
    other = 1 - role
    s = state.take(np.zeros(batch, dtype=np.int64))
    s.seed = int(rng.integers(1, 2**62))
    s.stream = int(rng.integers(0, 2**31))
    mine = set(getattr(game.scenario.intel, ROLES[role]).signals)
    theirs = [x for x in getattr(game.scenario.intel, ROLES[other]).signals if x not in mine]
    shared = s.shared[:, other]

    # Hidden variables: starting value plus what public evidence moved them.
    for name in (*theirs, *mine):
        col = SIGNAL_VAR.get(name)
        if col is None:
            continue
        idx = SIGNALS.index(name)
        public = np.ones(N_SOURCES, dtype=np.bool_)
        public[SRC_GOAROUND] = col not in GOAROUND_WRITES[other]
        if name in mine:
            value = s.intel[:, role, idx].copy()
        else:
            estimate = s.v0[:, col] + s.contrib[:, public, col].sum(axis=1)
            estimate = estimate + UNCERTAINTY * rng.standard_normal(batch)
            value = np.where(shared, s.intel[:, other, idx], estimate)
        value = np.clip(value, 0.0, 1.0)
        s.contrib[:, ~public, col] = 0.0
        residual = value - s.v0[:, col] - s.contrib[:, :, col].sum(axis=1)
        s.contrib[:, 0, col] += residual
        s.v[:, col] = value

    # This quarter's demand shock: read by the CMO, guessed by the CTO.
    if "demand_trend" in mine or "demand_trend" in theirs:
        idx = SIGNALS.index("demand_trend")
        reader = role if "demand_trend" in mine else other
        reading = s.intel[:, reader, idx]
        known = np.full(batch, "demand_trend" in mine) | shared
        guess = rng.standard_normal(batch) * game.scenario.market.demand_noise
        read = np.log(np.maximum(reading, 1e-6) / np.maximum(s.v[:, V_DEMAND], 1e-6))
        s.demand_next = np.where(known, read, guess)
    else:
        s.demand_next = rng.standard_normal(batch) * game.scenario.market.demand_noise

    # The other's readings, unless shared: what it would read if my beliefs were true.
    truth = np.stack([
        s.v[:, V_DEMAND] * np.exp(s.demand_next), s.v[:, V_CHANNEL], s.v[:, V_COMPETITION],
        s.v[:, V_DEBT], s.v[:, V_SECURITY], outage_chance(game, s), s.v[:, V_VENDOR],
    ], axis=1)
    sampled = truth + rng.standard_normal((batch, len(SIGNALS))) * _signal_noise(game, other)
    s.intel[:, other] = np.where(shared[:, None], s.intel[:, other], sampled)

    # Go-arounds it has not been caught at.
    hidden = rng.random(batch) < suspicion
    s.hidden_goarounds[:, other] = hidden.astype(np.int64)
    s.goarounds[:, other] = s.discovered[:, other] + hidden
    s.move_counts[:, other, GO_AROUND] = s.goarounds[:, other]
    found = s.acts[:, other, ACT_WENT_AROUND]
    if other == CTO:
        found = found | s.frozen.any(axis=1)
    else:
        s.shadow_active = found.astype(np.float64)
    s.moves[:, other, GO_AROUND] = found

    # Its view of me: perceptions that give the public trust meter, nothing more.
    x = (s.trust[:, other] - PROPENSITY_WEIGHT * s.propensity[:, other]) / (
        1.0 - PROPENSITY_WEIGHT)
    x = np.clip(x, 0.02, 0.98)[:, None]
    n = game.scenario.relationship.evidence
    s.good[:, other] = x * n
    s.bad[:, other] = (1.0 - x) * n
    drop = game.scenario.relationship.deception_ceiling_drop
    s.ceiling[:, other] = np.maximum(
        s.trust[:, other], np.clip(1.0 - drop * s.discovered[:, role], 0.4, 1.0))
    s.seen[:, other] = False if my_acts is None else my_acts
    return s


# -- imagining the future ----------------------------------------------------------------

@dataclass
class Forced:
    """The decision being weighed: what `role` does at the current step, per row."""

    role: int
    kind: str          # "events", "talk", "propose", "respond" or "aftermath"
    value: Any         # I64, Talk, Plan, BoolArr or Aftermath over the belief batch
    last: Plan | None = None      # the plan being countered (propose)
    offer: Plan | None = None     # the plan being answered (respond)


class _Forcing:
    """A policy that plays the forced decision once, then its usual self."""

    def __init__(self, inner: Policy, forced: Forced) -> None:
        self.inner = inner
        self.forced = forced
        self.used = False
        self.name = inner.name

    def _take(self, kind: str) -> Any:
        if not self.used and self.forced.kind == kind:
            self.used = True
            return self.forced.value
        return None

    def choose_events(self, obs: Observation) -> I64:
        value = self._take("events")
        return self.inner.choose_events(obs) if value is None else value

    def talk(self, obs: Observation) -> Talk:
        value = self._take("talk")
        return self.inner.talk(obs) if value is None else value

    def propose(self, obs: Observation, last: Plan | None) -> Plan:
        value = self._take("propose")
        return self.inner.propose(obs, last) if value is None else value

    def respond(self, obs: Observation, plan: Plan) -> BoolArr:
        value = self._take("respond")
        return self.inner.respond(obs, plan) if value is None else value

    def aftermath(self, obs: Observation) -> Aftermath:
        value = self._take("aftermath")
        return self.inner.aftermath(obs) if value is None else value


def finish_quarter(game: Game, state: State, policies: tuple[Policy, Policy],
                   forced: Forced) -> None:
    """Play the rest of the current quarter from the step where the AI is deciding."""
    pol: list[Policy] = list(policies)
    pol[forced.role] = _Forcing(policies[forced.role], forced)
    both = (pol[CMO], pol[CTO])
    if state.phase == Phase.NEWS:
        resolve_choices(game, state, event_choices(game, state, both))
    if state.phase == Phase.TALK:
        apply_talk(game, state, both[CMO].talk(observe(game, state, CMO)),
                   both[CTO].talk(observe(game, state, CTO)))
    if state.phase == Phase.BUDGET:
        plan, agreed = negotiate(game, state, both, start_round=state.round,
                                 last=forced.last, offer=forced.offer)
        commit(game, state, plan, agreed)
    if state.phase == Phase.EXECUTION:
        execute(game, state)
    if state.phase == Phase.AFTERMATH:
        apply_aftermath(game, state, both[CMO].aftermath(observe(game, state, CMO)),
                        both[CTO].aftermath(observe(game, state, CTO)))
    if state.phase == Phase.BOARD:
        close_quarter(game, state)


def imagine(game: Game, state: State, policies: tuple[Policy, Policy], forced: Forced,
            horizon: int) -> State:
    """The belief batch after the forced decision, the rest of the quarter and `horizon` more."""
    finish_quarter(game, state, policies, forced)
    for _ in range(horizon):
        if state.phase == Phase.END:
            break
        play_quarter(game, state, policies)
    return state


__all__ = ["Forced", "build", "finish_quarter", "imagine"]
