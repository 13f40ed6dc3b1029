"""The scene base: one screen that handles events, updates and draws.

Scenes build their pygame_gui widgets for the current window size in `build`
(called again by `rebuild`, after every resize) and draw everything else with
the project's text and chart helpers into a cached layer, so a frame costs a
few blits. Keyboard first: Tab and the arrow keys move a visible focus ring,
Enter or Space presses, number keys press the numbered buttons, Esc goes back.
A scene never builds another: it asks the router (`app.nav`) to go somewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton, UITextEntryLine

from game.ui import text, theme
from game.ui.ports import Host, Screen
from game.ui.theme import Sizes

Action = Callable[[], None]
Item = tuple[str, "text.Colour", bool, bool]
"""One text of a stacked list: the text, its colour, bold, and a rule above it."""


def call(obj: Any, method: str) -> Any:
    """Call an untyped pygame_gui method by name (keeps the typed code free of ignores)."""
    return getattr(obj, method)()

NUMBER_KEYS = {getattr(pygame, f"K_{i}"): i for i in range(1, 10)}
NUMBER_KEYS.update({getattr(pygame, f"K_KP{i}"): i for i in range(1, 10)})


@dataclass
class Btn:
    """A pygame_gui button with what it does and how to reach it from the keyboard."""

    widget: UIButton
    action: Action
    hotkey: int | None = None
    toggle: bool = False
    label: str = ""
    ident: object = None   # what it stands for, so keyboard focus survives a rebuild
    shown: str = ""        # the label as drawn, when it had to be cut to fit

    @property
    def cut(self) -> bool:
        return bool(self.shown) and self.shown != self.label

    @property
    def rect(self) -> pygame.Rect:
        return pygame.Rect(self.widget.rect)

    @property
    def enabled(self) -> bool:
        return bool(self.widget.is_enabled)

    def set_selected(self, on: bool) -> None:
        call(self.widget, "select" if on else "unselect")

    def set_enabled(self, on: bool) -> None:
        call(self.widget, "enable" if on else "disable")

    def set_text(self, s: str) -> None:
        if s != self.label:
            self.label = s
            self.shown = fit_label(self.widget, s, self.widget.rect.width)
            self.widget.set_text(self.shown)


def fit_label(widget: UIButton, label: str, width: int) -> str:
    """`label` cut with an ellipsis to fit a button `width` wide in the button's own font,
    clear of its border and (left-aligned labels) its padding."""
    f = widget.font
    pad = int(widget.text_horiz_alignment_padding or 0) if (
        widget.text_horiz_alignment == "left") else 0
    bw = widget.border_width
    border = int(bw.get("left", 1)) + int(bw.get("right", 1)) if isinstance(bw, dict) else (
        2 * int(bw or 0))
    room = width - border - 4 - 2 * pad
    if f is None or f.size(label)[0] <= room:
        return label
    cut = label
    while cut and f.size(cut + "…")[0] > room:
        cut = cut[:-1]
    return cut.rstrip() + "…"


SCROLL_UP = "scroll-up"
SCROLL_DOWN = "scroll-down"


class Scroll:
    """Which rows of a list too long for its area are on screen.

    Layout state only (the first visible row and how many fit), never game state.
    A scene calls `fit` from `build`, so a resize clamps the offset, and rebuilds
    its widgets when the offset moves.
    """

    def __init__(self) -> None:
        self.first = 0
        self.total = 0
        self.page = 0

    def fit(self, total: int, page: int) -> None:
        self.total = max(total, 0)
        self.page = max(1, min(page, self.total)) if self.total else 0
        self.first = self._clamped(self.first)

    def _clamped(self, first: int) -> int:
        return max(0, min(first, self.total - self.page))

    @property
    def active(self) -> bool:
        """More rows than fit: the controls show."""
        return self.total > self.page

    @property
    def above(self) -> int:
        return self.first

    @property
    def below(self) -> int:
        return max(0, self.total - self.first - self.page)

    def rows(self) -> range:
        return range(self.first, min(self.total, self.first + self.page))

    def to(self, first: int) -> bool:
        """Put row `first` at the top (clamped); True when that moved anything."""
        new = self._clamped(first)
        moved = new != self.first
        self.first = new
        return moved

    def by(self, n: int) -> bool:
        return self.to(self.first + n)

    def reveal(self, row: int) -> bool:
        """Scroll just enough for `row` to be on screen."""
        if row < self.first:
            return self.to(row)
        if row >= self.first + self.page:
            return self.to(row - self.page + 1)
        return False

    @property
    def page_step(self) -> int:
        """PageUp/PageDown and the buttons keep one row in view for continuity."""
        return max(1, self.page - 1)

    @property
    def wheel_step(self) -> int:
        return max(1, min(3, self.page // 4))


class Scene:
    """One screen. Subclasses override build, paint and on_key as needed."""

    name = "scene"
    private_role: int | None = None   # set on screens that show one role's private info

    def __init__(self, app: Host) -> None:
        self.app = app
        self.buttons: list[Btn] = []
        self.focus = 0
        self.dirty = True
        self._layer: pygame.Surface | None = None
        self._layer_strings: list[str] = []
        self._placed = text.Layout()     # where the layer's strings landed (hover cards)
        self.pointer: tuple[int, int] | None = None   # last mouse position seen, for the wheel
        self.pointer_moved = False   # the pointer, not the keyboard, moved last (hover cards)
        self.keyed = False           # the keyboard moved the focus since the screen opened

    # -- geometry ---------------------------------------------------------------------
    @property
    def sizes(self) -> Sizes:
        return self.app.sizes

    @property
    def width(self) -> int:
        return int(self.app.screen.get_width())

    @property
    def height(self) -> int:
        return int(self.app.screen.get_height())

    # -- life cycle --------------------------------------------------------------------
    def enter(self) -> None:
        """It becomes the current screen (`App.switch`): its widgets, then what starts
        with it."""
        self._make_widgets()
        self.entered()

    def rebuild(self) -> None:
        """Its widgets again at the current size: after a resize, a scroll, or a change
        of form. Unlike `enter`, nothing starts again (no sound, no timer)."""
        self.app.clear_widgets()
        self._make_widgets()

    def _make_widgets(self) -> None:
        self.buttons = []
        self.build()
        self.focus = min(self.focus, max(len(self.buttons) - 1, 0))
        self._skip_disabled(1)
        self.dirty = True

    def build(self) -> None:
        """Create widgets for the current size."""

    def entered(self) -> None:
        """Each time it becomes current, after `build`: a sound, a timer."""

    def update(self, dt: float) -> None:
        """Advance timers."""

    def wake_at(self) -> float | None:
        """When (time.monotonic) this screen next changes with no input; None: only on
        input. The event-driven loop sleeps until then; a running timer says now."""
        return None

    @property
    def holds_frame(self) -> bool:
        """True while the window should keep showing the previous screen's last frame
        (a wait too short to be worth a picture)."""
        return False

    def paint(self, surface: pygame.Surface) -> None:
        """Draw the static layer (cached until `dirty`)."""
        surface.fill(theme.BG)

    def paint_live(self, surface: pygame.Surface) -> None:
        """Draw what changes every frame, over the layer and widgets."""

    def shown_labels(self) -> list[str]:
        """The labels of the buttons on screen (the text recorder lists them per frame)."""
        return [b.label for b in self.buttons if b.widget.visible]

    # -- widgets -----------------------------------------------------------------------
    def text_entry(self, rect: pygame.Rect | tuple[int, int, int, int], value: str, hint: str,
                   limit: int = 24) -> UITextEntryLine:
        """A one-line text field (a name, an address, a code) holding `value`, with `hint`
        shown while it is empty and at most `limit` characters."""
        e = UITextEntryLine(pygame.Rect(rect), manager=self.app.manager, placeholder_text=hint)
        e.set_text(value)
        e.set_text_length_limit(limit)
        return e

    def button(self, rect: pygame.Rect | tuple[int, int, int, int], label: str, action: Action,
               *, hotkey: int | None = None, toggle: bool = False, selected: bool = False,
               enabled: bool = True, style: str | None = None, tip: str | None = None) -> Btn:
        """A button; a label too long for it is cut with an ellipsis, and the whole
        label shows as its tool tip (and in a card while it has the keyboard focus)."""
        oid = ObjectID(class_id=f"@{style}") if style else (
            ObjectID(class_id="@toggle") if toggle else None)
        r = pygame.Rect(rect)
        w = UIButton(r, label, manager=self.app.manager, object_id=oid, tool_tip_text=tip)
        shown = fit_label(w, label, r.width)
        if shown != label:
            w.set_text(shown)
            w.tool_tip_text = label if tip is None else f"{label}\n{tip}"
        b = Btn(w, action, hotkey, toggle, label, shown=shown)
        if selected:
            call(w, "select")
        if not enabled:
            call(w, "disable")
        self.buttons.append(b)
        return b

    def press(self, b: Btn) -> None:
        if b.enabled:
            self.app.sound.play("click")
            b.action()
            self.dirty = True

    def focused(self) -> Btn | None:
        if not self.buttons:
            return None
        return self.buttons[self.focus % len(self.buttons)]

    def focus_on(self, b: Btn) -> None:
        if b in self.buttons:
            self.focus = self.buttons.index(b)

    def _skip_disabled(self, direction: int) -> None:
        n = len(self.buttons)
        for _ in range(n):
            if self.buttons[self.focus % n].enabled:
                return
            self.focus = (self.focus + direction) % n

    def move_focus(self, direction: int) -> None:
        self.pointer_moved = False   # the keyboard has it: a cut label shows whole
        self.keyed = True
        if not self.buttons:
            return
        self.focus = (self.focus + direction) % len(self.buttons)
        self._skip_disabled(direction)

    # -- events ------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEMOTION:
            self.pointer = (int(event.pos[0]), int(event.pos[1]))
            self.pointer_moved = True
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            for b in self.buttons:
                if b.widget is event.ui_element:
                    self.focus_on(b)
                    self.press(b)
                    return
        elif event.type == pygame.KEYDOWN:
            if self.app.typing():
                if event.key in (pygame.K_TAB, pygame.K_RETURN, pygame.K_KP_ENTER):
                    self.app.unfocus_text()
                    self.on_text_done()
                return
            if self.on_key(event):
                return
            self.default_key(event)

    def default_key(self, event: pygame.event.Event) -> None:
        key = event.key
        shift = bool(event.mod & pygame.KMOD_SHIFT)
        if key == pygame.K_TAB:
            self.move_focus(-1 if shift else 1)
        elif key in (pygame.K_DOWN, pygame.K_RIGHT):
            self.move_focus(1)
        elif key in (pygame.K_UP, pygame.K_LEFT):
            self.move_focus(-1)
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            b = self.focused()
            if b is not None:
                self.press(b)
        elif key == pygame.K_ESCAPE:
            self.on_escape()
        elif key in NUMBER_KEYS:
            n = NUMBER_KEYS[key]
            for b in self.buttons:
                if b.hotkey == n:
                    self.focus_on(b)
                    self.press(b)
                    return

    def on_key(self, event: pygame.event.Event) -> bool:
        """Scene-specific keys; return True when handled."""
        return False

    def on_escape(self) -> None:
        """Esc: go back, or open the game menu."""

    def on_text_done(self) -> None:
        """Enter or Tab in a text field."""

    # -- drawing -----------------------------------------------------------------------
    @property
    def covered(self) -> bool:
        """True while something hides the whole screen (the facilitator's pause)."""
        return False

    def draw(self, surface: pygame.Surface) -> None:
        size = surface.get_size()
        if self.dirty or self._layer is None or self._layer.get_size() != size:
            if self._layer is None or self._layer.get_size() != size:
                self._layer = pygame.Surface(size).convert()
            with text.capture() as got, text.measure() as placed:
                self.paint(self._layer)
            self._layer_strings = got
            self._placed = placed
            self.dirty = False
        else:
            text.record(*self._layer_strings)
        surface.blit(self._layer, (0, 0))

    def draw_focus(self, surface: pygame.Surface) -> None:
        b = self.focused()
        if b is None or not self.app.show_focus:
            return
        r = b.rect.inflate(8, 8)
        pygame.draw.rect(surface, theme.YELLOW, r, 3, border_radius=10)
        pygame.draw.rect(surface, theme.FOCUS, r.inflate(6, 6), 3, border_radius=12)

    def cut_text_at(self, pos: tuple[int, int]) -> str:
        """The whole text of a line cut short (ellipsis) under `pos`, or ''."""
        for p in self._placed.cut:
            if p.rect.inflate(4, 4).collidepoint(pos):
                return p.full
        return ""

    def draw_hover(self, surface: pygame.Surface) -> None:
        """Text that ends in an ellipsis shows whole in a card while the pointer is on it
        (the text rule's "reachable"), clear of the window's edges."""
        full, at = "", self.pointer
        if self.pointer is not None and self.pointer_moved:
            full = self.cut_text_at(self.pointer)
        b = self.focused()
        if not full and self.keyed and not self.pointer_moved and b is not None and b.cut \
                and self.app.show_focus:
            full, at = b.label, b.rect.bottomleft
        if not full or at is None:
            return
        s = self.sizes
        w = min(round(560 * s.scale), self.width - 4 * s.pad)
        lines = text.wrap(full, s.body, w - 2 * s.pad)
        h = min(len(lines) * text.line_height(s.body) + 2 * s.pad, self.height - 2 * s.pad)
        card = pygame.Rect(0, 0, w, h)
        x, y = at
        card.topleft = (x + s.pad, y + s.pad)
        if card.right > self.width - s.pad:
            card.right = x - s.pad
        if card.bottom > self.height - s.pad:
            card.bottom = y - s.pad
        card.clamp_ip(pygame.Rect(0, 0, self.width, self.height))
        pygame.draw.rect(surface, theme.PANEL, card, border_radius=8)
        pygame.draw.rect(surface, theme.INK, card, 2, border_radius=8)
        text.frame(card)
        text.paragraph(surface, full, card.inflate(-2 * s.pad, -2 * s.pad), s.body)

    # -- helpers for subclasses ----------------------------------------------------
    def header(self, surface: pygame.Surface, title: str, subtitle: str = "",
               colour: text.Colour = theme.INK) -> int:
        """A page heading; returns the y below it."""
        s = self.sizes
        y = s.pad
        text.draw(surface, title, (s.pad * 2, y), s.h1, colour, bold=True,
                  max_width=self.width - 4 * s.pad)
        y += text.line_height(s.h1)
        if subtitle:
            text.draw(surface, subtitle, (s.pad * 2, y), s.body, theme.MUTED,
                      max_width=self.width - 4 * s.pad)
            y += text.line_height(s.body)
        return y + s.gap

    def panel(self, surface: pygame.Surface, rect: pygame.Rect, title: str = "",
              colour: text.Colour | None = None) -> pygame.Rect:
        """A white card with an optional title; returns the inner rect below the title."""
        s = self.sizes
        pygame.draw.rect(surface, theme.PANEL, rect, border_radius=10)
        pygame.draw.rect(surface, colour or theme.PANEL_EDGE, rect, 2 if colour else 1,
                         border_radius=10)
        text.frame(rect)
        inner = rect.inflate(-2 * s.pad, -2 * s.pad)
        if title:   # up to two lines, then an ellipsis (the card has the whole title)
            dy = text.paragraph(surface, title, pygame.Rect(inner.x, inner.y, inner.width,
                                inner.height), s.h3, colour or theme.INK, bold=True,
                                max_lines=2) + s.gap // 2
            inner = pygame.Rect(inner.x, inner.y + dy, inner.width, inner.height - dy)
        return inner

    def stack(self, surface: pygame.Surface, rect: pygame.Rect, items: Sequence[Item],
              size: int, gap: int | None = None) -> int:
        """Texts one under another (`gap` apart, more below a rule), each wrapped inside
        `rect`: the text rule for a list. When the rest cannot fit, the last line says
        how many more and its hover card holds them (the last text alone may end in an
        ellipsis instead). Returns the y below the last text."""
        gap = self.sizes.gap if gap is None else gap
        lh = text.line_height(size)
        y = rect.y
        for i, (line, colour, bold, rule) in enumerate(items):
            top = y + (gap if i else 0) + (self.sizes.gap if rule else 0)
            last = i == len(items) - 1
            avail = rect.bottom - top
            h = text.height_of(line, size, rect.width, bold)
            if (not last and h > avail - lh) or avail < lh:
                if rect.bottom - y >= lh:
                    text.more(surface, [t for t, *_ in items[i:]], (rect.x, y), size,
                              max_width=rect.width)
                    y += lh
                break
            if rule:
                rule_y = top - self.sizes.gap // 2
                pygame.draw.line(surface, theme.FAINT, (rect.x, rule_y), (rect.right, rule_y), 1)
            y = top + text.paragraph(surface, line, pygame.Rect(rect.x, top, rect.width, avail),
                                     size, colour, bold)
        return y

    def footer_row(self, labels: Sequence[tuple[str, Action, int | None]], *,
                   enabled: list[bool] | None = None) -> list[Btn]:
        """Buttons along the bottom right, last one primary."""
        s = self.sizes
        out: list[Btn] = []
        x = self.width - 2 * s.pad
        y = self.height - s.pad - s.button_h
        for i, (label, action, key) in enumerate(reversed(labels)):
            w = max(text.width_of(label, s.body, True) + 3 * s.pad, round(150 * s.scale))
            x -= w
            ok = True if enabled is None else enabled[len(labels) - 1 - i]
            out.append(self.button((x, y, w, s.button_h), label, action, hotkey=key,
                                   enabled=ok, style=None if i == 0 else "quiet"))
            x -= s.gap
        out.reverse()
        # Keep focus order left to right.
        for b in out:
            self.buttons.remove(b)
        self.buttons.extend(out)
        return out


class BackScene(Scene):
    """A screen that returns to the one it was opened from (the title when none)."""

    def __init__(self, app: Host, back: Screen | None = None) -> None:
        super().__init__(app)
        self.back = back

    def go_back(self) -> None:
        self.app.nav.back(self.back)

    def on_escape(self) -> None:
        self.go_back()


class ScrollList(Scene):
    """A scene whose list scrolls: only the visible rows have widgets.

    The subclass keeps `self.scroll`, calls `scroll.fit` in `build` (so a resize
    clamps it), builds buttons for `scroll.rows()` with ident (row, column), and
    says where the list is (`list_rect`) and which rows can take focus. The wheel
    over the list, PageUp/PageDown, the ▲/▼ buttons and focus walking past the
    edge (Tab and the arrows, which already move focus) all scroll it.
    """

    scroll: Scroll

    def list_rect(self) -> pygame.Rect:
        return pygame.Rect(0, 0, self.width, self.height)

    def strip_h(self) -> int:
        """The band under the rows that holds the scroll controls, when they are needed."""
        return round(34 * self.sizes.scale)

    def strip_rect(self) -> pygame.Rect:
        """Where the band under the rows is; each list places its own."""
        raise NotImplementedError

    def controls_rect(self) -> pygame.Rect:
        """The band for the caption and the buttons, clear of the rule above it."""
        strip = self.strip_rect()
        return pygame.Rect(strip.x, strip.y + 4, strip.width, strip.height - 4)

    def paint_scroll(self, surface: pygame.Surface, noun: str, top: int, bottom: int) -> None:
        """A rule over the band, the caption, and a thin position bar beside rows top..bottom."""
        if not self.scroll.active:
            return
        strip = self.strip_rect()
        pygame.draw.line(surface, theme.FAINT, (strip.x, strip.y), (strip.right, strip.y), 2)
        self.scroll_caption(surface, self.controls_rect(), noun)
        self.scroll_bar(surface, strip.right + round(self.sizes.pad * 0.7), top, bottom)

    def row_focusable(self, row: int) -> bool:
        return True

    def handle(self, event: pygame.event.Event) -> None:
        n = 0
        if self.scroll.active and not self.covered:
            if event.type == pygame.MOUSEWHEEL:
                pos = self.pointer if self.pointer is not None else pygame.mouse.get_pos()
                if self.list_rect().collidepoint(pos):
                    n = -int(event.y) * self.scroll.wheel_step
            elif event.type == pygame.KEYDOWN and not self.app.typing():
                n = {pygame.K_PAGEDOWN: 1, pygame.K_PAGEUP: -1}.get(
                    event.key, 0) * self.scroll.page_step
        if n:
            self.scroll_by(n)
        else:
            super().handle(event)

    def scroll_by(self, n: int) -> None:
        """Move the list n rows and rebuild; focus stays on its button or the nearest row."""
        b = self.focused()
        ident = b.ident if b is not None else None
        if not self.scroll.by(n):
            return
        self.rebuild()
        rows = self.scroll.rows()
        if isinstance(ident, tuple):          # a row scrolled away: the nearest row shown
            ident = (min(max(ident[0], rows.start), rows.stop - 1), *ident[1:])
        for want in (ident, {SCROLL_UP: SCROLL_DOWN, SCROLL_DOWN: SCROLL_UP}.get(str(ident))):
            for i, nb in enumerate(self.buttons):
                if want is not None and nb.ident == want and nb.enabled:
                    self.focus = i
                    return
        if isinstance(ident, tuple):
            self.focus_row(ident[0])

    def show_row(self, row: int, *, last: bool = False) -> None:
        """Scroll `row` into view and focus its first (or last) enabled button."""
        if self.scroll.reveal(row):
            self.rebuild()
        self.focus_row(row, last=last)

    def focus_row(self, row: int, *, last: bool = False) -> None:
        hits = [i for i, b in enumerate(self.buttons)
                if isinstance(b.ident, tuple) and b.ident[0] == row and b.enabled]
        if hits:
            self.focus = hits[-1] if last else hits[0]

    def move_focus(self, direction: int) -> None:
        """Past the last visible row focus goes on to the next row below (wrapping round
        from the end goes back to the top), and likewise upwards, so keys reach every row."""
        b = self.focused()
        if b is None or not self.scroll.active:
            super().move_focus(direction)
            return
        old = self.focus
        super().move_focus(direction)
        nb, new = self.focused(), self.focus
        r_old = b.ident[0] if isinstance(b.ident, tuple) else None
        r_new = nb.ident[0] if nb is not None and isinstance(nb.ident, tuple) else None
        wrapped = new < old if direction > 0 else new > old
        rows = self.scroll.rows()
        cands: range
        if direction > 0 and r_old == rows.stop - 1 and (r_new is None or wrapped):
            cands = range(r_old + 1, self.scroll.total)
        elif direction > 0 and wrapped and r_new is not None and self.scroll.first > 0:
            cands = range(0, self.scroll.total)
        elif direction < 0 and r_old == rows.start and (r_new is None or wrapped):
            cands = range(rows.start - 1, -1, -1)
        else:
            return
        row = next((r for r in cands if self.row_focusable(r)), None)
        if row is None:
            return
        self.focus = old
        self.show_row(row, last=direction < 0)

    def scroll_controls(self, strip: pygame.Rect) -> None:
        """'▲ n more' and '▼ n more' at the right of `strip`, each only when rows lie that way;
        fixed places, so repeated clicks never land on the other one."""
        sc = self.scroll
        if not sc.active:
            return
        s = self.sizes
        w = text.width_of(f"▼ {sc.total} more", s.small, True) + 2 * s.pad
        for ident, n, step, x in ((SCROLL_UP, sc.above, -sc.page_step, strip.right - 2 * w - s.gap),
                                  (SCROLL_DOWN, sc.below, sc.page_step, strip.right - w)):
            if n:
                arrow = "▲" if step < 0 else "▼"
                b = self.button((x, strip.y, w, strip.height), f"{arrow} {n} more",
                                partial(self.scroll_by, step), style="quiet")
                b.ident = ident

    def scroll_caption(self, surface: pygame.Surface, strip: pygame.Rect, noun: str) -> None:
        """Which rows are showing (and, when it fits, how to see the rest) left of the controls."""
        sc = self.scroll
        if not sc.active:
            return
        s = self.sizes
        label = f"{sc.first + 1}–{sc.rows().stop} of {sc.total} {noun}"
        room = strip.width - 2 * (text.width_of(f"▼ {sc.total} more", s.small, True) + 2 * s.pad
                                  + s.gap)
        if text.width_of(f"{label} · wheel or PgUp/PgDn", s.small) <= room:
            label = f"{label} · wheel or PgUp/PgDn"
        text.draw(surface, label, (strip.x, strip.y + (strip.height - text.line_height(
            s.small)) // 2), s.small, theme.MUTED, max_width=room)

    def scroll_bar(self, surface: pygame.Surface, x: int, top: int, bottom: int) -> None:
        """A thin position bar (not interactive) centred on x, in the gutter beside the rows
        (clear of the focus ring of the rightmost buttons)."""
        sc = self.scroll
        if not sc.active:
            return
        w = max(3, round(5 * self.sizes.scale))
        track = pygame.Rect(x - w // 2, top, w, bottom - top)
        pygame.draw.rect(surface, theme.FAINT, track, border_radius=w)
        total = max(sc.total, 1)
        thumb = pygame.Rect(track.x, track.y + track.height * sc.first // total, w,
                            max(w * 2, track.height * sc.page // total))
        pygame.draw.rect(surface, theme.MUTED, thumb, border_radius=w)
