"""Cores of the table operations: create_table (keys and declared indexes from the model),
table_exists, delete_table."""

from __future__ import annotations

from typing import Any

from pydynox._model.plan import TablePlan, client_of, require_keys, schema_of, table_of

__all__ = [
    "finish_create_table",
    "finish_delete_table",
    "finish_table_exists",
    "plan_create_table",
    "plan_delete_table",
    "plan_table_exists",
]


# --- tables ---------------------------------------------------------------------------------


def plan_create_table(
    model: Any,
    billing_mode: str = "PAY_PER_REQUEST",
    read_capacity: int | None = None,
    write_capacity: int | None = None,
    table_class: str | None = None,
    encryption: str | None = None,
    kms_key_id: str | None = None,
    wait: bool = False,
) -> TablePlan:
    schema = schema_of(model)
    client = client_of(schema)
    require_keys(schema)

    def key_of(name: str) -> tuple[str, str]:
        return (schema.stored_names[name], schema.attributes[name].key_type)  # type: ignore[return-value]

    args: dict[str, Any] = {
        "table_name": table_of(schema),
        "hash_key": key_of(schema.hash_key),  # type: ignore[arg-type]
        "range_key": key_of(schema.range_key) if schema.range_key is not None else None,
        "billing_mode": billing_mode,
        "read_capacity": read_capacity,
        "write_capacity": write_capacity,
        "table_class": table_class,
        "encryption": encryption,
        "kms_key_id": kms_key_id,
        "wait": wait,
    }
    provisioned = billing_mode == "PROVISIONED"
    if schema.global_indexes:
        args["global_secondary_indexes"] = [
            index._definition(schema, read_capacity if provisioned else None, write_capacity if provisioned else None)
            for index in schema.global_indexes.values()
        ]
    if schema.local_indexes:
        args["local_secondary_indexes"] = [index._definition(schema) for index in schema.local_indexes.values()]
    return TablePlan(client, args, schema)


def finish_create_table(plan: TablePlan, answer: None) -> None:
    return None


def plan_table_exists(model: Any) -> TablePlan:
    schema = schema_of(model)
    return TablePlan(client_of(schema), {"table_name": table_of(schema)}, schema)


def finish_table_exists(plan: TablePlan, answer: bool | None) -> bool:
    return bool(answer)


def plan_delete_table(model: Any) -> TablePlan:
    schema = schema_of(model)
    return TablePlan(client_of(schema), {"table_name": table_of(schema)}, schema)


def finish_delete_table(plan: TablePlan, answer: None) -> None:
    return None
