#!/usr/bin/python3
"""Black-box checks of `sio serve --redis` and `sio emit --redis` in a mixed socket.io cluster.

    /usr/bin/python3 tests/redis/cluster_test.py --sio PATH [--only NAME[,NAME...]] [--list] [-v]

Started here, on 127.0.0.1 with ports the OS picks, and stopped at the end:
  * a redis-server of this run (`--save '' --appendonly no`) on a free port; the restart checks stop it
    (SIGTERM) and start it again on the same port;
  * the cluster, every member on that Redis with the default key `socket.io`: two `sio serve --mode broadcast
    --redis` (sio-a, sio-b) and two tests/interop/reference_server.js --mode broadcast --redis (npm socket.io
    4.8.4 + @socket.io/redis-adapter 8.3.0: node-a, node-b; the second one is there so that a Node-driven
    serverSideEmitWithAck gets an answer from another Node member too);
  * the same four over the sharded adapter (SSUBSCRIBE/SPUBLISH): two `sio serve ... --redis-sharded`
    (sio-sa, sio-sb) and two reference servers with `--redis-adapter sharded` (createShardedAdapter,
    subscriptionMode dynamic: node-sa, node-sb);
  * for the sticky-session check: two more `sio serve --mode broadcast --json --redis ... --redis-key edge`
    behind a Debian nginx (`ip_hash`, WebSocket upgrade headers) run in the foreground with a config written
    here, on its own key so that it does not take part in the cluster above.
Clients: `sio listen URL --json` (its socket id comes from its `connected to / as ID` line), `sio emit URL
EVENT ARGS --ack`, the emitter `sio emit --redis`, and a socket.io-client 4.8.4 script written here (it says
whether an argument arrived as binary, which `sio listen` prints as {"$binary":...} like a JSON object).

The reference server answers cluster control events (cluster-fetch, cluster-rooms, cluster-join, cluster-to,
cluster-emit, cluster-ack, cluster-disconnect) by acting on the whole cluster through its adapter; both kinds of member
take `join` (rooms) and relay any other event to every socket of the namespace through the adapter.

Checks, in this order: broadcasts made on each member (text, binary, room relay); the emitter (all, --to,
several rooms and --except, --nsp, binary, unreachable Redis); Node-driven cluster operations (fetchSockets,
allRooms, socketsJoin + to(room).emit, serverSideEmitWithAck, broadcasts with acks answered by `sio listen
--ack-with`, disconnectSockets); the same over the sharded adapter; sticky sessions through
nginx; a member started while its Redis is down; last, Redis stopped (members keep serving their own
clients) and started again on the same port (broadcasts cross again). At the end every sio serve must exit 0
on SIGTERM.

Negative checks (a socket did not get an event) end with a sentinel sent after the event on a path that
Redis orders behind it, and look only once the sentinel has arrived. --only takes check names, prefixes or
globs. Prints `ok NAME` or `FAIL NAME: reason` per check, then `N passed, M failed`; exits 0 iff every check
passed (2 on a usage error). Every wait is bounded; the only sleeps are the intervals of bounded polls
(subscriber counts, nginx's port and logs), never a synchronisation.

Needs: redis-server, nginx (Debian), node (>= 18) with tests/interop/node_modules installed (`npm ci` there).
"""
import json
import os
import re
import shutil
import signal
import socket
import sys
import threading
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TESTS, "support"))
import checks  # noqa: E402  (tests/support/checks.py: the registry, processes and main loop of the suites)
from checks import Background, CheckFailed, Server, expect, free_port, run_sio, short  # noqa: E402

INTEROP = os.path.join(TESTS, "interop")
REFERENCE_SERVER = os.path.join(INTEROP, "reference_server.js")
CLIENT_MODULE = os.path.join(INTEROP, "node_modules", "socket.io-client")
CLUSTER = ("sio-a", "sio-b", "node-a", "node-b")
SIO_MEMBERS = ("sio-a", "sio-b")
NODE_MEMBERS = ("node-a", "node-b")
# The same shape over the sharded adapter (SSUBSCRIBE/SPUBLISH, Node's default subscriptionMode "dynamic"):
# two sio members first, then two Node members.
SHARDED = ("sio-sa", "sio-sb", "node-sa", "node-sb")
EDGE_KEY = "edge"
OUTAGE_LINE = "serving local clients until it is back"
CONNECTED_LINE = "redis: connected"

# A socket.io-client 4.8.4 listener: NDJSON on stdout, binary arguments as {"$bytes": BASE64}.
NODE_CLIENT_JS = r"""
"use strict";
const [clientModule, url, transport] = process.argv.slice(2);
const { io } = require(clientModule);
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const bytes = (a) => Buffer.isBuffer(a) ? a : a instanceof ArrayBuffer ? Buffer.from(a)
  : ArrayBuffer.isView(a) ? Buffer.from(a.buffer, a.byteOffset, a.byteLength) : null;
const enc = (a) => {
  const b = bytes(a);
  if (b) return { $bytes: b.toString("base64") };
  if (Array.isArray(a)) return a.map(enc);
  if (a && typeof a === "object") return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, enc(v)]));
  return a;
};
const socket = io(url, { transports: [transport || "websocket"], reconnection: false, forceNew: true });
socket.on("connect", () => out({ type: "connect", id: socket.id }));
socket.on("connect_error", (e) => out({ type: "connect_error", message: e.message }));
socket.on("disconnect", (reason) => out({ type: "disconnect", reason }));
socket.onAny((event, ...args) => out({ type: "event", event, args: args.map(enc) }));
process.on("SIGTERM", () => { socket.close(); process.exit(0); });
"""


START_ERRORS = {}  # server name -> why it did not start


def check(name, servers=()):
    """checks.check, failing at once when a server it needs could not be started."""
    def register(fn):
        def run():
            for server in servers:
                expect(server not in START_ERRORS, f"{server} not started: {START_ERRORS.get(server)}")
            fn()
        return checks.check(name, servers)(run)
    return register


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def sio(*argv, timeout=20):
    return run_sio(argv, timeout)


def jarg(value):
    """A `sio emit` argument that is this JSON value."""
    return json.dumps(value, separators=(",", ":"))


def canon(value):
    return json.dumps(value, sort_keys=True)


# --------------------------------------------------------------------------------------------------------------
# Redis


def resp_encode(args):
    out = [f"*{len(args)}\r\n".encode()]
    for a in args:
        b = a if isinstance(a, bytes) else str(a).encode()
        out.append(f"${len(b)}\r\n".encode() + b + b"\r\n")
    return b"".join(out)


