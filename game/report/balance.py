"""The balance report: does a scenario play the way its author meant, and does it teach?

Three runs of scripted pairs through `montecarlo.chunks` (reciprocal, cooperative and
selfish, each pair in both seats) and a small tournament through `tournament.run`.
Each chunk is folded into counts at once (`Tally`), so memory does not grow with the
number of games. From them: how often each event fires and each option is taken;
each card funded, finished, challenged or failed, and by whom; the moves used; each
board's confidence quarter by quarter with its 10-90% band; replacements; the
cooperative-minus-selfish gap with a 95% interval; the tournament's best replies; and
the warnings a facilitator should act on. `probe` is the short run `validate` uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.constants import (
    CHALLENGED,
    FAILED,
    MOVES,
    N_SOURCES,
    SOURCES,
    SRC_MARKET,
    SUCCESS,
)
from game.engine.driver import Need, Policy, Request
from game.engine.game import Game
from game.engine.observation import Observation
from game.engine.results import dividend
from game.engine.state import State
from game.report import tournament
from game.report.montecarlo import Job, chunks, play_chunk
from game.scenario.models import Scenario

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

BINS = 50
"""Bins of the board-confidence histogram per quarter (0 to 1): the band's resolution."""
PAIRS: tuple[tuple[str, str, str], ...] = (
    ("reciprocal", "reciprocal", "reciprocal"),
    ("cooperative", "cooperative", "cooperative"),
    ("selfish", "selfish", "selfish"),
    ("random, any option", "random", "random"),
)
"""The pairs played. Events and options are counted over all of them: scripted players
take the first option or the one their style leans to (engine/leanings.py), so the
last pair draws options at random to try every one (and the events that follow)."""
DOMINANT_SHARE = 0.5
"""A personality that is the best reply in more than this share of matchups dominates."""
MARKET_SHARE = 0.5
"""When the market alone explains more than this share of the growth, choices matter little."""


@dataclass
class Tally:
    """Counts folded from chunks: bounded memory whatever the number of games."""

    n: int = 0
    fired: I64 | None = None           # (E,) games in which the event happened
    options: I64 | None = None         # (E, C) games whose last choice was option c
    funded: I64 | None = None          # (P,) games in which the card was started
    owner: I64 | None = None           # (P, 3) started cards by owner: CMO, CTO, joint
    outcome: I64 | None = None         # (P, 3) success, challenged, failed (last run)
    moves: I64 | None = None           # (2, N_MOVES) total uses
    move_games: I64 | None = None      # (2, N_MOVES) games with at least one use
    board_hist: I64 | None = None      # (Q + 1, 2, BINS)
    board_sum: F64 | None = None       # (Q + 1, 2)
    replaced: F64 = field(default_factory=lambda: np.zeros(2))
    any_replaced: int = 0
    sums: F64 = field(default_factory=lambda: np.zeros(3))    # growth, board CMO, board CTO
    squares: F64 = field(default_factory=lambda: np.zeros(3))
    dividend: F64 = field(default_factory=lambda: np.zeros(N_SOURCES))

    def add(self, other: Tally) -> None:
        if self.n == 0:
            self.__dict__.update({k: (v.copy() if isinstance(v, np.ndarray) else v)
                                  for k, v in other.__dict__.items()})
            return
        for k, v in other.__dict__.items():
            setattr(self, k, getattr(self, k) + v)


class AnyOption:
    """A player that takes a random option at every event and otherwise plays as `inner`:
    scripted players take the first option or the one their style leans to, which would
    leave the others (and the events that follow from them) untried."""

    def __init__(self, inner: Policy, game: Game, seed: int) -> None:
        self.inner = inner
        self.name = f"{inner.name}, any option"
        self.options = np.array([max(len(e.choices), 1) for e in game.scenario.events])
        self.rng = np.random.default_rng(seed)

    def decide(self, obs: Observation, request: Request) -> Any:
        if request.kind != Need.EVENT:
            return self.inner.decide(obs, request)
        shape = obs.pending_choice.shape
        return np.floor(self.rng.random(shape) * self.options[None, :]).astype(np.int64)


def _any_option(job: Job) -> Callable[[Policy, Game], Policy]:
    def wrap(policy: Policy, game: Game) -> Policy:
        return AnyOption(policy, game, job.seed * 1_000_003 + job.stream)
    return wrap


def tally_chunk(job: Job) -> Tally:
    """Play one chunk and fold it into counts (a worker runs this)."""
    return _tally(*play_chunk(job))


def tally_any_option_chunk(job: Job) -> Tally:
    """The same with every event's option drawn at random (a worker runs this)."""
    return _tally(*play_chunk(job, _any_option(job)))


