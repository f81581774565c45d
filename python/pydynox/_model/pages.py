"""Cores of the paginated reads (query, scan, index queries), their exact resume key and
their signed cursors. These have no finish: the generated result classes call
`load_item` per item, `resume_key` for `last_evaluated_key` and `encode_cursor` for
`cursor`."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydynox._model import cursor as _cursor
from pydynox._model.expressions import ExpressionBuilder
from pydynox._model.loading import projection_of, read_plan
from pydynox._model.plan import (
    Plan,
    check_count,
    client_of,
    config_of,
    consistent,
    require_keys,
    schema_of,
    table_of,
    user_condition,
)
from pydynox.conditions import Condition

if TYPE_CHECKING:
    from pydynox._model.schema import ModelSchema
    from pydynox.indexes import GlobalSecondaryIndex, LocalSecondaryIndex
    from pydynox.model import Model

__all__ = [
    "encode_cursor",
    "follow_pages",
    "pages_done",
    "plan_index_query",
    "plan_query",
    "plan_scan",
    "resume_key",
]


# --- query / scan ---------------------------------------------------------------------------


def _scope(model: type[Model], kind: str, index: str | None = None, partition: Any = None) -> str:
    """What a cursor is bound to: the model, its table, the index, the kind of read and, for
    a query, a digest of the partition key value (so a cursor of one tenant's query is
    refused on another's, with a clear error instead of a DynamoDB one)."""
    scope = f"{model.__module__}.{model.__qualname__}|{table_of(model)}|{index or ''}|{kind}"
    if partition is None:
        return scope
    if isinstance(partition, (int, float, Decimal)) and not isinstance(partition, bool):
        partition = format(Decimal(str(partition)).normalize(), "f")  # 5 == 5.0 == Decimal("5")
    import hashlib  # here, not at the top: hashlib costs milliseconds at `import pydynox`

    return f"{scope}|{hashlib.sha256(repr(partition).encode()).hexdigest()[:16]}"


def _start_key(
    model: type[Model], last_evaluated_key: dict[str, Any] | None, cursor: str | None, scope: str
) -> dict[str, Any] | None:
    if cursor is not None:
        if last_evaluated_key is not None:
            raise ValueError(f"{model.__name__}: pass last_evaluated_key or cursor, not both")
        config = config_of(model)
        return _cursor.decode_cursor(
            cursor, scope=scope, secret=config.cursor_secret, max_age=config.cursor_max_age, model_name=model.__name__
        )
    if last_evaluated_key is not None and not isinstance(last_evaluated_key, dict):
        raise TypeError(f"{model.__name__}: last_evaluated_key must be a dict (a previous result's), got {last_evaluated_key!r}")
    return last_evaluated_key


def _paginated(
    model: type[Model],
    args: dict[str, Any],
    builder: ExpressionBuilder,
    *,
    filter_condition: Condition | None,
    limit: int | None,
    page_size: int | None,
    consistent_read: bool,
    last_evaluated_key: dict[str, Any] | None,
    cursor: str | None,
    as_dict: bool,
    fields: list[str] | None,
    key_names: tuple[str, ...],
    scope: str,
    metric: str,
) -> Plan:
    schema = schema_of(model)
    client = client_of(model)
    check_count(model, "limit", limit)
    check_count(model, "page_size", page_size)
    filter_text = user_condition(filter_condition, builder, "filter_condition", model)
    if filter_text:
        args["filter_expression"] = filter_text
    projection = projection_of(schema, fields, key_names, builder)
    if projection:
        args["projection_expression"] = projection
    args.update(builder.arguments())
    start = _start_key(model, last_evaluated_key, cursor, scope)
    args.update(limit=limit, page_size=page_size, last_evaluated_key=start, consistent_read=consistent_read)
    plan = read_plan(model, client, args, as_dict, metric)
    plan.key_names = key_names
    plan.start_key = start
    plan.scope = scope
    return plan


def _key_condition(
    schema: ModelSchema, hash_name: str, hash_value: Any, range_key_condition: Condition | None, builder: ExpressionBuilder, model: type[Model]
) -> str:
    attr = schema.attributes[hash_name]
    if hash_value is None:
        raise ValueError(f"{schema.name}: the partition key {hash_name!r} needs a value to query")
    attr.validate(hash_value, schema.name)
    text = f"{builder.name(schema.stored_names[hash_name])} = {builder.value(attr.serialize(hash_value))}"
    range_text = user_condition(range_key_condition, builder, "range_key_condition", model)
    # A key condition is `partition = v AND <one sort-key condition>`; DynamoDB rejects
    # parentheses around its parts, so none are added.
    return f"{text} AND {range_text}" if range_text else text


def plan_query(
    model: Any,
    hash_key: Any,
    range_key_condition: Condition | None = None,
    filter_condition: Condition | None = None,
    limit: int | None = None,
    page_size: int | None = None,
    scan_index_forward: bool = True,
    consistent_read: bool | None = None,
    last_evaluated_key: dict[str, Any] | None = None,
    as_dict: bool = False,
    fields: list[str] | None = None,
    cursor: str | None = None,
) -> Plan:
    schema = schema_of(model)
    require_keys(schema)
    builder = ExpressionBuilder()
    args: dict[str, Any] = {
        "table": table_of(model),
        "key_condition_expression": _key_condition(schema, schema.hash_key, hash_key, range_key_condition, builder, model),  # type: ignore[arg-type]
        "scan_index_forward": bool(scan_index_forward),
    }
    return _paginated(
        model, args, builder,
        filter_condition=filter_condition, limit=limit, page_size=page_size,
        consistent_read=consistent(model, consistent_read), last_evaluated_key=last_evaluated_key,
        cursor=cursor, as_dict=as_dict, fields=fields, key_names=schema.table_key_names(),
        scope=_scope(model, "query", partition=hash_key), metric="query",
    )


def plan_scan(
    model: Any,
    filter_condition: Condition | None = None,
    limit: int | None = None,
    page_size: int | None = None,
    consistent_read: bool | None = None,
    last_evaluated_key: dict[str, Any] | None = None,
    segment: int | None = None,
    total_segments: int | None = None,
    as_dict: bool = False,
    fields: list[str] | None = None,
    cursor: str | None = None,
) -> Plan:
    schema = schema_of(model)
    require_keys(schema)
    if (segment is None) != (total_segments is None):
        raise ValueError(f"{schema.name}.scan: give segment and total_segments together")
    if total_segments is not None:
        check_count(model, "total_segments", total_segments)
        check_count(model, "segment", segment, minimum=0)
        if segment >= total_segments:  # type: ignore[operator]
            raise ValueError(f"{schema.name}.scan: segment must be below total_segments ({segment} >= {total_segments})")
    args: dict[str, Any] = {"table": table_of(model), "segment": segment, "total_segments": total_segments}
    return _paginated(
        model, args, ExpressionBuilder(),
        filter_condition=filter_condition, limit=limit, page_size=page_size,
        consistent_read=consistent(model, consistent_read), last_evaluated_key=last_evaluated_key,
        cursor=cursor, as_dict=as_dict, fields=fields, key_names=schema.table_key_names(),
        scope=_scope(model, "scan"), metric="scan",
    )


def plan_index_query(
    index: Any,
    range_key_condition: Condition | None = None,
    filter_condition: Condition | None = None,
    limit: int | None = None,
    page_size: int | None = None,
    scan_index_forward: bool = True,
    consistent_read: bool = False,
    last_evaluated_key: dict[str, Any] | None = None,
    as_dict: bool = False,
    fields: list[str] | None = None,
    cursor: str | None = None,
    **key_values: Any,
) -> Plan:
    model = index.model
    if model is None:
        raise TypeError(f"index {index.index_name!r}: query it through its model (Model.{index.attr_name or 'index'}.query)")
    schema = schema_of(model)
    require_keys(schema)
    hash_name = index.hash_key if index.hash_key is not None else schema.hash_key
    assert hash_name is not None
    if set(key_values) != {hash_name}:
        raise TypeError(
            f"{schema.name}.{index.attr_name}.query: give the index's partition key as {hash_name}=..., "
            f"got {sorted(key_values) or 'nothing'}"
        )
    if consistent_read and index.hash_key is not None:
        raise ValueError(f"{schema.name}.{index.attr_name}: global secondary indexes do not support consistent reads")
    builder = ExpressionBuilder()
    args: dict[str, Any] = {
        "table": table_of(model),
        "index_name": index.index_name,
        "key_condition_expression": _key_condition(schema, hash_name, key_values[hash_name], range_key_condition, builder, model),
        "scan_index_forward": bool(scan_index_forward),
    }
    table_keys = schema.table_key_names()
    key_names = tuple(dict.fromkeys((*index._key_names(), *table_keys)))
    return _paginated(
        model, args, builder,
        filter_condition=filter_condition, limit=limit, page_size=page_size,
        consistent_read=bool(consistent_read), last_evaluated_key=last_evaluated_key,
        cursor=cursor, as_dict=as_dict, fields=fields, key_names=key_names,
        scope=_scope(model, "query", index.index_name, key_values[hash_name]), metric="query",
    )


def resume_key(
    plan: Plan, last_item: dict[str, Any] | None, pager_key: dict[str, Any] | None, exhausted: bool
) -> dict[str, Any] | None:
    """Where to resume so that exactly the items not yet handed out come next.

    That is the key of the last item handed out (table keys, plus the index keys for an
    index read), not the pager's key: the pager may have fetched a page further than the
    caller read. None once nothing is left: the pager stopped and DynamoDB said so.
    """
    if exhausted and pager_key is None:
        return None
    if last_item is None:
        # Nothing handed out yet: resuming starts where this read started.
        return plan.start_key
    return {name: last_item[name] for name in plan.key_names if name in last_item}


def encode_cursor(plan: Plan, key: dict[str, Any] | None) -> str | None:
    """`key` as a signed URL-safe cursor for this read; None when `key` is None."""
    if key is None:
        return None
    model = plan.model
    return _cursor.encode_cursor(key, scope=plan.scope, secret=config_of(model).cursor_secret, model_name=model.__name__)


def follow_pages(plan: Plan, result: Any, pager: Any) -> None:
    """The model's metrics count every page `pager` fetches for `result`, once, without
    a check per item (see `pydynox._model.metrics`)."""
    plan.model._metrics.follow(result, pager, plan.metric)


def pages_done(plan: Plan, result: Any) -> None:
    """`result` is exhausted: its last pages are counted now."""
    plan.model._metrics.finish(result)
