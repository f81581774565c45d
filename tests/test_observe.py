"""Logging and OpenTelemetry spans of every request (issue 17 items 1-2, ADR 26), through
both twins against moto: the records' fields, correlation ids per task, spans parented
under the caller's span, and nothing secret in either."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from faults import Fault
from support import boto_put, call, collect, run_python, unique_name

import pydynox
from pydynox import set_correlation_id, set_logger, set_slow_threshold
from pydynox._observe import _state
from pydynox.attributes import NumberAttribute, StringAttribute
from pydynox.config import ModelConfig
from pydynox.exceptions import ConditionalCheckFailedException, ProvisionedThroughputExceededException
from pydynox.indexes import GlobalSecondaryIndex
from pydynox.model import Model

otel_sdk = pytest.importorskip("opentelemetry.sdk.trace", reason="opentelemetry-sdk (test extra)")
from opentelemetry import trace  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter  # noqa: E402

# Values that must never reach a record or a span.
SECRET_VALUE = "item-value-5f1c9e"
SECRET_KEY = "key-value-8d2b7a"


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:  # called with the handler's lock held
        self.records.append(record)

    def of(self, operation: str) -> list[logging.LogRecord]:
        return [r for r in self.records if getattr(r, "operation", None) == operation]


@pytest.fixture
def records() -> Iterator[Records]:
    """The `pydynox` logger at INFO, its records collected. The level is set after the
    handler, through the stdlib only: pydynox must notice it (ADR 26)."""
    logger = logging.getLogger("pydynox")
    handler = Records()
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.setLevel(previous)
        logger.removeHandler(handler)
        set_slow_threshold(100)
        set_logger(logger)


@pytest.fixture
def spans() -> Iterator[tuple[Any, InMemorySpanExporter]]:
    """Tracing on with an SDK tracer writing to memory: (tracer, exporter)."""
    provider = otel_sdk.TracerProvider()
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("tests")
    pydynox.enable_tracing(tracer=tracer)
    try:
        yield tracer, exporter
    finally:
        pydynox.disable_tracing()
        provider.shutdown()


# --- records ------------------------------------------------------------------------------------


def test_a_success_is_one_info_record_with_its_fields(client: Any, table: str, mode: str, records: Records) -> None:
    call(client, mode, "put_item", table, {"pk": "a", "sk": "1", "v": SECRET_VALUE})
    call(client, mode, "get_item", table, {"pk": "a", "sk": "1"})

    [put] = records.of("put_item")
    [get] = records.of("get_item")
    assert (put.levelno, put.action, put.table) == (logging.INFO, "PutItem", table)
    assert (get.levelno, get.action, get.table) == (logging.INFO, "GetItem", table)
    for record in (put, get):
        assert record.duration_ms >= 0
        assert record.request_id
        assert not hasattr(record, "error_type")
        assert f"table={table}" in record.getMessage() and f"request_id={record.request_id}" in record.getMessage()
    assert put.consumed_wcu > 0 and not hasattr(put, "consumed_rcu")
    assert get.consumed_rcu > 0 and not hasattr(get, "consumed_wcu")


def test_a_failed_condition_is_recorded_with_its_error_class(client: Any, table: str, mode: str, boto: Any, records: Records) -> None:
    boto_put(boto, table, {"pk": "a", "sk": "1"})
    with pytest.raises(ConditionalCheckFailedException):
        call(client, mode, "put_item", table, {"pk": "a", "sk": "1"}, condition_expression="attribute_not_exists(pk)")

    [record] = records.of("put_item")
    assert (record.action, record.table, record.error_type) == ("PutItem", table, "ConditionalCheckFailedException")
    assert record.request_id
    assert "error=ConditionalCheckFailedException" in record.getMessage()


def test_a_throttled_call_is_recorded_with_its_error_class(fault_client: Callable[..., Any], proxy: Any, table: str, mode: str, records: Records) -> None:
    client = fault_client(max_retries=0)
    proxy.inject("GetItem", Fault.THROTTLED, 1)
    with pytest.raises(ProvisionedThroughputExceededException):
        call(client, mode, "get_item", table, {"pk": "a", "sk": "1"})

    [record] = records.of("get_item")
    assert (record.action, record.table, record.error_type) == ("GetItem", table, "ProvisionedThroughputExceededException")


def test_index_and_pages_are_recorded(client: Any, make_table: Any, mode: str, boto: Any, records: Records) -> None:
    table = make_table(gsis=[("by-v", ("v", "S"), None)])
    for i in range(3):
        boto_put(boto, table, {"pk": "p", "sk": str(i), "v": "x"})
    items, _ = collect(client, mode, "query", table, "v = :v", expression_attribute_values={":v": "x"}, index_name="by-v", page_size=1)
    assert len(items) == 3

    pages = records.of("query")
    assert len(pages) >= 3  # one record per request: a page each
    assert {(r.action, r.table, r.index) for r in pages} == {("Query", table, "by-v")}


def test_a_slow_call_is_a_warning_even_with_info_off(client: Any, table: str, mode: str, records: Records) -> None:
    logging.getLogger("pydynox").setLevel(logging.WARNING)
    call(client, mode, "get_item", table, {"pk": "a", "sk": "1"})
    assert records.of("get_item") == []

    set_slow_threshold(0)
    call(client, mode, "get_item", table, {"pk": "a", "sk": "1"})
    [record] = records.of("get_item")
    assert record.levelno == logging.WARNING and "slow (threshold 0 ms)" in record.getMessage()


def test_the_mode_follows_the_logger_level() -> None:
    logger = logging.getLogger("pydynox")
    previous = logger.level
    try:
        logger.setLevel(logging.ERROR)
        assert _state.mode() == 0
        logger.setLevel(logging.WARNING)
        assert _state.mode() == _state.SLOW
        logging.getLogger().setLevel(logging.DEBUG)  # a parent's level counts too
        logger.setLevel(logging.NOTSET)
        assert _state.mode() == _state.SLOW | _state.EVERY
    finally:
        logging.getLogger().setLevel(logging.WARNING)
        logger.setLevel(previous)


def test_a_custom_logger_gets_every_record_as_keywords(client: Any, table: str, mode: str) -> None:
    class KeywordLogger:  # takes fields as keywords and refuses extra=, as Powertools does
        def __init__(self) -> None:
            self.calls: list[tuple[str, str, dict[str, Any]]] = []

        def _log(self, level: str, msg: str, **kwargs: Any) -> None:
            if "extra" in kwargs:
                raise TypeError("no extra")
            self.calls.append((level, msg, kwargs))

        def debug(self, msg: str, **kwargs: Any) -> None:
            self._log("debug", msg, **kwargs)

        def info(self, msg: str, **kwargs: Any) -> None:
            self._log("info", msg, **kwargs)

        def warning(self, msg: str, **kwargs: Any) -> None:
            self._log("warning", msg, **kwargs)

        def error(self, msg: str, **kwargs: Any) -> None:
            self._log("error", msg, **kwargs)

    custom = KeywordLogger()
    set_logger(custom)
    try:
        call(client, mode, "get_item", table, {"pk": "a", "sk": "1"})
    finally:
        set_logger(logging.getLogger("pydynox"))
    [(level, message, fields)] = custom.calls
    assert level == "info" and fields["operation"] == "get_item" and fields["table"] == table and message.startswith("get_item")


def test_set_logger_and_threshold_refuse_bad_values() -> None:
    with pytest.raises(TypeError, match=r"logger needs a callable debug\(\) method, got object"):
        set_logger(object())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="milliseconds must be a number >= 0"):
        set_slow_threshold(-1)
    with pytest.raises(TypeError, match="correlation_id must be a str"):
        set_correlation_id(42)  # type: ignore[arg-type]


# --- correlation ids ----------------------------------------------------------------------------


def test_correlation_ids_stay_with_their_task(client: Any, table: str, mode: str, records: Records) -> None:
    """Concurrent tasks (async) or threads (sync) each set their own id; every record
    carries the id of the task that made the call (matched by the call's request id)."""
    n = 8
    seen: dict[str, str] = {}  # request id -> correlation id of the caller

    if mode == "async":

        async def one(i: int) -> None:
            set_correlation_id(f"task-{i}")
            await asyncio.sleep(0)  # let the other tasks set theirs
            _, metrics = await client.async_get_item_with_metrics(table, {"pk": str(i), "sk": "1"})
            seen[metrics.request_id] = f"task-{i}"

        async def main() -> None:
            await asyncio.gather(*(one(i) for i in range(n)))

        asyncio.run(main())
    else:
        barrier = threading.Barrier(n)

        def worker(i: int) -> None:
            set_correlation_id(f"task-{i}")
            barrier.wait()
            _, metrics = client.get_item_with_metrics(table, {"pk": str(i), "sk": "1"})
            seen[metrics.request_id] = f"task-{i}"

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    # get_item_with_metrics is a get_item call
    got = {r.request_id: r.correlation_id for r in records.of("get_item")}
    assert len(seen) == n and got == seen
    assert pydynox._observe.get_correlation_id() is None  # the test's own context is untouched


# --- spans ----------------------------------------------------------------------------------------


def _client_operations(table: str, other: str) -> list[tuple[str, tuple, dict, set[str]]]:
    """(operation, args, kwargs, the DynamoDB actions its spans name) for every client operation."""
    key = {"pk": SECRET_KEY, "sk": "1"}
    return [
        ("ping", (), {}, {"ListTables"}),
        ("create_table", (other, ("pk", "S")), {"wait": True}, {"CreateTable", "DescribeTable"}),
        ("wait_for_table_active", (other,), {}, {"DescribeTable"}),
        ("table_exists", (other,), {}, {"DescribeTable"}),
        ("update_time_to_live", (other, "expires"), {}, {"UpdateTimeToLive"}),
        ("describe_time_to_live", (other,), {}, {"DescribeTimeToLive"}),
        ("put_item", (table, {**key, "v": SECRET_VALUE}), {}, {"PutItem"}),
        ("get_item", (table, key), {}, {"GetItem"}),
        ("get_item_with_metrics", (table, key), {}, {"GetItem"}),
        ("update_item", (table, key), {"updates": {"v": SECRET_VALUE + "-2"}}, {"UpdateItem"}),
        ("query", (table, "pk = :p"), {"expression_attribute_values": {":p": SECRET_KEY}}, {"Query"}),
        ("scan", (table,), {}, {"Scan"}),
        ("count", (table,), {}, {"Scan"}),
        ("parallel_scan", (table, 2), {}, {"Scan"}),
        ("batch_write", (table,), {"put_items": [{"pk": SECRET_KEY, "sk": "2", "v": SECRET_VALUE}]}, {"BatchWriteItem"}),
        ("batch_get", (table, [key]), {}, {"BatchGetItem"}),
        ("transact_write", ([{"type": "put", "table": table, "item": {"pk": SECRET_KEY, "sk": "3", "v": SECRET_VALUE}}],), {}, {"TransactWriteItems"}),
        ("transact_get", ([{"table": table, "key": key}],), {}, {"TransactGetItems"}),
        ("execute_statement", (f'SELECT * FROM "{table}" WHERE pk = ?', [SECRET_KEY]), {}, {"ExecuteStatement"}),
        ("delete_item", (table, key), {}, {"DeleteItem"}),
        ("delete_table", (other,), {}, {"DeleteTable"}),
    ]


PAGED = {"query", "scan"}


def _run_client_operations(client: Any, mode: str, tracer: Any, operations: list) -> int:
    """Runs each operation under a caller's span named "caller"; returns that span's id."""
    if mode == "sync":
        with tracer.start_as_current_span("caller") as caller:
            for name, args, kwargs, _ in operations:
                result = getattr(client, name)(*args, **kwargs)
                if name in PAGED:
                    list(result)
        return caller.get_span_context().span_id

    async def main() -> int:
        with tracer.start_as_current_span("caller") as caller:
            for name, args, kwargs, _ in operations:
                result = getattr(client, f"async_{name}")(*args, **kwargs)
                if name in PAGED:
                    [item async for item in result]
                else:
                    await result
        return caller.get_span_context().span_id

    return asyncio.run(main())


def test_every_client_operation_is_a_span_under_the_callers(client: Any, table: str, mode: str, spans: Any, drop_table: Any) -> None:
    tracer, exporter = spans
    other = drop_table(unique_name())
    operations = _client_operations(table, other)
    caller = _run_client_operations(client, mode, tracer, operations)

    finished = [s for s in exporter.get_finished_spans() if s.name != "caller"]
    for name, _, _, actions in operations:
        operation = "get_item" if name == "get_item_with_metrics" else name
        mine = [s for s in finished if s.attributes["pydynox.operation"] == operation]
        assert mine, f"no span for {name}"
        assert {s.attributes["db.operation.name"] for s in mine} == actions, name
    for span in finished:
        assert span.parent is not None and span.parent.span_id == caller, span.name
        assert span.kind == trace.SpanKind.CLIENT
        assert span.attributes["db.system.name"] == "aws.dynamodb"
        assert span.end_time >= span.start_time
    get = next(s for s in finished if s.attributes["pydynox.operation"] == "get_item")
    assert get.name == f"GetItem {table}"
    assert get.attributes["db.collection.name"] == table
    assert get.attributes["aws.dynamodb.consumed_capacity.read"] > 0
    assert get.attributes["aws.request_id"]
    put = next(s for s in finished if s.attributes["pydynox.operation"] == "put_item")
    assert put.attributes["aws.dynamodb.consumed_capacity.write"] > 0


def test_a_failed_call_span_has_its_error(client: Any, table: str, boto: Any, mode: str, spans: Any) -> None:
    tracer, exporter = spans
    boto_put(boto, table, {"pk": "a", "sk": "1"})
    with pytest.raises(ConditionalCheckFailedException):
        call(client, mode, "put_item", table, {"pk": "a", "sk": "1"}, condition_expression="attribute_not_exists(pk)")
    [span] = exporter.get_finished_spans()
    assert span.attributes["error.type"] == "ConditionalCheckFailedException"
    assert span.status.status_code == trace.StatusCode.ERROR
    assert [e.attributes["exception.type"] for e in span.events if e.name == "exception"] == ["ConditionalCheckFailedException"]


def test_async_spans_follow_each_awaiting_task(client: Any, table: str, spans: Any) -> None:
    # Async only: concurrent tasks, each under its own span.
    tracer, exporter = spans

    async def one(i: int) -> tuple[int, str]:
        with tracer.start_as_current_span(f"task-{i}") as parent:
            await asyncio.sleep(0)
            _, metrics = await client.async_get_item_with_metrics(table, {"pk": str(i), "sk": "1"})
            return parent.get_span_context().span_id, metrics.request_id

    async def main() -> list[tuple[int, str]]:
        return await asyncio.gather(*(one(i) for i in range(6)))

    expected = dict((rid, parent) for parent, rid in asyncio.run(main()))
    got = {s.attributes["aws.request_id"]: s.parent.span_id for s in exporter.get_finished_spans() if s.name.startswith("GetItem")}
    assert got == expected


def test_log_records_carry_the_span_ids(client: Any, table: str, mode: str, spans: Any, records: Records) -> None:
    call(client, mode, "get_item", table, {"pk": "a", "sk": "1"})
    [record] = records.of("get_item")
    [span] = spans[1].get_finished_spans()
    assert record.trace_id == format(span.context.trace_id, "032x")
    assert record.span_id == format(span.context.span_id, "016x")


class Thing(Model):
    model_config = ModelConfig(table="replaced-per-test")
    pk = StringAttribute(hash_key=True)
    sk = StringAttribute(range_key=True)
    v = StringAttribute()
    n = NumberAttribute()
    by_v = GlobalSecondaryIndex(index_name="by-v", hash_key="v")


def test_every_model_operation_is_a_span_under_the_callers(client: Any, make_table: Any, mode: str, spans: Any, drop_table: Any) -> None:
    tracer, exporter = spans
    table = make_table(gsis=[("by-v", ("v", "S"), None)])

    class Item(Thing):
        model_config = ModelConfig(table=table, client=client)

    class Fresh(Thing):
        model_config = ModelConfig(table=drop_table(unique_name()), client=client)

    key = {"pk": SECRET_KEY, "sk": "1"}
    item = Item(pk=SECRET_KEY, sk="1", v=SECRET_VALUE, n=1)
    steps: list[tuple[str, Any, str, tuple, dict, set[str]]] = [
        ("create_table", Fresh, "create_table", (), {"wait": True}, {"CreateTable", "DescribeTable"}),
        ("table_exists", Fresh, "table_exists", (), {}, {"DescribeTable"}),
        ("delete_table", Fresh, "delete_table", (), {}, {"DeleteTable"}),
        ("put_item", item, "save", (), {}, {"PutItem"}),
        ("get_item", Item, "get", (), key, {"GetItem"}),
        ("update_item", item, "update", (), {"n": 2}, {"UpdateItem"}),
        ("update_item", Item, "update_by_key", (), {**key, "n": 3}, {"UpdateItem"}),
        ("query", Item, "query", (SECRET_KEY,), {}, {"Query"}),
        ("query", Item.by_v, "query", (), {"v": SECRET_VALUE}, {"Query"}),
        ("scan", Item, "scan", (), {}, {"Scan"}),
        ("count", Item, "count", (), {}, {"Scan"}),
        ("parallel_scan", Item, "parallel_scan", (2,), {}, {"Scan"}),
        ("batch_get", Item, "batch_get", ([key],), {}, {"BatchGetItem"}),
        ("execute_statement", Item, "execute_statement", (f'SELECT * FROM "{table}" WHERE pk = ?', [SECRET_KEY]), {}, {"ExecuteStatement"}),
        ("delete_item", item, "delete", (), {}, {"DeleteItem"}),
        ("delete_item", Item, "delete_by_key", (), key, {"DeleteItem"}),
    ]
    paged = {"query", "scan"}

    def run_sync() -> int:
        with tracer.start_as_current_span("caller") as caller:
            for _, target, method, args, kwargs, _ in steps:
                result = getattr(target, method)(*args, **kwargs)
                if method in paged:
                    list(result)
        return caller.get_span_context().span_id

    async def run_async() -> int:
        with tracer.start_as_current_span("caller") as caller:
            for _, target, method, args, kwargs, _ in steps:
                result = getattr(target, f"async_{method}")(*args, **kwargs)
                if method in paged:
                    [x async for x in result]
                else:
                    await result
        return caller.get_span_context().span_id

    caller = run_sync() if mode == "sync" else asyncio.run(run_async())

    finished = [s for s in exporter.get_finished_spans() if s.name != "caller"]
    for operation, _, method, _, _, actions in steps:
        mine = [s for s in finished if s.attributes["pydynox.operation"] == operation]
        assert mine and actions <= {s.attributes["db.operation.name"] for s in mine}, method
    assert all(s.parent is not None and s.parent.span_id == caller for s in finished)
    assert any(s.attributes.get("aws.dynamodb.index_name") == "by-v" for s in finished)


# --- nothing secret ---------------------------------------------------------------------------


def test_no_credential_or_item_value_in_records_or_spans(client: Any, table: str, mode: str, spans: Any, records: Records, drop_table: Any) -> None:
    import os

    set_slow_threshold(0)  # the WARNING path too
    set_correlation_id("corr-1")
    tracer, exporter = spans
    operations = [op for op in _client_operations(table, drop_table(unique_name()))]
    _run_client_operations(client, mode, tracer, operations)
    with pytest.raises(ConditionalCheckFailedException):
        call(client, mode, "put_item", table, {"pk": SECRET_KEY, "sk": "9", "v": SECRET_VALUE}, condition_expression="attribute_exists(pk)")
    set_correlation_id(None)

    secrets = {os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"], SECRET_VALUE, SECRET_KEY}
    texts: list[str] = []
    for record in records.records:
        texts.append(record.getMessage())
        texts.extend(str(v) for v in vars(record).values())
    for span in exporter.get_finished_spans():
        texts.append(span.name)
        texts.extend(f"{k}={v}" for k, v in span.attributes.items())
        texts.extend(f"{k}={v}" for e in span.events for k, v in e.attributes.items())
        texts.append(str(span.status.description))
    assert len(records.records) > 20 and len(exporter.get_finished_spans()) > 20
    leaks = [(s, t) for t in texts for s in secrets if s in t]
    assert leaks == []


# --- opentelemetry stays optional -------------------------------------------------------------


def test_without_opentelemetry_import_works_and_enable_tracing_says_what_is_missing() -> None:
    code = """
import sys
sys.modules["opentelemetry"] = None  # as if not installed
import pydynox
try:
    pydynox.enable_tracing()
except ImportError as e:
    print("ImportError:", e)
"""
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    assert "ImportError: enable_tracing() needs the opentelemetry-api package" in done.stdout
    assert "pip install 'pydynox[opentelemetry]'" in done.stdout


def test_records_go_only_where_the_program_sends_its_logs(moto_endpoint: str, table: str) -> None:
    # Sync only: what is tested is where a record goes, in a fresh interpreter.
    code = """
import logging, sys
import pydynox
if sys.argv[3] == "configured":
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
pydynox.set_slow_threshold(0)  # every call is slow
pydynox.DynamoDBClient(endpoint_url=sys.argv[1], region="us-east-1").get_item(sys.argv[2], {"pk": "a", "sk": "1"})
"""
    silent = run_python(code, moto_endpoint, table, "unconfigured")
    assert silent.returncode == 0 and silent.stderr == "", silent.stderr
    shown = run_python(code, moto_endpoint, table, "configured")
    assert shown.returncode == 0, shown.stderr
    assert shown.stderr.startswith(f"WARNING get_item table={table} ") and "slow (threshold 0 ms)" in shown.stderr


def test_a_slow_call_is_logged_when_only_the_client_was_imported(proxy: Any, table: str) -> None:
    # Sync only: what is tested is a fresh interpreter's defaults. `pydynox._observe` loads
    # on the first slow call (src/observe.rs), not at `import pydynox`; the call must still
    # be logged, with the default 100 ms threshold.
    proxy.delay = 0.15
    code = """
import logging, sys
logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
from pydynox import DynamoDBClient
assert "pydynox._observe" not in sys.modules
DynamoDBClient(endpoint_url=sys.argv[1], region="us-east-1").get_item(sys.argv[2], {"pk": "a", "sk": "1"})
"""
    done = run_python(code, proxy.endpoint, table)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(f"WARNING get_item table={table} ") and "slow (threshold 100 ms)" in done.stderr
