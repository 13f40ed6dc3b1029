"""Help, settings, load and save, and the in-game menu (Esc).

These are full, opaque screens: opening one mid-game hides whatever private
screen was showing, and closing it brings that screen back.
"""

from __future__ import annotations

from functools import partial

import pygame
from pygame_gui.elements import UITextEntryLine

from game.session import saves
from game.ui import settings as settings_mod
from game.ui import text, theme
from game.ui.ports import Host, Screen
from game.ui.scene import BackScene

HELP = [
    ("How a quarter goes",
     "News arrives. Each of you spends attention points on relationship moves. One proposes "
     "a budget and portfolio, the other accepts or counters; with no deal the CEO decides. "
     "Projects run and finish. You answer for failures and successes. The board judges you."),
    ("Hot-seat privacy",
     "Before a private screen, a curtain names who takes the keyboard. The other player "
     "looks away until the next curtain or a shared screen."),
    ("Keys",
     "Tab or arrows: move between buttons. Enter or Space: press. Number keys: press the "
     "numbered button. Esc: menu or back. F11: full screen. M: sound on or off. F1: this "
     "help. F2: the facilitator's menu (pause, inject an event, undo, end)."),
    ("Saving",
     "The game saves itself after every step. Continue on the title screen picks up "
     "exactly where you stopped, even after a crash."),
]


class HelpScene(BackScene):
    name = "help"

    def build(self) -> None:
        self.footer_row([("Back", self.go_back, None)])

    def paint(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BG)
        s = self.sizes
        y = self.header(surface, "Help")
        w = self.width - 4 * s.pad
        for title, body in HELP:
            text.draw(surface, title, (2 * s.pad, y), s.h3, bold=True)
            y += text.line_height(s.h3)
            y += text.paragraph(surface, body, pygame.Rect(2 * s.pad, y, w, self.height - y),
                                s.body, theme.MUTED) + s.pad


class SettingsScene(BackScene):
    name = "settings"

    def __init__(self, app: Host, back: Screen | None = None) -> None:
        super().__init__(app, back)
        self.code: UITextEntryLine | None = None
        self.code_y = 0

    def build(self) -> None:
        s = self.sizes
        p = self.app.prefs
        w = round(520 * s.scale)
        x = (self.width - w) // 2
        y = round(140 * s.scale)
        rows = [
            (f"1. Full screen: {'on' if self.app.fullscreen else 'off'}", self.fullscreen),
            (f"2. Sound: {'on' if not self.app.sound.muted else 'off'}", self.sound),
            (f"3. AI pace: {p.pace}", self.pace),
            (f"4. Keyboard focus ring: {'on' if p.show_focus else 'off'}", self.focus_ring),
            (f"5. Text size: {p.text_size}", self.text_size),
        ]
        for i, (label, action) in enumerate(rows):
            self.button((x, y, w, s.button_h), label, action, hotkey=i + 1, style="quiet")
            y += s.button_h + s.gap
        self.code_y = y + s.gap
        lw = text.width_of("Facilitator code (F2):", s.body) + s.pad
        self.code = self.text_entry((x + lw, self.code_y, w - lw, s.button_h),
                                    p.facilitator_code, "none", 12)
        self.footer_row([("Back", self.go_back, None)])

    def on_text_done(self) -> None:
        """Enter or Tab in the code field keeps the code."""
        self.keep_code()

    def keep_code(self) -> None:
        if self.code is not None:
            code = self.code.get_text().strip()
            if code != self.app.prefs.facilitator_code:
                self.app.prefs.facilitator_code = code
                self.app.save_prefs()
                self.app.notify("F2 now asks for the facilitator's code." if code
                                else "F2 opens the facilitator's menu at once.")

    def go_back(self) -> None:
        self.keep_code()
        super().go_back()

    def text_size(self) -> None:
        names = list(settings_mod.TEXT_SIZES)
        p = self.app.prefs
        now = names.index(p.text_size) if p.text_size in names else 1
        self.app.set_text_size(names[(now + 1) % len(names)])   # rebuilds this screen

    def _rebuild(self) -> None:
        self.app.save_prefs()
        self.rebuild()

    def fullscreen(self) -> None:
        self.app.toggle_fullscreen()
        self._rebuild()

    def sound(self) -> None:
        self.app.prefs.sound = self.app.sound.toggle()
        self._rebuild()

    def pace(self) -> None:
        names = list(settings_mod.PACES)
        p = self.app.prefs
        p.pace = names[(names.index(p.pace) + 1) % len(names)] if p.pace in names else "normal"
        if not self.app.fast:
            self.app.pace = p.pace_seconds
        self._rebuild()

    def focus_ring(self) -> None:
        self.app.prefs.show_focus = not self.app.prefs.show_focus
        self.app.show_focus = self.app.prefs.show_focus
        self._rebuild()

    def paint(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BG)
        s = self.sizes
        self.header(surface, "Settings", "Changes are kept for next time.")
        w = round(520 * s.scale)
        text.draw(surface, "Facilitator code (F2):", ((self.width - w) // 2, self.code_y + (
            s.button_h - text.line_height(s.body)) // 2), s.body)
        text.draw(surface, "When set, F2 asks for it; Enter keeps it.", (self.width // 2,
                  self.code_y + s.button_h + s.gap), s.small, theme.MUTED, align="center",
                  max_width=w)
        text.draw(surface, "The window can be resized; text grows with it.",
                  (self.width // 2, self.height - 3 * s.pad - s.button_h - text.line_height(
                      s.small)), s.small, theme.MUTED, align="center")


