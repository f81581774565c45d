"""Fixtures: a moto DynamoDB server for the session, a boto3 checker, pydynox clients,
fresh tables, and the sync/async `mode` every behaviour test runs through.

Plain helpers (`call`, `collect`, `boto_get`, ...) live in support.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from support import MODES, free_port, unique_name


# Fake credentials for the whole session, set before anything creates a client, so no
# test can ever reach real AWS with real credentials. Subprocesses inherit them.
# The endpoint is deliberately NOT set globally: every test passes endpoint_url itself.
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
        # No profile or config file of the machine may leak into the tests.
        "AWS_CONFIG_FILE": os.path.join(tempfile.gettempdir(), "pydynox-tests-no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(tempfile.gettempdir(), "pydynox-tests-no-aws-credentials"),
    }
)
for _name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
    os.environ.pop(_name, None)

REGION = "us-east-1"


# --- CI: a skipped test is a failure -------------------------------------------------------------
#
# Tests that need a tool of the test extra (pyright, uvloop, cargo for the stubs) skip when it
# is missing, so a contributor without it can still run the rest. CI (.ci/run) sets
# PYDYNOX_TEST_STRICT=1: there every dependency must be installed, so any skip fails the run
# (an expected failure, xfail, still counts as one).
STRICT = os.environ.get("PYDYNOX_TEST_STRICT") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped, and PYDYNOX_TEST_STRICT=1 (CI) allows no skip: {reason}"


# --- moto server ---------------------------------------------------------------------


def _wait_until_answering(endpoint: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto server exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1):
                return
        except urllib.error.HTTPError:
            return  # it answered, even if not with 200
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"moto server did not answer within 30 s:\n{log.read_text(errors='replace')}")


def _stop(process: subprocess.Popen) -> None:
    """Stops the server and anything it spawned: its own process group, by its PID."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    # Reap anything left in the group (there should be nothing).
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Endpoint URL of a moto server (server mode) on a free loopback port."""
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, so _stop reaches any child
        )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(endpoint, process, log)
        yield endpoint
    finally:
        _stop(process)


# --- boto3, the independent checker -----------------------------------------------------


@pytest.fixture(scope="session")
def boto(moto_endpoint: str) -> Any:
    """A boto3 DynamoDB client on the moto server."""
    return boto3.client(
        "dynamodb",
        endpoint_url=moto_endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


# --- pydynox clients ------------------------------------------------------------------------


@pytest.fixture
def client(moto_endpoint: str) -> Any:
    import pydynox

    return pydynox.DynamoDBClient(endpoint_url=moto_endpoint, region=REGION)


@pytest.fixture
def exact_client(moto_endpoint: str) -> Any:
    """A client returning non-integral numbers as decimal.Decimal."""
    import pydynox

    return pydynox.DynamoDBClient(endpoint_url=moto_endpoint, region=REGION, exact_numbers=True)


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    """ "sync" or "async": which twin of each operation the test goes through."""
    return request.param


# --- tables ----------------------------------------------------------------------------------


@pytest.fixture
def make_table(boto: Any) -> Iterator[Callable[..., str]]:
    """Factory creating fresh tables with boto3 (independent of the code under test);
    every table it made is deleted at the end of the test.

    make_table(hash_key=("pk", "S"), range_key=("sk", "S"), gsis=[...], lsis=[...])
    where each index is (name, (hash_name, hash_type), (range_name, range_type) | None).
    """
    created: list[str] = []

    def make(
        hash_key: tuple[str, str] = ("pk", "S"),
        range_key: tuple[str, str] | None = ("sk", "S"),
        gsis: list[tuple[str, tuple[str, str], tuple[str, str] | None]] = (),
        lsis: list[tuple[str, tuple[str, str], tuple[str, str] | None]] = (),
    ) -> str:
        name = unique_name()
        attributes = {hash_key[0]: hash_key[1]}
        schema = [{"AttributeName": hash_key[0], "KeyType": "HASH"}]
        if range_key:
            attributes[range_key[0]] = range_key[1]
            schema.append({"AttributeName": range_key[0], "KeyType": "RANGE"})

        def index(spec: tuple[str, tuple[str, str], tuple[str, str] | None]) -> dict[str, Any]:
            index_name, index_hash, index_range = spec
            attributes[index_hash[0]] = index_hash[1]
            index_schema = [{"AttributeName": index_hash[0], "KeyType": "HASH"}]
            if index_range:
                attributes[index_range[0]] = index_range[1]
                index_schema.append({"AttributeName": index_range[0], "KeyType": "RANGE"})
            return {
                "IndexName": index_name,
                "KeySchema": index_schema,
                "Projection": {"ProjectionType": "ALL"},
            }

        kwargs: dict[str, Any] = {}
        if gsis:
            kwargs["GlobalSecondaryIndexes"] = [index(g) for g in gsis]
        if lsis:
            kwargs["LocalSecondaryIndexes"] = [index(i) for i in lsis]
        boto.create_table(
            TableName=name,
            KeySchema=schema,
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": t} for n, t in attributes.items()],
            BillingMode="PAY_PER_REQUEST",
            **kwargs,
        )
        boto.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 0.1})
        created.append(name)
        return name

    yield make

    for name in created:
        try:
            boto.delete_table(TableName=name)
        except boto.exceptions.ResourceNotFoundException:
            pass  # the test deleted it itself


@pytest.fixture
def table(make_table: Callable[..., str]) -> str:
    """A fresh, empty table with key (pk S, sk S)."""
    return make_table()


@pytest.fixture(scope="module")
def module_table(boto: Any) -> Iterator[str]:
    """A table with key (pk S, sk S) shared by the tests of one module (property tests that
    would otherwise create a table per example), deleted after them."""
    name = unique_name("mod")
    boto.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    yield name
    boto.delete_table(TableName=name)


# --- a fault-injecting proxy in front of moto (tests/faults.py) -------------------------------


@pytest.fixture
def proxy(moto_endpoint: str) -> Iterator[Any]:
    from faults import FaultProxy

    with FaultProxy(moto_endpoint) as proxy:
        yield proxy
    # Every request the proxy saw was signed as AWS would accept it (tests/faults.py).
    assert not proxy.signature_mismatches, "\n".join(proxy.signature_mismatches)


@pytest.fixture
def proxied(proxy: Any) -> Any:
    """A client whose requests go through the proxy and are never retried."""
    import pydynox

    return pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region=REGION, max_retries=0)


# --- fault tests: every client through one factory (issue 9 item 5) -------------------------
#
# A request takes one of two paths inside pydynox: the direct path (ADR 12, the default)
# or the AWS SDK's orchestrator, chosen per client by PYDYNOX_DIRECT when the client is
# constructed. Fault tests build every client with `fault_client`; other tests that must
# hold on both paths take `request_path` before building their clients.

REQUEST_PATHS = ("direct", "sdk")
_PATH_ENV = {"sdk": "0", "direct": "1"}  # request path -> PYDYNOX_DIRECT


@pytest.fixture(params=REQUEST_PATHS)
def request_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Which request path the clients built by the test take (`PYDYNOX_DIRECT` is read
    when a client is built, so build clients after this fixture)."""
    monkeypatch.setenv("PYDYNOX_DIRECT", _PATH_ENV[request.param])
    return request.param


