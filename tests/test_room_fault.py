"""A room that crashes mid-game loses nothing: `sameteam room` is SIGKILLed while three
headless games post to it, restarted on the same file, and every game's whole record
ends up held, replayed to the end, with no pair doubled."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from served import free_port

from game.session.live import DEMO, GameConfig
from game.session.seats import AI, Seat

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "first-quarter"


class RoomProcess:
    """`sameteam room` in a subprocess, with what it printed."""

    def __init__(self, data: Path, port: int, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "game.cli.main", "room", "--scenario", SCENARIO,
             "--seed", "3", "--host", "127.0.0.1", "--port", str(port), "--data", str(data),
             "--no-advertise"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.printed: list[str] = []
        self.code = ""
        deadline = time.monotonic() + 30
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"the room did not start: {self.printed}") from None
            self.printed.append(line)
            if line.strip().startswith("room code"):
                self.code = line.split()[-1]
            if line.startswith("Press Ctrl-C"):
                break
        self.address = f"http://127.0.0.1:{port}"
        while True:   # uvicorn listens a moment after the banner
            try:
                httpx.get(f"{self.address}/api/room", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "the room does not answer"
                time.sleep(0.05)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def view(self) -> dict[str, Any]:
        data: dict[str, Any] = httpx.get(f"{self.address}/api/room", timeout=5).json()
        return data

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def test_a_killed_room_resumes_and_loses_nothing(tmp_path: Path) -> None:
    from game.session.roomlink import play_headless

    env = dict(os.environ, SAMETEAM_DATA_DIR=str(tmp_path / "server-data"),
               PYTHONPATH=str(ROOT))
    data = tmp_path / "room.sqlite"
    port = free_port()
    room = RoomProcess(data, port, env)
    code = room.code
    assert len(code) == 6

    results: dict[int, dict[str, Any]] = {}
    games: dict[int, Any] = {}
    errors: list[BaseException] = []
    policies = [("partner", "skeptic"), ("gatekeeper", "partner"), ("mirror", "bypasser")]

    def play(i: int) -> None:
        seats = (Seat(AI, "", policies[i][0], 1), Seat(AI, "", policies[i][1], 1))
        stats: dict[str, Any] = {}
        try:
            games[i] = play_headless(room.address, code, GameConfig(SCENARIO, 3, DEMO, seats),
                                     cmo=f"CMO {i}", cto=f"CTO {i}", delay=0.03,
                                     poll_every=0.3, flush_timeout=60, stats=stats)
        except BaseException as e:   # reported by the test, not lost in a thread
            errors.append(e)
        results[i] = stats

    players = [threading.Thread(target=play, args=(i,), daemon=True) for i in range(3)]
    try:
        for t in players:
            t.start()
        # Kill the room while every game is part-way through.
        deadline = time.monotonic() + 60
        while True:
            view = room.view()
            held = [p["held"] for p in view["pairs"]]
            if len(held) == 3 and min(held) >= 8:
                break
            assert time.monotonic() < deadline, f"the games did not get going: {held} {errors}"
            time.sleep(0.02)
        assert not all(p["done"] for p in view["pairs"])
        room.kill()
        time.sleep(1.0)   # the games play on offline meanwhile
        room = RoomProcess(data, port, env)
        assert room.code == code
        assert any("resumed" in line for line in room.printed)
        for t in players:
            t.join(120)
        assert not errors, errors
        view = room.view()
    finally:
        room.stop()
    assert len(view["pairs"]) == 3, "a game rejoined as a new pair"
    by_pair = {p["pair"]: p for p in view["pairs"]}
    for i in range(3):
        stats = results[i]
        assert stats["flushed"] and stats["done"], stats
        assert stats["held"] == stats["entries"] == len(games[i].log)
        seen = by_pair[stats["pair"]]
        assert seen["done"] and seen["held"] == len(games[i].log), seen
        assert seen["phase"] == "end"
