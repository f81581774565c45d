"""Every request path survives the faults a real network and a real DynamoDB produce (issue 9,
item 5): a throttled answer (ProvisionedThroughputExceededException or ThrottlingException),
an HTTP 500, a connection closed without an answer or reset, and an answer that does not come
within the client's read timeout.

Through the fault proxy (tests/faults.py), one request of each operation is faulted instead of
being forwarded to moto:
- with retries, the operation's outcome is exactly that of a clean run (reads return the
  seeded items; boto3 reads back what a write wrote, a counter incremented once) and the
  proxy saw exactly one extra request;
- with max_retries=0, the fault's typed exception is raised, nothing more was sent, and a
  write left the table as it was.

Also: how many retries max_retries allows, which error answers are retried, a connection the
server closed while idle, and batches DynamoDB does only in part (unprocessed items/keys).

Clients come from the `fault_client` fixture (conftest.py), so these tests run over every
request path listed there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

import pydynox
from pydynox.config import ModelConfig
from pydynox.attributes import NumberAttribute, StringAttribute, VersionAttribute
from pydynox.exceptions import (
    ConnectionException,
    CredentialsException,
    ProvisionedThroughputExceededException,
    PydynoxException,
    RequestTimeoutException,
    ResourceNotFoundException,
    ValidationException,
)
from pydynox.model import Model

from faults import Fault, hold_back_keys, hold_back_writes
from conftest import REGION
from support import MODES, boto_put_many, boto_scan, by_key, call, collect, wait_until

ITEMS = [{"pk": "p", "sk": f"{i:02d}", "n": i} for i in range(4)]
KEYS = [{"pk": "p", "sk": item["sk"]} for item in ITEMS]
NEW = [{"pk": "p", "sk": f"new{i}", "n": 100 + i} for i in range(2)]

# A HOLD lasts until the client gives up: its read timeout (short, to keep the suite fast;
# long enough that moto's answers to the clean requests never hit it on a loaded machine).
READ_TIMEOUT = 0.75


# --- the request paths ---------------------------------------------------------------------


@dataclass(frozen=True)
class Path:
    name: str
    action: str  # the DynamoDB action whose request is faulted
    fault_at: int  # which request of that action (a later page for paged reads)
    run: Callable[[Any, str, str], Any]  # (client, mode, table) -> result
    expected: Callable[[str], Any]  # table -> what `run` returns (reads) / what is stored after (writes)
    writes: bool = False
    concurrent: bool = False  # sends several requests of the action at once (segments)

    def __str__(self) -> str:
        return self.name


def _sorted(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return by_key(items)


def _query(client: Any, mode: str, table: str) -> Any:
    items, _ = collect(
        client, mode, "query", table, key_condition_expression="pk = :p", expression_attribute_values={":p": "p"}, page_size=2
    )
    return items


def _scan(client: Any, mode: str, table: str) -> Any:
    items, _ = collect(client, mode, "scan", table, page_size=2)
    return _sorted(items)


def _parallel_scan(client: Any, mode: str, table: str) -> Any:
    items, _ = call(client, mode, "parallel_scan", table, 2)
    return _sorted(items)


def _count(client: Any, mode: str, table: str) -> Any:
    count, _ = call(client, mode, "count", table)
    return count


def _row_model(table: str, client: Any) -> Any:
    class Row(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        n = NumberAttribute()

    return Row


def _model_get(client: Any, mode: str, table: str) -> Any:
    row = call(_row_model(table, client), mode, "get", pk="p", sk="01")
    return {"pk": row.pk, "sk": row.sk, "n": row.n}


def _model_query(client: Any, mode: str, table: str) -> Any:
    rows, _ = collect(_row_model(table, client), mode, "query", hash_key="p", page_size=2)
    return [{"pk": r.pk, "sk": r.sk, "n": r.n} for r in rows]


# The instances `_model_save` saved, latest last: a failed save must leave its instance as
# it was (no version taken), a retried one must hold the version written.
SAVED: list[Any] = []


def _model_save(client: Any, mode: str, table: str) -> Any:
    class Versioned(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        n = NumberAttribute()
        version = VersionAttribute()

    SAVED.append(Versioned(**NEW[0]))
    return call(SAVED[-1], mode, "save")


def _as_saved(instance: Any) -> dict[str, Any]:
    return {"pk": instance.pk, "sk": instance.sk, "n": instance.n, "version": instance.version}


READS = [
    Path("get_item", "GetItem", 1, lambda c, m, t: call(c, m, "get_item", t, KEYS[1]), lambda t: ITEMS[1]),
    # Paged reads: the fault hits the second page (fetched ahead while the first is consumed).
    Path("query", "Query", 2, _query, lambda t: ITEMS),
    Path("scan", "Scan", 2, _scan, lambda t: ITEMS),
    Path("batch_get", "BatchGetItem", 1, lambda c, m, t: _sorted(call(c, m, "batch_get", t, KEYS)), lambda t: ITEMS),
    Path(
        "transact_get",
        "TransactGetItems",
        1,
        lambda c, m, t: call(c, m, "transact_get", [{"table": t, "key": k} for k in KEYS]),
        lambda t: ITEMS,
    ),
    Path(
        "execute_statement",
        "ExecuteStatement",
        1,
        lambda c, m, t: _sorted(call(c, m, "execute_statement", f'SELECT * FROM "{t}"')),
        lambda t: ITEMS,
    ),
    Path("parallel_scan", "Scan", 1, _parallel_scan, lambda t: ITEMS, concurrent=True),
    Path("count", "Scan", 1, _count, lambda t: len(ITEMS)),
    Path("model_get", "GetItem", 1, _model_get, lambda t: ITEMS[1]),
    Path("model_query", "Query", 2, _model_query, lambda t: ITEMS),
]

ADD_ONE = {"update_expression": "ADD n :one", "expression_attribute_values": {":one": 1}}


def _bumped(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, "n": item["n"] + 1}


WRITES = [
    Path("put_item", "PutItem", 1, lambda c, m, t: call(c, m, "put_item", t, NEW[0]), lambda t: ITEMS + NEW[:1], True),
    # ADD is not idempotent: a request applied twice would show as n + 2.
    Path(
        "update_item",
        "UpdateItem",
        1,
        lambda c, m, t: call(c, m, "update_item", t, KEYS[0], **ADD_ONE),
        lambda t: [_bumped(ITEMS[0])] + ITEMS[1:],
        True,
    ),
    Path("delete_item", "DeleteItem", 1, lambda c, m, t: call(c, m, "delete_item", t, KEYS[0]), lambda t: ITEMS[1:], True),
    Path(
        "batch_write",
        "BatchWriteItem",
        1,
        lambda c, m, t: call(c, m, "batch_write", t, put_items=NEW, delete_keys=KEYS[:1]),
        lambda t: ITEMS[1:] + NEW,
        True,
    ),
    Path(
        "transact_write",
        "TransactWriteItems",
        1,
        lambda c, m, t: call(
            c,
            m,
            "transact_write",
            [
                {"type": "put", "table": t, "item": NEW[0]},
                {"type": "update", "table": t, "key": KEYS[1], **ADD_ONE},
                {"type": "delete", "table": t, "key": KEYS[0]},
            ],
        ),
        lambda t: [_bumped(ITEMS[1])] + ITEMS[2:] + NEW[:1],
        True,
    ),
    Path("model_save", "PutItem", 1, _model_save, lambda t: ITEMS + [{**NEW[0], "version": 1}], True),
]

PATHS = READS + WRITES

# The exception a fault becomes when the client may not retry it.
RAISES = {
    Fault.SERVER_ERROR: PydynoxException,
    Fault.THROTTLED: ProvisionedThroughputExceededException,
    Fault.THROTTLING: ProvisionedThroughputExceededException,
    Fault.DROP: ConnectionException,
    Fault.RESET: ConnectionException,
    Fault.HOLD: RequestTimeoutException,
}


def options_for(fault: str, max_retries: int) -> dict[str, Any]:
    options: dict[str, Any] = {"max_retries": max_retries}
    if fault == Fault.HOLD:
        options["read_timeout"] = READ_TIMEOUT
    return options


def stored(boto: Any, table: str) -> list[dict[str, Any]]:
    return by_key(boto_scan(boto, table))


def clean_requests(path: Path, client: Any, mode: str, table: str, proxy: Any) -> int:
    """How many requests of the path's action a clean run sends (reads only: they can run
    twice), checking its result on the way."""
    if path.writes:
        return 1  # every write here is one request
    proxy.calls.clear()
    assert path.run(client, mode, table) == path.expected(table)
    count = proxy.calls[path.action]
    proxy.calls.clear()
    return count


# --- the tests ---------------------------------------------------------------------------------
#
# Every (path, fault) pair runs through both twins, retried and raising.


def _cases() -> list[Any]:
    return [pytest.param(path, fault, id=f"{path}-{fault}") for path in PATHS for fault in Fault.ALL]


@pytest.mark.parametrize("path, fault", _cases())
def test_a_fault_is_retried_and_the_outcome_is_exact(path, fault, mode, fault_client, proxy, boto, table):
    boto_put_many(boto, table, ITEMS)
    client = fault_client(**options_for(fault, max_retries=2))
    clean = clean_requests(path, client, mode, table, proxy)
    assert clean >= path.fault_at, f"{path} sends {clean} {path.action} requests; cannot fault request {path.fault_at}"

    proxy.inject(path.action, fault, path.fault_at)
    result = path.run(client, mode, table)

    assert proxy.injected == [(path.action, path.fault_at, fault)]
    assert proxy.calls[path.action] == clean + 1, "exactly one request more than a clean run: the faulted one, sent again"
    if path.writes:
        assert stored(boto, table) == by_key(path.expected(table))
    else:
        assert result == path.expected(table)
        assert stored(boto, table) == ITEMS
    if path.name == "model_save":
        assert _as_saved(SAVED[-1]) == {**NEW[0], "version": 1}, "the instance holds the version it wrote"


@pytest.mark.parametrize("path, fault", _cases())
def test_a_fault_without_retries_raises_its_typed_error_and_writes_nothing(path, fault, mode, fault_client, proxy, boto, table):
    boto_put_many(boto, table, ITEMS)
    client = fault_client(**options_for(fault, max_retries=0))
    clean = clean_requests(path, client, mode, table, proxy)
    assert clean >= path.fault_at

    proxy.inject(path.action, fault, path.fault_at)
    with pytest.raises(RAISES[fault]) as raised:
        path.run(client, mode, table)

    if RAISES[fault] in (PydynoxException, ConnectionException):
        # Not a subclass that means something else (a timeout is a ConnectionException too).
        assert type(raised.value) is RAISES[fault], repr(raised.value)
    assert proxy.injected == [(path.action, path.fault_at, fault)]
    if path.concurrent:
        # The other segments' requests may be in flight already; the failed one is not re-sent.
        assert path.fault_at <= proxy.calls[path.action] <= clean
    else:
        assert proxy.calls[path.action] == path.fault_at, "nothing is sent after the failed request"
    assert stored(boto, table) == ITEMS, "a failed write left the table as it was"
    if path.name == "model_save":
        assert _as_saved(SAVED[-1]) == {**NEW[0], "version": None}, "a failed save left the instance as it was"


# --- how many retries ---------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_max_retries_is_the_number_of_attempts_after_the_first(mode, fault_client, proxy, boto, table):
    """max_retries=2: three faults in a row exhaust it (the last fault's error, after exactly
    three requests); two faults in a row do not (the third request succeeds)."""
    boto_put_many(boto, table, ITEMS)
    client = fault_client(max_retries=2)
    get = READS[0]
    proxy.inject(get.action, Fault.THROTTLED, 1)
    proxy.inject(get.action, Fault.SERVER_ERROR, 2)
    proxy.inject(get.action, Fault.RESET, 3)
    with pytest.raises(ConnectionException) as raised:
        get.run(client, mode, table)
    assert type(raised.value) is ConnectionException
    assert proxy.calls[get.action] == 3

    proxy.inject(get.action, Fault.DROP, 4)
    proxy.inject(get.action, Fault.THROTTLING, 5)
    assert get.run(client, mode, table) == ITEMS[1]
    assert proxy.calls[get.action] == 6
    assert [fault for _, _, fault in proxy.injected] == [
        Fault.THROTTLED,
        Fault.SERVER_ERROR,
        Fault.RESET,
        Fault.DROP,
        Fault.THROTTLING,
    ]


# --- a connection the server closed while it was idle ----------------------------------------

# Found by this test (issue 9 item 5): a sync call sent its request on a pooled connection the
# server had closed while the client was idle, and failed (or, with retries, paid a backoff).
# A sync call on the SDK's connector drives it on a current-thread runtime that runs only
# inside a call, so `runtime::block_on` lets it read its sockets once before the request; a
# sync call on the direct path uses blocking sockets (ADR 30) and peeks at the pooled one.


@pytest.mark.parametrize("mode", MODES)
def test_a_connection_the_server_closed_while_idle_is_not_reused(mode, request_path, fault_client, proxy, boto, table):
    boto_put_many(boto, table, ITEMS)
    client = fault_client(max_retries=0)  # a failure surfaces instead of being retried
    proxy.idle_timeout = 0.05
    get = READS[0]
    for round_ in range(1, 4):
        assert get.run(client, mode, table) == ITEMS[1]
        # The server closes the idle connection, and its socket is closed (its FIN sent).
        assert wait_until(lambda: proxy.idle_closed >= round_ and proxy.closed >= round_), "the proxy did not close the idle connection"
    assert proxy.calls[get.action] == 3
    assert proxy.connections == 3, "each request on a new connection: the closed one is not reused"


def test_a_connection_the_server_closed_while_idle_is_not_reused_by_sync_calls_on_the_connector(proxy, boto, table, monkeypatch):
    """The direct path's sync calls on the SDK's connector (as through a proxy or to https),
    where `runtime::block_on`'s two turns find the close."""
    monkeypatch.setenv("PYDYNOX_DIRECT", "1")
    monkeypatch.setenv("PYDYNOX_PLAIN_HTTP", "0")
    boto_put_many(boto, table, ITEMS)
    client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region=REGION, max_retries=0)
    proxy.idle_timeout = 0.05
    get = READS[0]
    for round_ in range(1, 4):
        assert get.run(client, "sync", table) == ITEMS[1]
        assert wait_until(lambda: proxy.idle_closed >= round_ and proxy.closed >= round_), "the proxy did not close the idle connection"
    assert proxy.calls[get.action] == 3
    assert proxy.connections == 3, "each request on a new connection: the closed one is not reused"


