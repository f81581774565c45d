"""Client CPU of `await client.async_get_item(...)`: one build against another, same run (ADR 8).

    python benchmarks/async_twins.py [--calls 2000] [--rounds 3] [--call-soon] NAME=PYTHONPATH ...

Each NAME=PYTHONPATH is a directory holding a `pydynox` package (for example a copy of
`python/pydynox` with the extension built from another commit); `NAME=` alone means the
installed one. `--call-soon` adds, for every build, a run `NAME/call-soon` on an event loop
without `add_reader`: the awaitables then wake the loop with `call_soon_threadsafe` from
the worker (the fallback, and the only way before the socket wake of ADR 8's amendment). Starts dynalite (`$DYNALITE`, default benchmarks/.venvs/node/...) on
loopback, stores one item, then runs each build in its own process, rounds interleaved,
and prints the median CPU (user + system, all threads) per call for:
  sequential  one `await` after another in one task
  fan-out     `asyncio.gather` of every call, at most 64 in flight
  sync        the sync `get_item`, for reference
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DYNALITE = Path(os.environ.get("DYNALITE", HERE / ".venvs" / "node" / "node_modules" / "dynalite" / "cli.js"))

WORKER = r"""
import asyncio, json, resource, sys, time
import pydynox

endpoint, table, calls, call_soon = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"

class NoReaderLoop(asyncio.SelectorEventLoop):
    def add_reader(self, *args):
        raise NotImplementedError

def run_loop(main):
    with asyncio.Runner(loop_factory=NoReaderLoop if call_soon else None) as runner:
        return runner.run(main)

client = pydynox.DynamoDBClient(endpoint_url=endpoint, region="us-east-1", access_key="x", secret_key="x")
key = {"pk": "a", "sk": "b"}

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

async def sequential():
    for _ in range(calls):
        await client.async_get_item(table, key)

async def fan_out():
    gate = asyncio.Semaphore(64)
    async def one():
        async with gate:
            return await client.async_get_item(table, key)
    await asyncio.gather(*(one() for _ in range(calls)))

def sync():
    for _ in range(calls):
        client.get_item(table, key)

async def warm():
    for _ in range(50):
        await client.async_get_item(table, key)

run_loop(warm()); sync()
out = {"file": pydynox.__file__}
for name, run in [("sequential", lambda: run_loop(sequential())), ("fan-out", lambda: run_loop(fan_out())), ("sync", sync)]:
    c0, t0 = cpu(), time.perf_counter()
    run()
    out[name] = ((cpu() - c0) / calls * 1e6, (time.perf_counter() - t0) / calls * 1e6)
print(json.dumps(out))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--call-soon", action="store_true", help="also run each build on a loop without add_reader")
    parser.add_argument("builds", nargs="+", help="NAME=PYTHONPATH")
    args = parser.parse_args()
    builds = [(name, path, False) for name, path in (b.partition("=")[::2] for b in args.builds)]
    if args.call_soon:
        builds = [run for name, path, _ in builds for run in ((name, path, False), (f"{name}/call-soon", path, True))]

    import boto3

    port = free_port()
    server = subprocess.Popen(
        ["node", str(DYNALITE), "--port", str(port), "--host", "127.0.0.1", "--createTableMs", "0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        endpoint = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("dynalite did not start")
                time.sleep(0.1)
        boto = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                            aws_access_key_id="x", aws_secret_access_key="x")
        boto.create_table(
            TableName="bench", BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
        )
        boto.put_item(TableName="bench", Item={"pk": {"S": "a"}, "sk": {"S": "b"}, "n": {"N": "1"}, "s": {"S": "x" * 200}})
        results: dict[str, list[dict]] = {name: [] for name, _, _ in builds}
        for _ in range(args.rounds):
            for name, path, call_soon in builds:
                env = dict(os.environ)
                if path:
                    env["PYTHONPATH"] = path
                done = subprocess.run([sys.executable, "-c", WORKER, endpoint, "bench", str(args.calls), str(int(call_soon))],
                                      env=env, capture_output=True, text=True, check=True)
                results[name].append(json.loads(done.stdout))
        print(f"{args.calls} calls x {args.rounds} rounds; median CPU µs/call (wall µs/call)")
        for name, runs in results.items():
            cells = []
            for kind in ("sequential", "fan-out", "sync"):
                cpu = statistics.median(r[kind][0] for r in runs)
                wall = statistics.median(r[kind][1] for r in runs)
                cells.append(f"{kind} {cpu:6.1f} ({wall:6.1f})")
            print(f"{name:>14}: " + "   ".join(cells) + f"   [{runs[0]['file']}]")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
