"""A short tour of pydynox against a local DynamoDB: models first, then the client.

    python examples/demo.py http://127.0.0.1:8000

(scripts/demo.sh starts a moto server and runs this for you.)
"""

from __future__ import annotations

import asyncio
import sys

from pydynox import DynamoDBClient, GlobalSecondaryIndex, Model, ModelConfig, set_default_client
from pydynox.attributes import NumberAttribute, StringAttribute, StringSetAttribute, VersionAttribute
from pydynox.exceptions import ConditionalCheckFailedException, TransactionCanceledException

TABLE = "pydynox-demo-users"


class User(Model):
    # No client here: models without one use set_default_client's (see main).
    model_config = ModelConfig(table=TABLE)
    team = StringAttribute(hash_key=True)
    handle = StringAttribute(range_key=True)
    email = StringAttribute()
    name = StringAttribute()
    visits = NumberAttribute(default=0)
    tags = StringSetAttribute()  # stored as a DynamoDB string set
    version = VersionAttribute()  # optimistic locking: stale writes are refused

    by_email = GlobalSecondaryIndex(index_name="by-email", hash_key="email")


def section(title: str) -> None:
    print(f"\n--- {title}")


def show(user: User | None) -> str:
    if user is None:
        return "None"
    return f"{user.handle} ({user.name}, visits={user.visits}, tags={sorted(user.tags or ())}, v{user.version})"


def models() -> None:
    section("a model creates its table, with its global index")
    if User.table_exists():
        User.delete_table()
    User.create_table(wait=True)
    print(f"{TABLE} exists: {User.table_exists()}")

    section("save and get")
    for handle, name in [("ada", "Ada"), ("grace", "Grace"), ("linus", "Linus"), ("margaret", "Margaret"), ("ken", "Ken")]:
        User(team="core", handle=handle, name=name, email=f"{handle}@example.com", tags={"dev"}).save()
    ada = User.get(team="core", handle="ada")
    print("got:", show(ada))
    assert ada is not None

    section("update with atomic actions, and a condition")
    # Applied by DynamoDB, so two writers adding at once both count; the instance keeps
    # its old values for atomic actions (only DynamoDB knows the result): read it again.
    ada.update(name="Ada Lovelace", atomic=[User.visits.add(1), User.tags.add({"admin"})])
    print("after update:", show(User.get(team="core", handle="ada")))
    try:
        ada.update(atomic=[User.visits.add(1)], condition=User.tags.contains("owner"))
    except ConditionalCheckFailedException:
        print("refused: ada is not tagged 'owner', nothing was written")

    section("query, two at a time, resuming from last_evaluated_key")
    page = User.query(hash_key="core", limit=2)
    print("first two:", [u.handle for u in page])
    resume = page.last_evaluated_key
    print("resume after:", resume)
    rest = User.query(hash_key="core", last_evaluated_key=resume)
    print("the rest:", [u.handle for u in rest])

    section("query the global index by email")
    found = User.by_email.query(email="grace@example.com").first()
    print("by email:", show(found))

    section("optimistic locking")
    mine = User.get(team="core", handle="linus")
    theirs = User.get(team="core", handle="linus")
    assert mine is not None and theirs is not None
    theirs.update(name="Linus T.")  # version 1 -> 2
    mine.name = "Linus Torvalds"
    try:
        mine.save()  # still holds version 1
    except ConditionalCheckFailedException:
        print(f"stale save refused; the instance is unchanged (still v{mine.version})")
    mine = User.get(team="core", handle="linus")
    assert mine is not None
    mine.name = "Linus Torvalds"
    mine.save()
    print("reloaded and saved:", show(User.get(team="core", handle="linus")))


async def async_models() -> None:
    """The same operations, as awaitable twins: each `x(...)` has an `async_x(...)`."""
    section("async twins: gather, save, update, async for")
    handles = ["ada", "grace", "ken"]
    users = await asyncio.gather(*(User.async_get(team="core", handle=h) for h in handles))
    print("gathered:", [show(u) for u in users])

    newcomer = User(team="core", handle="barbara", name="Barbara", email="barbara@example.com")
    await newcomer.async_save()
    await newcomer.async_update(atomic=[User.visits.add(3)])
    print("newcomer:", show(await User.async_get(team="core", handle="barbara")))

    handles = [u.handle async for u in User.async_query(hash_key="core", range_key_condition=User.handle.begins_with("b"))]
    print("async for over a query:", handles)
    result = User.by_email.async_query(email="ken@example.com")
    async for user in result:
        print("async for over the index:", show(user))
    print("index result resumes from:", result.last_evaluated_key)

    await newcomer.async_delete()
    print("deleted barbara:", await User.async_get(team="core", handle="barbara"))


def client_level(client: DynamoDBClient) -> None:
    """Under the models, the client: plain dicts, DynamoDB's own expressions."""
    section("the client underneath: plain dicts")
    item = client.get_item(TABLE, {"team": "core", "handle": "ada"}, projection=["name", "tags", "visits"])
    print("get_item:", item)
    rows = client.query(
        TABLE,
        key_condition_expression="team = :t",
        filter_expression="visits > :v",
        expression_attribute_values={":t": "core", ":v": 0},
    ).to_list()
    print("query with a filter:", [row["handle"] for row in rows])

    section("a transaction: all or nothing")
    client.transact_write(
        [
            {
                "type": "update",
                "table": TABLE,
                "key": {"team": "core", "handle": "grace"},
                "update_expression": "SET visits = visits + :one",
                "expression_attribute_values": {":one": 1},
            },
            {"type": "put", "table": TABLE, "item": {"team": "log", "handle": "0001", "event": "grace visited"}},
        ]
    )
    try:
        client.transact_write(
            [
                {
                    "type": "condition_check",
                    "table": TABLE,
                    "key": {"team": "core", "handle": "grace"},
                    "condition_expression": "visits > :many",
                    "expression_attribute_values": {":many": 100},
                },
                {"type": "delete", "table": TABLE, "key": {"team": "log", "handle": "0001"}},
            ]
        )
    except TransactionCanceledException as error:
        print("second transaction cancelled, reasons:", [reason["code"] for reason in error.reasons])

    totals = User.get_total_metrics()
    print(f"\nUser made {totals.operation_count} calls ({totals.get_count} gets, {totals.put_count} puts)")


def main(endpoint: str) -> None:
    client = DynamoDBClient(endpoint_url=endpoint, region="us-east-1")
    print(f"ping {endpoint}: {client.ping()}")
    set_default_client(client)

    models()
    asyncio.run(async_models())
    client_level(client)

    User.delete_table()
    print(f"\ndeleted {TABLE}; done.")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
