"""The one place that builds screens: the game's from the live game's step, and the
navigation around it (title, new game, scenarios, help, settings, load, the game
menu, the facilitator's overlay).

Screens ask for a destination by intent (`app.nav.help()`, `flow.advance()`) and
never import each other; this module imports them all and nothing imports it
but the app.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from game.scenario.models import Scenario
from game.session import saves
from game.session.debrief import counterfactuals
from game.session.live import SOLO, Decision, GameConfig, LiveGame
from game.session.steps import Kind
from game.ui.flow import GameFlow
from game.ui.ports import Host, Screen
from game.ui.scene import Scene
from game.ui.scenes.briefing import BriefingScene, DashboardScene
from game.ui.scenes.budget import ProposeScene, RespondScene
from game.ui.scenes.curtain import AiTurnScene, CurtainScene, ThinkingScene
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.facilitator import FacilitatorScene
from game.ui.scenes.info import GameMenuScene, HelpScene, LoadScene, SettingsScene
from game.ui.scenes.newgame import NewGameScene, ScenariosScene
from game.ui.scenes.results import AftermathScene, BoardScene, ResultsScene
from game.ui.scenes.room import JoinRoomScene
from game.ui.scenes.talk import EventScene, TalkScene
from game.ui.scenes.title import TitleScene

if TYPE_CHECKING:
    from game.session.roomlink import RoomLink

T = TypeVar("T")


class Router:
    """Shows the screen each intent asks for, on the window it was made for."""

    def __init__(self, host: Host) -> None:
        self.host = host

    # -- outside the game --------------------------------------------------------------
    def title(self) -> None:
        self.host.switch(TitleScene(self.host))

    def new_game(self, scenario: int = 0) -> None:
        self.host.switch(NewGameScene(self.host, scenario))

    def scenarios(self) -> None:
        self.host.switch(ScenariosScene(self.host))

    def join_room(self) -> None:
        self.host.switch(JoinRoomScene(self.host))

    def help(self) -> None:
        here = self.host.scene
        if here is not None and not isinstance(here, HelpScene):
            self.host.switch(HelpScene(self.host, back=here))

    def settings(self) -> None:
        self.host.switch(SettingsScene(self.host, back=self.host.scene))

    def load(self) -> None:
        self.host.switch(LoadScene(self.host, back=self.host.scene))

    def menu(self) -> None:
        flow = self.host.flow
        if flow is not None and flow.hold is not None:   # the worker's until it decides
            flow.hold(self.menu)
            return
        self.host.switch(GameMenuScene(self.host, back=self.host.scene))

    def facilitator(self) -> None:
        """F2 during a game: open the overlay over this screen, or close it (while the AI
        thinks: as soon as it has decided, since the overlay reads the game)."""
        here = self.host.scene
        if self.host.flow is None or here is None:
            return
        if self.host.flow.hold is not None:
            self.host.flow.hold(self.facilitator)
            return
        if isinstance(here, FacilitatorScene):
            here.go_back()
        else:
            self.host.switch(FacilitatorScene(self.host, back=here))

    def back(self, to: Screen | None) -> None:
        if to is None:
            self.title()
        else:
            self.host.switch(to)

    # -- a game ------------------------------------------------------------------------
    def start(self, config: GameConfig, scenario: Scenario | None = None) -> None:
        """Begin a new game with autosave and show its first screen (a demo saves into a
        folder of its own, so it never takes the player's Continue)."""
        auto = saves.autosaver_for(config)
        with contextlib.suppress(OSError):
            auto.prune()
        flow = self.follow(LiveGame(config, scenario), auto)
        flow.autosave()
        flow.advance()

    def start_in_room(self, config: GameConfig, link: RoomLink) -> None:
        """Begin a game in a room (its scenario and seed are the room's): like `start`,
        and the record goes to the room after every step. A pair that was already in the
        room (a restarted laptop) goes on with its saved game instead."""
        from game.session.roomlink import save_of

        if link.joined_held > 0:
            path = save_of(link.creds)
            if path is not None and self.resume(path, link) is None:
                return
        auto = saves.autosaver_for(config)
        with contextlib.suppress(OSError):
            auto.prune()
        flow = self.follow(LiveGame(config), auto)
        flow.join(link)
        flow.autosave()
        flow.advance()

    def _rejoin(self, flow: GameFlow, path: Path, link: RoomLink | None = None) -> None:
        """A resumed game that was played in a room sends to it again."""
        from game.session.roomlink import RoomLink, room_of_save

        if link is None:
            creds = room_of_save(path)
            if creds is None:
                return
            link = RoomLink(creds)
        flow.join(link)

    @staticmethod
    def _autosaver(path: Path, game: LiveGame) -> saves.Autosaver:
        """A resumed autosave goes on in its own file; a manual save starts a new one."""
        if path.name.startswith(saves.AUTOSAVE_PREFIX):
            return saves.Autosaver(path=path)
        return saves.autosaver_for(game.config)

    def resume(self, path: Path, link: RoomLink | None = None) -> str | None:
        """Load a save and continue it (from the save before it when its record stops
        replaying part-way, saying so), in its room if it was played in one; returns an
        error message when it cannot."""
        try:
            game, note = saves.load_or_earlier(path)
        except saves.SaveError as e:
            return str(e)
        flow = self.follow(game, self._autosaver(path, game))
        self._rejoin(flow, path, link)
        flow.advance()
        if note:
            self.host.notify(note, 8.0)
        return None

    def continue_latest(self) -> str | None:
        """Continue the newest of the player's saves that loads and shows, falling back to
        the save before any that does not, and saying so; returns an error message when
        none does."""
        skipped: list[str] = []
        for info in saves.list_saves():
            if not info.continuable:
                continue
            try:
                game, note = saves.load_or_earlier(info.path)
            except saves.SaveError as e:
                skipped.append(str(e))
                continue
            try:
                flow = self.follow(game, self._autosaver(info.path, game))
                self._rejoin(flow, info.path)
                flow.advance()
            except Exception as e:
                # A game that fails on its first screen must not close the window and
                # fail again at every Continue: the save before it is tried instead.
                self._drop_flow()
                skipped.append(f"{info.path.name} failed on resume ({type(e).__name__}: "
                               f"{str(e)[:120]})")
                continue
            told = [f"The newest save could not be continued ({skipped[0]}); continued from "
                    f"{info.path.name} instead."] if skipped else []
            if told or note:
                self.host.notify(" ".join([*told, note]).strip(), 8.0)
            return None
        return "No saved game can be continued; use Load a game to see why."

    def follow(self, game: LiveGame, autosaver: saves.Autosaver | None) -> GameFlow:
        """Make `game` the game in progress, its screens shown by this router."""
        self._drop_flow()   # a game put away stops sending to its room
        flow = GameFlow(game, autosaver, show=self.play, notify=self.host.notify,
                        tasks=self.host.tasks)
        self.host.flow = flow
        return flow

    def _drop_flow(self) -> None:
        if self.host.flow is not None:
            self.host.flow.leave_room()
        self.host.flow = None

    def quit_game(self) -> None:
        self._drop_flow()
        self.title()

    def play(self, flow: GameFlow) -> None:
        """Show whatever the game awaits now."""
        self.host.switch(self.game_scene(flow))

    def game_scene(self, flow: GameFlow) -> Scene:
        """The screen for the game's step: a curtain before a private screen in hot-seat
        play, the AI's turn in solo play, the AI's decision on screen in the demo."""
        host = self.host
        g = flow.game
        s = g.step
        if flow.over:   # the replays behind the debrief's bands take a while: the worker
            return self.off_thread(flow, lambda: counterfactuals(flow.game),
                                   lambda cf: DebriefScene(host, flow, cf, computed=True),
                                   "Preparing the debrief…")
        if s.kind == Kind.NEWS:
            flow.curtained = None
            return DashboardScene(host, flow)
        if s.kind == Kind.RESULTS:
            flow.curtained = None
            return ResultsScene(host, flow)
        if s.kind == Kind.BOARD:
            flow.curtained = None
            return BoardScene(host, flow)
        role = s.role
        assert role is not None
        human = g.is_human(role)
        if not human and flow.mode == SOLO:
            return self.decided(flow, lambda d: AiTurnScene(host, flow, d))
        if flow.needs_curtain(role):
            return CurtainScene(host, flow, role)
        if human:
            return self.private_scene(flow, role, None)
        return self.decided(flow, lambda d: self.private_scene(flow, role, d))

    def decided(self, flow: GameFlow, then: Callable[[Decision], Scene]) -> Scene:
        """The AI decides on the worker; `then` makes the screen that shows its decision."""
        return self.off_thread(flow, flow.game.ai_decide, then)

    def off_thread(self, flow: GameFlow, work: Callable[[], T], then: Callable[[T], Scene],
                   message: str = "") -> Scene:
        """`work` reads the game on the worker; `then` makes the screen from its result.
        Until it is done a thinking screen stands in, which never reads the game."""
        waiting = ThinkingScene(self.host, flow, then, message)
        fut = self.host.tasks.submit(work)
        if fut.done():            # done inline (the tests' driver), or already done
            return then(fut.result())
        waiting.wait_for(fut)
        return waiting

    def private_scene(self, flow: GameFlow, role: int, auto: Decision) -> Scene:
        """A role's own screen for the step, showing the AI's decision `auto` (demo)."""
        host = self.host
        s = flow.game.step
        if s.kind == Kind.BRIEFING:
            return BriefingScene(host, flow, role)
        if s.kind == Kind.EVENT:
            return EventScene(host, flow, role, auto)
        if s.kind == Kind.TALK:
            return TalkScene(host, flow, role, auto)
        if s.kind == Kind.PROPOSE:
            return ProposeScene(host, flow, role, auto)
        if s.kind == Kind.RESPOND:
            return RespondScene(host, flow, role, auto)
        return AftermathScene(host, flow, role, auto)


__all__ = ["Router"]
