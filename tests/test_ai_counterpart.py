"""The counterpart as a player: private information stays private, games replay exactly,
the look-ahead runs in a live game, and `simulate` can field every personality."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from game.ai.counterpart import Counterpart, make_counterpart
from game.ai.personalities import BUILTIN_NAMES
from game.ai.registry import make_policy, names
from game.ai.scripted import Cooperative, Reciprocal
from game.engine.actions import Plan, Talk
from game.engine.constants import (
    CMO,
    CTO,
    V_CHANNEL,
    V_COMPETITION,
    V_DEBT,
    V_SECURITY,
    V_VENDOR,
    Phase,
)
from game.engine.driver import Need, Policy, Request, begin, play, play_quarter
from game.engine.execution import execute
from game.engine.game import Game
from game.engine.news import resolve_choices, start_quarter
from game.engine.observation import observe
from game.engine.portfolio import commit, proposer, sanitize
from game.engine.state import State
from game.engine.talk import apply_talk
from game.report.montecarlo import COLUMNS, run
from game.scenario.models import Scenario


def _decision_key(value: Any) -> bytes:
    if isinstance(value, np.ndarray):
        return value.tobytes()
    return repr(value.to_dict()).encode()


class Logged:
    """Keeps every decision an AI makes and the lines it says."""

    def __init__(self, inner: Counterpart) -> None:
        self.inner = inner
        self.name = inner.name
        self.log: list[tuple[str, int, bytes, tuple[str, ...]]] = []
        self.reasons: list[str] = []

    def decide(self, obs: Any, request: Request) -> Any:
        out = self.inner.decide(obs, request)
        self.log.append((str(request.kind), obs.quarter, _decision_key(out),
                         tuple(self.inner.said)))
        self.reasons += self.inner.reasons
        return out


def live_game(game: Game, name: str, role: int, seed: int, *, bind: bool = True,
              level: int = 2, quarters: int | None = None,
              opponent: Callable[[Game, int, int], Policy] = Reciprocal) -> tuple[Logged, State]:
    """One game (B = 1) with the AI in `role`, bound to the state so it looks ahead."""
    ai = make_counterpart(name, game, role, seed, level=level)
    logged = Logged(ai)
    pols: list[Any] = [None, None]
    pols[role] = logged
    pols[1 - role] = opponent(game, 1 - role, seed)
    state = begin(game, 1, seed + 1000)
    if bind:
        ai.bind(state)
    for _ in range(quarters or game.quarters):
        play_quarter(game, state, (pols[0], pols[1]))
    return logged, state


# -- privacy ------------------------------------------------------------------------------

def _hide_differently(game: Game, s: State, role: int, seed: int) -> State:
    """A copy of `s` that differs only in what `role` must not know."""
    rng = np.random.default_rng(seed)
    t = s.copy()
    other = 1 - role
    hidden = ~t.shared[:, other]
    t.intel[:, other] = np.where(hidden[:, None],
                                 t.intel[:, other] + rng.normal(0, 0.3, t.intel[:, other].shape),
                                 t.intel[:, other])
    cols = [V_DEBT, V_SECURITY, V_VENDOR] if role == CMO else [V_CHANNEL, V_COMPETITION]
    for c in cols:
        t.v[:, c] = np.clip(t.v[:, c] + rng.uniform(0.05, 0.2), 0.0, 1.0)
    if role == CTO:
        t.demand_next = t.demand_next + 0.15
    t.hidden_goarounds[:, other] = 3
    t.good[:, other] *= 2.0
    t.bad[:, other] *= 0.3
    t.seed = s.seed ^ 0x5A5A5A
    t.stream = s.stream + 17
    return t


def _twin(ai: Counterpart, state: State) -> Counterpart:
    """An exact copy of the AI's mind, bound to `state`."""
    bound = ai.state
    ai.state = None
    twin = copy.deepcopy(ai, memo={id(ai.game): ai.game})
    ai.state = bound
    twin.bind(state)
    return twin


def _same_decision(ai: Counterpart, s: State, role: int, kind: Need,
                   offer: Plan | None = None) -> bool:
    """Whether the decision was weighed by look-ahead; asserts it is the same either way."""
    a, b = _twin(ai, s.copy()), _twin(ai, _hide_differently(ai.game, s, role, 3))
    assert a.state is not None and b.state is not None
    req = Request(kind, role, s.quarter, int(s.round), offer=offer)
    out_a = a.decide(observe(ai.game, a.state, role), req)
    out_b = b.decide(observe(ai.game, b.state, role), req)
    assert _decision_key(out_a) == _decision_key(out_b), kind
    assert a.said == b.said and a.said, kind
    assert a.reasons == b.reasons
    return any("weighed" in r for r in a.reasons)


@pytest.mark.parametrize(("name", "role"), [("mirror", CMO), ("bypasser", CTO),
                                            ("gatekeeper", CMO), ("partner", CTO)])
