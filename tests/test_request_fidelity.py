"""What a real AWS user's requests meet and moto does not check, on both request paths
(`fault_client` builds each client on the direct path and on the SDK's, conftest.py):

- a server whose clock is ahead or behind: its `Date` shows the skew and a request signed
  over 5 minutes away from it is refused; the client signs again with the server's time,
  unless AWS_DISABLE_CLOCK_SKEW_CORRECTION is set;
- `x-amz-retry-after`: the retry waits as long as the server asked;
- a connection reset after the response head, in the middle of the body: retried;
- a 5xx answer: the retry goes out on a new connection (the SDK's connection poisoning).

Every request's signature is checked by the proxy as it is everywhere (tests/faults.py), and
tests/test_faults_proxy.py shows that the check rejects what it should.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from faults import Fault
from pydynox.exceptions import PydynoxException
from support import MODES, boto_put_many, call

ITEM = {"pk": "p", "sk": "s", "n": 1}
KEY = {"pk": "p", "sk": "s"}


def get(client: Any, mode: str, table: str) -> Any:
    return call(client, mode, "get_item", table, KEY)


def gets(proxy: Any) -> list[Any]:
    return [seen for seen in proxy.seen if seen.operation == "GetItem"]


def retry_after_a_server_error(client: Any, mode: str, proxy: Any, table: str) -> tuple[Any, Any]:
    """The failed request and its retry (as the proxy saw them) of a GetItem answered 500
    once, sent after a first GetItem left a kept-alive connection to reuse."""
    assert get(client, mode, table) == ITEM
    proxy.inject("GetItem", Fault.SERVER_ERROR, 2)
    assert get(client, mode, table) == ITEM
    failed, retried = gets(proxy)[1:]
    assert failed.fault == Fault.SERVER_ERROR and retried.fault is None
    return failed, retried


@pytest.mark.parametrize("skew", [timedelta(minutes=10), timedelta(minutes=-10)], ids=["server-ahead", "server-behind"])
@pytest.mark.parametrize("mode", MODES)
def test_a_skewed_server_clock_is_learnt_and_requests_signed_with_it(skew, mode, fault_client, proxy, boto, table):
    boto_put_many(boto, table, [ITEM])
    proxy.clock_skew = skew
    client = fault_client(max_retries=2)

    assert get(client, mode, table) == ITEM
    first = len(gets(proxy))
    assert first == 2, "the request signed with the client's clock is refused, the one signed with the server's is not"
    assert get(client, mode, table) == ITEM
    assert len(gets(proxy)) == first + 1, "the next call starts from the skew learnt"


@pytest.mark.parametrize("mode", MODES)
def test_skew_correction_can_be_turned_off(mode, fault_client, proxy, boto, table, monkeypatch):
    boto_put_many(boto, table, [ITEM])
    proxy.clock_skew = timedelta(minutes=10)
    monkeypatch.setenv("AWS_DISABLE_CLOCK_SKEW_CORRECTION", "true")
    client = fault_client(max_retries=2)

    with pytest.raises(PydynoxException, match="Signature expired"):
        get(client, mode, table)
    assert len(gets(proxy)) == 1, "not sent again with the server's time"


@pytest.mark.parametrize("mode", MODES)
def test_x_amz_retry_after_sets_the_wait_before_the_retry(mode, fault_client, proxy, boto, table):
    boto_put_many(boto, table, [ITEM])
    # Without the header the first retry waits under a second (full jitter of 1 s).
    wait_ms = 1500
    proxy.inject("GetItem", Fault.retry_after(wait_ms), 1)
    client = fault_client(max_retries=1)

    assert get(client, mode, table) == ITEM
    throttled, retried = gets(proxy)
    assert throttled.fault and not retried.fault
    assert retried.at - throttled.at >= wait_ms / 1000, "the retry came sooner than the server asked"


@pytest.mark.parametrize("mode", MODES)
def test_a_reset_in_the_middle_of_the_body_is_retried(mode, fault_client, proxy, boto, table):
    boto_put_many(boto, table, [ITEM])
    proxy.inject("GetItem", Fault.RESET_AFTER_HEADERS, 1)
    client = fault_client(max_retries=1)

    assert get(client, mode, table) == ITEM
    assert [seen.fault for seen in gets(proxy)] == [Fault.RESET_AFTER_HEADERS, None]


@pytest.mark.parametrize("mode", MODES)
def test_a_reset_in_the_middle_of_the_body_without_retries_raises(mode, fault_client, proxy, boto, table):
    boto_put_many(boto, table, [ITEM])
    proxy.inject("GetItem", Fault.RESET_AFTER_HEADERS, 1)
    client = fault_client(max_retries=0)

    with pytest.raises(PydynoxException):
        get(client, mode, table)
    assert len(gets(proxy)) == 1


@pytest.mark.parametrize("mode", MODES)
def test_the_retry_after_a_server_error_takes_a_new_connection(mode, fault_client, proxy, boto, table):
    boto_put_many(boto, table, [ITEM])
    failed, retried = retry_after_a_server_error(fault_client(max_retries=1), mode, proxy, table)
    assert retried.connection != failed.connection, "the retry was sent on the connection that answered 500"


@pytest.mark.parametrize("mode", MODES)
def test_under_retry_behavior_2_1_the_retry_keeps_the_connection(mode, fault_client, proxy, boto, table, monkeypatch):
    # Retry Behavior 2.1 reuses every connection (the SDK's ReconnectMode::ReuseAllConnections);
    # max_retries is left out so that the retry policy comes from the environment.
    monkeypatch.setenv("AWS_NEW_RETRIES_2026", "true")
    boto_put_many(boto, table, [ITEM])
    failed, retried = retry_after_a_server_error(fault_client(), mode, proxy, table)
    assert retried.connection == failed.connection
