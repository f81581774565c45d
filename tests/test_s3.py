"""S3Operations (both twins) and S3Attribute / S3File / S3Value against moto's S3, checked
with boto3: uploads from bytes and from disk (single and multipart), metadata, downloads,
presigned URLs, deletes, errors, an upload failing midway, and peak memory of a 50 MB
round trip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import boto3
import pytest

from s3_faults import S3FailingProxy
from support import call, unique_name

from pydynox.attributes import S3Attribute, S3File, S3Value, StringAttribute
from pydynox.config import ModelConfig
from pydynox.exceptions import S3AttributeException
from pydynox.model import Model
from pydynox.pydynox_core import S3Metadata, S3Metrics, S3Operations

MIB = 1024 * 1024


@pytest.fixture(scope="module")
def s3(moto_endpoint: str) -> Any:
    return boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")


@pytest.fixture
def bucket(s3: Any) -> str:
    name = unique_name().lower().replace("_", "-")[:50]
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture
def ops(moto_endpoint: str) -> S3Operations:
    return S3Operations(endpoint_url=moto_endpoint, region="us-east-1")


def test_upload_head_download_delete_bytes(ops: S3Operations, bucket: str, s3: Any, mode: str) -> None:
    meta, metrics = call(ops, mode, "upload_bytes", bucket, "a/b.txt", b"hello", "text/plain", {"k": "v"})
    assert isinstance(meta, S3Metadata) and isinstance(metrics, S3Metrics)
    assert (meta.bucket, meta.key, meta.size, meta.content_type, meta.metadata) == (bucket, "a/b.txt", 5, "text/plain", {"k": "v"})
    assert metrics.calls == 1 and metrics.bytes_uploaded == 5
    got = s3.get_object(Bucket=bucket, Key="a/b.txt")
    assert got["Body"].read() == b"hello" and got["Metadata"] == {"k": "v"} and got["ContentType"] == "text/plain"
    assert meta.etag == got["ETag"].strip('"')

    head, _ = call(ops, mode, "head_object", bucket, "a/b.txt")
    assert (head.size, head.etag, head.metadata, head.content_type) == (5, meta.etag, {"k": "v"}, "text/plain")
    assert head.last_modified and head.last_modified.endswith("Z")
    data, metrics = call(ops, mode, "download_bytes", bucket, "a/b.txt")
    assert data == b"hello" and metrics.bytes_downloaded == 5

    call(ops, mode, "delete_object", bucket, "a/b.txt")
    assert s3.list_objects_v2(Bucket=bucket).get("KeyCount") == 0
    call(ops, mode, "delete_object", bucket, "a/b.txt")  # missing: not an error


def test_multipart_upload_from_disk_and_save_to_file(ops: S3Operations, bucket: str, s3: Any, tmp_path: Path, mode: str) -> None:
    source = tmp_path / "big.bin"
    payload = os.urandom(MIB) * 19  # 19 MiB: three parts
    source.write_bytes(payload)
    meta, metrics = call(ops, mode, "upload_file", bucket, "big.bin", str(source))
    assert meta.size == len(payload) and meta.etag.endswith("-3")
    assert metrics.calls == 5 and metrics.bytes_uploaded == len(payload)  # create, 3 parts, complete
    assert s3.head_object(Bucket=bucket, Key="big.bin")["ContentLength"] == len(payload)

    target = tmp_path / "copy.bin"
    written, _ = call(ops, mode, "save_to_file", bucket, "big.bin", str(target))
    assert written == len(payload) and target.read_bytes() == payload
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.bin", "copy.bin"]  # no partial file left


def test_presigned_url_downloads_without_credentials(ops: S3Operations, bucket: str, s3: Any, mode: str) -> None:
    s3.put_object(Bucket=bucket, Key="doc.txt", Body=b"public for a while")
    url, _ = call(ops, mode, "presigned_url", bucket, "doc.txt", 60)
    assert "X-Amz-Expires=60" in url
    with urllib.request.urlopen(url) as answer:
        assert answer.read() == b"public for a while"
    with pytest.raises(ValueError, match="expires_secs"):
        call(ops, mode, "presigned_url", bucket, "doc.txt", 0)


def test_errors_name_the_object(ops: S3Operations, bucket: str, tmp_path: Path, mode: str) -> None:
    with pytest.raises(S3AttributeException, match=rf"download of s3://{bucket}/missing"):
        call(ops, mode, "download_bytes", bucket, "missing")
    with pytest.raises(S3AttributeException, match="upload to s3://no-such-bucket-x/k"):
        call(ops, mode, "upload_bytes", "no-such-bucket-x", "k", b"x")
    with pytest.raises(S3AttributeException, match="cannot read"):
        call(ops, mode, "upload_file", bucket, "k", str(tmp_path / "absent"))
    with pytest.raises(S3AttributeException):
        call(ops, mode, "save_to_file", bucket, "missing", str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()
    with pytest.raises(ValueError, match="bucket and key"):
        call(ops, mode, "head_object", bucket, "")


# --- an upload failing midway -----------------------------------------------------------------


def test_an_upload_failing_midway_leaves_nothing_behind(
    bucket: str, s3: Any, moto_endpoint: str, tmp_path: Path, mode: str
) -> None:
    source = tmp_path / "big.bin"
    source.write_bytes(os.urandom(MIB) * 20)
    with S3FailingProxy(moto_endpoint, lambda method, path: "partNumber=2&" in path + "&") as proxy:
        ops = S3Operations(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=0)
        with pytest.raises(S3AttributeException, match=r"upload to s3://.*/big.bin \(part 2\)"):
            call(ops, mode, "upload_file", bucket, "big.bin", str(source))
    assert proxy.failed == 1
    assert s3.list_objects_v2(Bucket=bucket).get("KeyCount") == 0
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


# --- memory ------------------------------------------------------------------------------------

RSS_SCRIPT = r"""
import json, sys
from pydynox.pydynox_core import S3Operations


