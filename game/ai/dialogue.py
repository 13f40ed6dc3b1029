"""What the AI says: one line in character for each decision, from templates kept as data.

Templates live in `data/lines.yaml` by voice (a personality) and situation, with
placeholders such as {project} or {amount} filled from the actual decision. A
template is only used when every placeholder it names has a value, so a line
always names the concrete project, number or event it is about. A scenario adds
lines under `ai.lines`, keyed `situation` (every voice) or `voice.situation`.

The explain_* functions turn a decision the AI just took into those slots. They
read who speaks (`Speaker`), what it remembers (`Mind`) and the values it decided
by, and return what is said and why (`Said`); the counterpart keeps the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from game.ai.memory import AROUND, BLAMED, BROKEN, KEPT, OWNED, SHARED_CREDIT, TOOK, Mind
from game.ai.personalities import DATA
from game.engine.actions import Aftermath, Plan, Talk
from game.engine.constants import (
    BLAME,
    BREACH,
    BROKEN_PROMISE,
    CIRCUMSTANCES,
    DENY,
    GO_AROUND,
    GOAROUND_FOUND,
    HACK_WEEK,
    HIRE_LIAISON,
    MOVES,
    ONE_ON_ONE,
    OUTAGE,
    OWN,
    OWNER_JOINT,
    PROMISE,
    PROMISE_DELIVER,
    ROADMAP_REVIEW,
    ROLE_TITLES,
    SHARE_INTEL,
    SUCCESS,
    TAKE_CREDIT,
)
from game.engine.game import Game
from game.engine.observation import Observation
from game.scenario.lines import DEFAULT_VOICE, PLACEHOLDERS, SITUATIONS, placeholders
from game.scenario.models import Personality, Scenario, Strict
from game.scenario.units import money
from game.scenario.yamlsource import load_model

F64 = NDArray[np.float64]
BoolArr = NDArray[np.bool_]

LINES_FILE = DATA / "lines.yaml"
CAP = 2       # times one template may be said in a game: a colleague, not a form letter


class LinesFile(Strict):
    """The built-in lines: voice -> situation -> templates."""

    voices: dict[str, dict[str, list[str]]] = Field(
        description="Templates by voice (a personality name, or 'default') and situation.")
    own_only: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Situations a voice never borrows the default voice's lines for, so it "
                    "keeps its character (a turf warrior never owns a failure warmly).")


@lru_cache(maxsize=1)
def _lines_file() -> LinesFile:
    return load_model(LINES_FILE, LinesFile)


def builtin_lines() -> dict[str, dict[str, list[str]]]:
    return _lines_file().voices


class Lines:
    """The templates one voice speaks, by situation: the scenario's first (an author who
    adds lines wants them heard), then the voice's own, then the default voice's, unless
    the voice keeps that situation to its own."""

    def __init__(self, voice: str, scenario: Scenario | None = None) -> None:
        table = builtin_lines()
        own = table.get(voice, {})
        default = table.get(DEFAULT_VOICE, {})
        keep = set(_lines_file().own_only.get(voice, []))
        extra = scenario.ai.lines if scenario is not None else {}
        self.table: dict[str, list[str]] = {}
        self.tiers: dict[str, tuple[int, int]] = {}   # where its own, then borrowed, begin
        for situation in SITUATIONS:
            scenario_lines = (list(extra.get(f"{voice}.{situation}", []))
                              + list(extra.get(situation, [])))
            mine = scenario_lines + [t for t in own.get(situation, []) if t not in scenario_lines]
            borrowed = [t for t in default.get(situation, []) if t not in mine]
            self.tiers[situation] = (len(scenario_lines), len(mine))
            if not mine or situation not in keep:
                mine += borrowed
            self.table[situation] = mine

    @staticmethod
    def _usable(templates: list[str], slots: dict[str, str]) -> list[str]:
        usable = []
        for t in templates:
            try:
                if placeholders(t) <= slots.keys():
                    usable.append(t)
            except ValueError:
                continue
        return usable

    def template(self, situation: str, rng: np.random.Generator, slots: dict[str, str],
                 used: list[str]) -> str | None:
        """A template for `situation` whose placeholders all have values and that was
        said fewer than CAP times (`used`: every template said this game): one never said
        if there is one, own lines before borrowed ones. None when every one is spent:
        silence rather than a repeat. The caller records the pick."""
        table = self.table.get(situation, [])
        a, b = self.tiers.get(situation, (0, 0))
        for times in range(CAP):
            for tier in (table[:a], table[a:b], table[b:]):
                fresh = [t for t in self._usable(tier, slots) if used.count(t) <= times]
                if fresh:
                    return fresh[int(rng.integers(len(fresh)))]
        return None

    def _pick(self, situation: str, rng: np.random.Generator, slots: dict[str, str],
              used: list[str]) -> str | None:
        template = self.template(situation, rng, slots, used)
        if template is None:
            return None
        used.append(template)
        return template.format_map(slots)

    def say(self, situation: str, rng: np.random.Generator, slots: dict[str, str],
            used: list[str]) -> str | None:
        """A line for `situation`, filled in and capitalised (the pick joins `used`)."""
        text = self._pick(situation, rng, slots, used)
        return None if text is None else text[:1].upper() + text[1:]

    def fragment(self, situation: str, rng: np.random.Generator, slots: dict[str, str],
                 used: list[str]) -> str | None:
        """A clause to put inside another line (reasons, memories), as written."""
        return self._pick(situation, rng, slots, used)


@dataclass(frozen=True, eq=False)
class Speaker:
    """Who speaks, beyond what it remembers: fixed for the whole game."""

    role: int
    game: Game                   # the rules: projects, events, moves, intel
    personality: Personality
    lines: Lines                 # its voice
    titles: tuple[str, ...]      # project titles, by catalogue index
    my_domain: BoolArr           # (P,) projects in its own domain (gray ones included)
    my_share: float              # the share of the budget for campaigns it wants

    @property
    def other(self) -> int:
        return 1 - self.role


@dataclass(frozen=True)
class Said:
    """What a decision came with, and what the AI's memory keeps of the saying."""

    lines: list[str]             # spoken, in order
    reasons: list[str]           # private notes, for the debrief
    recent: list[str]            # every template said this game, this decision's included
    told_news: bool = False      # its pending news was told, so it is forgotten
    announced: bool = False      # it spoke of its own promise falling due
    unlock: str = ""             # a rejection: what would turn it into a yes
    answered: bool = False       # it answered the other's talk moves, so they are forgotten


