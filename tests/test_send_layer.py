"""The send layer (src/ops/send.rs, ADR 13): every request of every operation passes
through it on the path the client takes, which its request counter (a private test hook,
`_count_requests` / `_requests_sent`) shows per operation, action and path."""

from __future__ import annotations

import pytest

from pydynox import pydynox_core
from pydynox.exceptions import ResourceNotFoundException

from support import boto_put_many, boto_scan, call, to_list


def test_every_data_plane_request_takes_the_clients_path(path_client, request_path, table, boto, counted, mode):
    boto_put_many(boto, table, [{"pk": f"u{i}", "sk": "x", "n": i} for i in range(6)])

    call(path_client, mode, "put_item", table, {"pk": "new", "sk": "x"})
    updated = call(path_client, mode, "update_item", table, {"pk": "new", "sk": "x"}, updates={"n": 7}, return_values="ALL_NEW")
    assert updated.attributes == {"pk": "new", "sk": "x", "n": 7}
    assert call(path_client, mode, "get_item", table, {"pk": "new", "sk": "x"}) == {"pk": "new", "sk": "x", "n": 7}
    call(path_client, mode, "delete_item", table, {"pk": "new", "sk": "x"})
    items, _ = to_list(path_client, mode, "scan", table)
    queried, _ = to_list(
        path_client, mode, "query", table, key_condition_expression="pk = :p", expression_attribute_values={":p": "u1"}
    )
    count, _ = call(path_client, mode, "count", table)
    segmented, _ = call(path_client, mode, "parallel_scan", table, total_segments=3)

    assert len(items) == count == len(segmented) == len(boto_scan(boto, table)) == 6
    assert queried == [{"pk": "u1", "sk": "x", "n": 1}]
    assert pydynox_core._requests_sent() == {
        ("put_item", "PutItem", request_path): 1,
        ("update_item", "UpdateItem", request_path): 1,
        ("get_item", "GetItem", request_path): 1,
        ("delete_item", "DeleteItem", request_path): 1,
        ("scan", "Scan", request_path): 1,
        ("query", "Query", request_path): 1,
        ("count", "Scan", request_path): 1,
        ("parallel_scan", "Scan", request_path): 3,
    }


def test_count_takes_the_direct_path_for_every_page(path_client, request_path, table, boto, counted, mode):
    """A count over more than one response page (moto pages scans at 1 MB)."""
    boto_put_many(boto, table, [{"pk": f"k{i:03d}", "sk": "x", "pad": "x" * 10_000} for i in range(150)])
    pages = 1
    response = boto.scan(TableName=table, Select="COUNT")
    while "LastEvaluatedKey" in response:
        pages += 1
        response = boto.scan(TableName=table, Select="COUNT", ExclusiveStartKey=response["LastEvaluatedKey"])
    assert pages > 1, "precondition: the scan needs two pages"

    count, metrics = call(path_client, mode, "count", table)

    assert count == 150 == metrics.items_count
    assert pydynox_core._requests_sent() == {("count", "Scan", request_path): pages}
    assert path_client.get_total_metrics().scan_count == pages


def test_control_plane_requests_take_the_sdk_path(path_client, table, counted, mode):
    assert call(path_client, mode, "table_exists", table) is True
    assert call(path_client, mode, "table_exists", "no_such_table") is False

    assert pydynox_core._requests_sent() == {("table_exists", "DescribeTable", "sdk"): 2}


def test_a_failed_request_is_counted_and_named_by_its_operation(path_client, request_path, counted, mode):
    with pytest.raises(ResourceNotFoundException, match="count on table 'no_such_table'"):
        call(path_client, mode, "count", "no_such_table")
    with pytest.raises(ResourceNotFoundException, match="parallel_scan on table 'no_such_table'"):
        call(path_client, mode, "parallel_scan", "no_such_table", total_segments=2)

    sent = pydynox_core._requests_sent()
    assert sent[("count", "Scan", request_path)] == 1
    # The first failed segment cancels the other; at least one request went out.
    assert 1 <= sent[("parallel_scan", "Scan", request_path)] <= 2


def test_counting_off_counts_nothing(client, table, mode):
    pydynox_core._count_requests(True)
    pydynox_core._count_requests(False)

    call(client, mode, "get_item", table, {"pk": "a", "sk": "b"})

    assert pydynox_core._requests_sent() == {}
