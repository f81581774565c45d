# Generated from spec/client.yaml, spec/errors.yaml, spec/model.yaml, spec/results.yaml, spec/services.yaml, spec/types.yaml by `scripts/generate.sh`. Do not edit:
# change the spec or codegen/templates/pydynox_core.pyi.j2 and regenerate.

from typing import Any, final

from typing_extensions import disjoint_base

from pydynox.rate_limit import FixedRate

from pydynox.rate_limit import AdaptiveRate

from pydynox.diagnostics import HotPartitionDetector

from pydynox._results import ListWithMetrics


__all__ = [
    "PydynoxException",
    "ValidationException",
    "ConditionalCheckFailedException",
    "TransactionCanceledException",
    "ResourceNotFoundException",
    "ResourceInUseException",
    "ProvisionedThroughputExceededException",
    "AccessDeniedException",
    "CredentialsException",
    "ConnectionException",
    "SerializationException",
    "EncryptionException",
    "S3AttributeException",
    "OperationMetrics",
    "ModelMetrics",
    "TimeToLiveDescription",
    "S3Metadata",
    "S3Metrics",
    "QueryResult",
    "AsyncQueryResult",
    "ScanResult",
    "AsyncScanResult",
    "DynamoDBClient",
    "S3Operations",
    "KmsEncryptor",
]

class PydynoxException(Exception):
    """Base class of every error pydynox raises for a failed DynamoDB call."""

    unprocessed_items: list[dict[str, Any]] | None
    """When a batch write (batch_write, BatchWriter) failed: the put items it did not write, in the order given; every other item was written. None otherwise."""

    unprocessed_keys: list[dict[str, Any]] | None
    """When a batch write failed: the keys it did not delete, in the order given. None otherwise."""

class ValidationException(PydynoxException):
    """DynamoDB rejected the request as invalid (bad expression, wrong key schema, item too large)."""

class ConditionalCheckFailedException(PydynoxException):
    """A condition expression evaluated to false; nothing was written."""

    item: dict[str, Any] | None
    """The item as it was stored, when the call asked for it with return_values_on_condition_check_failure; else None."""

class TransactionCanceledException(PydynoxException):
    """A transaction was cancelled; no part of it was applied."""

    reasons: list[dict[str, Any]]
    """One entry per operation of the transaction, in order: {'code': str | None, 'message': str | None, 'item': dict | None}."""

class ResourceNotFoundException(PydynoxException):
    """The table or index does not exist (or is not active yet)."""

class ResourceInUseException(PydynoxException):
    """The table already exists, or is being created, updated or deleted."""

class ProvisionedThroughputExceededException(PydynoxException):
    """The request was throttled and the retries configured for the client ran out."""

class AccessDeniedException(PydynoxException):
    """The credentials are not allowed to do this."""

class CredentialsException(PydynoxException):
    """No usable credentials were found, or they were rejected as invalid."""

class ConnectionException(PydynoxException):
    """The endpoint could not be reached, or the connection failed or timed out."""

class SerializationException(PydynoxException):
    """A response could not be read (a value DynamoDB sent that pydynox cannot represent)."""

class EncryptionException(PydynoxException):
    """KMS envelope encryption failed: KMS refused or could not be reached, the stored value was encrypted under another key or context or was altered, or the attribute's mode forbids the operation. Never carries the plaintext."""

class S3AttributeException(PydynoxException):
    """An S3 call of an S3Attribute failed (upload, download, delete, head or presign)."""

@final
class OperationMetrics:
    """What one call to DynamoDB cost and returned."""

    @property
    def duration_ms(self) -> float:
        """Wall time of the call in milliseconds, retries included."""

    @property
    def consumed_rcu(self) -> float | None:
        """Read capacity units consumed, when DynamoDB reported them."""

    @property
    def consumed_wcu(self) -> float | None:
        """Write capacity units consumed, when DynamoDB reported them."""

    @property
    def items_count(self) -> int | None:
        """Items returned (query, scan, batch and PartiQL reads)."""

    @property
    def scanned_count(self) -> int | None:
        """Items evaluated before any filter (query and scan)."""

    @property
    def request_id(self) -> str | None:
        """DynamoDB's request id, for support cases and log correlation."""

    @property
    def attributes(self) -> dict[str, Any] | None:
        """The attributes update_item sent back when called with `return_values` (a new dict on each read), on the metrics that call returns; None everywhere else (the client's `get_last_metrics()` included)."""

@final
class ModelMetrics:
    """Running totals over every call a client made since it was created or reset."""

    @property
    def total_rcu(self) -> float:
        """Read capacity units consumed in total."""

    @property
    def total_wcu(self) -> float:
        """Write capacity units consumed in total."""

    @property
    def total_duration_ms(self) -> float:
        """Summed wall time of all calls, in milliseconds."""

    @property
    def operation_count(self) -> int:
        """Calls made."""

    @property
    def get_count(self) -> int:
        """GetItem calls."""

    @property
    def put_count(self) -> int:
        """PutItem calls."""

    @property
    def delete_count(self) -> int:
        """DeleteItem calls."""

    @property
    def update_count(self) -> int:
        """UpdateItem calls."""

    @property
    def query_count(self) -> int:
        """Query pages fetched."""

    @property
    def scan_count(self) -> int:
        """Scan pages fetched."""

@final
class TimeToLiveDescription:
    """The time-to-live setting of a table."""

    @property
    def status(self) -> str:
        """ENABLING, DISABLING, ENABLED or DISABLED."""

    @property
    def attribute_name(self) -> str | None:
        """The attribute holding each item's expiry (epoch seconds), when one is set."""

@final
class S3Metadata:
    """Where an S3 object is and what S3 reported about it."""

    @property
    def bucket(self) -> str:
        """Bucket name."""

    @property
    def key(self) -> str:
        """Object key."""

    @property
    def size(self) -> int:
        """Size in bytes."""

    @property
    def etag(self) -> str:
        """S3's ETag, quotes removed."""

    @property
    def content_type(self) -> str | None:
        """MIME type, when one was set."""

    @property
    def last_modified(self) -> str | None:
        """Last modification time (ISO 8601, UTC), when S3 reported it."""

    @property
    def version_id(self) -> str | None:
        """Version id, when the bucket is versioned."""

    @property
    def metadata(self) -> dict[str, str] | None:
        """User-defined metadata (x-amz-meta-*), when any."""

