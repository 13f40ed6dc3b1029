"""The window and its loop: one current scene, global keys, resizing, screenshots.

The loop is event-driven (`run`): a frame is drawn only when something may have
changed (input, a scene's timer, a job from the worker, a toast running out, the
first frames of a screen), and otherwise the loop blocks on the event queue, so an
untouched window costs next to nothing on a laptop's battery. `frame` itself still
draws one whole frame every call (the tests, the gallery and the benchmarks use it).

Global keys work on every screen: F11 fullscreen, M mute, F1 help, F2 the
facilitator's overlay (during a game). Everything else goes to the scene.
The app makes the router (`nav`), which makes every screen.
"""

from __future__ import annotations

import contextlib
import os
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import pygame
import pygame_gui

from game.ui import settings as settings_mod
from game.ui import text, theme
from game.ui.ports import Screen
from game.ui.scene import call
from game.ui.sound import Sound
from game.ui.tasks import WORKER_DONE, Tasks
from game.ui.theme import Sizes

if TYPE_CHECKING:   # the router brings every game screen and the engine: see `nav`
    from game.ui.flow import GameFlow
    from game.ui.router import Router

MIN_SIZE = (1024, 600)
KEY_INPUT = (pygame.KEYDOWN, pygame.KEYUP, pygame.TEXTINPUT)
RESIZES = (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED)
MODIFIERS = {pygame.K_LSHIFT, pygame.K_RSHIFT, pygame.K_LCTRL, pygame.K_RCTRL, pygame.K_LALT,
             pygame.K_RALT, pygame.K_LGUI, pygame.K_RGUI, pygame.K_CAPSLOCK}
LIVE_AFTER_INPUT = 1.5   # seconds of full frame rate after input: hover, tooltips, key repeat
CARET_BLINK = 0.25       # how often a focused text field redraws (its caret blinks)
IDLE_CHECK = 1.0         # the longest a blocked loop sleeps before looking again


class NoDisplay(RuntimeError):
    """The window cannot be opened here."""