def peak_kib():
    # VmHWM: this process image's peak RSS. (getrusage's ru_maxrss would also count the
    # parent's RSS inherited through fork, which can hide everything measured here.)
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

endpoint, bucket, source, target = sys.argv[1:]
ops = S3Operations(endpoint_url=endpoint, region="us-east-1")
ops.upload_bytes(bucket, "warmup", b"x")           # connections, TLS-free client, runtime threads
ops.save_to_file(bucket, "warmup", target)
before = peak_kib()
meta, _ = ops.upload_file(bucket, "big.bin", source)
written, _ = ops.save_to_file(bucket, "big.bin", target)
after = peak_kib()
# The control: a download held in memory must show up in the same measure.
data, _ = ops.download_bytes(bucket, "big.bin")
held = peak_kib()
print(json.dumps({"size": meta.size, "written": written, "growth_kib": after - before, "held_kib": held - after, "len": len(data)}))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak RSS is read from /proc (Linux)")
def test_50_mb_round_trip_keeps_peak_memory_low(bucket: str, moto_endpoint: str, tmp_path: Path) -> None:
    # One twin: memory is measured in a fresh interpreter, where peak RSS means something;
    # the twins share the transfer code.
    source = tmp_path / "fifty.bin"
    with open(source, "wb") as f:
        for _ in range(50):
            f.write(os.urandom(MIB))
    target = tmp_path / "back.bin"
    done = subprocess.run(
        [sys.executable, "-c", RSS_SCRIPT, moto_endpoint, bucket, str(source), str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout)
    assert result["size"] == result["written"] == 50 * MIB
    assert target.read_bytes() == source.read_bytes()
    growth_mib = result["growth_kib"] / 1024
    print(f"peak RSS growth over a 50 MiB upload and download: {growth_mib:.1f} MiB")
    assert growth_mib < 20, f"peak RSS grew by {growth_mib:.1f} MiB for a 50 MiB file"
    # The measure sees a file held whole: downloading it into memory raises the peak.
    assert result["len"] == 50 * MIB and result["held_kib"] / 1024 > 40, result


# --- the attribute ------------------------------------------------------------------------------


def make_doc(table: str, client: Any, bucket: str) -> Any:
    class Doc(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        content = S3Attribute(bucket=bucket, prefix="docs/")

    return Doc


def test_attribute_upload_store_load_and_delete(
    make_table: Any, client: Any, bucket: str, s3: Any, boto: Any, tmp_path: Path, mode: str
) -> None:
    docs = make_doc(make_table(), client, bucket)
    doc = docs(pk="DOC#1", sk="v1")
    value, metrics = call(docs.content, mode, "upload_to_s3", S3File(b"report", name="r.txt", content_type="text/plain"), doc)
    assert value.key == "docs/DOC/1/v1/r.txt" and metrics.bytes_uploaded == 6
    doc.content = value
    call(doc, mode, "save")
    stored = boto.get_item(TableName=docs.model_config.table, Key={"pk": {"S": "DOC#1"}, "sk": {"S": "v1"}})["Item"]
    assert stored["content"]["M"]["key"] == {"S": "docs/DOC/1/v1/r.txt"}
    assert stored["content"]["M"]["content_type"] == {"S": "text/plain"}

    got = call(docs, mode, "get", pk="DOC#1", sk="v1")
    assert isinstance(got.content, S3Value) and got.content == value
    assert call(got.content, mode, "get_bytes") == b"report"
    call(got.content, mode, "save_to", tmp_path / "out.txt")
    assert (tmp_path / "out.txt").read_bytes() == b"report"
    assert call(got.content, mode, "presigned_url", 60).startswith("http")

    call(docs.content, mode, "delete_from_s3", got.content)
    assert s3.list_objects_v2(Bucket=bucket).get("KeyCount") == 0


def test_attribute_streams_a_path_and_its_errors_name_the_attribute(
    make_table: Any, client: Any, bucket: str, s3: Any, tmp_path: Path, mode: str
) -> None:
    docs = make_doc(make_table(), client, bucket)
    source = tmp_path / "notes.md"
    source.write_bytes(b"# notes")
    file = S3File(source, content_type="text/markdown", metadata={"by": "me"})
    value, metrics = call(docs.content, mode, "upload_to_s3", file, docs(pk="DOC#2", sk="v1"))
    assert value.key == "docs/DOC/2/v1/notes.md" and metrics.bytes_uploaded == 7
    head = s3.head_object(Bucket=bucket, Key=value.key)
    assert (head["ContentType"], head["Metadata"]) == ("text/markdown", {"by": "me"})
    assert s3.get_object(Bucket=bucket, Key=value.key)["Body"].read() == b"# notes"

    class Lost(Model):
        model_config = ModelConfig(table=docs.model_config.table, client=client)
        pk = StringAttribute(hash_key=True)
        content = S3Attribute(bucket="no-such-bucket-x")

    with pytest.raises(S3AttributeException, match=r"^Lost\.content: upload to s3://no-such-bucket-x/a/x") as raised:
        call(Lost.content, mode, "upload_to_s3", S3File(b"x", name="x"), Lost(pk="a"))
    assert raised.value.__suppress_context__
    gone = S3Value("no-such-bucket-x", "a/x", 1, "etag", None, None)
    with pytest.raises(S3AttributeException, match=r"^Lost\.content: delete of s3://no-such-bucket-x/a/x"):
        call(Lost.content, mode, "delete_from_s3", gone)


def test_a_file_not_uploaded_has_no_stored_form(make_table: Any, client: Any, bucket: str) -> None:
    # Model.save uploads it (tests/test_s3_model.py); to_dict has nothing to store yet.
    docs = make_doc(make_table(), client, bucket)
    with pytest.raises(S3AttributeException, match="Doc.content: an S3File must be uploaded"):
        docs(pk="d", sk="1", content=S3File(b"x", name="x")).to_dict()


def test_s3_file_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="name is required"):
        S3File(b"x")
    with pytest.raises(ValueError, match="not a file"):
        S3File(tmp_path / "absent")
    with pytest.raises(ValueError, match="hash_key or range_key"):
        S3Attribute(bucket="b", hash_key=True)
    path = tmp_path / "f.bin"
    path.write_bytes(b"abc")
    f = S3File(path)
    assert (f.name, f.size, f.data, f.path) == ("f.bin", 3, b"abc", path)
