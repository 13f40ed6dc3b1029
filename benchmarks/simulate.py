"""Simulation throughput: 100,000 games of digital-shift, whole process, as a user runs it.

Runs `sameteam simulate` in a child process (start-up, workers and all), then
prints games per second and the peak memory of the largest process.
Target (issue 2): at least 20,000 games/s on a 2-core machine, under 2 GiB.

`--rss 100000,1000000,10000000` instead prints the peak memory of runs of those
sizes, each measured alone (issue 14: bounded memory, 10M games under 300 MiB).

    python benchmarks/simulate.py [--games N] [--rss N,N,...]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

PEAK = """
import resource, subprocess, sys, time
t = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def peak(cmd: list[str]) -> tuple[float, float]:
    """Seconds and peak RSS (MiB, the largest process) of one command, run alone."""
    out = subprocess.run([sys.executable, "-c", PEAK, *cmd], check=True,
                         capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--games", type=int, default=100_000)
    ap.add_argument("--scenario", default="digital-shift")
    ap.add_argument("--policy", action="append",
                    help="CMO:CTO policy pair, repeatable (default: each scripted policy "
                         "against itself)")
    ap.add_argument("--rss", default=None, metavar="N,N,...",
                    help="peak memory of runs of these sizes (reciprocal v reciprocal)")
    args = ap.parse_args()
    if args.rss:
        for games in (int(float(x)) for x in args.rss.split(",")):
            cmd = [sys.executable, "-m", "game.cli.main", "simulate", args.scenario,
                   "--games", str(games), "--json"]
            secs, mib = peak(cmd)
            print(f"simulate {args.scenario} --games {games:,}: peak RSS {mib:,.0f} MiB "
                  f"(largest process), {secs:.1f} s")
        return
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
