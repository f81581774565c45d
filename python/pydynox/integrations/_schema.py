"""The schema of a pydantic model or dataclass made a DynamoDB model (ADR 22).

A Model declares `Attribute`s; a pydantic model or dataclass declares typed fields. This
module derives one attribute per field from its type (`str` -> S, `int` -> N kept int,
`datetime` -> ISO string, `set[str]` -> SS, a nested model -> M, ...), builds the same
`ModelSchema` a Model carries (`__pydynox_schema__`), and so every Model core (conditions,
atomic updates, indexes, cursors, metrics) works on the class unchanged. Two things differ,
both on `IntegrationSchema`: the configuration comes from the decorator's arguments (a
pydantic class's `model_config` is pydantic's), and an item is loaded through the class's
own constructor (pydantic's validation, a dataclass's `__init__`) instead of bypassing it.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from pydynox._model.index_schema import GlobalIndexDeclaration, LocalIndexDeclaration
from pydynox._model.schema import SCHEMA_ATTRIBUTE, ModelSchema, finish_schema
from pydynox.attributes import (
    Attribute,
    BinaryAttribute,
    BinarySetAttribute,
    BooleanAttribute,
    DatetimeAttribute,
    EnumAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    NumberSetAttribute,
    StringAttribute,
    StringSetAttribute,
)
from pydynox.config import ModelConfig
from pydynox.hooks import HOOK_MARK

if TYPE_CHECKING:
    from pydynox.pydynox_core import DynamoDBClient

__all__ = ["IntegrationSchema", "attribute_for", "integrate"]

Make = Callable[[dict[str, Any]], Any]
CheckUpdate = Callable[[Any, dict[str, Any]], dict[str, Any]]


class IntegrationSchema(ModelSchema):
    """A `ModelSchema` whose config is the decorator's and whose items load through the
    class's constructor."""

    __slots__ = ("_config", "_make", "_check_update")

    def __init__(self, model: type, config: ModelConfig, make: Make, check_update: CheckUpdate | None) -> None:
        # Set before ModelSchema.__init__, which builds the loader.
        self._config = config
        self._make = make
        self._check_update = check_update
        super().__init__(model)

    @property
    def config(self) -> ModelConfig:
        return self._config

    def check_update(self, instance: Any, values: dict[str, Any]) -> dict[str, Any]:
        return values if self._check_update is None else self._check_update(instance, values)

    def _make_loader(self) -> Callable[[dict[str, Any]], Any]:
        make = self._make
        by_stored = self._by_stored
        converters = dict(self._converters)

        def load(item: dict[str, Any]) -> Any:
            # Only the attributes the item has: the class's defaults fill the others.
            state: dict[str, Any] = {}
            for stored, value in item.items():
                name = by_stored.get(stored)
                if name is None:
                    continue
                convert = converters.get(name)
                state[name] = value if convert is None or value is None else convert(value)
            return make(state)

        return load


# --- attributes of field types -------------------------------------------------------------


class _IntAttribute(NumberAttribute):
    """An `int` field: N, and nothing but an int (bool excluded)."""

    _expected = "an int"

    def _check(self, value: Any, where: str) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._wrong_type(value, where)


class _FloatAttribute(NumberAttribute):
    """A `float` field: N, read back as float (DynamoDB answers 3.0 as 3)."""

    converts = True

    def deserialize(self, value: Any) -> float | None:
        return None if value is None else float(value)


class _DecimalAttribute(NumberAttribute):
    """A `Decimal` field: N, read back as Decimal."""

    converts = True

    def deserialize(self, value: Any) -> Any:
        return None if value is None else Decimal(str(value))


class _NestedAttribute(MapAttribute):
    """A nested pydantic model or dataclass: stored as M, its fields as map entries."""

    converts = True

    def __init__(self, kind: type, dump: Callable[[Any], Any], build: Callable[[dict[str, Any]], Any]) -> None:
        super().__init__()
        self._kind = kind
        self._dump = dump
        self._build = build

    def _check(self, value: Any, where: str) -> None:
        if not isinstance(value, self._kind):
            super()._check(value, where)

    def serialize(self, value: Any) -> Any:
        return self._dump(value) if isinstance(value, self._kind) else value

    def deserialize(self, value: Any) -> Any:
        return self._build(value) if isinstance(value, dict) else value


class _AnyAttribute(Attribute[Any]):
    """A field whose type maps to no one DynamoDB type (Any, unions, Literal, tuple...):
    stored as it is; the class's own validation is what checks it."""

    attr_type = "M"