@pytest.fixture
def path_client(request_path: str, moto_endpoint: str) -> Any:
    """A client built after `request_path` chose its path."""
    import pydynox

    return pydynox.DynamoDBClient(endpoint_url=moto_endpoint, region=REGION)


@pytest.fixture
def counted() -> Iterator[None]:
    """Counts requests from zero for the test (`pydynox_core._requests_sent`), and stops
    counting after it."""
    from pydynox import pydynox_core

    pydynox_core._count_requests(True)
    yield
    pydynox_core._count_requests(False)


@pytest.fixture
def fault_client(proxy: Any, request_path: str, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """Factory of clients whose requests go through the fault proxy on `request_path`:
    fault_client(max_retries=2, read_timeout=0.5, ...) takes DynamoDBClient's options."""
    import pydynox

    def make(**options: Any) -> Any:
        monkeypatch.setenv("PYDYNOX_DIRECT", _PATH_ENV[request_path])
        options.setdefault("region", REGION)
        options.setdefault("endpoint_url", proxy.endpoint)
        return pydynox.DynamoDBClient(**options)

    return make


@pytest.fixture
def drop_table(boto: Any) -> Iterator[Callable[[str], str]]:
    """Registers a table name that a test creates through pydynox, deleted afterwards."""
    names: list[str] = []

    def register(name: str) -> str:
        names.append(name)
        return name

    yield register
    for name in names:
        try:
            boto.delete_table(TableName=name)
        except boto.exceptions.ResourceNotFoundException:
            pass

