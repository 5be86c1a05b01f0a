#!/usr/bin/python3
"""Black-box checks of the client commands' network flags against real peers (loopback only):
--proxy/--no-proxy and the proxy environment variables, -v/--verbose, --origin, --cert/--key, -k/--insecure
(sio emit and listen; sio bench for what it takes: --origin, --cert, -k, and no proxy).

    /usr/bin/python3 tests/client/net_test.py --sio PATH [--only NAME[,NAME...]] [--list] [-v]

Peers, each on 127.0.0.1 with a port the OS picks, stopped at the end:
  * tests/client/connect_proxy.py: an HTTP CONNECT proxy that logs each tunnel (three of them: open, one
    wanting credentials, one answering 403);
  * tests/client/net_server.js: npm socket.io 4.8.4 on http refusing handshakes from other origins, and on
    https with a certificate made here by `openssl req`, asking for a client certificate (mutual TLS);
  * `sio serve --port 0 --json -q`.
Prints `ok NAME` or `FAIL NAME: reason` per check, then `N passed, M failed`; exits 0 iff every check passed.
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "support"))
import checks  # noqa: E402
from checks import CheckFailed, Server, check, expect, free_port, run_sio, short  # noqa: E402

PYTHON = "/usr/bin/python3"
PROXY = os.path.join(HERE, "connect_proxy.py")
NET_SERVER = os.path.join(HERE, "net_server.js")
ALLOWED = "http://allowed.example"
PROXY_VARS = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY", "all_proxy",
              "ALL_PROXY")


def sio(*argv, env=None, timeout=15):
    """Runs sio with the proxy variables of this process removed and `env` added."""
    full = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
    full.update(env or {})
    return run_sio(argv, timeout, env=full)


class Peers:
    def __init__(self):
        self.proxy = Server("proxy", [PYTHON, PROXY], r"listening on (\d+)")
        self.auth_proxy = Server("auth proxy", [PYTHON, PROXY, "--auth", "user:p@ss"], r"listening on (\d+)")
        self.deny_proxy = Server("403 proxy", [PYTHON, PROXY, "--answer", "403"], r"listening on (\d+)")
        self.origin = Server("node origin", ["node", NET_SERVER, "--allow-origin", ALLOWED], r"listening on (\d+)")
        self.mtls = None
        self.tls_dir = None
        self.serve = None

    def init(self):
        self.serve = checks.sio_serve("sio serve")
        self.tls_dir = os.path.join(checks.TMP, "tls")
        os.makedirs(self.tls_dir)

    def pem(self, name):
        return os.path.join(self.tls_dir, name)

    def make_certificates(self):
        """server: CN 127.0.0.1; client: CN sio-client, trusted by the server as it is; other: a client
        certificate the server does not trust."""
        for name, subject, ext in (("server", "/CN=127.0.0.1", ["-addext", "subjectAltName=IP:127.0.0.1"]),
                                   ("client", "/CN=sio-client", []), ("other", "/CN=stranger", [])):
            r = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                "-nodes", "-keyout", self.pem(f"{name}-key.pem"), "-out", self.pem(f"{name}-cert.pem"),
                                "-days", "2", "-subj", subject] + ext, capture_output=True, timeout=30)
            if r.returncode != 0:
                raise CheckFailed(f"openssl failed: {short(r.stderr)}")
        # The client's certificate and key in one file, as curl's --cert also takes them.
        with open(self.pem("client-both.pem"), "w") as out:
            for part in ("client-cert.pem", "client-key.pem"):
                with open(self.pem(part)) as f:
                    out.write(f.read())

    def get_mtls(self):
        if self.mtls is None:
            self.make_certificates()
            self.mtls = Server("node mtls", ["node", NET_SERVER, "--cert", self.pem("server-cert.pem"),
                                             "--key", self.pem("server-key.pem"),
                                             "--client-ca", self.pem("client-cert.pem")], r"listening on (\d+)")
        return self.mtls

    def start(self, names):
        for name in names:
            (self.get_mtls() if name == "mtls" else getattr(self, name)).start()

    def stop_all(self):
        for s in (self.proxy, self.auth_proxy, self.deny_proxy, self.origin, self.mtls, self.serve):
            if s is not None:
                s.stop()
        return []


PEERS = Peers()


def tunnels(proxy, target_port):
    """The tunnels `proxy` opened to 127.0.0.1:target_port so far."""
    with proxy.proc.cond:
        return sum(1 for l in proxy.proc.err if l.endswith(f"to 127.0.0.1:{target_port}") and " tunnel " in l)


def expect_ack(r, needle='["x"]'):
    expect(r.rc == 0 and r.out.strip() == needle, f"expected exit 0 and {needle}; {r.describe()}")


def transport_args(t):
    return [] if t == "upgrade" else ["--transport", t]


# ---- --proxy and the environment

for _t in ("polling", "websocket", "upgrade"):
    def _proxied(t):
        @check(f"proxy-flag-serve-{t}", ["proxy", "serve"])
        def _():
            before = tunnels(PEERS.proxy, PEERS.serve.port())
            r = sio("emit", PEERS.serve.url(), "echo", "x", "--ack", "--proxy", PEERS.proxy.url(),
                    *transport_args(t))
            expect_ack(r)
            used = tunnels(PEERS.proxy, PEERS.serve.port()) - before
            # polling: the GET and the POST connections; upgrade: those and the WebSocket.
            least = {"polling": 1, "websocket": 1, "upgrade": 2}[t]
            expect(used >= least, f"expected at least {least} tunnels, the proxy saw {used}; {r.describe()}")
            if t == "websocket":
                expect(used == 1, f"expected exactly 1 tunnel, the proxy saw {used}")
    _proxied(_t)


@check("proxy-env-node", ["proxy", "origin"])
def _():
    """http_proxy carries a Node socket.io server's traffic too (Origin set: that server wants it)."""
    before = tunnels(PEERS.proxy, PEERS.origin.port())
    r = sio("emit", PEERS.origin.url(), "e", "--ack", "--origin", ALLOWED, env={"http_proxy": PEERS.proxy.url()})
    expect(r.rc == 0, f"expected exit 0; {r.describe()}")
    expect(tunnels(PEERS.proxy, PEERS.origin.port()) > before, "the proxy opened no tunnel")


