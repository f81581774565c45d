"""batch_write (more than 25 items), batch_get (more than 100 keys), transact_write and
transact_get, checked against boto3."""

from __future__ import annotations

import pytest

from pydynox.exceptions import PydynoxException, TransactionCanceledException

from support import boto_put, boto_put_many, boto_scan, by_key, call, from_boto, boto_get


def make_items(count, prefix="item"):
    return [{"pk": f"{prefix}#{i:03d}", "sk": "v", "n": i, "tags": {f"t{i % 3}"}} for i in range(count)]


def key_of(item):
    return {"pk": item["pk"], "sk": item["sk"]}


# --- batch_write --------------------------------------------------------------------------


def test_batch_write_more_than_25_items(client, boto, table, mode):
    items = make_items(60)

    assert call(client, mode, "batch_write", table, put_items=items) is None

    assert by_key(boto_scan(boto, table)) == by_key(items)


def test_batch_write_deletes_more_than_25_keys(client, boto, table, mode):
    items = make_items(40)
    boto_put_many(boto, table, items)

    call(client, mode, "batch_write", table, delete_keys=[key_of(i) for i in items[:30]])

    assert by_key(boto_scan(boto, table)) == by_key(items[30:])


def test_batch_write_puts_and_deletes_together(client, boto, table, mode):
    old = make_items(30, "old")
    new = make_items(30, "new")
    boto_put_many(boto, table, old)

    call(client, mode, "batch_write", table, put_items=new, delete_keys=[key_of(i) for i in old])

    assert by_key(boto_scan(boto, table)) == by_key(new)


# --- batch_get -----------------------------------------------------------------------------


def test_batch_get_more_than_100_keys(client, boto, table, mode):
    items = make_items(130)
    boto_put_many(boto, table, items)
    missing = [{"pk": f"missing#{i}", "sk": "v"} for i in range(20)]

    got = call(client, mode, "batch_get", table, [key_of(i) for i in items] + missing)

    assert by_key(got) == by_key(items)  # missing items left out, every type intact


def test_batch_get_of_nothing_found(client, table, mode):
    assert call(client, mode, "batch_get", table, [{"pk": "a", "sk": "b"}]) == []


# --- transact_write ---------------------------------------------------------------------------


def test_transact_write_applies_every_kind_of_operation(client, boto, table, mode):
    boto_put(boto, table, {"pk": "acct#1", "sk": "v", "balance": 100})
    boto_put(boto, table, {"pk": "acct#2", "sk": "v", "balance": 5})
    boto_put(boto, table, {"pk": "old", "sk": "v"})
    boto_put(boto, table, {"pk": "guard", "sk": "v", "open": True})

    call(
        client,
        mode,
        "transact_write",
        [
            {"type": "put", "table": table, "item": {"pk": "log#1", "sk": "v", "amount": 30}},
            {
                "type": "update",
                "table": table,
                "key": {"pk": "acct#1", "sk": "v"},
                "update_expression": "SET balance = balance - :a",
                "condition_expression": "balance >= :a",
                "expression_attribute_values": {":a": 30},
            },
            {
                "type": "update",
                "table": table,
                "key": {"pk": "acct#2", "sk": "v"},
                "update_expression": "SET #b = #b + :a",
                "expression_attribute_names": {"#b": "balance"},
                "expression_attribute_values": {":a": 30},
            },
            {"type": "delete", "table": table, "key": {"pk": "old", "sk": "v"}},
            {
                "type": "condition_check",
                "table": table,
                "key": {"pk": "guard", "sk": "v"},
                "condition_expression": "#o = :t",
                "expression_attribute_names": {"#o": "open"},
                "expression_attribute_values": {":t": True},
            },
        ],
    )

    assert by_key(boto_scan(boto, table)) == by_key(
        [
            {"pk": "log#1", "sk": "v", "amount": 30},
            {"pk": "acct#1", "sk": "v", "balance": 70},
            {"pk": "acct#2", "sk": "v", "balance": 35},
            {"pk": "guard", "sk": "v", "open": True},
        ]
    )


def test_transact_write_cancelled_applies_nothing_and_gives_reasons(client, boto, table, mode):
    boto_put(boto, table, {"pk": "guard", "sk": "v", "open": False})

    with pytest.raises(TransactionCanceledException) as info:
        call(
            client,
            mode,
            "transact_write",
            [
                {"type": "put", "table": table, "item": {"pk": "new", "sk": "v"}},
                {
                    "type": "condition_check",
                    "table": table,
                    "key": {"pk": "guard", "sk": "v"},
                    "condition_expression": "#o = :t",
                    "expression_attribute_names": {"#o": "open"},
                    "expression_attribute_values": {":t": True},
                },
            ],
        )

    error = info.value
    assert isinstance(error, PydynoxException)
    assert len(error.reasons) == 2
    assert all(set(reason) >= {"code", "message", "item"} for reason in error.reasons), error.reasons
    assert error.reasons[1]["code"] == "ConditionalCheckFailed"
    assert error.reasons[0]["code"] in (None, "None")  # DynamoDB sends the string "None"
    assert boto_get(boto, table, {"pk": "new", "sk": "v"}) is None


# --- transact_get ---------------------------------------------------------------------------------


def test_transact_get_keeps_order_and_gives_none_for_missing(client, boto, table, mode):
    a = {"pk": "a", "sk": "v", "n": 1, "big": 2**70}
    b = {"pk": "b", "sk": "v", "s": {"x", "y"}}
    boto_put(boto, table, a)
    boto_put(boto, table, b)

    got = call(
        client,
        mode,
        "transact_get",
        [
            {"table": table, "key": key_of(b)},
            {"table": table, "key": {"pk": "missing", "sk": "v"}},
            {"table": table, "key": key_of(a)},
        ],
    )

    assert got == [b, None, a]
    assert from_boto(boto_get(boto, table, key_of(a))) == a
