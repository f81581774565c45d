"""The batch writer's core: buffering, de-duplication and bookkeeping, with no I/O.

`BatchWriter` and `AsyncBatchWriter` (generated from the `class_pairs` entry of
spec/model.yaml into pydynox/_generated/model_ops.py) both subclass `BatchWriterBase` and
call the functions below around one client call, `batch_write` / `async_batch_write`,
which sends requests of 25 several at a time and re-sends unprocessed items with backoff
(src/ops/batch_write.rs). The writer buffers until a full round (25 x max_concurrency
writes) is ready, then hands the whole round to that call; the rest goes on `flush()` or
when the `with` block ends.

Failures: the client's exception lists exactly the items it did not write
(`unprocessed_items`, `unprocessed_keys`); the writer passes it on unchanged. An exception
inside the `with` block drops what is still buffered: what was already sent stays sent,
nothing more is sent.

Bookkeeping: a round stays in `_in_flight` from the moment it is handed to the client until
`finish_*` or `fail_*` hears how it went. A call ended by cancellation (`task.cancel()`, a
timeout) or an interrupt (Ctrl-C) raises a BaseException that the generated methods do not
route through `fail_*`, so its round stays there: its outcome is unknown. `unconfirmed`
reports those, plus the writes a failure listed and the ones dropped unsent, so that once
the block has ended every write given to the writer is either in the table or named.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydynox._batch.writer_steps import RoundSteps, raise_orphans, round_steps
from pydynox._batch.writer_steps import after_steps, before_steps, fail_steps, undo_steps  # noqa: F401 (the generated methods call them here)
from pydynox._model.plan import schema_of
from pydynox._model.schema import SCHEMA_ATTRIBUTE
from pydynox._model.writes import finish_delete, finish_save, plan_delete, plan_save

if TYPE_CHECKING:
    from pydynox._model.plan import WritePlan
    from pydynox.pydynox_core import DynamoDBClient

__all__ = [
    "BatchWriterBase",
    "UnconfirmedWrites",
    "WriterPlan",
    "abandon",
    "fail_writer_delete",
    "fail_writer_flush",
    "fail_writer_put",
    "finish_writer_delete",
    "finish_writer_flush",
    "finish_writer_put",
    "plan_writer_delete",
    "plan_writer_flush",
    "plan_writer_put",
]

# Writes per BatchWriteItem request (DynamoDB's limit).
REQUEST_SIZE = 25
# Requests in flight at once unless the writer is told otherwise.
DEFAULT_CONCURRENCY = 8


class _Write:
    """One buffered write: a put item or a delete key, and the model plan it came from."""

    __slots__ = ("is_put", "model_plan", "payload")

    def __init__(self, is_put: bool, payload: dict[str, Any], model_plan: WritePlan | None) -> None:
        self.is_put = is_put
        self.payload = payload
        self.model_plan = model_plan


class UnconfirmedWrites:
    """The writes a batch writer was given that DynamoDB did not confirm, in the order given.

    Attributes:
        unprocessed_items: Put items not written: listed by a failed request (as the
            exception listed them) or dropped unsent by an exception inside the block.
        unprocessed_keys: Delete keys not written, likewise.
        unknown_items: Put items sent in a round whose call was cancelled (`task.cancel()`,
            `asyncio.timeout`) or interrupted (Ctrl-C) before DynamoDB answered: each may
            or may not have been written.
        unknown_keys: Delete keys sent in such a round.

    Falsy when all four are empty. Sending the listed writes again is safe: a batch put or
    delete applied twice leaves the item as applying it once does.
    """

    __slots__ = ("unknown_items", "unknown_keys", "unprocessed_items", "unprocessed_keys")

    def __init__(
        self,
        unprocessed_items: list[dict[str, Any]],
        unprocessed_keys: list[dict[str, Any]],
        unknown_items: list[dict[str, Any]],
        unknown_keys: list[dict[str, Any]],
    ) -> None:
        self.unprocessed_items = unprocessed_items
        self.unprocessed_keys = unprocessed_keys
        self.unknown_items = unknown_items
        self.unknown_keys = unknown_keys

    def __bool__(self) -> bool:
        return bool(self.unprocessed_items or self.unprocessed_keys or self.unknown_items or self.unknown_keys)

    def __repr__(self) -> str:
        counts = (self.unprocessed_items, self.unprocessed_keys, self.unknown_items, self.unknown_keys)
        return "UnconfirmedWrites(unprocessed_items={}, unprocessed_keys={}, unknown_items={}, unknown_keys={})".format(
            *(f"[{len(c)} writes]" for c in counts)
        )


class BatchWriterBase:
    """State shared by both writers: the table, the options, the buffer and the bookkeeping."""

    __slots__ = (
        "_buffer",
        "_by_key",
        "_client",
        "_holes",
        "_in_flight",
        "_key_names",
        "_max_attempts",
        "_max_concurrency",
        "_round",
        "_skip",
        "_table",
        "_unprocessed_items",
        "_unprocessed_keys",
    )

    def __init__(
        self,
        client: DynamoDBClient,
        table: str,
        *,
        max_concurrency: int | None = None,
        max_attempts: int | None = None,
        overwrite_by_pkeys: list[str] | None = None,
    ) -> None:
        if not isinstance(table, str) or not table:
            raise TypeError(f"BatchWriter: table must be a non-empty str, got {table!r}")
        if max_concurrency is not None and (
            isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int) or max_concurrency < 1
        ):
            raise ValueError(f"BatchWriter: max_concurrency must be an int of at least 1, got {max_concurrency!r}")
        if max_attempts is not None and (
            isinstance(max_attempts, bool) or not isinstance(max_attempts, int) or not 1 <= max_attempts <= 100
        ):
            raise ValueError(f"BatchWriter: max_attempts must be an int between 1 and 100, got {max_attempts!r}")
        if overwrite_by_pkeys is not None and (
            not isinstance(overwrite_by_pkeys, (list, tuple))
            or not overwrite_by_pkeys
            or not all(isinstance(n, str) for n in overwrite_by_pkeys)
        ):
            raise TypeError(f"BatchWriter: overwrite_by_pkeys must be a list of key attribute names, got {overwrite_by_pkeys!r}")
        self._client = client
        self._table = table
        self._max_concurrency = max_concurrency or DEFAULT_CONCURRENCY
        # Writes per round: a round is sent as soon as this many are buffered.
        self._round = REQUEST_SIZE * self._max_concurrency
        # Requests per chunk before giving up (unprocessed re-sends included); None: the client's default.
        self._max_attempts = max_attempts
        self._key_names: tuple[str, ...] | None = tuple(overwrite_by_pkeys) if overwrite_by_pkeys else None
        self._buffer: list[_Write | None] = []
        # Key -> position in the buffer, so a later write of one key replaces the earlier
        # (DynamoDB rejects a request that names one key twice).
        self._by_key: dict[tuple[str, ...], int] = {}
        # Buffer entries a later write of the same key replaced (None in `_buffer`), so
        # `pending()` costs nothing per put.
        self._holes = 0
        # Rounds handed to the client and not answered yet (module docstring: a cancelled
        # or interrupted call leaves its round here).
        self._in_flight: list[list[_Write]] = []
        # Writes known not written: listed by a failure, or dropped unsent.
        self._unprocessed_items: list[dict[str, Any]] = []
        self._unprocessed_keys: list[dict[str, Any]] = []
        # Nothing to send yet: one plan per writer, reused (no client call is made with it).
        self._skip = WriterPlan(self, {}, [], skip=True)

    @property
    def table(self) -> str:
        """The table the writer writes to."""
        return self._table

    def pending(self) -> int:
        """Writes buffered and not yet sent."""
        return len(self._buffer) - self._holes

    @property
    def unconfirmed(self) -> UnconfirmedWrites:
        """The writes given to this writer that DynamoDB did not confirm (a snapshot): read it
        after the block ended by an error, a cancellation or an interrupt; every other write
        given is in the table. Empty after a clean run."""
        unknown = [w for sent in self._in_flight for w in sent]
        return UnconfirmedWrites(
            list(self._unprocessed_items),
            list(self._unprocessed_keys),
            [w.payload for w in unknown if w.is_put],
            [w.payload for w in unknown if not w.is_put],
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(table={self._table!r}, pending={self.pending()})"


class WriterPlan:
    """One step of a writer: the client call's arguments, or `skip` when nothing is sent."""

    __slots__ = ("args", "client", "sent", "services", "skip", "writer")

    def __init__(self, writer: BatchWriterBase, args: dict[str, Any], sent: list[_Write], skip: bool) -> None:
        self.writer = writer
        self.client = writer._client
        self.args = args
        self.sent = sent
        self.skip = skip
        self.services: RoundSteps | None = None
        """The round's service steps (pydynox._batch.writer_steps); None for most rounds."""