@check("proxy-env-uppercase", ["proxy", "serve"])
def _():
    before = tunnels(PEERS.proxy, PEERS.serve.port())
    r = sio("emit", PEERS.serve.url(), "echo", "x", "--ack", "--transport", "websocket",
            env={"HTTP_PROXY": PEERS.proxy.url()})
    expect_ack(r)
    expect(tunnels(PEERS.proxy, PEERS.serve.port()) == before + 1, "HTTP_PROXY was not used")


@check("proxy-env-https-for-wss", ["proxy", "mtls"])
def _():
    """https_proxy (not http_proxy) carries an https URL; TLS runs inside the tunnel."""
    before = tunnels(PEERS.proxy, PEERS.mtls.port())
    r = sio("emit", PEERS.mtls.url(scheme="https"), "e", "--ack", "--transport", "websocket",
            "--ca", PEERS.pem("server-cert.pem"), "--cert", PEERS.pem("client-cert.pem"),
            "--key", PEERS.pem("client-key.pem"),
            env={"https_proxy": PEERS.proxy.url(), "http_proxy": "http://127.0.0.1:1"})
    expect_ack(r, '[{"origin":null,"client":"sio-client"}]')
    expect(tunnels(PEERS.proxy, PEERS.mtls.port()) == before + 1, "https_proxy was not used")


@check("proxy-env-wrong-scheme-unused", ["proxy", "serve"])
def _():
    """https_proxy does not apply to an http URL."""
    before = tunnels(PEERS.proxy, PEERS.serve.port())
    r = sio("emit", PEERS.serve.url(), "echo", "x", "--ack", env={"https_proxy": PEERS.proxy.url()})
    expect_ack(r)
    expect(tunnels(PEERS.proxy, PEERS.serve.port()) == before, "https_proxy was used for http")


