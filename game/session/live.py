"""One live game (B = 1): the engine's driver, with people and AIs in the seats.

The driver knows the order of a quarter and stops at every decision and public
view; this class adds what only a session has (briefings before the first
quarter, who sits where, what the AI said, the timeline of moments) and keeps
the game's record: every decision, acknowledgement and facilitator injection,
in the engine's one record format. Replaying the record reproduces the game
exactly (saves, Continue, undo) without asking an AI again: an AI's decisions
carry what it said and what it remembered, and a replay restores that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, cast

import numpy as np
from numpy.typing import NDArray

from game.ai.dialogue import same_plan
from game.engine.actions import Aftermath, Plan, Talk
from game.engine.aftermath import needs_response
from game.engine.constants import (
    BLAME,
    CMO,
    CTO,
    DENY,
    MOVES,
    OWN,
    PROMISE,
    ROLE_TITLES,
    SHARE_CREDIT,
    SUCCESS,
    TAKE_CREDIT,
)
from game.engine.driver import Driver, Need, Policy, Request, begin
from game.engine.game import Game, compile_game
from game.engine.observation import Observation, observe
from game.engine.portfolio import sanitize
from game.engine.record import INJECT, GameRecord, decode, entry
from game.engine.state import State
from game.scenario.catalog import resolve
from game.scenario.loader import load_scenario
from game.scenario.models import Scenario
from game.session import seats as seats_mod
from game.session.modes import DEMO, MODES, SOLO, WORKSHOP
from game.session.seats import Seat
from game.session.steps import Kind, Step
from game.session.timeline import Moment, Timeline

I64 = NDArray[np.int64]


Decision = dict[int, int] | Talk | Plan | bool | Aftermath | None
"""Event picks (event index -> option), talk, a proposal, an answer, responses, or an ack."""


SPOKEN_MOVES = ("one_on_one", "share_intel", "promise", "roadmap_review", "hack_week",
                "hire_liaison")
"""The public talk moves an AI answers (a go-around is never public when made)."""


class Speaks(Protocol):
    """An AI that speaks beyond its decisions (the counterpart)."""

    def hear(self, moves: list[tuple[str, int]]) -> None: ...

    def react(self, obs: Observation, view: str, did: dict[str, int],
              change: float) -> list[str]: ...


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


class Remembers(Protocol):
    """An AI whose memory is data: saved with each decision, restored on replay."""

    def snapshot(self) -> dict[str, Any]: ...

    def restore(self, data: dict[str, Any]) -> None: ...


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
        self.record = GameRecord(self.game.scenario.id, self.game.hash, config.seed)
        self.log: list[dict[str, Any]] = self.record.entries
        self.timeline = Timeline(self.game)
        self.driver = Driver(self.game, self.state, views=True, listener=self._heard)
        self.on_step = on_step
        self.policies: dict[int, Policy] = {
            r: seats_mod.make_ai(s, self.game, r, config.seed)
            for r, s in enumerate(config.seats) if not s.human}
        for pol in self.policies.values():
            bind = getattr(pol, "bind", None)
            if callable(bind):  # counterparts look ahead from the live state (B = 1)
                bind(self.state)
        self.said: dict[int, list[str]] = {CMO: [], CTO: []}
        self.sticking: dict[int, str] = {}   # this quarter: what would turn a role's no to yes
        self.heard: dict[int, list[tuple[str, int]]] = {}   # this quarter's talk, per AI
        self.paused = False
        self._replaying = False
        self._to_brief = [r for r in (CMO, CTO) if config.seats[r].human]
        self._step = Step(Kind.END, None, 0)
        self._settle()

    # -- reading ---------------------------------------------------------------------
    @property
    def step(self) -> Step:
        return self._step

    @property
    def request(self) -> Request | None:
        """The engine's request behind the current step (None at a briefing or the end)."""
        return None if self._to_brief else self.driver.request()

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

    def player_name(self, role: int) -> str:
        """Who sits in `role`, as the screens and the debrief's exports name them."""
        seat = self.seat(role)
        title = ROLE_TITLES[role]
        if seat.human:
            return f"{seat.name} ({title})" if seat.name and seat.name != title else title
        who = seats_mod.title_of(seat.policy, self.scenario)
        return f"{seat.name or who} ({title}, AI)"

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
        return self.driver.progress.offer

    @property
    def last_proposal(self) -> Plan | None:
        """The plan turned down last round (a starting point for the counter)."""
        return self.driver.progress.last

    @property
    def negotiation(self) -> list[tuple[int, Plan, bool]]:
        """This quarter's proposals so far: (proposer, plan, accepted)."""
        return [(who, plan, bool(ok[0])) for who, plan, ok in self.driver.progress.history]

    @property
    def quarter_change(self) -> float:
        """This quarter's revenue change as a fraction of last quarter's revenue (what the
        results show, and what the AI speaks of there)."""
        prev = float(self.quarter_start.revenue[0])
        return float(self.state.revenue[0]) / max(prev, 1e-9) - 1.0

    @property
    def accepts_as_counter(self) -> bool:
        """The plan on the table is the one its proposer turned down last round, unchanged:
        the engine's protocol makes that a counter, but it is a yes, and is shown as one."""
        offer = self.driver.progress.offer
        return offer is not None and self.repeats_last(offer)

    def repeats_last(self, plan: Plan) -> bool:
        """`plan`, as the engine would put it on the table, is the plan turned down last
        round: a proposal that agrees."""
        last = self.driver.progress.last
        return last is not None and same_plan(sanitize(self.game, self.state, plan), last)

    @property
    def rounds(self) -> int:
        return self.game.scenario.budget.negotiation_rounds

    @property
    def last_round(self) -> bool:
        return int(self.state.round) >= self.rounds - 1

    def event_choices(self, role: int) -> list[int]:
        """Indices of this quarter's events waiting for `role` to choose."""
        pending = self.state.pending_choice[0]
        return [int(k) for k in np.flatnonzero(pending) if int(self.game.event_chooser[k]) == role]

    @property
    def moments(self) -> list[Moment]:
        return self.timeline.moments

    def needs_response(self, role: int) -> bool:
        projects, incidents = needs_response(self.game, self.state, role)
        return bool(projects.any() or incidents.any())

    # -- acting ----------------------------------------------------------------------
    def ai_decide(self) -> Decision:
        """Ask the AI in the current seat for its decision (not yet applied)."""
        s = self._step
        req = self.request
        if not self.awaits_ai or s.role is None or req is None:
            raise StepError(f"no AI decision is due at {s.kind}")
        pol = self.policies[s.role]
        decision = pol.decide(self.observe(s.role), req)
        self.said[s.role] = seats_mod.said(pol)
        if req.kind == Need.RESPOND:
            unlock = str(getattr(pol, "unlock", "") or "")
            if unlock and not bool(np.asarray(decision).reshape(-1)[0]):
                self.sticking[s.role] = unlock
        if req.kind == Need.EVENT:
            picks = np.asarray(decision, dtype=np.int64).reshape(1, -1)
            return {k: int(picks[0, k]) for k in self.event_choices(s.role)}
        if req.kind == Need.RESPOND:
            return bool(np.asarray(decision).reshape(-1)[0])
        result: Decision = decision
        return result

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

    def play_out(self) -> None:
        """Acknowledge every view and let the AIs take every decision to the end: a game
        with AIs in both seats (tests, benchmarks)."""
        while not self.done:
            if self._step.is_view:
                self.acknowledge()
            else:
                self.advance_ai()

    def submit(self, decision: Decision) -> None:
        """Apply the decision for the current step, log it, and move to the next step."""
        self._submit(decision)

    def _submit(self, decision: Decision, carried: dict[str, Any] | None = None) -> None:
        """`submit`, with what a replayed AI decision carries (its words, its memory)."""
        s = self._step
        if s.kind == Kind.END:
            raise StepError("the game is over")
        if s.is_view and decision is not None:
            raise StepError(f"{s.kind} is acknowledged, not decided")
        if s.kind == Kind.BRIEFING:
            self._to_brief.pop(0)
            self.log.append({"q": 0, "kind": str(Kind.BRIEFING), "role": s.role, "data": None})
        else:
            self._apply(self._engine_form(s, decision), carried)
        self._settle()
        if self.on_step is not None and not self._replaying:
            self.on_step(self)

    def _engine_form(self, s: Step, decision: Decision) -> Any:
        """The decision as the engine takes it (the UI's forms are friendlier)."""
        if s.kind == Kind.EVENT:
            if not isinstance(decision, dict):
                raise StepError("an event choice is a mapping of event to option")
            picks = np.zeros((1, self.game.n_events), dtype=np.int64)
            for k, opt in decision.items():
                k, opt = int(k), int(opt)
                if not 0 <= k < self.game.n_events:
                    raise StepError(f"no event {k} in this scenario")
                if not 0 <= opt < max(len(self.game.choice_effects[k]), 1):
                    raise StepError(f"event {k} has no option {opt}")
                picks[0, k] = opt
            return picks
        if s.kind == Kind.RESPOND:
            if not isinstance(decision, bool | np.bool_):
                raise StepError("an answer is True (accept) or False (counter)")
            return np.array([bool(decision)])
        want = {Kind.TALK: Talk, Kind.PROPOSE: Plan, Kind.AFTERMATH: Aftermath}.get(s.kind)
        if want is not None and not isinstance(decision, want):
            raise StepError(f"{s.kind} needs a {want.__name__}")
        return decision

    def _apply(self, decision: Any, carried: dict[str, Any] | None) -> None:
        try:
            req = self.driver.apply(decision)
        except ValueError as e:
            raise StepError(str(e)) from None
        item = entry(req, decision)
        role = req.role
        if carried is not None:
            item.update(carried)
        elif role is not None and role in self.policies:
            item["said"] = list(self.said[role])
            if req.kind == Need.RESPOND and role in self.sticking:
                item["unlock"] = self.sticking[role]
            remembers = self.policies[role]
            if hasattr(remembers, "snapshot"):
                item["mind"] = cast(Remembers, remembers).snapshot()
        elif req.kind in (Need.RESULTS, Need.BOARD) and not self._replaying:
            # What the AIs said at the view, and the memory of saying it, for a replay.
            spoke = {r: p for r, p in self._speakers().items() if self.said[r]}
            if spoke:
                item["said_by"] = {str(r): list(self.said[r]) for r in spoke}
                item["minds"] = {str(r): cast(Remembers, p).snapshot()
                                 for r, p in spoke.items() if hasattr(p, "snapshot")}
        self.log.append(item)

    def _settle(self) -> None:
        """Work out the step now; a human with nothing to answer for is not asked."""
        while True:
            if self._to_brief:
                self._step = Step(Kind.BRIEFING, self._to_brief[0], 0)
                return
            req = self.driver.request()
            if req is None:
                self._step = Step(Kind.END, None, self.quarter)
                return
            self._step = Step(Kind(str(req.kind)), req.role, req.quarter, req.round)
            if self._step.kind in (Kind.RESULTS, Kind.BOARD) and not self._replaying:
                self._react(self._step.kind)
            role = req.role
            if req.kind != Need.AFTERMATH or role is None or not self.is_human(role) or (
                    self.needs_response(role)):
                return
            default = Aftermath.default(1, self.game.n_projects)
            self.driver.apply(default)
            self.log.append(dict(entry(req, default), auto=True))

    def _speakers(self) -> dict[int, Speaks]:
        return {r: cast(Speaks, p) for r, p in self.policies.items()
                if hasattr(p, "react") and hasattr(p, "hear")}

    def _react(self, view: Kind) -> None:
        """An AI speaks up at a public view: the results, and the board, where it answers
        the other's answers. Its words are what it said last (the view shows them)."""
        change = self.quarter_change
        for role, ai in self._speakers().items():
            did = self.answers_given(1 - role) if view == Kind.BOARD else {}
            self.said[role] = ai.react(self.observe(role), str(view), did, change)

    def answers_given(self, role: int) -> dict[str, int]:
        """What `role` told the board this quarter: "blamed", "took_credit", "owned",
        "shared_credit", "denied", each with the project it was about (-1: an incident)."""
        given = [item for item in self.log if item["kind"] == str(Need.AFTERMATH)
                 and item.get("role") == role and int(item["q"]) == self.quarter]
        if not given:
            return {}
        ans = cast(Aftermath, decode(Need.AFTERMATH, given[-1]["data"]))
        projects, incidents = needs_response(self.game, self.state, role)
        st = self.state
        out: dict[str, int] = {}
        for j in (int(x) for x in np.flatnonzero(projects[0])):
            a = int(ans.project[0, j])
            ok = int(st.status[0, j]) == SUCCESS
            name = ({TAKE_CREDIT: "took_credit", SHARE_CREDIT: "shared_credit"} if ok else
                    {BLAME: "blamed", OWN: "owned", DENY: "denied"}).get(a)
            if name:
                out.setdefault(name, j)
        for k in (int(x) for x in np.flatnonzero(incidents[0])):
            name = {BLAME: "blamed", OWN: "owned", DENY: "denied"}.get(int(ans.incident[0, k]))
            if name:
                out.setdefault(name, -1)
        return out

    def _heard(self, phase: str, before: State, after: State) -> None:
        """The driver ran an automatic phase: the timeline turns it into moments."""
        if phase == "news":
            self.quarter_start = before
            self.said = {CMO: [], CTO: []}
            self.sticking = {}
            self.heard = {}
            self.timeline.news(before, after)
        elif phase == "choices":
            self.timeline.choices(before, after)
        elif phase == "talk":
            self.timeline.talk(before, after)
            for role, ai in self._speakers().items():
                other = 1 - role
                self.heard[role] = [
                    (MOVES[m], int(after.promise_project[0, other]) if m == PROMISE else -1)
                    for m in range(len(MOVES))
                    if MOVES[m] in SPOKEN_MOVES and after.moves[0, other, m]]
                ai.hear(self.heard[role])
        elif phase == "budget":
            self.timeline.budget(before, after)
        elif phase == "execution":
            self.timeline.execution(before, after)
        elif phase == "aftermath":
            self.timeline.aftermath(before, after, dict(self.driver.progress.answers))
        elif phase == "board":
            self.timeline.board(before, after)

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
        self.log.append({"q": self.quarter, "kind": INJECT, "role": None, "data": event_id})
        if self.on_step is not None and not self._replaying:
            self.on_step(self)

    def _inject(self, k: int) -> None:
        before = self.state.copy()
        self.driver.inject(k)
        self.timeline.injected(before, self.state, k)

    def undo_target(self) -> int:
        """The quarter undo goes back to: the last one the board closed (else the first)."""
        closed = self.quarter if self._step.kind in (Kind.BOARD, Kind.END) else self.quarter - 1
        return max(1, closed)

    def undo_quarter(self) -> LiveGame:
        """A new game replayed from the log up to the start of the last closed quarter."""
        target = self.undo_target()
        cut = len(self.log)
        for i, item in enumerate(self.log):
            if int(item["q"]) >= target and item["kind"] != str(Kind.BRIEFING):
                cut = i
                break
        # Keep the news acknowledgement of the target quarter out: the game stops at its news.
        return replay(self.config, self.log[:cut], self.scenario, self.on_step)


