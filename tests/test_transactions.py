"""`Transaction` / `AsyncTransaction` through one test body each (`mode`), against the moto
server, with boto3 checking what was stored; faults through tests/faults.py's proxy."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from faults import Fault
from support import boto_get, boto_put, boto_scan

import pydynox
from pydynox import AsyncTransaction, Model, ModelConfig, Transaction
from pydynox.attributes import NumberAttribute, StringAttribute, VersionAttribute
from pydynox.exceptions import ConnectionException, ParamValidationException, PydynoxException, TransactionCanceledException
from pydynox.hooks import after_save, before_save


def run(client: Any, mode: str, body: Callable[[Any], None], **options: Any) -> Any:
    """`with Transaction(client) as txn: body(txn)`, or the `async with AsyncTransaction`
    form; returns the transaction."""
    if mode == "sync":
        with Transaction(client, **options) as txn:
            body(txn)
        return txn

    async def block() -> Any:
        async with AsyncTransaction(client, **options) as txn:
            body(txn)
        return txn

    return asyncio.run(block())


def commit(txn: Any, mode: str) -> None:
    """`txn.commit()`, or `await txn.commit()`."""
    if mode == "sync":
        txn.commit()
    else:
        asyncio.run(txn.commit())


def new(client: Any, mode: str, **options: Any) -> Any:
    return (Transaction if mode == "sync" else AsyncTransaction)(client, **options)


def make_account(table: str, client: Any, events: list[str] | None = None) -> Any:
    class Account(Model):
        model_config = ModelConfig(table=table, client=client)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        owner = StringAttribute()
        balance = NumberAttribute()
        version = VersionAttribute()

        @before_save
        def _before(self) -> None:
            if events is not None:
                events.append(f"before_save {self.pk}")

        @after_save
        def _after(self) -> None:
            if events is not None:
                events.append(f"after_save {self.pk}")

    return Account


# --- raw writes (0.21.0's arguments) ---------------------------------------------------------


def test_commit_applies_every_raw_write(client, boto, make_table, mode):
    orders, accounts = make_table(), make_table()
    boto_put(boto, accounts, {"pk": "acc#1", "sk": "v", "balance": 100})
    boto_put(boto, accounts, {"pk": "old", "sk": "v"})
    boto_put(boto, accounts, {"pk": "guard", "sk": "v", "open": True})

    def body(txn: Any) -> None:
        txn.put(orders, {"pk": "order#1", "sk": "v", "total": 30})
        txn.update(
            accounts,
            {"pk": "acc#1", "sk": "v"},
            "SET #b = #b - :t",
            condition_expression="#b >= :t",
            expression_attribute_names={"#b": "balance"},
            expression_attribute_values={":t": 30},
        )
        txn.delete(accounts, {"pk": "old", "sk": "v"})
        txn.condition_check(accounts, {"pk": "guard", "sk": "v"}, "#o = :y", {"#o": "open"}, {":y": True})
        assert boto_get(boto, orders, {"pk": "order#1", "sk": "v"}) is None  # nothing sent inside the block

    txn = run(client, mode, body)

    assert boto_get(boto, orders, {"pk": "order#1", "sk": "v"}) == {"pk": "order#1", "sk": "v", "total": 30}
    assert boto_get(boto, accounts, {"pk": "acc#1", "sk": "v"})["balance"] == 70
    assert boto_get(boto, accounts, {"pk": "old", "sk": "v"}) is None
    assert len(txn) == 0 and txn.client_request_token is None  # committed: empty, next commit gets a new token


def test_failed_condition_cancels_all_with_reasons_in_order(client, boto, table, mode):
    boto_put(boto, table, {"pk": "guard", "sk": "v", "open": False})

    def body(txn: Any) -> None:
        txn.put(table, {"pk": "a", "sk": "v"})
        txn.condition_check(table, {"pk": "guard", "sk": "v"}, "#o = :y", {"#o": "open"}, {":y": True})
        txn.put(table, {"pk": "b", "sk": "v"})

    with pytest.raises(TransactionCanceledException) as info:
        run(client, mode, body)

    reasons = info.value.reasons
    assert [r["code"] in (None, "None") for r in reasons] == [True, False, True], reasons
    assert reasons[1]["code"] == "ConditionalCheckFailed"
    assert boto_scan(boto, table) == [{"pk": "guard", "sk": "v", "open": False}]


def test_exception_in_block_sends_nothing(proxied, proxy, boto, table, mode):
    seen: list[Any] = []

    def body(txn: Any) -> None:
        seen.append(txn)
        txn.put(table, {"pk": "a", "sk": "v"})
        raise KeyError("the caller's own failure")

    with pytest.raises(KeyError, match="the caller's own failure"):
        run(proxied, mode, body)

    assert proxy.calls["TransactWriteItems"] == 0
    assert boto_scan(boto, table) == []
    commit(seen[0], mode)  # the abandoned writes were dropped: a later commit sends nothing
    assert proxy.calls["TransactWriteItems"] == 0


def test_empty_transaction_sends_nothing(proxied, proxy, mode):
    txn = run(proxied, mode, lambda txn: None)
    assert proxy.calls["TransactWriteItems"] == 0 and len(txn) == 0


def test_commit_early_then_again_on_exit(client, boto, table, mode):
    txn = new(client, mode)
    txn.put(table, {"pk": "first", "sk": "v"})
    commit(txn, mode)
    assert boto_get(boto, table, {"pk": "first", "sk": "v"}) is not None
    txn.put(table, {"pk": "second", "sk": "v"})
    commit(txn, mode)
    assert {i["pk"] for i in boto_scan(boto, table)} == {"first", "second"}


# --- limits, checked before sending ----------------------------------------------------------


def test_the_101st_operation_is_refused(proxied, proxy, table, mode):
    txn = new(proxied, mode)
    for n in range(100):
        txn.put(table, {"pk": f"p{n}", "sk": "v"})
    with pytest.raises(ParamValidationException, match=r"at most 100 operations.*number 101"):
        txn.put(table, {"pk": "one-too-many", "sk": "v"})
    assert len(txn) == 100 and proxy.calls["TransactWriteItems"] == 0


@pytest.mark.parametrize(
    "second",
    [
        ("delete", {"pk": "same", "sk": "v"}),
        ("put", {"pk": "same", "sk": "v", "x": 1}),
    ],
)
def test_two_operations_on_one_item_are_refused(proxied, proxy, boto, table, mode, second):
    kind, value = second

    def body(txn: Any) -> None:
        txn.update(table, {"pk": "same", "sk": "v"}, "SET x = :one", expression_attribute_values={":one": 1})
        getattr(txn, kind)(table, value)

    with pytest.raises(ParamValidationException, match=r"operations 0 \(update\) and 1 \(" + kind + r"\).*one operation per item"):
        run(proxied, mode, body)
    assert proxy.calls["TransactWriteItems"] == 0
    assert boto_scan(boto, table) == []


def test_over_four_megabytes_is_refused(proxied, proxy, table, mode):
    big = "x" * 390_000  # under the 400 KB item limit; eleven of them are over 4 MB

    def body(txn: Any) -> None:
        for n in range(11):
            txn.put(table, {"pk": f"p{n}", "sk": "v", "blob": big})

    with pytest.raises(ParamValidationException, match=r"11 operations hold \d+ bytes, over DynamoDB's 4194304"):
        run(proxied, mode, body)
    assert proxy.calls["TransactWriteItems"] == 0


@pytest.mark.parametrize(
    "bad, message",
    [
        (lambda txn, t: txn.put(t, "not a dict"), r"put on table .*: item must be a non-empty dict"),
        (lambda txn, t: txn.put(42, {"pk": "a"}), r"put: table must be a table name"),
        (lambda txn, t: txn.update(t, {"pk": "a", "sk": "v"}, ""), r"update_expression must be a non-empty str"),
        (lambda txn, t: txn.condition_check(t, {"pk": "a", "sk": "v"}), r"condition_expression must be a non-empty str"),
        (lambda txn, t: txn.delete(t, {"pk": "a", "sk": "v"}, condition=object()), r"condition apply to a model instance only"),
    ],
)
def test_bad_arguments_fail_where_they_are_passed(proxied, proxy, table, mode, bad, message):
    txn = new(proxied, mode)
    with pytest.raises((TypeError, ValueError), match=message):
        bad(txn, table)
    assert len(txn) == 0 and proxy.calls["TransactWriteItems"] == 0


def test_client_request_token_is_checked(client, mode):
    with pytest.raises(ParamValidationException, match="client_request_token must be a str of 1 to 36"):
        new(client, mode, client_request_token="x" * 37)
    with pytest.raises(PydynoxException, match="client_request_token must be 1 to 36 characters"):
        client.transact_write([], client_request_token="")


# --- models --------------------------------------------------------------------------------


def test_models_are_written_and_updated_only_after_commit(client, boto, table, mode):
    events: list[str] = []
    Account = make_account(table, client, events)
    stored = Account(pk="acc#2", sk="v", owner="bo", balance=5)
    stored.save()  # version 1
    doomed = Account(pk="acc#3", sk="v", owner="cy", balance=1)
    doomed.save()
    guard = Account(pk="acc#4", sk="v", owner="di", balance=50)
    guard.save()
    events.clear()
    fresh = Account(pk="acc#1", sk="v", owner="al", balance=100)

    def body(txn: Any) -> None:
        txn.save(fresh)
        txn.update(stored, balance=35)
        txn.delete(doomed)
        txn.condition_check(guard, Account.balance >= 50)
        # Before the commit: before-hooks ran, nothing reached the instances yet.
        assert events == ["before_save acc#1"]
        assert fresh.version is None and stored.version == 1 and stored.balance == 5

    run(client, mode, body)

    assert events == ["before_save acc#1", "after_save acc#1"]
    assert (fresh.version, stored.version, stored.balance) == (1, 2, 35)
    assert boto_get(boto, table, {"pk": "acc#1", "sk": "v"}) == {"pk": "acc#1", "sk": "v", "owner": "al", "balance": 100, "version": 1}
    assert boto_get(boto, table, {"pk": "acc#2", "sk": "v"})["balance"] == 35
    assert boto_get(boto, table, {"pk": "acc#2", "sk": "v"})["version"] == 2
    assert boto_get(boto, table, {"pk": "acc#3", "sk": "v"}) is None


def test_a_stale_model_cancels_everything_and_changes_no_instance(client, boto, table, mode):
    events: list[str] = []
    Account = make_account(table, client, events)
    account = Account(pk="acc#1", sk="v", owner="al", balance=10)
    account.save()
    boto.update_item(  # someone else's write since: version 2 in the table
        TableName=table, Key={"pk": {"S": "acc#1"}, "sk": {"S": "v"}},
        UpdateExpression="SET version = :two", ExpressionAttributeValues={":two": {"N": "2"}},
    )
    other = Account(pk="acc#9", sk="v", owner="zed", balance=1)
    events.clear()

    def body(txn: Any) -> None:
        txn.save(other)
        txn.update(account, balance=0)

    with pytest.raises(TransactionCanceledException) as info:
        run(client, mode, body)

    assert [r["code"] for r in info.value.reasons][1] == "ConditionalCheckFailed"
    assert (account.version, account.balance, other.version) == (1, 10, None)
    assert events == ["before_save acc#9"]  # no after_save: nothing was written
    assert boto_get(boto, table, {"pk": "acc#9", "sk": "v"}) is None


def test_model_and_raw_writes_on_one_item_are_refused(proxied, proxy, table, mode):
    Account = make_account(table, proxied)
    account = Account(pk="acc#1", sk="v", owner="al", balance=10)

    def body(txn: Any) -> None:
        txn.save(account)
        txn.delete(table, {"pk": "acc#1", "sk": "v"})

    with pytest.raises(ParamValidationException, match="one operation per item"):
        run(proxied, mode, body)
    assert proxy.calls["TransactWriteItems"] == 0 and account.version is None


def test_a_model_save_and_a_raw_put_of_its_item_are_refused(proxied, proxy, table, mode):
    # No operation carries a key dict here: the model's schema tells the table's key.
    Account = make_account(table, proxied)
    account = Account(pk="acc#1", sk="v", owner="al", balance=10)

    def body(txn: Any) -> None:
        txn.put(table, {"pk": "acc#1", "sk": "v", "owner": "someone else"})
        txn.save(account)

    with pytest.raises(ParamValidationException, match=r"operations 0 \(put\) and 1 \(put\)"):
        run(proxied, mode, body)
    assert proxy.calls["TransactWriteItems"] == 0


def test_model_forms_refuse_raw_arguments(client, table, mode):
    Account = make_account(table, client)
    account = Account(pk="acc#1", sk="v", owner="al", balance=10)
    txn = new(client, mode)
    with pytest.raises(TypeError, match="update_expression belong to update"):
        txn.update(account, update_expression="SET x = :y")
    with pytest.raises(TypeError, match="a condition is required"):
        txn.condition_check(account)
    with pytest.raises(TypeError, match="expected a model instance"):
        txn.save({"pk": "a"})
    assert len(txn) == 0


def test_transact_get_reads_several_models(client, table, make_table, mode):
    Account = make_account(table, client)
    other_table = make_table()

    class Owner(Model):
        model_config = ModelConfig(table=other_table, client=client)
        pk = StringAttribute(hash_key=True)
        sk = StringAttribute(range_key=True)
        name = StringAttribute()

    Account(pk="acc#1", sk="v", owner="al", balance=10).save()
    Owner(pk="al", sk="v", name="Al").save()

    gets = [Account(pk="acc#1", sk="v"), (Owner, {"pk": "al", "sk": "v"}), {"pk": "missing", "sk": "v"}]
    if mode == "sync":
        got = Account.transact_get(gets)
    else:
        got = asyncio.run(Account.async_transact_get(gets))

    assert isinstance(got[0], Account) and (got[0].balance, got[0].version) == (10, 1)
    assert isinstance(got[1], Owner) and got[1].name == "Al"
    assert got[2] is None


# --- the token, without a server (the core only; no I/O, so no twin to run) ------------------


def test_the_generated_token_is_kept_until_a_commit_succeeds(client):
    from pydynox._model.transaction import finish_commit, plan_commit

    txn = Transaction(client)
    txn.put("t", {"pk": "a"})
    first = plan_commit(txn)
    token = first.args["client_request_token"]
    assert len(token) == 36 and txn.client_request_token == token
    assert plan_commit(txn).args["client_request_token"] == token  # the commit failed: retried as it was
    txn.put("t", {"pk": "b"})  # other writes: another transaction to DynamoDB
    second = plan_commit(txn).args["client_request_token"]
    assert second != token
    finish_commit(plan_commit(txn), None)
    assert txn.client_request_token is None and len(txn) == 0


def test_a_given_token_is_kept_across_added_writes(client):
    from pydynox._model.transaction import plan_commit

    txn = Transaction(client, client_request_token="mine")
    txn.put("t", {"pk": "a"})
    plan_commit(txn)
    txn.put("t", {"pk": "b"})
    assert plan_commit(txn).args["client_request_token"] == "mine"


# --- faults --------------------------------------------------------------------------------


def test_a_commit_retried_after_an_ambiguous_failure_is_applied_once(proxy, boto, table, mode):
    """The first answer is lost after the write was applied: the user's retry sends the same
    token, and DynamoDB (the proxy in moto's place, see faults.py) applies it once."""
    proxy.honour_client_request_tokens = True
    proxy.inject("TransactWriteItems", Fault.APPLIED_THEN_500, 1)
    client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=0)
    boto_put(boto, table, {"pk": "counter", "sk": "v", "n": 0})
    txn = new(client, mode)
    txn.update(table, {"pk": "counter", "sk": "v"}, "ADD n :one", expression_attribute_values={":one": 1})

    with pytest.raises(PydynoxException):
        commit(txn, mode)
    assert boto_get(boto, table, {"pk": "counter", "sk": "v"})["n"] == 1  # applied, though it failed
    commit(txn, mode)

    assert boto_get(boto, table, {"pk": "counter", "sk": "v"})["n"] == 1
    first, retry = proxy.transaction_tokens
    assert first is not None and first == retry


