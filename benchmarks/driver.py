"""Runs the benchmark: starts the servers, seeds them, runs every (round, scenario, contender)
in a fresh worker process, and writes the raw results as JSON. `report.py` turns those into
docs/benchmarks.md and docs/benchmarks.png.

Runs in the "harness" venv (moto, boto3 for seeding, matplotlib). Started by run.sh.
"""

import argparse
import datetime as dt
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENVS = BENCH / ".venvs"
sys.path.insert(0, str(BENCH))

import items

CARGO_TARGET_DIR = Path(
    os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/pydynox/target")
)
FLOOR_BIN = CARGO_TARGET_DIR / "release" / "pydynox-bench-floor"

VENV_OF = {
    "ours": "ours",
    "pydynox-0.21.0": "pydynox021",
    "boto3-client": "boto3",
    "boto3-resource": "boto3",
    "aioboto3": "aioboto3",
    "pynamodb": "pynamodb",
    "ours-client": "ours",  # the model scenarios' baseline: our client, no model
    "ours-on-demand": "ours",  # this checkout with page prefetch off (PYDYNOX_PREFETCH=0)
    "ours-connector": "ours",  # sync calls on the connector, not blocking sockets (PYDYNOX_PLAIN_HTTP=0)
}
PACKAGE_OF = {  # for the versions table
    "ours": "pydynox",
    "pydynox-0.21.0": "pydynox",
    "boto3-client": "boto3",
    "boto3-resource": "boto3",
    "aioboto3": "aioboto3",
    "pynamodb": "pynamodb",
    "ours-client": "pydynox",
    "ours-on-demand": "pydynox",
    "ours-connector": "pydynox",
}

SYNC = ["ours", "pydynox-0.21.0", "boto3-client", "boto3-resource", "pynamodb"]
# (h) the model level (issue 8): each library's ORM, plus our client without a model as the
# baseline the model layer adds to. Async iteration only where a library has it (PynamoDB
# has no async API).
MODELS = ["ours", "pydynox-0.21.0", "pynamodb", "ours-client"]
ASYNC_MODELS = ["ours", "pydynox-0.21.0", "ours-client"]


# Contenders that are this checkout run differently, not other libraries or versions.
VARIANTS = {"ours-client", "ours-on-demand", "ours-connector"}
# What each variant changes in the environment of this checkout's worker.
VARIANT_ENV = {"ours-on-demand": {"PYDYNOX_PREFETCH": "0"}, "ours-connector": {"PYDYNOX_PLAIN_HTTP": "0"}}
# scan-slow-consumer: the server's added round trip, and how the scan is read. Pages of 50
# small items with 1 ms of work each take about as long to consume as a page takes to
# arrive (the delay plus dynalite's own time), the case where fetching ahead saves the most:
# at best (10 x max(consume, fetch) + min) / (10 x (consume + fetch)) = 0.55 for 10 pages.
SLOW_DELAY_S = 0.04
SLOW_SCAN = {"page_size": 50, "pages": 10, "work_ms": 1.0}


def query_items(quick: bool) -> int:
    """Items in the query partition; read with page_size=1000 (about 1 MB a page)."""
    return 100 if quick else 1000


