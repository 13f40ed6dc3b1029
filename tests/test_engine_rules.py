"""Focused, deterministic tests of single rules of the engine (DESIGN.md section 2)."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest

from game.ai.scripted import SCRIPTED, Cooperative
from game.engine import aftermath, board, execution, news, portfolio, talk, trust
from game.engine.actions import Aftermath, Plan, Talk, moves_from
from game.engine.constants import (
    BOARD_COLUMNS,
    BROKEN_PROMISE,
    CHALLENGED,
    CMO,
    CTO,
    FAILED,
    GOAROUND_FOUND,
    INTEGRITY,
    L_CAMPAIGNS,
    L_OPERATIONS,
    L_PROJECTS,
    L_SHADOW,
    OWNER_CTO,
    PROMISE,
    PROMISE_DELIVER,
    PROMISE_FUND,
    PROMISE_NONE,
    ROLES,
    RUNNING,
    SIGNALS,
    SUCCESS,
    V_BOARD_CMO,
    Phase,
)
from game.engine.driver import Driver, begin, play_quarter
from game.engine.game import Game
from game.engine.observation import Observation, observe
from game.engine.results import results
from game.engine.state import State
from game.scenario.expressions import parse_condition

# Project indices in digital-shift.
CLOUD = "cloud-migration"        # technology, 3 quarters
SECURITY = "security-hardening"  # technology, 1 quarter
ANALYTICS = "lead-analytics"     # gray, 2 quarters


def pid(game: Game, name: str) -> int:
    return game.project_ids.index(name)


def to_talk(game: Game, batch: int, seed: int) -> State:
    """A fresh batch in the talk phase of quarter 1."""
    state = begin(game, batch, seed)
    news.start_quarter(game, state)
    news.resolve_choices(game, state)
    return state


def next_talk(game: Game, state: State) -> None:
    """From the end of the budget phase, a quiet rest of the quarter, then the next talk."""
    if state.phase == Phase.BUDGET:
        portfolio.commit(game, state, Plan.empty(state.batch, game.n_projects),
                         np.ones(state.batch, dtype=np.bool_))
    if state.phase == Phase.EXECUTION:
        execution.execute(game, state)
    d = Aftermath.default(state.batch, game.n_projects)
    aftermath.apply_aftermath(game, state, d, d)
    board.close_quarter(game, state)
    news.start_quarter(game, state)
    news.resolve_choices(game, state)


def talk_with(batch: int, names: list[str], kind: int = PROMISE_NONE, project: int = -1,
              due: int = 0) -> Talk:
    return Talk(moves_from(names, batch), np.full(batch, kind, dtype=np.int64),
                np.full(batch, project, dtype=np.int64), np.full(batch, due, dtype=np.int64))


def fund(game: Game, batch: int, names: list[str], owner: int, share: float = 0.5) -> Plan:
    plan = Plan.empty(batch, game.n_projects, share)
    for n in names:
        plan.fund[:, pid(game, n)] = True
        plan.owner[:, pid(game, n)] = owner
    return plan


def everyone(batch: int) -> np.ndarray:
    return np.ones(batch, dtype=np.bool_)


def signal_names(game: Game, role: int) -> list[str]:
    return list(getattr(game.scenario.intel, ROLES[role]).signals)


# --- observation privacy -------------------------------------------------------------------

@pytest.mark.parametrize("seed", [1, 2, 3])
def test_observation_holds_own_signals_and_others_only_when_shared(game: Game,
                                                                   seed: int) -> None:
    """The CMO reads its own signals; the CTO's are NaN until the CTO shares intel, and then
    equal the CTO's reading (state.intel[:, CTO])."""
    b = 16
    state = to_talk(game, b, seed)
    mine, theirs = signal_names(game, CMO), signal_names(game, CTO)
    obs = observe(game, state, CMO)
    assert set(obs.signals) <= set(mine) | set(theirs)
    for name in mine:
        np.testing.assert_array_equal(obs.signals[name], state.intel[:, CMO, SIGNALS.index(name)])
    for name in set(theirs) - set(mine):
        assert np.isnan(obs.signals[name]).all(), name
    known = {n for n, v in obs.signals.items() if not np.isnan(v).all()}
    assert known == set(mine)
    assert not obs.shared_by_other.any()

    # The CTO shares in the first half of the games only.
    share = talk_with(b, ["share_intel"])
    share.moves[b // 2:] = False
    talk.apply_talk(game, state, Talk.none(b), share)
    obs = observe(game, state, CMO)
    half = np.arange(b) < b // 2
    np.testing.assert_array_equal(obs.shared_by_other, half)
    for name in set(theirs) - set(mine):
        got = obs.signals[name]
        np.testing.assert_array_equal(got[half], state.intel[half, CTO, SIGNALS.index(name)])
        assert np.isnan(got[~half]).all()
    for name in mine:
        np.testing.assert_array_equal(obs.signals[name], state.intel[:, CMO, SIGNALS.index(name)])
    # Sharing is for this quarter only.
    next_talk(game, state)
    obs = observe(game, state, CMO)
    for name in set(theirs) - set(mine):
        assert np.isnan(obs.signals[name]).all()


def _obs_equal(a: Observation, b: Observation, skip_signals: set[str]) -> None:
    # Every field, and the values derived on first read, but not the derivers themselves.
    names = [f.name for f in dataclasses.fields(Observation) if not f.name.startswith("_")]
    for name in (*names, "fundable", "legal_moves", "signals"):
        x, y = getattr(a, name), getattr(b, name)
        if name == "signals":
            assert set(x) == set(y)
            for sig in x:
                if sig not in skip_signals:
                    np.testing.assert_array_equal(x[sig], y[sig], err_msg=sig)
        else:
            np.testing.assert_array_equal(np.asarray(x), np.asarray(y), err_msg=name)


@pytest.mark.parametrize("role", [CMO, CTO])
@pytest.mark.parametrize("stop", ["talk", "budget", "aftermath"])
def test_other_roles_private_intel_never_leaks(game: Game, role: int, stop: str) -> None:
    """Changing only the other role's private intel changes nothing in `role`'s
    observation, except the signals the other shared this quarter."""
    b = 12
    other = 1 - role
    state = to_talk(game, b, 21)
    theirs = set(signal_names(game, other)) - set(signal_names(game, role))
    shared = np.arange(b) % 2 == 0
    if stop != "talk":
        share = talk_with(b, ["share_intel"])
        share.moves[~shared] = False
        talks = [Talk.none(b), Talk.none(b)]
        talks[other] = share
        talk.apply_talk(game, state, talks[CMO], talks[CTO])
    if stop == "aftermath":
        portfolio.commit(game, state, fund(game, b, [SECURITY], OWNER_CTO), everyone(b))
        execution.execute(game, state)
    changed = state.copy()
    noise = np.random.default_rng(5).uniform(-3, 3, size=changed.intel[:, other].shape)
    changed.intel[:, other] = noise

    a, c = observe(game, state, role), observe(game, changed, role)
    _obs_equal(a, c, skip_signals=theirs)
    for name in theirs:
        x, y = a.signals[name], c.signals[name]
        if stop == "talk":
            assert np.isnan(x).all() and np.isnan(y).all()
        else:
            assert np.isnan(x[~shared]).all() and np.isnan(y[~shared]).all()
            np.testing.assert_array_equal(y[shared],
                                          changed.intel[shared, other, SIGNALS.index(name)])


# --- readable reasons ----------------------------------------------------------------------

def test_move_problems_give_readable_reasons(game: Game) -> None:
    """move_problems explains every refusal in words, and agrees with move_mask."""
    b = 4
    state = to_talk(game, b, 4)
    for role in (CMO, CTO):
        probs = talk.move_problems(game, state, role, 0)
        assert all(v is None for v in probs.values()), probs

    # Over budget: hack week costs 0.4M, a CMO go-around 0.3M; the CTO's freeze is free.
    state.available[0] = 0.1
    probs = talk.move_problems(game, state, CMO, 0)
    assert probs["hack_week"] is not None and "over budget by 0.3M" in probs["hack_week"]
    assert probs["go_around"] is not None and "over budget by 0.2M" in probs["go_around"]
    assert probs["share_intel"] is None
    assert talk.move_problems(game, state, CTO, 0)["go_around"] is None
    state.available[0] = state.grant[0]

    # A hack week, a liaison and a CMO promise this quarter...
    cmo = talk_with(b, ["hack_week", "promise"], PROMISE_FUND, pid(game, CLOUD))
    cto = talk_with(b, ["hire_liaison"])
    talk.apply_talk(game, state, cmo, cto)
    assert state.liaison.all() and (state.hack_last == 1).all()
    assert (state.promise_kind[:, CMO] == PROMISE_FUND).all()
    next_talk(game, state)
    # ...each explains itself next quarter.
    probs = talk.move_problems(game, state, CMO, 0)
    assert probs["hack_week"] is not None and "once a year" in probs["hack_week"]
    assert "Q1" in probs["hack_week"]
    assert probs["hire_liaison"] is not None and "already" in probs["hire_liaison"]
    assert probs["promise"] is not None and "already have a promise open" in probs["promise"]
    assert talk.move_problems(game, state, CTO, 0)["promise"] is None  # the CTO made none
    for role in (CMO, CTO):
        mask = talk.move_mask(game, state, role)
        probs = talk.move_problems(game, state, role, 0)
        for m, name in enumerate(probs):
            assert mask[0, m] == (probs[name] is None), name


def test_plan_problems_over_budget_and_under_way(game: Game) -> None:
    """plan_problems reports 'over budget by X.XM' and a project already under way."""
    b = 2
    state = to_talk(game, b, 6)
    talk.apply_talk(game, state, Talk.none(b), Talk.none(b))
    ok = portfolio.fundable(game, state)[0]
    plan = Plan(np.broadcast_to(ok, (b, game.n_projects)).copy(),
                np.full((b, game.n_projects), OWNER_CTO, dtype=np.int64), np.full(b, 0.5))
    cost = float(game.cost[ok].sum())
    avail = float(state.available[0])
    assert cost > avail
    problems = portfolio.plan_problems(game, state, plan, 0)
    assert f"over budget by {cost - avail:.1f}M" in problems
    assert not portfolio.plan_valid(game, state, plan).any()
    fitted = portfolio.sanitize(game, state, plan)
    assert portfolio.plan_valid(game, state, fitted).all()
    assert portfolio.plan_problems(game, state, fitted, 0) == []

    portfolio.commit(game, state, fund(game, b, [CLOUD], OWNER_CTO), everyone(b))
    assert (state.status[:, pid(game, CLOUD)] == RUNNING).all()
    next_talk(game, state)
    talk.apply_talk(game, state, Talk.none(b), Talk.none(b))
    again = fund(game, b, [CLOUD], OWNER_CTO)
    problems = portfolio.plan_problems(game, state, again, 0)
    assert any("already under way" in p and "Cloud migration" in p for p in problems), problems
    assert not portfolio.plan_valid(game, state, again).any()
    assert not portfolio.sanitize(game, state, again).fund.any()


# --- going around --------------------------------------------------------------------------

def test_cmo_go_around_spends_shadow_budget_and_is_an_integrity_breach(game: Game) -> None:
    """A CMO go-around is counted, and paid at commit from the shadow ledger line out of
    the campaign money, so the budget on the table does not give it away; once found,
    the CTO's view of the CMO's integrity drops and the CTO's trust ceiling falls below 1."""
    b = 64
    cost = game.scenario.moves.go_around.cost
    state = to_talk(game, b, 8)
    control = state.copy()
    grant = state.available.copy()
    talk.apply_talk(game, state, talk_with(b, ["go_around"]), Talk.none(b))
    talk.apply_talk(game, control, Talk.none(b), Talk.none(b))

    np.testing.assert_allclose(state.available, grant)  # nothing for the CTO to notice
    np.testing.assert_allclose(state.available, control.available)
    assert (state.goarounds[:, CMO] == 1).all() and (state.goarounds[:, CTO] == 0).all()
    assert (control.goarounds == 0).all()

    plan = Plan.empty(b, game.n_projects, 0.5)
    for s in (state, control):
        before = s.ledger.sum(axis=1)
        portfolio.commit(game, s, plan, everyone(b))
        np.testing.assert_allclose(s.ledger.sum(axis=1) - before, grant)  # conserved
    np.testing.assert_allclose(state.ledger[:, L_SHADOW], cost)
    np.testing.assert_allclose(control.ledger[:, L_SHADOW], 0.0)
    np.testing.assert_allclose(state.ledger[:, L_CAMPAIGNS],
                               control.ledger[:, L_CAMPAIGNS] - cost)
    np.testing.assert_allclose(state.ledger[:, L_OPERATIONS], control.ledger[:, L_OPERATIONS])
    np.testing.assert_allclose(state.martech_spend - control.martech_spend, cost)

    found = state.discovered[:, CMO] > 0
    assert found.any() and (~found).any()
    np.testing.assert_array_equal(state.incident[:, CMO, GOAROUND_FOUND], found)
    np.testing.assert_array_equal(state.hidden_goarounds[:, CMO], (~found).astype(np.int64))
    integ = trust.perceptions(state)[:, CTO, INTEGRITY]
    integ0 = trust.perceptions(control)[:, CTO, INTEGRITY]
    assert (integ[found] < integ0[found] - 0.05).all()
    np.testing.assert_allclose(integ[~found], integ0[~found])
    assert (state.ceiling[found, CTO] < 1.0).all()
    assert (state.ceiling[~found, CTO] == 1.0).all()
    assert (state.ceiling[:, CMO] == 1.0).all()

    # Hidden ones may surface during execution, with the same consequences.
    execution.execute(game, state)
    later = (state.discovered[:, CMO] > 0) & ~found
    assert (state.ceiling[later, CTO] < 1.0).all()
    assert (state.hidden_goarounds[later, CMO] == 0).all()
    np.testing.assert_array_equal(state.ceiling[:, CTO] < 1.0, state.discovered[:, CMO] > 0)


# --- deadlock ------------------------------------------------------------------------------

class NeverAccepts(Cooperative):
    name = "never-accepts"

    def _respond(self, obs: Observation, plan: Plan) -> np.ndarray:
        return np.zeros(obs.batch, dtype=np.bool_)


def negotiate(game: Game, state: State, policies: tuple[Any, Any]) -> None:
    """The driver through the budget phase only: proposals, answers, the commit."""
    driver = Driver(game, state)
    while state.phase == Phase.BUDGET:
        req = driver.request()
        assert req is not None and req.role is not None
        driver.apply(policies[req.role].decide(observe(game, state, req.role), req))


def test_deadlock_imposes_ceo_default_and_board_penalty(game: Game) -> None:
    """No deal after all rounds: the CEO funds no projects and splits the rest
    ceo_campaign_share to campaigns; both executives' boards take the penalty."""
    b = 32
    sc = game.scenario.budget
    base = to_talk(game, b, 12)
    talk.apply_talk(game, base, Talk.none(b), Talk.none(b))
    dead, agreed = base.copy(), base.copy()
    rest = dead.available.copy()

    negotiate(game, dead, (NeverAccepts(game, CMO, 1), NeverAccepts(game, CTO, 1)))
    negotiate(game, agreed, (Cooperative(game, CMO, 1), Cooperative(game, CTO, 1)))

    assert dead.deadlock.all() and (dead.deadlocks == 1).all()
    assert not agreed.deadlock.any() and (agreed.deadlocks == 0).all()
    assert not dead.plan_fund.any() and not (dead.status == RUNNING).any()
    assert (agreed.status == RUNNING).any()
    np.testing.assert_allclose(dead.ledger[:, L_PROJECTS], 0.0)
    np.testing.assert_allclose(dead.ledger[:, L_CAMPAIGNS], sc.ceo_campaign_share * rest)
    np.testing.assert_allclose(dead.ledger[:, L_OPERATIONS], (1 - sc.ceo_campaign_share) * rest)
    np.testing.assert_allclose(dead.board_delta - agreed.board_delta,
                               -sc.deadlock_board_penalty)
    assert (dead.ownership < agreed.ownership).all()


def test_accepted_but_illegal_plan_falls_back_to_the_ceo(game: Game) -> None:
    """commit never carries out an illegal plan, even if marked agreed."""
    b = 8
    state = to_talk(game, b, 13)
    talk.apply_talk(game, state, Talk.none(b), Talk.none(b))
    plan = Plan(np.ones((b, game.n_projects), dtype=np.bool_),
                np.full((b, game.n_projects), 7, dtype=np.int64), np.full(b, np.nan))
    portfolio.commit(game, state, plan, everyone(b))
    assert state.deadlock.all() and not state.plan_fund.any()
    np.testing.assert_allclose(state.ledger.sum(axis=1), state.grant)


# --- promises ------------------------------------------------------------------------------

def test_deliver_promise_kept_when_project_lands_in_time(game: Game) -> None:
    """A promise made in Q2 to deliver by Q3 a two-quarter project funded in Q1: kept
    when it lands (success or challenged); broken, with a broken-promise incident, once
    the due date passes."""
    b = 128
    j = pid(game, ANALYTICS)
    state = to_talk(game, b, 14)
    talk.apply_talk(game, state, Talk.none(b), Talk.none(b))
    portfolio.commit(game, state, fund(game, b, [ANALYTICS], OWNER_CTO), everyone(b))
    next_talk(game, state)
    talk.apply_talk(game, state, Talk.none(b), talk_with(b, ["promise"], PROMISE_DELIVER, j, 3))
    assert (state.promise_due[:, CTO] == 3).all()
    portfolio.commit(game, state, Plan.empty(b, game.n_projects), everyone(b))
    execution.execute(game, state)
    # At normal debt a two-quarter card lands in its second quarter: kept at once if it landed;
    # a failure leaves the promise open until its due date.
    st = state.status[:, j]
    assert state.outcome_q[:, j].all()
    landed = (st == SUCCESS) | (st == CHALLENGED)
    assert landed.any() and (st == FAILED).any()
    np.testing.assert_array_equal(state.kept[:, CTO], landed.astype(np.int64))
    assert (state.broken == 0).all()
    np.testing.assert_array_equal(state.promise_kind[:, CTO] == PROMISE_DELIVER, ~landed)
    next_talk(game, state)
    talk.apply_talk(game, state, Talk.none(b), Talk.none(b))
    portfolio.commit(game, state, Plan.empty(b, game.n_projects), everyone(b))
    execution.execute(game, state)

    np.testing.assert_array_equal(state.kept[:, CTO], landed.astype(np.int64))
    np.testing.assert_array_equal(state.broken[:, CTO], (~landed).astype(np.int64))
    np.testing.assert_array_equal(state.incident[:, CTO, BROKEN_PROMISE], ~landed)
    assert not state.incident[:, CMO, BROKEN_PROMISE].any()
    assert (state.promise_kind[:, CTO] == PROMISE_NONE).all()


def test_deliver_promise_past_due_is_broken(variant: Any) -> None:
    """At high debt, a promise made in Q2 to deliver by Q3 a three-quarter project funded
    in Q1 is broken in Q3: counted, a broken-promise incident for the promiser, and bad
    integrity evidence for the other."""
    game = variant("company", tech_debt=0.5)
    b = 16
    j = pid(game, CLOUD)
    state = to_talk(game, b, 15)
    talk.apply_talk(game, state, Talk.none(b), Talk.none(b))
    portfolio.commit(game, state, fund(game, b, [CLOUD], OWNER_CTO), everyone(b))
    next_talk(game, state)
    talk.apply_talk(game, state, Talk.none(b), talk_with(b, ["promise"], PROMISE_DELIVER, j, 2))
    assert (state.promise_due[:, CTO] == 3).all()  # a promise is due next quarter at the soonest
    portfolio.commit(game, state, Plan.empty(b, game.n_projects), everyone(b))
    execution.execute(game, state)
    assert (state.broken == 0).all()
    next_talk(game, state)
    talk.apply_talk(game, state, Talk.none(b), Talk.none(b))
    portfolio.commit(game, state, Plan.empty(b, game.n_projects), everyone(b))
    bad_before = state.bad[:, CMO, INTEGRITY].copy()
    execution.execute(game, state)
    assert (state.status[:, j] == RUNNING).all()
    assert (state.broken[:, CTO] == 1).all() and (state.kept == 0).all()
    assert state.incident[:, CTO, BROKEN_PROMISE].all()
    assert not state.incident[:, CMO, BROKEN_PROMISE].any()
    assert (state.bad[:, CMO, INTEGRITY] > bad_before).all()
    assert (state.promise_kind[:, CTO] == PROMISE_NONE).all()


def test_fund_promise_judged_at_next_budget(game: Game) -> None:
    """A promise to fund a project comes due at the next budget: kept if funded."""
    b = 8
    j = pid(game, CLOUD)
    state = to_talk(game, b, 16)
    talk.apply_talk(game, state, talk_with(b, ["promise"], PROMISE_FUND, j), Talk.none(b))
    assert (state.promise_due[:, CMO] == 2).all()
    next_talk(game, state)
    talk.apply_talk(game, state, Talk.none(b), Talk.none(b))
    plan = fund(game, b, [CLOUD], OWNER_CTO)
    plan.fund[b // 2:] = False
    portfolio.commit(game, state, plan, everyone(b))
    half = np.arange(b) < b // 2
    np.testing.assert_array_equal(state.kept[:, CMO], half.astype(np.int64))
    np.testing.assert_array_equal(state.broken[:, CMO], (~half).astype(np.int64))
    np.testing.assert_array_equal(state.incident[:, CMO, BROKEN_PROMISE], ~half)


# --- board reviews -------------------------------------------------------------------------

def _to_board_phase(game: Game, quarter: int, batch: int, seed: int) -> State:
    pols = (Cooperative(game, CMO, seed), Cooperative(game, CTO, seed))
    state = begin(game, batch, seed)
    for _ in range(quarter - 1):
        play_quarter(game, state, pols)
    news.start_quarter(game, state)
    news.resolve_choices(game, state)
    talk.apply_talk(game, state, Talk.none(batch), Talk.none(batch))
    portfolio.commit(game, state, Plan.empty(batch, game.n_projects), everyone(batch))
    execution.execute(game, state)
    d = Aftermath.default(batch, game.n_projects)
    aftermath.apply_aftermath(game, state, d, d)
    assert state.phase == Phase.BOARD and state.quarter == quarter
    return state


def test_replacement_at_a_review(game: Game) -> None:
    """Below the threshold at a review (Q4 with review_every 4), the executive is replaced:
    the count rises, board confidence restarts at board.start and both directions of
    trust evidence restart from the prior."""
    br = game.scenario.board
    rel = game.scenario.relationship
    assert 4 % br.review_every == 0
    b = 64
    state = _to_board_phase(game, 4, b, 17)
    forced = np.arange(b) < b // 2
    state.v[forced, V_BOARD_CMO] = 0.0
    board.close_quarter(game, state)

    out = state.replacements[:, CMO] == 1
    assert out[forced].mean() > 0.9
    assert (state.replacements[:, CMO] <= 1).all()
    np.testing.assert_allclose(state.v[out, V_BOARD_CMO], br.start)
    assert (state.v[~out, V_BOARD_CMO] >= br.threshold).all()
    np.testing.assert_allclose(state.good[out], state.prior[out] * rel.evidence)
    np.testing.assert_allclose(state.bad[out], (1 - state.prior[out]) * rel.evidence)
    assert (state.ceiling[out] == 1.0).all()
    assert (state.tenure_start[out, CMO] == 5).all()
    assert (state.tenure_start[~out, CMO] == 1).all()
    np.testing.assert_allclose(state.hist_board[out, 4, CMO], br.start)


def test_no_replacement_between_reviews(game: Game) -> None:
    """Board confidence below the threshold outside a review quarter replaces nobody."""
    br = game.scenario.board
    assert 3 % br.review_every != 0
    state = _to_board_phase(game, 3, 16, 18)
    state.v[:, BOARD_COLUMNS[CMO]] = 0.0
    board.close_quarter(game, state)
    assert (state.replacements == 0).all()
    assert (state.v[:, V_BOARD_CMO] < br.threshold).all()


# --- regressions: engine bugs found in review, now fixed ---------------------------------------

def test_start_quarter_refuses_to_skip_the_board(game: Game) -> None:
    state = _to_board_phase(game, 1, 4, 19)
    with pytest.raises(AssertionError):
        news.start_quarter(game, state)


def test_close_quarter_twice_is_refused(game: Game) -> None:
    state = _to_board_phase(game, 1, 4, 20)
    board.close_quarter(game, state)
    with pytest.raises(AssertionError):
        board.close_quarter(game, state)


def test_results_outcomes_count_every_finished_project(game: Game) -> None:
    pols = (SCRIPTED["random"](game, CMO, 1), SCRIPTED["random"](game, CTO, 1))
    state = begin(game, 200, 1)
    finished = np.zeros(state.batch, dtype=np.int64)
    while not state.done:
        play_quarter(game, state, pols)
        finished += state.outcome_q.sum(axis=1)
    np.testing.assert_array_equal(results(game, state).outcomes.sum(axis=1), finished)


def test_unknown_promise_kind_is_rejected(game: Game) -> None:
    b = 3
    state = to_talk(game, b, 22)
    cmo = Talk(moves_from(["promise"], b), np.array([7, -1, 3]), np.zeros(b, dtype=np.int64),
               np.full(b, 4, dtype=np.int64))
    talk.apply_talk(game, state, cmo, Talk.none(b))
    assert not state.moves[:, CMO, PROMISE].any()
    assert (state.promise_kind[:, CMO] == PROMISE_NONE).all()


def test_choice_variables_follow_what_the_chooser_took(game: Game) -> None:
    """`choice.<event>.<option>` is 1 where that option was taken, for follow-up events."""
    from game.engine.variables import Environment

    k = game.event_ids.index("viral-moment")
    b = 8
    state = begin(game, b, 3)
    env = Environment(game, state)
    assert not env["choice.viral-moment.ride-it"].any()  # nothing chosen yet
    news.inject_event(game, state, k, choice=1)
    np.testing.assert_array_equal(env["choice.viral-moment.let-it-run"], np.ones(b))
    np.testing.assert_array_equal(env["choice.viral-moment.ride-it"], np.zeros(b))
    cond = parse_condition("choice.viral-moment.let-it-run and quarter >= 0", game.registry)
    assert cond.evaluate(env, b).all()
