"""Turns the driver's raw results into docs/benchmarks.md and docs/benchmarks.png.

    python benchmarks/report.py [RESULTS.json] [--md PATH] [--png PATH]

RESULTS.json defaults to docs/benchmarks-results.json, the committed results of the run
behind docs/benchmarks.md, so the page can be regenerated from the repository (the chart
needs matplotlib: benchmarks/.venvs/harness has it).

Every number in the tables is a median over rounds. Ratios are taken per round (the two
contenders ran back to back in that round) and the median of those ratios is shown, so a
slow moment of the machine weighs on both sides of a ratio alike.
"""

import argparse
import json
import statistics
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

LABEL = {
    "ours": "**pydynox (this checkout)**",
    "pydynox-0.21.0": "pydynox 0.21.0 (PyPI)",
    "boto3-client": "boto3 client",
    "boto3-resource": "boto3 resource (Table)",
    "aioboto3": "aioboto3 client",
    "pynamodb": "PynamoDB",
    "ours-client": "pydynox client, no model (this checkout)",
    "ours-on-demand": "pydynox, prefetch off (this checkout, `PYDYNOX_PREFETCH=0`)",
    "ours-connector": "pydynox, sync calls on the SDK's connector (this checkout, `PYDYNOX_PLAIN_HTTP=0`)",
    "floor": "floor: Rust aws-sdk-dynamodb",
    "floor-wire": "wire floor: the signed request resent as bytes (Rust, one kept-alive socket)",
    "wire-python": "wire floor in Python: the same bytes resent from a Python loop (stdlib `socket`)",
    "json.loads": "floor: `json.loads` of the page as plain JSON",
    "json.loads-wire": "`json.loads` of the page as DynamoDB JSON",
}

TITLES = {
    "get": ("(a) GetItem, sequential, dynalite", "op"),
    "put": ("(a) PutItem, sequential, dynalite", "op"),
    "get-moto": ("(a') GetItem, sequential, moto server", "op"),
    "update": ("(a) UpdateItem, sequential, dynalite", "op"),
    "query": (
        "(b) Query, ~1 MB pages of 1,000 items of ~1 KB, dynalite: per item",
        "item",
    ),
    "fanout": ("(c) Async fan-out: 1,000 GetItem, 64 in flight, dynalite", "op"),
    "batch": ("(e) Batch write of 10,000 items, dynalite: per item", "item"),
    "batch-writer": ("(e) Batch writer, 10,000 puts, dynalite: per item", "item"),
    "batch-get": ("(e) Batch get of 10,000 keys, dynalite: per item", "item"),
    "scan-slow-consumer": (
        "(f) Scan of 10 pages with 1 ms of work per item, dynalite behind a delay proxy",
        "scan",
    ),
    "model-get": ("`Model.get`, sequential, dynalite", "op"),
    "model-save": ("`model.save()`, sequential, dynalite", "op"),
    "model-query": (
        "`for` over `Model.query`, 1,000 items of ~1 KB, dynalite: per item",
        "item",
    ),
    "model-aquery": (
        "`async for` over `Model.async_query`, 1,000 items of ~1 KB, dynalite: per item",
        "item",
    ),
}

MODEL_SCENARIOS = ["model-get", "model-save", "model-query", "model-aquery"]

