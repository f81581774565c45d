"""A fault-injecting HTTP proxy in front of the moto server.

Tests point a client at `FaultProxy.endpoint` and then make the next requests fail, slow
them down, or count them by operation (DynamoDB's `X-Amz-Target`, STS's `Action=`).
Requests that are not failed are forwarded to moto unchanged and moto's answer is relayed,
except that `statement_page_size` makes ExecuteStatement answers come in pages with a
NextToken, as DynamoDB's do (moto answers every statement with all its items at once).
"""

from __future__ import annotations

import http.client
import json
import re
import select
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

# What DynamoDB sends for an internal error; retryable, so tests use max_retries=0.
_FAILURE = b'{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"injected failure"}'


class FaultProxy:
    def __init__(self, upstream: str) -> None:
        target = urlparse(upstream)
        self.upstream = (target.hostname, target.port)
        self.lock = threading.Lock()
        self.fail_next = 0  # answer this many next requests with HTTP 500
        # operation name -> which of its requests (1 for the first seen) to answer with HTTP
        # 500: for a request whose timing the test does not control (a page fetched ahead)
        self.fail_on: dict[str, set[int]] = {}
        self.delay = 0.0  # seconds every request waits before being forwarded
        self.calls: Counter[str] = Counter()  # operation name -> requests seen
        self.requests: list[tuple[str, bytes]] = []  # (operation, body) of every request, in order
        self.abandoned = 0  # delayed requests whose client hung up before the answer (cancelled)
        self.active = 0
        self.max_active = 0  # most requests in progress at the same time
        self.statement_page_size: int | None = None  # ExecuteStatement items per page
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                proxy._handle(self, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FaultProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        operation = handler.headers.get("X-Amz-Target", "").rpartition(".")[2]
        if not operation:
            match = re.search(rb"Action=(\w+)", body)
            operation = match.group(1).decode() if match else "?"
        with self.lock:
            self.calls[operation] += 1
            self.requests.append((operation, body))
            self.active += 1
            self.max_active = max(self.max_active, self.active)
            fail = self.fail_next > 0
            if fail:
                self.fail_next -= 1
            elif self.calls[operation] in self.fail_on.get(operation, ()):
                fail = True
            delay = self.delay
        try:
            if delay:
                time.sleep(delay)
                if self._client_gone(handler):
                    with self.lock:
                        self.abandoned += 1
                    return
            if fail:
                self._answer(handler, 500, {"Content-Type": "application/x-amz-json-1.0"}, _FAILURE)
                return
            connection = http.client.HTTPConnection(*self.upstream, timeout=30)
            headers = {k: v for k, v in handler.headers.items() if k.lower() not in ("host", "connection")}
            connection.request("POST", handler.path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            if operation == "ExecuteStatement" and self.statement_page_size and response.status == 200:
                payload = self._page(json.loads(body), json.loads(payload), self.statement_page_size)
            relayed = {k: v for k, v in response.getheaders() if k.lower() not in ("content-length", "connection", "transfer-encoding")}
            connection.close()
            self._answer(handler, response.status, relayed, payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on this request (a cancelled call)
        finally:
            with self.lock:
                self.active -= 1

    @staticmethod
    def _page(request: dict, answer: dict, size: int) -> bytes:
        """One page of `answer`'s items: the request's NextToken is the offset (moto ignores it
        and answers with everything), and a NextToken is added while items are left."""
        start = int(request.get("NextToken") or 0)
        items = answer.get("Items", [])
        answer["Items"] = items[start : start + size]
        if start + size < len(items):
            answer["NextToken"] = str(start + size)
        return json.dumps(answer).encode()

    @staticmethod
    def _client_gone(handler: BaseHTTPRequestHandler) -> bool:
        """The client closed the connection while its request waited (it gave up on it)."""
        sock = handler.connection
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return False
        try:
            return sock.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    @staticmethod
    def _answer(handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], payload: bytes) -> None:
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)
