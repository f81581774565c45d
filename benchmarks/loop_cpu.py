"""The event loop thread's own CPU for the two steps behind the `stalls` scenario's
lateness, pydynox against pydynox 0.21.0 in one run (issue 14):

- *start*: 64 tasks, each awaiting one `async_get_item`, started in one loop step: the
  loop's CPU (`time.thread_time`) until every task has sent its request, per task
  (median of 30 bursts). An async app starting a fan-out pays this in one stretch.
- *async for*: the loop's CPU per item of `async for` over the query partition
  (1,000 items of ~1 KB, one page), median of 15 reads.

    benchmarks/.venvs/harness/bin/python benchmarks/loop_cpu.py [--rounds 3]

Needs the venvs of `benchmarks/setup.sh`. Starts dynalite on a free port, seeds it as the
harness does, runs each contender in a fresh process per round (alternating), and stops the
server by its process group. Loop CPU is what other processes cannot inflate: read it
beside the wall-clock lateness of docs/benchmarks.md. 0.21.0 builds a page's items on a
runtime thread, holding the GIL there, so its loop spends less CPU per item while its
other tasks wait as long (its pages lateness in docs/benchmarks.md); pydynox builds them
on the loop's thread, a slice at a time (ADR 14).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

CONTENDERS = ["ours", "pydynox-0.21.0"]
BURSTS, BURST, READS = 30, 64, 15


def measure(contender: str, endpoint: str) -> dict:
    """In the contender's venv: both measurements on one event loop."""
    import worker

    client = worker.CONTENDERS[contender](endpoint)

    async def caller():
        assert await client.aget() is not None

    async def burst() -> float:
        c0 = time.thread_time()
        tasks = [asyncio.ensure_future(caller()) for _ in range(BURST)]
        await asyncio.sleep(0)  # each task has taken its first step: its request is sent
        took = time.thread_time() - c0
        await asyncio.gather(*tasks)
        return took / BURST

    async def read() -> float:
        c0 = time.thread_time()
        n = await client.aquery_all()
        return (time.thread_time() - c0) / n

    async def main() -> dict:
        for _ in range(3):
            await burst()
        await read()
        starts = [await burst() for _ in range(BURSTS)]
        items = [await read() for _ in range(READS)]
        return {"start_us": statistics.median(starts) * 1e6, "item_us": statistics.median(items) * 1e6}

    return asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("CONTENDER", "ENDPOINT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(*args.child)), flush=True)
        os._exit(0)  # 0.21.0 has been seen to crash in interpreter teardown; the result is out

    import driver

    port = driver.free_port()
    cli = driver.VENVS / "node" / "node_modules" / "dynalite" / "cli.js"
    server = subprocess.Popen(
        ["node", str(cli), "--port", str(port), "--host", "127.0.0.1", "--createTableMs", "0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        driver.wait_port(port, server, "dynalite")
        endpoint = f"http://127.0.0.1:{port}"
        driver.seed(endpoint, driver.query_items(False), with_query=True)
        rows: dict[str, list[dict]] = {c: [] for c in CONTENDERS}
        for r in range(args.rounds):
            order = CONTENDERS[r % 2 :] + CONTENDERS[: r % 2]
            for contender in order:
                done = subprocess.run(
                    [driver.venv_python(contender), __file__, "--child", contender, endpoint],
                    capture_output=True, text=True, env=driver.worker_env(), cwd=str(BENCH), timeout=600,
                )
                if done.returncode != 0:
                    raise SystemExit(f"{contender} failed: {done.stderr[-2000:]}")
                rows[contender].append(json.loads(done.stdout.strip().splitlines()[-1]))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)

    print(f"loop thread CPU, medians of {args.rounds} rounds (pydynox ÷ 0.21.0 per round, then the median)")
    for key, what in (("start_us", f"start: per task of {BURST} started in one step"), ("item_us", "async for: per item")):
        ours = statistics.median(row[key] for row in rows["ours"])
        theirs = statistics.median(row[key] for row in rows["pydynox-0.21.0"])
        ratio = statistics.median(a[key] / b[key] for a, b in zip(rows["ours"], rows["pydynox-0.21.0"]))
        print(f"  {what:<45} pydynox {ours:6.2f} µs   0.21.0 {theirs:6.2f} µs   ratio {ratio:.2f}")


if __name__ == "__main__":
    main()
