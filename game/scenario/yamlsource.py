"""Load a YAML scenario file into a pydantic model, reporting every problem at once.

Facilitators write scenario files by hand. When something is wrong they need
*all* the mistakes, each as ``file:line:col: plain-language message``, never a
traceback. This module is generic over any pydantic ``BaseModel``:

* :func:`load_yaml` reads and parses the text with a :class:`yaml.SafeLoader`
  subclass, builds the Python data from the composed node tree itself and keeps a
  :class:`Locator` that knows the line and column of every key and value.
  Anchors/aliases, duplicate keys, non-text keys, custom tags, binary files and
  oversized files are refused with a :class:`~game.scenario.problems.Problem`.
* :func:`validate_model` runs pydantic and rewrites each validation error in plain
  language at the right position (unknown keys at the key, missing keys at the
  enclosing mapping, bad values at the value).
* :class:`ProblemCollector` lets later checks (cross references, expressions) add
  their own problems at positions inside the same file.

YAML 1.1 quirks are kept (PyYAML's resolver): ``yes/no/on/off`` are booleans,
``010`` is octal 8 and ``1:30`` is the number 90. Validation messages say how a
value was read and suggest quoting when a plain value was not read as text.
Timestamps (``2024-01-01``) and the 1.1 ``=``/``<<`` value tags are kept as text.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
import types
import typing
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from yaml.events import AliasEvent, NodeEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.scanner import Scanner

from game.scenario.problems import Problem, ScenarioError, did_you_mean

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "LocPath",
    "Located",
    "Locator",
    "ProblemCollector",
    "load_model",
    "load_yaml",
    "validate_model",
]

MAX_BYTES = 1_000_000
"""Largest scenario file accepted; real scenarios are a few kilobytes."""

MAX_DEPTH = 100
"""Deepest nesting accepted; stops ``[[[[...`` from exhausting the Python stack."""

LocPath = tuple[str | int, ...]
"""A location inside the data: mapping keys and list indices, like pydantic's ``loc``."""

M = TypeVar("M", bound=BaseModel)

_ALIAS_MESSAGE = (
    "anchors and aliases (&name / *name) are not allowed in scenario files; write the value out"
)

_TAG_PREFIX = "tag:yaml.org,2002:"
_STR = _TAG_PREFIX + "str"
_MAP = _TAG_PREFIX + "map"
_SEQ = _TAG_PREFIX + "seq"
_MERGE = _TAG_PREFIX + "merge"
# Scalar tags built with PyYAML's SafeConstructor.
_CONSTRUCTED_TAGS = frozenset(
    _TAG_PREFIX + name for name in ("str", "int", "float", "bool", "null")
)
# Scalar tags kept as their text: dates stay strings so a text field accepts them (pydantic
# still parses them for date fields); ``=`` and ``<<`` have no safe constructor at all.
_TEXT_TAGS = frozenset(_TAG_PREFIX + name for name in ("timestamp", "value", "merge"))
# Placeholder tag for a refused alias, so the tree stays well formed after the problem.
_REFUSED_TAG = "!scenario-refused-alias"

# YAML's own idea of a line break; marks count lines this way, so we must too.
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
# Characters YAML refuses (and that signal a binary file): the same set PyYAML's reader uses.
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_MAX_CHARACTER_PROBLEMS = 10


# --------------------------------------------------------------------------- positions


class _Lines:
    """Map a character index in the text to a 1-based (line, column) the way PyYAML does."""

    def __init__(self, text: str) -> None:
        self._starts = [0, *(match.end() for match in _LINE_BREAK.finditer(text))]

    def position(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, index) - 1
        return line + 1, index - self._starts[line] + 1


@dataclass(frozen=True, slots=True)
class _Span:
    """Where a node sits in the source, plus what is needed to point inside a scalar."""

    line: int  # 1-based
    column: int  # 1-based
    index: int  # 0-based character index of the node start (its tag or quote, if any)
    end_index: int
    scalar: bool = False
    style: str | None = None  # None (plain), "'", '"', "|" or ">"
    value: str | None = None  # the scalar's text after YAML unquoting/folding


def _span(node: Node) -> _Span:
    start = node.start_mark
    end = node.end_mark or start
    if isinstance(node, ScalarNode):
        return _Span(
            start.line + 1,
            start.column + 1,
            start.index,
            end.index,
            scalar=node.tag != _REFUSED_TAG,
            style=node.style,
            value=str(node.value),
        )
    return _Span(start.line + 1, start.column + 1, start.index, end.index)


class Locator:
    """Knows the line and column of every key and value of a loaded YAML document.

    Paths are tuples of mapping keys and list indices, the same shape as a
    pydantic error ``loc`` (after union tags are removed), so a validation error
    or a later cross-reference check can be pinned to the source.
    """

    def __init__(self, text: str = "") -> None:
        self._text = text
        self._lines: _Lines | None = None
        self._keys: dict[LocPath, _Span] = {}
        self._values: dict[LocPath, _Span] = {}

    def _record(
        self, path: LocPath, *, key: _Span | None = None, value: _Span | None = None
    ) -> None:
        """Remember where a key or value is; called while the data is built."""
        if key is not None:
            self._keys[path] = key
        if value is not None:
            self._values[path] = value

    def key(self, path: Sequence[str | int]) -> tuple[int, int] | None:
        """The (line, column) of the mapping key that ends ``path``, if there is one."""
        span = self._keys.get(tuple(path))
        return (span.line, span.column) if span else None

    def value(self, path: Sequence[str | int]) -> tuple[int, int] | None:
        """The (line, column) where the value at ``path`` starts, if it exists."""
        span = self._values.get(tuple(path))
        return (span.line, span.column) if span else None

    def nearest(self, path: Sequence[str | int]) -> tuple[int, int]:
        """The closest known position: the value at ``path``, else its key, else a parent's value.

        A missing key therefore lands on the mapping that should contain it.
        """
        current = tuple(path)
        while True:
            found = self.value(current) or self.key(current)
            if found:
                return found
            if not current:
                return (1, 1)
            current = current[:-1]

    def contains(self, path: Sequence[str | int]) -> bool:
        """Whether the document has a value at ``path``."""
        return tuple(path) in self._values

    def scalar_text(self, path: Sequence[str | int]) -> tuple[str, str | None] | None:
        """The text and YAML style (None for plain) of the scalar at ``path``, if it is one."""
        span = self._values.get(tuple(path))
        if span is None or not span.scalar or span.value is None:
            return None
        return span.value, span.style

    def position(
        self,
        path: Sequence[str | int],
        *,
        at: Literal["value", "key"] = "value",
        column_offset: int | None = None,
    ) -> tuple[int, int]:
        """Where to report a problem about ``path``; ``column_offset`` points inside a scalar.

        Without an offset this is the key or value itself (its quote or tag, if
        any). An offset counts characters of the scalar's *text* (what a later
        parser, e.g. for a condition expression, saw; 0 is its first character) and
        is mapped back through quotes, escapes and line folding to the source.
        Unknown paths fall back to :meth:`nearest` without the offset.
        """
        table = self._keys if at == "key" else self._values
        span = table.get(tuple(path))
        if span is None:
            if at == "key":
                span = self._values.get(tuple(path))
            if span is None:
                return self.nearest(path)
        if column_offset is None or not span.scalar or span.value is None:
            return span.line, span.column
        return self._inside(span, max(column_offset, 0))

    def _inside(self, span: _Span, offset: int) -> tuple[int, int]:
        units = _scalar_units(self._text, span) if self._text else None
        value = span.value or ""
        solid = [i for i, char in enumerate(value) if not char.isspace()]
        if units is None or [value[i] for i in solid] != [unit[2] for unit in units]:
            # Cannot line the text up with the source: assume a one-line scalar.
            quote = 1 if span.style in ("'", '"') else 0
            return span.line, span.column + quote + offset
        count = bisect.bisect_left(solid, offset)
        if count < len(solid) and solid[count] == offset:
            index = units[count][0]
        elif count == 0:
            first = units[0][0] if units else _content_start(self._text, span)
            index = max(first - ((solid[0] if solid else 0) - offset), span.index)
        else:  # blank or past the end: count columns on from the previous character
            line, column = self._lines_index().position(units[count - 1][1])
            return line, column + offset - solid[count - 1] - 1
        return self._lines_index().position(index)

    def _lines_index(self) -> _Lines:
        if self._lines is None:
            self._lines = _Lines(self._text)
        return self._lines


def _content_start(text: str, span: _Span) -> int:
    """Skip a tag (``!!str``) in front of a scalar to find its first character or quote."""
    index = span.index
    while index < len(text) and text[index] in "!&":
        while index < len(text) and not text[index].isspace():
            index += 1
        while index < len(text) and text[index].isspace():
            index += 1
    return index


def _scalar_units(text: str, span: _Span) -> list[tuple[int, int, str]] | None:
    """Source (start, end, character) of every non-blank character of a scalar's text.

    Folding only changes whitespace, so non-blank characters of the scalar's text
    match these units one to one; quoting and escapes are undone here.
    """
    index = _content_start(text, span)
    end = min(span.end_index, len(text))
    units: list[tuple[int, int, str]] = []
    if span.style in ("|", ">"):
        match = _LINE_BREAK.search(text, index, end)
        if match is None:
            return units
        index = match.end()
    if span.style is None or span.style in ("|", ">"):
        units.extend((i, i + 1, text[i]) for i in range(index, end) if not text[i].isspace())
        return units
    if index >= end or text[index] != span.style:
        return None
    index += 1
    while index < end:
        char = text[index]
        if span.style == "'":
            if char == "'" and text.startswith("''", index):
                units.append((index, index + 2, "'"))
                index += 2
                continue
            if char == "'":
                break
        elif char == '"':
            break
        elif char == "\\" and index + 1 < end:
            code = text[index + 1]
            if code in Scanner.ESCAPE_CODES:
                length = Scanner.ESCAPE_CODES[code]
                digits = text[index + 2 : index + 2 + length]
                try:
                    decoded = chr(int(digits, 16))
                except ValueError:
                    return None
                step = 2 + length
            elif code in Scanner.ESCAPE_REPLACEMENTS:
                decoded = Scanner.ESCAPE_REPLACEMENTS[code]
                step = 2
            else:  # an escaped line break joins lines and adds nothing
                decoded = " "
                step = 1
            if not decoded.isspace():
                units.append((index, index + step, decoded))
            index += step
            continue
        if not char.isspace():
            units.append((index, index + 1, char))
        index += 1
    return units


@dataclass
class Located:
    """Plain Python data loaded from YAML, with the positions of everything in it."""

    data: Any
    locator: Locator


# --------------------------------------------------------------------------- reading


def _problem(file: str, position: tuple[int, int], message: str) -> Problem:
    return Problem(file, position[0], position[1], message)


def _read_text(file: str, path: Path | str, text: str | bytes | None) -> str:
    """Read and decode the file, refusing anything too large or not plain UTF-8 text."""
    data: str | bytes
    if text is None:
        try:
            # A FIFO or a device would block or never end: refuse it before opening.
            mode = os.stat(path).st_mode
            if not stat.S_ISREG(mode):
                what = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
                raise ScenarioError([Problem(file, 1, 1, f"cannot read the file: it is {what}; "
                                             "a scenario must be an ordinary YAML file")])
            with open(path, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
                size = len(data)
                if size > MAX_BYTES:
                    size = max(size, os.fstat(handle.fileno()).st_size)
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise ScenarioError([Problem(_short(file), 1, 1,
                                         f"cannot read the file: {reason.lower()}")]) from None
    else:
        data = text
        size = len(text.encode("utf-8", "surrogatepass")) if isinstance(text, str) else len(text)
    if size > MAX_BYTES:
        message = (
            f"the file is too large ({size:,} bytes); "
            f"scenario files may be at most {MAX_BYTES:,} bytes"
        )
        raise ScenarioError([Problem(file, 1, 1, message)])
    decoded = _decode(file, data) if isinstance(data, bytes) else data
    decoded = decoded.removeprefix("\ufeff")
    _check_characters(file, decoded)
    return decoded


def _short(file: str) -> str:
    """A file name fit for one line: a 5,000-character path is cut in the middle."""
    return file if len(file) <= 120 else f"{file[:60]}...{file[-40:]}"


def _decode(file: str, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        message = "this file is saved as UTF-16; save it as UTF-8 text instead"
        raise ScenarioError([Problem(file, 1, 1, message)])
    nul = data.find(b"\0")
    if nul >= 0:
        position = _byte_position(data, nul)
        message = (
            f"this is not a text file: it contains a NUL byte at line {position[0]}, "
            f"column {position[1]}; scenario files must be plain UTF-8 text"
        )
        raise ScenarioError([_problem(file, position, message)])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        position = _byte_position(data, exc.start)
        message = (
            f"this is not a UTF-8 text file: the byte 0x{data[exc.start]:02x} at line "
            f"{position[0]}, column {position[1]} is not valid UTF-8; "
            "save the file as UTF-8 text"
        )
        raise ScenarioError([_problem(file, position, message)]) from None


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    prefix = data[:offset].decode("utf-8", errors="replace")
    return _Lines(prefix).position(len(prefix))


def _check_characters(file: str, text: str) -> None:
    """Refuse control characters before PyYAML does, with a position and a useful message."""
    matches = list(_NON_PRINTABLE.finditer(text))
    if not matches:
        return
    lines = _Lines(text)
    nul = text.find("\0")
    if nul >= 0:
        position = lines.position(nul)
        message = (
            f"this is not a text file: it contains a NUL character at line {position[0]}, "
            f"column {position[1]}; scenario files must be plain UTF-8 text"
        )
        raise ScenarioError([_problem(file, position, message)])
    problems = [
        _problem(
            file,
            lines.position(match.start()),
            f"invalid character U+{ord(match.group()):04X} (a control or non-text character "
            "that is not allowed in a text file); delete it",
        )
        for match in matches[:_MAX_CHARACTER_PROBLEMS]
    ]
    if len(matches) > _MAX_CHARACTER_PROBLEMS:
        more = len(matches) - _MAX_CHARACTER_PROBLEMS
        position = lines.position(matches[_MAX_CHARACTER_PROBLEMS].start())
        message = f"...and {more} more invalid characters from here on; is this a text file?"
        problems.append(_problem(file, position, message))
    raise ScenarioError(problems)


# --------------------------------------------------------------------------- parsing


def _mark_position(mark: Any) -> tuple[int, int]:
    """1-based (line, column) of a PyYAML mark (pure-Python or libyaml), (1, 1) if absent."""
    if mark is None:
        return (1, 1)
    return (int(mark.line) + 1, int(mark.column) + 1)


class _TooDeep(Exception):
    """Raised while composing once nesting passes :data:`MAX_DEPTH`."""

    def __init__(self, position: tuple[int, int]) -> None:
        super().__init__("nested too deeply")
        self.position = position


class _ScenarioLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors/aliases (collecting each one) and limits nesting.

    Aliases are replaced by a placeholder node so composition can go on and find
    further problems in the same run.
    """

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.refused: list[tuple[int, int]] = []
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            alias: Any = self.get_event()  # type: ignore[no-untyped-call]
            self.refused.append(_mark_position(alias.start_mark))
            return ScalarNode(_REFUSED_TAG, "", alias.start_mark, alias.end_mark)
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, NodeEvent) and event.anchor is not None:
            self.refused.append(_mark_position(event.start_mark))
            event.anchor = None
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooDeep(_mark_position(event.start_mark))
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _describe_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG_PREFIX) if tag.startswith(_TAG_PREFIX) else tag


class _Builder:
    """Turn the composed node tree into dicts, lists and scalars, recording every position."""

    def __init__(self, loader: _ScenarioLoader, locator: Locator, file: str) -> None:
        self._loader = loader
        self._locator = locator
        self._file = file
        self.problems: list[Problem] = []

    def _add(self, mark: yaml.Mark, message: str) -> None:
        self.problems.append(Problem(self._file, mark.line + 1, mark.column + 1, message))

    def build(self, node: Node, path: LocPath) -> Any:
        self._locator._record(path, value=_span(node))
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                self._add(node.start_mark, self._tag_message(node.tag))
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self._scalar(node)[1]

    @staticmethod
    def _tag_message(tag: str) -> str:
        return f"the tag '{_describe_tag(tag)}' is not allowed in scenario files; remove it"

    def _mapping(self, node: MappingNode, path: LocPath) -> dict[str, Any]:
        if node.tag != _MAP:
            self._add(node.start_mark, self._tag_message(node.tag))
        result: dict[str, Any] = {}
        first_seen: dict[str, yaml.Mark] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if key is None:
                continue
            if key in first_seen:
                first = first_seen[key]
                where = f"line {first.line + 1}"
                if first.line == key_node.start_mark.line:
                    where += f", column {first.column + 1}"
                self._add(
                    key_node.start_mark,
                    f"'{key}' appears twice in this mapping; the first is at {where}",
                )
                continue
            first_seen[key] = key_node.start_mark
            child = (*path, key)
            self._locator._record(child, key=_span(key_node))
            result[key] = self.build(value_node, child)
        return result

    def _key(self, node: Node) -> str | None:
        """The key as text, or None (with a problem recorded) if it cannot be one."""
        if not isinstance(node, ScalarNode):
            self._add(node.start_mark, "a key must be plain text, not a list or a mapping")
            return None
        if node.tag == _REFUSED_TAG:
            return None
        if node.tag == _MERGE:
            self._add(
                node.start_mark,
                "merge keys ('<<') are not allowed in scenario files; write the keys out",
            )
            return None
        ok, key = self._scalar(node)
        if not ok:
            return None
        if isinstance(key, str):
            return key
        raw = str(node.value)
        if raw == "":
            message = "a key is missing before this ':'"
        else:
            message = (
                f"keys must be text, but YAML reads {raw} as {_reading(key)}; "
                f'put the key in quotes: "{raw}"'
            )
        self._add(node.start_mark, message)
        return None

    def _scalar(self, node: ScalarNode) -> tuple[bool, Any]:
        tag = node.tag
        if tag == _REFUSED_TAG:
            return True, None
        if tag in _TEXT_TAGS:
            return True, str(node.value)
        if tag not in _CONSTRUCTED_TAGS:
            self._add(node.start_mark, self._tag_message(tag))
            return False, str(node.value)
        try:
            return True, self._loader.construct_object(node, deep=True)
        except Exception as exc:  # any constructor failure is a user's mistake
            reason = exc.problem if isinstance(exc, yaml.MarkedYAMLError) else str(exc)
            if "Exceeds the limit" in str(exc):
                reason = "the number has too many digits"
            tag = _describe_tag(tag)
            self._add(node.start_mark, f"cannot read {_show(str(node.value))} as {tag}: {reason}")
            return False, str(node.value)


def _reading(value: object) -> str:
    """How YAML read a plain value, in words ("true", "the number 8")."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    return "something other than text"


def load_yaml(path: Path | str, text: str | bytes | None = None) -> Located:
    """Parse one scenario file into plain data plus a :class:`Locator`.

    ``text`` (str or bytes) is used instead of reading ``path``; ``path`` is then
    only the name shown in problems. Raises :class:`ScenarioError` with every
    problem found (syntax errors stop parsing, so at most one of those).
    """
    file = str(path)
    source = _read_text(file, path, text)
    loader = _ScenarioLoader(source)
    locator = Locator(source)
    problems: list[Problem] = []
    root: Node | None = None
    try:
        root = loader.get_single_node()
    except _TooDeep as exc:
        message = f"the data is nested too deeply (more than {MAX_DEPTH} levels)"
        problems.append(_problem(file, exc.position, message))
    except yaml.MarkedYAMLError as exc:
        problems.append(_syntax_problem(file, source, exc))
    except yaml.YAMLError as exc:
        problems.append(Problem(file, 1, 1, f"this is not valid YAML: {exc}"))
    except RecursionError:
        problems.append(Problem(file, 1, 1, "the data is nested too deeply"))
    problems.extend(_problem(file, position, _ALIAS_MESSAGE) for position in loader.refused)
    data: Any = None
    if root is not None:
        builder = _Builder(loader, locator, file)
        data = builder.build(root, ())
        problems.extend(builder.problems)
        if not isinstance(root, MappingNode) and root.tag != _REFUSED_TAG:
            what = "a list" if isinstance(root, SequenceNode) else "a single value"
            message = (
                "a scenario file must be made of 'key: value' lines at the top level, "
                f"but this file holds {what}"
            )
            problems.append(
                _problem(file, (root.start_mark.line + 1, root.start_mark.column + 1), message)
            )
    elif not problems:
        if source.strip():
            message = "the file has only comments; it must contain 'key: value' lines"
        else:
            message = "the file is empty; it must contain 'key: value' lines"
        problems.append(Problem(file, 1, 1, message))
    loader.dispose()
    if problems:
        raise ScenarioError(problems)
    return Located(data, locator)


# --------------------------------------------------------------------------- syntax errors

_TOKEN_WORDS = {
    "<block end>": "the end of the indented block",
    "<block mapping start>": "a 'key: value' line",
    "<block sequence start>": "a '- ' list",
    "<stream end>": "the end of the file",
    "<scalar>": "more text",
    "<document start>": "the start of another document",
    "<document end>": "the end of the document",
    "<stream start>": "the start of the file",
    "?": "another 'key:'",
    "-": "a '- ' list item",
}
_TOKEN = re.compile(r"'?(<[a-z ]+>)'?|'(\?|-)'")
_FOUND = re.compile(r"(?:found|got) '?(<[a-z ]+>|[^'<]+)'?")


def _token_words(token: str) -> str:
    """A PyYAML token name like ``<block end>`` in plain words; other tokens quoted."""
    return _TOKEN_WORDS.get(token, f"'{token}'")


def _words(text: str) -> str:
    """Replace PyYAML token names in a message with plain words."""
    return _TOKEN.sub(lambda match: _token_words(match.group(1) or match.group(2)), text)


def _at(mark: Any) -> str:
    line, column = _mark_position(mark)
    return f"line {line}, column {column}"


_QUOTE_OPEN = re.compile(r"""^(\s*(?:-\s+)*(?:[^\s#'"][^#'"]*?:\s+)?)(["'])""")
_KEY_LINE = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w-]*:(?:\s|$)")
_GLUED = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w-]*):([^\s:/][^\s]*)\s*$")


def _closes(line: str, start: int, quote: str) -> bool:
    """Whether the quoted value opening at ``start`` is closed later on the same line."""
    i = start + 1
    while i < len(line):
        if line[i] == "\\" and quote == '"':
            i += 2
            continue
        if line[i] == quote:
            if quote == "'" and line.startswith("''", i):
                i += 2
                continue
            return True
        i += 1
    return False


def _unclosed_quote(text: str, reported_line: int) -> tuple[int, int, str] | None:
    """The first value before ``reported_line`` whose quote never closes on its line and
    is followed by a new 'key:' line: where the facilitator forgot the quote, rather than
    where YAML noticed (often the next quote in the file, or its end)."""
    lines = text.splitlines()
    for n, line in enumerate(lines[: max(reported_line - 1, 0)]):
        m = _QUOTE_OPEN.match(line)
        if m is None:
            continue
        start, quote = m.end(1), m.group(2)
        if _closes(line, start, quote):
            continue
        rest = [t for t in lines[n + 1 :] if t.strip() and not t.lstrip().startswith("#")]
        if rest and _KEY_LINE.match(rest[0]):
            return n + 1, start + 1, quote
    return None


def _glued_colon(text: str, mark: Any) -> tuple[tuple[int, int], str, str] | None:
    """A line like 'cost:0.6' (no space after the colon) at ``mark``, if that is what it is."""
    if mark is None:
        return None
    lines = text.splitlines()
    if not 0 <= mark.line < len(lines):
        return None
    m = _GLUED.match(lines[mark.line])
    if m is None:
        return None
    return (mark.line + 1, m.end(2) + 1), m.group(2), m.group(3)


def _syntax_problem(file: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    """Turn a PyYAML scanner/parser/composer error into a plain-language Problem.

    The position is the problem mark, except for a line missing its ':' where
    PyYAML only notices on the next line but knows where the bad line started.
    """
    problem = exc.problem or "this is not valid YAML"
    context = exc.context or ""
    mark: Any = exc.problem_mark or exc.context_mark
    reported = _mark_position(mark)
    opened = _unclosed_quote(text, reported[0])
    if opened is not None:
        shown = '"' if opened[2] == '"' else "'"
        return _problem(file, opened[:2], (
            f"this value opens a quote ({shown}) that is not closed on its line, so YAML "
            f"reads on to line {reported[0]}; add the closing {shown} at the end of the value"))
    glued = None
    if "could not find expected ':'" in problem:
        glued = _glued_colon(text, exc.context_mark or mark)
    elif problem == "mapping values are not allowed here" and mark is not None:
        # '- id:x' then '  title: y': the list item was read as the one word 'id:x'
        glued = _glued_colon(text, types.SimpleNamespace(line=mark.line - 1))
    if glued is not None:
        spot, key, rest = glued
        return _problem(file, spot, (
            f"'{key}:{rest}' needs a space after the ':' (write '{key}: {rest}'); without "
            "it YAML reads the whole line as one word"))
    start: Any = exc.context_mark
    found = _FOUND.search(problem)
    token = found.group(1) if found else ""
    found_words = _token_words(token) if token else "something else"
    if "could not find expected ':'" in problem and start is not None:
        mark = start
        message = (
            "expected 'key: value' here, but there is no ':'; if this line continues "
            "the value above it, indent it further"
        )
    elif problem == "mapping values are not allowed here":
        lines = text.splitlines()
        line = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
        before = line[: mark.column] if mark is not None else ""
        if ": " in before:
            message = (
                "a ':' followed by a space starts a new key, so it cannot appear inside "
                "this value; put the whole value in quotes"
            )
        else:
            message = (
                "this line is indented more than it should be (or the value above it needs "
                "quotes); check the indentation"
            )
    elif "'\\t'" in problem or "tab character" in problem:
        message = "tab character here; YAML needs spaces, not tabs, to indent and after ':'"
    elif "that cannot start any token" in problem:
        char = problem.split("'")[1] if problem.count("'") >= 2 else "this character"
        message = f"a value cannot start with '{char}'; put the value in quotes"
    elif context in ("while scanning an alias", "while scanning an anchor"):
        message = (
            "'*' and '&' at the start of a value mean an alias or anchor in YAML, which "
            "scenario files do not allow; put the value in quotes"
        )
    elif "quoted scalar" in context and "end of stream" in problem:
        message = (
            f"the quoted value that starts at {_at(start)} is never closed; add the closing quote"
        )
    elif "escape" in problem and "double-quoted" in context:
        message = (
            "a backslash in a double-quoted value starts an escape like \\n, and this one "
            "is not valid; write \\\\ for a backslash, or use single quotes"
        )
    elif context == "expected a single document in the stream":
        message = "only one document is allowed per file; remove this '---' and what follows"
    elif "flow sequence" in context:
        message = (
            f"expected ',' or ']' here, but found {found_words}; "
            f"the '[' list at {_at(start)} is not closed"
        )
    elif "flow mapping" in context:
        message = (
            f"expected ',' or '}}' here, but found {found_words}; "
            f"the '{{' mapping at {_at(start)} is not closed"
        )
    elif "expected <block end>" in problem:
        if token == "<scalar>":
            message = (
                "unexpected text here; if it belongs to the value before it, put the whole "
                "value in quotes, otherwise check the indentation"
            )
        elif token in ("]", "}"):
            message = f"'{token}' here has no matching opening bracket"
        else:
            message = (
                f"found {found_words} here, which does not line up with the lines above "
                f"it; check the indentation (the enclosing block starts at {_at(start)})"
            )
    elif "expected the node content" in problem:
        message = f"expected a value here, but found {found_words}"
    elif problem in ("sequence entries are not allowed here", "mapping keys are not allowed here"):
        char = "-" if problem.startswith("sequence") else "?"
        message = (
            f"a '{char} ' cannot start here; put the value in quotes, or start a list on "
            "its own indented line"
        )
    elif "chomping or indentation indicators" in problem:
        message = "after '|' or '>' only '-', '+' or a digit may follow on the same line"
    else:
        message = _words(problem)
        if context:
            message += f" ({_words(context)} at {_at(start)})" if start else f" ({_words(context)})"
    return _problem(file, _mark_position(mark), message)


# --------------------------------------------------------------------------- validation


def _unwrap(annotation: Any) -> list[Any]:
    """Flatten Annotated, Optional, Union and ``type`` aliases into the plain member types."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        return [member for arg in typing.get_args(annotation) for member in _unwrap(arg)]
    if type(annotation).__name__ == "TypeAliasType":  # a Python 3.12 ``type X = ...`` alias
        return _unwrap(getattr(annotation, "__value__", Any))
    return [annotation]


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _field_keys(model: type[BaseModel]) -> dict[str, str]:
    """The keys a model accepts in YAML, mapped to the field name."""
    keys: dict[str, str] = {}
    by_name = bool(
        model.model_config.get("populate_by_name") or model.model_config.get("validate_by_name")
    )
    for name, info in model.model_fields.items():
        alias = info.validation_alias if isinstance(info.validation_alias, str) else info.alias
        if alias:
            keys[alias] = name
        if not alias or by_name:
            keys[name] = name
    return keys


def _step(annotation: Any, item: str | int) -> list[Any] | None:
    """The type one ``loc`` item further inside ``annotation``, or None if it does not apply."""
    if _is_model(annotation):
        if isinstance(item, str):
            name = _field_keys(annotation).get(item)
            if name is not None:
                return [annotation.model_fields[name].annotation]
        return None
    origin = typing.get_origin(annotation) or annotation
    args = typing.get_args(annotation)
    if not isinstance(origin, type):
        return None
    if issubclass(origin, tuple) and isinstance(item, int):
        if len(args) == 2 and args[1] is Ellipsis:
            return [args[0]]
        return [args[item]] if 0 <= item < len(args) else None
    if issubclass(origin, Mapping) and isinstance(item, str):
        if len(args) != 2:
            return [Any]
        return [args[0] if item == "[key]" else args[1]]
    if (
        issubclass(origin, Iterable)
        and not issubclass(origin, str | bytes)
        and isinstance(item, int)
    ):
        return [args[0] if args else Any]
    return None


def _members(candidates: Iterable[Any]) -> list[Any]:
    """Flatten candidate types into union members, ignoring ``None`` beside other members."""
    expanded = [member for candidate in candidates for member in _unwrap(candidate)]
    real = [member for member in expanded if member is not type(None)]
    return real or expanded


def _tag_matches(member: Any, tag: str | int) -> bool:
    """Whether a pydantic union tag names this member: its class name or discriminator value."""
    if isinstance(member, type) and member.__name__ == tag:
        return True
    if _is_model(member):
        for info in member.model_fields.values():
            for arg in _unwrap(info.annotation):
                if typing.get_origin(arg) is Literal and tag in typing.get_args(arg):
                    return True
    return False


def _descend(candidates: list[Any], item: str | int) -> tuple[list[Any], bool]:
    """Follow one ``loc`` item through the types; also say whether it was a union tag.

    Pydantic puts a tag (member class name, or discriminator value) in ``loc``
    right after every union of two or more members; it is not a key in the data.
    """
    members = _members(candidates)
    if len(members) > 1:
        chosen = [member for member in members if _tag_matches(member, item)]
        return (chosen or members), True
    stepped = _step(members[0], item) if members else None
    return (stepped if stepped is not None else members), False


def _types_at(model: type[BaseModel], loc: Sequence[str | int]) -> list[Any]:
    """The candidate annotations at a pydantic ``loc``, following fields, items and unions."""
    candidates: list[Any] = [model]
    for item in loc:
        candidates, _ = _descend(candidates, item)
    return _members(candidates)


def _choices_at(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """Keys accepted by the mapping at ``loc`` (all union members together)."""
    keys: dict[str, None] = {}
    for candidate in _types_at(model, loc):
        if _is_model(candidate):
            keys.update(dict.fromkeys(_field_keys(candidate)))
    return list(keys)


def _options_at(model: type[BaseModel], loc: Sequence[str | int], error: ErrorDetails) -> list[str]:
    """The allowed values of a Literal or Enum at ``loc``, as the user would write them."""
    options: dict[str, None] = {}
    for candidate in _types_at(model, loc):
        if typing.get_origin(candidate) is Literal:
            options.update(dict.fromkeys(_plain(arg) for arg in typing.get_args(candidate)))
        elif isinstance(candidate, type) and issubclass(candidate, Enum):
            options.update(dict.fromkeys(_plain(member.value) for member in candidate))
    if not options:
        expected = str(error.get("ctx", {}).get("expected", ""))
        options.update(dict.fromkeys(re.findall(r"'([^']*)'", expected)))
    return list(options)


def _plain(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _field_description(model: type[BaseModel], loc: Sequence[str | int], key: str) -> str | None:
    for candidate in _types_at(model, loc):
        if _is_model(candidate):
            name = _field_keys(candidate).get(key)
            if name is not None:
                description: str | None = candidate.model_fields[name].description
                if description:
                    return description.strip().splitlines()[0]
    return None


@dataclass
class _Entry:
    """One pydantic error, with its loc split into data steps and union-member tags."""

    error: ErrorDetails
    path: LocPath  # steps that index into the data (a missing key is kept as the last step)
    sites: list[tuple[LocPath, str | int, int]] = field(default_factory=list)
    # each tag: (loc prefix before the tag, the tag, number of data steps before it)
    combined: str | None = None  # a ready message for a merged union mismatch


def _split_loc(model: type[BaseModel], data: Any, error: ErrorDetails) -> _Entry:
    """Split a pydantic ``loc`` into the path through the data and the union tags in it."""
    loc = tuple(error["loc"])
    candidates: list[Any] = [model]
    current = data
    path: list[str | int] = []
    entry = _Entry(error, ())
    for position, item in enumerate(loc):
        candidates, union_tag = _descend(candidates, item)
        in_dict = isinstance(current, dict) and isinstance(item, str) and item in current
        in_list = isinstance(current, list) and isinstance(item, int) and 0 <= item < len(current)
        if not union_tag and (in_dict or in_list):
            current = current[item]
            path.append(item)
        elif not union_tag and position == len(loc) - 1 and error["type"] == "missing":
            path.append(item)
        else:  # a union tag, or a name pydantic added that is not in the data
            entry.sites.append((loc[:position], item, len(path)))
    entry.path = tuple(path)
    return entry


_MISMATCH_TYPES = frozenset(
    {
        "int_type", "int_parsing", "int_from_float", "float_type", "float_parsing",
        "bool_type", "bool_parsing", "string_type", "dict_type", "model_type",
        "model_attributes_type", "list_type", "tuple_type", "set_type", "frozen_set_type",
        "literal_error", "enum", "none_required", "is_instance_of", "date_type",
        "date_parsing", "datetime_type", "datetime_parsing", "decimal_type", "decimal_parsing",
        "union_tag_invalid", "finite_number",
    }
)  # fmt: skip

_EXPECTED = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "decimal_type": "a number",
    "decimal_parsing": "a number",
    "finite_number": "a finite number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "dict_type": "a mapping of 'key: value' lines",
    "model_type": "a mapping of 'key: value' lines",
    "model_attributes_type": "a mapping of 'key: value' lines",
    "list_type": "a list ('- ' items)",
    "tuple_type": "a list ('- ' items)",
    "set_type": "a list ('- ' items)",
    "frozen_set_type": "a list ('- ' items)",
    "none_required": "nothing (leave it empty)",
    "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "datetime_type": "a date and time",
    "datetime_parsing": "a date and time",
}


def _prune_unions(entries: list[_Entry], locator: Locator, model: type[BaseModel]) -> list[_Entry]:
    """Keep union errors readable: one branch, or one merged "expected A or B" message.

    Pydantic reports a failed ``A | B`` once per member. Members whose errors all
    say "wrong kind of value here" are dropped in favour of the member that got
    furthest (fewest errors); if every member is a mismatch, one message lists
    what would have been accepted.
    """
    done: set[LocPath] = set()
    while True:
        open_sites = [site for entry in entries for (site, _, _) in entry.sites if site not in done]
        if not open_sites:
            return entries
        site = min(open_sites, key=len)
        done.add(site)
        branches: dict[str | int, list[_Entry]] = {}
        depth = 0
        for entry in entries:
            for entry_site, tag, steps in entry.sites:
                if entry_site == site:
                    branches.setdefault(tag, []).append(entry)
                    depth = steps
                    break
        if len(branches) < 2:
            continue
        members = [entry for group in branches.values() for entry in group]

        def mismatch(group: list[_Entry], depth: int = depth) -> bool:
            return all(len(e.path) == depth and e.error["type"] in _MISMATCH_TYPES for e in group)

        real = [group for group in branches.values() if not mismatch(group)]
        keep = min(real, key=len) if real else [_merge_mismatches(members, locator, model)]
        kept_ids = {id(entry) for entry in keep}
        member_ids = {id(entry) for entry in members}
        entries = [e for e in entries if id(e) not in member_ids or id(e) in kept_ids]
        present = {id(entry) for entry in entries}
        entries.extend(entry for entry in keep if id(entry) not in present)


def _merge_mismatches(members: list[_Entry], locator: Locator, model: type[BaseModel]) -> _Entry:
    """One "expected A or B, got C" entry standing for every member of a failed union."""
    first = members[0]
    wanted: dict[str, None] = {}
    options: list[str] = []
    for entry in members:
        kind = entry.error["type"]
        if kind in ("literal_error", "enum"):
            found = _options_at(model, entry.error["loc"], entry.error)
            options.extend(found)
            wanted[f"one of: {', '.join(found)}"] = None
        else:
            wanted[_EXPECTED.get(kind, _strip_input_should(entry.error["msg"]))] = None
    value = first.error["input"]
    message = f"expected {' or '.join(wanted)}, got {_got(value, locator, first.path)}"
    if isinstance(value, str) and options:
        message += did_you_mean(value, options)
    merged = _Entry(first.error, first.path)
    merged.combined = message
    return merged


def _strip_input_should(message: str) -> str:
    return message.removeprefix("Input should be ").removeprefix("input should be ")


def _show(value: object, limit: int = 60) -> str:
    """A value as a facilitator would recognise it from their file."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        shown = value if len(value) <= limit else value[: limit - 3] + "..."
        return f"'{shown}'"
    if isinstance(value, dict):
        return "a mapping ('key: value' lines)"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def _got(value: object, locator: Locator, path: LocPath) -> str:
    """Describe the value found, explaining YAML's reading of unquoted words and numbers."""
    scalar = locator.scalar_text(path)
    plain = scalar[0] if scalar is not None and scalar[1] is None else ""
    if value is None:
        if plain:
            return f"{plain}, which YAML reads as an empty value"
        return "nothing (the value is empty)"
    if isinstance(value, bool | int | float) and plain and plain != _show(value):
        return f"{plain}, which YAML reads as {_reading(value)}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"the number {_show(value)}"
    return _show(value)


def _message(entry: _Entry, locator: Locator, model: type[BaseModel]) -> str:
    """Plain-language text for one pydantic error, from its ``type`` and ``ctx``."""
    if entry.combined is not None:
        return entry.combined
    error = entry.error
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    value = error.get("input")
    loc = error["loc"]
    if kind == "missing":
        key = loc[-1] if loc else "?"
        if isinstance(key, int):
            return f"missing item number {key + 1} in this list"
        description = _field_description(model, loc[:-1], str(key))
        return f"missing required key '{key}'" + (f" ({description})" if description else "")
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else "?"
        choices = _choices_at(model, loc[:-1])
        hint = did_you_mean(key, choices)
        if not hint and choices:
            hint = f"; allowed keys here: {', '.join(choices)}"
        return f"unknown key '{key}'{hint}"
    if kind in ("literal_error", "enum"):
        options = _options_at(model, loc, error)
        hint = did_you_mean(value, options) if isinstance(value, str) else ""
        return f"{_show(value)} is not one of: {', '.join(options)}{hint}"
    if kind == "union_tag_invalid":
        discriminator = str(ctx.get("discriminator", "")).strip("'")
        tags = re.findall(r"'([^']*)'", str(ctx.get("expected_tags", "")))
        tag = str(ctx.get("tag", ""))
        return f"'{tag}' is not a valid {discriminator}; expected one of: {', '.join(tags)}" + (
            did_you_mean(tag, tags)
        )
    if kind == "union_tag_not_found":
        discriminator = str(ctx.get("discriminator", "")).strip("'")
        return f"missing required key '{discriminator}'"
    if kind in _EXPECTED:
        message = f"expected {_EXPECTED[kind]}, got {_got(value, locator, entry.path)}"
        scalar = locator.scalar_text(entry.path)
        if kind == "string_type" and scalar and scalar[1] is None and scalar[0]:
            message += f'; put it in quotes ("{scalar[0]}") to use it as text'
        return message
    bounds = {
        "greater_than": ("greater than", "gt"),
        "greater_than_equal": ("at least", "ge"),
        "less_than": ("less than", "lt"),
        "less_than_equal": ("at most", "le"),
        "multiple_of": ("a multiple of", "multiple_of"),
    }
    if kind in bounds:
        words, name = bounds[kind]
        return f"must be {words} {_show(ctx.get(name))}, got {_show(value)}"
    if kind in ("string_too_short", "string_too_long"):
        limit = int(ctx.get("min_length" if kind == "string_too_short" else "max_length", 0))
        if kind == "string_too_short" and limit == 1:
            return "must not be empty"
        words = "at least" if kind == "string_too_short" else "at most"
        size = len(value) if isinstance(value, str) else "?"
        return f"must be {words} {limit} characters long, got {size}"
    if kind in ("too_short", "too_long"):
        limit = int(ctx.get("min_length" if kind == "too_short" else "max_length", 0))
        words = "at least" if kind == "too_short" else "at most"
        plural = "item" if limit == 1 else "items"
        return f"must have {words} {limit} {plural}, got {ctx.get('actual_length', '?')}"
    if kind == "string_pattern_mismatch":
        return f"{_show(value)} does not have the expected form (pattern {ctx.get('pattern')})"
    message = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if message.startswith("Input should be "):
        return f"expected {_strip_input_should(message)}, got {_show(value)}"
    return message


def _position(entry: _Entry, locator: Locator) -> tuple[int, int]:
    kind = entry.error["type"]
    if kind == "missing":
        return locator.nearest(entry.path[:-1])
    if kind == "extra_forbidden":
        return locator.position(entry.path, at="key")
    if kind == "union_tag_invalid":
        discriminator = str(entry.error.get("ctx", {}).get("discriminator", "")).strip("'")
        if locator.contains((*entry.path, discriminator)):
            return locator.nearest((*entry.path, discriminator))
    return locator.nearest(entry.path)


def validate_model(located: Located, model: type[M], file: str) -> M:
    """Validate loaded data against ``model``; raise one Problem per (readable) error."""
    try:
        return model.model_validate(located.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        entries = [_split_loc(model, located.data, error) for error in errors]
        entries = _prune_unions(entries, located.locator, model)
        locator = located.locator
        problems = [
            _problem(file, _position(entry, locator), _message(entry, locator, model))
            for entry in entries
        ]
        raise ScenarioError(problems) from None


def load_model(path: Path | str, model: type[M], text: str | bytes | None = None) -> M:
    """Load and validate one scenario file; problems name the file as ``str(path)``."""
    return validate_model(load_yaml(path, text), model, str(path))


# --------------------------------------------------------------------------- later checks


class ProblemCollector:
    """Collect problems found by later checks (cross references, expressions) for one file.

    Positions come from the file's :class:`Locator`; ``column_offset`` points at
    a character inside a scalar, e.g. the unknown name in ``when: quarter > x``.
    """

    def __init__(self, source: Located | Locator, file: str) -> None:
        self.locator = source.locator if isinstance(source, Located) else source
        self.file = file
        self._problems: list[Problem] = []

    @property
    def problems(self) -> list[Problem]:
        """The problems so far, in the order they were added."""
        return list(self._problems)

    def add(
        self,
        path: Sequence[str | int],
        message: str,
        *,
        at: Literal["value", "key"] = "value",
        column_offset: int | None = None,
    ) -> Problem:
        """Record a problem about the value (or key) at ``path``; returns it.

        ``column_offset`` (0-based, in the scalar's text) points at a character
        inside a string value, such as the bad name in an expression.
        """
        line, column = self.locator.position(path, at=at, column_offset=column_offset)
        problem = Problem(self.file, line, column, message)
        self._problems.append(problem)
        return problem

    def extend(self, problems: Iterable[Problem]) -> None:
        """Add problems found elsewhere (for example a ScenarioError's) to this collection."""
        self._problems.extend(problems)

    def __len__(self) -> int:
        return len(self._problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._problems)

    def raise_if_any(self) -> None:
        """Raise a :class:`ScenarioError` holding every problem, if there are any."""
        if self._problems:
            raise ScenarioError(self._problems)
