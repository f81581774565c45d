"""The paged results of model reads (query, scan, index queries): one sync class and its
async twin, written once here. The public result classes (`ModelQueryResult`,
`AsyncGSIQueryResult`, ...) are generated subclasses that add only their name and
docstring (spec/model.yaml, `model_results`).

A result wraps the client's pager: per item it runs the item's read steps (decryption,
through the twinned KMS call: awaited in the async twin), then calls the plan's loader; its
`last_evaluated_key` is the key of the last item handed out (`pages.resume_key`), so
resuming gives exactly the items not yet seen. The model's metrics count each page once
(`pages.follow_pages`), with no check per item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydynox._model.pages import encode_cursor, follow_pages, pages_done, resume_key
from pydynox._model.steps import read_steps

if TYPE_CHECKING:
    from typing import Self

    from pydynox._model.plan import PagePlan
    from pydynox.pydynox_core import OperationMetrics

__all__ = ["AsyncPagedResult", "PagedResult"]

# What a result yields: a model class, or `dict[str, Any]` with as_dict=True.
M = TypeVar("M")


class _Paged(Generic[M]):
    """What both twins share: the plan, the pager, the last raw item handed out."""

    __slots__ = ("__weakref__", "_done", "_last", "_pages", "_plan")

    def __init__(self, plan: PagePlan, pages: Any) -> None:
        self._plan = plan
        self._pages = pages
        self._last: dict[str, Any] | None = None
        self._done = False
        follow_pages(plan, self, pages)  # the model's metrics count each page once

    def _exhausted(self) -> None:
        self._done = True
        pages_done(self._plan, self)

    def _loaded(self, raws: list[dict[str, Any]]) -> list[M]:
        self._exhausted()
        if raws:
            self._last = raws[-1]
        load = self._plan.load
        return [load(raw) for raw in raws]

    @property
    def last_evaluated_key(self) -> dict[str, Any] | None:
        """Key to resume after the last item handed out; None once nothing is left."""
        # The pager's key only tells whether anything is left, which matters only once
        # iteration ended; read mid-page it could cost a DescribeTable (ADR 24).
        pager_key = self._pages.last_evaluated_key if self._done else None
        return resume_key(self._plan, self._last, pager_key, self._done)

    @property
    def cursor(self) -> str | None:
        """`last_evaluated_key` as a signed, URL-safe string; None once nothing is left."""
        return encode_cursor(self._plan, self.last_evaluated_key)

    @property
    def metrics(self) -> OperationMetrics | None:
        """Metrics of the last page fetched; None before the first fetch."""
        return self._pages.metrics  # type: ignore[no-any-return]


class PagedResult(_Paged[M]):
    """Items of a model read, fetched page by page as you iterate with `for`.

    `last_evaluated_key` (and its signed form, `cursor`) resumes after the last item handed out.
    """

    __slots__ = ()

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> M:
        try:
            raw = self._pages.__next__()
        except StopIteration:
            self._exhausted()
            raise
        self._last = raw
        if self._plan.services is not None:
            self._reveal((raw,))
        return self._plan.load(raw)  # type: ignore[no-any-return]

    def _reveal(self, raws: Any) -> None:
        for raw in raws:
            for step in read_steps(self._plan.schema, raw):
                try:
                    step.done(getattr(step.target, step.op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)

    def first(self) -> M | None:
        """The next item, or None when there is none."""
        try:
            return self.__next__()
        except StopIteration:
            return None

    def to_list(self) -> list[M]:
        """Every remaining item, fetching all remaining pages."""
        raws = self._pages.to_list()
        if self._plan.services is not None:
            self._reveal(raws)
        return self._loaded(raws)


class AsyncPagedResult(_Paged[M]):
    """Items of a model read, fetched page by page as you iterate with `async for`;
    `to_list()` and `first()` are awaitable.

    `last_evaluated_key` (and its signed form, `cursor`) resumes after the last item handed out.
    """

    __slots__ = ()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> M:
        try:
            raw = await self._pages.__anext__()
        except StopAsyncIteration:
            self._exhausted()
            raise
        self._last = raw
        if self._plan.services is not None:
            await self._reveal((raw,))
        return self._plan.load(raw)  # type: ignore[no-any-return]

    async def _reveal(self, raws: Any) -> None:
        for raw in raws:
            for step in read_steps(self._plan.schema, raw):
                try:
                    step.done(await getattr(step.target, step.async_op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)

    async def first(self) -> M | None:
        """The next item, or None when there is none."""
        try:
            return await self.__anext__()
        except StopAsyncIteration:
            return None

    async def to_list(self) -> list[M]:
        """Every remaining item, fetching all remaining pages."""
        raws = await self._pages.to_list()
        if self._plan.services is not None:
            await self._reveal(raws)
        return self._loaded(raws)
