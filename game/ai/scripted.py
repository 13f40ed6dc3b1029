"""Scripted baseline policies for Monte Carlo: cooperative, selfish, random, reciprocal.

They are deliberately simple, fixed strategies, the field against which the
engine's calibration is tested and the AI personalities are measured.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.ai.intel import outage_tilt
from game.engine import layout
from game.engine.actions import Aftermath, Plan, Talk
from game.engine.constants import (
    ACT_BLAMED,
    ACT_BROKE,
    ACT_TOOK_CREDIT,
    ACT_WENT_AROUND,
    BLAME,
    CMO,
    DENY,
    GO_AROUND,
    GRAY,
    HACK_WEEK,
    HIRE_LIAISON,
    MARKETING,
    N_INCIDENTS,
    N_MOVES,
    ONE_ON_ONE,
    OWN,
    OWNER_JOINT,
    PROMISE,
    PROMISE_DELIVER,
    ROADMAP_REVIEW,
    RUNNING,
    SHARE_INTEL,
    TAKE_CREDIT,
    TECHNOLOGY,
)
from game.engine.driver import ByKind
from game.engine.game import Game
from game.engine.leanings import option_leans, styled_options
from game.engine.observation import Observation
from game.engine.talk import attention_costs, attention_points

BoolArr = NDArray[np.bool_]
I64 = NDArray[np.int64]
F64 = NDArray[np.float64]

DEFECTIONS = (ACT_WENT_AROUND, ACT_BLAMED, ACT_TOOK_CREDIT, ACT_BROKE)


class Scripted(ByKind):
    """Shared machinery: a seeded generator and greedy portfolio building."""

    name = "scripted"
    title = "Scripted player"

    def __init__(self, game: Game, role: int, seed: int, stream: int = 0) -> None:
        self.game = game
        self.role = role
        self.rng = np.random.Generator(np.random.PCG64(
            np.random.SeedSequence([seed & 0xFFFFFFFFFFFF, stream, role, 0x5EED])))
        self.cost = game.cost
        self.domain = game.domain
        self.attention_cost = attention_costs(game)
        self.attention = attention_points(game)
        self._styles: tuple[I64, I64] | None = None   # event options: (cooperative, selfish)

    # -- helpers -----------------------------------------------------------------
    def _styled_events(self, obs: Observation, selfish: bool) -> I64:
        """Every event's option for this style (leanings.styled_options), per game."""
        if self._styles is None:
            leans = option_leans(self.game)
            self._styles = (styled_options(leans, False), styled_options(leans, True))
        pick = self._styles[int(selfish)]
        result: I64 = np.broadcast_to(pick, obs.pending_choice.shape).astype(np.int64)
        return result

    def _pick(self, obs: Observation, wanted: list[tuple[int, BoolArr]]) -> BoolArr:
        """Moves in priority order, each taken if legal and attention remains."""
        b = obs.batch
        moves = layout.zeros((b, N_MOVES), dtype=np.bool_)
        left = np.full(b, self.attention)
        for m, want in wanted:
            take = want & obs.legal_moves[:, m] & (left >= self.attention_cost[m]) & ~moves[:, m]
            moves[:, m] |= take
            left -= np.where(take, self.attention_cost[m], 0)
        return moves

    def _portfolio(self, obs: Observation, want: BoolArr, owner: I64, cap: float,
                   share: F64 | float) -> Plan:
        """Greedy: cheapest wanted projects first, while spend stays under `cap` of budget."""
        b = obs.batch
        fund = layout.zeros((b, self.game.n_projects), dtype=np.bool_)
        spent = np.zeros(b)
        limit = obs.available * cap + 1e-9
        ok = want & obs.fundable
        for j in np.argsort(self.cost + 0.01 * np.arange(len(self.cost))):
            take = ok[:, j] & (spent + self.cost[j] <= limit)
            fund[:, j] = take
            spent += take * self.cost[j]
        return Plan(fund, np.where(fund, owner, 0), np.broadcast_to(
            np.asarray(share, dtype=np.float64), (b,)).copy())

    def _deliver_promise(self, obs: Observation) -> tuple[BoolArr, I64, I64]:
        """A promise to deliver a project this role co-owns that is under way."""
        mine = (obs.status == RUNNING) & ((obs.owner == self.role) | (obs.owner == OWNER_JOINT))
        has = mine.any(axis=1)
        target = np.where(has, np.argmax(mine, axis=1), -1)
        rows = np.arange(obs.batch)
        remaining = self.game.duration[np.clip(target, 0, None)] - obs.progress[
            rows, np.clip(target, 0, None)]
        due = obs.quarter + np.ceil(np.maximum(remaining, 0) / 0.75).astype(np.int64) + 1
        return has, target.astype(np.int64), due


