"""Batch get everywhere (issue 16 item 2): client `batch_get` and `Model.batch_get` over any
number of keys, 100 per request with several in flight (bounded), a key given twice read
once, through both twins; and client `batch_write` sending its requests concurrently.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from pydynox.attributes import NumberAttribute, StringAttribute
from pydynox.config import ModelConfig
from pydynox.model import Model
from support import boto_put_many, boto_scan, by_key, call, wait_until

ITEMS = [{"pk": "p", "sk": f"{i:04d}", "n": i} for i in range(250)]
KEYS = [{"pk": i["pk"], "sk": i["sk"]} for i in ITEMS]


def test_any_number_of_keys_each_item_once(client, boto, table, mode):
    boto_put_many(boto, table, ITEMS)
    # Every key twice, plus missing ones: DynamoDB would reject a request naming a key twice.
    keys = KEYS + KEYS[::-1] + [{"pk": "p", "sk": "missing"}]
    got = call(client, mode, "batch_get", table, keys, max_concurrency=3)
    assert len(got) == len(ITEMS) and by_key(got) == ITEMS


def test_model_batch_get_of_many_keys(client, boto, table, mode):
    class Row(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        n = NumberAttribute()

    boto_put_many(boto, table, ITEMS)
    rows = call(Row, mode, "batch_get", keys=KEYS + KEYS[:10])
    assert sorted((r.sk, r.n) for r in rows) == [(i["sk"], i["n"]) for i in ITEMS]
    dicts = call(Row, mode, "batch_get", keys=KEYS, as_dict=True)
    assert by_key(dicts) == ITEMS


@pytest.mark.parametrize("name", ["batch_get", "batch_write"])
def test_bad_max_concurrency_or_attempts_are_refused(client, table, name):
    args = (table, KEYS[:1]) if name == "batch_get" else (table, ITEMS[:1])
    with pytest.raises(ValueError, match="max_concurrency must be at least 1"):
        getattr(client, name)(*args, max_concurrency=0)
    for bad in (0, 101):
        with pytest.raises(ValueError, match="max_attempts must be between 1 and 100"):
            getattr(client, name)(*args, max_attempts=bad)


@pytest.mark.parametrize(("action", "name", "requests"), [("BatchGetItem", "batch_get", 3), ("BatchWriteItem", "batch_write", 10)])
def test_requests_are_in_flight_together_and_bounded(proxied, proxy, boto, table, action, name, requests):
    # Sync only: what is checked is the requests the proxy sees, the same for both twins.
    if name == "batch_get":
        boto_put_many(boto, table, ITEMS)
    proxy.hold_seconds = 120  # the hold ends when the test opens it, not on a busy machine's clock
    opened = proxy.gate(action, 1)  # the first request is held until the test opens it
    args = (table, KEYS) if name == "batch_get" else (table, ITEMS)
    result: list[Any] = []
    runner = threading.Thread(target=lambda: result.append(getattr(proxied, name)(*args, max_concurrency=2)))
    runner.start()
    try:
        # While the first request is held, every other one goes out through the second slot.
        assert wait_until(lambda: proxy.calls[action] == requests), proxy.calls[action]
    finally:
        opened.set()
        runner.join()
    assert proxy.max_active == 2, "two in flight at once, never more"
    if name == "batch_get":
        assert by_key(result[0]) == ITEMS
    else:
        assert by_key(boto_scan(boto, table)) == ITEMS