@final
class S3Metrics:
    """What one S3 call cost."""

    @property
    def duration_ms(self) -> float:
        """Wall time in milliseconds, retries included."""

    @property
    def calls(self) -> int:
        """Requests sent (a multipart upload sends several)."""

    @property
    def bytes_uploaded(self) -> int:
        """Bytes of object data sent."""

    @property
    def bytes_downloaded(self) -> int:
        """Bytes of object data received."""

@final
class QueryResult:
    """Items of a query, fetched page by page as you iterate. `limit` caps the items yielded; `page_size` caps each request."""

    def __iter__(self) -> QueryResult: ...
    def __next__(self) -> dict[str, Any]: ...
    def to_list(self) -> list[dict[str, Any]]:
        """Fetches every remaining page and returns the items as a list."""

    @property
    def last_evaluated_key(self) -> dict[str, Any] | None:
        """Where to resume: pass it as `last_evaluated_key` to a new query to get exactly the items not handed out yet, wherever iteration stopped. Once every item of the pages fetched so far is handed out, it is DynamoDB's LastEvaluatedKey (None before the first page and once the query is exhausted); in the middle of a page, it is the key of the last item handed out: its table key attributes, plus the index's for an index read, as named by the read's LastEvaluatedKey or, when no page had one, by the table's key schema (one DescribeTable per client and table, cached, waited for here, in the async twin too). In the middle of a page whose items lack a key attribute (left out by `projection_expression`) it raises ParamValidationException naming it, rather than give a key that would skip the rest of the page. A fetch that fails or is cancelled leaves it unchanged, and the next iteration asks for the same page again."""

    @property
    def metrics(self) -> OperationMetrics | None:
        """Metrics of the last page fetched; None before the first fetch."""

    @property
    def page_count(self) -> int:
        """Pages fetched and decoded so far."""

    @property
    def total_metrics(self) -> OperationMetrics | None:
        """Metrics summed over every page fetched so far (duration, capacity units, item counts; the last page's request id); None before the first fetch."""

@final
class AsyncQueryResult:
    """Items of a query, fetched page by page as you iterate. `limit` caps the items yielded; `page_size` caps each request."""

    def __aiter__(self) -> AsyncQueryResult: ...
    async def __anext__(self) -> dict[str, Any]: ...
    async def to_list(self) -> list[dict[str, Any]]:
        """Fetches every remaining page and returns the items as a list."""

    @property
    def last_evaluated_key(self) -> dict[str, Any] | None:
        """Where to resume: pass it as `last_evaluated_key` to a new query to get exactly the items not handed out yet, wherever iteration stopped. Once every item of the pages fetched so far is handed out, it is DynamoDB's LastEvaluatedKey (None before the first page and once the query is exhausted); in the middle of a page, it is the key of the last item handed out: its table key attributes, plus the index's for an index read, as named by the read's LastEvaluatedKey or, when no page had one, by the table's key schema (one DescribeTable per client and table, cached, waited for here, in the async twin too). In the middle of a page whose items lack a key attribute (left out by `projection_expression`) it raises ParamValidationException naming it, rather than give a key that would skip the rest of the page. A fetch that fails or is cancelled leaves it unchanged, and the next iteration asks for the same page again."""

    @property
    def metrics(self) -> OperationMetrics | None:
        """Metrics of the last page fetched; None before the first fetch."""

    @property
    def page_count(self) -> int:
        """Pages fetched and decoded so far."""

    @property
    def total_metrics(self) -> OperationMetrics | None:
        """Metrics summed over every page fetched so far (duration, capacity units, item counts; the last page's request id); None before the first fetch."""

@final
class ScanResult:
    """Items of a scan, fetched page by page as you iterate. `limit` caps the items yielded; `page_size` caps each request."""

    def __iter__(self) -> ScanResult: ...
    def __next__(self) -> dict[str, Any]: ...
    def to_list(self) -> list[dict[str, Any]]:
        """Fetches every remaining page and returns the items as a list."""

    @property
    def last_evaluated_key(self) -> dict[str, Any] | None:
        """Where to resume: pass it as `last_evaluated_key` to a new scan to get exactly the items not handed out yet, wherever iteration stopped. Once every item of the pages fetched so far is handed out, it is DynamoDB's LastEvaluatedKey (None before the first page and once the scan is exhausted); in the middle of a page, it is the key of the last item handed out: its table key attributes, plus the index's for an index read, as named by the read's LastEvaluatedKey or, when no page had one, by the table's key schema (one DescribeTable per client and table, cached, waited for here, in the async twin too). In the middle of a page whose items lack a key attribute (left out by `projection_expression`) it raises ParamValidationException naming it, rather than give a key that would skip the rest of the page. A fetch that fails or is cancelled leaves it unchanged, and the next iteration asks for the same page again."""

    @property
    def metrics(self) -> OperationMetrics | None:
        """Metrics of the last page fetched; None before the first fetch."""

    @property
    def page_count(self) -> int:
        """Pages fetched and decoded so far."""

    @property
    def total_metrics(self) -> OperationMetrics | None:
        """Metrics summed over every page fetched so far (duration, capacity units, item counts; the last page's request id); None before the first fetch."""

@final
class AsyncScanResult:
    """Items of a scan, fetched page by page as you iterate. `limit` caps the items yielded; `page_size` caps each request."""

    def __aiter__(self) -> AsyncScanResult: ...
    async def __anext__(self) -> dict[str, Any]: ...
    async def to_list(self) -> list[dict[str, Any]]:
        """Fetches every remaining page and returns the items as a list."""

    @property
    def last_evaluated_key(self) -> dict[str, Any] | None:
        """Where to resume: pass it as `last_evaluated_key` to a new scan to get exactly the items not handed out yet, wherever iteration stopped. Once every item of the pages fetched so far is handed out, it is DynamoDB's LastEvaluatedKey (None before the first page and once the scan is exhausted); in the middle of a page, it is the key of the last item handed out: its table key attributes, plus the index's for an index read, as named by the read's LastEvaluatedKey or, when no page had one, by the table's key schema (one DescribeTable per client and table, cached, waited for here, in the async twin too). In the middle of a page whose items lack a key attribute (left out by `projection_expression`) it raises ParamValidationException naming it, rather than give a key that would skip the rest of the page. A fetch that fails or is cancelled leaves it unchanged, and the next iteration asks for the same page again."""

    @property
    def metrics(self) -> OperationMetrics | None:
        """Metrics of the last page fetched; None before the first fetch."""

    @property
    def page_count(self) -> int:
        """Pages fetched and decoded so far."""

    @property
    def total_metrics(self) -> OperationMetrics | None:
        """Metrics summed over every page fetched so far (duration, capacity units, item counts; the last page's request id); None before the first fetch."""