def test_the_clients_own_retry_reuses_the_token(proxy, boto, table, mode):
    proxy.honour_client_request_tokens = True
    proxy.inject("TransactWriteItems", Fault.APPLIED_THEN_500, 1)
    client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=2)
    boto_put(boto, table, {"pk": "counter", "sk": "v", "n": 0})

    run(client, mode, lambda txn: txn.update(table, {"pk": "counter", "sk": "v"}, "ADD n :one", expression_attribute_values={":one": 1}))

    assert boto_get(boto, table, {"pk": "counter", "sk": "v"})["n"] == 1
    assert len(proxy.transaction_tokens) == 2 and len(set(proxy.transaction_tokens)) == 1


def test_a_given_token_is_sent(proxy, table, mode):
    client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1")
    run(client, mode, lambda txn: txn.put(table, {"pk": "a", "sk": "v"}), client_request_token="order-42-payment")
    assert proxy.transaction_tokens == ["order-42-payment"]


@pytest.mark.parametrize("fault", Fault.ALL)
def test_a_fault_before_the_write_leaves_the_table_and_models_as_they_were(proxy, boto, table, mode, fault):
    """Every fault the proxy injects instead of forwarding: the commit fails, nothing is
    written, the instance is unchanged, and committing again writes it once."""
    proxy.hold_seconds = 5.0
    proxy.inject("TransactWriteItems", fault, 1)
    client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=0, read_timeout=1.0)
    Account = make_account(table, client)
    account = Account(pk="acc#1", sk="v", owner="al", balance=10)
    txn = new(client, mode)
    txn.save(account)

    with pytest.raises((PydynoxException, ConnectionException, TimeoutError)):
        commit(txn, mode)
    assert boto_scan(boto, table) == [] and account.version is None

    commit(txn, mode)
    assert account.version == 1 and len(boto_scan(boto, table)) == 1


