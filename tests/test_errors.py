"""Bad input is rejected with a typed exception that names the parameter (and the path
inside it); errors DynamoDB reports map onto pydynox.exceptions."""

from __future__ import annotations

import pytest

import pydynox
from pydynox.exceptions import PydynoxException, ResourceNotFoundException, ValidationException

from support import boto_get_raw, boto_put, call, collect, error_text, unique_name

KEY = {"pk": "a", "sk": "b"}


# --- wrong Python types: TypeError naming the parameter -------------------------------------------

WRONG_ARGUMENTS = [
    ("item_not_a_dict", "put_item", lambda t: ((t, "notadict"), {}), "item"),
    ("item_is_none", "put_item", lambda t: ((t, None), {}), "item"),
    ("key_not_a_dict", "get_item", lambda t: ((t, ["pk", "sk"]), {}), "key"),
    ("table_not_a_str", "get_item", lambda t: ((123, KEY), {}), "table"),
    ("projection_not_a_list", "get_item", lambda t: ((t, KEY), {"projection": 5}), "projection"),
    (
        "names_not_a_dict",
        "put_item",
        lambda t: ((t, KEY), {"expression_attribute_names": ["#a"]}),
        "expression_attribute_names",
    ),
    ("updates_not_a_dict", "update_item", lambda t: ((t, KEY), {"updates": [("a", 1)]}), "updates"),
    ("put_items_not_a_list", "batch_write", lambda t: ((t,), {"put_items": KEY}), "put_items"),
    ("keys_not_a_list", "batch_get", lambda t: ((t, KEY), {}), "keys"),
    ("operations_not_a_list", "transact_write", lambda t: (("put",), {}), "operations"),
    ("unknown_keyword", "get_item", lambda t: ((t, KEY), {"bogus": 1}), "bogus"),
]


@pytest.mark.parametrize(
    "operation, arguments, name", [c[1:] for c in WRONG_ARGUMENTS], ids=[c[0] for c in WRONG_ARGUMENTS]
)
def test_wrong_argument_type_raises_type_error_naming_it(client, table, mode, operation, arguments, name):
    args, kwargs = arguments(table)

    with pytest.raises(TypeError) as info:
        call(client, mode, operation, *args, **kwargs)

    assert name in error_text(info.value)


def test_missing_required_argument(client, table, mode):
    with pytest.raises(TypeError) as info:
        call(client, mode, "get_item", table)

    assert "key" in error_text(info.value)


# --- unconvertible values: the error names the parameter and the path ---------------------------------

BAD_VALUES = [
    ("key_object", "get_item", lambda t: ((t, {"pk": object(), "sk": "b"}), {}), TypeError, "key['pk']"),
    (
        "value_placeholder_object",
        "put_item",
        lambda t: ((t, KEY), {"condition_expression": "a = :v", "expression_attribute_values": {":v": object()}}),
        TypeError,
        "expression_attribute_values[':v']",
    ),
    (
        "updates_empty_set",
        "update_item",
        lambda t: ((t, KEY), {"updates": {"tags": set()}}),
        ValueError,
        "updates['tags']",
    ),
    (
        "updates_nan",
        "update_item",
        lambda t: ((t, KEY), {"updates": {"n": {"x": float("nan")}}}),
        ValueError,
        "updates['n']['x']",
    ),
    (
        "put_items_path",
        "batch_write",
        lambda t: ((t,), {"put_items": [KEY, {**KEY, "x": object()}]}),
        TypeError,
        "put_items[1]['x']",
    ),
    (
        "delete_keys_path",
        "batch_write",
        lambda t: ((t,), {"delete_keys": [{"pk": float("inf"), "sk": "b"}]}),
        ValueError,
        "delete_keys[0]['pk']",
    ),
    ("batch_get_keys_path", "batch_get", lambda t: ((t, [KEY, {"pk": 1j, "sk": "b"}]), {}), TypeError, "keys[1]['pk']"),
    (
        "parameters_path",
        "execute_statement",
        lambda t: (("SELECT * FROM x WHERE a = ?",), {"parameters": [object()]}),
        TypeError,
        "parameters[0]",
    ),
]