# --- buffering ------------------------------------------------------------------------------


def _key_of(writer: BatchWriterBase, payload: dict[str, Any], names: tuple[str, ...] | None) -> tuple[str, ...] | None:
    if names is None:
        return None
    try:
        return tuple(repr(payload[n]) for n in names)
    except KeyError as missing:
        raise ValueError(f"BatchWriter({writer.table!r}): the item has no key attribute {missing}: {payload!r}") from None


def _no_condition(plan: WritePlan, what: str) -> None:
    if "condition_expression" in plan.args:
        raise ValueError(
            f"BatchWriter: {plan.schema.name} has a version attribute, which a batch write cannot check; "
            f"{what} it with the model's own method instead"
        )


def _model_write(writer: BatchWriterBase, model: Any, is_put: bool) -> tuple[_Write, tuple[str, ...]]:
    """A model's put or delete, planned as its save/delete would be (hooks, generated
    values, size check), and its key."""
    plan = (plan_save if is_put else plan_delete)(model, client=writer._client)
    _no_condition(plan, "save" if is_put else "delete")
    table = plan.args["table"]
    if table != writer.table:
        raise ValueError(f"BatchWriter({writer.table!r}): {plan.schema.name} lives in table {table!r}")
    payload = plan.args["item"] if is_put else plan.args["key"]
    names = schema_of(model).table_key_names()
    return _Write(is_put, payload, plan), tuple(repr(payload.get(n)) for n in names)


