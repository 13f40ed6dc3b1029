"""Drawing text: cached glyph runs, word wrap, and a recorder for the privacy tests.

Every string the game draws goes through `draw` or `paragraph`, so a test can
switch the recorder on and see exactly which words were on screen each frame.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

import pygame

from game.ui import theme

Colour = tuple[int, int, int]

_fonts: dict[tuple[int, bool], pygame.font.Font] = {}
_surfaces: OrderedDict[tuple[str, int, bool, Colour], pygame.Surface] = OrderedDict()
_wraps: OrderedDict[tuple[str, int, bool, int], list[str]] = OrderedDict()
CACHE = 2000

recording: list[str] | None = None
"""When a list, every drawn string is appended to it (tests and layer capture)."""
_stack: list[list[str] | None] = []


def font(size: int, bold: bool = False) -> pygame.font.Font:
    key = (size, bold)
    f = _fonts.get(key)
    if f is None:
        f = pygame.font.Font(str(theme.font_path(bold)), size)
        _fonts[key] = f
    return f


def render(s: str, size: int, colour: Colour = theme.INK, bold: bool = False) -> pygame.Surface:
    key = (s, size, bold, colour)
    surf = _surfaces.get(key)
    if surf is None:
        surf = font(size, bold).render(s, True, colour)
        _surfaces[key] = surf
        if len(_surfaces) > CACHE:
            _surfaces.popitem(last=False)
    else:
        _surfaces.move_to_end(key)
    return surf


def record(*strings: str) -> None:
    if recording is not None:
        recording.extend(strings)


@contextmanager
def capture() -> Iterator[list[str]]:
    """Collect the strings drawn inside the block (and still pass them to an outer recorder)."""
    global recording
    got: list[str] = []
    _stack.append(recording)
    recording = got
    try:
        yield got
    finally:
        recording = _stack.pop()
        if recording is not None:
            recording.extend(got)


def draw(surface: pygame.Surface, s: str, pos: tuple[int, int], size: int,
         colour: Colour = theme.INK, bold: bool = False, align: str = "left",
         max_width: int | None = None) -> pygame.Rect:
    """Draw one line; `align` is left, center or right of pos[0]. Too long: ellipsis."""
    record(s)
    shown = s
    if max_width is not None and font(size, bold).size(s)[0] > max_width:
        shown = fit(s, size, max_width, bold)
    surf = render(shown, size, colour, bold)
    x, y = pos
    if align == "center":
        x -= surf.get_width() // 2
    elif align == "right":
        x -= surf.get_width()
    return surface.blit(surf, (x, y))


def fit(s: str, size: int, width: int, bold: bool = False) -> str:
    f = font(size, bold)
    if f.size(s)[0] <= width:
        return s
    while s and f.size(s + "…")[0] > width:
        s = s[:-1]
    return s.rstrip() + "…"


def wrap(s: str, size: int, width: int, bold: bool = False) -> list[str]:
    key = (s, size, bold, width)
    lines = _wraps.get(key)
    if lines is not None:
        return lines
    f = font(size, bold)
    lines = []
    for para in s.split("\n"):
        words = para.split()
        line = ""
        for w in words:
            trial = f"{line} {w}" if line else w
            if f.size(trial)[0] <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = w
        lines.append(line)
    _wraps[key] = lines
    if len(_wraps) > CACHE:
        _wraps.popitem(last=False)
    return lines


def line_height(size: int) -> int:
    return int(font(size).get_linesize())


def paragraph(surface: pygame.Surface, s: str, rect: pygame.Rect, size: int,
              colour: Colour = theme.INK, bold: bool = False, max_lines: int | None = None) -> int:
    """Draw wrapped text inside rect; returns the height used."""
    record(s)
    global recording
    saved, recording = recording, None
    try:
        lines = wrap(s, size, rect.width, bold)
        if max_lines is not None and len(lines) > max_lines:
            lines = [*lines[:max_lines - 1], fit(lines[max_lines - 1] + " …", size, rect.width)]
        lh = line_height(size)
        y = rect.y
        for ln in lines:
            if y + lh > rect.bottom + 2:
                break
            draw(surface, ln, (rect.x, y), size, colour, bold)
            y += lh
        return y - rect.y
    finally:
        recording = saved


def height_of(s: str, size: int, width: int) -> int:
    return len(wrap(s, size, width)) * line_height(size)


def width_of(s: str, size: int, bold: bool = False) -> int:
    return int(font(size, bold).size(s)[0])


def clear_caches() -> None:
    _surfaces.clear()
    _wraps.clear()
