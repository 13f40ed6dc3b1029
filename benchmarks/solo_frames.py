"""The longest frame of a whole solo game at each AI level: does the window ever freeze?

Plays a solo game (a human CMO by keys and clicks, an AI CTO) through the real
screens under the dummy driver and times every frame. `inline` decides the AI's
moves inside the frame (as before issue 14); `worker` is what the window does now:
the AI decides on the worker thread while the frames go on. The worst frame and the
screen it was on are printed for each.

    python benchmarks/solo_frames.py [--scenario ID] [--seed S]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("SAMETEAM_DATA_DIR", tempfile.mkdtemp())
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from test_ui_hotseat import play_turn  # the tests' player: keys and clicks

from game.session.live import SOLO, GameConfig
from game.session.seats import AI, HUMAN, Seat
from game.ui.scenes.curtain import AiTurnScene, ThinkingScene
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.title import TitleScene, start_game
from game.ui.testing import Driver


def worst_frame(scenario: str, level: int, seed: int, background: bool) -> tuple[float, str]:
    drv = Driver(background=background)
    worst, where = 0.0, ""
    real = drv.app.frame

    def timed(dt: float | None = None) -> None:
        nonlocal worst, where
        name = drv.app.scene.name if drv.app.scene is not None else "?"
        t = time.perf_counter()
        real(dt)
        ms = (time.perf_counter() - t) * 1000
        if ms > worst:
            worst, where = ms, name
    drv.app.frame = timed  # type: ignore[method-assign]
    try:
        drv.start(TitleScene(drv.app))
        seats = (Seat(HUMAN, "Ana"), Seat(AI, "", "reciprocal", level))
        start_game(drv.app, GameConfig(scenario, seed, SOLO, seats))
        drv.frame()
        for turn in range(5000):
            scene = drv.scene
            if isinstance(scene, DebriefScene):
                drv.frame(2)
                break
            if isinstance(scene, ThinkingScene):
                time.sleep(0.001)
                drv.frame()
            elif isinstance(scene, AiTurnScene):
                drv.frame(2)
            else:
                play_turn(drv, turn)
    finally:
        drv.app.tasks.drain()
        drv.close()
    return worst, where


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default="digital-shift")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    print(f"longest frame of a solo game of {args.scenario} (ms, and the screen)")
    for level in (1, 2, 3):
        row = [f"level {level}"]
        for background in (False, True):
            ms, where = worst_frame(args.scenario, level, args.seed, background)
            row.append(f"{'worker' if background else 'inline'} {ms:7.1f} ms ({where})")
        print("   ".join(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
