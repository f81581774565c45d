"""`dynamodb_model`: one decorator for pydantic models and dataclasses.

Cheap to import (`import pydynox` imports it): pydantic, `dataclasses` and the schema
builder are imported when a class is decorated, not before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, TypeVar

if TYPE_CHECKING:
    from pydynox.pydynox_core import DynamoDBClient

T = TypeVar("T")

__all__ = ["dynamodb_model"]


def dynamodb_model(
    table: str,
    hash_key: str,
    range_key: str | None = None,
    client: DynamoDBClient | None = None,
) -> Callable[[type[T]], type[T]]:
    """A class decorator giving a pydantic model or a dataclass DynamoDB methods.

    Args:
        table: The DynamoDB table's name.
        hash_key: Name of the field that is the partition key.
        range_key: Name of the field that is the sort key, if any.
        client: The DynamoDBClient to use; the default client (`set_default_client`) when None.

    The class gets `get`, `save`, `delete`, `update`, `query`, `scan`, `batch_get`,
    `create_table` and their `async_` twins; list `IntegrationModel` among its bases too for
    type checkers to see them.
    """

    def decorator(cls: type[T]) -> type[T]:
        import dataclasses

        if dataclasses.is_dataclass(cls):
            from pydynox.integrations.dataclass import from_dataclass

            return from_dataclass(cls, table, hash_key, range_key, client)
        from pydynox.integrations.pydantic import base_model

        model = base_model()
        if model is not None and isinstance(cls, type) and issubclass(cls, model):
            from pydynox.integrations.pydantic import from_pydantic

            return from_pydantic(cls, table, hash_key, range_key, client)
        name = getattr(cls, "__name__", repr(cls))
        raise TypeError(f"{name} must be a dataclass or a pydantic BaseModel: decorate it with @dataclass or subclass BaseModel")

    return decorator
