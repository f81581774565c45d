"""Batch and transaction requests on both request paths (ADR 12): BatchWriteItem,
BatchGetItem, TransactWriteItems and TransactGetItems take the client's path, and what
they answer reads the same on each: a cancelled transaction's reasons, unprocessed items
and keys, the idempotency token. Every test runs once per path (`request_path` or
`fault_client`) and per twin (`mode`)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from faults import Fault
from support import boto_get, boto_put, boto_scan, by_key, call

import pydynox
from pydynox import pydynox_core
from pydynox.exceptions import TransactionCanceledException

from conftest import REGION


def test_batch_and_transaction_requests_take_the_clients_path(path_client, request_path, table, boto, counted, mode):
    items = [{"pk": f"k{i:03d}", "sk": "x", "n": i} for i in range(30)]
    call(path_client, mode, "batch_write", table, put_items=items)
    got = call(path_client, mode, "batch_get", table, [{"pk": i["pk"], "sk": "x"} for i in items])
    call(
        path_client,
        mode,
        "transact_write",
        [
            {"type": "put", "table": table, "item": {"pk": "t1", "sk": "x", "s": {"a", "b"}}},
            {"type": "update", "table": table, "key": {"pk": "k000", "sk": "x"}, "update_expression": "SET n = :v",
             "expression_attribute_values": {":v": 100}},
            {"type": "delete", "table": table, "key": {"pk": "k001", "sk": "x"}},
            {"type": "condition_check", "table": table, "key": {"pk": "k002", "sk": "x"},
             "condition_expression": "attribute_exists(#p)", "expression_attribute_names": {"#p": "pk"}},
        ],
    )
    read = call(
        path_client,
        mode,
        "transact_get",
        [
            {"table": table, "key": {"pk": "t1", "sk": "x"}},
            {"table": table, "key": {"pk": "k000", "sk": "x"}, "projection_expression": "#n", "expression_attribute_names": {"#n": "n"}},
            {"table": table, "key": {"pk": "k001", "sk": "x"}},
        ],
    )

    assert by_key(got) == items
    assert read[0] == {"pk": "t1", "sk": "x", "s": {"a", "b"}} and read[2] is None
    assert read[1]["n"] == 100  # moto returns the whole item whatever the projection
    assert boto_get(boto, table, {"pk": "k001", "sk": "x"}) is None
    assert len(boto_scan(boto, table)) == 30
    assert pydynox_core._requests_sent() == {
        ("batch_write", "BatchWriteItem", request_path): 2,
        ("batch_get", "BatchGetItem", request_path): 1,
        ("transact_write", "TransactWriteItems", request_path): 1,
        ("transact_get", "TransactGetItems", request_path): 1,
    }


def test_batch_get_with_projection_and_consistent_read(path_client, table, boto, mode):
    boto_put(boto, table, {"pk": "a", "sk": "x", "n": 1, "other": "o"})
    got = call(path_client, mode, "batch_get", table, [{"pk": "a", "sk": "x"}, {"pk": "b", "sk": "x"}],
               consistent_read=True, projection=["pk", "n"])
    assert got == [{"pk": "a", "n": 1}]


def cancelled(client: Any, mode: str, table: str) -> TransactionCanceledException:
    operations = [
        {"type": "put", "table": table, "item": {"pk": "a", "sk": "v"}},
        {"type": "condition_check", "table": table, "key": {"pk": "guard", "sk": "v"},
         "condition_expression": "#o = :y", "expression_attribute_names": {"#o": "open"},
         "expression_attribute_values": {":y": True}},
        {"type": "delete", "table": table, "key": {"pk": "b", "sk": "v"}},
    ]
    with pytest.raises(TransactionCanceledException) as info:
        call(client, mode, "transact_write", operations)
    return info.value


def test_a_cancelled_transaction_raises_the_same_exception_on_both_paths(moto_endpoint, monkeypatch, boto, table, mode):
    boto_put(boto, table, {"pk": "guard", "sk": "v", "open": False})
    raised = {}
    for path, env in (("direct", "1"), ("sdk", "0")):
        monkeypatch.setenv("PYDYNOX_DIRECT", env)
        client = pydynox.DynamoDBClient(endpoint_url=moto_endpoint, region=REGION)
        raised[path] = cancelled(client, mode, table)

    direct, sdk = raised["direct"], raised["sdk"]
    assert [r["code"] for r in direct.reasons][1] == "ConditionalCheckFailed"
    assert direct.reasons == sdk.reasons
    request_id = re.compile(r"\(request id: [^)]*\)")
    assert type(direct) is type(sdk) and request_id.sub("", str(direct)) == request_id.sub("", str(sdk))
    assert boto_scan(boto, table) == [{"pk": "guard", "sk": "v", "open": False}]


def test_unprocessed_items_and_keys_are_sent_again_on_both_paths(fault_client, proxy, boto, table, mode):
    """The proxy hands back part of every batch as unprocessed (faults.py): each path reads
    `UnprocessedItems` / `UnprocessedKeys` and sends exactly those again."""
    from test_batch_faults import hold_back_share

    client = fault_client()
    proxy.intercept["BatchWriteItem"] = hold_back_share(0.5, "UnprocessedItems")
    proxy.intercept["BatchGetItem"] = hold_back_share(0.5, "UnprocessedKeys")
    items = [{"pk": f"k{i:03d}", "sk": "x", "n": i, "b": bytes([i]), "l": [i, {"m": "x"}]} for i in range(120)]

    call(client, mode, "batch_write", table, put_items=items[:100], delete_keys=[{"pk": "gone", "sk": "x"}])
    call(client, mode, "batch_write", table, put_items=items[100:])
    got = call(client, mode, "batch_get", table, [{"pk": i["pk"], "sk": "x"} for i in items])

    assert by_key(boto_scan(boto, table)) == by_key(items)
    assert by_key(got) == by_key(items)


def test_a_transaction_retried_by_the_client_keeps_its_token(fault_client, proxy, boto, table, mode):
    proxy.honour_client_request_tokens = True
    proxy.inject("TransactWriteItems", Fault.APPLIED_THEN_500, 1)
    client = fault_client(max_retries=2)
    boto_put(boto, table, {"pk": "counter", "sk": "v", "n": 0})

    call(client, mode, "transact_write", [
        {"type": "update", "table": table, "key": {"pk": "counter", "sk": "v"}, "update_expression": "ADD n :one",
         "expression_attribute_values": {":one": 1}},
    ])

    assert boto_get(boto, table, {"pk": "counter", "sk": "v"})["n"] == 1
    first, retry = proxy.transaction_tokens
    assert first is not None and len(first) == 36 and first == retry
