"""`sameteam room import FILES... [--out DIR]`: the room's debrief without a network.

Pairs bring their games on a USB stick: the history each exported from its debrief
("sameteam-history", session/debrief.py history()) or a save ("sameteam-save"). A save is
replayed through session.saves.load, so its figures are the engine's; a history carries
no decisions and cannot be replayed, so its figures are taken as exported and the page
says so. Every file's problem is one line naming the file; the other files still import.
All files must come from one scenario (id, and hash when the file has one) and one seed:
the odd ones are named and left out.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from game.room.debrief import FROM_HISTORIES, build_report, report_csv, report_html
from game.scenario.catalog import resolve
from game.scenario.loader import load_scenario
from game.scenario.models import Scenario
from game.scenario.problems import ScenarioError
from game.session.debrief import HISTORY_FORMAT
from game.session.files import atomic_write_text
from game.session.roomwire import GO_AROUNDS_FOUND, PairView, first_problem, pair_view
from game.session.saves import FORMAT as SAVE_FORMAT
from game.session.saves import MAX_SAVE_BYTES, SaveError, load

DEFAULT_OUT = Path("room-debrief")
FROM_SAVES = "replayed from the pairs' saves"
SERIES_KEYS = ("revenue", "trust_cmo", "trust_cto", "ownership", "board_cmo", "board_cto")


class ImportProblem(Exception):
    """One file that cannot join the room's debrief; the message names the file."""


# -- what a history file must hold (checked before anything is read from it) --------------
class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Both(_Loose):
    cmo: float = Field(allow_inf_nan=False)
    cto: float = Field(allow_inf_nan=False)


class _Trust(_Loose):
    cmo_to_cto: float = Field(allow_inf_nan=False)
    cto_to_cmo: float = Field(allow_inf_nan=False)


class _Results(_Loose):
    growth: float = Field(allow_inf_nan=False)
    goarounds: list[int] = Field(default_factory=list)   # each role's, the known ones
    trust: _Trust
    ownership: float = Field(allow_inf_nan=False)
    board: _Both


class _Names(_Loose):
    cmo: str = Field(min_length=1, max_length=200)
    cto: str = Field(min_length=1, max_length=200)


class _Summary(_Loose):
    quarter: int = Field(ge=0, le=1000)
    quarters: int = Field(ge=1, le=1000)
    done: bool


class _Config(_Loose):
    scenario: str = ""
    mode: str = "workshop"


class History(_Loose):
    """The parts of an exported history the room's debrief reads."""

    format: str
    scenario_id: str = Field(min_length=1)
    scenario_hash: str = ""
    seed: int
    config: _Config = Field(default_factory=_Config)
    summary: _Summary
    pair: _Names
    results: _Results
    series: dict[str, list[float]]
    dividend: dict[str, float] = Field(default_factory=dict)
    moves: dict[str, int] = Field(default_factory=dict)   # older exports lack it


@dataclass(frozen=True)
class Imported:
    """One file's pair, and what it says it was played on."""

    path: Path
    view: PairView
    scenario_id: str
    scenario_hash: str
    seed: int
    replayed: bool
    scenario: Scenario | None = None   # a replayed save's own scenario
    scenario_ref: str = ""             # what the history's game was started with


def _read(path: Path) -> dict[str, Any]:
    """A file's JSON object, refusing what is not a regular file before opening it (a
    FIFO on the command line would block the import for ever, as saves.py says)."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            raise ImportProblem(f"{path}: not a regular file, so not a history or a save")
        if info.st_size > MAX_SAVE_BYTES:
            raise ImportProblem(f"{path}: too large to be a history or a save")
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportProblem(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportProblem(f"{path}: a folder, not a file") from None
    except OSError as e:
        raise ImportProblem(f"{path}: cannot be read ({e.strerror or e})") from None
    except UnicodeDecodeError:
        raise ImportProblem(f"{path}: not a text file") from None
    except json.JSONDecodeError as e:
        raise ImportProblem(f"{path}: not JSON (line {e.lineno}, column {e.colno}: "
                            f"{e.msg})") from None
    if not isinstance(data, dict):
        raise ImportProblem(f"{path}: not a Same Team history or save")
    return data


def _pair_id(path: Path, taken: set[str]) -> str:
    base = path.stem[:48] or "pair"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def from_history(path: Path, data: dict[str, Any], pair: str) -> Imported:
    """A pair from its exported history: the figures as exported (no replay possible)."""
    try:
        h = History.model_validate(data)
    except ValidationError as e:
        raise ImportProblem(f"{path}: the history is incomplete or damaged "
                            f"({first_problem(e)})") from None
    r, s = h.results, h.summary
    view = PairView(
        pair=pair, cmo=h.pair.cmo, cto=h.pair.cto, mode=h.config.mode, quarter=s.quarter,
        quarters=s.quarters, phase="end" if s.done else "", waiting_for="",
        trust_cmo_to_cto=r.trust.cmo_to_cto, trust_cto_to_cmo=r.trust.cto_to_cmo,
        ownership=r.ownership, growth=r.growth, board_cmo=r.board.cmo, board_cto=r.board.cto,
        done=s.done, updated=path.stat().st_mtime,
        series={k: list(h.series.get(k, [])) for k in SERIES_KEYS},
        # An export carries the go-arounds known in its results, not among its moves.
        moves={**h.moves, GO_AROUNDS_FOUND: sum(r.goarounds)} if h.moves else {},
        dividend=dict(h.dividend))
    return Imported(path, view, h.scenario_id, h.scenario_hash, h.seed, False,
                    scenario_ref=h.config.scenario)


def from_save(path: Path, pair: str) -> Imported:
    """A pair from a save: replayed, so its figures are the engine's."""
    try:
        g = load(path)
    except SaveError as e:
        raise ImportProblem(f"{path}: {str(e).removeprefix(path.name + ': ')}") from None
    view = pair_view(g, pair, len(g.log), path.stat().st_mtime)
    return Imported(path, view, g.scenario.id, g.game.hash, g.config.seed, True,
                    scenario=g.scenario)


