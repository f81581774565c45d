"""What an `async_` twin returns behaves like a coroutine (issue 9, item 3; ADR 8): it can be
created outside a running loop, sends nothing until awaited, is bound to the loop that
awaits it, can be awaited once, and cancelling the awaiting task stops its request."""

from __future__ import annotations

import asyncio
import collections.abc
import gc
import inspect
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
import time

import pytest

import pydynox
from pydynox.attributes import StringAttribute
from pydynox.config import ModelConfig
from pydynox.exceptions import PydynoxException, ResourceNotFoundException
from pydynox.model import Model
from pydynox.pydynox_core import _async_tasks_in_flight

from faults import Fault, FaultProxy
from support import boto_get, boto_put_many, run_python, unique_name

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
    """A client whose requests the proxy holds for `proxy.delay` seconds. Its timeouts
    outlast every wait of these tests: a held request it gave up on was cancelled, not timed out."""
    return pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=0, read_timeout=600, operation_timeout=600)


def wait_until(condition, within: float = 30.0) -> bool:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


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
        assert inspect.isawaitable(awaitable)
        # Not a native coroutine (`types.CoroutineType`), and the method is not an `async def`:
        # code that tells coroutines apart with `inspect` must use `inspect.isawaitable`.
        assert not inspect.iscoroutine(awaitable)
        assert not inspect.iscoroutinefunction(client.async_get_item)
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
    with pytest.warns(RuntimeWarning, match="was never awaited"):
        del dropped
        gc.collect()
    closed.close()
    time.sleep(0.3)
    assert proxy.calls["PutItem"] == 0
    assert boto_get(boto, table, KEY) is None
    with pytest.raises(RuntimeError, match="cannot reuse already awaited DynamoDBClient.async_put_item"):
        asyncio.run(closed)


def test_one_never_awaited_warns_like_a_coroutine_and_sent_nothing(slow_client, proxy, boto, table):
    assert wait_for_no_tasks(30)
    with pytest.warns(RuntimeWarning, match=r"^coroutine 'DynamoDBClient.async_put_item' was never awaited$"):
        slow_client.async_put_item(table, dict(KEY, n=1))  # dropped at once
        gc.collect()
    assert _async_tasks_in_flight() == 0, "a request was started"
    assert proxy.calls["PutItem"] == 0
    assert boto_get(boto, table, KEY) is None


def never_awaited_warnings(caught):
    return [str(w.message) for w in caught if "never awaited" in str(w.message)]


def test_awaited_closed_or_cancelled_ones_do_not_warn(client, boto, table):
    boto_put_many(boto, table, [KEY])

    async def cancelled_before_its_first_step():
        task = asyncio.create_task(client.async_get_item(table, KEY))
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert asyncio.run(client.async_get_item(table, KEY)) == KEY
        client.async_get_item(table, KEY).close()
        asyncio.run(cancelled_before_its_first_step())
        gc.collect()
    assert never_awaited_warnings(caught) == []


def test_the_warning_does_not_replace_an_exception_being_raised(client, table):
    zero = 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ZeroDivisionError):
            # The awaitable is dropped while the division's error unwinds the expression.
            [client.async_get_item(table, KEY), 1 / zero]
        gc.collect()
    assert len(never_awaited_warnings(caught)) == 1


def test_awaiting_twice_raises_like_a_coroutine(client, table):
    async def main():
        awaitable = client.async_get_item(table, KEY)
        assert await awaitable is None
        with pytest.raises(RuntimeError, match="cannot reuse already awaited DynamoDBClient.async_get_item"):
            await awaitable

    asyncio.run(main())


def test_awaiting_it_from_two_tasks_at_once_raises(slow_client, proxy, table):
    hold_next_get_item(proxy)

    async def main():
        awaitable = slow_client.async_get_item(table, KEY)
        first = asyncio.create_task(awaitable)
        while proxy.calls["GetItem"] == 0:  # the first task has started it: its request is held
            await asyncio.sleep(0.01)
        with pytest.raises(RuntimeError, match="being awaited already"):
            await awaitable
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first

    asyncio.run(main())
    assert wait_until(lambda: proxy.abandoned == 1), "the first task's request was not cancelled"


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
    hold_next_get_item(proxy)
    assert wait_for_no_tasks(30)

    async def main():
        # Held for a minute: only the timeout ends the wait. (2 s leaves time to send the
        # request on a busy machine; it is not a bound on anything.)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(slow_client.async_get_item(table, KEY), timeout=2.0)

    asyncio.run(main())
    assert proxy.calls["GetItem"] == 1
    # The request's task was aborted and its connection dropped, not left waiting for an answer.
    assert wait_for_no_tasks(30), f"{_async_tasks_in_flight()} task(s) still running"
    assert wait_until(lambda: proxy.abandoned == 1), "the request's connection is still open"