def _pct(x: float) -> str:
    return f"{100.0 * x:.0f}%"


# -- explaining a decision (one live game) ---------------------------------------------------

class _Speech:
    """One decision's words as they are picked: later picks avoid the templates of
    earlier ones, and the memory changes are gathered for the `Said`."""

    def __init__(self, speaker: Speaker, mind: Mind, obs: Observation,
                 rng: np.random.Generator) -> None:
        self.speaker = speaker
        self.mind = mind
        self.obs = obs
        self.rng = rng
        self.recent = list(mind.recent)
        self.lines: list[str] = []
        self.told_news = False
        self.announced = False
        self.unlock = ""
        self.answered = False
        # Memory clauses are worked out before the line that may use them: each is
        # recorded as said only if the line picked does use it.
        self.held: dict[str, str] = {}

    def slots(self) -> dict[str, str]:
        """Placeholders every line may use."""
        sp = self.speaker
        return {"quarter": f"Q{self.obs.quarter}", "other_role": ROLE_TITLES[sp.other],
                "my_role": ROLE_TITLES[sp.role], "trust": _pct(float(self.mind.tau[0]))}

    def say(self, situation: str, slots: dict[str, str]) -> bool:
        template = self.speaker.lines.template(situation, self.rng, slots, self.recent)
        if template is None:
            return False
        self.recent.append(template)
        used = placeholders(template)
        self.recent += [t for slot, t in self.held.items() if slot in used]
        line = template.format_map(slots)
        self.lines.append(line[:1].upper() + line[1:])
        return True

    def fragment(self, situation: str, slots: dict[str, str]) -> str | None:
        return self.speaker.lines.fragment(situation, self.rng, slots, self.recent)

    def memories(self, slots: dict[str, str], recent: int = 4) -> None:
        """Add {grievance} and {credit}: the latest bad and good things it remembers."""
        situations = {AROUND: "hist_around", BROKEN: "hist_broken", BLAMED: "hist_blamed",
                      TOOK: "hist_took_credit", KEPT: "hist_kept",
                      SHARED_CREDIT: "hist_shared_credit", OWNED: "hist_owned"}
        for slot, kinds in (("grievance", (AROUND, BROKEN, BLAMED, TOOK)),
                            ("credit", (KEPT, SHARED_CREDIT, OWNED))):
            event = self.mind.memory.last(kinds)
            if event is None or event.quarter < self.mind.quarter - recent:
                continue
            fill = dict(slots, quarter=f"Q{max(event.quarter - 1, 1)}")
            if event.project >= 0:
                fill["project"] = self.speaker.titles[event.project]
            template = self.speaker.lines.template(situations[event.kind], self.rng, fill,
                                                   self.recent)
            if template:
                slots[slot] = template.format_map(fill)
                self.held[slot] = template

    def opening(self) -> dict[str, str]:
        """Its news first, then its answer to what the other did in talk; then the slots
        for the decision's own line, memories included."""
        self.news()
        self.answer_talk()
        slots = self.slots()
        self.memories(slots)
        return slots

    def answer_talk(self) -> None:
        """Answer the other's public moves this quarter (a beer, a promise, shared intel),
        once, at its first word after talk; the warmer answer when it cooperates."""
        heard = self.mind.heard
        self.answered = True
        wary = not bool(self.mind.coop[0]) or float(self.mind.tau[0]) < 0.35
        for move, project in heard[:2]:
            slots = self.slots()
            if project >= 0:
                slots["project"] = self.speaker.titles[project]
            slots["move"] = MOVE_WORDS.get(move, move)
            situation = TALK_ANSWERS.get(move, "answer_gesture")
            if not (wary and self.say(situation + "_wary", slots)):
                self.say(situation, slots)

    def news(self) -> None:
        """Tell what became of its own promises since it last spoke."""
        for kind, project in self.mind.news:
            slots = self.slots()
            if project >= 0:
                slots["project"] = self.speaker.titles[project]
            self.say(kind, slots)
        self.told_news = True

    def said(self, reason: str) -> Said:
        return Said(self.lines, [reason], self.recent, self.told_news, self.announced,
                    self.unlock, self.answered)


