"""mkdocs hooks of the docs site (mkdocs.yml: `hooks:`).

The guides in docs/guides show each example's async form first and its sync twin after a
`# sync` line in the same code block, so that the guides' test runs both as one program.
On the site such a block becomes two tabs, "async" and "sync"; the Markdown files stay as
they are. A `# sync` comment with more text after it (`# sync: create USER#2 ...`) stays
as the first line of the sync tab.

Pages also link to files of the repository outside docs/ (`../benchmarks/README.md`),
which work when reading the Markdown in the repository; on the site such a link becomes
the file's path in the repository, as code.

The nav's "Decisions (ADRs)" section lists every docs/adr/*.md in order (on_config), so
adding an ADR needs no edit of mkdocs.yml.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

ADR_SECTION = "Decisions (ADRs)"

# A ```python block starting at the beginning of a line (blocks already inside tabs or
# lists are indented and left alone).
BLOCK = re.compile(r"^```python\n(.*?)^```[ \t]*$", re.S | re.M)
SYNC_LINE = re.compile(r"^# sync\b.*$", re.M)


def _indent(code: str) -> str:
    return "".join(f"    {line}" if line.strip() else line for line in code.splitlines(keepends=True))


def _tabs(match: re.Match[str]) -> str:
    code = match.group(1)
    split = SYNC_LINE.search(code)
    if split is None:
        return match.group(0)
    async_part = code[: split.start()].rstrip() + "\n"
    comment = split.group(0).strip()
    sync_part = code[split.end():].lstrip("\n")
    if comment not in ("# sync", "# sync:"):
        sync_part = f"{comment}\n{sync_part}"
    if not async_part.strip() or not sync_part.strip():
        return match.group(0)
    fence = "```"
    async_block = _indent(f"{fence}python\n{async_part}{fence}")
    sync_block = _indent(f"{fence}python\n{sync_part}{fence}")
    return f'=== "async"\n\n{async_block}\n\n=== "sync"\n\n{sync_block}\n'


def as_tabs(markdown: str) -> str:
    """`markdown` with every async-then-`# sync` code block turned into two tabs."""
    return BLOCK.sub(_tabs, markdown)


LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<target>[^)\s]+)\)")


def outside_links_as_paths(markdown: str, page_path: str) -> str:
    """Links of the page at `page_path` (relative to docs/) that leave docs/, as text."""

    def replace(match: re.Match[str]) -> str:
        target = match["target"]
        if "://" in target or target.startswith(("#", "/", "mailto:")):
            return match.group(0)
        resolved = posixpath.normpath(posixpath.join("docs", posixpath.dirname(page_path), target.split("#")[0]))
        if resolved.startswith("docs/"):
            return match.group(0)
        return f"{match['text']} (`{resolved}` in the repository)"

    return LINK.sub(replace, markdown)


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    return outside_links_as_paths(as_tabs(markdown), page.file.src_uri)


def on_config(config: Any, **_: Any) -> Any:
    adrs = sorted(f"adr/{path.name}" for path in (Path(config["docs_dir"]) / "adr").glob("*.md"))
    for entry in config["nav"] or []:
        if isinstance(entry, dict) and ADR_SECTION in entry:
            entry[ADR_SECTION] = adrs
    return config
