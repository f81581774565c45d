"""What a secondary index declares: its name, key attributes and projection, checked
against its model's schema, and the definitions `create_table` takes. No I/O: the query
methods live on `pydynox.indexes`, which adds the generated operations to these classes.

A global secondary index may have multi-attribute keys (DynamoDB, since 2025): up to four
attributes for its partition key and four for its sort key. A query then gives every
partition key attribute, and the sort key condition covers the sort key attributes left
to right.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from pydynox._model.schema import ModelSchema

__all__ = ["GlobalIndexDeclaration", "IndexDeclaration", "LocalIndexDeclaration", "MAX_KEY_ATTRIBUTES"]

# The model an index yields. A declaration (`by_email = GlobalSecondaryIndex(...)`) has no
# way to name it, so it defaults to Any; reading it from a model (`User.by_email`) binds it.
# The default matters to type checkers only; typing.TypeVar takes one from Python 3.13 on,
# and typing_extensions is not a runtime dependency (nor worth its import time).
if TYPE_CHECKING:
    from typing_extensions import TypeVar as DefaultingTypeVar

    M = DefaultingTypeVar("M", default=Any)
else:
    M = TypeVar("M")

MAX_KEY_ATTRIBUTES = 4
"""DynamoDB's limit on attributes per partition key and per sort key of one index."""

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


def _declared_names(index_name: str, role: str, value: Any, most: int) -> tuple[str, ...]:
    """An attribute name, or a list of up to `most` of them, as a tuple."""
    names = tuple(value) if isinstance(value, (list, tuple)) else (value,)
    if not names:
        raise ValueError(f"index {index_name!r}: {role} must name at least one attribute")
    if len(names) > most:
        raise ValueError(f"index {index_name!r}: {role} can have at most {most} attributes, got {len(names)}")
    for name in names:
        if not isinstance(name, str) or not name:
            raise ValueError(f"index {index_name!r}: {role} must be an attribute name or a list of them, got {value!r}")
    if len(set(names)) != len(names):
        raise ValueError(f"index {index_name!r}: {role} names an attribute twice: {list(names)}")
    return names


class IndexDeclaration(Generic[M]):
    """What both kinds of index declare. `model` is None on the declaration itself and the
    model class on the copy bound to it (see `pydynox.indexes`); `schema` likewise."""

    kind = "index"
    hash_keys: tuple[str, ...]
    """Python names of the partition key attributes (empty for a local index: the table's)."""
    range_keys: tuple[str, ...]
    """Python names of the sort key attributes, in order."""

    def __init__(self, index_name: str, projection: str | list[str]) -> None:
        if not isinstance(index_name, str) or not index_name:
            raise ValueError(f"{type(self).__name__}: index_name must be a non-empty string, got {index_name!r}")
        self.index_name = index_name
        self.projection = _check_projection(index_name, projection)
        self.attr_name = ""
        self.model: type[M] | None = None
        self.schema: ModelSchema | None = None

    def __set_name__(self, owner: type, name: str) -> None:
        self.attr_name = name

    @property
    def hash_key(self) -> str | None:
        """The first partition key attribute (None for a local index)."""
        return self.hash_keys[0] if self.hash_keys else None

    @property
    def range_key(self) -> str | None:
        """The first sort key attribute, if any."""
        return self.range_keys[0] if self.range_keys else None

    def _bound_schema(self) -> ModelSchema:
        """The schema of the model this copy is bound to."""
        if self.schema is None:
            raise TypeError(f"{type(self).__name__} {self.index_name!r}: read it through its model (Model.{self.attr_name or 'index'})")
        return self.schema

    def _check_against(self, schema: ModelSchema) -> None:
        """Called when the model class is defined: the key attributes must exist and be keys."""
        for role, names in (("hash_key", self.hash_keys), ("range_key", self.range_keys)):
            for name in names:
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

    def _partition_names(self, schema: ModelSchema) -> tuple[str, ...]:
        """Python names a query of this index takes as keyword arguments."""
        return self.hash_keys

    def _key_names(self, schema: ModelSchema) -> tuple[str, ...]:
        """Stored names of the index's own key attributes."""
        return tuple(schema.stored_names[name] for name in (*self._partition_names(schema), *self.range_keys))

    def _key_types(self, schema: ModelSchema, names: tuple[str, ...]) -> list[tuple[str, str]]:
        return [(schema.stored_names[name], schema.attributes[name].key_type) for name in names]  # type: ignore[misc]

    def _projection_definition(self, schema: ModelSchema) -> dict[str, Any]:
        if isinstance(self.projection, tuple):
            return {"projection": "INCLUDE", "non_key_attributes": [schema.stored_names[n] for n in self.projection]}
        return {"projection": self.projection}

    def __repr__(self) -> str:
        model = self.model.__name__ if self.model is not None else "unbound"
        return f"<{type(self).__name__} {self.index_name!r} of {model}>"


