"""The facilitator's overlay (F2): pause, fire a scenario event now, undo, end the game.

It covers the whole screen, so opening it never shows a player's private screen
to the room, and it names what each action will do before doing it.
"""

from __future__ import annotations

from functools import partial

import pygame

from game.session.live import StepError
from game.ui import text, theme
from game.ui.flow import GameFlow
from game.ui.ports import Host, Screen
from game.ui.scene import BackScene
from game.ui.scenes.common import GameScene


class FacilitatorScene(BackScene):
    name = "facilitator"

    def __init__(self, app: Host, back: Screen | None = None) -> None:
        super().__init__(app, back)
        self.events_open = False

    @property
    def flow(self) -> GameFlow:
        assert self.app.flow is not None
        return self.app.flow

    def build(self) -> None:
        s = self.sizes
        w = round(460 * s.scale)
        x = 2 * s.pad
        y = round(120 * s.scale)
        flow = self.flow
        g = flow.game
        items = [
            ("Resume the game" if flow.paused else "Pause the game", self.pause),
            ("Inject an event now", self.toggle_events),
            (f"Undo: back to the start of Q{g.undo_target()}", self.undo),
            ("End the game: go to the debrief", self.end),
            ("Close this menu", self.go_back),
        ]
        for i, (label, action) in enumerate(items):
            self.button((x, y, w, s.button_h), f"{i + 1}. {label}", action, hotkey=i + 1,
                        style="danger" if i in (2, 3) else ("quiet" if i == 4 else None),
                        enabled=not (g.done and i == 1))
            y += s.button_h + s.gap
        if self.events_open:
            ex = x + w + 2 * s.pad
            ew = self.width - ex - 2 * s.pad
            ey = round(120 * s.scale)
            for eid in g.injectable()[:9]:
                ev = g.scenario.events[g.game.event_ids.index(eid)]
                self.button((ex, ey, ew, s.button_h), ev.title,
                            partial(self.inject, eid), style="quiet")
                ey += s.button_h + s.gap // 2

    def pause(self) -> None:
        self.flow.paused = not self.flow.paused
        self.rebuild()

    def toggle_events(self) -> None:
        self.events_open = not self.events_open
        self.rebuild()

    def inject(self, event_id: str) -> None:
        try:
            self.flow.game.inject_event(event_id)
        except StepError as e:
            self.app.notify(str(e))
            return
        self.app.notify("Event fired: it is in the news and the players' briefings now.")
        self.events_open = False
        self.go_back()

    def undo(self) -> None:
        flow = self.flow
        flow.replace(flow.game.undo_quarter())
        flow.paused = False
        self.app.notify(f"Back to the start of Q{flow.game.quarter}")
        flow.advance()

    def end(self) -> None:
        self.flow.paused = False
        self.flow.end_now()

    def go_back(self) -> None:
        """To the game screen it was opened over; from over a menu, or once the game is
        over, to whatever the game awaits."""
        if isinstance(self.back, GameScene) and not self.flow.game.done:
            self.app.nav.back(self.back)
        else:
            self.flow.advance()

    def paint(self, surface: pygame.Surface) -> None:
        surface.fill(theme.CURTAIN)
        s = self.sizes
        g = self.flow.game
        text.draw(surface, "Facilitator", (2 * s.pad, s.pad), s.h1, theme.PANEL, bold=True)
        status = "paused" if self.flow.paused else "running"
        text.draw(surface, f"{g.scenario.title} · Q{max(g.quarter, 1)} of {g.game.quarters} · "
                  f"{g.mode} · {status}", (2 * s.pad, s.pad + text.line_height(s.h1)), s.body,
                  theme.FAINT, max_width=self.width - 4 * s.pad)
        if self.events_open:
            ex = 4 * s.pad + round(460 * s.scale)
            text.draw(surface, "Fire one of the scenario's events now:", (ex, round(
                120 * s.scale) - text.line_height(s.body) - 4), s.body, theme.FAINT)
        text.draw(surface, "Esc or F2 closes this menu. Nothing private is on screen here.",
                  (2 * s.pad, self.height - s.pad - text.line_height(s.small)), s.small,
                  theme.FAINT)


__all__ = ["FacilitatorScene"]
