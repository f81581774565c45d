"""Result classes written in Python (declared under `python_types` in spec/results.yaml)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydynox.pydynox_core import OperationMetrics


class ListWithMetrics(list[dict[str, Any]]):
    """A page of items that is a plain list, plus `metrics` and `next_token`.

    `next_token` is None on the last page; pass it back to continue.
    """

    metrics: OperationMetrics
    next_token: str | None

    def __init__(
        self, items: list[dict[str, Any]], metrics: OperationMetrics, next_token: str | None = None
    ) -> None:
        super().__init__(items)
        self.metrics = metrics
        self.next_token = next_token
