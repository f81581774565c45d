"""The server's own ceiling for the batch scenarios: how many items per second dynalite
writes (BatchWriteItem) and reads (BatchGetItem) when the client does next to nothing.

The request bodies of the batch-writer / batch-get scenarios (the same 10,000 items of
items.batch_item, 25 per write and 100 per read) are encoded before the clock starts, then
sent as bytes from N threads, each with its own kept-alive connection. dynalite does not
check signatures, so one fixed Authorization header serves every request. Whatever the
client library, its batch throughput against this server cannot pass these figures.

    python benchmarks/batch_ceiling.py [--items 10000] [--threads 1,2,4,8,16]

Starts dynalite (benchmarks/.venvs/node, as run.sh installs it) on a free port and stops it
by PID; run with the harness venv (boto3 for the encoding).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import items  # noqa: E402

AUTH = (
    "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=host;x-amz-date;x-amz-target, Signature=" + "0" * 64
)


def encode(value):
    from boto3.dynamodb.types import TypeSerializer

    from worker import decimals

    return {k: TypeSerializer().serialize(v) for k, v in decimals(value).items()}


def bodies(n: int) -> tuple[list[bytes], list[bytes]]:
    writes, gets = [], []
    for start in range(0, n, 25):
        request = [{"PutRequest": {"Item": encode(items.batch_item(i))}} for i in range(start, min(n, start + 25))]
        writes.append(json.dumps({"RequestItems": {items.TABLE_BATCH: request}, "ReturnConsumedCapacity": "TOTAL"}).encode())
    for start in range(0, n, 100):
        keys = [{"pk": {"S": f"batch-{i}"}} for i in range(start, min(n, start + 100))]
        gets.append(json.dumps({"RequestItems": {items.TABLE_BATCH: {"Keys": keys}}, "ReturnConsumedCapacity": "TOTAL"}).encode())
    return writes, gets


def blast(port: int, action: str, payloads: list[bytes], threads: int) -> tuple[float, int]:
    """Sends every payload once, `threads` at a time; returns (seconds, unprocessed count)."""
    headers = {
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": f"DynamoDB_20120810.{action}",
        "X-Amz-Date": "20260101T000000Z",
        "Authorization": AUTH,
    }
    lock = threading.Lock()
    queue = list(reversed(payloads))
    left = [0]
    failures: list[str] = []

    def run() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        while True:
            with lock:
                if not queue:
                    break
                body = queue.pop()
            conn.request("POST", "/", body=body, headers=headers)
            reply = conn.getresponse()
            answer = json.loads(reply.read())
            if reply.status != 200:
                failures.append(str(answer))
                break
            with lock:
                left[0] += sum(len(v) for v in answer.get("UnprocessedItems", {}).values())
                left[0] += sum(len(v["Keys"]) for v in answer.get("UnprocessedKeys", {}).values())
        conn.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    t0 = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    took = time.perf_counter() - t0
    if failures:
        raise SystemExit(f"{action} failed: {failures[0]}")
    return took, left[0]


def ours(endpoint: str, n: int, rounds: int) -> list[tuple[str, float]]:
    """pydynox's BatchWriter (default options) and batch_get over the same items: best of `rounds`."""
    import pydynox

    client = pydynox.DynamoDBClient(endpoint_url=endpoint, region="us-east-1")
    written = [items.batch_item(i) for i in range(n)]
    keys = [{"pk": f"batch-{i}"} for i in range(n)]
    best_write = best_get = 0.0
    for _ in range(rounds):
        t0 = time.perf_counter()
        with pydynox.BatchWriter(client, items.TABLE_BATCH) as writer:
            for item in written:
                writer.put(item)
        best_write = max(best_write, n / (time.perf_counter() - t0))
        t0 = time.perf_counter()
        got = client.batch_get(items.TABLE_BATCH, keys)
        best_get = max(best_get, len(got) / (time.perf_counter() - t0))
    return [("pydynox BatchWriter", best_write), ("pydynox batch_get", best_get)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--threads", default="1,2,4,8,16")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--ours", action="store_true",
        help="also time pydynox's BatchWriter and batch_get on the same server, between the raw runs "
        "(run with a Python that has this checkout installed)",
    )
    args = parser.parse_args()
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    port = free_port()
    cli = BENCH / ".venvs" / "node" / "node_modules" / "dynalite" / "cli.js"
    server = subprocess.Popen(
        ["node", str(cli), "--port", str(port), "--host", "127.0.0.1", "--createTableMs", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            if time.monotonic() > deadline:
                raise SystemExit("dynalite did not start")
            time.sleep(0.1)
        import driver

        driver.seed(f"http://127.0.0.1:{port}", 0, with_query=False)
        writes, gets = bodies(args.items)
        for threads in [int(t) for t in args.threads.split(",")]:
            for action, payloads in (("BatchWriteItem", writes), ("BatchGetItem", gets)):
                best = None
                for _ in range(args.rounds):
                    took, left = blast(port, action, payloads, threads)
                    rate = (args.items - left) / took
                    best = rate if best is None else max(best, rate)
                print(json.dumps({"action": action, "threads": threads, "items": args.items, "best_items_per_s": round(best)}))
        if args.ours:
            for what, rate in ours(f"http://127.0.0.1:{port}", args.items, args.rounds):
                print(json.dumps({"action": what, "items": args.items, "best_items_per_s": round(rate)}))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
