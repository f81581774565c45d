"""Batch writers and batch get under faults (issue 16, items 1, 2 and 5), through the fault
proxy (tests/faults.py), both twins, both request paths:

- 10,000 items with 30% of every request's writes handed back unprocessed and every tenth
  request throttled: exactly those items end up in the table (boto3 scan), no error; batch
  get of the same keys returns each item once.
- the server stops answering mid-run: the error lists exactly the items not written, and
  every other item is in the table.
- while an AsyncBatchWriter waits out a backoff, other asyncio tasks keep running.
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import Callable
from typing import Any

import pytest

from faults import Fault, hold_back_writes
from pydynox import AsyncBatchWriter, BatchWriter, DynamoDBClient
from pydynox.exceptions import ConnectionException, ProvisionedThroughputExceededException
from support import boto_scan, by_key, call
from test_batch_writer import items, run_writer

Hook = Callable[[dict], tuple[dict, Callable[[dict], dict]]]


def hold_back_share(share: float, operation_key: str, seed: int = 16) -> Hook:
    """An `intercept` hook for BatchWriteItem or BatchGetItem: a random `share` of every
    request's writes (or keys) is not sent to moto and comes back unprocessed."""
    rng = random.Random(seed)
    lock = threading.Lock()

    def hook(request: dict) -> tuple[dict, Callable[[dict], dict]]:
        table, entry = next(iter(request["RequestItems"].items()))
        listed = entry if operation_key == "UnprocessedItems" else entry["Keys"]
        with lock:
            held_at = {i for i in range(len(listed)) if rng.random() < share}
        held = [x for i, x in enumerate(listed) if i in held_at]
        kept = [x for i, x in enumerate(listed) if i not in held_at]
        if operation_key == "UnprocessedItems":
            request["RequestItems"][table] = kept
        else:
            request["RequestItems"][table] = {**entry, "Keys": kept}
        if not kept:
            del request["RequestItems"][table]

        def answer(answer: dict) -> dict:
            if held:
                back = held if operation_key == "UnprocessedItems" else {**entry, "Keys": held}
                answer.setdefault(operation_key, {})[table] = back
            return answer

        return request, answer

    return hook


N = 10_000


def test_ten_thousand_items_survive_unprocessed_items_and_throttling(proxy, boto, table, mode):
    # The default request path only (direct, ADR 28): 10,000 items through the SDK path too
    # would double the file's time; tests/test_multi_item_paths.py and test_fault_paths.py
    # (-k batch) send unprocessed items, throttles and 500s through both paths.
    client = DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=3)
    proxy.intercept["BatchWriteItem"] = hold_back_share(0.3, "UnprocessedItems")
    proxy.intercept["BatchGetItem"] = hold_back_share(0.3, "UnprocessedKeys")
    # Every tenth request of each action is throttled once; the client's retry sends it
    # again and goes through. (Counted by arrival, a retry could land on a tenth request
    # again among concurrent ones, and four in a row would rightly exhaust max_retries=3.)
    proxy.spare_resends = True
    for action in ("BatchWriteItem", "BatchGetItem"):
        proxy.inject(action, Fault.THROTTLED, *range(10, 20 * N, 10))
    written = items(N)

    run_writer(mode, client, table, [("put", item) for item in written])

    assert by_key(boto_scan(boto, table)) == written
    got = call(client, mode, "batch_get", table, [{"pk": i["pk"], "sk": i["sk"]} for i in written])
    assert len(got) == N and by_key(got) == written, "every item once"
    assert any(f == Fault.THROTTLED for _, _, f in proxy.injected)


def test_a_server_that_stops_answering_mid_run_is_named_item_by_item(fault_client, proxy, boto, table, mode):
    client = fault_client(max_retries=0)
    proxy.intercept["BatchWriteItem"] = hold_back_share(0.3, "UnprocessedItems")
    # From the 60th request on, every request is dropped unanswered (never reaching moto):
    # a few rounds of 4 requests go through, then the one in progress fails.
    proxy.inject("BatchWriteItem", Fault.DROP, *range(60, 100_000))
    written = items(2000)
    handed: list[dict[str, Any]] = []

    def steps():
        for item in written:
            handed.append(item)
            yield ("put", item)

    with pytest.raises(ConnectionException) as raised:
        run_writer(mode, client, table, steps(), max_concurrency=4)

    listed = raised.value.unprocessed_items
    stored = boto_scan(boto, table)
    assert listed and stored, "some items were written, some not"
    assert len(handed) < len(written), "the error came from a put, mid-run"
    assert by_key(stored + listed) == by_key(handed), "each item handed over is either stored or listed, never both"
    assert f"of {100} items were written" in str(raised.value)  # the failed round: 25 x 4


