"""What the debrief needs beyond the live game: the counterfactual bands and the full history.

The counterfactual asks what the relationship was worth in *this* game. It
replays the players' own game (scenario, seed, and with shared luck the very
luck they had) hundreds of times in one batch, holding the pair's own budget
proposals, answers and event choices from the record; only the relationship
moves (talk) and the aftermath responses differ: a low-trust band of pairs who
mostly act selfishly and a high-trust band of pairs who mostly cooperate. A
single scripted game per side, as before, changed the portfolio too and was one
noisy draw; the bands show the spread (p10 to p90) and where the pair fell.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.ai.scripted import Cooperative, Scripted, Selfish
from game.engine.actions import Plan
from game.engine.constants import CMO, CTO, Phase
from game.engine.driver import VIEWS, Driver, Need, Request, begin
from game.engine.game import Game
from game.engine.observation import Observation, observe
from game.engine.record import INJECT, Entry, decode
from game.engine.results import results
from game.session import reading
from game.session.live import LiveGame
from game.session.roomwire import public_moves
from game.session.saves import to_json
from game.session.timeline import Moment

F64 = NDArray[np.float64]
BoolArr = NDArray[np.bool_]

RUNS = 200
"""Replays per band."""
LEAN = 0.8
"""A band's pairs make each relationship decision in the band's style this often, the
other style otherwise (drawn per replay, role and quarter): a selfish pair that now
and then cooperates, a cooperative pair that now and then looks after itself."""
BANDS = (("Low-trust pairs", "selfish"), ("High-trust pairs", "cooperative"))
RELATIONSHIP = frozenset({Need.TALK, Need.AFTERMATH})
_ORDER = {Need.NEWS: 0, Need.EVENT: 1, Need.TALK: 2, Need.PROPOSE: 3, Need.RESPOND: 3,
          Need.RESULTS: 4, Need.AFTERMATH: 5, Need.BOARD: 6}
Key = tuple[int, str, int | None, int]   # quarter, kind, role, n-th of these in the quarter
_KINDS = frozenset(str(k) for k in Need)


@dataclass(frozen=True)
class Band:
    """Final growth over one band's replays, and where the pair's own growth falls."""

    label: str
    style: str
    runs: int
    p10: float
    p50: float
    p90: float
    above: float   # share of the band's replays the pair's own growth beat (ties count half)
    revenue: float = 0.0   # median revenue over the game's closed quarters, $M

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Counterfactual:
    """The debrief's "same game, other pairs": the pair's growth against each band."""

    you: float
    quarters: int
    bands: tuple[Band, ...]
    held: float       # share of replayed budgets that funded exactly the pair's portfolio
    fallbacks: int    # decisions the record had no answer for (see Book.answer)
    you_revenue: float = 0.0   # the pair's revenue over the game's closed quarters, $M

    def worth(self, style: str = "selfish") -> float:
        """What the pair's relationship was worth in revenue over the game ($M) against the
        median pair of a band (the low-trust one unless `style` says otherwise), on the
        same luck, budgets and event choices."""
        band = next(b for b in self.bands if b.style == style)
        return self.you_revenue - band.revenue

    def to_dict(self) -> dict[str, Any]:
        return {"you": self.you, "quarters": self.quarters, "held": self.held,
                "fallbacks": self.fallbacks, "you_revenue": self.you_revenue,
                "worth_vs_low_trust": self.worth("selfish"),
                "worth_vs_high_trust": self.worth("cooperative"),
                "headline": headline(self), "bands": [b.to_dict() for b in self.bands]}


def _millions(x: float) -> str:
    return f"${abs(x):.1f}M"


def headline(cf: Counterfactual) -> str:
    """The debrief's first sentence: the relationship in money, against the low-trust
    replays of the pair's own game (and what the high-trust ones reached)."""
    low, high = cf.worth("selfish"), cf.worth("cooperative")
    q = f"over {cf.quarters} quarter{'s' if cf.quarters != 1 else ''}"
    first = (f"Your relationship was worth {_millions(low)} of revenue {q} against a "
             "low-trust pair on the same luck" if low >= 0 else
             f"Your relationship cost you {_millions(low)} of revenue {q} against a "
             "low-trust pair on the same luck")
    second = (f"; a high-trust pair made {_millions(high)} more." if high < 0 else
              f", and {_millions(high)} more than a high-trust pair.")
    return first + second


def _event_row(data: Any, n_events: int) -> NDArray[np.int64]:
    """A recorded event pick as a (1, E) row (old saves wrote {event: option})."""
    if isinstance(data, dict):
        row = np.zeros((1, n_events), dtype=np.int64)
        for k, v in data.items():
            row[0, int(k)] = int(v)
        return row
    return np.asarray(data, dtype=np.int64).reshape(1, n_events)


