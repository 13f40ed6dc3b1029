"""Ctrl-C at random moments of a long `simulate`: how many stop cleanly (one line, exit 130).

The key press goes to the whole process group, as a terminal sends it, at a random moment
in the first 1.5 s (the pool's start-up included). Prints each run and the count of bad
ones (another exit code, a traceback, or still running 10 s later).

Usage: python benchmarks/interrupts.py [RUNS] [SEED]
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    random.seed(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    bad = 0
    for i in range(runs):
        p = subprocess.Popen(
            [sys.executable, "-m", "game.cli.main", "simulate", "digital-shift",
             "--games", "400000"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True)
        at = random.uniform(0.05, 1.5)
        time.sleep(at)
        os.killpg(p.pid, signal.SIGINT)
        start = time.perf_counter()
        try:
            rc: int | str = p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            rc = "still running"
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
        err = p.stderr.read().decode() if p.stderr else ""
        ok = rc == 130 and "Traceback" not in err
        bad += not ok
        print(f"{i:3d}: Ctrl-C at {at:.2f} s -> exit {rc} in "
              f"{time.perf_counter() - start:.2f} s {'clean' if ok else 'BAD: ' + err[-200:]}")
    print(f"{bad} of {runs} runs did not stop cleanly")


if __name__ == "__main__":
    main()
