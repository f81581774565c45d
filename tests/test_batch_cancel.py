"""What a batch writer tells after its block ended early (issue 16: "nothing acknowledged is
ever lost"), both twins: an AsyncBatchWriter's task cancelled, or a sync BatchWriter
interrupted (a signal handler raising KeyboardInterrupt, as Ctrl-C does), while a round of
BatchWriteItem requests is in flight; an exception inside the block; a failed request.

The fault proxy (tests/faults.py) holds one request of the round (`gate`) until the client
hangs up on it, so that request is never applied while the round's others are. boto3 then
checks the table: every write given to the writer is in the table or named by
`writer.unconfirmed`, and the writes it names as not written are not in the table.
"""

from __future__ import annotations

import asyncio
import json
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest

from pydynox import AsyncBatchWriter, BatchWriter
from pydynox.batch_operations import UnconfirmedWrites
from pydynox.exceptions import ValidationException
from support import boto_put_many, boto_scan, by_key, wait_until
from test_batch_writer import Boom, items, run_writer

Step = tuple[str, Any]


def run_with(mode: str, writer: Any, steps: Iterable[Step]) -> None:
    """Runs `steps` through `with writer` / `async with writer` (see run_writer); the writer
    is made by the test, so it can be read after the block raised."""
    if mode == "sync":
        with writer:
            for name, arg in steps:
                if name == "raise":
                    raise arg
                getattr(writer, name)(arg)
        return

    async def run() -> None:
        async with writer:
            for name, arg in steps:
                if name == "raise":
                    raise arg
                await getattr(writer, name)(arg)

    asyncio.run(run())


def writer_for(mode: str, client: Any, table: str, **options: Any) -> Any:
    return (BatchWriter if mode == "sync" else AsyncBatchWriter)(client, table, **options)


def stop_when(mode: str, writer: Any, steps: Iterable[Step], ready: Callable[[], bool], release: Any) -> None:
    """Runs `steps` through `writer` and, once `ready()` (the held request is the only one of
    its round still in progress), stops it: cancels the task (async) or raises
    KeyboardInterrupt from a signal handler (sync). Returns once the block has ended with
    that exception. If `ready()` never comes, `release` (the gate) is opened so nothing
    hangs, and the test fails."""
    if mode == "async":

        async def main() -> None:
            async def fill() -> None:
                async with writer:
                    for name, arg in steps:
                        await getattr(writer, name)(arg)

            task = asyncio.create_task(fill())
            if not await asyncio.to_thread(wait_until, ready):
                release.set()
                await task
                pytest.fail("the held request never became the last of its round in progress")
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert task.cancelled()

        asyncio.run(main())
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    came: list[bool] = []

    def watch() -> None:
        came.append(wait_until(ready))
        if came[0]:
            signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR1)  # type: ignore[arg-type]
        else:
            release.set()

    previous = signal.signal(signal.SIGUSR1, interrupt)
    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            with writer:
                for name, arg in steps:
                    getattr(writer, name)(arg)
    finally:
        watcher.join()
        signal.signal(signal.SIGUSR1, previous)
    assert came == [True], "the held request never became the last of its round in progress"


def held_sort_keys(proxy: Any, table: str, number: int) -> set[str]:
    """The sort keys of the writes in the `number`-th BatchWriteItem the proxy saw."""
    bodies = [json.loads(body) for operation, body in proxy.requests if operation == "BatchWriteItem"]
    requests = bodies[number - 1]["RequestItems"][table]
    return {(w.get("PutRequest", {}).get("Item") or w["DeleteRequest"]["Key"])["sk"]["S"] for w in requests}


# Rounds are 4 requests of 25 (max_concurrency=4): 230 puts go out as requests 1-4 (items
# 0-99, sent by the 100th put), 5-8 (items 100-199, by the 200th put) and 9-10 (the last
# 30, when the block ends). `held` is the request held; `last` the round's last request.
ROUNDS = {
    "a round sent by put": {"held": 6, "last": 8, "round": slice(100, 200), "handed": 200},
    "the flush when the block ends": {"held": 10, "last": 10, "round": slice(200, 230), "handed": 230},
}


