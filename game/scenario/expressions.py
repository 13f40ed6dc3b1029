"""A small, safe expression language for scenario conditions and effects.

Facilitators write these in YAML (`quarter >= 4 and trust.cto_to_cmo < 0.4`,
`tech.debt += 5%`), so the language is deliberately tiny, never runs Python
(no eval, no `ast`), checks names and types when the scenario is loaded, and
explains mistakes in plain words with the column where they happen.

Parsing happens once: the text becomes a tree of small closures, each doing a
few numpy operations over a whole batch of games, because the same condition
is evaluated inside a Monte Carlo of 100,000 games.

Language summary
----------------
* Numbers `3`, `0.25`, `.5`, `1e-3`; a `%` right after a number divides it by
  100 (`5%` is 0.05). `true` and `false`. Keywords and function names may be
  written in any case (`True`, `AND`); variable names are case-sensitive.
* Names are dotted (`trust.cto_to_cmo`). Each segment is
  `[A-Za-z_][A-Za-z0-9_-]*`, with one rule for `-`, because project and event
  ids may contain dashes (`project.data-platform.done`): a `-` belongs to the
  name only when it is written with no spaces, directly after a letter or digit
  of the name and directly before a letter. So `a-b` is ONE name, while
  `a - b`, `a -b`, `a- b` and `quarter-1` are subtractions. Write subtraction
  with spaces; an unknown name containing `-` gets a hint saying so.
* Precedence, lowest first: `or`; `and`; `not`; comparisons
  `< <= > >= == !=` (not chainable); `+ -`; `* /`; unary `-`/`+`; calls
  `min(a, b, ...)`, `max(a, b, ...)`, `abs(x)`, `clamp(x, low, high)`;
  brackets. `+ - * /` group left to right, as in ordinary arithmetic.
* Two types: numbers and true/false. Boolean variables (stored as 0/1 in the
  engine) read as true where the stored value is not 0. Type mistakes are load
  errors, not evaluation surprises. `==`/`!=` need two values of the same type.
* Division by zero gives 0 (per game), silently: a simulation must not crash or
  fill with infinities because one game's divisor happened to be 0.
* Effects are one statement `name = expr`, `name += expr`, `name -= expr` or
  `name *= expr`; the target must be a writable variable, and the result is
  clamped to the variable's [low, high]. A writable true/false variable may
  only be set with `=` to a true/false value.
"""

from __future__ import annotations

import difflib
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import reduce
from typing import Any, Final, Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from game.scenario.variables import Variable

__all__ = ["Condition", "Effect", "ExpressionError", "parse_condition", "parse_effect"]

Env: TypeAlias = Mapping[str, "npt.NDArray[Any] | float"]
# A numpy array or numpy scalar; numpy's ufuncs are typed as returning Any.
_Value: TypeAlias = Any
_Fn: TypeAlias = Callable[[Env], _Value]
_Kind: TypeAlias = Literal["number", "bool"]

_KEYWORDS: Final = frozenset({"and", "or", "not", "true", "false"})
_FUNCTIONS: Final = {
    "abs": "abs(x)",
    "clamp": "clamp(x, low, high)",
    "max": "max(a, b)",
    "min": "min(a, b)",
}
_COMPARISONS: Final = frozenset({"<", "<=", ">", ">=", "==", "!="})
_ASSIGNMENTS: Final = ("=", "+=", "-=", "*=")
_TWO_CHAR_OPS: Final = ("<=", ">=", "==", "!=", "+=", "-=", "*=", "/=",
                        "**", "&&", "||", "=>", "=<", "<>")
