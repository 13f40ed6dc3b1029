"""A debrief where the lesson lands: the relationship in money from the one counterfactual
computation, key moments with the scenario's events and the choices on them, questions
about the pair's own moments beside the scenario's, and exports that say who, what, when."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pygame
import pytest

from game.session import debrief
from game.session.live import DEMO, GameConfig, LiveGame
from game.session.seats import AI, Seat
from game.ui.scenes.debrief import DebriefScene, export
from game.ui.testing import Driver


@pytest.fixture(scope="module")
def game() -> LiveGame:
    """A rough game: the bypasser (denies, goes around) against a selfish CMO."""
    g = LiveGame(GameConfig("digital-shift", 2, DEMO,
                            (Seat(AI, "Ana", "selfish"), Seat(AI, "", "bypasser", 1))))
    g.play_out()
    return g


def test_the_headline_is_the_counterfactual_in_money(game: LiveGame) -> None:
    cf = debrief.counterfactuals(game, runs=40)
    assert cf is not None
    revenue = game.state.hist_revenue[0, 1:cf.quarters + 1].sum()
    assert cf.you_revenue == pytest.approx(revenue)
    rep = debrief.replays(game.game, game.log, game.config.seed, cf.quarters, 40,
                          game.state.stream)
    low = float(np.median(rep.revenue[:40]))
    assert cf.worth("selfish") == pytest.approx(revenue - low)
    # The control row, which replays every recorded decision, earns the live revenue.
    assert rep.revenue[rep.control] == pytest.approx(revenue)
    line = debrief.headline(cf)
    assert f"${abs(cf.worth('selfish')):.1f}M" in line and "low-trust pair" in line
    assert ("worth" in line) == (cf.worth("selfish") >= 0)
    assert f"${abs(cf.worth('cooperative')):.1f}M" in line
    assert cf.to_dict()["headline"] == line


def test_key_moments_and_questions_come_from_the_pairs_own_game(game: LiveGame) -> None:
    choices = [m for m in game.moments if m.kind == "choice"]
    assert choices, "digital-shift asks for choices on its events"
    ev = choices[0].text.split(":", 1)[0]
    assert ev in {e.title for e in game.scenario.events}
    keys = game.timeline.key_moments()
    assert any(m.kind == "choice" for m in keys)
    asked = debrief.pair_questions(game)
    assert 1 <= len(asked) <= 4
    quarters = {f"Q{m.quarter}" for m in game.moments}
    for q in asked:
        assert q.startswith("In Q") and q.split(" ")[1].rstrip(",") in quarters, q
    assert len(set(asked)) == len(asked)
    assert not set(asked) & {q.text for q in game.scenario.debrief_questions}


def test_exports_carry_the_pair_the_scenario_and_the_date(game: LiveGame,
                                                          tmp_path: Path) -> None:
    drv = Driver((1280, 720))
    drv.app.pace = 1e4   # a demo game: keep its debrief from paging on by itself
    try:
        flow = drv.app.nav.follow(game, None)
        scene = DebriefScene(drv.app, flow, debrief.counterfactuals(game, runs=20),
                             computed=True)
        drv.start(scene)
        drv.frame()
        assert any("Ana (CMO, AI)" in s and game.scenario.title in s and scene.date in s
                   for s in drv.drawn)
        assert any(s.startswith("Your relationship") for s in drv.drawn)
        drv.key(pygame.K_4)
        assert any("About your game" in s for s in drv.drawn)
        assert any(debrief.pair_questions(game)[0].split(" ")[3] in s for s in drv.drawn)
        out = export(scene, tmp_path / "export")
    finally:
        drv.close()
    pngs = sorted(p.name for p in out.glob("*.png"))
    assert len(pngs) == 4 and all(game.scenario.id in p for p in pngs)
    data = json.loads((out / "history.json").read_text())
    pair = data["pair"]
    assert pair["cmo"].startswith("Ana") and "AI" in pair["cto"]
    assert pair["scenario"] == game.scenario.id and len(pair["date"]) == 10
    assert data["pair_questions"] == debrief.pair_questions(game)
    heard = [m["text"] for m in data["board_heard"]]
    assert heard and any(" denied " in t for t in heard)