def _tally(game: Game, state: State) -> Tally:
    sc = game.scenario
    b = state.batch
    n_opt = max([len(e.choices) for e in sc.events] + [1])
    options = np.zeros((len(sc.events), n_opt), dtype=np.int64)
    for k in range(len(sc.events)):
        taken = state.choice[:, k]
        options[k] = np.bincount(taken[taken >= 0], minlength=n_opt)[:n_opt]
    started = state.started > 0
    owner = np.stack([np.count_nonzero(started & (state.owner == o), axis=0)
                      for o in range(3)], axis=1)
    outcome = np.stack([np.count_nonzero(state.status == s, axis=0)
                        for s in (SUCCESS, CHALLENGED, FAILED)], axis=1)
    hist = state.hist_board
    idx = np.clip((hist * BINS).astype(np.int64), 0, BINS - 1)
    board_hist = np.zeros((hist.shape[1], 2, BINS), dtype=np.int64)
    for q in range(hist.shape[1]):
        for r in range(2):
            board_hist[q, r] = np.bincount(idx[:, q, r], minlength=BINS)
    growth = state.revenue / state.revenue0 - 1.0
    figures = np.stack([growth, state.board[:, 0], state.board[:, 1]])
    return Tally(
        n=b, fired=state.fired.sum(axis=0).astype(np.int64), options=options,
        funded=started.sum(axis=0).astype(np.int64), owner=owner.astype(np.int64),
        outcome=outcome.astype(np.int64), moves=state.move_counts.sum(axis=0),
        move_games=(state.move_counts > 0).sum(axis=0).astype(np.int64),
        board_hist=board_hist, board_sum=hist.sum(axis=0),
        replaced=state.replacements.sum(axis=0).astype(np.float64),
        any_replaced=int(np.count_nonzero(state.replacements.sum(axis=1))),
        sums=figures.sum(axis=1), squares=(figures ** 2).sum(axis=1),
        dividend=dividend(state).sum(axis=0))


def tally(scenario: Scenario, cmo: str, cto: str, games: int, seed: int,
          workers: int | None = None, progress: Callable[[int], None] | None = None,
          any_option: bool = False) -> Tally:
    total = Tally()
    work = tally_any_option_chunk if any_option else tally_chunk
    for part in chunks(scenario, cmo, cto, games, seed, workers, work=work):
        total.add(part)
        if progress is not None:
            progress(part.n)
    return total


def probe(scenario: Scenario, games: int = 200, seed: int = 1) -> list[int]:
    """Events that never happened in `games` games of each scripted pair (random players
    included, so every option gets tried): for `validate`, where a condition reads more
    than the quarter and sampling cannot decide."""
    total = Tally()
    for name, cmo, cto in PAIRS:
        total.add(tally(scenario, cmo, cto, games, seed, workers=1,
                        any_option="any option" in name))
    assert total.fired is not None
    return [k for k in range(len(scenario.events)) if total.fired[k] == 0]


# -- the report as data ---------------------------------------------------------------------

def _r(x: float, nd: int = 4) -> float:
    return float(round(float(x), nd))


def _band(hist: I64, lo: float = 0.1, hi: float = 0.9) -> tuple[float, float]:
    cum = np.cumsum(hist) / max(int(hist.sum()), 1)
    a = int(np.searchsorted(cum, lo)) / BINS
    b = (int(np.searchsorted(cum, hi)) + 1) / BINS
    return _r(a, 3), _r(min(b, 1.0), 3)


def _mean_var(t: Tally, i: int) -> tuple[float, float]:
    m = t.sums[i] / t.n
    var = max(t.squares[i] / t.n - m * m, 0.0) * t.n / max(t.n - 1, 1)
    return float(m), float(var)


def gap(coop: Tally, selfish: Tally, i: int) -> dict[str, float]:
    """Cooperative minus selfish mean of figure i, with a 95% normal interval."""
    m1, v1 = _mean_var(coop, i)
    m2, v2 = _mean_var(selfish, i)
    d = m1 - m2
    half = 1.96 * float(np.sqrt(v1 / coop.n + v2 / selfish.n))
    return {"gap": _r(d), "low": _r(d - half), "high": _r(d + half)}


def _events(sc: Scenario, t: Tally) -> list[dict[str, Any]]:
    assert t.fired is not None and t.options is not None
    out = []
    for k, e in enumerate(sc.events):
        fired = int(t.fired[k])
        opts = [{"id": c.id, "label": c.label,
                 "share": _r(t.options[k, i] / fired) if fired else 0.0}
                for i, c in enumerate(e.choices)]
        out.append({"id": e.id, "title": e.title, "fired": _r(fired / t.n),
                    "chooser": e.chooser, "options": opts})
    return out


def _cards(sc: Scenario, t: Tally) -> list[dict[str, Any]]:
    assert t.funded is not None and t.owner is not None and t.outcome is not None
    out = []
    for j, p in enumerate(sc.projects):
        funded = int(t.funded[j])

        def per(x: Any, funded: int = funded) -> float:
            return _r(x / funded) if funded else 0.0

        out.append({"id": p.id, "title": p.title, "funded": _r(funded / t.n),
                    "success": per(t.outcome[j, 0]), "challenged": per(t.outcome[j, 1]),
                    "failed": per(t.outcome[j, 2]),
                    "by": {"cmo": per(t.owner[j, 0]), "cto": per(t.owner[j, 1]),
                           "joint": per(t.owner[j, 2])}})
    return out


