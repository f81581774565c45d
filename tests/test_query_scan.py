"""query, scan, count and parallel_scan: pagination, limit, resume, filters, indexes,
segments, to_list, and sync `for` vs async `async for` iteration."""

from __future__ import annotations

import asyncio

import pytest

from pydynox import AsyncQueryResult, AsyncScanResult, OperationMetrics, QueryResult, ScanResult

from support import boto_put_many, boto_scan, by_key, call, collect, to_list

# One partition of ten items in sort-key order, plus a second partition that a query of
# the first must never return.
PARTITION = [{"pk": "p", "sk": f"item#{i:02d}", "n": i, "status": "odd" if i % 2 else "even"} for i in range(10)]
OTHER = [{"pk": "q", "sk": f"item#{i:02d}", "n": 100 + i, "status": "odd"} for i in range(3)]
KEY_CONDITION = {"key_condition_expression": "pk = :pk", "expression_attribute_values": {":pk": "p"}}


@pytest.fixture
def items_table(make_table, boto):
    """Table with a GSI `by_status` (status, sk), filled with PARTITION and OTHER by boto3."""
    name = make_table(gsis=[("by_status", ("status", "S"), ("sk", "S"))])
    boto_put_many(boto, name, PARTITION + OTHER)
    return name


@pytest.fixture
def many_partitions(table, boto):
    """Forty items, each in its own partition, so scan segments have something to split."""
    items = [{"pk": f"u{i:02d}", "sk": "x", "n": i} for i in range(40)]
    boto_put_many(boto, table, items)
    return table, items


# --- query --------------------------------------------------------------------------------


def test_query_yields_the_partition_in_sort_key_order(client, items_table, mode):
    items, result = collect(client, mode, "query", items_table, **KEY_CONDITION)

    assert items == PARTITION
    assert result.last_evaluated_key is None
    assert isinstance(result.metrics, OperationMetrics)


def test_query_descending(client, items_table, mode):
    items, _ = collect(client, mode, "query", items_table, scan_index_forward=False, **KEY_CONDITION)

    assert items == PARTITION[::-1]


def test_query_with_sort_key_condition(client, items_table, mode):
    items, _ = collect(
        client,
        mode,
        "query",
        items_table,
        key_condition_expression="pk = :pk AND sk BETWEEN :lo AND :hi",
        expression_attribute_values={":pk": "p", ":lo": "item#03", ":hi": "item#05"},
    )

    assert items == PARTITION[3:6]


def test_query_fetches_page_by_page(client, items_table, mode):
    client.reset_metrics()

    items, result = collect(client, mode, "query", items_table, page_size=3, **KEY_CONDITION)

    assert items == PARTITION
    assert client.get_total_metrics().query_count == 4  # 3 + 3 + 3 + 1
    assert result.last_evaluated_key is None
    assert result.metrics.items_count == 1  # the last page


def test_pager_counts_its_pages_and_sums_their_metrics(client, items_table, mode):
    client.reset_metrics()
    result = client.query(items_table, page_size=3, **KEY_CONDITION)
    assert result.page_count == 0 and result.total_metrics is None  # nothing fetched yet

    items, result = collect(client, mode, "query", items_table, page_size=3, **KEY_CONDITION)

    totals = client.get_total_metrics()
    assert result.page_count == 4 == totals.query_count
    assert result.total_metrics.items_count == len(items) == len(PARTITION)
    assert result.total_metrics.scanned_count == len(PARTITION)
    assert result.total_metrics.consumed_rcu == pytest.approx(totals.total_rcu)
    assert result.total_metrics.duration_ms == pytest.approx(totals.total_duration_ms)
    assert result.total_metrics.request_id == result.metrics.request_id  # the last page's


def test_query_is_lazy(client, items_table, mode):
    """Nothing is fetched before iteration starts, and stopping early fetches no more pages."""
    client.reset_metrics()

    if mode == "sync":
        result = client.query(items_table, page_size=3, **KEY_CONDITION)
        assert result.metrics is None
        assert client.get_total_metrics().query_count == 0
        first_two = [next(result), next(result)]
    else:

        async def run():
            result = client.async_query(items_table, page_size=3, **KEY_CONDITION)
            assert result.metrics is None
            assert client.get_total_metrics().query_count == 0
            return result, [await result.__anext__(), await result.__anext__()]

        result, first_two = asyncio.run(run())

    assert first_two == PARTITION[:2]
    assert client.get_total_metrics().query_count == 1
    # Mid-page: the key of the last item handed out (ADR 24), named like the page's key.
    assert result.last_evaluated_key == {"pk": "p", "sk": "item#01"}


