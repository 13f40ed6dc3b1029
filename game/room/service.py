"""A room's logic, apart from HTTP: joining, each pair's record, the facilitator's controls,
and the public view the projector shows.

The room fixes the scenario and the seed; every pair plays the same game on the same
luck. Everything a room must not lose is written to its store before a call returns;
what is only in memory (each pair's replayed game, the view) is rebuilt from the store
after a restart, lazily: the last view of each pair is stored with its record, so a
reopened room shows every pair at once and replays a pair only when it posts again.
Blocking calls (they write to the database and replay) are meant to run off the event
loop; a lock per pair keeps one pair's posts in order without holding up the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

from game.engine.game import scenario_hash
from game.room.store import (
    Conflict,
    PairRow,
    RoomRow,
    RoomStore,
    StoreError,
    canonical,
    secret_hash,
    secret_matches,
)
from game.room.verify import PairGame, Refused, one_line, room_config
from game.scenario.models import Scenario
from game.session.live import GameConfig, LiveGame
from game.session.roomwire import (
    MAX_ENTRIES,
    PROTOCOL,
    Commands,
    EventChoice,
    JoinReply,
    JoinRequest,
    PairView,
    RecordPost,
    RecordReply,
    RoomEvent,
    RoomView,
    pair_view,
)
from game.session.seats import Seat

CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"
"""A room code's letters: none that reads as another (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, G)."""
CODE_LENGTH = 6
MAX_PAIRS = 200
MAX_TIMER = 4 * 3600
"""The longest phase timer, in seconds."""
MAX_LABEL = 60
ACTIONS = ("open", "close", "pause", "resume", "event", "timer", "end")


