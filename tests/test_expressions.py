"""Tests for the scenario expression language (conditions and effects)."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from game.scenario.expressions import (
    Condition,
    Effect,
    ExpressionError,
    parse_condition,
    parse_effect,
)
from game.scenario.variables import VariableRegistry

REG = VariableRegistry(project_ids=["crm", "data-platform"], event_ids=["breach"])
B = 5


def make_env() -> dict[str, Any]:
    """Mixed scalars and (B,) arrays, as the engine keeps them."""
    return {
        "quarter": 4,
        "quarters_total": 8.0,
        "trust.cto_to_cmo": np.array([0.1, 0.5, 0.3, 0.9, 0.0]),
        "trust.cmo_to_cto": np.array([0.2, 0.2, 0.8, 0.8, 0.5]),
        "tech.debt": np.array([0.0, 0.25, 0.5, 0.75, 1.0]),
        "market.demand": np.array([0.8, 1.0, 0.0, 1.2, 0.0]),
        "company.revenue": np.array([10.0, 20.0, 30.0, 40.0, 50.0]),
        "company.brand": np.array([0.5, 0.5, 0.5, 0.5, 0.5]),
        "company.arpu": np.array([1.0, 2.0, 3.0, 4.0, 5.0]),
        "project.crm.done": np.array([0.0, 1.0, 0.0, 1.0, 2.0]),
        "project.data-platform.done": np.array([1.0, 1.0, 0.0, 0.0, 0.0]),
        "event.breach.fired": 0.0,
    }


def cond(text: str, env: dict[str, Any] | None = None) -> list[bool]:
    c = parse_condition(text, REG)
    out = c.evaluate(make_env() if env is None else env, B)
    assert out.dtype == np.bool_ and out.shape == (B,)
    return [bool(x) for x in out]


def num(text: str, env: dict[str, Any] | None = None) -> list[float]:
    """Evaluate a numeric expression through an effect's right-hand side (no clamping)."""
    e = parse_effect(f"tech.debt = {text}", REG)
    out = e.value(make_env() if env is None else env, B)
    assert out.dtype == np.float64 and out.shape == (B,)
    return [float(x) for x in out]


def error(text: str, effect: bool = False) -> ExpressionError:
    with pytest.raises(ExpressionError) as info:
        (parse_effect if effect else parse_condition)(text, REG)
    err = info.value
    assert str(err) == err.message
    assert 1 <= err.column <= len(text) + 1
    assert err.length >= 1
    return err


ALL = [True] * B
NONE = [False] * B


# --------------------------------------------------------------------------- evaluation


def test_examples_from_the_brief() -> None:
    assert cond("quarter >= 4 and trust.cto_to_cmo < 0.4") == [True, False, True, False, True]
    assert cond("not project.crm.done") == [True, False, True, False, False]
    assert cond("market.demand < 0.9 or (tech.debt > 0.3 and quarter > 2)") == [
        True, False, True, True, True]


def test_scalar_and_array_env_values_broadcast() -> None:
    assert cond("quarter == 4") == ALL
    assert cond("quarters_total / quarter == 2") == ALL
    assert num("quarter + tech.debt") == [4.0, 4.25, 4.5, 4.75, 5.0]
    assert num("quarter") == [4.0] * B
    env = make_env()
    env["quarter"] = np.int64(2)
    assert num("quarter * 2", env) == [4.0] * B


