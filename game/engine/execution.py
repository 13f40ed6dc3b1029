"""Phase 4, execution: projects progress and finish, the market moves, incidents strike."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from game.engine import market, trust
from game.engine import rng as rngs
from game.engine.common import (
    COORD_OWNERSHIP,
    COORD_TRUST,
    coordination,
    effect_shares,
    roadmap_active,
    rowsum,
)
from game.engine.constants import (
    ABILITY,
    BENEVOLENCE,
    BREACH,
    CHALLENGED,
    CMO,
    CTO,
    FAILED,
    GRAY,
    L_OPERATIONS,
    OUTAGE,
    OWNER_CMO,
    OWNER_CTO,
    OWNER_JOINT,
    PROMISE_DELIVER,
    RUNNING,
    SRC_GOAROUND,
    SRC_INCIDENTS,
    SRC_JOINT,
    SRC_MARKET,
    SRC_TECHNOLOGY,
    SUCCESS,
    TECHNOLOGY,
    V_DEBT,
    V_DIGITAL,
    V_OWNERSHIP,
    V_PLATFORM,
    V_RELIABILITY,
    V_SECURITY,
    V_VENDOR,
    Phase,
)
from game.engine.game import Game
from game.engine.news import outage_chance
from game.engine.promises import settle
from game.engine.state import State
from game.engine.talk import reveal_goaround
from game.engine.variables import apply_effects, nudge, rebook

F64 = NDArray[np.float64]
BoolArr = NDArray[np.bool_]

# Thresholds on a standard normal so that a neutral project lands at 29 / 52 / 19
# (Standish CHAOS 2015): P(z > 0.5534) = 0.29, P(z < -0.8779) = 0.19.
NORMAL_DEBT = 0.23  # card durations are quarters of work at this (research-default) debt
K_TRUST = 0.7
K_ABILITY = 0.3
K_JOINT = 0.05
FREEZE_SPEED = 0.5  # a 'standards review' halves a frozen project's progress
SUCCESS_Z = 0.5534
FAILURE_Z = -0.8779
DEBT_MU = 1.5  # outcome shift per unit of technical debt above normal


def project_mu(game: Game, state: State, rows: NDArray[np.int64], cols: NDArray[np.int64],
               owner: NDArray[np.int64], coord: F64) -> F64:
    """Shift of the outcome of project `cols[k]` in game `rows[k]`, owned by `owner[k]`:
    zero at neutral trust, debt and risk.

    Ability counts directly (Colquitt et al.) as well as through trust; debt,
    vendors and risk count against; joint ownership and a liaison help. Works on
    the list of projects that finish, not the whole (B, P) board.
    """
    v = state.v
    perc = trust.perceptions(state)
    # The other side's view of the owner's ability is the owner's track record.
    ability_cmo = perc[rows, CTO, ABILITY]
    ability_cto = perc[rows, CMO, ABILITY]
    ability = np.where(owner == OWNER_CMO, ability_cmo,
                       np.where(owner == OWNER_CTO, ability_cto,
                                0.5 * (ability_cmo + ability_cto)))
    joint = owner == OWNER_JOINT
    domain = game.domain[cols]
    gray = domain == GRAY
    tech = domain != 0
    # Per-game terms first, then picked out for each finishing project.
    per_game = (K_TRUST * (state.trust.mean(axis=1) - 0.5)
                - DEBT_MU * (v[:, V_DEBT] - 0.23)
                + 0.8 * (v[:, V_VENDOR] - 0.5)
                + 0.1 * state.shared[:, CTO]
                + 0.1 * roadmap_active(state))
    mu: F64 = (per_game[rows]
               + K_ABILITY * (ability - 0.5)
               + 0.6 * tech * (v[rows, V_PLATFORM] - 0.5)
               - 1.2 * (game.risk[cols] - 0.5)
               + joint * (K_JOINT + 0.3 * (v[rows, V_OWNERSHIP] - 0.15))
               - 0.35 * (gray & ~joint) * (1.0 - coord[rows])
               + 0.2 * gray * state.liaison[rows])
    return mu


def normal_cdf(x: F64) -> F64:
    """The standard normal distribution function, vectorised (Abramowitz & Stegun
    7.1.26, error below 2e-7: ample for booking, never used to draw an outcome)."""
    z = np.abs(x) / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741
                                                      + t * (-1.453152027 + t * 1.061405429))))
    erf = 1.0 - poly * np.exp(-z * z)
    result: F64 = 0.5 * (1.0 + np.sign(x) * erf)
    return result


def expected_delivery(mu: F64) -> F64:
    """The expected share of a project's effects delivered at outcome shift `mu`:
    1 for a success, a half for a challenged project, nothing for a failure."""
    success = 1.0 - normal_cdf(SUCCESS_Z - mu)
    failed = normal_cdf(FAILURE_Z - mu)
    result: F64 = success + 0.5 * (1.0 - success - failed)
    return result


def draw_outcomes(mu: F64, z: F64) -> NDArray[np.int64]:
    """Success, challenged or failed from a standard normal draw shifted by `mu`."""
    score = z + mu
    out: NDArray[np.int64] = np.where(score > SUCCESS_Z, SUCCESS,
                                      np.where(score < FAILURE_Z, FAILED, CHALLENGED))
    return out


def execute(game: Game, state: State) -> None:
    """Run the quarter: delivery, outcomes, market, incidents, drift, discovery."""
    assert state.phase == Phase.EXECUTION, f"not the execution phase: {state.phase}"
    b = state.batch
    q = state.quarter
    p = game.n_projects
    sc = game.scenario
    mk = sc.market
    gen = rngs.luck(state, q, rngs.PHASE_EXECUTION)
    z = gen.standard_normal((b, max(p, 1)))[:, :p]
    u_inc = gen.random((b, 4))
    u_found = gen.random((b, 2))
    u_seen = gen.random((b, 2, max(p, 1)))[:, :, :p]
    v = state.v
    coord = coordination(state)
    deficit = trust.goaround_deficit(state).mean(axis=1)

    # Delivery: technical debt eats capacity; frozen projects stand still.
    speed = (1.0 - v[:, V_DEBT]) / (1.0 - NORMAL_DEBT) * (1.0 + 0.1 * roadmap_active(state))
    running = state.status == RUNNING
    state.progress = state.progress + np.where(running, speed[:, None], 0.0) * np.where(
        state.frozen, FREEZE_SPEED, 1.0)
    finishing = running & (state.progress >= game.duration[None, :] - 1e-9)
    owner = state.owner
    fr, fj = np.nonzero(finishing)
    if fr.size:
        mu = project_mu(game, state, fr, fj, owner[fr, fj], coord)
        outcome = draw_outcomes(mu, z[fr, fj])
        # What go-arounds took off each project's odds (the debt they left, the trust
        # they cost when found out), in expected delivery.
        lost = np.zeros((b, p))
        shift = DEBT_MU * state.contrib[fr, SRC_GOAROUND, V_DEBT] + K_TRUST * deficit[fr]
        hit = shift != 0.0
        if hit.any():
            m = mu[hit]
            lost[fr[hit], fj[hit]] = expected_delivery(m + shift[hit]) - expected_delivery(m)
        state.status[fr, fj] = outcome
        state.finished[fr, fj] = q
        state.outcome_q = finishing
        state.outcome_counts += np.bincount(
            fr * 3 + (outcome - SUCCESS), minlength=3 * b).reshape(b, 3)
        for j in np.unique(fj):
            fin = finishing[:, j]
            st = state.status[:, j]
            scale = np.where(st == SUCCESS, 1.0, np.where(st == CHALLENGED, 0.5, 0.0))
            shares = effect_shares(game, int(j), owner[:, j], scale, coord)
            apply_effects(game, state, game.project_effects[j], fin & (scale > 0), shares)
            rebook(game, state, game.project_effects[j], np.where(fin, lost[:, j], 0.0),
                   effect_shares(game, int(j), owner[:, j], np.ones(b), coord), SRC_GOAROUND)
            # The scenario's own cost of a failure, booked like the card's effects.
            apply_effects(game, state, game.project_failure_effects[j], fin & (st == FAILED),
                          effect_shares(game, int(j), owner[:, j], np.ones(b), coord))
        failed = finishing & (state.status == FAILED)
        nudge(game, state, V_DEBT, 0.02 * rowsum(failed), SRC_TECHNOLOGY, failed.any(axis=1))
        _judge_projects(game, state, fr, fj, state.status, owner, u_seen)

    # Incidents: outages from debt and neglect, breaches from exposure.
    ops_ratio = state.ledger[:, L_OPERATIONS] / np.maximum(
        mk.operations_reference * state.grant, 1e-6)
    r = np.minimum(ops_ratio, 2.5)
    p_out = np.clip(outage_chance(game, state) * np.exp(-0.5 * (r - 1.0)), 0.0, 0.7)
    p_breach = np.clip(mk.breach_rate * np.exp(4.0 * (v[:, V_SECURITY] - 0.3))
                       * (1.0 + 0.5 * np.minimum(state.hidden_goarounds[:, CMO], 3)), 0.0, 0.6)
    outage = u_inc[:, 0] < p_out
    breach = u_inc[:, 1] < p_breach
    # What go-arounds added to the breach odds (exposure they opened, hidden shadow
    # tools): a breach comes through that exposure with that share of the odds, and
    # then it is the CMO's shadow tools that answer for it, not the CTO.
    exposure = state.contrib[:, SRC_GOAROUND, V_SECURITY]
    p_clean = np.clip(mk.breach_rate * np.exp(4.0 * (v[:, V_SECURITY] - exposure - 0.3)),
                      0.0, 0.6)
    ga_share = np.clip(1.0 - p_clean / np.maximum(p_breach, 1e-12), 0.0, 1.0)
    shadow_breach = breach & (u_inc[:, 2] < ga_share)
    state.incident[:, CTO, OUTAGE] = outage
    state.incident[:, CTO, BREACH] = breach & ~shadow_breach
    state.incident[:, CMO, BREACH] = shadow_breach
    state.incidents_total += outage.astype(np.int64) + breach
    # The part of an outage's odds that go-arounds added (the debt a shadow tool left,
    # the reliability a freeze bought) is booked to them, in the market as here.
    ga_debt = state.contrib[:, SRC_GOAROUND, V_DEBT]
    ga_reliability = state.contrib[:, SRC_GOAROUND, V_RELIABILITY]
    outage_share = np.clip(1.0 - np.exp(-3.0 * ga_debt + 3.0 * ga_reliability), 0.0, 1.0)
    nudge(game, state, V_RELIABILITY, -0.03 * (1.0 - outage_share), SRC_INCIDENTS, outage)
    nudge(game, state, V_RELIABILITY, -0.03 * outage_share, SRC_GOAROUND,
          outage & (outage_share > 0.0))
    state.board_delta[:, CTO] -= 0.05 * outage + 0.08 * (breach & ~shadow_breach)
    state.board_delta[:, CMO] -= 0.08 * shadow_breach
    trust.evidence(game, state, CMO, ABILITY, -0.5, outage | (breach & ~shadow_breach),
                   cause=trust.CAUSE_INCIDENTS)

    # The market answers.
    # A 'standards review' slows campaigns only when it actually froze something.
    freeze: F64 = np.asarray(state.frozen.any(axis=1), dtype=np.float64)
    ga_coord = (np.maximum(-COORD_OWNERSHIP * state.contrib[:, SRC_GOAROUND, V_OWNERSHIP], 0.0)
                + COORD_TRUST * deficit)
    market.step(game, state, coord, freeze, outage.astype(np.float64), breach.astype(np.float64),
                ga_share, ga_coord, outage_share)

    # Drift: operations pay debt down and keep the lights on; digital keeps growing.
    nudge(game, state, V_DEBT, 0.012 * (1.0 - r) + 0.004 * finishing.sum(axis=1),
          SRC_TECHNOLOGY)
    nudge(game, state, V_RELIABILITY, 0.015 * (r - 1.0) - 0.05 * (v[:, V_DEBT] - 0.23),
          SRC_TECHNOLOGY)
    nudge(game, state, V_SECURITY, 0.008 * (1.0 - r), SRC_TECHNOLOGY)
    nudge(game, state, V_DIGITAL, mk.digital_drift, SRC_MARKET)
    nudge(game, state, V_OWNERSHIP, -0.03 * (v[:, V_OWNERSHIP] - 0.1), SRC_MARKET)

    # Hidden go-arounds come to light, sooner with a liaison or a breach.
    for role in (CMO, CTO):
        hidden = state.hidden_goarounds[:, role] > 0
        p_found = 0.2 + 0.15 * state.liaison + 0.1 * state.shared[:, 1 - role]
        found = hidden & ((u_found[:, role] < p_found) | (shadow_breach & (role == CMO)))
        state.hidden_goarounds[:, role] = np.where(found, 0, state.hidden_goarounds[:, role])
        reveal_goaround(game, state, role, found)

    # Promises to deliver: kept when the project lands in time, broken when the date passes.
    for role in (CMO, CTO):
        deliver = state.promise_kind[:, role] == PROMISE_DELIVER
        if not deliver.any():
            continue
        target = np.clip(state.promise_project[:, role], 0, max(p - 1, 0))
        rows = np.arange(b)
        st = state.status[rows, target]
        mine = (state.owner[rows, target] == role) | (state.owner[rows, target] == OWNER_JOINT)
        landed = deliver & state.outcome_q[rows, target] & ((st == SUCCESS) | (st == CHALLENGED))
        landed &= mine
        late = deliver & ~landed & (state.promise_due[:, role] <= q)
        settle(game, state, role, landed, late)

    trust.refresh(state)
    state.phase = int(Phase.AFTERMATH)


def _judge_projects(game: Game, state: State, fr: NDArray[np.int64], fj: NDArray[np.int64],
                    st_all: NDArray[np.int64], owner_all: NDArray[np.int64], u_all: F64) -> None:
    """Each side updates its view of the owner's ability; joint results bind them.

    Works on the flat list of projects that finished (games `fr`, projects `fj`),
    summed per game.
    """
    b = state.batch
    rel = game.scenario.relationship
    st = st_all[fr, fj]
    owner = owner_all[fr, fj]

    def per_game(values: F64 | BoolArr) -> F64:
        out: F64 = np.bincount(fr, weights=np.asarray(values, dtype=np.float64),
                               minlength=b).astype(np.float64, copy=False)
        return out

    amount = np.where(st == SUCCESS, 1.0, np.where(st == CHALLENGED, 0.2, -0.6))
    joint = owner == OWNER_JOINT
    wins = per_game(joint & (st == SUCCESS))
    board_solo = np.where(st == SUCCESS, 0.04, np.where(st == FAILED, -0.05, 0.0))
    board_joint = np.where(st == SUCCESS, 0.03, np.where(st == FAILED, -0.025, 0.0))
    for role in (CMO, CTO):
        other = 1 - role
        # `other` judges `role` on the projects `role` owns alone, through the noise.
        mine = owner == role
        seen = np.where(u_all[fr, other, fj] < rel.misread, -0.5, 1.0) * amount
        signed = np.where(mine, seen, 0.0) + np.where(joint, 0.6 * amount, 0.0)
        pos = per_game(np.maximum(signed, 0.0))
        trust.evidence_parts(game, state, other, ABILITY, pos, pos - per_game(signed),
                             cause=trust.CAUSE_PROJECTS)
        trust.evidence(game, state, other, BENEVOLENCE, 0.4 * wins, cause=trust.CAUSE_PROJECTS)
        state.board_delta[:, role] += per_game(np.where(mine, board_solo, 0.0)
                                               + np.where(joint, board_joint, 0.0))
    # Delivering technology counts for the CTO with the board.
    tech = game.domain[fj] == TECHNOLOGY
    state.board_delta[:, CTO] += 0.01 * per_game(tech & (owner != OWNER_CMO) & (st == SUCCESS))
    nudge(game, state, V_OWNERSHIP, 0.04 * wins, SRC_JOINT, wins > 0)
