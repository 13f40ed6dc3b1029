"""Time to compute the debrief's counterfactual bands for a finished 12-quarter game.

Plays live games of digital-shift (AI against AI, as the demo does), then times
`debrief.counterfactuals`: 200 replays per band plus the control row, in one
shared-luck batch through the driver. Prints each game's time and bands; the
last line is the slowest time. Target (issue 9): under 1 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from game.session import debrief  # noqa: E402
from game.session.live import DEMO, GameConfig, LiveGame  # noqa: E402
from game.session.seats import AI, Seat  # noqa: E402

PAIRS = (("partner", "turf-warrior"), ("mirror", "gatekeeper"), ("reciprocal", "random"))


def finished(scenario: str, seed: int, cmo: str, cto: str) -> LiveGame:
    g = LiveGame(GameConfig(scenario, seed, DEMO, (Seat(AI, "a", cmo), Seat(AI, "b", cto))))
    g.play_out()
    return g


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scenario", default="digital-shift")
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3, help="timings per game (best kept)")
    args = ap.parse_args()
    worst = 0.0
    for seed in range(1, args.seeds + 1):
        for cmo, cto in PAIRS:
            g = finished(args.scenario, seed, cmo, cto)
            best = float("inf")
            cf = None
            for _ in range(args.repeat):
                start = time.perf_counter()
                cf = debrief.counterfactuals(g)
                best = min(best, time.perf_counter() - start)
            assert cf is not None
            worst = max(worst, best)
            bands = "; ".join(f"{b.label} p10 {b.p10:+.1%} p50 {b.p50:+.1%} p90 {b.p90:+.1%} "
                              f"(you beat {b.above:.0%})" for b in cf.bands)
            print(f"{args.scenario} seed {seed} {cmo} v {cto}, {g.game.quarters} quarters: "
                  f"{best * 1000:.0f} ms; you {cf.you:+.1%}; {bands}")
    print(f"slowest: {worst * 1000:.0f} ms for {len(debrief.BANDS)} x {debrief.RUNS} replays "
          f"(target < 1000 ms)")


if __name__ == "__main__":
    main()
