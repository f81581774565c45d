"""Atomic update actions: building, compiling into one update expression, and what each
action does to a stored item (UpdateItem against the local server, checked with boto3).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

from pydynox._model.expressions import ExpressionBuilder, compile_condition, compile_update
from pydynox.atomic import (
    AtomicAdd,
    AtomicAppend,
    AtomicDelete,
    AtomicIfNotExists,
    AtomicOp,
    AtomicPrepend,
    AtomicRemove,
    AtomicSet,
)
from pydynox.attributes import (
    BinarySetAttribute,
    DatetimeAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    NumberSetAttribute,
    StringAttribute,
    StringSetAttribute,
    TTLAttribute,
)
from pydynox.conditions import Condition
from pydynox.exceptions import ConditionalCheckFailedException

from support import boto_get, boto_put, call, from_boto

HOSTILE_NAME = "SET #n0 = :v0, REMOVE x.y[0]"


class Item:
    pk = StringAttribute(hash_key=True)
    sk = StringAttribute(range_key=True)
    count = NumberAttribute()
    name = StringAttribute()
    tags = StringSetAttribute()
    scores = NumberSetAttribute()
    blobs = BinarySetAttribute()
    history = ListAttribute()
    address = MapAttribute()
    created = DatetimeAttribute()
    expires = TTLAttribute()
    weird = NumberAttribute(name=HOSTILE_NAME)


KEY = {"pk": "a", "sk": "1"}


def compiled(actions: list[AtomicOp]) -> tuple[str, dict[str, str], dict[str, Any]]:
    builder = ExpressionBuilder()
    text = compile_update(actions, builder)
    return text, builder.names, builder.values


# --- building and compiling -----------------------------------------------------------------------


def test_actions_spelled_as_in_0_21() -> None:
    assert isinstance(Item.count.set(1), AtomicSet)
    assert isinstance(Item.count.add(1), AtomicAdd)
    assert isinstance(Item.count.remove(), AtomicRemove)
    assert isinstance(Item.history.append([1]), AtomicAppend)
    assert isinstance(Item.history.prepend([1]), AtomicPrepend)
    assert isinstance(Item.count.if_not_exists(1), AtomicIfNotExists)
    assert isinstance(Item.tags.delete({"a"}), AtomicDelete)


@pytest.mark.parametrize(
    ("build", "text", "values"),
    [
        (lambda: Item.name.set("x"), "SET #n0 = :v0", ["x"]),
        (lambda: Item.count.add(2), "ADD #n0 :v0", [2]),
        (lambda: Item.count.add(-2), "ADD #n0 :v0", [-2]),
        (lambda: Item.address["n"].add(1), "SET #n0.#n1 = if_not_exists(#n0.#n1, :v0) + :v1", [0, 1]),
        (lambda: Item.tags.add({"a"}), "ADD #n0 :v0", [{"a"}]),
        (lambda: Item.tags.add(["a", "b"]), "ADD #n0 :v0", [{"a", "b"}]),
        (lambda: Item.tags.delete({"a"}), "DELETE #n0 :v0", [{"a"}]),
        (lambda: Item.name.remove(), "REMOVE #n0", []),
        (lambda: Item.history[3].remove(), "REMOVE #n0[3]", []),
        (lambda: Item.history.append([1]), "SET #n0 = list_append(if_not_exists(#n0, :v0), :v1)", [[], [1]]),
        (lambda: Item.history.prepend((1,)), "SET #n0 = list_append(:v0, if_not_exists(#n0, :v1))", [[1], []]),
        (lambda: Item.count.if_not_exists(5), "SET #n0 = if_not_exists(#n0, :v0)", [5]),
        (lambda: Item.created.set(datetime(2024, 1, 1)), "SET #n0 = :v0", ["2024-01-01T00:00:00+00:00"]),
        (lambda: Item.address["a"]["b"].set({"c": 1}), "SET #n0.#n1.#n2 = :v0", [{"c": 1}]),
    ],
)
def test_each_action_compiles_to_placeholders(build: Callable[[], AtomicOp], text: str, values: list[Any]) -> None:
    got_text, _, got_values = compiled([build()])
    assert got_text == text
    assert list(got_values.values()) == values


def test_actions_are_grouped_into_one_clause_each() -> None:
    text, names, _ = compiled(
        [
            Item.tags.delete({"x"}),
            Item.count.add(1),
            Item.name.remove(),
            Item.address["city"].set("Lisbon"),
            Item.scores.add({1}),
            Item.history.append(["h"]),
        ]
    )
    assert text == (
        "SET #n3.#n4 = :v2, #n6 = list_append(if_not_exists(#n6, :v4), :v5) "
        "REMOVE #n2 ADD #n1 :v1, #n5 :v3 DELETE #n0 :v0"
    )
    assert names == {"#n0": "tags", "#n1": "count", "#n2": "name", "#n3": "address", "#n4": "city", "#n5": "scores",
                     "#n6": "history"}  # fmt: skip


def test_sibling_paths_do_not_overlap() -> None:
    text, _, _ = compiled([Item.address["a"].set(1), Item.address["ab"].set(2), Item.history[0].set(1), Item.history[1].remove()])
    assert text == "SET #n0.#n1 = :v0, #n0.#n2 = :v1, #n3[0] = :v2 REMOVE #n3[1]"


def test_hostile_names_stay_out_of_update_text() -> None:
    text, names, values = compiled([Item.weird.add(1), Item.address[HOSTILE_NAME].set(HOSTILE_NAME), Item.history[0].remove()])
    assert HOSTILE_NAME not in text
    assert text == "SET #n1.#n0 = :v1 REMOVE #n2[0] ADD #n0 :v0"
    assert names["#n0"] == HOSTILE_NAME and values[":v1"] == HOSTILE_NAME


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda: Item.name.add(1), TypeError, r"Item\.name\.add: needs a number or set attribute"),
        (lambda: Item.count.add("1"), TypeError, r"Item\.count\.add: expected a number, got '1'"),
        (lambda: Item.count.add(True), TypeError, r"Item\.count\.add: expected a number"),
        (lambda: Item.address["n"].add("x"), TypeError, r"Item\.address\.n\.add: expected a number"),
        (lambda: Item.tags.add(set()), ValueError, r"Item\.tags\.add: DynamoDB has no empty sets"),
        (lambda: Item.tags.add("abc"), TypeError, r"Item\.tags\.add: expected a set of elements, got 'abc'"),
        (lambda: Item.tags.add({1}), TypeError, r"Item\.tags: every element must be a string, got 1"),
        (lambda: Item.scores.delete({"x"}), TypeError, r"Item\.scores: every element must be a finite number"),
        (lambda: Item.count.delete({1}), TypeError, r"Item\.count\.delete: needs a set attribute"),
        (lambda: Item.name.append(["x"]), TypeError, r"Item\.name\.append: needs a list attribute"),
        (lambda: Item.history.prepend("x"), TypeError, r"Item\.history\.prepend: expected a list of items"),
        (lambda: Item.count.set("x"), TypeError, r"Item\.count: expected a number, got 'x'"),
        (lambda: Item.tags.set(set()), ValueError, r"Item\.tags\.set: DynamoDB has no empty sets; use remove\(\)"),
        (lambda: Item.created.if_not_exists("2024"), TypeError, r"Item\.created: expected a datetime"),
        (lambda: compile_update([], ExpressionBuilder()), ValueError, r"atomic: give at least one update action"),
        (lambda: compile_update([Item.count.add(1), Item.count.set(3)], ExpressionBuilder()), ValueError,
         r"atomic: AtomicAdd\(Item\.count, 1\) and AtomicSet\(Item\.count, 3\) change overlapping paths"),
        (lambda: compile_update([Item.address["a"].remove(), Item.address.set({})], ExpressionBuilder()), ValueError,
         r"atomic: AtomicRemove\(Item\.address\.a\) and AtomicSet\(Item\.address, \{\}\) change overlapping"),
        (lambda: compile_update([Item.count == 1], ExpressionBuilder()), TypeError, r"atomic: expected update actions"),
    ],
)
def test_bad_actions_raise_naming_the_attribute(build: Callable[[], Any], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        build()


# --- against DynamoDB -------------------------------------------------------------------------------


def update(
    client: Any, mode: str, table: str, actions: list[AtomicOp], condition: Condition | None = None
) -> None:
    builder = ExpressionBuilder()
    expression = compile_update(actions, builder)
    extra: dict[str, Any] = {}
    if condition is not None:
        extra["condition_expression"] = compile_condition(condition, builder)
    call(client, mode, "update_item", table, KEY, update_expression=expression, **extra, **builder.arguments())


def stored(boto: Any, table: str) -> dict[str, Any] | None:
    item = boto_get(boto, table, KEY)
    return None if item is None else from_boto(item)


ACTION_CASES: list[tuple[str, dict[str, Any] | None, Callable[[], list[AtomicOp]], dict[str, Any]]] = [
    # (id, item before (None: no item), actions, item after without the key)
    ("set-new-attribute", {"count": 1}, lambda: [Item.name.set("ada")], {"count": 1, "name": "ada"}),
    ("set-replaces", {"name": "old"}, lambda: [Item.name.set("new")], {"name": "new"}),
    ("set-creates-the-item", None, lambda: [Item.name.set("ada")], {"name": "ada"}),
    ("set-nested-map-key", {"address": {"city": "Porto"}}, lambda: [Item.address["zip"].set("1000")],
     {"address": {"city": "Porto", "zip": "1000"}}),
    ("set-list-element", {"history": ["a", "b"]}, lambda: [Item.history[1].set("B")], {"history": ["a", "B"]}),
    ("set-datetime-serialized", None, lambda: [Item.created.set(datetime(2024, 5, 1, tzinfo=timezone.utc))],
     {"created": "2024-05-01T00:00:00+00:00"}),
    ("set-ttl-serialized", None, lambda: [Item.expires.set(datetime(2024, 1, 1, tzinfo=timezone.utc))],
     {"expires": 1704067200}),
    ("set-string-set", None, lambda: [Item.tags.set({"a", "b"})], {"tags": {"a", "b"}}),
    ("add-to-number", {"count": 5}, lambda: [Item.count.add(3)], {"count": 8}),
    ("add-negative", {"count": 5}, lambda: [Item.count.add(-7)], {"count": -2}),
    ("add-decimal", {"count": 1}, lambda: [Item.count.add(Decimal("0.25"))], {"count": 1.25}),
    ("add-to-missing-number", {"name": "x"}, lambda: [Item.count.add(4)], {"name": "x", "count": 4}),
    ("add-nested-number", {"address": {"visits": 2}}, lambda: [Item.address["visits"].add(3)],
     {"address": {"visits": 5}}),
    ("add-nested-missing-number", {"address": {}}, lambda: [Item.address["visits"].add(3)],
     {"address": {"visits": 3}}),
    ("add-string-set", {"tags": {"a"}}, lambda: [Item.tags.add({"b", "c"})], {"tags": {"a", "b", "c"}}),
    ("add-to-missing-set", None, lambda: [Item.tags.add({"a"})], {"tags": {"a"}}),
    ("add-number-set", {"scores": {1}}, lambda: [Item.scores.add({2, 3})], {"scores": {1, 2, 3}}),
    ("add-binary-set", None, lambda: [Item.blobs.add({b"x"})], {"blobs": {b"x"}}),
    ("delete-from-set", {"tags": {"a", "b", "c"}}, lambda: [Item.tags.delete({"a", "c", "zz"})], {"tags": {"b"}}),
    ("delete-number-set", {"scores": {1, 2}}, lambda: [Item.scores.delete({2})], {"scores": {1}}),
    ("delete-last-elements", {"tags": {"a"}, "count": 1}, lambda: [Item.tags.delete({"a"})], {"count": 1}),
    ("remove-attribute", {"name": "x", "count": 1}, lambda: [Item.name.remove()], {"count": 1}),
    ("remove-map-key", {"address": {"city": "P", "zip": "1"}}, lambda: [Item.address["zip"].remove()],
     {"address": {"city": "P"}}),
    ("remove-list-element", {"history": ["a", "b", "c"]}, lambda: [Item.history[1].remove()],
     {"history": ["a", "c"]}),
    ("append", {"history": ["a"]}, lambda: [Item.history.append(["b", "c"])], {"history": ["a", "b", "c"]}),
    ("append-to-missing-list", {"count": 1}, lambda: [Item.history.append(["a"])], {"count": 1, "history": ["a"]}),
    ("prepend", {"history": ["c"]}, lambda: [Item.history.prepend(["a", "b"])], {"history": ["a", "b", "c"]}),
    ("prepend-to-missing-list", None, lambda: [Item.history.prepend(["a"])], {"history": ["a"]}),
    ("append-nested-list", {"address": {"lines": ["1"]}}, lambda: [Item.address["lines"].append(["2"])],
     {"address": {"lines": ["1", "2"]}}),
    ("if_not_exists-missing", {"count": 1}, lambda: [Item.name.if_not_exists("first")],
     {"count": 1, "name": "first"}),
    ("if_not_exists-present", {"name": "kept"}, lambda: [Item.name.if_not_exists("first")], {"name": "kept"}),
    ("hostile-name", {HOSTILE_NAME: 1}, lambda: [Item.weird.add(1)], {HOSTILE_NAME: 2}),
    ("everything-at-once", {"count": 1, "name": "x", "tags": {"a", "b"}, "history": ["h"]},
     lambda: [Item.count.add(1), Item.name.remove(), Item.tags.delete({"a"}), Item.scores.add({9}),
              Item.history.prepend(["g"]), Item.address.set({"city": "L"})],
     {"count": 2, "tags": {"b"}, "scores": {9}, "history": ["g", "h"], "address": {"city": "L"}}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("before", "build", "after"), [c[1:] for c in ACTION_CASES], ids=[c[0] for c in ACTION_CASES]
)
def test_each_action_changes_the_stored_item(
    client: Any,
    boto: Any,
    table: str,
    mode: str,
    before: dict[str, Any] | None,
    build: Callable[[], list[AtomicOp]],
    after: dict[str, Any],
) -> None:
    if before is not None:
        boto_put(boto, table, {**KEY, **before})

    update(client, mode, table, build())

    assert stored(boto, table) == {**KEY, **after}


def test_string_sets_stay_native_sets(client: Any, boto: Any, table: str, mode: str) -> None:
    """ADD and DELETE work on DynamoDB sets (SS), never on lists."""
    update(client, mode, table, [Item.tags.add({"a", "b"})])
    raw = boto.get_item(TableName=table, Key={"pk": {"S": "a"}, "sk": {"S": "1"}}, ConsistentRead=True)["Item"]
    assert sorted(raw["tags"]["SS"]) == ["a", "b"]


def test_concurrent_adds_lose_nothing(client: Any, boto: Any, table: str) -> None:
    """ADD is applied by DynamoDB itself: twenty increments in flight at once give +20."""
    import asyncio

    boto_put(boto, table, {**KEY, "count": 0})
    builder = ExpressionBuilder()
    expression = compile_update([Item.count.add(1)], builder)

    async def run() -> None:
        await asyncio.gather(
            *(client.async_update_item(table, KEY, update_expression=expression, **builder.arguments()) for _ in range(20))
        )

    asyncio.run(run())
    assert stored(boto, table)["count"] == 20


def test_update_with_a_failing_condition_changes_nothing(client: Any, boto: Any, table: str, mode: str) -> None:
    boto_put(boto, table, {**KEY, "count": 5, "tags": {"a"}})

    with pytest.raises(ConditionalCheckFailedException):
        update(client, mode, table, [Item.count.add(1), Item.tags.add({"b"})], condition=Item.count > 5)
    assert stored(boto, table) == {**KEY, "count": 5, "tags": {"a"}}

    update(client, mode, table, [Item.count.add(1), Item.tags.add({"b"})], condition=Item.count == 5)
    assert stored(boto, table) == {**KEY, "count": 6, "tags": {"a", "b"}}


def test_adding_to_a_value_of_another_type_is_refused_by_dynamodb(client: Any, boto: Any, table: str, mode: str) -> None:
    """A string stored where a number is expected: DynamoDB refuses, the item is unchanged."""
    from pydynox.exceptions import ValidationException

    boto_put(boto, table, {**KEY, "count": "text"})
    with pytest.raises(ValidationException):
        update(client, mode, table, [Item.count.add(1)])
    assert stored(boto, table) == {**KEY, "count": "text"}
