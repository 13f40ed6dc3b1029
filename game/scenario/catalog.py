"""Where shipped scenarios live, in a source checkout and in an installed wheel.

A wheel carries `scenarios/` and `assets/` inside the package as `game/_data/`;
a checkout (or an editable install) keeps them at the repository root. Both are
tried so `pip install .` and a plain clone behave the same. The package is found
through `importlib.resources`, not `__file__`, so a bundler that relocates modules
(a one-folder build) still finds its data next to them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_PACKAGE = Path(str(resources.files("game")))


def data_dir(name: str) -> Path:
    """The folder `name` ('scenarios' or 'assets'), installed or in the checkout."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cannot find the shipped '{name}' folder next to {_PACKAGE}")


def scenario_paths() -> list[Path]:
    """Shipped scenario files, in a stable order (tutorial first)."""
    paths = sorted(data_dir("scenarios").glob("*.yaml"))
    order = ["first-quarter", "digital-shift", "martech-budget", "gray-zones",
             "change-is-the-villain", "short-tenure"]
    return sorted(paths, key=lambda p: (order.index(p.stem) if p.stem in order else 99, p.stem))


def resolve(path_or_id: str) -> Path:
    """A scenario file from a path or a shipped id; FileNotFoundError says which."""
    p = Path(path_or_id)
    shown = path_or_id if len(path_or_id) <= 120 else f"{path_or_id[:60]}...{path_or_id[-40:]}"
    try:
        if p.suffix in (".yaml", ".yml") or p.exists() or "/" in path_or_id:
            if not p.exists():
                raise FileNotFoundError(f"{shown}: no such file")
            if p.is_dir():
                raise FileNotFoundError(f"{shown}: is a folder, not a scenario file")
            return p
    except (OSError, ValueError) as e:
        if isinstance(e, FileNotFoundError):
            raise
        # a name too long, a NUL byte, no permission to look: one sentence, not a traceback
        reason = (getattr(e, "strerror", None) or str(e)).lower()
        raise FileNotFoundError(f"{shown}: cannot be opened ({reason})") from None
    for candidate in scenario_paths():
        if candidate.stem == path_or_id:
            return candidate
    known = ", ".join(c.stem for c in scenario_paths())
    raise FileNotFoundError(f"{path_or_id}: no such file or shipped scenario (shipped: {known})")
