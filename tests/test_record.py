"""Game records replay exactly; a record refuses a different scenario."""

from __future__ import annotations

import json

import numpy as np
import pytest

from game.ai.registry import make_policy
from game.engine.game import compile_game
from game.engine.record import GameRecord, record_play, replay
from game.scenario.catalog import resolve
from game.scenario.loader import load_scenario


def test_record_replays_bit_for_bit() -> None:
    game = compile_game(load_scenario(resolve("digital-shift")))
    policies = (make_policy("random", game, 0, 11), make_policy("reciprocal", game, 1, 11))
    state, record = record_play(game, policies, batch=1, seed=42)
    restored = GameRecord.from_dict(json.loads(json.dumps(record.to_dict())))
    again = replay(game, restored)
    for name, arr in state.arrays().items():
        assert np.array_equal(arr, again.arrays()[name]), name


def test_record_refuses_another_scenario_version() -> None:
    sc = load_scenario(resolve("digital-shift"))
    game = compile_game(sc)
    _, record = record_play(game, (make_policy("cooperative", game, 0, 1),
                                   make_policy("cooperative", game, 1, 1)), batch=1, seed=1)
    changed = compile_game(sc.model_copy(update={"quarters": 11}))
    with pytest.raises(ValueError, match="different version"):
        replay(changed, record)
