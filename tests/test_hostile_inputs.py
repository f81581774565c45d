"""No argument or value reaches a panic or an abort (issue 7, defect 3).

Hand-picked hostile values first (sets and lists that lie about their size, dicts changed
while they are converted), then hypothesis: random and hostile arguments for every
operation of the spec, through both twins, where the only acceptable outcomes are a result
or a typed exception; and random storable items, which must round-trip exactly (checked
with boto3). `PanicException` derives from BaseException, so a panic fails these tests.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import pydynox
from pydynox.diagnostics import HotPartitionDetector
from pydynox.exceptions import ParamValidationException, PydynoxException
from pydynox.rate_limit import AdaptiveRate, FixedRate

from support import MODES, boto_get, boto_get_raw, call, closed_endpoint, from_boto

SPEC = yaml.safe_load((Path(__file__).resolve().parent.parent / "spec" / "client.yaml").read_text())
OPERATIONS = SPEC["classes"][0]["operations"]
CONSTRUCTOR = SPEC["classes"][0]["constructor"]["params"]
TYPED = (TypeError, ValueError, OverflowError, RuntimeError, PydynoxException, TimeoutError)
KEY = {"pk": "hostile", "sk": "item"}


# --- values that lie ----------------------------------------------------------------------------


class LyingSet(set):
    def __len__(self) -> int:
        return 2**62


class LyingFrozenSet(frozenset):
    def __len__(self) -> int:
        return 2**40


class EndlessSet(set):
    def __iter__(self):
        return itertools.repeat("again")


class LyingList(list):
    def __len__(self) -> int:
        return 2**40


class SizedLie:
    """A sequence that claims 2**40 items and has one."""

    def __init__(self, item: Any) -> None:
        self.item = item

    def __len__(self) -> int:
        return 2**40

    def __getitem__(self, index: int) -> Any:
        if index == 0:
            return self.item
        raise IndexError(index)


def test_sets_that_lie_about_their_size_are_stored_exactly(client, boto, table, mode):
    item = {**KEY, "a": LyingSet({"x", "y"}), "b": LyingFrozenSet({1, 2})}

    call(client, mode, "put_item", table, item)

    assert boto_get(boto, table, KEY) == {**KEY, "a": {"x", "y"}, "b": {Decimal(1), Decimal(2)}}


def test_a_set_that_never_stops_iterating_is_rejected(client, boto, table, mode):
    with pytest.raises(ParamValidationException) as info:
        call(client, mode, "put_item", table, {**KEY, "s": EndlessSet({"a"})})

    assert "item['s']" in str(info.value)
    assert boto_get_raw(boto, table, KEY) is None


def test_lists_that_lie_about_their_size_are_read_exactly(client, boto, table, mode):
    call(client, mode, "batch_write", table, put_items=LyingList([KEY]))
    found = call(client, mode, "batch_get", table, SizedLie(KEY))
    got = call(client, mode, "get_item", table, KEY, projection=LyingList(["pk"]))

    assert found == [KEY]
    assert got == {"pk": "hostile"}


def changing(container: dict, change) -> Decimal:
    """A number whose conversion changes `container` (its `__str__` runs during it)."""

    class Meddling(Decimal):
        def __str__(self) -> str:
            change(container)
            return super().__str__()

    return Meddling("1.5")


@pytest.mark.parametrize("change", [lambda d: d.clear(), lambda d: d.update(extra=1), lambda d: d.pop("pk")])
def test_an_item_changed_during_conversion_is_a_runtime_error(client, boto, table, mode, change):
    item = dict(KEY)
    item["n"] = changing(item, change)
    item["z"] = "after"

    with pytest.raises(RuntimeError) as info:
        call(client, mode, "put_item", table, item)

    assert "changed size" in str(info.value)
    assert boto_get_raw(boto, table, KEY) is None


def test_updates_changed_during_conversion_is_a_runtime_error(client, table, mode):
    updates: dict = {}
    updates["n"] = changing(updates, lambda d: d.clear())
    updates["m"] = 1

    with pytest.raises(RuntimeError):
        call(client, mode, "update_item", table, KEY, updates=updates)


def test_nested_map_changed_during_conversion_is_a_runtime_error(client, table, mode):
    inner: dict = {}
    inner["n"] = changing(inner, lambda d: d.update(more=2))
    inner["o"] = 2

    with pytest.raises(RuntimeError) as info:
        call(client, mode, "put_item", table, {**KEY, "map": inner})

    assert "item['map']" in str(info.value)


# --- hypothesis: hostile arguments for every operation ---------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**60), max_value=10**60),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("sNaN"), Decimal("1E+999999"), Decimal("-0"), 2**64, -(2**63) - 1, 10**400]),
    st.text(),
    st.text(alphabet=st.characters(blacklist_categories=())),  # lone surrogates included
    st.binary(),
    st.binary().map(bytearray),
    st.binary().map(memoryview),
    st.complex_numbers(),
    st.sampled_from([object(), Ellipsis, NotImplemented, type, len, range(3), slice(1)]),
)


def lying(values):
    return st.one_of(
        st.sets(st.text(), min_size=1, max_size=3).map(LyingSet),
        st.frozensets(st.integers(), min_size=1, max_size=3).map(LyingFrozenSet),
        st.lists(values, max_size=3).map(LyingList),
        values.map(SizedLie),
    )


hostile = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(tuple),
        st.dictionaries(st.text(max_size=5), children, max_size=4),
        st.dictionaries(st.one_of(st.integers(), st.text(), st.none()), children, max_size=3),
        st.sets(st.one_of(st.text(), st.integers(), st.floats(), st.binary(), st.booleans()), max_size=4),
        st.frozensets(st.one_of(st.text(), st.decimals(allow_nan=False)), max_size=4),
        lying(children),
    ),
    max_leaves=12,
)

names = st.one_of(st.text(max_size=8), st.sampled_from(["pk", "sk", "#n", ":v", "", "\x00", "\ud800"]))
item_dicts = st.dictionaries(names, hostile, max_size=5)

# What a well-typed argument of each spec type looks like, so that the fuzzing gets past
# PyO3's extraction and into the core's own checks.
BY_TYPE: dict[str, st.SearchStrategy] = {
    "str": names,
    "bool": st.booleans(),
    "int": st.one_of(st.integers(), st.integers(min_value=-2, max_value=40)),
    "float": st.floats(),
    "dict[str, Any]": item_dicts,
    "dict[str, str]": st.dictionaries(names, st.one_of(names, hostile), max_size=3),
    "list[str]": st.lists(st.one_of(names, hostile), max_size=4),
    "list[Any]": st.lists(hostile, max_size=4),
    "list[dict[str, Any]]": st.one_of(
        st.lists(item_dicts, max_size=4),
        st.lists(
            st.fixed_dictionaries(
                {"type": st.sampled_from(["put", "delete", "update", "condition_check", "bogus"]), "table": names},
                optional={
                    "item": item_dicts,
                    "key": item_dicts,
                    "update_expression": names,
                    "condition_expression": names,
                    "expression_attribute_names": hostile,
                    "expression_attribute_values": hostile,
                    "index_name": hostile,
                    "hash_key": st.tuples(names, st.sampled_from(["S", "N", "B", "X"])),
                    "range_key": hostile,
                    "projection": st.sampled_from(["ALL", "KEYS_ONLY", "INCLUDE", "x"]),
                    "non_key_attributes": hostile,
                    "read_capacity": st.integers(),
                    "write_capacity": st.integers(),
                },
            ),
            max_size=3,
        ),
    ),
    "tuple[str, str]": st.tuples(names, st.one_of(st.sampled_from(["S", "N", "B"]), names)),
    # Valid, and generous enough that no call waits on them (their own bad values have
    # their own tests: test_rate_limit, test_hot_partitions).
    "FixedRate": st.builds(FixedRate, rcu=st.floats(1e5, 1e6), wcu=st.floats(1e5, 1e6)),
    "AdaptiveRate": st.builds(AdaptiveRate, max_rcu=st.floats(1e5, 1e6), max_wcu=st.floats(1e5, 1e6)),
    "HotPartitionDetector": st.builds(HotPartitionDetector, writes_threshold=st.integers(1, 1000), reads_threshold=st.integers(1, 1000), window_seconds=st.integers(1, 60)),
}


def argument(spec_type: str) -> st.SearchStrategy:
    options = [hostile]
    for part in (p.strip() for p in spec_type.split("|")):
        options.append(st.none() if part == "None" else BY_TYPE[part])
    # Mostly well-typed, sometimes anything at all.
    return st.one_of(*options[1:], *options[1:], *options[1:], hostile)


def arguments(params: list[dict]) -> st.SearchStrategy:
    return st.fixed_dictionaries({p["name"]: argument(p["type"]) for p in params})


calls = st.one_of(
    *(st.tuples(st.just(op["name"]), arguments(op.get("params", [])), st.sampled_from(["sync", "async"])) for op in OPERATIONS)
)


@pytest.fixture(scope="module")
def offline():
    """A client where anything that passes local checks fails to connect, quickly."""
    return pydynox.DynamoDBClient(endpoint_url=closed_endpoint(), region="us-east-1", max_retries=0, connect_timeout=1.0)


@pytest.fixture(scope="module")
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def run_call(client: Any, loop: asyncio.AbstractEventLoop, name: str, kwargs: dict, mode: str) -> None:
    op = next(o for o in OPERATIONS if o["name"] == name)
    if mode == "sync":
        result = getattr(client, name)(**kwargs)
        if "pager" in op:
            next(iter(result), None)
        return

    async def run() -> None:
        result = getattr(client, f"async_{name}")(**kwargs)
        if "pager" in op:
            async for _ in result:
                break
        else:
            await result

    loop.run_until_complete(run())


def assert_typed(outcome: BaseException | None) -> None:
    if outcome is not None and not isinstance(outcome, TYPED):
        raise AssertionError(f"untyped failure {type(outcome).__module__}.{type(outcome).__name__}: {outcome}")


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(call_spec=calls)
def test_every_operation_fails_only_with_typed_exceptions(offline, loop, call_spec):
    name, kwargs, mode = call_spec
    try:
        run_call(offline, loop, name, kwargs, mode)
        outcome = None
    except BaseException as error:  # noqa: BLE001 - PanicException is a BaseException
        if isinstance(error, KeyboardInterrupt):
            raise
        outcome = error
    assert_typed(outcome)


# Hypothesis's own generation of the values above costs ~20 ms a case; to reach well over
# 10,000 cases in CI's budget, this sweep draws its values with a plain `random.Random`
# seeded by hypothesis (so a failure still replays): 400 seeds x 25 calls = 10,000 calls.

SCALAR_MAKERS = [
    lambda r: None,
    lambda r: r.random() < 0.5,
    lambda r: r.randint(-(2**70), 2**70),
    lambda r: r.choice([0, -1, 2**31, 2**63, -(2**63) - 1, 10**38, 10**400]),
    lambda r: r.choice([0.0, -0.0, 1.5, 1e308, 5e-324, math.inf, -math.inf, math.nan]),
    lambda r: Decimal(r.choice(["1.50", "NaN", "sNaN", "-Infinity", "1E+999999", "1E-999999", "0E-7", "123456789" * 5])),
    lambda r: "".join(chr(r.choice([r.randint(32, 126), r.randint(0, 0x10FFFF)])) for _ in range(r.randint(0, 6))),
    lambda r: r.choice(["", "pk", "sk", ":v", "#n", "\x00", "\ud800", "S", "N", "B", "ALL", "put", "delete"]),
    lambda r: r.randbytes(r.randint(0, 4)),
    lambda r: bytearray(r.randbytes(2)),
    lambda r: memoryview(r.randbytes(3)),
    lambda r: complex(1, 2),
    lambda r: r.choice([object(), Ellipsis, type, len, range(2)]),
]


def fast_value(r: "random.Random", depth: int = 0) -> Any:
    if depth > 3 or r.random() < 0.55:
        return r.choice(SCALAR_MAKERS)(r)
    n = r.randint(0, 4)
    kind = r.randint(0, 8)
    if kind == 0:
        return [fast_value(r, depth + 1) for _ in range(n)]
    if kind == 1:
        return tuple(fast_value(r, depth + 1) for _ in range(n))
    if kind in (2, 3):
        return {r.choice(["pk", "sk", "a", "b", ":v", "#n", ""]) + str(i): fast_value(r, depth + 1) for i in range(n)}
    if kind == 4:
        return {r.choice([1, None, "k", b"x", 1.5, (1,)]): fast_value(r, depth + 1) for _ in range(n)}
    if kind == 5:
        members = [r.choice([str(i), i, float(i), bytes([i]), True]) for i in range(n)]
        return set(members)
    if kind == 6:
        return LyingSet({str(i) for i in range(max(n, 1))})
    if kind == 7:
        return LyingList([fast_value(r, depth + 1) for _ in range(n)])
    return SizedLie(fast_value(r, depth + 1))


def fast_argument(r: "random.Random", spec_type: str) -> Any:
    parts = [p.strip() for p in spec_type.split("|")]
    if "None" in parts and r.random() < 0.3:
        return None
    part = parts[0]
    if r.random() < 0.15:
        return fast_value(r)
    if part == "str":
        return r.choice(["t", "pk", "", "SELECT * FROM t", "SET a = :v", "\x00", "a" * 300])
    if part == "bool":
        return r.random() < 0.5
    if part == "int":
        return r.choice([0, 1, -1, 2, 25, 2**31, 2**63 - 1, -(2**63), 10**6])
    if part == "float":
        return r.choice([0.1, 1e20, -1.0, math.nan, 5.0])
    if part.startswith("dict"):
        value = fast_value(r, 2)
        return value if isinstance(value, dict) and r.random() < 0.5 else {"pk": fast_value(r, 1), "sk": "b"}
    if part.startswith("list[dict"):
        ops = []
        for _ in range(r.randint(0, 3)):
            op = {"type": r.choice(["put", "delete", "update", "condition_check", "x"]), "table": "t"}
            for field in ("item", "key", "update_expression", "condition_expression", "expression_attribute_values",
                          "index_name", "hash_key", "projection", "read_capacity"):
                if r.random() < 0.4:
                    op[field] = fast_value(r, 1)
            ops.append(op)
        return ops
    if part.startswith("list"):
        return [fast_value(r, 1) for _ in range(r.randint(0, 4))]
    if part.startswith("tuple"):
        return (r.choice(["pk", "", "x"]), r.choice(["S", "N", "B", "INVALID", ""]))
    raise AssertionError(spec_type)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck), database=None, phases=[Phase.generate])
@given(rng=st.randoms(use_true_random=False))
def test_random_sweep_of_every_operation_fails_only_with_typed_exceptions(offline, loop, rng):
    for _ in range(25):
        op = rng.choice(OPERATIONS)
        kwargs = {p["name"]: fast_argument(rng, p["type"]) for p in op.get("params", [])}
        mode = rng.choice(["sync", "async"])
        try:
            run_call(offline, loop, op["name"], kwargs, mode)
            outcome = None
        except BaseException as error:  # noqa: BLE001
            if isinstance(error, KeyboardInterrupt):
                raise
            outcome = error
        try:
            assert_typed(outcome)
        except AssertionError as failure:
            raise AssertionError(f"{mode} {op['name']}(**{kwargs!r})") from failure


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(kwargs=arguments(CONSTRUCTOR))
def test_constructor_fails_only_with_typed_exceptions(kwargs):
    kwargs["endpoint_url"] = closed_endpoint()  # never reach out to a real (or random) host
    kwargs["max_retries"] = 0
    try:
        client = pydynox.DynamoDBClient(**kwargs)
        repr(client)
        client.get_item("t", KEY)
        outcome = None
    except BaseException as error:  # noqa: BLE001
        if isinstance(error, KeyboardInterrupt):
            raise
        outcome = error
    assert_typed(outcome)


# --- hypothesis: every storable value round-trips exactly ----------------------------------------

DIGITS_38 = 10**38 - 1


def dynamo_decimal(value: Decimal) -> bool:
    """Whether DynamoDB can hold this number: 38 significant digits, magnitude 1e-130..1e126."""
    if value == 0:
        return True
    digits = len(value.as_tuple().digits)  # as written: that is the text sent
    return digits <= 38 and -130 < value.adjusted() < 126


storable_scalars = st.one_of(
    st.text(),
    st.integers(min_value=-DIGITS_38, max_value=DIGITS_38),
    st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(dynamo_decimal),
    st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: dynamo_decimal(Decimal(repr(f)))),
    st.booleans(),
    st.none(),
    st.binary(),
)
storable = st.recursive(
    storable_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(min_size=1, max_size=6), children, max_size=4),
        st.sets(st.text(min_size=1), min_size=1, max_size=4),
        st.sets(st.integers(min_value=-DIGITS_38, max_value=DIGITS_38), min_size=1, max_size=4),
        st.sets(st.binary(min_size=1), min_size=1, max_size=4),
    ),
    max_leaves=10,
)


def expected(value: Any) -> Any:
    """What pydynox promises to give back for a stored value (floats and Decimals compare
    as numbers; integral ones come back as int)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return int(number) if number == number.to_integral_value() else float(number)
    if isinstance(value, bytes):
        return value
    if isinstance(value, list):
        return [expected(v) for v in value]
    if isinstance(value, dict):
        return {k: expected(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return {expected(v) for v in value}
    return value


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    attributes=st.dictionaries(st.text(min_size=1, max_size=6).filter(lambda k: k not in KEY), storable, max_size=4),
    mode=st.sampled_from(MODES),  # drawn per example: both twins, at the cost of one
)
def test_storable_values_round_trip_exactly(client, boto, module_table, attributes, mode):
    item = {**KEY, **attributes}

    call(client, mode, "put_item", module_table, item)

    stored = boto_get(boto, module_table, KEY)
    assert from_boto(stored) == expected(item), "boto3 reads what was written"
    assert call(client, mode, "get_item", module_table, KEY, consistent_read=True) == expected(item)


def test_float_expectation_is_sane():
    assert expected(0.1) == 0.1 and expected(3.0) == 3 and math.isclose(expected(Decimal("1.5")), 1.5)
