"""Cores of the one-shot reads: get, count, parallel_scan, batch_get, execute_statement
(whose shell repeats the call page by page while `more_execute_statement` says so)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydynox._model.expressions import ExpressionBuilder
from pydynox._model.loading import field_paths, load_item, loader_of
from pydynox._model.schema import schema_of_class
from pydynox._model.steps import Services
from pydynox._model.plan import (
    ReadPlan,
    check_count,
    client_of,
    config_of,
    consistent,
    key_from_kwargs,
    record,
    schema_of,
    table_of,
    user_condition,
)
from pydynox.conditions import Condition

if TYPE_CHECKING:
    from pydynox.pydynox_core import OperationMetrics

__all__ = [
    "finish_batch_get",
    "finish_count",
    "finish_execute_statement",
    "finish_get",
    "finish_parallel_scan",
    "more_execute_statement",
    "plan_batch_get",
    "plan_count",
    "plan_execute_statement",
    "plan_get",
    "plan_parallel_scan",
    "trim_item",
]


# --- get ------------------------------------------------------------------------------------


def plan_get(
    model: Any,
    consistent_read: bool | None = None,
    as_dict: bool = False,
    fields: list[str] | None = None,
    **keys: Any,
) -> ReadPlan:
    schema = schema_of_class(model)  # a classmethod's receiver: no instance to look through
    config = config_of(schema)
    client = config.client or client_of(schema, config)
    key = key_from_kwargs(schema, keys, "get")  # `keys` is this call's own dict
    if keys:
        raise TypeError(f"{schema.name}.get: takes the key attributes only, also got {sorted(keys)}")
    if consistent_read is None:
        consistent_read = config.consistent_read
    elif consistent_read is not True and consistent_read is not False:
        raise TypeError(f"{schema.name}: consistent_read must be True, False or None, got {consistent_read!r}")
    plan = ReadPlan(client, {"table": config.table, "key": key, "consistent_read": consistent_read}, schema, "get", loader_of(schema, as_dict))
    _reveal_loaded(plan, as_dict)
    if fields is not None:
        paths = field_paths(schema, fields)
        # The client's get_item projects whole top-level attributes; nested paths are
        # trimmed from what comes back (finish_get), so the result holds only what was asked.
        tops = list(dict.fromkeys(str(path[0]) for path in paths))
        tops.extend(name for name in schema.table_key_names() if name not in tops)
        plan.args["projection"] = tops
        if any(len(path) > 1 for path in paths):
            plan.fields = tuple(paths)
    return plan


def _trim(value: Any, tails: list[tuple[str | int, ...]]) -> Any:
    """The parts of `value` the document paths `tails` select (as DynamoDB projects them)."""
    if any(not tail for tail in tails):
        return value
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for step in dict.fromkeys(tail[0] for tail in tails):
            if isinstance(step, str) and step in value:
                out[step] = _trim(value[step], [tail[1:] for tail in tails if tail[0] == step])
        return out
    if isinstance(value, list):
        picked = []
        for step in sorted({tail[0] for tail in tails if isinstance(tail[0], int)}):
            if step < len(value):
                picked.append(_trim(value[step], [tail[1:] for tail in tails if tail[0] == step]))
        return picked
    return None


def trim_item(raw: dict[str, Any], paths: tuple[tuple[str | int, ...], ...], keep: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for top in dict.fromkeys(path[0] for path in paths):
        if top in raw:
            trimmed = _trim(raw[top], [path[1:] for path in paths if path[0] == top])
            if trimmed is not None and trimmed != {} and trimmed != []:
                out[top] = trimmed
    for name in keep:
        if name in raw:
            out[name] = raw[name]
    return out


def finish_get(plan: ReadPlan, answer: tuple[dict[str, Any] | None, OperationMetrics | None] | None) -> Any:
    # The client hands this call's own metrics with the item (get_item_with_metrics), so
    # concurrent calls on one client each record their own.
    assert answer is not None  # a get always sends
    item, metrics = answer
    plan.schema.metrics.record(metrics, "get")
    if item is None:
        return None
    if plan.fields is not None:
        item = trim_item(item, plan.fields, plan.schema.table_key_names())
    return plan.load(item)


# --- count, parallel scan ------------------------------------------------------------------


def plan_count(model: Any, filter_condition: Condition | None = None, consistent_read: bool | None = None) -> ReadPlan:
    schema = schema_of(model)
    client = client_of(schema)
    builder = ExpressionBuilder()
    args: dict[str, Any] = {"table": table_of(schema), "consistent_read": consistent(schema, consistent_read)}
    filter_text = user_condition(filter_condition, builder, "filter_condition", schema)
    if filter_text:
        args["filter_expression"] = filter_text
        args.update(builder.arguments())
    return ReadPlan(client, args, schema, "scan")


def finish_count(plan: ReadPlan, answer: tuple[int, OperationMetrics] | None) -> tuple[int, OperationMetrics]:
    assert answer is not None  # count always sends
    record(plan, answer[1])
    return answer


def plan_parallel_scan(
    model: Any,
    total_segments: int,
    filter_condition: Condition | None = None,
    consistent_read: bool | None = None,
    as_dict: bool = False,
) -> ReadPlan:
    schema = schema_of(model)
    client = client_of(schema)
    check_count(schema, "total_segments", total_segments)
    builder = ExpressionBuilder()
    args: dict[str, Any] = {
        "table": table_of(schema),
        "total_segments": total_segments,
        "consistent_read": consistent(schema, consistent_read),
    }
    filter_text = user_condition(filter_condition, builder, "filter_condition", schema)
    if filter_text:
        args["filter_expression"] = filter_text
        args.update(builder.arguments())
    plan = ReadPlan(client, args, schema, "scan", loader_of(schema, as_dict))
    _reveal_loaded(plan, as_dict)
    return plan


def finish_parallel_scan(
    plan: ReadPlan, answer: tuple[list[dict[str, Any]], OperationMetrics] | None
) -> tuple[list[Any], OperationMetrics]:
    assert answer is not None  # a parallel scan always sends
    items, metrics = answer
    record(plan, metrics)
    return [load_item(plan, raw) for raw in items], metrics


# --- batch get, PartiQL ---------------------------------------------------------------------


def plan_batch_get(
    model: Any, keys: list[dict[str, Any]], consistent_read: bool | None = None, as_dict: bool = False
) -> ReadPlan:
    schema = schema_of(model)
    client = client_of(schema)
    consistent_read = consistent(schema, consistent_read)
    if not isinstance(keys, (list, tuple)):
        raise TypeError(f"{schema.name}.batch_get: keys must be a list of key dicts, got {keys!r}")
    stored_keys = []
    for position, key in enumerate(keys):
        if not isinstance(key, dict):
            raise TypeError(f"{schema.name}.batch_get: keys[{position}] must be a dict, got {key!r}")
        values = dict(key)
        stored_keys.append(key_from_kwargs(schema, values, f"batch_get keys[{position}]"))
        if values:
            raise TypeError(f"{schema.name}.batch_get: keys[{position}] has non-key attributes {sorted(values)}")
    args = {"table": table_of(schema), "keys": stored_keys, "consistent_read": consistent_read}
    plan = ReadPlan(client, args, schema, "get", loader_of(schema, as_dict))
    plan.skip = not stored_keys
    _reveal_loaded(plan, as_dict)
    return plan


def _reveal_loaded(plan: ReadPlan, as_dict: Any) -> None:
    """Models are loaded from decrypted items: the shells run each item's read steps
    (twinned KMS calls) first. Dicts (as_dict) are returned as stored."""
    if plan.schema.services and as_dict is False:
        plan.services = Services()
        plan.services.reveal = plan.schema


def finish_batch_get(plan: ReadPlan, answer: list[dict[str, Any]] | None) -> list[Any]:
    if answer is None:
        return []
    record(plan, getattr(answer, "metrics", None))
    return [load_item(plan, raw) for raw in answer]


def plan_execute_statement(
    model: Any, statement: str, parameters: list[Any] | None = None, consistent_read: bool = False
) -> ReadPlan:
    schema = schema_of(model)
    client = client_of(schema)
    if not isinstance(statement, str) or not statement.strip():
        raise ValueError(f"{schema.name}.execute_statement: statement must be a non-empty string")
    if parameters is not None and not isinstance(parameters, (list, tuple)):
        raise TypeError(f"{schema.name}.execute_statement: parameters must be a list, got {parameters!r}")
    args = {"statement": statement, "parameters": None if parameters is None else list(parameters), "consistent_read": bool(consistent_read)}
    plan = ReadPlan(client, args, schema, "", loader_of(schema, False))
    _reveal_loaded(plan, False)  # each page's items are decrypted before they are loaded
    return plan


def more_execute_statement(plan: ReadPlan, answer: Any) -> bool:
    """A page came back. With a `next_token`, keep its items, point the request at the next
    page and say so (the shell calls again); the last page goes to `finish_execute_statement`."""
    token = answer.next_token
    if token is None:
        return False
    record(plan, answer.metrics)
    if plan.collected is None:
        plan.collected = []
    plan.collected.extend(load_item(plan, raw) for raw in answer)
    plan.args["next_token"] = token
    return True


def finish_execute_statement(plan: ReadPlan, answer: Any) -> list[Any]:
    record(plan, getattr(answer, "metrics", None))
    items = [] if plan.collected is None else plan.collected
    items.extend(load_item(plan, raw) for raw in answer)
    return items
