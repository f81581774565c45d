"""Model.save and Model.delete with an S3Attribute, both twins, against moto's S3 and
DynamoDB, checked with boto3: the upload before the write (from memory, and streamed from
disk in parts), the metadata stored in the item, the object removed with the item, and
the unhappy paths: an upload failing midway or cancelled, the write refused after the
upload (the object is removed, or named when that fails too), a write whose outcome is
unknown (the object kept and named), a delete whose object is already gone or cannot be
removed (ADR 25)."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path
from typing import Any

import boto3
import pytest

from s3_faults import S3FailingProxy
from support import boto_get, call, unique_name

import pydynox
from pydynox.attributes import S3Attribute, S3File, S3Value, StringAttribute
from pydynox.config import ModelConfig
from pydynox.exceptions import ConditionalCheckFailedException, ItemTooLargeException, PydynoxException, S3AttributeException
from pydynox.model import Model

MIB = 1024 * 1024


@pytest.fixture(scope="module")
def s3(moto_endpoint: str) -> Any:
    return boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")


@pytest.fixture
def bucket(s3: Any) -> str:
    name = unique_name().lower().replace("_", "-")[:50]
    s3.create_bucket(Bucket=name)
    return name


def make_doc(table: str, client: Any, bucket: str) -> Any:
    class Doc(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        title = StringAttribute()
        content = S3Attribute(bucket=bucket, prefix="docs/")

    return Doc


def keys_in(s3: Any, bucket: str) -> list[str]:
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def test_save_uploads_and_stores_the_metadata(
    make_table: Any, client: Any, bucket: str, s3: Any, boto: Any, mode: str
) -> None:
    docs = make_doc(make_table(), client, bucket)
    doc = docs(pk="DOC#1", sk="v1", title="t", content=S3File(b"report body", name="r.txt", content_type="text/plain"))
    call(doc, mode, "save")

    got = s3.get_object(Bucket=bucket, Key="docs/DOC/1/v1/r.txt")
    assert got["Body"].read() == b"report body" and got["ContentType"] == "text/plain"
    stored = boto_get(boto, docs.model_config.table, {"pk": "DOC#1", "sk": "v1"})
    meta = stored["content"]
    assert (meta["bucket"], meta["key"], int(meta["size"]), meta["content_type"]) == (bucket, "docs/DOC/1/v1/r.txt", 11, "text/plain")
    assert meta["etag"] == got["ETag"].strip('"')
    # The instance now holds what the item holds.
    assert isinstance(doc.content, S3Value) and doc.content.key == "docs/DOC/1/v1/r.txt"
    loaded = call(docs, mode, "get", pk="DOC#1", sk="v1")
    assert loaded.content == doc.content and call(loaded.content, mode, "get_bytes") == b"report body"

    # Saving again with the S3Value uploads nothing and keeps the item's metadata.
    call(doc, mode, "save")
    assert keys_in(s3, bucket) == ["docs/DOC/1/v1/r.txt"]
    assert boto_get(boto, docs.model_config.table, {"pk": "DOC#1", "sk": "v1"})["content"] == meta


def test_save_streams_a_large_file_in_parts_and_keeps_the_version_id(
    make_table: Any, client: Any, bucket: str, s3: Any, boto: Any, tmp_path: Path, mode: str
) -> None:
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    docs = make_doc(make_table(), client, bucket)
    source = tmp_path / "big.bin"
    payload = os.urandom(MIB) * 9  # above the 8 MiB threshold: two parts
    source.write_bytes(payload)
    doc = docs(pk="big", sk="1", content=S3File(source, metadata={"origin": "test"}))
    call(doc, mode, "save")

    head = s3.head_object(Bucket=bucket, Key="docs/big/1/big.bin")
    assert head["ContentLength"] == len(payload) and head["ETag"].strip('"').endswith("-2")
    assert head["Metadata"] == {"origin": "test"}
    meta = boto_get(boto, docs.model_config.table, {"pk": "big", "sk": "1"})["content"]
    assert meta["version_id"] == head["VersionId"] and int(meta["size"]) == len(payload)
    assert meta["metadata"] == {"origin": "test"}
    assert doc.content.version_id == head["VersionId"]


def test_an_upload_failing_midway_writes_no_item_and_leaves_nothing(
    make_table: Any, moto_endpoint: str, bucket: str, s3: Any, boto: Any, tmp_path: Path, mode: str
) -> None:
    source = tmp_path / "big.bin"
    source.write_bytes(os.urandom(MIB) * 17)  # three parts; the second fails
    with S3FailingProxy(moto_endpoint, lambda method, path: "partNumber=2&" in path + "&") as proxy:
        client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=0)
        docs = make_doc(make_table(), client, bucket)
        doc = docs(pk="p", sk="1", content=S3File(source))
        with pytest.raises(S3AttributeException, match=r"^Doc\.content: upload to s3://.*/docs/p/1/big.bin"):
            call(doc, mode, "save")
    assert proxy.failed >= 1
    assert boto_get(boto, docs.model_config.table, {"pk": "p", "sk": "1"}) is None
    assert keys_in(s3, bucket) == [] and s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    assert isinstance(doc.content, S3File)  # the instance is as it was: saving again retries


def test_a_write_failing_after_the_upload_removes_the_object(
    make_table: Any, client: Any, bucket: str, s3: Any, boto: Any, mode: str
) -> None:
    docs = make_doc(make_table(), client, bucket)
    call(docs(pk="p", sk="1", content=S3File(b"first", name="a.txt")), mode, "save")
    before = boto_get(boto, docs.model_config.table, {"pk": "p", "sk": "1"})

    second = docs(pk="p", sk="1", content=S3File(b"second", name="b.txt"))
    with pytest.raises(ConditionalCheckFailedException):
        call(second, mode, "save", condition=docs.pk.not_exists())
    assert keys_in(s3, bucket) == ["docs/p/1/a.txt"]  # b.txt was uploaded, then removed
    assert boto_get(boto, docs.model_config.table, {"pk": "p", "sk": "1"}) == before
    assert isinstance(second.content, S3File)


def test_a_write_failing_after_the_upload_names_an_object_it_could_not_remove(
    make_table: Any, moto_endpoint: str, bucket: str, s3: Any, boto: Any, mode: str
) -> None:
    with S3FailingProxy(moto_endpoint, lambda method, path: method == "DELETE") as proxy:
        client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=0)
        docs = make_doc(make_table(), client, bucket)
        call(docs(pk="p", sk="1", title="kept"), mode, "save")
        doc = docs(pk="p", sk="1", content=S3File(b"x", name="x.bin"))
        with pytest.raises(S3AttributeException, match=r"^Doc: the write failed \(ConditionalCheckFailedException.*left behind "
                           rf"Doc\.content's object s3://{bucket}/docs/p/1/x\.bin") as raised:
            call(doc, mode, "save", condition=docs.pk.not_exists())
    assert isinstance(raised.value.__cause__, ConditionalCheckFailedException)
    assert proxy.failed >= 1
    assert keys_in(s3, bucket) == ["docs/p/1/x.bin"]  # the orphan the message names
    assert boto_get(boto, docs.model_config.table, {"pk": "p", "sk": "1"}) == {"pk": "p", "sk": "1", "title": "kept"}


def test_delete_removes_the_item_then_its_object(
    make_table: Any, client: Any, bucket: str, s3: Any, boto: Any, mode: str
) -> None:
    docs = make_doc(make_table(), client, bucket)
    doc = docs(pk="p", sk="1", content=S3File(b"bye", name="bye.txt"))
    call(doc, mode, "save")
    call(docs(pk="p", sk="2", content=S3File(b"stay", name="stay.txt")), mode, "save")

    # A delete that fails its condition keeps the object the item points at.
    with pytest.raises(ConditionalCheckFailedException):
        call(doc, mode, "delete", condition=docs.title == "other")
    assert keys_in(s3, bucket) == ["docs/p/1/bye.txt", "docs/p/2/stay.txt"]

    call(doc, mode, "delete")
    assert boto_get(boto, docs.model_config.table, {"pk": "p", "sk": "1"}) is None
    assert keys_in(s3, bucket) == ["docs/p/2/stay.txt"]

    # The object already gone is no error; the item still goes.
    loaded = call(docs, mode, "get", pk="p", sk="2")
    s3.delete_object(Bucket=bucket, Key="docs/p/2/stay.txt")
    call(loaded, mode, "delete")
    assert boto_get(boto, docs.model_config.table, {"pk": "p", "sk": "2"}) is None


def test_delete_names_an_object_it_could_not_remove(
    make_table: Any, moto_endpoint: str, client: Any, bucket: str, s3: Any, boto: Any, mode: str
) -> None:
    table = make_table()
    call(make_doc(table, client, bucket)(pk="p", sk="1", content=S3File(b"x", name="x.bin")), mode, "save")
    with S3FailingProxy(moto_endpoint, lambda method, path: method == "DELETE") as proxy:
        docs = make_doc(table, pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=0), bucket)
        doc = call(docs, mode, "get", pk="p", sk="1")
        with pytest.raises(S3AttributeException, match=rf"^Doc: the item was deleted, but left behind Doc\.content's object s3://{bucket}/docs/p/1/x\.bin"):
            call(doc, mode, "delete")
    assert boto_get(boto, table, {"pk": "p", "sk": "1"}) is None
    assert keys_in(s3, bucket) == ["docs/p/1/x.bin"]


def test_delete_by_key_leaves_the_object_as_0_21_0_does(
    make_table: Any, client: Any, bucket: str, s3: Any, boto: Any, mode: str
) -> None:
    # delete_by_key reads no item, so it does not know the object (0.21.0 does the same).
    docs = make_doc(make_table(), client, bucket)
    call(docs(pk="p", sk="1", content=S3File(b"x", name="x.bin")), mode, "save")
    call(docs, mode, "delete_by_key", pk="p", sk="1")
    assert boto_get(boto, docs.model_config.table, {"pk": "p", "sk": "1"}) is None
    assert keys_in(s3, bucket) == ["docs/p/1/x.bin"]


def test_an_item_too_large_after_the_upload_removes_the_object(
    make_table: Any, client: Any, bucket: str, s3: Any, boto: Any, mode: str
) -> None:
    # The size check needs the stored metadata, so it runs once the upload is done.
    class Small(Model):
        model_config = ModelConfig(table=make_table(), client=client, max_size=60)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        content = S3Attribute(bucket=bucket)

    with pytest.raises(ItemTooLargeException):
        call(Small(pk="p", sk="1", content=S3File(b"x", name="x.bin")), mode, "save")
    assert keys_in(s3, bucket) == []
    assert boto_get(boto, Small.model_config.table, {"pk": "p", "sk": "1"}) is None


def test_a_write_whose_outcome_is_unknown_keeps_the_upload_and_says_so(
    make_table: Any, moto_endpoint: str, bucket: str, s3: Any, boto: Any, mode: str
) -> None:
    # A server error may come after the write was applied: removing the object then could
    # leave a stored item pointing at nothing, so it stays and a note names it.
    table = make_table()
    with S3FailingProxy(moto_endpoint, lambda method, path: method == "POST" and path == "/") as proxy:
        client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=0)
        doc = make_doc(table, client, bucket)(pk="p", sk="1", content=S3File(b"x", name="x.bin"))
        with pytest.raises(PydynoxException) as raised:
            call(doc, mode, "save")
    assert proxy.failed == 1
    assert not isinstance(raised.value, (ConditionalCheckFailedException, S3AttributeException))
    assert raised.value.__notes__ == [
        f"Doc: the write may have been applied, so its uploads were kept: Doc.content's object s3://{bucket}/docs/p/1/x.bin"
    ]
    assert keys_in(s3, bucket) == ["docs/p/1/x.bin"]
    assert isinstance(doc.content, S3File)


def test_cancelling_async_save_during_the_upload_leaves_nothing(
    make_table: Any, moto_endpoint: str, bucket: str, s3: Any, boto: Any, tmp_path: Path
) -> None:
    # Async only: cancellation is the async twin's; the proxy holds the second part until
    # the test has cancelled the save, so the cancel lands mid-upload.
    arrived, release = threading.Event(), threading.Event()

    def hold_part_two(method: str, path: str) -> bool:
        if "partNumber=2&" in path + "&":
            arrived.set()
            release.wait(30)
        return False

    source = tmp_path / "big.bin"
    source.write_bytes(os.urandom(MIB) * 17)
    with S3FailingProxy(moto_endpoint, hold_part_two) as proxy:
        client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=0)
        docs = make_doc(make_table(), client, bucket)
        doc = docs(pk="p", sk="1", content=S3File(source))

        async def run() -> None:
            task = asyncio.ensure_future(doc.async_save())
            await asyncio.to_thread(arrived.wait, 30)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

        try:
            asyncio.run(run())
        finally:
            release.set()
        # The abort of the multipart upload is sent as the upload is dropped; wait for it.
        deadline = time.monotonic() + 30
        while s3.list_multipart_uploads(Bucket=bucket).get("Uploads") and time.monotonic() < deadline:
            time.sleep(0.05)
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    assert keys_in(s3, bucket) == []
    assert boto_get(boto, docs.model_config.table, {"pk": "p", "sk": "1"}) is None
    assert isinstance(doc.content, S3File)
