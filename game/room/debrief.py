"""The room's debrief: every pair of the room side by side, on the projector and as a file.

Every pair played the same scenario on the same luck, so the room's spread in growth is
the relationship alone. The page shows it against what scripted pairs reach on that very
luck: a Monte Carlo cloud of cooperative, reciprocal, selfish and random pairs (every
pairing of them, both roles) played with the room's seed and shared luck, drawn as the
growth its middle 80% reach at each level of trust. Figures are the pairs' public ones
(roomwire.PairView, from the room's replay or from exported histories); charts are
matplotlib's (Agg, through Figure objects, so a server thread never touches pyplot's
global state), embedded as PNG so the page is one self-contained file.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import io
import itertools
import json
import time
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
import matplotlib

matplotlib.use("Agg")
import numpy as np
from matplotlib.figure import Figure

from game.ai.registry import make_policy
from game.engine.constants import CMO, CTO
from game.engine.driver import play
from game.engine.game import compile_game, scenario_hash
from game.engine.results import results
from game.room.pages import TEMPLATES_DIR
from game.scenario.models import Scenario
from game.session.files import atomic_write_text
from game.session.reading import MOVE_TITLES
from game.session.roomwire import GO_AROUNDS_FOUND, PairView, rooms_dir

BAND_POLICIES = ("cooperative", "reciprocal", "selfish", "random")
"""The scripted pairs behind the scatter: every pairing of these, CMO and CTO."""
BAND_GAMES = 40
"""Games per pairing (16 pairings: 640 games, well under a second for a 12-quarter
scenario; the deterministic pairings repeat one game on shared luck, random ones spread)."""
BAND_BINS = 10
BAND_MIN = 5
"""A trust bin shows the band only with at least this many games in it."""
BAND_VERSION = 1
"""Bumped when the band's recipe changes, so an old cached band is not reused."""

CMO_COLOUR = "#c0392b"
CTO_COLOUR = "#2471a3"
SOURCE_COLOURS = ("#7f8c8d", "#e67e22", "#c0392b", "#2471a3", "#239b56", "#8e44ad",
                  "#34495e", "#d4ac0d")
"""One colour per source of growth, in reading.SOURCE_TITLES' order."""

MOVE_NAMES: dict[str, str] = {**MOVE_TITLES, GO_AROUNDS_FOUND: "Go around (found out)"}

CSV_FIELDS = ("pair", "cmo", "cto", "mode", "quarter", "revenue", "growth",
              "trust_cmo_to_cto", "trust_cto_to_cmo", "ownership", "board_cmo", "board_cto",
              "done")
REPLAYED = "replayed by the room"
FROM_HISTORIES = "from exported histories, not replayed"


@dataclass(frozen=True)
class MonteCarloBand:
    """Scripted pairs on the room's luck: the cloud, and growth p10-p90 per trust bin."""

    games: int
    trust: list[float]          # every game's final trust, mean of both ways
    growth: list[float]         # and its growth
    centres: list[float]        # trust bins with enough games
    p10: list[float]
    p50: list[float]
    p90: list[float]
    policies: tuple[str, ...] = BAND_POLICIES


@dataclass(frozen=True)
class RoomReport:
    """Everything the room's debrief shows, apart from how it is drawn."""

    title: str
    code: str
    scenario_id: str
    scenario_title: str
    seed: int
    quarters: int
    pairs: list[PairView]
    band: MonteCarloBand | None
    questions: list[tuple[str, str]]          # (objective, question)
    source: str = REPLAYED
    made: str = field(default_factory=lambda: time.strftime("%Y-%m-%d %H:%M"))


# -- figures ------------------------------------------------------------------------------
def trust(p: PairView) -> float:
    """A pair's trust as one number: the mean of both ways."""
    return (p.trust_cmo_to_cto + p.trust_cto_to_cmo) / 2.0


def status(p: PairView) -> str:
    """'done', or how far a pair got ('Q5 of 12')."""
    return "done" if p.done else f"Q{p.quarter} of {p.quarters}"


def label(p: PairView) -> str:
    return f"{p.cmo} & {p.cto}"


def ranking(pairs: list[PairView], key: str) -> list[PairView]:
    """Pairs best first by one public figure ('growth', 'board_cmo', 'board_cto'); ties
    by names, so the order is stable."""
    return sorted(pairs, key=lambda p: (-float(getattr(p, key)), label(p), p.pair))


def room_moves(pairs: list[PairView]) -> list[tuple[str, int]]:
    """The room's public moves summed over every pair, most used first."""
    total: dict[str, int] = {}
    for p in pairs:
        for name, n in p.moves.items():
            total[name] = total.get(name, 0) + int(n)
    rows = [(MOVE_NAMES.get(k, k.replace("_", " ")), n) for k, n in total.items()]
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def dividend_lines(pairs: list[PairView]) -> list[str]:
    """The sources of growth any pair has, in the order the pairs carry them."""
    out: list[str] = []
    for p in pairs:
        out += [k for k in p.dividend if k not in out]
    return out


