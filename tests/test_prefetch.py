"""Page prefetch (issue 9 item 4, ADR 7): while the caller works through one page, the next
one is already requested. These tests watch the requests at a loopback proxy in front of
moto, so they check structure (which request was made when, asking for what), not timings."""

from __future__ import annotations

import asyncio
import gc
import json
import queue
import subprocess
import sys
import threading
import time

import pytest

from pydynox.exceptions import PydynoxException

from faults import Fault
from support import boto_put_many

ITEMS = [{"pk": "p", "sk": f"{i:02d}", "n": i} for i in range(6)]
QUERY = {"key_condition_expression": "pk = :p", "expression_attribute_values": {":p": "p"}}
END = object()


@pytest.fixture
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def open_query(client, mode, loop, table, **kwargs):
    """(result, step): step() hands out the next item (END when there is none) through the
    sync iterator or, in async mode, one `__anext__` awaited on `loop`."""
    if mode == "sync":
        result = client.query(table, **QUERY, **kwargs)
        return result, lambda: next(result, END)
    result = client.async_query(table, **QUERY, **kwargs)

    async def anext_item():
        try:
            return await result.__anext__()
        except StopAsyncIteration:
            return END

    return result, lambda: loop.run_until_complete(anext_item())


def rest(step):
    items = []
    while (item := step()) is not END:
        items.append(item)
    return items


