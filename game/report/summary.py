"""Summaries of Monte Carlo runs: the figures `sameteam simulate` prints.

From every game's columns (exact), or from a run's running totals (`Aggregate`):
the same figures, exact while the run fits one chunk (10,000 games: the same
bytes as from the columns); beyond that means, shares and counts are exact up to
float64 summation order, and each quantile is within `HIST_WIDTH` (1e-5) of the
exact one before it is rounded to 4 places.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine.constants import SOURCE_TITLES, SOURCES
from game.report.montecarlo import COLUMNS, SATURATED, Aggregate

F64 = NDArray[np.float64]


def _col(data: F64, name: str) -> F64:
    result: F64 = data[COLUMNS.index(name)]
    return result


def _r(x: float, nd: int = 4) -> float:
    """Round for output so text and JSON are stable across platforms."""
    return float(round(float(x), nd))


def _board(values: F64) -> dict[str, float]:
    """One role's final board confidence: its mean, spread and the share of games that
    end saturated, since a mean near 1 hides whether choices could still move it."""
    n = values.size
    p10, p50, p90 = np.percentile(values, [10, 50, 90]) if n else (0.0, 0.0, 0.0)
    return {"mean": _r(values.mean() if n else 0.0), "p10": _r(p10), "p50": _r(p50),
            "p90": _r(p90), "saturated": _r((values >= SATURATED).mean() if n else 0.0)}


def nonfinite(data: F64 | Aggregate) -> list[str]:
    """The per-game figures that are NaN or infinite, as 'name (n of N games, first game
    k)': the engine bounds every value, so any entry here is a bug to be named, never a
    number to print."""
    if isinstance(data, Aggregate):
        return [f"'{name}' ({count} of {data.n} games, first game {first + 1})"
                for name, (count, first) in data.nonfinite.items()]
    bad: list[str] = []
    for i, name in enumerate(COLUMNS):
        wrong = np.flatnonzero(~np.isfinite(data[i]))
        if wrong.size:
            bad.append(f"'{name}' ({wrong.size} of {data.shape[1]} games, first game "
                       f"{int(wrong[0]) + 1})")
    return bad


def summarize(data: F64 | Aggregate, *, scenario: str, cmo: str, cto: str,
              seed: int) -> dict[str, Any]:
    if isinstance(data, Aggregate):
        if data.exact is None:
            return _from_totals(data, scenario=scenario, cmo=cmo, cto=cto, seed=seed)
        data = data.exact
    n = data.shape[1]
    growth = _col(data, "growth")
    p10, p50, p90 = np.percentile(growth, [10, 50, 90]) if n else (0.0, 0.0, 0.0)
    outcomes = np.array([_col(data, k).sum() for k in ("success", "challenged", "failed")])
    mix = outcomes / max(outcomes.sum(), 1.0)
    replaced = _col(data, "replaced_cmo") + _col(data, "replaced_cto")
    kept = _col(data, "kept").sum()
    broken = _col(data, "broken").sum()
    spend = _col(data, "martech_spend").sum()
    roi = _col(data, "martech_revenue").sum() / spend if spend > 0 else 0.0
    dividend = {SOURCES[i]: _r(_col(data, f"dividend_{i}").mean() if n else 0.0)
                for i in range(len(SOURCES))}
    return {
        "scenario": scenario, "cmo": cmo, "cto": cto, "games": n, "seed": seed,
        "growth": {"mean": _r(growth.mean() if n else 0.0), "p10": _r(p10), "p50": _r(p50),
                   "p90": _r(p90)},
        "trust": {"cmo_to_cto": _r(_col(data, "trust_cmo_to_cto").mean() if n else 0.0),
                  "cto_to_cmo": _r(_col(data, "trust_cto_to_cmo").mean() if n else 0.0)},
        "shared_ownership": _r(_col(data, "ownership").mean() if n else 0.0),
        "board": {"cmo": _board(_col(data, "board_cmo")), "cto": _board(_col(data, "board_cto"))},
        "outcomes": {"success": _r(mix[0]), "challenged": _r(mix[1]), "failed": _r(mix[2])},
        "replacements": {
            "per_game": _r(replaced.mean() if n else 0.0),
            "games_with_any": _r((replaced > 0).mean() if n else 0.0),
            "cmo": _r(_col(data, "replaced_cmo").mean() if n else 0.0),
            "cto": _r(_col(data, "replaced_cto").mean() if n else 0.0)},
        "promises_kept": _r(kept / (kept + broken) if kept + broken else 1.0),
        "goarounds_per_game": _r(_col(data, "goarounds").mean() if n else 0.0),
        "deadlocks_per_game": _r(_col(data, "deadlocks").mean() if n else 0.0),
        "martech_roi": _r(roi),
        "score": _r(_col(data, "score").mean() if n else 0.0, 2),
        "trust_dividend": dividend,
    }


def _from_totals(a: Aggregate, *, scenario: str, cmo: str, cto: str,
                 seed: int) -> dict[str, Any]:
    """`summarize` from running totals: the same keys, computed the same way."""
    n = a.n

    def board(role: str) -> dict[str, float]:
        p10, p50, p90 = a.percentiles(f"board_{role}", [10, 50, 90])
        return {"mean": _r(a.mean(f"board_{role}")), "p10": _r(p10), "p50": _r(p50),
                "p90": _r(p90), "saturated": _r(a.counts[f"board_{role}_saturated"] / n)}

    p10, p50, p90 = a.percentiles("growth", [10, 50, 90])
    outcomes = np.array([a.total(k) for k in ("success", "challenged", "failed")])
    mix = outcomes / max(outcomes.sum(), 1.0)
    kept, broken = a.total("kept"), a.total("broken")
    spend = a.total("martech_spend")
    roi = a.total("martech_revenue") / spend if spend > 0 else 0.0
    return {
        "scenario": scenario, "cmo": cmo, "cto": cto, "games": n, "seed": seed,
        "growth": {"mean": _r(a.mean("growth")), "p10": _r(p10), "p50": _r(p50),
                   "p90": _r(p90)},
        "trust": {"cmo_to_cto": _r(a.mean("trust_cmo_to_cto")),
                  "cto_to_cmo": _r(a.mean("trust_cto_to_cmo"))},
        "shared_ownership": _r(a.mean("ownership")),
        "board": {"cmo": board("cmo"), "cto": board("cto")},
        "outcomes": {"success": _r(mix[0]), "challenged": _r(mix[1]), "failed": _r(mix[2])},
        "replacements": {
            "per_game": _r(a.mean("replaced_cmo") + a.mean("replaced_cto")),
            "games_with_any": _r(a.counts["any_replaced"] / n),
            "cmo": _r(a.mean("replaced_cmo")),
            "cto": _r(a.mean("replaced_cto"))},
        "promises_kept": _r(kept / (kept + broken) if kept + broken else 1.0),
        "goarounds_per_game": _r(a.mean("goarounds")),
        "deadlocks_per_game": _r(a.mean("deadlocks")),
        "martech_roi": _r(roi),
        "score": _r(a.mean("score"), 2),
        "trust_dividend": {SOURCES[i]: _r(a.mean(f"dividend_{i}")) for i in range(len(SOURCES))},
    }


def _pct(x: float) -> str:
    return f"{x * 100:+.1f}%"


def format_text(s: dict[str, Any]) -> str:
    """A readable report; only rounded figures, so the same seed prints the same bytes."""
    g = s["growth"]
    o = s["outcomes"]
    rep = s["replacements"]
    lines = [
        f"Same Team simulation: {s['scenario']}  (CMO: {s['cmo']}, CTO: {s['cto']}, "
        f"{s['games']} games, seed {s['seed']})",
        "",
        f"  Revenue growth     mean {_pct(g['mean'])}   p10 {_pct(g['p10'])}   "
        f"p50 {_pct(g['p50'])}   p90 {_pct(g['p90'])}",
        f"  Final trust        CMO->CTO {s['trust']['cmo_to_cto']:.2f}   "
        f"CTO->CMO {s['trust']['cto_to_cmo']:.2f}",
        f"  Shared ownership   {s['shared_ownership']:.2f}",
        *(f"  {'Board (' + role.upper() + ')':<19}mean {b['mean']:.2f}   p10 {b['p10']:.2f}   "
          f"p50 {b['p50']:.2f}   p90 {b['p90']:.2f}   at 0.99+ {b['saturated'] * 100:.0f}%"
          for role, b in s["board"].items()),
        f"  Project outcomes   {o['success'] * 100:.0f}% success / "
        f"{o['challenged'] * 100:.0f}% challenged / {o['failed'] * 100:.0f}% failed",
        f"  Replacements       {rep['per_game']:.2f} per game; at least one in "
        f"{rep['games_with_any'] * 100:.0f}% of games (CMO {rep['cmo']:.2f}, "
        f"CTO {rep['cto']:.2f})",
        f"  Promises kept      {s['promises_kept'] * 100:.0f}%",
        f"  Go-arounds         {s['goarounds_per_game']:.2f} per game;  deadlocks "
        f"{s['deadlocks_per_game']:.2f} per game",
        f"  Martech ROI        {s['martech_roi']:.2f} revenue per $ spent",
        f"  Final score        {s['score']:.1f} / 100",
        "",
        "  Trust dividend: where the growth came from (share of starting revenue)",
    ]
    for key, title in zip(SOURCES, SOURCE_TITLES, strict=True):
        lines.append(f"    {title:<22} {_pct(s['trust_dividend'][key])}")
    total = sum(s["trust_dividend"].values())
    lines.append(f"    {'Total':<22} {_pct(total)}")
    return "\n".join(lines) + "\n"
