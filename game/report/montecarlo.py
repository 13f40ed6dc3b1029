"""Monte Carlo of many games: chunks of a fixed size, spread over worker processes.

The chunk size never depends on the number of workers, and chunk i always uses
stream i, so the same seed gives the same games (and byte-identical output)
whether it runs on one core or two.

`run` returns every game's columns (tests and benchmarks that look at single
games); `aggregate` folds each chunk into running totals as it arrives, so a run's
memory does not grow with its number of games (`sameteam simulate` uses it).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.ai.registry import make_policy
from game.engine.constants import (
    CMO,
    CTO,
    N_SOURCES,
)
from game.engine.driver import Policy, play
from game.engine.game import Game, compile_game, scenario_hash
from game.engine.results import martech_revenue, results
from game.engine.state import State
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


@contextlib.contextmanager
def worker_pool(workers: int) -> Iterator[mp.pool.Pool]:
    """A pool whose workers ignore Ctrl-C from their first instant, for a `with` block.

    While the workers start, a Ctrl-C is only noted (a worker forked then must not
    raise, and the parent must not lose the key press), then answered here. When the
    block ends by an exception (Ctrl-C above all) the workers are killed before the
    pool is torn down: terminating a pool whose workers are still starting can wait
    for ever on a queue one of them holds.
    """
    main = threading.current_thread() is threading.main_thread()
    pressed: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda n, f: pressed.append(n)) if main else None
    try:
        pool = _context().Pool(workers, initializer=ignore_interrupts)
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)
    try:
        if pressed:
            raise KeyboardInterrupt
        yield pool
    except BaseException:
        for worker in list(getattr(pool, "_pool", [])):
            with contextlib.suppress(OSError, ValueError, AttributeError):
                worker.kill()
        raise
    finally:
        pool.terminate()


def chunks(scenario: Scenario, cmo: str, cto: str, games: int, seed: int,
           workers: int | None = None,
           work: Callable[[Job], Any] = run_chunk) -> Iterator[Any]:
    """Each chunk's result in order, as the workers finish them: its columns, or what
    `work` (a module-level function, so a worker can run it) makes of the chunk."""
    todo = jobs(scenario, cmo, cto, games, seed)
    workers = min(workers or os.cpu_count() or 1, len(todo))
    if workers <= 1:
        yield from (work(j) for j in todo)
    else:
        with worker_pool(workers) as pool:
            yield from pool.imap(work, todo)


def play_chunk(job: Job, wrap: Callable[[Policy, Game], Policy] | None = None,
               ) -> tuple[Game, State]:
    """One chunk played to the end, for a `work` function that reads more than the
    columns (the balance report); without `wrap`, the same games as run_chunk's."""
    game = _game(job)
    policies = (make_policy(job.cmo, game, CMO, job.seed, job.stream),
                make_policy(job.cto, game, CTO, job.seed, job.stream))
    if wrap is not None:
        policies = (wrap(policies[0], game), wrap(policies[1], game))
    return game, play(game, policies, job.batch, job.seed, job.stream, ledger=False)


def _reported(parts: Iterable[F64], games: int,
              progress: Callable[[int, int], None] | None) -> Iterator[F64]:
    done = 0
    for part in parts:
        done += part.shape[1]
        if progress is not None:
            progress(done, games)
        yield part


def run(scenario: Scenario, cmo: str, cto: str, games: int, seed: int,
        workers: int | None = None,
        progress: Callable[[int, int], None] | None = None) -> F64:
    """All games' columns, (len(COLUMNS), games), in a fixed order."""
    parts = list(_reported(chunks(scenario, cmo, cto, games, seed, workers), games, progress))
    return np.concatenate(parts, axis=1) if parts else np.zeros((len(COLUMNS), 0))


# -- bounded memory: running totals per figure ---------------------------------------------
SATURATED = 0.99
"""A board confidence at or above this has no room left to show later choices."""

HIST_WIDTH = 1e-5
"""The histogram's bin: beyond one chunk a quantile is within this of the exact one."""

# The figures whose quantiles are reported, and the range their histogram covers (a
# value outside it counts in the edge bin; the run's min and max clamp the estimate).
QUANTILE_RANGES: dict[str, tuple[float, float]] = {
    "growth": (-1.0, 9.0), "board_cmo": (0.0, 1.0), "board_cto": (0.0, 1.0),
}


