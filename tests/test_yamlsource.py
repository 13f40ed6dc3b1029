"""Tests for loading YAML into pydantic models with file:line:col problems.

The models here are small stand-ins for the real scenario models: what matters
is that every mistake a facilitator can make comes back as a positioned,
plain-language Problem inside a ScenarioError, and never as a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field

from game.scenario.problems import Problem, ScenarioError, did_you_mean
from game.scenario.yamlsource import (
    MAX_BYTES,
    Located,
    ProblemCollector,
    load_model,
    load_yaml,
    validate_model,
)


class Effect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    variable: str = Field(description="The state variable to change.")
    delta: float = Field(ge=-1, le=1)


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1)
    effects: list[Effect] = []


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quarters: int = Field(ge=0)
    seed: int = 0


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(description="Shown on the start screen.")
    difficulty: Literal["intro", "standard", "hard"] = "standard"
    settings: Settings
    options: list[Option] = []
    budget: int | Literal["auto"] = "auto"
    when: str = "true"


GOOD = """\
title: Launch
difficulty: hard
settings:
  quarters: 8
options:
  - label: Spend
    effects:
      - variable: company.brand
        delta: 0.1
"""


def problems_of(text: str | bytes, model: type[BaseModel] = Scenario) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_model("s.yaml", model, text)
    return info.value.problems


def only(text: str | bytes, model: type[BaseModel] = Scenario) -> Problem:
    problems = problems_of(text, model)
    assert len(problems) == 1, problems
    return problems[0]


# --------------------------------------------------------------------------- problems.py


def test_problem_str_and_error_sorting() -> None:
    later = Problem("a.yaml", 3, 1, "later")
    earlier = Problem("a.yaml", 1, 7, "earlier")
    error = ScenarioError([later, earlier, later])
    assert error.problems == [earlier, later]
    assert str(error) == "a.yaml:1:7: earlier\na.yaml:3:1: later"


def test_did_you_mean() -> None:
    assert did_you_mean("titel", ["title", "settings"]) == " (did you mean 'title'?)"
    assert did_you_mean("zzz", ["title", "settings"]) == ""
    assert did_you_mean("Hard", ["hard", "intro"]) == " (did you mean 'hard'?)"


# --------------------------------------------------------------------------- happy path


def test_good_file_loads() -> None:
    scenario = load_model("s.yaml", Scenario, GOOD)
    assert scenario.difficulty == "hard"
    assert scenario.options[0].effects[0].delta == pytest.approx(0.1)


def test_load_from_path(tmp_path: Path) -> None:
    path = tmp_path / "good.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_model(path, Scenario).title == "Launch"


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(ScenarioError) as info:
        load_model(path, Scenario)
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.column) == (str(path), 1, 1)
    assert "cannot read the file" in problem.message


def test_locator_keys_and_values() -> None:
    located = load_yaml("s.yaml", GOOD)
    locator = located.locator
    assert locator.key(("settings", "quarters")) == (4, 3)
    assert locator.value(("settings", "quarters")) == (4, 13)
    assert locator.value(("options", 0, "effects", 0)) == (8, 9)
    assert locator.key(("nope",)) is None
    # A path that does not exist lands on the closest mapping that does.
    assert locator.nearest(("settings", "missing")) == (4, 3)
    assert locator.nearest(("options", 0, "effects", 0, "x", 3)) == (8, 9)


# --------------------------------------------------------------------------- validation


def test_wrong_type_deep_in_a_list() -> None:
    text = GOOD.replace("delta: 0.1", "delta: lots")
    problem = only(text)
    assert (problem.line, problem.column) == (9, 16)
    assert problem.message == "expected a number, got 'lots'"
    assert str(problem) == "s.yaml:9:16: expected a number, got 'lots'"


def test_unknown_key_points_at_the_key_with_a_suggestion() -> None:
    text = GOOD.replace("label: Spend", "label: Spend\n    efects: []")
    problem = only(text)
    assert (problem.line, problem.column) == (7, 5)
    assert problem.message == "unknown key 'efects' (did you mean 'effects'?)"


def test_unknown_key_without_a_close_match_lists_the_allowed_keys() -> None:
    problem = only(GOOD.replace("  quarters: 8", "  quarters: 8\n  zzz: 1"))
    assert problem.message == "unknown key 'zzz'; allowed keys here: quarters, seed"


def test_missing_key_points_at_the_parent_mapping() -> None:
    text = GOOD.replace("      - variable: company.brand\n        delta", "      - delta")
    problem = only(text)
    assert (problem.line, problem.column) == (8, 9)
    assert problem.message == ("missing required key 'variable' (The state variable to change.)")


def test_missing_top_level_key() -> None:
    problem = only(GOOD.replace("title: Launch\n", ""))
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message.startswith("missing required key 'title'")


def test_literal_with_suggestion() -> None:
    problem = only(GOOD.replace("difficulty: hard", "difficulty: hardd"))
    assert (problem.line, problem.column) == (2, 13)
    assert problem.message == "'hardd' is not one of: intro, standard, hard (did you mean 'hard'?)"


def test_constraints_in_plain_words() -> None:
    problems = problems_of(
        GOOD.replace("quarters: 8", "quarters: -1").replace("label: Spend", "label: ''")
    )
    assert [p.message for p in problems] == ["must be at least 0, got -1", "must not be empty"]


def test_several_problems_at_once_sorted() -> None:
    text = """\
