"""Warnings: what validates but cannot work, or works against what the author meant.

A scenario can pass every structural check and still be broken as a game: an event
whose condition is never true, a card nobody can afford or finish, a board that
replaces every newcomer. Each check here names the spot (``file:line:col``) and
what to do. Conditions are decided by evaluating them over the quarters of the game
and, for the other variables, over states sampled across each variable's range; a
condition that reads more than the quarter is left to the Monte Carlo probe when it
passes here (:func:`undecided_events`), because sampling cannot prove it true.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from game.scenario.expressions import Condition, Effect, parse_condition, parse_effect
from game.scenario.lines import never_filled
from game.scenario.models import Scenario
from game.scenario.problems import Problem
from game.scenario.variables import Variable, VariableRegistry
from game.scenario.yamlsource import Locator, LocPath

TABLE_TITLE_CHARS = 20
"""Characters of a card's title that the budget screen's table row shows whole in the
smallest window (1024x600; about 22 at 1280x720, tests/test_ui_scenes.py measures
it); the card's own panel shows the whole title. Two cards alike in these look the
same in the table."""

UNPAID_MOVES = frozenset({"share_intel", "one_on_one", "roadmap_review", "promise"})
"""Moves whose 'cost' the talk phase never charges (game/engine/talk.py charges a hack
week, a liaison's salary and the CMO's shadow tool); a test plays one to check."""

RARE = 0.05
"""An event that happens in fewer games than this, at best, is one most rooms never see."""

SAMPLES = 512
"""Sampled states per quarter when a condition reads more than the quarter."""

QUARTER_ONLY = frozenset({"quarter", "quarters_total"})


def registry(scenario: Scenario) -> VariableRegistry:
    """The variables this scenario's expressions may use."""
    return VariableRegistry([p.id for p in scenario.projects], [e.id for e in scenario.events],
                            [(e.id, c.id) for e in scenario.events for c in e.choices])


def _samples(var: Variable, n: int, rng: np.random.Generator) -> np.ndarray:
    """Values across a variable's range, its bounds included: 0/1 for true/false, whole
    numbers for counters, a log spread for open-ended amounts."""
    if var.boolean:
        return rng.integers(0, 2, n).astype(np.float64)
    low = 0.0 if var.low is None else float(var.low)
    if var.high is not None:
        out = rng.uniform(low, float(var.high), n)
        out[:2] = (low, float(var.high))
        return out
    if var.name.startswith(("promises.", "goarounds.", "incidents.", "replacements.")):
        return rng.integers(0, 20, n).astype(np.float64)
    out = low + np.expm1(rng.uniform(0.0, np.log1p(1e6), n))
    out[0] = low
    return out


def true_quarters(cond: Condition, scenario: Scenario, reg: VariableRegistry,
                  quarters: Iterable[int]) -> tuple[list[int], bool]:
    """The quarters in which `cond` can be true, and whether that is exact (it reads only
    the quarter) rather than found in sampled states."""
    qs = [q for q in quarters if 1 <= q <= scenario.quarters]
    if not qs:
        return [], True
    exact = cond.names <= QUARTER_ONLY
    n = 1 if exact else SAMPLES
    rng = np.random.default_rng(0)
    env: dict[str, np.ndarray] = {
        name: _samples(reg[name], n * len(qs), rng) for name in cond.names - QUARTER_ONLY}
    env["quarter"] = np.repeat(np.asarray(qs, dtype=np.float64), n)
    env["quarters_total"] = np.full(n * len(qs), float(scenario.quarters))
    hits = np.asarray(cond.evaluate(env, n * len(qs)).reshape(len(qs), n).any(axis=1)).tolist()
    return [q for i, q in enumerate(qs) if hits[i]], exact


def undecided_events(scenario: Scenario) -> list[int]:
    """Events whose condition reads more than the quarter: sampling found states where it
    holds, but only games can tell whether play reaches them (the probe's job)."""
    return [k for k, e in enumerate(scenario.events)
            if e.when is not None and e.chance != 0
            and not parse_condition(e.when, registry(scenario)).names <= QUARTER_ONLY]


