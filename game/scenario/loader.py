"""Load a scenario file and report every problem in it at once.

Structure and types are checked by the pydantic models; this module adds what a
schema cannot say: ids that must be unique, references that must exist, events
that need a time, and the expressions, whose errors point at the column inside
the string. Checks run on the raw data too, so one pass shows everything.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from game.scenario.expressions import Effect, ExpressionError, parse_condition, parse_effect
from game.scenario.lines import line_problems
from game.scenario.lint import lint
from game.scenario.models import Scenario
from game.scenario.problems import Problem, ScenarioError, did_you_mean
from game.scenario.variables import Variable, VariableRegistry
from game.scenario.yamlsource import Located, ProblemCollector, load_yaml, validate_model

BUILTIN_PERSONALITIES: tuple[str, ...] = (
    "partner", "gatekeeper", "bypasser", "turf-warrior", "skeptic", "mirror",
)

Path_ = tuple[str | int, ...]


def _items(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    """The mappings in the list `data[key]`, with their indices; tolerant of bad data."""
    if not isinstance(data, dict):
        return []
    seq = data.get(key)
    if not isinstance(seq, list):
        return []
    return [(i, item) for i, item in enumerate(seq) if isinstance(item, dict)]


def _strings(value: Any) -> list[tuple[int, str]]:
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, str)]


class _Checker:
    def __init__(self, located: Located, file: str) -> None:
        self.data = located.data
        self.out = ProblemCollector(located, file)
        self.file = file
        self.warnings: list[Problem] = []

    def _ids(self, items: Iterable[tuple[int, dict[str, Any]]], where: Path_, what: str) -> list[
            str]:
        seen: dict[str, int] = {}
        ids: list[str] = []
        for i, item in items:
            ident = item.get("id")
            if not isinstance(ident, str):
                continue
            if ident in seen:
                self.out.add((*where, i, "id"),
                             f"{what} id '{ident}' is used twice (first as {what} "
                             f"{seen[ident] + 1})")
            else:
                seen[ident] = i
            ids.append(ident)
        return ids

    def _condition(self, path: Path_, text: Any, reg: VariableRegistry) -> None:
        if not isinstance(text, str):
            return
        try:
            parse_condition(text, reg)
        except ExpressionError as err:
            self.out.add(path, f"in this condition: {err.message}",
                         column_offset=max(err.column - 1, 0))

    def _effects(self, path: Path_, texts: Any, reg: VariableRegistry) -> None:
        for k, text in _strings(texts):
            try:
                effect = parse_effect(text, reg)
            except ExpressionError as err:
                self.out.add((*path, k), f"in this effect: {err.message}",
                             column_offset=max(err.column - 1, 0))
                continue
            warning = _overflow(effect, reg[effect.target])
            if warning:
                line, column = self.out.locator.position((*path, k))
                self.warnings.append(Problem(self.file, line, column, f"warning: {warning}"))

    def run(self) -> None:
        d = self.data if isinstance(self.data, dict) else {}
        quarters = d.get("quarters") if isinstance(d.get("quarters"), int) else None
        projects = _items(d, "projects")
        events = _items(d, "events")
        objectives = _items(d, "learning_objectives")
        project_ids = self._ids(projects, ("projects",), "project")
        event_ids = self._ids(events, ("events",), "event")
        objective_ids = self._ids(objectives, ("learning_objectives",), "objective")
        choices = [(e["id"], c["id"]) for _, e in events for _, c in _items(e, "choices")
                   if isinstance(e.get("id"), str) and isinstance(c.get("id"), str)]
        reg = VariableRegistry(project_ids, event_ids, choices)

        for i, q in _items(d, "debrief_questions"):
            obj = q.get("objective")
            if isinstance(obj, str) and objective_ids and obj not in objective_ids:
                self.out.add(("debrief_questions", i, "objective"),
                             f"no learning objective has the id '{obj}'"
                             f"{did_you_mean(obj, objective_ids)}")

        for i, p in projects:
            self._effects(("projects", i, "effects"), p.get("effects"), reg)
            self._effects(("projects", i, "on_failure"), p.get("on_failure"), reg)
            avail = p.get("available")
            if isinstance(avail, dict):
                self._condition(("projects", i, "available", "when"), avail.get("when"), reg)
                start, end = avail.get("from_quarter"), avail.get("until_quarter")
                if isinstance(start, int) and quarters is not None and start > quarters:
                    self.out.add(("projects", i, "available", "from_quarter"),
                                 f"quarter {start} is after the last quarter ({quarters})")
                if isinstance(start, int) and isinstance(end, int) and end < start:
                    self.out.add(("projects", i, "available", "until_quarter"),
                                 f"ends (quarter {end}) before it starts (quarter {start})")

        budget = d.get("budget")
        if isinstance(budget, dict):
            schedule = budget.get("schedule")
            if isinstance(schedule, list) and quarters is not None and len(schedule) != quarters:
                self.out.add(("budget", "schedule"),
                             f"lists {len(schedule)} amounts for a game of {quarters} quarters; "
                             "give one amount ($M) per quarter")

        for i, e in events:
            at, chance = e.get("at"), e.get("chance")
            if at is None and chance is None:
                self.out.add(("events", i), "an event needs 'at' (the quarter it happens) "
                             "or 'chance' (its chance per quarter)", at="key")
            elif at is not None and chance is not None:
                self.out.add(("events", i, "chance"),
                             "an event has either 'at' or 'chance', not both")
            if isinstance(at, int) and quarters is not None and at > quarters:
                self.out.add(("events", i, "at"),
                             f"quarter {at} is after the last quarter ({quarters})")
            self._condition(("events", i, "when"), e.get("when"), reg)
            self._effects(("events", i, "effects"), e.get("effects"), reg)
            choices = _items(e, "choices")
            self._ids(choices, ("events", i, "choices"), "choice")
            for c, choice in choices:
                self._effects(("events", i, "choices", c, "effects"), choice.get("effects"), reg)
                outcomes = _items(choice, "outcomes")
                for o, outcome in outcomes:
                    self._effects(("events", i, "choices", c, "outcomes", o, "effects"),
                                  outcome.get("effects"), reg)
                chances = [float(x["chance"]) for _, x in outcomes
                           if isinstance(x.get("chance"), int | float)]
                if len(chances) == len(outcomes) and sum(chances) > 1 + 1e-9:
                    self.out.add(("events", i, "choices", c, "outcomes"),
                                 f"the chances of these outcomes add up to {sum(chances):g}, "
                                 "more than 1; lower them (what is left below 1 is the chance "
                                 "that nothing more happens)", at="key")
            if choices and e.get("chooser") is None:
                self.out.add(("events", i, "choices"),
                             "these options need a 'chooser' (cmo or cto) to pick one")
            if e.get("chooser") is not None and not choices:
                self.out.add(("events", i, "chooser"), "a chooser needs 'choices' to choose from")

        intel = d.get("intel")
        if isinstance(intel, dict):
            for role in ("cmo", "cto"):
                for b, brief in _items(intel.get(role), "briefings"):
                    self._condition(("intel", role, "briefings", b, "when"), brief.get("when"),
                                    reg)

        ai = d.get("ai")
        if isinstance(ai, dict):
            custom = ai.get("personalities")
            known = list(BUILTIN_PERSONALITIES) + (
                [k for k in custom if isinstance(k, str)] if isinstance(custom, dict) else [])
            for k, name in _strings(ai.get("offered")):
                if name not in known:
                    self.out.add(("ai", "offered", k),
                                 f"unknown AI personality '{name}'{did_you_mean(name, known)}")
            lines = ai.get("lines")
            if isinstance(lines, dict):
                for where, message, offset in line_problems(lines, known):
                    self.out.add(("ai", "lines", *where), message,
                                 at="key" if len(where) == 1 else "value", column_offset=offset)

        scoring = d.get("scoring")
        if isinstance(scoring, dict):
            weights = [v for v in scoring.values() if isinstance(v, int | float)]
            if weights and len(weights) == len(scoring) and sum(weights) <= 0:
                self.out.add(("scoring",), "at least one scoring weight must be above 0",
                             at="key")


def _overflow(effect: Effect, var: Variable) -> str:
    """Why a constant effect would push its value past its range, or "".

    The engine clamps every change, so such an effect is legal; but a facilitator who
    writes `company.arpu *= 1e308` most likely meant something else, and should hear
    that the value will sit at its bound.
    """
    if effect.names:
        return ""
    amount = float(effect.value({}, 1)[0])
    low = -math.inf if var.low is None else var.low
    high = math.inf if var.high is None else var.high
    span = f"{low:g} to {high:g}"
    name = effect.target
    if effect.op == "=" and not low <= amount <= high:
        return (f"{amount:g} is outside the range of '{name}' ({span}); the engine "
                "keeps it at the nearest bound")
    if effect.op == "*=" and amount < 0:
        return (f"multiplying '{name}' by a negative number takes it below its range "
                f"({span}); the engine keeps it at {low:g}")
    if effect.op == "*=" and abs(amount) > _BIG_FACTOR:
        return (f"multiplying '{name}' by {amount:g} overflows its range ({span}); the "
                f"engine keeps it at {high:g}")
    if effect.op in ("+=", "-=") and abs(amount) > high - low:
        return (f"a change of {amount:g} is larger than the whole range of '{name}' "
                f"({span}); the engine keeps it at a bound")
    return ""


_BIG_FACTOR = 1000.0
"""A constant factor above this multiplies any real value past its bound."""


def check_scenario(path: Path | str,
                   text: str | bytes | None = None) -> tuple[Scenario, list[Problem]]:
    """Like load_scenario, and also the warnings: things that load but are likely mistakes."""
    file = str(path)
    located = load_yaml(path, text)
    checker = _Checker(located, file)
    scenario: Scenario | None = None
    try:
        scenario = validate_model(located, Scenario, file)
    except ScenarioError as err:
        checker.out.extend(err.problems)
    checker.run()
    checker.out.raise_if_any()
    assert scenario is not None
    warnings = [*checker.warnings, *lint(scenario, located.locator, file)]
    return scenario, sorted(dict.fromkeys(warnings), key=lambda p: (p.line, p.column))


def load_scenario(path: Path | str, text: str | bytes | None = None) -> Scenario:
    """The scenario in `path` (or in `text`, named `path`), or ScenarioError with every problem."""
    return check_scenario(path, text)[0]
