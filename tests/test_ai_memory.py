"""The AI's memory is data: one `Mind`, copied, taken by rows and saved field by field, and
dialogue that reads it and returns what is said instead of writing into the AI."""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from game.ai import dialogue
from game.ai.counterpart import Counterpart, make_counterpart
from game.ai.memory import Batched, Event, Memory, Mind
from game.ai.scripted import Reciprocal
from game.engine.constants import CMO, CTO
from game.engine.driver import Need, Request, begin, play, play_quarter
from game.engine.game import Game
from game.engine.news import resolve_choices, start_quarter
from game.engine.observation import observe

ROOT = Path(__file__).resolve().parents[1]


def _live_ai(game: Game, quarters: int = 4) -> Counterpart:
    """A counterpart (CTO) that has played `quarters` quarters of one game, bound to it."""
    ai = make_counterpart("mirror", game, CTO, 13, level=1)
    opp = Reciprocal(game, CMO, 13)
    state = begin(game, 1, 77)
    ai.bind(state)
    for _ in range(quarters):
        play_quarter(game, state, (opp, ai))
    return ai


def test_a_mind_survives_json_with_every_dtype(game: Game) -> None:
    ai = _live_ai(game)
    mind = ai.mind
    assert mind.memory.events and mind.recent     # a live game remembers and speaks
    back = Mind.from_dict(json.loads(json.dumps(ai.snapshot())))
    assert back.to_dict() == mind.to_dict()
    for f in fields(Mind):
        a, b = getattr(mind, f.name), getattr(back, f.name)
        if isinstance(a, np.ndarray):
            assert b.dtype == a.dtype and np.array_equal(a, b), f.name
    assert back.memory.events == mind.memory.events
    assert all(isinstance(e, Event) for e in back.memory.events)
    assert all(isinstance(item, tuple) for item in back.news)


def test_rows_and_copies_go_field_by_field(game: Game) -> None:
    ai = Counterpart(game, CMO, 4, name="bypasser", lookahead=False)
    play(game, (ai, Reciprocal(game, CTO, 4)), 8, 4, quarters=3)
    mind = ai.mind
    rows = mind.take([5, 5, 2])
    assert rows.memory.batch == 3 and rows.quarter == mind.quarter
    assert np.array_equal(rows.tau, mind.tau[[5, 5, 2]])
    assert np.array_equal(rows.memory.tally, mind.memory.tally[[5, 5, 2]])
    assert rows.acts.dtype == np.bool_ and rows.own_counts.dtype == np.int64
    twin = mind.copy()
    twin.tau[:] = -1.0
    twin.memory.tally[:] = -1.0
    twin.news.append(("keep_promise", 0))
    assert (mind.tau >= 0).all() and (mind.memory.tally >= 0).all() and not mind.news


@dataclass
class Toy(Batched):
    """A dataclass that only declares its fields: the base does the rest."""

    level: NDArray[np.float32]
    memory: Memory
    turn: int = 0
    said: list[tuple[str, int]] = field(default_factory=list)


def test_a_new_field_needs_no_edit_elsewhere() -> None:
    toy = Toy(np.arange(4, dtype=np.float32), Memory.empty(4, CTO), 3, [("hello", 1)])
    part = toy.take([3, 0])
    assert part.level.tolist() == [3.0, 0.0] and part.memory.batch == 2 and part.turn == 3
    back = Toy.from_dict(json.loads(json.dumps(toy.to_dict())))
    assert back.level.dtype == np.float32 and back.said == [("hello", 1)]
    assert back.memory.counters.dtype == np.int64 and back.memory.batch == 4


def test_dialogue_reads_the_mind_and_returns_what_is_said(game: Game) -> None:
    """Explaining a decision leaves the mind as it was; the counterpart keeps the result."""
    ai = _live_ai(game, 3)
    state = ai.state
    assert state is not None
    start_quarter(game, state)
    resolve_choices(game, state)
    talk = ai.decide(observe(game, state, CTO), Request(Need.TALK, CTO, state.quarter))
    before = ai.mind.to_dict()
    obs = observe(game, state, CTO)
    said = [dialogue.explain_talk(ai.speaker, ai.mind, obs, talk, np.random.default_rng(1))
            for _ in range(2)]
    assert ai.mind.to_dict() == before
    assert said[0] == said[1] and said[0].lines and len(said[0].reasons) == 1
    assert said[0].told_news
    assert max(said[0].recent.count(t) for t in said[0].recent) <= dialogue.CAP


def test_dialogue_does_not_know_the_counterpart() -> None:
    tree = ast.parse((ROOT / "game" / "ai" / "dialogue.py").read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert "game.ai.counterpart" not in imported
