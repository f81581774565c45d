"""The generated I/O mixins, or empty stand-ins while `_generated/model_ops.py` is absent.

The stand-ins only exist so the model layer imports before the generator's first run;
once the generated module is committed they are never used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

M = TypeVar("M")

if TYPE_CHECKING:
    from pydynox._generated.model_ops import (
        GlobalSecondaryIndexOperations,
        LocalSecondaryIndexOperations,
        ModelOperations,
    )
else:
    try:
        from pydynox._generated.model_ops import (
            GlobalSecondaryIndexOperations,
            LocalSecondaryIndexOperations,
            ModelOperations,
        )
    except ImportError:  # before the generator has run

        class ModelOperations:
            __slots__ = ()

        class GlobalSecondaryIndexOperations(Generic[M]):
            __slots__ = ()

        class LocalSecondaryIndexOperations(Generic[M]):
            __slots__ = ()


__all__ = ["GlobalSecondaryIndexOperations", "LocalSecondaryIndexOperations", "ModelOperations"]
