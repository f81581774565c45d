"""One measurement in a fresh process: `python worker.py '<json job>'` prints one JSON line.

Runs inside a contender's own virtualenv, so it imports only the standard library at the
top: the contender's package is imported inside the measured code (scenario "import"
depends on it). The job says which contender, which scenario, the endpoint and the sizes.

CPU is the user + system time of this whole process (all its threads, so the tokio worker
threads of pydynox count too), read with getrusage(RUSAGE_SELF) before and after the timed
loop. Wall time comes from perf_counter; peak RSS from VmHWM in /proc/self/status.
"""

# asyncio is imported where it is used, so that it does not lower the import cost of a
# contender that imports it itself.

import json
import resource
import sys
import threading
import time

from items import (  # the benchmark's own data: the same items for every contender
    GET_KEY,
    QUERY_PARTITION,
    TABLE_BATCH,
    TABLE_ITEMS,
    TABLE_QUERY,
    TABLE_SCAN,
    UPDATE_KEY,
    batch_item,
    plain_page_json,
    put_item,
    wire_page_json,
)

REGION = "us-east-1"
CREDS = {"access_key": "bench", "secret_key": "bench"}


def cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError(f"no {field} in /proc/self/status")


def peak_rss_mb() -> float:
    # VmHWM, not ru_maxrss: on Linux ru_maxrss survives exec, so a worker forked from the
    # driver would report the driver's own peak whenever that is higher.
    return _status_mb("VmHWM")


def current_rss_mb() -> float:
    return _status_mb("VmRSS")


def timed(fn, units: int) -> dict:
    """Runs fn() once, returning CPU and wall seconds; `units` is what per-op numbers divide by."""
    c0, t0 = cpu_s(), time.perf_counter()
    fn()
    wall, cpu = time.perf_counter() - t0, cpu_s() - c0
    return {"units": units, "cpu_s": cpu, "wall_s": wall}


def decimals(value):
    """boto3's resource layer and TypeSerializer refuse floats: hand them Decimals."""
    from decimal import Decimal

    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: decimals(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decimals(v) for v in value]
    return value


# --------------------------------------------------------------------------------------
# Contenders. Each adapter builds its client in __init__ (not timed) and offers callables
# for the scenarios it takes part in. A missing method means "not in this scenario".
# --------------------------------------------------------------------------------------


class Ours:
    """pydynox built from this checkout."""

    def __init__(self, endpoint: str):
        import pydynox

        self.client = pydynox.DynamoDBClient(
            endpoint_url=endpoint, region=REGION, **CREDS
        )

    def get(self):
        return self.client.get_item(TABLE_ITEMS, {"pk": GET_KEY})

    def put_prepare(self, n):
        return [put_item(i) for i in range(n)]

    def put(self, item):
        self.client.put_item(TABLE_ITEMS, item)

    def query_all(self):
        return len(
            self.client.query(
                TABLE_QUERY,
                "pk = :p",
                expression_attribute_values={":p": QUERY_PARTITION},
                page_size=1000,
            ).to_list()
        )

    async def aget(self):
        return await self.client.async_get_item(TABLE_ITEMS, {"pk": GET_KEY})

    def update(self, i):
        """One UpdateItem of the get item (two SET clauses, values changing per call): the
        same call for both pydynox versions."""
        self.client.update_item(
            TABLE_ITEMS,
            {"pk": UPDATE_KEY},
            update_expression="SET visits = :v, city = :c",
            expression_attribute_values={":v": i, ":c": f"city-{i % 7}"},
        )

    async def aquery_all(self):
        """`async for` over the query partition, one item at a time."""
        count = 0
        async for _ in self.client.async_query(
            TABLE_QUERY,
            "pk = :p",
            expression_attribute_values={":p": QUERY_PARTITION},
            page_size=1000,
        ):
            count += 1
        return count

    def scan_slow(self, page_size, limit, work):
        """Scans `limit` items in pages of `page_size`, calling work() on each (the same call
        for both pydynox versions)."""
        n = 0
        for _item in self.client.scan(TABLE_SCAN, page_size=page_size, limit=limit):
            work()
            n += 1
        return n

    def batch_prepare(self, n):
        return [batch_item(i) for i in range(n)]

    def batch(self, items):
        self.client.batch_write(TABLE_BATCH, put_items=items)

    def batch_writer(self, items):
        # BatchWriter(client, table): the same call in this checkout and in 0.21.0.
        from pydynox import BatchWriter

        with BatchWriter(self.client, TABLE_BATCH) as writer:
            for item in items:
                writer.put(item)

    def batch_get_prepare(self, n):
        return [{"pk": f"batch-{i}"} for i in range(n)]

    def batch_get(self, keys):
        return len(self.client.batch_get(TABLE_BATCH, keys))


