"""The projector view in a real browser: Chromium (the system's, driven by Playwright) on
a real room server on 127.0.0.1 while four headless AI-vs-AI games join and play the
tutorial scenario to the end; then the facilitator ends the room and the debrief opens.

Asserts on what the page shows: the four pairs, their phases changing, the pause banner,
the timer, every pair done, the debrief's scatter. Set SAMETEAM_ROOM_SCREENS=DIR to keep
the screenshots (docs/screens/ holds the ones committed); otherwise they go to a temporary
folder and are only checked to be written.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from served import Served

from game.scenario.catalog import resolve
from game.scenario.loader import load_scenario
from game.session.live import GameConfig, LiveGame
from game.session.modes import DEMO
from game.session.seats import AI, Seat

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
SCENARIO = "first-quarter"
SEED = 11
KEY = "facilitator-key-for-the-browser-test"
CODE = "BRWSR4"
PAIRS = (("Ana", "partner", "Ben", "gatekeeper"), ("Chloé", "bypasser", "Dmitri", "skeptic"),
         ("Eve", "turf-warrior", "Farid", "partner"), ("Grace", "mirror", "Hiro", "bypasser"))
STEP_DELAY = 0.12
"""Seconds each headless pair waits after a step, so the page sees phases go by."""

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists() and shutil.which("chromium") is None,
                       reason="no Chromium here (.ci/run installs the Debian package)"),
]


@pytest.fixture()
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A real room on a real uvicorn server on loopback, its data in a temporary folder."""
    from game.room.server import create_app
    from game.room.service import Room
    from game.room.store import RoomStore

    monkeypatch.setenv("SAMETEAM_DATA_DIR", str(tmp_path / "data"))
    scenario = load_scenario(resolve(SCENARIO))
    room = Room.create(RoomStore(f"sqlite:///{tmp_path / 'room.sqlite'}"), scenario,
                       scenario_ref=SCENARIO, seed=SEED, title="Leadership programme, day 2",
                       admin_key=KEY, code=CODE)
    served = Served(create_app(room, admin_key=KEY)).start()
    yield served.url
    served.stop()
    room.close()


def _screens(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SAMETEAM_ROOM_SCREENS") or tmp_path / "screens")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _play(address: str, games: list[LiveGame], errors: list[BaseException]) -> list[
        threading.Thread]:
    from game.session.roomlink import play_headless

    def one(cmo: str, cmo_ai: str, cto: str, cto_ai: str) -> None:
        try:
            cfg = GameConfig(SCENARIO, SEED, DEMO, (Seat(AI, cmo, cmo_ai, 1),
                                                    Seat(AI, cto, cto_ai, 1)))
            games.append(play_headless(address, CODE, cfg, cmo=cmo, cto=cto,
                                       delay=STEP_DELAY, poll_every=0.2, max_seconds=240))
        except BaseException as e:   # reported by the test, not lost in a thread
            errors.append(e)

    threads = [threading.Thread(target=one, args=p, daemon=True) for p in PAIRS]
    for t in threads:
        t.start()
    return threads


def _cards(page: Any) -> list[dict[str, str]]:
    found: list[dict[str, str]] = page.eval_on_selector_all(
        "#pairs .pair", "cs => cs.map(c => ({pair: c.dataset.pair, cls: c.className, "
        "phase: c.querySelector('.phase').dataset.phase, "
        "words: c.querySelector('.phase').textContent}))")
    return found


