"""BatchWriter / AsyncBatchWriter (issue 16 item 1), through both twins with one test body:
what they write (checked with boto3), de-duplication, models, an exception inside the block,
bad input, and a failure that names exactly the items not written.

Faults (unprocessed items, throttling, a stopped server) are in test_batch_faults.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

import pytest

from pydynox import AsyncBatchWriter, BatchWriter
from pydynox.attributes import NumberAttribute, StringAttribute
from pydynox.config import ModelConfig
from pydynox.hooks import after_delete, after_save, before_delete, before_save
from pydynox.exceptions import ConnectionException, PydynoxException, ValidationException
from pydynox.model import Model
from support import boto_put_many, boto_scan, by_key, closed_endpoint

Step = tuple[str, Any]


class Boom(Exception):
    pass


def run_writer(mode: str, client: Any, table: str, steps: Iterable[Step], **options: Any) -> Any:
    """Runs `steps` ((method, argument) pairs; ("raise", error) raises inside the block)
    through `with BatchWriter(...)` or `async with AsyncBatchWriter(...)`; returns the writer."""
    if mode == "sync":
        with BatchWriter(client, table, **options) as writer:
            for name, arg in steps:
                if name == "raise":
                    raise arg
                getattr(writer, name)(*([] if arg is None else [arg]))
        return writer

    async def run() -> Any:
        async with AsyncBatchWriter(client, table, **options) as writer:
            for name, arg in steps:
                if name == "raise":
                    raise arg
                await getattr(writer, name)(*([] if arg is None else [arg]))
        return writer

    return asyncio.run(run())


def items(n: int, prefix: str = "i") -> list[dict[str, Any]]:
    return [{"pk": "p", "sk": f"{prefix}{i:05d}", "n": i} for i in range(n)]


def test_puts_and_deletes_reach_the_table(client, boto, table, mode):
    old = items(30, "old")
    boto_put_many(boto, table, old)
    new = items(60)  # more than a round of max_concurrency=2 requests of 25: sent while buffering
    steps = [("put", item) for item in new] + [("delete", {"pk": "p", "sk": o["sk"]}) for o in old[:20]]

    writer = run_writer(mode, client, table, steps, max_concurrency=2)

    assert by_key(boto_scan(boto, table)) == by_key(new + old[20:])
    assert writer.pending() == 0


def test_flush_sends_what_is_buffered(client, boto, table, mode):
    steps = [("put", item) for item in items(3)] + [("flush", None)]
    run_writer(mode, client, table, steps)
    assert by_key(boto_scan(boto, table)) == items(3)


def test_a_later_write_of_the_same_key_replaces_the_earlier_one(client, boto, table, mode):
    # DynamoDB rejects one request naming a key twice; with the key names the writer keeps the last.
    first, second = {"pk": "p", "sk": "a", "n": 1}, {"pk": "p", "sk": "a", "n": 2}
    gone = {"pk": "p", "sk": "b", "n": 3}
    steps = [("put", first), ("put", gone), ("put", second), ("delete", {"pk": "p", "sk": "b"})]

    run_writer(mode, client, table, steps, overwrite_by_pkeys=["pk", "sk"])

    assert boto_scan(boto, table) == [second]


def test_an_exception_in_the_block_sends_nothing_more(client, boto, table, mode):
    # Two full rounds of one request each are sent as they fill; the 10 buffered after are dropped.
    sent, dropped = items(50), items(10, "late")
    steps = [("put", item) for item in sent + dropped] + [("raise", Boom("stop"))]

    with pytest.raises(Boom):
        run_writer(mode, client, table, steps, max_concurrency=1)

    assert by_key(boto_scan(boto, table)) == sent


def test_a_failed_write_names_exactly_the_items_not_written(client, table, mode):
    # An item without its sort key: DynamoDB rejects the request; the exception lists it.
    bad = [{"pk": "p"}]
    steps = [("put", item) for item in bad]
    with pytest.raises(ValidationException) as raised:
        run_writer(mode, client, table, steps)
    assert raised.value.unprocessed_items == bad
    assert raised.value.unprocessed_keys == []


def test_an_unreachable_server_lists_every_item(mode):
    import pydynox

    client = pydynox.DynamoDBClient(endpoint_url=closed_endpoint(), region="us-east-1", max_retries=0)
    steps = [("put", item) for item in items(30)]
    with pytest.raises(ConnectionException) as raised:
        run_writer(mode, client, "t", steps)
    assert by_key(raised.value.unprocessed_items) == items(30)
    assert "0 of 30 items were written" in str(raised.value)


def test_other_errors_carry_no_unprocessed_items(client):
    with pytest.raises(PydynoxException) as raised:
        client.get_item("no-such-table", {"pk": "x"})
    assert raised.value.unprocessed_items is None and raised.value.unprocessed_keys is None


@pytest.mark.parametrize(
    ("args", "options", "error", "message"),
    [
        (("",), {}, TypeError, "table must be a non-empty str"),
        (("t",), {"max_concurrency": 0}, ValueError, "max_concurrency must be an int of at least 1"),
        (("t",), {"max_concurrency": True}, ValueError, "max_concurrency"),
        (("t",), {"max_attempts": 0}, ValueError, "max_attempts must be an int between 1 and 100"),
        (("t",), {"max_attempts": 101}, ValueError, "max_attempts"),
        (("t",), {"overwrite_by_pkeys": "pk"}, TypeError, "overwrite_by_pkeys must be a list"),
    ],
)
def test_bad_construction_is_a_clear_error(client, args, options, error, message):
    for cls in (BatchWriter, AsyncBatchWriter):
        with pytest.raises(error, match=message):
            cls(client, *args, **options)


def test_options_are_keyword_only(client):
    for cls in (BatchWriter, AsyncBatchWriter):
        with pytest.raises(TypeError):
            cls(client, "t", 4)  # type: ignore[misc]


def test_a_value_that_is_neither_dict_nor_model_is_refused(client, table, mode):
    with pytest.raises(TypeError, match="item must be a dict or a model instance, got str"):
        run_writer(mode, client, table, [("put", "oops")])


def test_a_missing_dedup_key_is_refused(client, table, mode):
    with pytest.raises(ValueError, match="no key attribute 'sk'"):
        run_writer(mode, client, table, [("put", {"pk": "p"})], overwrite_by_pkeys=["pk", "sk"])


# --- models --------------------------------------------------------------------------------


def _model(client: Any, table: str) -> type[Model]:
    class Row(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        n = NumberAttribute()
        name = StringAttribute()

        def __init__(self, **values: Any) -> None:
            super().__init__(**values)
            self.__dict__["events"] = []

        @before_save
        def _normalize(self) -> None:
            self.name = (self.name or "").lower()
            self.events.append("before_save")

        @after_save
        def _saved(self) -> None:
            self.events.append("after_save")

        @before_delete
        def _deleting(self) -> None:
            self.events.append("before_delete")

        @after_delete
        def _deleted(self) -> None:
            self.events.append("after_delete")

    return Row


def test_models_are_written_and_deleted_with_their_hooks(client, boto, table, mode):
    Row = _model(client, table)
    rows = [Row(pk="p", sk=f"m{i:02d}", n=i, name="ADA") for i in range(30)]
    gone = Row(pk="p", sk="gone", n=-1, name="x")
    boto_put_many(boto, table, [{"pk": "p", "sk": "gone", "n": -1}])

    run_writer(mode, client, table, [("put", r) for r in rows] + [("delete", gone)])

    assert by_key(boto_scan(boto, table)) == [{"pk": "p", "sk": f"m{i:02d}", "n": i, "name": "ada"} for i in range(30)]
    assert all(r.events == ["before_save", "after_save"] for r in rows)
    assert gone.events == ["before_delete", "after_delete"]


def test_models_not_written_run_no_after_hooks(mode):
    import pydynox

    client = pydynox.DynamoDBClient(endpoint_url=closed_endpoint(), region="us-east-1", max_retries=0)
    Row = _model(client, "t")
    rows = [Row(pk="p", sk=f"m{i}", n=i) for i in range(3)]
    with pytest.raises(ConnectionException):
        run_writer(mode, client, "t", [("put", r) for r in rows])
    assert all(r.events == ["before_save"] for r in rows)


def test_a_model_of_another_table_is_refused(client, table, mode):
    Row = _model(client, "another-table")
    with pytest.raises(ValueError, match="lives in table 'another-table'"):
        run_writer(mode, client, table, [("put", Row(pk="p", sk="x"))])


def test_models_without_a_client_are_written_through_the_writers(client, boto, table, mode):
    # The model class has no client and there is no default: the writer's client plans and sends.
    from pydynox import clear_default_client, get_default_client, set_default_client

    before = get_default_client()
    clear_default_client()
    try:
        Row = _model(None, table)
        rows = [Row(pk="p", sk=f"m{i}", n=i, name="X") for i in range(3)]
        run_writer(mode, client, table, [("put", r) for r in rows])
    finally:
        if before is not None:
            set_default_client(before)

    assert by_key(boto_scan(boto, table)) == [{"pk": "p", "sk": f"m{i}", "n": i, "name": "x"} for i in range(3)]
    assert all(r.events == ["before_save", "after_save"] for r in rows)