options:
  - label: A
    effects:
      - {variable: x, delta: 2}
      - {variable: 12, delta: 0}
difficulty: easy
titel: Launch
"""
    problems = problems_of(text)
    positions = [(p.line, p.column) for p in problems]
    assert positions == sorted(positions)
    messages = [p.message for p in problems]
    assert messages == [
        "missing required key 'title' (Shown on the start screen.)",
        "missing required key 'settings'",
        "must be at most 1, got 2",
        'expected text, got the number 12; put it in quotes ("12") to use it as text',
        "'easy' is not one of: intro, standard, hard",
        "unknown key 'titel' (did you mean 'title'?)",
    ]
    assert positions == [(1, 1), (1, 1), (4, 30), (5, 20), (6, 13), (7, 1)]


def test_yaml_booleans_are_explained() -> None:
    problem = only(GOOD.replace("title: Launch", "title: yes"))
    assert problem.message == (
        'expected text, got yes, which YAML reads as true; put it in quotes ("yes") to use it '
        "as text"
    )


def test_union_errors_are_merged_into_one_message() -> None:
    problem = only(GOOD + "budget: autoo\n")
    assert (problem.line, problem.column) == (10, 9)
    assert problem.message == (
        "expected a whole number or one of: auto, got 'autoo' (did you mean 'auto'?)"
    )


def test_union_of_models_reports_the_closest_member() -> None:
    class Pick(BaseModel):
        model_config = ConfigDict(extra="forbid")
        choice: Option | Effect

    problem = only("choice: {label: x, delta: 1}\n", Pick)
    assert (problem.line, problem.column) == (1, 20)
    assert problem.message == "unknown key 'delta'; allowed keys here: label, effects"


class Vote(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["vote"]
    question: str


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["text"]
    body: str = Field(alias="text")


class Agenda(BaseModel):
    model_config = ConfigDict(extra="forbid")
    events: list[Annotated[Vote | Note, Field(discriminator="kind")]]


def test_discriminated_union_positions_and_choices() -> None:
    text = """\
events:
  - kind: text
    text: [1]
  - kind: vote
    question: q
    extra: 1
  - kind: vot
