"""Atomic update actions: what `user.update(atomic=[...])` sends in one UpdateItem.

Actions are built from attributes and document paths, never by hand:

    User.login_count.add(1)            # ADD: a number, starting from 0 when missing
    User.tags.add({"admin"})           # ADD: elements into a string/number/binary set
    User.tags.delete({"guest"})        # DELETE: elements out of a set
    User.history.append(["login"])     # SET list_append(...), an empty list when missing
    User.history.prepend(["first"])
    User.nickname.set("ada")           # SET
    User.nickname.if_not_exists("ada") # SET only when the attribute is missing
    User.address["zip"].remove()       # REMOVE

Each action holds its document path and its value already checked and serialized by the
path's attribute, so a wrong value fails where the action is written. Actions are data:
`pydynox._model.expressions.compile_update` turns a list of them into one update
expression with placeholders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydynox.conditions import Path

__all__ = [
    "AtomicAdd",
    "AtomicAppend",
    "AtomicDelete",
    "AtomicIfNotExists",
    "AtomicOp",
    "AtomicPrepend",
    "AtomicRemove",
    "AtomicSet",
    "UpdateAction",
]


class AtomicOp:
    """Base of every atomic update action. `path` is where it acts."""

    __slots__ = ("path",)

    def __init__(self, path: Path) -> None:
        self.path = path

    def __bool__(self) -> bool:
        # Actions are always truthy; defined so a future `__eq__` cannot make them falsy.
        return True

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.path.describe()})"


class AtomicSet(AtomicOp):
    """SET path = value."""

    __slots__ = ("value",)

    def __init__(self, path: Path, value: Any) -> None:
        super().__init__(path)
        self.value = value

    def __repr__(self) -> str:
        return f"AtomicSet({self.path.describe()}, {self.value!r})"


class AtomicAdd(AtomicOp):
    """Adds a number to a number, or elements to a set.

    `is_set` tells which: a number compiles to DynamoDB `ADD` on a top-level attribute (a
    missing attribute counts as 0) and to `SET p = if_not_exists(p, 0) + v` inside a
    document; set elements always compile to `ADD`.
    """

    __slots__ = ("value", "is_set")

    def __init__(self, path: Path, value: Any, is_set: bool) -> None:
        super().__init__(path)
        self.value = value
        self.is_set = is_set

    def __repr__(self) -> str:
        return f"AtomicAdd({self.path.describe()}, {self.value!r})"


class AtomicRemove(AtomicOp):
    """REMOVE path: the attribute, a map entry or a list element is deleted."""

    __slots__ = ()


class AtomicAppend(AtomicOp):
    """SET path = list_append(if_not_exists(path, []), items): items go at the end."""

    __slots__ = ("items",)

    def __init__(self, path: Path, items: list[Any]) -> None:
        super().__init__(path)
        self.items = items

    def __repr__(self) -> str:
        return f"AtomicAppend({self.path.describe()}, {self.items!r})"


class AtomicPrepend(AtomicOp):
    """SET path = list_append(items, if_not_exists(path, [])): items go at the start."""

    __slots__ = ("items",)

    def __init__(self, path: Path, items: list[Any]) -> None:
        super().__init__(path)
        self.items = items

    def __repr__(self) -> str:
        return f"AtomicPrepend({self.path.describe()}, {self.items!r})"


class AtomicIfNotExists(AtomicOp):
    """SET path = if_not_exists(path, value): writes only when nothing is there yet."""

    __slots__ = ("value",)

    def __init__(self, path: Path, value: Any) -> None:
        super().__init__(path)
        self.value = value

    def __repr__(self) -> str:
        return f"AtomicIfNotExists({self.path.describe()}, {self.value!r})"


class AtomicDelete(AtomicOp):
    """DELETE path values: removes elements from a set (DynamoDB drops an emptied set)."""

    __slots__ = ("value",)

    def __init__(self, path: Path, value: Any) -> None:
        super().__init__(path)
        self.value = value

    def __repr__(self) -> str:
        return f"AtomicDelete({self.path.describe()}, {self.value!r})"


UpdateAction = AtomicOp
"""Any atomic update action, as `Model.update(atomic=[...])` takes them (an alias of AtomicOp)."""
