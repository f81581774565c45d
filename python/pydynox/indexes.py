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

Keys are given by Python attribute name. A global index may have multi-attribute keys
(`hash_key=["tenant", "region"]`, up to four attributes per key): a query then gives each
of them (`User.by_place.query(tenant="t1", region="eu")`).

Reading `User.by_email` gives the index bound to `User` (a subclass reading it gets one
bound to the subclass), so a query builds that model. What an index declares lives in
`pydynox._model.index_schema`; the query methods (and their `async_` twins) are generated
(`pydynox._model.pages.plan_index_query`).
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any, TypeVar, overload

from pydynox._generated.model_ops import GlobalSecondaryIndexOperations, LocalSecondaryIndexOperations
from pydynox._model.index_schema import GlobalIndexDeclaration, LocalIndexDeclaration
from pydynox._model.schema import SCHEMA_ATTRIBUTE, schema_of_class

if TYPE_CHECKING:
    from typing import Self

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


class _Bindable:
    """Reading an index through a model class gives a copy bound to that class."""

    _bound: weakref.WeakKeyDictionary[type, Any]

    def _bind(self, owner: type) -> Self:
        bound: Self | None = self._bound.get(owner)
        if bound is not None and getattr(bound, "schema", None) is None and getattr(owner, SCHEMA_ATTRIBUTE, None) is not None:
            # Made before the owner had a schema: @dataclass reads every class attribute
            # (ClassVars too) before dynamodb_model gives the class its schema. Bind again.
            bound = None
        if bound is None:
            copy: Any = object.__new__(type(self))
            copy.__dict__.update(self.__dict__)
            copy.model = owner
            copy.schema = getattr(owner, SCHEMA_ATTRIBUTE, None)  # None off a model class
            copy._bound = weakref.WeakKeyDictionary()
            self._bound[owner] = bound = copy
        return bound


class GlobalSecondaryIndex(_Bindable, GlobalIndexDeclaration[M], GlobalSecondaryIndexOperations[M]):
    """A global secondary index: its own partition key (and optional sort key).

    Args:
        index_name: The index's name in DynamoDB.
        hash_key: Python name of the attribute that is the index's partition key, or a
            list of up to four names for a multi-attribute key.
        range_key: Python name of the attribute that is its sort key (or a list of up to
            four), if any.
        projection: 'ALL' (default), 'KEYS_ONLY', or a list of attribute names to copy
            into the index besides the keys.
    """

    def __init__(
        self,
        index_name: str,
        hash_key: str | list[str],
        range_key: str | list[str] | None = None,
        projection: str | list[str] = "ALL",
    ) -> None:
        super().__init__(index_name, hash_key, range_key, projection)
        self._bound = weakref.WeakKeyDictionary()

    @overload
    def __get__(self, instance: None, owner: type[O]) -> GlobalSecondaryIndex[O]: ...

    @overload
    def __get__(self, instance: O, owner: type[O] | None = None) -> GlobalSecondaryIndex[O]: ...

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        return self._bind(owner if owner is not None else type(instance))

    def to_create_table_definition(self, model_class: type | None = None) -> dict[str, Any]:
        """The index as the client's `create_table` takes it in `global_secondary_indexes`
        (stored attribute names and their types; `hash_keys` / `range_keys` lists for
        multi-attribute keys). `model_class` defaults to the model it is read from."""
        return self._definition(self._schema_for(model_class))

    def to_dynamodb_definition(self) -> dict[str, Any]:
        """The index in DynamoDB's wire shape: `IndexName`, `KeySchema` and `Projection`."""
        return self._dynamodb_definition(self.schema)

    def _schema_for(self, model_class: type | None) -> Any:
        return self._bound_schema() if model_class is None else schema_of_class(model_class)


class LocalSecondaryIndex(_Bindable, LocalIndexDeclaration[M], LocalSecondaryIndexOperations[M]):
    """A local secondary index: the table's partition key with another sort key.

    Args:
        index_name: The index's name in DynamoDB.
        range_key: Python name of the attribute that is the index's sort key.
        projection: 'ALL' (default), 'KEYS_ONLY', or a list of attribute names.
    """

    def __init__(self, index_name: str, range_key: str, projection: str | list[str] = "ALL") -> None:
        super().__init__(index_name, range_key, projection)
        self._bound = weakref.WeakKeyDictionary()

    @overload
    def __get__(self, instance: None, owner: type[O]) -> LocalSecondaryIndex[O]: ...

    @overload
    def __get__(self, instance: O, owner: type[O] | None = None) -> LocalSecondaryIndex[O]: ...

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        return self._bind(owner if owner is not None else type(instance))

    def to_create_table_definition(self, model_class: type | None = None) -> dict[str, Any]:
        """The index as the client's `create_table` takes it in `local_secondary_indexes`.
        `model_class` defaults to the model it is read from."""
        return self._definition(self._bound_schema() if model_class is None else schema_of_class(model_class))