# --- pydynox 0.21.0's names and calls --------------------------------------------------------


def test_0_21_0_imports_and_constructor():
    # Code written for 0.21.0 imports the pair from either module and builds it from a client alone.
    from pydynox.transaction import AsyncTransaction as FromModule, Transaction as SyncFromModule

    assert FromModule is pydynox.AsyncTransaction and SyncFromModule is pydynox.Transaction
    import inspect

    for cls in (Transaction, AsyncTransaction):
        positional = [p.name for p in inspect.signature(cls).parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD]
        assert positional == ["client"]


def test_0_21_0_keyword_calls(client, boto, table, mode):
    boto_put(boto, table, {"pk": "guard", "sk": "v", "open": True})

    def body(txn: Any) -> None:
        txn.put(table=table, item={"pk": "a", "sk": "v", "n": 1})
        txn.update(
            table=table, key={"pk": "b", "sk": "v"}, update_expression="SET n = :n", expression_attribute_values={":n": 2}
        )
        txn.condition_check(
            table=table, key={"pk": "guard", "sk": "v"}, condition_expression="attribute_exists(pk)"
        )

    run(client, mode, body)
    assert [i["n"] for i in sorted(boto_scan(boto, table), key=lambda i: i["pk"]) if "n" in i] == [1, 2]


