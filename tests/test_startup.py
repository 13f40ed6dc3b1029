"""Fast start (issue 14): what the title's first frame and `sameteam --help` load.

Timings are the benchmark's (benchmarks/startup.py); this checks the cause instead,
which does not depend on how busy the machine is: the first frame of the title
imports neither numpy, pydantic's scenario models, the engine nor the game screens,
and `--help` not even pygame.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("numpy", "game.engine", "game.scenario.models", "game.session.live",
         "game.ui.router", "game.ui.scenes.newgame")

TITLE = """
import json, sys
from game.ui.app import App
from game.ui.scenes.title import TitleScene
app = App((1280, 720), fast=True, remember=False)
app.switch(TitleScene(app))
app.frame(0.0)
print(json.dumps(sorted(sys.modules)))
"""

HELP = """
import contextlib, io, json, sys
from game.cli.main import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main(["--help"])
print(json.dumps(sorted(sys.modules)))
"""


def modules(code: str, tmp_path: Path) -> set[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), SDL_VIDEODRIVER="dummy",
               SDL_AUDIODRIVER="dummy", SAMETEAM_DATA_DIR=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True, timeout=60)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def loaded(mods: set[str], prefix: str) -> bool:
    return any(m == prefix or m.startswith(prefix + ".") for m in mods)


def test_the_titles_first_frame_loads_no_engine_and_no_game_screen(tmp_path: Path) -> None:
    mods = modules(TITLE, tmp_path)
    assert "game.ui.scenes.title" in mods and "pygame" in mods
    assert [h for h in HEAVY if loaded(mods, h)] == []


def test_help_loads_neither_pygame_nor_numpy_nor_pydantic(tmp_path: Path) -> None:
    mods = modules(HELP, tmp_path)
    assert [h for h in ("pygame", "numpy", "pydantic", "yaml") if loaded(mods, h)] == []
