"""The extension's private helpers for these attributes, typed here: they are set on the
module without stubs (not public API, see src/attrs/mod.rs)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from pydynox import pydynox_core

if TYPE_CHECKING:
    from pydynox.pydynox_core import DynamoDBClient, KmsEncryptor, S3Operations

compress_value = cast(
    "Callable[[str, str, int | None, int, float], str]", getattr(pydynox_core, "_compress_value")
)
"""(value, algorithm name, level, min_size, threshold) -> stored form."""

decompress_value = cast("Callable[[str], str]", getattr(pydynox_core, "_decompress_value"))
"""stored form -> value; ValueError for data that is not what its prefix says."""

s3_for_client = cast("Callable[[DynamoDBClient, str | None], S3Operations]", getattr(pydynox_core, "_s3_for_client"))
"""(client, region) -> the S3 client with the DynamoDB client's settings."""

kms_for_client = cast(
    "Callable[[DynamoDBClient, str, str | None, dict[str, str] | None], KmsEncryptor]",
    getattr(pydynox_core, "_kms_for_client"),
)
"""(client, key_id, region, context) -> the KMS encryptor with the DynamoDB client's settings."""
