#!/usr/bin/python3
"""Instructions per echoed message of `sio serve`, counted by callgrind (not a test; nothing here runs in CI).

    /usr/bin/python3 tests/perf/callgrind_echo.py [--sio build/release/cmd/sio] [--rate 200] [--clients 10]

Runs `sio serve --mode echo` under `valgrind --tool=callgrind` twice, driven each time by `sio bench` (echo, open
loop at --rate events/s per client, every event acked) for a short and a long run, and prints the server's
instructions per message as the difference of the two runs divided by the difference of their message counts, so
that start-up and shutdown cancel out. Compare builds of the same configuration (Release) on the same machine.
"""

import argparse
import json
import os
import re
import select
import signal
import subprocess
import sys
import tempfile


def run(sio, seconds, rate, clients):
    out = tempfile.mktemp(prefix="sio-callgrind-")
    server = subprocess.Popen(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, sio, "serve", "--port",
                               "0", "--json", "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        ready, _, _ = select.select([server.stdout], [], [], 60)
        if not ready:
            raise RuntimeError("sio serve under valgrind did not start within 60 s")
        port = json.loads(server.stdout.readline())["port"]
        bench = subprocess.run([sio, "bench", "http://127.0.0.1:%d" % port, "-c", str(clients), "--rate", str(rate),
                                "-d", "%ds" % seconds, "--warmup", "0s", "--json", "-q"],
                               capture_output=True, text=True, timeout=seconds + 120)
        records = [json.loads(line) for line in bench.stdout.splitlines() if line.startswith("{")]
        summary = [r for r in records if "scenario" in r and "sent" in r]
        if not summary:
            raise RuntimeError("no summary from sio bench: %s" % bench.stderr[-300:])
        messages = summary[-1]["sent"]  # every one is echoed with its ack
    finally:
        server.send_signal(signal.SIGTERM)
        _, err = server.communicate(timeout=120)
    m = re.search(rb"Collected : (\d+)", err) or re.search(rb"refs:\s+([\d,]+)", err)
    instructions = int(m.group(1).replace(b",", b""))
    os.unlink(out)
    return instructions, messages


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sio", default="build/release/cmd/sio")
    ap.add_argument("--rate", type=int, default=200)
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--short", type=int, default=3)
    ap.add_argument("--long", type=int, default=9)
    opts = ap.parse_args()
    i1, m1 = run(opts.sio, opts.short, opts.rate, opts.clients)
    i2, m2 = run(opts.sio, opts.long, opts.rate, opts.clients)
    print("short run: %d instructions, %d messages; long run: %d instructions, %d messages" % (i1, m1, i2, m2))
    print("instructions per echoed message: %.0f" % ((i2 - i1) / (m2 - m1)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
