#!/usr/bin/env bash
# Where does the model layer's CPU go? Runs the worker's Model.get, model.save, Model.query
# and `async for` over Model.async_query loops (scenarios model-get, model-save,
# model-query, model-aquery) against dynalite under
# cProfile, clocked on the process's CPU time (wall time would mostly be dynalite's), and
# prints the top functions by own time and by cumulative time, each with its file:line.
#   bash benchmarks/profile-model.sh [CONTENDER]   (after run.sh or setup.sh has prepared .venvs)
# CONTENDER is ours (default) or pydynox-0.21.0. Notes drawn from it go in
# profile-model-notes.md, which report.py appends to docs/benchmarks.md.
#
# Reading it: the client's own work is in the built-in entries (`get_item`) or, for a
# query, inside the result's `__next__` (cProfile does not see C slot calls such as the
# pager's `__next__`, so its page fetches and decoding count as the caller's own time).
# cProfile adds a fixed cost to every Python call, so Python functions look a little
# dearer than they are; compare with the unprofiled numbers of the same run printed above
# each table.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENVS="$BENCH/.venvs"
CONTENDER="${1:-ours}"
case "$CONTENDER" in
  ours) VENV="$VENVS/ours" ;;
  pydynox-0.21.0) VENV="$VENVS/pydynox021" ;;
  *) echo "contender: ours or pydynox-0.21.0" >&2; exit 2 ;;
esac
OUT="$VENVS/profile-model/$CONTENDER"
mkdir -p "$OUT"
PY="$VENV/bin/python"

PORT="$("$VENVS/harness/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
node "$VENVS/node/node_modules/dynalite/cli.js" --port "$PORT" --host 127.0.0.1 --createTableMs 0 >"$OUT/dynalite.log" 2>&1 &
DYN=$!
trap 'kill $DYN 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.1; done
EP="http://127.0.0.1:$PORT"
(cd "$BENCH" && "$VENVS/harness/bin/python" -c "import driver; driver.seed('$EP', 1000)")

export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 PYTHONPATH="$BENCH"
job() {  # scenario, sizes, extra
  echo "{\"scenario\": \"$1\", \"contender\": \"$CONTENDER\", \"endpoint\": \"$EP\", $2 $3}"
}
top() {  # pstats file
  "$PY" - "$1" <<'PY' | sed -e "s#$VENV/lib/python3.11/site-packages/##g" | grep -v '^$'
import pstats, sys
s = pstats.Stats(sys.argv[1])
s.sort_stats("tottime").print_stats(16)
s.sort_stats("cumulative").print_stats(20)
PY
}
for scenario in model-get model-save model-query model-aquery; do
  case "$scenario" in
    model-get) size='"ops": 3000, "warmup": 200' ;;
    model-save) size='"ops": 2000, "warmup": 100' ;;
    *) size='"ops": 10, "warmup": 1, "items": 1000' ;;
  esac
  echo "=== $CONTENDER $scenario, unprofiled: $("$PY" "$BENCH/worker.py" "$(job "$scenario" "$size" "")")"
  "$PY" "$BENCH/worker.py" "$(job "$scenario" "$size" ", \"profile\": \"cprofile\", \"profile_out\": \"$OUT/$scenario.pstats\"")" > "$OUT/$scenario.result.json"
  echo "=== $CONTENDER $scenario under cProfile (CPU clock): $(cat "$OUT/$scenario.result.json")"
  top "$OUT/$scenario.pstats"
done
