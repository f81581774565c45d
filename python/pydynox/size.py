"""Item sizes as DynamoDB counts them, to catch items over a limit before sending them.

DynamoDB's rules (its developer guide, "Item sizes"): an item's size is the sum, over its
attributes, of the UTF-8 length of the name plus the size of the value. Strings count their
UTF-8 bytes, binaries their bytes, numbers about one byte per two significant digits plus
one, booleans and nulls one byte, sets the sum of their elements, and lists and maps three
bytes plus one byte per element plus their elements (a map's keys count like names).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

__all__ = ["DYNAMODB_MAX_ITEM_SIZE", "ItemSize", "item_size", "value_size"]

DYNAMODB_MAX_ITEM_SIZE = 400 * 1024
"""DynamoDB's hard limit for one item, in bytes."""


class ItemSize:
    """The size of one item.

    `bytes` is the total; `fields` gives each stored attribute's share (name included)
    when asked for with `calculate_size(detailed=True)`, else it is empty.
    """

    # Immutable, by hand rather than as a frozen dataclass: `dataclasses` (and `inspect`)
    # would add milliseconds to every `import pydynox`.
    __slots__ = ("bytes", "fields")
    bytes: int
    fields: dict[str, int]

    def __init__(self, bytes: int, fields: dict[str, int] | None = None) -> None:  # noqa: A002 - the field's name
        object.__setattr__(self, "bytes", bytes)
        object.__setattr__(self, "fields", {} if fields is None else fields)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"ItemSize is immutable: cannot assign to {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"ItemSize is immutable: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not ItemSize:
            return NotImplemented
        return self.bytes == other.bytes and self.fields == other.fields

    __hash__ = None  # type: ignore[assignment]  # `fields` is a dict

    @property
    def kb(self) -> float:
        """The size in KiB."""
        return self.bytes / 1024

    @property
    def percent(self) -> float:
        """Share of DynamoDB's 400 KB item limit, in percent."""
        return self.bytes * 100 / DYNAMODB_MAX_ITEM_SIZE

    @property
    def is_over_limit(self) -> bool:
        """Whether DynamoDB would reject the item as too large."""
        return self.bytes > DYNAMODB_MAX_ITEM_SIZE

    def __repr__(self) -> str:
        return f"ItemSize(bytes={self.bytes}, kb={self.kb:.2f}, percent={self.percent:.1f}%)"


def _number_size(value: int | float | Decimal) -> int:
    # Significant digits only: leading and trailing zeros are not stored.
    digits = format(Decimal(str(value)).normalize(), "f").lstrip("-").replace(".", "").strip("0")
    return 1 + (len(digits) + 1) // 2 if digits else 1


def value_size(value: Any) -> int:
    """The size of one stored value (as the client sends it), without its name."""
    if isinstance(value, str):
        return len(value.encode("utf-8"))
    if value is None or isinstance(value, bool):
        return 1
    if isinstance(value, (int, float, Decimal)):
        return _number_size(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return len(value)
    if isinstance(value, (set, frozenset)):
        return sum(value_size(element) for element in value)
    if isinstance(value, dict):
        return 3 + sum(len(key.encode("utf-8")) + value_size(element) + 1 for key, element in value.items())
    if isinstance(value, (list, tuple)):
        return 3 + sum(value_size(element) + 1 for element in value)
    raise TypeError(f"cannot size a value of type {type(value).__name__}")


def item_size(item: dict[str, Any], detailed: bool = False) -> ItemSize:
    """The size of a stored item (attribute name -> value as the client sends it)."""
    if detailed:
        fields = {name: len(name.encode("utf-8")) + value_size(value) for name, value in item.items()}
        return ItemSize(sum(fields.values()), fields)
    return ItemSize(sum(len(name.encode("utf-8")) + value_size(value) for name, value in item.items()))
