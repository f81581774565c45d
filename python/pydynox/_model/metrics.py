"""Per-model metrics: the last call's `OperationMetrics` and running totals.

The client keeps its own totals over every model that shares it; these count only the
calls made through one model class.

Query and scan pages are counted per page, not per item: a model result registers its
pager here (`follow`), and the pages it fetched are counted, once each, whenever they could
be observed or their order matters: before any other call of the model is recorded, when
the model's metrics are read or reset, when the result is exhausted and when it is
dropped. The item loop itself never pays for it.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

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


class ModelTotals:
    """Totals over one model's calls since it was defined or last reset (same fields as
    the client's `ModelMetrics`)."""

    # A plain class rather than a dataclass: `dataclasses` (and `inspect`) would add
    # milliseconds to every `import pydynox`.
    __slots__ = (
        "total_rcu", "total_wcu", "total_duration_ms", "operation_count", "get_count",
        "put_count", "delete_count", "update_count", "query_count", "scan_count",
    )

    def __init__(self) -> None:
        self.zero()

    def zero(self) -> None:
        self.total_rcu = 0.0
        self.total_wcu = 0.0
        self.total_duration_ms = 0.0
        self.operation_count = 0
        self.get_count = 0
        self.put_count = 0
        self.delete_count = 0
        self.update_count = 0
        self.query_count = 0
        self.scan_count = 0

    def __repr__(self) -> str:
        return "ModelTotals(" + ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__) + ")"

    def __eq__(self, other: object) -> bool:
        if type(other) is not ModelTotals:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]


class _FollowedPages:
    """A result's pager and how much of it is counted already."""

    __slots__ = ("counted", "kind", "pager", "totals")

    def __init__(self, pager: Any, kind: str) -> None:
        self.pager = pager
        self.kind = kind
        self.counted = 0
        self.totals: OperationMetrics | None = None


class ModelMetricsStore:
    """What one model class has recorded."""

    __slots__ = ("_followed", "last", "totals")

    def __init__(self) -> None:
        self.last: OperationMetrics | None = None
        self.totals = ModelTotals()
        # A weak reference to each result not exhausted yet -> its pager. A weak reference
        # hashes and compares as its (live) result, so `weakref.ref(result)` finds it.
        self._followed: dict[weakref.ref[Any], _FollowedPages] = {}

    # --- pages of query and scan results --------------------------------------------------

    def follow(self, result: Any, pager: Any, kind: str) -> None:
        """Counts the pages `pager` fetches for `result` from now on (see the module doc)."""
        self._followed[weakref.ref(result, self._dropped)] = _FollowedPages(pager, kind)

    def _dropped(self, ref: weakref.ref[Any]) -> None:
        followed = self._followed.pop(ref, None)
        if followed is not None:
            self._count(followed)

    def finish(self, result: Any) -> None:
        """`result` is exhausted: counts its last pages and stops following it."""
        followed = self._followed.pop(weakref.ref(result), None)
        if followed is not None:
            self._count(followed)

    def settle(self) -> None:
        """Counts every page the followed results fetched and nothing counted yet."""
        for followed in list(self._followed.values()):
            self._count(followed)

    def _count(self, followed: _FollowedPages) -> None:
        pager = followed.pager
        pages = pager.page_count
        new = pages - followed.counted
        if new <= 0:
            return
        total = pager.total_metrics
        before = followed.totals
        followed.counted = pages
        followed.totals = total
        self.last = pager.metrics
        totals = self.totals
        totals.total_rcu += (total.consumed_rcu or 0.0) - ((before.consumed_rcu or 0.0) if before else 0.0)
        totals.total_duration_ms += total.duration_ms - (before.duration_ms if before else 0.0)
        totals.operation_count += new
        counter = _COUNTERS.get(followed.kind)
        if counter is not None:
            setattr(totals, counter, getattr(totals, counter) + new)

    # --- single calls ---------------------------------------------------------------------

    def record(self, metrics: OperationMetrics | None, kind: str) -> None:
        # Runs after every single call of the model: each capacity is read once from the
        # metrics object, added only when reported (adding 0.0 would change nothing), and
        # the kind's counter is bumped by name without a table look-up.
        if metrics is None:
            return
        if self._followed:
            self.settle()  # pages fetched before this call come first
        self.last = metrics
        totals = self.totals
        rcu = metrics.consumed_rcu
        if rcu:
            totals.total_rcu += rcu
        wcu = metrics.consumed_wcu
        if wcu:
            totals.total_wcu += wcu
        totals.total_duration_ms += metrics.duration_ms
        totals.operation_count += 1
        if kind == "get":
            totals.get_count += 1
        elif kind == "put":
            totals.put_count += 1
        elif kind == "update":
            totals.update_count += 1
        elif kind == "delete":
            totals.delete_count += 1
        elif kind == "query":
            totals.query_count += 1
        elif kind == "scan":
            totals.scan_count += 1

    def reset(self) -> None:
        self.settle()  # pages fetched so far belong to before the reset
        self.last = None
        self.totals.zero()
