#!/usr/bin/python3
"""A small HTTP CONNECT proxy for tests/client/net_test.py: the peer that `sio --proxy` talks to.

    /usr/bin/python3 tests/client/connect_proxy.py [--auth USER:PASSWORD] [--answer STATUS]

Listens on 127.0.0.1 (a port the OS picks) and prints `connect_proxy: listening on PORT` on stderr, then one
line per request: `connect_proxy: tunnel N to HOST:PORT` for each tunnel it opens (N counts from 1), and
`connect_proxy: refused HOST:PORT STATUS` for each it turns down. With --auth, a CONNECT without
`Proxy-Authorization: Basic base64(USER:PASSWORD)` gets 407; with --answer, every CONNECT gets that status.
Only loopback targets are tunnelled (403 otherwise); any method but CONNECT gets 405. SIGTERM exits at once.
"""
import argparse
import base64
import select
import signal
import socket
import socketserver
import sys
import threading

REASONS = {403: "Forbidden", 405: "Method Not Allowed", 407: "Proxy Authentication Required",
           502: "Bad Gateway", 503: "Service Unavailable"}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def log(text):
    sys.stderr.write(f"connect_proxy: {text}\n")
    sys.stderr.flush()


class Proxy(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, opts):
        super().__init__(("127.0.0.1", 0), Handler)
        self.opts = opts
        self.tunnels = 0
        self.lock = threading.Lock()


class Handler(socketserver.BaseRequestHandler):
    def answer(self, status, extra=""):
        body = f"{status} {REASONS.get(status, 'Error')}\n".encode()
        self.request.sendall(f"HTTP/1.1 {status} {REASONS.get(status, 'Error')}\r\n{extra}"
                             f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)

    def handle(self):
        head = b""
        self.request.settimeout(10)
        while b"\r\n\r\n" not in head:
            chunk = self.request.recv(4096)
            if not chunk or len(head) > 16384:
                return
            head += chunk
        head, _, early = head.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if len(parts) != 3 or parts[0] != "CONNECT":
            log(f"refused {lines[0]!r} 405")
            return self.answer(405)
        target = parts[1]
        host, _, port = target.rpartition(":")
        host = host.strip("[]")
        opts = self.server.opts
        status = 0
        if opts.answer:
            status = opts.answer
        elif opts.auth and headers.get("proxy-authorization") != "Basic " + base64.b64encode(opts.auth.encode()).decode():
            status = 407
        elif host not in LOOPBACK or not port.isdigit():
            status = 403
        if status:
            log(f"refused {target} {status}")
            extra = 'Proxy-Authenticate: Basic realm="test"\r\n' if status == 407 else ""
            return self.answer(status, extra)
        try:
            upstream = socket.create_connection((host, int(port)), timeout=10)
        except OSError:
            log(f"refused {target} 502")
            return self.answer(502)
        with self.server.lock:
            self.server.tunnels += 1
            n = self.server.tunnels
        log(f"tunnel {n} to {target}")
        self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        if early:
            upstream.sendall(early)
        self.pipe(upstream)

    def pipe(self, upstream):
        ends = [self.request, upstream]
        for s in ends:
            s.settimeout(None)
        try:
            while True:
                readable, _, _ = select.select(ends, [], [], 60)
                if not readable:
                    return
                for s in readable:
                    data = s.recv(65536)
                    if not data:
                        return
                    (upstream if s is self.request else self.request).sendall(data)
        except OSError:
            return
        finally:
            upstream.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--auth", default="", help="require Proxy-Authorization for USER:PASSWORD")
    parser.add_argument("--answer", type=int, default=0, help="answer every CONNECT with this status")
    opts = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server = Proxy(opts)
    log(f"listening on {server.server_address[1]}")
    server.serve_forever()


if __name__ == "__main__":
    main()
