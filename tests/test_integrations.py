"""pydantic models and dataclasses as DynamoDB models (pydynox.integrations, ADR 22), through
both twins (`mode`) against the moto server, with boto3 checking what was stored."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from enum import Enum
from typing import Any, ClassVar

import pydantic
import pytest
from pydantic import BaseModel

from support import boto_get, boto_put, call, collect, from_boto, to_list

import pydynox
from pydynox import dynamodb_model
from pydynox.config import clear_default_client, set_default_client
from pydynox.exceptions import ConditionalCheckFailedException
from pydynox.indexes import GlobalSecondaryIndex
from pydynox.integrations import IntegrationModel, attr
from pydynox.integrations.dataclass import from_dataclass
from pydynox.integrations.pydantic import dynamodb_model as pydantic_model
from pydynox.integrations.pydantic import from_pydantic

GSIS = [("by-email", ("email", "S"), ("age", "N"))]


class Plan(Enum):
    FREE = "free"
    PRO = "pro"


def pydantic_user(table: str, client: Any) -> Any:
    @dynamodb_model(table=table, hash_key="pk", range_key="sk", client=client)
    class User(BaseModel, IntegrationModel):
        pk: str
        sk: str
        email: str | None = None
        age: int = 0
        tags: set[str] | None = None
        by_email: ClassVar[GlobalSecondaryIndex[Any]] = GlobalSecondaryIndex(index_name="by-email", hash_key="email", range_key="age")

        @pydantic.field_validator("email")
        @classmethod
        def lower(cls, value: str | None) -> str | None:
            return None if value is None else value.lower()

    return User


@pytest.fixture
def users(make_table: Any, client: Any) -> Any:
    return pydantic_user(make_table(gsis=GSIS), client)


@dataclass
class Address:
    city: str
    zip: str


def dataclass_item(table: str, client: Any) -> Any:
    @dynamodb_model(table=table, hash_key="pk", range_key="sk", client=client)
    @dataclass
    class Item:
        pk: str
        sk: str
        price: float = 0.0
        exact: Decimal = Decimal("0")
        count: int = 0
        seen: datetime | None = None
        plan: Plan = Plan.FREE
        labels: set[str] = field(default_factory=set)
        address: Address | None = None

    return Item


# --- pydantic ---------------------------------------------------------------------------------


def test_pydantic_save_and_get_round_trip(users: Any, boto: Any, mode: str) -> None:
    user = users(pk="u1", sk="a", email="Ada@Example.com", age=36, tags={"x", "y"})
    call(user, mode, "save")
    stored = from_boto(boto_get(boto, users.__pydynox_schema__.config.table, {"pk": "u1", "sk": "a"}))
    assert stored == {"pk": "u1", "sk": "a", "email": "ada@example.com", "age": 36, "tags": {"x", "y"}}
    loaded = call(users, mode, "get", pk="u1", sk="a")
    assert type(loaded) is users and loaded == user
    assert call(users, mode, "get", pk="u1", sk="missing") is None
    assert call(users, mode, "get", pk="u1", sk="a", as_dict=True) == stored


def test_pydantic_validation_on_load(users: Any, boto: Any, mode: str) -> None:
    table = users.__pydynox_schema__.config.table
    boto_put(boto, table, {"pk": "bad", "sk": "a", "age": "not a number"})
    with pytest.raises(pydantic.ValidationError, match="age"):
        call(users, mode, "get", pk="bad", sk="a")
    # A stored value pydantic can coerce comes back as the field's type, validators run.
    boto_put(boto, table, {"pk": "ok", "sk": "a", "age": "41", "email": "UP@X"})
    loaded = call(users, mode, "get", pk="ok", sk="a")
    assert loaded.age == 41 and loaded.email == "up@x"


def test_pydantic_update_validates_before_sending(users: Any, boto: Any, mode: str) -> None:
    table = users.__pydynox_schema__.config.table
    user = users(pk="u1", sk="a", email="a@x", age=1)
    call(user, mode, "save")
    with pytest.raises(pydantic.ValidationError, match="age"):
        call(user, mode, "update", age="many")
    assert user.age == 1 and from_boto(boto_get(boto, table, {"pk": "u1", "sk": "a"}))["age"] == 1
    # What is sent is what pydantic made of the values (coerced, validator applied).
    call(user, mode, "update", age="7", email="NEW@X")
    assert (user.age, user.email) == (7, "new@x")
    stored = from_boto(boto_get(boto, table, {"pk": "u1", "sk": "a"}))
    assert (stored["age"], stored["email"]) == (7, "new@x")
    with pytest.raises(ValueError, match="no field 'nope'"):
        call(user, mode, "update", nope=1)


def test_pydantic_atomic_update_and_conditions(users: Any, boto: Any, mode: str) -> None:
    table = users.__pydynox_schema__.config.table
    user = users(pk="u1", sk="a", age=10)
    call(user, mode, "save")
    call(user, mode, "update", atomic=[attr(users, "age").add(5)])
    assert user.age == 15 and from_boto(boto_get(boto, table, {"pk": "u1", "sk": "a"}))["age"] == 15
    with pytest.raises(ConditionalCheckFailedException):
        call(user, mode, "save", condition=attr(users, "age") > 100)
    with pytest.raises(ConditionalCheckFailedException):
        call(user, mode, "delete", condition=attr(users, "email") == "someone-else")
    call(user, mode, "delete", condition=attr(users, "age") == 15)
    assert boto_get(boto, table, {"pk": "u1", "sk": "a"}) is None


def test_pydantic_query_scan_index_cursor_and_batch_get(users: Any, mode: str) -> None:
    for n in range(5):
        users(pk="p", sk=f"s{n}", email="team@x", age=n).save()
    users(pk="other", sk="s0", email="solo@x", age=9).save()

    items, _ = collect(users, mode, "query", hash_key="p", range_key_condition=attr(users, "sk") >= "s2")
    assert [u.sk for u in items] == ["s2", "s3", "s4"] and all(type(u) is users for u in items)
    first, result = to_list(users, mode, "query", hash_key="p", limit=2)
    assert [u.sk for u in first] == ["s0", "s1"]
    rest, _ = collect(users, mode, "query", hash_key="p", last_evaluated_key=result.last_evaluated_key)
    assert [u.sk for u in rest] == ["s2", "s3", "s4"]

    scanned, _ = collect(users, mode, "scan", filter_condition=attr(users, "age") >= 3)
    assert sorted(u.age for u in scanned) == [3, 4, 9]
    by_email, _ = collect(users.by_email, mode, "query", email="team@x", range_key_condition=attr(users, "age") < 2)
    assert sorted(u.sk for u in by_email) == ["s0", "s1"]

    got = call(users, mode, "batch_get", keys=[{"pk": "p", "sk": "s1"}, {"pk": "other", "sk": "s0"}, {"pk": "p", "sk": "zz"}])
    assert sorted((u.pk, u.sk) for u in got) == [("other", "s0"), ("p", "s1")]
    assert users.get_last_metrics() is not None and users.get_total_metrics().total_rcu > 0


def test_key_errors_are_typed_and_name_the_attribute(users: Any, mode: str) -> None:
    with pytest.raises(TypeError, match=r"User\.pk"):
        call(users, mode, "get", pk=5, sk="a")
    with pytest.raises(ValueError, match="missing key attribute 'pk'"):
        call(users, mode, "get", sk="a")
    with pytest.raises(ValueError, match=r"User\.sk"):
        call(users(pk="p", sk=""), mode, "save")
    # An instance made without pydantic's validation (model_construct) may lack its key.
    with pytest.raises(ValueError, match=r"User\.pk: is a required key attribute"):
        call(users.model_construct(sk="a"), mode, "save")


# --- dataclasses -----------------------------------------------------------------------------


def test_dataclass_field_types_respected_both_ways(make_table: Any, client: Any, boto: Any, mode: str) -> None:
    table = make_table()
    item_class = dataclass_item(table, client)
    seen = datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc)
    item = item_class(
        pk="i", sk="1", price=3.0, exact=Decimal("1.10"), count=2, seen=seen, plan=Plan.PRO,
        labels={"a"}, address=Address("Oslo", "0150"),
    )
    call(item, mode, "save")
    stored = from_boto(boto_get(boto, table, {"pk": "i", "sk": "1"}))
    assert stored["address"] == {"city": "Oslo", "zip": "0150"} and stored["plan"] == "pro"
    assert stored["labels"] == {"a"} and stored["price"] == 3
    loaded = call(item_class, mode, "get", pk="i", sk="1")
    assert loaded == item
    # DynamoDB answers 3.0 as 3: the float field gets a float back, the Decimal one a Decimal.
    assert type(loaded.price) is float and type(loaded.exact) is Decimal and type(loaded.address) is Address
    with pytest.raises(TypeError, match=r"Item\.count"):
        call(item_class(pk="i", sk="2", count="two"), mode, "save")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Item\.count"):
        call(loaded, mode, "update", count=1.5)
    assert boto_get(boto, table, {"pk": "i", "sk": "2"}) is None
    call(loaded, mode, "update", atomic=[attr(item_class, "count").add(3)])
    assert loaded.count == 5 and from_boto(boto_get(boto, table, {"pk": "i", "sk": "1"}))["count"] == 5
    items, _ = collect(item_class, mode, "scan")
    assert items == [loaded]
    call(loaded, mode, "delete")
    assert boto_get(boto, table, {"pk": "i", "sk": "1"}) is None


def test_default_client_and_per_library_forms(make_table: Any, client: Any, boto: Any, mode: str) -> None:
    table = make_table(range_key=None)

    class Point(BaseModel):
        pk: str
        x: int

    @dataclass
    class Row:
        pk: str
        x: int = 0

    assert from_pydantic(Point, table, "pk") is Point
    assert from_dataclass(Row, table, hash_key="pk") is Row
    set_default_client(client)
    try:
        call(Point(pk="p", x=1), mode, "save")
        assert call(Row, mode, "get", pk="p") == Row(pk="p", x=1)
    finally:
        clear_default_client()
    assert pydantic_model(table=table, hash_key="pk", client=client)(type("Q", (BaseModel,), {"__annotations__": {"pk": str}})) is not None


def test_decorator_refuses_what_it_cannot_store() -> None:
    with pytest.raises(ValueError, match="hash_key 'id' not found"):

        @dynamodb_model(table="t", hash_key="id")
        @dataclass
        class NoKey:
            pk: str

    with pytest.raises(TypeError, match="must be a dataclass or a pydantic BaseModel"):

        @dynamodb_model(table="t", hash_key="pk")
        class Plain:
            pk: str

    with pytest.raises(TypeError, match="slots=True"):

        @dynamodb_model(table="t", hash_key="pk")
        @dataclass(slots=True)
        class Slotted:
            pk: str

    with pytest.raises(TypeError, match=r"ListKey\.pk: a hash_key must be"):

        @dynamodb_model(table="t", hash_key="pk")
        class ListKey(BaseModel):
            pk: list[str]

    with pytest.raises(TypeError, match="pydantic BaseModel subclass"):
        from_pydantic(Address, "t", "city")


def test_create_table_from_the_model_with_its_index(make_table: Any, client: Any, boto: Any, mode: str) -> None:
    from support import unique_name

    table = unique_name()
    users = pydantic_user(table, client)
    call(users, mode, "create_table", wait=True)
    try:
        described = boto.describe_table(TableName=table)["Table"]
        assert [g["IndexName"] for g in described["GlobalSecondaryIndexes"]] == ["by-email"]
        assert {a["AttributeName"]: a["AttributeType"] for a in described["AttributeDefinitions"]} == {
            "pk": "S", "sk": "S", "email": "S", "age": "N",
        }
    finally:
        boto.delete_table(TableName=table)


def test_import_pydynox_does_not_import_pydantic_or_dataclasses() -> None:
    code = "import sys, pydynox; print('pydantic' in sys.modules, 'dataclasses' in sys.modules, pydynox.dynamodb_model.__module__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False", "pydynox.integrations.functions"]


def test_cursors_resume_exactly(users: Any, mode: str) -> None:
    from pydynox import set_cursor_secret

    for n in range(5):
        users(pk="c", sk=f"s{n}").save()
    set_cursor_secret("integration-tests-secret-0123456789")
    try:
        first, result = to_list(users, mode, "query", hash_key="c", limit=2)
        assert [u.sk for u in first] == ["s0", "s1"] and isinstance(result.cursor, str)
        rest, _ = collect(users, mode, "query", hash_key="c", cursor=result.cursor)
        assert [u.sk for u in rest] == ["s2", "s3", "s4"]
        with pytest.raises(ValueError):
            collect(users, mode, "query", hash_key="other", cursor=result.cursor)  # another partition's cursor
    finally:
        set_cursor_secret(None)


def test_dataclass_index_declared_as_classvar(make_table: Any, client: Any, mode: str) -> None:
    table = make_table(gsis=GSIS)

    @dynamodb_model(table=table, hash_key="pk", range_key="sk", client=client)
    @dataclass
    class Member:
        pk: str
        sk: str
        email: str
        age: int = 0
        # @dataclass reads this before the class has its schema: the index rebinds after.
        by_email: ClassVar[GlobalSecondaryIndex[Any]] = GlobalSecondaryIndex(index_name="by-email", hash_key="email", range_key="age")

    for n in range(3):
        Member(pk=f"m{n}", sk="x", email="club@x", age=n).save()
    found, _ = collect(Member.by_email, mode, "query", email="club@x", range_key_condition=attr(Member, "age") >= 1)
    assert [(m.pk, m.age) for m in found] == [("m1", 1), ("m2", 2)]
    assert all(type(m) is Member for m in found)


def test_failed_write_leaves_the_instance_as_it_was(users: Any, boto: Any, mode: str) -> None:
    table = users.__pydynox_schema__.config.table
    user = users(pk="f", sk="a", age=1)
    call(user, mode, "save")
    with pytest.raises(ConditionalCheckFailedException):
        call(user, mode, "update", age=2, condition=attr(users, "age") == 99)
    assert user.age == 1 and from_boto(boto_get(boto, table, {"pk": "f", "sk": "a"}))["age"] == 1


def test_fields_stay_fields_on_the_class() -> None:
    """The decorator leaves class attributes alone: pydantic subclasses and `model_rebuild`
    still see the field defaults, as does a dataclass."""

    @dynamodb_model(table="t", hash_key="pk")
    class Base(BaseModel):
        pk: str
        age: int = 3

    class Child(Base):
        extra: str = "x"

    assert Child(pk="p").age == 3
    Base.model_rebuild(force=True)
    assert Base(pk="p").age == 3 and attr(Base, "age").attr_name == "age"

    @dynamodb_model(table="t", hash_key="pk")
    @dataclass
    class Row:
        pk: str
        age: int = 3

    assert Row.age == 3
    with pytest.raises(AttributeError, match="no field 'nope'"):
        attr(Row, "nope")


def test_hooks_run_as_on_a_model(make_table: Any, client: Any, boto: Any, mode: str) -> None:
    from pydynox.hooks import after_load, before_save

    table = make_table(range_key=None)

    @dynamodb_model(table=table, hash_key="pk", client=client)
    @dataclass
    class Note:
        pk: str
        text: str = ""
        loaded: bool = False

        @before_save
        def trim(self) -> None:
            self.text = self.text.strip()

        @after_load
        def mark(self) -> None:
            self.loaded = True

    call(Note(pk="n", text="  hi  "), mode, "save")
    assert from_boto(boto_get(boto, table, {"pk": "n"}))["text"] == "hi"
    assert call(Note, mode, "get", pk="n").loaded is True
    call(Note(pk="m", text=" x "), mode, "save", skip_hooks=True)
    assert from_boto(boto_get(boto, table, {"pk": "m"}))["text"] == " x "


def test_without_pydantic_dataclasses_still_work_and_pydantic_names_say_what_is_missing() -> None:
    code = """
import sys
sys.modules["pydantic"] = None  # as if pydantic were not installed
from dataclasses import dataclass
from pydynox import dynamodb_model
from pydynox.integrations import pydantic as integration

@dynamodb_model(table="t", hash_key="pk")
@dataclass
class Row:
    pk: str

try:
    integration.dynamodb_model(table="t", hash_key="pk")
except ImportError as error:
    print("pydynox[pydantic]" in str(error))
try:
    dynamodb_model(table="t", hash_key="pk")(type("Plain", (), {}))
except TypeError as error:
    print("must be a dataclass or a pydantic BaseModel" in str(error))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", "True"]
