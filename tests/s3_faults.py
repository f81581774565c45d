"""A proxy in front of the moto server for S3 faults: it forwards every request (S3,
DynamoDB, KMS) and answers HTTP 500 instead to the ones `fails(method, path)` picks, so
an upload can fail midway (one UploadPart) or a removal fail (a DELETE) while everything
else reaches moto. (tests/faults.py's FaultProxy tells requests apart by DynamoDB's
`X-Amz-Target`, which S3 requests do not carry.)"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

__all__ = ["S3FailingProxy"]


class S3FailingProxy:
    """Forwards every request to `upstream`, except those `fails(method, path)` picks,
    answered HTTP 500 (`failed` counts them). `fails` may be changed while it runs."""

    def __init__(self, upstream: str, fails: Callable[[str, str], bool]) -> None:
        target = urlparse(upstream)
        outer = self
        self.fails = fails

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if outer.fails(self.command, self.path):
                    with outer.lock:
                        outer.failed += 1
                    payload = b"<Error><Code>InternalError</Code><Message>injected</Message></Error>"
                    self.send_response(500)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                conn.request(self.command, self.path, body=body, headers=dict(self.headers))
                answer = conn.getresponse()
                payload = answer.read()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)
                conn.close()

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _relay

        self.failed = 0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> S3FailingProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
