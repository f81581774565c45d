"""Results and pages reach the asyncio loop in bounded slices, so other tasks keep running
(issue 14 item 7): a burst of finished calls resumes at most 8 awaiting tasks per turn of
the loop, and `async for` over a page lets the loop turn at least every 64 items or 16 KB of
items, whichever comes first.

Measured in loop turns, not time: a task that logs each turn (`await asyncio.sleep(0)`
steps it once per turn) and the awaiting tasks logging what they got, so a busy machine
cannot change the outcome. The wall-clock lateness targets live in the benchmark
(`benchmarks/`, scenario `stalls`). Async only: a sync call has no loop to share.
"""

from __future__ import annotations

import asyncio
import time

import pydynox
import pytest
from pydynox.pydynox_core import _async_tasks_in_flight

from support import boto_put_many

KEY = {"pk": "a", "sk": "b"}
# What src/awaitable/loop_wake.rs (SLICE) and src/pager.rs (SLICE, SLICE_BYTES) promise.
RESULTS_PER_TURN = 8
ITEMS_PER_TURN = 64
BYTES_PER_TURN = 16 * 1024


def longest_run(log: list[str], what: str) -> int:
    """The most `what` entries logged between two loop turns."""
    longest = run = 0
    for entry in log:
        run = run + 1 if entry == what else 0
        longest = max(longest, run)
    return longest


async def turns_logged(log: list[str], stop: asyncio.Event) -> None:
    while not stop.is_set():
        log.append("turn")
        await asyncio.sleep(0)


def test_a_burst_of_finished_calls_resumes_a_slice_of_tasks_per_loop_turn(moto_endpoint, boto, table):
    boto_put_many(boto, table, [dict(KEY, n=1)])
    client = pydynox.DynamoDBClient(endpoint_url=moto_endpoint, region="us-east-1")
    calls = 48

    async def main() -> list[str]:
        log: list[str] = []
        stop = asyncio.Event()

        async def one() -> None:
            item = await client.async_get_item(table, KEY)
            log.append("done" if item == dict(KEY, n=1) else f"wrong: {item!r}")

        tasks = [asyncio.create_task(one()) for _ in range(calls)]
        await asyncio.sleep(0)  # every task has stepped once: all requests are sent
        # Hold the loop until every request has finished, so all results are queued for
        # the loop at once: the burst the slicing is for.
        deadline = time.monotonic() + 60
        while _async_tasks_in_flight():
            assert time.monotonic() < deadline, "the requests did not finish"
            time.sleep(0.001)
        ticker = asyncio.create_task(turns_logged(log, stop))
        await asyncio.gather(*tasks)
        stop.set()
        await ticker
        return log

    log = asyncio.run(main())
    assert log.count("done") == calls, [e for e in log if e != "turn"][:3]
    # All 48 were ready together; without slicing they resume in one turn.
    assert longest_run(log, "done") <= RESULTS_PER_TURN, longest_run(log, "done")


# Items of ~100 bytes: the item count bounds a slice. Items of ~1 KB: the bytes do, at 15
# items (each is 1,040 bytes or so on the wire, so 16 of them pass 16 KB).
@pytest.mark.parametrize(("body", "per_turn"), [(100, ITEMS_PER_TURN), (1000, BYTES_PER_TURN // 1040)])
def test_async_for_over_a_page_lets_the_loop_turn_every_slice(moto_endpoint, boto, table, body, per_turn):
    items = [{"pk": "p", "sk": f"{i:04d}", "body": "x" * body} for i in range(300)]
    boto_put_many(boto, table, items)
    client = pydynox.DynamoDBClient(endpoint_url=moto_endpoint, region="us-east-1")

    async def main() -> tuple[list[str], list[str]]:
        log: list[str] = []
        keys: list[str] = []
        stop = asyncio.Event()
        ticker = asyncio.create_task(turns_logged(log, stop))
        # One page of 300 items (and an empty last one): the whole page is fetched and
        # indexed before the first item, so only the slicing can let the ticker in.
        async for item in client.async_query(table, "pk = :p", expression_attribute_values={":p": "p"}, page_size=300):
            keys.append(item["sk"])
            log.append("item")
        stop.set()
        await ticker
        return log, keys

    log, keys = asyncio.run(main())
    assert keys == [item["sk"] for item in items]
    assert longest_run(log, "item") <= per_turn, longest_run(log, "item")
    assert log.count("turn") >= len(items) // per_turn
