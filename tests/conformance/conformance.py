#!/usr/bin/python3
"""Black-box wire conformance checks of `sio serve` (Engine.IO v4 + Socket.IO v5).

    /usr/bin/python3 tests/conformance/conformance.py --sio PATH_TO_SIO [--only NAME[,NAME...]] [--list]

Starts several `sio serve --port 0` instances on 127.0.0.1 (with the flags each group of checks needs), talks to
them with raw HTTP (http.client), raw TCP and raw WebSocket frames (websocket-client), compares exact wire strings,
and stops every instance at the end, also on failure. Prints `ok NAME` or `FAIL NAME: reason` per check, then
`N passed, M failed` alone on a line; exits 0 iff every selected check passed (2 on a usage error).

Only the standard library and python3-websocket (websocket-client) are used; run with /usr/bin/python3.
Every wait is bounded by a socket timeout; nothing sleeps to synchronise.
"""

import argparse
import tempfile
import shutil
import atexit
import http.client
import itertools
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time

try:
    import websocket
    from websocket import ABNF
except ImportError:
    sys.stderr.write("conformance: python3-websocket is missing (apt-get install -y python3-websocket) "
                     "or this is not /usr/bin/python3\n")
    sys.exit(2)

HOST = "127.0.0.1"
T = 5.0  # bound of one ordinary wait, in seconds
SID_RE = r"[A-Za-z0-9_-]{20}"
RS = "\x1e"

ERR_CODE0 = '{"code":0,"message":"Transport unknown"}'
ERR_CODE1 = '{"code":1,"message":"Session ID unknown"}'
ERR_CODE2 = '{"code":2,"message":"Bad handshake method"}'
ERR_CODE3 = '{"code":3,"message":"Bad request"}'
ERR_CODE5 = '{"code":5,"message":"Unsupported protocol version"}'

# name -> (extra flags, engine path)
# A directory for --static: a file, an index in a subdirectory, and a secret next to (not
# inside) the served directory that traversal must not reach.
STATIC_PARENT = tempfile.mkdtemp(prefix="sio-static-")
STATIC_DIR = os.path.join(STATIC_PARENT, "www")
os.makedirs(os.path.join(STATIC_DIR, "sub"))
with open(os.path.join(STATIC_DIR, "hello.txt"), "w") as f:
    f.write("hello from disk\n")
with open(os.path.join(STATIC_DIR, "sub", "index.html"), "w") as f:
    f.write("<p>sub index</p>\n")
with open(os.path.join(STATIC_PARENT, "secret.txt"), "w") as f:
    f.write("do not serve\n")
atexit.register(shutil.rmtree, STATIC_PARENT, True)

SERVERS = {
    "echo": ([], "/socket.io/"),
    "static": (["--static", STATIC_DIR], "/socket.io/"),
    "custom": (["--mode", "eio-echo", "--path", "/engine.io/", "--ping-interval", "24000", "--ping-timeout", "19000",
                "--max-payload", "1000", "--cors", "*"], "/engine.io/"),
    "hb": (["--ping-interval", "300", "--ping-timeout", "200"], "/socket.io/"),
    "ct": (["--connect-timeout", "300ms", "--ping-interval", "800"], "/socket.io/"),
    "ns": (["--namespace", "/"], "/socket.io/"),
    "bc": (["--mode", "broadcast"], "/socket.io/"),
    "iso": (["--max-payload", "1000"], "/socket.io/"),
    "sig": ([], "/socket.io/"),
}


class CheckFailed(Exception):
    pass


def fail(msg):
    raise CheckFailed(msg)


def expect_eq(what, got, want):
    if got != want:
        fail("%s: got %r, expected %r" % (what, got, want))


def expect_match(what, got, pattern):
    m = re.fullmatch(pattern, got)
    if not m:
        fail("%s: got %r, expected to match %r" % (what, got, pattern))
    return m


# ---------------------------------------------------------------------------------------------------------------
# Server processes

class Server:
    def __init__(self, sio, name, args, path):
        self.sio, self.name, self.args, self.path = sio, name, args, path
        self.proc = None
        self.port = None
        self.first_line = ""
        self.record = None
        self.stderr_chunks = []

    def start(self):
        # --json -q: stdout carries exactly one line, the listening record with the port; stderr starts with the
        # human start line (checked by startup_line).
        cmd = [self.sio, "serve", "--port", "0", "--json", "-q"] + self.args
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        record, _ = self._first_line(cmd, self.proc.stdout.fileno(), deadline, "listening record on stdout")
        fd = self.proc.stderr.fileno()
        self.first_line, rest = self._first_line(cmd, fd, deadline, "start line on stderr")
        self.stderr_chunks.append(rest)
        try:
            rec = json.loads(record)
        except ValueError:
            rec = None
        if not isinstance(rec, dict) or rec.get("type") != "listening" or not isinstance(rec.get("port"), int):
            raise RuntimeError("not a listening record: %r" % record)
        self.port = rec["port"]
        self.record = rec
        threading.Thread(target=self._drain, args=(fd,), daemon=True).start()

    def _first_line(self, cmd, fd, deadline, what):
        """The first line on fd (and the bytes after it), within the deadline."""
        buf = b""
        while b"\n" not in buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError("%s: no %s within 10 s (got %r)" % (" ".join(cmd), what, buf))
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 4096)
                if not chunk:
                    self.proc.wait(5)
                    raise RuntimeError("%s exited with %s before its %s: %r" % (" ".join(cmd), self.proc.returncode,
                                                                               what, buf))
                buf += chunk
        line, rest = buf.split(b"\n", 1)
        return line.decode("utf-8", "replace"), rest

    def _drain(self, fd):
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                return
            if not chunk:
                return
            self.stderr_chunks.append(chunk)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


class Servers:
    def __init__(self, sio):
        self.sio = sio
        self.started = {}
        self.lock = threading.Lock()

    def get(self, name):
        with self.lock:
            if name not in self.started:
                args, path = SERVERS[name]
                s = Server(self.sio, name, args, path)
                self.started[name] = s
                try:
                    s.start()
                except Exception as e:
                    s.error = "server %r did not start: %s" % (name, e)
            s = self.started[name]
            if getattr(s, "error", None):
                raise RuntimeError(s.error)
            return s

    def stop_all(self):
        for s in self.started.values():
            try:
                s.stop()
            except Exception as e:  # keep stopping the others
                sys.stderr.write("conformance: stopping %s: %s\n" % (s.name, e))


# ---------------------------------------------------------------------------------------------------------------
# HTTP

class Resp:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def __repr__(self):
        return "<%d %r>" % (self.status, self.body)


class Pending:
    """An HTTP request already sent; result() reads the answer (bounded by the socket timeout)."""

    def __init__(self, srv, method, query, body=None, headers=None, timeout=T, path=None):
        self.what = "%s %s?%s" % (method, path or srv.path, query)
        self.conn = http.client.HTTPConnection(HOST, srv.port, timeout=timeout)
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.conn.request(method, (path or srv.path) + ("?" + query if query is not None else ""), body=body,
                          headers=headers or {})

    def answered(self):
        """True when the server has written something (or closed): a point-in-time peek, not a wait."""
        ready, _, _ = select.select([self.conn.sock], [], [], 0)
        return bool(ready)

    def result(self):
        try:
            r = self.conn.getresponse()
            body = r.read()
            return Resp(r.status, r.getheaders(), body)
        except (socket.timeout, TimeoutError):
            fail("no answer to %s within %.1f s" % (self.what, self.conn.timeout))
        except (http.client.HTTPException, ConnectionError) as e:
            fail("%s: connection failed: %r" % (self.what, e))
        finally:
            self.conn.close()


def http_req(srv, method, query, body=None, headers=None, timeout=T, path=None):
    return Pending(srv, method, query, body, headers, timeout, path).result()


