"""The public logging switches: `set_logger`, `set_correlation_id`, `set_slow_threshold`."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from pydynox._observe import _state


class LoggerProtocol(Protocol):
    """Any logger with the logging methods (stdlib, AWS Lambda Powertools, structlog...)."""

    def debug(self, msg: str, **kwargs: Any) -> None: ...
    def info(self, msg: str, **kwargs: Any) -> None: ...
    def warning(self, msg: str, **kwargs: Any) -> None: ...
    def error(self, msg: str, **kwargs: Any) -> None: ...


def set_logger(logger: LoggerProtocol | logging.Logger, sdk_debug: bool = False) -> None:
    """Send pydynox's records to `logger` instead of the stdlib logger `pydynox`.

    Every call is logged at INFO (operation, table or index, duration, consumed capacity,
    request id, correlation id, error class) and calls slower than the threshold of
    `set_slow_threshold` at WARNING. A stdlib logger's level decides what is produced at
    all (nothing is produced below WARNING); another kind of logger gets every record and
    filters itself.

    Args:
        logger: Any logger with debug/info/warning/error methods.
        sdk_debug: Accepted for compatibility with pydynox 0.21.0; the AWS SDK's own debug
            logs are not forwarded, so it changes nothing.
    """
    for method in ("debug", "info", "warning", "error"):
        if not callable(getattr(logger, method, None)):
            raise TypeError(f"set_logger: logger needs a callable {method}() method, got {type(logger).__name__}")
    _state.logger = logger
    _state.watch_levels(logger)
    _state.refresh()


def get_logger() -> Any:
    """The logger pydynox writes to."""
    return _state.logger


def set_correlation_id(correlation_id: str | None) -> None:
    """Tag this task's (or thread's) records with `correlation_id`, e.g. a Lambda request id.

    Stored in a context variable: each asyncio task and each thread has its own, and a
    task started afterwards inherits the id of the code that started it.
    """
    if correlation_id is not None and not isinstance(correlation_id, str):
        raise TypeError(f"set_correlation_id: correlation_id must be a str or None, got {type(correlation_id).__name__}")
    _state.correlation_id.set(correlation_id)


def get_correlation_id() -> str | None:
    """This task's correlation id."""
    return _state.correlation_id.get()


def set_slow_threshold(milliseconds: float) -> None:
    """Log calls that take at least `milliseconds` at WARNING (default 100)."""
    if isinstance(milliseconds, bool) or not isinstance(milliseconds, (int, float)) or not milliseconds >= 0:
        raise ValueError(f"set_slow_threshold: milliseconds must be a number >= 0, got {milliseconds!r}")
    _state.slow_ms = float(milliseconds)
    _state.refresh()