class Cooperative(Scripted):
    """One team: shares intel, meets, plans jointly, owns failures, shares credit, and
    takes an event's most shared option."""

    name = "cooperative"
    title = "Team Player (scripted)"

    def _events(self, obs: Observation) -> I64:
        return self._styled_events(obs, selfish=False)

    def _talk(self, obs: Observation) -> Talk:
        b = obs.batch
        q = obs.quarter
        yes = np.ones(b, dtype=np.bool_)
        has, target, due = self._deliver_promise(obs)
        wanted = [
            (HIRE_LIAISON, yes & (q >= 2)),
            (ROADMAP_REVIEW, yes & (q % 4 == 1) & (obs.ownership < 0.6)),
            (SHARE_INTEL, yes),
            (HACK_WEEK, yes & (q % 4 == 3)),
            (PROMISE, has & (q % 2 == 0)),
            (ONE_ON_ONE, yes),
        ]
        moves = self._pick(obs, wanted)
        kind = np.where(moves[:, PROMISE], PROMISE_DELIVER, 0).astype(np.int64)
        return Talk(moves, kind, target, due)

    def _propose(self, obs: Observation, last: Plan | None) -> Plan:
        b = obs.batch
        want = layout.full((b, self.game.n_projects), True, dtype=np.bool_)
        owner = layout.full((b, self.game.n_projects), OWNER_JOINT, dtype=np.int64)
        # An even split, moved toward operations when the outage risk it can read is high.
        return self._portfolio(obs, want, owner, 0.6, outage_tilt(self.game, obs, 0.5))

    def _respond(self, obs: Observation, plan: Plan) -> BoolArr:
        return np.ones(obs.batch, dtype=np.bool_)

    def _aftermath(self, obs: Observation) -> Aftermath:
        b = obs.batch
        return Aftermath(layout.full((b, self.game.n_projects), OWN, dtype=np.int64),
                         layout.full((b, N_INCIDENTS), OWN, dtype=np.int64))


class Selfish(Scripted):
    """Us versus them: goes around, funds its own turf, blames, takes credit, and takes
    an event's option that pleases its board at the partner's expense."""

    name = "selfish"
    title = "Lone Wolf (scripted)"

    def _events(self, obs: Observation) -> I64:
        return self._styled_events(obs, selfish=True)

    def _talk(self, obs: Observation) -> Talk:
        yes = np.ones(obs.batch, dtype=np.bool_)
        moves = self._pick(obs, [(GO_AROUND, yes)])
        return Talk(moves, np.zeros(obs.batch, dtype=np.int64),
                    np.full(obs.batch, -1, dtype=np.int64), np.zeros(obs.batch, dtype=np.int64))

    def _turf(self) -> BoolArr:
        mine = MARKETING if self.role == CMO else TECHNOLOGY
        result: BoolArr = (self.domain == mine) | (self.domain == GRAY)
        return result

    def _share(self) -> float:
        return 0.8 if self.role == CMO else 0.2

    def _propose(self, obs: Observation, last: Plan | None) -> Plan:
        b = obs.batch
        want = np.broadcast_to(self._turf(), (b, self.game.n_projects))
        owner = layout.full((b, self.game.n_projects), self.role, dtype=np.int64)
        # Opens greedy; after a rejection, keeps its turf but offers an even split.
        share = self._share() if last is None else 0.5
        return self._portfolio(obs, want, owner, 0.7, share)

    def _respond(self, obs: Observation, plan: Plan) -> BoolArr:
        """Accepts what gives it turf, or a split no worse than the CEO would impose."""
        mine = (plan.fund & (plan.owner == self.role) & self._turf()[None, :]).any(axis=1)
        ceo = self.game.scenario.budget.ceo_campaign_share
        if self.role == CMO:
            fair = plan.campaign_share >= ceo - 1e-9
        else:
            fair = plan.campaign_share <= ceo + 1e-9
        result: BoolArr = mine | fair
        return result

    def _aftermath(self, obs: Observation) -> Aftermath:
        b = obs.batch
        project = np.where(obs.outcome_q & (obs.status == 2), TAKE_CREDIT, BLAME)
        incident = layout.full((b, N_INCIDENTS), BLAME, dtype=np.int64)
        incident[:, 2:] = DENY
        return Aftermath(project.astype(np.int64), incident)