def _repeat(decision: Any, rows: int) -> Any:
    """A B = 1 decision for `rows` games."""
    if isinstance(decision, np.ndarray):
        return np.repeat(decision, rows, axis=0)
    return type(decision)(*(np.repeat(getattr(decision, f.name), rows, axis=0)
                            for f in fields(decision)))


def _mix(pick: BoolArr, a: Any, b: Any) -> Any:
    """Per game: `a`'s decision where `pick`, `b`'s elsewhere (Talk or Aftermath)."""
    out = []
    for f in fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        mask = pick.reshape((-1,) + (1,) * (x.ndim - 1))
        out.append(np.where(mask, x, y))
    return type(a)(*out)


class Book:
    """The live game's record, looked up by where a request stands in its quarter.

    Requests are keyed by (quarter, kind, role, n-th such request in the quarter),
    so a replay finds the answer the pair gave at the same point of the same quarter.
    Injections by the facilitator are placed before the entry that followed them
    (one made before the first quarter, at a briefing, before the game starts).
    """

    def __init__(self, game: Game, log: list[Entry]) -> None:
        self.game = game
        self.answers: dict[Key, Any] = {}
        self.injections: list[tuple[tuple[int, int, int], int]] = []
        self.last_plan: dict[int, Plan] = {}
        self.fallbacks = 0
        counts: dict[tuple[int, str, int | None], int] = {}
        waiting: list[int] = []
        for item in log:
            kind = str(item.get("kind"))
            if kind == INJECT:
                data = item["data"]
                k = game.event_ids.index(data) if isinstance(data, str) else int(data)
                if int(item["q"]) == 0:
                    self.injections.append(((0, 0, 0), k))
                else:
                    waiting.append(k)
                continue
            if kind not in _KINDS:
                continue  # a session's own entries (briefings)
            need, q, role = Need(kind), int(item["q"]), item.get("role")
            n = counts.get((q, kind, role), 0)
            counts[(q, kind, role)] = n + 1
            for k in waiting:
                self.injections.append(((q, _ORDER[need], n), k))
            waiting = []
            if need == Need.EVENT:
                self.answers[(q, kind, role, n)] = _event_row(item.get("data"), game.n_events)
            elif need == Need.RESPOND:
                data = item.get("data")
                self.answers[(q, kind, role, n)] = np.asarray(
                    data if isinstance(data, list) else [data], dtype=np.bool_).reshape(1)
            elif need not in VIEWS:
                self.answers[(q, kind, role, n)] = decode(need, item.get("data"))
                if need == Need.PROPOSE:
                    self.last_plan[q] = self.answers[(q, kind, role, n)]

    def answer(self, key: Key, rows: int) -> Any:
        """The pair's own decision at this point, for `rows` games.

        Where the record has none (a replay asked something the live game never
        did): an event takes its first option, a new negotiation round re-offers the
        quarter's last recorded plan (the engine's sanitize fits it to the budget) and
        the answer is yes, since the pair had agreed to it or would have had it.
        """
        found = self.answers.get(key)
        if found is not None:
            return _repeat(found, rows)
        self.fallbacks += 1
        q, kind = key[0], Need(key[1])
        if kind == Need.EVENT:
            return np.zeros((rows, self.game.n_events), dtype=np.int64)
        if kind == Need.PROPOSE:
            plan = self.last_plan.get(q)
            return _repeat(plan, rows) if plan is not None else Plan.empty(
                rows, self.game.n_projects)
        if kind == Need.RESPOND:
            return np.ones(rows, dtype=np.bool_)
        raise ValueError(f"the record has no {kind} at Q{q}")


@dataclass
class Replays:
    """A batch of replays of the live game: growth per replay and each quarter's budget."""

    growth: F64                 # (B,)
    revenue: F64                # (B,) revenue over the closed quarters, $M
    plans: list[BoolArr]        # per closed quarter, (B, P) projects funded
    campaigns: list[F64]        # per closed quarter, (B,) campaign share committed
    selfish: F64                # (B,) the chance each replay's decision is the selfish one
    control: int                # the row that replays every recorded decision
    fallbacks: int


class _Seat:
    """One role in the replays: the pair's own choices from the book, and relationship
    moves from the band's scripted styles (the control row: the record's own)."""

    def __init__(self, book: Book, styles: tuple[Scripted, Scripted], selfish: F64,
                 gen: np.random.Generator, control: int) -> None:
        self.book = book
        self.coop, self.nasty = styles
        self.selfish = selfish
        self.gen = gen
        self.control = control

    def answer(self, obs: Observation, request: Request, key: Key) -> Any:
        rows = obs.batch
        if request.kind not in RELATIONSHIP:
            return self.book.answer(key, rows)
        pick = self.gen.random(rows) < self.selfish
        out = _mix(pick, self.nasty.decide(obs, request), self.coop.decide(obs, request))
        recorded = self.book.answers.get(key)
        if recorded is not None:   # the control row: what the pair really did
            for f in fields(out):
                getattr(out, f.name)[self.control] = getattr(recorded, f.name)[0]
        return out


