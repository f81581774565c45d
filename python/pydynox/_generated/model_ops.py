# Generated from spec/client.yaml, spec/errors.yaml, spec/model.yaml, spec/results.yaml, spec/services.yaml, spec/types.yaml by `scripts/generate.sh`. Do not edit:
# change the spec or codegen/templates/model_ops.py.j2 and regenerate.

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

from pydynox._model import core as _core
from pydynox._model.results import AsyncPagedResult, PagedResult
import pydynox._batch.writer_core as _writer_core
import pydynox._model.transaction as _transaction
from pydynox._batch.writer_core import BatchWriterBase
from pydynox._model.transaction import TransactionCore

if TYPE_CHECKING:
    from typing import Self

    from pydynox.pydynox_core import OperationMetrics

    from pathlib import Path
    from pydynox.atomic import UpdateAction
    from pydynox.conditions import Condition
    from pydynox.pydynox_core import S3Metrics

__all__ = [
    "ModelQueryResult",
    "AsyncModelQueryResult",
    "ModelScanResult",
    "AsyncModelScanResult",
    "GSIQueryResult",
    "AsyncGSIQueryResult",
    "LSIQueryResult",
    "AsyncLSIQueryResult",
    "ModelOperations",
    "GlobalSecondaryIndexOperations",
    "LocalSecondaryIndexOperations",
    "IntegrationOperations",
    "S3ValueOperations",
    "S3AttributeOperations",
    "Transaction",
    "AsyncTransaction",
    "BatchWriter",
    "AsyncBatchWriter",
]

# What a result yields: a model class, or `dict[str, Any]` with as_dict=True.
M = TypeVar("M")


class ModelQueryResult(PagedResult[M]):
    """Models (or dicts, with as_dict=True) of a query, fetched page by page as you iterate.

    Iterate with `for`.
    `last_evaluated_key` (and its signed form, `cursor`) resumes after the last item handed out.
    """

    __slots__ = ()


class AsyncModelQueryResult(AsyncPagedResult[M]):
    """Models (or dicts, with as_dict=True) of a query, fetched page by page as you iterate.

    Iterate with `async for`; `to_list()` and `first()` are awaitable.
    `last_evaluated_key` (and its signed form, `cursor`) resumes after the last item handed out.
    """

    __slots__ = ()


class ModelScanResult(PagedResult[M]):
    """Models (or dicts, with as_dict=True) of a scan, fetched page by page as you iterate.

    Iterate with `for`.
    `last_evaluated_key` (and its signed form, `cursor`) resumes after the last item handed out.
    """

    __slots__ = ()


class AsyncModelScanResult(AsyncPagedResult[M]):
    """Models (or dicts, with as_dict=True) of a scan, fetched page by page as you iterate.

    Iterate with `async for`; `to_list()` and `first()` are awaitable.
    `last_evaluated_key` (and its signed form, `cursor`) resumes after the last item handed out.
    """

    __slots__ = ()


class GSIQueryResult(PagedResult[M]):
    """Models of a global secondary index query, fetched page by page as you iterate.

    Iterate with `for`.
    `last_evaluated_key` (and its signed form, `cursor`) resumes after the last item handed out.
    """

    __slots__ = ()


class AsyncGSIQueryResult(AsyncPagedResult[M]):
    """Models of a global secondary index query, fetched page by page as you iterate.

    Iterate with `async for`; `to_list()` and `first()` are awaitable.
    `last_evaluated_key` (and its signed form, `cursor`) resumes after the last item handed out.
    """

    __slots__ = ()


class LSIQueryResult(PagedResult[M]):
    """Models of a local secondary index query, fetched page by page as you iterate.

    Iterate with `for`.
    `last_evaluated_key` (and its signed form, `cursor`) resumes after the last item handed out.
    """

    __slots__ = ()


class AsyncLSIQueryResult(AsyncPagedResult[M]):
    """Models of a local secondary index query, fetched page by page as you iterate.

    Iterate with `async for`; `to_list()` and `first()` are awaitable.
    `last_evaluated_key` (and its signed form, `cursor`) resumes after the last item handed out.
    """

    __slots__ = ()


