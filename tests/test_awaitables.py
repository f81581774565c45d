"""What an `async_` twin returns behaves like a coroutine (issue 9, item 3; ADR 8): it can be
created outside a running loop, sends nothing until awaited, is bound to the loop that
awaits it, can be awaited once, and cancelling the awaiting task stops its request."""

from __future__ import annotations

import asyncio
import collections.abc
import gc
import time

import pytest

import pydynox
from pydynox.attributes import StringAttribute
from pydynox.config import ModelConfig
from pydynox.exceptions import ResourceNotFoundException
from pydynox.model import Model
from pydynox.pydynox_core import _async_tasks_in_flight

from faults import FaultProxy
from support import boto_get, boto_put_many, unique_name

KEY = {"pk": "a", "sk": "b"}


@pytest.fixture
def proxy(moto_endpoint):
    with FaultProxy(moto_endpoint) as proxy:
        yield proxy
        # Requests whose callers gave up are still held by the proxy: let them end here.
        deadline = time.monotonic() + 5
        while proxy.active and time.monotonic() < deadline:
            time.sleep(0.01)


@pytest.fixture
def slow_client(proxy):
    """A client whose requests the proxy holds for `proxy.delay` seconds."""
    return pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=0)


def wait_for_no_tasks(within: float) -> bool:
    deadline = time.monotonic() + within
    while _async_tasks_in_flight() and time.monotonic() < deadline:
        time.sleep(0.005)
    return _async_tasks_in_flight() == 0


# --- created anywhere, awaited in a loop ----------------------------------------------------------


def test_asyncio_run_takes_the_twin_created_outside_a_loop(client, boto, table):
    boto_put_many(boto, table, [dict(KEY, n=1)])
    assert asyncio.run(client.async_get_item(table, KEY)) == dict(KEY, n=1)