class Pydynox021(Ours):
    """pydynox 0.21.0 from PyPI: same client method names, a Python layer over its core."""

    def __init__(self, endpoint: str):
        import pydynox

        assert pydynox.__version__ == "0.21.0", pydynox.__version__
        self.client = pydynox.DynamoDBClient(
            endpoint_url=endpoint, region=REGION, **CREDS
        )

    def query_all(self):
        result = self.client.query(
            TABLE_QUERY,
            "pk = :p",
            expression_attribute_values={":p": QUERY_PARTITION},
            page_size=1000,
        )
        return sum(1 for _ in result)


def _boto_config(pool: int = 10):
    from botocore.config import Config

    return Config(
        max_pool_connections=pool, retries={"max_attempts": 3, "mode": "standard"}
    )


class Boto3Client:
    """boto3's low-level client: typed wire JSON in and out, no conversion to Python values."""

    def __init__(self, endpoint: str):
        import boto3

        self.client = boto3.client(
            "dynamodb",
            endpoint_url=endpoint,
            region_name=REGION,
            config=_boto_config(16),
        )

    def get(self):
        return self.client.get_item(TableName=TABLE_ITEMS, Key={"pk": {"S": GET_KEY}})[
            "Item"
        ]

    def put_prepare(self, n):
        from boto3.dynamodb.types import TypeSerializer

        ser = TypeSerializer()
        return [
            {k: ser.serialize(v) for k, v in decimals(put_item(i)).items()}
            for i in range(n)
        ]

    def put(self, item):
        self.client.put_item(TableName=TABLE_ITEMS, Item=item)

    def query_all(self):
        count, start = 0, None
        while True:
            kwargs = {"ExclusiveStartKey": start} if start else {}
            page = self.client.query(
                TableName=TABLE_QUERY,
                KeyConditionExpression="pk = :p",
                ExpressionAttributeValues={":p": {"S": QUERY_PARTITION}},
                Limit=1000,
                **kwargs,
            )
            count += len(page["Items"])
            start = page.get("LastEvaluatedKey")
            if not start:
                return count


class Boto3Resource:
    """boto3's resource layer (Table): Python values in and out, as pydynox gives."""

    def __init__(self, endpoint: str):
        import boto3

        res = boto3.resource(
            "dynamodb",
            endpoint_url=endpoint,
            region_name=REGION,
            config=_boto_config(16),
        )
        self.table = res.Table(TABLE_ITEMS)
        self.qtable = res.Table(TABLE_QUERY)
        self.btable = res.Table(TABLE_BATCH)

    def get(self):
        return self.table.get_item(Key={"pk": GET_KEY})["Item"]

    def put_prepare(self, n):
        return [decimals(put_item(i)) for i in range(n)]

    def put(self, item):
        self.table.put_item(Item=item)

    def query_all(self):
        from boto3.dynamodb.conditions import Key

        count, start = 0, None
        while True:
            kwargs = {"ExclusiveStartKey": start} if start else {}
            page = self.qtable.query(
                KeyConditionExpression=Key("pk").eq(QUERY_PARTITION),
                Limit=1000,
                **kwargs,
            )
            count += len(page["Items"])
            start = page.get("LastEvaluatedKey")
            if not start:
                return count

    def batch_prepare(self, n):
        return [decimals(batch_item(i)) for i in range(n)]

    def batch(self, items):
        with self.btable.batch_writer() as writer:
            for item in items:
                writer.put_item(Item=item)

    batch_writer = batch

    def batch_get_prepare(self, n):
        return [{"pk": f"batch-{i}"} for i in range(n)]

    def batch_get(self, keys):
        # batch_get_item of 100 keys at a time, re-asking for unprocessed keys, as users must.
        resource = self.btable.meta.client
        found = 0
        for start in range(0, len(keys), 100):
            request = {TABLE_BATCH: {"Keys": keys[start : start + 100]}}
            while request:
                answer = resource.batch_get_item(RequestItems=request)
                found += len(answer["Responses"].get(TABLE_BATCH, []))
                request = answer.get("UnprocessedKeys") or None
        return found


