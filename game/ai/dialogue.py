"""What the AI says: one line in character for each decision, from templates kept as data.

Templates live in `data/lines.yaml` by voice (a personality) and situation, with
placeholders such as {project} or {amount} filled from the actual decision. A
template is only used when every placeholder it names has a value, so a line
always names the concrete project, number or event it is about. A scenario adds
lines under `ai.lines`, keyed `situation` (every voice) or `voice.situation`.
The explain_* functions turn a decision the AI just took into those slots.
"""

from __future__ import annotations

from collections import deque
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from game.ai.memory import AROUND, BLAMED, BROKEN, KEPT, OWNED, SHARED_CREDIT, TOOK
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
from game.engine.observation import Observation
from game.scenario.lines import DEFAULT_VOICE, PLACEHOLDERS, SITUATIONS, placeholders
from game.scenario.models import Scenario, Strict
from game.scenario.yamlsource import load_model

if TYPE_CHECKING:
    from game.ai.counterpart import Counterpart

LINES_FILE = DATA / "lines.yaml"

class LinesFile(Strict):
    """The built-in lines: voice -> situation -> templates."""

    voices: dict[str, dict[str, list[str]]] = Field(
        description="Templates by voice (a personality name, or 'default') and situation.")


@lru_cache(maxsize=1)
def builtin_lines() -> dict[str, dict[str, list[str]]]:
    return load_model(LINES_FILE, LinesFile).voices


class Lines:
    """The lines one AI speaks, with a short memory so it does not repeat itself."""

    def __init__(self, voice: str, scenario: Scenario | None = None) -> None:
        self.voice = voice
        table = builtin_lines()
        own = table.get(voice, {})
        default = table.get(DEFAULT_VOICE, {})
        extra = scenario.ai.lines if scenario is not None else {}
        self.table: dict[str, list[str]] = {}
        self.fallback: dict[str, list[str]] = {}
        for situation in SITUATIONS:
            mine = list(own.get(situation, [])) + list(extra.get(f"{voice}.{situation}", []))
            if not mine:
                mine = list(default.get(situation, []))
            mine += list(extra.get(situation, []))
            self.table[situation] = mine
            self.fallback[situation] = list(default.get(situation, []))
        self.recent: deque[str] = deque(maxlen=12)

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

    def _pick(self, situation: str, rng: np.random.Generator,
              slots: dict[str, str]) -> str | None:
        usable = (self._usable(self.table.get(situation, []), slots)
                  or self._usable(self.fallback.get(situation, []), slots))
        if not usable:
            return None
        fresh = [t for t in usable if t not in self.recent] or usable
        template = fresh[int(rng.integers(len(fresh)))]
        self.recent.append(template)
        return template.format_map(slots)

    def say(self, situation: str, rng: np.random.Generator, slots: dict[str, str]) -> str | None:
        """A line for `situation`, from a template whose placeholders all have values."""
        text = self._pick(situation, rng, slots)
        return None if text is None else text[:1].upper() + text[1:]

    def fragment(self, situation: str, rng: np.random.Generator,
                 slots: dict[str, str]) -> str | None:
        """A clause to put inside another line (reasons, memories), as written."""
        return self._pick(situation, rng, slots)


def _money(x: float) -> str:
    return f"${1000.0 * x:.0f}k" if x < 0.95 else f"${x:.1f}M"


def _pct(x: float) -> str:
    return f"{100.0 * x:.0f}%"


# -- explaining a decision (one live game) ---------------------------------------------------
# Each explain_* function fills `ai.said` with the line(s) for the decision just taken
# and `ai.reasons` with a private note for the debrief.

def slots_for(ai: Counterpart, obs: Observation) -> dict[str, str]:
    """Placeholders every line may use."""
    return {"quarter": f"Q{obs.quarter}", "other_role": ROLE_TITLES[ai.other],
            "my_role": ROLE_TITLES[ai.role], "trust": _pct(float(ai.tau[0]))}