def test_the_client_retries_throttling_and_errors_then_commits_once(proxy, boto, table, mode):
    proxy.inject("TransactWriteItems", Fault.THROTTLED, 1)
    proxy.inject("TransactWriteItems", Fault.SERVER_ERROR, 2)
    proxy.inject("TransactWriteItems", Fault.RESET, 3)
    client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=4)
    Account = make_account(table, client)
    account = Account(pk="acc#1", sk="v", owner="al", balance=10)

    run(client, mode, lambda txn: txn.save(account))

    assert account.version == 1 and proxy.calls["TransactWriteItems"] == 4
    assert len(set(proxy.transaction_tokens)) == 1  # one token for the attempts of one commit
    assert boto_scan(boto, table) == [{"pk": "acc#1", "sk": "v", "owner": "al", "balance": 10, "version": 1}]


@pytest.mark.parametrize("fault", Fault.ALL)
def test_transact_get_fails_cleanly_then_reads(proxy, boto, table, mode, fault):
    proxy.hold_seconds = 5.0
    proxy.inject("TransactGetItems", fault, 1)
    client = pydynox.DynamoDBClient(endpoint_url=proxy.endpoint, region="us-east-1", max_retries=0, read_timeout=1.0)
    Account = make_account(table, client)
    boto_put(boto, table, {"pk": "acc#1", "sk": "v", "owner": "al", "balance": 10, "version": 1})

    def read() -> list[Any]:
        gets = [{"pk": "acc#1", "sk": "v"}]
        return Account.transact_get(gets) if mode == "sync" else asyncio.run(Account.async_transact_get(gets))

    with pytest.raises((PydynoxException, TimeoutError)):
        read()
    (got,) = read()
    assert (got.owner, got.balance, got.version) == ("al", 10, 1)


