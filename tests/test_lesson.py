"""The lesson the model teaches, measured as a modeller would (issue 9), by Monte Carlo.

Common random numbers throughout: the same seeds for every policy, so differences are
the players' and not the luck's. Tolerances leave room for sampling noise at these
sizes (the measured figures are in docs/engine.md).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from benchmarks.lesson import measure
from game.ai.scripted import Cooperative, Reciprocal, Selfish
from game.engine.actions import Talk
from game.engine.constants import CMO, CTO, GO_AROUND, N_MOVES, SRC_GOAROUND
from game.engine.driver import ByKind, Need, Request, play
from game.engine.game import compile_game
from game.engine.observation import Observation
from game.engine.results import Results, results
from game.scenario.catalog import scenario_paths
from game.scenario.loader import load_scenario

LONG = [p.stem for p in scenario_paths() if p.stem != "first-quarter"]
ALL = [p.stem for p in scenario_paths()]
GAMES = 600


class NeverAround(ByKind):
    """A selfish executive in every way but one: it never goes around."""

    def __init__(self, inner: Selfish) -> None:
        self.inner = inner
        self.name = inner.name

    def decide(self, obs: Observation, request: Request) -> Any:
        out = self.inner.decide(obs, request)
        if request.kind == Need.TALK:
            keep = np.arange(N_MOVES) != GO_AROUND
            out = Talk(out.moves & keep[None, :], out.promise_kind, out.promise_project,
                       out.promise_due)
        return out


def _pair(sid: str, role: int, around: bool, partner: type[Any], seed: int = 3) -> Results:
    game = compile_game(load_scenario(next(p for p in scenario_paths() if p.stem == sid)))
    me: Any = Selfish(game, role, seed)
    if not around:
        me = NeverAround(me)
    other = partner(game, 1 - role, seed)
    pols = (me, other) if role == CMO else (other, me)
    return results(game, play(game, pols, GAMES, seed))


@pytest.fixture(scope="module")
def figures() -> dict[str, dict[str, float]]:
    return {sid: measure(sid, 400, 1) for sid in ALL}


@pytest.mark.parametrize("sid", LONG)
@pytest.mark.parametrize("role", [CMO, CTO])
def test_the_go_around_line_tells_what_going_around_cost(sid: str, role: int) -> None:
    """Honest attribution: a selfish executive against a cooperative partner, with and
    without its go-arounds (same seeds). Going around costs the company growth, and the
    trust dividend's go-around line says so: negative, and at least a quarter of the
    measured cost (sequential counterfactual inside each quarter, docs/engine.md)."""
    on = _pair(sid, role, True, Cooperative)
    off = _pair(sid, role, False, Cooperative)
    cost = float(on.growth.mean() - off.growth.mean())
    line = float(on.dividend[:, SRC_GOAROUND].mean() - off.dividend[:, SRC_GOAROUND].mean())
    print(f"{sid} {('CMO', 'CTO')[role]}: growth cost {cost:+.3f}, go-around line {line:+.3f}")
    assert cost < 0
    assert line < 0.25 * cost
    assert line > 1.5 * cost


@pytest.mark.parametrize("sid", LONG)
@pytest.mark.parametrize("role", [CMO, CTO])
def test_a_selfish_executive_against_a_reciprocator_ends_worse_off(sid: str,
                                                                    role: int) -> None:
    """Over a game, selfishness against a reciprocating partner costs its actor on its
    own board, against cooperating (same seeds)."""
    game = compile_game(load_scenario(next(p for p in scenario_paths() if p.stem == sid)))
    boards = []
    for mine in (Selfish, Cooperative):
        pols: list[Any] = [None, None]
        pols[role] = mine(game, role, 5)
        pols[1 - role] = Reciprocal(game, 1 - role, 5)
        boards.append(results(game, play(game, (pols[0], pols[1]), GAMES, 5)).board[:, role])
    assert boards[0].mean() < boards[1].mean() - 0.02


@pytest.mark.parametrize("sid", ALL)
def test_cooperative_boards_do_not_saturate(sid: str,
                                            figures: dict[str, dict[str, float]]) -> None:
    """No saturation: in cooperative play at most a fifth of games end with an
    executive's board at 0.99 or above, so late-game choices still show."""
    m = figures[sid]
    assert m["saturated_cmo"] <= 0.2 and m["saturated_cto"] <= 0.2


@pytest.mark.parametrize("sid", ALL)
def test_the_pair_of_policies_explains_most_of_the_growth(
        sid: str, figures: dict[str, dict[str, float]]) -> None:
    """Choices over luck: among the scripted policies the policy pair explains at least
    half of the variance of final growth (40% in the four-quarter tutorial)."""
    floor = 0.4 if sid == "first-quarter" else 0.5
    assert figures[sid]["explained"] >= floor, figures[sid]["explained"]


@pytest.mark.parametrize("role", [CMO, CTO])
@pytest.mark.parametrize("sid", ALL)
def test_each_seat_decides_its_own_fate(sid: str, role: int,
                                        figures: dict[str, dict[str, float]]) -> None:
    """You decide your own fate: the range of a seat's final board across its own
    scripted policies is at least half the range across its partner's."""
    m = figures[sid]
    assert m[f"own_range_{role}"] >= 0.5 * m[f"partner_range_{role}"], m