def barrier(srv):
    """A full round trip on a fresh connection: the server has read what was sent before on other connections."""
    http_req(srv, "GET", "EIO=4&transport=polling&sid=barrier")


def expect_error(r, status, body, what="response"):
    expect_eq(what + " status", r.status, status)
    expect_eq(what + " Content-Type", r.header("Content-Type"), "application/json")
    expect_eq(what + " body", r.text, body)


def open_packet(sid, upgrades='["websocket"]', interval=25000, timeout=20000, payload=1000000):
    return ('0{"sid":"%s","upgrades":%s,"pingInterval":%d,"pingTimeout":%d,"maxPayload":%d}'
            % (sid, upgrades, interval, timeout, payload))


class Poll:
    """An Engine.IO polling session."""

    def __init__(self, ctx, srv):
        self.srv = srv
        r = http_req(srv, "GET", "EIO=4&transport=polling")
        expect_eq("handshake status", r.status, 200)
        m = re.match(r'0\{"sid":"([^"]*)"', r.text)
        if not m:
            fail("handshake body %r" % r.body)
        self.sid = m.group(1)
        self.handshake = r

    def q(self):
        return "EIO=4&transport=polling&sid=" + self.sid

    def get(self, timeout=T):
        return http_req(self.srv, "GET", self.q(), timeout=timeout)

    def get_start(self, timeout=T):
        return Pending(self.srv, "GET", self.q(), timeout=timeout)

    def post(self, body, ctype="text/plain;charset=UTF-8", timeout=T):
        return http_req(self.srv, "POST", self.q(), body=body, headers={"Content-Type": ctype}, timeout=timeout)

    def post_ok(self, body):
        r = self.post(body)
        expect_eq("POST %r: status" % body, (r.status, r.body), (200, b"ok"))

    def get_expect(self, want, timeout=T):
        r = self.get(timeout)
        expect_eq("GET status", r.status, 200)
        expect_eq("GET body", r.text, want)
        return r

    def expect_gone(self, what="later GET"):
        r = self.get()
        expect_error(r, 400, ERR_CODE1, what)


# ---------------------------------------------------------------------------------------------------------------
# WebSocket

class WS:
    def __init__(self, ctx, srv, query, timeout=T):
        self.url = "ws://%s:%d%s?%s" % (HOST, srv.port, srv.path, query)
        self.ws = websocket.create_connection(self.url, timeout=timeout)
        ctx.on_cleanup(self.shutdown)

    def shutdown(self):
        try:
            self.ws.shutdown()
        except Exception:
            pass

    def send(self, data):
        """A text frame: str, or bytes sent as they are (for invalid UTF-8)."""
        self.ws.send(data, ABNF.OPCODE_TEXT)

    def send_bin(self, data):
        self.ws.send_binary(data)

    def recv(self, timeout=T):
        """('text', str) | ('binary', bytes) | ('close', bytes) | ('eof', None); fails on timeout."""
        try:
            self.ws.settimeout(timeout)
            op, data = self.ws.recv_data()
        except (websocket.WebSocketTimeoutException, socket.timeout, TimeoutError):
            raise TimeoutError("no frame within %.1f s" % timeout)
        except (websocket.WebSocketConnectionClosedException, ConnectionError, OSError):
            return ("eof", None)
        except websocket.WebSocketException as e:
            return ("eof", repr(e))
        if op == ABNF.OPCODE_TEXT:
            return ("text", data.decode("utf-8"))
        if op == ABNF.OPCODE_BINARY:
            return ("binary", bytes(data))
        return ("close", data)

    def next(self, timeout=T, pong=True):
        """The next text or binary frame; answers server pings unless pong=False."""
        while True:
            try:
                kind, data = self.recv(timeout)
            except TimeoutError as e:
                fail(str(e))
            if kind in ("close", "eof"):
                fail("the connection closed while a frame was expected")
            if pong and kind == "text" and data == "2":
                self.send("3")
                continue
            return kind, data

    def next_text(self, timeout=T, pong=True):
        kind, data = self.next(timeout, pong)
        if kind != "text":
            fail("expected a text frame, got %s %r" % (kind, data))
        return data

    def expect_text(self, want, what="frame", timeout=T):
        expect_eq(what, self.next_text(timeout), want)

    def expect_binary(self, want, what="binary frame"):
        kind, data = self.next()
        expect_eq(what, (kind, data), ("binary", want))

    def expect_closed(self, timeout=T, allowed=("1",)):
        """Reads until the server closes; fails if it is still open after `timeout` s or sends a frame not in
        `allowed` (text packets). Returns the frames seen."""
        seen = []
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                fail("still open after %.1f s (frames seen: %r)" % (timeout, seen))
            try:
                kind, data = self.recv(left)
            except TimeoutError:
                fail("still open after %.1f s (frames seen: %r)" % (timeout, seen))
            if kind in ("close", "eof"):
                return seen
            seen.append(data)
            if not (kind == "text" and data in allowed):
                fail("received %s %r where the server should close the connection" % (kind, data))

    # Socket.IO helpers

    def eio_open(self, upgrades="[]"):
        data = self.next_text()
        m = expect_match("open packet", data, r'0\{"sid":"(%s)","upgrades":%s,.*\}' % (SID_RE, re.escape(upgrades)))
        self.eio_sid = m.group(1)
        return data

    def sio_connect(self, nsp="/", payload="", comma=True, auth_event=True, auth=None):
        prefix = "" if nsp == "/" else nsp + ("," if comma else "")
        self.send("40" + prefix + payload)
        reply_prefix = "" if nsp == "/" else nsp + ","
        m = expect_match("CONNECT reply", self.next_text(), "40%s\\{\"sid\":\"(%s)\"\\}" % (re.escape(reply_prefix),
                                                                                            SID_RE))
        if auth_event:
            want = auth if auth is not None else (payload or "{}")
            self.expect_text('42%s["auth",%s]' % (reply_prefix, want), "auth event")
        return m.group(1)

    def roundtrip(self, tag, nsp="/"):
        p = "" if nsp == "/" else nsp + ","
        self.send('42%s["message","%s"]' % (p, tag))
        self.expect_text('42%s["message-back","%s"]' % (p, tag), "next frame (an echo round trip)")


def sio_ws(ctx, srv, nsps=("/",), auth_event=True):
    w = WS(ctx, srv, "EIO=4&transport=websocket")
    w.eio_open()
    w.sids = {}
    for n in nsps:
        w.sids[n] = w.sio_connect(n, auth_event=auth_event)
    return w


def raw_upgrade(srv, query):
    """A WebSocket upgrade request on a raw socket. Returns (status line, bytes received, closed): reads until the
    server closes the socket, or for T s, or (101) until the end of the response head."""
    s = socket.create_connection((HOST, srv.port), timeout=T)
    try:
        s.sendall(("GET %s?%s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
                   % (srv.path, query, HOST, srv.port)).encode())
        data = b""
        deadline = time.monotonic() + T
        closed = False
        while time.monotonic() < deadline:
            s.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = s.recv(4096)
            except socket.timeout:
                break
            except ConnectionError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            data += chunk
            if data.startswith(b"HTTP/1.1 101") and b"\r\n\r\n" in data and b"HTTP/1.1 400" not in data:
                # The reference's EIO=3 quirk writes a 400 after the 101: give it a moment to come.
                s.settimeout(0.5)
                try:
                    more = s.recv(4096)
                except (socket.timeout, ConnectionError):
                    more = b""
                data += more
                break
        return data.split(b"\r\n", 1)[0].decode("latin-1"), data, closed
    finally:
        s.close()


# ---------------------------------------------------------------------------------------------------------------
# Check registry and runner

CHECKS = []  # (name, fn, subnames, background)


def check(name=None, subs=(), background=False):
    def deco(fn):
        CHECKS.append((name or fn.__name__, fn, list(subs), background))
        return fn
    return deco