# --- which answers are retried ---------------------------------------------------------------

_DDB = "com.amazonaws.dynamodb.v20120810#"

# (answer, retried by the client?, the exception when it is not or retries are off)
CLASSIFIED = [
    (Fault.error(503, _DDB + "ServiceUnavailable"), True, PydynoxException),
    (Fault.error(502, None), True, PydynoxException),  # a load balancer's HTML page
    (Fault.error(400, _DDB + "RequestLimitExceeded"), True, ProvisionedThroughputExceededException),
    (Fault.error(400, _DDB + "ValidationException"), False, ValidationException),
    (Fault.error(400, "com.amazon.coral.service#UnrecognizedClientException"), False, CredentialsException),
    (Fault.error(400, "com.amazon.coral.service#ExpiredTokenException"), False, CredentialsException),
    (Fault.error(400, _DDB + "ResourceNotFoundException"), False, ResourceNotFoundException),
]


def _answer_id(answer: str) -> str:
    status, _, error_type = answer.partition(" ")
    return f"{status}-{error_type.rpartition('#')[2]}"


@pytest.mark.parametrize("answer, retried, raises", CLASSIFIED, ids=[_answer_id(case[0]) for case in CLASSIFIED])
def test_which_error_answers_are_retried(answer, retried, raises, fault_client, proxy, boto, table, mode):
    boto_put_many(boto, table, ITEMS)
    get = READS[0]
    client = fault_client(max_retries=1)
    proxy.inject(get.action, answer, 1)
    if retried:
        assert get.run(client, mode, table) == ITEMS[1]
        assert proxy.calls[get.action] == 2
        # Without retries, the same answer raises its typed error.
        proxy.calls.clear()
        proxy.inject(get.action, answer, 1)
        client = fault_client(max_retries=0)
    with pytest.raises(raises) as raised:
        get.run(client, mode, table)
    if raises is PydynoxException:
        assert type(raised.value) is PydynoxException, repr(raised.value)
    assert proxy.calls[get.action] == 1, "not retried"


