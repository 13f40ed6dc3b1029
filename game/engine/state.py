"""The batched game state: every field is an array over B games.

One live game is B = 1; `simulate` runs thousands at once; the AI's look-ahead
broadcasts one state to many. Copying, slicing and saving all go field by field,
so adding a field here is all it takes to keep them right.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine import layout
from game.engine.constants import (
    ABILITY,
    BENEVOLENCE,
    CMO,
    CTO,
    INTEGRITY,
    N_ACTS,
    N_CAUSES,
    N_INCIDENTS,
    N_LEDGER,
    N_MOVES,
    N_SIGNALS,
    N_SOURCES,
    N_VARS,
    V_ARPU,
    V_BOARD_CMO,
    V_BOARD_CTO,
    V_BRAND,
    V_BUDGET_SHARE,
    V_CHANNEL,
    V_COMPETITION,
    V_DEBT,
    V_DEMAND,
    V_DIGITAL,
    V_MARKET_SIZE,
    V_OWNERSHIP,
    V_PLATFORM,
    V_RELIABILITY,
    V_SECURITY,
    V_VENDOR,
    Phase,
)
from game.engine.game import Game
from game.engine.layout import batch_last, full, zeros

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
BoolArr = NDArray[np.bool_]

# Fields that are plain Python values, the same for the whole batch.
SCALARS = ("seed", "stream", "quarter", "phase", "round")
FLAGS = ("shared_luck", "no_ledger")
NOT_ARRAYS = (*SCALARS, *FLAGS, "cache")


@dataclass
class State:
    """Everything that changes during a game, for B games in lockstep."""

    seed: int
    stream: int
    quarter: int
    phase: int
    round: int
    # Company and market.
    v: F64                 # (B, N_VARS) writable variables, see constants.VAR_COLUMNS
    v0: F64                # (B, N_VARS) their values at the start, for attribution
    contrib: F64           # (B, N_SOURCES, N_VARS) change in each variable by source
    customers: F64         # (B,)
    revenue: F64           # (B,)
    revenue0: F64          # (B,)
    revenue_prev: F64      # (B,)
    c_src: F64             # (B, N_SOURCES) customers attributed to each source
    rev_src_cum: F64       # (B, N_SOURCES) cumulative revenue attributed to each source
    c_shadow: F64          # (B,) customers a shadow tool itself brought in (martech's own)
    rev_shadow_cum: F64    # (B,) cumulative revenue of those customers
    new_customers: F64     # (B,) last quarter's acquisitions
    base_new: F64          # (B,) what the market alone would have brought
    demand_next: F64       # (B,) next quarter's demand shock (the CMO's private signal)
    # Trust.
    good: F64              # (B, 2, 3) good evidence, truster x perception
    bad: F64               # (B, 2, 3) bad evidence
    prior: F64             # (B, 2, 3) starting perceptions
    propensity: F64        # (B, 2)
    ceiling: F64           # (B, 2)
    bad_goaround: F64      # (B, 2, 3) the part of `bad` that discovered go-arounds left
    ceiling_goaround: F64  # (B, 2) how far discovered go-arounds lowered the ceiling
    trust: F64             # (B, 2) trust[:, CMO] is the CMO's trust in the CTO
    formula: F64           # (B, 2) the trust formula as of the last booking (trust.why)
    why: F64               # (B, 2, N_CAUSES) this quarter's trust change by cause
    # Projects.
    status: I64            # (B, P)
    owner: I64             # (B, P)
    progress: F64          # (B, P)
    started: I64           # (B, P) quarter started, 0 if never
    finished: I64          # (B, P) quarter finished, 0 if not
    frozen: BoolArr        # (B, P) frozen this quarter by a CTO go-around
    reviewed: BoolArr      # (B, P) has been through a 'standards review' freeze already
    # This quarter's plan and budget.
    grant: F64             # (B,)
    available: F64         # (B,) budget left after the talk phase
    ledger: F64            # (B, N_LEDGER) this quarter
    ledger_total: F64      # (B, N_LEDGER) whole game
    martech_spend: F64     # (B,) marketing and gray projects plus shadow martech, whole game
    plan_fund: BoolArr     # (B, P)
    plan_owner: I64        # (B, P)
    plan_campaign: F64     # (B,)
    deadlock: BoolArr      # (B,)
    deadlocks: I64         # (B,)
    # Talk.
    moves: BoolArr         # (B, 2, N_MOVES) moves made this quarter
    move_counts: I64       # (B, 2, N_MOVES) whole game
    liaison: BoolArr       # (B,)
    roadmap_until: I64     # (B,)
    hack_last: I64         # (B,)
    shared: BoolArr        # (B, 2) shared intel this quarter
    intel: F64             # (B, 2, N_SIGNALS) private signals read this quarter
    briefed: BoolArr       # (B, 2, NB) which of each role's scenario briefings show now
    promise_kind: I64      # (B, 2)
    promise_project: I64   # (B, 2)
    promise_due: I64       # (B, 2)
    kept: I64              # (B, 2)
    broken: I64            # (B, 2)
    shadow_active: F64     # (B,) shadow martech running this quarter
    hidden_goarounds: I64  # (B, 2)
    goarounds: I64         # (B, 2)
    discovered: I64        # (B, 2)
    # Incidents and aftermath.
    incident: BoolArr      # (B, 2, N_INCIDENTS) role responsible x incident, this quarter
    incidents_total: I64   # (B,)
    outcome_q: BoolArr     # (B, P) finished this quarter
    outcome_counts: I64    # (B, 3) projects finished over the game: success, challenged, failed
    responses: I64         # (B, 2, N_RESPONSE_COUNTS) whole game, see aftermath
    acts: BoolArr          # (B, 2, N_ACTS) what each role did this quarter
    seen: BoolArr          # (B, 2, N_ACTS) what each role saw the other do last quarter
    # Events.
    fired: BoolArr         # (B, E)
    fired_q: BoolArr       # (B, E) this quarter
    pending_choice: BoolArr  # (B, E) events waiting for their chooser
    choice: I64            # (B, E) option taken, -1 if none
    # Board.
    replacements: I64      # (B, 2)
    tenure_start: I64      # (B, 2)
    board_delta: F64       # (B, 2) change this quarter
    # History, one column per quarter end (column 0 is the start).
    hist_revenue: F64      # (B, Q + 1)
    hist_trust: F64        # (B, Q + 1, 2)
    hist_ownership: F64    # (B, Q + 1)
    hist_board: F64        # (B, Q + 1, 2)
    hist_customers: F64    # (B, Q + 1)
    hist_why: F64          # (B, Q + 1, 2, N_CAUSES) each quarter's trust change by cause
    # Every row draws the luck of the B = 1 game of this seed (see rng.Luck).
    shared_luck: bool = False
    # Monte Carlo that reads only the outcomes skips the trust ledger (why, hist_why).
    no_ledger: bool = False
    # Derived values reused within a phase; never saved, emptied on copy.
    cache: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False, compare=False)

    @property
    def batch(self) -> int:
        return int(self.v.shape[0])

    @property
    def ownership(self) -> F64:
        return self.v[:, V_OWNERSHIP]

    @property
    def board(self) -> F64:
        return self.v[:, [V_BOARD_CMO, V_BOARD_CTO]]

    @property
    def done(self) -> bool:
        return self.phase == Phase.END

    def arrays(self) -> dict[str, NDArray[Any]]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                if f.name not in NOT_ARRAYS}

    def copy(self) -> State:
        """A deep copy: rules mutate arrays in place. Keeps each array's memory layout."""
        fields: dict[str, Any] = {k: layout.copy(a) for k, a in self.arrays().items()}
        return dataclasses.replace(self, cache={}, **fields)

    def take(self, index: NDArray[np.int64] | list[int]) -> State:
        """Games `index` of this batch as a new batch (repeats allowed, for look-ahead)."""
        idx = np.asarray(index, dtype=np.int64)
        fields: dict[str, Any] = {k: batch_last(a[idx]) for k, a in self.arrays().items()}
        return dataclasses.replace(self, cache={}, **fields)

    def to_dict(self) -> dict[str, Any]:
        """Plain lists and numbers, for JSON saves."""
        out: dict[str, Any] = {k: getattr(self, k) for k in (*SCALARS, *FLAGS)}
        for k, a in self.arrays().items():
            out[k] = {"dtype": str(a.dtype), "shape": list(a.shape), "data": a.ravel().tolist()}
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> State:
        kwargs: dict[str, Any] = {k: int(data[k]) for k in SCALARS}
        kwargs.update({k: bool(data.get(k, False)) for k in FLAGS})  # older saves: off
        for f in dataclasses.fields(cls):
            if f.name in NOT_ARRAYS:
                continue
            if f.name not in data and f.name in LEDGER_FIELDS:
                continue  # a save from before the trust ledger: filled in below
            item = data[f.name]
            kwargs[f.name] = batch_last(
                np.asarray(item["data"], dtype=item["dtype"]).reshape(item["shape"]))
        if "why" not in kwargs:
            b, q1 = kwargs["hist_trust"].shape[:2]
            kwargs["formula"] = batch_last(np.array(kwargs["trust"]))
            kwargs["why"] = zeros((b, 2, N_CAUSES))
            kwargs["hist_why"] = zeros((b, q1, 2, N_CAUSES))
        return cls(**kwargs)


