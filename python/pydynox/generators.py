"""Values generated for an attribute when an item is first saved without one.

`StringAttribute(hash_key=True, default=AutoGenerate.ULID)` leaves the attribute empty on
a new instance; the model fills it just before the first save. Identifiers come from
maintained packages (`python-ulid`, `svix-ksuid`), never from hand-written encoders.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timezone
from enum import Enum
from typing import Any

__all__ = ["AutoGenerate", "generate_value", "is_auto_generate"]


class AutoGenerate(Enum):
    """Strategies for values generated at save time."""

    UUID4 = "uuid4"
    """A random UUID as 36-character text."""
    ULID = "ulid"
    """A ULID: 26 characters, sortable by creation time."""
    KSUID = "ksuid"
    """A KSUID: 27 characters, sortable by creation second."""
    EPOCH = "epoch"
    """Seconds since the Unix epoch, an int."""
    EPOCH_MS = "epoch_ms"
    """Milliseconds since the Unix epoch, an int."""
    ISO8601 = "iso8601"
    """The current UTC time as text, e.g. 2024-05-01T12:30:00Z (second precision)."""


# The identifier modules are imported on first use, not with pydynox: python-ulid pulls in
# importlib.metadata and uuid pulls in platform, milliseconds at every `import pydynox`.
def _uuid4() -> str:
    import uuid

    return str(uuid.uuid4())


def _ulid() -> str:
    import ulid

    return str(ulid.ULID())


def _ksuid() -> str:
    import ksuid

    return str(ksuid.Ksuid())


def _iso8601_now() -> str:
    # Second precision and a "Z" suffix: fixed width, so these strings sort as times do.
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


_GENERATORS: dict[AutoGenerate, Callable[[], Any]] = {
    AutoGenerate.UUID4: _uuid4,
    AutoGenerate.ULID: _ulid,
    AutoGenerate.KSUID: _ksuid,
    AutoGenerate.EPOCH: lambda: int(time.time()),
    AutoGenerate.EPOCH_MS: lambda: time.time_ns() // 1_000_000,
    AutoGenerate.ISO8601: _iso8601_now,
}


def generate_value(strategy: AutoGenerate) -> Any:
    """A fresh value for `strategy`: `str` for the identifiers and ISO8601, `int` for epochs."""
    if not isinstance(strategy, AutoGenerate):
        raise TypeError(f"generate_value: expected an AutoGenerate member, got {strategy!r}")
    return _GENERATORS[strategy]()


def is_auto_generate(value: object) -> bool:
    """True when `value` is an AutoGenerate strategy (and so not a literal default)."""
    return isinstance(value, AutoGenerate)
