"""Does the game teach the right lesson? The model's figures behind issue 9, per scenario.

Plays every pair of scripted policies (cooperative, selfish, reciprocal, random) on the
same seeds (common random numbers), and prints:

- choices over luck: the share of the variance of final growth the policy pair explains;
- own fate: for each role, the range of its final board across its own policies against
  the range across its partner's;
- saturation: in cooperative play, the share of games ending with a board at 0.99 or more;
- martech ROI of a cooperative pair over a selfish pair;
- the go-around line of the trust dividend for a selfish CMO against a cooperative CTO,
  beside what that pair's growth lost against a cooperative pair;
- with --tournament, how often each personality is the best reply (100 games a pair).

Usage: python benchmarks/lesson.py [--games N] [--scenario ID ...] [--tournament]
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np

from game.engine.constants import SOURCES
from game.report.montecarlo import COLUMNS, run
from game.scenario.catalog import resolve, scenario_paths
from game.scenario.loader import load_scenario

POLICIES = ("cooperative", "selfish", "reciprocal", "random")


def col(data: np.ndarray, name: str) -> np.ndarray:
    return data[COLUMNS.index(name)]


def measure(sid: str, games: int, seed: int) -> dict[str, float]:
    sc = load_scenario(resolve(sid))
    runs = {(a, b): run(sc, a, b, games, seed, workers=1)
            for a, b in itertools.product(POLICIES, POLICIES)}
    growth = np.stack([col(d, "growth") for d in runs.values()])
    total = growth.var()
    explained = growth.mean(axis=1).var() / total if total > 0 else 0.0
    out: dict[str, float] = {"explained": float(explained)}
    for role, key in ((0, "board_cmo"), (1, "board_cto")):
        m = np.array([[col(runs[(own, other) if role == 0 else (other, own)], key).mean()
                       for other in POLICIES] for own in POLICIES])
        out[f"own_range_{role}"] = float(np.ptp(m, axis=0).mean())
        out[f"partner_range_{role}"] = float(np.ptp(m, axis=1).mean())
    coop = runs[("cooperative", "cooperative")]
    selfish = runs[("selfish", "selfish")]
    out["saturated_cmo"] = float((col(coop, "board_cmo") >= 0.99).mean())
    out["saturated_cto"] = float((col(coop, "board_cto") >= 0.99).mean())

    def roi(d: np.ndarray) -> float:
        return float(col(d, "martech_revenue").sum() / max(col(d, "martech_spend").sum(), 1e-9))

    out["martech_roi_gain"] = roi(coop) / roi(selfish) - 1.0 if roi(selfish) > 0 else np.nan
    mixed = runs[("selfish", "cooperative")]
    out["goaround_line"] = float(col(mixed, f"dividend_{SOURCES.index('go_around')}").mean())
    out["goaround_growth_cost"] = float(col(mixed, "growth").mean() - col(coop, "growth").mean())
    return out


def best_replies(sid: str, games: int, seed: int) -> dict[str, int]:
    from game.report.tournament import ranking
    from game.report.tournament import run as tournament

    t = tournament(load_scenario(resolve(sid)), games, seed, workers=1)
    rank = ranking(t["table"]) if "table" in t else t["ranking"]
    return {row["name"]: int(row["best_replies"]) for row in rank["rows"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--games", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scenario", action="append")
    ap.add_argument("--tournament", action="store_true")
    args = ap.parse_args()
    ids = args.scenario or [p.stem for p in scenario_paths()]
    head = (f"{'scenario':<22}{'explained':>10}{'CMO own/partner':>17}{'CTO own/partner':>17}"
            f"{'sat CMO/CTO':>13}{'ROI gain':>9}{'GA line':>9}{'GA cost':>9}")
    print(head)
    for sid in ids:
        start = time.perf_counter()
        m = measure(sid, args.games, args.seed)
        print(f"{sid:<22}{m['explained']:>10.2f}"
              f"{m['own_range_0']:>9.3f}/{m['partner_range_0']:<7.3f}"
              f"{m['own_range_1']:>9.3f}/{m['partner_range_1']:<7.3f}"
              f"{m['saturated_cmo']:>7.2f}/{m['saturated_cto']:<5.2f}"
              f"{m['martech_roi_gain']:>+9.2f}{m['goaround_line']:>+9.3f}"
              f"{m['goaround_growth_cost']:>+9.3f}  ({time.perf_counter() - start:.1f} s)")
    if args.tournament:
        for sid in ids:
            print(sid, "best replies:", best_replies(sid, 100, args.seed))


if __name__ == "__main__":
    main()
