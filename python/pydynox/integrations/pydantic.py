"""pydantic models as DynamoDB models.

```python
@dynamodb_model(table="users", hash_key="pk")
class User(BaseModel, IntegrationModel):
    pk: str
    age: int = 0
```

Items load through `model_validate` (a stored item that no longer fits the model raises
pydantic's ValidationError, naming the field), and `update(**values)` validates the model
with the new values before anything is sent. pydantic is optional: this module imports
without it and says how to install it when used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, TypeVar

if TYPE_CHECKING:
    from pydynox.attributes import Attribute
    from pydynox.pydynox_core import DynamoDBClient

T = TypeVar("T")

__all__ = ["dynamodb_model", "from_pydantic"]


def base_model() -> type | None:
    """pydantic's BaseModel, or None without pydantic."""
    try:
        from pydantic import BaseModel
    except ImportError:
        return None
    return BaseModel


def _require_pydantic() -> type:
    model = base_model()
    if model is None:
        raise ImportError("pydantic is required for this: pip install 'pydynox[pydantic]'")
    return model


def dynamodb_model(
    table: str,
    hash_key: str,
    range_key: str | None = None,
    client: DynamoDBClient | None = None,
) -> Callable[[type[T]], type[T]]:
    """A class decorator giving a pydantic model DynamoDB methods (see `from_pydantic`)."""
    _require_pydantic()

    def decorator(cls: type[T]) -> type[T]:
        return from_pydantic(cls, table, hash_key, range_key, client)

    return decorator


def from_pydantic(
    cls: type[T],
    table: str,
    hash_key: str,
    range_key: str | None = None,
    client: DynamoDBClient | None = None,
) -> type[T]:
    """Gives the pydantic model `cls` DynamoDB methods and returns it.

    Args:
        cls: A pydantic BaseModel subclass.
        table: The DynamoDB table's name.
        hash_key: Name of the field that is the partition key.
        range_key: Name of the field that is the sort key, if any.
        client: The DynamoDBClient to use; the default client when None.
    """
    base = _require_pydantic()
    if not isinstance(cls, type) or not issubclass(cls, base):
        raise TypeError(f"{getattr(cls, '__name__', cls)!s} must be a pydantic BaseModel subclass")
    from pydynox.integrations._schema import attribute_for, integrate

    model: Any = cls
    fields = {name: attribute_for(info.annotation, _nested) for name, info in model.model_fields.items()}

    def check_update(instance: Any, values: dict[str, Any]) -> dict[str, Any]:
        # The whole model with the new values, so field and model validators both run;
        # what is sent is what pydantic made of each value.
        unknown = sorted(values.keys() - model.model_fields.keys())
        if unknown:
            raise ValueError(f"{model.__name__}.update: no field {unknown[0]!r}")
        state = dict(instance.__dict__)
        state.update(values)
        validated = model.model_validate(state)
        return {name: validated.__dict__[name] for name in values}

    integrate(
        cls, fields, table=table, hash_key=hash_key, range_key=range_key, client=client,
        make=model.model_validate, check_update=check_update, kind="pydantic",
    )
    return cls


def _nested(kind: type) -> Attribute[Any] | None:
    """A nested pydantic model field: stored as a map of its fields."""
    base = base_model()
    if base is None or not issubclass(kind, base):
        return None
    from pydynox.integrations._schema import _NestedAttribute

    # model_validate of the outer model rebuilds the nested one from the map.
    return _NestedAttribute(kind, lambda value: value.model_dump(), lambda data: data)
