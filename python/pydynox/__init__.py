"""pydynox: a fast, async-first DynamoDB client for Python with a Rust core.

Every I/O method has an `async_` twin with the same parameters:
`client.get_item(...)` and `await client.async_get_item(...)`.
"""

from pydynox import exceptions
from pydynox._results import ListWithMetrics
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
    "AsyncQueryResult",
    "AsyncScanResult",
    "DynamoDBClient",
    "ListWithMetrics",
    "ModelMetrics",
    "OperationMetrics",
    "QueryResult",
    "ScanResult",
    "TimeToLiveDescription",
    "VERSION",
    "exceptions",
]
