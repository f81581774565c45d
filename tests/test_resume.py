"""Pagers never lose their place: a failed or cancelled fetch leaves the resume key where it
was (issue 7, defects 1, 2 and 5), and cancelling an awaiting task leaves nothing behind."""

from __future__ import annotations

import asyncio
import time

import pytest

import pydynox
from pydynox.exceptions import PydynoxException

from support import boto_put_many, collect, run_python, slow_dynamodb

# Every test here runs over both request paths (ADR 12).
pytestmark = pytest.mark.usefixtures("request_path")

ITEMS = [{"pk": "p", "sk": f"{i:02d}", "n": i} for i in range(3)]


def step_through_failure(client, proxy, table, mode, operation, **kwargs):
    """Takes one item, the request of the second page failing, then iterates to the end.
    That request is made ahead of time (prefetch, ADR 7), so the proxy fails it by number."""
    proxy.fail_on = {operation.capitalize(): {2}}
    if mode == "sync":
        result = getattr(client, operation)(table, page_size=1, **kwargs)
        seen = [next(result)]
        with pytest.raises(PydynoxException):
            next(result)
        return seen + list(result)

    async def run():
        result = getattr(client, f"async_{operation}")(table, page_size=1, **kwargs)
        seen = [await result.__anext__()]
        with pytest.raises(PydynoxException):
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


def test_cancelled_fetch_keeps_the_resume_key(proxied, proxy, boto, table):
    boto_put_many(boto, table, ITEMS)

    async def run():
        result = proxied.async_query(
            table, key_condition_expression="pk = :p", expression_attribute_values={":p": "p"}, page_size=1
        )
        # Slow from the start: the second page is requested ahead, as the first arrives.
        proxy.delay = 0.5
        seen = [await result.__anext__()]
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(result.__anext__(), 0.05)
        proxy.delay = 0.0
        return seen + [item async for item in result]

    assert asyncio.run(run()) == ITEMS


def test_last_evaluated_key_is_unchanged_by_a_failed_fetch(proxied, proxy, boto, table):
    boto_put_many(boto, table, ITEMS)
    proxy.fail_on = {"Scan": {2}}  # the second page, requested ahead of time (ADR 7)
    result = proxied.scan(table, page_size=1)
    next(result)
    key = result.last_evaluated_key

    with pytest.raises(PydynoxException):
        next(result)

    assert result.last_evaluated_key == key
    rest = list(proxied.scan(table, last_evaluated_key=key))
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
        assert "middle of a page" in doc and "limit" in doc, doc


# --- cancelling a task that awaits a twin ---------------------------------------------------

CANCEL_THEN_EXIT = r"""
import asyncio, sys, time, pydynox

client = pydynox.DynamoDBClient(endpoint_url=sys.argv[1], region="us-east-1", max_retries=0)

async def get(i):
    return await client.async_get_item("t", {"pk": str(i)})

async def main():
    tasks = [asyncio.create_task(get(i)) for i in range(20)]
    await asyncio.sleep(0.3)
    for task in tasks:
        task.cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert all(isinstance(r, asyncio.CancelledError) for r in results), results

asyncio.run(main())
print("exiting", time.monotonic(), flush=True)
"""


def test_exit_after_cancelled_tasks_is_prompt():
    """Cancelled twins drop their Rust future: nothing is left for the exit hook to wait on
    (it would wait up to 5 s for a task still running)."""
    with slow_dynamodb(delay=30.0) as endpoint:
        done = run_python(CANCEL_THEN_EXIT, endpoint, timeout=60)
        ended = time.monotonic()

    assert done.returncode == 0, done.stderr
    exiting = float(done.stdout.split()[-1])
    assert ended - exiting < 2.0, f"exit took {ended - exiting:.1f} s after cancelling"


FORK_WITH_TASK_IN_FLIGHT = r"""
import asyncio, os, sys, threading, time, pydynox

client = pydynox.DynamoDBClient(endpoint_url=sys.argv[1], region="us-east-1", max_retries=0)

def background():
    async def slow():
        try:
            await client.async_get_item("t", {"pk": "a"})
        except Exception:
            pass
    asyncio.run(slow())

threading.Thread(target=background, daemon=True).start()
time.sleep(0.5)  # the twin's task is in flight in this process
pid = os.fork()
if pid == 0:
    sys.exit(0)  # the child has no task in flight: its exit must not wait for the parent's
started = time.monotonic()
os.waitpid(pid, 0)
print(time.monotonic() - started)
os._exit(0)
"""


def test_forked_child_does_not_wait_for_the_parents_tasks_at_exit():
    with slow_dynamodb(delay=30.0) as endpoint:
        done = run_python(FORK_WITH_TASK_IN_FLIGHT, endpoint, timeout=60)

    assert done.returncode == 0, done.stderr
    assert float(done.stdout.split()[-1]) < 2.0, "the child waited for tasks it does not have"
