"""`sameteam tournament SCENARIO`: every AI personality against every other.

A round robin of the personalities (CMO x CTO), a ranking and the noise
experiment; a progress bar on a terminal, JSON on stdout with --json, and the
same numbers for the same seed.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from game.cli.limits import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    check_sizes,
    load_or_report,
)

MAX_GAMES_PER_PAIR = 50_000
"""Every pair of personalities plays this many at most (36 pairs: 1.8 million games)."""


def cmd_tournament(args: argparse.Namespace) -> int:
    from game.report.progress import Progress
    from game.report.tournament import format_text, run

    try:
        check_sizes(args.games, args.workers, MAX_GAMES_PER_PAIR)
        scenario = load_or_report(args.scenario)
    except UsageError as e:
        print(f"sameteam: {e}", file=sys.stderr)
        return EXIT_USAGE
    if scenario is None:
        return EXIT_BAD_INPUT
    bar = Progress("Tournament", enabled=not args.json and sys.stderr.isatty())
    result: dict[str, Any] = run(scenario, args.games, args.seed, args.workers, bar.update)
    bar.close()
    if args.json:
        print(json.dumps(result, indent=2, allow_nan=False))
    else:
        sys.stdout.write(format_text(result))
    return EXIT_OK


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register `tournament` on the `sameteam` command's subparsers."""
    t: argparse.ArgumentParser = subparsers.add_parser(
        "tournament", help="round robin of the AI personalities, a ranking and the noise "
        "experiment")
    t.add_argument("scenario", metavar="SCENARIO", help="a shipped scenario id or a file")
    t.add_argument("--games", type=int, default=500,
                   help="games per pair of personalities (default 500)")
    t.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    t.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    t.add_argument("--json", action="store_true", help="print the results as JSON")
    t.set_defaults(func=cmd_tournament)
    return t


def main(argv: list[str] | None = None) -> int:
    """Run the subcommand on its own (tests, and until `sameteam` wires it in)."""
    parser = argparse.ArgumentParser(prog="sameteam")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_parser(sub)
    args = parser.parse_args(["tournament", *(sys.argv[1:] if argv is None else argv)])
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        print("sameteam: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
