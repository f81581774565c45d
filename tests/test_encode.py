"""Items written straight to request JSON (src/wire/write, issue 9 item 2).

`_encode_item_json(item)` is the direct encoder (`wire::write::item_json`); with
`through_attribute_values=True` it is today's path (`wire::dict_to_item`, then the SDK's
`AttributeValue` tree written as JSON). Random items of every type, nesting and size must give
the JSON boto3's own `TypeSerializer` describes, and both paths the same JSON; hostile values
must raise the same exception, with the same message, from both paths and from `put_item`
(which refuses them before sending anything).

Where boto3's text legitimately differs, values are compared by meaning:
- `N` from a `float`: boto3 takes no floats, so it is given `Decimal(repr(f))`, and the two
  texts are compared as the float they parse to (`1e-05` vs `1e-5`, `-0.0` vs `0`, and when
  two shortest round-trip texts exist Rust and Python may pick either: `562949953421312.3`
  vs `562949953421312.2` are the same float);
- `B`/`BS`: the JSON holds base64 text, boto3's serializer the raw bytes (botocore encodes
  them later): the text is decoded (strictly) and compared with the bytes;
- `SS`/`NS`/`BS` members are compared as sets (a set has no order).
"""

from __future__ import annotations

import base64
import collections
import enum
import json
from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.types import DYNAMODB_CONTEXT, TypeSerializer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pydynox.exceptions import ParamValidationException
from pydynox.pydynox_core import _encode_item_json as encode

from support import boto_get_raw, call
from test_hostile_inputs import DIGITS_38, dynamo_decimal

SERIALIZER = TypeSerializer()
KEY = {"pk": "encode", "sk": "item"}


def direct(item: dict) -> dict:
    return json.loads(encode(item))


def through_tree(item: dict) -> dict:
    return json.loads(encode(item, through_attribute_values=True))


def boto_accepts(number: Decimal) -> bool:
    """boto3's context traps rounding and clamping (e.g. `0E-200`)."""
    try:
        DYNAMODB_CONTEXT.create_decimal(number)
    except Exception:
        return False
    return True


