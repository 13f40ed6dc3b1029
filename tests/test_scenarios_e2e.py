"""Every shipped scenario loads cleanly and plays to the end with every baseline policy."""

from __future__ import annotations

import numpy as np
import pytest

from game.ai.registry import make_policy
from game.engine.constants import Phase
from game.engine.driver import play
from game.engine.game import compile_game
from game.engine.results import results
from game.scenario.catalog import scenario_paths
from game.scenario.loader import load_scenario

PATHS = scenario_paths()


def test_six_scenarios_ship() -> None:
    ids = {p.stem for p in PATHS}
    assert {"first-quarter", "digital-shift", "martech-budget", "gray-zones",
            "change-is-the-villain", "short-tenure"} <= ids


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
@pytest.mark.parametrize("pair", [("cooperative", "selfish"), ("random", "reciprocal")])
def test_scenario_plays_to_the_end(path: object, pair: tuple[str, str]) -> None:
    sc = load_scenario(path)  # type: ignore[arg-type]
    assert sc.learning_objectives and sc.debrief_questions
    game = compile_game(sc)
    policies = (make_policy(pair[0], game, 0, 3), make_policy(pair[1], game, 1, 3))
    state = play(game, policies, batch=64, seed=3)
    assert state.phase == Phase.END
    assert state.quarter == sc.quarters
    r = results(game, state)
    assert np.isfinite(r.growth).all()
    assert (r.outcomes.sum(axis=1) >= 0).all()
    # Every quarter was charted.
    assert (state.hist_revenue[:, 1:] > 0).all()


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_cooperation_pays_the_company_in_every_scenario(path: object) -> None:
    game = compile_game(load_scenario(path))  # type: ignore[arg-type]
    growth = {}
    for name in ("cooperative", "selfish"):
        state = play(game, (make_policy(name, game, 0, 5), make_policy(name, game, 1, 5)),
                     batch=400, seed=5)
        growth[name] = results(game, state).growth.mean()
    assert growth["cooperative"] > growth["selfish"]
