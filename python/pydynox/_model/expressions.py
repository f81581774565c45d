"""Compiles conditions, atomic updates and projections into DynamoDB expressions.

One `ExpressionBuilder` serves one request: every attribute name becomes a `#n<i>`
placeholder and every value a `:v<i>` placeholder, and `builder.names` / `builder.values`
go to the client as `expression_attribute_names` / `expression_attribute_values`. The key
condition, filter, condition, update and projection of one request share the builder, so
their placeholders never clash. No name or value is ever written into expression text,
whatever characters it holds (`#`, `:`, dots, spaces, reserved words).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from pydynox.atomic import (
    AtomicAdd,
    AtomicAppend,
    AtomicDelete,
    AtomicIfNotExists,
    AtomicOp,
    AtomicPrepend,
    AtomicRemove,
    AtomicSet,
)
from pydynox.conditions import (
    Condition,
    ConditionAnd,
    ConditionAttributeType,
    ConditionBeginsWith,
    ConditionBetween,
    ConditionComparison,
    ConditionContains,
    ConditionExists,
    ConditionIn,
    ConditionNot,
    ConditionNotExists,
    ConditionOr,
    Path,
    PathElement,
    Size,
    _PathOps,
)

__all__ = [
    "ExpressionBuilder",
    "compile_condition",
    "compile_projection",
    "compile_update",
    "parse_path",
]

PathLike = Path | _PathOps | str | Sequence[PathElement]
"""What `builder.name` accepts: an attribute or path object, one attribute name (taken
whole, never split), or the steps of a path."""


class ExpressionBuilder:
    """Placeholders for one request: `name(path) -> "#n0.#n1[2]"`, `value(v) -> ":v0"`."""

    __slots__ = ("names", "values", "_by_name")

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        """placeholder -> attribute name, for `expression_attribute_names`."""
        self.values: dict[str, Any] = {}
        """placeholder -> value, for `expression_attribute_values`."""
        self._by_name: dict[str, str] = {}

    def _placeholder(self, name: str) -> str:
        placeholder = self._by_name.get(name)
        if placeholder is None:
            placeholder = f"#n{len(self._by_name)}"
            self._by_name[name] = placeholder
            self.names[placeholder] = name
        return placeholder

    def name(self, path: PathLike) -> str:
        """The placeholder text of a document path. The same name always gets the same
        placeholder within one builder. A `str` is ONE attribute name (dots and brackets in
        it are part of the name); use `parse_path` for "a.b[0]" document-path text."""
        steps = _steps(path)
        text = self._placeholder(steps[0])  # type: ignore[arg-type]  # _steps checks it is a str
        for step in steps[1:]:
            text += f"[{step}]" if isinstance(step, int) else "." + self._placeholder(step)
        return text

    def value(self, value: Any) -> str:
        """A fresh placeholder holding `value` (already in the form the client sends)."""
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = value
        return placeholder

    def arguments(self) -> dict[str, Any]:
        """`expression_attribute_names` / `expression_attribute_values` for the client call,
        each only when not empty (DynamoDB rejects empty maps)."""
        arguments: dict[str, Any] = {}
        if self.names:
            arguments["expression_attribute_names"] = dict(self.names)
        if self.values:
            arguments["expression_attribute_values"] = dict(self.values)
        return arguments


def _steps(path: PathLike) -> tuple[PathElement, ...]:
    if isinstance(path, _PathOps):
        return path._as_path().elements
    if isinstance(path, str):
        if not path:
            raise ValueError("an attribute name must not be empty")
        return (path,)
    if isinstance(path, Sequence):
        return Path(path).elements
    raise TypeError(f"expected an attribute, a path, an attribute name or path steps, got {path!r}")


def parse_path(text: str) -> tuple[PathElement, ...]:
    """Steps of a document path written as text: `"addr.city"` -> ("addr", "city"),
    `"tags[0]"` -> ("tags", 0), `"a.b[1][2].c"`. A name holding `.`, `[` or `]` cannot be
    written this way; pass the steps (or an attribute path) instead."""
    if not isinstance(text, str):
        raise TypeError(f"a document path is text, got {text!r}")
    steps: list[PathElement] = []
    position = 0
    length = len(text)
    expect_name = True
    while position < length:
        char = text[position]
        if char == "[":
            end = text.find("]", position)
            digits = text[position + 1 : end] if end != -1 else ""
            if not steps or not digits.isdigit() or not digits.isascii():
                raise ValueError(f"bad document path {text!r}: a list index is [digits] after a name")
            steps.append(int(digits))
            position = end + 1
            expect_name = False
        elif char == "." and not expect_name:
            position += 1
            expect_name = True
            if position == length:
                raise ValueError(f"bad document path {text!r}: it ends with '.'")
        elif expect_name:
            end = position
            while end < length and text[end] not in ".[]":
                end += 1
            if end == position:
                raise ValueError(f"bad document path {text!r}: empty name at position {position}")
            steps.append(text[position:end])
            position = end
            expect_name = False
        else:
            raise ValueError(f"bad document path {text!r}: unexpected {char!r} at position {position}")
    if not steps:
        raise ValueError("a document path must not be empty")
    return tuple(steps)


# --- conditions ------------------------------------------------------------------------------


def _operand(operand: Path | Size, builder: ExpressionBuilder) -> str:
    if isinstance(operand, Size):
        return f"size({builder.name(operand.path)})"
    return builder.name(operand)


def _nested(condition: Condition, builder: ExpressionBuilder) -> str:
    # Parentheses around every compound part: the text never relies on AND/OR precedence.
    text = compile_condition(condition, builder)
    if isinstance(condition, (ConditionAnd, ConditionOr, ConditionNot)):
        return f"({text})"
    return text


def _compile_comparison(c: ConditionComparison, b: ExpressionBuilder) -> str:
    return f"{_operand(c.operand, b)} {c.operator} {b.value(c.value)}"


def _compile_between(c: ConditionBetween, b: ExpressionBuilder) -> str:
    return f"{_operand(c.operand, b)} BETWEEN {b.value(c.lower)} AND {b.value(c.upper)}"


def _compile_in(c: ConditionIn, b: ExpressionBuilder) -> str:
    name = b.name(c.path)
    return f"{name} IN ({', '.join(b.value(v) for v in c.values)})"


def _compile_exists(c: ConditionExists, b: ExpressionBuilder) -> str:
    return f"attribute_exists({b.name(c.path)})"


def _compile_not_exists(c: ConditionNotExists, b: ExpressionBuilder) -> str:
    return f"attribute_not_exists({b.name(c.path)})"


def _compile_begins_with(c: ConditionBeginsWith, b: ExpressionBuilder) -> str:
    return f"begins_with({b.name(c.path)}, {b.value(c.prefix)})"


def _compile_contains(c: ConditionContains, b: ExpressionBuilder) -> str:
    return f"contains({b.name(c.path)}, {b.value(c.value)})"


def _compile_attribute_type(c: ConditionAttributeType, b: ExpressionBuilder) -> str:
    return f"attribute_type({b.name(c.path)}, {b.value(c.type_name)})"


def _compile_and(c: ConditionAnd, b: ExpressionBuilder) -> str:
    return " AND ".join(_nested(part, b) for part in c.conditions)


def _compile_or(c: ConditionOr, b: ExpressionBuilder) -> str:
    return " OR ".join(_nested(part, b) for part in c.conditions)


def _compile_not(c: ConditionNot, b: ExpressionBuilder) -> str:
    return f"NOT {_nested(c.condition, b)}"


_CONDITION_COMPILERS: dict[type, Callable[[Any, ExpressionBuilder], str]] = {
    ConditionComparison: _compile_comparison,
    ConditionBetween: _compile_between,
    ConditionIn: _compile_in,
    ConditionExists: _compile_exists,
    ConditionNotExists: _compile_not_exists,
    ConditionBeginsWith: _compile_begins_with,
    ConditionContains: _compile_contains,
    ConditionAttributeType: _compile_attribute_type,
    ConditionAnd: _compile_and,
    ConditionOr: _compile_or,
    ConditionNot: _compile_not,
}


def compile_condition(condition: Condition, builder: ExpressionBuilder) -> str:
    """Expression text of `condition` (for condition, filter or key-condition expressions);
    names and values go into `builder`."""
    compiler = _CONDITION_COMPILERS.get(type(condition))
    if compiler is None:
        raise TypeError(f"condition: expected a Condition (e.g. User.age > 3), got {condition!r}")
    return compiler(condition, builder)


# --- updates ---------------------------------------------------------------------------------


def _check_no_overlap(action: AtomicOp, earlier: list[AtomicOp]) -> None:
    # DynamoDB refuses an update in which one path is changed twice, or a path and a part of
    # it; saying which actions clash beats its "Two document paths overlap".
    steps = action.path.elements
    for other in earlier:
        other_steps = other.path.elements
        shorter = min(len(steps), len(other_steps))
        if steps[:shorter] == other_steps[:shorter]:
            raise ValueError(
                f"atomic: {other!r} and {action!r} change overlapping paths; DynamoDB allows one action per path"
            )


def compile_update(actions: Iterable[AtomicOp], builder: ExpressionBuilder) -> str:
    """One update expression for `actions`: `SET ... REMOVE ... ADD ... DELETE ...`, each
    clause once, actions in the order given within it."""
    clauses: dict[str, list[str]] = {"SET": [], "REMOVE": [], "ADD": [], "DELETE": []}
    touched: list[AtomicOp] = []
    for action in actions:
        if not isinstance(action, AtomicOp):
            raise TypeError(f"atomic: expected update actions (e.g. User.count.add(1)), got {action!r}")
        _check_no_overlap(action, touched)
        touched.append(action)
        path = builder.name(action.path)
        if isinstance(action, AtomicSet):
            clauses["SET"].append(f"{path} = {builder.value(action.value)}")
        elif isinstance(action, AtomicAdd):
            if action.is_set or len(action.path.elements) == 1:
                # DynamoDB's ADD: a missing attribute starts from 0 / the empty set.
                clauses["ADD"].append(f"{path} {builder.value(action.value)}")
            else:
                # Inside a document, ADD is not available; this SET gives the same result.
                zero, amount = builder.value(0), builder.value(action.value)
                clauses["SET"].append(f"{path} = if_not_exists({path}, {zero}) + {amount}")
        elif isinstance(action, AtomicRemove):
            clauses["REMOVE"].append(path)
        elif isinstance(action, AtomicAppend):
            empty, items = builder.value([]), builder.value(action.items)
            clauses["SET"].append(f"{path} = list_append(if_not_exists({path}, {empty}), {items})")
        elif isinstance(action, AtomicPrepend):
            items, empty = builder.value(action.items), builder.value([])
            clauses["SET"].append(f"{path} = list_append({items}, if_not_exists({path}, {empty}))")
        elif isinstance(action, AtomicIfNotExists):
            clauses["SET"].append(f"{path} = if_not_exists({path}, {builder.value(action.value)})")
        elif isinstance(action, AtomicDelete):
            clauses["DELETE"].append(f"{path} {builder.value(action.value)}")
        else:
            raise TypeError(f"atomic: unknown update action {action!r}")
    if not touched:
        raise ValueError("atomic: give at least one update action")
    return " ".join(f"{clause} {', '.join(parts)}" for clause, parts in clauses.items() if parts)


# --- projections -----------------------------------------------------------------------------


def compile_projection(
    paths: Iterable[PathLike],
    builder: ExpressionBuilder,
    stored_names: Mapping[str, str] | None = None,
) -> str:
    """A projection expression returning only `paths`.

    Each path is an attribute or path object (`User.address["city"]`), or document-path
    text (`"addr.city"`, `"tags[0]"`, split by `parse_path`). `stored_names` maps the
    first step of text paths (a model's Python attribute names) to stored names; steps it
    does not know are used as they are.
    """
    if isinstance(paths, (str, bytes)):
        raise TypeError(f"fields: expected a list of paths, got the single string {paths!r}")
    parts: list[str] = []
    for path in paths:
        if isinstance(path, str):
            steps = parse_path(path)
            if stored_names is not None and isinstance(steps[0], str):
                steps = (stored_names.get(steps[0], steps[0]), *steps[1:])
            parts.append(builder.name(steps))
        else:
            parts.append(builder.name(path))
    if not parts:
        raise ValueError("fields: give at least one attribute to return")
    return ", ".join(parts)
