"""Start-up: `sameteam --help`, `sameteam scenarios`, and the title's first frame.

Runs a fresh interpreter each time, under the dummy video driver, and prints the
median and the worst of a few runs (targets, issue 14: `--help` 0.3 s, the title's
first frame 0.8 s). `--root DIR` measures another checkout (an older commit, for a
before-and-after).

    python benchmarks/startup.py [--runs N] [--root DIR]
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


def measure(runs: int = 5, argv: list[str] | None = None, root: Path = ROOT) -> list[float]:
    """Wall seconds of `runs` fresh interpreters running argv (default: the title)."""
    env = dict(os.environ, SDL_VIDEODRIVER=os.environ.get("SDL_VIDEODRIVER", "dummy"),
               SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1",
               PYTHONPATH=str(root), SAMETEAM_DATA_DIR=tempfile.mkdtemp())
    cmd = [sys.executable, *(argv or ["-c", CHILD])]
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "game")], check=True)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, cwd=root, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return times


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--root", type=Path, default=ROOT, help="the checkout to measure")
    args = p.parse_args()
    for label, argv, target in (
            ("sameteam --help", ["-m", "game.cli.main", "--help"], "0.3 s"),
            ("sameteam scenarios", ["-m", "game.cli.main", "scenarios"], "-"),
            ("title's first frame", None, "0.8 s")):
        times = measure(args.runs, argv, args.root)
        print(f"{label:<22} median {statistics.median(times):.2f} s, worst {max(times):.2f} s "
              f"over {len(times)} runs (target {target})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
