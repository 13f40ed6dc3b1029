"""The dilemma, state by state: one-quarter personal payoffs T > R > P > S for each seat.

From mid-game states of random play (every scenario, every quarter from 2 to the last but
one), one quarter is played four ways with the same seeds: cooperative or selfish for each
seat. For each seat the mean change of its own board's confidence that quarter is T
(selfish against a cooperator), R (both cooperate), P (both selfish), S (cooperating
against a selfish partner). A review in that quarter replaces no one: a newcomer's fresh
start would otherwise count as the fired executive's gain. Prints, per scenario and seat,
the share of states that keep T > R > P > S,
and each selfish move's one-quarter pay to its actor and cost to the company.

Usage: python benchmarks/dilemma.py [--games N] [--scenario ID ...]
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

from game.ai.registry import make_policy
from game.ai.scripted import Cooperative
from game.engine.actions import Aftermath, Talk
from game.engine.constants import BLAME, CMO, CTO, GO_AROUND, SUCCESS, TAKE_CREDIT
from game.engine.driver import play, play_quarter
from game.engine.game import Game, compile_game
from game.engine.observation import Observation
from game.engine.results import results
from game.engine.state import State
from game.scenario.catalog import resolve, scenario_paths
from game.scenario.loader import load_scenario


def pair(game: Game, cmo: str, cto: str, seed: int) -> tuple[Any, Any]:
    return make_policy(cmo, game, CMO, seed), make_policy(cto, game, CTO, seed)


def without_replacements(game: Game) -> Game:
    """The same game whose reviews replace no one, to read the board's confidence itself."""
    sc = game.scenario
    return compile_game(sc.model_copy(update={"board": sc.board.model_copy(
        update={"threshold": 0.0})}))


def payoffs(calm: Game, start: State, seed: int) -> dict[str, np.ndarray]:
    """(2,) mean change of the board's confidence that quarter, for each of the four plays,
    in `calm`, the game without replacements (`without_replacements`)."""
    out = {}
    for a in ("cooperative", "selfish"):
        for b in ("cooperative", "selfish"):
            state = start.copy()
            play_quarter(calm, state, pair(calm, a, b, seed))
            out[a[0] + b[0]] = (state.board - start.board).mean(axis=0)
    return out


def ordered(p: dict[str, np.ndarray], role: int) -> bool:
    keys = ("sc", "cc", "ss", "cs") if role == CMO else ("cs", "cc", "ss", "sc")
    t, r, pp, s = (float(p[k][role]) for k in keys)
    return t > r > pp > s


def measure(sid: str, games: int, seed: int) -> tuple[int, list[int]]:
    game = compile_game(load_scenario(resolve(sid)))
    calm = without_replacements(game)   # compiled once, not once per state
    kept = [0, 0]
    states = 0
    for q in range(1, game.quarters - 1):
        start = play(game, pair(game, "random", "random", seed), games, seed, quarters=q)
        if start.done:
            break
        p = payoffs(calm, start, seed + q)
        states += 1
        for role in (CMO, CTO):
            kept[role] += ordered(p, role)
    return states, kept


MOVES = ("go around", "take credit", "blame")
"""The selfish moves measured one at a time: going around (the CMO's shadow tool, the CTO's
standards freeze), taking the credit for a success, blaming the other for a failure."""


class OneSelfishMove(Cooperative):
    """Cooperative in everything but one selfish move, in one quarter."""

    def __init__(self, game: Game, role: int, seed: int, move: str, at: int) -> None:
        super().__init__(game, role, seed)
        self.move, self.at = move, at

    def _talk(self, obs: Observation) -> Talk:
        t = super()._talk(obs)
        if self.move == "go around" and obs.quarter == self.at:
            t.moves[:, GO_AROUND] = obs.legal_moves[:, GO_AROUND]
        return t

    def _aftermath(self, obs: Observation) -> Aftermath:
        a = super()._aftermath(obs)
        if obs.quarter != self.at:
            return a
        if self.move == "take credit":
            return Aftermath(np.where(obs.status == SUCCESS, TAKE_CREDIT, a.project), a.incident)
        if self.move == "blame":
            return Aftermath(np.where(obs.status == SUCCESS, a.project, BLAME),
                             np.full_like(a.incident, BLAME))
        return a


def move_price(game: Game, start: State, seed: int, role: int, move: str
               ) -> tuple[float, float, float, float]:
    """(pay, its standard error, cost, its standard error) of one selfish move by `role`
    in the quarter after `start`, the rest of the game cooperative on both sides, against
    the same game without it (common random numbers): pay is the actor's own board change
    that quarter, cost the company's final growth lost."""
    at = start.quarter + 1
    ends, pays = [], []
    for deviate in (False, True):
        pols = [Cooperative(game, CMO, seed), Cooperative(game, CTO, seed)]
        if deviate:
            pols[role] = OneSelfishMove(game, role, seed, move, at)
        state = start.copy()
        play_quarter(game, state, (pols[0], pols[1]))
        pays.append(state.board[:, role] - start.board[:, role])
        while not state.done:
            play_quarter(game, state, (pols[0], pols[1]))
        ends.append(results(game, state).growth)
    pay = pays[1] - pays[0]
    cost = ends[0] - ends[1]
    return (float(pay.mean()), float(pay.std() / np.sqrt(pay.size)),
            float(cost.mean()), float(cost.std() / np.sqrt(cost.size)))


def move_prices(sid: str, games: int, seed: int) -> dict[tuple[int, str], tuple[float, ...]]:
    """Every selfish move of both roles, from mid-game (a third of the way in, random play)."""
    game = compile_game(load_scenario(resolve(sid)))
    calm = without_replacements(game)
    start = play(calm, pair(calm, "random", "random", seed), games, seed,
                 quarters=max(game.quarters // 3, 1))
    return {(role, m): move_price(calm, start, seed + 1, role, m)
            for role in (CMO, CTO) for m in MOVES}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--games", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--scenario", action="append")
    args = ap.parse_args()
    ids = args.scenario or [p.stem for p in scenario_paths()]
    total, kept = 0, [0, 0]
    for sid in ids:
        n, k = measure(sid, args.games, args.seed)
        total += n
        kept = [kept[0] + k[0], kept[1] + k[1]]
        print(f"{sid:<22} states {n:>2}  T>R>P>S  CMO {k[0]}/{n}  CTO {k[1]}/{n}")
    print(f"{'all':<22} states {total:>2}  CMO {kept[0] / total:.0%}  CTO {kept[1] / total:.0%}")
    print("\nEach selfish move alone, once, from a third of the way in (cooperative otherwise):"
          "\nwhat it pays its actor's board that quarter, what it costs the company's growth"
          " by the end")
    for sid in ids:
        prices = move_prices(sid, args.games, args.seed)
        cells = [f"{('CMO', 'CTO')[r]} {m}: {pay:+.3f} / {cost * 100:+.1f} pts"
                 for (r, m), (pay, _se, cost, _cse) in prices.items()]
        print(f"{sid:<22} " + "; ".join(cells))


if __name__ == "__main__":
    main()
