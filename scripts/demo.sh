#!/usr/bin/env bash
# Builds pydynox, starts a local DynamoDB (moto server) on a free port, and runs
# examples/demo.py against it. The server is stopped on exit, however the demo ends.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

setup_venv
build_extension

PORT="$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
ENDPOINT="http://127.0.0.1:$PORT"
LOG="$(mktemp -t pydynox-moto.XXXXXX.log)"

# Fake credentials: moto accepts any.
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1

python -m moto.server -H 127.0.0.1 -p "$PORT" >"$LOG" 2>&1 &
MOTO_PID=$!
stop_moto() {
    kill "$MOTO_PID" 2>/dev/null || true
    wait "$MOTO_PID" 2>/dev/null || true
    rm -f "$LOG"
}
trap stop_moto EXIT

echo "==> waiting for moto on $ENDPOINT"
python - "$ENDPOINT" <<'PY'
import sys, time, urllib.error, urllib.request
deadline = time.monotonic() + 30
while True:
    try:
        urllib.request.urlopen(sys.argv[1] + "/moto-api/", timeout=1)
        break
    except urllib.error.HTTPError:
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit("moto did not start")
        time.sleep(0.2)
PY

echo "==> running examples/demo.py"
python examples/demo.py "$ENDPOINT"
