#!/usr/bin/env bash
# Prepares everything the benchmark needs; safe to re-run (each step is skipped when done).
#   benchmarks/.venvs/<name>   one virtualenv per contender, plus "harness" (moto, boto3, matplotlib)
#   benchmarks/.venvs/wheel    the wheel of this checkout
#   benchmarks/.venvs/node     dynalite (npm)
#   $CARGO_TARGET_DIR/release/pydynox-bench-floor   the Rust floor
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
VENVS="$BENCH/.venvs"
PY="${BENCH_PYTHON:-python3.11}"
# The project's own venv and target-dir rules (scripts/env.sh): maturin comes from there,
# and a target dir last used by another clone gets our crates rebuilt.
source "$ROOT/scripts/env.sh"
setup_venv >&2
claim_target_dir >&2
MATURIN="$VENV/bin/maturin"

# Pinned so that reruns compare the same code; bump deliberately.
BOTO3="boto3==1.44.*"
AIOBOTO3="aioboto3==15.5.0"
PYNAMODB="pynamodb==6.*"
OLD_PYDYNOX="pydynox==0.21.0"
MOTO="moto[server]==5.*"
DYNALITE="dynalite@4.0.0"

log() { printf '[setup] %s\n' "$*" >&2; }

make_venv() {  # name, pip requirement...
  local name="$1"; shift
  local dir="$VENVS/$name"
  local stamp="$dir/.bench-installed"
  local want="$*"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then return; fi
  log "venv $name: $want"
  rm -rf "$dir"
  "$PY" -m venv "$dir"
  "$dir/bin/pip" install --quiet --disable-pip-version-check "$@"
  echo "$want" > "$stamp"
}

mkdir -p "$VENVS"

# 1. Our wheel, built from this checkout (always rebuilt: cargo makes that cheap when nothing changed).
log "building the pydynox wheel from $ROOT (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
rm -rf "$VENVS/wheel"
# Other builds share CARGO_TARGET_DIR (and maturin's staging folder in it); a concurrent
# maturin run can remove the staged library under our feet, so try again a few times.
for attempt in 1 2 3; do
  if (cd "$ROOT" && "$MATURIN" build --release --quiet -o "$VENVS/wheel" >&2); then break; fi
  if (( attempt == 3 )); then log "maturin build failed 3 times"; exit 1; fi
  log "maturin build failed (attempt $attempt); retrying"; sleep 5
done
WHEEL="$(ls "$VENVS"/wheel/pydynox-*.whl | head -n1)"
WHEEL_SUM="$(sha256sum "$WHEEL" | cut -c1-16)"
if [[ ! -f "$VENVS/ours/.bench-wheel" || "$(cat "$VENVS/ours/.bench-wheel")" != "$WHEEL_SUM" ]]; then
  log "venv ours: $(basename "$WHEEL")"
  rm -rf "$VENVS/ours"
  "$PY" -m venv "$VENVS/ours"
  "$VENVS/ours/bin/pip" install --quiet --disable-pip-version-check "$WHEEL"
  echo "$WHEEL_SUM" > "$VENVS/ours/.bench-wheel"
fi

# 2. The other contenders, each alone in its venv.
make_venv pydynox021 "$OLD_PYDYNOX"
make_venv boto3 "$BOTO3"
make_venv aioboto3 "$AIOBOTO3"
make_venv pynamodb "$PYNAMODB"
# 3. The harness itself: servers' Python side, seeding, the chart.
make_venv harness "$MOTO" "$BOTO3" "matplotlib==3.*"

# 4. dynalite (in-memory DynamoDB on Node.js).
if [[ ! -f "$VENVS/node/node_modules/dynalite/cli.js" ]]; then
  log "npm install $DYNALITE"
  mkdir -p "$VENVS/node"
  npm install --silent --no-audit --no-fund --no-save --prefix "$VENVS/node" "$DYNALITE" >&2
fi

# 5. The Rust floor (its own crate; shares the target dir so the SDK is compiled once).
log "building the Rust floor"
(cd "$BENCH/floor" && cargo build --release --quiet >&2)
