"""Calls are time-bounded and interruptible (issue 7, defects 3, 4 and 10): default
timeouts, `None` to disable them, TimeoutError-compatible exceptions, Ctrl-C ending a sync
wait promptly, and sync calls made while an async twin's result is converted."""

from __future__ import annotations

import inspect
import json
import os
import signal
import subprocess
import sys
import time

import pytest

import pydynox
from pydynox.exceptions import ConnectionException, ParamValidationException, RequestTimeoutException

from faults import Fault
from support import boto_put_many, boto_scan, by_key, call, run_python, slow_dynamodb, wait_until


def test_timeouts_have_defaults():
    parameters = inspect.signature(pydynox.DynamoDBClient).parameters

    assert parameters["connect_timeout"].default == 5.0
    assert parameters["read_timeout"].default == 30.0
    assert parameters["operation_timeout"].default == 60.0


@pytest.mark.parametrize("setting", ["read_timeout", "operation_timeout"])
def test_a_timeout_raises_a_timeout_error(fault_client, proxy, mode, request_path, setting):
    # Held for a minute, then answered HTTP 500: only the client's own timeout can raise
    # RequestTimeoutException, and it leaves the request abandoned at the proxy.
    proxy.hold_seconds = 60.0
    proxy.inject("GetItem", Fault.HOLD)
    client = fault_client(max_retries=0, **{setting: 0.3})

    with pytest.raises(RequestTimeoutException) as info:
        call(client, mode, "get_item", "orders", {"pk": "a"})

    assert isinstance(info.value, TimeoutError) and isinstance(info.value, ConnectionException)
    assert "get_item on table 'orders'" in str(info.value)
    assert proxy.injected == [("GetItem", 1, Fault.HOLD)]
    if mode == "async" or request_path == "direct":
        # The async twin's request is dropped on the runtime's threads at once, and a sync
        # call on the direct path closes its own socket (ADR 30). A sync call on the SDK
        # path leaves its connection to the connector's task, which runs only in that
        # thread's next call.
        assert wait_until(lambda: proxy.abandoned == 1), "the timed-out request's connection is still open"


def test_operation_timeout_covers_retries_and_their_backoff(fault_client, proxy, mode):
    """Every attempt is held until the client's read timeout (0.5 s) and retried, up to 10
    times: the operation timeout (1.5 s) ends the call long before the 11 attempts a
    per-attempt bound would allow."""
    proxy.hold_seconds = 60.0
    proxy.inject("GetItem", Fault.HOLD, *range(1, 12))
    client = fault_client(max_retries=10, read_timeout=0.5, operation_timeout=1.5)

    with pytest.raises(RequestTimeoutException):
        call(client, mode, "get_item", "orders", {"pk": "a"})

    assert 1 <= proxy.calls["GetItem"] < 11, f"{proxy.calls['GetItem']} attempts: the retries ran past the operation timeout"


def test_wait_for_table_active_raises_a_plain_timeout_error(fault_client, proxy, table, mode):
    """The proxy answers every DescribeTable with the table still CREATING."""

    def still_creating(request):
        def answer(described):
            described["Table"]["TableStatus"] = "CREATING"
            return described

        return request, answer

    proxy.intercept["DescribeTable"] = still_creating
    client = fault_client()

    with pytest.raises(TimeoutError) as info:
        call(client, mode, "wait_for_table_active", table, timeout_seconds=1)

    assert not isinstance(info.value, ConnectionException), f"a request timeout, not the table's: {info.value!r}"
    assert proxy.calls["DescribeTable"] >= 2, "the table was polled until the time ran out"


def test_none_disables_the_timeouts(request_path, mode):
    with slow_dynamodb(delay=1.0) as endpoint:
        client = pydynox.DynamoDBClient(
            endpoint_url=endpoint,
            region="us-east-1",
            max_retries=0,
            connect_timeout=None,
            read_timeout=None,
            operation_timeout=None,
        )

        assert call(client, mode, "get_item", "orders", {"pk": "a"}) is None


