"""Repair follows Kim et al. (RESEARCH.md), measured with common random numbers: the
same games, the same seed and the same luck, with only one response to one violation
differing between runs.

After a competence failure an apology that owns the fault repairs most, pleading
circumstances less, blaming the other least. After an integrity violation a denial
repairs more than an apology where it holds, and clearly less where guilt is proven
(aftermath.PROOF_CHANCE of the time), so on average the two are close and neither
dominates. Run as a script for the figures at a larger batch.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from game.ai.scripted import Cooperative
from game.engine import aftermath, board, execution, news, portfolio, talk
from game.engine.actions import Aftermath, Plan, Talk, moves_from
from game.engine.constants import (
    BLAME,
    BROKEN_PROMISE,
    CHALLENGED,
    CIRCUMSTANCES,
    CMO,
    CTO,
    DENY,
    FAILED,
    OWN,
    OWNER_CMO,
    PROMISE_FUND,
    SUCCESS,
    V_BOARD_CMO,
)
from game.engine.driver import play
from game.engine.game import Game
from game.engine.state import State

F64 = NDArray[np.float64]
BoolArr = NDArray[np.bool_]

RESPONSES = {"own": OWN, "circumstances": CIRCUMSTANCES, "blame": BLAME, "deny": DENY}
ONE_QUARTER = ("print-push", "debt-sprint", "security-hardening")  # land the quarter funded
B = 3000
SEED = 919


def _to_talk(game: Game, state: State) -> None:
    """Start the next quarter, up to its talk phase."""
    news.start_quarter(game, state)
    news.resolve_choices(game, state)


def _to_aftermath(game: Game, state: State, cmo: Talk, plan: Plan) -> None:
    """From the talk phase to the aftermath: the CMO's talk, the CTO silent, `plan` agreed."""
    b = state.batch
    talk.apply_talk(game, state, cmo, Talk.none(b))
    portfolio.commit(game, state, plan, np.ones(b, dtype=np.bool_))
    execution.execute(game, state)


def _close(game: Game, state: State) -> None:
    d = Aftermath.default(state.batch, game.n_projects)
    aftermath.apply_aftermath(game, state, d, d)
    board.close_quarter(game, state)


def _warm(game: Game, b: int, seed: int) -> State:
    """Four quarters of cooperative play: a relationship with some history."""
    return play(game, (Cooperative(game, CMO, seed), Cooperative(game, CTO, seed)), b, seed,
                quarters=4)


def broken_promise(game: Game, b: int, seed: int) -> tuple[State, BoolArr]:
    """Q5: the CMO promises to fund a project next quarter; Q6: it is not funded, so the
    CMO answers for a broken promise in Q6's aftermath. Also: the games where it did."""
    state = _warm(game, b, seed)
    _to_talk(game, state)
    target = np.argmax(portfolio.promisable(game, state, CMO, PROMISE_FUND), axis=1)
    promise = Talk(moves_from(["promise"], b), np.full(b, PROMISE_FUND, dtype=np.int64),
                   target.astype(np.int64), np.zeros(b, dtype=np.int64))
    empty = Plan.empty(b, game.n_projects)
    _to_aftermath(game, state, promise, empty)
    _close(game, state)
    _to_talk(game, state)
    _to_aftermath(game, state, Talk.none(b), empty)
    return state, state.incident[:, CMO, BROKEN_PROMISE].copy()


def failed_projects(game: Game, b: int, seed: int) -> tuple[State, BoolArr]:
    """Q5: the CMO runs the one-quarter projects alone; in the games where one of them
    fails or is challenged, the CMO answers for it in Q5's aftermath."""
    state = _warm(game, b, seed)
    _to_talk(game, state)
    plan = Plan.empty(b, game.n_projects)
    for name in ONE_QUARTER:
        j = game.project_ids.index(name)
        plan.fund[:, j] = True
        plan.owner[:, j] = OWNER_CMO
    _to_aftermath(game, state, Talk.none(b), portfolio.sanitize(game, state, plan))
    mine = state.outcome_q & (state.owner == OWNER_CMO)
    missed = mine & ((state.status == FAILED) | (state.status == CHALLENGED))
    return state, missed.any(axis=1)


def respond(game: Game, base: State, kind: str, response: int) -> tuple[F64, F64, F64]:
    """The CTO's trust in the CMO after the aftermath, the CMO's board at the quarter's
    close, and the CTO's ceiling, when the CMO gives `response` to the violation only
    (owning everything else, as the CTO does)."""
    state = base.copy()
    b = state.batch
    answer = Aftermath.default(b, game.n_projects)
    if kind == "integrity":
        answer.incident[:, BROKEN_PROMISE] = response
    else:
        answer.project[...] = np.where(state.outcome_q & (state.status != SUCCESS), response, OWN)
    aftermath.apply_aftermath(game, state, answer, Aftermath.default(b, game.n_projects))
    trust_now = state.trust[:, CTO].copy()
    ceiling = state.ceiling[:, CTO].copy()
    board.close_quarter(game, state)
    return trust_now, state.v[:, V_BOARD_CMO].copy(), ceiling


