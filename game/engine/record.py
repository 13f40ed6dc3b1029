"""Game records: (scenario hash, seed, action log) that replay a game exactly.

A recorder wraps each player's policy and keeps every decision it returns, in
the order the driver asked for them. Because the rules are deterministic and
draw their luck from (seed, quarter, phase), feeding the same decisions back in
the same order reproduces the game bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.actions import Aftermath, Plan, Talk
from game.engine.game import Game
from game.engine.observation import Observation
from game.engine.runner import Policy, play
from game.engine.state import State

BoolArr = NDArray[np.bool_]
I64 = NDArray[np.int64]

FORMAT = 1


@dataclass
class GameRecord:
    """Everything needed to replay a game."""

    scenario_id: str
    scenario_hash: str
    seed: int
    stream: int
    batch: int
    actions: list[list[dict[str, Any]]] = field(default_factory=lambda: [[], []])

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "scenario_id": self.scenario_id,
                "scenario_hash": self.scenario_hash, "seed": self.seed, "stream": self.stream,
                "batch": self.batch, "actions": self.actions}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> GameRecord:
        if d.get("format") != FORMAT:
            raise ValueError(f"unsupported game record format {d.get('format')!r}")
        return cls(str(d["scenario_id"]), str(d["scenario_hash"]), int(d["seed"]),
                   int(d["stream"]), int(d["batch"]), [list(a) for a in d["actions"]])


class Recorder:
    """Wraps a policy and appends each of its decisions to a list."""

    def __init__(self, inner: Policy, log: list[dict[str, Any]]) -> None:
        self.inner = inner
        self.log = log
        self.name = inner.name

    def choose_events(self, obs: Observation) -> I64:
        out = self.inner.choose_events(obs)
        self.log.append({"events": np.asarray(out).tolist()})
        return out

    def talk(self, obs: Observation) -> Talk:
        out = self.inner.talk(obs)
        self.log.append({"talk": out.to_dict()})
        return out

    def propose(self, obs: Observation, last: Plan | None) -> Plan:
        out = self.inner.propose(obs, last)
        self.log.append({"propose": out.to_dict()})
        return out

    def respond(self, obs: Observation, plan: Plan) -> BoolArr:
        out = self.inner.respond(obs, plan)
        self.log.append({"respond": np.asarray(out).tolist()})
        return out

    def aftermath(self, obs: Observation) -> Aftermath:
        out = self.inner.aftermath(obs)
        self.log.append({"aftermath": out.to_dict()})
        return out


class Replayer:
    """Plays back a recorded list of decisions; a mismatch means the record is corrupt."""

    name = "replay"

    def __init__(self, log: list[dict[str, Any]]) -> None:
        self.log = log
        self.pos = 0

    def _next(self, kind: str) -> Any:
        if self.pos >= len(self.log) or kind not in self.log[self.pos]:
            raise ValueError(f"game record out of step at decision {self.pos}: expected {kind}")
        item = self.log[self.pos][kind]
        self.pos += 1
        return item

    def choose_events(self, obs: Observation) -> I64:
        return np.asarray(self._next("events"), dtype=np.int64)

    def talk(self, obs: Observation) -> Talk:
        return Talk.from_dict(self._next("talk"))

    def propose(self, obs: Observation, last: Plan | None) -> Plan:
        return Plan.from_dict(self._next("propose"))

    def respond(self, obs: Observation, plan: Plan) -> BoolArr:
        return np.asarray(self._next("respond"), dtype=np.bool_)

    def aftermath(self, obs: Observation) -> Aftermath:
        return Aftermath.from_dict(self._next("aftermath"))


def record_play(game: Game, policies: tuple[Policy, Policy], batch: int, seed: int,
                stream: int = 0) -> tuple[State, GameRecord]:
    """Play to the end while recording every decision."""
    rec = GameRecord(game.scenario.id, game.hash, seed, stream, batch)
    wrapped = (Recorder(policies[0], rec.actions[0]), Recorder(policies[1], rec.actions[1]))
    return play(game, wrapped, batch, seed, stream), rec


def replay(game: Game, record: GameRecord) -> State:
    """Replay a record against the same scenario; refuses a different scenario."""
    if record.scenario_hash != game.hash:
        raise ValueError(
            f"this record was made with a different version of scenario "
            f"'{record.scenario_id}' (hash {record.scenario_hash}, now {game.hash})")
    return play(game, (Replayer(record.actions[0]), Replayer(record.actions[1])),
                record.batch, record.seed, record.stream)