_ONE_CHAR_OPS: Final = frozenset("<>=+-*/(),")
_BAD_OPS: Final = {
    "**": "powers ('**') are not available",
    "&&": "use 'and' instead of '&&'",
    "||": "use 'or' instead of '||'",
    "=>": "write '>=' instead of '=>'",
    "=<": "write '<=' instead of '=<'",
    "<>": "write '!=' for 'not equal'",
}
_CHAR_HINTS: Final = {
    "!": "use 'not' for 'not', or '!=' for 'not equal'",
    "&": "use 'and' instead of '&'",
    "|": "use 'or' instead of '|'",
    "^": "powers are not available",
    "%": "'%' can only come right after a number, as in '5%'",
    "'": "quotes are not needed around names",
    '"': "quotes are not needed around names",
    "[": "use '(' and ')' for brackets",
    "]": "use '(' and ')' for brackets",
    "{": "use '(' and ')' for brackets",
    "}": "use '(' and ')' for brackets",
    "\u2265": "write '>=' instead",
    "\u2264": "write '<=' instead",
    "\u2260": "write '!=' instead",
    "\u2212": "type '-' instead",
    "\u00d7": "type '*' instead",
    "\u00f7": "type '/' instead",
}
_LETTERS: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS: Final = frozenset("0123456789")
_NAME_START: Final = _LETTERS | {"_"}
_NAME_CHARS: Final = _NAME_START | _DIGITS
# How deep brackets, signs, 'not' and calls may nest. The parser and the compiled
# closures recurse once per level, so a file must not be able to reach Python's
# recursion limit; no hand-written condition comes near this.
MAX_NESTING: Final = 40


