"""The model operations, written once, without I/O (ADR 5).

Each operation `op` is a pair: `plan_op(target, **params) -> Plan` turns the call into the
client request (hooks, generated values, validation, version condition, size check,
serialization, expression compilation) and `finish_op(plan, answer)` turns the client's
answer into the result (models, version bump, after-hooks, metrics). The generated shells in
`pydynox._generated.model_ops` call the client between the two, `client.<call>(**plan.args)`
in the sync twin and `await client.async_<call>(**plan.args)` in the async one.

A plan changes nothing the caller can see except through `before_*` hooks (which exist to
change the instance): generated values and the new version reach the instance only in
`finish_*`, which runs only when DynamoDB accepted the write.

Paginated reads (query, scan, index queries) have no finish: their result classes call
`load_item` per item, `resume_key` for `last_evaluated_key` and `encode_cursor` for
`cursor`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydynox._model import cursor as _cursor
from pydynox._model.expressions import ExpressionBuilder, compile_condition, compile_projection, compile_update, parse_path
from pydynox.atomic import AtomicOp, AtomicSet
from pydynox.conditions import Condition, Path
from pydynox.config import get_default_client
from pydynox.exceptions import ItemTooLargeException
from pydynox.hooks import HookType
from pydynox.size import item_size

if TYPE_CHECKING:
    from pydynox._model.schema import ModelSchema
    from pydynox.indexes import GlobalSecondaryIndex, LocalSecondaryIndex
    from pydynox.model import Model
    from pydynox.pydynox_core import DynamoDBClient, OperationMetrics

__all__ = [
    "Plan",
    "encode_cursor",
    "load_item",
    "resume_key",
    *(f"{kind}_{op}" for op in (
        "save", "delete", "update", "update_by_key", "delete_by_key", "get", "count",
        "parallel_scan", "batch_get", "execute_statement", "create_table", "table_exists",
        "delete_table",
    ) for kind in ("plan", "finish")),
    "plan_query",
    "plan_scan",
    "plan_index_query",
]

_Hook = Callable[[Any], Any]


@dataclass(slots=True, eq=False)
class Plan:
    """One planned model operation: what to send, and what finishing needs.

    The shells read `client`, `args` and `skip`; everything else is for `finish_*`,
    `load_item`, `resume_key` and `encode_cursor`.
    """

    client: DynamoDBClient
    """The client to call."""
    args: dict[str, Any]
    """Keyword arguments of the client call."""
    model: type[Model]
    """The model class the operation is about."""
    skip: bool = False
    """Nothing to send (e.g. an empty batch); finish with answer None."""
    instance: Model | None = None
    """The instance of an instance operation."""
    after_hooks: tuple[_Hook, ...] = ()
    """Hooks to run on success (after_save/after_delete/after_update)."""
    as_dict: bool = False
    """Reads return stored dicts instead of models."""
    changes: dict[str, Any] | None = None
    """Python name -> value, written into the instance on success (generated values, the
    new version, update values)."""
    fields: tuple[tuple[str | int, ...], ...] | None = None
    """Document paths a get asked for, to trim nested attributes the client returns whole."""
    key_names: tuple[str, ...] = ()
    """Stored names of the resume key (table keys, plus index keys for an index)."""
    start_key: dict[str, Any] | None = None
    """Where a paginated read started (None: from the beginning)."""
    scope: str = ""
    """What a cursor of this read is bound to."""
    metric: str = ""
    """Which model counter the call bumps (get, put, delete, update, query, scan)."""
    load: Callable[[dict[str, Any]], Any] = field(default=lambda raw: raw)
    """Turns one stored item into what a read yields (model with after_load hooks, or the
    dict itself with as_dict)."""


# --- shared steps -------------------------------------------------------------------------


def _schema(model: type[Model]) -> ModelSchema:
    schema = getattr(model, "_schema", None)
    if schema is None:
        raise TypeError(f"{model.__name__}: declare a subclass of Model to use operations")
    return schema  # type: ignore[no-any-return]


def _config_of(model: type[Model]) -> Any:
    config = getattr(model, "model_config", None)
    if config is None:
        raise ValueError(f"{model.__name__}: no model_config; set model_config = ModelConfig(table=...)")
    return config


def _client_of(model: type[Model]) -> DynamoDBClient:
    client = _config_of(model).client or get_default_client()
    if client is None:
        raise ValueError(
            f"{model.__name__}: no DynamoDB client; pass ModelConfig(client=...) "
            "or call pydynox.set_default_client(client) first"
        )
    return client


def _table_of(model: type[Model]) -> str:
    return _config_of(model).table  # type: ignore[no-any-return]


def _hooks(schema: ModelSchema, kind: HookType, skip_hooks: bool | None, model: type[Model]) -> tuple[_Hook, ...]:
    functions = schema.hooks.get(kind, ())
    if not functions:
        return ()
    skip = _config_of(model).skip_hooks if skip_hooks is None else skip_hooks
    return () if skip else functions


def _run(hooks: tuple[_Hook, ...], instance: Model) -> None:
    for hook in hooks:
        hook(instance)


def _consistent(model: type[Model], consistent_read: bool | None) -> bool:
    if consistent_read is None:
        return bool(_config_of(model).consistent_read)
    if not isinstance(consistent_read, bool):
        raise TypeError(f"{model.__name__}: consistent_read must be True, False or None, got {consistent_read!r}")
    return consistent_read


def _require_keys(schema: ModelSchema) -> None:
    if schema.hash_key is None:
        raise TypeError(f"{schema.name}: declares no hash key (StringAttribute(hash_key=True), ...)")


def _instance_key(schema: ModelSchema, state: dict[str, Any]) -> dict[str, Any]:
    """The stored key of an instance; ValueError naming the key attribute when it is missing."""
    _require_keys(schema)
    key = {}
    for name in (schema.hash_key, schema.range_key):
        if name is None:
            continue
        value = state.get(name)
        schema.attributes[name].validate(value, schema.name)
        key[schema.stored_names[name]] = schema.attributes[name].serialize(value)
    return key


def _key_from_kwargs(schema: ModelSchema, values: dict[str, Any], operation: str) -> dict[str, Any]:
    """The stored key from keyword arguments by Python name (which it removes from `values`)."""
    if not schema.key_specs:
        _require_keys(schema)
    key = {}
    for name, stored, attr, exact in schema.key_specs:
        if name not in values:
            raise ValueError(f"{schema.name}.{operation}: missing key attribute {name!r}")
        value = values.pop(name)
        if exact is not None and type(value) is exact:
            key[stored] = value
        else:
            attr.validate(value, schema.name)
            key[stored] = attr.serialize(value)
    return key


def _condition_text(condition: Condition | None, builder: ExpressionBuilder, parameter: str, model: type[Model]) -> str | None:
    if condition is None:
        return None
    if not isinstance(condition, Condition):
        raise TypeError(f"{model.__name__}: {parameter} must be a Condition (e.g. User.age > 3), got {condition!r}")
    return compile_condition(condition, builder)


def _join(*parts: str | None) -> str | None:
    present = [part for part in parts if part]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    return " AND ".join(f"({part})" for part in present)


def _version_condition(schema: ModelSchema, current: Any, builder: ExpressionBuilder) -> str:
    """The write holds only if the stored version is still the one this instance has."""
    stored = schema.stored_names[schema.version]  # type: ignore[index]
    if current is None:
        return f"attribute_not_exists({builder.name(stored)})"
    return f"{builder.name(stored)} = {builder.value(current)}"


def _record(plan: Plan, metrics: OperationMetrics | None) -> None:
    plan.model._metrics.record(metrics, plan.metric)


def _check_count(model: type[Model], parameter: str, value: Any, minimum: int = 1) -> None:
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{model.__name__}: {parameter} must be an int >= {minimum}, got {value!r}")


# --- save ---------------------------------------------------------------------------------


def plan_save(instance: Model, condition: Condition | None = None, skip_hooks: bool | None = None) -> Plan:
    model = type(instance)
    schema = _schema(model)
    client = _client_of(model)
    _run(_hooks(schema, HookType.BEFORE_SAVE, skip_hooks, model), instance)

    state = dict(instance.__dict__)
    changes: dict[str, Any] = {}
    for name, attr in schema.generated.items():
        if state.get(name) is None:
            changes[name] = state[name] = attr.generate()
    builder = ExpressionBuilder()
    version_text = None
    if schema.version is not None:
        current = state.get(schema.version)
        version_text = _version_condition(schema, current, builder)
        changes[schema.version] = state[schema.version] = 1 if current is None else current + 1
    for name, attr in schema.attributes.items():
        attr.validate(state.get(name), schema.name)
    item = schema.dump(state)

    max_size = _config_of(model).max_size
    if max_size is not None:
        size = item_size(item).bytes
        if size > max_size:
            key = {name: item.get(name) for name in schema.table_key_names()}
            raise ItemTooLargeException(size, max_size, key, model.__name__)

    args: dict[str, Any] = {"table": _table_of(model), "item": item}
    condition_text = _join(_condition_text(condition, builder, "condition", model), version_text)
    if condition_text:
        args["condition_expression"] = condition_text
        args.update(builder.arguments())
    return Plan(
        client=client,
        args=args,
        model=model,
        instance=instance,
        changes=changes,
        after_hooks=_hooks(schema, HookType.AFTER_SAVE, skip_hooks, model),
        metric="put",
    )


def finish_save(plan: Plan, answer: OperationMetrics | None) -> None:
    instance = plan.instance
    assert instance is not None
    if plan.changes:
        instance.__dict__.update(plan.changes)
    _record(plan, answer)
    _run(plan.after_hooks, instance)


# --- delete ---------------------------------------------------------------------------------


def plan_delete(instance: Model, condition: Condition | None = None, skip_hooks: bool | None = None) -> Plan:
    model = type(instance)
    schema = _schema(model)
    client = _client_of(model)
    _run(_hooks(schema, HookType.BEFORE_DELETE, skip_hooks, model), instance)
    state = instance.__dict__
    args: dict[str, Any] = {"table": _table_of(model), "key": _instance_key(schema, state)}
    builder = ExpressionBuilder()
    version_text = None
    if schema.version is not None and state.get(schema.version) is not None:
        # Deleting an item someone changed since we read it is a lost update too.
        version_text = _version_condition(schema, state[schema.version], builder)
    condition_text = _join(_condition_text(condition, builder, "condition", model), version_text)
    if condition_text:
        args["condition_expression"] = condition_text
        args.update(builder.arguments())
    return Plan(
        client=client,
        args=args,
        model=model,
        instance=instance,
        after_hooks=_hooks(schema, HookType.AFTER_DELETE, skip_hooks, model),
        metric="delete",
    )


def finish_delete(plan: Plan, answer: OperationMetrics | None) -> None:
    assert plan.instance is not None
    _record(plan, answer)
    _run(plan.after_hooks, plan.instance)


# --- update ---------------------------------------------------------------------------------


def _set_actions(schema: ModelSchema, values: dict[str, Any], operation: str) -> tuple[list[AtomicOp], dict[str, Any]]:
    """SET actions for `values` (Python name -> value); the checked values by Python name."""
    actions: list[AtomicOp] = []
    checked: dict[str, Any] = {}
    for name, value in values.items():
        attr = schema.attributes.get(name)
        if attr is None:
            raise TypeError(f"{schema.name}.{operation}: no attribute {name!r}")
        if name in (schema.hash_key, schema.range_key):
            raise ValueError(f"{schema.name}.{operation}: {name!r} is a key attribute and cannot be changed")
        if name == schema.version:
            raise ValueError(f"{schema.name}.{operation}: {name!r} is the version attribute; the model manages it")
        attr.validate(value, schema.name)
        checked[name] = value
        path = Path((schema.stored_names[name],), attr)
        if value is None:
            actions.append(path.remove())
        else:
            actions.append(AtomicSet(path, attr.serialize(value)))
    return actions, checked


def _atomic_actions(schema: ModelSchema, atomic: Any) -> list[AtomicOp]:
    """The atomic actions, checked. Their results are known only to DynamoDB (the client's
    update_item returns no new values), so the instance keeps its old values for them."""
    if atomic is None:
        return []
    if not isinstance(atomic, (list, tuple)):
        raise TypeError(f"{schema.name}.update: atomic must be a list of actions (e.g. [User.visits.add(1)]), got {atomic!r}")
    by_stored = {stored: name for name, stored in schema.stored_names.items()}
    for action in atomic:
        if not isinstance(action, AtomicOp):
            raise TypeError(f"{schema.name}.update: atomic holds {action!r}, not an update action")
        first = action.path.elements[0]
        name = by_stored.get(first) if isinstance(first, str) else None
        if name in (schema.hash_key, schema.range_key):
            raise ValueError(f"{schema.name}.update: {name!r} is a key attribute and cannot be changed")
    return list(atomic)


def plan_update(
    instance: Model,
    atomic: list[AtomicOp] | None = None,
    condition: Condition | None = None,
    skip_hooks: bool | None = None,
    **kwargs: Any,
) -> Plan:
    model = type(instance)
    schema = _schema(model)
    client = _client_of(model)
    _run(_hooks(schema, HookType.BEFORE_UPDATE, skip_hooks, model), instance)
    state = instance.__dict__
    key = _instance_key(schema, state)
    actions, changes = _set_actions(schema, kwargs, "update")
    actions.extend(_atomic_actions(schema, atomic))
    if not actions:
        raise ValueError(f"{schema.name}.update: nothing to update; pass attribute=value or atomic=[...]")
    builder = ExpressionBuilder()
    version_text = None
    if schema.version is not None:
        current = state.get(schema.version)
        version_text = _version_condition(schema, current, builder)
        new_version = 1 if current is None else current + 1
        version_attr = schema.attributes[schema.version]
        actions.append(AtomicSet(Path((schema.stored_names[schema.version],), version_attr), new_version))
        changes[schema.version] = new_version
    args: dict[str, Any] = {"table": _table_of(model), "key": key, "update_expression": compile_update(actions, builder)}
    condition_text = _join(_condition_text(condition, builder, "condition", model), version_text)
    if condition_text:
        args["condition_expression"] = condition_text
    args.update(builder.arguments())
    return Plan(
        client=client,
        args=args,
        model=model,
        instance=instance,
        changes=changes,
        after_hooks=_hooks(schema, HookType.AFTER_UPDATE, skip_hooks, model),
        metric="update",
    )


def finish_update(plan: Plan, answer: OperationMetrics | None) -> None:
    instance = plan.instance
    assert instance is not None
    if plan.changes:
        instance.__dict__.update(plan.changes)
    _record(plan, answer)
    _run(plan.after_hooks, instance)


def plan_update_by_key(model: type[Model], condition: Condition | None = None, **kwargs: Any) -> Plan:
    schema = _schema(model)
    client = _client_of(model)
    values = dict(kwargs)
    key = _key_from_kwargs(schema, values, "update_by_key")
    actions, _ = _set_actions(schema, values, "update_by_key")
    if not actions:
        raise ValueError(f"{schema.name}.update_by_key: nothing to update; pass attribute=value after the key")
    if schema.version is not None:
        # No instance, so no version to check; bumping it still makes every instance read
        # before this write stale, so their saves fail instead of undoing it.
        version_path = Path((schema.stored_names[schema.version],), schema.attributes[schema.version])
        actions.append(version_path.add(1))
    builder = ExpressionBuilder()
    args: dict[str, Any] = {"table": _table_of(model), "key": key, "update_expression": compile_update(actions, builder)}
    condition_text = _condition_text(condition, builder, "condition", model)
    if condition_text:
        args["condition_expression"] = condition_text
    args.update(builder.arguments())
    return Plan(client=client, args=args, model=model, metric="update")


def finish_update_by_key(plan: Plan, answer: OperationMetrics | None) -> None:
    _record(plan, answer)


def plan_delete_by_key(model: type[Model], condition: Condition | None = None, **kwargs: Any) -> Plan:
    schema = _schema(model)
    client = _client_of(model)
    values = dict(kwargs)
    key = _key_from_kwargs(schema, values, "delete_by_key")
    if values:
        raise TypeError(f"{schema.name}.delete_by_key: takes only the key attributes, also got {sorted(values)}")
    args: dict[str, Any] = {"table": _table_of(model), "key": key}
    builder = ExpressionBuilder()
    condition_text = _condition_text(condition, builder, "condition", model)
    if condition_text:
        args["condition_expression"] = condition_text
        args.update(builder.arguments())
    return Plan(client=client, args=args, model=model, metric="delete")


def finish_delete_by_key(plan: Plan, answer: OperationMetrics | None) -> None:
    _record(plan, answer)


# --- loading --------------------------------------------------------------------------------


def load_item(plan: Plan, raw: dict[str, Any]) -> Any:
    """One item of a read as the caller asked for it: the stored dict, or a model (with
    after_load hooks run). The plan holds a loader chosen once per read, so each item costs
    one call."""
    return plan.load(raw)


def _identity(raw: dict[str, Any]) -> dict[str, Any]:
    return raw


def _loader(schema: ModelSchema, as_dict: bool, hooks: tuple[_Hook, ...]) -> Callable[[dict[str, Any]], Any]:
    if as_dict:
        return _identity
    load = schema.load
    if not hooks:
        return load

    def load_with_hooks(raw: dict[str, Any]) -> Any:
        obj = load(raw)
        for hook in hooks:
            hook(obj)
        return obj

    return load_with_hooks


def _read_plan(model: type[Model], client: DynamoDBClient, args: dict[str, Any], as_dict: bool, metric: str) -> Plan:
    if as_dict is not False and as_dict is not True:
        raise TypeError(f"{model.__name__}: as_dict must be True or False, got {as_dict!r}")
    schema = _schema(model)
    if as_dict:
        load: Callable[[dict[str, Any]], Any] = _identity
    elif HookType.AFTER_LOAD in schema.hooks:
        load = _loader(schema, False, _hooks(schema, HookType.AFTER_LOAD, None, model))
    else:
        load = schema.load
    return Plan(client, args, model, as_dict=as_dict, metric=metric, load=load)


def _field_paths(schema: ModelSchema, fields: Any) -> list[tuple[str | int, ...]]:
    """`fields` as stored document paths (first step mapped from Python to stored names)."""
    if isinstance(fields, (str, bytes)) or not isinstance(fields, (list, tuple)):
        raise TypeError(f"{schema.name}: fields must be a list of attribute names or paths, got {fields!r}")
    if not fields:
        raise ValueError(f"{schema.name}: fields must name at least one attribute")
    paths = []
    for text in fields:
        if not isinstance(text, str):
            raise TypeError(f"{schema.name}: fields holds {text!r}, not an attribute name or path")
        steps = parse_path(text)
        first = steps[0]
        stored = schema.stored_names.get(first)  # type: ignore[arg-type]
        if stored is None and first not in schema.stored_names.values():
            raise ValueError(f"{schema.name}: fields names {first!r}, which is not an attribute of {schema.name}")
        paths.append((stored or first, *steps[1:]))
    return paths


def _projection(schema: ModelSchema, fields: Any, key_names: tuple[str, ...], builder: ExpressionBuilder) -> str | None:
    """A projection of `fields` plus the key attributes (resuming needs them)."""
    if fields is None:
        return None
    paths = _field_paths(schema, fields)
    present = {path[0] for path in paths if len(path) == 1}
    paths.extend((name,) for name in key_names if name not in present)
    return compile_projection(paths, builder)


# --- get ------------------------------------------------------------------------------------


def plan_get(
    model: type[Model],
    consistent_read: bool | None = None,
    as_dict: bool = False,
    fields: list[str] | None = None,
    **keys: Any,
) -> Plan:
    schema = _schema(model)
    config = _config_of(model)
    client = config.client or _client_of(model)
    key = _key_from_kwargs(schema, keys, "get")  # `keys` is this call's own dict
    if keys:
        raise TypeError(f"{schema.name}.get: takes the key attributes only, also got {sorted(keys)}")
    if consistent_read is None:
        consistent_read = config.consistent_read
    elif consistent_read is not True and consistent_read is not False:
        raise TypeError(f"{schema.name}: consistent_read must be True, False or None, got {consistent_read!r}")
    args: dict[str, Any] = {"table": config.table, "key": key, "consistent_read": consistent_read}
    plan = _read_plan(model, client, args, as_dict, "get")
    if fields is not None:
        paths = _field_paths(schema, fields)
        # The client's get_item projects whole top-level attributes; nested paths are
        # trimmed from what comes back (finish_get), so the result holds only what was asked.
        tops = list(dict.fromkeys(str(path[0]) for path in paths))
        tops.extend(name for name in schema.table_key_names() if name not in tops)
        args["projection"] = tops
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


def _trim_item(raw: dict[str, Any], paths: tuple[tuple[str | int, ...], ...], keep: tuple[str, ...]) -> dict[str, Any]:
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


def finish_get(plan: Plan, answer: dict[str, Any] | None) -> Any:
    # get_item returns no metrics of its own; the client's last metrics are this call's
    # unless another call on the same client finished in between.
    _record(plan, plan.client.get_last_metrics())
    if answer is None:
        return None
    if plan.fields is not None:
        answer = _trim_item(answer, plan.fields, _schema(plan.model).table_key_names())
    return load_item(plan, answer)


# --- query / scan ---------------------------------------------------------------------------


def _scope(model: type[Model], kind: str, index: str | None = None, partition: Any = None) -> str:
    """What a cursor is bound to: the model, its table, the index, the kind of read and, for
    a query, a digest of the partition key value (so a cursor of one tenant's query is
    refused on another's, with a clear error instead of a DynamoDB one)."""
    scope = f"{model.__module__}.{model.__qualname__}|{_table_of(model)}|{index or ''}|{kind}"
    if partition is None:
        return scope
    if isinstance(partition, (int, float, Decimal)) and not isinstance(partition, bool):
        partition = format(Decimal(str(partition)).normalize(), "f")  # 5 == 5.0 == Decimal("5")
    return f"{scope}|{hashlib.sha256(repr(partition).encode()).hexdigest()[:16]}"


def _start_key(
    model: type[Model], last_evaluated_key: dict[str, Any] | None, cursor: str | None, scope: str
) -> dict[str, Any] | None:
    if cursor is not None:
        if last_evaluated_key is not None:
            raise ValueError(f"{model.__name__}: pass last_evaluated_key or cursor, not both")
        config = _config_of(model)
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
    schema = _schema(model)
    client = _client_of(model)
    _check_count(model, "limit", limit)
    _check_count(model, "page_size", page_size)
    filter_text = _condition_text(filter_condition, builder, "filter_condition", model)
    if filter_text:
        args["filter_expression"] = filter_text
    projection = _projection(schema, fields, key_names, builder)
    if projection:
        args["projection_expression"] = projection
    args.update(builder.arguments())
    start = _start_key(model, last_evaluated_key, cursor, scope)
    args.update(limit=limit, page_size=page_size, last_evaluated_key=start, consistent_read=consistent_read)
    plan = _read_plan(model, client, args, as_dict, metric)
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
    range_text = _condition_text(range_key_condition, builder, "range_key_condition", model)
    # A key condition is `partition = v AND <one sort-key condition>`; DynamoDB rejects
    # parentheses around its parts, so none are added.
    return f"{text} AND {range_text}" if range_text else text


def plan_query(
    model: type[Model],
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
    schema = _schema(model)
    _require_keys(schema)
    builder = ExpressionBuilder()
    args: dict[str, Any] = {
        "table": _table_of(model),
        "key_condition_expression": _key_condition(schema, schema.hash_key, hash_key, range_key_condition, builder, model),  # type: ignore[arg-type]
        "scan_index_forward": bool(scan_index_forward),
    }
    return _paginated(
        model, args, builder,
        filter_condition=filter_condition, limit=limit, page_size=page_size,
        consistent_read=_consistent(model, consistent_read), last_evaluated_key=last_evaluated_key,
        cursor=cursor, as_dict=as_dict, fields=fields, key_names=schema.table_key_names(),
        scope=_scope(model, "query", partition=hash_key), metric="query",
    )


def plan_scan(
    model: type[Model],
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
    schema = _schema(model)
    _require_keys(schema)
    if (segment is None) != (total_segments is None):
        raise ValueError(f"{schema.name}.scan: give segment and total_segments together")
    if total_segments is not None:
        _check_count(model, "total_segments", total_segments)
        _check_count(model, "segment", segment, minimum=0)
        if segment >= total_segments:  # type: ignore[operator]
            raise ValueError(f"{schema.name}.scan: segment must be below total_segments ({segment} >= {total_segments})")
    args: dict[str, Any] = {"table": _table_of(model), "segment": segment, "total_segments": total_segments}
    return _paginated(
        model, args, ExpressionBuilder(),
        filter_condition=filter_condition, limit=limit, page_size=page_size,
        consistent_read=_consistent(model, consistent_read), last_evaluated_key=last_evaluated_key,
        cursor=cursor, as_dict=as_dict, fields=fields, key_names=schema.table_key_names(),
        scope=_scope(model, "scan"), metric="scan",
    )


def plan_index_query(
    index: GlobalSecondaryIndex[Any] | LocalSecondaryIndex[Any],
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
    schema = _schema(model)
    _require_keys(schema)
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
        "table": _table_of(model),
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
    return _cursor.encode_cursor(key, scope=plan.scope, secret=_config_of(model).cursor_secret, model_name=model.__name__)


# --- count, parallel scan ------------------------------------------------------------------


def plan_count(model: type[Model], filter_condition: Condition | None = None, consistent_read: bool | None = None) -> Plan:
    client = _client_of(model)
    builder = ExpressionBuilder()
    args: dict[str, Any] = {"table": _table_of(model), "consistent_read": _consistent(model, consistent_read)}
    filter_text = _condition_text(filter_condition, builder, "filter_condition", model)
    if filter_text:
        args["filter_expression"] = filter_text
        args.update(builder.arguments())
    return Plan(client=client, args=args, model=model, metric="scan")


def finish_count(plan: Plan, answer: tuple[int, OperationMetrics]) -> tuple[int, OperationMetrics]:
    _record(plan, answer[1])
    return answer


def plan_parallel_scan(
    model: type[Model],
    total_segments: int,
    filter_condition: Condition | None = None,
    consistent_read: bool | None = None,
    as_dict: bool = False,
) -> Plan:
    client = _client_of(model)
    _check_count(model, "total_segments", total_segments)
    builder = ExpressionBuilder()
    args: dict[str, Any] = {
        "table": _table_of(model),
        "total_segments": total_segments,
        "consistent_read": _consistent(model, consistent_read),
    }
    filter_text = _condition_text(filter_condition, builder, "filter_condition", model)
    if filter_text:
        args["filter_expression"] = filter_text
        args.update(builder.arguments())
    return _read_plan(model, client, args, as_dict, "scan")


def finish_parallel_scan(plan: Plan, answer: tuple[list[dict[str, Any]], OperationMetrics]) -> tuple[list[Any], OperationMetrics]:
    items, metrics = answer
    _record(plan, metrics)
    return [load_item(plan, raw) for raw in items], metrics


# --- batch get, PartiQL ---------------------------------------------------------------------


def plan_batch_get(
    model: type[Model], keys: list[dict[str, Any]], consistent_read: bool | None = None, as_dict: bool = False
) -> Plan:
    schema = _schema(model)
    client = _client_of(model)
    if consistent_read:
        # The client's batch_get has no ConsistentRead parameter; refuse rather than
        # silently return an eventually consistent read.
        raise ValueError(f"{schema.name}.batch_get: consistent reads are not supported by batch_get yet")
    if not isinstance(keys, (list, tuple)):
        raise TypeError(f"{schema.name}.batch_get: keys must be a list of key dicts, got {keys!r}")
    stored_keys = []
    for position, key in enumerate(keys):
        if not isinstance(key, dict):
            raise TypeError(f"{schema.name}.batch_get: keys[{position}] must be a dict, got {key!r}")
        values = dict(key)
        stored_keys.append(_key_from_kwargs(schema, values, f"batch_get keys[{position}]"))
        if values:
            raise TypeError(f"{schema.name}.batch_get: keys[{position}] has non-key attributes {sorted(values)}")
    plan = _read_plan(model, client, {"table": _table_of(model), "keys": stored_keys}, as_dict, "get")
    plan.skip = not stored_keys
    return plan


def finish_batch_get(plan: Plan, answer: list[dict[str, Any]] | None) -> list[Any]:
    if answer is None:
        return []
    _record(plan, getattr(answer, "metrics", None))
    return [load_item(plan, raw) for raw in answer]


def plan_execute_statement(
    model: type[Model], statement: str, parameters: list[Any] | None = None, consistent_read: bool = False
) -> Plan:
    client = _client_of(model)
    if not isinstance(statement, str) or not statement.strip():
        raise ValueError(f"{model.__name__}.execute_statement: statement must be a non-empty string")
    if parameters is not None and not isinstance(parameters, (list, tuple)):
        raise TypeError(f"{model.__name__}.execute_statement: parameters must be a list, got {parameters!r}")
    args = {"statement": statement, "parameters": None if parameters is None else list(parameters), "consistent_read": bool(consistent_read)}
    return _read_plan(model, client, args, False, "")


def finish_execute_statement(plan: Plan, answer: Any) -> list[Any]:
    _record(plan, getattr(answer, "metrics", None))
    return [load_item(plan, raw) for raw in answer]


# --- tables ---------------------------------------------------------------------------------


def plan_create_table(
    model: type[Model],
    billing_mode: str = "PAY_PER_REQUEST",
    read_capacity: int | None = None,
    write_capacity: int | None = None,
    table_class: str | None = None,
    encryption: str | None = None,
    kms_key_id: str | None = None,
    wait: bool = False,
) -> Plan:
    schema = _schema(model)
    client = _client_of(model)
    _require_keys(schema)

    def key_of(name: str) -> tuple[str, str]:
        return (schema.stored_names[name], schema.attributes[name].key_type)  # type: ignore[return-value]

    args: dict[str, Any] = {
        "table_name": _table_of(model),
        "hash_key": key_of(schema.hash_key),  # type: ignore[arg-type]
        "range_key": key_of(schema.range_key) if schema.range_key is not None else None,
        "billing_mode": billing_mode,
        "read_capacity": read_capacity,
        "write_capacity": write_capacity,
        "table_class": table_class,
        "encryption": encryption,
        "kms_key_id": kms_key_id,
        "wait": wait,
    }
    provisioned = billing_mode == "PROVISIONED"
    if schema.global_indexes:
        args["global_secondary_indexes"] = [
            getattr(model, name)._definition(read_capacity if provisioned else None, write_capacity if provisioned else None)
            for name in schema.global_indexes
        ]
    if schema.local_indexes:
        args["local_secondary_indexes"] = [getattr(model, name)._definition() for name in schema.local_indexes]
    return Plan(client=client, args=args, model=model)


def finish_create_table(plan: Plan, answer: None) -> None:
    return None


def plan_table_exists(model: type[Model]) -> Plan:
    return Plan(client=_client_of(model), args={"table_name": _table_of(model)}, model=model)


def finish_table_exists(plan: Plan, answer: bool) -> bool:
    return bool(answer)


def plan_delete_table(model: type[Model]) -> Plan:
    return Plan(client=_client_of(model), args={"table_name": _table_of(model)}, model=model)


def finish_delete_table(plan: Plan, answer: None) -> None:
    return None
