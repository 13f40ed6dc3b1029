"""Choosing a game: the scenarios' browser and the new-game screen (mode, scenario,
names, the AI partner), with the catalogue of shipped scenarios they show."""

from __future__ import annotations

import random
from functools import partial

import pygame
import pygame_gui
from pygame_gui.elements import UITextEntryLine

from game.engine.constants import CMO, CTO, ROLE_TITLES
from game.scenario.catalog import scenario_paths
from game.scenario.loader import load_scenario
from game.scenario.models import Scenario
from game.scenario.problems import ScenarioError
from game.session.live import DEMO, SOLO, WORKSHOP, GameConfig
from game.session.seats import AI, HUMAN, Seat, partners_for, title_of
from game.ui import text, theme
from game.ui.ports import Host
from game.ui.scene import Btn, Scene

_catalog: list[Scenario] | None = None


def catalog() -> list[Scenario]:
    """The shipped scenarios that load (loaded once)."""
    global _catalog
    if _catalog is None:
        found = []
        for path in scenario_paths():
            try:
                found.append(load_scenario(path))
            except ScenarioError:
                continue
        _catalog = found
    return _catalog



class ScenariosScene(Scene):
    """Browse the shipped scenarios: summary, objectives, length and difficulty."""

    name = "scenarios"

    def __init__(self, app: Host) -> None:
        super().__init__(app)
        self.index = 0

    def build(self) -> None:
        s = self.sizes
        y = round(110 * s.scale)
        w = round(self.width * 0.32)
        for i, sc in enumerate(catalog()):
            self.button((2 * s.pad, y, w, s.button_h), f"{i + 1}. {sc.title}",
                        partial(self.pick, i), hotkey=i + 1, toggle=True,
                        selected=i == self.index)
            y += s.button_h + s.gap
        self.footer_row([("Back", self.back, None), ("Play this scenario", self.play, None)])

    def pick(self, i: int) -> None:
        self.index = i
        for k, b in enumerate(self.buttons[:len(catalog())]):
            b.set_selected(k == i)

    def play(self) -> None:
        self.app.nav.new_game(self.index)

    def back(self) -> None:
        self.app.nav.title()

    def on_escape(self) -> None:
        self.back()

    def paint(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BG)
        s = self.sizes
        self.header(surface, "Scenarios", "Each one is a YAML file a facilitator can adapt.")
        if not catalog():
            return
        sc = catalog()[self.index]
        x = 3 * s.pad + round(self.width * 0.32)
        r = pygame.Rect(x, round(110 * s.scale), self.width - x - 2 * s.pad,
                        self.height - round(110 * s.scale) - 3 * s.pad - s.button_h)
        scenario_panel(self, surface, r, sc)


def scenario_panel(scene: Scene, surface: pygame.Surface, rect: pygame.Rect,
                   sc: Scenario) -> None:
    s = scene.sizes
    inner = scene.panel(surface, rect, sc.title)
    y = inner.y
    text.draw(surface, f"{sc.difficulty.capitalize()} · {sc.quarters} quarters · "
              f"{len(sc.projects)} projects · by {sc.author}", (inner.x, y), s.small, theme.MUTED,
              max_width=inner.width)
    y += text.line_height(s.small) + s.gap
    y += text.paragraph(surface, sc.summary, pygame.Rect(inner.x, y, inner.width,
                        inner.bottom - y), s.body) + s.gap
    text.draw(surface, "You will learn", (inner.x, y), s.body, bold=True)
    y += text.line_height(s.body)
    scene.stack(surface, pygame.Rect(inner.x, y, inner.width, inner.bottom - y),
                [("• " + obj.text, theme.MUTED, False, False) for obj in sc.learning_objectives],
                s.small, gap=4)


MODES = ((WORKSHOP, "Workshop"), (SOLO, "Solo"), (DEMO, "Demo"))
MODE_HELP = {WORKSHOP: "Two players on one laptop, taking turns behind a curtain.",
             SOLO: "You play one role; an AI partner plays the other.",
             DEMO: "Two AI players, for a projector before the session."}