def _add(writer: BatchWriterBase, value: Any, is_put: bool) -> None:
    what = "item" if is_put else "key"
    if isinstance(value, dict):
        write = _Write(is_put, value, None)
        key = _key_of(writer, value, writer._key_names)
    elif not isinstance(value, type) and getattr(type(value), SCHEMA_ATTRIBUTE, None) is not None:
        write, key = _model_write(writer, value, is_put)
    else:
        raise TypeError(f"BatchWriter({writer.table!r}): {what} must be a dict or a model instance, got {type(value).__name__}")
    if key is not None:
        earlier = writer._by_key.get(key)
        if earlier is not None:
            writer._buffer[earlier] = None
            writer._holes += 1
        writer._by_key[key] = len(writer._buffer)
    writer._buffer.append(write)


def _take(writer: BatchWriterBase, only_full_round: bool) -> WriterPlan:
    """The buffered writes as one client call, or a skipped plan when there is nothing to
    send yet (`only_full_round`: fewer than 25 x max_concurrency writes buffered)."""
    live = len(writer._buffer) - writer._holes
    if live == 0 or (only_full_round and live < writer._round):
        return writer._skip
    sent = [w for w in writer._buffer if w is not None]
    writer._buffer = []
    writer._by_key = {}
    writer._holes = 0
    args: dict[str, Any] = {
        "table": writer.table,
        "put_items": [w.payload for w in sent if w.is_put],
        "delete_keys": [w.payload for w in sent if not w.is_put],
        "max_concurrency": writer._max_concurrency,
        "max_attempts": writer._max_attempts,
    }
    writer._in_flight.append(sent)
    plan = WriterPlan(writer, args, sent, skip=False)
    plan.services = round_steps(writer.table, sent)
    return plan