def resp_read(f):
    line = f.readline()
    if not line:
        raise CheckFailed("redis closed the connection")
    kind, rest = line[:1], line[1:].rstrip(b"\r\n")
    if kind == b"+":
        return rest.decode()
    if kind == b"-":
        raise CheckFailed(f"redis error: {rest.decode()}")
    if kind == b":":
        return int(rest)
    if kind == b"$":
        n = int(rest)
        return None if n < 0 else f.read(n + 2)[:n].decode("utf-8", "replace")
    if kind == b"*":
        n = int(rest)
        return None if n < 0 else [resp_read(f) for _ in range(n)]
    raise CheckFailed(f"unexpected redis reply {line!r}")


def redis_command(port, *args, timeout=3):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(resp_encode(args))
        with s.makefile("rb") as f:
            return resp_read(f)


class Redis:
    """The redis-server of this run; restart() starts it again on the same port."""

    def __init__(self):
        self.port = None
        self.proc = None
        self.generation = 0

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}"

    def alive(self):
        return self.proc is not None and self.proc.proc.poll() is None

    def start(self, port=None):
        self.port = port or self.port or free_port()
        self.generation += 1
        d = os.path.join(checks.TMP, f"redis-{self.port}-{self.generation}")
        os.makedirs(d, exist_ok=True)
        self.proc = Background(["redis-server", "--port", self.port, "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", d])
        if not self.proc.wait_for(lambda: any("Ready to accept connections" in l for l in self.proc.out), 10):
            raise CheckFailed(f"redis-server did not start on port {self.port}: {self.proc.describe()}")
        expect(redis_command(self.port, "PING") == "PONG", "redis-server does not answer PING")

    def stop(self):
        """SIGTERM; returns the exit status."""
        return self.proc.stop(signal.SIGTERM) if self.proc is not None else None

    def numsub(self, channel, sharded=False):
        reply = redis_command(self.port, "PUBSUB", "SHARDNUMSUB" if sharded else "NUMSUB", channel)
        return int(reply[1])

    def wait_numsub(self, channel, n, timeout=10, sharded=False):
        """Polls until `n` connections subscribe to `channel` (each member's request channel of a namespace;
        with `sharded`, SSUBSCRIBE to a shard channel)."""
        deadline = time.monotonic() + timeout
        while True:
            got = self.numsub(channel, sharded)
            if got == n:
                return
            if time.monotonic() > deadline:
                raise CheckFailed(f"{got} subscribers of {channel!r} after {timeout}s, expected {n}")
            time.sleep(0.02)  # poll interval of a bounded poll


REDIS = Redis()


def shard_channel(nsp="/", room=None, key="socket.io"):
    """The sharded adapter's channel of a namespace, or of one of its rooms."""
    return f"{key}#{nsp}#" + (f"{room}#" if room else "")


def request_channel(nsp="/", key="socket.io"):
    return f"{key}-request#{nsp}#"


# --------------------------------------------------------------------------------------------------------------
# Clients


class Peer:
    """A client process whose stdout is NDJSON; subclasses say how it reports its id and disconnects."""

    def __init__(self, argv, label):
        self.label = label
        self.bg = Background(argv)

    def records(self):
        out = []
        for line in self.bg.out:
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
        return out

    def events(self, name=None):
        """[(event, args)] received so far, optionally only those named `name`."""
        with self.bg.cond:
            recs = self.records()
        return [(r["event"], r["args"]) for r in recs
                if r.get("type") == "event" and (name is None or r["event"] == name)]

    def _has_event(self, name, pred):
        return any(r.get("type") == "event" and r.get("event") == name and (pred is None or pred(r["args"]))
                   for r in self.records())

    def wait_event(self, name, timeout=10, pred=None):
        return self.bg.wait_for(lambda: self._has_event(name, pred), timeout)

    def expect_event(self, name, timeout=10, pred=None):
        if not self.wait_event(name, timeout, pred):
            raise CheckFailed(f"{self.label} never got `{name}`: {self.bg.describe()}")

    def stop(self):
        self.bg.stop()


class Listen(Peer):
    """`sio listen URL --json` with optional rooms joined right after connecting (`join`, then a `ready` event
    whose return shows that the server has processed the join)."""

    def __init__(self, url, label, rooms=(), extra=()):
        self.ready_tag = unique("ready")
        argv = [checks.SIO, "listen", url, "--json", "--timeout", "60"]
        if rooms:
            argv += ["--emit", json.dumps(["join", *rooms]), "--emit", json.dumps(["ready", self.ready_tag])]
        argv += extra  # after the join: a further --emit is sent once the rooms are joined
        self.rooms = rooms
        super().__init__(argv, label)

    def connected(self):
        """(sid, transport) of the first connect, from its `connected` record (--json), or None."""
        for r in self.records():
            if r.get("type") == "connected":
                return r["sid"], r["transport"]
        return None

    def wait_ready(self, timeout=10):
        """Waits for the connect (and the rooms); returns the socket id."""
        if not self.bg.wait_for(lambda: self.connected() is not None, timeout):
            raise CheckFailed(f"{self.label} never connected: {self.bg.describe()}")
        if self.rooms:
            self.expect_event("ready", timeout, lambda args: args == [self.ready_tag])
        return self.connected()[0]

    def disconnects(self):
        with self.bg.cond:
            return [l for l in self.bg.err if "disconnected from" in l]


class NodeClient(Peer):
    def __init__(self, url, label, transport="websocket"):
        super().__init__(["node", os.path.join(checks.TMP, "node_client.js"), CLIENT_MODULE, url, transport], label)

    def wait_ready(self, timeout=15):
        def connected():
            return any(r.get("type") in ("connect", "connect_error") for r in self.records())
        if not self.bg.wait_for(connected, timeout):
            raise CheckFailed(f"{self.label} never connected: {self.bg.describe()}")
        for r in self.records():
            if r.get("type") == "connect":
                return r["id"]
        raise CheckFailed(f"{self.label}: connect_error: {self.bg.describe()}")


class Clients:
    """The clients of one check, stopped at its end."""

    def __init__(self):
        self.all = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for c in self.all:
            c.stop()

    def listen(self, member, label=None, nsp="", rooms=(), extra=()):
        c = Listen(SERVERS.url(member) + nsp, label or f"listener on {member}{nsp}", rooms, extra)
        self.all.append(c)
        return c

    def node(self, member, label=None, transport="websocket"):
        c = NodeClient(SERVERS.url(member), label or f"socket.io-client on {member}", transport)
        self.all.append(c)
        return c

    def listen_url(self, url, label, extra=()):
        c = Listen(url, label, (), extra)
        self.all.append(c)
        return c


def ready(*peers):
    """Waits until every peer is connected (and in its rooms); returns their ids."""
    return [p.wait_ready() for p in peers]


def client_emit(url, event, *args, ack=True, timeout=15):
    """`sio emit URL EVENT ARGS [--ack]`; returns the ack's arguments (a list) or None."""
    r = sio("emit", url, event, *args, *(["--ack"] if ack else []), "--timeout", timeout, timeout=timeout + 5)
    expect(r.rc == 0, f"emit failed; {r.describe()}")
    if not ack:
        return None
    lines = r.lines()
    expect(lines, f"no ack printed; {r.describe()}")
    try:
        return json.loads(lines[-1])
    except ValueError:
        raise CheckFailed(f"the ack is not JSON; {r.describe()}")


