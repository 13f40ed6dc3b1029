"""A whole hot-seat game played through the window by synthetic input.

Every private screen must come right after a curtain for its own role, and no
text of the other role's private intel may be drawn while the wrong role plays
(nor on the shared screens).
"""

from __future__ import annotations

import pygame
import pytest

from game.engine.constants import CMO, CTO, ROLES
from game.session import reading
from game.session.live import WORKSHOP, GameConfig, LiveGame
from game.ui.flow import GameFlow
from game.ui.scenes.common import GameScene
from game.ui.scenes.curtain import CurtainScene
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.title import TitleScene, start_game
from game.ui.testing import Driver


def private_strings(g: LiveGame, role: int) -> set[str]:
    """Everything only `role` may see right now: its notes and its unshared signals."""
    out = set(reading.private_notes(g, role))
    st = g.state
    for k in range(g.game.n_events):
        if st.fired_q[0, k]:
            text = getattr(g.scenario.events[k], ROLES[role])
            if text:
                out.add(text)
    if not st.shared[0, role]:
        out |= {s.text for s in reading.signals(g, role) if not s.shared}
    return out


class Watch:
    """Checks every frame: curtains before private screens, no leaked intel."""

    def __init__(self) -> None:
        self.handed_to: int | None = None
        self.private_frames = {CMO: 0, CTO: 0}
        self.curtains = 0

    def __call__(self, drv: Driver, drawn: list[str]) -> None:
        scene = drv.app.scene
        flow = drv.app.flow
        if not isinstance(scene, GameScene) or not isinstance(flow, GameFlow):
            return
        g = flow.game
        mine = {CMO: private_strings(g, CMO), CTO: private_strings(g, CTO)}
        both = mine[CMO] & mine[CTO]
        if isinstance(scene, CurtainScene):
            self.handed_to = scene.role
            self.curtains += 1
            forbidden = (mine[CMO] | mine[CTO]) - both
        elif scene.private_role is not None:
            role = scene.private_role
            assert self.handed_to == role, f"{scene.name} for {ROLES[role]} without its curtain"
            self.private_frames[role] += 1
            forbidden = mine[1 - role] - both
        else:
            self.handed_to = None
            forbidden = (mine[CMO] | mine[CTO]) - both
        for secret in forbidden:
            for s in drawn:
                assert secret not in s, f"'{secret}' drawn on {scene.name} ({drawn[:3]}...)"


def play_turn(drv: Driver, turn: int) -> None:
    """Make one decision on whatever screen is up, by keys and clicks."""
    name = drv.scene.name
    if name == "curtain":
        drv.key(pygame.K_RETURN, frames=2)
    elif name in ("briefing", "dashboard", "results", "board"):
        drv.click(drv.button("Continue" if name != "briefing" else "Start"))
    elif name == "event":
        drv.key(pygame.K_1 + turn % 2)
        drv.click(drv.button("Decide"))
    elif name == "talk":
        first, second = (pygame.K_1, pygame.K_2) if turn % 3 else (pygame.K_2, pygame.K_6)
        drv.key(first)
        drv.key(second)
        confirm = drv.button("Confirm")
        if not confirm.enabled:        # undo the second pick if it is not allowed
            drv.key(second)
        drv.click(drv.button("Confirm"))
    elif name == "propose":
        fundable = [b for b in drv.scene.buttons if b.toggle and b.enabled
                    and b.label not in ("CMO", "CTO", "Joint")]
        if fundable:
            drv.click(fundable[turn % len(fundable)])
            joints = [b for b in drv.scene.buttons if b.label == "Joint" and b.enabled]
            if joints:
                drv.click(joints[0])
        if not drv.button("Propose").enabled and fundable:
            drv.click(fundable[turn % len(fundable)])
        drv.click(drv.button("Propose"))
    elif name == "respond":
        drv.key(pygame.K_1 if turn % 4 else pygame.K_2, frames=2)
    elif name == "aftermath":
        options = [b for b in drv.scene.buttons if b.toggle]
        if options:
            drv.click(options[turn % len(options)])
        drv.click(drv.button("Give my answers"))
    else:
        raise AssertionError(f"unexpected screen {name}")


@pytest.mark.parametrize("scenario", ["first-quarter", "gray-zones"])
def test_hot_seat_game_keeps_private_intel_private(drv: Driver, scenario: str) -> None:
    watch = Watch()
    drv.on_frame = watch
    drv.start(TitleScene(drv.app))
    start_game(drv.app, GameConfig(scenario, 17, WORKSHOP))
    drv.frame()
    flow = drv.app.flow
    assert isinstance(flow, GameFlow)
    if scenario != "first-quarter":
        flow.demo_quarters = 4          # four quarters are enough to see every screen
    seen: set[str] = set()
    for turn in range(2000):
        if isinstance(drv.scene, DebriefScene):
            break
        seen.add(drv.scene.name)
        before = (len(flow.game.log), drv.scene.name, id(drv.scene))
        play_turn(drv, turn)
        after = (len(flow.game.log), drv.scene.name, id(drv.scene))
        assert after != before, f"stuck on {drv.scene.name}"
    assert isinstance(drv.scene, DebriefScene)
    assert {"curtain", "briefing", "dashboard", "talk", "propose", "respond", "results",
            "board"} <= seen
    assert watch.private_frames[CMO] > 0 and watch.private_frames[CTO] > 0
    assert watch.curtains >= 8
    g = flow.game
    assert g.quarter >= 4 and len(g.log) > 30
