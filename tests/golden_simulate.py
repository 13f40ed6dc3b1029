"""The figures `simulate` prints for a fixed set of scenarios, policy pairs and seeds.

A refactor of how games are driven must not change a single game: this file
writes (`python tests/golden_simulate.py --write`) and checks the exact bytes of
every per-game column and of the JSON summary. Rewrite it only with a change
that means to change the model, and say so in the commit.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from game.report.montecarlo import run
from game.report.summary import summarize
from game.scenario.catalog import scenario_paths
from game.scenario.loader import load_scenario

GOLDEN = Path(__file__).with_name("data") / "golden_simulate.json"
PAIRS = (("cooperative", "cooperative"), ("selfish", "cooperative"), ("random", "reciprocal"),
         ("partner", "turf-warrior"), ("skeptic", "bypasser"), ("mirror", "gatekeeper"))
GAMES = 48
SEEDS = (1, 7)


def figures() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for path in scenario_paths():
        sid = path.stem
        scenario = load_scenario(path)
        for cmo, cto in PAIRS:
            for seed in SEEDS:
                data = run(scenario, cmo, cto, GAMES, seed, workers=1)
                summary = summarize(data, scenario=sid, cmo=cmo, cto=cto, seed=seed)
                out[f"{sid}/{cmo}/{cto}/{seed}"] = {
                    "columns": hashlib.sha256(data.tobytes()).hexdigest(),
                    "summary": json.dumps(summary, indent=2)}
    return out


LIVE = (("first-quarter", "partner", "turf-warrior", 1, 5),
        ("digital-shift", "skeptic", "mirror", 2, 3),
        ("gray-zones", "bypasser", "gatekeeper", 1, 11))


def _plain(item: dict[str, object], n_events: int) -> object:
    """A log entry in a form no change of record format alters: an event pick as the
    full row of options (0 where the role chose nothing), an answer as one bool."""
    kind, data = item["kind"], item["data"]
    if kind == "event":
        row = [0] * n_events
        if isinstance(data, dict):
            for k, v in data.items():
                row[int(k)] = int(v)
        else:
            assert isinstance(data, list)
            row = [int(v) for v in data[0]]
        return [kind, item["role"], row]
    if kind == "respond":
        return [kind, item["role"], bool(data[0] if isinstance(data, list) else data)]
    return [kind, item["role"], data]


def live_figures() -> dict[str, str]:
    """AI-versus-AI live games (look-ahead on): the hash of every decision and the end state."""
    from game.session.live import DEMO, GameConfig, LiveGame
    from game.session.seats import AI, Seat

    out: dict[str, str] = {}
    for sid, cmo, cto, level, seed in LIVE:
        cfg = GameConfig(sid, seed, DEMO, (Seat(AI, "a", cmo, level), Seat(AI, "b", cto, level)))
        g = LiveGame(cfg)
        said: list[list[str]] = []
        while not g.done:
            if g.step.is_view:
                g.acknowledge()
            else:
                g.advance_ai()
                said.append(list(g.said[g.log[-1]["role"]]))
        h = hashlib.sha256(json.dumps([_plain(e, g.game.n_events) for e in g.log]).encode())
        h.update(json.dumps(said).encode())
        st = g.state
        for arr in (st.v, st.trust, st.revenue, st.owner, st.status):
            h.update(arr.tobytes())
        out[f"{sid}/{cmo}/{cto}/{level}/{seed}"] = h.hexdigest()
    return out


if __name__ == "__main__":
    if "--write" in sys.argv:
        data = {"simulate": figures(), "live": live_figures()}
        GOLDEN.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
        print(f"wrote {GOLDEN}")
