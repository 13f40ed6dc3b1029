"""Shared luck: every row of a batch lives the luck of the B = 1 game of its seed.

Several single games on one seed are played by different players and recorded;
one shared-luck batch then plays row k by game k's decisions, and row k must end
in exactly game k's state. This is what lets the debrief replay the players' own
game (their luck) hundreds of times in one batch.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np
import pytest

from game.ai.registry import make_policy
from game.engine import rng
from game.engine.actions import Plan
from game.engine.driver import Driver, Need, Policy, Request, begin
from game.engine.game import Game, compile_game
from game.engine.observation import Observation
from game.engine.record import GameRecord, decode, record_play, replay
from game.engine.state import State
from game.scenario.catalog import resolve
from game.scenario.loader import load_scenario
from tests.test_conformance import RandomLegal, same_state

SCENARIOS = ("first-quarter", "digital-shift", "martech-budget", "short-tenure")
SEEDS = (3, 11, 2024)


def _stack(parts: list[Any]) -> Any:
    """One batch decision from one decision per row."""
    first = parts[0]
    if isinstance(first, np.ndarray):
        return np.concatenate(parts, axis=0)
    return type(first)(*(np.concatenate([getattr(p, f.name) for p in parts], axis=0)
                         for f in fields(first)))


class Stacked:
    """Row k answers with game k's recorded decisions.

    A batch negotiates until every row agreed, so a row that agreed earlier in
    its own game is asked again: its answer is ignored by the driver, any will do.
    """

    name = "stacked"

    def __init__(self, game: Game, records: list[GameRecord], role: int) -> None:
        self.game = game
        self.queues = [rec.decisions(role) for rec in records]
        self.pos = [0] * len(records)

    def _filler(self, kind: Need) -> Any:
        if kind == Need.EVENT:
            return np.zeros((1, self.game.n_events), dtype=np.int64)
        if kind == Need.PROPOSE:
            return Plan.empty(1, self.game.n_projects)
        if kind == Need.RESPOND:
            return np.zeros(1, dtype=np.bool_)
        raise AssertionError(f"a row's record has no {kind}")

    def decide(self, obs: Observation, request: Request) -> Any:
        parts = []
        for k, queue in enumerate(self.queues):
            item = queue[self.pos[k]] if self.pos[k] < len(queue) else None
            if item is not None and item["kind"] == str(request.kind) \
                    and int(item["q"]) == request.quarter:
                self.pos[k] += 1
                parts.append(decode(request.kind, item["data"]))
            else:
                parts.append(self._filler(request.kind))
        return _stack(parts)


def same_row(row: State, alone: State) -> None:
    """Bit for bit the same game (the negotiation round is the batch's, so not compared)."""
    assert (row.quarter, row.phase) == (alone.quarter, alone.phase)
    for name, arr in alone.arrays().items():
        assert np.array_equal(row.arrays()[name], arr, equal_nan=True), name


def _singles(game: Game, seed: int) -> list[tuple[State, GameRecord]]:
    pairs: list[tuple[Policy, Policy]] = [
        (RandomLegal(game, 0, seed + k), RandomLegal(game, 1, seed + k)) for k in range(3)]
    pairs += [(make_policy(a, game, 0, seed), make_policy(b, game, 1, seed))
              for a, b in (("cooperative", "cooperative"), ("selfish", "cooperative"),
                           ("reciprocal", "selfish"))]
    return [record_play(game, pair, 1, seed) for pair in pairs]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_row_k_of_a_shared_batch_is_game_k(scenario: str) -> None:
    game = compile_game(load_scenario(resolve(scenario)))
    for seed in SEEDS:
        singles = _singles(game, seed)
        records = [rec for _, rec in singles]
        state = begin(game, len(records), seed, shared_luck=True)
        Driver(game, state).run((Stacked(game, records, 0), Stacked(game, records, 1)))
        for k, (single, _) in enumerate(singles):
            same_row(state.take([k]), single)


def test_shared_luck_is_kept_by_copy_take_save_and_records() -> None:
    game = compile_game(load_scenario(resolve("first-quarter")))
    state = begin(game, 3, 5, shared_luck=True)
    assert state.copy().shared_luck and state.take([0, 0]).shared_luck
    assert State.from_dict(state.to_dict()).shared_luck
    assert not State.from_dict(begin(game, 1, 5).to_dict()).shared_luck
    pols = (make_policy("random", game, 0, 5), make_policy("random", game, 1, 5))
    end, rec = record_play(game, pols, 4, 5, shared_luck=True)
    again = GameRecord.from_dict(rec.to_dict())
    assert again.shared_luck
    same_state(replay(game, again), end)
    assert "shared_luck" not in record_play(game, pols, 1, 5)[1].to_dict()


def test_luck_is_the_batch_of_one_repeated() -> None:
    class Seed:
        seed, stream, shared_luck = 9, 0, True

    shared = rng.luck(Seed(), 2, rng.PHASE_NEWS)
    one = rng.stream(9, 0, 2, rng.PHASE_NEWS)
    a = shared.random((5, 2, 3))
    assert a.shape == (5, 2, 3) and np.array_equal(a, np.repeat(one.random((1, 2, 3)), 5, 0))
    assert np.array_equal(shared.standard_normal(4), np.repeat(one.standard_normal(1), 4))
    Seed.shared_luck = False
    own = rng.luck(Seed(), 2, rng.PHASE_NEWS)
    assert np.array_equal(own.random((5, 2)), rng.stream(9, 0, 2, rng.PHASE_NEWS).random((5, 2)))
