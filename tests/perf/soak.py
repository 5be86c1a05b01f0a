#!/usr/bin/python3
"""Soak: many WebSocket clients on one `sio serve` for a long time. A benchmark, not a CI test.

    /usr/bin/python3 tests/perf/soak.py [--sio build/release/cmd/sio] [--clients 15000] [--minutes 10]
                                        [--echo-clients 500] [--per-process 5000]

sio serve (echo mode) holds --clients receivers: raw Engine.IO/Socket.IO WebSocket clients written here (asyncio,
standard library), split over processes of at most --per-process each (ulimit -n is 20000 per process). One more
client emits ["broadcast", "tick", seq] every second, which the server relays to every other client; each
receiver checks that the sequence numbers arrive once each and in order. Meanwhile `sio bench` runs
--echo-clients clients of echo traffic (one acked emit per second each) on the same server. The server's RSS is
sampled every 10 s. At the end it prints, and writes as one JSON line to stdout: disconnects, events lost and
duplicated (over all receivers), the bench's summary (errors, drops, ack timeouts), and the server's RSS after
warm-up (the first sample once every client is in and a sixth of the run has passed) and at the end.
"""
import argparse
import asyncio
import base64
import json
import os
import signal
import struct
import subprocess
import sys
import time

from ws_stacks import ROOT, rss_kib, start_server  # noqa: E402 (this directory is on sys.path)


# ---- a minimal Socket.IO client over a raw WebSocket


