"""Behaviour that must be true of the personalities, by Monte Carlo with fixed seeds.

Each personality plays each seat against the scripted generous tit-for-tat
(`reciprocal`) on digital-shift, 300 games per run; the orderings asserted
below hold with margins far above the sampling noise at that size (standard
errors are a few hundredths at most), and stay put for any fixed seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

from game.ai.counterpart import Counterpart
from game.ai.personalities import BUILTIN_NAMES, SAFETY, project_effects
from game.ai.scripted import Cooperative, Reciprocal
from game.engine.actions import Plan, Talk
from game.engine.constants import (
    BLAME,
    CMO,
    CTO,
    GO_AROUND,
    ONE_ON_ONE,
    OWNER_JOINT,
    PROMISE,
    PROMISE_FUND,
    SHARE_INTEL,
)
from game.engine.driver import Need, Request, play
from game.engine.game import Game
from game.engine.observation import Observation
from game.engine.state import State

GAMES = 300
SEED = 7


class Recorder:
    """Wraps a counterpart to keep what it proposed and how it felt each quarter."""

    def __init__(self, inner: Counterpart, safe: np.ndarray) -> None:
        self.inner = inner
        self.name = inner.name
        self.safe = safe
        self.spend = 0.0
        self.joint = 0.0
        self.budget = 0.0
        self.safety = 0.0
        self.trust: dict[int, float] = {}
        self.coop: dict[int, float] = {}
        self.shared: dict[int, float] = {}
        self.stake: dict[int, float] = {}

    def decide(self, obs: Observation, request: Request) -> Any:
        out = self.inner.decide(obs, request)
        q = obs.quarter
        if request.kind == Need.TALK:
            self.trust[q] = float(self.inner.trust.mean())
            self.coop[q] = float(self.inner.mind.coop.mean())
            self.shared[q] = float(out.moves[:, SHARE_INTEL].mean())
            self.stake[q] = float(self.inner.mind.stake_now.mean())
        elif request.kind == Need.PROPOSE:
            p = out
            cost = self.inner.game.cost
            self.spend += float((p.fund @ cost).sum())
            self.joint += float(((p.fund & (p.owner == OWNER_JOINT)) @ cost).sum())
            if obs.quarter <= 6:
                projects = p.fund @ cost
                operations = (1.0 - p.campaign_share) * (obs.available - projects)
                self.budget += float(obs.available.sum())
                self.safety += float(((p.fund & self.safe) @ cost + operations).sum())
        return out


@dataclass
class Run:
    rec: Recorder
    state: State
    role: int
    metrics: dict[str, float] = field(default_factory=dict)


def _play(game: Game, name: str, role: int, opponent: Any, games: int = GAMES,
          seed: int = SEED) -> Run:
    safe = (project_effects(game) @ SAFETY) > 0.1
    rec = Recorder(Counterpart(game, role, seed, name=name), safe)
    pols: list[Any] = [None, None]
    pols[role] = rec
    pols[1 - role] = opponent
    state = play(game, (pols[0], pols[1]), games, seed)
    run = Run(rec, state, role)
    responses = state.responses[:, role, :4].sum()
    run.metrics = {
        "share": float(state.move_counts[:, role, SHARE_INTEL].mean()),
        "joint": rec.joint / max(rec.spend, 1e-9),
        "goarounds": float(state.goarounds[:, role].mean()),
        "blame": float(state.responses[:, role, BLAME].sum() / max(responses, 1)),
        "safety": rec.safety / max(rec.budget, 1e-9),
    }
    return run


@pytest.fixture(scope="module")
def field_runs(game: Game) -> dict[tuple[str, int], Run]:
    """Every personality in each seat against the scripted reciprocator."""
    return {(name, role): _play(game, name, role, Reciprocal(game, 1 - role, SEED))
            for name in BUILTIN_NAMES for role in (CMO, CTO)}


def _leader(runs: dict[tuple[str, int], Run], metric: str, role: int) -> tuple[str, float, float]:
    scores = {name: runs[(name, role)].metrics[metric] for name in BUILTIN_NAMES}
    order = sorted(scores, key=lambda n: -scores[n])
    return order[0], scores[order[0]], scores[order[1]]


@pytest.mark.parametrize("role", [CMO, CTO])
def test_partner_shares_intel_and_proposes_joint_ownership_most(
        field_runs: dict[tuple[str, int], Run], role: int) -> None:
    """Partner: most intel shared per game (margin > 3 shares) and the largest share of
    its proposed project money under joint ownership (margin > 0.2)."""
    name, best, second = _leader(field_runs, "share", role)
    assert name == "partner" and best - second > 3.0
    name, best, second = _leader(field_runs, "joint", role)
    assert name == "partner" and best - second > 0.2


@pytest.mark.parametrize("role", [CMO, CTO])
def test_bypasser_goes_around_most(field_runs: dict[tuple[str, int], Run], role: int) -> None:
    """Bypasser: most go-arounds per game, by more than 3."""
    name, best, second = _leader(field_runs, "goarounds", role)
    assert name == "bypasser" and best - second > 3.0


@pytest.mark.parametrize("role", [CMO, CTO])
def test_turf_warrior_blames_most(field_runs: dict[tuple[str, int], Run], role: int) -> None:
    """Turf Warrior: the largest share of its answers to failures blame the other (> +0.2)."""
    name, best, second = _leader(field_runs, "blame", role)
    assert name == "turf-warrior" and best - second > 0.2


@pytest.mark.parametrize("role", [CMO, CTO])
def test_gatekeeper_funds_reliability_and_security_first(
        field_runs: dict[tuple[str, int], Run], role: int, game: Game) -> None:
    """Gatekeeper: in the first six quarters the largest share of the budget it proposes goes
    to reliability and security (debt, security and reliability projects plus operations),
    by more than 0.03; and those projects top its own ranking of the catalogue."""
    name, best, second = _leader(field_runs, "safety", role)
    assert name == "gatekeeper" and best - second > 0.03
    ai = field_runs[("gatekeeper", role)].rec.inner
    safe = (project_effects(game) @ SAFETY) > 0.1
    top3 = np.argsort(-ai.prefs.density)[:3]
    assert safe[top3].all()


def test_personalities_keep_promises_in_character(
        field_runs: dict[tuple[str, int], Run]) -> None:
    """Honest characters keep most of their promises; the Bypasser (honesty 0.45) breaks
    far more of its own: kept share at least 0.15 lower than the Partner's and Skeptic's."""
    def kept_share(name: str) -> float:
        kept = sum(field_runs[(name, r)].state.kept[:, r].sum() for r in (CMO, CTO))
        broken = sum(field_runs[(name, r)].state.broken[:, r].sum() for r in (CMO, CTO))
        return float(kept / max(kept + broken, 1))

    assert kept_share("partner") > 0.8
    assert kept_share("skeptic") > 0.75
    assert kept_share("bypasser") < min(kept_share("partner"), kept_share("skeptic")) - 0.15


# -- reciprocity ------------------------------------------------------------------------------

class Turncoat(Cooperative):
    """Scripted CMO: goes around every quarter before `switch`; from then on shares intel and
    promises to fund the debt sprint next quarter, and sees that the plan funds it."""

    name = "turncoat"

    def __init__(self, game: Game, role: int, seed: int, switch: int = 6,
                 promises: bool = True, around: bool = True) -> None:
        super().__init__(game, role, seed)
        self.switch = switch
        self.promises = promises
        self.around = around
        self.target = game.project_index("debt-sprint")

    def _talk(self, obs: Observation) -> Talk:
        b = obs.batch
        yes = np.ones(b, dtype=np.bool_)
        if obs.quarter < self.switch and self.around:
            moves = self._pick(obs, [(GO_AROUND, yes)])
            return Talk(moves, np.zeros(b, np.int64), np.full(b, -1, np.int64),
                        np.zeros(b, np.int64))
        wanted = [(SHARE_INTEL, yes), (PROMISE, yes & self.promises), (ONE_ON_ONE, yes)]
        moves = self._pick(obs, wanted)
        kind = np.where(moves[:, PROMISE], PROMISE_FUND, 0).astype(np.int64)
        return Talk(moves, kind, np.full(b, self.target, np.int64),
                    np.full(b, obs.quarter + 1, np.int64))

    def _propose(self, obs: Observation, last: Plan | None) -> Plan:
        plan = super()._propose(obs, last)
        plan.fund[:, self.target] |= obs.fundable[:, self.target]
        return plan

    def _respond(self, obs: Observation, plan: Plan) -> np.ndarray:
        due = (obs.promise_kind[:, self.role] == PROMISE_FUND) & (
            obs.promise_due[:, self.role] <= obs.quarter)
        result: np.ndarray = ~due | plan.fund[:, self.target]
        return result


def test_mirror_trust_and_cooperation_fall_against_goarounds_and_recover(game: Game) -> None:
    """Against a CMO who goes around every quarter until Q6 and then keeps promises:
    the Mirror's trust (the engine's meter, CTO to CMO: one trust model) falls by more than
    0.05 by Q4 and climbs back by more than 0.15 by Q12; its cooperation (quarters not
    spent answering a defection), its intel sharing and its stake in joint bets fall and
    recover the same way, the stake by far more than the meter: the reciprocator's answer."""
    run = _play(game, "mirror", CTO, Turncoat(game, CMO, SEED), games=400)
    r = run.rec
    assert r.trust[4] < r.trust[1] - 0.05
    assert r.trust[12] > r.trust[6] + 0.15
    assert r.coop[4] < 0.85 and r.coop[12] > r.coop[4] + 0.1
    assert r.shared[5] < r.shared[1] - 0.1 and r.shared[12] > r.shared[5] + 0.1
    assert r.stake[6] < r.stake[1] - 0.2 and r.stake[12] > r.stake[6] + 0.2
    meter = run.state.hist_trust[:, :, CTO].mean(axis=0)
    low = meter[1:7].min()
    assert low < meter[0] - 0.03 and meter[12] > low + 0.1
    assert run.state.kept[:, CMO].mean() > 2.0     # the run of kept promises happened


def test_skeptic_moves_only_after_kept_promises(game: Game) -> None:
    """One trust model: the Skeptic and the Mirror read the same engine meter against the
    same player, and differ in how they answer it. A CMO who only talks (shares intel,
    meets, never promises) lifts the Skeptic's stake in joint bets by at least 0.15 less
    than the Mirror's; the same talk plus kept promises lifts the Skeptic's stake by at
    least 0.2 more than talk alone (deeds count in full, words by its low propensity)."""
    talker = _play(game, "skeptic", CTO,
                   Turncoat(game, CMO, SEED, around=False, promises=False))
    mirror = _play(game, "mirror", CTO,
                   Turncoat(game, CMO, SEED, around=False, promises=False))
    keeper = _play(game, "skeptic", CTO, Turncoat(game, CMO, SEED, around=False))
    assert abs(talker.rec.trust[12] - mirror.rec.trust[12]) < 0.05

    def rise(run: Any) -> float:
        return float(run.rec.stake[12] - run.rec.stake[1])

    assert rise(talker) < rise(mirror) - 0.15
    assert rise(keeper) > rise(talker) + 0.2
    assert keeper.rec.trust[12] > talker.rec.trust[12]
    assert keeper.state.kept[:, CMO].mean() > 4.0