def test_result_is_a_fresh_array() -> None:
    env = make_env()
    out = parse_effect("tech.debt = tech.debt", REG).value(env, B)
    out[:] = 9.0
    assert env["tech.debt"][0] == 0.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3 == 7", True),
        ("(1 + 2) * 3 == 9", True),
        ("10 - 4 - 3 == 3", True),  # left to right
        ("8 / 4 / 2 == 1", True),  # left to right
        ("2 * 3 / 4 == 1.5", True),
        ("-2 * 3 == -6", True),
        ("- 3 - 1 == -4", True),
        ("2 - -3 == 5", True),
        ("--3 == 3", True),
        ("+3 == 3", True),
        ("-(1 + 2) == -3", True),
        ("2 * -3 == -6", True),
        ("1 + 1 > 1 and 2 < 3", True),
        ("true or false and false", True),  # and binds tighter than or
        ("(true or false) and false", False),
        ("not false and false", False),  # not binds tighter than and
        ("not (false and false)", True),
        ("not 1 > 2", True),  # comparison binds tighter than not
        ("not not true", True),
        ("false or false or true", True),
        ("true and true and false", False),
        ("(1 < 2) == true", True),
        ("(1 < 2) != (2 < 1)", True),
    ],
)
def test_precedence_and_associativity(text: str, expected: bool) -> None:
    assert cond(text) == [expected] * B


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tech.debt < 0.5", [True, True, False, False, False]),
        ("tech.debt <= 0.5", [True, True, True, False, False]),
        ("tech.debt > 0.5", [False, False, False, True, True]),
        ("tech.debt >= 0.5", [False, False, True, True, True]),
        ("tech.debt == 0.5", [False, False, True, False, False]),
        ("tech.debt != 0.5", [True, True, False, True, True]),
        ("tech.debt < 0.3 or tech.debt > 0.7", [True, True, False, True, True]),
        ("tech.debt > 0.3 and tech.debt < 0.9", [False, False, True, True, False]),
        ("not tech.debt > 0.3", [True, True, False, False, False]),
    ],
)
def test_comparisons_and_logic_per_game(text: str, expected: list[bool]) -> None:
    assert cond(text) == expected


def test_arithmetic_operators() -> None:
    assert num("company.arpu + 1") == [2, 3, 4, 5, 6]
    assert num("company.arpu - 1") == [0, 1, 2, 3, 4]
    assert num("company.arpu * 2") == [2, 4, 6, 8, 10]
    assert num("company.arpu / 2") == [0.5, 1, 1.5, 2, 2.5]
    assert num("-company.arpu") == [-1, -2, -3, -4, -5]
    assert num("company.revenue / company.arpu") == [10] * B


@pytest.mark.parametrize(
    ("text", "value"),
    [("3", 3.0), ("0.25", 0.25), (".5", 0.5), ("1e-3", 0.001), ("1E2", 100.0),
     ("2.5e+1", 25.0), ("5%", 0.05), ("50%", 0.5), (".5%", 0.005), ("3.", 3.0),
     ("1e2%", 1.0)],
)
def test_number_literals(text: str, value: float) -> None:
    assert num(text) == pytest.approx([value] * B)


def test_booleans() -> None:
    assert cond("true") == ALL
    assert cond("false") == NONE
    assert cond("True and not FALSE") == ALL  # keywords in any case
    # boolean variables are true where the stored value is not 0
    assert cond("project.crm.done") == [False, True, False, True, True]
    assert cond("project.crm.done == true") == [False, True, False, True, True]
    assert cond("project.crm.done != false") == [False, True, False, True, True]
    assert cond("project.crm.done and project.data-platform.done") == [
        False, True, False, False, False]
    assert cond("project.crm.done or project.data-platform.done") == [
        True, True, False, True, True]
    assert cond("event.breach.fired") == NONE  # a scalar boolean broadcasts
    assert cond("not event.breach.fired") == ALL


def test_functions() -> None:
    assert num("min(company.arpu, 3)") == [1, 2, 3, 3, 3]
    assert num("max(company.arpu, 3)") == [3, 3, 3, 4, 5]
    assert num("min(company.arpu, 4, quarter - 2)") == [1, 2, 2, 2, 2]
    assert num("max(1, 2, 3, 4)") == [4] * B
    assert num("abs(2 - company.arpu)") == [1, 0, 1, 2, 3]
    assert num("abs(-2)") == [2] * B
    assert num("clamp(company.arpu, 2, 4)") == [2, 2, 3, 4, 4]
    assert num("clamp(company.arpu * 10, 0, quarter)") == [4] * B
    assert num("MIN(1, 2) + Max(1, 2)") == [3] * B
    assert num("min(1, max(2, 3)) * 2") == [2] * B


