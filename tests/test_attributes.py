"""Attributes: descriptors, checks, conversion, defaults, AutoGenerate, and what each
attribute's serialized value becomes in DynamoDB (read back raw with boto3).
"""

from __future__ import annotations

import enum
import re
import time
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from pydynox.attributes import (
    Attribute,
    BinaryAttribute,
    BinarySetAttribute,
    BooleanAttribute,
    DatetimeAttribute,
    EnumAttribute,
    ExpiresIn,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    NumberSetAttribute,
    StringAttribute,
    StringSetAttribute,
    TTLAttribute,
    VersionAttribute,
)
from pydynox.generators import AutoGenerate, generate_value, is_auto_generate

from support import boto_get_raw, boto_put_raw, call


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Level(enum.Enum):
    LOW = 1
    HIGH = 2


class Thing:
    """A plain class holding attributes, as a model does (no Model needed here)."""

    pk = StringAttribute(hash_key=True)
    sk = NumberAttribute(range_key=True)
    title = StringAttribute(null=False)
    age = NumberAttribute(default=0)
    data = BinaryAttribute()
    active = BooleanAttribute()
    items = ListAttribute(default=[])
    address = MapAttribute(default=dict)
    tags = StringSetAttribute()
    scores = NumberSetAttribute()
    blobs = BinarySetAttribute()
    doc = JSONAttribute()
    created = DatetimeAttribute()
    color = EnumAttribute(Color, default=Color.RED)
    level = EnumAttribute(Level)
    expires = TTLAttribute()
    version = VersionAttribute()
    renamed = StringAttribute(name="stored-name")
    ident = StringAttribute(default=AutoGenerate.ULID)


# --- the descriptor ------------------------------------------------------------------------


def test_class_access_gives_the_attribute_and_instance_access_the_value() -> None:
    assert isinstance(Thing.title, StringAttribute)
    thing = Thing()
    assert thing.title is None  # nothing stored yet
    thing.title = "hello"
    assert thing.title == "hello"
    assert thing.__dict__ == {"title": "hello"}  # values live in the instance dict


def test_set_name_gives_python_name_stored_name_and_model_name() -> None:
    assert (Thing.title.attr_name, Thing.title.name, Thing.title.model_name) == ("title", "title", "Thing")
    assert (Thing.renamed.attr_name, Thing.renamed.name) == ("renamed", "stored-name")
    assert Thing.title.qualified_name == "Thing.title"


def test_key_flags_and_key_types() -> None:
    assert Thing.pk.hash_key and not Thing.pk.range_key
    assert Thing.sk.range_key and not Thing.sk.hash_key
    expected = {
        "pk": "S", "sk": "N", "title": "S", "data": "B", "active": None, "items": None, "address": None,
        "tags": None, "scores": None, "blobs": None, "doc": None, "created": "S", "color": "S", "level": "N",
        "expires": "N", "version": "N",
    }  # fmt: skip
    assert {name: getattr(Thing, name).key_type for name in expected} == expected


@pytest.mark.parametrize(
    "make",
    [
        lambda: BooleanAttribute(hash_key=True),
        lambda: ListAttribute(range_key=True),
        lambda: MapAttribute(hash_key=True),
        lambda: StringSetAttribute(hash_key=True),
    ],
)
def test_attributes_that_cannot_be_keys_refuse_key_flags(make: Any) -> None:
    with pytest.raises(TypeError, match="cannot be a key"):
        make()


def test_hash_and_range_together_is_refused() -> None:
    with pytest.raises(ValueError, match="either hash_key or range_key"):
        StringAttribute(hash_key=True, range_key=True)


def test_required_follows_keys_and_null() -> None:
    assert Thing.pk.required and Thing.sk.required and Thing.title.required
    assert not Thing.age.required and not Thing.version.required


