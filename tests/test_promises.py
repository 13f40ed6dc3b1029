"""Promises are judged by what was promised: a promise to fund is kept by funding the
project at any budget up to its due quarter, and only a promise that can be kept by
then can be made (the engine's `promisable`, which the talk screen lists)."""

from __future__ import annotations

import numpy as np
import pytest

from game.engine import aftermath, portfolio, talk
from game.engine.actions import Plan, Talk
from game.engine.constants import (
    BROKEN_PROMISE,
    CMO,
    CTO,
    OWNER_CMO,
    OWNER_CTO,
    OWNER_JOINT,
    PROMISE,
    PROMISE_DELIVER,
    PROMISE_FUND,
    PROMISE_NONE,
)
from game.engine.game import Game
from game.engine.state import State
from tests.test_engine_rules import everyone, fund, next_talk, pid, talk_with, to_talk

CLOUD = "cloud-migration"   # technology, 3 quarters, offered from Q1
DATA = "customer-data"      # gray, offered from Q2
MOBILE = "mobile-app"       # gray, offered from Q4 once the web platform is done
SEARCH = "search-ads"       # marketing, 1 quarter

BATCHES = [1, 16]


def _promise_fund(game: Game, batch: int, seed: int, name: str) -> State:
    """Q1 talk in which the CMO promises to fund `name` (due Q2)."""
    state = to_talk(game, batch, seed)
    talk.apply_talk(game, state, talk_with(batch, ["promise"], PROMISE_FUND, pid(game, name)),
                    Talk.none(batch))
    return state


@pytest.mark.parametrize("b", BATCHES)
def test_fund_promise_kept_when_funded_the_quarter_it_is_made(game: Game, b: int) -> None:
    """Both fund the project the very quarter the CMO promises it for next quarter: the
    promise is kept then, and next quarter, when the project is under way and cannot be
    funded again, there is nothing broken and nothing to answer for."""
    j = pid(game, CLOUD)
    state = _promise_fund(game, b, 31, CLOUD)
    assert (state.promise_kind[:, CMO] == PROMISE_FUND).all()
    assert (state.promise_due[:, CMO] == 2).all()
    portfolio.commit(game, state, fund(game, b, [CLOUD], OWNER_JOINT), everyone(b))
    assert (state.kept[:, CMO] == 1).all() and (state.broken == 0).all()
    assert (state.promise_kind[:, CMO] == PROMISE_NONE).all()

    next_talk(game, state)  # Q2: the due quarter; the project is under way
    assert not portfolio.fundable(game, state)[:, j].any()
    talk.apply_talk(game, state, Talk.none(b), Talk.none(b))
    portfolio.commit(game, state, Plan.empty(b, game.n_projects), everyone(b))
    assert (state.kept[:, CMO] == 1).all() and (state.broken == 0).all()
    assert not state.incident[:, CMO, BROKEN_PROMISE].any()
    _, incidents = aftermath.needs_response(game, state, CMO)
    assert not incidents[:, BROKEN_PROMISE].any()


@pytest.mark.parametrize("b", BATCHES)
def test_fund_promise_kept_early_or_on_time_broken_when_due_and_unfunded(
        game: Game, b: int) -> None:
    """Games funding the project in the promise's quarter or in its due quarter keep it;
    the rest break it at the due budget, with an incident for the promiser alone."""
    state = _promise_fund(game, b, 32, CLOUD)
    rows = np.arange(b)
    now = rows % 3 == 0            # funded in Q1, when the promise is made
    on_time = rows % 3 == 1        # funded in Q2, the due quarter
    plan = fund(game, b, [CLOUD], OWNER_CTO)
    plan.fund &= now[:, None]
    portfolio.commit(game, state, plan, everyone(b))
    np.testing.assert_array_equal(state.kept[:, CMO], now.astype(np.int64))
    assert (state.broken == 0).all()

    next_talk(game, state)
    talk.apply_talk(game, state, Talk.none(b), Talk.none(b))
    plan = fund(game, b, [CLOUD], OWNER_CTO)
    plan.fund &= on_time[:, None]
    portfolio.commit(game, state, plan, everyone(b))
    kept = now | on_time
    np.testing.assert_array_equal(state.kept[:, CMO], kept.astype(np.int64))
    np.testing.assert_array_equal(state.broken[:, CMO], (~kept).astype(np.int64))
    np.testing.assert_array_equal(state.incident[:, CMO, BROKEN_PROMISE], ~kept)
    assert not state.incident[:, CTO, BROKEN_PROMISE].any()
    assert (state.promise_kind[:, CMO] == PROMISE_NONE).all()


