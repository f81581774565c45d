"""Cores of the table operations: create_table (keys and declared indexes from the model),
table_exists, delete_table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydynox._model.plan import Plan, client_of, require_keys, schema_of, table_of

if TYPE_CHECKING:
    from pydynox.model import Model

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
) -> Plan:
    schema = schema_of(model)
    client = client_of(model)
    require_keys(schema)

    def key_of(name: str) -> tuple[str, str]:
        return (schema.stored_names[name], schema.attributes[name].key_type)  # type: ignore[return-value]

    args: dict[str, Any] = {
        "table_name": table_of(model),
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
            getattr(model, name)._definition(read_capacity if provisioned else None, write_capacity if provisioned else None)
            for name in schema.global_indexes
        ]
    if schema.local_indexes:
        args["local_secondary_indexes"] = [getattr(model, name)._definition() for name in schema.local_indexes]
    return Plan(client=client, args=args, model=model)


def finish_create_table(plan: Plan, answer: None) -> None:
    return None


def plan_table_exists(model: Any) -> Plan:
    return Plan(client=client_of(model), args={"table_name": table_of(model)}, model=model)


def finish_table_exists(plan: Plan, answer: bool | None) -> bool:
    return bool(answer)


def plan_delete_table(model: Any) -> Plan:
    return Plan(client=client_of(model), args={"table_name": table_of(model)}, model=model)


def finish_delete_table(plan: Plan, answer: None) -> None:
    return None
