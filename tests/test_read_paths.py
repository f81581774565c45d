"""Every read path decodes response bodies directly (ADR 6): get_item, query, scan,
batch_get, transact_get, execute_statement, parallel_scan. These tests check, against
boto3 as the independent reader/writer, that they all give back exactly what is stored:

- hypothesis: random items of every type, nesting and size, written with boto3, read
  through every path (both twins, both number modes) equal to what boto3 reads; and the
  reverse, written by pydynox and read by boto3;
- batch_get's new `consistent_read` and `projection`, and its unprocessed keys re-requested
  (a proxy answers part of each batch as unprocessed) with the caller's projection;
- count with no items decoded at all.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import test_hostile_inputs as hostile
from faults import FaultProxy
from support import MODES, boto_get, call, collect, from_boto

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def boto_writable(value: Any) -> Any:
    """A value boto3's serializer accepts (it refuses floats): floats as their exact text."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, list):
        return [boto_writable(v) for v in value]
    if isinstance(value, dict):
        return {k: boto_writable(v) for k, v in value.items()}
    return value


def exact_from_boto(value: Any) -> Any:
    """boto3's reading in exact_numbers terms: integral numbers as int, others as Decimal."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    if isinstance(value, dict):
        return {k: exact_from_boto(v) for k, v in value.items()}
    if isinstance(value, list):
        return [exact_from_boto(v) for v in value]
    if isinstance(value, set):
        return {exact_from_boto(v) for v in value}
    return from_boto(value)


def strict(value: Any) -> Any:
    """A value with its types spelled out, so 1 == 1.0 == True cannot hide a wrong type."""
    if isinstance(value, dict):
        return ("dict", sorted((k, strict(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("list", [strict(v) for v in value])
    if isinstance(value, (set, frozenset)):
        return ("set", sorted(repr(strict(v)) for v in value))
    return (type(value).__name__, repr(value) if isinstance(value, float) else value)


def by_sk(items: list[dict[str, Any]]) -> list[Any]:
    return [strict(i) for i in sorted(items, key=lambda i: i["sk"])]


def boto_items(boto: Any, table: str, pk: str, n: int) -> list[dict[str, Any]]:
    """The items as boto3 reads them (its own deserializer), before normalising."""
    return [boto_get(boto, table, {"pk": pk, "sk": f"{i:03d}"}) for i in range(n)]


def boto_statement(boto: Any, table: str, pk: str) -> list[dict[str, Any]]:
    """The items under `pk` as boto3 reads them through ExecuteStatement. Compared apart
    from the other paths because moto's PartiQL engine has its own gaps (an item with an
    attribute named "M" holding NULL matches nothing), which boto3 sees too."""
    answer = boto.execute_statement(Statement=f'SELECT * FROM "{table}" WHERE pk = ?', Parameters=[{"S": pk}], ConsistentRead=True)
    return [{k: _deserializer.deserialize(v) for k, v in item.items()} for item in answer["Items"]]


def read_everywhere(client: Any, mode: str, table: str, pk: str, n: int) -> dict[str, list[dict[str, Any]]]:
    """The items under `pk`, read through every read path of one twin."""
    keys = [{"pk": pk, "sk": f"{i:03d}"} for i in range(n)]
    match = {"expression_attribute_names": {"#p": "pk"}, "expression_attribute_values": {":p": pk}}
    got: dict[str, list[dict[str, Any]]] = {}
    got["get_item"] = [call(client, mode, "get_item", table, k, consistent_read=True) for k in keys]
    got["query"] = collect(client, mode, "query", table, "#p = :p", consistent_read=True, **match)[0]
    got["scan"] = collect(client, mode, "scan", table, filter_expression="#p = :p", page_size=50, **match)[0]
    got["batch_get"] = call(client, mode, "batch_get", table, keys, consistent_read=True)
    got["transact_get"] = call(client, mode, "transact_get", [{"table": table, "key": k} for k in keys])
    got["execute_statement"] = list(
        call(client, mode, "execute_statement", f'SELECT * FROM "{table}" WHERE pk = ?', parameters=[pk], consistent_read=True)
    )
    got["parallel_scan"] = call(client, mode, "parallel_scan", table, 3, filter_expression="#p = :p", **match)[0]
    return got


item_bodies = st.lists(
    st.dictionaries(st.text(min_size=1, max_size=6).filter(lambda k: k not in ("pk", "sk")), hostile.storable, max_size=5),
    min_size=1,
    max_size=3,
)
# Modest counts: each example of the first test makes about 60 requests (7 paths, 2 twins,
# 2 number modes), at ~2 ms each against moto.
property_settings = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@property_settings
@given(bodies=item_bodies)
def test_items_written_by_boto3_read_the_same_through_every_path(client, exact_client, boto, module_table, bodies):
    pk = uuid.uuid4().hex
    for i, body in enumerate(bodies):
        item = {"pk": pk, "sk": f"{i:03d}", **boto_writable(body)}
        boto.put_item(TableName=module_table, Item={k: _serializer.serialize(v) for k, v in item.items()})
    stored = boto_items(boto, module_table, pk, len(bodies))
    by_statement = boto_statement(boto, module_table, pk)
    for reader, normalise in ((client, from_boto), (exact_client, exact_from_boto)):
        want = by_sk([normalise(s) for s in stored])
        for mode in MODES:
            for path, items in read_everywhere(reader, mode, module_table, pk, len(bodies)).items():
                expected = by_sk([normalise(s) for s in by_statement]) if path == "execute_statement" else want
                assert by_sk(items) == expected, f"{path} ({mode}, exact={reader is exact_client})"


@property_settings
@given(bodies=item_bodies, mode=st.sampled_from(MODES))  # both twins, drawn per example
def test_items_written_by_pydynox_read_the_same_by_boto3_and_back(client, boto, module_table, bodies, mode):
    pk = uuid.uuid4().hex
    items = [{"pk": pk, "sk": f"{i:03d}", **body} for i, body in enumerate(bodies)]
    call(client, mode, "batch_write", module_table, put_items=items)
    want = by_sk([hostile.expected(i) for i in items])
    assert by_sk([from_boto(s) for s in boto_items(boto, module_table, pk, len(items))]) == want
    by_statement = by_sk([from_boto(s) for s in boto_statement(boto, module_table, pk)])
    for path, got in read_everywhere(client, mode, module_table, pk, len(items)).items():
        assert by_sk(got) == (by_statement if path == "execute_statement" else want), f"{path} ({mode})"


def test_missing_items_are_none_in_transact_get_and_left_out_of_batch_get(client, boto, module_table, mode):
    pk = uuid.uuid4().hex
    boto.put_item(TableName=module_table, Item={"pk": {"S": pk}, "sk": {"S": "a"}, "n": {"N": "12345678901234567890123"}})
    keys = [{"pk": pk, "sk": "a"}, {"pk": pk, "sk": "missing"}]
    got = call(client, mode, "transact_get", [{"table": module_table, "key": k} for k in keys])
    assert got == [{"pk": pk, "sk": "a", "n": 12345678901234567890123}, None]
    assert call(client, mode, "batch_get", module_table, keys) == [got[0]]


# --- batch_get: consistent_read, projection, unprocessed keys ------------------------------------


def test_batch_get_projection_takes_document_paths(client, boto, module_table, mode):
    pk = uuid.uuid4().hex
    item = {"pk": pk, "sk": "a", "name": "x", "addr": {"city": "Oslo", "zip": "0150"}, "tags": ["t0", "t1"], "other": 1}
    boto.put_item(TableName=module_table, Item={k: _serializer.serialize(v) for k, v in item.items()})

    # (`tags[1]` compiles too, but moto rejects a placeholder followed by an index; see
    # tests/test_projection.py.)
    got = call(client, mode, "batch_get", module_table, [{"pk": pk, "sk": "a"}], projection=["sk", "addr.city", "tags"])

    assert got == [{"sk": "a", "addr": {"city": "Oslo"}, "tags": ["t0", "t1"]}]


def test_batch_get_rejects_a_bad_projection_naming_it(client, module_table, mode):
    with pytest.raises((ValueError, TypeError), match="projection"):
        call(client, mode, "batch_get", module_table, [{"pk": "a", "sk": "b"}], projection=["a..b"])
    with pytest.raises(TypeError, match="consistent_read"):
        call(client, mode, "batch_get", module_table, [{"pk": "a", "sk": "b"}], consistent_read="yes")


class PartialBatches(FaultProxy):
    """Answers each BatchGetItem with more than one key by reading only the first key and
    returning the rest as UnprocessedKeys (what DynamoDB does under load), and keeps every
    BatchGetItem request it saw."""

    def __init__(self, upstream: str) -> None:
        super().__init__(upstream)
        self.batch_requests: list[dict[str, Any]] = []

    def _handle(self, handler: Any, body: bytes) -> None:
        if not handler.headers.get("X-Amz-Target", "").endswith(".BatchGetItem"):
            return super()._handle(handler, body)
        import http.client

        request = json.loads(body)
        with self.lock:
            self.batch_requests.append(request)
            self.calls["BatchGetItem"] += 1
        (table, wanted), = request["RequestItems"].items()
        first, rest = wanted["Keys"][:1], wanted["Keys"][1:]
        forwarded = json.dumps({**request, "RequestItems": {table: {**wanted, "Keys": first}}}).encode()
        connection = http.client.HTTPConnection(*self.upstream, timeout=30)
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in ("host", "connection", "content-length")}
        connection.request("POST", handler.path, body=forwarded, headers=headers)
        response = connection.getresponse()
        answer = json.loads(response.read())
        connection.close()
        if rest:
            answer["UnprocessedKeys"] = {table: {**wanted, "Keys": rest}}
        self._answer(handler, response.status, {"Content-Type": "application/x-amz-json-1.0"}, json.dumps(answer).encode())


def test_batch_get_re_requests_unprocessed_keys_with_the_callers_projection(moto_endpoint, boto, module_table, mode):
    import pydynox

    pk = uuid.uuid4().hex
    for i in range(4):
        boto.put_item(TableName=module_table, Item={"pk": {"S": pk}, "sk": {"S": f"{i}"}, "v": {"N": f"{i}.5"}, "w": {"S": "x"}})
    keys = [{"pk": pk, "sk": f"{i}"} for i in range(4)] + [{"pk": pk, "sk": "missing"}]
    with PartialBatches(moto_endpoint) as proxy:
        client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1")

        got = call(client, mode, "batch_get", module_table, keys, consistent_read=True, projection=["sk", "v"])

    assert sorted(got, key=lambda i: i["sk"]) == [{"sk": f"{i}", "v": i + 0.5} for i in range(4)]
    assert len(proxy.batch_requests) == 5, "one request per key: four answered as unprocessed once each"
    for request in proxy.batch_requests:
        (sent,) = request["RequestItems"].values()
        assert sent["ConsistentRead"] is True
        assert sent["ProjectionExpression"] and set(sent["ExpressionAttributeNames"].values()) == {"sk", "v"}
    assert [len(next(iter(r["RequestItems"].values()))["Keys"]) for r in proxy.batch_requests] == [5, 4, 3, 2, 1]


def test_batch_get_over_many_chunks_reads_every_key_once(client, boto, module_table, mode):
    pk = uuid.uuid4().hex
    for start in range(0, 230, 25):
        boto.batch_write_item(
            RequestItems={module_table: [{"PutRequest": {"Item": {"pk": {"S": pk}, "sk": {"S": f"{i:03d}"}}}} for i in range(start, min(start + 25, 230))]}
        )
    keys = [{"pk": pk, "sk": f"{i:03d}"} for i in range(230)]

    got = call(client, mode, "batch_get", module_table, keys)

    assert sorted(i["sk"] for i in got) == [k["sk"] for k in keys]
    assert client.get_last_metrics().items_count == 230


def test_model_batch_get_passes_consistent_read_through(moto_endpoint, boto, module_table):
    import pydynox
    from pydynox import Model, ModelConfig
    from pydynox.attributes import StringAttribute

    pk = uuid.uuid4().hex
    boto.put_item(TableName=module_table, Item={"pk": {"S": pk}, "sk": {"S": "a"}, "name": {"S": "n"}})
    with PartialBatches(moto_endpoint) as proxy:
        client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1")

        class Row(Model):
            model_config = ModelConfig(table=module_table, client=client)
            pk = StringAttribute(hash_key=True)
            sk = StringAttribute(range_key=True)
            name = StringAttribute()

        rows = Row.batch_get([{"pk": pk, "sk": "a"}], consistent_read=True)
        rows_async = asyncio.run(Row.async_batch_get([{"pk": pk, "sk": "a"}], consistent_read=True))
        eventual = Row.batch_get([{"pk": pk, "sk": "a"}])

    assert [r.name for r in rows] == [r.name for r in rows_async] == [r.name for r in eventual] == ["n"]
    sent = [next(iter(r["RequestItems"].values())) for r in proxy.batch_requests]
    assert [s.get("ConsistentRead") for s in sent] == [True, True, None]


# --- count and parallel_scan ---------------------------------------------------------------------


def test_count_and_parallel_scan_over_many_pages(client, boto, make_table, mode):
    table = make_table()
    big = "x" * 30_000  # about 34 items per 1 MB page: several pages per segment
    for start in range(0, 120, 25):
        boto.batch_write_item(
            RequestItems={table: [{"PutRequest": {"Item": {"pk": {"S": f"p{i}"}, "sk": {"S": "s"}, "big": {"S": big}, "n": {"N": str(i)}}}} for i in range(start, min(start + 25, 120))]}
        )

    count, metrics = call(client, mode, "count", table)
    items, scan_metrics = call(client, mode, "parallel_scan", table, 2)
    filtered, _ = call(client, mode, "count", table, filter_expression="n < :n", expression_attribute_values={":n": 10})

    assert count == 120 and metrics.items_count == 120 and metrics.scanned_count == 120
    assert filtered == 10
    assert sorted(i["n"] for i in items) == list(range(120)) and all(i["big"] == big for i in items)
    assert scan_metrics.items_count == 120


# --- a body that is not a DynamoDB response: a clear error, never a crash -----------------------


class Garbage(FaultProxy):
    """Answers the named operations with HTTP 200 and a body of our choosing."""

    def __init__(self, upstream: str, bodies: dict[str, bytes]) -> None:
        super().__init__(upstream)
        self.bodies = bodies

    def _handle(self, handler: Any, body: bytes) -> None:
        operation = handler.headers.get("X-Amz-Target", "").rpartition(".")[2]
        if operation not in self.bodies:
            return super()._handle(handler, body)
        self._answer(handler, 200, {"Content-Type": "application/x-amz-json-1.0"}, self.bodies[operation])


@pytest.mark.parametrize(
    "operation, body, run",
    [
        ("BatchGetItem", b'{"Responses":{"t":[{"a":{"N":"12x"}}]}}', lambda c, m, t: call(c, m, "batch_get", t, [{"pk": "a", "sk": "b"}])),
        ("BatchGetItem", b'{"UnprocessedKeys":{"t":{"Keys":[{"a":{"Q":"1"}}]}}}', lambda c, m, t: call(c, m, "batch_get", t, [{"pk": "a", "sk": "b"}])),
        ("TransactGetItems", b'{"Responses":[{"Item":{"a":{}}}]}', lambda c, m, t: call(c, m, "transact_get", [{"table": t, "key": {"pk": "a", "sk": "b"}}])),
        ("ExecuteStatement", b'{"Items":[{"a":{"B":"!!"}}]}', lambda c, m, t: call(c, m, "execute_statement", f'SELECT * FROM "{t}"')),
        ("Scan", b'{"Count":"many"}', lambda c, m, t: call(c, m, "count", t)),
        ("Scan", b'{"Items":[{"a":{"S":"x","N":"1"}}],"Count":1}', lambda c, m, t: call(c, m, "parallel_scan", t, 2)),
        ("Scan", b'{"Items":[', lambda c, m, t: call(c, m, "parallel_scan", t, 2)),
        # The pager indexes a page before decoding it a slice at a time (ADR 14): a broken
        # page and a broken item inside a good page are both the same clear error.
        ("Query", b'{"Items":[', lambda c, m, t: collect(c, m, "query", t, "pk = :p", expression_attribute_values={":p": "a"})),
        ("Query", b'{"Items":[{"a":{"N":"12x"}}],"Count":1}', lambda c, m, t: collect(c, m, "query", t, "pk = :p", expression_attribute_values={":p": "a"})),
    ],
)
def test_an_unreadable_body_is_a_clear_error(moto_endpoint, module_table, operation, body, run, mode):
    import pydynox
    from pydynox.exceptions import PydynoxException

    with Garbage(moto_endpoint, {operation: body}) as proxy:
        client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=0)
        with pytest.raises(PydynoxException, match="unreadable response from DynamoDB"):
            run(client, mode, module_table)
