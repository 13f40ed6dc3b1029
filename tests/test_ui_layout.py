"""Every screen fits, at every size: drawn strings inside their panels and the window,
widgets clear of each other and on screen, cut text reachable, nothing dropped.

Every screen of every shipped scenario, and of a stress scenario of our own
(tests/data/stress-layout.yaml: 60-character titles, long news, six debrief
questions, four signals per role, fifteen projects), is built as a game shows
it (game/ui/gallery.py) and checked by `game.ui.testing.layout_problems`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from game.scenario.catalog import scenario_paths
from game.scenario.loader import load_scenario
from game.scenario.models import Scenario
from game.scenario.units import money
from game.ui import gallery, text
from game.ui.app import MIN_SIZE
from game.ui.testing import Driver

SIZES = [(1024, 600), (1280, 720), (1920, 1080), (2560, 1440)]
STRESS = Path(__file__).resolve().parent / "data" / "stress-layout.yaml"
SHIPPED = [p.stem for p in scenario_paths()]


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMETEAM_DATA_DIR", str(tmp_path))


def _stress() -> Scenario:
    return load_scenario(STRESS)


def _screens(drv: Driver, ref: str) -> Iterator[str]:
    """Show every screen of scenario `ref` in turn; yields each one's name."""
    loaded = _stress() if ref == "stress" else None
    name = str(STRESS) if ref == "stress" else ref
    for screen, make in gallery.screens(drv.app, name, loaded=loaded):
        drv.start(make())
        yield screen


def _cut_is_reachable(drv: Driver) -> list[str]:
    """The first line cut short on the screen shows whole when the pointer is on it."""
    scene = drv.scene
    surf = pygame.Surface(drv.app.screen.get_size())
    with text.measure() as m:
        scene.paint(surf)
    if not m.cut:
        return []
    p = m.cut[0]
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=p.rect.center, rel=(0, 0),
                                         buttons=(0, 0, 0)))
    drv.frame()
    drawn = " ".join(drv.drawn)
    first = p.full.split("\n")[0]
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=(0, 0), rel=(0, 0),
                                         buttons=(0, 0, 0)))
    drv.frame()
    return [] if first in drawn else [f"{scene.name}: cut {p.shown!r} shows no card"]


@pytest.mark.parametrize("ref", [*SHIPPED, "stress"])
def test_every_screen_fits_at_every_size(ref: str) -> None:
    drv = Driver(SIZES[0])
    try:
        problems: list[str] = []
        seen: set[str] = set()
        for size in SIZES:
            drv.resize(size)
            assert drv.app.screen.get_size() == size
            for name in _screens(drv, ref):
                seen.add(name)
                problems += drv.layout_problems()
                if size == SIZES[0]:
                    problems += _cut_is_reachable(drv)
        assert len(seen) >= 20, sorted(seen)
        assert not problems, "\n".join(problems[:30])
    finally:
        drv.close()


def test_stress_scenario_drops_nothing() -> None:
    """Six debrief questions, four signals per role: all on screen at the minimum size
    (or, where a panel truly has no room, named by a '+ n more' line whose card has them)."""
    sc = _stress()
    assert len(sc.debrief_questions) == 6 and len(sc.projects) == 15
    assert max(len(p.title) for p in sc.projects) == 60 and len(sc.title) == 60
    drv = Driver(MIN_SIZE)
    try:
        for name in _screens(drv, "stress"):
            surf = pygame.Surface(drv.app.screen.get_size())
            with text.measure() as m:
                drv.scene.paint(surf)
            reachable = " ".join([p.shown for p in m.strings] + [p.full for p in m.strings])
            flat = " ".join(reachable.split())
            if name == "debrief-discussion":     # the page scrolls: PgDn shows the rest
                seen = flat
                for _ in range(len(sc.debrief_questions)):
                    drv.key(pygame.K_PAGEDOWN)
                    assert not drv.layout_problems()
                    seen += " " + " ".join(" ".join(drv.drawn).split())
                for q in sc.debrief_questions:
                    assert " ".join(q.text.split()[:6]) in seen, q.text
            if name == "talk":
                signals = [p.shown for p in m.strings if "%" in p.shown or ":" in p.shown]
                assert len(signals) >= 4, signals
    finally:
        drv.close()


@pytest.mark.parametrize("ref", ["digital-shift", "stress"])
def test_resize_on_every_screen(ref: str) -> None:
    """1280x720, then 1920x1080, then 1024x600 on each screen: the layout follows."""
    drv = Driver((1280, 720))
    try:
        problems: list[str] = []
        for name in _screens(drv, ref):
            heights = []
            for size in [(1920, 1080), (1024, 600)]:
                drv.resize(size)
                assert drv.app.screen.get_size() == size, name
                assert drv.app.laid_out_for == size, name
                problems += drv.layout_problems()
                heights.append(max((b.rect.height for b in drv.scene.buttons), default=0))
            if heights[0]:
                assert heights[0] > heights[1], f"{name}: widgets did not scale {heights}"
            drv.resize((1280, 720))
        assert not problems, "\n".join(problems[:30])
    finally:
        drv.close()


