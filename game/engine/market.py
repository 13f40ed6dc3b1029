"""The market: Bass diffusion, marketing response and churn, with attribution.

Acquisition is the Bass baseline times a product of factors; each factor's log
is booked to a source (market, campaigns, projects, friction, go-arounds,
incidents). The log-mean (LMDI) split makes the sources add up exactly to the
change, so the trust-dividend decomposition has no unexplained remainder.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine import layout
from game.engine.constants import (
    L_CAMPAIGNS,
    L_SHADOW,
    N_VARS,
    SRC_CAMPAIGNS,
    SRC_FRICTION,
    SRC_GOAROUND,
    SRC_INCIDENTS,
    SRC_MARKET,
    V_BRAND,
    V_CHANNEL,
    V_COMPETITION,
    V_DEMAND,
    V_DIGITAL,
    V_MARKET_SIZE,
    V_PLATFORM,
    V_RELIABILITY,
)
from game.engine.game import Game
from game.engine.state import State

F64 = NDArray[np.float64]

# Sensitivity of acquisition (log) to each variable's change since the start.
_ACQ = np.zeros(N_VARS)
_ACQ[V_BRAND] = 0.8
_ACQ[V_DEMAND] = 1.0
_ACQ[V_CHANNEL] = 0.4
_ACQ[V_COMPETITION] = -0.8
_ACQ[V_RELIABILITY] = 0.3
# Sensitivity of churn (log) to each variable's change since the start.
_CHURN = np.zeros(N_VARS)
_CHURN[V_RELIABILITY] = -1.5
_CHURN[V_COMPETITION] = 0.8
_CHURN[V_PLATFORM] = -0.3

FREEZE_COST = -0.06
OUTAGE_HIT = (-0.06, 0.3)   # (acquisition, churn) log effects
BREACH_HIT = (-0.10, 0.5)


def logmean(a: F64, b: F64) -> F64:
    """The logarithmic mean, (a - b) / (ln a - ln b), equal to a when a == b."""
    a = np.maximum(a, 1e-12)
    b = np.maximum(b, 1e-12)
    diff = np.log(a) - np.log(b)
    safe = np.where(np.abs(diff) > 1e-12, diff, 1.0)
    result: F64 = np.where(np.abs(diff) > 1e-12, (a - b) / safe, a)
    return result


def campaign_factor(game: Game, campaigns: F64, grant: F64) -> F64:
    """Log-lift from campaign spend against a normal spend: elasticity x log(ratio)."""
    mk = game.scenario.market
    ref = np.maximum(mk.campaign_reference * grant, 1e-6)
    result: F64 = mk.elasticity * np.log(np.maximum(campaigns, 0.02 * ref) / ref)
    return result


def step(game: Game, state: State, coord: F64, freeze: F64, outage: F64, breach: F64,
         breach_goaround: F64 | None = None, coord_goaround: F64 | None = None,
         outage_goaround: F64 | None = None) -> None:
    """One quarter of the market: acquisitions, churn, revenue, and who earned them.

    Go-arounds are booked with their consequences, not only their gains (a sequential
    counterfactual inside the quarter): the campaign money a shadow tool took, the
    shares `breach_goaround` and `outage_goaround` (B,) of an incident's odds that
    go-arounds added, and the friction from the coordination `coord_goaround` (B,)
    that go-arounds cost.
    """
    mk = game.scenario.market
    v = state.v
    m = v[:, V_MARKET_SIZE]
    c = state.customers
    a = np.clip(c / m, 0.0, 0.999)
    base = m * (mk.bass_p + mk.bass_q * a) * (1.0 - a)

    contrib = state.contrib
    # Fixed sensitivities, term by term (layout.dot: the same at any batch size); the
    # platform matters more as buyers go digital, and a digital shift hurts a weak platform.
    acq: F64 = layout.dot(contrib, _ACQ)
    acq += v[:, V_DIGITAL][:, None] * contrib[:, :, V_PLATFORM]
    acq += (-0.6 * (0.6 - v[:, V_PLATFORM]))[:, None] * contrib[:, :, V_DIGITAL]
    acq[:, SRC_MARKET] += state.demand_next
    campaigns = state.ledger[:, L_CAMPAIGNS]
    planned = campaign_factor(game, campaigns + state.ledger[:, L_SHADOW], state.grant)
    acq[:, SRC_CAMPAIGNS] += planned
    acq[:, SRC_GOAROUND] += campaign_factor(game, campaigns, state.grant) - planned
    friction = np.log(1.0 - mk.friction * (1.0 - coord))
    if coord_goaround is not None:
        without = np.log(1.0 - mk.friction * (1.0 - np.minimum(coord + coord_goaround, 1.0)))
        acq[:, SRC_FRICTION] += without
        acq[:, SRC_GOAROUND] += friction - without
    else:
        acq[:, SRC_FRICTION] += friction
    # Shadow martech is fast: a real lift this quarter (the scenario's), costs later.
    acq[:, SRC_GOAROUND] += mk.shadow_lift * state.shadow_active + FREEZE_COST * freeze
    ga_breach = breach * (0.0 if breach_goaround is None else breach_goaround)
    ga_outage = outage * (0.0 if outage_goaround is None else outage_goaround)
    acq[:, SRC_INCIDENTS] += (OUTAGE_HIT[0] * (outage - ga_outage)
                              + BREACH_HIT[0] * (breach - ga_breach))
    acq[:, SRC_GOAROUND] += OUTAGE_HIT[0] * ga_outage + BREACH_HIT[0] * ga_breach
    new = base * np.exp(layout.rowsum(acq))
    lm = logmean(new, base)
    new_src = lm[:, None] * acq
    # The shadow tool's own lift, apart from its consequences: martech's own revenue.
    shadow_new = lm * mk.shadow_lift * state.shadow_active
    new_src[:, SRC_MARKET] += base

    churn0 = mk.churn * c
    lc: F64 = layout.dot(contrib, _CHURN)
    lc[:, SRC_INCIDENTS] += (OUTAGE_HIT[1] * (outage - ga_outage)
                             + BREACH_HIT[1] * (breach - ga_breach))
    lc[:, SRC_GOAROUND] += OUTAGE_HIT[1] * ga_outage + BREACH_HIT[1] * ga_breach
    churned = np.minimum(churn0 * np.exp(layout.rowsum(lc)), 0.5 * c)
    churn_src = logmean(churned, churn0)[:, None] * lc
    # The cap above can leave a remainder; book it to the market so the sum stays exact.
    churn_src[:, SRC_MARKET] += (churned - churn0) - layout.rowsum(churn_src)

    state.c_src = state.c_src * (1.0 - mk.churn) - churn_src + new_src
    state.c_shadow = state.c_shadow * (1.0 - mk.churn) + shadow_new
    customers = c - churned + new
    over = customers > 0.999 * m
    if over.any():
        scale = np.where(over, 0.999 * m / customers, 1.0)
        customers = customers * scale
        state.c_src = state.c_src * scale[:, None]
        state.c_shadow = state.c_shadow * scale
    state.customers = customers
    state.new_customers = new
    state.base_new = base
    state.revenue = customers * v[:, 0]
    state.rev_src_cum += state.c_src * v[:, 0][:, None]
    state.rev_shadow_cum += state.c_shadow * v[:, 0]
