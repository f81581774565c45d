"""Helpers shared by the tests (fixtures live in conftest.py).

`call` and `collect` run one operation through either twin, so each behaviour test is
written once and parametrized over `mode` ("sync" or "async"). The `boto_*` helpers read
and write through boto3, an implementation independent of the code under test.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import socket
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from collections.abc import Iterator
from typing import Any

from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer

MODES = ("sync", "async")

_deserializer = TypeDeserializer()
_serializer = TypeSerializer()


# --- running an operation through the sync or the async twin -------------------------


def call(client: Any, mode: str, name: str, *args: Any, **kwargs: Any) -> Any:
    """`client.<name>(...)` in sync mode; `await client.async_<name>(...)` in async mode.

    The async twin is called inside a running event loop (as real code does) and must
    return an awaitable.
    """
    if mode == "sync":
        return getattr(client, name)(*args, **kwargs)
    assert mode == "async", mode

    async def run() -> Any:
        awaitable = getattr(client, f"async_{name}")(*args, **kwargs)
        assert inspect.isawaitable(awaitable), f"async_{name} returned {type(awaitable).__name__}, not an awaitable"
        return await awaitable

    return asyncio.run(run())


def collect(client: Any, mode: str, name: str, *args: Any, **kwargs: Any) -> tuple[list, Any]:
    """Iterates `client.<name>(...)` (query or scan) to the end; returns (items, result).

    Sync mode uses `for`; async mode calls `async_<name>` and uses `async for`.
    """
    if mode == "sync":
        result = getattr(client, name)(*args, **kwargs)
        assert hasattr(result, "__next__"), f"{name} returned {type(result).__name__}, not an iterator"
        return [item for item in result], result
    assert mode == "async", mode

    async def run() -> tuple[list, Any]:
        result = getattr(client, f"async_{name}")(*args, **kwargs)
        assert hasattr(result, "__aiter__") and hasattr(result, "__anext__"), (
            f"async_{name} returned {type(result).__name__}, not an async iterator"
        )
        return [item async for item in result], result

    return asyncio.run(run())


def to_list(client: Any, mode: str, name: str, *args: Any, **kwargs: Any) -> tuple[list, Any]:
    """`client.<name>(...).to_list()`, or `await client.async_<name>(...).to_list()`."""
    if mode == "sync":
        result = getattr(client, name)(*args, **kwargs)
        return result.to_list(), result

    async def run() -> tuple[list, Any]:
        result = getattr(client, f"async_{name}")(*args, **kwargs)
        awaitable = result.to_list()
        assert inspect.isawaitable(awaitable), "to_list() of an async result must be awaitable"
        return await awaitable, result

    return asyncio.run(run())


def error_text(error: BaseException) -> str:
    """What a traceback shows of an exception: its message and its notes (PyO3 names the
    argument it failed to extract in a note, "while processing 'item'")."""
    return "\n".join([str(error), *getattr(error, "__notes__", [])])


# --- boto3 as the independent checker -------------------------------------------------


def from_boto(value: Any) -> Any:
    """A value deserialized by boto3, turned into the Python types pydynox promises.

    boto3 gives Decimal for every N and Binary for B; pydynox gives int for integral
    numbers, float otherwise, and bytes. Sets stay sets.
    """
    if isinstance(value, Binary):
        return value.value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: from_boto(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_boto(v) for v in value]
    if isinstance(value, set):
        return {from_boto(v) for v in value}
    return value


def boto_get_raw(boto: Any, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
    """The item exactly as DynamoDB stores it (wire format), read with boto3."""
    wire_key = {k: _serializer.serialize(v) for k, v in key.items()}
    response = boto.get_item(TableName=table, Key=wire_key, ConsistentRead=True)
    return response.get("Item")


def boto_get(boto: Any, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
    """The item read with boto3 and deserialized by boto3's TypeDeserializer."""
    raw = boto_get_raw(boto, table, key)
    if raw is None:
        return None
    return {k: _deserializer.deserialize(v) for k, v in raw.items()}