def add_memories(ai: Counterpart, slots: dict[str, str], rng: np.random.Generator,
                 recent: int = 4) -> None:
    """Add {grievance} and {credit}: the latest bad and good things it remembers."""
    assert ai.memory is not None
    situations = {AROUND: "hist_around", BROKEN: "hist_broken", BLAMED: "hist_blamed",
                  TOOK: "hist_took_credit", KEPT: "hist_kept",
                  SHARED_CREDIT: "hist_shared_credit", OWNED: "hist_owned"}
    for slot, kinds in (("grievance", (AROUND, BROKEN, BLAMED, TOOK)),
                        ("credit", (KEPT, SHARED_CREDIT, OWNED))):
        event = ai.memory.last(kinds)
        if event is None or event.quarter < ai.quarter - recent:
            continue
        fill = dict(slots, quarter=f"Q{max(event.quarter - 1, 1)}")
        if event.project >= 0:
            fill["project"] = ai.titles[event.project]
        text = ai.lines.fragment(situations[event.kind], rng, fill)
        if text:
            slots[slot] = text


def say(ai: Counterpart, situation: str, rng: np.random.Generator, slots: dict[str, str]) -> bool:
    line = ai.lines.say(situation, rng, slots)
    if line:
        ai.said.append(line)
    return line is not None


def say_news(ai: Counterpart, obs: Observation, rng: np.random.Generator) -> None:
    for kind, project in ai.news:
        slots = slots_for(ai, obs)
        if project >= 0:
            slots["project"] = ai.titles[project]
        say(ai, kind, rng, slots)
    ai.news = []


def explain_event(ai: Counterpart, obs: Observation, k: int, option: int,
                  rng: np.random.Generator) -> None:
    event = ai.game.scenario.events[k]
    slots = slots_for(ai, obs)
    slots["event"] = event.title
    if event.choices:
        slots["option"] = event.choices[min(option, len(event.choices) - 1)].label.lower()
    say(ai, "choose_event", rng, slots)
    ai.reasons.append(f"risk appetite {ai.personality.risk_appetite:.2f}, caution "
                        f"{ai.personality.caution:.2f}: option {option + 1}")


def signal_slot(ai: Counterpart, obs: Observation, rng: np.random.Generator) -> str | None:
    mine = getattr(ai.game.scenario.intel, ("cmo", "cto")[ai.role]).signals
    for name in mine:
        x = float(obs.signals[name][0])
        if np.isnan(x):
            continue
        number = _pct(x)
        if name == "demand_trend":
            change = 100.0 * (x - 1.0)
            number = ("flat (under 1%)" if abs(change) < 0.5 else
                      f"{'up' if change > 0 else 'down'} {abs(change):.0f}%")
        text = ai.lines.fragment(f"signal_{name}", rng, {"number": number})
        if text:
            return text
    return None


def explain_talk(ai: Counterpart, obs: Observation, talk: Talk, rng: np.random.Generator) -> None:
    assert ai.memory is not None
    say_news(ai, obs, rng)
    mv = talk.moves[0]
    slots = slots_for(ai, obs)
    add_memories(ai, slots, rng)
    spoke = False
    if ai.memory.defected()[0]:
        spoke = say(ai, "hold_grudge" if not ai.coop[0] else "forgive", rng, slots)
    if mv[PROMISE]:
        promise = dict(slots, project=ai.titles[int(talk.promise_project[0])],
                       due=f"Q{int(talk.promise_due[0])}")
        kind = "promise_deliver" if talk.promise_kind[0] == PROMISE_DELIVER else "promise_fund"
        spoke = say(ai, kind, rng, promise) or spoke
    if not spoke:
        signal = signal_slot(ai, obs, rng)
        if mv[SHARE_INTEL] and signal:
            spoke = say(ai, "share_intel", rng, dict(slots, signal=signal))
        for m, situation in ((HIRE_LIAISON, "hire_liaison"), (ROADMAP_REVIEW, "roadmap_review"),
                             (HACK_WEEK, "hack_week"), (ONE_ON_ONE, "one_on_one")):
            if spoke or not mv[m]:
                continue
            cost = getattr(ai.game.scenario.moves, MOVES[m]).cost
            spoke = say(ai, situation, rng, dict(slots, amount=_money(cost)))
        if not spoke and mv[GO_AROUND]:
            spoke = say(ai, "go_around_cover", rng, slots)
        if not spoke:
            say(ai, "hold_back" if ai.tau[0] < 0.4 else "quiet", rng, slots)
    chosen = [MOVES[m] for m in np.flatnonzero(mv)]
    ai.reasons.append(
        f"trust in the {ROLE_TITLES[ai.other]} {_pct(float(ai.tau[0]))}, "
        f"{'cooperating' if ai.coop[0] else 'answering a defection'}; "
        f"moves: {', '.join(chosen) or 'none'}"
        + (f"; promise meant to be {'kept' if ai.intent_keep[0] else 'broken'}"
           if mv[PROMISE] else ""))