# --- a model without a client of its own -------------------------------------------------


@pytest.fixture
def no_default_client() -> Any:
    """No default client for the test (the one set before, if any, is put back after)."""
    before = pydynox.get_default_client()
    pydynox.clear_default_client()
    yield
    if before is not None:
        pydynox.set_default_client(before)


def test_model_writes_go_through_the_transactions_client(no_default_client, client, boto, table, mode):
    # The model class has no client and there is no default: the transaction's client,
    # which sends the commit, is the one its model writes are planned with.
    Account = make_account(table, None)
    boto_put(boto, table, {"pk": "acc#2", "sk": "v", "owner": "bo", "balance": 5, "version": 1})
    boto_put(boto, table, {"pk": "acc#3", "sk": "v", "owner": "cy", "balance": 1})
    boto_put(boto, table, {"pk": "acc#4", "sk": "v", "owner": "di", "balance": 50})
    fresh = Account(pk="acc#1", sk="v", owner="al", balance=100)
    stored = Account(pk="acc#2", sk="v", owner="bo", balance=5, version=1)
    doomed = Account(pk="acc#3", sk="v")
    guard = Account(pk="acc#4", sk="v")
    with pytest.raises(ValueError, match="Account: no DynamoDB client"):
        fresh.save()  # the model alone cannot write

    def body(txn: Any) -> None:
        txn.save(fresh)
        txn.update(stored, balance=35)
        txn.delete(doomed)
        txn.condition_check(guard, Account.balance >= 50)

    run(client, mode, body)

    assert (fresh.version, stored.version, stored.balance) == (1, 2, 35)
    assert boto_get(boto, table, {"pk": "acc#1", "sk": "v"}) == {"pk": "acc#1", "sk": "v", "owner": "al", "balance": 100, "version": 1}
    assert boto_get(boto, table, {"pk": "acc#2", "sk": "v"}) == {"pk": "acc#2", "sk": "v", "owner": "bo", "balance": 35, "version": 2}
    assert boto_get(boto, table, {"pk": "acc#3", "sk": "v"}) is None



def test_an_integration_models_update_is_validated_as_its_own_update(client, boto, make_table, mode):
    # A pydantic model's values go through pydantic (coerced, validators applied), as in user.update().
    import pydantic

    from test_integrations import GSIS, pydantic_user

    table = make_table(gsis=GSIS)
    User = pydantic_user(table, client)
    user = User(pk="u1", sk="a", email="a@x", age=1)
    user.save()

    with pytest.raises(pydantic.ValidationError, match="age"):
        run(client, mode, lambda txn: txn.update(user, age="many"))
    run(client, mode, lambda txn: txn.update(user, age="7", email="NEW@X"))

    assert (user.age, user.email) == (7, "new@x")
    stored = boto_get(boto, table, {"pk": "u1", "sk": "a"})
    assert (stored["age"], stored["email"]) == (7, "new@x")
