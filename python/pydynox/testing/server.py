"""A real DynamoDB implementation for tests: moto's threaded server, in this process, on
a free loopback port.

Conditions, indexes, batches and transactions behave as the server implements them, so a
test that passes here has been checked by a DynamoDB implementation rather than by a
stand-in that guesses. moto comes with the optional `testing` extra
(`pip install "pydynox[testing]"`) and is imported only when a server is first started.
"""

from __future__ import annotations

import atexit
import logging
import threading
import urllib.request
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydynox.pydynox_core import DynamoDBClient

__all__ = ["LocalDynamoDB", "shared_server", "stop_shared_server"]

# What clients of the local server sign with and where they say they are. moto accepts
# any credentials; giving them explicitly keeps the machine's AWS configuration (profiles,
# environment, instance metadata) out of the tests entirely.
REGION = "us-east-1"
_FAKE_KEY = "testing"


class LocalDynamoDB:
    """One moto server thread on 127.0.0.1. `start()` returns its endpoint URL."""

    def __init__(self) -> None:
        self._server: Any = None
        self._lock = threading.Lock()
        self.endpoint: str | None = None

    def start(self) -> str:
        with self._lock:
            if self.endpoint is not None:
                return self.endpoint
            try:
                from moto.server import ThreadedMotoServer
            except ImportError as error:
                raise ImportError(
                    "pydynox.testing needs moto's server: pip install \"pydynox[testing]\""
                ) from error
            # werkzeug logs every request at INFO; keep test output to what the tests print.
            werkzeug_log = logging.getLogger("werkzeug")
            if werkzeug_log.level == logging.NOTSET:
                werkzeug_log.setLevel(logging.WARNING)
            server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
            server.start()
            host, port = server.get_host_and_port()
            self._server = server
            self.endpoint = f"http://{host}:{port}"
            return self.endpoint

    def reset(self) -> None:
        """Forgets every table and item (moto's reset API)."""
        endpoint = self.start()
        request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST", data=b"")
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()

    def client(self, **options: Any) -> DynamoDBClient:
        """A pydynox client on this server; `options` are DynamoDBClient's."""
        from pydynox.pydynox_core import DynamoDBClient

        options.setdefault("region", REGION)
        options.setdefault("access_key", _FAKE_KEY)
        options.setdefault("secret_key", _FAKE_KEY)
        return DynamoDBClient(endpoint_url=self.start(), **options)

    def admin(self) -> Any:
        """A boto3 DynamoDB client on this server (boto3 comes with moto), for listing
        and describing tables, which the pydynox client does not do."""
        import boto3  # type: ignore[import-untyped, unused-ignore]

        return boto3.client(
            "dynamodb",
            endpoint_url=self.start(),
            region_name=REGION,
            aws_access_key_id=_FAKE_KEY,
            aws_secret_access_key=_FAKE_KEY,
        )

    def stop(self) -> None:
        with self._lock:
            if self._server is not None:
                self._server.stop()
            self._server = None
            self.endpoint = None


_shared = LocalDynamoDB()
atexit.register(_shared.stop)


def shared_server() -> LocalDynamoDB:
    """The process's one local server, started on first use (the pytest plugin stops it
    at the end of the session; otherwise it stops when the process exits)."""
    _shared.start()
    return _shared


def stop_shared_server() -> None:
    _shared.stop()
