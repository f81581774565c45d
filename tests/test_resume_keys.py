"""Client pagers' `last_evaluated_key` is exact wherever iteration stops, in the middle of
a page too (issue 15 item 5, ADR 24): reading a table in pieces, each resumed from the key
of the one before, gives every item once. The key's attributes come from the read's
LastEvaluatedKey, or from one DescribeTable per client and table when no page had one."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

import pydynox
from pydynox import pydynox_core
from pydynox.exceptions import ParamValidationException, ResourceNotFoundException

from conftest import REGION
from support import boto_put_many, boto_scan, call, collect
from test_model_ops import read_some, seed, users  # noqa: F401 (users is a fixture)

# Pieces taken in turn: inside a page, across page boundaries, a page's exact size.
PIECES = (3, 10, 1, 7, 4, 2, 9)
DESCRIBES = ("query", "scan")


def describe_tables_sent() -> int:
    return sum(n for (_, action, _), n in pydynox_core._requests_sent().items() if action == "DescribeTable")


def take(client: Any, mode: str, operation: str, n: int, **kwargs: Any) -> tuple[list[dict[str, Any]], Any]:
    """Takes up to `n` items of a fresh `operation` read and stops there; returns them with
    the result's `last_evaluated_key`, read after stopping (inside the event loop for the
    async twin)."""
    if mode == "sync":
        result = getattr(client, operation)(**kwargs)
        items = []
        for item in result:
            items.append(item)
            if len(items) == n:
                break
        return items, result.last_evaluated_key

    async def run() -> tuple[list[dict[str, Any]], Any]:
        result = getattr(client, f"async_{operation}")(**kwargs)
        items = []
        async for item in result:
            items.append(item)
            if len(items) == n:
                break
        return items, result.last_evaluated_key

    return asyncio.run(run())


def read_in_pieces(client: Any, mode: str, operation: str, **kwargs: Any) -> list[dict[str, Any]]:
    """Reads everything in pieces of PIECES items, each a new read resumed from the key of
    the one before, until a read ends early or has no key left."""
    seen: list[dict[str, Any]] = []
    key = None
    for turn in range(200):
        n = PIECES[turn % len(PIECES)]
        items, key = take(client, mode, operation, n, last_evaluated_key=key, **kwargs)
        seen.extend(items)
        if len(items) < n or key is None:
            return seen
    raise AssertionError(f"still reading after 200 pieces: {len(seen)} items seen")


def same_items(seen: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    """Every expected item seen exactly once: no duplicate, no gap."""
    ids = [item["id"] for item in seen]
    assert len(ids) == len(set(ids)), f"items seen twice: {sorted(i for i in ids if ids.count(i) > 1)}"
    assert sorted(ids) == sorted(item["id"] for item in expected)
    assert sorted(seen, key=lambda i: i["id"]) == sorted(expected, key=lambda i: i["id"])


def rows(count: int, **fixed: Any) -> list[dict[str, Any]]:
    """Items with an `id` each; index key values repeat (an index key is not unique, so a
    resume key that left out the table's keys would lose items)."""
    return [
        {"id": i, "pk": f"p{i % 2}", "sk": f"s{i:03d}", "g": "G", "gs": f"{i // 4:03d}", "ls": f"{i // 3:03d}", **fixed}
        for i in range(count)
    ]


# --- whole tables, read in pieces -------------------------------------------------------------


@pytest.mark.parametrize("page_size", [5, None], ids=["pages", "one-page"])
def test_query_in_pieces_gives_every_item_once(client, boto, make_table, mode, page_size):
    table = make_table()
    items = rows(40)
    boto_put_many(boto, table, items)
    query = {"key_condition_expression": "pk = :p", "expression_attribute_values": {":p": "p1"}}

    seen = read_in_pieces(client, mode, "query", table=table, page_size=page_size, **query)

    same_items(seen, [i for i in items if i["pk"] == "p1"])
    assert [i["sk"] for i in seen] == sorted(i["sk"] for i in seen), "resumed in key order"


@pytest.mark.parametrize("page_size", [5, None], ids=["pages", "one-page"])
def test_scan_of_a_hash_only_table_in_pieces(client, boto, make_table, mode, page_size):
    table = make_table(hash_key=("id", "N"), range_key=None)
    items = [{"id": i, "n": i * 10} for i in range(30)]
    boto_put_many(boto, table, items)

    seen = read_in_pieces(client, mode, "scan", table=table, page_size=page_size)

    same_items(seen, boto_scan(boto, table))


@pytest.mark.parametrize("page_size", [5, None], ids=["pages", "one-page"])
def test_global_index_query_in_pieces(client, boto, make_table, mode, page_size):
    table = make_table(gsis=[("by_g", ("g", "S"), ("gs", "S"))])
    items = rows(30)
    boto_put_many(boto, table, items)
    query = {"key_condition_expression": "g = :g", "expression_attribute_values": {":g": "G"}, "index_name": "by_g"}

    seen = read_in_pieces(client, mode, "query", table=table, page_size=page_size, **query)

    same_items(seen, items)


@pytest.mark.parametrize("page_size", [5, None], ids=["pages", "one-page"])
def test_local_index_query_in_pieces(client, boto, make_table, mode, page_size):
    table = make_table(lsis=[("by_ls", ("pk", "S"), ("ls", "S"))])
    items = rows(30)
    boto_put_many(boto, table, items)
    query = {"key_condition_expression": "pk = :p", "expression_attribute_values": {":p": "p0"}, "index_name": "by_ls"}

    seen = read_in_pieces(client, mode, "query", table=table, page_size=page_size, **query)

    same_items(seen, [i for i in items if i["pk"] == "p0"])


def test_index_scan_in_pieces(client, boto, make_table, mode):
    table = make_table(gsis=[("by_g", ("g", "S"), ("gs", "S"))])
    items = rows(25)
    boto_put_many(boto, table, items)

    seen = read_in_pieces(client, mode, "scan", table=table, index_name="by_g")

    same_items(seen, items)


@pytest.mark.parametrize("page_size", [4, None], ids=["pages", "one-page"])
def test_scan_segments_in_pieces_give_the_whole_table(client, boto, make_table, mode, page_size):
    """The segments of a parallel scan, each read in pieces (`parallel_scan` itself returns
    every item at once, so it has no key to resume from)."""
    table = make_table()
    items = rows(45)
    boto_put_many(boto, table, items)

    seen = []
    for segment in range(3):
        seen += read_in_pieces(client, mode, "scan", table=table, page_size=page_size, segment=segment, total_segments=3)

    same_items(seen, boto_scan(boto, table))


def test_key_mid_page_is_the_last_item_handed_out(client, boto, make_table, mode):
    table = make_table(gsis=[("by_g", ("g", "S"), ("gs", "S"))])
    items = rows(12)
    boto_put_many(boto, table, items)
    query = {"key_condition_expression": "g = :g", "expression_attribute_values": {":g": "G"}, "index_name": "by_g"}

    got, key = take(client, mode, "query", 6, table=table, page_size=10, **query)

    last = got[-1]
    assert key == {"g": last["g"], "gs": last["gs"], "pk": last["pk"], "sk": last["sk"]}


def test_key_after_the_end_is_none(client, boto, table, mode):
    boto_put_many(boto, table, rows(6))
    query = {"table": table, "key_condition_expression": "pk = :p", "expression_attribute_values": {":p": "p0"}}

    everything, result = collect(client, mode, "query", **query)
    last_three, at_end = take(client, mode, "query", 3, **query)

    assert len(everything) == 3 and result.last_evaluated_key is None
    assert last_three == everything and at_end is None, "the only page, read whole, has no key"


# --- DescribeTable: only when needed, once per client and table -------------------------------


def test_no_describe_table_when_pages_name_the_key_or_are_read_whole(client, boto, table, mode, counted):
    boto_put_many(boto, table, rows(20))

    _, mid = take(client, mode, "scan", 7, table=table, page_size=5)  # the page's key names the attributes
    whole, result = collect(client, mode, "scan", table=table)  # one page, read whole: its key (None)

    assert set(mid) == {"pk", "sk"} and len(whole) == 20 and result.last_evaluated_key is None
    assert describe_tables_sent() == 0


def test_describe_table_is_sent_once_per_client_and_table(client, moto_endpoint, boto, make_table, mode, counted):
    first, second = make_table(), make_table(hash_key=("id", "N"), range_key=None)
    boto_put_many(boto, first, rows(6))
    boto_put_many(boto, second, [{"id": i} for i in range(6)])
    on_first = {"key_condition_expression": "pk = :p", "expression_attribute_values": {":p": "p0"}}

    keys = [take(client, mode, "scan", n, table=first)[1] for n in (2, 4)]
    keys.append(take(client, mode, "query", 1, table=first, **on_first)[1])
    assert describe_tables_sent() == 1
    keys.append(take(client, mode, "scan", 3, table=second)[1])
    assert describe_tables_sent() == 2
    other = pydynox.DynamoDBClient(endpoint_url=moto_endpoint, region=REGION)
    keys.append(take(other, mode, "scan", 2, table=first)[1])
    assert describe_tables_sent() == 3, "each client keeps its own"

    assert [set(k) for k in keys] == [{"pk", "sk"}] * 3 + [{"id"}, {"pk", "sk"}]


def test_concurrent_readers_share_one_describe_table(moto_endpoint, boto, table, counted):
    """Threads that need the same table's keys at once wait for one DescribeTable."""
    # Sync only: the async twin's property waits in the event loop's thread, one at a time;
    # concurrent callers are threads.
    boto_put_many(boto, table, rows(8))
    client = pydynox.DynamoDBClient(endpoint_url=moto_endpoint, region=REGION)
    results = [client.scan(table) for _ in range(8)]
    for result in results:
        next(result)
    start = threading.Barrier(len(results))
    keys: list[Any] = [None] * len(results)

    def read(i: int) -> None:
        start.wait()
        keys[i] = results[i].last_evaluated_key

    threads = [threading.Thread(target=read, args=(i,)) for i in range(len(results))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert all(set(k) == {"pk", "sk"} for k in keys), keys
    assert describe_tables_sent() == 1


def test_a_table_made_again_with_other_keys_is_described_again(client, boto, make_table, mode, counted):
    """Deleted and made again by another client: the next request that finds it gone drops
    the cached keys; deleted by this client: its delete_table does."""
    table = make_table()
    boto_put_many(boto, table, rows(6))
    assert set(take(client, mode, "scan", 2, table=table)[1]) == {"pk", "sk"}

    boto.delete_table(TableName=table)
    with pytest.raises(ResourceNotFoundException):
        call(client, mode, "get_item", table, {"pk": "p0", "sk": "s000"})
    remake(boto, table, "id")
    boto_put_many(boto, table, [{"id": i, "pk": f"x{i}"} for i in range(6)])
    seen = read_in_pieces(client, mode, "scan", table=table)
    same_items(seen, boto_scan(boto, table))
    assert describe_tables_sent() == 2

    call(client, mode, "delete_table", table)
    remake(boto, table, "other")
    boto_put_many(boto, table, [{"other": f"o{i}", "id": i} for i in range(6)])
    seen = read_in_pieces(client, mode, "scan", table=table)
    same_items(seen, boto_scan(boto, table))
    assert describe_tables_sent() == 3


def remake(boto: Any, table: str, hash_key: str) -> None:
    boto.get_waiter("table_not_exists").wait(TableName=table, WaiterConfig={"Delay": 0.1})
    kind = "N" if hash_key == "id" else "S"
    boto.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": hash_key, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": hash_key, "AttributeType": kind}],
        BillingMode="PAY_PER_REQUEST",
    )
    boto.get_waiter("table_exists").wait(TableName=table, WaiterConfig={"Delay": 0.1})


