"""Static typing of pydantic and dataclass models (pydynox.integrations): mypy --strict and
pyright see the generated methods on a decorated class that lists `IntegrationModel`, with
the class itself as what they return."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from test_model_typing import _run

EXAMPLE = '''
# pyright: reportUnnecessaryTypeIgnoreComment=true
from dataclasses import dataclass
from typing import Any, ClassVar, assert_type

from pydantic import BaseModel

from pydynox import dynamodb_model
from pydynox.attributes import Attribute
from pydynox.indexes import GlobalSecondaryIndex
from pydynox.integrations import IntegrationModel, attr
from pydynox.integrations.dataclass import from_dataclass
from pydynox.integrations.pydantic import from_pydantic


@dynamodb_model(table="users", hash_key="pk", range_key="sk")
class User(BaseModel, IntegrationModel):
    pk: str
    sk: str
    age: int = 0
    by_age: ClassVar[GlobalSecondaryIndex[Any]] = GlobalSecondaryIndex(index_name="by-age", hash_key="age")


@dynamodb_model(table="orders", hash_key="pk")
@dataclass
class Order(IntegrationModel):
    pk: str
    total: float = 0.0


class Plain(BaseModel, IntegrationModel):
    pk: str


Plain2 = from_pydantic(Plain, "t", "pk")
assert_type(Plain2, type[Plain])
assert_type(from_dataclass(Order, "t", "pk"), type[Order])

user = User(pk="a", sk="b")
assert_type(user.age, int)
assert_type(User.get(pk="a", sk="b"), User | None)
assert_type(User.get(pk="a", sk="b", as_dict=True), dict[str, Any] | None)
assert_type(Order.get(pk="a"), Order | None)
assert_type(User.batch_get(keys=[{"pk": "a", "sk": "b"}]), list[User])
age: Attribute[Any] = attr(User, "age")
user.save(condition=age > 3)
user.update(atomic=[age.add(1)], age=3)
user.delete()
user.save(condition="age > 3")  # type: ignore[arg-type]
for found in User.query(hash_key="a"):
    assert_type(found, User)
for scanned in Order.scan():
    assert_type(scanned, Order)
for by_age in User.by_age.query(age=3):
    assert_type(by_age, User)


async def main() -> None:
    assert_type(await User.async_get(pk="a", sk="b"), User | None)
    await user.async_save()
    await user.async_update(age=4)
    await user.async_delete()
    async for found in User.async_query(hash_key="a"):
        assert_type(found, User)
    assert_type(await Order.async_scan().first(), Order | None)
    assert_type(await Order.async_batch_get(keys=[{"pk": "a"}]), list[Order])
'''


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("integration_typing") / "example.py"
    path.write_text(EXAMPLE)
    return path


def test_mypy_strict_sees_the_integration_methods(example: Path) -> None:
    result = _run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(example)], example.parent)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pyright_sees_the_integration_methods(example: Path) -> None:
    pyright = shutil.which("pyright", path=str(Path(sys.executable).parent)) or shutil.which("pyright")
    if pyright is None:
        pytest.skip("pyright is not installed")
    result = _run([pyright, "--pythonpath", sys.executable, str(example)], example.parent)
    assert result.returncode == 0, result.stdout + result.stderr
