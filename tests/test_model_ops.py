"""Model operations through both twins (`mode`), against the moto server, with boto3
checking what was stored."""

from __future__ import annotations

import asyncio
import copy
import time
from datetime import datetime, timezone
from enum import Enum
from typing import Any

import pytest

from faults import FaultProxy
from support import boto_get, boto_put_many, boto_scan, call, collect, to_list, unique_name

from pydynox import DynamoDBClient
from pydynox.attributes import (
    DatetimeAttribute,
    EnumAttribute,
    JSONAttribute,
    TTLAttribute,
    MapAttribute,
    NumberAttribute,
    StringAttribute,
    StringSetAttribute,
    VersionAttribute,
)
from pydynox.config import ModelConfig, clear_default_client
from pydynox.exceptions import ConditionalCheckFailedException, InvalidCursorError, ItemTooLargeException
from pydynox.hooks import after_delete, after_load, after_save, after_update, before_delete, before_save, before_update
from pydynox.indexes import GlobalSecondaryIndex, LocalSecondaryIndex
from pydynox.model import Model

SECRET = "behaviour-tests-cursor-secret-0123456789"

GSIS = [("by-email", ("email", "S"), ("age", "N"))]
LSIS = [("by-age", ("pk", "S"), ("age", "N"))]


def make_user(table: str, client: Any, **config: Any) -> Any:
    class User(Model):
        model_config = ModelConfig(table=table, client=client, cursor_secret=SECRET, **config)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        email = StringAttribute()
        age = NumberAttribute()
        tags = StringSetAttribute()
        address = MapAttribute()
        born = DatetimeAttribute()
        version = VersionAttribute()

        by_email = GlobalSecondaryIndex(index_name="by-email", hash_key="email", range_key="age")
        by_age = LocalSecondaryIndex(index_name="by-age", range_key="age")

    return User


@pytest.fixture
def users(make_table: Any, client: Any) -> Any:
    """A User model on a fresh table with a GSI (email, age) and an LSI (pk, age)."""
    return make_user(make_table(gsis=GSIS, lsis=LSIS), client)


def read_some(target: Any, mode: str, name: str, count: int, **kwargs: Any) -> tuple[list[Any], Any]:
    """Takes `count` items from `target.<name>(...)` (or its async twin), then stops."""
    if mode == "sync":
        result = getattr(target, name)(**kwargs)
        items = []
        for item in result:
            items.append(item)
            if len(items) == count:
                break
        return items, result

    async def run() -> tuple[list[Any], Any]:
        result = getattr(target, f"async_{name}")(**kwargs)
        items = []
        async for item in result:
            items.append(item)
            if len(items) == count:
                break
        return items, result

    return asyncio.run(run())


def seed(boto: Any, users: Any, n: int = 10, pk: str = "p") -> None:
    boto_put_many(
        boto,
        users.model_config.table,
        [{"pk": pk, "sk": f"s{i:02d}", "email": "e@x", "age": i, "version": 1} for i in range(n)],
    )


# --- writes -----------------------------------------------------------------------------------


def test_save_then_get(users: Any, mode: str, boto: Any) -> None:
    born = datetime(1990, 5, 6, 7, 8, 9, tzinfo=timezone.utc)
    user = users(pk="p", sk="s", email="e@x", age=30, tags={"a", "b"}, address={"city": "Lisbon"}, born=born)
    assert call(user, mode, "save") is None
    assert user.version == 1
    stored = boto_get(boto, users.model_config.table, {"pk": "p", "sk": "s"})
    assert stored["tags"] == {"a", "b"}  # a native string set
    assert stored["version"] == 1 and stored["address"] == {"city": "Lisbon"}
    assert isinstance(stored["born"], str)

    got = call(users, mode, "get", pk="p", sk="s")
    assert got == user and got.born == born
    assert call(users, mode, "get", pk="p", sk="missing") is None
    raw = call(users, mode, "get", as_dict=True, pk="p", sk="s")
    assert raw["pk"] == "p" and raw["tags"] == {"a", "b"}
    assert users.get_last_metrics() is not None
    assert users.get_total_metrics().put_count >= 1


