"""What the Rust core calls when an observed request ends: its log record and its span.

Called with the GIL, on whichever thread the request ended (a tokio thread for an async
twin), inside the caller's `contextvars` context copied when the call began, so the
correlation id and the current span are the caller's. Receives only the fields below:
never a key, an item value, a statement or an error message.
"""

from __future__ import annotations

import logging
from contextvars import Context
from typing import Any

from pydynox._observe import _state


def emit(ctx: Context | None, *fields: Any) -> None:
    """`fields`: `_observe`'s parameters, in its order (src/observe.rs sends them so), run
    in the caller's context `ctx` when one was captured."""
    if ctx is None:
        _observe(*fields)
    else:
        # A copy: requests of one call (parallel segments, prefetched pages) may end at
        # once on several threads, and a Context can be entered by one thread at a time.
        ctx.copy().run(_observe, *fields)


def _observe(
    operation: str,
    action: str,
    table: str | None,
    index: str | None,
    start_ns: int,
    duration_ns: int,
    rcu: float | None,
    wcu: float | None,
    request_id: str | None,
    error: str | None,
    slow: bool,
) -> None:
    fields: dict[str, Any] = {"operation": operation, "action": action, "duration_ms": round(duration_ns / 1e6, 3)}
    for key, value in (
        ("table", table),
        ("index", index),
        ("consumed_rcu", rcu),
        ("consumed_wcu", wcu),
        ("request_id", request_id),
        ("error_type", error),
        ("correlation_id", _state.correlation_id.get()),
    ):
        if value is not None:
            fields[key] = value
    tracing = _state.tracing
    if tracing is not None:
        fields.update(_span(tracing, fields, start_ns, duration_ns))
    _log(fields, slow)


def _log(fields: dict[str, Any], slow: bool) -> None:
    parts = [fields["operation"]]
    for key, name in (("table", "table"), ("index", "index")):
        if key in fields:
            parts.append(f"{name}={fields[key]}")
    parts.append(f"duration_ms={fields['duration_ms']:.1f}")
    for key, name in (("consumed_rcu", "rcu"), ("consumed_wcu", "wcu")):
        if key in fields:
            parts.append(f"{name}={fields[key]:.1f}")
    if "error_type" in fields:
        parts.append(f"error={fields['error_type']}")
    if "request_id" in fields:
        parts.append(f"request_id={fields['request_id']}")
    if slow:
        parts.append(f"slow (threshold {_state.slow_ms:g} ms)")
    message = " ".join(parts)
    logger = _state.logger
    if isinstance(logger, logging.Logger):
        logger.log(logging.WARNING if slow else logging.INFO, message, extra=fields)
        return
    method = logger.warning if slow else logger.info
    try:
        method(message, extra=fields)
    except TypeError:
        # Loggers such as Powertools' take the fields as keywords.
        method(message, **fields)


def _span(tracing: Any, fields: dict[str, Any], start_ns: int, duration_ns: int) -> dict[str, str]:
    """Records the request as a span under the current one; returns its ids for the log record."""
    action, table = fields["action"], fields.get("table")
    name = f"{action} {table}" if table else action
    if tracing.span_name_prefix:
        name = f"{tracing.span_name_prefix} {name}"
    attributes: dict[str, Any] = {
        "db.system.name": "aws.dynamodb",
        "db.operation.name": action,
        "pydynox.operation": fields["operation"],
    }
    if table:
        attributes["db.collection.name"] = table
        attributes["aws.dynamodb.table_names"] = [table]
    if "index" in fields:
        attributes["aws.dynamodb.index_name"] = fields["index"]
    if tracing.record_consumed_capacity:
        if "consumed_rcu" in fields:
            attributes["aws.dynamodb.consumed_capacity.read"] = fields["consumed_rcu"]
        if "consumed_wcu" in fields:
            attributes["aws.dynamodb.consumed_capacity.write"] = fields["consumed_wcu"]
    if "request_id" in fields:
        attributes["aws.request_id"] = fields["request_id"]
    error = fields.get("error_type")
    if error:
        attributes["error.type"] = error
    options: dict[str, Any] = {"start_time": start_ns, "attributes": attributes}
    if tracing.client_kind is not None:
        options["kind"] = tracing.client_kind
    span = tracing.tracer.start_span(name, **options)
    end_ns = start_ns + duration_ns
    if error:
        if tracing.error_status is not None:
            span.set_status(tracing.error_status)
        if tracing.record_exceptions and callable(getattr(span, "add_event", None)):
            span.add_event("exception", {"exception.type": error}, timestamp=end_ns)
    try:
        span.end(end_time=end_ns)
    except TypeError:
        span.end()
    context = span.get_span_context() if callable(getattr(span, "get_span_context", None)) else None
    if context is None or not getattr(context, "is_valid", False):
        return {}
    return {"trace_id": format(context.trace_id, "032x"), "span_id": format(context.span_id, "016x")}
