"""`sameteam balance SCENARIO`, and the Monte Carlo probe behind `validate`'s warnings.

The balance report runs scripted pairs and a small tournament and says whether the
scenario plays as its author meant: a progress bar and tables on a terminal, JSON
with --json, a self-contained HTML page with charts with --html FILE.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from game.cli.limits import EXIT_BAD_INPUT, EXIT_OK, UsageError, check_sizes, load_or_report

PROBE_GAMES = 200
"""Games the probe plays: a chance of 0.02 a quarter over 10 quarters fires in some of
them with certainty for practical purposes (1 - 0.82**200)."""
MAX_TOURNAMENT_GAMES = 5000


def probe_warnings(path: Path, scenario: Any) -> list[Any]:
    """Warnings for events whose condition reads more than the quarter and that never
    happened in PROBE_GAMES games (static analysis could not decide them)."""
    from game.report.balance import probe
    from game.scenario.lint import undecided_events
    from game.scenario.problems import Problem
    from game.scenario.yamlsource import load_yaml

    todo = undecided_events(scenario)
    if not todo:
        return []
    never = set(probe(scenario, PROBE_GAMES)) & set(todo)
    if not never:
        return []
    locator = load_yaml(path).locator
    out = []
    for k in sorted(never):
        e = scenario.events[k]
        line, column = locator.position(("events", k, "when"))
        out.append(Problem(str(path), line, column, (
            f"warning: event '{e.id}' never happened in {PROBE_GAMES} games of each scripted "
            f"pair (options drawn at random in some): its condition '{e.when}' may be out "
            "of reach in play; run 'sameteam balance' to see what does happen, or loosen "
            "the condition")))
    return out


def cmd_balance(args: argparse.Namespace) -> int:
    check_sizes(args.games, args.workers)
    if args.tournament_games < 0:
        raise UsageError("--tournament-games must be 0 (no tournament) or more")
    if args.tournament_games:
        check_sizes(args.tournament_games, args.workers, MAX_TOURNAMENT_GAMES)
    scenario = load_or_report(args.scenario)
    if scenario is None:
        return EXIT_BAD_INPUT
    from game.report import balance

    terminal = not args.json and sys.stderr.isatty()
    report = _run(balance, scenario, args, terminal)
    if args.html:
        from game.report.balance_html import render
        from game.session.files import atomic_write_text

        out = Path(args.html)
        if out.is_dir():
            raise UsageError(f"--html {args.html} is a folder; give a file name such as "
                             f"{out / (scenario.id + '.html')}")
        atomic_write_text(out, render(report))
        print(f"wrote {args.html}", file=sys.stderr)
    if args.json:
        print(json.dumps(report, indent=2, allow_nan=False))
    else:
        _print_tables(report)
    return EXIT_OK


def _run(balance: Any, scenario: Any, args: argparse.Namespace, terminal: bool) -> Any:
    if not terminal:
        return balance.run(scenario, args.games, args.seed, args.workers, args.tournament_games)
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("Balance"), BarColumn(), TextColumn("{task.completed:,}/"
                  "{task.total:,} games"), TimeRemainingColumn(), transient=True) as bar:
        task = bar.add_task("balance", total=1)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return balance.run(scenario, args.games, args.seed, args.workers,
                           args.tournament_games, update)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _print_tables(r: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    con = Console(highlight=False)
    main = r["runs"][0]
    con.print(f"[bold]Balance of {r['title']}[/] ({r['scenario']}): {r['games']} games per "
              f"pair, seed {r['seed']}; events over every pair, cards, moves and boards from the "
              "reciprocal pair")
    t = Table(title="Runs")
    for h in ("pair", "growth", "board CMO", "board CTO", "replaced CMO", "replaced CTO",
              "market's share of growth"):
        t.add_column(h, justify="right" if h != "pair" else "left")
    for run in r["runs"]:
        share = run["sources"]["market"] / run["growth"] if run["growth"] > 0 else 0.0
        t.add_row(run["pair"], f"{100 * run['growth']:+.1f}%", f"{run['board']['cmo']:.2f}",
                  f"{run['board']['cto']:.2f}", f"{run['replacements']['cmo']:.2f}",
                  f"{run['replacements']['cto']:.2f}", _pct(share))
    con.print(t)
    t = Table(title="Cooperative minus selfish (95% interval)")
    for h in ("figure", "gap", "interval"):
        t.add_column(h)
    for name, g in r["gap"].items():
        scale = 100 if name == "growth" else 1
        unit = " points" if name == "growth" else ""
        t.add_row(name.replace("_", " "), f"{scale * g['gap']:+.2f}{unit}",
                  f"{scale * g['low']:+.2f} to {scale * g['high']:+.2f}")
    con.print(t)
    t = Table(title="Events (every pair)")
    for h in ("event", "fired", "options chosen"):
        t.add_column(h)
    for e in r["events"]:
        t.add_row(e["id"], _pct(e["fired"]),
                  ", ".join(f"{o['id']} {_pct(o['share'])}" for o in e["options"]))
    con.print(t)
    t = Table(title="Cards")
    for h in ("card", "funded", "success", "challenged", "failed", "CMO", "CTO", "joint"):
        t.add_column(h, justify="left" if h == "card" else "right")
    for c in main["cards"]:
        t.add_row(c["id"], _pct(c["funded"]), _pct(c["success"]), _pct(c["challenged"]),
                  _pct(c["failed"]), _pct(c["by"]["cmo"]), _pct(c["by"]["cto"]),
                  _pct(c["by"]["joint"]))
    con.print(t)
    t = Table(title="Moves (uses per game; share of games with any)")
    for h in ("move", "CMO", "CTO"):
        t.add_column(h, justify="left" if h == "move" else "right")
    for m in main["moves"]["cmo"]:
        a, b = main["moves"]["cmo"][m], main["moves"]["cto"][m]
        t.add_row(m, f"{a['per_game']:.2f} ({_pct(a['games'])})",
                  f"{b['per_game']:.2f} ({_pct(b['games'])})")
    con.print(t)
    t = Table(title="Board confidence by quarter: mean (10-90% band)")
    for h in ("quarter", "CMO", "CTO"):
        t.add_column(h, justify="right")
    for a, b in zip(main["board_by_quarter"]["cmo"], main["board_by_quarter"]["cto"],
                    strict=True):
        t.add_row(str(a["quarter"]), f"{a['mean']:.2f} ({a['p10']:.2f}-{a['p90']:.2f})",
                  f"{b['mean']:.2f} ({b['p10']:.2f}-{b['p90']:.2f})")
    con.print(t)
    if r["tournament"]:
        t = Table(title="Tournament: best replies")
        for h in ("personality", "growth", "own board", "best reply"):
            t.add_column(h, justify="left" if h == "personality" else "right")
        for row in r["tournament"]["ranking"]["rows"]:
            t.add_row(row["name"], f"{100 * row['growth']:+.1f}%", f"{row['board']:.2f}",
                      f"{row['best_replies']}/{row['matchups']}")
        con.print(t)
    for w in r["warnings"]:
        con.print(f"[yellow]warning:[/] {w}")
    if not r["warnings"]:
        con.print("No warnings.")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register `balance` on the `sameteam` command's subparsers."""
    b: argparse.ArgumentParser = subparsers.add_parser(
        "balance", help="does the scenario play as meant? events, cards, moves, boards, the "
        "cooperation gap and the tournament's best replies")
    b.add_argument("scenario", metavar="SCENARIO", help="a shipped scenario id or a file")
    b.add_argument("--games", type=int, default=2000,
                   help="games per scripted pair (default 2000)")
    b.add_argument("--tournament-games", type=int, default=100,
                   help="games per pair of personalities; 0 skips the tournament (default 100)")
    b.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    b.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    b.add_argument("--json", action="store_true", help="print the report as JSON")
    b.add_argument("--html", metavar="FILE", help="also write a self-contained HTML report")
    b.set_defaults(func=cmd_balance)
    return b
