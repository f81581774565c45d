"""Rate limits (`FixedRate`, `AdaptiveRate`, client `rate_limit=`; ADR 23): waits never
block the caller's event loop or hold the GIL, a fixed rate holds the capacity DynamoDB
reports consumed to its setting, an adaptive rate backs off on throttling and climbs back."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from conftest import REGION
from faults import Fault

import pydynox
from pydynox import AdaptiveRate, FixedRate
from pydynox.exceptions import ProvisionedThroughputExceededException


def limited(endpoint: str, rate: Any, **options: Any) -> Any:
    return pydynox.DynamoDBClient(endpoint_url=endpoint, region=REGION, rate_limit=rate, **options)


def test_the_classes_are_importable_from_both_places_and_check_their_arguments() -> None:
    import pydynox.rate_limit as rl

    assert rl.FixedRate is FixedRate and rl.AdaptiveRate is AdaptiveRate
    fixed = FixedRate(rcu=50, wcu=25)
    assert (fixed.rcu, fixed.wcu, fixed.consumed_rcu, fixed.consumed_wcu, fixed.throttle_count) == (50, 25, 0, 0, 0)
    assert FixedRate(wcu=5).rcu is None
    adaptive = AdaptiveRate(max_rcu=100, max_wcu=40)
    assert (adaptive.max_rcu, adaptive.max_wcu, adaptive.current_rcu, adaptive.current_wcu) == (100, 40, 50, 20)
    assert AdaptiveRate(max_rcu=10).current_wcu is None
    for bad, name in [
        (lambda: FixedRate(rcu=0), "rcu"),
        (lambda: FixedRate(wcu=float("nan")), "wcu"),
        (lambda: FixedRate(rcu=1, burst=-1), "burst"),
        (lambda: AdaptiveRate(max_rcu=-5), "max_rcu"),
        (lambda: AdaptiveRate(max_rcu=5, min_rcu=10), "min_rcu"),
    ]:
        with pytest.raises(ValueError, match=name):
            bad()
    with pytest.raises(ValueError, match="rcu, wcu"):
        FixedRate()
    with pytest.raises(TypeError, match="rate_limit must be a FixedRate or AdaptiveRate"):
        pydynox.DynamoDBClient(region=REGION, rate_limit=50)  # type: ignore[arg-type]


def test_the_client_keeps_its_rate_limit(moto_endpoint: str) -> None:
    rate = FixedRate(rcu=5)
    assert limited(moto_endpoint, rate).rate_limit is rate
    assert pydynox.DynamoDBClient(endpoint_url=moto_endpoint, region=REGION).rate_limit is None


def test_waiting_for_the_rate_leaves_the_caller_free(moto_endpoint: str, table: str, mode: str) -> None:
    # 1 write a second after the first: every put after the first waits about a second.
    # Meanwhile a ticker keeps running: an asyncio task beside the async twin (the event
    # loop is not blocked), a Python thread beside the sync twin (the GIL is released).
    client = limited(moto_endpoint, FixedRate(wcu=1, burst=1))
    puts = 3
    ticks_during: list[int] = []
    ticks = 0

    if mode == "async":

        async def run() -> None:
            nonlocal ticks
            stop = asyncio.Event()

            async def ticker() -> None:
                nonlocal ticks
                while not stop.is_set():
                    ticks += 1
                    await asyncio.sleep(0.005)

            task = asyncio.create_task(ticker())
            for i in range(puts):
                before = ticks
                await client.async_put_item(table, {"pk": f"p{i}", "sk": "s"})
                ticks_during.append(ticks - before)
            stop.set()
            await task

        started = time.monotonic()
        asyncio.run(run())
    else:
        stop = threading.Event()

        def ticker() -> None:
            nonlocal ticks
            while not stop.is_set():
                ticks += 1
                time.sleep(0.005)

        thread = threading.Thread(target=ticker)
        thread.start()
        started = time.monotonic()
        try:
            for i in range(puts):
                before = ticks
                client.put_item(table, {"pk": f"p{i}", "sk": "s"})
                ticks_during.append(ticks - before)
        finally:
            stop.set()
            thread.join()
    # The rate held (a lower bound only, which a slow machine cannot break) ...
    assert time.monotonic() - started >= (puts - 1) * 0.9
    # ... and the ticker ran during every put that waited for it.
    assert all(n > 0 for n in ticks_during[1:]), ticks_during
    assert client.rate_limit.consumed_wcu == puts


@pytest.mark.parametrize(("kind", "rate"), [("read", 10.0), ("write", 10.0)])
def test_a_fixed_rate_holds_consumed_capacity_to_its_setting(
    moto_endpoint: str, table: str, mode: str, kind: str, rate: float
) -> None:
    # Four callers at once, so the limiter and not the latency sets the pace. moto reports
    # 0.5 RCU per GetItem and 1 WCU per PutItem: reads run at 20 calls a second, so the
    # limiter is charged what DynamoDB reports, not a unit per call.
    setting = {"rcu": rate} if kind == "read" else {"wcu": rate}
    client = limited(moto_endpoint, FixedRate(burst=1, **setting))
    pydynox.DynamoDBClient(endpoint_url=moto_endpoint, region=REGION).put_item(table, {"pk": "a", "sk": "b"})
    calls, workers = 36 if kind == "read" else 18, 4

    def one(i: int) -> Any:
        if kind == "read":
            _, m = client.get_item_with_metrics(table, {"pk": "a", "sk": "b"})
            return m
        return client.put_item(table, {"pk": f"p{i}", "sk": "s"})

    async def one_async(i: int) -> Any:
        if kind == "read":
            _, m = await client.async_get_item_with_metrics(table, {"pk": "a", "sk": "b"})
            return m
        return await client.async_put_item(table, {"pk": f"p{i}", "sk": "s"})

    started = time.monotonic()
    if mode == "sync":
        with ThreadPoolExecutor(workers) as pool:
            metrics = list(pool.map(one, range(calls)))
    else:

        async def run() -> list[Any]:
            gate = asyncio.Semaphore(workers)

            async def bounded(i: int) -> Any:
                async with gate:
                    return await one_async(i)

            return await asyncio.gather(*(bounded(i) for i in range(calls)))

        metrics = asyncio.run(run())
    elapsed = time.monotonic() - started
    consumed = sum((m.consumed_rcu if kind == "read" else m.consumed_wcu) or 0 for m in metrics)
    # The first call spends the burst (one unit); the rest run at the rate.
    measured = (consumed - 1) / elapsed
    assert abs(measured - rate) <= 0.1 * rate, (consumed, elapsed, measured)
    limit = client.rate_limit
    assert (limit.consumed_rcu if kind == "read" else limit.consumed_wcu) == consumed
    assert limit.metrics.throttle_count == 0


def test_an_adaptive_rate_backs_off_on_throttling_and_climbs_back(
    fault_client: Any, proxy: Any, table: str, mode: str
) -> None:
    rate = AdaptiveRate(max_rcu=100, max_wcu=40)
    client = fault_client(max_retries=0, rate_limit=rate)
    start = rate.current_wcu
    assert start == 20
    proxy.inject("PutItem", Fault.THROTTLED, 1, 2, 3)
    for i in range(3):
        with pytest.raises(ProvisionedThroughputExceededException):
            call_put(client, mode, table, i)
    lowered = rate.current_wcu
    assert lowered is not None and lowered < start
    assert rate.throttle_count == 3 and rate.metrics.throttle_count == 3
    # Without throttles it climbs back: each put is a chance to see it (no wall clock).
    for i in range(3, 400):
        call_put(client, mode, table, i)
        if rate.current_wcu > lowered:
            break
    assert rate.current_wcu > lowered
    assert rate.current_wcu <= rate.max_wcu
    rate.metrics.reset()
    assert (rate.throttle_count, rate.consumed_wcu) == (0, 0)


def test_an_adaptive_rate_backs_off_on_throttles_the_retries_absorbed(
    fault_client: Any, proxy: Any, table: str, mode: str
) -> None:
    """With retries on, a throttled attempt that a retry then gets through still lowers the
    rate: the limiter need not wait for the retries to run out to learn it."""
    rate = AdaptiveRate(max_rcu=100, max_wcu=40)
    client = fault_client(max_retries=3, rate_limit=rate)
    start = rate.current_wcu
    proxy.inject("PutItem", Fault.THROTTLED, 1)
    call_put(client, mode, table, 0)  # throttled once, then written
    assert proxy.calls["PutItem"] == 2
    assert rate.current_wcu is not None and rate.current_wcu < start
    assert rate.throttle_count == 1


def call_put(client: Any, mode: str, table: str, i: int) -> Any:
    if mode == "sync":
        return client.put_item(table, {"pk": f"p{i}", "sk": "s"})
    return asyncio.run(client.async_put_item(table, {"pk": f"p{i}", "sk": "s"}))
