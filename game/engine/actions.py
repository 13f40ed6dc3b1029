"""Decisions as data: what each role chooses in each phase, batched.

Actions are plain arrays so a scripted policy, the AI and a human at the
keyboard all produce the same thing, and a game record is just these objects
in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine import layout
from game.engine.constants import MOVES, N_INCIDENTS, N_MOVES

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
BoolArr = NDArray[np.bool_]


def _arr(value: Any, dtype: Any) -> NDArray[Any]:
    return layout.batch_last(np.asarray(value, dtype=dtype))


@dataclass
class Talk:
    """One role's relationship moves this quarter, for B games."""

    moves: BoolArr            # (B, N_MOVES)
    promise_kind: I64         # (B,) PROMISE_NONE / FUND / DELIVER
    promise_project: I64      # (B,) project index, -1 for none
    promise_due: I64          # (B,) quarter by which it is due

    @classmethod
    def none(cls, batch: int) -> Talk:
        return cls(layout.zeros((batch, N_MOVES), dtype=np.bool_), np.zeros(batch, dtype=np.int64),
                   np.full(batch, -1, dtype=np.int64), np.zeros(batch, dtype=np.int64))

    def to_dict(self) -> dict[str, Any]:
        return {"moves": self.moves.tolist(), "promise_kind": self.promise_kind.tolist(),
                "promise_project": self.promise_project.tolist(),
                "promise_due": self.promise_due.tolist()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Talk:
        return cls(_arr(d["moves"], np.bool_), _arr(d["promise_kind"], np.int64),
                   _arr(d["promise_project"], np.int64), _arr(d["promise_due"], np.int64))


@dataclass
class Plan:
    """A budget-and-portfolio proposal: projects, owners and the campaign split."""

    fund: BoolArr             # (B, P)
    owner: I64                # (B, P) OWNER_CMO / OWNER_CTO / OWNER_JOINT
    campaign_share: F64       # (B,) share of what is left that goes to campaigns

    @classmethod
    def empty(cls, batch: int, n_projects: int, campaign_share: float = 0.5) -> Plan:
        return cls(layout.zeros((batch, n_projects), dtype=np.bool_),
                   layout.zeros((batch, n_projects), dtype=np.int64),
                   np.full(batch, campaign_share))

    def copy(self) -> Plan:
        return Plan(layout.copy(self.fund), layout.copy(self.owner), self.campaign_share.copy())

    def to_dict(self) -> dict[str, Any]:
        return {"fund": self.fund.tolist(), "owner": self.owner.tolist(),
                "campaign_share": self.campaign_share.tolist()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Plan:
        return cls(_arr(d["fund"], np.bool_), _arr(d["owner"], np.int64),
                   _arr(d["campaign_share"], np.float64))


@dataclass
class Aftermath:
    """One role's responses: to each finished project and to each incident."""

    project: I64              # (B, P) own/circumstances/blame/deny, or share/take credit
    incident: I64             # (B, N_INCIDENTS) own/circumstances/blame/deny

    @classmethod
    def default(cls, batch: int, n_projects: int) -> Aftermath:
        return cls(layout.zeros((batch, n_projects), dtype=np.int64),
                   layout.zeros((batch, N_INCIDENTS), dtype=np.int64))

    def to_dict(self) -> dict[str, Any]:
        return {"project": self.project.tolist(), "incident": self.incident.tolist()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Aftermath:
        return cls(_arr(d["project"], np.int64), _arr(d["incident"], np.int64))


def moves_from(names: list[str], batch: int = 1) -> BoolArr:
    """A moves array from move names, for tests and the UI."""
    out = layout.zeros((batch, N_MOVES), dtype=np.bool_)
    for n in names:
        out[:, MOVES.index(n)] = True
    return out
