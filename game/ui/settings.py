"""Player settings kept between sessions: window, sound, AI pace, text size, and the
facilitator's code."""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from game.session.files import atomic_write_text, data_dir

PACES = {"brisk": 0.8, "normal": 1.6, "slow": 3.0}
TEXT_SIZES = ("smaller", "normal", "larger")
DEFAULT_WINDOW = (1280, 720)


@dataclass
class Settings:
    fullscreen: bool = False
    sound: bool = True
    pace: str = "normal"
    show_focus: bool = True
    window: tuple[int, int] = DEFAULT_WINDOW   # the windowed size last used
    text_size: str = "normal"
    facilitator_code: str = ""   # when set, F2 asks for it (a curious participant cannot)

    @property
    def pace_seconds(self) -> float:
        return PACES.get(self.pace, PACES["normal"])


def path() -> Path:
    return data_dir() / "settings.json"


def load() -> Settings:
    try:
        raw = json.loads(path().read_text(encoding="utf-8"))
        known = {k: v for k, v in raw.items() if k in Settings.__dataclass_fields__}
        got = Settings(**known)
        w, h = (int(x) for x in got.window)
        got.window = (w, h)
        if got.text_size not in TEXT_SIZES:
            got.text_size = "normal"
        got.facilitator_code = str(got.facilitator_code)[:12]
        return got
    except (OSError, ValueError, TypeError):
        return Settings()


def save(s: Settings) -> None:
    with contextlib.suppress(OSError):
        atomic_write_text(path(), json.dumps(asdict(s), indent=2))
