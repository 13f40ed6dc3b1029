"""The tutorial, played through the window by synthetic input: a real decision every quarter.

Every quarter offers projects to fund and one temptation (an event choice that pleases
the board or the partner, not both), and the hints follow what the players did.
"""

from __future__ import annotations

import pytest

from game.scenario.catalog import scenario_paths
from game.scenario.loader import load_scenario
from game.session import reading
from game.session.live import WORKSHOP, GameConfig
from game.ui.flow import GameFlow
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.title import TitleScene, start_game
from game.ui.testing import Driver
from tests.test_ui_hotseat import play_turn


@pytest.mark.parametrize("seed", [17, 29])
def test_a_whole_tutorial_game_has_a_decision_every_quarter(drv: Driver, seed: int) -> None:
    drv.start(TitleScene(drv.app))
    start_game(drv.app, GameConfig("first-quarter", seed, WORKSHOP))
    drv.frame()
    flow = drv.app.flow
    assert isinstance(flow, GameFlow)
    fundable: dict[int, int] = {}
    temptations: dict[int, int] = {}
    notes: dict[int, list[str]] = {}
    for turn in range(2000):
        scene = drv.scene
        if isinstance(scene, DebriefScene):
            break
        g = flow.game
        q = g.quarter
        if scene.name == "propose":
            fundable[q] = max(fundable.get(q, 0), sum(c.fundable for c in reading.cards(g)))
        if scene.name == "event":
            temptations[q] = temptations.get(q, 0) + 1
        if scene.name == "talk":
            notes.setdefault(q, reading.private_notes(g, 0) + reading.private_notes(g, 1))
        play_turn(drv, turn)
    assert isinstance(drv.scene, DebriefScene)
    assert all(fundable.get(q, 0) >= 2 for q in range(1, 5)), fundable
    assert all(temptations.get(q, 0) >= 1 for q in range(1, 5)), temptations
    # Hints follow the game: the go-around hint says what happened, never both versions.
    q3 = " ".join(notes[3])
    assert ("has come to light" in q3) != ("you have not seen used" in q3)


def test_tutorial_text_matches_the_state() -> None:
    sc = load_scenario(next(p for p in scenario_paths() if p.stem == "first-quarter"))
    words = " ".join(e.text for e in sc.events)
    assert "finish at the end of this one" not in words
    # Each scheduled choice has a consequence someone sees later or at once.
    chosen = [e for e in sc.events if e.choices]
    assert {e.at for e in chosen} == {1, 2, 3, 4}
    for e in chosen:
        assert all(c.text for c in e.choices), e.id
