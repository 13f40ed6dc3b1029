"""The room server's API, through Starlette's TestClient and a real uvicorn server on
127.0.0.1: joining, records step by step from a real game, refused records (tampered,
out of step, too large, without the pair's token), the facilitator's controls reaching
the games, the stream, and a room reopened from its file."""

from __future__ import annotations

import copy
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from served import Served
from starlette.testclient import TestClient

from game.room.server import create_app
from game.room.service import CODE_ALPHABET, Room, new_code
from game.room.store import RoomStore, sqlite_url
from game.scenario.catalog import resolve
from game.scenario.loader import load_scenario
from game.scenario.models import Scenario
from game.session import roomwire
from game.session.live import GameConfig, LiveGame
from game.session.seats import AI, Seat

SCENARIO = "first-quarter"
SEED = 5
KEY = "the-facilitators-key"
CODE = "KHX4RT"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(resolve(SCENARIO))


@pytest.fixture()
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SAMETEAM_DATA_DIR", str(tmp_path / "data"))
    return sqlite_url(tmp_path / "room.sqlite")


@pytest.fixture()
def room(db: str, scenario: Scenario) -> Iterator[Room]:
    r = Room.create(RoomStore(db), scenario, scenario_ref=SCENARIO, seed=SEED, title="Test room",
                    admin_key=KEY, code=CODE)
    yield r
    r.close()


@pytest.fixture()
def client(room: Room) -> Iterator[TestClient]:
    with TestClient(create_app(room, admin_key=KEY), raise_server_exceptions=False) as c:
        yield c


def config(cmo: str = "partner", cto: str = "skeptic") -> GameConfig:
    return GameConfig(SCENARIO, SEED, "demo", (Seat(AI, "Ann", cmo), Seat(AI, "Bob", cto)))


def join(c: Any, cmo: str = "Ann", cto: str = "Bob", **more: Any) -> dict[str, Any]:
    r = c.post("/api/join", json={"code": CODE.lower(), "cmo": cmo, "cto": cto, "mode": "demo",
                                  **more})
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def post(c: Any, j: dict[str, Any], game: LiveGame, start: int,
         entries: list[dict[str, Any]] | None = None) -> Any:
    body = {"scenario_hash": j["scenario_hash"], "seed": j["seed"],
            "config": game.config.to_dict(), "start": start,
            "entries": game.log[start:] if entries is None else entries}
    return c.post(f"/api/pairs/{j['pair']}/record", headers=auth(j["token"]), json=body)


def step(game: LiveGame) -> None:
    if game.step.is_view:
        game.acknowledge()
    else:
        game.advance_ai()


def pair_of(view: dict[str, Any], pair: str) -> dict[str, Any]:
    found: dict[str, Any] = next(p for p in view["pairs"] if p["pair"] == pair)
    return found


def play_to(c: Any, j: dict[str, Any], game: LiveGame, entries: int) -> None:
    """Play and post after every step until the log has `entries` entries."""
    while len(game.log) < entries and not game.done:
        held = len(game.log)
        step(game)
        r = post(c, j, game, held)
        assert r.status_code == 200, r.text
        assert r.json()["held"] == len(game.log)


