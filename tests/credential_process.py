"""A `credential_process` for the credential-refresh tests: each run prints new temporary
credentials, in the JSON the AWS SDKs read from such a process.

    python credential_process.py RUNS_FILE SECONDS [SECONDS ...]

Run n (counted by the lines of RUNS_FILE, one appended per run) gets the access key id
`ASIARUN<n>` and an `Expiration` SECONDS ahead, taken from the n-th SECONDS argument (the
last one for every later run). The line appended is "<n> <unix time of the run>", so a test
knows how often the SDK ran the process and when each key was issued.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime, timedelta, timezone


def main(runs_file: str, *validity: str) -> None:
    with open(runs_file, "a+", encoding="ascii") as runs:
        runs.seek(0)
        run = len(runs.read().splitlines()) + 1
        now = time.time()
        runs.write(f"{run} {now}\n")
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
