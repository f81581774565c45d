"""What is observed, in one place, and the switch it sets in the Rust core.

The core asks nothing of Python per call: it reads one atomic mode that `refresh()` stores
there whenever the answer may have changed (a logger set, tracing switched, the threshold
changed, or a logging level changed anywhere; see `watch_levels`).
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any, Callable

from pydynox import pydynox_core

# Private functions of the core, kept out of its stubs like its other test hooks.
_configure: Callable[[int, float], None] = getattr(pydynox_core, "_observe_configure")  # noqa: B009
install: Callable[[Callable[..., None]], None] = getattr(pydynox_core, "_observe_install")  # noqa: B009

# The mode bits of src/observe.rs.
SLOW = 1  # slow calls are logged at WARNING
EVERY = 2  # every call is logged at INFO
TRACE = 4  # every call becomes a span

DEFAULT_SLOW_MS = 100.0

logger: Any = logging.getLogger("pydynox")
# A library's records go where the application's logging config sends them, and nowhere
# else: without a handler of its own, a slow call's WARNING would reach stderr through
# logging's last-resort handler in programs that configured no logging at all.
logger.addHandler(logging.NullHandler())
slow_ms: float = DEFAULT_SLOW_MS
correlation_id: ContextVar[str | None] = ContextVar("pydynox_correlation_id", default=None)
# The tracing configuration (`_tracing.Tracing`), None while tracing is off.
tracing: Any = None


def mode() -> int:
    """Which mode bits are on now."""
    bits = TRACE if tracing is not None else 0
    is_enabled_for = getattr(logger, "isEnabledFor", None)
    if is_enabled_for is None:
        # A logger without levels we can read (structlog, Powertools...) filters itself:
        # it gets every record.
        return bits | SLOW | EVERY
    if is_enabled_for(logging.WARNING):
        bits |= SLOW
    if is_enabled_for(logging.INFO):
        bits |= EVERY
    return bits


def refresh() -> None:
    _configure(mode(), slow_ms)


class _RefreshingCache(dict[int, bool]):
    """A logger's level cache that tells us when it is cleared: the logging module clears
    every logger's cache whenever any level changes (`setLevel`, `logging.disable`,
    `basicConfig(level=...)`, `dictConfig`), which is exactly when our mode may change."""

    def clear(self) -> None:
        super().clear()
        refresh()


def watch_levels(target: Any) -> None:
    """Refresh the mode whenever `target`'s effective level may have changed. Only for a
    stdlib `logging.Logger`, whose `_cache` is a CPython detail since 3.7: if it is missing,
    `target` is treated like a logger that filters itself (every record goes to it)."""
    cache = getattr(target, "_cache", None)
    if isinstance(target, logging.Logger) and isinstance(cache, dict):
        if not isinstance(cache, _RefreshingCache):
            setattr(target, "_cache", _RefreshingCache(cache))  # noqa: B010 (private, not typed)
    elif isinstance(target, logging.Logger):
        global logger
        logger = _SelfFiltering(target)


class _SelfFiltering:
    """A stdlib logger whose level changes we cannot see: every record goes to it."""

    def __init__(self, target: logging.Logger) -> None:
        self._target = target

    def __getattr__(self, name: str) -> Any:
        if name == "isEnabledFor":
            raise AttributeError(name)
        return getattr(self._target, name)
