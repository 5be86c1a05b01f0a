#!/usr/bin/python3
"""The two WebSocket stacks side by side, like for like: one `sio serve`, one `sio bench -s idle`
holding N connections, first through the lean link (transport::ws_connection, what the server
uses) and then through the full Engine.IO client on Beast's websocket::stream (what sio emit,
listen and connect use; SIO_BENCH_LINK=full). Same connection count, same server, same hold.
A benchmark, not a test. Standard library only.

    /usr/bin/python3 tests/perf/ws_stacks.py [--sio build/release/cmd/sio] [--clients 15000]

Memory per connection is the bench process's VmRSS while holding (largest sample) minus its
VmRSS before connecting, divided by the connections held; the server's figure (the lean stack on
the server side) is printed beside it.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def open_fds(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def start_server(sio):
    # --json -q: the listening record, {"type":"listening","port":N,...}, is the one line on stdout.
    server = subprocess.Popen([sio, "serve", "--port", "0", "--json", "-q"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        if not line:
            break
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if rec.get("type") == "listening":
            return server, int(rec["port"])
    server.kill()
    sys.exit("sio serve did not report its port")


def hold(sio, port, clients, seconds, link):
    env = dict(os.environ, SIO_BENCH_LINK=link)
    cmd = [sio, "bench", f"http://127.0.0.1:{port}", "-s", "idle", "--clients", str(clients),
           "--ramp-up", "5", "--warmup", "2", "--duration", str(seconds), "--json"]
    bench = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    base = None
    peak = 0
    while bench.poll() is None:
        r = rss_kib(bench.pid)
        if r is not None:
            if base is None:
                base = r
            # Counted once (nearly) every connection is open: the ramp-up is over.
            if open_fds(bench.pid) >= clients * 0.98:
                peak = max(peak, r)
        time.sleep(0.2)
    out = bench.stdout.read().strip().splitlines()
    summary = json.loads(out[-1]) if out else {}
    return base or 0, peak, summary


def main():
    p = argparse.ArgumentParser(description="lean vs Beast WebSocket stacks: idle memory per connection")
    p.add_argument("--sio", default=os.path.join(ROOT, "build/release/cmd/sio"))
    p.add_argument("--clients", type=int, default=15000)
    p.add_argument("--hold", type=float, default=8, help="seconds held after the ramp-up")
    opts = p.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    print(f"{'stack':<34} {'connected':>9} {'KiB/conn (bench)':>17}")
    for link, label in (("lean", "lean (transport::ws_connection)"), ("full", "Beast websocket::stream + client")):
        server, port = start_server(opts.sio)
        try:
            base, peak, summary = hold(opts.sio, port, opts.clients, opts.hold, link)
        finally:
            server.terminate()
            server.wait(timeout=10)
        connected = (summary.get("connect") or {}).get("connected") or summary.get("connected") or 0
        per = (peak - base) / connected if connected and peak else float("nan")
        print(f"{label:<34} {connected:>9} {per:>17.1f}")


if __name__ == "__main__":
    main()
