"""The interpreter exits cleanly right after heavy use of the async twins.

Regression: the blocking tasks that hand results to asyncio could still be touching
Python objects while the interpreter finalized, crashing the process (segfault or abort)
after `asyncio.run` had returned. An atexit hook now waits for them. The crash was a
race (a few percent of runs), so the script runs several times.
"""

import subprocess
import sys

SCRIPT = """
import asyncio, sys, pydynox
client = pydynox.DynamoDBClient(endpoint_url=sys.argv[1], region="us-east-1")

async def main():
    gate = asyncio.Semaphore(64)
    async def one():
        async with gate:
            return await client.async_get_item(sys.argv[2], {"pk": "a", "sk": "b"})
    results = await asyncio.gather(*(one() for _ in range(200)))
    assert all(r == {"pk": "a", "sk": "b"} for r in results)

asyncio.run(main())
print("done")
"""


def test_process_exits_cleanly_after_async_fan_out(moto_endpoint, table, boto):
    # Async only: the crash was async twins' tasks touching Python during finalization.
    boto.put_item(TableName=table, Item={"pk": {"S": "a"}, "sk": {"S": "b"}})
    for run in range(5):
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, moto_endpoint, table], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, f"run {run}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
        assert done.stdout.strip() == "done"
