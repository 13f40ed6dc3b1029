"""Every screen with real content, for the frame-time benchmark and the screenshots.

A demo game is stepped by its AI players to a point where each screen has
something to show (a finished project, an answer to give, a proposal on the
table), and the screen is built there as a person would see it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from game.scenario.models import Scenario
from game.session.live import DEMO, SOLO, WORKSHOP, GameConfig, LiveGame
from game.session.seats import AI, Seat
from game.session.steps import Kind
from game.ui.app import App
from game.ui.scene import Scene
from game.ui.scenes.briefing import BriefingScene, DashboardScene
from game.ui.scenes.budget import ProposeScene, RespondScene
from game.ui.scenes.curtain import AiTurnScene, CurtainScene
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.facilitator import FacilitatorScene
from game.ui.scenes.info import GameMenuScene, HelpScene, LoadScene, SettingsScene
from game.ui.scenes.newgame import NewGameScene, ScenariosScene
from game.ui.scenes.results import AftermathScene, BoardScene, ResultsScene
from game.ui.scenes.talk import EventScene, TalkScene
from game.ui.scenes.title import TitleScene

Maker = Callable[[], Scene]


S = TypeVar("S", bound=Scene)


def _with(scene: S, **state: object) -> S:
    """A screen in one of its states (a mode chosen, a question asked), as a person
    would reach it with a key or two."""
    for k, v in state.items():
        setattr(scene, k, v)
    return scene


def _advance(g: LiveGame, until: Callable[[LiveGame], bool], limit: int = 400) -> None:
    for _ in range(limit):
        if g.done or until(g):
            return
        if g.step.is_view:
            g.acknowledge()
        else:
            g.advance_ai()


def screens(app: App, scenario: str = "digital-shift", seed: int = 3,
            loaded: Scenario | None = None) -> Iterator[tuple[str, Maker]]:
    """(name, make) for every screen, in the order a game shows them; built here, not
    by the router, so each shows the role chosen and no AI decision on it. `loaded`:
    the scenario already read (one from a path, such as the layout tests' own)."""
    yield "title", lambda: TitleScene(app)
    yield "new-game", lambda: NewGameScene(app)
    yield "new-game-solo", lambda: _with(NewGameScene(app), mode=SOLO)
    yield "new-game-demo", lambda: _with(NewGameScene(app), mode=DEMO)
    yield "scenarios", lambda: ScenariosScene(app)
    yield "settings", lambda: SettingsScene(app)
    yield "help", lambda: HelpScene(app)
    yield "load", lambda: LoadScene(app)

    seats = (Seat(AI, "Ana", "reciprocal"), Seat(AI, "Ben", "cooperative"))
    g = LiveGame(GameConfig(scenario, seed, WORKSHOP, seats), loaded)
    flow = app.nav.follow(g, None)
    yield "briefing", lambda: BriefingScene(app, flow, 0)
    # Quarter 3 has history on the charts and projects finishing.
    _advance(g, lambda x: x.quarter == 3 and x.step.kind == Kind.NEWS)
    yield "dashboard", lambda: DashboardScene(app, flow)
    yield "curtain", lambda: CurtainScene(app, flow, 1)
    _advance(g, lambda x: x.step.kind == Kind.TALK and x.step.role == 1)
    yield "talk", lambda: TalkScene(app, flow, 1)
    _advance(g, lambda x: x.step.kind == Kind.PROPOSE)
    role = g.step.role or 0
    yield "propose", lambda: ProposeScene(app, flow, role)
    _advance(g, lambda x: x.step.kind == Kind.RESPOND)
    responder = g.step.role or 0
    yield "respond", lambda: RespondScene(app, flow, responder)
    yield "ai-turn", lambda: AiTurnScene(app, flow, flow.game.ai_decide())
    _advance(g, lambda x: x.step.kind == Kind.RESULTS and bool(x.state.outcome_q.any()))
    yield "results", lambda: ResultsScene(app, flow)
    _advance(g, lambda x: x.step.kind == Kind.AFTERMATH and x.needs_response(x.step.role or 0))
    who = g.step.role or 0
    yield "aftermath", lambda: AftermathScene(app, flow, who)
    _advance(g, lambda x: x.step.kind == Kind.BOARD and x.quarter % 4 == 0)
    yield "board", lambda: BoardScene(app, flow)
    yield "menu", lambda: GameMenuScene(app)
    yield "facilitator", lambda: FacilitatorScene(app)
    yield "facilitator-code", lambda: _with(FacilitatorScene(app), locked=True)
    yield "facilitator-undo", lambda: _with(FacilitatorScene(app), confirm_undo=True)
    # An event with options: the scenario's own when one comes early, else the
    # tutorial's agency widget in quarter 1.
    g2 = LiveGame(GameConfig(scenario, seed, WORKSHOP, seats), loaded)
    _advance(g2, lambda x: x.step.kind == Kind.EVENT or x.quarter > 2)
    if g2.step.kind != Kind.EVENT:
        g2 = LiveGame(GameConfig("first-quarter", seed, WORKSHOP, seats))
        _advance(g2, lambda x: x.step.kind == Kind.EVENT)
    flow2 = app.nav.follow(g2, None)
    if g2.step.kind == Kind.EVENT:
        chooser = g2.step.role or 0
        yield "event", lambda: EventScene(app, flow2, chooser)
    app.flow = flow
    _advance(g, lambda x: x.done)
    deb: list[DebriefScene] = []

    def debrief(page: int) -> Scene:
        if not deb:
            deb.append(DebriefScene(app, flow))
        deb[0].show(page)
        return deb[0]

    for page, slug in enumerate(("numbers", "dividend", "moments", "discussion")):
        yield f"debrief-{slug}", lambda page=page: debrief(page)  # type: ignore[misc]


__all__ = ["screens"]
