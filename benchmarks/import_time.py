"""How long importing pydynox takes in a fresh interpreter: `import pydynox` (the package
alone, its names load on first use: ADR 27), the client alone and the model layer, each
the best of N runs measured inside the child around the import alone (interpreter start-up
excluded), then the modules that cost the most, by `python -X importtime`, for the model. Not part of benchmarks/run.sh or the tests (a
busy machine moves the numbers); tests/test_packaging.py checks instead that the import
loads none of the modules deferred to first use.

    python benchmarks/import_time.py [--runs 5]      # with the interpreter that has pydynox

Measure an installed wheel (pip compiles its bytecode) or run `python -m compileall` on the
package first: with PYTHONDONTWRITEBYTECODE set, an in-place build recompiles every module
at each import and the number means little.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

# What a program writes -> the statement timed.
IMPORTS = {
    "import pydynox": "import pydynox",
    "the client": "from pydynox import DynamoDBClient",
    "the model layer": "from pydynox import DynamoDBClient, Model",
}
PROBE = "import time; t = time.perf_counter(); {}; print((time.perf_counter() - t) * 1000)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=12, help="how many modules of -X importtime to list")
    args = parser.parse_args()
    # No AWS configuration: the import must not need one.
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    for label, statement in IMPORTS.items():
        probe = PROBE.format(statement)
        times = [float(subprocess.check_output([sys.executable, "-c", probe], env=env, text=True)) for _ in range(args.runs)]
        print(f"{label} ({statement}): best {min(times):.1f} ms of {args.runs} (all: {', '.join(f'{t:.1f}' for t in times)})")
    trace = subprocess.run([sys.executable, "-X", "importtime", "-c", IMPORTS["the model layer"]], env=env, capture_output=True, text=True)
    rows = []  # "import time: self [us] | cumulative | name", after one header line
    for line in trace.stderr.splitlines()[1:]:
        _, cumulative, name = line.split("|")
        rows.append((int(cumulative), name.rstrip()))
    print("slowest modules (cumulative µs, -X importtime):")
    for total, name in sorted(rows, reverse=True)[: args.top]:
        print(f"  {total:>7}  {name}")


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:  # piped into head
        pass
