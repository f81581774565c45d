"""pydynox's pytest plugin (registered through the `pytest11` entry point): fixtures that
run a test against a local DynamoDB server (moto, in this process, on loopback).

    def test_signup(pydynox_memory_backend):
        User(pk="u1", email="ada@example.com").save()
        assert User.get(pk="u1") is not None

The server starts once per session, at the first test that asks for it, and stops at the
end of the session. Each `pydynox_memory_backend*` test starts from an empty server with a
table for every model (indexes included) and the default client pointed at it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest

from pydynox.config import clear_default_client, get_default_client, set_default_client
from pydynox.testing.memory import MemoryBackend, Seed
from pydynox.testing.server import LocalDynamoDB, shared_server, stop_shared_server

if TYPE_CHECKING:
    from pydynox.model import Model


@pytest.fixture(scope="session")
def pydynox_server() -> Iterator[LocalDynamoDB]:
    """The session's local DynamoDB server (`.endpoint`, `.client()`, `.admin()`)."""
    yield shared_server()
    stop_shared_server()


@pytest.fixture
def pydynox_memory_backend(pydynox_server: LocalDynamoDB) -> Iterator[MemoryBackend]:
    """An active `MemoryBackend`: empty server, a table per model, default client on it."""
    with MemoryBackend() as backend:
        yield backend


@pytest.fixture
def pydynox_memory_backend_factory(pydynox_server: LocalDynamoDB) -> type[MemoryBackend]:
    """The `MemoryBackend` class, to enter with your own seed:
    `with pydynox_memory_backend_factory(seed={...}) as backend:`."""
    return MemoryBackend


@pytest.fixture
def pydynox_seed() -> Seed:
    """Seed data for `pydynox_memory_backend_seeded`; override it in your conftest.py:
    `{"users": [{"pk": "USER#1", "name": "Ada"}]}` (table name -> items)."""
    return {}


@pytest.fixture
def pydynox_memory_backend_seeded(pydynox_server: LocalDynamoDB, pydynox_seed: Seed) -> Iterator[MemoryBackend]:
    """`pydynox_memory_backend` with the items of `pydynox_seed` written first."""
    with MemoryBackend(seed=pydynox_seed) as backend:
        yield backend


@pytest.fixture
def pydynox_table(pydynox_server: LocalDynamoDB) -> Iterator[Callable[[type[Model]], type[Model]]]:
    """Creates one model's table for this test only: `pydynox_table(User)` creates the
    table (keys and indexes from the class) on the session's server, points the default
    client at that server for the test, and deletes the table afterwards. Other tables on
    the server are left alone. (A model with its own `ModelConfig(client=...)` keeps it.)"""
    previous = get_default_client()
    set_default_client(pydynox_server.client())
    made: list[type[Model]] = []

    def create(model: type[Model]) -> type[Model]:
        model.create_table(wait=True)
        made.append(model)
        return model

    try:
        yield create
    finally:
        try:
            for model in made:
                if model.table_exists():
                    model.delete_table()
        finally:
            if previous is None:
                clear_default_client()
            else:
                set_default_client(previous)

