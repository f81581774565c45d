"""Batch writes as 0.21.0 spelled them: `BatchWriter` and its async twin.

```python
with BatchWriter(client, "orders") as writer:
    for order in orders:
        writer.put(order)          # a dict, or a model instance

async with AsyncBatchWriter(client, "orders") as writer:
    await writer.put(order)
```

Requests of 25 go out several at a time (`max_concurrency`, default 8) once a full round is
buffered; the rest on `flush()` or when the block ends. Unprocessed items are re-sent with
exponential backoff and jitter. If writes still fail, the exception's `unprocessed_items`
and `unprocessed_keys` list exactly what was not written; everything else was.

An exception inside the block: what was already sent stays written, what is still
buffered is dropped, and nothing more is sent. A cancelled task (or Ctrl-C) stops the round
in flight and propagates unchanged. Whatever ended the block, `writer.unconfirmed` (an
`UnconfirmedWrites`) names every write not confirmed: not written, or sent by a cancelled
call and so of unknown outcome; everything else is in the table.
"""

from pydynox._batch.writer_core import UnconfirmedWrites
from pydynox._generated.model_ops import AsyncBatchWriter, BatchWriter

__all__ = ["AsyncBatchWriter", "BatchWriter", "UnconfirmedWrites"]
