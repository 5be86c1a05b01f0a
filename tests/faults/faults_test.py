#!/usr/bin/python3
"""sio bench and sio listen through an impaired network: tests/support/fault_proxy.py (latency with jitter, a
bandwidth cap, a stall mid-message, resets, blackouts) between them and `sio serve`, and a `sio serve` restart
under load. Every bound asserted is derived from the injected faults, never from this machine's speed; every
wait is bounded. After each check the servers must still answer a fresh client's emit with its ack.

    faults_test.py --sio BUILD/sio [--only NAME,...] [-v]
"""
import json
import os
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import checks  # noqa: E402
from checks import Background, CheckFailed, check, expect, run_sio, sio_serve  # noqa: E402
from fault_proxy import FaultProxy  # noqa: E402

SERVERS = {}
# The listeners' reconnection: quick, so that a check waits seconds, not the default's up to 5 s per attempt.
RECONNECT = ["--reconnect-delay", "200ms", "--reconnect-delay-max", "1s"]
RECONNECT_MAX_S = 1.0 * 1.5  # the longest delay with socket.io-client's +/- 50% jitter


def start(names):
    for name in names:
        SERVERS[name] = {
            "echo": lambda: sio_serve("sio serve (echo)"),
            "broadcast": lambda: sio_serve("sio serve (broadcast)", "--mode", "broadcast"),
        }[name]()
        SERVERS[name].port()


def teardown():
    failures = []
    for name, server in SERVERS.items():
        if not server.alive():
            failures.append((f"server {name}", f"died: {server.proc.describe()}"))
        server.stop()
    return failures


def healthy(names):
    """A fresh client, straight to the server, gets its emit acked: the faults left the server well."""
    for name in names:
        url = SERVERS[name].url()
        r = run_sio(["emit", url, "health", '"check"', "--ack", "--timeout", "10s"], timeout=20)
        expect(r.rc == 0 and r.out.strip() == '["check"]', f"server {name} unhealthy after the check: {r.describe()}")


def bench(url, *args, timeout=60):
    r = run_sio(["bench", url, "--json", "-q"] + [str(a) for a in args], timeout=timeout)
    lines = r.lines()
    expect(r.rc is not None and len(lines) == 1, f"one summary line expected; {r.describe()}")
    return r, json.loads(lines[0])


def listen(url, *args):
    return Background([checks.SIO, "listen", url, "--json", *RECONNECT, *[str(a) for a in args]])


def records(proc, kind):
    return checks.records_of(proc.out, kind)


def events(proc, name):
    return [r for r in records(proc, "event") if r.get("event") == name]


def emit(server, event, arg):
    """Broadcast through the server, straight to it (not through the proxy)."""
    r = run_sio(["emit", SERVERS[server].url(), event, json.dumps(arg), "--timeout", "10s"], timeout=20)
    expect(r.rc == 0, f"emit {event} failed: {r.describe()}")


def emit_until_seen(proc, server, event, arg, timeout=15):
    """The listener is connected (its connect record is out) but may not have joined the broadcast yet on this
    server's side when the record is printed: emit until the event shows, each emit a distinct argument."""
    deadline_attempts = int(timeout / 0.5)
    for i in range(deadline_attempts):
        emit(server, event, f"{arg}-{i}")
        if proc.wait_for(lambda: any(e["args"] == [f"{arg}-{i}"] for e in events(proc, event)), 0.5):
            return
    raise CheckFailed(f"the listener never printed {event} {arg}: {proc.describe()}")


# ---- latency, bandwidth


@check("latency-jitter", ["echo"])
def _():
    # 50 ms +/- 20 ms on every chunk each way: no round trip can take less than 2 x 30 ms.
    with FaultProxy(SERVERS["echo"].port()) as proxy:
        proxy.set(latency=0.050, jitter=0.020)
        r, s = bench(proxy.url(), "-c", 5, "-d", 2, "--warmup", 0.5)
        expect(r.rc == 0, f"bench failed: {r.describe()}")
        expect(s["connected"] == 5 and s["errors"] == 0 and s["drops"] == 0 and s["ack_timeouts"] == 0,
               f"clean run expected: {s!r}")
        expect(s["received"] > 0 and s["received"] <= s["sent"], f"counts: {s!r}")
        expect(s["latency_us"]["p50"] >= 60_000, f"p50 below the injected floor of 60 ms: {s['latency_us']!r}")
        expect(s["connect_latency_us"]["p50"] >= 60_000, f"connect p50 below 60 ms: {s['connect_latency_us']!r}")


