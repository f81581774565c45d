"""Every read path keeps the SDK's retries (issue 9): the direct decoder reads the raw body
of the successful answer only, so a retryable failure (HTTP 500) on any read operation is
retried and the caller gets the same items as without it; with retries off, it raises a
typed error instead of returning something partial."""

from __future__ import annotations

import pytest

import pydynox
from pydynox.exceptions import PydynoxException

from faults import FaultProxy
from support import boto_put_many, call, collect

# Every test here runs over both request paths (ADR 12).
pytestmark = pytest.mark.usefixtures("request_path")

ITEMS = [{"pk": "p", "sk": f"{i:02d}", "n": i} for i in range(4)]
KEYS = [{"pk": "p", "sk": item["sk"]} for item in ITEMS]


def by_sk(items):
    return sorted(items, key=lambda item: item["sk"])


def read(client, mode, table, operation):
    """Reads ITEMS through one read operation; returns them in key order."""
    if operation in ("query", "scan"):
        if operation == "query":
            args = dict(key_condition_expression="pk = :p", expression_attribute_values={":p": "p"})
        else:
            args = {}
        items, _ = collect(client, mode, operation, table, page_size=2, **args)
        return by_sk(items)
    if operation == "get_item":
        return [call(client, mode, "get_item", table, key) for key in KEYS]
    if operation == "batch_get":
        return by_sk(call(client, mode, "batch_get", table, KEYS))
    if operation == "transact_get":
        return call(client, mode, "transact_get", [{"table": table, "key": key} for key in KEYS])
    if operation == "execute_statement":
        return by_sk(call(client, mode, "execute_statement", f'SELECT * FROM "{table}"'))
    if operation == "parallel_scan":
        items, _ = call(client, mode, "parallel_scan", table, 2)
        return by_sk(items)
    if operation == "count":
        count, _ = call(client, mode, "count", table)
        return count
    raise AssertionError(operation)


# Each read operation with the DynamoDB action its requests carry.
READS = [
    ("get_item", "GetItem"),
    ("query", "Query"),
    ("scan", "Scan"),
    ("batch_get", "BatchGetItem"),
    ("transact_get", "TransactGetItems"),
    ("execute_statement", "ExecuteStatement"),
    ("parallel_scan", "Scan"),
    ("count", "Scan"),
]


def expected(operation):
    return len(ITEMS) if operation == "count" else ITEMS


@pytest.mark.parametrize("operation, action", READS, ids=[op for op, _ in READS])
def test_a_failed_read_is_retried_and_reads_the_same(moto_endpoint, boto, table, mode, operation, action):
    boto_put_many(boto, table, ITEMS)
    with FaultProxy(moto_endpoint) as proxy:
        client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=2)
        proxy.fail_on = {action: {1}}

        assert read(client, mode, table, operation) == expected(operation)

        # The first request failed and was sent again: one more request than a clean read.
        clean = proxy.calls[action] - 1
        proxy.calls.clear()
        proxy.fail_on = {}
        assert read(client, mode, table, operation) == expected(operation)
        assert proxy.calls[action] == clean


@pytest.mark.parametrize("operation, action", READS, ids=[op for op, _ in READS])
def test_a_failed_read_without_retries_raises(moto_endpoint, boto, table, mode, operation, action):
    boto_put_many(boto, table, ITEMS)
    with FaultProxy(moto_endpoint) as proxy:
        client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=0)
        proxy.fail_on = {action: {1}}

        with pytest.raises(PydynoxException) as raised:
            read(client, mode, table, operation)
        # HTTP 500 is PydynoxException itself, not a subclass meaning something else.
        assert type(raised.value) is PydynoxException, repr(raised.value)