def replays(game: Game, log: list[Entry], seed: int, quarters: int, runs: int = RUNS,
            stream: int = 0) -> Replays:
    """`runs` replays per band of the recorded game to the end of `quarters`, all in one
    shared-luck batch (band by band, then one control row that replays the record).

    The protocol is the driver's: it asks, the seats answer, and the facilitator's
    injections fire where they did in the live game.
    """
    book = Book(game, log)
    selfish = np.concatenate([np.full(runs, LEAN if style == "selfish" else 1.0 - LEAN)
                              for _, style in BANDS] + [np.zeros(1)])
    control = len(selfish) - 1
    state = begin(game, len(selfish), seed, stream, shared_luck=True)
    driver = Driver(game, state, views=True)
    seats = {role: _Seat(book, (Cooperative(game, role, seed, stream),
                                Selfish(game, role, seed, stream)), selfish,
                         np.random.default_rng([seed & 0xFFFFFFFF, stream, role, 0xCF]),
                         control)
             for role in (CMO, CTO)}
    plans: list[BoolArr] = []
    campaigns: list[F64] = []
    asked: dict[tuple[int, str, int | None], int] = {}
    pending = sorted(book.injections, key=lambda x: x[0])  # stable: the log order
    while pending and pending[0][0][0] == 0:   # before the first quarter
        driver.inject(pending.pop(0)[1])
    while not (state.phase in (Phase.SETUP, Phase.CLOSED, Phase.END)
               and state.quarter >= quarters):
        req = driver.request()
        if req is None:
            break
        kind = str(req.kind)
        n = asked.get((req.quarter, kind, req.role), 0)
        asked[(req.quarter, kind, req.role)] = n + 1
        where = (req.quarter, _ORDER[req.kind], n)
        while pending and pending[0][0] <= where:
            driver.inject(pending.pop(0)[1])
        if req.is_view:
            driver.apply(None)
            continue
        assert req.role is not None
        obs = observe(game, state, req.role)
        driver.apply(seats[req.role].answer(obs, req, (req.quarter, kind, req.role, n)))
        if state.phase == Phase.EXECUTION:   # the budget was just committed
            plans.append(state.plan_fund.copy())
            campaigns.append(state.plan_campaign.copy())
    growth = results(game, state).growth.copy()
    revenue = state.hist_revenue[:, 1:quarters + 1].sum(axis=1)
    return Replays(growth, revenue, plans, campaigns, selfish, control, book.fallbacks)


def counterfactuals(g: LiveGame, runs: int = RUNS) -> Counterfactual | None:
    """The pair's growth against the low- and high-trust bands of replays of their own
    game; None before the board has closed a quarter."""
    quarters = max(reading.closed_quarters(g), 0)
    if quarters == 0:
        return None
    st = g.state
    you = float(st.hist_revenue[0, quarters] / st.revenue0[0] - 1.0)
    rep = replays(g.game, g.log, g.config.seed, quarters, runs, st.stream)
    bands = []
    for i, (label, style) in enumerate(BANDS):
        growth = rep.growth[i * runs:(i + 1) * runs]
        p10, p50, p90 = (float(x) for x in np.percentile(growth, [10, 50, 90]))
        above = float(((growth < you).sum() + 0.5 * (growth == you).sum()) / runs)
        revenue = float(np.median(rep.revenue[i * runs:(i + 1) * runs]))
        bands.append(Band(label, style, runs, p10, p50, p90, above, revenue))
    c = rep.control
    same = [(plan[:c] == plan[c]).all(axis=1) for plan in rep.plans]
    held = float(np.mean(same)) if same else 1.0
    you_revenue = float(st.hist_revenue[0, 1:quarters + 1].sum())
    return Counterfactual(you, quarters, tuple(bands), held, rep.fallbacks, you_revenue)


HISTORY_FORMAT = "sameteam-history"


