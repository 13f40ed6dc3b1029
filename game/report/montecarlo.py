"""Monte Carlo of many games: chunks of a fixed size, spread over worker processes.

The chunk size never depends on the number of workers, and chunk i always uses
stream i, so the same seed gives the same games (and byte-identical output)
whether it runs on one core or two.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from game.ai.registry import make_policy
from game.engine.constants import (
    CMO,
    CTO,
    N_SOURCES,
)
from game.engine.driver import play
from game.engine.game import Game, compile_game, scenario_hash
from game.engine.results import martech_revenue, results
from game.scenario.models import Scenario

F64 = NDArray[np.float64]

CHUNK = 10000

# Per-game columns gathered from every chunk.
COLUMNS: tuple[str, ...] = (
    "growth", "trust_cmo_to_cto", "trust_cto_to_cmo", "ownership", "board_cmo", "board_cto",
    "replaced_cmo", "replaced_cto", "success", "challenged", "failed", "kept", "broken",
    "goarounds", "discovered", "deadlocks", "martech_revenue", "martech_spend", "score",
    *(f"dividend_{i}" for i in range(N_SOURCES)),
)


@dataclass(frozen=True)
class Job:
    scenario: Scenario
    key: str  # the scenario's hash: a worker compiles each scenario once, not per chunk
    cmo: str
    cto: str
    seed: int
    stream: int
    batch: int


_GAME: dict[str, Game] = {}


def _game(job: Job) -> Game:
    if job.key not in _GAME:
        _GAME.clear()
        _GAME[job.key] = compile_game(job.scenario)
    return _GAME[job.key]


def run_chunk(job: Job) -> F64:
    """Play one chunk and return its per-game columns, shape (len(COLUMNS), batch)."""
    game = _game(job)
    policies = (make_policy(job.cmo, game, CMO, job.seed, job.stream),
                make_policy(job.cto, game, CTO, job.seed, job.stream))
    state = play(game, policies, job.batch, job.seed, job.stream, ledger=False)
    r = results(game, state)
    martech = martech_revenue(state)
    cols = [
        r.growth, r.trust[:, CMO], r.trust[:, CTO], r.ownership, r.board[:, CMO],
        r.board[:, CTO], r.replacements[:, CMO], r.replacements[:, CTO], r.outcomes[:, 0],
        r.outcomes[:, 1], r.outcomes[:, 2], r.kept.sum(axis=1), r.broken.sum(axis=1),
        r.goarounds.sum(axis=1), r.discovered.sum(axis=1), r.deadlocks, martech,
        state.martech_spend, r.score, *(r.dividend[:, i] for i in range(N_SOURCES)),
    ]
    return np.stack([np.asarray(c, dtype=np.float64) for c in cols])


def jobs(scenario: Scenario, cmo: str, cto: str, games: int, seed: int) -> list[Job]:
    key = scenario_hash(scenario)
    return [Job(scenario, key, cmo, cto, seed, i, min(CHUNK, games - start))
            for i, start in enumerate(range(0, games, CHUNK))]


def ignore_interrupts() -> None:
    """A worker's start: Ctrl-C reaches the whole process group, and only the parent
    should answer it (one line, then it terminates the pool), not every worker with
    its own traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _context() -> mp.context.BaseContext:
    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


def worker_pool(workers: int) -> mp.pool.Pool:
    """A pool whose workers ignore Ctrl-C from their first instant.

    While the workers start, a Ctrl-C is only noted (a worker forked then must not
    raise, and the parent must not lose the key press), then answered here.
    """
    main = threading.current_thread() is threading.main_thread()
    pressed: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda n, f: pressed.append(n)) if main else None
    try:
        pool = _context().Pool(workers, initializer=ignore_interrupts)
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)
    if pressed:
        pool.terminate()
        raise KeyboardInterrupt
    return pool


def run(scenario: Scenario, cmo: str, cto: str, games: int, seed: int,
        workers: int | None = None,
        progress: Callable[[int, int], None] | None = None) -> F64:
    """All games' columns, (len(COLUMNS), games), in a fixed order."""
    todo = jobs(scenario, cmo, cto, games, seed)
    workers = min(workers or os.cpu_count() or 1, len(todo))
    parts: list[F64] = []
    done = 0

    def collect(it: Iterator[F64]) -> None:
        nonlocal done
        for part in it:
            parts.append(part)
            done += part.shape[1]
            if progress is not None:
                progress(done, games)

    if workers <= 1:
        collect(run_chunk(j) for j in todo)
    else:
        with worker_pool(workers) as pool:
            collect(pool.imap(run_chunk, todo))
    return np.concatenate(parts, axis=1) if parts else np.zeros((len(COLUMNS), 0))