class RoomError(Exception):
    """A request the room refuses: an HTTP status and one sentence; `held` on a 409 for a
    record says how many entries the room holds, so the game sends from there."""

    def __init__(self, status: int, message: str, held: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.held = held


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def same_code(given: str, code: str) -> bool:
    """Codes are typed by people: case and surrounding spaces do not count."""
    return given.strip().upper() == code.upper()


@dataclass
class _Pair:
    """One pair in memory: its stored row, its replayed game (None until needed), its view."""

    row: PairRow
    view: PairView
    game: PairGame | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


class Room:
    """One room: open it with `Room.create` or `Room.resume` over a store."""

    def __init__(self, store: RoomStore, scenario: Scenario, row: RoomRow) -> None:
        self.store = store
        self.scenario = scenario
        self.row = row
        self._lock = threading.RLock()
        self._pairs: dict[str, _Pair] = {}
        self._version = 1
        self._view: RoomView | None = None
        self._view_json: str | None = None
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._events = store.events()
        self._commands = self._build_commands()
        for p in store.pairs():
            view = (PairView.model_validate_json(p.view) if p.view
                    else self._fresh_view(p))
            self._pairs[p.id] = _Pair(p, view)

    # -- opening -----------------------------------------------------------------------
    @classmethod
    def create(cls, store: RoomStore, scenario: Scenario, *, scenario_ref: str, seed: int,
               title: str, admin_key: str, code: str | None = None) -> Room:
        """A new room in an empty store."""
        if store.room() is not None:
            raise StoreError(f"{store.url} already holds a room; open it to resume it")
        row = RoomRow(code=code or new_code(), title=title or scenario.title,
                      scenario=scenario_ref, scenario_id=scenario.id,
                      scenario_hash=scenario_hash(scenario), seed=seed, joining=True,
                      paused=False, timer_ends=None, timer_label="", ended=False,
                      admin_hash=secret_hash(admin_key), created=time.time())
        store.create_room(row)
        return cls(store, scenario, row)

    @classmethod
    def resume(cls, store: RoomStore, scenario: Scenario) -> Room:
        """The room a store holds, with the scenario it was started with (StoreError when
        the scenario's rules changed since: the records would not replay the same)."""
        row = store.room()
        if row is None:
            raise StoreError(f"{store.url} holds no room")
        if scenario.id != row.scenario_id or scenario_hash(scenario) != row.scenario_hash:
            raise StoreError(f"the room was started with another version of '{row.scenario}' "
                             f"({row.scenario_id}, {row.scenario_hash}); its records only "
                             "replay with that one")
        return cls(store, scenario, row)

    @property
    def code(self) -> str:
        return self.row.code

    def is_admin(self, key: str | None) -> bool:
        return bool(key) and secret_matches(str(key), self.row.admin_hash)

    # -- joining -----------------------------------------------------------------------
    def join(self, req: JoinRequest) -> JoinReply:
        if req.protocol != PROTOCOL:
            raise RoomError(400, protocol_mismatch(req.protocol))
        if not same_code(req.code, self.row.code):
            raise RoomError(403, "wrong room code: check the code on the projector")
        cmo, cto = req.cmo.strip(), req.cto.strip()
        if not cmo or not cto:
            raise RoomError(422, "both players need a name")
        with self._lock:
            known = self._pairs.get(req.pair) if req.pair else None
            if known is not None:
                if not req.token or not secret_matches(req.token, known.row.token_hash):
                    raise RoomError(401, "this pair's token does not match: join as a new pair")
                return self._reply(known.row, req.token)
            if self.row.ended:
                raise RoomError(403, "the room has ended")
            if not self.row.joining:
                raise RoomError(403, "the facilitator has closed joining")
            if len(self._pairs) >= MAX_PAIRS:
                raise RoomError(403, f"the room is full ({MAX_PAIRS} pairs)")
            token = new_secret()
            pair_id = secrets.token_hex(4)
            while pair_id in self._pairs:
                pair_id = secrets.token_hex(4)
            now = time.time()
            row = PairRow(id=pair_id, token_hash=secret_hash(token), cmo=cmo, cto=cto,
                          mode=req.mode, config=None, created=now, updated=now, held=0,
                          view=None)
            self.store.add_pair(row)
            self._pairs[pair_id] = _Pair(row, self._fresh_view(row))
        self._bump()
        return self._reply(row, token)

    def _reply(self, row: PairRow, token: str) -> JoinReply:
        return JoinReply(pair=row.id, token=token, room=self.row.code, title=self.row.title,
                         scenario=self.row.scenario_id, scenario_hash=self.row.scenario_hash,
                         seed=self.row.seed, held=row.held)

    def _fresh_view(self, row: PairRow) -> PairView:
        """A pair that has sent nothing yet: the game's start, with the names it joined as."""
        return pair_view(LiveGame(self._config_of(row), self.scenario), row.id, row.held,
                         row.updated)

    def _config_of(self, row: PairRow) -> GameConfig:
        """The pair's game as the room holds it: the seats of its last record, or before
        any record the names it joined as."""
        if row.config is not None:
            return room_config(row.config, self.row.scenario, self.row.seed)
        return GameConfig(self.row.scenario, self.row.seed, row.mode,
                          (Seat(name=row.cmo), Seat(name=row.cto)))

    def authorize(self, pair: str, token: str | None) -> None:
        self._authorized(pair, token)

    def _authorized(self, pair: str, token: str | None) -> _Pair:
        p = self._pairs.get(pair)
        if p is None:
            raise RoomError(404, f"no pair '{one_line(pair, 70)}' in this room")
        if not token:
            raise RoomError(401, "no token: send the header 'Authorization: Bearer <token>' "
                                 "with the token the room gave at joining")
        if not secret_matches(token, p.row.token_hash):
            raise RoomError(401, "the token does not match this pair")
        return p

    # -- records -----------------------------------------------------------------------
    def post(self, pair: str, token: str | None, body: RecordPost) -> RecordReply:
        """Take a pair's record from `body.start`: check what is held, replay what is new,
        store it, and answer with the count held and the room's commands."""
        p = self._authorized(pair, token)
        if body.scenario_hash != self.row.scenario_hash or body.seed != self.row.seed:
            raise RoomError(409, f"this record is of another game: the room plays "
                                 f"'{self.row.scenario_id}' ({self.row.scenario_hash}) with "
                                 f"seed {self.row.seed}", p.row.held)
        if body.start + len(body.entries) > MAX_ENTRIES:
            raise RoomError(413, f"a record has at most {MAX_ENTRIES} entries")
        try:
            texts = [canonical(e) for e in body.entries]
        except (TypeError, ValueError) as e:
            raise RoomError(400, f"an entry is not plain JSON: {one_line(str(e))}") from None
        with p.lock:
            held = p.row.held
            try:
                config = room_config(body.config, self.row.scenario, self.row.seed)
                game = self._game(p, config)
                game.check_prefix(body.start, texts)
            except Refused as e:
                raise RoomError(409, e.reason, held) from None
            new = held - body.start
            if new >= len(texts):
                self.store.touch(p.row.id)
                return RecordReply(held=held, commands=self._commands)
            try:
                game.extend(body.entries[new:], texts[new:], self._fired())
            except Refused as e:
                p.game = None       # part-way through the refused entry: rebuilt when needed
                raise RoomError(409, e.reason, held) from None
            now = time.time()
            view = pair_view(game.game, p.row.id, game.held, now)
            try:
                count = self.store.append(p.row.id, held, texts[new:], config.to_dict(),
                                          view.model_dump_json(), now)
            except Conflict as e:  # another room process on the same database
                p.game = None
                raise RoomError(409, "the record changed meanwhile; send again", e.held) from None
            except Exception:
                p.game = None
                raise
            p.row = _with(p.row, held=count, updated=now, config=config.to_dict())
            p.view = view
        self._bump()
        return RecordReply(held=count, commands=self._commands)

    def _game(self, p: _Pair, config: GameConfig) -> PairGame:
        """The pair's replayed game for `config` (under the pair's lock): rebuilt from the
        store when missing; a pair that holds nothing yet may change its seats."""
        if p.row.held > 0 and p.row.config is not None and config != self._config_of(p.row):
            raise Refused("the record's seats differ from those of the record the room holds")
        if p.game is None or p.game.config != config:
            p.game = None
            game = PairGame(config, self.scenario)
            stored = self.store.entries(p.row.id) if p.row.held else []
            try:
                game.extend([_loads(t) for t in stored], stored, self._fired())
            except Refused as e:
                raise Refused(f"the room's own copy of this record does not replay "
                              f"({e.reason})") from None
            p.game = game
        return p.game

    def _fired(self) -> dict[int, str]:
        with self._lock:
            return {e.seq: e.event for e in self._events}

    # -- the facilitator ---------------------------------------------------------------
    def control(self, action: str, event: str | None = None, seconds: int | None = None,
                label: str | None = None) -> RoomView:
        """One of the facilitator's controls; the view after it."""
        if action not in ACTIONS:
            raise RoomError(400, f"unknown action '{one_line(str(action), 40)}' "
                                 f"(one of {', '.join(ACTIONS)})")
        with self._lock:
            if action in ("event", "timer", "pause", "resume", "open") and self.row.ended:
                raise RoomError(409, "the room has ended")
            change: dict[str, Any]
            if action in ("open", "close"):
                change = {"joining": action == "open"}
            elif action in ("pause", "resume"):
                change = {"paused": action == "pause"}
            elif action == "end":
                change = {"ended": True, "joining": False, "paused": False,
                          "timer_ends": None, "timer_label": ""}
            elif action == "timer":
                change = self._timer(seconds, label)
            else:
                self._fire(event)
                change = {}
            if change:
                self.store.update_room(**change)
                self.row = _with(self.row, **change)
            self._commands = self._build_commands()
        self._bump()
        return self.view()

    def _timer(self, seconds: int | None, label: str | None) -> dict[str, Any]:
        if not isinstance(seconds, int) or isinstance(seconds, bool) or not (
                0 <= seconds <= MAX_TIMER):
            raise RoomError(400, f"a timer needs 'seconds', a whole number from 0 (cancel) "
                                 f"to {MAX_TIMER}")
        text = "" if label is None else str(label).strip()
        if len(text) > MAX_LABEL:
            raise RoomError(400, f"a timer's label has at most {MAX_LABEL} characters")
        if seconds == 0:
            return {"timer_ends": None, "timer_label": ""}
        return {"timer_ends": time.time() + seconds, "timer_label": text}

    def _fire(self, event: str | None) -> None:
        ids = [e.id for e in self.scenario.events]
        if event not in ids:
            raise RoomError(400, f"no event '{one_line(str(event), 60)}' in this scenario "
                                 f"(its events: {', '.join(ids) or 'none'})")
        self._events = [*self._events, self.store.add_event(event)]

    def _build_commands(self) -> Commands:
        r = self.row
        return Commands(paused=r.paused, ended=r.ended, joining=r.joining,
                        events=[RoomEvent(seq=e.seq, event=e.event) for e in self._events],
                        timer_ends=r.timer_ends, timer_label=r.timer_label)

    def commands(self) -> Commands:
        return self._commands

    # -- the view ----------------------------------------------------------------------
    @property
    def version(self) -> int:
        return self._version

    def view(self) -> RoomView:
        """The public view: every pair's figures from the room's replay, and the controls'
        state. Built once per change, however many read it."""
        with self._lock:
            if self._view is None or self._view.version != self._version:
                sc = self.scenario
                self._view = RoomView(
                    code=self.row.code, title=self.row.title, scenario=sc.id,
                    scenario_title=sc.title, seed=self.row.seed, quarters=sc.quarters,
                    commands=self._commands, pairs=[p.view for p in self._pairs.values()],
                    events=[EventChoice(id=e.id, title=e.title) for e in sc.events],
                    version=self._version)
                self._view_json = None
            return self._view

    def view_json(self) -> str:
        with self._lock:
            view = self.view()
            if self._view_json is None:
                self._view_json = view.model_dump_json()
            return self._view_json

    def pair_views(self) -> list[PairView]:
        return list(self.view().pairs)

    def games(self) -> dict[str, LiveGame]:
        """Every pair's game as the room replayed it (the room's debrief reads these);
        pairs rebuilt from the store as needed."""
        out: dict[str, LiveGame] = {}
        with self._lock:
            pairs = list(self._pairs.values())
        for p in pairs:
            with p.lock:
                try:
                    out[p.row.id] = self._game(p, self._config_of(p.row)).game
                except Refused:
                    continue
        return out

    def _bump(self) -> None:
        """Something changed: a new version, and every waiting stream wakes."""
        with self._lock:
            self._version += 1
            waiters = list(self._waiters)
        for loop, ev in waiters:
            with contextlib.suppress(RuntimeError):   # that stream's loop has closed
                loop.call_soon_threadsafe(ev.set)

    async def changed(self, version: int, timeout: float) -> bool:
        """Wait until the view is past `version` (True) or `timeout` seconds pass (False)."""
        ev = asyncio.Event()
        waiter = (asyncio.get_running_loop(), ev)
        with self._lock:
            if self._version != version:
                return True
            self._waiters.add(waiter)
        try:
            await asyncio.wait_for(ev.wait(), timeout)
            return True
        except TimeoutError:
            return self._version != version
        finally:
            with self._lock:
                self._waiters.discard(waiter)

    def close(self) -> None:
        self.store.close()


def protocol_mismatch(theirs: Any) -> str:
    return (f"this room speaks room protocol {PROTOCOL} and the game speaks {theirs}: play "
            "with the same version of Same Team as the facilitator's")


def _with(row: Any, **changes: Any) -> Any:
    return replace(row, **changes)


def _loads(text: str) -> dict[str, Any]:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise Refused("a stored entry is not an object")
    return data


__all__ = ["ACTIONS", "CODE_ALPHABET", "CODE_LENGTH", "MAX_PAIRS", "MAX_TIMER", "Room",
           "RoomError", "new_code", "new_secret", "protocol_mismatch", "same_code"]
