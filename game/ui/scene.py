"""The scene base: one screen that handles events, updates, draws, and names the next.

Scenes build their pygame_gui widgets for the current window size in `build`
(called again after every resize) and draw everything else with the project's
text and chart helpers into a cached layer, so a frame costs a few blits.
Keyboard first: Tab and the arrow keys move a visible focus ring, Enter or
Space presses, number keys press the numbered buttons, Esc goes back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton

from game.ui import text, theme
from game.ui.theme import Sizes

if TYPE_CHECKING:
    from game.ui.app import App

Action = Callable[[], None]


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
            self.widget.set_text(s)


class Scene:
    """One screen. Subclasses override build, paint and on_key as needed."""

    name = "scene"
    private_role: int | None = None   # set on screens that show one role's private info

    def __init__(self, app: App) -> None:
        self.app = app
        self.buttons: list[Btn] = []
        self.focus = 0
        self.dirty = True
        self._layer: pygame.Surface | None = None
        self._layer_strings: list[str] = []

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
        """Called when the scene becomes current (and after a resize)."""
        self.buttons = []
        self.build()
        self.focus = min(self.focus, max(len(self.buttons) - 1, 0))
        self._skip_disabled(1)
        self.dirty = True

    def build(self) -> None:
        """Create widgets for the current size."""

    def leave(self) -> None:
        """Called before another scene replaces this one."""

    def update(self, dt: float) -> None:
        """Advance timers."""

    def paint(self, surface: pygame.Surface) -> None:
        """Draw the static layer (cached until `dirty`)."""
        surface.fill(theme.BG)

    def paint_live(self, surface: pygame.Surface) -> None:
        """Draw what changes every frame, over the layer and widgets."""

    # -- widgets -----------------------------------------------------------------------
    def button(self, rect: pygame.Rect | tuple[int, int, int, int], label: str, action: Action,
               *, hotkey: int | None = None, toggle: bool = False, selected: bool = False,
               enabled: bool = True, style: str | None = None, tip: str | None = None) -> Btn:
        oid = ObjectID(class_id=f"@{style}") if style else (
            ObjectID(class_id="@toggle") if toggle else None)
        w = UIButton(pygame.Rect(rect), label, manager=self.app.manager, object_id=oid,
                     tool_tip_text=tip)
        b = Btn(w, action, hotkey, toggle, label)
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
        if not self.buttons:
            return
        self.focus = (self.focus + direction) % len(self.buttons)
        self._skip_disabled(direction)

    # -- events ------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
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
            with text.capture() as got:
                self.paint(self._layer)
            self._layer_strings = got
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
        inner = rect.inflate(-2 * s.pad, -2 * s.pad)
        if title:
            text.draw(surface, title, (inner.x, inner.y), s.h3, colour or theme.INK, bold=True,
                      max_width=inner.width)
            dy = text.line_height(s.h3) + s.gap // 2
            inner = pygame.Rect(inner.x, inner.y + dy, inner.width, inner.height - dy)
        return inner

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
