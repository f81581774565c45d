"""The model layer's per-class shortcuts (computed once when a model class is created)
must not change what is checked, stored or raised.

Save, `Model(...)`, get/delete keys and update skip `Attribute.validate` for values of a
type the attribute's own check accepts whole, and skip `serialize` for values stored as
they are. These tests pin the cases a shortcut could get wrong: attribute subclasses
that narrow the check or change the stored form, empty keys, None, the order in which
errors are found, hooks, and the messages themselves. Sans-I/O like test_model_core.py
(plans are inspected, answers made up); one round trip through moto checks the stored
item of a custom attribute.
"""

from __future__ import annotations

from typing import Any

import pytest

from pydynox import DynamoDBClient
from pydynox._model import core
from pydynox._model.plan import PagePlan, ReadPlan, WritePlan
from pydynox.attributes import (
    BinaryAttribute,
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    StringAttribute,
    StringSetAttribute,
    VersionAttribute,
)
from pydynox.config import ModelConfig
from pydynox.hooks import HookType, after_load, after_save
from pydynox.model import Model

CLIENT = DynamoDBClient(endpoint_url="http://127.0.0.1:9", region="us-east-1")


class LowerString(StringAttribute):
    """Narrows the check: only lowercase text."""

    def _check(self, value: Any, where: str) -> None:
        super()._check(value, where)
        if value != value.lower():
            raise ValueError(f"{where}: must be lowercase")


class Shouting(StringAttribute):
    """Changes the stored form: upper case."""

    def serialize(self, value: Any) -> Any:
        return None if value is None else value.upper()


class Audited(NumberAttribute):
    """Replaces validate itself (None included): every call is seen."""

    seen: list[Any] = []

    def validate(self, value: Any, model_name: str | None = None) -> None:
        Audited.seen.append(value)
        super().validate(value, model_name)


class Custom(Model):
    model_config = ModelConfig(table="custom", client=CLIENT)
    pk = LowerString(hash_key=True)
    loud = Shouting()
    audited = Audited()
    name = StringAttribute()


class Plain(Model):
    model_config = ModelConfig(table="plain", client=CLIENT)
    pk = StringAttribute(hash_key=True)
    sk = NumberAttribute(range_key=True)
    title = StringAttribute(null=False)
    amount = NumberAttribute()
    flag = BooleanAttribute()
    items = ListAttribute()
    data = BinaryAttribute()
    meta = MapAttribute()
    tags = StringSetAttribute()


def _plain(**values: Any) -> Plain:
    return Plain(**{"pk": "p", "sk": 1, "title": "t", **values})


# --- subclasses of the built-in attributes ------------------------------------------------


def test_a_narrowed_check_runs_on_init_save_get_and_delete() -> None:
    with pytest.raises(ValueError, match=r"^Custom\.pk: must be lowercase$"):
        Custom(pk="ABC")
    item = Custom(pk="abc")
    item.pk = "ABC"  # assignment does not check; save must
    with pytest.raises(ValueError, match=r"^Custom\.pk: must be lowercase$"):
        core.plan_save(item)
    with pytest.raises(ValueError, match=r"^Custom\.pk: must be lowercase$"):
        core.plan_delete(item)
    with pytest.raises(ValueError, match=r"^Custom\.pk: must be lowercase$"):
        core.plan_get(Custom, pk="ABC")
    assert core.plan_get(Custom, pk="abc").args["key"] == {"pk": "abc"}


def test_a_changed_serialize_is_used_for_the_item() -> None:
    item = Custom(pk="a", loud="hey", name="n")
    assert core.plan_save(item).args["item"] == {"pk": "a", "loud": "HEY", "name": "n"}
    assert item.to_dict() == {"pk": "a", "loud": "HEY", "name": "n"}


def test_a_replaced_validate_sees_every_value_none_included() -> None:
    Audited.seen.clear()
    item = Custom(pk="a", audited=3)
    core.plan_save(item)
    core.plan_update(item, audited=None)
    assert Audited.seen == [3, 3, None]


