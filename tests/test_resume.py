"""Pagers never lose their place: a failed or cancelled fetch leaves the resume key where it
was (issue 7, defects 1, 2 and 5), and cancelling an awaiting task leaves nothing behind."""

from __future__ import annotations

import asyncio

import pytest

import pydynox
from pydynox.exceptions import PydynoxException, RequestTimeoutException

from faults import Fault
from support import boto_put_many, collect, run_python, slow_dynamodb, wait_until

# Every test here runs over both request paths (ADR 12).
pytestmark = pytest.mark.usefixtures("request_path")

ITEMS = [{"pk": "p", "sk": f"{i:02d}", "n": i} for i in range(3)]


def step_through_failure(client, proxy, table, mode, operation, error=PydynoxException, **kwargs):
    """Takes one item, the request of the second page failing, then iterates to the end.
    That request is made ahead of time (prefetch, ADR 7), so the proxy fails it by number
    (with an HTTP 500 unless the test planned another fault for it)."""
    if not proxy.faults:
        proxy.fail_on = {operation.capitalize(): {2}}
    if mode == "sync":
        result = getattr(client, operation)(table, page_size=1, **kwargs)
        seen = [next(result)]
        with pytest.raises(error):
            next(result)
        return seen + list(result)

    async def run():
        result = getattr(client, f"async_{operation}")(table, page_size=1, **kwargs)
        seen = [await result.__anext__()]
        with pytest.raises(error):
            await result.__anext__()
        return seen + [item async for item in result]

    return asyncio.run(run())


def test_scan_resumes_after_a_failed_fetch(proxied, proxy, boto, table, mode):
    boto_put_many(boto, table, ITEMS)

    items = step_through_failure(proxied, proxy, table, mode, "scan")

    assert sorted(items, key=lambda i: i["sk"]) == ITEMS


def test_query_resumes_after_a_failed_fetch(proxied, proxy, boto, table, mode):
    boto_put_many(boto, table, ITEMS)

    items = step_through_failure(
        proxied,
        proxy,
        table,
        mode,
        "query",
        key_condition_expression="pk = :p",
        expression_attribute_values={":p": "p"},
    )

    assert items == ITEMS


def test_a_timed_out_fetch_is_asked_again(fault_client, proxy, boto, table, mode):
    boto_put_many(boto, table, ITEMS)
    proxy.hold_seconds = 60.0  # page 2 is held until the client's read timeout hangs up
    proxy.inject("Query", Fault.HOLD, 2)
    client = fault_client(read_timeout=0.75, max_retries=0)

    items = step_through_failure(
        client, proxy, table, mode, "query", RequestTimeoutException, key_condition_expression="pk = :p", expression_attribute_values={":p": "p"}
    )

    assert items == ITEMS
    assert proxy.abandoned == 1
    assert [n for op, n, _ in proxy.injected if op == "Query"] == [2]
    assert proxy.calls["Query"] >= 3, "page 2 was asked for again"


def test_cancelled_fetch_keeps_the_resume_key(fault_client, proxy, boto, table):
    """A cancelled fetch of its own (page 1) is dropped, its connection closed, and asked for
    again; a cancelled wait for the page fetched ahead (page 2) leaves that request running
    for the next call to wait on (pager.rs). Either way no item is lost or repeated."""
    # Async only: cancelling the awaiting task is how an async fetch is stopped (Ctrl-C in the
    # middle of a sync iteration is in test_timeouts.py).
    boto_put_many(boto, table, ITEMS)
    # Held for ten minutes, and the client's read timeout is as long: a request given up
    # on within the test's waits was cancelled, not timed out.
    proxy.hold_seconds = 600.0
    proxied = fault_client(max_retries=0, read_timeout=600, operation_timeout=600)
    proxy.inject("Query", Fault.HOLD, 1)  # page 1, until the client hangs up
    ahead = proxy.gate("Query", 3)  # page 2 once page 1 came again, until the test opens it

    async def cancel_once_sent(result, requests):
        task = asyncio.ensure_future(result.__anext__())
        while proxy.calls["Query"] < requests:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    async def run():
        result = proxied.async_query(
            table, key_condition_expression="pk = :p", expression_attribute_values={":p": "p"}, page_size=1
        )
        await cancel_once_sent(result, 1)
        assert wait_until(lambda: proxy.abandoned == 1), "the cancelled fetch's request is still open"
        seen = [await result.__anext__()]  # page 1 asked for again; page 2 goes out ahead
        await cancel_once_sent(result, 3)
        ahead.set()
        return seen + [item async for item in result]

    assert asyncio.run(run()) == ITEMS
    assert proxy.abandoned == 1, "the page requested ahead was kept, not dropped"


