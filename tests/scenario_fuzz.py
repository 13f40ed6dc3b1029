"""A seeded mutator of the shipped scenario files, and the check each mutant must pass.

Facilitators' files are hostile input in the small: a typo, a pasted expression, a
number with too many zeros. Every mutant must either be reported as problems (a
ScenarioError) or load and simulate to finite figures; anything else (a traceback
from validate, a crash or a NaN in the simulation) is a bug. Shared by the CI-sized
test (tests/test_fuzz.py) and the 10,000-file run (benchmarks/fuzz_scenarios.py).
"""

from __future__ import annotations

import random
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml

from game.report.montecarlo import COLUMNS, run
from game.report.summary import nonfinite
from game.scenario.catalog import scenario_paths
from game.scenario.loader import load_scenario
from game.scenario.problems import ScenarioError

Outcome = Literal["reported", "valid", "crashed", "nonfinite"]

_NUMBERS: tuple[Any, ...] = (0, -5, 1e308, -1e308, 1e-308, 10**40, -(10**40), 2**63,
                             float("inf"), float("-inf"), float("nan"), 0.5, 99999, -1, 1)
_TEXT_NUMBERS = ("1e999", "-1e999", ".nan", ".inf", "-.inf", "1" * 400, "0x10", "1_000")
_EFFECTS = (
    "company.market_size = 0", "company.arpu *= 1e308", "company.market_size *= -5",
    "company.arpu = 0", "company.arpu *= 0", "company.market_size *= 1e308",
    "market.demand *= 1e308", "tech.debt = 1e308", "company.arpu += 1e308 * 1e308",
    "company.arpu = company.revenue / 0", "company.market_size = -company.market_size",
    "budget.share = 0", "board.cmo = 0", "company.brand = 1",
    "company.arpu = " + "(" * 200 + "1" + ")" * 200,
    "company.arpu = " + "-" * 3000 + "1",
    "company.arpu = " + " + ".join(["company.arpu"] * 3000),
    "company.arpu *= " + " * ".join(["1e10"] * 60),
)
_CONDITIONS = (
    "quarter >= 1", "(" * 500 + "true" + ")" * 500, "not " * 2000 + "true",
    " and ".join(["quarter >= 1"] * 2000), "company.growth > 1e308",
    "company.revenue / 0 == 0", "abs(" * 100 + "quarter" + ")" * 100 + " > 0",
)


def _nodes(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into the parsed file, so a mutation can land anywhere."""
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _nodes(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _nodes(v, (*path, i))
    return out


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        data = data[p]
    return data


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    _get(data, path[:-1])[path[-1]] = value
    return data


def _random_value(rng: random.Random, old: Any) -> Any:
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(_NUMBERS)
    if roll < 0.5:
        return rng.choice(_EFFECTS)
    if roll < 0.6:
        return rng.choice(_CONDITIONS)
    if roll < 0.7:
        return [old, old] if rng.random() < 0.5 else {"x": old}
    if roll < 0.8:
        return rng.choice((None, True, "", "abc", [], {}, "\u00e9\u2603\x00"))
    if isinstance(old, float | int) and not isinstance(old, bool):
        return old * rng.choice((10.0**rng.randint(1, 300), -1.0, 0.0, 1e-300))
    return rng.choice(_NUMBERS)


def _data_mutation(rng: random.Random, data: Any) -> Any:
    for _ in range(rng.randint(1, 3)):
        paths = _nodes(data)
        path = rng.choice(paths)
        target = _get(data, path)
        if isinstance(target, list) and target and rng.random() < 0.5:
            item = target[rng.randrange(len(target))]
            if isinstance(item, str) and rng.random() < 0.7:
                target.append(rng.choice(_EFFECTS + _CONDITIONS))
            else:
                target.append(_random_value(rng, item))
            continue
        if isinstance(target, dict) and target and rng.random() < 0.3:
            del target[rng.choice(list(target))]
            continue
        data = _set(data, path, _random_value(rng, target))
    return data


def _text_mutation(rng: random.Random, text: str) -> str:
    lines = text.splitlines(keepends=True)
    kind = rng.randrange(6)
    i = rng.randrange(len(lines))
    if kind == 0:
        del lines[i]
    elif kind == 1:
        lines.insert(i, lines[rng.randrange(len(lines))])
    elif kind == 2:
        line = lines[i]
        j = rng.randrange(len(line) + 1)
        lines[i] = line[:j] + rng.choice(("(", ")", "-", ":", "[", "{", "&", "'", "\t", "9e9",
                                          "*", "  ", "\ufeff", "%")) + line[j:]
    elif kind == 3:
        return text[:rng.randrange(len(text))]
    elif kind == 4:
        line = lines[i]
        j = rng.randrange(len(line) + 1)
        lines[i] = line[:j] + rng.choice(_TEXT_NUMBERS) + line[j:]
    else:
        lines.insert(i, "[" * rng.randint(10, 3000) + "\n")
    return "".join(lines)


def mutate(rng: random.Random, text: str) -> str:
    """One mutant of a scenario's YAML text: a change to the data (dumped again) or to
    the raw text, occasionally both."""
    if rng.random() < 0.6:
        data = yaml.safe_load(text)
        text = yaml.safe_dump(_data_mutation(rng, data), sort_keys=False, allow_unicode=True,
                              width=10**6)
    if rng.random() < 0.45:
        text = _text_mutation(rng, text)
    return text


@dataclass
class Tally:
    tried: int = 0
    reported: int = 0
    valid: int = 0
    crashed: int = 0
    nonfinite: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, outcome: Outcome, detail: str = "") -> None:
        self.tried += 1
        setattr(self, outcome, getattr(self, outcome) + 1)
        if outcome in ("crashed", "nonfinite"):
            self.failures.append(detail)


def check(text: str, name: str, games: int = 8, seed: int = 1) -> tuple[Outcome, str]:
    """Validate one mutant and, when it validates, simulate a few games of it."""
    try:
        scenario = load_scenario(name, text)
    except ScenarioError:
        return "reported", ""
    except Exception:
        return "crashed", f"{name}: validate raised\n{traceback.format_exc()}"
    try:
        data = run(scenario, "random", "reciprocal", games, seed, workers=1)
    except Exception:
        return "crashed", f"{name}: simulate raised\n{traceback.format_exc()}"
    bad = nonfinite(data)
    if bad or not np.all(np.isfinite(data)):
        return "nonfinite", f"{name}: non-finite figures {bad or list(COLUMNS)}"
    return "valid", ""


def sources() -> list[tuple[str, str]]:
    return [(p.stem, Path(p).read_text(encoding="utf-8")) for p in scenario_paths()]


def fuzz(count: int, seed: int, games: int = 8) -> Tally:
    """`count` mutants of the shipped scenarios, round robin, from one seed."""
    rng = random.Random(seed)
    tally = Tally()
    files = sources()
    for k in range(count):
        stem, text = files[k % len(files)]
        outcome, detail = check(mutate(rng, text), f"{stem}-mutant-{k}.yaml", games, seed)
        tally.add(outcome, detail)
    return tally
