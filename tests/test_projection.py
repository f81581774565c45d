"""get_item's `projection` takes document paths: `address.city` returns the nested value
(not an attribute literally named "address.city"), `tags[1]` one list element, and every
name is a placeholder, so reserved words and odd characters work. Malformed paths are
rejected before anything is sent."""

from __future__ import annotations

import pytest

from pydynox.exceptions import ParamValidationException, ValidationException

from support import boto_put, call


ITEM = {
    "pk": "p1",
    "sk": "s1",
    "name": "Ada",
    "status": "active",  # a reserved word
    "address": {"city": "London", "zip": "N1"},
    "tags": ["a", "b", "c"],
    "orders": [{"total": 3, "lines": 2}, {"total": 5, "lines": 1}],
    "odd.name": "dotted",
}


def test_document_paths_return_nested_parts(client, boto, table, mode):
    boto_put(boto, table, ITEM)
    got = call(
        client, mode, "get_item", table, {"pk": "p1", "sk": "s1"},
        projection=["name", "status", "address.city"],
    )
    # List indexes (`tags[1]`) compile too (see src/ops/projection.rs's tests), but moto
    # wrongly rejects a placeholder followed by an index as "unused", so they are not sent here.
    assert got == {"name": "Ada", "status": "active", "address": {"city": "London"}}


def test_a_name_used_twice_is_one_placeholder(client, boto, table, mode):
    boto_put(boto, table, ITEM)
    got = call(client, mode, "get_item", table, {"pk": "p1", "sk": "s1"}, projection=["address.city", "address.zip"])
    assert got == {"address": {"city": "London", "zip": "N1"}}


@pytest.mark.parametrize("bad", ["", "a..b", "a.", "tags[", "tags[x]", "tags[0]x"])
def test_malformed_paths_are_rejected_before_sending(client, table, mode, bad):
    with pytest.raises(ParamValidationException) as raised:
        call(client, mode, "get_item", table, {"pk": "p1", "sk": "s1"}, projection=["name", bad])
    assert isinstance(raised.value, ValueError) and isinstance(raised.value, ValidationException)
    assert "projection[1]" in str(raised.value)