# --- a batch DynamoDB does only in part ---------------------------------------------------------


@pytest.mark.parametrize("then", [None, Fault.THROTTLED], ids=["unprocessed", "unprocessed-then-throttled"])
def test_batch_write_resends_unprocessed_items_until_all_are_written(then, fault_client, proxy, boto, table, mode):
    boto_put_many(boto, table, ITEMS)
    client = fault_client(max_retries=1)
    # Twice, the last two writes come back unprocessed; optionally the first re-send is throttled.
    proxy.intercept["BatchWriteItem"] = hold_back_writes(2, times=2)
    if then:
        proxy.inject("BatchWriteItem", then, 2)

    call(client, mode, "batch_write", table, put_items=NEW, delete_keys=KEYS[:2])

    assert stored(boto, table) == by_key(ITEMS[2:] + NEW)
    sent = [json.loads(body)["RequestItems"] for op, body in proxy.requests if op == "BatchWriteItem"]
    assert len(sent) == 3 + (then is not None)
    first, resent = sent[0][table], sent[-2][table]
    assert resent == first[-2:], "exactly the unprocessed writes are sent again"


@pytest.mark.parametrize("then", [None, Fault.RESET], ids=["unprocessed", "unprocessed-then-reset"])
def test_batch_get_rerequests_unprocessed_keys_until_all_are_read(then, fault_client, proxy, boto, table, mode):
    boto_put_many(boto, table, ITEMS)
    client = fault_client(max_retries=1)
    proxy.intercept["BatchGetItem"] = hold_back_keys(1, times=2)
    if then:
        proxy.inject("BatchGetItem", then, 2)

    assert by_key(call(client, mode, "batch_get", table, KEYS)) == ITEMS

    sent = [json.loads(body)["RequestItems"][table]["Keys"] for op, body in proxy.requests if op == "BatchGetItem"]
    assert len(sent) == 3 + (then is not None)
    assert [len(keys) for keys in sent[-2:]] == [1, 1], "only the unprocessed key is asked for again"


