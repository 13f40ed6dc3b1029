"""How far each option of an event serves the one who chooses it at the other's expense.

Many events put a choice to one executive that pleases the board or the partner, not both
(install the widget quietly or ask the CTO first; blame the campaign or write the report
together). A scripted player of a style has to know which option is which, and the rule
lives here, once, read off the option's own effects: its lean is what it adds to the
chooser's board, minus what it adds to the other's board, minus what it adds to shared
ownership. An option that touches none of those leans 0, so a market choice is left to
the scenario's first option, as before.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine.constants import CMO, CTO, SRC_MARKET, V_BOARD_CMO, V_BOARD_CTO, V_OWNERSHIP
from game.engine.driver import begin
from game.engine.game import Game
from game.engine.variables import apply_effects

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

MARGIN = 1e-6
"""Leans closer than this are a tie, and a tie goes to the scenario's first option."""


def option_leans(game: Game) -> F64:
    """(E, O) each option's lean for its event's chooser, NaN past an event's last option
    and for events nobody chooses. Measured from the game's start: each option's effects
    (and its chance outcomes, by their chances) applied to a fresh copy."""
    n_opts = max((len(c) for c in game.choice_effects), default=0)
    out: F64 = np.full((game.n_events, n_opts), np.nan)
    start = begin(game, 1, 0, ledger=False)
    one = np.ones(1, dtype=np.bool_)
    for k, options in enumerate(game.choice_effects):
        role = int(game.event_chooser[k])
        if role not in (CMO, CTO):
            continue
        own, other = (V_BOARD_CMO, V_BOARD_CTO) if role == CMO else (V_BOARD_CTO, V_BOARD_CMO)
        for i, effects in enumerate(options):
            runs = [(1.0, effects)] + [(chance, eff) for chance, eff in
                                       game.choice_outcomes[k][i]]
            lean = 0.0
            for weight, effs in runs:
                s = start.copy()
                apply_effects(game, s, effs, one, [(SRC_MARKET, 1.0)])
                d = s.v[0] - start.v[0]
                lean += weight * float(d[own] - d[other] - d[V_OWNERSHIP])
            out[k, i] = lean
    return out


def styled_options(leans: F64, selfish: bool) -> I64:
    """(E,) the option a style takes at each event: the most self-serving for a selfish
    player, the most shared for a cooperative one, the first when none leans further
    than the first does."""
    if leans.shape[1] == 0:
        return np.zeros(leans.shape[0], dtype=np.int64)
    score = np.where(np.isnan(leans), -np.inf, leans if selfish else -leans)
    best = np.argmax(score, axis=1)
    further = score[np.arange(score.shape[0]), best] > score[:, 0] + MARGIN
    result: I64 = np.where(further, best, 0).astype(np.int64)
    return result


__all__ = ["option_leans", "styled_options"]
