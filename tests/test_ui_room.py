"""The Join-a-room screen and a game in a room, driven through the real window with real
pygame events, against a room on a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pygame
import pytest
from test_room_client import CODE, SCENARIO, SEED, FakeRoom, Served

from game.session import roomwire
from game.ui.flow import GameFlow
from game.ui.scenes.curtain import CurtainScene
from game.ui.scenes.newgame import NewGameScene
from game.ui.scenes.room import JoinRoomScene
from game.ui.testing import Driver


@pytest.fixture()
def served(drv: Driver) -> Iterator[Served]:   # drv sets the private data folder first
    s = Served(FakeRoom())
    s.start()
    yield s
    if drv.app.flow is not None:
        drv.app.flow.leave_room()
    s.stop()


def type_into(drv: Driver, scene: JoinRoomScene, field: str, value: str) -> None:
    """Click the text field, select what it holds, and type over it, as a player does."""
    drv.click_at(scene.fields[field].rect.center)
    for key, mod in ((pygame.K_a, pygame.KMOD_CTRL), (pygame.K_BACKSPACE, 0)):
        for kind in (pygame.KEYDOWN, pygame.KEYUP):
            pygame.event.post(pygame.event.Event(kind, key=key, mod=mod, unicode="",
                                                 scancode=0))
    drv.frame()
    for ch in value:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=ch))
    drv.frame()
    drv.key(pygame.K_TAB)


def wait_until(drv: Driver, pred: Any, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)
        drv.frame()


def join(drv: Driver, served: Served, code: str = CODE) -> JoinRoomScene:
    drv.start(NewGameScene(drv.app))
    drv.click(drv.button("Join a room"))
    scene = drv.scene
    assert isinstance(scene, JoinRoomScene)
    type_into(drv, scene, "address", served.address)
    type_into(drv, scene, "code", code.lower())
    type_into(drv, scene, "name0", "Ana")
    type_into(drv, scene, "name1", "Ben")
    assert (scene.address, scene.code, scene.names) == (served.address, code, ["Ana", "Ben"])
    drv.click(drv.button("Join the room"), frames=3)
    return scene


def room_flow(drv: Driver) -> GameFlow:
    flow = drv.app.flow
    assert isinstance(flow, GameFlow) and flow.link is not None
    return flow


def test_joining_starts_the_rooms_game_and_sends_each_step(drv: Driver, served: Served) -> None:
    join(drv, served)
    assert isinstance(drv.scene, CurtainScene)
    flow = room_flow(drv)
    assert flow.game.config.scenario == SCENARIO and flow.game.config.seed == SEED
    assert flow.game.player_name(0).startswith("Ana")
    drv.key(pygame.K_RETURN, frames=2)           # past the curtain: the header shows the room
    wait_until(drv, lambda: "Room: online" in drv.drawn)
    drv.key(pygame.K_RETURN, frames=2)           # the briefing read
    assert len(flow.game.log) >= 1
    wait_until(drv, lambda: served.room.pairs["p1"]["entries"] == flow.game.log)


def test_a_wrong_code_is_said_on_the_screen(drv: Driver, served: Served) -> None:
    scene = join(drv, served, code="WRONG9")
    assert drv.scene is scene and drv.app.flow is None
    assert any("wrong room code" in s for s in drv.drawn)
    assert drv.button("Join the room").enabled


def test_no_room_at_the_address_is_said_on_the_screen(drv: Driver, served: Served) -> None:
    drv.start(JoinRoomScene(drv.app))
    scene = drv.scene
    assert isinstance(scene, JoinRoomScene)
    type_into(drv, scene, "address", "not an address")
    type_into(drv, scene, "code", CODE)
    drv.click(drv.button("Join the room"), frames=2)
    assert any("is not an address" in s for s in drv.drawn)


def test_the_rooms_pause_covers_the_game_and_blocks_input(drv: Driver, served: Served) -> None:
    join(drv, served)
    flow = room_flow(drv)
    assert flow.link is not None
    served.room.commands = roomwire.Commands(paused=True)
    flow.link.poll()
    wait_until(drv, lambda: "Paused by the facilitator" in drv.drawn)
    assert any("resume the game from the room" in s for s in drv.drawn)
    step = flow.game.step
    drv.key(pygame.K_RETURN, frames=2)
    drv.click_at((drv.app.screen.get_width() // 2, drv.app.screen.get_height() // 2))
    assert flow.game.step == step and isinstance(drv.scene, CurtainScene)
    served.room.commands = roomwire.Commands()
    flow.link.poll()
    wait_until(drv, lambda: "Paused by the facilitator" not in drv.drawn)
    drv.key(pygame.K_RETURN, frames=2)
    assert not isinstance(drv.scene, CurtainScene)


def test_a_room_event_is_applied_at_the_next_step_and_end_goes_to_the_debrief(
        drv: Driver, served: Served) -> None:
    join(drv, served)
    flow = room_flow(drv)
    assert flow.link is not None
    event = flow.game.injectable()[-1]
    served.room.commands = roomwire.Commands(events=[roomwire.RoomEvent(seq=1, event=event)])
    flow.link.poll()
    wait_until(drv, lambda: bool(flow.link and flow.link.commands.events))
    assert not any(e.get(roomwire.ROOM_EVENT) for e in flow.game.log)   # not mid-screen
    drv.key(pygame.K_RETURN, frames=2)           # a step: the event goes in
    tagged = [e for e in flow.game.log if e.get(roomwire.ROOM_EVENT) == 1]
    assert [e["data"] for e in tagged] == [event]
    assert "fired an event for the room" in drv.app.toast
    drv.key(pygame.K_RETURN, frames=2)
    assert len([e for e in flow.game.log if e.get(roomwire.ROOM_EVENT)]) == 1   # once
    wait_until(drv, lambda: served.room.pairs["p1"]["entries"] == flow.game.log)
    served.room.commands = roomwire.Commands(ended=True,
                                             events=served.room.commands.events)
    flow.link.poll()
    wait_until(drv, lambda: drv.scene.name == "debrief", timeout=20)


def test_continue_after_a_restart_sends_to_the_same_room(drv: Driver, served: Served,
                                                         tmp_path: Path) -> None:
    join(drv, served)
    flow = room_flow(drv)
    drv.key(pygame.K_RETURN, frames=2)
    drv.key(pygame.K_RETURN, frames=2)
    drv.app.tasks.drain()
    wait_until(drv, lambda: served.room.pairs["p1"]["entries"] == flow.game.log)
    flow.leave_room()
    drv.app.flow = None
    # The laptop restarts: nothing kept in memory, the same data folder; Continue.
    assert drv.app.nav.continue_latest() is None
    resumed = room_flow(drv)
    assert resumed is not flow and resumed.link is not None and resumed.link is not flow.link
    assert resumed.link.creds.pair == "p1" and resumed.game.log == flow.game.log
    drv.frame(2)
    drv.key(pygame.K_RETURN, frames=2)
    drv.key(pygame.K_RETURN, frames=2)
    assert len(resumed.game.log) > len(flow.game.log)
    wait_until(drv, lambda: served.room.pairs["p1"]["entries"] == resumed.game.log)
    resumed.leave_room()
    drv.app.flow = None
    # Joining again from the join screen finds the saved game instead of a new one.
    join(drv, served)
    assert room_flow(drv).game.log == served.room.pairs["p1"]["entries"]
    assert len(served.room.pairs) == 1


@pytest.mark.parametrize("size", [(1024, 600), (1280, 720), (1920, 1080)])
def test_the_join_screen_fits(drv: Driver, size: tuple[int, int]) -> None:
    from game.session.roomfind import Found

    drv.resize(size)
    scene = JoinRoomScene(drv.app)
    scene.found = [Found("Leadership offsite, Thursday afternoon cohort, room B " * 2,
                         "192.168.1.20:8765", 6)] * 6
    scene.message = "The room said: the facilitator has closed joining. " * 3
    drv.start(scene)
    drv.click(drv.button("Solo"))
    assert "Your name" in drv.drawn and "+ 2 more" in drv.drawn
    assert drv.layout_problems() == []


def test_the_f2_overlay_in_a_room_leaves_events_and_undo_to_the_room(
        drv: Driver, served: Served) -> None:
    """An event fired or a quarter undone on one laptop would be a record the room cannot
    replay: in a room the overlay says so and does neither, with the mouse or its keys."""
    join(drv, served)
    flow = room_flow(drv)
    drv.key(pygame.K_RETURN, frames=2)
    drv.key(pygame.K_F2, frames=2)
    assert any("fired for the room from its projector" in s for s in drv.drawn)
    log = list(flow.game.log)
    drv.key(pygame.K_2, frames=2)                # events: no list opens
    drv.key(pygame.K_3, frames=2)                # undo: no confirmation
    assert not any("Yes: back to the start" in s for s in drv.drawn)
    title = flow.game.scenario.events[flow.game.game.event_ids.index(
        flow.game.injectable()[0])].title
    assert not any(title in s for s in drv.drawn)
    assert flow.game.log == log
    assert any("not in a room" in s for s in drv.drawn)


def test_the_game_plays_in_the_real_room_and_the_room_replays_what_it_shows(
        drv: Driver, tmp_path: Path) -> None:
    """The whole chain a workshop uses: the join screen, the game's screens and the room
    the facilitator runs (game/room on a real server). The room holds every step, shows
    the pair by name, and its replayed figures are the ones on the pair's own dashboard;
    a pause from the room's controls holds the game until it is lifted."""
    from served import Served as Server

    from game.room.server import create_app
    from game.room.service import Room
    from game.room.store import RoomStore, sqlite_url
    from game.session.live import load_config_scenario
    from game.session.reading import kpis

    key = "k" * 24
    room = Room.create(RoomStore(sqlite_url(tmp_path / "room.sqlite")),
                       load_config_scenario(SCENARIO), scenario_ref=SCENARIO, seed=SEED,
                       title="Real room", admin_key=key, code=CODE)
    server = Server(create_app(room, admin_key=key)).start()
    try:
        drv.start(NewGameScene(drv.app))
        drv.click(drv.button("Join a room"))
        scene = drv.scene
        assert isinstance(scene, JoinRoomScene)
        for field, value in (("address", server.address), ("code", CODE), ("name0", "Ana"),
                             ("name1", "Ben")):
            type_into(drv, scene, field, value)
        drv.click(drv.button("Join the room"), frames=3)
        flow = room_flow(drv)
        for _ in range(6):                        # curtain, briefings, the first news
            drv.key(pygame.K_RETURN, frames=2)
        drv.app.tasks.drain()
        wait_until(drv, lambda: bool(room.view().pairs)
                   and room.view().pairs[0].held == len(flow.game.log))
        seen = room.view().pairs[0]
        mine = kpis(flow.game)
        assert (seen.cmo.startswith("Ana"), seen.cto.startswith("Ben")) == (True, True)
        assert seen.quarter == mine.quarter and seen.phase == str(flow.game.step.kind)
        assert (seen.trust_cmo_to_cto, seen.trust_cto_to_cmo) == mine.trust
        assert (seen.board_cmo, seen.board_cto, seen.growth) == (*mine.board, mine.growth)
        room.control("pause")
        assert flow.link is not None
        flow.link.poll()
        wait_until(drv, lambda: "Paused by the facilitator" in drv.drawn)
        step = flow.game.step
        drv.key(pygame.K_RETURN, frames=2)
        assert flow.game.step == step
        room.control("resume")
        flow.link.poll()
        wait_until(drv, lambda: "Paused by the facilitator" not in drv.drawn)
    finally:
        if drv.app.flow is not None:
            drv.app.flow.leave_room()
        server.stop()
        room.close()