NOTES = {
    "get": "One ~20-attribute item (strings, numbers, booleans, nested map and list, a string "
    "set) read by key. boto3 client returns DynamoDB's typed JSON without converting it to "
    "Python values (less work than the others); PynamoDB builds a Model instance. The wire floor "
    "is the SDK's signed request for the same GetItem, captured once and resent as bytes over one "
    "kept-alive socket, each response read to its end but not decoded: the kernel's and the "
    "server's part of a call, which no client avoids; the Python row, when the run has it, resends the same bytes from a Python "
    "loop. Their CPU per call is a few microseconds of `getrusage` time, which the kernel accounts in "
    "scheduler ticks: read those rows as an order of magnitude.",
    "put": "The same item shape written under 200 rotating keys. boto3 client is handed "
    "items already in typed JSON (serialised outside the timed loop).",
    "update": "`update_item(table, key, update_expression=\"SET visits = :v, city = :c\", "
    "expression_attribute_values=...)` of one item, values changing per call; the same call for both pydynox versions.",
    "get-moto": "moto is far slower than dynalite, so wall time and ops/s here mostly measure moto; "
    "client CPU is still the client's own.",
    "query": "Client CPU of reading the whole partition with `page_size=1000`, divided by the items "
    "returned (each read is one full page plus an empty last page, as DynamoDB returns a "
    "LastEvaluatedKey when the limit is reached). The "
    "floor rows decode the same data with no Python at all (Rust) or only build the Python "
    "objects (`json.loads`, no HTTP, no typed JSON).",
    "fanout": "`asyncio.Semaphore(64)` around each call, three bursts of 1,000 timed. aioboto3 "
    "gets a 64-connection pool (its default is 10) and returns typed JSON.",
    "batch": "pydynox: `client.batch_write(put_items=...)`; boto3: `Table.batch_writer()`; "
    "PynamoDB: `Model.batch_write()` (models built outside the timed part).",
    "batch-writer": "`with BatchWriter(client, table) as w: w.put(item)` for both pydynox versions (the "
    "same call); boto3: `Table.batch_writer()`; PynamoDB: `Model.batch_write()` (models built outside the timed part).",
    "batch-get": "The keys the batch scenarios write, read back: `client.batch_get(table, keys)` for both "
    "pydynox versions; boto3: `batch_get_item` of 100 keys at a time, re-asking for unprocessed keys; "
    "PynamoDB: `Model.batch_get(keys)`. The items are written first, untimed.",
    "scan-slow-consumer": "`for item in client.scan(table, page_size=50, limit=500)` over small (~100-byte) "
    "items, each item followed by 1 ms of busy CPU work (GIL held), through a proxy that holds every request {delay} ms before "
    "relaying it to dynalite: 10 pages whose round trip is about as long as their consumption. "
    "pydynox requests page N+1 while the caller works through page N (ADR 7); the second row is the "
    "same build with prefetch turned off, fetching each page when the caller reaches it, as 0.21.0 does.",
    "model-get": "The (a) item read through each library's ORM into a model instance of ~20 declared "
    "attributes: `Item.get(pk=...)` for both pydynox versions (the same model declaration serves "
    "both), `Item.get(hash_key)` for PynamoDB. The last row is this checkout's `client.get_item` "
    "in the same round: the difference is what the model layer costs.",
    "model-save": "`model.save()` of instances built before the timed loop (so `__init__` is not "
    "counted), 200 rotating keys, no condition and no version attribute. pydynox 0.21.0 stores "
    "the `StringSetAttribute` as a list (a bug issue 8 lists); the others store a string set.",
    "model-query": "Iterating `Item.query(hash_key=..., page_size=1000)` one model at a time (PynamoDB: "
    "`Item.query(hash_key, page_size=1000)`), the partition of (b), divided by the items. The "
    "baseline row iterates this checkout's `client.query` the same way (one dict at a time).",
    "model-aquery": "The same read with `async for` over `Item.async_query(...)` (PynamoDB has no async "
    "API), on one event loop made before the timed part.",
}


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, digits=1):
    if x is None:
        return "–"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:,.{digits}f}"


class Results:
    def __init__(self, data):
        self.meta = data["meta"]
        self.rows = data["results"]
        self.by = defaultdict(dict)  # (scenario, contender) -> {round: row}
        for r in self.rows:
            self.by[(r["scenario"], r["contender"])][r["round"]] = r

    def contenders(self, scenario):
        seen = []
        for r in self.rows:
            if r["scenario"] == scenario and r["contender"] not in seen:
                seen.append(r["contender"])
        return sorted(
            seen,
            key=lambda c: (c != "ours", list(LABEL).index(c) if c in LABEL else 99),
        )

    def series(self, scenario, contender, fn):
        return {k: fn(v) for k, v in self.by[(scenario, contender)].items()}

    def median(self, scenario, contender, fn):
        return med(self.series(scenario, contender, fn).values())

    def ratio(self, scenario, num, den, fn):
        """Median over rounds of fn(num's row) / fn(den's row), pairing rows of the same round."""
        a, b = self.series(scenario, num, fn), self.series(scenario, den, fn)
        return med([a[k] / b[k] for k in a if b.get(k)])


def cpu_us(r):
    return r["cpu_s"] / r["units"] * 1e6


def wall_us(r):
    return r["wall_s"] / r["units"] * 1e6


def ops(r):
    return r["units"] / r["wall_s"]


