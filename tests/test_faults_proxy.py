"""The fault proxy itself (tests/faults.py) does what the fault tests rely on, seen from a raw
socket rather than through pydynox: each fault reaches the client as the failure it names
(an answer with DynamoDB's error, an orderly close, a reset, silence), only the planned
request is faulted, and each request's access key id is recorded."""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import urlparse

import pytest

from faults import Fault, SignatureCheck, access_key_of

BODY = b'{"TableName": "no-such-table", "Key": {"pk": {"S": "a"}}}'
SIGNED = (
    "AWS4-HMAC-SHA256 Credential=AKIDPROXYTEST/20260101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=host;x-amz-date;x-amz-target, Signature=00"
)


@pytest.fixture(autouse=True)
def made_up_signatures(request: pytest.FixtureRequest) -> None:
    """The raw requests below carry a made-up signature (SIGNED) on purpose: the proxy's
    signature check is off for them, except in the tests of the check itself."""
    if "proxy" in request.fixturenames and "signature_check" not in request.node.name:
        request.getfixturevalue("proxy").verify_signatures = False


def botocore_signed(host: str, body: bytes = BODY, secret: str = "testing") -> dict[str, str]:
    """Headers of a GetItem signed by botocore with the session's access key id."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(
        method="POST",
        url=f"http://{host}/",
        data=body,
        headers={"X-Amz-Target": "DynamoDB_20120810.GetItem", "Content-Type": "application/x-amz-json-1.0"},
    )
    SigV4Auth(Credentials("testing", secret, "a-session-token"), "dynamodb", "us-east-1").add_auth(request)
    return dict(request.headers.items())


def test_the_signature_check_accepts_a_correct_signature_and_names_what_is_wrong():
    check = SignatureCheck({"testing": "testing"})
    headers = {"Host": "127.0.0.1:8000", **botocore_signed("127.0.0.1:8000")}
    assert check.mismatch("POST", "/", headers, BODY) is None
    assert "is not" in check.mismatch("POST", "/", headers, BODY + b" ")
    assert "is not" in check.mismatch("POST", "/", {**headers, "X-Amz-Target": "DynamoDB_20120810.PutItem"}, BODY)
    assert "is not" in check.mismatch("POST", "/", {**headers, "Host": "localhost:8000"}, BODY)
    wrong_secret = {"Host": "127.0.0.1:8000", **botocore_signed("127.0.0.1:8000", secret="other")}
    assert "is not" in check.mismatch("POST", "/", wrong_secret, BODY)
    assert "not signed" in check.mismatch("POST", "/", {"Host": "127.0.0.1:8000"}, BODY)
    assert "no secret" in check.mismatch("POST", "/", {**headers, "Authorization": SIGNED.replace("Signature=00", "Signature=" + "0" * 64)}, BODY)


def test_the_proxy_records_each_signature_check_failure(proxy):
    url = urlparse(proxy.endpoint)
    good = socket.create_connection((url.hostname, url.port), timeout=10)
    head = ["POST / HTTP/1.1", f"Host: {url.netloc}", f"Content-Length: {len(BODY)}"] + [f"{k}: {v}" for k, v in botocore_signed(url.netloc).items()]
    good.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + BODY)
    assert answer(good)[0] == 400  # moto: no such table; the signature was right
    assert proxy.signature_mismatches == []
    bad = send(proxy.endpoint)
    answer(bad)
    assert len(proxy.signature_mismatches) == 1 and proxy.signature_mismatches[0].startswith("GetItem #2: ")
    proxy.signature_mismatches.clear()  # expected here: the fixture fails a test that leaves any


def send(endpoint: str, authorization: str | None = SIGNED) -> socket.socket:
    """Sends one GetItem request on a new connection; returns the connection."""
    url = urlparse(endpoint)
    sock = socket.create_connection((url.hostname, url.port), timeout=10)
    head = [
        "POST / HTTP/1.1",
        f"Host: {url.netloc}",
        "X-Amz-Target: DynamoDB_20120810.GetItem",
        "Content-Type: application/x-amz-json-1.0",
        f"Content-Length: {len(BODY)}",
    ]
    if authorization:
        head.append(f"Authorization: {authorization}")
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + BODY)
    return sock


def answer(sock: socket.socket) -> tuple[int, bytes]:
    """(status, body) of the answer on `sock`."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed after {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        body += sock.recv(65536)
    return int(head.split()[1]), body