@dataclass
class _Lint:
    scenario: Scenario
    locator: Locator
    file: str

    def __post_init__(self) -> None:
        self.reg = registry(self.scenario)
        self.out: list[Problem] = []

    def warn(self, path: LocPath, message: str, at: str = "value") -> None:
        line, column = self.locator.position(path, at="key" if at == "key" else "value")
        self.out.append(Problem(self.file, line, column, f"warning: {message}"))

    def run(self) -> list[Problem]:
        for check in (self.events, self.projects, self.budget, self.board, self.moves,
                      self.intel, self.ai, self.lines, self.objectives, self.effects,
                      self.joint_only):
            check()
        return sorted(self.out, key=lambda p: (p.line, p.column))

    # -- events -----------------------------------------------------------------------
    def events(self) -> None:
        sc = self.scenario
        for k, e in enumerate(sc.events):
            where: LocPath = ("events", k)
            if e.chance == 0:
                self.warn((*where, "chance"), f"event '{e.id}' has chance 0, so it never "
                          "happens; give it a chance above 0 (0.1 is one quarter in ten) or "
                          "remove it")
                continue
            if e.chance is not None:
                window = sc.quarters - (e.at or 1) + 1
                ever = 1.0 - (1.0 - e.chance) ** window
                if ever < RARE:
                    self.warn((*where, "chance"), f"event '{e.id}' has a chance of {e.chance:g} "
                              f"a quarter, so it happens in only {100 * ever:.1f}% of games "
                              f"over {window} quarters, even when its condition always holds; "
                              "most rooms will never see it")
            for c, ch in enumerate(e.choices):
                for o, out in enumerate(ch.outcomes):
                    if out.chance == 0:
                        self.warn((*where, "choices", c, "outcomes", o, "chance"),
                                  f"this outcome of '{ch.id}' has chance 0, so it never "
                                  "happens; give it a chance above 0 or remove it")
                    elif not out.effects and not out.text:
                        self.warn((*where, "choices", c, "outcomes", o),
                                  f"this outcome of '{ch.id}' has neither effects nor text, "
                                  "so nobody can tell it happened; give it one or remove it",
                                  at="key")
            if e.when is None:
                continue
            cond = parse_condition(e.when, self.reg)
            quarters = [e.at] if e.at is not None else range(1, sc.quarters + 1)
            ok, exact = true_quarters(cond, sc, self.reg, quarters)
            if ok:
                continue
            how = "" if exact else " in any of the states sampled across its values' ranges"
            if e.at is not None:
                self.warn((*where, "when"), f"event '{e.id}' is due in quarter {e.at} "
                          f"('at: {e.at}'), but its condition '{e.when}' is never true then"
                          f"{how}, so it never happens; make 'at' and 'when' agree, or drop "
                          "one of them")
            else:
                self.warn((*where, "when"), f"the condition '{e.when}' of event '{e.id}' "
                          f"is never true in quarters 1 to {sc.quarters}{how}, so the event "
                          "never happens; check the numbers and 'and'/'or'")
        for role in ("cmo", "cto"):
            for b, brief in enumerate(getattr(sc.intel, role).briefings):
                cond = parse_condition(brief.when, self.reg)
                ok, exact = true_quarters(cond, sc, self.reg, range(1, sc.quarters + 1))
                if not ok:
                    how = "" if exact else " in any sampled state"
                    self.warn(("intel", role, "briefings", b, "when"),
                              f"this briefing's condition '{brief.when}' is never true in "
                              f"quarters 1 to {sc.quarters}{how}, so the {role.upper()} never "
                              "reads it")

    # -- projects ---------------------------------------------------------------------
    def projects(self) -> None:
        sc = self.scenario
        budget = self.start_budget()
        needs: dict[str, set[str]] = {}
        seen_titles: dict[str, int] = {}
        for j, p in enumerate(sc.projects):
            where: LocPath = ("projects", j)
            av = p.available
            if sc.budget.schedule:
                top = max(sc.budget.schedule)
                if p.cost > top:
                    self.warn((*where, "cost"), f"'{p.id}' costs ${p.cost:g}M, but the "
                              f"largest budget in 'budget.schedule' is ${top:g}M: it can "
                              "never be funded; lower the cost or raise the schedule")
            elif p.cost > budget and p.cost > sc.budget.minimum:
                self.warn((*where, "cost"), f"'{p.id}' costs ${p.cost:g}M, but the whole "
                          f"budget at the start is ${budget:.2f}M ({sc.budget.share_of_revenue:g}"
                          f" of ${self.start_revenue():.2f}M revenue, at least "
                          f"${sc.budget.minimum:g}M); it can be funded only if revenue grows "
                          f"{p.cost / max(budget, 1e-9):.1f}-fold: lower the cost or raise "
                          "the budget")
            if av.until_quarter is not None and av.until_quarter > sc.quarters:
                self.warn((*where, "available", "until_quarter"),
                          f"quarter {av.until_quarter} is after the last quarter "
                          f"({sc.quarters}); leave 'until_quarter' out to mean 'to the end'")
            last_start = min(av.until_quarter or sc.quarters, sc.quarters)
            earliest = av.from_quarter
            if av.when is not None:
                cond = parse_condition(av.when, self.reg)
                needs[p.id] = {n.split(".")[1] for n in cond.names
                               if n.startswith("project.") and n.endswith(".done")}
                ok, exact = true_quarters(cond, sc, self.reg,
                                          range(av.from_quarter, last_start + 1))
                if not ok:
                    how = "" if exact else " in any sampled state"
                    self.warn((*where, "available", "when"),
                              f"the card '{p.id}' is never on the table: '{av.when}' is never "
                              f"true between quarters {av.from_quarter} and {last_start}{how}")
                    earliest = 0
                else:
                    earliest = min(ok)
            if earliest and earliest + p.duration - 1 > sc.quarters:
                self.warn((*where, "duration"),
                          f"'{p.id}' can start in quarter {earliest} at the earliest and "
                          f"takes {p.duration} quarters at normal speed, but the game ends "
                          f"after quarter {sc.quarters}: it cannot finish, so its effects "
                          "never happen; offer it earlier or shorten it")
            if p.upkeep and p.upkeep >= 0.5 * budget:
                self.warn((*where, "upkeep"),
                          f"'{p.id}' costs ${p.upkeep:g}M every quarter once it succeeds, "
                          f"{p.upkeep / max(budget, 1e-9):.0%} of the ${budget:.2f}M budget at "
                          "the start, paid before the split: success would starve campaigns "
                          "and operations; 'upkeep' is per quarter, not the total")
            success = {" ".join(e.split()) for e in p.effects}
            for i, text in enumerate(p.on_failure):
                if " ".join(text.split()) in success:
                    self.warn((*where, "on_failure", i),
                              f"'{text}' is also what success does, so a failure would pay "
                              "like a success; 'on_failure' says what a failure costs on top "
                              "of losing the card's effects, e.g. 'tech.debt += 0.03'")
            head = p.title[:TABLE_TITLE_CHARS].casefold()
            if len(p.title) > TABLE_TITLE_CHARS and head in seen_titles:
                other = sc.projects[seen_titles[head]]
                self.warn((*where, "title"),
                          f"the budget screen's table shows about {TABLE_TITLE_CHARS} "
                          f"characters of a title, and '{p.title}' starts like "
                          f"'{other.title}', so players cannot tell them apart there; make "
                          "the first words differ")
            seen_titles.setdefault(head, j)
        for j, p in enumerate(sc.projects):
            cycle = _cycle(p.id, needs)
            if cycle:
                path = " -> ".join([*cycle, cycle[0]])
                self.warn(("projects", j, "available", "when"),
                          f"circular availability: {path} (each card needs the next one done "
                          "first), so none of them is ever offered; break the circle")

    def start_revenue(self) -> float:
        """Starting revenue in $M: customers (k) x revenue per customer ($k)."""
        return self.scenario.company.customers * self.scenario.company.arpu

    def start_budget(self) -> float:
        b = self.scenario.budget
        if b.schedule:
            return b.schedule[0]
        return max(b.minimum, b.share_of_revenue * self.start_revenue())

    # -- budget, board, moves ---------------------------------------------------------
    def budget(self) -> None:
        b = self.scenario.budget
        for k, amount in enumerate(b.schedule or []):
            if amount == 0:
                self.warn(("budget", "schedule", k), f"the budget of quarter {k + 1} is $0, so "
                          "nothing can be funded and no move that costs money paid for that "
                          "quarter, and the CEO splits nothing; if the CEO grants nothing new, "
                          "say so in an event, or give the quarter an amount")
        if b.schedule:
            for key in sorted({"share_of_revenue", "minimum"} & b.model_fields_set):
                self.warn(("budget", key), f"'{key}' is not used: the budget follows "
                          "'schedule', the amount of each quarter whatever revenue does; "
                          f"drop '{key}' (or 'schedule', to grant a share of revenue)",
                          at="key")
            return
        if b.minimum == 0 and b.share_of_revenue == 0:
            self.warn(("budget",), "the budget is zero (share_of_revenue 0 and minimum 0), so "
                      "no project and no move that costs money can ever be paid for; set "
                      "'share_of_revenue' (0.12 is usual) or 'minimum'", at="key")

    def board(self) -> None:
        br = self.scenario.board
        if br.threshold >= br.start:
            self.warn(("board", "threshold"), f"the board replaces an executive below "
                      f"{br.threshold:g}, but everyone starts at {br.start:g} (and a newcomer "
                      "too): most executives are replaced at the first review; keep "
                      "'threshold' well below 'start' (0.43 against 0.6 by default)")

    def moves(self) -> None:
        mv = self.scenario.moves
        for name in type(mv).model_fields:
            move = getattr(mv, name)
            if name == "attention" or not move.enabled:
                continue
            if name in UNPAID_MOVES and move.cost > 0:
                self.warn(("moves", name, "cost"), f"'{name}' is never paid for: its cost "
                          f"({move.cost:g}) only hides the move while less than "
                          f"${move.cost:g}M of the budget is left; only hack_week, "
                          "hire_liaison (every quarter) and the CMO's go_around are charged. "
                          "Leave 'cost' out, or make it cost attention instead")
            if move.attention > mv.attention:
                self.warn(("moves", name, "attention"), f"'{name}' costs {move.attention} "
                          f"attention points, but an executive has {mv.attention} a quarter, "
                          "so nobody can ever make it; lower it or raise 'moves.attention'")

    def intel(self) -> None:
        for role in ("cmo", "cto"):
            if not getattr(self.scenario.intel, role).signals:
                self.warn(("intel", role, "signals"), f"'signals: []' leaves the "
                          f"{role.upper()} with no private signals, so 'share intel' has "
                          "nothing to share; list at least one, or leave 'signals' out for "
                          "the usual ones")

    def ai(self) -> None:
        ai = self.scenario.ai
        if not ai.offered:
            self.warn(("ai", "offered"), "'offered: []' leaves no AI counterpart for solo "
                      "play; list at least one personality, or leave 'offered' out for all six")
        for name in ai.personalities:
            if ai.offered and name not in ai.offered:
                self.warn(("ai", "personalities", name), f"the personality '{name}' is "
                          "defined but not in 'ai.offered', so no player can meet it; add it "
                          "to 'offered'", at="key")

    def lines(self) -> None:
        for key, templates in self.scenario.ai.lines.items():
            situation = key.rpartition(".")[2]
            for i, template in enumerate(templates):
                missing = never_filled(key, template)
                if missing:
                    names = ", ".join("{" + m + "}" for m in sorted(missing))
                    self.warn(("ai", "lines", key, i), f"'{situation}' never fills {names}, "
                              "so this line is never spoken; the guide's table of situations "
                              "lists what each one fills")

    def objectives(self) -> None:
        asked = {q.objective for q in self.scenario.debrief_questions}
        for i, o in enumerate(self.scenario.learning_objectives):
            if o.id not in asked:
                self.warn(("learning_objectives", i, "id"), f"no debrief question serves "
                          f"the objective '{o.id}'; add one with 'objective: {o.id}'")

    # -- effects ----------------------------------------------------------------------
    def effects(self) -> None:
        sc = self.scenario
        lists: list[tuple[LocPath, list[str]]] = [
            (("projects", j, "effects"), p.effects) for j, p in enumerate(sc.projects)]
        lists += [(("projects", j, "on_failure"), p.on_failure) for j, p in enumerate(sc.projects)]
        for k, e in enumerate(sc.events):
            lists.append((("events", k, "effects"), e.effects))
            lists += [(("events", k, "choices", c, "effects"), ch.effects)
                      for c, ch in enumerate(e.choices)]
            lists += [(("events", k, "choices", c, "outcomes", o, "effects"), out.effects)
                      for c, ch in enumerate(e.choices) for o, out in enumerate(ch.outcomes)]
        for path, texts in lists:
            for i, text in enumerate(texts):
                effect = parse_effect(text, self.reg)
                why = _no_op(effect)
                if why:
                    self.warn((*path, i), why)
                elif effect.target == "budget.share" and sc.budget.schedule:
                    self.warn((*path, i), f"'{text}' changes nothing: the budget follows "
                              "'budget.schedule', not a share of revenue; change the "
                              "schedule's amounts instead")


    # -- cards only both may own -------------------------------------------------------
    def joint_only(self) -> None:
        """A condition on a single owner of a card only both may own is never true there."""
        sc = self.scenario
        shared = {p.id for p in sc.projects if p.joint_only}
        if not shared:
            return
        conditions: list[tuple[LocPath, str]] = [
            (("projects", j, "available", "when"), p.available.when)
            for j, p in enumerate(sc.projects) if p.available.when is not None]
        conditions += [(("events", k, "when"), e.when) for k, e in enumerate(sc.events)
                       if e.when is not None]
        for role in ("cmo", "cto"):
            conditions += [(("intel", role, "briefings", b, "when"), brief.when)
                           for b, brief in enumerate(getattr(sc.intel, role).briefings)]
        for path, text in conditions:
            for name in sorted(parse_condition(text, self.reg).names):
                parts = name.split(".")
                if (len(parts) == 3 and parts[0] == "project" and parts[1] in shared
                        and parts[2] in ("owner_cmo", "owner_cto")):
                    card = parts[1]
                    self.warn(path, f"'{name}' is never true: '{card}' has 'joint_only: true', "
                              f"so nobody owns it alone; use 'project.{card}.joint' or "
                              f"'project.{card}.funded'")


def _no_op(effect: Effect) -> str:
    """Why a constant effect changes nothing ('+= 0', '*= 1'), or ""."""
    if effect.names or effect.op == "=":
        return ""
    amount = float(effect.value({}, 1)[0])
    neutral = 1.0 if effect.op == "*=" else 0.0
    if amount != neutral:
        return ""
    return (f"'{effect.text}' changes nothing ({effect.op} {neutral:g}); give it a size, e.g. "
            f"'{effect.target} {effect.op} {'1.1' if effect.op == '*=' else '0.05'}', or "
            "remove it")


def _cycle(start: str, needs: dict[str, set[str]]) -> list[str]:
    """The circle of cards `start` is in through 'project.<id>.done' conditions, or []."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(needs.get(node, ())):
            if nxt == start:
                return path
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return []


def lint(scenario: Scenario, locator: Locator, file: str) -> list[Problem]:
    """Every warning for a scenario that has already validated, in file order."""
    return _Lint(scenario, locator, file).run()
