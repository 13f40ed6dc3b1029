"""Drawing text: cached glyph runs, word wrap, and recorders for the tests.

Every string the game draws goes through `draw` or `paragraph`, so a test can
switch the recorder on and see exactly which words were on screen each frame,
and `measure` can see where each one landed and which panels framed it.

The one text rule of the game lives here: text wraps inside its rectangle;
where it truly cannot fit, the last line that fits ends in an ellipsis and the
whole text is kept with it (`Placed.full`), so the scene can show it on hover.
Nothing is dropped silently.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Placed:
    """One drawn line: what was shown, where, and the whole text when it was cut."""

    shown: str
    rect: pygame.Rect
    full: str = ""

    @property
    def cut(self) -> bool:
        return bool(self.full) and self.full != self.shown


@dataclass
class Layout:
    """Where the strings of one paint landed, and the frames (panels, cards) drawn."""

    strings: list[Placed] = field(default_factory=list)
    frames: list[pygame.Rect] = field(default_factory=list)

    @property
    def cut(self) -> list[Placed]:
        return [p for p in self.strings if p.cut]


layout: Layout | None = None
"""When set, every drawn line and every frame is appended to it (`measure`)."""


@contextmanager
def measure() -> Iterator[Layout]:
    """Collect where each string drawn inside the block landed."""
    global layout
    saved, layout = layout, Layout()
    try:
        yield layout
    finally:
        got, layout = layout, saved
        if layout is not None and got is not None:
            layout.strings.extend(got.strings)
            layout.frames.extend(got.frames)


def frame(rect: pygame.Rect) -> None:
    """Say that `rect` is a panel: the strings that start inside it must stay inside it."""
    if layout is not None:
        layout.frames.append(pygame.Rect(rect))


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
         max_width: int | None = None, full: str = "") -> pygame.Rect:
    """Draw one line; `align` is left, center or right of pos[0]. Too long for
    `max_width`: an ellipsis, and the whole text kept for the hover card (`full`
    when this line is part of a longer text)."""
    record(s)
    shown = s
    if max_width is not None and font(size, bold).size(s)[0] > max_width:
        shown = fit(s, size, max_width, bold)
        full = full or s
    surf = render(shown, size, colour, bold)
    x, y = pos
    if align == "center":
        x -= surf.get_width() // 2
    elif align == "right":
        x -= surf.get_width()
    r = surface.blit(surf, (x, y))
    if layout is not None:
        layout.strings.append(Placed(shown, pygame.Rect(x, y, surf.get_width(),
                                                        surf.get_height()), full))
    return r


def more(surface: pygame.Surface, hidden: list[str], pos: tuple[int, int], size: int,
         colour: Colour = theme.MUTED, max_width: int | None = None) -> int:
    """'+ N more' where a panel has no room for the rest of its items: never a silent
    drop; the hover card lists them. Returns the height used (0 when none is hidden)."""
    if not hidden:
        return 0
    label = f"+ {len(hidden)} more (point here to read)"
    if max_width is not None and width_of(label, size) > max_width:
        label = f"+ {len(hidden)} more"
    r = draw(surface, label, pos, size, colour, max_width=max_width)
    if layout is not None and layout.strings:
        last = layout.strings[-1]
        layout.strings[-1] = Placed(last.shown, last.rect, "\n".join(hidden))
    return r.height


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
    """Draw wrapped text inside rect; returns the height used. More lines than fit
    (in the rect's height, or `max_lines`): the last one that fits ends in an
    ellipsis and carries the whole text. At least one line is always drawn."""
    record(s)
    global recording
    saved, recording = recording, None
    try:
        lines = wrap(s, size, rect.width, bold)
        lh = line_height(size)
        room = max(1, (rect.height + 2) // lh)
        if max_lines is not None:
            room = min(room, max(1, max_lines))
        cut = len(lines) > room
        if cut:
            lines = [*lines[:room - 1], fit(lines[room - 1] + " …", size, rect.width, bold)]
        y = rect.y
        for i, ln in enumerate(lines):
            last_cut = cut and i == len(lines) - 1
            draw(surface, ln, (rect.x, y), size, colour, bold, max_width=rect.width,
                 full=s if last_cut else "")
            y += lh
        return y - rect.y
    finally:
        recording = saved


def height_of(s: str, size: int, width: int, bold: bool = False) -> int:
    return len(wrap(s, size, width, bold)) * line_height(size)


def width_of(s: str, size: int, bold: bool = False) -> int:
    return int(font(size, bold).size(s)[0])


def clear_caches() -> None:
    _surfaces.clear()
    _wraps.clear()
