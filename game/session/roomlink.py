"""The game's side of a room: join it, send the record after every step, hear the
facilitator.

The game plays locally and offline-first. `push` only queues what the log holds now; a
background thread sends it (from what the room already holds) and reads the room's
commands from each reply, and by polling when nothing is sent, so a pause reaches a game
left on a screen. When the room cannot be reached the game goes on and the thread retries
with a capped backoff; nothing is lost, since the log is the record and the room says how
much of it it holds. The room's credentials are kept in the user's data folder, so a
laptop that restarts rejoins as the same pair, and a save made in a room says which room
(a side file beside the credentials, so a save's own format is unchanged).

httpx is imported on the thread that sends, never by the title screen's start-up.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from game.session import roomwire
from game.session.files import atomic_write_text
from game.session.live import DEMO, GameConfig, LiveGame, StepError
from game.session.roomwire import rooms_dir

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

DEFAULT_PORT = 8765
REQUEST_TIMEOUT = 5.0       # seconds for one request: a room on the local network answers fast
BACKOFF_MIN = 0.5
BACKOFF_MAX = 10.0
POLL_EVERY = 3.0            # seconds between reads of the commands when nothing is sent
CHUNK = 2000                # entries per post: a whole game is a few hundred
NOT_HELD_STEP = "the room refused this game's record"


class RoomError(Exception):
    """Joining failed; the message is for the player (what happened and what to do)."""


def normalize_address(text: str) -> str:
    """'192.168.1.20', '192.168.1.20:8765' or 'http://host:port/' as http://host:port."""
    raw = text.strip()
    if not raw:
        raise RoomError("Type the room's address (it is on the projector, e.g. 192.168.1.20:8765).")
    if "://" not in raw:
        raw = "http://" + raw
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise RoomError(f"'{text.strip()[:60]}' is not an address (e.g. 192.168.1.20:8765)."
                        ) from None
    host = parts.hostname
    if parts.scheme not in ("http", "https") or not host or any(c.isspace() for c in raw):
        raise RoomError(f"'{text.strip()[:60]}' is not an address (e.g. 192.168.1.20:8765).")
    shown = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown}:{port or DEFAULT_PORT}"


@dataclass
class Credentials:
    """What joining gave this laptop: enough to send to the room and to rejoin it."""

    address: str
    code: str
    pair: str
    token: str
    scenario: str
    scenario_hash: str
    seed: int
    title: str = ""
    cmo: str = ""
    cto: str = ""
    mode: str = "workshop"

    @property
    def key(self) -> dict[str, str]:
        """What a save keeps to find these again: the room and the pair."""
        return {"address": self.address, "code": self.code, "pair": self.pair}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Credentials:
        return cls(str(d["address"]), str(d["code"]), str(d["pair"]), str(d["token"]),
                   str(d["scenario"]), str(d["scenario_hash"]), int(d["seed"]),
                   str(d.get("title", "")), str(d.get("cmo", "")), str(d.get("cto", "")),
                   str(d.get("mode", "workshop")))


def _credentials_path(address: str, code: str) -> Path:
    digest = hashlib.sha256(f"{address}|{code.upper()}".encode()).hexdigest()[:16]
    return rooms_dir() / f"room-{digest}.json"


def stored_credentials(address: str, code: str) -> Credentials | None:
    """The credentials this laptop keeps for the room at `address` with `code`, if any."""
    path = _credentials_path(address, code)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        creds = Credentials.from_dict(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return creds if creds.address == address and creds.code.upper() == code.upper() else None


def last_credentials() -> Credentials | None:
    """The room this laptop joined last (the join screen offers it again)."""
    try:
        paths = sorted(rooms_dir().glob("room-*.json"), key=lambda p: p.stat().st_mtime)
    except OSError:
        return None
    for path in reversed(paths):
        try:
            return Credentials.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return None


def save_credentials(creds: Credentials) -> None:
    atomic_write_text(_credentials_path(creds.address, creds.code),
                      json.dumps(creds.to_dict(), indent=1))


# -- which save was played in which room ------------------------------------------------
def _saves_index() -> Path:
    return rooms_dir() / "saves.json"


def _read_index() -> dict[str, dict[str, str]]:
    try:
        data = json.loads(_saves_index().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, dict)}


