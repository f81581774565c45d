"""Class pairs against spec/model.yaml (`class_pairs`, codegen/README.md): for every pair,
the sync and the async class exist, are exported by `pydynox`, expose exactly the public
names the spec declares (operations and local methods), take the same constructor and
method parameters, and differ only in the async class's I/O methods being coroutine
functions; with `context`, `with` works on the sync class and `async with` on the other.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
import yaml

import pydynox
from pydynox._generated import model_ops

SPEC = yaml.safe_load((Path(__file__).resolve().parent.parent / "spec" / "model.yaml").read_text())
PAIRS = SPEC.get("class_pairs", [])


def pair_id(pair: dict[str, Any]) -> str:
    return pair["name"]


def public(cls: type) -> set[str]:
    return {n for n in dir(cls) if not n.startswith("_")}


def params(function: Any) -> list[tuple[str, Any, Any]]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_both_classes_are_exported(pair: dict[str, Any]) -> None:
    for name in (pair["name"], pair["async_name"]):
        assert getattr(pydynox, name) is getattr(model_ops, name)
        assert name in pydynox.__all__


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_no_public_name_outside_the_spec(pair: dict[str, Any]) -> None:
    expected = {op["name"] for op in pair.get("operations", [])} | {m["name"] for m in pair.get("local_methods", [])}
    for name in (pair["name"], pair["async_name"]):
        assert public(getattr(model_ops, name)) == expected, name


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_twins_take_the_same_parameters_and_only_io_is_awaitable(pair: dict[str, Any]) -> None:
    sync, twin = getattr(model_ops, pair["name"]), getattr(model_ops, pair["async_name"])
    assert params(sync.__init__) == params(twin.__init__)
    for op in pair.get("operations", []):
        s, a = getattr(sync, op["name"]), getattr(twin, op["name"])
        assert params(s) == params(a), op["name"]
        assert [p[0] for p in params(s)][1:] == [p["name"] for p in op.get("params", [])], op["name"]
        assert not inspect.iscoroutinefunction(s), f"{pair['name']}.{op['name']}"
        assert inspect.iscoroutinefunction(a), f"{pair['async_name']}.{op['name']}"
    for local in pair.get("local_methods", []):
        assert inspect.getattr_static(sync, local["name"]) is inspect.getattr_static(twin, local["name"])


@pytest.mark.parametrize("pair", [p for p in PAIRS if "context" in p], ids=pair_id)
def test_context_managers(pair: dict[str, Any]) -> None:
    sync, twin = getattr(model_ops, pair["name"]), getattr(model_ops, pair["async_name"])
    assert not inspect.iscoroutinefunction(sync.__enter__) and not inspect.iscoroutinefunction(sync.__exit__)
    assert inspect.iscoroutinefunction(twin.__aenter__) and inspect.iscoroutinefunction(twin.__aexit__)
    assert not hasattr(sync, "__aenter__") and not hasattr(twin, "__enter__")


def test_batch_writer_takes_0_21_0s_constructor() -> None:
    # pydynox 0.21.0: BatchWriter(client, table); our options come after, keyword-only.
    for cls in (pydynox.BatchWriter, pydynox.AsyncBatchWriter):
        positional = [p for p in inspect.signature(cls).parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD]
        assert [p.name for p in positional] == ["client", "table"]
    from pydynox.batch_operations import AsyncBatchWriter, BatchWriter

    assert BatchWriter is pydynox.BatchWriter and AsyncBatchWriter is pydynox.AsyncBatchWriter