for _name, _env, _args, _bypass in (
        ("no-proxy-env-ip", {"NO_PROXY": "127.0.0.1"}, [], True),
        ("no-proxy-env-lowercase-list", {"no_proxy": "example.com, 127.0.0.1:9"}, [], True),
        ("no-proxy-env-cidr", {"no_proxy": "127.0.0.0/8"}, [], True),
        ("no-proxy-env-star", {"no_proxy": "*"}, [], True),
        ("no-proxy-localhost-is-not-127", {"no_proxy": "localhost"}, [], False),
        ("no-proxy-other-domain", {"no_proxy": "example.com,.local"}, [], False),
        ("no-proxy-flag", {}, ["--no-proxy"], True),
        ("no-proxy-empty-proxy-flag", {}, ["--proxy", ""], True),
        ("no-proxy-env-applies-to-flag", {"no_proxy": "127.0.0.1"}, ["--proxy", "PROXY"], True)):
    def _np(name, env, args, bypass):
        @check(name, ["proxy", "serve"])
        def _():
            before = tunnels(PEERS.proxy, PEERS.serve.port())
            full_env = dict(env, http_proxy=PEERS.proxy.url())
            argv = [PEERS.proxy.url() if a == "PROXY" else a for a in args]
            r = sio("emit", PEERS.serve.url(), "echo", "x", "--ack", "--transport", "websocket", *argv, env=full_env)
            expect_ack(r)
            used = tunnels(PEERS.proxy, PEERS.serve.port()) - before
            expect(used == (0 if bypass else 1),
                   f"expected {'no tunnel' if bypass else 'a tunnel'}, the proxy saw {used}")
    _np(_name, _env, _args, _bypass)


@check("proxy-auth", ["auth_proxy", "serve"])
def _():
    port = PEERS.auth_proxy.port()
    r = sio("emit", PEERS.serve.url(), "echo", "x", "--ack", "--proxy", f"http://user:p%40ss@127.0.0.1:{port}")
    expect_ack(r)
    expect(tunnels(PEERS.auth_proxy, PEERS.serve.port()) >= 1, "no tunnel")


for _t in ("polling", "websocket"):
    def _auth_missing(t):
        @check(f"proxy-407-{t}", ["auth_proxy", "serve"])
        def _():
            port = PEERS.auth_proxy.port()
            r = sio("emit", PEERS.serve.url(), "echo", "x", "--proxy", f"127.0.0.1:{port}", "--transport", t)
            want = f"sio emit: connect error: proxy 127.0.0.1:{port} answered 407 Proxy Authentication Required\n"
            expect(r.rc == 1 and r.err == want, f"expected exit 1 and {want!r}; {r.describe()}")
    _auth_missing(_t)


@check("proxy-wrong-password", ["auth_proxy", "serve"])
def _():
    port = PEERS.auth_proxy.port()
    r = sio("emit", PEERS.serve.url(), "echo", "x", env={"http_proxy": f"http://user:nope@127.0.0.1:{port}"})
    expect(r.rc == 1 and "answered 407 Proxy Authentication Required" in r.err, r.describe())


@check("proxy-403", ["deny_proxy", "serve"])
def _():
    port = PEERS.deny_proxy.port()
    r = sio("listen", PEERS.serve.url(), "--no-reconnect", "--proxy", f"http://127.0.0.1:{port}")
    want = f"sio listen: connect error: proxy 127.0.0.1:{port} answered 403 Forbidden\n"
    expect(r.rc == 1 and r.err == want, f"expected exit 1 and {want!r}; {r.describe()}")


@check("proxy-unreachable", ["serve"])
def _():
    port = free_port()
    r = sio("emit", PEERS.serve.url(), "echo", "x", "--proxy", f"http://127.0.0.1:{port}")
    want = f"sio emit: connect error: Connection refused (through proxy 127.0.0.1:{port})\n"
    expect(r.rc == 1 and r.err == want, f"expected exit 1 and {want!r}; {r.describe()}")


