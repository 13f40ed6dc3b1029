"""What the AI believes the game looks like, and how it imagines the future from there.

`build` turns the true state into the AI's belief: a batch of K copies in which
everything private to the other role is replaced by samples of what this role
can infer (its own readings, shared intel, the scenario's starting values plus
public evidence), and the game's seed by the AI's own, so a simulated future
never sees the real game's luck. `imagine` plays a decision forward through the
engine's own driver from wherever the live game stands: no rule and no order of
phases is copied here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

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
from game.engine.driver import Driver, Policy, Progress, Request
from game.engine.game import Game
from game.engine.news import outage_chance
from game.engine.observation import Observation
from game.engine.state import State
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
    """The decision being weighed: the answer to `request`, per row of the belief batch."""

    request: Request
    value: Any         # I64, Talk, Plan, BoolArr or Aftermath over the belief batch


class _Forcing:
    """A policy that gives the forced decision the first time it is asked for it, then
    plays as its usual self."""

    def __init__(self, inner: Policy, forced: Forced) -> None:
        self.inner = inner
        self.forced = forced
        self.used = False
        self.name = inner.name

    def decide(self, obs: Observation, request: Request) -> Any:
        if not self.used and request.kind == self.forced.request.kind:
            self.used = True
            return self.forced.value
        return self.inner.decide(obs, request)


def imagine(game: Game, state: State, progress: Progress, policies: tuple[Policy, Policy],
            forced: Forced, horizon: int) -> State:
    """The belief batch after the forced decision, the rest of the quarter and `horizon` more.

    `progress` is what both sides know of the quarter so far (the negotiation's
    plans); the driver asks for everything else, the forced decision included.
    """
    role = forced.request.role
    assert role is not None
    both = list(policies)
    both[role] = _Forcing(policies[role], forced)
    driver = Driver(game, state, progress)
    driver.run_quarter((both[CMO], both[CTO]))
    for _ in range(horizon):
        if state.phase == Phase.END:
            break
        driver.run_quarter(policies)
    return state


__all__ = ["Forced", "build", "imagine"]
