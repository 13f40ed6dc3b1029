"""Indices and names shared by every engine module.

The engine keeps its state as arrays over a batch of games; these constants name
the axes so that rules read as `trust[:, CMO]` rather than as bare numbers.
"""

from __future__ import annotations

from enum import IntEnum

CMO = 0
CTO = 1
ROLES: tuple[str, str] = ("cmo", "cto")
ROLE_TITLES: tuple[str, str] = ("CMO", "CTO")

# Who owns a project.
OWNER_CMO = 0
OWNER_CTO = 1
OWNER_JOINT = 2

# Project status.
IDLE = 0
RUNNING = 1
SUCCESS = 2
CHALLENGED = 3
FAILED = 4
OUTCOMES: tuple[str, str, str] = ("success", "challenged", "failed")

# Project domains.
DOMAINS: tuple[str, str, str] = ("marketing", "technology", "gray")
MARKETING = 0
TECHNOLOGY = 1
GRAY = 2


class Phase(IntEnum):
    """The steps of one quarter, in order (DESIGN.md section 2)."""

    SETUP = 0
    NEWS = 1
    TALK = 2
    BUDGET = 3
    EXECUTION = 4
    AFTERMATH = 5
    BOARD = 6
    END = 7
    CLOSED = 8  # a quarter is over and the next has not begun


# Relationship moves (the talk phase).
MOVES: tuple[str, ...] = (
    "share_intel", "one_on_one", "roadmap_review", "hack_week", "hire_liaison", "promise",
    "go_around",
)
SHARE_INTEL, ONE_ON_ONE, ROADMAP_REVIEW, HACK_WEEK, HIRE_LIAISON, PROMISE, GO_AROUND = range(7)
N_MOVES = len(MOVES)

# Promise kinds.
PROMISE_NONE = 0
PROMISE_FUND = 1
PROMISE_DELIVER = 2

# Aftermath responses to a failure, incident or violation.
RESPONSES: tuple[str, ...] = ("own", "circumstances", "blame", "deny")
OWN, CIRCUMSTANCES, BLAME, DENY = range(4)
# Responses to a success.
CREDITS: tuple[str, str] = ("share", "take")
SHARE_CREDIT, TAKE_CREDIT = 0, 1

# Incidents and violations that call for a response, beside project outcomes.
INCIDENTS: tuple[str, ...] = ("outage", "breach", "go_around", "broken_promise")
OUTAGE, BREACH, GOAROUND_FOUND, BROKEN_PROMISE = range(4)
N_INCIDENTS = len(INCIDENTS)

# Perceptions in the Mayer, Davis & Schoorman model.
PERCEPTIONS: tuple[str, str, str] = ("ability", "benevolence", "integrity")
ABILITY, BENEVOLENCE, INTEGRITY = range(3)

# What one executive saw the other do last quarter (memory for reciprocity).
ACTS: tuple[str, ...] = (
    "shared_intel", "met", "went_around", "blamed", "took_credit", "shared_credit", "owned_up",
    "kept_promise", "broke_promise", "proposed_joint",
)
(ACT_SHARED, ACT_MET, ACT_WENT_AROUND, ACT_BLAMED, ACT_TOOK_CREDIT, ACT_SHARED_CREDIT,
 ACT_OWNED, ACT_KEPT, ACT_BROKE, ACT_JOINT) = range(10)
N_ACTS = len(ACTS)

# Sources of growth in the trust-dividend decomposition.
SOURCES: tuple[str, ...] = (
    "market", "campaigns", "marketing", "technology", "joint", "friction", "go_around",
    "incidents",
)
SOURCE_TITLES: tuple[str, ...] = (
    "Market", "Campaigns", "Marketing projects", "Technology projects", "Joint-project bonus",
    "Losses to friction", "Go-arounds", "Incidents",
)
(SRC_MARKET, SRC_CAMPAIGNS, SRC_MARKETING, SRC_TECHNOLOGY, SRC_JOINT, SRC_FRICTION,
 SRC_GOAROUND, SRC_INCIDENTS) = range(8)
N_SOURCES = len(SOURCES)

# Budget ledger lines; every quarter they add up to the grant.
LEDGER: tuple[str, ...] = ("relationship", "shadow", "projects", "campaigns", "operations")
L_RELATIONSHIP, L_SHADOW, L_PROJECTS, L_CAMPAIGNS, L_OPERATIONS = range(5)
N_LEDGER = len(LEDGER)

# Private signals, in the order they are stored.
SIGNALS: tuple[str, ...] = (
    "demand_trend", "channel", "competitor", "debt", "security", "outage_risk", "vendor_quality",
)
N_SIGNALS = len(SIGNALS)

# Writable state variables kept in the state's `v` matrix, in column order.
VAR_COLUMNS: tuple[str, ...] = (
    "company.arpu", "company.brand", "company.market_size", "market.demand",
    "market.digital_share", "market.channel", "market.competition", "tech.debt",
    "tech.platform", "tech.security", "tech.reliability", "tech.vendor_quality",
    "relationship.ownership", "board.cmo", "board.cto", "budget.share",
)
VAR_INDEX: dict[str, int] = {name: i for i, name in enumerate(VAR_COLUMNS)}
(V_ARPU, V_BRAND, V_MARKET_SIZE, V_DEMAND, V_DIGITAL, V_CHANNEL, V_COMPETITION, V_DEBT,
 V_PLATFORM, V_SECURITY, V_RELIABILITY, V_VENDOR, V_OWNERSHIP, V_BOARD_CMO, V_BOARD_CTO,
 V_BUDGET_SHARE) = range(16)
N_VARS = len(VAR_COLUMNS)
BOARD_COLUMNS: tuple[int, int] = (V_BOARD_CMO, V_BOARD_CTO)

# Causes of a trust change booked by `trust` (CAUSE_* there): the size of State.why's last axis.
N_CAUSES = 24
