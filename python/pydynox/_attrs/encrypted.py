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
from pydynox._model.steps import Step
from pydynox.attributes import Attribute
from pydynox.pydynox_core import EncryptionException, KmsEncryptor

__all__ = ["EncryptedAttribute", "EncryptionMode"]

_PREFIX = "ENC:"


class _Revealed(str):
    """A value a read's decryption step already decrypted: `deserialize` returns it as it
    is, even when the plaintext itself starts with `ENC:`."""

    __slots__ = ()


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

    # --- service steps of Model operations (pydynox._model.steps): the KMS call is a
    # twinned KmsEncryptor call, awaited by the async model twins ----------------------

    def _renamed(self, error: BaseException) -> None:
        if isinstance(error, EncryptionException):
            raise EncryptionException(f"{self.qualified_name}: {error}") from None
        raise error

    def write_step(self, value: Any, model_instance: Any, client: Any, keep: Any, services: Any) -> Step | None:
        """The encryption of `value` before the item is written."""
        if not isinstance(value, str):
            return None  # the item's check names the wrong type
        self._check_writable()

        def sealed(stored: str) -> None:
            keep(str(stored), value)

        return Step(self.encryptor, "encrypt", {"plaintext": value}, sealed, self._renamed)

    def read_step(self, stored: Any, place: Any) -> Step | None:
        """The decryption of a stored `ENC:` value before the item is loaded."""
        if not isinstance(stored, str) or not stored.startswith(_PREFIX) or type(stored) is _Revealed:
            return None
        self._check_readable()

        def revealed(plaintext: str) -> None:
            place(_Revealed(plaintext))

        return Step(self.encryptor, "decrypt", {"ciphertext": stored}, revealed, self._renamed)

    def _check_writable(self) -> None:
        if self.mode == EncryptionMode.ReadOnly:
            raise EncryptionException(
                f"{self.qualified_name}: mode is ReadOnly, so values cannot be encrypted; nothing was stored"
            )

    def _check_readable(self) -> None:
        if self.mode == EncryptionMode.WriteOnly:
            raise EncryptionException(f"{self.qualified_name}: mode is WriteOnly, so values cannot be decrypted")

    def serialize(self, value: str | None) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._wrong_type(value, self.qualified_name)
        self._check_writable()
        try:
            return str(self.encryptor.encrypt(value))
        except EncryptionException as error:
            raise EncryptionException(f"{self.qualified_name}: {error}") from None

    def deserialize(self, value: Any) -> str | None:
        if value is None:
            return None
        if type(value) is _Revealed:
            return str(value)
        if not isinstance(value, str) or not value.startswith(_PREFIX):
            # Stored by someone else, or before the attribute was encrypted, as 0.21.0 reads it.
            return value if isinstance(value, str) else str(value)
        self._check_readable()
        try:
            return str(self.encryptor.decrypt(value))
        except EncryptionException as error:
            raise EncryptionException(f"{self.qualified_name}: {error}") from None