@pytest.mark.parametrize("limit, page_size", [(4, None), (4, 3), (4, 10), (1, 1)])
def test_query_limit_caps_the_items_yielded(client, items_table, mode, limit, page_size):
    items, _ = collect(client, mode, "query", items_table, limit=limit, page_size=page_size, **KEY_CONDITION)

    assert items == PARTITION[:limit]


def test_query_resumes_from_last_evaluated_key(client, items_table, mode):
    first, result = collect(client, mode, "query", items_table, limit=3, page_size=3, **KEY_CONDITION)
    assert first == PARTITION[:3]
    assert result.last_evaluated_key == {"pk": "p", "sk": "item#02"}

    rest, result = collect(
        client, mode, "query", items_table, last_evaluated_key=result.last_evaluated_key, **KEY_CONDITION
    )

    assert rest == PARTITION[3:]
    assert result.last_evaluated_key is None


def test_query_filter_is_applied_by_the_server(client, items_table, mode):
    items, result = collect(
        client,
        mode,
        "query",
        items_table,
        key_condition_expression="pk = :pk",
        filter_expression="#n >= :min",
        expression_attribute_names={"#n": "n"},
        expression_attribute_values={":pk": "p", ":min": 6},
    )

    assert items == PARTITION[6:]
    assert result.metrics.items_count == 4
    assert result.metrics.scanned_count == 10


def test_query_projection_expression(client, items_table, mode):
    items, _ = collect(client, mode, "query", items_table, projection_expression="sk, n", **KEY_CONDITION)

    assert items == [{"sk": item["sk"], "n": item["n"]} for item in PARTITION]


def test_query_global_secondary_index(client, items_table, mode):
    items, _ = collect(
        client,
        mode,
        "query",
        items_table,
        index_name="by_status",
        key_condition_expression="#s = :s",
        expression_attribute_names={"#s": "status"},
        expression_attribute_values={":s": "even"},
    )

    assert items == [item for item in PARTITION if item["status"] == "even"]


def test_query_consistent_read(client, items_table, mode):
    items, _ = collect(client, mode, "query", items_table, consistent_read=True, **KEY_CONDITION)

    assert items == PARTITION


def test_query_to_list(client, items_table, mode):
    items, result = to_list(client, mode, "query", items_table, page_size=4, **KEY_CONDITION)

    assert items == PARTITION
    assert result.last_evaluated_key is None


def test_query_returns_the_pager_of_its_mode(client, items_table):
    assert isinstance(client.query(items_table, **KEY_CONDITION), QueryResult)

    async def run():
        return client.async_query(items_table, **KEY_CONDITION)

    assert isinstance(asyncio.run(run()), AsyncQueryResult)


def test_async_queries_run_concurrently_with_gather(client, items_table):
    # Async only: gather is the async way to go concurrent (sync threads: test_client_config.py).
    async def one(pk):
        return [
            item
            async for item in client.async_query(
                items_table, key_condition_expression="pk = :pk", expression_attribute_values={":pk": pk}, page_size=2
            )
        ]

    async def run():
        return await asyncio.gather(one("p"), one("q"), one("p"), one("none"))

    assert asyncio.run(run()) == [PARTITION, OTHER, PARTITION, []]


# --- scan ----------------------------------------------------------------------------------


def test_scan_yields_every_item(client, items_table, mode):
    items, result = collect(client, mode, "scan", items_table)

    assert by_key(items) == by_key(PARTITION + OTHER)
    assert result.last_evaluated_key is None


def test_scan_fetches_page_by_page(client, items_table, mode):
    client.reset_metrics()

    items, _ = collect(client, mode, "scan", items_table, page_size=5)

    assert by_key(items) == by_key(PARTITION + OTHER)
    assert client.get_total_metrics().scan_count == 3  # 5 + 5 + 3


def test_scan_limit(client, items_table, mode):
    items, _ = collect(client, mode, "scan", items_table, limit=5, page_size=2)

    assert len(items) == 5
    assert len({(i["pk"], i["sk"]) for i in items}) == 5


