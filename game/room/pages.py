"""The projector page: every pair of the room, live, for a screen at the back of a room.

One HTML page with its style and script inline (a room's network may have no internet,
so nothing comes from elsewhere). The page draws itself from the room's public view
(roomwire.RoomView, the same JSON the stream sends), so the first paint and every
update go through one renderer in the page's script; the words for a game's phases are
written here once and handed to it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import jinja2

from game.session.roomwire import RoomView
from game.session.steps import Kind

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
"""The room's page templates. Styles and scripts are inline in them: the server needs to
serve no static files (there is no static folder)."""

STALE_AFTER = 60.0
"""Seconds without news from a pair after which the projector marks it (a laptop asleep,
a network gone)."""

PHASE_WORDS: dict[str, str] = {
    Kind.BRIEFING: "reading the briefing",
    Kind.NEWS: "reading the news",
    Kind.EVENT: "deciding on the news",
    Kind.TALK: "relationship moves",
    Kind.PROPOSE: "budget talk",
    Kind.RESPOND: "budget talk",
    Kind.RESULTS: "reading the results",
    Kind.AFTERMATH: "answering for the results",
    Kind.BOARD: "the board's verdict",
    Kind.END: "done",
}
"""A game's step as the room reads it on the projector (the page's script adds who is
awaited: 'budget talk · waiting for the CTO')."""

TIMER_CHOICES = (3, 5, 10)
"""The phase timer's buttons, in minutes."""

_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True,
                          keep_trailing_newline=True)


def _script_json(data: Any) -> str:
    """JSON safe inside a <script> element (no "<" at all, so nothing can close it early)."""
    return json.dumps(data, separators=(",", ":")).replace("<", "\\u003c")


def projector_page(view: RoomView, admin: bool, join_url: str) -> str:
    """The projector view of the room; with `admin`, the facilitator's controls too (the
    page reads the key from its own address and sends it with every control)."""
    boot = {"view": view.model_dump(mode="json"), "admin": admin, "join_url": join_url,
            "server_now": time.time(), "stale_after": STALE_AFTER,
            "phase_words": {str(k): v for k, v in PHASE_WORDS.items()},
            "timers": list(TIMER_CHOICES)}
    page: str = _ENV.get_template("projector.html").render(
        view=view, admin=admin, join_url=join_url, boot=_script_json(boot))
    return page


__all__ = ["PHASE_WORDS", "STALE_AFTER", "TEMPLATES_DIR", "TIMER_CHOICES", "projector_page"]
