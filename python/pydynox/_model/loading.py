"""Turning stored items into what a read yields, and projections of `fields=`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydynox._model.expressions import ExpressionBuilder, compile_projection, parse_path
from pydynox._model.plan import PagePlan, ReadPlan, config_of

if TYPE_CHECKING:
    from pydynox._model.schema import ModelSchema

__all__ = [
    "field_paths",
    "load_item",
    "loader_of",
    "projection_of",
]


def load_item(plan: ReadPlan | PagePlan, raw: dict[str, Any]) -> Any:
    """One item of a read as the caller asked for it: the stored dict, or a model (with
    after_load hooks run). The plan holds a loader chosen once per read, so each item costs
    one call."""
    return plan.load(raw)


def _identity(raw: dict[str, Any]) -> dict[str, Any]:
    return raw


def loader_of(schema: ModelSchema, as_dict: Any) -> Callable[[dict[str, Any]], Any]:
    """What turns one stored item into what a read yields: the stored dict itself
    (as_dict), the model's loader, or its loader followed by the after_load hooks (both
    built once per model, in `ModelSchema._finish`). TypeError for an as_dict that is not
    a bool."""
    if as_dict is False:
        hooked = schema.load_hooked
        if hooked is schema.load or config_of(schema).skip_hooks:
            return schema.load
        return hooked
    if as_dict is True:
        return _identity
    raise TypeError(f"{schema.name}: as_dict must be True or False, got {as_dict!r}")


def field_paths(schema: ModelSchema, fields: Any) -> list[tuple[str | int, ...]]:
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


def projection_of(schema: ModelSchema, fields: Any, key_names: tuple[str, ...], builder: ExpressionBuilder) -> str | None:
    """A projection of `fields` plus the key attributes (resuming needs them)."""
    if fields is None:
        return None
    paths = field_paths(schema, fields)
    present = {path[0] for path in paths if len(path) == 1}
    paths.extend((name,) for name in key_names if name not in present)
    return compile_projection(paths, builder)
