"""The README's examples run: its ```python blocks, in order, as one program against the
moto server (the endpoint they show is pointed at the test server)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydynox.config import clear_default_client

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
DOC_ENDPOINT = "http://127.0.0.1:8000"


def test_readme_examples_run(moto_endpoint: str, boto: Any, capsys: Any) -> None:
    blocks = BLOCK.findall(README.read_text())
    assert len(blocks) >= 2, "the README lost its examples"
    source = "\n\n".join(blocks).replace(DOC_ENDPOINT, moto_endpoint)
    before = set(boto.list_tables()["TableNames"])
    try:
        exec(compile(source, str(README), "exec"), {"__name__": "readme"})  # noqa: S102 - our own README
    finally:
        clear_default_client()
        for name in set(boto.list_tables()["TableNames"]) - before:
            boto.delete_table(TableName=name)
    printed = capsys.readouterr().out
    # What the examples print is what they did: the model was saved, updated and found.
    assert "ada@example.com" in printed
    assert "u1 {'admin'}" in printed
    assert "u1 1" in printed