MOVE_WORDS = {"roadmap_review": "the joint roadmap review", "hack_week": "the hack week",
              "hire_liaison": "the liaison hire", "one_on_one": "the one-on-one",
              "share_intel": "your numbers", "promise": "your promise"}
TALK_ANSWERS = {"one_on_one": "answer_one_on_one", "share_intel": "answer_intel",
                "promise": "answer_promise"}
"""The other's public talk moves the AI answers, and the words for them."""


def explain_event(speaker: Speaker, mind: Mind, obs: Observation, k: int, option: int,
                  rng: np.random.Generator) -> Said:
    sp = _Speech(speaker, mind, obs, rng)
    event = speaker.game.scenario.events[k]
    slots = sp.slots()
    slots["event"] = event.title
    if event.choices:
        slots["option"] = event.choices[min(option, len(event.choices) - 1)].label.lower()
    sp.say("choose_event", slots)
    p = speaker.personality
    return sp.said(f"risk appetite {p.risk_appetite:.2f}, caution {p.caution:.2f}: "
                   f"option {option + 1}")


def _signal(sp: _Speech) -> str | None:
    """A clause on the first of its own signals it can read, with the number."""
    intel = sp.speaker.game.scenario.intel
    for name in getattr(intel, ("cmo", "cto")[sp.speaker.role]).signals:
        x = float(sp.obs.signals[name][0])
        if np.isnan(x):
            continue
        number = _pct(x)
        if name == "demand_trend":
            change = 100.0 * (x - 1.0)
            number = ("flat (under 1%)" if abs(change) < 0.5 else
                      f"{'up' if change > 0 else 'down'} {abs(change):.0f}%")
        text = sp.fragment(f"signal_{name}", {"number": number})
        if text:
            return text
    return None