@check("bandwidth-cap", ["echo"])
def _():
    # 20 kB/s each way and acks of at least 2000 bytes: at most 10 acks per second can come back (plus what
    # fits the cap during the warm-up's backlog, bounded by one more second of it).
    rate, size = 20_000, 2000
    with FaultProxy(SERVERS["echo"].port()) as proxy:
        proxy.set(rate=rate)
        r, s = bench(proxy.url(), "-c", 4, "-d", 2, "--warmup", 0.5, "--payload-size", size)
        expect(r.rc == 0 and s["errors"] == 0, f"bench failed: {r.describe()}")
        cap = rate * (s["duration_s"] + 1) / size
        expect(0 < s["received"] <= cap, f"{s['received']} acks of {size} bytes in {s['duration_s']:.2f}s "
                                          f"through {rate} B/s (at most {cap:.0f}): {s!r}")


# ---- stalls and resets


@check("stall-mid-message", ["echo"])
def _():
    # Every connection stops forwarding 600 bytes into the server's stream: after the handshake (about 300
    # bytes), inside the first ack of 1000+ bytes. Nothing is closed: only the ack timeout can tell.
    with FaultProxy(SERVERS["echo"].port()) as proxy:
        proxy.set(stall_after=600)
        r, s = bench(proxy.url(), "-c", 3, "-d", 1.5, "--warmup", 0, "--payload-size", 1000, "--ack-timeout", "300ms")
        expect(proxy.stalls == 3, f"{proxy.stalls} connections stalled, expected 3")
        expect(s["connected"] == 3 and s["drops"] == 0, f"the stalled connections look open: {s!r}")
        # Each client's first emit times out after 300 ms, then its next one, ...: at least 3 each in 1.5 s.
        expect(s["ack_timeouts"] >= 9 and s["errors"] == s["ack_timeouts"], f"ack timeouts not counted: {s!r}")
        expect(s["received"] == 0 and r.rc == 1, f"nothing can be acked: {r.describe()}")


@check("reset-mid-run", ["echo"])
def _():
    # Every connection reset (RST) once the bench is measuring: each client counts one drop, reconnects within
    # its backoff (at most 1.5 s) and resumes; nothing else is an error.
    with FaultProxy(SERVERS["echo"].port()) as proxy:
        b = Background([checks.SIO, "bench", proxy.url(), "-c", 4, "-d", 4, "--warmup", 0.5, "--json"])
        expect(b.wait_for(lambda: any("conns 4/4" in l for l in b.err), 15), f"not all in: {b.describe()}")
        expect(proxy.reset_all() == 4, "expected 4 connections to reset")
        expect(b.wait_exit(30) == 0, f"bench failed: {b.describe()}")
        s = json.loads(b.out[-1])
        expect(s["drops"] == 4 and s["reconnects"] == 4 and s["connected"] == 4, f"reconnects: {s!r}")
        expect(s["errors"] == 4 and s["ack_timeouts"] == 0 and s["received"] > 0, f"errors: {s!r}")
        expect(proxy.accepted == 8, f"{proxy.accepted} connections through the proxy, expected 4 + 4")


@check("bench-blackout", ["echo"])
def _():
    # A 2 s blackout: every connection reset, then every attempt refused until it heals. The first retry
    # (0.5-1.5 s) mostly falls inside it, the second (1-3 s later) after it: each client counts one drop, its
    # refused attempts are not counted again, and it is back before the window ends.
    with FaultProxy(SERVERS["echo"].port()) as proxy:
        b = Background([checks.SIO, "bench", proxy.url(), "-c", 3, "-d", 7, "--warmup", 0.5, "--json"])
        expect(b.wait_for(lambda: any("conns 3/3" in l for l in b.err), 15), f"not all in: {b.describe()}")
        expect(proxy.blackout(2) == 3, "expected 3 connections to reset")
        expect(b.wait_exit(30) == 0, f"bench failed: {b.describe()}")
        s = json.loads(b.out[-1])
        expect(s["drops"] == 3 and s["reconnects"] == 3 and s["connected"] == 3, f"reconnects: {s!r}")
        expect(s["errors"] == 3 and s["connect_failures"] == 0 and s["ack_timeouts"] == 0, f"errors: {s!r}")
        # Each client's first retry comes within 1.5 s of the drop, inside the blackout.
        expect(proxy.refused >= 3, f"only {proxy.refused} attempts refused during the blackout")