def plan(quick: bool) -> list[dict]:
    """Every scenario with its contenders and sizes. A scenario's jobs run once per round."""
    q = quick
    # Both runs of the stall scenario do the same work.
    stalls_job = {"gets": 300 if q else 2000, "inflight": 64, "reads": 3, "warmup": 64 if q else 200}
    every = [
        {
            "name": "import",
            "server": "dynalite",
            "contenders": [c for c in VENV_OF if c not in VARIANTS],
            "job": {},
        },
        {
            "name": "get",
            "server": "dynalite",
            "contenders": SYNC + ["ours-connector", "floor", "floor-wire", "wire-python"],
            "job": {"ops": 200 if q else 2000, "warmup": 20 if q else 200},
        },
        {
            "name": "update",
            "server": "dynalite",
            "contenders": ["ours", "ours-connector", "pydynox-0.21.0"],
            "job": {"ops": 200 if q else 1500, "warmup": 20 if q else 100},
        },
        {
            "name": "put",
            "server": "dynalite",
            "contenders": SYNC,
            "job": {"ops": 200 if q else 1500, "warmup": 20 if q else 100},
        },
        {
            "name": "get-moto",
            "scenario": "get",
            "server": "moto",
            "contenders": ["ours", "pydynox-0.21.0", "boto3-client", "boto3-resource"],
            "job": {"ops": 50 if q else 150, "warmup": 5 if q else 20},
        },
        {
            "name": "query",
            "server": "dynalite",
            "contenders": SYNC + ["floor", "json.loads", "json.loads-wire"],
            "job": {"ops": 2 if q else 5, "warmup": 1, "items": query_items(q)},
        },
        {
            "name": "fanout",
            "server": "dynalite",
            "contenders": ["ours", "pydynox-0.21.0", "aioboto3"],
            "job": {
                "ops": 200 if q else 1000,
                "bursts": 1 if q else 3,
                "warmup": 64 if q else 200,
                "inflight": 64,
            },
        },
        {
            # A 1 ms ticker on the loop of an async app doing gets, then page reads (issue 14).
            "name": "stalls",
            "server": "dynalite",
            "contenders": ["ours", "pydynox-0.21.0", "aioboto3"],
            "job": stalls_job,
        },
        {
            # The same, with the server held to one core of its own (issue 14): on a 2-core
            # machine dynalite otherwise takes a core from under the client's loop thread,
            # which then waits to run whatever its own work (the *loop CPU* columns).
            "name": "stalls-own-core",
            "scenario": "stalls",
            "server": "dynalite",
            "server_on_one_core": True,
            "contenders": ["ours", "pydynox-0.21.0", "aioboto3"],
            "job": stalls_job,
        },
        {
            "name": "threads",
            "server": "dynalite",
            "contenders": ["ours", "pydynox-0.21.0", "boto3-client"],
            "job": {
                "ops": 160 if q else 1600,
                "warmup": 20 if q else 100,
                "thread_counts": [1, 2, 4, 8],
            },
        },
        {
            "name": "batch",
            "server": "dynalite",
            "contenders": ["ours", "pydynox-0.21.0", "boto3-resource", "pynamodb"],
            "job": {"ops": 500 if q else 10000},
        },
        {
            "name": "batch-writer",
            "server": "dynalite",
            "contenders": ["ours", "pydynox-0.21.0", "boto3-resource", "pynamodb"],
            "job": {"ops": 500 if q else 10000},
        },
        {
            "name": "batch-get",
            "server": "dynalite",
            "contenders": ["ours", "pydynox-0.21.0", "boto3-resource", "pynamodb"],
            "job": {"ops": 500 if q else 10000},
        },
        {
            "name": "scan-slow-consumer",
            "server": "dynalite-slow",
            "contenders": ["ours", "ours-on-demand", "pydynox-0.21.0"],
            "job": dict(SLOW_SCAN, pages=2 if q else SLOW_SCAN["pages"], warmup=1),
        },
        {
            "name": "model-get",
            "server": "dynalite",
            "contenders": MODELS,
            "job": {"ops": 200 if q else 2000, "warmup": 20 if q else 200},
        },
        {
            "name": "model-save",
            "server": "dynalite",
            "contenders": MODELS,
            "job": {"ops": 200 if q else 1500, "warmup": 20 if q else 100},
        },
        {
            "name": "model-query",
            "server": "dynalite",
            "contenders": MODELS,
            "job": {"ops": 2 if q else 5, "warmup": 1, "items": query_items(q)},
        },
        {
            "name": "model-aquery",
            "server": "dynalite",
            "contenders": ASYNC_MODELS,
            "job": {"ops": 2 if q else 5, "warmup": 1, "items": query_items(q)},
        },
    ]
    # A 1-core machine has no core to give the server: the own-core variant would repeat
    # the shared one.
    return [sc for sc in every if not (sc.get("server_on_one_core") and (os.cpu_count() or 1) < 2)]


