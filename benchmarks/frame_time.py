"""Frame time of every screen at 1920x1080, under the dummy video driver and a real X server.

For each screen: the first frame (building the screen and drawing it) and the
median and p99 of steady frames (target: p99 at most 8 ms). Then the time from
start to the title screen (target 0.8 s), and the idle CPU of the title and of a game
screen waiting for a click over 10 s (target: at most 5% of a core; benchmarks/idle.py).

When Xvfb is installed (apt-get install -y xvfb) the frames and the idle CPU are
measured again under it, with SDL's x11 driver: there every present goes through an
X server, which costs far more than the dummy driver's and is what a laptop pays.

    python benchmarks/frame_time.py [--frames N] [--size WxH] [--idle-seconds S]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("SAMETEAM_DATA_DIR", tempfile.mkdtemp())
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import idle
import numpy as np
from startup import measure

from game.ui.app import App
from game.ui.gallery import screens


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--frames", type=int, default=300, help="steady frames per screen")
    p.add_argument("--size", default="1920x1080")
    p.add_argument("--startup-runs", type=int, default=3)
    p.add_argument("--screenshots", metavar="DIR", default=None,
                   help="also save a PNG of every screen into DIR")
    p.add_argument("--idle-seconds", type=float, default=10.0,
                   help="how long each idle screen is watched (0: skip)")
    p.add_argument("--only-frames", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    driver = os.environ.get("SDL_VIDEODRIVER", "dummy")
    frames(args, driver)
    if args.only_frames:     # the run under Xvfb, started by the one below
        return 0
    startup = measure(args.startup_runs) if args.startup_runs else [float("nan")]
    print(f"start-up to the title's first frame: median {float(np.median(startup)):.2f} s, "
          f"worst {max(startup):.2f} s (target 0.8 s)")
    base = dict(os.environ, SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1",
                PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    if args.idle_seconds > 0:
        idle_cpu("dummy", dict(base, SDL_VIDEODRIVER="dummy"), args.idle_seconds)
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        print("Xvfb not installed: no real X server measured (apt-get install -y xvfb)")
        return 0
    display = ":96"
    server = subprocess.Popen([xvfb, display, "-screen", "0", f"{args.size}x24", "-nolisten",
                               "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        env = dict(base, DISPLAY=display, SDL_VIDEODRIVER="x11")
        subprocess.run([sys.executable, __file__, "--only-frames", "--frames",
                        str(args.frames), "--size", args.size], env=env, check=True)
        if args.idle_seconds > 0:
            idle_cpu("Xvfb", env, args.idle_seconds)
    finally:
        server.terminate()
        server.wait()
    return 0


def idle_cpu(label: str, env: dict[str, str], seconds: float) -> None:
    """The event-driven loop's CPU with nobody touching the window: title and game."""
    env = dict(env, SAMETEAM_DATA_DIR=tempfile.mkdtemp())
    for screen in ("title", "game"):
        name, pct, drawn = idle.measure(screen, seconds, False, env)
        print(f"idle CPU ({label}), {screen} ({name}) over {seconds:.0f} s: {pct:.1f}% of a "
              f"core, {drawn} frames drawn (target at most 5%)")


def frames(args: argparse.Namespace, driver: str) -> None:
    """Every screen's first frame and its steady frames, under the current driver."""
    w, h = (int(x) for x in args.size.split("x"))
    app = App((w, h), fast=True, remember=False)
    print(f"-- frames under SDL_VIDEODRIVER={driver} at {args.size}")
    print(f"{'screen':<22}{'first ms':>10}{'median ms':>11}{'p99 ms':>9}")
    worst = 0.0
    for name, make in screens(app):
        t0 = time.perf_counter()
        app.switch(make())
        app.frame(0.0)
        first = (time.perf_counter() - t0) * 1000
        for _ in range(5):
            app.frame(0.0)
        times = []
        for _ in range(args.frames):
            t = time.perf_counter()
            app.frame(0.0)
            times.append((time.perf_counter() - t) * 1000)
        if args.screenshots:
            import pygame

            folder = Path(args.screenshots)
            folder.mkdir(parents=True, exist_ok=True)
            pygame.image.save(app.screen, str(folder / f"{name}.png"))
        med, p99 = float(np.median(times)), float(np.percentile(times, 99))
        worst = max(worst, p99)
        print(f"{name:<22}{first:>10.1f}{med:>11.2f}{p99:>9.2f}")
    app.close()
    print(f"worst p99 ({driver}): {worst:.2f} ms (target 8 ms)")


if __name__ == "__main__":
    sys.exit(main())
