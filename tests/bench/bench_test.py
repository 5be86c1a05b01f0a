#!/usr/bin/python3
"""Black-box checks of `sio bench` (the load generator) against real servers.

    /usr/bin/python3 tests/bench/bench_test.py --sio PATH [--only NAME[,NAME...]] [--list] [-v]

Servers, each started here on 127.0.0.1 with a port the OS picks (read from its `listening on` line on
stderr, bounded wait) and stopped with SIGTERM at the end (each must then exit 0):
  * `sio serve --port 0 -q` in echo and broadcast modes and with a 200 ms heartbeat, and `sio serve --port 0
    --json`, whose NDJSON log of connects, events and disconnects shows what the bench really sent (namespace,
    auth, event, payload, source address) and whether it closed its sessions;
  * tests/interop/reference_server.js (npm socket.io 4.8.4) in echo and broadcast modes;
  * tests/client/node_server.js (npm socket.io 4.8.4): its /private namespace refuses any auth but
    {"token":"ok"}, and a second instance on https with a self-signed certificate made by the openssl CLI;
  * per check: a fresh `sio serve` killed with SIGKILL mid-run (drop detection), and listeners written here
    (one that never answers, one that records the HTTP request head and closes).
Every bench run is short (a fraction of a second to ~3 s, a few clients). Figures are checked for internal
consistency (sent/received/in flight, percentile order, counts), never against performance thresholds.

--only takes check names, name prefixes (`node-`) or globs (`*-echo`), comma-separated. Prints `ok NAME` or
`FAIL NAME: reason` per check, then `N passed, M failed`; exits 0 iff every check passed (2 on a usage
error). Every wait is bounded; no sleep is used to wait for anything.

Needs: node (>= 18) with tests/interop/node_modules installed (`npm ci` there) and openssl (TLS checks).
"""
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TESTS, "support"))
import checks  # noqa: E402  (tests/support/checks.py: the registry, processes and main loop shared with client_test)
from checks import CheckFailed, Server, check, expect, free_port, run_sio, short, sio_serve  # noqa: E402

REFERENCE_SERVER = os.path.join(TESTS, "interop", "reference_server.js")
NODE_SERVER = os.path.join(TESTS, "client", "node_server.js")

# Short runs: a fraction of a second of load, a few clients.
QUICK = ["-d", "0.4", "--warmup", "0.1"]
PERCENTILES = ("p50", "p90", "p99", "p999", "max")
SUMMARY_KEYS = ("scenario", "url", "urls", "transport", "clients", "connected", "threads", "duration_s", "sent", "received",
                "errors", "drops", "connect_failures", "ack_timeouts", "reconnects", "in_flight", "throughput",
                "latency_us", "connect_latency_us", "generator_cpu_s", "generator_cores", "generator_cpu_percent",
                "throughput_per_core", "payload_size", "interrupted")
TEXT_PREFIXES = ("scenario ", "window ", "messages ", "latency ", "connect ", "errors ", "generator ")
GENERATOR_BOUND = "sio bench: the generator was CPU-bound ("


# --------------------------------------------------------------------------------------------------------------
# Processes


class Result(checks.Result):
    """A finished sio run, with the bench's accessors: blank lines do not count, the summary is the last line."""
    STDOUT_LIMIT = 700

    def lines(self):
        return [l for l in self.out.splitlines() if l.strip()]

    def err_lines(self):
        """stderr's lines but the generator-bound warning, which depends on the machine's load (summary_ok checks
        it against the summary)."""
        return [l for l in self.err.splitlines() if l.strip() and not l.startswith(GENERATOR_BOUND)]

    def summary(self):
        """The last stdout line as a JSON object (the --json summary)."""
        lines = self.lines()
        expect(lines, f"no stdout; {self.describe()}")
        try:
            s = json.loads(lines[-1])
        except ValueError:
            raise CheckFailed(f"last stdout line is not JSON; {self.describe()}")
        expect(isinstance(s, dict), f"last stdout line is not a JSON object; {self.describe()}")
        return s


def sio(*argv, timeout=30):
    return run_sio(argv, timeout, result_type=Result)


def bench(url, *args, timeout=40):
    return sio("bench", url, *args, timeout=timeout)


class Background(checks.Background):
    """A bench run in the background (signalled mid-run); result() once it has exited."""

    def result(self):
        with self.cond:
            return Result(self.argv[1:], self.proc.returncode, "\n".join(self.out) + "\n", "\n".join(self.err) + "\n",
                          time.monotonic() - self.start_time)


class Listener:
    """A TCP listener on 127.0.0.1 run by a thread here. mode 'silent': accepts, reads, never answers (until
    closed); mode 'capture': records each connection's HTTP request head, then closes the connection."""

    def __init__(self, mode):
        self.mode = mode
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.heads = []
        self.conns = []
        self.cond = threading.Condition()
        self.done = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.done:
            try:
                c, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            if self.mode == "silent":
                self.conns.append(c)
                continue
            c.settimeout(5)
            head = b""
            try:
                while b"\r\n\r\n" not in head and len(head) < 65536:
                    chunk = c.recv(65536)
                    if not chunk:
                        break
                    head += chunk
            except OSError:
                pass
            c.close()
            with self.cond:
                self.heads.append(head.split(b"\r\n\r\n")[0].decode("latin-1"))
                self.cond.notify_all()

    def wait_heads(self, n, timeout):
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.heads) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.cond.wait(left)
            return True

    def close(self):
        self.done = True
        self.thread.join(2)
        self.sock.close()
        for c in self.conns:
            c.close()


# --------------------------------------------------------------------------------------------------------------
# Servers