def test_division_by_zero_gives_zero_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert num("company.arpu / market.demand") == pytest.approx(
            [1.25, 2.0, 0.0, 4 / 1.2, 0.0])
        assert num("1 / 0") == [0.0] * B
        assert num("quarter / (quarter - 4)") == [0.0] * B
        assert num("tech.debt / tech.debt") == [0.0, 1.0, 1.0, 1.0, 1.0]
        assert num("0 / 0") == [0.0] * B
        assert cond("company.arpu / market.demand == 0") == [False, False, True, False, True]


def test_names_are_reported() -> None:
    c = parse_condition("quarter >= 4 and (trust.cto_to_cmo < 0.4 or not project.crm.done)",
                        REG)
    assert isinstance(c, Condition)
    assert c.names == frozenset({"quarter", "trust.cto_to_cmo", "project.crm.done"})
    assert parse_condition("1 < 2", REG).names == frozenset()
    e = parse_effect("tech.debt += market.demand * 5%", REG)
    assert isinstance(e, Effect)
    assert (e.target, e.op, e.names) == ("tech.debt", "+=", frozenset({"market.demand"}))
    assert e.text == "tech.debt += market.demand * 5%"


# --------------------------------------------------------------------------- dashes in names


def test_dash_inside_a_name() -> None:
    assert cond("project.data-platform.done") == [True, True, False, False, False]
    assert parse_condition("project.data-platform.running", REG).names == frozenset(
        {"project.data-platform.running"})


@pytest.mark.parametrize(
    "text",
    ["company.arpu - quarter", "company.arpu -quarter", "company.arpu- quarter",
     "company.arpu - -quarter * -1"],
)
def test_dash_with_a_space_is_subtraction(text: str) -> None:
    assert num(text) == [-3, -2, -1, 0, 1]


def test_dash_before_a_digit_is_subtraction() -> None:
    assert num("quarter-1") == [3] * B
    assert num("company.arpu-1") == [0, 1, 2, 3, 4]


def test_dash_between_letters_without_spaces_makes_one_name() -> None:
    err = error("tech.debt-market.demand > 0")
    assert (err.column, err.length) == (1, 23)
    assert "unknown name 'tech.debt-market.demand'" in err.message
    assert "put spaces around '-'" in err.message


# --------------------------------------------------------------------------- effects


def test_effect_assignments() -> None:
    env = make_env()
    arr = env["company.arpu"]
    parse_effect("company.arpu += 1", REG).apply(env)
    assert env["company.arpu"] is arr  # changed in place
    assert list(arr) == [2, 3, 4, 5, 6]
    parse_effect("company.arpu -= 0.5", REG).apply(env)
    assert list(arr) == [1.5, 2.5, 3.5, 4.5, 5.5]
    parse_effect("company.arpu *= 2", REG).apply(env)
    assert list(arr) == [3, 5, 7, 9, 11]
    parse_effect("company.arpu = quarter", REG).apply(env)
    assert list(arr) == [4] * B
    parse_effect("company.arpu = company.arpu * company.arpu", REG).apply(env)
    assert list(arr) == [16] * B


def test_effect_with_mask() -> None:
    env = make_env()
    mask = np.array([True, False, True, False, False])
    parse_effect("company.arpu += 10", REG).apply(env, mask)
    assert list(env["company.arpu"]) == [11, 2, 13, 4, 5]
    parse_effect("company.arpu = 0", REG).apply(env, np.zeros(B, dtype=bool))
    assert list(env["company.arpu"]) == [11, 2, 13, 4, 5]


def test_effect_clamps_to_the_variable_range() -> None:
    env = make_env()
    parse_effect("tech.debt += 0.5", REG).apply(env)  # range 0..1
    assert list(env["tech.debt"]) == [0.5, 0.75, 1.0, 1.0, 1.0]
    parse_effect("company.brand -= 2", REG).apply(env)
    assert list(env["company.brand"]) == [0.0] * B
    parse_effect("company.arpu *= 100", REG).apply(env)  # range 0.001..1000
    assert list(env["company.arpu"]) == [100, 200, 300, 400, 500]
    parse_effect("company.arpu *= 1e308", REG).apply(env)
    assert list(env["company.arpu"]) == [1000.0] * B
    parse_effect("company.arpu = -5", REG).apply(env)
    assert list(env["company.arpu"]) == [0.001] * B
    env["company.market_size"] = np.ones(B)
    parse_effect("company.market_size = 0", REG).apply(env)
    assert list(env["company.market_size"]) == [0.001] * B