for _name, _args, _env, _want in (
        ("proxy-bad-scheme", ["--proxy", "socks5://127.0.0.1:1080"], {},
         "sio emit: --proxy: 'socks5://127.0.0.1:1080': unsupported proxy URL: only http:// proxies are supported\n"),
        ("proxy-bad-port", ["--proxy", "http://127.0.0.1:99999"], {},
         "sio emit: --proxy: 'http://127.0.0.1:99999': invalid URL: the port must be a number from 1 to 65535\n"),
        ("proxy-bad-env", [], {"http_proxy": "https://127.0.0.1:3128"},
         "sio emit: http_proxy: 'https://127.0.0.1:3128': unsupported proxy URL: only http:// proxies are "
         "supported\n"),
        ("proxy-and-no-proxy", ["--proxy", "http://127.0.0.1:3128", "--no-proxy"], {}, None)):
    def _bad(name, args, env, want):
        @check(name)
        def _():
            r = sio("emit", "http://127.0.0.1:9", "echo", "x", *args, env=env)
            expect(r.rc == 2, f"expected exit 2; {r.describe()}")
            if want is not None:
                expect(r.err == want, f"expected {want!r}; {r.describe()}")
            else:
                expect(r.err.count("\n") == 1 and "excludes" in r.err, f"expected one line; {r.describe()}")
    _bad(_name, _args, _env, _want)


# ---- --origin

for _t in ("polling", "websocket", "upgrade"):
    def _origin(t):
        @check(f"origin-{t}", ["origin"])
        def _():
            r = sio("emit", PEERS.origin.url(), "e", "--ack", "--origin", ALLOWED, *transport_args(t))
            expect_ack(r, f'[{{"origin":"{ALLOWED}","client":null}}]')

        @check(f"origin-refused-{t}", ["origin"])
        def _():
            r = sio("emit", PEERS.origin.url(), "e", "--ack", "--origin", "http://evil.example", *transport_args(t))
            expect(r.rc == 1 and r.err.startswith("sio emit: connect error: ") and r.err.count("\n") == 1,
                   f"expected exit 1 and one connect error line; {r.describe()}")
    _origin(_t)


@check("origin-missing", ["origin"])
def _():
    r = sio("emit", PEERS.origin.url(), "e", "--ack")
    expect(r.rc == 1, f"expected exit 1 (the server wants an Origin); {r.describe()}")


@check("origin-bad-value")
def _():
    r = sio("emit", "http://127.0.0.1:9", "e", "--origin", "")
    expect(r.rc == 2 and "--origin" in r.err, f"expected exit 2 naming --origin; {r.describe()}")


# ---- --cert/--key (mutual TLS), --ca, -k

for _t in ("polling", "websocket", "upgrade"):
    def _mtls(t):
        @check(f"mtls-{t}", ["mtls"])
        def _():
            r = sio("emit", PEERS.mtls.url(scheme="https"), "e", "--ack", "--ca", PEERS.pem("server-cert.pem"),
                    "--cert", PEERS.pem("client-cert.pem"), "--key", PEERS.pem("client-key.pem"),
                    *transport_args(t))
            expect_ack(r, '[{"origin":null,"client":"sio-client"}]')
    _mtls(_t)


@check("mtls-key-in-cert-file", ["mtls"])
def _():
    r = sio("emit", PEERS.mtls.url(scheme="https"), "e", "--ack", "-k", "--cert", PEERS.pem("client-both.pem"))
    expect_ack(r, '[{"origin":null,"client":"sio-client"}]')


@check("mtls-no-certificate", ["mtls"])
def _():
    r = sio("emit", PEERS.mtls.url(scheme="https"), "e", "--ack", "--ca", PEERS.pem("server-cert.pem"))
    expect(r.rc == 1 and r.err.startswith("sio emit: connect error: ") and r.err.count("\n") == 1,
           f"expected exit 1 and one connect error line; {r.describe()}")


@check("mtls-untrusted-certificate", ["mtls"])
def _():
    r = sio("emit", PEERS.mtls.url(scheme="https"), "e", "--ack", "-k", "--cert", PEERS.pem("other-cert.pem"),
            "--key", PEERS.pem("other-key.pem"), "--transport", "websocket")
    expect(r.rc == 1 and r.err.startswith("sio emit: connect error: ") and r.err.count("\n") == 1,
           f"expected exit 1 and one connect error line; {r.describe()}")