class WsClient:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def connect(self, nsp_packet="40"):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        key = base64.b64encode(os.urandom(16)).decode()
        self.writer.write((f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                           f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 101"):
            raise ConnectionError(head.split(b"\r\n")[0].decode(errors="replace"))
        open_packet = await self.recv()
        if not open_packet or open_packet[0] != "0":
            raise ConnectionError(f"no Engine.IO open: {open_packet!r}")
        self.send(nsp_packet)
        while True:
            p = await self.recv()
            if p is None:
                raise ConnectionError("closed before the namespace connect")
            if p.startswith("40"):
                return
            if p.startswith("44"):
                raise ConnectionError(f"connect_error {p}")

    def send(self, text):
        data = text.encode()
        mask = os.urandom(4)
        n = len(data)
        head = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack("!H", n)
                                if n < 65536 else bytes([0x80 | 127]) + struct.pack("!Q", n))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.writer.write(head + mask + masked)

    async def recv(self):
        """The next Engine.IO packet (text), answering pings on the way; None once the connection is gone."""
        try:
            while True:
                b0, b1 = await self.reader.readexactly(2)
                n = b1 & 0x7F
                if n == 126:
                    n = struct.unpack("!H", await self.reader.readexactly(2))[0]
                elif n == 127:
                    n = struct.unpack("!Q", await self.reader.readexactly(8))[0]
                payload = await self.reader.readexactly(n)
                op = b0 & 0x0F
                if op == 8:
                    return None
                if op == 9:
                    self.writer.write(bytes([0x8A, 0x80 | len(payload)]) + b"\0\0\0\0" + payload)
                    continue
                if op != 1:
                    continue
                text = payload.decode()
                if text == "2":
                    self.send("3")
                    continue
                return text
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            return None


# ---- worker: a share of the receivers


class Receiver:
    def __init__(self):
        self.last = 0
        self.received = self.lost = self.dup = 0
        self.connected = False
        self.disconnected = False


async def receive(client, r):
    prefix = '42["tick",'
    while True:
        p = await client.recv()
        if p is None:
            r.disconnected = True
            return
        if not p.startswith(prefix):
            continue
        seq = int(p[len(prefix):-1])
        r.received += 1
        if seq <= r.last:
            r.dup += 1
        else:
            r.lost += seq - r.last - 1
            r.last = seq


async def worker(host, port, n, source_count):
    receivers = [Receiver() for _ in range(n)]
    tasks = []
    failed = 0
    sem = asyncio.Semaphore(200)  # connects in flight

    async def start(r):
        nonlocal failed
        async with sem:
            c = WsClient(host, port)
            try:
                await c.connect()
            except (OSError, ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as e:
                failed += 1
                print(json.dumps({"connect_error": str(e)}), file=sys.stderr, flush=True)
                return
            r.connected = True
        tasks.append(asyncio.ensure_future(receive(c, r)))

    await asyncio.gather(*(start(r) for r in receivers))
    print(json.dumps({"connected": sum(r.connected for r in receivers), "failed": failed}), flush=True)
    # The main process writes the last sequence number sent on stdin, then closes it.
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    last = int(line or 0)
    total = {"connected": 0, "disconnects": 0, "received": 0, "lost": 0, "dup": 0}
    for r in receivers:
        if not r.connected:
            continue
        total["connected"] += 1
        total["disconnects"] += r.disconnected
        total["received"] += r.received
        total["dup"] += r.dup
        total["lost"] += r.lost + max(0, last - r.last)
    print(json.dumps(total), flush=True)


# ---- main


async def broadcaster(port, seconds, on_tick):
    c = WsClient("127.0.0.1", port)
    await c.connect()
    drain = asyncio.ensure_future(_drain(c))
    seq = 0
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        seq += 1
        c.send(f'42["broadcast","tick",{seq}]')
        on_tick(seq)
        await asyncio.sleep(max(0.0, t0 + seq - time.monotonic()))
    drain.cancel()
    return seq


async def _drain(c):
    while await c.recv() is not None:
        pass


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sio", default=os.path.join(ROOT, "build", "release", "cmd", "sio"))
    p.add_argument("--clients", type=int, default=15000)
    p.add_argument("--minutes", type=float, default=10)
    p.add_argument("--echo-clients", type=int, default=500)
    p.add_argument("--per-process", type=int, default=5000)
    p.add_argument("--worker", nargs=2, metavar=("PORT", "N"), help=argparse.SUPPRESS)
    o = p.parse_args()
    if o.worker:
        asyncio.run(worker("127.0.0.1", int(o.worker[0]), int(o.worker[1]), 1))
        return 0

    server, port = start_server(o.sio)
    url = f"http://127.0.0.1:{port}"
    procs = []
    try:
        rss0 = rss_kib(server.pid)
        left = o.clients
        while left > 0:
            n = min(left, o.per_process)
            left -= n
            procs.append(subprocess.Popen([sys.executable, os.path.abspath(__file__), "--worker", str(port), str(n)],
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
        connected = failed = 0
        for w in procs:
            rec = json.loads(w.stdout.readline() or '{"connected":0,"failed":0}')
            connected += rec["connected"]
            failed += rec["failed"]
        print(f"soak: {connected} receivers connected ({failed} failed), server RSS {rss_kib(server.pid)} KiB "
              f"(idle before: {rss0} KiB)", file=sys.stderr, flush=True)
        seconds = o.minutes * 60
        bench = subprocess.Popen([o.sio, "bench", url, "-s", "echo", "-c", str(o.echo_clients), "--rate", "1",
                                  "-d", f"{seconds}s", "--warmup", "0", "--json", "-q"],
                                 stdout=subprocess.PIPE, text=True)
        samples = []
        started = time.monotonic()

        def on_tick(seq):
            if seq % 10 == 0:
                kib = rss_kib(server.pid)
                samples.append((round(time.monotonic() - started, 1), kib))
                print(f"soak: {seq:5d}s server RSS {kib} KiB", file=sys.stderr, flush=True)

        last = asyncio.run(broadcaster(port, seconds, on_tick))
        time.sleep(2)  # a benchmark: the last tick's deliveries settle (not a test's synchronisation)
        totals = {"connected": 0, "disconnects": 0, "received": 0, "lost": 0, "dup": 0}
        for w in procs:
            w.stdin.write(f"{last}\n")
            w.stdin.close()
        for w in procs:
            rec = json.loads(w.stdout.readline())
            for k in totals:
                totals[k] += rec[k]
            w.wait(30)
        bench_out, _ = bench.communicate(timeout=seconds + 120)
        bench_summary = json.loads(bench_out.strip().splitlines()[-1]) if bench_out.strip() else {}
        warm = next((kib for t, kib in samples if t >= seconds / 6), samples[0][1] if samples else None)
        result = {
            "clients": o.clients, "connected": connected, "connect_failures": failed, "minutes": o.minutes,
            "ticks": last, **{k: totals[k] for k in ("disconnects", "received", "lost", "dup")},
            "expected": last * totals["connected"],
            "bench": {k: bench_summary.get(k) for k in ("clients", "connected", "sent", "received", "errors", "drops",
                                                        "ack_timeouts", "in_flight")},
            "bench_latency_p99_us": bench_summary.get("latency_us", {}).get("p99"),
            "server_rss_kib": {"idle": rss0, "warm": warm, "end": samples[-1][1] if samples else None,
                               "max": max((k for _, k in samples), default=None)},
            "rss_samples": samples,
        }
        print(json.dumps(result), flush=True)
        ok = (connected == o.clients and totals["disconnects"] == 0 and totals["lost"] == 0 and totals["dup"] == 0
              and bench_summary.get("errors") == 0)
        return 0 if ok else 1
    finally:
        for w in procs:
            if w.poll() is None:
                w.kill()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
