"""Logging and OpenTelemetry tracing of every request (issue 17, ADR 26).

The Rust send layer watches each request only while something here is on (one atomic
load otherwise) and hands its outcome to `_emit.emit`. `opentelemetry-api` is optional:
it is imported only by `enable_tracing`.
"""

from pydynox._observe import _emit, _state
from pydynox._observe._logging import (
    LoggerProtocol,
    get_correlation_id,
    get_logger,
    set_correlation_id,
    set_logger,
    set_slow_threshold,
)
from pydynox._observe._tracing import SpanProtocol, TracerProtocol, disable_tracing, enable_tracing, is_tracing_enabled

_state.install(_emit.emit)
_state.watch_levels(_state.logger)
_state.refresh()

__all__ = [
    "LoggerProtocol",
    "SpanProtocol",
    "TracerProtocol",
    "disable_tracing",
    "enable_tracing",
    "get_correlation_id",
    "get_logger",
    "is_tracing_enabled",
    "set_correlation_id",
    "set_logger",
    "set_slow_threshold",
]
