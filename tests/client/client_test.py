#!/usr/bin/python3
"""Black-box checks of the sio client commands (emit, listen, connect) against real peers.

    /usr/bin/python3 tests/client/client_test.py --sio PATH [--only NAME[,NAME...]] [--list] [-v]

Peers, each started here on 127.0.0.1 with a port the OS picks and stopped at the end:
  * tests/client/node_server.js: npm socket.io 4.8.4 (from tests/interop/node_modules), plain http, one with a
    short ping interval that is killed and restarted on the same port, and one on https with a self-signed
    certificate made by the openssl CLI in a temporary directory;
  * tests/client/python_server.py: Debian's python-socketio 5.7.2 and Flask-SocketIO 5.3.2 on eventlet;
  * `sio serve --port 0 --json -q` (echo mode), its port read from its listening record.
The REPL of `sio connect` is checked by tests/client/repl_test.py.

--only takes check names, name prefixes (`node-polling`) or globs (`*-ack`), comma-separated. Only the servers
the chosen checks need are started. Prints `ok NAME` or `FAIL NAME: reason` per check, then
`N passed, M failed`; exits 0 iff every check passed (2 on a usage error). Every wait is bounded.

Needs: node (>= 18) with tests/interop/node_modules installed (`npm ci` there), /usr/bin/python3 with
python3-socketio, python3-flask-socketio, python3-eventlet, and openssl.
"""
import base64
import hashlib
import http.server
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "support"))
import checks  # noqa: E402  (tests/support/checks.py: the registry, processes and main loop shared with bench_test)
from checks import Background, CheckFailed, Server, check, expect, free_port, run_sio, short  # noqa: E402

NODE_SERVER = os.path.join(HERE, "node_server.js")
PYTHON_SERVER = os.path.join(HERE, "python_server.py")
PYTHON = "/usr/bin/python3"

TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
SGR_RE = re.compile(r"\x1b\[[0-9;]*m")


def sio(*argv, stdin=None, timeout=15, env=None):
    """Runs sio to completion (killed after `timeout` s). stdin: None (empty), bytes, or an open file."""
    return run_sio(argv, timeout, stdin=stdin, env=env)


# --------------------------------------------------------------------------------------------------------------
# Peers

