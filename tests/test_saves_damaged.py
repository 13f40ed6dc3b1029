"""Damaged saves never stop the listing, the title screen, Continue or Load; failed
writes are one message and the game goes on; interrupted writes leave nothing behind."""

from __future__ import annotations

import errno
import json
import os
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pygame
import pytest

from game.session import saves
from game.session.live import DEMO, WORKSHOP, GameConfig, LiveGame
from game.session.seats import AI, HUMAN, Seat
from game.ui.testing import Driver

AI_PAIR = (Seat(AI, "A", "reciprocal"), Seat(AI, "B", "cooperative"))


def _play(g: LiveGame, stop: int) -> None:
    while not g.done and len(g.log) < stop:
        if g.step.is_view:
            g.acknowledge()
        else:
            g.advance_ai()


@pytest.fixture(scope="module")
def good_save(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    g = LiveGame(GameConfig("first-quarter", 3, WORKSHOP, AI_PAIR))
    _play(g, 12)
    data: dict[str, Any] = saves.to_json(g)
    return data


def _edit(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> str:
    out = json.loads(json.dumps(data))
    node = out
    for p in path[:-1]:
        node = node[p]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return json.dumps(out)


_DELETE = object()
BIG = "9" * 5000
DEEP = 100_000

EDITS: list[tuple[str, tuple[Any, ...], Any]] = [
    *((f"version-{v!r}", ("version",), v) for v in ("abc", None, [], {}, True, 0, -1, 1.5)),
    *((f"config-{v!r}", ("config",), v) for v in ([], "x", None, 3, {})),
    *((f"seats-{v!r}", ("config", "seats"), v) for v in ([1, 2], [], None, "ab", [{}, {}, {}])),
    ("seat-kind", ("config", "seats", 0, "kind"), "robot"),
    ("seat-level-str", ("config", "seats", 0, "level"), "x"),
    ("seat-level-huge", ("config", "seats", 0, "level"), 10**30),
    ("seat-name-list", ("config", "seats", 0, "name"), ["a"]),
    ("mode", ("config", "mode"), "chess"),
    ("config-seed-str", ("config", "seed"), "x"),
    ("config-seed-huge", ("config", "seed"), 10**40),
    ("config-scenario-missing", ("config", "scenario"), "no-such-scenario"),
    ("config-scenario-long", ("config", "scenario"), "a/" * 3000 + "x.yaml"),
    ("config-scenario-dir", ("config", "scenario"), "/tmp"),
    ("config-scenario-fifo", ("config", "scenario"), "@FIFO@"),
    ("config-scenario-nul", ("config", "scenario"), "a\x00b.yaml"),
    ("config-scenario-int", ("config", "scenario"), 5),
    *((f"summary-{v!r}", ("summary",), v) for v in ([], "x", None, 1)),
    ("summary-quarter-str", ("summary", "quarter"), "x"),
    ("summary-quarter-neg", ("summary", "quarter"), -1),
    ("summary-revenue-str", ("summary", "revenue"), "abc"),
    ("summary-done-str", ("summary", "done"), "yes"),
    *((f"log-{v!r}", ("log",), v) for v in ({}, "x", None, [1, 2], [[]])),
    ("log-tampered", ("log", 2, "kind"), "respond"),
    ("log-entry-junk", ("log", 3), {"q": "x", "kind": 5}),
    ("hash", ("scenario_hash",), "0" * 16),
    ("hash-int", ("scenario_hash",), 7),
    ("seed-str", ("seed",), "x"),
    ("position-junk", ("position",), {"kind": "nope"}),
    ("label-list", ("label",), [1]),
    ("title-dict", ("scenario_title",), {"a": 1}),
    ("format", ("format",), "other"),
    ("no-log", ("log",), _DELETE),
    ("no-config", ("config",), _DELETE),
    ("no-summary", ("summary",), _DELETE),
]


def _raw_variants(text: str) -> list[tuple[str, bytes]]:
    rng = random.Random(15)
    enc = text.encode("utf-8")
    return [
        *((f"random-{i}", bytes(rng.randrange(256) for _ in range(200))) for i in range(4)),
        ("utf16", text.encode("utf-16")),
        ("latin1", ('{"label": "caf\u00e9", ' + text[1:]).encode("latin-1", "replace")),
        ("bom", b"\xef\xbb\xbf" + enc),
        ("empty", b""),
        ("null", b"null"), ("list", b"[]"), ("string", b'"x"'), ("number", BIG.encode()),
        *((f"truncated-{k}", enc[: len(enc) * k // 5]) for k in (1, 2, 3, 4)),
        ("nul-bytes", enc[:50] + b"\x00" * 20 + enc[50:]),
        ("deep-list", b"[" * DEEP + b"]" * DEEP),
        ("deep-object", b'{"a":' * DEEP + b"1" + b"}" * DEEP),
        ("deep-in-log", enc.replace(b'"log":[', b'"log":[' + b"[" * DEEP + b"]" * DEEP + b",")),
        ("version-1e999", enc.replace(b'"version":2', b'"version":1e999')),
        ("version-big", enc.replace(b'"version":2', b'"version":' + BIG.encode())),
        ("revenue-big", enc.replace(b'"revenue":', b'"revenue":' + BIG.encode() + b",\"x\":")),
        ("revenue-nan", enc.replace(b'"revenue":', b'"revenue":NaN,"x":')),
        ("revenue-inf", enc.replace(b'"revenue":', b'"revenue":1e999,"x":')),
        ("seed-big", enc.replace(b'"seed":3,', b'"seed":' + BIG.encode() + b",")),
    ]


def _write_damaged(folder: Path, good: dict[str, Any]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(good, separators=(",", ":"))
    names: list[str] = []
    fifo = folder / "scenario-fifo.yaml"
    os.mkfifo(fifo)
    for name, path, value in EDITS:
        if value == "@FIFO@":
            value = str(fifo)
        (folder / f"{name}.json").write_text(_edit(good, path, value), encoding="utf-8")
        names.append(f"{name}.json")
    for name, raw in _raw_variants(text):
        (folder / f"{name}.json").write_bytes(raw)
        names.append(f"{name}.json")
    (folder / "a-folder.json").mkdir()
    os.mkfifo(folder / "a-fifo.json")
    (folder / "dangling.json").symlink_to(folder / "nowhere.json")
    names += ["a-folder.json", "a-fifo.json", "dangling.json"]
    return names


@pytest.fixture()
def damaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
            good_save: dict[str, Any]) -> Iterator[tuple[Path, list[str]]]:
    monkeypatch.setenv("SAMETEAM_DATA_DIR", str(tmp_path))
    folder = saves.saves_dir()
    good = folder.parent / "good" / "good.json"
    good.parent.mkdir(parents=True)
    good.write_text(json.dumps(good_save), encoding="utf-8")
    os.utime(good, (time.time() - 3600, time.time() - 3600))   # older than every damaged one
    folder.mkdir(parents=True)
    os.replace(good, folder / "auto-good.json")
    yield folder, _write_damaged(folder, good_save)


def test_at_least_66_kinds_are_listed_and_none_loads_or_crashes(
        damaged: tuple[Path, list[str]]) -> None:
    folder, names = damaged
    assert len(names) >= 66
    rows = {r.path.name: r for r in saves.list_saves(folder)}
    assert rows["auto-good.json"].ok
    for name in names:
        if name == "dangling.json":
            continue   # a broken link has no time to sort by; it is skipped
        row = rows[name]
        if not row.ok:
            assert name in row.error and len(row.error.splitlines()) == 1
        with pytest.raises(saves.SaveError) as info:
            saves.load(folder / name)
        assert name in str(info.value)


def test_continue_reaches_the_newest_good_game(damaged: tuple[Path, list[str]],
                                               good_save: dict[str, Any]) -> None:
    """Continue skips every newer save that does not load; one whose record stops
    replaying part-way (a tampered entry) gives back the game the save before it had,
    which is a start of the good game, and says so."""
    folder, _ = damaged
    found = saves.resume_latest(folder)
    assert found is not None
    game, info, skipped = found
    assert skipped, "the newer listed-but-broken saves were tried and skipped"
    if info.path.name != "auto-good.json":
        assert info.path.name in ("log-tampered.json", "log-entry-junk.json")
        assert "continued from the save before it" in skipped[-1]
        assert 0 < len(game.log) < 12 and game.log == good_save["log"][:len(game.log)]
    else:
        assert len(game.log) == 12


def _record(tmp_path: Path, seed: int, mode: str, entries: int, name: str) -> Path:
    g = LiveGame(GameConfig("first-quarter", seed, mode, AI_PAIR))
    _play(g, entries)
    return saves.write(g, tmp_path / name)


def test_a_record_that_stops_replaying_falls_back_to_the_save_before_it(
        tmp_path: Path) -> None:
    path = _record(tmp_path, 5, WORKSHOP, 14, "auto-x.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["log"][9]["kind"] = "respond"            # decision 10 no longer fits its step
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(saves.SaveError):
        saves.load(path)
    game, note = saves.load_or_earlier(path)
    assert len(game.log) == 9 and game.log == data["log"][:9]
    assert "auto-x.json stops replaying at its decision 10 of 14" in note
    assert "continued from the save before it" in note
    clean, none = saves.load_or_earlier(_record(tmp_path, 5, WORKSHOP, 14, "auto-y.json"))
    assert none == "" and len(clean.log) == 14
    data["log"][0]["kind"] = "respond"           # nothing before it to fall back to
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(saves.SaveError):
        saves.load_or_earlier(path)


def test_a_game_that_fails_on_its_first_screen_falls_back_to_the_save_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save that loads but whose first screen raises (as a scenario pushing a figure
    to NaN once did) must not close the window at every Continue."""
    from game.ui.router import Router
    from game.ui.scenes.title import TitleScene

    monkeypatch.setenv("SAMETEAM_DATA_DIR", str(tmp_path))
    folder = saves.saves_dir()
    folder.mkdir(parents=True)
    older = _record(folder, 7, WORKSHOP, 10, "auto-older.json")
    os.utime(older, (time.time() - 60, time.time() - 60))
    _record(folder, 8, WORKSHOP, 10, "auto-newer.json")
    shown = Router.game_scene

    def crash_on_seed_8(self: Router, flow: Any) -> Any:
        if flow.game.config.seed == 8:
            raise ValueError("cannot convert float NaN to integer")
        return shown(self, flow)

    monkeypatch.setattr(Router, "game_scene", crash_on_seed_8)
    drv = Driver()
    try:
        drv.start(TitleScene(drv.app))
        drv.click(drv.button("Continue"), frames=3)
        flow = drv.app.flow
        assert flow is not None and flow.game.config.seed == 7
        told = " ".join(drv.drawn)
        assert "auto-newer.json failed on resume" in told and "auto-older.json" in told
    finally:
        drv.close()


def test_continue_after_a_demo_resumes_the_players_unfinished_game(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 10: `sameteam demo` keeps its autosave in a folder of its own, so the
    title's Continue still offers, and resumes, the player's unfinished game."""
    import subprocess
    import sys

    from game.ui.scenes.title import TitleScene

    monkeypatch.setenv("SAMETEAM_DATA_DIR", str(tmp_path))
    mine = _record(saves.saves_dir(), 9, WORKSHOP, 10, "auto-mine.json")
    os.utime(mine, (time.time() - 60, time.time() - 60))
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(root), SDL_VIDEODRIVER="dummy",
               SDL_AUDIODRIVER="dummy", SAMETEAM_DATA_DIR=str(tmp_path))
    out = subprocess.run([sys.executable, "-m", "game.cli.main", "demo", "--fast",
                          "--scenario", "first-quarter", "--quarters", "1"], env=env,
                         capture_output=True, text=True, timeout=300, cwd=root)
    assert out.returncode == 0, out.stderr
    assert list(saves.demo_dir().glob("auto-*.json")), "the demo saved into its own folder"
    assert [r.path.name for r in saves.list_saves()] == ["auto-mine.json"]
    drv = Driver()
    try:
        drv.start(TitleScene(drv.app))
        assert any(s.startswith("Continue: AI (Reciprocal)") and "Q2 of 4" in s
                   for s in drv.drawn), drv.drawn
        drv.click(drv.button("Continue"), frames=3)
        flow = drv.app.flow
        assert flow is not None and flow.game.config.seed == 9 and len(flow.game.log) == 10
    finally:
        drv.close()


def test_an_old_demo_save_in_the_players_folder_never_takes_continue(
        tmp_path: Path) -> None:
    mine = _record(tmp_path, 9, WORKSHOP, 10, "auto-mine.json")
    os.utime(mine, (time.time() - 60, time.time() - 60))
    _record(tmp_path, 4, DEMO, 10, "auto-demo.json")
    rows = saves.list_saves(tmp_path)
    assert [r.path.name for r in rows] == ["auto-demo.json", "auto-mine.json"]
    assert rows[0].detail.startswith("demo: ")
    latest = saves.latest(tmp_path)
    assert latest is not None and latest.path == mine
    found = saves.resume_latest(tmp_path)
    assert found is not None and found[1].path == mine


def test_the_load_list_says_who_which_scenario_which_quarter_and_when(
        tmp_path: Path) -> None:
    seats = (Seat(HUMAN, "Ana"), Seat(AI, "", "partner"))
    g = LiveGame(GameConfig("first-quarter", 2, WORKSHOP, seats))
    g.acknowledge()
    saves.write(g, tmp_path / "save-x.json")
    (row,) = saves.list_saves(tmp_path)
    who, scenario, quarter, when = row.detail.split(" · ")
    assert who == "Ana & AI (Partner)"
    assert scenario == g.game.scenario.title
    assert quarter == f"Q1 of {g.game.quarters}"
    assert when == f"today {time.strftime('%H:%M', time.localtime(row.modified))}" or (
        time.strftime("%H:%M") == "00:00")   # saved a moment before midnight
    data = json.loads((tmp_path / "save-x.json").read_text(encoding="utf-8"))
    for saved_at, said in (("2025-03-04 16:40:00", "4 Mar 2025 16:40"), ("junk", "today")):
        data["saved_at"] = saved_at
        (tmp_path / "save-x.json").write_text(json.dumps(data), encoding="utf-8")
        assert saves.list_saves(tmp_path)[0].detail.split(" · ")[-1].startswith(said)


def test_title_continue_and_load_screens_survive(damaged: tuple[Path, list[str]],
                                                 good_save: dict[str, Any]) -> None:
    from game.ui.scenes.title import TitleScene

    drv = Driver()
    try:
        drv.start(TitleScene(drv.app))
        assert "Same Team" in drv.drawn
        drv.click(drv.button("Continue"), frames=3)
        flow = drv.app.flow
        # the good game, or the part of it a tampered newer copy still replays
        assert flow is not None and len(flow.game.log) >= 3
        assert flow.game.log == good_save["log"][:len(flow.game.log)]
        drv.start(TitleScene(drv.app))
        drv.key(pygame.K_3, frames=2)
        assert drv.scene.name == "load"
        drv.frame(2)
    finally:
        drv.close()


def test_stale_temporaries_are_cleaned_fresh_ones_kept(tmp_path: Path) -> None:
    old = tmp_path / ".auto-x.json.abc123.tmp"
    new = tmp_path / ".auto-y.json.def456.tmp"
    keep = tmp_path / "auto-x.json"
    for p in (old, new, keep):
        p.write_text("{}")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    assert saves.clean_stale_temporaries(tmp_path) == 1
    assert not old.exists() and new.exists() and keep.exists()


def _failing(code: int) -> Callable[..., None]:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))
    return fail


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES, errno.ENOTDIR])
def test_manual_save_and_export_into_a_bad_folder_say_so_and_go_on(
        drv: Driver, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    from game.ui.scenes import debrief as debrief_scene
    from game.ui.scenes.info import GameMenuScene

    drv.app.nav.start(GameConfig("first-quarter", 2, DEMO, AI_PAIR))
    drv.frame(2)
    monkeypatch.setattr(saves, "atomic_write_text", _failing(code))
    notes: list[str] = []
    monkeypatch.setattr(drv.app, "notify", lambda m, s=3.0: notes.append(m))
    menu = GameMenuScene(drv.app)
    drv.start(menu)
    menu.save()
    assert notes and notes[-1].startswith("Could not write to ") and "goes on" in notes[-1]
    assert drv.app.running
    monkeypatch.setattr(debrief_scene, "atomic_write_text", _failing(code))
    monkeypatch.setattr(pygame.image, "save", _failing(code))
    flow = drv.app.flow
    assert flow is not None
    scene = debrief_scene.DebriefScene(drv.app, flow)
    drv.start(scene)
    scene.export()
    assert notes[-1].startswith("Could not write to ") and drv.app.running


def test_write_problem_names_the_folder_and_the_reason(tmp_path: Path) -> None:
    msg = saves.write_problem(OSError(errno.ENOSPC, "No space"), tmp_path)
    assert msg == f"Could not write to {tmp_path}: the disk is full; the game goes on."
