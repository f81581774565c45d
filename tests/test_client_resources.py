"""What a client holds and shares (issue 7, defects 6, 7 and 9): one credentials chain for
all its threads, no secrets in repr, bounded parallel-scan fan-out."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

import pydynox

from support import boto_put_many, by_key, call

ROLE = "arn:aws:iam::123456789012:role/pydynox-test"


# --- 6: one credentials chain per client --------------------------------------------------------


def test_an_assumed_role_is_assumed_once_for_all_threads(proxy, boto, table):
    """Sync calls from 6 threads (each with its own SDK client and connections) and async
    calls share one credentials provider and identity cache: STS is called once."""
    boto_put_many(boto, table, [{"pk": "a", "sk": "b"}])
    client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", role_arn=ROLE)

    def read(_):
        return client.get_item(table, {"pk": "a", "sk": "b"})

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(read, range(12))) == [{"pk": "a", "sk": "b"}] * 12

    async def read_async():
        return await asyncio.gather(*(client.async_get_item(table, {"pk": "a", "sk": "b"}) for _ in range(4)))

    assert asyncio.run(read_async()) == [{"pk": "a", "sk": "b"}] * 4
    assert proxy.calls["GetItem"] == 16
    assert proxy.calls["AssumeRole"] == 1, dict(proxy.calls)


# --- 7: no credentials in repr ---------------------------------------------------------------------


def test_repr_hides_user_info_of_the_endpoint():
    client = pydynox.DynamoDBClient(endpoint_url="http://admin:hunter2@127.0.0.1:8000/", region="us-east-1")

    assert repr(client) == "DynamoDBClient(region='us-east-1', endpoint_url='http://127.0.0.1:8000/')"


# --- 9: parallel_scan fan-out is capped -------------------------------------------------------------


@pytest.mark.parametrize("total, cap, limit", [(12, 3, 3), (40, None, 16)])
def test_parallel_scan_runs_at_most_max_concurrency_segments_at_once(proxy, boto, table, mode, total, cap, limit):
    items = [{"pk": f"p{i:02d}", "sk": "x"} for i in range(30)]
    boto_put_many(boto, table, items)
    client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1")
    proxy.delay = 0.1  # long enough for the segments in flight to overlap

    kwargs = {} if cap is None else {"max_concurrency": cap}
    found, _metrics = call(client, mode, "parallel_scan", table, total, **kwargs)

    assert by_key(found) == by_key(items)
    assert proxy.calls["Scan"] >= total
    assert 2 <= proxy.max_active <= limit, proxy.max_active


def test_max_concurrency_must_be_positive(client, table, mode):
    with pytest.raises(ValueError):
        call(client, mode, "parallel_scan", table, 4, max_concurrency=0)