class ExpressionError(Exception):
    """A mistake in an expression, worded for facilitators, with where it is.

    `column` is 1-based inside the expression text (len(text) + 1 means "at the
    end"); `length` (>= 1) is how many characters to underline.
    """

    def __init__(self, message: str, column: int, length: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.column = column
        self.length = max(1, length)

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: Literal["num", "name", "kw", "op", "end"]
    text: str  # as written
    pos: int  # 0-based index of the first character
    key: str = ""  # lower-cased keyword, or the operator
    value: float = 0.0

    @property
    def end(self) -> int:
        return self.pos + len(self.text)

    @property
    def shown(self) -> str:
        return "the end" if self.kind == "end" else f"'{self.text}'"


def _fail(message: str, pos: int, length: int = 1) -> ExpressionError:
    return ExpressionError(message, pos + 1, length)


def _shown_char(ch: str) -> str:
    if ch == "'":
        return '"\'"'
    return f"'{ch}'" if ch.isprintable() else f"(U+{ord(ch):04X})"


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in _DIGITS or (ch == "." and i + 1 < n and text[i + 1] in _DIGITS):
            toks.append(_number(text, i))
            i = toks[-1].end
        elif ch in _NAME_START:
            end = _name_end(text, i)
            word = text[i:end]
            low = word.lower()
            if "." not in word and low in _KEYWORDS:
                toks.append(_Tok("kw", word, i, low))
            else:
                toks.append(_Tok("name", word, i, word))
            i = end
        elif text[i:i + 2] in _TWO_CHAR_OPS:
            op = text[i:i + 2]
            if op in _BAD_OPS:
                raise _fail(_BAD_OPS[op], i, 2)
            toks.append(_Tok("op", op, i, op))
            i += 2
        elif ch in _ONE_CHAR_OPS:
            toks.append(_Tok("op", ch, i, ch))
            i += 1
        else:
            hint = _CHAR_HINTS.get(ch)
            msg = f"unexpected character {_shown_char(ch)}"
            raise _fail(f"{msg}: {hint}" if hint else msg, i)
    toks.append(_Tok("end", "", n))
    return toks


def _number(text: str, start: int) -> _Tok:
    n = len(text)
    i = start
    while i < n and text[i] in _DIGITS:
        i += 1
    if i < n and text[i] == ".":
        i += 1
        while i < n and text[i] in _DIGITS:
            i += 1
    if i < n and text[i] in "eE":
        j = i + 1
        if j < n and text[j] in "+-":
            j += 1
        if j < n and text[j] in _DIGITS:
            while j < n and text[j] in _DIGITS:
                j += 1
            i = j
    literal = text[start:i]
    percent = i < n and text[i] == "%"
    if percent:
        i += 1
    if i < n and (text[i] in _NAME_CHARS or text[i] == "."):
        j = i
        while j < n and (text[j] in _NAME_CHARS or text[j] in ".%"):
            j += 1
        word = text[start:j]
        if any(c in _NAME_START for c in text[i:j]):
            raise _fail(f"'{word}' is not understood: put an operator such as '*' "
                        "between a number and a name", start, j - start)
        raise _fail(f"'{word}' is not a number", start, j - start)
    value = float(literal)
    if value == float("inf"):
        raise _fail(f"the number '{literal}' is too large", start, i - start)
    return _Tok("num", text[start:i], start, "", value / 100 if percent else value)


def _name_end(text: str, start: int) -> int:
    """End of the dotted name starting at `start` (see the dash rule above)."""
    n = len(text)
    i = start + 1
    while True:
        while i < n:
            c = text[i]
            dash = (c == "-" and text[i - 1] in _NAME_CHARS and text[i - 1] != "_"
                    and i + 1 < n and text[i + 1] in _LETTERS)
            if not (dash or c in _NAME_CHARS):
                break
            i += 1
        if i < n and text[i] == ".":
            if i + 1 < n and text[i + 1] in _NAME_START:
                i += 2
                continue
            raise _fail(f"'{text[start:i + 1]}' is not a complete name", start, i + 1 - start)
        return i


# --------------------------------------------------------------------------- compiled nodes


@dataclass(frozen=True, slots=True)
class _Expr:
    kind: _Kind
    fn: _Fn
    start: int
    end: int
    const: bool = False


_NO_ENV: Final[Env] = {}


def _node(kind: _Kind, fn: _Fn, start: int, end: int, *children: _Expr) -> _Expr:
    """Make a node, folding it to a constant when all its inputs are constants."""
    if children and all(c.const for c in children):
        with np.errstate(all="ignore"):
            value = fn(_NO_ENV)
        return _Expr(kind, _constant(value), start, end, True)
    return _Expr(kind, fn, start, end)


def _constant(value: _Value) -> _Fn:
    def f(env: Env) -> _Value:
        return value
    return f


def _number_var(name: str) -> _Fn:
    def f(env: Env) -> _Value:
        v = env[name]
        return v if isinstance(v, np.ndarray) else np.float64(v)
    return f


def _bool_var(name: str) -> _Fn:
    def f(env: Env) -> _Value:
        return np.not_equal(env[name], 0)
    return f


def _unary(op: Callable[[_Value], _Value], a: _Fn) -> _Fn:
    def f(env: Env) -> _Value:
        return op(a(env))
    return f


def _binary(op: Callable[[_Value, _Value], _Value], a: _Fn, b: _Fn) -> _Fn:
    def f(env: Env) -> _Value:
        return op(a(env), b(env))
    return f


def _safe_divide(a: _Value, b: _Value) -> _Value:
    """a / b, and 0 wherever b is 0 (no warnings, no infinities from 0)."""
    num = np.asarray(a, dtype=np.float64)
    den = np.asarray(b, dtype=np.float64)
    out = np.zeros(np.broadcast_shapes(num.shape, den.shape))
    np.divide(num, den, out=out, where=den != 0)
    return out


def _chain(first: _Fn, rest: Sequence[tuple[Callable[[_Value, _Value], _Value], _Fn]]) -> _Fn:
    """Left to right through `a op b op c ...` in one closure, so a long chain of
    terms evaluates without one Python frame per term."""
    steps = tuple(rest)

    def f(env: Env) -> _Value:
        value = first(env)
        for op, g in steps:
            value = op(value, g(env))
        return value
    return f


def _fold(op: Callable[[_Value, _Value], _Value], args: Sequence[_Fn]) -> _Fn:
    def f(env: Env) -> _Value:
        return reduce(op, (a(env) for a in args))
    return f


def _clamp(x: _Fn, lo: _Fn, hi: _Fn) -> _Fn:
    def f(env: Env) -> _Value:
        return np.minimum(np.maximum(x(env), lo(env)), hi(env))
    return f


_ARITH: Final[dict[str, Callable[[_Value, _Value], _Value]]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": _safe_divide,
}
_COMPARE: Final[dict[str, Callable[[_Value, _Value], _Value]]] = {
    "<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
    "==": np.equal, "!=": np.not_equal,
}


def _describe(kind: _Kind) -> str:
    return "a number" if kind == "number" else "true/false"


# --------------------------------------------------------------------------- parser


class _Parser:
    """Recursive descent over the tokens, type-checking and compiling as it goes."""

    def __init__(self, text: str, variables: Mapping[str, Variable], effect: bool) -> None:
        self.text = text
        self.variables = variables
        self.effect = effect
        self.toks = _tokenize(text)
        self.i = 0
        self.names: set[str] = set()
        self.depth = 0

    def deeper(self, tok: _Tok) -> None:
        """Count one more level of nesting; refuse past MAX_NESTING (see there why)."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error_at(f"this is nested too deeply (more than {MAX_NESTING} levels "
                                "of brackets, signs, 'not' or calls): split it up", tok)

    # -- helpers
    def peek(self) -> _Tok:
        return self.toks[self.i]

    def next(self) -> _Tok:
        tok = self.toks[self.i]
        if tok.kind != "end":
            self.i += 1
        return tok

    def at(self, *keys: str) -> bool:
        tok = self.peek()
        return tok.kind in ("op", "kw") and tok.key in keys

    def snip(self, e: _Expr) -> str:
        s = " ".join(self.text[e.start:e.end].split())
        return s if len(s) <= 40 else s[:37] + "..."

    def error_at(self, message: str, tok: _Tok) -> ExpressionError:
        return _fail(message, tok.pos, len(tok.text))

    def error_on(self, message: str, e: _Expr) -> ExpressionError:
        return _fail(message, e.start, e.end - e.start)

    def need(self, e: _Expr, kind: _Kind, message: str) -> None:
        if e.kind != kind:
            raise self.error_on(f"{message}, but '{self.snip(e)}' is {_describe(e.kind)}", e)

    def stray(self, tok: _Tok, otherwise: str) -> ExpressionError:
        """Explain a token found where the expression (or a bracket) should end."""
        if tok.kind == "op" and tok.key == "=":
            if self.effect:
                return self.error_at("an effect changes one value: only one '=' is allowed",
                                     tok)
            return self.error_at("'=' compares nothing here: use '==' to compare", tok)
        if tok.kind == "op" and tok.key in ("+=", "-=", "*=", "/="):
            if self.effect:
                return self.error_at(f"an effect changes one value: '{tok.text}' can only "
                                     "come right after the name being changed", tok)
            return self.error_at(f"'{tok.text}' changes a value, which a condition cannot do",
                                 tok)
        return self.error_at(otherwise, tok)

    def finish(self) -> None:
        tok = self.peek()
        if tok.kind == "end":
            return
        if tok.kind == "op" and tok.key == ")":
            raise self.error_at("unexpected ')' (there is no '(' for it to close)", tok)
        raise self.stray(tok, f"unexpected {tok.shown} after the end of the expression; "
                              "is an 'and', 'or' or an operator such as '+' missing?")

    def close(self, opener: _Tok) -> _Tok:
        tok = self.peek()
        if tok.kind == "op" and tok.key == ")":
            return self.next()
        where = f"the '(' at column {opener.pos + 1}"
        if tok.kind == "end":
            raise self.error_at(f"missing ')' to close {where}", tok)
        raise self.stray(tok, f"unexpected {tok.shown}: expected ')' to close {where}")

    # -- grammar
    def expression(self) -> _Expr:
        return self.or_expr()

    def logical(self, word: str, sub: Callable[[], _Expr],
                op: Callable[[_Value, _Value], _Value]) -> _Expr:
        left = sub()
        first = left
        rest: list[tuple[Callable[[_Value, _Value], _Value], _Expr]] = []
        while self.at(word):
            self.next()
            right = sub()
            for side in (left, right):
                self.need(side, "bool", f"'{word}' needs true/false on both sides")
            if not rest and left.const and right.const:
                left = first = _node("bool", _binary(op, left.fn, right.fn), left.start,
                                     right.end, left, right)
                continue
            rest.append((op, right))
            left = _Expr("bool", left.fn, left.start, right.end)
        return self.chained(first, rest, left)

    def chained(self, first: _Expr,
                rest: Sequence[tuple[Callable[[_Value, _Value], _Value], _Expr]],
                span: _Expr) -> _Expr:
        """One node for `first op e1 op e2 ...` (see _chain); `span` gives kind and extent."""
        if not rest:
            return first
        fn = _chain(first.fn, [(op, e.fn) for op, e in rest])
        return _node(span.kind, fn, span.start, span.end, first, *(e for _, e in rest))

    def or_expr(self) -> _Expr:
        return self.logical("or", self.and_expr, np.logical_or)

    def and_expr(self) -> _Expr:
        return self.logical("and", self.not_expr, np.logical_and)

    def not_expr(self) -> _Expr:
        if self.at("not"):
            tok = self.next()
            self.deeper(tok)
            inner = self.not_expr()
            self.depth -= 1
            self.need(inner, "bool", "'not' needs true/false after it")
            return _node("bool", _unary(np.logical_not, inner.fn), tok.pos, inner.end, inner)
        return self.comparison()

    def comparison(self) -> _Expr:
        left = self.additive()
        if not self.at(*_COMPARISONS):
            return left
        op = self.next()
        right = self.additive()
        if op.key in ("==", "!="):
            if left.kind != right.kind:
                raise self.error_on(
                    f"'{op.text}' cannot compare true/false with a number ('{self.snip(left)}' "
                    f"is {_describe(left.kind)}, '{self.snip(right)}' is "
                    f"{_describe(right.kind)})", right)
        else:
            for side in (left, right):
                self.need(side, "number", f"'{op.text}' compares numbers")
        if self.at(*_COMPARISONS):
            op2 = self.next()
            third = self.additive()
            middle = self.snip(right)
            raise self.error_at(
                f"comparisons cannot be chained: write '{self.snip(left)} {op.text} {middle} "
                f"and {middle} {op2.text} {self.snip(third)}'", op2)
        return _node("bool", _binary(_COMPARE[op.key], left.fn, right.fn),
                     left.start, right.end, left, right)

    def arithmetic(self, ops: tuple[str, ...], sub: Callable[[], _Expr]) -> _Expr:
        left = sub()
        first = left
        rest: list[tuple[Callable[[_Value, _Value], _Value], _Expr]] = []
        while self.at(*ops):
            op = self.next()
            right = sub()
            for side in (left, right):
                self.need(side, "number", f"'{op.text}' needs numbers on both sides")
            fn = _ARITH[op.key]
            if op.key == "/" and right.const and bool(np.all(right.fn(_NO_ENV) != 0)):
                fn = operator.truediv  # a constant, non-zero divisor needs no guard
            if not rest and left.const and right.const:
                left = first = _node("number", _binary(fn, left.fn, right.fn), left.start,
                                     right.end, left, right)
                continue
            rest.append((fn, right))
            left = _Expr("number", left.fn, left.start, right.end)
        return self.chained(first, rest, left)

    def additive(self) -> _Expr:
        return self.arithmetic(("+", "-"), self.term)

    def term(self) -> _Expr:
        return self.arithmetic(("*", "/"), self.unary)

    def unary(self) -> _Expr:
        if self.at("-", "+"):
            tok = self.next()
            self.deeper(tok)
            inner = self.unary()
            self.depth -= 1
            self.need(inner, "number", f"'{tok.text}' needs a number after it")
            if tok.key == "+":
                return _Expr(inner.kind, inner.fn, tok.pos, inner.end, inner.const)
            return _node("number", _unary(operator.neg, inner.fn), tok.pos, inner.end, inner)
        return self.primary()

    def primary(self) -> _Expr:
        tok = self.peek()
        if tok.kind == "num":
            self.next()
            return _Expr("number", _constant(np.float64(tok.value)), tok.pos, tok.end, True)
        if tok.kind == "kw" and tok.key in ("true", "false"):
            self.next()
            return _Expr("bool", _constant(np.bool_(tok.key == "true")), tok.pos, tok.end, True)
        if tok.kind == "name":
            self.next()
            if self.at("("):
                return self.call(tok)
            return self.variable(tok)
        if tok.kind == "op" and tok.key == "(":
            self.next()
            self.deeper(tok)
            inner = self.expression()
            end = self.close(tok)
            self.depth -= 1
            return _Expr(inner.kind, inner.fn, tok.pos, end.end, inner.const)
        raise self.missing_value(tok)

    def missing_value(self, tok: _Tok) -> ExpressionError:
        prev = self.toks[self.i - 1] if self.i > 0 else None
        if tok.kind == "kw" and tok.key == "not":
            return self.error_at("'not' cannot come here: put it in brackets, as in "
                                 "'(not ...)'", tok)
        if prev is None:
            if tok.kind == "op" and tok.key == ")":
                return self.error_at("unexpected ')'", tok)
            return self.error_at(f"'{tok.text}' needs a value before it", tok)
        return self.error_at(f"expected a value after '{prev.text}'", tok)

    def variable(self, tok: _Tok) -> _Expr:
        name = tok.text
        var = self.variables.get(name)
        if var is None:
            if name.lower() in _FUNCTIONS:
                raise self.error_at(f"'{name}' is a function: write it as "
                                    f"{_FUNCTIONS[name.lower()]}", tok)
            raise self.unknown(tok)
        self.names.add(name)
        if var.boolean:
            return _Expr("bool", _bool_var(name), tok.pos, tok.end)
        return _Expr("number", _number_var(name), tok.pos, tok.end)

    def unknown(self, tok: _Tok) -> ExpressionError:
        name = tok.text
        keys = list(self.variables)
        found = [k for k in keys if k.endswith("." + name)][:3]
        if not found:
            found = difflib.get_close_matches(name, [*keys, *sorted(_KEYWORDS)], n=1)
        message = f"unknown name '{name}'"
        if found:
            quoted = [f"'{f}'" for f in found]
            options = quoted[0] if len(quoted) == 1 else (
                ", ".join(quoted[:-1]) + " or " + quoted[-1])
            message += f" (did you mean {options}?)"
        if "-" in name:
            message += "; to subtract, put spaces around '-', as in 'a - b'"
        return self.error_at(message, tok)

    def call(self, name_tok: _Tok) -> _Expr:
        fname = name_tok.text.lower()
        if fname not in _FUNCTIONS:
            if name_tok.text in self.variables:
                raise self.error_at(f"'{name_tok.text}' is a value, not a function: put an "
                                    "operator such as '*' before the '('", self.peek())
            known = ", ".join(sorted(_FUNCTIONS))
            raise self.error_at(f"unknown function '{name_tok.text}' (known: {known})",
                                name_tok)
        opener = self.next()
        self.deeper(name_tok)
        args: list[_Expr] = []
        if not self.at(")"):
            args.append(self.expression())
            while self.at(","):
                self.next()
                args.append(self.expression())
        end = self.close(opener)
        self.depth -= 1
        span = end.end - name_tok.pos
        count = len(args)
        if fname in ("min", "max") and count < 2:
            raise _fail(f"{fname} takes at least 2 values, got {count}", name_tok.pos, span)
        wanted = {"abs": 1, "clamp": 3}.get(fname)
        if wanted is not None and count != wanted:
            plural = "value" if wanted == 1 else "values"
            raise _fail(f"{fname} takes {wanted} {plural}, got {count}", name_tok.pos, span)
        for a in args:
            self.need(a, "number", f"{fname} needs numbers")
        fns = [a.fn for a in args]
        if fname == "abs":
            fn = _unary(np.abs, fns[0])
        elif fname == "clamp":
            fn = _clamp(fns[0], fns[1], fns[2])
        else:
            fn = _fold(np.minimum if fname == "min" else np.maximum, fns)
        return _node("number", fn, name_tok.pos, end.end, *args)


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True)
class Condition:
    """A compiled true/false test; `names` are the variables it reads."""

    text: str
    names: frozenset[str]
    _fn: _Fn = field(repr=False, compare=False)

    def evaluate(self, env: Env, batch: int) -> npt.NDArray[np.bool_]:
        """One bool per game; env values may be scalars (broadcast) or (batch,) arrays."""
        with np.errstate(all="ignore"):
            result = self._fn(env)
        out = np.empty(batch, dtype=np.bool_)
        out[...] = result
        return out


@dataclass(frozen=True)
class Effect:
    """A compiled change to one writable variable.

    `names` are the variables the right-hand side reads (the target is `target`).
    """

    text: str
    target: str
    op: str
    names: frozenset[str]
    _fn: _Fn = field(repr=False, compare=False)
    _low: float | None = field(default=None, repr=False, compare=False)
    _high: float | None = field(default=None, repr=False, compare=False)

    def value(self, env: Env, batch: int) -> npt.NDArray[np.float64]:
        """The right-hand side, per game (true/false becomes 1/0)."""
        with np.errstate(all="ignore"):
            result = self._fn(env)
        out = np.empty(batch, dtype=np.float64)
        out[...] = result
        return out

    def result(self, env: Env, batch: int) -> npt.NDArray[np.float64]:
        """The target's value after the change, clamped to its range; env is not touched."""
        current = np.asarray(env[self.target], dtype=np.float64)
        with np.errstate(all="ignore"):
            rhs = self._fn(env)
            if self.op == "+=":
                new = current + rhs
            elif self.op == "-=":
                new = current - rhs
            elif self.op == "*=":
                new = current * rhs
            else:
                new = np.asarray(rhs, dtype=np.float64)
            if self._low is not None:
                new = np.maximum(new, self._low)
            if self._high is not None:
                new = np.minimum(new, self._high)
        out = np.empty(batch, dtype=np.float64)
        out[...] = new
        return out

    def apply(self, env: Env, mask: npt.NDArray[np.bool_] | None = None) -> None:
        """Change env[target] in place where `mask` is true, then clamp to its range.

        Only reads `env`, so any mapping works; env[target] must be a numpy
        array because the change happens inside it (the engine keeps references).
        """
        current = env[self.target]
        if not isinstance(current, np.ndarray):
            raise TypeError(f"the value of '{self.target}' must be a numpy array so that "
                            "the effect can change it in place")
        new = self.result(env, current.size).reshape(current.shape)
        if mask is None:
            current[...] = new
        else:
            np.copyto(current, new, where=np.asarray(mask, dtype=np.bool_))


def _check_not_empty(text: str) -> None:
    if not text.strip():
        raise ExpressionError("the expression is empty", 1, len(text))


def parse_condition(text: str, variables: Mapping[str, Variable]) -> Condition:
    """Parse and type-check a condition once; raise ExpressionError on any mistake."""
    _check_not_empty(text)
    p = _Parser(text, variables, effect=False)
    expr = p.expression()
    p.finish()
    if expr.kind != "bool":
        raise p.error_on("a condition must be true or false, but this is a number; "
                         "compare it with something, as in 'quarter >= 4'", expr)
    return Condition(text, frozenset(p.names), expr.fn)


def parse_effect(text: str, variables: Mapping[str, Variable]) -> Effect:
    """Parse and type-check an effect (`name op expr`); raise ExpressionError on mistakes."""
    _check_not_empty(text)
    p = _Parser(text, variables, effect=True)
    tok = p.next()
    if tok.kind != "name":
        raise p.error_at("an effect must start with the name of the value to change, "
                         "as in 'tech.debt += 0.1'", tok)
    var = variables.get(tok.text)
    if var is None:
        raise p.unknown(tok)
    if not var.writable:
        raise p.error_at(f"'{tok.text}' cannot be changed by an effect; it is computed by "
                         "the simulation", tok)
    op = p.next()
    if not (op.kind == "op" and op.key in _ASSIGNMENTS):
        if op.kind == "op" and op.key == "==":
            raise p.error_at("'==' compares; to change a value use '=', as in "
                             f"'{tok.text} = 0.5'", op)
        if op.kind == "op" and op.key == "/=":
            raise p.error_at("'/=' is not available: to divide, multiply instead, as in "
                             "'*= 0.5'", op)
        found = "" if op.kind == "end" else f", but found {op.shown}"
        raise p.error_at(f"expected '=', '+=', '-=' or '*=' after '{tok.text}'{found}", op)
    expr = p.expression()
    p.finish()
    if var.boolean:
        if op.key != "=":
            raise p.error_at(f"'{tok.text}' is true/false: set it with '= true' or "
                             "'= false'", op)
        p.need(expr, "bool", f"'{tok.text}' must be set to true/false")
    else:
        p.need(expr, "number", f"the value after '{op.text}' must be a number")
    return Effect(text, tok.text, op.key, frozenset(p.names), expr.fn, var.low, var.high)
