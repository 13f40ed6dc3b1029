"""The AI counterpart: a personality that negotiates, reciprocates and explains itself.

`Counterpart` is a Policy for B games. Its character comes from a `Personality`
(data); what it remembers of the other executive from `Memory` (public facts
only); its choices from the character's heuristics, vectorised over the batch so
`simulate` and `tournament` run thousands of games at once. In a live game
(B = 1, with the game's state bound through `bind`) it also looks ahead: it
draws a few in-character alternatives, plays each forward with the engine on its
belief state (`belief.build`: the other's private information replaced by
samples, the luck by its own), scores the futures with its personality's
utility and picks by a softmax whose temperature the level sets. Every decision
in a live game leaves its line of dialogue in `said` and a private note in
`reasons`.

Everything it remembers is one `Mind` (data: copied, taken by rows for the
look-ahead, saved and restored as a whole); the rest of the counterpart is its
character and the game's rules, fixed for the game.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.ai import belief, dialogue
from game.ai.dialogue import Lines, Said, Speaker
from game.ai.intel import outage_tilt
from game.ai.memory import AROUND, BLAMED, BROKEN, DEFECTS, KEPT, SHARED, TOOK, Memory, Mind
from game.ai.memory import seeded as seeded_memory
from game.ai.personalities import (
    BUILTIN_NAMES,
    DEFAULT_LEVEL,
    get,
    preferences,
    stake,
    utility,
    voice,
)
from game.ai.personalities import level as level_of
from game.engine.actions import Aftermath, Plan, Talk
from game.engine.constants import (
    ACT_BLAMED,
    ACT_BROKE,
    ACT_KEPT,
    ACT_MET,
    ACT_OWNED,
    ACT_SHARED,
    ACT_SHARED_CREDIT,
    ACT_TOOK_CREDIT,
    BLAME,
    BROKEN_PROMISE,
    CHALLENGED,
    CIRCUMSTANCES,
    CMO,
    DENY,
    FAILED,
    GO_AROUND,
    GOAROUND_FOUND,
    GRAY,
    HACK_WEEK,
    HIRE_LIAISON,
    MARKETING,
    MOVES,
    N_INCIDENTS,
    N_MOVES,
    ONE_ON_ONE,
    OWN,
    OWNER_CMO,
    OWNER_CTO,
    OWNER_JOINT,
    PROMISE,
    PROMISE_DELIVER,
    PROMISE_FUND,
    PROMISE_NONE,
    ROADMAP_REVIEW,
    RUNNING,
    SHARE_CREDIT,
    SHARE_INTEL,
    SUCCESS,
    TAKE_CREDIT,
    TECHNOLOGY,
    V_DEBT,
    V_RELIABILITY,
    V_SECURITY,
)
from game.engine.driver import ByKind, Progress, Request
from game.engine.game import Game
from game.engine.observation import Observation
from game.engine.state import State
from game.scenario.models import Personality

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
BoolArr = NDArray[np.bool_]

MASK = 0xFFFFFFFFFFFF
TAGS = {"events": 1, "talk": 2, "propose": 3, "respond": 4, "aftermath": 5, "look": 6,
        "react": 7}
MIN_VALUE = 0.02        # value per $M below which a project is not worth proposing
DEADLOCK_COST = 0.15    # what no deal is worth to it, in plan-value units (board penalty)
SPEED = 0.75            # delivery speed it plans promises with (debt eats the rest)
DETERRENCE = 0.15       # share of its go-arounds a character keeps against one who hits back
SLOWED_TRUST = 0.4      # trust below which a character feels slowed down by the other
UNHINDERED = 0.04       # go-around drive, per unit of bypass, when nothing slows it down
#                         (low: the Bypasser goes around when slowed, as its card says)
PROBATION = 4.0         # quarters an opportunist watches before it exploits
OPPORTUNISM = 2.0       # extra chance of taking credit per unit of dishonesty, when unpunished


@dataclass
class Choice:
    """A candidate decision and what the AI needs to explain it."""

    action: Any
    intent: BoolArr | None = None        # talk: whether it means to keep a promise made
    info: dict[str, Any] = dataclasses.field(default_factory=dict)


def _key(action: Any) -> bytes:
    if isinstance(action, np.ndarray):
        return action.tobytes()
    return b"|".join(np.asarray(getattr(action, f.name)).tobytes()
                     for f in dataclasses.fields(action))


def _repeat(action: Any, k: int) -> Any:
    """Each game's decision repeated k times, game by game, for the look-ahead batch."""
    if isinstance(action, np.ndarray):
        return np.repeat(action, k, axis=0)
    return type(action)(*(np.repeat(getattr(action, f.name), k, axis=0)
                          for f in dataclasses.fields(action)))


def _stack(cands: list[Any], k: int) -> Any:
    """Candidates side by side, each repeated k times: rows c*k .. (c+1)*k - 1 are c."""
    first = cands[0]
    if isinstance(first, np.ndarray):
        return np.concatenate([_repeat(c, k) for c in cands])
    return type(first)(*(np.concatenate([_repeat(getattr(c, f.name), k) for c in cands])
                         for f in dataclasses.fields(first)))


def _unsort(order: NDArray[np.intp], values: BoolArr) -> BoolArr:
    """Scatter per-row values given in `order` back to their columns (fast flat indexing)."""
    b, n = values.shape
    out = np.zeros(b * n, dtype=np.bool_)
    out[(order + np.arange(0, b * n, n)[:, None]).ravel()] = values.ravel()
    result: BoolArr = out.reshape(b, n)
    return result