@pytest.mark.parametrize("setting", ["connect_timeout", "read_timeout", "operation_timeout"])
@pytest.mark.parametrize("value", [1e20, float("inf"), float("nan"), 0.0, -1.0])
def test_out_of_range_timeouts_are_rejected(setting, value):
    with pytest.raises(ParamValidationException) as info:
        pydynox.DynamoDBClient(region="us-east-1", **{setting: value})

    assert setting in str(info.value)


@pytest.mark.parametrize("seconds", [2**63 - 1, 10**10, -1])
def test_out_of_range_wait_is_rejected(client, mode, seconds):
    with pytest.raises(ParamValidationException) as info:
        call(client, mode, "wait_for_table_active", "orders", timeout_seconds=seconds)

    assert "timeout_seconds" in str(info.value)


# --- a sync call ends promptly when a signal handler raises -----------------------------------
# Sync only: signals interrupt a blocking wait; an async twin is cancelled instead (its Ctrl-C
# test is in test_awaitables.py).

INTERRUPTED = r"""
import json, signal, sys, time, pydynox

class Alarm(Exception):
    pass

def on_alarm(signum, frame):
    raise Alarm()

# A process started in the background by a shell without job control inherits SIGINT
# ignored, and Python then leaves it ignored; this test is about Ctrl-C reaching the call.
signal.signal(signal.SIGINT, signal.default_int_handler)
signal.signal(signal.SIGALRM, on_alarm)
endpoint, operation, table = sys.argv[1:4]
# Timeouts longer than the test waits: only the signal can end the held call.
client = pydynox.DynamoDBClient(endpoint_url=endpoint, region="us-east-1", max_retries=0, read_timeout=600, operation_timeout=600)
key = {"pk": "a", "sk": "b"}
if operation == "resume":
    pager = client.scan(table, page_size=1)
    first = next(pager)  # page 2 is requested ahead now: the proxy holds it
interrupted = {
    "get_item": lambda: client.get_item(table, key),
    "put_item": lambda: client.put_item(table, {**key, "v": "interrupted"}),
    "scan": lambda: next(client.scan(table)),
    "to_list": lambda: client.scan(table).to_list(),
    "resume": lambda: next(pager),
}[operation]
again = {
    "get_item": lambda: client.get_item(table, key),
    "put_item": lambda: client.get_item(table, key),
    "scan": lambda: list(client.scan(table)),
    "to_list": lambda: client.scan(table).to_list(),
    "resume": lambda: [first, *pager],  # the same pager, asking for the same page again
}[operation]
try:
    # Inside the try: for `resume` the held request is already at the proxy, so the signal
    # may come while this print returns, before the call is entered.
    print("calling", flush=True)
    interrupted()
    print("not interrupted", flush=True)
except (KeyboardInterrupt, Alarm) as stopped:
    print(type(stopped).__name__, time.monotonic(), flush=True)
assert sys.stdin.readline() == "go\n"  # the test has looked at the proxy
print(json.dumps(again()), flush=True)
"""

SIGNALS = {"SIGINT": (signal.SIGINT, "KeyboardInterrupt"), "SIGALRM": (signal.SIGALRM, "Alarm")}
HELD = {"get_item": ("GetItem", 1), "put_item": ("PutItem", 1), "scan": ("Scan", 1), "to_list": ("Scan", 1), "resume": ("Scan", 2)}
ITEMS = [{"pk": "a", "sk": "b"}, {"pk": "a", "sk": "c"}, {"pk": "a", "sk": "d"}]
# The docs promise about 50 ms; ten times that and more, so a busy machine cannot break it.
# (The real latency is a benchmark's business, not this test's.)
PROMPT = 1.5