def test_effect_clamps_only_where_masked() -> None:
    env = make_env()
    mask = np.array([False, False, False, True, True])
    parse_effect("tech.debt += 1", REG).apply(env, mask)
    assert list(env["tech.debt"]) == [0.0, 0.25, 0.5, 1.0, 1.0]


def test_effect_value_is_the_unclamped_right_hand_side() -> None:
    e = parse_effect("tech.debt += company.arpu * 2", REG)
    out = e.value(make_env(), B)
    assert out.dtype == np.float64
    assert list(out) == [2, 4, 6, 8, 10]


def test_effect_divides_by_zero_safely() -> None:
    env = make_env()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        parse_effect("company.arpu = company.revenue / market.demand", REG).apply(env)
    # 0 where the divisor is 0, then clamped to the lowest arpu
    assert list(env["company.arpu"]) == pytest.approx([12.5, 20.0, 0.001, 40 / 1.2, 0.001])


def test_effect_needs_an_array_target() -> None:
    env = make_env()
    env["company.arpu"] = 3.0
    with pytest.raises(TypeError):
        parse_effect("company.arpu += 1", REG).apply(env)


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "column", "length", "message"),
    [
        ("", 1, 1, "the expression is empty"),
        ("   ", 1, 3, "the expression is empty"),
        ("quarter > 1 and trust.cto_to_cm < 0.4", 17, 15,
         "unknown name 'trust.cto_to_cm' (did you mean 'trust.cto_to_cmo'?)"),
        ("quater > 1", 1, 6, "unknown name 'quater' (did you mean 'quarter'?)"),
        ("revenue > 1", 1, 7, "unknown name 'revenue' (did you mean 'company.revenue'?)"),
        ("xyzzy > 1", 1, 5, "unknown name 'xyzzy'"),
        ("quarter > 1 and", 16, 1, "expected a value after 'and'"),
        ("quarter > (1 +", 15, 1, "expected a value after '+'"),
        ("quarter > 1)", 12, 1, "unexpected ')'"),
        (")", 1, 1, "unexpected ')'"),
        ("quarter >= (4 + (1", 19, 1, "missing ')' to close the '(' at column 17"),
        ("(quarter > 1", 13, 1, "missing ')' to close the '(' at column 1"),
        ("quarter $ 1", 9, 1, "unexpected character '$'"),
        ("quarter = 4", 9, 1, "'=' compares nothing here: use '==' to compare"),
        ("(quarter = 4)", 10, 1, "'=' compares nothing here: use '==' to compare"),
        ("quarter + 1", 1, 11, "a condition must be true or false, but this is a number"),
        ("quarter and true", 1, 7, "'and' needs true/false on both sides"),
        ("true or 2", 9, 1, "'or' needs true/false on both sides"),
        ("not quarter", 5, 7, "'not' needs true/false after it"),
        ("true + 1 > 0", 1, 4, "'+' needs numbers on both sides"),
        ("-true", 2, 4, "'-' needs a number after it"),
        ("true < 1", 1, 4, "'<' compares numbers"),
        ("project.crm.done == 1", 21, 1, "'==' cannot compare true/false with a number"),
        ("sqrt(4) > 1", 1, 4, "unknown function 'sqrt' (known: abs, clamp, max, min)"),
        ("clamp(1, 2) > 0", 1, 11, "clamp takes 3 values, got 2"),
        ("abs() > 0", 1, 5, "abs takes 1 value, got 0"),
        ("min(1) > 0", 1, 6, "min takes at least 2 values, got 1"),
        ("max(1, true) > 0", 8, 4, "max needs numbers"),
        ("min(1, 2 > 0", 13, 1, "missing ')' to close the '(' at column 4"),
        ("min(1, ) > 0", 8, 1, "expected a value after ','"),
        ("min > 0", 1, 3, "'min' is a function: write it as min(a, b)"),
        ("quarter(2) > 0", 8, 1, "'quarter' is a value, not a function"),
        ("quarter > 1 x", 13, 1, "unexpected 'x' after the end of the expression"),
        ("quarter > 1 2", 13, 1, "unexpected '2' after the end of the expression"),
        ("1 < quarter < 3", 13, 1,
         "comparisons cannot be chained: write '1 < quarter and quarter < 3'"),
        ("* 2 > 1", 1, 1, "'*' needs a value before it"),
        ("1 > * 2", 5, 1, "expected a value after '>'"),
        ("1 == not true", 6, 3, "'not' cannot come here"),
        ("tech.debt += 1", 11, 2, "'+=' changes a value, which a condition cannot do"),
        ("2x > 1", 1, 2, "'2x' is not understood: put an operator such as '*' between"),
        ("1.2.3 > 1", 1, 5, "'1.2.3' is not a number"),
        ("trust. > 1", 1, 6, "'trust.' is not a complete name"),
        ("1e999 > 1", 1, 5, "the number '1e999' is too large"),
        ("2 ** 3 > 1", 3, 2, "powers ('**') are not available"),
        ("true && false", 6, 2, "use 'and' instead of '&&'"),
        ("quarter => 1", 9, 2, "write '>=' instead of '=>'"),
        ("!true", 1, 1, "unexpected character '!': use 'not'"),
        ("'quarter' > 1", 1, 1, "unexpected character \"'\": quotes are not needed"),
        ("5 % 2 > 1", 3, 1, "unexpected character '%'"),
        ("quarter \u2265 1", 9, 1, "unexpected character '\u2265': write '>=' instead"),
        ("quarter > 1\x00", 12, 1, "unexpected character (U+0000)"),
    ],
)
def test_condition_errors(text: str, column: int, length: int, message: str) -> None:
    err = error(text)
    assert message in err.message
    assert (err.column, err.length) == (column, length)


