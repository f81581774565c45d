#!/usr/bin/env bash
# Regenerates the committed Python files rendered from spec/ (the extension's .pyi stubs and
# python/pydynox/_generated/model_ops.py). `scripts/generate.sh --check` only checks them.
# Builds the generator in the shared target dir the other scripts use.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
claim_target_dir
cargo run --quiet --release -p codegen -- python "$@"
