"""The room trusts no game's figures: it replays each pair's record with the engine.

Each pair's game is rebuilt in the room's memory from the ROOM's scenario and seed (a
posted config only says who sits where), and extended with each post's new entries, so
a post costs its own entries rather than a whole game's replay. A record is append-only:
the part of a post the room already holds must be what it holds. An entry that does not
replay (out of step, malformed, an illegal decision, an event the room never fired) is
refused with a one-line reason; the caller then throws this game away and rebuilds it
from the stored entries, so nothing of a refused post survives, even in memory.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

from game.engine.record import INJECT
from game.scenario.models import Scenario
from game.session.live import GameConfig, LiveGame, Replayer
from game.session.roomwire import ROOM_EVENT

MAX_NAME = 60
"""The longest seat name or policy a posted config may carry (JoinRequest's names too)."""


class Refused(Exception):
    """A post the room will not take; `reason` is one line a player's game can show."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def one_line(text: str, most: int = 240) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= most else line[: most - 1] + "…"


def room_config(posted: Any, scenario_ref: str, seed: int) -> GameConfig:
    """A posted config with the room's scenario and seed forced in (Refused when it is
    not a config)."""
    if not isinstance(posted, dict):
        raise Refused("the config is not an object")
    try:
        config = GameConfig.from_dict({**posted, "scenario": scenario_ref, "seed": seed})
    except (KeyError, ValueError, TypeError) as e:
        raise Refused(f"the config cannot be read: {one_line(_why(e))}") from None
    for seat in config.seats:
        if len(seat.name) > MAX_NAME or len(seat.policy) > MAX_NAME:
            raise Refused(f"a seat's name or policy is longer than {MAX_NAME} characters")
    return replace(config, scenario=scenario_ref, seed=seed)


def digest(text: str) -> bytes:
    """What the room remembers in memory of one stored entry, to compare a resent one."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class PairGame:
    """One pair's game as the room's replay has it."""

    def __init__(self, config: GameConfig, scenario: Scenario) -> None:
        self.config = config
        try:
            self._replayer = Replayer(config, scenario)
        except Exception as e:   # an unknown AI policy, a bad level: not a game to replay
            raise Refused(f"the game's seats cannot be set up: {one_line(_why(e))}") from None
        self._digests: list[bytes] = []
        self._applied: set[int] = set()    # the room events (seq) the record applied

    @property
    def game(self) -> LiveGame:
        return self._replayer.game

    @property
    def held(self) -> int:
        return len(self._digests)

    def check_prefix(self, start: int, texts: list[str]) -> None:
        """Entries start..held of a post must be the ones held (Refused otherwise)."""
        held = self.held
        if start > held:
            raise Refused(f"the room holds {held} entries of this record; send from entry "
                          f"{held}, not {start}")
        for i, text in enumerate(texts[: held - start]):
            if digest(text) != self._digests[start + i]:
                raise Refused(f"entry {start + i} differs from the one the room holds; a "
                              "record is only ever added to")

    def extend(self, items: list[dict[str, Any]], texts: list[str],
               fired: dict[int, str]) -> None:
        """Replay the next entries (those after what is held); Refused on the first one
        that does not replay, and this game is then part-way through it: discard it."""
        for item, text in zip(items, texts, strict=True):
            index = self.held
            try:
                if item.get("kind") == INJECT:
                    self._check_injection(index, item, fired)
                self._replayer.feed([item])
            except Refused:
                raise
            except Exception as e:  # the record is the client's: anything it raises refuses
                raise Refused(f"entry {index} does not replay: {one_line(_why(e))}") from None
            self._digests.append(digest(text))

    def _check_injection(self, index: int, item: dict[str, Any], fired: dict[int, str]) -> None:
        """A game applies only the events the room fired, each once: no pair fires its own."""
        seq = item.get(ROOM_EVENT)
        if not isinstance(seq, int) or isinstance(seq, bool) or seq not in fired:
            raise Refused(f"entry {index} fires an event the room did not fire")
        if fired[seq] != item.get("data"):
            raise Refused(f"entry {index} fires '{item.get('data')}' as the room's event "
                          f"{seq}, which was '{fired[seq]}'")
        if seq in self._applied:
            raise Refused(f"entry {index} applies the room's event {seq} a second time")
        self._applied.add(seq)


def _why(e: BaseException) -> str:
    text = str(e)
    if isinstance(e, KeyError):
        return f"missing {text}"
    return text or type(e).__name__


__all__ = ["MAX_NAME", "PairGame", "Refused", "digest", "one_line", "room_config"]