"""
    problems = problems_of(text, Agenda)
    assert [str(p) for p in problems] == [
        "s.yaml:3:11: expected text, got a list",
        "s.yaml:6:5: unknown key 'extra'; allowed keys here: kind, question",
        "s.yaml:7:11: 'vot' is not a valid kind; expected one of: vote, text"
        " (did you mean 'vote'?)",
    ]


def test_empty_value_for_a_mapping() -> None:
    problem = only(GOOD.replace("settings:\n  quarters: 8\n", "settings:\n"))
    assert problem.line == 3
    assert problem.message == (
        "expected a mapping of 'key: value' lines, got nothing (the value is empty)"
    )


def test_validate_model_uses_the_given_file_name() -> None:
    located = load_yaml("ignored.yaml", "title: x\n")
    with pytest.raises(ScenarioError) as info:
        validate_model(located, Scenario, "shown.yaml")
    assert {p.file for p in info.value.problems} == {"shown.yaml"}


# --------------------------------------------------------------------------- YAML level


ALIAS_MESSAGE = (
    "anchors and aliases (&name / *name) are not allowed in scenario files; write the value out"
)


def test_aliases_are_refused() -> None:
    problems = problems_of("title: x\nsettings: *base\n")
    assert [(p.line, p.column, p.message) for p in problems] == [(2, 11, ALIAS_MESSAGE)]


def test_anchors_are_refused() -> None:
    problems = problems_of("title: &t x\nsettings: &s\n  quarters: 1\n")
    assert [(p.line, p.column, p.message) for p in problems] == [
        (1, 8, ALIAS_MESSAGE),
        (2, 11, ALIAS_MESSAGE),
    ]


def test_anchor_and_alias_together_both_reported() -> None:
    problems = problems_of("a: &x {q: 1}\nb: *x\nc: *x\n")
    assert [(p.line, p.column) for p in problems] == [(1, 4), (2, 4), (3, 4)]


def test_duplicate_keys() -> None:
    problems = problems_of("title: a\nsettings: {quarters: 1, quarters: 2}\ntitle: b\n")
    assert [str(p) for p in problems] == [
        "s.yaml:2:25: 'quarters' appears twice in this mapping; the first is at line 2, column 12",
        "s.yaml:3:1: 'title' appears twice in this mapping; the first is at line 1",
    ]


def test_keys_must_be_text() -> None:
    problems = problems_of("1: a\nno: b\n[x]: c\n")
    assert [p.message for p in problems] == [
        'keys must be text, but YAML reads 1 as the number 1; put the key in quotes: "1"',
        'keys must be text, but YAML reads no as false; put the key in quotes: "no"',
        "a key must be plain text, not a list or a mapping",
    ]


def test_custom_tags_are_refused() -> None:
    problem = only("title: !!python/object:os.system x\n")
    assert (problem.line, problem.column) == (1, 8)
    assert "not allowed" in problem.message


def test_unbalanced_brackets() -> None:
    problem = only("title: x\nsettings: [1, 2\n")
    assert problem.line == 3 and problem.column == 1
    assert "'[' list at line 2, column 11 is not closed" in problem.message


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("title: a: b\n", (1, 9), "put the whole value in quotes"),
        ("title: x\nfoo\nsettings: {}\n", (2, 1), "there is no ':'"),
        ("title: x\n\tsettings: {}\n", (2, 1), "tabs"),
        ("title: 'x\n", (2, 1), "never closed"),
        ('title: "C:\\Users"\n', (1, 13), "backslash"),
        ("title: @x\n", (1, 8), "cannot start with '@'"),
        ("title: x\n---\ntitle: y\n", (2, 1), "only one document"),
        ("settings:\n  quarters: 1\n  - y\n", (3, 3), "line up"),
    ],
)
def test_syntax_errors_are_positioned(
    text: str, position: tuple[int, int], words: str | None
) -> None:
    problem = only(text)
    assert (problem.line, problem.column) == position
    if words:
        assert words in problem.message
    assert "<" not in problem.message  # no PyYAML token names like <block end>


def test_expression_like_strings_do_not_crash() -> None:
    located = load_yaml("s.yaml", "when: a = b\nbare: =\nmerge: <<\nday: 2024-01-01\n")
    assert located.data == {"when": "a = b", "bare": "=", "merge": "<<", "day": "2024-01-01"}


def test_binary_noise() -> None:
    problem = only(bytes(range(256)) * 3)
    assert "not a text file" in problem.message
    assert problem.line >= 1 and problem.column >= 1


def test_invalid_utf8() -> None:
    problem = only(b"title: caf\xe9\n")
    assert (problem.line, problem.column) == (1, 11)
    assert "UTF-8" in problem.message


def test_control_characters() -> None:
    problem = only("title: x\nwhen: a\x07b\n")
    assert (problem.line, problem.column) == (2, 8)
    assert "U+0007" in problem.message


def test_too_large_text() -> None:
    problem = only("a: " + "x" * MAX_BYTES)
    assert (problem.line, problem.column) == (1, 1)
    assert "too large" in problem.message and f"{MAX_BYTES:,}" in problem.message


def test_too_large_file(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with open(path, "wb") as handle:
        handle.write(b"# " + b"x" * (MAX_BYTES + 10))
    with pytest.raises(ScenarioError) as info:
        load_model(path, Scenario)
    [problem] = info.value.problems
    assert f"({os.path.getsize(path):,} bytes)" in problem.message


@pytest.mark.parametrize("text", ["", "   \n\n", "# only a comment\n"])
def test_empty_file(text: str) -> None:
    problem = only(text)
    assert (problem.line, problem.column) == (1, 1)
    assert "must contain 'key: value' lines" in problem.message


def test_top_level_list() -> None:
    problem = only("- title: x\n- title: y\n")
    assert (problem.line, problem.column) == (1, 1)
    assert "holds a list" in problem.message


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    problem = only("a: " + "[" * 5000 + "]" * 5000)
    assert "nested too deeply" in problem.message


def test_huge_integer() -> None:
    problem = only("title: x\nsettings: {quarters: " + "9" * 5000 + "}\n")
    assert "too many digits" in problem.message


# --------------------------------------------------------------------------- ProblemCollector

EXPRESSIONS = """\
plain: quarter >= 4 and nope < 1
single: 'quarter >= 4 and nope < 1'
double: "quarter >= 4 and nope < 1"
escaped: "\\t quarter and nope"
doubled: 'it''s nope'
folded: quarter >= 4 and
  nope < 1
