"""Exceptions raised by pydynox. All DynamoDB errors derive from PydynoxException."""

from pydynox.pydynox_core import (
    AccessDeniedException,
    ConditionalCheckFailedException,
    ConnectionException,
    CredentialsException,
    ProvisionedThroughputExceededException,
    PydynoxException,
    ResourceInUseException,
    ResourceNotFoundException,
    SerializationException,
    TransactionCanceledException,
    ValidationException,
)

__all__ = [
    "AccessDeniedException",
    "ConditionalCheckFailedException",
    "ConnectionException",
    "CredentialsException",
    "PydynoxException",
    "ProvisionedThroughputExceededException",
    "ResourceInUseException",
    "ResourceNotFoundException",
    "SerializationException",
    "TransactionCanceledException",
    "ValidationException",
]
