"""The game's real window under a real X server (Xvfb), not SDL's dummy driver.

Under a window manager the display surface is already the new size when the
resize event arrives; the dummy driver never shows that. This opens the real
window at 1280x720, resizes it through SDL as a window manager would, lets the
event loop relayout, and takes a screenshot. Skipped where Xvfb is not installed
(`.ci/run` installs it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHILD = r"""
import json, sys, time, warnings
import pygame
from game.ui.app import App
from game.ui.scenes.title import TitleScene
from game.ui.testing import layout_problems

out = {"driver": None}
app = App((1280, 720), fast=True, remember=False, fullscreen=False, background=False)
out["driver"] = pygame.display.get_driver()
app.switch(TitleScene(app))
for _ in range(3):
    app.frame(0.0)
before = max(b.rect.height for b in app.scene.buttons)

def settle(size):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        pygame.Window.from_display_module().size = size
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and app.laid_out_for != size:
        app.frame(0.0)
        time.sleep(0.02)
    app.frame(0.0)

settle((1920, 1080))
out["big"] = list(app.laid_out_for)
out["surface"] = list(app.screen.get_size())
out["grew"] = max(b.rect.height for b in app.scene.buttons) > before
out["problems"] = layout_problems(app.scene)
pygame.image.save(app.screen, sys.argv[1])
settle((1024, 600))
out["small"] = list(app.laid_out_for)
out["problems"] += layout_problems(app.scene)
app.close()
print(json.dumps(out))
"""


def _xvfb() -> tuple[subprocess.Popen[bytes], str]:
    proc = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "2560x1600x24",
                             "-nolisten", "tcp"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    line = proc.stdout.readline().decode().strip()
    if not line.isdigit():
        proc.kill()
        pytest.skip("Xvfb did not start")
    return proc, f":{line}"


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed")
def test_real_window_resizes_and_relayouts(tmp_path: Path) -> None:
    proc, display = _xvfb()
    try:
        env = {**os.environ, "DISPLAY": display, "SDL_VIDEODRIVER": "x11",
               "SAMETEAM_DATA_DIR": str(tmp_path / "data"), "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
        shot = tmp_path / "title-1920x1080-x11.png"
        done = subprocess.run([sys.executable, "-c", CHILD, str(shot)], env=env,
                              capture_output=True, text=True, timeout=120,
                              cwd=Path(__file__).resolve().parent.parent)
        assert done.returncode == 0, done.stderr[-2000:]
        got = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert got["driver"] == "x11"
    assert got["big"] == [1920, 1080] and got["surface"] == [1920, 1080]
    assert got["grew"], "the widgets did not grow with the window"
    assert got["small"] == [1024, 600]
    assert got["problems"] == []
    assert shot.is_file() and shot.stat().st_size > 10_000
