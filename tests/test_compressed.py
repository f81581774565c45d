"""CompressedAttribute: round trips through both twins of the model's save, get, query and
batch paths against moto, the stored form checked with boto3, hostile stored values, and
compatibility both ways with pydynox 0.21.0."""

from __future__ import annotations

import base64
import gzip
import os
from typing import Any

import pytest

from ref021 import run_ref
from support import boto_get, call, collect

from pydynox.attributes import CompressedAttribute, CompressionAlgorithm, StringAttribute
from pydynox.config import ModelConfig
from pydynox.model import Model

LONG = "the quick brown fox jumps over the lazy dog. " * 40  # 1800 bytes, compresses well
ALGORITHMS = list(CompressionAlgorithm)
PREFIX = {CompressionAlgorithm.Zstd: "ZSTD:", CompressionAlgorithm.Lz4: "LZ4:", CompressionAlgorithm.Gzip: "GZIP:"}


def make_doc(table: str, client: Any) -> Any:
    class Doc(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        zstd = CompressedAttribute()
        lz4 = CompressedAttribute(algorithm=CompressionAlgorithm.Lz4)
        gz = CompressedAttribute(algorithm=CompressionAlgorithm.Gzip, level=9)

    return Doc


@pytest.fixture
def docs(make_table: Any, client: Any) -> Any:
    return make_doc(make_table(), client)


def test_save_get_query_batch_round_trip(docs: Any, mode: str, boto: Any) -> None:
    doc = docs(pk="p", sk="1", zstd=LONG, lz4=LONG + "!", gz=LONG + "?")
    call(doc, mode, "save")
    stored = boto_get(boto, docs.model_config.table, {"pk": "p", "sk": "1"})
    assert stored["zstd"].startswith("ZSTD:") and len(stored["zstd"]) < len(LONG) / 4
    assert stored["lz4"].startswith("LZ4:")
    # An independent reader: gzip data is a plain gzip stream under the prefix.
    assert gzip.decompress(base64.b64decode(stored["gz"].removeprefix("GZIP:"))).decode() == LONG + "?"

    got = call(docs, mode, "get", pk="p", sk="1")
    assert (got.zstd, got.lz4, got.gz) == (LONG, LONG + "!", LONG + "?")
    items, _ = collect(docs, mode, "query", hash_key="p")
    assert [i.zstd for i in items] == [LONG]
    batch = call(docs, mode, "batch_get", keys=[{"pk": "p", "sk": "1"}])
    assert batch[0].gz == LONG + "?"


def test_small_and_incompressible_values_are_stored_plain(docs: Any, mode: str, boto: Any) -> None:
    noise = base64.b64encode(os.urandom(600)).decode()  # lz4 has no entropy coding: no gain here
    call(docs(pk="p", sk="2", zstd="short", lz4=noise, gz=""), mode, "save")
    stored = boto_get(boto, docs.model_config.table, {"pk": "p", "sk": "2"})
    assert stored["zstd"] == "short"
    assert stored["lz4"] == noise
    assert stored["gz"] == ""
    got = call(docs, mode, "get", pk="p", sk="2")
    assert (got.zstd, got.lz4, got.gz) == ("short", got.lz4, "")
    assert got.lz4 == noise


def test_a_plain_value_that_looks_compressed_survives(docs: Any, mode: str, boto: Any) -> None:
    call(docs(pk="p", sk="3", zstd="ZSTD:not really", lz4="LZ4:", gz="GZIP:x"), mode, "save")
    stored = boto_get(boto, docs.model_config.table, {"pk": "p", "sk": "3"})
    assert stored["zstd"] != "ZSTD:not really"  # stored compressed, so it reads back unambiguously
    got = call(docs, mode, "get", pk="p", sk="3")
    assert (got.zstd, got.lz4, got.gz) == ("ZSTD:not really", "LZ4:", "GZIP:x")


@pytest.mark.parametrize(
    "stored, message",
    [
        ("ZSTD:!!!", "not valid base64"),
        ("ZSTD:aGVsbG8=", "corrupt zstd"),
        ("LZ4://///xBh", "more than"),  # a length header claiming 4 GiB
        ("GZIP:aGVsbG8=", "corrupt gzip"),
    ],
)
def test_hostile_stored_values_raise_naming_the_attribute(
    docs: Any, mode: str, boto: Any, stored: str, message: str
) -> None:
    boto.put_item(TableName=docs.model_config.table, Item={"pk": {"S": "p"}, "sk": {"S": "bad"}, "zstd": {"S": stored}})
    with pytest.raises(ValueError, match=rf"Doc\.zstd: .*{message}"):
        call(docs, mode, "get", pk="p", sk="bad")


def test_parameters_are_checked_at_declaration() -> None:
    with pytest.raises(ValueError, match="between 1 and 22"):
        CompressedAttribute(level=30)
    with pytest.raises(ValueError, match="between 0 and 9"):
        CompressedAttribute(algorithm=CompressionAlgorithm.Gzip, level=10)
    with pytest.raises(TypeError, match="CompressionAlgorithm"):
        CompressedAttribute(algorithm="zstd")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="threshold"):
        CompressedAttribute(threshold=0)
    with pytest.raises(ValueError, match="min_size"):
        CompressedAttribute(min_size=-1)
    CompressedAttribute(algorithm=CompressionAlgorithm.Lz4, level=99)  # lz4 has no levels: ignored, as in 0.21.0