@pytest.mark.parametrize(
    ("text", "column", "length", "message"),
    [
        ("", 1, 1, "the expression is empty"),
        ("company.revenue = 1", 1, 15,
         "'company.revenue' cannot be changed by an effect; it is computed by the simulation"),
        ("trust.cto_to_cmo += 0.1", 1, 16, "'trust.cto_to_cmo' cannot be changed by an effect"),
        ("tech.dept += 0.1", 1, 9, "unknown name 'tech.dept' (did you mean 'tech.debt'?)"),
        ("tech.debt", 10, 1, "expected '=', '+=', '-=' or '*=' after 'tech.debt'"),
        ("tech.debt 0.1", 11, 3, "expected '=', '+=', '-=' or '*=' after 'tech.debt'"),
        ("tech.debt == 0.1", 11, 2, "'==' compares; to change a value use '='"),
        ("tech.debt /= 2", 11, 2, "'/=' is not available"),
        ("tech.debt +=", 13, 1, "expected a value after '+='"),
        ("= 3", 1, 1, "an effect must start with the name of the value to change"),
        ("0.5 = tech.debt", 1, 3, "an effect must start with the name of the value to change"),
        ("tech.debt = 1 = 2", 15, 1, "only one '=' is allowed"),
        ("tech.debt = 1 += 2", 15, 2, "an effect changes one value"),
        ("tech.debt = true", 13, 4, "the value after '=' must be a number"),
        ("tech.debt += quarter > 1", 14, 11, "the value after '+=' must be a number"),
        ("tech.debt = (1 + 2", 19, 1, "missing ')' to close the '(' at column 13"),
        ("tech.debt = 1 2", 15, 1, "unexpected '2' after the end of the expression"),
    ],
)
def test_effect_errors(text: str, column: int, length: int, message: str) -> None:
    err = error(text, effect=True)
    assert message in err.message
    assert (err.column, err.length) == (column, length)