def wait_until(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def sent_limits(proxy, operation="Query"):
    return [json.loads(body).get("Limit") for op, body in proxy.requests if op == operation]


def test_next_page_is_requested_while_the_caller_is_on_the_current_one(proxied, proxy, boto, table, mode, loop):
    boto_put_many(boto, table, ITEMS)
    result, step = open_query(proxied, mode, loop, table, page_size=2)

    first = step()
    # The caller holds page 1's first item and has not asked for more: page 2's request
    # can only come from the prefetch.
    assert wait_until(lambda: proxy.calls["Query"] == 2), "page 2 was not requested while page 1 was being read"
    time.sleep(0.2)
    assert proxy.calls["Query"] == 2, "more than one page was requested ahead"
    second = step()
    assert [first, second] == ITEMS[:2]
    assert proxy.calls["Query"] == 2

    third = step()  # page 2, already here; page 3 goes out now
    assert wait_until(lambda: proxy.calls["Query"] == 3)
    assert [first, second, third, *rest(step)] == ITEMS


@pytest.mark.parametrize(
    "limit, page_size, limits",
    [(5, 2, [2, 2, 1]), (4, 2, [2, 2]), (3, None, [3]), (6, 4, [4, 2])],
)
def test_prefetch_never_asks_past_limit(proxied, proxy, boto, table, mode, loop, limit, page_size, limits):
    boto_put_many(boto, table, ITEMS + [{"pk": "p", "sk": f"{i:02d}"} for i in range(6, 9)])
    result, step = open_query(proxied, mode, loop, table, limit=limit, page_size=page_size)

    items = rest(step)
    time.sleep(0.2)  # a request made ahead by mistake would arrive meanwhile

    assert items == ITEMS[:limit]
    assert sent_limits(proxy) == limits
    # The key is that of the last item handed out: resuming skips nothing.
    resumed = list(proxied.query(table, **QUERY, last_evaluated_key=result.last_evaluated_key))
    assert [i["sk"] for i in resumed] == [f"{i:02d}" for i in range(limit, 9)]


def test_resume_key_is_the_page_being_read_not_the_one_fetched_ahead(proxied, proxy, boto, table, mode, loop):
    boto_put_many(boto, table, ITEMS)
    result, step = open_query(proxied, mode, loop, table, page_size=2)

    seen = [step(), step(), step()]  # into page 2
    assert wait_until(lambda: proxy.calls["Query"] == 3)  # page 3 is on its way
    key = result.last_evaluated_key

    assert key == {"pk": "p", "sk": "02"}, "the key is the last item handed out, not a page's end (ADR 24)"
    assert seen == ITEMS[:3]
    assert list(proxied.query(table, **QUERY, last_evaluated_key=key)) == ITEMS[3:]


def test_dropping_the_iterator_stops_requests(proxied, proxy, boto, table, mode, loop):
    boto_put_many(boto, table, ITEMS)
    proxy.hold_seconds = 60.0  # page 2 is held until its client hangs up
    proxy.inject("Query", Fault.HOLD, 2)
    result, step = open_query(proxied, mode, loop, table, page_size=1)
    assert step() == ITEMS[0]
    assert wait_until(lambda: proxy.calls["Query"] == 2)  # page 2 in flight, held

    del result, step
    gc.collect()

    assert wait_until(lambda: proxy.abandoned == 1), "the request made ahead was not cancelled"
    time.sleep(0.5)
    assert proxy.calls["Query"] == 2, "requests went on after the iterator was dropped"


def test_a_failed_prefetched_page_raises_where_it_is_needed(proxied, proxy, boto, table, mode, loop):
    boto_put_many(boto, table, ITEMS)
    proxy.fail_on = {"Query": {2}}
    result, step = open_query(proxied, mode, loop, table, page_size=2)

    first = step()
    assert wait_until(lambda: proxy.calls["Query"] == 2 and proxy.active == 0)  # page 2 has already failed
    second = step()  # still page 1: buffered items come first
    assert [first, second] == ITEMS[:2]

    with pytest.raises(PydynoxException) as raised:
        step()
    assert "injected failure" in str(raised.value)
    assert "query on table" in str(raised.value)
    # The failed page's key was not consumed: the next step asks for page 2 again.
    assert rest(step) == ITEMS[2:]


CANCEL_MID_ITERATION = r"""
import asyncio, gc, sys, time, pydynox
from pydynox.pydynox_core import _async_tasks_in_flight

endpoint, table = sys.argv[1], sys.argv[2]
client = pydynox.DynamoDBClient(endpoint_url=endpoint, region="us-east-1", max_retries=0)

def go_ahead():
    # Blocks the loop on purpose: nothing of ours needs it while the test looks at the proxy.
    assert sys.stdin.readline() == "go\n"

async def consume(seen):
    async for item in client.async_query(
        table, key_condition_expression="pk = :p", expression_attribute_values={":p": "p"}, page_size=1
    ):
        seen.append(item)
        print("item", len(seen), flush=True)
        go_ahead()

async def main():
    seen = []
    task = asyncio.create_task(consume(seen))
    while len(seen) < 2:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0)  # the task now awaits page 3, requested ahead and held by the proxy
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    gc.collect()
    # A cancelled request ends at once; the proxy would hold one left running for minutes.
    deadline = time.monotonic() + 60
    while _async_tasks_in_flight() and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    print("in flight", _async_tasks_in_flight(), "other tasks", len(others), flush=True)
    go_ahead()  # the test checks the proxy saw the request abandoned while this process lives

asyncio.run(main())
gc.collect()
"""


class Child:
    """A Python subprocess driven line by line: `expect` reads its next line of output (or
    fails if none comes within `timeout`), `send` writes one to its standard input."""

    def __init__(self, code: str, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put("<end of output>")

    def expect(self, timeout: float = 60) -> str:
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"no output from the child within {timeout} s")

    def send(self, line: str) -> None:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()


def test_cancelling_an_async_for_leaves_nothing_behind(proxy, boto, table):
    # Async only: cancelling an awaiting task; a sync iteration is interrupted by Ctrl-C (test_timeouts.py).
    """Each step waits for an event (the proxy got the request, the child reached a line),
    never for a duration: the timeouts only turn a hang into a failure."""
    boto_put_many(boto, table, ITEMS)
    child = Child(CANCEL_MID_ITERATION, proxy.endpoint, table)
    try:
        assert child.expect() == "item 1"
        # Page 2 was requested ahead: once it is answered, later requests are held.
        assert wait_until(lambda: proxy.calls["Query"] == 2 and proxy.active == 0, timeout=60)
        proxy.hold_seconds = 60.0  # only a hang turns into a failure
        proxy.inject("Query", Fault.HOLD, 3)  # held until the client hangs up
        child.send("go")

        assert child.expect() == "item 2"
        assert wait_until(lambda: proxy.calls["Query"] == 3, timeout=60), "page 3 was not requested ahead"
        child.send("go")  # the child cancels its task while page 3 is held

        assert child.expect(timeout=120) == "in flight 0 other tasks 0", "the cancelled request's task is still running"
        assert wait_until(lambda: proxy.abandoned == 1, timeout=60), "the page requested ahead was not cancelled with the task"
        child.send("go")
        child.process.wait(timeout=60)  # exit has no task left to wait for
        stderr = child.process.stderr.read()
    finally:
        child.process.kill()
        child.process.wait()

    assert child.process.returncode == 0, stderr
    assert stderr == "", "warnings or errors at cancellation or exit"
    assert proxy.calls["Query"] == 3, "requests went on after the task was cancelled"


def test_model_query_reads_ahead_too(proxied, proxy, boto, table, mode, loop):
    """Model results iterate the client's pagers, so they fetch ahead the same way."""
    from pydynox.attributes import NumberAttribute, StringAttribute
    from pydynox.config import ModelConfig
    from pydynox.model import Model

    class Row(Model):
        model_config = ModelConfig(table=table, client=proxied)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        n = NumberAttribute()

    boto_put_many(boto, table, ITEMS)
    if mode == "sync":
        rows = iter(Row.query("p", page_size=2))
        step = lambda: next(rows, END)  # noqa: E731
    else:
        rows = Row.async_query("p", page_size=2).__aiter__()

        async def anext_row():
            try:
                return await rows.__anext__()
            except StopAsyncIteration:
                return END

        step = lambda: loop.run_until_complete(anext_row())  # noqa: E731

    first = step()
    assert wait_until(lambda: proxy.calls["Query"] == 2), "page 2 was not requested while page 1 was being read"
    assert [r.sk for r in [first, *rest(step)]] == [i["sk"] for i in ITEMS]


FORK_MID_ITERATION = r"""
import os, sys, pydynox

client = pydynox.DynamoDBClient(endpoint_url=sys.argv[1], region="us-east-1", max_retries=0)
result = client.query(
    sys.argv[2], key_condition_expression="pk = :p", expression_attribute_values={":p": "p"}, page_size=2
)
first = next(result)  # page 2 is now requested ahead, on this process's runtime
print("first item", flush=True)
sys.stdin.readline()  # the test lets us fork once the proxy holds that request
pid = os.fork()
if pid == 0:
    print(len([first, *result]), flush=True)  # the child has no such runtime: it asks itself
    os._exit(0)
_, status = os.waitpid(pid, 0)
os._exit(os.waitstatus_to_exitcode(status))
"""


def test_a_forked_child_fetches_the_page_its_parent_requested_ahead(proxy, boto, table):
    """The fork waits until the parent's request for page 2 has reached the proxy: forking
    earlier would let the child's own request for page 2 arrive first and be the one held."""
    boto_put_many(boto, table, ITEMS)
    proxy.hold_seconds = 60.0  # page 2 is still in flight when the process forks: held
    proxy.inject("Query", Fault.HOLD, 2)

    child = Child(FORK_MID_ITERATION, proxy.endpoint, table)
    try:
        assert child.expect() == "first item"
        assert wait_until(lambda: proxy.calls["Query"] == 2, timeout=60), "page 2 was not requested ahead"
        child.send("go")
        count = child.expect(timeout=120)
        child.process.wait(timeout=60)
        stderr = child.process.stderr.read()
    finally:
        child.process.kill()
        child.process.wait()

    assert child.process.returncode == 0, stderr
    assert count == "6", stderr
    assert proxy.calls["Query"] >= 3, "the child did not ask for page 2 itself"