class Ctx:
    serial = itertools.count(1)

    def __init__(self, runner, name):
        self.runner = runner
        self.name = name
        self.cleanups = []
        self.results = []  # (name, error or None)

    def srv(self, name):
        return self.runner.servers.get(name)

    def on_cleanup(self, fn):
        self.cleanups.append(fn)

    def cleanup(self):
        for fn in reversed(self.cleanups):
            try:
                fn()
            except Exception:
                pass
        self.cleanups = []

    def fresh(self, base):
        return "/%s-%d-%d" % (base, os.getpid(), next(Ctx.serial))

    def sub(self, name, fn):
        """Runs fn() as the sub-check `name` of a group; returns True if it passed."""
        try:
            fn()
            self.results.append((name, None))
            return True
        except CheckFailed as e:
            self.results.append((name, str(e)))
        except Exception as e:
            self.results.append((name, "%s: %s" % (type(e).__name__, e)))
        return False


class Runner:
    def __init__(self, sio):
        self.servers = Servers(sio)
        self.passed = 0
        self.failed = 0
        self.lock = threading.Lock()

    def report(self, name, err):
        with self.lock:
            if err is None:
                self.passed += 1
                print("ok %s" % name, flush=True)
            else:
                self.failed += 1
                print("FAIL %s: %s" % (name, " ".join(str(err).split("\n"))), flush=True)

    def run_one(self, name, fn, subs):
        ctx = Ctx(self, name)
        err = None
        try:
            fn(ctx)
        except CheckFailed as e:
            err = str(e)
        except Exception as e:
            err = "%s: %s" % (type(e).__name__, e)
        finally:
            ctx.cleanup()
        if subs:
            done = {n for n, _ in ctx.results}
            for n, e in ctx.results:
                self.report(n, e)
            for n in subs:
                if n not in done:
                    self.report(n, "not reached: %s" % (err or "group ended early"))
        else:
            self.report(name, err)
        return ctx


# ---------------------------------------------------------------------------------------------------------------
# Startup and handshake (2.3)

@check()
def startup_line(ctx):
    s = ctx.srv("echo")
    expect_match("stderr line", s.first_line,
                 r"sio serve: listening on http://127\.0\.0\.1:%d/socket\.io/ \(mode echo\); "
                 r"demo page at http://127\.0\.0\.1:%d/" % (s.port, s.port))
    expect_eq("listening record", {k: v for k, v in s.record.items() if k != "time"},
              {"type": "listening", "host": "127.0.0.1", "port": s.port, "url": "http://127.0.0.1:%d" % s.port,
               "path": "/socket.io/"})


@check()
def handshake_polling(ctx):
    r = http_req(ctx.srv("echo"), "GET", "EIO=4&transport=polling")
    expect_eq("status", r.status, 200)
    expect_eq("Content-Type", r.header("Content-Type"), "text/plain; charset=UTF-8")
    m = expect_match("body", r.text, r'0\{"sid":"(%s)",.*' % SID_RE)
    expect_eq("body", r.text, open_packet(m.group(1)))


@check()
def handshake_sids_unique(ctx):
    s = ctx.srv("echo")
    sids = {Poll(ctx, s).sid for _ in range(5)}
    expect_eq("distinct sids of 5 handshakes", len(sids), 5)


@check()
def handshake_custom_values(ctx):
    r = http_req(ctx.srv("custom"), "GET", "EIO=4&transport=polling")
    expect_eq("status", r.status, 200)
    m = expect_match("body", r.text, r'0\{"sid":"(%s)",.*' % SID_RE)
    expect_eq("body", r.text, open_packet(m.group(1), interval=24000, timeout=19000, payload=1000))


@check()
def handshake_websocket_only(ctx):
    w = WS(ctx, ctx.srv("echo"), "EIO=4&transport=websocket")
    data = w.next_text(pong=False)
    m = expect_match("first frame", data, r'0\{"sid":"(%s)",.*' % SID_RE)
    expect_eq("first frame", data, open_packet(m.group(1), upgrades="[]"))


@check()
def handshake_cors(ctx):
    r = http_req(ctx.srv("custom"), "GET", "EIO=4&transport=polling", headers={"Origin": "http://example.com"})
    expect_eq("status", r.status, 200)
    expect_eq("Access-Control-Allow-Origin", r.header("Access-Control-Allow-Origin"), "*")


# ---------------------------------------------------------------------------------------------------------------
# Error responses (2.9)

@check()
def error_eio_missing(ctx):
    expect_error(http_req(ctx.srv("echo"), "GET", "transport=polling"), 400, ERR_CODE5)


@check()
def error_eio_abc(ctx):
    expect_error(http_req(ctx.srv("echo"), "GET", "EIO=abc&transport=polling"), 400, ERR_CODE5)


@check()
def error_eio_3(ctx):
    expect_error(http_req(ctx.srv("echo"), "GET", "EIO=3&transport=polling"), 400, ERR_CODE5)


@check()
def error_transport_missing(ctx):
    expect_error(http_req(ctx.srv("echo"), "GET", "EIO=4"), 400, ERR_CODE0)


@check()
def error_transport_abc(ctx):
    expect_error(http_req(ctx.srv("echo"), "GET", "EIO=4&transport=abc"), 400, ERR_CODE0)


@check()
def error_sid_unknown_get(ctx):
    expect_error(http_req(ctx.srv("echo"), "GET", "EIO=4&transport=polling&sid=nope"), 400, ERR_CODE1)


@check()
def error_sid_unknown_post(ctx):
    expect_error(http_req(ctx.srv("echo"), "POST", "EIO=4&transport=polling&sid=nope", body="40",
                          headers={"Content-Type": "text/plain;charset=UTF-8"}), 400, ERR_CODE1)


@check()
def error_post_without_sid(ctx):
    expect_error(http_req(ctx.srv("echo"), "POST", "EIO=4&transport=polling", body="40",
                          headers={"Content-Type": "text/plain;charset=UTF-8"}), 400, ERR_CODE2)


@check()
def error_put_without_sid(ctx):
    expect_error(http_req(ctx.srv("echo"), "PUT", "EIO=4&transport=polling", body="40",
                          headers={"Content-Type": "text/plain;charset=UTF-8"}), 400, ERR_CODE2)


@check()
def error_websocket_without_upgrade(ctx):
    expect_error(http_req(ctx.srv("echo"), "GET", "EIO=4&transport=websocket"), 400, ERR_CODE3)


@check()
def error_upgrade_bad_transport(ctx):
    line, data, closed = raw_upgrade(ctx.srv("echo"), "EIO=4&transport=abc")
    expect_match("status line", line, r"HTTP/1\.1 400.*")
    expect_eq("body", data.partition(b"\r\n\r\n")[2], b"Transport unknown")
    if not closed:
        fail("the socket stayed open after the 400 (answer %r)" % data)


@check()
def error_upgrade_unknown_sid(ctx):
    line, data, closed = raw_upgrade(ctx.srv("echo"), "EIO=4&transport=websocket&sid=nope")
    expect_match("status line", line, r"HTTP/1\.1 400.*")
    if not closed:
        fail("the socket stayed open after the 400 (answer %r)" % data)


@check()
def error_upgrade_eio3(ctx):
    line, data, closed = raw_upgrade(ctx.srv("echo"), "EIO=3&transport=websocket")
    if re.fullmatch(r"HTTP/1\.1 101.*", line):
        # The reference's quirk: 101, then a raw HTTP 400 written on the socket.
        if b"HTTP/1.1 400" not in data:
            fail("101 without the 400 that follows it (answer %r)" % data)
        return
    expect_match("status line", line, r"HTTP/1\.1 400.*")


# ---------------------------------------------------------------------------------------------------------------
# Polling (2.3, 2.4)

@check()
def poll_post_reply(ctx):
    p = Poll(ctx, ctx.srv("echo"))
    r = p.post("40")
    expect_eq("status", r.status, 200)
    expect_eq("body", r.body, b"ok")
    expect_eq("Content-Type", r.header("Content-Type"), "text/html")
    expect_eq("Content-Length", r.header("Content-Length"), "2")


