"""The debrief's counterfactual: bands of replays of the players' own game.

Each band replays the live game's scenario and seed with its luck (shared luck),
its budget proposals, answers and event choices, so only the relationship moves
and the aftermath responses differ. One control row replays every recorded
decision and must end exactly where the live game did.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from game.ai.registry import make_policy
from game.session import debrief
from game.session.live import DEMO, WORKSHOP, GameConfig, LiveGame
from game.session.seats import AI, Seat
from game.session.steps import Kind


def played(scenario: str, seed: int, cmo: str, cto: str, stop: int | None = None,
           inject_at: int | None = None) -> LiveGame:
    """An AI-versus-AI live game, stopped after `stop` log entries if given, with the
    facilitator's first injectable event fired after `inject_at` entries."""
    g = LiveGame(GameConfig(scenario, seed, DEMO, (Seat(AI, "a", cmo), Seat(AI, "b", cto))))
    while not g.done and (stop is None or len(g.log) < stop):
        if inject_at is not None and len(g.log) == inject_at:
            g.inject_event(g.injectable()[0])
            inject_at = None
        if g.step.is_view:
            g.acknowledge()
        else:
            g.advance_ai()
    return g


@pytest.fixture(scope="module")
def typical() -> LiveGame:
    return played("digital-shift", 4, "reciprocal", "random")


def test_bands_come_from_200_replays_each_and_are_ordered(typical: LiveGame) -> None:
    cf = debrief.counterfactuals(typical)
    assert cf is not None and cf.quarters == typical.game.quarters
    rep = debrief.replays(typical.game, typical.log, typical.config.seed, cf.quarters)
    assert rep.growth.shape[0] == len(debrief.BANDS) * debrief.RUNS + 1
    assert [b.style for b in cf.bands] == ["selfish", "cooperative"]
    for band in cf.bands:
        assert band.runs >= 200
        assert band.p10 <= band.p50 <= band.p90
        assert 0.0 <= band.above <= 1.0
    # Per-replay variation: a band is a spread, not one game repeated.
    assert all(b.p90 > b.p10 for b in cf.bands)


def test_the_control_row_is_the_live_game(typical: LiveGame) -> None:
    """Shared luck and the recorded decisions: bit for bit the players' own growth."""
    cf = debrief.counterfactuals(typical)
    assert cf is not None
    rep = debrief.replays(typical.game, typical.log, typical.config.seed, cf.quarters)
    assert rep.growth[rep.control] == cf.you
    assert cf.you == float(typical.state.revenue[0] / typical.state.revenue0[0] - 1.0)
    assert rep.fallbacks == 0


def test_replays_hold_the_pairs_own_portfolio(typical: LiveGame) -> None:
    """Every replay proposes the pair's own plans: what it funds is the live plan, or that
    plan cut to a smaller budget, with the live campaign split; most fit it whole."""
    g = typical
    rep = debrief.replays(g.game, g.log, g.config.seed, g.game.quarters)
    assert len(rep.plans) == g.game.quarters
    c = rep.control
    whole = []
    for fund, share in zip(rep.plans, rep.campaigns, strict=True):
        live = fund[c]
        assert not (fund & ~live[None, :]).any(), "a replay funded a project the pair did not"
        assert np.array_equal(share, np.full_like(share, share[c]))
        whole.append((fund == live[None, :]).all(axis=1))
    assert float(np.mean(whole)) >= 0.5


@pytest.mark.parametrize(("seed", "cmo", "cto"), [(1, "reciprocal", "random"),
                                                 (2, "random", "random"),
                                                 (3, "cooperative", "selfish"),
                                                 (5, "partner", "turf-warrior")])
def test_high_trust_pairs_grow_more_in_digital_shift(seed: int, cmo: str, cto: str) -> None:
    cf = debrief.counterfactuals(played("digital-shift", seed, cmo, cto))
    assert cf is not None
    low, high = cf.bands
    assert high.p50 > low.p50


def test_an_injection_and_an_early_end_replay_where_they_happened() -> None:
    g = played("digital-shift", 7, "random", "reciprocal", stop=45, inject_at=17)
    assert any(e["kind"] == "inject" for e in g.log) and not g.done
    cf = debrief.counterfactuals(g)
    assert cf is not None and 0 < cf.quarters < g.game.quarters
    rep = debrief.replays(g.game, g.log, g.config.seed, cf.quarters)
    assert rep.growth[rep.control] == cf.you
    assert cf.you == float(g.state.hist_revenue[0, cf.quarters] / g.state.revenue0[0] - 1.0)


def test_people_at_the_keyboard_and_an_injection_at_the_briefing() -> None:
    """Human seats (briefings, aftermath skipped when nothing needs an answer) and an event
    fired before the first quarter: the control row is still the live game."""
    g = LiveGame(GameConfig("digital-shift", 5, WORKSHOP))
    assert g.step.kind == Kind.BRIEFING
    g.inject_event(g.injectable()[0])
    players = {r: make_policy("reciprocal", g.game, r, 5) for r in (0, 1)}
    while g.quarter <= 3:
        s = g.step
        if s.is_view or s.kind == Kind.BRIEFING:
            g.acknowledge()
            continue
        assert s.role is not None and g.request is not None
        d = players[s.role].decide(g.observe(s.role), g.request)
        if s.kind == Kind.EVENT:
            d = {k: int(np.asarray(d).reshape(1, -1)[0, k]) for k in g.event_choices(s.role)}
        elif s.kind == Kind.RESPOND:
            d = bool(np.asarray(d).reshape(-1)[0])
        g.submit(d)
    cf = debrief.counterfactuals(g)
    assert cf is not None and cf.quarters == 3
    rep = debrief.replays(g.game, g.log, 5, cf.quarters)
    assert rep.growth[rep.control] == cf.you and rep.fallbacks == 0


def test_no_band_before_a_quarter_closes() -> None:
    assert debrief.counterfactuals(played("first-quarter", 1, "random", "random", stop=3)) is None


def test_history_exports_the_bands(typical: LiveGame) -> None:
    data = json.loads(json.dumps(debrief.history(typical)))
    cf = data["counterfactual"]
    assert cf["quarters"] == typical.game.quarters
    assert [b["runs"] for b in cf["bands"]] == [debrief.RUNS] * 2
    assert all(b["p10"] <= b["p50"] <= b["p90"] for b in cf["bands"])
