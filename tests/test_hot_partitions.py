"""Hot-partition diagnostics (`pydynox.diagnostics`, client `diagnostics=`, ModelConfig's
`hot_partition_*`; ADR 23): every read and write path feeds the detector, which warns on
logger `pydynox.diagnostics` naming the table and key when a key reaches its threshold."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from conftest import REGION
from support import call, collect

import pydynox
from pydynox.diagnostics import HotPartitionDetector


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "pydynox.diagnostics" and r.levelno == logging.WARNING]


def watched(endpoint: str, writes: int = 5, reads: int = 5) -> Any:
    detector = HotPartitionDetector(writes_threshold=writes, reads_threshold=reads, window_seconds=60)
    return pydynox.DynamoDBClient(endpoint_url=endpoint, region=REGION, diagnostics=detector)


def test_a_hot_key_warns_once_naming_table_and_key(
    moto_endpoint: str, table: str, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="pydynox.diagnostics")
    client = watched(moto_endpoint)
    for i in range(7):
        call(client, mode, "put_item", table, {"sk": f"s{i}", "pk": "HOT"})
    assert warnings_of(caplog) == [f'Hot partition detected - table="{table}" pk="HOT" had 5 writes in 60s']
    assert client.diagnostics.get_write_count(table, "HOT") == 5


def test_spread_keys_do_not_warn(moto_endpoint: str, table: str, mode: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="pydynox.diagnostics")
    client = watched(moto_endpoint, writes=3, reads=3)
    for i in range(12):
        call(client, mode, "put_item", table, {"pk": f"k{i}", "sk": "s"})
        call(client, mode, "get_item", table, {"pk": f"k{i}", "sk": "s"})
    assert warnings_of(caplog) == []
    assert client.diagnostics.get_write_count(table, "k0") == 1
    assert client.diagnostics.get_read_count(table, "k0") == 1


@pytest.mark.parametrize("path", ["get_item", "query", "batch_write", "batch_get", "update_item", "delete_item"])
def test_every_read_and_write_path_feeds_the_detector(
    moto_endpoint: str, table: str, mode: str, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="pydynox.diagnostics")
    client = watched(moto_endpoint, writes=4, reads=4)
    keys = [{"pk": "HOT", "sk": f"s{i}"} for i in range(4)]
    if path == "get_item":
        for k in keys:
            call(client, mode, "get_item", table, k)
    elif path == "query":
        for _ in range(4):
            collect(client, mode, "query", table, key_condition_expression="pk = :p", expression_attribute_values={":p": "HOT"})
    elif path == "batch_write":
        call(client, mode, "batch_write", table, put_items=keys)
    elif path == "batch_get":
        call(client, mode, "batch_get", table, keys)
    elif path == "update_item":
        for k in keys:
            call(client, mode, "update_item", table, k, updates={"n": 1})
    else:
        for k in keys:
            call(client, mode, "delete_item", table, k)
    kind = "reads" if path in ("get_item", "query", "batch_get") else "writes"
    assert warnings_of(caplog) == [f'Hot partition detected - table="{table}" pk="HOT" had 4 {kind} in 60s']


def test_a_model_sets_its_own_thresholds(moto_endpoint: str, table: str, caplog: pytest.LogCaptureFixture) -> None:
    # Sync only: the override is applied where the model finds its client, before either twin.
    from pydynox import Model, ModelConfig
    from pydynox.attributes import StringAttribute

    caplog.set_level(logging.WARNING, logger="pydynox.diagnostics")
    client = watched(moto_endpoint, writes=100)

    class Event(Model):
        model_config = ModelConfig(table=table, client=client, hot_partition_writes=2)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)

    Event(pk="E", sk="1").save()
    Event(pk="E", sk="2").save()
    assert warnings_of(caplog) == [f'Hot partition detected - table="{table}" pk="E" had 2 writes in 60s']

    # A model on the default client: the thresholds arrive where it finds that client.
    other = watched(moto_endpoint, writes=100)
    pydynox.set_default_client(other)
    try:

        class Quiet(Model):
            model_config = ModelConfig(table=table, hot_partition_writes=3)
            pk = StringAttribute(hash_key=True)
            sk = StringAttribute(range_key=True)

        for i in range(3):
            Quiet(pk="Q", sk=str(i)).save()
    finally:
        pydynox.clear_default_client()
    assert warnings_of(caplog)[1:] == [f'Hot partition detected - table="{table}" pk="Q" had 3 writes in 60s']


def test_detector_arguments_are_checked() -> None:
    d = HotPartitionDetector(writes_threshold=500, reads_threshold=1500, window_seconds=60)
    assert (d.writes_threshold, d.reads_threshold, d.window_seconds) == (500, 1500, 60)
    for kwargs, name in [
        ({"writes_threshold": 0, "reads_threshold": 1, "window_seconds": 1}, "writes_threshold"),
        ({"writes_threshold": 1, "reads_threshold": -1, "window_seconds": 1}, "reads_threshold"),
        ({"writes_threshold": 1, "reads_threshold": 1, "window_seconds": 0}, "window_seconds"),
    ]:
        with pytest.raises(ValueError, match=name):
            HotPartitionDetector(**kwargs)
    with pytest.raises(TypeError, match="diagnostics must be a HotPartitionDetector"):
        pydynox.DynamoDBClient(region=REGION, diagnostics=object())  # type: ignore[arg-type]
