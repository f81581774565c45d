"""Secondary indexes declared on a model, queried as models.

```python
class User(Model):
    model_config = ModelConfig(table="users")
    pk = StringAttribute(hash_key=True)
    sk = StringAttribute(range_key=True)
    email = StringAttribute()
    status = StringAttribute()

    by_email = GlobalSecondaryIndex(index_name="email-index", hash_key="email")
    by_status = LocalSecondaryIndex(index_name="status-index", range_key="status")

async for user in User.by_email.async_query(email="ada@example.com"): ...
for user in User.by_status.query(pk="USER#1", range_key_condition=User.status == "active"): ...
```

Keys are given by Python attribute name. Reading `User.by_email` gives the index bound to
`User` (a subclass reading it gets one bound to the subclass), so a query builds that
model. The query methods (and their `async_` twins) are generated; see
`pydynox._model.core.plan_index_query`.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from pydynox._generated.model_ops import GlobalSecondaryIndexOperations, LocalSecondaryIndexOperations

if TYPE_CHECKING:
    from typing import Self

    from pydynox._model.schema import ModelSchema

__all__ = ["GlobalSecondaryIndex", "LocalSecondaryIndex"]

# The model an index yields. A declaration (`by_email = GlobalSecondaryIndex(...)`) has no
# way to name it, so it defaults to Any; reading it from a model (`User.by_email`) binds it.
# The default matters to type checkers only; typing.TypeVar takes one from Python 3.13 on,
# and typing_extensions is not a runtime dependency (nor worth its import time).
if TYPE_CHECKING:
    from typing_extensions import TypeVar as DefaultingTypeVar

    M = DefaultingTypeVar("M", default=Any)
else:
    M = TypeVar("M")
O = TypeVar("O")

_PROJECTIONS = ("ALL", "KEYS_ONLY")


def _check_projection(index_name: str, projection: str | list[str]) -> str | tuple[str, ...]:
    if isinstance(projection, str):
        if projection not in _PROJECTIONS:
            raise ValueError(
                f"index {index_name!r}: projection is 'ALL', 'KEYS_ONLY' or a list of attribute names, got {projection!r}"
            )
        return projection
    names = tuple(projection)
    if not names or not all(isinstance(name, str) and name for name in names):
        raise ValueError(f"index {index_name!r}: a projection list names at least one attribute, got {projection!r}")
    return names


def _single_name(index_name: str, role: str, value: Any) -> str:
    # pydynox 0.21.0 accepted lists here for multi-attribute keys; the client's create_table
    # and key conditions take one attribute per key role, so say so instead of failing later.
    if isinstance(value, (list, tuple)):
        if len(value) == 1:
            value = value[0]
        else:
            raise ValueError(f"index {index_name!r}: {role} must name one attribute (multi-attribute keys are not supported)")
    if not isinstance(value, str) or not value:
        raise ValueError(f"index {index_name!r}: {role} must be an attribute name, got {value!r}")
    return value


class _Index(Generic[M]):
    """What both kinds of index share: declaration, binding to a model, definition."""

    kind = "index"
    hash_key: str | None
    range_key: str | None

    def __init__(self, index_name: str, projection: str | list[str]) -> None:
        if not isinstance(index_name, str) or not index_name:
            raise ValueError(f"{type(self).__name__}: index_name must be a non-empty string, got {index_name!r}")
        self.index_name = index_name
        self.projection = _check_projection(index_name, projection)
        self.attr_name = ""
        self.model: type[M] | None = None
        self._bound: weakref.WeakKeyDictionary[type, Any] = weakref.WeakKeyDictionary()

    def __set_name__(self, owner: type, name: str) -> None:
        self.attr_name = name

    def _bind(self, owner: type) -> Self:
        bound = self._bound.get(owner)
        if bound is None:
            bound = object.__new__(type(self))
            bound.__dict__.update(self.__dict__)
            bound.model = owner
            bound._bound = weakref.WeakKeyDictionary()
            self._bound[owner] = bound
        return bound

    @property
    def _schema(self) -> ModelSchema:
        """The bound model's schema."""
        if self.model is None:
            raise TypeError(f"{type(self).__name__} {self.index_name!r}: read it through its model (User.{self.attr_name or 'index'})")
        return self.model._schema  # type: ignore[attr-defined, no-any-return]

    def _check_against(self, schema: ModelSchema) -> None:
        """Called when the model class is defined: the key attributes must exist and be keys."""
        for role in ("hash_key", "range_key"):
            name = getattr(self, role)
            if name is None:
                continue
            attr = schema.attributes.get(name)
            if attr is None:
                raise TypeError(f"{schema.name}.{self.attr_name}: {role} {name!r} is not an attribute of {schema.name}")
            if attr.key_type is None:
                raise TypeError(
                    f"{schema.name}.{self.attr_name}: {role} {name!r} is a {type(attr).__name__}; index keys are strings, numbers or binary"
                )
        if isinstance(self.projection, tuple):
            for name in self.projection:
                if name not in schema.attributes:
                    raise TypeError(f"{schema.name}.{self.attr_name}: projected {name!r} is not an attribute of {schema.name}")

    def _key_names(self) -> tuple[str, ...]:
        """Stored names of the index's own key attributes."""
        schema = self._schema
        return tuple(schema.stored_names[name] for name in (self.hash_key, self.range_key) if name is not None)

    def _projection_definition(self, schema: ModelSchema) -> dict[str, Any]:
        if isinstance(self.projection, tuple):
            return {"projection": "INCLUDE", "non_key_attributes": [schema.stored_names[n] for n in self.projection]}
        return {"projection": self.projection}

    def __repr__(self) -> str:
        model = self.model.__name__ if self.model is not None else "unbound"
        return f"<{type(self).__name__} {self.index_name!r} of {model}>"