class Peers:
    def __init__(self):
        self.node = Server("node", ["node", NODE_SERVER, "--id", "node-main"], r"listening on (\d+)")
        self.tls_dir = None
        self.tls = None  # made by tls() once the certificate exists
        self.py = Server("python-socketio", [PYTHON, PYTHON_SERVER], r"listening on (\d+)")
        self.flask = Server("flask-socketio", [PYTHON, PYTHON_SERVER, "--flask", "--always-connect"],
                            r"listening on (\d+)")
        self.serve = None  # needs checks.SIO, made in init()
        self.restart_generation = 0
        self.restartable = None

    def init(self):
        self.serve = checks.sio_serve("sio serve")

    def start(self, names):
        for name in names:
            if name == "tls":
                self.get_tls().start()
            elif name == "restart":
                self.get_restartable()
            else:
                getattr(self, name).start()

    def get_tls(self):
        if self.tls is None:
            self.tls_dir = os.path.join(checks.TMP, "tls")
            os.makedirs(self.tls_dir, exist_ok=True)
            for name in ("server", "other"):
                r = subprocess.run(
                    ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                     "-nodes", "-keyout", os.path.join(self.tls_dir, f"{name}-key.pem"),
                     "-out", os.path.join(self.tls_dir, f"{name}-cert.pem"), "-days", "2",
                     "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                    capture_output=True, timeout=30)
                if r.returncode != 0:
                    raise CheckFailed(f"openssl failed: {short(r.stderr)}")
            self.tls = Server("node https", ["node", NODE_SERVER, "--id", "node-tls",
                                             "--cert", os.path.join(self.tls_dir, "server-cert.pem"),
                                             "--key", os.path.join(self.tls_dir, "server-key.pem")],
                              r"listening on (\d+)")
        return self.tls

    def get_restartable(self):
        """The Node server with a short ping interval that restart checks kill and start again on its port."""
        if self.restartable is None:
            self._start_restartable(0)
        return self.restartable

    def _start_restartable(self, port):
        self.restart_generation += 1
        self.restartable = Server(
            "node (restartable)",
            ["node", NODE_SERVER, "--port", str(port), "--id", f"gen{self.restart_generation}",
             "--ping-interval", "300", "--ping-timeout", "300"],
            r"listening on (\d+)")
        self.restartable.start()

    def restart(self):
        """Kills the restartable server and starts a new one on the same port (retrying while it is in use)."""
        old = self.get_restartable()
        port = old.port()
        old.stop()
        deadline = time.monotonic() + 10
        while True:
            self._start_restartable(port)
            try:
                if self.restartable.port(10) == port:
                    return self.restartable
            except CheckFailed:
                if time.monotonic() > deadline or not any(
                        "EADDRINUSE" in line for line in self.restartable.proc.err):
                    raise
            self.restartable.stop()
            if time.monotonic() > deadline:
                raise CheckFailed(f"could not restart the Node server on port {port}")
            time.sleep(0.1)  # port still held by the old process: bounded retry

    def stop_all(self):
        for server in (self.node, self.tls, self.py, self.flask, self.serve, self.restartable):
            if server is not None:
                server.stop()


PEERS = Peers()


# --------------------------------------------------------------------------------------------------------------
# Checks


def transport_args(transport):
    return [] if transport == "upgrade" else ["--transport", transport]


def expect_output(r, expected_lines, what="stdout"):
    expect(r.rc == 0, f"expected exit 0; {r.describe()}")
    expect(r.lines() == expected_lines, f"expected {what} {expected_lines!r}; {r.describe()}")


BLOB = bytes([0, 1, 2, 0xFE, 0xFF])
BLOB_B64 = base64.b64encode(BLOB).decode()


def blob_file():
    path = os.path.join(checks.TMP, "blob.bin")
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(bytes(range(256)) + os.urandom(3000) + b"\x00end")
    with open(path, "rb") as f:
        return path, base64.b64encode(f.read()).decode()


def listen_while(server_url, listen_args, trigger, count_timeout=10):
    """Starts `sio listen`, waits for its "connected" line, runs trigger(), waits for the listener to exit."""
    bg = Background([checks.SIO, "listen", server_url] + listen_args + ["--timeout", str(count_timeout)])
    try:
        if not bg.wait_stderr("connected", 10):
            raise CheckFailed(f"listen never connected: {bg.describe()}")
        trigger()
        rc = bg.wait_exit(count_timeout + 5)
        return rc, bg
    finally:
        bg.stop()


# ---- 1. Node socket.io 4.8 server, per transport

def node_checks(t):
    ta = transport_args(t)
    p = f"node-{t}-"

    @check(p + "emit", ["node"])
    def _():
        r = sio("emit", PEERS.node.url(), "hello", "x", *ta)
        expect(r.rc == 0 and r.out == "", f"expected exit 0 and no output; {r.describe()}")

    @check(p + "emit-ack", ["node"])
    def _():
        r = sio("emit", PEERS.node.url(), "echo", "a", "1", '{"b":[true]}', "--ack", *ta)
        expect_output(r, ['["a",1,{"b":[true]}]'])

    @check(p + "emit-ack-string-args", ["node"])
    def _():
        # not JSON -> a string; JSON with spaces; a JSON string
        r = sio("emit", PEERS.node.url(), "echo", "hello world", '{"k": [1, 2]}', '"7"', "null", "--ack", *ta)
        expect_output(r, ['["hello world",{"k":[1,2]},"7",null]'])

    @check(p + "binary-arg", ["node"])
    def _():
        r = sio("emit", PEERS.node.url(), "echo", json.dumps({"$binary": BLOB_B64}), "x", "--ack", *ta)
        expect_output(r, [json.dumps([{"$binary": BLOB_B64}, "x"], separators=(",", ":"))])

    @check(p + "binary-file", ["node"])
    def _():
        path, b64 = blob_file()
        r = sio("emit", PEERS.node.url(), "echo", "@" + path, "--ack", *ta)
        expect_output(r, [json.dumps([{"$binary": b64}], separators=(",", ":"))])

    @check(p + "binary-from-server", ["node"])
    def _():
        r = sio("listen", PEERS.node.url(), "-n", "1", "--emit", '["binary"]', "--timeout", "5", *ta)
        expect_output(r, ['bin {"$binary":"%s"}' % BLOB_B64])

    @check(p + "auth-accepted", ["node"])
    def _():
        r = sio("emit", PEERS.node.url("/private"), "whoami", "--ack", "--auth", '{"token":"ok"}', *ta)
        expect_output(r, ['["node-main","/private"]'])

    @check(p + "auth-refused", ["node"])
    def _():
        r = sio("emit", PEERS.node.url("/private"), "whoami", "--ack", "--auth", '{"token":"bad"}', *ta)
        expect(r.rc == 1 and "not authorized" in r.err and "bad token" in r.err,
               f"expected exit 1 and stderr with 'not authorized' and the data 'bad token'; {r.describe()}")
        expect(r.out == "", f"expected no stdout; {r.describe()}")

    @check(p + "auth-missing", ["node"])
    def _():
        r = sio("listen", PEERS.node.url("/private"), "--timeout", "5", *ta)
        expect(r.rc == 1 and "not authorized" in r.err, f"expected exit 1, 'not authorized'; {r.describe()}")

    @check(p + "invalid-namespace", ["node"])
    def _():
        r = sio("emit", PEERS.node.url("/nope"), "hello", *ta)
        expect(r.rc == 1 and "Invalid namespace" in r.err, f"expected exit 1, 'Invalid namespace'; {r.describe()}")

    @check(p + "listen-other-emit-json", ["node"])
    def _():
        def trigger():
            for args in (["a", "1"], ['{"b":[true]}']):
                r = sio("emit", PEERS.node.url(), "shout", *args, *ta)
                expect(r.rc == 0, f"emit shout failed; {r.describe()}")
        rc, bg = listen_while(PEERS.node.url(), ["-n", "2", "--json"] + ta, trigger)
        expect(rc == 0, f"listen: expected exit 0; {bg.describe()}")
        expect(len(bg.out) == 3, f"expected 3 lines (connected, 2 events); {bg.describe()}")
        objs = []
        for line in bg.out:
            try:
                objs.append(json.loads(line))
            except ValueError:
                raise CheckFailed(f"not JSON: {line!r}")
        ready = objs.pop(0)
        expect(ready.get("type") == "connected" and ready.get("nsp") == "/" and ready.get("url") == PEERS.node.url(),
               f"the first line must be the connected record; {bg.describe()}")
        for o in objs:
            expect(isinstance(o, dict) and {"time", "type", "nsp", "event", "args"} <= set(o),
                   f"missing keys in {o!r}")
            expect(o["type"] == "event" and o["nsp"] == "/" and o["event"] == "news", f"unexpected {o!r}")
            expect(isinstance(o["time"], str) and TIME_RE.match(o["time"]), f"bad time in {o!r}")
        expect([o["args"] for o in objs] == [["a", 1], [{"b": [True]}]], f"unexpected args: {bg.out!r}")

    @check(p + "listen-filter", ["node"])
    def _():
        # the server answers `hello` (echo) before `news` (shout): the filter must drop `hello`
        r = sio("listen", PEERS.node.url(), "news", "-n", "1", "--emit", '["hello",1]', "--emit",
                '["shout","z"]', "--timeout", "5", *ta)
        expect_output(r, ['news "z"'])

    @check(p + "listen-filter-several", ["node"])
    def _():
        r = sio("listen", PEERS.node.url(), "news", "bin", "-n", "2", "--emit", '["hello",1]', "--emit",
                '["binary"]', "--emit", '["hello",2]', "--emit", '["shout",3]', "--timeout", "5", *ta)
        expect_output(r, ['bin {"$binary":"%s"}' % BLOB_B64, "news 3"])

    @check(p + "headers-query", ["node"])
    def _():
        r = sio("emit", PEERS.node.url(), "handshake", "--ack", "-H", "X-Sio-Test: abc def", "--query",
                "foo=bar", "--query", "n=1", *ta)
        expect(r.rc == 0, f"expected exit 0; {r.describe()}")
        try:
            hs = json.loads(r.out)[0]
        except (ValueError, IndexError, KeyError):
            raise CheckFailed(f"bad ack; {r.describe()}")
        expect(hs["headers"].get("x-sio-test") == "abc def", f"header missing: {hs['headers']!r}")
        expect(hs["query"].get("foo") == "bar" and hs["query"].get("n") == "1", f"query missing: {hs['query']!r}")

    @check(p + "connect-pipe-namespaces", ["node"])
    def _():
        script = (b'/join /custom\n'
                  b'/nsp /custom\n'
                  b'whoami\n'
                  b'/ack echo 1 {"a": [1, 2]}\n'
                  b'/nsp /\n'
                  b'["whoami"]\n'
                  b'/ack echo "root" x y\n')
        r = sio("connect", PEERS.node.url(), *ta, stdin=script, timeout=15)
        expect(r.rc == 0, f"expected exit 0; {r.describe()}")
        lines = r.lines()
        want_custom = ['/custom iam "node-main" "/custom"', 'ack /custom echo [1,{"a":[1,2]}]']
        want_root = ['iam "node-main" "/"', 'ack echo ["root","x","y"]']
        expect(sorted(lines) == sorted(want_custom + want_root), f"expected lines {want_custom + want_root}; "
               f"{r.describe()}")
        for want in (want_custom, want_root):  # order within a namespace is kept
            expect([l for l in lines if l in want] == want, f"order within a namespace; {r.describe()}")

    @check(p + "connect-pipe-json", ["node"])
    def _():
        script = b'/join /custom\n/nsp /custom\nwhoami\n/ack echo {"$binary": "%s"}\n' % BLOB_B64.encode()
        r = sio("connect", PEERS.node.url(), "--json", *ta, stdin=script, timeout=15)
        expect(r.rc == 0, f"expected exit 0; {r.describe()}")
        try:
            objs = [json.loads(l) for l in r.lines()]
        except ValueError:
            raise CheckFailed(f"not NDJSON; {r.describe()}")
        expect([(o.get("type"), o.get("nsp")) for o in objs[:2]] == [("connected", "/"), ("connected", "/custom")],
               f"expected the connected records of / and /custom first; {r.describe()}")
        trimmed = [{k: o.get(k) for k in ("type", "nsp", "event", "args")} for o in objs[2:]]
        expect(trimmed == [
            {"type": "event", "nsp": "/custom", "event": "iam", "args": ["node-main", "/custom"]},
            {"type": "ack", "nsp": "/custom", "event": "echo", "args": [{"$binary": BLOB_B64}]}],
            f"unexpected NDJSON; {r.describe()}")
        expect(all(TIME_RE.match(o.get("time", "")) for o in objs), f"bad time; {r.describe()}")

    if t != "polling":
        @check(p + "websocket-in-use", ["node"])
        def _():
            r = sio("listen", PEERS.node.url(), "upgraded", "-n", "1", "--emit", '["watch-upgrade"]',
                    "--timeout", "5", *ta)
            expect_output(r, ['upgraded "websocket"'])

    @check(p + "ping", ["restart"])
    def _():
        # server pings every 300 ms, 300 ms timeout; the ack comes after 1.5 s: the session must stay up
        r = sio("emit", PEERS.get_restartable().url(), "later", "1500", "x", "--ack", "--timeout", "8", *ta)
        expect_output(r, ['[1500,"x"]'])

    @check(p + "listen-server-restart", ["restart"])
    def _():
        server = PEERS.get_restartable()
        old_id = f"gen{PEERS.restart_generation}"
        bg = Background([checks.SIO, "listen", server.url(), "-n", "2", "--emit", '["whoami"]', "--reconnect-delay",
                         "200", "--reconnect-delay-max", "500", "--timeout", "20"] + ta)
        try:
            expect(bg.wait_for(lambda: len(bg.out) >= 1, 10), f"no first event: {bg.describe()}")
            PEERS.restart()
            new_id = f"gen{PEERS.restart_generation}"
            expect(bg.wait_stderr("reconnecting", 10), f"no 'reconnecting' on stderr: {bg.describe()}")
            rc = bg.wait_exit(15)
            expect(rc == 0, f"expected exit 0 after the second event; {bg.describe()}")
            expect(bg.out == [f'iam "{old_id}" "/"', f'iam "{new_id}" "/"'],
                   f"expected events from both server runs ({old_id}, {new_id}); {bg.describe()}")
        finally:
            bg.stop()


for _t in ("polling", "websocket", "upgrade"):
    node_checks(_t)


@check("node-listen-json-reconnect-records", ["restart"])
def _():
    # Every connect is a record with --json, the reconnect after a server restart included.
    server = PEERS.get_restartable()
    url = server.url()
    bg = Background([checks.SIO, "listen", url, "-n", "2", "--json", "-q", "--emit", '["whoami"]',
                     "--reconnect-delay", "200ms", "--reconnect-delay-max", "0.5s", "--timeout", "20s"])
    try:
        expect(bg.wait_for(lambda: len(bg.out) >= 2, 10), f"no connected record and first event: {bg.describe()}")
        PEERS.restart()
        rc = bg.wait_exit(15)
        expect(rc == 0, f"expected exit 0 after the second event; {bg.describe()}")
        recs = [json.loads(l) for l in bg.out]
        expect([r["type"] for r in recs] == ["connected", "event", "connected", "event"], f"got {bg.describe()}")
        expect(all(r["url"] == url and r["sid"] for r in recs[0::2]), f"got {recs!r}")
        expect(recs[0]["sid"] != recs[2]["sid"], f"the reconnect must be a new session: {recs!r}")
        expect(bg.err == [], f"-q: no status messages on stderr; {bg.describe()}")
    finally:
        bg.stop()


# ---- 1b. Node, once

@check("node-connect-refused")
def _():
    port = free_port()
    r = sio("emit", f"http://127.0.0.1:{port}", "hello", timeout=15)
    expect(r.rc == 1 and r.elapsed < 5, f"expected exit 1 within 5 s; {r.describe()}")
    expect("refused" in r.err.lower(), f"expected 'refused' on stderr; {r.describe()}")


@check("node-listen-connect-refused-no-reconnect")
def _():
    port = free_port()
    r = sio("listen", f"http://127.0.0.1:{port}", "--no-reconnect", timeout=15)
    expect(r.rc == 1 and r.elapsed < 5, f"expected exit 1 within 5 s; {r.describe()}")


@check("node-listen-reconnect-attempts")
def _():
    port = free_port()
    r = sio("listen", f"http://127.0.0.1:{port}", "--reconnect-attempts", "2", "--reconnect-delay", "100",
            "--reconnect-delay-max", "200", timeout=15)
    expect(r.rc == 1 and r.elapsed < 5, f"expected exit 1 after 2 attempts, within 5 s; {r.describe()}")
    expect("reconnecting" in r.err, f"expected 'reconnecting' on stderr; {r.describe()}")


def listen_signal(sig, want_rc):
    bg = Background([checks.SIO, "listen", PEERS.node.url(), "--timeout", "20"])
    try:
        expect(bg.wait_stderr("connected", 10), f"listen never connected: {bg.describe()}")
        bg.proc.send_signal(sig)
        rc = bg.wait_exit(5)
        expect(rc == want_rc, f"expected exit {want_rc} on {sig.name}; {bg.describe()}")
    finally:
        bg.stop()


@check("node-listen-sigint", ["node"])
def _():
    listen_signal(signal.SIGINT, 130)


@check("node-listen-sigterm", ["node"])
def _():
    listen_signal(signal.SIGTERM, 0)


@check("node-ack-timeout", ["node"])
def _():
    r = sio("emit", PEERS.node.url(), "never-ack", "--ack", "--timeout", "1", timeout=15)
    expect(r.rc == 1, f"expected exit 1; {r.describe()}")
    expect(0.9 <= r.elapsed <= 4, f"expected about 1 s; {r.describe()}")
    expect(r.out == "", f"expected no stdout; {r.describe()}")


@check("node-listen-timeout", ["node"])
def _():
    r = sio("listen", PEERS.node.url(), "-n", "1", "--timeout", "1", timeout=15)
    expect(r.rc == 1 and 0.9 <= r.elapsed <= 4, f"expected exit 1 after about 1 s; {r.describe()}")


@check("node-connect-pipe-ack-timeout", ["node"])
def _():
    r = sio("connect", PEERS.node.url(), "--ack-timeout", "1", stdin=b"/ack never-ack\n", timeout=15)
    expect(r.rc == 1 and 0.9 <= r.elapsed <= 4, f"expected exit 1 after about 1 s; {r.describe()}")


@check("node-ack-with", ["node"])
def _():
    # the server asks the clients for acks (socket.broadcast.timeout(ms).emit(..., cb)): listen and connect
    # answer with their --ack-with arguments
    url = PEERS.node.url()
    listener = Background([checks.SIO, "listen", url, "--json", "--ack-with", '{"who":"listen"}', "--ack-with", "2",
                           "--timeout", "20"])
    pipe = Background([checks.SIO, "connect", url, "--json", "--ack-with", '{"$binary":"AQID"}'],
                      stdin=subprocess.PIPE)  # kept open: pipe mode ends with its input
    try:
        for bg in (listener, pipe):
            if not bg.wait_stderr("connected", 10):
                raise CheckFailed(f"never connected: {bg.describe()}")
        r = sio("emit", url, "ask-others", "5000", "question", '{"q":1}', "--ack", timeout=15)
        expect(r.rc == 0 and r.lines(), f"emit failed; {r.describe()}")
        got = json.loads(r.lines()[-1])[0]
        expect(got.get("timedOut") is False, f"the server's callback timed out: {got!r}")
        answers = sorted(json.dumps(a, sort_keys=True) for a in got["responses"])
        expect(answers == sorted([json.dumps({"who": "listen"}), json.dumps({"$binary": "AQID"})]),
               f"expected each client's first --ack-with argument, got {got['responses']!r}")
        for bg in (listener, pipe):
            expect(bg.wait_for(lambda bg=bg: any('"question"' in l for l in bg.out), 5), f"no event: {bg.describe()}")
    finally:
        pipe.proc.stdin.close()
        pipe.stop()
        listener.stop()


@check("node-connect-pipe-join-leave", ["node"])
def _():
    # /leave right after /join (before the CONNECT reply): stdin then ends, sio must exit
    r = sio("connect", PEERS.node.url(), stdin=b"/join /custom\n/leave /custom\n", timeout=8)
    expect(r.rc == 0, f"expected exit 0 once stdin ended; {r.describe()}")


@check("node-connect-pipe-join-refused", ["node"])
def _():
    r = sio("connect", PEERS.node.url(), stdin=b'/join /private {"token":"bad"}\n/ack echo 1\n', timeout=10)
    expect(r.rc == 1, f"expected exit 1 (a namespace refused); {r.describe()}")
    expect("not authorized" in r.err, f"expected 'not authorized' on stderr; {r.describe()}")
    expect("ack echo [1]" in r.lines(), f"the / namespace still works; {r.describe()}")


@check("node-connect-pipe-join-auth", ["node"])
def _():
    r = sio("connect", PEERS.node.url(), stdin=b'/join /private {"token":"ok"}\n/nsp /private\n/ack whoami\n',
            timeout=10)
    expect_output(r, ['ack /private whoami ["node-main","/private"]'])


# ---- 1c. TLS

def tls_paths():
    PEERS.get_tls()
    return (os.path.join(PEERS.tls_dir, "server-cert.pem"), os.path.join(PEERS.tls_dir, "other-cert.pem"))


@check("tls-no-ca", ["tls"])
def _():
    r = sio("emit", PEERS.get_tls().url(scheme="https"), "echo", "x", "--ack")
    expect(r.rc == 1, f"expected exit 1; {r.describe()}")
    expect(re.search(r"certif|verif", r.err, re.I), f"expected a certificate error on stderr; {r.describe()}")


@check("tls-wrong-ca", ["tls"])
def _():
    r = sio("emit", PEERS.get_tls().url(scheme="https"), "echo", "x", "--ack", "--ca", tls_paths()[1])
    expect(r.rc == 1 and re.search(r"certif|verif", r.err, re.I),
           f"expected exit 1 and a certificate error; {r.describe()}")


for _t in ("polling", "websocket", "upgrade"):
    def _tls(t):
        @check(f"tls-ca-{t}", ["tls"])
        def _():
            r = sio("emit", PEERS.get_tls().url(scheme="https"), "echo", "x", "--ack", "--ca", tls_paths()[0],
                    *transport_args(t))
            expect_output(r, ['["x"]'])
    _tls(_t)


@check("tls-insecure", ["tls"])
def _():
    r = sio("emit", PEERS.get_tls().url(scheme="https"), "echo", "x", "--ack", "--insecure")
    expect_output(r, ['["x"]'])


@check("tls-listen-ca-websocket", ["tls"])
def _():
    r = sio("listen", PEERS.get_tls().url("/custom", scheme="https"), "-n", "1", "--emit", '["whoami"]',
            "--timeout", "5", "--ca", tls_paths()[0], "--transport", "websocket")
    expect_output(r, ['/custom iam "node-tls" "/custom"'])


@check("node-ack-with-forms", ["node"])
def _():
    # every form of an ack's arguments, in the order written, as the server's callback receives them
    path, b64 = blob_file()
    piped = b"\x00piped\xff"
    r = sio("listen", PEERS.node.url(), "asked-me", "-n", "1", "--json", "--timeout", "10",
            "--emit", '["ask-me",5000,"question"]', "--ack-with", "1", "--ack-with-arg", "2",
            "--ack-with-json", '{"a":[true]}', "--ack-with-file", path, "--ack-with", "@-", "--ack-with", "@@x",
            "--ack-with", '"3"', stdin=piped)
    expect(r.rc == 0 and len(r.lines()) == 2, f"expected exit 0, two lines; {r.describe()}")
    got = json.loads(r.lines()[1])["args"][0]
    expect(got == {"timedOut": False, "answers": [1, "2", {"a": [True]}, {"$binary": b64},
                                                   {"$binary": base64.b64encode(piped).decode()}, "@x", "3"]},
           f"unexpected answers {got!r}")


# ---- 1d. Every wait honours --timeout and signals; an event that cannot be delivered is a failure

class SilentPeer:
    """A TCP listener on 127.0.0.1 that accepts and never answers; with upgrade=True it answers a WebSocket
    upgrade request with 101 and then goes silent. `accepted` is set once a client connected (and, with
    upgrade=True, once the 101 went out): the synchronisation point of the signal checks."""

    def __init__(self, upgrade=False):
        self.upgrade = upgrade
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        self.accepted = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            if self.upgrade:
                threading.Thread(target=self._answer_upgrade, args=(conn,), daemon=True).start()
            else:
                self.accepted.set()

    def _answer_upgrade(self, conn):
        request = b""
        while b"\r\n\r\n" not in request:
            try:
                chunk = conn.recv(4096)
            except OSError:
                return
            if not chunk:
                return
            request += chunk
        key = re.search(rb"(?i)sec-websocket-key:\s*(\S+)", request)
        if not key:
            return  # not an upgrade (a polling GET): stay silent
        accept = base64.b64encode(hashlib.sha1(key.group(1) + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")
        self.accepted.set()

    def url(self, scheme="http"):
        return f"{scheme}://127.0.0.1:{self.port}"

    def close(self):
        self.sock.close()
        for c in self.conns:
            c.close()


# Generous for ASan builds: the bound is what matters (the bug was a 30 s wait), not the exact time.
PROMPT = 3.0


def silent_timeout_check(name, peer_args, argv, scheme="http"):
    @check(name)
    def _():
        peer = SilentPeer(**peer_args)
        try:
            r = sio(*argv[:1], peer.url(scheme), *argv[1:], "--timeout", "0.5", timeout=40)
        finally:
            peer.close()
        expect(r.rc == 1 and r.elapsed < PROMPT, f"expected exit 1 within {PROMPT} s; {r.describe()}")
        expect(r.err == f"sio {argv[0]}: timed out after 500ms\n", f"expected only the timeout message; {r.describe()}")


for _t in ("polling", "websocket", "upgrade"):
    silent_timeout_check(f"silent-emit-timeout-{_t}", {}, ["emit", "chat", "hi"] + transport_args(_t))
    silent_timeout_check(f"silent-listen-timeout-{_t}", {}, ["listen"] + transport_args(_t))
silent_timeout_check("silent-emit-timeout-tls", {}, ["emit", "chat", "hi", "--insecure"], scheme="https")
silent_timeout_check("silent-emit-timeout-tls-websocket", {}, ["emit", "chat", "hi", "--insecure", "--transport",
                                                               "websocket"], scheme="https")
silent_timeout_check("silent-after-upgrade-emit-timeout", {"upgrade": True},
                     ["emit", "chat", "hi", "--transport", "websocket"])
silent_timeout_check("silent-after-upgrade-listen-timeout", {"upgrade": True}, ["listen", "--transport", "websocket"])
silent_timeout_check("silent-connect-timeout-websocket", {}, ["connect", "--transport", "websocket"])


def silent_signal_check(name, peer_args, argv, sig, want_rc):
    @check(name)
    def _():
        peer = SilentPeer(**peer_args)
        bg = Background([checks.SIO, argv[0], peer.url()] + argv[1:])
        try:
            expect(peer.accepted.wait(10), f"sio never connected to the silent peer; {bg.describe()}")
            sent = time.monotonic()
            bg.proc.send_signal(sig)
            rc = bg.wait_exit(30)
            took = time.monotonic() - sent
            expect(rc == want_rc and took < PROMPT,
                   f"expected exit {want_rc} within {PROMPT} s of {sig.name}, got {rc} after {took:.1f} s; "
                   f"{bg.describe()}")
        finally:
            bg.stop(signal.SIGKILL)
            peer.close()


for _sig, _rc in ((signal.SIGINT, 130), (signal.SIGTERM, 0)):
    for _cmd in (["emit", "chat", "hi"], ["listen"]):
        silent_signal_check(f"silent-{_cmd[0]}-{_sig.name.lower()}-websocket", {},
                            _cmd + ["--transport", "websocket"], _sig, _rc)
        silent_signal_check(f"silent-after-upgrade-{_cmd[0]}-{_sig.name.lower()}", {"upgrade": True},
                            _cmd + ["--transport", "websocket"], _sig, _rc)


def big_file(size):
    path = os.path.join(checks.TMP, f"big-{size}.bin")
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(os.urandom(size))
    return path


TOO_BIG_WS = "sio emit: event not delivered: 2.1 MB message exceeds the server's maxPayload of 1.0 MB\n"
TOO_BIG_POLLING = "sio emit: event not delivered: 2.8 MB message exceeds the server's maxPayload of 1.0 MB\n"


def too_big_checks(label, peer):
    for t in ("polling", "websocket", "upgrade"):
        for ack in ([], ["--ack"]):
            def one(t=t, ack=ack):
                @check(f"{label}-{t}-too-big{'-ack' if ack else ''}", [peer])
                def _():
                    # 2 MiB of binary: 2,097,152 bytes over WebSocket, 'b' + base64 (2,796,204) over polling
                    r = sio("emit", getattr(PEERS, peer).url(), "up", "@" + big_file(2 << 20), *ack,
                            *transport_args(t), "--timeout", "10")
                    # with an upgrade, the event goes on whichever transport is in use when the namespace connects
                    want = {"websocket": [TOO_BIG_WS], "polling": [TOO_BIG_POLLING]}.get(t, [TOO_BIG_WS, TOO_BIG_POLLING])
                    expect(r.rc == 1 and r.err in want and r.out == "", f"expected exit 1 and {want!r}; {r.describe()}")
            one()

    @check(f"{label}-just-fits", [peer])
    def _():
        # 700 kB of binary is 933 kB in base64: under the 1 MB limit on either transport, acked whole
        r = sio("emit", getattr(PEERS, peer).url(), "echo", "@" + big_file(700_000), "--ack", "--timeout", "10")
        expect(r.rc == 0 and len(r.out) > 900_000, f"expected exit 0 and the echo; {r.describe()}")


too_big_checks("node", "node")
too_big_checks("serve", "serve")


# Over WebSocket, python-socketio (eventlet) answers an oversized message with a normal close frame, which
# races the client's own close and can read as the answer to it: only polling (HTTP 413) is a stable check.
for _t in ("polling",):
    def python_too_big(t):
        @check(f"python-{t}-not-delivered", ["py"])
        def _():
            # python-socketio advertises no maxPayload but drops a message over 1,000,000 bytes: the emit must
            # notice the connection dropped instead of the event being taken
            r = sio("emit", PEERS.py.url(), "up", "@" + big_file(2 << 20), *transport_args(t), "--timeout", "10")
            expect(r.rc == 1 and r.err.startswith("sio emit: event not delivered: ") and r.out == "",
                   f"expected exit 1 and 'event not delivered'; {r.describe()}")
            expect(r.err.count("\n") == 1, f"expected one line on stderr; {r.describe()}")
    python_too_big(_t)


@check("python-websocket-delivered", ["py"])
def _():
    # the positive side of the above: a one-shot emit that the server takes exits 0, and the server got it
    def trigger():
        r = sio("emit", PEERS.py.url("/custom"), "shout", "s", "--transport", "websocket")
        expect(r.rc == 0 and r.err == "", f"emit failed; {r.describe()}")
    rc, bg = listen_while(PEERS.py.url("/custom"), ["-n", "1"], trigger)
    expect(rc == 0 and bg.out == ['/custom news "s"'], f"expected the shout to arrive; {bg.describe()}")


def node_engine_lines(tag):
    return [l for l in PEERS.node.proc.err if f"engine.io {tag} " in l]


@check("node-emit-no-upgrade", ["node"])
def _():
    # The default transport of a one-shot emit is polling, with no upgrade: the server sees the event, then the
    # close packet on polling, and no probe at all.
    tag = f"emit-{os.getpid()}-{time.monotonic_ns()}"
    r = sio("emit", PEERS.node.url(), "hello", "x", "--query", f"tag={tag}")
    expect(r.rc == 0 and r.err == "", f"expected exit 0; {r.describe()}")
    closed = f"engine.io {tag} closed on polling: transport close"
    expect(PEERS.node.proc.wait_stderr(closed, 5), f"expected {closed!r}; server said {node_engine_lines(tag)!r}")
    lines = node_engine_lines(tag)
    expect(len(lines) == 1 and lines[0].startswith(f"node_server: {closed} after "), f"got {lines!r}")


@check("node-emit-upgrade-asked", ["node"])
def _():
    # --transport upgrade still upgrades: the emit then ends on the WebSocket
    tag = f"emit-up-{os.getpid()}-{time.monotonic_ns()}"
    r = sio("emit", PEERS.node.url(), "later", "300", "--ack", "--transport", "upgrade", "--query", f"tag={tag}")
    expect(r.rc == 0, f"expected exit 0; {r.describe()}")
    expect(PEERS.node.proc.wait_stderr(f"engine.io {tag} closed on websocket", 5),
           f"expected an upgrade; server said {node_engine_lines(tag)!r}")


@check("serve-listen-stopped-mid-upgrade")
def _():
    # SIGTERM while the upgrade waits for the pending GET (probe answered): the close must still reach
    # the server. It used to wait for the upgrade's timeout, give up after 2 s and leave the session to
    # the server's heartbeat (45 s). Signalled as the -v trace shows the pong: the window is the GET still out,
    # so this catches the race often, not always (3 in 100 stops at random moments did before the fix).
    server = Background([checks.SIO, "serve", "--port", "0", "--json"])
    try:
        expect(server.wait_for(lambda: any('"listening"' in l for l in server.out), 10), "sio serve did not start")
        port = json.loads(next(l for l in server.out if '"listening"' in l))["port"]
        for attempt in range(10):
            listen = Background([checks.SIO, "listen", f"http://127.0.0.1:{port}", "--json", "-v"])
            try:
                expect(listen.wait_stderr("< websocket pong 3probe", 10), f"no probe: {listen.err[-5:]}")
                listen.proc.send_signal(signal.SIGTERM)
                rc = listen.wait_exit(5)
                expect(rc == 0, f"attempt {attempt}: exit {rc}, expected 0 soon after SIGTERM: {listen.err[-8:]}")
                sid = next(json.loads(l)["sid"] for l in listen.out if '"connected"' in l)
                expect(server.wait_for(lambda: any('"disconnect"' in l and sid in l for l in server.out), 3),
                       f"attempt {attempt}: the server saw no disconnect of {sid}: {listen.err[-8:]}")
            finally:
                listen.stop()
    finally:
        server.stop()


@check("serve-connect-pipe-wait", ["serve"])
def _():
    # The echo server answers `message` with `message-back`: -w keeps listening after the input ends.
    r = sio("connect", PEERS.serve.url(), "-w", "2s", stdin=b'message "hi"\n', timeout=15)
    expect_output(r, ['auth {}', 'message-back "hi"'])
    expect(r.elapsed >= 2, f"expected it to listen for 2 s after the input; {r.describe()}")


@check("serve-connect-pipe-wait-timeout", ["serve"])
def _():
    # --timeout still ends the wait
    r = sio("connect", PEERS.serve.url(), "-w", "30s", "--timeout", "1s", stdin=b'message "hi"\n', timeout=15)
    expect(r.rc == 1 and r.elapsed < 1 + PROMPT, f"expected exit 1 at the timeout; {r.describe()}")
    expect('message-back "hi"' in r.lines(), f"expected the reply meanwhile; {r.describe()}")


@check("serve-connect-pipe-wait-sigterm", ["serve"])
def _():
    bg = Background([checks.SIO, "connect", PEERS.serve.url(), "-w", "30s"], stdin=subprocess.PIPE)
    try:
        bg.proc.stdin.write(b'message "hi"\n')
        bg.proc.stdin.close()
        expect(bg.wait_for(lambda: 'message-back "hi"' in bg.out, 10), f"no reply; {bg.describe()}")
        bg.proc.send_signal(signal.SIGTERM)
        rc = bg.wait_exit(PROMPT)
        expect(rc == 0, f"expected exit 0 soon after SIGTERM; {bg.describe()}")
    finally:
        bg.stop()


# ---- 2. python-socketio and Flask-SocketIO (eventlet)

def python_checks(peer, label, always_connect):
    def server():
        return getattr(PEERS, peer)

    for t in ("polling", "websocket", "upgrade"):
        def per_transport(t):
            ta = transport_args(t)

            @check(f"{label}-{t}-emit-ack", [peer])
            def _():
                r = sio("emit", server().url(), "echo", "a", "1", '{"b":[true]}', "--ack", *ta)
                expect_output(r, ['["a",1,{"b":[true]}]'])

            @check(f"{label}-{t}-binary-ack", [peer])
            def _():
                r = sio("emit", server().url("/custom"), "binary", "--ack", *ta)
                expect_output(r, ['[{"$binary":"AAH+/w=="}]'])

            @check(f"{label}-{t}-binary-arg", [peer])
            def _():
                path, b64 = blob_file()
                r = sio("emit", server().url(), "echo", "@" + path, "--ack", *ta)
                expect_output(r, [json.dumps([{"$binary": b64}], separators=(",", ":"))])

            @check(f"{label}-{t}-listen", [peer])
            def _():
                r = sio("listen", server().url(), "-n", "2", "--emit", '["poke",1,"x"]', "--emit", '["binary"]',
                        "--timeout", "5", *ta)
                expect_output(r, ['poked 1 "x"', 'bin {"$binary":"AAH+/w=="}'])

            @check(f"{label}-{t}-listen-other-emit", [peer])
            def _():
                def trigger():
                    r = sio("emit", server().url("/custom"), "shout", "s", *ta)
                    expect(r.rc == 0, f"emit shout failed; {r.describe()}")
                rc, bg = listen_while(server().url("/custom"), ["-n", "1", "--json"] + ta, trigger)
                expect(rc == 0 and len(bg.out) == 2, f"expected exit 0, two lines; {bg.describe()}")
                ready, o = (json.loads(l) for l in bg.out)
                expect(ready.get("type") == "connected" and ready.get("nsp") == "/custom", f"got {ready!r}")
                expect({k: o.get(k) for k in ("type", "nsp", "event", "args")} ==
                       {"type": "event", "nsp": "/custom", "event": "news", "args": ["s"]}, f"got {o!r}")
        per_transport(t)

    @check(f"{label}-unknown-namespace", [peer])
    def _():
        # python-socketio answers an unknown namespace with a string CONNECT_ERROR: "Unable to connect"
        r = sio("emit", server().url("/nope"), "echo", "--ack")
        expect(r.rc == 1 and "Unable to connect" in r.err, f"expected exit 1, 'Unable to connect'; {r.describe()}")

    @check(f"{label}-refused", [peer])
    def _():
        # connect handler returns False
        r = sio("emit", server().url(), "echo", "--ack", "--auth", '{"token":"refuse"}', timeout=15)
        expect(r.rc == 1 and r.elapsed < 5, f"expected exit 1 quickly; {r.describe()}")
        if always_connect:
            # CONNECT, then DISCONNECT carrying {"message":"Connection rejected by server"}
            expect(re.search(r"rejected|disconnect", r.err, re.I), f"expected a clear message; {r.describe()}")
        else:
            expect("Connection rejected by server" in r.err, f"expected the server's message; {r.describe()}")

    @check(f"{label}-refused-listen", [peer])
    def _():
        # connect handler raises ConnectionRefusedError("not welcome", {"reason": "raised"})
        if always_connect:
            # The refusal comes as a DISCONNECT packet carrying {"message": ...}, which Socket.IO v5 parsers
            # reject ("invalid payload"): socket.io-client 4.8.4 then reconnects in a loop too. So only ask
            # that, without reconnection, listen ends at once with exit 1 and says it was disconnected.
            r = sio("listen", server().url(), "--auth", '{"token":"raise"}', "--no-reconnect", "--timeout", "5",
                    timeout=15)
            expect(r.rc == 1 and r.elapsed < 4.5, f"expected exit 1 before the timeout; {r.describe()}")
            expect("disconnect" in r.err.lower(), f"expected 'disconnect' on stderr; {r.describe()}")
        else:
            r = sio("listen", server().url(), "--auth", '{"token":"raise"}', "--timeout", "5", timeout=15)
            expect(r.rc == 1 and r.elapsed < 4.5, f"expected exit 1 before the timeout; {r.describe()}")
            expect("not welcome" in r.err and "raised" in r.err, f"expected message and data; {r.describe()}")

    @check(f"{label}-connect-pipe", [peer])
    def _():
        r = sio("connect", server().url(), stdin=b'/join /custom\n/nsp /custom\npoke 2\n/ack echo "c"\n',
                timeout=15)
        expect_output(r, ['/custom poked 2', 'ack /custom echo ["c"]'])


python_checks("py", "python", always_connect=False)
python_checks("flask", "flask", always_connect=True)


class PlainHttp:
    """A plain HTTP server on 127.0.0.1 that answers every GET with one status, type and body."""

    def __init__(self, status, content_type, body):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


# ---- 3. sio serve (echo mode)

for _t in ("polling", "websocket", "upgrade"):
    def serve_checks(t):
        ta = transport_args(t)
        p = f"serve-{t}-"

        @check(p + "emit-ack", ["serve"])
        def _():
            r = sio("emit", PEERS.serve.url(), "anything", "a", "1", '{"b":[true]}', "--ack", *ta)
            expect_output(r, ['["a",1,{"b":[true]}]'])

        @check(p + "binary", ["serve"])
        def _():
            path, b64 = blob_file()
            r = sio("emit", PEERS.serve.url("/bin"), "x", "@" + path, json.dumps({"$binary": BLOB_B64}), "--ack",
                    *ta)
            expect_output(r, [json.dumps([{"$binary": b64}, {"$binary": BLOB_B64}], separators=(",", ":"))])

        @check(p + "listen", ["serve"])
        def _():
            r = sio("listen", PEERS.serve.url(), "-n", "3", "--emit", '["message","hi"]', "--emit",
                    '["back",{"$binary":"%s"},2]' % BLOB_B64, "--auth", '{"k":"v"}', "--timeout", "5", *ta)
            expect_output(r, ['auth {"k":"v"}', 'message-back "hi"', 'back {"$binary":"%s"} 2' % BLOB_B64])

        @check(p + "listen-json", ["serve"])
        def _():
            url = PEERS.serve.url("/room")
            r = sio("listen", url, "message-back", "-n", "1", "--emit", '["message",1]', "--json", "--timeout", "5",
                    *ta)
            expect(r.rc == 0 and len(r.lines()) == 2, f"expected exit 0, two lines; {r.describe()}")
            ready, o = (json.loads(l) for l in r.lines())
            # Being connected is a record too, before any event: the ready signal of a script.
            expect(sorted(ready) == ["nsp", "sid", "time", "transport", "type", "url"], f"got {ready!r}")
            expect({k: ready[k] for k in ("type", "nsp", "url", "transport")} ==
                   {"type": "connected", "nsp": "/room", "url": url,
                    "transport": "websocket" if t == "websocket" else "polling"}, f"got {ready!r}")
            expect(ready["sid"] and TIME_RE.match(ready["time"]), f"got {ready!r}")
            expect({k: o.get(k) for k in ("type", "nsp", "event", "args")} ==
                   {"type": "event", "nsp": "/room", "event": "message-back", "args": [1]}, f"got {o!r}")
            expect(TIME_RE.match(o.get("time", "")), f"bad time {o!r}")

        @check(p + "connect-pipe", ["serve"])
        def _():
            r = sio("connect", PEERS.serve.url(), *ta, stdin=b'message "hi"\n/ack x 1\n', timeout=15)
            expect_output(r, ['auth {}', 'message-back "hi"', 'ack x [1]'])
    serve_checks(_t)


def compact(value):
    return json.dumps(value, separators=(",", ":"))


@check("serve-args-forms", ["serve"])
def _():
    # bare and explicit arguments, interleaved: the event's arguments in the order written
    path, b64 = blob_file()
    r = sio("emit", PEERS.serve.url(), "x", "1", "--arg", "123", "two", "--json-arg", '{"a":[1]}', "--file-arg",
            path, "@@alice", '"q"', "--arg", "@bob", "--arg", '{"a":', "--json-arg", '"7"', "[1,2]", "--ack")
    expect_output(r, [compact([1, "123", "two", {"a": [1]}, {"$binary": b64}, "@alice", "q", "@bob", '{"a":', "7",
                               [1, 2]])])


@check("serve-args-stdin", ["serve"])
def _():
    data = bytes(range(256)) * 4
    for form in (["@-"], ["--file-arg", "-"]):
        r = sio("emit", PEERS.serve.url(), "x", "first", *form, "last", "--ack", stdin=data)
        expect_output(r, [compact(["first", {"$binary": base64.b64encode(data).decode()}, "last"])])
    r = sio("emit", PEERS.serve.url(), "x", "@-", "--ack", stdin=b"")  # empty stdin: an empty binary
    expect_output(r, [compact([{"$binary": ""}])])


@check("serve-args-errors", ["serve"])
def _():
    url = PEERS.serve.url()
    cases = [
        (["emit", url, "x", '{"a":'], None,
         'sio emit: ARG: not valid JSON: {"a": (--arg sends it as a string)'),
        (["emit", url, "x", "--json-arg", "hello"], None, "sio emit: --json-arg: not valid JSON: hello"),
        (["emit", url, "x", "@-", "--file-arg", "-"], b"x",
         "sio emit: --file-arg: stdin can be read only once (@- or --file-arg -)"),
        (["emit", url, "x", "@-"], b"x" * (16 * 1024 * 1024 + 1), "sio emit: ARG: stdin is larger than 16 MiB"),
        (["emit", url, "x", "@/nonexistent/file"], None,
         "sio emit: ARG: cannot read /nonexistent/file: No such file or directory"),
        (["listen", url, "--ack-with-json", "[1,"], None, "sio listen: --ack-with-json: not valid JSON: [1,"),
        (["listen", url, "--ack-with", "[1,"], None,
         "sio listen: --ack-with: not valid JSON: [1, (--ack-with-arg sends it as a string)"),
        (["connect", url, "--ack-with", "@-"], None,
         "sio connect: --ack-with: @- cannot be used in sio connect: stdin is its input"),
        (["emit", "--redis", "redis://127.0.0.1:1", "news", "--json-arg", "{"], None,
         "sio emit: --json-arg: not valid JSON: {"),
    ]
    for argv, stdin, line in cases:
        r = sio(*argv, stdin=stdin)
        expect(r.rc == 2 and r.out == "" and r.err == line + "\n", f"expected exit 2 and {line!r}; {r.describe()}")


@check("serve-connect-line-args", ["serve"])
def _():
    # @@TEXT in a line is the string @TEXT; a word that starts like JSON and does not parse is refused,
    # the line not sent, and the next line goes on
    r = sio("connect", PEERS.serve.url(), stdin=b'message @@x\nmessage {"a":\n/ack x 1\n', timeout=15)
    expect_output(r, ['auth {}', 'message-back "@x"', 'ack x [1]'])
    expect('sio connect: not valid JSON: {"a": (quote it, "...", to send it as a string)' in r.err.splitlines(),
           f"expected the refusal on stderr; {r.describe()}")


SCRIPT = (b'message "hi there"\n'
          b'echo {"a": [1, 2], "s": "x y"}\n'
          b'["arr", 1, {"$binary": "AQID"}]\n'
          b'/join /other {"who": "me"}\n'
          b'/nsp /other\n'
          b'in-other true\n'
          b'/ack ackme 1 two\n'
          b'/nsp /\n'
          b'/ack ackme 2\n')


def parse_text_line(line):
    """`[ack ][/nsp ]event json json...` -> (kind, nsp, event, [values]); None if it does not parse."""
    kind = "event"
    if line.startswith("ack "):
        kind, line = "ack", line[4:]
    nsp = "/"
    if line.startswith("/"):
        nsp, _, line = line.partition(" ")
    event, _, rest = line.partition(" ")
    values, decoder, i = [], json.JSONDecoder(), 0
    try:
        while i < len(rest):
            if rest[i] == " ":
                i += 1
                continue
            value, i = decoder.raw_decode(rest, i)
            values.append(value)
    except ValueError:
        return None
    if kind == "ack":  # one JSON array of the ack arguments
        if len(values) != 1 or not isinstance(values[0], list):
            return None
        values = values[0]
    return [kind, nsp, event, values]


@check("serve-connect-stdin-file", ["serve"])
def _():
    # JSON arguments with spaces: the output is compared after parsing, so that the JSON's own formatting
    # (compact or as typed) does not matter
    path = os.path.join(checks.TMP, "script.txt")
    with open(path, "wb") as f:
        f.write(SCRIPT)
    with open(path, "rb") as f:
        r = sio("connect", PEERS.serve.url(), stdin=f, timeout=15)
    expect(r.rc == 0, f"expected exit 0; {r.describe()}")
    got = [parse_text_line(l) for l in r.lines()]
    expect(None not in got, f"a line does not parse as `[ack ][/nsp ]event JSON...`; {r.describe()}")
    root = [["event", "/", "auth", [{}]], ["event", "/", "message-back", ["hi there"]],
            ["event", "/", "echo", [{"a": [1, 2], "s": "x y"}]], ["event", "/", "arr", [1, {"$binary": "AQID"}]],
            ["ack", "/", "ackme", [2]]]
    other = [["event", "/other", "auth", [{"who": "me"}]], ["event", "/other", "in-other", [True]],
             ["ack", "/other", "ackme", [1, "two"]]]
    key = json.dumps
    expect(sorted(map(key, got)) == sorted(map(key, root + other)), f"expected {root + other}; {r.describe()}")
    for want in (root, other):
        expect([g for g in got if g in want] == want, f"order within a namespace; {r.describe()}")


@check("serve-connect-json", ["serve"])
def _():
    path = os.path.join(checks.TMP, "script-json.txt")
    with open(path, "wb") as f:
        f.write(SCRIPT)
    with open(path, "rb") as f:
        r = sio("connect", PEERS.serve.url(), "--json", stdin=f, timeout=15)
    expect(r.rc == 0, f"expected exit 0; {r.describe()}")
    try:
        objs = [json.loads(l) for l in r.lines()]
    except ValueError:
        raise CheckFailed(f"not NDJSON; {r.describe()}")
    # One `connected` record per namespace, each before that namespace's first event.
    connected = [o for o in objs if o.get("type") == "connected"]
    expect(sorted(o["nsp"] for o in connected) == ["/", "/other"] and all(o["sid"] for o in connected),
           f"expected a connected record for / and /other; {r.describe()}")
    for nsp in ("/", "/other"):
        first = next(i for i, o in enumerate(objs) if o.get("nsp") == nsp)
        expect(objs[first].get("type") == "connected", f"{nsp}: an event came before its connected record")
    objs = [o for o in objs if o.get("type") != "connected"]
    for o in objs:
        expect(isinstance(o, dict) and {"time", "type", "nsp", "event", "args"} <= set(o), f"keys: {o!r}")
        expect(TIME_RE.match(o["time"]), f"bad time: {o!r}")
    got = sorted(json.dumps([o["type"], o["nsp"], o["event"], o["args"]]) for o in objs)
    want = sorted(json.dumps(x) for x in [
        ["event", "/", "auth", [{}]], ["event", "/", "message-back", ["hi there"]],
        ["event", "/", "echo", [{"a": [1, 2], "s": "x y"}]], ["event", "/", "arr", [1, {"$binary": "AQID"}]],
        ["ack", "/", "ackme", [2]], ["event", "/other", "auth", [{"who": "me"}]],
        ["event", "/other", "in-other", [True]], ["ack", "/other", "ackme", [1, "two"]]])
    expect(got == want, f"expected {want}; {r.describe()}")


@check("serve-json-listening-record")
def _():
    # The ready signal comes first on stdout, before any connect; then the per-connection records.
    server = Background([checks.SIO, "serve", "--port", "0", "--json", "--host", "localhost"])
    try:
        expect(server.wait_for(lambda: len(server.out) >= 1, 10), f"no listening record; {server.describe()}")
        rec = json.loads(server.out[0])
        port = rec.get("port")
        expect(isinstance(port, int) and port > 0, f"no port in {rec!r}")
        expect({k: rec.get(k) for k in ("type", "host", "url", "path")} ==
               {"type": "listening", "host": "127.0.0.1", "url": f"http://127.0.0.1:{port}", "path": "/socket.io/"},
               f"--host localhost: got {rec!r}")
        expect(TIME_RE.match(rec.get("time", "")), f"bad time {rec!r}")
        r = sio("emit", rec["url"], "x", "--ack")
        expect_output(r, ["[]"])
        expect(server.wait_for(lambda: any('"type":"connect"' in l for l in server.out), 5),
               f"no connect record; {server.describe()}")
        expect(json.loads(server.out[1]).get("type") == "connect", f"second line; {server.describe()}")
    finally:
        expect(server.stop() == 0, f"expected exit 0 on SIGTERM; {server.describe()}")


@check("serve-quiet-keeps-listening-record")
def _():
    server = Background([checks.SIO, "serve", "--port", "0", "--json", "-q"])
    try:
        expect(server.wait_for(lambda: len(server.out) >= 1, 10), f"no listening record; {server.describe()}")
        rec = json.loads(server.out[0])
        expect(rec.get("type") == "listening", f"got {rec!r}")
        expect_output(sio("emit", rec["url"], "x", "--ack"), ["[]"])
    finally:
        server.stop()
    expect(len(server.out) == 1, f"-q: only the listening record on stdout; {server.describe()}")


@check("emit-not-socketio-server")
def _():
    # A web server that is not Socket.IO: the HTTP status and the first line, not the whole error page.
    page = ("<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body>\n" +
            "<p>lorem ipsum</p>\n" * 200 + "</body></html>\n").encode()
    web = PlainHttp(404, "text/html; charset=utf-8", page)
    try:
        r = sio("emit", f"http://127.0.0.1:{web.port}", "hello", "--transport", "polling")
    finally:
        web.close()
    expect(r.rc == 1 and r.out == "", f"expected exit 1 and no stdout; {r.describe()}")
    expect(r.err == "sio emit: connect error: HTTP 404 Not Found: 404 Not Found "
                    "(is it a Socket.IO server, and is --path right?)\n", f"stderr; {r.describe()}")


@check("serve-emit-usage", ["serve"])
def _():
    r = sio("emit", PEERS.serve.url(), "--transport", "carrier-pigeon", "x")
    expect(r.rc == 2, f"expected exit 2 on a usage error; {r.describe()}")


@check("serve-connect-color", ["serve"])
def _():
    # pipe mode: always colours stdout (NO_COLOR or not), never and auto (stdout a pipe) do not, NDJSON never
    env = dict(os.environ, NO_COLOR="1")
    url, script = PEERS.serve.url(), b"message hi\n/ack x 1\n"
    r = sio("connect", url, "--color=always", stdin=script, env=env)
    expect_output(r, ["\x1b[36mauth\x1b[0m {}", '\x1b[36mmessage-back\x1b[0m "hi"', "\x1b[32mack\x1b[0m x [1]"])
    expect(not SGR_RE.search(r.err), f"stderr is not coloured in pipe mode; {r.describe()}")
    for args in (["--color=never"], ["--color", "auto"], []):
        r = sio("connect", url, *args, stdin=script)
        expect_output(r, ["auth {}", 'message-back "hi"', "ack x [1]"])
    r = sio("connect", url, "--json", "--color=always", stdin=script)
    expect(r.rc == 0 and r.lines() and not SGR_RE.search(r.out), f"NDJSON must not be coloured; {r.describe()}")
    r = sio("connect", url, "--color=sometimes")
    expect(r.rc == 2 and r.err == "sio connect: --color: sometimes not in {auto,always,never}\n", r.describe())


# --------------------------------------------------------------------------------------------------------------

def teardown():
    PEERS.stop_all()
    return []


def main():
    # the slow starters first, so that they come up while the first checks run
    order = ["py", "flask", "node", "restart", "tls", "serve"]
    return checks.main("client_test", "sio client checks against Node, Python and sio peers",
                       setup=PEERS.init, start=lambda names: PEERS.start(sorted(names, key=order.index)),
                       teardown=teardown)


if __name__ == "__main__":
    sys.exit(main())