def scenario_table(res, scenario, level="###"):
    title, unit = TITLES[scenario]
    lines = [f"{level} {title}", "", NOTES[scenario], ""]
    lines += [
        f"| contender | CPU µs/{unit} | wall µs/{unit} | {unit}s/s | peak RSS MB | CPU ratio (them ÷ us) | {unit}s/s ratio (us ÷ them) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for c in res.contenders(scenario):
        is_floor = c == "floor" or c.startswith("json.loads")
        rss = res.median(scenario, c, lambda r: r.get("peak_rss_mb"))
        lines.append(
            "| {} | {} | {} | {} | {} | {} | {} |".format(
                LABEL.get(c, c),
                fmt(res.median(scenario, c, cpu_us), 2),
                "–"
                if c.startswith("json.loads")
                else fmt(res.median(scenario, c, wall_us)),
                "–"
                if c.startswith("json.loads")
                else fmt(res.median(scenario, c, ops)),
                "–" if c.startswith("json.loads") else fmt(rss),
                "1.00"
                if c == "ours"
                else fmt(res.ratio(scenario, c, "ours", cpu_us), 2),
                "1.00"
                if c == "ours"
                else (
                    "–"
                    if is_floor and c != "floor"
                    else fmt(res.ratio(scenario, "ours", c, ops), 2)
                ),
            )
        )
    return lines


def import_table(res):
    lines = [
        "### (f) Import and first client",
        "",
        "A fresh interpreter imports the package (`pydynox`, `boto3`, `aioboto3`, `pynamodb.models`), "
        "then builds its first client (boto3 loads its service model there). RSS is the process's "
        "resident set, which already includes the bare interpreter (~10 MB).",
        "",
        "| contender | import ms (wall) | import CPU ms | RSS after import MB | first client ms | RSS after client MB | import CPU ratio (them ÷ us) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for c in res.contenders("import"):
        lines.append(
            "| {} | {} | {} | {} | {} | {} | {} |".format(
                LABEL.get(c, c),
                fmt(res.median("import", c, lambda r: r["import_wall_s"] * 1e3)),
                fmt(res.median("import", c, lambda r: r["import_cpu_s"] * 1e3)),
                fmt(res.median("import", c, lambda r: r["rss_after_import_mb"])),
                fmt(res.median("import", c, lambda r: r["client_wall_s"] * 1e3)),
                fmt(res.median("import", c, lambda r: r["rss_after_client_mb"])),
                "1.00"
                if c == "ours"
                else fmt(
                    res.ratio("import", c, "ours", lambda r: r["import_cpu_s"]), 2
                ),
            )
        )
    return lines


def threads_ops(n):
    return lambda r: (
        r["per_threads"][str(n)]["units"] / r["per_threads"][str(n)]["wall_s"]
    )


def threads_cpu(n):
    return lambda r: (
        r["per_threads"][str(n)]["cpu_s"] / r["per_threads"][str(n)]["units"] * 1e6
    )


def thread_counts(res):
    for r in res.rows:
        if r["scenario"] == "threads":
            return sorted(int(k) for k in r["per_threads"])
    return []


def scaling(res, c, n):
    s = res.series("threads", c, lambda r: threads_ops(n)(r) / threads_ops(1)(r))
    return med(s.values())


def threads_table(res):
    counts = thread_counts(res)
    lines = [
        "### (d) Sync GetItem from 1, 2, 4, 8 threads sharing one client, dynalite",
        "",
        "The same total of calls split over the threads. Throughput can only grow with threads if "
        "the client releases the GIL while it waits; on this 2-core machine dynalite (single-threaded "
        "Node.js) shares the cores with the client, so it caps the total.",
        "",
        "| contender | "
        + " | ".join(f"{n} thr ops/s" for n in counts)
        + " | "
        + " | ".join(f"{n} thr ÷ 1 thr" for n in counts if n > 1)
        + " | CPU µs/op at 1 thr |",
        "|---|" + "---:|" * (2 * len(counts) - 1 + 1),
    ]
    for c in res.contenders("threads"):
        cells = [fmt(res.median("threads", c, threads_ops(n))) for n in counts]
        cells += [fmt(scaling(res, c, n), 2) for n in counts if n > 1]
        cells.append(fmt(res.median("threads", c, threads_cpu(1)), 1))
        lines.append(f"| {LABEL.get(c, c)} | " + " | ".join(cells) + " |")
    return lines


def leak_lines(res):
    rows = [r for r in res.rows if r["scenario"] == "leak"]
    if not rows:
        return ["### (g) RSS growth", "", "Not run."]
    r = rows[0]
    growth = r["rss_after_large_mb"] - r["rss_after_small_mb"]
    return [
        "### (g) RSS growth over many calls (leak check)",
        "",
        "One process, pydynox GetItem against dynalite; run once per benchmark (not per round).",
        "",
        "| calls | RSS MB |",
        "|---:|---:|",
        f"| {r['small']:,} | {r['rss_after_small_mb']:.1f} |",
        f"| {r['large']:,} | {r['rss_after_large_mb']:.1f} |",
        f"| growth | **{growth:+.2f}** |",
        "",
        f"CPU per call over the long run: {r['cpu_s'] / r['units'] * 1e6:.1f} µs.",
    ]


def slow_scan_lines(res):
    s = "scan-slow-consumer"
    title, _unit = TITLES[s]
    delay = res.meta.get("slow_delay_s", 0) * 1000
    lines = [f"### {title}", "", NOTES[s].format(delay=f"{delay:.0f}"), ""]
    lines += [
        "| contender | wall ms per scan | client CPU ms per scan | wall ÷ prefetch off |",
        "|---|---:|---:|---:|",
    ]
    base = "ours-on-demand" if res.by.get((s, "ours-on-demand")) else None

    def wall(r):
        return r["wall_s"]

    for c in res.contenders(s):
        ratio = fmt(res.ratio(s, c, base, wall), 2) if base else "–"
        lines.append(
            f"| {LABEL.get(c, c)} | {fmt(res.median(s, c, wall) * 1000)} | "
            f"{fmt(res.median(s, c, lambda r: r['cpu_s']) * 1000)} | {ratio} |"
        )
    if base:
        # With one page ahead, a scan takes about 10 x the slower of consuming and fetching a
        # page, plus one of the faster: the ratio to expect for this run's fetch times.
        def bound(r):
            pages = r["pages"]
            consume = r["units"] * r["work_ms"] / 1000 / pages if "work_ms" in r else None
            if consume is None:
                return None
            fetch = max(r["wall_s"] / pages - consume, 0)
            slow, fast = max(consume, fetch), min(consume, fetch)
            return (pages * slow + fast) / (pages * (slow + fast))

        b = res.median(s, base, bound)
        fetch_ms = res.median(s, base, lambda r: (r["wall_s"] - r["units"] * r.get("work_ms", 0) / 1000) / r["pages"] * 1000)
        if b is not None:
            lines += [
                "",
                f"With prefetch off, a page took {fmt(fetch_ms)} ms to arrive and {fmt(res.median(s, base, lambda r: r['units'] * r['work_ms'] / r['pages']))} ms "
                f"to consume; with fetches that long, one page ahead would bring the wall time to about {b:.2f}× "
                "of that (10 × the slower of the two plus one of the faster, over 10 × their sum). Fetch times "
                "move with the machine's load, so this is a guide, not a bound.",
            ]
    return lines


STALL_P99_MS, STALL_MAX_MS, STALL_THROUGHPUT = 2.0, 5.0, 2.0


# The two runs of the stall scenario: the server sharing the machine's cores with the client,
# and held to one core of its own (the client may use every core in both).
STALL_RUNS = {
    "stalls": ("(c') Event-loop stalls: a 1 ms ticker beside async work, dynalite sharing the client's cores", "server sharing the cores"),
    "stalls-own-core": ("(c'') The same, dynalite held to one core of its own", "server on its own core"),
}


def stalls_lines(res, s):
    """The event-loop stall scenario: the ticker's lateness beside each phase's throughput."""
    plan = next((sc for sc in res.meta["plan"] if sc["name"] == s), None)
    job = plan["job"] if plan else {}
    items = res.meta.get("query_items", 0)
    if s != "stalls":
        return stalls_table(res, s, [
            f"### {STALL_RUNS[s][0]}",
            "",
            "The scenario above again, with every thread of dynalite pinned to the machine's last core "
            "for the run (`os.sched_setaffinity`; the client's process may still use every core). On "
            "this 2-core machine the server otherwise takes either core, and the loop thread then waits "
            "for one whatever its own work: compare the two tables' *loop CPU between ticks* columns "
            "with their lateness columns. A deployed client reaches its DynamoDB over "
            "the network, with no server on its cores.",
            "",
        ])
    lines = [
        f"### {STALL_RUNS[s][0]}",
        "",
        f"One event loop runs a task that sleeps 1 ms in a loop while the same loop does {job.get('gets', 0):,} "
        f"async GetItem calls made by {job.get('inflight', 0)} tasks, so {job.get('inflight', 0)} in flight (phase *gets*), then {job.get('reads', 0)} `async for` "
        f"loops at once over the query partition ({items:,} items, `page_size=1000`; phase *pages*). Lateness is "
        "how much later than asked each 1 ms sleep returned: how long any other task on that loop waited. "
        "pydynox: `async_get_item` and `async for` over `async_query`; pydynox 0.21.0 the same calls; "
        "aioboto3: `get_item` and `async for` over the query paginator's pages, then a plain `for` over "
        "each page's items. Lateness is wall-clock time: on a shared machine other processes also delay "
        "the ticker (the load averages above say how busy it was), so these columns are noisier than the CPU ratios. "
        "*Loop CPU between ticks* is the loop thread's own CPU time from one tick to the next (`time.thread_time`): "
        "what the loop ran in between, which other processes cannot inflate; a tick is late by its own loop's "
        "work only when that exceeds the 1 ms it slept.",
        "",
    ]
    return stalls_table(res, s, lines)


def stalls_table(res, s, lines):
    """The stall table of run `s` under the text `lines`."""
    lines = lines + [
        "| contender | gets/s | items/s | lateness p50 ms | p99 ms | max ms | p99 gets / pages ms | max gets / pages ms | loop CPU between ticks p99 / max ms | CPU ms | throughput ratio (us ÷ them) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def ph(name, key):
        return lambda r: r[name][key]

    def wall(r):
        return r["wall_s"]

    for c in res.contenders(s):
        lines.append(
            "| {} | {} | {} | {} | {} | {} | {} / {} | {} / {} | {} / {} | {} | {} |".format(
                LABEL.get(c, c),
                fmt(res.median(s, c, lambda r: r["gets"]["units"] / r["gets"]["wall_s"])),
                fmt(res.median(s, c, lambda r: r["pages"]["units"] / r["pages"]["wall_s"])),
                fmt(res.median(s, c, lambda r: statistics.median([r["gets"]["late_p50_ms"], r["pages"]["late_p50_ms"]])), 2),
                fmt(res.median(s, c, lambda r: r["late_p99_ms"]), 2),
                fmt(res.median(s, c, lambda r: r["late_max_ms"]), 2),
                fmt(res.median(s, c, ph("gets", "late_p99_ms")), 2),
                fmt(res.median(s, c, ph("pages", "late_p99_ms")), 2),
                fmt(res.median(s, c, ph("gets", "late_max_ms")), 2),
                fmt(res.median(s, c, ph("pages", "late_max_ms")), 2),
                fmt(res.median(s, c, lambda r: r.get("busy_p99_ms")), 2),
                fmt(res.median(s, c, lambda r: r.get("busy_max_ms")), 2),
                fmt(res.median(s, c, lambda r: r["cpu_s"] * 1e3)),
                "1.00" if c == "ours" else fmt(res.ratio(s, c, "ours", wall), 2),
            )
        )
    worst = max((r["late_max_ms"] for r in res.by[(s, "ours")].values()), default=None)
    lines += [
        "",
        "Medians over rounds of each round's p99 and max (both phases' ticks together, then each phase "
        "alone). The throughput ratio is their wall time ÷ ours for the same work, per round. "
        + (f"pydynox's worst max over all rounds: {worst:.2f} ms." if worst is not None else ""),
    ]
    return lines


def target_rows(res):
    """(target, measured text, met?) for each target of issues 3 (client) and 8 (models)."""
    out = []

    def cmp(scenario, other, limit, what, label=None):
        if not res.by.get((scenario, "ours")) or not res.by.get((scenario, other)):
            if res.meta.get("only"):
                return  # a subset run: say nothing of scenarios it did not run
            out.append(
                (
                    f"{what} ≤ {limit}× {label or LABEL.get(other, other)}",
                    "not measured",
                    None,
                )
            )
            return
        r = res.ratio(scenario, "ours", other, cpu_us)
        out.append(
            (
                f"{what} ≤ {limit}× {label or LABEL.get(other, other)}",
                f"{r:.2f}×",
                r <= limit,
            )
        )

    cmp("get", "boto3-client", 0.2, "GetItem client CPU", "boto3 (client)")
    cmp("get", "boto3-resource", 0.2, "GetItem client CPU", "boto3 (resource)")
    cmp("get", "pydynox-0.21.0", 0.6, "GetItem client CPU")
    cmp("get", "floor", 1.2, "GetItem client CPU", "the Rust floor")
    # Issue 14's wire floor is the Python one (the least a Python client does per call);
    # the Rust wire floor (the kernel's part alone) is in the GetItem table, not a target.
    cmp("get", "wire-python", 2, "GetItem client CPU", "the wire floor: the signed request resent from a Python socket loop (issue 14)")
    cmp("update", "pydynox-0.21.0", 0.5, "UpdateItem client CPU", "pydynox 0.21.0 (PyPI) (issue 14)")
    cmp("query", "boto3-client", 0.1, "Query CPU per item", "boto3 (client)")
    cmp("query", "boto3-resource", 0.1, "Query CPU per item", "boto3 (resource)")
    cmp("query", "pydynox-0.21.0", 0.5, "Query CPU per item")
    cmp(
        "query",
        "json.loads",
        1.5,
        "Query CPU per item",
        "`json.loads` of the same page",
    )
    cmp("model-get", "pydynox-0.21.0", 0.6, "`Model.get` CPU")
    cmp("model-get", "pynamodb", 0.15, "`Model.get` CPU")
    cmp("model-query", "pydynox-0.21.0", 0.5, "`Model.query` CPU per item")
    cmp("model-query", "pynamodb", 0.1, "`Model.query` CPU per item")
    if res.by.get(("scan-slow-consumer", "ours")) and res.by.get(("scan-slow-consumer", "ours-on-demand")):
        r = res.ratio("scan-slow-consumer", "ours", "ours-on-demand", lambda row: row["wall_s"])
        out.append(("Scan with a 1 ms/item consumer, wall ≤ 0.6× fetching on demand", f"{r:.2f}×", r <= 0.6))
    elif not res.meta.get("only"):
        out.append(("Scan with a 1 ms/item consumer, wall ≤ 0.6× fetching on demand", "not measured", None))
    if res.by.get(("fanout", "aioboto3")):
        r = res.ratio("fanout", "ours", "aioboto3", ops)
        out.append(("Async fan-out throughput ≥ 3× aioboto3", f"{r:.2f}×", r >= 3))
    measured = [s for s in STALL_RUNS if res.by.get((s, "ours")) and res.by.get((s, "pydynox-0.21.0"))]
    for s in measured:
        p99 = res.median(s, "ours", lambda r: r["late_p99_ms"])
        worst = res.median(s, "ours", lambda r: r["late_max_ms"])
        speed = res.ratio(s, "pydynox-0.21.0", "ours", lambda r: r["wall_s"])
        where = STALL_RUNS[s][1]
        out.append((f"Event-loop ticker lateness p99 ≤ 2 ms (issue 14; wall clock, {where})", f"{p99:.2f} ms", p99 <= STALL_P99_MS))
        out.append((f"Event-loop ticker lateness max ≤ 5 ms (issue 14; wall clock, {where})", f"{worst:.2f} ms", worst <= STALL_MAX_MS))
        out.append((f"… at throughput ≥ 2× pydynox 0.21.0's (issue 14, {where})", f"{speed:.2f}×", speed >= STALL_THROUGHPUT))
    if not measured and not res.meta.get("only"):
        out.append(("Event-loop ticker lateness p99 ≤ 2 ms, max ≤ 5 ms at ≥ 2× 0.21.0's throughput", "not measured", None))
    if res.by.get(("threads", "ours")):
        counts = thread_counts(res)
        top = max(counts)
        r = scaling(res, "ours", top)
        out.append(
            (
                f"{top} sync threads ≥ 1.8× one thread's throughput",
                f"{r:.2f}×",
                r >= 1.8,
            )
        )
    leak = [r for r in res.rows if r["scenario"] == "leak"]
    if leak:
        r = leak[0]
        g = r["rss_after_large_mb"] - r["rss_after_small_mb"]
        out.append(
            (
                f"RSS growth < 2 MB from {r['small']:,} to {r['large']:,} calls",
                f"{g:+.2f} MB",
                g < 2,
            )
        )
    return out


def chart(res, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups = [
        s
        for s in ["get", "put", "query", "fanout", "batch", "model-get", "model-save", "model-query"]
        if any(k[0] == s for k in res.by)
    ]
    contenders = [c for c in LABEL if any((s, c) in res.by for s in groups)]
    colors = {
        "ours": "#d62728",
        "pydynox-0.21.0": "#ff9896",
        "boto3-client": "#1f77b4",
        "boto3-resource": "#aec7e8",
        "aioboto3": "#17becf",
        "pynamodb": "#2ca02c",
        "ours-client": "#8c564b",
        "ours-connector": "#e377c2",
        "floor": "#7f7f7f",
        "floor-wire": "#4d4d4d",
        "wire-python": "#999999",
        "json.loads": "#c7c7c7",
        "json.loads-wire": "#e5e5e5",
    }
    fig, ax = plt.subplots(figsize=(13, 6.5), dpi=110)
    width = 0.8 / max(1, len(contenders))
    for i, c in enumerate(contenders):
        xs, ys = [], []
        for g_i, g in enumerate(groups):
            if (g, c) in res.by:
                xs.append(g_i + (i - (len(contenders) - 1) / 2) * width)
                ys.append(res.median(g, c, cpu_us))
        bars = ax.bar(
            xs,
            ys,
            width,
            label=LABEL[c].replace("**", "").replace("`", ""),
            color=colors[c],
            edgecolor="black",
            linewidth=0.4,
        )
        for b, y in zip(bars, ys):
            ax.annotate(
                f"{y:.0f}" if y >= 10 else f"{y:.1f}",
                (b.get_x() + b.get_width() / 2, y),
                ha="center",
                va="bottom",
                fontsize=6,
                rotation=90,
                xytext=(0, 2),
                textcoords="offset points",
            )
    names = {
        "get": "GetItem\n(per op)",
        "put": "PutItem\n(per op)",
        "query": "Query\n(per item)",
        "fanout": "async GetItem fan-out\n(per op)",
        "batch": "batch write\n(per item)",
        "model-get": "Model.get\n(per op)",
        "model-save": "model.save\n(per op)",
        "model-query": "Model.query\n(per item)",
    }
    ax.set_xticks(range(len(groups)), [names[g] for g in groups])
    ax.set_yscale("log")
    ax.set_ylabel("client CPU, µs (median, log scale)")
    ax.set_title(
        f"Client-process CPU per operation — lower is better ({res.meta['date']})"
    )
    ax.grid(axis="y", which="both", alpha=0.3)
    ax.legend(
        fontsize=8,
        ncol=3,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14),
        frameon=False,
    )
    fig.tight_layout()
    fig.savefig(path)


def servers_line(res):
    floor_wall = (
        res.median("get", "floor", wall_us) if res.by.get(("get", "floor")) else None
    )
    moto_wall = (
        res.median("get-moto", "ours", wall_us)
        if res.by.get(("get-moto", "ours"))
        else None
    )
    text = "- **Servers**: dynalite (in memory, Node.js) for every scenario but (a')"
    if floor_wall:
        text += f"; a whole GetItem round trip from the Rust floor took {floor_wall / 1000:.2f} ms wall, server included"
    text += ". moto in server mode for (a') only"
    if moto_wall:
        text += f": {moto_wall / 1000:.1f} ms wall per GetItem here, so there wall time and ops/s mostly measure moto"
    return text + "."


def sizes_line(meta):
    """What one round of each scenario did, from the driver's plan."""
    parts = []
    for sc in meta["plan"]:
        j = sc["job"]
        if "items" in j:  # query, model-query, model-aquery
            parts.append(f"{sc['name']} {j['ops']} reads of {meta['query_items']:,} items")
        elif sc["name"] == "fanout":
            parts.append(f"fanout {j['bursts']} × {j['ops']:,} calls")
        elif sc["name"] in STALL_RUNS:
            parts.append(f"{sc['name']} {j['gets']:,} gets ({j['inflight']} in flight) then {j['reads']} reads of {meta['query_items']:,} items")
        elif sc["name"] == "threads":
            parts.append(f"threads {j['ops']:,} calls per thread count")
        elif "ops" in j:
            parts.append(
                f"{sc['name']} {j['ops']:,}"
                + (f" (+{j['warmup']:,} warm-up)" if j.get("warmup") else "")
            )
    return "- **Sizes per round**: " + "; ".join(parts) + (". (quick: smoke-test sizes)" if meta.get("quick") else ".")


def markdown(res, png_rel, notes, results_rel=None):
    """The page. `notes`: (title, text) of the hand-written notes, shown after every table
    and apart from them; `results_rel`: where the page's raw results are, if committed."""
    m = res.meta
    mach = m["machine"]
    v = m["versions"]
    lines = [
        "# Benchmarks",
        "",
        "<!-- Generated by benchmarks/report.py from a run of benchmarks/run.sh; edit those, not this file. -->",
        "",
        f"Measured with `{m['command']}` (the run took {m['elapsed_s'] / 60:.0f} min). "
        "What each scenario does and how to read the ratios: [benchmarks/README.md](../benchmarks/README.md).",
        "",
    ]
    if results_rel:
        lines += [
            f"Every number on this page comes from the run's raw results, committed beside it "
            f"([{Path(results_rel).name}]({results_rel})): `python benchmarks/report.py {'docs/' + Path(results_rel).name}` "
            "(with matplotlib) writes this page again from them. The hand-written notes at the end are dated and are not part of the run.",
            "",
        ]
    if m.get("quick"):
        lines += [
            "**A quick run** (`--quick`: smoke-test sizes and 2 rounds, not the full benchmark): the ratios "
            "are indicative only; a full `bash benchmarks/run.sh` replaces it.",
            "",
        ]
    lines += [
        f"- **Date**: {m['date']}; {m['rounds']} rounds, each scenario run in a fresh process per contender, "
        "contenders alternating (the order rotates each round); medians over rounds.",
        f"- **Machine**: {mach['nproc']} CPUs ({mach['cpu']}), {mach['ram_gb']} GB RAM, Linux {mach['kernel']}; "
        f"load average at start {', '.join(f'{x:.1f}' for x in mach['load_at_start'])}"
        + (
            f", at end {', '.join(f'{x:.1f}' for x in mach['load_at_end'])}. "
            if "load_at_end" in mach
            else ". "
        )
        + f"The client and the servers shared these {mach['nproc']} CPUs with whatever else the machine ran "
        "(the load averages count it), so absolute times are noisy: read the ratios (measured in the same "
        "round) rather than the microseconds.",
        sizes_line(m),
    ]
    if m.get("only"):
        lines.append(
            f"- **Subset run** (`--only {m['only']}`): only these scenarios were run; the others' "
            "last results are in this file's git history."
        )
    lines += [
        servers_line(res),
        "- **What CPU means**: user + system CPU of the whole client process (every thread, so pydynox's "
        "tokio threads count), from `getrusage(RUSAGE_SELF)` around the timed loop. The servers' CPU is not included.",
        "- **Ratios**: *CPU ratio* = their CPU ÷ ours, *ops/s ratio* = our throughput ÷ theirs, both per round "
        "then the median; above 1 means pydynox does better.",
        "",
        "| component | version |",
        "|---|---|",
    ]
    order = [
        "ours",
        "ours (git)",
        "pydynox-0.21.0",
        "boto3-client",
        "aioboto3",
        "pynamodb",
        "moto",
        "dynalite",
        "node",
        "floor (aws-sdk-dynamodb)",
        "rustc",
        "python",
    ]
    names = {
        "ours": "pydynox (this checkout)",
        "ours (git)": "this checkout",
        "boto3-client": "boto3",
        "pydynox-0.21.0": "pydynox (PyPI)",
    }
    for k in order:
        if k in v:
            lines.append(f"| {names.get(k, k)} | {v[k]} |")
    lines += [
        "",
        "## Targets",
        "",
        "Targets of issues 3 (client), 8 (models) and 14 (request path, event loop), each as measured in "
        "this run; a miss is reported as it is (the benchmark was not adjusted to meet any of them).",
        "",
        "| target | pydynox ÷ other (or measured) | |",
        "|---|---:|---|",
    ]
    for what, measured, ok in target_rows(res):
        lines.append(
            f"| {what} | {measured} | {'met' if ok else ('**missed**' if ok is False else '–')} |"
        )
    lines += [
        "",
        "For CPU targets the number is pydynox's CPU divided by the other's (lower is better); for "
        "throughput targets it is pydynox's throughput divided by the other's (higher is better). "
        "boto3's client returns raw typed JSON and its resource converts to Python values like pydynox "
        "does; both are listed, and a target counts as met only against the one it names.",
        "",
        f"![client CPU per operation]({png_rel})",
        "",
        "## Results",
        "",
    ]
    for s in ["get", "put", "update", "get-moto", "query", "fanout"]:
        if any(k[0] == s for k in res.by):
            lines += scenario_table(res, s) + [""]
    for s in STALL_RUNS:
        if any(k[0] == s for k in res.by):
            lines += stalls_lines(res, s) + [""]
    if any(k[0] == "threads" for k in res.by):
        lines += threads_table(res) + [""]
    for s in ["batch", "batch-writer", "batch-get"]:
        if any(k[0] == s for k in res.by):
            lines += scenario_table(res, s) + [""]
    if any(k[0] == "scan-slow-consumer" for k in res.by):
        lines += slow_scan_lines(res) + [""]
    if any(k[0] == "import" for k in res.by):
        lines += import_table(res) + [""]
    if not m.get("only") or any(r["scenario"] == "leak" for r in res.rows):
        lines += leak_lines(res) + [""]
    lines += model_lines(res)
    if notes:
        lines += [
            "## Notes written by hand (not from this run)",
            "",
            "Profiles and findings written by people, each saying when and on what it was measured; "
            "they are kept as written and not updated by a run, so where a figure here differs from "
            "the tables above, the tables are this run's.",
            "",
        ]
        for title, text in notes:
            lines += [f"### {title}", "", text.strip(), ""]
    return "\n".join(lines)


def model_lines(res):
    """(h): the ORM of each library, and what our model layer adds to our own client."""
    present = [s for s in MODEL_SCENARIOS if any(k[0] == s for k in res.by)]
    if not present:
        return ["### (h) Model-level scenarios", "", "Not run.", ""]
    lines = [
        "### (h) Model level",
        "",
        "The same items as (a) and (b), read and written through each library's ORM "
        "(`pydynox.model.Model`, PynamoDB's `Model`). Model instances are what the caller gets.",
        "",
    ]
    for s in present:
        lines += scenario_table(res, s, level="####") + [""]
    overhead = []
    for s in present:
        if res.by.get((s, "ours")) and res.by.get((s, "ours-client")):
            unit = TITLES[s][1]
            diff = res.median(s, "ours", cpu_us) - res.median(s, "ours-client", cpu_us)
            ratio = res.ratio(s, "ours", "ours-client", cpu_us)
            overhead.append(f"{s} {diff:+.1f} µs/{unit} ({ratio:.2f}× the client's CPU)")
    if overhead:
        lines += [
            "What the model layer adds to this checkout's own client call, CPU, medians "
            "(difference of medians; ratio per round): " + "; ".join(overhead) + ".",
            "",
        ]
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results", nargs="?", default=str(ROOT / "docs" / "benchmarks-results.json"))
    ap.add_argument("--md", default=str(ROOT / "docs" / "benchmarks.md"))
    ap.add_argument("--png", default=str(ROOT / "docs" / "benchmarks.png"))
    ap.add_argument(
        "--profile",
        default=str(BENCH / "profile-notes.md"),
        help="hand-written profiling notes appended to the report when the file exists",
    )
    ap.add_argument(
        "--model-profile",
        default=str(BENCH / "profile-model-notes.md"),
        help="hand-written notes on the model layer's profile (profile-model.sh), appended likewise",
    )
    ap.add_argument(
        "--ctrl-c",
        default=str(BENCH / "ctrl-c-notes.md"),
        help="hand-written notes on Ctrl-C latency (ctrl_c_latency.py), appended likewise",
    )
    args = ap.parse_args()
    res = Results(json.loads(Path(args.results).read_text()))
    md, png = Path(args.md), Path(args.png)
    md.parent.mkdir(parents=True, exist_ok=True)
    chart(res, png)
    notes = [
        (title, Path(path).read_text())
        for title, path in [
            ("Where pydynox's GetItem CPU goes", args.profile),
            ("Where the model layer's CPU goes", args.model_profile),
            ("How soon Ctrl-C ends a sync call", args.ctrl_c),
        ]
        if Path(path).exists()
    ]
    import os

    png_rel = os.path.relpath(png, md.parent)
    results = Path(args.results).resolve()
    # Linked only when the results sit in the repository beside the page (a full run).
    results_rel = os.path.relpath(results, md.parent.resolve()) if results.parent == md.parent.resolve() else None
    md.write_text(markdown(res, png_rel, notes, results_rel))
    print(f"wrote {md} and {png}")


if __name__ == "__main__":
    main()