# -- the Monte Carlo band -----------------------------------------------------------------
def _band_of(trust_v: np.ndarray, growth: np.ndarray) -> MonteCarloBand:
    lo, hi = float(trust_v.min()), float(trust_v.max())
    edges = np.linspace(lo, hi + 1e-9, BAND_BINS + 1)
    centres: list[float] = []
    p10: list[float] = []
    p50: list[float] = []
    p90: list[float] = []
    for a, b in itertools.pairwise(edges):
        inside = growth[(trust_v >= a) & (trust_v < b)]
        if inside.size < BAND_MIN:
            continue
        q = np.percentile(inside, [10, 50, 90])
        centres.append(float((a + b) / 2))
        p10.append(float(q[0]))
        p50.append(float(q[1]))
        p90.append(float(q[2]))
    return MonteCarloBand(int(trust_v.size), [round(float(x), 5) for x in trust_v],
                          [round(float(x), 5) for x in growth], centres, p10, p50, p90)


def _cache_path(key: str, seed: int) -> Path:
    return rooms_dir() / "bands" / f"{key}-{seed}-v{BAND_VERSION}.json"


def _read_cached(path: Path) -> MonteCarloBand | None:
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
        d["policies"] = tuple(d["policies"])
        return MonteCarloBand(**d)
    except (OSError, ValueError, TypeError, KeyError):
        return None   # missing or damaged: computed again


@lru_cache(maxsize=8)
def _band(key: str, seed: int, scenario_json: str) -> MonteCarloBand:
    path = _cache_path(key, seed)
    cached = _read_cached(path)
    if cached is not None:
        return cached
    scenario = Scenario.model_validate_json(scenario_json)
    game = compile_game(scenario)
    trusts, growths = [], []
    for cmo in BAND_POLICIES:
        for cto in BAND_POLICIES:
            # the room's games are B = 1 games of `seed` on stream 0: shared luck is theirs
            policies = (make_policy(cmo, game, CMO, seed, 0), make_policy(cto, game, CTO, seed, 0))
            state = play(game, policies, BAND_GAMES, seed, 0, shared_luck=True, ledger=False)
            r = results(game, state)
            trusts.append(r.trust.mean(axis=1))
            growths.append(np.asarray(r.growth, dtype=np.float64))
    band = _band_of(np.concatenate(trusts), np.concatenate(growths))
    with contextlib.suppress(OSError):   # a read-only data folder: computed again next time
        atomic_write_text(path, json.dumps(asdict(band)))
    return band


def monte_carlo_band(scenario: Scenario, seed: int) -> MonteCarloBand:
    """The band behind the scatter, cached per (scenario hash, seed) in memory and in the
    data folder (the projector's debrief asks for it more than once)."""
    return _band(scenario_hash(scenario), seed, scenario.model_dump_json())


def build_report(scenario: Scenario, seed: int, pairs: list[PairView], title: str, code: str,
                 *, source: str = REPLAYED, band: bool = True) -> RoomReport:
    """The room's debrief from its pairs' public figures (`source` says where they came
    from; `band` False leaves the Monte Carlo band out)."""
    return RoomReport(
        title=title, code=code, scenario_id=scenario.id, scenario_title=scenario.title,
        seed=seed, quarters=scenario.quarters, pairs=list(pairs),
        band=monte_carlo_band(scenario, seed) if band else None,
        questions=[(q.objective, q.text) for q in scenario.debrief_questions], source=source)


# -- charts -------------------------------------------------------------------------------
def _png(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=120, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _style(ax: object) -> None:
    from matplotlib.axes import Axes

    assert isinstance(ax, Axes)
    ax.grid(alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=14)


def scatter_chart(report: RoomReport) -> str:
    """Trust against growth, one point per pair numbered by its place in the ranking by
    growth (names would pile up with thirty pairs), the scripted pairs' cloud and band
    behind."""
    fig = Figure(figsize=(8.5, 5.6))
    ax = fig.subplots()
    band = report.band
    if band is not None and band.games:
        ax.scatter(band.trust, [100 * g for g in band.growth], s=10, color="#b0b7bf",
                   alpha=0.35, lw=0, label=f"scripted pairs on the same luck ({band.games})")
        if band.centres:
            ax.fill_between(band.centres, [100 * g for g in band.p10],
                            [100 * g for g in band.p90], color="#85929e", alpha=0.28,
                            label="their middle 80% by trust")
            ax.plot(band.centres, [100 * g for g in band.p50], color="#5d6d7e", lw=1.5,
                    ls="--", label="their median")
    ranked = ranking(report.pairs, "growth")
    for i, p in enumerate(ranked, start=1):
        x, y = trust(p), 100 * p.growth
        ax.scatter([x], [y], s=170, color="#1f3a93" if p.done else "white",
                   edgecolor="#1f3a93", lw=2.2, zorder=3)
        ax.annotate(str(i), (x, y), xytext=(8, 6), textcoords="offset points", fontsize=15,
                    weight="bold", color="#1f3a93", zorder=4)
    if any(not p.done for p in ranked):
        ax.scatter([], [], s=170, color="white", edgecolor="#1f3a93", lw=2.2,
                   label="pair not done yet (figures so far)")
    ax.scatter([], [], s=170, color="#1f3a93", label="a pair of the room (its place by growth)")
    ax.set_xlabel("trust at the end (mean of both ways)", fontsize=14)
    ax.set_ylabel("growth (%)", fontsize=14)
    ax.xaxis.set_major_formatter(lambda v, _: f"{100 * v:.0f}%")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2, fontsize=12,
              frameon=False)
    _style(ax)
    return _png(fig)