class Servers:
    def __init__(self):
        self.all = {}

    def init(self):
        ref = ["node", REFERENCE_SERVER, "--port", "0"]
        self.all = {
            "serve": sio_serve("sio serve (echo)"),
            "serve_bc": sio_serve("sio serve (broadcast)", "--mode", "broadcast"),
            "serve_log": sio_serve("sio serve --json", log=True),
            "serve_ping": sio_serve("sio serve (200 ms heartbeat)", "--ping-interval", "200ms",
                                    "--ping-timeout", "200ms"),
            "node": Server("node reference (echo)", ref),
            "node_bc": Server("node reference (broadcast)", ref + ["--mode", "broadcast"]),
            "node_auth": Server("node_server.js", ["node", NODE_SERVER], r"listening on (\d+)"),
        }

    def tls(self):
        if "node_tls" not in self.all:
            d = os.path.join(checks.TMP, "tls")
            os.makedirs(d, exist_ok=True)
            r = subprocess.run(
                ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", os.path.join(d, "key.pem"), "-out", os.path.join(d, "cert.pem"), "-days", "2",
                 "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                capture_output=True, timeout=30)
            if r.returncode != 0:
                raise CheckFailed(f"openssl failed: {short(r.stderr)}")
            self.all["node_tls"] = Server("node_server.js https", [
                "node", NODE_SERVER, "--cert", os.path.join(d, "cert.pem"), "--key", os.path.join(d, "key.pem")],
                r"listening on (\d+)")
        return self.all["node_tls"]

    def __getattr__(self, name):
        if name == "node_tls":
            return self.tls()
        try:
            return self.__dict__["all"][name]
        except KeyError:
            raise AttributeError(name)

    def start(self, names):
        for n in names:
            (self.tls() if n == "node_tls" else self.all[n]).start()

    def stop_all(self):
        """Stops every server with SIGTERM; returns [(name, why)] for those that died early or exited badly."""
        bad = []
        for key, server in self.all.items():
            if server.proc is None:
                continue
            died = server.proc.proc.poll()
            code = server.stop_code = server.proc.stop()
            if died is not None:
                bad.append((key, f"died during the run (status {died}): {server.proc.describe()}"))
            elif code != 0:
                bad.append((key, f"exit {code} on SIGTERM: {server.proc.describe()}"))
        return bad


SERVERS = Servers()


# --------------------------------------------------------------------------------------------------------------
# Summary checks


def no_json_on_stderr(r):
    for line in r.err_lines():
        if line.lstrip().startswith("{"):
            raise CheckFailed(f"JSON on stderr: {line!r}; {r.describe()}")


def check_histogram(s, key, r):
    h = s.get(key)
    expect(isinstance(h, dict), f"{key} is not an object; {r.describe()}")
    for p in PERCENTILES + ("count",):
        expect(isinstance(h.get(p), (int, float)) and not isinstance(h.get(p), bool),
               f"{key}.{p} missing or not a number: {h!r}")
    values = [h[p] for p in PERCENTILES]
    expect(all(v >= 0 for v in values), f"{key}: negative value {h!r}")
    expect(values == sorted(values), f"{key}: percentiles not in order p50<=p90<=p99<=p999<=max: {h!r}")
    if h["count"] > 0:
        expect(h["max"] > 0, f"{key}: count {h['count']} but max 0: {h!r}")
    else:
        expect(all(v == 0 for v in values), f"{key}: count 0 but values {h!r}")
    return h


def check_generator_figures(s, r):
    """The generator's CPU share: plausible, consistent with generator_cpu_s, and warned about iff >= 90 %."""
    cores = s["generator_cores"]
    expect(cores == min(s["threads"], len(os.sched_getaffinity(0))),
           f"generator_cores {cores} for {s['threads']} thread(s) on {len(os.sched_getaffinity(0))} CPU(s): {s!r}")
    pct = s["generator_cpu_percent"]
    expect(isinstance(pct, (int, float)) and 0 <= pct <= 150, f"generator_cpu_percent {pct!r} is implausible: {s!r}")
    want = 100 * s["generator_cpu_s"] / (s["duration_s"] * cores) if s["duration_s"] > 0 else 0
    expect(abs(pct - want) <= 0.05 + 1e-9, f"generator_cpu_percent {pct} != 100 x cpu / (duration x cores) = {want}")
    warned = [l for l in r.err.splitlines() if l.startswith(GENERATOR_BOUND)]
    expect(len(warned) == (1 if pct >= 90 else 0), f"generator_cpu_percent {pct} and warnings {warned!r}")
    if warned:
        shown = min(100, pct)
        expect(warned[0].startswith(f"{GENERATOR_BOUND}{shown:.0f} % of {cores} core"),
               f"the warning does not say {shown:.0f} % of {cores} core(s): {warned[0]!r}")


def summary_ok(r, scenario, clients, transport="websocket", duration=0.4, rc=0):
    """Common checks of a finished --json run; returns the summary."""
    expect(r.rc == rc, f"expected exit {rc}; {r.describe()}")
    expect(len(r.lines()) == 1, f"expected one stdout line (the summary); {r.describe()}")
    s = r.summary()
    missing = [k for k in SUMMARY_KEYS if k not in s]
    expect(not missing, f"summary lacks {missing}: {s!r}")
    no_json_on_stderr(r)
    expect(s["scenario"] == scenario, f"scenario {s['scenario']!r}, expected {scenario!r}")
    expect(s["clients"] == clients, f"clients {s['clients']}, expected {clients}: {s!r}")
    expect(s["transport"] == transport, f"transport {s['transport']!r}, expected {transport!r}")
    expect(s["interrupted"] is False, f"interrupted is {s['interrupted']!r}: {s!r}")
    for k in ("sent", "received", "errors", "drops", "connect_failures", "connected", "in_flight"):
        expect(isinstance(s[k], int) and s[k] >= 0, f"{k} is not a non-negative integer: {s!r}")
    # The window really lasted (at least) what was asked; the upper bound only catches a hang. duration None:
    # nobody connected, the window may be skipped.
    if duration is not None:
        expect(duration * 0.98 <= s["duration_s"] <= duration + 20,
               f"duration_s {s['duration_s']} for -d {duration}: {s!r}")
    expect(s["duration_s"] >= 0, f"negative duration_s: {s!r}")
    want = s["received"] / s["duration_s"] if s["duration_s"] > 0 else 0
    expect(math.isclose(s["throughput"], want, rel_tol=1e-6, abs_tol=1e-9),
           f"throughput {s['throughput']} != received/duration_s: {s!r}")
    lat = check_histogram(s, "latency_us", r)
    con = check_histogram(s, "connect_latency_us", r)
    check_generator_figures(s, r)
    if scenario in ("echo", "broadcast"):
        expect(lat["count"] == s["received"], f"latency_us.count {lat['count']} != received {s['received']}")
    return s, lat, con


def healthy(s, clients, what=""):
    """No errors, every client connected and still connected."""
    expect(s["errors"] == 0 and s["drops"] == 0 and s["connect_failures"] == 0,
           f"{what}errors/drops/connect_failures: {s!r}")
    expect(s["connected"] == clients, f"{what}connected {s['connected']}, expected {clients}: {s!r}")
    expect(s["connect_latency_us"]["count"] == clients,
           f"{what}connect_latency_us.count {s['connect_latency_us']['count']}, expected {clients}: {s!r}")


def echo_closed_loop(r, clients, transport="websocket", pipeline=1, duration=0.4):
    s, lat, _ = summary_ok(r, "echo", clients, transport, duration)
    healthy(s, clients)
    expect(s["received"] > 0 and s["throughput"] > 0, f"nothing received: {s!r}")
    expect(lat["p50"] > 0, f"p50 is 0 with {s['received']} received: {s!r}")
    # Closed loop: each client always has `pipeline` emits in flight, so what was sent in the window and not
    # acknowledged in it is at most clients*pipeline.
    gap = s["sent"] - s["received"]
    expect(0 <= gap <= clients * pipeline,
           f"sent - received = {gap}, expected 0..{clients * pipeline} (clients x pipeline): {s!r}")
    return s


# --------------------------------------------------------------------------------------------------------------
# Checks


def transport_args(t):
    return [] if t == "websocket" else ["--transport", t]


# ---- echo, per server and transport

for _srv in ("serve", "node"):
    for _t in ("websocket", "polling", "upgrade"):
        def _echo(srv, t):
            @check(f"{srv}-{t}-echo", [srv])
            def _():
                r = bench(getattr(SERVERS, srv).url(), "-c", 3, *QUICK, "--json", *transport_args(t))
                echo_closed_loop(r, 3, t)
        _echo(_srv, _t)


@check("serve-echo-text", ["serve"])
def _():
    r = bench(SERVERS.serve.url(), "-c", 2, *QUICK)
    expect(r.rc == 0, f"expected exit 0; {r.describe()}")
    lines = r.lines()
    expect(len(lines) == len(TEXT_PREFIXES) and all(l.startswith(p) for l, p in zip(lines, TEXT_PREFIXES)),
           f"expected the human summary ({', '.join(p.strip() for p in TEXT_PREFIXES)}); {r.describe()}")
    expect(not any(l.lstrip().startswith("{") for l in lines), f"JSON on stdout without --json; {r.describe()}")
    expect(lines[0].startswith("scenario    echo (websocket), 2 clients, 2 connected"), f"first line; {r.describe()}")
    m = re.match(r"messages +(\d+) sent, (\d+) received, (\d+) msg/s$", lines[2])
    expect(m and int(m.group(2)) > 0, f"messages line; {r.describe()}")
    expect(re.match(r"errors +0 \(0 connect failures, 0 drops, 0 ack timeouts\), 0 reconnects$", lines[5]),
           f"errors line; {r.describe()}")
    expect(re.match(r"generator +[0-9.]+ CPU s \([0-9]+ % of 1 core\), [0-9]+ msg per CPU second$", lines[6]),
           f"generator line; {r.describe()}")
    no_json_on_stderr(r)


# ---- open loop, pipeline, namespace, auth, payload

for _srv in ("serve", "node"):
    def _open(srv):
        @check(f"{srv}-rate", [srv])
        def _():
            rate, clients, duration = 40, 2, 1.0
            r = bench(getattr(SERVERS, srv).url(), "-c", clients, "--rate", rate, "-d", duration, "--warmup", "0.2",
                      "--json")
            s, _, _ = summary_ok(r, "echo", clients, duration=duration)
            healthy(s, clients)
            want = rate * clients * duration
            expect(0.5 * want <= s["sent"] <= 1.5 * want, f"sent {s['sent']}, expected about {want:.0f}: {s!r}")
            expect(s.get("rate") == rate, f"rate {s.get('rate')!r} in the summary: {s!r}")
            expect(0 < s["received"] <= s["sent"], f"received {s['received']} vs sent {s['sent']}: {s!r}")
            expect(s["sent"] - s["received"] <= max(clients * 3, s["sent"] // 4),
                   f"many emits of the window not acknowledged in it: {s!r}")
    _open(_srv)


@check("serve-pipeline", ["serve"])
def _():
    r = bench(SERVERS.serve.url(), "-c", 2, "--pipeline", 4, *QUICK, "--json")
    s = echo_closed_loop(r, 2, pipeline=4)
    # At the end of the window every client has exactly 4 emits in flight, all sent during the window.
    expect(s["sent"] - s["received"] == 8,
           f"sent - received = {s['sent'] - s['received']}, expected 8 (2 clients x pipeline 4): {s!r}")


@check("node-nsp-auth-payload-pipeline", ["node"])
def _():
    r = bench(SERVERS.node.url("/custom"), "-c", 2, "--pipeline", 4, "--auth", '{"a":1}', "--payload-size", 1000,
              *QUICK, "--json")
    s = echo_closed_loop(r, 2, pipeline=4)
    expect(s["payload_size"] == 1000 and s["url"].endswith("/custom"), f"payload_size/url: {s!r}")


def log_since(server, start, kind):
    with server.proc.cond:
        lines = server.proc.out[start:]
    return checks.records_of(lines, kind)


def bench_logged(clients, bench_args, nsp="", wait_disconnects=0, want_events=False):
    """Runs the bench against `sio serve --json`; returns (result, connects, events, disconnects) of this run's
    sockets. With wait_disconnects, waits up to that many seconds after the bench ended until the server has
    logged the disconnect of every socket of the run."""
    server = SERVERS.serve_log
    url = server.url(nsp)
    with server.proc.cond:
        start = len(server.proc.out)
    r = bench(url, "-c", clients, *bench_args, "--json")
    # The server logged all this before the bench ended; its stdout may still be on its way to us.
    server.proc.wait_for(lambda: len(log_since(server, start, "connect")) >= clients, 5)
    connects = log_since(server, start, "connect")
    expect(len(connects) == clients, f"the server logged {len(connects)} connects, expected {clients}; "
                                     f"{r.describe()}")
    sids = {c["sid"] for c in connects}

    def ours(kind):
        return [e for e in log_since(server, start, kind) if e.get("sid") in sids]

    if want_events:
        server.proc.wait_for(lambda: ours("event"), 5)
    if wait_disconnects:
        server.proc.wait_for(lambda: len(ours("disconnect")) >= len(sids), wait_disconnects)
    return r, connects, ours("event"), ours("disconnect")


for _t in ("websocket", "polling"):
    def _logged(t):
        @check(f"serve-{t}-nsp-auth-event-payload", ["serve_log"])
        def _():
            r, connects, events, _ = bench_logged(2, ["--rate", 5, "-d", "0.4", "--warmup", "0", "--auth", '{"a":1}',
                                                   "--payload-size", 1000, "--event", 'ev "x"',
                                                   *transport_args(t)], "/admin", want_events=True)
            s, _, _ = summary_ok(r, "echo", 2, t, 0.4)
            healthy(s, 2)
            for c in connects:
                expect(c.get("nsp") == "/admin" and c.get("auth") == {"a": 1} and c.get("transport") == t,
                       f"server saw connect {c!r}, expected nsp /admin, auth {{\"a\":1}}, transport {t}")
            ours = events
            expect(ours, f"the server logged no event from the bench's sockets; {r.describe()}")
            for e in ours:
                expect(e.get("nsp") == "/admin" and e.get("event") == 'ev "x"' and e.get("args") == ["x" * 1000]
                       and isinstance(e.get("ack"), int),
                       f"server saw event {short(json.dumps(e), 200)}, expected event 'ev \"x\"', args [1000 x "
                       f"'x'], with an ack id")
    _logged(_t)


for _t in ("websocket", "polling", "upgrade"):
    def _leave(t):
        @check(f"serve-{t}-leaves-cleanly", ["serve_log"])
        def _():
            # Closed loop, so that the clients are busy when the bench stops. The server's ping timeout is
            # 45 s: a session the bench abandons instead of closing stays on the server long after 5 s.
            clients = 8
            r, connects, _, gone = bench_logged(clients, ["-d", "0.3", "--warmup", "0", "--pipeline", 2,
                                                          *transport_args(t)], wait_disconnects=5)
            s, _, _ = summary_ok(r, "echo", clients, t, 0.3)
            healthy(s, clients)
            left = sorted({c["sid"] for c in connects} - {d["sid"] for d in gone})
            expect(not left, f"5 s after the bench exited, the server still had {len(left)} of its {clients} "
                             f"sessions (no close from the bench): {left}; disconnects seen: "
                             f"{[(d['sid'], d.get('reason')) for d in gone]}")
    _leave(_t)


# ---- broadcast

for _srv in ("serve_bc", "node_bc"):
    def _bc(srv):
        name = "serve" if srv == "serve_bc" else "node"

        @check(f"{name}-broadcast-closed", [srv])
        def _():
            clients = 3
            r = bench(getattr(SERVERS, srv).url(), "-s", "broadcast", "-c", clients, "--senders", 1, *QUICK, "--json")
            s, lat, _ = summary_ok(r, "broadcast", clients)
            healthy(s, clients)
            expect(s.get("senders") == 1, f"senders {s.get('senders')!r}: {s!r}")
            expect(s["sent"] > 0 and s["received"] >= s["sent"], f"received < sent: {s!r}")
            # every emit reaches every client, the sender included; the last few may still be on their way
            expect(s["received"] <= s["sent"] * clients, f"received {s['received']} > sent x clients: {s!r}")
            expect(s["received"] >= s["sent"] * clients // 2,
                   f"received {s['received']}, expected about sent x clients = {s['sent'] * clients}: {s!r}")
            expect(lat["count"] == s["received"] and lat["p50"] > 0, f"latency: {s!r}")
    _bc(_srv)


@check("serve-broadcast-rate", ["serve_bc"])
def _():
    clients, rate, duration = 3, 60, 1.0
    r = bench(SERVERS.serve_bc.url(), "-s", "broadcast", "-c", clients, "--senders", 2, "--rate", rate,
              "-d", duration, "--warmup", "0.2", "--json")
    s, lat, _ = summary_ok(r, "broadcast", clients, duration=duration)
    healthy(s, clients)
    expect(0.5 * rate * duration <= s["sent"] <= 1.5 * rate * duration,
           f"sent {s['sent']}, expected about {rate * duration:.0f} (--rate is the total over the senders): {s!r}")
    expect(s["sent"] * clients // 2 <= s["received"] <= s["sent"] * clients,
           f"received {s['received']}, expected about sent x clients = {s['sent'] * clients}: {s!r}")


@check("serve-broadcast-polling", ["serve_bc"])
def _():
    r = bench(SERVERS.serve_bc.url(), "-s", "broadcast", "-c", 2, *QUICK, "--json", "--transport", "polling")
    s, _, _ = summary_ok(r, "broadcast", 2, "polling")
    healthy(s, 2)
    expect(s["sent"] > 0 and s["sent"] <= s["received"] <= 2 * s["sent"], f"sent/received: {s!r}")


# ---- connect

for _srv, _t, _rate, _d in (("serve", "websocket", 50, 1.0), ("serve", "polling", 40, 0.5),
                            ("node", "websocket", 40, 0.5)):
    def _conn(srv, t, rate, d):
        @check(f"{srv}-{t}-connect", [srv])
        def _():
            r = bench(getattr(SERVERS, srv).url(), "-s", "connect", "--connect-rate", rate, "-d", d, "--json",
                      *transport_args(t))
            total = math.ceil(rate * d)
            s, lat, con = summary_ok(r, "connect", total, t, d)
            expect(s["errors"] == 0 and s["connect_failures"] == 0 and s["drops"] == 0, f"errors: {s!r}")
            expect(s["received"] == total, f"received {s['received']}, expected {total} connects: {s!r}")
            expect(s["sent"] == s["received"],
                   f"sent {s['sent']} != received {s['received']} ({total} connections attempted, all made): {s!r}")
            expect(con["count"] == s["received"], f"connect_latency_us.count != received: {s!r}")
            expect(lat == con, f"latency_us should be the connect latency in this scenario: {s!r}")
            expect(s["connected"] == 0, f"connected {s['connected']}: each client leaves once connected: {s!r}")
    _conn(_srv, _t, _rate, _d)


@check("serve-connect-threads", ["serve"])
def _():
    r = bench(SERVERS.serve.url(), "-s", "connect", "--connect-rate", 25, "-d", "0.4", "-t", 2, "--json")
    s, _, _ = summary_ok(r, "connect", 10)
    expect(s["threads"] == 2 and s["errors"] == 0 and s["received"] == 10, f"threads/errors/received: {s!r}")
    expect(s["sent"] == 10, f"sent {s['sent']}, expected 10 connection attempts with 2 threads: {s!r}")


# ---- idle and drops

for _srv in ("serve", "node"):
    def _idle(srv):
        @check(f"{srv}-idle", [srv])
        def _():
            r = bench(getattr(SERVERS, srv).url(), "-s", "idle", "-c", 5, "-d", "0.4", "--warmup", "0", "--json")
            s, _, _ = summary_ok(r, "idle", 5)
            healthy(s, 5)
            expect(s["sent"] == 0 and s["received"] == 0 and s["throughput"] == 0, f"messages in idle: {s!r}")
    _idle(_srv)


for _t in ("websocket", "polling"):
    def _heartbeat(t):
        @check(f"serve-{t}-idle-heartbeat", ["serve_ping"])
        def _():
            # The server pings every 200 ms and drops a client that does not answer within 200 ms.
            r = bench(SERVERS.serve_ping.url(), "-s", "idle", "-c", 3, "-d", "0.8", "--warmup", "0", "--json",
                      *transport_args(t))
            s, _, _ = summary_ok(r, "idle", 3, t, 0.8)
            healthy(s, 3, "idle clients must answer the server's pings: ")
    _heartbeat(_t)


@check("serve-idle-drop", [])
def _():
    # A server of its own, killed (SIGKILL) once it has logged every connect and the bench has reported progress.
    server = sio_serve("sio serve (to kill)", log=True)
    server.start()
    b = None
    try:
        url = server.url()
        b = Background([checks.SIO, "bench", url, "-s", "idle", "-c", 3, "-d", 3, "--warmup", 0, "--json"])
        expect(server.proc.wait_for(lambda: sum('"type":"connect"' in l for l in server.proc.out) >= 3, 15),
               f"the server never logged 3 connects: {server.proc.describe()}; bench {b.describe()}")
        expect(b.wait_for(lambda: any(l.startswith("sio bench idle") for l in b.err), 15),
               f"no progress line from the bench: {b.describe()}")
        server.proc.proc.kill()
        server.proc.wait_exit(5)
        rc = b.wait_exit(20)
        expect(rc is not None, f"the bench did not end: {b.describe()}")
        r = b.result()
        s, _, _ = summary_ok(r, "idle", 3, duration=3)
        expect(s["drops"] >= 1 and s["errors"] >= s["drops"], f"drops not detected: {s!r}")
        expect(s["drops"] == 3, f"drops {s['drops']}, expected 3 (all connected before the kill): {s!r}")
        expect(s["connected"] == 0, f"connected {s['connected']} after the server died: {s!r}")
    finally:
        if b is not None:
            b.stop()
        server.proc.stop()


# ---- --fail-if

@check("serve-fail-if-holds", ["serve"])
def _():
    r = bench(SERVERS.serve.url(), "-c", 2, *QUICK, "--json", "--fail-if", "p50>0ns", "--fail-if", "errors>0")
    s, _, _ = summary_ok(r, "echo", 2, rc=1)
    healthy(s, 2)
    lines = [l for l in r.err_lines() if "fail-if" in l]
    expect(len(lines) == 1 and "p50>0ns" in lines[0], f"expected one stderr line naming p50>0ns; {r.describe()}")


@check("serve-fail-if-not-holding", ["serve"])
def _():
    r = bench(SERVERS.serve.url(), "-c", 2, *QUICK, "--json", "--fail-if", "errors>0", "--fail-if", "p99>1000s",
              "--fail-if", "connected<2", "--fail-if", "throughput<=0")
    s, _, _ = summary_ok(r, "echo", 2, rc=0)
    expect(not any("fail-if" in l for l in r.err_lines()), f"a fail-if line on stderr; {r.describe()}")


@check("serve-fail-if-idle-throughput", ["serve"])
def _():
    r = bench(SERVERS.serve.url(), "-s", "idle", "-c", 2, "-d", "0.3", "--warmup", "0", "--json",
              "--fail-if", "throughput<1")
    s, _, _ = summary_ok(r, "idle", 2, duration=0.3, rc=1)
    healthy(s, 2)
    expect(any("throughput<1" in l for l in r.err_lines()), f"no stderr line naming throughput<1; {r.describe()}")


for _cond in ("foo>1", "p99>3parsecs", "errors>1ms", "p99", "p99>-1ms", ">5"):
    def _bad(cond):
        @check(f"fail-if-usage-{cond}")
        def _():
            r = bench(f"http://127.0.0.1:{free_port()}", "-c", 1, "-d", "0.2", "--fail-if", cond, "--json")
            expect(r.rc == 2, f"expected exit 2; {r.describe()}")
            expect(r.out == "", f"expected no stdout; {r.describe()}")
            expect(len(r.err_lines()) == 1 and "--fail-if" in r.err, f"expected one stderr line; {r.describe()}")
    _bad(_cond)


@check("serve-fail-if-before-url", ["serve"])
def _():
    # one condition per --fail-if: the positional URL after it stays the URL
    r = sio("bench", "--fail-if", "errors>0", SERVERS.serve.url(), "-c", 1, "-d", "0.3", "--warmup", "0", "--json")
    s, _, _ = summary_ok(r, "echo", 1, duration=0.3)
    healthy(s, 1)


# ---- failures to connect

for _t in ("websocket", "polling"):
    def _noserver(t):
        @check(f"no-server-{t}")
        def _():
            r = bench(f"http://127.0.0.1:{free_port()}", "-c", 3, "-d", "0.3", "--warmup", "0", "--json",
                      *transport_args(t))
            s, _, _ = summary_ok(r, "echo", 3, t, None, rc=1)
            expect(s["errors"] == 3 and s["connect_failures"] == 3 and s["connected"] == 0 and s["sent"] == 0,
                   f"expected errors == connect_failures == clients == 3: {s!r}")
            expect(any("no client could connect" in l for l in r.err_lines()), f"stderr; {r.describe()}")
    _noserver(_t)


@check("connect-timeout")
def _():
    silent = Listener("silent")
    try:
        r = bench(f"http://127.0.0.1:{silent.port}", "-c", 2, "-d", "0.2", "--warmup", "0", "--connect-timeout",
                  "0.5", "--json")
    finally:
        silent.close()
    s, _, _ = summary_ok(r, "echo", 2, duration=None, rc=1)
    expect(s["connect_failures"] == 2 and s["errors"] == 2 and s["connected"] == 0, f"expected 2 timeouts: {s!r}")
    expect(any("no client could connect" in l for l in r.err_lines()), f"stderr; {r.describe()}")


@check("node-auth-accepted", ["node_auth"])
def _():
    r = bench(SERVERS.node_auth.url("/private"), "-c", 2, *QUICK, "--auth", '{"token":"ok"}', "--json")
    echo_closed_loop(r, 2)


@check("node-auth-refused", ["node_auth"])
def _():
    r = bench(SERVERS.node_auth.url("/private"), "-c", 2, "-d", "0.2", "--warmup", "0", "--auth",
              '{"token":"bad"}', "--json")
    s, _, _ = summary_ok(r, "echo", 2, duration=None, rc=1)
    expect(s["connect_failures"] == 2 and s["errors"] == 2 and s["connected"] == 0,
           f"expected 2 refused connects: {s!r}")
    expect(any("no client could connect" in l for l in r.err_lines()), f"stderr; {r.describe()}")


@check("node-tls", ["node_tls"])
def _():
    ca = os.path.join(checks.TMP, "tls", "cert.pem")
    r = bench(SERVERS.node_tls.url(scheme="https"), "-c", 2, *QUICK, "--ca", ca, "--json")
    echo_closed_loop(r, 2)


@check("node-tls-unverified", ["node_tls"])
def _():
    r = bench(SERVERS.node_tls.url(scheme="https"), "-c", 2, "-d", "0.2", "--warmup", "0", "--json")
    s, _, _ = summary_ok(r, "echo", 2, duration=None, rc=1)
    expect(s["connect_failures"] == 2, f"a self-signed certificate was accepted without --ca: {s!r}")


# ---- what the default (lean WebSocket) path puts on the wire, compared with polling

for _t in ("websocket", "polling"):
    def _wire(t):
        def capture():
            cap = Listener("capture")
            try:
                r = bench(f"http://127.0.0.1:{cap.port}/admin?x=1", "-c", 1, "-d", "0.2", "--warmup", "0",
                          "--connect-timeout", "2", "-H", "X-Bench-Test: abc", "--query", "q=a b&c", "--json",
                          *transport_args(t))
                expect(cap.wait_heads(1, 5), f"no request reached the listener; {r.describe()}")
            finally:
                cap.close()
            expect(r.rc == 1, f"expected exit 1 (the listener closes); {r.describe()}")
            return cap.heads[0]

        @check(f"{t}-wire-header")
        def _():
            head = capture()
            headers = [l.lower() for l in head.split("\r\n")[1:]]
            expect("x-bench-test: abc" in headers, f"-H 'X-Bench-Test: abc' not sent; request head {head!r}")

        @check(f"{t}-wire-query")
        def _():
            head = capture()
            parts = head.split("\r\n")[0].split(" ")
            expect(len(parts) == 3 and parts[0] == "GET" and parts[2] == "HTTP/1.1",
                   f"malformed request line (unencoded --query value?): {head.splitlines()[0]!r}")
            target = urllib.parse.urlsplit(parts[1])
            q = urllib.parse.parse_qs(target.query)
            expect(target.path == "/socket.io/" and q.get("EIO") == ["4"] and q.get("transport") == [t],
                   f"request target {parts[1]!r}")
            expect(q.get("x") == ["1"], f"the URL's query x=1 missing from {parts[1]!r}")
            expect(q.get("q") == ["a b&c"], f"--query 'q=a b&c' arrived as {q.get('q')!r} in {parts[1]!r}")
    _wire(_t)


# ---- report, source addresses, threads

@check("serve-report", ["serve"])
def _():
    path = os.path.join(checks.TMP, "report.html")
    r = bench(SERVERS.serve.url(), "-c", 2, "-d", "1.2", "--warmup", "0", "--json", "--report", path)
    s = echo_closed_loop(r, 2, duration=1.2)
    expect(os.path.exists(path), f"no report written; {r.describe()}")
    with open(path, encoding="utf-8") as f:
        html = f.read()
    expect("<svg" in html and "<polyline" in html, f"no <svg>/<polyline> in the report: {short(html)}")
    expect("<script" not in html.lower(), "the report contains <script")
    points = re.findall(r"<polyline[^>]*points='([^']*)'", html)
    expect(points and any(p.strip() for p in points), f"every polyline is empty: {short(html, 1000)}")
    expect(html.rstrip().endswith("</html>"), "the report does not end with </html>")
    # Axis labels short enough for the 54 px left of the plot: a number with an SI prefix, no unit.
    ylabels = re.findall(r"class='a y'[^>]*>([^<]*)<", html)
    expect(len(ylabels) >= 9, f"expected >= 3 y labels per chart, got {ylabels!r}")
    bad = [l for l in ylabels if not re.fullmatch(r"[0-9]+(\.[0-9]+)?[kMG]?", l) or len(l) > 5]
    expect(not bad, f"y labels that do not fit: {bad!r}")
    # x ticks: per chart (3 charts, the same axis), distinct and increasing.
    xlabels = re.findall(r"class='a x'[^>]*>([^<]*) s<", html)
    expect(xlabels and len(xlabels) % 3 == 0, f"x labels {xlabels!r}")
    first = [float(v) for v in xlabels[:len(xlabels) // 3]]
    expect(len(first) >= 2 and all(b > a for a, b in zip(first, first[1:])),
           f"x ticks not distinct and increasing: {xlabels!r}")
    expect("msgs/s" not in html and "Throughput (msg/s)" in html, "the unit is not spelled msg/s")
    table = html[html.index("<table>"):]
    expect('"' not in table and "&quot;" not in table, f"JSON quoting in the table: {short(table, 2000)}")
    expect(not re.search(r"[0-9]\.[0-9]{4,}", table), f"float noise in the table: {short(table, 2000)}")
    expect(f"<tr><th>Throughput</th><td>{round(s['throughput']):,} msg/s</td></tr>" in table,
           f"the throughput row is not {round(s['throughput']):,} msg/s: {short(table, 2000)}")
    expect(f"% of {s['generator_cores']} core" in table, f"no generator CPU share in the table: {short(table, 2000)}")


def run_on_pty(argv, columns, timeout):
    """Runs argv with stderr on a pseudo-terminal `columns` wide (stdout a pipe); returns (rc, stdout, the bytes
    written to the terminal)."""
    import fcntl
    import pty
    import struct
    import termios
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    proc = subprocess.Popen([str(a) for a in argv], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    chunks = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read()), daemon=True)
    reader.start()
    term = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            data = os.read(master, 4096)  # EIO once the child has closed the terminal
        except OSError:
            break
        if not data:
            break
        term += data
    os.close(master)
    try:
        rc = proc.wait(max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = None
    reader.join(5)
    return rc, (chunks[0] if chunks else b"").decode("utf-8", "replace"), term.decode("utf-8", "replace")


@check("serve-progress-fits-80-columns", ["serve"])
def _():
    # On a terminal the line is rewritten in place: it must fit (one column spare) and never leave a trail of lines.
    argv = [checks.SIO, "bench", SERVERS.serve.url(), "-c", 3, "-d", "2.5", "--warmup", "0.5"]
    rc, out, term = run_on_pty(argv, 80, 30)
    expect(rc == 0, f"exit {rc}; stdout {short(out)}, terminal {short(term)}")
    expect(out.startswith("scenario "), f"no summary on stdout: {short(out)}")
    # The generator-bound warning, if any, is a whole line after the progress; the progress has no newline.
    cut = term.find(GENERATOR_BOUND)
    progress, after = (term, "") if cut < 0 else (term[:cut], term[cut:])
    expect("\n" not in progress, f"a newline in the progress: {short(progress, 2000)}")
    others = [l for l in after.replace("\r", "").split("\n") if l.strip()]
    expect(all(l.startswith(GENERATOR_BOUND) for l in others), f"more than the warning after the progress: {others!r}")
    updates = [checks.CSI_RE.sub("", p) for p in progress.split("\r") if checks.CSI_RE.sub("", p)]
    expect(len(updates) >= 2, f"expected >= 2 progress updates, got {updates!r}")
    expect(all(u.startswith("sio bench echo ") for u in updates), f"progress updates {updates!r}")
    wide = [u for u in updates if len(u) > 79]
    expect(not wide, f"progress lines wider than 79 columns: {wide!r}")
    expect(progress.endswith("\r\x1b[K"), f"the last progress line was not erased: {short(progress[-200:])}")


@check("serve-report-unwritable", ["serve_log"])
def _():
    # Found before the run, not after it: a usage error, and no client connects.
    path = os.path.join(checks.TMP, "no-such-directory", "report.html")
    server = SERVERS.serve_log
    url = server.url()
    with server.proc.cond:
        start = len(server.proc.out)
    r = bench(url, "-c", 1, "-d", "5", "--warmup", "0", "--json", "--report", path)
    expect(r.rc == 2 and r.out == "", f"expected exit 2 and no stdout; {r.describe()}")
    expect(r.err == f"sio bench: --report: cannot write {path}: No such file or directory\n", f"{r.describe()}")
    expect(r.elapsed < 3, f"the 5 s run must not have started; {r.describe()}")
    expect(not log_since(server, start, "connect"), "a client connected: the run started")


@check("serve-broadcast-against-echo", ["serve"])
def _():
    # An echo server acks the senders but relays nothing: 0 deliveries is a failure, not a result.
    r = bench(SERVERS.serve.url(), "-s", "broadcast", "-c", 3, *QUICK, "--json")
    s, _, _ = summary_ok(r, "broadcast", 3, rc=1)
    expect(s["sent"] > 0 and s["received"] == 0, f"expected events sent and none received: {s!r}")
    expect(r.err_lines() == [f"sio bench: nothing received in the measured window ({s['sent']} sent, "
                             f"{s['in_flight']} awaiting an ack): does the server send every event to every "
                             "client (sio serve --mode broadcast)?"], f"stderr; {r.describe()}")


@check("node-echo-ack-timeout", ["node_auth"])
def _():
    # Acks that never come are errors once --ack-timeout passes, and each closed-loop client goes on with its next
    # emit: 2 clients, 1.7 s of load, 300 ms (checked every 75 ms): at least 3 time-outs each, none silent.
    r = bench(SERVERS.node_auth.url(), "-c", 2, "--event", "never-ack", "-d", 1.5, "--warmup", 0.2,
              "--ack-timeout", "300ms", "--json")
    s, _, _ = summary_ok(r, "echo", 2, rc=1)
    expect(s["ack_timeouts"] >= 6 and s["errors"] == s["ack_timeouts"], f"ack timeouts: {s!r}")
    expect(s["sent"] >= 4 and s["received"] == 0, f"the clients went on emitting: {s!r}")


@check("node-echo-never-acked", ["node_auth"])
def _():
    # tests/client/node_server.js never acks `never-ack`: the emits stay in flight, nothing comes back.
    r = bench(SERVERS.node_auth.url(), "-c", 2, "--event", "never-ack", *QUICK, "--json")
    s, _, _ = summary_ok(r, "echo", 2, rc=1)
    expect(s["received"] == 0 and s["in_flight"] > 0, f"expected unanswered emits: {s!r}")
    expect(len(r.err_lines()) == 1 and "nothing received in the measured window" in r.err and
           "does the server ack the events" in r.err, f"stderr; {r.describe()}")


@check("serve-invalid-namespace-reason", [])
def _():
    server = sio_serve("sio serve --namespace /", "--namespace", "/")
    try:
        r = bench(server.url("/nope"), "-c", 2, "-d", "0.3", "--warmup", "0", "--json")
    finally:
        server.stop()
    s, _, _ = summary_ok(r, "echo", 2, duration=None, rc=1)
    expect(s["connect_failures"] == 2, f"expected 2 refused connects: {s!r}")
    expect(r.err_lines() == [f"sio bench: no client could connect to {server.url('/nope')} "
                             "(connect_error: Invalid namespace)"], f"stderr; {r.describe()}")


@check("serve-websocket-source-addresses", ["serve_log"])
def _():
    r, connects, _, _ = bench_logged(3, ["-d", "0.3", "--warmup", "0", "--rate", 2, "--source-addresses",
                                      "127.0.0.1-127.0.0.3", *transport_args("websocket")])
    s, _, _ = summary_ok(r, "echo", 3, "websocket", 0.3)
    healthy(s, 3)
    addresses = sorted(c.get("address") for c in connects)
    expect(addresses == ["127.0.0.1", "127.0.0.2", "127.0.0.3"],
           f"the server saw connections from {addresses}, expected 127.0.0.1, .2 and .3 "
           f"(--source-addresses 127.0.0.1-127.0.0.3 with -c 3)")


for _t in ("polling", "upgrade"):
    def _sources_refused(t):
        # Only the lean WebSocket link binds source addresses: elsewhere the flag is refused, not ignored.
        @check(f"source-addresses-{t}-refused")
        def _():
            r = bench(f"http://127.0.0.1:{free_port()}", "-c", 1, "-d", "0.2", "--source-addresses",
                      "127.0.0.1-127.0.0.3", "--transport", t)
            expect(r.rc == 2, f"expected exit 2; {r.describe()}")
            expect(r.out == "" and len(r.err_lines()) == 1 and "--source-addresses" in r.err,
                   f"expected one stderr line and no stdout; {r.describe()}")
    _sources_refused(_t)


for _range in ("127.0.0.9-127.0.0.1", "foo", "127.0.0.1-127.0.1.255"):
    def _badrange(text):
        @check(f"source-addresses-usage-{text}")
        def _():
            r = bench(f"http://127.0.0.1:{free_port()}", "-c", 1, "-d", "0.2", "--source-addresses", text)
            expect(r.rc == 2, f"expected exit 2; {r.describe()}")
            expect(r.out == "" and len(r.err_lines()) == 1 and "--source-addresses" in r.err,
                   f"expected one stderr line and no stdout; {r.describe()}")
    _badrange(_range)


@check("serve-threads-ramp-up", ["serve"])
def _():
    r = bench(SERVERS.serve.url(), "-c", 4, "-t", 2, "--ramp-up", "0.3", *QUICK, "--json")
    s = echo_closed_loop(r, 4)
    expect(s["threads"] == 2, f"threads {s['threads']}: {s!r}")


# ---- several servers (--also)

@check("serve-also-echo", [])
def _():
    # Two servers of its own (`sio serve --json`, no Redis: echo needs no cluster). Client g connects to target
    # g % 2, so each server must log exactly 2 of the 4 connects, and events from them.
    servers = [sio_serve(f"sio serve --json ({i})", log=True) for i in (1, 2)]
    try:
        urls = [srv.url() for srv in servers]
        r = bench(urls[0], "--also", urls[1], "--scenario", "echo", "--clients", 4, "--duration", 1,
                  "--warmup", "0.2", "--json")
        s = echo_closed_loop(r, 4, duration=1)
        expect(s["url"] == urls[0] and s["urls"] == urls,
               f"url {s['url']!r} and urls {s['urls']!r}, expected {urls[0]!r} and {urls!r}")
        for srv in servers:
            # The server logged all this before the bench ended; its stdout may still be on its way to us.
            srv.proc.wait_for(lambda: sum('"type":"connect"' in l for l in srv.proc.out) >= 2, 5)
            with srv.proc.cond:
                connects = sum('"type":"connect"' in l for l in srv.proc.out)
                events = sum('"type":"event"' in l for l in srv.proc.out)
            expect(connects == 2 and events > 0,
                   f"{srv.name} at {srv.url()} logged {connects} connects and {events} events, expected 2 of the "
                   f"4 clients (round-robin over URL and --also) and their events; {r.describe()}")
    finally:
        for srv in servers:
            srv.stop()


for _name, _main, _also in (("namespace", "/a", "http://127.0.0.1:{port}/b"),
                            ("scheme", "", "https://127.0.0.1:{port}")):
    def _also_usage(name, main_nsp, also):
        # Every --also server must be asked for the URL's namespace over the same kind of scheme: exit 2, no run.
        @check(f"also-usage-{name}")
        def _():
            r = bench(f"http://127.0.0.1:{free_port()}{main_nsp}", "--also", also.format(port=free_port()),
                      "-c", 2, "-d", "0.2", "--json")
            expect(r.rc == 2, f"expected exit 2; {r.describe()}")
            expect(r.out == "" and len(r.err_lines()) == 1 and "--also" in r.err and name in r.err,
                   f"expected one stderr line naming --also and the {name}, and no stdout; {r.describe()}")
    _also_usage(_name, _main, _also)


# ---- signals

def interrupted_run(url, sig, extra=(), wait_progress=True):
    b = Background([checks.SIO, "bench", url, "-c", 2, "-d", 30, "--warmup", 0] + list(extra))
    try:
        expect(b.wait_for(lambda: any(l.startswith("sio bench ") for l in b.err), 15),
               f"no progress line within 15 s: {b.describe()}")
        phase = next(l for l in b.err if l.startswith("sio bench ")).split()[4]
        b.proc.send_signal(sig)
        rc = b.wait_exit(10)
        expect(rc is not None, f"the bench did not exit within 10 s of signal {sig}: {b.describe()}")
        return rc, b.result(), phase
    finally:
        b.stop(signal.SIGKILL)


@check("serve-sigint", ["serve"])
def _():
    rc, r, phase = interrupted_run(SERVERS.serve.url(), signal.SIGINT, ["--json"])
    expect(rc == 130, f"expected exit 130 on SIGINT; {r.describe()}")
    s = r.summary()
    expect(s.get("interrupted") is True, f"interrupted is not true: {s!r}")
    expect(s["errors"] == 0, f"errors: {s!r}")
    if phase == "measure":
        expect(s["connected"] == 2, f"connected {s['connected']}: {s!r}")
        expect(s["received"] > 0 and s["duration_s"] > 0, f"interrupted while measuring, nothing counted: {s!r}")
    no_json_on_stderr(r)


@check("serve-sigint-text", ["serve"])
def _():
    rc, r, _ = interrupted_run(SERVERS.serve.url(), signal.SIGINT)
    expect(rc == 130, f"expected exit 130 on SIGINT; {r.describe()}")
    lines = r.lines()
    n = len(TEXT_PREFIXES)
    expect(len(lines) == n + 1 and all(l.startswith(p) for l, p in zip(lines, TEXT_PREFIXES)),
           f"expected the human summary and a last line about the interruption; {r.describe()}")
    expect(lines[n].startswith("interrupted"), f"the last line does not say 'interrupted...'; {r.describe()}")


@check("serve-sigterm", ["serve"])
def _():
    rc, r, _ = interrupted_run(SERVERS.serve.url(), signal.SIGTERM, ["--json"])
    expect(rc == 0, f"expected exit 0 on SIGTERM; {r.describe()}")
    s = r.summary()
    expect(s.get("interrupted") is True, f"interrupted is not true: {s!r}")


@check("sigint-while-connecting")
def _():
    silent = Listener("silent")
    try:
        rc, r, phase = interrupted_run(f"http://127.0.0.1:{silent.port}", signal.SIGINT,
                                       ["--json", "--connect-timeout", 30])
    finally:
        silent.close()
    expect(phase == "connect", f"expected the progress line in the connect phase, got {phase!r}; {r.describe()}")
    expect(rc == 130, f"expected exit 130; {r.describe()}")
    s = r.summary()
    expect(s.get("interrupted") is True and s["connected"] == 0 and s["sent"] == 0, f"summary: {s!r}")


# --------------------------------------------------------------------------------------------------------------

def start(names):
    # the Node servers first: they are the slowest to come up
    try:
        SERVERS.start(sorted(names, key=lambda n: not n.startswith("node")))
    except CheckFailed as e:  # openssl missing or failing: the TLS checks fail, not the run
        print(f"bench_test: {e}", file=sys.stderr)


def servers_alive(servers):
    for s in servers:
        server = getattr(SERVERS, s)
        expect(server.alive(), f"server {server.name} died: {server.proc.describe()}")


def teardown():
    return [(f"server-{key}-shutdown", why) for key, why in SERVERS.stop_all()]


def main():
    return checks.main("bench_test", "sio bench checks against sio serve and Node socket.io servers",
                       setup=SERVERS.init, start=start, teardown=teardown, after_check=servers_alive,
                       stop_signal=signal.SIGKILL, show_elapsed=True)


if __name__ == "__main__":
    sys.exit(main())
