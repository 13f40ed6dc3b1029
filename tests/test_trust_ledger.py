"""Why trust moved: the ledger's causes add up to each quarter's trust change."""

from __future__ import annotations

import numpy as np
import pytest

from game.ai.scripted import Cooperative, RandomPolicy, Reciprocal, Selfish
from game.engine import trust
from game.engine.constants import CMO, CTO
from game.engine.driver import play
from game.engine.game import compile_game
from game.scenario.catalog import scenario_paths
from game.scenario.loader import load_scenario

PAIRS = [(Reciprocal, Reciprocal), (Selfish, Cooperative), (RandomPolicy, RandomPolicy)]


@pytest.mark.parametrize("path", scenario_paths(), ids=lambda p: p.stem)
@pytest.mark.parametrize("pair", range(len(PAIRS)))
def test_causes_sum_to_each_quarters_trust_change(path: object, pair: int) -> None:
    game = compile_game(load_scenario(path))  # type: ignore[arg-type]
    cmo, cto = PAIRS[pair]
    state = play(game, (cmo(game, CMO, 5), cto(game, CTO, 6)), batch=64, seed=11 + pair)
    q = state.quarter
    change = np.diff(state.hist_trust[:, : q + 1], axis=1)          # (B, q, 2)
    booked = state.hist_why[:, 1: q + 1].sum(axis=-1)              # (B, q, 2)
    np.testing.assert_allclose(booked, change, rtol=0.0, atol=1e-12)
    # Everything the engine does is booked to a named cause, nothing to the rest.
    assert np.abs(state.hist_why[..., trust.CAUSE_OTHER]).max() < 1e-12
    assert not state.hist_why[:, 0].any()


def test_the_ledger_runs_both_ways_with_named_causes() -> None:
    path = next(p for p in scenario_paths() if p.stem == "digital-shift")
    game = compile_game(load_scenario(path))
    state = play(game, (Selfish(game, CMO, 1), Cooperative(game, CTO, 2)), batch=256, seed=3)
    why = state.hist_why
    for cause in (trust.CAUSE_GOAROUND, trust.CAUSE_BLAME, trust.CAUSE_CREDIT_TAKEN,
                  trust.CAUSE_INCIDENTS):
        assert why[..., cause].min() < 0.0, cause
    for cause in (trust.CAUSE_INTEL, trust.CAUSE_MEETING, trust.CAUSE_OWNED,
                  trust.CAUSE_CREDIT_SHARED, trust.CAUSE_KEPT):
        assert why[..., cause].max() > 0.0, cause
    assert np.abs(why[..., trust.CAUSE_FADING]).max() > 0.0


def test_recording_changes_no_outcome() -> None:
    path = next(p for p in scenario_paths() if p.stem == "digital-shift")
    game = compile_game(load_scenario(path))
    states = [play(game, (Selfish(game, CMO, 1), Reciprocal(game, CTO, 2)), batch=128, seed=8,
                   ledger=ledger) for ledger in (True, False)]
    on, off = (s.arrays() for s in states)
    for name in on:
        if name not in ("formula", "why", "hist_why"):
            assert np.array_equal(on[name], off[name]), name
