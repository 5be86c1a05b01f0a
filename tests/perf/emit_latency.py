#!/usr/bin/python3
"""One-shot `sio emit --ack` against a local `sio serve`: wall time and peak RSS over many
runs, side by side with the Node socket.io-client equivalent. A benchmark, not a test.

    tests/perf/emit_latency.py [--sio build/release/cmd/sio] [--runs 50]

Prints a table (median and p90 wall ms, max peak RSS) and the Node/sio ratios.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def start_server(sio):
    # --json -q prints one line on stdout once it listens: {"type":"listening","url":...}.
    proc = subprocess.Popen([sio, "serve", "--port", "0", "--json", "-q"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    line = proc.stdout.readline().decode()
    try:
        rec = json.loads(line)
    except ValueError:
        rec = {}
    if rec.get("type") != "listening":
        proc.kill()
        sys.exit(f"sio serve did not start: {line!r}")
    return proc, rec["url"]


def measure(cmd, runs):
    """Wall time (ms) of each run, and the peak RSS (KiB) of each run as /usr/bin/time sees
    it. Linux carries a process's RSS high-water mark across exec, so a child forked from
    this Python process would report Python's size; /usr/bin/time is a small parent."""
    times, rss = [], []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
        if done.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}")
        timed = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
        rss.append(int(timed.stderr.strip().splitlines()[-1]))
    return times, rss


def row(name, times, rss):
    times = sorted(times)
    p90 = times[int(len(times) * 0.9) - 1]
    print(f"{name:<34} {statistics.median(times):>9.2f} {p90:>9.2f} {max(rss) / 1024:>12.2f}")
    return statistics.median(times), max(rss)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sio", default=os.path.join(HERE, "../../build/release/cmd/sio"))
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    server, url = start_server(args.sio)
    try:
        print(f"{'client (emit --ack, ' + str(args.runs) + ' runs)':<34} {'median ms':>9} {'p90 ms':>9} {'peak RSS MiB':>12}")
        results = {}
        for name, cmd in [
            ("sio emit (default: polling)", [args.sio, "emit", url, "ping", "1", "--ack"]),
            ("sio emit --transport websocket", [args.sio, "emit", url, "ping", "1", "--ack", "--transport", "websocket"]),
            ("node socket.io-client 4.8", ["node", os.path.join(HERE, "node_emit_ack.js"), url, "ping", "1"]),
        ]:
            measure(cmd, 3)  # warm the page cache
            results[name] = row(name, *measure(cmd, args.runs))
        sio_t, sio_rss = results["sio emit (default: polling)"]
        node_t, node_rss = results["node socket.io-client 4.8"]
        print(f"ratio node/sio: {node_t / sio_t:.1f}x wall, {node_rss / sio_rss:.1f}x RSS")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
