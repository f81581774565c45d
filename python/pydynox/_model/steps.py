"""Service steps: the S3 and KMS calls a model operation makes around its DynamoDB call
(ADR 25), without I/O.

A `Step` names one twinned call (`target.op(**args)`, or `await target.async_op(**args)`)
and what to do with its answer (`done`) or its error (`fail`). The generated shells of the
operations declared with `steps: true` (spec/model.yaml) run them:

- `before_steps(plan)` before the DynamoDB call (uploads, encryption), in order;
- when any of them or the call fails, `undo_steps(plan)` (removing what was uploaded),
  then `fail_steps(plan, error)`, which names what could not be undone;
- once the call succeeded, `after_steps(plan, answer)` (an item's S3 objects after its
  delete, decryption of the item read).

The attributes make their steps (`write_step`, `read_step`, `delete_step`); this module
knows them only by those methods.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydynox.exceptions import ConnectionException, PydynoxException

if TYPE_CHECKING:
    from pydynox._model.plan import Plan
    from pydynox._model.schema import ModelSchema

__all__ = [
    "Services",
    "Step",
    "after_steps",
    "before_steps",
    "placer",
    "fail_steps",
    "outcome_unknown",
    "raise_orphans",
    "read_steps",
    "undo_steps",
]

ASYNC_PREFIX = "async_"
"""The twin of a spec-declared call `op` is `async_<op>` (ADR 1)."""


def _reraise(error: BaseException) -> None:
    raise error


class Step:
    """One service call: `target.op(**args)` (the async shell awaits `target.async_op`).

    `on_done(answer)` uses the answer; `on_fail(error)` raises the error the caller should
    see, or returns to record it and go on (an undo that failed). `undo`, for a step that
    leaves something behind, makes the step that removes it."""

    __slots__ = ("about", "args", "async_op", "finished", "on_done", "on_fail", "op", "target", "undo")

    def __init__(
        self,
        target: Any,
        op: str,
        args: dict[str, Any],
        on_done: Callable[[Any], None] | None = None,
        on_fail: Callable[[BaseException], None] = _reraise,
        undo: Callable[[Any], Step] | None = None,
        about: str = "",
    ) -> None:
        self.about = about
        """What the step acts on, for messages (a removal: the object it removes)."""
        self.target = target
        self.op = op
        self.async_op = ASYNC_PREFIX + op
        self.args = args
        self.on_done = on_done
        self.on_fail = on_fail
        self.undo = undo
        self.finished: Any = _PENDING

    @property
    def has_finished(self) -> bool:
        """Whether the call answered (`done` ran)."""
        return self.finished is not _PENDING

    def done(self, answer: Any) -> None:
        self.finished = answer
        if self.on_done is not None:
            self.on_done(answer)

    def fail(self, error: BaseException) -> None:
        self.on_fail(error)

    def __repr__(self) -> str:
        return f"Step({type(self.target).__name__}.{self.op}, {sorted(self.args)})"


_PENDING = object()


class Services:
    """The steps of one planned operation, and what its undo or after steps left behind."""

    __slots__ = ("after", "before", "kept", "orphans", "ready", "reveal", "_left")

    def __init__(self) -> None:
        self.before: list[Step] = []
        self.after: list[Step] = []
        self.orphans: list[tuple[type[Exception], str]] = []
        """(exception type, message) of each object left behind by a failed removal."""
        self.kept: list[str] = []
        """What was not undone because the write may have been applied (its outcome unknown)."""
        self.ready: Callable[[], None] | None = None
        """Runs once every before-step is done (the size check of the finished item)."""
        self.reveal: ModelSchema | list[ModelSchema | None] | None = None
        """The schema whose readers (decryption) run on the items the call answers; a list
        holds one per item, in order (transact_get, whose items are of several models)."""
        self._left = 0

    def add_before(self, step: Step) -> None:
        """Queues `step` before the call; `ready` runs when the last queued one is done."""
        self.before.append(step)
        self._left += 1
        inner = step.on_done

        def counted(answer: Any) -> None:
            if inner is not None:
                inner(answer)
            self._left -= 1
            if self._left == 0 and self.ready is not None:
                self.ready()

        step.on_done = counted

    def orphaned(self, kind: type[Exception], message: str) -> Callable[[BaseException], None]:
        """An `on_fail` for a removal: records `message` (what stays behind) and goes on."""

        def record(error: BaseException) -> None:
            self.orphans.append((kind, f"{message} ({error})"))

        return record


def _services(plan: Plan) -> Services | None:
    return plan.services


def before_steps(plan: Plan) -> list[Step]:
    services = _services(plan)
    return services.before if services is not None else []


def outcome_unknown(error: BaseException) -> bool:
    """Whether a write that failed this way may still have been applied: the request was
    cut off (a timeout, a dropped connection, a cancellation) or the server failed
    (a 5xx answer, the base PydynoxException). A refusal (a condition, validation,
    throttling, access) means it was not."""
    return not isinstance(error, Exception) or isinstance(error, ConnectionException) or type(error) is PydynoxException


def undo_steps(plan: Plan, error: BaseException) -> list[Step]:
    """Removals of what the before-steps done so far left behind (uploaded objects).

    None when every before-step was done (so the write was sent) and `error` leaves its
    outcome unknown: removing the objects of an item that was written after all would
    leave it pointing at nothing; they are kept and `fail_steps` names them instead."""
    services = _services(plan)
    if services is None:
        return []
    done = [step for step in services.before if step.undo is not None and step.finished is not _PENDING]
    if done and all(step.finished is not _PENDING for step in services.before) and outcome_unknown(error):
        services.kept = [step.undo(step.finished).about for step in done]  # type: ignore[misc]
        return []
    return [step.undo(step.finished) for step in done]  # type: ignore[misc]


def fail_steps(plan: Plan, error: BaseException) -> None:
    """The operation failed with `error` and its undo steps ran: when some removal failed
    too, raise an error naming what stays behind, chained to `error`; otherwise return, so
    `error` propagates as it is (with a note naming what was kept, if anything was)."""
    services = _services(plan)
    if services is not None and services.kept:
        error.add_note(
            f"{plan.schema.name}: the write may have been applied, so its uploads were kept: " + "; ".join(services.kept)
        )
    if services is not None and services.orphans:
        kind = services.orphans[0][0]
        left = "; ".join(message for _, message in services.orphans)
        raise kind(f"{plan.schema.name}: the write failed ({type(error).__name__}: {error}) and left behind {left}") from error


def raise_orphans(plan: Plan, what: str) -> None:
    """After a write that succeeded: raise naming what its after-steps could not remove."""
    services = _services(plan)
    if services is not None and services.orphans:
        kind = services.orphans[0][0]
        left = "; ".join(message for _, message in services.orphans)
        raise kind(f"{plan.schema.name}: {what}, but left behind {left}")


def read_steps(schema: ModelSchema, raw: dict[str, Any] | None) -> list[Step]:
    """The steps that make a stored item readable (decryption), each writing its result
    back into `raw` for the loader."""
    if not raw:
        return []
    steps = []
    for _name, stored, attr in schema.services:
        value = raw.get(stored)
        if value is not None:
            step = attr.read_step(value, placer(raw, stored))
            if step is not None:
                steps.append(step)
    return steps


def placer(item: dict[str, Any], stored: str) -> Callable[[Any], None]:
    def place(value: Any) -> None:
        item[stored] = value

    return place


def after_steps(plan: Plan, answer: Any) -> list[Step]:
    services = _services(plan)
    if services is None:
        return []
    steps = list(services.after)
    if services.reveal is not None and answer is not None:
        items = _items_of(answer)
        reveal = services.reveal
        for schema, raw in zip(reveal if isinstance(reveal, list) else [reveal] * len(items), items):
            if schema is not None:
                steps.extend(read_steps(schema, raw))
    return steps


def _items_of(answer: Any) -> list[dict[str, Any]]:
    """The stored items an answer carries: get's `(item, metrics)`, parallel_scan's
    `(items, metrics)`, batch_get's list, update's `attributes`."""
    if isinstance(answer, tuple):
        answer = answer[0]
    elif not isinstance(answer, list):
        answer = getattr(answer, "attributes", None)
    if answer is None:
        return []
    return answer if isinstance(answer, list) else [answer]