LEDGER_FIELDS = ("formula", "why", "hist_why")  # saves from before them load without
N_RESPONSE_COUNTS = 6  # own, circumstances, blame, deny, share credit, take credit


def new_state(game: Game, batch: int, seed: int, stream: int = 0,
              shared_luck: bool = False) -> State:
    """The state before quarter 1 for `batch` games that share one seed stream
    (and with `shared_luck`, every row the luck of the one game of that seed)."""
    sc = game.scenario
    co = sc.company
    rel = sc.relationship
    b = batch
    p = game.n_projects
    e = game.n_events
    q = sc.quarters
    v = zeros((b, N_VARS))
    v[:, V_ARPU] = co.arpu
    v[:, V_BRAND] = co.brand
    v[:, V_MARKET_SIZE] = co.market_size
    v[:, V_DEMAND] = 1.0
    v[:, V_DIGITAL] = co.digital_share
    v[:, V_CHANNEL] = 1.0
    v[:, V_COMPETITION] = co.competition
    v[:, V_DEBT] = co.tech_debt
    v[:, V_PLATFORM] = co.platform
    v[:, V_SECURITY] = co.security
    v[:, V_RELIABILITY] = co.reliability
    v[:, V_VENDOR] = co.vendor_quality
    v[:, V_OWNERSHIP] = rel.ownership
    v[:, V_BOARD_CMO] = sc.board.start
    v[:, V_BOARD_CTO] = sc.board.start
    v[:, V_BUDGET_SHARE] = sc.budget.share_of_revenue
    customers = np.full(b, min(co.customers, co.market_size * 0.95))
    revenue = customers * co.arpu
    prior = zeros((b, 2, 3))
    propensity = zeros((b, 2))
    for role, per in ((CMO, rel.cmo_to_cto), (CTO, rel.cto_to_cmo)):
        prior[:, role, ABILITY] = per.ability
        prior[:, role, BENEVOLENCE] = per.benevolence
        prior[:, role, INTEGRITY] = per.integrity
        propensity[:, role] = per.propensity
    good = prior * rel.evidence
    bad = (1.0 - prior) * rel.evidence
    c_src = zeros((b, N_SOURCES))
    c_src[:, 0] = customers
    state = State(
        seed=int(seed), stream=int(stream), quarter=0, phase=int(Phase.SETUP), round=0,
        v=v, v0=layout.copy(v), contrib=zeros((b, N_SOURCES, N_VARS)),
        customers=customers, revenue=revenue, revenue0=revenue.copy(),
        revenue_prev=revenue.copy(), c_src=c_src, rev_src_cum=zeros((b, N_SOURCES)),
        c_shadow=np.zeros(b), rev_shadow_cum=np.zeros(b),
        new_customers=np.zeros(b), base_new=np.zeros(b), demand_next=np.ones(b),
        good=good, bad=bad, prior=prior, propensity=propensity, ceiling=full((b, 2), 1.0),
        bad_goaround=zeros((b, 2, 3)), ceiling_goaround=zeros((b, 2)),
        trust=zeros((b, 2)), formula=zeros((b, 2)), why=zeros((b, 2, N_CAUSES)),
        status=zeros((b, p), dtype=np.int64), owner=zeros((b, p), dtype=np.int64),
        progress=zeros((b, p)), started=zeros((b, p), dtype=np.int64),
        finished=zeros((b, p), dtype=np.int64), frozen=zeros((b, p), dtype=np.bool_),
        reviewed=zeros((b, p), dtype=np.bool_),
        grant=np.zeros(b), available=np.zeros(b), ledger=zeros((b, N_LEDGER)),
        ledger_total=zeros((b, N_LEDGER)), martech_spend=np.zeros(b),
        plan_fund=zeros((b, p), dtype=np.bool_), plan_owner=zeros((b, p), dtype=np.int64),
        plan_campaign=np.full(b, 0.5), deadlock=np.zeros(b, dtype=np.bool_),
        deadlocks=np.zeros(b, dtype=np.int64),
        moves=zeros((b, 2, N_MOVES), dtype=np.bool_),
        move_counts=zeros((b, 2, N_MOVES), dtype=np.int64),
        liaison=np.zeros(b, dtype=np.bool_), roadmap_until=np.full(b, -1, dtype=np.int64),
        hack_last=np.full(b, -99, dtype=np.int64), shared=zeros((b, 2), dtype=np.bool_),
        intel=zeros((b, 2, N_SIGNALS)),
        briefed=zeros((b, 2, max((len(x) for x in game.briefings), default=0)),
                         dtype=np.bool_),
        promise_kind=zeros((b, 2), dtype=np.int64),
        promise_project=full((b, 2), -1, dtype=np.int64),
        promise_due=zeros((b, 2), dtype=np.int64),
        kept=zeros((b, 2), dtype=np.int64), broken=zeros((b, 2), dtype=np.int64),
        shadow_active=np.zeros(b), hidden_goarounds=zeros((b, 2), dtype=np.int64),
        goarounds=zeros((b, 2), dtype=np.int64), discovered=zeros((b, 2), dtype=np.int64),
        incident=zeros((b, 2, N_INCIDENTS), dtype=np.bool_),
        incidents_total=np.zeros(b, dtype=np.int64),
        outcome_q=zeros((b, p), dtype=np.bool_),
        outcome_counts=zeros((b, 3), dtype=np.int64),
        responses=zeros((b, 2, N_RESPONSE_COUNTS), dtype=np.int64),
        acts=zeros((b, 2, N_ACTS), dtype=np.bool_),
        seen=zeros((b, 2, N_ACTS), dtype=np.bool_),
        fired=zeros((b, e), dtype=np.bool_), fired_q=zeros((b, e), dtype=np.bool_),
        pending_choice=zeros((b, e), dtype=np.bool_),
        choice=full((b, e), -1, dtype=np.int64),
        replacements=zeros((b, 2), dtype=np.int64),
        tenure_start=full((b, 2), 1, dtype=np.int64), board_delta=zeros((b, 2)),
        hist_revenue=zeros((b, q + 1)), hist_trust=zeros((b, q + 1, 2)),
        hist_ownership=zeros((b, q + 1)), hist_board=zeros((b, q + 1, 2)),
        hist_customers=zeros((b, q + 1)), hist_why=zeros((b, q + 1, 2, N_CAUSES)),
        shared_luck=bool(shared_luck),
    )
    return state
