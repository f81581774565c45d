"""One model with a compressed, an encrypted and an S3 attribute, through both twins of
every read and write path on main: save, get, query, scan, update, Model.batch_get and
the client's batch_write / batch_get (items from `to_dict`, read back with `from_dict`),
each checked with boto3. And the async twins' KMS calls leave the event loop free: a KMS
request held by the proxy does not stop other tasks (ADR 25)."""

from __future__ import annotations

import asyncio
from typing import Any

from service_models import SECRET, TEXT, bucket, key_id, make_record, s3  # noqa: F401 (fixtures used by name)
from support import boto_get, call, collect

import pydynox
from pydynox.attributes import S3File, S3Value


def check_stored(boto: Any, table: str, sk: str) -> None:
    stored = boto_get(boto, table, {"pk": "p", "sk": sk})
    assert stored is not None
    assert stored["note"].startswith("ZSTD:")
    assert stored["card"].startswith("ENC:") and SECRET not in stored["card"]
    assert stored["file"]["key"] == f"p/{sk}/scan.txt"


def check_loaded(record: Any, sk: str) -> None:
    assert (record.sk, record.note, record.card) == (sk, TEXT, SECRET)
    assert isinstance(record.file, S3Value) and record.file.key == f"p/{sk}/scan.txt"


def test_every_path_round_trips(make_table: Any, client: Any, key_id: str, bucket: str, s3: Any, boto: Any, mode: str) -> None:
    table = make_table()
    records = make_record(table, client, key_id, bucket)
    for sk in ("1", "2"):
        call(records(pk="p", sk=sk, note=TEXT, card=SECRET, file=S3File(sk.encode(), name="scan.txt")), mode, "save")
        check_stored(boto, table, sk)
    assert s3.get_object(Bucket=bucket, Key="p/2/scan.txt")["Body"].read() == b"2"

    check_loaded(call(records, mode, "get", pk="p", sk="1"), "1")
    items, _ = collect(records, mode, "query", hash_key="p")
    for record, sk in zip(items, ("1", "2"), strict=True):
        check_loaded(record, sk)
    items, _ = collect(records, mode, "scan")
    assert sorted(r.sk for r in items) == ["1", "2"] and all(r.card == SECRET and r.note == TEXT for r in items)
    got = call(records, mode, "batch_get", keys=[{"pk": "p", "sk": "1"}, {"pk": "p", "sk": "2"}])
    assert sorted((r.sk, r.card, r.note) for r in got) == [("1", SECRET, TEXT), ("2", SECRET, TEXT)]
    got, _ = call(records, mode, "parallel_scan", 2)
    assert sorted((r.sk, r.card, r.note) for r in got) == [("1", SECRET, TEXT), ("2", SECRET, TEXT)]
    # as_dict gives the items as stored: nothing decrypted.
    raw = call(records, mode, "get", pk="p", sk="1", as_dict=True)
    assert raw["card"].startswith("ENC:")

    # update encrypts and compresses the new values, and the instance reads them back.
    record = call(records, mode, "get", pk="p", sk="1")
    call(record, mode, "update", card="5500 0000 0000 0004", note=TEXT + "!")
    assert (record.card, record.note) == ("5500 0000 0000 0004", TEXT + "!")
    stored = boto_get(boto, table, {"pk": "p", "sk": "1"})
    assert stored["card"].startswith("ENC:") and "5500" not in stored["card"]
    assert call(records, mode, "get", pk="p", sk="1").card == "5500 0000 0000 0004"


def test_client_batch_paths_round_trip(make_table: Any, client: Any, key_id: str, bucket: str, boto: Any, mode: str) -> None:
    # Model.batch_get and the BatchWriter pair are another change of this session; these are
    # the client's batch calls, with items in and out through to_dict / from_dict.
    table = make_table()
    records = make_record(table, client, key_id, bucket)
    call(records(pk="p", sk="1x", note=TEXT, card=SECRET, file=S3File(b"x", name="scan.txt")), mode, "save")
    uploaded = call(records, mode, "get", pk="p", sk="1x").file
    # to_dict has no stored form for an S3File (only save uploads): these items point at
    # objects by their metadata, as an item read elsewhere would.
    items = [
        records(pk="p", sk=sk, note=TEXT, card=SECRET, file=S3Value(bucket, f"p/{sk}/scan.txt", 1, uploaded.etag, None, None)).to_dict()
        for sk in ("3", "4")
    ]
    call(client, mode, "batch_write", table, put_items=items)
    for sk in ("3", "4"):
        check_stored(boto, table, sk)
    raws = call(client, mode, "batch_get", table, [{"pk": "p", "sk": "3"}, {"pk": "p", "sk": "4"}])
    for raw in sorted(raws, key=lambda r: r["sk"]):
        check_loaded(records.from_dict(raw), raw["sk"])


def test_async_kms_calls_leave_the_event_loop_free(make_table: Any, proxy: Any, key_id: str, bucket: str) -> None:
    # Async only: the point is what the event loop does while an async twin waits on KMS.
    client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=0)
    records = make_record(make_table(), client, key_id, bucket)

    async def while_held(operation: str, work: Any) -> Any:
        """Runs `work` with the proxy holding its first `operation` request; this task
        lets it through once it has arrived, which it can only do if the loop is free."""
        opened = proxy.gate(operation, proxy.calls[operation] + 1)
        seen = proxy.calls[operation]
        task = asyncio.ensure_future(work)
        while proxy.calls[operation] == seen:
            await asyncio.sleep(0.005)
        assert not task.done()
        opened.set()
        return await task

    async def run() -> list[Any]:
        await while_held("GenerateDataKey", records(pk="p", sk="1", card=SECRET).async_save())
        record = await while_held("Decrypt", records.async_get(pk="p", sk="1"))
        await while_held("GenerateDataKey", record.async_update(card=SECRET + "!"))
        queried = await while_held("Decrypt", records.async_query(hash_key="p").to_list())
        batch = await while_held("Decrypt", records.async_batch_get(keys=[{"pk": "p", "sk": "1"}]))
        scanned, _ = await while_held("Decrypt", records.async_parallel_scan(2))
        return [record.card, *(r.card for r in queried + batch + scanned)]

    assert asyncio.run(run()) == [SECRET + "!"] * 4
