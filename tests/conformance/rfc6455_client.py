#!/usr/bin/python3
"""RFC 6455 conformance of sio's client WebSocket (core/client, `sio listen`) against a scripted raw server.

    /usr/bin/python3 tests/conformance/rfc6455_client.py --sio PATH_TO_SIO

For each case a server written here accepts `sio listen ws://... --transport websocket`, answers the upgrade and the
Engine.IO and Socket.IO handshakes with raw frames, then sends the case's frames. The expected outcome is the one RFC
6455 asks of a client: the event printed (and pings answered with masked pongs of the same payload, in order), or
the close frame the client must fail the connection with (1002 for a masked frame from the server, reserved bits, a
reserved opcode or an invalid close code; 1007 for text that is not UTF-8), or the same close code echoed when the
server closes. Prints `ok`/`FAIL` per case and a passed/total table per category; exits 0 iff all passed.
"""

import argparse
import base64
import hashlib
import json
import os
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rfc6455 import CLOSE, CONT, PING, PONG, TEXT, Failed, FrameReader, close_payload, frame  # noqa: E402

HOST = "127.0.0.1"
T = 5.0
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OPEN = b'0{"sid":"AAAAAAAAAAAAAAAAAAAA","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}'


def server_frame(op, payload=b"", **kw):
    """A frame as a server sends it: unmasked unless the case says otherwise."""
    kw.setdefault("mask", False)
    return frame(op, payload, **kw)


class Peer(FrameReader):
    """The server's end of one client connection: reads the client's (masked) frames."""

    def __init__(self, s):
        self.s, self.buf = s, b""

    def recv(self):
        deadline = time.monotonic() + T
        if not self._need(2, deadline):
            return None, None
        if not self.buf[1] & 0x80:
            raise Failed("the client sent an unmasked frame")
        n, pos = self._length(deadline)
        if not self._need(pos + 4 + n, deadline):
            raise Failed("the connection ended inside a frame")
        key = self.buf[pos:pos + 4]
        data = bytes(b ^ key[i % 4] for i, b in enumerate(self.buf[pos + 4:pos + 4 + n]))
        op = self.buf[0] & 0x0f
        self.buf = self.buf[pos + 4 + n:]
        return op, data


def start_client(sio, port):
    cmd = [sio, "listen", "ws://%s:%d" % (HOST, port), "--transport", "websocket", "--no-reconnect", "--json",
           "-q", "--timeout", "10s"]
    return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def handshake(lst):
    s, _ = lst.accept()
    s.settimeout(T)
    req = b""
    while b"\r\n\r\n" not in req:
        chunk = s.recv(4096)
        if not chunk:
            raise Failed("the client closed during the upgrade")
        req += chunk
    key = next(line.split(b":", 1)[1].strip() for line in req.split(b"\r\n")
               if line.lower().startswith(b"sec-websocket-key:"))
    accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
    s.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n" + server_frame(TEXT, OPEN))
    peer = Peer(s)
    op, data = peer.recv()
    if (op, data) != (TEXT, b"40"):
        raise Failed("expected the client's CONNECT, got %r %r" % (op, data))
    s.sendall(server_frame(TEXT, b'40{"sid":"BBBBBBBBBBBBBBBBBBBB"}'))
    return peer


def expect_client_close(peer, code):
    op, data = peer.recv()
    while op == PONG:
        op, data = peer.recv()
    if op != CLOSE:
        raise Failed("expected the client's close %d, got %r %r" % (code, op, data))
    got = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else None
    if got != code:
        raise Failed("the client closed with %s, expected %d" % (got, code))


def expect_event(proc, event, args):
    """The next NDJSON event line of `sio listen`."""
    deadline = time.monotonic() + T
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise Failed("sio listen ended before printing %s (stderr: %r)" % (event, proc.stderr.read()[-300:]))
        rec = json.loads(line)
        if rec.get("type") == "event":
            if (rec.get("event"), rec.get("args")) != (event, args):
                raise Failed("printed %r, expected %s %r" % (rec, event, args))
            return
    raise Failed("no event within %.0f s" % T)


CASES = []


def case(cat, name, frames, close=None, pongs=(), event=None):
    CASES.append((cat, name, frames, close, list(pongs), event))


