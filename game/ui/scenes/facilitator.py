"""The facilitator's overlay (F2): pause, fire a scenario event now, undo, end the game.

It covers the whole screen, so opening it never shows a player's private screen
to the room, and it names what each action will do before doing it. When a
facilitator's code is set in Settings it asks for the code first (a curious
participant pressing F2 gets no further), and Undo asks to be confirmed.
"""

from __future__ import annotations

from functools import partial

import pygame
from pygame_gui.elements import UITextEntryLine

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
        self.locked = bool(app.prefs.facilitator_code)
        self.code: UITextEntryLine | None = None
        self.confirm_undo = False

    @property
    def flow(self) -> GameFlow:
        assert self.app.flow is not None
        return self.app.flow

    def build(self) -> None:
        if self.locked:
            self.build_lock()
            return
        if self.confirm_undo:
            self.build_confirm()
            return
        s = self.sizes
        w = round(460 * s.scale)
        x = 2 * s.pad
        y = round(120 * s.scale)
        flow = self.flow
        g = flow.game
        items = [
            ("Resume the game" if flow.paused else "Pause the game", self.pause),
            ("Inject an event now", self.toggle_events),
            (f"Undo: back to the start of Q{g.undo_target()}", self.ask_undo),
            ("End the game: go to the debrief", self.end),
            ("Close this menu", self.go_back),
        ]
        # In a room the facilitator fires events for everyone from the projector, and the
        # room holds the record as sent: an event or an undo from this laptop alone would
        # be a record the room cannot replay, so both are the room's here.
        in_room = flow.link is not None
        if in_room:
            items[1] = ("Events: fired for the room from its projector", self.toggle_events)
            items[2] = ("Undo: not in a room (the room holds the record)", self.ask_undo)
        for i, (label, action) in enumerate(items):
            self.button((x, y, w, s.button_h), f"{i + 1}. {label}", action, hotkey=i + 1,
                        style="danger" if i in (2, 3) else ("quiet" if i == 4 else None),
                        enabled=not ((g.done or in_room) and i == 1) and not (in_room and i == 2))
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

    def build_lock(self) -> None:
        s = self.sizes
        w = round(360 * s.scale)
        r = pygame.Rect((self.width - w) // 2, self.height // 2, w, s.button_h)
        self.code = self.text_entry(r, "", "code", 12)
        self.app.manager.set_focus_set(self.code)
        self.footer_row([("Close", self.go_back, None), ("Open", self.unlock, None)])
        self.focus = len(self.buttons) - 1   # Enter opens

    def build_confirm(self) -> None:
        s = self.sizes
        w = round(460 * s.scale)
        y = self.height // 2
        q = self.flow.game.undo_target()
        x = (self.width - w) // 2
        self.button((x, y, w, s.button_h), f"1. Yes: back to the start of Q{q}",
                    self.undo, hotkey=1, style="danger")
        self.button((x, y + s.button_h + s.gap, w, s.button_h),
                    "2. No: keep playing", self.cancel_undo, hotkey=2, style="quiet")

    def on_text_done(self) -> None:
        self.unlock()

    def handle(self, event: pygame.event.Event) -> None:
        """Esc goes back even while the code is being typed."""
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE and self.app.typing():
            self.app.unfocus_text()
            self.on_escape()
            return
        super().handle(event)

    def unlock(self) -> None:
        typed = self.code.get_text().strip() if self.code is not None else ""
        if typed == self.app.prefs.facilitator_code:
            self.locked = False
            self.rebuild()
        else:
            if self.code is not None:
                self.code.set_text("")
                self.app.manager.set_focus_set(self.code)   # type it again at once
            self.app.notify("That is not the facilitator's code (it is set in Settings).")

    def ask_undo(self) -> None:
        if self.flow.link is not None:
            self.app.notify("In a room, the room holds the record: undo is not offered.")
            return
        self.confirm_undo = True
        self.rebuild()

    def cancel_undo(self) -> None:
        self.confirm_undo = False
        self.rebuild()

    def on_escape(self) -> None:
        if self.confirm_undo:
            self.cancel_undo()
        else:
            self.go_back()

    def pause(self) -> None:
        self.flow.paused = not self.flow.paused
        self.rebuild()

    def toggle_events(self) -> None:
        if self.flow.link is not None:
            self.app.notify("In a room, the facilitator fires events from the projector.")
            return
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
        self.confirm_undo = False
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
        if self.locked or self.confirm_undo:
            cx, y = self.width // 2, round(120 * s.scale)
            if self.locked:
                head = "Facilitator's code"
                lines = ["Type the code set in Settings, then Enter.", "Esc goes back to the game."]
            else:
                head = f"Undo to the start of Q{g.undo_target()}?"
                lines = ["Every decision since then is lost, for both players.",
                         "Enter or 1 undoes; Esc or 2 keeps playing."]
            text.draw(surface, head, (cx, y), s.h1, theme.PANEL, bold=True, align="center",
                      max_width=self.width - 4 * s.pad)
            y += text.line_height(s.h1) + s.pad
            for ln in lines:
                text.draw(surface, ln, (cx, y), s.body, theme.FAINT, align="center",
                          max_width=self.width - 4 * s.pad)
                y += text.line_height(s.body)
            return
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
