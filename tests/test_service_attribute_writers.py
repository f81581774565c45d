"""Models with compressed, encrypted and S3 attributes through both batch writer twins and
Model.execute_statement (ADR 29), checked with boto3: what the writers store (the file
uploaded, the secret encrypted), the objects removed with the items they delete, and the
unhappy paths: a round refused after its uploads (the objects removed, or named when that
fails too), an upload failing (nothing written, the round's other uploads removed). The
async twins await KMS without blocking the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

import pytest

from s3_faults import S3FailingProxy
from service_models import SECRET, TEXT, bucket, key_id, make_record, s3  # noqa: F401 (fixtures used by name)
from support import boto_get, call, collect, unique_name

import pydynox
from pydynox import AsyncBatchWriter, BatchWriter
from pydynox.attributes import EncryptedAttribute, S3File, S3Value, StringAttribute
from pydynox.config import ModelConfig
from pydynox.exceptions import PydynoxException, S3AttributeException
from pydynox.indexes import GlobalSecondaryIndex
from pydynox.model import Model


def keys_in(s3: Any, bucket: str) -> list[str]:
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def run_writer(mode: str, client: Any, table: str, steps: Iterable[tuple[str, Any]]) -> Any:
    """`with BatchWriter(...)` or `async with AsyncBatchWriter(...)` running (method, arg) steps."""
    if mode == "sync":
        with BatchWriter(client, table) as writer:
            for name, arg in steps:
                getattr(writer, name)(*([] if arg is None else [arg]))
        return writer

    async def run() -> Any:
        async with AsyncBatchWriter(client, table) as writer:
            for name, arg in steps:
                await getattr(writer, name)(*([] if arg is None else [arg]))
        return writer

    return asyncio.run(run())


def test_writers_upload_encrypt_and_remove(
    make_table: Any, client: Any, key_id: str, bucket: str, s3: Any, boto: Any, mode: str
) -> None:
    table = make_table()
    records = make_record(table, client, key_id, bucket)
    made = [records(pk="p", sk=sk, note=TEXT, card=SECRET, file=S3File(sk.encode() * 3, name="scan.txt")) for sk in ("1", "2", "3")]
    run_writer(mode, client, table, [("put", r) for r in made])

    for record in made:
        stored = boto_get(boto, table, {"pk": "p", "sk": record.sk})
        assert stored is not None and stored["note"].startswith("ZSTD:")
        assert stored["card"].startswith("ENC:") and SECRET not in stored["card"]
        assert stored["file"]["key"] == f"p/{record.sk}/scan.txt"
        # The instance takes the S3Value once its item is written, as after save.
        assert isinstance(record.file, S3Value) and record.file.etag == stored["file"]["etag"]
    assert s3.get_object(Bucket=bucket, Key="p/2/scan.txt")["Body"].read() == b"222"
    assert call(records, mode, "get", pk="p", sk="3").card == SECRET

    # A writer's delete of a model removes its object once the item is deleted.
    run_writer(mode, client, table, [("delete", made[0]), ("delete", made[1])])
    assert boto_get(boto, table, {"pk": "p", "sk": "1"}) is None
    assert keys_in(s3, bucket) == ["p/3/scan.txt"]


def test_a_refused_round_removes_its_uploads(make_table: Any, client: Any, key_id: str, bucket: str, s3: Any, mode: str) -> None:
    # The model's table does not exist: the uploads are done, then the batch request is refused.
    missing = unique_name("missing")
    records = make_record(missing, client, key_id, bucket)
    made = [records(pk="p", sk=sk, card=SECRET, file=S3File(b"x", name="f.txt")) for sk in ("1", "2")]
    with pytest.raises(PydynoxException) as raised:
        run_writer(mode, client, missing, [("put", r) for r in made])
    assert not isinstance(raised.value, S3AttributeException)
    assert keys_in(s3, bucket) == []
    assert all(isinstance(r.file, S3File) for r in made)  # the instances are as they were


def test_a_refused_round_names_an_object_it_could_not_remove(
    moto_endpoint: str, key_id: str, bucket: str, s3: Any, mode: str
) -> None:
    missing = unique_name("missing")
    with S3FailingProxy(moto_endpoint, lambda method, path: method == "DELETE") as proxy:
        client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=0)
        records = make_record(missing, client, key_id, bucket)
        with pytest.raises(S3AttributeException, match=r"left behind Record\.file's object s3://.*/p/1/f\.txt") as raised:
            run_writer(mode, client, missing, [("put", records(pk="p", sk="1", file=S3File(b"x", name="f.txt")))])
    assert raised.value.__cause__ is not None and not isinstance(raised.value.__cause__, S3AttributeException)
    assert keys_in(s3, bucket) == ["p/1/f.txt"]


def test_a_failed_upload_writes_nothing_and_removes_the_rounds_other_uploads(
    make_table: Any, moto_endpoint: str, key_id: str, bucket: str, s3: Any, boto: Any, mode: str
) -> None:
    table = make_table()
    with S3FailingProxy(moto_endpoint, lambda method, path: method == "PUT" and "/p/2/" in path) as proxy:
        client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=0)
        records = make_record(table, client, key_id, bucket)
        made = [records(pk="p", sk=sk, file=S3File(b"x", name="f.txt")) for sk in ("1", "2", "3")]
        with pytest.raises(S3AttributeException, match=r"Record\.file: upload to s3://.*/p/2/f\.txt"):
            run_writer(mode, client, table, [("put", r) for r in made])
    assert proxy.failed >= 1
    assert [boto_get(boto, table, {"pk": "p", "sk": sk}) for sk in ("1", "2", "3")] == [None, None, None]
    assert keys_in(s3, bucket) == []


def test_execute_statement_decrypts(make_table: Any, client: Any, key_id: str, bucket: str, mode: str) -> None:
    table = make_table()
    records = make_record(table, client, key_id, bucket)
    for sk in ("1", "2"):
        call(records(pk="p", sk=sk, note=TEXT, card=SECRET + sk), mode, "save")
    got = call(records, mode, "execute_statement", f'SELECT * FROM "{table}" WHERE pk = ?', parameters=["p"])
    assert sorted((r.sk, r.card, r.note) for r in got) == [("1", SECRET + "1", TEXT), ("2", SECRET + "2", TEXT)]


def test_async_writer_statement_and_transact_get_leave_the_event_loop_free(make_table: Any, proxy: Any, key_id: str, bucket: str) -> None:
    # Async only: the point is what the event loop does while an async twin waits on KMS.
    client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=0)
    table = make_table()
    records = make_record(table, client, key_id, bucket)

    async def while_held(operation: str, work: Any) -> Any:
        """Runs `work` with the proxy holding its next `operation` request; this task lets
        it through once it has arrived, which it can only do if the loop is free."""
        opened = proxy.gate(operation, proxy.calls[operation] + 1)
        seen = proxy.calls[operation]
        task = asyncio.ensure_future(work)
        while proxy.calls[operation] == seen:
            await asyncio.sleep(0.005)
        assert not task.done()
        opened.set()
        return await task

    async def write() -> None:
        async with AsyncBatchWriter(client, table) as writer:
            await writer.put(records(pk="p", sk="1", card=SECRET))

    async def run() -> list[Any]:
        await while_held("GenerateDataKey", write())
        found = await while_held("Decrypt", records.async_execute_statement(f'SELECT * FROM "{table}" WHERE pk = ?', parameters=["p"]))
        return found + await while_held("Decrypt", records.async_transact_get([{"pk": "p", "sk": "1"}]))

    assert [r.card for r in asyncio.run(run())] == [SECRET, SECRET]


@pytest.mark.parametrize("pair", [pydynox.Transaction, pydynox.AsyncTransaction])
def test_a_transaction_refuses_values_it_would_store_unencrypted(
    make_table: Any, client: Any, key_id: str, bucket: str, boto: Any, pair: Any
) -> None:
    # Both twins: the refusal is in the local save/update both classes share (no I/O to await).
    table = make_table()
    records = make_record(table, client, key_id, bucket)
    record = records(pk="p", sk="1", card=SECRET)
    with pytest.raises(ValueError, match=r"Transaction\.save: Record has values to encrypt .*Record\.card"):
        pair(client).save(record)
    with pytest.raises(ValueError, match=r"Transaction\.update: Record has values to encrypt"):
        pair(client).update(record, card=SECRET)
    with pytest.raises(ValueError, match=r"Transaction\.save: .*Record\.file"):
        pair(client).save(records(pk="p", sk="2", file=S3File(b"x", name="f.txt")))
    assert boto_get(boto, table, {"pk": "p", "sk": "1"}) is None
    # A model whose values need no service call goes through.
    call_free = records(pk="p", sk="3", note="short")
    with pydynox.Transaction(client) as tx:
        tx.save(call_free)
    assert boto_get(boto, table, {"pk": "p", "sk": "3"}) == {"pk": "p", "sk": "3", "note": "short"}



def test_transact_get_and_index_queries_decrypt(make_table: Any, client: Any, key_id: str, mode: str) -> None:
    table = make_table(gsis=[("by-tag", ("tag", "S"), None)])

    class Tagged(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        tag = StringAttribute()
        card = EncryptedAttribute(key_id=key_id)
        by_tag = GlobalSecondaryIndex(index_name="by-tag", hash_key="tag")

    call(Tagged(pk="p", sk="1", tag="t", card=SECRET), mode, "save")
    assert [r.card for r in call(Tagged, mode, "transact_get", [{"pk": "p", "sk": "1"}])] == [SECRET]
    items, _ = collect(Tagged.by_tag, mode, "query", tag="t")
    assert [r.card for r in items] == [SECRET]
