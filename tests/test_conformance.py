"""Random legal games of every scenario through the one driver (OpenSpiel's random_sim_test).

Each game is played by players that pick uniformly among legal decisions; after
every automatic phase the engine's invariants are checked, every request is
checked to be one a player can answer, and the same seed and decisions are
checked to give the same record and the same state. Point it at any scenario:

    python -m pytest tests/test_conformance.py --scenario my-scenario.yaml
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from game.engine.actions import Aftermath, Plan, Talk
from game.engine.constants import (
    BLAME,
    CIRCUMSTANCES,
    DENY,
    N_INCIDENTS,
    OWN,
    PROMISE,
    PROMISE_DELIVER,
    PROMISE_FUND,
    PROMISE_NONE,
    SHARE_CREDIT,
    SUCCESS,
    TAKE_CREDIT,
    Phase,
)
from game.engine.driver import ByKind, Driver, Need, Request, begin, choosers
from game.engine.game import Game, compile_game
from game.engine.observation import Observation, observe
from game.engine.portfolio import proposer
from game.engine.record import GameRecord, Recorder, apply_entry, replay
from game.engine.state import State
from game.scenario.loader import load_scenario
from tests.invariants import check_budget, check_ranges

GAMES = 3       # seeds per scenario
BATCH = 16      # games per seed (B = 1, a live game, is played too)


class RandomLegal(ByKind):
    """Uniformly random among legal decisions: what a curious player might do."""

    name = "random-legal"

    def __init__(self, game: Game, role: int, seed: int) -> None:
        self.game = game
        self.role = role
        self.rng = np.random.default_rng([seed, role, 0xC0])

    def _events(self, obs: Observation) -> Any:
        n = np.array([max(len(c), 1) for c in self.game.choice_effects], dtype=np.int64)
        return (self.rng.random(obs.pending_choice.shape) * n[None, :]).astype(np.int64)

    def _talk(self, obs: Observation) -> Talk:
        b = obs.batch
        moves = obs.legal_moves & (self.rng.random(obs.legal_moves.shape) < 0.3)
        p = self.game.n_projects
        kind = np.where(moves[:, PROMISE], self.rng.integers(PROMISE_FUND, PROMISE_DELIVER + 1,
                                                             size=b), PROMISE_NONE)
        project = np.where(moves[:, PROMISE], self.rng.integers(0, p, size=b), -1)
        due = obs.quarter + self.rng.integers(1, 4, size=b)
        return Talk(moves, kind.astype(np.int64), project.astype(np.int64), due.astype(np.int64))

    def _propose(self, obs: Observation, last: Plan | None) -> Plan:
        b, p = obs.batch, self.game.n_projects
        fund = obs.fundable & (self.rng.random((b, p)) < 0.4)
        # Drop the dearest projects until the plan fits the budget on the table.
        for j in np.argsort(-self.game.cost):
            over = (fund * self.game.cost[None, :]).sum(axis=1) > obs.available + 1e-9
            fund[:, j] &= ~over
        owner = self.rng.integers(0, 3, size=(b, p)).astype(np.int64)
        return Plan(fund, np.where(fund, owner, 0), self.rng.uniform(0.0, 1.0, size=b))

    def _respond(self, obs: Observation, offer: Plan) -> Any:
        return self.rng.random(obs.batch) < 0.5

    def _aftermath(self, obs: Observation) -> Aftermath:
        b, p = obs.batch, self.game.n_projects
        answers = np.array([OWN, CIRCUMSTANCES, BLAME])
        credit = np.array([SHARE_CREDIT, TAKE_CREDIT])
        project = np.where(obs.status == SUCCESS, credit[self.rng.integers(0, 2, (b, p))],
                           answers[self.rng.integers(0, 3, (b, p))])
        incident = np.array([OWN, CIRCUMSTANCES, BLAME, DENY])[
            self.rng.integers(0, 4, (b, N_INCIDENTS))]
        return Aftermath(project.astype(np.int64), incident.astype(np.int64))


def check_request(game: Game, state: State, req: Request) -> None:
    """A request is one its player can answer, at the point of the quarter it names."""
    assert req.role in (0, 1), req
    assert req.quarter == state.quarter
    if req.kind == Need.EVENT:
        assert req.role in choosers(game, state), "asked for an event choice it does not have"
    elif req.kind == Need.PROPOSE:
        assert req.role == proposer(state) and req.offer is None
        assert 0 <= req.round < game.scenario.budget.negotiation_rounds
    elif req.kind == Need.RESPOND:
        assert req.role == 1 - proposer(state) and req.offer is not None
        assert (req.offer.fund * game.cost[None, :]).sum(axis=1).max() <= (
            state.available.max() + 1e-9), "the plan on the table is over budget"


def random_sim(game: Game, batch: int, seed: int) -> tuple[State, GameRecord]:
    """One random legal batch through the driver, every invariant checked on the way."""
    state = begin(game, batch, seed)
    record = GameRecord(game.scenario.id, game.hash, seed, 0, batch)
    players = (Recorder(RandomLegal(game, 0, seed), record),
               Recorder(RandomLegal(game, 1, seed), record))
    phases: list[str] = []

    def heard(phase: str, _before: State, after: State) -> None:
        phases.append(phase)
        check_ranges(game, after, f"{game.scenario.id} Q{after.quarter} {phase}",
                     quarter_end=phase == "board")
        if phase == "budget":
            check_budget(after, f"{game.scenario.id} Q{after.quarter}")

    driver = Driver(game, state, listener=heard)
    asked = 0
    fork: tuple[Driver, int] | None = None
    while (req := driver.request()) is not None:
        check_request(game, state, req)
        assert req.role is not None
        if (fork is None and req.quarter == (game.quarters + 1) // 2 and req.kind == Need.TALK
                and req.role == 1):
            fork = driver.copy(), len(record.entries)   # mid-quarter, a decision given
        driver.apply(players[req.role].decide(observe(game, state, req.role), req))
        asked += 1
        assert asked < 40 * game.quarters, "the driver keeps asking: a quarter never ends"
    assert state.phase == Phase.END and state.quarter == game.quarters
    assert phases.count("board") == game.quarters
    # A copy taken mid-game goes on independently: fed the rest of the record, the same end.
    assert fork is not None
    copy, start = fork
    for i, item in enumerate(record.entries[start:]):
        apply_entry(copy, item, start + i)
    assert copy.request() is None
    same_state(copy.state, state)
    return state, record


def same_state(a: State, b: State) -> None:
    assert (a.quarter, a.phase, a.round) == (b.quarter, b.phase, b.round)
    for name, arr in a.arrays().items():
        assert np.array_equal(arr, b.arrays()[name], equal_nan=True), name


def scenario_files(config: pytest.Config) -> list[Path]:
    given = config.getoption("--scenario") or []
    if given:
        return [Path(p) for p in given]
    from game.scenario.catalog import scenario_paths

    return scenario_paths()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "scenario_file" in metafunc.fixturenames:
        files = scenario_files(metafunc.config)
        metafunc.parametrize("scenario_file", files, ids=[f.stem for f in files])


def test_random_legal_games_keep_every_invariant(scenario_file: Path) -> None:
    game = compile_game(load_scenario(scenario_file))
    for seed in range(GAMES):
        for batch in (1, BATCH):
            state, record = random_sim(game, batch, 1000 * seed + batch)
            # The same seed and decisions: the same record, and replaying it, the same state.
            again, record2 = random_sim(game, batch, 1000 * seed + batch)
            assert json.dumps(record.entries) == json.dumps(record2.entries)
            same_state(state, again)
            restored = GameRecord.from_dict(json.loads(json.dumps(record.to_dict())))
            same_state(state, replay(game, restored))