@disjoint_base
class DynamoDBClient:
    """A connection to DynamoDB. Every I/O method has an `async_` twin taking the same parameters. Configuration falls back to the standard AWS chain (AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB, AWS_PROFILE, environment credentials, ...)."""

    def __new__(cls, region: str | None = None, access_key: str | None = None, secret_key: str | None = None, session_token: str | None = None, profile: str | None = None, endpoint_url: str | None = None, role_arn: str | None = None, role_session_name: str | None = None, external_id: str | None = None, connect_timeout: float | None = 5.0, read_timeout: float | None = 30.0, operation_timeout: float | None = 60.0, max_retries: int | None = None, proxy_url: str | None = None, exact_numbers: bool = False, rate_limit: FixedRate | AdaptiveRate | None = None, diagnostics: HotPartitionDetector | None = None) -> DynamoDBClient:
        """Configures the client. Nothing is sent until the first call.

        Args:
            region: AWS region; else AWS_REGION or the profile's region, else us-east-1.
            access_key: Access key id; used together with secret_key.
            secret_key: Secret access key; never shown in repr or errors.
            session_token: Session token of temporary credentials.
            profile: Named profile from ~/.aws/config and ~/.aws/credentials.
            endpoint_url: Endpoint to call instead of AWS (e.g. http://127.0.0.1:8000); else AWS_ENDPOINT_URL_DYNAMODB or AWS_ENDPOINT_URL.
            role_arn: Role to assume with STS before calling DynamoDB.
            role_session_name: Session name for the assumed role.
            external_id: External id for the assumed role.
            connect_timeout: Seconds to wait for a connection; None waits forever.
            read_timeout: Seconds to wait for each response to start arriving (and between its chunks); None waits forever.
            operation_timeout: Seconds one request may take, retries included; None for no limit. A call that sends several requests (pages, batches) applies it to each.
            max_retries: Attempts after the first for retryable errors (throttling, 5xx).
            proxy_url: Not supported yet: passing a value raises ValueError rather than being silently ignored.
            exact_numbers: Return non-integral numbers as decimal.Decimal (exact) instead of float.
            rate_limit: Caps the capacity this client's requests consume (pydynox.rate_limit). A request waits for its share without blocking the event loop or holding the GIL, and is charged what DynamoDB reports it consumed.
            diagnostics: Counts reads and writes per partition key (pydynox.diagnostics) and logs a WARNING on logger pydynox.diagnostics when one key gets too many within the window.
        """


    def get_region(self) -> str:
        """The region the client signs requests for.
        """


    def get_last_metrics(self) -> OperationMetrics | None:
        """Metrics of the most recent call of this client; None before the first call.
        """


    def get_total_metrics(self) -> ModelMetrics:
        """Totals over every call of this client since it was created or reset.
        """


    def reset_metrics(self) -> None:
        """Clears the last and total metrics.
        """


    @property
    def rate_limit(self) -> FixedRate | AdaptiveRate | None:
        """The rate limit given to the constructor; None when unlimited."""

    @property
    def diagnostics(self) -> HotPartitionDetector | None:
        """The hot-partition detector given to the constructor, or None."""

    def put_item(self, table: str, item: dict[str, Any], condition_expression: str | None = None, expression_attribute_names: dict[str, str] | None = None, expression_attribute_values: dict[str, Any] | None = None, return_values_on_condition_check_failure: bool = False) -> OperationMetrics:
        """Writes one item, replacing any item with the same key.

        Args:
            table: Table name.
            item: The item; must contain the table's key attributes.
            condition_expression: Write only if this condition holds.
            expression_attribute_names: Placeholders for attribute names (#name -> name).
            expression_attribute_values: Placeholders for values (:value -> value).
            return_values_on_condition_check_failure: On a failed condition, put the stored item on the exception's `item`.
        """



    async def async_put_item(self, table: str, item: dict[str, Any], condition_expression: str | None = None, expression_attribute_names: dict[str, str] | None = None, expression_attribute_values: dict[str, Any] | None = None, return_values_on_condition_check_failure: bool = False) -> OperationMetrics:
        """Writes one item, replacing any item with the same key.

        Args:
            table: Table name.
            item: The item; must contain the table's key attributes.
            condition_expression: Write only if this condition holds.
            expression_attribute_names: Placeholders for attribute names (#name -> name).
            expression_attribute_values: Placeholders for values (:value -> value).
            return_values_on_condition_check_failure: On a failed condition, put the stored item on the exception's `item`.
        """



    def get_item(self, table: str, key: dict[str, Any], consistent_read: bool = False, projection: list[str] | None = None) -> dict[str, Any] | None:
        """Reads one item by its full key; None when there is no such item.

        Args:
            table: Table name.
            key: The full primary key.
            consistent_read: Use a strongly consistent read.
            projection: Attributes to return, as names or document paths (`address.city`, `tags[0]`); all when None.
        """



    async def async_get_item(self, table: str, key: dict[str, Any], consistent_read: bool = False, projection: list[str] | None = None) -> dict[str, Any] | None:
        """Reads one item by its full key; None when there is no such item.

        Args:
            table: Table name.
            key: The full primary key.
            consistent_read: Use a strongly consistent read.
            projection: Attributes to return, as names or document paths (`address.city`, `tags[0]`); all when None.
        """



    def get_item_with_metrics(self, table: str, key: dict[str, Any], consistent_read: bool = False, projection: list[str] | None = None) -> tuple[dict[str, Any] | None, OperationMetrics]:
        """`get_item` that also answers this call's own metrics, as `(item or None, metrics)`. Where calls run concurrently on one client, `get_last_metrics()` is whichever call finished last; these are this call's (they are recorded as the client's last and in its totals too).

        Args:
            table: Table name.
            key: The full primary key.
            consistent_read: Use a strongly consistent read.
            projection: Attributes to return, as names or document paths (`address.city`, `tags[0]`); all when None.
        """



    async def async_get_item_with_metrics(self, table: str, key: dict[str, Any], consistent_read: bool = False, projection: list[str] | None = None) -> tuple[dict[str, Any] | None, OperationMetrics]:
        """`get_item` that also answers this call's own metrics, as `(item or None, metrics)`. Where calls run concurrently on one client, `get_last_metrics()` is whichever call finished last; these are this call's (they are recorded as the client's last and in its totals too).

        Args:
            table: Table name.
            key: The full primary key.
            consistent_read: Use a strongly consistent read.
            projection: Attributes to return, as names or document paths (`address.city`, `tags[0]`); all when None.
        """



    def delete_item(self, table: str, key: dict[str, Any], condition_expression: str | None = None, expression_attribute_names: dict[str, str] | None = None, expression_attribute_values: dict[str, Any] | None = None, return_values_on_condition_check_failure: bool = False) -> OperationMetrics:
        """Deletes one item by its full key. Deleting a missing item is not an error.

        Args:
            table: Table name.
            key: The full primary key.
            condition_expression: Write only if this condition holds.
            expression_attribute_names: Placeholders for attribute names (#name -> name).
            expression_attribute_values: Placeholders for values (:value -> value).
            return_values_on_condition_check_failure: On a failed condition, put the stored item on the exception's `item`.
        """



    async def async_delete_item(self, table: str, key: dict[str, Any], condition_expression: str | None = None, expression_attribute_names: dict[str, str] | None = None, expression_attribute_values: dict[str, Any] | None = None, return_values_on_condition_check_failure: bool = False) -> OperationMetrics:
        """Deletes one item by its full key. Deleting a missing item is not an error.

        Args:
            table: Table name.
            key: The full primary key.
            condition_expression: Write only if this condition holds.
            expression_attribute_names: Placeholders for attribute names (#name -> name).
            expression_attribute_values: Placeholders for values (:value -> value).
            return_values_on_condition_check_failure: On a failed condition, put the stored item on the exception's `item`.
        """



    def update_item(self, table: str, key: dict[str, Any], updates: dict[str, Any] | None = None, update_expression: str | None = None, condition_expression: str | None = None, expression_attribute_names: dict[str, str] | None = None, expression_attribute_values: dict[str, Any] | None = None, return_values_on_condition_check_failure: bool = False, return_values: str | None = None) -> OperationMetrics:
        """Changes attributes of one item without reading it first (creating it if missing). Give either `updates` (attribute -> new value, each set with SET) or `update_expression`, not both. With `return_values`, the returned metrics carry the item's attributes (before or after the update) as `attributes`.

        Args:
            table: Table name.
            key: The full primary key.
            updates: Attributes to set: {name: value}.
            update_expression: A full update expression (SET/REMOVE/ADD/DELETE).
            condition_expression: Write only if this condition holds.
            expression_attribute_names: Placeholders for attribute names (#name -> name).
            expression_attribute_values: Placeholders for values (:value -> value).
            return_values_on_condition_check_failure: On a failed condition, put the stored item on the exception's `item`.
            return_values: Attributes to send back on the returned metrics' `attributes`: 'NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW' or 'UPDATED_NEW'; None sends nothing back.
        """



    async def async_update_item(self, table: str, key: dict[str, Any], updates: dict[str, Any] | None = None, update_expression: str | None = None, condition_expression: str | None = None, expression_attribute_names: dict[str, str] | None = None, expression_attribute_values: dict[str, Any] | None = None, return_values_on_condition_check_failure: bool = False, return_values: str | None = None) -> OperationMetrics:
        """Changes attributes of one item without reading it first (creating it if missing). Give either `updates` (attribute -> new value, each set with SET) or `update_expression`, not both. With `return_values`, the returned metrics carry the item's attributes (before or after the update) as `attributes`.

        Args:
            table: Table name.
            key: The full primary key.
            updates: Attributes to set: {name: value}.
            update_expression: A full update expression (SET/REMOVE/ADD/DELETE).
            condition_expression: Write only if this condition holds.
            expression_attribute_names: Placeholders for attribute names (#name -> name).
            expression_attribute_values: Placeholders for values (:value -> value).
            return_values_on_condition_check_failure: On a failed condition, put the stored item on the exception's `item`.
            return_values: Attributes to send back on the returned metrics' `attributes`: 'NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW' or 'UPDATED_NEW'; None sends nothing back.
        """



    def query(self, table: str, key_condition_expression: str, filter_expression: str | None = None, projection_expression: str | None = None, expression_attribute_names: dict[str, str] | None = None, expression_attribute_values: dict[str, Any] | None = None, limit: int | None = None, page_size: int | None = None, scan_index_forward: bool | None = None, index_name: str | None = None, last_evaluated_key: dict[str, Any] | None = None, consistent_read: bool = False) -> QueryResult:
        """Items sharing a partition key, in sort-key order. Lazy; pages are fetched as you iterate.

        Args:
            table: Table name.
            key_condition_expression: Condition on the partition key (and optionally the sort key).
            filter_expression: Condition applied after reading; filtered items still consume capacity.
            projection_expression: Attributes to return.
            expression_attribute_names: Placeholders for attribute names (#name -> name).
            expression_attribute_values: Placeholders for values (:value -> value).
            limit: Stop after yielding this many items.
            page_size: Items DynamoDB evaluates per request (its Limit).
            scan_index_forward: False for descending sort-key order.
            index_name: Read a secondary index instead of the table.
            last_evaluated_key: Resume after this key (from a previous result's last_evaluated_key).
            consistent_read: Use a strongly consistent read.
        """



    def async_query(self, table: str, key_condition_expression: str, filter_expression: str | None = None, projection_expression: str | None = None, expression_attribute_names: dict[str, str] | None = None, expression_attribute_values: dict[str, Any] | None = None, limit: int | None = None, page_size: int | None = None, scan_index_forward: bool | None = None, index_name: str | None = None, last_evaluated_key: dict[str, Any] | None = None, consistent_read: bool = False) -> AsyncQueryResult:
        """Items sharing a partition key, in sort-key order. Lazy; pages are fetched as you iterate.

        Args:
            table: Table name.
            key_condition_expression: Condition on the partition key (and optionally the sort key).
            filter_expression: Condition applied after reading; filtered items still consume capacity.
            projection_expression: Attributes to return.
            expression_attribute_names: Placeholders for attribute names (#name -> name).
            expression_attribute_values: Placeholders for values (:value -> value).
            limit: Stop after yielding this many items.
            page_size: Items DynamoDB evaluates per request (its Limit).
            scan_index_forward: False for descending sort-key order.
            index_name: Read a secondary index instead of the table.
            last_evaluated_key: Resume after this key (from a previous result's last_evaluated_key).
            consistent_read: Use a strongly consistent read.
        """



    def scan(self, table: str, filter_expression: str | None = None, projection_expression: str | None = None, expression_attribute_names: dict[str, str] | None = None, expression_attribute_values: dict[str, Any] | None = None, limit: int | None = None, page_size: int | None = None, index_name: str | None = None, last_evaluated_key: dict[str, Any] | None = None, consistent_read: bool = False, segment: int | None = None, total_segments: int | None = None) -> ScanResult:
        """Every item of a table or index (or one segment of it). Lazy; pages are fetched as you iterate.

        Args:
            table: Table name.
            filter_expression: Condition applied after reading; filtered items still consume capacity.
            projection_expression: Attributes to return.
            expression_attribute_names: Placeholders for attribute names (#name -> name).
            expression_attribute_values: Placeholders for values (:value -> value).
            limit: Stop after yielding this many items.
            page_size: Items DynamoDB evaluates per request (its Limit).
            index_name: Read a secondary index instead of the table.
            last_evaluated_key: Resume after this key (from a previous result's last_evaluated_key).
            consistent_read: Use a strongly consistent read.
            segment: This worker's segment, with total_segments.
            total_segments: Number of segments of a parallel scan.
        """



    def async_scan(self, table: str, filter_expression: str | None = None, projection_expression: str | None = None, expression_attribute_names: dict[str, str] | None = None, expression_attribute_values: dict[str, Any] | None = None, limit: int | None = None, page_size: int | None = None, index_name: str | None = None, last_evaluated_key: dict[str, Any] | None = None, consistent_read: bool = False, segment: int | None = None, total_segments: int | None = None) -> AsyncScanResult:
        """Every item of a table or index (or one segment of it). Lazy; pages are fetched as you iterate.

        Args:
            table: Table name.
            filter_expression: Condition applied after reading; filtered items still consume capacity.
            projection_expression: Attributes to return.
            expression_attribute_names: Placeholders for attribute names (#name -> name).
            expression_attribute_values: Placeholders for values (:value -> value).
            limit: Stop after yielding this many items.
            page_size: Items DynamoDB evaluates per request (its Limit).
            index_name: Read a secondary index instead of the table.
            last_evaluated_key: Resume after this key (from a previous result's last_evaluated_key).
            consistent_read: Use a strongly consistent read.
            segment: This worker's segment, with total_segments.
            total_segments: Number of segments of a parallel scan.
        """



    def count(self, table: str, filter_expression: str | None = None, expression_attribute_names: dict[str, str] | None = None, expression_attribute_values: dict[str, Any] | None = None, index_name: str | None = None, consistent_read: bool = False) -> tuple[int, OperationMetrics]:
        """Counts the items of a table or index (after the filter), reading every page.

        Args:
            table: Table name.
            filter_expression: Condition applied after reading; filtered items still consume capacity.
            expression_attribute_names: Placeholders for attribute names (#name -> name).
            expression_attribute_values: Placeholders for values (:value -> value).
            index_name: Read a secondary index instead of the table.
            consistent_read: Use a strongly consistent read.
        """



    async def async_count(self, table: str, filter_expression: str | None = None, expression_attribute_names: dict[str, str] | None = None, expression_attribute_values: dict[str, Any] | None = None, index_name: str | None = None, consistent_read: bool = False) -> tuple[int, OperationMetrics]:
        """Counts the items of a table or index (after the filter), reading every page.

        Args:
            table: Table name.
            filter_expression: Condition applied after reading; filtered items still consume capacity.
            expression_attribute_names: Placeholders for attribute names (#name -> name).
            expression_attribute_values: Placeholders for values (:value -> value).
            index_name: Read a secondary index instead of the table.
            consistent_read: Use a strongly consistent read.
        """



    def parallel_scan(self, table: str, total_segments: int, filter_expression: str | None = None, projection_expression: str | None = None, expression_attribute_names: dict[str, str] | None = None, expression_attribute_values: dict[str, Any] | None = None, consistent_read: bool = False, max_concurrency: int | None = None) -> tuple[list[dict[str, Any]], OperationMetrics]:
        """Scans the segments concurrently (at most max_concurrency at a time) and returns every item at once.

        Args:
            table: Table name.
            total_segments: How many segments to split the table into.
            filter_expression: Condition applied after reading; filtered items still consume capacity.
            projection_expression: Attributes to return.
            expression_attribute_names: Placeholders for attribute names (#name -> name).
            expression_attribute_values: Placeholders for values (:value -> value).
            consistent_read: Use a strongly consistent read.
            max_concurrency: Segments scanned at the same time (default min(total_segments, 16)); the rest wait their turn.
        """



    async def async_parallel_scan(self, table: str, total_segments: int, filter_expression: str | None = None, projection_expression: str | None = None, expression_attribute_names: dict[str, str] | None = None, expression_attribute_values: dict[str, Any] | None = None, consistent_read: bool = False, max_concurrency: int | None = None) -> tuple[list[dict[str, Any]], OperationMetrics]:
        """Scans the segments concurrently (at most max_concurrency at a time) and returns every item at once.

        Args:
            table: Table name.
            total_segments: How many segments to split the table into.
            filter_expression: Condition applied after reading; filtered items still consume capacity.
            projection_expression: Attributes to return.
            expression_attribute_names: Placeholders for attribute names (#name -> name).
            expression_attribute_values: Placeholders for values (:value -> value).
            consistent_read: Use a strongly consistent read.
            max_concurrency: Segments scanned at the same time (default min(total_segments, 16)); the rest wait their turn.
        """



    def batch_write(self, table: str, put_items: list[dict[str, Any]] | None = None, delete_keys: list[dict[str, Any]] | None = None, max_concurrency: int | None = None, max_attempts: int | None = None) -> None:
        """Puts and deletes many items of one table, 25 per request with several in flight, re-sending unprocessed items with backoff and jitter until every one is written.

        Args:
            table: Table name.
            put_items: Items to write.
            delete_keys: Keys of items to delete.
            max_concurrency: Requests of 25 in flight at once (default 8). If the call fails, the exception's unprocessed_items / unprocessed_keys list exactly what was not written.
            max_attempts: Requests per chunk, re-sends of unprocessed items included, before the call gives up (default 12, at most 100).
        """



    async def async_batch_write(self, table: str, put_items: list[dict[str, Any]] | None = None, delete_keys: list[dict[str, Any]] | None = None, max_concurrency: int | None = None, max_attempts: int | None = None) -> None:
        """Puts and deletes many items of one table, 25 per request with several in flight, re-sending unprocessed items with backoff and jitter until every one is written.

        Args:
            table: Table name.
            put_items: Items to write.
            delete_keys: Keys of items to delete.
            max_concurrency: Requests of 25 in flight at once (default 8). If the call fails, the exception's unprocessed_items / unprocessed_keys list exactly what was not written.
            max_attempts: Requests per chunk, re-sends of unprocessed items included, before the call gives up (default 12, at most 100).
        """



    def batch_get(self, table: str, keys: list[dict[str, Any]], consistent_read: bool = False, projection: list[str] | None = None, max_concurrency: int | None = None, max_attempts: int | None = None) -> list[dict[str, Any]]:
        """Reads many items of one table by key, 100 per request with several in flight, re-requesting unprocessed keys with backoff. A key given twice is read once; missing items are left out; order is not guaranteed.

        Args:
            table: Table name.
            keys: Full primary keys.
            consistent_read: Use strongly consistent reads.
            projection: Attributes to return, as names or document paths (`address.city`, `tags[0]`); all when None. Include the key attributes to match items to keys.
            max_concurrency: Requests of 100 keys in flight at once (default 8).
            max_attempts: Requests per chunk, re-sends of unprocessed items included, before the call gives up (default 12, at most 100).
        """



    async def async_batch_get(self, table: str, keys: list[dict[str, Any]], consistent_read: bool = False, projection: list[str] | None = None, max_concurrency: int | None = None, max_attempts: int | None = None) -> list[dict[str, Any]]:
        """Reads many items of one table by key, 100 per request with several in flight, re-requesting unprocessed keys with backoff. A key given twice is read once; missing items are left out; order is not guaranteed.

        Args:
            table: Table name.
            keys: Full primary keys.
            consistent_read: Use strongly consistent reads.
            projection: Attributes to return, as names or document paths (`address.city`, `tags[0]`); all when None. Include the key attributes to match items to keys.
            max_concurrency: Requests of 100 keys in flight at once (default 8).
            max_attempts: Requests per chunk, re-sends of unprocessed items included, before the call gives up (default 12, at most 100).
        """



    def transact_write(self, operations: list[dict[str, Any]], client_request_token: str | None = None) -> None:
        """Applies up to 100 writes atomically. Each operation is a dict with "type" (put, delete, update or condition_check), "table", "item" or "key", and optionally "update_expression", "condition_expression", "expression_attribute_names", "expression_attribute_values".

        Args:
            operations: The writes, in order.
            client_request_token: Up to 36 characters naming this transaction: DynamoDB applies a transaction sent again with the same token (within 10 minutes) only once. None: one is generated per call, which its own retries reuse.
        """



    async def async_transact_write(self, operations: list[dict[str, Any]], client_request_token: str | None = None) -> None:
        """Applies up to 100 writes atomically. Each operation is a dict with "type" (put, delete, update or condition_check), "table", "item" or "key", and optionally "update_expression", "condition_expression", "expression_attribute_names", "expression_attribute_values".

        Args:
            operations: The writes, in order.
            client_request_token: Up to 36 characters naming this transaction: DynamoDB applies a transaction sent again with the same token (within 10 minutes) only once. None: one is generated per call, which its own retries reuse.
        """



    def transact_get(self, gets: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
        """Reads up to 100 items atomically. Each get is a dict with "table", "key" and optionally "projection_expression" and "expression_attribute_names". Returns one entry per get, None where the item does not exist.

        Args:
            gets: The reads, in order.
        """



    async def async_transact_get(self, gets: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
        """Reads up to 100 items atomically. Each get is a dict with "table", "key" and optionally "projection_expression" and "expression_attribute_names". Returns one entry per get, None where the item does not exist.

        Args:
            gets: The reads, in order.
        """



    def execute_statement(self, statement: str, parameters: list[Any] | None = None, consistent_read: bool = False, next_token: str | None = None) -> ListWithMetrics:
        """Runs one PartiQL statement and returns one page of its items.

        Args:
            statement: The statement, with ? for each parameter.
            parameters: Values for the ? placeholders, in order.
            consistent_read: Use a strongly consistent read.
            next_token: Continue from a previous page's next_token.
        """



    async def async_execute_statement(self, statement: str, parameters: list[Any] | None = None, consistent_read: bool = False, next_token: str | None = None) -> ListWithMetrics:
        """Runs one PartiQL statement and returns one page of its items.

        Args:
            statement: The statement, with ? for each parameter.
            parameters: Values for the ? placeholders, in order.
            consistent_read: Use a strongly consistent read.
            next_token: Continue from a previous page's next_token.
        """



    def create_table(self, table_name: str, hash_key: tuple[str, str], range_key: tuple[str, str] | None = None, billing_mode: str = 'PAY_PER_REQUEST', read_capacity: int | None = None, write_capacity: int | None = None, table_class: str | None = None, encryption: str | None = None, kms_key_id: str | None = None, global_secondary_indexes: list[dict[str, Any]] | None = None, local_secondary_indexes: list[dict[str, Any]] | None = None, wait: bool = False) -> None:
        """Creates a table, with optional global and local secondary indexes. A GSI dict takes "index_name", "hash_key" (name, type), optional "range_key" (name, type), "projection" (ALL, KEYS_ONLY or INCLUDE), "non_key_attributes", and for provisioned tables "read_capacity" and "write_capacity". An LSI dict takes "index_name", "range_key" (its partition key is the table's), "projection" and "non_key_attributes".

        Args:
            table_name: Table name.
            hash_key: Partition key as (name, type), type one of S, N, B.
            range_key: Sort key as (name, type).
            billing_mode: PAY_PER_REQUEST or PROVISIONED.
            read_capacity: Read capacity units (PROVISIONED).
            write_capacity: Write capacity units (PROVISIONED).
            table_class: STANDARD or STANDARD_INFREQUENT_ACCESS.
            encryption: AWS_OWNED, AWS_MANAGED or CUSTOMER_MANAGED.
            kms_key_id: KMS key for CUSTOMER_MANAGED encryption.
            global_secondary_indexes: Global secondary indexes: dicts with `index_name`, `hash_key` (a (name, type) tuple) or `hash_keys` (a list of one to four, for a multi-attribute key), optional `range_key` / `range_keys` likewise, `projection` ('ALL', 'KEYS_ONLY', 'INCLUDE' with `non_key_attributes`), and `read_capacity` / `write_capacity` for PROVISIONED.
            local_secondary_indexes: Local secondary indexes.
            wait: Return only once the table is ACTIVE.
        """



    async def async_create_table(self, table_name: str, hash_key: tuple[str, str], range_key: tuple[str, str] | None = None, billing_mode: str = 'PAY_PER_REQUEST', read_capacity: int | None = None, write_capacity: int | None = None, table_class: str | None = None, encryption: str | None = None, kms_key_id: str | None = None, global_secondary_indexes: list[dict[str, Any]] | None = None, local_secondary_indexes: list[dict[str, Any]] | None = None, wait: bool = False) -> None:
        """Creates a table, with optional global and local secondary indexes. A GSI dict takes "index_name", "hash_key" (name, type), optional "range_key" (name, type), "projection" (ALL, KEYS_ONLY or INCLUDE), "non_key_attributes", and for provisioned tables "read_capacity" and "write_capacity". An LSI dict takes "index_name", "range_key" (its partition key is the table's), "projection" and "non_key_attributes".

        Args:
            table_name: Table name.
            hash_key: Partition key as (name, type), type one of S, N, B.
            range_key: Sort key as (name, type).
            billing_mode: PAY_PER_REQUEST or PROVISIONED.
            read_capacity: Read capacity units (PROVISIONED).
            write_capacity: Write capacity units (PROVISIONED).
            table_class: STANDARD or STANDARD_INFREQUENT_ACCESS.
            encryption: AWS_OWNED, AWS_MANAGED or CUSTOMER_MANAGED.
            kms_key_id: KMS key for CUSTOMER_MANAGED encryption.
            global_secondary_indexes: Global secondary indexes: dicts with `index_name`, `hash_key` (a (name, type) tuple) or `hash_keys` (a list of one to four, for a multi-attribute key), optional `range_key` / `range_keys` likewise, `projection` ('ALL', 'KEYS_ONLY', 'INCLUDE' with `non_key_attributes`), and `read_capacity` / `write_capacity` for PROVISIONED.
            local_secondary_indexes: Local secondary indexes.
            wait: Return only once the table is ACTIVE.
        """



    def table_exists(self, table_name: str) -> bool:
        """Whether the table exists (in any status).

        Args:
            table_name: Table name.
        """



    async def async_table_exists(self, table_name: str) -> bool:
        """Whether the table exists (in any status).

        Args:
            table_name: Table name.
        """



    def delete_table(self, table_name: str) -> None:
        """Deletes a table and all its items.

        Args:
            table_name: Table name.
        """



    async def async_delete_table(self, table_name: str) -> None:
        """Deletes a table and all its items.

        Args:
            table_name: Table name.
        """



    def wait_for_table_active(self, table_name: str, timeout_seconds: int | None = None) -> None:
        """Waits until the table and its indexes are ACTIVE; raises TimeoutError after timeout_seconds.

        Args:
            table_name: Table name.
            timeout_seconds: Give up after this many seconds (default 300).
        """



    async def async_wait_for_table_active(self, table_name: str, timeout_seconds: int | None = None) -> None:
        """Waits until the table and its indexes are ACTIVE; raises TimeoutError after timeout_seconds.

        Args:
            table_name: Table name.
            timeout_seconds: Give up after this many seconds (default 300).
        """



    def update_time_to_live(self, table_name: str, attribute_name: str, enabled: bool = True) -> None:
        """Turns time-to-live on or off for a table.

        Args:
            table_name: Table name.
            attribute_name: Attribute holding each item's expiry in epoch seconds.
            enabled: True to enable, False to disable.
        """



    async def async_update_time_to_live(self, table_name: str, attribute_name: str, enabled: bool = True) -> None:
        """Turns time-to-live on or off for a table.

        Args:
            table_name: Table name.
            attribute_name: Attribute holding each item's expiry in epoch seconds.
            enabled: True to enable, False to disable.
        """



    def describe_time_to_live(self, table_name: str) -> TimeToLiveDescription:
        """The table's time-to-live setting.

        Args:
            table_name: Table name.
        """



    async def async_describe_time_to_live(self, table_name: str) -> TimeToLiveDescription:
        """The table's time-to-live setting.

        Args:
            table_name: Table name.
        """



    def ping(self) -> bool:
        """Whether DynamoDB answers with these settings and credentials (a ListTables call); never raises.
        """



    async def async_ping(self) -> bool:
        """Whether DynamoDB answers with these settings and credentials (a ListTables call); never raises.
        """



@disjoint_base
class S3Operations:
    """An S3 connection for S3Attribute. Every I/O method has an `async_` twin taking the same parameters. Configuration falls back to the standard AWS chain (AWS_REGION, AWS_ENDPOINT_URL_S3, AWS_PROFILE, environment credentials, ...)."""

    def __new__(cls, region: str | None = None, access_key: str | None = None, secret_key: str | None = None, session_token: str | None = None, profile: str | None = None, role_arn: str | None = None, role_session_name: str | None = None, external_id: str | None = None, endpoint_url: str | None = None, connect_timeout: float | None = None, read_timeout: float | None = None, max_retries: int | None = None, proxy_url: str | None = None) -> S3Operations:
        """Configures the connection. Nothing is sent until the first call.

        Args:
            region: AWS region; else AWS_REGION or the profile's region, else us-east-1.
            access_key: Access key id; used together with secret_key.
            secret_key: Secret access key; never shown in repr or errors.
            session_token: Session token of temporary credentials.
            profile: Named profile from ~/.aws/config and ~/.aws/credentials.
            role_arn: Role to assume with STS first.
            role_session_name: Session name for the assumed role.
            external_id: External id for the assumed role.
            endpoint_url: Endpoint to call instead of AWS (e.g. http://127.0.0.1:5000).
            connect_timeout: Seconds to wait for a connection; None for the SDK's default.
            read_timeout: Seconds to wait for each response to start arriving; None for the SDK's default.
            max_retries: Attempts after the first for retryable errors.
            proxy_url: Not supported yet: passing a value raises ValueError rather than being silently ignored.
        """


    def upload_bytes(self, bucket: str, key: str, data: bytes, content_type: str | None = None, metadata: dict[str, str] | None = None) -> tuple[S3Metadata, S3Metrics]:
        """Stores bytes as one object (a multipart upload above 8 MiB).

        Args:
            bucket: Bucket name.
            key: Object key.
            data: The object's content.
            content_type: MIME type to store with the object.
            metadata: User-defined metadata (x-amz-meta-*).
        """



    async def async_upload_bytes(self, bucket: str, key: str, data: bytes, content_type: str | None = None, metadata: dict[str, str] | None = None) -> tuple[S3Metadata, S3Metrics]:
        """Stores bytes as one object (a multipart upload above 8 MiB).

        Args:
            bucket: Bucket name.
            key: Object key.
            data: The object's content.
            content_type: MIME type to store with the object.
            metadata: User-defined metadata (x-amz-meta-*).
        """



    def upload_file(self, bucket: str, key: str, path: str, content_type: str | None = None, metadata: dict[str, str] | None = None) -> tuple[S3Metadata, S3Metrics]:
        """Stores a file as one object, reading it from disk part by part (a multipart upload above 8 MiB), so memory use does not grow with the file. A failed multipart upload is aborted: no object and no stored parts are left.

        Args:
            bucket: Bucket name.
            key: Object key.
            path: File to upload.
            content_type: MIME type to store with the object.
            metadata: User-defined metadata (x-amz-meta-*).
        """



    async def async_upload_file(self, bucket: str, key: str, path: str, content_type: str | None = None, metadata: dict[str, str] | None = None) -> tuple[S3Metadata, S3Metrics]:
        """Stores a file as one object, reading it from disk part by part (a multipart upload above 8 MiB), so memory use does not grow with the file. A failed multipart upload is aborted: no object and no stored parts are left.

        Args:
            bucket: Bucket name.
            key: Object key.
            path: File to upload.
            content_type: MIME type to store with the object.
            metadata: User-defined metadata (x-amz-meta-*).
        """



    def download_bytes(self, bucket: str, key: str) -> tuple[bytes, S3Metrics]:
        """The whole object in memory.

        Args:
            bucket: Bucket name.
            key: Object key.
        """



    async def async_download_bytes(self, bucket: str, key: str) -> tuple[bytes, S3Metrics]:
        """The whole object in memory.

        Args:
            bucket: Bucket name.
            key: Object key.
        """



    def save_to_file(self, bucket: str, key: str, path: str) -> tuple[int, S3Metrics]:
        """Writes the object to a file as it arrives (memory use does not grow with the object); returns the bytes written. A failed download leaves no partial file.

        Args:
            bucket: Bucket name.
            key: Object key.
            path: File to write (replaced if it exists).
        """



    async def async_save_to_file(self, bucket: str, key: str, path: str) -> tuple[int, S3Metrics]:
        """Writes the object to a file as it arrives (memory use does not grow with the object); returns the bytes written. A failed download leaves no partial file.

        Args:
            bucket: Bucket name.
            key: Object key.
            path: File to write (replaced if it exists).
        """



    def presigned_url(self, bucket: str, key: str, expires_secs: int = 3600) -> tuple[str, S3Metrics]:
        """A URL that downloads the object without credentials until it expires.

        Args:
            bucket: Bucket name.
            key: Object key.
            expires_secs: Seconds the URL stays valid (1 to 604800).
        """



    async def async_presigned_url(self, bucket: str, key: str, expires_secs: int = 3600) -> tuple[str, S3Metrics]:
        """A URL that downloads the object without credentials until it expires.

        Args:
            bucket: Bucket name.
            key: Object key.
            expires_secs: Seconds the URL stays valid (1 to 604800).
        """



    def delete_object(self, bucket: str, key: str) -> S3Metrics:
        """Deletes the object. Deleting a missing object is not an error.

        Args:
            bucket: Bucket name.
            key: Object key.
        """



    async def async_delete_object(self, bucket: str, key: str) -> S3Metrics:
        """Deletes the object. Deleting a missing object is not an error.

        Args:
            bucket: Bucket name.
            key: Object key.
        """



    def head_object(self, bucket: str, key: str) -> tuple[S3Metadata, S3Metrics]:
        """What S3 knows about the object, without its content.

        Args:
            bucket: Bucket name.
            key: Object key.
        """



    async def async_head_object(self, bucket: str, key: str) -> tuple[S3Metadata, S3Metrics]:
        """What S3 knows about the object, without its content.

        Args:
            bucket: Bucket name.
            key: Object key.
        """



@disjoint_base
class KmsEncryptor:
    """Envelope encryption with one KMS key: each value gets a fresh data key from KMS GenerateDataKey and is sealed locally with AES-256-GCM; the stored form (`ENC:` + base64) carries the KMS-encrypted data key. The encryption context is bound into both KMS calls, so a value only decrypts under the same context. Every I/O method has an `async_` twin taking the same parameters."""

    def __new__(cls, key_id: str, region: str | None = None, context: dict[str, str] | None = None, access_key: str | None = None, secret_key: str | None = None, session_token: str | None = None, profile: str | None = None, role_arn: str | None = None, role_session_name: str | None = None, external_id: str | None = None, endpoint_url: str | None = None, connect_timeout: float | None = None, read_timeout: float | None = None, max_retries: int | None = None, proxy_url: str | None = None) -> KmsEncryptor:
        """Configures the key and connection. Nothing is sent until the first call.

        Args:
            key_id: KMS key id, ARN, alias name (alias/...) or alias ARN.
            region: AWS region; else AWS_REGION or the profile's region, else us-east-1.
            context: Encryption context bound to every value (not secret; logged by CloudTrail).
            access_key: Access key id; used together with secret_key.
            secret_key: Secret access key; never shown in repr or errors.
            session_token: Session token of temporary credentials.
            profile: Named profile from ~/.aws/config and ~/.aws/credentials.
            role_arn: Role to assume with STS first.
            role_session_name: Session name for the assumed role.
            external_id: External id for the assumed role.
            endpoint_url: Endpoint to call instead of AWS (e.g. http://127.0.0.1:5000).
            connect_timeout: Seconds to wait for a connection; None for the SDK's default.
            read_timeout: Seconds to wait for each response to start arriving; None for the SDK's default.
            max_retries: Attempts after the first for retryable errors.
            proxy_url: Not supported yet: passing a value raises ValueError rather than being silently ignored.
        """


    def encrypt(self, plaintext: str) -> str:
        """The stored form of `plaintext` (`ENC:` + base64), under a fresh data key.

        Args:
            plaintext: Text to encrypt; never logged or shown in errors.
        """



    async def async_encrypt(self, plaintext: str) -> str:
        """The stored form of `plaintext` (`ENC:` + base64), under a fresh data key.

        Args:
            plaintext: Text to encrypt; never logged or shown in errors.
        """



    def decrypt(self, ciphertext: str) -> str:
        """The text a stored form holds. Raises EncryptionException when it was encrypted under another key or context, was altered, or is not a stored form.

        Args:
            ciphertext: The stored form (`ENC:` + base64).
        """



    async def async_decrypt(self, ciphertext: str) -> str:
        """The text a stored form holds. Raises EncryptionException when it was encrypted under another key or context, was altered, or is not a stored form.

        Args:
            ciphertext: The stored form (`ENC:` + base64).
        """


