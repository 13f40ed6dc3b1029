"""The story of a game in words: what happened each phase, and which moments were key.

Moments are read from the difference between the state before and after each
engine call, so they need no second copy of the rules. Only what both players
can know goes in while the game runs: a go-around enters the story when it is
discovered, never when it is made.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.engine.actions import Aftermath
from game.engine.aftermath import needs_response
from game.engine.constants import (
    ACT_BLAMED,
    ACT_OWNED,
    ACT_SHARED_CREDIT,
    ACT_TOOK_CREDIT,
    BLAME,
    BREACH,
    BROKEN_PROMISE,
    CHALLENGED,
    CIRCUMSTANCES,
    CMO,
    CTO,
    DENY,
    FAILED,
    GOAROUND_FOUND,
    HACK_WEEK,
    HIRE_LIAISON,
    ONE_ON_ONE,
    OUTAGE,
    OWN,
    OWNER_JOINT,
    PROMISE,
    PROMISE_FUND,
    ROADMAP_REVIEW,
    ROLE_TITLES,
    SHARE_INTEL,
    SUCCESS,
    TAKE_CREDIT,
)
from game.engine.game import Game
from game.engine.state import State

GOOD = "good"
BAD = "bad"
NEUTRAL = "neutral"

PUBLIC_MOVES = {
    SHARE_INTEL: "shared private intel", ONE_ON_ONE: "asked for a one-on-one",
    ROADMAP_REVIEW: "called a joint roadmap review", HACK_WEEK: "ran a hack week",
    HIRE_LIAISON: "hired a marketing technologist", PROMISE: "made a promise",
}
OWNER_WORDS = ("the CMO", "the CTO", "both, jointly")
ANSWER_WORDS = {OWN: ("owned", GOOD, 0.4),
                CIRCUMSTANCES: ("blamed circumstances for", NEUTRAL, 0.2),
                BLAME: ("blamed the other side for", BAD, 0.6), DENY: ("denied", BAD, 0.7)}
"""What an answer to the board sounds like in the story, its tone and its weight."""
INCIDENT_WORDS = {OUTAGE: "the outage", BREACH: "the security breach",
                  GOAROUND_FOUND: "the discovered go-around",
                  BROKEN_PROMISE: "the broken promise"}
OUTCOME_WORDS = {SUCCESS: "succeeded", CHALLENGED: "was challenged", FAILED: "failed"}


@dataclass(frozen=True)
class Moment:
    """One line of the story."""

    quarter: int
    kind: str
    text: str
    tone: str = NEUTRAL
    weight: float = 0.0      # how much it matters, for picking the key moments
    key: str = ""            # a headline label when it is one of the key moments


class Timeline:
    """Collects moments as the game steps; the debrief picks the key ones."""

    def __init__(self, game: Game) -> None:
        self.game = game
        self.moments: list[Moment] = []
        self._first_goaround = False
        self._first_joint_win = False

    def _add(self, m: Moment) -> None:
        self.moments.append(m)

    def quarter(self, q: int) -> list[Moment]:
        return [m for m in self.moments if m.quarter == q]

    # -- phases ----------------------------------------------------------------------
    def news(self, before: State, after: State) -> None:
        q = after.quarter
        for k in np.flatnonzero(after.fired_q[0]):
            ev = self.game.scenario.events[int(k)]
            self._add(Moment(q, "news", ev.title, NEUTRAL, 0.2))

    def choices(self, before: State, after: State) -> None:
        q = after.quarter
        for k in np.flatnonzero(after.fired_q[0]):
            ev = self.game.scenario.events[int(k)]
            pick = int(after.choice[0, k])
            if ev.choices and pick >= 0 and before.pending_choice[0, k]:
                who = ROLE_TITLES[int(self.game.event_chooser[k])]
                self._add(Moment(q, "choice", f"{ev.title}: the {who} chose "
                                 f"'{ev.choices[pick].label}'", NEUTRAL, 0.55,
                                 "A choice on the news"))

    def injected(self, before: State, after: State, k: int) -> None:
        ev = self.game.scenario.events[k]
        self._add(Moment(after.quarter, "news", f"{ev.title} (called by the facilitator)",
                         NEUTRAL, 0.3))

    def talk(self, before: State, after: State) -> None:
        q = after.quarter
        for role in (CMO, CTO):
            done = [PUBLIC_MOVES[m] for m in PUBLIC_MOVES if after.moves[0, role, m]]
            if done:
                self._add(Moment(q, "talk", f"{ROLE_TITLES[role]} " + ", ".join(done),
                                 GOOD, 0.1))
            if after.moves[0, role, PROMISE]:
                self._add(Moment(q, "promise", self._promise_text(after, role), NEUTRAL, 0.3))
        self._discoveries(before, after)
        frozen = np.flatnonzero(after.frozen[0])
        for j in frozen:
            title = self.game.scenario.projects[int(j)].title
            self._add(Moment(q, "freeze", f"A 'standards review' held up {title}", BAD, 0.4))

    def _promise_text(self, st: State, role: int) -> str:
        j = int(st.promise_project[0, role])
        title = self.game.scenario.projects[j].title if 0 <= j < self.game.n_projects else "?"
        if int(st.promise_kind[0, role]) == PROMISE_FUND:
            return f"{ROLE_TITLES[role]} promised to fund {title} next quarter"
        return f"{ROLE_TITLES[role]} promised to deliver {title} by Q{int(st.promise_due[0, role])}"

    def _discoveries(self, before: State, after: State) -> None:
        q = after.quarter
        for role in (CMO, CTO):
            if after.discovered[0, role] > before.discovered[0, role]:
                what = ("bought marketing tools behind IT's back" if role == CMO
                        else "froze a marketing project on 'standards'")
                key = ""
                if not self._first_goaround:
                    self._first_goaround = True
                    key = "The first go-around"
                self._add(Moment(q, "goaround", f"Discovered: the {ROLE_TITLES[role]} {what}",
                                 BAD, 1.0, key))
            for name, kept_or_broken, tone in (("kept", after.kept, GOOD),
                                               ("broke", after.broken, BAD)):
                prev = before.kept if name == "kept" else before.broken
                if kept_or_broken[0, role] > prev[0, role]:
                    self._add(Moment(q, "promise", f"{ROLE_TITLES[role]} {name} a promise", tone,
                                     0.6 if name == "kept" else 0.9,
                                     "A promise kept" if name == "kept" else "A promise broken"))

    def budget(self, before: State, after: State) -> None:
        q = after.quarter
        if after.deadlock[0]:
            self._add(Moment(q, "deadlock", "No deal: the CEO imposed the budget", BAD, 0.8,
                             "Deadlock"))
            return
        funded = [self.game.scenario.projects[int(j)].title
                  for j in np.flatnonzero(after.plan_fund[0])]
        text = "Budget agreed" + (": " + ", ".join(funded) if funded else ", no new projects")
        self._add(Moment(q, "deal", text, GOOD, 0.2))
        self._discoveries(before, after)

    def execution(self, before: State, after: State) -> None:
        q = after.quarter
        for j in (int(x) for x in np.flatnonzero(after.outcome_q[0])):
            st = int(after.status[0, j])
            owner = int(after.owner[0, j])
            card = self.game.scenario.projects[j]
            text = f"{card.title} ({OWNER_WORDS[owner]}) {OUTCOME_WORDS.get(st, 'ended')}"
            key = ""
            weight = 0.3
            tone = NEUTRAL
            if st == SUCCESS:
                tone = GOOD
                if owner == OWNER_JOINT:
                    weight = 0.8 + 0.1 * card.cost
                    if not self._first_joint_win:
                        self._first_joint_win = True
                        key = "The joint win"
            elif st == FAILED:
                tone = BAD
                weight = 0.7 + 0.2 * card.cost
            self._add(Moment(q, "project", text, tone, weight, key))
        inc = after.incident[0]
        if inc[CTO, OUTAGE]:
            self._add(Moment(q, "incident", "An outage took the platform down", BAD, 0.7))
        if inc[:, BREACH].any():
            who = " through shadow tools" if inc[CMO, BREACH] else ""
            self._add(Moment(q, "incident", f"A security breach{who}", BAD, 0.9))
        self._discoveries(before, after)
        change = float(after.revenue[0] / max(before.revenue[0], 1e-9) - 1.0)
        tone = GOOD if change > 0.005 else BAD if change < -0.005 else NEUTRAL
        self._add(Moment(q, "revenue", f"Revenue {change:+.1%} this quarter", tone, 0.05))

    def aftermath(self, before: State, after: State,
                  answers: dict[int, Aftermath] | None = None) -> None:
        """What each told the board: every answer to every finished project and incident
        when the `answers` are given (a denial and a broken promise's answer included),
        else the acts the answers added up to."""
        q = after.quarter
        if answers is not None:
            self._answers(before, after, answers)
            return
        words = ((ACT_BLAMED, "blamed the other side", BAD, 0.6),
                 (ACT_TOOK_CREDIT, "took the credit", BAD, 0.5),
                 (ACT_OWNED, "owned a miss", GOOD, 0.4),
                 (ACT_SHARED_CREDIT, "shared the credit", GOOD, 0.3))
        for role in (CMO, CTO):
            for act, text, tone, w in words:
                if after.acts[0, role, act] and not before.acts[0, role, act]:
                    self._add(Moment(q, "aftermath", f"{ROLE_TITLES[role]} {text}", tone, w))

    def _answers(self, before: State, after: State, answers: dict[int, Aftermath]) -> None:
        q = after.quarter
        titles = [p.title for p in self.game.scenario.projects]
        for role in (CMO, CTO):
            ans = answers.get(role)
            if ans is None:
                continue
            who = ROLE_TITLES[role]
            projects, incidents = needs_response(self.game, before, role)
            for j in (int(x) for x in np.flatnonzero(projects[0])):
                a = int(ans.project[0, j])
                if int(before.status[0, j]) == SUCCESS:
                    took = a == TAKE_CREDIT
                    verb = "took the credit for" if took else "shared the credit for"
                    self._add(Moment(q, "aftermath", f"{who} {verb} {titles[j]}",
                                     BAD if took else GOOD, 0.5 if took else 0.3))
                else:
                    text, tone, w = ANSWER_WORDS[a]
                    self._add(Moment(q, "aftermath", f"{who} {text} {titles[j]}", tone, w))
            for k in (int(x) for x in np.flatnonzero(incidents[0])):
                text, tone, w = ANSWER_WORDS[int(ans.incident[0, k])]
                a = int(ans.incident[0, k])
                key = "A denial" if a == DENY else ""
                self._add(Moment(q, "aftermath", f"{who} {text} {INCIDENT_WORDS[k]}", tone,
                                 w + (0.3 if a == DENY else 0.0), key))

    def board(self, before: State, after: State) -> None:
        q = after.quarter
        for role in (CMO, CTO):
            if after.replacements[0, role] > before.replacements[0, role]:
                self._add(Moment(q, "replaced",
                                 f"The board replaced the {ROLE_TITLES[role]}", BAD, 1.0,
                                 f"The {ROLE_TITLES[role]} is replaced"))
        if (after.trust[0] - after.hist_trust[0, q - 1]).min() < -0.08:
            self._add(Moment(q, "trust", "Trust fell sharply this quarter", BAD, 0.6))

    # -- the debrief -----------------------------------------------------------------
    def key_moments(self, limit: int = 8) -> list[Moment]:
        """The moments a debrief should talk about: the first go-around, the big
        failure, the joint win, promises, replacements, deadlocks."""
        picked: list[Moment] = [m for m in self.moments if m.key]
        failures = [m for m in self.moments if m.kind in ("project", "incident") and m.tone == BAD]
        if failures:
            worst = max(failures, key=lambda m: m.weight)
            picked.append(Moment(worst.quarter, worst.kind, worst.text, BAD, worst.weight,
                                 "The big failure"))
        seen: set[tuple[int, str, str]] = set()
        unique: list[Moment] = []
        for m in sorted(picked, key=lambda m: (-m.weight, m.quarter)):
            sig = (m.quarter, m.kind, m.key)
            if sig in seen or any(u.text == m.text and u.key == m.key for u in unique):
                continue
            seen.add(sig)
            unique.append(m)
        # One of each headline first, then the rest by weight.
        first: dict[str, Moment] = {}
        for m in unique:
            first.setdefault(m.key, m)
        rest = [m for m in unique if first.get(m.key) is not m]
        chosen = list(first.values()) + rest
        return sorted(chosen[:limit], key=lambda m: m.quarter)
