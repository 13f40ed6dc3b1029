"""Pieces most game screens share: the top bar (with the room's status and timer), the
private panel, the AI's speech, pacing of AI decisions, the pause, and the in-game base
scene."""

from __future__ import annotations

import time

import pygame

from game.engine.constants import ROLE_TITLES
from game.scenario.units import money
from game.session import reading
from game.session.live import DEMO, Decision, LiveGame
from game.ui import text, theme
from game.ui.flow import GameFlow
from game.ui.ports import Host
from game.ui.scene import Item, Scene


class GameScene(Scene):
    """A screen of the game in progress, made for the step the game is at."""

    def __init__(self, app: Host, flow: GameFlow) -> None:
        super().__init__(app)
        self.flow = flow
        self.step = flow.game.step            # the step this screen was made for
        self.timer: float | None = None      # seconds left before an automatic step
        self.auto_action: object | None = None
        self.bar_free: pygame.Rect | None = None   # the top bar's empty stretch (room status)
        self.room_shown: tuple[object, ...] | None = None   # the room's state last painted

    @property
    def game(self) -> LiveGame:
        return self.flow.game

    @property
    def covered(self) -> bool:
        return self.flow.paused

    def on_escape(self) -> None:
        self.app.nav.menu()

    def commit(self, decision: Decision = None) -> None:
        """The one way a screen moves the game on: only while the game still awaits the
        step this screen was made for (a second press, or a timer after a click, does
        nothing), a view acknowledged or the decision submitted, then the next screen."""
        if self.game.step != self.step:
            return
        self.timer = None
        if self.step.is_view:
            self.game.acknowledge()
        else:
            self.game.submit(decision)
        self.flow.advance()

    def auto_pace(self) -> float:
        """How long an AI's decision stays on screen."""
        return self.app.pace

    def start_timer(self, seconds: float) -> None:
        self.timer = max(0.0, seconds)

    def update(self, dt: float) -> None:
        self.flow.watch_room()
        if self.timer is None or self.flow.paused:
            return
        self.timer -= dt
        if self.timer <= 0 and self.app.frames_in_scene(self) >= 1:
            self.timer = None
            self.on_timer()

    def wake_at(self) -> float | None:
        """A running timer counts down in frames (dt), so it wants every frame; in a room,
        a frame whenever the room's state on screen has changed."""
        if self.timer is not None and not self.flow.paused:
            return 0.0
        return self.wake_at_room()

    def on_timer(self) -> None:
        """The automatic step: an AI's decision goes in, or a demo moves on."""

    def skip_wait(self) -> bool:
        """Enter/Space/click while an AI decision is on screen: go on at once."""
        if self.timer is not None:
            self.timer = 0.0
            return True
        return False

    @property
    def demo(self) -> bool:
        return self.flow.mode == DEMO

    # -- drawing -----------------------------------------------------------------------
    def top_bar(self, surface: pygame.Surface, title: str, role: int | None = None) -> int:
        """Quarter and scenario on the left, the screen title, the role badge on the right."""
        s = self.sizes
        h = round(58 * s.scale)
        bar = pygame.Rect(0, 0, self.width, h)
        pygame.draw.rect(surface, theme.PANEL, bar)
        pygame.draw.line(surface, theme.PANEL_EDGE, (0, h - 1), (self.width, h - 1), 2)
        g = self.game
        q = max(g.quarter, 1)
        left = f"Q{q} of {g.game.quarters}"
        text.draw(surface, left, (s.pad * 2, (h - text.line_height(s.h3)) // 2), s.h3,
                  theme.INK, bold=True)
        lw = text.width_of(left, s.h3, True) + s.pad * 3
        text.draw(surface, title, (lw, (h - text.line_height(s.h2)) // 2), s.h2, theme.INK,
                  bold=True, max_width=self.width // 2)
        free_x = lw + min(text.width_of(title, s.h2, True), self.width // 2) + 2 * s.pad
        right = self.width - 2 * s.pad
        if role is not None:
            label = f"{self.flow.player_name(role)} · private"
            w = text.width_of(label, s.body, True) + 2 * s.pad
            badge = pygame.Rect(self.width - 2 * s.pad - w, (h - s.button_h + 8) // 2, w,
                                s.button_h - 8)
            right = badge.x - s.pad
            pygame.draw.rect(surface, theme.ROLE_COLOURS[role], badge, border_radius=8)
            text.draw(surface, label, (badge.centerx, badge.y + (badge.height - text.line_height(
                s.body)) // 2), s.body, theme.PANEL, bold=True, align="center")
        elif g.mode == DEMO:
            text.draw(surface, "Demo: AI v AI", (self.width - 2 * s.pad,
                      (h - text.line_height(s.body)) // 2), s.body, theme.MUTED, align="right")
            right -= text.width_of("Demo: AI v AI", s.body) + s.pad
        self.bar_free = pygame.Rect(free_x, 0, max(0, right - free_x), h)
        return h + s.pad

    def private_panel(self, surface: pygame.Surface, rect: pygame.Rect, role: int,
                      notes: bool = True) -> None:
        """The role's own signals (and the other's if shared), and its private notes."""
        s = self.sizes
        inner = self.panel(surface, rect, f"Only you see this ({ROLE_TITLES[role]})",
                           theme.ROLE_TEXT[role])
        y = inner.y
        # (text, colour, bold, rule above): the signals, a head for shared ones, the notes.
        items: list[Item] = []
        shared_head = False
        for sig in reading.signals(self.game, role):
            if sig.shared and not shared_head:
                shared_head = True
                items.append((f"Shared by the {ROLE_TITLES[1 - role]}:",
                              theme.ROLE_TEXT[1 - role], True, False))
            items.append((sig.text, theme.INK if not sig.shared else theme.ROLE_TEXT[1 - role],
                          False, False))
        if notes:
            items += [(n, theme.MUTED, False, True) for n in reading.private_notes(self.game, role)]
        self.stack(surface, pygame.Rect(inner.x, y, inner.width, inner.bottom - y), items,
                   s.small, gap=0)

    def speech(self, surface: pygame.Surface, rect: pygame.Rect, role: int,
               lines: list[str], action: str) -> None:
        """An AI's decision in words and its line of dialogue."""
        s = self.sizes
        pygame.draw.rect(surface, theme.PANEL, rect, border_radius=12)
        pygame.draw.rect(surface, theme.ROLE_COLOURS[role], rect, 3, border_radius=12)
        inner = rect.inflate(-2 * s.pad, -2 * s.pad)
        y = inner.y
        text.draw(surface, self.flow.player_name(role), (inner.x, y), s.h3,
                  theme.ROLE_TEXT[role], bold=True, max_width=inner.width)
        y += text.line_height(s.h3) + s.gap // 2
        text.frame(rect)
        self.stack(surface, pygame.Rect(inner.x, y, inner.width, inner.bottom - y),
                   [(action, theme.INK, False, False),
                    *((f"“{ln}”", theme.MUTED, False, False) for ln in lines)], s.body,
                   gap=s.gap // 2)

    def paint_live(self, surface: pygame.Surface) -> None:
        self.paint_room(surface)
        if self.timer is not None and self.auto_action is not None and self.app.pace > 0:
            s = self.sizes
            msg = "AI deciding · Enter to go on now"
            text.draw(surface, msg, (s.pad * 2, self.height - s.pad - s.button_h +
                      (s.button_h - text.line_height(s.small)) // 2), s.small, theme.MUTED)
        if self.flow.paused:
            paint_paused(self, surface, room=not self.flow.paused_here)

    def paint_room(self, surface: pygame.Surface) -> None:
        """The room's status and its phase timer, small, in the top bar's empty stretch
        (drawn every frame: they change without input)."""
        self.room_shown = self.room_state()
        line = room_line(self.flow)
        free = self.bar_free
        if not line or free is None or free.width < 40 or self.flow.paused:
            return
        s = self.sizes
        text.draw(surface, line, (free.right, (free.height - text.line_height(s.small)) // 2),
                  s.small, theme.MUTED, align="right", max_width=free.width)

    def room_state(self) -> tuple[object, ...]:
        """What of the room this screen shows: its status and timer line (the countdown
        moves each second), the pause, the end, the events fired."""
        link = self.flow.link
        if link is None:
            return ()
        c = link.commands
        return (room_line(self.flow), c.paused, c.ended, len(c.events))

    def wake_at_room(self) -> float | None:
        """Now, when the room changed what this screen shows since it was painted (the
        loop looks at least once a second): a pause, an end or the timer reaches a
        screen nobody is touching."""
        if self.flow.link is None or self.room_shown == self.room_state():
            return None
        return 0.0

    def handle(self, event: pygame.event.Event) -> None:
        if self.flow.paused:
            if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
                self.on_escape()
            return
        if self.auto_action is not None and self.timer is not None and (
                (event.type == pygame.KEYDOWN and event.key in (
                    pygame.K_RETURN, pygame.K_SPACE, pygame.K_KP_ENTER))
                or (event.type == pygame.MOUSEBUTTONDOWN and event.button in (1, 2, 3))):
            self.skip_wait()   # a click; buttons 4 and 5 are a wheel turn, which scrolls
            return
        super().handle(event)


def room_line(flow: GameFlow) -> str:
    """'Budget talk 4:32 · Room: online' (empty outside a room): the timer first, so a
    narrow bar cuts the status, not the time."""
    link = flow.link
    if link is None:
        return ""
    parts = [link.status()]
    c = link.commands
    if c.timer_ends is not None:
        left = max(0, round(c.timer_ends - time.time()))
        label = c.timer_label or "Time left"
        parts.insert(0, f"{label} {left // 60}:{left % 60:02d}")
    return " · ".join(parts)


def paint_paused(scene: Scene, surface: pygame.Surface, room: bool = False) -> None:
    """The facilitator's pause: the whole screen, nothing private left visible (`room`:
    the room's facilitator paused every game, and resumes them from the projector)."""
    s = scene.sizes
    surface.fill(theme.CURTAIN)
    w = surface.get_width()
    cx = w // 2
    y = surface.get_height() // 3
    text.draw(surface, "Paused by the facilitator", (cx, y), s.title, theme.PANEL, bold=True,
              align="center", max_width=w - 4 * s.pad)
    hint = ("The facilitator will resume the game from the room's projector" if room else
            "Press F2 for the facilitator's menu")
    text.draw(surface, hint, (cx, y + text.line_height(s.title) + s.pad), s.h3, theme.FAINT,
              align="center", max_width=w - 4 * s.pad)


def effects_line(effects: list[tuple[str, int]]) -> str:
    """A project's effects in words, one line."""
    return ", ".join(t for t, _ in effects)


__all__ = ["GameScene", "effects_line", "money", "paint_paused", "room_line"]
