"""A loopback HTTP proxy that holds every request for a fixed delay, then relays it to the
upstream server (dynalite) and its answer back: a server whose round trip is visible, for
the scan-slow-consumer scenario. Started and stopped by the driver (by PID), like the
servers. Standard library only.

    python delay_proxy.py UPSTREAM_URL PORT DELAY_SECONDS
"""

import http.client
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse


def main() -> None:
    upstream, port, delay = urlparse(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    local = threading.local()  # one upstream connection per handler thread, kept alive

    def upstream_connection() -> http.client.HTTPConnection:
        if getattr(local, "connection", None) is None:
            local.connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
        return local.connection

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out as two writes: with Nagle on, the body would wait for the
        # client's delayed ACK (~40 ms more than the delay asked for).
        disable_nagle_algorithm = True

        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            time.sleep(delay)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            try:
                connection = upstream_connection()
                connection.request("POST", self.path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException):
                local.connection = None  # dynalite closed it: reconnect once
                connection = upstream_connection()
                connection.request("POST", self.path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
            self.send_response(response.status)
            for name, value in response.getheaders():
                if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
