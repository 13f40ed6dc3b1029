"""One live game (B = 1) as an explicit step machine over the engine's phase functions.

The engine's runner plays a whole quarter in one call; a person at a keyboard
needs the game to stop at every decision and wait. This class walks the same
phases in the same order (news, event choices, talk, the negotiation protocol,
execution, aftermath, board), calling only engine functions, and pauses at each
step. Every decision and acknowledgement goes into an ordered log, so replaying
the log reproduces the game exactly (saves, Continue, undo).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.engine import news
from game.engine.actions import Aftermath, Plan, Talk
from game.engine.aftermath import apply_aftermath, needs_response
from game.engine.board import close_quarter
from game.engine.constants import CMO, CTO, ROLES, Phase
from game.engine.execution import execute
from game.engine.game import Game, compile_game
from game.engine.news import resolve_choices, start_quarter
from game.engine.observation import Observation, observe
from game.engine.portfolio import commit, plan_valid, proposer, sanitize
from game.engine.record import GameRecord
from game.engine.runner import Policy, begin
from game.engine.state import State
from game.engine.talk import apply_talk
from game.scenario.catalog import resolve
from game.scenario.loader import load_scenario
from game.scenario.models import Scenario
from game.session import seats as seats_mod
from game.session.seats import Seat
from game.session.steps import Kind, Step
from game.session.timeline import Moment, Timeline

I64 = NDArray[np.int64]

WORKSHOP = "workshop"
SOLO = "solo"
DEMO = "demo"
MODES = (WORKSHOP, SOLO, DEMO)

Decision = dict[int, int] | Talk | Plan | bool | Aftermath | None
"""Event picks (event index -> option), talk, a proposal, an answer, responses, or an ack."""


class StepError(ValueError):
    """A decision that does not fit the step the game is at."""


@dataclass(frozen=True)
class GameConfig:
    """What starts a game: scenario, seed, mode and who sits where."""

    scenario: str                 # a shipped id or a path to a YAML file
    seed: int = 1
    mode: str = WORKSHOP
    seats: tuple[Seat, Seat] = (Seat(name="CMO"), Seat(name="CTO"))

    def to_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "seed": self.seed, "mode": self.mode,
                "seats": [s.to_dict() for s in self.seats]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> GameConfig:
        seats = tuple(Seat.from_dict(s) for s in d["seats"])
        if len(seats) != 2:
            raise ValueError("a game has exactly two seats")
        mode = str(d.get("mode", WORKSHOP))
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        return cls(str(d["scenario"]), int(d["seed"]), mode, (seats[0], seats[1]))


def load_config_scenario(ref: str) -> Scenario:
    """The scenario a config names (FileNotFoundError or ScenarioError when it cannot)."""
    return load_scenario(resolve(ref))


@dataclass
class _Negotiation:
    round: int = 0
    last: Plan | None = None
    proposal: Plan | None = None
    final: Plan | None = None
    history: list[tuple[int, Plan, bool]] = field(default_factory=list)


class LiveGame:
    """One game in progress. The UI reads through it and sends decisions to it."""

    def __init__(self, config: GameConfig, scenario: Scenario | None = None,
                 on_step: Callable[[LiveGame], None] | None = None) -> None:
        self.config = config
        self.scenario = scenario if scenario is not None else load_config_scenario(
            config.scenario)
        self.game: Game = compile_game(self.scenario)
        self.state: State = begin(self.game, 1, config.seed)
        self.quarter_start: State = self.state.copy()
        self.log: list[dict[str, Any]] = []
        self.timeline = Timeline(self.game)
        self.on_step = on_step
        self.policies: dict[int, Policy] = {
            r: seats_mod.make_ai(s, self.game, r, config.seed)
            for r, s in enumerate(config.seats) if not s.human}
        for pol in self.policies.values():
            bind = getattr(pol, "bind", None)
            if callable(bind):  # counterparts look ahead from the live state (B = 1)
                bind(self.state)
        self.said: dict[int, list[str]] = {CMO: [], CTO: []}
        self.paused = False
        self._talks: dict[int, Talk] = {}
        self._answers: dict[int, Aftermath] = {}
        self._picks: dict[int, I64] = {}
        self._choosers: list[int] = []
        self._neg = _Negotiation()
        self._replaying = False
        briefed = [r for r in (CMO, CTO) if config.seats[r].human]
        self._briefings = briefed
        if briefed:
            self._step = Step(Kind.BRIEFING, briefed[0], 0)
        else:
            self._open_quarter()

    # -- reading ---------------------------------------------------------------------
    @property
    def step(self) -> Step:
        return self._step

    @property
    def quarter(self) -> int:
        return self.state.quarter

    @property
    def done(self) -> bool:
        return self._step.kind == Kind.END

    @property
    def mode(self) -> str:
        return self.config.mode

    def seat(self, role: int) -> Seat:
        return self.config.seats[role]

    def is_human(self, role: int | None) -> bool:
        return role is not None and self.config.seats[role].human

    @property
    def awaits_ai(self) -> bool:
        """The current step is a decision an AI makes."""
        s = self._step
        return not s.is_view and s.kind != Kind.END and not self.is_human(s.role)

    def observe(self, role: int) -> Observation:
        return observe(self.game, self.state, role)

    @property
    def proposal(self) -> Plan | None:
        """The plan on the table while the responder decides."""
        return self._neg.proposal

    @property
    def last_proposal(self) -> Plan | None:
        """The plan turned down last round (a starting point for the counter)."""
        return self._neg.last

    @property
    def negotiation(self) -> list[tuple[int, Plan, bool]]:
        """This quarter's proposals so far: (proposer, plan, accepted)."""
        return list(self._neg.history)

    @property
    def rounds(self) -> int:
        return self.game.scenario.budget.negotiation_rounds

    @property
    def last_round(self) -> bool:
        return self._neg.round >= self.rounds - 1

    def event_choices(self, role: int) -> list[int]:
        """Indices of this quarter's events waiting for `role` to choose."""
        pending = self.state.pending_choice[0]
        return [int(k) for k in np.flatnonzero(pending) if int(self.game.event_chooser[k]) == role]

    @property
    def moments(self) -> list[Moment]:
        return self.timeline.moments

    # -- acting ----------------------------------------------------------------------
    def ai_decide(self) -> Decision:
        """Ask the AI in the current seat for its decision (not yet applied)."""
        s = self._step
        if not self.awaits_ai or s.role is None:
            raise StepError(f"no AI decision is due at {s.kind}")
        decision = self._ask(s.role, s.kind)
        self.said[s.role] = seats_mod.said(self.policies[s.role])
        return decision

    def _ask(self, role: int, kind: Kind) -> Decision:
        pol = self.policies[role]
        obs = self.observe(role)
        if kind == Kind.EVENT:
            picks = np.asarray(pol.choose_events(obs), dtype=np.int64).reshape(1, -1)
            return {k: int(picks[0, k]) for k in self.event_choices(role)}
        if kind == Kind.TALK:
            return pol.talk(obs)
        if kind == Kind.PROPOSE:
            return pol.propose(obs, self._neg.last)
        if kind == Kind.RESPOND:
            assert self._neg.proposal is not None
            return bool(np.asarray(pol.respond(obs, self._neg.proposal)).reshape(-1)[0])
        if kind == Kind.AFTERMATH:
            return pol.aftermath(obs)
        raise StepError(f"nothing to decide at {kind}")

    def acknowledge(self) -> None:
        """Move on from a view (news, results, board, a briefing)."""
        if not self._step.is_view:
            raise StepError(f"{self._step.kind} needs a decision, not an acknowledgement")
        self.submit(None)

    def advance_ai(self) -> Decision:
        """Let the AI decide the current step and apply it; returns what it decided."""
        decision = self.ai_decide()
        self.submit(decision)
        return decision

    def submit(self, decision: Decision) -> None:
        """Apply the decision for the current step, log it, and move to the next step."""
        s = self._step
        if s.kind == Kind.END:
            raise StepError("the game is over")
        if s.is_view and decision is not None:
            raise StepError(f"{s.kind} is acknowledged, not decided")
        data = self._apply(s, decision)
        self.log.append({"q": s.quarter, "kind": str(s.kind), "role": s.role, "data": data})
        if self.on_step is not None and not self._replaying:
            self.on_step(self)

    def _apply(self, s: Step, decision: Decision) -> Any:
        if s.kind == Kind.BRIEFING:
            rest = [r for r in self._briefings if r != s.role and r > (s.role or 0)]
            if rest:
                self._step = Step(Kind.BRIEFING, rest[0], 0)
            else:
                self._open_quarter()
            return None
        if s.kind == Kind.NEWS:
            self._after_news()
            return None
        if s.kind == Kind.EVENT:
            assert s.role is not None
            if not isinstance(decision, dict):
                raise StepError("an event choice is a mapping of event to option")
            picks = np.zeros((1, self.game.n_events), dtype=np.int64)
            for k, opt in decision.items():
                picks[0, int(k)] = int(opt)
            self._picks[s.role] = picks
            self._next_chooser()
            return {str(k): int(v) for k, v in decision.items()}
        if s.kind == Kind.TALK:
            assert s.role is not None
            if not isinstance(decision, Talk):
                raise StepError("talk needs a Talk")
            self._talks[s.role] = decision
            if s.role == CMO:
                self._step = Step(Kind.TALK, CTO, self.quarter)
            else:
                self._end_talk()
            return decision.to_dict()
        if s.kind == Kind.PROPOSE:
            if not isinstance(decision, Plan):
                raise StepError("a proposal needs a Plan")
            raw = decision.to_dict()
            self._neg.proposal = sanitize(self.game, self.state, decision)
            self._step = Step(Kind.RESPOND, 1 - (s.role or 0), self.quarter, self._neg.round)
            return raw
        if s.kind == Kind.RESPOND:
            if not isinstance(decision, bool | np.bool_):
                raise StepError("an answer is True (accept) or False (counter)")
            self._respond(bool(decision))
            return bool(decision)
        if s.kind == Kind.RESULTS:
            self._step = Step(Kind.AFTERMATH, CMO, self.quarter)
            self._skip_silent_aftermath()
            return None
        if s.kind == Kind.AFTERMATH:
            assert s.role is not None
            if not isinstance(decision, Aftermath):
                raise StepError("aftermath needs an Aftermath")
            self._answer(s.role, decision)
            return decision.to_dict()
        if s.kind == Kind.BOARD:
            if self.state.phase == Phase.END:
                self._step = Step(Kind.END, None, self.quarter)
            else:
                self._open_quarter()
            return None
        raise StepError(f"cannot act at {s.kind}")

    # -- phases ----------------------------------------------------------------------
    def _open_quarter(self) -> None:
        before = self.state.copy()
        self.quarter_start = before
        start_quarter(self.game, self.state)
        self._talks.clear()
        self._answers.clear()
        self._picks.clear()
        self._neg = _Negotiation()
        self.said = {CMO: [], CTO: []}
        self.timeline.news(before, self.state)
        self._step = Step(Kind.NEWS, None, self.quarter)

    def _after_news(self) -> None:
        pending = self.state.pending_choice[0]
        if pending.any():
            choosers = sorted({int(self.game.event_chooser[k]) for k in np.flatnonzero(pending)})
            self._choosers = choosers
            # runner.play_quarter asks both policies whenever any choice is pending.
            for role in (CMO, CTO):
                if role not in choosers and not self.is_human(role) and role in self.policies:
                    self.policies[role].choose_events(self.observe(role))
            self._next_chooser()
        else:
            self._resolve(None)

    def _next_chooser(self) -> None:
        left = [r for r in self._choosers if r not in self._picks]
        if left:
            self._step = Step(Kind.EVENT, left[0], self.quarter)
            return
        e = self.game.n_events
        cmo = self._picks.get(CMO, np.zeros((1, e), dtype=np.int64))
        cto = self._picks.get(CTO, np.zeros((1, e), dtype=np.int64))
        choices = np.where(self.game.event_chooser[None, :] == CMO, cmo, cto)
        self._resolve(choices)

    def _resolve(self, choices: I64 | None) -> None:
        before = self.state.copy()
        resolve_choices(self.game, self.state, choices)
        self.timeline.choices(before, self.state)
        self._step = Step(Kind.TALK, CMO, self.quarter)

    def _end_talk(self) -> None:
        before = self.state.copy()
        apply_talk(self.game, self.state, self._talks[CMO], self._talks[CTO])
        self.timeline.talk(before, self.state)
        self._neg = _Negotiation()
        self.state.round = 0
        self._step = Step(Kind.PROPOSE, proposer(self.state), self.quarter, 0)

    def _respond(self, accept: bool) -> None:
        neg = self._neg
        plan = neg.proposal
        assert plan is not None
        ok = accept and bool(plan_valid(self.game, self.state, plan)[0])
        neg.history.append((proposer(self.state), plan, ok))
        if ok:
            self._commit(plan, True)
            return
        neg.last = plan
        neg.proposal = None
        if neg.round + 1 < self.rounds:
            neg.round += 1
            self.state.round = neg.round
            self._step = Step(Kind.PROPOSE, proposer(self.state), self.quarter, neg.round)
        else:
            self._commit(Plan.empty(1, self.game.n_projects), False)

    def _commit(self, plan: Plan, agreed: bool) -> None:
        before = self.state.copy()
        commit(self.game, self.state, plan, np.array([agreed]))
        mid = self.state.copy()
        execute(self.game, self.state)
        self._neg.final = plan if agreed else None
        self._neg.proposal = None
        self.timeline.budget(before, mid)
        self.timeline.execution(mid, self.state)
        self._step = Step(Kind.RESULTS, None, self.quarter)

    def _skip_silent_aftermath(self) -> None:
        """A human with nothing to answer for is not asked; the default is logged."""
        while self._step.kind == Kind.AFTERMATH:
            role = self._step.role
            assert role is not None
            if not self.is_human(role) or self.needs_response(role):
                return
            default = Aftermath.default(1, self.game.n_projects)
            self.log.append({"q": self.quarter, "kind": str(Kind.AFTERMATH), "role": role,
                             "data": default.to_dict(), "auto": True})
            self._answer(role, default)

    def _answer(self, role: int, answer: Aftermath) -> None:
        self._answers[role] = answer
        if role == CMO:
            self._step = Step(Kind.AFTERMATH, CTO, self.quarter)
            self._skip_silent_aftermath()
            return
        before = self.state.copy()
        apply_aftermath(self.game, self.state, self._answers[CMO], self._answers[CTO])
        mid = self.state.copy()
        close_quarter(self.game, self.state)
        self.timeline.aftermath(before, mid)
        self.timeline.board(mid, self.state)
        self._step = Step(Kind.BOARD, None, self.quarter)

    def needs_response(self, role: int) -> bool:
        projects, incidents = needs_response(self.game, self.state, role)
        return bool(projects.any() or incidents.any())

    # -- facilitator -----------------------------------------------------------------
    def injectable(self) -> list[str]:
        """Events the facilitator may fire now: any the scenario has, except spent one-offs."""
        fired = self.state.fired[0]
        return [eid for k, eid in enumerate(self.game.event_ids)
                if not (self.game.event_once[k] and fired[k])]

    def inject_event(self, event_id: str) -> None:
        """Fire a scenario event now, through the engine's effect machinery, and log it.

        Effects are booked to the market, like any event. An event with options
        takes its first (default) option at once, since the news phase that would
        ask the chooser has passed.
        """
        if self.done:
            raise StepError("the game is over")
        if event_id not in self.game.event_ids:
            raise StepError(f"no event '{event_id}' in this scenario")
        self._inject(self.game.event_ids.index(event_id))
        self.log.append({"q": self.quarter, "kind": "inject", "role": None, "data": event_id})
        if self.on_step is not None and not self._replaying:
            self.on_step(self)

    def _inject(self, k: int) -> None:
        before = self.state.copy()
        news.inject_event(self.game, self.state, k)
        self.timeline.injected(before, self.state, k)

    def undo_target(self) -> int:
        """The quarter undo goes back to: the last one the board closed (else the first)."""
        closed = self.quarter if self._step.kind in (Kind.BOARD, Kind.END) else self.quarter - 1
        return max(1, closed)

    def undo_quarter(self) -> LiveGame:
        """A new game replayed from the log up to the start of the last closed quarter."""
        target = self.undo_target()
        cut = len(self.log)
        for i, entry in enumerate(self.log):
            if int(entry["q"]) >= target and entry["kind"] != str(Kind.BRIEFING):
                cut = i
                break
        # Keep the news acknowledgement of the target quarter out: the game stops at its news.
        return replay(self.config, self.log[:cut], self.scenario, self.on_step)

    # -- records ---------------------------------------------------------------------
    def to_record(self) -> GameRecord:
        """The log as an engine GameRecord (for games without injected events)."""
        rec = GameRecord(self.game.scenario.id, self.game.hash, self.config.seed, 0, 1)
        e = self.game.n_events
        pending_q: set[int] = set()
        for entry in self.log:
            kind, role, data = entry["kind"], entry["role"], entry["data"]
            if kind == "inject":
                raise ValueError("a game with injected events has no engine record")
            if kind == str(Kind.EVENT):
                q = int(entry["q"])
                if q not in pending_q:
                    pending_q.add(q)
                    for r in (CMO, CTO):
                        rec.actions[r].append({"events": [[0] * e]})
                picks = rec.actions[role][-1]["events"][0]
                for k, v in data.items():
                    picks[int(k)] = int(v)
            elif kind == str(Kind.TALK):
                rec.actions[role].append({"talk": data})
            elif kind == str(Kind.PROPOSE):
                rec.actions[role].append({"propose": data})
            elif kind == str(Kind.RESPOND):
                rec.actions[role].append({"respond": [bool(data)]})
            elif kind == str(Kind.AFTERMATH):
                rec.actions[role].append({"aftermath": data})
        return rec

    def role_title(self, role: int) -> str:
        return ROLES[role].upper()


