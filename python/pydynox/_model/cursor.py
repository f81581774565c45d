"""Signed, URL-safe pagination cursors.

A cursor is a result's resume key (`last_evaluated_key`) made safe to hand to a browser:
it is serialized with type tags (so numbers and bytes come back exactly), bound to the
model's table and to the index or table it reads, timestamped, and signed with
itsdangerous. Reading it back checks the signature, the age and the binding; any mismatch
raises `InvalidCursorError`, never a DynamoDB error.

The signing key comes from `ModelConfig(cursor_secret=...)`, else from
`set_cursor_secret(...)` (process-wide). There is deliberately no built-in default key: a
cursor signed with a guessable key could be forged.
"""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydynox.exceptions import InvalidCursorError

if TYPE_CHECKING:
    from itsdangerous import URLSafeTimedSerializer

__all__ = ["decode_cursor", "encode_cursor", "set_cursor_secret"]

# Separates cursors from any other itsdangerous token signed with the same key.
_SALT = "pydynox.cursor.v1"

_default_secret: str | bytes | None = None


def set_cursor_secret(secret: str | bytes | None) -> None:
    """Sets the key that signs cursors of models without `ModelConfig(cursor_secret=...)`.

    Use a long random value kept out of source control (e.g. from an environment
    variable); None removes it.
    """
    global _default_secret
    if secret is not None and (not isinstance(secret, (str, bytes)) or len(secret) < 16):
        raise ValueError("set_cursor_secret: the secret must be a str or bytes of at least 16 characters")
    _default_secret = secret


def _serializer(secret: str | bytes | None, model_name: str) -> URLSafeTimedSerializer:
    # Imported here, when a cursor is first made or read: itsdangerous (with its hashlib,
    # hmac and json) would otherwise load on every `import pydynox`.
    from itsdangerous import URLSafeTimedSerializer

    secret = secret if secret is not None else _default_secret
    if secret is None:
        raise InvalidCursorError(
            f"{model_name}: no cursor secret configured; set ModelConfig(cursor_secret=...) "
            "or pydynox.config.set_cursor_secret(...)"
        )
    return URLSafeTimedSerializer(secret, salt=_SALT)


# Key values are S, N or B. JSON alone would turn bytes into an error and Decimal into a
# float, so each value is tagged with its type and numbers travel as exact text.


def _tag(name: str, value: Any) -> list[str]:
    if isinstance(value, str):
        return ["S", value]
    if isinstance(value, (bytes, bytearray)):
        return ["B", base64.urlsafe_b64encode(bytes(value)).decode("ascii")]
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return ["N", str(value)]
    raise TypeError(f"cursor key attribute {name!r}: cannot encode a {type(value).__name__}")


def _untag(tagged: Any) -> Any:
    kind, text = tagged
    if kind == "S":
        return text
    if kind == "B":
        return base64.urlsafe_b64decode(text.encode("ascii"))
    if kind == "N":
        number = Decimal(text)
        return int(number) if number == number.to_integral_value() and "." not in text and "e" not in text.lower() else number
    raise ValueError(kind)


def encode_cursor(
    key: dict[str, Any], *, scope: str, secret: str | bytes | None, model_name: str
) -> str:
    """`key` (a resume key) as a signed URL-safe string bound to `scope`."""
    payload = {"s": scope, "k": {name: _tag(name, value) for name, value in key.items()}}
    return _serializer(secret, model_name).dumps(payload)


def decode_cursor(
    cursor: str, *, scope: str, secret: str | bytes | None, max_age: int | None, model_name: str
) -> dict[str, Any]:
    """The resume key inside `cursor`, after checking signature, age and scope."""
    if not isinstance(cursor, str) or not cursor:
        raise InvalidCursorError(f"{model_name}: cursor must be a non-empty string, got {cursor!r}")
    serializer = _serializer(secret, model_name)
    from itsdangerous import BadSignature, SignatureExpired

    try:
        payload = serializer.loads(cursor, max_age=max_age)
    except SignatureExpired as error:
        raise InvalidCursorError(f"{model_name}: the cursor has expired (older than {max_age} s)") from error
    except BadSignature as error:
        raise InvalidCursorError(
            f"{model_name}: the cursor's signature does not match (tampered with, or signed with another key)"
        ) from error
    if not isinstance(payload, dict) or payload.get("s") != scope:
        raise InvalidCursorError(
            f"{model_name}: the cursor belongs to another model, table, index or partition "
            f"({payload.get('s') if isinstance(payload, dict) else None!r}, expected {scope!r})"
        )
    try:
        return {name: _untag(tagged) for name, tagged in payload["k"].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise InvalidCursorError(f"{model_name}: the cursor's key is malformed") from error
