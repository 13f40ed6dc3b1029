"""Time from launching Python to the first frame of the title screen (target: 1.5 s).

Runs a fresh interpreter each time, under the dummy video driver, and prints the
median and the worst of a few runs.

    python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = """
from game.ui.app import App
from game.ui.scenes.title import TitleScene
app = App((1920, 1080), fast=True, remember=False)
app.switch(TitleScene(app))
app.frame(0.0)
"""


def measure(runs: int = 5) -> list[float]:
    env = dict(os.environ, SDL_VIDEODRIVER=os.environ.get("SDL_VIDEODRIVER", "dummy"),
               SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1",
               PYTHONPATH=str(ROOT), SAMETEAM_DATA_DIR=tempfile.mkdtemp())
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", CHILD], env=env, check=True)
        times.append(time.perf_counter() - t0)
    return times


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    times = measure(args.runs)
    print(f"start-up to title: median {statistics.median(times):.2f} s, "
          f"worst {max(times):.2f} s over {len(times)} runs (target 1.5 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
