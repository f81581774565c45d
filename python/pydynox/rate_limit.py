"""Rate limits for a client's requests: `DynamoDBClient(rate_limit=FixedRate(...))`.

A limiter holds a token bucket per capacity kind (reads, writes) in capacity units per
second. Every request of the client reserves, before it is sent, what requests of its
kind have been consuming, and waits if the bucket is in debt; the call is then charged
what DynamoDB reported it consumed (`ReturnConsumedCapacity=TOTAL`). The wait happens in
the Rust core: an `async_` call awaits it without blocking the event loop, a sync call
sleeps with the GIL released.

- `FixedRate`: the rate you set, always.
- `AdaptiveRate`: starts at half its maximum; a throttling error cuts it to 80% (at most
  once a second), and each second without one adds 5% of the maximum back (AIMD).
  Throttles retried away by the SDK's retries are not seen; only those the call reports.

Example:
    >>> client = DynamoDBClient(rate_limit=FixedRate(rcu=50, wcu=25))
    >>> client = DynamoDBClient(rate_limit=AdaptiveRate(max_rcu=100, max_wcu=50))
"""

from __future__ import annotations

from typing import Any, cast

from pydynox import pydynox_core

__all__ = ["AdaptiveRate", "FixedRate", "RateLimitMetrics"]

_RateLimiter: Any = getattr(pydynox_core, "_RateLimiter")


class RateLimitMetrics:
    """What a limiter has counted since it was made or reset (a live view).

    Attributes:
        consumed_rcu: Read capacity units DynamoDB reported consumed.
        consumed_wcu: Write capacity units DynamoDB reported consumed.
        throttle_count: Throttling errors the client's calls got.
    """

    __slots__ = ("_core",)
    _core: Any

    def __init__(self) -> None:
        raise TypeError("RateLimitMetrics is read from a rate limit's `metrics`, not made directly")

    @classmethod
    def _of(cls, core: Any) -> RateLimitMetrics:
        metrics = object.__new__(cls)
        metrics._core = core
        return metrics

    @property
    def consumed_rcu(self) -> float:
        """Read capacity units DynamoDB reported consumed."""
        return cast("float", self._core.consumed(False))

    @property
    def consumed_wcu(self) -> float:
        """Write capacity units DynamoDB reported consumed."""
        return cast("float", self._core.consumed(True))

    @property
    def throttle_count(self) -> int:
        """Throttling errors the client's calls got."""
        return cast("int", self._core.throttle_count())

    def reset(self) -> None:
        """Sets the counts back to zero (the rates stay as they are)."""
        self._core.reset_counters()

    def __repr__(self) -> str:
        return (
            f"RateLimitMetrics(consumed_rcu={self.consumed_rcu}, consumed_wcu={self.consumed_wcu}, "
            f"throttle_count={self.throttle_count})"
        )


class _Limit:
    """What both rate limits share: the core and its counts (read through `metrics`)."""

    __slots__ = ("_core",)
    _core: Any

    @property
    def metrics(self) -> RateLimitMetrics:
        """The counts of this limiter (consumed capacity, throttles)."""
        return RateLimitMetrics._of(self._core)

    @property
    def consumed_rcu(self) -> float:
        """Read capacity units DynamoDB reported consumed so far (`metrics.consumed_rcu`)."""
        return self.metrics.consumed_rcu

    @property
    def consumed_wcu(self) -> float:
        """Write capacity units DynamoDB reported consumed so far (`metrics.consumed_wcu`)."""
        return self.metrics.consumed_wcu

    @property
    def throttle_count(self) -> int:
        """Throttling errors the client's calls got (`metrics.throttle_count`)."""
        return self.metrics.throttle_count


class FixedRate(_Limit):
    """A fixed rate: at most `rcu` read and `wcu` write capacity units per second.

    Args:
        rcu: Read capacity units per second; None leaves reads unlimited.
        wcu: Write capacity units per second; None leaves writes unlimited.
        burst: Units that may be spent at once after a quiet spell; defaults to the rate
            (one second's worth).

    Raises:
        ValueError: a rate that is not a positive number, or neither rcu nor wcu.
    """

    __slots__ = ()

    def __init__(self, rcu: float | None = None, wcu: float | None = None, burst: float | None = None) -> None:
        self._core = _RateLimiter.fixed(rcu, wcu, burst)

    @property
    def rcu(self) -> float | None:
        """The read rate set, or None."""
        return cast("float | None", self._core.rate(False))

    @property
    def wcu(self) -> float | None:
        """The write rate set, or None."""
        return cast("float | None", self._core.rate(True))

    def __repr__(self) -> str:
        return f"FixedRate(rcu={self.rcu}, wcu={self.wcu})"


class AdaptiveRate(_Limit):
    """A rate that follows DynamoDB's throttling (additive increase, multiplicative decrease).

    Starts at half of each maximum. A throttling error cuts that kind's rate to 80%, at most
    once a second and never below its minimum; each second without one adds 5% of the
    maximum back, never above it.

    Args:
        max_rcu: Highest read rate, capacity units per second.
        max_wcu: Highest write rate; None leaves writes unlimited.
        min_rcu: Lowest read rate (default 1).
        min_wcu: Lowest write rate (default 1).

    Raises:
        ValueError: a rate that is not a positive number, or a minimum above its maximum.
    """

    __slots__ = ("_max",)

    def __init__(
        self,
        max_rcu: float,
        max_wcu: float | None = None,
        min_rcu: float | None = None,
        min_wcu: float | None = None,
    ) -> None:
        self._core = _RateLimiter.adaptive(max_rcu, max_wcu, min_rcu, min_wcu)
        self._max = (float(max_rcu), None if max_wcu is None else float(max_wcu))

    @property
    def current_rcu(self) -> float:
        """The read rate now."""
        return cast("float", self._core.rate(False))

    @property
    def current_wcu(self) -> float | None:
        """The write rate now, or None when writes are unlimited."""
        return cast("float | None", self._core.rate(True))

    @property
    def max_rcu(self) -> float:
        """The highest read rate."""
        return self._max[0]

    @property
    def max_wcu(self) -> float | None:
        """The highest write rate, or None."""
        return self._max[1]

    def __repr__(self) -> str:
        return f"AdaptiveRate(max_rcu={self.max_rcu}, max_wcu={self.max_wcu}, current_rcu={self.current_rcu})"
