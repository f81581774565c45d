"""The public tracing switches: `enable_tracing`, `disable_tracing`."""

from __future__ import annotations

from typing import Any, Protocol

from pydynox._observe import _state


class SpanProtocol(Protocol):
    def set_attribute(self, key: str, value: Any) -> None: ...
    def set_status(self, status: Any, description: str | None = None) -> None: ...
    def end(self, end_time: int | None = None) -> None: ...


class TracerProtocol(Protocol):
    def start_span(self, name: str, **kwargs: Any) -> SpanProtocol: ...


class Tracing:
    """What `enable_tracing` was given. (Not a dataclass: `import pydynox` stays free of
    `dataclasses`, see test_packaging.)"""

    __slots__ = ("tracer", "record_exceptions", "record_consumed_capacity", "span_name_prefix", "client_kind", "error_status")

    def __init__(
        self,
        tracer: Any,
        record_exceptions: bool,
        record_consumed_capacity: bool,
        span_name_prefix: str | None,
        client_kind: Any,
        error_status: Any,
    ) -> None:
        self.tracer = tracer
        self.record_exceptions = record_exceptions
        self.record_consumed_capacity = record_consumed_capacity
        self.span_name_prefix = span_name_prefix
        # opentelemetry.trace's SpanKind.CLIENT and Status(StatusCode.ERROR), None without it.
        self.client_kind = client_kind
        self.error_status = error_status


def enable_tracing(
    tracer: TracerProtocol | Any | None = None,
    record_exceptions: bool = True,
    record_consumed_capacity: bool = True,
    span_name_prefix: str | None = None,
) -> None:
    """Make every DynamoDB request of every operation an OpenTelemetry span.

    Spans follow the database semantic conventions (`db.system.name` = `aws.dynamodb`,
    `db.operation.name`, `db.collection.name`) with DynamoDB's attributes (consumed
    capacity, `aws.request_id`, `error.type`), and are children of the span current where
    the call was made (for an async twin: in the awaiting task).

    Args:
        tracer: The tracer to start spans with; None: `opentelemetry.trace.get_tracer("pydynox")`.
        record_exceptions: Add an `exception` event (its class only) to a failed call's span.
        record_consumed_capacity: Add the consumed read/write units as attributes.
        span_name_prefix: Put before every span name.

    Raises:
        ImportError: `tracer` is None and opentelemetry-api is not installed.
    """
    try:
        from opentelemetry import trace
    except ImportError:
        if tracer is None:
            raise ImportError(
                "enable_tracing() needs the opentelemetry-api package, which is not installed: "
                "pip install 'pydynox[opentelemetry]' (or pass your own tracer=)"
            ) from None
        client_kind = error_status = None
    else:
        if tracer is None:
            tracer = trace.get_tracer("pydynox")
        client_kind = trace.SpanKind.CLIENT
        error_status = trace.Status(trace.StatusCode.ERROR)
    if not callable(getattr(tracer, "start_span", None)):
        raise TypeError(f"enable_tracing: tracer needs a start_span() method, got {type(tracer).__name__}")
    if span_name_prefix is not None and not isinstance(span_name_prefix, str):
        raise TypeError(f"enable_tracing: span_name_prefix must be a str or None, got {type(span_name_prefix).__name__}")
    _state.tracing = Tracing(
        tracer, bool(record_exceptions), bool(record_consumed_capacity), span_name_prefix, client_kind, error_status
    )
    _state.refresh()


def disable_tracing() -> None:
    """Stop making spans."""
    _state.tracing = None
    _state.refresh()


def is_tracing_enabled() -> bool:
    return _state.tracing is not None
