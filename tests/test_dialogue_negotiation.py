"""The counterpart as a colleague: a negotiation that reads as one (an accept is never a
counter, every rejection has its reason and what would unlock a deal), words at the
results and the board, and no line template said more than twice in a game, over every
shipped scenario and every personality (seeded Monte Carlo over live games)."""

from __future__ import annotations

import collections
import re

import numpy as np
import pytest

from game.ai.counterpart import Counterpart
from game.ai.dialogue import CAP, Lines, same_plan
from game.ai.personalities import BUILTIN_NAMES
from game.engine.constants import CTO
from game.scenario.catalog import scenario_paths
from game.session import reading
from game.session.live import SOLO, GameConfig, LiveGame
from game.session.seats import AI, Seat
from game.session.steps import Kind

SCENARIOS = [p.stem for p in scenario_paths()]
SEEDS = (0, 1)


def _game(scenario: str, personality: str, seed: int) -> LiveGame:
    """The personality as CTO (quick look-ahead) against a scripted CMO, who never speaks:
    every line in the game is the counterpart's."""
    seats = (Seat(AI, "CMO", "reciprocal"), Seat(AI, "CTO", personality, 1))
    return LiveGame(GameConfig(scenario, seed, SOLO, seats))


def _concrete(unlock: str, titles: list[str]) -> list[str]:
    """What an unlock phrase names: project titles, percentages, amounts."""
    named = [t for t in titles if t in unlock]
    return named + re.findall(r"\d+%|\$[\d.]+[kM]", unlock)


@pytest.mark.parametrize("personality", BUILTIN_NAMES)
def test_negotiation_reads_as_one_and_no_template_is_said_thrice(personality: str) -> None:
    rejections = accepts_as_counters = counters = reacted = 0
    for scenario in SCENARIOS:
        for seed in SEEDS:
            g = _game(scenario, personality, seed)
            ai = g.policies[CTO]
            assert isinstance(ai, Counterpart)
            titles = [p.title for p in g.scenario.projects]
            lines = ai.speaker.lines
            while not g.done:
                s = g.step
                if s.is_view:
                    if s.kind in (Kind.RESULTS, Kind.BOARD) and g.said[CTO]:
                        reacted += 1
                    g.acknowledge()
                    continue
                if s.role != CTO:
                    g.advance_ai()
                    continue
                before = len(ai.mind.recent)
                decision = g.ai_decide()
                picked = ai.mind.recent[before:]
                if s.kind == Kind.RESPOND and decision is False:
                    rejections += 1
                    unlock = g.sticking.get(CTO, "")
                    assert g.said[CTO] and unlock, (scenario, seed, g.quarter, g.said[CTO])
                    spoken = " ".join(g.said[CTO])
                    assert any(x in spoken for x in _concrete(unlock, titles)), (spoken, unlock)
                if s.kind == Kind.PROPOSE and g.last_proposal is not None:
                    counters += 1
                    if g.repeats_last(decision):   # type: ignore[arg-type]
                        accepts_as_counters += 1
                        said_as = set(lines.table["concede"]) | set(lines.table["accept"])
                        assert said_as & set(picked), (g.said[CTO], picked)
                        assert not set(lines.table["counter"]) & set(picked)
                g.submit(decision)
                if s.kind == Kind.PROPOSE and g.proposal is not None and g.last_proposal:
                    changes = reading.plan_changes(g.proposal, g.last_proposal)
                    assert changes.none == g.accepts_as_counter
            used = collections.Counter(ai.mind.recent)
            worst = max(used.values(), default=0)
            assert worst <= CAP, (scenario, seed, used.most_common(3))
    assert rejections > 0 and counters > 0 and reacted > 0
    if personality == "turf-warrior":
        own = Lines("turf-warrior").table["own_failure"]
        assert not any("on me" in t or "sit down" in t for t in own)