block: |
  quarter >= 4
  and nope < 1
items:
  - when: nope
"""


@pytest.mark.parametrize(
    ("key", "position"),
    [
        ("plain", (1, 25)),
        ("single", (2, 27)),
        ("double", (3, 27)),
        ("escaped", (4, 26)),
        ("doubled", (5, 17)),
        ("folded", (7, 3)),
        ("block", (10, 7)),
    ],
)
def test_column_offset_points_inside_the_scalar(key: str, position: tuple[int, int]) -> None:
    located = load_yaml("e.yaml", EXPRESSIONS)
    value = located.data[key]
    collector = ProblemCollector(located, "e.yaml")
    collector.add((key,), "unknown variable 'nope'", column_offset=value.index("nope"))
    [problem] = collector.problems
    assert (problem.line, problem.column) == position
    line = EXPRESSIONS.splitlines()[problem.line - 1]
    assert line[problem.column - 1 :].startswith("nope")


def test_collector_key_and_fallbacks() -> None:
    located = load_yaml("e.yaml", EXPRESSIONS)
    collector = ProblemCollector(located.locator, "e.yaml")
    assert not collector
    collector.add(("items", 0, "when"), "bad key", at="key")
    collector.add(("items", 0, "missing"), "points at the parent")
    collector.add(("plain",), "past the end", column_offset=40)
    assert [(p.line, p.column) for p in collector.problems] == [(12, 5), (12, 5), (1, 48)]
    with pytest.raises(ScenarioError) as info:
        collector.raise_if_any()
    assert len(info.value.problems) == 3


def test_offset_zero_is_the_first_character_inside_the_quotes() -> None:
    located = load_yaml("e.yaml", EXPRESSIONS)
    assert located.locator.position(("single",)) == (2, 9)
    assert located.locator.position(("single",), column_offset=0) == (2, 10)
    assert located.locator.position(("block",), column_offset=0) == (9, 3)


def test_collector_without_problems_does_not_raise() -> None:
    ProblemCollector(load_yaml("e.yaml", "a: 1\n"), "e.yaml").raise_if_any()


# --------------------------------------------------------------------------- never a traceback


def check_never_crashes(text: str | bytes) -> None:
    try:
        result = load_model("fuzz.yaml", Scenario, text)
    except ScenarioError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.line >= 1 and problem.column >= 1
            assert problem.file == "fuzz.yaml"
            assert problem.message
    else:
        assert isinstance(result, Scenario)


FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
YAMLISH = st.text(alphabet=" \t\n:-?[]{},'\"#&*!|>%@`\\=<ab1.~", max_size=80)
FRAGMENTS = st.lists(
    st.sampled_from(
        [
            "title: x\n",
            "settings:\n",
            "  quarters: 1\n",
            "  quarters: -1\n",
            "options:\n",
            "  - label: a\n",
            "    effects:\n",
            "      - {variable: v, delta: 2}\n",
            "- x\n",
            "budget: autoo\n",
            "difficulty: hardd\n",
            "&a ",
            "*a ",
            "titel: x\n",
            "  ",
            "\t",
            "[",
            "]",
            "{",
            "}",
            "'",
            '"',
            ": ",
            "\n",
            "yes: no\n",
            "? x\n",
            "!!str ",
            "<<: {}\n",
        ]
    ),
    max_size=12,
).map("".join)


@FUZZ
@given(st.binary(max_size=200))
def test_fuzz_binary(data: bytes) -> None:
    check_never_crashes(data)


@FUZZ
@given(st.text(max_size=200))
def test_fuzz_text(text: str) -> None:
    check_never_crashes(text)


@FUZZ
@given(st.one_of(YAMLISH, FRAGMENTS))
def test_fuzz_yaml_like_text(text: str) -> None:
    check_never_crashes(text)


def test_located_is_plain_data() -> None:
    located = load_yaml("s.yaml", GOOD)
    assert isinstance(located, Located)
    assert located.data["options"][0]["effects"][0]["variable"] == "company.brand"