def explain_talk(speaker: Speaker, mind: Mind, obs: Observation, talk: Talk,
                 rng: np.random.Generator) -> Said:
    sp = _Speech(speaker, mind, obs, rng)
    slots = sp.opening()
    titles = speaker.titles
    mv = talk.moves[0]
    spoke = False
    if mind.memory.defected()[0]:
        spoke = sp.say("hold_grudge" if not mind.coop[0] else "forgive", slots)
    if mv[PROMISE]:
        promise = dict(slots, project=titles[int(talk.promise_project[0])],
                       due=f"Q{int(talk.promise_due[0])}")
        kind = "promise_deliver" if talk.promise_kind[0] == PROMISE_DELIVER else "promise_fund"
        spoke = sp.say(kind, promise) or spoke
    if not spoke:
        signal = _signal(sp) if mv[SHARE_INTEL] else None
        if signal:
            spoke = sp.say("share_intel", dict(slots, signal=signal))
        for m, situation in ((HIRE_LIAISON, "hire_liaison"), (ROADMAP_REVIEW, "roadmap_review"),
                             (HACK_WEEK, "hack_week"), (ONE_ON_ONE, "one_on_one")):
            if spoke or not mv[m]:
                continue
            cost = getattr(speaker.game.scenario.moves, MOVES[m]).cost
            spoke = sp.say(situation, dict(slots, amount=money(cost)))
        if not spoke and mv[GO_AROUND]:
            spoke = sp.say("go_around_cover", slots)
        if not spoke:
            sp.say("hold_back" if mind.tau[0] < 0.4 else "quiet", slots)
    chosen = [MOVES[m] for m in np.flatnonzero(mv)]
    return sp.said(
        f"trust in the {ROLE_TITLES[speaker.other]} {_pct(float(mind.tau[0]))}, "
        f"{'cooperating' if mind.coop[0] else 'answering a defection'}; "
        f"moves: {', '.join(chosen) or 'none'}"
        + (f"; promise meant to be {'kept' if mind.intent_keep[0] else 'broken'}"
           if mv[PROMISE] else ""))


def same_plan(a: Plan, b: Plan) -> bool:
    """Two B = 1 plans fund the same projects, with the same owners and split."""
    return bool(np.array_equal(a.fund, b.fund) and np.array_equal(a.owner, b.owner)
                and np.allclose(a.campaign_share, b.campaign_share))


