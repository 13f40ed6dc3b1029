"""The live game's step machine: the engine's phase order, human decisions, replay."""

from __future__ import annotations

import numpy as np
import pytest

from game.engine.actions import Plan, Talk, moves_from
from game.engine.constants import CMO, CTO, OWNER_JOINT
from game.engine.record import replay as engine_replay
from game.engine.state import State
from game.session import reading
from game.session.live import DEMO, SOLO, WORKSHOP, GameConfig, LiveGame, StepError, replay
from game.session.seats import AI, Seat
from game.session.steps import Kind
from tests.conftest import neutral_step

AI_PAIR = (Seat(AI, "A", "reciprocal"), Seat(AI, "B", "selfish"))


def same(a: State, b: State) -> bool:
    return all(np.array_equal(x, getattr(b, k)) for k, x in a.arrays().items()) and (
        a.quarter, a.phase, a.round) == (b.quarter, b.phase, b.round)


def play_ai(g: LiveGame, stop: int | None = None) -> None:
    while not g.done and (stop is None or len(g.log) < stop):
        if g.step.is_view:
            g.acknowledge()
        else:
            g.advance_ai()


@pytest.mark.parametrize("scenario", ["first-quarter", "digital-shift"])
def test_session_follows_the_engine_runner_exactly(scenario: str) -> None:
    """A whole game stepped by the session replays bit for bit through runner.play."""
    g = LiveGame(GameConfig(scenario, 11, DEMO, AI_PAIR))
    play_ai(g)
    assert g.done and g.step.kind == Kind.END
    assert same(engine_replay(g.game, g.record), g.state)


def test_quarter_walks_the_phases_in_order() -> None:
    g = LiveGame(GameConfig("first-quarter", 3, WORKSHOP))
    kinds = []
    while g.quarter <= 1 and not g.done:
        s = g.step
        kinds.append((s.kind, s.role))
        neutral_step(g)
        if s.kind == Kind.BOARD:
            break
    assert kinds[:2] == [(Kind.BRIEFING, CMO), (Kind.BRIEFING, CTO)]
    rest = [k for k, _ in kinds[2:]]
    assert rest[0] == Kind.NEWS and rest[-1] == Kind.BOARD
    assert rest.index(Kind.TALK) < rest.index(Kind.PROPOSE) < rest.index(Kind.RESULTS)
    assert (Kind.TALK, CMO) in kinds and (Kind.TALK, CTO) in kinds
    # Quarter 1: the CMO proposes (runner's proposer), the CTO answers.
    assert (Kind.PROPOSE, CMO) in kinds and (Kind.RESPOND, CTO) in kinds


def test_counter_offers_then_ceo_default() -> None:
    g = LiveGame(GameConfig("first-quarter", 3, WORKSHOP))
    while g.step.kind != Kind.PROPOSE:
        if g.step.is_view:
            g.acknowledge()
        elif g.step.kind == Kind.EVENT:     # the tutorial's first temptation
            g.submit(dict.fromkeys(g.event_choices(g.step.role or 0), 0))
        else:
            g.submit(Talk.none(1))
    proposers = []
    while g.step.kind in (Kind.PROPOSE, Kind.RESPOND):
        if g.step.kind == Kind.PROPOSE:
            proposers.append(g.step.role)
            plan = Plan.empty(1, g.game.n_projects)
            plan.fund[0, 0] = True
            g.submit(plan)
        else:
            g.submit(False)
    assert len(proposers) == g.rounds
    assert proposers[:2] == [CMO, CTO]   # the one who countered proposes next
    assert g.step.kind == Kind.RESULTS and bool(g.state.deadlock[0])
    assert g.state.deadlocks[0] == 1


def test_wrong_decision_is_refused() -> None:
    g = LiveGame(GameConfig("first-quarter", 3, WORKSHOP))
    with pytest.raises(StepError):
        g.submit(Talk.none(1))        # a briefing wants an acknowledgement
    g.acknowledge()
    g.acknowledge()
    assert g.step.kind == Kind.NEWS
    with pytest.raises(StepError):
        g.ai_decide()                  # no AI here


