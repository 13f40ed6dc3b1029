"""Who sits in each chair: a human at the keyboard or an AI policy, and by what name.

AI players come from the registry; when the AI counterpart module provides
`make_counterpart` (personalities with a level), that is tried first, so new
personalities show up here without a change to the session.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from game.engine.driver import Policy
from game.engine.game import Game
from game.scenario.models import Scenario

HUMAN = "human"
AI = "ai"

FALLBACK_PARTNERS = ("reciprocal", "cooperative", "selfish")
"""Scripted players offered when no personality from the scenario is registered."""



@dataclass(frozen=True)
class Seat:
    """One role's controller."""

    kind: str = HUMAN
    name: str = ""
    policy: str = ""
    level: int = 2

    @property
    def human(self) -> bool:
        return self.kind == HUMAN

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "policy": self.policy,
                "level": self.level}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Seat:
        kind = str(d.get("kind", HUMAN))
        if kind not in (HUMAN, AI):
            raise ValueError(f"unknown seat kind {kind!r}")
        return cls(kind, str(d.get("name", "")), str(d.get("policy", "")),
                   int(d.get("level", 2)))


def registered() -> list[str]:
    from game.ai.registry import names

    return names()


def partners_for(game_offered: list[str], defined: Iterable[str] = ()) -> list[str]:
    """AI partners to offer: the scenario's personalities that exist (built in, or
    `defined` by the scenario itself), else scripted ones."""
    known = set(registered()) | set(defined)
    offered = [n for n in game_offered if n in known]
    return offered or [n for n in FALLBACK_PARTNERS if n in known]


def title_of(name: str, scenario: Scenario | None = None) -> str:
    """A player-facing name for a policy (the AI registry holds every title)."""
    from game.ai.registry import title

    return title(name, scenario)


def make_ai(seat: Seat, game: Game, role: int, seed: int) -> Policy:
    """Build the AI for a seat: a counterpart personality if available, else the registry."""
    import importlib

    try:
        module: Any = importlib.import_module("game.ai.counterpart")
    except ImportError:
        module = None
    maker = getattr(module, "make_counterpart", None)
    if maker is not None:
        try:
            policy: Policy = maker(seat.policy, game, role, seed, level=seat.level)
            return policy
        except (KeyError, ValueError):
            pass
    from game.ai.registry import make_policy

    return make_policy(seat.policy, game, role, seed)


def said(policy: Policy) -> list[str]:
    """The policy's line(s) of dialogue for the decision it just returned, if it speaks."""
    lines = getattr(policy, "said", None)
    if not lines:
        return []
    if isinstance(lines, str):
        return [lines]
    return [str(x) for x in lines if str(x).strip()]
