"""Single-item operations: put, get, delete, update, conditions, projection, metrics.

Every write is checked by reading with boto3; every read starts from an item boto3 wrote.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from pydynox import ModelMetrics, OperationMetrics
from pydynox.exceptions import ConditionalCheckFailedException, PydynoxException

from support import boto_get, boto_put, call, from_boto

KEY = {"pk": "user#1", "sk": "profile"}


def stored(boto, table, key=KEY):
    item = boto_get(boto, table, key)
    return None if item is None else from_boto(item)


# --- put / get / delete -------------------------------------------------------------------


def test_put_item_is_read_back_by_boto3(client, boto, table, mode):
    item = {**KEY, "name": "Ada", "age": 36, "tags": {"math", "code"}}

    call(client, mode, "put_item", table, item)

    assert stored(boto, table) == item


def test_put_item_replaces_the_whole_item(client, boto, table, mode):
    boto_put(boto, table, {**KEY, "old": "gone", "kept": 1})

    call(client, mode, "put_item", table, {**KEY, "kept": 2})

    assert stored(boto, table) == {**KEY, "kept": 2}


def test_get_item_reads_what_boto3_wrote(client, boto, table, mode):
    boto_put(boto, table, {**KEY, "name": "Ada", "age": 36})

    assert call(client, mode, "get_item", table, KEY) == {**KEY, "name": "Ada", "age": 36}


def test_get_item_of_a_missing_item_is_none(client, table, mode):
    assert call(client, mode, "get_item", table, {"pk": "nobody", "sk": "x"}) is None


def test_get_item_with_consistent_read(client, boto, table, mode):
    boto_put(boto, table, {**KEY, "v": 1})

    assert call(client, mode, "get_item", table, KEY, consistent_read=True) == {**KEY, "v": 1}


def test_get_item_projection_returns_only_those_attributes(client, boto, table, mode):
    boto_put(boto, table, {**KEY, "a": 1, "b": 2, "c": 3})

    item = call(client, mode, "get_item", table, KEY, projection=["a", "c"])

    assert item == {"a": 1, "c": 3}


def test_get_item_projection_of_reserved_words(client, boto, table, mode):
    """`name` and `status` are DynamoDB reserved words: a projection of plain names
    must work without the caller writing #placeholders."""
    boto_put(boto, table, {**KEY, "name": "Ada", "status": "active", "other": 1})

    item = call(client, mode, "get_item", table, KEY, projection=["name", "status"])

    assert item == {"name": "Ada", "status": "active"}


def test_delete_item_removes_it(client, boto, table, mode):
    boto_put(boto, table, {**KEY, "v": 1})

    call(client, mode, "delete_item", table, KEY)

    assert stored(boto, table) is None


def test_delete_of_a_missing_item_is_not_an_error(client, table, mode):
    metrics = call(client, mode, "delete_item", table, {"pk": "nobody", "sk": "x"})

    assert isinstance(metrics, OperationMetrics)


# --- update ------------------------------------------------------------------------------------


def test_update_item_with_updates_sets_only_those_attributes(client, boto, table, mode):
    boto_put(boto, table, {**KEY, "a": 1, "keep": "me"})

    call(client, mode, "update_item", table, KEY, updates={"a": 2, "tags": {"x", "y"}, "doc": {"n": [1, 2]}})

    assert stored(boto, table) == {**KEY, "a": 2, "keep": "me", "tags": {"x", "y"}, "doc": {"n": [1, 2]}}


def test_update_item_with_updates_creates_a_missing_item(client, boto, table, mode):
    call(client, mode, "update_item", table, KEY, updates={"a": 1})

    assert stored(boto, table) == {**KEY, "a": 1}


def test_update_item_with_updates_of_reserved_words(client, boto, table, mode):
    """`updates` names attributes, not expressions: reserved words must just work."""
    boto_put(boto, table, {**KEY, "status": "new"})

    call(client, mode, "update_item", table, KEY, updates={"status": "done", "name": "x", "count": 3})

    assert stored(boto, table) == {**KEY, "status": "done", "name": "x", "count": 3}


def test_update_item_with_update_expression(client, boto, table, mode):
    boto_put(boto, table, {**KEY, "count": 5, "gone": "x", "tags": {"a"}})

    call(
        client,
        mode,
        "update_item",
        table,
        KEY,
        update_expression="SET #c = #c + :inc, added = :new REMOVE gone ADD tags :t",
        expression_attribute_names={"#c": "count"},
        expression_attribute_values={":inc": 2, ":new": [1, "two"], ":t": {"b"}},
    )

    assert stored(boto, table) == {**KEY, "count": 7, "added": [1, "two"], "tags": {"a", "b"}}


