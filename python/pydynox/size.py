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

__all__ = [
    "DYNAMODB_MAX_ITEM_SIZE",
    "ItemSize",
    "calculate_attribute_size",
    "calculate_binary_size",
    "calculate_boolean_size",
    "calculate_item_size",
    "calculate_list_size",
    "calculate_map_size",
    "calculate_null_size",
    "calculate_number_size",
    "calculate_set_size",
    "calculate_string_size",
    "item_size",
    "value_size",
]

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


# --- pydynox 0.21.0's names ----------------------------------------------------------------
# The same sizes under the names 0.21.0 exported, one per DynamoDB type. Each counts by the
# rules above (so a list or map also counts one byte per element, as DynamoDB does).


def calculate_string_size(value: str) -> int:
    """Size of a string value: its UTF-8 length."""
    return len(value.encode("utf-8"))


def calculate_number_size(value: int | float | Decimal) -> int:
    """Size of a number value: one byte plus one per two significant digits."""
    return _number_size(value)


def calculate_binary_size(value: bytes) -> int:
    """Size of a binary value: its length."""
    return len(value)


def calculate_boolean_size(_value: bool) -> int:
    """Size of a boolean value: always 1 byte."""
    return 1


def calculate_null_size() -> int:
    """Size of a null value: always 1 byte."""
    return 1


def calculate_list_size(value: list[Any]) -> int:
    """Size of a list value: 3 bytes, plus each element and one byte per element."""
    return value_size(list(value))


def calculate_map_size(value: dict[str, Any]) -> int:
    """Size of a map value: 3 bytes, plus each key's UTF-8 length, each value and one
    byte per entry."""
    return value_size(dict(value))


def calculate_set_size(value: set[Any], element_type: str = "S") -> int:
    """Size of a string ("S"), number ("N") or binary ("B") set: the sum of its elements."""
    if element_type not in ("S", "N", "B"):
        raise ValueError(f"calculate_set_size: element_type is 'S', 'N' or 'B', got {element_type!r}")
    return sum(value_size(element) for element in value)


def calculate_attribute_size(value: Any) -> int:
    """Size of any value, by its type; a value of a type DynamoDB has no form for is
    counted as its `str()`, as in pydynox 0.21.0."""
    try:
        return value_size(value)
    except TypeError:
        return len(str(value).encode("utf-8"))


def calculate_item_size(item: dict[str, Any], detailed: bool = False) -> ItemSize:
    """Size of a whole item (attribute name -> value); `detailed=True` fills `fields`
    with each attribute's share, its name included."""
    return item_size(item, detailed=detailed)
