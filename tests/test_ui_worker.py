"""The AI decides off the UI thread: the same game as deciding inline, a thinking
screen after a short wait, and Esc still answered while the AI thinks."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pygame
import pytest
from test_ui_hotseat import play_turn

from game.engine.constants import CMO
from game.session.live import DEMO, SOLO, GameConfig, LiveGame
from game.session.seats import AI, HUMAN, Seat
from game.ui.flow import GameFlow
from game.ui.scenes.curtain import AiTurnScene, ThinkingScene
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.info import GameMenuScene
from game.ui.scenes.title import TitleScene, start_game
from game.ui.testing import Driver


@pytest.fixture()
def threaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Driver]:
    monkeypatch.setenv("SAMETEAM_DATA_DIR", str(tmp_path / "bg"))
    d = Driver(background=True)
    yield d
    d.app.tasks.drain()
    d.close()


def _play(drv: Driver, config: GameConfig) -> list[Any]:
    """A whole game through the screens; returns the game's log."""
    drv.start(TitleScene(drv.app))
    start_game(drv.app, config)
    drv.frame()
    flow = drv.app.flow
    assert isinstance(flow, GameFlow)
    turn = 0
    for _ in range(20000):
        scene = drv.scene
        if isinstance(scene, DebriefScene):
            break
        if isinstance(scene, ThinkingScene):
            time.sleep(0.002)
            drv.frame()
        elif isinstance(scene, AiTurnScene) or flow.mode == DEMO:
            drv.frame(2)
        else:
            play_turn(drv, turn)
            turn += 1
    assert isinstance(drv.scene, DebriefScene)
    drv.app.tasks.drain()
    return list(flow.game.log)


@pytest.mark.parametrize("mode", [SOLO, DEMO])
def test_a_game_decided_on_the_worker_is_the_game_decided_inline(
        mode: str, drv: Driver, threaded: Driver) -> None:
    human = Seat(HUMAN, "Ana") if mode == SOLO else Seat(AI, "", "reciprocal", 2)
    config = GameConfig("first-quarter", 7, mode, (human, Seat(AI, "", "reciprocal", 2)))
    inline = _play(drv, config)
    worker = _play(threaded, config)
    assert worker == inline
    assert len(inline) > 10


def test_esc_is_answered_while_the_ai_thinks(threaded: Driver,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    decide = LiveGame.ai_decide
    on_worker: list[bool] = []

    def slow(self: LiveGame) -> Any:
        on_worker.append(threading.current_thread() is not threading.main_thread())
        release.wait(10)
        return decide(self)

    monkeypatch.setattr(LiveGame, "ai_decide", slow)
    seats = (Seat(AI, "", "reciprocal", 2), Seat(HUMAN, "Bo"))
    drv = threaded
    drv.start(TitleScene(drv.app))
    start_game(drv.app, GameConfig("first-quarter", 5, SOLO, seats))
    drv.frame()
    while not isinstance(drv.scene, ThinkingScene):
        play_turn(drv, 1)
    thinking = drv.scene
    drv.frame()
    assert not drv.drawn                          # a short wait keeps the last screen
    time.sleep(0.2)
    drv.frame()
    assert any("is thinking" in s for s in drv.drawn)
    t0 = time.monotonic()
    drv.key(pygame.K_ESCAPE, frames=2)            # taken at once, though the AI is busy
    assert time.monotonic() - t0 < 1.0
    assert drv.scene is thinking
    assert any("menu opens" in s for s in drv.drawn)
    release.set()
    for _ in range(500):
        if isinstance(drv.scene, GameMenuScene):
            break
        time.sleep(0.002)
        drv.frame()
    assert isinstance(drv.scene, GameMenuScene)
    assert on_worker == [True]
    assert drv.app.flow is not None and drv.app.flow.game.seat(CMO).policy == "reciprocal"
