"""Print the reference tables of the scenario guide as Markdown.

The tables are generated from the code itself, so they are always exact:

* the variables that conditions and effects may use, from
  ``game.scenario.variables`` (name, meaning, range, whether effects may change it);
* every section and field of a scenario file, from the pydantic models in
  ``game.scenario.models`` (key, type in plain words, default, allowed range,
  description).

Usage, from the project folder:

    python docs/gen_reference.py                      # print the tables
    python docs/gen_reference.py --update docs/scenario-guide.md

``--update`` replaces whatever stands between the lines
``<!-- reference:start -->`` and ``<!-- reference:end -->`` in the given file.
"""

from __future__ import annotations

import argparse
import re
import sys
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from game.scenario.models import Scenario  # noqa: E402
from game.scenario.variables import BASE_VARIABLES, Variable, VariableRegistry  # noqa: E402

START = "<!-- reference:start -->"
END = "<!-- reference:end -->"
SLUG_PATTERN = "^[a-z][a-z0-9-]*$"


# --------------------------------------------------------------------------- helpers


def cell(text: object) -> str:
    """Text made safe for one Markdown table cell (for use inside a code span)."""
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def prose(text: object) -> str:
    """Plain text made safe for a table cell: pipes and angle brackets escaped."""
    return cell(text).replace("<", "&lt;").replace(">", "&gt;")


def number(value: float | int) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def constraints(metadata: list[Any]) -> dict[str, Any]:
    """The limits in a field's metadata: ge, gt, le, lt, min_length, max_length, pattern."""
    found: dict[str, Any] = {}
    for item in metadata:
        if isinstance(item, FieldInfo):
            found.update(constraints(item.metadata))
            continue
        for key in ("ge", "gt", "le", "lt", "min_length", "max_length", "pattern"):
            value = getattr(item, key, None)
            if value is not None:
                found[key] = value
    return found


def split_annotated(annotation: Any) -> tuple[Any, list[Any]]:
    """(`base type`, metadata) for an `Annotated[...]` type, or the type itself."""
    if typing.get_origin(annotation) is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        return base, meta
    return annotation, []


def is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def range_words(limits: dict[str, Any]) -> str:
    """'0 to 1', 'above 0, at most 1000', '1 to 60 long', ... or '' when unlimited."""
    parts: list[str] = []
    low = [f"at least {number(limits['ge'])}"] if "ge" in limits else []
    low += [f"above {number(limits['gt'])}"] if "gt" in limits else []
    high = [f"at most {number(limits['le'])}"] if "le" in limits else []
    high += [f"below {number(limits['lt'])}"] if "lt" in limits else []
    if "ge" in limits and "le" in limits:
        parts.append(f"{number(limits['ge'])} to {number(limits['le'])}")
    elif low or high:
        parts.append(", ".join(low + high))
    lo_len, hi_len = limits.get("min_length"), limits.get("max_length")
    if lo_len and hi_len:
        parts.append(f"{lo_len} to {hi_len} characters")
    elif hi_len:
        parts.append(f"at most {hi_len} characters")
    elif lo_len:
        parts.append("must not be empty" if lo_len == 1 else f"at least {lo_len} items")
    if limits.get("pattern") == SLUG_PATTERN:
        parts.append("lowercase letters, digits and dashes, starting with a letter")
    elif limits.get("pattern"):
        parts.append(f"must match {limits['pattern']}")
    return "; ".join(parts)


def type_words(annotation: Any) -> str:
    """A type in plain words: 'number', 'whole number', 'list of text', ..."""
    annotation, _ = split_annotated(annotation)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation is float:
        return "number"
    if annotation is int:
        return "whole number"
    if annotation is str:
        return "text"
    if annotation is bool:
        return "true or false"
    if origin is typing.Literal:
        return "one of: " + ", ".join(str(a) for a in args)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        words = " or ".join(type_words(a) for a in rest)
        return f"{words}, or left out" if len(rest) < len(args) else words
    if origin is list:
        return "list of items" if is_model(args[0]) else f"list of {type_words(args[0])}"
    if origin is dict:
        return "named entries" if is_model(args[1]) else \
            f"named entries, each a {type_words(args[1])}"
    if is_model(annotation):
        return "section"
    return str(annotation)


def item_limits(annotation: Any) -> str:
    """Limits on the items of a list (or the values/keys of a map), in words."""
    annotation, _ = split_annotated(annotation)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        # `Fraction | None`: the limits sit on the member, not on the field.
        return "; ".join(filter(None, [
            *(range_words(constraints(split_annotated(a)[1])) for a in args),
            *(item_limits(a) for a in args)]))
    if origin is list:
        _, meta = split_annotated(args[0])
        words = range_words(constraints(meta))
        return f"each item: {words}" if words else ""
    if origin is dict:
        _, meta = split_annotated(args[0])
        words = range_words(constraints(meta))
        return f"each name: {words}" if words else ""
    return ""