def remember_save(save: Path, creds: Credentials) -> None:
    """Note that the game saved at `save` plays in the room `creds` names (Continue and
    Load reconnect it)."""
    index = _read_index()
    key = str(Path(save).resolve())
    if index.get(key) == creds.key:
        return
    index[key] = creds.key
    atomic_write_text(_saves_index(), json.dumps(index, indent=1))


def room_of_save(save: Path) -> Credentials | None:
    """The room a saved game was played in, with the credentials to send to it again."""
    key = _read_index().get(str(Path(save).resolve()))
    if not key:
        return None
    creds = stored_credentials(str(key.get("address", "")), str(key.get("code", "")))
    return creds if creds is not None and creds.pair == key.get("pair") else None


def save_of(creds: Credentials) -> Path | None:
    """The newest save of this pair's game on this laptop, if it is still there."""
    found = [Path(p) for p, k in _read_index().items() if k == creds.key and Path(p).exists()]
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


# -- replies -----------------------------------------------------------------------------
def _error_of(resp: httpx.Response) -> str:
    try:
        body = resp.json()
    except ValueError:
        return ""
    return str(body.get("error", "")) if isinstance(body, dict) else ""


def _join_refused(resp: httpx.Response, address: str) -> RoomError:
    said = _error_of(resp)
    if resp.status_code == 404:
        return RoomError(f"{address} answers, but it is not a Same Team room. Check the address "
                         "on the projector.")
    if resp.status_code == 400 and "protocol" in said.lower():
        return RoomError("The room runs a different version of Same Team: ask the facilitator "
                         f"({said}).")
    if said:
        return RoomError(f"The room said: {said}")
    return RoomError(f"The room refused to let this game join (HTTP {resp.status_code}).")


def _offline(address: str, e: Exception) -> RoomError:
    return RoomError(f"No room answers at {address} ({type(e).__name__}). Check the address on "
                     "the projector and that this laptop is on the room's network.")


def check_scenario(reply: roomwire.JoinReply) -> None:
    """The room's scenario must be installed here, in the same version (the replay the room
    makes of this game must be the game played)."""
    from game.engine.game import scenario_hash
    from game.scenario.problems import ScenarioError
    from game.session.live import load_config_scenario

    try:
        sc = load_config_scenario(reply.scenario)
    except FileNotFoundError:
        raise RoomError(f"The room plays the scenario '{reply.scenario}', which is not installed "
                        "on this laptop.") from None
    except (ScenarioError, OSError, ValueError):
        raise RoomError(f"The room plays the scenario '{reply.scenario}', which does not load on "
                        "this laptop.") from None
    if scenario_hash(sc) != reply.scenario_hash:
        raise RoomError(f"The room plays a different version of the scenario '{reply.scenario}' "
                        "than this laptop has: ask the facilitator for the same version.")


# -- the link ----------------------------------------------------------------------------
@dataclass
class _Shared:
    """What the UI thread and the sender share (under the link's lock)."""

    log: list[dict[str, Any]] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)
    held: int = 0
    commands: roomwire.Commands = field(default_factory=roomwire.Commands)
    online: bool = True
    last_error: str = ""
    retry_at: float = 0.0
    backoff: float = BACKOFF_MIN
    poll_now: bool = False
    stop: bool = False
    busy: bool = False
    polls: int = 0        # command reads answered (a test waits for a fresh one)
    posts: int = 0
    latencies: list[float] = field(default_factory=list)


