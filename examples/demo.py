"""A short tour of pydynox against a local DynamoDB.

    python examples/demo.py http://127.0.0.1:8000

(scripts/demo.sh starts a moto server and runs this for you.)
"""

from __future__ import annotations

import asyncio
import sys
from decimal import Decimal

from pydynox import DynamoDBClient
from pydynox.exceptions import TransactionCanceledException

TABLE = "pydynox-demo-orders"


def section(title: str) -> None:
    print(f"\n--- {title}")


def main(endpoint: str) -> None:
    client = DynamoDBClient(endpoint_url=endpoint, region="us-east-1")
    print(f"ping {endpoint}: {client.ping()}")

    section("create a table")
    if client.table_exists(TABLE):
        client.delete_table(TABLE)
    client.create_table(TABLE, hash_key=("customer", "S"), range_key=("order_id", "S"), wait=True)
    print(f"{TABLE} exists: {client.table_exists(TABLE)}")

    section("put and get one item")
    metrics = client.put_item(
        TABLE,
        {
            "customer": "ada",
            "order_id": "0000",
            "total": Decimal("19.99"),
            "items": ["notebook", "pen"],
            "tags": {"gift", "express"},
            "paid": True,
        },
    )
    print(f"put took {metrics.duration_ms:.1f} ms")
    print("got:", client.get_item(TABLE, {"customer": "ada", "order_id": "0000"}))

    section("batch write 60 orders (25 per request, done for you)")
    client.batch_write(
        TABLE,
        put_items=[
            {"customer": "ada" if i % 2 else "grace", "order_id": f"{i:04d}", "total": i * 10} for i in range(1, 61)
        ],
    )
    count, _ = client.count(TABLE)
    print(f"table now holds {count} orders")

    section("query with pagination (page_size=7)")
    client.reset_metrics()
    orders = client.query(
        TABLE,
        key_condition_expression="customer = :c",
        expression_attribute_values={":c": "ada"},
        page_size=7,
    )
    totals = [order["total"] for order in orders]
    print(f"ada has {len(totals)} orders, fetched in {client.get_total_metrics().query_count} pages")
    first = client.query(
        TABLE,
        key_condition_expression="customer = :c",
        expression_attribute_values={":c": "ada"},
        limit=3,
        page_size=3,
    )
    print("first three:", [o["order_id"] for o in first], "resume after:", first.last_evaluated_key)

    section("async fan-out with asyncio.gather")

    async def fan_out() -> None:
        keys = [{"customer": "grace", "order_id": f"{i:04d}"} for i in range(2, 22, 2)]
        items = await asyncio.gather(*(client.async_get_item(TABLE, key) for key in keys))
        print(f"fetched {len(items)} items concurrently, totals {[item['total'] for item in items]}")
        grace = [
            o
            async for o in client.async_query(
                TABLE, key_condition_expression="customer = :c", expression_attribute_values={":c": "grace"}
            )
        ]
        print(f"grace has {len(grace)} orders (async for)")

    asyncio.run(fan_out())

    section("a transaction: mark an order shipped and log it, atomically")
    client.transact_write(
        [
            {
                "type": "update",
                "table": TABLE,
                "key": {"customer": "ada", "order_id": "0000"},
                "update_expression": "SET shipped = :t",
                "condition_expression": "paid = :t",
                "expression_attribute_values": {":t": True},
            },
            {"type": "put", "table": TABLE, "item": {"customer": "log", "order_id": "0000", "event": "shipped"}},
        ]
    )
    print("after:", client.get_item(TABLE, {"customer": "ada", "order_id": "0000"}, projection=["shipped"]))
    try:
        client.transact_write(
            [
                {
                    "type": "condition_check",
                    "table": TABLE,
                    "key": {"customer": "ada", "order_id": "0000"},
                    "condition_expression": "attribute_not_exists(shipped)",
                },
                {"type": "delete", "table": TABLE, "key": {"customer": "log", "order_id": "0000"}},
            ]
        )
    except TransactionCanceledException as error:
        print("second transaction cancelled, reasons:", [reason["code"] for reason in error.reasons])

    section("totals")
    client.reset_metrics()
    client.get_item(TABLE, {"customer": "ada", "order_id": "0000"})
    totals = client.get_total_metrics()
    print(f"{totals.operation_count} call(s), {totals.total_duration_ms:.1f} ms")

    client.delete_table(TABLE)
    print(f"\ndeleted {TABLE}; done.")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