class GlobalIndexDeclaration(IndexDeclaration[M]):
    """A global secondary index: its own partition key (one to four attributes) and an
    optional sort key (one to four attributes)."""

    kind = "global secondary index"

    def __init__(
        self,
        index_name: str,
        hash_key: str | list[str],
        range_key: str | list[str] | None = None,
        projection: str | list[str] = "ALL",
    ) -> None:
        super().__init__(index_name, projection)
        self.hash_keys = _declared_names(index_name, "hash_key", hash_key, MAX_KEY_ATTRIBUTES)
        self.range_keys = () if range_key is None else _declared_names(index_name, "range_key", range_key, MAX_KEY_ATTRIBUTES)
        if set(self.hash_keys) & set(self.range_keys):
            raise ValueError(f"index {index_name!r}: an attribute cannot be in both hash_key and range_key")

    def _definition(self, schema: ModelSchema, read_capacity: int | None = None, write_capacity: int | None = None) -> dict[str, Any]:
        """The index as the client's create_table takes it: `hash_key` / `range_key` as
        (stored name, type) for one attribute, `hash_keys` / `range_keys` as a list of
        them for several."""
        out: dict[str, Any] = {"index_name": self.index_name}
        hash_keys = self._key_types(schema, self.hash_keys)
        if len(hash_keys) == 1:
            out["hash_key"] = hash_keys[0]
        else:
            out["hash_keys"] = hash_keys
        range_keys = self._key_types(schema, self.range_keys)
        if len(range_keys) == 1:
            out["range_key"] = range_keys[0]
        elif range_keys:
            out["range_keys"] = range_keys
        out.update(self._projection_definition(schema))
        if read_capacity is not None:
            out["read_capacity"] = read_capacity
        if write_capacity is not None:
            out["write_capacity"] = write_capacity
        return out

    def _dynamodb_definition(self, schema: ModelSchema | None) -> dict[str, Any]:
        """The index in DynamoDB's own wire shape (`IndexName`, `KeySchema`, `Projection`),
        with stored names when the model is known and the declared names otherwise."""
        stored = schema.stored_names if schema is not None else {}
        key_schema = [{"AttributeName": stored.get(n, n), "KeyType": "HASH"} for n in self.hash_keys]
        key_schema += [{"AttributeName": stored.get(n, n), "KeyType": "RANGE"} for n in self.range_keys]
        projection: dict[str, Any]
        if isinstance(self.projection, tuple):
            projection = {"ProjectionType": "INCLUDE", "NonKeyAttributes": [stored.get(n, n) for n in self.projection]}
        else:
            projection = {"ProjectionType": self.projection}
        return {"IndexName": self.index_name, "KeySchema": key_schema, "Projection": projection}


class LocalIndexDeclaration(IndexDeclaration[M]):
    """A local secondary index: the table's partition key with another sort key (one
    attribute: multi-attribute keys are for global indexes only)."""

    kind = "local secondary index"

    def __init__(self, index_name: str, range_key: str, projection: str | list[str] = "ALL") -> None:
        super().__init__(index_name, projection)
        self.hash_keys = ()
        self.range_keys = _declared_names(index_name, "range_key", range_key, 1)

    def _check_against(self, schema: ModelSchema) -> None:
        super()._check_against(schema)
        if schema.hash_key is None or schema.range_key is None:
            raise TypeError(f"{schema.name}.{self.attr_name}: a local secondary index needs a table with a hash and a range key")

    def _partition_names(self, schema: ModelSchema) -> tuple[str, ...]:
        return (schema.hash_key,)  # type: ignore[return-value]  # checked when the model was defined

    def _definition(self, schema: ModelSchema) -> dict[str, Any]:
        """The index as the client's create_table takes it."""
        out: dict[str, Any] = {"index_name": self.index_name, "range_key": self._key_types(schema, self.range_keys)[0]}
        out.update(self._projection_definition(schema))
        return out
