"""pydantic models and dataclasses as DynamoDB models (ADR 21).

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

from pydynox.integrations.base import IntegrationModel, attr
from pydynox.integrations.functions import dynamodb_model

__all__ = ["IntegrationModel", "attr", "dynamodb_model"]
