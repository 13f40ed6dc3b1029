"""The tournament: every AI personality as CMO against every one as CTO.

Axelrod's lesson applies: which strategy does best depends on the field, so the
game must not have one that wins everywhere. This plays a round robin (same
seed and luck for every pair, so pairs differ only by who plays), ranks the
personalities by company growth and by their own board confidence, and runs the
noise experiment: a generous reciprocator (forgives a third) against a strict
one (never forgives), with and without misreadings (Nowak & Sigmund).

Games run in chunks of a fixed size, chunk i on stream i, over worker processes
in a fixed order, so a seed gives the same numbers on one core or two.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.ai.counterpart import Counterpart
from game.ai.personalities import personalities
from game.engine.constants import CMO, CTO
from game.engine.driver import play
from game.engine.game import Game, compile_game
from game.engine.results import results
from game.report.montecarlo import worker_pool
from game.scenario.models import Personality, Scenario

F64 = NDArray[np.float64]

CHUNK = 1000
COLUMNS: tuple[str, ...] = (
    "growth", "board_cmo", "board_cto", "trust_cmo_to_cto", "trust_cto_to_cmo", "ownership",
    "deadlocks", "goarounds", "replaced_cmo", "replaced_cto",
)
NOISE_LEVELS: tuple[float, float] = (0.0, 0.1)
GENEROUS = "generous"
STRICT = "strict"


@dataclass(frozen=True)
class Seat:
    """Who plays: a personality by name, as data so a worker process can rebuild it."""

    name: str
    personality: Personality


@dataclass(frozen=True)
class Job:
    scenario: Scenario
    cmo: Seat
    cto: Seat
    seed: int
    stream: int
    batch: int
    misread: float | None = None


_GAMES: dict[tuple[int, float | None], Game] = {}


def _game(scenario: Scenario, misread: float | None) -> Game:
    key = (id(scenario), misread)
    if key not in _GAMES:
        if len(_GAMES) > 8:
            _GAMES.clear()
        sc = scenario
        if misread is not None:
            rel = sc.relationship.model_copy(update={"misread": misread})
            sc = sc.model_copy(update={"relationship": rel})
        _GAMES[key] = compile_game(sc)
    return _GAMES[key]


def run_chunk(job: Job) -> F64:
    """Play one chunk; per-game columns, shape (len(COLUMNS), batch)."""
    game = _game(job.scenario, job.misread)
    policies = (
        Counterpart(game, CMO, job.seed, job.stream, name=job.cmo.name,
                    personality=job.cmo.personality, lookahead=False),
        Counterpart(game, CTO, job.seed + 1, job.stream, name=job.cto.name,
                    personality=job.cto.personality, lookahead=False))
    state = play(game, policies, job.batch, job.seed, job.stream, ledger=False)
    r = results(game, state)
    cols = [r.growth, r.board[:, CMO], r.board[:, CTO], r.trust[:, CMO], r.trust[:, CTO],
            r.ownership, r.deadlocks, r.goarounds.sum(axis=1), r.replacements[:, CMO],
            r.replacements[:, CTO]]
    return np.stack([np.asarray(c, dtype=np.float64) for c in cols])


def _chunks(scenario: Scenario, cmo: Seat, cto: Seat, games: int, seed: int,
            misread: float | None = None) -> list[Job]:
    return [Job(scenario, cmo, cto, seed, i, min(CHUNK, games - start), misread)
            for i, start in enumerate(range(0, games, CHUNK))]


def _run_jobs(jobs: list[Job], workers: int, tick: Callable[[int], None]) -> list[F64]:
    out: list[F64] = []

    def collect(it: Iterator[F64]) -> None:
        for part in it:
            out.append(part)
            tick(part.shape[1])

    if workers <= 1 or len(jobs) <= 1:
        collect(run_chunk(j) for j in jobs)
    else:
        with worker_pool(min(workers, len(jobs))) as pool:
            collect(pool.imap(run_chunk, jobs))
    return out


def _r(x: float, nd: int = 4) -> float:
    return float(round(float(x), nd))


def _summary(data: F64) -> dict[str, float]:
    return {name: _r(data[i].mean()) if data.shape[1] else 0.0
            for i, name in enumerate(COLUMNS)}


def seats(scenario: Scenario) -> list[Seat]:
    """Every personality the scenario knows: the six built-ins, then its own additions."""
    return [Seat(name, p) for name, p in personalities(scenario).items()]


def noise_seats(scenario: Scenario) -> tuple[Seat, Seat]:
    """The generous reciprocator (the Mirror) and a strict one (the Mirror never forgiving)."""
    mirror = personalities(scenario)["mirror"]
    strict = mirror.model_copy(update={"forgiveness": 0.0, "title": "The Strict Mirror"})
    return Seat(GENEROUS, mirror), Seat(STRICT, strict)


def _matchups(scenario: Scenario) -> tuple[list[tuple[Seat, Seat]],
                                           list[tuple[float, Seat, Seat]]]:
    """The round robin's pairs, and the noise experiment's (level, CMO, CTO)."""
    field = seats(scenario)
    generous, strict = noise_seats(scenario)
    pairs = [(a, b) for a in field for b in field]
    noise = [(lvl, a, b) for lvl in NOISE_LEVELS
             for a, b in ((generous, generous), (strict, strict), (generous, strict),
                          (strict, generous))]
    return pairs, noise


def planned_games(scenario: Scenario, games: int) -> int:
    """How many games a tournament of `games` a pair plays in all (for progress)."""
    pairs, noise = _matchups(scenario)
    return games * (len(pairs) + len(noise))


def run(scenario: Scenario, games: int, seed: int, workers: int | None = None,
        progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """The whole tournament as plain data (deterministic for a seed)."""
    field = seats(scenario)
    pairs, noise = _matchups(scenario)
    jobs: list[Job] = []
    spans: list[tuple[int, int]] = []
    for a, b in pairs:
        part = _chunks(scenario, a, b, games, seed)
        spans.append((len(jobs), len(jobs) + len(part)))
        jobs += part
    for lvl, a, b in noise:
        part = _chunks(scenario, a, b, games, seed, misread=lvl)
        spans.append((len(jobs), len(jobs) + len(part)))
        jobs += part
    total = planned_games(scenario, games)
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    parts = _run_jobs(jobs, workers or os.cpu_count() or 1, tick)
    blocks = [np.concatenate(parts[a:b], axis=1) for a, b in spans]

    table = []
    for (a, b), data in zip(pairs, blocks[:len(pairs)], strict=True):
        table.append({"cmo": a.name, "cto": b.name, "games": int(data.shape[1]),
                      **_summary(data)})
    experiment = []
    for (lvl, a, b), data in zip(noise, blocks[len(pairs):], strict=True):
        experiment.append({"misread": lvl, "cmo": a.name, "cto": b.name,
                           "games": int(data.shape[1]), **_summary(data)})
    return {
        "scenario": scenario.id, "games_per_pair": games, "seed": seed,
        "personalities": [s.name for s in field],
        "pairs": table,
        "ranking": ranking(table),
        "noise": experiment,
        "noise_verdict": noise_verdict(experiment),
    }


def ranking(table: list[dict[str, Any]]) -> dict[str, Any]:
    """Each personality's mean company growth (either seat) and own board confidence.

    A personality's `best_replies` counts the opponents (per seat) against which
    no other personality earned itself more board confidence: Axelrod's view of
    who wins. `winner` tops the own-board ranking; `dominant` lists any that were
    the best reply to every opponent in both seats.
    """
    names = list(dict.fromkeys([row["cmo"] for row in table] + [row["cto"] for row in table]))
    best_cmo = {cto: max(r["board_cmo"] for r in table if r["cto"] == cto)
                for cto in {r["cto"] for r in table}}
    best_cto = {cmo: max(r["board_cto"] for r in table if r["cmo"] == cmo)
                for cmo in {r["cmo"] for r in table}}
    rows = []
    for name in names:
        as_cmo = [r for r in table if r["cmo"] == name]
        as_cto = [r for r in table if r["cto"] == name]
        growth = [r["growth"] for r in as_cmo + as_cto]
        board = [r["board_cmo"] for r in as_cmo] + [r["board_cto"] for r in as_cto]
        wins = sum(r["board_cmo"] >= best_cmo[r["cto"]] for r in as_cmo)
        wins += sum(r["board_cto"] >= best_cto[r["cmo"]] for r in as_cto)
        rows.append({"name": name, "growth": _r(np.mean(growth)), "board": _r(np.mean(board)),
                     "best_replies": int(wins), "matchups": len(growth)})
    by_growth = [r["name"] for r in sorted(rows, key=lambda r: (-r["growth"], r["name"]))]
    by_board = [r["name"] for r in sorted(rows, key=lambda r: (-r["board"], r["name"]))]
    dominant = [r["name"] for r in rows if r["best_replies"] == r["matchups"]]
    return {"rows": rows, "by_growth": by_growth, "by_board": by_board,
            "winner": by_board[0] if by_board else None, "dominant": dominant}


def noise_verdict(experiment: list[dict[str, Any]]) -> dict[str, Any]:
    """Self-play growth of each reciprocator with and without noise, and the difference."""
    out: dict[str, Any] = {}
    for lvl in NOISE_LEVELS:
        row = {r["cmo"]: r["growth"] for r in experiment
               if r["misread"] == lvl and r["cmo"] == r["cto"]}
        out[f"misread_{lvl}"] = {"generous_self_play": row.get(GENEROUS, 0.0),
                                 "strict_self_play": row.get(STRICT, 0.0),
                                 "generous_lead": _r(row.get(GENEROUS, 0.0)
                                                     - row.get(STRICT, 0.0))}
    return out


# -- text ---------------------------------------------------------------------------------

def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = []
    for k, r in enumerate([head, *rows]):
        cells = [c.ljust(w) if i < 2 else c.rjust(w)
                 for i, (c, w) in enumerate(zip(r, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def format_text(t: dict[str, Any]) -> str:
    out = [f"Tournament on {t['scenario']}: every personality as CMO against every one as "
           f"CTO, {t['games_per_pair']} games per pair, seed {t['seed']}", ""]
    head = ("CMO", "CTO", "growth", "board CMO", "board CTO", "trust CMO>CTO", "trust CTO>CMO")
    rows: list[Sequence[str]]
    rows = [(str(r["cmo"]), str(r["cto"]), f"{100 * r['growth']:+.1f}%", f"{r['board_cmo']:.2f}",
             f"{r['board_cto']:.2f}", f"{r['trust_cmo_to_cto']:.2f}",
             f"{r['trust_cto_to_cmo']:.2f}") for r in t["pairs"]]
    out += _table(head, rows)
    rk = t["ranking"]
    order = {n: i for i, n in enumerate(rk["by_growth"])}
    board_rank = {n: i + 1 for i, n in enumerate(rk["by_board"])}
    out += ["", "Ranking (mean over both seats and every opponent)"]
    rows = [(str(order[r["name"]] + 1), str(r["name"]), f"{100 * r['growth']:+.1f}%",
             f"{r['board']:.2f}", str(board_rank[r["name"]]),
             f"{r['best_replies']}/{r['matchups']}")
            for r in sorted(rk["rows"], key=lambda r: order[r["name"]])]
    out += _table(("#", "personality", "growth", "own board", "board rank", "best reply"),
                  rows)
    out.append("(growth: the company's, when this personality sits in either seat; own board: "
               "its own board confidence; best reply: opponents against which no one did "
               "better for itself)")
    if rk["dominant"]:
        out.append(f"Dominant: {', '.join(rk['dominant'])} did best for itself against every "
                   "opponent.")
    else:
        out.append(f"Winner on own board confidence: {rk['winner']}; no personality did best "
                   "for itself against every opponent.")
    out += ["", "Noise experiment: the Mirror (forgives a third) against a strict Mirror "
            "(never forgives)"]
    rows = [(str(r["cmo"]), str(r["cto"]), f"{r['misread']:.2f}", f"{100 * r['growth']:+.1f}%",
             f"{r['trust_cmo_to_cto']:.2f}", f"{r['trust_cto_to_cmo']:.2f}",
             f"{r['deadlocks']:.2f}") for r in t["noise"]]
    out += _table(("CMO", "CTO", "misread", "growth", "trust CMO>CTO", "trust CTO>CMO",
                   "deadlocks"), rows)
    for key, v in t["noise_verdict"].items():
        out.append(f"  {key.replace('_', ' ')}: generous self-play "
                   f"{100 * v['generous_self_play']:+.1f}% vs strict "
                   f"{100 * v['strict_self_play']:+.1f}% "
                   f"({100 * v['generous_lead']:+.1f} points)")
    return "\n".join(out) + "\n"


__all__ = ["COLUMNS", "format_text", "noise_seats", "ranking", "run", "run_chunk", "seats"]
