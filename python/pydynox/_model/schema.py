"""A model class's schema, collected once when the class is defined.

Everything per-class that operations need (keys, indexes, hooks, the version and TTL
attributes, the precomputed load/dump tables and the model's metrics store) lives on one
`ModelSchema`, so the hot paths do dictionary look-ups instead of walking the class each
call. It is the one object the model core (`pydynox._model`) knows a model by: a model
class carries it as `__pydynox_schema__` (see `schema_of_class`), and plans carry it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from pydynox._model.index_schema import GlobalIndexDeclaration, LocalIndexDeclaration
from pydynox._model.metrics import ModelMetricsStore
from pydynox.attributes import Attribute, TTLAttribute, VersionAttribute, _declared_by
from pydynox.conditions import Path
from pydynox.hooks import HOOK_MARK, HookType

if TYPE_CHECKING:
    from pydynox.config import ModelConfig

__all__ = ["ModelSchema", "SCHEMA_ATTRIBUTE", "build_schema", "finish_schema", "schema_of_class"]

SCHEMA_ATTRIBUTE = "__pydynox_schema__"
"""The class attribute under which a model class carries its `ModelSchema`: the whole
protocol between a model class and the core."""


def schema_of_class(model: Any) -> ModelSchema:
    """The schema a model class carries; TypeError for anything else (`Model` itself included)."""
    schema = getattr(model, SCHEMA_ATTRIBUTE, None)
    if schema is None:
        name = getattr(model, "__name__", type(model).__name__)
        raise TypeError(f"{name}: declare a subclass of Model to use operations")
    return schema  # type: ignore[no-any-return]


class ModelSchema:
    """What a model class declares."""

    __slots__ = (
        "model",
        "name",
        "qualified_name",
        "metrics",
        "attributes",
        "stored_names",
        "hash_key",
        "range_key",
        "global_indexes",
        "local_indexes",
        "hooks",
        "version",
        "ttl",
        "generated",
        "_blank",
        "_by_stored",
        "_renamed",
        "_converters",
        "load",
        "load_hooked",
        "key_specs",
        "_checks",
        "_dumps",
        "_saves",
        "_paths",
        "services",
    )

    def __init__(self, model: type) -> None:
        self.model = model
        """The model class (the core reads only its public `model_config` from it)."""
        self.name: str = model.__name__
        self.qualified_name = f"{model.__module__}.{model.__qualname__}"
        self.metrics = ModelMetricsStore()
        """The model's last call and totals (`Model.get_last_metrics()` and co.)."""
        self.attributes: dict[str, Attribute[Any]] = {}
        """Python name -> attribute, in declaration order (base classes first)."""
        self.stored_names: dict[str, str] = {}
        """Python name -> stored name."""
        self.hash_key: str | None = None
        self.range_key: str | None = None
        self.global_indexes: dict[str, GlobalIndexDeclaration[Any]] = {}
        self.local_indexes: dict[str, LocalIndexDeclaration[Any]] = {}
        """Declared indexes by Python name (the declarations, not bound to the model)."""
        self.hooks: dict[HookType, tuple[Callable[[Any], Any], ...]] = {}
        self.version: str | None = None
        self.ttl: str | None = None
        self.generated: dict[str, Attribute[Any]] = {}
        """Attributes with an AutoGenerate default, by Python name."""
        self._blank: dict[str, Any] = {}
        self._by_stored: dict[str, str] = {}
        self._renamed = False
        self._converters: tuple[tuple[str, Callable[[Any], Any]], ...] = ()
        self.key_specs: tuple[tuple[str, str, Attribute[Any], type | None], ...] = ()
        """(Python name, stored name, attribute, exact type that needs no check) per table
        key attribute; the last is None when every value goes through `validate`."""
        self._checks: tuple[tuple[str, Attribute[Any], frozenset[type]], ...] = ()
        """(Python name, attribute, exact types of values that need no `validate` call) per
        attribute, in declaration order (see `checked_item`; `Model.__init__` reads it too)."""
        self._dumps: tuple[tuple[str, str, Callable[[Any], Any], frozenset[type] | None], ...] = ()
        """(Python name, stored name, serialize, exact types stored as they are, None: all)
        per attribute, in declaration order (see `dump`)."""
        self.load: Callable[[dict[str, Any]], Any] = self._make_loader()
        """A model instance from a stored item, without calling `__init__` (the load path).
        Attributes the model does not declare are dropped; missing ones are None."""
        self._saves: tuple[tuple[str, Attribute[Any], frozenset[type], str, Callable[[Any], Any], frozenset[type] | None], ...] = ()
        """`_checks` and `_dumps` row by row (see `checked_item`)."""
        self._paths: dict[str, Path] = {}
        self.load_hooked: Callable[[dict[str, Any]], Any] = self.load
        """`load` followed by the after_load hooks (`load` itself when there are none)."""
        self.services: tuple[tuple[str, str, Any], ...] = ()
        """(Python name, stored name, attribute) of each attribute that does I/O of its own
        (S3, KMS): it has `write_step` / `read_step` (see `pydynox._model.steps`)."""

    @property
    def config(self) -> ModelConfig | None:
        """The model's `model_config` as it is now (None when it has none)."""
        return getattr(self.model, "model_config", None)

    # --- keys ----------------------------------------------------------------------------

    def table_key_names(self) -> tuple[str, ...]:
        """Stored names of the table's key attributes."""
        names = []
        if self.hash_key is not None:
            names.append(self.stored_names[self.hash_key])
        if self.range_key is not None:
            names.append(self.stored_names[self.range_key])
        return tuple(names)

    def stored_name_of(self, python_name: str) -> str:
        return self.stored_names[python_name]

    def whole_path(self, python_name: str) -> Path:
        """The path of a whole attribute (its stored name), built once per attribute."""
        return self._paths[python_name]

    # --- values --------------------------------------------------------------------------

    def check_update(self, instance: Any, values: dict[str, Any]) -> dict[str, Any]:
        """The values an update of `instance` sets, after the class's own validation: none
        for a Model (its attributes check each value in plan_update); pydantic's for an
        integration model (`plan_integration_update`)."""
        return values

    def default_for(self, name: str) -> Any:
        return self.attributes[name].make_default()

    def check_value(self, name: str, value: Any) -> None:
        """Raises TypeError/ValueError naming `Model.attribute` when `value` cannot be stored."""
        self.attributes[name].validate(value, self.name)

    def checked_item(self, state: dict[str, Any], deferred: frozenset[str] = frozenset()) -> dict[str, Any]:
        """The stored item of `state` after `validate` of every attribute's value, in one
        pass over the attributes: every check in declaration order (so the first bad value
        is the one reported), then the `serialize` calls in declaration order, as checking
        everything and then `dump` would; values of a type the attribute accepts whole
        (and None where allowed) cost no `validate` call. Attributes of `deferred` (stored
        names) are checked but not serialized: their value stays in the item as a
        placeholder for a service step to replace (an upload, an encryption)."""
        item: dict[str, Any] = {}
        converted: list[tuple[str, Callable[[Any], Any], Any]] = []
        get = state.get
        model_name = self.name
        for name, attr, fine, stored, serialize, as_is in self._saves:
            value = get(name)
            if type(value) not in fine:
                attr.validate(value, model_name)
            if value is not None:
                item[stored] = value
                if as_is is not None and type(value) not in as_is:
                    converted.append((stored, serialize, value))
        # Conversions run once every value is checked, as checking everything and then
        # dumping would; the placeholder stored above keeps each key at its position.
        for stored, serialize, value in converted:
            if stored not in deferred:
                item[stored] = serialize(value)
        return item

    def dump(self, state: dict[str, Any]) -> dict[str, Any]:
        """Instance state -> stored item (None values left out)."""
        item: dict[str, Any] = {}
        get = state.get
        for name, stored, serialize, as_is in self._dumps:
            value = get(name)
            if value is not None:
                if as_is is None or type(value) in as_is:
                    item[stored] = value
                else:
                    item[stored] = serialize(value)
        return item

    def _make_loader(self) -> Callable[[dict[str, Any]], Any]:
        # One closure per model, specialised for its case, so the per-item path is a dict
        # copy and a C-level update; only converting attributes cost a Python call each.
        model = self.model
        new = object.__new__
        blank = self._blank
        size = len(blank)
        converters = self._converters
        by_stored = self._by_stored

        def drop_undeclared(state: dict[str, Any], item: dict[str, Any]) -> None:
            for stored in item:
                if stored not in blank:
                    del state[stored]

        if self._renamed:

            def load(item: dict[str, Any]) -> Any:
                state = blank.copy()
                for stored, value in item.items():
                    name = by_stored.get(stored)
                    if name is not None:
                        state[name] = value
                for name, deserialize in converters:
                    value = state[name]
                    if value is not None:
                        state[name] = deserialize(value)
                obj: Any = new(model)
                obj.__dict__ = state
                return obj

        elif converters:

            def load(item: dict[str, Any]) -> Any:
                state = blank.copy()
                state.update(item)
                if len(state) != size:
                    drop_undeclared(state, item)
                for name, deserialize in converters:
                    value = state[name]
                    if value is not None:
                        state[name] = deserialize(value)
                obj: Any = new(model)
                obj.__dict__ = state
                return obj

        else:

            def load(item: dict[str, Any]) -> Any:
                state = blank.copy()
                state.update(item)
                if len(state) != size:
                    drop_undeclared(state, item)
                obj: Any = new(model)
                obj.__dict__ = state
                return obj

        return load

    # --- setup ---------------------------------------------------------------------------

    def _finish(self) -> None:
        self._blank = dict.fromkeys(self.attributes)
        self._by_stored = {stored: name for name, stored in self.stored_names.items()}
        self._renamed = any(name != stored for name, stored in self.stored_names.items())
        self._converters = tuple(
            (name, attr.deserialize) for name, attr in self.attributes.items() if attr.converts
        )
        self.load = self._make_loader()
        self.load_hooked = self.load
        after_load = self.hooks.get(HookType.AFTER_LOAD, ())
        if after_load:
            self.load_hooked = _with_hooks(self.load, after_load)
        self._paths = {name: Path((self.stored_names[name],), attr) for name, attr in self.attributes.items()}
        self._checks = tuple((name, attr, _needs_no_check(attr)) for name, attr in self.attributes.items())
        self._dumps = tuple(
            (name, self.stored_names[name], attr.serialize, attr.stored_as_is())
            for name, attr in self.attributes.items()
        )
        self._saves = tuple(check + dump[1:] for check, dump in zip(self._checks, self._dumps))
        self.services = tuple(
            (name, self.stored_names[name], attr) for name, attr in self.attributes.items() if hasattr(attr, "write_step")
        )
        # A str for an S key, an int for an N key, bytes for a B key: valid as they are, and
        # stored as they are, so the hot key path skips the generic check for them.
        # (Only when the attribute's own check and serialize vouch for that type: a
        # subclass that narrows `_check` or changes `serialize` sees every key value.)
        fast = {"S": str, "N": int, "B": bytes}
        specs = []
        for name in (self.hash_key, self.range_key):
            if name is None:
                continue
            attr = self.attributes[name]
            exact = None if attr.converts else fast.get(attr.key_type or "")
            as_is = attr.stored_as_is()
            if exact is not None and (exact not in attr._fast_valid or (as_is is not None and exact not in as_is)):
                exact = None
            specs.append((name, self.stored_names[name], attr, exact))
        self.key_specs = tuple(specs)


