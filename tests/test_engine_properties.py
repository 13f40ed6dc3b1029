"""Property tests of the batched rules engine, driven by hypothesis-generated players.

`DataPolicy` plays whatever a seeded generator says: legal moves and nonsense alike
(moves it cannot afford, promises to projects that do not exist, plans far over
budget, owners out of range, campaign shares outside [0, 1], NaN and infinities,
response codes out of range). The engine must sanitise all of it and never crash,
and whatever happens the state must stay consistent: the budget is conserved,
every value stays in its range, games replay bit for bit, copies and saves are
independent and exact, and the trust dividend adds up to the growth.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.ai.scripted import SCRIPTED
from game.engine import aftermath, board, execution, news, portfolio, talk
from game.engine.actions import Aftermath, Plan, Talk
from game.engine.constants import (
    CMO,
    CTO,
    N_INCIDENTS,
    N_MOVES,
    Phase,
)
from game.engine.driver import ByKind, Driver, Need, Request, begin, play, play_quarter
from game.engine.game import Game
from game.engine.observation import Observation, observe
from game.engine.results import results
from game.engine.state import State
from tests.invariants import check_budget, check_ranges

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

seeds = st.integers(min_value=0, max_value=2**32 - 1)
batches = st.integers(min_value=1, max_value=48)  # B = 1 is a live game
# Either role may be the hypothesis-driven player or a scripted one.
partners = st.sampled_from(["data", "data", "random", "cooperative", "selfish", "reciprocal"])
# digital-shift as shipped, and variants that push the rules to their edges.
VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {
    "tiny-budget": ("budget", {"share_of_revenue": 0.01, "minimum": 0.0,
                               "negotiation_rounds": 1}),
    "harsh-board": ("board", {"review_every": 1, "threshold": 0.7, "noise": 0.3}),
    "noisy-trust": ("relationship", {"misread": 0.5, "asymmetry": 10.0, "memory": 0.0,
                                     "deception_ceiling_drop": 1.0}),
    "wild-market": ("market", {"demand_noise": 1.0, "outage_rate": 1.0, "breach_rate": 1.0,
                               "friction": 1.0, "churn": 1.0, "elasticity": 1.0}),
}
scenarios = st.sampled_from(["default", "default", *VARIANTS])


def pick_game(game: Game, variant: Callable[..., Game], name: str) -> Game:
    if name == "default":
        return game
    section, changes = VARIANTS[name]
    return variant(section, **changes)


class DataPolicy(ByKind):
    """A player whose every choice comes from a seeded generator, legal or not."""

    name = "data"

    def __init__(self, game: Game, role: int, seed: int) -> None:
        self.game = game
        self.role = role
        self.rng = np.random.default_rng([seed, role])
        self.p = game.n_projects

    def _events(self, obs: Observation) -> np.ndarray:
        return self.rng.integers(-3, 6, size=obs.pending_choice.shape)

    def _talk(self, obs: Observation) -> Talk:
        b = obs.batch
        density = self.rng.uniform(0.0, 1.0)
        moves = self.rng.random((b, N_MOVES)) < density
        kind = self.rng.integers(-1, 4, size=b)  # none, fund, deliver, and two unknown kinds
        project = self.rng.integers(-3, self.p + 3, size=b)
        due = self.rng.integers(-5, 20, size=b)
        return Talk(moves, kind.astype(np.int64), project.astype(np.int64),
                    due.astype(np.int64))

    def _share(self, b: int) -> np.ndarray:
        share = self.rng.uniform(-0.5, 1.5, size=b)
        odd = self.rng.random(b)
        share = np.where(odd < 0.1, np.nan, share)
        share = np.where((odd >= 0.1) & (odd < 0.15), np.inf, share)
        share = np.where((odd >= 0.15) & (odd < 0.2), -np.inf, share)
        share = np.where((odd >= 0.2) & (odd < 0.3), self.rng.integers(0, 2, size=b), share)
        return share

    def _propose(self, obs: Observation, last: Plan | None) -> Plan:
        b = obs.batch
        density = self.rng.uniform(0.0, 1.0)
        fund = self.rng.random((b, self.p)) < density   # often unaffordable or unavailable
        owner = self.rng.integers(-2, 6, size=(b, self.p))
        return Plan(fund, owner.astype(np.int64), self._share(b))

    def _respond(self, obs: Observation, plan: Plan) -> np.ndarray:
        result: np.ndarray = self.rng.random(obs.batch) < self.rng.uniform(0.0, 1.0)
        return result

    def _aftermath(self, obs: Observation) -> Aftermath:
        b = obs.batch
        return Aftermath(self.rng.integers(-3, 8, size=(b, self.p)).astype(np.int64),
                         self.rng.integers(-3, 8, size=(b, N_INCIDENTS)).astype(np.int64))


def make_policies(game: Game, kinds: tuple[str, str], seed: int) -> tuple[Any, Any]:
    out = []
    for role, kind in zip((CMO, CTO), kinds, strict=True):
        out.append(DataPolicy(game, role, seed) if kind == "data"
                   else SCRIPTED[kind](game, role, seed))
    return out[0], out[1]


AFTER = {"news": "news", "choices": "choices", "talk": "talk", "budget": "commit",
         "execution": "execute", "aftermath": "aftermath", "board": "board"}


def step_quarter(game: Game, state: State, policies: tuple[Any, Any],
                 after: Callable[[str], None], raw: bool = False) -> None:
    """One quarter through the driver, calling `after` once each automatic phase is done.

    With `raw`, the negotiation is skipped: the proposer's plan goes to `commit` as it
    came, unsanitised, with the responder's answer as the agreement.
    """
    driver = Driver(game, state, listener=lambda name, _b, _a: after(AFTER[name]))
    start = True
    while (req := driver.request(start)) is not None:
        start = False
        assert req.role is not None
        if raw and req.kind == Need.PROPOSE:
            who = req.role
            plan = policies[who].decide(observe(game, state, who), req)
            answer = Request(Need.RESPOND, 1 - who, req.quarter, offer=plan)
            agreed = policies[1 - who].decide(observe(game, state, 1 - who), answer)
            portfolio.commit(game, state, plan, agreed)
            after("commit")
            continue
        driver.apply(policies[req.role].decide(observe(game, state, req.role), req))


def assert_same(a: State, b: State) -> None:
    for key in ("seed", "stream", "quarter", "phase", "round"):
        assert getattr(a, key) == getattr(b, key), key
    arrays_b = b.arrays()
    for name, arr in a.arrays().items():
        other = arrays_b[name]
        assert arr.dtype == other.dtype, name
        assert arr.shape == other.shape, name
        assert np.array_equal(arr, other), f"{name} differs"


def play_quarters(game: Game, state: State, policies: tuple[Any, Any], n: int) -> None:
    for _ in range(n):
        if state.done:
            break
        play_quarter(game, state, policies)


# --- properties --------------------------------------------------------------------------

@SETTINGS
@given(seed=seeds, pseed=seeds, batch=batches, kinds=st.tuples(partners, partners),
       which=scenarios, raw=st.booleans())
def test_budget_conserved_and_values_in_range(game: Game, variant: Callable[..., Game],
                                              seed: int, pseed: int, batch: int,
                                              kinds: tuple[str, str], which: str,
                                              raw: bool) -> None:
    """Properties 1 and 2. After every budget commit, for every game, the ledger lines sum
    to the grant (atol 1e-9) and none is negative; the whole-game ledger is the sum of
    the quarters'. After every phase every value is in range and finite. Also with plans
    committed raw (no negotiation, no sanitising) and in extreme scenario variants."""
    game = pick_game(game, variant, which)
    policies = make_policies(game, kinds, pseed)
    state = begin(game, batch, seed)
    check_ranges(game, state, "begin")
    total = np.zeros_like(state.ledger_total)
    while not state.done:
        q = state.quarter + 1

        def after(phase: str, q: int = q) -> None:
            where = f"Q{q} {phase}"
            check_ranges(game, state, where, quarter_end=phase == "board")
            if phase in ("commit", "execute", "aftermath", "board"):
                check_budget(state, where)

        step_quarter(game, state, policies, after, raw=raw)
        total += state.ledger
        assert np.allclose(state.ledger_total, total, rtol=0.0, atol=1e-9)
    assert state.quarter == game.quarters
    assert state.phase == Phase.END


@SETTINGS
@given(seed=seeds, pseed=seeds, batch=batches, kinds=st.tuples(partners, partners),
       which=scenarios)
def test_deterministic_replay(game: Game, variant: Callable[..., Game], seed: int, pseed: int,
                              batch: int, kinds: tuple[str, str], which: str) -> None:
    """Property 3. The same scenario, seed and policy seeds give bit-identical states."""
    game = pick_game(game, variant, which)
    runs = []
    for _ in range(2):
        runs.append(play(game, make_policies(game, kinds, pseed), batch, seed))
    assert_same(runs[0], runs[1])


@SETTINGS
@given(seed=seeds, delta=st.integers(min_value=1, max_value=2**20), pseed=seeds,
       kinds=st.tuples(partners, partners))
def test_different_seeds_give_different_games(game: Game, seed: int, delta: int, pseed: int,
                                              kinds: tuple[str, str]) -> None:
    """Property 4. Two game seeds, same players: the revenue paths differ (B = 32)."""
    a = play(game, make_policies(game, kinds, pseed), 32, seed)
    b = play(game, make_policies(game, kinds, pseed), 32, seed + delta)
    assert not np.array_equal(a.revenue, b.revenue)
    assert not np.array_equal(a.hist_revenue, b.hist_revenue)


@SETTINGS
@given(seed=seeds, pseed=seeds, batch=st.integers(2, 48), played=st.integers(0, 8),
       kinds=st.tuples(partners, partners))
def test_copy_and_take_are_independent(game: Game, seed: int, pseed: int, batch: int,
                                       played: int, kinds: tuple[str, str]) -> None:
    """Property 5. Playing a quarter on `state.copy()` leaves the original untouched and
    vice versa; `take([0, 0, 1])` is a batch of 3 whose rows equal the source rows."""
    state = begin(game, batch, seed)
    play_quarters(game, state, make_policies(game, kinds, pseed), played)
    reference = state.copy()
    assert_same(state, reference)
    for name, arr in state.arrays().items():
        assert not np.shares_memory(arr, getattr(reference, name)), name

    copy = state.copy()
    play_quarters(game, copy, make_policies(game, kinds, pseed + 1), 1)
    assert_same(state, reference)

    other = state.copy()
    play_quarters(game, state, make_policies(game, kinds, pseed + 2), 1)
    assert_same(other, reference)

    taken = reference.take([0, 0, 1])
    assert taken.batch == 3
    for key in ("seed", "stream", "quarter", "phase", "round"):
        assert getattr(taken, key) == getattr(reference, key)
    for name, arr in reference.arrays().items():
        got = getattr(taken, name)
        assert got.shape == (3, *arr.shape[1:]), name
        assert np.array_equal(got[0], arr[0]) and np.array_equal(got[1], arr[0]), name
        assert np.array_equal(got[2], arr[1]), name
        assert not np.shares_memory(got, arr), name
    play_quarters(game, taken, make_policies(game, kinds, pseed), 1)
    copy_of_ref = reference.copy()
    assert_same(copy_of_ref, reference)


@SETTINGS
@given(seed=seeds, pseed=seeds, batch=batches, played=st.integers(0, 11),
       kinds=st.tuples(partners, partners))
def test_save_round_trip(game: Game, seed: int, pseed: int, batch: int, played: int,
                         kinds: tuple[str, str]) -> None:
    """Property 6. `State.from_dict(json.loads(json.dumps(state.to_dict())))` equals the
    state array for array, and both continue identically for a quarter."""
    state = begin(game, batch, seed)
    play_quarters(game, state, make_policies(game, kinds, pseed), played)
    loaded = State.from_dict(json.loads(json.dumps(state.to_dict())))
    assert_same(state, loaded)
    play_quarters(game, state, make_policies(game, kinds, pseed + 7), 1)
    play_quarters(game, loaded, make_policies(game, kinds, pseed + 7), 1)
    assert_same(state, loaded)


@SETTINGS
@given(seed=seeds, pseed=seeds, batch=batches, kinds=st.tuples(partners, partners),
       which=scenarios)
def test_trust_dividend_adds_up(game: Game, variant: Callable[..., Game], seed: int,
                                pseed: int, batch: int, kinds: tuple[str, str],
                                which: str) -> None:
    """Property 7. The trust-dividend decomposition has no remainder: its parts sum to
    the revenue growth of every game (rtol 1e-6, atol 1e-9)."""
    game = pick_game(game, variant, which)
    state = play(game, make_policies(game, kinds, pseed), batch, seed)
    res = results(game, state)
    np.testing.assert_allclose(res.dividend.sum(axis=1), res.growth, rtol=1e-6, atol=1e-9)
    assert np.isfinite(res.dividend).all()
    assert np.isfinite(res.martech_roi).all()


# --- phase order ---------------------------------------------------------------------------

def _phase_calls(game: Game) -> dict[str, Callable[[State], None]]:
    def talk_none(s: State) -> None:
        talk.apply_talk(game, s, Talk.none(s.batch), Talk.none(s.batch))

    def commit_empty(s: State) -> None:
        portfolio.commit(game, s, Plan.empty(s.batch, game.n_projects),
                         np.ones(s.batch, dtype=np.bool_))

    def after_default(s: State) -> None:
        d = Aftermath.default(s.batch, game.n_projects)
        aftermath.apply_aftermath(game, s, d, d)

    return {
        "start_quarter": lambda s: news.start_quarter(game, s),
        "resolve_choices": lambda s: news.resolve_choices(game, s, None),
        "apply_talk": talk_none,
        "commit": commit_empty,
        "execute": lambda s: execution.execute(game, s),
        "apply_aftermath": after_default,
        "close_quarter": lambda s: board.close_quarter(game, s),
    }


ORDER = ("start_quarter", "resolve_choices", "apply_talk", "commit", "execute",
         "apply_aftermath", "close_quarter")
# Formerly accepted out of order (start_quarter straight after the aftermath, a second
# close_quarter); the CLOSED phase now refuses both, and the property covers them again.
KNOWN_HOLES: set[tuple[str, str]] = set()


@settings(max_examples=25, deadline=None)
@given(seed=seeds, played=st.integers(0, 11), stop=st.integers(0, len(ORDER) - 1),
       wrong=st.sampled_from(ORDER))
def test_phase_order_enforced(game: Game, seed: int, played: int, stop: int,
                              wrong: str) -> None:
    """Property 8. A phase function called out of turn raises AssertionError and leaves
    the state unchanged; the right one is accepted."""
    calls = _phase_calls(game)
    state = begin(game, 4, seed)
    pols = make_policies(game, ("random", "random"), seed)
    play_quarters(game, state, pols, played)
    # Run the quarter up to and including phase `stop` (a fresh game: nothing run yet).
    last = None
    if played < game.quarters:
        for name in ORDER[: stop + 1]:
            calls[name](state)
            last = name
    if last is None:
        expected = "start_quarter" if not state.done else None
    else:
        idx = ORDER.index(last)
        expected = ORDER[(idx + 1) % len(ORDER)]
        if state.done:
            expected = None
    if wrong == expected or ((last, wrong) in KNOWN_HOLES and not state.done):
        return
    before = state.copy()
    with pytest.raises(AssertionError):
        calls[wrong](state)
    assert_same(state, before)


def test_full_quarter_in_order_is_accepted(game: Game) -> None:
    """Property 8, the positive side: the phases in order run a whole game to END, and
    nothing is accepted after the end."""
    calls = _phase_calls(game)
    state = begin(game, 4, 3)
    for _ in range(game.quarters):
        for name in ORDER:
            calls[name](state)
    assert state.done
    for name in ORDER:
        with pytest.raises(AssertionError):
            calls[name](state)


def test_execute_before_commit_raises(game: Game) -> None:
    """Property 8, the brief's example: execution before the budget commit."""
    state = begin(game, 4, 5)
    news.start_quarter(game, state)
    news.resolve_choices(game, state)
    talk.apply_talk(game, state, Talk.none(4), Talk.none(4))
    with pytest.raises(AssertionError):
        execution.execute(game, state)
