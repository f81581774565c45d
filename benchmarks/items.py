"""The data every contender reads and writes, so that all of them move the same bytes.

Standard library only: imported by the worker in every contender's venv and by the driver.
"""

import json

TABLE_ITEMS = "bench_items"  # pk (S): the GetItem item, and PutItem's targets
TABLE_QUERY = "bench_query"  # pk (S) + sk (N): one partition of ~1 KB items
TABLE_BATCH = "bench_batch"  # pk (S): batch-write targets (the same keys every run)
TABLE_SCAN = "bench_scan"  # pk (S): small items for scan-slow-consumer
GET_KEY = "item-0"
UPDATE_KEY = "item-update"  # UpdateItem's target: the get item's shape, under its own key
QUERY_PARTITION = "q"
PUT_KEYS = (
    200  # puts cycle over this many keys, so the table does not grow run after run
)


def base_item(i: int) -> dict:
    """About 20 attributes: strings, integers and decimals, booleans, a nested map, a list, a string set."""
    return {
        "name": f"User Number {i}",
        "email": f"user{i}@example.com",
        "city": "Lisbon",
        "country": "PT",
        "status": "active",
        "plan": "pro",
        "created_at": "2024-05-17T09:30:00Z",
        "bio": "Writes software and reads about databases on weekends.",
        "age": 20 + i % 50,
        "score": 1234.5,
        "visits": 100000 + i,
        "rank": i,
        "active": True,
        "verified": i % 2 == 0,
        "tags": {"admin", "beta", "early"},
        "address": {
            "street": "Rua Augusta 10",
            "zip": "1100-053",
            "geo": {"lat": 38.71, "lon": -9.14},
        },
        "prefs": {"theme": "dark", "lang": "en", "notify": True},
        "history": [1, "two", {"three": 3}, ["four", 5]],
        "nums": [1, 2, 3, 4, 5, 6, 7, 8],
    }


def get_item() -> dict:
    return {"pk": GET_KEY, **base_item(0)}


def put_item(i: int) -> dict:
    return {"pk": f"put-{i % PUT_KEYS}", **base_item(i)}


def batch_item(i: int) -> dict:
    return {"pk": f"batch-{i}", **base_item(i)}


QUERY_BLOB = "x" * 560  # brings a query item to about 1 KB of wire JSON


def query_item(i: int) -> dict:
    return {"pk": QUERY_PARTITION, "sk": i, **base_item(i), "blob": QUERY_BLOB}


def scan_item(i: int) -> dict:
    """A small item (~100 bytes): the server answers a page quickly, so the round trip
    scan-slow-consumer sees is mostly the delay it adds on purpose."""
    return {"pk": f"scan-{i:05d}", "n": i, "name": f"User Number {i}", "city": "Lisbon", "active": True}


def _plain(value):
    if isinstance(value, set):
        return sorted(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _wire(value):
    """DynamoDB's typed JSON, as it travels."""
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, (int, float)):
        return {"N": str(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, set):
        return {"SS": sorted(value)}
    if isinstance(value, dict):
        return {"M": {k: _wire(v) for k, v in value.items()}}
    if isinstance(value, list):
        return {"L": [_wire(v) for v in value]}
    raise TypeError(type(value))


def plain_page_json(n: int) -> str:
    """n query items as plain JSON (sets as lists): what json.loads turns into Python objects."""
    return json.dumps({"Items": [_plain(query_item(i)) for i in range(n)]})


def wire_page_json(n: int) -> str:
    """n query items as DynamoDB's typed JSON: the body of a Query response."""
    return json.dumps(
        {
            "Items": [
                {k: _wire(v) for k, v in query_item(i).items()} for i in range(n)
            ],
            "Count": n,
        }
    )
