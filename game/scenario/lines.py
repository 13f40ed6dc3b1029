"""What a scenario's `ai.lines` may say: the situations the AI speaks in and the
placeholders a line may use.

The AI layer owns the built-in lines and speaks them; the vocabulary lives here,
below it, so the scenario checker can point at a bad key or placeholder as
`file:line:col` like every other problem in the file.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping

from game.scenario.problems import did_you_mean

DEFAULT_VOICE = "default"

SITUATIONS: tuple[str, ...] = (
    # talk
    "share_intel", "one_on_one", "roadmap_review", "hack_week", "hire_liaison",
    "promise_fund", "promise_deliver", "go_around_cover", "hold_back", "forgive",
    "hold_grudge", "quiet",
    # promises coming due
    "keep_promise", "break_promise",
    # negotiation
    "propose", "propose_joint", "propose_joint_wary", "counter", "concede", "accept",
    "accept_reluctant", "reject_with_reason",
    # reasons, used inside reject_with_reason and counter as {reason}
    "reason_priority", "reason_turf", "reason_joint_risk", "reason_split_campaigns",
    "reason_split_operations", "reason_promise_mine", "reason_promise_theirs", "reason_budget",
    # aftermath
    "own_failure", "circumstances", "blame", "deny", "take_credit", "share_credit",
    "own_incident", "blame_incident", "aftermath_quiet",
    # answering the other's talk moves, at its first word after talk
    "answer_one_on_one", "answer_one_on_one_wary", "answer_intel", "answer_intel_wary",
    "answer_promise", "answer_promise_wary", "answer_gesture", "answer_gesture_wary",
    # at the results, by the quarter's revenue change
    "results_good", "results_flat", "results_bad",
    # at the board, answering the other's answers
    "answer_blame", "answer_took_credit", "answer_owned", "answer_shared_credit",
    "answer_deny", "board_quiet",
    # event choices
    "choose_event",
    # private readings, used as {signal} when sharing intel
    "signal_demand_trend", "signal_channel", "signal_competitor", "signal_debt",
    "signal_security", "signal_outage_risk", "signal_vendor_quality",
    # memories, used as {grievance} or {credit}
    "hist_around", "hist_broken", "hist_blamed", "hist_took_credit", "hist_kept",
    "hist_shared_credit", "hist_owned",
)
PLACEHOLDER_MEANINGS: dict[str, str] = {
    "quarter": "the quarter, as 'Q3' (in a memory: the quarter it happened)",
    "other_role": "the other executive's title ('CTO')",
    "my_role": "the speaker's own title ('CMO')",
    "trust": "the speaker's trust in the other, as '62%'",
    "project": "a project card's title (the plan's largest, a joint one if any)",
    "projects": "the plan's funded cards, as 'A, B and C'",
    "amount": "money: the plan's spend, or the move's cost, as '$1.4M' or '$400k'",
    "share": "the plan's share of the rest for campaigns, as '60%'",
    "number": "a count (projects in the plan), or a signal's reading",
    "due": "the quarter a promise falls due, as 'Q4'",
    "event": "an event's title, or an incident ('the Q3 outage')",
    "option": "the chosen option's label, in lower case",
    "signal": "a clause on one of the speaker's own signals (a signal_* line)",
    "reason": "a clause on why a plan falls short (a reason_* line)",
    "grievance": "a clause on the latest bad thing it remembers (a hist_* line)",
    "credit": "a clause on the latest good thing it remembers (a hist_* line)",
    "move": "the other's talk move being answered, as 'the beer' or 'your numbers'",
}
PLACEHOLDERS: frozenset[str] = frozenset(PLACEHOLDER_MEANINGS)

_BASE = ("quarter", "other_role", "my_role", "trust")
_MEMORY = ("grievance", "credit")
_PLAN = ("share",)  # the plan's spend, {amount}, only when it funds a project


def _slots(always: tuple[str, ...] = (), sometimes: tuple[str, ...] = (), *,
           base: bool = True, memory: bool = True) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return ((*_BASE, *always) if base else always,
            (*sometimes, *(_MEMORY if memory else ())))


SITUATION_SLOTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # talk: the opening slots, with what it remembers
    **{s: _slots() for s in ("go_around_cover", "hold_back", "quiet", "hold_grudge",
                             "forgive")},
    "share_intel": _slots(("signal",)),
    **{s: _slots(("amount",)) for s in ("one_on_one", "roadmap_review", "hack_week",
                                       "hire_liaison")},
    "promise_fund": _slots(("project", "due")),
    "promise_deliver": _slots(("project", "due")),
    # a promise coming due: as news, or inside a proposal
    **{s: _slots(("project",), ("amount", "share", "number", "projects"))
       for s in ("keep_promise", "break_promise")},
    # negotiation
    "propose": _slots((*_PLAN, "number"), ("amount", "project", "projects")),
    "concede": _slots((*_PLAN, "number"), ("amount", "project", "projects")),
    **{s: _slots((*_PLAN, "number", "project", "projects"), ("amount",))
       for s in ("propose_joint", "propose_joint_wary", "counter")},
    "accept": _slots(_PLAN, ("amount", "project", "projects")),
    "accept_reluctant": _slots(_PLAN, ("amount", "project", "projects")),
    "reject_with_reason": _slots((*_PLAN, "reason"), ("amount", "project", "projects")),
    **{s: _slots((*_PLAN, "project"), ("amount", "projects"))
       for s in ("reason_priority", "reason_turf", "reason_joint_risk", "reason_promise_mine",
                 "reason_promise_theirs")},
    **{s: _slots(_PLAN, ("amount", "project", "projects"))
       for s in ("reason_split_campaigns", "reason_split_operations")},
    "reason_budget": _slots((*_PLAN, "amount"), ("project", "projects")),
    # aftermath: no memories
    **{s: _slots(("project",), memory=False)
       for s in ("own_failure", "blame", "take_credit", "share_credit")},
    "circumstances": _slots((), ("project", "event"), memory=False),
    "deny": _slots((), ("project", "event"), memory=False),
    "own_incident": _slots(("event",), memory=False),
    "blame_incident": _slots(("event",), memory=False),
    "aftermath_quiet": _slots(memory=False),
    "choose_event": _slots(("event", "option"), memory=False),
    # its answer to the other's talk moves, at its first word after talk
    **{s: _slots(("move",), ("project",), memory=False)
       for base in ("answer_gesture", "answer_intel", "answer_one_on_one", "answer_promise")
       for s in (base, base + "_wary")},
    # at the public views: the results, and the other's answers to the board
    **{s: _slots(("number",), ("project",), memory=False)
       for s in ("results_bad", "results_flat", "results_good")},
    **{s: _slots((), ("project",), memory=False)
       for s in ("answer_blame", "answer_deny", "answer_took_credit", "answer_owned",
                 "answer_shared_credit", "board_quiet")},
    # private readings: the number only
    **{f"signal_{s}": _slots(("number",), base=False, memory=False)
       for s in ("demand_trend", "channel", "competitor", "debt", "security", "outage_risk",
                 "vendor_quality")},
    # memories, with the quarter it happened; 'grievance' is already there for a credit
    **{s: _slots((), ("project",), memory=False)
       for s in ("hist_around", "hist_broken", "hist_blamed", "hist_took_credit")},
    **{s: _slots((), ("project", "grievance"), memory=False)
       for s in ("hist_kept", "hist_shared_credit", "hist_owned")},
}
"""Per situation: the placeholders always filled, and those filled only sometimes (a
plan with projects, a remembered grievance). A line is spoken only when every
placeholder it names is filled, so one naming a placeholder its situation never
fills is never spoken (validate warns). The AI layer fills them; a test records what
it fills in real games and holds it to this table."""


def never_filled(key: str, template: str) -> set[str]:
    """The placeholders in `template` that the situation of `key` ('situation' or
    'voice.situation') never fills; empty for an unknown situation or a bad template."""
    slots = SITUATION_SLOTS.get(key.rpartition(".")[2])
    if slots is None:
        return set()
    try:
        used = placeholders(template)
    except ValueError:
        return set()
    return used - set(slots[0]) - set(slots[1])


Where = tuple[str | int, ...]


def placeholders(template: str) -> set[str]:
    """The {names} a template uses ('{{' escapes are not placeholders).

    Raises ValueError for a template Python's formatter cannot read, such as a
    lone '{'.
    """
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def line_problems(lines: Mapping[str, object],
                  voices: Iterable[str]) -> list[tuple[Where, str, int | None]]:
    """Every problem in `ai.lines`: where it is under `ai.lines`, the message, and
    for a bad placeholder the character inside the line where it starts.

    Keys are `situation` (every voice) or `voice.situation`, where a voice is a
    personality name; templates may only use the known placeholders.
    """
    known_voices = {DEFAULT_VOICE, *voices}
    out: list[tuple[Where, str, int | None]] = []
    for key, templates in lines.items():
        if not isinstance(key, str):
            continue
        voice, _, situation = key.rpartition(".")
        if situation not in SITUATIONS:
            out.append(((key,), f"unknown situation '{situation}'"
                        f"{did_you_mean(situation, SITUATIONS)}", None))
        if voice and voice not in known_voices:
            out.append(((key,), f"unknown voice '{voice}'{did_you_mean(voice, known_voices)}; "
                        "a voice is a personality name", None))
        if not isinstance(templates, list):
            continue
        for i, t in enumerate(templates):
            if not isinstance(t, str):
                continue
            try:
                unknown = placeholders(t) - PLACEHOLDERS
            except ValueError as e:
                out.append(((key, i), f"this line cannot be filled in: {e}", None))
                continue
            if unknown:
                names = ", ".join("{" + u + "}" for u in sorted(unknown))
                first = min(t.find("{" + u) for u in unknown)
                out.append(((key, i), f"unknown placeholder {names} (known: "
                            f"{', '.join('{' + p + '}' for p in sorted(PLACEHOLDERS))})",
                            first if first >= 0 else None))
    return out
