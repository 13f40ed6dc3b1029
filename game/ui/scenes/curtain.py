"""Screens between the private ones: the hot-seat curtain, the AI's turn, the pause."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import numpy as np
import pygame

from game.engine.actions import Aftermath, Plan, Talk
from game.engine.constants import ROLE_TITLES
from game.session.live import Decision, LiveGame
from game.session.steps import Kind
from game.ui import text, theme
from game.ui.flow import GameFlow
from game.ui.ports import Host
from game.ui.scene import Scene
from game.ui.scenes.common import GameScene

WHAT = {
    Kind.BRIEFING: "your role briefing", Kind.EVENT: "a decision on this quarter's news",
    Kind.TALK: "your relationship moves", Kind.PROPOSE: "a budget proposal",
    Kind.RESPOND: "an answer to the proposal on the table",
    Kind.AFTERMATH: "how you answer for this quarter's results",
}


class CurtainScene(GameScene):
    """Full screen, nothing private on it: names who takes the keyboard and waits."""

    name = "curtain"

    def __init__(self, app: Host, flow: GameFlow, role: int) -> None:
        super().__init__(app, flow)
        self.role = role

    def build(self) -> None:
        s = self.sizes
        label = f"I am the {ROLE_TITLES[self.role]}: show my screen"
        w = text.width_of(label, s.body, True) + 4 * s.pad
        r = pygame.Rect(0, 0, w, round(s.button_h * 1.3))
        r.center = (self.width // 2, round(self.height * 0.68))
        self.go = self.button(r, label, self.reveal)

    def entered(self) -> None:
        self.app.sound.play("curtain")
        if self.demo:
            self.auto_action = True
            self.start_timer(self.auto_pace() * 0.6)

    def on_timer(self) -> None:
        self.reveal()

    def reveal(self) -> None:
        self.flow.passed_curtain(self.role)
        self.flow.advance()

    def paint(self, surface: pygame.Surface) -> None:
        s = self.sizes
        surface.fill(theme.CURTAIN)
        band = pygame.Rect(0, round(self.height * 0.18), self.width, round(12 * s.scale))
        pygame.draw.rect(surface, theme.ROLE_COLOURS[self.role], band)
        cx = self.width // 2
        y = round(self.height * 0.26)
        text.draw(surface, f"Pass the laptop to the {ROLE_TITLES[self.role]}", (cx, y), s.h1,
                  theme.PANEL, bold=True, align="center", max_width=self.width - 4 * s.pad)
        y += text.line_height(s.h1) + s.gap
        seat = self.game.seat(self.role)
        name = seat.name if seat.name != ROLE_TITLES[self.role] else ""
        if not seat.human and not name:     # an AI seat with no name: who plays it
            name = self.flow.player_name(self.role)
        if name:
            size = s.title if text.width_of(name, s.title, True) <= self.width - 4 * s.pad \
                else s.h1
            text.draw(surface, name, (cx, y), size, theme.ROLE_COLOURS[self.role],
                      bold=True, align="center", max_width=self.width - 4 * s.pad)
            y += text.line_height(size)
        step = self.game.step
        what = WHAT.get(step.kind, "your turn")
        text.draw(surface, f"Next: {what}.", (cx, y + s.gap), s.h3, theme.FAINT, align="center")
        y += text.line_height(s.h3) + 2 * s.gap
        other = ROLE_TITLES[1 - self.role]
        text.draw(surface, f"{other}, please look away: the next screen is private.",
                  (cx, y), s.body, theme.FAINT, align="center")
        text.draw(surface, "Press Enter when ready", (cx, round(self.height * 0.68) +
                  round(s.button_h * 0.65) + 2 * s.pad), s.body, theme.FAINT, align="center")


class AiTurnScene(GameScene):
    """Solo play: the AI partner decides, in public words and with its line of dialogue."""

    name = "ai-turn"

    def __init__(self, app: Host, flow: GameFlow, decision: Decision) -> None:
        super().__init__(app, flow)
        assert self.step.role is not None
        self.role = self.step.role
        self.decision = decision
        self.lines = list(self.game.said[self.role])
        self.summary = describe(self.game, self.step.kind, self.decision)
        self.auto_action = self.decision

    def build(self) -> None:
        self.go = self.footer_row([("Go on", self.finish, None)])[0]

    def entered(self) -> None:
        if self.timer is None:
            self.start_timer(self.auto_pace())

    def on_timer(self) -> None:
        self.finish()

    def finish(self) -> None:
        self.commit(self.decision)

    def paint(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BG)
        y = self.top_bar(surface, "Your partner's turn")
        s = self.sizes
        w = min(self.width - 8 * s.pad, round(900 * s.scale))
        r = pygame.Rect((self.width - w) // 2, y + 3 * s.pad, w, round(self.height * 0.45))
        self.speech(surface, r, self.role, self.lines, self.summary)


THINKING_AFTER = 0.15   # seconds: a shorter wait keeps the last screen, a longer one says so


class ThinkingScene(GameScene):
    """Stands in while the worker reads the game: the AI deciding, the debrief's replays.

    The game belongs to the worker until the job is done, so this screen draws only
    what it read before the worker started, and the menu and the facilitator's overlay
    (which read the game) open as soon as the job is done. For the first
    `THINKING_AFTER` seconds the window keeps the previous screen, so a quick decision
    shows no flash; after that it says the partner is thinking. Quit, F11, F1 and mute
    work throughout.
    """

    name = "thinking"

    def __init__(self, app: Host, flow: GameFlow, then: Callable[[Any], Scene],
                 message: str = "") -> None:
        super().__init__(app, flow)
        self.role = self.step.role
        self.then = then
        self.message = message or (
            f"{flow.player_name(self.role)} is thinking…" if self.role is not None
            else "One moment…")
        g = self.game
        self.left = f"Q{max(g.quarter, 1)} of {g.game.quarters}"
        self.future: Future[Any] | None = None
        self.since = time.monotonic()
        self.deferred: list[Callable[[], None]] = []

    def wait_for(self, fut: Future[Any]) -> None:
        self.future = fut
        self.since = time.monotonic()
        self.flow.hold = self.after

    def after(self, intent: Callable[[], None]) -> None:
        """Esc or F2 while the AI thinks: done once it has decided (the key is taken now
        and the screen says so)."""
        if intent not in self.deferred:
            self.deferred.append(intent)
        self.dirty = True

    @property
    def thinking(self) -> bool:
        return self.future is not None and not self.future.done()

    @property
    def holds_frame(self) -> bool:
        return self.thinking and not self.deferred and (
            time.monotonic() - self.since < THINKING_AFTER)

    def wake_at(self) -> float | None:
        """Once, to say it is thinking; after that the worker's event wakes the loop."""
        if self.thinking and time.monotonic() - self.since < THINKING_AFTER:
            return self.since + THINKING_AFTER
        return None

    def update(self, dt: float) -> None:
        fut = self.future
        if fut is None or not fut.done():
            return
        self.future = None
        self.flow.hold = None
        self.app.switch(self.then(fut.result()))
        for intent in self.deferred:
            intent()

    def on_escape(self) -> None:
        self.app.nav.menu()

    def paint(self, surface: pygame.Surface) -> None:
        s = self.sizes
        surface.fill(theme.BG)
        h = round(58 * s.scale)
        pygame.draw.rect(surface, theme.PANEL, pygame.Rect(0, 0, self.width, h))
        pygame.draw.line(surface, theme.PANEL_EDGE, (0, h - 1), (self.width, h - 1), 2)
        text.draw(surface, self.left, (s.pad * 2, (h - text.line_height(s.h3)) // 2), s.h3,
                  theme.INK, bold=True)
        cx, y = self.width // 2, round(self.height * 0.38)
        colour = theme.ROLE_TEXT[self.role] if self.role is not None else theme.INK
        text.draw(surface, self.message, (cx, y), s.h2, colour, bold=True, align="center")
        if self.deferred:
            text.draw(surface, "The menu opens in a moment, when this is done.",
                      (cx, y + text.line_height(s.h2) + s.gap), s.body, theme.MUTED,
                      align="center")

    def paint_live(self, surface: pygame.Surface) -> None:
        """Nothing of the game's: the pause is drawn once the decision is in."""


def describe(game: LiveGame, kind: Kind, decision: Decision) -> str:
    """An AI's decision in the words the human may see (never its private intel, and a
    go-around only ever shows when it is discovered)."""
    sc = game.scenario
    if kind == Kind.EVENT and isinstance(decision, dict):
        parts = []
        for k, opt in decision.items():
            ev = sc.events[int(k)]
            if ev.choices:
                parts.append(f"{ev.title}: {ev.choices[min(int(opt), len(ev.choices) - 1)].label}")
        return "Chose " + "; ".join(parts) if parts else "Made its choice on the news."
    if kind == Kind.TALK and isinstance(decision, Talk):
        return "Has chosen its relationship moves for this quarter. You will see them once " \
               "you have chosen yours."
    if kind == Kind.PROPOSE and isinstance(decision, Plan):
        if game.repeats_last(decision):
            return "Accepts your plan as you proposed it: seal the deal on the next screen."
        if game.last_proposal is not None:
            return "Counters with a plan of its own: the next screen marks what it changed."
        return "Put a budget proposal on the table."
    if kind == Kind.RESPOND and isinstance(decision, bool | np.bool_):
        if decision:
            return "Accepts the proposal."
        want = game.sticking.get(int(game.step.role or 0))
        unlock = f" What would unlock a deal: {want}." if want else ""
        return "Turns the proposal down" + (
            ": the CEO will decide." if game.last_round else
            " and will make a counter-offer.") + unlock
    if kind == Kind.AFTERMATH and isinstance(decision, Aftermath):
        return "Has answered for this quarter's results. The board will hear both of you."
    return "Has decided."


__all__ = ["AiTurnScene", "CurtainScene", "ThinkingScene", "describe"]
