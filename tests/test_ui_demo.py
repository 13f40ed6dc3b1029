"""The demo plays every shipped scenario to the end through the real screens."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import gui
from game.scenario.catalog import scenario_paths

ROOT = Path(__file__).resolve().parent.parent


def parse(*argv: str) -> argparse.Namespace:
    p = argparse.ArgumentParser()
    gui.add_parsers(p.add_subparsers(dest="command"))
    return p.parse_args(list(argv))


@pytest.mark.parametrize("path", scenario_paths(), ids=lambda p: p.stem)
def test_demo_plays_to_the_end(path: Path, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMETEAM_DATA_DIR", str(tmp_path))
    shots = tmp_path / "shots"
    args = parse("demo", "--scenario", path.stem, "--fast", "--seed", "2",
                 "--screenshots", str(shots))
    assert args.func(args) == 0
    names = {p.stem.split("-", 1)[1] for p in shots.glob("*.png")}
    assert {"title", "new-game", "dashboard", "curtain", "talk", "propose", "respond",
            "results", "board", "debrief", "debrief-discussion"} <= names


def test_demo_quarters_stops_early(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMETEAM_DATA_DIR", str(tmp_path))
    args = parse("demo", "--scenario", "digital-shift", "--fast", "--quarters", "2")
    assert args.func(args) == 0


def test_demo_rejects_unknown_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    args = parse("demo", "--scenario", "no-such-thing", "--fast")
    assert args.func(args) == 2
    assert "no-such-thing" in capsys.readouterr().err


def _no_display_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    env.update(PYTHONPATH=str(ROOT), SAMETEAM_DATA_DIR=str(tmp_path))
    return env


@pytest.mark.parametrize("argv", [[], ["play"], ["play", "--mode", "solo"]])
def test_no_display_is_one_clear_sentence(argv: list[str], tmp_path: Path) -> None:
    code = ("import sys; from game.cli import gui; import argparse\n"
            "argv = sys.argv[1:]\n"
            "if not argv: sys.exit(gui.open_title())\n"
            "p = argparse.ArgumentParser(); gui.add_parsers(p.add_subparsers())\n"
            "a = p.parse_args(argv); sys.exit(a.func(a))\n")
    r = subprocess.run([sys.executable, "-c", code, *argv], env=_no_display_env(tmp_path),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "no display" in lines[0] and "Traceback" not in r.stderr
