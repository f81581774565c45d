"""Per-model configuration and the process-wide default client.

A model finds its client in this order: `ModelConfig(client=...)`, then the client given to
`set_default_client`. With neither, every operation raises `ValueError` before sending.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydynox._model.cursor import set_cursor_secret

if TYPE_CHECKING:
    from pydynox.pydynox_core import DynamoDBClient

__all__ = [
    "ModelConfig",
    "clear_default_client",
    "get_default_client",
    "set_cursor_secret",
    "set_default_client",
]

_default_client: DynamoDBClient | None = None


def set_default_client(client: DynamoDBClient) -> None:
    """Makes `client` the one every model without its own `ModelConfig(client=...)` uses."""
    global _default_client
    _default_client = client


def get_default_client() -> DynamoDBClient | None:
    """The client set with `set_default_client`, or None."""
    return _default_client


def clear_default_client() -> None:
    """Forgets the default client (models without their own client then raise ValueError)."""
    global _default_client
    _default_client = None


class ModelConfig:
    """How a model reaches its table.

    Args:
        table: The DynamoDB table name.
        client: The client to use; None falls back to `set_default_client`'s.
        skip_hooks: Skip lifecycle hooks unless an operation says otherwise.
        max_size: Largest item, in bytes, that `save` will send; a bigger item raises
            `ItemTooLargeException` before any request. None: no check (DynamoDB's own
            400 KB limit still applies).
        consistent_read: Default for reads that take `consistent_read=None`.
        cursor_secret: Key that signs this model's pagination cursors (`result.cursor`);
            None falls back to `set_cursor_secret`'s. Cursors cannot be made or read
            without a key.
        cursor_max_age: Seconds a cursor stays valid; None: no expiry.
        hot_partition_writes: Writes of one partition key within the window that make the
            client's `HotPartitionDetector` warn, for this model's table (None: the
            detector's own threshold). No effect on a client without `diagnostics=`.
        hot_partition_reads: As `hot_partition_writes`, for reads.
    """

    # A plain class rather than a dataclass: `dataclasses` (and `inspect`, which it imports)
    # would add milliseconds to every `import pydynox`.
    __slots__ = (
        "table",
        "client",
        "skip_hooks",
        "max_size",
        "consistent_read",
        "cursor_secret",
        "cursor_max_age",
        "hot_partition_writes",
        "hot_partition_reads",
    )

    def __init__(
        self,
        table: str,
        client: DynamoDBClient | None = None,
        skip_hooks: bool = False,
        max_size: int | None = None,
        consistent_read: bool = False,
        cursor_secret: str | bytes | None = None,
        cursor_max_age: int | None = None,
        hot_partition_writes: int | None = None,
        hot_partition_reads: int | None = None,
    ) -> None:
        if not isinstance(table, str) or not table:
            raise ValueError(f"ModelConfig: table must be a non-empty string, got {table!r}")
        if max_size is not None and (not isinstance(max_size, int) or max_size <= 0):
            raise ValueError(f"ModelConfig: max_size must be a positive int, got {max_size!r}")
        if cursor_max_age is not None and (not isinstance(cursor_max_age, int) or cursor_max_age <= 0):
            raise ValueError(f"ModelConfig: cursor_max_age must be a positive int, got {cursor_max_age!r}")
        self.table = table
        self.client = client
        self.skip_hooks = skip_hooks
        self.max_size = max_size
        self.consistent_read = consistent_read
        self.cursor_secret = cursor_secret
        self.cursor_max_age = cursor_max_age
        self.hot_partition_writes = hot_partition_writes
        self.hot_partition_reads = hot_partition_reads
        if client is not None and (hot_partition_writes is not None or hot_partition_reads is not None):
            # The model's thresholds for its table, on its own client's detector (a model on
            # the default client gets them where it finds that client, `_model/plan.py`).
            detector = client.diagnostics
            if detector is not None:
                detector.set_table_thresholds(table, hot_partition_writes, hot_partition_reads)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"ModelConfig({fields})"

    def __eq__(self, other: Any) -> bool:
        if type(other) is not ModelConfig:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]  # mutable and compared by value, as the dataclass was
