"""How a game is played: the three modes, kept apart from the live game so that the
save listing (behind the title screen) can name them without loading the engine."""

from __future__ import annotations

WORKSHOP = "workshop"
SOLO = "solo"
DEMO = "demo"
MODES = (WORKSHOP, SOLO, DEMO)

__all__ = ["DEMO", "MODES", "SOLO", "WORKSHOP"]
