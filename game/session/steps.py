"""The positions a live game can be in, as data the UI and the save file share.

A quarter is the engine driver's walk through these steps (engine/driver.py). Views are
screens with nothing to decide; the others wait for one role's decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    BRIEFING = "briefing"    # a role's private briefing before quarter 1 (view)
    NEWS = "news"            # the quarter's headlines and dashboard (public view)
    EVENT = "event"          # the chooser answers this quarter's event
    TALK = "talk"            # relationship moves
    PROPOSE = "propose"      # budget and portfolio: make a proposal
    RESPOND = "respond"      # accept the proposal or counter it
    RESULTS = "results"      # what execution brought (public view)
    AFTERMATH = "aftermath"  # own, blame, share credit...
    BOARD = "board"          # the board's verdict for the quarter (public view)
    END = "end"              # the game is over: debrief


VIEWS = frozenset({Kind.BRIEFING, Kind.NEWS, Kind.RESULTS, Kind.BOARD})
"""Steps that are acknowledged rather than decided."""


@dataclass(frozen=True)
class Step:
    """Where the game stands: what is awaited, from whom, in which quarter and round."""

    kind: Kind
    role: int | None
    quarter: int
    round: int = 0

    @property
    def is_view(self) -> bool:
        return self.kind in VIEWS

    def to_dict(self) -> dict[str, object]:
        return {"kind": str(self.kind), "role": self.role, "quarter": self.quarter,
                "round": self.round}
