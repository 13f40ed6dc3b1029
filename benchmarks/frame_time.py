"""Frame time of every screen at 1920x1080 under the dummy video driver.

For each screen: the first frame (building the screen and drawing it) and the
median and p99 of steady frames (target: p99 at most 8 ms). Then the time from
start to the title screen (target 1.5 s).

    SDL_VIDEODRIVER=dummy python benchmarks/frame_time.py [--frames N] [--size WxH]
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
sys.path.insert(0, str(Path(__file__).resolve().parent))

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
    args = p.parse_args()
    w, h = (int(x) for x in args.size.split("x"))
    app = App((w, h), fast=True, remember=False)
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
    print(f"worst p99: {worst:.2f} ms (target 8 ms)")
    startup = measure(args.startup_runs)
    print(f"start-up to title: median {float(np.median(startup)):.2f} s, worst "
          f"{max(startup):.2f} s (target 1.5 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
