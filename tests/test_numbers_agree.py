"""Every number two screens both show is one figure: read once in game/session/reading.py.

Plays a hot-seat game through the window by synthetic input and compares, as drawn,
the figures that appear on more than one screen (issue 10: the results headline said
+7.9% while its own waterfall's total said +8.3%).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from game.engine.constants import CMO, CTO
from game.session import reading
from game.session.live import WORKSHOP, GameConfig
from game.ui.flow import GameFlow
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.title import TitleScene, start_game
from game.ui.testing import Driver
from tests.test_ui_hotseat import play_turn

HEADLINE = re.compile(r"^Revenue (\$[\d.]+M) \(([-+][\d.]+%)\)$")


def after(drawn: list[str], label: str) -> str:
    """The string drawn right after `label` (a row's value follows its name)."""
    return drawn[drawn.index(label) + 1]


@pytest.mark.parametrize("scenario", ["first-quarter", "digital-shift"])
def test_numbers_shown_on_two_screens_agree(drv: Driver, scenario: str) -> None:
    drv.start(TitleScene(drv.app))
    start_game(drv.app, GameConfig(scenario, 23, WORKSHOP))
    drv.frame()
    flow = drv.app.flow
    assert isinstance(flow, GameFlow)
    if scenario != "first-quarter":
        flow.demo_quarters = 5
    results_revenue: str | None = None
    checked = {"results": 0, "dashboard": 0}
    for turn in range(2000):
        scene = drv.scene
        if isinstance(scene, DebriefScene):
            break
        g = flow.game
        drawn = drv.drawn
        if scene.name == "results":
            head = next(m for s in drawn if (m := HEADLINE.match(s)))
            # The headline, the waterfall's total and the reading are one figure.
            assert head.group(2) == after(drawn, "This quarter")
            assert head.group(2) == f"{reading.quarter_change(g):+.1%}"
            parts = sum(v for _, v in reading.revenue_sources(g))
            assert parts == pytest.approx(reading.quarter_change(g), abs=1e-9)
            # The trust panel's totals are the sums of the causes it lists from.
            for tc in reading.trust_changes(g):
                assert tc.total == pytest.approx(float(g.state.why[0, tc.truster].sum()))
            results_revenue = head.group(1)
            checked["results"] += 1
        elif scene.name == "dashboard" and results_revenue is not None:
            # Revenue does not move between the results and the next quarter's news.
            assert after(drawn, "Revenue per quarter") == results_revenue
            k = reading.kpis(g)
            ser = reading.series(g)
            assert (k.trust[CMO], k.trust[CTO]) == (ser.trust_cmo[-1], ser.trust_cto[-1])
            # The gauge's change is the ledger's closed quarter, cause by cause.
            q = reading.closed_quarters(g)
            for tc in reading.trust_changes(g, q):
                series = ser.trust_cmo if tc.truster == CMO else ser.trust_cto
                assert tc.total == pytest.approx(series[-1] - series[-2], abs=1e-12)
            checked["dashboard"] += 1
        play_turn(drv, turn)
    assert isinstance(drv.scene, DebriefScene)
    assert checked["results"] >= 3 and checked["dashboard"] >= 2
    deb = drv.scene
    deb.show(0)
    drv.frame()
    growth = after(drv.drawn, "Revenue growth")
    deb.show(1)
    drv.frame()
    assert after(drv.drawn, "Total growth") == growth
    g = flow.game
    assert growth == f"{reading.kpis(g).growth:+.1%}"
    whole = reading.game_trust_changes(g)
    ser = reading.series(g)
    for tc, line in zip(whole, (ser.trust_cmo, ser.trust_cto), strict=True):
        assert tc.total == pytest.approx(line[-1] - line[0], abs=1e-12)
    assert np.isfinite([tc.total for tc in whole]).all()