class RoomLink:
    """A game's connection to its room: queues the record, sends it, hears commands."""

    def __init__(self, creds: Credentials, *, poll_every: float = POLL_EVERY,
                 held: int = 0, timeout: float = REQUEST_TIMEOUT) -> None:
        self.creds = creds
        self.poll_every = poll_every
        self.timeout = timeout
        self._cv = threading.Condition()
        self._s = _Shared(held=held)
        self._skipped: set[int] = set()     # room events this game could not take
        self._thread: threading.Thread | None = None

    # -- joining -----------------------------------------------------------------------
    @classmethod
    def join(cls, address: str, code: str, cmo: str, cto: str, mode: str = "workshop", *,
             remember: bool = True, poll_every: float = POLL_EVERY,
             timeout: float = REQUEST_TIMEOUT) -> RoomLink:
        """Join the room (or rejoin it as the same pair, when this laptop has been in it);
        RoomError says why not in a sentence a player reads. The sender is not started:
        `start` it once the game exists."""
        import httpx

        address = normalize_address(address)
        code = code.strip().upper()
        if not code:
            raise RoomError("Type the room's code (it is on the projector).")
        before = stored_credentials(address, code) if remember else None
        try:
            req = roomwire.JoinRequest(code=code, cmo=cmo.strip() or "CMO",
                                       cto=cto.strip() or "CTO", mode=mode,
                                       pair=before.pair if before else None,
                                       token=before.token if before else None)
        except ValidationError as e:
            raise RoomError(roomwire.first_problem(e)) from None
        try:
            with httpx.Client(base_url=address, timeout=timeout) as client:
                resp = client.post("/api/join", json=req.model_dump())
                if before is not None and resp.status_code in (401, 404) and (
                        _error_of(resp)):   # the room no longer knows the pair: join afresh
                    req = req.model_copy(update={"pair": None, "token": None})
                    resp = client.post("/api/join", json=req.model_dump())
        except httpx.HTTPError as e:
            raise _offline(address, e) from None
        if resp.status_code != 200:
            raise _join_refused(resp, address)
        try:
            reply = roomwire.JoinReply.model_validate(resp.json())
        except (ValueError, ValidationError):
            raise RoomError(f"{address} answered, but not as a Same Team room does.") from None
        check_scenario(reply)
        creds = Credentials(address, reply.room, reply.pair, reply.token, reply.scenario,
                            reply.scenario_hash, reply.seed, reply.title, req.cmo, req.cto,
                            mode)
        if remember:
            save_credentials(creds)
        link = cls(creds, poll_every=poll_every, held=reply.held, timeout=timeout)
        link.joined_held = reply.held
        return link

    joined_held = 0
    """How much of this pair's record the room held at join (a rejoin: more than 0)."""

    def config_for(self, seats: Sequence[Any], mode: str) -> GameConfig:
        """A game on the room's scenario and luck, with these seats."""
        a, b = seats
        return GameConfig(self.creds.scenario, self.creds.seed, mode, (a, b))

    # -- reading (any thread) ------------------------------------------------------------
    @property
    def online(self) -> bool:
        return self._s.online

    @property
    def pending(self) -> int:
        """Entries of the game's record the room does not hold yet."""
        with self._cv:
            return max(0, len(self._s.log) - self._s.held)

    @property
    def held(self) -> int:
        return self._s.held

    @property
    def commands(self) -> roomwire.Commands:
        return self._s.commands

    @property
    def last_error(self) -> str:
        return self._s.last_error

    @property
    def polls(self) -> int:
        return self._s.polls

    @property
    def latencies(self) -> list[float]:
        """Seconds each accepted post took (the load benchmark reads them)."""
        with self._cv:
            return list(self._s.latencies)

    def status(self) -> str:
        """One short line for the game's header."""
        n = self.pending
        if self.online and not self._s.last_error:
            return "Room: online" if n == 0 else f"Room: sending {n}"
        if self.online:
            return f"Room: {self._s.last_error}"[:80]
        # Short: the header shares its line with the timer and the player's name.
        return f"Room: offline, {n} queued"

    # -- acting (the game's thread) ------------------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="room-link", daemon=True)
            self._thread.start()

    def push(self, game: LiveGame) -> None:
        """Queue the game's record as it is now; returns at once."""
        with self._cv:
            self._s.log = list(game.log)
            if not self._s.config:
                self._s.config = game.config.to_dict()
            self._cv.notify_all()

    def poll(self) -> None:
        """Ask for the room's commands now (the sender reads them every few seconds
        anyway)."""
        with self._cv:
            self._s.poll_now = True
            self._s.retry_at = min(self._s.retry_at, time.monotonic())
            self._cv.notify_all()

    def apply(self, game: LiveGame) -> list[str]:
        """Fire the room's events this game has not taken yet, in the room's order, each
        once; returns the ids fired. Which were taken is read from the log (a reloaded
        save knows); an event the game cannot take now is skipped for good."""
        events = sorted(self.commands.events, key=lambda e: e.seq)
        taken = applied_seqs(game.log)
        last = max(taken, default=0)
        fired: list[str] = []
        hook = game.on_step
        for ev in events:
            if ev.seq <= last or ev.seq in self._skipped or game.done:
                continue
            if ev.event not in game.injectable():
                self._skipped.add(ev.seq)
                continue
            game.on_step = None     # tag the entry before anything saves or sends it
            try:
                game.inject_event(ev.event)
            except StepError:
                self._skipped.add(ev.seq)
                continue
            finally:
                game.on_step = hook
            game.log[-1][roomwire.ROOM_EVENT] = ev.seq
            last = ev.seq
            fired.append(ev.event)
            if hook is not None:
                hook(game)
        return fired

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until the room holds the whole record (True) or `timeout` passes."""
        end = time.monotonic() + timeout
        with self._cv:
            self._s.retry_at = min(self._s.retry_at, time.monotonic())
            self._cv.notify_all()
            while len(self._s.log) > self._s.held or self._s.busy:
                left = end - time.monotonic()
                if left <= 0 or self._thread is None or not self._thread.is_alive():
                    return len(self._s.log) <= self._s.held
                self._cv.wait(min(left, 0.2))
            return True

    def wait_commands(self, timeout: float, seen: int | None = None) -> None:
        """Sleep until the room's commands are read again (or `timeout`); with `seen`,
        until more than that many reads have been answered (0: the first read)."""
        with self._cv:
            if seen is None:
                seen = self._s.polls + self._s.posts
            self._cv.wait_for(lambda: self._s.polls + self._s.posts > seen or self._s.stop,
                              timeout)

    def close(self, timeout: float = 3.0) -> None:
        """Stop the sender after one last attempt to send what is queued (bounded)."""
        with self._cv:
            self._s.stop = True
            self._cv.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    # -- the sender ----------------------------------------------------------------------
    def _run(self) -> None:
        import httpx

        headers = {"Authorization": f"Bearer {self.creds.token}"}
        pair = self.creds.pair
        next_poll = 0.0
        with httpx.Client(base_url=self.creds.address, headers=headers,
                          timeout=self.timeout) as client:
            while True:
                with self._cv:
                    s = self._s
                    while True:
                        now = time.monotonic()
                        has = len(s.log) > s.held and bool(s.config)
                        ready = now >= s.retry_at
                        if s.stop or (ready and (has or s.poll_now or now >= next_poll)):
                            break
                        wake = s.retry_at if not ready else next_poll
                        s.busy = False
                        self._cv.notify_all()
                        self._cv.wait(max(0.01, wake - now))
                    stopping = s.stop
                    start = s.held
                    entries = s.log[start:start + CHUNK] if has else []
                    config = s.config
                    s.poll_now = False
                    s.busy = True
                if stopping and not entries:
                    break
                if entries:
                    self._post(client, pair, start, entries, config)
                else:
                    self._read_commands(client, pair)
                next_poll = time.monotonic() + self.poll_every
                if stopping:
                    break
        with self._cv:
            self._s.busy = False
            self._cv.notify_all()

    def _post(self, client: httpx.Client, pair: str, start: int,
              entries: list[dict[str, Any]], config: dict[str, Any]) -> None:
        import httpx

        body = roomwire.RecordPost(scenario_hash=self.creds.scenario_hash, seed=self.creds.seed,
                                   config=config, start=start, entries=entries)
        t0 = time.perf_counter()
        try:
            resp = client.post(f"/api/pairs/{pair}/record",
                               content=body.model_dump_json().encode(),
                               headers={"Content-Type": "application/json"})
        except httpx.HTTPError as e:
            self._failed(f"offline ({type(e).__name__})", online=False)
            return
        took = time.perf_counter() - t0
        if resp.status_code == 200:
            try:
                reply = roomwire.RecordReply.model_validate(resp.json())
            except (ValueError, ValidationError):
                self._failed("the room's reply was not understood", online=True)
                return
            with self._cv:
                s = self._s
                s.held = reply.held
                s.commands = reply.commands
                s.posts += 1
                s.latencies.append(took)
                self._ok()
            return
        said = _error_of(resp)
        if resp.status_code == 409:
            held = _held_of(resp)
            with self._cv:
                s = self._s
                if held is not None and held != start and held <= len(s.log):
                    s.held = held           # send again from what the room holds
                    s.retry_at = 0.0
                    s.online = True
                    self._cv.notify_all()
                    return
            self._failed(f"{NOT_HELD_STEP}: {said}" if said else NOT_HELD_STEP, online=True,
                         worst=True)
            return
        if resp.status_code >= 500:
            self._failed(f"the room had a problem (HTTP {resp.status_code})", online=False)
            return
        self._failed(said or f"the room refused the record (HTTP {resp.status_code})",
                     online=True, worst=True)

    def _read_commands(self, client: httpx.Client, pair: str) -> None:
        import httpx

        try:
            resp = client.get(f"/api/pairs/{pair}/commands")
        except httpx.HTTPError as e:
            self._failed(f"offline ({type(e).__name__})", online=False)
            return
        if resp.status_code != 200:
            self._failed(_error_of(resp) or f"HTTP {resp.status_code}",
                         online=resp.status_code < 500, worst=resp.status_code < 500)
            return
        try:
            commands = roomwire.Commands.model_validate(resp.json())
        except (ValueError, ValidationError):
            self._failed("the room's commands were not understood", online=True)
            return
        with self._cv:
            self._s.commands = commands
            self._s.polls += 1
            self._ok()

    def _ok(self) -> None:
        """After an answered request (the lock held)."""
        s = self._s
        s.online = True
        s.last_error = ""
        s.backoff = BACKOFF_MIN
        s.retry_at = 0.0
        self._cv.notify_all()

    def _failed(self, why: str, *, online: bool, worst: bool = False) -> None:
        """Keep playing; try again later, each time a little later (capped)."""
        with self._cv:
            s = self._s
            s.online = online
            s.last_error = why
            wait = BACKOFF_MAX if worst else s.backoff
            s.retry_at = time.monotonic() + wait
            s.backoff = min(BACKOFF_MAX, s.backoff * 2)
            self._cv.notify_all()
        log.info("room %s: %s; again in %.1f s", self.creds.address, why, wait)


def _held_of(resp: httpx.Response) -> int | None:
    try:
        body = resp.json()
    except ValueError:
        return None
    held = body.get("held") if isinstance(body, dict) else None
    return held if isinstance(held, int) and held >= 0 else None


def applied_seqs(entries: Sequence[dict[str, Any]]) -> set[int]:
    """The room events a game's log says it took (their sequence numbers)."""
    out: set[int] = set()
    for e in entries:
        seq = e.get(roomwire.ROOM_EVENT)
        if isinstance(seq, int):
            out.add(seq)
    return out


