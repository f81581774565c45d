"""Cores of the writes: save, delete, update, update_by_key, delete_by_key.

Generated values and the new version reach the instance only in `finish_*`, which runs
only when DynamoDB accepted the write, so a failed write leaves the instance as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydynox._model.expressions import ExpressionBuilder, compile_update
from pydynox._model.plan import (
    WritePlan,
    client_of,
    config_of,
    hooks_for,
    instance_key,
    join_conditions,
    key_from_kwargs,
    record,
    run_hooks,
    schema_of,
    table_of,
    user_condition,
    version_condition,
)
from pydynox._model.steps import Services, raise_orphans
from pydynox.atomic import AtomicOp, AtomicSet
from pydynox.conditions import Condition
from pydynox.exceptions import ItemTooLargeException, ParamValidationException
from pydynox.hooks import HookType
from pydynox.size import item_size

if TYPE_CHECKING:
    from pydynox._model.schema import ModelSchema
    from pydynox.pydynox_core import OperationMetrics

__all__ = [
    "finish_delete",
    "finish_delete_by_key",
    "finish_integration_update",
    "finish_save",
    "finish_update",
    "finish_update_by_key",
    "plan_delete",
    "plan_delete_by_key",
    "plan_integration_update",
    "plan_save",
    "plan_update",
    "plan_update_by_key",
]


# --- save ---------------------------------------------------------------------------------


def plan_save(
    instance: Any, condition: Condition | None = None, skip_hooks: bool | None = None, *, client: Any = None
) -> WritePlan:
    """`client`: the one to use when the model has none of its own (a transaction's or a
    batch writer's, which sends the write)."""
    schema = schema_of(instance)
    config = config_of(schema)
    client = config.client or client or client_of(schema, config)
    if schema.hooks:
        run_hooks(hooks_for(schema, HookType.BEFORE_SAVE, skip_hooks), instance)

    state = instance.__dict__
    changes: dict[str, Any] = {}
    builder = None
    version_text = None
    if schema.generated or schema.version is not None:
        # Generated values and the new version reach the instance only once DynamoDB has
        # accepted the write (finish_save): the item is built from a copy.
        state = dict(state)
        for name, attr in schema.generated.items():
            if state.get(name) is None:
                changes[name] = state[name] = attr.generate()
        if schema.version is not None:
            builder = ExpressionBuilder()
            current = state.get(schema.version)
            version_text = version_condition(schema, current, builder)
            changes[schema.version] = state[schema.version] = 1 if current is None else current + 1
    args: dict[str, Any] = {"table": config.table}
    services = None
    deferred: frozenset[str] = frozenset()
    if schema.services:

        def put(stored: str, stored_value: Any) -> None:
            args["item"][stored] = stored_value

        services, deferred = _write_steps(schema, state, instance, client, put, changes)
    item = args["item"] = schema.checked_item(state, deferred)

    max_size = config.max_size
    if max_size is not None:
        if services is None:
            _check_size(schema, item, max_size)
        else:  # the stored forms are known once the uploads and encryptions are done
            services.ready = lambda: _check_size(schema, item, max_size)

    if condition is not None or version_text is not None:
        _add_condition(args, builder or ExpressionBuilder(), condition, version_text, schema)
    plan = WritePlan(client, args, schema, "put", instance)
    plan.changes = changes
    plan.services = services
    if schema.hooks:
        plan.after_hooks = hooks_for(schema, HookType.AFTER_SAVE, skip_hooks)
    return plan


def _check_size(schema: ModelSchema, item: dict[str, Any], max_size: int) -> None:
    size = item_size(item).bytes
    if size > max_size:
        key = {name: item.get(name) for name in schema.table_key_names()}
        raise ItemTooLargeException(size, max_size, key, schema.name)


def _write_steps(
    schema: ModelSchema, values: dict[str, Any], instance: Any, client: Any, put: Callable[[str, Any], None], changes: dict[str, Any]
) -> tuple[Services | None, frozenset[str]]:
    """The uploads and encryptions `values` (Python name -> value) need before the write.
    Each step hands its stored form to `put(stored name, stored form)` and the value the
    instance takes on success (an upload's S3Value) to `changes`. Returns the steps (None
    when there are none) and the stored names they fill."""
    services = Services()
    deferred = []
    for name, stored, attr in schema.services:
        value = values.get(name)
        if value is None:
            continue
        step = attr.write_step(value, instance, client, _keeper(put, stored, name, value, changes), services)
        if step is not None:
            services.add_before(step)
            deferred.append(stored)
    return (services if deferred else None), frozenset(deferred)


def _keeper(put: Callable[[str, Any], None], stored: str, name: str, value: Any, changes: dict[str, Any]) -> Callable[[Any, Any], None]:
    def keep(stored_value: Any, instance_value: Any) -> None:
        put(stored, stored_value)
        if instance_value is not value:
            changes[name] = instance_value

    return keep


class _Pending:
    """A value an update sends once a step has made its stored form: it stands in the SET
    action, and once the request is compiled `place` writes into the expression value
    the action compiled to."""

    __slots__ = ("place",)

    def __init__(self) -> None:
        self.place: Callable[[Any], None] | None = None


def _apply_written(plan: WritePlan, answer: OperationMetrics | None) -> None:
    """DynamoDB accepted the write: only now does the instance take the planned changes
    (generated values, the new version), then the after-hooks run."""
    instance = plan.instance
    assert instance is not None
    if plan.changes:
        instance.__dict__.update(plan.changes)
    plan.schema.metrics.record(answer, plan.metric)
    for hook in plan.after_hooks:
        hook(instance)


def finish_save(plan: WritePlan, answer: OperationMetrics | None) -> None:
    _apply_written(plan, answer)


def _add_condition(
    args: dict[str, Any], builder: ExpressionBuilder, condition: Condition | None, version_text: str | None, schema: ModelSchema
) -> None:
    """The user's condition AND the version check, and every placeholder the request uses."""
    condition_text = join_conditions(user_condition(condition, builder, "condition", schema), version_text)
    if condition_text:
        args["condition_expression"] = condition_text
    args.update(builder.arguments())


# --- delete ---------------------------------------------------------------------------------


def plan_delete(
    instance: Any, condition: Condition | None = None, skip_hooks: bool | None = None, *, client: Any = None
) -> WritePlan:
    """`client`: as for `plan_save`."""
    schema = schema_of(instance)
    config = config_of(schema)
    client = config.client or client or client_of(schema, config)
    if schema.hooks:
        run_hooks(hooks_for(schema, HookType.BEFORE_DELETE, skip_hooks), instance)
    state = instance.__dict__
    args: dict[str, Any] = {"table": config.table, "key": instance_key(schema, state)}
    version_text = None
    builder = None
    if schema.version is not None and state.get(schema.version) is not None:
        # Deleting an item someone changed since we read it is a lost update too.
        builder = ExpressionBuilder()
        version_text = version_condition(schema, state[schema.version], builder)
    if condition is not None or version_text is not None:
        _add_condition(args, builder or ExpressionBuilder(), condition, version_text, schema)
    plan = WritePlan(client, args, schema, "delete", instance)
    if schema.hooks:
        plan.after_hooks = hooks_for(schema, HookType.AFTER_DELETE, skip_hooks)
    if schema.services:
        plan.services = _delete_steps(schema, state, client)
    return plan


def _delete_steps(schema: ModelSchema, state: dict[str, Any], client: Any) -> Services | None:
    """Removals of the item's S3 objects, run once the item is deleted: removing them first
    would leave an item pointing at nothing if the delete then failed (a condition)."""
    services = Services()
    for name, _stored, attr in schema.services:
        value = state.get(name)
        removal = getattr(attr, "delete_step", None)
        if value is not None and removal is not None:
            step = removal(value, client, services)
            if step is not None:
                services.after.append(step)
    return services if services.after else None


def finish_delete(plan: WritePlan, answer: OperationMetrics | None) -> None:
    assert plan.instance is not None
    record(plan, answer)
    # The item is gone: an object that could not be removed is named, and the after-delete
    # hooks do not run (as in 0.21.0, where the S3 error propagated before them).
    raise_orphans(plan, "the item was deleted")
    run_hooks(plan.after_hooks, plan.instance)


# --- update ---------------------------------------------------------------------------------


def _setter(values: dict[str, Any], placeholder: str) -> Callable[[Any], None]:
    def place(stored_value: Any) -> None:
        values[placeholder] = stored_value

    return place


def _set_actions(
    schema: ModelSchema, values: dict[str, Any], operation: str, pending: dict[str, _Pending] | None = None
) -> tuple[list[AtomicOp], dict[str, Any]]:
    """SET actions for `values` (Python name -> value); the checked values by Python name.
    A value whose stored name is in `pending` is set to its placeholder, for a step to fill."""
    actions: list[AtomicOp] = []
    checked: dict[str, Any] = {}
    attributes = schema.attributes
    for name, value in values.items():
        attr = attributes.get(name)
        if attr is None:
            # A ValueError, as pydynox 0.21.0 raised here (and a ValidationException).
            raise ParamValidationException(f"{schema.name}.{operation}: no attribute {name!r}")
        if name in (schema.hash_key, schema.range_key):
            raise ValueError(f"{schema.name}.{operation}: {name!r} is a key attribute and cannot be changed")
        if name == schema.version:
            raise ValueError(f"{schema.name}.{operation}: {name!r} is the version attribute; the model manages it")
        attr.validate(value, schema.name)
        checked[name] = value
        path = schema.whole_path(name)
        if value is None:
            actions.append(path.remove())
        elif pending and schema.stored_names[name] in pending:
            actions.append(AtomicSet(path, pending[schema.stored_names[name]]))
        else:
            actions.append(AtomicSet(path, attr.serialize(value)))
    return actions, checked


def _atomic_actions(schema: ModelSchema, atomic: Any) -> list[AtomicOp]:
    """The atomic actions, checked. Their results are known only to DynamoDB, so the update
    asks for the item as stored afterwards and `finish_update` loads the instance from it."""
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
    instance: Any,
    client: Any = None,
    /,
    atomic: list[AtomicOp] | None = None,
    condition: Condition | None = None,
    skip_hooks: bool | None = None,
    **kwargs: Any,
) -> WritePlan:
    """`client`: as for `plan_save`; positional-only, as `kwargs` are attribute names."""
    schema = schema_of(instance)
    config = config_of(schema)
    client = config.client or client or client_of(schema, config)
    if schema.hooks:
        run_hooks(hooks_for(schema, HookType.BEFORE_UPDATE, skip_hooks), instance)
    state = instance.__dict__
    key = instance_key(schema, state)
    services = None
    pending: dict[str, _Pending] = {}
    if schema.services:
        # Values that need an upload or encryption enter the request as placeholders,
        # each replaced by its step's stored form (the instance takes the item as stored).
        def put(stored: str, stored_value: Any) -> None:
            place = pending[stored].place
            assert place is not None
            place(stored_value)

        services, deferred = _write_steps(schema, kwargs, instance, client, put, {})
        pending = {stored: _Pending() for stored in deferred}
    actions, changes = _set_actions(schema, kwargs, "update", pending)
    if atomic is not None:
        actions.extend(_atomic_actions(schema, atomic))
    if not actions:
        raise ValueError(f"{schema.name}.update: nothing to update; pass attribute=value or atomic=[...]")
    builder = ExpressionBuilder()
    version_text = None
    if schema.version is not None:
        current = state.get(schema.version)
        version_text = version_condition(schema, current, builder)
        new_version = 1 if current is None else current + 1
        actions.append(AtomicSet(schema.whole_path(schema.version), new_version))
        changes[schema.version] = new_version
    args: dict[str, Any] = {
        "table": config.table,
        "key": key,
        "update_expression": compile_update(actions, builder),
        # The whole item as stored after the update (not UPDATED_NEW: for a nested path
        # such as address["city"] that holds only the changed part of the map).
        "return_values": "ALL_NEW",
    }
    _add_condition(args, builder, condition, version_text, schema)
    plan = WritePlan(client, args, schema, "update", instance)
    plan.changes = changes
    if schema.services:
        if pending:
            values = args["expression_attribute_values"]
            for placeholder, value in values.items():
                if isinstance(value, _Pending):
                    value.place = _setter(values, placeholder)
        plan.services = services or Services()
        plan.services.reveal = schema  # decrypts the item as stored after the update
    if schema.hooks:
        plan.after_hooks = hooks_for(schema, HookType.AFTER_UPDATE, skip_hooks)
    return plan


