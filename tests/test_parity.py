"""The BUILT module against the spec (spec/*.yaml).

For every operation: the sync method and its `async_` twin exist, have identical
signatures matching the spec, and the twin really is asynchronous (an awaitable, or an
async iterator for paginated operations) and fails the same way as the sync method.
No public method of a spec class is left out of the spec.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
from pathlib import Path

import pytest
import yaml

import pydynox
import pydynox.exceptions
from pydynox import pydynox_core
from pydynox.exceptions import (
    PydynoxException,
    ResourceInUseException,
    ResourceNotFoundException,
)

from support import unique_name

SPEC = Path(__file__).resolve().parent.parent / "spec"


def _merged(section):
    """One section of every spec file, in name order (as the generator merges them)."""
    out = []
    for path in sorted(SPEC.glob("*.yaml")):
        out.extend((yaml.safe_load(path.read_text()) or {}).get(section, []))
    return out


CLASSES = _merged("classes")
OPERATIONS = [(cls, op) for cls in CLASSES for op in cls["operations"]]
RESULTS = {"records": _merged("records"), "pagers": _merged("pagers"), "python_types": _merged("python_types")}
ERRORS = {"errors": _merged("errors")}
PAGERS = {pager["name"]: pager for pager in RESULTS["pagers"]}


def op_id(pair):
    cls, op = pair
    return f"{cls['name']}.{op['name']}"


def spec_parameters(params):
    """[(name, default)] of a spec parameter list; inspect.Parameter.empty when required."""
    return [(p["name"], ast.literal_eval(p["default"]) if "default" in p else inspect.Parameter.empty) for p in params]


def runtime_parameters(signature):
    return [(p.name, p.default) for p in signature.parameters.values()]


@pytest.fixture(scope="module")
def instances(moto_endpoint):
    """One instance per spec class, pointed at the moto server."""
    build = {
        "DynamoDBClient": lambda: pydynox.DynamoDBClient(endpoint_url=moto_endpoint, region="us-east-1"),
        "S3Operations": lambda: pydynox_core.S3Operations(endpoint_url=moto_endpoint, region="us-east-1"),
        "KmsEncryptor": lambda: pydynox_core.KmsEncryptor("alias/missing", endpoint_url=moto_endpoint, region="us-east-1"),
    }
    made = {}
    for cls in CLASSES:
        assert cls["name"] in build, f"add how to build {cls['name']} here"
        made[cls["name"]] = build[cls["name"]]()
    return made


# --- names and signatures ---------------------------------------------------------------------


def test_spec_names_are_never_async_prefixed():
    for _cls, op in OPERATIONS:
        assert not op["name"].startswith("async_"), op["name"]


@pytest.mark.parametrize("pair", OPERATIONS, ids=op_id)
def test_operation_and_twin_exist(pair):
    cls, op = pair
    runtime = getattr(pydynox_core, cls["name"])
    assert callable(getattr(runtime, op["name"], None)), f"{op['name']} missing"
    assert callable(getattr(runtime, f"async_{op['name']}", None)), f"async_{op['name']} missing"


@pytest.mark.parametrize("pair", OPERATIONS, ids=op_id)
def test_twin_signatures_are_identical_and_match_the_spec(pair, instances):
    cls, op = pair
    instance = instances[cls["name"]]
    sync = inspect.signature(getattr(instance, op["name"]))
    twin = inspect.signature(getattr(instance, f"async_{op['name']}"))

    assert [(p.name, p.kind, p.default) for p in sync.parameters.values()] == [
        (p.name, p.kind, p.default) for p in twin.parameters.values()
    ]
    assert runtime_parameters(sync) == spec_parameters(op.get("params", []))


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c["name"])
def test_constructor_signature_matches_the_spec(cls):
    signature = inspect.signature(getattr(pydynox_core, cls["name"]))

    assert runtime_parameters(signature) == spec_parameters(cls["constructor"]["params"])


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c["name"])
def test_no_public_method_outside_the_spec(cls):
    runtime = getattr(pydynox_core, cls["name"])
    public = {name for name in dir(runtime) if not name.startswith("_")}
    expected = {op["name"] for op in cls["operations"]}
    expected |= {f"async_{op['name']}" for op in cls["operations"]}
    expected |= {m["name"] for m in cls.get("local_methods", [])}
    expected |= {p["name"] for p in cls.get("properties", [])}

    assert public - expected == set(), "public but not in the spec"
    assert expected - public == set(), "in the spec but missing"


# --- the twins really are async ---------------------------------------------------------------


# For each operation: (positional args, keyword args, expected outcome) given `missing`, a
# table that does not exist, and `existing`, one that does. The outcome is an exception
# type (or tuple of them) both twins must raise, or ("returns", value). Operations not
# listed get arguments built from their spec types (`synthesized_call`) and must only fail
# (or return) the same way through both twins, so a new operation needs no entry here.
def failing_call(op, missing, existing):
    key = {"pk": "a", "sk": "b"}
    calls = {
        "put_item": ((missing, key), {}, ResourceNotFoundException),
        "get_item": ((missing, key), {}, ResourceNotFoundException),
        "delete_item": ((missing, key), {}, ResourceNotFoundException),
        "update_item": ((missing, key), {"updates": {"v": 1}}, ResourceNotFoundException),
        "query": (
            (missing, "pk = :pk"),
            {"expression_attribute_values": {":pk": "a"}},
            ResourceNotFoundException,
        ),
        "scan": ((missing,), {}, ResourceNotFoundException),
        "count": ((missing,), {}, ResourceNotFoundException),
        "parallel_scan": ((missing, 2), {}, ResourceNotFoundException),
        "batch_write": ((missing,), {"put_items": [key]}, ResourceNotFoundException),
        "batch_get": ((missing, [key]), {}, ResourceNotFoundException),
        "transact_write": (([{"type": "put", "table": missing, "item": key}],), {}, ResourceNotFoundException),
        "transact_get": (([{"table": missing, "key": key}],), {}, ResourceNotFoundException),
        "execute_statement": ((f'SELECT * FROM "{missing}"',), {}, ResourceNotFoundException),
        "create_table": ((existing, ("pk", "S")), {"range_key": ("sk", "S")}, ResourceInUseException),
        "table_exists": ((missing,), {}, ("returns", False)),
        "delete_table": ((missing,), {}, ResourceNotFoundException),
        # A missing table is said so at once (a table that stays CREATING: test_timeouts.py).
        "wait_for_table_active": ((missing,), {"timeout_seconds": 1}, ResourceNotFoundException),
        # moto answers these two with the code "ResourceNotFound" (no "Exception" suffix).
        "update_time_to_live": ((missing, "ttl"), {}, PydynoxException),
        "describe_time_to_live": ((missing,), {}, PydynoxException),
        "ping": ((), {}, ("returns", True)),
        # Signed locally, so it would succeed with a fresh signature each time: fail it instead.
        "presigned_url": ((missing, "k", 0), {}, ValueError),
    }
    return calls.get(op["name"]) or synthesized_call(op, missing)


# A value of each spec parameter type, aimed at a missing table where it names one.
def synthesized_value(param, missing):
    key = {"pk": "a", "sk": "b"}
    by_type = {
        "dict[str, Any]": key,
        "list[dict[str, Any]]": [key],
        "list[str]": ["pk"],
        "list[Any]": [],
        "int": 1,
        "float": 1.0,
        "bool": False,
        "tuple[str, str]": ("pk", "S"),
        "bytes": b"x",
    }
    if param["type"] == "str":
        return missing if param["name"] in ("table", "table_name") else "x"
    if param["type"] not in by_type:
        pytest.fail(f"tests/test_parity.py cannot build a {param['type']!r} argument for {param['name']}: add the type to synthesized_value")
    return by_type[param["type"]]


def synthesized_call(op, missing):
    """Required arguments built from the spec; the expected outcome is whatever the sync
    method does, which the twin must match (`None` below means: compare the two)."""
    args = tuple(synthesized_value(p, missing) for p in op.get("params", []) if "default" not in p)
    return args, {}, None


def outcome_of_sync(instance, op, args, kwargs):
    try:
        result = getattr(instance, op["name"])(*args, **kwargs)
        if "pager" in op:
            result = list(result)
        return ("returns", result)
    except Exception as error:  # noqa: BLE001 - the outcome is what we compare
        return error


def outcome_of_async(instance, op, args, kwargs):
    async def run():
        twin = getattr(instance, f"async_{op['name']}")
        if "pager" in op:
            result = twin(*args, **kwargs)
            assert hasattr(result, "__aiter__") and hasattr(result, "__anext__"), (
                f"async_{op['name']} returned {type(result).__name__}, not an async iterator"
            )
            assert type(result).__name__ == PAGERS[op["pager"]]["async_name"]
            return ("returns", [item async for item in result])
        awaitable = twin(*args, **kwargs)
        try:
            assert inspect.isawaitable(awaitable), (
                f"async_{op['name']} returned {type(awaitable).__name__}, not an awaitable"
            )
            # Coroutine-like (ADR 8): what asyncio.run, create_task and gather accept as is.
            assert asyncio.iscoroutine(awaitable), f"async_{op['name']} returned {type(awaitable).__name__}, not a coroutine"
            return ("returns", await awaitable)
        finally:
            if asyncio.iscoroutine(awaitable):
                awaitable.close()  # no-op once awaited; sends nothing if it never was

    try:
        return asyncio.run(run())
    except AssertionError:
        raise
    except Exception as error:  # noqa: BLE001
        return error


def check(outcome, expected, who):
    if isinstance(expected, tuple) and expected and expected[0] == "returns":
        assert outcome == expected, f"{who}: got {outcome!r}"
    else:
        assert isinstance(outcome, expected), f"{who}: got {outcome!r}, expected {expected}"


@pytest.mark.parametrize("pair", OPERATIONS, ids=op_id)
def test_twin_is_async_and_fails_like_the_sync_method(pair, instances, table):
    cls, op = pair
    instance = instances[cls["name"]]
    args, kwargs, expected = failing_call(op, unique_name("missing"), table)

    twin = outcome_of_async(instance, op, args, kwargs)
    sync = outcome_of_sync(instance, op, args, kwargs)
    if expected is None:  # synthesized: the twin must end exactly as the sync method did
        assert type(twin) is type(sync), f"async_{op['name']}: {twin!r}; {op['name']}: {sync!r}"
        if isinstance(sync, tuple):
            assert twin == sync
        return
    check(twin, expected, f"async_{op['name']}")
    check(sync, expected, op["name"])


def test_synthesized_arguments_reach_the_server(instances):
    # The fallback for operations without a hand-written entry must make real calls: for
    # get_item, the synthesized (table, key) reaches DynamoDB and both twins say the table is missing.
    cls, op = next(pair for pair in OPERATIONS if pair[1]["name"] == "get_item")
    args, kwargs, _ = synthesized_call(op, unique_name("missing"))
    instance = instances[cls["name"]]
    assert isinstance(outcome_of_async(instance, op, args, kwargs), ResourceNotFoundException)
    assert isinstance(outcome_of_sync(instance, op, args, kwargs), ResourceNotFoundException)


@pytest.mark.parametrize("pair", [p for p in OPERATIONS if "pager" in p[1]], ids=op_id)
def test_paginated_operation_returns_its_pager_classes(pair, instances, table):
    cls, op = pair
    instance = instances[cls["name"]]
    pager = PAGERS[op["pager"]]
    args = (table, "pk = :pk") if op["name"] == "query" else (table,)
    kwargs = {"expression_attribute_values": {":pk": "a"}} if op["name"] == "query" else {}

    sync = getattr(instance, op["name"])(*args, **kwargs)
    assert type(sync).__name__ == pager["name"]
    assert iter(sync) is sync

    async def run():
        result = getattr(instance, f"async_{op['name']}")(*args, **kwargs)
        assert result.__aiter__() is result
        awaitable = result.to_list()
        assert inspect.isawaitable(awaitable)
        return await awaitable

    assert asyncio.run(run()) == []


# --- result types and errors -------------------------------------------------------------------


@pytest.mark.parametrize("record", RESULTS["records"], ids=lambda r: r["name"])
def test_records_have_their_fields(record):
    runtime = getattr(pydynox_core, record["name"])
    for field in record["fields"]:
        assert hasattr(runtime, field["name"]), f"{record['name']}.{field['name']} missing"


@pytest.mark.parametrize("pager", RESULTS["pagers"], ids=lambda p: p["name"])
def test_pagers_have_their_properties(pager):
    sync = getattr(pydynox, pager["name"])
    twin = getattr(pydynox, pager["async_name"])
    for prop in pager["properties"]:
        assert hasattr(sync, prop["name"]) and hasattr(twin, prop["name"]), prop["name"]
    assert hasattr(sync, "__next__") and hasattr(sync, "to_list")
    assert hasattr(twin, "__anext__") and hasattr(twin, "to_list")


def test_python_types_exist():
    import importlib

    for python_type in RESULTS.get("python_types", []):
        module = importlib.import_module(python_type["module"])
        assert isinstance(getattr(module, python_type["name"]), type)


@pytest.mark.parametrize("error", ERRORS["errors"], ids=lambda e: e["name"])
def test_errors_exist_with_their_base(error):
    runtime = getattr(pydynox.exceptions, error["name"])
    base = Exception if error["base"] == "Exception" else getattr(pydynox.exceptions, error["base"])
    assert issubclass(runtime, base)


# Written in Python because each has two bases (a spec error and a builtin), which the
# generated exceptions cannot have; the Rust core raises them through pydynox.exceptions.
PYTHON_ERRORS = {
    "ParamValidationException": ("ValidationException", ValueError),
    "RequestTimeoutException": ("ConnectionException", TimeoutError),
}


def test_exceptions_module_exports_the_spec_errors_and_its_own_subclasses():
    spec_errors = {e["name"] for e in ERRORS["errors"]}
    exported = set(pydynox.exceptions.__all__)
    assert spec_errors | set(PYTHON_ERRORS) <= exported
    for name in exported - spec_errors:  # written in pydynox/exceptions.py, under the same base
        cls = getattr(pydynox.exceptions, name)
        assert cls.__module__ == "pydynox.exceptions" and issubclass(cls, PydynoxException), name
    for name, (spec_base, builtin) in PYTHON_ERRORS.items():
        cls = getattr(pydynox.exceptions, name)
        assert issubclass(cls, getattr(pydynox_core, spec_base)) and issubclass(cls, builtin), name