# -- an AI-vs-AI game in a room (tests, the load benchmark) ---------------------------------
def play_headless(address: str, code: str, config: GameConfig, *, cmo: str = "AI CMO",
                  cto: str = "AI CTO", delay: float = 0.0, poll_every: float = 0.5,
                  flush_timeout: float = 60.0, max_seconds: float = 600.0,
                  stats: dict[str, Any] | None = None,
                  on_step: Callable[[LiveGame, RoomLink], None] | None = None) -> LiveGame:
    """Join the room as a new pair and play `config`'s seats (AIs) on the room's scenario
    and seed to the end, sending after every step: waits while the room is paused, takes
    the room's events at step boundaries, stops when the room ends the game, and waits up
    to `flush_timeout` at the end for the room to hold the whole record. `stats`, when
    given, receives the pair, held, entries and post latencies."""
    link = RoomLink.join(address, code, cmo, cto, DEMO, remember=False, poll_every=poll_every)
    cfg = link.config_for(config.seats, DEMO)
    game = LiveGame(cfg)
    link.start()
    deadline = time.monotonic() + max_seconds
    try:
        link.push(game)
        link.wait_commands(10.0, seen=0)    # a room paused before the game starts
        while not game.done and time.monotonic() < deadline:
            link.apply(game)
            if link.commands.ended:
                break
            if link.commands.paused:
                link.push(game)
                link.wait_commands(poll_every * 2)
                continue
            if game.done:
                break
            if game.step.is_view:
                game.acknowledge()
            else:
                game.advance_ai()
            link.push(game)
            if on_step is not None:
                on_step(game, link)
            if delay:
                time.sleep(delay)
        flushed = link.flush(flush_timeout)
    finally:
        link.close()
    if stats is not None:
        stats.update({"pair": link.creds.pair, "held": link.held, "entries": len(game.log),
                      "done": game.done, "flushed": flushed, "quarter": game.quarter,
                      "latencies": link.latencies, "error": link.last_error})
    return game


