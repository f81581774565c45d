#!/usr/bin/env bash
# The benchmark, in one command:
#   bash benchmarks/run.sh            full run (5 rounds), rewrites docs/benchmarks.md, docs/benchmarks.png
#                                     and the raw results behind them, docs/benchmarks-results.json
#   bash benchmarks/run.sh --quick    smoke run with tiny sizes; writes to benchmarks/.venvs/quick/ instead
# Other flags go to driver.py (--rounds N, --only get,query, --no-leak).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/pydynox/target}"
HARNESS="$BENCH/.venvs/harness/bin/python"

bash "$BENCH/setup.sh"

quick=0
for arg in "$@"; do [[ "$arg" == "--quick" ]] && quick=1; done
if (( quick )); then
  out="$BENCH/.venvs/quick"
  mkdir -p "$out"
  "$HARNESS" "$BENCH/driver.py" --out "$out/results.json" "$@"
  "$HARNESS" "$BENCH/report.py" "$out/results.json" --md "$out/benchmarks.md" --png "$out/benchmarks.png"
else
  # The raw results are committed beside the page, so the page can be regenerated from the
  # repository alone (report.py with no argument reads them).
  "$HARNESS" "$BENCH/driver.py" --out "$ROOT/docs/benchmarks-results.json" "$@"
  "$HARNESS" "$BENCH/report.py" "$ROOT/docs/benchmarks-results.json" --md "$ROOT/docs/benchmarks.md" --png "$ROOT/docs/benchmarks.png"
fi