def _made(game: Game, state: State, role: int, kind: int, j: int) -> np.ndarray:
    """Whether `role`'s promise of `kind` on project `j` is taken, on a copy of `state`."""
    trial = state.copy()
    b = state.batch
    mine = talk_with(b, ["promise"], kind, j, trial.quarter + 2)
    talks = (mine, Talk.none(b)) if role == CMO else (Talk.none(b), mine)
    talk.apply_talk(game, trial, *talks)
    made: np.ndarray = trial.moves[:, role, PROMISE] & (trial.promise_kind[:, role] == kind)
    return made


@pytest.mark.parametrize("b", BATCHES)
def test_only_projects_fundable_by_the_due_quarter_can_be_promised(game: Game, b: int) -> None:
    """In Q1 a promise to fund may name a project offered now or from Q2, not the mobile app
    (offered from Q4); a project under way cannot be promised for funding; a promise to
    deliver names a project under way that the promiser (co-)owns. `apply_talk` takes
    exactly the promises `promisable` allows, and drops the rest like an illegal move."""
    state = to_talk(game, b, 33)
    can_fund = portfolio.promisable(game, state, CMO, PROMISE_FUND)
    assert can_fund[:, pid(game, CLOUD)].all() and can_fund[:, pid(game, DATA)].all()
    assert not portfolio.fundable(game, state)[:, pid(game, DATA)].any()  # not until Q2
    assert not can_fund[:, pid(game, MOBILE)].any()
    assert not portfolio.promisable(game, state, CTO, PROMISE_DELIVER).any()  # nothing runs
    for j in range(game.n_projects):
        np.testing.assert_array_equal(_made(game, state, CMO, PROMISE_FUND, j), can_fund[:, j])

    # Q1: the CMO runs search ads alone, the two run the cloud migration together.
    talk.apply_talk(game, state, Talk.none(b), Talk.none(b))
    plan = fund(game, b, [CLOUD], OWNER_JOINT)
    plan.fund[:, pid(game, SEARCH)] = True
    plan.owner[:, pid(game, SEARCH)] = OWNER_CMO
    portfolio.commit(game, state, plan, everyone(b))
    next_talk(game, state)
    j = pid(game, CLOUD)
    assert not portfolio.promisable(game, state, CMO, PROMISE_FUND)[:, j].any()
    assert not _made(game, state, CMO, PROMISE_FUND, j).any()
    for role in (CMO, CTO):
        can_deliver = portfolio.promisable(game, state, role, PROMISE_DELIVER)
        assert can_deliver[:, j].all()  # joint: either may promise to land it
        assert can_deliver.sum(axis=1).max() == 1  # search ads landed in Q1
        for k in range(game.n_projects):
            np.testing.assert_array_equal(_made(game, state, role, PROMISE_DELIVER, k),
                                          can_deliver[:, k])


def test_deliver_only_by_its_owner(game: Game) -> None:
    """A project under way that the CTO owns alone can be promised by the CTO, not the CMO."""
    b = 4
    state = to_talk(game, b, 34)
    talk.apply_talk(game, state, Talk.none(b), Talk.none(b))
    portfolio.commit(game, state, fund(game, b, [CLOUD], OWNER_CTO), everyone(b))
    next_talk(game, state)
    j = pid(game, CLOUD)
    assert portfolio.promisable(game, state, CTO, PROMISE_DELIVER)[:, j].all()
    assert not portfolio.promisable(game, state, CMO, PROMISE_DELIVER)[:, j].any()
    assert not _made(game, state, CMO, PROMISE_DELIVER, j).any()
    assert _made(game, state, CTO, PROMISE_DELIVER, j).all()