class NewGameScene(Scene):
    """Mode, scenario, roles, partner and names."""

    name = "new-game"

    def __init__(self, app: Host, scenario: int = 0) -> None:
        super().__init__(app)
        self.mode = WORKSHOP
        self.scenario = scenario
        self.role = 0
        self.partner = 0
        self.level = 2
        self.names = ["", ""]
        self.seed = random.randint(1, 99999)
        self.entries: list[UITextEntryLine] = []
        self.mode_buttons: list[Btn] = []

    @property
    def sc(self) -> Scenario:
        return catalog()[self.scenario]

    def partners(self) -> list[str]:
        return partners_for(list(self.sc.ai.offered), self.sc.ai.personalities)

    def build(self) -> None:
        s = self.sizes
        x = 2 * s.pad
        w = round((self.width - 5 * s.pad) * 0.5)
        y = round(100 * s.scale)
        lab = text.line_height(s.small) + 2
        self.rows: dict[str, int] = {}
        self.rows["mode"] = y
        y += lab
        third = (w - 2 * s.gap) // 3
        self.mode_buttons = [
            self.button((x + i * (third + s.gap), y, third, s.button_h),
                        label, partial(self.set_mode, m),
                        toggle=True, selected=self.mode == m)
            for i, (m, label) in enumerate(MODES)]
        y += s.button_h + s.gap // 2
        self.rows["mode_help"] = y     # what the mode means, wrapped under its buttons
        y += text.height_of(MODE_HELP[self.mode], s.small, w) + s.gap
        self.rows["scenario"] = y
        y += lab
        small = round(56 * s.scale)
        self.button((x, y, small, s.button_h), "◀", lambda: self.cycle(-1), style="quiet")
        self.button((x + w - small, y, small, s.button_h), "▶", lambda: self.cycle(1),
                    style="quiet")
        self.scenario_y = y
        y += s.button_h + s.pad
        self.entries = []
        if self.mode == WORKSHOP:
            for role in (CMO, CTO):
                self.rows[f"name{role}"] = y
                y += lab
                self.entries.append(self.text_entry((x, y, w, s.button_h), self.names[role],
                                                    f"{ROLE_TITLES[role]}'s name"))
                y += s.button_h + s.gap
        elif self.mode == SOLO:
            self.rows["role"] = y
            y += lab
            half = (w - s.gap) // 2
            self.role_buttons = [
                self.button((x + r * (half + s.gap), y, half, s.button_h),
                            f"I play the {ROLE_TITLES[r]}", partial(self.set_role, r),
                            toggle=True, selected=self.role == r)
                for r in (CMO, CTO)]
            y += s.button_h + s.gap
            self.rows["name0"] = y
            y += lab
            self.entries.append(self.text_entry((x, y, w, s.button_h), self.names[0], "Your name"))
            y += s.button_h + s.gap
        if self.mode in (SOLO, DEMO):
            self.rows["partner"] = y
            y += lab
            self.button((x, y, small, s.button_h), "◀", lambda: self.cycle_partner(-1),
                        style="quiet")
            self.button((x + w - small - round(150 * s.scale) - s.gap, y, small, s.button_h),
                        "▶", lambda: self.cycle_partner(1), style="quiet")
            self.partner_y = y
            lw = round(150 * s.scale)
            self.level_button = self.button((x + w - lw, y, lw, s.button_h),
                                            f"Level {self.level}", self.cycle_level,
                                            style="quiet")
            y += s.button_h + s.gap
        self.footer_row([("Back", self.back, None), ("Join a room", self.join_room, None),
                         ("Start the game", self.start, None)])

    def join_room(self) -> None:
        """A facilitator's room: its scenario and seed, every pair on the same luck."""
        self.app.nav.join_room()

    def read_names(self) -> None:
        for i, e in enumerate(self.entries):
            self.names[i] = e.get_text().strip()

    def set_mode(self, m: str) -> None:
        self.read_names()
        self.mode = m
        self.rebuild()

    def set_role(self, r: int) -> None:
        self.role = r
        for k, b in enumerate(self.role_buttons):
            b.set_selected(k == r)

    def cycle(self, d: int) -> None:
        self.scenario = (self.scenario + d) % len(catalog())
        self.partner = 0
        self.dirty = True

    def cycle_partner(self, d: int) -> None:
        n = len(self.partners())
        self.partner = (self.partner + d) % max(n, 1)
        self.dirty = True

    def cycle_level(self) -> None:
        self.level = self.level % 3 + 1
        self.level_button.set_text(f"Level {self.level}")

    def back(self) -> None:
        self.app.nav.title()

    def on_escape(self) -> None:
        self.back()

    def on_text_done(self) -> None:
        self.read_names()

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame_gui.UI_TEXT_ENTRY_CHANGED:
            self.read_names()
        super().handle(event)

    def config(self) -> GameConfig:
        self.read_names()
        sc = self.sc
        partners = self.partners()
        partner = partners[self.partner % len(partners)] if partners else "reciprocal"
        if self.mode == WORKSHOP:
            seats = (Seat(HUMAN, self.names[0] or ROLE_TITLES[CMO]),
                     Seat(HUMAN, self.names[1] or ROLE_TITLES[CTO]))
        elif self.mode == SOLO:
            me = Seat(HUMAN, self.names[0] or ROLE_TITLES[self.role])
            ai = Seat(AI, "", partner, self.level)
            seats = (me, ai) if self.role == 0 else (ai, me)
        else:
            other = partners[(self.partner + 1) % len(partners)] if partners else partner
            seats = (Seat(AI, "", partner, self.level), Seat(AI, "", other, self.level))
        return GameConfig(sc.id, self.seed, self.mode, seats)

    def start(self) -> None:
        self.app.nav.start(self.config(), self.sc)

    def paint(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BG)
        s = self.sizes
        self.header(surface, "New game")
        x = 2 * s.pad
        w = round((self.width - 5 * s.pad) * 0.5)
        labels = {"mode": "How will you play?", "scenario": "Scenario",
                  "name0": f"{ROLE_TITLES[CMO]}'s name" if self.mode == WORKSHOP else "Your name",
                  "name1": f"{ROLE_TITLES[CTO]}'s name", "role": "Your role",
                  "partner": "AI partner and level" if self.mode == SOLO else "AI players"}
        for key, y in self.rows.items():
            if key == "mode_help":
                text.paragraph(surface, MODE_HELP[self.mode], pygame.Rect(
                    x, y, w, text.height_of(MODE_HELP[self.mode], s.small, w)), s.small,
                    theme.MUTED)
                continue
            text.draw(surface, labels[key], (x, y), s.small, theme.MUTED, bold=True,
                      max_width=w)
        sc = self.sc
        text.draw(surface, sc.title, (x + w // 2, self.scenario_y + (s.button_h - text.line_height(
            s.body)) // 2), s.body, bold=True, align="center", max_width=w - round(140 * s.scale))
        if self.mode in (SOLO, DEMO):
            ps = self.partners()
            name = title_of(ps[self.partner % len(ps)], sc) if ps else "-"
            if self.mode == DEMO and len(ps) > 1:
                other = title_of(ps[(self.partner + 1) % len(ps)], sc)
                name = f"{name} v {other}"
            cw = w - round(150 * s.scale) - s.gap
            room = cw - 2 * round(56 * s.scale) - 2 * s.gap   # between ◀ and ▶
            size = s.body if text.width_of(name, s.body, True) <= room else s.small
            text.draw(surface, name, (x + cw // 2, self.partner_y + (s.button_h -
                      text.line_height(size)) // 2), size, bold=True, align="center",
                      max_width=room)
        text.draw(surface, f"Seed {self.seed}: the same seed and choices replay the same game.",
                  (x, self.height - 2 * s.pad - s.button_h - text.line_height(s.small)), s.small,
                  theme.MUTED, max_width=w)
        rx = x + w + s.pad
        r = pygame.Rect(rx, round(100 * s.scale), self.width - rx - 2 * s.pad,
                        self.height - round(100 * s.scale) - 3 * s.pad - s.button_h)
        scenario_panel(self, surface, r, sc)



__all__ = ["NewGameScene", "ScenariosScene", "catalog", "scenario_panel"]