# --- a projection without the key --------------------------------------------------------------


@pytest.mark.parametrize("page_size", [5, None], ids=["pages", "one-page"])
def test_projection_without_the_keys_raises_mid_page(client, boto, table, mode, page_size):
    """Resuming from the page's key would skip the rest of the page, so the key is refused
    with a message naming the missing attribute (what a boto3 user reading the page's items
    could not build either); a page read whole still has its key."""
    boto_put_many(boto, table, rows(12))

    with pytest.raises(ParamValidationException, match="key attribute '(pk|sk)'.*projection_expression"):
        take(client, mode, "scan", 3, table=table, page_size=page_size, projection_expression="id")

    _, key = take(client, mode, "scan", 5, table=table, page_size=5, projection_expression="id")
    assert set(key) == {"pk", "sk"}, "a page read whole: DynamoDB's key, projection or not"


# --- the Model layer -------------------------------------------------------------------------


def test_model_reads_mid_page_send_no_describe_table(users, mode, boto, counted):
    """Model results build their key from the model's key attributes; the pager's key is
    read only once iteration ended, so no DescribeTable goes out for them."""
    seed(boto, users)

    first, result = read_some(users, mode, "query", 4, hash_key="p")  # one page, left mid-way
    key = result.last_evaluated_key
    by_email, index_result = read_some(users.by_email, mode, "query", 3, email="e@x")
    index_key = index_result.last_evaluated_key
    rest, _ = collect(users, mode, "query", hash_key="p", last_evaluated_key=key)

    assert key == {"pk": "p", "sk": "s03"} and set(index_key) == {"email", "age", "pk", "sk"}
    assert [u.sk for u in first + rest] == [f"s{i:02d}" for i in range(10)]
    assert describe_tables_sent() == 0
