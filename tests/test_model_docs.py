"""Every guide in docs/guides runs: its ```python blocks, in order, as one program against
the moto server (top-level `await` allowed, as in `python -m asyncio`)."""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
from pathlib import Path
from typing import Any

import pytest

from pydynox._model.cursor import set_cursor_secret
from pydynox.config import clear_default_client

GUIDES = Path(__file__).resolve().parent.parent / "docs" / "guides"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
# The endpoint the guides show; the runner points it at the test server.
DOC_ENDPOINT = "http://127.0.0.1:8000"


# The model guides (other guides in the folder have their own runners).
MODEL_GUIDES = (
    "models", "crud", "query-scan", "indexes", "cursors", "hooks",
    "optimistic-locking", "item-size", "ttl", "tables",
)


def _guides() -> list[Path]:
    return [GUIDES / f"{name}.md" for name in MODEL_GUIDES]


@pytest.mark.parametrize("guide", _guides(), ids=lambda path: path.stem)
def test_guide_runs(guide: Path, moto_endpoint: str, boto: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    source = "\n\n".join(BLOCK.findall(guide.read_text())).replace(DOC_ENDPOINT, moto_endpoint)
    # The guide's own asserts check what it shows; one without any would pass whatever it did.
    assert re.search(r"^\s*assert ", source, re.M), f"{guide.name} checks nothing it shows: add an assert"
    monkeypatch.setenv("CURSOR_SECRET", "guides-cursor-secret-0123456789")
    before = set(boto.list_tables()["TableNames"])
    code = compile(source, str(guide), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    namespace: dict[str, Any] = {"__name__": f"guide_{guide.stem.replace('-', '_')}"}
    try:
        result = eval(code, namespace)  # noqa: S307 - our own documentation
        if inspect.iscoroutine(result):
            asyncio.run(result)
    finally:
        clear_default_client()
        set_cursor_secret(None)
        for name in set(boto.list_tables()["TableNames"]) - before:
            boto.delete_table(TableName=name)
