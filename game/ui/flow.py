"""The game in the window: who has the keyboard, the facilitator's pause, autosave.

The session says what is awaited (a view, or one role's decision); the router
turns that into a screen. This holds what the window adds to a live game: a
curtain before every private screen in hot-seat play, the pause, the demo's
length, and an autosave after each step. It knows no screen: `advance` asks
whoever made it (the router) to show the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future

from game.session import saves
from game.session.live import DEMO, SOLO, WORKSHOP, LiveGame
from game.ui.tasks import Tasks


class GameFlow:
    """A game in progress and how it is shown."""

    def __init__(self, game: LiveGame, autosaver: saves.Autosaver | None, *,
                 show: Callable[[GameFlow], None], notify: Callable[[str], None],
                 tasks: Tasks | None = None) -> None:
        self.autosaver = autosaver
        self.tasks = tasks or Tasks(background=False)
        self.game = game
        self.game.on_step = self._stepped
        self._show = show
        self._notify = notify
        self.curtained: int | None = None   # the role the keyboard was last handed to
        self.ended_early = False
        self.paused = False
        self.demo_quarters: int | None = None
        # While the AI decides on the worker the game is the worker's: screens that read
        # it (the menu, the facilitator's overlay) are handed to this to open afterwards.
        self.hold: Callable[[Callable[[], None]], None] | None = None

    @property
    def mode(self) -> str:
        return self.game.mode

    def _stepped(self, game: LiveGame) -> None:
        self.autosave()

    def autosave(self) -> None:
        """The game as text now (on the UI thread, the one that owns the game); the file
        written by the worker, so a slow disk never freezes a frame."""
        if self.autosaver is None:
            return
        job = self.autosaver.snapshot(self.game)
        if job is not None:
            self.tasks.then(self.tasks.submit(job), self._saved)

    def _saved(self, fut: Future[None]) -> None:
        e = fut.exception()
        if isinstance(e, OSError):
            self._notify(f"Autosave failed: {e.strerror or e}")
        elif e is not None:
            raise e

    def replace(self, game: LiveGame) -> None:
        """Swap in a rebuilt game (after undo) and save it at once."""
        self.game = game
        game.on_step = self._stepped
        self.curtained = None
        self.autosave()

    # -- what to show ------------------------------------------------------------------
    def advance(self) -> None:
        """Show whatever the game awaits now."""
        self._show(self)

    @property
    def over(self) -> bool:
        """Time for the debrief: the game is over, or the facilitator or the demo's
        length ended it."""
        g = self.game
        if self.demo_quarters is not None and g.quarter > self.demo_quarters and not g.done:
            self.ended_early = True
        return g.done or self.ended_early

    def needs_curtain(self, role: int) -> bool:
        """Hot-seat (and the demo, to show it): hand over the keyboard before private info."""
        if self.mode == WORKSHOP or self.mode == DEMO:
            return self.curtained != role
        return False

    def passed_curtain(self, role: int) -> None:
        self.curtained = role

    def end_now(self) -> None:
        """The facilitator ends the game: straight to the debrief."""
        self.ended_early = True
        self.advance()

    def player_name(self, role: int) -> str:
        return self.game.player_name(role)


__all__ = ["DEMO", "SOLO", "WORKSHOP", "GameFlow"]
