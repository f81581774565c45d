#!/usr/bin/env bash
# Builds pydynox from this checkout and runs every test: `cargo test`, then pytest
# (against a moto server the tests start themselves). Extra arguments go to pytest,
# e.g. scripts/test.sh -k query -x
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

setup_venv
build_extension

echo "==> cargo test --workspace"
# --release reuses the AWS SDK already compiled for the extension above. The
# extension-module feature stays off here (the default), so test binaries link libpython.
cargo test --workspace --release

echo "==> pytest"
status=0
python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "error: pytest collected no tests" >&2
    exit 1
fi
exit "$status"
