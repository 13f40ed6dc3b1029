"""Solo play: the AI partner's moves appear with its line, at a pace a person can follow,
and its private intel never reaches the human's screens."""

from __future__ import annotations

import pygame
from test_ui_hotseat import play_turn, private_strings

from game.engine.constants import CMO, CTO
from game.session.live import SOLO, GameConfig
from game.session.seats import AI, HUMAN, Seat, partners_for
from game.ui.flow import GameFlow
from game.ui.scenes.curtain import AiTurnScene
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.newgame import catalog
from game.ui.scenes.title import TitleScene, start_game
from game.ui.testing import Driver


def test_solo_game_against_an_ai(drv: Driver) -> None:
    sc = next(s for s in catalog() if s.id == "first-quarter")
    partner = partners_for(list(sc.ai.offered))[0]
    seats = (Seat(HUMAN, "Ana"), Seat(AI, "", partner, 2))
    leaks: list[str] = []

    def watch(d: Driver, drawn: list[str]) -> None:
        flow = d.app.flow
        if isinstance(flow, GameFlow):
            secrets = private_strings(flow.game, CTO) - private_strings(flow.game, CMO)
            leaks.extend(s for s in secrets for t in drawn if s in t)

    drv.on_frame = watch
    drv.start(TitleScene(drv.app))
    start_game(drv.app, GameConfig("first-quarter", 5, SOLO, seats), sc)
    drv.frame()
    flow = drv.app.flow
    assert isinstance(flow, GameFlow)
    ai_turns = 0
    for turn in range(1000):
        scene = drv.scene
        if isinstance(scene, DebriefScene):
            break
        assert scene.name != "curtain"            # one human: no curtains
        if isinstance(scene, AiTurnScene):
            ai_turns += 1
            assert scene.role == CTO
            drv.frame(2)
            continue
        play_turn(drv, turn)
    assert isinstance(drv.scene, DebriefScene)
    assert ai_turns >= 8
    assert not leaks


def test_ai_waits_for_the_pace_and_enter_skips(drv: Driver) -> None:
    seats = (Seat(AI, "", "reciprocal"), Seat(HUMAN, "Bo"))
    drv.start(TitleScene(drv.app))
    drv.app.pace = 5.0
    start_game(drv.app, GameConfig("first-quarter", 5, SOLO, seats))
    drv.frame()
    flow = drv.app.flow
    assert isinstance(flow, GameFlow)
    while not isinstance(drv.scene, AiTurnScene):
        play_turn(drv, 1)
    scene = drv.scene
    drv.frame(30)                       # no time passes: the AI's move stays on screen
    assert drv.scene is scene
    assert any("Fair Trader" in s or "(CMO, AI)" in s for s in drv.drawn)
    drv.key(pygame.K_RETURN, frames=3)
    assert drv.scene is not scene
    assert flow.game.seat(CMO).policy == "reciprocal" and CMO in flow.game.policies
