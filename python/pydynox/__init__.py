"""pydynox: a fast, async-first DynamoDB client and ORM for Python with a Rust core.

Every I/O method has an `async_` twin with the same parameters:
`client.get_item(...)` and `await client.async_get_item(...)`, `user.save()` and
`await user.async_save()`, `User.query(...)` and `User.async_query(...)`.
"""

# The names below load on first use (PEP 562), so `import pydynox` costs about a
# millisecond and a program pays only for the parts it touches: the Rust core for a
# client, the model layer for a Model. Type checkers read the imports under TYPE_CHECKING;
# `__all__` lists them for mypy's strict re-export check; tests/test_packaging.py checks
# that the three lists name the same things.

from __future__ import annotations

from importlib import import_module

# Not typing.TYPE_CHECKING: importing typing alone would double the cost of this module.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from pydynox import exceptions
    from pydynox._generated.model_ops import (
        AsyncBatchWriter,
        AsyncGSIQueryResult,
        AsyncLSIQueryResult,
        AsyncModelQueryResult,
        AsyncModelScanResult,
        BatchWriter,
        GSIQueryResult,
        LSIQueryResult,
        ModelQueryResult,
        ModelScanResult,
    )
    from pydynox._observe import disable_tracing, enable_tracing, set_correlation_id, set_logger, set_slow_threshold
    from pydynox._results import ListWithMetrics
    from pydynox.conditions import And, Condition, Not, Or
    from pydynox.config import (
        ModelConfig,
        clear_default_client,
        get_default_client,
        set_cursor_secret,
        set_default_client,
    )
    from pydynox.generators import AutoGenerate
    from pydynox.indexes import GlobalSecondaryIndex, LocalSecondaryIndex
    from pydynox.integrations.functions import dynamodb_model
    from pydynox.model import Model, TypedModel
    from pydynox.pydynox_core import (
        AsyncQueryResult,
        AsyncScanResult,
        DynamoDBClient,
        ModelMetrics,
        OperationMetrics,
        QueryResult,
        ScanResult,
        TimeToLiveDescription,
    )
    from pydynox.rate_limit import AdaptiveRate, FixedRate, RateLimitMetrics
    from pydynox.transaction import AsyncTransaction, Transaction

# Which module each public name lives in.
_HOMES: dict[str, str] = {
    name: module
    for module, names in {
        "pydynox._generated.model_ops": (
            "AsyncBatchWriter",
            "AsyncGSIQueryResult",
            "AsyncLSIQueryResult",
            "AsyncModelQueryResult",
            "AsyncModelScanResult",
            "BatchWriter",
            "GSIQueryResult",
            "LSIQueryResult",
            "ModelQueryResult",
            "ModelScanResult",
        ),
        "pydynox._observe": ("disable_tracing", "enable_tracing", "set_correlation_id", "set_logger", "set_slow_threshold"),
        "pydynox._results": ("ListWithMetrics",),
        "pydynox.conditions": ("And", "Condition", "Not", "Or"),
        "pydynox.config": ("ModelConfig", "clear_default_client", "get_default_client", "set_cursor_secret", "set_default_client"),
        "pydynox.generators": ("AutoGenerate",),
        "pydynox.indexes": ("GlobalSecondaryIndex", "LocalSecondaryIndex"),
        "pydynox.integrations.functions": ("dynamodb_model",),
        "pydynox.model": ("Model", "TypedModel"),
        "pydynox.pydynox_core": (
            "AsyncQueryResult",
            "AsyncScanResult",
            "DynamoDBClient",
            "ModelMetrics",
            "OperationMetrics",
            "QueryResult",
            "ScanResult",
            "TimeToLiveDescription",
        ),
        "pydynox.rate_limit": ("AdaptiveRate", "FixedRate", "RateLimitMetrics"),
        "pydynox.transaction": ("AsyncTransaction", "Transaction"),
    }.items()
    for name in names
}

__version__ = "0.22.0"
VERSION = __version__

__all__ = [
    "AdaptiveRate",
    "And",
    "AsyncBatchWriter",
    "AsyncGSIQueryResult",
    "AsyncLSIQueryResult",
    "AsyncModelQueryResult",
    "AsyncModelScanResult",
    "AsyncQueryResult",
    "AsyncScanResult",
    "AsyncTransaction",
    "AutoGenerate",
    "BatchWriter",
    "Condition",
    "DynamoDBClient",
    "FixedRate",
    "GSIQueryResult",
    "GlobalSecondaryIndex",
    "LSIQueryResult",
    "ListWithMetrics",
    "LocalSecondaryIndex",
    "Model",
    "ModelConfig",
    "ModelMetrics",
    "ModelQueryResult",
    "ModelScanResult",
    "Not",
    "OperationMetrics",
    "Or",
    "QueryResult",
    "RateLimitMetrics",
    "ScanResult",
    "TimeToLiveDescription",
    "Transaction",
    "TypedModel",
    "VERSION",
    "clear_default_client",
    "disable_tracing",
    "dynamodb_model",
    "enable_tracing",
    "exceptions",
    "get_default_client",
    "set_correlation_id",
    "set_cursor_secret",
    "set_default_client",
    "set_logger",
    "set_slow_threshold",
]


def __getattr__(name: str) -> Any:
    if name == "exceptions":
        return import_module("pydynox.exceptions")
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'pydynox' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value  # later reads are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
