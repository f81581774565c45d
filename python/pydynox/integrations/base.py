"""`IntegrationModel`: the I/O methods `dynamodb_model` gives a pydantic model or dataclass,
as a base class type checkers can see.

The decorator adds the methods to any class; listing `IntegrationModel` among the bases as
well is what lets mypy and pyright know them (a class decorator cannot add methods to a
type), with `Self` as the class: `User.get(pk="a")` is `User | None`.

```python
@dynamodb_model(table="users", hash_key="pk")
class User(BaseModel, IntegrationModel):
    pk: str
    age: int = 0
```
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydynox._generated.model_ops import IntegrationOperations
from pydynox._model.schema import schema_of_class

if TYPE_CHECKING:
    from pydynox._model.metrics import ModelTotals
    from pydynox.attributes import Attribute
    from pydynox.pydynox_core import OperationMetrics

__all__ = ["IntegrationModel", "attr"]


class IntegrationModel(IntegrationOperations):
    """The generated I/O methods (`get`, `save`, `delete`, `update`, `query`, `scan`,
    `batch_get`, `create_table` and their `async_` twins) and the model's metrics."""

    __slots__ = ()

    @classmethod
    def get_last_metrics(cls) -> OperationMetrics | None:
        """Metrics of this model's most recent call; None before the first."""
        metrics = schema_of_class(cls).metrics
        metrics.settle()
        return metrics.last

    @classmethod
    def get_total_metrics(cls) -> ModelTotals:
        """Totals over this model's calls since it was decorated or `reset_metrics()`."""
        metrics = schema_of_class(cls).metrics
        metrics.settle()
        return metrics.totals

    @classmethod
    def reset_metrics(cls) -> None:
        """Clears this model's last and total metrics."""
        schema_of_class(cls).metrics.reset()


def attr(model: type, name: str) -> Attribute[Any]:
    """The attribute of field `name` of a decorated class, to build conditions and atomic
    updates: `attr(User, "age") > 3`, `attr(User, "visits").add(1)`. (`User.age` stays
    the field: its default, for pydantic and dataclasses.)"""
    schema = schema_of_class(model)
    found = schema.attributes.get(name)
    if found is None:
        raise AttributeError(f"{schema.name} has no field {name!r} (fields: {', '.join(schema.attributes)})")
    return found
