#!/usr/bin/env bash
# Builds the docs site (mkdocs-material, mkdocs.yml) into site/, strictly: a broken link or
# any other warning fails the build. Needs only Python >= 3.11: the pages, the API reference
# included (generated from spec/ by scripts/generate.sh), are committed.
#   scripts/docs.sh          build into site/ (open site/index.html)
#   scripts/docs.sh serve    preview with live reload on http://127.0.0.1:8000
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

DOCS_VENV="$ROOT/.venv-docs"
if [ ! -x "$DOCS_VENV/bin/python" ]; then
    python="$(pick_python)"
    echo "==> creating $DOCS_VENV with $python"
    "$python" -m venv "$DOCS_VENV"
fi
# The docs extra of pyproject.toml, read from it (as setup_venv does for the test extra).
"$DOCS_VENV/bin/python" -c 'import sys, tomllib; print("\n".join(tomllib.load(open(sys.argv[1], "rb"))["project"]["optional-dependencies"]["docs"]))' \
    "$ROOT/pyproject.toml" >"$DOCS_VENV/docs-requirements.txt"
"$DOCS_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$DOCS_VENV/docs-requirements.txt"

# mkdocs-material prints a notice about its successor at every build; keep the output to the build.
export NO_MKDOCS_2_WARNING=1
if [ "${1:-}" = serve ]; then
    exec "$DOCS_VENV/bin/python" -m mkdocs serve --strict
fi
"$DOCS_VENV/bin/python" -m mkdocs build --strict --clean
echo "==> built the site into $ROOT/site (open site/index.html)"
