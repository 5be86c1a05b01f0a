#!/usr/bin/python3
"""The kernel's own faults: `sio serve` in a network namespace of its own, reached over a veth pair. A tbf qdisc
caps the bandwidth both ways (sio bench's acks are bounded by it), and the link taken down for 5 s is a
blackout in which nothing is reset, only silent (sio listen notices through the Engine.IO heartbeat and
reconnects once the link is back).

Needs root (CAP_NET_ADMIN) and `ip netns`: where namespaces cannot be made it says why and exits 77, which ctest
reports as skipped. Addresses: 10.251.N.1 (here) and 10.251.N.2 (the namespace), N from the process id.

    netns_test.py --sio BUILD/sio [--only NAME,...] [-v]
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import checks  # noqa: E402
from checks import Background, check, expect, run_sio  # noqa: E402

SKIP = 77
NS = f"siofaults{os.getpid()}"
HOST_IF, NS_IF = f"sfh{os.getpid() % 100000}", f"sfn{os.getpid() % 100000}"
NET = f"10.251.{os.getpid() % 250 + 1}"
HOST_IP, NS_IP = f"{NET}.1", f"{NET}.2"
RATE = 20_000  # bytes per second, each way
BURST = 16384  # bytes: tbf drops a (GSO) packet larger than its bucket
SERVER = {}


def ip(*args, ns=False):
    argv = (["ip", "netns", "exec", NS] if ns else []) + list(args)
    return subprocess.run(argv, capture_output=True, text=True, timeout=20)


def must(*args, ns=False):
    r = ip(*args, ns=ns)
    if r.returncode != 0:
        raise checks.CheckFailed(f"`{' '.join(args)}` failed: {r.stderr.strip()}")


def can_make_namespaces():
    """None when namespaces work here, else why not."""
    if os.geteuid() != 0:
        return "not root: ip netns needs CAP_NET_ADMIN"
    r = ip("ip", "netns", "add", NS)
    if r.returncode != 0:
        return f"ip netns add failed: {r.stderr.strip()}"
    return None


def setup():
    must("ip", "link", "add", HOST_IF, "type", "veth", "peer", "name", NS_IF)
    must("ip", "link", "set", NS_IF, "netns", NS)
    must("ip", "addr", "add", f"{HOST_IP}/24", "dev", HOST_IF)
    must("ip", "link", "set", HOST_IF, "up")
    must("ip", "addr", "add", f"{NS_IP}/24", "dev", NS_IF, ns=True)
    must("ip", "link", "set", NS_IF, "up", ns=True)
    must("ip", "link", "set", "lo", "up", ns=True)


def start(names):
    if names:
        # A quick heartbeat: a silent link is noticed within ping interval + timeout (2 s).
        SERVER["proc"] = Background(["ip", "netns", "exec", NS, checks.SIO, "serve", "--host", NS_IP, "--port", "0",
                                     "--json", "-q", "--mode", "broadcast", "--ping-interval", "1s",
                                     "--ping-timeout", "1s"])
        proc = SERVER["proc"]
        expect(proc.wait_for(lambda: any(checks.listening_record(l) for l in proc.out), 15),
               f"serve did not start in the namespace: {proc.describe()}")
        port = next(checks.listening_record(l) for l in proc.out if checks.listening_record(l))["port"]
        SERVER["url"] = f"http://{NS_IP}:{port}"


def teardown():
    failures = []
    proc = SERVER.get("proc")
    if proc is not None:
        if proc.proc.poll() is not None:
            failures.append(("server", f"died: {proc.describe()}"))
        proc.stop()
    ip("ip", "link", "del", HOST_IF)
    ip("ip", "netns", "del", NS)
    return failures


def healthy(names):
    if names:
        r = run_sio(["emit", SERVER["url"], "health", '"check"', "--ack", "--timeout", "10s"], timeout=20)
        expect(r.rc == 0 and r.out.strip() == '["check"]', f"server unhealthy after the check: {r.describe()}")


def connects(proc):
    return checks.records_of(proc.out, "connected")


@check("tbf-bandwidth-cap", ["serve"])
def _():
    tbf = ["tbf", "rate", f"{RATE * 8}bit", "burst", f"{BURST}", "latency", "400ms"]
    must("tc", "qdisc", "add", "dev", HOST_IF, "root", *tbf)
    must("tc", "qdisc", "add", "dev", NS_IF, "root", *tbf, ns=True)
    try:
        size = 2000
        r = run_sio(["bench", SERVER["url"], "-c", 4, "-d", 2, "--warmup", 0.5, "--payload-size", size, "--json", "-q"],
                    timeout=60)
        expect(r.rc == 0 and len(r.lines()) == 1, f"bench failed: {r.describe()}")
        s = json.loads(r.lines()[0])
        expect(s["errors"] == 0, f"errors: {s!r}")
        # Every ack carries the 2000-byte payload back through 20 kB/s (its burst aside).
        cap = (RATE * (s["duration_s"] + 1) + BURST) / size
        expect(0 < s["received"] <= cap, f"{s['received']} acks of {size} bytes through {RATE} B/s in "
                                          f"{s['duration_s']:.2f}s (at most {cap:.0f}): {s!r}")
    finally:
        ip("tc", "qdisc", "del", "dev", HOST_IF, "root")
        ip("tc", "qdisc", "del", "dev", NS_IF, "root", ns=True)


@check("link-down-blackout", ["serve"])
def _():
    lst = Background([checks.SIO, "listen", SERVER["url"], "--json", "--reconnect-delay", "200ms",
                      "--reconnect-delay-max", "1s"])
    try:
        expect(lst.wait_for(lambda: len(connects(lst)) == 1, 15), f"no connect: {lst.describe()}")
        must("ip", "link", "set", HOST_IF, "down")
        down_at = time.monotonic()
        # Nothing is reset: the listener learns of the loss from the missing pings (1 s + 1 s), within the 5 s.
        lost = lst.wait_stderr("disconnected", 5)
        time.sleep(max(0.0, down_at + 5 - time.monotonic()))  # the fault's own length, not a synchronisation
        must("ip", "link", "set", HOST_IF, "up")
        expect(lost, f"the listener did not notice the dead link: {lst.describe()}")
        expect(lst.wait_for(lambda: len(connects(lst)) == 2, 15), f"no reconnect after the link came back: "
                                                                  f"{lst.describe()}")
        r = run_sio(["emit", SERVER["url"], "tick", '"after"', "--timeout", "10s"], timeout=20)
        expect(r.rc == 0, f"emit: {r.describe()}")
        expect(lst.wait_for(lambda: any('"after"' in l and '"tick"' in l for l in lst.out), 10),
               f"no event after the reconnect: {lst.describe()}")
    finally:
        ip("ip", "link", "set", HOST_IF, "up")
        lst.stop()


if __name__ == "__main__":
    why = can_make_namespaces()
    if why is not None and "--list" not in sys.argv:
        print(f"SKIP netns_test: {why}", flush=True)
        sys.exit(SKIP)
    try:
        rc = checks.main("netns_test", __doc__, setup=setup, start=start, teardown=teardown, after_check=healthy)
    finally:
        ip("ip", "link", "del", HOST_IF)
        ip("ip", "netns", "del", NS)
    sys.exit(rc)