def member_emit(member, event, *values):
    """A client on `member` sends EVENT with these JSON values; the broadcast app acks with the arguments."""
    acked = client_emit(SERVERS.url(member), event, *[jarg(v) for v in values])
    expect(acked == list(values), f"{member} acked {acked!r}, expected {list(values)!r}")


def cluster_op(member, event, *values):
    """A cluster control event to a Node member; returns the single ack argument."""
    acked = client_emit(SERVERS.url(member), event, *[jarg(v) for v in values])
    expect(isinstance(acked, list) and len(acked) == 1, f"{event}: ack {acked!r}")
    expect(not (isinstance(acked[0], dict) and "error" in acked[0]), f"{event} failed on {member}: {acked[0]!r}")
    return acked[0]


def redis_emit(event, *args, extra=(), key=None):
    """The emitter: `sio emit --redis URL EVENT ARGS --json`; returns its {"channel", "receivers"} line."""
    return redis_emit_to(REDIS, event, *args, extra=extra, key=key)


def redis_emit_to(redis, event, *args, extra=(), key=None):
    argv = ["emit", "--redis", redis.url, event, *args, "--json", *extra]
    if key:
        argv += ["--redis-key", key]
    r = sio(*argv)
    expect(r.rc == 0, f"emitter failed; {r.describe()}")
    try:
        return json.loads(r.lines()[-1])
    except (ValueError, IndexError):
        raise CheckFailed(f"emitter printed no JSON; {r.describe()}")


def expect_only(peer, name, want_args):
    got = peer.events(name)
    expect(got == [(name, want_args)], f"{peer.label}: expected exactly one `{name}` {want_args!r}, got {got!r}")


def expect_none(peer, name):
    got = peer.events(name)
    expect(not got, f"{peer.label} got `{name}` it should not have: {got!r}")


# --------------------------------------------------------------------------------------------------------------
# Servers