def test_the_other_roles_private_information_never_changes_a_decision(
        game: Game, name: str, role: int) -> None:
    """At every step of a quarter, changing only what is private to the other role (its
    intel, the hidden variables behind it, its hidden go-arounds, its view of the AI) and
    the game's seed leaves the AI's decision and its line of dialogue identical."""
    other = 1 - role
    logged, state = live_game(game, name, role, 5, quarters=3)
    ai = logged.inner
    opp = Reciprocal(game, other, 5)
    start_quarter(game, state)
    resolve_choices(game, state)
    assert state.phase == Phase.TALK
    weighed = _same_decision(ai, state, role, Need.TALK)
    talks: list[Talk] = [Talk.none(1), Talk.none(1)]
    talks[role] = ai.decide(observe(game, state, role), Request(Need.TALK, role, state.quarter))
    talks[other] = opp.decide(observe(game, state, other),
                              Request(Need.TALK, other, state.quarter))
    apply_talk(game, state, talks[CMO], talks[CTO])
    state.round = 0
    if proposer(state) == role:
        weighed |= _same_decision(ai, state, role, Need.PROPOSE)
        plan = sanitize(game, state, ai.decide(observe(game, state, role),
                                               Request(Need.PROPOSE, role, state.quarter)))
    else:
        offer = sanitize(game, state, opp.decide(observe(game, state, other),
                                                 Request(Need.PROPOSE, other, state.quarter)))
        weighed |= _same_decision(ai, state, role, Need.RESPOND, offer)
        plan = offer
    commit(game, state, plan, np.ones(1, dtype=np.bool_))
    execute(game, state)
    weighed |= _same_decision(ai, state, role, Need.AFTERMATH)
    assert weighed     # the look-ahead ran on the belief state, not only the heuristics


def test_belief_replaces_the_seed_and_the_others_secrets(game: Game) -> None:
    from game.ai import belief

    s = begin(game, 1, 99)
    start_quarter(game, s)
    s.hidden_goarounds[:, CTO] = 4
    b = belief.build(game, s, CMO, 16, np.random.default_rng(0), suspicion=0.0)
    assert b.batch == 16 and b.seed != s.seed
    assert (b.hidden_goarounds[:, CTO] == 0).all()
    assert not np.allclose(b.intel[:, CTO], s.intel[0, CTO])    # sampled, not read
    assert np.allclose(b.intel[:, CMO], s.intel[0, CMO])        # its own readings stay


# -- determinism, look-ahead, saves ---------------------------------------------------------

def test_same_seed_same_game_and_lines(game: Game) -> None:
    """A live game with the AI looking ahead replays exactly from its seeds."""
    a, sa = live_game(game, "skeptic", CTO, 21, quarters=5)
    b, sb = live_game(game, "skeptic", CTO, 21, quarters=5)
    assert a.log == b.log
    for k, arr in sa.arrays().items():
        assert np.array_equal(arr, sb.arrays()[k]), k
    c, _ = live_game(game, "skeptic", CTO, 22, quarters=5)
    assert c.log != a.log


def test_asking_twice_gives_the_same_answer(game: Game) -> None:
    """A screen redrawn or a save replayed may ask the same question again."""
    logged, state = live_game(game, "bypasser", CMO, 6, quarters=2)
    ai = logged.inner
    start_quarter(game, state)
    resolve_choices(game, state)
    talk = Request(Need.TALK, CMO, state.quarter)
    first = ai.decide(observe(game, state, CMO), talk)
    again = ai.decide(observe(game, state, CMO), talk)
    assert _decision_key(first) == _decision_key(again)


def test_batches_are_deterministic(game: Game) -> None:
    s1 = play(game, (make_policy("bypasser", game, CMO, 4),
                     make_policy("turf-warrior", game, CTO, 4)), 64, 4)
    s2 = play(game, (make_policy("bypasser", game, CMO, 4),
                     make_policy("turf-warrior", game, CTO, 4)), 64, 4)
    assert np.array_equal(s1.revenue, s2.revenue) and np.array_equal(s1.trust, s2.trust)


def test_it_looks_ahead_only_when_it_can_see_the_live_game(game: Game) -> None:
    bound, _ = live_game(game, "mirror", CMO, 8, quarters=2)
    free, _ = live_game(game, "mirror", CMO, 8, quarters=2, bind=False)
    assert any("weighed" in r for r in bound.reasons)
    assert not any("weighed" in r for r in free.reasons)
    assert all(said for method, _, _, said in free.log if method != "event")


def test_a_restored_counterpart_carries_on_exactly(game: Game) -> None:
    """snapshot() after four quarters, restore() into a fresh AI: the rest of the game and
    every line match the original's."""
    ai = make_counterpart("mirror", game, CTO, 13)
    opp = Cooperative(game, CMO, 13)
    state = begin(game, 1, 77)
    ai.bind(state)
    for _ in range(4):
        play_quarter(game, state, (opp, ai))
    twin = make_counterpart("mirror", game, CTO, 13)
    twin.restore(copy.deepcopy(ai.snapshot()))
    other = state.copy()
    twin.bind(other)
    la, lb = Logged(ai), Logged(twin)
    for _ in range(4):
        play_quarter(game, state, (opp, la))
        play_quarter(game, other, (opp, lb))
    assert la.log == lb.log and la.log


