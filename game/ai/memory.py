"""What the AI remembers, for B games at once: of the other executive, and of itself.

Only public facts go in: the promise and go-around counters every player sees,
and `obs.seen` (what this role saw the other do last quarter, misreadings and
all). From them the AI keeps fading tallies of good and bad experience: who did
what, for dialogue and for reciprocity (`Memory.lean`). The AI decides on the
engine's trust, the meter both players see; its memory only colours how it
answers: a low propensity discounts cheap talk, so a Skeptic warms to kept
promises, not words; forgiveness lets bad memories fade. `Memory.trust` (the
old private meter) remains to seed the look-ahead's picture of the other.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import cache
from typing import Any, ClassVar, Self, get_args, get_origin, get_type_hints

import numpy as np
from numpy.typing import NDArray

from game.ai.personalities import stake
from game.engine.constants import (
    ACT_BLAMED,
    ACT_JOINT,
    ACT_MET,
    ACT_OWNED,
    ACT_SHARED,
    ACT_SHARED_CREDIT,
    ACT_TOOK_CREDIT,
    N_ACTS,
)
from game.engine.observation import Observation
from game.scenario.models import Personality

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
BoolArr = NDArray[np.bool_]

KINDS: tuple[str, ...] = (
    "kept", "broken", "around", "blamed", "took_credit", "shared_credit", "shared", "met",
    "owned", "joint",
)
(KEPT, BROKEN, AROUND, BLAMED, TOOK, SHARED_CREDIT, SHARED, MET, OWNED, JOINT) = range(10)
N_KINDS = len(KINDS)
DEFECTS = [BROKEN, AROUND, BLAMED, TOOK]
# Acts read from obs.seen; promises and go-arounds come from the exact public counters.
FROM_SEEN: tuple[tuple[int, int], ...] = (
    (BLAMED, ACT_BLAMED), (TOOK, ACT_TOOK_CREDIT), (SHARED_CREDIT, ACT_SHARED_CREDIT),
    (SHARED, ACT_SHARED), (MET, ACT_MET), (OWNED, ACT_OWNED), (JOINT, ACT_JOINT),
)
# How much each experience weighs. Deeds (a kept promise) count in full; words and
# gestures (shared intel, a meeting, owning up, sharing credit) count by the square
# of the personality's propensity to trust, so a Skeptic is moved by deeds alone.
GOOD = np.zeros(N_KINDS)
GOOD[KEPT] = 1.5
SOFT = np.zeros(N_KINDS)
SOFT[[SHARED, MET, JOINT, OWNED, SHARED_CREDIT]] = (0.6, 0.4, 0.5, 0.6, 0.6)
BAD = np.zeros(N_KINDS)
BAD[[BROKEN, AROUND, BLAMED, TOOK]] = (1.2, 2.5, 1.0, 0.6)
PRIOR_WEIGHT = 3.0   # quarters' worth of experience the first impression is worth
ASYMMETRY = 2.0      # a bad experience weighs this much more than a good one
GOOD_FADE = 0.8      # share of good experience kept from one quarter to the next


@dataclass(frozen=True)
class Event:
    """One remembered fact about the other, for dialogue ("last time you went around me")."""

    quarter: int
    kind: int
    project: int = -1


# -- memory as data ------------------------------------------------------------------

class Batched:
    """Copies, rows and plain data for a dataclass of per-game arrays, from its fields.

    Arrays have the batch first and are taken row by row; a nested `Batched`
    field does the same; any other field (numbers, flags, lists) belongs to the
    whole batch and is copied as is. `to_dict` keeps each array's dtype and
    `from_dict` reads the field types, so a new field needs no edit anywhere else.
    """

    __dataclass_fields__: ClassVar[dict[str, Any]]

    def copy(self) -> Self:
        """A deep copy: decisions update the arrays in place."""
        return self._map(lambda a: a.copy(), lambda m: m.copy())

    def take(self, index: NDArray[np.int64] | list[int]) -> Self:
        """Games `index` of this batch as a new batch (repeats allowed, for look-ahead)."""
        idx = np.asarray(index, dtype=np.int64)
        return self._map(lambda a: a[idx], lambda m: m.take(idx))

    def _map(self, array: Callable[[NDArray[Any]], NDArray[Any]],
             nested: Callable[[Batched], Batched]) -> Self:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                out[f.name] = array(value)
            elif isinstance(value, Batched):
                out[f.name] = nested(value)
            else:
                out[f.name] = copy.deepcopy(value)
        return replace(self, **out)

    def to_dict(self) -> dict[str, Any]:
        """Plain lists and numbers, for JSON saves."""
        data: dict[str, Any] = _dump(self)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Take back what `to_dict` gave, with every array's dtype."""
        result: Self = _load(cls, data)
        return result