_SCALARS: dict[Any, Callable[[], Attribute[Any]]] = {
    str: StringAttribute,
    bool: BooleanAttribute,
    int: _IntAttribute,
    float: _FloatAttribute,
    Decimal: _DecimalAttribute,
    bytes: BinaryAttribute,
    datetime: DatetimeAttribute,
    list: ListAttribute,
    tuple: ListAttribute,
    dict: MapAttribute,
}
_SETS: dict[Any, Callable[[], Attribute[Any]]] = {
    str: StringSetAttribute,
    int: NumberSetAttribute,
    float: NumberSetAttribute,
    Decimal: NumberSetAttribute,
    bytes: BinarySetAttribute,
}


def _without_none(annotation: Any) -> Any:
    """`X` of `X | None` / `Optional[X]`; the annotation itself otherwise."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        rest = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return annotation


def attribute_for(annotation: Any, nested: Callable[[type], Attribute[Any] | None] | None = None) -> Attribute[Any]:
    """The attribute that stores values of a field annotated `annotation`."""
    annotation = _without_none(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return attribute_for(typing.get_args(annotation)[0], nested)
    if origin in (set, frozenset):
        args = typing.get_args(annotation)
        element = _without_none(args[0]) if args else None
        make = _SETS.get(element)
        return make() if make is not None else _AnyAttribute()
    if origin is not None:
        make = _SCALARS.get(origin)
        return make() if make is not None else _AnyAttribute()
    if isinstance(annotation, type):
        if issubclass(annotation, Enum):
            try:
                return EnumAttribute(annotation)
            except TypeError:  # values neither all strings nor all numbers
                return _AnyAttribute()
        make = _SCALARS.get(annotation)
        if make is not None:
            return make()
        if nested is not None:
            attr = nested(annotation)
            if attr is not None:
                return attr
    return _AnyAttribute()


def _as_key(attr: Attribute[Any], name: str, role: str, model: type) -> Attribute[Any]:
    if attr.key_type is None or isinstance(attr, EnumAttribute):
        raise TypeError(f"{model.__name__}.{name}: a {role} must be a str, int, float, Decimal or bytes field")
    setattr(attr, role, True)
    return attr


# --- the decorator's work ----------------------------------------------------------------


def integrate(
    cls: type,
    fields: dict[str, Attribute[Any]],
    *,
    table: str,
    hash_key: str,
    range_key: str | None,
    client: DynamoDBClient | None,
    make: Make,
    check_update: CheckUpdate | None = None,
    kind: str,
) -> None:
    """Makes `cls` a DynamoDB model: its schema (`fields`: Python name -> attribute, in
    field order) and the generated I/O methods (unless it already inherits them from
    `IntegrationModel`). The attributes are not set on the class: pydantic would take them
    for field defaults (in subclasses, on `model_rebuild`); `attr(User, "age")` gives them.
    """
    from pydynox.integrations.base import IntegrationModel

    for role, name in (("hash_key", hash_key), ("range_key", range_key)):
        if name is not None and name not in fields:
            raise ValueError(f"{role} {name!r} not found in {kind} fields of {cls.__name__} ({', '.join(fields) or 'none'})")
    config = ModelConfig(table=table, client=client)
    schema = IntegrationSchema(cls, config, make, check_update)
    for name, attr in fields.items():
        if name == hash_key:
            attr = _as_key(attr, name, "hash_key", cls)
        elif name == range_key:
            attr = _as_key(attr, name, "range_key", cls)
        attr.__set_name__(cls, name)
        schema.attributes[name] = attr

    hooks: dict[str, Callable[[Any], Any]] = {}
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, GlobalIndexDeclaration):
                schema.global_indexes[name] = value
            elif isinstance(value, LocalIndexDeclaration):
                schema.local_indexes[name] = value
            elif callable(value) and getattr(value, HOOK_MARK, None) is not None:
                hooks.pop(name, None)
                hooks[name] = value
    finish_schema(schema, hooks.values())
    setattr(cls, SCHEMA_ATTRIBUTE, schema)

    if not issubclass(cls, IntegrationModel):
        # The generated methods themselves, not copies of their code; a field named like
        # one of them keeps its name (as a Model attribute shadows a method).
        for klass in reversed(IntegrationModel.__mro__[:-1]):
            for name, member in vars(klass).items():
                if not name.startswith("_") and name not in fields:
                    setattr(cls, name, member)
