"""What logging and tracing cost per request (issue 17 item 5, ADR 26), as client CPU per
GetItem and per Query item against one moto server, in one run so the ratios compare.

Each round starts a fresh worker per variant (order rotated each round) and takes the
worker's own CPU (user + system, all threads) around its timed loop only:
- `off`: the `pydynox` logger at ERROR, no tracing (nothing watched);
- `default`: the stdlib's default, WARNING (requests timed for the slow-call warning);
- `info`: the logger at INFO with a handler that drops records (every record produced);
- `trace`: tracing on, an SDK tracer with a no-op span processor;
- `base` (with --base DIR): `off` with another build of pydynox, e.g. main's, on
  PYTHONPATH (DIR holds its `pydynox` package with the extension in it).

    python benchmarks/observe_cost.py [--rounds 5] [--gets 2000] [--base /tmp/main_pkg]
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
import json, logging, resource, sys
variant, endpoint, table, gets, queries = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
import pydynox
logger = logging.getLogger("pydynox")
if variant in ("off", "base"):
    logger.setLevel(logging.ERROR)
elif variant == "info":
    logger.setLevel(logging.INFO)
    logger.propagate = False
    class Drop(logging.Handler):
        def emit(self, record):
            pass
    logger.addHandler(Drop())
elif variant == "trace":
    logger.setLevel(logging.ERROR)
    from opentelemetry.sdk.trace import TracerProvider
    pydynox.enable_tracing(tracer=TracerProvider().get_tracer("bench"))
client = pydynox.DynamoDBClient(endpoint_url=endpoint, region="us-east-1")
key = {"pk": "item", "sk": "0"}
for _ in range(50):
    client.get_item(table, key)
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
start = cpu()
for _ in range(gets):
    client.get_item(table, key)
get_us = (cpu() - start) / gets * 1e6
items = 0
start = cpu()
for _ in range(queries):
    for _item in client.query(table, "pk = :p", expression_attribute_values={":p": "part"}):
        items += 1
query_us = (cpu() - start) / items * 1e6
print(json.dumps({"get_us": get_us, "query_item_us": query_us}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--gets", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=20, help="queries of the 500-item partition")
    parser.add_argument("--base", help="a directory with another build's pydynox package, measured as `base`")
    args = parser.parse_args()

    import boto3

    # moto accepts any credentials; set them for boto3 here and for the workers.
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1")
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        ddb = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1")
        table = "observe_cost"
        ddb.create_table(
            TableName=table,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        attrs = {f"a{i}": {"S": f"value {i}"} for i in range(10)}
        ddb.put_item(TableName=table, Item={"pk": {"S": "item"}, "sk": {"S": "0"}, **attrs})
        for start in range(0, 500, 25):
            ddb.batch_write_item(
                RequestItems={table: [{"PutRequest": {"Item": {"pk": {"S": "part"}, "sk": {"S": f"{i:04d}"}, **attrs}}} for i in range(start, start + 25)]}
            )

        variants = ["off", "default", "info", "trace"] + (["base"] if args.base else [])
        results: dict[str, list[dict[str, float]]] = {v: [] for v in variants}
        for r in range(args.rounds):
            order = variants[r % len(variants) :] + variants[: r % len(variants)]
            for variant in order:
                env = dict(os.environ)
                if variant == "base":
                    env["PYTHONPATH"] = args.base
                out = subprocess.run(
                    [sys.executable, "-c", WORKER, variant, endpoint, table, str(args.gets), str(args.queries)],
                    env=env, capture_output=True, text=True, check=True,
                )
                results[variant].append(json.loads(out.stdout))
    finally:
        moto.send_signal(signal.SIGTERM)
        moto.wait(timeout=30)

    ref = {k: statistics.median(x[k] for x in results["off"]) for k in ("get_us", "query_item_us")}
    print(f"{'variant':8} {'GetItem CPU us':>15} {'ratio':>6} {'Query CPU us/item':>18} {'ratio':>6}")
    for variant in variants:
        get = statistics.median(x["get_us"] for x in results[variant])
        query = statistics.median(x["query_item_us"] for x in results[variant])
        print(f"{variant:8} {get:15.1f} {get / ref['get_us']:6.3f} {query:18.2f} {query / ref['query_item_us']:6.3f}")


if __name__ == "__main__":
    main()