def _with_hooks(load: Callable[[dict[str, Any]], Any], hooks: tuple[Callable[[Any], Any], ...]) -> Callable[[dict[str, Any]], Any]:
    def load_with_hooks(item: dict[str, Any]) -> Any:
        obj = load(item)
        for hook in hooks:
            hook(obj)
        return obj

    return load_with_hooks


def _needs_no_check(attr: Attribute[Any]) -> frozenset[type]:
    """The exact types of values `attr.validate` would accept without looking further, as
    the attribute is declared when its class is created (as the keys are): the types its
    check accepts whole, but not str/bytes for a key (an empty one is refused), plus None
    when the value may be missing. Nothing for an attribute whose class redefines
    `validate` or `required`: all its values go through them."""
    cls = type(attr)
    if _declared_by(cls, "validate") is not Attribute or _declared_by(cls, "required") is not Attribute:
        return frozenset()
    fine = set(attr._fast_valid)
    if attr.hash_key or attr.range_key:
        fine -= {str, bytes}
    if not attr.required:
        fine.add(type(None))
    return frozenset(fine)


def build_schema(model: type) -> ModelSchema:
    """Collects the schema of `model` from its class body and its bases'.

    An attribute or index may take the name of a Model method (`count = NumberAttribute()`):
    as in pydynox 0.21.0 it wins on that class, and the core never reaches an operation
    through the class, so the operations still work (docs/guides/models.md says how to
    call a shadowed one).
    """
    schema = ModelSchema(model)
    hook_functions: dict[str, Callable[[Any], Any]] = {}
    for klass in reversed(model.__mro__):
        for name, value in vars(klass).items():
            # A name redefined in a subclass replaces what a base declared under it.
            if callable(value) and getattr(value, HOOK_MARK, None) is not None:
                hook_functions.pop(name, None)
                hook_functions[name] = value
                continue
            hook_functions.pop(name, None)
            if isinstance(value, Attribute):
                schema.attributes.pop(name, None)
                schema.attributes[name] = value
            elif isinstance(value, GlobalIndexDeclaration):
                schema.global_indexes[name] = value
            elif isinstance(value, LocalIndexDeclaration):
                schema.local_indexes[name] = value
            elif name in schema.attributes and not name.startswith("__"):
                del schema.attributes[name]
    return finish_schema(schema, hook_functions.values())