def test_batch_write_gives_up_and_says_how_many_items_were_written(fault_client, proxy, boto, table, mode):
    proxied = fault_client(max_retries=0)
    # Every request has its last four writes held back: the first writes six, the re-sends none.
    proxy.intercept["BatchWriteItem"] = hold_back_writes(4, times=1000)
    items = [{"pk": "p", "sk": f"{i:02d}", "n": i} for i in range(10)]

    with pytest.raises(ProvisionedThroughputExceededException) as raised:
        call(proxied, mode, "batch_write", table, put_items=items)

    assert "6 of 10 items were written" in str(raised.value), str(raised.value)
    assert raised.value.unprocessed_items == items[6:], "exactly the items not written"
    assert raised.value.unprocessed_keys == []
    assert stored(boto, table) == items[:6]
    assert proxy.calls["BatchWriteItem"] == 12, "up to 12 attempts, then the call gives up"


def test_the_first_failing_parallel_scan_segment_cancels_the_others(fault_client, proxy, boto, table, mode):
    """Four segments: the proxy holds the first three requests to arrive and fails the
    fourth, so the failure comes while the others are in flight. The call raises at once and
    their requests are abandoned (the client hangs up); a call that waited for them would
    return only when the holds end, their requests answered, not abandoned."""
    boto_put_many(boto, table, ITEMS)
    proxy.hold_seconds = 30.0
    proxy.inject("Scan", Fault.HOLD, 1, 2, 3)
    proxy.inject("Scan", Fault.SERVER_ERROR, 4)
    client = fault_client(max_retries=0, read_timeout=600, operation_timeout=600)  # a held request never times out

    with pytest.raises(PydynoxException) as raised:
        call(client, mode, "parallel_scan", table, 4)

    assert type(raised.value) is PydynoxException, repr(raised.value)
    assert proxy.calls["Scan"] == 4
    # A sync call's runtime runs only inside calls: the next one closes the dropped connections.
    assert call(client, mode, "get_item", table, KEYS[0]) == ITEMS[0]
    assert wait_until(lambda: proxy.abandoned == 3, within=20), f"{proxy.abandoned} of the 3 other segments were cancelled"