class LoadScene(BackScene):
    """Every save, newest first; damaged files say what is wrong and cannot be chosen."""

    name = "load"
    PER_PAGE = 7

    def __init__(self, app: Host, back: Screen | None = None) -> None:
        super().__init__(app, back)
        self.rows = saves.list_saves()
        self.page = 0
        self.error = ""

    def build(self) -> None:
        s = self.sizes
        y = round(110 * s.scale)
        w = self.width - 4 * s.pad
        per = self.per_page()
        shown = self.rows[self.page * per:(self.page + 1) * per]
        for i, row in enumerate(shown):
            label = f"{i + 1}. {row.title}"
            self.button((2 * s.pad, y, round(w * 0.45), s.button_h), label,
                        partial(self.load, row), hotkey=i + 1, enabled=row.ok,
                        style="quiet")
            y += s.button_h + s.gap
        foot = [("Back", self.go_back, None)]
        if len(self.rows) > per:
            foot.insert(0, ("More", self.more, None))
        self.footer_row(foot)

    def per_page(self) -> int:
        s = self.sizes
        return max(1, min(9, (self.height - round(110 * s.scale) - 3 * s.pad - s.button_h)
                          // (s.button_h + s.gap)))

    def more(self) -> None:
        per = self.per_page()
        self.page = (self.page + 1) % max(1, -(-len(self.rows) // per))
        self.rebuild()

    def load(self, row: saves.SaveInfo) -> None:
        err = self.app.nav.resume(row.path)
        if err:
            self.error = err
            self.dirty = True

    def paint(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BG)
        s = self.sizes
        self.header(surface, "Load a game", f"Saved in {saves.saves_dir()}")
        y = round(110 * s.scale)
        w = self.width - 4 * s.pad
        x = 3 * s.pad + round(w * 0.45)
        per = self.per_page()
        if not self.rows:
            text.draw(surface, "No saved games yet.", (2 * s.pad, y), s.body, theme.MUTED)
        for row in self.rows[self.page * per:(self.page + 1) * per]:
            msg = row.detail if row.ok else row.error
            colour = theme.MUTED if row.ok else theme.BAD_TEXT
            text.paragraph(surface, msg, pygame.Rect(x, y, self.width - x - 2 * s.pad,
                           s.button_h + 4), s.small, colour, max_lines=2)
            y += s.button_h + s.gap
        if self.error:
            text.paragraph(surface, self.error, pygame.Rect(2 * s.pad, self.height - 4 * s.pad -
                           s.button_h - 2 * text.line_height(s.small), w, 3 * text.line_height(
                               s.small)), s.small, theme.BAD_TEXT)


class GameMenuScene(BackScene):
    """Esc during a game: resume, save, load, settings, help, quit to the title."""

    name = "menu"

    def build(self) -> None:
        s = self.sizes
        w = round(420 * s.scale)
        x = (self.width - w) // 2
        y = round(150 * s.scale)
        items = [("Resume", self.go_back), ("Save the game", self.save),
                 ("Load a game", self.load), ("Settings", self.settings), ("Help", self.help),
                 ("Quit to the title screen", self.quit_to_title)]
        for i, (label, action) in enumerate(items):
            self.button((x, y, w, s.button_h), f"{i + 1}. {label}", action, hotkey=i + 1,
                        style=None if i == 0 else "quiet")
            y += s.button_h + s.gap

    def save(self) -> None:
        flow = self.app.flow
        assert flow is not None
        g = flow.game
        label = f"{g.game.scenario.title}, Q{g.quarter}"
        target = saves.manual_path(label)
        try:
            path = saves.write(g, target, label)
        except OSError as e:
            self.app.notify(saves.write_problem(e, target.parent), 8.0)
            return
        flow.saved(path)
        self.app.notify(f"Saved: {path.name}")

    def load(self) -> None:
        self.app.nav.load()

    def settings(self) -> None:
        self.app.nav.settings()

    def help(self) -> None:
        self.app.nav.help()

    def quit_to_title(self) -> None:
        self.app.nav.quit_game()

    def paint(self, surface: pygame.Surface) -> None:
        surface.fill(theme.CURTAIN)
        s = self.sizes
        text.draw(surface, "Game menu", (self.width // 2, round(70 * s.scale)), s.h1,
                  theme.PANEL, bold=True, align="center")
        text.draw(surface, "The game is saved after every step.", (self.width // 2,
                  self.height - 2 * s.pad - text.line_height(s.small)), s.small, theme.FAINT,
                  align="center")


__all__ = ["GameMenuScene", "HelpScene", "LoadScene", "SettingsScene"]