def main(argv: list[str] | None = None) -> int:
    """`python -m game.session.roomlink ADDRESS CODE`: one headless AI-vs-AI pair; prints a
    JSON line of what the room holds at the end."""
    from game.session.seats import AI, Seat

    p = argparse.ArgumentParser(prog="python -m game.session.roomlink",
                                description="Play one AI-vs-AI game in a room.")
    p.add_argument("address")
    p.add_argument("code")
    p.add_argument("--cmo", default="AI CMO")
    p.add_argument("--cto", default="AI CTO")
    p.add_argument("--cmo-policy", default="partner")
    p.add_argument("--cto-policy", default="partner")
    p.add_argument("--level", type=int, default=1)
    p.add_argument("--delay", type=float, default=0.0)
    p.add_argument("--flush-timeout", type=float, default=60.0)
    args = p.parse_args(argv)
    seats = (Seat(AI, "", args.cmo_policy, args.level), Seat(AI, "", args.cto_policy, args.level))
    stats: dict[str, Any] = {}
    try:
        play_headless(args.address, args.code, GameConfig("-", 1, DEMO, seats), cmo=args.cmo,
                      cto=args.cto, delay=args.delay, flush_timeout=args.flush_timeout,
                      stats=stats)
    except RoomError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    stats.pop("latencies", None)
    print(json.dumps(stats))
    return 0 if stats.get("flushed") else 1


__all__ = ["Credentials", "RoomError", "RoomLink", "applied_seqs", "check_scenario",
           "last_credentials", "normalize_address", "play_headless", "remember_save",
           "room_of_save", "rooms_dir", "save_credentials", "save_of", "stored_credentials"]


if __name__ == "__main__":
    sys.exit(main())
