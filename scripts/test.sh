#!/usr/bin/env bash
# Builds pydynox from this checkout and runs every test: `cargo test`, then pytest (against
# moto servers the tests start themselves). Extra arguments go to pytest.
#
#   scripts/test.sh [pytest args]           what CI runs: the sdist, one abi3 wheel built from
#                                           it, and the suite on CPython 3.11, 3.12 and 3.13,
#                                           each in its own venv with that one wheel installed
#   scripts/test.sh --one [pytest args]     the developer loop: one interpreter (.venv, $PYTHON
#                                           or python3.11), the extension built in place
#                                           (maturin develop), e.g. scripts/test.sh --one -k query -x
#   scripts/test.sh --python 3.12 [args]    the wheel run on one interpreter only
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

VERSIONS=(3.11 3.12 3.13)
MODE=wheel
case "${1:-}" in
    --one) MODE=dev; shift ;;
    --python) VERSIONS=("${2:?--python needs a version, e.g. 3.12}"); shift 2 ;;
esac

cargo_tests() {
    echo "==> cargo test (codegen, then the core's own unit tests)"
    # One package at a time, never --workspace: building codegen as a workspace member would
    # unify its dependencies' features (indexmap's serde) into the extension's and rebuild
    # hyper, h2 and the AWS SDK. --release reuses what the extension build compiled; only
    # pyo3 differs (no extension-module here, so the test binary links libpython), and cargo
    # keeps both variants, so neither build undoes the other.
    claim_target_dir
    cargo test --release -p codegen
    cargo test --release -p pydynox --lib
}

# pytest's exit status, except that collecting no test at all is a failure.
run_pytest() {
    local python="$1"
    shift
    local status=0
    "$python" -m pytest "$@" || status=$?
    if [ "$status" -eq 5 ]; then
        echo "error: pytest collected no tests" >&2
        return 1
    fi
    return "$status"
}

if [ "$MODE" = dev ]; then
    setup_venv
    build_extension
    cargo_tests
    echo "==> pytest"
    run_pytest python "$@"
    exit $?
fi

# --- the wheel run ----------------------------------------------------------------------
setup_venv           # .venv: maturin, and the interpreter `cargo test` links
cargo_tests
build_wheel_from_sdist   # sets WHEEL and SDIST (env.sh)

failed=()
for version in "${VERSIONS[@]}"; do
    python="$(find_python "$version")"
    venv="$(wheel_venv "$version" "$python" "$WHEEL")"
    echo "==> pytest on $("$venv/bin/python" -VV | head -1), pydynox from $WHEEL"
    started=$SECONDS
    status=0
    PATH="$venv/bin:$PATH" VIRTUAL_ENV="$venv" PYDYNOX_WHEEL="$WHEEL" PYDYNOX_SDIST="$SDIST" \
        run_pytest "$venv/bin/python" "$@" || status=$?
    echo "==> CPython $version: pytest exited $status after $((SECONDS - started)) s"
    [ "$status" -eq 0 ] || failed+=("$version")
done
if [ "${#failed[@]}" -gt 0 ]; then
    echo "error: the suite failed on CPython ${failed[*]}" >&2
    exit 1
fi
echo "==> the suite passed on CPython ${VERSIONS[*]} against $(basename "$WHEEL")"