@check()
def poll_sio_connect(ctx):
    p = Poll(ctx, ctx.srv("echo"))
    p.post_ok("40")
    r = p.get()
    expect_eq("status", r.status, 200)
    expect_eq("Content-Type", r.header("Content-Type"), "text/plain; charset=UTF-8")
    m = expect_match("body", r.text, r'40\{"sid":"(%s)"\}\x1e.*' % SID_RE)
    expect_eq("body", r.text, '40{"sid":"%s"}\x1e42["auth",{}]' % m.group(1))


@check()
def poll_get_held_open(ctx):
    p = Poll(ctx, ctx.srv("custom"))
    g = p.get_start()
    barrier(p.srv)
    if g.answered():
        fail("a GET with nothing to send was answered at once: %r" % (g.result(),))
    p.post_ok("4x")
    r = g.result()
    expect_eq("held GET", (r.status, r.text), (200, "4x"))


@check()
def poll_batching_both_ways(ctx):
    p = Poll(ctx, ctx.srv("custom"))
    p.post_ok("4hello\x1e4world\x1e4h\u00e9llo \u2603")
    p.get_expect("4hello\x1e4world\x1e4h\u00e9llo \u2603")


@check()
def poll_binary_base64_both_ways(ctx):
    p = Poll(ctx, ctx.srv("custom"))
    p.post_ok("bAQIDBA==\x1e4text\x1eb/w==")
    p.get_expect("bAQIDBA==\x1e4text\x1eb/w==")


@check()
def ws_binary_echo(ctx):
    # Over WebSocket a binary message is a raw binary frame with no type byte, both ways.
    w = WS(ctx, ctx.srv("custom"), "EIO=4&transport=websocket")
    w.eio_open()
    w.send_bin(b"\x01\x02\x03\x04")
    w.expect_binary(b"\x01\x02\x03\x04")


@check()
def poll_max_payload_over_413(ctx):
    p = Poll(ctx, ctx.srv("custom"))
    r = p.post("4" + "x" * 1000)  # 1001 bytes, max 1000
    expect_eq("status of a 1001-byte POST", r.status, 413)


@check()
def poll_max_payload_under(ctx):
    p = Poll(ctx, ctx.srv("custom"))
    body = "4" + "y" * 998  # 999 bytes
    p.post_ok(body)
    p.get_expect(body)


@check()
def poll_max_payload_at_limit(ctx):
    p = Poll(ctx, ctx.srv("custom"))
    body = "4" + "z" * 999  # 1000 bytes = maxPayload; only larger bodies are rejected
    p.post_ok(body)
    p.get_expect(body)


@check()
def poll_octet_stream_400(ctx):
    p = Poll(ctx, ctx.srv("custom"))
    r = p.post(b"4abc", ctype="application/octet-stream")
    expect_eq("status", r.status, 400)


@check()
def poll_garbage_body_400(ctx):
    p = Poll(ctx, ctx.srv("custom"))
    r = p.post("abc")
    expect_eq("status of POST abc", r.status, 400)


@check()
def poll_garbage_body_closes(ctx):
    p = Poll(ctx, ctx.srv("custom"))
    p.post("abc")
    p.expect_gone("GET after POST abc")


@check()
def poll_concurrent_get(ctx):
    p = Poll(ctx, ctx.srv("echo"))  # echo mode sends nothing before CONNECT: the GET stays pending
    g1 = p.get_start()
    barrier(p.srv)
    g2 = p.get_start()
    r1, r2 = g1.result(), g2.result()
    got = sorted([(r1.status, r1.body), (r2.status, r2.body)])
    expect_eq("the two GETs (status, body)", got, [(200, b"1"), (400, b"")])
    if (r1.status, r2.status) != (200, 400):
        fail("the second GET got %r and the pending one %r" % (r2, r1))
    p.expect_gone()


@check()
def poll_concurrent_post(ctx):
    srv = ctx.srv("custom")
    p = Poll(ctx, srv)
    s = socket.create_connection((HOST, srv.port), timeout=T)
    ctx.on_cleanup(s.close)
    s.sendall(("POST %s?%s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: text/plain;charset=UTF-8\r\n"
               "Content-Length: 6\r\n\r\n4he" % (srv.path, p.q(), HOST, srv.port)).encode())
    barrier(srv)
    r = p.post("4x")
    expect_eq("status of a POST while another POST is outstanding", r.status, 400)
    p.expect_gone()


@check()
def poll_client_close(ctx):
    p = Poll(ctx, ctx.srv("custom"))
    g = p.get_start()
    barrier(p.srv)
    p.post_ok("1")
    r = g.result()
    expect_eq("pending GET after POST 1", (r.status, r.text), (200, "6"))
    p.expect_gone()


@check()
def poll_heartbeat_answered(ctx):
    p = Poll(ctx, ctx.srv("hb"))
    expect_match("handshake", p.handshake.text, r'.*"pingInterval":300,"pingTimeout":200,.*')
    t0 = time.monotonic()
    for i in range(3):
        p.get_expect("2", timeout=3)
        p.post_ok("3")
    if time.monotonic() - t0 < 0.5:
        fail("three pings within %.3f s with pingInterval 300" % (time.monotonic() - t0))


@check()
def poll_heartbeat_silent_closed(ctx):
    p = Poll(ctx, ctx.srv("hb"))
    t0 = time.monotonic()
    p.get_expect("2", timeout=3)
    r = p.get(timeout=3)  # not answering the ping: pending until the session closes
    if not ((r.status == 200 and r.text in ("1", "6")) or (r.status == 400 and r.text == ERR_CODE1)):
        fail("GET after an unanswered ping: %r, expected the session to close" % (r,))
    elapsed = time.monotonic() - t0
    p.expect_gone()
    if elapsed > 2.5:
        fail("closed %.2f s after the handshake (300+200 ms expected)" % elapsed)


# ---------------------------------------------------------------------------------------------------------------
# WebSocket (2.5, 2.6, 2.8)

@check()
def ws_text_echo(ctx):
    w = WS(ctx, ctx.srv("custom"), "EIO=4&transport=websocket")
    w.eio_open()
    w.send("4h\u00e9llo")
    w.expect_text("4h\u00e9llo")


@check()
def ws_client_ping_closes(ctx):
    w = WS(ctx, ctx.srv("echo"), "EIO=4&transport=websocket")
    w.eio_open()
    w.send("2")
    w.expect_closed()


@check()
def ws_invalid_packet_closes(ctx):
    w = WS(ctx, ctx.srv("echo"), "EIO=4&transport=websocket")
    w.eio_open()
    w.send("abc")
    w.expect_closed()


@check()
def ws_invalid_utf8_closes(ctx):
    w = WS(ctx, ctx.srv("custom"), "EIO=4&transport=websocket")
    w.eio_open()
    w.send(b"4\xff\xfe")
    w.expect_closed()


@check()
def ws_client_close_packet(ctx):
    w = WS(ctx, ctx.srv("echo"), "EIO=4&transport=websocket")
    w.eio_open()
    w.send("1")
    w.expect_closed(timeout=3)


@check()
def ws_max_payload_over_closes(ctx):
    w = WS(ctx, ctx.srv("custom"), "EIO=4&transport=websocket")
    w.eio_open()
    w.send("4" + "x" * 1000)  # 1001 bytes
    w.expect_closed()


@check()
def ws_max_payload_under(ctx):
    w = WS(ctx, ctx.srv("custom"), "EIO=4&transport=websocket")
    w.eio_open()
    body = "4" + "y" * 998
    w.send(body)
    w.expect_text(body, "echo of a 999-byte frame")