def test_the_projector_follows_four_games_to_the_end_and_the_debrief(
        server: str, tmp_path: Path) -> None:
    screens = _screens(tmp_path)
    games: list[LiveGame] = []
    errors: list[BaseException] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")),
            headless=True, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            problems: list[str] = []
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(f"{server}/?key={KEY}")
            page.wait_for_selector("text=Waiting for the first pair")
            assert page.locator("#code").inner_text() == CODE
            assert page.locator("#controls").is_visible()

            threads = _play(server, games, errors)
            page.wait_for_function("document.querySelectorAll('#pairs .pair').length === 4",
                                   timeout=30_000)
            # the facilitator pauses the room: the banner shows, and the games wait
            page.get_by_role("button", name="Pause all").click()
            page.wait_for_selector("#banner.on:has-text('PAUSED')")
            # the games stop at their next step: what the room holds stops growing (a
            # post already on its way may still land, so wait for it to settle)
            read = ("fetch('/api/room').then(r => r.json())"
                    ".then(v => v.pairs.map(p => [p.held, p.done]))")
            settled, before = False, page.evaluate(read)
            for _ in range(15):
                page.wait_for_timeout(1000)
                after = page.evaluate(read)
                if after == before:
                    settled = True
                    break
                before = after
            assert settled, "the games went on while the room was paused"
            assert not any(done for _, done in before), "a game finished while paused"
            page.get_by_role("button", name="Resume").click()
            page.wait_for_selector("#banner:not(.on)", state="attached")
            page.get_by_role("button", name="5 min").click()
            page.wait_for_selector("#timer.on")
            assert page.locator("#clock").inner_text() in ("5:00", "4:59", "4:58")

            seen: dict[str, set[str]] = {}
            mid_shot = False
            deadline = time.monotonic() + 200
            while time.monotonic() < deadline:
                cards = _cards(page)
                for c in cards:
                    seen.setdefault(c["pair"], set()).add(c["phase"])
                if not mid_shot and sum("done" in c["cls"] for c in cards) == 0 and all(
                        len(s) >= 3 for s in seen.values()):
                    page.screenshot(path=str(screens / "room-projector-playing.png"))
                    mid_shot = True
                if len(cards) == 4 and all("done" in c["cls"] for c in cards):
                    break
                page.wait_for_timeout(150)
            for t in threads:
                t.join(60)
            assert not errors, errors
            assert len(games) == 4 and all(g.done for g in games)
            cards = _cards(page)
            assert len(cards) == 4 and all("done" in c["cls"] for c in cards), cards
            assert all(c["words"].startswith("finished all") for c in cards)
            # every pair was seen in several phases on the way, named in words
            assert all(len(s) >= 3 for s in seen.values()), seen
            assert {"propose", "end"} <= set().union(*seen.values())
            assert page.locator("#count").inner_text() == "4 pairs · 4 done"
            page.screenshot(path=str(screens / "room-projector.png"))
            page.set_viewport_size({"width": 1280, "height": 720})
            page.wait_for_timeout(300)
            page.screenshot(path=str(screens / "room-projector-1280x720.png"))
            spills = page.evaluate("[...document.querySelectorAll('#pairs .pair')].filter("
                                   "c => c.scrollHeight > c.clientHeight + 1).length")
            assert spills == 0
            page.set_viewport_size({"width": 1920, "height": 1080})

            # end the room (two clicks) and go to the debrief
            end = page.locator("#end")
            end.click()
            assert "again" in end.inner_text()
            end.click()
            page.wait_for_url(f"{server}/debrief", timeout=30_000)
            page.wait_for_selector("#scatter")
            assert page.evaluate("document.getElementById('scatter').naturalWidth") > 400
            assert page.locator("#ranking tr[data-pair]").count() == 4
            for cmo, _, cto, _ in PAIRS:
                assert cmo in page.locator("#ranking").inner_text()
                assert cto in page.locator("#ranking").inner_text()
            page.screenshot(path=str(screens / "room-debrief.png"))
            page.set_viewport_size({"width": 1280, "height": 720})
            page.screenshot(path=str(screens / "room-debrief-1280x720.png"))
            assert not problems, problems
        finally:
            browser.close()
    for name in ("room-projector.png", "room-debrief.png", "room-projector-1280x720.png"):
        assert (screens / name).stat().st_size > 10_000
