#!/usr/bin/python3
"""Python peers for tests/client/client_test.py: Debian's python-socketio 5.7.2 or Flask-SocketIO 5.3.2, on eventlet.

    /usr/bin/python3 python_server.py [--flask] [--port 0] [--always-connect]

Prints `python_server: listening on PORT` on stderr once it listens. SIGTERM exits at once.

Namespaces `/` and `/custom` (any other one gets python-socketio's string CONNECT_ERROR "Unable to connect").
The connect handler refuses auth {"token": "refuse"} by returning False, and auth {"token": "raise"} by raising
ConnectionRefusedError("not welcome", {"reason": "raised"}). With --always-connect (always_connect=True) the
server sends CONNECT before running the handler, so a refusal arrives as a DISCONNECT; without it, as a
CONNECT_ERROR object. Events:
    echo ARGS...   acked with its arguments (a tuple, so several ack arguments)
    poke ARGS...   answered with the event `poked` ARGS...
    shout ARGS...  `news` ARGS... to every socket of the namespace
    binary         acked with b"\\x00\\x01\\xfe\\xff" and also emits `bin` with those bytes
"""
import argparse
import signal
import sys

import eventlet

eventlet.monkey_patch()

import socketio  # noqa: E402

BLOB = b"\x00\x01\xfe\xff"
NAMESPACES = ["/", "/custom"]


def refusal(auth):
    token = auth.get("token") if isinstance(auth, dict) else None
    if token == "refuse":
        return False
    if token == "raise":
        raise socketio.exceptions.ConnectionRefusedError("not welcome", {"reason": "raised"})
    return None


def plain_app(always_connect):
    sio = socketio.Server(async_mode="eventlet", always_connect=always_connect, namespaces=NAMESPACES,
                          ping_interval=5, ping_timeout=5)
    for nsp in NAMESPACES:
        def connect(sid, environ, auth=None):
            return refusal(auth)

        def echo(sid, *args):
            return args

        def make_poke(ns):
            def poke(sid, *args):
                sio.emit("poked", args, to=sid, namespace=ns)
            return poke

        def make_shout(ns):
            def shout(sid, *args):
                sio.emit("news", args, namespace=ns)
            return shout

        def make_binary(ns):
            def binary(sid, *args):
                sio.emit("bin", BLOB, to=sid, namespace=ns)
                return BLOB
            return binary

        sio.on("connect", connect, namespace=nsp)
        sio.on("echo", echo, namespace=nsp)
        sio.on("poke", make_poke(nsp), namespace=nsp)
        sio.on("shout", make_shout(nsp), namespace=nsp)
        sio.on("binary", make_binary(nsp), namespace=nsp)
    return socketio.WSGIApp(sio)


def flask_app(always_connect):
    from flask import Flask
    from flask_socketio import SocketIO, emit

    app = Flask(__name__)
    sio = SocketIO(app, async_mode="eventlet", always_connect=always_connect, namespaces=NAMESPACES,
                   ping_interval=5, ping_timeout=5)
    for nsp in NAMESPACES:
        def connect(auth=None):
            return refusal(auth)

        def echo(*args):
            return args

        def poke(*args):
            emit("poked", args)

        def make_shout(ns):
            def shout(*args):
                sio.emit("news", args, namespace=ns)
            return shout

        def binary(*args):
            emit("bin", BLOB)
            return BLOB

        sio.on_event("connect", connect, namespace=nsp)
        sio.on_event("echo", echo, namespace=nsp)
        sio.on_event("poke", poke, namespace=nsp)
        sio.on_event("shout", make_shout(nsp), namespace=nsp)
        sio.on_event("binary", binary, namespace=nsp)
    return app  # init_app wrapped app.wsgi_app with the Socket.IO middleware


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--flask", action="store_true")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--always-connect", action="store_true")
    opts = parser.parse_args()
    app = flask_app(opts.always_connect) if opts.flask else plain_app(opts.always_connect)
    listener = eventlet.listen(("127.0.0.1", opts.port))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sys.stderr.write(f"python_server: listening on {listener.getsockname()[1]}\n")
    sys.stderr.flush()

    class Quiet:
        def write(self, _):
            pass

    eventlet.wsgi.server(listener, app, log=Quiet(), log_output=False)


if __name__ == "__main__":
    main()