@check("mtls-mismatched-key", ["mtls"])
def _():
    cert, key = PEERS.pem("client-cert.pem"), PEERS.pem("other-key.pem")
    r = sio("emit", PEERS.mtls.url(scheme="https"), "e", "--cert", cert, "--key", key)
    want = f"sio emit: private key {key} does not match client certificate {cert}\n"
    expect(r.rc == 2 and r.err == want, f"expected exit 2 and {want!r}; {r.describe()}")


@check("mtls-missing-file", ["mtls"])
def _():
    missing = os.path.join(checks.TMP, "nope.pem")
    r = sio("emit", PEERS.mtls.url(scheme="https"), "e", "--cert", missing)
    want = f"sio emit: --cert: File does not exist: {missing}\n"
    expect(r.rc == 2 and r.err == want, f"expected exit 2 and {want!r}; {r.describe()}")


@check("mtls-not-pem", ["mtls"])
def _():
    junk = os.path.join(checks.TMP, "junk.pem")
    with open(junk, "w") as f:
        f.write("not a certificate\n")
    r = sio("emit", PEERS.mtls.url(scheme="https"), "e", "--cert", junk)
    expect(r.rc == 2 and r.err.startswith(f"sio emit: cannot load client certificate {junk}: ")
           and r.err.count("\n") == 1, f"expected exit 2 and one line; {r.describe()}")


@check("mtls-key-without-cert")
def _():
    r = sio("emit", "https://127.0.0.1:9", "e", "--key", PROXY)
    expect(r.rc == 2 and "--cert" in r.err and r.err.count("\n") == 1, f"expected exit 2; {r.describe()}")


@check("insecure-short-k", ["mtls"])
def _():
    r = sio("emit", PEERS.mtls.url(scheme="https"), "e", "--ack", "-k", "--cert", PEERS.pem("client-cert.pem"),
            "--key", PEERS.pem("client-key.pem"))
    expect_ack(r, '[{"origin":null,"client":"sio-client"}]')


@check("insecure-needed", ["mtls"])
def _():
    r = sio("emit", PEERS.mtls.url(scheme="https"), "e", "--cert", PEERS.pem("client-cert.pem"),
            "--key", PEERS.pem("client-key.pem"))
    want = "sio emit: connect error: certificate verify failed (SSL routines)\n"
    expect(r.rc == 1 and r.err == want, f"expected exit 1 and {want!r}; {r.describe()}")


# ---- -v

TIME_RE = re.compile(r"^ *\d+\.\d{3}ms ", re.M)
SID_RE = re.compile(r"(sid[\":=]+)[A-Za-z0-9_-]{20}")
COUNTER_RE = re.compile(r"&t=\d+")


def masked(err):
    """Times as T, session ids as SID, the polling request counter as N."""
    return COUNTER_RE.sub("&t=N", SID_RE.sub(r"\1SID", TIME_RE.sub("T ", err)))


@check("verbose-emit-polling", ["serve"])
def _():
    port = PEERS.serve.port()
    r = sio("emit", PEERS.serve.url(), "chat", "hi", "-v", "--transport", "polling")
    expect(r.rc == 0, r.describe())
    lines = masked(r.err).splitlines()
    head = [
        f"T * polling   connecting to 127.0.0.1:{port}",
        "T > polling   GET /socket.io/?EIO=4&transport=polling&t=N",
        "T < polling   200 OK (118 bytes)",
        'T < polling   open 0{"sid":"SID","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,'
        '"maxPayload":1000000}',
    ]
    expect(lines[:len(head)] == head, f"expected {head} first, got {lines}")
    rest = lines[len(head):]
    # What follows interleaves the GET and POST connections, and how many packets a POST carries varies; each
    # packet comes once, in this order, and goes out right after its POST's request line (or its batch-mate).
    order = ["T > polling   message CONNECT 40",
             'T < polling   message CONNECT 40{"sid":"SID"}',
             'T > polling   message EVENT 42["chat","hi"]',
             "T > polling   message DISCONNECT 41",
             "T > polling   close 1"]
    for needed in order:
        expect(rest.count(needed) == 1, f"expected {needed!r} once in {rest}")
    positions = [rest.index(n) for n in order]
    expect(positions == sorted(positions), f"expected the order {order}, got {rest}")
    post = re.compile(r"T > polling   POST /socket\.io/\?EIO=4&transport=polling&sid=SID&t=N \(\d+ bytes\)$")
    for i, line in enumerate(rest):
        if line.startswith("T > polling   message") or line.startswith("T > polling   close"):
            before = rest[i - 1]
            expect(post.match(before) or before.startswith("T > polling   message"),
                   f"{line!r} follows {before!r}, not its POST: {rest}")
    expect(post.match(rest[rest.index(order[0]) - 1]) and "(2 bytes)" in rest[rest.index(order[0]) - 1],
           f"the CONNECT goes alone in a 2-byte POST: {rest}")