# --- update_item(return_values=...) ---------------------------------------------------------------

RETURN_VALUES_CASES = [
    # (return_values, what `attributes` holds after SET count = count + 2, REMOVE gone)
    ("ALL_NEW", {**KEY, "count": 7, "keep": "me", "ratio": 0.5}),
    ("UPDATED_NEW", {"count": 7}),
    ("ALL_OLD", {**KEY, "count": 5, "keep": "me", "ratio": 0.5, "gone": "x"}),
    ("UPDATED_OLD", {"count": 5, "gone": "x"}),
    ("NONE", None),
    (None, None),
]


@pytest.mark.parametrize("return_values, expected", RETURN_VALUES_CASES, ids=[str(c[0]) for c in RETURN_VALUES_CASES])
def test_update_item_return_values_come_back_as_attributes(client, boto, table, mode, return_values, expected):
    boto_put(boto, table, {**KEY, "count": 5, "keep": "me", "ratio": Decimal("0.5"), "gone": "x"})

    metrics = call(
        client, mode, "update_item", table, KEY,
        update_expression="SET #c = #c + :inc REMOVE gone",
        expression_attribute_names={"#c": "count"},
        expression_attribute_values={":inc": 2},
        return_values=return_values,
    )

    assert isinstance(metrics, OperationMetrics)
    assert metrics.attributes == expected
    assert stored(boto, table) == {**KEY, "count": 7, "keep": "me", "ratio": 0.5}


def test_update_item_return_values_follow_exact_numbers(moto_endpoint, boto, table, mode):
    from pydynox import DynamoDBClient

    exact = DynamoDBClient(endpoint_url=moto_endpoint, exact_numbers=True)
    boto_put(boto, table, {**KEY, "ratio": Decimal("0.5")})

    metrics = call(exact, mode, "update_item", table, KEY, updates={"n": 1}, return_values="ALL_NEW")

    assert metrics.attributes == {**KEY, "ratio": Decimal("0.5"), "n": 1}
    assert type(metrics.attributes["ratio"]) is Decimal


def test_other_calls_carry_no_attributes(client, table, mode):
    assert call(client, mode, "put_item", table, {**KEY, "a": 1}).attributes is None
    assert call(client, mode, "update_item", table, KEY, updates={"a": 2}).attributes is None
    returned = call(client, mode, "update_item", table, KEY, updates={"a": 3}, return_values="ALL_NEW")
    assert returned.attributes == {**KEY, "a": 3}
    last = client.get_last_metrics()
    assert last.request_id == returned.request_id and last.attributes is None  # metrics are about cost


@pytest.mark.parametrize("bad", ["all_new", "ALL", "", "UPDATED NEW"])
def test_update_item_bad_return_values_is_refused_before_sending(client, boto, table, mode, bad):
    with pytest.raises(ValueError, match="return_values") as info:
        call(client, mode, "update_item", table, KEY, updates={"a": 1}, return_values=bad)

    assert repr(bad) in str(info.value) or f'"{bad}"' in str(info.value)
    assert stored(boto, table) is None


def test_update_item_return_values_must_be_a_str(client, table, mode):
    with pytest.raises(TypeError, match="return_values"):
        call(client, mode, "update_item", table, KEY, updates={"a": 1}, return_values=1)


def test_update_item_condition_holds(client, boto, table, mode):
    boto_put(boto, table, {**KEY, "version": 1, "v": "old"})

    call(
        client,
        mode,
        "update_item",
        table,
        KEY,
        updates={"v": "new", "version": 2},
        condition_expression="version = :expected",
        expression_attribute_values={":expected": 1},
    )

    assert stored(boto, table) == {**KEY, "version": 2, "v": "new"}


# --- conditions ----------------------------------------------------------------------------------


def test_put_item_condition_holds(client, boto, table, mode):
    call(client, mode, "put_item", table, {**KEY, "v": 1}, condition_expression="attribute_not_exists(pk)")

    assert stored(boto, table) == {**KEY, "v": 1}


def test_put_item_condition_fails(client, boto, table, mode):
    boto_put(boto, table, {**KEY, "v": "original"})

    with pytest.raises(ConditionalCheckFailedException) as info:
        call(client, mode, "put_item", table, {**KEY, "v": "new"}, condition_expression="attribute_not_exists(pk)")

    assert isinstance(info.value, PydynoxException)
    assert info.value.item is None  # not asked for
    assert stored(boto, table) == {**KEY, "v": "original"}


