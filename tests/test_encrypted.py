"""EncryptedAttribute and KmsEncryptor against moto's KMS: round trips through both twins
of the model's save, get, query and batch paths, the stored envelope checked with boto3
(KMS Decrypt + AES-GCM), wrong key, wrong context, tampered values, forbidden modes,
plaintext kept out of errors and reprs, and compatibility both ways with 0.21.0."""

from __future__ import annotations

import base64
from typing import Any

import boto3
import pytest

from ref021 import run_ref
from support import boto_get, call, collect

from pydynox.attributes import EncryptedAttribute, EncryptionMode, StringAttribute
from pydynox.config import ModelConfig
from pydynox.exceptions import EncryptionException
from pydynox.model import Model
from pydynox.pydynox_core import KmsEncryptor

SECRET = "123-45-6789 top secret"


@pytest.fixture(scope="module")
def kms(moto_endpoint: str) -> Any:
    return boto3.client("kms", endpoint_url=moto_endpoint, region_name="us-east-1")


@pytest.fixture
def key_id(kms: Any) -> str:
    return kms.create_key()["KeyMetadata"]["KeyId"]


def make_user(table: str, client: Any, key_id: str, **options: Any) -> Any:
    class User(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        ssn = EncryptedAttribute(key_id=key_id, **options)

    return User


def open_envelope(kms: Any, stored: str, context: dict[str, str] | None = None) -> str:
    """Decrypts a stored value independently: boto3's KMS Decrypt, then AES-GCM."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    raw = base64.b64decode(stored.removeprefix("ENC:"))
    assert raw[0] == 1
    n = int.from_bytes(raw[1:3], "big")
    kwargs = {"EncryptionContext": context} if context else {}
    key = kms.decrypt(CiphertextBlob=raw[3 : 3 + n], **kwargs)["Plaintext"]
    rest = raw[3 + n :]
    return AESGCM(key).decrypt(rest[:12], rest[12:], None).decode()


def test_save_get_query_batch_round_trip(make_table: Any, client: Any, key_id: str, kms: Any, mode: str, boto: Any) -> None:
    users = make_user(make_table(), client, key_id, context={"tenant": "acme"})
    call(users(pk="p", sk="1", ssn=SECRET), mode, "save")
    stored = boto_get(boto, users.model_config.table, {"pk": "p", "sk": "1"})["ssn"]
    assert stored.startswith("ENC:") and SECRET not in stored
    assert open_envelope(kms, stored, {"tenant": "acme"}) == SECRET

    assert call(users, mode, "get", pk="p", sk="1").ssn == SECRET
    items, _ = collect(users, mode, "query", hash_key="p")
    assert [u.ssn for u in items] == [SECRET]
    assert call(users, mode, "batch_get", keys=[{"pk": "p", "sk": "1"}])[0].ssn == SECRET


def test_each_value_gets_its_own_data_key(key_id: str, moto_endpoint: str) -> None:
    e = KmsEncryptor(key_id, endpoint_url=moto_endpoint)
    a, b = e.encrypt("same"), e.encrypt("same")
    assert a != b and e.decrypt(a) == e.decrypt(b) == "same"


def test_encryptor_twins(key_id: str, moto_endpoint: str, mode: str) -> None:
    e = KmsEncryptor(key_id, endpoint_url=moto_endpoint, context={"a": "b"})
    stored = call(e, mode, "encrypt", "twin ✓")
    assert call(e, mode, "decrypt", stored) == "twin ✓"
    assert call(e, mode, "decrypt", e.encrypt("")) == ""


def test_wrong_key_raises_naming_the_attribute(make_table: Any, client: Any, kms: Any, mode: str) -> None:
    table = make_table()
    writer = make_user(table, client, kms.create_key()["KeyMetadata"]["KeyId"])
    reader = make_user(table, client, kms.create_key()["KeyMetadata"]["KeyId"])
    call(writer(pk="p", sk="1", ssn=SECRET), mode, "save")
    with pytest.raises(EncryptionException, match=r"User\.ssn: decrypt with KMS key") as info:
        call(reader, mode, "get", pk="p", sk="1")
    assert SECRET not in str(info.value)


def test_wrong_context_raises(make_table: Any, client: Any, key_id: str, mode: str) -> None:
    table = make_table()
    call(make_user(table, client, key_id, context={"tenant": "a"})(pk="p", sk="1", ssn=SECRET), mode, "save")
    with pytest.raises(EncryptionException, match=r"User\.ssn: "):
        call(make_user(table, client, key_id, context={"tenant": "b"}), mode, "get", pk="p", sk="1")


def test_tampered_values_raise_and_never_return_garbage(
    make_table: Any, client: Any, key_id: str, mode: str, boto: Any
) -> None:
    users = make_user(make_table(), client, key_id)
    call(users(pk="p", sk="1", ssn=SECRET), mode, "save")
    stored = boto_get(boto, users.model_config.table, {"pk": "p", "sk": "1"})["ssn"]
    raw = bytearray(base64.b64decode(stored[4:]))
    raw[-1] ^= 0x01  # a bit of the GCM tag
    flipped_body = bytearray(raw)
    flipped_body[-20] ^= 0x80  # a bit of the ciphertext
    for bad, why in [
        ("ENC:" + base64.b64encode(bytes(raw)).decode(), "authentication"),
        ("ENC:" + base64.b64encode(bytes(flipped_body)).decode(), "authentication"),
        (stored[:40], "malformed"),
        ("ENC:!!!", "base64"),
    ]:
        boto.put_item(TableName=users.model_config.table, Item={"pk": {"S": "p"}, "sk": {"S": "1"}, "ssn": {"S": bad}})
        with pytest.raises(EncryptionException, match=rf"User\.ssn: .*{why}"):
            call(users, mode, "get", pk="p", sk="1")


def test_forbidden_modes_raise(make_table: Any, client: Any, key_id: str, mode: str, boto: Any) -> None:
    table = make_table()
    readonly = make_user(table, client, key_id, mode=EncryptionMode.ReadOnly)
    with pytest.raises(EncryptionException, match=r"User\.ssn: mode is ReadOnly"):
        call(readonly(pk="p", sk="1", ssn=SECRET), mode, "save")
    assert boto_get(boto, table, {"pk": "p", "sk": "1"}) is None  # nothing written, plaintext included

    writeonly = make_user(table, client, key_id, mode=EncryptionMode.WriteOnly)
    call(writeonly(pk="p", sk="2", ssn=SECRET), mode, "save")
    with pytest.raises(EncryptionException, match=r"User\.ssn: mode is WriteOnly"):
        call(writeonly, mode, "get", pk="p", sk="2")
    assert call(readonly, mode, "get", pk="p", sk="2").ssn == SECRET


def test_unknown_key_raises(make_table: Any, client: Any, mode: str) -> None:
    users = make_user(make_table(), client, "alias/does-not-exist")
    with pytest.raises(EncryptionException, match=r"User\.ssn: encrypt with KMS key 'alias/does-not-exist'"):
        call(users(pk="p", sk="1", ssn=SECRET), mode, "save")


def test_plaintext_never_in_reprs_or_type_errors(make_table: Any, client: Any, key_id: str) -> None:
    users = make_user(make_table(), client, key_id)
    user = users(pk="p", sk="1", ssn=SECRET)
    assert SECRET not in repr(user) and "<redacted>" in repr(user)
    with pytest.raises(TypeError) as info:
        users(pk="p", sk="2", ssn=SECRET.encode()).save()
    assert SECRET not in str(info.value)
    e = KmsEncryptor("alias/x", context={"tenant": "hidden-context"}, secret_key="s3cr3t", access_key="AKID")
    assert "s3cr3t" not in repr(e) and "alias/x" in repr(e)


def test_bad_arguments_are_refused_at_declaration() -> None:
    with pytest.raises(ValueError, match="key_id"):
        EncryptedAttribute(key_id="")
    with pytest.raises(TypeError, match="EncryptionMode"):
        EncryptedAttribute(key_id="k", mode=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="context"):
        EncryptedAttribute(key_id="k", context={"a": 1})  # type: ignore[dict-item]


# --- compatibility with pydynox 0.21.0 -------------------------------------------------------

REF_SCRIPT = """
from pydynox import DynamoDBClient, Model, ModelConfig
from pydynox.attributes import EncryptedAttribute, StringAttribute
import os
os.environ["AWS_ENDPOINT_URL"] = INPUT["endpoint"]  # 0.21.0's KMS client reads the endpoint from the environment

class User(Model):
    model_config = ModelConfig(table=INPUT["table"], client=DynamoDBClient(endpoint_url=INPUT["endpoint"], region="us-east-1"))
    pk = StringAttribute(hash_key=True)
    sk = StringAttribute(range_key=True)
    ssn = EncryptedAttribute(key_id=INPUT["key_id"], context={"tenant": "acme"})

User(pk="p", sk="theirs", ssn=INPUT["text"]).save()
OUTPUT = User.get(pk="p", sk="ours").ssn
"""


def test_compatible_both_ways_with_0_21_0(make_table: Any, client: Any, key_id: str, moto_endpoint: str) -> None:
    # One direction per twin is enough here: the twins share the envelope code.
    users = make_user(make_table(), client, key_id, context={"tenant": "acme"})
    users(pk="p", sk="ours", ssn="written by this version").save()
    read_by_them = run_ref(
        REF_SCRIPT, table=users.model_config.table, endpoint=moto_endpoint, key_id=key_id, text="written by 0.21.0"
    )
    assert read_by_them == "written by this version"
    assert users.get(pk="p", sk="theirs").ssn == "written by 0.21.0"
