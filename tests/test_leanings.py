"""A scripted style reaches the events: each option's lean, read off its effects."""

from __future__ import annotations

import numpy as np

from game.ai.scripted import Cooperative, Reciprocal, Selfish
from game.engine.driver import play
from game.engine.game import compile_game
from game.engine.leanings import option_leans, styled_options
from game.scenario.catalog import resolve
from game.scenario.loader import load_scenario


def _game(sid: str):  # type: ignore[no-untyped-def]
    return compile_game(load_scenario(resolve(sid)))


def test_the_tutorials_choices_lean_as_their_texts_say() -> None:
    game = _game("first-quarter")
    leans = option_leans(game)
    k = {eid: i for i, eid in enumerate(game.event_ids)}
    # Install the widget quietly: +0.03 to the CMO's board; ask the CTO: +0.03 ownership.
    assert leans[k["widget-offer"], 1] > 0 > leans[k["widget-offer"], 0]
    assert leans[k["widget-offer"], 2] == 0.0
    # Blame the campaign: the CTO's board up, the CMO's down, ownership down.
    assert leans[k["slow-checkout"], 1] > leans[k["slow-checkout"], 2] > leans[
        k["slow-checkout"], 0]
    assert np.isnan(leans[k["ceo-welcome"]]).all()   # nobody chooses it
    selfish, shared = styled_options(leans, True), styled_options(leans, False)
    for eid in ("widget-offer", "slow-checkout", "trade-show", "board-story"):
        assert selfish[k[eid]] == 1 and shared[k[eid]] == 0, eid


def test_a_choice_with_no_lean_stays_the_scenarios_first_option() -> None:
    leans = np.array([[0.0, 0.0, 0.0], [0.0, -0.01, np.nan], [0.02, 0.02, np.nan]])
    assert styled_options(leans, True).tolist() == [0, 0, 0]
    assert styled_options(leans, False).tolist() == [0, 1, 0]


def test_scripted_styles_take_their_options_in_play() -> None:
    """Selfish takes the self-serving options, cooperative the shared ones, and a
    reciprocator that has not been crossed the shared ones."""
    game = _game("first-quarter")
    k = game.event_ids.index("widget-offer")
    for cmo, want in ((Selfish, 1), (Cooperative, 0), (Reciprocal, 0)):
        st = play(game, (cmo(game, 0, 5), Cooperative(game, 1, 5)), 16, 5, quarters=1)
        assert (st.choice[:, k] == want).all(), cmo.__name__