def yaml_value(value: Any) -> str:
    """A default value written the way it would be typed in YAML."""
    if value is None:
        return "left out"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, str):
        return "empty" if value == "" else value
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]" if value else "[] (empty)"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {yaml_value(v)}" for k, v in value.items()) + "}" \
            if value else "{} (empty)"
    if isinstance(value, BaseModel):
        return model_default(value)
    return str(value)


def model_default(instance: BaseModel) -> str:
    """A section's default: the values that differ from its own field defaults."""
    cls = type(instance)
    changed: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        value = getattr(instance, name)
        if info.is_required():
            changed[name] = value
            continue
        own = info.default_factory() if info.default_factory is not None else info.default
        if own != value:
            changed[name] = value
    if not changed:
        return "all defaults"
    return "all defaults, except " + ", ".join(
        f"{k}: {yaml_value(v.model_dump() if isinstance(v, BaseModel) else v)}"
        for k, v in changed.items())


def default_words(info: FieldInfo) -> str:
    if info.is_required():
        return "**required**"
    if info.default_factory is not None:
        return yaml_value(info.default_factory())  # type: ignore[call-arg]
    if info.default is PydanticUndefined:
        return "**required**"
    return yaml_value(info.default)


def nested_models(annotation: Any) -> Iterator[tuple[str, type[BaseModel]]]:
    """Models inside a field's type, with the suffix their key gets: '', '[]' or '.<name>'."""
    annotation, _ = split_annotated(annotation)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if is_model(annotation):
        yield "", annotation
    elif origin is list:
        for suffix, model in nested_models(args[0]):
            yield "[]" + suffix, model
    elif origin is dict:
        for suffix, model in nested_models(args[1]):
            yield ".<name>" + suffix, model
    elif origin in (typing.Union, types.UnionType):
        for a in args:
            yield from nested_models(a)


def walk(model: type[BaseModel], path: str,
         found: dict[type[BaseModel], list[str]]) -> None:
    """Every model reachable from `model`, in order of first appearance, with its paths."""
    paths = found.setdefault(model, [])
    if path not in paths:
        paths.append(path)
    for name, info in model.model_fields.items():
        for suffix, sub in nested_models(info.annotation):
            walk(sub, f"{path}.{name}{suffix}" if path else f"{name}{suffix}", found)


# --------------------------------------------------------------------------- tables


def variable_range(var: Variable) -> str:
    if var.boolean:
        return "true or false"
    low = "no lower limit" if var.low is None else number(var.low)
    if var.high is None:
        return f"{low} or more" if var.low is not None else "any"
    return f"{low} to {number(var.high)}"


def variables_table() -> str:
    rows = ["| Name | Meaning | Range | Effects may change it |",
            "|---|---|---|---|"]

    def row(var: Variable, name: str | None = None) -> None:
        writable = "yes" if var.writable else "no (read only)"
        rows.append(f"| `{cell(name or var.name)}` | {prose(var.description)} | "
                    f"{prose(variable_range(var))} | {writable} |")

    for var in BASE_VARIABLES.values():
        row(var)
    # The per-scenario names, described by the registry itself for a placeholder id.
    pattern = VariableRegistry(project_ids=["ID"], event_ids=["ID"],
                               choices=[("EVENT", "OPTION")])
    for name, var in pattern.items():
        if name in BASE_VARIABLES:
            continue
        shown = (name.replace(".ID.", ".<id>.").replace(".EVENT.", ".<event>.")
                 .replace(".OPTION", ".<option>"))
        text = (var.description.replace("'ID'", "<id>").replace("'EVENT'", "<event>")
                .replace("'OPTION'", "<option>"))
        described = Variable(shown, text, var.low, var.high, var.writable, var.boolean)
        row(described, shown)
    return "\n".join(rows)


