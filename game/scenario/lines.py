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
PLACEHOLDERS: frozenset[str] = frozenset({
    "project", "projects", "amount", "share", "event", "option", "quarter", "due",
    "other_role", "my_role", "signal", "number", "trust", "grievance", "credit", "reason",
    "move",
})

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
