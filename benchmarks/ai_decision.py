"""Time per AI decision in a live game (B = 1, looking ahead), at each level of play.

Plays whole games of digital-shift with one AI personality in one seat (all six, in
both seats in turn) against the scripted reciprocator, the AI bound to the game's
state as in a live session, and times every Policy call it answers (event choice,
talk, proposal, answer, aftermath). Prints p50 and p95 per level; the last line is
the p95 at the default level. Target: p95 at most 150 ms on a 2-core machine, so a
human never waits.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from game.ai.counterpart import make_counterpart  # noqa: E402
from game.ai.personalities import BUILTIN_NAMES, DEFAULT_LEVEL, LEVELS  # noqa: E402
from game.ai.scripted import Reciprocal  # noqa: E402
from game.engine.driver import begin, play_quarter  # noqa: E402
from game.engine.game import compile_game  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402


class Timed:
    """Times each call to the wrapped policy."""

    def __init__(self, inner: Any, times: list[float]) -> None:
        self.inner = inner
        self.name = inner.name
        self.times = times

    def decide(self, obs: Any, request: Any) -> Any:
        start = time.perf_counter()
        out = self.inner.decide(obs, request)
        self.times.append(time.perf_counter() - start)
        return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scenario", default=str(ROOT / "scenarios" / "digital-shift.yaml"))
    ap.add_argument("--games", type=int, default=12, help="games per level (default 12)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    game = compile_game(load_scenario(args.scenario))
    p95_default = 0.0
    for number in sorted(LEVELS):
        times: list[float] = []
        for i in range(args.games):
            name = BUILTIN_NAMES[i % len(BUILTIN_NAMES)]
            role = (i // len(BUILTIN_NAMES)) % 2
            seed = args.seed + i
            ai = make_counterpart(name, game, role, seed, level=number)
            pols: list[Any] = [None, None]
            pols[role] = Timed(ai, times)
            pols[1 - role] = Reciprocal(game, 1 - role, seed)
            state = begin(game, 1, seed + 7919)
            ai.bind(state)
            for _ in range(game.quarters):
                play_quarter(game, state, (pols[0], pols[1]))
        ms = np.array(times) * 1000.0
        p50, p95 = np.percentile(ms, [50, 95])
        print(f"level {number}: {len(ms)} decisions, p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
              f"max {ms.max():.1f} ms")
        if number == DEFAULT_LEVEL:
            p95_default = float(p95)
    print(f"p95 at the default level ({DEFAULT_LEVEL}): {p95_default:.1f} ms")


if __name__ == "__main__":
    main()