def _boards(t: Tally) -> dict[str, list[dict[str, float]]]:
    assert t.board_hist is not None and t.board_sum is not None
    out: dict[str, list[dict[str, float]]] = {"cmo": [], "cto": []}
    for r, role in enumerate(("cmo", "cto")):
        for q in range(t.board_hist.shape[0]):
            lo, hi = _band(t.board_hist[q, r])
            out[role].append({"quarter": q, "mean": _r(t.board_sum[q, r] / t.n), "p10": lo,
                              "p90": hi})
    return out


def _run_summary(sc: Scenario, name: str, t: Tally) -> dict[str, Any]:
    assert t.moves is not None and t.move_games is not None
    growth = t.sums[0] / t.n
    div = t.dividend / t.n
    return {
        "pair": name, "games": t.n, "growth": _r(growth),
        "board": {"cmo": _r(t.sums[1] / t.n), "cto": _r(t.sums[2] / t.n)},
        "replacements": {"cmo": _r(t.replaced[0] / t.n), "cto": _r(t.replaced[1] / t.n),
                         "games_with_any": _r(t.any_replaced / t.n)},
        "sources": {SOURCES[i]: _r(div[i]) for i in range(N_SOURCES)},
        "events": _events(sc, t), "cards": _cards(sc, t),
        "moves": {role: {MOVES[m]: {"per_game": _r(t.moves[r, m] / t.n),
                                     "games": _r(t.move_games[r, m] / t.n)}
                         for m in range(len(MOVES))}
                  for r, role in enumerate(("cmo", "cto"))},
        "board_by_quarter": _boards(t),
    }


def warnings(report: dict[str, Any]) -> list[str]:
    """What a facilitator should look at, in plain sentences."""
    out: list[str] = []
    main = report["runs"][0]
    every = report["games"] * len(report["runs"])
    for e in report["events"]:
        if e["fired"] == 0:
            out.append(f"event '{e['id']}' never happened in {every} games of any pair")
        for o in e["options"]:
            if e["fired"] and o["share"] == 0 and len(e["options"]) > 1:
                out.append(f"option '{o['id']}' of event '{e['id']}' was never chosen, not "
                           "even when options were drawn at random")
    for c in main["cards"]:
        if c["funded"] == 0:
            out.append(f"card '{c['id']}' was never funded in {main['games']} games")
    rows = report["tournament"]["ranking"]["rows"] if report["tournament"] else []
    for row in rows:
        if row["matchups"] and row["best_replies"] / row["matchups"] > DOMINANT_SHARE:
            out.append(f"'{row['name']}' is the best reply in {row['best_replies']} of "
                       f"{row['matchups']} matchups: one personality wins most of the field")
    growth = main["growth"]
    market = main["sources"][SOURCES[SRC_MARKET]]
    g = report["gap"]["growth"]
    if growth > 0 and market / growth > MARKET_SHARE:
        out.append(f"the market alone explains {100 * market / growth:.0f}% of the growth "
                   f"({100 * market:+.1f} of {100 * growth:+.1f} points), whatever the players "
                   f"do; their choices move the rest (cooperative minus selfish: "
                   f"{100 * g['gap']:+.1f} points). Lower bass_p and bass_q, or start nearer "
                   "the market's size, to give their choices more weight")
    if g["low"] <= 0 <= g["high"]:
        out.append("cooperating does not grow the company measurably more than acting "
                   f"selfishly (gap {100 * g['gap']:+.1f} points, 95% interval "
                   f"{100 * g['low']:+.1f} to {100 * g['high']:+.1f})")
    return out


def run(scenario: Scenario, games: int, seed: int, workers: int | None = None,
        tournament_games: int = 100,
        progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """The whole report as plain data (deterministic for a seed)."""
    t_total = tournament.planned_games(scenario, tournament_games)
    total = games * len(PAIRS) + t_total
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    tallies = [tally(scenario, cmo, cto, games, seed, workers, tick, "any option" in name)
               for name, cmo, cto in PAIRS]
    runs = [_run_summary(scenario, name, t)
            for (name, _, _), t in zip(PAIRS, tallies, strict=True)]
    base = done
    tour = None
    if tournament_games:
        tour = tournament.run(scenario, tournament_games, seed, workers,
                              lambda d, _t: tick(base + d - done))
    coop, selfish = tallies[1], tallies[2]
    every = Tally()
    for t in tallies:
        every.add(t)
    report: dict[str, Any] = {
        "scenario": scenario.id, "title": scenario.title, "quarters": scenario.quarters,
        "games": games, "seed": seed, "threshold": scenario.board.threshold, "runs": runs,
        "gap": {"growth": gap(coop, selfish, 0), "board_cmo": gap(coop, selfish, 1),
                "board_cto": gap(coop, selfish, 2)},
        "tournament": tour, "events": _events(scenario, every),
    }
    report["warnings"] = warnings(report)
    return report