class Aioboto3:
    """aioboto3's low-level client (typed wire JSON, like Boto3Client), 64 pooled connections."""

    def __init__(self, endpoint: str):
        import aioboto3

        self.session = aioboto3.Session()
        self.endpoint = endpoint

    async def open(self):
        self._cm = self.session.client(
            "dynamodb",
            endpoint_url=self.endpoint,
            region_name=REGION,
            config=_boto_config(64),
        )
        self.client = await self._cm.__aenter__()

    async def close(self):
        await self._cm.__aexit__(None, None, None)

    async def aget(self):
        return (
            await self.client.get_item(
                TableName=TABLE_ITEMS, Key={"pk": {"S": GET_KEY}}
            )
        )["Item"]

    async def aquery_all(self):
        """`async for` over the pages of the query partition, then over each page's items."""
        count = 0
        pages = self.client.get_paginator("query").paginate(
            TableName=TABLE_QUERY,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": QUERY_PARTITION}},
            PaginationConfig={"PageSize": 1000},
        )
        async for page in pages:
            for _ in page["Items"]:
                count += 1
        return count


def _pynamodb_models(endpoint: str):
    from pynamodb.attributes import (
        BooleanAttribute,
        ListAttribute,
        MapAttribute,
        NumberAttribute,
        UnicodeAttribute,
        UnicodeSetAttribute,
    )
    from pynamodb.models import Model

    def fields():
        # The attributes of items.base_item(), declared as PynamoDB wants.
        return {
            "name": UnicodeAttribute(),
            "email": UnicodeAttribute(),
            "city": UnicodeAttribute(),
            "country": UnicodeAttribute(),
            "status": UnicodeAttribute(),
            "plan": UnicodeAttribute(),
            "created_at": UnicodeAttribute(),
            "bio": UnicodeAttribute(),
            "age": NumberAttribute(),
            "score": NumberAttribute(),
            "visits": NumberAttribute(),
            "rank": NumberAttribute(),
            "active": BooleanAttribute(),
            "verified": BooleanAttribute(),
            "tags": UnicodeSetAttribute(),
            "address": MapAttribute(),
            "prefs": MapAttribute(),
            "history": ListAttribute(),
            "nums": ListAttribute(),
            "blob": UnicodeAttribute(null=True),
        }

    def meta(table):
        return type(
            "Meta",
            (),
            {
                "table_name": table,
                "host": endpoint,
                "region": REGION,
                "aws_access_key_id": "bench",
                "aws_secret_access_key": "bench",
                "max_retry_attempts": 3,
            },
        )

    Item = type(
        "Item",
        (Model,),
        {"Meta": meta(TABLE_ITEMS), "pk": UnicodeAttribute(hash_key=True), **fields()},
    )
    QItem = type(
        "QItem",
        (Model,),
        {
            "Meta": meta(TABLE_QUERY),
            "pk": UnicodeAttribute(hash_key=True),
            "sk": NumberAttribute(range_key=True),
            **fields(),
        },
    )
    BItem = type(
        "BItem",
        (Model,),
        {"Meta": meta(TABLE_BATCH), "pk": UnicodeAttribute(hash_key=True), **fields()},
    )
    return Item, QItem, BItem


class PynamoDB:
    """PynamoDB: an ORM; reads build Model instances (a little more work than a dict)."""

    def __init__(self, endpoint: str):
        self.Item, self.QItem, self.BItem = _pynamodb_models(endpoint)

    def get(self):
        return self.Item.get(GET_KEY)

    def put_prepare(self, n):
        return [self.Item(**put_item(i)) for i in range(n)]

    def put(self, model):
        model.save()

    def query_all(self):
        return sum(1 for _ in self.QItem.query(QUERY_PARTITION, page_size=1000))

    def batch_prepare(self, n):
        return [self.BItem(**batch_item(i)) for i in range(n)]

    def batch(self, models):
        with self.BItem.batch_write() as batch:
            for model in models:
                batch.save(model)

    batch_writer = batch

    def batch_get_prepare(self, n):
        return [f"batch-{i}" for i in range(n)]

    def batch_get(self, keys):
        return sum(1 for _ in self.BItem.batch_get(keys))