class GlobalSecondaryIndex(_Index[M], GlobalSecondaryIndexOperations[M]):
    """A global secondary index: its own partition key (and optional sort key).

    Args:
        index_name: The index's name in DynamoDB.
        hash_key: Python name of the attribute that is the index's partition key.
        range_key: Python name of the attribute that is its sort key, if any.
        projection: 'ALL' (default), 'KEYS_ONLY', or a list of attribute names to copy
            into the index besides the keys.
    """

    kind = "global secondary index"

    def __init__(
        self,
        index_name: str,
        hash_key: str | list[str],
        range_key: str | list[str] | None = None,
        projection: str | list[str] = "ALL",
    ) -> None:
        super().__init__(index_name, projection)
        self.hash_key = _single_name(index_name, "hash_key", hash_key)
        self.range_key = None if range_key is None else _single_name(index_name, "range_key", range_key)

    @overload
    def __get__(self, instance: None, owner: type[O]) -> GlobalSecondaryIndex[O]: ...

    @overload
    def __get__(self, instance: O, owner: type[O] | None = None) -> GlobalSecondaryIndex[O]: ...

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        return self._bind(owner if owner is not None else type(instance))

    def _definition(self, read_capacity: int | None = None, write_capacity: int | None = None) -> dict[str, Any]:
        """The index as the client's create_table takes it."""
        schema = self._schema
        hash_attr = schema.attributes[self.hash_key]  # type: ignore[index]
        out: dict[str, Any] = {
            "index_name": self.index_name,
            "hash_key": (schema.stored_names[self.hash_key], hash_attr.key_type),  # type: ignore[index]
        }
        if self.range_key is not None:
            out["range_key"] = (schema.stored_names[self.range_key], schema.attributes[self.range_key].key_type)
        out.update(self._projection_definition(schema))
        if read_capacity is not None:
            out["read_capacity"] = read_capacity
        if write_capacity is not None:
            out["write_capacity"] = write_capacity
        return out


class LocalSecondaryIndex(_Index[M], LocalSecondaryIndexOperations[M]):
    """A local secondary index: the table's partition key with another sort key.

    Args:
        index_name: The index's name in DynamoDB.
        range_key: Python name of the attribute that is the index's sort key.
        projection: 'ALL' (default), 'KEYS_ONLY', or a list of attribute names.
    """

    kind = "local secondary index"

    def __init__(self, index_name: str, range_key: str, projection: str | list[str] = "ALL") -> None:
        super().__init__(index_name, projection)
        self.hash_key = None
        self.range_key = _single_name(index_name, "range_key", range_key)

    @overload
    def __get__(self, instance: None, owner: type[O]) -> LocalSecondaryIndex[O]: ...

    @overload
    def __get__(self, instance: O, owner: type[O] | None = None) -> LocalSecondaryIndex[O]: ...

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        return self._bind(owner if owner is not None else type(instance))

    def _check_against(self, schema: ModelSchema) -> None:
        super()._check_against(schema)
        if schema.hash_key is None or schema.range_key is None:
            raise TypeError(f"{schema.name}.{self.attr_name}: a local secondary index needs a table with a hash and a range key")

    def _key_names(self) -> tuple[str, ...]:
        schema = self._schema
        return (schema.stored_names[schema.hash_key], schema.stored_names[self.range_key])  # type: ignore[index]

    def _definition(self) -> dict[str, Any]:
        """The index as the client's create_table takes it."""
        schema = self._schema
        out: dict[str, Any] = {
            "index_name": self.index_name,
            "range_key": (schema.stored_names[self.range_key], schema.attributes[self.range_key].key_type),  # type: ignore[index]
        }
        out.update(self._projection_definition(schema))
        return out