def dividend_chart(report: RoomReport) -> str:
    """Each pair's growth by source side by side (its trust dividend), a stacked bar per
    pair in the order of the ranking by growth."""
    ranked = ranking(report.pairs, "growth")
    lines = dividend_lines(ranked)
    fig = Figure(figsize=(10, 0.42 * len(ranked) + 1.8))
    ax = fig.subplots()
    names = [f"{i}. {label(p)}" for i, p in enumerate(ranked, start=1)][::-1]
    ys = np.arange(len(names))
    pos = np.zeros(len(names))
    neg = np.zeros(len(names))
    for k, line in enumerate(lines):
        vals = np.array([100 * p.dividend.get(line, 0.0) for p in ranked][::-1])
        left = np.where(vals >= 0, pos, neg)
        ax.barh(ys, vals, left=left, color=SOURCE_COLOURS[k % len(SOURCE_COLOURS)],
                label=line, height=0.7)
        pos += np.where(vals >= 0, vals, 0)
        neg += np.where(vals < 0, vals, 0)
    ax.axvline(0, color="#333", lw=1)
    ax.set_yticks(ys, names)
    ax.set_xlabel("growth by source (% of starting revenue)", fontsize=14)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.5 / max(len(names), 1) - 0.12),
              ncol=4, fontsize=12, frameon=False)
    _style(ax)
    return _png(fig)


def moves_chart(rows: list[tuple[str, int]]) -> str:
    """The room's moves (`room_moves`), most used on top."""
    fig = Figure(figsize=(7, 0.42 * max(len(rows), 1) + 1.2))
    ax = fig.subplots()
    ax.barh([r[0] for r in rows][::-1], [r[1] for r in rows][::-1], color="#5d6d7e")
    ax.set_xlabel("times made, all pairs together", fontsize=14)
    _style(ax)
    return _png(fig)


# -- the page and the table ---------------------------------------------------------------
_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True,
                          keep_trailing_newline=True)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _signed(x: float) -> str:
    return f"{'+' if x >= 0 else '−'}{100 * abs(x):.1f}%"


def report_html(report: RoomReport) -> str:
    """The debrief as one self-contained page (for the projector and to keep)."""
    charts = {"scatter": scatter_chart(report)}
    if report.pairs:
        charts["dividend"] = dividend_chart(report)
    moves = room_moves(report.pairs)
    if moves:
        charts["moves"] = moves_chart(moves)
    by_growth = ranking(report.pairs, "growth")
    place = {p.pair: i for i, p in enumerate(by_growth, start=1)}
    page: str = _ENV.get_template("debrief.html").render(
        r=report, charts=charts, by_growth=by_growth, place=place,
        by_cmo=ranking(report.pairs, "board_cmo"), by_cto=ranking(report.pairs, "board_cto"),
        moves=moves, lines=dividend_lines(by_growth), trust=trust,
        status=status, label=label, pct=_pct, signed=_signed,
        not_done=sum(1 for p in report.pairs if not p.done))
    return page


def csv_rows(report: RoomReport) -> list[dict[str, object]]:
    """Every pair's figures at the start (quarter 0) and after each closed quarter."""
    rows: list[dict[str, object]] = []
    for p in report.pairs:
        s = p.series
        revenue = s.get("revenue", [])
        start = revenue[0] if revenue else 0.0
        cols = {name: s.get(key, []) for name, key in (
            ("trust_cmo_to_cto", "trust_cmo"), ("trust_cto_to_cmo", "trust_cto"),
            ("ownership", "ownership"), ("board_cmo", "board_cmo"),
            ("board_cto", "board_cto"))}
        for q, rev in enumerate(revenue):
            row: dict[str, object] = {
                "pair": p.pair, "cmo": p.cmo, "cto": p.cto, "mode": p.mode, "quarter": q,
                "revenue": round(float(rev), 6),
                "growth": round(float(rev) / start - 1.0, 6) if start else 0.0}
            for name, v in cols.items():
                row[name] = round(float(v[q]), 6) if q < len(v) else ""
            row["done"] = int(p.done)
            rows.append(row)
    return rows


def report_csv(report: RoomReport) -> str:
    """The per-quarter table of every pair, for a spreadsheet."""
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    w.writeheader()
    w.writerows(csv_rows(report))
    return out.getvalue()


__all__ = ["BAND_POLICIES", "FROM_HISTORIES", "REPLAYED", "MonteCarloBand", "RoomReport",
           "build_report", "csv_rows", "monte_carlo_band", "ranking", "report_csv",
           "report_html", "room_moves", "status", "trust"]
