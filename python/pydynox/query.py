"""The client's lazy query and scan results, under the module name pydynox 0.21.0 used.

`DynamoDBClient.query(...)` returns a `QueryResult` (`async_query`: an `AsyncQueryResult`),
`scan(...)` a `ScanResult` (`async_scan`: an `AsyncScanResult`). Iterate them; their
`last_evaluated_key`, `metrics` and `page_count` are documented on each class. They are
built by the client, not constructed directly. Model reads return the model result classes
of `pydynox.model` instead.
"""

from pydynox.pydynox_core import AsyncQueryResult, AsyncScanResult, QueryResult, ScanResult

__all__ = ["AsyncQueryResult", "AsyncScanResult", "QueryResult", "ScanResult"]
