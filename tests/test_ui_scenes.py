"""Scenes driven by real pygame events: keys and clicks change what is on screen."""

from __future__ import annotations

import json
from pathlib import Path

import pygame

from game.session import saves
from game.session.live import WORKSHOP, GameConfig
from game.session.steps import Kind
from game.ui.flow import GameFlow
from game.ui.scenes.curtain import CurtainScene
from game.ui.scenes.debrief import DebriefScene, export
from game.ui.scenes.facilitator import FacilitatorScene
from game.ui.scenes.info import GameMenuScene, HelpScene, LoadScene
from game.ui.scenes.title import NewGameScene, TitleScene, start_game
from game.ui.testing import Driver


def test_title_keyboard_and_mouse(drv: Driver) -> None:
    drv.start(TitleScene(drv.app))
    assert "Same Team" in drv.drawn
    assert any("New game" in s for s in drv.drawn)
    # Continue is disabled with no saves: arrow keys skip it.
    drv.key(pygame.K_DOWN)
    assert "Load" in drv.scene.focused().label  # type: ignore[union-attr]
    drv.key(pygame.K_UP)
    drv.key(pygame.K_RETURN, frames=2)
    assert isinstance(drv.scene, NewGameScene)
    drv.key(pygame.K_ESCAPE, frames=2)
    assert isinstance(drv.scene, TitleScene)
    drv.click(drv.button("Help"))
    assert isinstance(drv.scene, HelpScene)
    drv.key(pygame.K_ESCAPE, frames=2)
    drv.key(pygame.K_3, frames=2)
    assert isinstance(drv.scene, LoadScene)
    assert "No saved games yet." in drv.drawn


def test_new_game_screen_modes_and_start(drv: Driver) -> None:
    ng = NewGameScene(drv.app)
    drv.start(ng)
    drv.click(drv.button("Solo"))
    assert ng.mode == "solo" and any("I play the" in b.label for b in drv.scene.buttons)
    drv.click(drv.button("I play the CTO"))
    assert ng.role == 1
    before = ng.sc.id
    drv.click(drv.button("▶"))
    assert ng.sc.id != before
    drv.click(drv.button("Workshop"))
    assert ng.mode == WORKSHOP
    drv.click(drv.button("Start the game"), frames=3)
    assert isinstance(drv.scene, CurtainScene)
    assert drv.app.flow is not None


def test_resize_relayouts_and_f11(drv: Driver) -> None:
    drv.start(TitleScene(drv.app))
    small = drv.button("New game").rect.height
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=1920, h=1080,
                                         size=(1920, 1080)))
    drv.frame(2)
    assert drv.app.screen.get_size() == (1920, 1080)
    assert drv.button("New game").rect.height > small
    drv.key(pygame.K_F11, frames=2)
    assert drv.app.fullscreen
    drv.key(pygame.K_F11, frames=2)
    assert not drv.app.fullscreen


def _workshop(drv: Driver, scenario: str = "first-quarter") -> GameFlow:
    drv.start(TitleScene(drv.app))
    start_game(drv.app, GameConfig(scenario, 4, WORKSHOP))
    drv.frame()
    flow = drv.app.flow
    assert isinstance(flow, GameFlow)
    return flow


def test_curtain_names_the_role_and_waits(drv: Driver) -> None:
    flow = _workshop(drv)
    assert isinstance(drv.scene, CurtainScene)
    assert "Pass the laptop to the CMO" in drv.drawn
    drv.frame(5)
    assert isinstance(drv.scene, CurtainScene)      # it waits for a person
    drv.key(pygame.K_RETURN, frames=2)
    assert drv.scene.name == "briefing" and flow.curtained == 0


def test_esc_menu_save_and_facilitator(drv: Driver, tmp_path: Path) -> None:
    flow = _workshop(drv)
    drv.key(pygame.K_RETURN, frames=2)     # curtain
    drv.key(pygame.K_ESCAPE, frames=2)
    assert isinstance(drv.scene, GameMenuScene)
    drv.click(drv.button("Save the game"))
    assert [p for p in saves.list_saves() if not p.autosave]
    drv.key(pygame.K_1, frames=2)          # resume
    assert drv.scene.name == "briefing"
    # The facilitator: pause hides everything, then end the game.
    drv.key(pygame.K_F2, frames=2)
    assert isinstance(drv.scene, FacilitatorScene)
    drv.click(drv.button("Pause"))
    assert flow.paused
    drv.key(pygame.K_F2, frames=2)
    assert "Paused by the facilitator" in drv.drawn
    assert not any("Your role" in s for s in drv.drawn)
    drv.key(pygame.K_F2, frames=2)
    drv.click(drv.button("Resume"))
    assert not flow.paused
    drv.click(drv.button("End the game"), frames=3)
    assert isinstance(drv.scene, DebriefScene)


def test_facilitator_inject_and_undo(drv: Driver) -> None:
    flow = _workshop(drv, "digital-shift")
    g = flow.game
    while g.step.kind == Kind.BRIEFING:
        g.acknowledge()
    flow.advance()
    drv.frame()
    assert drv.scene.name == "dashboard"
    drv.key(pygame.K_F2, frames=2)
    drv.click(drv.button("Inject"))
    drv.click(drv.button("digital-native rival"), frames=2)
    assert flow.game.log[-1] == {"q": 1, "kind": "inject", "role": None,
                                 "data": "digital-rival"}
    assert drv.scene.name == "dashboard"
    assert "A digital-native rival launches" in " ".join(drv.drawn)
    drv.key(pygame.K_RETURN, frames=2)     # continue past the news
    drv.key(pygame.K_F2, frames=2)
    drv.click(drv.button("Undo"), frames=2)
    assert flow.game.step.kind == Kind.NEWS and flow.game.quarter == 1
    assert all(e["kind"] != "inject" for e in flow.game.log)


def test_load_screen_lists_damaged_saves(drv: Driver) -> None:
    folder = saves.saves_dir()
    folder.mkdir(parents=True)
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    drv.start(LoadScene(drv.app))
    assert any("damaged" in s for s in drv.drawn)
    assert not drv.scene.buttons[0].enabled


def test_debrief_export_pngs_and_json(drv: Driver, tmp_path: Path) -> None:
    flow = _workshop(drv)
    flow.end_now()
    drv.frame()
    scene = drv.scene
    assert isinstance(scene, DebriefScene)
    for k in (pygame.K_2, pygame.K_3, pygame.K_4):
        drv.key(k)
        assert scene.page == k - pygame.K_1
    assert any("Questions for the room" in s for s in drv.drawn)
    out = export(scene, tmp_path / "export")
    pngs = sorted(p.name for p in out.glob("*.png"))
    assert len(pngs) == 4
    data = json.loads((out / "history.json").read_text())
    assert data["format"] == "sameteam-save" and "key_moments" in data and data["questions"]