def test_a_game_saved_from_the_menu_goes_back_to_its_room_when_loaded(
        drv: Driver, served: Served) -> None:
    """Esc -> Save the game, later Load: the game reconnects to the room it was played in,
    as Continue does with the autosave, and sends what it plays next."""
    from game.session import saves

    join(drv, served)
    flow = room_flow(drv)
    drv.key(pygame.K_RETURN, frames=2)
    drv.key(pygame.K_ESCAPE, frames=2)
    drv.click(drv.button("Save the game"), frames=2)
    manual = [i.path for i in saves.list_saves() if i.path.name.startswith("save-")]
    assert len(manual) == 1
    wait_until(drv, lambda: served.room.pairs["p1"]["entries"] == flow.game.log)
    flow.leave_room()
    drv.app.flow = None
    assert drv.app.nav.resume(manual[0]) is None
    loaded = room_flow(drv)
    assert loaded.link is not None and loaded.link.creds.pair == "p1"
    drv.frame(2)
    drv.key(pygame.K_RETURN, frames=2)
    wait_until(drv, lambda: served.room.pairs["p1"]["entries"] == loaded.game.log)


def test_a_room_pause_reaches_a_screen_nobody_touches(drv: Driver, served: Served) -> None:
    """The window sleeps while nothing changes; a pause from the room is a change, so the
    loop wakes for it without a key or a click (at most its one-second look later)."""
    join(drv, served)
    flow = room_flow(drv)
    drv.key(pygame.K_RETURN, frames=2)
    drv.app._live_until = 0.0                    # long after the last input
    drv.frame(2)
    assert drv.app.due_in(time.monotonic()) > 0  # idle: the loop may block
    assert flow.link is not None
    served.room.commands = roomwire.Commands(paused=True)
    flow.link.poll()
    deadline = time.monotonic() + 10
    while drv.app.due_in(time.monotonic()) > 0:
        assert time.monotonic() < deadline, "the paused room never woke it"
        time.sleep(0.05)
    drv.frame()
    assert "Paused by the facilitator" in drv.drawn
    assert drv.app.due_in(time.monotonic()) > 0  # painted: idle again