def _same_plan(a: Plan, b: Plan) -> bool:
    return bool(np.array_equal(a.fund, b.fund) and np.array_equal(a.owner, b.owner)
                and np.allclose(a.campaign_share, b.campaign_share))


def project_list(ai: Counterpart, idx: NDArray[np.intp]) -> str:
    names = [ai.titles[int(j)] for j in idx]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def explain_plan(ai: Counterpart, obs: Observation, plan: Plan, last: Plan | None,
                 rng: np.random.Generator) -> None:
    say_news(ai, obs, rng)
    slots = slots_for(ai, obs)
    add_memories(ai, slots, rng)
    fund = plan.fund[0]
    cost = float(fund @ ai.game.cost)
    funded = np.flatnonzero(fund)
    joint = np.flatnonzero(fund & (plan.owner[0] == OWNER_JOINT))
    slots.update(amount=_money(cost), share=_pct(float(plan.campaign_share[0])),
                 number=str(len(funded)))
    if funded.size:
        slots["projects"] = project_list(ai, funded)
        top = joint if joint.size else funded
        slots["project"] = ai.titles[int(top[np.argmax(ai.game.cost[top])])]
    duty = ai.obligations(obs, ai.values(obs))
    t = int(duty["t_mine"][0])
    if duty["mine"][0]:
        kept = bool(fund[t])
        ai.announced = True
        say(ai, "keep_promise" if kept else "break_promise", rng,
                  dict(slots, project=ai.titles[t]))
    elif last is not None and _same_plan(plan, last):
        say(ai, "concede", rng, slots)
    elif last is not None and funded.size:
        say(ai, "counter", rng, slots)
    elif joint.size:
        wary = "grievance" in slots and ai.tau[0] < 0.5
        say(ai, "propose_joint_wary" if wary else "propose_joint", rng, slots)
    else:
        say(ai, "propose", rng, slots)
    ai.reasons.append(
        f"stake in joint bets {_pct(float(ai.stake_now[0]))} (trust "
        f"{_pct(float(ai.tau[0]))}); {len(funded)} projects for {_money(cost)}, "
        f"{len(joint)} joint; campaigns {_pct(float(plan.campaign_share[0]))}")


def reason_for(ai: Counterpart, obs: Observation, plan: Plan, info: dict[str, Any],
               rng: np.random.Generator, slots: dict[str, str]) -> str | None:
    """The main reason a plan falls short, as a clause."""
    duty = info["duty"]
    ideal: Plan = info["ideal"]
    fund = plan.fund[0]
    val = ai.values(obs)[0]
    if info["missing"][0]:
        return ai.lines.fragment("reason_promise_mine", rng,
                                   dict(slots, project=ai.titles[int(duty["t_mine"][0])]))
    t = int(duty["t_theirs"][0])
    if duty["theirs"][0] and not fund[t]:
        return ai.lines.fragment("reason_promise_theirs", rng,
                                   dict(slots, project=ai.titles[t]))
    cost = ai.game.cost
    gap = np.where(ideal.fund[0] & ~fund, val * cost, 0.0)
    mine = ai.my_domain & fund & (plan.owner[0] == ai.other)
    risky = fund & (plan.owner[0] == OWNER_JOINT) & (ai.game.risk >= 0.5)
    split = float(plan.campaign_share[0] - ai.my_share())
    options: list[tuple[float, str, dict[str, str]]] = []
    if gap.max() > 0:
        j = int(np.argmax(gap))
        options.append((float(gap[j]), "reason_priority", {"project": ai.titles[j]}))
    if mine.any() and ai.personality.company_weight < 0.7:
        j = int(np.flatnonzero(mine)[0])
        options.append((0.5 * (1 - ai.personality.company_weight) * float(cost[j]),
                        "reason_turf", {"project": ai.titles[j]}))
    if risky.any() and ai.stake_now[0] < 0.4:
        j = int(np.flatnonzero(risky)[0])
        options.append((0.1 + float(cost[j]) * (0.4 - float(ai.stake_now[0])),
                        "reason_joint_risk", {"project": ai.titles[j]}))
    if abs(split) > 0.1:
        situation = "reason_split_campaigns" if split < 0 else "reason_split_operations"
        options.append((abs(split) * float(obs.available[0]) * 0.3, situation,
                        {"share": _pct(float(plan.campaign_share[0]))}))
    spend = float(fund @ cost)
    if spend > 0.85 * float(obs.available[0]):
        options.append((0.05, "reason_budget", {"amount": _money(spend)}))
    for _, situation, extra in sorted(options, key=lambda o: -o[0]):
        text = ai.lines.fragment(situation, rng, dict(slots, **extra))
        if text:
            return text
    return None