# -- joining ---------------------------------------------------------------------------------
def test_join_rejoin_and_wrong_code(client: TestClient) -> None:
    j = join(client)
    assert j["room"] == CODE and j["scenario"] == SCENARIO and j["seed"] == SEED
    assert j["held"] == 0 and j["token"] and j["pair"]
    again = join(client, pair=j["pair"], token=j["token"])
    assert again["pair"] == j["pair"] and again["token"] == j["token"]
    other = join(client, "Cleo", "Dan")
    assert other["pair"] != j["pair"]

    r = client.post("/api/join", json={"code": "WRONG1", "cmo": "A", "cto": "B"})
    assert r.status_code == 403 and "wrong room code" in r.json()["error"]
    r = client.post("/api/join", json={"code": CODE, "cmo": "A", "cto": "B",
                                       "pair": j["pair"], "token": "not-it"})
    assert r.status_code == 401 and "token" in r.json()["error"]
    r = client.post("/api/join", json={"code": CODE, "cmo": "A", "cto": "B", "protocol": 99})
    assert r.status_code == 400 and "protocol 1" in r.json()["error"]
    r = client.post("/api/join", json={"code": CODE, "cmo": "   ", "cto": "B"})
    assert r.status_code == 422
    r = client.post("/api/join", json={"code": CODE, "cmo": "A" * 61, "cto": "B"})
    assert r.status_code == 422 and r.json()["error"].startswith("cmo")
    r = client.post("/api/join", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "not JSON" in r.json()["error"]
    view = client.get("/api/room").json()
    assert [p["cmo"] for p in view["pairs"]] == ["Ann (CMO)", "Cleo (CMO)"]


def test_closed_joining_and_controls_need_the_key(client: TestClient) -> None:
    first = join(client)
    r = client.post("/api/control", json={"action": "close"})
    assert r.status_code == 401
    r = client.post("/api/control", json={"action": "close"}, headers=auth("guess"))
    assert r.status_code == 401
    r = client.post("/api/control", json={"action": "close"}, headers=auth(KEY))
    assert r.status_code == 200 and r.json()["commands"]["joining"] is False
    r = client.post("/api/join", json={"code": CODE, "cmo": "A", "cto": "B"})
    assert r.status_code == 403
    assert r.json()["error"] == "the facilitator has closed joining"
    # A restarted laptop still gets its pair back.
    assert join(client, pair=first["pair"], token=first["token"])["pair"] == first["pair"]
    client.post("/api/control", json={"action": "open"}, headers=auth(KEY))
    join(client, "Cleo", "Dan")
    r = client.post("/api/control", json={"action": "fly"}, headers=auth(KEY))
    assert r.status_code == 400 and "unknown action" in r.json()["error"]
    r = client.post("/api/control", json={"action": "timer", "seconds": -3}, headers=auth(KEY))
    assert r.status_code == 400


def test_codes_are_short_and_unambiguous() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) > 190
    assert all(len(c) == 6 and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("01OIL25SZB8G") & set(CODE_ALPHABET)


# -- records ---------------------------------------------------------------------------------
def test_records_step_by_step_and_the_view_follows(client: TestClient, scenario: Scenario
                                                   ) -> None:
    j = join(client)
    game = LiveGame(config(), scenario)
    phases = set()
    while not game.done:
        held = len(game.log)
        step(game)
        r = post(client, j, game, held)
        assert r.status_code == 200, r.text
        assert r.json()["held"] == len(game.log)
        seen = pair_of(client.get("/api/room").json(), j["pair"])
        assert seen["held"] == len(game.log)
        assert seen["phase"] == str(game.step.kind) and seen["quarter"] == game.quarter
        phases.add(seen["phase"])
    assert {"news", "talk", "propose", "board", "end"} <= phases
    seen = pair_of(client.get("/api/room").json(), j["pair"])
    ours = roomwire.pair_view(game, j["pair"], len(game.log), 0.0)
    assert seen["done"] is True
    for key in ("growth", "trust_cmo_to_cto", "trust_cto_to_cmo", "ownership", "board_cmo",
                "board_cto", "series", "moves", "dividend"):
        assert seen[key] == json.loads(ours.model_dump_json())[key], key
    # Sending it all again changes nothing.
    r = post(client, j, game, 0)
    assert r.status_code == 200 and r.json()["held"] == len(game.log)


def test_a_tampered_record_is_refused_and_nothing_of_it_kept(client: TestClient,
                                                             scenario: Scenario) -> None:
    j = join(client)
    game = LiveGame(config(), scenario)
    play_to(client, j, game, 1)
    step(game)      # an event choice
    assert game.log[-1]["kind"] == "event"
    bad = copy.deepcopy(game.log[1:])
    bad[0]["data"] = [[9] * len(bad[0]["data"][0])]
    r = post(client, j, game, 1, bad)
    assert r.status_code == 409 and r.json()["held"] == 1
    assert "entry 1 does not replay" in r.json()["error"] and "option 9" in r.json()["error"]
    seen = pair_of(client.get("/api/room").json(), j["pair"])
    assert seen["held"] == 1 and seen["phase"] == "event"
    r = post(client, j, game, 1, [{"kind": "talk"}])
    assert r.status_code == 409 and r.json()["held"] == 1
    # The honest continuation still goes through: the room's copy is intact.
    r = post(client, j, game, 1)
    assert r.status_code == 200 and r.json()["held"] == 2
    play_to(client, j, game, 12)


def test_a_record_that_does_not_match_the_held_part(client: TestClient, scenario: Scenario
                                                    ) -> None:
    j = join(client)
    game = LiveGame(config(), scenario)
    play_to(client, j, game, 4)
    changed = copy.deepcopy(game.log)
    changed[2]["data"]["moves"][0][0] = not changed[2]["data"]["moves"][0][0]
    r = post(client, j, game, 0, changed)
    assert r.status_code == 409 and r.json()["held"] == 4
    assert "entry 2 differs" in r.json()["error"]
    step(game)
    r = post(client, j, game, 6, [])
    assert r.status_code == 409 and r.json()["held"] == 4
    other = dict(game.config.to_dict(), seats=[s.to_dict() for s in config("gatekeeper").seats])
    r = client.post(f"/api/pairs/{j['pair']}/record", headers=auth(j["token"]), json={
        "scenario_hash": j["scenario_hash"], "seed": SEED, "config": other, "start": 4,
        "entries": game.log[4:]})
    assert r.status_code == 409 and "seats differ" in r.json()["error"]
    r = client.post(f"/api/pairs/{j['pair']}/record", headers=auth(j["token"]), json={
        "scenario_hash": "0" * 16, "seed": SEED, "config": game.config.to_dict(), "start": 4,
        "entries": game.log[4:]})
    assert r.status_code == 409 and "another game" in r.json()["error"]
    r = post(client, j, game, 4)
    assert r.status_code == 200 and r.json()["held"] == 5


def test_oversized_records_are_refused(client: TestClient) -> None:
    j = join(client)
    url = f"/api/pairs/{j['pair']}/record"
    big = b"x" * (roomwire.MAX_RECORD_BYTES + 1)
    r = client.post(url, headers=auth(j["token"]), content=big)
    assert r.status_code == 413 and "larger than the room takes" in r.json()["error"]

    def chunks() -> Iterator[bytes]:   # no Content-Length: counted while reading
        for _ in range(roomwire.MAX_RECORD_BYTES // 65536 + 2):
            yield b" " * 65536

    r = client.post(url, headers=auth(j["token"]), content=chunks())
    assert r.status_code == 413
    r = client.post("/api/join", content=b" " * 70_000)
    assert r.status_code == 413
    assert pair_of(client.get("/api/room").json(), j["pair"])["held"] == 0


def test_tokens_keep_pairs_apart(client: TestClient, scenario: Scenario) -> None:
    a, b = join(client), join(client, "Cleo", "Dan")
    game = LiveGame(config(), scenario)
    step(game)
    body = {"scenario_hash": a["scenario_hash"], "seed": SEED, "config": game.config.to_dict(),
            "start": 0, "entries": game.log}
    r = client.post(f"/api/pairs/{a['pair']}/record", json=body)
    assert r.status_code == 401 and "Authorization" in r.json()["error"]
    r = client.post(f"/api/pairs/{a['pair']}/record", json=body, headers=auth("nope"))
    assert r.status_code == 401
    r = client.post(f"/api/pairs/{a['pair']}/record", json=body, headers=auth(b["token"]))
    assert r.status_code == 401
    r = client.get(f"/api/pairs/{a['pair']}/commands", headers=auth(b["token"]))
    assert r.status_code == 401
    r = client.post("/api/pairs/nobody/record", json=body, headers=auth(a["token"]))
    assert r.status_code == 404
    view = client.get("/api/room").json()
    assert pair_of(view, a["pair"])["held"] == 0 and pair_of(view, b["pair"])["held"] == 0
    r = client.post(f"/api/pairs/{b['pair']}/record", json=body, headers=auth(b["token"]))
    assert r.status_code == 200
    view = client.get("/api/room").json()
    assert pair_of(view, a["pair"])["held"] == 0 and pair_of(view, b["pair"])["held"] == 1


def test_pause_and_events_reach_the_games(client: TestClient, scenario: Scenario) -> None:
    j = join(client)
    game = LiveGame(config(), scenario)
    play_to(client, j, game, 3)
    url = f"/api/pairs/{j['pair']}/commands"
    assert client.get(url, headers=auth(j["token"])).json()["paused"] is False
    client.post("/api/control", json={"action": "pause"}, headers=auth(KEY))
    assert client.get(url, headers=auth(j["token"])).json()["paused"] is True
    event = game.injectable()[-1]
    r = client.post("/api/control", json={"action": "event", "event": event}, headers=auth(KEY))
    assert r.status_code == 200
    r = client.post("/api/control", json={"action": "timer", "seconds": 300, "label": "Budget"},
                    headers=auth(KEY))
    commands = client.get(url, headers=auth(j["token"])).json()
    assert commands["events"] == [{"seq": 1, "event": event}]
    assert commands["timer_label"] == "Budget" and commands["timer_ends"] > time.time() + 250
    # The game applies it, tagged with the room's sequence number, and the room replays it.
    held = len(game.log)
    game.inject_event(event)
    game.log[-1][roomwire.ROOM_EVENT] = 1
    step(game)
    r = post(client, j, game, held)
    assert r.status_code == 200, r.text
    assert r.json()["commands"]["paused"] is True and r.json()["commands"]["events"][0]["seq"] == 1
    # A game cannot fire an event of its own, nor the room's twice.
    held = len(game.log)
    for extra in ({roomwire.ROOM_EVENT: 1}, {}, {roomwire.ROOM_EVENT: 2}):
        entry = {"q": game.quarter, "kind": "inject", "role": None, "data": event, **extra}
        r = post(client, j, game, held, [entry])
        assert r.status_code == 409 and "event" in r.json()["error"], extra
    client.post("/api/control", json={"action": "resume"}, headers=auth(KEY))
    client.post("/api/control", json={"action": "end"}, headers=auth(KEY))
    commands = client.get(url, headers=auth(j["token"])).json()
    assert commands["ended"] and not commands["paused"] and not commands["joining"]
    r = client.post("/api/control", json={"action": "event", "event": event}, headers=auth(KEY))
    assert r.status_code == 409


def test_errors_are_json(client: TestClient) -> None:
    for r, status in ((client.get("/api/nothing"), 404), (client.get("/api/join"), 405),
                      (client.post("/api/room"), 405)):
        assert r.status_code == status and set(r.json()) == {"error"}
    assert client.get("/qr.svg").text.startswith("<?xml")


def test_a_reopened_room_resumes(db: str, scenario: Scenario) -> None:
    room = Room.create(RoomStore(db), scenario, scenario_ref=SCENARIO, seed=SEED, title="T",
                       admin_key=KEY, code=CODE)
    with TestClient(create_app(room, admin_key=KEY)) as c:
        j = join(c)
        game = LiveGame(config(), scenario)
        play_to(c, j, game, 8)
        c.post("/api/control", json={"action": "event", "event": game.injectable()[0]},
               headers=auth(KEY))
        c.post("/api/control", json={"action": "pause"}, headers=auth(KEY))
        before = pair_of(c.get("/api/room").json(), j["pair"])
    room.close()
    again = Room.resume(RoomStore(db), scenario)
    assert again.code == CODE
    with TestClient(create_app(again, admin_key=KEY)) as c:
        view = c.get("/api/room").json()
        assert pair_of(view, j["pair"]) == before
        assert view["commands"]["paused"] and view["commands"]["events"][0]["seq"] == 1
        assert join(c, pair=j["pair"], token=j["token"])["held"] == 8
        play_to(c, j, game, 20)   # rebuilt from the stored entries, then extended
        assert pair_of(c.get("/api/room").json(), j["pair"])["held"] == 20
        assert len(again.games()[j["pair"]].log) == 20
    again.close()
    other = scenario.model_copy(update={"quarters": scenario.quarters + 1})
    with pytest.raises(Exception, match="another version"):
        Room.resume(RoomStore(db), other)


# -- a real server -----------------------------------------------------------------------------
@pytest.fixture()
def live(room: Room) -> Iterator[str]:
    served = Served(create_app(room, admin_key=KEY)).start()
    yield served.url
    served.stop()


def test_a_real_server_plays_a_game_and_streams_it(live: str, scenario: Scenario) -> None:
    with httpx.Client(base_url=live, timeout=10) as c:
        j = join(c)
        views: list[dict[str, Any]] = []
        stop = threading.Event()

        def listen() -> None:
            with httpx.Client(base_url=live, timeout=30) as s, \
                    s.stream("GET", "/api/room/stream") as r:
                assert r.headers["content-type"].startswith("text/event-stream")
                try:
                    for line in r.iter_lines():
                        if line.startswith("data: "):
                            views.append(json.loads(line[6:]))
                        if stop.is_set():
                            return
                except httpx.HTTPError:   # the server stopping at the test's end
                    return

        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        game = LiveGame(config(), scenario)
        play_to(c, j, game, 10_000)
        assert game.done
        deadline = time.monotonic() + 5
        while not (views and pair_of(views[-1], j["pair"])["done"]):
            assert time.monotonic() < deadline, "the stream did not deliver the end"
            time.sleep(0.02)
        c.post("/api/control", json={"action": "pause"}, headers=auth(KEY))
        deadline = time.monotonic() + 5
        while not views[-1]["commands"]["paused"]:
            assert time.monotonic() < deadline, "the stream did not deliver the pause"
            time.sleep(0.02)
        stop.set()
        versions = [v["version"] for v in views]
        assert versions == sorted(versions) and len(versions) >= 3
        assert pair_of(views[-1], j["pair"])["held"] == len(game.log)
    # A body announced too large is refused before it is read.
    host, port = live.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"POST /api/pairs/{j['pair']}/record HTTP/1.1\r\nHost: {host}\r\n"
                     f"Authorization: Bearer {j['token']}\r\nContent-Type: application/json"
                     f"\r\nContent-Length: {roomwire.MAX_RECORD_BYTES + 10}\r\n\r\n{{"
                     .encode())
        assert sock.recv(4096).startswith(b"HTTP/1.1 413")
