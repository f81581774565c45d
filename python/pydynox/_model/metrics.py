"""Per-model metrics: the last call's `OperationMetrics` and running totals.

The client keeps its own totals over every model that shares it; these count only the
calls made through one model class.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydynox.pydynox_core import OperationMetrics

__all__ = ["ModelMetricsStore", "ModelTotals"]

# Which counter each kind of call bumps; kinds not listed only count as operations.
_COUNTERS = {
    "get": "get_count",
    "put": "put_count",
    "delete": "delete_count",
    "update": "update_count",
    "query": "query_count",
    "scan": "scan_count",
}


@dataclass(slots=True)
class ModelTotals:
    """Totals over one model's calls since it was defined or last reset (same fields as
    the client's `ModelMetrics`)."""

    total_rcu: float = 0.0
    total_wcu: float = 0.0
    total_duration_ms: float = 0.0
    operation_count: int = 0
    get_count: int = 0
    put_count: int = 0
    delete_count: int = 0
    update_count: int = 0
    query_count: int = 0
    scan_count: int = 0


class ModelMetricsStore:
    """What one model class has recorded."""

    __slots__ = ("last", "totals")

    def __init__(self) -> None:
        self.last: OperationMetrics | None = None
        self.totals = ModelTotals()

    def record(self, metrics: OperationMetrics | None, kind: str) -> None:
        if metrics is None:
            return
        self.last = metrics
        totals = self.totals
        totals.total_rcu += metrics.consumed_rcu or 0.0
        totals.total_wcu += metrics.consumed_wcu or 0.0
        totals.total_duration_ms += metrics.duration_ms
        totals.operation_count += 1
        counter = _COUNTERS.get(kind)
        if counter is not None:
            setattr(totals, counter, getattr(totals, counter) + 1)

    def reset(self) -> None:
        self.last = None
        for f in fields(ModelTotals):
            setattr(self.totals, f.name, f.default)
