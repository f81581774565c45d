"""Errors that say what failed and stay catchable the way 0.21.0's were (issue 7, defects
8, 11, 12 and 13)."""

from __future__ import annotations

from decimal import Decimal

import pytest

import pydynox
from pydynox.exceptions import (
    ConditionalCheckFailedException,
    ConnectionException,
    ParamValidationException,
    ResourceNotFoundException,
    ValidationException,
)

from support import boto_get_raw, boto_put, call, closed_endpoint, collect, error_text, unique_name

KEY = {"pk": "a", "sk": "b"}


def offline_client():
    """A client whose every request would fail with ConnectionException: a call that
    returns proves nothing was sent."""
    return pydynox.DynamoDBClient(endpoint_url=closed_endpoint(), region="us-east-1", max_retries=0, connect_timeout=1.0)


# --- 11: messages name the operation and the table, keep DynamoDB's text and request id ------


def test_missing_table_error_names_operation_and_table(client, mode):
    missing = unique_name("missing")

    with pytest.raises(ResourceNotFoundException) as info:
        call(client, mode, "get_item", missing, KEY)

    text = str(info.value)
    assert f"get_item on table '{missing}'" in text
    assert "Requested resource not found" in text, "DynamoDB's own message is kept"
    assert "request id: " in text


def test_query_error_names_the_index(client, table, mode):
    with pytest.raises(pydynox.exceptions.PydynoxException) as info:
        collect(
            client,
            mode,
            "query",
            table,
            key_condition_expression="pk = :p",
            expression_attribute_values={":p": "a"},
            index_name="no_such_index",
        )

    assert f"query on index 'no_such_index' of table '{table}'" in str(info.value)


def test_validation_error_names_operation_and_table(client, table, mode):
    with pytest.raises(ValidationException) as info:
        call(client, mode, "put_item", table, {"pk": "only-hash"})

    assert f"put_item on table '{table}'" in str(info.value)


def test_transaction_error_names_its_tables(client, table, mode):
    missing = unique_name("missing")

    with pytest.raises(pydynox.exceptions.PydynoxException) as info:
        call(
            client,
            mode,
            "transact_write",
            [{"type": "put", "table": table, "item": KEY}, {"type": "put", "table": missing, "item": KEY}],
        )

    assert f"transact_write on tables '{table}', '{missing}'" in str(info.value)


def test_connection_failure_says_connection_failed_and_names_the_endpoint(mode):
    endpoint = closed_endpoint()
    client = pydynox.DynamoDBClient(
        endpoint_url=endpoint.replace("http://", "http://user:hunter2@"), region="us-east-1", max_retries=0
    )

    with pytest.raises(ConnectionException) as info:
        call(client, mode, "get_item", "orders", KEY)

    text = str(info.value)
    assert "Connection failed" in text, "0.21.0's wording, which users' code matches"
    assert endpoint in text and "get_item on table 'orders'" in text
    assert "hunter2" not in text


# --- 12: arguments rejected before sending are ValidationException and ValueError -------------

LOCAL_VALIDATION = [
    ("hash_key_type", "create_table", ("t", ("pk", "INVALID")), {}),
    ("billing_mode", "create_table", ("t", ("pk", "S")), {"billing_mode": "INVALID"}),
    ("nan_value", "put_item", ("t", {"pk": float("nan")}), {}),
    ("empty_set", "put_item", ("t", {"pk": "a", "s": set()}), {}),
    ("infinite_value", "count", ("t",), {"filter_expression": "a = :v", "expression_attribute_values": {":v": float("inf")}}),
    ("updates_and_expression", "update_item", ("t", KEY), {"updates": {"a": 1}, "update_expression": "SET a = :v"}),
    ("transact_type", "transact_write", ([{"type": "upsert", "table": "t", "item": KEY}],), {}),
    ("wait_timeout", "wait_for_table_active", ("t",), {"timeout_seconds": -1}),
]


@pytest.mark.parametrize(
    "operation, args, kwargs", [c[1:] for c in LOCAL_VALIDATION], ids=[c[0] for c in LOCAL_VALIDATION]
)
def test_local_validation_is_both_validation_exception_and_value_error(mode, operation, args, kwargs):
    with pytest.raises(ParamValidationException) as info:
        call(offline_client(), mode, operation, *args, **kwargs)

    assert isinstance(info.value, ValidationException), "0.21.0 raised ValidationException here"
    assert isinstance(info.value, ValueError)


def test_constructor_validation_is_both_too():
    with pytest.raises(ValidationException):
        pydynox.DynamoDBClient(max_retries=-1)
    with pytest.raises(ValueError):
        pydynox.DynamoDBClient(read_timeout=-1.0)


# --- 13: empty inputs send nothing --------------------------------------------------------------

EMPTY = [
    ("transact_get", ([],), {}, []),
    ("transact_write", ([],), {}, None),
    ("batch_get", ("t", []), {}, []),
    ("batch_write", ("t",), {"put_items": [], "delete_keys": []}, None),
]


@pytest.mark.parametrize("operation, args, kwargs, expected", EMPTY, ids=[c[0] for c in EMPTY])
def test_empty_input_returns_without_a_request(mode, operation, args, kwargs, expected):
    assert call(offline_client(), mode, operation, *args, **kwargs) == expected


# --- 8: exact_numbers applies to items attached to exceptions -----------------------------------


def test_condition_failure_item_honours_exact_numbers(exact_client, boto, table, mode):
    boto_put(boto, table, {**KEY, "price": Decimal("19.99")})

    with pytest.raises(ConditionalCheckFailedException) as info:
        call(
            exact_client,
            mode,
            "put_item",
            table,
            {**KEY, "price": Decimal("5")},
            condition_expression="attribute_not_exists(pk)",
            return_values_on_condition_check_failure=True,
        )

    price = info.value.item["price"]
    assert type(price) is Decimal and price == Decimal("19.99")
    assert boto_get_raw(boto, table, KEY)["price"] == {"N": "19.99"}, "nothing was written"


def test_condition_failure_item_is_float_by_default(client, boto, table, mode):
    boto_put(boto, table, {**KEY, "price": Decimal("19.99")})

    with pytest.raises(ConditionalCheckFailedException) as info:
        call(
            client,
            mode,
            "delete_item",
            table,
            KEY,
            condition_expression="attribute_not_exists(pk)",
            return_values_on_condition_check_failure=True,
        )

    assert info.value.item["price"] == 19.99 and type(info.value.item["price"]) is float
    assert "delete_item" in error_text(info.value)
