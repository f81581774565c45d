"""Hot-partition detection.

A DynamoDB partition serves about 1000 WCU and 3000 RCU a second; one partition key that
gets most of a table's traffic is throttled while the table has capacity to spare. Given
to a client, the detector counts every read and write of every call (items, queries,
batches and transactions alike; not scans or PartiQL) per table and partition key value
over a sliding window, and logs a WARNING on logger `pydynox.diagnostics` when a key
reaches its threshold, once per window:

    Hot partition detected - table="events" pk="EVENTS" had 500 writes in 60s

The client learns which attribute is each table's partition key with one DescribeTable per
table, the first time it needs to; a table it cannot describe is not tracked.

Example:
    >>> detector = HotPartitionDetector(writes_threshold=500, reads_threshold=1500, window_seconds=60)
    >>> client = DynamoDBClient(diagnostics=detector)
"""

from __future__ import annotations

from typing import Any, cast

from pydynox import pydynox_core

__all__ = ["HotPartitionDetector"]

_HotPartitions: Any = getattr(pydynox_core, "_HotPartitions")


class HotPartitionDetector:
    """Warns when one partition key gets too many reads or writes within a window.

    Args:
        writes_threshold: Writes of one key within the window that trigger the warning.
        reads_threshold: Reads of one key within the window that trigger the warning.
        window_seconds: Length of the sliding window, in seconds.

    Raises:
        ValueError: a value that is not a positive whole number.
    """

    __slots__ = ("_core", "_thresholds")

    def __init__(self, writes_threshold: int, reads_threshold: int, window_seconds: int) -> None:
        self._core = _HotPartitions(writes_threshold, reads_threshold, window_seconds)
        self._thresholds = (writes_threshold, reads_threshold, window_seconds)

    @property
    def writes_threshold(self) -> int:
        """Writes of one key within the window that trigger the warning."""
        return self._thresholds[0]

    @property
    def reads_threshold(self) -> int:
        """Reads of one key within the window that trigger the warning."""
        return self._thresholds[1]

    @property
    def window_seconds(self) -> int:
        """Length of the sliding window, in seconds."""
        return self._thresholds[2]

    def set_table_thresholds(
        self, table: str, writes_threshold: int | None = None, reads_threshold: int | None = None
    ) -> None:
        """Sets thresholds for one table (None keeps the detector's); ModelConfig's
        `hot_partition_writes` / `hot_partition_reads` arrive here."""
        self._core.set_table_thresholds(table, writes_threshold, reads_threshold)

    def record_write(self, table: str, pk: str) -> None:
        """Counts a write of `pk` by hand (the client counts its own calls already)."""
        self._core.record(table, str(pk), True)

    def record_read(self, table: str, pk: str) -> None:
        """Counts a read of `pk` by hand (the client counts its own calls already)."""
        self._core.record(table, str(pk), False)

    def get_write_count(self, table: str, pk: str) -> int:
        """Writes of `pk` within the window (counted up to the threshold)."""
        return cast("int", self._core.count(table, str(pk), True))

    def get_read_count(self, table: str, pk: str) -> int:
        """Reads of `pk` within the window (counted up to the threshold)."""
        return cast("int", self._core.count(table, str(pk), False))

    def clear(self) -> None:
        """Forgets every count and per-table threshold."""
        self._core.clear()

    def __repr__(self) -> str:
        w, r, s = self._thresholds
        return f"HotPartitionDetector(writes_threshold={w}, reads_threshold={r}, window_seconds={s})"