@check("verbose-emit-websocket", ["serve"])
def _():
    port = PEERS.serve.port()
    r = sio("emit", PEERS.serve.url(), "chat", "hi", "--ack", "-v", "--transport", "websocket")
    expect(r.rc == 0 and r.out == '["hi"]\n', r.describe())
    lines = masked(r.err).splitlines()
    want = [
        f"T * websocket connecting to 127.0.0.1:{port}",
        "T > websocket GET /socket.io/?EIO=4&transport=websocket (upgrade)",
        "T < websocket 101 Switching Protocols",
        'T < websocket open 0{"sid":"SID","upgrades":[],"pingInterval":25000,"pingTimeout":20000,'
        '"maxPayload":1000000}',
        "T > websocket message CONNECT 40",
        'T < websocket message CONNECT 40{"sid":"SID"}',
        'T > websocket message EVENT 420["chat","hi"]',
        'T < websocket message EVENT 42["auth",{}]',  # sio serve's echo greets with the CONNECT payload
        'T < websocket message ACK 430["hi"]',
        "T > websocket message DISCONNECT 41",
        "T > websocket close frame 1000",  # the closing handshake: no close packet, as socket.io-client
        "T < websocket close frame 1000",
    ]
    # The first six lines come in this order; after them, sio's EVENT and the server's greeting race.
    expect(lines[:6] == want[:6] and sorted(lines[6:]) == sorted(want[6:]), f"expected {want}, got {lines}")
    expect(lines.index(want[6]) < lines.index(want[8]) < lines.index(want[9]) < lines.index(want[10])
           < lines.index(want[11]), f"expected EVENT, ACK, DISCONNECT, close, its answer in this order: {lines}")


@check("verbose-upgrade-and-proxy", ["origin", "proxy"])
def _():
    # The ack comes once the server has seen the upgrade: every line below is written by then.
    port, proxy_port = PEERS.origin.port(), PEERS.proxy.port()
    r = sio("emit", PEERS.origin.url(), "watch-upgrade", "--ack", "-v", "--proxy", PEERS.proxy.url(),
            "--origin", ALLOWED, "--transport", "upgrade")
    expect(r.rc == 0, r.describe())
    lines = masked(r.err).splitlines()
    for needed in (f"T * polling   connecting to proxy 127.0.0.1:{proxy_port}",
                   f"T > polling   CONNECT 127.0.0.1:{port} HTTP/1.1",
                   "T < polling   200 Connection established",
                   f"T * websocket connecting to proxy 127.0.0.1:{proxy_port}",
                   "T > websocket GET /socket.io/?EIO=4&transport=websocket&sid=SID (upgrade)",
                   "T > websocket ping 2probe", "T < websocket pong 3probe", "T > websocket upgrade 5"):
        expect(needed in lines, f"missing {needed!r} in {lines}")


@check("verbose-long-payload", ["serve"])
def _():
    r = sio("emit", PEERS.serve.url(), "chat", "y" * 500, "--ack", "-v", "--transport", "websocket")
    expect(r.rc == 0, r.describe())
    lines = [l for l in masked(r.err).splitlines() if "message ACK" in l]
    expect(len(lines) == 1, f"expected one ACK line: {r.err}")
    # 200 bytes of the packet, then its whole length: 430["<500 y>"] is 507 bytes.
    want = 'T < websocket message ACK 430["' + "y" * 195 + "... (507 bytes)"
    expect(lines[0] == want, f"expected {want!r}, got {lines[0]!r}")