def test_an_accept_made_as_a_counter_is_sealed_as_a_deal() -> None:
    """Where the AI's 'counter' is the plan it was offered, the plan on the table is the
    one turned down, unchanged, and accepting it agrees the budget (found by search over
    seeds, since which games concede depends on the luck)."""
    for seed in range(40):
        g = _game("digital-shift", "bypasser", seed)
        while not g.done and not g.accepts_as_counter:
            if g.step.is_view:
                g.acknowledge()
            else:
                g.advance_ai()
        if g.done:
            continue
        offer, last = g.proposal, g.last_proposal
        assert offer is not None and last is not None and same_plan(offer, last)
        q = g.quarter
        g.submit(True)
        deals = [m for m in g.timeline.quarter(q) if m.kind == "deal"]
        assert deals and np.array_equal(g.state.plan_fund[0], offer.fund[0])
        return
    pytest.fail("no game in 40 seeds had an identical counter")


def test_the_board_hears_every_answer_and_the_ai_answers_it() -> None:
    """A denial and a broken promise's answer reach the story (what the board heard), and
    the AI names what the other said at the board."""
    kinds: collections.Counter[str] = collections.Counter()
    named = 0
    for seed in range(6):
        g = _game("short-tenure", "bypasser", seed)
        while not g.done:
            if g.step.kind == Kind.BOARD:
                given = g.answers_given(1 - CTO)
                words = " ".join(g.said[CTO])
                titles = [g.scenario.projects[j].title for j in given.values() if j >= 0]
                if titles and any(t in words for t in titles):
                    named += 1
            if g.step.is_view:
                g.acknowledge()
            else:
                g.advance_ai()
        for m in g.moments:
            if m.kind == "aftermath":
                kinds[m.text.split(" ", 2)[1]] += 1
    assert kinds["denied"] > 0 and kinds["blamed"] > 0 and kinds["owned"] > 0, kinds
    assert named > 0


def test_a_rejection_in_the_last_round_says_why_before_the_ceo_steps_in() -> None:
    """A CMO who turns down every counter takes talks to the last round: the AI's no there
    comes with its reason and what would have unlocked the deal, and the deadlock that
    follows is in what the board heard."""
    last = 0
    for personality in ("gatekeeper", "turf-warrior", "skeptic"):
        g = _game("digital-shift", personality, 3)
        refused: list[int] = []
        while not g.done and g.quarter <= 6:
            s = g.step
            if s.is_view:
                g.acknowledge()
            elif s.role != CTO and s.kind == Kind.RESPOND:
                g.submit(False)
            elif s.role == CTO and s.kind == Kind.RESPOND and g.last_round:
                decision = g.ai_decide()
                if decision is False:
                    last += 1
                    refused.append(g.quarter)
                    unlock = g.sticking.get(CTO, "")
                    spoken = " ".join(g.said[CTO])
                    assert unlock and spoken, (personality, g.quarter)
                    titles = [p.title for p in g.scenario.projects]
                    assert any(x in spoken for x in _concrete(unlock, titles)), spoken
                g.submit(decision)
            else:
                g.advance_ai()
        for q in refused:   # the board's list shows the deadlock that followed
            assert any(m.kind == "deadlock" for m in g.timeline.quarter(q)), q
    assert last > 0


def test_a_game_loaded_between_talk_and_the_budget_still_answers_the_talk() -> None:
    """The AI answers the other's talk moves at its next word; a replay stopped in between
    (a save, Continue) keeps that answer, and what it said at a view comes back too."""
    from game.session.live import replay

    checked = 0
    for seed in range(6):
        g = LiveGame(GameConfig("digital-shift", seed, SOLO,
                                (Seat(AI, "CMO", "cooperative"), Seat(AI, "CTO", "partner", 1))))
        while not g.done and checked < 2:
            s = g.step
            after_talk = (s.kind in (Kind.PROPOSE, Kind.RESPOND) and s.round == 0
                          and g.heard.get(CTO))
            if after_talk and s.role == CTO:
                copy = replay(g.config, [dict(e) for e in g.log], g.scenario)
                ours, theirs = g.ai_decide(), copy.ai_decide()
                assert g.said[CTO] == copy.said[CTO]
                if isinstance(ours, bool):
                    assert ours == theirs
                else:
                    assert same_plan(ours, theirs)  # type: ignore[arg-type]
                checked += 1
                g.submit(ours)
                continue
            if s.is_view:
                g.acknowledge()
            else:
                g.advance_ai()
        if checked >= 2:
            break
    assert checked >= 2
    loaded = replay(g.config, [dict(e) for e in g.log], g.scenario)
    assert loaded.said == g.said
