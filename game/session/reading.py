"""What the screens show, read from the game in words and numbers, never computed anew.

Private reads go through the engine's observation for the role; public reads
take only what both executives can see. Formatting lives here (not in the UI)
so the privacy tests can compute exactly the strings a screen would draw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from game.engine import talk
from game.engine import trust as trust_model
from game.engine.actions import Plan, moves_from
from game.engine.aftermath import needs_response
from game.engine.constants import (
    CHALLENGED,
    CMO,
    CTO,
    FAILED,
    INCIDENTS,
    L_CAMPAIGNS,
    L_OPERATIONS,
    L_PROJECTS,
    L_RELATIONSHIP,
    L_SHADOW,
    MOVES,
    OWNER_JOINT,
    PROMISE_FUND,
    PROMISE_NONE,
    ROLE_TITLES,
    ROLES,
    RUNNING,
    SOURCE_TITLES,
    SRC_CAMPAIGNS,
    SRC_FRICTION,
    SRC_GOAROUND,
    SUCCESS,
    Phase,
)
from game.engine.news import outcomes_drawn
from game.engine.portfolio import (
    CAN_FUND,
    DONE,
    NO_LONGER,
    NOT_YET,
    UNDER_WAY,
    over_budget,
    plan_cost,
    plan_problems,
    plan_split,
    promisable,
    why_not_fundable,
)
from game.engine.results import Results, dividend, results
from game.engine.variables import environment
from game.session.live import LiveGame

SIGNAL_LABELS = {
    "demand_trend": "Demand next quarter", "channel": "Channel effectiveness",
    "competitor": "Competitor pressure", "debt": "Technical debt",
    "security": "Security exposure", "outage_risk": "Outage risk",
    "vendor_quality": "Vendor quality",
}

MOVE_TITLES = {
    "share_intel": "Share intel", "one_on_one": "Have a beer",
    "roadmap_review": "Joint roadmap review", "hack_week": "Hack week",
    "hire_liaison": "Hire a liaison", "promise": "Make a promise", "go_around": "Go around",
}
MOVE_HELP = {
    "share_intel": "the other sees your private signals this quarter.",
    "one_on_one": "a one-on-one: rapport both ways, more if both make time.",
    "roadmap_review": "shared ownership up, fewer coordination failures.",
    "hack_week": "once a year: platform, skills and goodwill.",
    "hire_liaison": "a salary each quarter; less friction for good.",
    "promise": "fund or deliver a project; kept builds integrity.",
    "go_around": "",
}
GO_AROUND_HELP = (
    "buy your own tools: fast, good for your numbers, risky if found out.",
    "freeze a CMO project on 'standards': risky if seen for what it is.",
)
RESPONSE_TITLES = ("Own it", "Circumstances", "Blame the other", "Deny it")
CREDIT_TITLES = ("Share the credit", "Take the credit")
INCIDENT_TITLES = {"outage": "Outage", "breach": "Security breach",
                   "go_around": "Your go-around came to light",
                   "broken_promise": "Your broken promise"}
OWNER_TITLES: tuple[str, str, str] = (*ROLE_TITLES, "Joint")
"""Who owns a project, by OWNER_CMO, OWNER_CTO, OWNER_JOINT (the owner buttons' labels)."""
DOMAIN_TITLES = {"marketing": "Marketing", "technology": "Tech", "gray": "Gray"}
"""A project's domain, short enough for the budget table's column."""
OUTCOME_TITLES = {SUCCESS: "Success", CHALLENGED: "Challenged", FAILED: "Failed"}

VAR_WORDS: dict[str, tuple[str, int]] = {
    # label, +1 if up is good for the company, -1 if down is good
    "company.arpu": ("Revenue per customer", 1), "company.brand": ("Brand", 1),
    "company.market_size": ("Market size", 1), "market.demand": ("Demand", 1),
    "market.digital_share": ("Digital buyers", 1), "market.channel": ("Channel reach", 1),
    "market.competition": ("Competition", -1), "tech.debt": ("Technical debt", -1),
    "tech.platform": ("Platform", 1), "tech.security": ("Security exposure", -1),
    "tech.reliability": ("Reliability", 1), "tech.vendor_quality": ("Vendor quality", 1),
    "relationship.ownership": ("Shared ownership", 1), "board.cmo": ("Board: CMO", 1),
    "board.cto": ("Board: CTO", 1), "budget.share": ("Budget share", 1),
}
_EFFECT = re.compile(r"^\s*([a-z_.]+)\s*([-+*]?=)\s*(.+?)\s*$")


def signal_text(name: str, value: float) -> str:
    """One private signal as the screen draws it (the privacy tests look for this)."""
    label = SIGNAL_LABELS[name]
    if not np.isfinite(value):
        return f"{label}: not shared"
    if name == "demand_trend":
        return f"{label}: {value - 1.0:+.1%}"
    if name == "channel":
        return f"{label}: {value:.2f}x normal"
    if name == "debt":
        return f"{label}: {value:.0%} of capacity"
    if name == "outage_risk":
        return f"{label}: {value:.0%} this quarter"
    return f"{label}: {value:.0%}"


def effect_text(effect: str) -> tuple[str, int]:
    """A project's or event's effect in words, and +1/-1/0 for good/bad/unclear."""
    m = _EFFECT.match(effect)
    if not m:
        return effect, 0
    target, op, rhs = m.groups()
    label, good = VAR_WORDS.get(target, (target, 0))
    try:
        amount = float(rhs)
    except ValueError:
        amount = None
    if op == "=" or amount is None:
        sign = {"+=": 1, "-=": -1}.get(op, 0)
        word = "up" if sign > 0 else "down" if sign < 0 else "changes"
        return f"{label} {word}", sign * good
    if op == "*=":
        return f"{label} x{amount:g}", (1 if amount > 1 else -1) * good
    sign = 1 if op == "+=" else -1
    return f"{label} {'+' if sign > 0 else '-'}{abs(amount):g}", sign * good


@dataclass(frozen=True)
class Signal:
    name: str
    text: str
    shared: bool        # shown because the other role shared it


def signals(g: LiveGame, role: int) -> list[Signal]:
    """`role`'s private panel: its own signals, and the other's when shared this quarter."""
    obs = g.observe(role)
    mine = getattr(g.scenario.intel, ROLES[role]).signals
    out: list[Signal] = []
    for name, arr in obs.signals.items():
        value = float(arr[0])
        if name not in mine and not np.isfinite(value):
            continue
        out.append(Signal(name, signal_text(name, value), name not in mine))
    return out


def private_notes(g: LiveGame, role: int) -> list[str]:
    """This quarter's private briefings for `role`: event notes, the role's own outcome of
    an option once it is taken, and scenario briefings."""
    out: list[str] = []
    st = g.state
    for k in np.flatnonzero(st.fired_q[0]):
        ev = g.scenario.events[int(k)]
        text = getattr(ev, ROLES[role])
        if text:
            out.append(text)
        pick = int(st.choice[0, k])
        if ev.choices and pick >= 0 and not st.pending_choice[0, k]:
            # what the option taken means for this role alone, once it is decided
            said = getattr(ev.choices[pick], ROLES[role])
            if said:
                out.append(said)
    if st.quarter >= 1:
        env = environment(g.game, st)
        for cond, text in g.game.briefings[role]:
            if bool(np.asarray(cond.evaluate(env, 1)).reshape(-1)[0]):
                out.append(text)
    return out


@dataclass(frozen=True)
class News:
    title: str
    text: str
    outcome: str = ""   # the chosen option's text once decided


def news(g: LiveGame) -> list[News]:
    st = g.state
    out: list[News] = []
    drawn = outcomes_drawn(g.game, st)[0]
    for k in np.flatnonzero(st.fired_q[0]):
        ev = g.scenario.events[int(k)]
        pick = int(st.choice[0, k])
        outcome = ""
        if ev.choices and pick >= 0 and not st.pending_choice[0, k]:
            option = ev.choices[pick]
            luck = option.outcomes[drawn[k]].text if drawn[k] >= 0 else ""
            outcome = " ".join(t for t in (f"{option.label}.", option.text, luck) if t)
        out.append(News(ev.title, ev.text, outcome))
    return out


def owner_words(owner: int) -> str:
    """An owner as a sentence names it: 'CMO', 'CTO' or 'joint'."""
    title = OWNER_TITLES[owner]
    return title.lower() if owner == OWNER_JOINT else title


@dataclass(frozen=True)
class Card:
    """A project card as the budget screen shows it."""

    index: int
    title: str
    summary: str
    domain: str
    cost: float
    duration: int
    risk: float
    effects: list[tuple[str, int]]
    fundable: bool
    why_not: str        # in the owner column when it cannot be funded
    joint_only: bool = False  # only both may own it

    @property
    def risk_word(self) -> str:
        return "low" if self.risk < 0.35 else "high" if self.risk > 0.55 else "medium"


def cards(g: LiveGame) -> list[Card]:
    st = g.state
    why = why_not_fundable(g.game, st)[0]
    out: list[Card] = []
    for j, p in enumerate(g.scenario.projects):
        words = {CAN_FUND: "", UNDER_WAY: f"under way, {owner_words(int(st.owner[0, j]))}",
                 NOT_YET: f"from Q{p.available.from_quarter}", NO_LONGER: "no longer offered",
                 DONE: "done"}.get(int(why[j]), "not yet possible")
        out.append(Card(j, p.title, p.summary, p.domain, p.cost, p.duration, p.risk,
                        [effect_text(e) for e in p.effects], bool(why[j] == CAN_FUND), words,
                        p.joint_only))
    return out


@dataclass(frozen=True)
class PlanSummary:
    """A plan's money as the budget screens show it."""

    cost: float          # its projects
    available: float     # the budget on the table
    rest: float          # what is left for campaigns and operations
    campaigns: float
    operations: float
    share: float         # of the rest, to campaigns
    over: bool           # the projects cost more than the budget
    problems: list[str]  # why it cannot stand, if it cannot


def plan_summary(g: LiveGame, plan: Plan) -> PlanSummary:
    rest, campaigns, operations = plan_split(g.game, g.state, plan)
    return PlanSummary(float(plan_cost(g.game, plan)[0]), float(g.state.available[0]),
                       float(rest[0]), float(campaigns[0]), float(operations[0]),
                       float(plan.campaign_share[0]), bool(over_budget(g.game, g.state, plan)[0]),
                       plan_problems(g.game, g.state, plan))


@dataclass(frozen=True)
class PlanChanges:
    """What a counter changed in the plan it answers: the screen highlights these."""

    added: tuple[int, ...]                  # projects funded now, not before
    dropped: tuple[int, ...]                # projects funded before, not now
    owners: dict[int, int]                  # project -> its owner before, where it changed
    share_before: float | None              # the campaign share before, if it changed

    @property
    def none(self) -> bool:
        return not (self.added or self.dropped or self.owners) and self.share_before is None

    def words(self, g: LiveGame) -> list[str]:
        """The changes in words, most visible first."""
        titles = [p.title for p in g.scenario.projects]
        out = [f"Added {titles[j]}" for j in self.added]
        out += [f"Dropped {titles[j]}" for j in self.dropped]
        out += [f"{titles[j]}: owner was {OWNER_TITLES[o]}" for j, o in self.owners.items()]
        if self.share_before is not None:
            out.append(f"Campaigns were {self.share_before:.0%}")
        return out


def plan_changes(plan: Plan, before: Plan) -> PlanChanges:
    """How `plan` differs from `before` (both B = 1)."""
    a, b = plan.fund[0], before.fund[0]
    both = a & b
    owners = {int(j): int(before.owner[0, j]) for j in np.flatnonzero(
        both & (plan.owner[0] != before.owner[0]))}
    share = float(before.campaign_share[0])
    moved = abs(float(plan.campaign_share[0]) - share) > 1e-6
    return PlanChanges(tuple(int(j) for j in np.flatnonzero(a & ~b)),
                       tuple(int(j) for j in np.flatnonzero(b & ~a)), owners,
                       share if moved else None)


@dataclass(frozen=True)
class MoveOption:
    name: str
    title: str
    help: str
    attention: int
    cost: float
    problem: str | None


def move_options(g: LiveGame, role: int) -> list[MoveOption]:
    """Every relationship move with its costs, what it does, and why it is not allowed."""
    why = talk.move_problems(g.game, g.state, role)
    out: list[MoveOption] = []
    for m, name in enumerate(MOVES):
        rule = talk.move_rule(g.game, m)
        if not rule.enabled:
            continue
        help_text = GO_AROUND_HELP[role] if name == "go_around" else MOVE_HELP[name]
        out.append(MoveOption(name, MOVE_TITLES[name], help_text, rule.attention,
                              talk.move_cost(g.game, m, role), why[name]))
    return out


def attention(g: LiveGame) -> int:
    """Each executive's attention points for moves this quarter."""
    return talk.attention_points(g.game)


def _chosen(g: LiveGame, role: int, chosen: list[str]) -> list[str]:
    """The chosen moves this scenario offers (the others have no button)."""
    offered = {o.name for o in move_options(g, role)}
    return [n for n in chosen if n in offered]


def talk_problems(g: LiveGame, role: int, chosen: list[str]) -> list[str]:
    """Why a set of moves cannot all be made: each move's own reason, then together
    the attention points and the budget."""
    opts = {o.name: o for o in move_options(g, role)}
    problems = [f"{opts[n].title}: {opts[n].problem}" for n in chosen
                if n in opts and opts[n].problem]
    moves = moves_from(_chosen(g, role, chosen))
    return problems + talk.moves_problems(g.game, g.state, role, moves)


def attention_left(g: LiveGame, role: int, chosen: list[str]) -> int:
    return int(talk.attention_left(g.game, moves_from(_chosen(g, role, chosen)))[0])


def promise_targets(g: LiveGame, role: int, kind: int) -> list[int]:
    """Projects a promise of `kind` may name: the engine's rule, so the list offers
    nothing the engine would drop."""
    return [int(j) for j in np.flatnonzero(promisable(g.game, g.state, role, kind)[0])]


def promises(g: LiveGame) -> list[str]:
    """Open promises, in words (both are public)."""
    st = g.state
    out: list[str] = []
    for role in (CMO, CTO):
        kind = int(st.promise_kind[0, role])
        if kind == PROMISE_NONE:
            continue
        j = int(st.promise_project[0, role])
        title = g.scenario.projects[j].title if 0 <= j < g.game.n_projects else "?"
        who = ROLE_TITLES[role]
        if kind == PROMISE_FUND:
            out.append(f"{who} promised to fund {title} in Q{int(st.promise_due[0, role])}")
        else:
            out.append(f"{who} promised to deliver {title} by Q{int(st.promise_due[0, role])}")
    return out


@dataclass(frozen=True)
class Kpis:
    quarter: int
    quarters: int
    revenue: float
    growth: float
    customers: float
    brand: float
    reliability: float
    trust: tuple[float, float]
    ownership: float
    board: tuple[float, float]
    threshold: float
    grant: float
    available: float
    liaison: bool


def kpis(g: LiveGame) -> Kpis:
    """The public dashboard (the same for both roles, from an observation)."""
    obs = g.observe(CMO)
    return Kpis(
        obs.quarter, obs.quarters, float(obs.revenue[0]),
        float(obs.revenue[0] / obs.revenue0[0] - 1.0), float(obs.customers[0]),
        float(obs.brand[0]), float(obs.reliability[0]),
        (float(obs.trust[0, CMO]), float(obs.trust[0, CTO])), float(obs.ownership[0]),
        (float(obs.board[0, CMO]), float(obs.board[0, CTO])), g.scenario.board.threshold,
        float(obs.grant[0]), float(obs.available[0]), bool(obs.liaison[0]))


@dataclass(frozen=True)
class Series:
    """Per-quarter history for the charts (index 0 is the start)."""

    revenue: list[float]
    trust_cmo: list[float]
    trust_cto: list[float]
    ownership: list[float]
    board_cmo: list[float]
    board_cto: list[float]
    customers: list[float]


def closed_quarters(g: LiveGame) -> int:
    """Quarters the board has closed so far (their history columns are written)."""
    st = g.state
    closed = (int(Phase.SETUP), int(getattr(Phase, "CLOSED", Phase.BOARD)), int(Phase.END))
    return st.quarter if st.phase in closed else st.quarter - 1


def series(g: LiveGame) -> Series:
    st = g.state
    n = max(closed_quarters(g), 0) + 1
    return Series(
        st.hist_revenue[0, :n].tolist(), st.hist_trust[0, :n, CMO].tolist(),
        st.hist_trust[0, :n, CTO].tolist(), st.hist_ownership[0, :n].tolist(),
        st.hist_board[0, :n, CMO].tolist(), st.hist_board[0, :n, CTO].tolist(),
        st.hist_customers[0, :n].tolist())


@dataclass(frozen=True)
class Outcome:
    title: str
    owner: str
    result: str
    effects: list[tuple[str, int]]
    why: list[str]


def _why(g: LiveGame, j: int) -> list[str]:
    """The public drivers of a project's outcome, in words."""
    st = g.state
    p = g.scenario.projects[j]
    owner = int(st.owner[0, j])
    out = [f"risk {p.risk:.0%}"]
    trust = float(st.trust[0].mean())
    out.append(f"trust between you {trust:.0%}")
    if owner == 2:
        out.append("owned jointly (helps)")
    elif p.domain == "gray":
        out.append("gray zone owned by one side (hurts when coordination is poor)")
    if bool(st.frozen[0, j]):
        out.append("held up by a standards review")
    return out


def outcomes(g: LiveGame) -> list[Outcome]:
    """Projects that finished this quarter."""
    st = g.state
    out: list[Outcome] = []
    for j in (int(x) for x in np.flatnonzero(st.outcome_q[0])):
        p = g.scenario.projects[j]
        status = int(st.status[0, j])
        scale = 1.0 if status == SUCCESS else 0.5 if status == CHALLENGED else 0.0
        effects = [effect_text(e) for e in p.effects] if scale else []
        if scale == 0.5:
            effects = [(t + " (half)", s) for t, s in effects]
        out.append(Outcome(p.title, OWNER_TITLES[int(st.owner[0, j])],
                           OUTCOME_TITLES.get(status, "?"), effects, _why(g, j)))
    return out


def incidents(g: LiveGame) -> list[str]:
    inc = g.state.incident[0]
    out: list[str] = []
    if inc[CTO, 0]:
        out.append("An outage took the platform down (the CTO answers for it)")
    if inc[CTO, 1]:
        out.append("A security breach (the CTO answers for it)")
    if inc[CMO, 1]:
        out.append("A breach through shadow marketing tools (the CMO answers for it)")
    return out


def running(g: LiveGame) -> list[tuple[str, str, float, int]]:
    """Projects under way: title, owner, progress, duration."""
    st = g.state
    out = []
    for j in np.flatnonzero(st.status[0] == RUNNING):
        p = g.scenario.projects[int(j)]
        out.append((p.title, OWNER_TITLES[int(st.owner[0, j])], float(st.progress[0, j]),
                    p.duration))
    return out


def ledger(g: LiveGame) -> list[tuple[str, float]]:
    """This quarter's spending as both players see it: a shadow tool still hidden
    is inside the campaign line, where the CMO paid for it from."""
    led = g.state.ledger[0]
    shadow = float(led[L_SHADOW])
    found = shadow > 0 and g.state.hidden_goarounds[0, CMO] == 0
    campaigns = float(led[L_CAMPAIGNS]) + (0.0 if found else shadow)
    rows = [("Projects", led[L_PROJECTS]), ("Campaigns", campaigns),
            ("Operations", led[L_OPERATIONS]), ("Relationship", led[L_RELATIONSHIP])]
    if found:
        rows.append(("Shadow tools (found out)", shadow))
    return [(n, float(v)) for n, v in rows]


def _folded(g: LiveGame, parts: np.ndarray) -> list[tuple[str, float]]:
    """Sources of growth as both players may see them.

    A go-around nobody has found yet must not show as its own line: the CMO's shadow
    tool is folded into Campaigns (where its money shows, as in the ledger) and the
    CTO's freeze into Losses to friction (what it looks like from the other chair),
    until it is found. The go-around line mixes both roles, so while either role has
    one hidden the whole line is folded; totals are unchanged.
    """
    out = [float(x) for x in parts]
    hidden = g.state.hidden_goarounds[0]
    if hidden[CMO] > 0 or hidden[CTO] > 0:
        into = SRC_CAMPAIGNS if hidden[CMO] > 0 else SRC_FRICTION
        out[into] += out[SRC_GOAROUND]
        out[SRC_GOAROUND] = 0.0
    return [(SOURCE_TITLES[i], out[i]) for i in range(len(SOURCE_TITLES))]


def quarter_change(g: LiveGame) -> float:
    """This quarter's revenue change as a fraction of last quarter's revenue: the one
    figure the results headline, its waterfall's total and the dashboard all show."""
    return g.quarter_change


def revenue_sources(g: LiveGame) -> list[tuple[str, float]]:
    """This quarter's revenue change by source, as fractions of last quarter's revenue,
    so they add up to `quarter_change` (the dividend counts in starting revenue: it is
    rescaled, never recomputed); a hidden go-around folded in, see _folded."""
    now = dividend(g.state)[0]
    base = dividend(g.quarter_start)[0]
    scale = float(g.state.revenue0[0]) / max(float(g.quarter_start.revenue[0]), 1e-9)
    return _folded(g, (now - base) * scale)


CAUSE_WORDS: dict[int, str] = {
    # {who} is the one trusted: what they did, or what happened between them
    trust_model.CAUSE_KEPT: "{who} kept a promise",
    trust_model.CAUSE_BROKEN: "{who} broke a promise",
    trust_model.CAUSE_GOAROUND: "{who}'s go-around came to light",
    trust_model.CAUSE_INTEL: "{who} shared intel",
    trust_model.CAUSE_MEETING: "A one-on-one",
    trust_model.CAUSE_ROADMAP: "A roadmap review",
    trust_model.CAUSE_HACK_WEEK: "A hack week together",
    trust_model.CAUSE_LIAISON: "{who} hired a liaison",
    trust_model.CAUSE_JOINT: "Funding joint work",
    trust_model.CAUSE_BLAME: "{who} passed the blame",
    trust_model.CAUSE_OWNED: "{who} owned a miss",
    trust_model.CAUSE_EXCUSE: "{who} pleaded circumstances",
    trust_model.CAUSE_DENIAL: "{who} denied it",
    trust_model.CAUSE_DENIAL_PROVEN: "{who}'s denial was proven false",
    trust_model.CAUSE_CREDIT_SHARED: "{who} shared the credit",
    trust_model.CAUSE_CREDIT_TAKEN: "{who} took the credit",
    trust_model.CAUSE_PROJECTS: "Project results",
    trust_model.CAUSE_INCIDENTS: "An outage or breach",
    trust_model.CAUSE_MISREAD: "A gesture read the wrong way",
    trust_model.CAUSE_FADING: "Older memories fading",
    trust_model.CAUSE_CEILING: "The ceiling a deception left",
    trust_model.CAUSE_NEWCOMER: "A newcomer starts afresh",
    trust_model.CAUSE_TIME: "Goodwill counts more",
    trust_model.CAUSE_OTHER: "Other",
}
SHOWN_CHANGE = 0.0005  # changes smaller than this round to +0.0% and are left out


@dataclass(frozen=True)
class TrustChange:
    """One direction's trust change over a quarter, with what caused it."""

    truster: int
    total: float                      # the sum of every cause, shown or not
    causes: list[tuple[str, float]]   # the visible ones, largest first, either sign


def _causes(why: np.ndarray, truster: int) -> TrustChange:
    who = ROLE_TITLES[1 - truster]
    row = why[truster]
    order = sorted(range(row.shape[0]), key=lambda c: -abs(float(row[c])))
    causes = [(CAUSE_WORDS[c].format(who=who), float(row[c])) for c in order
              if abs(float(row[c])) >= SHOWN_CHANGE]
    return TrustChange(truster, float(row.sum()), causes)


def trust_changes(g: LiveGame, quarter: int | None = None) -> list[TrustChange]:
    """Why trust moved, both directions: a closed quarter's ledger, or (None) the
    current quarter's so far."""
    st = g.state
    why = st.why[0] if quarter is None else st.hist_why[0, quarter]
    return [_causes(why, truster) for truster in (CMO, CTO)]


def last_trust_changes(g: LiveGame) -> list[TrustChange]:
    """The last closed quarter's ledger (nothing before the first quarter closes)."""
    q = closed_quarters(g)
    if q < 1:
        return [TrustChange(t, 0.0, []) for t in (CMO, CTO)]
    return trust_changes(g, q)


CAUSE_SHORT: dict[int, str] = {
    trust_model.CAUSE_KEPT: "promise kept", trust_model.CAUSE_BROKEN: "promise broken",
    trust_model.CAUSE_GOAROUND: "go-around found", trust_model.CAUSE_INTEL: "shared intel",
    trust_model.CAUSE_MEETING: "one-on-one", trust_model.CAUSE_ROADMAP: "roadmap review",
    trust_model.CAUSE_HACK_WEEK: "hack week", trust_model.CAUSE_LIAISON: "a liaison",
    trust_model.CAUSE_JOINT: "joint work", trust_model.CAUSE_BLAME: "blame",
    trust_model.CAUSE_OWNED: "owning up", trust_model.CAUSE_EXCUSE: "excuses",
    trust_model.CAUSE_DENIAL: "a denial", trust_model.CAUSE_DENIAL_PROVEN: "a lie proven",
    trust_model.CAUSE_CREDIT_SHARED: "credit shared",
    trust_model.CAUSE_CREDIT_TAKEN: "credit taken", trust_model.CAUSE_PROJECTS: "projects",
    trust_model.CAUSE_INCIDENTS: "incidents", trust_model.CAUSE_MISREAD: "a misread",
    trust_model.CAUSE_FADING: "memory fades", trust_model.CAUSE_CEILING: "the ceiling",
    trust_model.CAUSE_NEWCOMER: "a newcomer", trust_model.CAUSE_TIME: "time",
    trust_model.CAUSE_OTHER: "other",
}


def main_cause(g: LiveGame, truster: int) -> str:
    """The one cause a trust gauge names, short: the largest change of the last quarter."""
    q = closed_quarters(g)
    if q < 1:
        return "first impressions"
    row = g.state.hist_why[0, q, truster]
    c = int(np.argmax(np.abs(row)))
    if abs(float(row[c])) < SHOWN_CHANGE:
        return "steady"
    return f"{'▲' if row[c] > 0 else '▼'} {CAUSE_SHORT[c]}"


def game_trust_changes(g: LiveGame) -> list[TrustChange]:
    """The whole game's ledger so far, each cause summed over the closed quarters."""
    q = max(closed_quarters(g), 0)
    return [_causes(g.state.hist_why[0, 1: q + 1].sum(axis=0), t) for t in (CMO, CTO)]


@dataclass(frozen=True)
class AnswerItem:
    """One thing a role must respond to in the aftermath."""

    kind: str           # "project" or "incident"
    index: int
    title: str
    detail: str
    options: tuple[str, ...]
    success: bool


def answer_items(g: LiveGame, role: int) -> list[AnswerItem]:
    projects, inc = needs_response(g.game, g.state, role)
    st = g.state
    out: list[AnswerItem] = []
    for j in (int(x) for x in np.flatnonzero(projects[0])):
        status = int(st.status[0, j])
        p = g.scenario.projects[j]
        owner = OWNER_TITLES[int(st.owner[0, j])]
        if status == SUCCESS:
            out.append(AnswerItem("project", j, p.title, f"Success ({owner})", CREDIT_TITLES, True))
        else:
            out.append(AnswerItem("project", j, p.title,
                                  f"{OUTCOME_TITLES.get(status, '?')} ({owner})",
                                  RESPONSE_TITLES, False))
    for k in np.flatnonzero(inc[0]):
        name = INCIDENTS[int(k)]
        out.append(AnswerItem("incident", int(k), INCIDENT_TITLES[name], "You answer for it",
                              RESPONSE_TITLES, False))
    return out


@dataclass(frozen=True)
class BoardReport:
    review: bool
    confidence: tuple[float, float]
    change: tuple[float, float]
    replaced: tuple[bool, bool]
    threshold: float
    next_review: int


def board_report(g: LiveGame) -> BoardReport:
    st = g.state
    q = st.quarter
    every = g.scenario.board.review_every
    before = g.quarter_start.replacements[0]
    rep = (bool(st.replacements[0, CMO] > before[CMO]),
           bool(st.replacements[0, CTO] > before[CTO]))
    nxt = (q // every + 1) * every
    return BoardReport(q % every == 0, (float(st.board[0, CMO]), float(st.board[0, CTO])),
                       (float(st.board_delta[0, CMO]), float(st.board_delta[0, CTO])), rep,
                       g.scenario.board.threshold, nxt)


def final_results(g: LiveGame) -> Results:
    return results(g.game, g.state)


def goarounds_known(g: LiveGame) -> np.ndarray:
    """Each role's go-arounds as both players may know them: all but those still hidden
    (a hidden one shows only once it is found)."""
    st = g.state
    return np.asarray(st.goarounds[0] - st.hidden_goarounds[0])


def goarounds_shown(g: LiveGame) -> str:
    """The debrief's go-around count and how many were found, without the hidden ones:
    the same form either way, so neither the count nor its wording gives one away."""
    found = int(g.state.discovered[0].sum())
    return f"{int(goarounds_known(g).sum())} ({found})"


def dividend_parts(g: LiveGame) -> list[tuple[str, float]]:
    """The trust dividend: growth by source, as fractions of starting revenue (a hidden
    go-around folded in, see _folded)."""
    return _folded(g, dividend(g.state)[0])
