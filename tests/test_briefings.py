"""Scenario-written private briefings reach only their role, in the quarter they are for."""

from __future__ import annotations

from game.engine.constants import CMO, CTO
from game.engine.driver import begin
from game.engine.game import compile_game
from game.engine.news import start_quarter
from game.engine.observation import observe
from game.scenario.catalog import resolve
from game.scenario.loader import load_scenario


def test_briefings_show_for_their_role_and_quarter() -> None:
    game = compile_game(load_scenario(resolve("digital-shift")))
    state = begin(game, batch=2, seed=1)
    start_quarter(game, state)
    cmo, cto = observe(game, state, CMO), observe(game, state, CTO)
    assert cmo.briefings and cto.briefings
    assert cmo.briefed.all() and cto.briefed.all()  # both digital-shift notes are for Q1
    assert not set(cmo.briefings) & set(cto.briefings)
    assert "barely use" in cmo.briefings[0]
    assert "keeping old systems alive" in cto.briefings[0]