@dataclass
class Aggregate:
    """What the summary needs of many games, in memory that does not grow with them.

    Sums are exact (float64, added chunk by chunk); counts are exact; quantiles come
    from a fixed histogram of bin `HIST_WIDTH`, so beyond one chunk each is within
    `HIST_WIDTH` of numpy's exact percentile. While the run fits one chunk the
    columns themselves are kept too, and the summary is computed from them exactly
    as before (the same bytes).
    """

    n: int = 0
    sums: F64 = field(default_factory=lambda: np.zeros(len(COLUMNS)))
    counts: dict[str, int] = field(default_factory=dict)
    hists: dict[str, NDArray[np.int64]] = field(default_factory=dict)
    lo: dict[str, float] = field(default_factory=dict)
    hi: dict[str, float] = field(default_factory=dict)
    exact: F64 | None = None
    nonfinite: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Per figure: how many games gave NaN or infinity, and the first such game."""

    def add(self, part: F64) -> None:
        """Fold one chunk's columns (len(COLUMNS), batch) into the totals."""
        self.exact = part if self.n == 0 else None
        for i, name in enumerate(COLUMNS):
            wrong = np.flatnonzero(~np.isfinite(part[i]))
            if wrong.size:
                count, first = self.nonfinite.get(name, (0, self.n + int(wrong[0])))
                self.nonfinite[name] = (count + int(wrong.size), first)
        self.n += part.shape[1]
        self.sums += part.sum(axis=1)
        col = {name: part[i] for i, name in enumerate(COLUMNS)}
        replaced = col["replaced_cmo"] + col["replaced_cto"]
        for key, hit in (("board_cmo_saturated", col["board_cmo"] >= SATURATED),
                         ("board_cto_saturated", col["board_cto"] >= SATURATED),
                         ("any_replaced", replaced > 0)):
            self.counts[key] = self.counts.get(key, 0) + int(np.count_nonzero(hit))
        for name, (lo, hi) in QUANTILE_RANGES.items():
            bins = round((hi - lo) / HIST_WIDTH)
            v = col[name]
            idx = np.clip(np.floor((v - lo) / HIST_WIDTH), 0, bins - 1).astype(np.int64)
            h = np.bincount(idx, minlength=bins)
            self.hists[name] = self.hists[name] + h if name in self.hists else h
            if v.size:
                self.lo[name] = min(self.lo.get(name, np.inf), float(v.min()))
                self.hi[name] = max(self.hi.get(name, -np.inf), float(v.max()))

    def mean(self, name: str) -> float:
        return float(self.sums[COLUMNS.index(name)] / self.n) if self.n else 0.0

    def total(self, name: str) -> float:
        return float(self.sums[COLUMNS.index(name)])

    def percentiles(self, name: str, qs: Iterable[float]) -> list[float]:
        """numpy's default (linear) percentiles, each order statistic taken as its bin's
        middle clamped to the run's min and max: within HIST_WIDTH of the exact one."""
        if self.n == 0:
            return [0.0 for _ in qs]
        lo = QUANTILE_RANGES[name][0]
        cum = np.cumsum(self.hists[name])

        def order(k: int) -> float:
            b = int(np.searchsorted(cum, k, side="right"))
            return min(max(lo + (b + 0.5) * HIST_WIDTH, self.lo[name]), self.hi[name])

        out = []
        for q in qs:
            h = (self.n - 1) * q / 100.0
            k = int(np.floor(h))
            a, b = order(k), order(min(k + 1, self.n - 1))
            out.append(a + (h - k) * (b - a))
        return out


def aggregate(scenario: Scenario, cmo: str, cto: str, games: int, seed: int,
              workers: int | None = None,
              progress: Callable[[int, int], None] | None = None) -> Aggregate:
    """The run's totals, folded in chunk by chunk: peak memory stays that of a few chunks
    and the histograms, whatever `games` is."""
    agg = Aggregate()
    for part in _reported(chunks(scenario, cmo, cto, games, seed, workers), games, progress):
        agg.add(part)
    return agg
