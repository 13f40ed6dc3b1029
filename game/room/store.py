"""Where a room keeps what it must not lose: the room, its pairs, their records, its events.

SQLAlchemy Core over any database URL; the default is one SQLite file per room in the
user's data folder, in WAL mode with synchronous=FULL, so a room survives its laptop
crashing and reopening the file resumes it (same code, pairs, tokens and events). Every
write is one transaction: a post's entries and the pair's count of held entries go in
together or not at all, so a crash never leaves half a post. Secrets are kept only as
hashes (sha256): a stolen room file gives no pair's token and no facilitator's key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from game.session.roomwire import rooms_dir

SCHEMA = 1
"""The room file's layout; a file written by a later layout is refused, not misread."""

_meta = MetaData()

room_table = Table(
    "room", _meta,
    Column("code", String(16), primary_key=True),
    Column("schema", Integer, nullable=False),
    Column("title", String(120), nullable=False),
    Column("scenario", Text, nullable=False),          # what --scenario named (id or path)
    Column("scenario_id", String(80), nullable=False),
    Column("scenario_hash", String(128), nullable=False),
    Column("seed", Integer, nullable=False),
    Column("joining", Boolean, nullable=False),
    Column("paused", Boolean, nullable=False),
    Column("timer_ends", Float, nullable=True),
    Column("timer_label", String(120), nullable=False),
    Column("ended", Boolean, nullable=False),
    Column("admin_hash", String(64), nullable=False),
    Column("created", Float, nullable=False),
)

pairs_table = Table(
    "pairs", _meta,
    Column("id", String(64), primary_key=True),
    Column("token_hash", String(64), nullable=False),
    Column("cmo", String(120), nullable=False),
    Column("cto", String(120), nullable=False),
    Column("mode", String(20), nullable=False),
    Column("config", Text, nullable=True),             # GameConfig.to_dict() JSON, first post
    Column("created", Float, nullable=False),
    Column("updated", Float, nullable=False),
    Column("held", Integer, nullable=False),
    Column("view", Text, nullable=True),               # the last PairView JSON (no replay to show)
)

