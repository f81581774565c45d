"""Service steps of a batch writer's round (ADR 27): the uploads and encryptions of the
model instances it carries, and the S3 removals that go with their writes.

The generated writer methods run them as the model operations run theirs (ADR 25), around
the round's one `batch_write` call, awaited in `AsyncBatchWriter`:

- before the call, every put model's steps, in the order the models were given (its
  `S3File` uploads, its encryptions; its size check once they are done). Nothing is sent
  before the whole round is ready, so a failure here sends nothing;
- after the call, the removal of the objects of every model it deleted;
- when anything fails, `undo_steps`: the uploads of the puts that were not written are
  removed, and the objects of the deletes that were written; `fail_steps` then names
  what could not be removed (or what was kept because the write may have been applied).

No I/O here: this module only says which steps run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydynox._model.steps import Step, outcome_unknown
from pydynox.pydynox_core import S3AttributeException

if TYPE_CHECKING:
    from pydynox._batch.writer_core import WriterPlan
    from pydynox._model.plan import WritePlan

__all__ = ["RoundSteps", "after_steps", "before_steps", "fail_steps", "raise_orphans", "round_steps", "undo_steps"]


class RoundSteps:
    """The model writes of one round that have service steps: (is_put, model plan,
    payload), in the order given. Their steps and answers live in each plan's `services`;
    `orphans` names the objects the after-steps could not remove."""

    __slots__ = ("orphans", "table", "writes")

    def __init__(self, table: str, writes: list[tuple[bool, WritePlan, dict[str, Any]]]) -> None:
        self.table = table
        self.writes = writes
        self.orphans: list[str] = []

    def orphaned(self, about: str) -> Callable[[BaseException], None]:
        def record(error: BaseException) -> None:
            self.orphans.append(f"{about} ({error})")

        return record


def round_steps(table: str, sent: list[Any]) -> RoundSteps | None:
    """The steps of the writes `sent` (a round's `_Write`s); None when none has any."""
    writes = [(w.is_put, w.model_plan, w.payload) for w in sent if w.model_plan is not None and w.model_plan.services is not None]
    return RoundSteps(table, writes) if writes else None


def before_steps(plan: WriterPlan) -> list[Step]:
    steps = plan.services
    if steps is None:
        return []
    return [step for is_put, model_plan, _ in steps.writes if is_put for step in model_plan.services.before]  # type: ignore[union-attr]


def after_steps(plan: WriterPlan, answer: None) -> list[Step]:
    """The removals of the objects of the models the round deleted (all of them: the call
    succeeded). A removal that fails is recorded for the round, so every model still takes
    its write (`finish_delete`) before `raise_orphans` names what stays behind."""
    steps = plan.services
    if steps is None:
        return []
    removals = [step for is_put, model_plan, _ in steps.writes if not is_put for step in model_plan.services.after]  # type: ignore[union-attr]
    for step in removals:
        step.on_fail = steps.orphaned(step.about)
    return removals


def raise_orphans(plan: WriterPlan) -> None:
    """After a round that was written: raise naming the objects its removals left behind."""
    steps = plan.services
    if steps is not None and steps.orphans:
        raise S3AttributeException(f"BatchWriter({steps.table!r}): the items were deleted, but left behind " + "; ".join(steps.orphans))


def _sent(steps: RoundSteps) -> bool:
    """Whether every before-step was done, so the batch request was sent."""
    return all(step.has_finished for is_put, mp, _ in steps.writes if is_put for step in mp.services.before)  # type: ignore[union-attr]


def _key(model_plan: WritePlan, payload: dict[str, Any]) -> dict[str, Any]:
    return {name: payload.get(name) for name in model_plan.schema.table_key_names()}


def _listed(model_plan: WritePlan, payload: dict[str, Any], left: list[dict[str, Any]]) -> bool:
    key = _key(model_plan, payload)
    return any(all(item.get(n) == v for n, v in key.items()) for item in left)


def undo_steps(plan: WriterPlan, error: BaseException) -> list[Step]:
    """What the failed round leaves to tidy: the uploads of puts not written, and the
    objects of deletes that were.

    A write the error lists as not written, or any write of a round that was never sent,
    was not applied. When the error leaves a listed write's outcome unknown (a timeout, a
    dropped connection, a cancellation, a 5xx answer), its uploads are kept and named in a
    note instead (removing them could leave a stored item pointing at nothing), and its
    objects are not removed."""
    steps = plan.services
    if steps is None:
        return []
    sent = _sent(steps)
    unknown = sent and outcome_unknown(error)
    not_put = getattr(error, "unprocessed_items", None)
    not_deleted = getattr(error, "unprocessed_keys", None)
    listed = not_put is not None or not_deleted is not None
    undo: list[Step] = []
    for is_put, model_plan, payload in steps.writes:
        services = model_plan.services
        assert services is not None
        if is_put:
            written = sent and listed and not _listed(model_plan, payload, list(not_put or []))
            uploads = [s for s in services.before if s.undo is not None and s.has_finished]
            if written or not uploads:
                continue
            if unknown:
                services.kept.extend(s.undo(s.finished).about for s in uploads)  # type: ignore[misc]
            else:
                undo.extend(s.undo(s.finished) for s in uploads)  # type: ignore[misc]
        elif sent and listed and not _listed(model_plan, payload, list(not_deleted or [])):
            undo.extend(services.after)  # deleted: its objects go, as after a clean round
    return undo


def fail_steps(plan: WriterPlan, error: BaseException) -> None:
    """As `pydynox._model.steps.fail_steps`, for every model of the round: a note names
    the uploads kept; a removal that failed raises naming what stays behind, chained to
    `error`."""
    steps = plan.services
    if steps is None:
        return
    where = f"BatchWriter({steps.table!r})"
    kept = [about for _, mp, _ in steps.writes for about in mp.services.kept]  # type: ignore[union-attr]
    if kept:
        error.add_note(f"{where}: the round may have been written, so its uploads were kept: " + "; ".join(kept))
    orphans = [o for _, mp, _ in steps.writes for o in mp.services.orphans]  # type: ignore[union-attr]
    if orphans:
        left = "; ".join(message for _, message in orphans)
        raise orphans[0][0](f"{where}: the batch write failed ({type(error).__name__}: {error}) and left behind {left}") from error
