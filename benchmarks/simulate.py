"""Simulation throughput: 100,000 games of digital-shift, whole process, as a user runs it.

Runs `sameteam simulate` in a child process (start-up, workers and all), then
prints games per second and the peak memory of the largest process.
Target (issue 2): at least 20,000 games/s on a 2-core machine, under 2 GiB.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--games", type=int, default=100_000)
    ap.add_argument("--scenario", default="digital-shift")
    ap.add_argument("--policy", action="append",
                    help="CMO:CTO policy pair, repeatable (default: each scripted policy "
                         "against itself)")
    args = ap.parse_args()
    pairs = args.policy or [f"{p}:{p}" for p in ("reciprocal", "cooperative", "selfish",
                                                 "random")]
    # An installed package comes byte-compiled (pip does it at install time); do the
    # same for the checkout, so start-up is measured as users get it even where
    # PYTHONDONTWRITEBYTECODE is set.
    package = Path(__file__).resolve().parent.parent / "game"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    for pair in pairs:
        cmo, _, cto = pair.partition(":")
        cmd = [sys.executable, "-m", "game.cli.main", "simulate", args.scenario,
               "--games", str(args.games), "--cmo", cmo, "--cto", cto or cmo, "--json"]
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"{args.scenario} {cmo} vs {cto or cmo}: {args.games} games in {elapsed:.2f} s "
              f"= {args.games / elapsed:,.0f} games/s (whole process); "
              f"peak memory {peak_mib:,.0f} MiB (largest process)")


if __name__ == "__main__":
    main()