def finish_schema(schema: ModelSchema, hook_functions: Iterable[Callable[[Any], Any]] = ()) -> ModelSchema:
    """Completes a schema whose attributes and indexes are collected: keys, version, TTL,
    generated values, hooks, index checks and the load/dump tables. `build_schema` calls it
    for a Model; `pydynox.integrations` for a pydantic model or dataclass, whose attributes
    it derives from the field types."""
    stored_seen: dict[str, str] = {}
    for name, attr in schema.attributes.items():
        stored = attr.name or name
        if stored in stored_seen:
            raise TypeError(f"{schema.name}: attributes {stored_seen[stored]!r} and {name!r} are both stored as {stored!r}")
        stored_seen[stored] = name
        schema.stored_names[name] = stored
        if attr.hash_key:
            if schema.hash_key is not None:
                raise TypeError(f"{schema.name}: two hash keys, {schema.hash_key!r} and {name!r}")
            schema.hash_key = name
        if attr.range_key:
            if schema.range_key is not None:
                raise TypeError(f"{schema.name}: two range keys, {schema.range_key!r} and {name!r}")
            schema.range_key = name
        if isinstance(attr, VersionAttribute):
            if schema.version is not None:
                raise TypeError(f"{schema.name}: two VersionAttributes, {schema.version!r} and {name!r}")
            schema.version = name
        if isinstance(attr, TTLAttribute):
            if schema.ttl is not None:
                raise TypeError(f"{schema.name}: two TTLAttributes, {schema.ttl!r} and {name!r}")
            schema.ttl = name
        if attr.auto_generate is not None:
            schema.generated[name] = attr
    if schema.range_key is not None and schema.hash_key is None:
        raise TypeError(f"{schema.name}: a range key ({schema.range_key!r}) needs a hash key")

    hooks: dict[HookType, list[Callable[[Any], Any]]] = {}
    for function in hook_functions:
        hooks.setdefault(getattr(function, HOOK_MARK), []).append(function)
    schema.hooks = {kind: tuple(functions) for kind, functions in hooks.items()}

    for index in (*schema.global_indexes.values(), *schema.local_indexes.values()):
        index._check_against(schema)
    schema._finish()
    return schema