def test_cancelling_the_task_cancels_the_request(slow_client, proxy, table):
    proxy.hold_seconds = 600.0
    proxy.inject("PutItem", Fault.HOLD)
    assert wait_for_no_tasks(30)

    async def main():
        task = asyncio.create_task(slow_client.async_put_item(table, dict(KEY, n=1)))
        while proxy.calls["PutItem"] == 0:
            await asyncio.sleep(0.01)
        assert _async_tasks_in_flight() == 1
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    assert wait_for_no_tasks(30), f"{_async_tasks_in_flight()} task(s) still running"
    assert wait_until(lambda: proxy.abandoned == 1), "the request's connection is still open"


def test_a_failure_in_a_task_group_cancels_the_rest(slow_client, proxy, table):
    """Eight reads in a TaskGroup: the proxy holds seven and fails the last to arrive, so the
    failure comes once all are in flight; the group cancels the seven, whose requests are
    abandoned (their connections dropped), and nothing keeps running."""
    proxy.hold_seconds = 600.0
    proxy.inject("GetItem", Fault.HOLD, *range(1, 8))
    proxy.inject("GetItem", Fault.SERVER_ERROR, 8)
    assert wait_for_no_tasks(30)

    async def main():
        async with asyncio.TaskGroup() as group:
            for i in range(8):
                group.create_task(slow_client.async_get_item(table, dict(KEY, sk=str(i))))

    with pytest.raises(ExceptionGroup) as raised:
        asyncio.run(main())

    # HTTP 500 is PydynoxException itself (tests/test_fault_paths.py RAISES).
    assert [type(e) for e in raised.value.exceptions] == [PydynoxException], raised.value.exceptions
    assert proxy.calls["GetItem"] == 8
    assert wait_for_no_tasks(30), f"{_async_tasks_in_flight()} task(s) still running"
    assert wait_until(lambda: proxy.abandoned == 7), f"{proxy.abandoned} of the 7 held requests were abandoned"


def test_uvloop_runs_it_if_installed(client, boto, table):
    uvloop = pytest.importorskip("uvloop")
    boto_put_many(boto, table, [KEY])

    async def main():
        return await asyncio.gather(*(client.async_get_item(table, KEY) for _ in range(10)))

    assert uvloop.run(main()) == [KEY] * 10


# --- waking the loop (ADR 8): a socket per loop, or call_soon_threadsafe without add_reader ----


class NoReaderLoop(asyncio.SelectorEventLoop):
    """A loop without `add_reader`, like Windows' proactor loop: the awaitables fall back to
    waking it with `call_soon_threadsafe`."""

    def add_reader(self, *args):
        raise NotImplementedError


def _uvloop():
    try:
        import uvloop
    except ImportError:
        return pytest.param(None, id="uvloop", marks=pytest.mark.skip(reason="uvloop is not installed"))
    return pytest.param(uvloop.new_event_loop, id="uvloop")


LOOPS = [pytest.param(asyncio.new_event_loop, id="asyncio"), pytest.param(NoReaderLoop, id="no-add_reader"), _uvloop()]


def hold_next_get_item(proxy):
    """The proxy holds the next GetItem until its client hangs up (counted in
    `proxy.abandoned`), or for ten minutes."""
    proxy.hold_seconds = 600.0
    proxy.inject("GetItem", Fault.HOLD, proxy.calls["GetItem"] + 1)


def run_on(loop_factory, main):
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        return runner.run(main)


@pytest.mark.parametrize("loop_factory", LOOPS)
def test_one_after_another_gathered_and_cancelled_on_each_kind_of_loop(loop_factory, slow_client, proxy, boto, table):
    boto_put_many(boto, table, [dict(KEY, sk=str(i)) for i in range(10)])
    assert wait_for_no_tasks(30)

    async def main():
        one_by_one = [await slow_client.async_get_item(table, dict(KEY, sk=str(i))) for i in range(10)]
        gathered = await asyncio.gather(*(slow_client.async_get_item(table, dict(KEY, sk=str(i))) for i in range(10)))
        hold_next_get_item(proxy)
        held = asyncio.create_task(slow_client.async_get_item(table, KEY))
        while proxy.calls["GetItem"] < 21:
            await asyncio.sleep(0.01)
        held.cancel()
        with pytest.raises(asyncio.CancelledError):
            await held
        return one_by_one, gathered

    one_by_one, gathered = run_on(loop_factory, main())
    assert one_by_one == gathered == [dict(KEY, sk=str(i)) for i in range(10)]
    assert wait_for_no_tasks(30), "the cancelled request's task is still running"
    assert wait_until(lambda: proxy.abandoned == 1), "the cancelled request's connection is still open"


def our_readers(loop):
    return [key for key in loop._selector.get_map().values() if type(key.data[0]._callback).__name__ == "_LoopWaker"]


def test_an_asyncio_loop_is_woken_through_one_socket_registered_once(client, boto, table):
    boto_put_many(boto, table, [KEY])

    async def main():
        loop = asyncio.get_running_loop()
        assert our_readers(loop) == []
        for _ in range(5):
            await client.async_get_item(table, KEY)
        await asyncio.gather(*(client.async_get_item(table, KEY) for _ in range(10)))
        return len(our_readers(loop))

    assert asyncio.run(main()) == 1
    assert run_on(NoReaderLoop, main()) == 0


