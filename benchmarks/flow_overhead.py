"""Client CPU per item of GetItem and Query, one build against another, in one run (issue 17
item 5: with no rate limit nor diagnostics set, the flow hook must cost nothing measurable).

    python benchmarks/flow_overhead.py BEFORE_DIR [--rounds 7] [--gets 2000] [--queries 200]

BEFORE_DIR holds a `pydynox` package built from the base commit (e.g. a copy of main's
`python/` with its in-place extension); "after" is the pydynox this interpreter imports.
Starts moto (server mode) on a free loopback port, seeds a table, then each round runs one
worker per build (order alternating) in a fresh process, measuring that process's CPU time
(user + system, all threads) around the timed loops only. Prints per-item medians and the
after/before ratio. moto's own CPU is not counted. Stops moto by PID.
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
import urllib.request

WORKER = r"""
import json, sys, time
import pydynox
endpoint, table, gets, queries = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
c = pydynox.DynamoDBClient(endpoint_url=endpoint, region="us-east-1", access_key="x", secret_key="x")
key = {"pk": "one", "sk": "0"}
for _ in range(50):
    c.get_item(table, key)
t = time.process_time()
for _ in range(gets):
    c.get_item(table, key)
get_us = (time.process_time() - t) / gets * 1e6
n = 0
t = time.process_time()
for _ in range(queries):
    n += len(c.query(table, key_condition_expression="pk = :p", expression_attribute_values={":p": "many"}).to_list())
query_us = (time.process_time() - t) / n * 1e6
print(json.dumps({"get_us": get_us, "query_item_us": query_us, "file": pydynox.__file__}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("before")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--gets", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    moto = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    # A SIGTERM still stops moto (the `finally` below runs).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(endpoint, timeout=1)
                break
            except OSError:
                time.sleep(0.1)
            except Exception:
                break
        import boto3

        os.environ.setdefault("AWS_ACCESS_KEY_ID", "x")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "x")
        boto = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1")
        table = "flow_bench"
        boto.create_table(
            TableName=table,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        item = {f"a{i}": {"S": "x" * 20} for i in range(10)} | {f"n{i}": {"N": str(i * 7)} for i in range(8)}
        boto.put_item(TableName=table, Item={"pk": {"S": "one"}, "sk": {"S": "0"}, **item})
        for i in range(100):
            boto.put_item(TableName=table, Item={"pk": {"S": "many"}, "sk": {"S": f"{i:04}"}, **item})
        results: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
        for r in range(args.rounds):
            order = ["before", "after"] if r % 2 == 0 else ["after", "before"]
            for build in order:
                env = dict(os.environ)
                if build == "before":
                    env["PYTHONPATH"] = args.before
                out = subprocess.run(
                    [sys.executable, "-c", WORKER, endpoint, table, str(args.gets), str(args.queries)],
                    env=env, capture_output=True, text=True, check=True,
                )
                results[build].append(json.loads(out.stdout))
        for metric in ("get_us", "query_item_us"):
            before = statistics.median(x[metric] for x in results["before"])
            after = statistics.median(x[metric] for x in results["after"])
            print(f"{metric:14} before {before:8.2f}  after {after:8.2f}  after/before {after / before:.3f}")
        print("before:", results["before"][0]["file"])
        print("after: ", results["after"][0]["file"])
    finally:
        os.killpg(moto.pid, 15)
        moto.wait()


if __name__ == "__main__":
    main()