@pytest.mark.parametrize("where", list(ROUNDS))
def test_a_stopped_round_is_named_and_everything_else_is_in_the_table(where, fault_client, proxy, boto, table, mode):
    case = ROUNDS[where]
    client = fault_client(max_retries=0)
    proxy.hold_seconds = 600  # the hold ends when the client hangs up, not on a busy machine's clock
    release = proxy.gate("BatchWriteItem", case["held"])
    given = items(230)
    handed: list[dict[str, Any]] = []

    def steps() -> Iterator[Step]:
        for item in given:
            handed.append(item)
            yield ("put", item)

    def ready() -> bool:
        with proxy.lock:
            return proxy.calls["BatchWriteItem"] == case["last"] and proxy.active == 1

    writer = writer_for(mode, client, table, max_concurrency=4)
    stop_when(mode, writer, steps(), ready, release)

    # The held request's connection was dropped: it never reached moto.
    assert wait_until(lambda: proxy.abandoned == 1), proxy.abandoned
    held = held_sort_keys(proxy, table, case["held"])
    stored = boto_scan(boto, table)
    left = writer.unconfirmed
    assert len(handed) == case["handed"], "the block ended where it was stopped"
    assert by_key(left.unknown_items) == by_key(handed[case["round"]]), "the whole round is named"
    assert left.unprocessed_items == [] and left.unknown_keys == [] and left.unprocessed_keys == []
    # The round's other requests were applied, the held one not, every earlier round was.
    assert by_key(stored) == by_key([i for i in handed if i["sk"] not in held])
    named = {i["sk"] for i in left.unknown_items}
    assert {i["sk"] for i in handed} <= {i["sk"] for i in stored} | named, "every write is in the table or named"
    assert writer.pending() == 0

    # Sending the named writes again completes the table.
    run_writer(mode, client, table, [("put", i) for i in left.unknown_items])
    assert by_key(boto_scan(boto, table)) == by_key(handed)


def test_stopped_deletes_are_named_as_keys(fault_client, proxy, boto, table, mode):
    # 30 deletes, sent when the block ends as requests of 25 and 5; the second one is held.
    client = fault_client(max_retries=0)
    proxy.hold_seconds = 600
    present = items(30)
    boto_put_many(boto, table, present)
    release = proxy.gate("BatchWriteItem", 2)
    keys = [{"pk": i["pk"], "sk": i["sk"]} for i in present]

    def ready() -> bool:
        with proxy.lock:
            return proxy.calls["BatchWriteItem"] == 2 and proxy.active == 1

    writer = writer_for(mode, client, table, max_concurrency=2)
    stop_when(mode, writer, [("delete", k) for k in keys], ready, release)

    assert wait_until(lambda: proxy.abandoned == 1), proxy.abandoned
    held = held_sort_keys(proxy, table, 2)
    left = writer.unconfirmed
    assert by_key(left.unknown_keys) == by_key(keys)
    assert left.unknown_items == [] and left.unprocessed_items == [] and left.unprocessed_keys == []
    assert by_key(boto_scan(boto, table)) == by_key([i for i in present if i["sk"] in held]), "only the held request's items are left"


def test_writes_dropped_by_an_exception_in_the_block_are_named(client, boto, table, mode):
    # Two full rounds of one request each are sent as they fill; the 10 buffered after are dropped.
    sent, dropped = items(50), items(10, "late")
    writer = writer_for(mode, client, table, max_concurrency=1)

    with pytest.raises(Boom):
        run_with(mode, writer, [("put", item) for item in sent + dropped] + [("raise", Boom("stop"))])

    assert by_key(boto_scan(boto, table)) == sent
    left = writer.unconfirmed
    assert left.unprocessed_items == dropped
    assert left.unprocessed_keys == [] and left.unknown_items == [] and left.unknown_keys == []


def test_writes_a_failure_listed_are_named(client, table, mode):
    # An item without its sort key: DynamoDB rejects the whole request; the writer keeps the
    # exception's lists. (Which of them moto applies before it notices is moto's own: it
    # does not validate the request first as DynamoDB does, so the table is not checked.)
    good, bad, gone = items(1)[0], {"pk": "p"}, {"pk": "p", "sk": "gone"}
    writer = writer_for(mode, client, table)

    with pytest.raises(ValidationException) as raised:
        run_with(mode, writer, [("put", good), ("put", bad), ("delete", gone)])

    left = writer.unconfirmed
    assert left.unprocessed_items == raised.value.unprocessed_items == [good, bad]
    assert left.unprocessed_keys == raised.value.unprocessed_keys == [gone]
    assert left.unknown_items == [] and left.unknown_keys == []


def test_a_clean_run_leaves_nothing_unconfirmed(client, boto, table, mode):
    writer = writer_for(mode, client, table, max_concurrency=2)
    run_with(mode, writer, [("put", item) for item in items(60)] + [("delete", {"pk": "p", "sk": "i00001"})])

    left = writer.unconfirmed
    assert isinstance(left, UnconfirmedWrites) and not left
    assert repr(left) == "UnconfirmedWrites(unprocessed_items=[0 writes], unprocessed_keys=[0 writes], unknown_items=[0 writes], unknown_keys=[0 writes])"
    assert len(boto_scan(boto, table)) == 59