@check("reset-after-bytes", ["echo"])
def _():
    # Each connection reset 600 bytes into the server's stream, mid-ack, again after every reconnect: the bench
    # ends with every drop and every lost ack accounted for, and the server survives the churn.
    with FaultProxy(SERVERS["echo"].port()) as proxy:
        proxy.set(reset_after=600)
        r, s = bench(proxy.url(), "-c", 3, "-d", 3, "--warmup", 0, "--payload-size", 1000)
        expect(s["drops"] >= 3 and s["errors"] == s["drops"] + s["connect_failures"] + s["ack_timeouts"],
               f"drops not counted: {s!r}")
        expect(s["received"] == 0 and s["reconnects"] >= 3, f"reconnects: {s!r}")
        expect(proxy.resets >= s["drops"], f"proxy reset {proxy.resets}, bench saw {s['drops']} drops")


@check("listen-reset-and-blackout", ["broadcast"])
def _():
    with FaultProxy(SERVERS["broadcast"].port()) as proxy:
        proxy.set(latency=0.01)
        lst = listen(proxy.url(), "tick")
        try:
            expect(lst.wait_for(lambda: len(records(lst, "connected")) == 1, 15), f"no connect: {lst.describe()}")
            emit_until_seen(lst, "broadcast", "tick", "first")
            # A reset: one more connect record, then events again.
            proxy.reset_all()
            expect(lst.wait_for(lambda: len(records(lst, "connected")) == 2, 5 + RECONNECT_MAX_S),
                   f"no reconnect after a reset: {lst.describe()}")
            emit_until_seen(lst, "broadcast", "tick", "after-reset")
            # A 5 s blackout: attempts refused meanwhile; back within one backoff delay of the heal.
            proxy.blackout(5)
            expect(lst.wait_for(lambda: len(records(lst, "connected")) == 3, 5 + RECONNECT_MAX_S + 5),
                   f"no reconnect after a 5 s blackout: {lst.describe()}")
            expect(proxy.refused >= 1, "no attempt was refused during the blackout")
            emit_until_seen(lst, "broadcast", "tick", "after-blackout")
            expect(lst.proc.poll() is None, f"listen exited: {lst.describe()}")
            reconnecting = [l for l in lst.err if "reconnect" in l]
            expect(reconnecting, f"no reconnection status on stderr: {lst.describe()}")
        finally:
            lst.stop()


# ---- a server restart under load


@check("serve-restart", [])
def _():
    port = checks.free_port()
    argv = [checks.SIO, "serve", "--port", port, "--json", "-q", "--mode", "broadcast"]
    server = Background(argv)
    url = f"http://127.0.0.1:{port}"
    b = lst = None
    try:
        expect(server.wait_for(lambda: any(checks.listening_record(l) for l in server.out), 15),
               f"serve did not start: {server.describe()}")
        lst = listen(url, "tick")
        b = Background([checks.SIO, "bench", url, "-c", 6, "-d", 5, "--warmup", 0.5, "--json"])
        expect(b.wait_for(lambda: any("conns 6/6" in l for l in b.err), 15), f"not all in: {b.describe()}")
        expect(lst.wait_for(lambda: len(records(lst, "connected")) == 1, 10), f"listen: {lst.describe()}")
        server.proc.kill()
        server.wait_exit(5)
        server = Background(argv)
        expect(server.wait_for(lambda: any(checks.listening_record(l) for l in server.out), 15),
               f"serve did not restart on port {port}: {server.describe()}")
        expect(lst.wait_for(lambda: len(records(lst, "connected")) == 2, 10 + RECONNECT_MAX_S),
               f"listen did not reconnect after the restart: {lst.describe()}")
        expect(b.wait_exit(30) == 0, f"bench failed: {b.describe()}")
        s = json.loads(b.out[-1])
        # Every bench client dropped once and came back (first backoff delay: at most 1.5 s).
        expect(s["drops"] == 6 and s["reconnects"] == 6 and s["connected"] == 6, f"after the restart: {s!r}")
        expect(s["errors"] == 6 and s["received"] > 0, f"errors: {s!r}")
        r = run_sio(["emit", url, "health", '"check"', "--ack", "--timeout", "10s"], timeout=20)
        expect(r.rc == 0 and r.out.strip() == '["check"]', f"restarted server unhealthy: {r.describe()}")
    finally:
        for p in (b, lst):
            if p is not None:
                p.stop()
        server.stop()


if __name__ == "__main__":
    sys.exit(checks.main("faults_test", __doc__, setup=lambda: None, start=start, teardown=teardown,
                         after_check=healthy))
