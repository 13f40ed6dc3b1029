"""Charts the project draws itself: line charts, gauges, meters, waterfalls, sparklines.

Each takes a target rect and plain numbers; series differ by marker shape as
well as colour so they read in greyscale and for colour-blind players.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import pygame

from game.ui import text, theme
from game.ui.text import Colour

MARKERS = ("circle", "square", "triangle", "diamond")


def marker(surface: pygame.Surface, kind: str, x: int, y: int, r: int, colour: Colour) -> None:
    if kind == "square":
        pygame.draw.rect(surface, colour, (x - r, y - r, 2 * r, 2 * r))
    elif kind == "triangle":
        pygame.draw.polygon(surface, colour,
                            [(x, y - r - 1), (x - r - 1, y + r), (x + r + 1, y + r)])
    elif kind == "diamond":
        pygame.draw.polygon(surface, colour, [(x, y - r - 1), (x + r + 1, y), (x, y + r + 1),
                                              (x - r - 1, y)])
    else:
        pygame.draw.circle(surface, colour, (x, y), r)


def _dashed(surface: pygame.Surface, colour: Colour, a: tuple[float, float],
            b: tuple[float, float], width: int, dash: int) -> None:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy)
    if length < 1:
        return
    n = max(1, int(length // dash))
    for i in range(0, n, 2):
        t0, t1 = i / n, min(1.0, (i + 1) / n)
        pygame.draw.line(surface, colour, (a[0] + dx * t0, a[1] + dy * t0),
                         (a[0] + dx * t1, a[1] + dy * t1), width)


def line_chart(surface: pygame.Surface, rect: pygame.Rect,
               series: Sequence[tuple[str, Sequence[float], Colour]], *,
               title: str = "", y_min: float | None = None, y_max: float | None = None,
               fmt: str = "{:.0%}", x_label: str = "Q", size: int = 18,
               threshold: float | None = None, quarters: int | None = None) -> None:
    """Lines over quarters; each series has its own marker, width and dash, so equal
    lines still show each other; a legend on top (wrapping); every label inside the
    frame. The value axis starts at zero unless `y_min` says otherwise, and then the
    title says where it starts."""
    s = max(1.0, rect.height / 300)
    pygame.draw.rect(surface, theme.PANEL, rect, border_radius=8)
    pygame.draw.rect(surface, theme.PANEL_EDGE, rect, 1, border_radius=8)
    text.frame(rect)
    pad = round(12 * s)
    top = rect.y + pad
    values = [v for _, ys, _ in series for v in ys]
    lo = y_min if y_min is not None else min(0.0, min(values, default=0.0))
    hi = y_max if y_max is not None else (max(values) if values else 1.0)
    if hi - lo < 1e-9:
        hi, lo = hi + 0.5, lo - 0.5
    if title:
        if lo > 0:
            title = f"{title} (axis from {fmt.format(lo)}, not zero)"
        text.draw(surface, title, (rect.x + pad, top), size + 2, theme.INK, bold=True,
                  max_width=rect.width - 2 * pad)
        top += text.line_height(size + 2) + 2
    # Legend: a key drawn as the series is (marker and dash), wrapping onto more lines.
    lx = rect.x + pad
    lh = text.line_height(size)
    for i, (name, _, colour) in enumerate(series):
        w = 36 + text.width_of(name, size)
        if lx > rect.x + pad and lx + w > rect.right - pad:
            lx, top = rect.x + pad, top + lh
        _stroke(surface, i, colour, [(lx, top + lh // 2), (lx + 28, top + lh // 2)], 2)
        marker(surface, MARKERS[i % 4], lx + 14, top + lh // 2, 5, colour)
        r = text.draw(surface, name, (lx + 34, top), size, theme.MUTED,
                      max_width=rect.right - pad - lx - 34)
        lx = r.right + 22
    top += lh + 6
    label_w = max(text.width_of(fmt.format(v), size) for v in (lo, hi)) + 10
    n = max((len(ys) for _, ys, _ in series), default=1)
    span = max((quarters or 0) + 1, n, 2)
    half_x = text.width_of(f"{x_label}{span - 1}", size) // 2   # the last x label's overhang
    plot = pygame.Rect(rect.x + pad + label_w, top + lh // 2,
                       rect.width - 2 * pad - label_w - half_x,
                       rect.bottom - top - lh // 2 - pad - lh - 4)
    if plot.width < 20 or plot.height < 20:
        return

    def px(i: int) -> int:
        return plot.x + round(i * plot.width / (span - 1))

    def py(v: float) -> int:
        return plot.bottom - round((v - lo) / (hi - lo) * plot.height)

    for k in range(3):
        v = lo + (hi - lo) * k / 2
        y = py(v)
        pygame.draw.line(surface, theme.FAINT, (plot.x, y), (plot.right, y), 1)
        text.draw(surface, fmt.format(v), (plot.x - 8, y - lh // 2), size, theme.MUTED,
                  align="right")
    if threshold is not None and lo <= threshold <= hi:
        _dashed(surface, theme.BAD, (plot.x, py(threshold)), (plot.right, py(threshold)), 2, 8)
    room = text.width_of(f"{x_label}{span - 1}", size) + 12
    step = 1
    while step < span and plot.width / (span - 1) * step < room:
        step += 1
    for i in range(0, span, step):
        text.draw(surface, f"{x_label}{i}", (px(i), plot.bottom + 4), size, theme.MUTED,
                  align="center")
    pygame.draw.line(surface, theme.MUTED, (plot.x, plot.bottom), (plot.right, plot.bottom), 1)
    base = max(2, round(3 * s))
    count = len(series)
    for idx, (_, ys, colour) in enumerate(series):
        pts = [(px(i), py(v)) for i, v in enumerate(ys)]
        # Earlier series wider, later ones narrower and dashed on top: equal lines nest.
        width = base + 2 * (count - 1 - idx)
        if len(pts) > 1:
            _stroke(surface, idx, colour, pts, width)
        mr = max(4, round(5 * s)) + 2 * (count - 1 - idx)
        for x, y in pts:
            marker(surface, MARKERS[idx % 4], x, y, mr, colour)
            if idx < count - 1:
                marker(surface, MARKERS[idx % 4], x, y, max(2, mr - 3), theme.PANEL)


def _stroke(surface: pygame.Surface, idx: int, colour: Colour,
            pts: Sequence[tuple[float, float]], width: int) -> None:
    """Series 0 solid, 1 long dashes, 2 short dashes, 3 solid again."""
    dash = (0, 14, 7, 0)[idx % 4]
    if not dash:
        pygame.draw.lines(surface, colour, False, pts, width)
        return
    for a, b in itertools.pairwise(pts):
        _dashed(surface, colour, a, b, width, dash)


def meter(surface: pygame.Surface, rect: pygame.Rect, value: float, colour: Colour, *,
          label: str = "", size: int = 20, threshold: float | None = None,
          text_colour: Colour = theme.INK) -> None:
    """A horizontal 0-100% bar with its value in words; an optional danger line."""
    lh = text.line_height(size)
    if label:
        text.draw(surface, label, (rect.x, rect.y), size, text_colour)
        text.draw(surface, f"{value:.0%}", (rect.right, rect.y), size, text_colour, bold=True,
                  align="right")
    bar = pygame.Rect(rect.x, rect.y + (lh + 2 if label else 0), rect.width,
                      max(8, rect.height - (lh + 2 if label else 0)))
    pygame.draw.rect(surface, theme.FAINT, bar, border_radius=4)
    fill = bar.copy()
    fill.width = round(bar.width * max(0.0, min(1.0, value)))
    if fill.width > 0:
        pygame.draw.rect(surface, colour, fill, border_radius=4)
    if threshold is not None:
        x = bar.x + round(bar.width * threshold)
        pygame.draw.line(surface, theme.BAD, (x, bar.y - 3), (x, bar.bottom + 3), 3)


def gauge(surface: pygame.Surface, center: tuple[int, int], radius: int, value: float,
          colour: Colour, *, label: str = "", size: int = 20, threshold: float | None = None,
          delta: float | None = None) -> None:
    """A half-circle dial from 0 to 100% with the value large in the middle."""
    cx, cy = center
    width = max(8, radius // 4)
    box = pygame.Rect(cx - radius, cy - radius, 2 * radius, 2 * radius)
    pygame.draw.arc(surface, theme.FAINT, box, 0, math.pi, width)
    v = max(0.0, min(1.0, value))
    if v > 0.002:
        pygame.draw.arc(surface, colour, box, math.pi * (1 - v), math.pi, width)
    if threshold is not None:
        a = math.pi * (1 - threshold)
        p0 = (cx + (radius - width - 4) * math.cos(a), cy - (radius - width - 4) * math.sin(a))
        p1 = (cx + (radius + 4) * math.cos(a), cy - (radius + 4) * math.sin(a))
        pygame.draw.line(surface, theme.BAD, p0, p1, 4)
    text.draw(surface, f"{value:.0%}", (cx, cy - text.line_height(size + 8)), size + 8,
              theme.INK, bold=True, align="center")
    if delta is not None and abs(delta) >= 0.005:
        arrow = "▲" if delta > 0 else "▼"
        col = theme.GOOD_TEXT if delta > 0 else theme.BAD_TEXT
        text.draw(surface, f"{arrow} {abs(delta):.0%}", (cx, cy + 2), size - 2, col,
                  align="center")
    if label:
        y = cy + (text.line_height(size) + 2 if delta is not None else 4)
        for part in label.split("\n"):
            text.draw(surface, part, (cx, y), size, theme.INK, align="center")
            y += text.line_height(size)


def sparkline(surface: pygame.Surface, rect: pygame.Rect, ys: Sequence[float],
              colour: Colour) -> None:
    if len(ys) < 2:
        pygame.draw.line(surface, theme.FAINT, rect.midleft, rect.midright, 2)
        return
    lo, hi = min(ys), max(ys)
    if hi - lo < 1e-9:
        hi, lo = hi + 1, lo - 1
    pts = [(rect.x + round(i * rect.width / (len(ys) - 1)),
            rect.bottom - round((v - lo) / (hi - lo) * rect.height)) for i, v in enumerate(ys)]
    pygame.draw.lines(surface, colour, False, pts, 3)
    pygame.draw.circle(surface, colour, pts[-1], 5)


def waterfall(surface: pygame.Surface, rect: pygame.Rect, parts: Sequence[tuple[str, float]],
              *, total_label: str = "Total growth", size: int = 18,
              total: float | None = None) -> None:
    """Horizontal waterfall: each source's bar starts where the last ended; total at the end
    (`total`: the figure the screen's headline shows, so tiny parts left out do not change it)."""
    rows = [*parts, (total_label, sum(v for _, v in parts) if total is None else total)]
    row_h = rect.height // max(len(rows), 1)
    while size > 14 and text.line_height(size) + 4 > row_h:
        size -= 1
    lh = text.line_height(size)
    row_h = min(row_h, round(lh * 1.8))
    label_w = max(text.width_of(n, size) for n, _ in rows) + 16
    value_w = text.width_of("+100.0%", size, True) + 12
    plot = pygame.Rect(rect.x + label_w, rect.y, rect.width - label_w - value_w, rect.height)
    running = 0.0
    lo = hi = 0.0
    for _, v in parts:
        running += v
        lo, hi = min(lo, running), max(hi, running)
    lo, hi = min(lo, rows[-1][1], 0.0), max(hi, rows[-1][1], 0.0)
    if hi - lo < 1e-9:
        hi += 0.01

    def px(v: float) -> int:
        return plot.x + round((v - lo) / (hi - lo) * plot.width)

    zero = px(0.0)
    pygame.draw.line(surface, theme.MUTED, (zero, rect.y), (zero, rect.y + row_h * len(rows)), 2)
    running = 0.0
    for i, (name, v) in enumerate(rows):
        y = rect.y + i * row_h
        last = i == len(rows) - 1
        text.draw(surface, name, (rect.x, y + (row_h - lh) // 2), size, theme.INK, bold=last)
        a, b = (0.0, v) if last else (running, running + v)
        x0, x1 = sorted((px(a), px(b)))
        colour = theme.BLUE if last else (theme.GOOD if v >= 0 else theme.BAD)
        bar = pygame.Rect(x0, y + 4, max(2, x1 - x0), row_h - 8)
        pygame.draw.rect(surface, colour, bar, border_radius=3)
        if v < 0 and not last:  # hatch the losses so they differ by more than colour
            for hx in range(bar.x, bar.right, 8):
                pygame.draw.line(surface, theme.PANEL, (hx, bar.bottom - 1),
                                 (min(hx + 6, bar.right), bar.y + 1), 1)
        text.draw(surface, f"{v:+.1%}", (rect.right, y + (row_h - lh) // 2), size,
                  theme.GOOD_TEXT if v >= 0 else theme.BAD_TEXT, bold=True, align="right")
        if not last:
            running += v
