"""The window's commands: bare `sameteam` (title screen), `play` and `demo`.

With no display, each says in one sentence what to do and exits 1 instead of a
traceback. `demo` runs anywhere, headless included, under SDL_VIDEODRIVER=dummy.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from game.cli.limits import MAX_WINDOW, MIN_WINDOW, os_problem

NO_DISPLAY = ("sameteam: no display found; run it on a desktop session, or try "
              "`SDL_VIDEODRIVER=dummy sameteam demo --screenshots DIR` to render without one")


def _quiet_pygame() -> None:
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


def _err(message: str) -> None:
    print(f"sameteam: {message}", file=sys.stderr)


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(x) for x in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1280x720, not {text!r}") from None
    return w, h


def size_problem(size: tuple[int, int]) -> str:
    """Why a window size cannot be used ("" when it can): one sentence with the bounds."""
    w, h = size
    if w < MIN_WINDOW[0] or h < MIN_WINDOW[1]:
        return "--size {}x{} is too small; the smallest accepted is {}x{}".format(
            w, h, *MIN_WINDOW)
    if w > MAX_WINDOW[0] or h > MAX_WINDOW[1]:
        return "--size {}x{} is too large; the largest accepted is {}x{}".format(
            w, h, *MAX_WINDOW)
    return ""


def shots_folder(text: str) -> tuple[Path | None, str]:
    """The folder for `--screenshots`, made and proved writable before the window opens,
    or the one sentence saying why it cannot be used."""
    import tempfile

    folder = Path(text)
    try:
        if folder.exists() and not folder.is_dir():
            return None, (f"--screenshots {text} is a file, not a folder; give a folder for "
                          "the PNGs (it is made if missing)")
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except (OSError, ValueError) as e:
        return None, f"cannot save screenshots into {text[:200]}: {os_problem(e)}"
    return folder, ""


def _open_app(**kwargs: Any) -> Any:
    """The App, or None after printing the no-display sentence."""
    _quiet_pygame()
    from game.ui.app import App, NoDisplay, display_available

    if not display_available():
        print(NO_DISPLAY, file=sys.stderr)
        return None
    try:
        return App(**kwargs)
    except NoDisplay:
        print(NO_DISPLAY, file=sys.stderr)
        return None


def open_title() -> int:
    """Bare `sameteam`: the title screen."""
    app = _open_app()
    if app is None:
        return 1
    try:
        app.nav.title()
        return int(app.run(app.scene))
    finally:
        app.close()


def _scenario(ref: str) -> Any:
    from game.scenario.catalog import resolve
    from game.scenario.loader import load_scenario
    from game.scenario.problems import ScenarioError

    try:
        return load_scenario(resolve(ref))
    except FileNotFoundError as e:
        _err(str(e))
    except ScenarioError as e:
        from game.cli.limits import report_problems

        report_problems(ref, e.problems)
    return None


def cmd_play(args: argparse.Namespace) -> int:
    from game.ai.registry import known, names
    from game.engine.constants import ROLE_TITLES
    from game.session.live import SOLO, WORKSHOP, GameConfig
    from game.session.seats import AI, HUMAN, Seat, partners_for

    if args.load:
        path = Path(args.load)
        if not path.is_file():
            _err(f"{args.load}: no such file")
            return 2
        app = _open_app()
        if app is None:
            return 1
        err = app.nav.resume(path)
        if err:
            _err(err)
            app.close()
            return 1
        try:
            return int(app.run(app.scene))
        finally:
            app.close()
    sc = _scenario(args.scenario)
    if sc is None:
        return 2
    role = 0 if args.role == "cmo" else 1
    if args.mode == SOLO:
        partner = args.partner or (partners_for(list(sc.ai.offered), sc.ai.personalities)
                                   or ["reciprocal"])[0]
        if not known(partner, sc):
            _err(f"unknown partner '{partner}' (known: {', '.join(names(sc))})")
            return 2
        me = Seat(HUMAN, ROLE_TITLES[role])
        ai = Seat(AI, "", partner, args.level)
        seats = (me, ai) if role == 0 else (ai, me)
    else:
        seats = (Seat(HUMAN, ROLE_TITLES[0]), Seat(HUMAN, ROLE_TITLES[1]))
    config = GameConfig(sc.id if args.scenario == sc.id else args.scenario, args.seed,
                        args.mode or WORKSHOP, seats)
    app = _open_app()
    if app is None:
        return 1
    try:
        app.nav.start(config, sc)
        assert app.scene is not None
        return int(app.run(app.scene))
    finally:
        app.close()


def cmd_demo(args: argparse.Namespace) -> int:
    """AI against AI through the real screens, from the title to the last debrief page."""
    _quiet_pygame()
    sc = _scenario(args.scenario)
    if sc is None:
        return 2
    if args.quarters is not None and args.quarters < 1:
        _err("--quarters must be at least 1")
        return 2
    if size_problem(args.size):
        _err(size_problem(args.size))
        return 2
    shots = None
    if args.screenshots:
        shots, problem = shots_folder(args.screenshots)
        if shots is None:
            _err(problem)
            return 1
    # At full speed the demo draws without pause: a worker thread would compete with it
    # for the interpreter (and crawl), so its jobs run inline.
    app = _open_app(size=args.size, fast=args.fast, screenshots=shots, fullscreen=False,
                    remember=False, background=not args.fast)
    if app is None:
        return 1
    try:
        return run_demo(app, sc, args.seed, args.quarters)
    finally:
        app.close()


def run_demo(app: Any, scenario: Any, seed: int, quarters: int | None) -> int:
    from game.session.live import DEMO, GameConfig
    from game.session.seats import AI, Seat, partners_for
    from game.ui.flow import GameFlow
    from game.ui.scenes.newgame import NewGameScene, catalog

    partners = (partners_for(list(scenario.ai.offered), scenario.ai.personalities)
                or ["reciprocal"])
    seats = (Seat(AI, "", partners[0]), Seat(AI, "", partners[1 % len(partners)]))
    config = GameConfig(scenario.id, seed, DEMO, seats)
    intro = max(app.pace, 0.0)
    app.nav.title()
    _show(app, intro)
    ids = [c.id for c in catalog()]
    app.nav.new_game(ids.index(scenario.id) if scenario.id in ids else 0)
    ng = app.scene
    assert isinstance(ng, NewGameScene)
    ng.mode = DEMO
    ng.seed = seed
    ng.rebuild()
    _show(app, intro)
    app.nav.start(config, scenario)
    flow = app.flow
    assert isinstance(flow, GameFlow)
    flow.demo_quarters = quarters
    if flow.demo_quarters is not None and flow.game.quarter > flow.demo_quarters:
        flow.advance()
    while app.running:
        app.frame(0.0 if app.fast else None)
    return int(app.exit_code)


def _show(app: Any, seconds: float) -> None:
    import time

    end = time.monotonic() + seconds
    app.frame(0.0)
    while app.running and time.monotonic() < end:
        app.frame()


def add_parsers(subparsers: Any) -> None:
    """Register `play` and `demo` on the main parser's subparsers."""
    p = subparsers.add_parser("play", help="play in the game window")
    p.add_argument("--scenario", default="digital-shift", help="a shipped id or a file "
                   "(default digital-shift)")
    p.add_argument("--mode", choices=("workshop", "solo"), default="workshop",
                   help="workshop: two players on one laptop; solo: you and an AI")
    p.add_argument("--role", choices=("cmo", "cto"), default="cmo", help="your role in solo")
    p.add_argument("--partner", default=None, help="the AI partner's personality in solo")
    p.add_argument("--level", type=int, choices=(1, 2, 3), default=2, help="the AI's level")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--load", metavar="FILE", default=None, help="continue a saved game")
    p.set_defaults(func=cmd_play)

    d = subparsers.add_parser("demo", help="AI v AI through the real screens")
    d.add_argument("--scenario", default="digital-shift", help="a shipped id or a file")
    d.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    d.add_argument("--quarters", type=int, default=None, help="stop after N quarters")
    d.add_argument("--fast", action="store_true", help="no waiting between screens")
    d.add_argument("--screenshots", metavar="DIR", default=None,
                   help="save one PNG of every distinct screen into DIR")
    d.add_argument("--size", type=_size, default=(1280, 720), help="window size, e.g. 1920x1080")
    d.set_defaults(func=cmd_demo)


__all__ = ["NO_DISPLAY", "add_parsers", "cmd_demo", "cmd_play", "open_title", "run_demo"]