def _dump(value: Any) -> Any:
    """`value` as JSON takes it: arrays with their dtype and shape, dataclasses as dicts."""
    if isinstance(value, np.ndarray):
        return {"dtype": str(value.dtype), "shape": list(value.shape),
                "data": value.ravel().tolist()}
    if isinstance(value, np.generic):
        return value.item()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dump(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [_dump(v) for v in value]
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _load(hint: Any, data: Any) -> Any:
    """`data` as `to_dict` wrote it, read back as the declared type `hint`."""
    kind = get_origin(hint) or hint
    if kind is np.ndarray:
        return np.asarray(data["data"], dtype=data["dtype"]).reshape(data["shape"])
    if isinstance(kind, type) and is_dataclass(kind):
        hints = _hints(kind)
        return kind(**{f.name: _load(hints[f.name], data[f.name]) for f in fields(kind)})
    if kind is list:
        (item,) = get_args(hint)
        return [_load(item, v) for v in data]
    if kind is tuple:
        return tuple(_load(h, v) for h, v in zip(get_args(hint), data, strict=True))
    return kind(data)


@dataclass
class Memory(Batched):
    """Fading tallies per game, plus the public counters they are read from."""

    other: int          # the other's role
    tally: F64          # (B, N_KINDS) fading experience
    total: F64          # (B, N_KINDS) everything ever seen
    fresh: F64          # (B, N_KINDS) what it learnt about last quarter
    pending: F64        # (B, N_KINDS) learnt since this quarter began
    counters: I64       # (B, 3) kept, broken, discovered last read
    quarter: int = 0
    quarters_seen: int = 0
    events: list[Event] = field(default_factory=list)   # kept only for one live game

    @classmethod
    def empty(cls, batch: int, other: int) -> Memory:
        """Nothing learnt yet about the other (`other` is its role) in `batch` games."""
        return cls(other, np.zeros((batch, N_KINDS)), np.zeros((batch, N_KINDS)),
                   np.zeros((batch, N_KINDS)), np.zeros((batch, N_KINDS)),
                   np.zeros((batch, 3), dtype=np.int64))

    @property
    def batch(self) -> int:
        return int(self.tally.shape[0])

    # -- reading the observation -------------------------------------------------
    def update(self, obs: Observation, p: Personality, other_promise: I64 | None = None,
               last_outcomes: BoolArr | None = None) -> BoolArr:
        """Take in what is new; returns (B,) whether a new defection came to light.

        On the first call of a quarter, old experience fades and last quarter's
        `seen` acts are added; on every call the public promise and go-around
        counters are read, so a go-around found mid-quarter counts at once.
        `fresh` then holds everything learnt about last quarter, what a
        reciprocator answers. `other_promise` (B,) is the project the other had
        promised, to name it.
        """
        new = np.zeros((self.batch, N_KINDS))
        first = obs.quarter != self.quarter
        if first:
            self.quarter = obs.quarter
            self.quarters_seen += 1
            self.tally *= np.where(BAD > 0, self.bad_fade(p), GOOD_FADE)
            for kind, act in FROM_SEEN:
                new[:, kind] = obs.seen[:, act]
        now = np.stack([obs.kept[:, self.other], obs.broken[:, self.other],
                        obs.discovered[:, self.other]], axis=1).astype(np.int64)
        delta = np.maximum(now - self.counters, 0)
        self.counters = now
        new[:, KEPT] += delta[:, 0]
        new[:, BROKEN] += delta[:, 1]
        new[:, AROUND] += delta[:, 2]
        self.tally += new
        self.total += new
        if first:
            self.fresh = self.pending + new
            self.pending = np.zeros_like(self.pending)
        else:
            self.pending += new
        if self.batch == 1:
            self._log(new[0], other_promise, last_outcomes)
        found: BoolArr = np.asarray((new[:, DEFECTS] > 0).any(axis=1))
        return found

    def _log(self, new: F64, other_promise: I64 | None, outcomes: BoolArr | None) -> None:
        project = -1
        for kind in np.flatnonzero(new > 0):
            if kind in (KEPT, BROKEN) and other_promise is not None:
                project = int(other_promise[0])
            elif kind in (BLAMED, TOOK, OWNED, SHARED_CREDIT) and outcomes is not None:
                done = np.flatnonzero(outcomes[0])
                project = int(done[0]) if done.size else -1
            else:
                project = -1
            self.events.append(Event(self.quarter, int(kind), project))
        del self.events[:-24]

    # -- what it makes of it -----------------------------------------------------
    @staticmethod
    def bad_fade(p: Personality) -> float:
        """Forgiving characters let bad experience fade faster."""
        return 0.9 - 0.4 * p.forgiveness

    def trust(self, p: Personality) -> F64:
        """(B,) a private trust, 0 to 1 (beta-reputation through its character): not what
        it decides on (the engine's meter is), only the seed of its picture of the other."""
        good = self.tally @ (GOOD + p.propensity ** 2 * SOFT)
        bad = ASYMMETRY * (self.tally @ BAD)
        result: F64 = (p.propensity * PRIOR_WEIGHT + good) / (PRIOR_WEIGHT + good + bad)
        return result

    def lean(self, p: Personality) -> F64:
        """(B,) -1 to 1: the other's fading record of deeds, good against bad, as this
        character weighs it. Not a trust meter (the engine keeps the one trust both players
        see); it is what a reciprocator answers, and a low propensity discounts words."""
        good = self.tally @ (GOOD + p.propensity ** 2 * SOFT)
        bad = ASYMMETRY * (self.tally @ BAD)
        result: F64 = (good - bad) / (PRIOR_WEIGHT + good + bad)
        return result

    def defected(self) -> BoolArr:
        """(B,) whether the other defected last quarter (as far as it has learnt)."""
        result: BoolArr = np.asarray((self.fresh[:, DEFECTS] > 0).any(axis=1))
        return result

    def rate(self, kind: int) -> F64:
        """(B,) how often per quarter the other did `kind`, all game long."""
        result: F64 = self.total[:, kind] / max(self.quarters_seen, 1)
        return result

    def last(self, kinds: tuple[int, ...]) -> Event | None:
        """The most recent remembered event of these kinds (one live game only)."""
        for event in reversed(self.events):
            if event.kind in kinds:
                return event
        return None


def seeded(batch: int, other: int, trust: F64, p: Personality) -> Memory:
    """A memory whose trust equals `trust` (B,): how the AI pictures the other's view of it.

    Used to start the other side's model in look-ahead from the public trust meter.
    """
    m = Memory.empty(batch, other)
    t = np.clip(trust, 0.02, 0.98)
    base = p.propensity
    # Solve (base*W + g)/(W + g) = t for good experience g, or bad b when below.
    w = PRIOR_WEIGHT
    good_need = np.maximum((t - base) * w / np.maximum(1.0 - t, 1e-6), 0.0)
    bad_need = np.maximum((base - t) * w / np.maximum(t, 1e-6), 0.0)
    m.tally[:, KEPT] = good_need / GOOD[KEPT]
    m.tally[:, AROUND] = bad_need / (ASYMMETRY * BAD[AROUND])
    return m


@dataclass
class Mind(Batched):
    """Everything the AI remembers about a batch of games, and nothing else.

    A save keeps it after each AI decision and a replay puts it back; the
    look-ahead plays its models from rows of it. The counterpart's other
    attributes are its character and the game's rules, fixed for the game.
    """

    memory: Memory            # what it has learnt of the other
    coop: BoolArr             # (B,) cooperating this quarter, not answering a defection
    tau: F64                  # (B,) its trust in the other, 0 to 1: the engine's meter
    stake_now: F64            # (B,) share it would put into joint bets this quarter
    intent_keep: BoolArr      # (B,) whether it means to keep the promise it made
    own_counts: I64           # (B, 2) its own kept and broken promises, as last read
    other_promise: I64        # (B,) the project the other last promised, -1 if none
    my_promise: I64           # (B,) the project it last promised, -1 if none
    last_outcomes: BoolArr    # (B, P) projects finished at its last aftermath, to name them
    acts: BoolArr             # (B, N_ACTS) what it has done this quarter
    acts_before: BoolArr      # (B, N_ACTS) what it did last quarter: what the other saw
    quarter: int = -1         # the quarter of its last decision
    budget_calls: int = 0     # proposals and answers given this quarter
    news: list[tuple[str, int]] = field(default_factory=list)
    """Its own promises kept or broken since it last spoke, still to mention (live)."""
    announced: bool = False   # it spoke of its promise falling due: no news to tell of it
    recent: list[str] = field(default_factory=list)   # every template said this game (live)
    heard: list[tuple[str, int]] = field(default_factory=list)
    """The other's public talk moves this quarter (move, project), still to answer (live)."""

    @classmethod
    def new(cls, memory: Memory, p: Personality, n_projects: int,
            tau: F64 | None = None) -> Mind:
        """A mind for games that have just begun, trusting at `tau` (its propensity)."""
        b = memory.batch
        coop = np.ones(b, dtype=np.bool_)
        trust = np.full(b, p.propensity) if tau is None else tau
        return cls(memory, coop, trust, stake(p, trust, coop, memory.lean(p)),
                   np.ones(b, dtype=np.bool_),
                   np.zeros((b, 2), dtype=np.int64), np.full(b, -1, dtype=np.int64),
                   np.full(b, -1, dtype=np.int64), np.zeros((b, n_projects), dtype=np.bool_),
                   np.zeros((b, N_ACTS), dtype=np.bool_), np.zeros((b, N_ACTS), dtype=np.bool_))


__all__ = ["KINDS", "Batched", "Event", "Memory", "Mind", "seeded"]
