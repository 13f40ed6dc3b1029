"""Driving the window with real input events, for tests and benchmarks.

A `Driver` owns a headless App (SDL's dummy driver), posts key presses and mouse
clicks into pygame's event queue, runs frames, and records every string drawn
in each frame so tests can check what was on screen.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame

from game.ui import text
from game.ui.app import App
from game.ui.scene import Btn, Scene


class Driver:
    """A headless game window under test control."""

    def __init__(self, size: tuple[int, int] = (1280, 720), *,
                 screenshots: Path | None = None, background: bool = False) -> None:
        self.app = App(size, fast=True, screenshots=screenshots, fullscreen=False,
                       remember=False, background=background)
        self.frames: list[list[str]] = []
        self.on_frame: Callable[[Driver, list[str]], None] | None = None

    @property
    def scene(self) -> Scene:
        assert isinstance(self.app.scene, Scene)
        return self.app.scene

    def start(self, scene: Scene) -> None:
        self.app.switch(scene)
        self.frame()

    def frame(self, n: int = 1) -> None:
        """Run n frames, recording the strings each draws."""
        for _ in range(n):
            got: list[str] = []
            text.recording = got
            try:
                self.app.frame(0.0)
            finally:
                text.recording = None
            self.frames.append(got)
            if len(self.frames) > 50:
                del self.frames[:-50]
            if self.on_frame is not None:
                self.on_frame(self, got)
            if not self.app.running:
                return

    @property
    def drawn(self) -> list[str]:
        return self.frames[-1] if self.frames else []

    def key(self, key: int, mod: int = 0, frames: int = 1) -> None:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="",
                                             scancode=0))
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode="",
                                             scancode=0))
        self.frame(frames)

    def click_at(self, pos: tuple[int, int], frames: int = 2) -> None:
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0),
                                             buttons=(0, 0, 0)))
        self.frame(1)
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
        self.frame(frames)

    def click(self, b: Btn, frames: int = 2) -> None:
        self.click_at(b.rect.center, frames)

    def button(self, label_part: str) -> Btn:
        """The scene's button whose label contains `label_part`."""
        for b in self.scene.buttons:
            if label_part.lower() in b.label.lower():
                return b
        raise LookupError(f"no button with '{label_part}' on {self.scene.name}: "
                          f"{[b.label for b in self.scene.buttons]}")

    def close(self) -> None:
        self.app.close()


__all__ = ["Driver"]
