"""Models written for pydynox 0.21.0 load and behave here (issue 15): attribute names that
shadow Model methods, multi-attribute index keys, the exception classes raised before
sending, and 0.21.0's public names (`pydynox.size.calculate_*`, index definitions,
`pydynox.query`). Also: each model call records its own metrics, even when calls run
concurrently on one client. Behaviour runs through both twins (`mode`) against moto."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from support import boto_get, boto_put_many, call, collect, unique_name

import pydynox.query
from pydynox import DynamoDBClient
from pydynox.attributes import BooleanAttribute, NumberAttribute, StringAttribute
from pydynox.config import ModelConfig
from pydynox.exceptions import ParamValidationException, ValidationException
from pydynox.indexes import GlobalSecondaryIndex, LocalSecondaryIndex
from pydynox.model import Model
from pydynox.size import (
    calculate_attribute_size,
    calculate_binary_size,
    calculate_boolean_size,
    calculate_item_size,
    calculate_list_size,
    calculate_map_size,
    calculate_null_size,
    calculate_number_size,
    calculate_set_size,
    calculate_string_size,
    item_size,
)

# --- attribute names that shadow Model methods ---------------------------------------------


def test_an_attribute_named_like_a_model_method_wins_and_the_operations_still_work(
    make_table: Any, client: Any, mode: str, boto: Any
) -> None:
    table = make_table(range_key=None)

    class Page(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = StringAttribute(hash_key=True)
        count = NumberAttribute(default=0)  # shadows the classmethod Model.count
        update = BooleanAttribute(default=False)  # shadows the instance method Model.update

    assert Page.count is Page.__dict__["count"]  # the attribute, as in 0.21.0
    page = Page(pk="home", count=3, update=True)
    assert (page.count, page.update) == (3, True)
    call(page, mode, "save")
    assert boto_get(boto, table, {"pk": "home"}) == {"pk": "home", "count": 3, "update": True}

    loaded = call(Page, mode, "get", pk="home")
    assert (loaded.count, loaded.update) == (3, True)
    items, _ = collect(Page, mode, "scan")
    assert [item.count for item in items] == [3]

    # The shadowed operations, reached one step up the class hierarchy (docs/guides/models.md).
    total, _ = call(super(Page, Page), mode, "count")
    assert total == 1
    call(super(Page, loaded), mode, "update", count=4)
    assert loaded.count == 4 and boto_get(boto, table, {"pk": "home"})["count"] == 4


def test_an_index_named_like_a_model_method_wins(make_table: Any, client: Any, mode: str) -> None:
    table = make_table(range_key=None, gsis=[("by-email", ("email", "S"), None)])

    class Contact(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = StringAttribute(hash_key=True)
        email = StringAttribute()
        query = GlobalSecondaryIndex(index_name="by-email", hash_key="email")  # shadows Model.query

    call(Contact(pk="a", email="a@example.com"), mode, "save")
    found, _ = collect(Contact.query, mode, "query", email="a@example.com")
    assert [c.pk for c in found] == ["a"]


# --- multi-attribute index keys ------------------------------------------------------------


def _orders(client: Any) -> Any:
    class Order(Model):
        model_config = ModelConfig(table=unique_name("orders"), client=client)
        pk = StringAttribute(hash_key=True)
        tenant = StringAttribute()
        region = StringAttribute(name="rgn")  # stored under another name
        day = StringAttribute()
        seq = NumberAttribute()
        by_place = GlobalSecondaryIndex(index_name="by-place", hash_key=["tenant", "region"], range_key=["day", "seq"])

    return Order


def test_multi_attribute_index_keys_create_the_table_and_query(client: Any, mode: str, boto: Any) -> None:
    Order = _orders(client)
    table = Order.model_config.table
    call(Order, mode, "create_table", wait=True)
    try:
        index = boto.describe_table(TableName=table)["Table"]["GlobalSecondaryIndexes"][0]
        assert index["IndexName"] == "by-place"
        assert index["KeySchema"] == [
            {"AttributeName": "tenant", "KeyType": "HASH"},
            {"AttributeName": "rgn", "KeyType": "HASH"},
            {"AttributeName": "day", "KeyType": "RANGE"},
            {"AttributeName": "seq", "KeyType": "RANGE"},
        ]
        boto_put_many(boto, table, [
            {"pk": "o1", "tenant": "t1", "rgn": "eu", "day": "d1", "seq": 1},
            {"pk": "o2", "tenant": "t1", "rgn": "eu", "day": "d2", "seq": 2},
            {"pk": "o3", "tenant": "t1", "rgn": "us", "day": "d1", "seq": 3},
            {"pk": "o4", "tenant": "t2", "rgn": "eu", "day": "d1", "seq": 4},
        ])
        found, result = collect(Order.by_place, mode, "query", tenant="t1", region="eu")
        assert sorted(o.pk for o in found) == ["o1", "o2"]
        found, _ = collect(Order.by_place, mode, "query", tenant="t1", region="eu", range_key_condition=Order.day == "d2")
        assert [o.pk for o in found] == ["o2"]

        # The resume key holds every index key attribute and the table key, stored names.
        found, result = collect(Order.by_place, mode, "query", tenant="t1", region="eu", limit=1)
        assert set(result.last_evaluated_key) == {"tenant", "rgn", "day", "seq", "pk"}
        rest, _ = collect(Order.by_place, mode, "query", tenant="t1", region="eu", last_evaluated_key=result.last_evaluated_key)
        assert sorted(o.pk for o in found + rest) == ["o1", "o2"]

        # Every partition key attribute is needed, and nothing else: ValueError, as 0.21.0.
        for wrong in ({"tenant": "t1"}, {"tenant": "t1", "region": "eu", "pk": "o1"}, {}):
            with pytest.raises(ValueError, match=r"give the index's partition key as tenant=\.\.\., region=\.\.\."):
                collect(Order.by_place, mode, "query", **wrong)
    finally:
        boto.delete_table(TableName=table)


def test_multi_attribute_index_definitions_have_0_21_0_shapes(client: Any) -> None:
    Order = _orders(client)
    assert Order.by_place.to_create_table_definition(Order) == {
        "index_name": "by-place",
        "hash_keys": [("tenant", "S"), ("rgn", "S")],
        "range_keys": [("day", "S"), ("seq", "N")],
        "projection": "ALL",
    }
    assert Order.by_place.to_create_table_definition() == Order.by_place.to_create_table_definition(Order)
    assert Order.by_place.to_dynamodb_definition() == {
        "IndexName": "by-place",
        "KeySchema": [
            {"AttributeName": "tenant", "KeyType": "HASH"},
            {"AttributeName": "rgn", "KeyType": "HASH"},
            {"AttributeName": "day", "KeyType": "RANGE"},
            {"AttributeName": "seq", "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": "ALL"},
    }
    # Single attributes keep the one-tuple form; `hash_key` / `range_key` name the first.
    single = GlobalSecondaryIndex(index_name="by-day", hash_key="day", range_key=["seq"], projection=["tenant"])
    assert (single.hash_key, single.range_key, single.hash_keys) == ("day", "seq", ("day",))
    assert Order.by_place.hash_key == "tenant" and Order.by_place.range_keys == ("day", "seq")

    class Line(Model):
        model_config = ModelConfig(table="lines", client=client)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        qty = NumberAttribute(name="q")
        by_qty = LocalSecondaryIndex(index_name="by-qty", range_key="qty", projection="KEYS_ONLY")

    assert Line.by_qty.to_create_table_definition(Line) == {"index_name": "by-qty", "range_key": ("q", "N"), "projection": "KEYS_ONLY"}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: GlobalSecondaryIndex(index_name="i", hash_key=["a", "b", "c", "d", "e"]), r"hash_key can have at most 4 attributes, got 5"),
        (lambda: GlobalSecondaryIndex(index_name="i", hash_key="a", range_key=["a1", "b", "c", "d", "e"]), r"range_key can have at most 4"),
        (lambda: GlobalSecondaryIndex(index_name="i", hash_key=[]), r"hash_key must name at least one attribute"),
        (lambda: GlobalSecondaryIndex(index_name="i", hash_key=["a", "a"]), r"names an attribute twice"),
        (lambda: GlobalSecondaryIndex(index_name="i", hash_key=["a", 3]), r"hash_key must be an attribute name or a list of them"),
        (lambda: LocalSecondaryIndex(index_name="i", range_key=["a", "b"]), r"range_key can have at most 1 attributes"),
    ],
)
def test_bad_multi_attribute_keys_are_refused_when_declared(make: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


def test_a_multi_attribute_key_naming_an_unknown_attribute_is_refused_with_the_model(client: Any) -> None:
    with pytest.raises(TypeError, match=r"Bad.by_x: hash_key 'nope' is not an attribute of Bad"):

        class Bad(Model):
            model_config = ModelConfig(table="bad", client=client)
            pk = StringAttribute(hash_key=True)
            a = StringAttribute()
            by_x = GlobalSecondaryIndex(index_name="x", hash_key=["a", "nope"])


# --- errors raised before sending: the classes 0.21.0 raised -------------------------------


def _user(table: str, client: Any) -> Any:
    class User(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        email = StringAttribute()
        by_email = GlobalSecondaryIndex(index_name="by-email", hash_key="email")

    return User


def test_a_missing_partition_key_is_a_validation_exception(make_table: Any, client: Any, mode: str, boto: Any) -> None:
    User = _user(make_table(), client)
    # 0.21.0 sent the item and DynamoDB answered ValidationException; here it is refused
    # before sending, with a ParamValidationException: a ValidationException and a ValueError.
    with pytest.raises(ValidationException, match=r"User.pk: is a required key attribute and has no value"):
        User(sk="a")
    user = User(pk="a", sk="b")
    user.pk = None
    with pytest.raises(ParamValidationException) as caught:
        call(user, mode, "save")
    assert isinstance(caught.value, ValueError)
    with pytest.raises(ValidationException):
        call(user, mode, "delete")
    assert boto.scan(TableName=User.model_config.table)["Items"] == []


def test_update_with_an_unknown_attribute_is_a_value_error(make_table: Any, client: Any, mode: str) -> None:
    User = _user(make_table(), client)
    user = User(pk="a", sk="b")
    call(user, mode, "save")
    with pytest.raises(ValueError, match=r"User.update: no attribute 'nope'"):
        call(user, mode, "update", nope=1)
    with pytest.raises(ValueError, match=r"User.update_by_key: no attribute 'nope'"):
        call(User, mode, "update_by_key", pk="a", sk="b", nope=1)


def test_an_index_query_with_the_wrong_key_is_a_value_error(make_table: Any, client: Any, mode: str) -> None:
    User = _user(make_table(gsis=[("by-email", ("email", "S"), None)]), client)
    with pytest.raises(ValueError, match=r"User.by_email.query: give the index's partition key as email=\.\.\., got \['pk'\]"):
        collect(User.by_email, mode, "query", pk="a")


# --- each call's own metrics ---------------------------------------------------------------


class _AnswersTogether:
    """The client, except that no GetItem answer is handed back until every one of `count`
    calls has its answer: the moment at which a model reading the client's shared "last
    metrics" would get another call's (the last one converted). Waits on events, not time."""

    def __init__(self, client: Any, count: int) -> None:
        self._client = client
        self._barrier = threading.Barrier(count)
        self._waiting = count
        self._all_answered = asyncio.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def get_item_with_metrics(self, *args: Any, **kwargs: Any) -> Any:
        answer = self._client.get_item_with_metrics(*args, **kwargs)
        self._barrier.wait()
        return answer

    async def async_get_item_with_metrics(self, *args: Any, **kwargs: Any) -> Any:
        answer = await self._client.async_get_item_with_metrics(*args, **kwargs)
        self._waiting -= 1
        if not self._waiting:
            self._all_answered.set()
        await self._all_answered.wait()
        return answer


