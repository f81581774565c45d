"""pydynox's pytest plugin, used as a user would: a small suite in its own directory, run
by pytest in a subprocess (pytester), finding the fixtures through the `pytest11` entry
point with no conftest of ours. The server behind the fixtures is a real DynamoDB
implementation, so the suite also shows a write production would reject being rejected."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest_plugins = ("pytester",)

# The user's models, in their own module as in a real project.
MODELS = '''
from pydynox import GlobalSecondaryIndex, Model, ModelConfig
from pydynox.attributes import NumberAttribute, StringAttribute


class User(Model):
    model_config = ModelConfig(table="users")
    pk = StringAttribute(hash_key=True)
    email = StringAttribute()
    visits = NumberAttribute(default=0)
    by_email = GlobalSecondaryIndex(index_name="by-email", hash_key="email")


class Order(Model):
    model_config = ModelConfig(table="orders")
    customer = StringAttribute(hash_key=True)
    order_id = StringAttribute(range_key=True)
    total = NumberAttribute()
'''

CONFTEST = '''
import pytest


@pytest.fixture
def pydynox_seed():
    return {"users": [{"pk": "seeded", "email": "seed@example.com", "visits": 3}]}
'''

SUITE = '''
import asyncio

import boto3
import pytest

from pydynox import get_default_client
from pydynox.exceptions import ConditionalCheckFailedException
from pydynox.testing import MemoryBackend, memory_backend
from models import Order, User


def test_save_and_get(pydynox_memory_backend):
    User(pk="u1", email="ada@example.com").save()
    assert User.get(pk="u1").email == "ada@example.com"
    assert list(pydynox_memory_backend.tables["users"]) == ["u1"]


def test_async_twins(pydynox_memory_backend):
    async def main():
        await User(pk="u2", email="bob@example.com").async_save()
        return await User.async_get(pk="u2")

    assert asyncio.run(main()).email == "bob@example.com"


def test_each_test_starts_empty(pydynox_memory_backend):
    # test_save_and_get wrote u1; this test must not see it.
    assert User.get(pk="u1") is None
    assert pydynox_memory_backend.tables == {"users": {}, "orders": {}}


def test_conditional_write_is_rejected(pydynox_memory_backend):
    User(pk="u3", email="first@example.com").save()
    with pytest.raises(ConditionalCheckFailedException):
        User(pk="u3", email="second@example.com").save(condition=User.pk.not_exists())
    assert User.get(pk="u3").email == "first@example.com"


def test_index_was_created_from_the_model(pydynox_memory_backend):
    User(pk="u4", email="idx@example.com").save()
    assert [u.pk for u in User.by_email.query(email="idx@example.com")] == ["u4"]


def test_range_key_and_query(pydynox_memory_backend):
    for n in range(3):
        Order(customer="ada", order_id=f"{n:04}", total=n).save()
    assert [o.order_id for o in Order.query(hash_key="ada")] == ["0000", "0001", "0002"]


def test_the_server_is_real_dynamodb(pydynox_memory_backend):
    # An independent client on the same endpoint sees what the model wrote.
    User(pk="u5", email="x@example.com").save()
    boto = boto3.client("dynamodb", endpoint_url=pydynox_memory_backend.endpoint, region_name="us-east-1",
                        aws_access_key_id="k", aws_secret_access_key="s")
    assert boto.get_item(TableName="users", Key={"pk": {"S": "u5"}})["Item"]["email"] == {"S": "x@example.com"}


def test_seeded(pydynox_memory_backend_seeded):
    assert User.get(pk="seeded").visits == 3


def test_factory(pydynox_memory_backend_factory):
    with pydynox_memory_backend_factory(seed={"orders": [{"customer": "c", "order_id": "1", "total": 5}]}):
        assert Order.get(customer="c", order_id="1").total == 5
    assert get_default_client() is None


def test_seed_for_a_table_without_model(pydynox_memory_backend_factory):
    with pytest.raises(ValueError, match="no table 'nope'"):
        with pydynox_memory_backend_factory(seed={"nope": [{"pk": "1"}]}):
            pass


def test_memory_backend_context_manager():
    with memory_backend() as backend:
        User(pk="u6", email="cm@example.com").save()
        assert "u6" in backend.tables["users"]
    assert get_default_client() is None


@MemoryBackend()
def test_memory_backend_decorator():
    User(pk="u7", email="deco@example.com").save()
    assert User.get(pk="u7") is not None


def test_table_for_one_test(pydynox_table):
    from pydynox import Model, ModelConfig
    from pydynox.attributes import StringAttribute

    class Note(Model):
        model_config = ModelConfig(table="notes")
        pk = StringAttribute(hash_key=True)

    pydynox_table(Note)
    Note(pk="n1").save()
    assert Note.get(pk="n1") is not None
'''

# What a suite written for a forgiving stand-in would assert; DynamoDB says otherwise.
WRONG_EXPECTATION = '''
from models import User


def test_overwrite_despite_condition(pydynox_memory_backend):
    User(pk="dup", email="a@example.com").save()
    User(pk="dup", email="b@example.com").save(condition=User.pk.not_exists())
'''


@pytest.fixture
def user_project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    pytester.makepyfile(models=MODELS)
    pytester.makeconftest(CONFTEST)
    # The user's machine has no AWS configuration at all: the plugin must not need one.
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    return pytester


def test_user_suite_passes(user_project: pytest.Pytester) -> None:
    user_project.makepyfile(test_user_suite=SUITE)
    result = user_project.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=SUITE.count("\ndef test_"))


def test_a_write_production_rejects_fails_the_users_test(user_project: pytest.Pytester) -> None:
    user_project.makepyfile(test_wrong=WRONG_EXPECTATION)
    result = user_project.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*ConditionalCheckFailedException*"])


def test_fixtures_are_registered_through_the_entry_point(user_project: pytest.Pytester) -> None:
    result = user_project.runpytest_subprocess("--fixtures", "-p", "no:cacheprovider")
    listed = {line.split()[0] for line in result.stdout.lines if line.startswith("pydynox_")}
    assert listed >= {
        "pydynox_memory_backend", "pydynox_memory_backend_factory", "pydynox_seed",
        "pydynox_memory_backend_seeded", "pydynox_table", "pydynox_server",
    }


def test_the_testing_page_runs_as_a_test_module(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    # docs/testing.md's ```python blocks, in order, are one test module: run it as a user would.
    page = Path(__file__).resolve().parent.parent / "docs" / "testing.md"
    source = "\n\n".join(re.findall(r"^```python\n(.*?)^```", page.read_text(), re.S | re.M))
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    pytester.makepyfile(test_docs_testing_page=source)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=len(re.findall(r"^def test_", source, re.M)))
