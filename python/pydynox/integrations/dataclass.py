"""dataclasses as DynamoDB models.

```python
@dynamodb_model(table="users", hash_key="pk")
@dataclass
class User(IntegrationModel):
    pk: str
    age: int = 0
```

Field types are respected both ways: a value of the wrong type is refused before anything
is sent (TypeError naming `User.age`), and loaded items are converted to the field types
(`float`, `Decimal`, `datetime`, enums, sets, nested dataclasses) before the class's
`__init__` builds the instance.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from pydynox.attributes import Attribute
    from pydynox.pydynox_core import DynamoDBClient

T = TypeVar("T")

__all__ = ["from_dataclass"]


def from_dataclass(
    cls: type[T],
    table: str,
    hash_key: str,
    range_key: str | None = None,
    client: DynamoDBClient | None = None,
) -> type[T]:
    """Gives the dataclass `cls` DynamoDB methods and returns it.

    Args:
        cls: A dataclass (not `slots=True`: instances keep their values in `__dict__`).
        table: The DynamoDB table's name.
        hash_key: Name of the field that is the partition key.
        range_key: Name of the field that is the sort key, if any.
        client: The DynamoDBClient to use; the default client when None.
    """
    if not isinstance(cls, type) or not dataclasses.is_dataclass(cls):
        raise TypeError(f"{getattr(cls, '__name__', cls)!s} must be a dataclass")
    if "__slots__" in vars(cls) and "__dict__" not in vars(cls)["__slots__"]:
        raise TypeError(f"{cls.__name__}: a dataclass with slots=True cannot be a DynamoDB model (it has no __dict__)")
    from pydynox.integrations._schema import attribute_for, integrate

    fields = {field.name: attribute_for(hint, _nested) for field, hint in _typed_fields(cls)}
    made: Any = cls
    init_names = {field.name for field in dataclasses.fields(cls) if field.init}

    def make(state: dict[str, Any]) -> Any:
        instance = made(**{name: value for name, value in state.items() if name in init_names})
        for name, value in state.items():
            if name not in init_names:
                instance.__dict__[name] = value
        return instance

    integrate(cls, fields, table=table, hash_key=hash_key, range_key=range_key, client=client, make=make, kind="dataclass")
    return cls


def _typed_fields(cls: type) -> list[tuple[dataclasses.Field[Any], Any]]:
    """Each field with its type, string annotations (`from __future__ import annotations`)
    resolved where they can be."""
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # a name only the defining scope knows: use what is there
        hints = {}
    return [(field, hints.get(field.name, field.type)) for field in dataclasses.fields(cls)]


def _nested(kind: type) -> Attribute[Any] | None:
    """A nested dataclass field: stored as a map of its fields, rebuilt on load."""
    if not dataclasses.is_dataclass(kind):
        return None
    from pydynox.integrations._schema import _NestedAttribute

    nested: Any = kind
    return _NestedAttribute(kind, dataclasses.asdict, lambda data: nested(**data))