def decode(kind: str, data: Any) -> Decision:
    """A logged decision back into the object `submit` takes."""
    if kind == str(Kind.EVENT):
        return {int(k): int(v) for k, v in dict(data).items()}
    if kind == str(Kind.TALK):
        return Talk.from_dict(data)
    if kind == str(Kind.PROPOSE):
        return Plan.from_dict(data)
    if kind == str(Kind.RESPOND):
        return bool(data)
    if kind == str(Kind.AFTERMATH):
        return Aftermath.from_dict(data)
    return None


def replay(config: GameConfig, log: list[dict[str, Any]], scenario: Scenario | None = None,
           on_step: Callable[[LiveGame], None] | None = None, warm_ai: bool = True) -> LiveGame:
    """Rebuild a game from its log. AI players are asked again (so their memory matches)
    but the logged decision is the one applied. A log that does not fit raises StepError."""
    g = LiveGame(config, scenario, on_step)
    g._replaying = True
    try:
        for i, entry in enumerate(log):
            kind = str(entry["kind"])
            if kind == "inject":
                g.inject_event(str(entry["data"]))
                continue
            if entry.get("auto"):
                continue  # re-created by the step machine itself
            s = g.step
            if str(s.kind) != kind or s.role != entry.get("role") or s.quarter != int(entry["q"]):
                raise StepError(f"saved game out of step at entry {i}: the log says {kind} "
                                f"(Q{entry['q']}), the game is at {s.kind} (Q{s.quarter})")
            if warm_ai and g.awaits_ai:
                g.ai_decide()
            g.submit(decode(kind, entry["data"]))
    finally:
        g._replaying = False
    return g


def new_game(config: GameConfig, on_step: Callable[[LiveGame], None] | None = None,
             scenario: Scenario | None = None) -> LiveGame:
    return LiveGame(config, scenario, on_step)


def scenario_file(ref: str) -> Path:
    return resolve(ref)


__all__ = ["DEMO", "SOLO", "WORKSHOP", "Decision", "GameConfig", "LiveGame", "StepError",
           "new_game", "replay"]
