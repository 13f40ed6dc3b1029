"""The game in the window: who has the keyboard, the facilitator's pause, autosave.

The session says what is awaited (a view, or one role's decision); the router
turns that into a screen. This holds what the window adds to a live game: a
curtain before every private screen in hot-seat play, the pause, the demo's
length, an autosave after each step and, in a room, the record sent after each step and
the room's pause, events and end heard at the step boundaries. It knows no screen:
`advance` asks whoever made it (the router) to show the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from game.session import saves
from game.session.live import DEMO, SOLO, WORKSHOP, LiveGame
from game.ui.tasks import Tasks

if TYPE_CHECKING:
    from game.session.roomlink import RoomLink


class GameFlow:
    """A game in progress and how it is shown."""

    def __init__(self, game: LiveGame, autosaver: saves.Autosaver | None, *,
                 show: Callable[[GameFlow], None], notify: Callable[..., None],
                 tasks: Tasks | None = None) -> None:
        self.autosaver = autosaver
        self.tasks = tasks or Tasks(background=False)
        self.game = game
        self.game.on_step = self._stepped
        self._show = show
        self._notify = notify
        self.curtained: int | None = None   # the role the keyboard was last handed to
        self.ended_early = False
        self._paused = False
        self.link: RoomLink | None = None   # the room this game plays in, if any
        self.demo_quarters: int | None = None
        # While the AI decides on the worker the game is the worker's: screens that read
        # it (the menu, the facilitator's overlay) are handed to this to open afterwards.
        self.hold: Callable[[Callable[[], None]], None] | None = None

    @property
    def mode(self) -> str:
        return self.game.mode

    def _stepped(self, game: LiveGame) -> None:
        self.autosave()
        if self.link is not None:
            self.link.push(game)

    # -- the room ----------------------------------------------------------------------
    @property
    def paused(self) -> bool:
        """Paused here (the facilitator's overlay) or by the room's facilitator."""
        return self._paused or self.room_paused

    @paused.setter
    def paused(self, on: bool) -> None:
        self._paused = on

    @property
    def paused_here(self) -> bool:
        """Paused from this laptop's overlay (F2 resumes it)."""
        return self._paused

    @property
    def room_paused(self) -> bool:
        return self.link is not None and self.link.commands.paused

    def join(self, link: RoomLink) -> None:
        """Play this game in the room `link` joined: send it now and after every step,
        and note its save so Continue and Load reconnect it."""
        self.link = link
        if self.autosaver is not None:
            self.saved(self.autosaver.path)
        link.start()
        link.push(self.game)

    def saved(self, path: Path) -> None:
        """A save of this game (the autosave, or one written from the game's menu)
        reconnects its room when loaded."""
        if self.link is None:
            return
        from game.session.roomlink import remember_save

        try:
            remember_save(path, self.link.creds)
        except OSError as e:
            self._notify(f"Cannot note the room beside the save: {e.strerror or e}")

    def leave_room(self) -> None:
        """Stop sending (after a last, bounded attempt): the game is put away."""
        if self.link is not None:
            self.link.close(timeout=2.0)
            self.link = None

    def room_step(self) -> None:
        """At a step boundary: the room's events not taken yet go into the game, and its
        news is told as the facilitator's overlay tells it; the room's end ends it."""
        link = self.link
        if link is None or self.game.done:
            return
        fired = link.apply(self.game)
        if fired:
            titles = [ev.title for ev in self.game.scenario.events if ev.id in fired]
            self._notify("The facilitator fired an event for the room: "
                         f"{'; '.join(titles)}. It is in the news and the briefings now.", 6.0)
        if link.commands.ended:
            self.ended_early = True

    def watch_room(self) -> None:
        """Every frame of a game screen: the room's end reaches a game left on a screen
        (unless the worker holds the game; it is heard at the next step then)."""
        link = self.link
        if link is not None and link.commands.ended and not self.over and self.hold is None:
            self.end_now()

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
        """Show whatever the game awaits now (the room heard first)."""
        self.room_step()
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
