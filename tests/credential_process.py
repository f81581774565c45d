"""A `credential_process` for the credential-refresh tests: each run prints new temporary
credentials, in the JSON the AWS SDKs read from such a process.

    python credential_process.py RUNS_FILE [--fail-from N] SECONDS [SECONDS ...]

Run n (counted by the lines of RUNS_FILE, one appended per run) gets the access key id
`ASIARUN<n>` and an `Expiration` SECONDS ahead, taken from the n-th SECONDS argument (the
last one for every later run). The line appended is "<n> <unix time of the run>", so a test
knows how often the SDK ran the process and when each key was issued. With --fail-from N,
runs N and later print nothing and exit with status 1, as a process that cannot get
credentials does.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime, timedelta, timezone


def main(runs_file: str, *validity: str) -> None:
    fail_from = None
    if validity[0] == "--fail-from":
        fail_from, validity = int(validity[1]), validity[2:]
    with open(runs_file, "a+", encoding="ascii") as runs:
        runs.seek(0)
        run = len(runs.read().splitlines()) + 1
        now = time.time()
        runs.write(f"{run} {now}\n")
    if fail_from is not None and run >= fail_from:
        print(f"credential_process.py: no credentials for run {run}", file=sys.stderr)
        sys.exit(1)
    seconds = float(validity[min(run, len(validity)) - 1])
    expires = datetime.fromtimestamp(now, timezone.utc) + timedelta(seconds=seconds)
    print(
        json.dumps(
            {
                "Version": 1,
                "AccessKeyId": f"ASIARUN{run}",
                "SecretAccessKey": f"secret-of-run-{run}",
                "SessionToken": f"token-of-run-{run}",
                "Expiration": expires.isoformat(timespec="milliseconds"),  # RFC 3339
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], *sys.argv[2:])
