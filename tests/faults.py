"""A fault-injecting HTTP proxy in front of the moto server.

Tests point a client at `FaultProxy.endpoint` and then make the next requests fail, slow
them down, or count them by operation (DynamoDB's `X-Amz-Target`, STS's `Action=`).
Requests that are not failed are forwarded to moto unchanged and moto's answer is relayed,
except that `statement_page_size` makes ExecuteStatement answers come in pages with a
NextToken, as DynamoDB's do (moto answers every statement with all its items at once).

Faults (the `Fault` names) are planned per operation and request number with `inject`:
an HTTP 500, a DynamoDB throttling answer, a connection closed without an answer, a
connection reset, or a request held until the client gives up on it. A faulted request
is never forwarded, so a write that failed this way was not applied. Every request's
access key id (from its SigV4 Authorization header) is recorded, for credential refresh.
`idle_timeout` closes kept-alive connections left idle, as servers do. `gate` holds a
request until the test lets it through (slow, not failed). `intercept` hooks
change a request before moto sees it and the answer the client gets, e.g. `hold_back_writes`
and `hold_back_keys` hand part of a batch back as unprocessed.

Every request's SigV4 signature is recomputed independently of pydynox (botocore's signer,
from the request's own bytes and the secret of its access key id, see `SignatureCheck`);
a request whose signature does not match, or that is not signed, is recorded in
`signature_mismatches` (the `proxy` fixture fails a test that leaves any). `clock_skew`
makes the proxy's clock (its `Date` headers, and which signing times it accepts) run ahead
or behind, as a server whose clock differs from the client's; `Fault.RESET_AFTER_HEADERS`
and `Fault.retry_after(...)` answer with a body cut short or a throttling error that says
how long to wait.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import re
import select
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

# What DynamoDB sends for an internal error; retryable, so tests use max_retries=0.
_FAILURE = b'{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"injected failure"}'

_JSON = {"Content-Type": "application/x-amz-json-1.0"}


class Fault:
    """What the proxy does to a request instead of forwarding it."""

    SERVER_ERROR = "500"  # HTTP 500 InternalServerError (retryable)
    THROTTLED = "throttled"  # HTTP 400 ProvisionedThroughputExceededException (retryable)
    THROTTLING = "throttling"  # HTTP 400 ThrottlingException (retryable)
    DROP = "drop"  # the request is read, then the connection is closed without an answer
    RESET = "reset"  # the request is read, then the connection is reset (RST, SO_LINGER 0)
    HOLD = "hold"  # no answer until the client hangs up (its read timeout) or hold_seconds pass
    # an HTTP 200 head and half its body are sent, then the connection is reset
    RESET_AFTER_HEADERS = "reset-after-headers"
    # forwarded to moto (so applied), then answered HTTP 500: a failure the client cannot
    # tell from one that was not applied (see `honour_client_request_tokens`)
    APPLIED_THEN_500 = "applied-then-500"

    ALL = (SERVER_ERROR, THROTTLED, THROTTLING, DROP, RESET, HOLD)

    @staticmethod
    def retry_after(milliseconds: int) -> str:
        """A ThrottlingException answer whose `x-amz-retry-after` header asks the client to
        wait this long before retrying."""
        return f"retry-after {milliseconds}"

    @staticmethod
    def error(status: int, error_type: str | None) -> str:
        """An answer with this HTTP status and DynamoDB error `__type` (e.g. 400,
        "com.amazonaws.dynamodb.v20120810#ValidationException"); with None, an HTML page
        such as a load balancer sends."""
        return f"{status} {error_type or 'html'}"


# The answers of the faults that do answer: (status, body).
_ANSWERS = {
    Fault.SERVER_ERROR: (500, _FAILURE),
    Fault.THROTTLED: (
        400,
        b'{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",'
        b'"message":"injected: the level of configured provisioned throughput for the table was exceeded"}',
    ),
    Fault.THROTTLING: (
        400,
        b'{"__type":"com.amazon.coral.availability#ThrottlingException","message":"injected: rate exceeded"}',
    ),
}


def _custom_answer(fault: str | None) -> tuple[int, dict[str, str], bytes] | None:
    """(status, headers, body) of a `Fault.error(...)` or `Fault.retry_after(...)` fault;
    None for any other fault."""
    wait = re.fullmatch(r"retry-after (\d+)", fault or "")
    if wait:
        status, body = _ANSWERS[Fault.THROTTLING]
        return status, {**_JSON, "x-amz-retry-after": wait.group(1)}, body
    match = re.fullmatch(r"(\d{3}) (\S+)", fault or "")
    if not match:
        return None
    status, error_type = int(match.group(1)), match.group(2)
    if error_type == "html":
        return status, {"Content-Type": "text/html"}, b"<html><body><h1>Bad Gateway</h1></body></html>"
    body = json.dumps({"__type": error_type, "message": "injected"}).encode()
    return status, dict(_JSON), body


@dataclass
class Seen:
    """One request as the proxy saw it."""

    operation: str
    number: int  # 1 for the first request of this operation
    access_key: str | None  # the access key id that signed it (None when unsigned)
    fault: str | None  # the fault injected instead of forwarding it
    at: float  # when it arrived (time.time())
    connection: int = 0  # which connection carried it (1 for the first the proxy accepted)


def hold_back_writes(count: int, times: int = 1) -> Callable[[dict], tuple[dict, Callable[[dict], dict]]]:
    """An `intercept` hook for BatchWriteItem: the first `times` requests have their last
    `count` writes (of their first table) held back, not sent to moto, and handed back to
    the client as UnprocessedItems, as DynamoDB does when it cannot do all of a batch."""
    left = [times]

    def hook(request: dict) -> tuple[dict, Callable[[dict], dict]]:
        if left[0] <= 0:
            return request, lambda answer: answer
        left[0] -= 1
        table, writes = next(iter(request["RequestItems"].items()))
        held = writes[-count:]
        request["RequestItems"][table] = writes[: len(writes) - len(held)]
        if not request["RequestItems"][table]:
            del request["RequestItems"][table]  # all held back: the proxy answers itself

        def answer(answer: dict) -> dict:
            answer.setdefault("UnprocessedItems", {})[table] = held
            return answer

        return request, answer

    return hook


def hold_back_keys(count: int, times: int = 1) -> Callable[[dict], tuple[dict, Callable[[dict], dict]]]:
    """An `intercept` hook for BatchGetItem: the first `times` requests have their last
    `count` keys (of their first table) held back and handed back as UnprocessedKeys."""
    left = [times]

    def hook(request: dict) -> tuple[dict, Callable[[dict], dict]]:
        if left[0] <= 0:
            return request, lambda answer: answer
        left[0] -= 1
        table, read = next(iter(request["RequestItems"].items()))
        held = read["Keys"][-count:]
        remaining = read["Keys"][: len(read["Keys"]) - len(held)]
        if remaining:
            request["RequestItems"][table] = {**read, "Keys": remaining}
        else:
            del request["RequestItems"][table]  # all held back: the proxy answers itself

        def answer(answer: dict) -> dict:
            answer.setdefault("UnprocessedKeys", {})[table] = {**read, "Keys": held}
            return answer

        return request, answer

    return hook


def access_key_of(authorization: str | None) -> str | None:
    """The access key id of a SigV4 `Authorization` header (`... Credential=AKID/date/...`)."""
    match = re.search(r"Credential=([^/,\s]+)/", authorization or "")
    return match.group(1) if match else None


_AUTHORIZATION = re.compile(
    r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, ?"
    r"SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})"
)


def _run_secret(access_key: str) -> str | None:
    """The secret tests/credential_process.py hands out with `access_key`."""
    match = re.fullmatch(r"ASIARUN(\d+)", access_key)
    return f"secret-of-run-{match.group(1)}" if match else None


@dataclass
class SignatureCheck:
    """Recomputes a request's SigV4 signature with botocore's signer (independent of the
    Rust signer under test): the canonical request is rebuilt from the request's method,
    path, body and the headers its `SignedHeaders` names, and signed with the secret of its
    access key id for the credential scope it claims. Secrets are those of the test session
    (conftest's environment), of tests/credential_process.py's runs, and any a test adds."""

    secrets: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        import os

        key, secret = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
        if key and secret:
            self.secrets.setdefault(key, secret)

    def secret_of(self, access_key: str) -> str | None:
        return self.secrets.get(access_key) or _run_secret(access_key)

    def mismatch(self, method: str, path: str, headers: dict[str, str], body: bytes) -> str | None:
        """None when the signature is right; else what is wrong."""
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        lower = {k.lower(): v for k, v in headers.items()}
        authorization = lower.get("authorization")
        if not authorization:
            return "the request is not signed (no Authorization header)"
        match = _AUTHORIZATION.fullmatch(authorization)
        if not match:
            return f"unreadable Authorization header {authorization!r}"
        access_key, day, region, service, signed_names, signature = match.groups()
        secret = self.secret_of(access_key)
        if secret is None:
            return f"no secret known for access key id {access_key!r}"
        names = signed_names.split(";")
        for required in ("host", "x-amz-date"):
            if required not in names:
                return f"{required} is not signed (SignedHeaders={signed_names})"
        for sent in ("x-amz-target", "x-amz-security-token"):
            if sent in lower and sent not in names:
                return f"{sent} is sent but not signed (SignedHeaders={signed_names})"
        missing = [n for n in names if n not in lower]
        if missing:
            return f"signed headers missing from the request: {missing}"
        amz_date = lower["x-amz-date"]
        if not amz_date.startswith(day):
            return f"the credential scope's date {day} is not the signing date {amz_date}"
        request = AWSRequest(method=method, url=f"http://{lower['host']}{path}", data=body, headers={n: lower[n] for n in names})
        request.context["timestamp"] = amz_date
        signer = SigV4Auth(Credentials(access_key, secret, lower.get("x-amz-security-token")), service, region)
        canonical = signer.canonical_request(request)
        expected = signer.signature(signer.string_to_sign(request, canonical), request)
        if expected != signature:
            return f"signature {signature} is not {expected} (scope {day}/{region}/{service}, canonical request {canonical!r})"
        return None


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
        # operation name -> {request number (1 for the first seen): Fault}; see `inject`
        self.faults: dict[str, dict[int, str]] = {}
        self.hold_seconds = 10.0  # the longest a HOLD waits for the client to hang up
        self.seen: list[Seen] = []  # every request, in arrival order
        # Close a kept-alive connection that stays idle this long after an answer, as servers
        # (DynamoDB's included) do: the client must not send its next request on it.
        self.idle_timeout: float | None = None
        self.idle_closed = 0  # connections closed that way
        # operation name -> hook(request JSON) -> (request JSON to forward, answer editor or
        # None): changes what moto is sent and what the client gets back (see hold_back_writes)
        self.intercept: dict[str, Callable[[dict], tuple[dict, Callable[[dict], dict] | None]]] = {}
        self.connections = 0  # connections accepted
        # SigV4 verification of every request (see SignatureCheck); a test that sends
        # requests signed wrongly on purpose sets verify_signatures to False.
        self.verify_signatures = True
        self.signature_check = SignatureCheck()
        self.signature_mismatches: list[str] = []  # "<operation> #<n>: <what is wrong>"
        # How far the proxy's clock is from the machine's: its `Date` headers show it, and a
        # request signed more than 5 minutes away from it is refused as DynamoDB refuses it.
        self.clock_skew = timedelta(0)
        # operation name -> {request number: Event}: requests held until the event is set; see `gate`
        self.gates: dict[str, dict[int, threading.Event]] = {}
        # The ClientRequestToken of every TransactWriteItems, in order (None when absent).
        self.transaction_tokens: list[str | None] = []
        # DynamoDB answers a TransactWriteItems whose token it has already applied with that
        # first answer, applying nothing again; moto 5 ignores the token, so with this set
        # the proxy does it in moto's place (the token -> answer of each one applied).
        self.honour_client_request_tokens = False
        # With this set, an injected fault spares a request whose body is one the proxy has
        # already answered with a fault: the client's retry of a faulted request goes through
        # wherever it lands among concurrent requests, so how many faults one request meets
        # does not depend on timing.
        self.spare_resends = False
        self._faulted_bodies: set[bytes] = set()
        self._token_answers: dict[str, bytes] = {}
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            answered = 0  # requests answered on this connection

            def log_message(self, *args: object) -> None:
                pass

            def setup(self) -> None:
                super().setup()
                with proxy.lock:
                    proxy.connections += 1
                    self.connection_number = proxy.connections

            def date_time_string(self, timestamp: float | None = None) -> str:
                return format_datetime(proxy.now(), usegmt=True)

            def handle_one_request(self) -> None:
                idle = proxy.idle_timeout
                if idle is not None and self.answered:
                    readable, _, _ = select.select([self.connection], [], [], idle)
                    if not readable:
                        with proxy.lock:
                            proxy.idle_closed += 1
                        self.close_connection = True
                        return
                super().handle_one_request()
                self.answered += 1

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                proxy._handle(self, body)

        class Server(ThreadingHTTPServer):
            def shutdown_request(self, request: socket.socket) -> None:
                super().shutdown_request(request)  # the socket is closed now
                with proxy.lock:
                    proxy.closed += 1

        self.closed = 0  # connections this side has closed (the socket itself, not just decided to)
        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        # A short poll interval: shutdown() waits for the serving loop to notice, and the
        # default (0.5 s) would add that much to every test using a proxy.
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self) -> FaultProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def inject(self, operation: str, fault: str, *numbers: int) -> None:
        """Answers the `numbers`-th requests of `operation` (counted since the proxy started
        or `calls` was last cleared; the first when none given) with `fault` instead of
        forwarding them."""
        assert fault in Fault.ALL or fault in (Fault.RESET_AFTER_HEADERS, Fault.APPLIED_THEN_500) or _custom_answer(fault), fault
        with self.lock:
            plan = self.faults.setdefault(operation, {})
            for number in numbers or (1,):
                plan[number] = fault

    def now(self) -> datetime:
        """The proxy's clock (the machine's moved by `clock_skew`)."""
        return datetime.now(timezone.utc) + self.clock_skew

    def _signing_time_refused(self, headers: object) -> bytes | None:
        """The error body DynamoDB answers to a request signed over 5 minutes away from its
        clock; None when the signing time is acceptable (or unreadable: the signature check
        reports that)."""
        try:
            signed_at = datetime.strptime(headers.get("X-Amz-Date", ""), "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
        except ValueError:
            return None
        now = self.now()
        if abs(now - signed_at) <= timedelta(minutes=5):
            return None
        relation = "earlier" if signed_at < now else "later"
        message = (
            f"Signature expired: {signed_at:%Y%m%dT%H%M%SZ} is now {relation} than "
            f"{now - timedelta(minutes=5):%Y%m%dT%H%M%SZ} ({now:%Y%m%dT%H%M%SZ} - 5 min.)"
        )
        return json.dumps({"__type": "com.amazon.coral.service#InvalidSignatureException", "message": message}).encode()

    def gate(self, operation: str, number: int = 1) -> threading.Event:
        """Holds the `number`-th request of `operation` until the returned event is set, then
        forwards it as usual: a request that is slow, not failed, for as long as the test
        wants. A client hanging up meanwhile counts in `abandoned`; after `hold_seconds` the
        request is answered HTTP 500 instead."""
        opened = threading.Event()
        with self.lock:
            self.gates.setdefault(operation, {})[number] = opened
        return opened

    @property
    def access_keys(self) -> list[str | None]:
        """The access key id of every request, in arrival order."""
        with self.lock:
            return [seen.access_key for seen in self.seen]

    @property
    def injected(self) -> list[tuple[str, int, str]]:
        """(operation, request number, fault) of every fault injected so far."""
        with self.lock:
            return [(s.operation, s.number, s.fault) for s in self.seen if s.fault]

    def _handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        operation = handler.headers.get("X-Amz-Target", "").rpartition(".")[2]
        if not operation:
            match = re.search(rb"Action=(\w+)", body)
            operation = match.group(1).decode() if match else "?"
        with self.lock:
            self.calls[operation] += 1
            number = self.calls[operation]
            self.requests.append((operation, body))
            self.active += 1
            self.max_active = max(self.max_active, self.active)
            handler.in_progress = True  # type: ignore[attr-defined]
            fault = self.faults.get(operation, {}).get(number)
            if fault is not None and self.spare_resends:
                digest = hashlib.sha256(body).digest()
                if digest in self._faulted_bodies:
                    fault = None
                else:
                    self._faulted_bodies.add(digest)
            if fault is None and self.fail_next > 0:
                self.fail_next -= 1
                fault = Fault.SERVER_ERROR
            elif fault is None and number in self.fail_on.get(operation, ()):
                fault = Fault.SERVER_ERROR
            access_key = access_key_of(handler.headers.get("Authorization"))
            self.seen.append(Seen(operation, number, access_key, fault, time.time(), getattr(handler, "connection_number", 0)))
            delay = self.delay
            gate = self.gates.get(operation, {}).get(number)
            verify = self.verify_signatures
        if verify:
            wrong = self.signature_check.mismatch(handler.command, handler.path, dict(handler.headers.items()), body)
            if wrong:
                with self.lock:
                    self.signature_mismatches.append(f"{operation} #{number}: {wrong}")
        refused = self._signing_time_refused(handler.headers) if verify else None
        try:
            if gate is not None:
                opened = self._wait_for_gate(handler, gate, self.hold_seconds)
                if opened is None:
                    with self.lock:
                        self.abandoned += 1
                    handler.close_connection = True
                    return
                if not opened:
                    self._answer(handler, 500, dict(_JSON), _FAILURE)
                    return
            if delay:
                time.sleep(delay)
                if self._client_gone(handler):
                    with self.lock:
                        self.abandoned += 1
                    return
            if refused is not None:
                self._answer(handler, 400, dict(_JSON), refused)
                return
            if fault in _ANSWERS:
                status, payload = _ANSWERS[fault]
                self._answer(handler, status, dict(_JSON), payload)
                return
            custom = _custom_answer(fault)
            if custom:
                status, headers, payload = custom
                self._answer(handler, status, headers, payload)
                return
            if fault == Fault.RESET_AFTER_HEADERS:
                self._answer_cut_short(handler, 200, dict(_JSON), b'{"injected": "a body the connection reset cut short"}')
                return
            if fault == Fault.DROP:
                self._hang_up(handler, reset=False)
                return
            if fault == Fault.RESET:
                self._hang_up(handler, reset=True)
                return
            if fault == Fault.HOLD:
                if self._wait_for_hang_up(handler, self.hold_seconds):
                    with self.lock:
                        self.abandoned += 1
                    handler.close_connection = True
                    return
                # The client waited the whole hold: it gets an error, not moto's answer,
                # so the request is never applied after the client gave up on it.
                self._answer(handler, 500, dict(_JSON), _FAILURE)
                return
            token = None
            if operation == "TransactWriteItems":
                token = json.loads(body).get("ClientRequestToken")
                with self.lock:
                    self.transaction_tokens.append(token)
                    remembered = self._token_answers.get(token) if token and self.honour_client_request_tokens else None
                if remembered is not None:
                    self._answer(handler, 200, dict(_JSON), remembered)
                    return
            connection = http.client.HTTPConnection(*self.upstream, timeout=30)
            headers = {k: v for k, v in handler.headers.items() if k.lower() not in ("host", "connection")}
            edit_answer = None
            hook = self.intercept.get(operation)
            if hook:
                request, edit_answer = hook(json.loads(body))
                if not request.get("RequestItems", True):
                    # Nothing left for moto (DynamoDB rejects an empty batch): the whole
                    # batch comes back unprocessed, answered here.
                    connection.close()
                    self._answer(handler, 200, dict(_JSON), json.dumps(edit_answer({}) if edit_answer else {}).encode())
                    return
                body = json.dumps(request).encode()
                headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
            connection.request("POST", handler.path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            if response.status == 200:
                self._learn_secrets(payload)
                if token is not None:
                    with self.lock:
                        self._token_answers[token] = payload
            if fault == Fault.APPLIED_THEN_500:
                connection.close()
                self._answer(handler, 500, dict(_JSON), _FAILURE)
                return
            if edit_answer and response.status == 200:
                payload = json.dumps(edit_answer(json.loads(payload))).encode()
            if operation == "ExecuteStatement" and self.statement_page_size and response.status == 200:
                payload = self._page(json.loads(body), json.loads(payload), self.statement_page_size)
            # The proxy's own `Date` (its clock, see clock_skew) replaces moto's.
            dropped = ("content-length", "connection", "transfer-encoding", "date")
            relayed = {k: v for k, v in response.getheaders() if k.lower() not in dropped}
            connection.close()
            # No longer in progress once answered: the client may send its next request as
            # soon as it reads this one, before this thread gets back to `finally`.
            self._done(handler)
            self._answer(handler, response.status, relayed, payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on this request (a cancelled call)
        finally:
            self._done(handler)

    def _done(self, handler: BaseHTTPRequestHandler) -> None:
        """Counts the handler's request out of `active`, once."""
        with self.lock:
            if getattr(handler, "in_progress", False):
                handler.in_progress = False  # type: ignore[attr-defined]
                self.active -= 1

    def _learn_secrets(self, payload: bytes) -> None:
        """Credentials handed out through the proxy (STS's AssumeRole answer) sign later
        requests: their secrets are kept for the signature check."""
        for key, secret in re.findall(rb"<AccessKeyId>([^<]+)</AccessKeyId>\s*<SecretAccessKey>([^<]+)</SecretAccessKey>", payload):
            with self.lock:
                self.signature_check.secrets[key.decode()] = secret.decode()

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

    @classmethod
    def _answer_cut_short(cls, handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], payload: bytes) -> None:
        """Sends the answer's head (with the whole body's length) and half its body, then
        resets the connection: the client has a response whose body fails mid-read."""
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload[: len(payload) // 2])
        handler.wfile.flush()
        cls._hang_up(handler, reset=True)

    @staticmethod
    def _hang_up(handler: BaseHTTPRequestHandler, reset: bool) -> None:
        """Ends the connection without an answer: an orderly close (FIN), or with `reset` an
        abortive one (SO_LINGER 0, then close: the kernel sends RST, the client reads
        ECONNRESET)."""
        handler.close_connection = True
        sock = handler.connection
        if reset:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            # Close the descriptor now: socketserver would otherwise shut down the write
            # side first (a FIN) and close only after handler.rfile lets go of it.
            fd = sock.detach()
            socket.socket(fileno=fd).close()
        else:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    @classmethod
    def _wait_for_hang_up(cls, handler: BaseHTTPRequestHandler, seconds: float) -> bool:
        """Waits up to `seconds` for the client to close the connection; True if it did."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            readable, _, _ = select.select([handler.connection], [], [], min(0.05, max(0.0, deadline - time.monotonic())))
            if readable:
                if cls._client_gone(handler):
                    return True
                time.sleep(0.05)  # bytes from the client (not a hang-up): do not spin on them
        return False

    @classmethod
    def _wait_for_gate(cls, handler: BaseHTTPRequestHandler, gate: threading.Event, seconds: float) -> bool | None:
        """Waits up to `seconds` for `gate` to be set: True if it was, None if the client
        hung up first, False if the time ran out."""
        deadline = time.monotonic() + seconds
        while not gate.wait(0.02):
            if cls._client_gone(handler):
                return None
            if time.monotonic() > deadline:
                return False
        return True

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
