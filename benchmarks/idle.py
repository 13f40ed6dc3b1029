"""Idle CPU of an untouched window: the title, and a solo game waiting for a click.

A workshop laptop runs on battery for two hours, so a window nobody touches must
cost next to nothing (target: at most 5% of a core). Each screen runs in a fresh
interpreter through the real loop (`App.run`) for a few seconds; the child's CPU
time (user + system) over the wall time is the figure. `--busy` measures the old
way for comparison: a frame every 1/60 s whatever happens. Under the dummy video
driver a present is cheap; when Xvfb is installed the same runs under a real X
server too, where each present costs far more.

    python benchmarks/idle.py [--seconds S]
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

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import resource, sys, time
from game.ui.app import App
seconds, screen, busy = float(sys.argv[1]), sys.argv[2], sys.argv[3] == "busy"
app = App((1280, 720), remember=False)
if screen == "title":
    app.nav.title()
else:
    from game.ui.scenes.newgame import catalog
    from game.session.live import SOLO, GameConfig
    from game.session.seats import AI, HUMAN, Seat
    sc = next(s for s in catalog() if s.id == "first-quarter")
    seats = (Seat(HUMAN, "Ana"), Seat(AI, "", "reciprocal", 2))
    app.nav.start(GameConfig("first-quarter", 5, SOLO, seats), sc)
for _ in range(5):
    app.frame(0.0)
assert app.scene is not None
name = app.scene.name
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
c0, t0 = cpu(), time.monotonic()
end = t0 + seconds
frames0 = app.frames
while time.monotonic() < end:
    if busy:
        app.frame()
    else:
        app.wait(until=end)
        if time.monotonic() < end:
            app.frame()
wall = time.monotonic() - t0
print(f"{name} {100 * (cpu() - c0) / wall:.1f} {app.frames - frames0}")
app.tasks.drain()
"""


def measure(screen: str, seconds: float, busy: bool, env: dict[str, str]) -> tuple[str, float,
                                                                                   int]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(seconds), screen,
                          "busy" if busy else "idle"], env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    return out[0], float(out[1]), int(out[2])


def run_all(label: str, env: dict[str, str], seconds: float) -> None:
    for screen in ("title", "game"):
        for busy in (True, False):
            name, pct, frames = measure(screen, seconds, busy, env)
            how = "60 fps loop (old)" if busy else "event-driven loop"
            print(f"{label:<7}{screen + ' (' + name + ')':<26}{how:<20}{pct:>6.1f}% "
                  f"{frames:>6} frames")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=5.0)
    args = p.parse_args()
    base = dict(os.environ, SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1",
                PYTHONPATH=str(ROOT), SAMETEAM_DATA_DIR=tempfile.mkdtemp())
    print(f"idle CPU over {args.seconds:.0f} s, % of one core (target: at most 5%)")
    run_all("dummy", dict(base, SDL_VIDEODRIVER="dummy"), args.seconds)
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        print("Xvfb not installed: no real X server measured (apt-get install xvfb)")
        return 0
    display = ":97"
    server = subprocess.Popen([xvfb, display, "-screen", "0", "1920x1080x24", "-nolisten",
                               "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        env = {k: v for k, v in base.items() if k != "SDL_VIDEODRIVER"}
        env.update(DISPLAY=display, SDL_VIDEODRIVER="x11")
        run_all("Xvfb", env, args.seconds)
    finally:
        server.terminate()
        server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