# --- model level (issue 8): the same calls through each library's ORM ----------------------


def _pydynox_models(client):
    """The benchmark items as pydynox models. pydynox 0.21.0 and this checkout declare models
    with the same names (`pydynox.model.Model`, `pydynox.config.ModelConfig`,
    `pydynox.attributes.*`), so one declaration serves both contenders."""
    from pydynox.attributes import (
        BooleanAttribute,
        ListAttribute,
        MapAttribute,
        NumberAttribute,
        StringAttribute,
        StringSetAttribute,
    )
    from pydynox.config import ModelConfig
    from pydynox.model import Model

    def fields():
        # The attributes of items.base_item(), as PynamoDB's models declare them.
        return {
            "name": StringAttribute(),
            "email": StringAttribute(),
            "city": StringAttribute(),
            "country": StringAttribute(),
            "status": StringAttribute(),
            "plan": StringAttribute(),
            "created_at": StringAttribute(),
            "bio": StringAttribute(),
            "age": NumberAttribute(),
            "score": NumberAttribute(),
            "visits": NumberAttribute(),
            "rank": NumberAttribute(),
            "active": BooleanAttribute(),
            "verified": BooleanAttribute(),
            "tags": StringSetAttribute(),
            "address": MapAttribute(),
            "prefs": MapAttribute(),
            "history": ListAttribute(),
            "nums": ListAttribute(),
            "blob": StringAttribute(null=True),
        }

    Item = type(
        "Item",
        (Model,),
        {
            "model_config": ModelConfig(table=TABLE_ITEMS, client=client),
            "pk": StringAttribute(hash_key=True),
            **fields(),
        },
    )
    QItem = type(
        "QItem",
        (Model,),
        {
            "model_config": ModelConfig(table=TABLE_QUERY, client=client),
            "pk": StringAttribute(hash_key=True),
            "sk": NumberAttribute(range_key=True),
            **fields(),
        },
    )
    return Item, QItem


class OursModels(Ours):
    """pydynox's ORM (this checkout): Model.get / model.save / Model.query, and async_query."""

    def __init__(self, endpoint: str):
        super().__init__(endpoint)
        self.Item, self.QItem = _pydynox_models(self.client)

    def model_get(self):
        return self.Item.get(pk=GET_KEY)

    def model_save_prepare(self, n):
        return [self.Item(**put_item(i)) for i in range(n)]

    def model_save(self, model):
        model.save()

    def model_query_all(self):
        # Plain iteration, as an application reads a query (and as PynamoDB is read here).
        return sum(
            1 for _ in self.QItem.query(hash_key=QUERY_PARTITION, page_size=1000)
        )

    async def model_aquery_all(self):
        count = 0
        async for _ in self.QItem.async_query(hash_key=QUERY_PARTITION, page_size=1000):
            count += 1
        return count


class Pydynox021Models(OursModels):
    """pydynox 0.21.0's ORM: the same model declarations and calls."""

    def __init__(self, endpoint: str):
        Pydynox021.__init__(self, endpoint)
        self.Item, self.QItem = _pydynox_models(self.client)


class PynamoDBModels(PynamoDB):
    """PynamoDB: its reads already build models, so the model scenarios are its usual calls."""

    def model_get(self):
        return self.Item.get(GET_KEY)

    model_save_prepare = PynamoDB.put_prepare
    model_save = PynamoDB.put
    model_query_all = PynamoDB.query_all


CONTENDERS = {
    "ours": Ours,
    "ours-on-demand": Ours,  # the driver sets PYDYNOX_PREFETCH=0 for it
    "ours-connector": Ours,  # the driver sets PYDYNOX_PLAIN_HTTP=0 for it
    "pydynox-0.21.0": Pydynox021,
    "boto3-client": Boto3Client,
    "boto3-resource": Boto3Resource,
    "aioboto3": Aioboto3,
    "pynamodb": PynamoDB,
}

