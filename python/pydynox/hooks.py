"""Lifecycle hooks: decorate a model method to run it around an operation.

```python
class User(Model):
    @before_save
    def normalize(self) -> None:
        self.email = self.email.lower()
```

`before_*` hooks run while the request is planned (raising in one cancels the call);
`after_*` hooks run only once DynamoDB accepted it. `after_load` runs on every model built
from a read (get, query, scan, batch_get, ...). Pass `skip_hooks=True` to an operation, or
set `ModelConfig(skip_hooks=True)`, to skip them.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

__all__ = [
    "HookType",
    "after_delete",
    "after_load",
    "after_save",
    "after_update",
    "before_delete",
    "before_save",
    "before_update",
]

F = TypeVar("F", bound=Callable[..., Any])

# The attribute a decorated function carries; the model collects functions marked with it.
HOOK_MARK = "_pydynox_hook"


class HookType(Enum):
    """When a hook runs."""

    BEFORE_SAVE = "before_save"
    AFTER_SAVE = "after_save"
    BEFORE_DELETE = "before_delete"
    AFTER_DELETE = "after_delete"
    BEFORE_UPDATE = "before_update"
    AFTER_UPDATE = "after_update"
    AFTER_LOAD = "after_load"

    # Members are singletons compared by identity; hashing by identity is a C slot, where
    # Enum's own `__hash__` is a Python call on every hook look-up of every operation.
    __hash__ = object.__hash__


def _marker(kind: HookType) -> Callable[[F], F]:
    def mark(func: F) -> F:
        if not callable(func):
            raise TypeError(f"@{kind.value} decorates a method, got {func!r}")
        setattr(func, HOOK_MARK, kind)
        return func

    mark.__name__ = kind.value
    mark.__doc__ = f"Runs the decorated method ({kind.value.replace('_', ' ')})."
    return mark


before_save = _marker(HookType.BEFORE_SAVE)
after_save = _marker(HookType.AFTER_SAVE)
before_delete = _marker(HookType.BEFORE_DELETE)
after_delete = _marker(HookType.AFTER_DELETE)
before_update = _marker(HookType.BEFORE_UPDATE)
after_update = _marker(HookType.AFTER_UPDATE)
after_load = _marker(HookType.AFTER_LOAD)