def error_of(body: bytes) -> str:
    """The error code of a DynamoDB error answer (`__type`'s part after '#')."""
    return json.loads(body)["__type"].rpartition("#")[2]


@pytest.mark.parametrize(
    "fault, status, error",
    [
        (Fault.SERVER_ERROR, 500, "InternalServerError"),
        (Fault.THROTTLED, 400, "ProvisionedThroughputExceededException"),
        (Fault.THROTTLING, 400, "ThrottlingException"),
    ],
)
def test_answering_faults_send_dynamodb_errors(proxy, fault, status, error):
    proxy.inject("GetItem", fault)
    with send(proxy.endpoint) as sock:
        got_status, body = answer(sock)
    assert got_status == status
    assert error_of(body) == error


def test_only_the_planned_request_is_faulted_and_the_others_reach_moto(proxy):
    proxy.inject("GetItem", Fault.THROTTLED, 2)
    statuses = []
    for _ in range(3):
        with send(proxy.endpoint) as sock:
            status, body = answer(sock)
        statuses.append((status, error_of(body)))
    # moto's own answer to a read of a missing table, then the fault, then moto again
    assert statuses == [
        (400, "ResourceNotFoundException"),
        (400, "ProvisionedThroughputExceededException"),
        (400, "ResourceNotFoundException"),
    ]
    assert proxy.injected == [("GetItem", 2, Fault.THROTTLED)]
    assert proxy.calls["GetItem"] == 3


def test_drop_closes_the_connection_without_an_answer(proxy):
    proxy.inject("GetItem", Fault.DROP)
    with send(proxy.endpoint) as sock:
        assert sock.recv(65536) == b""  # an orderly close (FIN), no bytes


def test_reset_resets_the_connection(proxy):
    proxy.inject("GetItem", Fault.RESET)
    with send(proxy.endpoint) as sock:
        with pytest.raises(ConnectionResetError):
            sock.recv(65536)


def test_hold_sends_nothing_until_the_client_gives_up(proxy):
    proxy.inject("GetItem", Fault.HOLD)
    with send(proxy.endpoint) as sock:
        sock.settimeout(0.5)
        with pytest.raises(TimeoutError):
            sock.recv(65536)
    deadline = time.monotonic() + 5
    while proxy.abandoned == 0:
        assert time.monotonic() < deadline, "the proxy did not notice the client hanging up"
        time.sleep(0.02)
    assert proxy.calls["GetItem"] == 1


def test_hold_answers_an_error_when_the_client_outwaits_it(proxy):
    proxy.hold_seconds = 0.2
    proxy.inject("GetItem", Fault.HOLD)
    with send(proxy.endpoint) as sock:
        status, body = answer(sock)
    assert status == 500 and error_of(body) == "InternalServerError"


def test_the_access_key_of_each_request_is_recorded(proxy):
    for authorization in (SIGNED, None):
        with send(proxy.endpoint, authorization) as sock:
            answer(sock)
    assert proxy.access_keys == ["AKIDPROXYTEST", None]
    assert access_key_of("AWS4-HMAC-SHA256 Credential=ASIA1/20260101/eu-west-1/dynamodb/aws4_request") == "ASIA1"


def test_idle_timeout_closes_a_kept_alive_connection_after_its_answer(proxy):
    proxy.idle_timeout = 0.05
    with send(proxy.endpoint) as sock:
        status, _ = answer(sock)
        assert status == 400  # moto: no such table
        assert sock.recv(65536) == b""  # then, idle, the connection is closed
    assert proxy.idle_closed == 1 and proxy.connections == 1