def test_concurrent_gets_on_one_client_each_record_their_own_metrics(make_table: Any, proxy: Any, mode: str, boto: Any) -> None:
    """64 models share one client and read at the same time (sync: 64 threads; async: 64
    tasks on one loop), and every answer arrives before any call finishes. The proxy makes
    each answer's consumed capacity unique to its key, so each model's recorded metrics
    name their call."""
    table = make_table(range_key=None)
    client = DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=0)
    count = 64
    shared = _AnswersTogether(client, count)
    boto_put_many(boto, table, [{"pk": f"k{i}", "n": i} for i in range(count)])

    def capacity_of_key(request: dict) -> tuple[dict, Any]:
        units = float(int(request["Key"]["pk"]["S"][1:]) + 1)

        def answer(body: dict) -> dict:
            body["ConsumedCapacity"] = {"TableName": table, "CapacityUnits": units}
            return body

        return request, answer

    proxy.intercept["GetItem"] = capacity_of_key

    def model(i: int) -> Any:
        class Reader(Model):
            model_config = ModelConfig(table=table, client=shared)
            pk = StringAttribute(hash_key=True)
            n = NumberAttribute()

        Reader.__name__ = f"Reader{i}"
        return Reader

    models = [model(i) for i in range(count)]
    if mode == "sync":
        with ThreadPoolExecutor(count) as pool:
            found = list(pool.map(lambda i: models[i].get(pk=f"k{i}"), range(count)))
    else:

        async def all_at_once() -> list[Any]:
            return await asyncio.gather(*(models[i].async_get(pk=f"k{i}") for i in range(count)))

        found = asyncio.run(all_at_once())

    assert proxy.calls["GetItem"] == count
    for i, reader in enumerate(models):
        assert found[i].n == i
        assert reader.get_last_metrics().consumed_rcu == i + 1, f"model {i} recorded another call's metrics"
        totals = reader.get_total_metrics()
        assert (totals.get_count, totals.total_rcu) == (1, i + 1)
    # The client still keeps totals over every call, and its last metrics are one call's.
    assert client.get_total_metrics().total_rcu == sum(range(1, count + 1))
    assert client.get_last_metrics().consumed_rcu in range(1, count + 1)


