"""What the service-attribute tests share (test_service_attribute_paths.py,
test_service_attribute_writers.py): a bucket and a KMS key on the moto server, and a model
with one attribute of each kind. The fixtures are imported by the test modules."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from support import unique_name

from pydynox.attributes import CompressedAttribute, EncryptedAttribute, S3Attribute, StringAttribute
from pydynox.config import ModelConfig
from pydynox.model import Model

TEXT = "a long, repetitive note. " * 80
SECRET = "4111 1111 1111 1111"


@pytest.fixture(scope="module")
def s3(moto_endpoint: str) -> Any:
    return boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")


@pytest.fixture(scope="module")
def key_id(moto_endpoint: str) -> str:
    kms = boto3.client("kms", endpoint_url=moto_endpoint, region_name="us-east-1")
    return str(kms.create_key()["KeyMetadata"]["KeyId"])


@pytest.fixture
def bucket(s3: Any) -> str:
    name = unique_name().lower().replace("_", "-")[:50]
    s3.create_bucket(Bucket=name)
    return name


def make_record(table: str, client: Any, key_id: str, bucket: str) -> Any:
    class Record(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        note = CompressedAttribute()
        card = EncryptedAttribute(key_id=key_id)
        file = S3Attribute(bucket=bucket)

    return Record
