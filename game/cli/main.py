"""The `sameteam` command: the game window and the facilitator's tools.

Every command has a stable contract (exit status 0 on success, 1 when the input
is bad, 2 on usage errors) and turns every expected failure into one clear
sentence, never a traceback.

Start-up is part of the contract on a workshop laptop: this module imports only
the standard library, and each command imports what it needs when it runs, so
`sameteam --help` and `--version` never load numpy, pydantic or the scenario
models.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys


def _interrupted_early(signum: int, frame: object) -> None:
    """Ctrl-C while the program is still starting: one line, exit 130, no traceback
    from whichever import was running. main() hands Ctrl-C back to Python."""
    sys.stderr.write("sameteam: interrupted\n")
    os._exit(130)


_PROGRAM = (__name__ == "__main__"
            or os.path.splitext(os.path.basename(sys.argv[0]))[0] == "sameteam")
"""Running as the `sameteam` program (not main() called by a test or a script)."""
if _PROGRAM:
    signal.signal(signal.SIGINT, _interrupted_early)

import argparse  # noqa: E402
import json  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from game.cli.limits import (  # noqa: E402
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    check_sizes,
    load_or_report,
    os_problem,
    report_problems,
)

EXIT_INTERRUPTED = 130

def _err(message: str) -> None:
    print(f"sameteam: {message}", file=sys.stderr)


def version() -> str:
    """The installed package's version: pyproject.toml is its one source."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("sameteam")
    except PackageNotFoundError:
        return "unknown (not installed; `pip install -e .` records it)"