def test_get_item_with_metrics_answers_the_item_and_this_calls_metrics(table: str, client: Any, mode: str, boto: Any) -> None:
    boto_put_many(boto, table, [{"pk": "a", "sk": "1", "v": "x"}])
    item, metrics = call(client, mode, "get_item_with_metrics", table, {"pk": "a", "sk": "1"})
    assert item == {"pk": "a", "sk": "1", "v": "x"}
    assert metrics.consumed_rcu is not None and metrics.request_id
    assert client.get_last_metrics() == metrics  # get_last_metrics() keeps its meaning
    missing, metrics = call(client, mode, "get_item_with_metrics", table, {"pk": "b", "sk": "1"}, consistent_read=True)
    assert missing is None and metrics.request_id and client.get_last_metrics() == metrics
    assert client.get_total_metrics().get_count == 2


def test_get_last_metrics_of_model_and_client_are_the_last_calls(make_table: Any, client: Any, mode: str, boto: Any) -> None:
    table = make_table(range_key=None)
    boto_put_many(boto, table, [{"pk": "a"}, {"pk": "b"}])

    class Item(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = StringAttribute(hash_key=True)

    call(Item, mode, "get", pk="a")
    call(Item, mode, "get", pk="b")
    assert Item.get_last_metrics() == client.get_last_metrics()
    assert Item.get_total_metrics().get_count == 2


# --- 0.21.0's public names -----------------------------------------------------------------


def test_size_functions_of_0_21_0_count_as_dynamodb_does() -> None:
    assert calculate_string_size("héllo") == 6  # UTF-8 bytes
    assert calculate_number_size(12345) == 4  # 1 + ceil(5 digits / 2)
    assert calculate_number_size(Decimal("-0.0012")) == 2  # significant digits only
    assert calculate_number_size(0) == 1
    assert calculate_binary_size(b"\x00\x01\x02") == 3
    assert calculate_boolean_size(True) == 1 and calculate_null_size() == 1
    assert calculate_list_size([1, "ab"]) == 3 + (2 + 1) + (2 + 1)  # 3, each element, 1 byte each
    assert calculate_map_size({"k": "ab"}) == 3 + 1 + 2 + 1
    assert calculate_set_size({"a", "bb"}) == 3
    assert calculate_set_size({10, 200}, element_type="N") == 2 + 2
    with pytest.raises(ValueError, match=r"element_type is 'S', 'N' or 'B'"):
        calculate_set_size({"a"}, element_type="X")
    assert calculate_attribute_size(None) == 1 and calculate_attribute_size(True) == 1
    moment = datetime(2025, 1, 2, 3, 4, 5)
    assert calculate_attribute_size(moment) == len(str(moment))  # no DynamoDB form: its str()
    item = {"pk": "USER#1", "age": 30, "tags": {"a", "b"}}
    assert calculate_item_size(item) == item_size(item)
    detailed = calculate_item_size(item, detailed=True)
    assert detailed.bytes == 2 + 6 + 3 + 2 + 4 + 2 and detailed.fields == {"pk": 8, "age": 5, "tags": 6}


def test_the_query_module_names_the_clients_result_classes(table: str, client: Any) -> None:
    assert isinstance(client.query(table, key_condition_expression="pk = :p", expression_attribute_values={":p": "a"}), pydynox.query.QueryResult)
    assert isinstance(client.scan(table), pydynox.query.ScanResult)
    assert {"QueryResult", "AsyncQueryResult", "ScanResult", "AsyncScanResult"} <= set(pydynox.query.__all__)


# --- result classes: one implementation, the same public behaviour -------------------------


def test_result_classes_keep_their_names_and_refuse_pickling(make_table: Any, client: Any) -> None:
    import pickle

    from pydynox.model import AsyncModelQueryResult, ModelQueryResult

    User = _user(make_table(gsis=[("by-email", ("email", "S"), None)]), client)
    results = [
        (User.query(hash_key="a"), "ModelQueryResult"),
        (User.async_scan(), "AsyncModelScanResult"),
        (User.by_email.query(email="e"), "GSIQueryResult"),
        (User.by_email.async_query(email="e"), "AsyncGSIQueryResult"),
    ]
    for result, name in results:  # made without I/O: nothing is sent until iterated
        assert type(result).__name__ == name and type(result).__module__ == "pydynox._generated.model_ops"
        assert not hasattr(result, "__dict__")  # slotted, as before
        with pytest.raises(TypeError, match="pickle"):  # it holds a live pager and client
            pickle.dumps(result)
    assert ModelQueryResult[User] is not None and AsyncModelQueryResult.__doc__


# --- the client's create_table: multi-attribute global index keys --------------------------


def test_client_create_table_takes_multi_attribute_index_keys(client: Any, mode: str, boto: Any) -> None:
    name = unique_name("multi")
    index = {"index_name": "by-place", "hash_keys": [("tenant", "S"), ("region", "S")], "range_keys": [("day", "S"), ("seq", "N")]}
    call(client, mode, "create_table", name, hash_key=("pk", "S"), global_secondary_indexes=[index], wait=True)
    try:
        described = boto.describe_table(TableName=name)["Table"]
        assert [(k["AttributeName"], k["KeyType"]) for k in described["GlobalSecondaryIndexes"][0]["KeySchema"]] == [
            ("tenant", "HASH"), ("region", "HASH"), ("day", "RANGE"), ("seq", "RANGE"),
        ]
        types = {d["AttributeName"]: d["AttributeType"] for d in described["AttributeDefinitions"]}
        assert types == {"pk": "S", "tenant": "S", "region": "S", "day": "S", "seq": "N"}
    finally:
        boto.delete_table(TableName=name)


@pytest.mark.parametrize(
    ("index", "message"),
    [
        ({"index_name": "i", "hash_keys": [("a", "S")] * 2 + [("b", "S"), ("c", "S"), ("d", "S")]}, r"\['hash_keys'\] has 5 attributes; a key has one to 4"),
        ({"index_name": "i", "hash_keys": []}, r"\['hash_keys'\] has 0 attributes"),
        ({"index_name": "i", "hash_key": ("a", "S"), "hash_keys": [("b", "S")]}, r"give 'hash_key' or 'hash_keys', not both"),
        ({"index_name": "i", "hash_key": ("a", "S"), "range_keys": "day"}, r"\['range_keys'\] must be a list of \(name, type\) tuples"),
        ({"index_name": "i", "range_keys": [("a", "S")]}, r"is missing 'hash_key'"),
    ],
)
def test_client_create_table_refuses_bad_multi_attribute_keys_before_sending(client: Any, mode: str, index: dict, message: str) -> None:
    with pytest.raises(ParamValidationException, match=r"global_secondary_indexes\[0\].*" + message):
        call(client, mode, "create_table", unique_name("bad"), hash_key=("pk", "S"), global_secondary_indexes=[index])
