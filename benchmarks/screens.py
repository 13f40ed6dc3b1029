"""Screenshots of every screen at each window size, checked against the layout rules.

Writes DIR/<W>x<H>/<screen>.png (docs/screens by default) for 1024x600, 1280x720
and 1920x1080, and prints any layout problem (`game.ui.testing.layout_problems`)
found on the way; exits 1 when there is one.

    SDL_VIDEODRIVER=dummy python benchmarks/screens.py [--out DIR] [--sizes 1280x720 ...]
        [--scenario digital-shift]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("SAMETEAM_DATA_DIR", tempfile.mkdtemp())
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pygame

from game.ui.gallery import screens
from game.ui.testing import Driver

ROOT = Path(__file__).resolve().parent.parent
SIZES = ["1024x600", "1280x720", "1920x1080"]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=str(ROOT / "docs" / "screens"))
    p.add_argument("--sizes", nargs="+", default=SIZES)
    p.add_argument("--scenario", default="digital-shift")
    args = p.parse_args()
    problems: list[str] = []
    total = 0
    for size in args.sizes:
        w, h = (int(x) for x in size.split("x"))
        folder = Path(args.out) / f"{w}x{h}"
        folder.mkdir(parents=True, exist_ok=True)
        drv = Driver((w, h))
        try:
            for name, make in screens(drv.app, args.scenario):
                drv.start(make())     # one frame: a screen on a timer is still itself
                problems += drv.layout_problems()
                path = folder / f"{name}.png"
                pygame.image.save(drv.app.screen, str(path))
                total += path.stat().st_size
        finally:
            drv.close()
        print(f"{folder}: done")
    print(f"{total / 1e6:.1f} MB of screenshots")
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
