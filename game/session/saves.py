"""Saved games: JSON files of (scenario, seed, seats, action log, position).

A save holds decisions, not state: loading replays the log through the engine,
so the state is exact and a save from a changed scenario is refused rather than
silently diverging. Every write is atomic (write beside, then rename), so a
laptop that dies mid-save leaves the previous save intact. A damaged file gives
one clear message and never stops the other saves from loading.

Listing saves (the title's Continue line, the load screen) needs only the file model:
the live game and the engine are imported when a game is loaded, not at start-up.
"""

from __future__ import annotations

import errno
import json
import re
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
)

from game.session.files import atomic_write_text
from game.session.files import data_dir as data_dir  # re-exported: the saves' parent
from game.session.modes import DEMO

if TYPE_CHECKING:
    from game.session.live import GameConfig, LiveGame

FORMAT = "sameteam-save"
VERSION = 2
"""2: the engine's record format (event picks as rows, AI memory with each AI decision);
version 1 saves still load: their AI decisions are re-asked once to rebuild memory."""
AUTOSAVE_PREFIX = "auto-"
KEEP_AUTOSAVES = 20


def saves_dir() -> Path:
    return data_dir() / "saves"


class SaveError(Exception):
    """A save that cannot be loaded, with a message a player can act on."""


def to_json(game: LiveGame, label: str = "") -> dict[str, Any]:
    st = game.state
    return {
        "format": FORMAT, "version": VERSION, "saved_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "label": label,
        "config": game.config.to_dict(),
        "scenario_id": game.game.scenario.id, "scenario_title": game.game.scenario.title,
        "scenario_hash": game.game.hash, "seed": game.config.seed,
        "position": game.step.to_dict(),
        "summary": {"quarter": st.quarter, "quarters": game.game.quarters,
                    "revenue": round(float(st.revenue[0]), 3), "done": game.done},
        "log": game.log,
    }


def write(game: LiveGame, path: Path, label: str = "") -> Path:
    atomic_write_text(path, json.dumps(to_json(game, label), separators=(",", ":")))
    return path


MAX_SAVE_BYTES = 64 * 1024 * 1024
"""No real save comes near this (a long game is well under 1 MB); a larger file is not read."""
STALE_AFTER = 120.0
"""Seconds after which a leftover temporary file cannot belong to a save in progress."""