class OursClientRef(Ours):
    """This checkout's client with no model: the model scenarios' baseline, read the same way
    (iterated one item at a time) so the difference is the model layer alone."""

    def model_get(self):
        return self.get()

    model_save_prepare = Ours.put_prepare
    model_save = Ours.put

    def model_query_all(self):
        return sum(
            1
            for _ in self.client.query(
                TABLE_QUERY,
                "pk = :p",
                expression_attribute_values={":p": QUERY_PARTITION},
                page_size=1000,
            )
        )

    async def model_aquery_all(self):
        count = 0
        async for _ in self.client.async_query(
            TABLE_QUERY,
            "pk = :p",
            expression_attribute_values={":p": QUERY_PARTITION},
            page_size=1000,
        ):
            count += 1
        return count


# The model scenarios' adapters, by contender; "ours-client" is our plain client call in the
# same round, so the table shows what the model layer adds on top of it.
MODEL_CONTENDERS = {
    "ours": OursModels,
    "ours-client": OursClientRef,
    "pydynox-0.21.0": Pydynox021Models,
    "pynamodb": PynamoDBModels,
}

IMPORTS = {
    "ours": "pydynox",
    "pydynox-0.21.0": "pydynox",
    "boto3-client": "boto3",
    "boto3-resource": "boto3",
    "aioboto3": "aioboto3",
    "pynamodb": "pynamodb.models",
}


# --------------------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------------------


def sc_import(job):
    import importlib

    name = IMPORTS[job["contender"]]
    rss0 = current_rss_mb()
    c0, t0 = cpu_s(), time.perf_counter()
    importlib.import_module(name)
    import_wall, import_cpu = time.perf_counter() - t0, cpu_s() - c0
    rss1 = current_rss_mb()
    # A first client too: boto3 reads its service model there, not at import.
    c0, t0 = cpu_s(), time.perf_counter()
    contender = CONTENDERS[job["contender"]](job["endpoint"])
    if isinstance(contender, Aioboto3):

        async def open_close():
            await contender.open()
            await contender.close()

        import asyncio

        asyncio.run(open_close())
    client_wall, client_cpu = time.perf_counter() - t0, cpu_s() - c0
    return {
        "import_wall_s": import_wall,
        "import_cpu_s": import_cpu,
        "rss_before_mb": rss0,
        "rss_after_import_mb": rss1,
        "client_wall_s": client_wall,
        "client_cpu_s": client_cpu,
        "rss_after_client_mb": current_rss_mb(),
        "units": 1,
    }


def sc_get(job):
    c = CONTENDERS[job["contender"]](job["endpoint"])
    for _ in range(job["warmup"]):
        c.get()
    n = job["ops"]
    assert c.get() is not None

    def loop():
        get = c.get
        for _ in range(n):
            get()

    return timed(loop, n)


def sc_put(job):
    c = CONTENDERS[job["contender"]](job["endpoint"])
    n, w = job["ops"], job["warmup"]
    items = c.put_prepare(n + w)
    for item in items[:w]:
        c.put(item)
    todo = items[w:]

    def loop():
        put = c.put
        for item in todo:
            put(item)

    return timed(loop, n)


def sc_query(job):
    c = CONTENDERS[job["contender"]](job["endpoint"])
    for _ in range(job["warmup"]):
        c.query_all()
    found = []

    def loop():
        for _ in range(job["ops"]):
            found.append(c.query_all())

    out = timed(loop, 0)
    out["units"] = sum(found)  # per-item numbers
    out["queries"] = job["ops"]
    out["items_per_query"] = found[0]
    return out


def sc_model_get(job):
    c = MODEL_CONTENDERS[job["contender"]](job["endpoint"])
    get = c.model_get
    for _ in range(job["warmup"]):
        get()
    assert get() is not None
    n = job["ops"]

    def loop():
        for _ in range(n):
            get()

    return profiled(job, timed, loop, n)


def sc_model_save(job):
    c = MODEL_CONTENDERS[job["contender"]](job["endpoint"])
    n, w = job["ops"], job["warmup"]
    # Instances are built before the timed loop: the scenario measures save(), not __init__.
    models = c.model_save_prepare(n + w)
    save = c.model_save
    for model in models[:w]:
        save(model)
    todo = models[w:]

    def loop():
        for model in todo:
            save(model)

    return profiled(job, timed, loop, n)


