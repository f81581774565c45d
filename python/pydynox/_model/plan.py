"""The `Plan` of a model operation, and the steps every core shares (ADR 5).

Nothing here sends anything: these functions read a model's schema and config, check
parameters and build expression text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydynox._model.expressions import compile_condition
from pydynox.conditions import Condition
from pydynox.config import get_default_client
from pydynox.hooks import HookType

if TYPE_CHECKING:
    from pydynox._model.expressions import ExpressionBuilder
    from pydynox._model.schema import ModelSchema
    from pydynox.config import ModelConfig
    from pydynox.model import Model
    from pydynox.pydynox_core import DynamoDBClient, OperationMetrics

__all__ = [
    "Hook",
    "Plan",
    "check_count",
    "client_of",
    "config_of",
    "consistent",
    "hooks_for",
    "instance_key",
    "join_conditions",
    "key_from_kwargs",
    "record",
    "require_keys",
    "run_hooks",
    "schema_of",
    "table_of",
    "user_condition",
    "version_condition",
]

Hook = Callable[[Any], Any]


def _as_stored(raw: dict[str, Any]) -> dict[str, Any]:
    return raw


class Plan:
    """One planned model operation: what to send, and what finishing needs.

    The shells read `client`, `args` and `skip`; everything else is for `finish_*`,
    `load_item`, `resume_key` and `encode_cursor`. Every field but the first three has its
    default on the class, so a plan stores only what its operation sets: building one is
    three attribute stores, not fifteen (it is built on every call of every operation).
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
    after_hooks: tuple[Hook, ...] = ()
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
    collected: list[Any] | None = None
    """What the pages before the last yielded, for an operation whose shell repeats the
    call page by page (`repeat:` in spec/model.yaml); None until the first such page."""
    load: Callable[[dict[str, Any]], Any]
    """Turns one stored item into what a read yields (model with after_load hooks, or the
    dict itself with as_dict)."""

    # Slots for what every plan sets (`load` is read once per item of a query); the rest
    # go to the instance dict only when set, else read the class defaults above.
    __slots__ = ("client", "args", "model", "load", "__dict__")

    def __init__(self, client: DynamoDBClient, args: dict[str, Any], model: type[Model], **fields: Any) -> None:
        self.client = client
        self.args = args
        self.model = model
        self.load = _as_stored
        for name, value in fields.items():
            if name not in _PLAN_FIELDS:
                raise TypeError(f"Plan: no field {name!r}")
            setattr(self, name, value)

    def __repr__(self) -> str:
        return f"Plan({self.model.__name__}, {sorted(self.__dict__)})"  # the fields set besides the slots


_PLAN_FIELDS = frozenset(
    ("skip", "instance", "after_hooks", "as_dict", "changes", "fields", "key_names", "start_key", "scope", "metric", "collected", "load")
)


# --- shared steps -------------------------------------------------------------------------


def schema_of(model: type[Model]) -> ModelSchema:
    try:
        return model._schema
    except AttributeError:
        raise TypeError(f"{model.__name__}: declare a subclass of Model to use operations") from None


def config_of(model: type[Model]) -> ModelConfig:
    try:
        config: ModelConfig | None = model.model_config
    except AttributeError:
        config = None
    if config is None:
        raise ValueError(f"{model.__name__}: no model_config; set model_config = ModelConfig(table=...)")
    return config


def client_of(model: type[Model]) -> DynamoDBClient:
    client = config_of(model).client or get_default_client()
    if client is None:
        raise ValueError(
            f"{model.__name__}: no DynamoDB client; pass ModelConfig(client=...) "
            "or call pydynox.set_default_client(client) first"
        )
    return client


def table_of(model: type[Model]) -> str:
    return config_of(model).table


def hooks_for(schema: ModelSchema, kind: HookType, skip_hooks: bool | None, model: type[Model]) -> tuple[Hook, ...]:
    hooks = schema.hooks
    if not hooks:  # most models declare none
        return ()
    functions = hooks.get(kind, ())
    if not functions:
        return ()
    skip = config_of(model).skip_hooks if skip_hooks is None else skip_hooks
    return () if skip else functions


def run_hooks(hooks: tuple[Hook, ...], instance: Model) -> None:
    for hook in hooks:
        hook(instance)


def consistent(model: type[Model], consistent_read: bool | None) -> bool:
    if consistent_read is None:
        return bool(config_of(model).consistent_read)
    if not isinstance(consistent_read, bool):
        raise TypeError(f"{model.__name__}: consistent_read must be True, False or None, got {consistent_read!r}")
    return consistent_read


def require_keys(schema: ModelSchema) -> None:
    if schema.hash_key is None:
        raise TypeError(f"{schema.name}: declares no hash key (StringAttribute(hash_key=True), ...)")


def instance_key(schema: ModelSchema, state: dict[str, Any]) -> dict[str, Any]:
    """The stored key of an instance; ValueError naming the key attribute when it is missing."""
    if not schema.key_specs:
        require_keys(schema)
    key = {}
    for name, stored, attr, exact in schema.key_specs:
        value = state.get(name)
        # A non-empty str/int/bytes of an S/N/B key is valid and stored as it is.
        if exact is not None and type(value) is exact and value:
            key[stored] = value
        else:
            attr.validate(value, schema.name)
            key[stored] = attr.serialize(value)
    return key


def key_from_kwargs(schema: ModelSchema, values: dict[str, Any], operation: str) -> dict[str, Any]:
    """The stored key from keyword arguments by Python name (which it removes from `values`)."""
    if not schema.key_specs:
        require_keys(schema)
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


def user_condition(condition: Condition | None, builder: ExpressionBuilder, parameter: str, model: type[Model]) -> str | None:
    if condition is None:
        return None
    if not isinstance(condition, Condition):
        raise TypeError(f"{model.__name__}: {parameter} must be a Condition (e.g. User.age > 3), got {condition!r}")
    return compile_condition(condition, builder)


def join_conditions(*parts: str | None) -> str | None:
    present = [part for part in parts if part]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    return " AND ".join(f"({part})" for part in present)


def version_condition(schema: ModelSchema, current: Any, builder: ExpressionBuilder) -> str:
    """The write holds only if the stored version is still the one this instance has."""
    stored = schema.stored_names[schema.version]  # type: ignore[index]
    if current is None:
        return f"attribute_not_exists({builder.name(stored)})"
    return f"{builder.name(stored)} = {builder.value(current)}"


def record(plan: Plan, metrics: OperationMetrics | None) -> None:
    plan.model._metrics.record(metrics, plan.metric)


def check_count(model: type[Model], parameter: str, value: Any, minimum: int = 1) -> None:
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{model.__name__}: {parameter} must be an int >= {minimum}, got {value!r}")
