"""Python <-> DynamoDB type mapping, checked in both directions against boto3.

pydynox writes, boto3 reads the raw wire value back; boto3 writes the wire value,
pydynox reads it back. Every test runs through the sync and the async twin.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from support import boto_get_raw, boto_put_raw, call, error_text

KEY = {"pk": "types", "sk": "item"}

BIG = 2**70
PI = "3.14159265358979323846264338327950288"  # 36 significant digits; DynamoDB keeps 38


class Case:
    """A Python value, the wire value it maps to, and what reading that wire value gives."""

    def __init__(self, id: str, value: Any, wire: dict[str, Any], read: Any = ...) -> None:
        self.id = id
        self.value = value
        self.wire = wire
        self.read = value if read is ... else read


CASES = [
    Case("str", "héllo ✓", {"S": "héllo ✓"}),
    Case("empty_str", "", {"S": ""}),
    Case("true", True, {"BOOL": True}),
    Case("false", False, {"BOOL": False}),
    Case("none", None, {"NULL": True}),
    Case("bytes", b"\x00\x01\xfe\xff", {"B": b"\x00\x01\xfe\xff"}),
    Case("int", 42, {"N": "42"}),
    Case("zero", 0, {"N": "0"}),
    Case("negative_int", -7, {"N": "-7"}),
    Case("2**63", 2**63, {"N": "9223372036854775808"}),
    Case("2**70", BIG, {"N": str(BIG)}),
    Case("-2**70", -BIG, {"N": str(-BIG)}),
    Case("float", 1.5, {"N": "1.5"}),
    Case("negative_float", -0.25, {"N": "-0.25"}),
    Case("float_0.1", 0.1, {"N": "0.1"}),
    Case("decimal_0.1", Decimal("0.1"), {"N": "0.1"}, read=0.1),
    Case("decimal_integral", Decimal("12"), {"N": "12"}, read=12),
    Case(
        "list", [1, "a", None, True, b"b"], {"L": [{"N": "1"}, {"S": "a"}, {"NULL": True}, {"BOOL": True}, {"B": b"b"}]}
    ),
    Case("empty_list", [], {"L": []}),
    Case("tuple", (1, "a"), {"L": [{"N": "1"}, {"S": "a"}]}, read=[1, "a"]),
    Case("map", {"x": 1, "y": {"z": "deep"}}, {"M": {"x": {"N": "1"}, "y": {"M": {"z": {"S": "deep"}}}}}),
    Case("empty_map", {}, {"M": {}}),
    Case("string_set", {"a", "b"}, {"SS": ["a", "b"]}),
    Case("frozenset", frozenset({"x", "y"}), {"SS": ["x", "y"]}, read={"x", "y"}),
    Case("number_set", {1, 2, BIG}, {"NS": ["1", "2", str(BIG)]}),
    Case("number_set_mixed", {1, 2.5}, {"NS": ["1", "2.5"]}),
    Case("decimal_set", {Decimal("0.5"), Decimal("3")}, {"NS": ["0.5", "3"]}, read={0.5, 3}),
    Case("binary_set", {b"a", b"\x00"}, {"BS": [b"a", b"\x00"]}),
    Case(
        "nested",
        {"tags": {"x"}, "rows": [{"n": BIG, "f": 0.5, "b": b"\xff", "s": {1, 2}}, [None, False]]},
        {
            "M": {
                "tags": {"SS": ["x"]},
                "rows": {
                    "L": [
                        {"M": {"n": {"N": str(BIG)}, "f": {"N": "0.5"}, "b": {"B": b"\xff"}, "s": {"NS": ["1", "2"]}}},
                        {"L": [{"NULL": True}, {"BOOL": False}]},
                    ]
                },
            }
        },
    ),
]


def normalize_wire(value: dict[str, Any]) -> Any:
    """A wire value in a form where equal DynamoDB values compare equal: numbers as
    exact Decimals, set members unordered. The type code is kept, so an SS never equals
    an L."""
    ((code, inner),) = value.items()
    if code == "N":
        return ("N", Decimal(inner))
    if code == "NS":
        return ("NS", frozenset(Decimal(n) for n in inner))
    if code in ("SS", "BS"):
        return (code, frozenset(bytes(x) if code == "BS" else x for x in inner))
    if code == "B":
        return ("B", bytes(inner))
    if code == "L":
        return ("L", [normalize_wire(v) for v in inner])
    if code == "M":
        return ("M", {k: normalize_wire(v) for k, v in inner.items()})
    return (code, inner)


def assert_same(actual: Any, expected: Any, path: str = "value") -> None:
    """Equal values of the same types all the way down (so 1 != 1.0 != True, set != list)."""
    assert type(actual) is type(expected), (
        f"{path}: {type(actual).__name__} {actual!r}, expected {type(expected).__name__} {expected!r}"
    )
    if isinstance(expected, dict):
        assert actual.keys() == expected.keys(), path
        for k in expected:
            assert_same(actual[k], expected[k], f"{path}[{k!r}]")
    elif isinstance(expected, list):
        assert len(actual) == len(expected), path
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_same(a, e, f"{path}[{i}]")
    elif isinstance(expected, (set, frozenset)):
        assert {(type(x), x) for x in actual} == {(type(x), x) for x in expected}, f"{path}: {actual!r} != {expected!r}"
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_pydynox_writes_what_boto3_reads(client, boto, table, mode, case):
    call(client, mode, "put_item", table, {**KEY, "v": case.value})

    stored = boto_get_raw(boto, table, KEY)
    assert stored is not None
    assert normalize_wire(stored["v"]) == normalize_wire(case.wire)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_pydynox_reads_what_boto3_wrote(client, boto, table, mode, case):
    boto_put_raw(boto, table, {"pk": {"S": KEY["pk"]}, "sk": {"S": KEY["sk"]}, "v": case.wire})

    item = call(client, mode, "get_item", table, KEY)

    assert item is not None
    assert_same(item, {**KEY, "v": case.read})


@pytest.mark.parametrize("value", [BIG, -BIG, 2**63, 2**64 + 1, -(2**63) - 1])
def test_big_ints_round_trip_exactly(client, table, mode, value):
    call(client, mode, "put_item", table, {**KEY, "v": value, "in_list": [value], "in_set": {value, 1}})

    item = call(client, mode, "get_item", table, KEY)

    assert_same(item["v"], value)
    assert_same(item["in_list"], [value])
    assert_same(item["in_set"], {value, 1})


@pytest.mark.parametrize("text", ["0.1", PI, "-123.456", "1E-7", "12345678901234567890.123456789"])
def test_decimal_is_written_exactly(client, boto, table, mode, text):
    call(client, mode, "put_item", table, {**KEY, "v": Decimal(text)})

    stored = boto_get_raw(boto, table, KEY)
    assert Decimal(stored["v"]["N"]) == Decimal(text)


def test_float_is_written_as_its_shortest_repr(client, boto, table, mode):
    """0.1 must not become 0.1000000000000000055511151231257827... (which DynamoDB would
    also reject: more than 38 significant digits)."""
    call(client, mode, "put_item", table, {**KEY, "v": 0.1, "w": 1e-7, "x": 123456.789})

    stored = boto_get_raw(boto, table, KEY)
    assert Decimal(stored["v"]["N"]) == Decimal("0.1")
    assert Decimal(stored["w"]["N"]) == Decimal("1e-7")
    assert Decimal(stored["x"]["N"]) == Decimal("123456.789")


def test_non_integral_numbers_read_as_float_by_default(client, boto, table, mode):
    boto_put_raw(boto, table, {"pk": {"S": "types"}, "sk": {"S": "item"}, "pi": {"N": PI}, "n": {"N": "7"}})

    item = call(client, mode, "get_item", table, KEY)

    assert_same(item["pi"], float(PI))
    assert_same(item["n"], 7)


def test_exact_numbers_reads_non_integral_numbers_as_decimal(exact_client, boto, table, mode):
    boto_put_raw(
        boto,
        table,
        {
            "pk": {"S": "types"},
            "sk": {"S": "item"},
            "pi": {"N": PI},
            "tenth": {"N": "0.1"},
            "big": {"N": str(BIG)},
            "small": {"N": "3"},
            "nested": {"L": [{"M": {"x": {"N": "2.5"}}}]},
            "set": {"NS": ["0.1", "2"]},
        },
    )

    item = call(exact_client, mode, "get_item", table, KEY)

    assert_same(item["pi"], Decimal(PI))
    assert_same(item["tenth"], Decimal("0.1"))
    assert_same(item["big"], BIG)  # integral numbers stay int
    assert_same(item["small"], 3)
    assert_same(item["nested"], [{"x": Decimal("2.5")}])
    assert_same(item["set"], {Decimal("0.1"), 2})


def test_exact_numbers_round_trip_decimal(exact_client, table, mode):
    value = Decimal(PI)
    call(exact_client, mode, "put_item", table, {**KEY, "v": value, "s": {Decimal("0.1"), Decimal("0.2")}})

    item = call(exact_client, mode, "get_item", table, KEY)

    assert_same(item["v"], value)
    assert_same(item["s"], {Decimal("0.1"), Decimal("0.2")})


def test_bool_is_not_a_number(client, boto, table, mode):
    """bool is an int subclass in Python; it must still be written as BOOL."""
    call(client, mode, "put_item", table, {**KEY, "t": True, "l": [False, 1]})

    stored = boto_get_raw(boto, table, KEY)
    assert stored["t"] == {"BOOL": True}
    assert stored["l"] == {"L": [{"BOOL": False}, {"N": "1"}]}


def test_sets_come_back_as_sets_not_lists(client, table, mode):
    call(client, mode, "put_item", table, {**KEY, "ss": {"a"}, "ns": {1}, "bs": {b"a"}})

    item = call(client, mode, "get_item", table, KEY)

    assert_same(item["ss"], {"a"})
    assert_same(item["ns"], {1})
    assert_same(item["bs"], {b"a"})


# --- values that cannot be written: the error names the attribute path -------------------

BAD_VALUES = [
    ("empty_set", {"a": {"b": [1, 2, set()]}}, ValueError, "item['a']['b'][2]"),
    ("empty_frozenset", {"a": frozenset()}, ValueError, "item['a']"),
    ("nan", {"a": float("nan")}, ValueError, "item['a']"),
    ("inf_in_list", {"a": [1, float("inf")]}, ValueError, "item['a'][1]"),
    ("minus_inf_in_map", {"a": {"b": float("-inf")}}, ValueError, "item['a']['b']"),
    ("decimal_nan", {"a": Decimal("NaN")}, ValueError, "item['a']"),
    ("decimal_inf", {"a": {"b": Decimal("Infinity")}}, ValueError, "item['a']['b']"),
    ("nan_in_set", {"a": {1.0, float("nan")}}, ValueError, "item['a']"),
    ("object", {"a": {"b": [0, 1, object()]}}, TypeError, "item['a']['b'][2]"),
    ("non_str_key", {"a": {"b": {1: "x"}}}, TypeError, "item['a']['b']"),
    ("mixed_set", {"a": {1, "x"}}, TypeError, "item['a']"),
    ("set_of_tuples", {"a": {(1, 2)}}, TypeError, "item['a']"),
    ("complex", {"a": 1j}, TypeError, "item['a']"),
]


@pytest.mark.parametrize("attrs, error, path", [c[1:] for c in BAD_VALUES], ids=[c[0] for c in BAD_VALUES])
def test_unwritable_value_raises_naming_its_path(client, boto, table, mode, attrs, error, path):
    with pytest.raises(error) as info:
        call(client, mode, "put_item", table, {**KEY, **attrs})

    assert path in error_text(info.value)
    assert boto_get_raw(boto, table, KEY) is None, "nothing may be written"