class App:
    """Owns the display, the widget manager and the current scene."""

    def __init__(self, size: tuple[int, int] | None = None, *, fast: bool = False,
                 screenshots: Path | None = None, pace: float | None = None,
                 fullscreen: bool | None = None, remember: bool = True,
                 background: bool = True) -> None:
        self.prefs = settings_mod.load() if remember else settings_mod.Settings()
        self.remember = remember
        try:
            pygame.display.init()
            pygame.font.init()
        except pygame.error as e:
            raise NoDisplay(str(e)) from None
        pygame.display.set_caption("Same Team")
        if size is None:           # the size it had last time
            size = self.prefs.window if remember else settings_mod.DEFAULT_WINDOW
        self.windowed = size
        self.fullscreen = self.prefs.fullscreen if fullscreen is None else fullscreen
        self.screen = self._set_mode(size)
        self._limit_window()
        self.sizes = self._sizes()
        self.manager = self._new_manager()
        self.fast = fast
        self.pace = 0.0 if fast else (self.prefs.pace_seconds if pace is None else pace)
        self.sound = Sound(self.prefs.sound and not fast)
        self.shots_dir = screenshots
        self.shots_taken: list[str] = []
        self.show_focus = self.prefs.show_focus
        self.scene: Screen | None = None
        self.running = True
        self.exit_code = 0
        self.clock = pygame.time.Clock()
        self.frames = 0
        self._fresh = False
        self.scene_frames = 0
        self.flow: GameFlow | None = None   # the game in progress
        self.toast = ""
        self.toast_until = 0.0
        self.tasks = Tasks(background)
        self._held: list[pygame.event.Event] = []   # what woke a blocked loop
        self._down: set[int] = set()    # keys held now
        self._stale: set[int] = set()   # keys held when the screen changed: not its input
        self._live_until = 0.0
        self._last_frame = 0.0
        self._nav: Router | None = None
        pygame.key.set_repeat(350, 40)

    @property
    def nav(self) -> Router:
        """The router, made on first use: it imports every game screen and the engine,
        which the title's first frame does without (start-up on a workshop laptop)."""
        if self._nav is None:
            from game.ui.router import Router

            self._nav = Router(self)
        return self._nav

    # -- display ---------------------------------------------------------------------
    def _set_mode(self, size: tuple[int, int]) -> pygame.Surface:
        if self.fullscreen:
            try:
                return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
            except pygame.error:
                self.fullscreen = False
        w, h = max(size[0], MIN_SIZE[0]), max(size[1], MIN_SIZE[1])
        return pygame.display.set_mode((w, h), pygame.RESIZABLE)

    def _limit_window(self) -> None:
        """Ask the window manager not to let the window shrink below the minimum
        (`resize` enforces it as well, where the manager does not)."""
        with contextlib.suppress(AttributeError, pygame.error), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)   # only its surface use is
            pygame.Window.from_display_module().minimum_size = MIN_SIZE

    def _sizes(self) -> Sizes:
        w, h = self.screen.get_size()
        return Sizes(w, h, self.prefs.text_size)

    def _new_manager(self) -> pygame_gui.UIManager:
        w, h = self.screen.get_size()
        return pygame_gui.UIManager((w, h), theme.gui_theme(self.sizes.scale),
                                    enable_live_theme_updates=False)

    @property
    def laid_out_for(self) -> tuple[int, int]:
        """The window size the current widgets were made for."""
        w, h = self.manager.window_resolution
        return int(w), int(h)

    def resize(self, size: tuple[int, int]) -> None:
        """The window became `size` (the window manager, or a test): below the minimum
        it is set back to it; then every widget and font is made again for the size."""
        w, h = size
        small = w < MIN_SIZE[0] or h < MIN_SIZE[1]
        if not self.fullscreen:
            self.windowed = (max(w, MIN_SIZE[0]), max(h, MIN_SIZE[1]))
            self.prefs.window = self.windowed
        if small or self.screen.get_size() != size:
            self.screen = self._set_mode(size)
        else:   # a real window is resized by SDL already: take its new surface
            surf = pygame.display.get_surface()
            self.screen = surf if surf is not None else self._set_mode(size)
        self._relayout()

    def set_text_size(self, choice: str) -> None:
        """The Settings choice: type and widgets again at the new scale."""
        self.prefs.text_size = choice
        self.save_prefs()
        self._relayout()

    def _relayout(self) -> None:
        text.clear_caches()
        self.sizes = self._sizes()
        self.manager = self._new_manager()
        if self.scene is not None:
            self.scene.rebuild()

    def toggle_fullscreen(self) -> None:
        self.fullscreen = not self.fullscreen
        self.screen = self._set_mode(self.windowed)
        self.prefs.fullscreen = self.fullscreen
        self.save_prefs()
        self._relayout()

    def save_prefs(self) -> None:
        if self.remember:
            settings_mod.save(self.prefs)

    # -- scenes ----------------------------------------------------------------------
    def switch(self, scene: Screen) -> None:
        """Make `scene` current. A key still held from the screen before (its repeats,
        the text it types) never reaches the new one."""
        self._stale = set(self._down)
        self.clear_widgets()
        self.scene = scene
        self.scene_frames = 0
        scene.enter()

    def clear_widgets(self) -> None:
        """Remove every widget: a scene is about to make its own."""
        call(self.manager, "clear_and_reset")
        self._fresh = True

    def quit(self, code: int = 0) -> None:
        self.running = False
        self.exit_code = code

    def typing(self) -> bool:
        focused = call(self.manager, "get_focus_set")
        return any(isinstance(el, pygame_gui.elements.UITextEntryLine) for el in focused or ())

    def unfocus_text(self) -> None:
        self.manager.set_focus_set(None)

    def notify(self, message: str, seconds: float = 3.0) -> None:
        """A short message at the bottom of the screen."""
        self.toast = message
        self.toast_until = time.monotonic() + seconds

    # -- the loop --------------------------------------------------------------------
    def frame(self, dt: float | None = None) -> None:
        """Handle pending events, update, draw and flip once."""
        if dt is None:
            dt = self.clock.tick(60) / 1000.0
        elif self.tasks.waiting:
            self.tasks.settle(0.05)   # a frame at full speed must not starve the worker
        events, self._held = [*self._held, *pygame.event.get()], []
        sizes = [i for i, e in enumerate(events) if e.type in RESIZES]
        if len(sizes) > 1:   # a drag sends a stream: lay out once, for the last size
            drop = set(sizes[:-1])
            events = [e for i, e in enumerate(events) if i not in drop]
        here = self.scene
        for event in events:
            if event.type == WORKER_DONE:
                continue
            if self.scene is not here and event.type in KEY_INPUT:
                self._track_key(event)   # typed for the screen before: dropped
                continue
            self.dispatch(event)
            if self.scene is None or not self.running:
                return
        self.tasks.poll()
        if self.scene is None or not self.running:
            return
        self.scene.update(dt)
        self.manager.update(dt)
        self.draw()
        self.frames += 1
        self.scene_frames += 1
        self._last_frame = time.monotonic()

    def frames_in_scene(self, scene: object) -> int:
        return self.scene_frames if scene is self.scene else 0

    def draw(self) -> None:
        assert self.scene is not None
        scene = self.scene
        if scene.holds_frame:   # keep what is on the screen (a short wait for the AI)
            return
        if self._fresh:  # widgets made this frame: let the manager build their images
            self.manager.update(0.0)
            self._fresh = False
        if scene.covered:
            scene.paint_live(self.screen)
        else:
            scene.draw(self.screen)
            self.manager.draw_ui(self.screen)
            if text.recording is not None:
                text.record(*scene.shown_labels())
            scene.paint_live(self.screen)
            scene.draw_focus(self.screen)
            scene.draw_hover(self.screen)
        if self.toast and time.monotonic() < self.toast_until:
            self._draw_toast()
        else:
            self.toast = ""
        pygame.display.flip()
        self._screenshot(scene)

    def _draw_toast(self) -> None:
        s = self.sizes
        w = text.width_of(self.toast, s.body) + 4 * s.pad
        r = pygame.Rect(0, 0, w, s.button_h)
        r.midbottom = (self.screen.get_width() // 2, self.screen.get_height() - 3 * s.pad
                       - s.button_h)
        pygame.draw.rect(self.screen, theme.INK, r, border_radius=10)
        text.draw(self.screen, self.toast, (r.centerx, r.y + (r.height - text.line_height(
            s.body)) // 2), s.body, theme.PANEL, align="center")

    def _screenshot(self, scene: Screen) -> None:
        if self.shots_dir is None or scene.name in self.shots_taken:
            return
        self.shots_dir.mkdir(parents=True, exist_ok=True)
        n = len(self.shots_taken) + 1
        pygame.image.save(self.screen, str(self.shots_dir / f"{n:02d}-{scene.name}.png"))
        self.shots_taken.append(scene.name)

    def dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.quit(0)
            return
        if event.type in RESIZES:
            size = (event.w, event.h) if event.type == pygame.VIDEORESIZE else (
                event.x, event.y)
            # Against the size the layout was made for: under a real window manager
            # SDL has already resized the display surface when the event arrives.
            if not self.fullscreen and (size != self.laid_out_for
                                        or size != self.screen.get_size()):
                self.resize(size)
            return
        if event.type in KEY_INPUT and self._track_key(event):
            return
        if event.type == pygame.KEYDOWN and self._global_key(event):
            return
        self.manager.process_events(event)
        if self.scene is not None:
            self.scene.handle(event)

    def _track_key(self, event: pygame.event.Event) -> bool:
        """Keep count of the keys held; True when the event is left over from the screen
        before (a repeat or the text of a key pressed there)."""
        if event.type == pygame.KEYDOWN:
            if event.key in self._stale:
                return True
            if event.key not in MODIFIERS:
                self._down.add(event.key)
        elif event.type == pygame.KEYUP:
            self._down.discard(event.key)
            self._stale.discard(event.key)
        elif event.type == pygame.TEXTINPUT:
            return bool(self._stale)
        return False

    def _global_key(self, event: pygame.event.Event) -> bool:
        key = event.key
        if key == pygame.K_F11:
            self.toggle_fullscreen()
            return True
        if self.typing():
            return False
        if key == pygame.K_m:
            on = self.sound.toggle()
            self.prefs.sound = on
            self.save_prefs()
            self.notify("Sound on" if on else "Sound muted")
            return True
        if key == pygame.K_F1:
            self.nav.help()
            return True
        if key == pygame.K_F2 and self.flow is not None:
            self.nav.facilitator()
            return True
        return False

    def run(self, first: Screen, max_frames: int | None = None) -> int:
        """Show `first` and run until quit, drawing a frame only when one is due."""
        self.switch(first)
        while self.running and (max_frames is None or self.frames < max_frames):
            self.wait()
            if self.running:
                self.frame()
        self.tasks.drain()
        return self.exit_code

    def due_in(self, now: float) -> float:
        """Seconds until the next frame is needed (0: now), going by what can change
        the picture without input."""
        scene = self.scene
        if scene is None or self.scene_frames < 2 or self._fresh or now < self._live_until:
            return 0.0
        if self.tasks.ready():
            return 0.0
        due = IDLE_CHECK
        wake = scene.wake_at()
        if wake is not None:
            due = min(due, wake - now)
        if self.toast:
            due = min(due, self.toast_until - now)
        if self.typing():
            due = min(due, self._last_frame + CARET_BLINK - now)
        return max(due, 0.0)

    def wait(self, until: float | None = None) -> None:
        """Block on the event queue until input comes or a frame falls due (or, for the
        benchmarks, the time `until` comes)."""
        while self.running:
            now = time.monotonic()
            due = self.due_in(now)
            if until is not None:
                if now >= until:
                    return
                due = min(due, until - now)
            if due <= 0.0:
                return
            event = pygame.event.wait(max(1, round(due * 1000)))
            if event.type == pygame.NOEVENT:
                continue
            self._held.append(event)
            if event.type != WORKER_DONE:
                self._live_until = time.monotonic() + LIVE_AFTER_INPUT
            self.clock.tick()   # the time spent blocked is no frame's dt
            return

    def close(self) -> None:
        """Let the worker finish (the last autosave lands), stop sending to a room,
        remember the window's size, then close the window."""
        self.tasks.drain()
        if self.flow is not None:   # a room's game: a last, bounded attempt to send
            self.flow.leave_room()
        self.save_prefs()
        pygame.display.quit()


def display_available() -> bool:
    """Whether a window can be opened: a desktop session, or the dummy driver."""
    driver = os.environ.get("SDL_VIDEODRIVER", "")
    if driver in ("dummy", "offscreen"):
        return True
    if os.name == "nt" or os.uname().sysname == "Darwin":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or driver)