def history(g: LiveGame, counter: Counterfactual | None = None,
            date: str = "") -> dict[str, Any]:
    """The whole game for export: the story, the charts, the scores, and the
    counterfactual bands (`counter` if the debrief has them already), with who played,
    which scenario and when (`date`, today if blank).

    The export is the pair's to take home, so it says no more than the debrief's shared
    screens: not the record of decisions (a go-around nobody found is in it; the game's
    replayable save stays in the saves folder), and go-around counts without the hidden.
    """
    res = reading.final_results(g)
    data = to_json(g, label="export")
    data["format"] = HISTORY_FORMAT
    for private in ("log", "position"):
        del data[private]
    data["moments"] = [asdict(m) for m in g.moments]
    data["key_moments"] = [asdict(m) for m in g.timeline.key_moments()]
    data["board_heard"] = [asdict(m) for m in g.moments if m.kind in ("aftermath", "deadlock")]
    data["series"] = asdict(reading.series(g))
    data["dividend"] = dict(reading.dividend_parts(g))
    # public move counts, for a room's debrief built from exports; the go-arounds known
    # are already in results (and no export names the go-around itself)
    data["moves"] = public_moves(g)
    if counter is None:
        counter = counterfactuals(g)
    data["counterfactual"] = None if counter is None else counter.to_dict()
    data["results"] = {
        "growth": float(res.growth[0]), "revenue": float(res.revenue[0]),
        "customers": float(res.customers[0]), "enterprise_value": float(res.enterprise_value[0]),
        "trust": {"cmo_to_cto": float(res.trust[0, 0]), "cto_to_cmo": float(res.trust[0, 1])},
        "ownership": float(res.ownership[0]),
        "board": {"cmo": float(res.board[0, 0]), "cto": float(res.board[0, 1])},
        "replacements": res.replacements[0].tolist(), "promises_kept": res.kept[0].tolist(),
        "promises_broken": res.broken[0].tolist(),
        "goarounds": reading.goarounds_known(g).tolist(),
        "discovered": res.discovered[0].tolist(), "outcomes": res.outcomes[0].tolist(),
        "deadlocks": int(res.deadlocks[0]), "score": float(res.score[0]),
    }
    data["questions"] = [{"objective": q.objective, "text": q.text}
                         for q in g.scenario.debrief_questions]
    data["pair_questions"] = pair_questions(g)
    data["pair"] = {"cmo": g.player_name(0), "cto": g.player_name(1),
                    "scenario": g.scenario.id, "scenario_title": g.scenario.title,
                    "date": date or time.strftime("%Y-%m-%d")}
    return data


PROMPTS: tuple[tuple[str, str, str], ...] = (
    # (moment kind, a word its text or key holds, the question's second half)
    ("aftermath", "denied", "What did it cost you both?"),
    ("goaround", "", "What did it cost you both, and what would have made it unnecessary?"),
    ("promise", "broke", "What made it hard to keep, and when did the other hear?"),
    ("deadlock", "", "What would have unlocked a deal?"),
    ("aftermath", "blamed the other side", "Was it fair, and what did it do to the next "
     "budget talk?"),
    ("choice", "", "Knowing what followed, would you both choose it again?"),
    ("project", "failed", "Who answered for it, and how did the other take it?"),
    ("aftermath", "took the credit", "How did the other hear it?"),
    ("project", "jointly) succeeded", "What made that one work, and could you have had more?"),
    ("replaced", "", "How did the next quarters feel for the one who stayed?"),
)
"""The pair's own moments a discussion question is asked about, most telling first."""


def _clause(m: Moment) -> str:
    """A moment's text as the middle of a sentence ("In Q2 the CTO denied the outage")."""
    t = m.text
    if t.startswith(("CMO ", "CTO ")):
        return "the " + t
    if t.startswith("Discovered: "):
        return "it came out that " + t.removeprefix("Discovered: ")
    if m.kind == "deadlock":
        return "you found no deal and the CEO imposed the budget"
    if m.kind == "choice":
        event, _, rest = t.partition(": ")
        return f", on '{event}', {rest}"
    first = t.split(" ", 1)[0]
    return t[:1].lower() + t[1:] if first in ("A", "An", "The", "Trust") else t


def pair_questions(g: LiveGame, limit: int = 4) -> list[str]:
    """Discussion questions about this pair's own game: one per kind of telling moment
    (a denial, a go-around found, a broken promise, a deadlock, a blame, a choice on the
    news, the big failure...), each naming its quarter, beside the scenario's own."""
    out: list[str] = []
    for kind, word, prompt in PROMPTS:
        m = next((m for m in g.moments if m.kind == kind and word in m.text), None)
        if m is None:
            continue
        clause = _clause(m)
        out.append(f"In Q{m.quarter}{'' if clause.startswith(',') else ' '}{clause}. {prompt}")
        if len(out) >= limit:
            break
    return out


def pair_line(g: LiveGame, date: str) -> str:
    """Who played, which scenario, when: on every exported page."""
    return (f"{g.player_name(0)} and {g.player_name(1)} · {g.scenario.title} · {date}")