def test_an_async_writer_backing_off_lets_other_tasks_run(fault_client, proxy, table, boto):
    # Only the async twin has an event loop to keep free.
    client = fault_client()
    # The whole request comes back unprocessed three times: three backoffs before it lands.
    proxy.intercept["BatchWriteItem"] = hold_back_writes(25, times=3)
    seen_counts: list[int] = []

    async def main() -> None:
        done = asyncio.Event()

        async def ticker() -> None:
            while not done.is_set():
                seen_counts.append(proxy.calls["BatchWriteItem"])
                await asyncio.sleep(0.001)

        task = asyncio.create_task(ticker())
        async with AsyncBatchWriter(client, table) as writer:
            for item in items(25):
                await writer.put(item)
        done.set()
        await task

    asyncio.run(main())

    assert by_key(boto_scan(boto, table)) == items(25)
    assert proxy.calls["BatchWriteItem"] == 4
    # The ticker ran between the re-sends, i.e. during the backoffs, not only before and after.
    assert {1, 2, 3} <= set(seen_counts), sorted(set(seen_counts))


def test_a_sync_writer_backing_off_lets_other_threads_run(fault_client, proxy, table, boto):
    # Only the sync twin can hold the GIL; the async one is covered above.
    client = fault_client()
    proxy.intercept["BatchWriteItem"] = hold_back_writes(25, times=3)
    seen_counts: list[int] = []
    done = threading.Event()

    def ticker() -> None:
        while not done.is_set():
            seen_counts.append(proxy.calls["BatchWriteItem"])
            done.wait(0.001)

    thread = threading.Thread(target=ticker)
    thread.start()
    try:
        with BatchWriter(client, table) as writer:
            for item in items(25):
                writer.put(item)
    finally:
        done.set()
        thread.join()

    assert proxy.calls["BatchWriteItem"] == 4
    assert {1, 2, 3} <= set(seen_counts), sorted(set(seen_counts))


@pytest.mark.parametrize("fault", [Fault.SERVER_ERROR, Fault.THROTTLING, Fault.RESET, Fault.HOLD])
def test_one_faulted_request_is_retried_and_nothing_is_lost(fault, fault_client, proxy, boto, table, mode):
    client = fault_client(max_retries=2, read_timeout=0.75)
    proxy.inject("BatchWriteItem", fault, 2)
    written = items(100)

    run_writer(mode, client, table, [("put", item) for item in written], max_concurrency=2)

    assert by_key(boto_scan(boto, table)) == written
    assert proxy.calls["BatchWriteItem"] == 5, "four requests and one retry"


@pytest.mark.parametrize("fault", [Fault.SERVER_ERROR, Fault.RESET])
def test_without_retries_a_fault_names_the_items_of_the_failed_request(fault, fault_client, proxy, boto, table, mode):
    client = fault_client(max_retries=0)
    proxy.inject("BatchWriteItem", fault, 1)
    written = items(50)

    with pytest.raises(Exception) as raised:
        run_writer(mode, client, table, [("put", item) for item in written], max_concurrency=1)

    # The first round (25 items, one request) failed inside `put`; the block ended there.
    assert by_key(raised.value.unprocessed_items) == written[:25]
    assert boto_scan(boto, table) == []


def test_the_retry_budget_is_the_writers(fault_client, proxy, boto, table, mode):
    # Every request has its last 5 writes held back: with 3 attempts the writer gives up,
    # naming exactly those 5, after 3 requests.
    client = fault_client()
    proxy.intercept["BatchWriteItem"] = hold_back_writes(5, times=10**6)
    written = items(25)

    with pytest.raises(ProvisionedThroughputExceededException) as raised:
        run_writer(mode, client, table, [("put", item) for item in written], max_attempts=3)

    assert raised.value.unprocessed_items == written[20:]
    assert by_key(boto_scan(boto, table)) == written[:20]
    assert proxy.calls["BatchWriteItem"] == 3
