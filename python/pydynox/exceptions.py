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


class ParamValidationException(ValidationException, ValueError):
    """An argument was rejected before anything was sent (a bad key type, an unknown
    billing mode, NaN, an empty set...).

    It is both a `ValidationException` (what pydynox 0.21.0 raised there) and a
    `ValueError` (what Python code expects for a bad argument), so either `except` works.
    """


class RequestTimeoutException(ConnectionException, TimeoutError):
    """DynamoDB did not answer within the client's connect, read or operation timeout.

    A `ConnectionException` and a `TimeoutError`. The request may still have been applied:
    see docs/timeouts-retries-cancellation.md.
    """


__all__ = [
    "ParamValidationException",
    "RequestTimeoutException",
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


# --- raised by the model layer before anything is sent ------------------------------------


class ItemTooLargeException(PydynoxException):
    """The item is larger than the model's `max_size`; nothing was sent.

    `size` and `max_size` are in bytes; `item_key` is the item's key when known.
    """

    def __init__(self, size: int, max_size: int, item_key: dict | None = None, model: str | None = None) -> None:
        self.size = size
        self.max_size = max_size
        self.item_key = item_key
        where = f"{model} item" if model else "item"
        super().__init__(f"{where} {item_key!r} is {size} bytes, over max_size {max_size} bytes")


class InvalidCursorError(PydynoxException, ValueError):
    """A pagination cursor was tampered with, has expired, belongs to another model or
    query, or cannot be checked because no cursor secret is configured."""


__all__ += ["InvalidCursorError", "ItemTooLargeException"]

# --- raised by the attributes that use KMS and S3 (pydynox._attrs) --------------------------

from pydynox.pydynox_core import EncryptionException, S3AttributeException  # noqa: E402

__all__ += ["EncryptionException", "S3AttributeException"]
