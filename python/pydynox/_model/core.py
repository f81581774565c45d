"""The model operations, written once, without I/O (ADR 5): the module the generated
shells in `pydynox._generated.model_ops` call.

Each operation `op` is a pair: `plan_op(target, **params) -> Plan` turns the call into the
client request (hooks, generated values, validation, version condition, size check,
serialization, expression compilation) and `finish_op(plan, answer)` turns the client's
answer into the result (models, version bump, after-hooks, metrics). The sync shell calls
`plan.client.<call>(**plan.args)` between the two, the async one awaits
`plan.client.async_<call>(**plan.args)`; when `plan.skip` is set nothing is sent and
`finish_op(plan, None)` gives the result.

Paginated reads (query, scan, index queries) have no finish: the shell wraps the client's
pager in a result class, a generated subclass of the pair in `pydynox._model.results`.

The core knows a model only by its `ModelSchema` (schema, config, metrics store), which a
model class carries as `__pydynox_schema__` and every plan carries as `plan.schema`; it
never imports the Model class, the index classes or the generated shells. Each kind of
operation has its plan class: `ReadPlan`, `WritePlan`, `PagePlan`, `TablePlan`.

The cores live by kind in `plan` (the plans and shared steps), `writes`, `reads`, `pages`,
`loading` and `tables`, and the S3 attribute's in `pydynox._attrs.s3_io`; this module
gathers them under the names the shells use.
"""

from __future__ import annotations

from pydynox._attrs.s3_io import (
    S3Plan,
    fail_s3_delete,
    fail_s3_upload,
    finish_s3_delete,
    finish_s3_get_bytes,
    finish_s3_presigned_url,
    finish_s3_save_to,
    finish_s3_upload,
    plan_s3_delete,
    plan_s3_get_bytes,
    plan_s3_presigned_url,
    plan_s3_save_to,
    plan_s3_upload,
)

from pydynox._model.loading import load_item
from pydynox._model.pages import (
    encode_cursor,
    follow_pages,
    pages_done,
    plan_index_query,
    plan_query,
    plan_scan,
    resume_key,
)
from pydynox._model.plan import PagePlan, Plan, ReadPlan, TablePlan, WritePlan
from pydynox._model.reads import (
    finish_batch_get,
    finish_count,
    finish_execute_statement,
    finish_get,
    finish_parallel_scan,
    more_execute_statement,
    plan_batch_get,
    plan_count,
    plan_execute_statement,
    plan_get,
    plan_parallel_scan,
)
from pydynox._model.steps import after_steps, before_steps, fail_steps, undo_steps
from pydynox._model.tables import (
    finish_create_table,
    finish_delete_table,
    finish_table_exists,
    plan_create_table,
    plan_delete_table,
    plan_table_exists,
)
from pydynox._model.transaction import finish_transact_get, plan_transact_get
from pydynox._model.writes import (
    finish_delete,
    finish_delete_by_key,
    finish_integration_update,
    finish_save,
    finish_update,
    finish_update_by_key,
    plan_delete,
    plan_delete_by_key,
    plan_integration_update,
    plan_save,
    plan_update,
    plan_update_by_key,
)

__all__ = [
    "after_steps",
    "before_steps",
    "fail_steps",
    "undo_steps",
    "PagePlan",
    "Plan",
    "ReadPlan",
    "S3Plan",
    "TablePlan",
    "WritePlan",
    "encode_cursor",
    "fail_s3_delete",
    "fail_s3_upload",
    "finish_batch_get",
    "finish_count",
    "finish_create_table",
    "finish_delete",
    "finish_delete_by_key",
    "finish_delete_table",
    "finish_execute_statement",
    "finish_get",
    "finish_integration_update",
    "finish_parallel_scan",
    "finish_s3_delete",
    "finish_s3_get_bytes",
    "finish_s3_presigned_url",
    "finish_s3_save_to",
    "finish_s3_upload",
    "finish_save",
    "finish_table_exists",
    "finish_transact_get",
    "finish_update",
    "finish_update_by_key",
    "follow_pages",
    "load_item",
    "more_execute_statement",
    "pages_done",
    "plan_batch_get",
    "plan_count",
    "plan_create_table",
    "plan_delete",
    "plan_delete_by_key",
    "plan_delete_table",
    "plan_execute_statement",
    "plan_get",
    "plan_index_query",
    "plan_integration_update",
    "plan_parallel_scan",
    "plan_query",
    "plan_s3_delete",
    "plan_s3_get_bytes",
    "plan_s3_presigned_url",
    "plan_s3_save_to",
    "plan_s3_upload",
    "plan_save",
    "plan_scan",
    "plan_table_exists",
    "plan_transact_get",
    "plan_update",
    "plan_update_by_key",
    "resume_key",
]