class Counterpart(ByKind):
    """An AI executive with a personality, for any batch size."""

    def __init__(self, game: Game, role: int, seed: int, stream: int = 0, *,
                 name: str = "mirror", personality: Personality | None = None,
                 level: int = DEFAULT_LEVEL, lookahead: bool = True) -> None:
        self.game = game
        self.role = role
        self.other = 1 - role
        self.name = name
        self.personality = personality if personality is not None else get(name, game.scenario)
        self.level = level_of(level)
        self.lookahead = lookahead
        self.seed = int(seed) & MASK
        self.stream = int(stream)
        self.prefs = preferences(game, role, self.personality)
        self._speaker: Speaker | None = None
        self.said: list[str] = []
        self.reasons: list[str] = []
        self.unlock = ""            # its last rejection: what would have made it a yes
        self.state: State | None = None
        self.mind = Mind.new(Memory.empty(0, self.other), self.personality, game.n_projects)
        self._decision = (0, 0)
        self._attention_cost = np.array([getattr(game.scenario.moves, m).attention
                                         for m in MOVES], dtype=np.int64)
        self._attention = game.scenario.moves.attention
        mine = MARKETING if role == CMO else TECHNOLOGY
        self.my_domain: BoolArr = (game.domain == mine) | (game.domain == GRAY)
        self._default_owner: I64 = np.where(
            game.domain == MARKETING, OWNER_CMO,
            np.where(game.domain == TECHNOLOGY, OWNER_CTO, role)).astype(np.int64)
        self._request: Request | None = None

    # -- wiring ---------------------------------------------------------------------
    def bind(self, state: State | None) -> None:
        """Let the AI build its belief from the live game's state (B = 1) to look ahead.

        The state is read only through `belief.build`, which replaces everything
        private to the other role; without it the AI plays by its heuristics alone.
        """
        self.state = state

    @property
    def speaker(self) -> Speaker:
        """Who speaks, for dialogue (built on first use: batches never speak)."""
        if self._speaker is None:
            g = self.game
            self._speaker = Speaker(
                self.role, g, self.personality, Lines(voice(self.name, self.personality),
                                                      g.scenario),
                tuple(p.title for p in g.scenario.projects), self.my_domain, self.my_share())
        return self._speaker

    @property
    def trust(self) -> F64:
        """(B,) its trust in the other executive, 0 to 1: the engine's meter, as shown."""
        return self.mind.tau

    # -- saves -------------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """Everything it remembers, as plain data, so a saved game resumes exactly."""
        return self.mind.to_dict()

    def restore(self, data: dict[str, Any]) -> None:
        """Take back what `snapshot` gave (a fresh counterpart, same name, role and seed)."""
        self.mind = Mind.from_dict(data)

    def _ensure(self, obs: Observation) -> None:
        """A fresh mind when a batch of another size begins."""
        if self.mind.memory.batch != obs.batch:
            self.mind = Mind.new(Memory.empty(obs.batch, self.other), self.personality,
                                 self.game.n_projects)

    def _speak(self, said: Said) -> None:
        """Keep what it said and why, and what its memory keeps of the saying."""
        m = self.mind
        self.said = said.lines
        self.reasons += said.reasons
        m.recent = said.recent
        self.unlock = said.unlock
        if said.answered:
            m.heard = []
        if said.told_news:
            m.news = []
        if said.announced:
            m.announced = True

    # -- speaking outside its decisions ---------------------------------------------------
    def hear(self, moves: list[tuple[str, int]]) -> None:
        """The other's public talk moves this quarter (move name, project or -1), to
        answer at its next word (live games only; nothing it decides reads them)."""
        self.mind.heard = list(moves)

    def react(self, obs: Observation, view: str, did: dict[str, int],
              change: float) -> list[str]:
        """Its words at a public view ("results", "board"; see `dialogue.react`), from a
        stream of its own, so what it decides never depends on what it said."""
        self._ensure(obs)
        rng = self._rng_at(obs.quarter, TAGS["react"], 0 if view == "results" else 1, "react")
        said = dialogue.react(self.speaker, self.mind, obs, view, did, change, rng)
        self.mind.recent = said.recent
        return said.lines

    def _rng(self, quarter: int, tag: str) -> np.random.Generator:
        """The generator for one decision point (quarter, decision, round), plus `tag`.

        Keyed by the decision point, not by a count of calls, so asking the AI twice
        for the same decision (a screen redrawn, a saved game replayed) gives the
        same answer.
        """
        kind, r = self._decision
        return self._rng_at(quarter, kind, r, tag)

    def _rng_at(self, quarter: int, kind: int, r: int, tag: str) -> np.random.Generator:
        return np.random.Generator(np.random.PCG64(np.random.SeedSequence(
            [self.seed, self.stream, self.role, quarter, kind, r, TAGS[tag], 0xA1])))

    def _opening(self, obs: Observation) -> str:
        """The decision point a quarter opens with, whether or not this AI is asked at it:
        the event choices when the news asked anyone in the batch for one, else talk.
        The quarter's mood is drawn there, so it does not depend on who is asked."""
        asked = obs.pending_choice.any() or (
            obs.fired_q & (self.game.event_chooser >= 0)[None, :]).any()
        return "events" if asked else "talk"

    def _round(self) -> int:
        """The negotiation round now: the live game's when bound, else counted."""
        s = self.state
        if s is not None and s.batch == 1 and s.quarter == self.mind.quarter:
            return int(s.round)
        return max(self.mind.budget_calls - 1, 0)

    def _begin(self, obs: Observation, tag: str) -> np.random.Generator:
        """Start a decision: clear the lines, read what is new, settle this quarter's mood."""
        self.said = []
        self.reasons = []
        self._ensure(obs)
        m = self.mind
        p = self.personality
        new_quarter = obs.quarter != m.quarter
        if new_quarter:
            m.quarter = obs.quarter
            m.budget_calls = 0
        if tag in ("propose", "respond"):
            m.budget_calls += 1
        self._decision = (TAGS[tag], self._round() if tag in ("propose", "respond") else 0)
        rng = self._rng(obs.quarter, tag)
        found = m.memory.update(obs, p, m.other_promise, m.last_outcomes)
        m.other_promise = np.where(obs.promise_kind[:, self.other] != PROMISE_NONE,
                                   obs.promise_project[:, self.other], m.other_promise)
        self._read_own_promises(obs)
        u = rng.random(obs.batch)
        answer = p.reciprocity * (1.0 - p.forgiveness)
        if new_quarter:
            opening = self._opening(obs)
            mood = u if opening == tag else self._rng_at(
                obs.quarter, TAGS[opening], 0, opening).random(obs.batch)
            m.acts_before = m.acts
            m.acts = np.zeros_like(m.acts_before)
            m.coop = ~(m.memory.defected() & (mood < answer))
        elif found.any():
            m.coop = m.coop & ~(found & (u < answer))
        # One trust model: its trust in the other is the engine's, the meter on the dashboard.
        m.tau = np.asarray(obs.trust[:, self.role], dtype=np.float64).copy()
        m.stake_now = stake(p, m.tau, m.coop, m.memory.lean(p))
        return rng

    def _read_own_promises(self, obs: Observation) -> None:
        """Its own promises kept or broken since it last looked: acts, and news to tell."""
        m = self.mind
        now = np.stack([obs.kept[:, self.role], obs.broken[:, self.role]], axis=1)
        delta = now - m.own_counts
        m.own_counts = now.astype(np.int64)
        m.acts[:, ACT_KEPT] |= delta[:, 0] > 0
        m.acts[:, ACT_BROKE] |= delta[:, 1] > 0
        if obs.batch == 1 and delta.any():
            if m.announced:
                m.announced = False
            else:
                kind = "keep_promise" if delta[0, 0] > 0 else "break_promise"
                m.news.append((kind, int(m.my_promise[0])))

    def _looking(self, obs: Observation) -> bool:
        s = self.state
        return (obs.batch == 1 and self.lookahead and s is not None and s.batch == 1
                and s.quarter == obs.quarter and s.phase == obs.phase)

    def _n(self, obs: Observation) -> int:
        return self.level.candidates if self._looking(obs) else 1

    # -- the Policy protocol ----------------------------------------------------------
    def decide(self, obs: Observation, request: Request) -> Any:
        self._request = request
        return super().decide(obs, request)

    def _events(self, obs: Observation) -> I64:
        rng = self._begin(obs, "events")
        base = self._events_heuristic(obs, rng)
        cands = [Choice(base)]
        mine = obs.pending_choice[0] & (self.game.event_chooser == self.role)
        if self._looking(obs) and mine.any():
            k = int(np.flatnonzero(mine)[0])
            cands = []
            for i in range(len(self.game.choice_effects[k])):
                c = base.copy()
                c[:, k] = i
                cands.append(Choice(c))
        choice = self._weigh(obs, "events", cands, rng)
        if obs.batch == 1 and mine.any():
            k = int(np.flatnonzero(mine)[0])
            self._speak(dialogue.explain_event(self.speaker, self.mind, obs, k,
                                               int(choice.action[0, k]), rng))
        result: I64 = choice.action
        return result

    def _talk(self, obs: Observation) -> Talk:
        rng = self._begin(obs, "talk")
        cands = self._distinct([self._talk_heuristic(obs, rng) for _ in range(self._n(obs))])
        choice = self._weigh(obs, "talk", cands, rng)
        talk: Talk = choice.action
        made = talk.moves[:, PROMISE] & (talk.promise_kind != PROMISE_NONE)
        assert choice.intent is not None
        m = self.mind
        m.intent_keep = np.where(made, choice.intent, m.intent_keep)
        m.my_promise = np.where(made, talk.promise_project, m.my_promise)
        m.acts[:, ACT_SHARED] = talk.moves[:, SHARE_INTEL]
        m.acts[:, ACT_MET] = talk.moves[:, ONE_ON_ONE]
        if obs.batch == 1:
            self._speak(dialogue.explain_talk(self.speaker, m, obs, talk, rng))
        return talk

    def _propose(self, obs: Observation, last: Plan | None) -> Plan:
        rng = self._begin(obs, "propose")
        n = self._n(obs)
        cands = self._distinct([self._plan_heuristic(obs, last, rng, jitter=i > 0)
                                for i in range(n)])
        choice = self._weigh(obs, "propose", cands, rng, last=last)
        plan: Plan = choice.action
        if obs.batch == 1:
            self._speak(dialogue.explain_plan(self.speaker, self.mind, obs, plan, last,
                                              choice.info["duty"], rng))
        return plan

    def _respond(self, obs: Observation, plan: Plan) -> BoolArr:
        rng = self._begin(obs, "respond")
        first = self._respond_heuristic(obs, plan, rng)
        cands = [first]
        if self._looking(obs):
            cands.append(Choice(~first.action, info=first.info))
        choice = self._weigh(obs, "respond", cands, rng, offer=plan)
        accept: BoolArr = choice.action
        if obs.batch == 1:
            self._speak(dialogue.explain_response(self.speaker, self.mind, obs, plan,
                                                  bool(accept[0]), first.info,
                                                  self.values(obs), rng))
        return accept

    def _aftermath(self, obs: Observation) -> Aftermath:
        rng = self._begin(obs, "aftermath")
        cands = self._distinct([self._aftermath_heuristic(obs, rng) for _ in range(self._n(obs))])
        choice = self._weigh(obs, "aftermath", cands, rng)
        answer: Aftermath = choice.action
        self._record_answers(obs, answer)
        if obs.batch == 1:
            self._speak(dialogue.explain_aftermath(self.speaker, self.mind, obs, answer,
                                                   float(self.warmth()[0]), rng))
        self.mind.last_outcomes = obs.outcome_q.copy()
        return answer

    # -- looking ahead -------------------------------------------------------------------
    @staticmethod
    def _distinct(cands: list[Choice]) -> list[Choice]:
        seen: set[bytes] = set()
        out = []
        for c in cands:
            k = _key(c.action)
            if k not in seen:
                seen.add(k)
                out.append(c)
        return out

    def _weigh(self, obs: Observation, kind: str, cands: list[Choice], rng: np.random.Generator,
               last: Plan | None = None, offer: Plan | None = None) -> Choice:
        """Play each candidate forward on the belief state; pick by softmax on the utility."""
        if len(cands) == 1 or not self._looking(obs):
            return cands[0]
        assert self.state is not None
        n, k = len(cands), self.level.rollouts
        look = self._rng(obs.quarter, "look")
        suspicion = float(np.clip(0.05 + 0.8 * self.mind.memory.rate(AROUND)[0], 0.0, 0.8))
        s = belief.build(self.game, self.state, self.role, n * k, look, suspicion,
                         np.repeat(self.mind.acts_before, n * k, axis=0))
        start = s.copy()
        mine, theirs = self._models(n * k, look, kind)
        policies = (mine, theirs) if self.role == CMO else (theirs, mine)
        assert self._request is not None
        forced = belief.Forced(self._request, _stack([c.action for c in cands], k))
        progress = Progress(last=None if last is None else _repeat(last, n * k),
                            offer=None if offer is None else _repeat(offer, n * k))
        end = belief.imagine(self.game, s, progress, policies, forced, self.level.horizon)
        value = utility(self.personality, self.role, start, end).reshape(n, k).mean(axis=1)
        z = (value - value.max()) / self.level.temperature
        probs = np.exp(z)
        probs /= probs.sum()
        pick = int(look.choice(n, p=probs))
        self.reasons.append(
            f"weighed {n} options over {k} imagined futures each "
            f"(utility {', '.join(f'{v:+.3f}' for v in value)}); took option {pick + 1}")
        return cands[pick]

    def _models(self, rows: int, rng: np.random.Generator,
                kind: str) -> tuple[Counterpart, Counterpart]:
        """Itself and its picture of the other, as quick heuristic players for `rows` futures.

        Itself: its own mind, row 0 repeated. The other: a mind started from what is
        public (the trust meter, the promise counters), as the other would keep it.
        """
        assert self.state is not None
        st = self.state
        r = self._round()
        me = Counterpart(self.game, self.role, int(rng.integers(MASK)), self.stream,
                         name=self.name, personality=self.personality, lookahead=False)
        me.mind = replace(self.mind.take(np.zeros(rows, dtype=np.int64)),
                          budget_calls=r + 1 if kind in ("propose", "respond") else 0)
        model = self.model_of_other()
        them = Counterpart(self.game, self.other, int(rng.integers(MASK)), self.stream,
                           name="model", personality=model, lookahead=False)
        memory = seeded_memory(rows, self.role, np.repeat(st.trust[:, self.other], rows), model)
        memory.quarter = st.quarter
        memory.counters = np.repeat(np.stack(
            [st.kept[:, self.role], st.broken[:, self.role], st.discovered[:, self.role]],
            axis=1), rows, axis=0)
        them.mind = replace(
            Mind.new(memory, model, self.game.n_projects, memory.trust(model)),
            own_counts=np.repeat(np.stack([st.kept[:, self.other], st.broken[:, self.other]],
                                          axis=1), rows, axis=0),
            my_promise=np.repeat(st.promise_project[:, self.other], rows),
            quarter=st.quarter,
            # The other speaks next in this round (answering a proposal) or in the next one.
            budget_calls=r + 1 if kind == "respond" else (r if kind == "propose" else 0))
        return me, them

    def model_of_other(self) -> Personality:
        """The other executive as this AI has seen it behave: its picture of the human."""
        m = self.mind.memory

        def rate(kind: int) -> float:
            return float(np.clip(m.rate(kind)[0], 0.0, 1.0))

        kept, broken = float(m.total[0, KEPT]), float(m.total[0, BROKEN])
        return Personality(
            title="Model", summary="The other executive as the AI has seen it play.",
            propensity=0.5, forgiveness=0.33, risk_appetite=0.5,
            company_weight=float(np.clip(0.6 - 0.5 * rate(TOOK), 0.1, 0.9)),
            honesty=(kept + 1.0) / (kept + broken + 2.0), reciprocity=0.7,
            openness=float(np.clip(0.2 + rate(SHARED), 0.0, 1.0)),
            bypass=float(np.clip(1.5 * rate(AROUND), 0.0, 1.0)),
            blame=float(np.clip(0.1 + 1.5 * rate(BLAMED), 0.0, 1.0)), caution=0.5)

    # -- heuristics: how the character plays, vectorised ----------------------------------
    def warmth(self) -> F64:
        """(B,) how warmly it plays this quarter: the engine's trust, felt harder by a
        reciprocator, biased by its propensity and answering the other's record of deeds."""
        p = self.personality
        rec = p.reciprocity
        tau = self.mind.tau
        warm = (0.4 + 0.6 * tau + rec * (tau - 0.5) + 0.3 * (p.propensity - 0.5)
                + 0.5 * rec * self.mind.memory.lean(p))
        result: F64 = np.where(self.mind.coop, np.clip(warm, 0.0, 1.0), 0.0)
        return result

    def unpunished(self) -> F64:
        """(B,) 1 against a partner who has never defected, falling to 0 as it hits back
        (a defection a quarter in four): what an opportunist reads before it exploits."""
        mem = self.mind.memory
        hits = mem.total[:, DEFECTS].sum(axis=1) / max(mem.quarters_seen, 1)
        result: F64 = np.clip(1.0 - 4.0 * hits, 0.0, 1.0)
        return result

    def deterred(self) -> F64:
        """(B,) how much of its selfish inclination it acts on: more against a partner
        who never hits back, less (DETERRENCE of it) against one who does. The iterated
        dilemma's lesson: reciprocators are exploited less than naive cooperators."""
        result: F64 = DETERRENCE + (1.0 - DETERRENCE) * 2.0 * self.unpunished()
        return result

    def _pick_moves(self, obs: Observation, wanted: list[tuple[int, BoolArr]]) -> BoolArr:
        """Moves in priority order, each taken if legal and attention remains."""
        b = obs.batch
        moves = np.zeros((b, N_MOVES), dtype=np.bool_)
        left = np.full(b, self._attention)
        for m, want in wanted:
            take = want & obs.legal_moves[:, m] & (left >= self._attention_cost[m])
            moves[:, m] |= take
            left -= np.where(take, self._attention_cost[m], 0)
        return moves

    def _talk_heuristic(self, obs: Observation, rng: np.random.Generator) -> Choice:
        p = self.personality
        b = obs.batch
        q = obs.quarter
        u = rng.random((b, 9))
        tau = self.mind.tau
        coop = self.mind.coop
        warm = self.warmth()
        in_kind = ~coop & (self.mind.memory.fresh[:, AROUND] > 0)
        # Strong reciprocators answer a go-around with one of their own.
        # It goes around when slowed down (a defection or a deadlock last quarter, or low
        # trust), seldom when the other lets it move; the more so against one who never
        # hits back, the less against one who does.
        slowed = self.mind.memory.defected() | obs.deadlock | (tau < SLOWED_TRUST)
        drive = np.where(slowed, 1.0 + 0.8 * (1.0 - tau), UNHINDERED)
        deterred = 0.5 + 0.5 * self.deterred()
        p_around = np.clip(p.bypass * drive * deterred
                           + in_kind * 1.2 * max(p.reciprocity - 0.5, 0.0), 0.0, 0.95)
        fund_ok, fund_target = self._fund_target(obs)
        deliver_ok, deliver_target, due = self._deliver_target(obs)
        p_promise = 0.1 + 0.35 * p.openness * warm + 0.35 * (1.0 - p.honesty)
        wanted = [
            (GO_AROUND, u[:, 0] < p_around),
            (SHARE_INTEL, coop & (u[:, 1] < p.openness * (0.3 + 0.7 * warm))),
            (PROMISE, (fund_ok | deliver_ok) & (u[:, 2] < p_promise)),
            (HIRE_LIAISON, coop & (q >= 2) & (u[:, 3] < 0.5 * p.company_weight * warm)),
            (ONE_ON_ONE, coop & (u[:, 4] < p.openness * (0.2 + 0.6 * warm))),
            (HACK_WEEK, coop & (u[:, 5] < 0.8 * p.company_weight * warm)),
            (ROADMAP_REVIEW, coop & (q % 4 == 1) & (obs.ownership < 0.45)
             & (u[:, 6] < p.risk_appetite * p.company_weight * warm)),
        ]
        moves = self._pick_moves(obs, wanted)
        # Honest characters prefer promises they control (funding) to ones luck decides.
        use_deliver = deliver_ok & (~fund_ok | (u[:, 7] < 0.7 - 0.5 * p.honesty))
        intent = u[:, 8] < p.honesty
        kind = np.where(moves[:, PROMISE], np.where(use_deliver, PROMISE_DELIVER, PROMISE_FUND),
                        PROMISE_NONE).astype(np.int64)
        target = np.where(use_deliver, deliver_target, fund_target)
        # An honest promise gives a date it can meet; a dishonest one flatters.
        due = np.where(intent, due, np.maximum(due - 1, q + 1))
        target = np.where(moves[:, PROMISE], target, -1).astype(np.int64)
        return Choice(Talk(moves, kind, target, due.astype(np.int64)), intent=intent)

    def _fund_target(self, obs: Observation) -> tuple[BoolArr, I64]:
        """A project the other cares about that it could promise to fund next quarter:
        on the table then, and not one it means to fund already this quarter."""
        if not obs.legal_moves[:, PROMISE].any():
            return np.zeros(obs.batch, dtype=np.bool_), np.zeros(obs.batch, dtype=np.int64)
        val = self.values(obs)
        theirs = ~self.my_domain | (self.game.domain == GRAY)
        g = self.game
        q = obs.quarter + 1
        later = (g.from_quarter <= q) & (q <= g.until_quarter)
        ok = obs.fundable & (theirs & later)[None, :] & (val > MIN_VALUE)
        ok &= g.cost[None, :] <= 0.5 * obs.grant[:, None]
        now = self._plan_heuristic(obs, None, np.random.Generator(np.random.PCG64(0)))
        ok &= ~now.action.fund
        score = np.where(ok, val, -np.inf)
        target = np.argmax(score, axis=1).astype(np.int64)
        has: BoolArr = ok.any(axis=1)
        return has, target

    def _deliver_target(self, obs: Observation) -> tuple[BoolArr, I64, I64]:
        """A running project it (co-)owns, and the quarter it can honestly deliver it by."""
        mine = (obs.status == RUNNING) & ((obs.owner == self.role) | (obs.owner == OWNER_JOINT))
        has: BoolArr = mine.any(axis=1)
        target = np.argmax(mine, axis=1).astype(np.int64)
        rows = np.arange(obs.batch)
        left = self.game.duration[target] - obs.progress[rows, target]
        slack = 1 + int(self.personality.honesty > 0.7)
        due = obs.quarter + np.ceil(np.maximum(left, 0.0) / SPEED).astype(np.int64) + slack
        return has, target, due

    def values(self, obs: Observation) -> F64:
        """(B, P) what each project is worth to it per $M this quarter."""
        pr = self.prefs
        p = self.personality
        cost = self.game.cost
        val = np.broadcast_to(pr.density, (obs.batch, self.game.n_projects)).copy()
        care = 0.5 + p.caution
        urgent = np.clip((0.7 - obs.reliability) * 5.0, 0.0, 1.5) * care
        fix = (pr.effects[:, V_RELIABILITY] - pr.effects[:, V_DEBT]) / cost
        val += urgent[:, None] * fix[None, :]
        for name, col, level, scale in (("debt", V_DEBT, 0.25, 6.0),
                                        ("security", V_SECURITY, 0.3, 5.0)):
            reading = obs.signals.get(name)
            if reading is None:
                continue
            x = np.nan_to_num(reading, nan=level)
            need = np.clip((x - level) * scale, 0.0, 1.5) * care
            val += need[:, None] * (-2.0 * pr.effects[:, col] / cost)[None, :]
        return val

    def obligations(self, obs: Observation, val: F64) -> dict[str, Any]:
        """Promises to fund that fall due now: its own (kept if it means to), and the other's."""
        q = obs.quarter
        rows = np.arange(obs.batch)
        last = self.game.n_projects - 1
        mine = (obs.promise_kind[:, self.role] == PROMISE_FUND) & (
            obs.promise_due[:, self.role] <= q)
        t_mine = np.clip(obs.promise_project[:, self.role], 0, last)
        keep = mine & self.mind.intent_keep
        val[rows, t_mine] += np.where(keep, 1.0, 0.0)
        theirs = (obs.promise_kind[:, self.other] == PROMISE_FUND) & (
            obs.promise_due[:, self.other] <= q)
        t_theirs = np.clip(obs.promise_project[:, self.other], 0, last)
        val[rows, t_theirs] += np.where(theirs & self.mind.coop, 0.15, 0.0)
        return {"mine": mine, "keep": keep, "t_mine": t_mine, "theirs": theirs,
                "t_theirs": t_theirs}

    def my_share(self) -> float:
        p = self.personality
        sign = 1.0 if self.role == CMO else -1.0
        return float(np.clip(0.5 + sign * 0.25 * (1.0 - p.company_weight)
                             - 0.4 * (p.caution - 0.45), 0.15, 0.85))

    def share_target(self, obs: Observation) -> F64:
        """(B,) the campaign share it wants now: its character's, moved by the private
        signals it can read (its own, and the other's when shared), so intel is
        information: a high outage risk makes operations money worth more (it cuts the
        outage odds). The demand trend is not used: moving campaign money with it measured
        worse, not better (its swing, 4%, is small against the operations it takes)."""
        result: F64 = outage_tilt(self.game, obs, self.my_share())
        return result

    def _plan_heuristic(self, obs: Observation, last: Plan | None, rng: np.random.Generator,
                        jitter: bool = False) -> Choice:
        p = self.personality
        b = obs.batch
        n = self.game.n_projects
        cost = self.game.cost
        val = self.values(obs)
        duty = self.obligations(obs, val)
        if last is not None:
            # A counter moves toward what the other asked for, more so when it trusts them.
            val += (0.02 + 0.06 * self.mind.tau * self.mind.coop)[:, None] * last.fund
        wiggle = rng.uniform(-1.0, 1.0, (b, 3)) if jitter else np.zeros((b, 3))
        cap = obs.available * np.clip(0.5 + 0.25 * p.risk_appetite + 0.1 * wiggle[:, 0], 0.3, 0.9)
        score = np.where(obs.fundable, val, -np.inf)
        order = np.argsort(-score, axis=1, kind="stable")
        # Greedy down its own ranking, column by column over the batch (sorted views are
        # contiguous), then scattered back to catalogue order.
        ranked = np.take_along_axis(score, order, axis=1) > MIN_VALUE
        price = cost[order]
        taken = np.zeros((b, n), dtype=np.bool_)
        spent = np.zeros(b)
        for k in range(n):
            take = ranked[:, k] & (spent + price[:, k] <= cap + 1e-9)
            taken[:, k] = take
            spent += price[:, k] * take
        fund = _unsort(order, taken)
        share_of_stake = np.clip(self.mind.stake_now + 0.15 * wiggle[:, 1], 0.0, 1.0)
        owner = self._share_out(fund, share_of_stake, rng)
        share = np.clip(self.share_target(obs) + 0.1 * wiggle[:, 2], 0.05, 0.95)
        final = self._round() >= self.game.scenario.budget.negotiation_rounds - 1
        if last is not None:
            give = 0.3 + 0.4 * self.mind.tau * self.mind.coop + 0.3 * final
            share = share + (last.campaign_share - share) * give
        plan = Plan(fund, np.where(fund, owner, 0).astype(np.int64), share)
        if last is not None and final:
            # The last word: rather than a deadlock, offer back what they asked for
            # when that beats the CEO's default.
            ceo = Plan.empty(b, n, self.game.scenario.budget.ceo_campaign_share)
            take = self._plan_value(obs, last, val) >= self._plan_value(obs, ceo, val) - (
                DEADLOCK_COST)
            plan = Plan(np.where(take[:, None], last.fund, plan.fund),
                        np.where(take[:, None], last.owner, plan.owner),
                        np.where(take, last.campaign_share, plan.campaign_share))
        return Choice(plan, info={"duty": duty})

    def _share_out(self, fund: BoolArr, share_of_stake: F64, rng: np.random.Generator) -> I64:
        """Owners: its stake of the funded budget goes joint (gray and risky first), the
        rest to each domain's owner. The last project is joint with the odds that make
        the expected joint share equal the stake exactly."""
        b, n = fund.shape
        cost = self.game.cost
        owner = np.broadcast_to(self._default_owner, (b, n)).copy()
        target = share_of_stake * (fund @ cost)
        prio = np.where(fund, 2.0 * (self.game.domain == GRAY) + self.game.risk, -np.inf)
        order = np.argsort(-prio, axis=1, kind="stable")
        funded = np.take_along_axis(fund, order, axis=1)
        price = cost[order]
        joint = np.zeros((b, n), dtype=np.bool_)
        placed = np.zeros(b)
        open_ = np.ones(b, dtype=np.bool_)
        coin = rng.random(b)
        for k in range(n):
            c = price[:, k]
            f = funded[:, k] & open_
            room = target - placed
            whole = f & (c <= room + 1e-9)
            go = whole | (f & ~whole & (room > 1e-9) & (coin * c < room))
            joint[:, k] = go
            placed += c * go
            open_ &= ~(f & ~whole)
        owner[_unsort(order, joint)] = OWNER_JOINT
        return owner

    def _plan_value(self, obs: Observation, plan: Plan, val: F64) -> F64:
        """What a plan is worth to it: projects by owner, and the campaign split."""
        p = self.personality
        turf = (1.0 - p.company_weight) * 0.5
        stake_ = self.mind.stake_now[:, None]
        factor = np.where(plan.owner == self.role, 1.0 + turf,
                          np.where(plan.owner == OWNER_JOINT, 1.0 + (stake_ - 0.5) * 0.6,
                                   1.0 - turf * self.my_domain[None, :]))
        value = (plan.fund * val * self.game.cost[None, :] * factor).sum(axis=1)
        rest = np.maximum(obs.available - plan.fund @ self.game.cost, 0.0)
        result: F64 = value - np.abs(plan.campaign_share - self.share_target(obs)) * rest * 0.3
        return result

    def _respond_heuristic(self, obs: Observation, plan: Plan,
                           rng: np.random.Generator) -> Choice:
        p = self.personality
        rows = np.arange(obs.batch)
        ideal_choice = self._plan_heuristic(obs, None, rng)
        ideal: Plan = ideal_choice.action
        val = self.values(obs)
        duty = self.obligations(obs, val)
        mine = self._plan_value(obs, plan, val)
        best = self._plan_value(obs, ideal, val)
        rounds = self.game.scenario.budget.negotiation_rounds
        r = self._round()
        final = r >= rounds - 1
        nearly = r >= rounds - 2
        m = self.mind
        slack = 0.02 + np.abs(best) * (0.15 + 0.5 * m.tau * p.company_weight * m.coop
                                       + 0.25 * nearly)
        accept = mine >= best - slack
        if final:
            # Last round: anything better than the CEO's default, counting the board's
            # displeasure at a deadlock.
            ceo = Plan.empty(obs.batch, self.game.n_projects,
                             self.game.scenario.budget.ceo_campaign_share)
            accept = mine >= self._plan_value(obs, ceo, val) - DEADLOCK_COST
        missing = duty["keep"] & obs.fundable[rows, duty["t_mine"]] & ~plan.fund[
            rows, duty["t_mine"]]
        if not final:
            accept &= ~missing
        info = {"duty": duty, "ideal": ideal, "value": mine, "best": best, "final": final,
                "missing": missing}
        return Choice(accept, info=info)

    def _aftermath_heuristic(self, obs: Observation, rng: np.random.Generator) -> Choice:
        p = self.personality
        b, n = obs.batch, self.game.n_projects
        u = rng.random((b, n, 2))
        ui = rng.random((b, N_INCIDENTS))
        warm = np.maximum(self.warmth(), 0.1)[:, None]
        sore = (~self.mind.coop)[:, None] * p.reciprocity
        deterred = self.deterred()[:, None]
        p_blame = np.clip(p.blame * (0.5 + (1.0 - warm)) * deterred + 0.25 * sore, 0.0, 0.95)
        p_blame = np.where(obs.owner == OWNER_JOINT, 0.6 * p_blame, p_blame)
        p_own = p.honesty * (0.5 + 0.5 * warm)
        answer = np.where(u[:, :, 0] < p_blame, BLAME,
                          np.where(u[:, :, 0] < p_blame + (1.0 - p_blame) * p_own, OWN,
                                   CIRCUMSTANCES))
        # Opportunism: a less than honest character takes the credit from a partner who
        # has never hit back (the naive cooperator's price); one answer and it stops.
        # ...once it has watched them long enough to be sure (PROBATION quarters).
        sure = min(self.mind.memory.quarters_seen / PROBATION, 1.0)
        unpunished = sure * self.unpunished()[:, None]
        p_take = np.clip(((1.0 - p.company_weight) * 0.6 + 0.2 * p.blame) * deterred
                         + 0.3 * sore + OPPORTUNISM * (1.0 - p.honesty) * unpunished,
                         0.0, 0.95)
        credit = np.where(u[:, :, 1] < p_take, TAKE_CREDIT, SHARE_CREDIT)
        project = np.where(obs.status == SUCCESS, credit, answer).astype(np.int64)
        pb = p_blame[:, 0]
        po = p_own[:, 0]
        competence = np.where(ui < pb[:, None], BLAME,
                              np.where(ui < (pb + (1.0 - pb) * po)[:, None], OWN, CIRCUMSTANCES))
        p_deny = (1.0 - p.honesty) * 0.8
        p_own_v = p.honesty * (0.6 + 0.4 * warm[:, 0])
        integrity = np.where(ui < p_deny, DENY,
                             np.where(ui < p_deny + (1.0 - p_deny) * p_own_v[:, None], OWN,
                                      np.where(ui < 1.0 - 0.3 * p.blame, CIRCUMSTANCES, BLAME)))
        incident = np.where(np.isin(np.arange(N_INCIDENTS), [GOAROUND_FOUND, BROKEN_PROMISE]),
                            integrity, competence).astype(np.int64)
        return Choice(Aftermath(project, incident))

    def _events_heuristic(self, obs: Observation, rng: np.random.Generator) -> I64:
        """Bold characters take an event's first option, cautious ones its last."""
        p = self.personality
        u = rng.random(obs.pending_choice.shape)
        last = np.array([max(len(c) - 1, 0) for c in self.game.choice_effects], dtype=np.int64)
        bold = u < np.clip(0.2 + 0.8 * p.risk_appetite - 0.3 * p.caution, 0.05, 0.95)
        result: I64 = np.where(bold, 0, last[None, :]).astype(np.int64)
        return result

    def _record_answers(self, obs: Observation, answer: Aftermath) -> None:
        due = obs.outcome_q & ((obs.owner == self.role) | (obs.owner == OWNER_JOINT))
        bad = due & ((obs.status == FAILED) | (obs.status == CHALLENGED))
        good = due & (obs.status == SUCCESS)
        inc = obs.incident
        acts = self.mind.acts
        acts[:, ACT_BLAMED] = ((bad & (answer.project == BLAME)).any(axis=1)
                               | (inc & (answer.incident == BLAME)).any(axis=1))
        acts[:, ACT_OWNED] = ((bad & (answer.project == OWN)).any(axis=1)
                              | (inc & (answer.incident == OWN)).any(axis=1))
        acts[:, ACT_TOOK_CREDIT] = (good & (answer.project == TAKE_CREDIT)).any(axis=1)
        acts[:, ACT_SHARED_CREDIT] = (good & (answer.project == SHARE_CREDIT)).any(axis=1)


# -- the registry's view -----------------------------------------------------------------

def make_counterpart(name: str, game: Game, role: int, seed: int, level: int = DEFAULT_LEVEL,
                     stream: int = 0) -> Counterpart:
    """The AI personality `name` (built in, or from the scenario) for `role`, for the UI.

    Call `bind(state)` with the live game's state so it can look ahead.
    """
    return Counterpart(game, role, seed, stream, name=name,
                       personality=get(name, game.scenario), level=level)


def factory(name: str, level: int = DEFAULT_LEVEL) -> Any:
    """A registry factory (game, role, seed, stream) -> Policy for personality `name`."""

    def make(game: Game, role: int, seed: int, stream: int = 0,
             level: int = level) -> Counterpart:
        return make_counterpart(name, game, role, seed, level, stream)

    return make


def factories() -> dict[str, Any]:
    """Every built-in personality by name, at the default level, for the registry.

    The level only changes the look-ahead of a live game (B = 1); Monte Carlo
    batches play every level alike, so the registry needs no level variants.
    """
    return {name: factory(name) for name in BUILTIN_NAMES}


__all__ = ["Choice", "Counterpart", "factories", "factory", "make_counterpart"]
