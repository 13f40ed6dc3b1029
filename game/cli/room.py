"""`sameteam room`: a room server on the facilitator's laptop, and `room import`.

The room fixes one scenario and one seed for every pair. It prints what the facilitator
needs: the address and code pairs type (and a QR code of the address), and the projector
address with the facilitator's key. The room's data is one SQLite file in the user's data
folder (or any database URL); `--data FILE` on a file that holds a room resumes it, with
the same code and key, after a crash. The key itself is kept only in a file readable by
the facilitator alone (0600) beside the database, which keeps just its hash.

Standard library only at import time: `sameteam --help` must stay fast.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.cli.limits import EXIT_BAD_INPUT, EXIT_OK, UsageError, load_or_report, os_problem

if TYPE_CHECKING:
    from game.room.service import Room
    from game.room.store import RoomStore

DEFAULT_PORT = 8765
DEFAULT_SCENARIO = "digital-shift"
MAX_TITLE = 120
MAX_SEED = 2**31 - 1


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register `room` (and `room import`) on the `sameteam` command's subparsers."""
    r: argparse.ArgumentParser = subparsers.add_parser(
        "room", help="run a room on the local network: every pair's game live on a projector",
        description="Start a room server: pairs join from the game (New game -> Join a "
        "room); the projector page shows every pair live. `room import FILES...` builds the "
        "room's debrief from exported histories instead (no network).")
    r.add_argument("--scenario", default=None,
                   help=f"a shipped scenario id or a file (default {DEFAULT_SCENARIO})")
    r.add_argument("--seed", type=int, default=None, help="the room's luck (default 1)")
    r.add_argument("--host", default="0.0.0.0",
                   help="address to listen on (default 0.0.0.0: the whole local network)")
    r.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"port to listen on (default {DEFAULT_PORT})")
    r.add_argument("--data", metavar="FILE_OR_URL", default=None,
                   help="the room's database: a file (an existing room file resumes that room) "
                   "or a database URL (default: a new file in the data folder)")
    r.add_argument("--title", default=None, help="the room's name on the projector "
                   "(default: the scenario's title)")
    r.add_argument("--no-advertise", dest="advertise", action="store_false",
                   help="do not announce the room on the local network (pairs type its "
                   "address)")
    r.set_defaults(func=cmd_room)
    sub = r.add_subparsers(dest="room_command", metavar="import")
    imp = sub.add_parser("import", help="the room's debrief from exported history files or "
                         "saves (a USB stick instead of a network)")
    imp.add_argument("files", nargs="+", metavar="FILES")
    imp.add_argument("--out", metavar="DIR", default=None,
                     help="folder for debrief.html and room.csv (default ./room-debrief)")
    imp.set_defaults(func=cmd_import)
    return r


def cmd_import(args: argparse.Namespace) -> int:
    from game.room import importer

    code: int = importer.main(args)
    return code


def _check(args: argparse.Namespace) -> None:
    if not 1 <= args.port <= 65535:
        raise UsageError("--port must be between 1 and 65535")
    if args.seed is not None and not 0 <= args.seed <= MAX_SEED:
        raise UsageError(f"--seed must be between 0 and {MAX_SEED}")
    if args.title is not None and not 1 <= len(args.title.strip()) <= MAX_TITLE:
        raise UsageError(f"--title must have 1 to {MAX_TITLE} characters")


def _url(data: str) -> str:
    """--data as a database URL: a URL as it is, a file as SQLite."""
    from game.room.store import sqlite_url

    if "://" in data:
        return data
    path = Path(data)
    if path.is_dir():
        raise UsageError(f"--data {data} is a folder; give a file such as "
                         f"{path / 'room.sqlite'}")
    return sqlite_url(path)


def _key_path(url: str, code: str) -> Path:
    """Where the facilitator's key is kept: beside the SQLite file, else in the data folder."""
    from game.room.store import sqlite_path
    from game.session.roomwire import rooms_dir

    path = sqlite_path(url)
    return path.with_suffix(".key") if path is not None else rooms_dir() / f"{code}.key"


def _write_key(path: Path, key: str) -> None:
    from game.session.files import atomic_write_text

    atomic_write_text(path, key + "\n")   # mkstemp: readable by its owner only
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)


def _scenario_ref(item: str) -> str:
    """What the room stores to find its scenario again: a shipped id, or a file's full path
    (a resumed room may be started from another folder)."""
    path = Path(item)
    if path.suffix in (".yaml", ".yml") or "/" in item or os.sep in item:
        return str(path.resolve())
    return item


