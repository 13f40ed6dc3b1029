"""The bundle's entry point: the same `sameteam` command as the installed one."""

from __future__ import annotations

import multiprocessing
import sys

from game.cli.main import main

if __name__ == "__main__":
    multiprocessing.freeze_support()   # the simulate pool's workers, in a frozen program
    sys.exit(main())
