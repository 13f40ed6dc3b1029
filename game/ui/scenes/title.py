"""The title screen: the first frame a player sees, so it imports only what it draws.

The game screens, the scenario models and the engine are imported when a game or the
new-game screen opens (the router, game/ui/scenes/newgame.py), not before the first frame.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from game.session import saves
from game.ui import text, theme
from game.ui.ports import Host
from game.ui.scene import Scene

if TYPE_CHECKING:
    from game.scenario.models import Scenario
    from game.session.live import GameConfig


def start_game(app: Host, config: GameConfig, scenario: Scenario | None = None) -> None:
    """Begin a new game (the command line's `play`, and tests): `Router.start`."""
    app.nav.start(config, scenario)


def resume(app: Host, path: Path) -> str | None:
    """Continue a save (the command line's `play --load`): `Router.resume`."""
    return app.nav.resume(path)


class TitleScene(Scene):
    name = "title"

    def build(self) -> None:
        s = self.sizes
        with contextlib.suppress(OSError):
            saves.clean_stale_temporaries()
        self.latest = saves.latest()
        w = round(380 * s.scale)
        x = (self.width - w) // 2
        y = round(self.height * 0.36)
        items: list[tuple[str, object, bool]] = [
            ("New game", self.new_game, True),
            ("Continue", self.continue_game, self.latest is not None),
            ("Load a game", self.load, True),
            ("Scenarios", self.scenarios, True),
            ("Settings", self.settings, True),
            ("Help", self.help, True),
            ("Quit", lambda: self.app.quit(0), True),
        ]
        step = s.button_h + round(s.gap * 0.8)
        for i, (label, action, ok) in enumerate(items):
            self.button((x, y, w, s.button_h), f"{i + 1}. {label}", action,  # type: ignore[arg-type]
                        hotkey=i + 1, enabled=ok, style=None if i < 2 else "quiet")
            y += step

    def new_game(self) -> None:
        self.app.nav.new_game()

    def continue_game(self) -> None:
        if self.latest is None:
            return
        err = self.app.nav.continue_latest()
        if err:
            self.app.notify(err, 6.0)

    def load(self) -> None:
        self.app.nav.load()

    def scenarios(self) -> None:
        self.app.nav.scenarios()

    def settings(self) -> None:
        self.app.nav.settings()

    def help(self) -> None:
        self.app.nav.help()

    def on_escape(self) -> None:
        self.app.quit(0)

    def paint(self, surface: pygame.Surface) -> None:
        s = self.sizes
        surface.fill(theme.BG)
        band = pygame.Rect(0, 0, self.width, round(self.height * 0.3))
        pygame.draw.rect(surface, theme.CURTAIN, band)
        half = self.width // 2
        pygame.draw.rect(surface, theme.CMO_COLOUR, (0, band.bottom, half, round(8 * s.scale)))
        pygame.draw.rect(surface, theme.CTO_COLOUR, (half, band.bottom, self.width - half,
                                                     round(8 * s.scale)))
        cx = self.width // 2
        text.draw(surface, "Same Team", (cx, round(band.height * 0.22)), round(s.title * 1.3),
                  theme.PANEL, bold=True, align="center")
        text.draw(surface, "One budget. One company. A CMO and a CTO.",
                  (cx, round(band.height * 0.22) + text.line_height(round(s.title * 1.3))),
                  s.h3, theme.FAINT, align="center")
        if self.latest is not None:
            text.draw(surface, f"Continue: {self.latest.detail}", (cx, self.height - 2 * s.pad
                      - 2 * text.line_height(s.small)), s.small, theme.MUTED, align="center",
                      max_width=self.width - 4 * s.pad)
        text.draw(surface, "Keys: arrows or Tab to move · Enter to choose · F11 full screen · "
                  "M sound · F1 help", (cx, self.height - s.pad - text.line_height(s.small)),
                  s.small, theme.MUTED, align="center")



__all__ = ["TitleScene", "resume", "start_game"]