@pytest.mark.parametrize("sid", ALL)
def test_cooperation_earns_a_better_martech_roi(sid: str,
                                                figures: dict[str, dict[str, float]]) -> None:
    """RESEARCH.md: high-trust play earns about a quarter more per martech dollar than
    low-trust play; every scenario with a martech catalogue lands within +15% to +35%
    (cooperative over selfish pairs, same seeds)."""
    gain = figures[sid]["martech_roi_gain"]
    assert 0.15 <= gain <= 0.35, gain


@pytest.mark.slow
def test_both_seats_face_the_dilemma_in_nine_states_of_ten() -> None:
    """Both seats have the dilemma: from mid-game states of every shipped scenario, one
    quarter's personal payoffs keep T > R > P > S for each role in at least 90% of states
    (benchmarks/dilemma.py, common random numbers)."""
    from benchmarks.dilemma import measure as dilemma

    states, kept = 0, [0, 0]
    for sid in ALL:
        n, k = dilemma(sid, 1000, 11)
        states += n
        kept = [kept[0] + k[0], kept[1] + k[1]]
    print("states", states, "kept CMO/CTO", kept)
    assert kept[CMO] >= 0.9 * states and kept[CTO] >= 0.9 * states, (states, kept)


def test_a_discovered_deception_bites_to_the_end_of_the_game() -> None:
    """Trust that bites (Schweitzer et al.): a go-around found in Q2 of a 12-quarter game
    leaves the partner's trust at least 0.1 below the same games without it (same seeds,
    cooperative play otherwise) in every quarter to the end: what a deception taught
    does not fade with the rest of the evidence."""
    from tests.conftest import load_default_scenario
    from tests.test_calibration import _deception_run

    game = compile_game(load_default_scenario())
    control, _ = _deception_run(game, None)
    state, found = _deception_run(game, 2)
    sel = found > 0
    gap = (control.hist_trust[sel, :, CTO].mean(axis=0)
           - state.hist_trust[sel, :, CTO].mean(axis=0))
    print("trust gap by quarter", np.round(gap[2:], 3))
    assert game.quarters == 12 and (gap[2:] >= 0.1).all()


def test_no_go_around_no_go_around_line() -> None:
    """A pair that never goes around has nothing booked to go-arounds: the attribution
    moves only what go-arounds caused."""
    game = compile_game(load_scenario(next(p for p in scenario_paths()
                                           if p.stem == "digital-shift")))
    pols = (Cooperative(game, CMO, 2), Reciprocal(game, CTO, 2))
    state = play(game, pols, 300, 2)
    clean = state.goarounds.sum(axis=1) == 0
    assert clean.mean() > 0.5
    assert np.abs(state.contrib[clean, SRC_GOAROUND]).max() == 0.0
    assert np.abs(results(game, state).dividend[clean, SRC_GOAROUND]).max() < 1e-12


@pytest.mark.parametrize("sid", LONG)
def test_shared_ownership_keeps_room_to_move(sid: str) -> None:
    """Shared ownership does not saturate: under cooperation it stays below 0.95 on
    average at Q6 and at the end, and almost no game ends at 0.99 or above."""
    game = compile_game(load_scenario(next(p for p in scenario_paths() if p.stem == sid)))
    state = play(game, (Cooperative(game, CMO, 1), Cooperative(game, CTO, 1)), 500, 1)
    assert state.hist_ownership[:, 6].mean() < 0.95
    assert state.ownership.mean() < 0.95
    assert (state.ownership >= 0.99).mean() <= 0.05


def test_the_ceiling_a_go_around_lowered_is_remembered_as_its_own() -> None:
    """What a discovered go-around did to the ceiling is kept apart, so the go-around
    line can book what that lower ceiling cost (it read as nothing once)."""
    game = compile_game(load_scenario(next(p for p in scenario_paths()
                                           if p.stem == "digital-shift")))
    state = play(game, (Selfish(game, CMO, 4), Cooperative(game, CTO, 4)), 300, 4)
    found = (state.discovered[:, CMO] > 0) & (state.replacements.sum(axis=1) == 0)
    assert found.any()  # a newcomer starts afresh, so games with a replacement are left out
    assert (state.ceiling_goaround[found, CTO] > 0).all()


@pytest.mark.parametrize("sid", ["first-quarter", "digital-shift", "short-tenure"])
def test_every_selfish_move_pays_its_actor_and_costs_the_company(sid: str) -> None:
    """Each selfish move alone, once, from a third of the way in, both otherwise
    cooperative, against the same games without it (common random numbers): going around
    (the CMO's shadow tool, the CTO's standards freeze), taking the credit and blaming
    each pay the actor's board that quarter and cost the company growth by the end, by
    more than twice their standard errors (`benchmarks/dilemma.py` prints every scenario)."""
    from benchmarks.dilemma import move_prices

    for (role, move), (pay, pay_se, cost, cost_se) in move_prices(sid, 800, 11).items():
        assert pay > 2 * pay_se, (role, move, pay, pay_se)
        assert cost > 2 * cost_se, (role, move, cost, cost_se)