def _paired(a: F64, b: F64) -> tuple[float, float]:
    """Mean and standard error of the per-game difference a - b."""
    d = a - b
    return float(d.mean()), float(d.std(ddof=1) / np.sqrt(max(d.size, 1)))


def measure(game: Game, kind: str, b: int = B, seed: int = SEED) -> dict[str, dict[str, F64]]:
    """Each response's trust, board and ceiling over the games with a violation to answer."""
    base, hit = (broken_promise if kind == "integrity" else failed_projects)(game, b, seed)
    assert hit.mean() > 0.3, f"too few games with a {kind} violation: {hit.mean():.2f}"
    out: dict[str, dict[str, F64]] = {}
    for name, r in RESPONSES.items():
        t, bd, c = respond(game, base, kind, r)
        out[name] = {"trust": t[hit], "board": bd[hit], "ceiling": c[hit]}
    return out


def test_competence_owning_repairs_most_blaming_least(game: Game) -> None:
    """After a project of the CMO's fails or is challenged: CTO's trust in the CMO is
    highest when the CMO owns it, then circumstances, then blaming the CTO."""
    m = measure(game, "competence")
    for better, worse in (("own", "circumstances"), ("circumstances", "blame")):
        diff, se = _paired(m[better]["trust"], m[worse]["trust"])
        assert diff > 4 * se and diff > 0.003, (better, worse, diff, se)


def test_integrity_denial_holds_beats_apology_beats_denial_proven(game: Game) -> None:
    """After a broken promise: where a denial holds it leaves more trust than an apology
    (and no less board); where it is proven it leaves clearly less of both; on average
    trust is close and the apology is the safer choice with the board, so neither
    response dominates."""
    m = measure(game, "integrity")
    own, deny = m["own"], m["deny"]
    proven = deny["ceiling"] < own["ceiling"]  # a lie found out lowers the ceiling
    n = proven.size
    assert abs(proven.mean() - aftermath.PROOF_CHANCE) < 4 * np.sqrt(0.25 / n)

    holds, se_h = _paired(deny["trust"][~proven], own["trust"][~proven])
    caught, se_c = _paired(own["trust"][proven], deny["trust"][proven])
    assert holds > 4 * se_h and holds > 0.005
    assert caught > 4 * se_c and caught > holds  # a proven denial costs clearly more
    on_average = float(deny["trust"].mean() - own["trust"].mean())
    assert abs(on_average) < 0.25 * caught  # close: the proof chance prices the gamble

    board_holds, _ = _paired(deny["board"][~proven], own["board"][~proven])
    board_caught, se_b = _paired(own["board"][proven], deny["board"][proven])
    assert board_holds > -0.002
    assert board_caught > 4 * se_b and board_caught > 0.02
    assert own["board"].mean() > deny["board"].mean()


def test_docs_give_the_proof_chance_the_code_uses() -> None:
    """docs/engine.md states how often a denial is proven; it must be the code's figure."""
    text = (Path(__file__).resolve().parent.parent / "docs" / "engine.md").read_text()
    found = re.search(r"proven (\d+)% of the time", text)
    assert found, "docs/engine.md no longer says how often a denial is proven"
    assert int(found.group(1)) == round(100 * aftermath.PROOF_CHANCE)


def main() -> None:
    """The figures behind the tests, per response: mean trust and board after it."""
    from game.engine.game import compile_game
    from tests.conftest import load_default_scenario

    game = compile_game(load_default_scenario())
    b = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    for kind in ("competence", "integrity"):
        m = measure(game, kind, b)
        proven = m["deny"]["ceiling"] < m["own"]["ceiling"]
        print(f"{kind} ({m['own']['trust'].size} games with a violation)")
        for name, v in m.items():
            line = f"  {name:<13} trust {v['trust'].mean():.4f}  board {v['board'].mean():.4f}"
            if kind == "integrity" and name == "deny":
                line += (f"  | holds ({(~proven).mean():.0%}) trust "
                         f"{v['trust'][~proven].mean():.4f}"
                         f" board {v['board'][~proven].mean():.4f}"
                         f"  | proven trust {v['trust'][proven].mean():.4f}"
                         f" board {v['board'][proven].mean():.4f}")
            if kind == "integrity" and name == "own":
                line += (f"  | same games: trust {v['trust'][~proven].mean():.4f} / "
                         f"{v['trust'][proven].mean():.4f}, board "
                         f"{v['board'][~proven].mean():.4f} / {v['board'][proven].mean():.4f}")
            print(line)


if __name__ == "__main__":
    main()
