"""Seeded random streams, one per (game seed, stream, quarter, phase).

Deriving a fresh generator for each quarter and phase, and always drawing arrays
of a fixed shape, gives common random numbers: two games with the same seed but
different decisions see the same luck, which is what makes the debrief's
counterfactual replays fair and a saved game replay bit for bit.

Each game of a batch has its own luck (a batch of 200 on seed s is 200
different games). With `shared` luck (the State's `shared_luck`) every phase
draws what a single game draws and repeats it over the rows, so every row of
the batch lives the luck of the B = 1 game of that seed: the debrief's
counterfactual replays the players' own game 200 times in one batch.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
Shape = int | tuple[int, ...]
T = TypeVar("T", bound=np.generic)

PHASE_NEWS = 1
PHASE_TALK = 2
PHASE_BUDGET = 3
PHASE_EXECUTION = 4
PHASE_AFTERMATH = 5
PHASE_BOARD = 6
PHASE_SETUP = 7
PHASE_OUTCOMES = 8  # chance outcomes of the options taken (its own stream: adding them
                    # to a scenario changes no other luck)


def stream(seed: int, index: int, quarter: int, phase: int) -> np.random.Generator:
    """The generator for one phase of one quarter of batch `index` under `seed`."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(
        [seed & 0xFFFFFFFFFFFF, index, quarter, phase])))


class Seeded(Protocol):
    """What a phase's luck depends on (the State has these)."""

    seed: int
    stream: int
    shared_luck: bool


class Luck:
    """A phase's generator whose draws take the batch shape (the batch axis first).

    Shared, it draws with a batch of one and repeats that over the rows: row k
    sees exactly what a B = 1 game sees, whatever the batch size.
    """

    def __init__(self, gen: np.random.Generator, shared: bool) -> None:
        self.gen = gen
        self.shared = shared

    def _one(self, shape: Shape) -> tuple[tuple[int, ...], int]:
        full = (shape,) if isinstance(shape, int) else tuple(shape)
        if not self.shared:
            return full, 1
        return (1, *full[1:]), full[0]

    def _repeat(self, a: NDArray[T], rows: int) -> NDArray[T]:
        return a if rows == 1 else np.repeat(a, rows, axis=0)

    def random(self, shape: Shape) -> F64:
        draw, rows = self._one(shape)
        return self._repeat(self.gen.random(draw), rows)

    def standard_normal(self, shape: Shape) -> F64:
        draw, rows = self._one(shape)
        return self._repeat(self.gen.standard_normal(draw), rows)

    def uniform(self, low: float, high: float, shape: Shape) -> F64:
        draw, rows = self._one(shape)
        return self._repeat(self.gen.uniform(low, high, draw), rows)

    def integers(self, low: int, high: int, shape: Shape) -> I64:
        draw, rows = self._one(shape)
        return self._repeat(self.gen.integers(low, high, draw, dtype=np.int64), rows)


def luck(state: Seeded, quarter: int, phase: int) -> Luck:
    """The luck of one phase of one quarter for the batch `state` holds."""
    return Luck(stream(state.seed, state.stream, quarter, phase), bool(state.shared_luck))
