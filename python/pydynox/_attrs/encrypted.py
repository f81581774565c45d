"""`EncryptedAttribute`: a text value sealed with KMS envelope encryption, in the stored
form pydynox 0.21.0 reads and writes (`ENC:` + base64; see `KmsEncryptor`).

The KMS client takes the credentials chain and endpoint of the model's DynamoDB client
(or the AWS chain when the model has none yet). Each value gets a fresh data key: one
KMS call per value written or read, no key cached.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from pydynox._attrs._core import kms_for_client
from pydynox._attrs._service import client_of_owner
from pydynox.attributes import Attribute
from pydynox.pydynox_core import EncryptionException, KmsEncryptor

__all__ = ["EncryptedAttribute", "EncryptionMode"]

_PREFIX = "ENC:"


class EncryptionMode(IntEnum):
    """Which directions an `EncryptedAttribute` allows."""

    ReadWrite = 0
    """Encrypt on save and decrypt on load (the default)."""
    WriteOnly = 1
    """Encrypt only: loading an item with a value raises EncryptionException."""
    ReadOnly = 2
    """Decrypt only: saving a value raises EncryptionException (nothing is written)."""


class EncryptedAttribute(Attribute[str]):
    """Text encrypted with a KMS key (S). Never a key attribute.

    Args:
        key_id: KMS key id, ARN, alias name (`alias/...`) or alias ARN.
        mode: `EncryptionMode` (default ReadWrite).
        region: KMS region when it differs from the model's client.
        context: Encryption context (str -> str) bound to every value: a value decrypts
            only under the same context. Not secret (KMS logs it).

    A value encrypted under another key or context, or altered, raises
    `EncryptionException` naming the attribute; the plaintext never appears in errors
    or reprs. Stored values without the `ENC:` prefix (written before the attribute was
    encrypted) are returned as they are.
    """

    attr_type = "S"
    converts = True
    secret = True
    _expected = "a string"

    def __init__(
        self,
        key_id: str,
        mode: EncryptionMode | None = None,
        region: str | None = None,
        context: dict[str, str] | None = None,
    ) -> None:
        if not isinstance(key_id, str) or not key_id.strip():
            raise ValueError(f"EncryptedAttribute: key_id must name a KMS key, got {key_id!r}")
        if mode is not None and not isinstance(mode, EncryptionMode):
            raise TypeError(f"EncryptedAttribute: mode must be an EncryptionMode, got {mode!r}")
        if context is not None and not (
            isinstance(context, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in context.items())
        ):
            raise TypeError("EncryptedAttribute: context must be a dict of str to str")
        super().__init__(hash_key=False, range_key=False, default=None, null=True)
        self.key_id = key_id
        self.mode = mode
        self.region = region
        self.context = dict(context) if context else None
        self._owner: type | None = None
        self._encryptor: KmsEncryptor | None = None

    def __set_name__(self, owner: type, name: str) -> None:
        super().__set_name__(owner, name)
        if self._owner is None:
            self._owner = owner

    @property
    def encryptor(self) -> KmsEncryptor:
        """The KMS encryptor, made on first use from the model's client settings."""
        if self._encryptor is None:
            client = client_of_owner(self._owner)
            if client is not None:
                self._encryptor = kms_for_client(client, self.key_id, self.region, self.context)
            else:
                self._encryptor = KmsEncryptor(self.key_id, region=self.region, context=self.context)
        return self._encryptor

    def _check(self, value: Any, where: str) -> None:
        if not isinstance(value, str):
            raise self._wrong_type(value, where)

    def _wrong_type(self, value: Any, where: str) -> TypeError:
        # The value may be a secret of the wrong type (bytes): only its type is named.
        return TypeError(f"{where}: expected {self._expected}, got a {type(value).__name__}")

    def serialize(self, value: str | None) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._wrong_type(value, self.qualified_name)
        if self.mode == EncryptionMode.ReadOnly:
            raise EncryptionException(
                f"{self.qualified_name}: mode is ReadOnly, so values cannot be encrypted; nothing was stored"
            )
        try:
            return str(self.encryptor.encrypt(value))
        except EncryptionException as error:
            raise EncryptionException(f"{self.qualified_name}: {error}") from None

    def deserialize(self, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not value.startswith(_PREFIX):
            # Stored by someone else, or before the attribute was encrypted, as 0.21.0 reads it.
            return value if isinstance(value, str) else str(value)
        if self.mode == EncryptionMode.WriteOnly:
            raise EncryptionException(f"{self.qualified_name}: mode is WriteOnly, so values cannot be decrypted")
        try:
            return str(self.encryptor.decrypt(value))
        except EncryptionException as error:
            raise EncryptionException(f"{self.qualified_name}: {error}") from None
