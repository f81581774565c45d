"""pydantic models and dataclasses as DynamoDB models (ADR 22).

```python
from pydynox import dynamodb_model
from pydynox.integrations import IntegrationModel

@dynamodb_model(table="users", hash_key="pk")
class User(BaseModel, IntegrationModel):   # or a @dataclass
    pk: str
    age: int = 0

await User(pk="a", age=3).async_save()
user = User.get(pk="a")
```

`pydynox.integrations.pydantic` (`dynamodb_model`, `from_pydantic`) and
`pydynox.integrations.dataclass` (`from_dataclass`) are the per-library forms.
"""

from typing import TYPE_CHECKING, Any

from pydynox.integrations.functions import dynamodb_model

if TYPE_CHECKING:
    from pydynox.integrations.base import IntegrationModel, attr

__all__ = ["IntegrationModel", "attr", "dynamodb_model"]


def __getattr__(name: str) -> Any:
    # `import pydynox` imports this package (for `dynamodb_model`): the rest loads when used.
    if name in ("IntegrationModel", "attr"):
        from pydynox.integrations import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
