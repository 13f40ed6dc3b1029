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

    def resize(self, size: tuple[int, int], frames: int = 2) -> None:
        """The window resized as a window manager does it: the event, then frames."""
        pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1],
                                             size=size))
        self.frame(frames)

    def layout_problems(self) -> list[str]:
        """What breaks the layout rules on the current screen (empty: it fits)."""
        return layout_problems(self.scene)

    def close(self) -> None:
        self.app.close()


def _label_width(b: Btn) -> int:
    f, shown = b.widget.font, str(b.widget.text)
    if f is None or not shown:
        return 0
    return int(f.size(shown)[0])


def layout_problems(scene: Scene) -> list[str]:
    """Paint `scene` again, measuring every string, and check the rules: each string
    inside the window and inside the smallest panel it starts in, and not under a
    widget; each visible widget inside the window, clear of every other, with its
    label inside it."""
    screen = scene.app.screen
    w, h = screen.get_size()
    window = pygame.Rect(0, 0, w, h)
    surf = pygame.Surface((w, h))
    with text.measure() as m:
        scene.paint(surf)
        scene.paint_live(surf)
    out: list[str] = []
    where = f"{scene.name} at {w}x{h}"
    for p in m.strings:
        if not p.shown.strip():
            continue
        if not window.contains(p.rect):
            out.append(f"{where}: {p.shown!r} {p.rect} runs off the window")
            continue
        at = (p.rect.x + 1, p.rect.centery)
        frames = [f for f in m.frames if f.collidepoint(at)]
        if frames:
            f = min(frames, key=lambda r: r.width * r.height)
            if not f.inflate(4, 4).contains(p.rect):
                out.append(f"{where}: {p.shown!r} {p.rect} runs out of its panel {f}")
        glyphs = p.rect.inflate(-4, -max(4, p.rect.height // 3))   # the ink, not line spacing
        into = next((f for f in m.frames if f not in frames and f.colliderect(glyphs)), None)
        if into is not None:
            out.append(f"{where}: {p.shown!r} {p.rect} runs into the panel {into}")
    shown = [b for b in scene.buttons if b.widget.visible]
    for p in m.strings:
        under = next((b for b in shown if b.rect.inflate(-4, -4).colliderect(p.rect)), None)
        if under is not None and p.shown.strip():
            out.append(f"{where}: {p.shown!r} {p.rect} is hidden under {under.label!r} "
                       f"{under.rect}")
    for i, b in enumerate(shown):
        if not window.contains(b.rect):
            out.append(f"{where}: button {b.label!r} {b.rect} is off-screen")
        lw = _label_width(b)
        if lw > b.rect.width - 4:
            out.append(f"{where}: button {b.label!r} needs {lw}px, has {b.rect.width}")
        for o in shown[i + 1:]:
            if b.rect.colliderect(o.rect):
                out.append(f"{where}: buttons {b.label!r} {b.rect} and {o.label!r} {o.rect} "
                           "overlap")
    return out


__all__ = ["Driver", "layout_problems"]