@pytest.mark.parametrize("choice", ["larger", "smaller"])
def test_every_screen_fits_with_the_text_size_choices(choice: str) -> None:
    drv = Driver(MIN_SIZE)
    try:
        problems: list[str] = []
        for size in [MIN_SIZE, (1280, 720)]:
            drv.resize(size)
            normal = drv.app.sizes.body
            drv.app.prefs.text_size = choice
            drv.app.set_text_size(choice)
            assert (drv.app.sizes.body > normal) if choice == "larger" else (
                drv.app.sizes.body <= normal)
            for ref in ("digital-shift", "stress"):
                for _ in _screens(drv, ref):
                    problems += drv.layout_problems()
            drv.app.set_text_size("normal")
        assert not problems, "\n".join(problems[:30])
    finally:
        drv.close()


def test_settings_remember_the_window_and_text_size() -> None:
    """Size, fullscreen and text size come back next time; the Settings screen's text-size
    row changes the type at once."""
    from game.ui.app import App
    from game.ui.scenes.info import SettingsScene

    app = App(fast=True, remember=True, background=False)
    assert app.screen.get_size() == (1280, 720)
    app.switch(SettingsScene(app))
    app.frame(0.0)
    body = app.sizes.body
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=1600, h=900, size=(1600, 900)))
    app.frame(0.0)
    row = next(b for b in app.scene.buttons if b.label.startswith("5. Text size"))
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=row.rect.center, rel=(0, 0),
                                         buttons=(0, 0, 0)))
    app.frame(0.0)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=row.rect.center, button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=row.rect.center, button=1))
    app.frame(0.0)
    app.frame(0.0)
    assert app.prefs.text_size == "larger"
    assert app.sizes.body > body * 1600 / 1280
    app.close()
    again = App(fast=True, remember=True, background=False)
    try:
        assert again.screen.get_size() == (1600, 900)
        assert again.prefs.text_size == "larger" and not again.fullscreen
    finally:
        again.close()


def test_window_below_the_minimum_is_set_back() -> None:
    drv = Driver((1280, 720))
    try:
        drv.start(gallery.TitleScene(drv.app))
        drv.resize((800, 500))
        assert drv.app.screen.get_size() == MIN_SIZE
        assert drv.app.laid_out_for == MIN_SIZE
    finally:
        drv.close()


def test_money_keeps_sums_honest() -> None:
    assert money(0.12) == "$120k" and money(0.15) == "$150k"
    assert money(0.1) == "$100k" and money(0.3) == "$300k"
    assert money(2.4) == "$2.4M" and money(1.15) == "$1.15M" and money(2.0) == "$2.0M"
    assert money(0) == "$0" and money(-0.05) == "-$50k"
    # Parts shown add up to the total shown, where the old one decimal did not.
    parts = [0.12, 0.15, 0.03]
    assert sum(int(money(p)[1:-1]) for p in parts) == int(money(sum(parts))[1:-1])


def test_equal_chart_lines_both_show_and_labels_stay_inside() -> None:
    """Two equal series: both colours are visible; every label is inside the frame; the
    value axis starts at zero (or the title says it does not)."""
    from game.ui import charts, theme

    pygame.font.init()
    surf = pygame.Surface((600, 300))
    rect = pygame.Rect(10, 10, 580, 280)
    ys = [0.5, 0.55, 0.6, 0.6, 0.62]
    with text.measure() as m:
        charts.line_chart(surf, rect, [("CMO → CTO", ys, theme.CMO_COLOUR),
                                       ("CTO → CMO", ys, theme.CTO_COLOUR)],
                          title="Trust both ways", quarters=12)
    px = pygame.PixelArray(surf)
    counts = [sum(1 for x in range(600) for y in range(300)
                  if surf.unmap_rgb(px[x, y])[:3] == c) for c in (theme.CMO_COLOUR,
                                                                  theme.CTO_COLOUR)]
    del px
    assert min(counts) > 200, counts
    assert all(rect.contains(p.rect) for p in m.strings), [p for p in m.strings
                                                           if not rect.contains(p.rect)]
    assert "0%" in [p.shown for p in m.strings]          # the axis starts at zero
    with text.measure() as m:
        charts.line_chart(surf, rect, [("Revenue", [20.0, 22.0], theme.BLUE)],
                          title="Revenue", y_min=18.0, fmt="{:.1f}")
    assert any("not zero" in p.shown for p in m.strings)


def test_a_drag_lays_out_once_for_the_last_size(monkeypatch: pytest.MonkeyPatch) -> None:
    drv = Driver((1280, 720))
    try:
        drv.start(gallery.TitleScene(drv.app))
        calls: list[tuple[int, int]] = []
        real = gallery.TitleScene.rebuild

        def counted(self: gallery.TitleScene) -> None:
            calls.append(self.app.screen.get_size())
            real(self)

        monkeypatch.setattr(gallery.TitleScene, "rebuild", counted)
        for w in (1300, 1400, 1500, 1600):
            pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=w, h=900, size=(w, 900)))
        drv.frame()
        assert calls == [(1600, 900)] and drv.app.laid_out_for == (1600, 900)
        assert not drv.layout_problems()
    finally:
        drv.close()