@pytest.mark.parametrize(
    "operation, arguments, error, path", [c[1:] for c in BAD_VALUES], ids=[c[0] for c in BAD_VALUES]
)
def test_unconvertible_value_names_parameter_and_path(client, table, mode, operation, arguments, error, path):
    args, kwargs = arguments(table)

    with pytest.raises(error) as info:
        call(client, mode, operation, *args, **kwargs)

    assert path in error_text(info.value)


def test_update_item_with_both_updates_and_update_expression(client, boto, table, mode):
    with pytest.raises(ValueError) as info:
        call(
            client,
            mode,
            "update_item",
            table,
            KEY,
            updates={"a": 1},
            update_expression="SET a = :v",
            expression_attribute_values={":v": 1},
        )

    assert "updates" in error_text(info.value) and "update_expression" in error_text(info.value)
    assert boto_get_raw(boto, table, KEY) is None


def test_update_item_with_neither_updates_nor_update_expression(client, table, mode):
    with pytest.raises(ValueError) as info:
        call(client, mode, "update_item", table, KEY)

    assert "updates" in error_text(info.value) and "update_expression" in error_text(info.value)


def test_transact_write_unknown_operation_type(client, boto, table, mode):
    with pytest.raises(ValueError) as info:
        call(client, mode, "transact_write", [{"type": "upsert", "table": table, "item": KEY}])

    assert "upsert" in error_text(info.value)
    assert boto_get_raw(boto, table, KEY) is None


def test_proxy_url_is_refused_not_ignored(moto_endpoint):
    with pytest.raises(ValueError) as info:
        pydynox.DynamoDBClient(endpoint_url=moto_endpoint, proxy_url="http://proxy.invalid:3128")

    assert "proxy_url" in error_text(info.value)


# --- errors reported by DynamoDB --------------------------------------------------------------------


def test_item_without_its_sort_key_is_a_validation_error(client, table, mode):
    with pytest.raises(ValidationException) as info:
        call(client, mode, "put_item", table, {"pk": "only-hash"})

    assert isinstance(info.value, PydynoxException)
    # moto's own words for a missing key attribute, and what the call was about.
    assert "put_item on table" in str(info.value) and "sk" in str(info.value), str(info.value)


# moto answers a malformed condition or filter expression with HTTP 500 rather than
# ValidationException, so the expression cases below use update expressions, which it checks.


def test_malformed_update_expression_is_a_validation_error(client, table, mode):
    with pytest.raises(ValidationException) as info:
        call(
            client, mode, "update_item", table, KEY, update_expression="SET = :v", expression_attribute_values={":v": 1}
        )

    assert "Syntax error" in error_text(info.value)


def test_undefined_placeholder_is_a_validation_error(client, table, mode):
    with pytest.raises(ValidationException) as info:
        call(client, mode, "update_item", table, KEY, update_expression="SET a = :v")

    assert ":v" in error_text(info.value)


def test_updating_a_key_attribute_is_a_validation_error(client, boto, table, mode):
    boto_put(boto, table, KEY)

    with pytest.raises(ValidationException):
        call(client, mode, "update_item", table, KEY, updates={"pk": "other"})


def test_empty_string_key_is_a_validation_error(client, table, mode):
    with pytest.raises(ValidationException):
        call(client, mode, "put_item", table, {"pk": "", "sk": "b"})


def test_query_on_a_non_key_attribute_is_a_validation_error(client, boto, table, mode):
    boto_put(boto, table, {**KEY, "n": 1})

    with pytest.raises(ValidationException):
        collect(
            client,
            mode,
            "query",
            table,
            key_condition_expression="n = :n",
            expression_attribute_values={":n": 1},
        )


def test_server_errors_are_pydynox_exceptions(client, mode):
    with pytest.raises(PydynoxException) as info:
        call(client, mode, "get_item", unique_name("missing"), KEY)

    assert type(info.value) is ResourceNotFoundException
