"""Sync calls release the GIL while they wait on the network; async calls do not block
the event loop.

The calls go to a fake DynamoDB in another process that answers every request after
DELAY seconds (support.slow_dynamodb), so each call waits about DELAY seconds doing
nothing. No timing threshold decides these tests: a Python thread takes timestamped
samples while it runs, and we count samples taken well inside the call. A call that held
the GIL throughout would allow exactly zero; a call that releases it allows thousands.
Concurrency is checked by a fake that answers nothing until all the requests are open.

Each promise is about one twin, so each test names its twin: sync calls release the GIL and
overlap in threads; async calls leave the loop free and overlap under gather.
"""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pydynox

from support import slow_dynamodb

DELAY = 1.0
MARGIN = 0.2  # samples must fall this far inside the call, away from its start and end


def slow_client(endpoint):
    return pydynox.DynamoDBClient(endpoint_url=endpoint, region="us-east-1", max_retries=0, read_timeout=90)


class Spinner:
    """A thread that counts as fast as it can, recording a timestamp every 1000 counts."""

    def __init__(self):
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        n = 0
        while not self._stop.is_set():
            n += 1
            if n % 1000 == 0:
                self.samples.append(time.monotonic())

    def __enter__(self):
        self._thread.start()
        while not self.samples:  # running for sure
            time.sleep(0.001)
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(10)

    def between(self, start, end):
        return sum(1 for s in self.samples if start <= s <= end)


def test_sync_call_releases_the_gil():
    with slow_dynamodb(DELAY) as endpoint:
        client = slow_client(endpoint)
        with Spinner() as spinner:
            started = time.monotonic()
            result = client.get_item("table", {"pk": "a"})
            ended = time.monotonic()

    assert result is None  # the fake answered {}: no item
    assert ended - started >= DELAY * 0.9, "the call must really have waited on the server"
    inside = spinner.between(started + MARGIN, ended - MARGIN)
    assert inside > 50, f"only {inside} samples while the call waited: the GIL was held"


def test_sync_calls_from_threads_overlap():
    """Four threads calling at once: the fake answers none until all four requests are open,
    so calls made one after another would each fail after a minute instead."""
    with slow_dynamodb(0.0, together=4) as endpoint:
        client = slow_client(endpoint)
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda i: client.get_item("table", {"pk": str(i)}), range(4)))

    assert results == [None] * 4


def test_async_call_does_not_block_the_event_loop():
    ticks: list[float] = []

    async def ticker(stop):
        while not stop.is_set():
            ticks.append(time.monotonic())
            await asyncio.sleep(0.01)

    async def main(client):
        stop = asyncio.Event()
        task = asyncio.create_task(ticker(stop))
        await asyncio.sleep(0.05)
        started = time.monotonic()
        result = await client.async_get_item("table", {"pk": "a"})
        ended = time.monotonic()
        stop.set()
        await task
        return result, started, ended

    with slow_dynamodb(DELAY) as endpoint:
        result, started, ended = asyncio.run(main(slow_client(endpoint)))

    assert result is None
    assert ended - started >= DELAY * 0.9
    inside = sum(1 for t in ticks if started + MARGIN <= t <= ended - MARGIN)
    assert inside > 10, f"the event loop ran only {inside} ticks during the call: it was blocked"


def test_async_calls_run_concurrently():
    """Eight gathered calls: none is answered until all eight requests are open."""

    async def main(client):
        return await asyncio.gather(*(client.async_get_item("table", {"pk": str(i)}) for i in range(8)))

    with slow_dynamodb(0.0, together=8) as endpoint:
        results = asyncio.run(main(slow_client(endpoint)))

    assert results == [None] * 8