def test_converts_flags() -> None:
    plain = [Thing.pk, Thing.age, Thing.data, Thing.active, Thing.items, Thing.address, Thing.tags, Thing.scores,
             Thing.blobs, Thing.version]  # fmt: skip
    converting = [Thing.doc, Thing.created, Thing.color, Thing.level, Thing.expires]
    assert [a.converts for a in plain] == [False] * len(plain)
    assert [a.converts for a in converting] == [True] * len(converting)


def test_attributes_compare_by_identity_and_hash() -> None:
    # Models keep attributes in lists and dicts: == between attributes is never a condition.
    assert Thing.pk == Thing.pk
    assert Thing.pk != Thing.title
    assert Thing.title in [Thing.pk, Thing.title]
    assert {Thing.pk: 1, Thing.title: 2}[Thing.title] == 2


def test_repr_names_the_attribute() -> None:
    assert repr(Thing.pk) == "<StringAttribute Thing.pk hash_key>"


# --- defaults ---------------------------------------------------------------------------------


def test_make_default_copies_mutable_values_and_calls_callables() -> None:
    first, second = Thing.items.make_default(), Thing.items.make_default()
    assert first == [] and first is not second
    assert Thing.address.make_default() == {}
    assert Thing.age.make_default() == 0
    assert Thing.color.make_default() is Color.RED
    assert Thing.title.make_default() is None
    assert Thing.age.has_default and not Thing.title.has_default


