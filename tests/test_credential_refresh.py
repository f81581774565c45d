"""Credentials that expire are refreshed, on every request path (issue 9, item 5).

The client takes its credentials from a profile whose `credential_process`
(tests/credential_process.py) issues a new access key id each run, valid for a few seconds.
The SDK's identity cache treats credentials as expired 10 s before their `Expiration` (its
buffer) plus a random 0-5 s jitter added to the expiration, so with an `Expiration` of
10 s + FRESH ahead a key is certainly reused for FRESH seconds after it was issued and
certainly replaced once FRESH + 5 s have passed.

The fault proxy records the access key id that signed each request (moto accepts any):
- every request before the refresh is signed with the first key and the process ran once
  (the cached key is reused, not fetched per request);
- once the first key expires the next request is signed with a new key, the process has run
  exactly twice, and every path works with the new key.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path as FilePath
from typing import Any

import pytest

from pydynox.exceptions import CredentialsException

from support import boto_put_many, by_key
from test_fault_paths import ITEMS, PATHS, stored

PROCESS = FilePath(__file__).with_name("credential_process.py")

FRESH = 3.0  # seconds the first key is certainly reused after it is issued
BUFFER = 10.0  # the SDK identity cache's buffer before an expiration
JITTER = 5.0  # the most that cache adds to an expiration (0.5 x the buffer)


def runs_of(runs_file: FilePath) -> list[tuple[int, float]]:
    """(run number, unix time it ran) of each run of the credential process so far."""
    if not runs_file.exists():
        return []
    return [(int(n), float(at)) for n, at in (line.split() for line in runs_file.read_text().splitlines())]


@pytest.fixture
def credential_profile(tmp_path: FilePath, monkeypatch: pytest.MonkeyPatch) -> Any:
    """profile(*process_args) writes a config whose profile `refreshing` takes its credentials
    from the counting credential process (tests/credential_process.py) with those arguments,
    and returns the file the process counts its runs in. The environment's static test keys
    are removed for the test: they come first in the SDK's credential chain."""
    runs = tmp_path / "runs"
    config = tmp_path / "config"
    credentials = tmp_path / "credentials"
    credentials.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)

    def profile(*process_args: object) -> FilePath:
        command = " ".join(str(part) for part in (sys.executable, PROCESS, runs, *process_args))
        config.write_text(f"[profile refreshing]\ncredential_process = {command}\n")
        return runs

    return profile


def run_every_path(client: Any, mode: str, read_table: str, write_tables: dict[str, str]) -> dict[str, Any]:
    """Runs each path once (writes each on its own table); returns what the reads returned."""
    results = {}
    for path in PATHS:
        if path.writes:
            path.run(client, mode, write_tables[path.name])
        else:
            results[path.name] = path.run(client, mode, read_table)
    return results


def check_outcomes(boto: Any, results: dict[str, Any], read_table: str, write_tables: dict[str, str]) -> None:
    for path in PATHS:
        if path.writes:
            table = write_tables[path.name]
            assert stored(boto, table) == by_key(path.expected(table)), path.name
        else:
            assert results[path.name] == path.expected(read_table), path.name


def test_expiring_credentials_are_reused_then_refreshed(
    credential_profile: Any, fault_client: Any, proxy: Any, boto: Any, make_table: Any, mode: str
) -> None:
    # The first key expires in BUFFER + FRESH seconds; later keys outlive the test.
    runs = credential_profile(BUFFER + FRESH, 300)
    read_table = make_table()
    boto_put_many(boto, read_table, ITEMS)
    write_tables = {}
    for round_ in (1, 2):
        for path in PATHS:
            if path.writes:
                write_tables[(round_, path.name)] = table = make_table()
                boto_put_many(boto, table, ITEMS)

    client = fault_client(profile="refreshing")

    # Round 1: every path, with the first key.
    first = {name: t for (r, name), t in write_tables.items() if r == 1}
    results = run_every_path(client, mode, read_table, first)
    [(_, issued)] = runs_of(runs)
    check_outcomes(boto, results, read_table, first)

    # Wait for the first key to expire: single reads until a request carries a new key. The
    # minute only bounds a failure (the key is certainly replaced FRESH + JITTER s after it
    # was issued); a slow machine makes the wait longer, never the test fail.
    deadline = time.monotonic() + 60
    while proxy.access_keys[-1] == "ASIARUN1":
        assert time.monotonic() < deadline, f"still signing with the first key {time.time() - issued:.1f} s after it was issued"
        time.sleep(0.2)
        assert PATHS[0].run(client, mode, read_table) == ITEMS[1]
    keys = proxy.access_keys
    switch = keys.index("ASIARUN2")
    assert keys[:switch] == ["ASIARUN1"] * switch, "requests before the refresh reuse the cached key"
    assert set(keys[switch:]) == {"ASIARUN2"}, "after the refresh, no request goes back to the old key"
    # A request that arrived before the key's certain lifetime was over was signed before it
    # too: the key was not replaced early. (A loaded machine may refresh it in the middle
    # of round 1, so only arrival times tell which requests had to reuse it.)
    early = [seen.access_key for seen in proxy.seen if seen.at < issued + FRESH]
    assert set(early) <= {"ASIARUN1"}, "the first key was replaced before its expiry was near"
    assert switch >= 2, "the cached key served more than one request"

    # Round 2: every path, with the second key; the process ran once more, not per request.
    second = {name: t for (r, name), t in write_tables.items() if r == 2}
    proxy.seen.clear()
    results = run_every_path(client, mode, read_table, second)
    check_outcomes(boto, results, read_table, second)
    assert set(proxy.access_keys) == {"ASIARUN2"}
    assert [n for n, _ in runs_of(runs)] == [1, 2], "the credential process ran once per key"


def test_credentials_inside_the_refresh_buffer_are_fetched_per_request_and_a_failed_fetch_raises(
    credential_profile: Any, fault_client: Any, proxy: Any, boto: Any, table: str, mode: str
) -> None:
    """Credentials expiring sooner than the cache's buffer are stale as soon as they are
    cached, so each request runs the process; when it fails, the call raises
    CredentialsException (nothing is sent unsigned, nothing hangs)."""
    runs = credential_profile("--fail-from", 3, BUFFER / 2)
    boto_put_many(boto, table, ITEMS)
    client = fault_client(profile="refreshing")
    get = PATHS[0]

    assert get.run(client, mode, table) == ITEMS[1]
    assert get.run(client, mode, table) == ITEMS[1]
    assert proxy.access_keys == ["ASIARUN1", "ASIARUN2"]

    with pytest.raises(CredentialsException) as raised:
        get.run(client, mode, table)
    assert "credential" in str(raised.value).lower(), str(raised.value)
    assert [n for n, _ in runs_of(runs)] == [1, 2, 3]
    assert len(proxy.seen) == 2, "the request without credentials was not sent"
