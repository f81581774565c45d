"""Cores of the paginated reads (query, scan, index queries), their exact resume key and
their signed cursors. These have no finish: the result classes (`pydynox._model.results`)
call `load_item` per item, `resume_key` for `last_evaluated_key` and `encode_cursor` for
`cursor`."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydynox._model import cursor as _cursor
from pydynox._model.expressions import ExpressionBuilder
from pydynox._model.loading import loader_of, projection_of
from pydynox._model.steps import Services
from pydynox._model.plan import (
    PagePlan,
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
from pydynox.exceptions import ParamValidationException

if TYPE_CHECKING:
    from pydynox._model.index_schema import IndexDeclaration
    from pydynox._model.schema import ModelSchema

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


def _scope(schema: ModelSchema, kind: str, index: str | None = None, partition: Any = None) -> str:
    """What a cursor is bound to: the model, its table, the index, the kind of read and, for
    a query, a digest of the partition key value (so a cursor of one tenant's query is
    refused on another's, with a clear error instead of a DynamoDB one)."""
    scope = f"{schema.qualified_name}|{table_of(schema)}|{index or ''}|{kind}"
    if partition is None:
        return scope
    # One value, or a tuple of them for a multi-attribute partition key.
    parts = partition if isinstance(partition, tuple) else (partition,)
    text = repr(tuple(_canonical(part) for part in parts))
    if len(parts) == 1:
        text = repr(_canonical(parts[0]))  # as cursors signed before multi-attribute keys
    import hashlib  # here, not at the top: hashlib costs milliseconds at `import pydynox`

    return f"{scope}|{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def _canonical(value: Any) -> Any:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return format(Decimal(str(value)).normalize(), "f")  # 5 == 5.0 == Decimal("5")
    return value


def _start_key(
    schema: ModelSchema, last_evaluated_key: dict[str, Any] | None, cursor: str | None, scope: str
) -> dict[str, Any] | None:
    if cursor is not None:
        if last_evaluated_key is not None:
            raise ValueError(f"{schema.name}: pass last_evaluated_key or cursor, not both")
        config = config_of(schema)
        return _cursor.decode_cursor(
            cursor, scope=scope, secret=config.cursor_secret, max_age=config.cursor_max_age, model_name=schema.name
        )
    if last_evaluated_key is not None and not isinstance(last_evaluated_key, dict):
        raise TypeError(f"{schema.name}: last_evaluated_key must be a dict (a previous result's), got {last_evaluated_key!r}")
    return last_evaluated_key


def _paginated(
    schema: ModelSchema,
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
) -> PagePlan:
    client = client_of(schema)
    check_count(schema, "limit", limit)
    check_count(schema, "page_size", page_size)
    filter_text = user_condition(filter_condition, builder, "filter_condition", schema)
    if filter_text:
        args["filter_expression"] = filter_text
    projection = projection_of(schema, fields, key_names, builder)
    if projection:
        args["projection_expression"] = projection
    args.update(builder.arguments())
    start = _start_key(schema, last_evaluated_key, cursor, scope)
    args.update(limit=limit, page_size=page_size, last_evaluated_key=start, consistent_read=consistent_read)
    plan = PagePlan(client, args, schema, metric, loader_of(schema, as_dict), key_names, start, scope)
    if schema.services and as_dict is False:
        plan.services = Services()
        plan.services.reveal = schema  # each item decrypted, twinned, before it is loaded
    return plan


def _key_condition(
    schema: ModelSchema,
    partition: dict[str, Any],
    range_key_condition: Condition | None,
    builder: ExpressionBuilder,
) -> str:
    """`a = :v0 [AND b = :v1 ...] [AND <sort key condition>]` for the partition key
    attributes (Python name -> value) and the user's sort key condition."""
    parts = []
    for name, value in partition.items():
        attr = schema.attributes[name]
        if value is None:
            raise ValueError(f"{schema.name}: the partition key {name!r} needs a value to query")
        attr.validate(value, schema.name)
        parts.append(f"{builder.name(schema.stored_names[name])} = {builder.value(attr.serialize(value))}")
    range_text = user_condition(range_key_condition, builder, "range_key_condition", schema)
    if range_text:
        parts.append(range_text)
    # DynamoDB rejects parentheses around the parts of a key condition, so none are added
    # (a multi-attribute sort key condition is itself an AND of comparisons).
    return " AND ".join(parts)


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
) -> PagePlan:
    schema = schema_of(model)
    require_keys(schema)
    builder = ExpressionBuilder()
    args: dict[str, Any] = {
        "table": table_of(schema),
        "key_condition_expression": _key_condition(schema, {schema.hash_key: hash_key}, range_key_condition, builder),  # type: ignore[dict-item]
        "scan_index_forward": bool(scan_index_forward),
    }
    return _paginated(
        schema, args, builder,
        filter_condition=filter_condition, limit=limit, page_size=page_size,
        consistent_read=consistent(schema, consistent_read), last_evaluated_key=last_evaluated_key,
        cursor=cursor, as_dict=as_dict, fields=fields, key_names=schema.table_key_names(),
        scope=_scope(schema, "query", partition=hash_key), metric="query",
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
) -> PagePlan:
    schema = schema_of(model)
    require_keys(schema)
    if (segment is None) != (total_segments is None):
        raise ValueError(f"{schema.name}.scan: give segment and total_segments together")
    if total_segments is not None:
        check_count(schema, "total_segments", total_segments)
        check_count(schema, "segment", segment, minimum=0)
        if segment >= total_segments:  # type: ignore[operator]
            raise ValueError(f"{schema.name}.scan: segment must be below total_segments ({segment} >= {total_segments})")
    args: dict[str, Any] = {"table": table_of(schema), "segment": segment, "total_segments": total_segments}
    return _paginated(
        schema, args, ExpressionBuilder(),
        filter_condition=filter_condition, limit=limit, page_size=page_size,
        consistent_read=consistent(schema, consistent_read), last_evaluated_key=last_evaluated_key,
        cursor=cursor, as_dict=as_dict, fields=fields, key_names=schema.table_key_names(),
        scope=_scope(schema, "scan"), metric="scan",
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
) -> PagePlan:
    declared: IndexDeclaration[Any] = index
    schema = declared.schema
    if schema is None:
        raise TypeError(f"index {declared.index_name!r}: query it through its model (Model.{declared.attr_name or 'index'}.query)")
    require_keys(schema)
    partition_names = declared._partition_names(schema)
    if key_values.keys() != set(partition_names):
        # A ValueError, as pydynox 0.21.0 raised here (and a ValidationException).
        wanted = ", ".join(f"{name}=..." for name in partition_names)
        raise ParamValidationException(
            f"{schema.name}.{declared.attr_name}.query: give the index's partition key as {wanted}, "
            f"got {sorted(key_values) or 'nothing'}"
        )
    if consistent_read and declared.hash_keys:
        raise ValueError(f"{schema.name}.{declared.attr_name}: global secondary indexes do not support consistent reads")
    builder = ExpressionBuilder()
    partition = {name: key_values[name] for name in partition_names}
    args: dict[str, Any] = {
        "table": table_of(schema),
        "index_name": declared.index_name,
        "key_condition_expression": _key_condition(schema, partition, range_key_condition, builder),
        "scan_index_forward": bool(scan_index_forward),
    }
    key_names = tuple(dict.fromkeys((*declared._key_names(schema), *schema.table_key_names())))
    values = tuple(partition.values())
    return _paginated(
        schema, args, builder,
        filter_condition=filter_condition, limit=limit, page_size=page_size,
        consistent_read=bool(consistent_read), last_evaluated_key=last_evaluated_key,
        cursor=cursor, as_dict=as_dict, fields=fields, key_names=key_names,
        scope=_scope(schema, "query", declared.index_name, values[0] if len(values) == 1 else values), metric="query",
    )


def resume_key(
    plan: PagePlan, last_item: dict[str, Any] | None, pager_key: dict[str, Any] | None, exhausted: bool
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


def encode_cursor(plan: PagePlan, key: dict[str, Any] | None) -> str | None:
    """`key` as a signed URL-safe cursor for this read; None when `key` is None."""
    if key is None:
        return None
    schema = plan.schema
    return _cursor.encode_cursor(key, scope=plan.scope, secret=config_of(schema).cursor_secret, model_name=schema.name)


def follow_pages(plan: PagePlan, result: Any, pager: Any) -> None:
    """The model's metrics count every page `pager` fetches for `result`, once, without
    a check per item (see `pydynox._model.metrics`)."""
    plan.schema.metrics.follow(result, pager, plan.metric)


def pages_done(plan: PagePlan, result: Any) -> None:
    """`result` is exhausted: its last pages are counted now."""
    plan.schema.metrics.finish(result)