def read_file(path: Path, pair: str) -> Imported:
    """One file as a pair of the room; ImportProblem says what is wrong with it."""
    data = _read(path)
    kind = data.get("format")
    if kind == HISTORY_FORMAT:
        return from_history(path, data, pair)
    if kind == SAVE_FORMAT:
        return from_save(path, pair)
    raise ImportProblem(f"{path}: not a Same Team history or save (format "
                        f"{str(kind)[:40]!r})")


def same_game(items: list[Imported]) -> tuple[list[Imported], list[str]]:
    """The files of the room's game (the scenario and seed most files share; a file
    without a hash matches any hash of its scenario id), and a line for each odd one."""
    def key(i: Imported) -> tuple[str, int]:
        return (i.scenario_id, i.seed)

    if not items:
        return [], []
    common = Counter(key(i) for i in items).most_common(1)[0][0]
    hashes = Counter(i.scenario_hash for i in items if key(i) == common and i.scenario_hash)
    main_hash = hashes.most_common(1)[0][0] if hashes else ""
    keep, odd = [], []
    for i in items:
        if key(i) != common:
            odd.append(f"{i.path}: played on scenario '{i.scenario_id}' seed {i.seed}, not "
                       f"'{common[0]}' seed {common[1]} like the others: left out")
        elif main_hash and i.scenario_hash and i.scenario_hash != main_hash:
            odd.append(f"{i.path}: played on a different version of '{i.scenario_id}' than "
                       "the others: left out")
        else:
            keep.append(i)
    return keep, odd


def scenario_for(items: list[Imported]) -> tuple[Scenario | None, str]:
    """The scenario the room played, for its title, questions and Monte Carlo band: a
    replayed save's own, else the installed one when it is the version played."""
    for i in items:
        if i.scenario is not None:
            return i.scenario, ""
    first = items[0]
    from game.engine.game import scenario_hash

    for ref in (first.scenario_ref, first.scenario_id):
        if not ref:
            continue
        try:
            sc = load_scenario(resolve(ref))
        except (OSError, ValueError, ScenarioError):   # not installed here, or broken
            continue
        if sc.id == first.scenario_id and (not first.scenario_hash
                                           or scenario_hash(sc) == first.scenario_hash):
            return sc, ""
    return None, (f"scenario '{first.scenario_id}' (the version played) is not installed "
                  "here: the debrief has no Monte Carlo band and no questions")


def _fallback_scenario(items: list[Imported]) -> Scenario:
    """The installed scenario of that id (a different version), else any shipped one,
    only for its title and length: the band is left out then."""
    try:
        return load_scenario(resolve(items[0].scenario_id))
    except (OSError, ValueError, ScenarioError):
        return load_scenario(resolve("first-quarter"))


def _parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="sameteam room import",
                                description="The room's debrief from exported histories "
                                            "and saves (no network needed).")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--title", default="")
    return p.parse_args(argv)


def main(args: argparse.Namespace | list[str]) -> int:
    """Import the files, write debrief.html and room.csv into --out; 0 when every file
    imported, 1 when some could not (the rest are in the debrief) or none could."""
    if isinstance(args, list):
        args = _parse(args)
    files = [Path(f) for f in args.files]
    out = Path(getattr(args, "out", None) or DEFAULT_OUT)
    problems: list[str] = []
    items: list[Imported] = []
    taken: set[str] = set()
    for path in files:
        try:
            items.append(read_file(path, _pair_id(path, taken)))
        except ImportProblem as e:
            problems.append(str(e))
    items, odd = same_game(items)
    problems += odd
    for line in problems:
        print(line)
    if not items:
        print("No pair could be imported: nothing written.")
        return 1
    scenario, why = scenario_for(items)
    if why:
        print(why)
    histories = sum(1 for i in items if not i.replayed)
    if histories == 0:
        source = FROM_SAVES
    elif histories == len(items):
        source = FROM_HISTORIES
    else:
        saved = len(items) - histories
        source = (f"from {saved} replayed save{'s' if saved != 1 else ''} and {histories} "
                  f"exported histor{'ies' if histories != 1 else 'y'} (not replayed)")
    sc = scenario if scenario is not None else _fallback_scenario(items)
    title = getattr(args, "title", "") or f"{sc.title}: the room"
    report = build_report(sc, items[0].seed, [i.view for i in items], title, "import",
                          source=source, band=scenario is not None)
    if scenario is None:   # another version's questions may not be the ones played
        report = dataclasses.replace(report, questions=[])
    try:
        atomic_write_text(out / "debrief.html", report_html(report))
        atomic_write_text(out / "room.csv", report_csv(report))
    except OSError as e:
        print(f"{out}: cannot write the debrief there ({e.strerror or e})")
        return 1
    print(f"{len(items)} pair{'s' if len(items) != 1 else ''} imported ({source}).")
    print(f"Debrief: {(out / 'debrief.html').resolve()}")
    print(f"Table:   {(out / 'room.csv').resolve()}")
    return 1 if problems else 0


__all__ = ["DEFAULT_OUT", "History", "ImportProblem", "Imported", "main", "read_file",
           "same_game", "scenario_for"]