# -- dialogue -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_every_decision_comes_with_a_concrete_line(game: Game, name: str) -> None:
    """Each talk, proposal, answer and aftermath in a live game says at least one line; every
    line names a project, an event or a number (a quarter, an amount, a share), has no
    unfilled placeholder, and lines vary (at least 70% distinct over the game)."""
    titles = [p.title for p in game.scenario.projects] + [e.title for e in game.scenario.events]
    lines: list[str] = []
    for role in (CMO, CTO):
        logged, _ = live_game(game, name, role, 31, bind=False)
        for method, _, _, said in logged.log:
            if method != "event":
                assert said, (method, name)
            lines += said
    for line in lines:
        assert "{" not in line and "}" not in line, line
        assert any(ch.isdigit() for ch in line) or any(t in line for t in titles), line
    assert len(set(lines)) >= 0.7 * len(lines)


def test_lines_name_the_project_they_are_about(game: Game) -> None:
    """When the AI proposes joint ownership, the line names one of the joint projects."""
    ai = make_counterpart("partner", game, CMO, 3)
    state = begin(game, 1, 3)
    start_quarter(game, state)
    resolve_choices(game, state)
    apply_talk(game, state, Talk.none(1), Talk.none(1))
    plan: Plan = ai.decide(observe(game, state, CMO), Request(Need.PROPOSE, CMO, state.quarter))
    joint = [game.scenario.projects[j].title for j in np.flatnonzero(plan.owner[0] == 2)
             if plan.fund[0, j]]
    assert joint and any(t in ai.said[0] for t in joint)


def test_scenario_lines_are_spoken(scenario: Scenario) -> None:
    from game.ai.dialogue import Lines
    from game.engine.game import compile_game

    extra = "We own {project} or we own nothing, as of {quarter}."
    sc = scenario.model_copy(update={"ai": scenario.ai.model_copy(update={
        "lines": {"propose_joint": [extra], "partner.accept": ["Partner says yes to {share}."]}})})
    lines = Lines("partner", sc)
    assert extra in lines.table["propose_joint"]
    assert "Partner says yes to {share}." in lines.table["accept"]
    g = compile_game(sc)
    spoken: list[str] = []
    for seed in range(4):
        logged, _ = live_game(g, "partner", CMO, seed, bind=False, quarters=6)
        spoken += [line for *_, said in logged.log for line in said]
    assert any(line.startswith("We own ") and line.endswith(" or we own nothing, as of Q"
                                                            + line.rsplit("Q", 1)[-1])
               for line in spoken)


def test_line_templates_are_valid() -> None:
    from game.ai.dialogue import PLACEHOLDERS, SITUATIONS, builtin_lines, placeholders
    from game.scenario.lines import line_problems
    from game.scenario.loader import BUILTIN_PERSONALITIES

    concrete = PLACEHOLDERS - {"other_role", "my_role", "grievance", "credit"}
    flat = {}
    for voice, table in builtin_lines().items():
        for situation, templates in table.items():
            assert situation in SITUATIONS, (voice, situation)
            for t in templates:
                assert placeholders(t) & concrete, (voice, situation, t)
            flat[situation if voice == "default" else f"{voice}.{situation}"] = templates
    assert set(builtin_lines()) - {"default"} == set(BUILTIN_PERSONALITIES)
    assert line_problems(flat, BUILTIN_PERSONALITIES) == []
    for situation in SITUATIONS:
        assert builtin_lines()["default"].get(situation), situation


# -- as policies ----------------------------------------------------------------------------

def test_every_personality_is_a_registered_policy(game: Game) -> None:
    for name in BUILTIN_NAMES:
        assert name in names()
        pol = make_policy(name, game, CTO, 1)
        assert isinstance(pol, Counterpart) and pol.level.number == 2
        assert pol.said == [] and pol.personality.title


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_simulate_fields_each_personality(scenario: Scenario, name: str) -> None:
    data = run(scenario, name, "mirror", 200, 1, workers=1)
    assert data.shape == (len(COLUMNS), 200)
    assert np.isfinite(data).all()
    again = run(scenario, "mirror", name, 200, 1, workers=1)
    assert np.isfinite(again).all()


def test_the_ai_decides_on_the_trust_the_players_see(game: Game) -> None:
    """One trust model (issue 9): every personality's trust in the other, at every decision
    of a game, is the engine's meter on the dashboard (obs.trust[:, role]), not a private
    one."""
    checked = []

    class Check:
        def __init__(self, inner: Counterpart) -> None:
            self.inner = inner
            self.name = inner.name

        def decide(self, obs: Any, request: Request) -> Any:
            out = self.inner.decide(obs, request)
            assert np.array_equal(self.inner.trust, obs.trust[:, obs.role])
            checked.append(request.kind)
            return out

    for name in BUILTIN_NAMES:
        play(game, (Check(Counterpart(game, CMO, 5, name=name, lookahead=False)),
                    Check(Counterpart(game, CTO, 6, name=name, lookahead=False))), 64, 9,
             quarters=3)
    assert Need.TALK in checked and Need.PROPOSE in checked
