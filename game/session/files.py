"""The user's data folder, and safe file writing: a crash mid-write never leaves a
half-written file behind. Standard library only: the title screen's start-up reads it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def data_dir() -> Path:
    """The user's data folder for Same Team (SAMETEAM_DATA_DIR overrides it)."""
    override = os.environ.get("SAMETEAM_DATA_DIR")
    if override:
        return Path(override)
    try:
        from platformdirs import user_data_dir
    except ImportError:  # a minimal fallback that follows the XDG convention
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        return Path(base) / "sameteam"
    return Path(user_data_dir("sameteam", appauthor=False))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename over."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
