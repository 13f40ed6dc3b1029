"""What a game and a room say to each other, and what the room may show of a pair.

A room (``sameteam room``, game/room) fixes one scenario and one seed; every pair on it
plays the same game on the same luck. The game keeps playing locally and sends its record
(the engine's one record format, GameRecord entries) after each step; the room replays
that record with the engine and shows only what the replay says. These models are the
wire format both sides validate, in the session layer so the game (ui) and the room
(room) share them without importing each other.

Protocol (JSON over HTTP, version ``PROTOCOL``):

- ``POST /api/join`` JoinRequest -> JoinReply. A new pair gets an id and a secret token;
  a pair that sends its id and token again (a restarted laptop) gets the same pair back.
- ``POST /api/pairs/{pair}/record`` RecordPost, header ``Authorization: Bearer <token>``
  -> RecordReply. Entries are sent from ``start`` (an index into the log); the part
  already held must match what the room has, the rest must replay. 401 without or with
  a wrong token, 409 when the record does not fit (the reply says how many entries the
  room holds, so the game sends from there), 413 when too large.
- ``GET /api/pairs/{pair}/commands`` (token) -> Commands: pause, the room's events, end.
- ``GET /api/room`` -> RoomView, ``GET /api/room/stream`` the same as server-sent events.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from game.engine.constants import CMO, CTO, MOVES
from game.session import reading
from game.session.files import data_dir
from game.session.live import LiveGame

PROTOCOL = 1
MAX_RECORD_BYTES = 4 * 1024 * 1024
"""A whole 12-quarter game's record with the AI's memory is well under 1 MB."""
MAX_ENTRIES = 20_000
ROOM_EVENT = "room"
"""Key an injected entry of the log carries: the room event's sequence number, so a game
(and the room's replay) knows which of the room's events it has applied."""

Name = Annotated[str, Field(min_length=1, max_length=60)]


def first_problem(e: ValidationError) -> str:
    """A model's first problem as 'where: what', for a sentence a person reads."""
    err = e.errors()[0]
    where = ".".join(str(x) for x in err["loc"])
    return f"{where}: {err['msg']}" if where else str(err["msg"])


def rooms_dir() -> Path:
    """Rooms' files in the user's data folder: a room's database and key (the
    facilitator's laptop), a pair's credentials (a pair's laptop), cached bands."""
    return data_dir() / "rooms"


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


class JoinRequest(_Wire):
    code: StrictStr = Field(min_length=1, max_length=32)
    cmo: Name
    cto: Name
    mode: Literal["workshop", "solo", "demo"] = "workshop"
    pair: StrictStr | None = Field(None, max_length=64)     # rejoin: the id the room gave
    token: StrictStr | None = Field(None, max_length=128)   # rejoin: its secret
    protocol: StrictInt = PROTOCOL


class JoinReply(_Wire):
    pair: StrictStr
    token: StrictStr
    room: StrictStr                  # the room's code
    title: StrictStr                 # the room's name on its projector
    scenario: StrictStr              # the scenario's id
    scenario_hash: StrictStr         # the game refuses to play a different version
    seed: StrictInt
    held: StrictInt = 0              # entries of this pair's record the room already holds
    protocol: StrictInt = PROTOCOL


class RecordPost(_Wire):
    scenario_hash: StrictStr = Field(max_length=128)
    seed: StrictInt
    config: dict[str, Any]           # GameConfig.to_dict(): seats and mode (names shown)
    start: StrictInt = Field(ge=0, le=MAX_ENTRIES)
    entries: list[dict[str, Any]] = Field(max_length=MAX_ENTRIES)


class RoomEvent(_Wire):
    seq: StrictInt                   # 1, 2, ... in the order the facilitator fired them
    event: StrictStr                 # the scenario event's id


class Commands(_Wire):
    """What the facilitator asks of every game, read after each post and by polling."""

    paused: bool = False
    events: list[RoomEvent] = Field(default_factory=list)
    ended: bool = False
    joining: bool = True
    timer_ends: float | None = None  # the phase timer's end, seconds since the epoch
    timer_label: StrictStr = ""


class RecordReply(_Wire):
    held: StrictInt                  # entries of the record the room now holds
    commands: Commands


class PairView(_Wire):
    """One pair as the projector shows it: public figures only, from the room's replay.

    Nothing private of either role: no intel, no hidden go-around, no AI's memory."""

    pair: StrictStr
    cmo: StrictStr
    cto: StrictStr
    mode: StrictStr
    quarter: StrictInt
    quarters: StrictInt
    phase: StrictStr                 # steps.Kind: news, talk, propose, ... end
    waiting_for: StrictStr = ""      # "CMO", "CTO" or "" (a view or the end)
    trust_cmo_to_cto: float
    trust_cto_to_cmo: float
    ownership: float
    growth: float                    # revenue against the start, as a fraction
    board_cmo: float
    board_cto: float
    done: bool
    held: StrictInt = 0              # entries replayed
    updated: float = 0.0             # when the room last heard from the pair (epoch s)
    series: dict[str, list[float]] = Field(default_factory=dict)   # per closed quarter
    moves: dict[str, int] = Field(default_factory=dict)            # public move counts
    dividend: dict[str, float] = Field(default_factory=dict)       # the trust dividend's lines


class EventChoice(_Wire):
    id: StrictStr
    title: StrictStr


class RoomView(_Wire):
    code: StrictStr
    title: StrictStr
    scenario: StrictStr
    scenario_title: StrictStr
    seed: StrictInt
    quarters: StrictInt
    commands: Commands
    pairs: list[PairView]
    events: list[EventChoice] = Field(default_factory=list)   # what the facilitator can fire
    version: StrictInt = 0           # goes up with every change; the stream sends it


GO_AROUNDS_FOUND = "go_around_discovered"
"""A pair view's count of go-arounds that came to light (never those still hidden)."""
PUBLIC_MOVES = ("one_on_one", "share_intel", "promise", "roadmap_review", "hack_week",
                "hire_liaison")
"""Moves both players see being made; a go-around is counted only once discovered."""


def public_moves(g: LiveGame) -> dict[str, int]:
    """The moves both players saw being made, both roles together: the room's debrief
    sums them, and an exported history carries them (go-arounds are counted apart, only
    once discovered: `pair_view`, and a history's results)."""
    counts = g.state.move_counts[0]
    return {name: int(counts[CMO, i] + counts[CTO, i])
            for i, name in enumerate(MOVES) if name in PUBLIC_MOVES}


def pair_view(g: LiveGame, pair: str, held: int, updated: float) -> PairView:
    """The public figures of a replayed game: what the shared dashboard shows."""
    k = reading.kpis(g)
    s = reading.series(g)
    step = g.step
    return PairView(
        pair=pair, cmo=g.player_name(CMO), cto=g.player_name(CTO), mode=g.mode,
        quarter=k.quarter, quarters=k.quarters, phase=str(step.kind),
        waiting_for="" if step.role is None else ("CMO" if step.role == CMO else "CTO"),
        trust_cmo_to_cto=k.trust[CMO], trust_cto_to_cmo=k.trust[CTO], ownership=k.ownership,
        growth=k.growth, board_cmo=k.board[CMO], board_cto=k.board[CTO], done=g.done,
        held=held, updated=updated,
        series={"revenue": s.revenue, "trust_cmo": s.trust_cmo, "trust_cto": s.trust_cto,
                "ownership": s.ownership, "board_cmo": s.board_cmo,
                "board_cto": s.board_cto},
        moves={**public_moves(g),
               GO_AROUNDS_FOUND: int(reading.goarounds_known(g).sum())},
        dividend=dict(reading.dividend_parts(g)))


__all__ = [
    "GO_AROUNDS_FOUND",
    "MAX_ENTRIES",
    "MAX_RECORD_BYTES",
    "PROTOCOL",
    "ROOM_EVENT",
    "Commands",
    "EventChoice",
    "JoinReply",
    "JoinRequest",
    "PairView",
    "RecordPost",
    "RecordReply",
    "RoomEvent",
    "RoomView",
    "first_problem",
    "pair_view",
    "public_moves",
    "rooms_dir",
]
