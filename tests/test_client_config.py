"""Client configuration and the runtime around it: endpoint from the environment, secrets
kept out of repr and errors, connection errors, threads, a running event loop, fork."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import pydynox
from pydynox.exceptions import ConnectionException

from faults import Fault
from support import boto_get, boto_scan, by_key, call, closed_endpoint, run_python, wait_until

SECRET = "wJalrXUtnFEMI-K7MDENG-do-not-print-me"
TOKEN = "FwoGZXIvYXdzE-session-token-do-not-print"


def unreachable_client(**kwargs):
    return pydynox.DynamoDBClient(
        endpoint_url=closed_endpoint(),
        region="us-east-1",
        connect_timeout=1.0,
        read_timeout=1.0,
        max_retries=0,
        **kwargs,
    )


# --- where the client connects ----------------------------------------------------------


@pytest.mark.parametrize("variable", ["AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL"])
def test_endpoint_from_environment_when_endpoint_url_is_none(request_path, moto_endpoint, boto, table, variable, mode):
    code = (
        "import asyncio, sys, pydynox\n"
        "client = pydynox.DynamoDBClient(region='us-east-1')\n"
        "item = {'pk': 'from-env', 'sk': sys.argv[2]}\n"
        "if sys.argv[3] == 'sync':\n"
        "    client.put_item(sys.argv[1], item)\n"
        "else:\n"
        "    asyncio.run(client.async_put_item(sys.argv[1], item))\n"
    )
    env = {**os.environ, variable: moto_endpoint}

    done = run_python(code, table, variable, mode, env=env, timeout=60)

    assert done.returncode == 0, done.stderr
    assert boto_get(boto, table, {"pk": "from-env", "sk": variable}) is not None


def test_region(moto_endpoint):
    assert pydynox.DynamoDBClient(region="eu-west-1", endpoint_url=moto_endpoint).get_region() == "eu-west-1"
    # conftest sets AWS_REGION=us-east-1 for the session
    assert pydynox.DynamoDBClient(endpoint_url=moto_endpoint).get_region() == "us-east-1"


def test_explicit_credentials_are_used(fault_client, proxy, boto, table, mode):
    # The environment has keys too (conftest), and moto accepts any: only the access key id
    # the proxy saw in the signature tells which credentials signed the request.
    client = fault_client(access_key="AKIDEXAMPLE", secret_key=SECRET)
    # The proxy's signature check must know this key's secret: the request is then also
    # proved to be signed with the secret given here, not the environment's.
    proxy.signature_check.secrets["AKIDEXAMPLE"] = SECRET

    call(client, mode, "put_item", table, {"pk": "creds", "sk": "x"})

    assert proxy.access_keys == ["AKIDEXAMPLE"], "signed with the environment's key, not the client's"
    assert boto_get(boto, table, {"pk": "creds", "sk": "x"}) is not None


# --- secrets ------------------------------------------------------------------------------


def test_repr_never_shows_the_secret_key(moto_endpoint):
    client = pydynox.DynamoDBClient(
        endpoint_url=moto_endpoint, region="us-east-1", access_key="AKIDEXAMPLE", secret_key=SECRET, session_token=TOKEN
    )

    for text in (repr(client), str(client)):
        assert SECRET not in text
        assert SECRET[:12] not in text
        assert TOKEN not in text, "the session token is a secret too"


def test_errors_never_show_the_secret_key(request_path, mode):
    client = unreachable_client(access_key="AKIDEXAMPLE", secret_key=SECRET, session_token=TOKEN)

    with pytest.raises(ConnectionException) as info:
        call(client, mode, "get_item", "t", {"pk": "a"})

    text = f"{info.value!s} {info.value!r} {info.value.args!r}"
    assert SECRET not in text
    assert TOKEN not in text


# --- failures to connect -----------------------------------------------------------------------


def test_unreachable_endpoint_raises_connection_exception(request_path, mode):
    client = unreachable_client()
    started = time.monotonic()

    with pytest.raises(ConnectionException):
        call(client, mode, "get_item", "t", {"pk": "a"})

    assert time.monotonic() - started < 20


def test_read_timeout_raises_connection_exception(fault_client, proxy, mode):
    # The proxy holds the request for a minute, then answers HTTP 500: only a client that hung
    # up on its own read timeout raises ConnectionException and leaves the request abandoned.
    proxy.hold_seconds = 60.0
    proxy.inject("GetItem", Fault.HOLD)
    client = fault_client(read_timeout=0.5, max_retries=0)

    with pytest.raises(ConnectionException):
        call(client, mode, "get_item", "t", {"pk": "a"})

    assert proxy.injected == [("GetItem", 1, Fault.HOLD)]
    if mode == "async":
        # The async twin's request is dropped on the runtime's threads at once; a sync call's
        # connection is closed only when that thread's runtime next runs (its next call).
        assert wait_until(lambda: proxy.abandoned == 1), "the client did not hang up"


def test_missing_credentials_raise_credentials_exception(request_path, moto_endpoint, mode):
    code = (
        "import asyncio, sys, pydynox\n"
        "from pydynox.exceptions import CredentialsException\n"
        "client = pydynox.DynamoDBClient(endpoint_url=sys.argv[1], region='us-east-1', max_retries=0)\n"
        "try:\n"
        "    if sys.argv[2] == 'sync':\n"
        "        client.get_item('t', {'pk': 'a'})\n"
        "    else:\n"
        "        asyncio.run(client.async_get_item('t', {'pk': 'a'}))\n"
        "except CredentialsException as e:\n"
        "    print('CredentialsException', e)\n"
        "    sys.exit(0)\n"
        "except Exception as e:\n"
        "    print('wrong exception', type(e).__name__, e)\n"
        "    sys.exit(1)\n"
        "print('no exception')\n"
        "sys.exit(1)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}

    done = run_python(code, moto_endpoint, mode, env=env, timeout=90)

    assert done.returncode == 0, done.stdout + done.stderr


# --- threads, event loops, fork ----------------------------------------------------------------


def test_sync_calls_from_eight_threads_at_once(request_path, client, boto, table):
    # Sync only: threads are how sync callers go concurrent (test_awaitables covers loops in threads).
    def worker(n):
        for i in range(10):
            item = {"pk": f"thread#{n}", "sk": f"{i:02d}", "n": n * 100 + i}
            client.put_item(table, item)
            assert client.get_item(table, {"pk": item["pk"], "sk": item["sk"]}) == item
        return n

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(worker, n) for n in range(8)]
        assert [f.result(timeout=120) for f in futures] == list(range(8))

    expected = [{"pk": f"thread#{n}", "sk": f"{i:02d}", "n": n * 100 + i} for n in range(8) for i in range(10)]
    assert by_key(boto_scan(boto, table)) == by_key(expected)


def test_sync_call_inside_a_running_event_loop_does_not_deadlock(moto_endpoint, table):
    """A sync method called from `async def` code (a common mistake, and legal) must
    complete, and the async twin must still work afterwards in the same loop. Run in a
    subprocess so a deadlock fails by timeout instead of hanging the suite."""
    code = (
        "import asyncio, sys, pydynox\n"
        "client = pydynox.DynamoDBClient(endpoint_url=sys.argv[1], region='us-east-1')\n"
        "key = {'pk': 'loop', 'sk': 'x'}\n"
        "async def main():\n"
        "    client.put_item(sys.argv[2], {**key, 'v': 1})\n"
        "    sync_read = client.get_item(sys.argv[2], key)\n"
        "    async_read = await client.async_get_item(sys.argv[2], key)\n"
        "    return sync_read, async_read\n"
        "print(asyncio.run(main()) == ({**key, 'v': 1},) * 2)\n"
    )

    done = run_python(code, moto_endpoint, table, timeout=60)

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


def test_client_created_before_fork_works_in_the_child(request_path, client, boto, table, mode):
    item = {"pk": "fork", "sk": "x", "v": 1}
    client.put_item(table, item)  # the parent's runtime is up and has connections open

    pid = os.fork()
    if pid == 0:  # child: report through the exit code only
        code = 1
        try:
            code = 0 if call(client, mode, "get_item", table, {"pk": "fork", "sk": "x"}) == item else 3
            call(client, mode, "put_item", table, {"pk": "fork", "sk": "child"})
        except BaseException:
            code = 2
        finally:
            os._exit(code)

    deadline = time.monotonic() + 60
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            pytest.fail("the forked child hung on its first call")
        time.sleep(0.05)

    assert os.waitstatus_to_exitcode(status) == 0, "child: 2 = raised, 3 = wrong item"
    assert boto_get(boto, table, {"pk": "fork", "sk": "child"}) is not None
    assert client.get_item(table, {"pk": "fork", "sk": "x"}) == item, "the parent still works"