@check()
def ws_max_payload_at_limit(ctx):
    w = WS(ctx, ctx.srv("custom"), "EIO=4&transport=websocket")
    w.eio_open()
    body = "4" + "z" * 999
    w.send(body)
    w.expect_text(body, "echo of a 1000-byte frame")


@check()
def ws_heartbeat(ctx):
    w = WS(ctx, ctx.srv("hb"), "EIO=4&transport=websocket")
    w.eio_open()
    for _ in range(4):
        kind, data = w.next(timeout=3, pong=False)
        expect_eq("frame", (kind, data), ("text", "2"))
        if _ < 3:
            w.send("3")
    t0 = time.monotonic()
    w.expect_closed(timeout=3, allowed=("1",))
    if time.monotonic() - t0 > 2:
        fail("closed %.2f s after the unanswered ping (pingTimeout 200 ms)" % (time.monotonic() - t0))


# ---------------------------------------------------------------------------------------------------------------
# Upgrade (2.7)

def probed(ctx, srv):
    p = Poll(ctx, srv)
    w = WS(ctx, srv, "EIO=4&transport=websocket&sid=" + p.sid)
    w.send("2probe")
    w.expect_text("3probe", "probe answer")
    return p, w


def upgraded(ctx, srv):
    p, w = probed(ctx, srv)
    p.get_expect("6")
    w.send("5")
    return p, w


@check()
def upgrade_probe(ctx):
    probed(ctx, ctx.srv("echo"))


@check()
def upgrade_get_after_probe_noop(ctx):
    p, w = probed(ctx, ctx.srv("echo"))
    r = p.get(timeout=3)
    expect_eq("GET after the probe", (r.status, r.text), (200, "6"))


@check()
def upgrade_pending_get_noop(ctx):
    srv = ctx.srv("echo")
    p = Poll(ctx, srv)
    g = p.get_start()
    barrier(srv)
    w = WS(ctx, srv, "EIO=4&transport=websocket&sid=" + p.sid)
    w.send("2probe")
    w.expect_text("3probe", "probe answer")
    r = g.result()
    expect_eq("GET pending during the probe", (r.status, r.text), (200, "6"))


@check()
def upgrade_messages_flow(ctx):
    p, w = upgraded(ctx, ctx.srv("echo"))
    w.sio_connect()
    w.roundtrip("after-upgrade")


@check()
def upgrade_flushes_buffer(ctx):
    p, w = probed(ctx, ctx.srv("echo"))
    p.get_expect("6")
    p.post_ok("40")  # answered while polling is paused: buffered until the upgrade
    w.send("5")
    expect_match("first frame after 5", w.next_text(), r'40\{"sid":"%s"\}' % SID_RE)
    w.expect_text('42["auth",{}]', "auth event")


@check()
def upgrade_polling_rejected_after(ctx):
    p, w = upgraded(ctx, ctx.srv("echo"))
    w.sio_connect()  # the server has certainly processed the 5
    # The reference's verify(): a known sid on another transport without an upgrade is BAD_REQUEST.
    expect_error(p.get(), 400, ERR_CODE3, "polling GET after the upgrade")
    expect_error(p.post("6"), 400, ERR_CODE3, "polling POST after the upgrade")


@check()
def upgrade_second_websocket_closed(ctx):
    srv = ctx.srv("echo")
    p, w = upgraded(ctx, srv)
    w.sio_connect()
    try:
        w2 = WS(ctx, srv, "EIO=4&transport=websocket&sid=" + p.sid)
    except websocket.WebSocketBadStatusException:
        pass  # refused at the HTTP level: also closed
    else:
        w2.send("2probe")
        w2.expect_closed(allowed=())
    w.roundtrip("first-ws-still-works")


@check(background=True)
def upgrade_timeout(ctx):
    srv = ctx.srv("echo")
    p, w = probed(ctx, srv)
    t0 = time.monotonic()
    w.expect_closed(timeout=14, allowed=())
    elapsed = time.monotonic() - t0
    if elapsed < 5:
        fail("the probe WebSocket closed %.2f s after the probe (upgradeTimeout 10 s)" % elapsed)
    p.post_ok("40")
    r = p.get()
    expect_match("polling after the aborted upgrade", r.text, r'40\{"sid":"%s"\}\x1e42\["auth",\{\}\]' % SID_RE)


# ---------------------------------------------------------------------------------------------------------------
# Socket.IO CONNECT and namespaces (3.3, 3.5)

@check()
def sio_connect(ctx):
    w = WS(ctx, ctx.srv("echo"), "EIO=4&transport=websocket")
    w.eio_open()
    w.send("40")
    m = expect_match("CONNECT reply", w.next_text(), r'40\{"sid":"(%s)"\}' % SID_RE)
    if m.group(1) == w.eio_sid:
        fail("the Socket.IO sid equals the Engine.IO sid %r" % w.eio_sid)
    w.expect_text('42["auth",{}]', "auth event")


@check()
def sio_connect_auth(ctx):
    w = WS(ctx, ctx.srv("echo"), "EIO=4&transport=websocket")
    w.eio_open()
    w.sio_connect("/", payload='{"token":"abc"}')


@check()
def sio_connect_custom_comma(ctx):
    w = WS(ctx, ctx.srv("echo"), "EIO=4&transport=websocket")
    w.eio_open()
    w.sio_connect("/custom", comma=True)


@check()
def sio_connect_custom_no_comma(ctx):
    w = WS(ctx, ctx.srv("echo"), "EIO=4&transport=websocket")
    w.eio_open()
    w.sio_connect("/custom", comma=False)


@check()
def sio_connect_custom_auth(ctx):
    w = WS(ctx, ctx.srv("echo"), "EIO=4&transport=websocket")
    w.eio_open()
    w.sio_connect("/admin", payload='{"token":"123"}')


@check()
def sio_namespace_sids_distinct(ctx):
    w = sio_ws(ctx, ctx.srv("echo"), nsps=("/", "/custom"))
    if w.sids["/"] == w.sids["/custom"]:
        fail("both namespaces got sid %r" % w.sids["/"])


@check()
def sio_invalid_namespace(ctx):
    w = WS(ctx, ctx.srv("ns"), "EIO=4&transport=websocket")
    w.eio_open()
    w.send("40/random,")
    w.expect_text('44/random,{"message":"Invalid namespace"}', "CONNECT_ERROR")
    w.send("40/random")
    w.expect_text('44/random,{"message":"Invalid namespace"}', "CONNECT_ERROR (no comma)")
    w.sio_connect("/")
    w.roundtrip("still-open")


def connected_then(ctx, srv_name, *sends, connect=True, allowed=("1",), timeout=T):
    w = WS(ctx, ctx.srv(srv_name), "EIO=4&transport=websocket")
    w.eio_open()
    if connect:
        w.sio_connect("/", auth_event=srv_name != "bc")
    for s in sends:
        if isinstance(s, tuple):
            w.send_bin(s[1])
        else:
            w.send(s)
    return w.expect_closed(timeout=timeout, allowed=allowed)


@check()
def sio_event_before_connect_closes(ctx):
    connected_then(ctx, "echo", '42["x"]', connect=False)


@check()
def sio_invalid_connect_payload_closes(ctx):
    connected_then(ctx, "echo", '40"token"', connect=False)


@check()
def sio_event_unjoined_namespace_closes(ctx):
    connected_then(ctx, "echo", '42/other,["x"]')


@check()
def sio_disconnect_main_keeps_engine(ctx):
    w = sio_ws(ctx, ctx.srv("hb"))
    w.send("41")
    kind, data = w.next(timeout=3, pong=False)
    expect_eq("next frame after 41", (kind, data), ("text", "2"))
    w.send("3")
    w.sio_connect("/")
    w.roundtrip("reconnected")


@check()
def sio_disconnect_namespace(ctx):
    w = sio_ws(ctx, ctx.srv("echo"), nsps=("/", "/custom"))
    w.send("41/custom,")
    w.roundtrip("main-still-joined")
    w.send('42/custom,["x"]')
    w.expect_closed()


