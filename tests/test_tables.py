"""Table management (checked with boto3's describe_table), time to live, ping, PartiQL."""

from __future__ import annotations

import time

import pytest

import pydynox
from pydynox import ListWithMetrics, OperationMetrics, TimeToLiveDescription
from pydynox.exceptions import PydynoxException, ResourceInUseException, ResourceNotFoundException

from support import boto_put, call, closed_endpoint, unique_name


def describe(boto, name):
    return boto.describe_table(TableName=name)["Table"]


def schema(key_schema):
    return {k["KeyType"]: k["AttributeName"] for k in key_schema}


# --- create / exists / wait / delete ----------------------------------------------------------


def test_create_table_with_gsi_and_lsi(client, boto, drop_table, mode):
    name = drop_table(unique_name())

    call(
        client,
        mode,
        "create_table",
        name,
        hash_key=("pk", "S"),
        range_key=("sk", "S"),
        global_secondary_indexes=[
            {"index_name": "by_email", "hash_key": ("email", "S"), "projection": "ALL"},
            {
                "index_name": "by_score",
                "hash_key": ("game", "S"),
                "range_key": ("score", "N"),
                "projection": "KEYS_ONLY",
            },
        ],
        local_secondary_indexes=[
            {
                "index_name": "by_created",  # an LSI shares the table's hash key
                "range_key": ("created", "N"),
                "projection": "INCLUDE",
                "non_key_attributes": ["title"],
            }
        ],
        wait=True,
    )

    table = describe(boto, name)
    assert table["TableStatus"] == "ACTIVE"
    assert schema(table["KeySchema"]) == {"HASH": "pk", "RANGE": "sk"}
    assert {a["AttributeName"]: a["AttributeType"] for a in table["AttributeDefinitions"]} == {
        "pk": "S",
        "sk": "S",
        "email": "S",
        "game": "S",
        "score": "N",
        "created": "N",
    }
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    gsis = {g["IndexName"]: g for g in table["GlobalSecondaryIndexes"]}
    assert schema(gsis["by_email"]["KeySchema"]) == {"HASH": "email"}
    assert gsis["by_email"]["Projection"]["ProjectionType"] == "ALL"
    assert schema(gsis["by_score"]["KeySchema"]) == {"HASH": "game", "RANGE": "score"}
    assert gsis["by_score"]["Projection"]["ProjectionType"] == "KEYS_ONLY"
    (lsi,) = table["LocalSecondaryIndexes"]
    assert lsi["IndexName"] == "by_created"
    assert schema(lsi["KeySchema"]) == {"HASH": "pk", "RANGE": "created"}
    assert lsi["Projection"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["title"]}


def test_create_table_hash_key_only_provisioned(client, boto, drop_table, mode):
    name = drop_table(unique_name())

    call(
        client,
        mode,
        "create_table",
        name,
        hash_key=("id", "N"),
        billing_mode="PROVISIONED",
        read_capacity=3,
        write_capacity=4,
    )

    table = describe(boto, name)
    assert schema(table["KeySchema"]) == {"HASH": "id"}
    assert table["AttributeDefinitions"] == [{"AttributeName": "id", "AttributeType": "N"}]
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 3
    assert table["ProvisionedThroughput"]["WriteCapacityUnits"] == 4


def test_created_table_is_usable(client, boto, drop_table, mode):
    name = drop_table(unique_name())
    call(client, mode, "create_table", name, hash_key=("pk", "S"), range_key=("sk", "N"))
    call(client, mode, "wait_for_table_active", name, timeout_seconds=30)

    call(client, mode, "put_item", name, {"pk": "a", "sk": 1, "v": "x"})

    assert boto.get_item(TableName=name, Key={"pk": {"S": "a"}, "sk": {"N": "1"}})["Item"]["v"] == {"S": "x"}


def test_create_existing_table_raises_resource_in_use(client, table, mode):
    with pytest.raises(ResourceInUseException):
        call(client, mode, "create_table", table, hash_key=("pk", "S"), range_key=("sk", "S"))