def define_cases():
    ev = server_frame(TEXT, b'42["ev",1]')
    case("1", "1.x an event frame is delivered", [ev], event=("ev", [1]))
    case("1", "1.x a masked frame from the server: 1002", [frame(TEXT, b'42["ev",1]', mask=True)], close=1002)
    case("2", "2.x a ping is answered with a masked pong of the same payload", [server_frame(PING, b"are you there")],
         pongs=[b"are you there"])
    case("2", "2.x ten pings, ten pongs in order", [server_frame(PING, b"p%d" % i) for i in range(10)],
         pongs=[b"p%d" % i for i in range(10)])
    case("2", "2.x a ping over 125 bytes: 1002", [server_frame(PING, b"p" * 126)], close=1002)
    for rsv in (1, 2, 4):
        case("3", "3.x RSV=%d: 1002" % rsv, [server_frame(TEXT, b'42["ev",1]', rsv=rsv)], close=1002)
    for op in (3, 7, 11, 15):
        case("4", "4.x reserved opcode %d: 1002" % op, [server_frame(op, b"")], close=1002)
    case("5", "5.x a fragmented event with a ping in between: pong first, then the event",
         [server_frame(TEXT, b'42["ev",', fin=False), server_frame(PING, b"mid"), server_frame(CONT, b"2]")],
         pongs=[b"mid"], event=("ev", [2]))
    case("5", "5.x a continuation with nothing to continue: 1002", [server_frame(CONT, b"x")], close=1002)
    case("6", "6.x text that is not UTF-8: 1007", [server_frame(TEXT, b'42["ev","\xed\xa0\x80"]')], close=1007)
    case("6", "6.x not UTF-8, split across fragments: 1007",
         [server_frame(TEXT, b'42["ev","\xf0\x9f', fin=False), server_frame(CONT, b'"]')], close=1007)
    case("7", "7.x the server closes with 1000: the client answers 1000", [server_frame(CLOSE, close_payload(1000))],
         close=1000)
    case("7", "7.x the server closes with 4000: the client answers 4000", [server_frame(CLOSE, close_payload(4000))],
         close=4000)
    case("7", "7.x a 1-byte close payload: 1002", [server_frame(CLOSE, b"\x03")], close=1002)
    case("7", "7.x close code 1005 on the wire: 1002", [server_frame(CLOSE, close_payload(1005))], close=1002)


def run_case(sio, frames, close, pongs, event):
    lst = socket.create_server((HOST, 0))
    lst.settimeout(T)
    proc = start_client(sio, lst.getsockname()[1])
    try:
        peer = handshake(lst)
        peer.s.sendall(b"".join(frames))
        for want in pongs:
            op, data = peer.recv()
            if (op, data) != (PONG, want):
                raise Failed("expected a pong %r, got %r %r" % (want, op, data))
        if event:
            expect_event(proc, *event)
        if close is not None:
            expect_client_close(peer, close)
        peer.s.close()
    finally:
        lst.close()
        if proc.poll() is None:
            proc.kill()
        proc.wait(5)
        proc.stdout.close()
        proc.stderr.close()


def main():
    ap = argparse.ArgumentParser(description="RFC 6455 conformance of sio's client WebSocket")
    ap.add_argument("--sio", required=True)
    opts = ap.parse_args()
    if not (os.path.isfile(opts.sio) and os.access(opts.sio, os.X_OK)):
        sys.stderr.write("rfc6455_client: %s is not an executable file\n" % opts.sio)
        return 2
    define_cases()
    results = {}
    for cat, name, frames, close, pongs, event in CASES:
        try:
            run_case(opts.sio, frames, close, pongs, event)
            ok, why = True, ""
        except (Failed, OSError, ValueError) as e:
            ok, why = False, str(e) or type(e).__name__
        results.setdefault(cat, []).append(ok)
        print(("ok %s" % name) if ok else ("FAIL %s: %s" % (name, why)), flush=True)
    print("\ncategory (client)      passed / total")
    for cat in sorted(results):
        print("%-23s %6d / %d" % (cat, sum(results[cat]), len(results[cat])))
    total = [x for r in results.values() for x in r]
    print("%-23s %6d / %d" % ("all", sum(total), len(total)), flush=True)
    return 0 if all(total) else 1


if __name__ == "__main__":
    sys.exit(main())