def finish_update(plan: WritePlan, answer: OperationMetrics | None) -> None:
    """The instance becomes the item as stored after the update (atomic results, other
    writers' changes and all), loaded like a read so Datetime/Enum/JSON values convert;
    no after_load hooks, as this is an update. Then the after_update hooks run."""
    stored = None if answer is None else answer.attributes
    if stored is not None:
        plan.changes = plan.schema.load(stored).__dict__
    _apply_written(plan, answer)


def plan_integration_update(
    instance: Any,
    atomic: list[AtomicOp] | None = None,
    condition: Condition | None = None,
    skip_hooks: bool | None = None,
    **kwargs: Any,
) -> WritePlan:
    """`update` of a pydantic model or dataclass (pydynox.integrations): the class's own
    validation of the new values first (pydantic may also coerce them), then Model's update."""
    if kwargs:
        kwargs = schema_of(instance).check_update(instance, kwargs)
    return plan_update(instance, atomic=atomic, condition=condition, skip_hooks=skip_hooks, **kwargs)


# Its answer is Model's: the instance becomes the item as stored (loaded, so validated).
finish_integration_update = finish_update


def plan_update_by_key(model: Any, condition: Condition | None = None, **kwargs: Any) -> WritePlan:
    schema = schema_of(model)
    client = client_of(schema)
    values = dict(kwargs)
    key = key_from_kwargs(schema, values, "update_by_key")
    actions, _ = _set_actions(schema, values, "update_by_key")
    if not actions:
        raise ValueError(f"{schema.name}.update_by_key: nothing to update; pass attribute=value after the key")
    if schema.version is not None:
        # No instance, so no version to check; bumping it still makes every instance read
        # before this write stale, so their saves fail instead of undoing it.
        actions.append(schema.whole_path(schema.version).add(1))
    builder = ExpressionBuilder()
    args: dict[str, Any] = {"table": table_of(schema), "key": key, "update_expression": compile_update(actions, builder)}
    condition_text = user_condition(condition, builder, "condition", schema)
    if condition_text:
        args["condition_expression"] = condition_text
    args.update(builder.arguments())
    return WritePlan(client, args, schema, "update")


def finish_update_by_key(plan: WritePlan, answer: OperationMetrics | None) -> None:
    record(plan, answer)


def plan_delete_by_key(model: Any, condition: Condition | None = None, **kwargs: Any) -> WritePlan:
    schema = schema_of(model)
    client = client_of(schema)
    values = dict(kwargs)
    key = key_from_kwargs(schema, values, "delete_by_key")
    if values:
        raise TypeError(f"{schema.name}.delete_by_key: takes only the key attributes, also got {sorted(values)}")
    args: dict[str, Any] = {"table": table_of(schema), "key": key}
    builder = ExpressionBuilder()
    condition_text = user_condition(condition, builder, "condition", schema)
    if condition_text:
        args["condition_expression"] = condition_text
        args.update(builder.arguments())
    return WritePlan(client, args, schema, "delete")


def finish_delete_by_key(plan: WritePlan, answer: OperationMetrics | None) -> None:
    record(plan, answer)