def test_get_with_nested_fields(users: Any, mode: str) -> None:
    call(users(pk="p", sk="s", email="e", address={"city": "Lisbon", "zip": "1000"}), mode, "save")
    got = call(users, mode, "get", fields=["address.city"], pk="p", sk="s")
    assert got.address == {"city": "Lisbon"} and got.email is None and got.pk == "p"


def test_save_condition_failure_raises_and_changes_nothing(users: Any, mode: str, boto: Any) -> None:
    user = users(pk="p", sk="s", email="first")
    call(user, mode, "save")
    again = users(pk="p", sk="s", email="second")
    with pytest.raises(ConditionalCheckFailedException):
        call(again, mode, "save", condition=users.pk.not_exists())
    assert boto_get(boto, users.model_config.table, {"pk": "p", "sk": "s"})["email"] == "first"


def test_stale_version_conflict_leaves_the_instance_unchanged(users: Any, mode: str, boto: Any) -> None:
    call(users(pk="p", sk="s", email="v1"), mode, "save")
    mine = call(users, mode, "get", pk="p", sk="s")
    theirs = call(users, mode, "get", pk="p", sk="s")
    theirs.email = "theirs"
    call(theirs, mode, "save")
    assert theirs.version == 2

    mine.email = "mine"
    before = copy.deepcopy(vars(mine))  # deep: an in-place change to a set or map shows too
    with pytest.raises(ConditionalCheckFailedException):
        call(mine, mode, "save")
    assert vars(mine) == before and mine.version == 1
    with pytest.raises(ConditionalCheckFailedException):
        call(mine, mode, "update", email="x")
    with pytest.raises(ConditionalCheckFailedException):
        call(mine, mode, "delete")
    assert vars(mine) == before
    stored = boto_get(boto, users.model_config.table, {"pk": "p", "sk": "s"})
    assert stored["email"] == "theirs" and stored["version"] == 2


def test_update_by_key_bumps_the_version_so_older_instances_are_stale(users: Any, mode: str, boto: Any) -> None:
    call(users(pk="p", sk="s", email="v1"), mode, "save")
    stale = call(users, mode, "get", pk="p", sk="s")
    call(users, mode, "update_by_key", pk="p", sk="s", email="by key")
    assert boto_get(boto, users.model_config.table, {"pk": "p", "sk": "s"})["version"] == 2
    stale.age = 3
    with pytest.raises(ConditionalCheckFailedException):
        call(stale, mode, "save")
    assert stale.version == 1


def test_update_with_values_and_atomic_actions(users: Any, mode: str, boto: Any) -> None:
    user = users(pk="p", sk="s", age=1, tags={"a"})
    call(user, mode, "save")
    call(user, mode, "update", atomic=[users.age.add(5), users.tags.add({"b"})], email="new")
    assert user.email == "new" and user.version == 2
    stored = boto_get(boto, users.model_config.table, {"pk": "p", "sk": "s"})
    assert stored["age"] == 6 and stored["tags"] == {"a", "b"} and stored["email"] == "new"
    assert stored["version"] == 2


