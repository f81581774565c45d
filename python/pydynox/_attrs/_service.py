"""What the KMS and S3 attributes share: finding the DynamoDB client of the model they
are declared on, so their KMS or S3 client takes its credentials chain and endpoint."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydynox.config import get_default_client

if TYPE_CHECKING:
    from pydynox.pydynox_core import DynamoDBClient


def client_of_owner(owner: type | None) -> DynamoDBClient | None:
    """The client a model class uses (its `ModelConfig(client=...)`, else the default
    client), or None when there is neither (the service client then uses the AWS chain)."""
    config: Any = getattr(owner, "model_config", None)
    client = getattr(config, "client", None)
    return client if client is not None else get_default_client()