def leak_plan(quick: bool) -> dict:
    return {
        "small": 1000 if not quick else 200,
        "large": 100_000 if not quick else 5_000,
    }


# ------------------------------------------------------------------------------ servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(
    port: int, proc: subprocess.Popen, what: str, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited with {proc.returncode} before listening")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"{what} did not listen on 127.0.0.1:{port} within {timeout}s")


class Servers:
    """moto and dynalite on loopback, each stopped by its own PID (and process group)."""

    def __init__(self, logdir: Path):
        self.procs: list[tuple[str, subprocess.Popen]] = []
        self.logdir = logdir
        self.endpoints: dict[str, str] = {}

    def start(self, name: str, argv: list[str], port: int) -> None:
        with open(
            self.logdir / f"{name}.log", "w"
        ) as log:  # the child keeps its own copy
            proc = subprocess.Popen(
                argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.procs.append((name, proc))
        wait_port(port, proc, name)
        self.endpoints[name] = f"http://127.0.0.1:{port}"

    def start_all(self) -> None:
        port = free_port()
        dynalite = VENVS / "node" / "node_modules" / "dynalite" / "cli.js"
        self.start(
            "dynalite",
            [
                "node",
                str(dynalite),
                "--port",
                str(port),
                "--host",
                "127.0.0.1",
                "--createTableMs",
                "0",
                "--deleteTableMs",
                "0",
                "--updateTableMs",
                "0",
            ],
            port,
        )
        # dynalite again, behind a proxy that holds each request SLOW_DELAY_S (same data).
        slow_port = free_port()
        self.start(
            "dynalite-slow",
            [
                sys.executable,
                str(BENCH / "delay_proxy.py"),
                self.endpoints["dynalite"],
                str(slow_port),
                str(SLOW_DELAY_S),
            ],
            slow_port,
        )
        port = free_port()
        self.start(
            "moto",
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            port,
        )

    def hold_to_one_core(self, name: str, on: bool) -> None:
        """Pins every thread of server `name` to the machine's last core (on), or lets them
        run anywhere again. Threads the server starts later inherit the mask of their creator."""
        proc = dict(self.procs)[name]
        every = set(range(os.cpu_count() or 1))
        mask = {max(every)} if on else every
        for tid in os.listdir(f"/proc/{proc.pid}/task"):
            try:
                os.sched_setaffinity(int(tid), mask)
            except ProcessLookupError:
                pass  # a thread that ended meanwhile

    def stop(self) -> None:
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
        self.procs.clear()


def seed(endpoint: str, n_query: int, with_query: bool = True) -> None:
    """Creates the tables and writes the GetItem item and the query partition (with boto3)."""
    import boto3

    res = boto3.resource(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )
    existing = {t.name for t in res.tables.all()}
    for name, keys in [
        (items.TABLE_ITEMS, [("pk", "S", "HASH")]),
        (items.TABLE_QUERY, [("pk", "S", "HASH"), ("sk", "N", "RANGE")]),
        (items.TABLE_BATCH, [("pk", "S", "HASH")]),
        (items.TABLE_SCAN, [("pk", "S", "HASH")]),
    ]:
        if name in existing:
            continue
        res.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": k, "KeyType": t} for k, _, t in keys],
            AttributeDefinitions=[
                {"AttributeName": k, "AttributeType": a} for k, a, _ in keys
            ],
            BillingMode="PAY_PER_REQUEST",
        ).wait_until_exists()
    from worker import decimals

    res.Table(items.TABLE_ITEMS).put_item(Item=decimals(items.get_item()))
    res.Table(items.TABLE_ITEMS).put_item(Item=decimals(dict(items.get_item(), pk=items.UPDATE_KEY)))
    if with_query:
        with res.Table(items.TABLE_QUERY).batch_writer() as w:
            for i in range(n_query):
                w.put_item(Item=decimals(items.query_item(i)))
        with res.Table(items.TABLE_SCAN).batch_writer() as w:
            for i in range(SLOW_SCAN["page_size"] * SLOW_SCAN["pages"]):
                w.put_item(Item=items.scan_item(i))


