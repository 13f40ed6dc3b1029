"""Seeded random streams, one per (game seed, stream, quarter, phase).

Deriving a fresh generator for each quarter and phase, and always drawing arrays
of a fixed shape, gives common random numbers: two games with the same seed but
different decisions see the same luck, which is what makes the debrief's
counterfactual replays fair and a saved game replay bit for bit.
"""

from __future__ import annotations

import numpy as np

PHASE_NEWS = 1
PHASE_TALK = 2
PHASE_BUDGET = 3
PHASE_EXECUTION = 4
PHASE_AFTERMATH = 5
PHASE_BOARD = 6
PHASE_SETUP = 7


def stream(seed: int, index: int, quarter: int, phase: int) -> np.random.Generator:
    """The generator for one phase of one quarter of batch `index` under `seed`."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(
        [seed & 0xFFFFFFFFFFFF, index, quarter, phase])))
