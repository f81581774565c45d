"""`MemoryBackend`: every model and the default client on a fresh local DynamoDB server.

The name and the module are pydynox 0.21.0's. The data still lives in memory, but in a
real DynamoDB implementation (moto's server, see server.py) rather than in a dict: tables
have the keys and indexes their models declare, conditions are evaluated, and a write
that DynamoDB would reject is rejected here too.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from pydynox.config import clear_default_client, get_default_client, set_default_client
from pydynox.model import Model
from pydynox.testing.server import LocalDynamoDB, shared_server

if TYPE_CHECKING:
    from pydynox.config import ModelConfig
    from pydynox.pydynox_core import DynamoDBClient

__all__ = ["MemoryBackend", "create_model_table", "memory_backend", "model_classes"]

F = TypeVar("F", bound=Callable[..., Any])

# Seed data: table name -> items, each a dict of attribute name -> value (0.21.0's format).
Seed = dict[str, list[dict[str, Any]]]


def model_classes() -> list[type[Model]]:
    """Every model class defined so far that names a table, parents before children."""
    found: list[type[Model]] = []
    queue = list(Model.__subclasses__())
    while queue:
        cls = queue.pop(0)
        if cls in found:
            continue
        found.append(cls)
        queue.extend(cls.__subclasses__())
    return [cls for cls in found if getattr(cls, "model_config", None) is not None]


def create_model_table(model: type[Model]) -> None:
    """Creates `model`'s table (keys and indexes from the class) unless it exists."""
    if not model.table_exists():
        model.create_table(wait=True)


class MemoryBackend:
    """Points every model and the default client at a fresh local DynamoDB server.

    On entry the process's server (started on first use) is emptied, a table is created
    for every model class defined so far (with its indexes), and `seed` is written:
    `{"users": [{"pk": "USER#1", "name": "Ada"}]}`, each table named by a model. Models
    with their own `ModelConfig(client=...)` use the server too until the exit, which
    restores every client. Use it as a context manager, a decorator (sync or async
    functions) or through the pytest fixtures (`pydynox_memory_backend`, ...).
    """

    def __init__(self, seed: Seed | None = None) -> None:
        self._seed: Seed = dict(seed or {})
        self._server: LocalDynamoDB | None = None
        self._client: DynamoDBClient | None = None
        self._previous_default: DynamoDBClient | None = None
        self._redirected: list[tuple[ModelConfig, DynamoDBClient]] = []

    # --- entering and leaving ---------------------------------------------------------

    def __enter__(self) -> MemoryBackend:
        if self._client is not None:
            raise RuntimeError("MemoryBackend: already active; enter a new MemoryBackend instead")
        self._server = shared_server()
        self._server.reset()
        self._client = self._server.client()
        self._previous_default = get_default_client()
        set_default_client(self._client)
        self._redirect_own_clients(self._client)
        try:
            self._create_tables()
            self._write_seed()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        for config, client in reversed(self._redirected):
            config.client = client
        self._redirected.clear()
        if self._previous_default is not None:
            set_default_client(self._previous_default)
        else:
            clear_default_client()
        self._previous_default = None
        self._client = None

    def __call__(self, func: F) -> F:
        """Runs `func` (sync or async) inside this backend."""
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await func(*args, **kwargs)

            return run_async  # type: ignore[return-value]

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return run  # type: ignore[return-value]

    # --- what tests use ---------------------------------------------------------------

    @property
    def client(self) -> DynamoDBClient:
        """The pydynox client on the server (also the default client while active)."""
        if self._client is None:
            raise RuntimeError("MemoryBackend: not active; use it in a `with` block")
        return self._client

    @property
    def endpoint(self) -> str:
        """The server's endpoint URL, for other clients (boto3, ...) in the test."""
        endpoint = self._server.endpoint if self._server is not None and self._client is not None else None
        if endpoint is None:
            raise RuntimeError("MemoryBackend: not active; use it in a `with` block")
        return endpoint

    @property
    def tables(self) -> dict[str, dict[str, dict[str, Any]]]:
        """What the server holds: table name -> {key text -> item}. The key text is the
        key values joined with "|" (hash key first), as in 0.21.0. Read from the server
        on each access; empty when the backend is not active."""
        if self._client is None or self._server is None:
            return {}
        admin = self._server.admin()
        contents: dict[str, dict[str, dict[str, Any]]] = {}
        for name in admin.list_tables()["TableNames"]:
            schema = admin.describe_table(TableName=name)["Table"]["KeySchema"]
            keys = [part["AttributeName"] for part in sorted(schema, key=lambda part: part["KeyType"] != "HASH")]
            contents[name] = {"|".join(str(item[key]) for key in keys): item for item in self._client.scan(name)}
        return contents

    def clear(self) -> None:
        """Empties the server and recreates every model's table, empty (no seed)."""
        if self._server is None or self._client is None:
            raise RuntimeError("MemoryBackend: not active; use it in a `with` block")
        self._server.reset()
        self._create_tables()

    def create_table(self, model: type[Model]) -> None:
        """Creates the table of a model defined after the backend was entered."""
        self.client  # raises when not active
        create_model_table(model)

    # --- helpers ------------------------------------------------------------------------

    def _redirect_own_clients(self, client: DynamoDBClient) -> None:
        seen: set[int] = set()
        for model in model_classes():
            config = model.model_config
            if config.client is not None and id(config) not in seen:
                seen.add(id(config))
                self._redirected.append((config, config.client))
                config.client = client

    def _create_tables(self) -> None:
        created: set[str] = set()
        for model in model_classes():
            table = model.model_config.table
            if table not in created:
                create_model_table(model)
                created.add(table)

    def _write_seed(self) -> None:
        assert self._client is not None
        for table, items in self._seed.items():
            if not self._client.table_exists(table):
                raise ValueError(
                    f"MemoryBackend seed: no table {table!r}; seed tables must be named by a "
                    f"model (ModelConfig(table={table!r})) defined before the backend starts"
                )
            for item in items:
                self._client.put_item(table, item)


@contextmanager
def memory_backend(seed: Seed | None = None) -> Iterator[MemoryBackend]:
    """`with memory_backend(seed) as backend:`, the same as `with MemoryBackend(seed)`."""
    with MemoryBackend(seed=seed) as backend:
        yield backend