# ------------------------------------------------------------------------------ runs


def venv_python(contender: str) -> str:
    return str(VENVS / VENV_OF[contender] / "bin" / "python")


def worker_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_REGION="us-east-1",
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE="/nonexistent/aws-config",
        AWS_SHARED_CREDENTIALS_FILE="/nonexistent/aws-credentials",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONPATH=str(BENCH),
    )
    env.pop("PYTHONSTARTUP", None)
    return env


def run_job(
    contender: str, scenario: str, job: dict, endpoint: str, timeout: float = 900
) -> dict:
    job = dict(job, scenario=scenario, contender=contender, endpoint=endpoint)
    if contender.startswith("floor"):
        what = "wire" if contender == "floor-wire" else {"get": "get", "query": "query"}[scenario]
        argv = [
            str(FLOOR_BIN),
            what,
            endpoint,
            str(job["ops"]),
            str(job.get("warmup", 1)),
        ]
    elif contender == "wire-python":
        # The Rust floor captures the signed request; a Python worker resends it.
        captured = subprocess.run(
            [str(FLOOR_BIN), "capture", endpoint, "1", "0"],
            capture_output=True, text=True, check=True, env=worker_env(), timeout=120,
        )
        job.update(scenario="wire-floor", **json.loads(captured.stdout.strip().splitlines()[-1]))
        argv = [venv_python("ours"), str(BENCH / "worker.py"), json.dumps(job)]
    elif contender.startswith("json.loads"):
        # No server: parse the page's JSON text, 5 times as often as the clients read it.
        job.update(
            scenario="jsonloads",
            form="wire" if contender.endswith("-wire") else "plain",
            ops=job["ops"] * 5,
        )
        argv = [venv_python("ours"), str(BENCH / "worker.py"), json.dumps(job)]
    else:
        argv = [venv_python(contender), str(BENCH / "worker.py"), json.dumps(job)]
    proc = subprocess.run(
        argv,
        capture_output=True,
        text=True,
        check=False,
        env=dict(worker_env(), **VARIANT_ENV.get(contender, {})),
        timeout=timeout,
        cwd=str(BENCH),
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"{contender}/{scenario} failed ({proc.returncode}):\n{proc.stderr[-3000:]}"
        )
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    if contender.startswith("floor"):
        out["units"] = out["items"]
    return out


def run_job_retrying(contender: str, scenario: str, job: dict, endpoint: str) -> dict:
    """run_job, once more if it fails: on a loaded shared machine a server can stall past a
    client's read timeout (botocore's is 60 s). A second failure is a real one."""
    try:
        return run_job(contender, scenario, job, endpoint)
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        print(f"[bench] {contender}/{scenario} failed, retrying once: {str(error)[-300:]}", file=sys.stderr)
        return run_job(contender, scenario, job, endpoint)


