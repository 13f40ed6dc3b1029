"""Colours, type sizes and the pygame_gui theme, scaled to the window.

The palette is Okabe–Ito's, safe for the common colour-vision deficiencies; roles
and good/bad also differ by shape or label, never by colour alone. Type sizes
follow the window (its height, or its width when that is narrower) so the back
of a room can read a projector at 720p or 1080p alike.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from game.scenario.catalog import data_dir

# Okabe–Ito.
BLACK = (0, 0, 0)
ORANGE = (230, 159, 0)
SKY = (86, 180, 233)
GREEN = (0, 158, 115)
YELLOW = (240, 228, 66)
BLUE = (0, 114, 178)
VERMILLION = (213, 94, 0)
PURPLE = (204, 121, 167)

BG = (244, 241, 234)
PANEL = (255, 255, 255)
PANEL_EDGE = (196, 190, 176)
INK = (27, 27, 27)
MUTED = (84, 80, 74)
FAINT = (221, 216, 204)
GOOD = GREEN
GOOD_TEXT = (0, 110, 80)        # darker green for text on white
BAD = VERMILLION
BAD_TEXT = (168, 66, 0)
WARN = ORANGE
CMO_COLOUR = PURPLE
CMO_TEXT = (150, 60, 110)
CTO_COLOUR = BLUE
CTO_TEXT = (0, 90, 150)
ROLE_COLOURS = (CMO_COLOUR, CTO_COLOUR)
ROLE_TEXT = (CMO_TEXT, CTO_TEXT)
FOCUS = (20, 20, 20)
CURTAIN = (22, 30, 40)

BASE_SIZE = (1280, 720)
TIGHTEST = (1160, 650)
"""The smallest layout the screens are made to fit (in 1280x720 units): larger text
never shrinks the room below it."""
TEXT_SIZES = {"smaller": 0.9, "normal": 1.0, "larger": 1.1}
"""The Settings choice of text size: a factor on the whole scale (type, spacing and
widgets together, so what fits at one size fits at another)."""
SCALE_BOUNDS = (0.75, 2.4)


def scale_for(width: int, height: int, text_size: str = "normal") -> float:
    """Sizes are designed for 1280x720 and follow the window: the smaller of its two
    ratios to that, so a narrow window never gets type made for a wide one, times the
    text-size choice (larger only as far as `TIGHTEST` still fits), within bounds."""
    base = min(height / BASE_SIZE[1], width / BASE_SIZE[0])
    s = base * TEXT_SIZES.get(text_size, 1.0)
    if s > base:
        s = max(base, min(s, width / TIGHTEST[0], height / TIGHTEST[1]))
    return max(SCALE_BOUNDS[0], min(SCALE_BOUNDS[1], s))


class Sizes:
    """Type and spacing for one window size."""

    def __init__(self, width: int, height: int, text_size: str = "normal") -> None:
        s = scale_for(width, height, text_size)
        self.scale = s
        self.small = round(20 * s)
        self.body = round(22 * s)
        self.h3 = round(24 * s)
        self.h2 = round(30 * s)
        self.h1 = round(40 * s)
        self.title = round(64 * s)
        self.pad = round(16 * s)
        self.gap = round(10 * s)
        self.button_h = round(46 * s)
        self.row_h = round(40 * s)


def font_path(bold: bool = False) -> Path:
    return data_dir("assets") / "fonts" / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")


@lru_cache(maxsize=1)
def _theme_file() -> dict[str, Any]:
    with (data_dir("assets") / "theme.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def gui_theme(scale: float) -> dict[str, Any]:
    """The theme file with the shipped fonts' paths filled in and sizes scaled."""
    theme = copy.deepcopy(_theme_file())
    s = scale
    regular = str(font_path(False))
    bold = str(font_path(True))
    for block in theme.values():
        font = block.get("font") if isinstance(block, dict) else None
        if isinstance(font, dict):
            font["regular_path"] = regular
            font["bold_path"] = bold
            font["size"] = str(round(int(font.get("size", 22)) * s))
        misc = block.get("misc") if isinstance(block, dict) else None
        if isinstance(misc, dict) and "shape_corner_radius" in misc:
            misc["shape_corner_radius"] = str(round(int(misc["shape_corner_radius"]) * s))
    return theme
