"""Sans-I/O tests of the model cores (ADR 5): plans are inspected, answers are made up,
nothing reaches a server. Behaviour through both twins is in test_model_ops.py."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import Any

import pytest

from pydynox import DynamoDBClient
from pydynox._model import core
from pydynox._model.reads import trim_item
from pydynox._model.cursor import set_cursor_secret
from pydynox.attributes import (
    DatetimeAttribute,
    EnumAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    StringAttribute,
    StringSetAttribute,
    TTLAttribute,
    VersionAttribute,
)
from pydynox.config import ModelConfig, clear_default_client, get_default_client, set_default_client
from pydynox.exceptions import InvalidCursorError, ItemTooLargeException
from pydynox.generators import AutoGenerate
from pydynox.hooks import after_load, after_save, before_delete, before_save, before_update
from pydynox.indexes import GlobalSecondaryIndex, LocalSecondaryIndex
from pydynox.model import Model
from pydynox.size import item_size, value_size

SECRET = "a-test-secret-that-is-long-enough"
# Constructing a client sends nothing; these tests never call it.
CLIENT = DynamoDBClient(endpoint_url="http://127.0.0.1:9", region="us-east-1")


class Color(Enum):
    RED = "red"
    BLUE = "blue"


class User(Model):
    model_config = ModelConfig(table="users", client=CLIENT, cursor_secret=SECRET)
    pk: str = StringAttribute(hash_key=True)
    sk: str = StringAttribute(range_key=True)
    email: str | None = StringAttribute()
    age: float | None = NumberAttribute(default=0)
    tags = StringSetAttribute()
    address = MapAttribute()
    born = DatetimeAttribute()
    color = EnumAttribute(Color)
    version = VersionAttribute()

    by_email = GlobalSecondaryIndex(index_name="email-index", hash_key="email", range_key="age")
    by_age = LocalSecondaryIndex(index_name="age-index", range_key="age", projection="KEYS_ONLY")


class Renamed(Model):
    model_config = ModelConfig(table="renamed", client=CLIENT)
    pk = StringAttribute(hash_key=True, name="PK")
    body = JSONAttribute(name="b")
    items = ListAttribute()


# --- config and client ----------------------------------------------------------------------


def test_model_without_any_client_raises_before_sending() -> None:
    class Lonely(Model):
        model_config = ModelConfig(table="lonely")
        pk = StringAttribute(hash_key=True)

    clear_default_client()
    with pytest.raises(ValueError, match=r"Lonely: no DynamoDB client.*set_default_client"):
        core.plan_save(Lonely(pk="a"))
    with pytest.raises(ValueError, match="Lonely: no DynamoDB client"):
        core.plan_get(Lonely, pk="a")
    with pytest.raises(ValueError, match="Lonely: no DynamoDB client"):
        core.plan_query(Lonely, hash_key="a")


def test_default_client_is_used_when_the_model_has_none() -> None:
    class Shared(Model):
        model_config = ModelConfig(table="shared")
        pk = StringAttribute(hash_key=True)

    other = DynamoDBClient(endpoint_url="http://127.0.0.1:9", region="us-east-1")
    set_default_client(other)
    try:
        assert get_default_client() is other
        assert core.plan_save(Shared(pk="a")).client is other
        assert core.plan_save(User(pk="a", sk="b")).client is CLIENT  # its own wins
    finally:
        clear_default_client()


def test_a_callers_client_stands_in_for_a_model_without_one() -> None:
    # What a transaction or a batch writer passes: the client that sends the write.
    class Lonely(Model):
        model_config = ModelConfig(table="lonely")
        pk = StringAttribute(hash_key=True)
        n = NumberAttribute()

    clear_default_client()
    other = DynamoDBClient(endpoint_url="http://127.0.0.1:9", region="us-east-1")
    assert core.plan_save(Lonely(pk="a"), client=other).client is other
    assert core.plan_delete(Lonely(pk="a"), client=other).client is other
    assert core.plan_update(Lonely(pk="a"), other, n=1).client is other
    assert core.plan_save(User(pk="a", sk="b"), client=other).client is CLIENT  # its own wins
    assert core.plan_update(User(pk="a", sk="b"), other, age=3).client is CLIENT
    assert get_default_client() is None


def test_model_config_checks_its_fields() -> None:
    with pytest.raises(ValueError, match="table"):
        ModelConfig(table="")
    with pytest.raises(ValueError, match="max_size"):
        ModelConfig(table="t", max_size=0)
    config = ModelConfig(table="t", hot_partition_writes=10)  # 0.21.0's fields are accepted
    assert config.consistent_read is False and config.skip_hooks is False


# --- construction and conversion -------------------------------------------------------------


def test_missing_required_attribute_names_model_and_attribute() -> None:
    with pytest.raises(ValueError, match=r"User\.sk: is a required key attribute"):
        User(pk="a")


def test_wrong_type_names_model_and_attribute() -> None:
    with pytest.raises(TypeError, match=r"User\.age: expected a number"):
        User(pk="a", sk="b", age="old")


def test_unknown_attribute_is_rejected() -> None:
    with pytest.raises(TypeError, match=r"User: no attribute 'nope'"):
        User(pk="a", sk="b", nope=1)


def test_defaults_are_applied_and_mutable_defaults_not_shared() -> None:
    class WithList(Model):
        model_config = ModelConfig(table="t", client=CLIENT)
        pk = StringAttribute(hash_key=True)
        items = ListAttribute(default=[])

    a, b = WithList(pk="a"), WithList(pk="b")
    a.items.append(1)
    assert b.items == []
    assert User(pk="a", sk="b").age == 0


def test_to_dict_and_from_dict_round_trip() -> None:
    born = datetime(2000, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    user = User(pk="a", sk="b", email="e@x", tags={"x"}, born=born, color=Color.RED)
    stored = user.to_dict()
    assert stored["born"] != born and isinstance(stored["born"], str)  # converted
    assert stored["color"] == "red"
    assert "address" not in stored  # None is not stored
    again = User.from_dict(stored)
    assert again == user
    assert again.born == born and again.color is Color.RED


def test_from_dict_copies_plain_values_and_converts_only_converting_ones() -> None:
    calls: list[Any] = []
    attr = User._schema.attributes["born"]
    original = attr.deserialize

    def spy(value: Any) -> Any:
        calls.append(value)
        return original(value)

    User._schema._converters = tuple((n, spy if n == "born" else d) for n, d in User._schema._converters)
    User._schema.load = User._schema._make_loader()
    try:
        user = User.from_dict({"pk": "a", "sk": "b", "age": 3, "born": "2000-01-02T03:04:05+00:00", "extra": 1})
    finally:
        User._schema._finish()
    assert calls == ["2000-01-02T03:04:05+00:00"]
    assert user.age == 3 and user.email is None
    assert "extra" not in vars(user)  # undeclared attributes are dropped


def test_renamed_attributes_load_and_dump_by_stored_name() -> None:
    item = Renamed(pk="a", body={"k": [1]}, items=[1, 2])
    stored = item.to_dict()
    assert set(stored) == {"PK", "b", "items"} and stored["PK"] == "a"
    loaded = Renamed.from_dict(item.to_dict())
    assert loaded.pk == "a" and loaded.body == {"k": [1]} and loaded.items == [1, 2]


def test_repr_and_eq() -> None:
    a = User(pk="a", sk="b")
    assert repr(a).startswith("User(pk='a', sk='b'")
    assert a == User(pk="a", sk="b")
    assert a != User(pk="a", sk="c")


# --- save ------------------------------------------------------------------------------------


def test_plan_save_builds_a_put_with_version_condition_and_changes_nothing() -> None:
    user = User(pk="a", sk="b", email="e@x")
    plan = core.plan_save(user)
    args = plan.args
    assert args["table"] == "users"
    assert args["item"]["version"] == 1 and args["item"]["email"] == "e@x"
    assert args["condition_expression"] == "attribute_not_exists(#n0)"
    assert args["expression_attribute_names"] == {"#n0": "version"}
    assert user.version is None  # bumped only in finish
    core.finish_save(plan, None)
    assert user.version == 1

    plan = core.plan_save(user, condition=User.email.exists())
    assert plan.args["item"]["version"] == 2
    text = plan.args["condition_expression"]
    assert text == "(attribute_exists(#n1)) AND (#n0 = :v0)"
    assert plan.args["expression_attribute_values"] == {":v0": 1}


def test_auto_generated_values_reach_the_instance_only_on_success() -> None:
    class Order(Model):
        model_config = ModelConfig(table="orders", client=CLIENT)
        pk = StringAttribute(hash_key=True, default=AutoGenerate.ULID)
        at = NumberAttribute(default=AutoGenerate.EPOCH)

    order = Order()
    plan = core.plan_save(order)
    assert len(plan.args["item"]["pk"]) == 26 and isinstance(plan.args["item"]["at"], int)
    assert order.pk is None
    core.finish_save(plan, None)
    assert order.pk == plan.args["item"]["pk"]


def test_size_check_raises_before_sending() -> None:
    class Small(Model):
        model_config = ModelConfig(table="small", client=CLIENT, max_size=100)
        pk = StringAttribute(hash_key=True)
        body = StringAttribute()

    core.plan_save(Small(pk="a", body="x" * 50))
    with pytest.raises(ItemTooLargeException) as info:
        core.plan_save(Small(pk="a", body="x" * 200))
    assert info.value.max_size == 100 and info.value.size > 200
    assert info.value.item_key == {"pk": "a"}
    assert Small(pk="a", body="x" * 10).calculate_size().bytes == 2 + 1 + 4 + 10


def test_item_sizes_follow_dynamodb_rules() -> None:
    assert value_size("héllo") == 6
    assert value_size(True) == 1 and value_size(None) == 1
    assert value_size(b"abc") == 3
    assert value_size(12345) == 4 and value_size(Decimal("0.001")) == 2
    assert value_size({"a", "bc"}) == 3
    assert value_size([1, "ab"]) == 3 + (2 + 1) + (2 + 1)
    assert value_size({"k": "v"}) == 3 + 1 + 1 + 1
    detailed = item_size({"pk": "a", "n": 1}, detailed=True)
    assert detailed.fields == {"pk": 3, "n": 3} and detailed.bytes == 6
    assert not detailed.is_over_limit


# --- hooks ---------------------------------------------------------------------------------------


class Hooked(Model):
    model_config = ModelConfig(table="hooked", client=CLIENT)
    pk = StringAttribute(hash_key=True)
    name = StringAttribute()

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.__dict__["events"] = []

    @before_save
    def _normalize(self) -> None:
        self.name = (self.name or "").lower()
        self.events.append("before_save")

    @after_save
    def _saved(self) -> None:
        self.events.append("after_save")

    @before_delete
    def _deleting(self) -> None:
        self.events.append("before_delete")

    @before_update
    def _updating(self) -> None:
        self.events.append("before_update")

    @after_load
    def _loaded(self) -> None:
        self.__dict__["loaded"] = True


def test_hooks_run_around_the_call_and_can_be_skipped() -> None:
    item = Hooked(pk="a", name="ADA")
    plan = core.plan_save(item)
    assert plan.args["item"]["name"] == "ada"
    assert item.events == ["before_save"]
    core.finish_save(plan, None)
    assert item.events == ["before_save", "after_save"]

    item.events.clear()
    core.finish_save(core.plan_save(item, skip_hooks=True), None)
    assert item.events == []

    core.plan_delete(item)
    core.plan_update(item, name="x")
    assert item.events == ["before_delete", "before_update"]


def test_after_load_runs_on_loaded_models_not_dicts() -> None:
    plan = core.plan_get(Hooked, pk="a")
    loaded = core.load_item(plan, {"pk": "a", "name": "n"})
    assert loaded.loaded is True
    plan = core.plan_get(Hooked, as_dict=True, pk="a")
    assert core.load_item(plan, {"pk": "a"}) == {"pk": "a"}


def test_a_failing_before_hook_cancels_the_call() -> None:
    class Strict(Model):
        model_config = ModelConfig(table="strict", client=CLIENT)
        pk = StringAttribute(hash_key=True)

        @before_save
        def _refuse(self) -> None:
            raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        core.plan_save(Strict(pk="a"))


# --- update / delete ----------------------------------------------------------------------------


def test_plan_update_sets_values_and_applies_them_only_in_finish() -> None:
    user = User(pk="a", sk="b", version=3)
    plan = core.plan_update(user, atomic=[User.age.add(1)], email="new@x")
    args = plan.args
    assert args["key"] == {"pk": "a", "sk": "b"}
    assert args["update_expression"].startswith("SET ")
    assert "ADD" in args["update_expression"]
    assert 4 in args["expression_attribute_values"].values()  # the new version
    assert user.email is None and user.version == 3
    core.finish_update(plan, None)
    assert user.email == "new@x" and user.version == 4


def test_update_rejects_keys_unknown_and_empty() -> None:
    user = User(pk="a", sk="b")
    with pytest.raises(ValueError, match="key attribute"):
        core.plan_update(user, pk="z")
    with pytest.raises(ValueError, match="no attribute 'nope'"):  # as pydynox 0.21.0
        core.plan_update(user, nope=1)
    with pytest.raises(TypeError, match="User.age"):
        core.plan_update(user, age="x")


def test_update_by_key_and_delete_by_key() -> None:
    plan = core.plan_update_by_key(User, pk="a", sk="b", email="e")
    assert plan.args["key"] == {"pk": "a", "sk": "b"}
    assert plan.args["expression_attribute_values"] == {":v0": "e", ":v1": 1}
    assert plan.args["update_expression"] == "SET #n0 = :v0 ADD #n1 :v1"  # the version goes up
    with pytest.raises(ValueError, match="missing key attribute 'sk'"):
        core.plan_update_by_key(User, pk="a", email="e")
    plan = core.plan_delete_by_key(User, pk="a", sk="b", condition=User.age > 3)
    assert plan.args["condition_expression"] == "#n0 > :v0"
    with pytest.raises(TypeError, match="only the key"):
        core.plan_delete_by_key(User, pk="a", sk="b", email="e")


def test_delete_of_a_versioned_instance_checks_the_version() -> None:
    plan = core.plan_delete(User(pk="a", sk="b", version=2))
    assert plan.args["condition_expression"] == "#n0 = :v0"
    assert plan.args["expression_attribute_values"] == {":v0": 2}


# --- reads ---------------------------------------------------------------------------------------


def test_query_plan_compiles_key_condition_filter_and_projection_with_keys() -> None:
    plan = core.plan_query(
        User,
        hash_key="a",
        range_key_condition=User.sk.begins_with("x"),
        filter_condition=User.age > 3,
        fields=["email", "address.city"],
        limit=5,
        scan_index_forward=False,
    )
    args = plan.args
    names = args["expression_attribute_names"]
    assert args["key_condition_expression"] == "#n0 = :v0 AND begins_with(#n1, :v1)"
    assert args["filter_expression"] == "#n2 > :v2"
    projected = [names[part.split(".")[0]] for part in args["projection_expression"].split(", ")]
    assert projected == ["email", "address", "pk", "sk"]
    assert args["limit"] == 5 and args["scan_index_forward"] is False
    assert plan.key_names == ("pk", "sk")


def test_query_checks_the_partition_key_value() -> None:
    with pytest.raises(TypeError, match="User.pk"):
        core.plan_query(User, hash_key=3)
    with pytest.raises(ValueError, match="limit"):
        core.plan_query(User, hash_key="a", limit=0)


def test_index_query_plans() -> None:
    plan = core.plan_index_query(User.by_email, email="e@x", range_key_condition=User.age >= 3)
    assert plan.args["index_name"] == "email-index"
    assert plan.key_names == ("email", "age", "pk", "sk")
    plan = core.plan_index_query(User.by_age, pk="a", consistent_read=True)
    assert plan.args["consistent_read"] is True
    assert plan.key_names == ("pk", "age", "sk")
    with pytest.raises(ValueError, match="email=..."):  # as pydynox 0.21.0
        core.plan_index_query(User.by_email, pk="a")
    with pytest.raises(ValueError, match="consistent"):
        core.plan_index_query(User.by_email, email="e", consistent_read=True)


def test_index_is_bound_to_the_model_it_is_read_from() -> None:
    class Admin(User):
        model_config = ModelConfig(table="admins", client=CLIENT)

    assert User.by_email.model is User
    assert Admin.by_email.model is Admin
    assert core.plan_index_query(Admin.by_email, email="e").args["table"] == "admins"


def test_resume_key_is_the_last_item_handed_out() -> None:
    plan = core.plan_index_query(User.by_email, email="e@x")
    last = {"pk": "a", "sk": "b", "email": "e@x", "age": 3, "name": "x"}
    assert core.resume_key(plan, last, {"pk": "z"}, False) == {"email": "e@x", "age": 3, "pk": "a", "sk": "b"}
    assert core.resume_key(plan, last, None, True) is None
    assert core.resume_key(plan, None, {"pk": "z"}, False) is None  # nothing read: from the start
    # Stopped by limit while DynamoDB has more: resume after the last item.
    assert core.resume_key(plan, last, {"pk": "a"}, True)["pk"] == "a"


def test_get_plan_and_nested_field_trimming() -> None:
    plan = core.plan_get(User, fields=["address.city", "tags"], pk="a", sk="b")
    assert plan.args["projection"] == ["address", "tags", "pk", "sk"]
    raw = {"pk": "a", "sk": "b", "tags": {"t"}, "address": {"city": "Lisbon", "zip": "1"}}
    user = core.load_item(plan, trim_item(raw, plan.fields, ("pk", "sk")))
    assert user.address == {"city": "Lisbon"} and user.tags == {"t"}
    with pytest.raises(ValueError, match="nope"):
        core.plan_get(User, fields=["nope"], pk="a", sk="b")


def test_batch_get_plans() -> None:
    plan = core.plan_batch_get(User, keys=[{"pk": "a", "sk": "b"}])
    assert plan.args["keys"] == [{"pk": "a", "sk": "b"}] and not plan.skip
    empty = core.plan_batch_get(User, keys=[])
    assert empty.skip and core.finish_batch_get(empty, None) == []
    with pytest.raises(ValueError, match="keys\\[0\\]"):
        core.plan_batch_get(User, keys=[{"pk": "a"}])


def test_create_table_plan_has_keys_and_indexes() -> None:
    args = core.plan_create_table(User).args
    assert args["table_name"] == "users"
    assert args["hash_key"] == ("pk", "S") and args["range_key"] == ("sk", "S")
    assert args["global_secondary_indexes"] == [
        {"index_name": "email-index", "hash_key": ("email", "S"), "range_key": ("age", "N"), "projection": "ALL"}
    ]
    assert args["local_secondary_indexes"] == [
        {"index_name": "age-index", "range_key": ("age", "N"), "projection": "KEYS_ONLY"}
    ]


def test_index_declaration_errors_name_the_model() -> None:
    with pytest.raises(TypeError, match="Bad.by_x: hash_key 'x' is not an attribute"):

        class Bad(Model):
            model_config = ModelConfig(table="bad", client=CLIENT)
            pk = StringAttribute(hash_key=True)
            by_x = GlobalSecondaryIndex(index_name="x-index", hash_key="x")


# --- cursors ---------------------------------------------------------------------------------------


def test_cursor_round_trip_keeps_exact_key_values() -> None:
    plan = core.plan_query(User, hash_key="a")
    key = {"pk": "a", "sk": "b", "n": Decimal("1.5"), "i": 12345678901234567890, "b": b"\x00\xff"}
    cursor = core.encode_cursor(plan, key)
    assert cursor is not None and all(c.isalnum() or c in "-_." for c in cursor)
    again = core.plan_query(User, hash_key="a", cursor=cursor)
    assert again.args["last_evaluated_key"] == key
    assert core.encode_cursor(plan, None) is None


def test_tampered_cursor_is_rejected() -> None:
    plan = core.plan_query(User, hash_key="a")
    cursor = core.encode_cursor(plan, {"pk": "a", "sk": "b"})
    assert cursor is not None
    tampered = cursor[:-2] + ("A" if cursor[-2] != "A" else "B") + cursor[-1]
    with pytest.raises(InvalidCursorError, match="signature"):
        core.plan_query(User, hash_key="a", cursor=tampered)
    with pytest.raises(InvalidCursorError):
        core.plan_query(User, hash_key="a", cursor="garbage")


def test_cursor_of_another_model_or_index_is_rejected() -> None:
    class Other(Model):
        model_config = ModelConfig(table="other", client=CLIENT, cursor_secret=SECRET)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)

    cursor = core.encode_cursor(core.plan_query(Other, hash_key="a"), {"pk": "a", "sk": "b"})
    with pytest.raises(InvalidCursorError, match="another model"):
        core.plan_query(User, hash_key="a", cursor=cursor)
    index_cursor = core.encode_cursor(core.plan_index_query(User.by_email, email="e"), {"pk": "a"})
    with pytest.raises(InvalidCursorError, match="another model"):
        core.plan_query(User, hash_key="a", cursor=index_cursor)


def test_expired_cursor_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    class Brief(Model):
        model_config = ModelConfig(table="brief", client=CLIENT, cursor_secret=SECRET, cursor_max_age=5)
        pk = StringAttribute(hash_key=True)

    cursor = core.encode_cursor(core.plan_scan(Brief), {"pk": "a"})
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 60)
    with pytest.raises(InvalidCursorError, match="expired"):
        core.plan_scan(Brief, cursor=cursor)


def test_cursor_needs_a_secret_and_the_global_one_works() -> None:
    cursor_plan = core.plan_scan(Renamed)
    with pytest.raises(InvalidCursorError, match="no cursor secret"):
        core.encode_cursor(cursor_plan, {"PK": "a"})
    set_cursor_secret(SECRET)
    try:
        cursor = core.encode_cursor(cursor_plan, {"PK": "a"})
        assert core.plan_scan(Renamed, cursor=cursor).args["last_evaluated_key"] == {"PK": "a"}
    finally:
        set_cursor_secret(None)
    with pytest.raises(ValueError, match="16"):
        set_cursor_secret("short")


def test_cursor_and_last_evaluated_key_together_are_refused() -> None:
    cursor = core.encode_cursor(core.plan_query(User, hash_key="a"), {"pk": "a", "sk": "b"})
    with pytest.raises(ValueError, match="not both"):
        core.plan_query(User, hash_key="a", cursor=cursor, last_evaluated_key={"pk": "a", "sk": "b"})


# --- TTL and metrics ----------------------------------------------------------------------------------


class Session(Model):
    model_config = ModelConfig(table="sessions", client=CLIENT)
    pk = StringAttribute(hash_key=True)
    expires = TTLAttribute()


def test_ttl_helpers() -> None:
    session = Session(pk="a", expires=datetime.now(timezone.utc) + timedelta(hours=1))
    assert not session.is_expired
    left = session.expires_in
    assert left is not None and timedelta(minutes=59) < left <= timedelta(hours=1)
    session.extend_ttl(timedelta(days=1))
    assert session.expires_in is not None and session.expires_in > timedelta(hours=23)
    session.extend_ttl(datetime.now(timezone.utc) - timedelta(seconds=1))
    assert session.is_expired and session.expires_in is None
    assert Session(pk="b").expires_in is None and not Session(pk="b").is_expired
    with pytest.raises(ValueError, match="no TTLAttribute"):
        User(pk="a", sk="b").extend_ttl(timedelta(days=1))


def test_model_metrics_start_empty_and_reset() -> None:
    class Fresh(Model):
        model_config = ModelConfig(table="fresh", client=CLIENT)
        pk = StringAttribute(hash_key=True)

    assert Fresh.get_last_metrics() is None
    assert Fresh.get_total_metrics().operation_count == 0
    Fresh.reset_metrics()
    assert Fresh.get_total_metrics().total_rcu == 0.0


def test_model_public_methods_are_the_specs_local_methods_and_operations() -> None:
    local = {
        "to_dict", "from_dict", "calculate_size", "is_expired", "expires_in", "extend_ttl",
        "get_last_metrics", "get_total_metrics", "reset_metrics",
    }
    own = {name for name, value in vars(Model).items() if not name.startswith("_") and name != "model_config"}
    assert own == local


# --- bad parameters fail before anything is sent ---------------------------------------------------


@pytest.mark.parametrize(
    ("plan", "error", "text"),
    [
        (lambda: core.plan_get(User, pk=3, sk="b"), TypeError, r"User\.pk"),
        (lambda: core.plan_get(User, pk="a"), ValueError, "missing key attribute 'sk'"),
        (lambda: core.plan_get(User, pk="a", sk="b", email="x"), TypeError, "key attributes only"),
        (lambda: core.plan_get(User, consistent_read="yes", pk="a", sk="b"), TypeError, "consistent_read"),
        (lambda: core.plan_get(User, as_dict=1, pk="a", sk="b"), TypeError, "as_dict"),
        (lambda: core.plan_get(User, fields="email", pk="a", sk="b"), TypeError, "fields"),
        (lambda: core.plan_query(User, hash_key="a", page_size=-1), ValueError, "page_size"),
        (lambda: core.plan_query(User, hash_key="a", filter_condition="age > 3"), TypeError, "filter_condition"),
        (lambda: core.plan_query(User, hash_key="a", last_evaluated_key="k"), TypeError, "last_evaluated_key"),
        (lambda: core.plan_scan(User, segment=1), ValueError, "together"),
        (lambda: core.plan_scan(User, segment=2, total_segments=2), ValueError, "below"),
        (lambda: core.plan_parallel_scan(User, total_segments=0), ValueError, "total_segments"),
        (lambda: core.plan_batch_get(User, keys="a"), TypeError, "list of key dicts"),
        (lambda: core.plan_batch_get(User, keys=[{"pk": "a", "sk": "b"}], consistent_read="yes"), TypeError, "consistent_read"),
        (lambda: core.plan_execute_statement(User, statement=""), ValueError, "statement"),
        (lambda: core.plan_update(User(pk="a", sk="b")), ValueError, "nothing to update"),
        (lambda: core.plan_update(User(pk="a", sk="b"), version=3), ValueError, "version attribute"),
        (lambda: core.plan_update(User(pk="a", sk="b"), atomic=User.age.add(1)), TypeError, "list of actions"),
        (lambda: core.plan_save(User(pk="a", sk="b"), condition=True), TypeError, "condition must be a Condition"),
    ],
)
def test_bad_parameters_raise_typed_errors_naming_them(plan: Any, error: type[Exception], text: str) -> None:
    with pytest.raises(error, match=text):
        plan()


def test_a_reassigned_bad_value_is_caught_at_save() -> None:
    user = User(pk="a", sk="b")
    user.age = "old"  # type: ignore[assignment]
    with pytest.raises(TypeError, match=r"User\.age"):
        core.plan_save(user)
    user.age = 3
    user.sk = None  # type: ignore[assignment]
    with pytest.raises(ValueError, match=r"User\.sk"):
        core.plan_save(user)


def test_an_attribute_hiding_a_model_method_wins_on_its_class() -> None:
    class Counter(Model):
        model_config = ModelConfig(table="counters", client=CLIENT)
        pk = StringAttribute(hash_key=True)
        count = NumberAttribute()
        save = StringAttribute()

    counter = Counter(pk="a", count=3, save="yes")
    assert Counter.count is Counter.__dict__["count"] and (counter.count, counter.save) == (3, "yes")
    # The core reaches neither operation through the class: both still plan.
    assert core.plan_save(counter).args["item"] == {"pk": "a", "count": 3, "save": "yes"}
    assert core.plan_count(Counter).args["table"] == "counters"
    assert counter.calculate_size().bytes == item_size({"pk": "a", "count": 3, "save": "yes"}).bytes


def test_cursor_of_another_partition_is_rejected() -> None:
    cursor = core.encode_cursor(core.plan_query(User, hash_key="tenant-a"), {"pk": "tenant-a", "sk": "b"})
    assert core.plan_query(User, hash_key="tenant-a", cursor=cursor).args["last_evaluated_key"]["pk"] == "tenant-a"
    with pytest.raises(InvalidCursorError, match="partition"):
        core.plan_query(User, hash_key="tenant-b", cursor=cursor)


def test_config_defaults_and_per_call_overrides() -> None:
    class Quiet(Model):
        model_config = ModelConfig(table="quiet", client=CLIENT, skip_hooks=True, consistent_read=True)
        pk = StringAttribute(hash_key=True)
        name = StringAttribute()

        @before_save
        def _shout(self) -> None:
            self.name = "HOOKED"

    item = Quiet(pk="a", name="x")
    assert core.plan_save(item).args["item"]["name"] == "x"  # the config skips hooks
    assert core.plan_save(item, skip_hooks=False).args["item"]["name"] == "HOOKED"
    assert core.plan_get(Quiet, pk="a").args["consistent_read"] is True
    assert core.plan_get(Quiet, consistent_read=False, pk="a").args["consistent_read"] is False
    assert core.plan_scan(Quiet).args["consistent_read"] is True
    assert core.plan_count(Quiet).args["consistent_read"] is True


def test_include_projection_and_provisioned_indexes_in_create_table() -> None:
    class Wide(Model):
        model_config = ModelConfig(table="wide", client=CLIENT)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        email = StringAttribute(name="e")
        note = StringAttribute()
        by_email = GlobalSecondaryIndex(index_name="by-email", hash_key="email", projection=["note"])
        by_note = LocalSecondaryIndex(index_name="by-note", range_key="note", projection=["email"])

    args = core.plan_create_table(Wide, billing_mode="PROVISIONED", read_capacity=2, write_capacity=3).args
    assert args["global_secondary_indexes"] == [
        {
            "index_name": "by-email",
            "hash_key": ("e", "S"),
            "projection": "INCLUDE",
            "non_key_attributes": ["note"],
            "read_capacity": 2,
            "write_capacity": 3,
        }
    ]
    assert args["local_secondary_indexes"] == [
        {"index_name": "by-note", "range_key": ("note", "S"), "projection": "INCLUDE", "non_key_attributes": ["e"]}
    ]