# --- what the generated methods call --------------------------------------------------------


def plan_writer_put(writer: BatchWriterBase, item: Any) -> WriterPlan:
    _add(writer, item, is_put=True)
    return _take(writer, only_full_round=True)


def plan_writer_delete(writer: BatchWriterBase, key: Any) -> WriterPlan:
    _add(writer, key, is_put=False)
    return _take(writer, only_full_round=True)


def plan_writer_flush(writer: BatchWriterBase) -> WriterPlan:
    return _take(writer, only_full_round=False)


def _written(plan: WriterPlan, error: BaseException | None) -> None:
    """Models whose write DynamoDB accepted take their planned changes and run their
    after-hooks, as save/delete would; with an error, only those it does not list."""
    models = [w for w in plan.sent if w.model_plan is not None]
    if not models:
        return
    if error is not None:
        not_written = getattr(error, "unprocessed_items", None)
        not_deleted = getattr(error, "unprocessed_keys", None)
        if not_written is None and not_deleted is None:
            return  # failed before any request: nothing of this round is known written
        left_puts = list(not_written or [])
        left_keys = list(not_deleted or [])
        models = [w for w in models if not _listed(w, left_puts if w.is_put else left_keys)]
    for w in models:
        assert w.model_plan is not None
        (finish_save if w.is_put else finish_delete)(w.model_plan, None)


def _listed(write: _Write, left: list[dict[str, Any]]) -> bool:
    names = write.model_plan.schema.table_key_names() if write.model_plan is not None else ()
    key = {n: write.payload.get(n) for n in names}
    return any(all(item.get(n) == v for n, v in key.items()) for item in left)


def _answered(plan: WriterPlan, error: BaseException | None) -> None:
    """The round's call ended with an answer: it leaves `_in_flight`, and what a failure
    did not write joins the writer's unprocessed writes."""
    rounds = plan.writer._in_flight
    for number, sent in enumerate(rounds):
        if sent is plan.sent:
            del rounds[number]
            break
    if error is None:
        return
    not_written = getattr(error, "unprocessed_items", None)
    not_deleted = getattr(error, "unprocessed_keys", None)
    if not_written is None and not_deleted is None:
        _not_written(plan.writer, plan.sent)  # failed before any request was sent
        return
    plan.writer._unprocessed_items.extend(not_written or [])
    plan.writer._unprocessed_keys.extend(not_deleted or [])


def _not_written(writer: BatchWriterBase, writes: Iterable[_Write | None]) -> None:
    for w in writes:
        if w is not None:
            (writer._unprocessed_items if w.is_put else writer._unprocessed_keys).append(w.payload)


def finish_writer_put(plan: WriterPlan, answer: None) -> None:
    if not plan.skip:
        _answered(plan, None)
        _written(plan, None)
        raise_orphans(plan)


def fail_writer_put(plan: WriterPlan, error: BaseException) -> None:
    _answered(plan, error)
    _written(plan, error)


finish_writer_delete = finish_writer_put
fail_writer_delete = fail_writer_put
finish_writer_flush = finish_writer_put
fail_writer_flush = fail_writer_put


def abandon(writer: BatchWriterBase, error: BaseException) -> None:
    """The `with` block raised: drop what is buffered (nothing more is sent); the dropped
    writes are reported as unprocessed."""
    _not_written(writer, writer._buffer)
    writer._buffer = []
    writer._by_key = {}
    writer._holes = 0