def boto_put_raw(boto: Any, table: str, item: dict[str, Any]) -> None:
    """Writes an item given in wire format ({"attr": {"S": "..."}}) with boto3."""
    boto.put_item(TableName=table, Item=item)


def boto_put(boto: Any, table: str, item: dict[str, Any]) -> None:
    """Writes a Python item with boto3's TypeSerializer (numbers must be int or Decimal)."""
    boto_put_raw(boto, table, {k: _serializer.serialize(v) for k, v in item.items()})


def boto_put_many(boto: Any, table: str, items: list[dict[str, Any]]) -> None:
    """Writes items with boto3's BatchWriteItem, 25 at a time."""
    for start in range(0, len(items), 25):
        chunk = items[start : start + 25]
        requests = [{"PutRequest": {"Item": {k: _serializer.serialize(v) for k, v in item.items()}}} for item in chunk]
        response = boto.batch_write_item(RequestItems={table: requests})
        assert not response.get("UnprocessedItems"), response


def boto_scan(boto: Any, table: str) -> list[dict[str, Any]]:
    """Every item of the table, read with boto3 and converted with `from_boto`."""
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"TableName": table, "ConsistentRead": True}
    while True:
        response = boto.scan(**kwargs)
        items.extend(from_boto({k: _deserializer.deserialize(v) for k, v in raw.items()}) for raw in response["Items"])
        if "LastEvaluatedKey" not in response:
            return items
        kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def by_key(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items sorted by (pk, sk), for comparing lists whose order is not guaranteed."""
    return sorted(items, key=lambda item: (str(item.get("pk")), str(item.get("sk"))))


def unique_name(prefix: str = "t") -> str:
    """A table name no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


# --- waiting for an event, not for a time ------------------------------------------------------


def wait_until(condition: Any, within: float = 60.0) -> bool:
    """Polls `condition()` until it is true; False if it is still false after `within` seconds.
    `within` only bounds a failure: a busy machine makes a passing test slower, never failing."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


# --- sockets ----------------------------------------------------------------------------


def free_port() -> int:
    """A loopback TCP port that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def closed_endpoint() -> str:
    """An http endpoint on loopback where nothing listens (connections are refused)."""
    return f"http://127.0.0.1:{free_port()}"


# --- a deliberately slow fake DynamoDB ---------------------------------------------------

_SLOW_SERVER = r"""
import socket, sys, threading, time

delay = float(sys.argv[1])
# With `together`, no request is answered until that many are open at once (a barrier):
# requests that never overlap get HTTP 500 after a minute instead.
together = threading.Barrier(int(sys.argv[2]), timeout=60) if len(sys.argv) > 2 else None
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 0))
server.listen(64)
print(server.getsockname()[1], flush=True)


def handle(conn):
    with conn:
        conn.settimeout(30)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        if together is not None:
            try:
                together.wait()
            except threading.BrokenBarrierError:
                conn.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
        time.sleep(delay)
        conn.sendall(
            b"HTTP/1.1 200 OK\r\n"
            b"Content-Type: application/x-amz-json-1.0\r\n"
            b"x-amzn-RequestId: slow-fake\r\n"
            b"Content-Length: 2\r\n"
            b"Connection: close\r\n\r\n{}"
        )


while True:
    conn, _ = server.accept()
    threading.Thread(target=handle, args=(conn,), daemon=True).start()
"""


@contextlib.contextmanager
def slow_dynamodb(delay: float, together: int | None = None) -> Iterator[str]:
    """A fake DynamoDB endpoint in its own process: every request is answered `{}` (200)
    after `delay` seconds. Being another process, it needs nothing from our GIL. With
    `together`, requests are answered only once that many are open at the same time (they
    overlap for sure); otherwise, after a minute, with HTTP 500.

    `{}` is a valid answer to GetItem (no item) and most other operations."""
    process = subprocess.Popen(
        [sys.executable, "-c", _SLOW_SERVER, str(delay), *([str(together)] if together else [])],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        port = int(process.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        process.kill()
        process.wait(timeout=10)
        process.stdout.close()


def run_python(
    code: str, *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Runs `python -c code args...` in a fresh interpreter; a hang fails instead of blocking."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