def field_tables() -> str:
    found: dict[type[BaseModel], list[str]] = {}
    walk(Scenario, "", found)
    out: list[str] = []
    for model, paths in found.items():
        title = "Top level of the file" if paths == [""] else ", ".join(f"`{p}`" for p in paths)
        out.append(f"### {title}")
        out.append("")
        doc = (model.__doc__ or "").strip().splitlines()
        if doc and model is not Scenario and not doc[0].startswith("Base for"):
            out.append(doc[0])
            out.append("")
        out.append("| Key | Type | Default | Allowed | Description |")
        out.append("|---|---|---|---|---|")
        for name, info in model.model_fields.items():
            limits = range_words(constraints(info.metadata))
            _, meta = split_annotated(info.annotation)
            limits = "; ".join(filter(None, [limits, range_words(constraints(meta)),
                                             item_limits(info.annotation)]))
            kind = type_words(info.annotation)
            # The loader reads these texts as expressions (see the expression language).
            if name == "when":
                kind = kind.replace("text", "condition")
            elif name == "effects":
                kind = kind.replace("list of text", "list of effects")
            kind = prose(kind)
            subs = list(nested_models(info.annotation))
            if subs:
                base = f"{paths[0]}.{name}" if paths[0] else name
                kind += f" (see `{cell(base + subs[0][0])}`)"
            out.append(f"| `{name}` | {kind} | {prose(default_words(info))} | "
                       f"{prose(limits) or '-'} | {prose(info.description or '')} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def situations_table() -> str:
    """The dialogue situations of `ai.lines` and the placeholders each fills."""
    from game.scenario.lines import PLACEHOLDER_MEANINGS, SITUATION_SLOTS, SITUATIONS

    rows = ["| Placeholder | What it becomes |", "|---|---|"]
    rows += [f"| `{{{name}}}` | {prose(text)} |" for name, text in PLACEHOLDER_MEANINGS.items()]
    rows += ["", "| Situation | Always filled | Sometimes filled |", "|---|---|---|"]
    for situation in SITUATIONS:
        always, sometimes = SITUATION_SLOTS[situation]
        rows.append(f"| `{situation}` | {', '.join(f'`{{{p}}}`' for p in always) or '-'} | "
                    f"{', '.join(f'`{{{p}}}`' for p in sometimes) or '-'} |")
    return "\n".join(rows) + "\n"


def risk_table() -> str:
    """A card's odds of success, a challenged result and failure by its `risk`, everything
    else neutral: the risk's shift of the outcome is measured with the engine's own
    `project_mu`, the odds with its thresholds."""
    import numpy as np

    from game.engine.constants import OWNER_CMO
    from game.engine.driver import begin
    from game.engine.execution import FAILURE_Z, SUCCESS_Z, normal_cdf, project_mu
    from game.engine.game import compile_game
    from game.scenario.catalog import resolve
    from game.scenario.loader import load_scenario

    game = compile_game(load_scenario(resolve("digital-shift")))
    state = begin(game, 1, 1)
    one = np.zeros(1, dtype=np.int64)

    def mu(risk: float) -> float:
        game.risk[0] = risk
        return float(project_mu(game, state, one, one, one + OWNER_CMO, np.ones(1))[0])

    neutral = mu(0.5)
    rows = ["| `risk` | Success | Challenged (half the effects) | Failed (none) |",
            "|---|---|---|---|"]
    for risk in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        shift = np.array([mu(risk) - neutral])
        success = 1.0 - float(normal_cdf(SUCCESS_Z - shift)[0])
        failed = float(normal_cdf(FAILURE_Z - shift)[0])
        rows.append(f"| {risk:g} | {100 * success:.0f}% | {100 * (1 - success - failed):.0f}% "
                    f"| {100 * failed:.0f}% |")
    return "\n".join(rows) + "\n"


def reference() -> str:
    """Both tables, with the headings they carry in docs/scenario-guide.md."""
    return (
        "### Every variable\n\n"
        "Generated from `game/scenario/variables.py`. In the names marked `<id>`, put the id "
        "of one of your own projects or events, as in `project.crm.done`. Only the names "
        "marked *yes* in the last column may be changed by an effect; every change is kept "
        "inside the range shown.\n\n"
        + variables_table()
        + "\n\n## 5. Field reference\n\n"
        "Generated from `game/scenario/models.py`, so it lists every key the program "
        "accepts. A key written `name[]` is a list: each item (a line starting with `- `) "
        "takes the keys in its own table. `<name>` stands for a name you choose. A key that "
        "is not listed is refused, so a typing slip never passes silently. Keys you leave "
        "out take the default shown.\n\n"
        + field_tables()
        + "\n### `ai.lines`: situations and their placeholders\n\n"
        "Generated from `game/scenario/lines.py` (a test holds the AI to it). Key a line "
        "`situation` (every voice) or `voice.situation` (one personality). A line is spoken "
        "only when every placeholder it names is filled; one naming a placeholder its "
        "situation never fills is never spoken, and `validate` warns.\n\n"
        + situations_table()
        + "\n### How `risk` sets a card's odds\n\n"
        "Generated with the engine's own outcome rule, for a card owned by one executive "
        "with everything else neutral (trust 0.5, technical debt 0.23, vendors and platform "
        "0.5). Trust, the owner's ability, joint ownership, a liaison and a shared roadmap "
        "raise the odds; debt, weak vendors and an unowned gray card lower them.\n\n"
        + risk_table()
    )


def update(path: Path, text: str) -> None:
    doc = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(doc):
        raise SystemExit(f"{path}: markers {START} and {END} not found")
    new = pattern.sub(lambda _: f"{START}\n\n{text}\n{END}", doc, count=1)
    path.write_text(new, encoding="utf-8")
    print(f"updated {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", metavar="FILE", type=Path,
                        help="replace the text between the reference markers in FILE")
    args = parser.parse_args(argv)
    text = reference()
    if args.update:
        update(args.update, text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