def test_table_exists(client, table, mode):
    assert call(client, mode, "table_exists", table) is True
    assert call(client, mode, "table_exists", unique_name("missing")) is False


def test_wait_for_table_active_returns_for_an_active_table(client, table, mode):
    started = time.monotonic()

    assert call(client, mode, "wait_for_table_active", table, timeout_seconds=30) is None

    assert time.monotonic() - started < 30


def test_delete_table(client, boto, table, mode):
    assert call(client, mode, "delete_table", table) is None

    with pytest.raises(boto.exceptions.ResourceNotFoundException):
        boto.describe_table(TableName=table)
    assert call(client, mode, "table_exists", table) is False


def test_delete_missing_table_raises_resource_not_found(client, mode):
    with pytest.raises(ResourceNotFoundException) as info:
        call(client, mode, "delete_table", unique_name("missing"))

    assert isinstance(info.value, PydynoxException)


def test_item_operation_on_missing_table_raises_resource_not_found(client, mode):
    with pytest.raises(ResourceNotFoundException):
        call(client, mode, "get_item", unique_name("missing"), {"pk": "a", "sk": "b"})


# --- time to live ------------------------------------------------------------------------------


def test_time_to_live_is_disabled_on_a_new_table(client, table, mode):
    ttl = call(client, mode, "describe_time_to_live", table)

    assert isinstance(ttl, TimeToLiveDescription)
    assert ttl.status == "DISABLED"
    assert ttl.attribute_name is None


def test_update_time_to_live(client, boto, table, mode):
    call(client, mode, "update_time_to_live", table, "expires_at")

    ttl = call(client, mode, "describe_time_to_live", table)
    assert (ttl.status, ttl.attribute_name) == ("ENABLED", "expires_at")
    assert boto.describe_time_to_live(TableName=table)["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED",
        "AttributeName": "expires_at",
    }

    call(client, mode, "update_time_to_live", table, "expires_at", enabled=False)

    assert call(client, mode, "describe_time_to_live", table).status == "DISABLED"
    assert boto.describe_time_to_live(TableName=table)["TimeToLiveDescription"]["TimeToLiveStatus"] == "DISABLED"


# --- ping ----------------------------------------------------------------------------------------


def test_ping_true_against_moto(client, mode):
    assert call(client, mode, "ping") is True


def test_ping_false_against_a_closed_port_without_raising(mode):
    client = pydynox.DynamoDBClient(
        endpoint_url=closed_endpoint(), region="us-east-1", connect_timeout=1.0, read_timeout=1.0, max_retries=0
    )
    started = time.monotonic()

    assert call(client, mode, "ping") is False

    assert time.monotonic() - started < 15


# --- PartiQL -------------------------------------------------------------------------------------


def test_execute_statement_select_with_parameters(client, boto, table, mode):
    boto_put(boto, table, {"pk": "a", "sk": "1", "n": 1})
    boto_put(boto, table, {"pk": "a", "sk": "2", "n": 2})
    boto_put(boto, table, {"pk": "b", "sk": "1", "n": 3})

    # moto's PartiQL parser needs spaces around `=`.
    result = call(client, mode, "execute_statement", f'SELECT * FROM "{table}" WHERE pk = ?', parameters=["a"])

    assert isinstance(result, ListWithMetrics) and isinstance(result, list)
    assert sorted(result, key=lambda i: i["sk"]) == [{"pk": "a", "sk": "1", "n": 1}, {"pk": "a", "sk": "2", "n": 2}]
    assert isinstance(result.metrics, OperationMetrics)
    assert result.next_token is None


def test_execute_statement_select_all(client, boto, table, mode):
    boto_put(boto, table, {"pk": "a", "sk": "1", "tags": {"x"}})

    result = call(client, mode, "execute_statement", f'SELECT * FROM "{table}"')

    assert list(result) == [{"pk": "a", "sk": "1", "tags": {"x"}}]


def test_execute_statement_on_missing_table(client, mode):
    with pytest.raises(ResourceNotFoundException):
        call(client, mode, "execute_statement", f'SELECT * FROM "{unique_name("missing")}"')
