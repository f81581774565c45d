"""Calls are time-bounded and interruptible (issue 7, defects 3, 4 and 10): default
timeouts, `None` to disable them, TimeoutError-compatible exceptions, Ctrl-C ending a sync
wait promptly, and sync calls made while an async twin's result is converted."""

from __future__ import annotations

import inspect
import time

import pytest

import pydynox
from pydynox.exceptions import ConnectionException, ParamValidationException, RequestTimeoutException

from support import call, run_python, slow_dynamodb


def test_timeouts_have_defaults():
    parameters = inspect.signature(pydynox.DynamoDBClient).parameters

    assert parameters["connect_timeout"].default == 5.0
    assert parameters["read_timeout"].default == 30.0
    assert parameters["operation_timeout"].default == 60.0


@pytest.mark.parametrize("setting", ["read_timeout", "operation_timeout"])
def test_a_timeout_raises_a_timeout_error(request_path, mode, setting):
    with slow_dynamodb(delay=5.0) as endpoint:
        client = pydynox.DynamoDBClient(endpoint_url=endpoint, region="us-east-1", max_retries=0, **{setting: 0.3})
        started = time.monotonic()

        with pytest.raises(RequestTimeoutException) as info:
            call(client, mode, "get_item", "orders", {"pk": "a"})

    assert time.monotonic() - started < 3.0
    assert isinstance(info.value, TimeoutError) and isinstance(info.value, ConnectionException)
    assert "get_item on table 'orders'" in str(info.value)


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

INTERRUPTED = r"""
import os, signal, sys, threading, time, pydynox

# A process started in the background by a shell without job control inherits SIGINT
# ignored, and Python then leaves it ignored; this test is about Ctrl-C reaching the call.
signal.signal(signal.SIGINT, signal.default_int_handler)
client = pydynox.DynamoDBClient(endpoint_url=sys.argv[1], region="us-east-1", max_retries=0)
calls = {
    "get_item": lambda: client.get_item("t", {"pk": "a"}),
    "scan": lambda: next(client.scan("t")),
    "to_list": lambda: client.scan("t").to_list(),
}
sent = None

def interrupt():
    global sent
    time.sleep(0.5)
    sent = time.monotonic()
    os.kill(os.getpid(), signal.SIGINT)

threading.Thread(target=interrupt).start()
try:
    calls[sys.argv[2]]()
    print("not interrupted")
except KeyboardInterrupt:
    print("interrupted", time.monotonic() - sent)
client.get_item  # the client is still usable afterwards
"""


@pytest.mark.parametrize("operation", ["get_item", "scan", "to_list"])
def test_ctrl_c_ends_a_sync_call_within_100_ms(operation):
    with slow_dynamodb(delay=30.0) as endpoint:
        done = run_python(INTERRUPTED, endpoint, operation, timeout=60)

    assert done.returncode == 0, done.stderr
    word, *latency = done.stdout.split()
    assert word == "interrupted", done.stdout
    assert float(latency[0]) < 0.15, f"took {float(latency[0]) * 1000:.0f} ms"


ALARM = r"""
import signal, sys, time, pydynox

class Alarm(Exception):
    pass

def on_alarm(signum, frame):
    raise Alarm()

signal.signal(signal.SIGALRM, on_alarm)
client = pydynox.DynamoDBClient(endpoint_url=sys.argv[1], region="us-east-1", max_retries=0)
started = time.monotonic()
signal.setitimer(signal.ITIMER_REAL, 0.4)
try:
    client.put_item("t", {"pk": "a"})
except Alarm:
    print(time.monotonic() - started)
"""


def test_any_signal_handler_that_raises_ends_the_wait():
    with slow_dynamodb(delay=30.0) as endpoint:
        done = run_python(ALARM, endpoint, timeout=60)

    assert done.returncode == 0, done.stderr
    assert 0.35 < float(done.stdout) < 0.55, done.stdout


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
    done = run_python(DURING_CONVERSION, moto_endpoint, table, timeout=60)

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "MainThread None", done.stdout