@check("verbose-tls", ["mtls"])
def _():
    r = sio("emit", PEERS.mtls.url(scheme="https"), "e", "-v", "-k", "--cert", PEERS.pem("client-cert.pem"),
            "--transport", "websocket", "--key", PEERS.pem("client-key.pem"))
    expect(r.rc == 0, r.describe())
    expect(re.search(r"^T \* websocket TLS handshake done: TLSv1\.3 \S+$", masked(r.err), re.M), r.describe())


@check("verbose-off-is-silent", ["serve"])
def _():
    r = sio("emit", PEERS.serve.url(), "chat", "hi", "--ack")
    expect(r.rc == 0 and r.err == "", f"expected nothing on stderr; {r.describe()}")


@check("verbose-listen", ["serve"])
def _():
    r = sio("listen", PEERS.serve.url(), "a", "--verbose", "-n", "1", "--emit", '["a",1]', "--timeout", "5",
            "--transport", "websocket")
    expect(r.rc == 0, r.describe())
    expect('T < websocket message EVENT 42["a",1]' in masked(r.err).splitlines(), r.describe())


@check("verbose-connect", ["serve"])
def _():
    r = run_sio(["connect", PEERS.serve.url(), "-v", "--transport", "websocket"], 15, stdin=b'/ack chat "hi"\n',
                env={k: v for k, v in os.environ.items() if k not in PROXY_VARS})
    expect(r.rc == 0, r.describe())
    lines = masked(r.err).splitlines()
    for needed in ('T > websocket message EVENT 420["chat","hi"]', 'T < websocket message ACK 430["hi"]'):
        expect(needed in lines, f"missing {needed!r}; {r.describe()}")


# ---- sio bench: --origin and the TLS flags, never a proxy

for _t in ("websocket", "upgrade"):  # the lean link and the full Engine.IO client
    def _bench(t):
        @check(f"bench-origin-no-proxy-{t}", ["origin", "proxy"])
        def _():
            before = tunnels(PEERS.proxy, PEERS.origin.port())
            r = sio("bench", PEERS.origin.url(), "-s", "connect", "--connect-rate", "20", "-d", "500ms",
                    "--warmup", "0", "--origin", ALLOWED, "--transport", t, "--json", "-q",
                    env={"http_proxy": PEERS.proxy.url()}, timeout=30)
            summary = json.loads(r.out) if r.rc == 0 else {}
            expect(summary.get("received", 0) > 0 and summary.get("connect_failures") == 0,
                   f"expected exit 0 and connections; {r.describe()}")
            expect(tunnels(PEERS.proxy, PEERS.origin.port()) == before, "sio bench went through the proxy")

        @check(f"bench-origin-refused-{t}", ["origin"])
        def _():
            r = sio("bench", PEERS.origin.url(), "-s", "connect", "--connect-rate", "20", "-d", "500ms",
                    "--warmup", "0", "--transport", t, "-q", timeout=30)
            expect(r.rc == 1 and "no client could connect" in r.err, f"expected exit 1; {r.describe()}")
    _bench(_t)


@check("bench-mtls", ["mtls"])
def _():
    r = sio("bench", PEERS.mtls.url(scheme="https"), "-s", "connect", "--connect-rate", "20", "-d", "500ms",
            "--warmup", "0", "-k", "--cert", PEERS.pem("client-cert.pem"), "--key", PEERS.pem("client-key.pem"),
            "-q", "--json", timeout=30)
    expect(r.rc == 0, f"expected exit 0; {r.describe()}")


@check("bench-has-no-proxy-flags")
def _():
    for flag in ("--proxy", "-v"):
        r = sio("bench", "http://127.0.0.1:9", flag, "x")
        expect(r.rc == 2, f"expected exit 2 for {flag}; {r.describe()}")


if __name__ == "__main__":
    sys.exit(checks.main("net_test", __doc__.splitlines()[0], setup=PEERS.init, start=PEERS.start,
                         teardown=PEERS.stop_all))