def test_scan_resumes_from_last_evaluated_key(client, items_table, mode):
    first, result = collect(client, mode, "scan", items_table, limit=4, page_size=4)
    assert len(first) == 4 and result.last_evaluated_key is not None

    rest, _ = collect(client, mode, "scan", items_table, last_evaluated_key=result.last_evaluated_key)

    assert by_key(first + rest) == by_key(PARTITION + OTHER)


def test_scan_filter_and_projection(client, items_table, mode):
    items, _ = collect(
        client,
        mode,
        "scan",
        items_table,
        filter_expression="#s = :s AND n < :max",
        projection_expression="pk, sk",
        expression_attribute_names={"#s": "status"},
        expression_attribute_values={":s": "odd", ":max": 100},
    )

    assert by_key(items) == by_key([{"pk": i["pk"], "sk": i["sk"]} for i in PARTITION if i["status"] == "odd"])


def test_scan_of_an_index(client, items_table, mode):
    items, _ = collect(client, mode, "scan", items_table, index_name="by_status")

    assert by_key(items) == by_key(PARTITION + OTHER)


def test_scan_segments_split_the_table(client, many_partitions, mode):
    table, all_items = many_partitions

    segments = [collect(client, mode, "scan", table, segment=s, total_segments=3)[0] for s in range(3)]

    keys = [{item["pk"] for item in segment} for segment in segments]
    assert sum(len(k) for k in keys) == len(all_items), "segments must not overlap"
    assert set().union(*keys) == {item["pk"] for item in all_items}


def test_scan_to_list(client, items_table, mode):
    items, _ = to_list(client, mode, "scan", items_table, page_size=4)

    assert by_key(items) == by_key(PARTITION + OTHER)


def test_scan_returns_the_pager_of_its_mode(client, items_table):
    assert isinstance(client.scan(items_table), ScanResult)

    async def run():
        return client.async_scan(items_table)

    assert isinstance(asyncio.run(run()), AsyncScanResult)


# --- count and parallel_scan -------------------------------------------------------------------


def test_count(client, items_table, mode):
    count, metrics = call(client, mode, "count", items_table)

    assert count == len(PARTITION) + len(OTHER)
    assert isinstance(metrics, OperationMetrics)


def test_count_with_filter(client, items_table, mode):
    count, _ = call(
        client,
        mode,
        "count",
        items_table,
        filter_expression="#s = :s",
        expression_attribute_names={"#s": "status"},
        expression_attribute_values={":s": "even"},
    )

    assert count == 5


def test_count_reads_every_page(client, boto, table, mode):
    """A count over more than one response page (moto pages scans at 1 MB or Limit)."""
    boto_put_many(boto, table, [{"pk": f"k{i:03d}", "sk": "x", "pad": "x" * 10_000} for i in range(150)])
    assert "LastEvaluatedKey" in boto.scan(TableName=table), "precondition: the scan needs two pages"

    count, _ = call(client, mode, "count", table)

    assert count == 150 == len(boto_scan(boto, table))


def test_parallel_scan_returns_every_item(client, many_partitions, mode):
    table, all_items = many_partitions

    items, metrics = call(client, mode, "parallel_scan", table, total_segments=4)

    assert by_key(items) == by_key(all_items)
    assert isinstance(metrics, OperationMetrics)


def test_parallel_scan_with_filter(client, many_partitions, mode):
    table, all_items = many_partitions

    items, _ = call(
        client,
        mode,
        "parallel_scan",
        table,
        total_segments=3,
        filter_expression="n < :max",
        expression_attribute_values={":max": 10},
    )

    assert by_key(items) == by_key([i for i in all_items if i["n"] < 10])


def test_scan_reads_past_pages_the_filter_leaves_empty(client, boto, table, mode):
    """Pages of 3 items where only the last page's items match: the pages before come back
    with no items (the async pager takes those up on the runtime, without the GIL) and the
    iteration goes on to the page that has some, then ends."""
    items = [{"pk": f"k{i:02d}", "sk": "x", "n": i} for i in range(12)]
    boto_put_many(boto, table, items)
    order = [i["pk"] for i in boto_scan(boto, table)]
    wanted = set(order[-3:])

    found, result = collect(
        client,
        mode,
        "scan",
        table,
        page_size=3,
        filter_expression="pk IN (:a, :b, :c)",
        expression_attribute_values=dict(zip((":a", ":b", ":c"), sorted(wanted))),
    )

    assert {i["pk"] for i in found} == wanted and len(found) == 3
    assert result.page_count >= 4, result.page_count