def test_last_evaluated_key_is_unchanged_by_a_failed_fetch(proxied, proxy, boto, table, mode):
    boto_put_many(boto, table, ITEMS)
    proxy.fail_on = {"Scan": {2}}  # the second page, requested ahead of time (ADR 7)

    async def through_async():
        result = proxied.async_scan(table, page_size=1)
        await result.__anext__()
        key = result.last_evaluated_key
        with pytest.raises(PydynoxException):
            await result.__anext__()
        return key, result.last_evaluated_key

    if mode == "sync":
        result = proxied.scan(table, page_size=1)
        next(result)
        key = result.last_evaluated_key
        with pytest.raises(PydynoxException):
            next(result)
        after = result.last_evaluated_key
    else:
        key, after = asyncio.run(through_async())

    assert after == key
    rest, _ = collect(proxied, mode, "scan", table, last_evaluated_key=key)
    assert len(rest) == 2, "resuming from the key gives exactly the items not yet seen"


def test_last_evaluated_key_with_limit_resumes_exactly(client, boto, table, mode):
    """With `limit`, requests never ask for more than the limit needs, so the key of a
    partial iteration is exact (the documented case of defect 2)."""
    items = [{"pk": "p", "sk": f"{i:02d}"} for i in range(7)]
    boto_put_many(boto, table, items)
    query = {"key_condition_expression": "pk = :p", "expression_attribute_values": {":p": "p"}}

    head, first = collect(client, mode, "query", table, limit=3, page_size=2, **query)
    rest, _ = collect(client, mode, "query", table, last_evaluated_key=first.last_evaluated_key, **query)

    assert head + rest == items


def test_pager_docs_say_when_the_key_is_exact():
    for pager in (pydynox.QueryResult, pydynox.AsyncScanResult):
        doc = pager.last_evaluated_key.__doc__
        assert "middle of a page" in doc and "last item handed out" in doc and "DescribeTable" in doc, doc


# --- cancelling a task that awaits a twin ---------------------------------------------------

CANCEL_THEN_EXIT = r"""
import asyncio, sys, time, pydynox
from pydynox.pydynox_core import _async_tasks_in_flight

# Its timeouts outlast the wait below: a task that ends there was aborted, not timed out.
client = pydynox.DynamoDBClient(endpoint_url=sys.argv[1], region="us-east-1", max_retries=0, read_timeout=600, operation_timeout=600)

async def get(i):
    return await client.async_get_item("t", {"pk": str(i)})

async def main():
    tasks = [asyncio.create_task(get(i)) for i in range(20)]
    while _async_tasks_in_flight() < 20:  # every request is out, waiting for the server
        await asyncio.sleep(0.01)
    for task in tasks:
        task.cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert all(isinstance(r, asyncio.CancelledError) for r in results), results

asyncio.run(main())
# The exit hook waits while a twin's task is in flight. Aborted tasks end on the runtime's
# threads soon after; ones left running would wait for the server's answer, minutes away.
deadline = time.monotonic() + 60
while _async_tasks_in_flight() and time.monotonic() < deadline:
    time.sleep(0.01)
print("in flight at exit", _async_tasks_in_flight(), flush=True)
"""


def test_exit_after_cancelled_tasks_is_prompt():
    """Cancelled twins drop their Rust future: nothing is left for the exit hook to wait on
    (it would wait up to 5 s for a task still running)."""
    with slow_dynamodb(delay=600.0) as endpoint:
        done = run_python(CANCEL_THEN_EXIT, endpoint, timeout=120)

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "in flight at exit 0"


FORK_WITH_TASK_IN_FLIGHT = r"""
import asyncio, os, sys, threading, time, pydynox
from pydynox.pydynox_core import _async_tasks_in_flight

client = pydynox.DynamoDBClient(endpoint_url=sys.argv[1], region="us-east-1", max_retries=0)

def background():
    async def slow():
        try:
            await client.async_get_item("t", {"pk": "a"})
        except Exception:
            pass
    asyncio.run(slow())

threading.Thread(target=background, daemon=True).start()
while _async_tasks_in_flight() != 1:  # the twin's task is in flight in this process
    time.sleep(0.01)
pid = os.fork()
if pid == 0:
    # The exit hook waits while a task is in flight: the child has none of the parent's.
    print("child in flight", _async_tasks_in_flight(), flush=True)
    sys.exit(0)
_, status = os.waitpid(pid, 0)
print("child exit", os.waitstatus_to_exitcode(status), flush=True)
os._exit(0)
"""


def test_forked_child_does_not_wait_for_the_parents_tasks_at_exit():
    with slow_dynamodb(delay=30.0) as endpoint:
        done = run_python(FORK_WITH_TASK_IN_FLIGHT, endpoint, timeout=60)

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["child in flight 0", "child exit 0"], done.stdout
