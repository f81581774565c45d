"""The docs site builds with mkdocs in strict mode (a broken link, a page left out of the
nav or any other warning fails), and its hook turns each guide's async-then-`# sync` code
block into two tabs. (The examples themselves run in test_model_docs.py.)"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _hooks():  # scripts/docs_hooks.py, the module mkdocs.yml names
    spec = importlib.util.spec_from_file_location("docs_hooks", ROOT / "scripts" / "docs_hooks.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_site_builds_strictly(tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    crud = (site / "guides" / "crud" / "index.html").read_text()
    assert "tabbed-set" in crud  # the hook made tabs of the guide's blocks
    reference = (site / "reference" / "api" / "index.html").read_text()
    assert "async_get_item" in reference and "ConditionalCheckFailedException" in reference
    for adr in (ROOT / "docs" / "adr").glob("*.md"):
        assert (site / "adr" / adr.stem / "index.html").exists(), f"{adr.name} is not on the site"


def test_async_then_sync_block_becomes_two_tabs() -> None:
    page = "Intro\n\n```python\nawait User.async_get(pk='a')\n\n# sync\nUser.get(pk='a')\n```\n"
    tabs = _hooks().as_tabs(page)
    assert tabs.startswith("Intro\n\n")
    assert '=== "async"\n\n    ```python\n    await User.async_get(pk=\'a\')\n    ```' in tabs
    assert '=== "sync"\n\n    ```python\n    User.get(pk=\'a\')\n    ```' in tabs


def test_blocks_without_a_sync_part_stay_as_they_are() -> None:
    hooks = _hooks()
    for page in (
        "```python\nx = 1\n```\n",                       # no `# sync` line
        "```python\n# sync\nUser.get(pk='a')\n```\n",     # nothing before it
        "```python\nuser.update()   # sync\n```\n",       # a trailing comment, not a line of its own
    ):
        assert hooks.as_tabs(page) == page


def test_a_sync_comment_with_text_stays_in_the_sync_tab() -> None:
    tabs = _hooks().as_tabs("```python\nawait a()\n# sync: the same without await\nb()\n```\n")
    assert "    # sync: the same without await\n    b()\n" in tabs


def test_links_leaving_docs_become_repository_paths() -> None:
    hooks = _hooks()
    text = "See [the harness](../benchmarks/README.md) and [crud](guides/crud.md)."
    assert hooks.outside_links_as_paths(text, "benchmarks.md") == (
        "See the harness (`benchmarks/README.md` in the repository) and [crud](guides/crud.md)."
    )
    assert hooks.outside_links_as_paths("[m](../models.md)", "guides/crud.md") == "[m](../models.md)"
