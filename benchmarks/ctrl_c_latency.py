"""How soon Ctrl-C ends a sync call that is waiting on the network: the time from the SIGINT
being sent to the KeyboardInterrupt reaching the caller's `except`. The docs promise about
50 ms; tests/test_timeouts.py only checks a bound ten times looser (a busy machine must not
fail a test), so the real figure is measured here.

    python benchmarks/ctrl_c_latency.py [--rounds 20]   # with the interpreter that has pydynox

Each round starts a child process that calls `get_item` against a local server which accepts
the request and never answers; once the server has read the request, the parent sends SIGINT.
Both processes read CLOCK_MONOTONIC, which is one clock for the whole machine. Not part of
benchmarks/run.sh (no DynamoDB server is involved, and the figure is wall-clock: load on the
machine moves it).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

CHILD = r"""
import signal, sys, time, pydynox
signal.signal(signal.SIGINT, signal.default_int_handler)  # a background shell may ignore it
client = pydynox.DynamoDBClient(endpoint_url=sys.argv[1], region="us-east-1", access_key="AKIDBENCH",
                                secret_key="bench", max_retries=0, read_timeout=600, operation_timeout=600)
print("calling", flush=True)
try:
    client.get_item("held", {"pk": "a"})
except KeyboardInterrupt:
    print(time.monotonic(), flush=True)
"""


class HoldingServer:
    """Accepts connections, reads each request's head, never answers; `arrived` is set when a
    request has been read."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.endpoint = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.arrived = threading.Event()
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def _read(self, conn: socket.socket) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        self.arrived.set()

    def close(self) -> None:
        self.sock.close()
        for conn in self.conns:
            conn.close()


def one_round(env: dict[str, str]) -> float:
    server = HoldingServer()
    child = subprocess.Popen([sys.executable, "-c", CHILD, server.endpoint], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "calling"
        if not server.arrived.wait(60):
            raise RuntimeError("the request never reached the holding server")
        sent = time.monotonic()
        os.kill(child.pid, signal.SIGINT)
        caught = float(child.stdout.readline())
        child.wait(60)
        return (caught - sent) * 1000
    finally:
        if child.poll() is None:
            child.kill()
        server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    times = sorted(one_round(env) for _ in range(args.rounds))
    p90 = times[max(0, int(len(times) * 0.9) - 1)]
    print(
        f"Ctrl-C to KeyboardInterrupt, sync get_item held by the server ({args.rounds} rounds, "
        f"load average {os.getloadavg()[0]:.1f}): median {statistics.median(times):.1f} ms, "
        f"p90 {p90:.1f} ms, max {times[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