class ModelOperations:
    """I/O methods of every model, each with its `async_` twin."""

    __slots__ = ()

    def save(self, condition: Condition | None = None, skip_hooks: bool | None = None) -> None:
        """Writes the whole item (before_save and after_save hooks, auto-generated values, optimistic locking with a VersionAttribute, size check with max_size).

        Args:
            condition: Write only if this condition holds.
            skip_hooks: Skip hooks for this call; None follows the model's config.
        """
        plan = _core.plan_save(self, condition=condition, skip_hooks=skip_hooks)
        if plan.skip:
            return _core.finish_save(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _core.before_steps(plan):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            answer = plan.client.put_item(**plan.args)
        except BaseException as error:
            if plan.services is not None:
                for step in _core.undo_steps(plan, error):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _core.after_steps(plan, answer):
                try:
                    step.done(getattr(step.target, step.op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        return _core.finish_save(plan, answer)  # type: ignore[no-any-return]

    async def async_save(self, condition: Condition | None = None, skip_hooks: bool | None = None) -> None:
        """Writes the whole item (before_save and after_save hooks, auto-generated values, optimistic locking with a VersionAttribute, size check with max_size).

        Args:
            condition: Write only if this condition holds.
            skip_hooks: Skip hooks for this call; None follows the model's config.
        """
        plan = _core.plan_save(self, condition=condition, skip_hooks=skip_hooks)
        if plan.skip:
            return _core.finish_save(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _core.before_steps(plan):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            answer = await plan.client.async_put_item(**plan.args)
        except BaseException as error:
            if plan.services is not None:
                for step in _core.undo_steps(plan, error):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _core.after_steps(plan, answer):
                try:
                    step.done(await getattr(step.target, step.async_op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        return _core.finish_save(plan, answer)  # type: ignore[no-any-return]

    def delete(self, condition: Condition | None = None, skip_hooks: bool | None = None) -> None:
        """Deletes this item by its key (before_delete and after_delete hooks, version check).

        Args:
            condition: Write only if this condition holds.
            skip_hooks: Skip hooks for this call; None follows the model's config.
        """
        plan = _core.plan_delete(self, condition=condition, skip_hooks=skip_hooks)
        if plan.skip:
            return _core.finish_delete(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _core.before_steps(plan):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            answer = plan.client.delete_item(**plan.args)
        except BaseException as error:
            if plan.services is not None:
                for step in _core.undo_steps(plan, error):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _core.after_steps(plan, answer):
                try:
                    step.done(getattr(step.target, step.op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        return _core.finish_delete(plan, answer)  # type: ignore[no-any-return]

    async def async_delete(self, condition: Condition | None = None, skip_hooks: bool | None = None) -> None:
        """Deletes this item by its key (before_delete and after_delete hooks, version check).

        Args:
            condition: Write only if this condition holds.
            skip_hooks: Skip hooks for this call; None follows the model's config.
        """
        plan = _core.plan_delete(self, condition=condition, skip_hooks=skip_hooks)
        if plan.skip:
            return _core.finish_delete(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _core.before_steps(plan):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            answer = await plan.client.async_delete_item(**plan.args)
        except BaseException as error:
            if plan.services is not None:
                for step in _core.undo_steps(plan, error):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _core.after_steps(plan, answer):
                try:
                    step.done(await getattr(step.target, step.async_op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        return _core.finish_delete(plan, answer)  # type: ignore[no-any-return]

    def update(self, atomic: list[UpdateAction] | None = None, condition: Condition | None = None, skip_hooks: bool | None = None, **kwargs: Any) -> None:
        """Changes attributes in place without reading the item: keyword arguments set values, `atomic` applies actions (add, append, remove, ...). The instance is updated only when DynamoDB accepted the write.

        Args:
            atomic: Atomic actions, e.g. [User.visits.add(1)].
            condition: Write only if this condition holds.
            skip_hooks: Skip hooks for this call; None follows the model's config.
            **kwargs: Attribute values to set.
        """
        plan = _core.plan_update(self, atomic=atomic, condition=condition, skip_hooks=skip_hooks, **kwargs)
        if plan.skip:
            return _core.finish_update(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _core.before_steps(plan):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            answer = plan.client.update_item(**plan.args)
        except BaseException as error:
            if plan.services is not None:
                for step in _core.undo_steps(plan, error):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _core.after_steps(plan, answer):
                try:
                    step.done(getattr(step.target, step.op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        return _core.finish_update(plan, answer)  # type: ignore[no-any-return]

    async def async_update(self, atomic: list[UpdateAction] | None = None, condition: Condition | None = None, skip_hooks: bool | None = None, **kwargs: Any) -> None:
        """Changes attributes in place without reading the item: keyword arguments set values, `atomic` applies actions (add, append, remove, ...). The instance is updated only when DynamoDB accepted the write.

        Args:
            atomic: Atomic actions, e.g. [User.visits.add(1)].
            condition: Write only if this condition holds.
            skip_hooks: Skip hooks for this call; None follows the model's config.
            **kwargs: Attribute values to set.
        """
        plan = _core.plan_update(self, atomic=atomic, condition=condition, skip_hooks=skip_hooks, **kwargs)
        if plan.skip:
            return _core.finish_update(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _core.before_steps(plan):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            answer = await plan.client.async_update_item(**plan.args)
        except BaseException as error:
            if plan.services is not None:
                for step in _core.undo_steps(plan, error):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _core.after_steps(plan, answer):
                try:
                    step.done(await getattr(step.target, step.async_op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        return _core.finish_update(plan, answer)  # type: ignore[no-any-return]

    @classmethod
    def update_by_key(cls, condition: Condition | None = None, **kwargs: Any) -> None:
        """Sets attributes of the item with this key, without loading it.

        Args:
            condition: Write only if this condition holds.
            **kwargs: The key attributes, then the attributes to set.
        """
        plan = _core.plan_update_by_key(cls, condition=condition, **kwargs)
        if plan.skip:
            return _core.finish_update_by_key(plan, None)  # type: ignore[no-any-return]
        answer = plan.client.update_item(**plan.args)
        return _core.finish_update_by_key(plan, answer)  # type: ignore[no-any-return]

    @classmethod
    async def async_update_by_key(cls, condition: Condition | None = None, **kwargs: Any) -> None:
        """Sets attributes of the item with this key, without loading it.

        Args:
            condition: Write only if this condition holds.
            **kwargs: The key attributes, then the attributes to set.
        """
        plan = _core.plan_update_by_key(cls, condition=condition, **kwargs)
        if plan.skip:
            return _core.finish_update_by_key(plan, None)  # type: ignore[no-any-return]
        answer = await plan.client.async_update_item(**plan.args)
        return _core.finish_update_by_key(plan, answer)  # type: ignore[no-any-return]

    @classmethod
    def delete_by_key(cls, condition: Condition | None = None, **kwargs: Any) -> None:
        """Deletes the item with this key, without loading it.

        Args:
            condition: Write only if this condition holds.
            **kwargs: The key attributes.
        """
        plan = _core.plan_delete_by_key(cls, condition=condition, **kwargs)
        if plan.skip:
            return _core.finish_delete_by_key(plan, None)  # type: ignore[no-any-return]
        answer = plan.client.delete_item(**plan.args)
        return _core.finish_delete_by_key(plan, answer)  # type: ignore[no-any-return]

    @classmethod
    async def async_delete_by_key(cls, condition: Condition | None = None, **kwargs: Any) -> None:
        """Deletes the item with this key, without loading it.

        Args:
            condition: Write only if this condition holds.
            **kwargs: The key attributes.
        """
        plan = _core.plan_delete_by_key(cls, condition=condition, **kwargs)
        if plan.skip:
            return _core.finish_delete_by_key(plan, None)  # type: ignore[no-any-return]
        answer = await plan.client.async_delete_item(**plan.args)
        return _core.finish_delete_by_key(plan, answer)  # type: ignore[no-any-return]

    @overload
    @classmethod
    def get(cls, consistent_read: bool | None = None, as_dict: Literal[False] = False, fields: list[str] | None = None, **keys: Any) -> Self | None: ...

    @overload
    @classmethod
    def get(cls, consistent_read: bool | None = None, *, as_dict: Literal[True], fields: list[str] | None = None, **keys: Any) -> dict[str, Any] | None: ...

    @classmethod
    def get(cls, consistent_read: bool | None = None, as_dict: bool = False, fields: list[str] | None = None, **keys: Any) -> Self | dict[str, Any] | None:
        """The item with this key, or None.

        Args:
            consistent_read: Strongly consistent read; None follows the model's config.
            as_dict: Return stored dicts instead of models.
            fields: Attributes (or document paths like 'address.city') to read; all when None.
            **keys: The key attributes.
        """
        plan = _core.plan_get(cls, consistent_read=consistent_read, as_dict=as_dict, fields=fields, **keys)
        if plan.skip:
            return _core.finish_get(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _core.before_steps(plan):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            answer = plan.client.get_item_with_metrics(**plan.args)
        except BaseException as error:
            if plan.services is not None:
                for step in _core.undo_steps(plan, error):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _core.after_steps(plan, answer):
                try:
                    step.done(getattr(step.target, step.op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        return _core.finish_get(plan, answer)  # type: ignore[no-any-return]

    @overload
    @classmethod
    async def async_get(cls, consistent_read: bool | None = None, as_dict: Literal[False] = False, fields: list[str] | None = None, **keys: Any) -> Self | None: ...

    @overload
    @classmethod
    async def async_get(cls, consistent_read: bool | None = None, *, as_dict: Literal[True], fields: list[str] | None = None, **keys: Any) -> dict[str, Any] | None: ...

    @classmethod
    async def async_get(cls, consistent_read: bool | None = None, as_dict: bool = False, fields: list[str] | None = None, **keys: Any) -> Self | dict[str, Any] | None:
        """The item with this key, or None.

        Args:
            consistent_read: Strongly consistent read; None follows the model's config.
            as_dict: Return stored dicts instead of models.
            fields: Attributes (or document paths like 'address.city') to read; all when None.
            **keys: The key attributes.
        """
        plan = _core.plan_get(cls, consistent_read=consistent_read, as_dict=as_dict, fields=fields, **keys)
        if plan.skip:
            return _core.finish_get(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _core.before_steps(plan):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            answer = await plan.client.async_get_item_with_metrics(**plan.args)
        except BaseException as error:
            if plan.services is not None:
                for step in _core.undo_steps(plan, error):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _core.after_steps(plan, answer):
                try:
                    step.done(await getattr(step.target, step.async_op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        return _core.finish_get(plan, answer)  # type: ignore[no-any-return]

    @classmethod
    def query(cls, hash_key: Any, range_key_condition: Condition | None = None, filter_condition: Condition | None = None, limit: int | None = None, page_size: int | None = None, scan_index_forward: bool = True, consistent_read: bool | None = None, last_evaluated_key: dict[str, Any] | None = None, as_dict: bool = False, fields: list[str] | None = None, cursor: str | None = None) -> ModelQueryResult[Self]:
        """Items with this partition key, in sort-key order, read lazily.

        Args:
            hash_key: The partition key value.
            range_key_condition: Condition on the sort key.
            filter_condition: Condition applied after reading.
            limit: Stop after this many items.
            page_size: Items read per request.
            scan_index_forward: False for descending sort-key order.
            consistent_read: Strongly consistent read; None follows the model's config.
            last_evaluated_key: Resume after this key (a previous result's last_evaluated_key).
            as_dict: Return stored dicts instead of models.
            fields: Attributes (or document paths like 'address.city') to read; all when None.
            cursor: Resume from a signed cursor (a previous result's cursor).
        """
        plan = _core.plan_query(cls, hash_key=hash_key, range_key_condition=range_key_condition, filter_condition=filter_condition, limit=limit, page_size=page_size, scan_index_forward=scan_index_forward, consistent_read=consistent_read, last_evaluated_key=last_evaluated_key, as_dict=as_dict, fields=fields, cursor=cursor)
        return ModelQueryResult(plan, plan.client.query(**plan.args))

    @classmethod
    def async_query(cls, hash_key: Any, range_key_condition: Condition | None = None, filter_condition: Condition | None = None, limit: int | None = None, page_size: int | None = None, scan_index_forward: bool = True, consistent_read: bool | None = None, last_evaluated_key: dict[str, Any] | None = None, as_dict: bool = False, fields: list[str] | None = None, cursor: str | None = None) -> AsyncModelQueryResult[Self]:
        """Items with this partition key, in sort-key order, read lazily.

        Args:
            hash_key: The partition key value.
            range_key_condition: Condition on the sort key.
            filter_condition: Condition applied after reading.
            limit: Stop after this many items.
            page_size: Items read per request.
            scan_index_forward: False for descending sort-key order.
            consistent_read: Strongly consistent read; None follows the model's config.
            last_evaluated_key: Resume after this key (a previous result's last_evaluated_key).
            as_dict: Return stored dicts instead of models.
            fields: Attributes (or document paths like 'address.city') to read; all when None.
            cursor: Resume from a signed cursor (a previous result's cursor).
        """
        plan = _core.plan_query(cls, hash_key=hash_key, range_key_condition=range_key_condition, filter_condition=filter_condition, limit=limit, page_size=page_size, scan_index_forward=scan_index_forward, consistent_read=consistent_read, last_evaluated_key=last_evaluated_key, as_dict=as_dict, fields=fields, cursor=cursor)
        return AsyncModelQueryResult(plan, plan.client.async_query(**plan.args))

    @classmethod
    def scan(cls, filter_condition: Condition | None = None, limit: int | None = None, page_size: int | None = None, consistent_read: bool | None = None, last_evaluated_key: dict[str, Any] | None = None, segment: int | None = None, total_segments: int | None = None, as_dict: bool = False, fields: list[str] | None = None, cursor: str | None = None) -> ModelScanResult[Self]:
        """Every item of the table (or one segment of it), read lazily.

        Args:
            filter_condition: Condition applied after reading.
            limit: Stop after this many items.
            page_size: Items read per request.
            consistent_read: Strongly consistent read; None follows the model's config.
            last_evaluated_key: Resume after this key (a previous result's last_evaluated_key).
            segment: This worker's segment, with total_segments.
            total_segments: Number of segments of a parallel scan.
            as_dict: Return stored dicts instead of models.
            fields: Attributes (or document paths like 'address.city') to read; all when None.
            cursor: Resume from a signed cursor (a previous result's cursor).
        """
        plan = _core.plan_scan(cls, filter_condition=filter_condition, limit=limit, page_size=page_size, consistent_read=consistent_read, last_evaluated_key=last_evaluated_key, segment=segment, total_segments=total_segments, as_dict=as_dict, fields=fields, cursor=cursor)
        return ModelScanResult(plan, plan.client.scan(**plan.args))

    @classmethod
    def async_scan(cls, filter_condition: Condition | None = None, limit: int | None = None, page_size: int | None = None, consistent_read: bool | None = None, last_evaluated_key: dict[str, Any] | None = None, segment: int | None = None, total_segments: int | None = None, as_dict: bool = False, fields: list[str] | None = None, cursor: str | None = None) -> AsyncModelScanResult[Self]:
        """Every item of the table (or one segment of it), read lazily.

        Args:
            filter_condition: Condition applied after reading.
            limit: Stop after this many items.
            page_size: Items read per request.
            consistent_read: Strongly consistent read; None follows the model's config.
            last_evaluated_key: Resume after this key (a previous result's last_evaluated_key).
            segment: This worker's segment, with total_segments.
            total_segments: Number of segments of a parallel scan.
            as_dict: Return stored dicts instead of models.
            fields: Attributes (or document paths like 'address.city') to read; all when None.
            cursor: Resume from a signed cursor (a previous result's cursor).
        """
        plan = _core.plan_scan(cls, filter_condition=filter_condition, limit=limit, page_size=page_size, consistent_read=consistent_read, last_evaluated_key=last_evaluated_key, segment=segment, total_segments=total_segments, as_dict=as_dict, fields=fields, cursor=cursor)
        return AsyncModelScanResult(plan, plan.client.async_scan(**plan.args))

    @classmethod
    def count(cls, filter_condition: Condition | None = None, consistent_read: bool | None = None) -> tuple[int, OperationMetrics]:
        """Counts the items (after the filter), reading every page.

        Args:
            filter_condition: Condition applied after reading.
            consistent_read: Strongly consistent read; None follows the model's config.
        """
        plan = _core.plan_count(cls, filter_condition=filter_condition, consistent_read=consistent_read)
        if plan.skip:
            return _core.finish_count(plan, None)  # type: ignore[no-any-return]
        answer = plan.client.count(**plan.args)
        return _core.finish_count(plan, answer)  # type: ignore[no-any-return]

    @classmethod
    async def async_count(cls, filter_condition: Condition | None = None, consistent_read: bool | None = None) -> tuple[int, OperationMetrics]:
        """Counts the items (after the filter), reading every page.

        Args:
            filter_condition: Condition applied after reading.
            consistent_read: Strongly consistent read; None follows the model's config.
        """
        plan = _core.plan_count(cls, filter_condition=filter_condition, consistent_read=consistent_read)
        if plan.skip:
            return _core.finish_count(plan, None)  # type: ignore[no-any-return]
        answer = await plan.client.async_count(**plan.args)
        return _core.finish_count(plan, answer)  # type: ignore[no-any-return]

    @classmethod
    def parallel_scan(cls, total_segments: int, filter_condition: Condition | None = None, consistent_read: bool | None = None, as_dict: bool = False) -> tuple[list[Self], OperationMetrics]:
        """Scans all segments concurrently and returns every item at once.

        Args:
            total_segments: How many segments to scan concurrently.
            filter_condition: Condition applied after reading.
            consistent_read: Strongly consistent read; None follows the model's config.
            as_dict: Return stored dicts instead of models.
        """
        plan = _core.plan_parallel_scan(cls, total_segments=total_segments, filter_condition=filter_condition, consistent_read=consistent_read, as_dict=as_dict)
        if plan.skip:
            return _core.finish_parallel_scan(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _core.before_steps(plan):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            answer = plan.client.parallel_scan(**plan.args)
        except BaseException as error:
            if plan.services is not None:
                for step in _core.undo_steps(plan, error):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _core.after_steps(plan, answer):
                try:
                    step.done(getattr(step.target, step.op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        return _core.finish_parallel_scan(plan, answer)  # type: ignore[no-any-return]

    @classmethod
    async def async_parallel_scan(cls, total_segments: int, filter_condition: Condition | None = None, consistent_read: bool | None = None, as_dict: bool = False) -> tuple[list[Self], OperationMetrics]:
        """Scans all segments concurrently and returns every item at once.

        Args:
            total_segments: How many segments to scan concurrently.
            filter_condition: Condition applied after reading.
            consistent_read: Strongly consistent read; None follows the model's config.
            as_dict: Return stored dicts instead of models.
        """
        plan = _core.plan_parallel_scan(cls, total_segments=total_segments, filter_condition=filter_condition, consistent_read=consistent_read, as_dict=as_dict)
        if plan.skip:
            return _core.finish_parallel_scan(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _core.before_steps(plan):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            answer = await plan.client.async_parallel_scan(**plan.args)
        except BaseException as error:
            if plan.services is not None:
                for step in _core.undo_steps(plan, error):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _core.after_steps(plan, answer):
                try:
                    step.done(await getattr(step.target, step.async_op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        return _core.finish_parallel_scan(plan, answer)  # type: ignore[no-any-return]

    @classmethod
    def batch_get(cls, keys: list[dict[str, Any]], consistent_read: bool | None = None, as_dict: bool = False) -> list[Self]:
        """Reads many items by key (100 per request); missing items are left out.

        Args:
            keys: Key attribute dicts, e.g. [{'pk': 'a'}, ...].
            consistent_read: Strongly consistent read; None follows the model's config.
            as_dict: Return stored dicts instead of models.
        """
        plan = _core.plan_batch_get(cls, keys=keys, consistent_read=consistent_read, as_dict=as_dict)
        if plan.skip:
            return _core.finish_batch_get(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _core.before_steps(plan):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            answer = plan.client.batch_get(**plan.args)
        except BaseException as error:
            if plan.services is not None:
                for step in _core.undo_steps(plan, error):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _core.after_steps(plan, answer):
                try:
                    step.done(getattr(step.target, step.op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        return _core.finish_batch_get(plan, answer)  # type: ignore[no-any-return]

    @classmethod
    async def async_batch_get(cls, keys: list[dict[str, Any]], consistent_read: bool | None = None, as_dict: bool = False) -> list[Self]:
        """Reads many items by key (100 per request); missing items are left out.

        Args:
            keys: Key attribute dicts, e.g. [{'pk': 'a'}, ...].
            consistent_read: Strongly consistent read; None follows the model's config.
            as_dict: Return stored dicts instead of models.
        """
        plan = _core.plan_batch_get(cls, keys=keys, consistent_read=consistent_read, as_dict=as_dict)
        if plan.skip:
            return _core.finish_batch_get(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _core.before_steps(plan):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            answer = await plan.client.async_batch_get(**plan.args)
        except BaseException as error:
            if plan.services is not None:
                for step in _core.undo_steps(plan, error):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _core.after_steps(plan, answer):
                try:
                    step.done(await getattr(step.target, step.async_op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        return _core.finish_batch_get(plan, answer)  # type: ignore[no-any-return]

    @classmethod
    def transact_get(cls, gets: list[Any]) -> list[Any]:
        """Reads up to 100 items, of this model or others, in one atomic TransactGetItems: each as its own model, in order, None where the item does not exist.

        Args:
            gets: Model instances (their keys), key dicts of this model, or (ModelClass, key dict) pairs.
        """
        plan = _core.plan_transact_get(cls, gets=gets)
        if plan.skip:
            return _core.finish_transact_get(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _core.before_steps(plan):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            answer = plan.client.transact_get(**plan.args)
        except BaseException as error:
            if plan.services is not None:
                for step in _core.undo_steps(plan, error):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _core.after_steps(plan, answer):
                try:
                    step.done(getattr(step.target, step.op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        return _core.finish_transact_get(plan, answer)  # type: ignore[no-any-return]

    @classmethod
    async def async_transact_get(cls, gets: list[Any]) -> list[Any]:
        """Reads up to 100 items, of this model or others, in one atomic TransactGetItems: each as its own model, in order, None where the item does not exist.

        Args:
            gets: Model instances (their keys), key dicts of this model, or (ModelClass, key dict) pairs.
        """
        plan = _core.plan_transact_get(cls, gets=gets)
        if plan.skip:
            return _core.finish_transact_get(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _core.before_steps(plan):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            answer = await plan.client.async_transact_get(**plan.args)
        except BaseException as error:
            if plan.services is not None:
                for step in _core.undo_steps(plan, error):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _core.after_steps(plan, answer):
                try:
                    step.done(await getattr(step.target, step.async_op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        return _core.finish_transact_get(plan, answer)  # type: ignore[no-any-return]

    @classmethod
    def execute_statement(cls, statement: str, parameters: list[Any] | None = None, consistent_read: bool = False) -> list[Self]:
        """Runs one PartiQL statement and returns all its items as models, reading every page.

        Args:
            statement: The statement, with ? for each parameter.
            parameters: Values for the ? placeholders, in order.
            consistent_read: Strongly consistent read.
        """
        plan = _core.plan_execute_statement(cls, statement=statement, parameters=parameters, consistent_read=consistent_read)
        if plan.skip:
            return _core.finish_execute_statement(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _core.before_steps(plan):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            answer = plan.client.execute_statement(**plan.args)
        except BaseException as error:
            if plan.services is not None:
                for step in _core.undo_steps(plan, error):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _core.after_steps(plan, answer):
                try:
                    step.done(getattr(step.target, step.op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        while _core.more_execute_statement(plan, answer):
            answer = plan.client.execute_statement(**plan.args)
            if plan.services is not None:
                for step in _core.after_steps(plan, answer):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
        return _core.finish_execute_statement(plan, answer)  # type: ignore[no-any-return]

    @classmethod
    async def async_execute_statement(cls, statement: str, parameters: list[Any] | None = None, consistent_read: bool = False) -> list[Self]:
        """Runs one PartiQL statement and returns all its items as models, reading every page.

        Args:
            statement: The statement, with ? for each parameter.
            parameters: Values for the ? placeholders, in order.
            consistent_read: Strongly consistent read.
        """
        plan = _core.plan_execute_statement(cls, statement=statement, parameters=parameters, consistent_read=consistent_read)
        if plan.skip:
            return _core.finish_execute_statement(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _core.before_steps(plan):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            answer = await plan.client.async_execute_statement(**plan.args)
        except BaseException as error:
            if plan.services is not None:
                for step in _core.undo_steps(plan, error):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _core.after_steps(plan, answer):
                try:
                    step.done(await getattr(step.target, step.async_op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        while _core.more_execute_statement(plan, answer):
            answer = await plan.client.async_execute_statement(**plan.args)
            if plan.services is not None:
                for step in _core.after_steps(plan, answer):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
        return _core.finish_execute_statement(plan, answer)  # type: ignore[no-any-return]

    @classmethod
    def create_table(cls, billing_mode: str = 'PAY_PER_REQUEST', read_capacity: int | None = None, write_capacity: int | None = None, table_class: str | None = None, encryption: str | None = None, kms_key_id: str | None = None, wait: bool = False) -> None:
        """Creates the model's table, with its keys and every index declared on it.

        Args:
            billing_mode: PAY_PER_REQUEST or PROVISIONED.
            read_capacity: Read capacity units (PROVISIONED).
            write_capacity: Write capacity units (PROVISIONED).
            table_class: STANDARD or STANDARD_INFREQUENT_ACCESS.
            encryption: AWS_OWNED, AWS_MANAGED or CUSTOMER_MANAGED.
            kms_key_id: KMS key for CUSTOMER_MANAGED encryption.
            wait: Return only once the table is ACTIVE.
        """
        plan = _core.plan_create_table(cls, billing_mode=billing_mode, read_capacity=read_capacity, write_capacity=write_capacity, table_class=table_class, encryption=encryption, kms_key_id=kms_key_id, wait=wait)
        if plan.skip:
            return _core.finish_create_table(plan, None)  # type: ignore[no-any-return]
        plan.client.create_table(**plan.args)
        return _core.finish_create_table(plan, None)  # type: ignore[no-any-return]

    @classmethod
    async def async_create_table(cls, billing_mode: str = 'PAY_PER_REQUEST', read_capacity: int | None = None, write_capacity: int | None = None, table_class: str | None = None, encryption: str | None = None, kms_key_id: str | None = None, wait: bool = False) -> None:
        """Creates the model's table, with its keys and every index declared on it.

        Args:
            billing_mode: PAY_PER_REQUEST or PROVISIONED.
            read_capacity: Read capacity units (PROVISIONED).
            write_capacity: Write capacity units (PROVISIONED).
            table_class: STANDARD or STANDARD_INFREQUENT_ACCESS.
            encryption: AWS_OWNED, AWS_MANAGED or CUSTOMER_MANAGED.
            kms_key_id: KMS key for CUSTOMER_MANAGED encryption.
            wait: Return only once the table is ACTIVE.
        """
        plan = _core.plan_create_table(cls, billing_mode=billing_mode, read_capacity=read_capacity, write_capacity=write_capacity, table_class=table_class, encryption=encryption, kms_key_id=kms_key_id, wait=wait)
        if plan.skip:
            return _core.finish_create_table(plan, None)  # type: ignore[no-any-return]
        await plan.client.async_create_table(**plan.args)
        return _core.finish_create_table(plan, None)  # type: ignore[no-any-return]

    @classmethod
    def table_exists(cls) -> bool:
        """Whether the model's table exists.
        """
        plan = _core.plan_table_exists(cls)
        if plan.skip:
            return _core.finish_table_exists(plan, None)  # type: ignore[no-any-return]
        answer = plan.client.table_exists(**plan.args)
        return _core.finish_table_exists(plan, answer)  # type: ignore[no-any-return]

    @classmethod
    async def async_table_exists(cls) -> bool:
        """Whether the model's table exists.
        """
        plan = _core.plan_table_exists(cls)
        if plan.skip:
            return _core.finish_table_exists(plan, None)  # type: ignore[no-any-return]
        answer = await plan.client.async_table_exists(**plan.args)
        return _core.finish_table_exists(plan, answer)  # type: ignore[no-any-return]

    @classmethod
    def delete_table(cls) -> None:
        """Deletes the model's table and every item in it.
        """
        plan = _core.plan_delete_table(cls)
        if plan.skip:
            return _core.finish_delete_table(plan, None)  # type: ignore[no-any-return]
        plan.client.delete_table(**plan.args)
        return _core.finish_delete_table(plan, None)  # type: ignore[no-any-return]

    @classmethod
    async def async_delete_table(cls) -> None:
        """Deletes the model's table and every item in it.
        """
        plan = _core.plan_delete_table(cls)
        if plan.skip:
            return _core.finish_delete_table(plan, None)  # type: ignore[no-any-return]
        await plan.client.async_delete_table(**plan.args)
        return _core.finish_delete_table(plan, None)  # type: ignore[no-any-return]


class GlobalSecondaryIndexOperations(Generic[M]):
    """Reads of a global secondary index, as models of the index's model."""

    __slots__ = ()

    def query(self, range_key_condition: Condition | None = None, filter_condition: Condition | None = None, limit: int | None = None, page_size: int | None = None, scan_index_forward: bool = True, last_evaluated_key: dict[str, Any] | None = None, as_dict: bool = False, fields: list[str] | None = None, cursor: str | None = None, **key_values: Any) -> GSIQueryResult[M]:
        """Items with these index key values, read lazily.

        Args:
            range_key_condition: Condition on the sort key.
            filter_condition: Condition applied after reading.
            limit: Stop after this many items.
            page_size: Items read per request.
            scan_index_forward: False for descending sort-key order.
            last_evaluated_key: Resume after this key (a previous result's last_evaluated_key).
            as_dict: Return stored dicts instead of models.
            fields: Attributes (or document paths like 'address.city') to read; all when None.
            cursor: Resume from a signed cursor (a previous result's cursor).
            **key_values: The index's partition key attribute(s) = value.
        """
        plan = _core.plan_index_query(self, range_key_condition=range_key_condition, filter_condition=filter_condition, limit=limit, page_size=page_size, scan_index_forward=scan_index_forward, last_evaluated_key=last_evaluated_key, as_dict=as_dict, fields=fields, cursor=cursor, **key_values)
        return GSIQueryResult(plan, plan.client.query(**plan.args))

    def async_query(self, range_key_condition: Condition | None = None, filter_condition: Condition | None = None, limit: int | None = None, page_size: int | None = None, scan_index_forward: bool = True, last_evaluated_key: dict[str, Any] | None = None, as_dict: bool = False, fields: list[str] | None = None, cursor: str | None = None, **key_values: Any) -> AsyncGSIQueryResult[M]:
        """Items with these index key values, read lazily.

        Args:
            range_key_condition: Condition on the sort key.
            filter_condition: Condition applied after reading.
            limit: Stop after this many items.
            page_size: Items read per request.
            scan_index_forward: False for descending sort-key order.
            last_evaluated_key: Resume after this key (a previous result's last_evaluated_key).
            as_dict: Return stored dicts instead of models.
            fields: Attributes (or document paths like 'address.city') to read; all when None.
            cursor: Resume from a signed cursor (a previous result's cursor).
            **key_values: The index's partition key attribute(s) = value.
        """
        plan = _core.plan_index_query(self, range_key_condition=range_key_condition, filter_condition=filter_condition, limit=limit, page_size=page_size, scan_index_forward=scan_index_forward, last_evaluated_key=last_evaluated_key, as_dict=as_dict, fields=fields, cursor=cursor, **key_values)
        return AsyncGSIQueryResult(plan, plan.client.async_query(**plan.args))


class LocalSecondaryIndexOperations(Generic[M]):
    """Reads of a local secondary index, as models of the index's model."""

    __slots__ = ()

    def query(self, range_key_condition: Condition | None = None, filter_condition: Condition | None = None, limit: int | None = None, page_size: int | None = None, scan_index_forward: bool = True, consistent_read: bool = False, last_evaluated_key: dict[str, Any] | None = None, as_dict: bool = False, fields: list[str] | None = None, cursor: str | None = None, **key_values: Any) -> LSIQueryResult[M]:
        """Items with this partition key, in the index's sort order, read lazily.

        Args:
            range_key_condition: Condition on the sort key.
            filter_condition: Condition applied after reading.
            limit: Stop after this many items.
            page_size: Items read per request.
            scan_index_forward: False for descending sort-key order.
            consistent_read: Strongly consistent read.
            last_evaluated_key: Resume after this key (a previous result's last_evaluated_key).
            as_dict: Return stored dicts instead of models.
            fields: Attributes (or document paths like 'address.city') to read; all when None.
            cursor: Resume from a signed cursor (a previous result's cursor).
            **key_values: The table's partition key attribute = value.
        """
        plan = _core.plan_index_query(self, range_key_condition=range_key_condition, filter_condition=filter_condition, limit=limit, page_size=page_size, scan_index_forward=scan_index_forward, consistent_read=consistent_read, last_evaluated_key=last_evaluated_key, as_dict=as_dict, fields=fields, cursor=cursor, **key_values)
        return LSIQueryResult(plan, plan.client.query(**plan.args))

    def async_query(self, range_key_condition: Condition | None = None, filter_condition: Condition | None = None, limit: int | None = None, page_size: int | None = None, scan_index_forward: bool = True, consistent_read: bool = False, last_evaluated_key: dict[str, Any] | None = None, as_dict: bool = False, fields: list[str] | None = None, cursor: str | None = None, **key_values: Any) -> AsyncLSIQueryResult[M]:
        """Items with this partition key, in the index's sort order, read lazily.

        Args:
            range_key_condition: Condition on the sort key.
            filter_condition: Condition applied after reading.
            limit: Stop after this many items.
            page_size: Items read per request.
            scan_index_forward: False for descending sort-key order.
            consistent_read: Strongly consistent read.
            last_evaluated_key: Resume after this key (a previous result's last_evaluated_key).
            as_dict: Return stored dicts instead of models.
            fields: Attributes (or document paths like 'address.city') to read; all when None.
            cursor: Resume from a signed cursor (a previous result's cursor).
            **key_values: The table's partition key attribute = value.
        """
        plan = _core.plan_index_query(self, range_key_condition=range_key_condition, filter_condition=filter_condition, limit=limit, page_size=page_size, scan_index_forward=scan_index_forward, consistent_read=consistent_read, last_evaluated_key=last_evaluated_key, as_dict=as_dict, fields=fields, cursor=cursor, **key_values)
        return AsyncLSIQueryResult(plan, plan.client.async_query(**plan.args))


class IntegrationOperations:
    """I/O methods of a pydantic model or dataclass made a DynamoDB model by `dynamodb_model`, each with its `async_` twin."""

    __slots__ = ()

    @overload
    @classmethod
    def get(cls, consistent_read: bool | None = None, as_dict: Literal[False] = False, fields: list[str] | None = None, **keys: Any) -> Self | None: ...

    @overload
    @classmethod
    def get(cls, consistent_read: bool | None = None, *, as_dict: Literal[True], fields: list[str] | None = None, **keys: Any) -> dict[str, Any] | None: ...

    @classmethod
    def get(cls, consistent_read: bool | None = None, as_dict: bool = False, fields: list[str] | None = None, **keys: Any) -> Self | dict[str, Any] | None:
        """The item with this key, validated into the class, or None.

        Args:
            consistent_read: Strongly consistent read; None follows the model's config.
            as_dict: Return stored dicts instead of models.
            fields: Attributes (or document paths like 'address.city') to read; all when None.
            **keys: The key attributes.
        """
        plan = _core.plan_get(cls, consistent_read=consistent_read, as_dict=as_dict, fields=fields, **keys)
        if plan.skip:
            return _core.finish_get(plan, None)  # type: ignore[no-any-return]
        answer = plan.client.get_item_with_metrics(**plan.args)
        return _core.finish_get(plan, answer)  # type: ignore[no-any-return]

    @overload
    @classmethod
    async def async_get(cls, consistent_read: bool | None = None, as_dict: Literal[False] = False, fields: list[str] | None = None, **keys: Any) -> Self | None: ...

    @overload
    @classmethod
    async def async_get(cls, consistent_read: bool | None = None, *, as_dict: Literal[True], fields: list[str] | None = None, **keys: Any) -> dict[str, Any] | None: ...

    @classmethod
    async def async_get(cls, consistent_read: bool | None = None, as_dict: bool = False, fields: list[str] | None = None, **keys: Any) -> Self | dict[str, Any] | None:
        """The item with this key, validated into the class, or None.

        Args:
            consistent_read: Strongly consistent read; None follows the model's config.
            as_dict: Return stored dicts instead of models.
            fields: Attributes (or document paths like 'address.city') to read; all when None.
            **keys: The key attributes.
        """
        plan = _core.plan_get(cls, consistent_read=consistent_read, as_dict=as_dict, fields=fields, **keys)
        if plan.skip:
            return _core.finish_get(plan, None)  # type: ignore[no-any-return]
        answer = await plan.client.async_get_item_with_metrics(**plan.args)
        return _core.finish_get(plan, answer)  # type: ignore[no-any-return]

    def save(self, condition: Condition | None = None, skip_hooks: bool | None = None) -> None:
        """Writes the whole item, its values checked against the field types.

        Args:
            condition: Write only if this condition holds.
            skip_hooks: Skip hooks for this call; None follows the model's config.
        """
        plan = _core.plan_save(self, condition=condition, skip_hooks=skip_hooks)
        if plan.skip:
            return _core.finish_save(plan, None)  # type: ignore[no-any-return]
        answer = plan.client.put_item(**plan.args)
        return _core.finish_save(plan, answer)  # type: ignore[no-any-return]

    async def async_save(self, condition: Condition | None = None, skip_hooks: bool | None = None) -> None:
        """Writes the whole item, its values checked against the field types.

        Args:
            condition: Write only if this condition holds.
            skip_hooks: Skip hooks for this call; None follows the model's config.
        """
        plan = _core.plan_save(self, condition=condition, skip_hooks=skip_hooks)
        if plan.skip:
            return _core.finish_save(plan, None)  # type: ignore[no-any-return]
        answer = await plan.client.async_put_item(**plan.args)
        return _core.finish_save(plan, answer)  # type: ignore[no-any-return]

    def delete(self, condition: Condition | None = None, skip_hooks: bool | None = None) -> None:
        """Deletes this item by its key.

        Args:
            condition: Write only if this condition holds.
            skip_hooks: Skip hooks for this call; None follows the model's config.
        """
        plan = _core.plan_delete(self, condition=condition, skip_hooks=skip_hooks)
        if plan.skip:
            return _core.finish_delete(plan, None)  # type: ignore[no-any-return]
        answer = plan.client.delete_item(**plan.args)
        return _core.finish_delete(plan, answer)  # type: ignore[no-any-return]

    async def async_delete(self, condition: Condition | None = None, skip_hooks: bool | None = None) -> None:
        """Deletes this item by its key.

        Args:
            condition: Write only if this condition holds.
            skip_hooks: Skip hooks for this call; None follows the model's config.
        """
        plan = _core.plan_delete(self, condition=condition, skip_hooks=skip_hooks)
        if plan.skip:
            return _core.finish_delete(plan, None)  # type: ignore[no-any-return]
        answer = await plan.client.async_delete_item(**plan.args)
        return _core.finish_delete(plan, answer)  # type: ignore[no-any-return]

    def update(self, atomic: list[UpdateAction] | None = None, condition: Condition | None = None, skip_hooks: bool | None = None, **kwargs: Any) -> None:
        """Changes attributes in place without reading the item: keyword arguments set values (validated by the class first), `atomic` applies actions. The instance becomes the item as stored afterwards, validated, only when DynamoDB accepted the write.

        Args:
            atomic: Atomic actions, e.g. [attr(User, 'visits').add(1)].
            condition: Write only if this condition holds.
            skip_hooks: Skip hooks for this call; None follows the model's config.
            **kwargs: Attribute values to set.
        """
        plan = _core.plan_integration_update(self, atomic=atomic, condition=condition, skip_hooks=skip_hooks, **kwargs)
        if plan.skip:
            return _core.finish_integration_update(plan, None)  # type: ignore[no-any-return]
        answer = plan.client.update_item(**plan.args)
        return _core.finish_integration_update(plan, answer)  # type: ignore[no-any-return]

    async def async_update(self, atomic: list[UpdateAction] | None = None, condition: Condition | None = None, skip_hooks: bool | None = None, **kwargs: Any) -> None:
        """Changes attributes in place without reading the item: keyword arguments set values (validated by the class first), `atomic` applies actions. The instance becomes the item as stored afterwards, validated, only when DynamoDB accepted the write.

        Args:
            atomic: Atomic actions, e.g. [attr(User, 'visits').add(1)].
            condition: Write only if this condition holds.
            skip_hooks: Skip hooks for this call; None follows the model's config.
            **kwargs: Attribute values to set.
        """
        plan = _core.plan_integration_update(self, atomic=atomic, condition=condition, skip_hooks=skip_hooks, **kwargs)
        if plan.skip:
            return _core.finish_integration_update(plan, None)  # type: ignore[no-any-return]
        answer = await plan.client.async_update_item(**plan.args)
        return _core.finish_integration_update(plan, answer)  # type: ignore[no-any-return]

    @classmethod
    def query(cls, hash_key: Any, range_key_condition: Condition | None = None, filter_condition: Condition | None = None, limit: int | None = None, page_size: int | None = None, scan_index_forward: bool = True, consistent_read: bool | None = None, last_evaluated_key: dict[str, Any] | None = None, as_dict: bool = False, fields: list[str] | None = None, cursor: str | None = None) -> ModelQueryResult[Self]:
        """Items with this partition key, in sort-key order, read lazily.

        Args:
            hash_key: The partition key value.
            range_key_condition: Condition on the sort key.
            filter_condition: Condition applied after reading.
            limit: Stop after this many items.
            page_size: Items read per request.
            scan_index_forward: False for descending sort-key order.
            consistent_read: Strongly consistent read; None follows the model's config.
            last_evaluated_key: Resume after this key (a previous result's last_evaluated_key).
            as_dict: Return stored dicts instead of models.
            fields: Attributes (or document paths like 'address.city') to read; all when None.
            cursor: Resume from a signed cursor (a previous result's cursor).
        """
        plan = _core.plan_query(cls, hash_key=hash_key, range_key_condition=range_key_condition, filter_condition=filter_condition, limit=limit, page_size=page_size, scan_index_forward=scan_index_forward, consistent_read=consistent_read, last_evaluated_key=last_evaluated_key, as_dict=as_dict, fields=fields, cursor=cursor)
        return ModelQueryResult(plan, plan.client.query(**plan.args))

    @classmethod
    def async_query(cls, hash_key: Any, range_key_condition: Condition | None = None, filter_condition: Condition | None = None, limit: int | None = None, page_size: int | None = None, scan_index_forward: bool = True, consistent_read: bool | None = None, last_evaluated_key: dict[str, Any] | None = None, as_dict: bool = False, fields: list[str] | None = None, cursor: str | None = None) -> AsyncModelQueryResult[Self]:
        """Items with this partition key, in sort-key order, read lazily.

        Args:
            hash_key: The partition key value.
            range_key_condition: Condition on the sort key.
            filter_condition: Condition applied after reading.
            limit: Stop after this many items.
            page_size: Items read per request.
            scan_index_forward: False for descending sort-key order.
            consistent_read: Strongly consistent read; None follows the model's config.
            last_evaluated_key: Resume after this key (a previous result's last_evaluated_key).
            as_dict: Return stored dicts instead of models.
            fields: Attributes (or document paths like 'address.city') to read; all when None.
            cursor: Resume from a signed cursor (a previous result's cursor).
        """
        plan = _core.plan_query(cls, hash_key=hash_key, range_key_condition=range_key_condition, filter_condition=filter_condition, limit=limit, page_size=page_size, scan_index_forward=scan_index_forward, consistent_read=consistent_read, last_evaluated_key=last_evaluated_key, as_dict=as_dict, fields=fields, cursor=cursor)
        return AsyncModelQueryResult(plan, plan.client.async_query(**plan.args))

    @classmethod
    def scan(cls, filter_condition: Condition | None = None, limit: int | None = None, page_size: int | None = None, consistent_read: bool | None = None, last_evaluated_key: dict[str, Any] | None = None, segment: int | None = None, total_segments: int | None = None, as_dict: bool = False, fields: list[str] | None = None, cursor: str | None = None) -> ModelScanResult[Self]:
        """Every item of the table (or one segment of it), read lazily.

        Args:
            filter_condition: Condition applied after reading.
            limit: Stop after this many items.
            page_size: Items read per request.
            consistent_read: Strongly consistent read; None follows the model's config.
            last_evaluated_key: Resume after this key (a previous result's last_evaluated_key).
            segment: This worker's segment, with total_segments.
            total_segments: Number of segments of a parallel scan.
            as_dict: Return stored dicts instead of models.
            fields: Attributes (or document paths like 'address.city') to read; all when None.
            cursor: Resume from a signed cursor (a previous result's cursor).
        """
        plan = _core.plan_scan(cls, filter_condition=filter_condition, limit=limit, page_size=page_size, consistent_read=consistent_read, last_evaluated_key=last_evaluated_key, segment=segment, total_segments=total_segments, as_dict=as_dict, fields=fields, cursor=cursor)
        return ModelScanResult(plan, plan.client.scan(**plan.args))

    @classmethod
    def async_scan(cls, filter_condition: Condition | None = None, limit: int | None = None, page_size: int | None = None, consistent_read: bool | None = None, last_evaluated_key: dict[str, Any] | None = None, segment: int | None = None, total_segments: int | None = None, as_dict: bool = False, fields: list[str] | None = None, cursor: str | None = None) -> AsyncModelScanResult[Self]:
        """Every item of the table (or one segment of it), read lazily.

        Args:
            filter_condition: Condition applied after reading.
            limit: Stop after this many items.
            page_size: Items read per request.
            consistent_read: Strongly consistent read; None follows the model's config.
            last_evaluated_key: Resume after this key (a previous result's last_evaluated_key).
            segment: This worker's segment, with total_segments.
            total_segments: Number of segments of a parallel scan.
            as_dict: Return stored dicts instead of models.
            fields: Attributes (or document paths like 'address.city') to read; all when None.
            cursor: Resume from a signed cursor (a previous result's cursor).
        """
        plan = _core.plan_scan(cls, filter_condition=filter_condition, limit=limit, page_size=page_size, consistent_read=consistent_read, last_evaluated_key=last_evaluated_key, segment=segment, total_segments=total_segments, as_dict=as_dict, fields=fields, cursor=cursor)
        return AsyncModelScanResult(plan, plan.client.async_scan(**plan.args))

    @classmethod
    def batch_get(cls, keys: list[dict[str, Any]], consistent_read: bool | None = None, as_dict: bool = False) -> list[Self]:
        """Reads many items by key (100 per request); missing items are left out.

        Args:
            keys: Key attribute dicts, e.g. [{'pk': 'a'}, ...].
            consistent_read: Strongly consistent read; None follows the model's config.
            as_dict: Return stored dicts instead of models.
        """
        plan = _core.plan_batch_get(cls, keys=keys, consistent_read=consistent_read, as_dict=as_dict)
        if plan.skip:
            return _core.finish_batch_get(plan, None)  # type: ignore[no-any-return]
        answer = plan.client.batch_get(**plan.args)
        return _core.finish_batch_get(plan, answer)  # type: ignore[no-any-return]

    @classmethod
    async def async_batch_get(cls, keys: list[dict[str, Any]], consistent_read: bool | None = None, as_dict: bool = False) -> list[Self]:
        """Reads many items by key (100 per request); missing items are left out.

        Args:
            keys: Key attribute dicts, e.g. [{'pk': 'a'}, ...].
            consistent_read: Strongly consistent read; None follows the model's config.
            as_dict: Return stored dicts instead of models.
        """
        plan = _core.plan_batch_get(cls, keys=keys, consistent_read=consistent_read, as_dict=as_dict)
        if plan.skip:
            return _core.finish_batch_get(plan, None)  # type: ignore[no-any-return]
        answer = await plan.client.async_batch_get(**plan.args)
        return _core.finish_batch_get(plan, answer)  # type: ignore[no-any-return]

    @classmethod
    def create_table(cls, billing_mode: str = 'PAY_PER_REQUEST', read_capacity: int | None = None, write_capacity: int | None = None, table_class: str | None = None, encryption: str | None = None, kms_key_id: str | None = None, wait: bool = False) -> None:
        """Creates the model's table, with its keys and every index declared on it.

        Args:
            billing_mode: PAY_PER_REQUEST or PROVISIONED.
            read_capacity: Read capacity units (PROVISIONED).
            write_capacity: Write capacity units (PROVISIONED).
            table_class: STANDARD or STANDARD_INFREQUENT_ACCESS.
            encryption: AWS_OWNED, AWS_MANAGED or CUSTOMER_MANAGED.
            kms_key_id: KMS key for CUSTOMER_MANAGED encryption.
            wait: Return only once the table is ACTIVE.
        """
        plan = _core.plan_create_table(cls, billing_mode=billing_mode, read_capacity=read_capacity, write_capacity=write_capacity, table_class=table_class, encryption=encryption, kms_key_id=kms_key_id, wait=wait)
        if plan.skip:
            return _core.finish_create_table(plan, None)  # type: ignore[no-any-return]
        plan.client.create_table(**plan.args)
        return _core.finish_create_table(plan, None)  # type: ignore[no-any-return]

    @classmethod
    async def async_create_table(cls, billing_mode: str = 'PAY_PER_REQUEST', read_capacity: int | None = None, write_capacity: int | None = None, table_class: str | None = None, encryption: str | None = None, kms_key_id: str | None = None, wait: bool = False) -> None:
        """Creates the model's table, with its keys and every index declared on it.

        Args:
            billing_mode: PAY_PER_REQUEST or PROVISIONED.
            read_capacity: Read capacity units (PROVISIONED).
            write_capacity: Write capacity units (PROVISIONED).
            table_class: STANDARD or STANDARD_INFREQUENT_ACCESS.
            encryption: AWS_OWNED, AWS_MANAGED or CUSTOMER_MANAGED.
            kms_key_id: KMS key for CUSTOMER_MANAGED encryption.
            wait: Return only once the table is ACTIVE.
        """
        plan = _core.plan_create_table(cls, billing_mode=billing_mode, read_capacity=read_capacity, write_capacity=write_capacity, table_class=table_class, encryption=encryption, kms_key_id=kms_key_id, wait=wait)
        if plan.skip:
            return _core.finish_create_table(plan, None)  # type: ignore[no-any-return]
        await plan.client.async_create_table(**plan.args)
        return _core.finish_create_table(plan, None)  # type: ignore[no-any-return]


class S3ValueOperations:
    """Reads of a file stored in S3, each with its `async_` twin."""

    __slots__ = ()

    def get_bytes(self) -> bytes:
        """The whole file in memory (use `save_to` for large files).
        """
        plan = _core.plan_s3_get_bytes(self)
        if plan.skip:
            return _core.finish_s3_get_bytes(plan, None)  # type: ignore[no-any-return]
        answer = plan.client.download_bytes(**plan.args)
        return _core.finish_s3_get_bytes(plan, answer)  # type: ignore[no-any-return]

    async def async_get_bytes(self) -> bytes:
        """The whole file in memory (use `save_to` for large files).
        """
        plan = _core.plan_s3_get_bytes(self)
        if plan.skip:
            return _core.finish_s3_get_bytes(plan, None)  # type: ignore[no-any-return]
        answer = await plan.client.async_download_bytes(**plan.args)
        return _core.finish_s3_get_bytes(plan, answer)  # type: ignore[no-any-return]

    def save_to(self, path: str | Path) -> None:
        """Streams the file to `path` (replaced; no partial file on failure).

        Args:
            path: File to write.
        """
        plan = _core.plan_s3_save_to(self, path=path)
        if plan.skip:
            return _core.finish_s3_save_to(plan, None)  # type: ignore[no-any-return]
        answer = plan.client.save_to_file(**plan.args)
        return _core.finish_s3_save_to(plan, answer)  # type: ignore[no-any-return]

    async def async_save_to(self, path: str | Path) -> None:
        """Streams the file to `path` (replaced; no partial file on failure).

        Args:
            path: File to write.
        """
        plan = _core.plan_s3_save_to(self, path=path)
        if plan.skip:
            return _core.finish_s3_save_to(plan, None)  # type: ignore[no-any-return]
        answer = await plan.client.async_save_to_file(**plan.args)
        return _core.finish_s3_save_to(plan, answer)  # type: ignore[no-any-return]

    def presigned_url(self, expires: int = 3600) -> str:
        """A URL that downloads the file without credentials for `expires` seconds.

        Args:
            expires: Seconds the URL stays valid (1 to 604800).
        """
        plan = _core.plan_s3_presigned_url(self, expires=expires)
        if plan.skip:
            return _core.finish_s3_presigned_url(plan, None)  # type: ignore[no-any-return]
        answer = plan.client.presigned_url(**plan.args)
        return _core.finish_s3_presigned_url(plan, answer)  # type: ignore[no-any-return]

    async def async_presigned_url(self, expires: int = 3600) -> str:
        """A URL that downloads the file without credentials for `expires` seconds.

        Args:
            expires: Seconds the URL stays valid (1 to 604800).
        """
        plan = _core.plan_s3_presigned_url(self, expires=expires)
        if plan.skip:
            return _core.finish_s3_presigned_url(plan, None)  # type: ignore[no-any-return]
        answer = await plan.client.async_presigned_url(**plan.args)
        return _core.finish_s3_presigned_url(plan, answer)  # type: ignore[no-any-return]


class S3AttributeOperations:
    """Uploads and deletes of an S3 file attribute, each with its `async_` twin."""

    __slots__ = ()

    def upload_to_s3(self, value: Any, model_instance: Any, client: Any = None) -> tuple[Any, S3Metrics]:
        """Uploads `value` for this item; returns what the item stores (an S3Value) and the metrics.

        Args:
            value: The S3File to upload.
            model_instance: The item the file belongs to (its keys make the object key).
            client: DynamoDB client whose settings the S3 client takes; default: the model's.
        """
        plan = _core.plan_s3_upload(self, value=value, model_instance=model_instance, client=client)
        if plan.skip:
            return _core.finish_s3_upload(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.call == "upload_file":
                answer = plan.client.upload_file(**plan.args)
            else:
                answer = plan.client.upload_bytes(**plan.args)
        except Exception as error:
            _core.fail_s3_upload(plan, error)
            raise
        return _core.finish_s3_upload(plan, answer)  # type: ignore[no-any-return]

    async def async_upload_to_s3(self, value: Any, model_instance: Any, client: Any = None) -> tuple[Any, S3Metrics]:
        """Uploads `value` for this item; returns what the item stores (an S3Value) and the metrics.

        Args:
            value: The S3File to upload.
            model_instance: The item the file belongs to (its keys make the object key).
            client: DynamoDB client whose settings the S3 client takes; default: the model's.
        """
        plan = _core.plan_s3_upload(self, value=value, model_instance=model_instance, client=client)
        if plan.skip:
            return _core.finish_s3_upload(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.call == "upload_file":
                answer = await plan.client.async_upload_file(**plan.args)
            else:
                answer = await plan.client.async_upload_bytes(**plan.args)
        except Exception as error:
            _core.fail_s3_upload(plan, error)
            raise
        return _core.finish_s3_upload(plan, answer)  # type: ignore[no-any-return]

    def delete_from_s3(self, value: Any, client: Any = None) -> S3Metrics:
        """Deletes the object of `value` (a missing object is not an error).

        Args:
            value: The S3Value whose object goes.
            client: DynamoDB client whose settings the S3 client takes; default: the model's.
        """
        plan = _core.plan_s3_delete(self, value=value, client=client)
        if plan.skip:
            return _core.finish_s3_delete(plan, None)  # type: ignore[no-any-return]
        try:
            answer = plan.client.delete_object(**plan.args)
        except Exception as error:
            _core.fail_s3_delete(plan, error)
            raise
        return _core.finish_s3_delete(plan, answer)  # type: ignore[no-any-return]

    async def async_delete_from_s3(self, value: Any, client: Any = None) -> S3Metrics:
        """Deletes the object of `value` (a missing object is not an error).

        Args:
            value: The S3Value whose object goes.
            client: DynamoDB client whose settings the S3 client takes; default: the model's.
        """
        plan = _core.plan_s3_delete(self, value=value, client=client)
        if plan.skip:
            return _core.finish_s3_delete(plan, None)  # type: ignore[no-any-return]
        try:
            answer = await plan.client.async_delete_object(**plan.args)
        except Exception as error:
            _core.fail_s3_delete(plan, error)
            raise
        return _core.finish_s3_delete(plan, answer)  # type: ignore[no-any-return]


class Transaction(TransactionCore):
    """Collects up to 100 writes (raw items or model instances) and applies them all or none in one TransactWriteItems when the `with` block ends cleanly; an exception in the block sends nothing (ADR 21).

    Every I/O method blocks until done (the GIL released while it waits).
    """

    __slots__ = ()

    def commit(self) -> None:
        """Sends the writes collected so far in one TransactWriteItems; the transaction then starts over empty. Called when the block ends cleanly. After a failure, calling it again sends the same writes with the same client request token (applied once).
        """
        plan = _transaction.plan_commit(self)
        if plan.skip:
            return _transaction.finish_commit(plan, None)  # type: ignore[no-any-return]
        plan.client.transact_write(**plan.args)
        return _transaction.finish_commit(plan, None)  # type: ignore[no-any-return]

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc_val: BaseException | None, exc_tb: Any
    ) -> None:
        if exc_val is None:
            self.commit()
        else:
            _transaction.abandon(self, exc_val)


class AsyncTransaction(TransactionCore):
    """Collects up to 100 writes (raw items or model instances) and applies them all or none in one TransactWriteItems when the `with` block ends cleanly; an exception in the block sends nothing (ADR 21).

    The async twin: every I/O method is awaitable.
    """

    __slots__ = ()

    async def commit(self) -> None:
        """Sends the writes collected so far in one TransactWriteItems; the transaction then starts over empty. Called when the block ends cleanly. After a failure, calling it again sends the same writes with the same client request token (applied once).
        """
        plan = _transaction.plan_commit(self)
        if plan.skip:
            return _transaction.finish_commit(plan, None)  # type: ignore[no-any-return]
        await plan.client.async_transact_write(**plan.args)
        return _transaction.finish_commit(plan, None)  # type: ignore[no-any-return]

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc_val: BaseException | None, exc_tb: Any
    ) -> None:
        if exc_val is None:
            await self.commit()
        else:
            _transaction.abandon(self, exc_val)


class BatchWriter(BatchWriterBase):
    """Writes many items of one table: requests of 25, several in flight at once, unprocessed items re-sent with backoff. `BatchWriter(client, table, *, max_concurrency=None, max_attempts=None, overwrite_by_pkeys=None)`. Use it as a context manager: the rest is sent when the block ends; on an exception in the block, what was sent stays written and the buffer is dropped.

    Every I/O method blocks until done (the GIL released while it waits).
    """

    __slots__ = ()

    def put(self, item: Any) -> None:
        """Buffers one item (a dict, or a model instance with its hooks, generated values and size check as save applies them); sends a full round of requests when one is ready.

        Args:
            item: The item: a dict of attribute values, or a model instance.
        """
        plan = _writer_core.plan_writer_put(self, item=item)
        if plan.skip:
            return _writer_core.finish_writer_put(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _writer_core.before_steps(plan):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            plan.client.batch_write(**plan.args)
        except BaseException as error:
            if isinstance(error, Exception):  # a cancellation or an interrupt is not a failure the core books
                _writer_core.fail_writer_put(plan, error)
            if plan.services is not None:
                for step in _writer_core.undo_steps(plan, error):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _writer_core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _writer_core.after_steps(plan, None):
                try:
                    step.done(getattr(step.target, step.op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        return _writer_core.finish_writer_put(plan, None)  # type: ignore[no-any-return]

    def delete(self, key: Any) -> None:
        """Buffers the deletion of one item (a key dict, or a model instance); sends a full round when one is ready.

        Args:
            key: The item's key: a dict of key attributes, or a model instance.
        """
        plan = _writer_core.plan_writer_delete(self, key=key)
        if plan.skip:
            return _writer_core.finish_writer_delete(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _writer_core.before_steps(plan):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            plan.client.batch_write(**plan.args)
        except BaseException as error:
            if isinstance(error, Exception):  # a cancellation or an interrupt is not a failure the core books
                _writer_core.fail_writer_delete(plan, error)
            if plan.services is not None:
                for step in _writer_core.undo_steps(plan, error):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _writer_core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _writer_core.after_steps(plan, None):
                try:
                    step.done(getattr(step.target, step.op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        return _writer_core.finish_writer_delete(plan, None)  # type: ignore[no-any-return]

    def flush(self) -> None:
        """Sends everything buffered and returns when it is written. If some writes still fail, the exception's unprocessed_items / unprocessed_keys list exactly those. Cancelled or interrupted, it raises that (CancelledError, KeyboardInterrupt) and `unconfirmed` names the writes of the call as outcome unknown.
        """
        plan = _writer_core.plan_writer_flush(self)
        if plan.skip:
            return _writer_core.finish_writer_flush(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _writer_core.before_steps(plan):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            plan.client.batch_write(**plan.args)
        except BaseException as error:
            if isinstance(error, Exception):  # a cancellation or an interrupt is not a failure the core books
                _writer_core.fail_writer_flush(plan, error)
            if plan.services is not None:
                for step in _writer_core.undo_steps(plan, error):
                    try:
                        step.done(getattr(step.target, step.op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _writer_core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _writer_core.after_steps(plan, None):
                try:
                    step.done(getattr(step.target, step.op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        return _writer_core.finish_writer_flush(plan, None)  # type: ignore[no-any-return]

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc_val: BaseException | None, exc_tb: Any
    ) -> None:
        if exc_val is None:
            self.flush()
        else:
            _writer_core.abandon(self, exc_val)


class AsyncBatchWriter(BatchWriterBase):
    """Writes many items of one table: requests of 25, several in flight at once, unprocessed items re-sent with backoff. `BatchWriter(client, table, *, max_concurrency=None, max_attempts=None, overwrite_by_pkeys=None)`. Use it as a context manager: the rest is sent when the block ends; on an exception in the block, what was sent stays written and the buffer is dropped.

    The async twin: every I/O method is awaitable.
    """

    __slots__ = ()

    async def put(self, item: Any) -> None:
        """Buffers one item (a dict, or a model instance with its hooks, generated values and size check as save applies them); sends a full round of requests when one is ready.

        Args:
            item: The item: a dict of attribute values, or a model instance.
        """
        plan = _writer_core.plan_writer_put(self, item=item)
        if plan.skip:
            return _writer_core.finish_writer_put(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _writer_core.before_steps(plan):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            await plan.client.async_batch_write(**plan.args)
        except BaseException as error:
            if isinstance(error, Exception):  # a cancellation or an interrupt is not a failure the core books
                _writer_core.fail_writer_put(plan, error)
            if plan.services is not None:
                for step in _writer_core.undo_steps(plan, error):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _writer_core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _writer_core.after_steps(plan, None):
                try:
                    step.done(await getattr(step.target, step.async_op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        return _writer_core.finish_writer_put(plan, None)  # type: ignore[no-any-return]

    async def delete(self, key: Any) -> None:
        """Buffers the deletion of one item (a key dict, or a model instance); sends a full round when one is ready.

        Args:
            key: The item's key: a dict of key attributes, or a model instance.
        """
        plan = _writer_core.plan_writer_delete(self, key=key)
        if plan.skip:
            return _writer_core.finish_writer_delete(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _writer_core.before_steps(plan):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            await plan.client.async_batch_write(**plan.args)
        except BaseException as error:
            if isinstance(error, Exception):  # a cancellation or an interrupt is not a failure the core books
                _writer_core.fail_writer_delete(plan, error)
            if plan.services is not None:
                for step in _writer_core.undo_steps(plan, error):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _writer_core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _writer_core.after_steps(plan, None):
                try:
                    step.done(await getattr(step.target, step.async_op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        return _writer_core.finish_writer_delete(plan, None)  # type: ignore[no-any-return]

    async def flush(self) -> None:
        """Sends everything buffered and returns when it is written. If some writes still fail, the exception's unprocessed_items / unprocessed_keys list exactly those. Cancelled or interrupted, it raises that (CancelledError, KeyboardInterrupt) and `unconfirmed` names the writes of the call as outcome unknown.
        """
        plan = _writer_core.plan_writer_flush(self)
        if plan.skip:
            return _writer_core.finish_writer_flush(plan, None)  # type: ignore[no-any-return]
        try:
            if plan.services is not None:  # most models have no service steps: one check
                for step in _writer_core.before_steps(plan):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
            await plan.client.async_batch_write(**plan.args)
        except BaseException as error:
            if isinstance(error, Exception):  # a cancellation or an interrupt is not a failure the core books
                _writer_core.fail_writer_flush(plan, error)
            if plan.services is not None:
                for step in _writer_core.undo_steps(plan, error):
                    try:
                        step.done(await getattr(step.target, step.async_op)(**step.args))
                    except Exception as step_error:
                        step.fail(step_error)
                _writer_core.fail_steps(plan, error)
            raise
        if plan.services is not None:
            for step in _writer_core.after_steps(plan, None):
                try:
                    step.done(await getattr(step.target, step.async_op)(**step.args))
                except Exception as step_error:
                    step.fail(step_error)
        return _writer_core.finish_writer_flush(plan, None)  # type: ignore[no-any-return]

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc_val: BaseException | None, exc_tb: Any
    ) -> None:
        if exc_val is None:
            await self.flush()
        else:
            _writer_core.abandon(self, exc_val)
