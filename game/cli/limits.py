"""Limits and the usage error shared by the `sameteam` subcommands (kept apart from
main so that subcommand modules can use them without an import cycle)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.scenario.models import Scenario

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2

MAX_GAMES = 10_000_000
"""The most games `simulate` accepts: several minutes on a laptop, in bounded memory (the
run is folded chunk by chunk); 10**12 would run for days, so it is refused up front."""
MAX_WORKERS = 256
MAX_WINDOW = (7680, 4320)
"""The largest window `demo --size` opens (8K): far larger asks SDL for gigabytes of
surface and stalls instead of failing."""
MIN_WINDOW = (640, 360)


class UsageError(Exception):
    """A command line that cannot be carried out as written."""


def check_sizes(games: int, workers: int | None, most: int = MAX_GAMES) -> None:
    """Refuse absurd sizes before any work starts, naming the largest accepted value."""
    if games < 1:
        raise UsageError("--games must be at least 1")
    if games > most:
        raise UsageError(f"--games {games} is too many; the largest accepted is {most:,}")
    if workers is not None and not 1 <= workers <= MAX_WORKERS:
        raise UsageError(f"--workers must be between 1 and {MAX_WORKERS}")


def os_problem(e: OSError | ValueError) -> str:
    """An OS error as the lower-case reason for one sentence ('file name too long')."""
    return (getattr(e, "strerror", None) or str(e)).lower()


def report_problems(item: str, problems: Sequence[object]) -> None:
    """A scenario's problems on stderr exactly as `validate` prints them: every one as
    file:line:col, then their count; every command that reads a scenario uses this."""
    for problem in problems:
        print(str(problem), file=sys.stderr)
    n = len(problems)
    print(f"{item}: {n} problem{'s' if n != 1 else ''}", file=sys.stderr)


def load_or_report(item: str) -> Scenario | None:
    """The scenario `item` names (a shipped id or a file), for every command that reads
    one: a missing file is a usage error; a broken one has its problems printed as
    `validate` prints them, and None comes back."""
    from game.scenario.catalog import resolve
    from game.scenario.loader import load_scenario
    from game.scenario.problems import ScenarioError

    try:
        return load_scenario(resolve(item))
    except FileNotFoundError as e:
        raise UsageError(str(e)) from None
    except ScenarioError as e:
        report_problems(item, e.problems)
        return None
