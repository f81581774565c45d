"""The S3 attribute's operations, written once, without I/O (ADR 5): `plan_<op>` turns a
call into the `S3Operations` request, `finish_<op>` turns its answer into the result, and
`fail_<op>` names the attribute in an S3 error. The generated shells in
`pydynox._generated.model_ops` (reached through `pydynox._model.core`) make the call, sync
or awaited, between them.

This module knows `S3Value` and `S3Attribute` only by the attributes it reads, never by
import: they subclass the generated shells, which sit below them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from pydynox.pydynox_core import S3AttributeException

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from pydynox.pydynox_core import S3Metadata, S3Metrics, S3Operations

__all__ = [
    "S3Plan",
    "fail_s3_delete",
    "fail_s3_upload",
    "finish_s3_delete",
    "finish_s3_get_bytes",
    "finish_s3_presigned_url",
    "finish_s3_save_to",
    "finish_s3_upload",
    "plan_s3_delete",
    "plan_s3_get_bytes",
    "plan_s3_presigned_url",
    "plan_s3_save_to",
    "plan_s3_upload",
]


class S3Plan:
    """One planned S3 call: the `S3Operations` to call, the keyword arguments, which of the
    operation's calls (`upload_file` or `upload_bytes` for an upload), the attribute's name
    for errors, and how to wrap the stored object's metadata into an `S3Value`."""

    __slots__ = ("args", "call", "client", "label", "skip", "wrap")

    def __init__(
        self,
        client: S3Operations,
        args: dict[str, Any],
        call: str = "",
        label: str = "",
        wrap: Callable[[S3Metadata, S3Operations], Any] | None = None,
    ) -> None:
        self.client = client
        self.args = args
        self.call = call
        self.label = label
        self.wrap = wrap
        self.skip = False  # the shells' protocol: an S3 call always goes out

    def __repr__(self) -> str:
        return f"S3Plan({self.call or 'call'}, {sorted(self.args)})"


T = TypeVar("T")


def _sent(answer: T | None) -> T:
    # The shells pass None only for a plan with `skip` set, which no S3 plan sets.
    assert answer is not None
    return answer


def _object(value: Any) -> dict[str, Any]:
    return {"bucket": value.bucket, "key": value.key}


def plan_s3_get_bytes(value: Any) -> S3Plan:
    return S3Plan(value._ops(), _object(value))


def finish_s3_get_bytes(plan: S3Plan, answer: tuple[bytes, S3Metrics] | None) -> bytes:
    return _sent(answer)[0]


def plan_s3_save_to(value: Any, path: str | Path) -> S3Plan:
    return S3Plan(value._ops(), {**_object(value), "path": str(path)})


def finish_s3_save_to(plan: S3Plan, answer: tuple[int, S3Metrics] | None) -> None:
    return None


def plan_s3_presigned_url(value: Any, expires: int = 3600) -> S3Plan:
    return S3Plan(value._ops(), {**_object(value), "expires_secs": expires})


def finish_s3_presigned_url(plan: S3Plan, answer: tuple[str, S3Metrics] | None) -> str:
    return _sent(answer)[0]


def plan_s3_upload(attribute: Any, value: Any, model_instance: Any, client: Any = None) -> S3Plan:
    """`upload_file` streams an S3File made from a path; `upload_bytes` sends the rest."""
    ops = attribute._get_s3_ops(client)
    args: dict[str, Any] = {"bucket": attribute.bucket, "key": attribute.object_key(value, model_instance)}
    if value.path is not None:
        call, args["path"] = "upload_file", str(value.path)
    else:
        call, args["data"] = "upload_bytes", value.data
    args["content_type"] = value.content_type
    args["metadata"] = value.metadata
    return S3Plan(ops, args, call, attribute.qualified_name, attribute._stored_value)


def finish_s3_upload(plan: S3Plan, answer: tuple[S3Metadata, S3Metrics] | None) -> tuple[Any, S3Metrics]:
    meta, metrics = _sent(answer)
    return plan.wrap(meta, plan.client), metrics  # type: ignore[misc]


def fail_s3_upload(plan: S3Plan, error: BaseException) -> None:
    """An S3 error names the attribute (`Doc.content: upload to s3://...`); others pass."""
    if isinstance(error, S3AttributeException):
        raise S3AttributeException(f"{plan.label}: {error}") from None


def plan_s3_delete(attribute: Any, value: Any, client: Any = None) -> S3Plan:
    return S3Plan(attribute._get_s3_ops(client), _object(value), label=attribute.qualified_name)


def finish_s3_delete(plan: S3Plan, answer: S3Metrics | None) -> S3Metrics:
    return _sent(answer)


fail_s3_delete = fail_s3_upload