class _Version(argparse.Action):
    """--version, looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        print(f"sameteam {version()}")
        parser.exit()


def cmd_scenarios(args: argparse.Namespace) -> int:
    from game.scenario.catalog import scenario_paths
    from game.scenario.loader import load_scenario
    from game.scenario.problems import ScenarioError

    rows = []
    for path in scenario_paths():
        try:
            sc = load_scenario(path)
        except ScenarioError as e:
            rows.append((path.stem, f"(invalid: {len(e.problems)} problems)", "-", "-"))
            continue
        rows.append((sc.id, sc.title, str(sc.quarters), sc.difficulty))
    if args.json:
        print(json.dumps([{"id": r[0], "title": r[1], "quarters": r[2], "difficulty": r[3]}
                          for r in rows], indent=2))
        return EXIT_OK
    head = ("ID", "TITLE", "QUARTERS", "DIFFICULTY")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(4)]
    for r in [head, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from game.scenario.catalog import resolve
    from game.scenario.loader import check_scenario
    from game.scenario.problems import ScenarioError

    status = EXIT_OK
    for item in args.scenarios:
        try:
            path = resolve(item)
            sc, warnings = check_scenario(path)
        except FileNotFoundError as e:
            _err(str(e))
            status = EXIT_BAD_INPUT
            continue
        except ScenarioError as e:
            report_problems(item, e.problems)
            status = EXIT_BAD_INPUT
            continue
        if args.probe:
            from game.cli.balance import probe_warnings

            warnings = sorted([*warnings, *probe_warnings(path, sc)],
                              key=lambda p: (p.line, p.column))
        for warning in warnings:
            print(str(warning), file=sys.stderr)
        n = len(warnings)
        note = f", {n} warning{'s' if n != 1 else ''}" if n else ""
        print(f"{path}: ok ({sc.id}, {sc.quarters} quarters, {len(sc.projects)} projects, "
              f"{len(sc.events)} events{note})")
        if warnings and args.strict:
            status = EXIT_BAD_INPUT
    return status


def cmd_schema(args: argparse.Namespace) -> int:
    from game.scenario.schema import schema_text

    text = schema_text()
    if args.out:
        from game.session.files import atomic_write_text

        out = Path(args.out)
        try:
            if out.is_dir():
                raise UsageError(f"--out {args.out} is a folder; give a file name such as "
                                 f"{out / 'scenario.schema.json'}")
            atomic_write_text(out, text)
        except (OSError, ValueError) as e:
            _err(f"cannot write the schema to {args.out}: {os_problem(e)}")
            return EXIT_BAD_INPUT
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


class BadScenario(Exception):
    """A scenario file with problems, already printed."""


def _load(item: str) -> object:
    scenario = load_or_report(item)
    if scenario is None:
        raise BadScenario
    return scenario


def cmd_simulate(args: argparse.Namespace) -> int:
    from game.ai.registry import known, names
    from game.report.montecarlo import aggregate
    from game.report.progress import Progress
    from game.report.summary import format_text, nonfinite, summarize

    check_sizes(args.games, args.workers)
    scenario = _load(args.scenario)
    from game.scenario.models import Scenario

    assert isinstance(scenario, Scenario)
    for who in (args.cmo, args.cto):
        if not known(who, scenario):
            raise UsageError(f"unknown policy '{who}' (known: {', '.join(names(scenario))})")
    bar = Progress("Simulating", enabled=not args.json and sys.stderr.isatty())
    data = aggregate(scenario, args.cmo, args.cto, args.games, args.seed, args.workers,
                     bar.update)
    bar.close()
    bad = nonfinite(data)
    if bad:
        # The engine bounds every value, so this is a bug; name it rather than print NaN.
        _err(f"the simulation of {args.scenario} produced figures that are not finite "
             f"numbers: {', '.join(bad)}")
        return EXIT_BAD_INPUT
    summary = summarize(data, scenario=scenario.id, cmo=args.cmo, cto=args.cto, seed=args.seed)
    if args.json:
        print(json.dumps(summary, indent=2, allow_nan=False))
    else:
        sys.stdout.write(format_text(summary))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="sameteam",
        description="Same Team: a CMO/CTO role-play simulation for executive training.")
    p.add_argument("--version", action=_Version)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("scenarios", help="list the shipped scenarios")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(func=cmd_scenarios)

    v = sub.add_parser("validate", help="check scenario files; every problem as file:line:col")
    v.add_argument("scenarios", nargs="+", metavar="PATH_OR_ID")
    v.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    v.add_argument("--no-probe", dest="probe", action="store_false",
                   help="skip the short Monte Carlo probe of events static checks cannot decide")
    v.set_defaults(func=cmd_validate)

    sc = sub.add_parser("schema", help="print the JSON Schema for scenario files")
    sc.add_argument("--out", metavar="FILE", help="write it to FILE instead")
    sc.set_defaults(func=cmd_schema)

    m = sub.add_parser("simulate", help="Monte Carlo of many games with scripted players")
    m.add_argument("scenario", metavar="SCENARIO", help="a shipped scenario id or a file")
    m.add_argument("--games", type=int, default=2000, help="how many games (default 2000)")
    m.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    m.add_argument("--cmo", default="reciprocal", help="policy for the CMO (default reciprocal)")
    m.add_argument("--cto", default="reciprocal", help="policy for the CTO (default reciprocal)")
    m.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    m.add_argument("--json", action="store_true", help="print the summary as JSON")
    m.set_defaults(func=cmd_simulate)

    from game.cli import balance, gui, room, tournament

    tournament.add_parser(sub)
    balance.add_parser(sub)
    gui.add_parsers(sub)
    room.add_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if signal.getsignal(signal.SIGINT) is _interrupted_early:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if args.command is None:
        return default_action()
    try:
        code: int = args.func(args)
        return code
    except UsageError as e:
        _err(str(e))
        return EXIT_USAGE
    except BadScenario:
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        _err("interrupted")
        if _PROGRAM:
            # The answer is given and the pool is gone. Leave now: the interpreter's own
            # exit can still turn 130 into a death by SIGINT when the interrupt landed in
            # the pool's start-up (seen under load: exit -2 after the one line).
            with contextlib.suppress(OSError, ValueError):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(EXIT_INTERRUPTED)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except OSError as e:
        # e.g. stdout on a full disk: one sentence, not a traceback
        where = f" ({e.filename})" if e.filename else ""
        _err(f"{args.command} failed{where}: {os_problem(e)}")
        return EXIT_BAD_INPUT


def default_action() -> int:
    """No command: open the game window at the title screen."""
    from game.cli import gui

    return gui.open_title()


if __name__ == "__main__":
    sys.exit(main())
