"""The model layer against spec/model.yaml (ADR 5).

For every model, index and result-class method the spec declares: the sync method and its
`async_` twin exist on the classes users touch, with identical parameters equal to the
spec's; the twin is a coroutine function (or, for paginated operations, returns the async
result class, an async iterator); each result pair exposes the same properties; and no
public `Model` method exists outside the spec.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import Any

import pytest
import yaml

from pydynox._generated import model_ops
from pydynox.attributes import S3Attribute, S3Value
from pydynox.indexes import GlobalSecondaryIndex, LocalSecondaryIndex
from pydynox.integrations import IntegrationModel
from pydynox.model import Model

SPEC = yaml.safe_load((Path(__file__).resolve().parent.parent / "spec" / "model.yaml").read_text())
RUNTIME = {
    "Model": Model,
    "GlobalSecondaryIndex": GlobalSecondaryIndex,
    "LocalSecondaryIndex": LocalSecondaryIndex,
    "S3Value": S3Value,
    "S3Attribute": S3Attribute,
    "IntegrationModel": IntegrationModel,
}
OPERATIONS = [(cls, op) for cls in SPEC["model_classes"] for op in cls["operations"]]
RESULTS = {r["name"]: r for r in SPEC["model_results"]}


def op_id(pair: tuple[dict[str, Any], dict[str, Any]]) -> str:
    return f"{pair[0]['name']}.{pair[1]['name']}"


def spec_parameters(op: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """[(name, kind, default)] as inspect reports them for the method (receiver dropped)."""
    params = [
        (
            p["name"],
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            ast.literal_eval(p["default"]) if "default" in p else inspect.Parameter.empty,
        )
        for p in op.get("params", [])
    ]
    if "kwargs" in op:
        params.append((op["kwargs"]["name"], inspect.Parameter.VAR_KEYWORD, inspect.Parameter.empty))
    return params


def runtime_parameters(function: Any, on: str) -> list[tuple[str, Any, Any]]:
    params = list(inspect.signature(function).parameters.values())
    if on != "class":  # classmethods come bound; instance and index methods list `self`
        assert params and params[0].name == "self"
        params = params[1:]
    return [(p.name, p.kind, p.default) for p in params]


def method(cls: dict[str, Any], name: str) -> Any:
    return getattr(RUNTIME[cls["name"]], name)


@pytest.mark.parametrize("pair", OPERATIONS, ids=op_id)
def test_operation_and_twin_have_identical_parameters_from_the_spec(pair: Any) -> None:
    cls, op = pair
    sync = method(cls, op["name"])
    twin = method(cls, f"async_{op['name']}")
    expected = spec_parameters(op)
    assert runtime_parameters(sync, op["receiver"]) == expected
    assert runtime_parameters(twin, op["receiver"]) == expected


@pytest.mark.parametrize("pair", OPERATIONS, ids=op_id)
def test_twin_is_asynchronous(pair: Any) -> None:
    cls, op = pair
    sync = method(cls, op["name"])
    twin = method(cls, f"async_{op['name']}")
    assert not inspect.iscoroutinefunction(sync), f"{op['name']} must not be async"
    if "result" in op:
        # Paginated: both return their result object at once; the twin's is an async iterator.
        result = RESULTS[op["result"]]
        assert inspect.signature(sync).return_annotation.startswith(f"{result['name']}[")
        assert inspect.signature(twin).return_annotation.startswith(f"{result['async_name']}[")
        assert not inspect.iscoroutinefunction(twin)
    else:
        assert inspect.iscoroutinefunction(twin), f"async_{op['name']} must be a coroutine function"
    assert inspect.signature(sync).return_annotation == inspect.signature(twin).return_annotation or "result" in op


@pytest.mark.parametrize("pair", OPERATIONS, ids=op_id)
def test_operation_is_classmethod_exactly_when_declared_on_the_class(pair: Any) -> None:
    cls, op = pair
    for name in (op["name"], f"async_{op['name']}"):
        declared = inspect.getattr_static(RUNTIME[cls["name"]], name)
        assert isinstance(declared, classmethod) == (op["receiver"] == "class"), name


@pytest.mark.parametrize("result", SPEC["model_results"], ids=lambda r: r["name"])
def test_result_pairs_expose_the_same_public_names(result: dict[str, Any]) -> None:
    sync = getattr(model_ops, result["name"])
    twin = getattr(model_ops, result["async_name"])
    public = lambda c: {n for n in dir(c) if not n.startswith("_")}  # noqa: E731
    assert public(sync) == public(twin)
    assert {"last_evaluated_key", "cursor", "metrics", "first", "to_list"} <= public(sync)
    assert hasattr(sync, "__next__") and hasattr(twin, "__anext__")
    for name in ("first", "to_list"):
        assert inspect.iscoroutinefunction(getattr(twin, name)), f"{result['async_name']}.{name}"
        assert not inspect.iscoroutinefunction(getattr(sync, name)), f"{result['name']}.{name}"
    # Twins are generated: apart from the iteration protocol, the same methods in both.
    for name in ("last_evaluated_key", "cursor", "metrics"):
        assert isinstance(inspect.getattr_static(sync, name), property)
        assert isinstance(inspect.getattr_static(twin, name), property)


def test_no_public_model_method_outside_the_spec() -> None:
    (model,) = [c for c in SPEC["model_classes"] if c["name"] == "Model"]
    expected = {op["name"] for op in model["operations"]}
    expected |= {f"async_{op['name']}" for op in model["operations"]}
    expected |= {m["name"] for m in model.get("local_methods", [])}
    public = {name for name in dir(Model) if not name.startswith("_")}
    assert public - expected == set(), "public on Model but not in spec/model.yaml"
    assert expected - public == set(), "in spec/model.yaml but missing on Model"


def test_every_async_method_is_a_twin_the_spec_declares() -> None:
    for cls in SPEC["model_classes"]:
        runtime = RUNTIME[cls["name"]]
        declared = {op["name"] for op in cls["operations"]}
        twins = {f"async_{name}" for name in declared}
        public_callables = {name for name in dir(runtime) if not name.startswith("_") and callable(getattr(runtime, name))}
        assert declared | twins <= public_callables, cls["name"]
        assert {n for n in public_callables if n.startswith("async_")} == twins, cls["name"]


def test_generated_file_is_what_the_spec_renders() -> None:
    """The committed module carries the do-not-edit header; freshness itself is checked by
    `cargo test -p codegen` and `scripts/generate.sh --check`."""
    source = Path(model_ops.__file__).read_text()
    assert source.startswith("# Generated from ")
    assert "Do not edit" in source.splitlines()[0]