@pytest.mark.parametrize(
    "operation, signal_name",
    [("get_item", "SIGINT"), ("scan", "SIGINT"), ("to_list", "SIGINT"), ("resume", "SIGINT"), ("put_item", "SIGALRM")],
)
def test_a_signal_ends_a_sync_call_promptly_and_the_client_carries_on(proxy, boto, table, operation, signal_name):
    """The proxy holds the request; once it has arrived the signal is sent. The call ends
    with the handler's exception, the held request's connection is dropped before the client
    is used again, and the same client then works. For `resume`, the interrupted wait was on
    a page requested ahead: the same pager carries on with that request, and no item is lost
    or repeated."""
    boto_put_many(boto, table, ITEMS)
    action, number = HELD[operation]
    proxy.hold_seconds = 600.0
    if operation == "resume":
        # A page fetched ahead is kept through the interrupt for the next call to wait on
        # (pager.rs): it is held until the test lets it through, then answered.
        opened = proxy.gate(action, number)
    else:
        proxy.inject(action, Fault.HOLD, number)
    signum, raised = SIGNALS[signal_name]
    child = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED, proxy.endpoint, operation, table],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline() == "calling\n", child.stderr.read()
        assert wait_until(lambda: proxy.calls[action] >= number), "the request never arrived"
        sent = time.monotonic()  # CLOCK_MONOTONIC: the same clock in the child
        os.kill(child.pid, signum)
        stopped = child.stdout.readline()
        if operation == "resume":
            dropped = proxy.abandoned == 0  # kept, not dropped
            opened.set()
        else:
            # Before the client is used again: nothing else could close the connection.
            dropped = wait_until(lambda: proxy.abandoned == 1)
        out, err = child.communicate("go\n", timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()

    assert child.returncode == 0, err
    word, at = stopped.split()
    assert word == raised, stopped + out
    assert float(at) - sent < PROMPT, f"took {(float(at) - sent) * 1000:.0f} ms"
    assert dropped, "the interrupted request's connection was not dropped (or, ahead of a pager, not kept)"
    again = out.strip()
    expected = {"get_item": ITEMS[0], "put_item": ITEMS[0], "scan": ITEMS, "to_list": ITEMS, "resume": ITEMS}[operation]
    got = json.loads(again)
    assert (by_key(got) if isinstance(got, list) else got) == expected
    assert by_key(boto_scan(boto, table)) == ITEMS, "the interrupted write was not applied"


# --- Python code run while an async twin converts its result --------------------------------------
# The result of an async twin is converted on the awaiting loop's thread (ADR 8), never on one
# of pydynox's runtime threads, so Python code run during the conversion (here a sync call
# from a result class) behaves as anywhere in the loop: it works, blocking the loop meanwhile.
# (`runtime::wait` still refuses sync calls made on a runtime thread.)

DURING_CONVERSION = r"""
import asyncio, sys, threading, pydynox, pydynox._results

client = pydynox.DynamoDBClient(endpoint_url=sys.argv[1], region="us-east-1")
outcome = []

class Meddling(pydynox._results.ListWithMetrics):
    # Runs while the twin converts its result.
    def __init__(self, *args):
        super().__init__(*args)
        try:
            got = client.get_item(sys.argv[2], {"pk": "a", "sk": "b"})
            outcome.append(f"{threading.current_thread().name} {got}")
        except BaseException as error:
            outcome.append(f"{type(error).__module__}.{type(error).__name__}: {error}")

pydynox._results.ListWithMetrics = Meddling

async def main():
    await client.async_execute_statement(f'SELECT * FROM "{sys.argv[2]}"')

asyncio.run(main())
print(outcome[0])
"""


def test_async_results_are_converted_on_the_loop_thread(moto_endpoint, table):
    # Async only: only an async twin converts its result on another thread than the caller's.
    done = run_python(DURING_CONVERSION, moto_endpoint, table, timeout=60)

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "MainThread None", done.stdout