class Nginx:
    """Debian nginx in the foreground (`daemon off`) with a config of this run: ip_hash over two upstreams."""

    def __init__(self):
        self.port = None
        self.proc = None
        self.dir = None

    def start(self, upstreams):
        self.dir = os.path.join(checks.TMP, "nginx")
        os.makedirs(self.dir, exist_ok=True)
        self.port = free_port()
        self.conf = os.path.join(self.dir, "nginx.conf")
        self.error_log = os.path.join(self.dir, "error.log")
        user = "user root;\n" if os.geteuid() == 0 else ""  # the workers must reach this private directory
        servers = "".join(f"        server 127.0.0.1:{p};\n" for p in upstreams)
        d = self.dir
        with open(self.conf, "w") as f:
            f.write(f"""{user}worker_processes 1;
pid {d}/nginx.pid;
error_log {self.error_log} notice;
events {{ worker_connections 256; }}
http {{
    access_log {d}/access.log;
    client_body_temp_path {d}/client_body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;

    upstream sio_nodes {{
        ip_hash;
{servers}    }}
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
    server {{
        listen 127.0.0.1:{self.port};
        location /socket.io/ {{
            proxy_pass http://sio_nodes;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 75s;
        }}
    }}
}}
""")
        self.proc = Background(["nginx", "-p", self.dir, "-e", self.error_log, "-c", self.conf,
                                "-g", "daemon off;"])
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                pass
            if self.proc.proc.poll() is not None or time.monotonic() > deadline:
                raise CheckFailed(f"nginx did not start on port {self.port}: {self.proc.describe()}; "
                                  f"error log {short(self.log())}")
            time.sleep(0.02)  # poll interval of a bounded poll

    def log(self):
        try:
            with open(self.error_log, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def access_log(self):
        try:
            with open(os.path.join(self.dir, "access.log"), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def alive(self):
        return self.proc is not None and self.proc.proc.poll() is None

    def stop(self):
        if self.proc is not None:
            self.proc.stop(signal.SIGTERM)  # fast shutdown: does not wait for the WebSocket connections


class Servers:
    def __init__(self):
        self.all = {}
        self.nginx = Nginx()

    def init(self):
        with open(os.path.join(checks.TMP, "node_client.js"), "w") as f:
            f.write(NODE_CLIENT_JS)

    def make(self, name):
        if name in self.all:
            return self.all[name]
        if name in SIO_MEMBERS:
            s = checks.sio_serve(name, "--mode", "broadcast", "--redis", REDIS.url)
        elif name in NODE_MEMBERS:
            s = Server(name, ["node", REFERENCE_SERVER, "--port", "0", "--mode", "broadcast", "--redis", REDIS.url])
        elif name in SHARDED[:2]:
            s = checks.sio_serve(name, "--mode", "broadcast", "--redis", REDIS.url, "--redis-sharded")
        elif name in SHARDED[2:]:
            s = Server(name, ["node", REFERENCE_SERVER, "--port", "0", "--mode", "broadcast", "--redis", REDIS.url,
                              "--redis-adapter", "sharded"])
        elif name in ("edge-1", "edge-2"):
            s = checks.sio_serve(name, "--mode", "broadcast", "--redis", REDIS.url, "--redis-key", EDGE_KEY,
                                 log=True)
        else:
            raise CheckFailed(f"unknown server {name}")
        self.all[name] = s
        return s

    def start(self, names):
        if not names:
            return
        if not REDIS.alive():
            REDIS.start()
        wanted = [n for n in names if n not in ("redis", "nginx")]
        for n in sorted(wanted, key=lambda n: not n.startswith("node")):  # the slow starters first
            self.make(n).start()
        for n in wanted:
            self.all[n].port()
        for n in wanted:
            if n.startswith("sio") or n.startswith("edge"):
                p = self.all[n].proc
                if not p.wait_stderr(CONNECTED_LINE, 10):
                    raise CheckFailed(f"{n} did not connect to redis: {p.describe()}")
        # every member listens on the channels of / from its start
        members = [n for n in CLUSTER if n in wanted]
        if members:
            REDIS.wait_numsub(request_channel("/"), len(members))
        sharded = [n for n in SHARDED if n in wanted]
        if sharded:
            REDIS.wait_numsub(shard_channel("/"), len(sharded), sharded=True)
        if "nginx" in names:
            self.nginx.start([self.all["edge-1"].port(), self.all["edge-2"].port()])

    def url(self, name):
        return self.all[name].url()

    def port(self, name):
        return self.all[name].port()

    def stop_all(self):
        """Stops every server; a sio serve must exit 0 on SIGTERM. Returns [(name, why)]."""
        self.nginx.stop()
        running = {name: s for name, s in self.all.items() if s.proc is not None}
        codes = {}
        stoppers = [threading.Thread(target=lambda n=n, s=s: codes.__setitem__(n, s.proc.stop(signal.SIGTERM, 8)))
                    for n, s in running.items()]  # in parallel: each sio serve takes ~0.5 s to close
        for t in stoppers:
            t.start()
        for t in stoppers:
            t.join(20)
        REDIS.stop()
        return [(f"{n}-shutdown", f"exit {codes.get(n)} on SIGTERM: {s.proc.describe()}")
                for n, s in running.items() if n.startswith(("sio", "edge")) and codes.get(n) != 0]


SERVERS = Servers()


# --------------------------------------------------------------------------------------------------------------
# 1. Broadcasts made on each member


def broadcasts_from_each(cluster):
    """A broadcast made on each member reaches the listeners of every member, exactly once."""
    sio_b, node_b = cluster[1], cluster[3]
    with Clients() as c:
        listeners = [c.listen(m) for m in cluster]
        ready(*listeners)
        sent = {}
        for m in cluster:
            event = f"from-{m}"
            values = [m, 1, {"k": [True, None, 2.5]}, "é ✓"]
            member_emit(m, event, *values)
            sent[event] = values
        # sentinels that come back through Redis after the broadcasts above, to see duplicates
        for m in (node_b, sio_b):
            member_emit(m, "sentinel", m)
        for l in listeners:
            l.expect_event("sentinel", pred=lambda a: a == [sio_b])
            l.expect_event("sentinel", pred=lambda a: a == [node_b])
            for event, values in sent.items():
                expect_only(l, event, values)


@check("broadcast-from-each-member", ["redis", *CLUSTER])
def _():
    broadcasts_from_each(CLUSTER)


@check("broadcast-binary", ["redis", *CLUSTER])
def _():
    # binary attachments cross in both directions: sio client -> sio-a -> Redis -> Node members and back
    with Clients() as c:
        nodes = [c.node(m) for m in CLUSTER]
        listeners = [c.listen(m) for m in CLUSTER]
        ready(*nodes, *listeners)
        for sender in ("sio-a", "node-a"):
            event = f"bin-from-{sender}"
            acked = client_emit(SERVERS.url(sender), event, '{"$binary":"AAEC/w=="}', jarg({"b": {"$binary": "AQID"}}))
            expect(acked == [{"$binary": "AAEC/w=="}, {"b": {"$binary": "AQID"}}], f"{sender} acked {acked!r}")
            for n in nodes:
                n.expect_event(event)
                expect_only(n, event, [{"$bytes": "AAEC/w=="}, {"b": {"$bytes": "AQID"}}])
            for l in listeners:
                l.expect_event(event)
                expect_only(l, event, [{"$binary": "AAEC/w=="}, {"b": {"$binary": "AQID"}}])


def room_relay(cluster, before_send=lambda room: None):
    """`to ROOM EVENT ARGS` (socket.to(room).emit): every member of the room but the sender, on every member.
    before_send(room) runs once the listeners are in their rooms."""
    room = unique("relay")
    with Clients() as c:
        members = [c.listen(m, f"listener on {m} in the room", rooms=[room]) for m in cluster]
        outsiders = [c.listen(m, f"listener on {m} outside", rooms=[unique("elsewhere")]) for m in cluster]
        ready(*members, *outsiders)
        before_send(room)
        for sender in (cluster[0], cluster[2]):
            event = f"relay-from-{sender}"
            s = c.listen(sender, f"sender on {sender}", rooms=[room],
                         extra=["--emit", json.dumps(["to", room, event, {"from": sender}, [1]])])
            ready(s)
            for l in members:
                l.expect_event(event)
            member_emit(cluster[3], "sentinel", event)  # after the relay has crossed to every member
            for l in members + outsiders + [s]:
                l.expect_event("sentinel", pred=lambda a: a == [event])
            for l in members:
                expect_only(l, event, [{"from": sender}, [1]])
            for l in outsiders + [s]:
                expect_none(l, event)
            s.stop()


@check("room-relay-across-members", ["redis", *CLUSTER])
def _():
    room_relay(CLUSTER)


# --------------------------------------------------------------------------------------------------------------
# 2. The emitter (`sio emit --redis`)


@check("emitter-all", ["redis", *CLUSTER])
def _():
    with Clients() as c:
        listeners = [c.listen(m) for m in CLUSTER]
        ready(*listeners)
        out = redis_emit("news", jarg({"a": [1, "x"]}), jarg(42), "plain text")
        expect(out == {"channel": "socket.io#/#", "receivers": len(CLUSTER)}, f"emitter printed {out!r}")
        for l in listeners:
            l.expect_event("news")
            expect_only(l, "news", [{"a": [1, "x"]}, 42, "plain text"])


@check("emitter-to-room", ["redis", *CLUSTER])
def _():
    room = unique("room")
    with Clients() as c:
        inside = [c.listen(m, rooms=[room]) for m in CLUSTER]
        outside = [c.listen(m, f"listener on {m} outside {room}", rooms=[unique("other")]) for m in CLUSTER]
        ready(*inside, *outside)
        out = redis_emit("room-news", jarg(7), extra=["--to", room])
        expect(out == {"channel": f"socket.io#/#{room}#", "receivers": len(CLUSTER)}, f"emitter printed {out!r}")
        redis_emit("sentinel", jarg(room))
        for l in inside:
            l.expect_event("room-news")
            l.expect_event("sentinel", pred=lambda a: a == [room])
            expect_only(l, "room-news", [7])
        for l in outside:
            l.expect_event("sentinel", pred=lambda a: a == [room])
            expect_none(l, "room-news")


@check("emitter-to-rooms-except", ["redis", *CLUSTER])
def _():
    r1, r2, gone = unique("r1"), unique("r2"), unique("except")
    with Clients() as c:
        in_r1 = [c.listen(m, f"listener on {m} in r1", rooms=[r1]) for m in ("sio-a", "node-a")]
        in_r2 = [c.listen(m, f"listener on {m} in r2", rooms=[r2]) for m in ("sio-b", "node-b")]
        excluded = [c.listen(m, f"listener on {m} in r1+except", rooms=[r1, gone]) for m in ("sio-b", "node-a")]
        plain = [c.listen(m, f"listener on {m} in no room") for m in ("sio-a", "node-b")]
        in_both = [c.listen(m, f"listener on {m} in r1+r2", rooms=[r1, r2]) for m in ("sio-a", "node-b")]
        in_r2 += in_both  # and gets each event once
        ready(*in_r1, *in_r2, *excluded, *plain)
        out = redis_emit("two-rooms", jarg("x"), extra=["--to", r1, "--to", r2, "--except", gone])
        expect(out.get("channel") == "socket.io#/#", f"a multi-room emit goes to the namespace channel: {out!r}")
        out = redis_emit("all-but", jarg("y"), extra=["--except", gone])
        expect(out.get("channel") == "socket.io#/#", f"emitter printed {out!r}")
        redis_emit("sentinel", jarg(gone))
        everyone = in_r1 + in_r2 + excluded + plain
        for l in everyone:
            l.expect_event("sentinel", pred=lambda a: a == [gone])
        for l in in_r1 + in_r2:
            expect_only(l, "two-rooms", ["x"])
        for l in in_r1 + in_r2 + plain:
            expect_only(l, "all-but", ["y"])
        for l in excluded:
            expect_none(l, "two-rooms")
            expect_none(l, "all-but")
        for l in plain:
            expect_none(l, "two-rooms")


@check("emitter-namespace", ["redis", *CLUSTER])
def _():
    with Clients() as c:
        other = [c.listen(m, nsp="/other") for m in ("sio-a", "node-a")]
        root = [c.listen(m) for m in ("sio-a", "node-a")]
        ready(*other, *root)
        REDIS.wait_numsub(request_channel("/other"), 2)
        out = redis_emit("other-news", jarg({"n": 1}), extra=["--namespace", "/other"])
        expect(out == {"channel": "socket.io#/other#", "receivers": 2}, f"emitter printed {out!r}")
        redis_emit("sentinel", jarg("/"))  # on /, after the /other one: both patterns share a connection
        for l in other:
            l.expect_event("other-news")
            expect_only(l, "other-news", [{"n": 1}])
        for l in root:
            l.expect_event("sentinel", pred=lambda a: a == ["/"])
            expect_none(l, "other-news")


@check("emitter-binary", ["redis", *CLUSTER])
def _():
    with Clients() as c:
        nodes = [c.node(m) for m in ("sio-a", "node-a")]
        listeners = [c.listen(m) for m in ("sio-b", "node-b")]
        ready(*nodes, *listeners)
        redis_emit("bin", '{"$binary":"AQID"}', jarg("text"), jarg({"nested": {"$binary": "/w=="}}))
        for n in nodes:
            n.expect_event("bin")
            got = n.events("bin")
            want = [("bin", [{"$bytes": "AQID"}, "text", {"nested": {"$bytes": "/w=="}}])]
            expect(got == want, f"{n.label}: expected binary arguments {want!r}, got {got!r}")
        for l in listeners:
            l.expect_event("bin")
            expect_only(l, "bin", [{"$binary": "AQID"}, "text", {"nested": {"$binary": "/w=="}}])


@check("emitter-unreachable")
def _():
    port = free_port()
    r = sio("emit", "--redis", f"redis://127.0.0.1:{port}", "nobody", "--json", "--timeout", "1", timeout=10)
    expect(r.rc == 1, f"expected exit 1 with nothing on {port}; {r.describe()}")
    expect(not r.out.strip(), f"expected no stdout; {r.describe()}")
    expect(f"127.0.0.1:{port}" in r.err, f"expected the URL in the error; {r.describe()}")


def connections_received(port):
    """Redis's count of connections accepted since it started (INFO stats)."""
    info = redis_command(port, "INFO", "stats")
    m = re.search(r"total_connections_received:(\d+)", info)
    expect(m, f"no total_connections_received in INFO stats: {info!r}")
    return int(m.group(1))


@check("redis-refuses-password", ["redis"])
def _():
    # this run's Redis has no password: AUTH is refused, which retrying cannot fix
    url = f"redis://:wrong@127.0.0.1:{REDIS.port}"
    r = sio("emit", "--redis", url, "nobody", "--timeout", "15", timeout=25)
    expect(r.rc == 1, f"expected exit 1; {r.describe()}")
    expect("AUTH" in r.err and "timed out" not in r.err, f"expected Redis's refusal, at once; {r.describe()}")
    # a member says it once, not at every retry
    server = checks.sio_serve("sio serve (wrong password)", "--redis", url)
    try:
        server.start()
        if not server.proc.wait_stderr("AUTH", 10):
            raise CheckFailed(f"no word of the refusal: {server.proc.describe()}")
        first = connections_received(REDIS.port)
        deadline = time.monotonic() + 20
        polls = 1
        while connections_received(REDIS.port) - polls < first + 3:  # three more attempts (with backoff)
            polls += 1  # each poll is a connection too
            expect(time.monotonic() < deadline, f"no retries: {server.proc.describe()}")
            time.sleep(0.05)  # poll interval of a bounded poll
        with server.proc.cond:
            said = [l for l in server.proc.err if "AUTH" in l]
        expect(len(said) == 1, f"expected the refusal once, got {said!r}")
    finally:
        rc = server.proc.stop() if server.proc else 0
    expect(rc == 0, f"exit {rc} on SIGTERM: {server.proc.describe()}")


# --------------------------------------------------------------------------------------------------------------
# 3. Cluster operations driven from a Node member


def fetch_sockets(cluster):
    with Clients() as c:
        listeners = [c.listen(m) for m in cluster]
        ids = ready(*listeners)
        for m in cluster[2:]:
            fetched = cluster_op(m, "cluster-fetch")
            expect(isinstance(fetched, list), f"cluster-fetch on {m}: {fetched!r}")
            missing = [(l.label, i) for l, i in zip(listeners, ids) if i not in fetched]
            expect(not missing, f"cluster-fetch on {m} misses {missing}: {fetched!r}")
            expect(len(fetched) == len(set(fetched)), f"cluster-fetch on {m} repeats ids: {fetched!r}")


@check("cluster-fetch-sockets", ["redis", *CLUSTER])
def _():
    fetch_sockets(CLUSTER)


@check("cluster-all-rooms", ["redis", *CLUSTER])
def _():
    with Clients() as c:
        rooms = {m: unique(f"room-{m}") for m in CLUSTER}
        listeners = [c.listen(m, rooms=[rooms[m], "shared-room"]) for m in CLUSTER]
        ids = ready(*listeners)
        got = cluster_op("node-a", "cluster-rooms")
        expect(isinstance(got, list), f"cluster-rooms: {got!r}")
        # socket.io counts each socket's own room as a room; a sio member must too
        missing = [r for r in list(rooms.values()) + ["shared-room"] + ids if r not in got]
        expect(not missing, f"cluster-rooms misses {missing}: {got!r}")
        expect(len(got) == len(set(got)), f"cluster-rooms repeats rooms: {got!r}")


def join_then_to(cluster, after_join=lambda room: None, room=None):
    """socketsJoin from a Node member, then to(room).emit: every listener, on every member, is in the room.
    after_join(room) runs between the two."""
    room = room or unique("joined")
    asker = cluster[2]
    with Clients() as c:
        listeners = [c.listen(m) for m in cluster]
        ready(*listeners)
        expect(cluster_op(asker, "cluster-to", room, "before-join", 1) is True, "cluster-to did not ack true")
        expect(cluster_op(asker, "cluster-join", room) is True, "cluster-join did not ack true")
        after_join(room)
        expect(cluster_op(asker, "cluster-to", room, "to-joined", {"r": room}, [1, 2]) is True,
               "cluster-to did not ack true")
        for l in listeners:
            l.expect_event("to-joined")
            expect_only(l, "to-joined", [{"r": room}, [1, 2]])
            expect_none(l, "before-join")  # sent before the join, on the same Redis connection


@check("cluster-join-then-to", ["redis", *CLUSTER])
def _():
    join_then_to(CLUSTER)


def server_side_emit(cluster, arg=None):
    arg = arg if arg is not None else {"x": [1, "two"], "y": None}
    node_a, node_b = cluster[2], cluster[3]
    for asker, other in ((node_a, node_b), (node_b, node_a)):
        # one argument: the reference's handler is (arg, callback)
        got = cluster_op(asker, "cluster-emit", "hello-servers", arg)
        expect(isinstance(got, list), f"cluster-emit on {asker}: {got!r}")
        want = [arg, arg, f"ack-from-{SERVERS.port(other)}"]  # the sio members: the first argument
        expect(sorted(map(canon, got)) == sorted(map(canon, want)),
               f"cluster-emit on {asker}: expected the answers {want!r} in any order, got {got!r}")


@check("cluster-server-side-emit", ["redis", *CLUSTER])
def _():
    server_side_emit(CLUSTER)


def ack_answerers(c, cluster):
    """A listener on every member answering acks with its own value, one more on the second sio member
    answering with binary, and a silent one on the first in the room `silent`; returns (answerers, silent,
    the answers expected)."""
    answers = {m: {"from": m, "n": i} for i, m in enumerate(cluster)}
    answerers = [c.listen(m, extra=["--ack-with", json.dumps(answers[m])]) for m in cluster]
    answerers.append(c.listen(cluster[1], f"binary answerer on {cluster[1]}",
                              extra=["--ack-with", '{"$binary":"AQID"}']))
    silent = c.listen(cluster[0], f"silent listener on {cluster[0]}", rooms=["silent"])
    ready(*answerers, silent)
    return answerers, silent, sorted([canon(a) for a in answers.values()] + [canon({"$binary": "AQID"})])


def broadcast_with_acks(cluster):
    # io.except("silent").timeout().emit(..., cb) on a Node member: each member says how many acks to expect
    # (its client count) and relays every client's answer, binary included
    with Clients() as c:
        answerers, silent, want = ack_answerers(c, cluster)
        got = cluster_op(cluster[2], "cluster-ack", 10000, "silent", "question", {"q": 1})
        expect(got.get("timedOut") is False, f"the broadcast timed out: {got!r}")
        expect(sorted(map(canon, got["responses"])) == want, f"expected the answers {want!r}, got {got!r}")
        for l in answerers:
            expect_only(l, "question", [{"q": 1}])
        expect_none(silent, "question")


def broadcast_with_acks_counts_silent(cluster):
    # a client on a sio member that never answers must be counted: the asker waits for it and times out
    with Clients() as c:
        answerers, silent, want = ack_answerers(c, cluster)
        got = cluster_op(cluster[2], "cluster-ack", 1500, None, "question", {"q": 2})
        expect(got.get("timedOut") is True, f"the broadcast did not wait for the silent client: {got!r}")
        expect(sorted(map(canon, got["responses"])) == want, f"expected the answers {want!r}, got {got!r}")
        silent.expect_event("question")


@check("cluster-broadcast-with-acks", ["redis", *CLUSTER])
def _():
    broadcast_with_acks(CLUSTER)


@check("cluster-broadcast-with-acks-counts-silent", ["redis", *CLUSTER])
def _():
    broadcast_with_acks_counts_silent(CLUSTER)


def disconnect_all(c, cluster=CLUSTER):
    """cluster-disconnect (io.disconnectSockets(true)) from the first Node member, with listeners on every
    member; returns the listeners once each has said it was disconnected."""
    listeners = [c.listen(m) for m in cluster]
    ready(*listeners)
    # the asking socket is disconnected too, so its ack may never come: no --ack
    client_emit(SERVERS.url(cluster[2]), "cluster-disconnect", ack=False)
    for l in listeners:
        if not l.bg.wait_for(lambda: l.disconnects(), 10):
            raise CheckFailed(f"{l.label} was not disconnected: {l.bg.describe()}")
    return listeners


@check("cluster-disconnect", ["redis", *CLUSTER])
def _():
    with Clients() as c:
        disconnect_all(c)


@check("cluster-disconnect-reason", ["redis", *CLUSTER])
def _():
    # socket.io's disconnectSockets(true) sends each socket a DISCONNECT packet before closing the connection,
    # so a client sees "io server disconnect" and does not reconnect; every member must do the same.
    with Clients() as c:
        listeners = disconnect_all(c)
        reasons = {l.label: l.disconnects()[0].split("disconnected from /: ", 1)[-1] for l in listeners}
        wrong = {k: v for k, v in reasons.items() if v != "io server disconnect"}
        expect(not wrong, f"expected 'io server disconnect' everywhere (as on the Node members), got {reasons}")
        for l in listeners:
            rc = l.bg.wait_exit(5)
            expect(rc == 1, f"{l.label}: listen should exit 1 after a server disconnect: {l.bg.describe()}")


# --------------------------------------------------------------------------------------------------------------
# 4b. The same cluster over the sharded adapter (sio serve --redis-sharded, createShardedAdapter)


def all_subscribed_to_room(room):
    """Dynamic mode: every member SSUBSCRIBEs to a room's channel once it has the room; wait for all four, so
    that a broadcast to the room published on that channel reaches every member."""
    REDIS.wait_numsub(shard_channel("/", room), len(SHARDED), sharded=True)


@check("sharded-broadcast-from-each-member", ["redis", *SHARDED])
def _():
    broadcasts_from_each(SHARDED)


@check("sharded-room-relay", ["redis", *SHARDED])
def _():
    room_relay(SHARDED, all_subscribed_to_room)


@check("sharded-fetch-sockets", ["redis", *SHARDED])
def _():
    fetch_sockets(SHARDED)


@check("sharded-join-then-to", ["redis", *SHARDED])
def _():
    join_then_to(SHARDED, all_subscribed_to_room)


@check("sharded-server-side-emit", ["redis", *SHARDED])
def _():
    server_side_emit(SHARDED)


@check("sharded-server-side-emit-binary", ["redis", *SHARDED])
def _():
    # binary crosses as msgpack; a sio member answers with it (its first argument), binary still
    server_side_emit(SHARDED, {"$binary": "AQID"})


@check("sharded-room-name-length-in-utf16", ["redis", *SHARDED])
def _():
    # 20 bytes but 11 UTF-16 units: Node publishes to it on the room's channel, so every member must listen there
    join_then_to(SHARDED, all_subscribed_to_room, room="é" * 9 + "10")


NSP_CLIENT_JS = r"""
"use strict";
const [clientModule, url, nsp] = process.argv.slice(1);
const { Manager } = require(clientModule);
const socket = new Manager(url, { transports: ["websocket"], reconnection: false }).socket(nsp);
socket.on("connect", () => process.stdout.write(JSON.stringify({ type: "connect", id: socket.id }) + "\n"));
socket.on("connect_error", (e) => process.stdout.write(JSON.stringify({ type: "connect_error", message: e.message }) + "\n"));
process.on("SIGTERM", () => { socket.close(); process.exit(0); });
"""


@check("sharded-namespace-named-like-a-room-channel", ["redis", *SHARDED])
def _():
    # namespace "/#R" has the channel socket.io#/#R#, which is also room R's of "/": both must keep working
    room = unique("shared")
    with Clients() as c:
        in_room = c.listen(SHARDED[0], "listener in the room", rooms=[room])
        ready(in_room)
        REDIS.wait_numsub(shard_channel("/", room), 1, sharded=True)  # the one member with the room
        odd = Background(["node", "-e", NSP_CLIENT_JS, CLIENT_MODULE, SERVERS.url(SHARDED[0]), f"/#{room}"])
        try:
            if not odd.wait_for(lambda: any('"connect"' in l for l in odd.out), 10):
                raise CheckFailed(f"the /#{room} client did not connect: {odd.describe()}")
            expect(cluster_op(SHARDED[2], "cluster-to", room, "while-both", 1) is True, "cluster-to did not ack")
            in_room.expect_event("while-both")
        finally:
            odd.stop()
        expect(cluster_op(SHARDED[2], "cluster-to", room, "after-odd-left", 2) is True, "cluster-to did not ack")
        in_room.expect_event("after-odd-left")
        expect(REDIS.numsub(shard_channel("/", room), sharded=True) == 1, "the member stopped listening to the room")


@check("sharded-broadcast-with-acks", ["redis", *SHARDED])
def _():
    broadcast_with_acks(SHARDED)


@check("sharded-broadcast-with-acks-counts-silent", ["redis", *SHARDED])
def _():
    broadcast_with_acks_counts_silent(SHARDED)


@check("sharded-disconnect", ["redis", *SHARDED])
def _():
    with Clients() as c:
        listeners = disconnect_all(c, SHARDED)
        reasons = {l.label: l.disconnects()[0].split("disconnected from /: ", 1)[-1] for l in listeners}
        expect(set(reasons.values()) == {"io server disconnect"}, f"disconnect reasons: {reasons}")


@check("sharded-emitter", ["redis", *SHARDED])
def _():
    # the Node emitter cannot reach a sharded cluster; `sio emit --redis --redis-sharded` can
    room, gone = unique("sr"), unique("sexcept")
    with Clients() as c:
        everyone = [c.listen(m) for m in SHARDED]
        in_room = [c.listen(m, f"listener on {m} in the room", rooms=[room]) for m in SHARDED]
        excluded = c.listen(SHARDED[0], "listener in the room and except", rooms=[room, gone])
        ready(*everyone, *in_room, excluded)
        all_subscribed_to_room(room)
        out = redis_emit("to-all", jarg({"a": 1}), '{"$binary":"AQID"}', extra=["--redis-sharded"])
        expect(out == {"channel": "socket.io#/#", "receivers": len(SHARDED)}, f"emitter printed {out!r}")
        out = redis_emit("to-room", jarg(2), extra=["--redis-sharded", "--to", room, "--except", gone])
        expect(out == {"channel": f"socket.io#/#{room}#", "receivers": len(SHARDED)}, f"emitter printed {out!r}")
        redis_emit("sentinel", jarg(room), extra=["--redis-sharded"])
        for l in everyone + in_room + [excluded]:
            l.expect_event("sentinel", pred=lambda a: a == [room])
            expect_only(l, "to-all", [{"a": 1}, {"$binary": "AQID"}])
        for l in in_room:
            expect_only(l, "to-room", [2])
        for l in everyone + [excluded]:
            expect_none(l, "to-room")


@check("namespace-subscriptions-follow-clients", ["redis", "sio-a", "sio-sa"])
def _():
    # a namespace made for a client is dropped with its last socket, and its channels with it
    for member, channel, sharded in (("sio-a", request_channel, False), ("sio-sa", shard_channel, True)):
        nsp = "/" + unique("passing")
        with Clients() as c:
            l = c.listen(member, nsp=nsp)
            ready(l)
            REDIS.wait_numsub(channel(nsp), 1, sharded=sharded)
            l.stop()
            REDIS.wait_numsub(channel(nsp), 0, sharded=sharded)


@check("sharded-room-channel-follows-rooms", ["redis", "sio-sa"])
def _():
    # a sio member SSUBSCRIBEs to a room's channel while it has the room, and not to its sockets' own rooms
    room = unique("followed")
    with Clients() as c:
        l = c.listen("sio-sa", rooms=[room])
        sid = ready(l)[0]
        REDIS.wait_numsub(shard_channel("/", room), 1, sharded=True)
        expect(REDIS.numsub(shard_channel("/", sid), sharded=True) == 0, "subscribed to a socket's own room")
        l.stop()
        REDIS.wait_numsub(shard_channel("/", room), 0, sharded=True)


# --------------------------------------------------------------------------------------------------------------
# 5. Sticky sessions through nginx (ip_hash) over two sio serve --redis


def edge_of(sid):
    """Which edge node logged the connect of `sid` (--json log), or None."""
    for name in ("edge-1", "edge-2"):
        p = SERVERS.all[name].proc
        with p.cond:
            lines = list(p.out)
        for line in lines:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if rec.get("type") == "connect" and rec.get("sid") == sid:
                return name
    return None


@check("nginx-sticky-sessions", ["redis", "edge-1", "edge-2", "nginx"])
def _():
    via = f"http://127.0.0.1:{SERVERS.nginx.port}"
    with Clients() as c:
        through = {t: c.listen_url(via, f"{t} listener through nginx",
                                   [] if t == "upgrade" else ["--transport", t])
                   for t in ("polling", "websocket", "upgrade")}
        ids = dict(zip(through, ready(*through.values())))
        transports = {t: through[t].connected()[1] for t in through}
        expect(transports["websocket"] == "websocket" and transports["polling"] == "polling",
               f"transports: {transports}")
        nodes = {}
        deadline = time.monotonic() + 5
        for t, sid in ids.items():
            while edge_of(sid) is None and time.monotonic() < deadline:
                time.sleep(0.02)  # poll interval of a bounded poll: the logs are read by other threads
            nodes[t] = edge_of(sid)
        expect(None not in nodes.values(), f"a connect is in no edge node's log: {nodes}")
        expect(len(set(nodes.values())) == 1, f"ip_hash sends every 127.0.0.1 client to one node, got {nodes}")
        home = nodes["polling"]
        other = "edge-2" if home == "edge-1" else "edge-1"
        REDIS.wait_numsub(request_channel("/", EDGE_KEY), 2)  # every member listens to "/" from its start
        # a client on the other node, directly: its broadcast crosses over Redis to the nginx clients
        acked = client_emit(SERVERS.url(other), "edge-news", jarg({"from": other}))
        expect(acked == [{"from": other}], f"ack {acked!r}")
        for t, l in through.items():
            l.expect_event("edge-news")
            expect_only(l, "edge-news", [{"from": other}])
        # and the other way: a client through nginx, heard by a client of the other node
        direct = c.listen(other, f"listener on {other}")
        ready(direct)
        acked = client_emit(via, "via-nginx", jarg(1), "--transport", "polling")
        expect(acked == [1], f"ack through nginx {acked!r}")
        direct.expect_event("via-nginx")
        expect_only(direct, "via-nginx", [1])
        # the polling session kept working (every request of it went to the same node)
        expect(not through["polling"].disconnects(), f"polling listener: {through['polling'].bg.describe()}")
    # nginx logs a WebSocket once it is closed: the websocket client's and the upgrade client's (with its sid)
    deadline = time.monotonic() + 5
    while True:
        ws = [l for l in SERVERS.nginx.access_log().splitlines() if "transport=websocket" in l and '" 101 ' in l]
        if len([l for l in ws if "sid=" in l]) >= 1 and len([l for l in ws if "sid=" not in l]) >= 1:
            break
        expect(time.monotonic() < deadline, f"nginx logged no upgrade of both WebSocket clients: {ws!r}")
        time.sleep(0.02)  # poll interval of a bounded poll


@check("serve-redis-down-at-start")
def _():
    # a member whose Redis is not there yet: it says so, serves its own clients, and joins once Redis is up
    later = Redis()
    later.port = free_port()
    server = checks.sio_serve("sio serve (Redis not up yet)", "--mode", "broadcast", "--redis", later.url)
    problems = []
    try:
        server.start()
        port = server.port()
        if not server.proc.wait_stderr(OUTAGE_LINE, 3):
            problems.append(f"no `redis: ...; {OUTAGE_LINE}` line while Redis is unreachable")
        with Clients() as c:
            l = c.listen_url(f"http://127.0.0.1:{port}", "listener (Redis down)")
            ready(l)
            acked = client_emit(f"http://127.0.0.1:{port}", "local-only", jarg(1))
            expect(acked == [1], f"ack {acked!r}")
            l.expect_event("local-only")
            later.start()
            if not server.proc.wait_stderr(CONNECTED_LINE, 15):
                raise CheckFailed(f"did not connect once Redis was up: {server.proc.describe()}")
            later.wait_numsub(request_channel("/"), 1)
            out = redis_emit_to(later, "after-start", jarg(2))
            expect(out.get("receivers") == 1, f"emitter printed {out!r}")
            l.expect_event("after-start")
        expect(not problems, "; ".join(problems) + " (it did serve its own clients, and joined once Redis was up): "
               + server.proc.describe())
    finally:
        rc = server.proc.stop() if server.proc else 0
        later.stop()
    expect(rc == 0, f"exit {rc} on SIGTERM: {server.proc.describe()}")


# --------------------------------------------------------------------------------------------------------------
# 4. Redis stopped and started again on the same port (last: the cluster is without Redis for a while)


@check("redis-outage-serves-local", ["redis", *CLUSTER])
def _():
    with Clients() as c:
        la, lb = c.listen("sio-a"), c.listen("sio-b")
        ready(la, lb)
        marks = {m: len(SERVERS.all[m].proc.err) for m in SIO_MEMBERS}
        rc = REDIS.stop()
        expect(rc == 0, f"redis-server exit {rc} on SIGTERM")
        for m in SIO_MEMBERS:
            p = SERVERS.all[m].proc
            if not p.wait_stderr(OUTAGE_LINE, 10, marks[m]):
                raise CheckFailed(f"{m} did not log the outage: {p.describe()}")
        for m, l in (("sio-a", la), ("sio-b", lb)):
            member_emit(m, "during-outage", m)
            l.expect_event("during-outage", 5, lambda a: a == [m])
            expect_only(l, "during-outage", [m])  # its own only: nothing crosses without Redis


@check("redis-restart-rejoins", ["redis", *CLUSTER])
def _():
    if REDIS.alive():  # run alone: make the outage here
        REDIS.stop()
    marks = {m: len(SERVERS.all[m].proc.err) for m in SIO_MEMBERS}
    REDIS.start(REDIS.port)
    for m in SIO_MEMBERS:
        p = SERVERS.all[m].proc
        if not p.wait_stderr(CONNECTED_LINE, 15, marks[m]):
            raise CheckFailed(f"{m} did not reconnect to redis: {p.describe()}")
    with Clients() as c:
        listeners = {m: c.listen(m) for m in ("sio-a", "sio-b", "node-a")}
        ready(*listeners.values())

        def crosses(sender, receiver, timeout=20):
            """Repeats broadcasts from `sender` until the listener on `receiver` gets one."""
            event = f"cross-{sender}-{receiver}"
            deadline = time.monotonic() + timeout
            n = 0
            while True:
                n += 1
                member_emit(sender, event, n)
                if listeners[receiver].wait_event(event, 0.5):
                    return
                if time.monotonic() > deadline:
                    raise CheckFailed(f"nothing from {sender} reached {receiver} in {timeout}s ({n} tries) after "
                                      f"the restart: {SERVERS.all[sender].proc.describe()}")

        crosses("sio-a", "node-a")
        crosses("node-a", "sio-a")
        crosses("sio-b", "sio-a")
        crosses("node-a", "sio-b")


# --------------------------------------------------------------------------------------------------------------


def start(names):
    """Starts the servers; a failure fails the checks that need them (with its reason), not the run."""
    names = list(names)
    if "nginx" in names and shutil.which("nginx") is None:
        START_ERRORS["nginx"] = "nginx is not installed"
        names.remove("nginx")
    missing = [t for t in ("redis-server", "node") if shutil.which(t) is None]
    try:
        expect(not missing, f"not installed: {', '.join(missing)}")
        SERVERS.start(names)
    except CheckFailed as e:
        START_ERRORS.update({n: str(e) for n in names if n not in START_ERRORS})
    for why in sorted(set(START_ERRORS.values())):
        print(f"cluster_test: {why}", file=sys.stderr)


def servers_alive(names):
    for n in names:
        if n == "redis":
            continue
        if n == "nginx":
            expect(SERVERS.nginx.alive(), f"nginx died: {SERVERS.nginx.proc.describe()}")
            continue
        s = SERVERS.all[n]
        expect(s.alive(), f"server {n} died: {s.proc.describe()}")


def main():
    return checks.main("cluster_test", "sio serve/emit --redis in a cluster with Node socket.io and nginx",
                       setup=SERVERS.init, start=start, teardown=SERVERS.stop_all, after_check=servers_alive,
                       stop_signal=signal.SIGKILL, show_elapsed=True)


if __name__ == "__main__":
    sys.exit(main())