class RandomPolicy(Scripted):
    """Uniformly random legal choices: the noise floor."""

    name = "random"
    title = "Wild Card (scripted)"

    def _talk(self, obs: Observation) -> Talk:
        b = obs.batch
        order = self.rng.permutation(N_MOVES)
        coin = self.rng.random((b, N_MOVES)) < 0.35
        moves = self._pick(obs, [(int(m), coin[:, m]) for m in order])
        has, target, due = self._deliver_promise(obs)
        moves[:, PROMISE] &= has
        kind = np.where(moves[:, PROMISE], PROMISE_DELIVER, 0).astype(np.int64)
        return Talk(moves, kind, target, due)

    def _propose(self, obs: Observation, last: Plan | None) -> Plan:
        b = obs.batch
        p = self.game.n_projects
        # Drawn (P, B) and transposed: batch-last for free (see engine.layout).
        want = self.rng.random((p, b)).T < 0.4
        owner = self.rng.integers(0, 3, size=(p, b)).T
        return self._portfolio(obs, want, owner, 0.8, self.rng.uniform(0.2, 0.8, size=b))

    def _respond(self, obs: Observation, plan: Plan) -> BoolArr:
        result: BoolArr = self.rng.random(obs.batch) < 0.6
        return result

    def _aftermath(self, obs: Observation) -> Aftermath:
        b = obs.batch
        p = self.game.n_projects
        project = np.where(obs.status == 2, self.rng.integers(0, 2, size=(p, b)).T,
                           self.rng.integers(0, 4, size=(p, b)).T)
        return Aftermath(project.astype(np.int64),
                         self.rng.integers(0, 4, size=(b, N_INCIDENTS)).astype(np.int64))


class Reciprocal(Scripted):
    """Generous tit-for-tat: cooperates, answers a defection in kind, forgives a third."""

    name = "reciprocal"
    title = "Fair Trader (scripted)"
    forgiveness = 1.0 / 3.0

    def __init__(self, game: Game, role: int, seed: int, stream: int = 0) -> None:
        super().__init__(game, role, seed, stream)
        self.nice = Cooperative(game, role, seed, stream)
        self.nasty = Selfish(game, role, seed, stream)
        self.mode: BoolArr | None = None

    def _cooperating(self, obs: Observation) -> BoolArr:
        defected = obs.seen[:, list(DEFECTIONS)].any(axis=1)
        forgive = self.rng.random(obs.batch) < self.forgiveness
        mode: BoolArr = ~defected | forgive
        self.mode = mode
        return mode

    def _current(self, obs: Observation) -> BoolArr:
        if self.mode is None or self.mode.shape[0] != obs.batch:
            return self._cooperating(obs)
        return self.mode

    def _talk(self, obs: Observation) -> Talk:
        coop = self._cooperating(obs)
        a = self.nice._talk(obs)
        b = self.nasty._talk(obs)
        c = coop[:, None]
        return Talk(np.where(c, a.moves, b.moves), np.where(coop, a.promise_kind, b.promise_kind),
                    np.where(coop, a.promise_project, b.promise_project),
                    np.where(coop, a.promise_due, b.promise_due))

    def _propose(self, obs: Observation, last: Plan | None) -> Plan:
        coop = self._current(obs)
        a = self.nice._propose(obs, last)
        b = self.nasty._propose(obs, last)
        c = coop[:, None]
        return Plan(np.where(c, a.fund, b.fund), np.where(c, a.owner, b.owner),
                    np.where(coop, a.campaign_share, b.campaign_share))

    def _respond(self, obs: Observation, plan: Plan) -> BoolArr:
        coop = self._current(obs)
        result: BoolArr = np.where(coop, self.nice._respond(obs, plan),
                                   self.nasty._respond(obs, plan))
        return result

    def _events(self, obs: Observation) -> I64:
        # Its own styles (one reading of the options' leans, not one per inner player).
        coop = self._current(obs)
        result: I64 = np.where(coop[:, None], self._styled_events(obs, False),
                               self._styled_events(obs, True))
        return result

    def _aftermath(self, obs: Observation) -> Aftermath:
        coop = self._current(obs)
        a = self.nice._aftermath(obs)
        b = self.nasty._aftermath(obs)
        return Aftermath(np.where(coop[:, None], a.project, b.project),
                         np.where(coop[:, None], a.incident, b.incident))


SCRIPTED: dict[str, type[Scripted]] = {
    "cooperative": Cooperative,
    "selfish": Selfish,
    "random": RandomPolicy,
    "reciprocal": Reciprocal,
}
