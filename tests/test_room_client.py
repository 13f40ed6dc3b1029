"""The game's side of a room (session/roomlink.py) against a real HTTP server on 127.0.0.1:
join and rejoin, the record sent after every step, offline and back, a 409 resend, the
facilitator's pause, events and end reaching the game."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import served as served_mod
from served import free_port
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from game.session import roomlink, roomwire
from game.session.live import DEMO, GameConfig, LiveGame, replay
from game.session.roomlink import RoomError, RoomLink, play_headless
from game.session.seats import AI, Seat

SCENARIO = "first-quarter"
SEED = 7
CODE = "ABC234"


class FakeRoom:
    """A room that keeps what the wire format says a room keeps, and replays every record
    with the engine (as the real room does) so a record the game sends must replay."""

    def __init__(self) -> None:
        g = LiveGame(GameConfig(SCENARIO, SEED, DEMO))
        self.hash = g.game.hash
        self.scenario = g.scenario
        self.pairs: dict[str, dict[str, Any]] = {}
        self.commands = roomwire.Commands()
        self.posts = 0
        self.refuse_next = 0          # answer this many posts with 409 held=0
        self.lock = threading.Lock()

    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/api/join", self.join, methods=["POST"]),
            Route("/api/pairs/{pair}/record", self.record, methods=["POST"]),
            Route("/api/pairs/{pair}/commands", self.read_commands, methods=["GET"]),
        ])

    async def join(self, request: Request) -> JSONResponse:
        req = roomwire.JoinRequest.model_validate(await request.json())
        if req.code != CODE:
            return JSONResponse({"error": "wrong room code"}, 403)
        if not self.commands.joining:
            return JSONResponse({"error": "the facilitator has closed joining"}, 403)
        with self.lock:
            if req.pair in self.pairs and self.pairs[req.pair]["token"] == req.token:
                pair = req.pair
            else:
                pair = f"p{len(self.pairs) + 1}"
                self.pairs[pair] = {"token": f"t-{pair}", "entries": [], "config": None}
        return JSONResponse(roomwire.JoinReply(
            pair=pair, token=self.pairs[pair]["token"], room=CODE, title="Test room",
            scenario=SCENARIO, scenario_hash=self.hash, seed=SEED,
            held=len(self.pairs[pair]["entries"])).model_dump())

    def _pair(self, request: Request) -> dict[str, Any] | None:
        p = self.pairs.get(request.path_params["pair"])
        if p is None or request.headers.get("authorization") != f"Bearer {p['token']}":
            return None
        return p

    async def record(self, request: Request) -> JSONResponse:
        p = self._pair(request)
        if p is None:
            return JSONResponse({"error": "wrong token"}, 401)
        post = roomwire.RecordPost.model_validate(await request.json())
        with self.lock:
            self.posts += 1
            held = p["entries"]
            if self.refuse_next:
                self.refuse_next -= 1
                return JSONResponse({"error": "start again", "held": 0}, 409)
            if post.start > len(held) or held[post.start:post.start + len(post.entries)] != (
                    post.entries[:len(held) - post.start]):
                return JSONResponse({"error": "does not fit", "held": len(held)}, 409)
            merged = held[:post.start] + post.entries
            config = GameConfig.from_dict(post.config)
            try:
                replay(config, merged, self.scenario)
            except Exception as e:   # a record that does not replay is refused
                return JSONResponse({"error": f"does not replay: {e}", "held": len(held)}, 409)
            p["entries"] = merged
            p["config"] = post.config
            return JSONResponse(roomwire.RecordReply(
                held=len(merged), commands=self.commands).model_dump())

    async def read_commands(self, request: Request) -> JSONResponse:
        if self._pair(request) is None:
            return JSONResponse({"error": "wrong token"}, 401)
        return JSONResponse(self.commands.model_dump())


class Served(served_mod.Served):
    """The fake room on a real server (tests/served.py), its state at hand."""

    def __init__(self, room: FakeRoom) -> None:
        super().__init__(room.app())
        self.room = room


@pytest.fixture()
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    monkeypatch.setenv("SAMETEAM_DATA_DIR", str(tmp_path))
    s = Served(FakeRoom())
    s.start()
    yield s
    if s.running:
        s.stop()


def ai_seats() -> tuple[Seat, Seat]:
    return (Seat(AI, "", "partner", 1), Seat(AI, "", "skeptic", 1))


def wait_for(pred: Any, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)


def test_address_forms() -> None:
    assert roomlink.normalize_address("192.168.1.20") == "http://192.168.1.20:8765"
    assert roomlink.normalize_address(" http://room.local:9000/ ") == "http://room.local:9000"
    for bad in ("", "http://", "a b", "host:notaport"):
        with pytest.raises(RoomError):
            roomlink.normalize_address(bad)


def test_join_saves_credentials_and_rejoins_as_the_same_pair(served: Served,
                                                              tmp_path: Path) -> None:
    link = RoomLink.join(served.address, CODE.lower(), "Ana", "Ben")
    assert link.creds.pair == "p1" and link.creds.seed == SEED
    assert link.creds.scenario == SCENARIO
    stored = list((tmp_path / "rooms").glob("room-*.json"))
    assert len(stored) == 1 and json.loads(stored[0].read_text())["token"] == "t-p1"
    # A game plays a little and sends it.
    g = LiveGame(link.config_for(ai_seats(), DEMO))
    link.start()
    for _ in range(6):
        g.acknowledge() if g.step.is_view else g.advance_ai()
        link.push(g)
    assert link.flush(10)
    link.close()
    # The laptop restarts: a new link, the same data folder, the same pair, what is held.
    again = RoomLink.join(served.address, CODE, "Ana", "Ben")
    assert again.creds.pair == "p1" and again.joined_held == len(g.log)
    other = RoomLink.join(served.address, CODE, "Cy", "Di", remember=False)
    assert other.creds.pair == "p2"


def test_join_errors_read_as_sentences(served: Served) -> None:
    with pytest.raises(RoomError, match="wrong room code"):
        RoomLink.join(served.address, "ZZZZZZ", "Ana", "Ben")
    served.room.commands = roomwire.Commands(joining=False)
    with pytest.raises(RoomError, match="closed joining"):
        RoomLink.join(served.address, CODE, "Ana", "Ben")
    with pytest.raises(RoomError, match="No room answers"):
        RoomLink.join(f"127.0.0.1:{free_port()}", CODE, "Ana", "Ben", timeout=1.0)


def test_a_different_scenario_version_is_refused(served: Served) -> None:
    served.room.hash = "not-this-version"
    with pytest.raises(RoomError, match="different version"):
        RoomLink.join(served.address, CODE, "Ana", "Ben")


def test_offline_then_online_loses_nothing(served: Served) -> None:
    link = RoomLink.join(served.address, CODE, "Ana", "Ben", poll_every=0.2, timeout=1.0)
    g = LiveGame(link.config_for(ai_seats(), DEMO))
    link.start()
    for _ in range(5):
        g.acknowledge() if g.step.is_view else g.advance_ai()
        link.push(g)
    assert link.flush(10)
    served.stop()
    t0 = time.monotonic()
    for _ in range(10):    # the game goes on while the room is away
        g.acknowledge() if g.step.is_view else g.advance_ai()
        link.push(g)
    assert time.monotonic() - t0 < 5, "pushing must not wait for the room"
    wait_for(lambda: not link.online)
    assert link.pending > 0 and "offline" in link.status()
    served.start()
    assert link.flush(30), link.last_error
    assert link.online and link.pending == 0
    assert served.room.pairs["p1"]["entries"] == g.log
    link.close()


def test_a_409_is_answered_by_sending_from_what_the_room_holds(served: Served) -> None:
    link = RoomLink.join(served.address, CODE, "Ana", "Ben")
    g = LiveGame(link.config_for(ai_seats(), DEMO))
    link.start()
    for _ in range(4):
        g.acknowledge() if g.step.is_view else g.advance_ai()
        link.push(g)
    assert link.flush(10)
    served.room.pairs["p1"]["entries"] = served.room.pairs["p1"]["entries"][:2]  # lost some
    g.acknowledge() if g.step.is_view else g.advance_ai()
    link.push(g)
    assert link.flush(10), link.last_error
    assert served.room.pairs["p1"]["entries"] == g.log
    link.close()


def test_pause_events_and_end_reach_a_headless_game(served: Served) -> None:
    room = served.room
    room.commands = roomwire.Commands(paused=True)
    done: dict[str, Any] = {}
    stats: dict[str, Any] = {}

    def play() -> None:
        done["game"] = play_headless(served.address, CODE, GameConfig("x", 1, DEMO, ai_seats()),
                                     poll_every=0.1, stats=stats)

    t = threading.Thread(target=play, daemon=True)
    t.start()
    wait_for(lambda: "p1" in room.pairs)
    time.sleep(0.5)
    assert len(room.pairs["p1"]["entries"]) == 0, "a paused game must not move"
    game_id = LiveGame(GameConfig(SCENARIO, SEED, DEMO, ai_seats())).injectable()[-1]
    room.commands = roomwire.Commands(events=[roomwire.RoomEvent(seq=1, event=game_id)])
    wait_for(lambda: len(room.pairs["p1"]["entries"]) > 0)
    t.join(60)
    g = done["game"]
    assert g.done and stats["flushed"] and stats["held"] == len(g.log)
    tagged = [e for e in g.log if e.get(roomwire.ROOM_EVENT)]
    assert [e[roomwire.ROOM_EVENT] for e in tagged] == [1]
    assert tagged[0]["data"] == game_id
    assert room.pairs["p1"]["entries"] == g.log
    # The tag survives a reload: the game knows it took event 1.
    again = replay(g.config, g.log, room.scenario)
    assert roomlink.applied_seqs(again.log) == {1}


def test_an_event_is_applied_once_and_in_order(served: Served) -> None:
    link = RoomLink.join(served.address, CODE, "Ana", "Ben")
    g = LiveGame(link.config_for(ai_seats(), DEMO))
    ids = g.injectable()
    link._s.commands = roomwire.Commands(events=[
        roomwire.RoomEvent(seq=2, event=ids[1]), roomwire.RoomEvent(seq=1, event=ids[0]),
        roomwire.RoomEvent(seq=3, event="no-such-event")])
    assert link.apply(g) == [ids[0], ids[1]]
    assert link.apply(g) == []
    reloaded = replay(g.config, g.log, g.scenario)
    assert link.apply(reloaded) == []
    assert [e[roomwire.ROOM_EVENT] for e in reloaded.log if roomwire.ROOM_EVENT in e] == [1, 2]


def test_the_room_ending_stops_a_headless_game(served: Served) -> None:
    served.room.commands = roomwire.Commands(ended=True)
    stats: dict[str, Any] = {}
    g = play_headless(served.address, CODE, GameConfig("x", 1, DEMO, ai_seats()),
                      poll_every=0.1, stats=stats)
    assert not g.done and stats["flushed"]


def test_a_save_knows_its_room(served: Served, tmp_path: Path) -> None:
    link = RoomLink.join(served.address, CODE, "Ana", "Ben")
    save = tmp_path / "saves" / "auto-1.json"
    save.parent.mkdir()
    save.write_text("{}")
    roomlink.remember_save(save, link.creds)
    found = roomlink.room_of_save(save)
    assert found is not None and found.token == link.creds.token
    assert roomlink.save_of(link.creds) == save
    assert roomlink.room_of_save(tmp_path / "other.json") is None


def test_as_a_subprocess(served: Served, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = dict(os.environ, SAMETEAM_DATA_DIR=str(tmp_path))
    out = subprocess.run([sys.executable, "-m", "game.session.roomlink", served.address, CODE,
                          "--cmo", "Ana", "--cto", "Ben"], capture_output=True, text=True,
                         env=env, timeout=120, check=False)
    assert out.returncode == 0, out.stderr
    line = json.loads(out.stdout.strip().splitlines()[-1])
    assert line["done"] and line["held"] == line["entries"]
    assert served.room.pairs[line["pair"]]["entries"][-1]["kind"] == "board"


def test_a_room_is_found_on_the_local_network() -> None:
    from game.session import roomfind

    port = free_port()
    handle = roomfind.advertise(port, CODE, "Workshop room 3")
    try:
        if isinstance(handle, roomfind._Nothing):
            pytest.skip("no multicast on this machine: the room could not be advertised")
        found = [f for f in roomfind.browse(1.5) if f.address.endswith(f":{port}")]
    finally:
        handle.close()
    assert [(f.title, f.code_length) for f in found] == [("Workshop room 3", len(CODE))]
    assert roomlink.normalize_address(found[0].address).endswith(f":{port}")


def test_finding_rooms_fails_soft(monkeypatch: pytest.MonkeyPatch,
                                  caplog: pytest.LogCaptureFixture) -> None:
    import zeroconf

    from game.session import roomfind

    def broken(*a: Any, **k: Any) -> None:
        raise OSError("no multicast here")

    monkeypatch.setattr(zeroconf, "Zeroconf", broken)
    handle = roomfind.advertise(8765, CODE, "Room")
    handle.close()
    assert roomfind.browse(0.1) == []
    assert "no multicast here" in caplog.text


def test_against_the_real_room(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same client against the room the facilitator runs (game/room): a paused room
    holds the game, a fired event goes in once, the record ends whole and replayed."""
    from game.room.server import create_app
    from game.room.service import Room
    from game.room.store import RoomStore, sqlite_url
    from game.session.live import load_config_scenario

    monkeypatch.setenv("SAMETEAM_DATA_DIR", str(tmp_path / "data"))
    sc = load_config_scenario(SCENARIO)
    room = Room.create(RoomStore(sqlite_url(tmp_path / "room.sqlite")), sc,
                       scenario_ref=SCENARIO, seed=SEED, title="Real room", admin_key="k" * 20,
                       code=CODE)
    served = served_mod.Served(create_app(room, admin_key="k" * 20)).start()
    try:
        room.control("pause")
        event = LiveGame(GameConfig(SCENARIO, SEED, DEMO, ai_seats())).injectable()[-1]
        out: dict[str, Any] = {}
        stats: dict[str, Any] = {}
        t = threading.Thread(target=lambda: out.update(g=play_headless(
            served.address, CODE, GameConfig("x", 1, DEMO, ai_seats()), poll_every=0.1,
            stats=stats)), daemon=True)
        t.start()
        wait_for(lambda: len(room.view().pairs) == 1)
        time.sleep(0.4)
        assert room.view().pairs[0].held == 0
        room.control("event", event=event)
        room.control("resume")
        t.join(60)
        g = out["g"]
        assert g.done and stats["flushed"] and stats["held"] == len(g.log)
        assert [e["data"] for e in g.log if e.get(roomwire.ROOM_EVENT) == 1] == [event]
        view = room.view().pairs[0]
        assert view.done and view.held == len(g.log)
    finally:
        served.stop()
        room.close()