def test_a_literal_default_of_the_wrong_type_fails_at_declaration() -> None:
    with pytest.raises(TypeError, match=r"NumberAttribute\(default=\.\.\.\): expected a number, got 'x'"):
        NumberAttribute(default="x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"EnumAttribute\(default=\.\.\.\): expected a Color member, got 'red'"):
        EnumAttribute(Color, default="red")  # type: ignore[arg-type]


def test_auto_generate_default_is_not_a_literal_default() -> None:
    assert Thing.ident.auto_generate is AutoGenerate.ULID
    assert not Thing.ident.has_default
    assert Thing.ident.make_default() is None
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", Thing.ident.generate())
    with pytest.raises(ValueError, match="Thing.title: has no AutoGenerate default"):
        Thing.title.generate()


def test_each_attribute_takes_only_the_strategies_it_can_hold() -> None:
    assert NumberAttribute(default=AutoGenerate.EPOCH_MS).auto_generate is AutoGenerate.EPOCH_MS
    with pytest.raises(TypeError, match=r"NumberAttribute cannot hold AutoGenerate\.UUID4 values \(it takes: "
                                        r"AutoGenerate\.EPOCH, AutoGenerate\.EPOCH_MS\)"):
        NumberAttribute(default=AutoGenerate.UUID4)
    with pytest.raises(TypeError, match=r"StringAttribute cannot hold AutoGenerate\.EPOCH values"):
        StringAttribute(default=AutoGenerate.EPOCH)
    with pytest.raises(TypeError, match=r"ListAttribute cannot hold AutoGenerate\.ULID values \(it takes: none\)"):
        ListAttribute(default=AutoGenerate.ULID)


def test_generated_values_have_the_attribute_type() -> None:
    class Stamped:
        at = DatetimeAttribute(default=AutoGenerate.ISO8601)
        text = StringAttribute(default=AutoGenerate.ISO8601)
        epoch = NumberAttribute(default=AutoGenerate.EPOCH)

    moment = Stamped.at.generate()
    assert isinstance(moment, datetime) and moment.tzinfo is not None and moment.microsecond == 0
    assert abs(moment - datetime.now(timezone.utc)) < timedelta(seconds=5)
    Stamped.at.validate(moment, "Stamped")
    Stamped.text.validate(Stamped.text.generate(), "Stamped")
    Stamped.epoch.validate(Stamped.epoch.generate(), "Stamped")


def test_generators_give_the_documented_forms() -> None:
    before = time.time()
    generated = generate_value(AutoGenerate.UUID4)
    assert str(uuid.UUID(generated)) == generated
    assert uuid.UUID(generate_value(AutoGenerate.UUID4)).version == 4
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", generate_value(AutoGenerate.ULID))
    assert re.fullmatch(r"[0-9A-Za-z]{27}", generate_value(AutoGenerate.KSUID))
    epoch = generate_value(AutoGenerate.EPOCH)
    epoch_ms = generate_value(AutoGenerate.EPOCH_MS)
    assert isinstance(epoch, int) and int(before) <= epoch <= time.time()
    assert isinstance(epoch_ms, int) and int(before * 1000) <= epoch_ms <= time.time() * 1000
    iso = generate_value(AutoGenerate.ISO8601)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", iso)
    assert abs(datetime.fromisoformat(iso).timestamp() - before) < 5


def test_generated_identifiers_are_unique_and_ulids_sort_by_time() -> None:
    ulids = [generate_value(AutoGenerate.ULID) for _ in range(200)]
    assert len(set(ulids)) == 200
    earlier = generate_value(AutoGenerate.ULID)
    time.sleep(0.002)
    assert generate_value(AutoGenerate.ULID) > earlier
    assert len({generate_value(AutoGenerate.KSUID) for _ in range(200)}) == 200


def test_is_auto_generate_and_bad_strategy() -> None:
    assert is_auto_generate(AutoGenerate.EPOCH)
    assert not is_auto_generate("uuid4")
    with pytest.raises(TypeError, match="AutoGenerate member"):
        generate_value("uuid4")  # type: ignore[arg-type]


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attribute", "value", "message"),
    [
        ("title", 3, r"Thing\.title: expected a string, got 3 \(int\)"),
        ("age", "x", r"Thing\.age: expected a number, got 'x' \(str\)"),
        ("age", True, r"Thing\.age: expected a number, got True \(bool\)"),
        ("data", "text", r"Thing\.data: expected bytes"),
        ("active", 1, r"Thing\.active: expected a bool, got 1"),
        ("items", {"a": 1}, r"Thing\.items: expected a list"),
        ("address", ["a"], r"Thing\.address: expected a dict"),
        ("address", {1: "a"}, r"Thing\.address: map keys must be strings, got 1"),
        ("tags", "abc", r"Thing\.tags: expected a set of strings"),
        ("tags", {"a", 1}, r"Thing\.tags: every element must be a string, got 1"),
        ("scores", {1, "2"}, r"Thing\.scores: every element must be a finite number, got '2'"),
        ("scores", {True}, r"Thing\.scores: every element must be a finite number, got True"),
        ("blobs", {"a"}, r"Thing\.blobs: every element must be bytes, got 'a'"),
        ("doc", {"a": object()}, r"Thing\.doc: expected a JSON-serializable value"),
        ("created", "2024-01-01", r"Thing\.created: expected a datetime, got '2024-01-01'"),
        ("color", "red", r"Thing\.color: expected a Color member, got 'red'"),
        ("expires", 1700000000, r"Thing\.expires: expected a datetime, got 1700000000"),
        ("version", 1.5, r"Thing\.version: expected an int, got 1.5"),
    ],
)
def test_validate_rejects_wrong_types_naming_model_and_attribute(attribute: str, value: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        getattr(Thing, attribute).validate(value, "Thing")


@pytest.mark.parametrize(
    ("attribute", "value", "message"),
    [
        ("age", float("nan"), r"Thing\.age: DynamoDB cannot store nan"),
        ("age", Decimal("Infinity"), r"Thing\.age: DynamoDB cannot store"),
        ("pk", "", r"Thing\.pk: a key attribute cannot be an empty string"),
        ("pk", None, r"Thing\.pk: is a required key attribute and has no value"),
        ("title", None, r"Thing\.title: is a required attribute \(null=False\) and has no value"),
    ],
)
def test_validate_rejects_bad_values(attribute: str, value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        getattr(Thing, attribute).validate(value, "Thing")


def test_a_required_set_cannot_be_empty() -> None:
    required = StringSetAttribute(null=False)
    required.validate({"a"}, "Thing")
    with pytest.raises(ValueError, match=r"Thing\.\?: is required \(null=False\), and DynamoDB cannot store an empty set"):
        required.validate(set(), "Thing")
    Thing.tags.validate(set(), "Thing")  # optional: an empty set is simply not stored


def test_validate_uses_the_given_model_name() -> None:
    # A subclass of a model shares the parent's attribute objects: the caller names the model.
    with pytest.raises(TypeError, match=r"^Admin\.age: expected a number"):
        Thing.age.validate("x", "Admin")


@pytest.mark.parametrize(
    ("attribute", "value"),
    [
        ("title", "t"), ("title", ""), ("age", 3), ("age", 2.5), ("age", Decimal("1.10")), ("age", 10**40),
        ("data", b"\x00"), ("data", bytearray(b"x")), ("active", False), ("items", [1, "a", None]),
        ("items", (1, 2)), ("address", {"a": {"b": [1]}}), ("tags", {"a"}), ("tags", ["a", "b"]),
        ("scores", {1, 2.5, Decimal("3")}), ("blobs", {b"a"}), ("doc", {"a": [1, None]}), ("doc", [1, 2]),
        ("created", datetime(2024, 1, 1)), ("color", Color.BLUE), ("level", Level.LOW),
        ("expires", datetime.now(timezone.utc)), ("version", 3), ("age", None), ("tags", None),
    ],
)  # fmt: skip
def test_validate_accepts_good_values(attribute: str, value: Any) -> None:
    getattr(Thing, attribute).validate(value, "Thing")


# --- conversion ---------------------------------------------------------------------------------


def test_plain_attributes_serialize_to_themselves() -> None:
    for attribute, value in [(Thing.title, "t"), (Thing.age, Decimal("1.5")), (Thing.age, 7), (Thing.active, True),
                             (Thing.items, [1]), (Thing.address, {"a": 1}), (Thing.data, b"x")]:  # fmt: skip
        assert attribute.serialize(value) is value
        assert attribute.deserialize(value) is value
    assert Thing.data.serialize(bytearray(b"ab")) == b"ab"
    assert Thing.items.serialize((1, 2)) == [1, 2]


def test_sets_serialize_to_sets_and_empty_sets_to_none() -> None:
    assert Thing.tags.serialize(["a", "b", "a"]) == {"a", "b"}
    assert Thing.tags.serialize(frozenset({"a"})) == frozenset({"a"})
    assert Thing.tags.serialize(set()) is None  # DynamoDB has no empty set
    assert Thing.scores.serialize([]) is None


def test_converting_attributes_round_trip() -> None:
    moment = datetime(2024, 1, 15, 10, 30, tzinfo=timezone(timedelta(hours=2)))
    assert Thing.created.serialize(moment) == "2024-01-15T08:30:00+00:00"  # stored in UTC
    assert Thing.created.deserialize("2024-01-15T08:30:00+00:00") == moment
    assert Thing.created.serialize(datetime(2024, 1, 15, 10, 30)) == "2024-01-15T10:30:00+00:00"  # naive is UTC
    assert Thing.created.deserialize("2024-01-15T10:30:00").tzinfo is not None
    assert Thing.doc.serialize({"a": [1, 2]}) == '{"a":[1,2]}'
    assert Thing.doc.deserialize('{"a":[1,2]}') == {"a": [1, 2]}
    assert Thing.color.serialize(Color.BLUE) == "blue"
    assert Thing.color.deserialize("blue") is Color.BLUE
    assert Thing.level.serialize(Level.HIGH) == 2
    assert Thing.level.deserialize(2) is Level.HIGH
    assert Thing.expires.serialize(datetime(2024, 1, 1, tzinfo=timezone.utc)) == 1704067200
    assert Thing.expires.deserialize(1704067200) == datetime(2024, 1, 1, tzinfo=timezone.utc)
    for attribute in (Thing.created, Thing.doc, Thing.color, Thing.expires):
        assert attribute.serialize(None) is None and attribute.deserialize(None) is None


def test_enum_attribute_needs_an_enum_of_one_value_kind() -> None:
    class Mixed(enum.Enum):
        A = "a"
        B = 2

    with pytest.raises(TypeError, match="all strings or all numbers"):
        EnumAttribute(Mixed)
    with pytest.raises(TypeError, match="must be an Enum class"):
        EnumAttribute(str)  # type: ignore[type-var]
    with pytest.raises(ValueError, match=r"Thing\.color: stored value 'green' is not a Color"):
        Thing.color.deserialize("green")


def test_json_rejects_nan_when_serializing() -> None:
    with pytest.raises(TypeError, match=r"Thing\.doc"):
        Thing.doc.serialize({"x": float("nan")})


def test_expires_in_helpers_count_from_now() -> None:
    now = datetime.now(timezone.utc)
    cases = {
        ExpiresIn.seconds(30): timedelta(seconds=30),
        ExpiresIn.minutes(5): timedelta(minutes=5),
        ExpiresIn.hours(2): timedelta(hours=2),
        ExpiresIn.days(3): timedelta(days=3),
        ExpiresIn.weeks(1): timedelta(weeks=1),
    }
    for moment, delta in cases.items():
        assert moment.tzinfo is not None
        assert abs((moment - now) - delta) < timedelta(seconds=2)


def test_version_attribute_takes_only_a_stored_name() -> None:
    assert VersionAttribute(name="v").name == "v"
    with pytest.raises(TypeError):
        VersionAttribute(hash_key=True)  # type: ignore[call-arg]


def test_unbound_attribute_cannot_build_conditions() -> None:
    with pytest.raises(TypeError, match="declare the attribute on a model class"):
        StringAttribute() == "x"  # noqa: B015


# --- what DynamoDB stores ---------------------------------------------------------------------------

WIRE_CASES: list[tuple[str, Any, dict[str, Any]]] = [
    ("title", "hello", {"S": "hello"}),
    ("age", 10**30, {"N": "1000000000000000000000000000000"}),
    ("age", Decimal("0.10"), {"N": "0.10"}),
    ("data", b"\x00\xff", {"B": b"\x00\xff"}),
    ("active", True, {"BOOL": True}),
    ("items", [1, "a"], {"L": [{"N": "1"}, {"S": "a"}]}),
    ("address", {"city": "Lisbon"}, {"M": {"city": {"S": "Lisbon"}}}),
    ("tags", {"a", "b"}, {"SS": ["a", "b"]}),
    ("scores", {1, 2}, {"NS": ["1", "2"]}),
    ("blobs", {b"x", b"y"}, {"BS": [b"x", b"y"]}),
    ("doc", {"k": [1, None]}, {"S": '{"k":[1,null]}'}),
    ("created", datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc), {"S": "2024-05-01T12:00:00+00:00"}),
    ("color", Color.RED, {"S": "red"}),
    ("level", Level.HIGH, {"N": "2"}),
    ("expires", datetime(2024, 1, 1, tzinfo=timezone.utc), {"N": "1704067200"}),
    ("version", 4, {"N": "4"}),
]


def _normalize(wire: dict[str, Any]) -> dict[str, Any]:
    """Sets come back from boto3 in no particular order; bytes as bytes."""
    (kind, value), = wire.items()
    if kind in ("SS", "NS", "BS"):
        return {kind: sorted(value)}
    return wire


@pytest.mark.parametrize(("attribute", "value", "wire"), WIRE_CASES, ids=[c[0] + "-" + type(c[1]).__name__ for c in WIRE_CASES])
def test_serialized_values_are_stored_with_the_right_dynamodb_type(
    client: Any, boto: Any, table: str, mode: str, attribute: str, value: Any, wire: dict[str, Any]
) -> None:
    attr: Attribute[Any] = getattr(Thing, attribute)
    key = {"pk": "wire", "sk": attribute}

    call(client, mode, "put_item", table, {**key, attr.name: attr.serialize(value)})

    raw = boto_get_raw(boto, table, key)
    assert raw is not None
    assert _normalize(raw[attr.name]) == _normalize(wire)


@pytest.mark.parametrize(("attribute", "value", "wire"), WIRE_CASES, ids=[c[0] + "-" + type(c[1]).__name__ for c in WIRE_CASES])
def test_stored_values_deserialize_to_the_python_value(
    exact_client: Any, boto: Any, table: str, mode: str, attribute: str, value: Any, wire: dict[str, Any]
) -> None:
    """boto3 writes the wire form; the client (exact numbers, so Decimal stays Decimal)
    reads it; deserialize gives back the value."""
    attr: Attribute[Any] = getattr(Thing, attribute)
    key = {"pk": {"S": "wire"}, "sk": {"S": attribute}}
    boto_put_raw(boto, table, {**key, attr.name: wire})

    item = call(exact_client, mode, "get_item", table, {"pk": "wire", "sk": attribute})

    assert attr.deserialize(item[attr.name]) == value
    if not attr.converts:
        # The fast path: what the client returns is already the Python value.
        assert item[attr.name] == value


def test_stored_name_differs_from_python_name(client: Any, boto: Any, table: str) -> None:
    client.put_item(table, {"pk": "p", "sk": "s", Thing.renamed.name: "v"})
    raw = boto_get_raw(boto, table, {"pk": "p", "sk": "s"})
    assert raw is not None and raw["stored-name"] == {"S": "v"} and "renamed" not in raw


# --- what type checkers see ---------------------------------------------------------------------------

TYPED_EXAMPLE = '''
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, assert_type

from pydynox.atomic import AtomicAdd
from pydynox.attributes import (
    DatetimeAttribute, EnumAttribute, ListAttribute, NumberAttribute, StringAttribute, StringSetAttribute,
)
from pydynox.conditions import ConditionAnd, ConditionComparison


class Color(enum.Enum):
    RED = "r"


class User:
    email = StringAttribute(hash_key=True)
    age = NumberAttribute()
    color = EnumAttribute(Color)
    tags = StringSetAttribute()
    created = DatetimeAttribute()
    history = ListAttribute()


user = User()
assert_type(user.email, str)
assert_type(user.age, float)
assert_type(user.color, Color)
assert_type(user.tags, set[str])
assert_type(user.created, datetime)
assert_type(user.history, list[Any])
assert_type(User.email, StringAttribute)
assert_type(User.color, EnumAttribute[Color])
assert_type(User.age == 3, ConditionComparison)
assert_type((User.age > 3) & User.email.begins_with("a"), ConditionAnd)
assert_type(User.age.add(1), AtomicAdd)
assert_type(User.age == User.age, bool)
user.email = "ada"
user.age = 3
user.tags = {"a"}
user.email = 3  # the one expected error
'''


def _run_checker(command: list[str], cwd: Any) -> str:
    import subprocess

    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)
    return done.stdout + done.stderr


def test_type_checkers_see_values_on_instances_and_attributes_on_the_class(tmp_path: Any) -> None:
    import json
    import shutil
    import sys
    from pathlib import Path

    python_dir = str(Path(__file__).resolve().parent.parent / "python")
    (tmp_path / "example.py").write_text(TYPED_EXAMPLE)
    line = TYPED_EXAMPLE.splitlines().index("user.email = 3  # the one expected error") + 1

    mypy = _run_checker(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / ".mypy"), "example.py"], tmp_path
    )
    assert f"example.py:{line}: error: Incompatible types in assignment" in mypy, mypy
    assert "Found 1 error in 1 file" in mypy, mypy

    pyright = shutil.which("pyright", path=str(Path(sys.executable).parent))
    if pyright is None:
        pytest.skip("pyright is not installed in this environment")
    (tmp_path / "pyrightconfig.json").write_text(json.dumps({"extraPaths": [python_dir], "pythonVersion": "3.11"}))
    output = _run_checker([pyright, "example.py"], tmp_path)
    assert f"example.py:{line}:" in output and "1 error," in output, output
