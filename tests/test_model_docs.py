"""Every guide in docs/guides, and every page of the docs site with examples, runs: its
```python blocks, in order, as one program against the moto server (top-level `await`
allowed, as in `python -m asyncio`). Blocks inside tabs (`=== "async"`) are indented and
run too; ```py blocks show another library's code and are not run."""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from pydynox._model.cursor import set_cursor_secret
from pydynox.config import clear_default_client

DOCS = Path(__file__).resolve().parent.parent / "docs"
GUIDES = DOCS / "guides"
# A ```python block, at the start of a line or indented (inside a tab); its end at the same indent.
BLOCK = re.compile(r"^(?P<indent>[ ]*)```python\n(?P<code>.*?)^(?P=indent)```", re.S | re.M)
# The endpoint the guides show; the runner points it at the test server.
DOC_ENDPOINT = "http://127.0.0.1:8000"


# The model guides (other guides in the folder have their own runners).
MODEL_GUIDES = (
    "models", "crud", "query-scan", "indexes", "cursors", "hooks",
    "optimistic-locking", "item-size", "ttl", "tables", "integrations", "files-and-secrets", "logging-tracing",
)


# Pages of the docs site outside docs/guides (docs/testing.md runs as a pytest module in
# test_pytest_plugin.py; docs/reference/api.md is generated and has no examples).
SITE_PAGES = (
    "getting-started", "migration/from-pydynox-0.21", "migration/from-boto3", "migration/from-pynamodb",
)


def _guides() -> list[Path]:
    return [GUIDES / f"{name}.md" for name in MODEL_GUIDES] + [DOCS / f"{name}.md" for name in SITE_PAGES]


def _examples(page: Path) -> str:
    return "\n\n".join(textwrap.dedent(match["code"]) for match in BLOCK.finditer(page.read_text()))


@pytest.mark.parametrize("guide", _guides(), ids=lambda path: path.stem)
def test_guide_runs(guide: Path, moto_endpoint: str, boto: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    source = _examples(guide).replace(DOC_ENDPOINT, moto_endpoint)
    assert source.strip(), f"{guide.name} lost its examples"
    # The guide's own asserts check what it shows; one without any would pass whatever it did.
    assert re.search(r"^\s*assert ", source, re.M), f"{guide.name} checks nothing it shows: add an assert"
    monkeypatch.setenv("CURSOR_SECRET", "guides-cursor-secret-0123456789")
    before = set(boto.list_tables()["TableNames"])
    # dont_inherit: the page runs as users run it, without this module's `from __future__` imports.
    code = compile(source, str(guide), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
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