def _open(args: argparse.Namespace) -> tuple[Room, str, bool] | None:
    """The room to serve, its key and whether it was resumed (None: problems printed)."""
    from game.room.service import Room, new_code, new_secret
    from game.room.store import (
        RoomStore,
        StoreError,
        default_url,
        secret_hash,
        secret_matches,
    )

    code = new_code()
    url = _url(args.data) if args.data else default_url(code)
    store: RoomStore | None = None
    try:
        store = RoomStore(url)
        row = store.room()
        if row is not None:
            if args.scenario is not None and _scenario_ref(args.scenario) not in (
                    row.scenario, row.scenario_id):
                raise UsageError(f"{args.data} is a room of '{row.scenario}'; leave out "
                                 "--scenario to resume it, or give another --data file")
            if args.seed is not None and args.seed != row.seed:
                raise UsageError(f"{args.data} is a room with seed {row.seed}; leave out "
                                 "--seed to resume it, or give another --data file")
            scenario = load_or_report(row.scenario)
            if scenario is None:
                store.close()
                return None
            room = Room.resume(store, scenario)
            key_file = _key_path(url, room.code)
            try:
                key = key_file.read_text(encoding="utf-8").strip()
            except OSError:
                key = ""
            if not key or not secret_matches(key, room.row.admin_hash):
                key = new_secret()
                store.update_room(admin_hash=secret_hash(key))
                room.row = replace(room.row, admin_hash=secret_hash(key))
                _write_key(key_file, key)
                print(f"(the facilitator's key file {key_file} was missing: a new key was "
                      "made; the old projector address no longer controls the room)")
            return room, key, True
        scenario = load_or_report(args.scenario or DEFAULT_SCENARIO)
        if scenario is None:
            store.close()
            return None
        key = new_secret()
        room = Room.create(store, scenario, scenario_ref=_scenario_ref(
            args.scenario or DEFAULT_SCENARIO), seed=1 if args.seed is None else args.seed,
            title=(args.title or "").strip() or scenario.title, admin_key=key, code=code)
        _write_key(_key_path(url, room.code), key)
        return room, key, False
    except StoreError as e:
        if store is not None:
            store.close()
        raise UsageError(str(e)) from None
    except BaseException:
        if store is not None:
            store.close()
        raise


def _shown_host(host: str) -> str:
    if host in ("0.0.0.0", "::", ""):
        from game.session.roomfind import lan_address

        try:
            return lan_address()
        except OSError:
            return "127.0.0.1"
    return host


def _check_port(host: str, port: int) -> None:
    """Say so in one sentence when the port cannot be used, before anything is printed."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            if os.name != "nt":
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
    except OSError as e:
        raise UsageError(f"cannot listen on {host}:{port} ({os_problem(e)}); another room or "
                         f"program may use it: try --port {port + 1}") from None


def cmd_room(args: argparse.Namespace) -> int:
    _check(args)
    _check_port(args.host, args.port)
    opened = _open(args)
    if opened is None:
        return EXIT_BAD_INPUT
    room, key, resumed = opened
    try:
        return _serve(args, room, key, resumed)
    finally:
        room.close()


def _serve(args: argparse.Namespace, room: Room, key: str, resumed: bool) -> int:
    import logging

    import segno
    import uvicorn

    from game.room.server import create_app
    from game.room.store import sqlite_path

    shown = _shown_host(args.host)
    host = f"[{shown}]" if ":" in shown else shown
    join_url = f"http://{host}:{args.port}"
    row = room.row
    where = sqlite_path(room.store.url) or room.store.url
    pairs = len(room.pair_views())
    print(f"Same Team room {'resumed' if resumed else 'open'}: {row.title}")
    print(f"  scenario   {room.scenario.title} ({row.scenario_id}), seed {row.seed}"
          + (f", {pairs} pair{'s' if pairs != 1 else ''} so far" if resumed else ""))
    print(f"  join at    {join_url}")
    print(f"  room code  {row.code}")
    print(f"  projector  {join_url}/?key={key}")
    print(f"  data       {where}  (resume with: sameteam room --data {where})")
    with contextlib.suppress(Exception):   # a console that cannot draw blocks still serves
        segno.make(join_url, error="m").terminal(compact=True)
    if shown == "127.0.0.1" and args.host in ("0.0.0.0", "::"):
        print("  (no local network found: only this computer can join)")
    advert = None
    if args.advertise:
        try:
            from game.session.roomfind import advertise

            advert = advertise(args.port, row.code, row.title,
                               host=None if ":" in shown else shown)
        except Exception as e:   # never fatal: pairs type the address instead
            print(f"sameteam: warning: the room is not announced on the local network ({e})",
                  file=sys.stderr)
    print("Press Ctrl-C to stop the room.", flush=True)
    logging.getLogger("sameteam.room").addHandler(logging.StreamHandler())
    config = uvicorn.Config(create_app(room, admin_key=key, join_url=join_url),
                            host=args.host, port=args.port, log_level="warning",
                            timeout_graceful_shutdown=2, access_log=False)
    server = uvicorn.Server(config)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        if advert is not None:
            with contextlib.suppress(Exception):
                advert.close()
    print(f"Room stopped. Resume it with: sameteam room --data {where}")
    return EXIT_OK


__all__ = ["DEFAULT_PORT", "add_parser", "cmd_room"]