def test_human_talk_and_joint_plan_take_effect() -> None:
    seats = (Seat(name="Ana"), Seat(AI, "", "cooperative"))
    g = LiveGame(GameConfig("first-quarter", 5, SOLO, seats))
    g.acknowledge()                     # the CMO's briefing
    g.acknowledge()                     # news
    assert g.step.kind == Kind.EVENT and g.step.role == CMO   # the agency's widget
    g.submit(dict.fromkeys(g.event_choices(CMO), 0))
    assert g.step == g.step.__class__(Kind.TALK, CMO, 1)
    assert reading.talk_problems(g, CMO, ["share_intel", "one_on_one"]) == []
    assert reading.talk_problems(g, CMO, ["share_intel", "one_on_one", "promise"])
    g.submit(Talk(moves_from(["share_intel", "one_on_one"]), np.zeros(1, np.int64),
                  np.full(1, -1, np.int64), np.zeros(1, np.int64)))
    assert g.awaits_ai and g.step.kind == Kind.TALK
    g.advance_ai()
    assert bool(g.state.shared[0, CMO])
    plan = Plan.empty(1, g.game.n_projects)
    j = g.game.project_index("welcome-journey")
    plan.fund[0, j] = True
    plan.owner[0, j] = OWNER_JOINT
    assert g.step.kind == Kind.PROPOSE and g.step.role == CMO
    g.submit(plan)
    g.advance_ai()                      # the cooperative CTO accepts
    assert g.step.kind == Kind.RESULTS
    assert g.state.owner[0, j] == OWNER_JOINT and g.state.plan_fund[0, j]


def test_replay_of_the_log_is_exact_mid_quarter() -> None:
    cfg = GameConfig("digital-shift", 9, DEMO, AI_PAIR)
    g = LiveGame(cfg)
    play_ai(g, stop=37)
    assert not g.step.is_view or g.step.kind != Kind.END
    again = replay(cfg, g.log)
    assert again.step == g.step and same(again.state, g.state)
    # Both go on to the same end: the AI's memory was rebuilt by the replay.
    play_ai(g)
    play_ai(again)
    assert same(again.state, g.state)


def test_inject_event_is_logged_and_replays() -> None:
    cfg = GameConfig("digital-shift", 4, DEMO, AI_PAIR)
    g = LiveGame(cfg)
    play_ai(g, stop=5)
    brand = float(g.state.v[0, 1])
    g.inject_event("digital-rival")
    assert "digital-rival" not in g.injectable()
    assert g.log[-1]["kind"] == "inject"
    assert float(g.state.v[0, 1]) == brand
    again = replay(cfg, g.log)
    assert same(again.state, g.state)
    with pytest.raises(StepError):
        g.inject_event("no-such-event")


def test_undo_goes_back_to_the_start_of_the_last_closed_quarter() -> None:
    cfg = GameConfig("digital-shift", 4, DEMO, AI_PAIR)
    g = LiveGame(cfg)
    while g.quarter < 3 or g.step.kind != Kind.TALK:
        if g.step.is_view:
            g.acknowledge()
        else:
            g.advance_ai()
    assert g.undo_target() == 2
    back = g.undo_quarter()
    assert back.step.kind == Kind.NEWS and back.quarter == 2
    ref = LiveGame(cfg)
    while not (ref.quarter == 2 and ref.step.kind == Kind.NEWS):
        if ref.step.is_view:
            ref.acknowledge()
        else:
            ref.advance_ai()
    assert same(back.state, ref.state)


def test_timeline_and_reading_helpers() -> None:
    g = LiveGame(GameConfig("digital-shift", 2, DEMO, AI_PAIR))
    play_ai(g)
    assert g.moments and all(m.quarter >= 1 for m in g.moments)
    keys = g.timeline.key_moments()
    assert len(keys) <= 8
    res = reading.final_results(g)
    parts = reading.dividend_parts(g)
    assert abs(sum(v for _, v in parts) - float(res.growth[0])) < 1e-6
    s = reading.series(g)
    assert len(s.revenue) == g.game.quarters + 1
    assert reading.kpis(g).quarter == g.game.quarters


def test_private_reads_show_only_own_signals() -> None:
    g = LiveGame(GameConfig("digital-shift", 2, WORKSHOP))
    g.acknowledge()
    g.acknowledge()
    g.acknowledge()
    cmo = {s.name for s in reading.signals(g, CMO)}
    cto = {s.name for s in reading.signals(g, CTO)}
    assert cmo.isdisjoint(cto)
    assert "debt" in cto and "demand_trend" in cmo
    notes = reading.private_notes(g, CMO)
    assert all(n not in reading.private_notes(g, CTO) for n in notes)
