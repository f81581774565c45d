"""Diagnostics of a client's access patterns: `DynamoDBClient(diagnostics=HotPartitionDetector(...))`."""

from pydynox.diagnostics.hot_partition import HotPartitionDetector

__all__ = ["HotPartitionDetector"]
