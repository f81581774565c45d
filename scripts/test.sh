#!/usr/bin/env bash
# Builds pydynox from this checkout and runs every test: `cargo test`, then pytest
# (against a moto server the tests start themselves). Extra arguments go to pytest,
# e.g. scripts/test.sh -k query -x
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

setup_venv
build_extension

echo "==> cargo test (codegen, then the core's own unit tests)"
# One package at a time, never --workspace: building codegen as a workspace member would
# unify its dependencies' features (indexmap's serde) into the extension's and rebuild
# hyper, h2 and the AWS SDK. --release reuses what the extension build above compiled;
# only pyo3 differs (no extension-module here, so the test binary links libpython), and
# cargo keeps both variants, so neither build undoes the other.
cargo test --release -p codegen
cargo test --release -p pydynox --lib

echo "==> pytest"
status=0
python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "error: pytest collected no tests" >&2
    exit 1
fi
exit "$status"