def _per_item(job, read):
    """Times `ops` whole reads of the query partition; per-item numbers."""
    for _ in range(job["warmup"]):
        read()
    found = []

    def loop():
        for _ in range(job["ops"]):
            found.append(read())

    out = profiled(job, timed, loop, 0)
    out["units"] = sum(found)
    out["queries"] = job["ops"]
    out["items_per_query"] = found[0]
    return out


def sc_model_query(job):
    c = MODEL_CONTENDERS[job["contender"]](job["endpoint"])
    return _per_item(job, c.model_query_all)


def sc_model_aquery(job):
    """`async for` over Model.async_query; one event loop for the whole job (made before the
    timed part), so each read costs its awaits, not a loop's setup."""
    import asyncio

    c = MODEL_CONTENDERS[job["contender"]](job["endpoint"])
    loop = asyncio.new_event_loop()
    try:
        return _per_item(job, lambda: loop.run_until_complete(c.model_aquery_all()))
    finally:
        loop.close()


def profiled(job, measure, fn, units):
    """measure(fn, units), under cProfile when the job asks for it (profile-model.sh), with
    pstats written to job["profile_out"]. The profiler's clock is this process's CPU time,
    as the benchmark counts it: wall time would mostly be the server's. The numbers of a
    profiled job include cProfile's own per-call overhead; the benchmark never sets it."""
    if not job.get("profile"):
        return measure(fn, units)
    import cProfile

    prof = cProfile.Profile(time.process_time)
    out = measure(lambda: prof.runcall(fn), units)
    prof.dump_stats(job["profile_out"])
    return out


def sc_jsonloads(job):
    """The cost of turning one page of JSON into Python objects, with nothing else around it."""
    text = (
        plain_page_json(job["items"])
        if job["form"] == "plain"
        else wire_page_json(job["items"])
    )
    for _ in range(job["warmup"]):
        json.loads(text)
    n = job["ops"]
    out = timed(lambda: [json.loads(text) for _ in range(n)], n * job["items"])
    out["bytes_per_page"] = len(text)
    return out


def sc_fanout(job):
    import asyncio

    c = CONTENDERS[job["contender"]](job["endpoint"])
    inflight = job["inflight"]

    async def burst(n):
        sem = asyncio.Semaphore(inflight)

        async def one():
            async with sem:
                return await c.aget()

        results = await asyncio.gather(*(one() for _ in range(n)))
        assert all(r is not None for r in results)

    async def main():
        if isinstance(c, Aioboto3):
            await c.open()
        try:
            await burst(job["warmup"])
            c0, t0 = cpu_s(), time.perf_counter()
            for _ in range(job["bursts"]):
                await burst(job["ops"])
            return {
                "units": job["ops"] * job["bursts"],
                "cpu_s": cpu_s() - c0,
                "wall_s": time.perf_counter() - t0,
            }
        finally:
            if isinstance(c, Aioboto3):
                await c.close()

    return asyncio.run(main())


def sc_wire_floor(job):
    """GetItem's wire floor in Python: the SDK's signed request (captured by the Rust floor,
    `job["request_hex"]`) resent as bytes over one kept-alive socket, each response read to
    its end (Content-Length) but not decoded: the least any Python client does per call."""
    import socket

    host, port = job["host"].rsplit(":", 1)
    request = bytes.fromhex(job["request_hex"])
    sock = socket.create_connection((host, int(port)))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    pending = b""

    def received():
        # An empty read is the server closing the kept-alive socket: fail rather than spin.
        chunk = sock.recv(65536)
        if not chunk:
            raise RuntimeError("the server closed the wire floor's connection")
        return chunk

    def call():
        nonlocal pending
        sock.sendall(request)
        data = pending
        while b"\r\n\r\n" not in data:
            data += received()
        head, _, body = data.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200"), head[:100]
        length = int(head.lower().split(b"content-length:", 1)[1].split(b"\r\n", 1)[0])
        while len(body) < length:
            body += received()
        pending = body[length:]

    for _ in range(job["warmup"]):
        call()
    n = job["ops"]

    def loop():
        for _ in range(n):
            call()

    return timed(loop, n)


