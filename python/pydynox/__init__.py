"""pydynox: a fast, async-first DynamoDB client and ORM for Python with a Rust core.

Every I/O method has an `async_` twin with the same parameters:
`client.get_item(...)` and `await client.async_get_item(...)`, `user.save()` and
`await user.async_save()`, `User.query(...)` and `User.async_query(...)`.
"""

from pydynox import exceptions
from pydynox._observe import disable_tracing, enable_tracing, set_correlation_id, set_logger, set_slow_threshold
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
from pydynox.transaction import AsyncTransaction, Transaction
from pydynox.rate_limit import AdaptiveRate, FixedRate, RateLimitMetrics
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
    "dynamodb_model",
    "disable_tracing",
    "enable_tracing",
    "exceptions",
    "get_default_client",
    "set_correlation_id",
    "set_cursor_secret",
    "set_default_client",
    "set_logger",
    "set_slow_threshold",
]
