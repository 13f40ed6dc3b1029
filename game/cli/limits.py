"""Limits and the usage error shared by the `sameteam` subcommands (kept apart from
main so that subcommand modules can use them without an import cycle)."""

from __future__ import annotations

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