def test_update_leaves_the_instance_equal_to_the_stored_item(make_table: Any, client: Any, mode: str, boto: Any) -> None:
    """Atomic results, nested-path changes and another writer's changes all reach the
    instance, converted like a read (Datetime, Enum, JSON), and the hooks see them."""
    table = make_table()
    seen: list[Any] = []

    class Tier(Enum):
        FREE = "free"
        PRO = "pro"

    class Account(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        visits = NumberAttribute()
        tags = StringSetAttribute()
        address = MapAttribute()
        tier = EnumAttribute(Tier)
        prefs = JSONAttribute()
        seen_at = DatetimeAttribute()
        note = StringAttribute()
        version = VersionAttribute()

        @before_update
        def _before(self) -> None:
            seen.append(("before", self.visits))

        @after_update
        def _after(self) -> None:
            seen.append(("after", self.visits, self.note))

    when = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    account = Account(pk="p", sk="s", visits=1, tags={"a"}, address={"city": "Lisbon", "zip": "1000"},
                      tier=Tier.FREE, prefs={"dark": True}, seen_at=when)
    call(account, mode, "save")
    # Someone else writes an attribute this instance does not know about yet.
    boto.update_item(TableName=table, Key={"pk": {"S": "p"}, "sk": {"S": "s"}},
                     UpdateExpression="SET note = :n", ExpressionAttributeValues={":n": {"S": "from elsewhere"}})

    call(account, mode, "update", atomic=[Account.visits.add(5), Account.tags.add({"b"}),
                                          Account.address["city"].set("Porto")], tier=Tier.PRO)

    stored = boto_get(boto, table, {"pk": "p", "sk": "s"})
    assert stored["visits"] == 6 and stored["tags"] == {"a", "b"} and stored["version"] == 2
    assert stored["address"] == {"city": "Porto", "zip": "1000"} and stored["tier"] == "pro"
    assert account == call(Account, mode, "get", pk="p", sk="s", consistent_read=True)
    assert account.visits == 6 and account.tags == {"a", "b"} and account.version == 2
    assert account.address == {"city": "Porto", "zip": "1000"}
    assert account.tier is Tier.PRO and account.prefs == {"dark": True} and account.seen_at == when
    assert account.note == "from elsewhere"
    assert seen == [("before", 1), ("after", 6, "from elsewhere")]

    # A rejected update leaves the instance exactly as it was.
    before = dict(account.__dict__)
    with pytest.raises(ConditionalCheckFailedException):
        call(account, mode, "update", atomic=[Account.visits.add(1)], condition=Account.visits > 100)
    assert account.__dict__ == before
    assert boto_get(boto, table, {"pk": "p", "sk": "s"})["visits"] == 6

    # Removing through atomic=[...] leaves None on the instance.
    call(account, mode, "update", atomic=[Account.note.remove()])
    assert account.note is None and "note" not in boto_get(boto, table, {"pk": "p", "sk": "s"})
    assert account.version == 3


def test_update_by_key_delete_by_key_and_delete(users: Any, mode: str, boto: Any) -> None:
    table = users.model_config.table
    call(users, mode, "update_by_key", pk="p", sk="s", email="made")
    assert boto_get(boto, table, {"pk": "p", "sk": "s"})["email"] == "made"
    with pytest.raises(ConditionalCheckFailedException):
        call(users, mode, "delete_by_key", condition=users.email == "other", pk="p", sk="s")
    call(users, mode, "delete_by_key", pk="p", sk="s")
    assert boto_get(boto, table, {"pk": "p", "sk": "s"}) is None

    user = users(pk="p", sk="t")
    call(user, mode, "save")
    call(user, mode, "delete")
    assert boto_get(boto, table, {"pk": "p", "sk": "t"}) is None


def test_size_check_sends_nothing(make_table: Any, client: Any, mode: str, boto: Any) -> None:
    users = make_user(make_table(), client, max_size=200)
    with pytest.raises(ItemTooLargeException):
        call(users(pk="p", sk="s", email="x" * 500), mode, "save")
    assert boto_get(boto, users.model_config.table, {"pk": "p", "sk": "s"}) is None
    call(users(pk="p", sk="s", email="small"), mode, "save")


def test_hooks_through_the_twins(make_table: Any, client: Any, mode: str, boto: Any) -> None:
    table = make_table()
    seen: list[str] = []

    class Note(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        text = StringAttribute()

        @before_save
        def _trim(self) -> None:
            self.text = (self.text or "").strip()
            seen.append("before_save")

        @after_save
        def _done(self) -> None:
            seen.append("after_save")

        @after_load
        def _loaded(self) -> None:
            seen.append("after_load")

    call(Note(pk="p", sk="s", text="  hi  "), mode, "save")
    assert boto_get(boto, table, {"pk": "p", "sk": "s"})["text"] == "hi"
    call(Note, mode, "get", pk="p", sk="s")
    assert seen == ["before_save", "after_save", "after_load"]
    call(Note(pk="p", sk="t", text=" x "), mode, "save", skip_hooks=True)
    assert boto_get(boto, table, {"pk": "p", "sk": "t"})["text"] == " x "


def test_model_without_client_raises_before_any_request(make_table: Any, mode: str) -> None:
    class Lost(Model):
        model_config = ModelConfig(table=make_table())
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)

    clear_default_client()
    with pytest.raises(ValueError, match="no DynamoDB client"):
        call(Lost(pk="p", sk="s"), mode, "save")
    with pytest.raises(ValueError, match="no DynamoDB client"):
        call(Lost, mode, "get", pk="p", sk="s")


# --- reads --------------------------------------------------------------------------------------


def test_query_with_conditions_and_order(users: Any, mode: str, boto: Any) -> None:
    seed(boto, users)
    items, result = collect(
        users, mode, "query",
        hash_key="p",
        range_key_condition=users.sk.between("s02", "s07"),
        filter_condition=users.age >= 4,
        scan_index_forward=False,
    )
    assert [u.sk for u in items] == ["s07", "s06", "s05", "s04"]
    assert all(isinstance(u, users) for u in items)
    assert result.last_evaluated_key is None and result.metrics is not None
    items, _ = to_list(users, mode, "query", hash_key="p", limit=3, as_dict=True, fields=["age"])
    assert items == [{"pk": "p", "sk": f"s{i:02d}", "age": i} for i in range(3)]


def test_query_resumed_from_last_evaluated_key_gives_exactly_the_unseen_items(users: Any, mode: str, boto: Any) -> None:
    seed(boto, users)
    first, result = read_some(users, mode, "query", 4, hash_key="p", page_size=3)
    key = result.last_evaluated_key
    assert key == {"pk": "p", "sk": "s03"}
    rest, end = collect(users, mode, "query", hash_key="p", last_evaluated_key=key)
    assert [u.sk for u in first + rest] == [f"s{i:02d}" for i in range(10)]
    assert end.last_evaluated_key is None


def test_query_resumed_from_a_cursor_and_tampered_cursor(users: Any, mode: str, boto: Any) -> None:
    seed(boto, users)
    first, result = read_some(users, mode, "query", 5, hash_key="p", page_size=4)
    cursor = result.cursor
    assert isinstance(cursor, str)
    rest, _ = collect(users, mode, "query", hash_key="p", cursor=cursor)
    assert [u.sk for u in first + rest] == [f"s{i:02d}" for i in range(10)]
    tampered = cursor[:10] + ("x" if cursor[10] != "x" else "y") + cursor[11:]
    with pytest.raises(InvalidCursorError):
        collect(users, mode, "query", hash_key="p", cursor=tampered)


def test_an_expired_cursor_is_refused_before_any_request(users: Any, mode: str, boto: Any, moto_endpoint: str) -> None:
    seed(boto, users)
    with FaultProxy(moto_endpoint) as proxy:
        brief = make_user(users.model_config.table, DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1"), cursor_max_age=1)
        _, result = read_some(brief, mode, "query", 5, hash_key="p", page_size=4)
        cursor, made = result.cursor, time.time()
        # The cursor carries its time in whole seconds: 2 s later it is past a 1 s max age for
        # sure (a slower machine only makes it older).
        time.sleep(max(0.0, made + 2.1 - time.time()))
        sent = proxy.calls["Query"]

        with pytest.raises(InvalidCursorError, match="expired"):
            collect(brief, mode, "query", hash_key="p", cursor=cursor)

        assert proxy.calls["Query"] == sent, "nothing is sent with an expired cursor"
    # The same cursor, under a model allowing an hour, still resumes: only its age was wrong.
    rest, _ = collect(users, mode, "query", hash_key="p", cursor=cursor)
    assert [u.sk for u in rest] == [f"s{i:02d}" for i in range(5, 10)]


def test_gsi_query_resumed_from_last_evaluated_key(users: Any, mode: str, boto: Any) -> None:
    seed(boto, users, pk="a")
    seed(boto, users, pk="b", n=3)  # same email: the GSI holds 13 items for it
    first, result = read_some(users.by_email, mode, "query", 5, email="e@x", page_size=4)
    key = result.last_evaluated_key
    assert set(key) == {"email", "age", "pk", "sk"}
    rest, end = collect(users.by_email, mode, "query", email="e@x", last_evaluated_key=key)
    seen = [(u.pk, u.sk) for u in first + rest]
    assert len(seen) == 13 and len(set(seen)) == 13
    assert all(isinstance(u, users) for u in rest)
    assert end.last_evaluated_key is None
    ages = [u.age for u in first + rest]
    assert ages == sorted(ages)


def test_lsi_query_resumed_from_last_evaluated_key(users: Any, mode: str, boto: Any) -> None:
    seed(boto, users)
    first, result = read_some(
        users.by_age, mode, "query", 3, pk="p", range_key_condition=users.age >= 2, page_size=2, scan_index_forward=False
    )
    key = result.last_evaluated_key
    assert set(key) == {"pk", "age", "sk"}
    rest, _ = collect(
        users.by_age, mode, "query", pk="p", range_key_condition=users.age >= 2,
        scan_index_forward=False, consistent_read=True, last_evaluated_key=key,
    )
    assert [u.age for u in first + rest] == list(range(9, 1, -1))


def test_scan_count_and_parallel_scan(users: Any, mode: str, boto: Any) -> None:
    seed(boto, users)
    items, result = collect(users, mode, "scan", filter_condition=users.age < 5)
    assert sorted(u.age for u in items) == [0, 1, 2, 3, 4]
    first, result = read_some(users, mode, "scan", 4, page_size=3)
    rest, _ = collect(users, mode, "scan", last_evaluated_key=result.last_evaluated_key)
    assert sorted(u.sk for u in first + rest) == [f"s{i:02d}" for i in range(10)]

    segments: list[Any] = []
    for segment in range(2):
        part, _ = collect(users, mode, "scan", segment=segment, total_segments=2)
        segments.extend(part)
    assert len(segments) == 10

    count, metrics = call(users, mode, "count", filter_condition=users.age >= 7)
    assert count == 3 and metrics is not None
    models, metrics = call(users, mode, "parallel_scan", total_segments=3)
    assert sorted(u.age for u in models) == list(range(10))
    dicts, _ = call(users, mode, "parallel_scan", total_segments=2, as_dict=True, filter_condition=users.age == 1)
    assert [d["sk"] for d in dicts] == ["s01"]


def test_batch_get(users: Any, mode: str, boto: Any) -> None:
    seed(boto, users, n=3)
    keys = [{"pk": "p", "sk": "s00"}, {"pk": "p", "sk": "s02"}, {"pk": "p", "sk": "nope"}]
    got = call(users, mode, "batch_get", keys=keys)
    assert sorted(u.sk for u in got) == ["s00", "s02"]
    assert call(users, mode, "batch_get", keys=[]) == []
    dicts = call(users, mode, "batch_get", keys=keys[:1], as_dict=True)
    assert dicts[0]["sk"] == "s00"


def test_execute_statement(users: Any, mode: str, boto: Any) -> None:
    seed(boto, users, n=3)
    table = users.model_config.table
    got = call(users, mode, "execute_statement", statement=f'SELECT * FROM "{table}" WHERE pk = ?', parameters=["p"])
    assert sorted(u.sk for u in got) == ["s00", "s01", "s02"]


def test_execute_statement_reads_every_page(users: Any, mode: str, boto: Any, moto_endpoint: str) -> None:
    """DynamoDB answers a PartiQL statement page by page (moto does not, so a proxy pages
    its answers, 4 items a page): the model follows next_token to the last page."""
    seed(boto, users)
    table = users.model_config.table
    with FaultProxy(moto_endpoint) as proxy:
        proxy.statement_page_size = 4
        paged = make_user(table, DynamoDBClient(endpoint_url=proxy.endpoint, max_retries=0))
        statement = f'SELECT * FROM "{table}" WHERE pk = ?'
        got = call(paged, mode, "execute_statement", statement=statement, parameters=["p"])
        assert proxy.calls["ExecuteStatement"] == 3  # 4 + 4 + 2
    assert sorted(u.sk for u in got) == [f"s{i:02d}" for i in range(10)]
    assert all(isinstance(u, paged) for u in got)
    assert paged.get_total_metrics().operation_count == 3


def test_create_table_exists_and_delete_table(client: Any, mode: str, boto: Any, drop_table: Any) -> None:
    users = make_user(drop_table(unique_name()), client)
    assert call(users, mode, "table_exists") is False
    call(users, mode, "create_table", wait=True)
    assert call(users, mode, "table_exists") is True
    description = boto.describe_table(TableName=users.model_config.table)["Table"]
    assert {i["IndexName"] for i in description["GlobalSecondaryIndexes"]} == {"by-email"}
    assert {i["IndexName"] for i in description["LocalSecondaryIndexes"]} == {"by-age"}
    call(users(pk="p", sk="s", email="e", age=1), mode, "save")
    assert [u.sk for u in collect(users.by_email, mode, "query", email="e")[0]] == ["s"]
    call(users, mode, "delete_table")
    assert call(users, mode, "table_exists") is False


def test_update_to_none_removes_and_ttl_is_stored_as_epoch(make_table: Any, client: Any, mode: str, boto: Any) -> None:
    table = make_table()

    class Session(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        note = StringAttribute()
        expires = TTLAttribute()

    session = Session(pk="p", sk="s", note="n", expires=datetime(2030, 1, 1, tzinfo=timezone.utc))
    call(session, mode, "save")
    assert boto_get(boto, table, {"pk": "p", "sk": "s"})["expires"] == 1893456000
    session.extend_ttl(datetime(2031, 1, 1, tzinfo=timezone.utc))
    call(session, mode, "update", note=None, expires=session.expires)
    stored = boto_get(boto, table, {"pk": "p", "sk": "s"})
    assert "note" not in stored and stored["expires"] == 1924992000
    loaded = call(Session, mode, "get", pk="p", sk="s")
    assert loaded.expires == datetime(2031, 1, 1, tzinfo=timezone.utc) and loaded.note is None


def test_result_first_to_list_and_metrics(users: Any, mode: str, boto: Any) -> None:
    seed(boto, users, n=4)
    if mode == "sync":
        first = users.query(hash_key="p").first()
        everything = users.scan(as_dict=True, fields=["age"]).to_list()
    else:

        async def run() -> tuple[Any, Any]:
            return await users.async_query(hash_key="p").first(), await users.async_scan(as_dict=True, fields=["age"]).to_list()

        first, everything = asyncio.run(run())
    assert first.sk == "s00"
    assert sorted(d["age"] for d in everything) == [0, 1, 2, 3]
    assert all(set(d) == {"pk", "sk", "age"} for d in everything)
    items, result = collect(users, mode, "query", hash_key="p", page_size=2)
    assert len(items) == 4 and result.metrics is not None and result.cursor is None


def test_every_page_a_query_or_scan_fetches_counts_once_in_the_model_metrics(users: Any, mode: str, boto: Any, client: Any) -> None:
    seed(boto, users)  # 10 items: pages of 3 are 3 + 3 + 3 + 1
    users.reset_metrics()
    client.reset_metrics()

    items, result = collect(users, mode, "query", hash_key="p", page_size=3)

    assert len(items) == 10
    totals = users.get_total_metrics()
    assert (totals.query_count, totals.operation_count) == (4, 4)
    assert users.get_total_metrics().query_count == 4  # reading twice counts nothing twice
    # The same pages the client counted, with the same capacity and time.
    assert client.get_total_metrics().query_count == 4
    assert totals.total_rcu == pytest.approx(client.get_total_metrics().total_rcu) and totals.total_rcu > 0
    assert totals.total_duration_ms == pytest.approx(client.get_total_metrics().total_duration_ms)
    assert users.get_last_metrics() == result.metrics

    # Stopping part-way: only the pages fetched count, and dropping the result adds nothing.
    users.reset_metrics()
    first, result = read_some(users, mode, "query", 4, hash_key="p", page_size=3)
    assert len(first) == 4 and users.get_total_metrics().query_count == 2
    assert users.get_last_metrics() == result.metrics
    del result
    assert users.get_total_metrics().query_count == 2

    # Pages with no item left after the filter count too (to_list reads them in one go).
    users.reset_metrics()
    found, _ = to_list(users, mode, "scan", filter_condition=users.age > 100, page_size=3)
    assert found == [] and users.get_total_metrics().scan_count == 4

    # Index queries count as queries; a result only ever started counts when dropped.
    users.reset_metrics()
    client.reset_metrics()
    collect(users.by_email, mode, "query", email="e@x", page_size=5)
    collect(users.by_age, mode, "query", pk="p", page_size=20)
    if mode == "sync":
        assert users.query(hash_key="p", page_size=2).first() is not None
    else:

        async def first() -> Any:
            return await users.async_query(hash_key="p", page_size=2).first()

        assert asyncio.run(first()) is not None
    assert users.get_total_metrics().query_count == client.get_total_metrics().query_count >= 2 + 1 + 1


def test_model_metrics_keep_the_order_of_pages_and_other_calls(users: Any, mode: str, boto: Any) -> None:
    seed(boto, users)
    users.reset_metrics()

    def check_after_save() -> None:
        last = users.get_last_metrics()
        assert last is not None and last.consumed_wcu is not None  # the save, not the page before it
        assert users.get_total_metrics().query_count == 1 and users.get_total_metrics().put_count == 1

    if mode == "sync":
        result = users.query(hash_key="p", page_size=3)
        next(result)
        users(pk="p", sk="new").save()
        check_after_save()
        for _ in range(3):  # the third item ends the page: the next one fetches another
            result.first()
    else:

        async def run() -> Any:
            result = users.async_query(hash_key="p", page_size=3)
            await result.__anext__()
            await users(pk="p", sk="new").async_save()
            check_after_save()
            for _ in range(3):
                await result.first()
            return result

        result = asyncio.run(run())
    # The page fetched after the save is the last call now.
    assert users.get_last_metrics() == result.metrics and users.get_total_metrics().query_count == 2


def test_gsi_cursor_resumes_and_other_model_cursor_is_rejected(users: Any, mode: str, boto: Any, make_table: Any, client: Any) -> None:
    seed(boto, users)
    first, result = read_some(users.by_email, mode, "query", 4, email="e@x", page_size=3)
    rest, _ = collect(users.by_email, mode, "query", email="e@x", cursor=result.cursor)
    assert [u.age for u in first + rest] == list(range(10))
    with pytest.raises(InvalidCursorError, match="another model"):
        collect(users, mode, "query", hash_key="p", cursor=result.cursor)


def test_concurrent_async_twins(users: Any, boto: Any) -> None:
    async def run() -> list[Any]:
        people = [users(pk="p", sk=f"s{i:02d}", age=i) for i in range(20)]
        await asyncio.gather(*(person.async_save() for person in people))
        assert all(person.version == 1 for person in people)
        return await asyncio.gather(*(users.async_get(pk="p", sk=f"s{i:02d}") for i in range(20)))

    loaded = asyncio.run(run())
    assert [u.age for u in loaded] == list(range(20))
    assert len(boto_scan(boto, users.model_config.table)) == 20


def test_update_and_delete_hooks_through_the_twins(make_table: Any, client: Any, mode: str) -> None:
    table = make_table()
    seen: list[str] = []

    class Note(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        text = StringAttribute()

        @before_update
        def _before_update(self) -> None:
            seen.append(f"before_update {self.text}")

        @after_update
        def _after_update(self) -> None:
            seen.append(f"after_update {self.text}")

        @before_delete
        def _before_delete(self) -> None:
            seen.append("before_delete")

        @after_delete
        def _after_delete(self) -> None:
            seen.append("after_delete")

    note = Note(pk="p", sk="s", text="a")
    call(note, mode, "save")
    call(note, mode, "update", text="b")
    call(note, mode, "delete")
    assert seen == ["before_update a", "after_update b", "before_delete", "after_delete"]
    with pytest.raises(ConditionalCheckFailedException):
        call(Note(pk="p", sk="t", text="x"), mode, "update", text="y", condition=Note.pk.exists())
    assert seen[-1] == "before_update x"  # no after hook for a rejected write
