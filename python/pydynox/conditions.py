"""Conditions on attributes and document paths, for writes, filters and key conditions.

    (User.age >= 18) & User.email.exists()
    User.address["city"] == "Lisbon"
    User.tags.contains("admin") | ~User.status.is_in("banned", "deleted")
    User.name.size() > 3            # or size(User.name) > 3
    And(User.a == 1, User.b == 2, User.c == 3)

A condition is a tree of plain objects. Values are checked and serialized by the path's
attribute when the condition is built (so `User.age > "x"` fails right there, naming
`User.age`). `pydynox._model.expressions.compile_condition` turns the tree into expression
text in which every name and value is a placeholder.

`and`/`or`/`not` cannot be overloaded in Python and would silently drop one side, so using
a condition as a bool raises: write `&`, `|`, `~`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, overload

from pydynox.atomic import (
    AtomicAdd,
    AtomicAppend,
    AtomicDelete,
    AtomicIfNotExists,
    AtomicPrepend,
    AtomicRemove,
    AtomicSet,
)

if TYPE_CHECKING:
    from pydynox.attributes import Attribute

__all__ = [
    "And",
    "Condition",
    "ConditionAnd",
    "ConditionAttributeType",
    "ConditionBeginsWith",
    "ConditionBetween",
    "ConditionComparison",
    "ConditionContains",
    "ConditionExists",
    "ConditionIn",
    "ConditionNot",
    "ConditionNotExists",
    "ConditionOr",
    "DYNAMODB_TYPES",
    "Not",
    "Or",
    "Path",
    "PathElement",
    "Size",
    "size",
]

PathElement = str | int
"""One step of a document path: a map key / attribute name, or a list index."""

DYNAMODB_TYPES = frozenset({"S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"})
"""Type names `attribute_type` accepts."""

# DynamoDB's documented limit on the operands of IN.
_MAX_IN_VALUES = 100

_SET_TYPES = frozenset({"SS", "NS", "BS"})


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


# --- paths ----------------------------------------------------------------------------------


class _PathOps:
    """Condition and atomic-action builders shared by attributes and document paths.

    Subclasses provide `_as_path()`.
    """

    __slots__ = ()

    def _as_path(self) -> Path:
        raise NotImplementedError

    # -- document navigation --

    def __getitem__(self, key: PathElement) -> Path:
        """`User.address["city"]`, `User.tags[0]`: a path into a map or a list."""
        path = self._as_path()
        if isinstance(key, bool) or not isinstance(key, (str, int)):
            raise TypeError(f"{path.describe()}: a path step is a map key (str) or a list index (int), got {key!r}")
        if isinstance(key, int) and key < 0:
            raise ValueError(f"{path.describe()}: list indexes are >= 0, got {key}")
        if isinstance(key, str) and not key:
            raise ValueError(f"{path.describe()}: a map key must not be empty")
        return Path((*path.elements, key), path.attribute)

    # -- comparisons --

    # Attribute-to-attribute (in)equality stays identity/structure, so attributes work in
    # lists, dicts and `in` tests; with any other operand it builds a condition.
    @overload  # type: ignore[override]
    def __eq__(self, other: _PathOps) -> bool: ...  # type: ignore[overload-overlap]

    @overload
    def __eq__(self, other: object) -> ConditionComparison: ...

    def __eq__(self, other: object) -> bool | ConditionComparison:  # pyright: ignore[reportIncompatibleMethodOverride]
        if isinstance(other, _PathOps):
            return self._identity() == other._identity()
        return self._compare("=", other)

    @overload  # type: ignore[override]
    def __ne__(self, other: _PathOps) -> bool: ...  # type: ignore[overload-overlap]

    @overload
    def __ne__(self, other: object) -> ConditionComparison: ...

    def __ne__(self, other: object) -> bool | ConditionComparison:  # pyright: ignore[reportIncompatibleMethodOverride]
        if isinstance(other, _PathOps):
            return self._identity() != other._identity()
        return self._compare("<>", other)

    def __hash__(self) -> int:
        return hash(self._identity())

    def _identity(self) -> tuple[Any, ...]:
        """What equality and hashing of attributes and paths compare (never a condition)."""
        raise NotImplementedError

    def __lt__(self, other: Any) -> ConditionComparison:
        return self._compare("<", other)

    def __le__(self, other: Any) -> ConditionComparison:
        return self._compare("<=", other)

    def __gt__(self, other: Any) -> ConditionComparison:
        return self._compare(">", other)

    def __ge__(self, other: Any) -> ConditionComparison:
        return self._compare(">=", other)

    def _compare(self, operator: str, other: Any) -> ConditionComparison:
        path = self._as_path()
        return ConditionComparison(path, operator, path.operand(other))

    # -- condition functions --

    def between(self, lower: Any, upper: Any) -> ConditionBetween:
        """lower <= value <= upper (both ends included)."""
        path = self._as_path()
        return ConditionBetween(path, path.operand(lower), path.operand(upper))

    def begins_with(self, prefix: str | bytes) -> ConditionBeginsWith:
        """The string (or binary) value starts with `prefix`."""
        path = self._as_path()
        if not isinstance(prefix, (str, bytes)):
            raise TypeError(f"{path.describe()}.begins_with: the prefix must be str or bytes, got {prefix!r}")
        return ConditionBeginsWith(path, prefix)

    def contains(self, value: Any) -> ConditionContains:
        """A string contains a substring, or a set/list contains an element."""
        path = self._as_path()
        return ConditionContains(path, path.element_operand(value, "contains"))

    def exists(self) -> ConditionExists:
        """The item has this attribute (or document path)."""
        return ConditionExists(self._as_path())

    def not_exists(self) -> ConditionNotExists:
        """The item lacks this attribute; on a key attribute: no item with this key exists."""
        return ConditionNotExists(self._as_path())

    def is_in(self, *values: Any) -> ConditionIn:
        """The value equals one of `values` (1 to 100 of them)."""
        path = self._as_path()
        if not values:
            raise ValueError(f"{path.describe()}.is_in: give at least one value")
        if len(values) > _MAX_IN_VALUES:
            raise ValueError(f"{path.describe()}.is_in: DynamoDB allows at most {_MAX_IN_VALUES} values, got {len(values)}")
        return ConditionIn(path, [path.operand(value) for value in values])

    def attribute_type(self, type_name: str) -> ConditionAttributeType:
        """The stored value has this DynamoDB type: S, SS, N, NS, B, BS, BOOL, NULL, L or M."""
        path = self._as_path()
        if type_name not in DYNAMODB_TYPES:
            raise ValueError(
                f"{path.describe()}.attribute_type: unknown type {type_name!r}; use one of {', '.join(sorted(DYNAMODB_TYPES))}"
            )
        return ConditionAttributeType(path, type_name)

    def size(self) -> Size:
        """size(path), to compare: string length, bytes of a binary, elements of a set/list/map."""
        return Size(self._as_path())

    # -- atomic update actions --

    def set(self, value: Any) -> AtomicSet:
        """SET: store `value` here."""
        path = self._as_path()
        stored = path.operand(value)
        if stored is None and value is not None:
            # An empty set serializes to nothing: SET would store NULL, not an empty set.
            raise ValueError(f"{path.describe()}.set: DynamoDB has no empty sets; use remove()")
        return AtomicSet(path, stored)

    def add(self, value: Any) -> AtomicAdd:
        """Add a number (negative subtracts; a missing value counts as 0) or set elements."""
        path = self._as_path()
        stored_type = path.stored_type()
        if stored_type in _SET_TYPES or (stored_type is None and isinstance(value, (set, frozenset))):
            return AtomicAdd(path, path.set_operand(value, "add"), is_set=True)
        if stored_type not in (None, "N"):
            raise TypeError(f"{path.describe()}.add: needs a number or set attribute")
        if not _is_number(value):
            raise TypeError(f"{path.describe()}.add: expected a number, got {value!r}")
        return AtomicAdd(path, path.operand(value) if path.is_whole else value, is_set=False)

    def remove(self) -> AtomicRemove:
        """REMOVE: delete this attribute, map entry or list element."""
        return AtomicRemove(self._as_path())

    def append(self, items: list[Any]) -> AtomicAppend:
        """Add `items` at the end of the list (a missing list starts empty)."""
        path = self._as_path()
        return AtomicAppend(path, path.list_operand(items, "append"))

    def prepend(self, items: list[Any]) -> AtomicPrepend:
        """Add `items` at the start of the list (a missing list starts empty)."""
        path = self._as_path()
        return AtomicPrepend(path, path.list_operand(items, "prepend"))

    def if_not_exists(self, value: Any) -> AtomicIfNotExists:
        """SET only when nothing is stored here yet."""
        path = self._as_path()
        return AtomicIfNotExists(path, path.operand(value))

    def delete(self, values: Any) -> AtomicDelete:
        """DELETE: take these elements out of the set."""
        path = self._as_path()
        stored_type = path.stored_type()
        if stored_type not in _SET_TYPES and stored_type is not None:
            raise TypeError(f"{path.describe()}.delete: needs a set attribute (StringSet, NumberSet, BinarySet)")
        return AtomicDelete(path, path.set_operand(values, "delete"))


class Path(_PathOps):
    """A document path: the stored attribute name, then map keys and list indexes.

    `attribute` is the model attribute at the root, when the path was built from one; it
    checks and serializes values compared with or written to the whole attribute. Values
    deeper in a document go to the client unchanged.
    """

    __slots__ = ("elements", "attribute")

    def __init__(self, elements: Iterable[PathElement], attribute: Attribute[Any] | None = None) -> None:
        steps = tuple(elements)
        if not steps or not isinstance(steps[0], str) or not steps[0]:
            raise ValueError(f"a document path starts with a non-empty attribute name, got {steps!r}")
        for step in steps[1:]:
            if isinstance(step, bool) or not isinstance(step, (str, int)):
                raise TypeError(f"path steps are str or int, got {step!r} in {steps!r}")
        self.elements: tuple[PathElement, ...] = steps
        self.attribute = attribute

    def _as_path(self) -> Path:
        return self

    def _identity(self) -> tuple[Any, ...]:
        return ("path", id(self.attribute), self.elements)

    @property
    def is_whole(self) -> bool:
        """True when the path is exactly its root attribute (no map key or index after it)."""
        return self.attribute is not None and len(self.elements) == 1

    def stored_type(self) -> str | None:
        """The DynamoDB type stored at this path, when the attribute tells it."""
        return self.attribute.attr_type if self.is_whole and self.attribute is not None else None

    def describe(self) -> str:
        """A readable name for messages: `User.address.city[0]`."""
        if self.attribute is not None:
            text = self.attribute.qualified_name
        else:
            text = str(self.elements[0])
        for step in self.elements[1:]:
            text += f"[{step}]" if isinstance(step, int) else f".{step}"
        return text

    # -- operands, checked and serialized --

    def operand(self, value: Any) -> Any:
        """A value compared with, or written to, this path, in the form the client sends."""
        if isinstance(value, _PathOps):
            raise TypeError(f"{self.describe()}: comparing with another attribute is not supported; give a value")
        if self.is_whole and self.attribute is not None:
            return self.attribute.serialize_operand(value)
        return value

    def element_operand(self, value: Any, action: str) -> Any:
        """One element of the set/list (or a substring) stored at this path."""
        if isinstance(value, _PathOps):
            raise TypeError(f"{self.describe()}.{action}: give a value, not an attribute")
        if self.is_whole and self.attribute is not None:
            self.attribute.check_element(value, action)
        return value

    def set_operand(self, values: Any, action: str) -> Any:
        """A non-empty set of elements for ADD/DELETE on a set."""
        if not isinstance(values, (set, frozenset, list, tuple)):
            raise TypeError(f"{self.describe()}.{action}: expected a set of elements, got {values!r}")
        if not values:
            raise ValueError(f"{self.describe()}.{action}: DynamoDB has no empty sets; give at least one element")
        if self.is_whole and self.attribute is not None:
            return self.attribute.serialize_operand(values)
        return set(values)

    def list_operand(self, items: Any, action: str) -> list[Any]:
        """The items appended or prepended to the list at this path."""
        stored_type = self.stored_type()
        if stored_type not in (None, "L"):
            raise TypeError(f"{self.describe()}.{action}: needs a list attribute")
        if not isinstance(items, (list, tuple)):
            raise TypeError(f"{self.describe()}.{action}: expected a list of items, got {items!r}")
        return list(items)

    def __repr__(self) -> str:
        return f"Path({self.describe()})"


# --- conditions ------------------------------------------------------------------------------


class Condition:
    """Base of every condition. Combine with `&` (and), `|` (or), `~` (not)."""

    __slots__ = ()

    def __and__(self, other: Condition) -> ConditionAnd:
        return And(self, other)

    def __or__(self, other: Condition) -> ConditionOr:
        return Or(self, other)

    def __invert__(self) -> ConditionNot:
        return ConditionNot(self)

    def __bool__(self) -> bool:
        raise TypeError(
            f"{self!r} is a condition, not a bool: combine conditions with & | ~ instead of and / or / not"
        )


class Size:
    """`size(path)`: compared like a number. Build with `size(User.name)` or `User.name.size()`."""

    __slots__ = ("path",)

    def __init__(self, path: Path) -> None:
        self.path = path

    def _check(self, value: Any) -> Any:
        if not _is_number(value):
            raise TypeError(f"size({self.path.describe()}): compare with a number, got {value!r}")
        return value

    def __eq__(self, other: object) -> ConditionComparison:  # type: ignore[override]
        return ConditionComparison(self, "=", self._check(other))

    def __ne__(self, other: object) -> ConditionComparison:  # type: ignore[override]
        return ConditionComparison(self, "<>", self._check(other))

    __hash__ = None  # type: ignore[assignment]

    def __lt__(self, other: Any) -> ConditionComparison:
        return ConditionComparison(self, "<", self._check(other))

    def __le__(self, other: Any) -> ConditionComparison:
        return ConditionComparison(self, "<=", self._check(other))

    def __gt__(self, other: Any) -> ConditionComparison:
        return ConditionComparison(self, ">", self._check(other))

    def __ge__(self, other: Any) -> ConditionComparison:
        return ConditionComparison(self, ">=", self._check(other))

    def between(self, lower: Any, upper: Any) -> ConditionBetween:
        return ConditionBetween(self, self._check(lower), self._check(upper))

    def describe(self) -> str:
        return f"size({self.path.describe()})"


def size(target: _PathOps) -> Size:
    """`size(User.name) > 3`: the length of a string/binary or the element count of a collection."""
    if not isinstance(target, _PathOps):
        raise TypeError(f"size: expected an attribute or document path, got {target!r}")
    return Size(target._as_path())


class ConditionComparison(Condition):
    """operand OP value, OP one of = <> < <= > >=."""

    __slots__ = ("operand", "operator", "value")

    def __init__(self, operand: Path | Size, operator: str, value: Any) -> None:
        self.operand = operand
        self.operator = operator
        self.value = value

    def __repr__(self) -> str:
        return f"({self.operand.describe()} {self.operator} {self.value!r})"


class ConditionBetween(Condition):
    __slots__ = ("operand", "lower", "upper")

    def __init__(self, operand: Path | Size, lower: Any, upper: Any) -> None:
        self.operand = operand
        self.lower = lower
        self.upper = upper

    def __repr__(self) -> str:
        return f"({self.operand.describe()} BETWEEN {self.lower!r} AND {self.upper!r})"


class ConditionIn(Condition):
    __slots__ = ("path", "values")

    def __init__(self, path: Path, values: list[Any]) -> None:
        self.path = path
        self.values = values

    def __repr__(self) -> str:
        return f"({self.path.describe()} IN {self.values!r})"


class ConditionExists(Condition):
    __slots__ = ("path",)

    def __init__(self, path: Path) -> None:
        self.path = path

    def __repr__(self) -> str:
        return f"attribute_exists({self.path.describe()})"


class ConditionNotExists(Condition):
    __slots__ = ("path",)

    def __init__(self, path: Path) -> None:
        self.path = path

    def __repr__(self) -> str:
        return f"attribute_not_exists({self.path.describe()})"


class ConditionBeginsWith(Condition):
    __slots__ = ("path", "prefix")

    def __init__(self, path: Path, prefix: str | bytes) -> None:
        self.path = path
        self.prefix = prefix

    def __repr__(self) -> str:
        return f"begins_with({self.path.describe()}, {self.prefix!r})"


class ConditionContains(Condition):
    __slots__ = ("path", "value")

    def __init__(self, path: Path, value: Any) -> None:
        self.path = path
        self.value = value

    def __repr__(self) -> str:
        return f"contains({self.path.describe()}, {self.value!r})"


class ConditionAttributeType(Condition):
    __slots__ = ("path", "type_name")

    def __init__(self, path: Path, type_name: str) -> None:
        self.path = path
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"attribute_type({self.path.describe()}, {self.type_name})"


class ConditionAnd(Condition):
    __slots__ = ("conditions",)

    def __init__(self, *conditions: Condition) -> None:
        self.conditions: tuple[Condition, ...] = conditions

    def __repr__(self) -> str:
        return "(" + " & ".join(map(repr, self.conditions)) + ")"


class ConditionOr(Condition):
    __slots__ = ("conditions",)

    def __init__(self, *conditions: Condition) -> None:
        self.conditions: tuple[Condition, ...] = conditions

    def __repr__(self) -> str:
        return "(" + " | ".join(map(repr, self.conditions)) + ")"


class ConditionNot(Condition):
    __slots__ = ("condition",)

    def __init__(self, condition: Condition) -> None:
        if not isinstance(condition, Condition):
            raise TypeError(f"Not: expected a condition, got {condition!r}")
        self.condition = condition

    def __repr__(self) -> str:
        return f"~{self.condition!r}"


def _operands(helper: str, conditions: tuple[Any, ...], flatten: type[ConditionAnd | ConditionOr]) -> list[Condition]:
    # As in pydynox 0.21.0: one condition alone is almost always a forgotten operand.
    if len(conditions) < 2:
        raise ValueError(f"{helper}: give at least two conditions, got {len(conditions)}")
    flat: list[Condition] = []
    for condition in conditions:
        if not isinstance(condition, Condition):
            raise TypeError(f"{helper}: expected conditions, got {condition!r}")
        # a & b & c nests; flattening keeps the compiled text free of needless parentheses.
        if type(condition) is flatten:
            flat.extend(condition.conditions)
        else:
            flat.append(condition)
    return flat


def And(*conditions: Condition) -> ConditionAnd:
    """All of `conditions` (two or more) hold."""
    return ConditionAnd(*_operands("And", conditions, ConditionAnd))


def Or(*conditions: Condition) -> ConditionOr:
    """At least one of `conditions` (two or more) holds."""
    return ConditionOr(*_operands("Or", conditions, ConditionOr))


def Not(condition: Condition) -> ConditionNot:
    """`condition` does not hold."""
    return ConditionNot(condition)
