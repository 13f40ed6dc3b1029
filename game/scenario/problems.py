"""Problems found in scenario files, reported as ``file:line:col: message``.

Scenario files are written by facilitators, not programmers, so every check
collects *all* of its findings as :class:`Problem` values and raises them
together in one :class:`ScenarioError` instead of stopping at the first one
with a traceback. The ``file:line:col`` shape is what editors and CI logs
already know how to jump to.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One finding, pinned to a 1-based line and column so an editor can jump to it."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


def _sort_key(problem: Problem) -> tuple[str, int, int]:
    return (problem.file, problem.line, problem.column)


class ScenarioError(Exception):
    """Every problem found in one go, in file order, so a facilitator can fix them all at once.

    Exact duplicates are dropped; the order is by file, then line, then column
    (stable, so problems at the same spot keep the order they were found in).
    """

    problems: list[Problem]

    def __init__(self, problems: Iterable[Problem]) -> None:
        unique = list(dict.fromkeys(problems))
        self.problems = sorted(unique, key=_sort_key)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or ``""`` if none is close.

    Typos in key names and option values are the most common mistake in
    hand-written files; naming the likely intended word saves a trip to the docs.
    """
    options = sorted({choice for choice in choices if choice != word})
    matches = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not matches:
        # Case slips ("Hard" for "hard") are not always close enough for difflib.
        folded = [option for option in options if option.casefold() == word.casefold()]
        matches = folded[:1]
    return f" (did you mean '{matches[0]}'?)" if matches else ""