def test_algorithms_behave_as_0_21_0s() -> None:
    # 0.21.0's CompressionAlgorithm is a Rust enum: int-valued, printed as Class.Member.
    assert [int(a) for a in (CompressionAlgorithm.Zstd, CompressionAlgorithm.Lz4, CompressionAlgorithm.Gzip)] == [0, 1, 2]
    assert CompressionAlgorithm.Zstd == 0 and str(CompressionAlgorithm.Lz4) == "CompressionAlgorithm.Lz4"
    assert {CompressionAlgorithm.Gzip: "g"}[CompressionAlgorithm(2)] == "g"
    # Zstd is 0, so falsy: it still selects zstd, never "the default" by accident of truthiness.
    assert CompressedAttribute(algorithm=CompressionAlgorithm.Zstd, min_size=1).serialize("z" * 300).startswith("ZSTD:")  # type: ignore[union-attr]
    assert CompressedAttribute(algorithm=CompressionAlgorithm.Lz4, min_size=1).serialize("z" * 300).startswith("LZ4:")  # type: ignore[union-attr]


def test_wrong_type_is_refused_before_sending(docs: Any, mode: str, boto: Any) -> None:
    with pytest.raises(TypeError, match="Doc.zstd"):
        call(docs(pk="p", sk="4", zstd=b"bytes"), mode, "save")
    assert boto_get(boto, docs.model_config.table, {"pk": "p", "sk": "4"}) is None


def test_large_values_round_trip() -> None:
    # A few MB: compressed with the GIL released (no server needed: the codec alone).
    attribute = CompressedAttribute(algorithm=CompressionAlgorithm.Zstd)
    value = "".join(f"line {i}: {'x' * (i % 50)}\n" for i in range(200_000))
    stored = attribute.serialize(value)
    assert stored is not None and stored.startswith("ZSTD:") and len(stored) < len(value) / 5
    assert attribute.deserialize(stored) == value


# --- compatibility with pydynox 0.21.0 -------------------------------------------------------

REF_SCRIPT = """
from pydynox import DynamoDBClient, Model, ModelConfig
from pydynox.attributes import CompressedAttribute, CompressionAlgorithm, StringAttribute

class Doc(Model):
    model_config = ModelConfig(table=INPUT["table"], client=DynamoDBClient(endpoint_url=INPUT["endpoint"], region="us-east-1"))
    pk = StringAttribute(hash_key=True)
    sk = StringAttribute(range_key=True)
    zstd = CompressedAttribute()
    lz4 = CompressedAttribute(algorithm=CompressionAlgorithm.Lz4)
    gz = CompressedAttribute(algorithm=CompressionAlgorithm.Gzip, level=9)

Doc(pk="p", sk="theirs", zstd=INPUT["text"], lz4=INPUT["text"], gz=INPUT["text"]).save()
ours = Doc.get(pk="p", sk="ours")
OUTPUT = [ours.zstd, ours.lz4, ours.gz]
"""


def test_compatible_both_ways_with_0_21_0(docs: Any, boto: Any, moto_endpoint: str) -> None:
    # One direction per twin is enough here: the twins share serialize/deserialize.
    ours = "written by this version; " * 30
    theirs = "written by pydynox 0.21.0; " * 30
    docs(pk="p", sk="ours", zstd=ours, lz4=ours, gz=ours).save()
    read_by_them = run_ref(REF_SCRIPT, table=docs.model_config.table, endpoint=moto_endpoint, text=theirs)
    assert read_by_them == [ours, ours, ours]

    stored = boto_get(boto, docs.model_config.table, {"pk": "p", "sk": "theirs"})
    assert [stored[n][:4] for n in ("zstd", "lz4", "gz")] == ["ZSTD", "LZ4:", "GZIP"]
    got = docs.get(pk="p", sk="theirs")
    assert (got.zstd, got.lz4, got.gz) == (theirs, theirs, theirs)