@check(subs=("sio_connect_timeout_closes", "sio_connect_timeout_spares_connected"))
def sio_connect_timeout(ctx):
    srv = ctx.srv("ct")
    silent = WS(ctx, srv, "EIO=4&transport=websocket")
    silent.eio_open()
    t0 = time.monotonic()
    joined = sio_ws(ctx, srv)

    def closes():
        silent.expect_closed(timeout=3, allowed=("1",))
        if time.monotonic() - t0 > 2.5:
            fail("closed after %.2f s with --connect-timeout 300ms" % (time.monotonic() - t0))

    def spares():
        # The ping comes 800 ms after the open, well after the 300 ms connect timeout.
        kind, data = joined.next(timeout=3, pong=False)
        expect_eq("first frame after the connect timeout", (kind, data), ("text", "2"))
        joined.send("3")
        joined.roundtrip("alive")

    ctx.sub("sio_connect_timeout_closes", closes)
    ctx.sub("sio_connect_timeout_spares_connected", spares)


# ---------------------------------------------------------------------------------------------------------------
# Echo mode wire strings, acks, binary (3.2, 3.4)

@check()
def sio_echo_message(ctx):
    w = sio_ws(ctx, ctx.srv("echo"))
    w.send('42["message",1,"2",{"3":[true]}]')
    w.expect_text('42["message-back",1,"2",{"3":[true]}]')


@check()
def sio_echo_preserves_bytes(ctx):
    w = sio_ws(ctx, ctx.srv("echo"))
    args = '{"b":1, "a":1.50},1E3,-0.0,"\\u00e9\\"\\/","\u00e9\u2603",[ ],{ "z" : null }'
    w.send('42["message",%s]' % args)
    w.expect_text('42["message-back",%s]' % args)


@check()
def sio_echo_other_event(ctx):
    w = sio_ws(ctx, ctx.srv("echo"))
    w.send('42["hello",1,"x",{"y":[null]}]')
    w.expect_text('42["hello",1,"x",{"y":[null]}]')


@check()
def sio_echo_ack(ctx):
    w = sio_ws(ctx, ctx.srv("echo"))
    w.send('4212["foo",1]')
    w.expect_text("4312[1]", "ack")
    w.roundtrip("nothing-else")


@check()
def sio_echo_ack_no_args(ctx):
    w = sio_ws(ctx, ctx.srv("echo"))
    w.send('420["foo"]')
    w.expect_text("430[]", "ack")


@check()
def sio_echo_message_with_ack(ctx):
    w = sio_ws(ctx, ctx.srv("echo"))
    w.send('427["message","x"]')
    got = sorted([w.next_text(), w.next_text()])
    expect_eq("frames", got, sorted(['42["message-back","x"]', '437["x"]']))


@check()
def sio_echo_ack_custom_namespace(ctx):
    w = sio_ws(ctx, ctx.srv("echo"), nsps=("/custom",))
    w.send('42/custom,5["foo",true]')
    w.expect_text("43/custom,5[true]", "ack")
    w.send('42/custom,["bar",2]')
    w.expect_text('42/custom,["bar",2]', "echo")


@check()
def sio_binary_event(ctx):
    w = sio_ws(ctx, ctx.srv("echo"))
    w.send('451-["bin",{"_placeholder":true,"num":0}]')
    w.send_bin(b"\x00\x01\xfe\xff")
    w.expect_text('451-["bin",{"_placeholder":true,"num":0}]', "binary event header")
    w.expect_binary(b"\x00\x01\xfe\xff", "attachment")


@check()
def sio_binary_two_attachments(ctx):
    w = sio_ws(ctx, ctx.srv("echo"))
    hdr = '452-["bin",{"_placeholder":true,"num":0},{"x":{"_placeholder":true,"num":1}}]'
    w.send(hdr)
    w.send_bin(b"\x01")
    w.send_bin(b"\x02\x03")
    w.expect_text(hdr, "binary event header")
    w.expect_binary(b"\x01", "attachment 0")
    w.expect_binary(b"\x02\x03", "attachment 1")


@check()
def sio_binary_ack(ctx):
    w = sio_ws(ctx, ctx.srv("echo"))
    w.send('451-3["bin",{"_placeholder":true,"num":0}]')
    w.send_bin(b"\x07\x08")
    w.expect_text('461-3[{"_placeholder":true,"num":0}]', "binary ack header")
    w.expect_binary(b"\x07\x08", "attachment")


@check()
def sio_binary_polling(ctx):
    p = Poll(ctx, ctx.srv("echo"))
    p.post_ok("40")
    r = p.get()
    expect_match("connect", r.text, r'40\{"sid":"%s"\}\x1e42\["auth",\{\}\]' % SID_RE)
    p.post_ok('451-["bin",{"_placeholder":true,"num":0}]\x1ebAAH+/w==')
    p.get_expect('451-["bin",{"_placeholder":true,"num":0}]\x1ebAAH+/w==')


@check()
def sio_unsolicited_ack_ignored(ctx):
    w = sio_ws(ctx, ctx.srv("echo"))
    w.send("435[]")
    w.roundtrip("after-ack")


# ---------------------------------------------------------------------------------------------------------------
# Socket.IO decode errors close the connection (3.2)

@check()
def sio_reserved_event_closes(ctx):
    bad = []
    for name in ("connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"):
        try:
            connected_then(ctx, "echo", '42["%s"]' % name)
        except CheckFailed as e:
            bad.append("%s: %s" % (name, e))
    if bad:
        fail("; ".join(bad))


@check()
def sio_invalid_event_payload_closes(ctx):
    bad = []
    for payload in ('42{}', '42[]', '42[{}]', '42"x"', '42[null]', '42["x"', '42[1'):
        try:
            connected_then(ctx, "echo", payload)
        except CheckFailed as e:
            bad.append("%s: %s" % (payload, e))
    if bad:
        fail("; ".join(bad))


@check()
def sio_disconnect_with_payload_closes(ctx):
    connected_then(ctx, "echo", '41{"a":1}')


@check()
def sio_unknown_type_closes(ctx):
    connected_then(ctx, "echo", "4abc")


@check()
def sio_too_many_attachments_closes(ctx):
    connected_then(ctx, "echo", '4511-["x",{"_placeholder":true,"num":0}]')


@check()
def sio_unexpected_binary_closes(ctx):
    connected_then(ctx, "echo", ("bin", b"\x01\x02"))


@check()
def sio_text_while_collecting_closes(ctx):
    connected_then(ctx, "echo", '451-["bin",{"_placeholder":true,"num":0}]', '42["x"]')


@check()
def sio_placeholder_out_of_range_closes(ctx):
    connected_then(ctx, "echo", '451-["bin",{"_placeholder":true,"num":1}]', ("bin", b"\x01"))


@check()
def sio_invalid_utf8_polling(ctx):
    p = Poll(ctx, ctx.srv("echo"))
    p.post_ok("40")
    p.get()
    r = p.post(b'42["message","\xff\xfe"]')
    if r.status == 400:
        p.expect_gone()
        return
    if r.status != 200:
        fail("POST with invalid UTF-8: %r" % (r,))
    r = p.get(timeout=3)
    if r.status == 400:
        expect_error(r, 400, ERR_CODE1, "GET after the invalid POST")
        return
    if r.text not in ("1", "6"):
        fail("POST with invalid UTF-8 accepted (200 ok), the next GET got %r instead of a close" % (r,))
    p.expect_gone()


@check()
def poll_invalid_utf8_eio_echo(ctx):
    # eio-echo would send it back in a text frame once upgraded: the body is refused, the session closed.
    p = Poll(ctx, ctx.srv("custom"))
    expect_error(p.post(b"4ok\x1e4\xff\xfe"), 400, ERR_CODE3, "POST of invalid UTF-8")
    p.expect_gone()


