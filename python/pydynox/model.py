"""`Model`: a DynamoDB item as a Python class.

```python
class User(Model):
    model_config = ModelConfig(table="users")
    pk = StringAttribute(hash_key=True)
    email = StringAttribute()
    age = NumberAttribute(default=0)

user = User(pk="USER#1", email="ada@example.com")    # user.email is typed str
```

This module holds what a model is (its schema, collected once per class, and the local
helpers); every I/O method and its `async_` twin comes from the generated
`ModelOperations` mixin, which hands the work to `pydynox._model.core`.

Instance values live in the instance `__dict__` under each attribute's Python name; loading
an item fills that dict in one step, converting only the attributes that need it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, ClassVar, dataclass_transform

from pydynox._model.metrics import ModelTotals
from pydynox._generated.model_ops import (  # the result classes also live here, as in 0.21.0
    AsyncModelQueryResult,
    AsyncModelScanResult,
    ModelOperations,
    ModelQueryResult,
    ModelScanResult,
)
from pydynox._model.schema import SCHEMA_ATTRIBUTE, ModelSchema, build_schema
from pydynox.attributes import (
    Attribute,
    BinaryAttribute,
    BinarySetAttribute,
    BooleanAttribute,
    DatetimeAttribute,
    EnumAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    NumberSetAttribute,
    StringAttribute,
    StringSetAttribute,
    TTLAttribute,
    VersionAttribute,
)
from pydynox.size import ItemSize, item_size

if TYPE_CHECKING:
    from typing import Self

    from pydynox.config import ModelConfig
    from pydynox.pydynox_core import OperationMetrics

__all__ = ["AsyncModelQueryResult", "AsyncModelScanResult", "Model", "ModelQueryResult", "ModelScanResult", "TypedModel"]

# Not decorated with `dataclass_transform`: type checkers (pyright always, per PEP 681)
# would then synthesize `__init__` from annotated attributes only, and reject every
# `User(pk=...)` of a model declared in the unannotated pydynox 0.21.0 style. The
# annotated style opts in through `TypedModel` below (docs/guides/models.md, "Typed
# constructors", says why there is no way to have both on one base class).
class Model(ModelOperations):
    """Base class of every model: subclass it, set `model_config`, declare attributes."""

    model_config: ClassVar[ModelConfig]
    _schema: ClassVar[ModelSchema]
    __pydynox_schema__: ClassVar[ModelSchema]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # The schema is all the model core knows of this class (`__pydynox_schema__`);
        # `_schema` is the same object, for this module's own methods.
        cls._schema = build_schema(cls)
        setattr(cls, SCHEMA_ATTRIBUTE, cls._schema)

    def __init__(self, **kwargs: Any) -> None:
        values = kwargs
        schema = self._schema
        if not values.keys() <= schema.attributes.keys():
            unknown = values.keys() - schema.attributes.keys()
            raise TypeError(
                f"{schema.name}: no attribute {sorted(unknown)[0]!r} "
                f"(declared: {', '.join(schema.attributes) or 'none'})"
            )
        generated = schema.generated
        model_name = schema.name
        state: dict[str, Any] = {}
        # `fine`: the exact types of values that need no `validate` call (ModelSchema).
        for name, attr, fine in schema._checks:
            if name in values:
                value = values[name]
            elif attr.default is not None:
                value = attr.make_default()
            else:
                value = None
            # An AutoGenerate attribute gets its value at the first save.
            if type(value) not in fine and (value is not None or name not in generated):
                attr.validate(value, model_name)
            state[name] = value
        self.__dict__.update(state)

    # --- conversion -------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The item as DynamoDB stores it: stored attribute name -> stored value.

        Attributes holding None are left out (DynamoDB has no "absent but set" value).
        """
        return self._schema.dump(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """A model from a stored item (as `to_dict` or the client returns it).

        Attributes the model does not declare are ignored; attributes missing from `data`
        are None. No hooks run and nothing is validated: this is the load path.
        """
        return cls._schema.load(data)  # type: ignore[no-any-return]

    # --- object protocol ----------------------------------------------------------------

    def __repr__(self) -> str:
        state = self.__dict__
        # An attribute holding secrets (EncryptedAttribute) says so; its value is not shown.
        shown = ", ".join(
            f"{name}={'<redacted>' if attr.secret and state.get(name) is not None else repr(state.get(name))}"
            for name, attr in self._schema.attributes.items()
        )
        return f"{type(self).__name__}({shown})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        mine, theirs = self.__dict__, other.__dict__
        return all(mine.get(name) == theirs.get(name) for name in self._schema.attributes)

    __hash__ = None  # type: ignore[assignment]  # mutable: equal models may change

    # --- size -----------------------------------------------------------------------------

    def calculate_size(self, detailed: bool = False) -> ItemSize:
        """The item's size as DynamoDB counts it (see `pydynox.size`); `detailed=True` adds
        each attribute's share in `fields`."""
        return item_size(self._schema.dump(self.__dict__), detailed=detailed)

    # --- TTL ------------------------------------------------------------------------------

    def _ttl_moment(self) -> datetime | None:
        name = self._schema.ttl
        if name is None:
            return None
        moment: datetime | int | float | None = self.__dict__.get(name)
        if moment is None:
            return None
        if isinstance(moment, (int, float)):  # an epoch left unconverted
            return datetime.fromtimestamp(moment, tz=timezone.utc)
        if moment.tzinfo is None:
            return moment.replace(tzinfo=timezone.utc)
        return moment

    @property
    def is_expired(self) -> bool:
        """Whether the TTL attribute's moment has passed (False without a TTL value).

        DynamoDB deletes expired items lazily, so reads can still return them for a while.
        """
        moment = self._ttl_moment()
        return moment is not None and moment <= datetime.now(timezone.utc)

    @property
    def expires_in(self) -> timedelta | None:
        """Time left until the TTL attribute's moment; None without a TTL value or once
        it has passed."""
        moment = self._ttl_moment()
        if moment is None:
            return None
        left = moment - datetime.now(timezone.utc)
        return left if left > timedelta(0) else None

    def extend_ttl(self, new_expiration: datetime | timedelta) -> None:
        """Moves the TTL attribute to `new_expiration` (a datetime, or a timedelta from
        now). Nothing is sent: the next `save` (or `update`) stores it."""
        name = self._schema.ttl
        if name is None:
            raise ValueError(f"{type(self).__name__}.extend_ttl: the model has no TTLAttribute")
        if isinstance(new_expiration, timedelta):
            new_expiration = datetime.now(timezone.utc) + new_expiration
        if not isinstance(new_expiration, datetime):
            raise TypeError(
                f"{type(self).__name__}.extend_ttl: needs a datetime or a timedelta, got {new_expiration!r}"
            )
        self._schema.check_value(name, new_expiration)
        self.__dict__[name] = new_expiration

    # --- metrics --------------------------------------------------------------------------

    @classmethod
    def get_last_metrics(cls) -> OperationMetrics | None:
        """Metrics of this model's most recent call (for a query or scan, of its most
        recent page); None before the first."""
        metrics = cls._schema.metrics
        metrics.settle()
        return metrics.last

    @classmethod
    def get_total_metrics(cls) -> ModelTotals:
        """Totals over this model's calls since it was defined or `reset_metrics()`;
        every page a query or scan fetched counts as one call."""
        metrics = cls._schema.metrics
        metrics.settle()
        return metrics.totals

    @classmethod
    def reset_metrics(cls) -> None:
        """Clears this model's last and total metrics."""
        cls._schema.metrics.reset()


@dataclass_transform(
    kw_only_default=True,
    field_specifiers=(
        Attribute, StringAttribute, NumberAttribute, BinaryAttribute, BooleanAttribute,
        ListAttribute, MapAttribute, StringSetAttribute, NumberSetAttribute, BinarySetAttribute,
        JSONAttribute, DatetimeAttribute, EnumAttribute, TTLAttribute, VersionAttribute,
    ),
)
class TypedModel(Model):
    """A `Model` whose constructor type checkers and IDEs know, from annotated attributes:

    ```python
    class User(TypedModel):
        model_config = ModelConfig(table="users")
        pk: StringAttribute = StringAttribute(hash_key=True)
        age: NumberAttribute = NumberAttribute(default=0)
        email: StringAttribute = StringAttribute(default=None)

    User(pk="a", emial="x")   # flagged by mypy and pyright: no parameter "emial"
    ```

    Each parameter's type is its attribute's value type. An attribute without `default=`
    is a required parameter for the type checker (pass `default=None` to make an optional
    one optional). At run time it is exactly `Model`; only type checkers see a difference.
    """
