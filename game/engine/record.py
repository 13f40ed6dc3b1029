"""Game records: (scenario hash, seed, every decision in order) that replay a game exactly.

One format for every use: `simulate`'s recorded batches, a live game's log, its
save file, undo, the export and the debrief all read the same entries. An entry
is what the driver asked for (kind, role, quarter) and the decision it got, as
plain JSON; a live game adds views acknowledged, facilitator injections and,
for an AI's decisions, what it said and what it remembered after deciding, so a
replay restores the AI instead of asking it again. Because the rules are
deterministic and draw their luck from (seed, quarter, phase), feeding the same
decisions back in the same order reproduces the game bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from game.engine.actions import Aftermath, Plan, Talk
from game.engine.driver import VIEWS, Driver, Need, Policy, Request, begin
from game.engine.game import Game
from game.engine.observation import Observation
from game.engine.state import State

FORMAT = 2
INJECT = "inject"
_KINDS = frozenset(str(k) for k in Need)
_VIEWS = frozenset(str(k) for k in VIEWS)
Entry = dict[str, Any]


def encode(kind: Need, decision: Any) -> Any:
    """A decision as plain JSON data."""
    if kind == Need.EVENT or kind == Need.RESPOND:
        return np.asarray(decision).tolist()
    if kind in (Need.TALK, Need.PROPOSE, Need.AFTERMATH):
        data: dict[str, Any] = decision.to_dict()
        return data
    return None


def decode(kind: Need, data: Any) -> Any:
    """The decision `encode` wrote, back as the object the driver takes."""
    if kind == Need.EVENT:
        return np.asarray(data, dtype=np.int64)
    if kind == Need.RESPOND:
        return np.asarray(data, dtype=np.bool_)
    if kind == Need.TALK:
        return Talk.from_dict(data)
    if kind == Need.PROPOSE:
        return Plan.from_dict(data)
    if kind == Need.AFTERMATH:
        return Aftermath.from_dict(data)
    return None


def entry(req: Request, decision: Any) -> Entry:
    return {"q": req.quarter, "kind": str(req.kind), "role": req.role,
            "data": encode(req.kind, decision)}


@dataclass
class GameRecord:
    """Everything needed to replay a game: where it started and every entry since."""

    scenario_id: str
    scenario_hash: str
    seed: int
    stream: int = 0
    batch: int = 1
    entries: list[Entry] = field(default_factory=list)
    shared_luck: bool = False   # every row had the luck of the B = 1 game (rng.Luck)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "format": FORMAT, "scenario_id": self.scenario_id,
            "scenario_hash": self.scenario_hash, "seed": self.seed, "stream": self.stream,
            "batch": self.batch, "entries": self.entries}
        if self.shared_luck:  # only then: records of ordinary games read as before
            out["shared_luck"] = True
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> GameRecord:
        if d.get("format") != FORMAT:
            raise ValueError(f"unsupported game record format {d.get('format')!r}")
        entries = d["entries"]
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise ValueError("a game record's entries are a list of objects")
        return cls(str(d["scenario_id"]), str(d["scenario_hash"]), int(d["seed"]),
                   int(d["stream"]), int(d["batch"]), list(entries),
                   bool(d.get("shared_luck", False)))

    def decisions(self, role: int) -> list[Entry]:
        """This role's decisions, in order."""
        return [e for e in self.entries if e.get("role") == role and e["kind"] != INJECT]


def apply_entry(driver: Driver, item: Entry, index: int = 0) -> Request | None:
    """Feed one entry to the driver; ValueError when it does not fit the game there."""
    kind = str(item.get("kind"))
    if kind == INJECT:
        data = item["data"]
        ids = driver.game.event_ids
        if isinstance(data, str) and data not in ids:
            raise ValueError(f"game record entry {index}: no event '{data}' to inject")
        driver.inject(ids.index(data) if isinstance(data, str) else int(data))
        return None
    req = driver.request()
    if req is None:
        raise ValueError(f"game record runs past the end of the game at entry {index}")
    if str(req.kind) != kind or req.role != item.get("role") or req.quarter != int(item["q"]):
        raise ValueError(f"game record out of step at entry {index}: it says {kind} "
                         f"(Q{item.get('q')}), the game is at {req.kind} (Q{req.quarter})")
    driver.apply(decode(req.kind, item.get("data")))
    return req


class Recorder:
    """Wraps a policy and appends each of its decisions to the record."""

    def __init__(self, inner: Policy, record: GameRecord) -> None:
        self.inner = inner
        self.record = record
        self.name = inner.name

    def decide(self, obs: Observation, request: Request) -> Any:
        out = self.inner.decide(obs, request)
        self.record.entries.append(entry(request, out))
        return out


class Replayer:
    """Plays back one role's recorded decisions; a mismatch means the record is corrupt."""

    name = "replay"

    def __init__(self, record: GameRecord, role: int) -> None:
        self.queue = record.decisions(role)
        self.pos = 0

    def decide(self, obs: Observation, request: Request) -> Any:
        if self.pos >= len(self.queue) or self.queue[self.pos]["kind"] != str(request.kind):
            raise ValueError(f"game record out of step at decision {self.pos}: "
                             f"expected {request.kind}")
        item = self.queue[self.pos]
        self.pos += 1
        return decode(request.kind, item["data"])


def record_play(game: Game, policies: tuple[Policy, Policy], batch: int, seed: int,
                stream: int = 0, shared_luck: bool = False) -> tuple[State, GameRecord]:
    """Play to the end while recording every decision."""
    rec = GameRecord(game.scenario.id, game.hash, seed, stream, batch,
                     shared_luck=shared_luck)
    state = begin(game, batch, seed, stream, shared_luck)
    Driver(game, state).run((Recorder(policies[0], rec), Recorder(policies[1], rec)))
    return state, rec


def check_scenario(game: Game, record: GameRecord) -> None:
    """Refuse a record made with another version of the scenario."""
    if record.scenario_hash != game.hash:
        raise ValueError(
            f"this record was made with a different version of scenario "
            f"'{record.scenario_id}' (hash {record.scenario_hash}, now {game.hash})")


def resume(game: Game, record: GameRecord, views: bool = False) -> Driver:
    """The driver after every entry of the record, against the same scenario: the game
    goes on from there."""
    check_scenario(game, record)
    driver = Driver(game, begin(game, record.batch, record.seed, record.stream,
                                record.shared_luck), views=views)
    for i, item in enumerate(record.entries):
        kind = item.get("kind")
        if kind != INJECT and (kind not in _KINDS or (not views and kind in _VIEWS)):
            continue  # a session's own entries (briefings), or views it did not stop at
        apply_entry(driver, item, i)
    return driver


def replay(game: Game, record: GameRecord) -> State:
    """The state after every entry of the record (a finished game: its end)."""
    driver = resume(game, record)
    driver.request()
    return driver.state


__all__ = ["FORMAT", "INJECT", "GameRecord", "Recorder", "Replayer", "apply_entry", "decode",
           "encode", "entry", "record_play", "replay", "resume"]