# ---------------------------------------------------------------------------------------------------------------
# Room control events and broadcast mode

def two_in(ctx, srv_name, auth_event=True):
    nsp = ctx.fresh("rooms")
    srv = ctx.srv(srv_name)
    a = sio_ws(ctx, srv, nsps=(nsp,), auth_event=auth_event)
    b = sio_ws(ctx, srv, nsps=(nsp,), auth_event=auth_event)
    return nsp, a, b


@check()
def rooms_join(ctx):
    nsp, a, b = two_in(ctx, "echo")
    a.send('42%s,1["join","r2","r1"]' % nsp)
    a.expect_text('43%s,1[["r1","r2"]]' % nsp, "join ack")
    a.send('42%s,2["join"]' % nsp)
    a.expect_text('43%s,2[["r1","r2"]]' % nsp, "join ack (no rooms)")
    a.roundtrip("join-not-echoed", nsp)


@check()
def rooms_to(ctx):
    nsp, a, b = two_in(ctx, "echo")
    a.send('42%s,1["join","r1"]' % nsp)
    a.expect_text('43%s,1[["r1"]]' % nsp, "join ack")
    b.send('42%s,2["to","r1","hey",1,{"k":"v"}]' % nsp)
    b.expect_text('43%s,2[1]' % nsp, "to ack (recipients)")
    a.expect_text('42%s,["hey",1,{"k":"v"}]' % nsp, "event sent to the room")
    b.roundtrip("sender-gets-nothing", nsp)
    a.send('42%s,3["to","r1","self"]' % nsp)
    a.expect_text('43%s,3[0]' % nsp, "to ack when the sender is the only member")


@check()
def rooms_broadcast(ctx):
    nsp, a, b = two_in(ctx, "echo")
    b.send('42%s,4["broadcast","all",{"x":2}]' % nsp)
    b.expect_text('43%s,4[1]' % nsp, "broadcast ack (recipients)")
    a.expect_text('42%s,["all",{"x":2}]' % nsp, "broadcast event")
    b.roundtrip("sender-excluded", nsp)


@check()
def rooms_leave(ctx):
    nsp, a, b = two_in(ctx, "echo")
    a.send('42%s,1["join","r1","r2"]' % nsp)
    a.expect_text('43%s,1[["r1","r2"]]' % nsp, "join ack")
    a.send('42%s,2["leave","r1"]' % nsp)
    a.expect_text('43%s,2[["r2"]]' % nsp, "leave ack")
    b.send('42%s,3["to","r1","hey"]' % nsp)
    b.expect_text('43%s,3[0]' % nsp, "to ack after leave")
    a.roundtrip("left-room-gets-nothing", nsp)


@check()
def broadcast_mode_includes_sender(ctx):
    nsp, a, b = two_in(ctx, "bc", auth_event=False)
    a.send('42%s,["x",1]' % nsp)
    a.expect_text('42%s,["x",1]' % nsp, "sender's copy (first frame after CONNECT: no auth event)")
    b.expect_text('42%s,["x",1]' % nsp, "other socket's copy (first frame after CONNECT: no auth event)")


@check()
def broadcast_mode_ack(ctx):
    nsp, a, b = two_in(ctx, "bc", auth_event=False)
    a.send('42%s,7["y",2]' % nsp)
    got = sorted([a.next_text(), a.next_text()])
    expect_eq("sender's frames", got, sorted(['42%s,["y",2]' % nsp, '43%s,7[2]' % nsp]))
    b.expect_text('42%s,["y",2]' % nsp, "other socket's copy")


# ---------------------------------------------------------------------------------------------------------------
# Robustness: isolation, signals, slowloris

@check(subs=("isolation_healthy_client", "isolation_bad_clients_closed", "isolation_server_alive",
             "sigterm_close_packet", "sigterm_exit_0"))
def isolation(ctx):
    srv = ctx.srv("iso")
    healthy = sio_ws(ctx, srv)
    ws_bad = [
        ("event before CONNECT", False, ['42["x"]']),
        ("invalid CONNECT payload", False, ['40"token"']),
        ("invalid Engine.IO packet", False, ["abc"]),
        ("client ping", False, ["2"]),
        ("reserved event", True, ['42["connect"]']),
        ("too many attachments", True, ['4511-["x",{"_placeholder":true,"num":0}]']),
        ("unexpected binary", True, [("bin", b"\x01")]),
        ("oversized frame", False, ["4" + "x" * 2000]),
        ("invalid UTF-8 text frame", False, [b"4\xff"]),
        ("event for a namespace not joined", True, ['42/nope,["x"]']),
        ("text while collecting attachments", True, ['451-["b",{"_placeholder":true,"num":0}]', '42["x"]']),
    ]
    echo_failures = []
    not_closed = []
    counter = itertools.count()

    def healthy_echo(after):
        i = next(counter)
        try:
            healthy.send('42["message",%d]' % i)
            healthy.expect_text('42["message-back",%d]' % i, "echo")
        except CheckFailed as e:
            echo_failures.append("after %s: %s" % (after, e))
            raise

    # Phase 1: one bad client at a time, the healthy client echoing in between.
    opened = []
    for what, connect, sends in ws_bad:
        w = WS(ctx, srv, "EIO=4&transport=websocket")
        w.eio_open()
        if connect:
            w.sio_connect("/")
        for s in sends:
            if isinstance(s, tuple):
                w.send_bin(s[1])
            else:
                w.send(s)
        opened.append((what, w))
        healthy_echo(what)
    # Polling misbehaviour
    p = Poll(ctx, srv)
    p.post("abc")
    healthy_echo("garbage POST")
    p = Poll(ctx, srv)
    p.post(b"4x", ctype="application/octet-stream")
    healthy_echo("octet-stream POST")
    p = Poll(ctx, srv)
    p.post("4" + "x" * 2000)
    healthy_echo("oversized POST")
    p = Poll(ctx, srv)
    g1 = p.get_start()
    barrier(srv)
    g2 = p.get_start()
    g1.result(), g2.result()
    healthy_echo("overlapping GETs")
    # Raw TCP garbage, a half-sent WebSocket frame, an aborted upgrade
    s = socket.create_connection((HOST, srv.port), timeout=T)
    ctx.on_cleanup(s.close)
    s.sendall(b"\x00\x01\x02garbage\r\n\r\n")
    healthy_echo("TCP garbage")
    w = WS(ctx, srv, "EIO=4&transport=websocket")
    w.eio_open()
    w.ws.sock.sendall(b"\x81\xfe\x10")  # a masked text frame header cut short, then the socket is dropped
    w.shutdown()
    healthy_echo("half-sent frame")
    # Phase 2: a burst of bad clients at once
    burst = []
    for i in range(20):
        w = WS(ctx, srv, "EIO=4&transport=websocket")
        w.eio_open()
        w.send(["abc", "2", '42["x"]', '40"t"'][i % 4])
        burst.append(("burst %d" % i, w))
    healthy_echo("a burst of 20 bad clients")
    for what, w in opened + burst:
        try:
            w.expect_closed(timeout=3, allowed=("1",))
        except CheckFailed as e:
            not_closed.append("%s: %s" % (what, e))
    healthy_echo("all bad clients closed")

    def healthy_ok():
        if echo_failures:
            fail("; ".join(echo_failures))

    def bad_closed():
        if not_closed:
            fail("; ".join(not_closed))

    def alive():
        if not srv.alive():
            fail("the server exited with %s" % srv.proc.returncode)

    ctx.sub("isolation_healthy_client", healthy_ok)
    ctx.sub("isolation_bad_clients_closed", bad_closed)
    if not ctx.sub("isolation_server_alive", alive):
        return
    srv.proc.send_signal(signal.SIGTERM)
    def close_packet():
        seen = healthy.expect_closed(timeout=3, allowed=("1",))
        expect_eq("frames before the socket closed", seen, ["1"])

    ctx.sub("sigterm_close_packet", close_packet)

    def exit0():
        try:
            rc = srv.proc.wait(5)
        except subprocess.TimeoutExpired:
            fail("still running 5 s after SIGTERM")
        expect_eq("exit status after SIGTERM", rc, 0)

    ctx.sub("sigterm_exit_0", exit0)


