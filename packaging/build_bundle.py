"""Build the one-folder bundle of `sameteam` for a workshop laptop without Python.

PyInstaller (well kept, with hooks for numpy, pydantic and pygame-ce) freezes the
command with its scenarios, assets and fonts and the AI's data into one folder,
`dist/sameteam/`, whose `sameteam` (or `sameteam.exe`) runs with nothing installed.
The data go where `importlib.resources` finds them in an installed wheel
(game/_data/...), so the bundle and `pip install .` look up files the same way; the
package metadata goes too, so `sameteam --version` reads pyproject.toml's one version.

Build on the system you ship to (PyInstaller does not cross-compile): Linux here and
in .ci/run, Windows and macOS as the README says. Needs `pip install ".[bundle]"`.

    python packaging/build_bundle.py [--dist DIR] [--work DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = (("scenarios", "game/_data/scenarios"), ("assets", "game/_data/assets"),
        ("game/ai/data", "game/ai/data"),
        ("game/report/templates", "game/report/templates"),   # the balance report's page
        ("game/room/templates", "game/room/templates"))       # the projector, the debrief
LEFT_OUT = ("tkinter", "pytest", "hypothesis", "mypy", "IPython")
"""Never imported by the game; left out so the folder stays small."""
UNUSED_FONTS = ("NotoSansJP-*", "NotoSansSC-*", "NotoSansKR-*")
"""pygame_gui's fonts for Japanese, Chinese and Korean (36 MB): it loads them only for
those locales, and the game's text is English in its own fonts (assets/fonts)."""


def command(dist: Path, work: Path) -> list[str]:
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--onedir",
           "--name", "sameteam", "--distpath", str(dist), "--workpath", str(work),
           "--specpath", str(work), "--log-level", "WARN",
           "--collect-submodules", "game",       # modules imported by name (the AI's)
           "--collect-data", "pygame_gui",       # its default theme, fonts, translations
           "--collect-submodules", "uvicorn",    # the room's server loads its parts by name
           "--copy-metadata", "sameteam"]        # for --version: one version source
    for src, dest in DATA:
        cmd += ["--add-data", f"{ROOT / src}:{dest}"]
    for name in LEFT_OUT:
        cmd += ["--exclude-module", name]
    return [*cmd, str(ROOT / "packaging" / "sameteam_entry.py")]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the folder goes")
    p.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller",
                   help="PyInstaller's working files")
    args = p.parse_args()
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        print("PyInstaller is not installed: pip install \".[bundle]\"", file=sys.stderr)
        return 1
    subprocess.run(command(args.dist.resolve(), args.work.resolve()), check=True, cwd=ROOT)
    folder = args.dist.resolve() / "sameteam"
    for pattern in UNUSED_FONTS:
        for font in folder.glob(f"_internal/pygame_gui/data/{pattern}"):
            font.unlink()
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())
    print(f"built {folder} ({size / 2**20:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
