"""What the debrief needs beyond the live game: counterfactual pairs and the full history.

The counterfactual replays the same scenario and seed with a low-trust and a
high-trust scripted pair through the engine's runner: the same luck, different
relationships, so the difference is what the relationship was worth.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from game.ai.registry import make_policy
from game.engine.driver import play
from game.engine.results import results
from game.session import reading
from game.session.live import LiveGame
from game.session.saves import to_json

PAIRS = {"low-trust pair": "selfish", "high-trust pair": "cooperative"}


def counterfactuals(g: LiveGame) -> dict[str, float]:
    """Revenue growth of the same game (scenario, seed) played by scripted pairs."""
    out: dict[str, float] = {}
    for label, name in PAIRS.items():
        pols = (make_policy(name, g.game, 0, g.config.seed),
                make_policy(name, g.game, 1, g.config.seed))
        state = play(g.game, pols, 1, g.config.seed)
        out[label] = float(results(g.game, state).growth[0])
    return out


def history(g: LiveGame) -> dict[str, Any]:
    """The whole game for export: the save (replayable), the story, the charts, the scores."""
    res = reading.final_results(g)
    data = to_json(g, label="export")
    data["moments"] = [asdict(m) for m in g.moments]
    data["key_moments"] = [asdict(m) for m in g.timeline.key_moments()]
    data["series"] = asdict(reading.series(g))
    data["dividend"] = dict(reading.dividend_parts(g))
    data["results"] = {
        "growth": float(res.growth[0]), "revenue": float(res.revenue[0]),
        "customers": float(res.customers[0]), "enterprise_value": float(res.enterprise_value[0]),
        "trust": {"cmo_to_cto": float(res.trust[0, 0]), "cto_to_cmo": float(res.trust[0, 1])},
        "ownership": float(res.ownership[0]),
        "board": {"cmo": float(res.board[0, 0]), "cto": float(res.board[0, 1])},
        "replacements": res.replacements[0].tolist(), "promises_kept": res.kept[0].tolist(),
        "promises_broken": res.broken[0].tolist(), "goarounds": res.goarounds[0].tolist(),
        "discovered": res.discovered[0].tolist(), "outcomes": res.outcomes[0].tolist(),
        "deadlocks": int(res.deadlocks[0]), "score": float(res.score[0]),
    }
    data["questions"] = [{"objective": q.objective, "text": q.text}
                         for q in g.scenario.debrief_questions]
    return data
