"""Scenes driven by real pygame events: keys and clicks change what is on screen."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pygame

from game.engine.actions import Plan, Talk
from game.engine.constants import OWNER_CMO, TAKE_CREDIT
from game.scenario.loader import load_scenario
from game.scenario.models import Scenario
from game.session import saves
from game.session.live import WORKSHOP, GameConfig
from game.session.steps import Kind
from game.ui.flow import GameFlow
from game.ui.scene import SCROLL_DOWN, SCROLL_UP
from game.ui.scenes.budget import ProposeScene
from game.ui.scenes.common import GameScene
from game.ui.scenes.curtain import CurtainScene
from game.ui.scenes.debrief import DebriefScene, export
from game.ui.scenes.facilitator import FacilitatorScene
from game.ui.scenes.info import GameMenuScene, HelpScene, LoadScene
from game.ui.scenes.newgame import NewGameScene
from game.ui.scenes.results import AftermathScene
from game.ui.scenes.title import TitleScene, start_game
from game.ui.testing import Driver


def test_title_keyboard_and_mouse(drv: Driver) -> None:
    drv.start(TitleScene(drv.app))
    assert "Same Team" in drv.drawn
    assert any("New game" in s for s in drv.drawn)
    # Continue is disabled with no saves: arrow keys skip it.
    drv.key(pygame.K_DOWN)
    assert "Load" in drv.scene.focused().label  # type: ignore[union-attr]
    drv.key(pygame.K_UP)
    drv.key(pygame.K_RETURN, frames=2)
    assert isinstance(drv.scene, NewGameScene)
    drv.key(pygame.K_ESCAPE, frames=2)
    assert isinstance(drv.scene, TitleScene)
    drv.click(drv.button("Help"))
    assert isinstance(drv.scene, HelpScene)
    drv.key(pygame.K_ESCAPE, frames=2)
    drv.key(pygame.K_3, frames=2)
    assert isinstance(drv.scene, LoadScene)
    assert "No saved games yet." in drv.drawn


def test_new_game_screen_modes_and_start(drv: Driver) -> None:
    ng = NewGameScene(drv.app)
    drv.start(ng)
    drv.click(drv.button("Solo"))
    assert ng.mode == "solo" and any("I play the" in b.label for b in drv.scene.buttons)
    drv.click(drv.button("I play the CTO"))
    assert ng.role == 1
    before = ng.sc.id
    drv.click(drv.button("▶"))
    assert ng.sc.id != before
    drv.click(drv.button("Workshop"))
    assert ng.mode == WORKSHOP
    drv.click(drv.button("Start the game"), frames=3)
    assert isinstance(drv.scene, CurtainScene)
    assert drv.app.flow is not None


def test_resize_relayouts_and_f11(drv: Driver) -> None:
    drv.start(TitleScene(drv.app))
    small = drv.button("New game").rect.height
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=1920, h=1080,
                                         size=(1920, 1080)))
    drv.frame(2)
    assert drv.app.screen.get_size() == (1920, 1080)
    assert drv.button("New game").rect.height > small
    drv.key(pygame.K_F11, frames=2)
    assert drv.app.fullscreen
    drv.key(pygame.K_F11, frames=2)
    assert not drv.app.fullscreen


def _workshop(drv: Driver, scenario: str = "first-quarter") -> GameFlow:
    drv.start(TitleScene(drv.app))
    start_game(drv.app, GameConfig(scenario, 4, WORKSHOP))
    drv.frame()
    flow = drv.app.flow
    assert isinstance(flow, GameFlow)
    return flow


def test_curtain_names_the_role_and_waits(drv: Driver) -> None:
    flow = _workshop(drv)
    assert isinstance(drv.scene, CurtainScene)
    assert "Pass the laptop to the CMO" in drv.drawn
    drv.frame(5)
    assert isinstance(drv.scene, CurtainScene)      # it waits for a person
    drv.key(pygame.K_RETURN, frames=2)
    assert drv.scene.name == "briefing" and flow.curtained == 0


def test_a_screen_commits_only_the_step_it_was_made_for(drv: Driver) -> None:
    flow = _workshop(drv)
    drv.key(pygame.K_RETURN, frames=2)     # curtain
    scene = drv.scene
    assert isinstance(scene, GameScene) and scene.name == "briefing"
    n = len(flow.game.log)
    scene.commit()
    scene.commit()                         # a second press: the game has moved on
    assert len(flow.game.log) == n + 1 and drv.scene is not scene


def test_esc_menu_save_and_facilitator(drv: Driver, tmp_path: Path) -> None:
    flow = _workshop(drv)
    drv.key(pygame.K_RETURN, frames=2)     # curtain
    drv.key(pygame.K_ESCAPE, frames=2)
    assert isinstance(drv.scene, GameMenuScene)
    drv.click(drv.button("Save the game"))
    assert [p for p in saves.list_saves() if not p.autosave]
    drv.key(pygame.K_1, frames=2)          # resume
    assert drv.scene.name == "briefing"
    # The facilitator: pause hides everything, then end the game.
    drv.key(pygame.K_F2, frames=2)
    assert isinstance(drv.scene, FacilitatorScene)
    drv.click(drv.button("Pause"))
    assert flow.paused
    drv.key(pygame.K_F2, frames=2)
    assert "Paused by the facilitator" in drv.drawn
    assert not any("Your role" in s for s in drv.drawn)
    drv.key(pygame.K_F2, frames=2)
    drv.click(drv.button("Resume"))
    assert not flow.paused
    drv.click(drv.button("End the game"), frames=3)
    assert isinstance(drv.scene, DebriefScene)


def test_facilitator_inject_and_undo(drv: Driver) -> None:
    flow = _workshop(drv, "digital-shift")
    g = flow.game
    while g.step.kind == Kind.BRIEFING:
        g.acknowledge()
    flow.advance()
    drv.frame()
    assert drv.scene.name == "dashboard"
    drv.key(pygame.K_F2, frames=2)
    drv.click(drv.button("Inject"))
    drv.click(drv.button("digital-native rival"), frames=2)
    assert flow.game.log[-1] == {"q": 1, "kind": "inject", "role": None,
                                 "data": "digital-rival"}
    assert drv.scene.name == "dashboard"
    assert "A digital-native rival launches" in " ".join(drv.drawn)
    drv.key(pygame.K_RETURN, frames=2)     # continue past the news
    drv.key(pygame.K_F2, frames=2)
    n = len(flow.game.log)
    drv.click(drv.button("Undo"), frames=2)   # asks first; No keeps everything
    assert any(s.startswith("Undo to the start of Q1?") for s in drv.drawn)
    drv.click(drv.button("No: keep playing"), frames=2)
    assert len(flow.game.log) == n and isinstance(drv.scene, FacilitatorScene)
    drv.click(drv.button("Undo"), frames=2)
    drv.click(drv.button("Yes: back to the start"), frames=2)
    assert flow.game.step.kind == Kind.NEWS and flow.game.quarter == 1
    assert all(e["kind"] != "inject" for e in flow.game.log)


def test_facilitator_code_guards_f2(drv: Driver) -> None:
    """With a code set in Settings, F2 shows only the code prompt until it is typed."""
    drv.app.prefs.facilitator_code = "4242"
    flow = _workshop(drv)
    drv.key(pygame.K_RETURN, frames=2)     # curtain
    drv.key(pygame.K_F2, frames=2)
    assert isinstance(drv.scene, FacilitatorScene)
    assert "Facilitator's code" in drv.drawn
    assert not any(b.label.endswith("Pause the game") for b in drv.scene.buttons)
    for ch in "1111":
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=ch))
    drv.key(pygame.K_RETURN, frames=2)
    assert drv.scene.locked and not flow.paused
    for ch in "4242":
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=ch))
    drv.frame()
    drv.key(pygame.K_RETURN, frames=2)
    assert not drv.scene.locked
    drv.click(drv.button("Pause"))
    assert flow.paused
    drv.click(drv.button("Resume"))
    drv.key(pygame.K_ESCAPE, frames=2)
    drv.key(pygame.K_F2, frames=2)       # locked again; Esc while typing goes back
    assert drv.scene.locked and drv.app.typing()
    drv.key(pygame.K_ESCAPE, frames=2)
    assert not isinstance(drv.scene, FacilitatorScene)


def test_load_screen_lists_damaged_saves(drv: Driver) -> None:
    folder = saves.saves_dir()
    folder.mkdir(parents=True)
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    drv.start(LoadScene(drv.app))
    assert any("damaged" in s for s in drv.drawn)
    assert not drv.scene.buttons[0].enabled


def test_debrief_export_pngs_and_json(drv: Driver, tmp_path: Path) -> None:
    flow = _workshop(drv)
    flow.end_now()
    drv.frame()
    scene = drv.scene
    assert isinstance(scene, DebriefScene)
    for k in (pygame.K_2, pygame.K_3, pygame.K_4):
        drv.key(k)
        assert scene.page == k - pygame.K_1
    assert any("Questions for the room" in s for s in drv.drawn)
    out = export(scene, tmp_path / "export")
    pngs = sorted(p.name for p in out.glob("*.png"))
    assert len(pngs) == 4
    data = json.loads((out / "history.json").read_text())
    assert data["format"] == "sameteam-history" and "key_moments" in data and data["questions"]
    assert "log" not in data   # the record of decisions stays in the saves folder


# -- long lists scroll -----------------------------------------------------------------
SHIPPED = Path(__file__).resolve().parent.parent / "scenarios" / "digital-shift.yaml"


def _long_scenario(folder: Path, extra: int = 10) -> tuple[Path, Scenario]:
    """digital-shift with `extra` more cheap, quick, safe project cards (21 in all)."""
    src = SHIPPED.read_text(encoding="utf-8")
    cards = "".join(
        f"\n  - id: extra-{i}\n    title: Extra bet {i:02d}\n"
        f"    summary: A small extra bet, number {i}.\n    domain: marketing\n"
        f"    cost: 0.1\n    duration: 1\n    risk: 0.1\n    effects:\n"
        f"      - company.brand += 0.01\n" for i in range(1, extra + 1))
    head, rest = src.split("\nevents:", 1)
    text_ = head.rstrip("\n") + "\n" + cards + "\nevents:" + rest
    path = folder / "long-portfolio.yaml"
    path.write_text(text_, encoding="utf-8")
    return path, load_scenario(path, text_)


def _step_to(flow: GameFlow, kind: Kind) -> None:
    """Play the engine forward to `kind` without the UI, then show that screen."""
    g = flow.game
    while g.step.kind != kind:
        s = g.step
        if s.is_view:
            g.acknowledge()
        elif s.kind == Kind.EVENT:
            assert s.role is not None
            g.submit({k: 0 for k in g.event_choices(s.role)})
        elif s.kind == Kind.TALK:
            g.submit(Talk.none(1))
        else:
            raise AssertionError(f"unexpected step {s.kind}")
    flow.curtained = g.step.role      # the right person already has the keyboard
    flow.advance()


def _start(drv: Driver, ref: str, sc: Scenario | None, kind: Kind) -> GameFlow:
    drv.start(TitleScene(drv.app))
    start_game(drv.app, GameConfig(ref, 3, WORKSHOP), sc)
    flow = drv.app.flow
    assert isinstance(flow, GameFlow)
    _step_to(flow, kind)
    drv.frame(2)
    return flow


def _shows(drv: Driver, title: str) -> bool:
    return any(title in s for s in drv.drawn)


def _controls(drv: Driver) -> tuple[bool, bool]:
    """Whether '▲ n more' and '▼ n more' are drawn."""
    drawn = drv.drawn
    return (any(s.startswith("▲ ") and s.endswith(" more") for s in drawn),
            any(s.startswith("▼ ") and s.endswith(" more") for s in drawn))


def _wheel(drv: Driver, pos: tuple[int, int], clicks: int) -> None:
    """Real wheel turns (negative: towards the user, i.e. down the list) with the mouse at pos."""
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0),
                                         buttons=(0, 0, 0)))
    for _ in range(abs(clicks)):
        y = 1 if clicks > 0 else -1
        pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=y, flipped=False,
                                             precise_x=0.0, precise_y=float(y), which=0))
    drv.frame(2)


def _rows_inside_table(drv: Driver) -> None:
    scene = drv.scene
    assert isinstance(scene, ProposeScene)
    table = scene.table_rect()
    footer_top = drv.button("Propose this plan").rect.top
    for b in scene.buttons:
        if b is scene.submit_btn:
            continue
        assert b.rect.bottom <= footer_top, f"{b.label} runs into the footer"
        if isinstance(b.ident, tuple) or b.ident in (SCROLL_UP, SCROLL_DOWN):
            assert table.contains(b.rect), f"{b.label} {b.rect} outside the table {table}"


def test_propose_scrolls_a_long_portfolio(drv: Driver, tmp_path: Path) -> None:
    path, sc = _long_scenario(tmp_path)
    flow = _start(drv, str(path), sc, Kind.PROPOSE)
    scene = drv.scene
    assert isinstance(scene, ProposeScene)
    titles = [p.title for p in sc.projects]
    assert _shows(drv, titles[0]) and not _shows(drv, titles[-1])
    assert not all(_shows(drv, t) for t in titles)
    assert _controls(drv) == (False, True)
    assert any(s.startswith("1–") and "of 21 projects" in s for s in drv.drawn)
    _rows_inside_table(drv)
    # The wheel over the right-hand panel does nothing; over the table it scrolls.
    _wheel(drv, drv.button("+").rect.center, -3)
    assert scene.scroll.first == 0
    _wheel(drv, scene.table_rect().center, -10)
    assert _shows(drv, titles[-1]) and not _shows(drv, titles[0])
    assert _controls(drv) == (True, False)
    _rows_inside_table(drv)
    # Fund the last project, which was off screen, with its real button.
    last = len(titles) - 1
    assert not flow.game.state.status[0, last] and not scene.plan.fund[0, last]
    drv.click(drv.button(titles[-1]))
    assert bool(scene.plan.fund[0, last])
    assert _shows(drv, "Projects: $100k of $2.4M")
    joint = next(b for b in scene.buttons if b.ident == (last, 3))
    assert joint.label == "Joint" and joint.enabled
    drv.click(joint)
    assert int(scene.plan.owner[0, last]) == 2
    # PageUp goes back to the top; the plan, not the widgets, holds the choice.
    for _ in range(3):
        drv.key(pygame.K_PAGEUP)
    assert scene.scroll.first == 0 and _shows(drv, titles[0]) and not _shows(drv, titles[-1])
    drv.key(pygame.K_PAGEDOWN)
    drv.key(pygame.K_PAGEDOWN)
    assert bool(drv.button(titles[-1]).widget.is_selected)
    drv.click(drv.button("Propose this plan"), frames=3)
    assert flow.game.proposal is not None and bool(flow.game.proposal.fund[0, last])


def test_propose_keyboard_walks_into_hidden_cards(drv: Driver, tmp_path: Path) -> None:
    path, sc = _long_scenario(tmp_path)
    _start(drv, str(path), sc, Kind.PROPOSE)
    scene = drv.scene
    assert isinstance(scene, ProposeScene)
    last = sc.projects[-1].title
    for _ in range(40):
        if scene.focused() is not None and last in scene.focused().label:  # type: ignore[union-attr]
            break
        drv.key(pygame.K_DOWN)
    assert last in scene.focused().label  # type: ignore[union-attr]
    assert scene.scroll.first > 0 and scene.detail == len(sc.projects) - 1
    assert _shows(drv, f"A small extra bet, number {len(sc.projects) - 11}.")  # its detail
    drv.key(pygame.K_SPACE)
    assert bool(scene.plan.fund[0, len(sc.projects) - 1])
    # Tab round past the footer wraps to the top of the list.
    for _ in range(20):
        drv.key(pygame.K_TAB)
        if scene.scroll.first == 0:
            break
    assert scene.scroll.first == 0
    assert sc.projects[0].title in scene.focused().label  # type: ignore[union-attr]
    # Up from the first visible card (after a PageDown) brings the one above into view.
    drv.key(pygame.K_PAGEDOWN)
    first = scene.scroll.first
    assert first > 0
    while scene.focused().ident != (first, 0):  # type: ignore[union-attr]
        drv.key(pygame.K_UP)
    drv.key(pygame.K_UP)
    assert scene.scroll.first < first


def test_propose_scroll_clamps_on_resize(drv: Driver, tmp_path: Path) -> None:
    path, sc = _long_scenario(tmp_path)
    _start(drv, str(path), sc, Kind.PROPOSE)
    scene = drv.scene
    assert isinstance(scene, ProposeScene)
    for size in ((1920, 1080), (1024, 600), (1280, 720)):
        scene.scroll.first = 999      # as if left over from a longer list
        pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1],
                                             size=size))
        drv.frame(2)
        assert drv.app.screen.get_size() == size
        sc_ = scene.scroll
        assert sc_.first == sc_.total - sc_.page and sc_.active
        assert _shows(drv, sc.projects[-1].title) and _controls(drv) == (True, False)
        _rows_inside_table(drv)


def test_shipped_portfolio_does_not_scroll(drv: Driver) -> None:
    _start(drv, "digital-shift", None, Kind.PROPOSE)
    scene = drv.scene
    assert isinstance(scene, ProposeScene)
    for size in ((1280, 720), (1920, 1080), (1024, 600)):
        if drv.app.screen.get_size() != size:
            pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1],
                                                 size=size))
            drv.frame(2)
        assert len(scene.cards) == 11 and not scene.scroll.active
        assert set(scene.fund_buttons) == {c.index for c in scene.cards}
        assert all(_shows(drv, c.title[:15]) for c in scene.cards)   # long ones are fitted
        assert _controls(drv) == (False, False)
        assert not any("PgUp" in s for s in drv.drawn)
        _rows_inside_table(drv)


def _to_aftermath(drv: Driver, tmp_path: Path, extra: int) -> GameFlow:
    """Fund every extra card for the CMO; they all finish this quarter and need an answer."""
    path, sc = _long_scenario(tmp_path, extra)
    flow = _start(drv, str(path), sc, Kind.PROPOSE)
    g = flow.game
    n = len(sc.projects)
    plan = Plan.empty(1, n, 0.5)
    plan.fund[0, n - extra:] = True
    plan.owner[0, :] = OWNER_CMO
    g.submit(plan)
    g.submit(True)
    _step_to(flow, Kind.AFTERMATH)
    drv.frame(2)
    assert g.step.role == 0 and isinstance(drv.scene, AftermathScene)
    return flow


def test_aftermath_scrolls_many_answers(drv: Driver, tmp_path: Path) -> None:
    flow = _to_aftermath(drv, tmp_path, 10)
    scene = drv.scene
    assert isinstance(scene, AftermathScene)
    items = scene.items
    assert len(items) == 10 and scene.scroll.active
    assert _shows(drv, items[0].title) and not _shows(drv, items[-1].title)
    assert _controls(drv) == (False, True)
    footer_top = drv.button("Give my answers").rect.top
    assert all(b.rect.bottom <= footer_top for b in scene.buttons[:-1])
    # The wheel over the side panels does nothing; the ▼ button pages down.
    _wheel(drv, (drv.app.screen.get_width() - 40, 300), -5)
    assert scene.scroll.first == 0
    while _controls(drv)[1]:
        drv.click(drv.button("▼"))
    assert _shows(drv, items[-1].title) and _controls(drv) == (True, False)
    assert all(b.rect.bottom <= footer_top for b in scene.buttons[:-1])
    # Answer the last item, off screen at first, with its real button.
    j = items[-1].index
    take = [b for b in scene.buttons if b.ident == (len(items) - 1, 1)]
    assert take and take[0].label.startswith(items[-1].options[1][:8])
    drv.click(take[0])
    assert scene.choice(len(items) - 1) == 1
    _wheel(drv, (60, scene.list_rect().centery), 10)        # back to the top
    assert scene.scroll.first == 0 and _shows(drv, items[0].title)
    drv.click(drv.button("Give my answers"), frames=3)
    entry = next(e for e in reversed(flow.game.log) if e["kind"] == "aftermath")
    expected = TAKE_CREDIT if items[-1].success else 1
    assert entry["role"] == 0 and entry["data"]["project"][0][j] == expected


def test_aftermath_fits_without_controls(drv: Driver, tmp_path: Path) -> None:
    _to_aftermath(drv, tmp_path, 3)
    scene = drv.scene
    assert isinstance(scene, AftermathScene)
    assert len(scene.items) == 3 and not scene.scroll.active
    assert all(_shows(drv, it.title) for it in scene.items)
    assert _controls(drv) == (False, False)
    scene.scroll.first = 2                       # nothing to scroll: clamps on the next build
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=1920, h=1080, size=(1920, 1080)))
    drv.frame(2)
    assert scene.scroll.first == 0 and _controls(drv) == (False, False)


def test_keys_never_leak_into_the_next_screen(drv: Driver, monkeypatch: Any) -> None:
    """The key that changed the screen (its typed text, its repeats while held) never
    reaches the new screen; the next press does."""
    got: list[tuple[int, object]] = []
    real = NewGameScene.handle

    def spy(self: NewGameScene, event: pygame.event.Event) -> None:
        if event.type in (pygame.KEYDOWN, pygame.TEXTINPUT):
            got.append((event.type, getattr(event, "key", getattr(event, "text", None))))
        real(self, event)

    monkeypatch.setattr(NewGameScene, "handle", spy)
    drv.start(TitleScene(drv.app))
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_1, mod=0, unicode="1",
                                         scancode=0))
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="1"))
    drv.frame()
    assert isinstance(drv.scene, NewGameScene)
    for _ in range(3):   # the key is still held: SDL repeats it
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_1, mod=0,
                                             unicode="1", scancode=0))
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="1"))
        drv.frame()
    assert got == []
    assert all(e.get_text() == "" for e in drv.scene.entries)
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=pygame.K_1, mod=0, unicode="1",
                                         scancode=0))
    drv.frame()
    drv.key(pygame.K_2)
    assert got == [(pygame.KEYDOWN, pygame.K_2)]
