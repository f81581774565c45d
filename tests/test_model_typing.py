"""Static typing of models, checked by running mypy and pyright on an example: what the
generated twins return, what iterating results yields, and that attributes are typed
descriptors (the value on an instance, the attribute on the class)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

EXAMPLE = '''
# pyright: reportUnnecessaryTypeIgnoreComment=true
# Each `# type: ignore[...]` below marks a call that must be an error: mypy --strict
# (warn_unused_ignores) and pyright (the setting above) both fail on an ignore that
# suppresses nothing.
from datetime import datetime
from enum import Enum
from typing import assert_type

from pydynox.attributes import DatetimeAttribute, EnumAttribute, NumberAttribute, StringAttribute
from pydynox.conditions import Condition
from pydynox.config import ModelConfig
from pydynox.indexes import GlobalSecondaryIndex, LocalSecondaryIndex
from pydynox.model import Model, TypedModel


class User(Model):
    model_config = ModelConfig(table="users")
    pk = StringAttribute(hash_key=True)
    sk = StringAttribute(range_key=True)
    email = StringAttribute()
    age = NumberAttribute()
    by_email = GlobalSecondaryIndex(index_name="by-email", hash_key="email")
    by_age = LocalSecondaryIndex(index_name="by-age", range_key="age")


user = User(pk="a", sk="b", email="e")
partial = User(pk="a", sk="b")  # the unannotated 0.21.0 style: any keyword, checked at run time
assert_type(user.email, str)


class Plan(Enum):
    FREE = "free"
    PRO = "pro"


class Account(TypedModel):
    """The annotated style: the constructor's parameters are the attributes."""

    model_config = ModelConfig(table="accounts")
    pk: StringAttribute = StringAttribute(hash_key=True)
    visits: NumberAttribute = NumberAttribute(default=0)
    email: StringAttribute = StringAttribute(default=None)
    plan: EnumAttribute[Plan] = EnumAttribute(Plan, default=Plan.FREE)
    seen: DatetimeAttribute = DatetimeAttribute(default=None)


account = Account(pk="a", visits=3, plan=Plan.PRO, seen=datetime(2024, 1, 1))
Account(pk="a")
assert_type(account.visits, float)
assert_type(account.plan, Plan)
assert_type(Account.email, StringAttribute)
assert_type(Account.get(pk="a"), Account | None)
Account(pk="a", emial="typo")  # type: ignore[call-arg]
Account(pk=1)  # type: ignore[arg-type]
Account(plan="pro", pk="a")  # type: ignore[arg-type]
Account(visits=1)  # type: ignore[call-arg]
assert_type(User.email, StringAttribute)
condition: Condition = (User.age > 3) & User.email.exists()
assert_type(User.get(pk="a", sk="b"), User | None)
for found in User.query(hash_key="a", range_key_condition=User.sk.begins_with("x")):
    assert_type(found, User)
for by_index in User.by_email.query(email="e"):
    assert_type(by_index, User)
for by_local in User.by_age.query(pk="a"):
    assert_type(by_local, User)

# Transactions: 0.21.0's raw form and the model form of the same methods.
from pydynox import AsyncTransaction, DynamoDBClient, Transaction  # noqa: E402

client = DynamoDBClient()
with Transaction(client) as txn:
    txn.update("t", {"pk": "a"}, "SET n = :n", expression_attribute_values={":n": 1})
    txn.condition_check("t", {"pk": "a"}, "attribute_exists(pk)")
    txn.save(user)
    txn.update(user, email="new")
    txn.delete(user, User.age > 3)
    txn.update("t", {"pk": "a"})  # type: ignore[call-overload]


async def main() -> None:
    async with AsyncTransaction(client) as atxn:
        atxn.condition_check(user, User.age > 3)
    await atxn.commit()
    assert_type(await User.async_get(pk="a", sk="b"), User | None)
    await user.async_save(condition=condition)
    async for found in User.async_query(hash_key="a"):
        assert_type(found, User)
    async for by_index in User.by_email.async_query(email="e"):
        assert_type(by_index, User)
    first = await User.async_scan().first()
    assert_type(first, User | None)
'''


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("typing") / "example.py"
    path.write_text(EXAMPLE)
    return path


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "python"), "MYPYPATH": str(ROOT / "python")}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)


def test_mypy_strict_accepts_the_model_example(example: Path) -> None:
    result = _run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(example)], example.parent)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pyright_accepts_the_model_example(example: Path) -> None:
    pyright = shutil.which("pyright", path=str(Path(sys.executable).parent)) or shutil.which("pyright")
    if pyright is None:
        pytest.skip("pyright is not installed")
    result = _run([pyright, "--pythonpath", sys.executable, str(example)], example.parent)
    assert result.returncode == 0, result.stdout + result.stderr