def test_asyncio_run_takes_a_model_twin(client, boto, table):
    class Item(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        note = StringAttribute()

    asyncio.run(Item(pk="m", sk="1", note="saved").async_save())
    assert boto_get(boto, table, {"pk": "m", "sk": "1"}) == {"pk": "m", "sk": "1", "note": "saved"}
    loaded = asyncio.run(Item.async_get(pk="m", sk="1"))
    assert loaded.note == "saved"


def test_it_is_a_coroutine_for_asyncio(client, table):
    awaitable = client.async_get_item(table, KEY)
    try:
        assert asyncio.iscoroutine(awaitable)
        assert isinstance(awaitable, collections.abc.Coroutine)
        assert awaitable.__qualname__ == "DynamoDBClient.async_get_item"
        assert awaitable.__name__ == "async_get_item"
        assert "DynamoDBClient.async_get_item" in repr(awaitable)
    finally:
        awaitable.close()


def test_one_awaitable_serves_one_loop_and_then_another_call_serves_the_next(client, boto, table):
    boto_put_many(boto, table, [KEY])
    first, second = client.async_get_item(table, KEY), client.async_get_item(table, KEY)
    assert asyncio.run(first) == KEY
    assert asyncio.run(second) == KEY  # a second loop; the runtime and its connections carry on


def test_create_task_gather_and_wait_for_accept_it(client, boto, table):
    boto_put_many(boto, table, [dict(KEY, sk=str(i)) for i in range(20)])

    async def main():
        task = asyncio.create_task(client.async_get_item(table, dict(KEY, sk="0")))
        many = await asyncio.gather(*(client.async_get_item(table, dict(KEY, sk=str(i))) for i in range(20)))
        timed = await asyncio.wait_for(client.async_get_item(table, dict(KEY, sk="1")), timeout=30)
        return await task, many, timed

    one, many, timed = asyncio.run(main())
    assert one == dict(KEY, sk="0")
    assert many == [dict(KEY, sk=str(i)) for i in range(20)]
    assert timed == dict(KEY, sk="1")


def test_stepping_it_outside_a_running_loop_says_so(client, table):
    awaitable = client.async_get_item(table, KEY)
    with pytest.raises(RuntimeError, match="no running event loop"):
        awaitable.send(None)
    # Nothing started, so it can still be awaited in a loop.
    assert asyncio.run(awaitable) is None


# --- lazy and awaited once ----------------------------------------------------------------------


def test_nothing_is_sent_until_it_is_awaited(slow_client, proxy, boto, table):
    async def main():
        awaitable = slow_client.async_put_item(table, dict(KEY, n=1))
        await asyncio.sleep(0.3)
        assert proxy.calls["PutItem"] == 0
        assert boto_get(boto, table, KEY) is None
        await awaitable
        assert proxy.calls["PutItem"] == 1

    asyncio.run(main())
    assert boto_get(boto, table, KEY) == dict(KEY, n=1)


def test_an_awaitable_dropped_or_closed_unawaited_never_sends(slow_client, proxy, boto, table):
    dropped = slow_client.async_put_item(table, dict(KEY, n=1))
    closed = slow_client.async_put_item(table, dict(KEY, n=2))
    del dropped
    gc.collect()
    closed.close()
    time.sleep(0.3)
    assert proxy.calls["PutItem"] == 0
    assert boto_get(boto, table, KEY) is None
    with pytest.raises(RuntimeError, match="cannot reuse already awaited DynamoDBClient.async_put_item"):
        asyncio.run(closed)


def test_awaiting_twice_raises_like_a_coroutine(client, table):
    async def main():
        awaitable = client.async_get_item(table, KEY)
        assert await awaitable is None
        with pytest.raises(RuntimeError, match="cannot reuse already awaited DynamoDBClient.async_get_item"):
            await awaitable

    asyncio.run(main())


def test_awaiting_it_from_two_tasks_at_once_raises(slow_client, proxy, table):
    proxy.delay = 0.3

    async def main():
        awaitable = slow_client.async_get_item(table, KEY)
        first = asyncio.create_task(asyncio.wait_for(awaitable, 30))
        await asyncio.sleep(0.05)  # the first task has started it
        with pytest.raises(RuntimeError, match="being awaited already"):
            await awaitable
        return await first

    assert asyncio.run(main()) is None


def test_an_already_decoded_pager_item_cannot_be_awaited_twice(client, boto, table):
    boto_put_many(boto, table, [dict(KEY, sk=str(i)) for i in range(3)])

    async def main():
        pager = client.async_scan(table)
        first = await pager.__anext__()  # fetches the page
        ready = pager.__anext__()  # already decoded: a done awaitable
        second = await ready
        with pytest.raises(RuntimeError, match="cannot reuse"):
            await ready
        return first, second

    first, second = asyncio.run(main())
    assert first != second


# --- results and errors unchanged -----------------------------------------------------------------


def test_errors_are_raised_where_it_is_awaited(client):
    awaitable = client.async_get_item(unique_name("missing"), KEY)  # created: no error yet
    with pytest.raises(ResourceNotFoundException):
        asyncio.run(awaitable)


def test_bad_arguments_still_fail_at_the_call(client, table):
    with pytest.raises(TypeError):
        client.async_get_item(table, "not a key")


# --- cancellation ---------------------------------------------------------------------------------


def test_a_timeout_cancels_the_request(slow_client, proxy, table):
    proxy.delay = 1.0
    assert wait_for_no_tasks(5)

    async def main():
        started = time.monotonic()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(slow_client.async_get_item(table, KEY), timeout=0.2)
        return time.monotonic() - started

    assert asyncio.run(main()) < 1.5
    assert proxy.calls["GetItem"] == 1
    # The request's task was aborted, not left waiting for the proxy's answer.
    assert wait_for_no_tasks(0.5), f"{_async_tasks_in_flight()} task(s) still running"


def test_cancelling_the_task_cancels_the_request(slow_client, proxy, table):
    proxy.delay = 1.0
    assert wait_for_no_tasks(5)

    async def main():
        task = asyncio.create_task(slow_client.async_put_item(table, dict(KEY, n=1)))
        while proxy.calls["PutItem"] == 0:
            await asyncio.sleep(0.01)
        assert _async_tasks_in_flight() == 1
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    assert wait_for_no_tasks(0.5), f"{_async_tasks_in_flight()} task(s) still running"


def test_gather_fan_out_with_a_failure_cancels_the_rest(slow_client, proxy, table):
    proxy.delay = 1.0
    assert wait_for_no_tasks(5)

    async def main():
        slow = [asyncio.ensure_future(slow_client.async_get_item(table, dict(KEY, sk=str(i)))) for i in range(8)]
        await asyncio.sleep(0.1)
        for task in slow:
            task.cancel()
        results = await asyncio.gather(*slow, return_exceptions=True)
        assert all(isinstance(r, asyncio.CancelledError) for r in results)

    asyncio.run(main())
    assert wait_for_no_tasks(0.5), f"{_async_tasks_in_flight()} task(s) still running"


def test_uvloop_runs_it_if_installed(client, boto, table):
    uvloop = pytest.importorskip("uvloop")
    boto_put_many(boto, table, [KEY])

    async def main():
        return await asyncio.gather(*(client.async_get_item(table, KEY) for _ in range(10)))

    assert uvloop.run(main()) == [KEY] * 10
