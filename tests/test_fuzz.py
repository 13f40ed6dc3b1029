"""Hostile scenario files: every mutant is reported or simulates to finite figures.

The CI-sized run of tests/scenario_fuzz.py; benchmarks/fuzz_scenarios.py runs 10,000.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scenario_fuzz import check, fuzz

from game.report.montecarlo import run
from game.report.summary import nonfinite
from game.scenario.catalog import resolve
from game.scenario.loader import check_scenario, load_scenario

BAD_EFFECTS = ("company.market_size = 0", "company.arpu *= 1e308", "company.market_size *= -5",
               "company.arpu = 0", "company.market_size *= 1e308")


def test_seeded_mutants_are_reported_or_simulate_to_finite_figures() -> None:
    tally = fuzz(90, seed=15, games=4)
    assert tally.crashed == 0 and tally.nonfinite == 0, "\n\n".join(tally.failures[:3])
    assert tally.tried == 90 and tally.reported > 0 and tally.valid > 0


def _with_effect(effect: str) -> str:
    text = resolve("first-quarter").read_text(encoding="utf-8")
    anchor = "      - company.arpu += 0.02\n"
    assert anchor in text
    return text.replace(anchor, anchor + f"      - {effect}\n", 1)


@pytest.mark.parametrize("effect", BAD_EFFECTS)
def test_an_effect_at_the_bounds_validates_with_a_warning_and_stays_finite(effect: str) -> None:
    scenario, warnings = check_scenario("fq.yaml", _with_effect(effect))
    assert len(warnings) == 1 and "warning:" in str(warnings[0])
    assert str(warnings[0]).startswith("fq.yaml:")
    data = run(scenario, "random", "reciprocal", 64, 3, workers=1)
    assert nonfinite(data) == [] and np.all(np.isfinite(data))
    assert check(_with_effect(effect), "fq.yaml")[0] == "valid"


def test_ordinary_effects_give_no_warning() -> None:
    for stem in ("first-quarter", "digital-shift", "martech-budget"):
        assert check_scenario(resolve(stem))[1] == []


def test_deeply_nested_expressions_are_problems_not_crashes() -> None:
    text = resolve("first-quarter").read_text(encoding="utf-8")
    deep = text.replace("      - company.arpu += 0.02\n",
                        "      - company.arpu += " + "(" * 5000 + "1" + ")" * 5000 + "\n", 1)
    outcome, detail = check(deep, "deep.yaml")
    assert outcome == "reported", detail


def test_simulate_json_names_a_non_finite_figure_instead_of_printing_nan() -> None:
    from game.report.montecarlo import COLUMNS

    data = np.ones((len(COLUMNS), 5))
    data[COLUMNS.index("growth"), 2] = np.nan
    data[COLUMNS.index("score"), 4] = np.inf
    assert nonfinite(data) == ["'growth' (1 of 5 games, first game 3)",
                               "'score' (1 of 5 games, first game 5)"]


def test_simulate_of_a_bounded_scenario_prints_strict_json(tmp_path: Path) -> None:
    path = tmp_path / "fq.yaml"
    path.write_text(_with_effect("company.arpu *= 1e308"), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "game.cli.main", "simulate", str(path),
                          "--games", "64", "--json", "--workers", "1"],
                         capture_output=True, text=True, timeout=60, check=True)
    json.loads(out.stdout, parse_constant=lambda c: pytest.fail(f"{c} in the JSON"))
    assert load_scenario(path).id == "first-quarter"