def open_descriptors():
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors through /proc")
def test_each_loop_s_socket_goes_with_the_loop(client, boto, table):
    boto_put_many(boto, table, [KEY])
    assert asyncio.run(client.async_get_item(table, KEY)) == KEY
    gc.collect()
    before = open_descriptors()
    for _ in range(30):
        assert asyncio.run(client.async_get_item(table, KEY)) == KEY
    gc.collect()
    assert open_descriptors() - before < 10, "each event loop left descriptors behind"


def test_threads_each_running_their_own_loop(client, boto, table):
    boto_put_many(boto, table, [dict(KEY, sk=str(i)) for i in range(8)])

    def in_a_thread(n):
        async def main():
            one = await client.async_get_item(table, dict(KEY, sk=str(n)))
            many = await asyncio.gather(*(client.async_get_item(table, dict(KEY, sk=str(i))) for i in range(8)))
            return one, many

        return asyncio.run(main())

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(in_a_thread, range(8), timeout=120))
    assert results == [(dict(KEY, sk=str(n)), [dict(KEY, sk=str(i)) for i in range(8)]) for n in range(8)]


@pytest.mark.parametrize("loop_factory", LOOPS[:2])
def test_a_request_finishing_after_its_loop_closed_troubles_nobody(loop_factory, slow_client, proxy, boto, table):
    """The request still runs (its task is kept), and its wake-up finds the loop closed."""
    proxy.delay = 0.3
    loop = loop_factory()
    task = loop.create_task(slow_client.async_put_item(table, dict(KEY, n=1)))

    async def until_sent():
        while proxy.calls["PutItem"] == 0:
            await asyncio.sleep(0.01)

    loop.run_until_complete(until_sent())
    loop.close()
    assert wait_until_stored(boto, table, dict(KEY, n=1))
    assert wait_for_no_tasks(30)
    task._log_destroy_pending = False  # it is pending for good: its loop is gone
    # The next loop works as usual.
    assert asyncio.run(slow_client.async_get_item(table, KEY)) == dict(KEY, n=1)


def wait_until_stored(boto, table, item, within=30.0):
    deadline = time.monotonic() + within
    while boto_get(boto, table, {"pk": item["pk"], "sk": item["sk"]}) != item:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


CTRL_C = r"""
import asyncio, os, signal, sys, threading, time, pydynox
from pydynox.pydynox_core import _async_tasks_in_flight

# A process started in the background by a shell without job control inherits SIGINT
# ignored, and Python then leaves it ignored; this test is about Ctrl-C reaching the loop.
signal.signal(signal.SIGINT, signal.default_int_handler)
client = pydynox.DynamoDBClient(endpoint_url=sys.argv[1], region="us-east-1", max_retries=0)

def interrupt_once_sent():
    while not _async_tasks_in_flight():
        time.sleep(0.005)
    os.kill(os.getpid(), signal.SIGINT)

threading.Thread(target=interrupt_once_sent, daemon=True).start()
try:
    asyncio.run(client.async_get_item(sys.argv[2], {"pk": "a", "sk": "b"}))
    print("not interrupted")
except KeyboardInterrupt:
    deadline = time.monotonic() + 30
    while _async_tasks_in_flight() and time.monotonic() < deadline:
        time.sleep(0.01)
    print("interrupted, in flight:", _async_tasks_in_flight())
"""


def test_ctrl_c_while_awaiting_cancels_the_request(slow_client, proxy, table):
    hold_next_get_item(proxy)
    done = run_python(CTRL_C, proxy.endpoint, table, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "interrupted, in flight: 0"


FORK_BETWEEN_RUNS_OF_A_LOOP = r"""
import asyncio, os, sys, pydynox

client = pydynox.DynamoDBClient(endpoint_url=sys.argv[1], region="us-east-1")
key = {"pk": "a", "sk": "b"}
loop = asyncio.new_event_loop()
first = loop.run_until_complete(client.async_get_item(sys.argv[2], key))  # the loop has its waker now
pid = os.fork()
if pid == 0:  # the child runs the loop it inherited (its selector is shared with the parent)
    second = loop.run_until_complete(asyncio.wait_for(client.async_get_item(sys.argv[2], key), 60))
    os._exit(0 if first == second == key else 3)
_, status = os.waitpid(pid, 0)
third = loop.run_until_complete(client.async_get_item(sys.argv[2], key))
print(os.waitstatus_to_exitcode(status), third == key)
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_child_forked_between_runs_of_a_loop_can_run_it(moto_endpoint, boto, table):
    boto_put_many(boto, table, [KEY])
    done = run_python(FORK_BETWEEN_RUNS_OF_A_LOOP, moto_endpoint, table, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "True"], done.stderr
