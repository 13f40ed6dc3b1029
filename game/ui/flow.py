"""The game in the window: which screen each step of the live game needs.

The session says what is awaited (a view, or one role's decision); this maps it
to a scene, puts a curtain before every private screen in hot-seat play, lets
AI partners act at a pace a person can follow, and autosaves after each step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.session import saves
from game.session.live import DEMO, SOLO, WORKSHOP, LiveGame
from game.session.steps import Kind

if TYPE_CHECKING:
    from game.ui.app import App
    from game.ui.scene import Scene


class GameFlow:
    """A game in progress and how it is shown."""

    def __init__(self, app: App, game: LiveGame, autosaver: saves.Autosaver | None) -> None:
        self.app = app
        self.autosaver = autosaver
        self.game = game
        self.game.on_step = self._stepped
        self.curtained: int | None = None   # the role the keyboard was last handed to
        self.ended_early = False
        self.paused = False
        self.demo_quarters: int | None = None

    @property
    def mode(self) -> str:
        return self.game.mode

    def _stepped(self, game: LiveGame) -> None:
        if self.autosaver is not None:
            try:
                self.autosaver(game)
            except OSError as e:
                self.app.notify(f"Autosave failed: {e.strerror or e}")

    def replace(self, game: LiveGame) -> None:
        """Swap in a rebuilt game (after undo) and save it at once."""
        self.game = game
        game.on_step = self._stepped
        self.curtained = None
        self._stepped(game)

    # -- navigation ------------------------------------------------------------------
    def advance(self) -> None:
        """Show whatever the game awaits now."""
        self.app.switch(self.scene())

    def scene(self) -> Scene:
        from game.ui.scenes.briefing import BriefingScene, DashboardScene
        from game.ui.scenes.budget import ProposeScene, RespondScene
        from game.ui.scenes.curtain import AiTurnScene, CurtainScene
        from game.ui.scenes.debrief import DebriefScene
        from game.ui.scenes.results import AftermathScene, BoardScene, ResultsScene
        from game.ui.scenes.talk import EventScene, TalkScene

        g = self.game
        s = g.step
        app = self.app
        if self.demo_quarters is not None and g.quarter > self.demo_quarters and not g.done:
            self.ended_early = True
        if s.kind == Kind.END or self.ended_early:
            return DebriefScene(app, self)
        if s.kind == Kind.NEWS:
            self.curtained = None
            return DashboardScene(app, self)
        if s.kind == Kind.RESULTS:
            self.curtained = None
            return ResultsScene(app, self)
        if s.kind == Kind.BOARD:
            self.curtained = None
            return BoardScene(app, self)
        role = s.role
        assert role is not None
        human = g.is_human(role)
        if not human and self.mode == SOLO:
            return AiTurnScene(app, self)
        if self.needs_curtain(role):
            return CurtainScene(app, self, role)
        auto = None if human else g.ai_decide()
        if s.kind == Kind.BRIEFING:
            return BriefingScene(app, self, role)
        if s.kind == Kind.EVENT:
            return EventScene(app, self, role, auto)
        if s.kind == Kind.TALK:
            return TalkScene(app, self, role, auto)
        if s.kind == Kind.PROPOSE:
            return ProposeScene(app, self, role, auto)
        if s.kind == Kind.RESPOND:
            return RespondScene(app, self, role, auto)
        return AftermathScene(app, self, role, auto)

    def needs_curtain(self, role: int) -> bool:
        """Hot-seat (and the demo, to show it): hand over the keyboard before private info."""
        if self.mode == WORKSHOP or self.mode == DEMO:
            return self.curtained != role
        return False

    def passed_curtain(self, role: int) -> None:
        self.curtained = role

    def auto_pace(self) -> float:
        """How long an AI's decision stays on screen."""
        return self.app.pace

    def end_now(self) -> None:
        """The facilitator ends the game: straight to the debrief."""
        self.ended_early = True
        self.advance()

    def player_name(self, role: int) -> str:
        seat = self.game.seat(role)
        title = ("CMO", "CTO")[role]
        if seat.human:
            return f"{seat.name} ({title})" if seat.name and seat.name != title else title
        from game.session.seats import title_of

        who = title_of(seat.policy, dict(self.game.scenario.ai.personalities))
        return f"{seat.name or who} ({title}, AI)"


__all__ = ["DEMO", "SOLO", "WORKSHOP", "GameFlow"]