def sc_update(job):
    """Sequential UpdateItem (pydynox only: both versions take the same call)."""
    c = CONTENDERS[job["contender"]](job["endpoint"])
    w, n = job["warmup"], job["ops"]
    for i in range(w):
        c.update(i)

    def loop():
        update = c.update
        for i in range(w, w + n):
            update(i)

    return timed(loop, n)


def sc_stalls(job):
    """How late a 1 ms ticker task runs while the same loop does the work of an async app:
    `gets` GetItem calls with `inflight` at a time, then `reads` `async for` loops over the
    query partition at once (1,000-item pages). Lateness is how much later than asked each
    `asyncio.sleep(0.001)` of the ticker returned: what every other task on the loop waits."""
    import asyncio

    c = CONTENDERS[job["contender"]](job["endpoint"])
    lateness = {"gets": [], "pages": []}
    # The loop thread's own CPU time from one tick to the next: what the loop ran in between,
    # which other processes on the machine cannot inflate (they only delay the thread).
    busy = {"gets": [], "pages": []}

    async def ticker(phase, stop):
        late, used = lateness[phase], busy[phase]
        clock, cpu, sleep = time.perf_counter, time.thread_time, asyncio.sleep
        while not stop.is_set():
            t0, c0 = clock(), cpu()
            await sleep(0.001)
            late.append(clock() - t0 - 0.001)
            used.append(cpu() - c0)

    async def gets(n):
        # `inflight` tasks taking calls from one count, rather than n tasks behind a
        # semaphore: starting 2,000 tasks at once is itself a long step of the loop, which
        # would be measured here as every contender's stall.
        left = [n]

        async def caller():
            while left[0] > 0:
                left[0] -= 1
                assert await c.aget() is not None

        await asyncio.gather(*(caller() for _ in range(min(n, job["inflight"]))))

    async def reads(n):
        found = await asyncio.gather(*(c.aquery_all() for _ in range(n)))
        return sum(found)

    async def phase(name, work):
        stop = asyncio.Event()
        tick = asyncio.create_task(ticker(name, stop))
        await asyncio.sleep(0.002)  # the ticker is running before the work starts
        c0, t0 = cpu_s(), time.perf_counter()
        units = await work
        out = {"units": units, "cpu_s": cpu_s() - c0, "wall_s": time.perf_counter() - t0}
        stop.set()
        await tick
        return out

    async def main():
        if isinstance(c, Aioboto3):
            await c.open()
        try:
            await gets(job["warmup"])
            await reads(1)
            out = {"gets": await phase("gets", gets(job["gets"]))}
            out["gets"]["units"] = job["gets"]
            out["pages"] = await phase("pages", reads(job["reads"]))
            return out
        finally:
            if isinstance(c, Aioboto3):
                await c.close()

    out = asyncio.run(main())
    for name, used in busy.items():
        used.sort()
        out[name]["busy_p99_ms"] = used[min(len(used) - 1, int(len(used) * 0.99))] * 1e3 if used else None
        out[name]["busy_max_ms"] = used[-1] * 1e3 if used else None
    for name, late in lateness.items():
        late.sort()
        out[name]["ticks"] = len(late)
        out[name]["late_p50_ms"] = late[len(late) // 2] * 1e3 if late else None
        out[name]["late_p99_ms"] = late[min(len(late) - 1, int(len(late) * 0.99))] * 1e3 if late else None
        out[name]["late_max_ms"] = late[-1] * 1e3 if late else None
    every = sorted(lateness["gets"] + lateness["pages"])
    out["late_p99_ms"] = every[min(len(every) - 1, int(len(every) * 0.99))] * 1e3
    out["late_max_ms"] = every[-1] * 1e3
    used = sorted(busy["gets"] + busy["pages"])
    out["busy_p99_ms"] = used[min(len(used) - 1, int(len(used) * 0.99))] * 1e3
    out["busy_max_ms"] = used[-1] * 1e3
    out["cpu_s"] = out["gets"]["cpu_s"] + out["pages"]["cpu_s"]
    out["wall_s"] = out["gets"]["wall_s"] + out["pages"]["wall_s"]
    out["units"] = 1
    return out


def sc_threads(job):
    """The same total of GetItem calls split over 1, 2, 4 and 8 threads sharing one client."""
    c = CONTENDERS[job["contender"]](job["endpoint"])
    for _ in range(job["warmup"]):
        c.get()
    total = job["ops"]
    per_count = {}
    for threads in job["thread_counts"]:
        each = total // threads
        start = threading.Barrier(threads + 1)

        def work(start=start, each=each):
            get = c.get
            start.wait()
            for _ in range(each):
                get()

        pool = [threading.Thread(target=work) for _ in range(threads)]
        for t in pool:
            t.start()
        c0 = cpu_s()
        start.wait()
        t0 = time.perf_counter()
        for t in pool:
            t.join()
        per_count[str(threads)] = {
            "units": each * threads,
            "wall_s": time.perf_counter() - t0,
            "cpu_s": cpu_s() - c0,
        }
    return {"per_threads": per_count, "units": total}


def sc_batch(job):
    c = CONTENDERS[job["contender"]](job["endpoint"])
    warm = c.batch_prepare(min(100, job["ops"]))
    c.batch(warm)
    items = c.batch_prepare(job["ops"])
    return timed(lambda: c.batch(items), job["ops"])


def sc_batch_writer(job):
    """10,000 puts through each library's batch writer (`with ... as writer: put`)."""
    c = CONTENDERS[job["contender"]](job["endpoint"])
    c.batch_writer(c.batch_prepare(min(100, job["ops"])))
    items = c.batch_prepare(job["ops"])
    return timed(lambda: c.batch_writer(items), job["ops"])


def sc_batch_get(job):
    """Batch get of the keys the batch scenarios write (written first, untimed)."""
    c = CONTENDERS[job["contender"]](job["endpoint"])
    c.batch(c.batch_prepare(job["ops"]))
    keys = c.batch_get_prepare(job["ops"])
    found = []
    out = timed(lambda: found.append(c.batch_get(keys)), job["ops"])
    assert found == [job["ops"]], (found, job["ops"])
    return out


def sc_scan_slow_consumer(job):
    """Wall time of scanning `pages` pages of `page_size` items through a server that holds
    each request (the driver's delay proxy), with `work_ms` of CPU work per item (a busy
    loop, holding the GIL, like real per-item processing)."""
    c = CONTENDERS[job["contender"]](job["endpoint"])
    spend = job["work_ms"] / 1000.0
    clock = time.perf_counter

    def work():
        until = clock() + spend
        while clock() < until:
            pass

    page_size, limit = job["page_size"], job["page_size"] * job["pages"]
    for _ in range(job["warmup"]):
        c.scan_slow(page_size, page_size, lambda: None)
    found = []
    out = timed(lambda: found.append(c.scan_slow(page_size, limit, work)), 0)
    assert found == [limit], (found, limit)
    out["units"] = limit
    out["pages"] = job["pages"]
    out["work_ms"] = job["work_ms"]
    return out


def sc_leak(job):
    """RSS after `small` GetItem calls and again after `large` (the same loop, continued)."""
    c = CONTENDERS[job["contender"]](job["endpoint"])
    get = c.get
    for _ in range(job["small"]):
        get()
    rss_small = current_rss_mb()
    c0, t0 = cpu_s(), time.perf_counter()
    for _ in range(job["large"] - job["small"]):
        get()
    return {
        "units": job["large"] - job["small"],
        "cpu_s": cpu_s() - c0,
        "wall_s": time.perf_counter() - t0,
        "rss_after_small_mb": rss_small,
        "rss_after_large_mb": current_rss_mb(),
        "small": job["small"],
        "large": job["large"],
    }


SCENARIOS = {
    "import": sc_import,
    "get": sc_get,
    "put": sc_put,
    "query": sc_query,
    "jsonloads": sc_jsonloads,
    "fanout": sc_fanout,
    "threads": sc_threads,
    "update": sc_update,
    "wire-floor": sc_wire_floor,
    "stalls": sc_stalls,
    "batch": sc_batch,
    "batch-writer": sc_batch_writer,
    "batch-get": sc_batch_get,
    "leak": sc_leak,
    "scan-slow-consumer": sc_scan_slow_consumer,
    "model-get": sc_model_get,
    "model-save": sc_model_save,
    "model-query": sc_model_query,
    "model-aquery": sc_model_aquery,
}


def main():
    job = json.loads(sys.argv[1])
    out = SCENARIOS[job["scenario"]](job)
    out["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