def versions(servers: Servers) -> dict:
    v = {}
    for contender, venv in VENV_OF.items():
        pkg = PACKAGE_OF[contender]
        code = f"import importlib.metadata as m; print(m.version({pkg!r}))"
        v[contender] = subprocess.run(
            [str(VENVS / venv / "bin" / "python"), "-c", code],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    v["python"] = platform.python_version()
    v["moto"] = subprocess.run(
        [
            sys.executable,
            "-c",
            "import importlib.metadata as m; print(m.version('moto'))",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    pkg = json.loads(
        (VENVS / "node" / "node_modules" / "dynalite" / "package.json").read_text()
    )
    v["dynalite"] = pkg["version"]
    v["node"] = subprocess.run(
        ["node", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    lock = (BENCH / "floor" / "Cargo.lock").read_text()
    marker = 'name = "aws-sdk-dynamodb"\nversion = "'
    v["floor (aws-sdk-dynamodb)"] = (
        lock.split(marker, 1)[1].split('"', 1)[0] if marker in lock else "?"
    )
    v["rustc"] = subprocess.run(
        ["rustc", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    v["ours (git)"] = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return v


def machine() -> dict:
    model = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "load_at_start": os.getloadavg(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--quick", action="store_true", help="smoke run: tiny sizes, 2 rounds"
    )
    ap.add_argument(
        "--rounds",
        type=int,
        default=None,
        help="rounds per scenario (default 5, --quick 2)",
    )
    ap.add_argument(
        "--only", default="", help="comma-separated scenario names (default: all)"
    )
    ap.add_argument("--no-leak", action="store_true", help="skip the RSS growth check")
    ap.add_argument(
        "--out", default=str(VENVS / "results.json"), help="where the raw results go"
    )
    args = ap.parse_args()
    rounds = args.rounds or (2 if args.quick else 5)
    scenarios = plan(args.quick)
    if args.only:
        wanted = set(args.only.split(","))
        scenarios = [s for s in scenarios if s["name"] in wanted]

    logdir = VENVS / "logs"
    logdir.mkdir(parents=True, exist_ok=True)
    servers = Servers(logdir)
    started = time.monotonic()
    results: list[dict] = []
    meta = {
        "command": "bash benchmarks/run.sh"
        + (" --quick" if args.quick else "")
        + (f" --rounds {args.rounds}" if args.rounds else "")
        + (f" --only {args.only}" if args.only else "")
        + (" --no-leak" if args.no_leak else ""),
        "only": args.only,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": args.quick,
        "rounds": rounds,
        "machine": machine(),
        "plan": scenarios,
        "query_items": query_items(args.quick),
        "slow_delay_s": SLOW_DELAY_S,
    }
    try:
        servers.start_all()
        for name, endpoint in servers.endpoints.items():
            if name == "dynalite-slow":
                continue  # dynalite itself, seeded just before
            seed(endpoint, query_items(args.quick), with_query=(name == "dynalite"))
        meta["versions"] = versions(servers)
        print(f"[bench] servers up: {servers.endpoints}", file=sys.stderr)
        for r in range(rounds):
            for sc in scenarios:
                order = (
                    sc["contenders"][r % len(sc["contenders"]) :]
                    + sc["contenders"][: r % len(sc["contenders"])]
                )
                for contender in order:
                    t0 = time.monotonic()
                    pinned = sc.get("server_on_one_core", False)
                    if pinned:
                        servers.hold_to_one_core(sc["server"], True)
                    try:
                        out = run_job_retrying(
                            contender,
                            sc.get("scenario", sc["name"]),
                            sc["job"],
                            servers.endpoints[sc["server"]],
                        )
                    finally:
                        if pinned:
                            servers.hold_to_one_core(sc["server"], False)
                    results.append(
                        {
                            "round": r,
                            "scenario": sc["name"],
                            "contender": contender,
                            **out,
                        }
                    )
                    print(
                        f"[bench] round {r + 1}/{rounds} {sc['name']:<9} {contender:<16} {time.monotonic() - t0:6.1f}s",
                        file=sys.stderr,
                    )
        if not args.no_leak and (not args.only or "leak" in args.only.split(",")):
            lp = leak_plan(args.quick)
            t0 = time.monotonic()
            out = run_job(
                "ours", "leak", lp, servers.endpoints["dynalite"], timeout=1800
            )
            results.append({"round": 0, "scenario": "leak", "contender": "ours", **out})
            print(
                f"[bench] leak check ({lp['large']} ops) {time.monotonic() - t0:.1f}s",
                file=sys.stderr,
            )
    except BaseException:
        # Keep what was measured: a failure in round 5 should not throw away rounds 1-4.
        partial = Path(args.out).with_suffix(".partial.json")
        partial.write_text(json.dumps({"meta": meta, "results": results}, indent=1))
        print(f"[bench] failed; {len(results)} results so far in {partial}", file=sys.stderr)
        raise
    finally:
        servers.stop()
    meta["elapsed_s"] = round(time.monotonic() - started, 1)
    meta["machine"]["load_at_end"] = os.getloadavg()
    Path(args.out).write_text(json.dumps({"meta": meta, "results": results}, indent=1))
    print(
        f"[bench] {len(results)} results in {meta['elapsed_s']}s -> {args.out}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