def test_did_you_mean_lists_several_candidates_for_a_short_name() -> None:
    err = error("done")
    assert err.message == ("unknown name 'done' (did you mean 'project.crm.done' or "
                           "'project.data-platform.done'?)")


def test_did_you_mean_for_keywords() -> None:
    assert "did you mean 'true'" in error("ture").message


def test_messages_avoid_programmer_jargon() -> None:
    texts = ["quarter +", "(", "quarter ==", "x(", "1 2", "min(", "quarter and", "'a'"]
    for text in texts:
        msg = error(text).message.lower()
        for word in ("token", "syntax", "parse", "eof", "operand", "boolean", "identifier"):
            assert word not in msg, (text, msg)


def test_boolean_writable_variable_takes_true_false() -> None:
    from game.scenario.variables import Variable

    reg = {"flag": Variable("flag", "a switch", 0, 1, True, True),
           "quarter": REG["quarter"]}
    env: dict[str, Any] = {"flag": np.zeros(B), "quarter": 3}
    parse_effect("flag = quarter > 2", reg).apply(env)
    assert list(env["flag"]) == [1.0] * B
    with pytest.raises(ExpressionError, match="set it with '= true'"):
        parse_effect("flag += true", reg)
    with pytest.raises(ExpressionError, match="must be set to true/false"):
        parse_effect("flag = 1", reg)


# --------------------------------------------------------------------------- properties

_ORACLE_GLOBALS: dict[str, Any] = {"__builtins__": {}, "min": min, "max": max, "abs": abs}


def _oracle(text: str) -> float:
    try:
        return float(eval(text, _ORACLE_GLOBALS))  # test-only oracle
    except ZeroDivisionError:
        reject()
        raise


def _extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from("+-*/"), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"),
        children.map(lambda c: f"(-{c})"),
        children.map(lambda c: f"abs({c})"),
        st.tuples(st.sampled_from(["min", "max"]), st.lists(children, min_size=2, max_size=3)
                  ).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
    )


_PARENTHESISED = st.recursive(st.integers(0, 9).map(str), _extend, max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(_PARENTHESISED)
def test_parenthesised_arithmetic_matches_python(text: str) -> None:
    expected = _oracle(text)
    assert num(text)[0] == pytest.approx(expected, rel=1e-9, abs=1e-12)


_FLAT = st.lists(
    st.tuples(st.sampled_from(["", "-", "- "]), st.integers(0, 9), st.sampled_from("+-*/")),
    min_size=1, max_size=8,
).map(lambda parts: " ".join(f"{sign}{n} {op}" for sign, n, op in parts)[:-2])


@settings(max_examples=300, deadline=None)
@given(_FLAT)
def test_unbracketed_arithmetic_follows_python_precedence(text: str) -> None:
    expected = _oracle(text)
    result = num(text)[0]
    assert math.isclose(result, expected, rel_tol=1e-9, abs_tol=1e-12), (text, result)


def _check_junk(text: str, effect: bool) -> None:
    try:
        (parse_effect if effect else parse_condition)(text, REG)
    except ExpressionError as err:
        assert 1 <= err.column <= len(text) + 1
        assert err.length >= 1
        assert err.message and str(err) == err.message


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_junk_text_only_raises_expression_errors(text: str) -> None:
    _check_junk(text, effect=False)
    _check_junk(text, effect=True)


_PIECES = ["quarter", "tech.debt", "project.crm.done", "project.data-platform.done",
           "trust.cto_to_cm", "min", "abs", "clamp", "sqrt", "(", ")", ",", "and", "or",
           "not", "true", "false", "<", "<=", "==", "!=", "=", "+=", "*=", "-", "+", "*",
           "/", "1", ".5", "5%", "1e-3", "x", "$", "-", "."]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=10), st.sampled_from(["", " "]))
def test_token_soup_only_raises_expression_errors(pieces: list[str], sep: str) -> None:
    text = sep.join(pieces)
    _check_junk(text, effect=False)
    _check_junk(text, effect=True)
    try:
        c = parse_condition(text, REG)
    except ExpressionError:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = c.evaluate(make_env(), B)
    assert out.shape == (B,) and out.dtype == np.bool_
