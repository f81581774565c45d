"""The `Plan` of a model operation, and the steps every core shares (ADR 5).

Nothing here sends anything: these functions read a model's schema and config, check
parameters and build expression text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydynox._model.expressions import compile_condition
from pydynox._model.schema import ModelSchema, schema_of_class
from pydynox.conditions import Condition
from pydynox.config import get_default_client
from pydynox.hooks import HookType

if TYPE_CHECKING:
    from pydynox._model.expressions import ExpressionBuilder
    from pydynox._model.steps import Services
    from pydynox.config import ModelConfig
    from pydynox.pydynox_core import DynamoDBClient, OperationMetrics

__all__ = [
    "Hook",
    "PagePlan",
    "Plan",
    "ReadPlan",
    "TablePlan",
    "WritePlan",
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
    """One planned model operation: the client to call, the keyword arguments of its
    call, and the model's schema (its name, config and metrics store; the core knows a
    model only by it). The shells read `client`, `args` and `skip`; each kind of operation
    has its own plan class below with exactly what its `finish_*` needs."""

    __slots__ = ("args", "client", "schema", "services", "skip")

    client: DynamoDBClient
    args: dict[str, Any]
    schema: ModelSchema
    skip: bool
    """Nothing to send (e.g. an empty batch); finish with answer None."""
    services: Services | None
    """S3/KMS calls around the client call (`pydynox._model.steps`); None for most."""

    def __init__(self, client: DynamoDBClient, args: dict[str, Any], schema: ModelSchema) -> None:
        self.client = client
        self.args = args
        self.schema = schema
        self.skip = False
        self.services = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.schema.name}, {sorted(self.args)})"


class TablePlan(Plan):
    """create_table, table_exists, delete_table: nothing to finish but the answer."""

    __slots__ = ()


class ReadPlan(Plan):
    """A one-shot read (get, batch_get, count, parallel_scan, execute_statement)."""

    __slots__ = ("collected", "fields", "load", "metric")

    load: Callable[[dict[str, Any]], Any]
    """Turns one stored item into what the read yields (model with after_load hooks, or
    the dict itself with as_dict)."""
    metric: str
    """Which model counter the call bumps (get, scan; "" for none)."""
    fields: tuple[tuple[str | int, ...], ...] | None
    """Document paths a get asked for, to trim nested attributes the client returns whole."""
    collected: list[Any] | None
    """What the pages before the last yielded, for an operation whose shell repeats the
    call page by page (`repeat:` in spec/model.yaml); None until the first such page."""

    def __init__(
        self, client: DynamoDBClient, args: dict[str, Any], schema: ModelSchema, metric: str, load: Callable[[dict[str, Any]], Any] = _as_stored
    ) -> None:
        self.client = client
        self.args = args
        self.schema = schema
        self.skip = False
        self.services = None
        self.metric = metric
        self.load = load
        self.fields = None
        self.collected = None


class PagePlan(Plan):
    """A paginated read (query, scan, index query), which its result object finishes."""

    __slots__ = ("key_names", "load", "metric", "scope", "start_key")

    load: Callable[[dict[str, Any]], Any]
    metric: str
    key_names: tuple[str, ...]
    """Stored names of the resume key (table keys, plus index keys for an index)."""
    start_key: dict[str, Any] | None
    """Where the read started (None: from the beginning)."""
    scope: str
    """What a cursor of this read is bound to."""

    def __init__(
        self,
        client: DynamoDBClient,
        args: dict[str, Any],
        schema: ModelSchema,
        metric: str,
        load: Callable[[dict[str, Any]], Any],
        key_names: tuple[str, ...],
        start_key: dict[str, Any] | None,
        scope: str,
    ) -> None:
        self.client = client
        self.args = args
        self.schema = schema
        self.skip = False
        self.services = None
        self.metric = metric
        self.load = load
        self.key_names = key_names
        self.start_key = start_key
        self.scope = scope


class WritePlan(Plan):
    """A write (save, delete, update and their by-key forms)."""

    __slots__ = ("after_hooks", "changes", "instance", "metric")

    instance: Any
    """The model instance of an instance operation (None for the by-key forms)."""
    changes: dict[str, Any] | None
    """Python name -> value, written into the instance on success (generated values, the
    new version, update values)."""
    after_hooks: tuple[Hook, ...]
    """Hooks to run on success (after_save/after_delete/after_update)."""
    metric: str
    """Which model counter the call bumps (put, delete, update)."""

    def __init__(self, client: DynamoDBClient, args: dict[str, Any], schema: ModelSchema, metric: str, instance: Any = None) -> None:
        self.client = client
        self.args = args
        self.schema = schema
        self.skip = False
        self.services = None
        self.metric = metric
        self.instance = instance
        self.changes = None
        self.after_hooks = ()


# --- shared steps -------------------------------------------------------------------------


def schema_of(target: Any) -> ModelSchema:
    """The schema of a model class (`target`'s own when it is an instance)."""
    return schema_of_class(target if isinstance(target, type) else type(target))


def config_of(schema: ModelSchema) -> ModelConfig:
    config = schema.config
    if config is None:
        raise ValueError(f"{schema.name}: no model_config; set model_config = ModelConfig(table=...)")
    return config


def client_of(schema: ModelSchema, config: ModelConfig | None = None) -> DynamoDBClient:
    config = config or config_of(schema)
    client = config.client or get_default_client()
    if client is None:
        raise ValueError(
            f"{schema.name}: no DynamoDB client; pass ModelConfig(client=...) "
            "or call pydynox.set_default_client(client) first"
        )
    if config.hot_partition_writes is not None or config.hot_partition_reads is not None:
        # The model's own thresholds for its table, on whichever client it calls through.
        detector = client.diagnostics
        if detector is not None:
            detector.set_table_thresholds(config.table, config.hot_partition_writes, config.hot_partition_reads)
    return client


def table_of(schema: ModelSchema) -> str:
    return config_of(schema).table


def hooks_for(schema: ModelSchema, kind: HookType, skip_hooks: bool | None) -> tuple[Hook, ...]:
    hooks = schema.hooks
    if not hooks:  # most models declare none
        return ()
    functions = hooks.get(kind, ())
    if not functions:
        return ()
    skip = config_of(schema).skip_hooks if skip_hooks is None else skip_hooks
    return () if skip else functions


def run_hooks(hooks: tuple[Hook, ...], instance: Any) -> None:
    for hook in hooks:
        hook(instance)


def consistent(schema: ModelSchema, consistent_read: bool | None) -> bool:
    if consistent_read is None:
        return bool(config_of(schema).consistent_read)
    if not isinstance(consistent_read, bool):
        raise TypeError(f"{schema.name}: consistent_read must be True, False or None, got {consistent_read!r}")
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


def user_condition(condition: Condition | None, builder: ExpressionBuilder, parameter: str, schema: ModelSchema) -> str | None:
    if condition is None:
        return None
    if not isinstance(condition, Condition):
        raise TypeError(f"{schema.name}: {parameter} must be a Condition (e.g. User.age > 3), got {condition!r}")
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


def record(plan: ReadPlan | WritePlan, metrics: OperationMetrics | None) -> None:
    plan.schema.metrics.record(metrics, plan.metric)


def check_count(schema: ModelSchema, parameter: str, value: Any, minimum: int = 1) -> None:
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{schema.name}: {parameter} must be an int >= {minimum}, got {value!r}")