def replay(config: GameConfig, log: list[dict[str, Any]], scenario: Scenario | None = None,
           on_step: Callable[[LiveGame], None] | None = None) -> LiveGame:
    """Rebuild a game from its record. No AI is asked: each AI takes back the memory its
    last decision left, and its last words. A record that does not fit raises StepError."""
    replayer = Replayer(config, scenario, on_step)
    replayer.feed(log)
    return replayer.finish()


class Replayer:
    """A game rebuilt from its record piece by piece: `replay` feeds a whole record at
    once; a room feeds each pair's new entries as they arrive, so a post costs only its
    own entries, not the whole game again. A piece that does not fit raises (StepError
    for a record out of step; whatever decoding raises for a malformed entry) and leaves
    the game part-way through it: throw the replayer away then."""

    def __init__(self, config: GameConfig, scenario: Scenario | None = None,
                 on_step: Callable[[LiveGame], None] | None = None) -> None:
        self.game = LiveGame(config, scenario, on_step)
        self.fed = 0                 # entries of the record fed so far
        self._minds: dict[int, dict[str, Any]] = {}

    def feed(self, entries: list[dict[str, Any]]) -> LiveGame:
        """Apply the next entries of the record, in order."""
        g = self.game
        g._replaying = True
        try:
            for item in entries:
                self._one(item)
                self.fed += 1
        finally:
            g._replaying = False
        return g

    def _one(self, item: dict[str, Any]) -> None:
        g, i, minds = self.game, self.fed, self._minds
        kind = str(item["kind"])
        if kind == INJECT:
            g.inject_event(str(item["data"]))
            # What the entry carried beside the event (a room's sequence number) stays.
            g.log[-1].update({k: v for k, v in item.items() if k not in g.log[-1]})
            return
        if item.get("auto"):
            return  # re-created by the step machine itself
        s = g.step
        if str(s.kind) != kind or s.role != item.get("role") or s.quarter != int(item["q"]):
            raise StepError(f"saved game out of step at entry {i}: the log says {kind} "
                            f"(Q{item['q']}), the game is at {s.kind} (Q{s.quarter})")
        if s.is_view:
            g.submit(None)
            g.log[-1].update({k: item[k] for k in ("said_by", "minds") if k in item})
            for r, lines in item.get("said_by", {}).items():
                g.said[int(r)] = [str(x) for x in lines]
            for r, mind in item.get("minds", {}).items():
                minds[int(r)] = mind
            return
        role = s.role
        assert role is not None
        carried: dict[str, Any] = {k: item[k] for k in ("said", "mind", "unlock") if k in item}
        if role in g.policies and "mind" not in item:
            # A save from before AI memory was recorded: ask once to rebuild it.
            g.ai_decide()
            carried = {}
        g._submit(_ui_form(s.kind, item.get("data")), carried or None)
        if "said" in item and role in g.policies:
            g.said[role] = [str(x) for x in item["said"]]
        if item.get("unlock"):
            g.sticking[role] = str(item["unlock"])
        if "mind" in item:
            minds[role] = item["mind"]

    def finish(self) -> LiveGame:
        """The game ready to play on: each AI takes back its last memory and words."""
        g = self.game
        for role, mind in self._minds.items():
            pol = g.policies.get(role)
            if pol is not None and hasattr(pol, "restore"):
                cast(Remembers, pol).restore(mind)
        for role, ai in g._speakers().items():
            # Stopped after talk, before it spoke again: it still has the other's moves to
            # answer.
            last = next((it for it in reversed(g.log)
                         if it.get("role") == role and "mind" in it), None)
            if last is not None and last["kind"] == str(Kind.TALK) and role in g.heard and (
                    int(last["q"]) == g.quarter):
                ai.hear(g.heard[role])
        if g.step.kind in (Kind.RESULTS, Kind.BOARD):   # what it says at the view it stopped at
            g._react(g.step.kind)
        return g


def _ui_form(kind: Kind, data: Any) -> Decision:
    """A recorded decision in the form `submit` takes (version 1 saves wrote event picks
    as {event: option} and answers as a bare bool, which are those forms already)."""
    if kind == Kind.EVENT:
        if isinstance(data, dict):
            return {int(k): int(v) for k, v in data.items()}
        picks = np.asarray(data, dtype=np.int64).reshape(1, -1)
        return {k: int(v) for k, v in enumerate(picks[0])}
    if kind == Kind.RESPOND:
        return bool(data if isinstance(data, bool) else np.asarray(data).reshape(-1)[0])
    result: Decision = decode(Need(str(kind)), data)
    return result


__all__ = ["DEMO", "SOLO", "WORKSHOP", "Decision", "GameConfig", "LiveGame", "Replayer",
           "StepError", "replay"]
