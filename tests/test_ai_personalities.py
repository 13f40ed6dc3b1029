"""The personalities as data: validated, overridable by a scenario, calibrated to the trust game."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.ai import personalities as pers
from game.ai.counterpart import Counterpart, make_counterpart
from game.ai.personalities import BUILTIN_NAMES, builtin, get, personalities, stake, voice
from game.engine.actions import Talk
from game.engine.constants import CMO, CTO, OWNER_JOINT
from game.engine.driver import Need, Request, begin
from game.engine.game import Game, compile_game
from game.engine.news import resolve_choices, start_quarter
from game.engine.observation import observe
from game.engine.talk import apply_talk
from game.scenario.loader import load_scenario
from game.scenario.models import Personality, Scenario
from game.scenario.problems import ScenarioError


def test_six_builtins_are_data_validated_by_the_scenario_model() -> None:
    table = builtin()
    assert tuple(table) == BUILTIN_NAMES
    for p in table.values():
        assert isinstance(p, Personality)
    # The mean risk appetite of the field is neutral: the trust-game calibration.
    assert np.mean([p.risk_appetite for p in table.values()]) == pytest.approx(0.5)


def test_a_bad_personality_file_is_reported_with_line_and_column() -> None:
    from game.ai.personalities import PersonalityFile
    from game.scenario.yamlsource import load_model

    text = "personalities:\n  partner:\n    title: A\n    summary: b\n    honesty: 1.5\n"
    with pytest.raises(ScenarioError) as err:
        load_model("bad.yaml", PersonalityFile, text=text)
    assert "bad.yaml:5:" in str(err.value)


SCENARIO_EXTRA = """
ai:
  offered: [partner, coach]
  personalities:
    coach:
      title: The Coach
      summary: Patient and open; shares everything and never goes around.
      propensity: 0.7
      openness: 1.0
      bypass: 0.0
    bypasser:
      title: The Reformed Bypasser
      summary: Retuned by the facilitator.
      bypass: 0.0
  lines:
    propose: ["Coach's plan for {quarter}: {projects}, {amount}."]
    coach.share_intel: ["Coach here, sharing in {quarter}: {signal}."]
"""


@pytest.fixture(scope="module")
def custom() -> Scenario:
    path = Path(__file__).resolve().parent.parent / "scenarios" / "digital-shift.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("\nai:")
    return load_scenario("custom.yaml", text[:start] + SCENARIO_EXTRA)


def test_a_scenario_adds_and_retunes_personalities(custom: Scenario) -> None:
    table = personalities(custom)
    assert set(BUILTIN_NAMES) | {"coach"} == set(table)
    assert table["bypasser"].bypass == 0.0
    assert table["coach"].openness == 1.0
    assert builtin()["bypasser"].bypass > 0.5      # the built-in itself is unchanged
    with pytest.raises(KeyError, match="known:"):
        get("nobody", custom)
    # A new personality speaks with the voice of the nearest built-in.
    assert voice("coach", table["coach"]) in BUILTIN_NAMES


def test_scenario_personality_plays_and_the_retuned_one_obeys(custom: Scenario) -> None:
    """The retuned Bypasser never goes around; the Coach shares intel every quarter it can."""
    from game.engine.driver import play

    g = compile_game(custom)
    coach = make_counterpart("coach", g, CMO, 3)
    reformed = make_counterpart("bypasser", g, CTO, 3)
    s = play(g, (coach, reformed), 200, 3)
    assert s.goarounds[:, CTO].sum() == 0
    assert s.move_counts[:, CMO, 0].mean() > 6


def _at_budget(game: Game, batch: int, seed: int = 5):  # type: ignore[no-untyped-def]
    s = begin(game, batch, seed)
    start_quarter(game, s)
    resolve_choices(game, s)
    apply_talk(game, s, Talk.none(batch), Talk.none(batch))
    return s


@pytest.mark.parametrize("role", [CMO, CTO])
def test_at_neutral_trust_it_commits_about_half(game: Game, role: int) -> None:
    """Berg et al. / Johnson & Mislin: people send about 50% in the trust game.

    With the engine's trust meter (the AI's trust) set to exactly 0.5 and no record of
    the other yet, each personality proposes a plan; the share
    of the project money it puts into joint (shared-risk) ownership is measured
    over 400 games. The Mirror (the neutral character) lands within 0.40-0.60,
    and the mean over the six personalities within 0.40-0.60 too.
    """
    b = 400
    shares = {}
    for name in BUILTIN_NAMES:
        ai = Counterpart(game, role, 11, name=name, lookahead=False)
        state = _at_budget(game, b)
        state.trust[:] = 0.5
        obs = observe(game, state, role)
        ai.decide(obs, Request(Need.TALK, role, obs.quarter))   # settles the quarter
        plan = ai.decide(obs, Request(Need.PROPOSE, role, obs.quarter))
        assert np.allclose(ai.trust, 0.5)
        cost = plan.fund @ game.cost
        joint = (plan.fund & (plan.owner == OWNER_JOINT)) @ game.cost
        shares[name] = float(joint.sum() / cost.sum())
    print("joint share at neutral trust:", shares)
    assert 0.40 <= shares["mirror"] <= 0.60, shares
    assert 0.40 <= float(np.mean(list(shares.values()))) <= 0.60, shares


def test_stake_rises_with_trust_and_falls_when_answering_a_defection() -> None:
    p = builtin()["mirror"]
    t = np.array([0.2, 0.5, 0.8])
    coop = stake(p, t, np.ones(3, dtype=np.bool_))
    assert np.all(np.diff(coop) > 0)
    assert np.all(stake(p, t, np.zeros(3, dtype=np.bool_)) < coop)


def test_levels_look_further_and_choose_more_carefully() -> None:
    one, two, three = (pers.level(n) for n in (1, 2, 3))
    assert one.horizon <= two.horizon <= three.horizon
    assert one.rollouts < two.rollouts < three.rollouts
    assert one.temperature > two.temperature > three.temperature
    assert pers.DEFAULT_LEVEL == 2
    with pytest.raises(ValueError):
        pers.level(4)