entries_table = Table(
    "entries", _meta,
    Column("pair", String(64), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("data", Text, nullable=False),              # one record entry, canonical JSON
)

events_table = Table(
    "events", _meta,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("event", String(80), nullable=False),
    Column("fired_at", Float, nullable=False),
)


class StoreError(Exception):
    """The room's database cannot be used; the message says which and why."""


class Conflict(Exception):
    """A post raced another for the same pair: the pair holds `held` entries, not `start`."""

    def __init__(self, held: int) -> None:
        super().__init__(f"the room holds {held} entries")
        self.held = held


def secret_hash(secret: str) -> str:
    """What the store keeps of a token or key."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    """Compare in constant time, so timing tells nothing of the stored hash."""
    return hmac.compare_digest(secret_hash(secret), stored_hash)


def canonical(entry: Any) -> str:
    """One entry as the text stored and compared: the same entry always the same text."""
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), allow_nan=False)


def default_url(code: str) -> str:
    """A new room's SQLite file in the user's data folder."""
    return sqlite_url(rooms_dir() / f"{code}.sqlite")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for another database or an in-memory one)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url in (prefix, f"{prefix}:memory:"):
        return None
    return Path(url[len(prefix):])


@dataclass(frozen=True)
class RoomRow:
    code: str
    title: str
    scenario: str
    scenario_id: str
    scenario_hash: str
    seed: int
    joining: bool
    paused: bool
    timer_ends: float | None
    timer_label: str
    ended: bool
    admin_hash: str
    created: float


@dataclass(frozen=True)
class PairRow:
    id: str
    token_hash: str
    cmo: str
    cto: str
    mode: str
    config: dict[str, Any] | None
    created: float
    updated: float
    held: int
    view: str | None


@dataclass(frozen=True)
class EventRow:
    seq: int
    event: str
    fired_at: float


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """WAL (readers never block the writer), every commit on disk before it returns, and
    a wait instead of an error while another thread writes."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class RoomStore:
    """One room's database. Thread-safe: each call takes its own connection."""

    def __init__(self, url: str) -> None:
        self.url = url
        path = sqlite_path(url)
        try:
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(url, future=True)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            _meta.create_all(self.engine)
        except (SQLAlchemyError, OSError, ValueError) as e:
            raise StoreError(f"cannot open the room's database {_shown(url)}: "
                             f"{_reason(e)}") from None

    def close(self) -> None:
        self.engine.dispose()

    # -- the room ----------------------------------------------------------------------
    def room(self) -> RoomRow | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(room_table)).mappings().first()
        if row is None:
            return None
        if int(row["schema"]) > SCHEMA:
            raise StoreError(f"{_shown(self.url)} was written by a newer Same Team "
                             f"(room layout {row['schema']}); update the game to open it")
        data = {k: v for k, v in row.items() if k != "schema"}
        return RoomRow(**data)

    def create_room(self, room: RoomRow) -> None:
        values = {**room.__dict__, "schema": SCHEMA}
        with self.engine.begin() as conn:
            conn.execute(insert(room_table).values(**values))

    def update_room(self, **values: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(room_table).values(**values))

    # -- pairs -------------------------------------------------------------------------
    def pairs(self) -> list[PairRow]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(pairs_table).order_by(pairs_table.c.created)).mappings()
            return [_pair(r) for r in rows]

    def pair(self, pair: str) -> PairRow | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(pairs_table).where(pairs_table.c.id == pair)
                               ).mappings().first()
        return None if row is None else _pair(row)

    def add_pair(self, pair: PairRow) -> None:
        values = {**pair.__dict__,
                  "config": None if pair.config is None else json.dumps(pair.config)}
        with self.engine.begin() as conn:
            conn.execute(insert(pairs_table).values(**values))

    def count_pairs(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(pairs_table)).scalar_one())

    def append(self, pair: str, start: int, texts: list[str], config: dict[str, Any],
               view: str, now: float | None = None) -> int:
        """Add entries `start`.. of a pair's record with its config and new view, in one
        transaction; returns the count held. Conflict when the pair does not hold
        exactly `start` entries (nothing is written then)."""
        held = start + len(texts)
        now = time.time() if now is None else now
        with self.engine.begin() as conn:
            # The update comes first: it takes SQLite's write lock before anything is read.
            done = conn.execute(
                update(pairs_table)
                .where(pairs_table.c.id == pair, pairs_table.c.held == start)
                .values(held=held, config=json.dumps(config), view=view, updated=now))
            if done.rowcount != 1:
                current = conn.execute(select(pairs_table.c.held)
                                       .where(pairs_table.c.id == pair)).scalar()
                raise Conflict(int(current or 0))
            if texts:
                conn.execute(insert(entries_table),
                             [{"pair": pair, "idx": start + i, "data": t}
                              for i, t in enumerate(texts)])
        return held

    def touch(self, pair: str, now: float | None = None) -> None:
        """The pair was heard from (a post that added nothing)."""
        with self.engine.begin() as conn:
            conn.execute(update(pairs_table).where(pairs_table.c.id == pair)
                         .values(updated=time.time() if now is None else now))

    def entries(self, pair: str) -> list[str]:
        """A pair's whole record as stored, in order."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(entries_table.c.data)
                                .where(entries_table.c.pair == pair)
                                .order_by(entries_table.c.idx))
            return [str(r[0]) for r in rows]

    # -- the room's events -------------------------------------------------------------
    def events(self) -> list[EventRow]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(events_table).order_by(events_table.c.seq)).mappings()
            return [EventRow(int(r["seq"]), str(r["event"]), float(r["fired_at"]))
                    for r in rows]

    def add_event(self, event_id: str, now: float | None = None) -> EventRow:
        """The room fires `event_id`: the next sequence number, in one transaction."""
        fired = time.time() if now is None else now
        with self.engine.begin() as conn:
            # Take the write lock first (an empty update), then read the last seq under it.
            conn.execute(update(room_table).values(code=room_table.c.code))
            last = conn.execute(select(func.max(events_table.c.seq))).scalar()
            seq = int(last or 0) + 1
            conn.execute(insert(events_table).values(seq=seq, event=event_id, fired_at=fired))
        return EventRow(seq, event_id, fired)


def _pair(row: Any) -> PairRow:
    config = row["config"]
    return PairRow(id=str(row["id"]), token_hash=str(row["token_hash"]), cmo=str(row["cmo"]),
                   cto=str(row["cto"]), mode=str(row["mode"]),
                   config=None if config is None else json.loads(config),
                   created=float(row["created"]), updated=float(row["updated"]),
                   held=int(row["held"]), view=row["view"])


def _shown(url: str) -> str:
    """A database URL as said in a message: never its password."""
    head, sep, tail = url.partition("@")
    if sep and "://" in head:
        scheme, _, _ = head.partition("://")
        return f"{scheme}://…@{tail}"
    return url


def _reason(e: Exception) -> str:
    orig = getattr(e, "orig", None)
    text = str(orig if orig is not None else e).strip().splitlines()
    return text[0] if text else type(e).__name__


__all__ = ["SCHEMA", "Conflict", "EventRow", "PairRow", "RoomRow", "RoomStore", "StoreError",
           "canonical", "default_url", "secret_hash", "secret_matches",
           "sqlite_path", "sqlite_url"]