class _Seat(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["human", "ai"] = "human"
    name: StrictStr = Field("", max_length=200)
    policy: StrictStr = Field("", max_length=200)
    level: StrictInt = Field(2, ge=0, le=10)


class _Config(BaseModel):
    model_config = ConfigDict(extra="ignore")
    scenario: StrictStr = Field(min_length=1, max_length=4096)
    seed: StrictInt = Field(ge=-(2**63), le=2**64)
    mode: Literal["workshop", "solo", "demo"]
    seats: list[_Seat] = Field(min_length=2, max_length=2)


class _Summary(BaseModel):
    model_config = ConfigDict(extra="ignore")
    quarter: StrictInt = Field(ge=0, le=10_000)
    quarters: StrictInt = Field(ge=1, le=10_000)
    revenue: float = Field(allow_inf_nan=False)
    done: StrictBool


class SaveFile(BaseModel):
    """Everything read from a save goes through this model first, so a damaged file
    (wrong types, absurd numbers, missing parts) is one clear message, never a crash in
    the listing, Continue or Load."""

    model_config = ConfigDict(extra="ignore")
    format: Literal["sameteam-save"]
    version: StrictInt = Field(ge=1)
    saved_at: StrictStr = ""
    label: StrictStr = Field("", max_length=500)
    config: _Config
    scenario_id: StrictStr = ""
    scenario_title: StrictStr = Field("", max_length=500)
    scenario_hash: StrictStr
    seed: StrictInt
    position: dict[str, Any] | None = None
    summary: _Summary
    log: list[dict[str, Any]]


def _damaged(path: Path, why: str) -> SaveError:
    return SaveError(f"{path.name}: the file is damaged ({why}) and cannot be loaded; your "
                     "other saves are not affected")


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing what is not a regular file before opening it (a FIFO
    would block the title screen forever) and what is far too large to be a save."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise SaveError(f"{path.name}: not a regular file, so not a saved game")
        if info.st_size > MAX_SAVE_BYTES:
            raise _damaged(path, f"{info.st_size // 2**20} MB is far too large for a save")
        with path.open("rb") as f:
            return f.read(MAX_SAVE_BYTES + 1)
    except OSError as e:
        raise SaveError(f"{path.name}: cannot be read ({e.strerror or e})") from None


def _parse(path: Path) -> tuple[dict[str, Any], SaveFile]:
    raw = _read_bytes(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _damaged(path, "not UTF-8 text") from None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        # ValueError covers bad JSON and numbers with thousands of digits
        raise _damaged(path, "not valid JSON") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SaveError(f"{path.name}: not a Same Team saved game")
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise SaveError(f"{path.name}: saved by a newer version of Same Team")
    try:
        model = SaveFile.model_validate(data)
    except (ValidationError, RecursionError) as e:
        raise _damaged(path, _first_error(e)) from None
    return data, model


def _first_error(e: Exception) -> str:
    if isinstance(e, ValidationError) and e.errors():
        err = e.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "the top level"
        return f"'{where}': {err['msg'].lower()}"
    return "nested too deeply"


def _read_json(path: Path) -> dict[str, Any]:
    return _parse(path)[0]


def _prepare(path: Path) -> tuple[dict[str, Any], GameConfig, list[dict[str, Any]], Any]:
    """The save's data, config, record and scenario, checked: everything but the replay."""
    from game.scenario.problems import ScenarioError
    from game.session.live import GameConfig, load_config_scenario

    data = _read_json(path)
    try:
        config = GameConfig.from_dict(data["config"])
        log = list(data["log"])
    except (KeyError, TypeError, ValueError) as e:
        raise SaveError(f"{path.name}: the file is damaged (missing or bad {e})") from None
    try:
        scenario = load_config_scenario(config.scenario)
    except FileNotFoundError:
        raise SaveError(f"{path.name}: its scenario '{config.scenario}' is not installed") from None
    except ScenarioError:
        raise SaveError(f"{path.name}: its scenario '{config.scenario}' no longer "
                        "validates") from None
    except (OSError, ValueError) as e:
        raise SaveError(f"{path.name}: its scenario '{config.scenario[:80]}' cannot be read "
                        f"({getattr(e, 'strerror', None) or e})") from None
    from game.engine.game import scenario_hash

    if scenario_hash(scenario) != data.get("scenario_hash"):
        raise SaveError(f"{path.name}: scenario '{config.scenario}' has changed since this "
                        "game was saved, so it cannot be replayed exactly")
    return data, config, log, scenario


REPLAY_FAILURES = (KeyError, TypeError, ValueError, IndexError, AttributeError,
                   OverflowError, RecursionError)
"""What a damaged or tampered record raises while it is replayed (the live game's
StepError is a ValueError)."""


class ReplayError(SaveError):
    """A save whose record stops replaying part-way (the part before may still play)."""


def _replay(path: Path, config: GameConfig, log: list[dict[str, Any]], scenario: Any,
            on_step: Callable[[LiveGame], None] | None) -> LiveGame:
    from game.session.live import replay

    try:
        return replay(config, log, scenario, on_step)
    except REPLAY_FAILURES as e:
        raise ReplayError(f"{path.name}: the file is damaged and cannot be replayed "
                          f"({e})") from None


def load(path: Path, on_step: Callable[[LiveGame], None] | None = None) -> LiveGame:
    """Rebuild the saved game; SaveError explains what is wrong with a bad file."""
    data, config, log, scenario = _prepare(path)
    game = _replay(path, config, log, scenario, on_step)
    pos = data.get("position")
    if isinstance(pos, dict) and pos != game.step.to_dict():
        raise SaveError(f"{path.name}: the file is damaged (it ends at a different step than "
                        "it says)")
    return game


def load_or_earlier(path: Path, on_step: Callable[[LiveGame], None] | None = None,
                    ) -> tuple[LiveGame, str]:
    """The saved game, or, when its record stops replaying part-way, the game as the save
    before it had it (the longest start of the record that replays: every autosave is a
    start of the next one), with a sentence saying so ("" when the whole game loaded).

    Replay is deterministic and step by step, so if the first k decisions replay, so do
    the first j < k: the longest good start is found by bisection. A record whose very
    first decision fails is not a game to fall back to: its SaveError is raised.
    """
    from game.session.live import replay

    data, config, log, scenario = _prepare(path)
    try:
        game = _replay(path, config, log, scenario, on_step)
    except ReplayError as e:
        good, bad = 0, len(log)           # log[:good] replays, log[:bad] does not
        while bad - good > 1:
            mid = (good + bad) // 2
            try:
                replay(config, log[:mid], scenario)
                good = mid
            except REPLAY_FAILURES:   # the same failure as above, earlier in the record
                bad = mid
        if good == 0:
            raise
        game = _replay(path, config, log[:good], scenario, on_step)
        return game, (f"{path.name} stops replaying at its decision {good + 1} of {len(log)} "
                      f"({_why(e)}); continued from the save before it, at Q{game.quarter}.")
    pos = data.get("position")
    if isinstance(pos, dict) and pos != game.step.to_dict():
        raise SaveError(f"{path.name}: the file is damaged (it ends at a different step than "
                        "it says)")
    return game, ""


def _why(e: SaveError) -> str:
    """The reason inside a SaveError's sentence (its last parenthesis)."""
    text = str(e)
    return text[text.rfind("(") + 1:text.rfind(")")] if "(" in text else text


@dataclass(frozen=True)
class SaveInfo:
    """One row of the load screen: a loadable save (who, which scenario, which quarter,
    when), or a damaged one with its message."""

    path: Path
    title: str
    detail: str
    modified: float
    error: str = ""
    autosave: bool = False
    mode: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def continuable(self) -> bool:
        """Whether Continue may pick it: it loads, and it is the player's (not a demo)."""
        return self.ok and self.mode != DEMO



def _who(seat: _Seat) -> str:
    if seat.kind == "ai":
        name = (seat.policy or seat.name or "?").replace("_", " ").replace("-", " ")
        return f"AI ({name.title()})"
    return seat.name or "?"


def _when(m: SaveFile, mtime: float, now: float | None = None) -> str:
    """When it was saved, to the minute, as a player says it: "today 14:05", "yesterday
    09:30", "3 Dec 16:40" (with the year when it is not this one). Its own record first,
    else the file's time."""
    try:
        t = time.strptime(m.saved_at[:16], "%Y-%m-%d %H:%M")
    except ValueError:
        t = time.localtime(mtime)
    today = time.localtime(now)
    day = time.strftime("%Y-%m-%d", t)
    hm = time.strftime("%H:%M", t)
    if day == time.strftime("%Y-%m-%d", today):
        return f"today {hm}"
    if day == time.strftime("%Y-%m-%d", time.localtime(time.mktime(today) - 86400)):
        return f"yesterday {hm}"
    if t.tm_year == today.tm_year:
        return f"{t.tm_mday} {time.strftime('%b', t)} {hm}"
    return f"{t.tm_mday} {time.strftime('%b %Y', t)} {hm}"


def describe(m: SaveFile, mtime: float) -> str:
    """A save's line on the load screen and the title: who, scenario, quarter, when."""
    who = " & ".join(_who(seat) for seat in m.config.seats)
    if m.config.mode == DEMO:
        who = f"demo: {who}"
    where = "finished" if m.summary.done else f"Q{m.summary.quarter} of {m.summary.quarters}"
    return f"{who} · {m.scenario_title or m.scenario_id or '?'} · {where} · {_when(m, mtime)}"


def list_saves(folder: Path | None = None) -> list[SaveInfo]:
    """Every save in the folder, newest first; damaged files are listed with their error."""
    folder = folder or saves_dir()
    out: list[SaveInfo] = []
    if not folder.is_dir():
        return out
    try:
        paths = list(folder.glob("*.json"))
    except OSError:
        return out
    for path in paths:
        try:
            mtime = path.stat().st_mtime
        except OSError:
            continue
        auto = path.name.startswith(AUTOSAVE_PREFIX)
        try:
            _, m = _parse(path)
        except SaveError as e:
            out.append(SaveInfo(path, path.stem, "", mtime, error=str(e), autosave=auto))
            continue
        title = m.label or m.scenario_title or path.stem
        out.append(SaveInfo(path, title, describe(m, mtime), mtime, autosave=auto,
                            mode=m.config.mode))
    out.sort(key=lambda s: -s.modified)
    return out


def latest(folder: Path | None = None) -> SaveInfo | None:
    """The most recent of the player's saves that lists as loadable (the title's Continue
    line); a demo's save never takes that place."""
    for info in list_saves(folder):
        if info.continuable:
            return info
    return None


def resume_latest(folder: Path | None = None,
                  on_step: Callable[[LiveGame], None] | None = None,
                  ) -> tuple[LiveGame, SaveInfo, list[str]] | None:
    """The newest of the player's saves that loads, with a sentence for each newer one
    skipped and for a fall-back to the save before a damaged record (load_or_earlier).

    A save can list fine and still fail to replay (a changed scenario, a tampered
    log); Continue must then reach the game before it, not stop at an error.
    """
    skipped: list[str] = []
    for info in list_saves(folder):
        if not info.continuable:
            continue
        try:
            game, note = load_or_earlier(info.path, on_step)
        except SaveError as e:
            skipped.append(str(e))
            continue
        if note:
            skipped.append(note)
        return game, info, skipped
    return None


def clean_stale_temporaries(folder: Path | None = None, now: float | None = None) -> int:
    """Delete what interrupted atomic writes left behind; returns how many were removed.

    Only files older than STALE_AFTER go, so a save being written by another window
    right now is never touched.
    """
    folder = folder or saves_dir()
    now = time.time() if now is None else now
    removed = 0
    try:
        leftovers = list(folder.glob(".*.tmp"))
    except OSError:
        return 0
    for tmp in leftovers:
        try:
            if tmp.is_file() and now - tmp.stat().st_mtime > STALE_AFTER:
                tmp.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def write_problem(e: OSError, folder: Path) -> str:
    """One sentence for a failed save or export, saying where and why."""
    why = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is full",
           errno.EROFS: "the folder is read-only", errno.EACCES: "permission was refused",
           errno.EPERM: "permission was refused", errno.ENOENT: "the folder does not exist",
           errno.ENOTDIR: "part of the path is not a folder"}.get(
        e.errno or 0, (e.strerror or str(e)).lower())
    return f"Could not write to {folder}: {why}; the game goes on."


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "game"


class Autosaver:
    """Writes the game after every step to its own file, atomically; keeps the last few."""

    def __init__(self, folder: Path | None = None, stamp: str | None = None,
                 scenario: str = "", path: Path | None = None) -> None:
        self.folder = folder or (path.parent if path else saves_dir())
        stamp = stamp or time.strftime("%Y%m%d-%H%M%S")
        self.path = path or self.folder / f"{AUTOSAVE_PREFIX}{stamp}-{_slug(scenario)}.json"
        self.enabled = True

    def __call__(self, game: LiveGame) -> None:
        job = self.snapshot(game)
        if job is not None:
            job()

    def snapshot(self, game: LiveGame) -> Callable[[], None] | None:
        """The save as text now, and the job that writes it (None when disabled): the
        window writes it off its UI thread, while the game moves on."""
        if not self.enabled:
            return None
        body = json.dumps(to_json(game, f"Autosave: {game.game.scenario.title}"),
                          separators=(",", ":"))
        path = self.path

        def write_it() -> None:
            atomic_write_text(path, body)

        return write_it

    def prune(self) -> None:
        autos = sorted(self.folder.glob(f"{AUTOSAVE_PREFIX}*.json"),
                       key=lambda p: p.stat().st_mtime, reverse=True)
        for old in autos[KEEP_AUTOSAVES:]:
            if old != self.path:
                old.unlink(missing_ok=True)


def demo_dir() -> Path:
    """A demo's own autosaves: beside the player's saves, never listed with them, so a
    demo never takes the player's Continue."""
    return saves_dir() / DEMO


def autosaver_for(config: GameConfig) -> Autosaver:
    """A new game's autosaver: the player's saves folder, or the demo's own."""
    folder = demo_dir() if config.mode == DEMO else saves_dir()
    return Autosaver(folder, scenario=config.scenario)


def manual_path(label: str, folder: Path | None = None) -> Path:
    folder = folder or saves_dir()
    return folder / f"save-{time.strftime('%Y%m%d-%H%M%S')}-{_slug(label)}.json"