def _project_list(titles: tuple[str, ...], idx: NDArray[np.intp]) -> str:
    names = [titles[int(j)] for j in idx]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _about(speaker: Speaker, plan: Plan,
           slots: dict[str, str]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Add a plan's {amount}, {share}, {projects} and its largest {project}, a joint one
    if any; returns the funded and the joint projects."""
    titles = speaker.titles
    cost = speaker.game.cost
    fund = plan.fund[0]
    funded = np.flatnonzero(fund)
    joint = np.flatnonzero(fund & (plan.owner[0] == OWNER_JOINT))
    slots["share"] = _pct(float(plan.campaign_share[0]))
    if funded.size:   # "$0k on projects" is no way to say "no projects"
        slots["amount"] = money(float(fund @ cost))
        slots["projects"] = _project_list(titles, funded)
        top = joint if joint.size else funded
        slots["project"] = titles[int(top[np.argmax(cost[top])])]
    return funded, joint


def explain_plan(speaker: Speaker, mind: Mind, obs: Observation, plan: Plan, last: Plan | None,
                 duty: dict[str, Any], rng: np.random.Generator) -> Said:
    """`duty`: its promises falling due (`Counterpart.obligations`)."""
    sp = _Speech(speaker, mind, obs, rng)
    slots = sp.opening()
    titles = speaker.titles
    fund = plan.fund[0]
    funded, joint = _about(speaker, plan, slots)
    slots["number"] = str(len(funded))
    t = int(duty["t_mine"][0])
    if duty["mine"][0]:
        kept = bool(fund[t])
        sp.announced = True
        sp.say("keep_promise" if kept else "break_promise", dict(slots, project=titles[t]))
    if last is not None and same_plan(plan, last):
        # Its "counter" is the plan it was offered: that is a yes, and it says so.
        sp.say("concede", slots) or sp.say("accept", slots)
    elif duty["mine"][0]:
        pass
    elif last is not None and funded.size:
        sp.say("counter", slots)
    elif joint.size:
        wary = "grievance" in slots and mind.tau[0] < 0.5
        sp.say("propose_joint_wary" if wary else "propose_joint", slots)
    else:
        sp.say("propose", slots)
    return sp.said(
        f"stake in joint bets {_pct(float(mind.stake_now[0]))} (trust "
        f"{_pct(float(mind.tau[0]))}); {len(funded)} projects for {slots.get('amount', '$0')}, "
        f"{len(joint)} joint; campaigns {_pct(float(plan.campaign_share[0]))}")


UNLOCK = {
    "reason_priority": "{project} in the plan",
    "reason_turf": "{project} left with the {my_role}'s team",
    "reason_joint_risk": "{project} with a single owner",
    "reason_split_campaigns": "more than {share} to campaigns",
    "reason_split_operations": "less than {share} to campaigns",
    "reason_promise_mine": "{project} in the plan (the {my_role} promised it)",
    "reason_promise_theirs": "{project} in the plan, as you promised",
    "reason_budget": "less than {amount} on projects",
}
"""What would turn a rejection for each reason into a yes, as a noun phrase: the
deadlock warning names it."""


def _reason_for(sp: _Speech, plan: Plan, info: dict[str, Any], val: F64,
                slots: dict[str, str]) -> tuple[str, str] | None:
    """The main reason a plan falls short, as a clause, and what would unlock it;
    `val` (P,) its project values."""
    speaker, obs, mind = sp.speaker, sp.obs, sp.mind
    titles = speaker.titles
    duty = info["duty"]
    ideal: Plan = info["ideal"]
    fund = plan.fund[0]
    options: list[tuple[float, str, dict[str, str]]] = []
    if info["missing"][0]:
        options.append((1e9, "reason_promise_mine",
                        {"project": titles[int(duty["t_mine"][0])]}))
    t = int(duty["t_theirs"][0])
    if duty["theirs"][0] and not fund[t]:
        options.append((1e8, "reason_promise_theirs", {"project": titles[t]}))
    cost = speaker.game.cost
    gap = np.where(ideal.fund[0] & ~fund, val * cost, 0.0)
    mine = speaker.my_domain & fund & (plan.owner[0] == speaker.other)
    risky = fund & (plan.owner[0] == OWNER_JOINT) & (speaker.game.risk >= 0.5)
    split = float(plan.campaign_share[0] - speaker.my_share)
    company_weight = speaker.personality.company_weight
    if gap.max() > 0:
        j = int(np.argmax(gap))
        options.append((float(gap[j]), "reason_priority", {"project": titles[j]}))
    if mine.any() and company_weight < 0.7:
        j = int(np.flatnonzero(mine)[0])
        options.append((0.5 * (1 - company_weight) * float(cost[j]),
                        "reason_turf", {"project": titles[j]}))
    if risky.any() and mind.stake_now[0] < 0.4:
        j = int(np.flatnonzero(risky)[0])
        options.append((0.1 + float(cost[j]) * (0.4 - float(mind.stake_now[0])),
                        "reason_joint_risk", {"project": titles[j]}))
    if abs(split) > 0.1:
        situation = "reason_split_campaigns" if split < 0 else "reason_split_operations"
        options.append((abs(split) * float(obs.available[0]) * 0.3, situation,
                        {"share": _pct(float(plan.campaign_share[0]))}))
    spend = float(fund @ cost)
    if spend > 0.85 * float(obs.available[0]):
        options.append((0.05, "reason_budget", {"amount": money(spend)}))
    options.append((-1.0, "reason_priority", {"project": titles[int(np.argmax(val))]}))
    for _, situation, extra in sorted(options, key=lambda o: -o[0]):
        fill = dict(slots, **extra)
        text = sp.fragment(situation, fill)
        if text:
            return text, UNLOCK[situation].format_map(fill)
    return None


def explain_response(speaker: Speaker, mind: Mind, obs: Observation, plan: Plan,
                     accepted: bool, info: dict[str, Any], values: F64,
                     rng: np.random.Generator) -> Said:
    """`info`: what its answer weighed (duty, its ideal plan, both values); `values` (B, P)
    what each project is worth to it (`Counterpart.values`). A rejection always comes
    with its reason: when every reason clause is spent it says what it is missing plainly."""
    sp = _Speech(speaker, mind, obs, rng)
    slots = sp.opening()
    _about(speaker, plan, slots)
    if accepted:
        grudging = bool(info["value"][0] < info["best"][0] - 0.02) and bool(info["final"])
        sp.say("accept_reluctant" if grudging else "accept", slots) or sp.say("accept", slots)
    else:
        found = _reason_for(sp, plan, info, values[0], slots)
        if found is None:
            reason, sp.unlock = "", ""
        else:
            reason, sp.unlock = found
        if not (reason and sp.say("reject_with_reason", dict(slots, reason=reason))):
            plain = reason or (f"this plan is not worth more to me than no deal"
                               f" in {slots['quarter']}")
            spare = "Not this plan: {reason}." + (" I need {unlock}." if sp.unlock else "")
            sp.recent.append(spare)   # counted like any template
            sp.lines.append(spare.format(reason=plain, unlock=sp.unlock))
    return sp.said(
        f"plan worth {float(info['value'][0]):.2f} to it against {float(info['best'][0]):.2f} "
        f"for its own; {'accepted' if accepted else 'rejected'}")


def explain_aftermath(speaker: Speaker, mind: Mind, obs: Observation, answer: Aftermath,
                      warmth: float, rng: np.random.Generator) -> Said:
    """`warmth`: how warmly it plays this quarter (`Counterpart.warmth`)."""
    sp = _Speech(speaker, mind, obs, rng)
    sp.news()
    titles = speaker.titles
    slots = sp.slots()
    role = speaker.role
    due = obs.outcome_q[0] & ((obs.owner[0] == role) | (obs.owner[0] == OWNER_JOINT))
    status = obs.status[0]
    names = {OUTAGE: f"the {slots['quarter']} outage",
             BREACH: f"the {slots['quarter']} security breach",
             GOAROUND_FOUND: f"the {slots['quarter']} side deal",
             BROKEN_PROMISE: f"the promise that slipped in {slots['quarter']}"}
    said = False
    for j in np.flatnonzero(due & (status != SUCCESS)):
        resp = int(answer.project[0, j])
        situation = {OWN: "own_failure", CIRCUMSTANCES: "circumstances", BLAME: "blame",
                     DENY: "deny"}[resp]
        said = sp.say(situation, dict(slots, project=titles[int(j)]))
        break
    for i in np.flatnonzero(obs.incident[0]):
        if said:
            break
        resp = int(answer.incident[0, i])
        situation = {OWN: "own_incident", CIRCUMSTANCES: "circumstances",
                     BLAME: "blame_incident", DENY: "deny"}[resp]
        said = sp.say(situation, dict(slots, event=names[int(i)]))
    for j in np.flatnonzero(due & (status == SUCCESS)):
        if said:
            break
        situation = "take_credit" if answer.project[0, j] == TAKE_CREDIT else "share_credit"
        said = sp.say(situation, dict(slots, project=titles[int(j)]))
    if not said:
        sp.say("aftermath_quiet", slots)
    p = speaker.personality
    return sp.said(f"warmth {warmth:.2f}, honesty {p.honesty:.2f}, blame {p.blame:.2f}")


RESULT_WORDS = ("results_bad", "results_flat", "results_good")
BOARD_ANSWERS = (("blamed", "answer_blame"), ("denied", "answer_deny"),
                 ("took_credit", "answer_took_credit"), ("owned", "answer_owned"),
                 ("shared_credit", "answer_shared_credit"))
"""The other's answers to the board the AI reacts to, most pointed first."""


def react(speaker: Speaker, mind: Mind, obs: Observation, view: str, did: dict[str, int],
          change: float, rng: np.random.Generator) -> Said:
    """What it says at a public view, where a colleague would speak up.

    `view` "results": the quarter's revenue `change` and the project that made or
    broke it; "board": the other's answers to the board, which `did` names with the
    project each was about (-1 for none), e.g. {"blamed": 3}: "You blamed me for
    the email journey in Q2".
    """
    sp = _Speech(speaker, mind, obs, rng)
    slots = sp.slots()
    titles = speaker.titles
    done = np.flatnonzero(obs.outcome_q[0])
    if view == "results":
        band = 0 if change < -0.005 else 2 if change > 0.005 else 1
        slots["number"] = f"{100.0 * change:+.1f}%"
        status = obs.status[0]
        pick = [j for j in done if (status[j] == SUCCESS) == (band == 2)]
        if pick:
            slots["project"] = titles[int(max(pick, key=lambda j: speaker.game.cost[j]))]
        sp.say(RESULT_WORDS[band], slots)
    else:
        for act, situation in BOARD_ANSWERS:
            if act not in did:
                continue
            fill = dict(slots)
            if did[act] >= 0:
                fill["project"] = titles[did[act]]
            if sp.say(situation, fill):
                break
        else:
            sp.say("board_quiet", slots)
    return sp.said(f"{view}: " + (", ".join(did) or "nothing to answer"))


__all__ = [
    "PLACEHOLDERS", "SITUATIONS", "Lines", "Said", "Speaker", "builtin_lines",
    "explain_aftermath", "explain_event", "explain_plan", "explain_response", "explain_talk",
    "placeholders", "react", "same_plan",
]
