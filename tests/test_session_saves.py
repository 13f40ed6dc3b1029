"""Saves: exact reload mid-quarter, autosave that survives a kill, damaged files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from game.engine.state import State
from game.session import saves
from game.session.live import WORKSHOP, GameConfig, LiveGame
from game.session.seats import AI, Seat
from game.session.steps import Kind
from tests.conftest import neutral_step

ROOT = Path(__file__).resolve().parent.parent
AI_PAIR = (Seat(AI, "A", "reciprocal"), Seat(AI, "B", "cooperative"))


def same(a: State, b: State) -> bool:
    return all(np.array_equal(x, getattr(b, k)) for k, x in a.arrays().items())


def play(g: LiveGame, stop: int | None = None) -> None:
    while not g.done and (stop is None or len(g.log) < stop):
        if g.step.is_view:
            g.acknowledge()
        else:
            g.advance_ai()


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SAMETEAM_DATA_DIR", str(tmp_path))
    return saves.saves_dir()


def test_data_dir_override(folder: Path, tmp_path: Path) -> None:
    assert saves.data_dir() == tmp_path
    assert folder == tmp_path / "saves"


def test_save_mid_quarter_and_load_is_exact(folder: Path) -> None:
    g = LiveGame(GameConfig("digital-shift", 21, WORKSHOP, AI_PAIR))
    play(g, stop=23)
    assert g.step.kind not in (Kind.NEWS, Kind.END)
    path = saves.write(g, folder / "mid.json", "mid")
    loaded = saves.load(path)
    assert loaded.step == g.step
    assert same(loaded.state, g.state)
    assert [m.text for m in loaded.moments] == [m.text for m in g.moments]
    info = saves.list_saves(folder)
    assert len(info) == 1 and info[0].ok and info[0].title == "mid"


def test_autosave_after_every_step(folder: Path) -> None:
    auto = saves.Autosaver(folder, stamp="t", scenario="first-quarter")
    g = LiveGame(GameConfig("first-quarter", 2, WORKSHOP, AI_PAIR), on_step=auto)
    g.acknowledge()
    first = json.loads(auto.path.read_text())
    assert len(first["log"]) == 1
    play(g)
    last = json.loads(auto.path.read_text())
    assert len(last["log"]) == len(g.log) and last["summary"]["done"]
    assert saves.latest(folder) is not None


def test_damaged_and_foreign_saves_give_a_clear_message(folder: Path) -> None:
    g = LiveGame(GameConfig("first-quarter", 2, WORKSHOP, AI_PAIR))
    play(g, stop=8)
    good = saves.write(g, folder / "good.json")
    (folder / "broken.json").write_text('{"format": "sameteam-save", "log": [', encoding="utf-8")
    (folder / "other.json").write_text('{"hello": 1}', encoding="utf-8")
    data = json.loads(good.read_text())
    data["log"][2]["kind"] = "respond"
    (folder / "tampered.json").write_text(json.dumps(data), encoding="utf-8")
    data = json.loads(good.read_text())
    data["scenario_hash"] = "0" * 16
    (folder / "stale.json").write_text(json.dumps(data), encoding="utf-8")
    rows = {r.path.name: r for r in saves.list_saves(folder)}
    assert rows["good.json"].ok
    assert "damaged" in rows["broken.json"].error
    assert "not a Same Team" in rows["other.json"].error
    for name, words in (("broken.json", "damaged"), ("other.json", "not a Same Team"),
                        ("tampered.json", "damaged"), ("stale.json", "changed")):
        with pytest.raises(saves.SaveError, match=words):
            saves.load(folder / name)
    assert same(saves.load(good).state, g.state)   # the others still load


CHILD = """
import sys, time
from game.session import saves
from game.session.live import GameConfig, LiveGame, WORKSHOP
from game.session.seats import Seat
auto = saves.Autosaver(stamp="kill", scenario="digital-shift")
seats = (Seat("ai", "A", "reciprocal"), Seat("ai", "B", "cooperative"))
cfg = GameConfig("digital-shift", 5, WORKSHOP, seats)
g = LiveGame(cfg, on_step=auto)
while not g.done:
    if g.step.is_view:
        g.acknowledge()
    else:
        g.advance_ai()
    print(len(g.log), flush=True)
    time.sleep(0.01)
"""


def test_kill_and_continue(folder: Path) -> None:
    """A game killed mid-play continues from its autosave exactly where it stopped."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), SAMETEAM_DATA_DIR=str(folder.parent))
    proc = subprocess.Popen([sys.executable, "-c", CHILD], env=env, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    steps = 0
    deadline = time.monotonic() + 60
    while steps < 40 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        steps = int(line)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert steps >= 40, "the child game did not get far enough"
    info = saves.latest(folder)
    assert info is not None
    resumed = saves.load(info.path)
    n = len(resumed.log)
    assert n >= 40
    cfg = GameConfig("digital-shift", 5, WORKSHOP, AI_PAIR)
    ref = LiveGame(cfg)
    play(ref, stop=n)
    assert resumed.step == ref.step and same(resumed.state, ref.state)
    play(resumed)
    play(ref)
    assert same(resumed.state, ref.state)
    assert not list(folder.glob(".*.tmp"))


def test_a_version_1_save_loads_rebuilds_the_ai_and_plays_on(tmp_path: Path) -> None:
    """A save written before the one record format (event picks as {event: option}, a bare
    bool per answer, no AI memory) loads at the step it was saved at, rebuilds the AI's
    memory by asking it once per recorded decision, and from then on is an ordinary game:
    its rewritten record replays, without asking the AI, to the very same state."""
    from game.engine.game import scenario_hash
    from game.scenario.catalog import resolve
    from game.scenario.loader import load_scenario
    from game.session.live import replay
    from game.session.steps import Kind

    src = Path(__file__).with_name("data") / "save_v1.json"
    path = tmp_path / src.name
    data = json.loads(src.read_text())
    # The shipped scenario has been retuned since the fixture was written; a save of a
    # changed scenario is refused (another test), so the format is tested on today's.
    data["scenario_hash"] = scenario_hash(load_scenario(resolve(data["config"]["scenario"])))
    path.write_text(json.dumps(data))
    g = saves.load(path)
    assert (g.step.kind, g.step.role, g.quarter) == (Kind.RESPOND, 1, 3)
    while not g.done:
        neutral_step(g, option=1)
    again = replay(g.config, g.log)
    assert again.done
    for name, arr in g.state.arrays().items():
        assert np.array_equal(arr, again.state.arrays()[name]), name
    assert any("mind" in e for e in g.log if e.get("role") == 1)
