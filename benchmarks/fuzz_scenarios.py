"""Scenario fuzzing at full size: 10,000 mutants of the shipped scenario files.

Each mutant (tests/scenario_fuzz.py: data and text mutations, hostile numbers and
expressions) must be reported as problems, or load and simulate to finite figures.
Prints tried / reported / valid / crashed / non-finite and the first failures; exits
1 if anything crashed or went non-finite. The CI-sized run is tests/test_fuzz.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from scenario_fuzz import fuzz


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--games", type=int, default=8, help="games simulated per valid mutant")
    args = ap.parse_args()
    start = time.perf_counter()
    tally = fuzz(args.count, args.seed, args.games)
    took = time.perf_counter() - start
    print(f"tried {tally.tried}  reported {tally.reported}  valid {tally.valid}  "
          f"crashed {tally.crashed}  non-finite {tally.nonfinite}  ({took:.0f} s)")
    for failure in tally.failures[:5]:
        print("\n" + failure)
    return 1 if tally.crashed or tally.nonfinite else 0


if __name__ == "__main__":
    sys.exit(main())