def test_a_custom_attribute_round_trips_through_the_server(client: Any, table: str, boto: Any) -> None:
    class Stored(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = LowerString(hash_key=True)
        sk = StringAttribute(range_key=True)
        loud = Shouting()

    Stored(pk="k", sk="s", loud="quiet").save()
    assert boto.get_item(TableName=table, Key={"pk": {"S": "k"}, "sk": {"S": "s"}})["Item"]["loud"] == {"S": "QUIET"}
    got = Stored.get(pk="k", sk="s")
    assert got is not None and got.loud == "QUIET"


# --- values the shortcuts must still refuse, with the same messages -------------------------


@pytest.mark.parametrize(
    ("values", "error", "message"),
    [
        ({"pk": ""}, ValueError, r"^Plain\.pk: a key attribute cannot be an empty string$"),
        ({"pk": None}, ValueError, r"^Plain\.pk: is a required key attribute and has no value$"),
        ({"title": None}, ValueError, r"^Plain\.title: is a required attribute \(null=False\) and has no value$"),
        ({"amount": True}, TypeError, r"^Plain\.amount: expected a number, got True \(bool\)$"),
        ({"amount": float("nan")}, ValueError, r"^Plain\.amount: DynamoDB cannot store nan$"),
        ({"flag": 1}, TypeError, r"^Plain\.flag: expected a bool, got 1 \(int\)$"),
        ({"items": "abc"}, TypeError, r"^Plain\.items: expected a list, got 'abc' \(str\)$"),
        ({"data": ""}, TypeError, r"^Plain\.data: expected bytes, got '' \(str\)$"),
        ({"meta": {1: "x"}}, TypeError, r"^Plain\.meta: map keys must be strings, got 1$"),
        ({"tags": {"a", 1}}, TypeError, r"^Plain\.tags: every element must be a string, got 1$"),
    ],
)
def test_save_and_init_refuse_what_they_refused(values: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        _plain(**values)
    item = _plain()
    item.__dict__.update(values)
    with pytest.raises(error, match=message):
        core.plan_save(item)


def test_the_first_bad_attribute_in_declaration_order_is_reported() -> None:
    item = _plain()
    item.__dict__.update(tags=[1], amount="x", flag="y")
    with pytest.raises(TypeError, match=r"^Plain\.amount:"):
        core.plan_save(item)


def test_falsy_and_empty_values_of_the_right_type_are_accepted_and_stored() -> None:
    item = _plain(amount=0, flag=False, items=[], data=b"", title="")
    assert core.plan_save(item).args["item"] == {
        "pk": "p", "sk": 1, "title": "", "amount": 0, "flag": False, "items": [], "data": b""
    }
    item = _plain(items=("a", 1), data=bytearray(b"x"), amount=1.5)
    stored = core.plan_save(item).args["item"]
    assert stored["items"] == ["a", 1] and type(stored["data"]) is bytes and stored["amount"] == 1.5


def test_a_zero_number_key_is_valid_everywhere() -> None:
    item = Plain(pk="p", sk=0, title="t")
    assert core.plan_save(item).args["item"]["sk"] == 0
    assert core.plan_delete(item).args["key"] == {"pk": "p", "sk": 0}
    with pytest.raises(TypeError, match=r"^Plain\.sk: expected a number, got False \(bool\)$"):
        core.plan_delete(Plain.from_dict({"pk": "p", "sk": False}))


def test_validate_skips_nothing_it_must_check() -> None:
    with pytest.raises(ValueError, match=r"^M\.pk: a key attribute cannot be an empty string$"):
        Plain.pk.validate("", "M")
    with pytest.raises(TypeError, match=r"^Plain\.amount: expected a number, got True \(bool\)$"):
        Plain.amount.validate(True)
    Plain.amount.validate(0)
    Plain.flag.validate(False)


# --- hooks and the plan -----------------------------------------------------------------------


def test_after_load_follows_the_config_at_call_time() -> None:
    seen: list[str] = []

    class Hooked(Model):
        model_config = ModelConfig(table="hooked", client=CLIENT)
        pk = StringAttribute(hash_key=True)

        @after_load
        def loaded(self) -> None:
            seen.append(self.pk)

        @after_save
        def saved(self) -> None:
            seen.append("saved")

    plan = core.plan_get(Hooked, pk="a")
    core.finish_get(plan, ({"pk": "a"}, None))  # (item, this call's metrics)
    assert seen == ["a"]
    assert core.finish_get(core.plan_get(Hooked, pk="a", as_dict=True), ({"pk": "b"}, None)) == {"pk": "b"}
    Hooked.model_config.skip_hooks = True
    core.finish_get(core.plan_get(Hooked, pk="a"), ({"pk": "c"}, None))
    core.finish_save(core.plan_save(Hooked(pk="x")), None)
    assert seen == ["a"]
    Hooked.model_config.skip_hooks = False
    core.finish_save(core.plan_save(Hooked(pk="x")), None)
    assert seen == ["a", "saved"]
    assert {HookType.AFTER_LOAD: 1}[HookType("after_load")] == 1


def test_as_dict_must_be_a_bool() -> None:
    with pytest.raises(TypeError, match=r"^Plain: as_dict must be True or False, got 1$"):
        core.plan_get(Plain, pk="p", sk=1, as_dict=1)


def test_each_kind_of_plan_knows_its_fields_only() -> None:
    schema = Plain.__pydynox_schema__
    read = ReadPlan(CLIENT, {}, schema, "get")
    assert (read.skip, read.fields, read.collected, read.metric, read.schema) == (False, None, None, "get", schema)
    assert read.load({"a": 1}) == {"a": 1}
    write = WritePlan(CLIENT, {}, schema, "put")
    assert (write.skip, write.instance, write.after_hooks, write.changes, write.metric) == (False, None, (), None, "put")
    page = core.plan_query(Plain, hash_key="p")
    assert isinstance(page, PagePlan) and page.key_names == ("pk", "sk") and page.start_key is None
    # Slots only: a field of another kind of plan (or a typo) cannot be set by mistake.
    for plan, field in ((read, "instance"), (write, "load"), (page, "changes"), (write, "skipp")):
        with pytest.raises(AttributeError):
            setattr(plan, field, True)


def test_save_without_condition_or_version_sends_no_expression_and_leaves_state_alone() -> None:
    item = _plain(amount=2)
    plan = core.plan_save(item)
    assert set(plan.args) == {"table", "item"}
    assert plan.changes == {}

    class Versioned(Model):
        model_config = ModelConfig(table="v", client=CLIENT)
        pk = StringAttribute(hash_key=True)
        version = VersionAttribute()

    v = Versioned(pk="a")
    plan = core.plan_save(v)
    assert plan.args["condition_expression"] == "attribute_not_exists(#n0)"
    assert v.version is None and plan.changes == {"version": 1}
    core.finish_save(plan, None)
    assert v.version == 1
