"""What the AI remembers about the other executive, for B games at once.

Only public facts go in: the promise and go-around counters every player sees,
and `obs.seen` (what this role saw the other do last quarter, misreadings and
all). From them the AI keeps fading tallies of good and bad experience and
turns them into its own trust, the way the engine's beta-reputation model does,
but through its personality: a low propensity discounts cheap talk, so a
Skeptic moves only on kept promises; forgiveness lets bad memories fade.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.constants import (
    ACT_BLAMED,
    ACT_JOINT,
    ACT_MET,
    ACT_OWNED,
    ACT_SHARED,
    ACT_SHARED_CREDIT,
    ACT_TOOK_CREDIT,
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


@dataclass
class Event:
    """One remembered fact about the other, for dialogue ("last time you went around me")."""

    quarter: int
    kind: int
    project: int = -1


@dataclass
class Memory:
    """Fading tallies per game, plus the public counters they are read from."""

    batch: int
    other: int
    tally: F64 = field(init=False)          # (B, N_KINDS) fading experience
    total: F64 = field(init=False)          # (B, N_KINDS) everything ever seen
    fresh: F64 = field(init=False)          # (B, N_KINDS) what it learnt about last quarter
    pending: F64 = field(init=False)        # (B, N_KINDS) learnt since this quarter began
    counters: I64 = field(init=False)       # (B, 3) kept, broken, discovered last read
    quarter: int = 0
    quarters_seen: int = 0
    events: list[Event] = field(default_factory=list)   # kept only for one live game

    def __post_init__(self) -> None:
        self.tally = np.zeros((self.batch, N_KINDS))
        self.total = np.zeros((self.batch, N_KINDS))
        self.fresh = np.zeros((self.batch, N_KINDS))
        self.pending = np.zeros((self.batch, N_KINDS))
        self.counters = np.zeros((self.batch, 3), dtype=np.int64)

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
        """(B,) its trust in the other, 0 to 1: a beta-reputation mean through its character."""
        good = self.tally @ (GOOD + p.propensity ** 2 * SOFT)
        bad = ASYMMETRY * (self.tally @ BAD)
        result: F64 = (p.propensity * PRIOR_WEIGHT + good) / (PRIOR_WEIGHT + good + bad)
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

    # -- copies, for look-ahead and saves ------------------------------------------
    def take(self, index: I64) -> Memory:
        out = Memory(int(index.shape[0]), self.other)
        out.tally = self.tally[index].copy()
        out.total = self.total[index].copy()
        out.fresh = self.fresh[index].copy()
        out.pending = self.pending[index].copy()
        out.counters = self.counters[index].copy()
        out.quarter = self.quarter
        out.quarters_seen = self.quarters_seen
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"batch": self.batch, "other": self.other, "tally": self.tally.tolist(),
                "total": self.total.tolist(), "fresh": self.fresh.tolist(),
                "pending": self.pending.tolist(),
                "counters": self.counters.tolist(), "quarter": self.quarter,
                "quarters_seen": self.quarters_seen,
                "events": [[e.quarter, e.kind, e.project] for e in self.events]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Memory:
        out = cls(int(d["batch"]), int(d["other"]))
        out.tally = np.asarray(d["tally"], dtype=np.float64)
        out.total = np.asarray(d["total"], dtype=np.float64)
        out.fresh = np.asarray(d["fresh"], dtype=np.float64)
        out.pending = np.asarray(d["pending"], dtype=np.float64)
        out.counters = np.asarray(d["counters"], dtype=np.int64)
        out.quarter = int(d["quarter"])
        out.quarters_seen = int(d["quarters_seen"])
        out.events = [Event(int(q), int(k), int(j)) for q, k, j in d["events"]]
        return out


def seeded(batch: int, other: int, trust: F64, p: Personality) -> Memory:
    """A memory whose trust equals `trust` (B,): how the AI pictures the other's view of it.

    Used to start the other side's model in look-ahead from the public trust meter.
    """
    m = Memory(batch, other)
    t = np.clip(trust, 0.02, 0.98)
    base = p.propensity
    # Solve (base*W + g)/(W + g) = t for good experience g, or bad b when below.
    w = PRIOR_WEIGHT
    good_need = np.maximum((t - base) * w / np.maximum(1.0 - t, 1e-6), 0.0)
    bad_need = np.maximum((base - t) * w / np.maximum(t, 1e-6), 0.0)
    m.tally[:, KEPT] = good_need / GOOD[KEPT]
    m.tally[:, AROUND] = bad_need / (ASYMMETRY * BAD[AROUND])
    return m


__all__ = ["KINDS", "Event", "Memory", "seeded"]