def explain_response(ai: Counterpart, obs: Observation, plan: Plan, accepted: bool,
                     info: dict[str, Any], rng: np.random.Generator) -> None:
    say_news(ai, obs, rng)
    slots = slots_for(ai, obs)
    add_memories(ai, slots, rng)
    fund = plan.fund[0]
    funded = np.flatnonzero(fund)
    slots.update(share=_pct(float(plan.campaign_share[0])),
                 amount=_money(float(fund @ ai.game.cost)))
    if funded.size:
        joint = np.flatnonzero(fund & (plan.owner[0] == OWNER_JOINT))
        top = joint if joint.size else funded
        slots["project"] = ai.titles[int(top[np.argmax(ai.game.cost[top])])]
        slots["projects"] = project_list(ai, funded)
    if accepted:
        grudging = bool(info["value"][0] < info["best"][0] - 0.02) and bool(info["final"])
        say(ai, "accept_reluctant" if grudging else "accept", rng, slots)
    else:
        reason = reason_for(ai, obs, plan, info, rng, slots)
        if reason is None:
            reason = ai.lines.fragment("reason_priority", rng, dict(
                slots, project=ai.titles[int(np.argmax(ai.values(obs)[0]))])) or ""
        say(ai, "reject_with_reason", rng, dict(slots, reason=reason))
    ai.reasons.append(
        f"plan worth {float(info['value'][0]):.2f} to it against {float(info['best'][0]):.2f} "
        f"for its own; {'accepted' if accepted else 'rejected'}")


def explain_aftermath(ai: Counterpart, obs: Observation, answer: Aftermath,
                      rng: np.random.Generator) -> None:
    say_news(ai, obs, rng)
    slots = slots_for(ai, obs)
    due = obs.outcome_q[0] & ((obs.owner[0] == ai.role) | (obs.owner[0] == OWNER_JOINT))
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
        said = say(ai, situation, rng, dict(slots, project=ai.titles[int(j)]))
        break
    for i in np.flatnonzero(obs.incident[0]):
        if said:
            break
        resp = int(answer.incident[0, i])
        situation = {OWN: "own_incident", CIRCUMSTANCES: "circumstances",
                     BLAME: "blame_incident", DENY: "deny"}[resp]
        fill = dict(slots, event=names[int(i)])
        said = say(ai, situation, rng, fill)
    for j in np.flatnonzero(due & (status == SUCCESS)):
        if said:
            break
        situation = "take_credit" if answer.project[0, j] == TAKE_CREDIT else "share_credit"
        said = say(ai, situation, rng, dict(slots, project=ai.titles[int(j)]))
    if not said:
        say(ai, "aftermath_quiet", rng, slots)
    ai.reasons.append(
        f"warmth {float(ai.warmth()[0]):.2f}, honesty {ai.personality.honesty:.2f}, "
        f"blame {ai.personality.blame:.2f}")


__all__ = [
    "PLACEHOLDERS", "SITUATIONS", "Lines", "builtin_lines", "explain_aftermath", "explain_event",
    "explain_plan", "explain_response", "explain_talk", "placeholders",
]
