#!/usr/bin/env bash
# Where does pydynox's GetItem CPU go? Samples a worker doing sequential GetItem against
# dynalite with `perf record` and prints the top shared objects and symbols.
#   bash benchmarks/profile.sh [OPS]      (after run.sh or setup.sh has prepared .venvs)
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENVS="$BENCH/.venvs"
OPS="${1:-20000}"
OUT="$VENVS/profile"
mkdir -p "$OUT"
command -v perf >/dev/null || { echo "perf is not installed" >&2; exit 1; }

PORT="$("$VENVS/harness/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
node "$VENVS/node/node_modules/dynalite/cli.js" --port "$PORT" --host 127.0.0.1 --createTableMs 0 >"$OUT/dynalite.log" 2>&1 &
DYN=$!
trap 'kill $DYN 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.1; done
EP="http://127.0.0.1:$PORT"
(cd "$BENCH" && "$VENVS/harness/bin/python" -c "import driver; driver.seed('$EP', 10, with_query=False)")

JOB="{\"scenario\": \"get\", \"contender\": \"ours\", \"endpoint\": \"$EP\", \"ops\": $OPS, \"warmup\": 200}"
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 PYTHONPATH="$BENCH"
perf stat -e task-clock,context-switches,cpu-migrations -o "$OUT/stat.txt" -- \
  "$VENVS/ours/bin/python" "$BENCH/worker.py" "$JOB" > "$OUT/stat-result.json"
perf record -F 2000 -o "$OUT/perf.data" -- "$VENVS/ours/bin/python" "$BENCH/worker.py" "$JOB" > "$OUT/record-result.json" 2>/dev/null
cat "$OUT/stat.txt" "$OUT/stat-result.json"
echo "--- by shared object"
perf report -i "$OUT/perf.data" --no-children --sort dso --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' | head -15
echo "--- by thread name"
perf report -i "$OUT/perf.data" --no-children --sort comm --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' | head -8
echo "--- top symbols"
perf report -i "$OUT/perf.data" --no-children --sort dso,sym --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' | head -40