@check(subs=("sigint_ws_close_packet", "sigint_polling_close_packet", "sigint_exit_130"))
def sigint(ctx):
    srv = ctx.srv("sig")
    w = sio_ws(ctx, srv)
    w.roundtrip("before-sigint")
    p = Poll(ctx, srv)
    g = p.get_start()
    barrier(srv)
    srv.proc.send_signal(signal.SIGINT)

    def ws_close():
        seen = w.expect_closed(timeout=3, allowed=("1",))
        expect_eq("frames before the socket closed", seen, ["1"])

    def poll_close():
        r = g.result()
        expect_eq("pending GET at shutdown", (r.status, r.text), (200, "1"))

    def exit130():
        try:
            rc = srv.proc.wait(5)
        except subprocess.TimeoutExpired:
            fail("still running 5 s after SIGINT")
        expect_eq("exit status after SIGINT", rc, 130)

    ctx.sub("sigint_ws_close_packet", ws_close)
    ctx.sub("sigint_polling_close_packet", poll_close)
    ctx.sub("sigint_exit_130", exit130)


@check()
def static_files(ctx):
    srv = ctx.srv("static")
    r = http_req(srv, "GET", None, path="/hello.txt")
    expect_eq("status of /hello.txt", r.status, 200)
    expect_eq("body of /hello.txt", r.text, "hello from disk\n")
    expect_eq("Content-Type", r.header("Content-Type"), "text/plain; charset=utf-8")
    r = http_req(srv, "GET", None, path="/sub/")
    expect_eq("/sub/ serves its index.html", r.text, "<p>sub index</p>\n")
    for path in ["/../secret.txt", "/sub/../../secret.txt", "/%2e%2e/secret.txt", "/missing.txt"]:
        r = http_req(srv, "GET", None, path=path)
        expect_eq("status of " + path, r.status, 404)
        if "do not serve" in r.text:
            fail("%s leaked a file outside --static" % path)
    # The demo page and the Engine.IO path still win over the directory.
    expect_eq("demo page", http_req(srv, "GET", None, path="/").status, 200)
    expect_match("handshake", http_req(srv, "GET", "EIO=4&transport=polling").text, r'0\{"sid":.*')


@check()
def slowloris(ctx):
    srv = ctx.srv("echo")
    for i in range(5):
        s = socket.create_connection((HOST, srv.port), timeout=T)
        ctx.on_cleanup(s.close)
        s.sendall(("GET %s?EIO=4&transport=polling HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: slow"
                   % (srv.path, HOST, srv.port)).encode())
    # a POST whose headers are complete but whose body never comes
    p0 = Poll(ctx, srv)
    s = socket.create_connection((HOST, srv.port), timeout=T)
    ctx.on_cleanup(s.close)
    s.sendall(("POST %s?%s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: text/plain;charset=UTF-8\r\n"
               "Content-Length: 100\r\n\r\n4" % (srv.path, p0.q(), HOST, srv.port)).encode())
    p = Poll(ctx, srv)  # bounded by T
    p.post_ok("40")
    expect_match("polling connect", p.get().text, r'40\{"sid":"%s"\}\x1e42\["auth",\{\}\]' % SID_RE)
    w = sio_ws(ctx, srv)
    w.roundtrip("not-blocked")


def raw_http(srv, data, until=b"\r\n\r\n"):
    """Sends raw bytes on a new connection; returns what came back once `until` was seen or the server closed."""
    s = socket.create_connection((HOST, srv.port), timeout=T)
    try:
        s.sendall(data)
        got = b""
        while until not in got:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
        return got
    finally:
        s.close()


@check()
def http_malformed_400(ctx):
    srv = ctx.srv("echo")
    for junk in [b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
                 b"GET / HTTP/9.9\r\n\r\n", b"POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n"]:
        got = raw_http(srv, junk)
        expect_eq("answer to %r" % junk, got.split(b"\r\n", 1)[0], b"HTTP/1.1 400 Bad Request")


@check()
def http_wrong_method_405(ctx):
    for srv, path in [(ctx.srv("echo"), "/"), (ctx.srv("static"), "/hello.txt")]:
        for method in ["TRACE", "BREW", "POST", "DELETE"]:
            r = http_req(srv, method, None, path=path)
            expect_eq("%s %s: status" % (method, path), r.status, 405)
            expect_eq("%s %s: Allow" % (method, path), r.header("Allow"), "GET, HEAD")
        expect_eq("HEAD %s" % path, http_req(srv, "HEAD", None, path=path).status, 200)


@check()
def http_expect_100_continue(ctx):
    srv = ctx.srv("echo")
    p = Poll(ctx, srv)
    s = socket.create_connection((HOST, srv.port), timeout=T)
    ctx.on_cleanup(s.close)
    s.sendall(("POST %s?%s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: text/plain;charset=UTF-8\r\n"
               "Content-Length: 2\r\nExpect: 100-continue\r\n\r\n" % (srv.path, p.q(), HOST, srv.port)).encode())
    got = b""
    while b"\r\n\r\n" not in got:  # the body is held back until the server says to send it
        chunk = s.recv(4096)
        if not chunk:
            fail("closed before 100 Continue: %r" % got)
        got += chunk
    expect_eq("interim answer", got, b"HTTP/1.1 100 Continue\r\n\r\n")
    s.sendall(b"40")
    got = b""
    while not got.endswith(b"ok"):
        chunk = s.recv(4096)
        if not chunk:
            break
        got += chunk
    expect_match("final answer", got.decode("latin-1"), r"HTTP/1\.1 200 OK\r\n(.|\r\n)*\r\n\r\nok")
    expect_match("polling connect", p.get().text, r'40\{"sid":"%s"\}\x1e42\["auth",\{\}\]' % SID_RE)


# ---------------------------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description="Wire conformance checks of sio serve")
    ap.add_argument("--sio", required=True, help="path to the sio binary")
    ap.add_argument("--only", help="run only these checks (comma-separated; a group's name or a sub-check's)")
    ap.add_argument("--list", action="store_true", help="print the check names and exit")
    opts = ap.parse_args()

    if opts.list:
        for name, _, subs, _ in CHECKS:
            print("\n".join(subs) if subs else name)
        return 0
    selected = CHECKS
    if opts.only:
        wanted = set(x.strip() for x in opts.only.split(",") if x.strip())
        selected = [c for c in CHECKS if c[0] in wanted or wanted & set(c[2])]
        known = {c[0] for c in CHECKS} | {s for c in CHECKS for s in c[2]}
        unknown = wanted - known
        if unknown:
            sys.stderr.write("conformance: unknown check(s): %s (see --list)\n" % ", ".join(sorted(unknown)))
            return 2
    if not (os.path.isfile(opts.sio) and os.access(opts.sio, os.X_OK)):
        sys.stderr.write("conformance: %s is not an executable file\n" % opts.sio)
        return 2

    runner = Runner(opts.sio)
    try:
        background = []
        for name, fn, subs, bg in selected:
            if bg:
                t = threading.Thread(target=runner.run_one, args=(name, fn, subs), daemon=True)
                t.start()
                background.append(t)
        for name, fn, subs, bg in selected:
            if not bg:
                runner.run_one(name, fn, subs)
        for t in background:
            t.join(30)
            if t.is_alive():
                runner.report("background", "a background check did not finish within 30 s")
    except RuntimeError as e:  # a server did not start
        runner.report("server_start", str(e))
    finally:
        runner.servers.stop_all()
    print("%d passed, %d failed" % (runner.passed, runner.failed), flush=True)
    return 0 if runner.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
