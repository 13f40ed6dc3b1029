"""Saved games: JSON files of (scenario, seed, seats, action log, position).

A save holds decisions, not state: loading replays the log through the engine,
so the state is exact and a save from a changed scenario is refused rather than
silently diverging. Every write is atomic (write beside, then rename), so a
laptop that dies mid-save leaves the previous save intact. A damaged file gives
one clear message and never stops the other saves from loading.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.scenario.problems import ScenarioError
from game.session.files import atomic_write_text
from game.session.live import GameConfig, LiveGame, StepError, load_config_scenario, replay

FORMAT = "sameteam-save"
VERSION = 2
"""2: the engine's record format (event picks as rows, AI memory with each AI decision);
version 1 saves still load: their AI decisions are re-asked once to rebuild memory."""
AUTOSAVE_PREFIX = "auto-"
KEEP_AUTOSAVES = 20


def data_dir() -> Path:
    """The user's data folder for Same Team (SAMETEAM_DATA_DIR overrides it)."""
    override = os.environ.get("SAMETEAM_DATA_DIR")
    if override:
        return Path(override)
    try:
        from platformdirs import user_data_dir
    except ImportError:  # a minimal fallback that follows the XDG convention
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        return Path(base) / "sameteam"
    return Path(user_data_dir("sameteam", appauthor=False))


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


def _read_json(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as e:
        raise SaveError(f"{path.name}: cannot be read ({e.strerror or e})") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        raise SaveError(f"{path.name}: the file is damaged (not valid JSON) and cannot be "
                        "loaded; your other saves are not affected") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SaveError(f"{path.name}: not a Same Team saved game")
    if int(data.get("version", 0)) > VERSION:
        raise SaveError(f"{path.name}: saved by a newer version of Same Team")
    return data


def load(path: Path, on_step: Callable[[LiveGame], None] | None = None) -> LiveGame:
    """Rebuild the saved game; SaveError explains what is wrong with a bad file."""
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
    from game.engine.game import scenario_hash

    if scenario_hash(scenario) != data.get("scenario_hash"):
        raise SaveError(f"{path.name}: scenario '{config.scenario}' has changed since this "
                        "game was saved, so it cannot be replayed exactly")
    try:
        game = replay(config, log, scenario, on_step)
    except (StepError, KeyError, TypeError, ValueError, IndexError) as e:
        raise SaveError(f"{path.name}: the file is damaged and cannot be replayed ({e})") from None
    pos = data.get("position")
    if isinstance(pos, dict) and pos != game.step.to_dict():
        raise SaveError(f"{path.name}: the file is damaged (it ends at a different step than "
                        "it says)")
    return game


@dataclass(frozen=True)
class SaveInfo:
    """One row of the load screen: a loadable save, or a damaged one with its message."""

    path: Path
    title: str
    detail: str
    modified: float
    error: str = ""
    autosave: bool = False

    @property
    def ok(self) -> bool:
        return not self.error


def list_saves(folder: Path | None = None) -> list[SaveInfo]:
    """Every save in the folder, newest first; damaged files are listed with their error."""
    folder = folder or saves_dir()
    out: list[SaveInfo] = []
    if not folder.is_dir():
        return out
    for path in folder.glob("*.json"):
        try:
            mtime = path.stat().st_mtime
        except OSError:
            continue
        auto = path.name.startswith(AUTOSAVE_PREFIX)
        try:
            data = _read_json(path)
            summ = data.get("summary", {})
            cfg = data.get("config", {})
            mode = cfg.get("mode", "?")
            names = " & ".join(s.get("name", "") or "AI" for s in cfg.get("seats", []))
            title = str(data.get("label") or data.get("scenario_title") or path.stem)
            q = summ.get("quarter", 0)
            where = "finished" if summ.get("done") else f"Q{q} of {summ.get('quarters', '?')}"
            detail = f"{data.get('scenario_title', '?')} · {mode} · {names} · {where}"
            out.append(SaveInfo(path, title, detail, mtime, autosave=auto))
        except SaveError as e:
            out.append(SaveInfo(path, path.stem, "", mtime, error=str(e), autosave=auto))
    out.sort(key=lambda s: -s.modified)
    return out


def latest(folder: Path | None = None) -> SaveInfo | None:
    """The most recent loadable save, for Continue."""
    for info in list_saves(folder):
        if info.ok:
            return info
    return None


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


def manual_path(label: str, folder: Path | None = None) -> Path:
    folder = folder or saves_dir()
    return folder / f"save-{time.strftime('%Y%m%d-%H%M%S')}-{_slug(label)}.json"