def test_put_item_condition_fails_returns_the_stored_item_when_asked(client, boto, table, mode):
    boto_put(boto, table, {**KEY, "v": "original", "n": 3, "s": {"x"}})

    with pytest.raises(ConditionalCheckFailedException) as info:
        call(
            client,
            mode,
            "put_item",
            table,
            {**KEY, "v": "new"},
            condition_expression="attribute_not_exists(pk)",
            return_values_on_condition_check_failure=True,
        )

    assert info.value.item == {**KEY, "v": "original", "n": 3, "s": {"x"}}


def test_put_item_condition_with_names_and_values(client, boto, table, mode):
    boto_put(boto, table, {**KEY, "status": "active"})

    with pytest.raises(ConditionalCheckFailedException):
        call(
            client,
            mode,
            "put_item",
            table,
            {**KEY, "status": "deleted"},
            condition_expression="#s = :s",
            expression_attribute_names={"#s": "status"},
            expression_attribute_values={":s": "inactive"},
        )
    call(
        client,
        mode,
        "put_item",
        table,
        {**KEY, "status": "deleted"},
        condition_expression="#s = :s",
        expression_attribute_names={"#s": "status"},
        expression_attribute_values={":s": "active"},
    )

    assert stored(boto, table) == {**KEY, "status": "deleted"}


def test_delete_item_condition_fails_with_item(client, boto, table, mode):
    boto_put(boto, table, {**KEY, "locked": True})

    with pytest.raises(ConditionalCheckFailedException) as info:
        call(
            client,
            mode,
            "delete_item",
            table,
            KEY,
            condition_expression="locked = :f",
            expression_attribute_values={":f": False},
            return_values_on_condition_check_failure=True,
        )

    assert info.value.item == {**KEY, "locked": True}
    assert stored(boto, table) == {**KEY, "locked": True}


def test_delete_item_condition_fails_without_item(client, boto, table, mode):
    boto_put(boto, table, {**KEY, "locked": True})

    with pytest.raises(ConditionalCheckFailedException) as info:
        call(client, mode, "delete_item", table, KEY, condition_expression="attribute_not_exists(locked)")

    assert info.value.item is None
    assert stored(boto, table) == {**KEY, "locked": True}


def test_update_item_condition_fails_with_item(client, boto, table, mode):
    boto_put(boto, table, {**KEY, "version": 3})

    with pytest.raises(ConditionalCheckFailedException) as info:
        call(
            client,
            mode,
            "update_item",
            table,
            KEY,
            updates={"version": 2},
            condition_expression="version = :expected",
            expression_attribute_values={":expected": 1},
            return_values_on_condition_check_failure=True,
        )

    assert info.value.item == {**KEY, "version": 3}
    assert stored(boto, table) == {**KEY, "version": 3}


# --- metrics ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", ["put_item", "delete_item", "update_item"])
def test_writes_return_operation_metrics(client, table, mode, operation):
    args = {
        "put_item": (table, {**KEY, "v": 1}),
        "delete_item": (table, KEY),
        "update_item": (table, KEY),
    }[operation]
    kwargs = {"updates": {"v": 2}} if operation == "update_item" else {}

    metrics = call(client, mode, operation, *args, **kwargs)

    assert isinstance(metrics, OperationMetrics)
    assert metrics.duration_ms > 0
    assert isinstance(metrics.request_id, str) and metrics.request_id  # moto sends x-amzn-RequestId


def test_write_metrics_report_consumed_capacity(client, table, mode):
    """Consumed capacity is only reported when asked for; pydynox must ask (TOTAL)."""
    metrics = call(client, mode, "put_item", table, {**KEY, "v": 1})

    assert metrics.consumed_wcu is not None and metrics.consumed_wcu > 0


def test_last_and_total_metrics(client, boto, table, mode):
    assert client.get_last_metrics() is None

    put = call(client, mode, "put_item", table, {**KEY, "v": 1})
    assert client.get_last_metrics().request_id == put.request_id

    call(client, mode, "get_item", table, KEY)
    call(client, mode, "get_item", table, KEY)
    call(client, mode, "update_item", table, KEY, updates={"v": 2})
    deleted = call(client, mode, "delete_item", table, KEY)
    assert client.get_last_metrics().request_id == deleted.request_id

    totals = client.get_total_metrics()
    assert isinstance(totals, ModelMetrics)
    assert (totals.put_count, totals.get_count, totals.update_count, totals.delete_count) == (1, 2, 1, 1)
    assert totals.operation_count == 5
    assert totals.total_duration_ms > 0

    client.reset_metrics()
    assert client.get_last_metrics() is None
    totals = client.get_total_metrics()
    assert (totals.operation_count, totals.put_count, totals.get_count) == (0, 0, 0)
    assert totals.total_duration_ms == 0
