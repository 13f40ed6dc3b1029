"""The room sees no secret: what a pair's replay shows the projector, the stream and the
room's debrief is the shared dashboard, never a role's intel or a go-around nobody found.

The room receives each game's whole record (it must, to replay it), so the filter is
`roomwire.pair_view`: these tests hold it to the shared readings, step by step, in games
where go-arounds stay hidden, and pin the view's fields so a new one is a decision.
"""

from __future__ import annotations

import json

from game.engine.constants import CMO, CTO
from game.room.pages import projector_page
from game.session import reading, roomwire
from game.session.live import WORKSHOP, GameConfig, LiveGame
from game.session.seats import AI, Seat

PUBLIC_FIELDS = {
    "pair", "cmo", "cto", "mode", "quarter", "quarters", "phase", "waiting_for",
    "trust_cmo_to_cto", "trust_cto_to_cmo", "ownership", "growth", "board_cmo", "board_cto",
    "done", "held", "updated", "series", "moves", "dividend"}


def test_the_view_has_only_the_shared_dashboards_fields() -> None:
    assert set(roomwire.PairView.model_fields) == PUBLIC_FIELDS


def test_a_hidden_go_around_never_reaches_the_room() -> None:
    hidden_seen = 0
    for seed in range(12):
        g = LiveGame(GameConfig("first-quarter", seed, WORKSHOP,
                                (Seat(AI, "Ana", "selfish"), Seat(AI, "Ben", "cooperative"))))
        while True:
            view = roomwire.pair_view(g, "p1", len(g.log), 0.0)
            st = g.state
            hidden = st.hidden_goarounds[0]
            known = int(st.goarounds[0].sum() - hidden.sum())
            assert view.moves[roomwire.GO_AROUNDS_FOUND] == known
            assert "go_around" not in view.moves     # the raw move count is private
            assert view.dividend == dict(reading.dividend_parts(g))
            if hidden[CMO] + hidden[CTO] > 0:
                hidden_seen += 1
                assert view.dividend["Go-arounds"] == 0.0
            # Nothing of either role's private signals is anywhere in what is sent.
            text = view.model_dump_json()
            for role in (CMO, CTO):
                for v in st.intel[0, role]:
                    if abs(float(v)) > 1e-6:
                        assert json.dumps(float(v)) not in text
            if g.done:
                break
            g.acknowledge() if g.step.is_view else g.advance_ai()
    assert hidden_seen > 0, "no game kept a go-around hidden: the test saw nothing"


def test_the_projector_page_carries_the_view_and_nothing_else() -> None:
    g = LiveGame(GameConfig("first-quarter", 3, WORKSHOP,
                            (Seat(AI, "Ana", "selfish"), Seat(AI, "Ben", "cooperative"))))
    g.play_out()
    pv = roomwire.pair_view(g, "p1", len(g.log), 0.0)
    view = roomwire.RoomView(code="ABC234", title="Room", scenario="first-quarter",
                             scenario_title=g.scenario.title, seed=3, quarters=4,
                             commands=roomwire.Commands(), pairs=[pv])
    page = projector_page(view, admin=False, join_url="http://127.0.0.1:1")
    assert '"mind"' not in page and '"intel"' not in page and '"log"' not in page
