"""What a screen may ask of the window and of the router, and what they ask of a screen.

Screens hold these interfaces, never the classes behind them, so the dependencies
run one way: the app makes the router, the router makes every screen, and no
screen imports the app, the router or another screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pygame
import pygame_gui

from game.ui.settings import Settings
from game.ui.sound import Sound
from game.ui.tasks import Tasks
from game.ui.theme import Sizes

if TYPE_CHECKING:   # types only: the title screen starts without the engine
    from game.scenario.models import Scenario
    from game.session.live import GameConfig
    from game.session.roomlink import RoomLink
    from game.ui.flow import GameFlow


class Screen(Protocol):
    """What the window's loop and the router need of a screen."""

    name: str

    @property
    def covered(self) -> bool: ...

    def enter(self) -> None: ...

    def rebuild(self) -> None: ...

    @property
    def holds_frame(self) -> bool: ...

    def update(self, dt: float) -> None: ...

    def wake_at(self) -> float | None: ...

    def handle(self, event: pygame.event.Event) -> None: ...

    def draw(self, surface: pygame.Surface) -> None: ...

    def paint_live(self, surface: pygame.Surface) -> None: ...

    def draw_focus(self, surface: pygame.Surface) -> None: ...

    def draw_hover(self, surface: pygame.Surface) -> None: ...

    def shown_labels(self) -> list[str]: ...


class Navigator(Protocol):
    """Where a screen can send the player, by intent; the router builds what is shown.

    Help, settings, load, the game menu and the facilitator's overlay return to
    the screen that was current when they opened.
    """

    def title(self) -> None: ...

    def new_game(self, scenario: int = 0) -> None: ...

    def scenarios(self) -> None: ...

    def join_room(self) -> None: ...

    def help(self) -> None: ...

    def settings(self) -> None: ...

    def load(self) -> None: ...

    def menu(self) -> None: ...

    def facilitator(self) -> None: ...

    def back(self, to: Screen | None) -> None: ...

    def start(self, config: GameConfig, scenario: Scenario | None = None) -> None: ...

    def start_in_room(self, config: GameConfig, link: RoomLink) -> None: ...

    def resume(self, path: Path, link: RoomLink | None = None) -> str | None: ...

    def continue_latest(self) -> str | None: ...

    def quit_game(self) -> None: ...


class Host(Protocol):
    """What a screen (and the router) may use of the window."""

    sizes: Sizes
    screen: pygame.Surface
    manager: pygame_gui.UIManager
    sound: Sound
    prefs: Settings
    fast: bool
    pace: float
    fullscreen: bool
    show_focus: bool
    flow: GameFlow | None
    tasks: Tasks

    @property
    def nav(self) -> Navigator: ...

    @property
    def scene(self) -> Screen | None: ...

    def switch(self, scene: Screen) -> None: ...

    def clear_widgets(self) -> None: ...

    def frames_in_scene(self, scene: object) -> int: ...

    def typing(self) -> bool: ...

    def unfocus_text(self) -> None: ...

    def notify(self, message: str, seconds: float = 3.0) -> None: ...

    def toggle_fullscreen(self) -> None: ...

    def set_text_size(self, choice: str) -> None: ...

    def save_prefs(self) -> None: ...

    def quit(self, code: int = 0) -> None: ...


__all__ = ["Host", "Navigator", "Screen"]
