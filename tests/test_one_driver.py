"""The live game, its save and replay, the AI's look-ahead and `simulate` are one game.

All four step the engine's one driver, so for the same seed and decisions they
must end in the same state, bit for bit. One AI-versus-AI game (both looking
ahead) is played live; then its record is loaded from a save, fed to the Monte
Carlo entry point as two recorded players, and imagined forward by the AI's
look-ahead from the middle of a negotiation.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.ai import belief
from game.ai.counterpart import Counterpart
from game.engine.driver import Need, play
from game.engine.record import GameRecord, Replayer, decode
from game.engine.state import State
from game.session import saves
from game.session.live import DEMO, GameConfig, LiveGame, replay
from game.session.seats import AI, Seat


def same_state(a: State, b: State) -> None:
    assert (a.quarter, a.phase) == (b.quarter, b.phase)
    for name, arr in a.arrays().items():
        assert np.array_equal(arr, b.arrays()[name], equal_nan=True), name


@pytest.fixture(scope="module")
def live() -> LiveGame:
    cfg = GameConfig("digital-shift", 21, DEMO,
                     (Seat(AI, "A", "partner", 1), Seat(AI, "B", "skeptic", 1)))
    g = LiveGame(cfg)
    g.play_out()
    return g


def test_a_saved_game_replays_to_the_same_state_without_asking_the_ai(
        live: LiveGame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = saves.write(live, tmp_path / "game.json")

    def refuse(*_: object) -> None:
        raise AssertionError("a replay asked the AI again")

    monkeypatch.setattr(Counterpart, "decide", refuse)
    loaded = saves.load(path)
    same_state(loaded.state, live.state)
    assert loaded.log == live.log and loaded.done
    for role, pol in live.policies.items():
        assert isinstance(pol, Counterpart)
        mine = loaded.policies[role]
        assert isinstance(mine, Counterpart)
        assert mine.snapshot() == pol.snapshot()     # its memory came back from the record


def test_simulate_with_the_recorded_decisions_ends_in_the_same_state(live: LiveGame) -> None:
    record = GameRecord.from_dict(live.record.to_dict())
    state = play(live.game, (Replayer(record, 0), Replayer(record, 1)), 1, live.config.seed)
    same_state(state, live.state)


def test_the_look_ahead_imagines_the_same_game_from_mid_negotiation(live: LiveGame) -> None:
    """From an answer in a later quarter's negotiation, the look-ahead fed the true state
    and the recorded decisions (instead of its beliefs and its models) ends where the
    live game did."""
    log = live.log
    cut = next(i for i, e in enumerate(log) if e["kind"] == "respond" and e["q"] >= 3)
    before = replay(live.config, log[:cut])
    req = before.request
    assert req is not None and req.kind == Need.RESPOND and req.offer is not None
    rest = GameRecord(live.game.scenario.id, live.game.hash, live.config.seed,
                      entries=log[cut + 1:])
    state = before.state.copy()
    forced = belief.Forced(req, decode(Need.RESPOND, log[cut]["data"]))
    end = belief.imagine(live.game, state, before.driver.progress.public(1),
                         (Replayer(rest, 0), Replayer(rest, 1)), forced, live.game.quarters)
    same_state(end, live.state)