def for_boto(value: Any) -> Any:
    """The same value in the types boto3's serializer takes (it refuses floats)."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, (list, tuple)):
        return [for_boto(v) for v in value]
    if isinstance(value, dict):
        return {k: for_boto(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return {for_boto(v) for v in value}
    return value


def number(text: str, source: Any) -> Any:
    """How an `N` text is compared: exactly, or as the float it means where the source was one."""
    return float(text) if isinstance(source, float) else text


def assert_like_boto(source: Any, ours: dict, boto: dict) -> None:
    """`ours` (parsed from our JSON) means what boto3 serialized for the same `source`."""
    assert len(ours) == 1 and ours.keys() == boto.keys(), (ours, boto)
    (tag, value), (_, expected) = next(iter(ours.items())), next(iter(boto.items()))
    if tag == "N":
        assert number(value, source) == number(expected, source)
    elif tag == "B":
        assert base64.b64decode(value, validate=True) == bytes(expected)
    elif tag == "SS":
        assert len(value) == len(expected) and set(value) == set(expected)
    elif tag == "NS":
        as_float = any(isinstance(member, float) for member in source)
        texts = {float(t) if as_float else t for t in value}
        assert len(value) == len(expected) and texts == {float(t) if as_float else t for t in expected}
    elif tag == "BS":
        assert sorted(base64.b64decode(v, validate=True) for v in value) == sorted(map(bytes, expected))
    elif tag == "L":
        assert len(value) == len(expected)
        for s, o, b in zip(source, value, expected):
            assert_like_boto(s, o, b)
    elif tag == "M":
        assert_map_like_boto(source, value, expected)
    else:  # S, BOOL, NULL
        assert value == expected


def assert_map_like_boto(source: dict, ours: dict, boto: dict) -> None:
    assert list(ours) == list(boto) == list(source)  # the dict's own order
    for name in source:
        assert_like_boto(source[name], ours[name], boto[name])


# --- random items ----------------------------------------------------------------------------

names = st.one_of(st.text(max_size=8), st.sampled_from(["", "\x00", '"', "\\", "\u2028", "\U0001f600", "a.b", "#n"]))
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)))  # every character but lone surrogates
integers = st.integers(min_value=-DIGITS_38, max_value=DIGITS_38)
decimals = st.decimals(allow_nan=False, allow_infinity=False).filter(lambda d: dynamo_decimal(d) and boto_accepts(d))
floats = st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: dynamo_decimal(Decimal(repr(f))))
scalars = st.one_of(
    texts,
    integers,
    decimals,
    floats,
    st.booleans(),
    st.none(),
    st.binary(max_size=40),
    st.binary(max_size=10).map(bytearray),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.lists(children, max_size=3).map(tuple),
        st.dictionaries(names, children, max_size=5),
        st.sets(texts, min_size=1, max_size=5),
        st.frozensets(st.one_of(integers, decimals), min_size=1, max_size=5),
        st.sets(floats, min_size=1, max_size=4),
        st.sets(st.binary(max_size=12), min_size=1, max_size=4),
    ),
    max_leaves=30,
)
items = st.dictionaries(names, values, max_size=12)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(item=items)
def test_random_items_encode_as_boto3_serializes_them_and_as_todays_path(item):
    ours = direct(item)

    assert ours == through_tree(item), "the direct encoder and today's path write the same JSON"
    boto = {name: SERIALIZER.serialize(for_boto(value)) for name, value in item.items()}
    assert_map_like_boto(item, ours, boto)


def test_deep_and_large_items_encode_the_same_both_ways():
    deep: Any = "bottom"
    for level in range(31):  # 32 levels in all with the attribute itself: DynamoDB's limit
        deep = [deep, {"level": level}]
    item = {"deep": deep, "wide": {f"k{i}": i for i in range(2000)}, "long": "x" * 400_000}

    assert direct(item) == through_tree(item)
    assert_map_like_boto(item, direct(item), {k: SERIALIZER.serialize(v) for k, v in item.items()})


class Color(enum.IntEnum):
    RED = 1


class Name(str):
    def __str__(self) -> str:
        return "not this"


class Meters(float):
    pass


Point = collections.namedtuple("Point", "x y")


def test_exact_texts_of_numbers_strings_binary_and_subclasses():
    item = {
        "big": 2**200,
        "neg": -(10**38),
        "f": 0.1,
        "tiny": 5e-324,
        "neg_zero": -0.0,
        "d": Decimal("1.50"),
        "e": Decimal("-1E+3"),
        "s": 'quote " backslash \\ newline \n nul \x00 emoji \U0001f600',
        "b": b"\x00\xff",
        "mv": memoryview(b"xyz"),
        "enum": Color.RED,
        "name": Name("sub"),
        "meters": Meters(2.5),
        "od": collections.OrderedDict(a=1),
        "point": Point(1, "two"),
    }

    raw = encode(item)
    ours = json.loads(raw)

    assert ours == through_tree(item)
    assert {k: v for k, v in ours.items() if k in ("big", "neg", "f", "tiny", "neg_zero", "d", "e")} == {
        "big": {"N": str(2**200)},
        "neg": {"N": "-" + "1" + "0" * 38},
        "f": {"N": "0.1"},
        "tiny": {"N": "5e-324"},
        "neg_zero": {"N": "0"},
        "d": {"N": "1.50"},
        "e": {"N": "-1E+3"},
    }
    assert b'"quote \\" backslash \\\\ newline \\n nul \\u0000 emoji \xf0\x9f\x98\x80"' in raw
    assert ours["b"] == {"B": "AP8="} and ours["mv"] == {"B": "eHl6"}
    assert ours["enum"] == {"N": "1"} and ours["name"] == {"S": "sub"} and ours["meters"] == {"N": "2.5"}
    assert ours["od"] == {"M": {"a": {"N": "1"}}}
    assert ours["point"] == {"L": [{"N": "1"}, {"S": "two"}]}


# --- hostile values: the same error from every path -------------------------------------------


def nested(levels: int) -> Any:
    value: Any = "bottom"
    for _ in range(levels):
        value = [value]
    return value


def self_referencing() -> list:
    loop: list = []
    loop.append(loop)
    return loop


def changed_while_converted() -> dict:
    item: dict = dict(KEY)  # the item itself changes, so it carries the key already

    class Meddling(Decimal):
        def __str__(self) -> str:
            item["added"] = 1
            return super().__str__()

    item["n"] = Meddling("1.5")
    item["after"] = "x"
    return item


HOSTILE = {
    "nan": lambda: {"n": float("nan")},
    "inf": lambda: {"l": [1, float("-inf")]},
    "decimal_nan": lambda: {"n": Decimal("NaN")},
    "decimal_snan": lambda: {"n": [Decimal("sNaN")]},
    "decimal_infinity": lambda: {"m": {"n": Decimal("-Infinity")}},
    "nan_in_set": lambda: {"ns": {1.5, float("nan")}},
    "empty_set": lambda: {"s": set()},
    "empty_frozenset": lambda: {"m": {"s": frozenset()}},
    "mixed_set": lambda: {"s": {1, "a"}},
    "mixed_binary_set": lambda: {"s": {b"a", Decimal(1)}},
    "set_of_bools": lambda: {"s": {True, False}},
    "set_of_tuples": lambda: {"s": {(1, 2)}},
    "unsupported_type": lambda: {"m": {"x": object()}},
    "complex": lambda: {"l": [complex(1, 2)]},
    "non_str_key": lambda: {**KEY, 1: "x"},
    "nested_non_str_key": lambda: {"m": {None: "x"}},
    "bytes_key": lambda: {"m": {b"k": "x"}},
    "huge_int": lambda: {"n": 10**5000},  # more digits than sys.get_int_max_str_digits()
    "surrogate_value": lambda: {"s": "a\ud800b"},
    "surrogate_name": lambda: {"\udfff": "x"},
    "surrogate_in_set": lambda: {"ss": {"ok", "\ud800"}},
    "too_deep_list": lambda: {"l": nested(33)},
    "too_deep_map": lambda: {"m": {"a": {"b": nested(40)}}},
    "self_referencing": lambda: {"l": self_referencing()},
    "changed_while_converted": changed_while_converted,
}


def with_key(attributes: dict) -> dict:
    return attributes if "pk" in attributes else {**KEY, **attributes}


def raised(run) -> tuple[type, str]:
    with pytest.raises(Exception) as info:
        run()
    return type(info.value), str(info.value)


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_values_raise_the_same_error_from_every_path(client, boto, module_table, mode, make):
    json_error = raised(lambda: encode(with_key(make())))
    tree_error = raised(lambda: encode(with_key(make()), through_attribute_values=True))
    put_error = raised(lambda: call(client, mode, "put_item", module_table, with_key(make())))

    assert json_error == tree_error == put_error
    assert json_error[1].startswith("item"), json_error
    assert issubclass(json_error[0], (TypeError, ValueError, RuntimeError))
    assert boto_get_raw(boto, module_table, KEY) is None, "nothing was sent"


def test_errors_name_the_parameter_and_path():
    kind, message = raised(lambda: encode({"a": [{"b": float("nan")}]}))

    assert kind is ParamValidationException
    assert message == "item['a'][0]['b']: cannot store NaN: DynamoDB numbers must be finite"


def test_only_a_dict_is_an_item():
    with pytest.raises(TypeError):
        encode([("a", 1)])
